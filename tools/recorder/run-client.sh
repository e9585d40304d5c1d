#!/bin/bash
# Runs one real MCP client, headless, against a fresh recorder and leaves the
# trace in $TRACES_DIR (default fixtures/traces)/<client>-<version>-<mode>.jsonl.
#
#   run-client.sh install                      # npm-installs the clients
#   run-client.sh CLIENT MODE PORT [recorder flags...]
#
# CLIENT: mcp-remote | sdk | inspector | codex | claude | gemini
#         | opencode | kilo | qwen | copilot | cline
#         | vscode (VS Code through code-server: vscode.sh, installed by
#           `vscode.sh install`, or on first use)
#         | sdk2 (the TypeScript SDK v2 itself, @modelcontextprotocol/client,
#           driven by sdk2-client.mjs: the least app on it)
#         | mcpc (Apify's MCP CLI: `mcpc login`, then a session)
#         | continue (Continue CLI `cn`: its TUI hands a server that answers
#           401 to `npx -y mcp-remote URL`; install warms npx's cache)
#         | auggie (Augment's CLI: a stand-in Augment session, the TUI's /mcp
#           menu; its OAuth library refuses http, so the recorder serves
#           https with a throwaway certificate the client is told to trust)
# Environment knobs:
#   PEERS_WORK    scratch folder (default: $TMPDIR or /tmp, + /peers)
#   CLIENT_ARGS   extra words for the client's login command, e.g.
#                 mcp-remote: "7777 --static-oauth-client-info {...}"
#                 inspector:  "--client-id X --client-secret S"
#                 codex:      "--oauth-client-id X -c mcp_oauth_callback_port=7790"
#                 claude:     "--client-id X --client-secret --callback-port 7792"
#                 sdk2:       "--client-id X --client-secret S --cimd-url URL"
#                 mcpc:       "--client-id X --client-secret S --client-metadata-url URL"
#                             (secret from MCP_CLIENT_SECRET)
#   GEMINI_OAUTH  JSON for the server's "oauth" object (default {"enabled": true});
#                 qwen uses it too
#   OPENCODE_OAUTH JSON for opencode's/kilo's server "oauth" object (default {}),
#                 e.g. {"clientId": "X", "clientSecret": "S"}
#   CODEX_VERSION record another Codex release (installed in clients/codex-V)
#   CLAUDE_VERSION record another Claude Code release from its linux-x64
#                 binary package alone (@anthropic-ai/claude-code-linux-x64@V,
#                 installed in clients/claude-V): the registry can have a
#                 newer binary than the @anthropic-ai/claude-code wrapper
#   OPENCODE_VERSION the same for opencode (opencode-linux-x64@V, in
#                 clients/opencode-V; newer than the opencode-ai wrapper)
#   KILO_VERSION  the same for Kilo (@kilocode/cli-linux-x64@V, in clients/kilo-V)
#   CLINE_CLIENT_ID, CLINE_CLIENT_SECRET what Cline's wizard is given as a client
#   AUGGIE_SERVER extra JSON members for Auggie's server entry, e.g.
#                 "clientId": "X", "clientSecret": "S"
#   COPILOT_SERVER extra JSON members for Copilot CLI's server entry, e.g.
#                 "oauthClientId": "X", "oauthPublicClient": true, "auth": {"redirectPort": 7796}
#   AGAIN_AFTER   seconds; if set, the client is used a second time after
#                 this pause (token refresh tests with --token-ttl)
#   TARGET_URL    run the client against this MCP URL (a real server, e.g.
#                 behind `mcpcompat proxy --record`) instead of a recorder:
#                 no recorder is started, PORT and recorder flags are unused,
#                 the client's output goes to $OUT_FILE if set (ci/predict)
#   BROWSER_CMD   the browser stand-in (default fake-browser.sh; against
#                 real authorization servers with login forms: form-browser.sh)
# The recorder gets the flags given after PORT; markers (GET /__marker) in
# the trace separate the steps. Nothing leaves loopback: model providers are
# pointed at 127.0.0.1:9599, where nothing listens.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=${TRACES_DIR:-$(cd "$HERE/../../fixtures/traces" && pwd)}
W=${PEERS_WORK:-${TMPDIR:-/tmp}/peers}
C=$W/clients
declare -A PKG=([mcp-remote]=mcp-remote@0.15.1 [sdk]=@modelcontextprotocol/sdk@1.32.2
  [inspector]=@modelcontextprotocol/inspector@2.12.0 [codex]=@openai/codex@0.169.0
  [claude]=@anthropic-ai/claude-code@2.1.332 [gemini]=@google/gemini-cli@0.61.0)
