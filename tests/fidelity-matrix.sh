#!/usr/bin/env bash
# Every recorded client's default trace against every profile: the profiles
# that match it must all be of the client's own family (its profile id
# without the version), and there must be at least one. A profile family
# that also matched another client's trace would mean fidelity cannot tell
# the two clients apart. One `mcpcompat fidelity TRACE --profile all` a trace
# (a line a profile), so each trace is its own case.
# usage: tests/fidelity-matrix.sh BINARY [TRACE-NAME]   (default: every default trace)
set -u
bin=$1
only=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
modes=$root/fixtures/traces/modes.json
family() { sed -E 's/-[0-9].*$//' <<<"$1"; }
profiles=$(cd "$root/profiles" && ls -- *.json | sed 's/\.json$//')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0 checked=0
for trace in "$root"/fixtures/traces/*-default.jsonl; do
  name=$(basename "$trace" .jsonl)
  [ -z "$only" ] || [ "$name" = "$only" ] || continue
  client=${name%-default}
  own=$(jq -r --arg c "$client" '.clients[$c] // empty' "$modes")
  if [ -z "$own" ]; then
    echo "FAIL $name: no client in modes.json names it"
    failed=$((failed + 1))
    continue
  fi
  "$bin" fidelity "$trace" --profile all >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc != 0 ] && [ $rc != 1 ]; then
    echo "FAIL $name: fidelity --profile all: exit $rc: $(head -n 3 "$tmp/err")"
    failed=$((failed + 1))
    continue
  fi
  matched=() bad=0
  for p in $profiles; do
    line=$(grep -E "^$name\.jsonl: $p (matches|differs) " "$tmp/out")
    # a fixed callback port another run holds makes the client's own
    # profile differ (it cannot listen): that pair gets a second try, alone
    if [[ $line != *" matches "* ]] && [ "$(family "$p")" = "$(family "$own")" ]; then
      sleep 2
      line=$("$bin" fidelity "$trace" --profile "$p" 2>&1 | head -n 1)
    fi
    case $line in
      *" $p matches "*) matched+=("$p") ;;
      *" $p differs from the recording"*) ;;
      *) echo "FAIL $name against $p: no verdict: ${line:-$(head -n 1 "$tmp/err")}"; bad=1 ;;
    esac
  done
  checked=$((checked + 1))
  stray=()
  for p in "${matched[@]}"; do
    [ "$(family "$p")" = "$(family "$own")" ] || stray+=("$p")
  done
  if [ ${#matched[@]} -eq 0 ]; then
    echo "FAIL $name: matches no profile, not even $own: $("$bin" fidelity "$trace" 2>&1 | head -n 4)"
    bad=1
  elif [ ${#stray[@]} -gt 0 ]; then
    echo "FAIL $name: matches ${stray[*]} besides the $(family "$own") family"
    bad=1
  elif [ $bad -eq 0 ]; then
    echo "ok   $name: matched only by ${matched[*]}"
  fi
  failed=$((failed + bad))
done
[ "$checked" -gt 0 ] || { echo "FAIL no default trace${only:+ named $only}"; exit 1; }
echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
