#!/usr/bin/env bash
# Builds the Pulumi CLI from Go modules (nothing is fetched from anywhere but the Go module
# proxy), caches it under ~/.cache, and prints where everything is and the environment to use.
#
#   bash scripts/toolchain.sh          build if needed, then print a summary and `export` lines
#   bash scripts/toolchain.sh --env    only the `export` lines: eval "$(bash scripts/toolchain.sh --env)"
#
# AIVEN_RR_TOOLCHAIN_CACHE overrides the cache directory (default ~/.cache/aiven-read-replicas/toolchain).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir="$here/toolchain"
mode=summary
case "${1:-}" in
    "") ;;
    --env) mode=env ;;
    -h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "toolchain: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

say() { if [ "$mode" = summary ]; then echo "$@"; else echo "$@" >&2; fi; }
fail() { echo "toolchain: $*" >&2; exit 1; }

# The CLI version is the one scripts/toolchain/go.mod pins: one place to change it.
version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }
    $1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$module_dir/go.mod" | head -n 1)
[ -n "$version" ] || fail "cannot read the github.com/pulumi/pulumi/pkg/v3 version from $module_dir/go.mod"
go_required=$(awk '$1 == "go" { print $2; exit }' "$module_dir/go.mod")

need_go() {
    command -v go >/dev/null 2>&1 || fail "Go is not installed (or not on PATH). The Pulumi CLI is built" \
        "from Go modules and needs Go >= $go_required: install it from https://go.dev/dl/ and run this again."
    # A go.mod asking for a newer Go must fail here, not download another Go toolchain.
    export GOTOOLCHAIN=local
    local have
    have=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
    if [ "$(printf '%s\n%s\n' "$go_required" "$have" | sort -V | head -n 1)" != "$go_required" ]; then
        fail "Go $have is too old: building pulumi $version needs Go >= $go_required."
    fi
    # Only the module proxy: never `direct` (a VCS checkout) nor a toolchain download.
    local proxy
    proxy=$(go env GOPROXY | tr ',|' '\n\n' | grep -v -x -e direct -e off -e '' | paste -s -d, -) || true
    [ -n "$proxy" ] || fail "GOPROXY ($(go env GOPROXY)) names no module proxy; set GOPROXY=https://proxy.golang.org"
    export GOPROXY="$proxy" GO111MODULE=on
}

need_go

cache=${AIVEN_RR_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aiven-read-replicas/toolchain}
root="$cache/$version"
bin="$root/bin"
pulumi_home="$root/home"
state_dir="$cache/state"
mkdir -p "$bin" "$pulumi_home" "$state_dir"

# Two runs at once would build the same binary twice on a small machine: the second one waits.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$root/.lock"
    flock 9
fi

stamped_version() { "$bin/pulumi" version 2>/dev/null | tr -d '[:space:]'; }

# go_build <module dir> <package> <output> <version to stamp>
go_build() {
    (cd "$1" && go build -mod=readonly -o "$3.partial" \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$4" "$2") >&2
    mv "$3.partial" "$3"
}

build_cli() {
    local started elapsed
    say "toolchain: building pulumi $version from Go modules (the first build takes 10-30 minutes)"
    started=$(date +%s)
    go_build "$module_dir" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" "$version"
    elapsed=$(($(date +%s) - started))
    [ "$(stamped_version)" = "$version" ] || fail "the built $bin/pulumi does not report version $version"
    built_note="built in ${elapsed}s"
}

# The Node.js language host has no version flag: a file next to it records what was built.
build_language_host() {
    say "toolchain: building pulumi-language-nodejs $language_version from Go modules"
    go_build "$language_dir" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
        "$bin/pulumi-language-nodejs" "$language_version"
    echo "$language_version" >"$bin/pulumi-language-nodejs.version"
}

# A module the proxy refuses is reported with go's own words, so the reason is exact.
probe_module() {
    local out
    out=$(cd "$root" && go mod download -json "$1" 2>&1) || true
    if printf '%s' "$out" | grep -q '"Error"'; then
        printf '%s' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' | sed 's/\\n\\t/ /g; s/\\"/"/g'
    elif printf '%s' "$out" | grep -q '"Zip"'; then
        echo "served by the proxy now, but not built by this script yet"
    else
        printf '%s' "$out" | tail -n 1
    fi
}

built_note="cached"
if [ "$(stamped_version)" != "$version" ]; then
    build_cli
fi
# The host became a module of its own after v3.68.0, and the proxy refuses that module; the
# older host inside github.com/pulumi/pulumi/sdk/v3 speaks the same protocol to this CLI.
language_dir="$module_dir/language-nodejs"
language_version=$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/sdk/v3" { print $3 }' "$language_dir/go.mod")
[ -n "$language_version" ] || fail "cannot read the github.com/pulumi/pulumi/sdk/v3 version from $language_dir/go.mod"
if [ ! -x "$bin/pulumi-language-nodejs" ] ||
    [ "$(cat "$bin/pulumi-language-nodejs.version" 2>/dev/null)" != "$language_version" ]; then
    build_language_host
fi
install -m 0755 "$module_dir/pulumi-resource-pulumi-nodejs" "$module_dir/pulumi-analyzer-policy" "$bin/"

aiven_version=6.51.0
aiven_dir="$pulumi_home/plugins/resource-aiven-v$aiven_version"
language_module="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$version"
aiven_module="github.com/pulumi/pulumi-aiven/provider/v6@v$aiven_version"

exports=(
    "export PATH=\"$bin:\$PATH\""
    "export PULUMI_HOME=\"$pulumi_home\""
    "export PULUMI_SKIP_UPDATE_CHECK=true"
    "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
    "export PULUMI_BACKEND_URL=\"file://$state_dir\""
)
if [ "$mode" = env ]; then
    printf '%s\n' "${exports[@]}"
    exit 0
fi

echo "toolchain: pulumi $version ready ($built_note) in $root"
printf '  %-32s %s\n' "pulumi" "$bin/pulumi"
printf '  %-32s %s\n' "pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs (dynamic resources)"
printf '  %-32s %s\n' "pulumi-analyzer-policy" "$bin/pulumi-analyzer-policy (--policy-pack <this file>, PULUMI_POLICY_PACK_DIR=<pack>)"
printf '  %-32s %s\n' "PULUMI_HOME (plugins)" "$pulumi_home"
if [ -x "$aiven_dir/pulumi-resource-aiven" ]; then
    printf '  %-32s %s\n' "pulumi-resource-aiven $aiven_version" "installed in $aiven_dir"
else
    printf '  %-32s %s\n' "pulumi-resource-aiven $aiven_version" "NOT BUILT: $(probe_module "$aiven_module")"
fi
printf '  %-32s %s\n' "pulumi-language-nodejs" "$bin/pulumi-language-nodejs ($language_version, runs Pulumi.yaml projects)"
echo "    the $version host is not built: $(probe_module "$language_module")"
echo "    $language_version cannot start a policy pack given as a directory: use pulumi-analyzer-policy."
echo
echo "Environment (or: eval \"\$(bash scripts/toolchain.sh --env)\"):"
printf '  %s\n' "${exports[@]}"
echo "  export PULUMI_CONFIG_PASSPHRASE=...   # any passphrase for the local state's secrets"
echo "  export AIVEN_WEB_URL=http://127.0.0.1:<port>   # only to use the Aiven emulator"
