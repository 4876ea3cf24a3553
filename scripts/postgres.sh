# Helpers for a private PostgreSQL cluster, sourced by run.sh and test.sh.
# initdb and pg_ctl refuse root, so as root they run as the 'postgres' user (which must be able to enter the folder).

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_superuser() {
  if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# pg_find_bin NAME: PostgreSQL binaries are on PATH on some machines and under /usr/lib/postgresql/N/bin on others.
pg_find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return 0; fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$candidate" ] && [ -x "$candidate/$1" ]; then echo "$candidate/$1"; return 0; fi
  echo "PostgreSQL server binary '$1' not found: install the PostgreSQL server (e.g. apt-get install -y postgresql)." >&2
  return 1
}

# pg_init DATA_DIR AUTH [PWFILE]: creates a cluster; AUTH is 'trust' (tests) or 'scram-sha-256' (run).
pg_init() {
  local data=$1 auth=$2 pwfile=${3:-}
  local initdb; initdb=$(pg_find_bin initdb) || return 1
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$data"; fi
  chmod 700 "$data"
  local args=(-D "$data" -U "$(pg_superuser)" --auth-local=trust --auth-host="$auth" -E UTF8 --locale=C.UTF-8)
  if [ -n "$pwfile" ]; then args+=(--pwfile="$pwfile"); fi
  pg_as_owner "$initdb" "${args[@]}" >/dev/null
}

# pg_start DATA_DIR PORT LOGFILE [EXTRA_OPTIONS]: listens on 127.0.0.1 only, socket inside the data folder.
pg_start() {
  local data=$1 port=$2 log=$3 extra=${4:-}
  local pg_ctl; pg_ctl=$(pg_find_bin pg_ctl) || return 1
  if [ "$(id -u)" = 0 ]; then touch "$log" && chown postgres: "$log"; fi
  pg_as_owner "$pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $data $extra" start >/dev/null
}

pg_stop() {
  local data=$1
  local pg_ctl; pg_ctl=$(pg_find_bin pg_ctl) || return 0
  pg_as_owner "$pg_ctl" -D "$data" -m fast stop >/dev/null || true
}

# pg_sql DATA_DIR PORT SQL: runs SQL as the cluster's superuser over the socket.
pg_sql() {
  local data=$1 port=$2 sql=$3
  pg_as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U "$(pg_superuser)" -d postgres -c "$sql"
}

# pg_free_port START: the first port from START on that nothing listens on.
pg_free_port() {
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
