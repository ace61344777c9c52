#!/usr/bin/env bash
# The README's test command: static checks and unit tests in parallel, then the tests over the
# real broker, store and registry one package at a time (they share one local broker).
# Ends with one summary line summed over every vitest run.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
pnpm exec turbo run typecheck lint test:unit --continue --output-logs=full 2>&1 | tee -a "$log" || status=1
pnpm exec turbo run test:int test:e2e --continue --concurrency=1 --output-logs=full 2>&1 | tee -a "$log" || status=1

# vitest prints e.g. "Tests  1 failed | 2 passed | 1 skipped (4)"; turbo prefixes each line.
sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\S*\s*Tests\s+[0-9]' | awk '
  { for (i = 1; i <= NF; i++) {
      if ($i ~ /^passed/) passed += $(i-1)
      if ($i ~ /^failed/) failed += $(i-1)
      if ($i ~ /^skipped/) skipped += $(i-1)
  } }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }'
exit $status
