#!/usr/bin/env bash
# Set-up shared by `npm test` and `npm run demo` (README, "The two commands"):
# Debian packages, npm dependencies, build. Idempotent, and fast when all is
# there. Starts no daemon: the runners start pcscd, so they can stop it again.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# --- Node -----------------------------------------------------------------
# package.json "engines": node >= 20.19 (require(esm), import.meta.dirname).
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  say "Node.js >= 20.19 is needed; this is $(node --version)."
  exit 1
fi

# --- Debian packages (the one list: scripts/debian-packages.txt) -----------
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' scripts/debian-packages.txt)

if ! command -v dpkg-query >/dev/null; then
  say "dpkg-query not found: this set-up needs Debian (or a derivative) with apt."
  exit 1
fi

# dpkg-query names only the packages it knows; "install ok installed" means present.
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null | awk '$4 == "installed" { print $1 }' || true)"
missing=()
for p in "${packages[@]}"; do
  grep -qx -- "$p" <<<"$installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  install_line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing Debian packages: ${missing[*]}"
    printf 'Run as root:\n  apt-get update && %s\n' "$install_line" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# --- npm dependencies -------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: older than the
# lock file means the lock changed since (a pull, a branch switch).
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error </dev/null
fi

# --- build ------------------------------------------------------------------
# Skipped when nothing that goes into it changed since the last good build.
stamp=.wfa-run/build.stamp
sources=(native electron renderer assets scripts tests e2e package.json package-lock.json tsconfig.json vitest.config.ts)
existing=()
for s in "${sources[@]}"; do [[ -e "$s" ]] && existing+=("$s"); done
if [[ ! -f "$stamp" ]] || [[ -n "$(find "${existing[@]}" -newer "$stamp" -type f -print -quit)" ]]; then
  # The tests need only the renderer built; under `npm test` the type-check
  # is a stage of its own right after this, so tsc does not run twice.
  build_script=build
  case "${npm_lifecycle_event:-}" in test | e2e | test:interop) build_script=build:renderer ;; esac
  say "building (npm run $build_script)"
  mkdir -p .wfa-run
  touch "$stamp.next" # taken before the build, so an edit made during it is not missed
  if ! npm run --silent "$build_script" </dev/null; then
    # Under `npm test` the runner goes on and counts the failure (today the
    # build is the type-check, its own stage), so the run still ends with its
    # `tests: N passed, N failed` line. Anything else stops here.
    if [[ "${npm_lifecycle_event:-}" == "test" ]]; then
      say "the build failed (errors above); npm test goes on and counts it"
      rm -f "$stamp.next"
      exit 0
    fi
    say "the build failed (errors above)"
    exit 1
  fi
  mv "$stamp.next" "$stamp"
fi