declare -A VER=([mcp-remote]=mcp-remote-0.15.1 [sdk]=sdk-simpleOAuthClient-1.32.2
  [inspector]=inspector-cli-2.12.0 [codex]=codex-0.169.0
  [claude]=claude-code-2.1.332 [gemini]=gemini-cli-0.61.0)
# Added after the first six: kilo's newest release (7.8.1) has no linux-x64
# build on the registry, 7.7.7 is the newest that installs.
PKG+=([opencode]=opencode-ai@1.18.33 [kilo]=@kilocode/cli@7.7.7 [qwen]=@qwen-code/qwen-code@0.24.4
  [copilot]=@github/copilot@1.0.102 [cline]=cline@3.0.65)
PKG+=([sdk2]=@modelcontextprotocol/client@2.4.0)
VER+=([sdk2]=sdk-client-2.4.0)
PKG+=([mcpc]=@apify/mcpc@0.2.6 [continue]=@continuedev/cli@1.5.47 [auggie]=@augmentcode/auggie@0.36.0)
VER+=([mcpc]=mcpc-0.2.6 [continue]=continue-cli-1.5.47 [auggie]=auggie-0.36.0)
VER+=([opencode]=opencode-1.18.33 [kilo]=kilo-7.7.7 [qwen]=qwen-code-0.24.4 [copilot]=copilot-cli-1.0.102 [cline]=cline-3.0.65)
CODEX_DIR=codex
if [ -n "${CODEX_VERSION:-}" ]; then
  PKG[codex]=@openai/codex@$CODEX_VERSION VER[codex]=codex-$CODEX_VERSION CODEX_DIR=codex-$CODEX_VERSION
fi
CLAUDE_DIR=claude CLAUDE_BIN=node_modules/.bin/claude
if [ -n "${CLAUDE_VERSION:-}" ]; then
  PKG[claude]=@anthropic-ai/claude-code-linux-x64@$CLAUDE_VERSION VER[claude]=claude-code-$CLAUDE_VERSION
  CLAUDE_DIR=claude-$CLAUDE_VERSION CLAUDE_BIN=node_modules/@anthropic-ai/claude-code-linux-x64/claude
fi
KILO_DIR=kilo KILO_BIN=node_modules/.bin/kilo
if [ -n "${KILO_VERSION:-}" ]; then
  PKG[kilo]=@kilocode/cli-linux-x64@$KILO_VERSION VER[kilo]=kilo-$KILO_VERSION
  KILO_DIR=kilo-$KILO_VERSION KILO_BIN=node_modules/@kilocode/cli-linux-x64/bin/kilo
fi
OPENCODE_DIR=opencode OPENCODE_BIN=node_modules/.bin/opencode
if [ -n "${OPENCODE_VERSION:-}" ]; then
  PKG[opencode]=opencode-linux-x64@$OPENCODE_VERSION VER[opencode]=opencode-$OPENCODE_VERSION
  OPENCODE_DIR=opencode-$OPENCODE_VERSION OPENCODE_BIN=node_modules/opencode-linux-x64/bin/opencode
fi

