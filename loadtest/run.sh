#!/usr/bin/env bash
# Load and fault tests on loopback: a scratch PostgreSQL database, a private Redis on
# port 6390, gunicorn (4 workers x 4 threads) on 127.0.0.1:8765, one RQ worker, Locust.
#   loadtest/run.sh load     200 families + 20 forum readers for 2 minutes (make loadtest)
#   loadtest/run.sh faults   worker killed, PostgreSQL restarted, Redis down (make faults)
# Each run prints latency per page and "acknowledged = stored"; exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-load}"
VENV="${VENV:-.venv}"
WORK="${LOAD_WORK:-/tmp/feedback-load}"
DB="${LOAD_DB:-feedback_load}"
PORT="${LOAD_PORT:-8765}"
REDIS_PORT="${LOAD_REDIS_PORT:-6390}"
PGVERSION="$(ls /etc/postgresql | head -1)"
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB"
mkdir -p "$WORK"
PIDS=()

export FEEDBACK_ENV=development FLASK_DEBUG=0 LOG_FORMAT=json TRUSTED_PROXIES=1
export SECRET_KEY="load-test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DATABASE_URL="$DB_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export FEEDBACK_INSTANCE_PATH="$WORK/instance"
FLASK="$VENV/bin/flask --app feedback"

postgres_up() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$PGVERSION" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
}

redis_up() {
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 ||
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --pidfile "$WORK/redis.pid" >/dev/null
  for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
}

stop_stack() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  PIDS=()
}

cleanup() {
  stop_stack
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  postgres_up  # whatever happened, PostgreSQL is running again when we leave
}
trap cleanup EXIT

fresh_database() {
  postgres_up
  psql -h 127.0.0.1 -U postgres -d postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 1
  rm -rf "$WORK/instance" && mkdir -p "$WORK/instance"
  $FLASK db upgrade >"$WORK/setup.log" 2>&1 && $FLASK seed-demo >>"$WORK/setup.log" 2>&1 || {
    echo "Setting up the database failed; see $WORK/setup.log"; exit 1; }
}

start_stack() {
  redis_up
  "$VENV/bin/gunicorn" --workers 4 --threads 4 --worker-class gthread --timeout 30 --graceful-timeout 10 \
    --bind "127.0.0.1:$PORT" --pid "$WORK/gunicorn.pid" feedback.wsgi:app >>"$WORK/gunicorn.log" 2>&1 &
  PIDS+=($!)
  $FLASK worker >>"$WORK/worker.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "The app did not become ready; see $WORK/gunicorn.log"; exit 1
}

run_locust() {  # users seconds label
  local users="$1" seconds="$2" label="$3"
  : >"$WORK/acks-$label.jsonl"
  date -u +%Y-%m-%dT%H:%M:%S+00:00 >"$WORK/since-$label"
  ACKS_FILE="$WORK/acks-$label.jsonl" SUMMARY_FILE="$WORK/summary-$label.txt" \
  FORUM_PASSWORDS="$WORK/instance/demo-users.txt" \
    "$VENV/bin/locust" -f loadtest/locustfile.py --headless --only-summary --loglevel WARNING \
      -u "$users" -r 20 -t "${seconds}s" --stop-timeout 60 --host "http://127.0.0.1:$PORT" \
      >"$WORK/locust-$label.log" 2>&1
  cat "$WORK/summary-$label.txt"
}

drain_and_verify() {  # label
  for _ in $(seq 1 60); do
    [ "$(redis-cli -p "$REDIS_PORT" llen rq:queue:analysis 2>/dev/null || echo 0)" = "0" ] && break
    sleep 1
  done
  "$VENV/bin/python" loadtest/verify.py "$DB_URL" "$WORK/acks-$1.jsonl" --since "$(cat "$WORK/since-$1")" --label "$1"
}

worker_pids() { pgrep -P "$(cat "$WORK/gunicorn.pid")" | head -"$1"; }

fault_run() {  # label seconds-before-fault fault-command restore-command
  local label="$1" delay="$2" fault="$3" restore="$4"
  fresh_database
  start_stack
  echo
  echo "== $label =="
  ( sleep "$delay"; echo "[$(date +%T)] fault: $fault"; eval "$fault"
    if [ -n "$restore" ]; then sleep 20; echo "[$(date +%T)] restore: $restore"; eval "$restore"; fi
  ) >"$WORK/fault-$label.log" 2>&1 &
  local injector=$!
  run_locust "${FAULT_USERS:-120}" "${FAULT_SECONDS:-75}" "$label"
  wait "$injector"
  cat "$WORK/fault-$label.log"
  postgres_up; redis_up
  echo "ready after the fault: $(curl -s "http://127.0.0.1:$PORT/health/ready")"
  drain_and_verify "$label"
  local result=$?
  stop_stack
  return $result
}

status=0
case "$MODE" in
  load)
    fresh_database
    start_stack
    echo "Load: 200 families answering ${SURVEY_SLUG:-communication-with-the-send-service-wave-4} and 20 forum readers, ${LOAD_SECONDS:-120} s"
    run_locust $((${LOAD_FAMILIES:-200} + ${FORUM_READERS:-20})) "${LOAD_SECONDS:-120}" load
    drain_and_verify load || status=1
    five_xx=$(tail -1 "$WORK/summary-load.txt" | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["five_xx"])')
    [ "$five_xx" = "0" ] || { echo "FAIL: $five_xx responses were 5xx"; status=1; }
    ;;
  faults)
    fault_run worker-killed 25 'for p in $(worker_pids 1); do kill -9 $p; done; sleep 10; for p in $(worker_pids 2); do kill -9 $p; done' '' || status=1
    fault_run postgres-restarted 25 "pg_ctlcluster --skip-systemctl-redirect $PGVERSION main restart" '' || status=1
    fault_run redis-down 25 "redis-cli -p $REDIS_PORT shutdown nosave" "redis_up" || status=1
    ;;
  *) echo "usage: $0 load|faults"; exit 2 ;;
esac
[ "$status" = 0 ] && echo "All checks passed." || echo "Some checks FAILED."
exit $status
