#!/usr/bin/env python3
"""How well does the documented fit predict a source it has not seen? Cross-validation on the
calibration set alone, by source, so that model changes and the fit's prior weight can be judged
without spending the holdout.

`pertoken calibrate --from-priors` fits ~35 factors (the shared ones and each engine's
multipliers) to ~100 rows, pulled toward the physical priors by a penalty of weight w
(CalibrationOptions::prior_weight). Rows from one page or run share its engine build, lengths and
habits, so a fit scored on rows of sources it was fitted on looks better than it will on a new
source. Here every fold's rows come from sources the fit never saw, as a user's deployment would.

The rule, fixed before any fit was run (2026-12-04):
  * rows: the calibration set (assets/calibration/measured.csv + moe_calibration.csv);
  * folds: 5, grouped by source_url so that rows of one page or run never sit on both sides;
    groups are dealt largest first to the fold with the fewest rows (ties: lowest fold index),
    sources in order of size, then URL, so the split is deterministic;
  * score: the fit's own data loss, mean min(|ln(predicted / measured)|, 1), over every held-out
    row (a row without a prediction scores 1); for the prior weight, the lowest score wins.

Usage: scripts/cross_validate_fit.py [path/to/pertoken] [--weights 0.05,0.2] [--jobs 2]
Prints per weight its score (and each fold's), then the rows left out summarised as
`pertoken validate` does: all, dense and MoE. Takes ~2 minutes per weight on 2 cores."""
import argparse
import csv
import json
import math
import statistics
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sets = [root / "assets/calibration/measured.csv", root / "assets/calibration/moe_calibration.csv"]
fold_count = 5
time_metrics = {"ttft_seconds", "tpot_seconds", "e2e_latency_seconds"}


def read_rows():
    header = None
    rows = []
    for path in sets:
        with path.open(newline="") as f:
            reader = csv.reader(f)
            this_header = next(reader)
            if header is None:
                header = this_header
            elif this_header != header:
                raise SystemExit(f"{path}: columns differ from {sets[0]}")
            rows.extend(reader)
    return header, rows


def group_folds(header, rows):
    url = header.index("source_url")
    sizes = {}
    for row in rows:
        sizes[row[url]] = sizes.get(row[url], 0) + 1
    fold_rows = [0] * fold_count
    fold_of = {}
    for source in sorted(sizes, key=lambda s: (-sizes[s], s)):
        fold = min(range(fold_count), key=lambda k: (fold_rows[k], k))
        fold_of[source] = fold
        fold_rows[fold] += sizes[source]
    return [fold_of[row[url]] for row in rows]


def write_csv(path, header, rows):
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def fit_and_score(binary, workdir, header, rows, folds, fold, weight, moe_models):
    train = workdir / f"train_{fold}_{weight}.csv"
    test = workdir / f"test_{fold}_{weight}.csv"
    fitted = workdir / f"fit_{fold}_{weight}.json"
    write_csv(train, header, [r for r, k in zip(rows, folds) if k != fold])
    write_csv(test, header, [r for r, k in zip(rows, folds) if k == fold])
    subprocess.run([binary, "calibrate", str(train), "--from-priors", "--prior-weight",
                    str(weight), "--output", str(fitted)], check=True, capture_output=True)
    run = subprocess.run([binary, "validate", str(test), "--catalog", str(fitted), "--format",
                          "json"], capture_output=True, text=True)
    return [{"family": "moe" if r["model"] in moe_models else "dense", "metric": r["metric"],
             "measured": r["measured"], "predicted": r.get("predicted")}
            for r in json.loads(run.stdout)["results"]]


def loss_term(row):
    predicted = row["predicted"]
    if not predicted or predicted <= 0:
        return 1.0
    return min(abs(math.log(predicted / row["measured"])), 1.0)


# The summary `pertoken validate` prints (core/src/validation/validation.cpp, summarize): a row
# without a prediction counts as 100% off; the speed ratio inverts the time metrics.
def summary(rows):
    errors, logs = [], []
    for row in rows:
        predicted = row["predicted"]
        if not predicted or predicted <= 0:
            errors.append(100.0)
            continue
        errors.append(abs(predicted / row["measured"] - 1) * 100)
        log_ratio = math.log(predicted / row["measured"])
        logs.append(-log_ratio if row["metric"] in time_metrics else log_ratio)
    within = sum(e <= 25 for e in errors) / len(errors)
    ratio = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    return (f"{len(rows)} rows, median absolute error {statistics.median(errors):.1f}%, "
            f"within +-25%: {within:.0%}, geometric-mean speed ratio {ratio:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=str(root / "build/native/pertoken"))
    parser.add_argument("--weights", default="0.05")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    models = json.loads(subprocess.run([args.binary, "list", "models", "--format", "json"],
                                       capture_output=True, text=True, check=True).stdout)
    moe_models = {m["id"] for m in models if m.get("moe")}  # ids of models with experts
    header, rows = read_rows()
    folds = group_folds(header, rows)
    print("fold rows:", [folds.count(k) for k in range(fold_count)])
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        workdir = Path(tmp)
        jobs = {(w, k): pool.submit(fit_and_score, args.binary, workdir, header, rows, folds, k, w,
                                     moe_models)
                for w in weights for k in range(fold_count)}
        for w in weights:
            scored = [jobs[(w, k)].result() for k in range(fold_count)]
            every = [row for fold_rows in scored for row in fold_rows]
            loss = sum(map(loss_term, every)) / len(every)
            per_fold = " ".join(f"{sum(map(loss_term, f)) / len(f):.3f}" for f in scored)
            print(f"prior weight {w:g}: held-out loss {loss:.4f} (by fold {per_fold})")
            print(f"  all: {summary(every)}")
            for family in ("dense", "moe"):
                group = [row for row in every if row["family"] == family]
                if group:
                    print(f"  {family}: {summary(group)}")

if __name__ == "__main__":
    main()
