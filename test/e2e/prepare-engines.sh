#!/usr/bin/env bash
# Prepares an offline build environment for the end-to-end tests, skipping every step
# whose result already exists (so a second run takes seconds):
#   1. Debian's docker.io, buildah and debootstrap (when missing);
#   2. dockerd without a bridge network (when no engine answers);
#   3. debian:bookworm-slim by debootstrap (when the image is missing);
#   4. python:3.11-slim-bookworm: the real image when it can be pulled, else a stand-in
#      with an offline wheelhouse (see standin/Dockerfile);
#   5. the same base images in buildah's store.
# All builds use --network host; nothing here enables bridge networking.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${OPENEDX_IDA_E2E_STATE:-/var/cache/openedx-ida-e2e}"
mkdir -p "$state"
log() { printf '[prepare-engines] %s\n' "$*" >&2; }

missing=()
command -v docker >/dev/null && command -v dockerd >/dev/null || missing+=(docker.io)
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (no bridge network; log in $state/dockerd.log)"
  nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$state/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start: see $state/dockerd.log"; exit 1; }
fi

python_image=python:3.11-slim-bookworm
if ! docker image inspect "$python_image" >/dev/null 2>&1; then
  if timeout 30 docker pull "$python_image" >/dev/null 2>&1; then
    log "pulled the real $python_image"
  else
    if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
      log "creating debian:bookworm-slim with debootstrap"
      rootfs="$state/rootfs-bookworm"
      rm -rf "$rootfs"
      debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$state/debootstrap.log" 2>&1
      tar -C "$rootfs" -c . | docker import - debian:bookworm-slim >/dev/null
      rm -rf "$rootfs"
    fi
    log "building the stand-in $python_image (Debian python3 + offline wheelhouse)"
    docker build -q --network host -t "$python_image" "$here/standin" >/dev/null
  fi
fi

for image in debian:bookworm-slim "$python_image"; do
  if docker image inspect "$image" >/dev/null 2>&1 && ! buildah inspect --type image "docker.io/library/$image" >/dev/null 2>&1; then
    log "copying $image into buildah's store"
    archive="$state/${image//[:\/]/_}.tar"
    docker save "$image" -o "$archive"
    buildah pull -q "docker-archive:$archive" >/dev/null
    buildah tag "$(buildah images -q --filter reference="$image" | head -n1 || true)" "docker.io/library/$image" 2>/dev/null || true
    rm -f "$archive"
  fi
done
log "ready: docker $(docker version -f '{{.Server.Version}}'), buildah $(buildah --version | awk '{print $3}')"
