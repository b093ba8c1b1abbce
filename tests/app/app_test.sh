#!/usr/bin/env bash
# pertoken-app end to end, under Xvfb: screenshots of two scenarios are PNGs of the window's size
# whose panels are not blank; --print-result and the exports equal the CLI's JSON; bad files
# (malformed or invalid catalog, unknown ids, a 50 MB file) are reported and never crash the app.
# Usage: tests/app/app_test.sh BUILD_DIR [OUT_DIR]   (BUILD_DIR holds pertoken and pertoken-app;
# with build/asan it is the scripted AddressSanitizer run). Exits 1 at the first failure.
set -euo pipefail
# One X server (Xvfb) for every run of the app below: the script runs itself under xvfb-run.
if [ -z "${PERTOKEN_APP_TEST_XVFB:-}" ]; then
  PERTOKEN_APP_TEST_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" "$@"
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:?usage: app_test.sh BUILD_DIR [OUT_DIR]}"
out="${2:-$build/app-test}"
app="$build/pertoken-app"
cli="$build/pertoken"
fixtures="$root/tests/app/fixtures"
[ -x "$app" ] || { echo "app: $app is not built (libimgui-dev and libglfw3-dev missing?)"; exit 1; }
rm -rf "$out" && mkdir -p "$out"
# No remembered scenario is read or written outside the test folder.
export XDG_CONFIG_HOME="$out/config"
# The GL stack (Mesa, X11) keeps a few allocations past exit (LeakSanitizer saw 112 bytes in two
# calloc blocks with no frame of ours), so leak detection is off for the app under ASan. Every
# other ASan/UBSan check stays on and aborts.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
xvfb() { "$@"; }  # DISPLAY is the Xvfb server of this run
fail() { echo "app: FAILED: $*"; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "app: ok: $*"; }

# Standard deviation of a region's grey levels (0..1); a flat region gives 0.
stddev() { convert "$1" -crop "$2" +repage -colorspace gray -format '%[fx:standard_deviation]' info:; }

# 1. Screenshots of two scenarios.
for name in llama70b-h200-fp8 mixtral-h100-rate; do
  png="$out/$name.png"
  xvfb "$app" --scenario "$fixtures/$name.json" --screenshot "$png" > "$out/$name.log" 2>&1 ||
    { cat "$out/$name.log"; fail "$name: the app exited with $?"; }
  size=$(identify -format '%wx%h' "$png")
  [ "$size" = "1280x800" ] || fail "$name: the screenshot is $size, not the window's 1280x800"
  whole=$(stddev "$png" 1280x800+0+0)
  # The panels of the calculator at 1280x800: the inputs (left), the results (top right) and the
  # charts (bottom right). Each must show something (text, lines, bars), not a flat fill.
  inputs=$(stddev "$png" 300x600+10+80)
  results=$(stddev "$png" 900x280+360+60)
  charts=$(stddev "$png" 900x380+360+400)
  echo "app: $name.png $size, $(stat -c %s "$png") bytes; grey-level deviation: whole $whole, inputs $inputs, results $results, charts $charts"
  for region in whole inputs results charts; do
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.03 else 1)" "${!region}" ||
      fail "$name: the $region region is blank (deviation ${!region})"
  done
  ok "$name: screenshot of the window's size with non-blank panels"
done

# A smaller window in the light theme: the layout follows the window's size.
xvfb "$app" --scenario "$fixtures/mixtral-h100-rate.json" --size 960x640 --theme light \
  --screenshot "$out/small-light.png" > "$out/small-light.log" 2>&1 || { cat "$out/small-light.log"; fail "small window: exit $?"; }
[ "$(identify -format '%wx%h' "$out/small-light.png")" = "960x640" ] || fail "small window: not 960x640"
small=$(stddev "$out/small-light.png" 960x640+0+0)
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.03 else 1)" "$small" || fail "small window: blank ($small)"
ok "960x640 light theme: a screenshot of that size, not blank (deviation $small)"

