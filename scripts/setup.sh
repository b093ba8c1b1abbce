#!/usr/bin/env bash
# Installs what pertoken needs on Debian 12, and only what is missing (safe to run again).
# Debian packages only; no network at configure or build time beyond the package registries.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3   # build
  nlohmann-json3-dev                         # the core's JSON
  catch2 libbenchmark-dev                    # tests and benchmarks
  clang libclang-rt-14-dev clang-format      # libFuzzer, formatting check
  emscripten binaryen                        # the WebAssembly build (brings clang-14, node-acorn; wasm-opt)
  chromium fonts-dejavu-core                 # the web calculator's browser tests (Playwright drives it)
  libimgui-dev libglfw3-dev                  # the desktop app (fonts-dejavu-core: its embedded font)
  xvfb xauth imagemagick                     # the app's tests: a virtual display, PNG checks
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js runs the WebAssembly tests; any nodejs package (Debian's or NodeSource's) will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The site's npm packages (esbuild, uPlot, TypeScript, Playwright, axe-core), only when
# node_modules is missing or package-lock.json changed since the last install. Playwright uses
# Debian's /usr/bin/chromium: never `playwright install`.
cd "$(dirname "$0")/.."
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.pertoken-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.pertoken-lock
fi
# Dear ImGui's sources for the browser build of the desktop app (Debian's source package, into
# build/deps/imgui; never committed). Only once: the script returns at once when they are there.
bash scripts/fetch_imgui_source.sh
echo "setup: ok"
