#!/usr/bin/env bash
# Starts worker.mjs (Cloudflare workers-oauth-provider) in workerd under
# `wrangler dev`, local only, on 127.0.0.1:PORT, its KV kept in a fresh
# folder. usage: start.sh PORT STATE-DIR [--v1]   (the login password:
# $WORKERS_OAUTH_PASSWORD; --v1: workers-oauth-provider 1.2.3 instead of 0.2.4)
set -eu
mkdir -p "$2"
port=$1 state=$2
here=$(cd "$(dirname "$0")" && pwd)
alias=()
[ "${3:-}" = --v1 ] && alias=(--alias "@cloudflare/workers-oauth-provider:workers-oauth-provider-1")
# no telemetry, no update check, no account: the registries are all that is reachable
export WRANGLER_SEND_METRICS=false CI=true NO_UPDATE_NOTIFIER=1 HOME=$state XDG_CONFIG_HOME=$state/config
cd "$here"
exec ../node_modules/.bin/wrangler dev --local --ip 127.0.0.1 --port "$port" --inspector-port 0 \
  --persist-to "$state/kv" --show-interactive-dev-session=false --log-level warn \
  --var "LOGIN_PASSWORD:${WORKERS_OAUTH_PASSWORD:?}" "${alias[@]}"
