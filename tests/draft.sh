#!/usr/bin/env bash
# `mcpcompat profile draft`: usage: tests/draft.sh BINARY TRACE | BINARY --planted
#  TRACE:     a draft from the trace reproduces the trace's fidelity test
#             (mcpcompat fidelity TRACE --profile ./draft.json), and each
#             drafted knob cites a line of the trace. Exit 77 (skipped) for a
#             mode modes.json marks not compared.
#  --planted: --from a profile with planted differences reports exactly those,
#             and bad input is a one-line error.
set -u
bin=$1
arg=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL [draft $(basename "$arg")]: $*" >&2; exit 1; }

if [ "$arg" != --planted ]; then
  "$bin" profile draft "$arg" -o "$tmp/draft.json" 2>"$tmp/err" || fail "draft: exit $?: $(cat "$tmp/err")"
  name=$(basename "$arg")
  (cd "$tmp" && "$bin" fidelity "$arg" --profile ./draft.json) >"$tmp/out" 2>&1
  rc=$?
  [ $rc = 77 ] && exit 77
  [ $rc = 0 ] || fail "fidelity with the draft: exit $rc: $(cat "$tmp/out")"
  # every knob read off the trace cites it by line
  jq -e --arg t "$name" '[.evidence[] | select(contains($t))] | length >= 3 and
      all(test(":[0-9]+: ") or test("expired"))' "$tmp/draft.json" >/dev/null ||
    fail "evidence does not cite trace lines: $(jq -c .evidence "$tmp/draft.json" | head -c 600)"
  echo "ok [draft $name]"
  exit 0
fi

trace=$here/../fixtures/traces/sdk-simpleOAuthClient-1.32.2-default.jsonl
profile=$here/../profiles/sdk-client-1.32.2.json
"$bin" profile draft "$trace" --from sdk-client-1.32.2 >"$tmp/same.json" || fail "--from: exit $?"
jq -e '.differs == {}' "$tmp/same.json" >/dev/null || fail "its own profile differs: $(jq -c .differs "$tmp/same.json")"
# an older profile: another redirect port, client authentication and protocol version
jq '.id = "sdk-client-planted" | .redirect.port = 8091 | .token.auth = "client_secret_basic" |
    .mcp.protocol_version = "2025-06-18"' "$profile" >"$tmp/planted.json"
"$bin" profile draft "$trace" --from "$tmp/planted.json" >"$tmp/diff.json" || fail "--from FILE: exit $?"
got=$(jq -c '.differs | keys' "$tmp/diff.json")
[ "$got" = '["mcp.protocol_version","redirect.port","token.auth"]' ] || fail "planted differences: $got"
jq -e '.differs["redirect.port"] | .profile == 8091 and .trace == 8090 and (.evidence | test("jsonl:[0-9]+: "))' \
  "$tmp/diff.json" >/dev/null || fail "redirect.port: $(jq -c '.differs["redirect.port"]' "$tmp/diff.json")"
# bad input: one line on stderr, exit 2
printf '{"seq":1}\nnot json\n' >"$tmp/bad.jsonl"
for a in "$tmp/bad.jsonl" /nonexistent.jsonl; do
  "$bin" profile draft "$a" >/dev/null 2>"$tmp/err"
  [ $? = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^mcpcompat: ' "$tmp/err" || fail "$a: $(cat "$tmp/err")"
done
"$bin" profile draft "$trace" --from no-such-profile >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'unknown profile' "$tmp/err" || fail "unknown --from: $(cat "$tmp/err")"
"$bin" profile drift "$trace" >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "profile with another subcommand must be a usage error"
echo "ok [draft --planted]"
