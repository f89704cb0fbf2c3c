#!/usr/bin/env bash
# The quickstart's claim measured over several seeds (a benchmark, not a test: ~10-15 min a seed on
# 2 CPU cores). Runs `bevt4j quickstart` once per seed (bevt.train.seed: weights, masks, data order,
# augmentation; the probe's labelled clips stay the same) and prints the linear-probe top-1 of each
# variant per seed, with mean and standard deviation over seeds.
#
#   samples/bench/quickstart-seeds.sh [OUT_DIR] [SEEDS...]     default: runs/quickstart-seeds 0 1 2
#   extra quickstart options go through QUICKSTART_OPTS, e.g.
#   QUICKSTART_OPTS="--set bevt.quickstart.probe.pooling=mean" samples/bench/quickstart-seeds.sh
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-runs/quickstart-seeds}"
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(0 1 2)
mkdir -p "$out"
for s in "${seeds[@]}"; do
  dir="$out/seed-$s"
  if [ ! -f "$dir/quickstart.json" ]; then
    start=$(date +%s)
    # shellcheck disable=SC2086 # QUICKSTART_OPTS is deliberately word-split
    "$root/bevt4j" quickstart --run-dir "$dir" --set "bevt.train.seed=$s" ${QUICKSTART_OPTS:-} > "$dir.log" 2>&1 \
      || { echo "seed $s failed, see $dir.log" >&2; exit 1; }
    echo "seed $s: $(( $(date +%s) - start )) s" | tee -a "$out/times.txt"
  fi
done
# quickstart.json: {"results": [{"variant": "random", "top1": 0.118, ...}, ...]}
for s in "${seeds[@]}"; do
  tr -d ' \n' < "$out/seed-$s/quickstart.json" | grep -o '"variant":"[^"]*","top1":[0-9.eE-]*' \
    | sed -E "s/\"variant\":\"([^\"]*)\",\"top1\":(.*)/$s \1 \2/"
done | awk '
  { v = $2; x = 100 * $3; n[v]++; sum[v] += x; sq[v] += x * x; row[v] = row[v] sprintf(" %6.1f", x); if (!(v in seen)) { seen[v] = 1; order[++k] = v } }
  END {
    printf "%-12s %s   %s\n", "variant", "top-1 % per seed", "mean +- sd"
    for (i = 1; i <= k; i++) { v = order[i]; m = sum[v] / n[v]; var = n[v] > 1 ? (sq[v] - n[v] * m * m) / (n[v] - 1) : 0; if (var < 0) var = 0
      printf "%-12s %s   %5.1f +- %.1f\n", v, row[v], m, sqrt(var) }
  }' | tee "$out/summary.txt"
