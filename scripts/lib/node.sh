# Node dependencies and the generated Prisma client.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# npm ci installs exactly the lock file, which is what a fresh clone and CI
# should get. When the lock no longer matches package.json (a dependency edited
# by hand, or a package whose platform builds vanished from the registry), npm
# ci refuses outright; rather than leave the user with nothing, install from
# package.json without touching the lock, and say what to fix.
_clout_npm_ci() {
  local log rc=0
  log="$(mktemp)"
  npm ci --no-audit --no-fund >"$log" 2>&1 || rc=$?
  if ((rc != 0)) && grep -q 'are in sync' "$log"; then
    # npm follows this with its whole usage text; the Missing/Invalid lines
    # are the part worth seeing.
    grep -E '^npm error (Missing|Invalid):' "$log" >&2 || true
    clout_log "warning: package-lock.json is out of sync with package.json; installing with 'npm install --no-save' instead (fix: run npm install and commit package-lock.json)"
    rc=0
    npm install --no-save --no-audit --no-fund >&2 || rc=$?
  else
    cat "$log" >&2
  fi
  rm -f "$log"
  return "$rc"
}

ensure_node_deps() {
  # whatsapp-web.js pulls in puppeteer, whose install would download a whole
  # Chromium; Clout drives the system's /usr/bin/chromium instead. The env var
  # covers every npm run from these scripts (children inherit it);
  # .puppeteerrc.cjs covers a bare `npm install`.
  export PUPPETEER_SKIP_DOWNLOAD=1

  clout_have node || clout_die "Node.js 20 or newer is required (https://nodejs.org); it is not on PATH"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || clout_die "Node.js 20 or newer is required; this is $(node -v)"

  cd "$CLOUT_ROOT"
  local installed=""
  # npm rewrites node_modules/.package-lock.json on every install, so a lock
  # file newer than it means a pull or merge changed the dependencies.
  if [[ ! -d node_modules || ! -e node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    clout_log "installing node modules (npm ci)"
    _clout_npm_ci || clout_die "installing node modules failed (see above)"
    installed=1
  fi

  # A new @prisma/client may generate different code, so regenerate after
  # every install as well as after schema edits.
  if [[ -n "$installed" || ! -e db/generated/client.ts || db/schema.prisma -nt db/generated/client.ts ]]; then
    clout_log "generating the Prisma client (db/generated)"
    "$CLOUT_ROOT/scripts/generate" || clout_die "scripts/generate failed (see above)"
  fi
}
