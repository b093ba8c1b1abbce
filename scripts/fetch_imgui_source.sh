#!/usr/bin/env bash
# Dear ImGui's sources for the WebAssembly build of pertoken-app, from Debian's source package
# (the native build links Debian's libimgui-dev instead). apt's own lists stay untouched: a deb-src
# stanza in a file of its own, with lists and cache under the download folder. The sources land in
# build/deps/imgui (under build/: never committed). Safe to run again: does nothing once present.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="build/deps/imgui"
[ -f "$dest/imgui.cpp" ] && [ -f "$dest/backends/imgui_impl_glfw.cpp" ] && exit 0
work="build/deps/imgui-apt"
rm -rf "$work" && mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
# The same mirror and suite as the machine's binary packages.
cat > "$work/sources.list" <<'LIST'
deb-src http://deb.debian.org/debian bookworm main
LIST
apt_options=(-o "Dir::Etc::SourceList=$PWD/$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$PWD/$work/lists" -o "Dir::Cache=$PWD/$work/cache"
  -o APT::Sandbox::User=root)
apt-get "${apt_options[@]}" -qq update
(cd "$work/src" && apt-get "${apt_options[@]}" -qq source --download-only imgui)
orig=$(ls "$work"/src/imgui_*.orig.tar.* | head -1)
rm -rf "$dest" && mkdir -p "$dest"
tar -xf "$orig" -C "$dest" --strip-components=1
rm -rf "$work"
[ -f "$dest/imgui.cpp" ] || { echo "fetch_imgui_source: no imgui.cpp in $orig"; exit 1; }
echo "fetch_imgui_source: Dear ImGui $(grep -m1 -o '"[0-9.]*"' "$dest/imgui.h" | tr -d '"') in $dest"
