#!/bin/bash
# The official mysql image's contract, on MariaDB: arguments starting with '-' go to the server;
# on an empty data directory, a first start creates MYSQL_DATABASE and MYSQL_USER (with
# MYSQL_PASSWORD, all privileges on that database) and sets MYSQL_ROOT_PASSWORD, from a
# temporary server without networking (so a TCP health probe fails until the real one listens).
set -euo pipefail
if [ "${1:0:1}" = '-' ]; then set -- mysqld "$@"; fi
if [ "$1" != mysqld ] && [ "$1" != mariadbd ]; then exec "$@"; fi
shift
# SQL literals and names, quotes doubled (the values come from the compose file's environment).
sql_string() { local q="'"; printf "'%s'" "${1//$q/$q$q}"; }
sql_name() { local b='`'; printf '`%s`' "${1//$b/$b$b}"; }
if [ ! -d /var/lib/mysql/mysql ]; then
  : "${MYSQL_ROOT_PASSWORD:?the official image needs MYSQL_ROOT_PASSWORD (or MYSQL_ALLOW_EMPTY_PASSWORD), and so does this stand-in}"
  echo "[stand-in] initializing the data directory (MariaDB standing in for MySQL 8)"
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal >/dev/null
  mariadbd --user=mysql --skip-networking --socket=/run/mysqld/init.sock &
  init_pid=$!
  for _ in $(seq 1 60); do mariadb --socket=/run/mysqld/init.sock -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
  {
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $(sql_string "$MYSQL_ROOT_PASSWORD");"
    echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "${MYSQL_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MYSQL_DATABASE") CHARACTER SET utf8mb4;"
    fi
    if [ -n "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
      echo "CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
      if [ -n "${MYSQL_DATABASE:-}" ]; then
        echo "GRANT ALL PRIVILEGES ON $(sql_name "$MYSQL_DATABASE").* TO $(sql_string "$MYSQL_USER")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket=/run/mysqld/init.sock -uroot
  kill "$init_pid"
  wait "$init_pid" || true
  echo "[stand-in] initialized"
fi
# As the official image: listen on every interface unless an argument says otherwise.
exec mariadbd --user=mysql --bind-address=0.0.0.0 "$@"
