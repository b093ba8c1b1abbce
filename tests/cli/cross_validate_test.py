#!/usr/bin/env python3
"""scripts/cross_validate_fit.py: its split rule and its summary, against hand-derived values.
Usage: cross_validate_test.py path/to/scripts/cross_validate_fit.py"""
import importlib.util
import math
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

# The summary is validate's: 10% and 50% off, one row unpredicted (100%); the speed ratio takes
# throughput as predicted / measured and a time as measured / predicted: (1.1 x 2)^(1/2).
text = cv.summary([
    {"metric": "output_tokens_per_second", "measured": 100.0, "predicted": 110.0},
    {"metric": "ttft_seconds", "measured": 1.0, "predicted": 0.5},
    {"metric": "tpot_seconds", "measured": 1.0, "predicted": None},
])
check("3 rows, median absolute error 50.0%" in text, f"median of 10, 50, 100: {text}")
check("within +-25%: 33%" in text, f"one row of three within 25%: {text}")
check(f"speed ratio {math.sqrt(2.2):.2f}" in text, f"speed ratio sqrt(2.2): {text}")
check(cv.loss_term({"measured": 1.0, "predicted": 10.0}) == 1.0, "the loss caps a row at 1")
check(abs(cv.loss_term({"measured": 2.0, "predicted": 1.0}) - math.log(2)) < 1e-12,
      "the loss is |ln(predicted / measured)| below the cap")

for f in failures:
    print("FAIL:", f)
print(f"cross_validate: {'all checks passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
