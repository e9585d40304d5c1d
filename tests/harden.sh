#!/usr/bin/env bash
# Hostile networks and hostile files (issue 21): one case a defect, each
# against the real binary; every wait bounded, every process started ended.
# usage: tests/harden.sh BINARY CASE
set -u
. "$(dirname "$0")/case-lib.sh"
# SIGKILL: some cases look for a hang that ignores SIGTERM
cleanup() {
  exec 2>/dev/null # no "Killed" notes from the shell
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}

# bounded BINARY-ARGS...: runs mcpcompat for 20 s at most (SIGKILL after,
# since a hang that ignores SIGTERM is what some cases look for); sets $rc.
bounded() {
  timeout -s KILL 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc = 137 ] && fail "'$*' hung (killed after 20 s): $(head -c 300 "$tmp/err")"
  return 0
}

# serve_bg ARGS...: `mcpcompat serve` in the background; sets $url, $origin, $port, $serve_pid
serve_bg() {
  rm -f "$tmp/serve.url" # not the previous serve's URL, before this one's redirection truncates it
  "$bin" serve "$@" >"$tmp/serve.url" 2>"$tmp/serve.err" &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 100); do [ -s "$tmp/serve.url" ] && break; sleep 0.1; done
  url=$(head -1 "$tmp/serve.url")
  [[ $url == http*://127.0.0.1:*/mcp ]] || fail "serve printed '$url': $(cat "$tmp/serve.err")"
  origin=${url%/mcp}
  port=${origin##*:}
}

# proxy_bg [PROXY-ARGS...]: `mcpcompat proxy $url --record $tmp/p.jsonl` in the
# background; sets $purl (its MCP URL), $pport and $ppid_
proxy_bg() {
  rm -f "$tmp/proxy.url" # not the previous proxy's URL
  "$bin" proxy "$url" --record "$tmp/p.jsonl" "$@" >"$tmp/proxy.url" 2>"$tmp/proxy.err" &
  ppid_=$!
  pids+=("$ppid_")
  for _ in $(seq 100); do [ -s "$tmp/proxy.url" ] && break; sleep 0.1; done
  purl=$(head -1 "$tmp/proxy.url")
  pport=${purl%/mcp}
  pport=${pport##*:}
}

stop_bg() { # PID: SIGTERM, then 10 s for it to end
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && fail "process $1 did not end within 10 s of SIGTERM"
  wait "$1"
}

case $name in
  quirk-empty-scope)
    # 2. an empty step-up scope spun the fixture thread (strstr(p, "") never
    # advances) and the run then ignored SIGTERM: now a usage error
    for q in step-up= step-up-list= "step-up=a b"; do
      bounded run --profile spec-2025-11-25 --no-server-suite --quirk "$q"
      [ $rc = 2 ] || fail "--quirk '$q': exit $rc, want 2: $(cat "$tmp/err")"
      grep -q "^mcpcompat: --quirk $q: bad value" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
      timeout -s KILL 20 "$bin" serve --quirk "$q" >"$tmp/out" 2>"$tmp/err"
      [ $? = 2 ] || fail "serve --quirk '$q' did not refuse it"
    done
    ;;
  cimd-ssrf)
    # 10. the fixture's Client ID Metadata Document fetcher: a GET any page
    # can fire (/authorize?client_id=URL) must not reach private or
    # link-local services. The names resolve through MCPCOMPAT_TEST_RESOLVE
    # (whose net keeps every connection on loopback: only the refusal is
    # asserted), to IPv4 and to the same address inside NAT64.
    export MCPCOMPAT_TEST_RESOLVE="meta.test:443:169.254.169.254,nat64.test:443:[64:ff9b::a9fe:a9fe],compat.test:443:[::a9fe:a9fe],ten.test:443:10.1.2.3"
    serve_bg --quirk cimd
    unset MCPCOMPAT_TEST_RESOLVE
    for host in meta.test nat64.test compat.test ten.test; do
      curl -s --max-time 10 -o "$tmp/page" -w '%{http_code}' \
        "$origin/authorize?response_type=code&client_id=https%3A%2F%2F$host%2Fclient.json&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256" >"$tmp/status"
      [ "$(cat "$tmp/status")" = 400 ] || fail "$host: status $(cat "$tmp/status")"
      grep -q "private or link-local address (refused)" "$tmp/page" || fail "$host: $(cat "$tmp/page")"
    done
    ;;
  no-profiles)
    # 1. a profiles folder without profiles segfaulted (the server suite fell
    # back to profiles[0]); now one line, exit 2, the reports still written
    mkdir "$tmp/p"
    echo "no profiles here" >"$tmp/p/README.md"
    bounded run --profiles-dir "$tmp/p" --json "$tmp/r.json" --junit "$tmp/r.xml"
    [ $rc = 2 ] || fail "run: exit $rc, want 2: $(cat "$tmp/err")"
    [ "$(cat "$tmp/err")" = "mcpcompat: no profiles in $tmp/p" ] || fail "stderr: $(cat "$tmp/err")"
    jq -e '.profiles == []' "$tmp/r.json" >/dev/null || fail "no JSON report"
    xmllint --noout --schema "$here/junit-10.xsd" "$tmp/r.xml" 2>/dev/null || fail "no valid JUnit report"
    bounded matrix --profiles-dir "$tmp/p" --quirk no-dcr
    [ $rc = 2 ] && grep -q "no profiles in" "$tmp/err" || fail "matrix: exit $rc: $(cat "$tmp/err")"
    bounded demo --profiles-dir "$tmp/p"
    [ $rc = 2 ] || fail "demo: exit $rc"
    ;;
  no-personas)
    # an empty personas folder (or one without a persona file) was a listing
    # of none, exit 0; now one line, exit 2, as for an empty profiles folder
    mkdir "$tmp/empty" "$tmp/readme"
    echo "no personas here" >"$tmp/readme/README.md"
    for d in "$tmp/empty" "$tmp/readme"; do
      for c in "personas" "personas keycloak" "run --as keycloak --profile spec-2025-11-25 --no-server-suite" \
        "matrix --as all --profile spec-2025-11-25"; do
        read -r -a args <<<"$c"
        MCPCOMPAT_PERSONAS=$d timeout -s KILL 20 "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        [ $rc = 2 ] || fail "$c ($d): exit $rc, want 2: $(cat "$tmp/err")"
        [ "$(cat "$tmp/err")" = "mcpcompat: $d: no personas in this folder (no *.json persona file; MCPCOMPAT_PERSONAS names it)" ] ||
          fail "$c ($d): stderr: $(cat "$tmp/err")"
      done
    done
    # what needs no persona still runs
    MCPCOMPAT_PERSONAS=$tmp/empty timeout -s KILL 60 "$bin" run --profile spec-2025-11-25 --no-server-suite >"$tmp/out" 2>"$tmp/err" ||
      fail "run without --as: exit $?: $(cat "$tmp/err")"
    ;;
  reports-disk-full)
    # 7. a full disk: no partial report, the earlier report kept, the reason
    # printed, one line per report, every report attempted. A small tmpfs in
    # a private mount namespace (as root, or in a user namespace).
    command -v unshare >/dev/null || fail "unshare (util-linux) is needed"
    userns=()
    [ "$(id -u)" = 0 ] || userns=(-r)
    cat >"$tmp/full.sh" <<'SH'
