#!/usr/bin/env bash
# Builds, starts a throwaway PostgreSQL, runs every test project (unit, integration, bUnit, TorchSharp,
# Playwright end to end), stops what it started, and ends with 'N passed, N failed'. A test that was discovered but
# never reported a result (a class that did not run, a crashed test host) counts as failed.
set -uo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
source scripts/postgres.sh

# Before anything is built: a fresh machine lacks Chromium (end-to-end tests) and often the PostgreSQL server.
if ! prerequisites_ensure postgres chromium; then
  echo "0 passed, 1 failed"
  exit 1
fi

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

projects=(tests/WebApp.UnitTests tests/WebApp.IntegrationTests tests/WebApp.Workers.Tests tests/WebApp.EndToEnd)
status=0
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "== $name"
  # What the assembly holds, from the built assembly (no build, a few seconds), to hold the results against.
  dotnet test "$project" --no-build -c Debug --nologo --list-tests >"$results/$name.list" 2>&1 || status=1
  dotnet test "$project" --no-build -c Debug --nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" || status=1
done

# test_methods: reads test names (one per line) and prints their methods, sorted: a theory whose data xunit cannot
# serialise is listed once but reports one result per case, so only methods compare equal on both sides.
test_methods() { sed 's/(.*//' | LC_ALL=C sort; }

passed=0
failed=0
shortfalls=()
for project in "${projects[@]}"; do
  name=$(basename "$project")
  list=$results/$name.list
  trx=$results/$name.trx
  discovered=$(sed -n '/^The following Tests are available:/,$p' "$list" 2>/dev/null | sed -n 's/^    //p')
  discovered_count=$(grep -c . <<<"$discovered")
  if [ "$discovered_count" -eq 0 ]; then
    shortfalls+=("$name: no tests discovered (see its listing above)")
    failed=$((failed + 1))
    continue
  fi
  if [ ! -f "$trx" ]; then
    shortfalls+=("$name: no results at all ($discovered_count tests discovered)")
    failed=$((failed + discovered_count))
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  # Skipped tests report a result too, so they are not a shortfall.
  ran_methods=$(grep -o '<UnitTestResult [^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/\1/p' | test_methods | uniq)
  never_ran=$(LC_ALL=C comm -23 <(test_methods <<<"$discovered" | uniq) <(echo "$ran_methods"))
  if [ -n "$never_ran" ]; then
    missing=$(test_methods <<<"$discovered" | grep -cxFf <(echo "$never_ran"))
    classes=$(sed 's/\.[^.]*$//' <<<"$never_ran" | sort -u | sed 's/.*\.//' | paste -sd, - | sed 's/,/, /g')
    shortfalls+=("$name: $missing of $discovered_count discovered tests did not run (results: ${total:-0}); classes: $classes")
    failed=$((failed + missing))
  fi
done
if [ ${#shortfalls[@]} -gt 0 ]; then
  status=1
  echo "== tests discovered but not run"
  printf '  %s\n' "${shortfalls[@]}"
fi
if [ "$failed" -gt 0 ]; then status=1; fi

echo "$passed passed, $failed failed"
exit $status
