#!/usr/bin/env bash
# Starts the real servers the end-to-end tests boot images against, on 127.0.0.1 only, skipping
# every step whose result already exists (so a second run takes well under a second):
#   1. Debian's mariadb-server, memcached and redis-server (when missing);
#   2. MariaDB on 127.0.0.1:3306 (root through the unix socket; the tests create one database
#      and one user each), memcached on 127.0.0.1:11211, Redis on 127.0.0.1:6379,
#      each started only when nothing answers on its port;
#   3. a virtualenv with pypiserver and passlib from PyPI (and setuptools and wheel to build the
#      test's private plugin), for the private-index tests, which start pypiserver themselves.
# Containers run with --network host, so they reach the servers at 127.0.0.1.
# OPENEDX_IDA_E2E_STATE moves the state folder (logs and data of what this script starts).
set -euo pipefail
state="${OPENEDX_IDA_E2E_STATE:-/var/cache/openedx-ida-e2e}"
mkdir -p "$state"
log() { printf '[prepare-services] %s\n' "$*" >&2; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # <port> <name> <log>
  for _ in $(seq 1 60); do listening "$1" && return 0; sleep 0.5; done
  log "$2 did not start on 127.0.0.1:$1: see $3"
  exit 1
}

# The servers outlive this script: close every inherited descriptor above stderr first, so they
# do not keep one open. Run as `flock /tmp/openedx-ida-e2e.lock bash prepare-services.sh`, the
# lock's descriptor would otherwise pass to mariadbd, memcached and redis-server, and the e2e lock
# would stay held for as long as they run (seen: every checkout's e2e run blocked for 40 minutes).
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
done

missing=()
command -v mariadbd >/dev/null && command -v mariadb >/dev/null || missing+=(mariadb-server mariadb-client)
command -v memcached >/dev/null || missing+=(memcached)
command -v redis-server >/dev/null || missing+=(redis-server)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! listening 3306; then
  log "starting MariaDB on 127.0.0.1:3306 (log in $state/mariadb.log)"
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$state/mariadb-install.log" 2>&1
  fi
  install -d -o mysql -g mysql /run/mysqld
  nohup mariadbd --user=mysql --bind-address=127.0.0.1 --port=3306 --skip-name-resolve \
    >"$state/mariadb.log" 2>&1 &
  wait_for 3306 MariaDB "$state/mariadb.log"
  for _ in $(seq 1 30); do mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
fi

if ! listening 11211; then
  log "starting memcached on 127.0.0.1:11211"
  memcached -d -u memcache -l 127.0.0.1 -p 11211 -m 64 -P "$state/memcached.pid"
  wait_for 11211 memcached "$state/memcached.pid"
fi

if ! listening 6379; then
  log "starting Redis on 127.0.0.1:6379 (log in $state/redis.log)"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --logfile "$state/redis.log" --dir "$state"
  wait_for 6379 Redis "$state/redis.log"
fi
# pypiserver for the private index: its own virtualenv, so the host's Python stays untouched.
tools="$state/pypiserver-venv"
if [ ! -x "$tools/bin/pypi-server" ]; then
  log "installing pypiserver and passlib from PyPI into $tools"
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install -q pypiserver passlib setuptools wheel
fi
log "ready: MariaDB $(mariadb -uroot -N -e 'SELECT VERSION()'), memcached, Redis on 127.0.0.1; pypiserver in $tools"
