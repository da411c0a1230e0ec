#!/bin/sh
# Rebuild the console's editor bundle (CodeMirror 6) from the locked npm packages into
# src/parthenon/server/console/static/editor.js, which is committed and ships in the wheel.
# Tests and CI use the committed bundle; run this only after changing frontend/editor.js
# or its package.json (then commit package-lock.json and the new bundle).
set -e
cd "$(dirname "$0")/../src/parthenon/server/console/frontend"
npm ci --no-audit --no-fund
npm run build
