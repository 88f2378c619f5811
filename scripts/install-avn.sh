#!/usr/bin/env bash
# Installs Aiven's CLI `avn` (the pinned aiven-client) into a virtualenv under ~/.cache and prints
# the path of the avn executable. A second run with the same pins reuses the virtualenv.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$here/tests/conformance/requirements.txt"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/aiven-read-replicas/avn-venv"
avn="$venv/bin/avn"
stamp="$venv/.requirements"

if ! command -v python3 >/dev/null 2>&1; then
  echo "install-avn: python3 is not installed; install Python 3.10 or later to run the avn conformance suite" >&2
  exit 1
fi

if [ -x "$avn" ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
  echo "$avn"
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  if ! python3 -m venv "$venv" >&2; then
    rm -rf "$venv"
    echo "install-avn: python3 -m venv failed (on Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi

if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2; then
  echo "install-avn: pip could not install $requirements into $venv" >&2
  exit 1
fi
"$avn" --version >/dev/null
cp "$requirements" "$stamp"
echo "$avn"
