#!/usr/bin/env python3
"""Rewrite a table's known-failures file from a pytest run of its table test.

    scripts/known_failures.py tests/test_events.py tests/tables/events_known_failures.yaml

Keeps the reasons already written for cases that still fail, adds new failing cases with
the assertion pytest printed (what is missed, misread or spurious), and drops the cases
that now pass. Cases are keyed by their stable id (the test's parameter id; tables that
still number their cases are keyed by number). Run it after a change; review the diff;
never use it to hide a regression (the quality gate's floors stay as they are).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml


def main(test_file: str, known_file: str) -> int:
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", test_file, "-p", "no:randomly",
                          "--runxfail", "-rf", "--tb=no", "-vv"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "2000"})
    old = yaml.safe_load(Path(known_file).read_text(encoding="utf-8")) or {}
    found: dict[str, dict[int, str]] = {}
    for line in run.stdout.splitlines():
        m = re.match(r"FAILED \S+::(test_\w+)\[(.+?)\](?: - (.*))?$", line)
        if not m:
            continue
        section = "demonyms" if "demonym" in m.group(1) else "cases"
        numbered = re.match(r"(\d+)-", m.group(2))
        key = int(numbered.group(1)) if numbered else m.group(2)
        printed = (m.group(3) or "").removeprefix("AssertionError: ").strip()
        reason = (old.get(section) or {}).get(key) or printed[:300] or "fails"
        found.setdefault(section, {})[key] = reason
    for section in old:
        found.setdefault(section, {})
    header = ("# Table cases not right yet (id -> why). They run as strict xfails: a case that\n"
              "# starts passing fails the suite until it is removed here (scripts/known_failures.py).\n")
    Path(known_file).write_text(header + yaml.safe_dump(found, allow_unicode=True, sort_keys=True, width=220),
                                encoding="utf-8")
    print({k: len(v) for k, v in found.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
