#!/usr/bin/env bash
# Builds the Pulumi CLI from Go modules (nothing is fetched from anywhere but the Go module
# proxy), caches it under ~/.cache, and prints where everything is and the environment to use.
#
#   bash scripts/toolchain.sh          build if needed, then print a summary and `export` lines
#   bash scripts/toolchain.sh --env    only the `export` lines: eval "$(bash scripts/toolchain.sh --env)"
#
# AIVEN_RR_TOOLCHAIN_CACHE overrides the cache directory (default ~/.cache/aiven-read-replicas/toolchain).
# AIVEN_RR_TOOLCHAIN_PYTHON names the Python that makes the SDK's virtualenv (default python3).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir="$here/toolchain"
mode=summary
case "${1:-}" in
    "") ;;
    --env) mode=env ;;
    -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

sdk_version_var=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

# go_build <module dir> <package> <output> <version to stamp> [<variable holding the version>]
go_build() {
    mkdir -p "$(dirname "$3")"
    (cd "$1" && go build -mod=readonly -o "$3.partial" -ldflags "-s -w -X ${5:-$sdk_version_var}=$4" "$2") >&2
    mv "$3.partial" "$3"
}

# required_version <go.mod> <module>: the version a wrapper module requires.
required_version() {
    local found
    found=$(awk -v m="$2" '($1 == "require" && $2 == m) { print $3 } ($1 == m) { print $2 }' "$1" | head -n 1)
    [ -n "$found" ] || fail "cannot read the $2 version from $1"
    echo "$found"
}

# The language hosts have no version flag: a file next to each records what was built.
built_as() { [ -x "$1" ] && [ "$(cat "$1.version" 2>/dev/null)" = "$2" ]; }
record_build() { echo "$2" >"$1.version"; }

build_cli() {
    local started elapsed
    say "toolchain: building pulumi $version from Go modules (the first build takes 10-30 minutes)"
    started=$(date +%s)
    go_build "$module_dir" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" "$version"
    elapsed=$(($(date +%s) - started))
    [ "$(stamped_version)" = "$version" ] || fail "the built $bin/pulumi does not report version $version"
    built_note="built in ${elapsed}s"
}

build_language_host() {
    say "toolchain: building pulumi-language-nodejs $language_version from Go modules"
    go_build "$language_dir" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
        "$bin/pulumi-language-nodejs" "$language_version"
    record_build "$bin/pulumi-language-nodejs" "$language_version"
}

build_yaml_host() {
    say "toolchain: building pulumi-language-yaml $yaml_version from Go modules"
    go_build "$module_dir/language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
        "$bin/pulumi-language-yaml" "$yaml_version" github.com/pulumi/pulumi-yaml/pkg/version.Version
    record_build "$bin/pulumi-language-yaml" "$yaml_version"
}

# The Python and Go hosts the module proxy serves predate SDK generation: each runs behind the
# front built from scripts/toolchain/language-front against this CLI's code generators, installed
# under the host's name; the host itself is in libexec/<language>/.
# It is this project's own code: a change to its sources rebuilds it, as a new version would.
front_stamp="$version $(cat "$module_dir/language-front/go.mod" "$module_dir"/language-front/*.go | cksum | cut -d' ' -f1)"
build_front() {
    go_build "$module_dir/language-front" . "$root/libexec/pulumi-language-front" "$version"
    record_build "$root/libexec/pulumi-language-front" "$front_stamp"
}

# build_fronted_host <language> <host version>
build_fronted_host() {
    local lang=$1 host_version=$2
    say "toolchain: building pulumi-language-$lang ($host_version host, $version SDK generator) from Go modules"
    built_as "$root/libexec/pulumi-language-front" "$front_stamp" || build_front
    go_build "$module_dir/language-$lang-host" "github.com/pulumi/pulumi/sdk/v3/$3" \
        "$root/libexec/$lang/pulumi-language-$lang" "$host_version"
    install -m 0755 "$root/libexec/pulumi-language-front" "$bin/pulumi-language-$lang"
}

# The Python host runs `pulumi-language-python-exec` from its own directory: the CLI release's copy.
install_python_exec() {
    local sdk_dir exec_script
    sdk_dir=$(module_dir_of "$module_dir" "github.com/pulumi/pulumi/sdk/v3@$version")
    exec_script="$sdk_dir/python/cmd/pulumi-language-python-exec"
    [ -f "$exec_script" ] || fail "github.com/pulumi/pulumi/sdk/v3@$version has no python/cmd/pulumi-language-python-exec"
    install -m 0755 "$exec_script" "$root/libexec/python/pulumi-language-python-exec"
}

