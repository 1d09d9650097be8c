#!/usr/bin/env bash
# A budget that a noisy neighbour cannot eat (issue 12): trains the synthetic track's default template (tiny-quick) for
# each seed alone and next to a competing load (one busy loop per core, pinned with taskset to the trainer's cores),
# under a wall-clock budget and under a CPU-time budget, scores each run on the val split, and prints the step counts
# and top-1 side by side with each cell's mean. Under cpu-time the loaded rows should match the unloaded ones within
# seed noise; under wall they lose steps and accuracy in proportion to the load.
#   bench/budget_under_load.sh [--budget 120] [--seeds "0 1 2"] [--cores 0-1] [--template tiny-quick] [--dataset DIR]
# The dataset defaults to the platform's synthetic one (.data/datasets/synthetic, generated here when missing, as the
# worker does). Timings depend on the machine: run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=120 seeds="0 1 2" cores="0-$(($(nproc) - 1))" template=tiny-quick dataset=.data/datasets/synthetic
while [ $# -gt 0 ]; do
  case "$1" in
    --budget) budget="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --template) template="$2"; shift 2 ;;
    --dataset) dataset="$2"; shift 2 ;;
    *) echo "usage: $0 [--budget S] [--seeds \"0 1 2\"] [--cores LIST] [--template NAME] [--dataset DIR]" >&2; exit 2 ;;
  esac
done
command -v taskset >/dev/null || { echo "budget_under_load: taskset (Debian package util-linux) is needed" >&2; exit 1; }
trainer="src/Training/Leaderboard.Trainer/bin/${LB_CONFIGURATION:-Release}/net10.0/lb-trainer.dll"
[ -f "$trainer" ] || ./lb build
if [ ! -d "$dataset/val" ]; then
  dotnet "$trainer" synth "$dataset" --classes 10 --size 64 --train-per-class 300 --val-per-class 50 --seed 0 >/dev/null
fi
# One busy loop per core of the list (e.g. "0-1" or "1,3").
ncores=$(taskset -c "$cores" nproc)
work=$(mktemp -d)
busy=()
stop_load() { for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done; busy=(); }
trap 'stop_load; rm -rf "$work"' EXIT

results="$work/results"
printf '%-9s %-7s %5s %7s %8s %8s\n' mode load seed steps top1 wall_s
for mode in wall cpu-time; do
  for load in none busy; do
    if [ "$load" = busy ]; then
      for _ in $(seq "$ncores"); do taskset -c "$cores" bash -c 'while :; do :; done' & busy+=($!); done
    fi
    for seed in $seeds; do
      out="$work/$mode-$load-$seed"
      start=$(date +%s.%N)
      done_line=$(taskset -c "$cores" dotnet "$trainer" train "template:$template" --seed "$seed" --dataset "$dataset" --budget "$budget" \
        --budget-mode "$mode" --out "$out" | grep '"event":"done"')
      wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
      checkpoint=$(sed -E 's/.*"checkpoint":"([^"]+)".*/\1/' <<<"$done_line")
      steps=$(sed -E 's/.*"step":([0-9]+).*/\1/' <<<"$done_line")
      # Scoring is not part of the budget: it runs without the load.
      stop_load_for_eval=("${busy[@]}")
      for pid in "${stop_load_for_eval[@]}"; do kill -STOP "$pid"; done
      top1=$(dotnet "$trainer" evaluate "$checkpoint" --dataset "$dataset" | sed -E 's/.*"top1":([0-9.]+).*/\1/')
      for pid in "${stop_load_for_eval[@]}"; do kill -CONT "$pid"; done
      printf '%-9s %-7s %5s %7s %8.2f %8s\n' "$mode" "$load" "$seed" "$steps" "$top1" "$wall"
      echo "$mode $load $steps $top1" >> "$results"
    done
    stop_load
  done
done
echo
echo "mean over seeds ($template, budget $budget s, cores $cores, load: $ncores busy loops):"
awk '{ k = $1 " " $2; n[k]++; s[k] += $3; t[k] += $4 }
     END { printf "%-9s %-7s %9s %9s\n", "mode", "load", "steps", "top1";
           split("wall none,wall busy,cpu-time none,cpu-time busy", order, ",");
           for (i = 1; i <= 4; i++) { k = order[i]; split(k, p, " "); printf "%-9s %-7s %9.1f %9.2f\n", p[1], p[2], s[k] / n[k], t[k] / n[k] } }' "$results"
