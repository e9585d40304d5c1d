#!/usr/bin/env bash
# mcpcompat's verdicts against the real clients' outcomes that ci/predict
# measured (fixtures/predictions/SETUP.json: real clients run headless against
# the real server of each setup, their outcome read off the wire). Starts the
# setup's real server (npm packages of tests/servers), runs `mcpcompat run`
# with the profiles of the clients measured there, and asserts each profile's
# verdict and step equal the real client's. A row may carry a
# `known_disagreement` (mcpcompat's verdict, and why it differs): such a row is
# asserted to give exactly that verdict, so a fix shows up as a failure to
# update the row, and an unexplained change as well.
# usage: tests/predictions.sh BINARY SETUP
set -u
. "$(dirname "$0")/real-server.sh"
file=$here/../fixtures/predictions/$name.json

[ -d "$servers/node_modules" ] || fail "tests/servers/node_modules missing: run ci/setup"
[ -f "$file" ] || fail "no measured outcomes: $file"
profiles=$(jq -r '[.rows[].profile] | join(",")' "$file")
[ -n "$profiles" ] || fail "$file has no rows"

start_setup "$name" "$tmp/server.log" || fail "server did not start: $(tail -5 "$tmp/server.log")"
extra=()
[ -n "$cid" ] && extra+=(--client-id "$cid")
[ -n "$csecret" ] && extra+=(--client-secret "$csecret")
# one run with every profile, with the configuration and login of ci/predict's
# runs; one profile at a time, as there (opencode and Kilo share a fixed
# callback port)
login=(--login-user-env PREDICT_USER --login-password-env PREDICT_PASSWORD)
# a login page that is a script: the setup's program logs in (PP_USER, PP_PASSWORD)
[ -n "$login_command" ] && login=(--login-command "$login_command")
PP_USER=$login_user PP_PASSWORD=$login_password PREDICT_USER=$login_user PREDICT_PASSWORD=$login_password \
  "$bin" run "$target" --profile "$profiles" --jobs 1 "${login[@]}" --no-server-suite \
  "${extra[@]}" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "exit $rc: $(head -20 "$tmp/err" "$tmp/out")"
if leaks "$tmp/out" "$tmp/err" "$tmp/r.json" >"$tmp/leak"; then
  fail "a secret reached the output: $(head -c 300 "$tmp/leak")"
fi

bad=0 n=0
# fields joined by the unit separator: a tab is whitespace to read, and
# empty fields (no known disagreement) would collapse
while IFS=$'\x1f' read -r client profile real known why evidence; do
  n=$((n + 1))
  got=$(jq -r --arg id "$profile" '.profiles[] | select(.id == $id) | if .result == "pass" then "pass" else "broke@" + (.failed_at // "?") end' "$tmp/r.json")
  want=$real
  [ -n "$known" ] && want=$known
  if [ "$got" != "$want" ]; then
    bad=$((bad + 1))
    reason=$(jq -r --arg id "$profile" '.profiles[] | select(.id == $id) | [.steps[] | .reason // empty] | join("; ")' "$tmp/r.json")
    echo "FAIL [$name]: $client ($profile): mcpcompat $got, the real client $real${known:+ (known disagreement: mcpcompat said $known: $why)}; real evidence: $evidence; mcpcompat: $reason" >&2
  elif [ -n "$known" ]; then
    echo "note [$name]: $client: known disagreement, real $real, mcpcompat $got: $why"
  fi
done < <(jq -r '.rows[] | [.client, .profile,
    (if .outcome == "pass" then "pass" else "broke@" + .step end),
    (.known_disagreement.mcpcompat // ""), (.known_disagreement.why // ""), .evidence] | join("\u001f")' "$file")
[ "$bad" = 0 ] || fail "$bad of $n profiles differ from the real clients' outcomes"
known=$(jq '[.rows[] | select(.known_disagreement)] | length' "$file")
echo "ok [$name]: $((n - known)) of $n profiles agree with the real clients' outcomes; $known known disagreements as recorded"
