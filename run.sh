#!/usr/bin/env bash
# Local run: PostgreSQL (a cluster in .local/ unless ConnectionStrings__App is set), one worker, the web
# on http://127.0.0.1:5000, demo users. Ctrl-C (SIGINT) or SIGTERM stops everything; data in .local/ survives a restart.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
state=$root/.local
source scripts/prerequisites.sh
source scripts/postgres.sh

web_url=${WEB_URL:-http://127.0.0.1:5000}
pids=()
pg_data=""

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_data" ]; then pg_stop "$pg_data"; fi
  echo "Stopped."
}
# A handled signal would otherwise return into the script, which would go on starting what was just stopped.
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

# Long steps run in the background and are waited for: bash runs a trap only once the foreground command has
# ended, so a SIGTERM during the build would otherwise wait for the build (a terminal's Ctrl-C reaches both).
run_waited() {
  "$@" &
  local pid=$!
  pids+=("$pid")
  local rc=0
  wait "$pid" || rc=$?
  unset 'pids[-1]'
  return $rc
}

# The PostgreSQL binaries only when this script runs the database itself; Chromium never (only the tests use it).
if [ -z "${ConnectionStrings__App:-}" ]; then prerequisites_ensure postgres || exit 1; else prerequisites_ensure || exit 1; fi
mkdir -p "$state"

secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20; }

# Demo password: made once per checkout, never committed.
if [ ! -s "$state/demo-password" ]; then
  echo "Demo-$(secret)-7a" >"$state/demo-password"
  chmod 600 "$state/demo-password"
fi
demo_password=$(cat "$state/demo-password")

if [ -z "${ConnectionStrings__App:-}" ]; then
  pg_data=$state/pgdata
  pg_port=${PG_PORT:-54329}
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$state"; then
    echo "The postgres user cannot enter $state; move the checkout to a folder others can enter (not under /root)." >&2
    exit 1
  fi
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    echo "Creating a PostgreSQL cluster in $pg_data ..."
    secret >"$state/pg-superuser-password"
    secret >"$state/pg-app-password"
    chmod 600 "$state"/pg-*-password
    [ "$(id -u)" = 0 ] && chown postgres: "$state/pg-superuser-password"
    pg_init "$pg_data" scram-sha-256 "$state/pg-superuser-password"
    pg_start "$pg_data" "$pg_port" "$state/postgres.log"
    pg_sql "$pg_data" "$pg_port" "CREATE ROLE webapp LOGIN PASSWORD '$(cat "$state/pg-app-password")';"
    pg_sql "$pg_data" "$pg_port" "CREATE DATABASE webapp OWNER webapp;"
  else
    pg_start "$pg_data" "$pg_port" "$state/postgres.log"
  fi
  export ConnectionStrings__App="Host=127.0.0.1;Port=$pg_port;Database=webapp;Username=webapp;Password=$(cat "$state/pg-app-password")"
  echo "PostgreSQL running on 127.0.0.1:$pg_port (data in $pg_data)."
fi

echo "Building..."
run_waited dotnet build WebApp.sln -c Release -nologo -v quiet

export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
(cd src/Workers && exec dotnet bin/Release/net10.0/WebApp.Workers.dll serve) &
pids+=($!)
(cd src/Web && Seed__Demo=true Seed__DemoPassword="$demo_password" Seed__DemoData="$PWD/../../demo" \
  exec dotnet bin/Release/net10.0/WebApp.Web.dll --urls "$web_url") &
pids+=($!)

ready=""
for _ in $(seq 1 120); do
  if curl -fs "$web_url/health" >/dev/null 2>&1; then ready=1; break; fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A process stopped during start-up (is $web_url already in use?). See the log above." >&2
      exit 1
    fi
  done
  sleep 1
done
if [ -z "$ready" ]; then
  echo "The web did not answer on $web_url within 120 s. See the log above." >&2
  exit 1
fi

cat <<MSG

  Ready: $web_url
  Sign in with any of these (password: $demo_password)
    admin@demo.local        Admin (everything)
    expert@demo.local       Expert (labels relations)
    leadexpert@demo.local   Lead expert (labels, decides conflicts)
    curator@demo.local      Curator (event sequences)
    assessee@demo.local     Assessee (fills assessments)
    auditor@demo.local      Auditor (reviews and signs off assessments)
    authority@demo.local    Accountable authority (closes assessments)
  The demo data loads in the background (a few minutes); the start page says how far it is.
  Ctrl-C stops the web, the worker and PostgreSQL.

MSG
wait -n "${pids[@]}" || true
