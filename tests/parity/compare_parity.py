#!/usr/bin/env python3
"""Compares the parity dumps of the native and WebAssembly builds: same lines, same strings, and
numbers equal to 1e-12 relative (libm may differ in the last bit). Usage: compare_parity.py A B"""
import json
import math
import sys


def compare(a, b, path, problems):
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            problems.append(f"{path}: keys differ")
        for key in a.keys() & b.keys():
            compare(a[key], b[key], f"{path}/{key}", problems)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            problems.append(f"{path}: lengths differ")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}/{i}", problems)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300):
            problems.append(f"{path}: {a!r} != {b!r}")
    elif a != b:
        problems.append(f"{path}: {a!r} != {b!r}")


native = open(sys.argv[1]).read().splitlines()
wasm = open(sys.argv[2]).read().splitlines()
problems = []
if len(native) != len(wasm):
    problems.append(f"{len(native)} native results, {len(wasm)} WebAssembly results")
for i, (a, b) in enumerate(zip(native, wasm)):
    compare(json.loads(a), json.loads(b), f"scenario {i}", problems)
for p in problems[:20]:
    print("parity:", p)
print(f"parity: {len(native)} scenarios, native vs WebAssembly: "
      f"{'identical' if not problems else str(len(problems)) + ' differences'}")
sys.exit(1 if problems or not native else 0)
