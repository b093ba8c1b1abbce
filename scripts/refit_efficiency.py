#!/usr/bin/env python3
"""Re-derives the shipped efficiency factors: runs `pertoken calibrate calibration --from-priors`
(the documented method, core/src/validation/calibration.cpp) and writes the fitted values into
core/src/model/efficiency.cpp and each engine's multipliers into assets/engines.json. Run after a
model change; calibration_test.cpp fails until you do.
Usage: scripts/refit_efficiency.py [path/to/pertoken]"""
import json
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / "build/native/pertoken")
run = subprocess.run([binary, "calibrate", "calibration", "--from-priors"],
                     capture_output=True, text=True, check=True)
fitted = json.loads(run.stdout)["efficiency"]
engine_scale = fitted.pop("engine_scale", {})
path = root / "core/src/model/efficiency.cpp"
text = path.read_text()
for name, value in fitted.items():
    text, count = re.subn(rf"(    f\.{name} = )[-0-9.e+]+;", rf"\g<1>{value:.4g};", text)
    if count != 1:
        sys.exit(f"refit: no single assignment of f.{name} in {path}")
path.write_text(text)
engines_path = root / "assets/engines.json"
engines = json.loads(engines_path.read_text())
for engine in engines["engines"]:
    for name, value in engine_scale.get(engine["id"], {}).items():
        engine["scale"][name] = float(f"{value:.4g}")
engines_path.write_text(json.dumps(engines, indent=2) + "\n")
print(run.stderr.strip())
print(json.dumps(fitted, indent=2))
# The bands and the out-of-source predictions follow the model, not these numbers alone: after a
# rebuild, refresh both (tests hold each file to what these commands give).
print("next: rebuild, then scripts/cross_validate_fit.py --write assets/calibration/cross_validated.csv"
      " and build/native/pertoken list bands > assets/calibration/bands.json", file=sys.stderr)
