#!/usr/bin/env bash
# Runs one end-to-end case of tests/e2e-cases.txt against the real binary.
# usage: tests/e2e.sh BINARY CASE
set -u
. "$(dirname "$0")/case-lib.sh"

run_table_case() {
  local line exit_want args expectations
  line=$(grep -E "^$name " "$here/e2e-cases.txt") || fail "no such case"
  exit_want=$(awk '{print $2}' <<<"$line")
  expectations=$(sed -E 's/^[^ ]+ [0-9]+ //; s/ --.*$//; s/^--.*$//' <<<"$line")
  args=$(sed -E 's/^.* --( |$)//' <<<"$line")
  # shellcheck disable=SC2086
  "$bin" run $args --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" = "$exit_want" ] || fail "exit $rc, want $exit_want; stdout: $(cat "$tmp/out") stderr: $(cat "$tmp/err")"
  validate_junit "$tmp/r.xml"
  no_secrets "$tmp/out" "$tmp/err" "$tmp/r.json" "$tmp/r.xml"
  local e
  for e in $expectations; do
    case $e in
      server=*)
        local st=${e#server=}; st=${st%%:*}; local id=${e#*:}
        local got
        got=$(jq -r --arg id "$id" '[.server.checks[] | select(.id == $id) | .status] | first // "absent"' "$tmp/r.json")
        [ "$got" = "$st" ] || fail "server check $id is $got, want $st"
        ;;
      check=*)
        local st=${e#check=}; st=${st%%:*}; local id=${e#*:}
        local got
        got=$(jq -r --arg id "$id" '[(.profiles[].steps[].checks[], .server.checks[]) | select(.id == $id) | .status] | if length == 0 then "absent" elif any(. == "fail") then "fail" elif any(. == "warn") then "warn" else "pass" end' "$tmp/r.json")
        [ "$got" = "$st" ] || fail "check $id is $got, want $st"
        ;;
      auth=*)
        # auth=PROFILE:REQUEST: authorization started at that request (JSON and JUnit)
        local id=${e#auth=}; id=${id%%:*}; local want=${e#*:}
        local got
        got=$(jq -r --arg id "$id" '.profiles[] | select(.id == $id) | .auth_started_at // "none"' "$tmp/r.json")
        [ "$got" = "$want" ] || fail "$id: authorization started at $got, want $want"
        got=$(xmllint --xpath "string(//testsuite[@name='$id']/properties/property[@name='auth_started_at']/@value)" "$tmp/r.xml")
        [ "$got" = "$want" ] || fail "$id: JUnit auth_started_at is '$got', want $want"
        ;;
      *=pass|*=broke@*|*=not-run@*)
        local id=${e%%=*} want=${e#*=}
        local result failed_at
        result=$(jq -r --arg id "$id" '.profiles[] | select(.id == $id) | .result' "$tmp/r.json")
        failed_at=$(jq -r --arg id "$id" '.profiles[] | select(.id == $id) | .failed_at // ""' "$tmp/r.json")
        local got=$result
        [ "$result" = broke ] || [ "$result" = not-run ] && got="$result@$failed_at"
        [ "$got" = "$want" ] || fail "$id: $got, want $want ($(grep -F "$id" "$tmp/out" | head -1))"
        # the JUnit file says the same
        local jr jf
        jr=$(xmllint --xpath "string(//testsuite[@name='$id']/properties/property[@name='result']/@value)" "$tmp/r.xml")
        jf=$(xmllint --xpath "string(//testsuite[@name='$id']/properties/property[@name='failed_at']/@value)" "$tmp/r.xml")
        [ "$jr" = "$result" ] && [ "$jf" = "$failed_at" ] || fail "$id: JUnit says $jr/$jf"
        if [ "$result" = broke ]; then
          xmllint --xpath "//testsuite[@name='$id']/testcase[@name='$failed_at']/failure" "$tmp/r.xml" >/dev/null 2>&1 ||
            fail "$id: no <failure> on testcase $failed_at"
        fi
        if [ "$result" = not-run ]; then
          xmllint --xpath "//testsuite[@name='$id']/testcase[@name='$failed_at']/error" "$tmp/r.xml" >/dev/null 2>&1 ||
            fail "$id: no <error> on testcase $failed_at"
        fi
        ;;
      *) fail "bad expectation $e" ;;
    esac
  done
}

