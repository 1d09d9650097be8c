#!/usr/bin/env bash
# Budgeted training's saving early in training (Xia et al. 2023): training-step throughput (the trainer's bench train: forward,
# cross-entropy, backward, AdamW on one synthetic batch) of each stage of a budgeted recipe against its full model, same
# batch, same device; prints images/s per stage, the speed-up over the full model, and the analytic relative cost.
#   bench/budgeted_step_time.sh [RECIPE] [--batch N] [--steps N] [--threads N] [--device cpu]
# RECIPE defaults to template:tiny-quick-budgeted. Timings on a shared machine are noisy: note the load (uptime).
set -euo pipefail
cd "$(dirname "$0")/.."
recipe="template:tiny-quick-budgeted" args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --batch|--steps|--threads|--device|--warmup) args+=("$1" "$2"); shift 2 ;;
    *) recipe="$1"; shift ;;
  esac
done
uptime
plan=$(./lb flops "$recipe" --classes 10)   # builds the trainer once; the runs below call it directly
trainer=(dotnet src/Training/Leaderboard.Trainer/bin/Release/net10.0/lb-trainer.dll)
stages=$(grep -o '"heads":[0-9]*' <<<"$plan" | wc -l)
[ "$stages" -gt 0 ] || { echo "$recipe has no training.budgeted section" >&2; exit 2; }
full=$("${trainer[@]}" bench train --recipe "$recipe" --classes 10 "${args[@]}")
full_ips=$(sed -E 's/.*"images_per_second":([0-9.]+).*/\1/' <<<"$full")
printf '%-6s %6s %6s %5s %12s %9s %13s\n' stage heads mlp img images/s speed-up relative_cost
for k in $(seq 1 "$stages"); do
  r=$("${trainer[@]}" bench train --recipe "$recipe" --stage "$k" --classes 10 "${args[@]}")
  ips=$(sed -E 's/.*"images_per_second":([0-9.]+).*/\1/' <<<"$r")
  cost=$(grep -o '"relativeCost":[0-9.]*' <<<"$plan" | sed -n "$((k + 1))p" | cut -d: -f2)
  heads=$(grep -o '"heads":[0-9]*' <<<"$plan" | sed -n "${k}p" | cut -d: -f2)
  mlp=$(grep -o '"mlpHidden":[0-9]*' <<<"$plan" | sed -n "${k}p" | cut -d: -f2)
  img=$(grep -o '"img":[0-9]*' <<<"$plan" | sed -n "$((k + 1))p" | cut -d: -f2)
  awk -v k="$k" -v h="$heads" -v m="$mlp" -v i="$img" -v a="$ips" -v f="$full_ips" -v c="$cost" \
    'BEGIN { printf "%-6s %6s %6s %5s %12.1f %8.2fx %13s\n", k, h, m, i, a, a / f, c }'
done
printf 'full model (no slicing): %s images/s\n' "$full_ips"
uptime
