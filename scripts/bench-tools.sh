#!/usr/bin/env bash
# What the benchmarks under bench/ load the application with: h2load, nghttp2's load generator
# (Debian's nghttp2-client), for HTTP/1.1 and for gRPC over HTTP/2.
set -euo pipefail

if ! command -v h2load >/dev/null 2>&1; then
  echo "bench-tools: installing h2load (nghttp2-client)"
  (apt-get update -qq && apt-get install -y -qq nghttp2-client) >/dev/null
fi