# 2. --print-result equals the CLI's JSON for the same scenario.
for name in llama70b-h200-fp8 mixtral-h100-rate; do
  "$app" --scenario "$fixtures/$name.json" --print-result > "$out/$name.app.json"
  "$cli" estimate --scenario "$fixtures/$name.json" --format json > "$out/$name.cli.json"
  cmp -s "$out/$name.app.json" "$out/$name.cli.json" ||
    { diff "$out/$name.app.json" "$out/$name.cli.json" | head -5; fail "$name: --print-result differs from pertoken estimate"; }
  ok "$name: --print-result equals 'pertoken estimate --format json' ($(wc -c < "$out/$name.app.json") bytes)"
done

# 3. A scripted run: planner view, 30 frames, then the exports, which equal the CLI's output.
xvfb "$app" --scenario "$fixtures/llama70b-h200-fp8.json" --view planner --frames 30 \
  --export "$out/export" > "$out/export.log" 2>&1 || { cat "$out/export.log"; fail "scripted run exited with $?"; }
cmp -s "$out/export/result.json" "$out/llama70b-h200-fp8.cli.json" || fail "exported result.json differs from the CLI's"
"$cli" estimate --scenario "$fixtures/llama70b-h200-fp8.json" --format csv > "$out/cli.csv"
cmp -s "$out/export/result.csv" "$out/cli.csv" || fail "exported result.csv differs from the CLI's"
for kind in batching memory context gpus; do
  "$cli" sweep "$kind" --scenario "$fixtures/llama70b-h200-fp8.json" --format json > "$out/sweep-$kind.json"
done
python3 - "$out" <<'EOF' || fail "exported charts.json differs from 'pertoken sweep KIND --format json'"
import json, sys
out = sys.argv[1]
charts = json.load(open(f"{out}/export/charts.json"))
for kind in ("batching", "memory", "context", "gpus"):
    if charts[kind] != json.load(open(f"{out}/sweep-{kind}.json")):
        sys.exit(f"{kind} differs")
EOF
grep -q '^# sweep gpus$' "$out/export/charts.csv" || fail "charts.csv lacks the gpus sweep"
ok "scripted run (planner, 30 frames): result.json, result.csv and the four sweeps equal the CLI's"

# The last valid scenario is remembered in the config folder and opens at the next start.
"$app" --scenario "$fixtures/mixtral-h100-rate.json" --frames 3 > "$out/remember.log" 2>&1 || fail "remember: exit $?"
[ -f "$XDG_CONFIG_HOME/pertoken/last-scenario.json" ] || fail "no last-scenario.json in $XDG_CONFIG_HOME/pertoken"
"$app" --frames 3 --export "$out/remembered" > "$out/remembered.log" 2>&1 || fail "remembered: exit $?"
cmp -s "$out/remembered/result.json" "$out/mixtral-h100-rate.cli.json" || fail "the next start did not open the remembered scenario"
ok "the last scenario is remembered ($XDG_CONFIG_HOME/pertoken/last-scenario.json) and reopened"

# 4. Bad files: listed with their JSON paths, the app keeps running (exit 2, a screenshot).
head -c 52428800 /dev/zero | tr '\0' ' ' > "$out/big.json"
check_bad() {  # name, expected text on stderr, app arguments...
  local name="$1" expected="$2"
  shift 2
  local code=0
  xvfb "$app" "$@" --screenshot "$out/$name.png" > "$out/$name.log" 2>&1 || code=$?
  [ "$code" -eq 2 ] || { cat "$out/$name.log"; fail "$name: exit $code (2 expected: problems shown, no crash)"; }
  grep -qF -- "$expected" "$out/$name.log" || { cat "$out/$name.log"; fail "$name: stderr lacks '$expected'"; }
  [ "$(identify -format '%wx%h' "$out/$name.png")" = "1280x800" ] || fail "$name: no screenshot after the problem"
  ok "$name: reported ($expected), the app kept running"
}
check_bad malformed-catalog "/: not valid JSON" --catalog "$fixtures/malformed-catalog.json"
check_bad invalid-catalog "/gpus/0/memory_gib: must be > 0" --catalog "$fixtures/invalid-catalog.json"
check_bad unknown-ids "/model: unknown model 'no-such-model'" --scenario "$fixtures/unknown-ids.json"
check_bad big-scenario "the app opens files up to 16 MiB" --scenario "$out/big.json"
check_bad big-catalog "the app opens files up to 16 MiB" --catalog "$out/big.json"
check_bad missing-file "no such file" --scenario "$out/does-not-exist.json"
rm -f "$out/big.json"
code=0
"$app" --scenario "$fixtures/unknown-ids.json" --print-result > /dev/null 2> "$out/print-bad.log" || code=$?
[ "$code" -eq 2 ] && grep -qF "no-such-model" "$out/print-bad.log" || fail "--print-result of a bad scenario: exit $code"
ok "--print-result of a bad scenario exits 2 naming the problem"

