#!/usr/bin/env bash
# Installs what pertoken needs on Debian 12, and only what is missing (safe to run again).
# Debian packages only; no network at configure or build time beyond the package registries.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3   # build
  nlohmann-json3-dev                         # the core's JSON
  catch2 libbenchmark-dev                    # tests and benchmarks
  clang libclang-rt-14-dev clang-format      # libFuzzer, formatting check
  emscripten                                 # the WebAssembly build (brings clang-14, node-acorn)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js runs the WebAssembly tests; any nodejs package (Debian's or NodeSource's) will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: ok"
