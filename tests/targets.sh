#!/usr/bin/env bash
# Runs mcpcompat against real third-party servers started here, on loopback:
# the TypeScript SDK's example server with its demo authorization server, and
# oidc-provider in front of an MCP resource server built with the SDK.
# usage: tests/targets.sh BINARY CASE
set -u
. "$(dirname "$0")/case-lib.sh"
servers=$here/servers
fail() { echo "FAIL [$name]: $*" >&2; [ -f "$tmp/server.log" ] && tail -5 "$tmp/server.log" >&2; exit 1; }

[ -d "$servers/node_modules" ] || fail "tests/servers/node_modules missing: run ci/setup"


# start NAME ARGS...: a node server, bound to 127.0.0.1 by loopback.cjs
start() {
  (cd "$servers" && exec node --require ./loopback.cjs "$@") >>"$tmp/server.log" 2>&1 &
  pids+=($!)
}

wait_http() { # URL; up to 30 s: node starts slowly on a loaded CI machine
  for _ in $(seq 300); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  fail "server at $1 did not come up"
}

sdk_example=node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js

start_sdk() { # extra flags
  mcp_port=$(free_port)
  auth_port=$(free_port)
  MCP_PORT=$mcp_port MCP_AUTH_PORT=$auth_port start "$sdk_example" "$@"
  target=http://localhost:$mcp_port/mcp
  wait_http "http://localhost:$auth_port/.well-known/oauth-authorization-server"
  wait_http "http://localhost:$mcp_port/.well-known/oauth-protected-resource/mcp"
}

start_oidc() { # extra flags
  port=$(free_port)
  start oidc-mcp.mjs "$port" "$@"
  target=http://127.0.0.1:$port/mcp
  wait_http "http://127.0.0.1:$port/as/.well-known/openid-configuration"
}

start_better_auth() { # extra flags
  port=$(free_port)
  start better-auth-mcp.mjs "$port" "$@"
  target=http://127.0.0.1:$port/mcp
  for _ in $(seq 300); do grep -q "ready $target" "$tmp/server.log" && return 0; sleep 0.1; done
  fail "better-auth-mcp.mjs did not come up"
}

sdk_client=node_modules/@modelcontextprotocol/sdk/dist/esm/examples/client/simpleOAuthClient.js
fixtures=$here/../fixtures

start_proxy() { # upstream MCP URL, extra flags: sets $proxied, records to $tmp/proxy.jsonl
  # (the previous proxy's URL file goes first: the wait below could read it
  # before the new process's redirection truncates it)
  rm -f "$tmp/proxy.url"
  "$bin" proxy "$@" --record "$tmp/proxy.jsonl" >"$tmp/proxy.url" 2>"$tmp/proxy.err" &
  proxy_pid=$!
  pids+=("$proxy_pid") # a case that fails before stop_proxy still ends it
  for _ in $(seq 100); do [ -s "$tmp/proxy.url" ] && break; sleep 0.1; done
  proxied=$(head -1 "$tmp/proxy.url")
  [[ $proxied == http://127.0.0.1:*/mcp ]] || fail "proxy printed '$proxied': $(cat "$tmp/proxy.err")"
}

stop_proxy() { # SIGTERM ends it cleanly, the trace complete (bounded: 10 s)
  kill -TERM "$proxy_pid"
  local i
  for i in $(seq 100); do kill -0 "$proxy_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$proxy_pid" 2>/dev/null && fail "the proxy did not stop within 10 s of SIGTERM: $(cat "$tmp/proxy.err")"
  wait "$proxy_pid" || fail "proxy exit $? after SIGTERM: $(cat "$tmp/proxy.err")"
}

run() { # expected-exit, then mcpcompat arguments
  local want=$1 all=(--profile all)
  shift
  # the cases assert every profile's verdict, older eras and reference clients
  # too (run's default is only today's clients)
  case " $* " in *" --profile "* | *" --scenario "*) all=() ;; esac
  "$bin" run "$target" "${all[@]}" "$@" --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = "$want" ] || fail "exit $rc, want $want: $(cat "$tmp/out" "$tmp/err" | head -40)"
  xmllint --noout --schema "$schema" "$tmp/r.xml" 2>"$tmp/x" || fail "JUnit invalid: $(cat "$tmp/x")"
  if leaks "$tmp/out" "$tmp/err" "$tmp/r.json" "$tmp/r.xml" >"$tmp/leak"; then
    fail "a secret reached the output: $(head -c 300 "$tmp/leak")"
  fi
}

verdict() { # profile-id want (pass | broke@step)
  local got
  got=$(jq -r --arg id "$1" '.profiles[] | select(.id == $id) | if .result == "pass" then "pass" else "broke@" + .failed_at end' "$tmp/r.json")
  [ "$got" = "$2" ] || fail "$1: $got, want $2 ($(jq -r --arg id "$1" '.profiles[] | select(.id == $id) | [.steps[] | .reason // empty] | join("; ")' "$tmp/r.json"))"
}

# reports PHRASE...: the run's five outputs (console, JSON, JUnit, HTML, Markdown) each
# give every phrase exactly once: one remedy a finding, in every report
reports_once() {
  local phrase f n
  for phrase in "$@"; do
    for f in out r.json r.xml r.html r.md; do
      n=$(grep -o -F -- "$phrase" "$tmp/$f" | wc -l)
      [ "$n" = 1 ] || fail "'$phrase' appears $n times in $f, want once"
    done
  done
}

check() { # check-id want-status (in any step or the server suite)
  local got
  got=$(jq -r --arg id "$1" '[(.profiles[].steps[].checks[], .server.checks[]) | select(.id == $id) | .status] | if length == 0 then "absent" elif any(. == "fail") then "fail" elif any(. == "warn") then "warn" else "pass" end' "$tmp/r.json")
  [ "$got" = "$2" ] || fail "check $1: $got, want $2"
}

