#!/usr/bin/env bash
# Runs one case of tests/install-cases.txt.
# usage: tests/install.sh BINARY CASE
# MCPCOMPAT_PKG_DIR: the build tree ci/package made (the install_package test).
set -u
. "$(dirname "$0")/case-lib.sh"

# Runs the installed binary from a directory outside both trees with no
# MCPCOMPAT_* variable set: only its own installed data can serve it.
installed() {
  local dir=$1; shift
  (cd "$dir" && env -u MCPCOMPAT_PROFILES -u MCPCOMPAT_SCENARIOS -u MCPCOMPAT_TRACES \
     -u MCPCOMPAT_MODES -u MCPCOMPAT_PERSONAS "$@")
}

# demo, profiles and a user's own profile by path from the binary at $1,
# whose data is under $2/share/mcpcompat.
acceptance() {
  local mc=$1 prefix=$2
  installed / "$mc" --version >"$tmp/v" 2>&1 || fail "--version: $(cat "$tmp/v")"
  grep -qx "profiles: $prefix/share/mcpcompat/profiles" "$tmp/v" ||
    fail "not its installed profiles: $(cat "$tmp/v")"
  grep -Eq '^libcurl [0-9.]+, OpenSSL [0-9.]+' "$tmp/v" || fail "no library versions: $(cat "$tmp/v")"
  installed / "$mc" demo --json "$tmp/d.json" >"$tmp/out" 2>"$tmp/err" ||
    fail "demo: $(cat "$tmp/out" "$tmp/err")"
  [ "$(jq -r '[.profiles[] | .id + "=" + .result] | sort | join(" ")' "$tmp/d.json")" = \
    "claude-code-2025=broke claude-desktop-2026=pass cursor-2025=broke mcp-inspector-2.12.0=pass mcp-remote-0.15.1=pass vscode-1.101=broke" ] ||
    fail "demo: not the seed's scoreboard: $(cat "$tmp/out")"
  leaks --fixture "$tmp/out" "$tmp/err" "$tmp/d.json" && fail "a secret in the demo's output"
  installed / "$mc" profiles >"$tmp/out" 2>&1 || fail "profiles: $(cat "$tmp/out")"
  [ "$(grep -c '^spec-20' "$tmp/out")" = 4 ] && grep -q '^vscode-1.101 ' "$tmp/out" ||
    fail "profiles: $(cat "$tmp/out")"
  # a user's own profile by path, beside the built-in ones
  mkdir -p "$tmp/work"
  sed 's/"id": "spec-2025-11-25"/"id": "my-client-1.0"/' "$src/profiles/spec-2025-11-25.json" \
    >"$tmp/work/custom.json"
  installed "$tmp/work" "$mc" run --profile ./custom.json,vscode-1.122 --no-server-suite \
    --json "$tmp/c.json" >"$tmp/out" 2>"$tmp/err" || fail "run --profile ./custom.json: $(cat "$tmp/out" "$tmp/err")"
  [ "$(jq -r '[.profiles[] | .id + "=" + .result] | join(" ")' "$tmp/c.json")" = \
    "my-client-1.0=pass vscode-1.122=pass" ] || fail "custom profile run: $(cat "$tmp/out")"
  # its errors name the file, line and column like a built-in's
  sed 's/"released"/"releasd"/' "$tmp/work/custom.json" >"$tmp/work/bad.json"
  installed "$tmp/work" "$mc" run --profile ./bad.json >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 2 ] || fail "bad custom profile: exit $rc, want 2"
  grep -Eq '^mcpcompat: \./bad\.json:6:[0-9]+: .*releasd' "$tmp/err" || fail "bad custom profile: $(cat "$tmp/err")"
  # --profiles-dir replaces the installed profiles
  mkdir -p "$tmp/work/pd" && cp "$tmp/work/custom.json" "$tmp/work/pd/"
  installed / "$mc" profiles --profiles-dir "$tmp/work/pd" >"$tmp/out" 2>&1 || fail "--profiles-dir: $(cat "$tmp/out")"
  # the header, its one profile, and the sets
  [ "$(sed -n '/^ID /,/^$/p' "$tmp/out" | grep -Evc '^(ID |$)')" = 1 ] && grep -q '^my-client-1.0 ' "$tmp/out" || fail "--profiles-dir: $(cat "$tmp/out")"
  installed "$tmp/work" "$mc" profiles ./custom.json >"$tmp/out" 2>&1 && grep -q 'my-client-1.0' "$tmp/out" ||
    fail "profiles ./custom.json: $(cat "$tmp/out")"
}

