#!/usr/bin/env bash
# Builds the web calculator into site/dist: the WebAssembly core (CMake preset `wasm`, targets
# pertoken_web and pertoken_plan_web, the planner's module) and the site bundle
# (scripts/web_build.mjs, esbuild), then the calculator's answer bar for the bare URL prerendered
# into index.html by the built page itself in Chromium (scripts/web_prerender.mjs). Used by
# `make run` and by scripts/web_test.sh. Needs what scripts/setup.sh installs (emscripten,
# node_modules, chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs acorn from here

if [ ! -d node_modules/esbuild ]; then
  echo "web_build: node_modules is missing; run scripts/setup.sh (it runs npm ci)" >&2
  exit 2
fi
cmake --preset wasm >/dev/null
targets=(pertoken_web pertoken_plan_web)
# pertoken-app in the browser (/app/), when setup fetched Dear ImGui's sources (web/CMakeLists.txt).
[ -f build/deps/imgui/imgui.cpp ] && targets+=(pertoken_app_web)
cmake --build --preset wasm --target "${targets[@]}" | grep -v '^\[' || true
test -f build/wasm/web/pertoken.wasm
test -f build/wasm/web/pertoken-plan.wasm
node scripts/web_build.mjs
node scripts/web_prerender.mjs
