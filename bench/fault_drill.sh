#!/usr/bin/env bash
# Fault drill: several concurrent runs on real worker processes (the Leaderboard.Jobs host, as ./lb worker starts it)
# and the real trainer, against a private PostgreSQL cluster, while faults are injected at random points:
#   pg-restart      PostgreSQL stopped for 10 s, then started again
#   pg-outage       PostgreSQL down for --outage seconds (default 150)
#   worker-sigterm  a worker holding a run stopped as for an upgrade (SIGTERM), started again 5 s later
#   worker-sigkill  a worker holding a run and its trainer killed (SIGKILL: a node lost), started again 5 s later
#   trainer-sigkill a running trainer killed (SIGKILL; crash / OOM killer)
#   unwritable      a running run's folder made unwritable (chattr +i) until the drill ends
# Then it waits until every run is final (or --patience passes) and prints: submitted, completed, failed with a
# reason, failed without one, stuck (not final), lost (submitted but not stored), duplicated (more than one result or
# scored twice). Done means 0 stuck, 0 lost, 0 duplicated, 0 failed without a reason.
#   bench/fault_drill.sh [--runs 6] [--workers 3] [--budget 60] [--outage 150] [--seed N] [--patience 1500]
# Needs PostgreSQL's server binaries (Debian package postgresql), curl, jq and root (chattr, runuser). The cluster lives
# in .data/drill-postgres on port $LB_DRILL_PG_PORT (default 54364); the site listens on $LB_DRILL_PORT (default 5183).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
runs=6 workers=3 budget=60 outage=150 seed=$RANDOM patience=1500
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --outage) outage="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --patience) patience="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--workers N] [--budget S] [--outage S] [--seed N] [--patience S]" >&2; exit 2 ;;
  esac
done
RANDOM=$seed
for tool in curl jq chattr runuser; do command -v $tool >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
[ "$(id -u)" = 0 ] || { echo "run the drill as root (chattr, runuser)" >&2; exit 1; }

pg_port="${LB_DRILL_PG_PORT:-54364}" site_port="${LB_DRILL_PORT:-5183}"
pg_dir="$ROOT/.data/drill-postgres" pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data_root=$(mktemp -d /tmp/lb-drill-XXXXXX)
logs="$data_root/logs"; mkdir -p "$logs"
as_owner() { runuser -u postgres -- "$@"; }
pg_up() { as_owner "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 60 -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c max_connections=200" start >/dev/null; }
pg_down() { as_owner "$pg_bin/pg_ctl" -D "$pg_dir" -m fast -w stop >/dev/null; }
psql_lb() { psql -X -q -t -A -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U lb -d lbdrill "$@"; }
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

declare -A worker_pid=()
site_pid=
cleanup() {
  for pid in "${worker_pid[@]}" $site_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  chattr -R -i "$data_root" 2>/dev/null || true
  as_owner "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1 && pg_down
  rm -rf "$data_root"
}
trap cleanup EXIT

mkdir -p "$pg_dir"; chown postgres:postgres "$pg_dir"; chmod 700 "$pg_dir"
[ -f "$pg_dir/PG_VERSION" ] || as_owner "$pg_bin/initdb" -D "$pg_dir" -U lb --auth=trust -E UTF8 --no-locale >/dev/null
as_owner "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1 || pg_up
psql -X -q -h 127.0.0.1 -p "$pg_port" -U lb -d postgres -c "DROP DATABASE IF EXISTS lbdrill WITH (FORCE)" -c "CREATE DATABASE lbdrill"

echo "building the site, the worker host and the trainer (Release)" >&2
for project in src/Web/Leaderboard.Web.csproj src/Jobs/Leaderboard.Jobs.csproj src/Training/Leaderboard.Trainer/Leaderboard.Trainer.csproj; do
  dotnet build "$project" -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary" >&2
done
trainer_dll="$ROOT/src/Training/Leaderboard.Trainer/bin/Release/net10.0/lb-trainer.dll"
connection="Host=127.0.0.1;Port=$pg_port;Username=lb;Database=lbdrill"
token="drill-$(head -c 24 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')"


