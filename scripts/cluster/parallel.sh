#!/usr/bin/env bash
# A large liaosim study with GNU parallel: N shards spread over the hosts
# parallel knows (local cores by default), then one merge.
#
#   scripts/cluster/parallel.sh scenarios/plan.lua 10000000 16 [SEED [OPTIONS of liaosim run...]]
#   scripts/cluster/parallel.sh scenarios/catering_budget.lua 1000000 8 20240101 --set catering_budget=5
#
# Without SEED, the scenario's own seed (else liaosim's default) is used.
# Prints the merged result (what one machine would print; FORMAT=json for
# JSON) and keeps the shards in shards/SCENARIO-RUNS-SEED-FINGERPRINT/ (the
# fingerprint of the scenario's text, and a checksum of the extra options at
# the end of the name when there are some). The same
# command again resumes a study: it keeps the shards written whole since
# liaosim and the .lua files in the scenario's folder last changed, and runs
# the others. Extra options for
# parallel go in PARALLEL_OPTS. Other hosts must see this folder at the same
# path (a shared filesystem), with liaosim built there:
#   PARALLEL_OPTS="--sshloginfile hosts.txt --workdir ." scripts/cluster/parallel.sh ...
# (parallel copies no files unless told to with --transferfile and --return.)
set -euo pipefail

usage="usage: parallel.sh SCENARIO TOTAL_RUNS SHARDS [SEED [OPTIONS of liaosim run...]]"
if [ $# -lt 3 ]; then
    echo "$usage" >&2
    exit 64
fi
scenario=$1
runs=$2
shards=$3
seed=${4:-}
extra=("${@:5}")
liaosim=${LIAOSIM:-.build/release/liaosim}
name=$(basename "$0")
# shellcheck source=study.sh
. "$(dirname "$0")/study.sh"

# The shards still to run: those without a file, whose file says it was
# interrupted or was written for another text of the scenario (one changed
# while the study ran), or that is older than liaosim or than a .lua file in
# the scenario's folder (a module that runs may require changed since).
newest=$(command -v "$liaosim")
for lua in "$(dirname "$scenario")"/*.lua; do
  [ "$lua" -nt "$newest" ] && newest=$lua
done
todo=()
for k in $(seq 1 "$shards"); do
  file="$folder/$k-of-$shards.json"
  if [ -s "$file" ] && [ "$file" -nt "$newest" ] && grep -q '"interrupted":false' "$file" \
     && grep -q "\"scenarioDigest\":\"$digest\"" "$file"; then
    continue
  fi
  todo+=("$k")
done
if [ ${#todo[@]} -eq 0 ]; then
  echo "$name: all $shards shards already in $folder/; merging them" >&2
elif [ ${#todo[@]} -lt "$shards" ]; then
  echo "$name: $((shards - ${#todo[@]})) of $shards shards already in $folder/; running the other ${#todo[@]}" >&2
fi

if [ ${#todo[@]} -gt 0 ]; then
  created=no
  [ -d "$folder" ] || created=yes
  mkdir -p "$folder"
  status=0
  # Ctrl-C or SIGTERM reach parallel and its shards too; afterwards, the script ends as liaosim would (130, 143).
  stopped=""
  trap 'stopped=130' INT
  trap 'stopped=143' TERM
  # -q: each word reaches liaosim as it is (paths and --set values with spaces).
  # shellcheck disable=SC2086
  printf '%s\n' "${todo[@]}" | parallel -q ${PARALLEL_OPTS:-} --halt now,fail=1 \
    "$liaosim" run "$scenario" --runs "$runs" --seed "$seed" --quiet --no-notes --threads 1 \
    --shard "{}/$shards" --out "$folder/{}-of-$shards.json" ${extra[@]+"${extra[@]}"} || status=$?
  trap - INT TERM
  # A signal to this script alone reaches it only once parallel has ended: if every shard
  # was then written, the study is whole and is merged as usual.
  if [ "$status" -ne 0 ]; then
    if [ -n "$stopped" ]; then
      status=$stopped
      why="interrupted"
      again="the same command again runs only the shards not yet in $folder/"
    else
      why="stopped (exit $status): see the message above"
      again="once it is dealt with, the same command again runs only the shards not yet in $folder/"
    fi
    if [ "$created" = yes ] && rmdir "$folder" 2>/dev/null; then
      echo "$name: $why; no shard was written" >&2
    else
      echo "$name: $why; $again" >&2
    fi
    exit "$status"
  fi
fi
"$liaosim" merge --format "${FORMAT:-text}" "$folder"/*-of-"$shards".json
