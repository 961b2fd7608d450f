#!/usr/bin/env bash
# SQL injection scan with sqlmap (Debian's `sqlmap` package) against a local copy of the
# app on a scratch SQLite database: crawls every page an admin can reach and tests every
# form field and query parameter, CSRF tokens refreshed for each request.
# Usage: loadtest/sqlmap-scan.sh   Report: /tmp/feedback-scan/sqlmap.log (docs/security.md)
set -uo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
WORK="${SCAN_WORK:-/tmp/feedback-scan}"
PORT="${SCAN_PORT:-8766}"
rm -rf "$WORK" && mkdir -p "$WORK/instance"
export FEEDBACK_ENV=development FLASK_DEBUG=0 RATELIMIT_ENABLED=0 FEEDBACK_INSTANCE_PATH="$WORK/instance"
export DATABASE_URL="sqlite:///$WORK/scan.db"
FLASK="$VENV/bin/flask --app feedback"
$FLASK db upgrade >"$WORK/setup.log" 2>&1 && $FLASK seed-demo >>"$WORK/setup.log" 2>&1
"$VENV/bin/gunicorn" --workers 2 --threads 4 --worker-class gthread --bind "127.0.0.1:$PORT" feedback.wsgi:app \
  >"$WORK/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 40); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.5; done

# Sign in as the demo admin and hand the session cookie to sqlmap.
read -r _ EMAIL PASSWORD < <(grep -m1 '^Admin' "$WORK/instance/demo-users.txt")
TOKEN=$(curl -s -c "$WORK/jar" "$BASE/sign-in" | grep -o 'name="csrf_token"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$WORK/jar" -c "$WORK/jar" -o /dev/null --data-urlencode "email=$EMAIL" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$TOKEN" "$BASE/sign-in"
COOKIE=$(awk '$6 == "session" {print "session=" $7}' "$WORK/jar")

SLUG=communication-with-the-send-service-wave-4
EXCLUDE='sign-out|delete-my-account|/erase|/static/|qr\.png|download|\.csv|\.xlsx'
run() {  # label, sqlmap arguments... (as the signed-in admin; ANONYMOUS=1 for no cookie)
  local label="$1"; shift
  echo "== $label" | tee -a "$WORK/sqlmap.log"
  local cookie=(--cookie="$COOKIE")
  [ -n "${ANONYMOUS:-}" ] && cookie=()
  sqlmap --batch --disable-coloring --output-dir="$WORK/sqlmap" "${cookie[@]}" \
    --csrf-token=csrf_token --skip=session,csrf_token --level=2 --risk=1 --technique=BEUS "$@" 2>&1 |
    grep -E "injectable|is vulnerable|might be|not injectable|all tested parameters|CRITICAL|WARNING.*(parameter|heuristic)|testing (URL|form)|found a total" |
    tee -a "$WORK/sqlmap.log"
}
# Every form and link an admin can reach (admin sees every page staff and forums do).
[ -n "${SKIP_CRAWL:-}" ] ||
  run "crawl: every form and query parameter" -u "$BASE/" --crawl=3 --forms --crawl-exclude="$EXCLUDE"
# Query parameters the crawl might not fill in, with values that exist.
run "people search" -u "$BASE/admin/users?q=alex&role=admin"
run "ideas filters" -u "$BASE/ideas?status=published&category=Transport&sort=newest"
run "surveys filter" -u "$BASE/manage/surveys/?status=open"
run "actions filter" -u "$BASE/you-said-we-did/?status=done&theme=1"
run "resume code" -u "$BASE/resume" --data="code=ABCD-2345&csrf_token=x"
# Signed in, /sign-in redirects: test it as the anonymous visitor it is for.
ANONYMOUS=1 run "sign in (anonymous)" -u "$BASE/sign-in" --data="email=a@example.org&password=x&csrf_token=x"
run "password reset" -u "$BASE/reset-password" --data="email=a@example.org&csrf_token=x"
run "survey start" -u "$BASE/surveys/$SLUG" --data="website=&csrf_token=x"
echo "Full log: $WORK/sqlmap.log; sqlmap's own reports: $WORK/sqlmap/"
grep -q "CRITICAL" "$WORK/sqlmap.log" && { echo "Some scans did not run: see CRITICAL above"; exit 2; }
grep -qE "appears to be .*injectable|is vulnerable" "$WORK/sqlmap.log" && { echo "FINDINGS: see above"; exit 1; }
echo "No injectable parameter found."
