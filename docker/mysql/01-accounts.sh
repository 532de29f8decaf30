#!/bin/bash
# First-start init of BOTH MySQL servers (mounted into /docker-entrypoint-initdb.d).
# Creates the replication account and Nacos's own account. Both servers run the same init files
# so that they hold the same data when replication starts (see 90-reset-gtids.sql).
# Works whether the image's entrypoint sources or executes it: no `exit` on success.
set -eo pipefail
# shellcheck source=client.sh
. /opt/msproject/mysql/client.sh

msp_mysql root "$MYSQL_ROOT_PASSWORD" --protocol=socket --socket="${SOCKET:-/var/run/mysqld/mysqld.sock}" <<SQL
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY $(msp_sql_string "${MYSQL_REPL_PASSWORD:?MYSQL_REPL_PASSWORD is not set}");
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE USER IF NOT EXISTS 'nacos'@'%' IDENTIFIED BY $(msp_sql_string "${NACOS_DB_PASSWORD:?NACOS_DB_PASSWORD is not set}");
GRANT SELECT, INSERT, UPDATE, DELETE ON \`nacos\`.* TO 'nacos'@'%';
SQL
echo "01-accounts.sh: accounts repl and nacos created"
