#!/usr/bin/env bash
# A persona (fixtures/personas) against the real product it describes, where
# the product runs here: starts the product configured as the persona says
# (a setup of tests/predict-setups.sh, npm packages of tests/servers or a
# Debian package), runs `mcpcompat run` with a set of profiles against it (its
# login driven by mcpcompat's own login handling) and `mcpcompat run --as
# PERSONA` with the same profiles and arguments, and asserts that every
# profile has the same verdict and the same failing step on both, and that
# each WORD of the case is in both failure reasons or in neither (the same
# cause, not only the same step). as-quirk=Q[,Q...] adds fixture quirks to the
# --as run only: the persona with a product remedy applied, against the product
# configured with that remedy (a setup of its own). A known disagreement (known=PROFILE:REAL/AS,
# explained in the persona's notes) is asserted to be exactly that, so a fix
# shows up as a failure to update the case.
# usage: tests/persona-product.sh BINARY CASE   (cases: tests/persona-product-cases.txt)
set -u
. "$(dirname "$0")/real-server.sh"

line=$(grep -E "^$name " "$here/persona-product-cases.txt") || fail "no such case"
read -r _ setup persona profiles rest <<<"${line%% --*}"
args=()
[[ $line == *" -- "* ]] && read -r -a args <<<"${line#* -- }"
words="" known=() as_extra=()
for t in $rest; do
  case $t in
    words=*) words=${t#words=} ;;
    as-quirk=*) as_extra+=(--quirk "${t#as-quirk=}") ;;
    known=*) known+=("${t#known=}") ;;
    *) fail "bad case field $t" ;;
  esac
done
[ -d "$servers/node_modules" ] || fail "tests/servers/node_modules missing: run ci/setup"
# a persona another change adds (the case lands first): skipped, said so, until it is built in
if ! "$bin" personas "$persona" >/dev/null 2>&1; then
  echo "skip [$name]: persona $persona is not in this build"
  exit 77
fi

# the real product, configured as the persona describes it
start_setup "$setup" "$tmp/server.log" || fail "$setup did not start: $(tail -5 "$tmp/server.log")"
login=(--login-user-env PP_USER --login-password-env PP_PASSWORD)
# a login page that is a script: the setup's program logs in (it reads PP_USER, PP_PASSWORD)
[ -n "$login_command" ] && login=(--login-command "$login_command")
PP_USER=$login_user PP_PASSWORD=$login_password NO_COLOR=1 "$bin" run "$target" --profile "$profiles" \
  --jobs 1 "${login[@]}" --no-server-suite "${args[@]}" \
  --json "$tmp/real.json" >"$tmp/real.out" 2>"$tmp/real.err"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "real $setup: exit $rc: $(head -20 "$tmp/real.err" "$tmp/real.out")"
stop_pid "$srv_pid"
srv_pid=""
# the fixture playing the persona
NO_COLOR=1 "$bin" run --as "$persona" "${as_extra[@]}" --profile "$profiles" --no-server-suite "${args[@]}" \
  --json "$tmp/as.json" >"$tmp/as.out" 2>"$tmp/as.err"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "--as $persona: exit $rc: $(head -20 "$tmp/as.err" "$tmp/as.out")"
leaks "$tmp/real.out" "$tmp/real.err" "$tmp/real.json" >"$tmp/leak" &&
  fail "a secret reached the output: $(head -c 300 "$tmp/leak")"
leaks --fixture "$tmp/as.out" "$tmp/as.err" "$tmp/as.json" >"$tmp/leak" &&
  fail "a secret reached the output: $(head -c 300 "$tmp/leak")"

# PROFILE VERDICT [WORD...]: VERDICT pass or broke@STEP; the WORDs of the case
# found in the failure's reasons
verdicts() {
  jq -r --arg words "$words" '
    ($words | split(",") | map(select(. != "") | gsub("\\+"; " "))) as $w
    | .profiles[]
    | ([.steps[] | select(.status == "fail" or .status == "error") | .reason // empty,
        (.checks[]? | select(.status == "fail") | .message)] | join(" ") | ascii_downcase) as $r
    | [.id, (if .result == "pass" then "pass" elif .result == "broke" then "broke@" + (.failed_at // "?") else .result end)]
      + [$w[] | select(ascii_downcase as $x | $r | contains($x))]
    | join(" ")' "$1"
}
verdicts "$tmp/real.json" >"$tmp/real.v" || fail "real: no JSON report"
verdicts "$tmp/as.json" >"$tmp/as.v" || fail "--as: no JSON report"
n=$(wc -l <"$tmp/real.v")
[ "$n" -ge 1 ] || fail "no profile ran"
[ "$(cut -d' ' -f1 "$tmp/real.v")" = "$(cut -d' ' -f1 "$tmp/as.v")" ] || fail "not the same profiles ran"
grep -qE '^[^ ]+ (error|not-run)' "$tmp/real.v" "$tmp/as.v" &&
  fail "a profile did not run to a verdict: $(grep -hE '^[^ ]+ (error|not-run)' "$tmp/real.v" "$tmp/as.v")"

bad=0 agree=0
while read -r id real_v <&3 && read -r _ as_v <&4; do
  k=""
  for e in "${known[@]}"; do [ "${e%%:*}" = "$id" ] && k=${e#*:}; done
  reason() { jq -r --arg id "$id" '.profiles[] | select(.id == $id) | [.steps[] | .reason // empty] | join("; ") | .[0:300]' "$1"; }
  if [ -n "$k" ]; then
    if [ "${real_v%% *}/${as_v%% *}" != "$k" ]; then
      bad=$((bad + 1))
      echo "FAIL [$name]: $id: real $real_v, --as $as_v; the case records the known disagreement $k" >&2
    else
      echo "note [$name]: $id: known disagreement (the persona's notes): real $real_v, --as $persona $as_v"
    fi
  elif [ "$real_v" != "$as_v" ]; then
    bad=$((bad + 1))
    echo "FAIL [$name]: $id: the real product: $real_v ($(reason "$tmp/real.json")); --as $persona: $as_v ($(reason "$tmp/as.json"))" >&2
  else
    agree=$((agree + 1))
  fi
done 3<"$tmp/real.v" 4<"$tmp/as.v"
for e in "${known[@]}"; do
  grep -q "^${e%%:*} " "$tmp/real.v" || fail "known disagreement for ${e%%:*}, which did not run"
done
[ "$bad" = 0 ] || fail "$bad of $n profiles differ between the real product ($setup) and --as $persona"
echo "ok [$name]: $agree of $n profiles agree between the real product ($setup) and --as $persona${as_extra[*]:+ ${as_extra[*]}} ($(cut -d' ' -f2 "$tmp/real.v" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')); ${#known[@]} known disagreements"
