"""After `make test`: one durations file for the next split from the two groups' files.

Each group started from a copy of tests/.test_durations and stored the durations of the tests
it ran (pytest-split's --store-durations); a test's new figure is the one that differs from
the committed file. Usage:
merge_durations.py COMMITTED GROUP1 GROUP2 OUT"""

import json
import sys


def main(committed_path, *group_paths, out):
    with open(committed_path) as f:
        committed = json.load(f)
    merged = {}
    for path in group_paths:
        with open(path) as f:
            group = json.load(f)
        for test, seconds in group.items():
            if test not in merged or seconds != committed.get(test):
                merged[test] = seconds
    with open(out, "w") as f:
        json.dump(merged, f, sort_keys=True, indent=4)
        f.write("\n")
    print(f"== durations of {len(merged)} tests for the next split: {out}")


if __name__ == "__main__":
    *paths, out = sys.argv[1:]
    main(*paths, out=out)
