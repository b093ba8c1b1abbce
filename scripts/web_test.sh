#!/usr/bin/env bash
# The web calculator's step of scripts/test.sh: type-checks the TypeScript, builds the site, runs
# the Playwright browser tests (Debian's Chromium; the CLI built by the native preset is their
# oracle) and measures the budgets (sizes, recompute time, outside requests).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/web_build.sh
npx --no-install tsc -p site/tsconfig.json
npx --no-install tsc -p tests/e2e/tsconfig.json
echo "typecheck: ok"
if [ ! -x build/native/pertoken ]; then
  cmake --preset native >/dev/null
  cmake --build --preset native --target pertoken
fi
rm -rf build/e2e
npx --no-install playwright test -c tests/e2e/playwright.config.ts
echo "screenshots: $(ls build/e2e/screenshots | wc -l) in build/e2e/screenshots"
node scripts/web_budget.mjs
