# Sourced by ci/predict, tests/predictions.sh and tests/persona-product.sh: the real server setups the
# prediction loop runs real clients against, each from npm packages pinned in
# tests/servers (ci/setup installs them), on 127.0.0.1 only. Needs $servers
# (tests/servers).
#   start_setup SETUP LOG   a fresh server; sets target, srv_pid and the
#                           setup's configuration: cid, csecret (a
#                           pre-registered client the user configures)
#   stop_pid PID            ends it (SIGTERM, then SIGKILL after 5 s)
# Setups:
#   sdk                the MCP TypeScript SDK's example server with its demo AS
#                      (open DCR, 20 registrations an hour per IP)
#   sdk-strict         the same with --oauth-strict (tokens bound to the server)
#   oidc-dcr           oidc-provider (tests/servers/oidc-mcp.mjs): open DCR,
#                      PKCE, exact resource binding, HTML login + consent
#   oidc-static-public no DCR; a pre-registered public native client
#                      (redirect http://127.0.0.1/callback, any port)
#   oidc-static-confidential  no DCR; a pre-registered confidential web client
#                      with the fixed-port clients' documented redirect URIs,
#                      registered exactly (port included)
#   oidc-dcr-no-scope  DCR refusing a registration body with `scope`
#   oidc-no-public     DCR for confidential clients only
#   oidc-prm-origin    the PRM names the origin as `resource` (a prefix of the
#                      MCP URL); the AS binds resources exactly to the MCP URL
#   fastmcp-proxy      FastMCP (TypeScript) with its OAuth proxy in front of an
#                      upstream oidc-provider that knows only the proxy
#   better-auth        Better Auth 1.7.29 + @better-auth/mcp 1.7.5, its defaults,
#                      open DCR, HTML login + consent (tests/servers/better-auth-mcp.mjs)
#   better-auth-infer  the same with the setting Better Auth documents for MCP
#                      clients (clientRegistrationDefaultApplicationType infer)
#   glewlwyd           glewlwyd 2.7.5 (Debian) with an OIDC plugin at the admin
#                      UI's defaults but open DCR, PKCE and non-OIDC requests
#                      allowed (tests/servers/glewlwyd-mcp.mjs);
#                      its login page is JavaScript: logged in by the
#                      login_command tests/servers/glewlwyd-login.sh (ci/predict's
#                      browser stand-in runs it too: tools/recorder/login-browser.js)
# Setups of tests/persona-product.sh only (real products configured as a
# persona of fixtures/personas describes them; ci/predict does not run them):
#   oidc-defaults      oidc-provider with its defaults (persona oidc-provider-9)
#                      and one pre-registered public native client
#                      (tests/servers/oidc-defaults.mjs)
#   workers-oauth      Cloudflare workers-oauth-provider 0.2.4 as Cloudflare's
#                      remote MCP templates set it up (open DCR, a login page),
#                      in workerd under wrangler dev (tests/servers/workers-oauth)
#   workers-oauth-1    the same with workers-oauth-provider 1.2.3
#   workers-oauth-remedy  0.2.4 with resourceMetadata.resource set to the MCP URL
#   glewlwyd-ui-defaults  the glewlwyd setup with open DCR the only change to
#                      the admin UI's defaults (PKCE off, OpenID Connect only)
#   glewlwyd-resource  glewlwyd with resource indicators on (mcp:tools for the
#                      MCP URL): the remedy for the token's audience
# Setups of mcpcompat's own fixture (`mcpcompat serve`, $bin) with quirks no
# real server setup here has; ci/predict runs them only when named
# (--setups), their measured outcomes are committed like the others':
#   serve-no-method-post   --quirk dcr-answer-no-method=post,no-none-auth: the
#                      registration answer names no token_endpoint_auth_method,
#                      the token endpoint takes a dynamic client's secret in the
#                      body only (the TypeScript SDK's own AS does), `none` not
#                      listed, so that every client gets a secret
#   serve-no-method-basic  the same with the secret taken in the Basic header only
# The login the browser stand-in and mcpcompat use: login_user, login_password
# (or a program that logs in, login_command: mcpcompat's --login-command).
predict_setups="sdk sdk-strict oidc-dcr oidc-static-public oidc-static-confidential oidc-dcr-no-scope oidc-no-public oidc-prm-origin fastmcp-proxy"
predict_secret=predict-static-secret
# setups recorded from inside the server (tools/recorder/wire-log.cjs), not
# through `mcpcompat proxy`
predict_direct=" better-auth better-auth-infer "
# Better Auth's server script (where its packages are installed; PREDICT_BA_DIR
# can name another folder that has it)
ba_dir=${PREDICT_BA_DIR:-$servers}
[ -f "$ba_dir/better-auth-mcp.mjs" ] && predict_setups+=" better-auth better-auth-infer"
# run only when named: ci/predict --setups
predict_named_setups="serve-no-method-post serve-no-method-basic"
# glewlwyd where its Debian package is installed (ci/setup installs it)
command -v glewlwyd >/dev/null 2>&1 && predict_setups+=" glewlwyd"

. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"  # free_port
wait_http() { # URL; up to 60 s (fastmcp takes 10 s to start on a loaded machine),
  # not a moment after the server ($srv_pid) has exited
  for _ in $(seq 600); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    [ -z "${srv_pid:-}" ] || kill -0 "$srv_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_setup SETUP LOG: starts a fresh server; sets target, srv_pid and the
# setup's configuration: cid, csecret (a pre-registered client), login. A port
# free_port found can be taken by a parallel test before the server binds it:
# a server that exits on "address in use" is started again on other ports.
start_setup() {
  local try first=""
  for try in 1 2 3; do
    start_setup_once "$@" && return 0
    [ -n "${srv_pid:-}" ] && stop_pid "$srv_pid"
    grep -qi 'address already in use\|EADDRINUSE' "$2" 2>/dev/null || return 1
    [ -n "$first" ] || first=$(grep -hi -m1 'address already in use\|EADDRINUSE' "$2")
  done
  echo "(start_setup: the port was taken on each of 3 tries; the first: $first)" >>"$2"
  return 1
}
start_setup_once() {
  local s=$1 log=$2 port auth
  srv_pid=""
  cid="" csecret="" login_user=alice login_password=predict-password login_command=""
  port=$(free_port)
  case $s in
    sdk | sdk-strict)
      auth=$(free_port)
      local extra=(); [ "$s" = sdk-strict ] && extra=(--oauth-strict)
      (cd "$servers" && MCP_PORT=$port MCP_AUTH_PORT=$auth exec node --require ./loopback.cjs \
        node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js --oauth "${extra[@]}") >"$log" 2>&1 &
      srv_pid=$!
      target=http://localhost:$port/mcp
      wait_http "http://localhost:$auth/.well-known/oauth-authorization-server" &&
        wait_http "http://localhost:$port/.well-known/oauth-protected-resource/mcp" ;;
    workers-oauth | workers-oauth-1 | workers-oauth-remedy)
      local flags=()
      [ "$s" = workers-oauth-1 ] && flags=(--v1)
      [ "$s" = workers-oauth-remedy ] && flags=(--resource-metadata)
      local wo_state; wo_state=$(dirname "$log")/workers-oauth-state  # removed with the log
      WORKERS_OAUTH_PASSWORD=$login_password "$servers/workers-oauth/start.sh" "$port" "$wo_state" "${flags[@]}" >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server" ;;
    glewlwyd | glewlwyd-ui-defaults | glewlwyd-resource)
      command -v glewlwyd >/dev/null || { echo "glewlwyd is not installed (ci/setup installs it)" >"$log"; return 1; }
      local ui=()
      [ "$s" = glewlwyd-ui-defaults ] && ui=(--ui-defaults)
      [ "$s" = glewlwyd-resource ] && ui=(--resource)
      (cd "$servers" && GLEWLWYD_TEST_PASSWORD=$login_password exec node glewlwyd-mcp.mjs "$port" "$(free_port)" \
        "$(dirname "$log")/glewlwyd-state" "${ui[@]}") >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      login_command=$servers/glewlwyd-login.sh
      wait_http "http://127.0.0.1:$port/.well-known/oauth-protected-resource/mcp" ;;
    oidc-defaults)
      (cd "$servers" && exec node --require ./loopback.cjs oidc-defaults.mjs "$port") >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/openid-configuration" ;;
    oidc-*)
      local flags=()
      case $s in
        oidc-static-public) flags=(--no-dcr); cid=mcpcompat-public ;;
        oidc-static-confidential)
          # the redirect URIs the fixed-port clients document, registered exactly
          flags=(--no-dcr --exact-redirect "http://localhost:8090/callback,http://127.0.0.1:6276/oauth/callback,http://127.0.0.1:19876/mcp/oauth/callback,http://localhost:7777/oauth/callback,http://127.0.0.1:1456/mcp/oauth/callback")
          cid=mcpcompat-confidential csecret=$predict_secret ;;
        oidc-dcr-no-scope) flags=(--dcr-no-scope) ;;
        oidc-no-public) flags=(--no-public) ;;
        oidc-prm-origin) flags=(--prm-origin) ;;
      esac
      (cd "$servers" && OIDC_CLIENT_SECRET=$predict_secret exec node --require ./loopback.cjs oidc-mcp.mjs "$port" "${flags[@]}") >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/as/.well-known/openid-configuration" ;;
    fastmcp-proxy)
      (cd "$servers" && exec node --require ./loopback.cjs fastmcp-proxy.mjs "$port" "$(free_port)") >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server" ;;
    serve-no-method-post | serve-no-method-basic)
      "$bin" serve --port "$port" --quirk "dcr-answer-no-method=${s#serve-no-method-},no-none-auth" >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server" ;;
    better-auth | better-auth-infer)
      local flags=(); [ "$s" = better-auth-infer ] && flags=(--infer)
      login_user=alice@example.test login_password=predict-password
      # ci/predict records Better Auth from inside (PREDICT_WIRE_LOG): a proxy
      # rewriting URLs in its signed authorization query breaks the signature
      local wire=(); [ -n "${PREDICT_WIRE_LOG:-}" ] && wire=(--require "$servers/../../tools/recorder/wire-log.cjs")
      (cd "$ba_dir" && WIRE_LOG=${PREDICT_WIRE_LOG:-} BETTER_AUTH_TEST_PASSWORD=$login_password exec node \
        --require "$servers/loopback.cjs" "${wire[@]}" better-auth-mcp.mjs "$port" "${flags[@]}") >"$log" 2>&1 &
      srv_pid=$!
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/oauth-protected-resource/mcp" ;;
  esac
}
stop_pid() { kill "$1" 2>/dev/null; for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done; kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