if [ "${1:-}" = install ]; then
  for c in "${!PKG[@]}"; do
    d=$c; [ "$c" = codex ] && d=$CODEX_DIR; [ "$c" = claude ] && d=$CLAUDE_DIR
    [ "$c" = opencode ] && d=$OPENCODE_DIR
    [ "$c" = kilo ] && d=$KILO_DIR
    mkdir -p "$C/$d" && (cd "$C/$d" && { [ -f package.json ] || npm init -y >/dev/null; } && npm i "${PKG[$c]}" >install.log 2>&1) &
  done
  wait
  # Continue CLI runs `npx -y mcp-remote URL` (the newest) on a 401: a cache
  # of its own, filled now, so that recordings need no registry
  mkdir -p "$C/continue/npx-cache"
  npm_config_cache=$C/continue/npx-cache timeout 120 npx -y mcp-remote http://127.0.0.1:1/mcp >/dev/null 2>&1
  # claude-code's postinstall only links the platform binary, which npm 11 skips
  [ -n "${CLAUDE_VERSION:-}" ] || (cd "$C/claude" && node node_modules/@anthropic-ai/claude-code/install.cjs >/dev/null 2>&1)
  exit 0
fi

client=$1 mode=$2 port=$3; shift 3
[ "$client" != vscode ] || exec "$HERE/vscode.sh" "$mode" "$port" "$@"
name=${VER[$client]}-$mode
out=${OUT_FILE:-$W/out/$name.out}; mkdir -p "$W/out" "$(dirname "$out")"; : >"$out"
H=$W/homes/$name; rm -rf "$H"; mkdir -p "$H/work" "$H/bin"
BR=${BROWSER_CMD:-$HERE/fake-browser.sh}
# xdg-open in a bin folder of this run's own, so runs with different
# browsers do not share one link
ln -sf "$BR" "$H/bin/xdg-open"
export PATH=$H/bin:$PATH BROWSER=$BR HOME=$H FAKE_BROWSER_LOG=${FAKE_BROWSER_LOG:-$W/out/$name.browser.log}
U=http://127.0.0.1:$port/mcp
SCHEME=http TLS=()
if [ "$client" = auggie ]; then
  # a self-signed certificate for 127.0.0.1, made once; trusted through
  # NODE_EXTRA_CA_CERTS (the client) and --cacert (the fake browser)
  K=$W/tls; mkdir -p "$K"
  [ -f "$K/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$K/key.pem" -out "$K/cert.pem" \
    -days 30 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null
  SCHEME=https TLS=(--tls "$K/cert.pem,$K/key.pem") U=https://127.0.0.1:$port/mcp
  export NODE_EXTRA_CA_CERTS=$K/cert.pem FAKE_BROWSER_CACERT=$K/cert.pem
fi
ARGS=${CLIENT_ARGS:-}

if [ -n "${TARGET_URL:-}" ]; then
  U=$TARGET_URL
  mark() { echo "== $1" >>"$out"; }
else
  rm -f "$T/$name.jsonl"
  node "$HERE/recorder.js" --port "$port" --log "$T/$name.jsonl" "${TLS[@]}" "$@" 2>>"$out" &
  REC=$!
  trap 'kill $REC 2>/dev/null' EXIT
  sleep 0.5
  mark() { curl -s -o /dev/null ${FAKE_BROWSER_CACERT:+--cacert "$FAKE_BROWSER_CACERT"} -G --data-urlencode "step=$1" "$SCHEME://127.0.0.1:$port/__marker"; }
fi
DI="node $HERE/drive-interactive.js"
DS="node $HERE/drive-stdio.js"

use_client() { # $1 = 1 for the first use, 2 for the second
  case $client in
  mcp-remote)
    mark "mcp-remote run $1"
    eval timeout 60 $DS 45 -- node "$C/mcp-remote/node_modules/mcp-remote/dist/proxy.js" "$U" $ARGS >>"$out" 2>&1 ;;
  sdk)
    mark "simpleOAuthClient run $1"
    PROMPT='mcp> ' SEND='list;quit' timeout 45 $DI 35 -- node \
      "$C/sdk/node_modules/@modelcontextprotocol/sdk/dist/esm/examples/client/simpleOAuthClient.js" "$U" $ARGS >>"$out" 2>&1 ;;
  sdk2)
    # one process for both uses: its tokens live in memory
    [ "$1" = 2 ] && return
    mark "sdk2-client run"
    eval SDK2_DIR="$C/sdk2" timeout 60 node "$HERE/sdk2-client.mjs" "$U" \
      ${AGAIN_AFTER:+--again-after $AGAIN_AFTER} $ARGS </dev/null >>"$out" 2>&1 ;;
  inspector)
    mark "inspector --cli run $1"
    eval NO_OPEN=1 MCP_AUTO_OPEN_ENABLED=true MCP_INSPECTOR_SECRET_STORE=memory timeout 50 $DI 40 -- node \
      "$C/inspector/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli "$U" --method tools/list $ARGS </dev/null >>"$out" 2>&1 ;;
  codex)
    export CODEX_HOME=$H/codex; mkdir -p "$CODEX_HOME"
    local X=$C/$CODEX_DIR/node_modules/.bin/codex
    if [ "$1" = 1 ]; then
      mark "codex mcp add (login)"
      eval NO_OPEN=1 timeout 40 $DI 30 -- "$X" mcp add rec --url "$U" $ARGS </dev/null >>"$out" 2>&1
    fi
    mark "codex exec (session start) $1"
    (cd "$H/work" && OPENAI_API_KEY=sk-dummy timeout 12 "$X" exec --skip-git-repo-check -c model_provider=loc \
      -c model_providers.loc.name=loc -c model_providers.loc.base_url=http://127.0.0.1:9599/v1 \
      -c model_providers.loc.env_key=OPENAI_API_KEY "say hi" </dev/null >>"$out" 2>&1) ;;
  claude)
    export CLAUDE_CONFIG_DIR=$H/.claude DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1 DISABLE_AUTOUPDATER=1 \
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 ANTHROPIC_BASE_URL=http://127.0.0.1:9599
    local X=$C/$CLAUDE_DIR/$CLAUDE_BIN
    cd "$H/work"
    if [ "$1" = 1 ]; then
      mark "claude mcp add"
      eval timeout 30 "$X" mcp add --transport http $ARGS rec "$U" </dev/null >>"$out" 2>&1
      mark "claude mcp login rec"
      # login insists on a terminal: script(1) provides one
      NO_OPEN=1 timeout 50 $DI 40 -- script -q -e -c "$X mcp login rec" /dev/null </dev/null >>"$out" 2>&1
    fi
    mark "claude mcp list $1"
    timeout 60 "$X" mcp list </dev/null >>"$out" 2>&1 ;;
  gemini)
    mkdir -p "$H/.gemini"; cd "$H/work"
    local GO=${GEMINI_OAUTH:-'{"enabled": true}'}
    cat >"$H/.gemini/settings.json" <<JSON
{"security": {"auth": {"selectedType": "gemini-api-key"}}, "privacy": {"usageStatisticsEnabled": false},
 "telemetry": {"enabled": false}, "general": {"disableAutoUpdate": true, "disableUpdateNag": true},
 "mcpServers": {"rec": {"httpUrl": "$U", "oauth": $GO}}}
