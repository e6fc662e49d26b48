#!/bin/sh
# The official redis image's contract: `--port 16379` means `redis-server --port 16379`, and a
# server started without a config file has protected mode off (the official entrypoint does the same).
set -e
case "$1" in -*|*.conf) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  case "${2:-}" in *.conf) ;; *) shift; set -- redis-server --protected-mode no "$@" ;; esac
fi
exec "$@"
