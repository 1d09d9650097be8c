#!/usr/bin/env bash
# Load test of the leaderboard read path: seeds 10,000 completed results on the synthetic track into a private
# database, starts the site (Release, worker off), and measures with wrk on loopback
#   - the leaderboard API, one page of 50 (GET /api/v1/tracks/synthetic-cpu-2min/leaderboard?pageSize=50),
#   - the same with If-None-Match (304s),
#   - the track page (GET /tracks/synthetic-cpu-2min, 50 rows),
# plus the uncached (first-request) latency of a few distinct queries.
#   bench/leaderboard_load.sh [--connections 64] [--duration 15s] [--threads 2] [--results 10000]
# Needs wrk (apt-get install wrk) and PostgreSQL's server binaries (Debian package postgresql). The cluster lives in
# .data/bench-postgres on port $LB_PG_PORT (default 54339); the site listens on $LB_BENCH_PORT (default 5099).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
connections=64 duration=15s threads=2 results=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "usage: $0 [--connections N] [--duration 15s] [--threads N] [--results N]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_port="${LB_PG_PORT:-54339}" site_port="${LB_BENCH_PORT:-5099}"
pg_dir="$ROOT/.data/bench-postgres" pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$pg_dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir" && chmod 700 "$pg_dir"
[ -f "$pg_dir/PG_VERSION" ] || as_owner "$pg_bin/initdb" -D "$pg_dir" -U lb --auth=trust -E UTF8 --no-locale >/dev/null
as_owner "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1 \
  || as_owner "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c max_connections=200" start >/dev/null
psql_lb() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U lb "$@"; }
psql_lb -d postgres -c "DROP DATABASE IF EXISTS lbbench WITH (FORCE)" -c "CREATE DATABASE lbbench"

echo "building the site (Release)" >&2
dotnet build src/Web/Leaderboard.Web.csproj -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary" >&2
site_log=$(mktemp)
ConnectionStrings__Leaderboard="Host=127.0.0.1;Port=$pg_port;Username=lb;Database=lbbench;Maximum Pool Size=100" \
  Worker__Enabled=false Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet src/Web/bin/Release/net10.0/Leaderboard.Web.dll --urls "http://127.0.0.1:$site_port" --contentRoot "$ROOT/src/Web" >"$site_log" 2>&1 &
site=$!
trap 'kill $site 2>/dev/null; wait $site 2>/dev/null; as_owner "$pg_bin/pg_ctl" -D "$pg_dir" -m fast stop >/dev/null; rm -f "$site_log"' EXIT
base="http://127.0.0.1:$site_port"
for _ in $(seq 120); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$base/health/ready" >/dev/null || { cat "$site_log" >&2; exit 1; }

echo "seeding $results results on synthetic-cpu-2min" >&2
psql_lb -d lbbench <<SQL
SELECT setseed(0.42);
INSERT INTO submissions (track_id, name, owner, recipe_text, recipe_canonical, recipe_hash, estimated_params, estimated_gflops, created_at)
SELECT t.id, 'bench recipe ' || g, 'bench', '{}',
       jsonb_build_object(
         'model', jsonb_build_object('variant', (ARRAY['tiny','small','base','custom'])[1 + g % 4],
                                     'ffn', (ARRAY['mlp','locality','localvit'])[1 + g % 3],
                                     'tokenizer', CASE WHEN g % 5 = 0 THEN 'spt' ELSE 'patch' END,
                                     'attention', CASE WHEN g % 7 = 0 THEN 'lsa' ELSE 'mhsa' END),
         'data', jsonb_build_object('curriculum', CASE WHEN g % 2 = 0 THEN '{"start":32,"step":32,"every":0.2,"unit":"budget"}'::jsonb ELSE 'null'::jsonb END)),
       md5(g::text) || md5((g + 1)::text), 1000000 + g * 10, 0.1 + g / 100000.0, now() - (g || ' minutes')::interval
FROM generate_series(1, $results) g, tracks t WHERE t.slug = 'synthetic-cpu-2min';
INSERT INTO runs (submission_id, status, queued_at, started_at, finished_at, attempt, cancel_requested)
SELECT id, 'Completed', created_at, created_at, created_at + interval '2 minutes', 1, false FROM submissions WHERE owner = 'bench';
INSERT INTO results (run_id, top1, top5, eval_images, params, gflops, eval_image_size, images_per_second, train_seconds, device, recipe_hash, seed, created_at)
SELECT r.id, round((random() * 60)::numeric, 2), least(100, round((40 + random() * 60)::numeric, 2)), 1000, s.estimated_params, s.estimated_gflops, 32,
       500 + random() * 1500, 118 + random() * 2, CASE WHEN r.id % 10 = 0 THEN 'cuda' ELSE 'cpu' END, s.recipe_hash, 0, r.finished_at
FROM runs r JOIN submissions s ON s.id = r.submission_id WHERE s.owner = 'bench';
ANALYZE;
SQL

api="$base/api/v1/tracks/synthetic-cpu-2min/leaderboard?pageSize=50"
page="$base/tracks/synthetic-cpu-2min"
echo "== uncached first requests (each a distinct query; includes the database)"
for q in "pageSize=50&page=7" "pageSize=50&sort=params" "pageSize=50&component=locality,curriculum&family=base" "pageSize=50&device=cuda&sort=imagesPerSecond" "pageSize=50&format=csv&page=3"; do
  curl -s -o /dev/null -w "  $q: %{http_code} in %{time_total}s, %{size_download} bytes\n" "$base/api/v1/tracks/synthetic-cpu-2min/leaderboard?$q"
done
curl -s -o /dev/null -w "  track page: %{http_code} in %{time_total}s, %{size_download} bytes\n" "$page"
etag=$(curl -sI "$api" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')

measure() { # NAME URL [HEADER]
  local name="$1" url="$2" out
  curl -s -o /dev/null "$url" # warm
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency ${3:+-H "$3"} "$url")
  printf '== %s: %s\n' "$name" "$url"
  grep -E "Requests/sec|Non-2xx|Socket errors| (50|99)%|Latency " <<<"$out" | sed 's/^/  /'
}
measure "leaderboard API, page of 50" "$api"
measure "leaderboard API, If-None-Match (304)" "$api" "If-None-Match: $etag"
measure "track page, 50 rows" "$page"
