#!/usr/bin/env bash
# Backs up and restores a Leaderboard deployment: its PostgreSQL database (the platform's tables and Hangfire's
# schema) and the runs' checkpoints (Worker__DataRoot/runs). docs/deploy.md "Backups" says when and how.
#
#   backup.sh backup DIR     DIR/database.dump (pg_dump custom format), DIR/checkpoints.tar.gz, DIR/SHA256SUMS
#   backup.sh restore DIR    verifies the checksums, restores the database over the target one (objects in the dump
#                            are dropped and recreated, in one transaction) and replaces the checkpoints folder
#
# The database comes from libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE); the checkpoints folder
# from LB_RUNS_DIR. Stop the web app and the workers before a restore.
set -euo pipefail

die() { printf 'backup.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'backup.sh: %s\n' "$*" >&2; }

[ $# -eq 2 ] || die "usage: backup.sh backup|restore DIR"
verb=$1 dir=$2
: "${PGDATABASE:?set PGDATABASE (and PGHOST, PGPORT, PGUSER, PGPASSWORD as needed) to the platform database}"
: "${LB_RUNS_DIR:?set LB_RUNS_DIR to the runs folder (Worker__DataRoot/runs)}"

backup() {
  [ -e "$dir/database.dump" ] && die "$dir already holds a backup"
  mkdir -p "$dir"
  # The database first: every checkpoint a run row names was written before the dump, so it is in the archive below.
  say "dumping database $PGDATABASE"
  pg_dump --format=custom --no-owner --file="$dir/database.dump"
  say "archiving checkpoints from $LB_RUNS_DIR"
  mkdir -p "$LB_RUNS_DIR"
  tar -czf "$dir/checkpoints.tar.gz" -C "$LB_RUNS_DIR" .
  (cd "$dir" && sha256sum database.dump checkpoints.tar.gz > SHA256SUMS)
  say "backup written to $dir"
}

restore() {
  [ -f "$dir/SHA256SUMS" ] || die "$dir holds no backup (no SHA256SUMS)"
  (cd "$dir" && sha256sum --check --quiet SHA256SUMS) || die "$dir: checksums do not match; the backup is damaged"
  say "restoring database $PGDATABASE"
  pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$PGDATABASE" "$dir/database.dump"
  say "restoring checkpoints into $LB_RUNS_DIR"
  mkdir -p "$LB_RUNS_DIR"
  find "$LB_RUNS_DIR" -mindepth 1 -delete
  tar -xzf "$dir/checkpoints.tar.gz" -C "$LB_RUNS_DIR"
  say "restored from $dir"
}

case "$verb" in
  backup) backup ;;
  restore) restore ;;
  *) die "unknown verb '$verb' (backup or restore)" ;;
esac
