#!/usr/bin/env python3
"""Run SQL statements in chdb (an in-process current ClickHouse engine).

Reads JSON from stdin: {"statements": ["...", ...]}. Runs them in order in one session and
prints JSON: {"version": "...", "results": [text-or-null, ...]}. A statement that returns rows
should end in FORMAT JSONEachRow; its text is returned as-is. Used by the tests to check that
the migrations and the read-path SQL also work on modern ClickHouse, not only on 18.16.
"""
import json
import sys

from chdb import session


def main() -> int:
    req = json.load(sys.stdin)
    s = session.Session()
    out = {"version": str(s.query("SELECT version()", "TSV")).strip(), "results": []}
    for i, stmt in enumerate(req["statements"]):
        try:
            r = s.query(stmt)
        except Exception as e:  # report which statement failed, with the server's message
            out["error"] = {"index": i, "statement": stmt[:500], "message": str(e)}
            break
        text = str(r) if r is not None else ""
        out["results"].append(text)
    json.dump(out, sys.stdout)
    return 1 if "error" in out else 0


if __name__ == "__main__":
    sys.exit(main())
