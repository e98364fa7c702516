#!/usr/bin/env bash
# schemathesis against the live API (issue 24): the app as production runs it (gunicorn,
# NHIEMVU_PRODUCTION=1, DEBUG off, behind a TLS proxy's X-Forwarded-Proto) on 127.0.0.1, on a
# fresh PostgreSQL database with the demo province (a few documents), API keys made with
# `manage.py apikey create`, and `schemathesis run` with every check, as the office and as a
# lead agency. Fails on any 5xx, any response outside the schema, any check, or a traceback in
# the server's log.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nhiemvu .ci/schemathesis.sh
#
# Bounded: SCHEMATHESIS_EXAMPLES per operation and phase (default 6) keeps the run under four
# minutes on 2 cores. The counts (operations, test cases, failures) are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL server of CI (postgres://user@host:port/db)}"
examples=${SCHEMATHESIS_EXAMPLES:-6}
server=${DATABASE_URL%/*}
database="nhiemvu_schemathesis_$$"
work=$(mktemp -d /tmp/nhiemvu-schemathesis.XXXXXX)
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
gunicorn_pid=""
# CREATE/DROP DATABASE through the project's own driver (psql may not be on the PATH).
admin() {
  .venv/bin/python -c 'import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c: c.execute(sys.argv[2])' "$server/postgres" "$1"
}

cleanup() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  admin "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

admin "CREATE DATABASE $database"
export DATABASE_URL="$server/$database"
export NHIEMVU_PRODUCTION=1 DEBUG=0
export SECRET_KEY="schemathesis-$(date +%s)-$RANDOM-a-long-random-secret-key-for-this-run-only"
export ALLOWED_HOSTS=127.0.0.1
export NHIEMVU_VAR_DIR="$work/var" EMAIL_FILE_PATH="$work/mail"
export LOG_LEVEL=WARNING
manage() { .venv/bin/python manage.py "$@"; }

clock=$(date +%s)
lap() { echo "$1: $(( $(date +%s) - clock ))s"; clock=$(date +%s); }
# No collectstatic: the API serves no static file (its error pages are JSON).
manage migrate -v0
lap "migrate"
manage load_demo --documents "${SCHEMATHESIS_DOCUMENTS:-4}" >/dev/null
# Far above what a run sends: a 429 would stand in for the answer under test.
office=$(manage apikey create --org vp-ubnd --role office --scope write --rate 1000000 --name schemathesis)
agency=$(manage apikey create --org so-khcn --scope write --rate 1000000 --name schemathesis)
lap "demo province and keys"

# The run's configuration: the project's schemathesis.toml, and real objects for the paths (a
# task the agency leads, a document): generated codes would only ever reach a 404.
read_code() { manage shell --no-imports -v0 -c "$1"; }
task=$(read_code "from nhiemvu.assignments.models import Assignment as A; print(A.objects.filter(lead__code='so-khcn', state='open').order_by('id').first().code)")
document=$(read_code "from nhiemvu.directives.models import Directive as D; print(D.objects.order_by('id').first().code)")
config="$work/schemathesis.toml"
cat schemathesis.toml - >"$config" <<TOML

[[operations]]
include-path-regex = "/tasks/[{]code[}]"
parameters = { "path.code" = "$task" }

[[operations]]
include-path-regex = "/directives/[{]code[}]"
parameters = { "path.code" = "$document" }
TOML

GUNICORN_BIND="127.0.0.1:$port" WEB_CONCURRENCY=2 GUNICORN_ACCESS_LOG="" \
  .venv/bin/gunicorn nhiemvu.wsgi -c gunicorn.conf.py --no-control-socket \
  2>"$work/server.log" &
gunicorn_pid=$!
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "$base/healthz" 2>/dev/null; then break; fi
  sleep 0.5
done

failed=0
run() {
  local who=$1 key=$2
  echo "--- schemathesis as $who"
  .venv/bin/schemathesis --config-file "$config" run "$base/api/v1/openapi.json" \
    --checks all \
    --max-examples "$examples" \
    --workers 2 \
    --seed 24 \
    --generation-database none \
    --suppress-health-check all \
    --request-timeout 60 \
    --wait-for-schema 120 \
    -H "Authorization: Bearer $key" \
    -H "X-Forwarded-Proto: https" \
    --report junit --report-dir "$work/$who" \
    --no-color 2>&1 | tee "$work/$who.txt" | grep -v '^\s*$' | tail -n 40 || failed=1
  # pipefail: schemathesis' own exit code (non-zero on any failure or error) decides.
}
lap "server started"
run office "$office"
lap "schemathesis as the office"
run agency "$agency"
lap "schemathesis as the lead agency"

if grep -n "Traceback" "$work/server.log"; then
  echo "the server logged a traceback:" >&2
  cat "$work/server.log" >&2
  failed=1
fi
echo "--- counts"
for who in office agency; do
  printf '%s: ' "$who"
  grep -hoE "^[0-9]+ operations? tested|[0-9]+ test cases? generated|[0-9]+ passed|[0-9]+ failed" \
    "$work/$who.txt" | paste -sd ',' - || true
done
exit "$failed"
