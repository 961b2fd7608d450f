#!/usr/bin/env bash
# Rebuild static/govuk/ from the pinned GOV.UK Frontend release in package.json.
# The compiled files are committed, so `make run` works without Node.js; run this only
# to upgrade GOV.UK Frontend or change assets/feedback.scss (see docs/frontend.md).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund
src=node_modules/govuk-frontend/dist/govuk
out=static/govuk
rm -rf "$out"
mkdir -p "$out"
npx sass --no-source-map --style=compressed --load-path=node_modules \
  assets/feedback.scss "$out/feedback.min.css"
cp "$src/govuk-frontend.min.js" "$out/"
node -p "require('govuk-frontend/package.json').version" > "$out/VERSION"
echo "built $out with govuk-frontend $(cat "$out/VERSION")"
