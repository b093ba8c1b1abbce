#!/usr/bin/env bash
# Architecture boundaries (DEVELOPERS.md): the core does no I/O and includes no platform headers;
# Emscripten appears only in web/; GLFW/OpenGL only in native/. Exits 1 listing each violation.
set -u
root="${1:?usage: check_boundaries.sh REPO_ROOT}"
cd "$root" || exit 1
status=0
report() { echo "boundary violation: $1"; echo "$2" | sed 's/^/  /'; status=1; }

hits=$(grep -rnE '#include <(fstream|iostream|filesystem|thread|chrono|cstdio>.*fopen)|std::(ifstream|ofstream|fstream|filesystem|thread|cout|cerr)|\b(fopen|freopen|popen|getenv)\(' core/ 2>/dev/null)
[ -n "$hits" ] && report "file/console I/O, threads or clocks in core/" "$hits"

hits=$(grep -rniE "emscripten" core/ native/ tests/core/*.cpp tests/core/*.hpp 2>/dev/null)
[ -n "$hits" ] && report "emscripten outside web/" "$hits"

hits=$(grep -rnE '#include [<"](GLFW/|GL/|imgui)' core/ web/ 2>/dev/null)
[ -n "$hits" ] && report "GLFW/OpenGL/ImGui outside native/" "$hits"

hits=$(grep -rnE '#include [<"]pertoken/' core/include 2>/dev/null | grep -vE '#include "pertoken/([a-z_]+/)?[a-z_]+\.hpp"')
[ -n "$hits" ] && report "odd includes in core's public headers" "$hits"

[ $status -eq 0 ] && echo "boundaries: ok (core: no I/O or platform headers; emscripten only in web/; GLFW/GL only in native/)"
exit $status
