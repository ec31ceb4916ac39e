# Sourced by parallel.sh and slurm-array.sbatch: checks a study's arguments
# and names its folder of shards. Needs `name` (for messages), `liaosim`,
# `scenario`, `runs`, `shards`, `seed` (may be empty) and the array `extra`;
# sets `seed`, `digest` and `folder`.
#
# One run of the study is made as a shard file, to check the scenario and
# the options and to read the seed (the scenario's own when SEED is left out)
# and the scenario's fingerprint, which names the folder: two scenarios with
# the same file name, or a scenario changed since, never share shards.

for count in "$runs" "$shards"; do
  case $count in
    ''|*[!0-9]*|0) echo "$name: TOTAL_RUNS and SHARDS must be whole numbers above 0; got '$count'" >&2; exit 64 ;;
  esac
done
case $seed in
  *[!0-9]*) echo "$name: SEED must be a whole number, before any options; got '$seed'" >&2; exit 64 ;;
esac
for option in ${extra[@]+"${extra[@]}"}; do
  case $option in
    --seed|--seed=*|--runs|--runs=*|--shard|--shard=*|--out|--out=*|--first-run|--first-run=*|--threads|--threads=*|--runs-csv|--runs-csv=*)
      echo "$name: $option is the script's to set (SEED, TOTAL_RUNS and SHARDS are its arguments; threads: one per shard, or Slurm's CPUs per task); leave it out of the options" >&2
      exit 64 ;;
  esac
done

if ! command -v "$liaosim" >/dev/null; then
  echo "$name: no liaosim program at $liaosim; build it (swift build -c release --product liaosim) or set LIAOSIM to its path" >&2
  exit 69
fi

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
status=0
# Run 0 alone, as shard 1 of a 2-run study: a shard whose runs all failed
# under --keep-going is still written (merge judges the whole study).
"$liaosim" run "$scenario" --runs 2 --shard 1/2 --out "$probe/probe.json" --quiet ${seed:+--seed "$seed"} \
  ${extra[@]+"${extra[@]}"} 2> "$probe/messages" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$probe/messages" >&2
  exit "$status"
fi
# Its notes of likely mistakes show here once; the shards leave them out.
grep '^liaosim: note: ' "$probe/messages" >&2 || true
seed=$(sed -n 's/.*"seed":\([0-9]*\).*/\1/p' "$probe/probe.json")
digest=$(sed -n 's/.*"scenarioDigest":"\([0-9a-f]*\)".*/\1/p' "$probe/probe.json")
rm -rf "$probe"  # now: a script that goes on with exec runs no EXIT trap
trap - EXIT
folder=shards/$(basename "$scenario" .lua)-$runs-$seed-$digest
if [ ${#extra[@]} -gt 0 ]; then
  folder=$folder-$(printf '%s\n' "${extra[@]}" | cksum | cut -d' ' -f1)
fi
