"""The close of `make test`: the 20 slowest tests over every pytest log given, and one line
with the totals ("total: N passed, N failed", errors counted as failed)."""

import re
import sys

SLOW = re.compile(r"^\s*(\d+\.\d+)s (call|setup|teardown)\s+(\S+)")
COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|deselected|xfailed|xpassed)")


def main(paths):
    slowest, totals = [], {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
        slowest += [(float(m[1]), m[2], m[3]) for m in map(SLOW.match, lines) if m]
        finals = [line for line in lines if line.startswith("=") and " in " in line]
        for number, kind in COUNT.findall(finals[-1] if finals else ""):
            kind = "failed" if kind.startswith("error") else kind
            totals[kind] = totals.get(kind, 0) + int(number)
    print("== the 20 slowest tests of the run")
    for seconds, phase, test in sorted(slowest, reverse=True)[:20]:
        print(f"{seconds:8.2f}s {phase:<8} {test}")
    line = f"total: {totals.get('passed', 0)} passed, {totals.get('failed', 0)} failed"
    if totals.get("skipped"):
        line += f", {totals['skipped']} skipped"
    print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
