# Shared by scripts/dev and scripts/test. Source it; it defines functions only
# (plus CLOUT_ROOT) and never exits by itself.
#
# Every message goes to stderr with a "clout:" prefix, so the output of the
# program being launched (stdout) stays clean for pipes.

[[ -n "${_CLOUT_COMMON_SH:-}" ]] && return 0
_CLOUT_COMMON_SH=1

CLOUT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

clout_log() { printf 'clout: %s\n' "$*" >&2; }

# Stops the calling script. The ensure_* helpers run in the script's own
# shell (never inside $(...)), so this exit really ends the script.
clout_die() {
  printf 'clout: error: %s\n' "$*" >&2
  exit 1
}

clout_have() { command -v "$1" >/dev/null 2>&1; }

# Runs a command with a time limit when coreutils' timeout exists (it does on
# every Linux; macOS may lack it), so a black-holed host cannot hang start-up.
clout_timeout() {
  local secs=$1
  shift
  if clout_have timeout; then timeout "$secs" "$@"; else "$@"; fi
}

# True when missing system packages may be installed for the user: only as
# root on a Debian-like system, which is what CI containers and fresh VMs are.
# CLOUT_NO_APT=1 opts out.
clout_can_apt() {
  [[ "${CLOUT_NO_APT:-}" != 1 && "$(id -u)" == 0 ]] && clout_have apt-get
}

# Installs Debian packages quietly; the log is shown only if it fails.
clout_apt_install() {
  local log
  log="$(mktemp)"
  clout_log "installing $* with apt-get (one-time set-up)"
  if [[ -z "${_CLOUT_APT_UPDATED:-}" ]]; then
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      clout_die "apt-get update failed; install $* yourself and re-run"
    fi
    _CLOUT_APT_UPDATED=1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    clout_die "apt-get install $* failed; install it yourself and re-run"
  fi
  rm -f "$log"
}