set -u
bin=$1 d=$2
mount -t tmpfs -o size=64k tmpfs "$d" || exit 90
for f in r.json r.xml r.html r.md; do echo "old $f" >"$d/$f"; done
head -c 1000000 /dev/zero >"$d/filler" 2>/dev/null # until the disk is full
"$bin" run --profile spec-2025-11-25 --no-server-suite --json "$d/r.json" --junit "$d/r.xml" \
  --html "$d/r.html" --markdown "$d/r.md" >"$d/../out" 2>"$d/../err"
echo $? >"$d/../rc"
for f in r.json r.xml r.html r.md; do cat "$d/$f"; done >"$d/../kept"
ls -A "$d" >"$d/../ls"
SH
    mkdir "$tmp/d"
    timeout -s KILL 60 unshare "${userns[@]}" -m bash "$tmp/full.sh" "$bin" "$tmp/d"
    [ $? = 90 ] && fail "cannot mount a tmpfs here"
    [ "$(cat "$tmp/rc")" = 3 ] || fail "exit $(cat "$tmp/rc"), want 3: $(cat "$tmp/err")"
    for f in r.json r.xml r.html r.md; do
      grep -qx "mcpcompat: cannot write $tmp/d/$f: No space left on device" "$tmp/err" ||
        fail "no line for $f: $(cat "$tmp/err")"
      grep -qx "old $f" "$tmp/kept" || fail "$f: the earlier report was not kept: $(head -c 200 "$tmp/kept")"
    done
    [ "$(grep -c 'cannot write' "$tmp/err")" = 4 ] || fail "stderr: $(cat "$tmp/err")"
    [ "$(sort "$tmp/ls" | tr '\n' ' ')" = "filler r.html r.json r.md r.xml " ] ||
      fail "files left: $(cat "$tmp/ls")"
    ;;
  reports-killed)
    # 7. a report is whole or absent, whenever the process dies: SIGKILL at
    # moments spread over a run's last half (its reports are written at its
    # end), calibrated on a first run; the earlier reports stay whole until
    # the new ones replace them
    args=(run --json "$tmp/r.json" --junit "$tmp/r.xml" --html "$tmp/r.html" --markdown "$tmp/r.md")
    t0=$(date +%s%N)
    "$bin" "${args[@]}" >/dev/null 2>&1
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ -s "$tmp/r.html" ] || fail "the first run wrote no report"
    for i in $(seq 10 40); do
      "$bin" "${args[@]}" >/dev/null 2>&1 &
      p=$!
      sleep "$(awk -v ms=$ms -v i=$i 'BEGIN { printf "%.3f", ms * i / 30 / 1000 }')"
      kill -KILL $p 2>/dev/null
      wait $p 2>/dev/null
      jq -e .profiles "$tmp/r.json" >/dev/null 2>&1 || fail "kill $i: JSON report cut: $(tail -c 100 "$tmp/r.json")"
      xmllint --noout "$tmp/r.xml" 2>/dev/null || fail "kill $i: JUnit report cut"
      grep -q '</html>' "$tmp/r.html" || fail "kill $i: HTML report cut ($(wc -c <"$tmp/r.html") bytes)"
      grep -q '^### mcpcompat' "$tmp/r.md" || fail "kill $i: Markdown report cut"
    done
    # a path that is a symbolic link (as /dev/stdout is) or a pipe is written
    # through, never renamed over
    ln -s "$tmp/real.json" "$tmp/link.json"
    "$bin" run --profile spec-2025-11-25 --no-server-suite --json "$tmp/link.json" \
      --markdown /dev/stdout >"$tmp/out" 2>&1 | cat
    [ -L "$tmp/link.json" ] && jq -e .profiles "$tmp/real.json" >/dev/null || fail "the link was replaced"
    "$bin" run --profile spec-2025-11-25 --no-server-suite --markdown /dev/stdout 2>&1 | cat >"$tmp/out"
    grep -q '^### mcpcompat' "$tmp/out" || fail "--markdown /dev/stdout through a pipe: $(cat "$tmp/out")"
    ;;
  serve-record-secrets)
    # 5. serve --record kept a client's Basic pair (client id and secret), and
    # cookies, in full: now redacted by header name, whoever issued them
    serve_bg --record "$tmp/rec.jsonl"
    secret=never-registered-$RANDOM$RANDOM-secret
    basic=$(printf 'some-client:%s' "$secret" | base64 -w0)
    curl -s --max-time 10 -o /dev/null -u "some-client:$secret" -d grant_type=client_credentials "$origin/token"
    curl -s --max-time 10 -o /dev/null -H "Cookie: sid=cookie-$RANDOM$RANDOM-value; theme=dark" "$origin/mcp"
    stop_bg "$serve_pid"
    jq -e -s 'length == 2' "$tmp/rec.jsonl" >/dev/null || fail "trace: $(cat "$tmp/rec.jsonl")"
    for v in "$basic" "$secret" "cookie-"; do
      grep -qF -- "$v" "$tmp/rec.jsonl" && fail "${v:0:10}… in the trace: $(cat "$tmp/rec.jsonl")"
    done
    jq -e -s '.[0].headers.authorization == "Basic '"${basic:0:4}"'…" and (.[1].headers.cookie | test("^sid=cook…; theme=…$"))' \
      "$tmp/rec.jsonl" >/dev/null || fail "trace headers: $(jq -c -s 'map(.headers)' "$tmp/rec.jsonl")"
    ;;
  login-command-group)
    # 9. --login-command: at the timeout only the sh wrapper was killed; what
    # the command started (a browser holding its callback port) outlived
    # mcpcompat. Now its process group ends whole, at the timeout and after
    # a command that succeeded but left something running.
    marker="sleep 3000.$$$RANDOM" # a unique argument to find our own processes by
    printf '#!/bin/sh\n%s >/dev/null 2>&1 &\nsleep 300\n' "$marker" >"$tmp/hang.sh"
    printf '#!/bin/sh\n%s >/dev/null 2>&1 &\nexec curl -s -o /dev/null -w "%%{redirect_url}" "$1"\n' \
      "$marker" >"$tmp/ok.sh"
    chmod +x "$tmp/hang.sh" "$tmp/ok.sh"
    bounded run --profile spec-2025-11-25 --no-server-suite --login-command "$tmp/hang.sh" \
      --login-timeout 2 --json "$tmp/r.json"
    [ $rc = 1 ] || fail "hanging login command: exit $rc: $(cat "$tmp/err")"
    jq -e '.profiles[0].steps[4].reason | test("did not finish within 2 s")' "$tmp/r.json" >/dev/null ||
      fail "reason: $(jq -c '.profiles[0].steps[4].reason' "$tmp/r.json")"
    bounded run --profile spec-2025-11-25 --no-server-suite --login-command "$tmp/ok.sh" \
      --login-timeout 20 --json "$tmp/r.json"
    [ $rc = 0 ] || fail "login command: exit $rc: $(cat "$tmp/out" "$tmp/err")"
    sleep 0.5
    left=$(pgrep -f -x "$marker" | tr '\n' ' ')
    for p in $left; do kill -KILL "$p" 2>/dev/null; done # only ours, by id
    [ -z "$left" ] || fail "the login command's children outlived mcpcompat: $left"
    ;;
  host-check)
    # 4. serve and proxy answered any Host: a page whose name is rebound to
    # 127.0.0.1 read every answer. Now 421 but for this listener's own names.
    serve_bg
    for h in "evil.example:$port" "127.0.0.1:$((port + 1))" "localhost"; do
      st=$(curl -s --max-time 10 -o "$tmp/body" -w '%{http_code}' -H "Host: $h" "$origin/.well-known/oauth-protected-resource/mcp")
      [ "$st" = 421 ] || fail "serve, Host $h: $st $(cat "$tmp/body")"
    done
    for h in "127.0.0.1:$port" "localhost:$port" "[::1]:$port"; do
      st=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Host: $h" "$origin/.well-known/oauth-protected-resource/mcp")
      [ "$st" = 200 ] || fail "serve, Host $h: $st"
    done
    proxy_bg
    st=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Host: rebound.example:$pport" "${purl%/mcp}/.well-known/oauth-protected-resource/mcp")
    [ "$st" = 421 ] || fail "proxy, a rebound Host: $st"
    st=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "${purl%/mcp}/.well-known/oauth-protected-resource/mcp")
    [ "$st" = 200 ] || fail "proxy, its own Host: $st"
    stop_bg "$ppid_"
    jq -e -s '.[0].status == 421 and (.[0].notes | index("refused, not forwarded")) != null and .[1].status == 200' \
      "$tmp/p.jsonl" >/dev/null || fail "proxy trace: $(cat "$tmp/p.jsonl")"
    ;;
  proxy-target)
    # 3. SSRF through the request target: '@localhost:OTHER/…' became the
    # upstream URL's userinfo and host. Now 400, nothing forwarded.
    serve_bg
    other_port=$port # a second fixture the target tries to reach
    serve_bg --record "$tmp/up.jsonl"
    proxy_bg
    base=${purl%/mcp}
    for t in "@localhost:$other_port/.well-known/oauth-protected-resource" \
             "http://127.0.0.1:$other_port/.well-known/oauth-protected-resource" "127.0.0.1:$other_port"; do
      st=$(curl -s --max-time 10 -o "$tmp/body" -w '%{http_code}' --request-target "$t" "$base/")
      [ "$st" = 400 ] || fail "target $t: $st $(cat "$tmp/body")"
    done
    stop_bg "$ppid_"
    [ ! -s "$tmp/up.jsonl" ] || fail "forwarded upstream: $(cat "$tmp/up.jsonl")"
    [ "$(grep -c 'proxying' "$tmp/proxy.err")" = 1 ] || fail "a listener for another origin: $(cat "$tmp/proxy.err")"
    ;;
  proxy-ssrf)
    # the proxy opens a listener for each origin the upstream names (here
    # the AS metadata's issuer) and forwarded its requests anywhere: now the
    # guard run applies, before connecting (loopback allowed; an IPv6 form
    # that carries an IPv4 address classed by it); --allow-private lifts it
    proxy_to() { # ISSUER [PROXY-ARGS...]: serve naming it, the proxy; sets $named (its listener)
      local issuer=$1
      shift
      serve_bg --quirk "metadata-issuer=$issuer"
      proxy_bg "$@"
      curl -s --max-time 10 "${purl%/mcp}/.well-known/oauth-authorization-server" >"$tmp/asm"
      named=$(jq -r .issuer "$tmp/asm")
      [[ $named == http://127.0.0.1:* ]] || fail "$issuer: the issuer not proxied: $(cat "$tmp/asm" "$tmp/proxy.err")"
    }
    for issuer in http://169.254.169.254 http://10.1.2.3:8080 "http://[64:ff9b::a9fe:a9fe]" \
                  "http://[::a9fe:a9fe]" "http://[::ffff:192.168.0.1]" "http://[fd00::1]"; do
      proxy_to "$issuer"
      st=$(curl -s --max-time 10 -o "$tmp/body" -w '%{http_code}' "$named/.well-known/openid-configuration")
      [ "$st" = 502 ] && grep -q 'refused to connect to .* (a \(private\|link-local\) address) for an origin the upstream named' "$tmp/body" ||
        fail "$issuer: $st $(cat "$tmp/body")"
      stop_bg "$ppid_"
      stop_bg "$serve_pid"
    done
    # loopback is allowed (the proxy and what it fronts run here): a second
    # fixture named as the issuer answers through the proxy
    serve_bg
    other=$origin
    proxy_to "$other"
    st=$(curl -s --max-time 10 -o "$tmp/body" -w '%{http_code}' "$named/.well-known/oauth-protected-resource/mcp")
    [ "$st" = 200 ] || fail "a loopback origin: $st $(cat "$tmp/body")"
    stop_bg "$ppid_"
    # --allow-private: the connection is tried: no route in a namespace without
    # network (502 without the guard's words), or whatever answers at that
    # address on a machine with one; never the guard's refusal
    proxy_to http://10.1.2.3:8080 --allow-private
    st=$(curl -s --max-time 20 -o "$tmp/body" -w '%{http_code}' "$named/x")
    [ "$st" != 000 ] && ! grep -q 'refused to connect' "$tmp/body" || fail "--allow-private: $st $(cat "$tmp/body")"
    ;;
  register-cross-site)
    # 4. serve took a cross-origin text/plain (or form) POST /register from
    # any page; a registration is JSON (RFC 7591 §3), which needs a preflight
    serve_bg
    for ct in text/plain application/x-www-form-urlencoded; do
      st=$(curl -s --max-time 10 -o "$tmp/body" -w '%{http_code}' -H "Content-Type: $ct" -H 'Origin: https://evil.example' \
        -d '{"redirect_uris":["http://127.0.0.1/cb"]}' "$origin/register")
      [ "$st" = 400 ] && grep -q 'application/json' "$tmp/body" || fail "$ct: $st $(cat "$tmp/body")"
    done
    st=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json; charset=utf-8' \
      -d '{"redirect_uris":["http://127.0.0.1/cb"]}' "$origin/register")
    [ "$st" = 201 ] || fail "a JSON registration: $st"
    ;;
  serve-clients-cap)
    # 8. serve kept every dynamic registration for ever; now the 1,024 newest
    # (the grants' rule): the first of 1,030 is forgotten, the last is known
    serve_bg
    { # one body and header for all, then each URL with its output
      printf 'header = "Content-Type: application/json"\n'
      printf 'data = "{\\"redirect_uris\\":[\\"http://127.0.0.1/cb\\"],\\"token_endpoint_auth_method\\":\\"none\\"}"\n'
      for i in $(seq 1030); do printf 'url = "%s/register"\noutput = "%s/reg%d"\n' "$origin" "$tmp" "$i"; done
    } >"$tmp/curl.cfg"
    curl -s --no-progress-meter --max-time 120 --parallel --parallel-max 8 -K "$tmp/curl.cfg" 2>/dev/null
    first=$(jq -r .client_id "$tmp/reg1")
    last=$(jq -r .client_id "$tmp/reg1030")
    [ "$(cat "$tmp"/reg* | jq -s 'map(.client_id) | unique | length')" = 1030 ] || fail "not 1030 registrations"
    authz() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$origin/authorize?response_type=code&client_id=$1&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"; }
    [ "$(authz "$last")" = 302 ] || fail "the newest client is unknown"
    [ "$(authz "$first")" = 400 ] || fail "the oldest of 1030 clients is still kept"
    ;;
  hostile-files)
    # 6. every file input: a pipe blocked open() (with --cacert past two
    # SIGTERMs), /dev/zero was read for ever, a directory or an empty trace
    # "differed". Now each is an input error at once: exit 2, one line.
    mkfifo "$tmp/fifo" "$tmp/fifo.json"
    mkdir "$tmp/dir" "$tmp/pdir" "$tmp/persdir"
    cp "$here/../profiles/spec-2025-11-25.json" "$tmp/pdir/"
    mkfifo "$tmp/pdir/x.json" "$tmp/persdir/x.json"
    : >"$tmp/codex-0.169.0-default.jsonl"
    trace=$here/../fixtures/traces/codex-0.169.0-default.jsonl
    check() { # want-stderr-regex, mcpcompat arguments
      local want=$1
      shift
      bounded "$@"
      [ $rc = 2 ] || fail "'$*': exit $rc, want 2: $(head -c 300 "$tmp/err")"
      [ "$(wc -l <"$tmp/err")" = 1 ] && grep -Eq "^mcpcompat: .*$want" "$tmp/err" ||
        fail "'$*': stderr: $(head -c 300 "$tmp/err")"
    }
    pipe='not a regular file: a pipe'
    check "$pipe" run --scenario "$tmp/fifo"
    check "$pipe" run --profile "$tmp/fifo.json"
    check "$pipe" run --profiles-dir "$tmp/pdir"
    MCPCOMPAT_PERSONAS=$tmp/persdir check "$pipe" personas
    check "$pipe" profile draft "$tmp/fifo"
    check "$pipe" profile draft "$trace" --from "$tmp/fifo.json"
    check "$pipe" run --cacert "$tmp/fifo" http://127.0.0.1:9/mcp
    check "$pipe" proxy http://127.0.0.1:9/mcp --record "$tmp/p.jsonl" --cacert "$tmp/fifo"
    check 'a character device' profile draft /dev/zero
    # a TLS certificate or key that cannot be read is an input error (it was
    # exit 3, "could not start the fixture"), at once: file-flags has more
    for cmd in serve run; do
      check '--tls-cert /dev/zero: not a regular file: a character device' $cmd --tls-cert /dev/zero --tls-key "$tmp/fifo"
    done
    check 'a directory' profile draft "$tmp/dir"
    # fidelity reads a trace its name ties to a client (modes.json)
    cp "$tmp/codex-0.169.0-default.jsonl" "$tmp/dir.jsonl"
    check 'no request in the trace' fidelity "$tmp/codex-0.169.0-default.jsonl"
    rm "$tmp/codex-0.169.0-default.jsonl"
    mkdir "$tmp/codex-0.169.0-default.jsonl"
    check 'a directory' fidelity "$tmp/codex-0.169.0-default.jsonl"
    # a trace over the cap: refused before it is read, however long its line
    head -c 9000000 /dev/zero | tr '\0' 'x' >"$tmp/big.jsonl"
    check 'larger than 8388608 bytes' profile draft "$tmp/big.jsonl"
    ;;
  file-flags)
    # every flag (and variable) that names a file or folder to read, given
    # one it cannot read: unreadable, a directory, a pipe, /dev/zero, none.
    # Each is an input error at once: exit 2 and one line naming it.
    mkfifo "$tmp/fifo"
    mkdir "$tmp/dir"
    echo '{}' >"$tmp/unreadable.json"
    chmod 000 "$tmp/unreadable.json"
    printf -- '-----BEGIN CERTIFICATE-----\n' >"$tmp/pem.pem"
    cp "$here/../fixtures/traces/codex-0.169.0-default.jsonl" "$tmp/trace.jsonl"
    chmod 755 "$tmp" "$tmp/dir"
    chmod 644 "$tmp/pem.pem" "$tmp/trace.jsonl"
    # root reads any file: the unreadable one is tried as nobody
    as_user=()
    [ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    # @ is the file; VAR=@ a variable's
    templates=(
      "run --no-server-suite --scenario @"
      "run --no-server-suite --profile @"
      "run --no-server-suite --profiles-dir @"
      "run --cacert @ http://127.0.0.1:9/mcp"
      "run --no-server-suite --profile spec-2025-11-25 --tls-cert @ --tls-key $tmp/pem.pem"
      "run --no-server-suite --profile spec-2025-11-25 --tls-cert $tmp/pem.pem --tls-key @"
      "serve --tls-cert @ --tls-key $tmp/pem.pem"
      "serve --tls-cert $tmp/pem.pem --tls-key @"
      "proxy http://127.0.0.1:9/mcp --record $tmp/rec.jsonl --cacert @"
      "profile draft @"
      "profile draft $tmp/trace.jsonl --from @"
      "fidelity @"
      "fidelity $tmp/trace.jsonl --profile @"
      "profiles --profiles-dir @"
      "matrix --profiles-dir @ --quirk no-dcr"
      "demo --profiles-dir @"
      "MCPCOMPAT_PERSONAS=@ personas"
      "MCPCOMPAT_PROFILES=@ profiles"
      "MCPCOMPAT_MODES=@ profile draft $tmp/trace.jsonl"
    )
    for t in "${templates[@]}"; do
      for f in "$tmp/unreadable.json" "$tmp/dir" "$tmp/fifo" /dev/zero "$tmp/missing.json"; do
        pre=()
        [ "$f" = "$tmp/unreadable.json" ] && pre=("${as_user[@]}")
        read -r -a args <<<"${t//@/$f}"
        envs=()
        [[ ${args[0]} == *=* ]] && envs=("${args[0]}") && args=("${args[@]:1}")
        (cd "$tmp" && env "${envs[@]}" timeout -s KILL 20 "${pre[@]}" "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err")
        rc=$?
        [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^mcpcompat: ' "$tmp/err" ||
          fail "'${t//@/$f}': exit $rc, want 2 and one line: $(head -c 300 "$tmp/err")"
      done
    done
    # a certificate without its key, or not PEM: the same, before the fixture starts
    for args in "--tls-cert $tmp/pem.pem" "--tls-key $tmp/pem.pem" "--tls-cert $tmp/trace.jsonl --tls-key $tmp/pem.pem"; do
      bounded serve $args
      [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || fail "serve $args: exit $rc: $(cat "$tmp/err")"
    done
    ;;
  recorders-disk-full)
    # 7. serve --record and proxy --record ignored write errors and said
    # "300 requests recorded" over a cut trace; now the first failure is
    # reported with its reason and the exit is 3
    userns=()
    [ "$(id -u)" = 0 ] || userns=(-r)
    cat >"$tmp/full.sh" <<'SH'
set -u
bin=$1 d=$2 out=$3
mount -t tmpfs -o size=32k tmpfs "$d" || exit 90
"$bin" serve --record "$d/serve.jsonl" >"$out/serve.url" 2>"$out/serve.err" &
s=$!
for _ in $(seq 100); do [ -s "$out/serve.url" ] && break; sleep 0.1; done
url=$(head -1 "$out/serve.url")
"$bin" proxy "$url" --record "$d/proxy.jsonl" >"$out/proxy.url" 2>"$out/proxy.err" &
p=$!
for _ in $(seq 100); do [ -s "$out/proxy.url" ] && break; sleep 0.1; done
purl=$(head -1 "$out/proxy.url")
for i in $(seq 300); do echo "url = \"${purl%/mcp}/.well-known/oauth-protected-resource/mcp\""; echo "output = /dev/null"; done >"$out/curl.cfg"
curl -s -K "$out/curl.cfg"
kill -TERM $p; wait $p; echo $? >"$out/proxy.rc"
kill -TERM $s; wait $s; echo $? >"$out/serve.rc"
SH
    mkdir "$tmp/d"
    timeout -s KILL 120 unshare "${userns[@]}" -m bash "$tmp/full.sh" "$bin" "$tmp/d" "$tmp"
    [ $? = 90 ] && fail "cannot mount a tmpfs here"
    for r in serve proxy; do
      [ "$(cat "$tmp/$r.rc")" = 3 ] || fail "$r: exit $(cat "$tmp/$r.rc"), want 3: $(cat "$tmp/$r.err")"
      grep -q "^mcpcompat: cannot write $tmp/d/$r.jsonl: No space left on device (request [0-9]* of 30[01] on)" "$tmp/$r.err" ||
        fail "$r: stderr: $(cat "$tmp/$r.err")"
      grep -q "requests recorded" "$tmp/$r.err" && fail "$r claims a complete trace: $(cat "$tmp/$r.err")"
    done
    ;;
  trickle)
    # 8. 64 clients trickling a byte a second held serve and proxy for as
    # long as they trickled (the idle timeout restarts at each byte). Now a
    # request must arrive whole within 10 s, and 80 tricklers leave room.
    trap '' PIPE
    serve_bg
    proxy_bg
    trickle() { # PORT OUT: a request's header a byte a second; OUT gets the second it was cut
      exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo refused >"$2"; return; }
      local i
      for i in $(seq 25); do
        printf 'X' >&3 2>/dev/null
        read -r -t 1 -N 1 -u 3 _ 2>/dev/null
        [ $? = 1 ] && { echo "$i" >"$2"; return; } # the server closed it
      done
      echo never >"$2"
    }
    for p in "$port" "$pport"; do
      for i in $(seq 80); do trickle "$p" "$tmp/cut-$p-$i" & pids+=($!); done
    done
    sleep 3
    for u in "$origin" "${purl%/mcp}"; do
      st=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$u/.well-known/oauth-protected-resource/mcp")
      [ "$st" = 200 ] || fail "$u with 80 tricklers: status $st"
    done
    for _ in $(seq 30); do
      [ "$(ls "$tmp"/cut-* 2>/dev/null | wc -l)" = 160 ] && break
      sleep 1
    done
    for f in "$tmp"/cut-*; do
      v=$(cat "$f")
      [[ $v =~ ^[0-9]+$ ]] && [ "$v" -le 14 ] || fail "a trickler on $(basename "$f"): cut at '$v' s, want 10"
    done
    ;;
  matrix-signal)
    # 7. matrix died on SIGTERM (exit 143, no reports) where run writes them:
    # now the columns done, the interrupted one recorded as an error, exit 3
    cols=()
    for i in $(seq 100 131); do cols+=(--quirk "token-ttl=$i"); done # 32 columns: seconds of work
    "$bin" matrix "${cols[@]}" --json "$tmp/m.json" --markdown "$tmp/m.md" >"$tmp/out" 2>"$tmp/err" &
    m=$!
    pids+=("$m")
    # SIGTERM as soon as the process takes it (SigCgt bit 15), well before the end
    for _ in $(seq 200); do
      cgt=$(awk '/^SigCgt/ {print $2}' "/proc/$m/status" 2>/dev/null)
      [ -n "$cgt" ] && (((16#$cgt >> 14) & 1)) && break
      sleep 0.01
    done
    sleep 0.2
    stop_bg "$m"
    rc=$?
    [ $rc = 3 ] || fail "exit $rc, want 3: $(cat "$tmp/err")"
    grep -q 'columns reported' "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
    jq -e '(.policies | length) >= 1' "$tmp/m.json" >/dev/null || fail "no matrix report: $(head -c 300 "$tmp/m.json")"
    grep -q '^### mcpcompat' "$tmp/m.md" || fail "no Markdown report"
    ;;
  *) fail "no such case" ;;
esac
echo "ok [$name]"
