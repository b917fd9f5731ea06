# Redis for scripts/dev and scripts/test: use the one the user points at, or
# run a private redis-server for this checkout.
#
# The private server listens on a unix socket only (--port 0), so it can never
# collide with a system Redis or another checkout, and nothing outside this
# machine account can reach it. It is daemonized and left running between
# runs, so the next start-up costs one PING; stop it with
#   redis-cli -s <socket> shutdown nosave
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Hides a password in a URL before it is printed.
_clout_redact_url() { sed -E 's#(//)[^@/]*@#\1***@#' <<<"$1"; }

# True when the Redis at URL (redis://, rediss:// or unix://) answers PING.
# The reply is compared, not just the exit status: redis-cli exits 0 on
# errors such as NOAUTH.
clout_redis_ping() {
  local url=$1 reply=""
  if clout_have redis-cli && [[ $url == redis://* ]]; then
    reply="$(clout_timeout 5 redis-cli --no-auth-warning -u "$url" ping 2>/dev/null)" || true
  elif clout_have redis-cli && [[ $url == unix://* ]]; then
    local sock=${url#unix://}
    reply="$(clout_timeout 5 redis-cli -s "${sock%%\?*}" ping 2>/dev/null)" || true
  elif [[ -e "$CLOUT_ROOT/node_modules/ioredis" ]]; then
    # No redis-cli (or TLS): ask ioredis, which is installed with the project.
    reply="$(cd "$CLOUT_ROOT" && clout_timeout 8 node -e '
      const { Redis } = require("ioredis");
      const url = process.argv[1];
      const opts = { connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null };
      const r = url.startsWith("unix://") ? new Redis({ ...opts, path: url.slice(7).split("?")[0] }) : new Redis(url, opts);
      r.on("error", () => {});
      r.ping().then((p) => { console.log(p); process.exit(0); }, () => process.exit(1));
    ' "$url" 2>/dev/null)" || true
  fi
  [[ $reply == PONG ]]
}

# redis-server is needed for the private server and by a test that starts its
# own; install it when we are allowed to, otherwise say exactly what to do.
_clout_require_redis_server() {
  clout_have redis-server && return 0
  if clout_can_apt; then
    clout_apt_install redis-server
    # The package's own service may or may not start (no systemd in most
    # containers); it does not matter, Clout starts its own server.
    clout_have redis-server || clout_die "redis-server is still missing after apt-get install"
  else
    clout_die "redis-server is not installed: install it (apt install redis-server / brew install redis) or set ${1:-REDIS_URL} to a running Redis"
  fi
}

# Unix socket paths are limited to ~104 bytes; a deep checkout would exceed
# that, so the socket then moves to a short per-checkout directory in /tmp.
_clout_redis_socket_path() {
  local dir=$1
  if ((${#dir} <= 90)); then
    printf '%s/redis.sock\n' "$dir"
  else
    printf '%s/clout-%s/redis.sock\n' "${TMPDIR:-/tmp}" "$(cksum <<<"$dir" | cut -d' ' -f1)"
  fi
}

# Makes sure a private redis-server for data directory $1 is answering and
# sets CLOUT_PRIVATE_REDIS_URL to its unix:// URL. $2 names the variable the
# user could set instead, for error messages.
_clout_private_redis() {
  local dir=$1 var=$2 sock pidfile log
  sock="$(_clout_redis_socket_path "$dir")"
  pidfile="$dir/redis.pid"
  log="$dir/redis.log"
  CLOUT_PRIVATE_REDIS_URL="unix://$sock"

  # Already running from an earlier run: reuse it.
  clout_redis_ping "$CLOUT_PRIVATE_REDIS_URL" && return 0

  _clout_require_redis_server "$var"
  mkdir -p "$dir" "$(dirname "$sock")"
  chmod 700 "$dir" "$(dirname "$sock")"

  # A server from an earlier run that is alive but silent (still loading, or
  # wedged) must not be doubled up on the same socket; leave the decision to
  # the user. A pid file left by a crash is just removed.
  if [[ -s $pidfile ]]; then
    local pid state="" comm=""
    pid="$(cat "$pidfile")"
    # ps rather than kill -0: the pid may have been reused by another program,
    # or be a crashed server's zombie that is not reaped yet.
    read -r state comm < <(ps -o stat=,comm= -p "$pid" 2>/dev/null) || true
    if [[ $comm == redis-server* && $state != Z* ]]; then
      clout_die "the private redis-server (pid $pid) does not answer on $sock; see $log, stop it with 'kill $pid' and re-run"
    fi
    rm -f "$pidfile"
  fi
  rm -f "$sock"

  clout_log "starting a private redis-server on ${sock#"$CLOUT_ROOT"/}"
  redis-server --port 0 \
    --unixsocket "$sock" --unixsocketperm 700 \
    --daemonize yes --pidfile "$pidfile" --logfile "$log" \
    --dir "$dir" --save "" --appendonly no \
    || clout_die "redis-server failed to start; see $log"

  # Daemonizing returns before the socket exists; give it up to ~5 s.
  local i
  for i in $(seq 50); do
    clout_redis_ping "$CLOUT_PRIVATE_REDIS_URL" && return 0
    sleep 0.1
  done
  [[ -e $log ]] && tail -n 5 "$log" >&2
  clout_die "the private redis-server did not answer on $sock; see $log"
}

ensure_redis_for_dev() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    clout_redis_ping "$REDIS_URL" ||
      clout_die "REDIS_URL=$(_clout_redact_url "$REDIS_URL") does not answer PING; start that Redis, fix the URL, or unset REDIS_URL to let scripts/dev run a private one"
    return 0
  fi
  _clout_private_redis "$CLOUT_ROOT/.data/redis" REDIS_URL
  export REDIS_URL=$CLOUT_PRIVATE_REDIS_URL
}

ensure_redis_for_test() {
  # A test starts its own servers on random ports, so the binary is needed
  # even when a Redis is already running.
  _clout_require_redis_server TEST_REDIS_URL
  export TEST_REDIS_SERVER_BIN
  TEST_REDIS_SERVER_BIN="$(command -v redis-server)"

  if [[ -n "${TEST_REDIS_URL:-}" ]]; then
    # An explicit choice is honoured or refused, never silently replaced.
    clout_redis_ping "$TEST_REDIS_URL" ||
      clout_die "TEST_REDIS_URL=$(_clout_redact_url "$TEST_REDIS_URL") does not answer PING; start that Redis or unset TEST_REDIS_URL"
    return 0
  fi
  if clout_redis_ping redis://127.0.0.1:6379; then
    export TEST_REDIS_URL=redis://127.0.0.1:6379
    return 0
  fi
  _clout_private_redis "$CLOUT_ROOT/.data/test-redis" TEST_REDIS_URL
  export TEST_REDIS_URL=$CLOUT_PRIVATE_REDIS_URL
}