JSON
    export GEMINI_API_KEY=dummy-key GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9599 GEMINI_CLI_TRUST_WORKSPACE=true
    local X=$C/gemini/node_modules/.bin/gemini
    if [ "$1" = 1 ]; then
      mark "gemini -p (session start; automatic OAuth)"
      NO_OPEN=1 PROMPT='\[Y/n\]' SEND=Y timeout 40 $DI 25 -- "$X" -p "say hi" </dev/null >>"$out" 2>&1
    fi
    mark "gemini mcp list $1"
    timeout 40 "$X" mcp list </dev/null >>"$out" 2>&1 ;;
  opencode | kilo)
    # opencode reads ~/.config/opencode/opencode.json, kilo (a fork of it)
    # ~/.config/kilo/kilo.json; `mcp auth NAME` logs in (opening the browser
    # via xdg-open) and then connects; `mcp list` connects again
    local file=$client; [ "$client" = kilo ] || file=opencode
    mkdir -p "$H/.config/$file"; cd "$H/work"
    local OO=${OPENCODE_OAUTH:-'{}'}
    cat >"$H/.config/$file/$file.json" <<JSON
{"autoupdate": false, "share": "disabled",
 "mcp": {"rec": {"type": "remote", "url": "$U", "oauth": $OO}}}
