#!/usr/bin/env python3
"""A local stand-in for one push target, for the push tests only.

Listens on 127.0.0.1 (an ephemeral port, written to DIR/port), follows the
published contract of one platform (docs/push.md; intervals.icu's request
body is checked against the pinned OpenAPI excerpt intervals-icu-openapi.json),
keeps what it was sent, and after every request rewrites DIR/state.json:
{"store": ..., "log": [...], "tokens": ...}. It stops by itself after
--lifetime seconds, on SIGTERM, or on POST /__stop. Faults are injected with
--fault METHOD:PATH_PREFIX:STATUS:TIMES (repeatable).
"""
import argparse
import base64
import datetime
import json
import os
import re
import signal
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


class Platform:
    def __init__(self, args):
        self.args = args
        self.target = args.target
        self.store = {}
        self.schedules = {}
        self.next_id = 1
        self.log = []
        self.access = args.token
        self.refresh = args.refresh
        self.issued = 0
        self.faults = []
        for spec in args.fault or []:
            method, prefix, status, times = spec.split(":", 3)
            self.faults.append({"method": method, "prefix": prefix, "status": int(status),
                                "times": int(times)})
        self.today = datetime.date.fromisoformat(args.today)
        with open(os.path.join(HERE, "intervals-icu-openapi.json")) as f:
            self.spec = json.load(f)

    def save(self):
        tmp = os.path.join(self.args.dir, "state.json.tmp")
        with open(tmp, "w") as f:
            json.dump({"store": self.store, "schedules": self.schedules, "log": self.log,
                       "tokens": {"access": self.access, "refresh": self.refresh}}, f, indent=1)
        os.replace(tmp, os.path.join(self.args.dir, "state.json"))

    def new_id(self):
        self.next_id += 1
        return 5000 + self.next_id

    # -- auth ---------------------------------------------------------------
    def authorized(self, headers):
        auth = headers.get("Authorization", "")
        if self.target == "intervals-icu":
            expected = "Basic " + base64.b64encode(("API_KEY:" + self.access).encode()).decode()
            return auth == expected
        return auth == "Bearer " + self.access

    def token(self, form):
        grant = form.get("grant_type", [""])[0]
        if grant == "refresh_token" and form.get("refresh_token", [""])[0] == self.refresh:
            pass
        elif grant == "authorization_code" and form.get("code", [""])[0] == "good-code":
            if self.target == "garmin-training-api" and not form.get("code_verifier"):
                return 400, {"error": "invalid_request"}
        else:
            return 400, {"error": "invalid_grant"}
        self.issued += 1
        self.access = "access-%d" % self.issued
        self.refresh = "refresh-%d" % self.issued  # rotated: the old one is spent
        return 200, {"access_token": self.access, "refresh_token": self.refresh,
                     "token_type": "bearer", "expires_in": 3600}

    # -- intervals.icu --------------------------------------------------------
    def check_event(self, event):
        schema = self.spec["components"]["schemas"]["EventEx"]["properties"]
        kinds = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}
        for key, value in event.items():
            if key not in schema:
                return "unknown field " + key
            want = schema[key].get("type")
            if want and not isinstance(value, kinds[want]):
                return key + " is not " + want
        for key in ("category", "start_date_local", "external_id"):
            if key not in event:
                return "missing " + key
        if schema["category"].get("enum") and event["category"] not in schema["category"]["enum"]:
            return "bad category"
        fit = base64.b64decode(event.get("file_contents_base64", ""))
        if len(fit) < 14 or fit[8:12] != b".FIT":
            return "file_contents_base64 is not a FIT file"
        return None

    def intervals(self, method, path, query, body):
        m = re.fullmatch(r"/api/v1/athlete/([^/]+)/events/(bulk|bulk-delete)", path)
        if not m:
            return 404, {"error": "not found"}
        if method == "POST" and m.group(2) == "bulk":
            if query.get("upsert") != ["true"] or not isinstance(body, list):
                return 422, {"error": "expected an array and upsert=true"}
            out = []
            for event in body:
                problem = self.check_event(event)
                if problem:
                    return 422, {"error": problem}
                known = self.store.get(event["external_id"])
                stored = dict(event)
                stored["id"] = known["id"] if known else self.new_id()
                self.store[event["external_id"]] = stored
                out.append({k: v for k, v in stored.items() if k != "file_contents_base64"})
            return 200, out
        if method == "PUT" and m.group(2) == "bulk-delete":
            deleted = 0
            for ref in body:
                if "external_id" in ref and self.store.pop(ref["external_id"], None) is not None:
                    deleted += 1
            return 200, {"eventsDeleted": deleted}
        return 405, {"error": "method"}

    # -- TrainingPeaks ----------------------------------------------------------
    def trainingpeaks(self, method, path, query, body):
        types = {"swim", "bike", "run", "x-train", "mtb", "strength", "xc-ski", "rowing", "walk",
                 "other"}
        if path == "/v2/workouts/plan" and method == "POST" or \
                re.fullmatch(r"/v2/workouts/plan/\d+", path) and method == "PUT":
            if not isinstance(body, dict) or "AthleteId" not in body or \
                    body.get("WorkoutType") not in types or "WorkoutDay" not in body:
                return 400, {"Message": "AthleteId, WorkoutDay and WorkoutType are required"}
            day = datetime.date.fromisoformat(body["WorkoutDay"][:10])
            if day < self.today - datetime.timedelta(days=7) or \
                    day > self.today.replace(year=self.today.year + 1):
                return 400, {"Message": "WorkoutDay out of range"}
            if self.args.basic and day > self.today:
                return 403, {"Message": "Forbidden"}
            if method == "POST":
                workout = dict(body)
                workout["Id"] = self.new_id()
                self.store[str(workout["Id"])] = workout
                return 200, workout
            wid = path.rsplit("/", 1)[1]
            if wid not in self.store or str(body.get("Id")) != wid:
                return 404, {"Message": "no such workout"}
            self.store[wid] = dict(body)
            return 200, None
        m = re.fullmatch(r"/v2/workouts/plan/(\d+)", path)
        if m and method == "DELETE":
            if self.store.pop(m.group(1), None) is None:
                return 404, {"Message": "no such workout"}
            return 200, None
        m = re.fullmatch(r"/v2/workouts/([^/]+)/([0-9-]+)/([0-9-]+)", path)
        if m and method == "GET":
            return 200, [w for w in self.store.values()
                         if m.group(2) <= w["WorkoutDay"][:10] <= m.group(3)]
        return 404, {"Message": "not found"}

    # -- Garmin Training API ------------------------------------------------------
    def garmin(self, method, path, query, body):
        if path == "/workoutportal/workout/v2" and method == "POST":
            if not isinstance(body, dict) or body.get("sport") != "STRENGTH_TRAINING" or \
                    not body.get("workoutName") or not body.get("segments"):
                return 400, {"message": "bad workout"}
            wid = self.new_id()
            workout = dict(body)
            workout["workoutId"] = wid
            self.store[str(wid)] = workout
            return 200, {"workoutId": wid}
        m = re.fullmatch(r"/training-api/workout/v2/(\d+)", path)
        if m:
            wid = m.group(1)
            if wid not in self.store:
                return 404, {"message": "no such workout"}
            if method == "GET":
                return 200, self.store[wid]
            if method == "PUT":
                self.store[wid] = dict(body)
                return 200, None
            if method == "DELETE":
                del self.store[wid]
                return 204, None
        if path in ("/training-api/schedule/", "/training-api/schedule") and method == "POST":
            if str(body.get("workoutId")) not in self.store or \
                    not re.fullmatch(r"\d{4}-\d\d-\d\d", body.get("date", "")):
                return 400, {"message": "bad schedule"}
            sid = self.new_id()
            self.schedules[str(sid)] = {"scheduleId": sid, "workoutId": body["workoutId"],
                                        "date": body["date"]}
            return 200, sid
        if path == "/training-api/schedule" and method == "GET":
            lo, hi = query["startDate"][0], query["endDate"][0]
            return 200, [s for s in self.schedules.values() if lo <= s["date"] <= hi]
        m = re.fullmatch(r"/training-api/schedule/(\d+)", path)
        if m:
            sid = m.group(1)
            if sid not in self.schedules:
                return 404, {"message": "no such schedule"}
            if method == "PUT":
                self.schedules[sid] = {"scheduleId": int(sid), "workoutId": body["workoutId"],
                                       "date": body["date"]}
                return 200, None
            if method == "DELETE":
                del self.schedules[sid]
                return 204, None
        return 404, {"message": "not found"}

    def handle(self, method, raw_path, headers, raw_body):
        url = urllib.parse.urlsplit(raw_path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        entry = {"method": method, "path": raw_path}
        if path == "/oauth/token" and method == "POST":
            status, answer = self.token(urllib.parse.parse_qs(raw_body.decode()))
            entry["status"] = status
            self.log.append(entry)
            return status, answer
        for fault in self.faults:
            if fault["times"] > 0 and fault["method"] == method and path.startswith(fault["prefix"]):
                fault["times"] -= 1
                entry["status"] = fault["status"]
                self.log.append(entry)
                return fault["status"], {"error": "injected"}
        if not self.authorized(headers):
            entry["status"] = 401
            self.log.append(entry)
            return 401, {"error": "unauthorized"}
        body = json.loads(raw_body) if raw_body else None
        if method != "GET" and self.args.delay > 0:
            time.sleep(self.args.delay)
        handler = {"intervals-icu": self.intervals, "trainingpeaks": self.trainingpeaks,
                   "garmin-training-api": self.garmin}[self.target]
        status, answer = handler(method, path, query, body)
        entry["status"] = status
        if method != "GET":
            entry["body"] = body
        self.log.append(entry)
        return status, answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--token", default="secret-access")
    parser.add_argument("--refresh", default="secret-refresh")
    parser.add_argument("--fault", action="append")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--basic", action="store_true")
    parser.add_argument("--today", default="2026-11-22")
    parser.add_argument("--lifetime", type=float, default=300)
    args = parser.parse_args()
    platform = Platform(args)
    deadline = time.monotonic() + args.lifetime
    running = [True]

    class Handler(BaseHTTPRequestHandler):
        def do(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path == "/__stop":
                running[0] = False
                status, answer = 200, None
            else:
                status, answer = platform.handle(self.command, self.path, self.headers, raw)
                platform.save()
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 0.2
    signal.signal(signal.SIGTERM, lambda *a: running.__setitem__(0, False))
    platform.save()
    tmp = os.path.join(args.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, os.path.join(args.dir, "port"))
    # Bounded: at most --lifetime seconds, whatever the client does.
    while running[0] and time.monotonic() < deadline:
        server.handle_request()
    server.server_close()


if __name__ == "__main__":
    sys.exit(main())
