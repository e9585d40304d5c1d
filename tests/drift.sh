#!/usr/bin/env bash
# ci/drift without network installs: --offline on the committed traces, first
# against the current profiles (no drift), then with an older SDK client
# profile planted (another callback port and protocol version): the table must
# name the client, both versions, the modes that differ and the first
# differing request, and ci/drift must exit 1.
# usage: tests/drift.sh BINARY
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [drift]: $*" >&2; exit 1; }

MCPCOMPAT=$bin "$root/ci/drift" --offline "$root/fixtures/traces" --clients sdk >"$tmp/out" 2>&1
[ $? = 0 ] || fail "no drift expected: $(cat "$tmp/out")"
grep -Eq '^sdk-simpleOAuthClient +1\.32\.2 +1\.32\.2 +- +-$' "$tmp/out" || fail "row: $(cat "$tmp/out")"

cp -r "$root/profiles" "$tmp/profiles"
jq '.client_version = "1.31.0" | .redirect.port = 8091 | .mcp.protocol_version = "2025-06-18"' \
  "$root/profiles/sdk-client-1.32.2.json" >"$tmp/profiles/sdk-client-1.32.2.json"
MCPCOMPAT_PROFILES=$tmp/profiles MCPCOMPAT=$bin "$root/ci/drift" --offline "$root/fixtures/traces" \
  --clients sdk >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "planted drift: exit $rc: $(cat "$tmp/out")"
row=$(grep '^sdk-simpleOAuthClient ' "$tmp/out") || fail "no row: $(cat "$tmp/out")"
[[ $row =~ ^sdk-simpleOAuthClient\ +1\.31\.0\ +1\.32\.2\ +([^ ]+)\ +(.*)$ ]] || fail "row: $row"
differ=${BASH_REMATCH[1]} first=${BASH_REMATCH[2]}
for m in default strict-redirect bad-iss; do [[ ,$differ, == *,$m,* ]] || fail "$m not among the modes that differ: $row"; done
[[ $first == "default: redirect URI at #"[0-9]* ]] || fail "first differing request: $first"
"$root/ci/drift" --bogus >/dev/null 2>&1
[ $? = 2 ] || fail "a bad argument must exit 2"
echo "ok [drift]"
