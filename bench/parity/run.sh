#!/usr/bin/env bash
# Learning-speed parity (issue 16): trains the same plain ViT recipe with `lb train` and with the PyTorch reference
# (bench/parity/reference.py) on generated datasets of different character, 3 seeds each, and prints mean top-1 side by
# side: PyTorch for the same time budget, and PyTorch for the same number of steps as lb made. Each dataset's summary
# gives mean ± sample standard deviation over the seeds and the paired difference lb − PyTorch (same steps) with its
# 95 % confidence interval (Student t over the per-seed differences), so "within seed noise" is a number.
#   bench/parity/run.sh [--budget 60 | --steps N] [--seeds "0 1 2"] [--datasets "..."] [--threads T] [--recipe FILE] [--ref-args "..."]
# --threads gives both trainers T libtorch threads (default: one per core); with --steps the scores do not depend on
# it, and one thread each runs best on a machine that is busy with other work.
# Datasets: strokes and textures (bench/parity/make_datasets.py) and the synthetic track's set (./lb synth), generated
# once under .data/parity. Run it on a quiet machine: both trainers get the same cores, one after the other.
set -euo pipefail
cd "$(dirname "$0")/../.."
budget=60 steps="" threads="" seeds="0 1 2" datasets="strokes textures synthetic" recipe=bench/parity/vit-plain.yaml ref_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --budget) budget="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --datasets) datasets="$2"; shift 2 ;;
    --recipe) recipe="$2"; shift 2 ;;
    --ref-args) ref_args="$2"; shift 2 ;;
    *) echo "usage: $0 [--budget S | --steps N] [--seeds \"0 1 2\"] [--datasets \"strokes textures synthetic\"] [--threads T] [--recipe FILE] [--ref-args \"...\"]" >&2; exit 2 ;;
  esac
done
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null ||
  { echo "parity: the reference trainer needs Debian's PyTorch: apt-get install python3-torch python3-torchvision" >&2; exit 1; }
data=.data/parity
[ -d "$data/strokes/val" ] || /usr/bin/python3 bench/parity/make_datasets.py "$data" >&2
[ -d "$data/synthetic/val" ] || ./lb synth "$data/synthetic" --classes 10 --size 32 >&2
lb_threads=() ref_threads=()
[ -n "$threads" ] && lb_threads=(--threads "$threads") ref_threads=(--threads "$threads")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
field() { sed -E "s/.*\"$1\": ?\"?([0-9.-]+)\"?.*/\1/" <<<"$2"; }
batch_of() { sed -nE 's/.*batch_size: *([0-9]+).*/\1/p' "$1" | head -1; }
# mean ± sd of a column of numbers ("-" lines skipped).
spread() { awk '$1 != "-" { s += $1; q += $1 * $1; n++ } END { if (!n) { printf "-"; exit } m = s / n;
  sd = n > 1 ? sqrt((q - n * m * m) / (n - 1)) : 0; printf "%.1f ± %.1f", m, (sd > 0 ? sd : 0) }'; }
# Paired lb − torch difference: mean and 95 % interval (two-sided Student t, n − 1 degrees of freedom).
difference() { paste "$1" "$2" | awk 'BEGIN { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262", t, " ") }
  $2 != "-" { d = $1 - $2; s += d; q += d * d; n++ } END { if (n < 2) { printf "-"; exit } m = s / n;
  sd = sqrt((q - n * m * m) / (n - 1)); h = (n - 1 <= 9 ? t[n - 1] : 2.0) * sd / sqrt(n);
  printf "%+.1f [%+.1f, %+.1f]", m, m - h, m + h }'; }
printf '%-10s %5s | %-17s | %-17s | %-17s\n' dataset seed "lb (steps top1)" "torch same time" "torch same steps"
for name in $datasets; do
  : >"$work/lb" ; : >"$work/time" ; : >"$work/steps"
  for seed in $seeds; do
    out="$work/$name-$seed" run_recipe="$recipe" run_budget="$budget"
    if [ -n "$steps" ]; then
      # The epochs nearest to the asked steps over the train split less lb's 2 % held-back slice; no time limit.
      epochs=$(awk -v s="$steps" -v b="$(batch_of "$recipe")" -v n="$(find "$data/$name/train" -type f | wc -l)" \
        'BEGIN { e = int(s * b / (n - int(n * 0.02)) + 0.5); print (e < 1 ? 1 : e) }')
      run_recipe="$work/recipe-$name.yaml" run_budget=36000
      # over: epochs counts warmup in epochs too: the same fraction of the run as the budget recipe's.
      warmup=$(sed -nE 's/.*warmup: *([0-9.]+).*/\1/p' "$recipe" | head -1)
      sed -E -e "s/over: *budget/over: epochs, epochs: $epochs/" \
        -e "s/warmup: *[0-9.]+/warmup: $(awk -v w="${warmup:-0}" -v e="$epochs" 'BEGIN { print w * e }')/" "$recipe" >"$run_recipe"
    fi
    done_line=$(./lb train "$run_recipe" --seed "$seed" --dataset "$data/$name" --budget "$run_budget" --out "$out" "${lb_threads[@]}" | grep '"event":"done"')
    steps_made=$(field step "$done_line")
    ours=$(./lb evaluate "$(sed -E 's/.*"checkpoint":"([^"]+)".*/\1/' <<<"$done_line")" --dataset "$data/$name")
    if [ -n "$steps" ]; then
      same_time='{"steps":"-","top1":"-"}'
    else
      # shellcheck disable=SC2086
      same_time=$(/usr/bin/python3 bench/parity/reference.py --dataset "$data/$name" --budget "$budget" --seed "$seed" "${ref_threads[@]}" $ref_args)
    fi
    # shellcheck disable=SC2086
    same_steps=$(/usr/bin/python3 bench/parity/reference.py --dataset "$data/$name" --steps "$steps_made" --seed "$seed" "${ref_threads[@]}" $ref_args)
    field top1 "$ours" >>"$work/lb"; field top1 "$same_time" >>"$work/time"; field top1 "$same_steps" >>"$work/steps"
    printf '%-10s %5s | %6s %9s | %6s %9s | %6s %9s\n' "$name" "$seed" "$steps_made" "$(field top1 "$ours")" \
      "$(field steps "$same_time")" "$(field top1 "$same_time")" "$steps_made" "$(field top1 "$same_steps")"
  done
  printf '%-10s %5s | %16s | %16s | %16s | lb − torch (same steps) %s\n' "$name" mean "$(spread <"$work/lb")" \
    "$(spread <"$work/time")" "$(spread <"$work/steps")" "$(difference "$work/lb" "$work/steps")"
done
