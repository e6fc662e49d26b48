#!/bin/sh
# The official memcached image's contract: `-p 21211` means `memcached -p 21211`.
set -e
case "$1" in -*) set -- memcached "$@" ;; esac
exec "$@"
