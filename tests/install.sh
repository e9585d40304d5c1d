#!/usr/bin/env bash
# Runs one case of tests/install-cases.txt.
# usage: tests/install.sh BINARY CASE
# MCPCOMPAT_PKG_DIR: the build tree ci/package made (the install_package test).
set -u
bin=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [$name]: $*" >&2; exit 1; }
. "$here/secrets.sh"

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
  [ "$(grep -c . "$tmp/out")" = 2 ] && grep -q '^my-client-1.0 ' "$tmp/out" || fail "--profiles-dir: $(cat "$tmp/out")"
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
    "$bin" --help >"$tmp/help"
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
    for s in SYNOPSIS COMMANDS OPTIONS 'EXIT CODES' ENVIRONMENT; do
      grep -q "^$s" "$tmp/m.txt" || fail "no $s section"
    done
    # the build writes the same page
    cmp -s "$tmp/m.1" "$(dirname "$bin")/mcpcompat.1" || fail "build's mcpcompat.1 differs from --man"
    ;;
  *) fail "no such case" ;;
esac
exit 0