ConnectionStrings__Leaderboard="$connection" Worker__Enabled=false LB_ADMIN_TOKEN="$token" Quotas__Default__MaxActiveRuns=100 \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet src/Web/bin/Release/net10.0/Leaderboard.Web.dll --urls "http://127.0.0.1:$site_port" --contentRoot "$ROOT/src/Web" >"$logs/site.log" 2>&1 &
site_pid=$!
base="http://127.0.0.1:$site_port"
for _ in $(seq 240); do curl -sf "$base/api/v1/tracks" >/dev/null && break; sleep 0.5; done
curl -sf "$base/api/v1/tracks" >/dev/null || { cat "$logs/site.log" >&2; exit 1; }
# The drill's own track: the synthetic dataset with a shorter budget, so several rounds of runs fit.
columns=$(psql_lb -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'tracks' AND column_name <> 'id'")
values=$(echo ",$columns," | sed -e "s/,slug,/,'fault-drill',/" -e "s/,name,/,'Fault drill',/" -e "s/,budget_seconds,/,$budget,/" -e "s/,created_at,/,now(),/" -e 's/^,//' -e 's/,$//')
psql_lb -c "INSERT INTO tracks ($columns) SELECT $values FROM tracks WHERE slug = 'synthetic-cpu-2min'"

start_worker() { # NAME
  local name=$1
  ConnectionStrings__Leaderboard="$connection" Worker__NodeName="$name" Worker__DataRoot="$data_root" Worker__TrainerPath="$trainer_dll" \
    Worker__NvidiaSmi=/nonexistent/nvidia-smi Worker__InvisibilityTimeoutSeconds=30 Worker__HeartbeatSeconds=2 Worker__ReconcileSeconds=10 \
    Worker__StopGraceSeconds=30 Logging__LogLevel__Default=Information \
    dotnet src/Jobs/bin/Release/net10.0/Leaderboard.Jobs.dll >>"$logs/$name.log" 2>&1 &
  worker_pid[$name]=$!
}
start_worker drill-1
for _ in $(seq 600); do [ -f "$data_root/datasets/synthetic/dataset.json" ] && break; sleep 1; done
for i in $(seq 2 "$workers"); do start_worker "drill-$i"; done

recipe=$(cat <<'YAML'
model:
  variant: custom
  embed_dim: 64
  depth: 3
  heads: 2
  patch_size: 4
  init: torch
optimizer:
  lr: 0.002
  weight_decay: 0.05
training:
  batch_size: 64
  precision: fp32
  checkpoint_every: 0.2
data:
  image_size: 32
  augment: light
evaluation:
  image_size: 32
  crop_ratio: 1.0
YAML
)
submitted=()
for i in $(seq "$runs"); do
  body=$(jq -n --arg r "$recipe" --arg n "drill run $i" --argjson s "$i" '{track: "fault-drill", name: $n, recipe: ($r + "\nseed: " + ($s | tostring) + "\n")}')
  answer=$(curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$base/api/v1/submissions")
  id=$(jq -r '.runId // empty' <<<"$answer")
  [ -n "$id" ] || { echo "submitting failed: $answer" >&2; exit 1; }
  submitted+=("$id")
done
say "submitted ${#submitted[@]} runs (${submitted[*]}) to $workers workers; budget $budget s; seed $seed"

# A random run that is training now, as "id worker attempt" (empty when none).
running_run() { psql_lb -F ' ' -c "SELECT id, worker, attempt FROM runs WHERE status = 'Running' ORDER BY random() LIMIT 1" 2>/dev/null || true; }

faults=(pg-restart pg-outage worker-sigterm worker-sigkill trainer-sigkill unwritable)
# Shuffled: each fault once, at a random point of the runs.
for i in "${!faults[@]}"; do j=$((RANDOM % (i + 1))); t=${faults[$i]}; faults[$i]=${faults[$j]}; faults[$j]=$t; done
injected=()
for fault in "${faults[@]}"; do
  sleep $((5 + RANDOM % 20))
  target=$(running_run)
  for _ in $(seq 30); do [ -n "$target" ] && break; sleep 2; target=$(running_run); done
  read -r run node attempt <<<"${target:-- - -}"
  case "$fault" in
    pg-restart) say "fault: PostgreSQL restart (10 s down) while run $run trains"; pg_down; sleep 10; pg_up ;;
    pg-outage) say "fault: PostgreSQL outage of $outage s while run $run trains"; pg_down; sleep "$outage"; pg_up ;;
    worker-sigterm)
      [ "$node" = - ] && { say "fault: $fault skipped (no run training)"; continue; }
      say "fault: SIGTERM to worker $node (run $run), started again 5 s after it exits"
      kill -TERM "${worker_pid[$node]}"; wait "${worker_pid[$node]}" 2>/dev/null || true; sleep 5; start_worker "$node" ;;
    worker-sigkill)
      [ "$node" = - ] && { say "fault: $fault skipped (no run training)"; continue; }
      say "fault: SIGKILL to worker $node and its trainer (run $run), started again 5 s later"
      pkill -KILL -P "${worker_pid[$node]}" 2>/dev/null || true; kill -KILL "${worker_pid[$node]}"; wait "${worker_pid[$node]}" 2>/dev/null || true
      sleep 5; start_worker "$node" ;;
    trainer-sigkill)
      [ "$node" = - ] && { say "fault: $fault skipped (no run training)"; continue; }
      trainer=$(pgrep -P "${worker_pid[$node]}" -f lb-trainer.dll | head -n 1 || true)
      say "fault: SIGKILL to the trainer of run $run (pid ${trainer:-none}) on $node"
      [ -n "$trainer" ] && kill -KILL "$trainer" ;;
    unwritable)
      [ "$node" = - ] && { say "fault: $fault skipped (no run training)"; continue; }
      say "fault: run folder of run $run attempt $attempt made unwritable (chattr +i)"
      chattr +i "$data_root/runs/$run/attempt-$attempt" ;;
  esac
  injected+=("$fault")
