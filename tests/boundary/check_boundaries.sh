#!/usr/bin/env bash
# Architecture boundaries (README.md, Layout): the core does no I/O and includes no platform headers;
# Emscripten appears only in web/; GLFW/OpenGL only in native/; the web door and the site restate
# no rule that lives in the core. Exits 1 listing each violation.
set -u
root="${1:?usage: check_boundaries.sh REPO_ROOT}"
cd "$root" || exit 1
status=0
report() { echo "boundary violation: $1"; echo "$2" | sed 's/^/  /'; status=1; }

hits=$(grep -rnE '#include <(fstream|iostream|filesystem|thread|chrono|cstdio>.*fopen)|std::(ifstream|ofstream|fstream|filesystem|thread|cout|cerr)|\b(fopen|freopen|popen|getenv)\(' core/ 2>/dev/null)
[ -n "$hits" ] && report "file/console I/O, threads or clocks in core/" "$hits"

hits=$(grep -rniE "emscripten" core/ native/ tests/core/*.cpp tests/core/*.hpp 2>/dev/null)
[ -n "$hits" ] && report "emscripten outside web/" "$hits"

hits=$(grep -rnE '#include [<"](GLFW/|GL/|imgui)' core/ web/ 2>/dev/null | grep -v '^web/app_platform\.cpp:')
[ -n "$hits" ] && report "GLFW/OpenGL/ImGui outside native/ (and the app's web platform file)" "$hits"

# The desktop app: one platform file owns GLFW, OpenGL and the ImGui backends (issue 9).
hits=$(grep -rnE '#include [<"](GLFW/|GL/|GLES|backends/|imgui_impl)' native/app 2>/dev/null | grep -v '^native/app/platform_glfw\.cpp:')
[ -n "$hits" ] && report "GLFW/OpenGL or an ImGui backend in native/app outside platform_glfw.cpp" "$hits"

hits=$(grep -rnE '#include [<"]pertoken/' core/include 2>/dev/null | grep -vE '#include "pertoken/([a-z_]+/)?[a-z_]+\.hpp"')
[ -n "$hits" ] && report "odd includes in core's public headers" "$hits"

# Every rule has one home, the core (issue 7). The web door translates: it names no scenario key
# (in code: comments may), fills no default, makes no null, and runs no estimate or search itself.
keys=$(grep -oE '^ *\{"[a-z_]+", "--' core/src/scenario/fields.cpp | grep -oE '[a-z_]+' | paste -sd'|')
[ -n "$keys" ] || report "no scenario keys found in core/src/scenario/fields.cpp (the check below needs them)" ""
hits=$(sed 's://.*$::' web/door.cpp | grep -nE "reference_usd|check_scenario|quiet_NaN|numeric_limits|log_steps|cheapest_layout|layout_space|default_(tp|weights|kv_cache|usd)|[^_[:alnum:]]estimate\(|\"($keys)\"|[.>]($keys)\b")
[ -n "$hits" ] && report "web/door.cpp restates a rule of the core (scenario fields, defaults, nulls, sweeps)" "$hits"

# The site holds no modelling rule: no layout planner or sweep grid of its own, no figure the
# core derives (bytes from times, dollars from rates), no catalog figure outside the spec sheet
# (specs.ts shows them), no precision word or literal default of a scenario field.
site=$(ls site/src/*.ts web/engine.ts)
hits=$(grep -nE '\b(tensorParallel|tryDevices|bestLayout|logSteps|maxDevices|atLayout|atConcurrency|atInputTokens|sweepBase|HEAPF64)\b' $site)
[ -n "$hits" ] && report "a layout search or sweep written in the site (the core's search/sweeps.cpp)" "$hits"
hits=$(grep -nE '\.(scale_up_domain_size|scale_up_bytes_per_second_per_direction|num_attention_heads|num_kv_heads|num_layers|max_context_tokens|reference_usd_per_gpu_hour|dense_flop_per_second|default_weights)\b' $(ls site/src/*.ts | grep -v '/specs\.ts$'))
[ -n "$hits" ] && report "site/src reads a catalog figure the core's rules use (only specs.ts may, to show it)" "$hits"
hits=$(grep -nE '_(seconds|per_second) *[*/]|memory_bandwidth_bytes_per_second *[*/]|[*/] *[[:alnum:]_.?]*memory_bandwidth_bytes|\b3600\b|\?\? *[1-9]' site/src/*.ts)
[ -n "$hits" ] && report "site/src re-derives a figure of the core (bytes from times, \$ from rates) or falls back to a number" "$hits"
literals=$(grep -oE '"[0-9]{3,}"' core/src/scenario/fields.cpp | tr -d '"' | sort -u | paste -sd'|')
hits=$(grep -nE "['\"\`](fp32|bf16|fp16|fp8|int8|int4|fp4${literals:+|$literals})['\"\`]" site/src/*.ts)
[ -n "$hits" ] && report "site/src names a precision or a literal default of a scenario field (the core's field table)" "$hits"

[ $status -eq 0 ] && echo "boundaries: ok (core: no I/O or platform headers; emscripten only in web/; GLFW/GL only in native/; door and site restate no rule of the core)"
exit $status
