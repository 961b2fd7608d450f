#!/usr/bin/env bash
# Prove the backup works: build a scratch database with demo data, back it up with pg_dump,
# wipe it, restore it with pg_restore, and compare row counts table by table.
# Usage: deploy/backup-restore-check.sh   (make backup-check). Exit 1 if anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
DB="${BACKUP_CHECK_DB:-feedback_backup_check}"
PG="postgresql://postgres@127.0.0.1:5432"
WORK="$(mktemp -d /tmp/feedback-backup.XXXXXX)"
trap 'rm -rf "$WORK"; psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
export DATABASE_URL="$PG/$DB" FEEDBACK_ENV=development FEEDBACK_INSTANCE_PATH="$WORK/instance"
FLASK="$VENV/bin/flask --app feedback"

counts() {  # one "table rows" line per table, sorted
  psql "$PG/$DB" -At -c "SELECT table_name FROM information_schema.tables
                         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" |
  while read -r table; do
    echo "$table $(psql "$PG/$DB" -At -c "SELECT count(*) FROM \"$table\"")"
  done
}

echo "1. Scratch database $DB with demo data"
psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$FLASK db upgrade >"$WORK/setup.log" 2>&1
$FLASK seed-demo >>"$WORK/setup.log" 2>&1
counts >"$WORK/before.txt"

echo "2. Back up (pg_dump --format=custom)"
pg_dump --format=custom --no-owner --file="$WORK/feedback.dump" "$PG/$DB"
echo "   $(du -h "$WORK/feedback.dump" | cut -f1) written"

echo "3. Wipe: drop the database"
psql "$PG/postgres" -q -c "DROP DATABASE $DB" -c "CREATE DATABASE $DB"
echo "   tables left: $(psql "$PG/$DB" -At -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")"

echo "4. Restore (pg_restore)"
pg_restore --no-owner --exit-on-error --dbname="$PG/$DB" "$WORK/feedback.dump"
counts >"$WORK/after.txt"

echo "5. Compare row counts"
printf "   %-28s %8s %8s\n" table backed-up restored
join "$WORK/before.txt" "$WORK/after.txt" | while read -r table before after; do
  printf "   %-28s %8s %8s%s\n" "$table" "$before" "$after" "$([ "$before" = "$after" ] || echo '  DIFFERENT')"
done
$FLASK db current 2>/dev/null | tail -1 | sed 's/^/   migration: /'
if diff -q "$WORK/before.txt" "$WORK/after.txt" >/dev/null; then
  echo "PASS: every table restored with the same number of rows"
else
  echo "FAIL: counts differ"; exit 1
fi
