#!/usr/bin/env python3
"""CLI contract tests for `pertoken`: exit codes, messages that name the flag or JSON path, the
JSON keys other front ends depend on, and the table/CSV formats. Usage: cli_test.py PERTOKEN FIXTURES"""
import csv
import io
import json
import math
import subprocess
import sys

PERTOKEN, FIXTURES = sys.argv[1], sys.argv[2]
CONTRACT_KEYS = """fits limit_reason weights_bytes_per_gpu kv_cache_bytes_per_gpu kv_cache_bytes_per_token
memory_capacity_bytes_per_gpu max_concurrency concurrency ttft_seconds tpot_seconds
e2e_latency_seconds output_tokens_per_second output_tokens_per_second_per_gpu
input_tokens_per_second tokens_per_second_per_user requests_per_second decode_bound usd_per_hour
usd_per_million_tokens usd_per_million_input_tokens usd_per_million_output_tokens
joules_per_output_token breakdown""".split()
BREAKDOWN_PARTS = ["weight_reads_seconds", "kv_reads_seconds", "compute_seconds",
                   "communication_seconds", "overhead_seconds", "total_seconds"]

failures = []
checks = 0


def run(*args):
    p = subprocess.run([PERTOKEN, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def fixture(name):
    return f"{FIXTURES}/{name}"


# --- estimate: the JSON contract ---------------------------------------------------------------
code, out, err = run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json")
check(code == 0, f"estimate --format json exits 0 (got {code}: {err})")
result = json.loads(out)
for key in CONTRACT_KEYS:
    check(key in result, f"JSON result has key {key}")
for step in ("prefill", "decode_step"):
    for part in BREAKDOWN_PARTS:
        check(isinstance(result["breakdown"][step].get(part), (int, float)),
              f"breakdown.{step}.{part} is a number")
check(result["fits"] is True, "8B fits one H100")
check(result["decode_bound"] in ("memory_bandwidth", "compute", "communication", "overhead"),
      "decode_bound is one of the documented values")
for key, value in result.items():
    if isinstance(value, float):
        check(math.isfinite(value) and value >= 0, f"{key} is finite and >= 0")

# --- defaults: tp defaults to the GPU count; price to the catalog's reference ---------------------
code, out, _ = run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "4",
                   "--format", "json")
r = json.loads(out)
check(r["scenario"]["tp"] == 4, "tp defaults to --gpus")
check(r["scenario"]["usd_per_gpu_hour"] > 0, "the price defaults to the catalog reference")

# --- does not fit: still exit 0, fits false ----------------------------------------------------
code, out, err = run("estimate", "--model", "llama-3.1-405b", "--gpu", "l4", "--format", "json")
check(code == 0, "a model that does not fit still exits 0")
r = json.loads(out)
check(r["fits"] is False and r["limit_reason"] == "weights_exceed_memory",
      "405B on one L4 does not fit, limited by weights")

# --- bad input: exit 2 with one line naming the flag ---------------------------------------------
def bad(args, expected_fragment, label):
    code, out, err = run(*args)
    lines = [l for l in err.splitlines() if l.strip()]
    check(code == 2, f"{label}: exit 2 (got {code})")
    check(len(lines) >= 1 and expected_fragment in lines[0],
          f"{label}: message names it: expected '{expected_fragment}' in {lines[:1]}")
    check(out == "", f"{label}: nothing on stdout")

base = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm"]
bad(base + ["--tp", "3", "--gpus", "8"], "--tp: tp x pp = 3 must divide num_gpus = 8", "tp not dividing")
bad(base + ["--gpus", "64"], "--tp", "tp larger than the heads allow")
bad(base + ["--tp", "abc"], "--tp: must be a number, got 'abc'", "non-numeric tp")
bad(base + ["--input-tokens", "-5"], "--input-tokens", "negative tokens")
bad(base + ["--output-tokens", "100000000000"], "--output-tokens", "absurd token count")
bad(base + ["--gpus", "0"], "--gpus: must be > 0", "zero GPUs")
bad(base + ["--weights", "fp6"], "--weights: must be one of fp32, bf16, fp16, fp8, int8, int4, fp4",
    "unknown precision")
bad(["estimate", "--model", "gpt-5", "--gpu", "h100-sxm"], "--model: unknown model 'gpt-5'",
    "unknown model id")
bad(["estimate", "--model", "llama-3.1-8b", "--gpu", "h900"], "--gpu: unknown gpu 'h900'",
    "unknown gpu id")
bad(["estimate", "--gpu", "h100-sxm"], "--model", "missing model")
bad(base + ["--concurrency", "lots"], "--concurrency", "bad concurrency")
bad(base + ["--format", "xml"], "--format", "bad format")
bad(base + ["--frobnicate", "1"], "--frobnicate", "unknown flag")
bad(["frobnicate"], "unknown command", "unknown command")
bad(["estimate", "--scenario", fixture("scenario_unknown_key.json")], "/batch_size: unknown key",
    "unknown key in a scenario file")
bad(["estimate", "--scenario", fixture("scenario_malformed.json")], "not valid JSON",
    "malformed scenario JSON")
bad(["estimate", "--scenario", fixture("does-not-exist.json")], "--scenario: cannot read",
    "missing scenario file")
bad(base + ["--catalog", fixture("bad_catalog.json")], "/gpus/3/memory_gib: must be > 0",
    "bad --catalog")

# --- model-depth flags ---------------------------------------------------------------------
code, out, err = run(*base, "--speculative", "eagle", "--acceptance-rate", "0.6:0.8", "--format", "json")
r = json.loads(out) if code == 0 else {}
check(code == 0 and r["scenario"]["acceptance_rate"] == [0.6, 0.8], f"--acceptance-rate LOW:HIGH ({err})")
check(code == 0 and len(r["uncertainty"]["output_tokens_per_second"]) == 2, "uncertainty bands in the JSON")
code, out, err = run(*base, "--batching", "static", "--kv-layout", "contiguous", "--chunked-prefill",
                     "off", "--prefix-cache-hit", "0.5", "--format", "json")
r = json.loads(out) if code == 0 else {}
check(code == 0 and r["scenario"]["batching"] == "static" and r["scenario"]["kv_layout"] == "contiguous"
      and r["scenario"]["chunked_prefill"] is False, f"batching/kv-layout/chunked-prefill flags ({err})")
bad(base + ["--acceptance-rate", "1.2", "--speculative", "mtp"], "--acceptance-rate", "acceptance above 1")
bad(base + ["--speculative", "draft:llama-2-7b"], "different vocabulary", "draft with another vocabulary")
bad(base + ["--chunked-prefill", "maybe"], "--chunked-prefill: must be on or off", "bad on/off")
bad(base + ["--batching", "dynamic"], "--batching", "bad batching")
bad(["estimate", "--model", "mixtral-8x7b", "--gpu", "h100-sxm", "--gpus", "6", "--tp", "1", "--ep", "3"],
    "--ep: ep = 3 must divide the 8 experts of mixtral-8x7b", "ep not dividing the experts")

# --- validate and calibrate ---------------------------------------------------------------
code, out, _ = run("validate", "--format", "json")
v = json.loads(out)
check(code == 0 and v["rows"] >= 29 and v["rows_failed"] == 0, "validate runs the calibration set")
check(v["median_absolute_percent_error"] <= 15 and v["share_within_25_percent"] >= 0.8,
      "validate meets the error target on the calibration set")
code, out, _ = run("validate")
check(code == 0 and "median absolute error" in out and "within +-25%" in out, "validate prints its summary")
code, out, err = run("calibrate", "calibration")
overlay = json.loads(out) if code == 0 else {}
check(code == 0 and "memory_bandwidth_fraction" in overlay.get("efficiency", {}), "calibrate writes an overlay")
check("before:" in err and "after:" in err, "calibrate reports the error before and after")
bad(["validate", fixture("bad_catalog.json")], "header lacks the column", "validate with a non-CSV file")

# --- scenario file, flags override it -------------------------------------------------------
code, out, err = run("estimate", "--scenario", fixture("scenario.json"), "--format", "json")
check(code == 0, f"a scenario file runs ({err})")
from_file = json.loads(out)
check(from_file["scenario"]["concurrency"] == 64 and from_file["scenario"]["num_gpus"] == 2,
      "scenario file fields are used")
code, out, _ = run("estimate", "--scenario", fixture("scenario.json"), "--concurrency", "8",
                   "--format", "json")
check(json.loads(out)["scenario"]["concurrency"] == 8, "a flag overrides the scenario file")

# --- user catalog extends the built-in one ---------------------------------------------------
code, out, err = run("estimate", "--catalog", fixture("good_catalog.json"), "--model",
                     "llama-3.1-8b", "--gpu", "my-accelerator", "--format", "json")
check(code == 0 and json.loads(out)["scenario"]["gpu"] == "my-accelerator",
      f"a --catalog GPU can be estimated ({err})")

# --- table and CSV --------------------------------------------------------------------------
code, out, _ = run(*base)
check(code == 0 and "time to first token" in out and "tokens/s" in out and "GiB" in out,
      "the table shows labelled values with units")
check(any("," in token and token.replace(",", "").isdigit() for token in out.split()),
      "the table uses thousands separators")
code, out, _ = run(*base, "--format", "csv")
rows = list(csv.reader(io.StringIO(out)))
check(code == 0 and len(rows) == 2 and "ttft_seconds" in rows[0] and len(rows[0]) == len(rows[1]),
      "CSV has a header row and a value row")
csv_row = dict(zip(rows[0], rows[1]))
check(abs(float(csv_row["output_tokens_per_second"]) - result["output_tokens_per_second"]) < 1e-6 * result["output_tokens_per_second"],
      "CSV and JSON agree")

# --- list ----------------------------------------------------------------------------------
code, out, _ = run("list", "gpus", "--format", "json")
gpus = json.loads(out)
check(code == 0 and any(g["id"] == "h100-sxm" for g in gpus), "list gpus --format json")
check(all("sources" in g for g in gpus), "list gpus carries sources")
code, out, _ = run("list", "models")
check(code == 0 and "llama-3.1-405b" in out, "list models table")
code, out, _ = run("list", "models", "--format", "csv")
check(code == 0 and out.splitlines()[0].startswith("id,"), "list models csv")
bad(["list", "cats"], "gpus or models", "list of an unknown kind")

# --- validate-catalog ------------------------------------------------------------------------
code, out, err = run("validate-catalog", fixture("bad_catalog.json"))
check(code == 2, "validate-catalog exits 2 on a bad catalog")
check(f"{fixture('bad_catalog.json')}: /gpus/3/memory_gib: must be > 0" in err,
      f"validate-catalog prints FILE: /path: message ({err.strip()})")
code, out, err = run("validate-catalog", fixture("good_catalog.json"))
check(code == 0 and "ok: 1 gpus" in out, "validate-catalog accepts a good catalog")
bad(["validate-catalog"], "give one catalog FILE", "validate-catalog without a file")

# --- help and version ------------------------------------------------------------------------
code, out, _ = run("--help")
check(code == 0, "--help exits 0")
for flag in ["--scenario", "--catalog", "--model", "--gpu", "--gpus", "--tp", "--pp", "--ep",
             "--weights", "--kv-cache", "--input-tokens", "--output-tokens", "--concurrency",
             "--usd-per-gpu-hour", "--format"]:
    check(flag in out, f"--help documents {flag}")
check("[2000]" in out and "[500]" in out and "[max" in out, "--help shows defaults")
code, out, _ = run("--version")
check(code == 0 and out.startswith("pertoken "), "--version")

print(f"cli: {checks - len(failures)} of {checks} checks passed")
sys.exit(1 if failures else 0)
