#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and tests everything —
# native (release) with the CLI and validation tests, ASan/UBSan, WebAssembly under Node with a
# native-vs-wasm parity check, formatting, a bounded libFuzzer run, and the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs acorn from here
fuzz_seconds="${PERTOKEN_FUZZ_SECONDS:-60}"

step() { printf '\n== %s ==\n' "$*"; }
started=$(date +%s)

bash scripts/setup.sh

step "native build and tests"
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native

step "desktop app under Xvfb: screenshots, --print-result vs the CLI, exports, bad files"
bash tests/app/app_test.sh build/native

step "formatting (clang-format --dry-run -Werror)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
echo "format: ok"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan
echo "the desktop app's scripted run under ASan/UBSan:"
bash tests/app/app_test.sh build/asan

step "WebAssembly (emscripten) tests under Node"
cmake --preset wasm >/dev/null
cmake --build --preset wasm
ctest --preset wasm

step "parity: native vs WebAssembly results"
build/native/tests/core/parity_dump > build/parity_native.jsonl
node build/wasm/tests/core/parity_dump.js > build/parity_wasm.jsonl
python3 tests/parity/compare_parity.py build/parity_native.jsonl build/parity_wasm.jsonl

step "planner search: native vs WebAssembly (same request, same machine)"
native_line=$(build/native/tests/core/plan_timing)
wasm_line=$(node build/wasm/tests/core/plan_timing.js)
echo "native: $native_line"
echo "wasm:   $wasm_line"
python3 -c "import re,sys; n=float(re.search(r'median ([0-9.]+)', sys.argv[1]).group(1)); w=float(re.search(r'median ([0-9.]+)', sys.argv[2]).group(1)); print(f'wasm / native: {w/n:.2f}x')" "$native_line" "$wasm_line"

step "libFuzzer over catalog, scenario and CSV parsing (${fuzz_seconds} s)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target parse_fuzz
mkdir -p build/fuzz/corpus
build/fuzz/tests/fuzz/parse_fuzz -max_total_time="$fuzz_seconds" -print_final_stats=1 \
  build/fuzz/corpus tests/fuzz/corpus 2>&1 | grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done)'
echo "fuzz: no finding in ${fuzz_seconds} s"

step "benchmarks (Google Benchmark; medians of 5 repetitions)"
build/native/tests/bench/estimate_bench --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E 'median|Benchmark|---'

step "web calculator: build, browser tests (Playwright + Chromium), budgets"
bash scripts/web_test.sh

step "validation against published measurements"
build/native/pertoken validate | tail -1
build/native/pertoken validate holdout | tail -1

echo
echo "all tests passed in $(( $(date +%s) - started )) s"
