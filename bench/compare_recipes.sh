#!/usr/bin/env bash
# Trains each recipe under the same budget for several seeds and scores it on the dataset's val split, the way the
# platform does (./lb train, then ./lb evaluate); prints one row per run and each recipe's mean top-1.
#   bench/compare_recipes.sh --dataset DIR --budget SECONDS --seeds "0 1 2" RECIPE...
# A RECIPE is a file or a platform template, template:NAME (e.g. template:tiny-quick template:tiny-quick-locality).
set -euo pipefail
cd "$(dirname "$0")/.."
dataset="" budget=120 seeds="0 1 2" recipes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    *) recipes+=("$1"); shift ;;
  esac
done
[ -n "$dataset" ] && [ ${#recipes[@]} -gt 0 ] || { echo "usage: $0 --dataset DIR [--budget S] [--seeds \"0 1 2\"] RECIPE..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-28s %5s %8s %8s %7s\n' recipe seed top1 top5 steps
for recipe in "${recipes[@]}"; do
  name=$(basename "${recipe#template:}" .yaml)
  total=0
  for seed in $seeds; do
    run="$work/$name-$seed"
    mkdir -p "$run"
    done_line=$(./lb train "$recipe" --seed "$seed" --dataset "$dataset" --budget "$budget" --out "$run" | grep '"event":"done"')
    checkpoint=$(sed -E 's/.*"checkpoint":"([^"]+)".*/\1/' <<<"$done_line")
    steps=$(sed -E 's/.*"step":([0-9]+).*/\1/' <<<"$done_line")
    result=$(./lb evaluate "$checkpoint" --dataset "$dataset")
    top1=$(sed -E 's/.*"top1":([0-9.]+).*/\1/' <<<"$result")
    top5=$(sed -E 's/.*"top5":([0-9.]+).*/\1/' <<<"$result")
    printf '%-28s %5s %8.2f %8.2f %7s\n' "$name" "$seed" "$top1" "$top5" "$steps"
    total=$(awk -v a="$total" -v b="$top1" 'BEGIN { print a + b }')
  done
  awk -v n="$name" -v t="$total" -v k="$(wc -w <<<"$seeds")" 'BEGIN { printf "%-28s mean top-1 %.2f over %d seeds\n", n, t / k, k }'
done
