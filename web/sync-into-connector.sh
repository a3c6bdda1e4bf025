#!/usr/bin/env bash
# Copies the web demo and the @tidings/client module into connector-svc's static resources, so
# that the connector jar serves them at /demo/ and /tidings-client/ when
# tidings.connector.dev.enabled is true. Run it after changing web/demo or web/tidings-client/src
# and commit the copies.
#
# Usage: web/sync-into-connector.sh [--check]
#   --check  change nothing; exit 1 and list the differences when the copies are out of date.
set -euo pipefail

WEB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESOURCES="$(cd "$WEB_DIR/.." && pwd)/connector-svc/src/main/resources/META-INF/resources"

# source directory (under web/) -> target directory (under META-INF/resources/)
PAIRS=(
  "demo:demo"
  "tidings-client/src:tidings-client/src"
)
# Single files copied next to the module sources.
FILES=(
  "tidings-client/package.json:tidings-client/package.json"
)

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "sync-into-connector: unknown option \"$1\"; use --check or nothing" >&2; exit 2 ;;
esac

if $check; then
  status=0
  for pair in "${PAIRS[@]}" "${FILES[@]}"; do
    source="$WEB_DIR/${pair%%:*}"
    target="$RESOURCES/${pair#*:}"
    if ! diff -r "$source" "$target" >/dev/null 2>&1; then
      echo "sync-into-connector: $target differs from $source" >&2
      diff -rq "$source" "$target" >&2 || true
      status=1
    fi
  done
  if [[ $status -ne 0 ]]; then
    echo "sync-into-connector: run web/sync-into-connector.sh and commit the copies" >&2
  fi
  exit $status
fi

for pair in "${PAIRS[@]}"; do
  source="$WEB_DIR/${pair%%:*}"
  target="$RESOURCES/${pair#*:}"
  rm -rf "$target"
  mkdir -p "$target"
  cp -R "$source/." "$target/"
done
for pair in "${FILES[@]}"; do
  source="$WEB_DIR/${pair%%:*}"
  target="$RESOURCES/${pair#*:}"
  mkdir -p "$(dirname "$target")"
  cp "$source" "$target"
done
echo "sync-into-connector: copied web/demo and web/tidings-client into $RESOURCES"
