#!/usr/bin/env python3
"""The C example's records equal `ringside detect --json`'s, field for field.

    compare_detect.py AMD_FILE RINGSIDE [--chunk N] FILE...

Runs `AMD_FILE [--chunk N] FILE...` and `RINGSIDE detect --json FILE...`, pairs their
JSON lines by file, and fails (exit 1) on any difference: a field missing on one side, a
value that differs (floats compared exactly: both print sample offsets / 8000), a file one
side read and the other refused, or no file analysed at all. A file both refuse passes
(their messages differ: the example names its own checks). Prints one line per file.
"""

import json
import subprocess
import sys


def records(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd[:3])}...: exit {out.returncode}\n{out.stderr}")
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return {r["file"]: r for r in lines}, out.returncode


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    amd_file, ringside, rest = argv[0], argv[1], argv[2:]
    chunk = []
    if rest[:1] == ["--chunk"]:
        chunk, rest = rest[:2], rest[2:]
    files = rest
    c_records, c_rc = records([amd_file, *chunk, *files])
    cli_records, cli_rc = records([ringside, "detect", "--json", *files])

    failures, compared = 0, 0
    for f in files:
        c, cli = c_records.get(f), cli_records.get(f)
        if c is None or cli is None:
            print(f"FAIL {f}: no record from {'the example' if c is None else 'the CLI'}")
            failures += 1
            continue
        c_err, cli_err = "error" in c, "error" in cli
        if c_err and cli_err:
            print(f"ok   {f}: refused by both")
            continue
        if c_err != cli_err:
            print(f"FAIL {f}: example {c}, CLI {cli}")
            failures += 1
            continue
        diffs = [
            f"{k}: example {c.get(k, '<missing>')!r}, CLI {cli.get(k, '<missing>')!r}"
            for k in sorted(set(c) | set(cli))
            if c.get(k, KeyError) != cli.get(k, KeyError)
        ]
        if diffs:
            print(f"FAIL {f}:\n  " + "\n  ".join(diffs))
            failures += 1
        else:
            compared += 1
            print(f"ok   {f}: {c['verdict']} ({c['cause']}) at {c['decided_at']} s, "
                  f"{len(c)} fields equal")
    if (c_rc == 2) != (cli_rc == 2):
        print(f"FAIL exit status: example {c_rc}, CLI {cli_rc}")
        failures += 1
    if compared == 0:
        print("FAIL no file was analysed by both")
        failures += 1
    print(f"{compared} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
