#!/usr/bin/env bash
# Writes the output of `overlaylab scenario-format` into scenarios/README.md between its markers
# (after schema.json changed). `--check` only compares, and fails when they differ.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${OVERLAYLAB:-build/overlaylab}
readme=scenarios/README.md
begin='^<!-- BEGIN scenario-format'
end='^<!-- END scenario-format'
generated=$("$bin" scenario-format)
current=$(sed -n "/$begin/,/$end/p" "$readme" | sed '1d;$d')
if [ "${1:-}" = "--check" ]; then
  if [ "$generated" = "$current" ]; then echo "scenarios/README.md: the keys match schema.json"; exit 0; fi
  diff <(printf '%s\n' "$current") <(printf '%s\n' "$generated") || true
  echo "scenarios/README.md: the keys differ from schema.json; fix: bash scripts/scenario-format.sh" >&2
  exit 1
fi
tmp=$(mktemp)
GEN="$generated" awk -v b="${begin#^}" -v e="${end#^}" '
  index($0, b) == 1 { print; print ENVIRON["GEN"]; skip = 1; next }
  index($0, e) == 1 { skip = 0 }
  !skip { print }' "$readme" > "$tmp"
mv "$tmp" "$readme"
echo "scenarios/README.md: keys rewritten from schema.json"
