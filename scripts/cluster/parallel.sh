#!/usr/bin/env bash
# A large liaosim study with GNU parallel: N shards spread over the hosts
# parallel knows (--sshloginfile, or local cores), then one merge.
#
#   scripts/cluster/parallel.sh scenarios/plan.lua 10000000 16 [SEED]
#
# Extra options for parallel go in PARALLEL_OPTS, e.g.
#   PARALLEL_OPTS="--sshloginfile hosts.txt --workdir ." scripts/cluster/parallel.sh ...
# Prints the merged result (what one machine would print) and keeps the shards in shards/.
set -euo pipefail

scenario=${1:?usage: parallel.sh SCENARIO TOTAL_RUNS SHARDS [SEED]}
runs=${2:?usage: parallel.sh SCENARIO TOTAL_RUNS SHARDS [SEED]}
shards=${3:?usage: parallel.sh SCENARIO TOTAL_RUNS SHARDS [SEED]}
seed=${4:-20240101}
liaosim=${LIAOSIM:-.build/release/liaosim}
name=$(basename "$scenario" .lua)

mkdir -p shards
# shellcheck disable=SC2086
seq 1 "$shards" | parallel ${PARALLEL_OPTS:-} --halt now,fail=1 \
  "$liaosim" run "$scenario" --runs "$runs" --seed "$seed" --quiet --threads 1 \
  --shard "{}/$shards" --out "shards/$name-{}-of-$shards.json"
"$liaosim" merge shards/"$name"-*-of-"$shards".json