# 5. A Hugging Face config.json imported (--import-model, as File > Import model): the estimate
# equals the CLI's `import-model` + `estimate --catalog`, both by --print-result and in the window
# (its export); a config with a missing key is reported naming it, the app keeps running.
config="$root/tests/core/fixtures/hf/llama-3.1-8b.json"
"$cli" import-model "$config" > "$out/imported-entry.json"
python3 - "$out" <<'EOF_PY'
import json, sys
out = sys.argv[1]
entry = json.load(open(f"{out}/imported-entry.json"))
json.dump({"models": [entry]}, open(f"{out}/imported-catalog.json", "w"))
json.dump({"model": entry["id"], "gpu": "h100-sxm", "input_tokens": 1000, "output_tokens": 200},
          open(f"{out}/imported-scenario.json", "w"))
EOF_PY
python3 -c "import json,sys; c=json.load(open(sys.argv[1])); del c['num_hidden_layers']; json.dump(c, open(sys.argv[2],'w'))" \
  "$config" "$out/config-missing-key.json"
"$cli" estimate --catalog "$out/imported-catalog.json" --scenario "$out/imported-scenario.json" --format json > "$out/imported.cli.json"
"$app" --scenario "$out/imported-scenario.json" --import-model "$config" --print-result > "$out/imported.app.json"
cmp -s "$out/imported.app.json" "$out/imported.cli.json" ||
  { diff "$out/imported.app.json" "$out/imported.cli.json" | head -5; fail "imported model: --print-result differs from the CLI's"; }
xvfb "$app" --import-model "$config" --scenario "$out/imported-scenario.json" --frames 3 --no-remember \
  --export "$out/imported-export" > "$out/imported-window.log" 2>&1 || { cat "$out/imported-window.log"; fail "imported model window: exit $?"; }
cmp -s "$out/imported-export/result.json" "$out/imported.cli.json" || fail "imported model: the window's result differs from the CLI's"
ok "config.json imported (--import-model): the result equals 'pertoken import-model' + 'estimate --catalog'"
check_bad import-missing-key "/num_hidden_layers" --import-model "$out/config-missing-key.json"

# 6. Stale data: a catalog price older than six months is a caveat of the result the app shows
# (its Caveats list draws the result's notes), as the CLI notes it.
python3 - "$root" "$out" <<'EOF_PY'
import json, sys
root, out = sys.argv[1:]
gpus = json.load(open(f"{root}/assets/catalog/gpus.json"))["gpus"]
gpu = next(g for g in gpus if g["id"] == "h100-sxm")
gpu = dict(gpu, id="old-price-h100", name="H100 with an old price")
gpu["reference_usd_per_gpu_hour"] = dict(gpu["reference_usd_per_gpu_hour"], value=2.5, as_of="2020-01")
json.dump({"gpus": [gpu]}, open(f"{out}/old-price-catalog.json", "w"))
json.dump({"model": "llama-3.1-8b", "gpu": "old-price-h100"}, open(f"{out}/old-price-scenario.json", "w"))
EOF_PY
"$app" --scenario "$out/old-price-scenario.json" --catalog "$out/old-price-catalog.json" --print-result > "$out/old-price.app.json"
"$cli" estimate --catalog "$out/old-price-catalog.json" --scenario "$out/old-price-scenario.json" --format json > "$out/old-price.cli.json"
cmp -s "$out/old-price.app.json" "$out/old-price.cli.json" || fail "old price: --print-result differs from the CLI's"
grep -q 'is as of 2020-01, older than 6 months' "$out/old-price.app.json" || fail "old price: no stale-price note in the app's result"
ok "a price as of 2020-01 is noted as older than 6 months in the app's result (and the CLI's)"

echo "app: $passed passed"
