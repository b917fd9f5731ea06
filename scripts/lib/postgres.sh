# PostgreSQL for scripts/test. The suite creates its own databases from
# TEST_DATABASE_URL, so it needs a server and a user allowed to CREATE DATABASE.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CLOUT_DEFAULT_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres

# Prints "ok", "down <why>" or "refused <why>" for URL. Uses the project's own
# pg driver so the answer is exactly what the tests will see (including auth,
# which pg_isready does not check). Needs node_modules, i.e. ensure_node_deps.
_clout_pg_probe() {
  (cd "$CLOUT_ROOT" && clout_timeout 10 node -e '
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 4000 });
    const say = (s) => { console.log(s); process.exit(0); };
    c.connect()
      .then(() => c.query("SELECT rolsuper OR rolcreatedb AS ok FROM pg_roles WHERE rolname = current_user"))
      .then((r) => say(r.rows[0]?.ok ? "ok" : "refused this user may not CREATE DATABASE"))
      .catch((e) => {
        let msg = String(e.message).split("\n")[0];
        if (/password must be a string/.test(msg)) msg = "the server asks for a password and the URL has none";
        const down = ["ECONNREFUSED", "ENOENT", "ETIMEDOUT", "EHOSTUNREACH", "EAI_AGAIN", "57P03"].includes(e.code) || /timeout|terminated/i.test(msg);
        say((down ? "down " : "refused ") + msg);
      });
  ' "$1" 2>/dev/null) || echo "down the probe itself failed"
}

_clout_pg_ready() {
  if clout_have pg_isready; then
    pg_isready -q -t 3 -d "$1"
  else
    [[ "$(_clout_pg_probe "$1")" != down* ]]
  fi
}

# Splits a postgres URL: sets _PG_HOST and _PG_PORT.
_clout_pg_parse() {
  local re='^postgres(ql)?://([^@/]*@)?(\[[^]]*\]|[^:/?]*)(:([0-9]+))?'
  _PG_HOST="" _PG_PORT=5432
  if [[ $1 =~ $re ]]; then
    _PG_HOST=${BASH_REMATCH[3]}
    _PG_PORT=${BASH_REMATCH[5]:-5432}
  fi
}

# A fresh Debian cluster asks for a password over TCP, while the default
# TEST_DATABASE_URL has none: let local TCP connections in without one. The
# first matching line of pg_hba.conf wins, hence the lines go on top.
_clout_pg_trust_local() {
  local hba=/etc/postgresql/$1/$2/pg_hba.conf
  grep -q '^# clout:' "$hba" && return 0
  sed -i '1i # clout: trust local TCP connections for the test suite (added by scripts/test)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
}

# Prints the newest PostgreSQL major version whose server is installed the
# Debian way; fails if there is none.
_clout_pg_server_version() {
  local bins=(/usr/lib/postgresql/*/bin/postgres)
  [[ -x ${bins[0]} ]] && clout_have pg_ctlcluster || return 1
  printf '%s\n' "${bins[@]}" | cut -d/ -f5 | sort -V | tail -n 1
}

# Starts (installing first, if need be and allowed) the Debian cluster that
# should listen on the URL's port. Only for servers on this machine.
_clout_start_local_postgres() {
  local url=$1 shown=$2 fresh=""
  _clout_pg_parse "$url"

  # Debian's layout: server binaries per major version, clusters managed by
  # postgresql-common's pg_ctlcluster (the client packages alone have neither).
  if ! _clout_pg_server_version >/dev/null; then
    if clout_have postgres || clout_have pg_ctl; then
      # Not a Debian layout (Homebrew, Postgres.app, ...): we cannot know
      # how the user runs it.
      clout_die "PostgreSQL does not answer at $shown; start it (e.g. brew services start postgresql) or set TEST_DATABASE_URL"
    fi
    clout_can_apt ||
      clout_die "PostgreSQL is not installed: install it (apt install postgresql) so that $shown accepts connections, or set TEST_DATABASE_URL to a server whose user may CREATE DATABASE"
    clout_apt_install postgresql
    fresh=1
  fi

  local ver name status
  read -r ver name status < <(pg_lsclusters -h 2>/dev/null | awk -v port="$_PG_PORT" '$3 == port { print $1, $2, $4; exit }') || true
  if [[ -z ${ver:-} ]]; then
    if [[ -n "$(pg_lsclusters -h 2>/dev/null)" ]]; then
      clout_die "no PostgreSQL cluster on this machine uses port $_PG_PORT (see pg_lsclusters); set TEST_DATABASE_URL to the right port"
    fi
    # Installed but without a cluster (e.g. create_main_cluster = false).
    ver="$(_clout_pg_server_version)"
    name=main status=down
    clout_log "creating PostgreSQL cluster $ver/$name on port $_PG_PORT"
    pg_createcluster -p "$_PG_PORT" "$ver" "$name" >/dev/null || clout_die "pg_createcluster $ver $name failed"
    fresh=1
  fi

  # Only a cluster created just now for Clout gets its authentication
  # loosened; an existing one is the user's, and a login failure on it ends
  # in a message instead.
  [[ -n $fresh ]] && _clout_pg_trust_local "$ver" "$name"

  if [[ $status == online* ]]; then
    # Running but not answering on the URL's address (listen_addresses?),
    # unless we only have to pick up the new pg_hba.conf.
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload >/dev/null 2>&1 || true
  else
    clout_log "starting PostgreSQL cluster $ver/$name"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start ||
      clout_die "could not start PostgreSQL $ver/$name; see /var/log/postgresql/postgresql-$ver-$name.log"
  fi

  local i
  for i in $(seq 30); do
    _clout_pg_ready "$url" && return 0
    sleep 0.5
  done
  clout_die "PostgreSQL $ver/$name is running but $shown does not answer; check listen_addresses and port in /etc/postgresql/$ver/$name/postgresql.conf"
}

ensure_postgres_for_test() {
  local explicit=${TEST_DATABASE_URL:+1}
  export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$CLOUT_DEFAULT_TEST_DATABASE_URL}
  local shown
  shown="$(sed -E 's#(//[^:@/]*:)[^@/]*@#\1***@#' <<<"$TEST_DATABASE_URL")"

  if ! _clout_pg_ready "$TEST_DATABASE_URL"; then
    # A server on another machine is the user's to run; we only start
    # servers that live here.
    _clout_pg_parse "$TEST_DATABASE_URL"
    case $_PG_HOST in
      127.0.0.1 | localhost | "[::1]" | "") ;;
      *) clout_die "PostgreSQL at $shown does not answer; start it, or set TEST_DATABASE_URL to a server that runs" ;;
    esac
    if [[ -n $explicit ]]; then
      clout_log "TEST_DATABASE_URL=$shown does not answer; trying to start the local PostgreSQL"
    fi
    _clout_start_local_postgres "$TEST_DATABASE_URL" "$shown"
  fi

  local probe
  probe="$(_clout_pg_probe "$TEST_DATABASE_URL")"
  case $probe in
    ok) ;;
    refused*)
      clout_die "PostgreSQL at $shown is not usable for the tests (${probe#refused }); set TEST_DATABASE_URL to a login that may CREATE DATABASE, e.g. postgresql://postgres:PASSWORD@127.0.0.1:5432/postgres" ;;
    *)
      clout_die "PostgreSQL at $shown does not answer (${probe#down }); start it or set TEST_DATABASE_URL" ;;
  esac
}
