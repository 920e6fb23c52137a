#!/usr/bin/env bash
# The peer of `conduit validate`: ajv-cli 5 (JSON Schema draft 2020-12, ajv-formats) validating
# every JSON file of an organization repository against its kind's schema in schemas/, one
# process per file kind, one after the other (as a CI step would chain them). Schema part only:
# no references between files, no templates, no code blocks, no secrets.
#
#   bench/compiler/ajv-validate.sh REPO_DIR      # exit 0 when every file is valid
#
# Needs bench/compiler/ajv/node_modules (goals.sh installs it: npm ci --prefix bench/compiler/ajv).
# The kinds and their paths are source.FileKind's (compiler/src/main/java/.../source/FileKind.java).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ajv="$here/ajv/node_modules/.bin/ajv"
repo=${1:?usage: ajv-validate.sh REPO_DIR}
[ -x "$ajv" ] || { echo "ajv-validate.sh: run npm ci --prefix $here/ajv first" >&2; exit 2; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
kind() { # $1 = schema name, then the globs of its files (ajv expands them itself)
  local schema=$1 args=()
  shift
  for glob in "$@"; do
    # only globs that match something: ajv fails on a pattern with no file
    if compgen -G "$repo/$glob" > /dev/null; then
      args+=(-d "$repo/$glob")
    fi
  done
  [ "${#args[@]}" -gt 0 ] || return 0
  "$ajv" validate --spec=draft2020 --strict=false -c ajv-formats \
    -s "$root/schemas/$schema.schema.json" "${args[@]}" > /dev/null 2> "$logs/$schema.log" \
    || { status=1; grep -v ' valid$' "$logs/$schema.log" | head -n 20 >&2; }
}
kind organization organization.json
kind members members.json
kind connection 'connections/*/connection.json' 'library/*/connection.json'
kind grants 'connections/*/grants.json'
kind api 'connections/*/apis/*.json' 'library/*/apis/*.json'
kind application 'applications/*.json'
kind third-party-app 'third-party-apps/*.json'
kind library 'library/*/library.json'
exit "$status"
