#!/bin/bash
# Sourced by the scripts in docker/mysql: MySQL clients that get their password from an option
# file on a pipe, never from the command line (visible in `ps`) nor from the deprecated MYSQL_PWD.

# Quotes a value as an SQL string literal.
msp_sql_string() {
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\'\'}"
}

# msp_mysql USER PASSWORD [mysql options...]: the mysql client, logged in as USER.
# docker/preflight.sh restricts passwords to characters that need no escaping in the option file.
msp_mysql() {
  local user=$1 password=$2
  shift 2
  mysql --defaults-extra-file=<(printf '[client]\nuser="%s"\npassword="%s"\n' "$user" "$password") "$@"
}
