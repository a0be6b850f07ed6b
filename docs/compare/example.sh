#!/bin/sh
# The worked example of docs/compare.md, rerun by `npm run compare:example`: six strategies on
# LogChunks and on the SWE-agent trajectories (../shared/data), local engine, seed 1, 2 shuffles.
# Results land in docs/compare/<dataset>/ (results.md, .csv, .json, chart.svg, experiment.json).
set -e
cd "$(dirname "$0")/../.."
DATA=../shared/data
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/dw-compare-example-XXXXXX")
STRATEGIES=fixed-count,token-budget,similarity,by-source,one-batch,similarity+hierarchical:fan-in=4
node bin/dream.js --root "$ROOT" compare --strategies "$STRATEGIES" --sessions "$DATA/logchunks/*/logs/*" \
  --repeat 2 --seed 1 --workers 2 --out docs/compare/logchunks
node bin/dream.js --root "$ROOT" compare --strategies "$STRATEGIES" --sessions "$DATA/swe_trajectories/*.json" \
  --repeat 2 --seed 1 --workers 2 --out docs/compare/swe
# The same LogChunks sessions in one dream each (no chain of dreams past 100 sessions).
node bin/dream.js --root "$ROOT" compare --strategies fixed-count,similarity,one-batch --sessions "$DATA/logchunks/*/logs/*" \
  --repeat 2 --seed 1 --workers 2 --max-sessions 200 --out docs/compare/logchunks-one-dream
rm -rf "$ROOT"
