#!/usr/bin/env python3
"""scripts/cross_validate_fit.py: its split rule and its predictions file, against hand-derived
values (the summary is the core's: cli_test.py checks `validate --predictions`).
Usage: cross_validate_test.py path/to/scripts/cross_validate_fit.py"""
import importlib.util
import sys

sys.dont_write_bytecode = True  # importing the script must not leave scripts/__pycache__ behind

spec = importlib.util.spec_from_file_location("cross_validate_fit", sys.argv[1])
cv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cv)
failures = []


def check(condition, label):
    if not condition:
        failures.append(label)


# Sources of 5, 3, 3, 2, 1 and 1 rows dealt largest first to the emptiest of 5 folds: each of the
# first five opens a fold, the sixth joins the fold holding the 1-row source (the emptiest).
header = ["id", "source_url"]
sizes = {"a": 5, "b": 3, "c": 3, "d": 2, "e": 1, "f": 1}
rows = [[f"{s}{i}", s] for s, n in sizes.items() for i in range(n)]
folds = cv.group_folds(header, rows)
fold_of_source = {}
for row, fold in zip(rows, folds):
    fold_of_source.setdefault(row[1], set()).add(fold)
check(all(len(f) == 1 for f in fold_of_source.values()), "a source never sits in two folds")
check({s: f.pop() for s, f in fold_of_source.items()} == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4,
                                                          "f": 4},
      "sources are dealt largest first to the emptiest fold")
check(cv.group_folds(header, list(reversed(rows))) == list(reversed(folds)),
      "the split does not depend on the rows' order")

# The shipped calibration set: every source on one side, no fold far from a fifth of the rows.
header, rows = cv.read_rows()
folds = cv.group_folds(header, rows)
url = header.index("source_url")
check(all(len({k for r, k in zip(rows, folds) if r[url] == u}) == 1 for u in {r[url] for r in rows}),
      "calibration set: no source in two folds")
check(all(0.1 * len(rows) <= folds.count(k) <= 0.3 * len(rows) for k in range(cv.fold_count)),
      f"calibration set: every fold holds 10-30% of the rows ({[folds.count(k) for k in range(5)]})")

# The out-of-source predictions the bands use name every calibration row once, and only those.
shipped = (cv.root / "assets/calibration/cross_validated.csv").read_text().splitlines()
ids = [line.split(",")[0] for line in shipped[1:]]
check(shipped[0] == "id,out_of_source_predicted", "cross_validated.csv: its header")
check(sorted(ids) == sorted(r[0] for r in rows) and len(set(ids)) == len(ids),
      "cross_validated.csv: one line per calibration row")
check(cv.compare_predictions("id,p\nA,1.0\nB,\n", "id,p\nA,1.0005\nB,\n") == [],
      "predictions within 0.1% agree")
check(len(cv.compare_predictions("id,p\nA,1.0\nB,\n", "id,p\nA,1.01\nB,2\nC,1\n")) == 3,
      "a moved prediction, a new one and a new row are each reported")

for f in failures:
    print("FAIL:", f)
print(f"cross_validate: {'all checks passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
