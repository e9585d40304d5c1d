#!/usr/bin/env bash
# Runs one case of tests/release-cases.txt against the release ci/release
# built (the release_build test) in MCPCOMPAT_RELEASE_DIR: the static binary
# copied alone into an empty folder and run from / with no data folder, no
# build tree and no MCPCOMPAT_* variable; its .deb; its npm tarballs
# installed with the registry out of reach; the action's install and run
# steps with the prebuilt binary.
# usage: tests/release.sh BINARY CASE   (BINARY, the test build, is not used)
set -u
. "$(dirname "$0")/case-lib.sh"
rel=${MCPCOMPAT_RELEASE_DIR:-}

[ -x "$rel/mcpcompat-linux-x64" ] || fail "no release in \"$rel\" (the release_build test makes it)"
version=$(sed -nE 's/^project\(mcpcompat VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")

# The binary alone: an empty folder, run from /, a bare environment.
mkdir -p "$tmp/alone" "$tmp/home"
cp "$rel/mcpcompat-linux-x64" "$tmp/alone/mcpcompat"
mc=$tmp/alone/mcpcompat
bare() { (cd "${at:-/}" && env -i PATH=/usr/bin:/bin HOME="$tmp/home" "$@"); }

seed_scoreboard() { # JSON report: the seed's six clients, three broken
  [ "$(jq -r '[.profiles[] | .id + "=" + .result] | sort | join(" ")' "$1")" = \
    "claude-code-2025=broke claude-desktop-2026=pass cursor-2025=broke mcp-inspector-2.12.0=pass mcp-remote-0.15.1=pass vscode-1.101=broke" ]
}


wait_http() { # URL; up to 30 s
  for _ in $(seq 300); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  fail "server at $1 did not come up"
}

# serve [ARGS...]: the release binary's own fixture on a free port; sets $url
serve() {
  local port
  port=$(free_port)
  bare "$mc" serve --port "$port" "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  pids+=($!)
  url=http://127.0.0.1:$port/mcp
  wait_http "http://127.0.0.1:$port/.well-known/oauth-protected-resource/mcp"
}

case $name in
  alone)
    ldd "$mc" >"$tmp/ldd" 2>&1 && fail "ldd lists libraries: $(cat "$tmp/ldd")"
    grep -q 'not a dynamic executable' "$tmp/ldd" || fail "ldd: $(cat "$tmp/ldd")"
    # nothing of the machine that built it: no source or build path
    ! grep -qF "$src" "$mc" || fail "the binary names the source tree $src"
    ! grep -qF "$rel" "$mc" || fail "the binary names the release folder $rel"
    bare "$mc" --version >"$tmp/v" 2>&1 || fail "--version: $(cat "$tmp/v")"
    head -1 "$tmp/v" | grep -qx "mcpcompat $version" || fail "--version: $(head -1 "$tmp/v")"
    for k in profiles scenarios personas traces; do
      grep -qx "$k: embedded:$k" "$tmp/v" || fail "$k not the embedded ones: $(cat "$tmp/v")"
    done
    n=$(ls "$src"/profiles/*.json | wc -l)
    grep -Eq "^embedded: $n profiles, $(ls "$src"/scenarios/*.json | wc -l) scenarios, $(ls "$src"/fixtures/personas/*.json | wc -l) personas, the traces pack \(data [0-9a-f]{16}\)$" "$tmp/v" ||
      fail "--version's embedded data: $(tail -1 "$tmp/v")"
    grep -Eq '^libcurl 7\.88\.1, OpenSSL 3\.[0-9.]+, Jansson 2\.14, libxml2 2\.9\.14, libmicrohttpd 0\.9\.75$' "$tmp/v" ||
      fail "library versions: $(sed -n 2p "$tmp/v")"
    # demo: the seed's scoreboard
    bare "$mc" demo --json "$tmp/d.json" >"$tmp/out" 2>"$tmp/err" || fail "demo: $(cat "$tmp/out" "$tmp/err")"
    seed_scoreboard "$tmp/d.json" || fail "demo: not the seed's scoreboard: $(cat "$tmp/out")"
    grep -q '^VS Code (Copilot) 1.101 *BROKE *authorization' "$tmp/out" || fail "demo's console: $(cat "$tmp/out")"
    leaks --fixture "$tmp/out" "$tmp/err" "$tmp/d.json" && fail "a secret in the demo's output"
    # a run against the embedded fixture, the server suite included
    bare "$mc" run --profile spec-2025-11-25,vscode-1.122 --json "$tmp/r.json" --junit "$tmp/r.xml" \
      >"$tmp/out" 2>"$tmp/err" || fail "run: $(cat "$tmp/out" "$tmp/err")"
    [ "$(jq -r '[.profiles[] | .id + "=" + .result] | join(" ")' "$tmp/r.json")" = \
      "spec-2025-11-25=pass vscode-1.122=pass" ] || fail "run: $(cat "$tmp/out")"
    xmllint --noout --schema "$here/junit-10.xsd" "$tmp/r.xml" 2>"$tmp/err" || fail "JUnit: $(cat "$tmp/err")"
    # every built-in profile and persona loads
    bare "$mc" profiles >"$tmp/out" 2>&1 || fail "profiles: $(cat "$tmp/out")"
    [ "$(grep -c . "$tmp/out")" -ge "$n" ] || fail "profiles lists $(grep -c . "$tmp/out") of $n"
    bare "$mc" personas >"$tmp/out" 2>&1 && grep -q '^auth0-2026' "$tmp/out" || fail "personas: $(cat "$tmp/out")"
    bare "$mc" profiles vscode-1.101 >"$tmp/out" 2>&1 && grep -q 'embedded:profiles/vscode-1.101.json' "$tmp/out" ||
      fail "profiles vscode-1.101: $(cat "$tmp/out")"
    # a user's own profile by path
    mkdir -p "$tmp/work"
    sed 's/"id": "spec-2025-11-25"/"id": "my-client-1.0"/' "$src/profiles/spec-2025-11-25.json" >"$tmp/work/custom.json"
    at=$tmp/work bare "$mc" run --profile ./custom.json --no-server-suite --json "$tmp/c.json" >"$tmp/out" 2>"$tmp/err" ||
      fail "run --profile ./custom.json: $(cat "$tmp/out" "$tmp/err")"
    [ "$(jq -r '[.profiles[] | .id + "=" + .result] | join(" ")' "$tmp/c.json")" = "my-client-1.0=pass" ] ||
      fail "custom profile: $(cat "$tmp/out")"
    # a folder on disk comes before the embedded data
    mkdir -p "$tmp/work/pd" && cp "$tmp/work/custom.json" "$tmp/work/pd/"
    bare env MCPCOMPAT_PROFILES="$tmp/work/pd" "$mc" --version | grep -qx "profiles: $tmp/work/pd" ||
      fail "MCPCOMPAT_PROFILES does not win over the embedded profiles"
    bare "$mc" profiles --profiles-dir "$tmp/work/pd" >"$tmp/out" 2>&1
    [ "$(grep -Ec "^[a-z0-9.-]+ +[A-Z]" "$tmp/out")" = 1 ] && grep -q "^my-client-1.0 " "$tmp/out" || fail "--profiles-dir: $(cat "$tmp/out")"
    # a built-in scenario and, from the traces pack, a trace by name
    bare "$mc" run --scenario seed-2026 --json "$tmp/s.json" >"$tmp/out" 2>&1 || fail "--scenario seed-2026: $(cat "$tmp/out")"
    seed_scoreboard "$tmp/s.json" || fail "--scenario seed-2026: $(cat "$tmp/out")"
    trace=$(basename "$(ls "$src"/fixtures/traces/claude-code-*-default.jsonl | head -1)" .jsonl)
    bare "$mc" fidelity "$trace" >"$tmp/out" 2>&1 || fail "fidelity $trace (the traces pack): $(cat "$tmp/out")"
    # what the release binary cannot do, said plainly
    # (PEM-shaped, so the input check passes and the fixture's start says why)
    printf -- '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' >"$tmp/work/cert.pem"
    bare "$mc" serve --tls-cert "$tmp/work/cert.pem" --tls-key "$tmp/work/cert.pem" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc != 0 ] && grep -q 'cannot serve HTTPS: its libmicrohttpd is built without TLS' "$tmp/err" ||
      fail "serve --tls-cert: exit $rc: $(cat "$tmp/err")"
    ;;
  target)
    # a real third-party server: the TypeScript SDK's example with its OAuth server
    servers=$here/servers
    [ -d "$servers/node_modules" ] || fail "tests/servers/node_modules missing: run ci/setup"
    mcp_port=$(free_port)
    auth_port=$(free_port)
    (cd "$servers" && MCP_PORT=$mcp_port MCP_AUTH_PORT=$auth_port exec node --require ./loopback.cjs \
      node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js --oauth) \
      >"$tmp/server.log" 2>&1 &
    pids+=($!)
    wait_http "http://localhost:$auth_port/.well-known/oauth-authorization-server"
    wait_http "http://localhost:$mcp_port/.well-known/oauth-protected-resource/mcp"
    bare "$mc" run "http://localhost:$mcp_port/mcp" --profile spec-2025-11-25,vscode-1.101,gemini-cli-0.61.0 \
      --json "$tmp/t.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc = 1 ] || fail "exit $rc, want 1 (Gemini CLI breaks): $(cat "$tmp/out" "$tmp/err")"
    [ "$(jq -r '[.profiles[] | .id + "=" + .result + "@" + (.failed_at // "")] | join(" ")' "$tmp/t.json")" = \
      "spec-2025-11-25=pass@ vscode-1.101=pass@ gemini-cli-0.61.0=broke@authorization" ] ||
      fail "verdicts: $(cat "$tmp/out")"
    leaks "$tmp/out" "$tmp/err" "$tmp/t.json" && fail "a secret in the output"
    ;;
  deb)
    deb=$(ls "$rel"/mcpcompat_"$version"_amd64.deb 2>/dev/null)
    [ -n "$deb" ] || fail "no .deb in $rel"
    [ -z "$(dpkg-deb -f "$deb" Depends)" ] || fail "the static package depends on $(dpkg-deb -f "$deb" Depends)"
    root=$tmp/root
    mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
    : >"$root/var/lib/dpkg/status" # an empty system: it needs nothing
    dpkg --root="$root" --force-not-root --force-script-chrootless --log=/dev/null -i "$deb" >"$tmp/log" 2>&1 ||
      fail "dpkg -i: $(cat "$tmp/log")"
    cmp -s "$root/usr/bin/mcpcompat" "$rel/mcpcompat-linux-x64" || fail "the package's binary is not the release binary"
    [ -f "$root/usr/share/man/man1/mcpcompat.1.gz" ] && [ -f "$root/usr/share/bash-completion/completions/mcpcompat" ] ||
      fail "no man page or completion"
    grep -q '^  curl 7.88.1-' "$root/usr/share/doc/mcpcompat/BUILT-WITH" || fail "BUILT-WITH: $(cat "$root/usr/share/doc/mcpcompat/BUILT-WITH")"
    mc=$root/usr/bin/mcpcompat
    bare "$mc" demo --json "$tmp/d.json" >"$tmp/out" 2>&1 || fail "demo: $(cat "$tmp/out")"
    seed_scoreboard "$tmp/d.json" || fail "demo: $(cat "$tmp/out")"
    ;;
  npm)
    main=$rel/mcpcompat-$version.tgz
    plat=$rel/mcpcompat-linux-x64-$version.tgz
    [ -f "$main" ] && [ -f "$plat" ] || fail "no npm tarballs in $rel: $(ls "$rel")"
    tar -xzOf "$main" package/package.json >"$tmp/pkg.json"
    jq -e --arg v "$version" '.name == "mcpcompat" and .version == $v and .bin.mcpcompat == "bin/mcpcompat.js"
      and .optionalDependencies == {"@mcpcompat/linux-x64": $v}' "$tmp/pkg.json" >/dev/null ||
      fail "mcpcompat's package.json: $(cat "$tmp/pkg.json")"
    tar -xzOf "$plat" package/package.json | jq -e '.os == ["linux"] and .cpu == ["x64"]' >/dev/null ||
      fail "the platform package's os and cpu"
    # with the registry out of reach: no network at all where unshare can
    # make a namespace, an unreachable registry and an empty cache anyway
    offline=()
    unshare -n true 2>/dev/null && offline=(unshare -n)
    mkdir -p "$tmp/proj"
    echo '{"name": "my-server-tests", "private": true}' >"$tmp/proj/package.json"
    npmenv=(env npm_config_registry=http://127.0.0.1:9/ npm_config_cache="$tmp/npm-cache" npm_config_offline=true
      npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false HOME="$tmp/home")
    (cd "$tmp/proj" && "${offline[@]}" "${npmenv[@]}" npm install --no-save "$plat" "$main") >"$tmp/log" 2>&1 ||
      fail "npm install offline: $(cat "$tmp/log")"
    [ -x "$tmp/proj/node_modules/@mcpcompat/linux-x64/bin/mcpcompat" ] || fail "the platform package is not installed"
    # npx mcpcompat demo: the seed's scoreboard; then a run against a URL
    cat >"$tmp/npx.sh" <<EOF
set -u
ip link set lo up 2>/dev/null
cd "$tmp/proj"
npx mcpcompat demo --json "$tmp/d.json" >"$tmp/demo.out" 2>"$tmp/demo.err" || exit 10
port=\$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
./node_modules/@mcpcompat/linux-x64/bin/mcpcompat serve --port "\$port" --quirk no-dcr,cimd >"$tmp/serve.out" 2>&1 &
spid=\$!
for _ in \$(seq 100); do curl -s -o /dev/null "http://127.0.0.1:\$port/mcp" && break; sleep 0.1; done
npx mcpcompat run "http://127.0.0.1:\$port/mcp" --profile spec-2025-11-25,cursor-2025 --no-server-suite \
  --json "$tmp/r.json" >"$tmp/run.out" 2>"$tmp/run.err"
echo \$? >"$tmp/run.rc"
kill \$spid
npx mcpcompat run --spec 1999-01-01 >/dev/null 2>"$tmp/usage.err"
echo \$? >"$tmp/usage.rc"
EOF
    "${offline[@]}" "${npmenv[@]}" bash "$tmp/npx.sh" || fail "npx mcpcompat demo: exit $?: $(cat "$tmp/demo.out" "$tmp/demo.err")"
    grep -q '^Claude Desktop / claude.ai 2026 (hosted) PASS' "$tmp/demo.out" && seed_scoreboard "$tmp/d.json" ||
      fail "npx mcpcompat demo: not the seed's scoreboard: $(cat "$tmp/demo.out")"
    [ "$(cat "$tmp/run.rc")" = 1 ] || fail "npx mcpcompat run URL: exit $(cat "$tmp/run.rc"), want 1: $(cat "$tmp/run.out" "$tmp/run.err")"
    [ "$(jq -r '[.profiles[] | .id + "=" + .result + "@" + (.failed_at // "")] | join(" ")' "$tmp/r.json")" = \
      "spec-2025-11-25=pass@ cursor-2025=broke@registration" ] || fail "npx mcpcompat run URL: $(cat "$tmp/run.out")"
    [ "$(cat "$tmp/usage.rc")" = 2 ] || fail "the launcher does not pass exit 2 on: $(cat "$tmp/usage.rc")"
    # without the optional dependency: a plain error, not a stack trace
    mkdir -p "$tmp/proj2"
    echo '{"name": "no-binary", "private": true}' >"$tmp/proj2/package.json"
    (cd "$tmp/proj2" && "${offline[@]}" "${npmenv[@]}" npm install --no-save --omit=optional "$main") >"$tmp/log" 2>&1 ||
      fail "npm install --omit=optional: $(cat "$tmp/log")"
    (cd "$tmp/proj2" && "${offline[@]}" "${npmenv[@]}" npx mcpcompat --version) >"$tmp/out" 2>&1
    rc=$?
    [ $rc = 2 ] && grep -q '^mcpcompat: @mcpcompat/linux-x64 is not installed' "$tmp/out" ||
      fail "without the platform package: exit $rc: $(cat "$tmp/out")"
    ;;
  action)
    # the install step: downloads the release (a file:// URL here), checks it,
    # keeps it in the cache folder; a second job finds it there
    dl() {
      : >"$tmp/gh-path"
      env -u INPUT_DEB -u INPUT_BINARY GITHUB_PATH="$tmp/gh-path" CACHE_DIR="$tmp/cache/mcpcompat/$version" \
        INPUT_VERSION="$version" "$@" "$src/ci/action-install" >"$tmp/out" 2>&1
    }
    mkdir -p "$tmp/rel"
    cp "$rel/mcpcompat-linux-x64" "$rel/SHA256SUMS" "$tmp/rel/"
    dl RELEASE_URL="file://$tmp/rel" || fail "install step: $(cat "$tmp/out")"
    [ "$(cat "$tmp/gh-path")" = "$tmp/cache/mcpcompat/$version" ] || fail "PATH: $(cat "$tmp/gh-path")"
    cmp -s "$tmp/cache/mcpcompat/$version/mcpcompat" "$rel/mcpcompat-linux-x64" || fail "not the release binary"
    dl RELEASE_URL="file://$tmp/nowhere" || fail "a cached binary downloaded again: $(cat "$tmp/out")"
    grep -qx "mcpcompat $version from the cache" "$tmp/out" || fail "cache: $(cat "$tmp/out")"
    rm -rf "$tmp/cache"
    printf 'tampered' >>"$tmp/rel/mcpcompat-linux-x64"
    dl RELEASE_URL="file://$tmp/rel" && fail "a binary that does not match SHA256SUMS installed"
    grep -q "does not match the release's SHA256SUMS" "$tmp/out" || fail "tampered: $(cat "$tmp/out")"
    # the run step: wait-for a server that starts late, one annotation per broken client
    mc=$rel/mcpcompat-linux-x64
    port=$(free_port)
    (sleep 3 && exec env -i PATH=/usr/bin:/bin "$mc" serve --port "$port" --quirk no-dcr,cimd) >"$tmp/serve.out" 2>&1 &
    pids+=($!)
    mkdir -p "$tmp/work"
    gh() {
      : >"$tmp/summary"; : >"$tmp/output"
      (cd "$tmp/work" && env GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_OUTPUT="$tmp/output" MCPCOMPAT="$mc" \
        INPUT_JUNIT=r.xml INPUT_JSON=r.json INPUT_MARKDOWN=r.md INPUT_HTML=r.html "$@" "$src/ci/action-run" \
        >"$tmp/out" 2>"$tmp/err")
    }
    t0=$(date +%s)
    gh INPUT_URL="http://127.0.0.1:$port/mcp" INPUT_WAIT_FOR=true INPUT_WAIT_TIMEOUT=60 \
      INPUT_PROFILES=spec-2025-11-25,cursor-2025 INPUT_ARGS=--no-server-suite
    rc=$?
    [ $rc = 1 ] || fail "exit $rc, want 1: $(cat "$tmp/out" "$tmp/err")"
    [ $(($(date +%s) - t0)) -ge 2 ] && grep -q "^mcpcompat: http://127.0.0.1:$port/mcp answers (HTTP 401)" "$tmp/out" ||
      fail "did not wait for the server: $(head -5 "$tmp/out")"
    [ "$(grep -c "^::error title=.* broke at " "$tmp/out")" = 1 ] || fail "not one annotation per broken client: $(grep "^::" "$tmp/out")"
    grep -q '^::error title=Cursor 2025 (seed era) broke at registration::no client id' "$tmp/out" ||
      fail "no annotation naming the client, the step and the reason: $(grep '^::' "$tmp/out")"
    grep -qx 'html=r.html' "$tmp/output" && [ -s "$tmp/work/r.html" ] || fail "no HTML report"
    # a server that never answers: bounded
    dead=$(free_port)
    t0=$(date +%s)
    gh INPUT_URL="http://127.0.0.1:$dead/mcp" INPUT_WAIT_FOR=true INPUT_WAIT_TIMEOUT=2
    rc=$?
    [ $rc = 3 ] && grep -q 'did not answer within 2 s' "$tmp/out" && [ $(($(date +%s) - t0)) -le 15 ] ||
      fail "wait-for on a dead port: exit $rc: $(cat "$tmp/out")"
    gh INPUT_WAIT_FOR='ftp://x' INPUT_URL=x
    [ $? = 2 ] || fail "wait-for ftp://: not a usage error"
    # a reason (the server's words) cannot forge a workflow command: a stand-in
    # for mcpcompat writes a report whose reason holds a line break
    printf '%s\n' '{"profiles":[{"client":"X","client_version":"1","result":"broke","failed_at":"token",' \
      '"remedy":null,"steps":[{"id":"token","reason":"100% bad\n::error::forged","checks":[]}]}]}' >"$tmp/h.json"
    printf '#!/bin/sh\ncp "%s" r.json\nexit 1\n' "$tmp/h.json" >"$tmp/fake" && chmod +x "$tmp/fake"
    mc=$tmp/fake gh
    grep -q '^::error::forged' "$tmp/out" && fail "a forged workflow command: $(cat "$tmp/out")"
    grep -qF '::error title=X 1 broke at token::100%25 bad%0A::error::forged' "$tmp/out" ||
      fail "the reason not escaped: $(grep '^::' "$tmp/out")"
    ;;
  reproducible)
    # the same sources give the same bytes: a second build into another
    # folder (its libraries from the machine's cache ci/release-deps keeps)
    RELEASE_OUT=$tmp/again "$src/ci/release" >"$tmp/log" 2>&1 || fail "ci/release again: $(tail -20 "$tmp/log")"
    for f in $(awk '{print $2}' "$rel/SHA256SUMS"); do
      cmp -s "$rel/$f" "$tmp/again/$f" || fail "$f differs between two builds of the same tree"
    done
    [ "$(wc -l <"$rel/SHA256SUMS")" = 4 ] || fail "SHA256SUMS: $(cat "$rel/SHA256SUMS")"
    ;;
  *) fail "no such case" ;;
esac
exit 0