pkg=${MCPCOMPAT_PKG_DIR:-}
case $name in
  prefix)
    # the package build installed to a temporary prefix
    [ -x "$pkg/mcpcompat" ] || fail "no package build in \"$pkg\" (the install_package test makes it)"
    # out of reach: the package build does not know where its source tree is
    ! grep -qF "$src" "$pkg/mcpcompat" || fail "the package build names the source tree $src"
    cmake --install "$pkg" --prefix "$tmp/prefix" >"$tmp/log" 2>&1 || fail "install: $(cat "$tmp/log")"
    # relocatable: the prefix moved elsewhere still finds its data
    mv "$tmp/prefix" "$tmp/moved"
    acceptance "$tmp/moved/bin/mcpcompat" "$tmp/moved"
    [ -f "$tmp/moved/share/man/man1/mcpcompat.1" ] && [ -f "$tmp/moved/share/bash-completion/completions/mcpcompat" ] ||
      fail "no man page or completion installed"
    # the test build installed too: its installed data comes before its source tree
    cmake --install "$(dirname "$bin")" --prefix "$tmp/dev" >"$tmp/log" 2>&1 || fail "install: $(cat "$tmp/log")"
    installed / "$tmp/dev/bin/mcpcompat" --version | grep -qx "scenarios: $tmp/dev/share/mcpcompat/scenarios" ||
      fail "the installed test build reads its source tree"
    ;;
  deb)
    deb=$(ls "$pkg"/mcpcompat_*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || fail "no .deb in \"$pkg\" (the install_package test makes it)"
    # runtime dependencies: Debian's libraries only, never a -dev package
    deps=$(dpkg-deb -f "$deb" Depends)
    for d in libc6 libcurl4 libjansson4 libssl3 libxml2 libmicrohttpd12; do
      grep -Eq "(^|, )$d( |,|$)" <<<"$deps" || fail "Depends lacks $d: $deps"
    done
    [ "$(tr ',' '\n' <<<"$deps" | grep -cv -E '^ ?(libc6|libcurl4|libjansson4|libssl3|libxml2|libmicrohttpd12) ')" = 0 ] ||
      fail "unexpected dependencies: $deps"
    # dpkg -i into a scratch root whose database knows this machine's
    # packages, so the dependencies are checked, not forced
    root=$tmp/root
    mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
    cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
    dpkg --root="$root" --force-not-root --log=/dev/null -i "$deb" >"$tmp/log" 2>&1 ||
      fail "dpkg -i: $(grep -v 'files list file' "$tmp/log")"
    dpkg --root="$root" -s mcpcompat 2>/dev/null | grep -qx 'Status: install ok installed' || fail "not installed"
    acceptance "$root/usr/bin/mcpcompat" "$root/usr"
    [ -f "$root/usr/share/man/man1/mcpcompat.1" ] || fail "no man page in the package"
    dpkg --root="$root" --force-not-root --log=/dev/null -r mcpcompat >"$tmp/log" 2>&1 ||
      fail "dpkg -r: $(grep -v 'files list file' "$tmp/log")"
    [ ! -e "$root/usr/bin/mcpcompat" ] || fail "dpkg -r left the binary"
    ;;
  man)
    # the man page is written from --help: every command and option is in it
    "$bin" --man >"$tmp/m.1" || fail "--man failed"
    # every command's own --help: its options
    for c in $("$bin" --help | awk '/^commands:/ {c = 1; next} /^$/ {c = 0} c {print $1}' | sort -u); do
      "$bin" "$c" --help
    done | awk '/^options:/ {c = 1; next} /^$/ {c = 0} c' | grep -E '^  -' | sort -u >"$tmp/help"
    MANWIDTH=200 man -l "$tmp/m.1" 2>"$tmp/err" | col -b >"$tmp/m.txt"
    [ -s "$tmp/m.txt" ] && [ ! -s "$tmp/err" ] || fail "man does not render it: $(cat "$tmp/err")"
    n=0
    while read -r term rest; do
      n=$((n + 1))
      grep -qF -- "$term" "$tmp/m.txt" || fail "$term is in --help, not in the man page"
      text=$(sed -E 's/^[^ ]+ +//; s/^[A-Z|,.[]+ +//' <<<"$rest" | cut -c1-30)
      grep -qF -- "$text" "$tmp/m.txt" || fail "$term's text \"$text\" is not in the man page"
    done < <(grep -E '^  -' "$tmp/help")
    [ $n -gt 20 ] || fail "only $n options in --help"
    for s in SYNOPSIS COMMANDS 'RUN OPTIONS' 'MATRIX OPTIONS' EXAMPLES 'RUN EXAMPLES' 'EXIT CODES' ENVIRONMENT FILES 'SEE ALSO'; do
      grep -q "^$s" "$tmp/m.txt" || fail "no $s section"
    done
    # the build writes the same page
    cmp -s "$tmp/m.1" "$(dirname "$bin")/mcpcompat.1" || fail "build's mcpcompat.1 differs from --man"
    ;;
  action)
    tools=$src/tests/tools/node_modules/.bin
    [ -x "$tools/action-validator" ] || fail "no action-validator (ci/setup installs tests/tools)"
    "$tools/action-validator" "$src/action.yml" >"$tmp/log" 2>&1 || fail "action.yml: $(cat "$tmp/log")"
    "$tools/action-validator" "$src/ci/templates/github-actions.yml" >"$tmp/log" 2>&1 ||
      fail "the GitHub template: $(cat "$tmp/log")"
    # the validator rejects what GitHub would: a step without its shell
    grep -v '^      shell: bash$' "$src/action.yml" >"$tmp/action.yml"
    "$tools/action-validator" "$tmp/action.yml" >/dev/null 2>&1 && fail "the validator accepts a broken action"
    # inputs reach scripts only through env: no ${{ }} inside a run block
    awk '/^ +run: \|$/ {inrun = 1; next} inrun && !/^        / {inrun = 0}
      /\$\{\{/ && (inrun || /^ +run: /) {print; bad = 1} END {exit bad}' "$src/action.yml" >"$tmp/log" ||
      fail "an expression pasted into a script: $(cat "$tmp/log")"
    "$tools/action-validator" "$src/ci/templates/release.yml" >"$tmp/log" 2>&1 ||
      fail "the release workflow template: $(cat "$tmp/log")"
    # the install step, as the runner runs it, given a binary (the release
    # download is tests/release.sh's action case)
    grep -qx "      run: '\"\$GITHUB_ACTION_PATH/ci/action-install\"'" "$src/action.yml" ||
      fail "the install step does not run ci/action-install"
    env GITHUB_PATH="$tmp/gh-path" CACHE_DIR="$tmp/runner/mcpcompat" INPUT_BINARY="$bin" \
      "$src/ci/action-install" >"$tmp/log" 2>&1 || fail "the install step: $(cat "$tmp/log")"
    mc=$(cat "$tmp/gh-path")/mcpcompat
    [ -x "$mc" ] || fail "the install step put no mcpcompat on the PATH"
    env GITHUB_PATH="$tmp/gh-path" CACHE_DIR="$tmp/runner/mcpcompat" INPUT_BINARY=/nonexistent \
      "$src/ci/action-install" >"$tmp/log" 2>&1 && fail "the install step takes a binary that is not there"
    grep -q '^::error title=mcpcompat install::binary: /nonexistent is not an executable file' "$tmp/log" ||
      fail "install step error: $(cat "$tmp/log")"
    # the run step: the job summary, the outputs, the exit code
    gh() {
      : >"$tmp/summary"; : >"$tmp/output"
      (cd "$tmp/work" && env GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_OUTPUT="$tmp/output" \
        MCPCOMPAT="$mc" INPUT_JUNIT=r.xml INPUT_JSON=r.json INPUT_MARKDOWN=r.md "$@" \
        "$src/ci/action-run" >"$tmp/out" 2>"$tmp/err")
    }
    mkdir -p "$tmp/work"
    gh INPUT_SCENARIO=seed-2026
    rc=$?
    [ $rc = 0 ] || fail "scenario seed-2026: exit $rc: $(cat "$tmp/out" "$tmp/err")"
    grep -qx 'exit-code=0' "$tmp/output" && grep -qx 'markdown=r.md' "$tmp/output" || fail "outputs: $(cat "$tmp/output")"
    cmp -s "$tmp/summary" "$tmp/work/r.md" && grep -q '^| Claude Desktop' "$tmp/summary" ||
      fail "the job summary is not the Markdown scoreboard: $(head -5 "$tmp/summary")"
    xmllint --noout "$tmp/work/r.xml" && jq -e '.profiles | length == 6' "$tmp/work/r.json" >/dev/null ||
      fail "reports missing"
    gh INPUT_PROFILES=vscode-1.101 INPUT_ARGS="--quirk prm-hint-only,issuer-path=/as,challenge=lowercase --no-server-suite"
    rc=$?
    [ $rc = 1 ] || fail "a broken client: exit $rc, want 1: $(cat "$tmp/err")"
    grep -qx 'exit-code=1' "$tmp/output" && grep -q '^::error title=mcpcompat::a client broke' "$tmp/out" &&
      grep -q '| `vscode-1.101` | ❌ BROKE | `registration` |' "$tmp/summary" ||
      fail "a broken client: $(cat "$tmp/output" "$tmp/out" "$tmp/summary")"
    gh INPUT_SPEC=1999-01-01
    rc=$?
    [ $rc = 2 ] && grep -qx 'exit-code=2' "$tmp/output" || fail "a usage error: exit $rc"
    leaks --fixture "$tmp/summary" "$tmp/out" "$tmp/err" "$tmp/work/r.json" && fail "a secret in the action's output"
    ;;
  dockerfile)
    # The image cannot be built here (no container engine, no base images);
    # its recipe is linted and held to the package's build.
    tools=$src/tests/tools/node_modules/.bin
    [ -x "$tools/dockerfile-utils" ] || fail "no dockerfile-utils (ci/setup installs tests/tools)"
    "$tools/dockerfile-utils" lint "$src/Dockerfile" >"$tmp/log" 2>&1 || fail "Dockerfile: $(cat "$tmp/log")"
    printf 'FROM debian:12\nRUNN true\n' >"$tmp/Dockerfile"
    "$tools/dockerfile-utils" lint "$tmp/Dockerfile" >/dev/null 2>&1 && fail "the linter accepts a broken Dockerfile"
    df=$src/Dockerfile
    [ "$(grep -c '^FROM ' "$df")" = 2 ] || fail "not two stages"
    grep -qx 'FROM debian:12 AS build' "$df" && grep -q '^RUN ci/package /build' "$df" ||
      fail "the build stage does not build the package as ci/package does"
    [ "$(grep '^FROM ' "$df" | tail -1)" = 'FROM debian:12-slim' ] || fail "the runtime is not Debian slim"
    grep -q 'apt-get install -y --no-install-recommends /tmp/mcpcompat.deb' "$df" || fail "the runtime does not install the package"
    user=$(grep '^USER ' "$df" | tail -1 | awk '{print $2}')
    [ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] && grep -q "useradd .* $user\$" "$df" ||
      fail "not a non-root user: $user"
    grep -qx 'ENTRYPOINT \["mcpcompat"\]' "$df" || fail "the binary is not the entrypoint"
    # the GitLab template runs that image
    grep -q 'entrypoint: \[""\]' "$src/ci/templates/gitlab-ci.yml" && grep -q 'mcpcompat run ' "$src/ci/templates/gitlab-ci.yml" &&
      ! grep -q 'ci/setup' "$src/ci/templates/gitlab-ci.yml" || fail "the GitLab template does not use the image"
    ;;
  completion)
    # bash completion reads --help: commands, each command's options, profile ids
    complete_words() { # WORD... : what completes the last one
      bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mcpcompat; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$src/ci/completion/mcpcompat.bash" "$bin" "$@"
    }
    [ "$(complete_words de)" = demo ] || fail "command: $(complete_words de)"
    [ "$(complete_words matrix --mark)" = --markdown ] || fail "matrix option: $(complete_words matrix --mark)"
    [ -z "$(complete_words serve --mark)" ] || fail "serve takes no --markdown"
    [ "$(complete_words run --profile vscode-1.10)" = vscode-1.101 ] || fail "profile ids: $(complete_words run --profile vscode-1.10)"
    n=$(complete_words run - | wc -l)
    [ "$n" = "$("$bin" run --help | grep -cE '^  -')" ] || fail "run's options: $n"
    [ "$(complete_words run --fail)" = --fail-on ] || fail "run --fail: $(complete_words run --fail)"
    ;;
  *) fail "no such case" ;;
esac
exit 0
