#!/usr/bin/env bash
# Builds, starts a throwaway PostgreSQL, runs every test project (unit, integration, bUnit, TorchSharp,
# Playwright end to end), stops what it started, and ends with 'N passed, N failed'.
set -uo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

results=$(mktemp -d /tmp/webapp-tests.XXXXXX)
chmod 755 "$results"
pg_data=$results/pgdata
pg_port=$(pg_free_port 55432)

cleanup() {
  trap - INT TERM EXIT
  pg_stop "$pg_data"
  rm -rf "$results"
}
trap cleanup INT TERM EXIT

echo "== build"
if ! dotnet build WebApp.sln -c Debug -nologo -v quiet; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== PostgreSQL on 127.0.0.1:$pg_port (throwaway)"
pg_init "$pg_data" trust || { echo "0 passed, 1 failed"; exit 1; }
# Safe only because this cluster is thrown away after the run.
pg_start "$pg_data" "$pg_port" "$results/postgres.log" \
  "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300" || { echo "0 passed, 1 failed"; exit 1; }
export TEST_PG_CONNECTION="Host=127.0.0.1;Port=$pg_port;Username=$(pg_superuser);Database=postgres;Include Error Detail=true"

# Torch threads pinned so timings and thread contention are the same on every run.
export Worker__TorchThreads=1

status=0
for project in tests/WebApp.UnitTests tests/WebApp.IntegrationTests tests/WebApp.Workers.Tests tests/WebApp.EndToEnd; do
  name=$(basename "$project")
  echo "== $name"
  dotnet test "$project" --no-build -c Debug --nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
# A project that crashed before writing results counts as a failure.
expected=4
found=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then failed=$((failed + expected - found)); status=1; fi
if [ "$failed" -gt 0 ]; then status=1; fi

echo "$passed passed, $failed failed"
exit $status