JSON
    export OPENCODE_DISABLE_AUTOUPDATE=1 KILO_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
      KILO_DISABLE_MODELS_FETCH=1 KILO_TELEMETRY_DISABLED=1
    local X=$C/$KILO_DIR/$KILO_BIN
    [ "$client" = kilo ] || X=$C/$OPENCODE_DIR/$OPENCODE_BIN
    if [ "$1" = 1 ]; then
      mark "$client mcp auth rec"
      NO_OPEN=1 timeout 50 $DI 40 -- "$X" mcp auth rec </dev/null >>"$out" 2>&1
    fi
    mark "$client mcp list $1"
    timeout 40 "$X" mcp list </dev/null >>"$out" 2>&1 ;;
  qwen)
    # a fork of Gemini CLI, but `qwen -p` never runs the OAuth flow (it
    # probes with HEAD and tells the user to open the /mcp dialog): the TUI
    # in tmux, /mcp -> rec -> Authenticate. Settings in ~/.qwen/settings.json,
    # the model an OpenAI-style endpoint on a closed loopback port.
    mkdir -p "$H/.qwen"; cd "$H/work"
    local GO=${GEMINI_OAUTH:-'{"enabled": true}'}
    cat >"$H/.qwen/settings.json" <<JSON
{"security": {"auth": {"selectedType": "openai"}}, "privacy": {"usageStatisticsEnabled": false},
 "telemetry": {"enabled": false}, "general": {"disableAutoUpdate": true, "disableUpdateNag": true},
 "mcpServers": {"rec": {"httpUrl": "$U", "oauth": $GO, "trust": true}}}
JSON
    export OPENAI_API_KEY=sk-dummy OPENAI_BASE_URL=http://127.0.0.1:9599/v1 OPENAI_MODEL=dummy
    local X=$C/qwen/node_modules/.bin/qwen
    if [ "$1" = 1 ]; then
      mark "qwen TUI /mcp -> rec -> Authenticate"
      # a tmux server of its own: a shared one would give the session
      # another run's environment (HOME, API keys)
      local S=rec-$$
      tmux -L "$S" new-session -d -s "$S" -x 200 -y 50 "$X; sleep 1"
      # each key only once the screen shows what it acts on
      screen() { for _ in $(seq 40); do tmux -L "$S" capture-pane -p -t "$S" | grep -q "$1" && return 0; sleep 1; done; return 1; }
      screen 'Type your message'
      tmux -L "$S" send-keys -t "$S" /mcp; sleep 1; tmux -L "$S" send-keys -t "$S" Enter
      screen 'Manage MCP servers'; sleep 1
      tmux -L "$S" send-keys -t "$S" Enter
      # the server's menu: Reconnect, Disable, Authenticate
      screen 'Authenticate'; sleep 1
      tmux -L "$S" send-keys -t "$S" Down; sleep 0.3; tmux -L "$S" send-keys -t "$S" Down; sleep 0.3
      tmux -L "$S" send-keys -t "$S" Enter; sleep 15
      tmux -L "$S" capture-pane -p -t "$S" >>"$out"
      tmux -L "$S" kill-server
    fi
    mark "qwen mcp list $1"
    timeout 40 "$X" mcp list </dev/null >>"$out" 2>&1 ;;
  copilot)
    # Copilot CLI needs no GitHub login in offline mode with a model
    # provider of one's own (`copilot help environment`: COPILOT_OFFLINE,
    # COPILOT_PROVIDER_BASE_URL, "GitHub authentication is not required").
    # The interactive session connects to the servers of
    # ~/.copilot/mcp-config.json at start and runs their OAuth at once,
    # opening the browser itself; `copilot -p` stops after the resource
    # metadata. The TUI runs in tmux for 25 s, then is ended.
    mkdir -p "$H/.copilot"; cd "$H/work"
    cat >"$H/.copilot/mcp-config.json" <<JSON
{"mcpServers": {"rec": {"type": "http", "url": "$U", "tools": ["*"]${COPILOT_SERVER:+, $COPILOT_SERVER}}}}
JSON
    local X=$C/copilot/node_modules/.bin/copilot S=rec-$$
    mark "copilot TUI (session start) $1"
    tmux -L "$S" new-session -d -s "$S" -x 200 -y 50 "env COPILOT_HOME=$H/.copilot COPILOT_OFFLINE=true \
      COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:9599/v1 COPILOT_PROVIDER_API_KEY=dummy COPILOT_MODEL=dummy \
      COPILOT_AUTO_UPDATE=false $X --disable-client-telemetry; sleep 1"
    sleep 25
    tmux -L "$S" capture-pane -p -t "$S" >>"$out"
    tmux -L "$S" kill-server ;;
  mcpc)
    # `mcpc login URL` runs the SDK's auth() at once (no MCP request first);
    # with stdin not a terminal it opens the browser (xdg-open) without
    # asking for Enter. Credentials fall back to a file under MCPC_HOME_DIR
    # when there is no keychain. Then a session (`connect`, run by a bridge
    # process of its own) lists the tools and is closed.
    export MCPC_HOME_DIR=$H/.mcpc; cd "$H/work"
    local X=$C/mcpc/node_modules/.bin/mcpc
    if [ "$1" = 1 ]; then
      mark "mcpc login"
      eval timeout 40 "$X" login "$U" $ARGS </dev/null >>"$out" 2>&1
      mark "mcpc connect @rec"
      timeout 40 "$X" connect "$U" @rec </dev/null >>"$out" 2>&1
    fi
    mark "mcpc @rec tools-list $1"
    timeout 40 "$X" @rec tools-list </dev/null >>"$out" 2>&1
    [ -n "${AGAIN_AFTER:-}" ] && [ "$1" = 1 ] && return
    mark "mcpc close @rec"
    timeout 20 "$X" close @rec </dev/null >>"$out" 2>&1 ;;
  continue)
    # Continue CLI 1.5.47 (`cn`) builds its MCP transports without an OAuth
    # provider: a 401 in the TUI (not with -p, where it is an error) makes it
    # run the server as `npx -y mcp-remote URL` over stdio, whose OAuth flow
    # (xdg-open) this records. The model is an OpenAI-style endpoint on a
    # closed loopback port; no Continue account is needed with --config FILE.
    # mcp-remote keeps its tokens in ~/.mcp-auth: a second start refreshes.
    cd "$H/work"
    cat >"$H/config.yaml" <<YAML
