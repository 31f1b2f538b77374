#!/usr/bin/env bash
# Lints the app's OpenAPI document (app/target/openapi/openapi.yaml, written by the app's build)
# with Redocly CLI's recommended rules (app/redocly.yaml). Redocly CLI is pinned in
# tools/openapi-lint (package.json, package-lock.json) and installed there with npm ci on first
# use. Run by ./tinyscale test after the build; exits 0 only when the document is clean.
# usage: lib/openapi-lint.sh [DOCUMENT]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/openapi-lint"
DOC="${1:-$ROOT/app/target/openapi/openapi.yaml}"

say() { printf 'openapi-lint: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  die "Node.js (20.19 or newer) and npm are needed to lint the OpenAPI document: install them"
fi
node_version="$(node -p 'process.versions.node')"
IFS=. read -r major minor _ <<<"$node_version"
if ! ((major > 20 || (major == 20 && minor >= 19))); then
  die "Node.js $node_version is too old for Redocly CLI: install Node.js 20.19 or newer"
fi
[[ -f "$DOC" ]] || die "no $DOC: build the app first (mvn -pl app -am package -DskipTests)"

if [[ ! "$TOOL/node_modules/.package-lock.json" -nt "$TOOL/package-lock.json" ]]; then
  say "installing Redocly CLI (npm ci in tools/openapi-lint)"
  (cd "$TOOL" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
fi

# no usage report and no update check: the lint needs nothing from the network
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
output="$("$TOOL/node_modules/.bin/redocly" lint --config "$ROOT/app/redocly.yaml" \
  --format=stylish "$DOC" 2>&1)" || status=$?
# Redocly's boxed notice that Node.js 20 support is ending is not about the document
printf '%s\n' "$output" | sed '/[╔║╚]/d' >&2
if ((status != 0)); then
  die "the OpenAPI document has errors (above); the annotations on the resources and http/ProblemResponses make it"
fi
say "the OpenAPI document is clean (warnings above, if any, are explained in app/redocly.yaml)"