# module_dir_of <module dir> <module@version>: where the module proxy's copy of it was unpacked.
module_dir_of() {
    local out
    out=$(cd "$1" && go mod download -json "$2" 2>&1) ||
        fail "cannot download $2: $(printf '%s' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p')"
    printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n 1
}

# The Python SDK (and what pip needs to install a generated SDK without fetching build tools) in a
# virtualenv, from the pinned requirements; remade when they change. Without python3, or when pip
# cannot install them, only this part is missing (said in the summary): Node.js and YAML programs
# do not need it.
python_requirements="$module_dir/python-requirements.txt"
build_python_venv() {
    local python=${AIVEN_RR_TOOLCHAIN_PYTHON:-python3}
    if ! command -v "$python" >/dev/null 2>&1; then
        python_note="NOT READY: $python is not installed (Python programs need Python 3.9 or newer)"
        return
    fi
    if ! cmp -s "$python_requirements" "$python_venv/requirements.txt"; then
        say "toolchain: installing the Pulumi Python SDK in a virtualenv ($python_venv)"
        rm -rf "$python_venv"
        if ! "$python" -m venv "$python_venv" >&2 ||
            ! "$python_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$python_requirements" >&2; then
            rm -rf "$python_venv"
            python_note="NOT READY: installing $python_requirements into a virtualenv failed (see above); run this again"
            echo "toolchain: $python_note" >&2
            return
        fi
        cp "$python_requirements" "$python_venv/requirements.txt"
    fi
    python_note="$python_venv ($(sed -n 's/^pulumi==//p' "$python_requirements"))"
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
language_version=$(required_version "$language_dir/go.mod" github.com/pulumi/pulumi/sdk/v3)
built_as "$bin/pulumi-language-nodejs" "$language_version" || build_language_host

yaml_version=$(required_version "$module_dir/language-yaml/go.mod" github.com/pulumi/pulumi-yaml)
built_as "$bin/pulumi-language-yaml" "$yaml_version" || build_yaml_host

python_host_version=$(required_version "$module_dir/language-python-host/go.mod" github.com/pulumi/pulumi/sdk/v3)
python_build="$python_host_version host, $version SDK generator"
if ! built_as "$bin/pulumi-language-python" "$python_build, front $front_stamp" || [ ! -x "$root/libexec/python/pulumi-language-python" ]; then
    build_fronted_host python "$python_host_version" python/cmd/pulumi-language-python
    install_python_exec
    record_build "$bin/pulumi-language-python" "$python_build, front $front_stamp"
fi
go_host_version=$(required_version "$module_dir/language-go-host/go.mod" github.com/pulumi/pulumi/sdk/v3)
go_build_note="$go_host_version host, $version SDK generator"
if ! built_as "$bin/pulumi-language-go" "$go_build_note, front $front_stamp" || [ ! -x "$root/libexec/go/pulumi-language-go" ]; then
    build_fronted_host go "$go_host_version" go/pulumi-language-go
    record_build "$bin/pulumi-language-go" "$go_build_note, front $front_stamp"
fi
python_venv="$root/python"
build_python_venv
install -m 0755 "$module_dir/pulumi-resource-pulumi-nodejs" "$module_dir/pulumi-analyzer-policy" "$bin/"

aiven_version=6.51.0
aiven_dir="$pulumi_home/plugins/resource-aiven-v$aiven_version"
language_module="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$version"
aiven_module="github.com/pulumi/pulumi-aiven/provider/v6@v$aiven_version"
python_module="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@$version"
go_module="github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3@$version"

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
printf '  %-32s %s\n' "pulumi-language-yaml" "$bin/pulumi-language-yaml ($yaml_version, runs YAML programs)"
printf '  %-32s %s\n' "pulumi-language-python" "$bin/pulumi-language-python ($python_build)"
echo "    the $version host is not built: $(probe_module "$python_module")"
printf '  %-32s %s\n' "Python SDK (virtualenv)" "$python_note"
printf '  %-32s %s\n' "pulumi-language-go" "$bin/pulumi-language-go ($go_build_note)"
echo "    the $version host is not built: $(probe_module "$go_module")"
echo
echo "Environment (or: eval \"\$(bash scripts/toolchain.sh --env)\"):"
printf '  %s\n' "${exports[@]}"
echo "  export PULUMI_CONFIG_PASSPHRASE=...   # any passphrase for the local state's secrets"
echo "  export AIVEN_WEB_URL=http://127.0.0.1:<port>   # only to use the Aiven emulator"
