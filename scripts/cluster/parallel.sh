#!/usr/bin/env bash
# A large liaosim study with GNU parallel: N shards spread over the hosts
# parallel knows (local cores by default), then one merge.
#
#   scripts/cluster/parallel.sh scenarios/plan.lua 10000000 16 [SEED [OPTIONS of liaosim run...]]
#   scripts/cluster/parallel.sh scenarios/catering_budget.lua 1000000 8 20240101 --set catering_budget=5
#
# Without SEED, the scenario's own seed (else liaosim's default) is used.
# Prints the merged result (what one machine would print; FORMAT=json for
# JSON) and keeps the shards in shards/SCENARIO-RUNS-SEED/ (with a checksum
# of the extra options at the end of the name when there are some). Extra options for
# parallel go in PARALLEL_OPTS. Other hosts must see this folder at the same
# path (a shared filesystem), with liaosim built there:
#   PARALLEL_OPTS="--sshloginfile hosts.txt --workdir ." scripts/cluster/parallel.sh ...
# (parallel copies no files unless told to with --transferfile and --return.)
set -euo pipefail

usage="usage: parallel.sh SCENARIO TOTAL_RUNS SHARDS [SEED [OPTIONS of liaosim run...]]"
scenario=${1:?$usage}
runs=${2:?$usage}
shards=${3:?$usage}
seed=${4:-}
extra=("${@:5}")
liaosim=${LIAOSIM:-.build/release/liaosim}
if [ -z "$seed" ]; then
  # No SEED: the scenario's own seed (else liaosim's default), as `liaosim run` would use.
  seed=$("$liaosim" run "$scenario" --runs 1 --format json --quiet | sed -n 's/^  "seed": \([0-9]*\),$/\1/p')
fi
folder=shards/$(basename "$scenario" .lua)-$runs-$seed
case $seed in
  ''|*[!0-9]*) echo "$(basename "$0"): SEED must be a whole number, before any options; got '$seed'" >&2; exit 64 ;;
esac
if [ ${#extra[@]} -gt 0 ]; then
  folder=$folder-$(printf '%s\n' "${extra[@]}" | cksum | cut -d' ' -f1)
fi

mkdir -p "$folder"
# -q: each word reaches liaosim as it is (paths and --set values with spaces).
# shellcheck disable=SC2086
seq 1 "$shards" | parallel -q ${PARALLEL_OPTS:-} --halt now,fail=1 \
  "$liaosim" run "$scenario" --runs "$runs" --seed "$seed" --quiet --threads 1 \
  --shard "{}/$shards" --out "$folder/{}-of-$shards.json" ${extra[@]+"${extra[@]}"}
"$liaosim" merge --format "${FORMAT:-text}" "$folder"/*-of-"$shards".json