case $name in
  sdk-oauth)
    # @modelcontextprotocol/sdk 1.32.2, examples/server/simpleStreamableHttp.js --oauth.
    # Confirmed by hand (MCP_PORT=P MCP_AUTH_PORT=A node …/simpleStreamableHttp.js --oauth):
    #   curl -X POST -H 'Authorization: Bearer garbage' -H 'Content-Type: application/json' \
    #        -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":1,…}' \
    #        http://localhost:P/mcp                         -> 500 server_error (introspection throws)
    #   curl http://localhost:A/.well-known/oauth-authorization-server | jq .issuer
    #                                                       -> "http://localhost:A/", no iss support
    #   the same POST with 'Origin: https://evil.example' and a valid token -> 200 (no Origin check)
    #   POST /token with a used code                         -> 500 server_error, not invalid_grant
    #   a token requested with resource=http://localhost:P/other is accepted by /mcp (no audience check
    #   without --oauth-strict)
    start_sdk --oauth
    # the SDK's AS allows 20 registrations an hour: the clients checked, not all
    run 1 --profile spec-2025-11-25,spec-2026-07-28,claude-code-2.1.332,mcp-inspector-2.12.0,vscode-1.101,gemini-cli-0.61.0,spec-2025-03-26
    verdict spec-2025-11-25 pass
    verdict spec-2026-07-28 pass
    verdict claude-code-2.1.332 pass
    verdict mcp-inspector-2.12.0 pass
    verdict vscode-1.101 pass
    # Gemini CLI requires RFC 9207 iss; the SDK's demo AS sends none
    verdict gemini-cli-0.61.0 broke@authorization
    # 2025-03-26 looks for the AS at the MCP origin: metadata there names the other port
    verdict spec-2025-03-26 broke@as-metadata
    check server.invalid-token-401 fail
    check server.origin-403 fail
    check server.token-error-format fail
    check server.audience fail
    check server.pkce-enforced pass
    check server.redirect-exact pass
    ;;
  sdk-rate-limit)
    # The SDK example's authorization server limits each client IP (express-rate-limit, keyed
    # by req.ip, in server/auth/handlers/*.js): 20 registrations an hour, 50 token requests and
    # 100 authorization requests in 15 minutes. Real users' clients each come from their own
    # machine; on a loopback target each emulated client connects from its own 127.0.0.N.
    # So a default run (24 clients, most registering), then a second at once, run every client
    # and the whole server suite with no 429 anywhere (issue 16, then issue 18: before, the
    # run's last clients and all of the second run's were "not run: rate-limited").
    start_sdk --oauth
    suite_ids='["server.audience","server.as-audience-binding","server.cimd-validates","server.code-single-use","server.invalid-token-401","server.invalid-token-challenge","server.malformed-auth-400","server.origin-403","server.pkce-enforced","server.protocol-version-400","server.redirect-exact","server.resource-case","server.token-error-format"]'
    # one_run LABEL FLAGS...: a default run; the common assertions (JUnit valid, no 429 as a
    # break or finding, every server check listed run or not run with why); $tmp/LABEL.json
    one_run() {
      local label=$1
      shift
      timeout 200 "$bin" run "$target" "$@" --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $rc = 1 ] || [ $rc = 3 ] || fail "$label run: exit $rc: $(cat "$tmp/err")"
      xmllint --noout --schema "$schema" "$tmp/r.xml" 2>"$tmp/x" || fail "JUnit invalid: $(cat "$tmp/x")"
      jq -e '[.profiles[] | select(.result == "broke") | .steps[] | select(.status == "fail") | .reason // "" | test("429")] | any | not' \
        "$tmp/r.json" >/dev/null || fail "$label run: a 429 reported as a break: $(grep -m3 -A1 'broke at' "$tmp/out")"
      jq -e '[.profiles[].steps[].checks[], .server.checks[] | select(.id == "transport.rate-limited" or
             ((.status == "fail" or .status == "warn") and (.message | test("429"))))] | length == 0' "$tmp/r.json" >/dev/null ||
        fail "$label run: a 429 recorded as a finding"
      jq -e --argjson ids "$suite_ids" '[.server.checks[].id, .server.not_run[].id] | sort == ($ids | sort)' "$tmp/r.json" >/dev/null ||
        fail "$label run: server checks $(jq -c '[.server.checks[].id, .server.not_run[].id]' "$tmp/r.json")"
      jq -e '[.server.not_run[] | .reason | type == "string" and length > 0] | all' "$tmp/r.json" >/dev/null ||
        fail "$label run: a check not run without why"
      cp "$tmp/r.json" "$tmp/$label.json"
    }
    for pass in first second; do
      one_run $pass
      jq -e '[.profiles[] | select(.result == "not-run") | .id] | length == 0' "$tmp/$pass.json" >/dev/null ||
        fail "$pass run: clients not run: $(jq -c '[.profiles[] | select(.result == "not-run") | [.id, (.steps[] | select(.status == "error") | .reason)]]' "$tmp/$pass.json")"
      jq -e '[.profiles[].steps[].exchanges[], .server.exchanges[] | select(.status == 429)] | length == 0' \
        "$tmp/$pass.json" >/dev/null ||
        fail "$pass run: 429 from $(jq -c '[.profiles[].steps[].exchanges[], .server.exchanges[] | select(.status == 429) | .url] | unique' "$tmp/$pass.json")"
      # (checks this server gives no way to run, e.g. CIMD it does not offer, may be not run;
      # none for a rate limit)
      jq -e '[.server.not_run[].reason | select(test("429|rate-limit"))] | length == 0' "$tmp/$pass.json" >/dev/null ||
        fail "$pass run: checks not run: $(jq -c '[.server.not_run[] | [.id, .reason]]' "$tmp/$pass.json")"
      # more clients than the limit allows one address: the default set registers more than 20
      jq -e '[.profiles[] | select(any(.steps[] | select(.id == "registration") | .exchanges[];
              .method == "POST" and .status == 201))] | length > 20' "$tmp/$pass.json" >/dev/null ||
        fail "$pass run: 20 or fewer registrations: the test no longer shows the limit per address"
    done
    check server.invalid-token-401 fail
    # --one-address: every client from 127.0.0.1, as on a target reached through one address
    # (a remote server sees one machine). 127.0.0.1 has registered nothing yet: the first 20
    # registrations go through, the clients past them are not run, and the reason says the
    # run's own registrations from one address reached the limit, which real clients would not.
    one_run shared --one-address
    jq -e '[.profiles[] | select(.result == "not-run")] | length > 0' "$tmp/shared.json" >/dev/null ||
      fail "--one-address: no client was rate-limited (the limiter is off?)"
    jq -e '[.profiles[] | select(.result == "not-run") | .steps[] | select(.status == "error") | .reason |
           test("^not run: rate-limited by the authorization server \\(429, Retry-After [0-9]+ s\\) after [0-9]+ registrations? by this run from one address \\(real clients, each from its own address, would not reach this limit\\)")] | all' \
      "$tmp/shared.json" >/dev/null ||
      fail "--one-address: a client not run without its reason: $(jq -c '[.profiles[] | select(.result == "not-run") | .steps[] | select(.status == "error") | .reason]' "$tmp/shared.json")"
    # the limit is the server's, 20 a client address: none is not run before the run reached it
    jq -e '[.profiles[] | select(.result == "not-run") | .steps[] | select(.status == "error") | .reason |
            capture("after (?<n>[0-9]+) registrations?") | .n | tonumber | . >= 20] | all' "$tmp/shared.json" >/dev/null ||
      fail "--one-address: a client not run before 20 registrations"
    jq -e '[.server.not_run[].reason | select(test("429|rate-limit")) |
            ((capture("after (?<n>[0-9]+) registrations?") | .n | tonumber) // 0) >= 20] | all' "$tmp/shared.json" >/dev/null ||
      fail "--one-address: checks not run: $(jq -c '[.server.not_run[] | [.id, .reason]]' "$tmp/shared.json")"
    grep -q 'from one address' "$tmp/out" || fail "--one-address: the console does not say why: $(head -20 "$tmp/out")"
    ;;
  sdk-allow-127-0-0-1)
    # A server that lets only the address 127.0.0.1 in (tests/servers/allow-127-0-0-1.cjs: 403
    # for any other peer, as a "localhost only" check of the peer address does). The real
    # clients on the user's machine come from 127.0.0.1: the run sees that 127.0.0.2 is
    # answered differently, says so, and every client connects from 127.0.0.1. Without
    # that every client broke at the probe on a 403 the real one never gets.
    mcp_port=$(free_port)
    auth_port=$(free_port)
    (cd "$servers" && MCP_PORT=$mcp_port MCP_AUTH_PORT=$auth_port exec node --require ./loopback.cjs \
      --require ./allow-127-0-0-1.cjs "$sdk_example" --oauth) >>"$tmp/server.log" 2>&1 &
    pids+=($!)
    target=http://localhost:$mcp_port/mcp
    wait_http "http://localhost:$auth_port/.well-known/oauth-authorization-server"
    curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 "http://localhost:$auth_port/.well-known/oauth-authorization-server" |
      grep -qx 403 || fail "the allowlist lets 127.0.0.2 in"
    run 1 --profile spec-2025-11-25,claude-code-2.1.332
    verdict spec-2025-11-25 pass
    verdict claude-code-2.1.332 pass
    grep -q "answers POST initialize from 127.0.0.2 with 403, from this machine's address with 401: every client connects from this machine's address" "$tmp/err" ||
      fail "no word of the allowlist: $(cat "$tmp/err")"
    # asked for, the same without the check
    run 1 --profile spec-2025-11-25 --one-address
    verdict spec-2025-11-25 pass
    grep -q "answers POST initialize" "$tmp/err" && fail "--one-address: compared anyway"
    ;;
  sdk-remedies)
    # Issue 20: the SDK example's findings (garbage token 500, foreign Origin 200, token errors
    # 500, a token for another resource accepted) get remedies in the SDK's own terms, with its
    # documentation, once in every report; the stack is recognised from what the run saw: the
    # 401 requireBearerAuth words "Missing Authorization header" (MCP server) and the
    # RateLimit-Policy of mcpAuthRouter's handlers (authorization server).
    start_sdk --oauth
    "$bin" run "$target" --profile spec-2025-11-25 --junit "$tmp/r.xml" --json "$tmp/r.json" \
      --html "$tmp/r.html" --markdown "$tmp/r.md" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "exit $?: $(cat "$tmp/err")"
    jq -e '.stacks.mcp_server.id == "mcp-typescript-sdk" and .stacks.authorization_server.id == "mcp-typescript-sdk"' \
      "$tmp/r.json" >/dev/null || fail "stacks: $(jq -c .stacks "$tmp/r.json")"
    check server.invalid-token-401 fail
    check server.origin-403 fail
    check server.token-error-format fail
    check server.audience fail
    reports_once "for an unknown, malformed or expired token" "enableDnsRebindingProtection: true" \
      "throw InvalidGrantError from challengeForAuthorizationCode" "pass expectedResource"
    # each names the stack's documentation (HTML: a link to it)
    jq -e '[.server.checks[] | select(.id == "server.invalid-token-401" or .id == "server.origin-403" or
            .id == "server.token-error-format" or .id == "server.audience") | .remedy |
            test("typescript-sdk/blob/main/docs/serving/authorization.md")] | length == 4 and all' \
      "$tmp/r.json" >/dev/null || fail "remedies without the SDK's documentation: $(jq -c '[.server.checks[] | .remedy]' "$tmp/r.json")"
    grep -q 'href="https://github.com/modelcontextprotocol/typescript-sdk/blob/main/docs/serving/authorization.md"' "$tmp/r.html" ||
      fail "no link to the SDK's documentation in the HTML report"
    grep -q '^Stack recognised' "$tmp/out" || fail "the console does not say which stack it recognised"
    # the page with the stack's links is whole (its links out are references or this documentation)
    . "$here/html.sh"
    render_html "$tmp/r.html" "$tmp/page" >"$tmp/why" || fail "$(cat "$tmp/why")"
    page_problems "$tmp/page" >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the HTML report: $(head -5 "$tmp/problems")"
    # a check the table has no SDK wording for keeps the generic remedy
    grep -q 'Optional: restrict resource to known servers' "$tmp/out" || fail "generic remedy lost"
    # oidc-provider in front of a resource server built with the SDK: the MCP server is the
    # SDK's, the authorization server is none the table knows (its remedies stay generic)
    start_oidc
    export MCPT_U=alice MCPT_P=mcpcompat-test-password
    "$bin" run "$target" --profile spec-2025-11-25 --login-user-env MCPT_U --login-password-env MCPT_P \
      --json "$tmp/o.json" >"$tmp/out" 2>"$tmp/err"
    jq -e '.stacks.mcp_server.id == "mcp-typescript-sdk" and (.stacks | has("authorization_server") | not)' \
      "$tmp/o.json" >/dev/null || fail "oidc-provider target: stacks $(jq -c .stacks "$tmp/o.json")"
    ;;
  better-auth-remedies)
    # Better Auth's defaults refuse Cursor's cursor:// callback (a client without
    # application_type is a web client): the remedy is Better Auth's setting, once in every
    # report; the stack is recognised from its requireMcpAuth 401 and its registration refusal.
    start_better_auth
    export MCPT_USER=alice@example.test MCPT_PASSWORD=mcpcompat-test-password
    "$bin" run "$target" --profile cursor-3.14,claude-code-2.1.332 --login-user-env MCPT_USER \
      --login-password-env MCPT_PASSWORD --junit "$tmp/r.xml" --json "$tmp/r.json" \
      --html "$tmp/r.html" --markdown "$tmp/r.md" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "exit $?: $(cat "$tmp/err")"
    verdict cursor-3.14 broke@registration
    verdict claude-code-2.1.332 pass
    jq -e '.stacks.mcp_server.id == "better-auth" and .stacks.authorization_server.id == "better-auth"' \
      "$tmp/r.json" >/dev/null || fail "stacks: $(jq -c .stacks "$tmp/r.json")"
    reports_once "clientRegistrationDefaultApplicationType" "Better Auth registers a client that sends no"
    jq -e '.profiles[] | select(.id == "cursor-3.14") | .remedy | test("better-auth.com/docs/plugins/mcp")' \
      "$tmp/r.json" >/dev/null || fail "Cursor's remedy lacks Better Auth's documentation"
    # Better Auth answers the GET stream 405, as the transport allows: drawn as normal in the
    # passing client's diagram, nothing red there (issue 20)
    [ "$(xmllint --html --xpath 'count(//section[@data-profile="claude-code-2.1.332"]//span[contains(@class,"code ok")][starts-with(., "405")])' "$tmp/r.html" 2>/dev/null)" -ge 1 ] ||
      fail "the expected 405 on the GET stream is not drawn as normal"
    [ "$(xmllint --html --xpath 'count(//section[@data-result="pass"]//span[contains(@class,"code err")])' "$tmp/r.html" 2>/dev/null)" = 0 ] ||
      fail "a passing client's diagram has a red exchange"
    # the server suite's own client is a web client too: most checks cannot run, and a suite
    # that mostly did not run is no PASS in any report (it read PASS, "2 of 13 checks ran")
    jq -e '(.server.not_run | length) > (.server.checks | length) and
           ([.server.checks[] | select(.status == "fail")] | length) == 0' "$tmp/r.json" >/dev/null ||
      fail "server suite: $(jq -c '[(.server.checks | length), (.server.not_run | length)]' "$tmp/r.json")"
    grep -q '^Server suite  *PARTIAL ' "$tmp/out" || fail "console: $(grep '^Server suite' "$tmp/out")"
    grep -q '^| Server suite |  | ⚠️ PARTIAL |' "$tmp/r.md" || fail "Markdown: $(grep 'Server suite' "$tmp/r.md")"
    [ "$(xmllint --html --xpath 'string(//tr[td/a[.="Server suite"]]//span[contains(@class,"badge")])' "$tmp/r.html" 2>/dev/null)" = PARTIAL ] ||
      fail "HTML: the server row's badge is not PARTIAL"
    ;;
  sdk-oauth-strict)
    # --oauth --oauth-strict: tokens must be for this server. Confirmed by hand: the demo AS
    # refuses a code exchanged for another resource with 500 ("Invalid resource"), so no
    # foreign token can be minted; everything else as in sdk-oauth.
    start_sdk --oauth --oauth-strict
    run 1 --profile spec-2025-11-25,mcp-remote-0.15.1
    verdict spec-2025-11-25 pass
    verdict mcp-remote-0.15.1 pass
    check server.as-audience-binding pass
    check server.audience absent
    check server.invalid-token-401 fail
    ;;
  oidc-dcr)
    # oidc-provider 9.13.3 with DCR, PKCE required, resource indicators and JWT access
    # tokens bound to the MCP URL, HTML login + consent (dev interactions).
    # Confirmed by hand (node oidc-mcp.mjs P):
    #   curl http://127.0.0.1:P/as/.well-known/openid-configuration -> 200 (OIDC discovery);
    #   curl http://127.0.0.1:P/.well-known/oauth-authorization-server/as -> 404 (no RFC 8414)
    #   curl -X POST http://127.0.0.1:P/as/reg -d '{"redirect_uris":["cursor://x/cb"]}' \
    #        -H 'Content-Type: application/json' -> 400 invalid_redirect_uri (web clients)
    #   grant_types with device_code -> 400 invalid_client_metadata
    #   /as/auth with resource=http://127.0.0.1:P/other -> invalid_target
    start_oidc
    export MCPT_USER=alice MCPT_PASSWORD=mcpcompat-test-password
    run 1 --login-user-env MCPT_USER --login-password-env MCPT_PASSWORD
    verdict spec-2025-11-25 pass
    verdict spec-2026-07-28 pass
    verdict claude-code-2.1.332 pass
    verdict gemini-cli-0.61.0 pass
    verdict vscode-1.122 pass
    # 2025-06-18 clients and claude.ai know RFC 8414 only: this AS has OIDC discovery only
    verdict spec-2025-06-18 broke@as-metadata
    verdict claude-desktop-2026 broke@as-metadata
    # Cursor registers its cursor:// callback; oidc-provider refuses it for a web client
    verdict cursor-2025 broke@registration
    # Copilot CLI registers without scope; oidc-provider does not require one
    verdict copilot-cli-1.0.87 pass
    check server.invalid-token-401 pass
    check server.origin-403 pass
    check server.audience absent
    check server.as-audience-binding pass
    check server.code-single-use pass
    check server.pkce-enforced pass
    ;;
  oidc-no-dcr)
    # The same AS without DCR; pre-registered public client mcpcompat-public
    # (redirect http://127.0.0.1/callback: native, so any loopback port, RFC 8252 §7.3).
    start_oidc --no-dcr
    export MCPT_USER=alice MCPT_PASSWORD=mcpcompat-test-password
    run 1 --login-user-env MCPT_USER --login-password-env MCPT_PASSWORD --client-id mcpcompat-public \
      --profile spec-2025-11-25,claude-code-2.1.332,claude-code-2025,cursor-2025,mcp-inspector-2.12.0,copilot-cli-1.0.87
    verdict spec-2025-11-25 pass
    # Claude Code's callback host is localhost, not the registered 127.0.0.1: oidc-provider
    # refuses it (redirect_uri did not match); the loopback port rule covers IP literals only
    verdict claude-code-2.1.332 broke@authorization
    # the seed-era Claude Code ignores the client id; Cursor knows only DCR
    verdict claude-code-2025 broke@registration
    verdict cursor-2025 broke@registration
    # Copilot CLI ignores a configured client id too (github/copilot-cli#2717)
    verdict copilot-cli-1.0.87 broke@registration
    # the Inspector's fixed redirect path /oauth/callback is not the registered /callback
    verdict mcp-inspector-2.12.0 broke@authorization
    check reg.dcr-offered warn
    ;;
  oidc-no-credentials)
    # A real login page and no credentials: a clear reason, not a crash.
    start_oidc
    run 1 --profile spec-2025-11-25 --no-server-suite
    verdict spec-2025-11-25 broke@authorization
    jq -e '.profiles[0].steps[4].reason | test("login form and no credentials")' "$tmp/r.json" >/dev/null ||
      fail "no explanation: $(jq -r '.profiles[0].steps[4].reason' "$tmp/r.json")"
    ;;
  better-auth | better-auth-infer)
    # Better Auth 1.7.29 with @better-auth/mcp 1.7.5 (tests/servers/better-auth-mcp.mjs), its
    # defaults and open DCR; better-auth-infer adds clientRegistrationDefaultApplicationType
    # "infer", the setting its docs give for native MCP clients. Better Auth refuses every POST
    # that carries a cookie and neither Origin nor Referer (403 MISSING_OR_NULL_ORIGIN,
    # better-auth/dist/api/middlewares/origin-check.mjs): the consent form post, which a
    # browser makes with its session cookie and Origin, and the token request, which a real
    # client makes from its own HTTP stack without the browser's cookie.
    # Confirmed by hand (issue 16): with the browser's cookie leaking into the token request,
    # 11 (defaults) and 21 (infer) of 23 profiles broke at token with 403; without Origin on
    # the consent post, every profile broke at authorization. Registration with the default
    # application_type "web" is refused for loopback and private-use redirect URIs unless the
    # client says application_type native (Claude Code, Codex, VS Code, mcp-remote do):
    #   curl -X POST http://127.0.0.1:P/api/auth/oauth2/register -H 'Content-Type: application/json' \
    #        -d '{"redirect_uris":["http://127.0.0.1:9/cb"],"token_endpoint_auth_method":"none"}'
    #     -> 400 invalid_redirect_uri "web clients require https redirect URIs on non-loopback hosts"
    flag=()
    [ "$name" = better-auth-infer ] && flag=(--infer)
    start_better_auth "${flag[@]}"
    export MCPT_USER=alice@example.test MCPT_PASSWORD=mcpcompat-test-password
    run 1 --login-user-env MCPT_USER --login-password-env MCPT_PASSWORD
    # no client breaks at token: the browser's cookie stays in the browser
    jq -e '[.profiles[] | select(.failed_at == "token")] | length == 0' "$tmp/r.json" >/dev/null ||
      fail "broke at token: $(jq -c '[.profiles[] | select(.failed_at == "token") | [.id, ([.steps[].reason // empty] | join(" "))]]' "$tmp/r.json" | head -c 600)"
    for p in claude-code-2.1.332 codex-0.171.0 mcp-inspector-2.12.0 mcp-remote-0.15.1 vscode-1.122 spec-2026-07-28; do
      verdict "$p" pass
    done
    if [ "$name" = better-auth ]; then
      # Cursor registers its cursor:// callback and no application_type: a web client
      verdict cursor-3.14 broke@registration
      verdict sdk-client-1.32.2 broke@registration
    else
      verdict cursor-3.14 pass
      verdict sdk-client-1.32.2 pass
      verdict opencode-1.18.33 pass
      check server.code-single-use pass
    fi
    # what Better Auth received: token requests without a cookie, consent posts with the
    # browser's cookie and its Origin
    grep -q '^POST /api/auth/oauth2/token ' "$tmp/server.log" || fail "no token request reached Better Auth"
    grep -q '^POST /api/auth/oauth2/token cookie=yes' "$tmp/server.log" &&
      fail "a token request carried a cookie: $(grep -m1 '^POST /api/auth/oauth2/token cookie=yes' "$tmp/server.log")"
    grep -q "^POST /consent cookie=yes origin=http://127.0.0.1:$port referer=yes" "$tmp/server.log" ||
      fail "the consent post lacked the browser's cookie, Origin or Referer: $(grep -m1 '^POST /consent' "$tmp/server.log")"
    grep -q "^POST /api/auth/sign-in/email cookie=[a-z]* origin=http://127.0.0.1:$port referer=yes" "$tmp/server.log" ||
      fail "the sign-in post lacked Origin or Referer: $(grep -m1 '^POST /api/auth/sign-in' "$tmp/server.log")"
    ;;
  login-command)
    # --login-command: an external program completes the login (here curl plays a
    # browser against the embedded fixture) and prints the final redirect URL.
    printf '#!/bin/sh\nexec curl -s -o /dev/null -w "%%{redirect_url}" "$1"\n' >"$tmp/login.sh"
    chmod +x "$tmp/login.sh"
    "$bin" run --profile spec-2025-11-25 --login-command "$tmp/login.sh" --json "$tmp/r.json" >"$tmp/out" 2>&1 ||
      fail "exit $?: $(cat "$tmp/out")"
    verdict spec-2025-11-25 pass
    printf '#!/bin/sh\necho not-a-url\n' >"$tmp/bad.sh"
    chmod +x "$tmp/bad.sh"
    "$bin" run --profile spec-2025-11-25 --login-command "$tmp/bad.sh" --json "$tmp/r.json" --no-server-suite >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "a login command printing garbage must break authorization"
    verdict spec-2025-11-25 broke@authorization
    # --login manual: the harness prints the URL and waits on the redirect listener;
    # curl -L plays the person's browser, following the fixture's redirect to it
    "$bin" run --profile spec-2025-11-25 --login manual --login-timeout 20 --no-server-suite \
      --json "$tmp/m.json" >"$tmp/out" 2>"$tmp/err" &
    mpid=$!
    for _ in $(seq 100); do grep -q '^http' "$tmp/err" && break; sleep 0.1; done
    url=$(grep -m1 '^http' "$tmp/err") || { kill $mpid; fail "no URL printed: $(cat "$tmp/err")"; }
    curl -s -L -o /dev/null "$url" || { kill $mpid; fail "the browser could not follow $url"; }
    wait $mpid || fail "--login manual: exit $?: $(cat "$tmp/out" "$tmp/err")"
    jq -e '.profiles[0].result == "pass"' "$tmp/m.json" >/dev/null || fail "--login manual did not pass"
    "$bin" run --profile spec-2025-11-25 --login manual --login-timeout 1 --no-server-suite \
      --json "$tmp/m.json" >/dev/null 2>&1
    jq -e '.profiles[0].steps[4].reason | test("no browser reached")' "$tmp/m.json" >/dev/null ||
      fail "--login manual timeout not reported"
    ;;
  tls)
    # The fixture over HTTPS with a certificate made here; --cacert and --insecure as in curl.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
      -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 2>/dev/null || fail "openssl could not make a certificate"
    tls=(--tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem")
    "$bin" run --profile spec-2025-11-25,claude-code "${tls[@]}" --cacert "$tmp/cert.pem" \
      --json "$tmp/r.json" >"$tmp/out" 2>&1 || fail "trusted: exit $?: $(cat "$tmp/out")"
    jq -e '.target | startswith("https://127.0.0.1:")' "$tmp/r.json" >/dev/null || fail "not https"
    verdict spec-2025-11-25 pass
    verdict claude-code-2.1.332 pass
    check transport.https pass
    "$bin" run --profile spec-2025-11-25 "${tls[@]}" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] || fail "untrusted certificate: exit $rc, want 3"
    [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'certificate' "$tmp/err" || fail "want one line about the certificate: $(cat "$tmp/err")"
    "$bin" run --profile spec-2025-11-25 "${tls[@]}" --insecure >"$tmp/out" 2>&1 || fail "--insecure: exit $?"
    # serve over HTTPS, then a run against its URL
    "$bin" serve "${tls[@]}" >"$tmp/url" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
    target=$(head -1 "$tmp/url")
    [[ $target == https://127.0.0.1:*/mcp ]] || fail "serve printed $target"
    run 0 --profile spec-2025-11-25 --cacert "$tmp/cert.pem"
    "$bin" run --profile spec-2025-11-25 --tls-cert /nonexistent "${tls[@]:2}" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -qx 'mcpcompat: --tls-cert /nonexistent: cannot open: No such file or directory' "$tmp/err" ||
      fail "a missing certificate (an input error): $(cat "$tmp/err")"
    ;;
  hostile)
    # A broken server must give a recorded failure with a reason: never a crash
    # (exit > 3 or a signal), never a hang (each wait is bounded by --timeout).
    hostile() { # mode, then a pattern the reason must match
      port=$(free_port)
      start hostile.mjs "$port" "$1"
      target=http://127.0.0.1:$port/mcp
      wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server"
      timeout 60 "$bin" run "$target" --profile spec-2025-11-25 --no-server-suite --timeout 2 \
        --json "$tmp/r.json" >"$tmp/out" 2>&1
      rc=$?
      [ $rc = 1 ] || fail "$1: exit $rc, want 1: $(head -c 600 "$tmp/out")"
      jq -e --arg re "$2" '[.profiles[0].steps[].reason // empty] | any(test($re))' "$tmp/r.json" >/dev/null ||
        fail "$1: reason does not match '$2': $(jq -c '[.profiles[0].steps[].reason // empty]' "$tmp/r.json")"
    }
    hostile garbage-json "not valid JSON"
    hostile huge "larger than the 2 MiB cap"
    hostile redirect-loop "gave up after 16 redirects"
    hostile hang-token "timed out"
    hostile slow-drip "no answer"
    hostile bad-challenge "invalid_grant"
    jq -e '[.profiles[0].steps[0].checks[] | select(.id == "probe.bearer-challenge") | .status] == ["fail"]' "$tmp/r.json" >/dev/null ||
      fail "bad-challenge: probe.bearer-challenge not failed"
    ;;
  html-hostile)
    # Every string the target controls is markup (tests/servers/markup.mjs): the
    # HTML report shows each as text, and no script but the page's own runs.
    . "$here/html.sh"
    port=$(free_port)
    start markup.mjs "$port"
    wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server"
    timeout 60 "$bin" run "http://127.0.0.1:$port/mcp" --profile spec-2025-11-25 --timeout 5 \
      --html "$tmp/h.html" --json "$tmp/h.json" >"$tmp/out" 2>&1
    rc=$?
    [ $rc = 1 ] || fail "exit $rc, want 1: $(head -c 600 "$tmp/out")"
    # the payload reached the report's fields: the reason, a check, headers, bodies
    jq -e '[.profiles[0].steps[].reason // empty] | any(test("<script>"))' "$tmp/h.json" >/dev/null ||
      fail "the payload is not in the reason: $(head -c 600 "$tmp/out")"
    render_html "$tmp/h.html" "$tmp/page" >"$tmp/why" || fail "$(cat "$tmp/why")"
    page_problems "$tmp/page" >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the page: $(head -5 "$tmp/problems")"
    grep -q 'data-pwned' "$tmp/page/dom.html" && fail "an injected script ran"
    [ "$(dom "$tmp/page" 'count(//script)')" = 1 ] || fail "an injected <script> element"
    [ "$(dom "$tmp/page" 'count(//*[@onerror])')" = 0 ] || fail "an injected onerror attribute"
    text() { dom "$tmp/page" "count($1[contains(., '<script>document.body.dataset.pwned') and contains(., 'onerror=') and contains(., ']]>')])"; }
    [ "$(text "//tr[@data-result='broke']//td[@class='why']/div")" -ge 1 ] || fail "the reason is not shown as text"
    [ "$(text "//div[contains(@class,'finding')]")" -ge 1 ] || fail "a finding is not shown as text"
    [ "$(text "//section[@id='server']//td")" -ge 1 ] || fail "a server check is not shown as text"
    [ "$(text "//details[contains(@class,'msg')]//pre")" -ge 4 ] || fail "headers and bodies are not shown as text"
    leaks "$tmp/h.html" "$tmp/page/dom.html" >"$tmp/leak" && fail "a secret in the report: $(head -c 300 "$tmp/leak")"
    ;;
  hostile-hang | hostile-endless | hostile-trickle | hostile-max-time | hostile-signal)
    # Every wait is bounded and the reports survive: a target that never
    # answers, an endless or trickling metadata body, --max-time, SIGTERM.
    # Wall times are upper bounds only, several times the timeout.
    start_hostile() { # mode
      port=$(free_port)
      start hostile.mjs "$port" "$1"
      target=http://127.0.0.1:$port/mcp
      for _ in $(seq 300); do grep -q "ready $target" "$tmp/server.log" && return 0; sleep 0.1; done
      fail "hostile $1 did not come up"
    }
    reports_valid() { # both reports written, valid, and without secrets
      xmllint --noout --schema "$schema" "$tmp/r.xml" 2>"$tmp/x" || fail "JUnit invalid: $(cat "$tmp/x")"
      jq -e . "$tmp/r.json" >/dev/null || fail "r.json is not JSON"
      ! leaks "$tmp/out" "$tmp/err" "$tmp/r.json" "$tmp/r.xml" >"$tmp/leak" || fail "a secret: $(head -c 300 "$tmp/leak")"
    }
    timed() { # max seconds, then the command; sets rc and secs
      local t0 t1
      t0=$(date +%s)
      timeout 120 "$@" >"$tmp/out" 2>"$tmp/err"
      rc=$?
      t1=$(date +%s)
      secs=$((t1 - t0))
      [ "$secs" -le "$max" ] || fail "took $secs s, bound $max s"
    }
    one=(--profile spec-2025-11-25 --no-server-suite --junit "$tmp/r.xml" --json "$tmp/r.json")
    case $name in
      hostile-hang)
        # every client, and still one wait of --timeout: the preflight names the cause
        # (issue 16: 28 s of silence with --timeout 4 before)
        start_hostile hang
        max=6 timed "$bin" run "$target" --timeout 2 --junit "$tmp/r.xml" --json "$tmp/r.json"
        [ $rc = 3 ] || fail "exit $rc, want 3: $(cat "$tmp/err")"
        [ "$(wc -l <"$tmp/err")" = 1 ] || fail "want one line on stderr: $(cat "$tmp/err")"
        grep -q "^mcpcompat: could not run: 127.0.0.1:$port accepted the connection but sent no HTTP answer to POST initialize within 2 s (--timeout): is this the MCP server's port?" "$tmp/err" ||
          fail "stderr: $(cat "$tmp/err")"
        reports_valid
        n=$(jq '.profiles | length' "$tmp/r.json")
        [ "$(xmllint --xpath 'count(//testcase[@name="probe"]/error)' "$tmp/r.xml")" = "$n" ] ||
          fail "no <error> on each probe testcase"
        [ "$(xmllint --xpath 'string(/testsuites/@errors)' "$tmp/r.xml")" = "$n" ] || fail "testsuites errors != $n"
        jq -e '(.profiles | length) > 10 and all(.profiles[]; .result == "not-run" and .failed_at == "probe"
               and .steps[0].status == "error" and (.steps[0].reason | test("sent no HTTP answer"))
               and ([.steps[1:][].status] | all(. == "skip")))' "$tmp/r.json" >/dev/null ||
          fail "JSON: $(jq -c '.profiles[0] | [.result, .steps[0:2]]' "$tmp/r.json")"
        ;;
      hostile-endless)
        # the body cap ends the transfer, long before the timeout
        start_hostile endless
        max=20 timed "$bin" run "$target" "${one[@]}" --timeout 5
        [ $rc = 1 ] || fail "exit $rc, want 1: $(cat "$tmp/err")"
        reports_valid
        jq -e '[.profiles[0].steps[] | select(.id == "resource-metadata")][0] | .status == "fail" and
               (.reason | test("larger than the 2 MiB cap"))' "$tmp/r.json" >/dev/null ||
          fail "JSON: $(jq -c '.profiles[0].steps[1]' "$tmp/r.json" | head -c 500)"
        ;;
      hostile-trickle)
        # one byte every 100 ms, forever: each exchange ends at the timeout
        start_hostile trickle
        max=30 timed "$bin" run "$target" "${one[@]}" --timeout 2
        [ $rc = 1 ] || fail "exit $rc, want 1: $(cat "$tmp/err")"
        reports_valid
        jq -e '.profiles[0].steps[1].status == "fail" and
               (.profiles[0].steps[1].reason | test("no complete answer within 2000 ms"))' "$tmp/r.json" >/dev/null ||
          fail "JSON: $(jq -c '.profiles[0].steps[1].reason' "$tmp/r.json")"
        ;;
      hostile-max-time)
        # the whole run, every profile and the server suite, within --max-time
        start_hostile trickle
        max=25 timed "$bin" run "$target" --timeout 30 --max-time 3 --junit "$tmp/r.xml" --json "$tmp/r.json"
        [ $rc = 3 ] || fail "exit $rc, want 3: $(cat "$tmp/err")"
        grep -q '^mcpcompat: could not run: .*exceeded --max-time 3 s' "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
        reports_valid
        jq -e '[.profiles[] | [.steps[] | select(.status == "error")] | length == 1] | all and length > 1' "$tmp/r.json" >/dev/null ||
          fail "want one error step per profile: $(jq -c '[.profiles[] | [.steps[].status]]' "$tmp/r.json")"
        jq -e '[.profiles[].steps[] | select(.status == "error") | .reason | test("max-time")] | all' "$tmp/r.json" >/dev/null ||
          fail "error reasons: $(jq -c '[.profiles[].steps[] | select(.status == "error") | .reason]' "$tmp/r.json" | head -c 400)"
        [ "$(xmllint --xpath 'count(//testcase/error)' "$tmp/r.xml")" = "$(jq '.profiles | length' "$tmp/r.json")" ] ||
          fail "want one <error> per profile in JUnit"
        ;;
      hostile-signal)
        start_hostile trickle
        for sig in TERM INT; do
          rm -f "$tmp/r.xml" "$tmp/r.json"
          "$bin" run "$target" --timeout 30 --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" &
          run_pid=$!
          sleep 1.5
          kill -$sig $run_pid
          t0=$(date +%s)
          wait $run_pid
          rc=$?
          [ $(($(date +%s) - t0)) -le 10 ] || fail "not stopped within 10 s of SIG$sig"
          [ $rc = 3 ] || fail "SIG$sig: exit $rc, want 3: $(cat "$tmp/err")"
          grep -q "^mcpcompat: could not run: .*interrupted by SIG$sig" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
          reports_valid
          jq -e --arg s "SIG$sig" '[.profiles[].steps[] | select(.status == "error") | .reason] | length > 0 and all(test($s))' \
            "$tmp/r.json" >/dev/null ||
            fail "JSON: $(jq -c '[.profiles[].steps[] | select(.status == "error") | .reason]' "$tmp/r.json" | head -c 400)"
        done
        ;;
    esac
    ;;
  ssrf)
    # URLs the server gives that lead to link-local addresses are refused
    # before connecting. metadata.test resolves to 169.254.169.254 through
    # MCPCOMPAT_TEST_RESOLVE (curl's --resolve, no /etc/hosts), which also
    # keeps every connection on loopback: only the refusal is ever asserted.
    ssrf() { # mode, extra flags...; sets out, err, rc
      local mode=$1
      shift
      port=$(free_port)
      start hostile.mjs "$port" "$mode"
      target=http://127.0.0.1:$port/mcp
      for _ in $(seq 300); do grep -q "ready $target" "$tmp/server.log" && break; sleep 0.1; done
      MCPCOMPAT_TEST_RESOLVE="metadata.test:$port:169.254.169.254" timeout 60 "$bin" run "$target" \
        --profile spec-2025-11-25 --no-server-suite --timeout 5 --json "$tmp/r.json" "$@" >"$tmp/out" 2>"$tmp/err"
      rc=$?
    }
    refused='refused to connect to 169.254.169.254 \(a link-local address\)'
    ssrf ssrf-name
    [ $rc = 1 ] || fail "authorization server on metadata.test: exit $rc, want 1: $(cat "$tmp/err")"
    jq -e --arg re "$refused" '.profiles[0].steps[] | select(.id == "as-metadata") | .status == "fail" and
           ([.exchanges[].error // empty] | length > 0 and all(test($re)))' "$tmp/r.json" >/dev/null ||
      fail "as-metadata: $(jq -c '.profiles[0].steps[2] | [.status, .reason, [.exchanges[].error]]' "$tmp/r.json")"
    ssrf ssrf-redirect
    [ $rc = 1 ] || fail "metadata redirected to metadata.test: exit $rc, want 1"
    jq -e --arg re "$refused" '.profiles[0].steps[1] | .status == "fail" and (.reason | test($re))' "$tmp/r.json" >/dev/null ||
      fail "resource-metadata: $(jq -c '.profiles[0].steps[1] | [.status, .reason]' "$tmp/r.json")"
    # --allow-private lets the guard pass: only the tests' loopback net stops it
    ssrf ssrf-name --allow-private
    jq -e '[.profiles[0].steps[2].exchanges[].error // empty] | length > 0 and
           all(test("only loopback addresses are connected to, not 169.254.169.254"))' "$tmp/r.json" >/dev/null ||
      fail "--allow-private: $(jq -c '[.profiles[0].steps[2].exchanges[].error]' "$tmp/r.json")"
    ;;
  hostile-error-body)
    # 400s whose body has invalid UTF-8 and control characters: the error
    # code and a sanitised description stay in the reason and the reports
    for mode in error-body:registration:invalid_redirect_uri error-body-token:token:invalid_grant; do
      IFS=: read -r m step code <<<"$mode"
      port=$(free_port)
      start hostile.mjs "$port" "$m"
      target=http://127.0.0.1:$port/mcp
      for _ in $(seq 300); do grep -q "ready $target" "$tmp/server.log" && break; sleep 0.1; done
      timeout 60 "$bin" run "$target" --profile spec-2025-11-25 --no-server-suite --timeout 5 \
        --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $rc = 1 ] || fail "$m: exit $rc, want 1: $(cat "$tmp/err")"
      xmllint --noout --schema "$schema" "$tmp/r.xml" 2>"$tmp/x" || fail "$m: JUnit invalid: $(cat "$tmp/x")"
      want="400 $code: bad "$'\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd'"\\x07\\x1b[31mred\\x00 redirect_uri"
      jq -e --arg s "$step" --arg w "$want" '.profiles[0].steps[] | select(.id == $s) | .status == "fail" and
             (.reason | contains($w)) and (.exchanges | length > 0)' "$tmp/r.json" >/dev/null ||
        fail "$m: reason $(jq -c --arg s "$step" '.profiles[0].steps[] | select(.id == $s) | .reason' "$tmp/r.json")"
      xmllint --xpath "string(//testcase[@name='$step']/failure/@message)" "$tmp/r.xml" | grep -qF "400 $code: bad" ||
        fail "$m: JUnit failure message lost the error"
      grep -qF "400 $code: bad" "$tmp/out" || fail "$m: console lost the error"
      LC_ALL=C grep -q $'\x1b\\[31m' "$tmp/out" && fail "$m: a raw escape sequence reached the console"
    done
    ;;
  wrong-url)
    # A URL with no MCP endpoint behind it is the user's to fix, not a server defect (issue 16):
    # exit 3 with one line naming the likely cause, bounded by the wait it states, the reports
    # recording it for every client; never BROKE, never a finding against the server.
    "$bin" serve >"$tmp/url" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
    served=$(head -1 "$tmp/url")
    [[ $served == http://127.0.0.1:*/mcp ]] || fail "serve printed $served"
    wrong() { # URL, the stderr line's pattern, max seconds
      local t0=$(date +%s)
      timeout 60 "$bin" run "$1" --timeout 4 --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $(($(date +%s) - t0)) -le "$3" ] || fail "$1: took $(($(date +%s) - t0)) s, bound $3 s"
      [ $rc = 3 ] || fail "$1: exit $rc, want 3: $(cat "$tmp/err") $(head -5 "$tmp/out")"
      [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^mcpcompat: could not run: $2" "$tmp/err" ||
        fail "$1: stderr: $(cat "$tmp/err")"
      xmllint --noout --schema "$schema" "$tmp/r.xml" 2>"$tmp/x" || fail "JUnit invalid: $(cat "$tmp/x")"
      jq -e --arg re "$2" '(.profiles | length) > 10 and all(.profiles[]; .result == "not-run" and
             .failed_at == "probe" and (.steps[0].reason | test($re))) and (.server.checks // [] | length == 0)' \
        "$tmp/r.json" >/dev/null || fail "$1: JSON: $(jq -c '.profiles[0] | [.result, .steps[0]]' "$tmp/r.json" | head -c 400)"
    }
    # a typo in the path
    wrong "${served%/mcp}/mpc" "404 for POST initialize at /mpc, and no protected resource metadata for it: is this the MCP endpoint\\?" 5
    # https to a plain-http port
    plain=${served#http://}
    wrong "https://$plain" "${plain%/mcp} answers plain HTTP, not TLS .*: is the URL http://$plain\\?" 10
    # a port nothing listens on
    wrong "http://127.0.0.1:$(free_port)/mcp" "nothing accepts connections at 127.0.0.1:[0-9]* .*is the server running, and is this its port\\?" 5
    # the right URL still runs
    target=$served
    run 0 --profile spec-2025-11-25
    ;;
  proxy-sdk)
    # mcpcompat proxy in front of the SDK example server and its demo AS, the
    # SDK's own example client (simpleOAuthClient, pinned in tests/servers) driving
    # through it, tools/recorder's fake browser approving: the handshake succeeds,
    # the trace matches the client's direct recording (fixtures/traces) on what
    # fidelity compares, and no secret is in it.
    start_sdk --oauth
    start_proxy "$target"
    (cd "$servers" && FAKE_BROWSER_LOG=$tmp/browser.log BROWSER=$here/../tools/recorder/fake-browser.sh \
      PROMPT='mcp> ' SEND='list;quit' timeout 60 node "$here/../tools/recorder/drive-interactive.js" 45 -- \
      node --require ./loopback.cjs "$sdk_client" "$proxied") >"$tmp/client.out" 2>&1 ||
      fail "the client failed through the proxy: $(tail -20 "$tmp/client.out")"
    grep -q 'Available tools' "$tmp/client.out" || fail "no tools listed: $(tail -20 "$tmp/client.out")"
    stop_proxy
    trace=$tmp/sdk-simpleOAuthClient-1.32.2-default.jsonl
    mv "$tmp/proxy.jsonl" "$trace"
    jq -e -s 'length >= 8 and all(.seq and .method and .path and .status)' "$trace" >/dev/null ||
      fail "trace is not one complete object per request: $(head -c 300 "$trace")"
    # the client saw only the proxy; the upstream saw its own URLs (resource mapped back)
    jq -e -s --arg p "${proxied%/mcp}" 'map(select(.path == "/authorize"))[0].query.resource == $p + "/mcp"' "$trace" >/dev/null ||
      fail "the client's resource is not the proxy's URL"
    jq -e -s --arg a "localhost:$auth_port" 'map(select(.path == "/token"))[0].upstream | contains($a)' "$trace" >/dev/null ||
      fail "the token request did not go to the authorization server"
    "$bin" fidelity "$trace" --profile sdk-client-1.32.2 >"$tmp/out" 2>&1 || fail "fidelity: $(cat "$tmp/out")"
    # and aspect by aspect, what fidelity reads off it is what it reads off the direct recording
    aspects() {
      "$bin" fidelity "$1" --profile sdk-client-1.32.2 -v 2>&1 >/dev/null | grep -E '^mcpcompat: (first request|discovery order|registration body|redirect URI|authorization request|token request|first authorized MCP request|outcome|refresh request) '
    }
    aspects "$fixtures/traces/sdk-simpleOAuthClient-1.32.2-default.jsonl" >"$tmp/direct.txt"
    aspects "$trace" >"$tmp/proxied.txt"
    [ "$(wc -l <"$tmp/direct.txt")" = 9 ] || fail "fidelity -v printed $(wc -l <"$tmp/direct.txt") aspects, want 9"
    diff "$tmp/direct.txt" "$tmp/proxied.txt" >"$tmp/diff" || fail "proxied vs direct recording: $(cat "$tmp/diff")"
    if leaks "$trace" "$tmp/proxy.err" >"$tmp/leak"; then fail "a secret in the trace: $(head -c 300 "$tmp/leak")"; fi
    ;;
  proxy-hostile)
    # The proxy in front of broken servers: bounded answers (502 with a note), never a hang.
    for mode in huge hang-token redirect-loop; do
      port=$(free_port)
      start hostile.mjs "$port" "$mode"
      wait_http "http://127.0.0.1:$port/.well-known/oauth-authorization-server"
      start_proxy "http://127.0.0.1:$port/mcp" --timeout 2
      timeout 60 "$bin" run "$proxied" --profile spec-2025-11-25 --no-server-suite --timeout 5 \
        --json "$tmp/r.json" >"$tmp/out" 2>&1
      [ $? = 1 ] || fail "$mode: run through the proxy: $(head -c 400 "$tmp/out")"
      stop_proxy
      case $mode in
        huge) want='map(select(.status == 502))[0] | any(.notes[]; test("larger than 2 MiB"))' ;;
        hang-token) want='map(select(.path == "/token"))[0] | .status == 502 and any(.notes[]; test("upstream failed"))' ;;
        redirect-loop) want='map(select(.path == "/authorize")) | length > 3 and all(.location | startswith("'"${proxied%/mcp}"'"))' ;;
      esac
      jq -e -s "$want" "$tmp/proxy.jsonl" >/dev/null || fail "$mode: $(tail -c 600 "$tmp/proxy.jsonl")"
    done
    "$bin" proxy http://127.0.0.1:1/mcp >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -q 'needs --record' "$tmp/err" || fail "no --record: $(cat "$tmp/err")"
    "$bin" proxy ftp://127.0.0.1/mcp --record "$tmp/x" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || fail "ftp upstream: $(cat "$tmp/err")"
    ;;
  proxy-tls)
    # The proxy in front of the fixture served over HTTPS: trusted with --cacert, refused
    # without (502 with the TLS reason), and mcpcompat's own client through it passes.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
      -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 2>/dev/null || fail "openssl could not make a certificate"
    "$bin" serve --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" >"$tmp/url" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
    upstream=$(head -1 "$tmp/url")
    start_proxy "$upstream" --cacert "$tmp/cert.pem"
    target=$proxied
    run 0 --profile spec-2025-11-25,claude-code-2.1.332 --no-server-suite
    verdict spec-2025-11-25 pass
    verdict claude-code-2.1.332 pass
    stop_proxy
    jq -e -s --arg u "${upstream%/mcp}" 'map(select(.path == "/token"))[0].upstream | startswith($u)' \
      "$tmp/proxy.jsonl" >/dev/null || fail "the token request did not go upstream over https"
    if leaks --fixture "$tmp/proxy.jsonl" >"$tmp/leak"; then fail "a secret in the trace: $(head -c 300 "$tmp/leak")"; fi
    start_proxy "$upstream"
    curl -s -o /dev/null -w '%{http_code}' -X POST "$proxied" >"$tmp/code"
    [ "$(cat "$tmp/code")" = 502 ] || fail "untrusted upstream: HTTP $(cat "$tmp/code"), want 502"
    stop_proxy
    jq -e -s '.[0].status == 502 and any(.[0].notes[]; test("certificate|SSL"))' "$tmp/proxy.jsonl" >/dev/null ||
      fail "no TLS reason: $(head -c 400 "$tmp/proxy.jsonl")"
    ;;
  proxy-oidc)
    # The proxy in front of oidc-provider (OIDC discovery under /as, HTML login and
    # consent with cookies, JWT access tokens bound to the MCP URL): the harness's
    # clients pass through it as they do directly (case oidc-dcr), the resource
    # mapped back to the upstream URL, and no secret in the trace.
    start_oidc
    start_proxy "$target"
    target=$proxied
    export MCPT_USER=alice MCPT_PASSWORD=mcpcompat-test-password
    run 1 --login-user-env MCPT_USER --login-password-env MCPT_PASSWORD \
      --profile spec-2025-11-25,claude-code-2.1.332,spec-2025-06-18 --no-server-suite
    verdict spec-2025-11-25 pass
    verdict claude-code-2.1.332 pass
    verdict spec-2025-06-18 broke@as-metadata
    stop_proxy
    jq -e -s 'any(.[]; (.path | startswith("/as/")) and (.notes // [] | any(test("Location"))))' \
      "$tmp/proxy.jsonl" >/dev/null || fail "no login redirect rewritten: $(jq -c -s 'map([.method, .path, .status, .notes])' "$tmp/proxy.jsonl" | head -c 800)"
    if leaks "$tmp/proxy.jsonl" >"$tmp/leak"; then fail "a secret in the trace: $(head -c 300 "$tmp/leak")"; fi
    ;;
  secrets-oidc)
    # Issue 21: against a real server whose secrets mcpcompat was never told
    # (oidc-provider: its session and interaction cookies, the hidden fields
    # of its login and consent forms, a confidential client's Basic pair, its
    # codes, tokens, and the PKCE verifiers it receives), no output or trace
    # holds one: -v, JUnit, JSON, HTML, Markdown, the proxy's trace. The
    # server logs each value from the wire (OIDC_SECRETS_LOG) for the test
    # to look for.
    export OIDC_SECRETS_LOG=$tmp/secrets.log OIDC_CLIENT_SECRET=oidc-confidential-$RANDOM-$RANDOM-secret
    export MCPT_USER=alice MCPT_PASSWORD=mcpcompat-test-password
    start_oidc
    unset OIDC_SECRETS_LOG
    all=(--junit "$tmp/r.xml" --json "$tmp/r.json" --html "$tmp/r.html" --markdown "$tmp/r.md" -v)
    outs=()
    n=0
    each() { # mcpcompat run arguments: every output kept
      n=$((n + 1))
      "$bin" run "$target" "$@" "${all[@]}" >"$tmp/out$n" 2>"$tmp/err$n"
      for f in r.xml r.json r.html r.md; do cp "$tmp/$f" "$tmp/$n-$f" 2>/dev/null; done
      outs+=("$tmp/out$n" "$tmp/err$n" "$tmp/$n-r.xml" "$tmp/$n-r.json" "$tmp/$n-r.html" "$tmp/$n-r.md")
    }
    login=(--login-user-env MCPT_USER --login-password-env MCPT_PASSWORD)
    each "${login[@]}" --profile spec-2025-11-25,claude-code-2.1.332
    jq -e '[.profiles[] | .result] == ["pass", "pass"]' "$tmp/$n-r.json" >/dev/null ||
      fail "the DCR run did not pass: $(head -20 "$tmp/out$n")"
    each "${login[@]}" --profile spec-2025-11-25 --no-server-suite --client-id mcpcompat-confidential \
      --client-secret "$OIDC_CLIENT_SECRET"
    jq -e '.profiles[0].result == "pass"' "$tmp/$n-r.json" >/dev/null ||
      fail "the confidential client did not pass: $(head -20 "$tmp/out$n")"
    start_proxy "$target"
    upstream=$target
    target=$proxied
    each "${login[@]}" --profile spec-2025-11-25 --no-server-suite
    stop_proxy
    target=$upstream
    outs+=("$tmp/proxy.jsonl" "$tmp/proxy.err")
    jq -e '.profiles[0].result == "pass"' "$tmp/$n-r.json" >/dev/null ||
      fail "the run through the proxy did not pass: $(head -20 "$tmp/out$n")"
    # the server saw every kind, or the test proves nothing
    for kind in set-cookie cookie hidden basic form json location; do
      grep -q "^$kind " "$tmp/secrets.log" || fail "the server logged no $kind secret"
    done
    grep -q '^basic secret ' "$tmp/secrets.log" || fail "no Basic client secret was sent"
    checked=0
    while read -r kind key value; do
      if [ ${#value} -ge 8 ]; then
        checked=$((checked + 1))
        if grep -F -l -- "$value" "${outs[@]}" >"$tmp/where" 2>/dev/null; then
          fail "$kind $key value ${value:0:4}… in full in: $(tr '\n' ' ' <"$tmp/where")"
        fi
      elif [ "$kind" = hidden ]; then # a short hidden value: never as the field's value
        if grep -E -l -- "(^|[^A-Za-z0-9_])$key(=|\\?\"[[:space:]]*:[[:space:]]*\\?\")$value([^A-Za-z0-9]|$)" "${outs[@]}" >"$tmp/where" 2>/dev/null; then
          fail "hidden field $key=$value in: $(tr '\n' ' ' <"$tmp/where")"
        fi
      fi
    done < <(sort -u "$tmp/secrets.log")
    [ "$checked" -ge 20 ] || fail "only $checked secrets logged: $(cut -d' ' -f1,2 "$tmp/secrets.log" | sort | uniq -c)"
    if leaks "${outs[@]}" >"$tmp/leak"; then fail "a secret field: $(head -c 300 "$tmp/leak")"; fi
    ;;
  *) fail "no such case" ;;
esac
echo "ok [$name]"