case $name in
  cli-unreachable)
    "$bin" run http://127.0.0.1:1/mcp >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] || fail "exit $rc, want 3"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "want one line on stderr, got: $(cat "$tmp/err")"
    grep -q '^mcpcompat: could not run: nothing accepts connections at 127.0.0.1:1 .*is the server running' "$tmp/err" ||
      fail "stderr: $(cat "$tmp/err")"
    ;;
  cli-bad-profile)
    mkdir "$tmp/p"
    cp "$here/../profiles/spec-2025-11-25.json" "$tmp/p/"
    printf '{\n  "id": "broken",\n  "client": "x"\n  "client_version": "1"\n}\n' >"$tmp/p/broken.json"
    MCPCOMPAT_PROFILES=$tmp/p "$bin" run >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] || fail "exit $rc, want 2"
    grep -Eq "^mcpcompat: $tmp/p/broken.json:4:[0-9]+: " "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
    printf '{\n  "id": "broken",\n  "client": "x",\n  "client_version": "1",\n  "spec_revision": "2025-11-25",\n  "probe": {"methd": "x"}\n}\n' >"$tmp/p/broken.json"
    MCPCOMPAT_PROFILES=$tmp/p "$bin" profiles >"$tmp/out" 2>"$tmp/err"
    [ $? = 2 ] || fail "unknown key: want exit 2"
    grep -q "broken.json:6:13: unknown key \"methd\"" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
    # a scenario's client settings: a callback URL that is no URL, metadata that is no object
    printf '{"id": "s", "target": {"fixture": {}}, "clients": {"codex-0.169.0": {"callback_url": "not a url"}}}\n' >"$tmp/s.json"
    "$bin" run --scenario "$tmp/s.json" >"$tmp/out" 2>"$tmp/err"
    [ $? = 2 ] && grep -q 'clients.codex-0.169.0.callback_url: "not a url" is not an absolute' "$tmp/err" ||
      fail "bad callback_url: $(cat "$tmp/err")"
    printf '{"id": "s", "target": {"fixture": {}},\n "clients": {"mcp-remote-0.15.1": {"registration_metadata": [1]}}}\n' >"$tmp/s.json"
    "$bin" run --scenario "$tmp/s.json" >"$tmp/out" 2>"$tmp/err"
    [ $? = 2 ] && grep -q "s.json:2:.*registration_metadata\" must be an object" "$tmp/err" ||
      fail "bad registration_metadata: $(cat "$tmp/err")"
    ;;
  cli-host-ports)
    # Whether a callback port is taken is a condition of the user's machine (a scenario's
    # busy_ports), never of the machine mcpcompat runs on (issue 16): with every fixed
    # callback port of the profiles held here, a default run gives the same verdicts.
    ports=$(jq -r 'select(.redirect.port_policy == "fixed") | .redirect.port' "$here"/../profiles/*.json | sort -u)
    [ -n "$ports" ] || fail "no fixed callback port in the profiles"
    "$bin" run --json "$tmp/free.json" >"$tmp/out" 2>&1 || fail "default run: exit $?: $(head -30 "$tmp/out")"
    # shellcheck disable=SC2086
    node -e 'const net = require("net");
      for (const p of process.argv.slice(1)) net.createServer().on("error", () => {}).listen(+p, "127.0.0.1");
      console.log("held"); setTimeout(() => {}, 120000);' $ports >"$tmp/held" 2>&1 &
    holder=$!
    for _ in $(seq 100); do grep -q held "$tmp/held" && break; sleep 0.1; done
    "$bin" run --json "$tmp/busy.json" >"$tmp/out" 2>&1
    rc=$?
    kill $holder
    [ $rc = 0 ] || fail "with ports $(echo $ports) held on this host: exit $rc: $(grep -A2 'broke at' "$tmp/out" | head -12)"
    verdicts() { jq -c '[.profiles[] | [.id, .result, .failed_at]]' "$1"; }
    [ "$(verdicts "$tmp/free.json")" = "$(verdicts "$tmp/busy.json")" ] ||
      fail "verdicts differ: $(verdicts "$tmp/busy.json")"
    grep -q 'already in use\|was busy' "$tmp/out" && fail "a host port decided: $(grep -m1 'already in use\|was busy' "$tmp/out")"
    # the scenario's condition still holds: VS Code finds 33418 taken and falls back
    printf '{"id": "p", "target": {"fixture": {}}, "profiles": ["vscode-1.122"], "conditions": {"busy_ports": [33418]}}\n' >"$tmp/p.json"
    "$bin" run --scenario "$tmp/p.json" --json "$tmp/p.out.json" >"$tmp/out" 2>&1 || fail "scenario busy_ports: exit $?"
    redirect=$(jq -r '.profiles[0].steps[] | select(.id == "authorization") | .exchanges[0].url' "$tmp/p.out.json")
    [[ $redirect == *redirect_uri=http%3A%2F%2F127.0.0.1%3A* && $redirect != *%3A33418%2F* ]] ||
      fail "the scenario's busy port 33418 was not taken: $redirect"
    ;;
  cli-bad-flags)
    for args in "run --nope" "run --quirk no-such-quirk" "run --quirk token-ttl=abc" "frobnicate" \
                "run --spec 1999-01-01" "run --profile nobody" "run ftp://x/" "serve --port 99999" \
                "run http://127.0.0.1:1/mcp --quirk no-dcr" "run --junit" \
                "run --quirk authorize-refuse=everything" "run --quirk authorize-refuse=resource,nope" \
                "run --quirk authorize-require=scope" "run --quirk client-resources=some" \
                "run --quirk token-without-resource=jwt" "run --quirk registration-path=register" \
                "run --quirk registration-path=/a/../b" "run --quirk dcr-redirect-allow=" "run --quirk mcp-head=200" "run --quirk mcp-head" "run --quirk redirect-https-or-loopback=yes"; do
      # shellcheck disable=SC2086
      "$bin" $args >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $rc = 2 ] || fail "'$args': exit $rc, want 2"
      [ "$(wc -l <"$tmp/err")" -ge 1 ] && grep -q '^mcpcompat: ' "$tmp/err" || fail "'$args': stderr: $(cat "$tmp/err")"
    done
    ;;
  cli-serve-record)
    "$bin" serve --quirk no-dcr --record "$tmp/rec.jsonl" >"$tmp/url" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
    url=$(head -1 "$tmp/url")
    [[ $url == http://127.0.0.1:*/mcp ]] || { kill $pid; fail "first line: $url"; }
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      -d '{"jsonrpc":"2.0","id":1,"method":"initialize"}' "$url")
    [ "$status" = 401 ] || { kill $pid; fail "unauthenticated POST got $status"; }
    "$bin" run "$url" --profile spec-2025-11-25 --client-id mcpcompat-public --no-server-suite >"$tmp/out" 2>&1
    rc=$?
    kill -TERM $pid
    wait $pid
    [ $? = 0 ] || fail "serve did not exit cleanly on SIGTERM"
    [ $rc = 0 ] || fail "run against serve: exit $rc: $(cat "$tmp/out")"
    jq -e -s 'length >= 8 and .[0].method == "POST" and .[0].path == "/mcp" and .[0].status == 401
              and (map(.path) | index("/token")) != null' "$tmp/rec.jsonl" >/dev/null ||
      fail "record: $(head -c 500 "$tmp/rec.jsonl")"
    no_secrets "$tmp/rec.jsonl"
    ;;
  cli-demo)
    # the seed's scoreboard: 2 of 5 clients (and the bridge) pass, 3 break in 3 places
    "$bin" demo --junit "$tmp/d.xml" --json "$tmp/d.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || fail "demo exit $rc: $(cat "$tmp/out" "$tmp/err")"
    validate_junit "$tmp/d.xml"
    no_secrets "$tmp/out" "$tmp/d.xml" "$tmp/d.json"
    for want in claude-desktop-2026=pass/ mcp-inspector-2.12.0=pass/ vscode-1.101=broke/authorization \
                cursor-2025=broke/registration claude-code-2025=broke/registration mcp-remote-0.15.1=pass/; do
      id=${want%%=*} v=${want#*=}
      r=$(xmllint --xpath "string(//testsuite[@name='$id']/properties/property[@name='result']/@value)" "$tmp/d.xml")
      f=$(xmllint --xpath "string(//testsuite[@name='$id']/properties/property[@name='failed_at']/@value)" "$tmp/d.xml")
      [ "$r/$f" = "$v" ] || fail "demo: $id is $r/$f, want $v"
    done
    jq -e '[.profiles[] | select(.id == "vscode-1.101") | .steps[] | select(.id == "authorization") | .failed_check] == ["authz.loopback-any-port"]' "$tmp/d.json" >/dev/null ||
      fail "demo: VS Code must break on the loopback port"
    grep -q 'port 33418 was busy' "$tmp/out" || fail "demo: VS Code's port fallback not explained"
    grep -q 'configured client id claude-code is ignored' "$tmp/out" || fail "demo: Claude Code's ignored client id not explained"
    "$bin" demo --fixed --junit "$tmp/f.xml" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || fail "demo --fixed exit $rc: $(cat "$tmp/out")"
    [ "$(xmllint --xpath "count(//testsuite/properties/property[@name='result'][@value='pass'])" "$tmp/f.xml")" = 6 ] ||
      fail "demo --fixed: not every client passed"
    ;;
  cli-fidelity-profiles)
    # --profile takes what run takes: a list (a line each, the exit the worst),
    # a client name for its newest, a set; an unknown one is a usage error
    trace=$here/../fixtures/traces/mcp-remote-0.15.1-default.jsonl
    "$bin" fidelity "$trace" --profile mcp-remote,vscode-1.139 >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "a list with one that differs: exit $?, want 1: $(cat "$tmp/out")"
    got=$(grep -oE '^[^ ]+ [^ ]+ (matches|differs)' "$tmp/out" | tr '\n' ';')
    [ "$got" = "mcp-remote-0.15.1-default.jsonl: mcp-remote-0.15.1 matches;mcp-remote-0.15.1-default.jsonl: vscode-1.139 differs;" ] ||
      fail "a list: $got"
    "$bin" fidelity "$trace" --profile mcp-remote >"$tmp/out" 2>&1 || fail "a client name: exit $?: $(cat "$tmp/out")"
    grep -q '^mcp-remote-0.15.1-default.jsonl: mcp-remote-0.15.1 matches' "$tmp/out" || fail "a client name: $(cat "$tmp/out")"
    "$bin" fidelity "$trace" --profile reference >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "the reference set: exit $?, want 1"
    [ "$(grep -c ' differs from the recording' "$tmp/out")" = 4 ] || fail "the reference set: $(grep -v '^ ' "$tmp/out")"
    "$bin" fidelity "$trace" --profile mcp-remote,nosuch >"$tmp/out" 2>&1
    [ $? = 2 ] || fail "an unknown profile: exit $?, want 2: $(cat "$tmp/out")"
    grep -q 'unknown profile "nosuch"' "$tmp/out" || fail "an unknown profile: $(cat "$tmp/out")"
    ;;
  cli-fidelity-knobs)
    # changing one knob of a traced profile must make its fidelity test fail
    traces=$here/../fixtures/traces
    "$bin" fidelity "$traces/mcp-remote-0.15.1-default.jsonl" >"$tmp/out" 2>&1 || fail "baseline: $(cat "$tmp/out")"
    mkdir "$tmp/p"
    cp "$here"/../profiles/*.json "$tmp/p/"
    check_knob() { # file jq-filter trace aspect
      cp "$here/../profiles/$1.json" "$tmp/p/$1.json"
      jq "$2" "$here/../profiles/$1.json" >"$tmp/p/$1.json"
      MCPCOMPAT_PROFILES=$tmp/p "$bin" fidelity "$traces/$3.jsonl" >"$tmp/out" 2>&1
      rc=$?
      cp "$here/../profiles/$1.json" "$tmp/p/$1.json"
      [ $rc = 1 ] || fail "$1 with $2: exit $rc, want 1: $(cat "$tmp/out")"
      grep -q "differs from the recording: $4" "$tmp/out" || fail "$1 with $2: $(cat "$tmp/out")"
    }
    check_knob mcp-remote-0.15.1 '.redirect.host = "127.0.0.1"' mcp-remote-0.15.1-default "registration body"
    check_knob mcp-inspector-2.12.0 '.redirect.port = 6277' inspector-cli-2.12.0-default "redirect URI"
    check_knob gemini-cli-0.61.0 '.authorization.iss = "if-present"' gemini-cli-0.61.0-default-no-iss-rejected "token request"
    check_knob codex-0.169.0 '.discovery.prm_order = ["hint","path","root"]' codex-0.169.0-discovery-fallback "discovery order"
    check_knob sdk-client-1.32.2 '.authorization.state = true' sdk-simpleOAuthClient-1.32.2-default "authorization request"
    check_knob claude-code-2.1.332 '.probe.request = "POST"' claude-code-2.1.332-default "first request"
    check_knob claude-code-2.1.332 '.registration.static_auth = "client_secret_post"' claude-code-2.1.332-no-dcr-static-client "token request"
    check_knob codex-0.169.0 '.token.refresh_scope = false' codex-0.169.0-refresh "refresh request"
    check_knob mcp-inspector-2.12.0 '.registration.order = ["static","dcr"]' inspector-cli-2.12.0-cimd-url "registration body"
    check_knob codex-0.169.0 '.redirect.callback_url = "verbatim"' codex-0.169.0-static-public-callback-url-strict "redirect URI"
    check_knob mcp-remote-0.15.1 '.registration.user_metadata = false' mcp-remote-0.15.1-static-metadata "registration body"
    ;;
  cli-spec-all)
    # --spec all: one column per revision; the acceptance examples of issue 5
    spec_all() { # quirk, then the expected result per revision
      "$bin" run --spec all --quirk "$1" --json "$tmp/a.json" --junit "$tmp/a.xml" >"$tmp/out" 2>"$tmp/err"
      validate_junit "$tmp/a.xml"
      [ "$(jq -r '[.profiles[].id] | join(" ")' "$tmp/a.json")" = "spec-2025-03-26 spec-2025-06-18 spec-2025-11-25 spec-2026-07-28" ] ||
        fail "--spec all $1: profiles $(jq -c '[.profiles[].id]' "$tmp/a.json")"
      got=$(jq -r '[.profiles[] | if .result == "pass" then "pass" else "broke@" + .failed_at end] | join(" ")' "$tmp/a.json")
      [ "$got" = "$2" ] || fail "--spec all --quirk $1: $got, want $2"
      [ "$(xmllint --xpath 'count(//testsuite[starts-with(@name, "server-")])' "$tmp/a.xml")" = 4 ] ||
        fail "--spec all: want one server suite per revision"
      jq -e '[.profiles[].steps[].checks[].spec_revision] | unique | length == 4' "$tmp/a.json" >/dev/null ||
        fail "--spec all: checks must name the revision they were judged by"
    }
    spec_all no-pkce-metadata "pass pass broke@as-metadata broke@as-metadata"
    grep -Eq '^  asm.pkce-methods +- +- +fail +fail' "$tmp/out" || fail "table: $(cat "$tmp/out")"
    spec_all legacy-2025-03-26 "pass broke@resource-metadata broke@resource-metadata broke@resource-metadata"
    spec_all iss=wrong "pass pass pass broke@authorization"
    spec_all mcp-2026 "pass pass pass pass"
    grep -Eq '^  server.header-mismatch +- +- +- +pass' "$tmp/out" || fail "table: $(cat "$tmp/out")"
    # a scenario pins the revision; the report names it
    printf '{"id": "pin", "spec_revision": "2025-06-18", "target": {"fixture": {}}, "profiles": ["spec-2025-11-25"]}\n' >"$tmp/s.json"
    "$bin" run --scenario "$tmp/s.json" --json "$tmp/p.json" >/dev/null 2>&1
    jq -e '.spec_revision == "2025-06-18" and ([.profiles[].steps[].checks[].spec_revision] | unique) == ["2025-06-18"]' "$tmp/p.json" >/dev/null ||
      fail "scenario spec_revision not honoured"
    "$bin" run --spec all --profile spec-2025-11-25 >/dev/null 2>&1
    [ $? = 2 ] || fail "--spec all with --profile must be a usage error"
    ;;
  cli-client-settings)
    # what a user configures in a client: a callback URL (Inspector uses it as
    # given, Codex appends its per-server id, Claude Code has no such setting),
    # registration metadata (only mcp-remote merges it into its DCR body)
    pi=$(free_port) pc=$(free_port)
    cat >"$tmp/s.json" <<JSON
{"id": "settings", "target": {"fixture": {"quirks": ["no-dcr", "strict-redirect"], "clients": [
   {"client_id": "insp", "redirect_uris": ["http://127.0.0.1:$pi/cb"]},
   {"client_id": "cx", "redirect_uris": ["http://127.0.0.1:$pc/oauth/cb"]},
   {"client_id": "cc", "redirect_uris": ["http://127.0.0.1:$pc/oauth/cb"]}]}},
 "profiles": ["mcp-inspector-2.12.0", "codex-0.169.0", "claude-code-2.1.332"],
 "clients": {
   "mcp-inspector-2.12.0": {"client_id": "insp", "callback_url": "http://127.0.0.1:$pi/cb"},
   "codex-0.169.0": {"client_id": "cx", "callback_url": "http://127.0.0.1:$pc/oauth/cb"},
   "claude-code-2.1.332": {"client_id": "cc", "callback_url": "http://127.0.0.1:$pc/oauth/cb",
                           "registration_metadata": {"client_name": "x"}}},
 "expect": {"mcp-inspector-2.12.0": "pass", "codex-0.169.0": "broke:authorization",
            "claude-code-2.1.332": "broke:authorization"}}
JSON
    "$bin" run --scenario "$tmp/s.json" --json "$tmp/r.json" --no-server-suite >"$tmp/out" 2>"$tmp/err"
    [ $? = 0 ] || fail "settings: outcomes not as expected: $(cat "$tmp/out" "$tmp/err")"
    jq -e --arg u "http://127.0.0.1:$pc/oauth/cb/" '[.profiles[] | select(.id == "codex-0.169.0") | .steps[4].reason] | first | contains($u)' "$tmp/r.json" >/dev/null ||
      fail "codex did not append its id: $(jq -c '.profiles[1].steps[4]' "$tmp/r.json")"
    grep -q 'no callback URL setting' "$tmp/out" || fail "claude code's unused callback URL not reported: $(cat "$tmp/out")"
    grep -q 'registration_metadata is not used' "$tmp/out" || fail "unused registration metadata not reported"
    # mcp-remote merges the user's metadata: the DCR body carries it, and a
    # client_secret_post registration puts the secret in the token request body
    cat >"$tmp/m.json" <<JSON
{"id": "meta", "target": {"fixture": {}}, "profiles": ["mcp-remote-0.15.1"],
 "clients": {"mcp-remote-0.15.1": {"registration_metadata": {"client_name": "peers-test",
   "token_endpoint_auth_method": "client_secret_post"}}}}
JSON
    "$bin" run --scenario "$tmp/m.json" --record "$tmp/rec.jsonl" --no-server-suite >"$tmp/out" 2>&1 ||
      fail "metadata: $(cat "$tmp/out")"
    jq -se '[.[] | select(.path == "/register") | .body.client_name] == ["peers-test"]' "$tmp/rec.jsonl" >/dev/null ||
      fail "DCR body without the user's metadata"
    jq -se '[.[] | select(.path == "/token") | .body | has("client_secret")] | first' "$tmp/rec.jsonl" >/dev/null ||
      fail "client_secret_post not honoured"
    no_secrets "$tmp/out" "$tmp/err" "$tmp/r.json"
    ;;
  cli-vendor-cimd)
    # the fixture is offline: it is given each vendor's metadata document as
    # published (VS Code's lists 127.0.0.1:33418 and vscode.dev only); one
    # whose content nobody knows is accepted unvalidated, and the report says so
    "$bin" run --profile claude-code,codex-0.169.0,vscode --quirk cimd,no-dcr --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1 ||
      fail "vendor documents: $(cat "$tmp/out")"
    grep -q "codex-0.169.0: .*chatgpt.com/oauth/codex/.* is not known" "$tmp/out" || fail "no note for Codex: $(cat "$tmp/out")"
    grep -Eq "(vscode-1.139|claude-code-2.1.332): .*not known" "$tmp/out" && fail "VS Code's and Claude Code's documents are known: $(cat "$tmp/out")"
    # port 33418 taken: VS Code falls back to a random port, which its
    # document does not list; RFC 8252 any-port matching still lets it in,
    # exact matching does not (microsoft/vscode#278512)
    vs() { # quirks, expected outcome
      printf '{"id": "v", "target": {"fixture": {"quirks": [%s]}}, "profiles": ["vscode-1.122"], "conditions": {"busy_ports": [33418]}, "expect": {"vscode-1.122": "%s"}}\n' "$1" "$2" >"$tmp/v.json"
      "$bin" run --scenario "$tmp/v.json" --no-server-suite >"$tmp/out" 2>&1 || fail "vscode with $1: $(cat "$tmp/out")"
    }
    vs '"cimd", "no-dcr"' pass
    vs '"cimd", "no-dcr", "strict-redirect"' broke:authorization
    grep -q "port 33418 was busy" "$tmp/out" || fail "fallback not explained: $(cat "$tmp/out")"
    ;;
  cli-claude-connectors-request)
    # claude.ai's authorization request as anthropics/claude-ai-mcp#96 shows it: the metadata
    # document as client id, the hosted callback, scope offline_access (a server that
    # declares no scope; #96's leading space is not reproduced), prompt=consent last
    "$bin" run --profile claude-desktop-2026-09 --quirk cimd,no-dcr,www-scope=,prm-scopes= --no-server-suite \
      --record "$tmp/rec.jsonl" >"$tmp/out" 2>&1 || fail "run: $(cat "$tmp/out")"
    got=$(jq -r 'select(.path == "/authorize") | .query | [(keys_unsorted | join(",")), .client_id, .redirect_uri, .scope, .prompt] | join("|")' "$tmp/rec.jsonl")
    [ "$got" = "response_type,client_id,redirect_uri,code_challenge,code_challenge_method,state,scope,resource,prompt|https://claude.ai/oauth/mcp-oauth-client-metadata|https://claude.ai/api/mcp/auth_callback|offline_access|consent" ] ||
      fail "authorization request: $got"
    # a server declaring scopes: they come first
    "$bin" run --profile claude-desktop-2026-09 --quirk cimd,no-dcr --no-server-suite \
      --record "$tmp/rec1.jsonl" >"$tmp/out" 2>&1 || fail "run with scopes: $(cat "$tmp/out")"
    got=$(jq -r 'select(.path == "/authorize") | .query.scope' "$tmp/rec1.jsonl")
    [ "$got" = "mcp:tools offline_access" ] || fail "scope with the server's scopes: '$got'"
    # without `none` among the AS's methods: DCR, a confidential client (client_secret_post)
    "$bin" run --profile claude-desktop-2026-09 --quirk cimd,no-none-auth --no-server-suite \
      --record "$tmp/rec2.jsonl" >"$tmp/out" 2>&1 || fail "run without none: $(cat "$tmp/out")"
    jq -e -s '[.[] | select(.path == "/register") | .body.token_endpoint_auth_method] == ["client_secret_post"]' \
      "$tmp/rec2.jsonl" >/dev/null || fail "no DCR with client_secret_post: $(jq -c 'select(.path == "/register")' "$tmp/rec2.jsonl")"
    jq -e -s '[.[] | select(.path == "/authorize") | .query.client_id | startswith("https://")] == [false]' \
      "$tmp/rec2.jsonl" >/dev/null || fail "the metadata document was used"
    ;;
  cli-provisioned-clients)
    # clients that use a client an administrator registered beforehand, against an AS
    # without DCR that matches redirect URIs exactly: Gemini Enterprise's confidential
    # client with its Google Cloud callback, Kiro CLI 2.12's client with the redirectUri it
    # was registered for (kiro.dev/changelog/cli/2-12); Kiro without that redirectUri sends
    # its own random-port callback, which exact matching refuses
    export MCPT_GE_SECRET=ge-secret-0123456789abcdef MCPT_KIRO_SECRET=kiro-secret-0123456789abcdef
    prov() { # Kiro's client settings (JSON members), Kiro's expected outcome
      cat >"$tmp/p.json" <<JSON
{"id": "provisioned", "target": {"fixture": {"quirks": ["no-dcr", "strict-redirect"], "clients": [
  {"client_id": "gemini-enterprise", "client_secret_env": "MCPT_GE_SECRET",
   "redirect_uris": ["https://vertexaisearch.cloud.google.com/oauth-redirect"]},
  {"client_id": "kiro-app", "client_secret_env": "MCPT_KIRO_SECRET",
   "redirect_uris": ["http://localhost:7778/oauth/callback"]}]}},
 "profiles": ["gemini-enterprise-2026", "kiro-cli-2.12.0"],
 "clients": {"gemini-enterprise-2026": {"client_id": "gemini-enterprise", "client_secret_env": "MCPT_GE_SECRET"},
             "kiro-cli-2.12.0": {"client_id": "kiro-app", "client_secret_env": "MCPT_KIRO_SECRET"$1}},
 "expect": {"gemini-enterprise-2026": "pass", "kiro-cli-2.12.0": "$2"}}
JSON
      "$bin" run --scenario "$tmp/p.json" --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1 ||
        fail "provisioned clients, Kiro $2: $(cat "$tmp/out")"
      no_secrets "$tmp/out" "$tmp/r.json"
    }
    prov ', "callback_url": "http://localhost:7778/oauth/callback"' pass
    grep -q 'localhost:7778/oauth/callback' "$tmp/r.json" || fail "Kiro did not use its redirectUri"
    grep -q 'vertexaisearch.cloud.google.com/oauth-redirect' "$tmp/r.json" || fail "Gemini Enterprise's callback not used"
    prov '' broke:authorization
    # a client that only takes a provisioned client is not in the default set
    "$bin" run --json "$tmp/d.json" >/dev/null 2>&1
    jq -e '[.profiles[].id] | index("gemini-enterprise-2026") == null' "$tmp/d.json" >/dev/null ||
      fail "gemini-enterprise-2026 is in the default set"
    ;;
  cli-matrix)
    # every client under each server policy: the cells are the verdicts `run` reaches
    "$bin" matrix --profile copilot-cli-1.0.87,cursor-3.14,vscode-1.122 --json "$tmp/m.json" >"$tmp/out" 2>"$tmp/err" ||
      fail "matrix: exit $?: $(cat "$tmp/err")"
    cell() { # policy-quirks profile-id -> pass | broke@step
      jq -r --arg q "$1" --arg id "$2" '.policies[] | select(.quirks == $q) | .profiles[] | select(.id == $id)
        | if .result == "pass" then "pass" else "broke@" + .failed_at end' "$tmp/m.json"
    }
    [ "$(jq '.policies | length' "$tmp/m.json")" = 15 ] || fail "matrix: want the 15 default policies"
    [ "$(cell "" cursor-3.14)" = pass ] || fail "cursor on the defaults: $(cell "" cursor-3.14)"
    [ "$(cell dcr-require-scope copilot-cli-1.0.87)" = broke@registration ] || fail "copilot with dcr-require-scope"
    [ "$(cell dcr-loopback-only vscode-1.122)" = broke@registration ] || fail "vscode with dcr-loopback-only"
    [ "$(cell cimd,no-dcr,strict-redirect copilot-cli-1.0.87)" = broke@authorization ] || fail "copilot with strict cimd"
    [ "$(cell cimd,no-dcr,strict-redirect vscode-1.122)" = pass ] || fail "vscode with strict cimd"
    grep -Eq '^GitHub Copilot CLI 1.0.87 +ok +ok +ok +reg +reg ' "$tmp/out" || fail "matrix table: $(cat "$tmp/out")"
    # the columns a user names, one per --quirk
    "$bin" matrix --profile spec-2025-11-25 --quirk strict-redirect --quirk no-dcr,iss=absent >"$tmp/out" 2>&1 ||
      fail "matrix --quirk: $(cat "$tmp/out")"
    grep -Eq '^Reference client \(MCP 2025-11-25\) +ok +reg$' "$tmp/out" || fail "matrix --quirk: $(cat "$tmp/out")"
    grep -q '  2  no-dcr,iss=absent' "$tmp/out" || fail "legend: $(cat "$tmp/out")"
    "$bin" matrix --quirk bogus >"$tmp/out" 2>"$tmp/err"
    [ $? = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || fail "matrix --quirk bogus: $(cat "$tmp/err")"
    no_secrets "$tmp/out" "$tmp/m.json"
    ;;
  cli-readme-checks)
    # the catalogue in docs/how-it-works.md is the command's output
    COLUMNS=100 "$bin" checks >"$tmp/checks"
    # fits 100 columns (a terminal's width when it is one)
    awk 'length > 100' "$tmp/checks" | grep -q . && fail "checks prints lines wider than 100 columns"
    sed -n '/<!-- checks:begin -->/,/<!-- checks:end -->/p' "$here/../docs/how-it-works.md" | sed '1,2d;$d' | sed '$d' >"$tmp/readme"
    diff "$tmp/checks" "$tmp/readme" >"$tmp/diff" || fail "docs/how-it-works.md catalogue is stale: $(head -20 "$tmp/diff")"
    ;;
  cli-profile-evidence)
    # every knob a real-client profile sets away from the default cites evidence
    for f in "$here"/../profiles/*.json; do
      case $(basename "$f") in spec-*) continue ;; esac
      missing=$(jq -r --slurpfile dflt "$here/profile-defaults.json" '
        . as $p | ($p.evidence // {} | keys) as $ev
        | [ $p | to_entries[] | select(.value | type == "object") | select(.key != "evidence")
            | .key as $sec | .value | to_entries[]
            | .key as $knob | .value as $val
            | ($dflt[0][$sec] // {}) as $d
            | select(($d | has($knob) | not) or $d[$knob] != $val)
            | "\($sec).\($knob)" as $k
            | select([$ev[] | select(. == $sec or startswith($k))] | length == 0)
            | $k ] | join(" ")' "$f") || fail "jq failed on $(basename "$f")"
      [ -z "$missing" ] || fail "$(basename "$f"): no evidence for $missing"
      # each piece of evidence says what it rests on (profiles/README.md)
      unkinded=$(jq -r '.evidence // {} | to_entries[]
        | select(.value | test("^(recorded|source|doc|issue|assumed): ") | not) | .key' "$f")
      [ -z "$unkinded" ] || fail "$(basename "$f"): evidence without a kind: $unkinded"
      # and the issuer handling is stated, never left to a default
      for k in discovery.check_issuer authorization.iss; do
        jq -e --arg k "$k" '($k | split(".")) as $p | (.[$p[0]] | has($p[1])) and (.evidence | has($k))' \
          "$f" >/dev/null || fail "$(basename "$f"): $k is not stated with its evidence"
      done
    done
    # and every knob with a default is documented in profiles/README.md
    for k in $(jq -r 'to_entries[] | select(.value | type == "object") | .key as $s | .value | keys[] | "\($s).\(.)"' "$here/profile-defaults.json"); do
      grep -q "\`$k\`" "$here/../profiles/README.md" || fail "profiles/README.md does not document $k"
    done
    ;;
  cli-mcpc-refresh-endpoint)
    # mcpc's refresh: the four metadata URLs in mcpc's order, the token endpoint of the first
    # that names one; none (issuer at /as) is a break at refresh that rests on
    # token.refresh_endpoint (recorded), with the client's own check; the same profile with
    # refresh_endpoint "login" refreshes there (the knob decides it)
    "$bin" run --profile mcpc-0.2.6 --refresh --no-server-suite --json "$tmp/o.json" >/dev/null 2>"$tmp/err" ||
      fail "origin issuer: exit $?: $(cat "$tmp/err")"
    got=$(jq -r '.profiles[0].steps[] | select(.id == "refresh") | .exchanges[] |
        select(.method == "GET" or (.url | endswith("/token"))) | "\(.method) \(.url | sub("^http://[^/]*"; ""))"' \
      "$tmp/o.json" | head -4 | tr '\n' ' ')
    want="GET /mcp/.well-known/oauth-authorization-server GET /mcp/.well-known/openid-configuration GET /.well-known/oauth-authorization-server POST /token "
    [ "$got" = "$want" ] || fail "refresh lookup: '$got', want '$want'"
    NO_COLOR=1 "$bin" run --profile mcpc-0.2.6 --refresh --no-server-suite --quirk issuer-path=/as \
      --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "issuer at /as: exit $?: $(cat "$tmp/err")"
    jq -e '.profiles[0] | .failed_at == "refresh" and .decided_by.knob == "token.refresh_endpoint" and
        .decided_by.evidence_kind == "recorded"' "$tmp/r.json" >/dev/null ||
      fail "issuer at /as: $(jq -c '.profiles[0] | {result, failed_at, decided_by}' "$tmp/r.json")"
    jq -e '[.profiles[0].steps[] | select(.id == "refresh") | .exchanges[] | select(.url | endswith("/token"))] == []' \
      "$tmp/r.json" >/dev/null || fail "issuer at /as: a refresh was sent"
    grep -q 'refresh.token-endpoint-found' "$tmp/out" || fail "console: $(grep -i refresh "$tmp/out" | head -3)"
    mkdir -p "$tmp/p"
    jq '.token.refresh_endpoint = "login"' "$here/../profiles/mcpc-0.2.6.json" >"$tmp/p/mcpc-login.json"
    "$bin" run --profile "$tmp/p/mcpc-login.json" --refresh --no-server-suite --quirk issuer-path=/as \
      --json "$tmp/m.json" >/dev/null 2>"$tmp/err" || fail "refresh_endpoint login, issuer at /as: exit $?: $(cat "$tmp/err")"
    ;;
  cli-dcr-basic-refused-retry)
    # token.basic_refused_retry_post (Auggie): a Basic code exchange refused 401
    # invalid_client is sent again with the secret in the body, the same code, and
    # connects; without the knob the client stops at token. Auggie with Basic as its
    # default (a test profile: Auggie itself sends a secret the answer does not name
    # in the body) against a token endpoint that takes the body only
    mkdir -p "$tmp/p"
    jq '.id = "auggie-basic" | .token.secret_auth_default = "client_secret_basic"' \
      "$here/../profiles/auggie-0.36.0.json" >"$tmp/p/auggie-basic.json"
    jq '.token.basic_refused_retry_post = false' "$tmp/p/auggie-basic.json" >"$tmp/p/auggie-basic-once.json"
    "$bin" run --profile "$tmp/p/auggie-basic.json" --quirk dcr-answer-no-method=post,no-none-auth \
      --no-server-suite --json "$tmp/r.json" >/dev/null 2>"$tmp/err" || fail "retry: exit $?: $(cat "$tmp/err")"
    got=$(jq -c '[.profiles[0].steps[] | select(.id == "token") | .exchanges[] |
        [.status, ((.request_headers // "") | test("authorization: basic"; "i")),
         ((.request_body // "") | test("client_secret="))]]' "$tmp/r.json")
    [ "$got" = '[[401,true,false],[200,false,true]]' ] || fail "token exchanges (status, Basic, secret in body): $got"
    # a refresh likewise (Auggie's _performRefresh()): the refused Basic, then the body
    "$bin" run --profile "$tmp/p/auggie-basic.json" --quirk dcr-answer-no-method=post,no-none-auth --refresh \
      --no-server-suite --json "$tmp/r.json" >/dev/null 2>"$tmp/err" || fail "refresh retry: exit $?: $(cat "$tmp/err")"
    got=$(jq -c '[.profiles[0].steps[] | select(.id == "refresh") | .exchanges[] | select(.url | endswith("/token")) |
        [.status, ((.request_headers // "") | test("authorization: basic"; "i"))]][0:2]' "$tmp/r.json")
    [ "$got" = '[[401,true],[200,false]]' ] || fail "refresh exchanges (status, Basic): $got"
    "$bin" run --profile "$tmp/p/auggie-basic-once.json" --quirk dcr-answer-no-method=post,no-none-auth \
      --no-server-suite --json "$tmp/r.json" >/dev/null 2>"$tmp/err"
    [ $? = 1 ] || fail "no retry: exit $?: $(cat "$tmp/err")"
    jq -e '.profiles[0].failed_at == "token" and ([.profiles[0].steps[] | select(.id == "token") | .exchanges[]] | length) == 1' \
      "$tmp/r.json" >/dev/null || fail "no retry: $(jq -c '.profiles[0] | {result, failed_at}' "$tmp/r.json")"
    # the break rests on the knob that chose Basic for a secret the answer named no method for
    jq -e '.profiles[0].decided_by | .knob == "token.secret_auth_default" and .evidence_kind == "source"' \
      "$tmp/r.json" >/dev/null || fail "no retry rests on: $(jq -c '.profiles[0].decided_by' "$tmp/r.json")"
    no_secrets "$tmp/r.json" "$tmp/err"
    # a token break with the method the answer named rests on token.auth, as before
    "$bin" run --profile spec-2025-11-25 --quirk dcr-public-confidential,no-none-auth \
      --no-server-suite --json "$tmp/r.json" >/dev/null 2>"$tmp/err"
    [ $? = 1 ] || fail "dcr-public-confidential: exit $?: $(cat "$tmp/err")"
    jq -e '.profiles[0] | .failed_at == "token" and .decided_by.knob == "token.auth"' "$tmp/r.json" >/dev/null ||
      fail "dcr-public-confidential rests on: $(jq -c '.profiles[0] | {failed_at, decided_by}' "$tmp/r.json")"
    ;;
  cli-auggie-static-secret)
    # a configured secret Auggie never sends: the break is the client's check, resting on
    # registration.static_auth (recorded), and no check of the authorization server fails;
    # with static_auth client_secret_post (what Auggie would use with a secret) it connects
    "$bin" run --profile auggie-0.36.0 --quirk no-dcr --client-id mcpcompat-confidential \
      --client-secret mcpcompat-fixture-confidential-secret --no-server-suite --json "$tmp/r.json" >/dev/null 2>"$tmp/err"
    [ $? = 1 ] || fail "exit $?: $(cat "$tmp/err")"
    jq -e '.profiles[0] | .decided_by.knob == "registration.static_auth" and .decided_by.evidence_kind == "recorded"
        and ([.steps[] | select(.id == "token") | .failed_check] == ["token.client-secret-sent"])' "$tmp/r.json" >/dev/null ||
      fail "$(jq -c '.profiles[0] | {failed_at, decided_by, token: [.steps[] | select(.id == "token") | .failed_check]}' "$tmp/r.json")"
    jq -e '[.profiles[0].steps[].checks[]? | select(.status == "fail" and .party != "client")] == []' "$tmp/r.json" >/dev/null ||
      fail "a server check failed: $(jq -c '[.profiles[0].steps[].checks[]? | select(.status == "fail")]' "$tmp/r.json")"
    jq -e '[.profiles[0].steps[] | select(.id == "token") | .exchanges[0] |
        ((.request_headers // "") | test("authorization:"; "i")) or ((.request_body // "") | test("client_secret"))] == [false]' \
      "$tmp/r.json" >/dev/null || fail "a secret was sent: $(jq -c '.profiles[0].steps[] | select(.id == "token") | .exchanges[0]' "$tmp/r.json")"
    mkdir -p "$tmp/p"
    jq '.registration.static_auth = "client_secret_post"' "$here/../profiles/auggie-0.36.0.json" >"$tmp/p/auggie-post.json"
    "$bin" run --profile "$tmp/p/auggie-post.json" --quirk no-dcr --client-id mcpcompat-confidential \
      --client-secret mcpcompat-fixture-confidential-secret --no-server-suite >/dev/null 2>"$tmp/err" ||
      fail "static_auth client_secret_post: exit $?: $(cat "$tmp/err")"
    ;;
  cli-issuer-provenance)
    # a break says which knob it rests on and the kind of that knob's evidence, in
    # the JSON, the console and the HTML report
    NO_COLOR=1 "$bin" run --profile mcp-remote-0.15.1,cursor-3.14,claude-code-2.1.332 \
      --quirk metadata-issuer=host --json "$tmp/r.json" --html "$tmp/r.html" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "exit $?: $(cat "$tmp/err")"
    jq -e '[.profiles[] | select(.id == "mcp-remote-0.15.1") | .decided_by |
        .knob == "discovery.check_issuer" and .evidence_kind == "recorded" and
        (.evidence | test("issuer-host"))] == [true]' "$tmp/r.json" >/dev/null ||
      fail "mcp-remote's break: $(jq -c '.profiles[0].decided_by' "$tmp/r.json")"
    jq -e '[.profiles[] | select(.id == "cursor-3.14") | .decided_by.evidence_kind] == ["assumed"]' \
      "$tmp/r.json" >/dev/null || fail "cursor's break rests on an assumption: $(jq -c '.profiles[] | .decided_by' "$tmp/r.json")"
    jq -e '[.profiles[] | select(.id == "claude-code-2.1.332") | .result] == ["pass"]' "$tmp/r.json" >/dev/null ||
      fail "claude code compares no metadata issuer"
    grep -q '  rests on: discovery.check_issuer, recorded evidence: traces/mcp-remote-0.15.1-issuer-host' "$tmp/out" ||
      fail "console: $(grep 'rests on' "$tmp/out")"
    grep -q 'Rests on discovery.check_issuer (assumed evidence)' "$tmp/r.html" || fail "the HTML report does not say it"
    ;;
  cli-profile-sets)
    # run without --profile: the newest profile of each real client, no reference client, no older era
    "$bin" run --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err" || fail "run: exit $?: $(cat "$tmp/err")"
    ids=$(jq -r '[.profiles[].id] | join(" ")' "$tmp/r.json")
    for want in claude-code-2.1.332 claude-desktop-2026-09 codex-0.171.0 cursor-3.14 sdk-client-2.4.0 vscode-1.139 antigravity-cli-1.0.10 kiro-cli-2.12.0 windsurf-2026 amazon-quick-2026; do
      grep -qw -- "$want" <<<"$ids" || fail "the default set lacks $want: $ids"
    done
    for older in codex-0.169.0 claude-code-2025 claude-desktop-2026 cursor-2025 vscode-1.101 vscode-1.122 copilot-cli-1.0.87 spec-2025-11-25 gemini-enterprise-2026; do
      [[ " $ids " == *" $older "* ]] && fail "the default set has $older: $ids"
    done
    "$bin" run --profile reference --json "$tmp/r.json" >/dev/null 2>"$tmp/err" || fail "--profile reference: $(cat "$tmp/err")"
    [ "$(jq -r '[.profiles[].id] | join(" ")' "$tmp/r.json")" = "spec-2025-03-26 spec-2025-06-18 spec-2025-11-25 spec-2026-07-28" ] ||
      fail "--profile reference: $(jq -c '[.profiles[].id]' "$tmp/r.json")"
    # the listing: release, set, evidence kinds; the sets named
    "$bin" profiles >"$tmp/out" || fail "profiles: exit $?"
    grep -Eq '^codex-0\.169\.0 +OpenAI Codex CLI +0\.169\.0 +2026-11 +- ' "$tmp/out" || fail "listing: $(head -8 "$tmp/out")"
    grep -Eq '^codex-0\.171\.0 .* 2026-11 +current +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$' "$tmp/out" || fail "listing: $(grep codex "$tmp/out")"
    grep -q '^sets (--profile SET): current, the newest of each real client' "$tmp/out" || fail "no sets: $(tail -3 "$tmp/out")"
    # columns sized to their content: nothing cut, every row as wide as the header
    grep -Eq '^chatgpt-2026 +ChatGPT connectors / apps +2026 \(hosted\) ' "$tmp/out" || fail "a version cut: $(grep chatgpt "$tmp/out")"
    [ "$(sed -n '/^ID /,/^$/p' "$tmp/out" | sed '/^$/d' | awk '{print length}' | sort -u | wc -l)" = 1 ] ||
      fail "misaligned rows: $(head -4 "$tmp/out")"
    "$bin" profiles codex-0.171.0 >"$tmp/out" || fail "profiles codex: exit $?"
    grep -q '^issuer handling: metadata issuer (RFC 8414 §3.3) compared (a trailing / ignored on either side); iss (RFC 9207) checked when present, required when advertised$' "$tmp/out" ||
      fail "issuer handling: $(head -5 "$tmp/out")"
    grep -Eq '^released 2026-11; set: current; evidence: [0-9]+ recorded, [0-9]+ source, 0 doc, 0 issue, 0 assumed$' "$tmp/out" ||
      fail "kinds: $(head -4 "$tmp/out")"
    ;;
  cli-profiles-show)
    "$bin" profiles >"$tmp/out" || fail "profiles: exit $?"
    [ "$(grep -c '^[a-z]' "$tmp/out")" -ge 16 ] || fail "profiles lists too few: $(cat "$tmp/out")"
    "$bin" profiles mcp-remote >"$tmp/out" || fail "profiles mcp-remote: exit $?"
    grep -q '^mcp-remote-0.15.1: mcp-remote 0.15.1' "$tmp/out" && grep -q 'port_policy  *"hash"' "$tmp/out" &&
      grep -q 'evidence (recorded): 3335 + md5' "$tmp/out" || fail "profiles mcp-remote: $(head -20 "$tmp/out")"
    "$bin" profiles nobody >/dev/null 2>&1
    [ $? = 2 ] || fail "an unknown profile must be a usage error"
    ;;
  cli-secrets-verbose)
    "$bin" run -v --profile spec-2025-11-25 --quirk login=form --client-id mcpcompat-confidential \
      --client-secret mcpcompat-fixture-confidential-secret --json "$tmp/r.json" \
      --junit "$tmp/r.xml" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || fail "exit $rc"
    grep -q 'Authorization: Bearer at-' "$tmp/err" || fail "-v printed no transcript"
    no_secrets "$tmp/out" "$tmp/err" "$tmp/r.json" "$tmp/r.xml"
    # the check itself finds whole secrets, and only those
    for leak in 'Authorization: Bearer at-abcdefghijklmnopqrstuvwxyz0123' '&code=Zr8xQ2pL9vT4' \
                '{"refresh_token":"opaque-refresh-value"}' 'password=hunter2hunter2' \
                'Set-Cookie: s=sess-abcdefghijklmnopqrstuvwx' 'mcpcompat-demo-password'; do
      printf '%s\n' "$leak" >"$tmp/planted"
      leaks --fixture "$tmp/planted" >/dev/null || fail "the secret check misses: $leak"
    done
    printf '%s\n' 'Authorization: Bearer at-x…' 'code=code\u2026' 'code_challenge=at-abcdefghijklmnopqrstuvwxyz01234' \
      'state=cs-abcdefghijklmnopqrstuvwxyz' '"error":{"code":-32601}' 'grant_type=authorization_code&code=OWue…' \
      'WWW-Authenticate: Bearer resource_metadata="http://x"' '"client_secret_basic"' >"$tmp/planted"
    leaks --fixture "$tmp/planted" >"$tmp/leak" && fail "the secret check flags redacted or random values: $(cat "$tmp/leak")"
    ;;
  cli-html-demo)
    # the demo's HTML report in headless Chromium: six clients, three broken at the
    # seed's steps, a diagram each with the failing arrow marked; no console
    # message, no request, no secret. The screenshot is left in the build directory
    # (or $MCPCOMPAT_ARTIFACTS) as html-demo.png.
    . "$here/html.sh"
    "$bin" demo --html "$tmp/d.html" --json "$tmp/d.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || fail "demo exit $rc: $(cat "$tmp/err")"
    no_secrets "$tmp/d.html"
    render_html "$tmp/d.html" "$tmp/page" >"$tmp/why" || fail "$(cat "$tmp/why")"
    cp "$tmp/page/shot.png" "${MCPCOMPAT_ARTIFACTS:-.}/html-demo.png" 2>/dev/null
    page_problems "$tmp/page" >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the page: $(head -5 "$tmp/problems")"
    [ "$(dom "$tmp/page" 'count(//tr[contains(@class,"client-row")])')" = 6 ] || fail "not six client rows"
    [ "$(dom "$tmp/page" 'count(//tr[@data-result="broke"])')" = 3 ] || fail "not three broken rows"
    [ "$(dom "$tmp/page" 'count(//section[@data-profile]//div[contains(@class,"seq")])')" = 6 ] ||
      fail "not one diagram per client"
    for want in claude-desktop-2026= mcp-inspector-2.12.0= vscode-1.101=authorization \
                cursor-2025=registration claude-code-2025=registration mcp-remote-0.15.1=; do
      id=${want%%=*} step=${want#*=}
      got=$(dom "$tmp/page" "string(//tr[@data-profile='$id']/@data-failed-at)")
      [ "$got" = "$step" ] || fail "$id's row says broke at '$got', want '$step'"
      marks=$(dom "$tmp/page" "count(//section[@data-profile='$id']//*[@data-failing='1'])")
      if [ -n "$step" ]; then
        [ "$marks" = 1 ] && [ "$(dom "$tmp/page" "string(//section[@data-profile='$id']//*[@data-failing='1']/@data-step)")" = "$step" ] ||
          fail "$id: the failing arrow is not marked at $step ($marks marks)"
        [ "$(dom "$tmp/page" "string(//section[@data-profile='$id']//div[@data-step='$step']/@class)")" = "band fail" ] ||
          fail "$id: step $step is not marked broken in the diagram"
      else
        [ "$marks" = 0 ] || fail "$id passed but has a failing arrow"
      fi
      # one arrow per recorded exchange, each with its method and status
      want_n=$(jq --arg id "$id" '[.profiles[] | select(.id == $id) | .steps[].exchanges[]] | length' "$tmp/d.json")
      got_n=$(dom "$tmp/page" "count(//section[@data-profile='$id']//details[contains(@class,'msg')])")
      [ "$got_n" = "$want_n" ] || fail "$id: $got_n arrows for $want_n exchanges"
    done
    # VS Code's failing arrow is its refused authorization request, its body behind a click
    [ "$(dom "$tmp/page" "string(//section[@data-profile='vscode-1.101']//details[@data-failing='1']//span[contains(@class,'code')])")" = 400 ] ||
      fail "VS Code's failing arrow is not the 400"
    dom "$tmp/page" "string(//section[@data-profile='vscode-1.101']//details[@data-failing='1']/div[@class='ex'])" |
      grep -q 'Invalid redirect_uri' || fail "VS Code's failing exchange does not show the response body"
    "$bin" demo --html "$tmp/no/such/dir/d.html" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^mcpcompat: --html .*: cannot write' "$tmp/err" ||
      fail "an unwritable --html: exit $rc, $(cat "$tmp/err")"
    ;;
  cli-html-matrix)
    # matrix and --spec all as HTML: every broken cell links to its reason
    . "$here/html.sh"
    "$bin" matrix --html "$tmp/m.html" --json "$tmp/m.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || [ $rc = 1 ] || fail "matrix exit $rc: $(cat "$tmp/err")"
    render_html "$tmp/m.html" "$tmp/m" >"$tmp/why" || fail "$(cat "$tmp/why")"
    page_problems "$tmp/m" >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the matrix page: $(head -5 "$tmp/problems")"
    broke=$(jq '[.policies[].profiles[] | select(.result == "broke")] | length' "$tmp/m.json")
    [ "$broke" -gt 0 ] || fail "the matrix has no broken cell to link"
    [ "$(dom "$tmp/m" 'count(//table[@class="heat"]//a[@class="broke"])')" = "$broke" ] ||
      fail "not $broke broken cells"
    [ "$(dom "$tmp/m" 'count(//table[@class="heat"]//tr[@data-profile])')" = "$(jq '.policies[0].profiles | length' "$tmp/m.json")" ] ||
      fail "not one row per client"
    for href in $(dom "$tmp/m" '//table[@class="heat"]//a[@class="broke"]/@href' | sed -E 's/ href="#([^"]*)"/\1\n/g'); do
      [ "$(dom "$tmp/m" "count(//*[@id='$href']//dd)")" -ge 2 ] || fail "cell link #$href leads to no reason"
    done
    no_secrets "$tmp/m.html"
    "$bin" run --spec all --html "$tmp/s.html" --json "$tmp/s.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || [ $rc = 1 ] || fail "--spec all exit $rc: $(cat "$tmp/err")"
    render_html "$tmp/s.html" "$tmp/s" >"$tmp/why" || fail "$(cat "$tmp/why")"
    page_problems "$tmp/s" >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the --spec all page: $(head -5 "$tmp/problems")"
    [ "$(dom "$tmp/s" 'count(//table[@class="compare"]//th)')" = 5 ] || fail "no side-by-side table of 4 revisions"
    [ "$(dom "$tmp/s" 'count(//section[@data-profile]//div[contains(@class,"seq")])')" = 4 ] ||
      fail "not one diagram per revision's reference client"
    want_n=$(jq '.server.exchanges | length' "$tmp/s.json")
    [ "$want_n" -gt 0 ] && [ "$(dom "$tmp/s" "count(//section[starts-with(@id,'server-')]//details[contains(@class,'msg')])")" = "$want_n" ] ||
      fail "not one arrow per server-suite exchange ($want_n)"
    no_secrets "$tmp/s.html"
    ;;
  cli-verdict)
    # One verdict (issue 20): the console's last line, the HTML header, the
    # Markdown's first line, the JSON's verdict and the JUnit totals agree
    # with each other and with the exit code, for the demo (expected breaks),
    # a failing server suite, --spec all, a missing expected break and
    # --fail-on; every server-suite check is run or listed as not run.
    agree() { # label, want-exit, then mcpcompat arguments
      local label=$1 want=$2; shift 2
      NO_COLOR=1 "$bin" "$@" --junit "$tmp/v.xml" --json "$tmp/v.json" --html "$tmp/v.html" \
        --markdown "$tmp/v.md" >"$tmp/out" 2>"$tmp/err"
      local rc=$?
      [ $rc = "$want" ] || fail "$label: exit $rc, want $want: $(tail -3 "$tmp/out") $(cat "$tmp/err")"
      validate_junit "$tmp/v.xml"
      local line
      line=$(jq -r .verdict.summary "$tmp/v.json")
      [ "$(jq -r .verdict.exit_code "$tmp/v.json")" = $rc ] || fail "$label: JSON exit_code $(jq .verdict.exit_code "$tmp/v.json"), exit $rc"
      case $rc in 0) [[ $line == "PASS (exit 0): "* ]] ;; 1) [[ $line == "FAIL (exit 1): "* ]] ;; *) false ;; esac ||
        fail "$label: the verdict line says \"$line\" for exit $rc"
      [ "$(grep . "$tmp/out" | tail -1)" = "$line" ] || fail "$label: the console ends \"$(tail -1 "$tmp/out")\", JSON says \"$line\""
      [ "$(xmllint --html --xpath 'string(//header/div[@class="verdict"])' "$tmp/v.html" 2>/dev/null)" = "$line" ] ||
        fail "$label: the HTML header does not say \"$line\""
      [ "$(xmllint --html --xpath 'string(//header/@data-exit-code)' "$tmp/v.html" 2>/dev/null)" = $rc ] ||
        fail "$label: the HTML header's exit code differs"
      [ "$(head -1 "$tmp/v.md" | sed -E 's/^[^*]*\*\*//; s/\*\*//; s/\\//g')" = "$line" ] ||
        fail "$label: the Markdown starts \"$(head -1 "$tmp/v.md")\", JSON says \"$line\""
      local jf je
      jf=$(xmllint --xpath 'string(/testsuites/@failures)' "$tmp/v.xml")
      je=$(xmllint --xpath 'string(/testsuites/@errors)' "$tmp/v.xml")
      [ "$je" = 0 ] && { { [ $rc = 0 ] && [ "$jf" = 0 ]; } || { [ $rc = 1 ] && [ "$jf" -gt 0 ]; }; } ||
        fail "$label: JUnit has $jf failures, $je errors for exit $rc"
      [ "$(xmllint --xpath 'count(//testcase/failure)' "$tmp/v.xml")" = "$jf" ] || fail "$label: JUnit totals and cases differ"
      # the counts the line gives are the JSON's
      jq -e '.verdict as $v | ($v.clients.total == (.profiles | length))
             and ($v.clients.connects == ([.profiles[] | select(.verdict == "connects")] | length))
             and ($v.server.checks_ran == ([.server.checks[] | "\(.id) \(.spec_revision)"] | unique | length))
             and ($v.server.not_run == (.server.not_run | length))
             and ($v.server.checks == $v.server.checks_ran + $v.server.not_run)' "$tmp/v.json" >/dev/null ||
        fail "$label: the JSON's verdict counts differ from its lists: $(jq -c .verdict "$tmp/v.json")"
      grep -Fq "$(jq -r '.verdict.server | if .ran then "\(.checks_ran) of \(.checks) checks ran" else "no server suite" end' "$tmp/v.json")" <<<"$line" ||
        fail "$label: the line does not say how many checks ran"
    }
    agree demo 0 demo
    [ "$(xmllint --xpath 'string(/testsuites/@failures)' "$tmp/v.xml")" = 0 ] || fail "demo: JUnit failures"
    [ "$(xmllint --xpath 'count(//property[@name="verdict"][@value="breaks-as-expected"])' "$tmp/v.xml")" = 3 ] ||
      fail "demo: not three breaks as expected in the JUnit properties"
    [ "$(xmllint --xpath 'count(//testcase/system-out[starts-with(., "BROKE as expected at ")])' "$tmp/v.xml")" = 3 ] ||
      fail "demo: the expected breaks are not visible in their testcases"
    grep -q '3 broke as expected' <<<"$(jq -r .verdict.summary "$tmp/v.json")" || fail "demo: $(jq -r .verdict.summary "$tmp/v.json")"
    # one remedy a finding: Cursor's break gives its remedy once in each report (the
    # scoreboard's details and the findings once gave two)
    for f in out v.json v.xml v.html v.md; do
      n=$(grep -o 'Put an OAuth proxy that speaks DCR in front' "$tmp/$f" | wc -l)
      [ "$n" = 1 ] || fail "demo: Cursor's remedy $n times in $f, want once"
    done
    # a failing server suite: every check for the revision is run or not run, with why
    agree bad-token 1 run --profile spec-2025-11-25 --quirk bad-token-500
    want=$("$bin" checks --spec 2025-11-25 | awk '$3 == "server"' | wc -l)
    [ "$(jq .verdict.server.checks "$tmp/v.json")" = "$want" ] || fail "bad-token: $(jq .verdict.server.checks "$tmp/v.json") server checks, the catalogue has $want"
    jq -e '.server.not_run | map(select(.id == "server.invalid-token-challenge" and (.reason | test("answered 500")))) | length == 1' "$tmp/v.json" >/dev/null ||
      fail "bad-token: the challenge check is not listed as not run with why: $(jq -c .server.not_run "$tmp/v.json")"
    grep -q '^  server.invalid-token-challenge: the garbage token was answered 500' "$tmp/out" || fail "bad-token: the console does not list what did not run"
    [ "$(xmllint --xpath 'count(//testsuite[@name="server"]/testcase/skipped[starts-with(@message, "not run: ")])' "$tmp/v.xml")" = "$(jq '.server.not_run | length' "$tmp/v.json")" ] ||
      fail "bad-token: JUnit does not list the checks not run"
    # the same, gated on client breaks only; then also on checks that did not run
    agree fail-on-break 0 run --profile spec-2025-11-25 --quirk bad-token-500 --fail-on break
    grep -q '1 MUST failed' <<<"$(jq -r .verdict.summary "$tmp/v.json")" || fail "--fail-on break hides the MUST failure"
    agree fail-on-not-run 1 run --profile spec-2025-11-25 --fail-on break,not-run
    # the default fixture does not answer 2026-07-28's header mismatch: that suite fails
    agree spec-all 1 run --spec all
    grep -q 'server.header-mismatch' "$tmp/out" && grep -q '4 of 4 clients connect' "$tmp/out" || fail "spec-all: $(tail -3 "$tmp/out")"
    agree spec-all-clients 0 run --spec all --fail-on break
    # an expected break that did not happen fails, where it was expected
    printf '{"id": "v", "target": {"fixture": {}}, "profiles": ["spec-2025-11-25"], "fail_on": ["break"],\n "expect": {"spec-2025-11-25": "broke:registration"}}\n' >"$tmp/s.json"
    agree missing-break 1 run --scenario "$tmp/s.json"
    [ "$(xmllint --xpath 'string(//testcase[@name="registration"]/failure/@type)' "$tmp/v.xml")" = expectation ] ||
      fail "missing-break: no expectation failure on the registration testcase"
    "$bin" run --fail-on breaks >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -q '^mcpcompat: --fail-on: unknown "breaks"' "$tmp/err" || fail "--fail-on breaks: $(cat "$tmp/err")"
    ;;
  cli-html-small-dark)
    # The HTML report on a phone (360 px) and in a dark theme: the page
    # never scrolls sideways, no text is below WCAG AA contrast; a passing
    # client's diagram draws nothing red (the GET stream may be 405 or stay open)
    . "$here/html.sh"
    "$bin" demo --html "$tmp/d.html" >/dev/null 2>"$tmp/err" || fail "demo: $(cat "$tmp/err")"
    "$bin" run --profile spec-2025-11-25,cursor --quirk bad-token-500 --html "$tmp/b.html" >/dev/null 2>"$tmp/err"
    [ $? = 1 ] || fail "bad-token run: $(cat "$tmp/err")"
    "$bin" matrix --profile spec-2025-11-25,vscode-1.122,cursor-3.14 --html "$tmp/m.html" >/dev/null 2>"$tmp/err"
    for f in d b m; do
      for mode in light dark; do
        for width in 360 1280; do
          layout_problems "$tmp/$f.html" "$tmp/l-$f-$mode-$width" $width "${mode#light}" >"$tmp/problems"
          [ -s "$tmp/problems" ] && fail "$f.html at $width px, $mode: $(head -6 "$tmp/problems")"
        done
      done
    done
    [ "$(xmllint --html --xpath 'count(//section[@data-result="pass"]//span[contains(@class,"code err")])' "$tmp/b.html" 2>/dev/null)" = 0 ] ||
      fail "a passing client's diagram has a red exchange"
    ;;
  cli-matrix-outputs)
    # The matrix (issue 20): a total per column ("clients that connect") in the console, HTML
    # and Markdown, agreeing with the JSON; a legend naming every short step (mcp included);
    # HTML columns headed by the policy or product, not numbers; personas are "authorization
    # servers" in every output; the full matrix readable at 360 px.
    . "$here/html.sh"
    "$bin" matrix --json "$tmp/m.json" --html "$tmp/m.html" --markdown "$tmp/m.md" >"$tmp/out" 2>"$tmp/err" ||
      fail "matrix: $(cat "$tmp/err")"
    totals=$(jq -r '[.policies[] | "\([.profiles[] | select(.result == "pass")] | length)/\(.profiles | length)"] | join(" ")' "$tmp/m.json")
    [ "$(grep '^Clients that connect' "$tmp/out" | sed 's/^Clients that connect *//; s/  */ /g')" = "$totals" ] ||
      fail "console totals: $(grep '^Clients that connect' "$tmp/out"), JSON: $totals"
    [ "$(grep '^| \*\*Clients that connect\*\* |' "$tmp/m.md" | sed 's/^| \*\*Clients that connect\*\* | //; s/ |$//; s/ | / /g')" = "$totals" ] ||
      fail "Markdown totals: $(grep 'Clients that connect' "$tmp/m.md"), JSON: $totals"
    [ "$(xmllint --html --xpath '//table[@class="heat"]//tr[@class="totals"]/td/text()' "$tmp/m.html" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')" = "$totals" ] ||
      fail "HTML totals differ from the JSON's $totals"
    legend=$(tr '\n' ' ' <"$tmp/out")
    for st in "probe:" "prm:" "asm:" "reg:" "authz:" "token:" "mcp:" "refr:"; do
      [[ $legend == *" $st "* || $legend == *"($st "* ]] || fail "the console legend lacks $st"
    done
    heads=$(xmllint --html --xpath '//table[@class="heat"]//th[@class="pol"]/a/text()' "$tmp/m.html" 2>/dev/null)
    [ "$(echo "$heads" | wc -l)" = "$(jq '.policies | length' "$tmp/m.json")" ] &&
      [ "$(echo "$heads" | head -1)" = "(defaults)" ] && echo "$heads" | grep -qx 'strict-redirect' &&
      ! echo "$heads" | grep -qx '[0-9]*' || fail "HTML matrix columns: $heads"
    layout_problems "$tmp/m.html" "$tmp/l" 360 >"$tmp/problems"
    [ -s "$tmp/problems" ] && fail "the matrix at 360 px: $(head -6 "$tmp/problems")"
    "$bin" matrix --as better-auth-1.8,auth0-2026 --profile claude-code,cursor --html "$tmp/a.html" \
      --markdown "$tmp/a.md" >"$tmp/out" 2>"$tmp/err" || fail "matrix --as: $(cat "$tmp/err")"
    for f in out a.html a.md; do
      grep -q 'authorization servers' "$tmp/$f" && ! grep -q 'server policies' "$tmp/$f" ||
        fail "$f does not call personas authorization servers"
    done
    xmllint --html --xpath '//table[@class="heat"]//th[@class="pol"]/a/text()' "$tmp/a.html" 2>/dev/null |
      grep -qx 'better-auth-1.8' || fail "HTML matrix columns are not headed by the persona"
    ;;
  cli-scoreboard)
    # The default scoreboard (issue 20): today's clients only (no reference or seed-era
    # profile), broken first in every report, a finding met by every client "seen by: all N
    # clients", the Markdown's details folded, references as links; names never repeat their
    # version.
    . "$here/html.sh"
    NO_COLOR=1 "$bin" run --quirk metadata-nulls,dcr-require-scope --json "$tmp/s.json" --markdown "$tmp/s.md" \
      --html "$tmp/s.html" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "run: $(cat "$tmp/err")"
    jq -e '[.profiles[].id | select(test("^spec-|-2025$"))] | length == 0' "$tmp/s.json" >/dev/null ||
      fail "the default set has reference or seed-era profiles: $(jq -c '[.profiles[].id]' "$tmp/s.json")"
    n=$(jq '.profiles | length' "$tmp/s.json")
    jq -e '[.profiles[].result] | (index("pass") != null) and (index("broke") != null)' "$tmp/s.json" >/dev/null ||
      fail "the case needs broken and passing clients"
    # broken first: no BROKE row after a PASS row (console, Markdown, HTML)
    sed -n '/^---/,/^Server suite/p' "$tmp/out" | grep -v '^Server suite' | grep -oE ' (BROKE|PASS\*?) ' | tr -d ' *' >"$tmp/c-order"
    grep -E '^\| [^|]+ \| `' "$tmp/s.md" | grep -oE '(BROKE|PASS)' >"$tmp/m-order"
    xmllint --html --xpath '//table[contains(@class,"scoreboard")]//tr[@data-result]/@data-result' "$tmp/s.html" 2>/dev/null |
      sed -E 's/ data-result="([a-z-]*)"/\1\n/g' | grep . | tr a-z A-Z >"$tmp/h-order"
    for f in c m h; do
      [ "$(wc -l <"$tmp/$f-order")" = "$n" ] || fail "$f: not $n rows: $(cat "$tmp/$f-order" | tr '\n' ' ')"
      sed -n '/PASS/,$p' "$tmp/$f-order" | grep -q BROKE && fail "$f: a broken client after a passing one"
    done
    # the finding every client met
    all=$(jq '[.profiles[] | select([.steps[].checks[] | select(.id == "asm.no-null-fields" and .status == "warn")] | length > 0)] | length' "$tmp/s.json")
    [ "$all" = "$n" ] || fail "asm.no-null-fields met by $all of $n"
    grep -q "^        seen by:  all $n clients\$" "$tmp/out" || fail "console: no \"seen by: all $n clients\""
    grep -q "^  - seen by: all $n clients\$" "$tmp/s.md" || fail "Markdown: no \"seen by: all $n clients\""
    # the Markdown: findings folded, what is shown short enough for a PR comment
    grep -q '^<details><summary>Findings' "$tmp/s.md" || fail "Markdown: findings not folded"
    shown=$(awk '/<details>/{d=1} !d{n++} /<\/details>/{d=0} END{print n}' "$tmp/s.md")
    [ "$shown" -le $((n + 30)) ] || fail "Markdown: $shown lines shown outside <details>"
    # references as links to their RFC or spec section
    [ "$(xmllint --html --xpath 'count(//dd[contains(@class,"refs")]//a[@rel="noreferrer"][starts-with(@href,"https://")])' "$tmp/s.html" 2>/dev/null)" -gt 0 ] ||
      fail "HTML: references are not links"
    # a name that holds its version is not followed by it again
    NO_COLOR=1 "$bin" run --profile reference --json "$tmp/r.json" --markdown "$tmp/r.md" --html "$tmp/r.html" >"$tmp/out" 2>"$tmp/err" ||
      fail "reference: $(cat "$tmp/err")"
    for f in out r.md r.html; do
      grep -qE 'Reference client \(MCP (20[0-9-]+)\) \1' "$tmp/$f" && fail "$f repeats a version: $(grep -m1 -oE 'Reference client \(MCP [0-9-]+\) [0-9-]+' "$tmp/$f")"
      grep -q 'Reference client (MCP 2025-11-25)' "$tmp/$f" || fail "$f: no reference client row"
    done
    ;;
  cli-persona-stack)
    # With --as, the authorization server is the persona's product (issue 20): the reports say
    # so, and a break's remedy is the product's setting, once in each report; a persona that is
    # no known stack leaves the stack unnamed.
    NO_COLOR=1 "$bin" run --as fastmcp-oauth-proxy-3.4 --profile chatgpt-2026,claude-code --no-server-suite \
      --json "$tmp/r.json" --junit "$tmp/r.xml" --html "$tmp/r.html" --markdown "$tmp/r.md" >"$tmp/out" 2>"$tmp/err"
    [ $? = 1 ] || fail "run --as: $(cat "$tmp/err")"
    jq -e '.stacks.authorization_server.id == "fastmcp-python" and (.stacks.authorization_server.why | test("--as")) and
           (.stacks | has("mcp_server") | not)' "$tmp/r.json" >/dev/null || fail "stacks: $(jq -c .stacks "$tmp/r.json")"
    grep -q '^  authorization server: FastMCP OAuthProxy (Python), because the embedded fixture plays the persona fastmcp-oauth-proxy-3.4' "$tmp/out" ||
      fail "the console does not name the stack: $(grep -A2 '^Stack' "$tmp/out")"
    for f in out r.json r.xml r.html r.md; do
      # (the Markdown escapes _)
      n=$(grep -oE 'allowed\\?_client\\?_redirect\\?_uris' "$tmp/$f" | wc -l)
      [ "$n" = 1 ] || fail "$f: the persona's remedy $n times, want once"
    done
    "$bin" run --as auth0-2026 --profile claude-code --no-server-suite --json "$tmp/a.json" >/dev/null 2>&1
    jq -e '.stacks == {}' "$tmp/a.json" >/dev/null || fail "auth0 named a stack: $(jq -c .stacks "$tmp/a.json")"
    ;;
  cli-help-suggest)
    # each command's own --help (its options and examples); misspellings named
    "$bin" run --help >"$tmp/run" && "$bin" matrix --help >"$tmp/matrix" && "$bin" help run >"$tmp/help-run" ||
      fail "--help exit"
    cmp -s "$tmp/run" "$tmp/matrix" && fail "run --help is matrix --help"
    cmp -s "$tmp/run" "$tmp/help-run" || fail "help run differs from run --help"
    grep -q '^usage: mcpcompat run \[URL\] \[options\]' "$tmp/run" && grep -q '^examples:' "$tmp/run" &&
      grep -q '^  --fail-on ' "$tmp/run" && ! grep -q '^  --port ' "$tmp/run" || fail "run --help: $(head -5 "$tmp/run")"
    grep -q '^  --junit ' "$tmp/matrix" && ! grep -q '^  --scenario ' "$tmp/matrix" || fail "matrix --help lists run's options"
    awk 'length > 80' "$tmp/run" "$tmp/matrix" | grep -q . && fail "lines wider than 80 columns in --help"
    # serve --help's personas: every product starts in one column, long ids included
    [ "$("$bin" serve --help | sed -n '/^personas/,$p' | grep -E '^  [a-z]' |
         awk '{match($0, /^  [^ ]+ +/); print RLENGTH}' | sort -u | wc -l)" = 1 ] ||
      fail "serve --help: the persona list is misaligned"
    "$bin" --help | grep -q '^  --scenario' && fail "the global --help lists run's options"
    for args in "run --profile vscod:did you mean vscode" \
                "run --profile claude:claude-code (Claude Code), claude-desktop (Claude Desktop" \
                "run --profle x:unknown option \"--profle\": did you mean --profile?" \
                "run --prof x:ambiguous option \"--prof\": did you mean --profile, --profiles-dir?" \
                "frobnicat:unknown command \"frobnicat\"" "srve:unknown command \"srve\": did you mean serve" \
                "run --quirk no-dcrr:unknown quirk: did you mean no-dcr?" \
                "run --as keycloack:did you mean Keycloak?" \
                "run --spec 2025-11-52:unknown revision: did you mean 2025-11-25?" \
                "run --spec al:did you mean all?" "checks --spec 2026:did you mean 2026-07-28?" \
                "matrix --scenario x:--scenario does not apply to \`matrix\`"; do
      # shellcheck disable=SC2086
      "$bin" ${args%%:*} >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qF -- "${args#*:}" "$tmp/err" ||
        fail "'${args%%:*}': exit $rc: $(cat "$tmp/err")"
    done
    # the displayed name, a unique prefix of a command or an option
    "$bin" profiles "VS Code (Copilot) 1.101" | head -1 | grep -q '^vscode-1.101:' || fail "the displayed name is refused"
    "$bin" profiles "claude code" | head -1 | grep -q '^claude-code-2.1.332:' || fail "the client's name is refused"
    # an id without its version is that family's newest, not a longer family's (vscode-remote)
    "$bin" profiles vscode | head -1 | grep -q '^vscode-[0-9][0-9.]*: VS Code (Copilot)' || fail "vscode: $("$bin" profiles vscode | head -1)"
    "$bin" personas Keycloak | head -1 | grep -q '^keycloak-' || fail "the product's name is refused"
    "$bin" pers | grep -q '^keycloak-26.2 ' || fail "a unique prefix of a command is refused"
    "$bin" checks --spe 2025-11-25 | head -1 | grep -q '^ID ' || fail "a unique prefix of an option is refused"
    ;;
  cli-progress)
    # on a terminal, a run over a second tells each client as it finishes;
    # nothing extra with -q or off a terminal
    args="run --profile spec-2025-11-25,codex-0.169.0 --quirk token-ttl=2 --no-server-suite"
    # shellcheck disable=SC2086
    script -qec "$bin $args" /dev/null >"$tmp/tty" 2>&1 || fail "on a terminal: $(tail -3 "$tmp/tty")"
    [ "$(grep -cE '^mcpcompat: \[[12]/2\] .*: PASS \([0-9]+\.[0-9] s\)' "$tmp/tty")" = 2 ] ||
      fail "no progress line per client: $(head -5 "$tmp/tty")"
    grep -q '^mcpcompat: \[1/2\] Reference client (MCP 2025-11-25): PASS\|^mcpcompat: \[2/2\] Reference client (MCP 2025-11-25): PASS' "$tmp/tty" ||
      fail "the name repeats its version: $(grep '\[./2\]' "$tmp/tty")"
    # shellcheck disable=SC2086
    script -qec "$bin $args -q" /dev/null >"$tmp/tty" 2>&1 || fail "-q: $(tail -3 "$tmp/tty")"
    grep -q '\[1/2\]' "$tmp/tty" && fail "-q still shows progress"
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/out" 2>"$tmp/err" || fail "off a terminal: exit $?"
    [ -s "$tmp/err" ] && fail "off a terminal, stderr: $(cat "$tmp/err")"
    ;;
  cli-error-causes)
    # errors that name their cause: https to a plain-HTTP port; no data folder
    "$bin" serve >"$tmp/url" 2>/dev/null &
    pid=$!
    for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
    url=$(head -1 "$tmp/url")
    "$bin" run "${url/http:/https:}" --profile spec-2025-11-25 >"$tmp/out" 2>"$tmp/err"
    rc=$?
    kill $pid; wait $pid
    [ $rc = 3 ] && grep -q 'answers plain HTTP, not TLS.*: is the URL http://' "$tmp/err" ||
      fail "https to a plain port: exit $rc: $(cat "$tmp/err")"
    MCPCOMPAT_PROFILES=$tmp/none "$bin" run >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'cannot open the profiles folder: name one with --profiles-dir DIR or MCPCOMPAT_PROFILES' "$tmp/err" ||
      fail "no profiles folder: exit $rc: $(cat "$tmp/err")"
    ;;
  cli-markdown)
    # the Markdown report has the JSON report's rows and verdicts, escapes
    # what a profile or a target controls, and shows no secret
    md_rows() { # profile|result|failed_at of each table row, from the Markdown
      awk -F'|' '/^\| / && !/^\| (Client|---|Server suite) / {
        gsub(/\\\|/, "P"); split($0, c, "|"); for (i in c) gsub(/^ +| +$|`/, "", c[i])
        r = c[4] ~ /BROKE/ ? "broke" : c[4] ~ /PASS/ ? "pass" : "?"; print c[3] "|" r "|" c[5] }' "$1" | sort
    }
    json_rows() { jq -r '.profiles[] | "\(.id)|\(.result)|\(.failed_at // "")"' "$1" | sort; }
    "$bin" demo --markdown "$tmp/d.md" --json "$tmp/d.json" >"$tmp/out" 2>"$tmp/err" ||
      fail "demo exit $?: $(cat "$tmp/err")"
    [ "$(md_rows "$tmp/d.md")" = "$(json_rows "$tmp/d.json")" ] && [ "$(md_rows "$tmp/d.md" | wc -l)" = 6 ] ||
      fail "demo: Markdown rows $(md_rows "$tmp/d.md" | tr '\n' ' ') differ from JSON $(json_rows "$tmp/d.json" | tr '\n' ' ')"
    grep -q '^#### Why clients broke' "$tmp/d.md" && grep -Fq 'broke at `authorization` (`authz.loopback-any-port`)' "$tmp/d.md" &&
      grep -q '  - \*\*Remedy:\*\* ' "$tmp/d.md" && grep -q '^  - expected: .*(MUST ' "$tmp/d.md" ||
      fail "demo: breaks, remedies or expectations missing: $(cat "$tmp/d.md")"
    # a hostile client name and a run with the server suite and a login
    sed 's/"id": "spec-2025-11-25"/"id": "evil-1"/; s/"client": "[^"]*"/"client": "Evil | `x` <script>alert(1)<\/script> [a](http:\/\/e) @team"/' \
      "$here/../profiles/spec-2025-11-25.json" >"$tmp/evil.json"
    "$bin" run --profile "$tmp/evil.json",vscode-1.101,codex --quirk login=form --quirk prm-hint-only,issuer-path=/as,challenge=lowercase \
      --markdown "$tmp/r.md" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 1 ] || fail "run exit $rc, want 1: $(cat "$tmp/err")"
    [ "$(md_rows "$tmp/r.md")" = "$(json_rows "$tmp/r.json")" ] && [ "$(md_rows "$tmp/r.md" | wc -l)" = 3 ] ||
      fail "run: Markdown rows $(md_rows "$tmp/r.md" | tr '\n' ' ') differ from JSON $(json_rows "$tmp/r.json" | tr '\n' ' ')"
    grep -q '^| Server suite |  | .* failed, [0-9]* warnings, [0-9]* of [0-9]* checks ran |$' "$tmp/r.md" || fail "no server suite row"
    ! grep -Eq '<script|\[a\]\(|[^\\]`x|(^|[^;])@team' "$tmp/r.md" || fail "unescaped markup: $(grep -i evil "$tmp/r.md")"
    grep -Fq '| Evil \| \`x\` &lt;script&gt;' "$tmp/r.md" || fail "the client name is not escaped: $(grep -i evil "$tmp/r.md")"
    # every table row has as many cells as its header
    awk -F'|' '/^\| (Client|Server)/ {h = NF} /^\| / { l = $0; gsub(/\\\|/, "", l); if (split(l, c, "|") != h) bad = 1 }
      END { exit bad }' "$tmp/r.md" || fail "a row with the wrong number of cells"
    no_secrets "$tmp/out" "$tmp/err" "$tmp/d.md" "$tmp/r.md"
    # --spec all: one section per revision, the same rows as the JSON's
    "$bin" run --spec all --quirk login=form --markdown "$tmp/s.md" --json "$tmp/s.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 0 ] || [ $rc = 1 ] || fail "--spec all: exit $rc: $(cat "$tmp/err")"
    [ "$(grep -c '^### mcpcompat .* (MCP 20[0-9-]*)$' "$tmp/s.md")" = 4 ] || fail "--spec all: not 4 sections"
    [ "$(md_rows "$tmp/s.md")" = "$(json_rows "$tmp/s.json")" ] && [ "$(md_rows "$tmp/s.md" | wc -l)" = 4 ] ||
      fail "--spec all: Markdown rows $(md_rows "$tmp/s.md" | tr '\n' ' ') differ from JSON $(json_rows "$tmp/s.json" | tr '\n' ' ')"
    no_secrets "$tmp/s.md"
    # the matrix as a table, and an unwritable file is an error
    "$bin" matrix --profile vscode-1.101,codex --quirk prm-hint-only,issuer-path=/as,challenge=lowercase --markdown "$tmp/m.md" >"$tmp/out" 2>&1 ||
      fail "matrix: $(cat "$tmp/out")"
    grep -q '^| VS Code .* | ❌ `registration` |$' "$tmp/m.md" && grep -q '^| 1 | `prm-hint-only,issuer-path=/as,challenge=lowercase` | ' "$tmp/m.md" ||
      fail "matrix Markdown: $(cat "$tmp/m.md")"
    "$bin" demo --markdown "$tmp/no/such/dir.md" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && grep -q '^mcpcompat: --markdown .*: cannot write' "$tmp/err" || fail "unwritable --markdown: exit $rc"
    ;;
  cli-vscode-as-fallback)
    # the PRM-named authorization server has no metadata: VS Code goes
    # straight to /authorize, /token, /register on the MCP origin, with no
    # discovery there (fixtures/traces/vscode-1.139.1-as-metadata-fails.jsonl:3-6)
    "$bin" run --profile vscode-1.122,vscode-remote-1.139 --quirk issuer-path=/as,as-metadata=none \
      --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "as-fallback: want exit 1: $(cat "$tmp/out")"
    for id in vscode-1.122 vscode-remote-1.139; do
      urls=$(jq -r --arg id "$id" '.profiles[] | select(.id == $id) | .steps[] | select(.id == "as-metadata") | .exchanges[].url' "$tmp/r.json")
      [ "$(wc -l <<<"$urls")" = 3 ] || fail "$id: want 3 metadata requests at the issuer, got: $urls"
      grep -q '/.well-known/oauth-authorization-server$' <<<"$urls" && fail "$id: asked the MCP origin for metadata: $urls"
      reg=$(jq -r --arg id "$id" '.profiles[] | select(.id == $id) | .steps[] | select(.id == "registration") | .exchanges[0].url' "$tmp/r.json")
      [[ $reg == http://127.0.0.1:*/register ]] || fail "$id: registration at $reg, want the default /register"
    done
    ;;
  cli-vscode-reregister)
    # still refused after stepping up: VS Code registers and logs in anew,
    # once, then gives up (_fetchWithAuthRetry's forceNewRegistration)
    "$bin" run --profile vscode-1.122 --quirk step-up-list=mcp:extra,as-ignores-scope --no-server-suite \
      --json "$tmp/r.json" >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "reregister: want exit 1: $(cat "$tmp/out")"
    [ "$(jq -r '.profiles[0].failed_at' "$tmp/r.json")" = mcp-call ] || fail "reregister: $(cat "$tmp/out")"
    n=$(jq '[.profiles[0].steps[].exchanges[] | select(.method == "POST" and (.url | endswith("/register")))] | length' "$tmp/r.json")
    [ "$n" = 2 ] || fail "reregister: want 2 registrations, got $n"
    n=$(jq '[.profiles[0].steps[].exchanges[] | select(.url | contains("/authorize"))] | length' "$tmp/r.json")
    [ "$n" -ge 3 ] || fail "reregister: want 3 authorizations (first, step-up, anew), got $n"
    ;;
  cli-step-up-limit)
    # a server that asks for one more scope on every call: the reference client re-authorizes
    # three times and gives up; a client without a count (the TypeScript SDK only stops on a
    # repeated challenge) is stopped by the harness after ten, with the reason saying so
    "$bin" run --profile spec-2025-11-25 --quirk step-up-always --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "step-up-always: want exit 1: $(cat "$tmp/out")"
    [ "$(jq -r '.profiles[0].failed_at' "$tmp/r.json")" = mcp-call ] || fail "step-up-always: $(cat "$tmp/out")"
    jq -r '.profiles[0].steps[6].reason' "$tmp/r.json" | grep -q 'after each of 3 re-authorizations.*retry limit of 3' ||
      fail "reason: $(jq -r '.profiles[0].steps[6].reason' "$tmp/r.json")"
    n=$(jq '[.profiles[0].steps[6].exchanges[] | select(.url | endswith("/token"))] | length' "$tmp/r.json")
    [ "$n" = 3 ] || fail "want 3 token requests in mcp-call, got $n"
    mkdir "$tmp/p"
    # (on a random callback port: the SDK example's fixed 8090 would collide with parallel cases)
    jq '.id = "sdk-calls-tools" | .mcp.call_tool = true | .redirect.port_policy = "random" | del(.redirect.port)' \
      "$here/../profiles/sdk-client-1.32.2.json" >"$tmp/p/sdk.json"
    MCPCOMPAT_PROFILES=$tmp/p "$bin" run --quirk step-up-always --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "sdk step-up-always: want exit 1: $(cat "$tmp/out")"
    jq -r '.profiles[0].steps[6].reason' "$tmp/r.json" | grep -q 'after each of 10 re-authorizations.*no retry limit but a repeated challenge' ||
      fail "sdk reason: $(jq -r '.profiles[0].steps[6].reason' "$tmp/r.json")"
    n=$(jq '[.profiles[0].steps[6].exchanges[] | select(.url | endswith("/token"))] | length' "$tmp/r.json")
    [ "$n" = 10 ] || fail "sdk: want 10 token requests in mcp-call, got $n"
    # the SDK's own rule: the same challenge after re-authorizing stops it, after one try
    MCPCOMPAT_PROFILES=$tmp/p "$bin" run --quirk step-up=mcp:admin,as-ignores-scope --no-server-suite --json "$tmp/r.json" >"$tmp/out" 2>&1
    [ $? = 1 ] || fail "sdk as-ignores-scope: want exit 1: $(cat "$tmp/out")"
    jq -r '.profiles[0].steps[6].reason' "$tmp/r.json" | grep -q 'the same challenge again' ||
      fail "sdk repeated challenge: $(jq -r '.profiles[0].steps[6].reason' "$tmp/r.json")"
    n=$(jq '[.profiles[0].steps[6].exchanges[] | select(.url | endswith("/token"))] | length' "$tmp/r.json")
    [ "$n" = 1 ] || fail "sdk repeated challenge: want 1 token request in mcp-call, got $n"
    no_secrets "$tmp/out" "$tmp/r.json"
    ;;
  cli-report-paths)
    # a report that cannot be written is a usage error before the run: one
    # line, no library noise, nothing run, nothing written
    for args in "run --junit /nonexistent-dir/x.xml" "run --json /nonexistent-dir/x.json" \
                "run --junit $tmp" "demo --junit /nonexistent-dir/x.xml" "run --record /nonexistent-dir/r.jsonl" \
                "matrix --json /nonexistent-dir/m.json" "run --html /nonexistent-dir/r.html" \
                "matrix --html /nonexistent-dir/m.html" "run --markdown /nonexistent-dir/r.md"; do
      # shellcheck disable=SC2086
      timeout 20 "$bin" $args >"$tmp/out" 2>"$tmp/err"
      rc=$?
      [ $rc = 2 ] || fail "'$args': exit $rc, want 2"
      [ "$(wc -l <"$tmp/err")" = 1 ] || fail "'$args': want one line on stderr, got: $(cat "$tmp/err")"
      grep -q '^mcpcompat: --[a-z]* .*: cannot write: ' "$tmp/err" || fail "'$args': stderr: $(cat "$tmp/err")"
      [ -s "$tmp/out" ] && fail "'$args': ran anyway: $(head -3 "$tmp/out")"
    done
    ;;
  cli-reports-on-failure)
    # could not run (unreachable, the fixture failing to start): exit 3, and
    # the reports asked for are still written, recording the error
    check_error_reports() { # what the error reason must match
      validate_junit "$tmp/r.xml"
      [ "$(xmllint --xpath 'count(//testsuite/testcase[@name="probe"]/error)' "$tmp/r.xml")" -ge 1 ] ||
        fail "no <error> on probe: $(head -c 600 "$tmp/r.xml")"
      [ "$(xmllint --xpath 'count(//testcase[@name="token"]/skipped)' "$tmp/r.xml")" -ge 1 ] || fail "later steps not skipped"
      jq -e --arg re "$1" '.profiles | length > 0 and all(.steps[0].status == "error" and (.steps[0].reason | test($re)))' \
        "$tmp/r.json" >/dev/null || fail "JSON: $(jq -c '[.profiles[].steps[0]]' "$tmp/r.json" | head -c 500)"
      no_secrets "$tmp/out" "$tmp/err" "$tmp/r.json" "$tmp/r.xml"
    }
    "$bin" run http://127.0.0.1:1/mcp --profile spec-2025-11-25,vscode --junit "$tmp/r.xml" --json "$tmp/r.json" \
      --html "$tmp/r.html" --markdown "$tmp/r.md" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] || fail "unreachable: exit $rc, want 3"
    grep -q 'nothing accepts connections at 127.0.0.1:1 ' "$tmp/r.html" || fail "the HTML report does not record the error"
    grep -q 'nothing accepts connections at 127.0.0.1:1 ' "$tmp/r.md" || fail "the Markdown report does not record the error"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "unreachable: want one line on stderr: $(cat "$tmp/err")"
    check_error_reports "nothing accepts connections at 127.0.0.1:1 "
    rm -f "$tmp/r.xml" "$tmp/r.json"
    "$bin" run http://127.0.0.1:1/mcp --spec all --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] || fail "--spec all unreachable: exit $rc, want 3"
    check_error_reports "nothing accepts connections at 127.0.0.1:1 "
    rm -f "$tmp/r.xml" "$tmp/r.json"
    # PEM files TLS cannot use: read (an unreadable one is an input error,
    # exit 2), then refused as the fixture starts
    printf -- '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' >"$tmp/bad.pem"
    "$bin" run --profile spec-2025-11-25,vscode --tls-cert "$tmp/bad.pem" --tls-key "$tmp/bad.pem" \
      --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] || fail "fixture not started: exit $rc, want 3"
    check_error_reports "could not start the fixture: cannot listen on 127.0.0.1:0 with that certificate and key"
    [ "$(jq '.profiles | length' "$tmp/r.json")" = 2 ] || fail "want both profiles in the report"
    ;;
  *) run_table_case ;;
esac
echo "ok [$name]"
