# What run.sh, test.sh and .ci/run need from the machine, checked before anything is built. Sourced by each of them.
#
#   prerequisites_ensure [postgres] [chromium]
#
# Checks the .NET SDK and, when asked, the PostgreSQL server and client (not needed when run.sh is given a database)
# and Chromium (only the end-to-end tests need it).
# As root, missing Debian packages are installed with apt-get and the 'postgres' system user (which runs initdb and
# pg_ctl, since they refuse root) is created; otherwise it names the missing packages and the exact command, and
# returns 1. The Chromium path is the one the end-to-end tests launch (tests/WebApp.EndToEnd/RunningApp.cs).

prerequisites_chromium=/usr/bin/chromium

# prerequisites_missing [postgres] [chromium]: prints the Debian packages that are missing, one per line.
prerequisites_missing() {
  local want
  for want in "$@"; do
    case "$want" in
      postgres)
        if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo postgresql; fi
        if ! command -v psql >/dev/null 2>&1; then echo postgresql-client; fi
        ;;
      chromium)
        if [ ! -x "$prerequisites_chromium" ]; then echo chromium; fi
        ;;
    esac
  done
  return 0
}

prerequisites_ensure() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET SDK is missing: install the .NET 10 SDK (https://dotnet.microsoft.com/download; global.json names the version)." >&2
    return 1
  fi

  local missing
  mapfile -t missing < <(prerequisites_missing "$@")
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "Missing packages: ${missing[*]}. Install them first:" >&2
      echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "Missing packages: ${missing[*]}, and no apt-get to install them with: install them with this system's package manager." >&2
      return 1
    fi
    echo "== installing: ${missing[*]}"
    apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || return 1
    mapfile -t missing < <(prerequisites_missing "$@")
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Still missing after apt-get install: ${missing[*]}." >&2
      return 1
    fi
  fi

  # initdb and pg_ctl refuse to run as root; scripts/postgres.sh runs them as this user.
  if [[ " $* " == *" postgres "* ]] && [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "== creating the 'postgres' system user"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres || return 1
  fi
  return 0
}
