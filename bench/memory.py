#!/usr/bin/env python3
"""Peak memory of `ultrastrength scan` on hostile inputs (README "scan": every
input kind at most 256 MiB peak, whatever its content).

Generates, with a fixed layout, (1) a zip of nested junk zips of about 65 MB
(stored inner zips, each with up to 190,000 tiny junk entries), and (2) a
256 MiB Garmin summaries index (deep nesting, a huge string, and a long run
of activities), then runs `/usr/bin/time -v ultrastrength scan` on each and
prints the peak RSS. Exits 1 when a peak reaches the limit.

usage: bench/memory.py ULTRASTRENGTH WORKDIR [--limit-mib 256] [--scale 1.0]
"""
import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile


def junk_zip(path, target_bytes):
    """Outer zip of stored inner zips, each full of tiny junk entries."""
    per_inner = 190_000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as inner:
        for i in range(per_inner):
            # Alternate junk kinds: unknown content and AppleDouble files.
            name = f"j{i:06d}.bin" if i % 2 else f"__MACOSX/._{i:06d}"
            inner.writestr(name, b"x")
    data = buf.getvalue()
    count = max(1, round(target_bytes / len(data)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        for n in range(count):
            outer.writestr(f"junk{n:02d}.zip", data)
    return count


def hostile_index(path, target_bytes):
    """A summarizedActivities.json of `target_bytes`: deep nesting, one huge
    string, then activities until the size is reached."""
    with open(path, "wb") as f:
        f.write(b'[{"summarizedActivitiesExport": [')
        f.write(b'{"name": "' + b"A" * (64 << 20) + b'", "startTimeGmt": 1700000000000},')
        f.write(b'{"deep": ' + b"[" * 60 + b"]" * 60 + b', "startTimeGmt": 1700000100000},')
        entry = b'{"name": "' + b"n" * 200 + b'", "activityType": {"typeKey": "running"}, "startTimeGmt": 1700000200000},'
        written = f.tell()
        chunk = entry * 4096
        while written + len(chunk) < target_bytes - 64:
            f.write(chunk)
            written += len(chunk)
        pad = target_bytes - written - len(b'{"x": ""}]}]')
        f.write(b'{"x": "' + b" " * max(0, pad) + b'"}]}]')


def peak_rss_mib(cli, path):
    result = subprocess.run(["/usr/bin/time", "-v", cli, "scan", "--no-cache", path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    tail = [line[:200] for line in result.stderr.splitlines() if not line.startswith("\t")][-3:]
    tail += result.stdout.splitlines()[-1:]
    return int(match.group(1)) / 1024, result.returncode, tail


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("work")
    parser.add_argument("--limit-mib", type=float, default=256)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--clean", action="store_true", help="remove the inputs afterwards")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    zip_path = os.path.join(args.work, "nested-junk.zip")
    index_dir = os.path.join(args.work, "export", "DI_CONNECT", "DI-Connect-Fitness")
    os.makedirs(index_dir, exist_ok=True)
    index_path = os.path.join(index_dir, "hostile_summarizedActivities.json")
    if os.path.exists(zip_path):
        os.remove(zip_path)
    junk_zip(zip_path, int(65e6 * args.scale))
    hostile_index(index_path, int((256 << 20) * args.scale))
    failed = False
    for label, path in (("zip of nested junk zips", zip_path),
                        ("hostile Garmin summaries index", index_path)):
        size = os.path.getsize(path)
        peak, code, tail = peak_rss_mib(args.cli, path)
        ok = peak < args.limit_mib
        failed = failed or not ok
        print(f"{label}: {size / 1e6:.1f} MB input, peak RSS {peak:.1f} MiB "
              f"(limit {args.limit_mib:.0f} MiB) exit {code}: {'ok' if ok else 'OVER'}")
        for line in tail:
            print(f"  {line}")
    if args.clean:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
