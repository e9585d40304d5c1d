#!/usr/bin/env bash
# Runs one case of tests/schemas-cases.txt.
# usage: tests/schemas.sh BINARY CASE
set -u
. "$(dirname "$0")/case-lib.sh"
validate() { # SCHEMA FILE...
  node "$here/tools/validate.mjs" "$src/schemas/$1.schema.json" "${@:2}" >"$tmp/v" 2>&1 || fail "$(cat "$tmp/v")"
}
[ -d "$here/tools/node_modules/ajv" ] || fail "no ajv in tests/tools (ci/setup installs it)"

case $name in
  current)
    # the committed schemas are what the loader's tables say
    gen=$(dirname "$bin")/mc_schema_gen
    mkdir -p "$tmp/s"
    "$gen" "$tmp/s" || fail "mc_schema_gen failed"
    for k in profile scenario persona; do
      diff -u "$src/schemas/$k.schema.json" "$tmp/s/$k.schema.json" >"$tmp/diff" ||
        fail "schemas/$k.schema.json is stale; run build/mc_schema_gen schemas: $(head -30 "$tmp/diff")"
    done
    ;;
  data)
    # every data file names its schema (editors find it) and validates
    for spec in "profiles profile ../schemas" "scenarios scenario ../schemas" "fixtures/personas persona ../../schemas"; do
      read -r dir kind rel <<<"$spec"
      for f in "$src/$dir"/*.json; do
        got=$(jq -r '."$schema" // "none"' "$f")
        [ "$got" = "$rel/$kind.schema.json" ] ||
          fail "${f#$src/}: \"\$schema\" is $got; add \"\$schema\": \"$rel/$kind.schema.json\" as its last key"
      done
      validate "$kind" "$src/$dir"/*.json
    done
    ;;
  reports)
    # the JSON reports of every kind of run the suite makes: the demo (a
    # scenario with expectations), every profile with the server suite, a
    # persona, --spec all, a target that cannot be reached (errors)
    "$bin" demo --json "$tmp/demo.json" >/dev/null 2>&1
    "$bin" run --json "$tmp/all.json" >/dev/null 2>&1
    "$bin" run --as okta-2026 --profile spec-2025-11-25,cursor-2025 --json "$tmp/persona.json" >/dev/null 2>&1
    "$bin" run --spec all --no-server-suite --json "$tmp/spec-all.json" >/dev/null 2>&1
    "$bin" run http://127.0.0.1:9/mcp --profile spec-2025-11-25 --timeout 2 --json "$tmp/unreachable.json" >/dev/null 2>&1
    "$bin" run --quirk no-dcr --profile vscode-1.101,claude-code-2025 --refresh --json "$tmp/broke.json" >/dev/null 2>&1
    for f in demo all persona spec-all unreachable broke; do
      [ -s "$tmp/$f.json" ] || fail "no $f report"
    done
    validate report "$tmp"/*.json
    jq -e '.spec_revision == "all"' "$tmp/spec-all.json" >/dev/null && jq -e '.persona == "okta-2026"' "$tmp/persona.json" >/dev/null &&
      jq -e '[.. | objects | select(.status? == "error")] | length > 0' "$tmp/unreachable.json" >/dev/null ||
      fail "the reports do not cover what they should"
    # the schema is not a rubber stamp: a renamed field fails
    jq '.profiles[0].resut = .profiles[0].result | del(.profiles[0].result)' "$tmp/demo.json" >"$tmp/bad.json"
    node "$here/tools/validate.mjs" "$src/schemas/report.schema.json" "$tmp/bad.json" >"$tmp/v" 2>&1 &&
      fail "a report without result validates"
    grep -q '/profiles/0: must have required property .result.' "$tmp/v" || fail "validator said: $(cat "$tmp/v")"
    ;;
  loader)
    # $schema is taken (a string, at the top level only) by the strict loader
    mkdir -p "$tmp/p"
    jq '."$schema" = 7' "$src/profiles/spec-2025-11-25.json" >"$tmp/p/a.json"
    "$bin" profiles --profiles-dir "$tmp/p" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -q 'a.json:[0-9]*:[0-9]*: "$schema" must be a string' "$tmp/err" || fail "\$schema 7: $(cat "$tmp/err")"
    jq '.probe."$schema" = "x"' "$src/profiles/spec-2025-11-25.json" >"$tmp/p/a.json"
    "$bin" profiles --profiles-dir "$tmp/p" >/dev/null 2>"$tmp/err"
    [ $? = 2 ] && grep -q 'unknown key "$schema"' "$tmp/err" || fail "a nested \$schema: $(cat "$tmp/err")"
    jq 'del(."$schema")' "$src/profiles/spec-2025-11-25.json" >"$tmp/p/a.json"
    "$bin" profiles --profiles-dir "$tmp/p" >"$tmp/out" 2>&1 || fail "a profile without \$schema: $(cat "$tmp/out")"
    ;;
  *) fail "no such case" ;;
esac
exit 0
