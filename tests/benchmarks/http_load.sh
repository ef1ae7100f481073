#!/usr/bin/env bash
# HTTP benchmark of the API on a loaded database, beside the bare baselines of ../shared/perf in
# the same run: every list and filter for a coordinator, an enterprise and a department officer,
# case detail and events, then the accept and sign transitions. Prints figures; not a test.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedload_1m bash tests/benchmarks/http_load.sh
#
# Needs ../shared/perf set up (bash ../shared/perf/setup_baseline.sh) and a database filled by
# `manage.py seed_load`. The project is served as production serves HTTP: gunicorn, sync
# workers (2, like the baseline it is compared with). Options: -d SECONDS per load (20);
# --lists-only skips the transitions (a small database has too few cases waiting to accept).
set -euo pipefail
cd "$(dirname "$0")/../.."
PROJECT=$(pwd)
PERF=${PERF:-$PROJECT/../shared/perf}
[ -d "$PERF" ] || PERF=$PROJECT/../../shared/perf  # a git worktree one level deeper
dur=20 transitions=1
while [ $# -gt 0 ]; do
  case $1 in
    -d) dur=$2; shift 2 ;;
    --lists-only) transitions=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
: "${DATABASE_URL:?set DATABASE_URL to a database filled by manage.py seed_load}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The personas' lookups count every organisation's cases: no web statement timeout for them.
eval "$(ALLOWED_HOSTS=127.0.0.1 DATABASE_STATEMENT_TIMEOUT_MS=0 .venv/bin/python tests/benchmarks/personas.py "$out")"
cases=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM cases_case")
echo "== $cases cases; sample case $SAMPLE_CASE" >&2

port=${PROJECT_PORT:-8101}  # beside PERF_PORT_G2 etc. of ../shared/perf when 8101–8111 are taken
serve="cd $PROJECT && DATABASE_URL=$DATABASE_URL DATABASE_CONN_MAX_AGE=60 ALLOWED_HOSTS=127.0.0.1 \
SECRET_KEY=benchmark-only SECURE_SSL_REDIRECT=false .venv/bin/gunicorn config.wsgi -w 2 -b 127.0.0.1:$port --log-level warning"
api=/api/v1
coordinator="$api/cases/,$api/cases/?status=submitted,$api/cases/?q=%E7%AE%A1%E7%BD%91,\
$api/cases/?q=%E4%BE%9B%E6%B0%B4%E7%AE%A1%E7%BD%91,$api/cases/?overdue=true,$api/cases/?due_within=3,\
$api/action-items/,$api/cases/$SAMPLE_CASE/,$api/cases/$SAMPLE_CASE/events/"

# The bare cursor list (gunicorn, 2 sync workers) first, then the project as each persona.
bash "$PERF/list_baseline.sh" -d "$dur" --only gunicorn-sync-2w,project-coordinator \
  --endpoints '/cases/' -H "Authorization: Token $COORDINATOR_TOKEN" \
  --server "project-coordinator|$port|$coordinator|$serve"
bash "$PERF/list_baseline.sh" -d "$dur" --no-baseline -H "Authorization: Token $ENTERPRISE_TOKEN" \
  --server "project-enterprise|$port|$api/cases/,$api/cases/?status=submitted,$api/action-items/|$serve"
bash "$PERF/list_baseline.sh" -d "$dur" --no-baseline -H "Authorization: Token $DEPARTMENT_TOKEN" \
  --server "project-department|$port|$api/cases/,$api/action-items/,$api/action-items/?overdue=true|$serve"

[ $transitions = 1 ] || exit 0
# Transitions: pgbench and the bare DRF POST, then the project's accept and sign over HTTP.
bash -c "$serve" & server=$!
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/accounts/login/" && break; sleep 0.5; done
bash "$PERF/transition_baseline.sh" -d "$dur" --skip-orm --http-workers 2 \
  --http-target "project-accept=http://127.0.0.1:$port$api/cases/{id}/transitions/|{\"name\": \"accept\"}|$ACCEPT_IDS" \
  --http-target "project-sign=http://127.0.0.1:$port$api/action-items/{id}/transitions/|{\"name\": \"sign\"}|$SIGN_IDS"
