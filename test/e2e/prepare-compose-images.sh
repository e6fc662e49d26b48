#!/usr/bin/env bash
# The images a generated compose.yaml names for its servers, for the compose end-to-end test:
# mysql:8.0, memcached:1.6 and redis:7, the real images when they can be pulled, else stand-ins
# built here from Debian packages on debian:bookworm-slim (standin/mysql is MariaDB standing in
# for MySQL 8, honouring the official image's MYSQL_* variables; standin/memcached, standin/redis),
# tagged with the official names. A stand-in is rebuilt when its label changes; a real image is
# never replaced. Needs debian:bookworm-slim (prepare-engines.sh). Builds use --network host.
# Usage: prepare-compose-images.sh [IMAGE=STANDIN...]   (default: the three above)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log() { printf '[prepare-compose-images] %s\n' "$*" >&2; }

# The stand-in label of an image: empty for a real image (or a missing one).
standin_label() { docker image inspect -f '{{index .Config.Labels "org.openedx-ida.standin"}}' "$1" 2>/dev/null || true; }
wanted_label() { sed -n 's/^LABEL org.openedx-ida.standin="\([^"]*\)".*/\1/p' "$here/standin/$1/Dockerfile"; }

pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(mysql:8.0=mysql memcached:1.6=memcached redis:7=redis)
for pair in "${pairs[@]}"; do
  image="${pair%%=*}"
  standin="${pair#*=}"
  current="$(standin_label "$image")"
  if docker image inspect "$image" >/dev/null 2>&1 && { [ -z "$current" ] || [ "$current" = "$(wanted_label "$standin")" ]; }; then
    continue
  fi
  if [ -z "$current" ] && timeout 30 docker pull "$image" >/dev/null 2>&1; then
    log "pulled the real $image"
    continue
  fi
  log "building the stand-in $image from Debian packages (standin/$standin)"
  docker build -q --network host -t "$image" "$here/standin/$standin" >/dev/null
done