name: rec
version: 0.0.1
schema: v1
models:
  - name: dummy
    provider: openai
    model: dummy
    apiBase: http://127.0.0.1:9599/v1
    apiKey: sk-dummy
    roles: [chat]
mcpServers:
  - name: rec
    type: streamable-http
    url: $U
YAML
    local X=$C/continue/node_modules/.bin/cn S=rec-$$
    mark "cn TUI (session start) $1"
    tmux -L "$S" new-session -d -s "$S" -x 200 -y 50 "env HOME=$H PATH=$PATH BROWSER=$BR \
      FAKE_BROWSER_LOG=$FAKE_BROWSER_LOG CONTINUE_CLI_ENABLE_TELEMETRY=0 CONTINUE_METRICS_ENABLED=0 \
      npm_config_cache=$C/continue/npx-cache npm_config_prefer_offline=true $X --config $H/config.yaml; sleep 1"
    sleep "${WAIT_S:-40}"
    tmux -L "$S" capture-pane -p -t "$S" >>"$out"
    tmux -L "$S" kill-server ;;
  auggie)
    # Auggie 0.36.0 asks for an Augment login first; a session file naming
    # a tenant on a closed loopback port gets past it (the tenant's MCP
    # lists then fail, the configured server is used). The TUI in tmux:
    # the onboarding screens (Enter), then /mcp, the server, its first
    # option (authenticate); it opens the browser via xdg-open.
    mkdir -p "$H/.augment"; cd "$H"
    echo '{"accessToken":"dummy","tenantURL":"http://127.0.0.1:9599/","scopes":["email"]}' >"$H/.augment/session.json"
    local X=$C/auggie/node_modules/.bin/auggie S=rec-$$
    if [ "$1" = 1 ]; then
      mark "auggie mcp add rec"
      timeout 30 "$X" mcp add rec --transport http --url "$U" </dev/null >>"$out" 2>&1
      # AUGGIE_SERVER: members added to the entry (a static client's clientId, clientSecret)
      [ -z "${AUGGIE_SERVER:-}" ] || node -e 'const fs = require("fs"), f = process.argv[1];
        const s = JSON.parse(fs.readFileSync(f)); Object.assign(s.mcpServers.rec, JSON.parse(process.argv[2]));
        fs.writeFileSync(f, JSON.stringify(s, null, 2))' "$H/.augment/settings.json" "{${AUGGIE_SERVER}}"
    fi
    screen() { for _ in $(seq 40); do tmux -L "$S" capture-pane -p -t "$S" | grep -q "$1" && return 0; sleep 1; done; return 1; }
    mark "auggie TUI (session start) $1"
    tmux -L "$S" new-session -d -s "$S" -x 200 -y 50 "env HOME=$H PATH=$PATH BROWSER=$BR \
      FAKE_BROWSER_LOG=$FAKE_BROWSER_LOG NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS \
      FAKE_BROWSER_CACERT=$FAKE_BROWSER_CACERT $X; sleep 1"
    for _ in 1 2 3 4 5 6 7 8; do
      screen 'Press return\|to show shortcuts' || break
      tmux -L "$S" capture-pane -p -t "$S" | grep -q 'to show shortcuts' && break
      tmux -L "$S" send-keys -t "$S" Enter; sleep 2
    done
    if [ "$1" = 1 ]; then
      mark "auggie /mcp -> rec -> authenticate"
      tmux -L "$S" send-keys -t "$S" /mcp; sleep 1; tmux -L "$S" send-keys -t "$S" Enter
      screen 'MCP Servers'; sleep 1
      tmux -L "$S" send-keys -t "$S" Enter; sleep 2
      tmux -L "$S" capture-pane -p -t "$S" >>"$out"
      tmux -L "$S" send-keys -t "$S" Enter
    fi
    sleep "${WAIT_S:-15}"
    tmux -L "$S" capture-pane -p -t "$S" >>"$out"
    tmux -L "$S" kill-server ;;
  cline)
    # `cline mcp add NAME URL` is a wizard (tmux): type Remote (HTTP), the
    # URL, OAuth, a client id (empty: DCR); it then logs in at once, opening
    # the browser via xdg-open, and connects. No model provider is needed.
    cd "$H/work"
    local X=$C/cline/node_modules/.bin/cline S=rec-$$
    screen() { for _ in $(seq 40); do tmux -L "$S" capture-pane -p -t "$S" | grep -q "$1" && return 0; sleep 1; done; return 1; }
    key() { sleep 0.5; tmux -L "$S" send-keys -t "$S" "$@"; }
    mark "cline mcp add rec (wizard, OAuth) $1"
    tmux -L "$S" new-session -d -s "$S" -x 200 -y 50 "$X mcp add rec $U; sleep 1"
    screen 'Server name' && key Enter
    screen 'Server type' && { key Down; key Down; key Enter; }
    screen 'Server URL' && { key "$U"; key Enter; }
    screen 'Authentication' && key Enter
    screen 'OAuth client ID' && { [ -n "${CLINE_CLIENT_ID:-}" ] && key "$CLINE_CLIENT_ID"; key Enter; }
    # with a client id it asks for a secret too (empty: a public client)
    if [ -n "${CLINE_CLIENT_ID:-}" ] && screen 'secret'; then
      [ -n "${CLINE_CLIENT_SECRET:-}" ] && key "$CLINE_CLIENT_SECRET"
      key Enter
    fi
    screen 'Done'; sleep 2
    tmux -L "$S" capture-pane -p -t "$S" >>"$out"
    tmux -L "$S" kill-server ;;
  esac
}

use_client 1
if [ -n "${AGAIN_AFTER:-}" ]; then sleep "$AGAIN_AFTER"; use_client 2; fi
[ -n "${TARGET_URL:-}" ] && exit 0
kill $REC 2>/dev/null; trap - EXIT; sleep 0.2
echo "== $name (client output: $out)"
node "$HERE/summarize.js" "$T/$name.jsonl"
