#!/bin/bash
# Healthcheck of the replica: healthy only while both replication threads run and the server is
# super_read_only (both set up by replica-setup.sh).
set -euo pipefail
# shellcheck source=client.sh
. /opt/msproject/mysql/client.sh

status=$(msp_mysql root "$MYSQL_ROOT_PASSWORD" -h 127.0.0.1 --connect-timeout=3 -N -e \
  "SELECT CONCAT_WS(' ', s.SERVICE_STATE, a.SERVICE_STATE, @@global.super_read_only)
   FROM performance_schema.replication_connection_status s
   JOIN performance_schema.replication_applier_status a USING (CHANNEL_NAME)
   WHERE CHANNEL_NAME = ''")
[[ $status == 'ON ON 1' ]]
