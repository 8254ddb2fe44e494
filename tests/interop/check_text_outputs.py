"""Parses our calendar and CSV outputs with independent parsers and prints
JSON for the C++ tests to compare with the plan.

  check_text_outputs.py ics FILE   -> {"events": [...], "errors": [...], "lines": {...}}
  check_text_outputs.py csv FILE   -> {"rows": [[...], ...]}
  check_text_outputs.py reimport FILE...  -> the events a calendar keeps after
      importing each FILE in turn: {"UID": {"sequence", "dtstamp", "summary",
      "description", "replaced"}}

With several FILEs it prints a JSON array of those objects, in argument
order (one interpreter start for many plans); an argument @LIST names a file
with one path per line.

ICS goes through Debian's python3-icalendar; the raw bytes are also checked
for the RFC 5545 framing a lenient parser forgives (CRLF only, lines of at
most 75 octets). CSV goes through Python's csv module in strict mode.
"""
import csv
import io
import json
import sys


def check_ics(path):
    import icalendar

    data = open(path, "rb").read()
    errors = []
    if b"\n" in data.replace(b"\r\n", b""):
        errors.append("bare LF line end")
    if not data.endswith(b"\r\n"):
        errors.append("file does not end with CRLF")
    longest = max(len(line) for line in data.split(b"\r\n"))
    if longest > 75:
        errors.append("line longer than 75 octets: %d" % longest)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        errors.append("not UTF-8: %s" % e)
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        for err in getattr(component, "errors", []):
            errors.append("%s: %s" % (component.name, err))
    events = []
    for event in calendar.walk("VEVENT"):
        events.append({
            "uid": str(event["UID"]),
            "dtstamp": event.decoded("DTSTAMP").isoformat(),
            "dtstart": event.decoded("DTSTART").isoformat(),
            "dtend": event.decoded("DTEND").isoformat(),
            "sequence": int(event["SEQUENCE"]) if "SEQUENCE" in event else None,
            "last_modified": event.decoded("LAST-MODIFIED").isoformat()
            if "LAST-MODIFIED" in event else None,
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "categories": [str(c) for c in event["CATEGORIES"].cats],
        })
    return {
        "method": str(calendar["METHOD"]) if "METHOD" in calendar else None,
        "version": str(calendar["VERSION"]),
        "prodid": str(calendar["PRODID"]),
        "calname": str(calendar.get("X-WR-CALNAME", "")),
        "events": events,
        "errors": errors,
        "longest_line": longest,
    }


def check_csv(path):
    text = open(path, "rb").read().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return {"rows": rows, "crlf_only": "\n" not in text.replace("\r\n", "")}


def reimport(paths):
    """Imports calendars in turn into one store the way an iTIP client
    decides (RFC 5546 §2.1.5): an event with a known UID replaces the stored
    one when its SEQUENCE is higher, or equal with a later DTSTAMP; otherwise
    the stored event stays."""
    import icalendar

    store = {}
    for path in paths:
        calendar = icalendar.Calendar.from_ical(open(path, "rb").read())
        for event in calendar.walk("VEVENT"):
            uid = str(event["UID"])
            new = {
                "sequence": int(event.get("SEQUENCE", 0)),
                "dtstamp": event.decoded("DTSTAMP").isoformat(),
                "summary": str(event["SUMMARY"]),
                "description": str(event["DESCRIPTION"]),
                "replaced": 0,
            }
            old = store.get(uid)
            if old is None:
                store[uid] = new
            elif (new["sequence"], new["dtstamp"]) > (old["sequence"], old["dtstamp"]):
                new["replaced"] = old["replaced"] + 1
                store[uid] = new
    return store


def main():
    kind, paths = sys.argv[1], []
    for arg in sys.argv[2:]:
        if arg.startswith("@"):
            paths += [line for line in open(arg[1:], encoding="utf-8").read().split("\n") if line]
        else:
            paths.append(arg)
    if kind == "reimport":
        json.dump(reimport(paths), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    check = check_ics if kind == "ics" else check_csv
    out = check(paths[0]) if len(paths) == 1 else [check(p) for p in paths]
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
