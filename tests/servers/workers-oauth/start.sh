#!/usr/bin/env bash
# Starts the Worker (Cloudflare workers-oauth-provider) in workerd under
# `wrangler dev`, local only, on 127.0.0.1:PORT, its KV kept in a fresh
# folder. usage: start.sh PORT STATE-DIR [--v1|--resource-metadata]   (the
# login password: $WORKERS_OAUTH_PASSWORD; --v1: workers-oauth-provider 1.2.3
# (worker-v1.mjs) instead of 0.2.4; --resource-metadata: 0.2.4 with
# resourceMetadata.resource set, the persona's remedy)
set -eu
mkdir -p "$2"
port=$1 state=$2
here=$(cd "$(dirname "$0")" && pwd)
main=worker.mjs define=()
case ${3:-} in
  --v1) main=worker-v1.mjs define=(--define "WOP_ORIGIN:\"http://127.0.0.1:$port\"") ;;
  --resource-metadata) define=(--define "WOP_ORIGIN:\"http://127.0.0.1:$port\"") ;;
esac
# no telemetry, no update check, no account: the registries are all that is reachable
export WRANGLER_SEND_METRICS=false CI=true NO_UPDATE_NOTIFIER=1 HOME=$state XDG_CONFIG_HOME=$state/config
cd "$here"
exec ../node_modules/.bin/wrangler dev "$main" --local --ip 127.0.0.1 --port "$port" --inspector-port 0 \
  --persist-to "$state/kv" --show-interactive-dev-session=false --log-level warn \
  --var "LOGIN_PASSWORD:${WORKERS_OAUTH_PASSWORD:?}" "${define[@]}"
