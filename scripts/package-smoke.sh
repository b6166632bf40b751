#!/usr/bin/env bash
# Packaging smoke test, offline (every other target downloads tools): electron-builder --linux dir
# against a stub Electron (any executable named `electron`), then checks what went into the package:
#   - resources/app.asar holds the built app (main, preload, renderer) and package.json;
#   - @ngrok's native addon is unpacked next to it (a .node file cannot be loaded from an asar);
#   - no sources, tests, source maps or tsc output leaked in;
#   - the fuses of electron-builder.yml were flipped in the executable;
#   - `inlet self-test` passes on the build (out/) and on the packaged files (see below);
#   - the tray and taskbar-overlay icons are in it (drawn in code by main/electron/unread-icons.ts,
#     so they ship inside out/main/index.js rather than as files to list under `files`).
# Usage: scripts/package-smoke.sh [project-dir]   (default: this repository, after `npm run build:app`)
# Everything it writes goes to a temporary folder, removed on exit.
set -euo pipefail

project="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
fail() {
  echo "package smoke test FAILED: $*" >&2
  exit 1
}

cd "$project"
for built in out/main/index.js out/preload/index.cjs out/renderer/index.html; do
  [ -f "$built" ] || fail "$project/$built is missing: run \`npm run build:app\` first"
done

npx --no-install node out/main/cli.js self-test || fail "inlet self-test failed on the build in out/ (above)"

work="$(mktemp -d "${TMPDIR:-/tmp}/inlet-package-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# The stub carries a fuse wire like a real Electron binary does (@electron/fuses: sentinel, wire
# version 1, 8 fuses as ASCII 0/1 with Electron's defaults), so electron-builder can flip fuses in it
# and this script can read them back. Without one, flipping fails ("Could not find sentinel").
sentinel='dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
mkdir "$work/electron-dist"
printf '#!/bin/sh\nexit 0\n# %s\001\010%s\n' "$sentinel" '10110001' >"$work/electron-dist/electron"
chmod +x "$work/electron-dist/electron"

echo "packaging $project with electron-builder --linux dir (stub Electron)…"
if ! npx --no-install electron-builder --linux dir --publish never \
  "-c.electronDist=$work/electron-dist" "-c.directories.output=$work/release" >"$work/builder.log" 2>&1; then
  cat "$work/builder.log" >&2
  fail "electron-builder exited with an error (log above)"
fi

resources="$work/release/linux-unpacked/resources"
[ -f "$resources/app.asar" ] || fail "no resources/app.asar in the package (is asar still true?)"
find "$resources/app.asar.unpacked/node_modules/@ngrok" -name '*.node' -print -quit 2>/dev/null | grep -q . ||
  fail "@ngrok's native addon is not unpacked next to app.asar (asarUnpack)"

# One path per line, as stored in the archive (leading slash).
npx --no-install node -e '
  const asar = require("@electron/asar");
  process.stdout.write(asar.listPackage(process.argv[1], { isPack: false }).join("\n") + "\n");
' "$resources/app.asar" >"$work/asar.txt"

for required in /package.json /out/main/index.js /out/main/cli.js /out/preload/index.cjs /out/renderer/index.html; do
  grep -qxF "$required" "$work/asar.txt" || fail "$required is not in app.asar"
done

# The packaged app's --self-test needs Electron, which cannot run here (no binary, none to download):
# the same checks run with Node on the packaged files instead, extracted with app.asar.unpacked beside them,
# so they see the layout the package really has (renderer, preload, the addon where asarUnpack put it).
npx --no-install node -e 'require("@electron/asar").extractAll(process.argv[1], process.argv[2])' \
  "$resources/app.asar" "$work/packaged-app"
find "$work/packaged-app/node_modules/@ngrok" -name '*.node' -print -quit | grep -q . ||
  fail "the extracted package has no @ngrok native addon"
npx --no-install node "$work/packaged-app/out/main/cli.js" self-test ||
  fail "the self-test failed on the packaged app's files (above)"

# The main process as packaged: the tray and taskbar-overlay icons are drawn in it.
npx --no-install node -e '
  const asar = require("@electron/asar");
  process.stdout.write(asar.extractFile(process.argv[1], "out/main/index.js"));
' "$resources/app.asar" >"$work/main.js"
grep -q 'trayIconBitmap' "$work/main.js" && grep -q 'overlayIconBitmap' "$work/main.js" ||
  fail "the packaged main process does not draw the tray and overlay icons (main/electron/unread-icons.ts)"

leaks="$(grep -E '\.map$|^/(main|renderer/src|shared|test|scripts|bin|out/types)(/|$)|^/[^/]+\.config\.[cm]?[jt]s$|^/tsconfig|^/out/.*\.tsx?$' "$work/asar.txt" || true)"
[ -z "$leaks" ] || fail "$(wc -l <<<"$leaks") files that must not ship are in app.asar, e.g.:
$(head -n 20 <<<"$leaks")"

# Fuse order (@electron/fuses V1): runAsNode, cookieEncryption, nodeOptions, nodeCliInspect,
# embeddedAsarIntegrity, onlyLoadAppFromAsar, browserV8Snapshot (left as is), fileProtocolPrivileges.
executable="$work/release/linux-unpacked/$(node -p 'require("./package.json").name')"
fuses="$(tail -c 9 "$executable" | head -c 8)" # the wire, before the final newline
[ "$fuses" = '01001100' ] || fail "fuses in the packaged executable are $fuses, expected 01001100 (electronFuses)"

# The sandboxed preload can only require 'electron': anything else it requires would fail at runtime.
requires="$(grep -oE 'require\("[^"]+"\)' out/preload/index.cjs | sort -u | grep -vxF 'require("electron")' || true)"
[ -z "$requires" ] || fail "out/preload/index.cjs requires more than electron (not one bundle): $requires"

echo "package smoke test passed: app.asar ($(wc -l <"$work/asar.txt") entries), @ngrok unpacked, self-test passed, fuses flipped, no sources or maps"