done

say "faults injected: ${injected[*]}; waiting for every run to end (at most $patience s)"
ids=$(IFS=,; echo "${submitted[*]}")
deadline=$((SECONDS + patience))
while [ $SECONDS -lt $deadline ]; do
  open=$(psql_lb -c "SELECT count(*) FROM runs WHERE id IN ($ids) AND status NOT IN ('Completed','Failed','Cancelled','BudgetExceeded')" 2>/dev/null || echo "?")
  [ "$open" = 0 ] && break
  sleep 5
done

say "runs:"
psql_lb -F ' | ' -c "SELECT id, status, attempt, worker, coalesce(failure_class, '-'), coalesce(left(failure_reason, 160), '-') FROM runs WHERE id IN ($ids) ORDER BY id"
read -r stored completed failed_reason failed_bare stuck <<<"$(psql_lb -F ' ' -c "SELECT count(*),
    count(*) FILTER (WHERE status = 'Completed'),
    count(*) FILTER (WHERE status IN ('Failed','BudgetExceeded') AND failure_reason IS NOT NULL),
    count(*) FILTER (WHERE status IN ('Failed','BudgetExceeded') AND failure_reason IS NULL),
    count(*) FILTER (WHERE status NOT IN ('Completed','Failed','Cancelled','BudgetExceeded'))
  FROM runs WHERE id IN ($ids)")"
# Recorded twice: more than one result, or a run whose result was scored by two evaluations of the same attempt's checkpoint.
duplicated=$(psql_lb -c "SELECT count(*) FROM (SELECT run_id FROM results WHERE run_id IN ($ids) GROUP BY run_id HAVING count(*) > 1) d")
echo "submitted: ${#submitted[@]}"
echo "completed: $completed"
echo "failed with a reason: $failed_reason"
echo "failed without a reason: $failed_bare"
echo "stuck: $stuck"
echo "lost: $(( ${#submitted[@]} - stored ))"
echo "duplicated: $duplicated"
