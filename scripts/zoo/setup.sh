#!/usr/bin/env bash
# Set up everything the layout zoo needs; idempotent (run it as often as you like).
#
#   bash scripts/zoo/setup.sh          # from the repository root (or from anywhere)
#
# 1. Debian packages listed in scripts/zoo/setup.d/*.apt (one name per line, '#' comments),
#    installed with apt-get --no-install-recommends when not yet installed
#    (apt-get update only when an install fails for lack of package lists).
# 2. The virtualenv .venv-zoo at the repository root, with requirements.txt plus
#    requirements.d/*.txt installed in one pip run (conflicting pins fail loudly); skipped
#    when the requirement files have not changed since the last successful run.
# Environment: PYTHON (interpreter for a new venv, default python3), ZOO_VENV (venv path).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${ZOO_VENV:-$root/.venv-zoo}"
python="${PYTHON:-python3}"

# ---------------------------------------------------------------- Debian packages
declare -a wanted=()
shopt -s nullglob
for f in "$here"/setup.d/*.apt; do
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"
    line="$(echo "$line" | xargs)"
    [[ -n "$line" ]] && wanted+=("$line")
  done < "$f"
done
declare -a missing=()
if ((${#wanted[@]})); then
  while IFS= read -r pkg; do
    [[ -z "$pkg" ]] && continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done < <(printf '%s\n' "${wanted[@]}" | sort -u)
fi
if ((${#missing[@]})); then
  echo "zoo setup: installing Debian packages: ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "zoo setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
else
  echo "zoo setup: Debian packages present (${#wanted[@]} listed)"
fi

# ---------------------------------------------------------------- virtualenv
if [[ ! -x "$venv/bin/python" ]]; then
  echo "zoo setup: creating $venv"
  "$python" -m venv "$venv"
fi
declare -a reqs=("$here/requirements.txt")
for f in "$here"/requirements.d/*.txt; do reqs+=("$f"); done
stamp="$venv/.zoo-requirements.sha256"
sum="$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
  echo "zoo setup: $venv up to date"
else
  declare -a args=()
  for f in "${reqs[@]}"; do args+=(-r "$f"); done
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}"
  echo "$sum" > "$stamp"
  echo "zoo setup: installed ${#reqs[@]} requirement files into $venv"
fi
