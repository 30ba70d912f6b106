#!/usr/bin/env bash
# `npm run bench`: every benchmark, against the local (or configured) servers. Not part of npm test.
# Results go to bench/results/*.json. BENCH_ONLY=pipeline runs one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash infra/up.sh
run() {
  local name=$1; shift
  if [[ -n ${BENCH_ONLY:-} && ${BENCH_ONLY} != "$name" ]]; then return 0; fi
  echo "== bench: $name" >&2
  "$@"
}
run classifier npm run -s -w @ndr/classifier bench
run events node packages/events/bench/decode.bench.mjs
run generator node packages/generator/bench/generate.bench.mjs
run pipeline node bench/pipeline.bench.mjs
if [[ -f services/backfill/bench/backfill.bench.mjs ]]; then run backfill node services/backfill/bench/backfill.bench.mjs; fi
echo "results in bench/results/" >&2
