#!/usr/bin/env bash
# Installs the S3 and Azure Blob test servers (s3rver, Azurite) into <repo>/.tools/node with npm.
# Idempotent: does nothing when both pinned versions are already installed.
# Used by common's remote-storage contract tests; exits non-zero (and says why) when it cannot install.
set -euo pipefail

S3RVER_VERSION=3.7.1
AZURITE_VERSION=3.37.0

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$repo/.tools/node"

installed_version() {
  local pkg="$prefix/node_modules/$1/package.json"
  [[ -f "$pkg" ]] && node -p "require('$pkg').version" 2>/dev/null || true
}

if [[ "$(installed_version s3rver)" == "$S3RVER_VERSION" && "$(installed_version azurite)" == "$AZURITE_VERSION" \
      && -x "$prefix/node_modules/.bin/s3rver" && -x "$prefix/node_modules/.bin/azurite-blob" ]]; then
  exit 0
fi

command -v npm >/dev/null || { echo "npm is not on PATH: install Node.js (Debian: apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$prefix"
# A package.json of its own keeps npm from walking up to some other project.
[[ -f "$prefix/package.json" ]] || echo '{"name":"jneon-object-servers","private":true}' > "$prefix/package.json"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
  "s3rver@$S3RVER_VERSION" "azurite@$AZURITE_VERSION"
test -x "$prefix/node_modules/.bin/s3rver" || { echo "s3rver missing after npm install" >&2; exit 1; }
test -x "$prefix/node_modules/.bin/azurite-blob" || { echo "azurite-blob missing after npm install" >&2; exit 1; }
