#!/usr/bin/env bash
# Runs one case of tests/docs-cases.txt.
# usage: tests/docs.sh BINARY CASE   (BINARY is not used)
set -u
. "$(dirname "$0")/case-lib.sh"
command -v node >/dev/null || fail "no node (ci/setup installs it)"

case $name in
  citations)
    node "$here/tools/citations.mjs" "$src" >"$tmp/out" 2>&1 || fail "$(cat "$tmp/out")"
    # the checker finds what it must: a profile with one bad citation of each kind
    jq '.evidence = {
        "a": "see ../shared/reference/clients.md §1",
        "b": "clients.md §99",
        "c": "traces/no-such-client-1.0-default.jsonl:3",
        "d": "traces/claude-code-2.1.332-default.jsonl:100000",
        "e": "spec-matrix.md row S99-01",
        "f": "because it is so",
        "g": "fixtures/personas/nobody-2026.json",
        "i": "fixtures/predictions/traces/oidc-prm-origin/sdk.jsonl:100000",
        "h": "clients.md §1 and traces/claude-code-2.1.332-default.jsonl:1 and https://example.org/x and a/b#12 and fixtures/predictions/traces/oidc-prm-origin/sdk.jsonl:7"}' \
      "$src/profiles/spec-2025-11-25.json" >"$tmp/bad.json"
    node "$here/tools/citations.mjs" "$src" "$tmp/bad.json" >"$tmp/out" 2>&1 && fail "planted citations pass"
    for want in 'evidence.a: "../shared/reference/clients.md": shared/ is not in the repository' \
      'evidence.b: "clients.md §99": docs/evidence/clients.md has no section 99' \
      'evidence.c: "traces/no-such-client-1.0-default.jsonl:3": fixtures/traces/no-such-client-1.0-default.jsonl does not exist' \
      'evidence.d: "traces/claude-code-2.1.332-default.jsonl:100000": fixtures/traces/claude-code-2.1.332-default.jsonl has' \
      'evidence.e: "S99-01": docs/evidence/spec-matrix.md has no row S99-01' \
      'evidence.f: "because it is so": cites nothing' \
      'evidence.g: "fixtures/personas/nobody-2026.json": fixtures/personas/nobody-2026.json is not in the repository' \
      'evidence.i: "fixtures/predictions/traces/oidc-prm-origin/sdk.jsonl:100000": fixtures/predictions/traces/oidc-prm-origin/sdk.jsonl has'; do
      grep -qF "$want" "$tmp/out" || fail "the checker misses: $want; it said: $(cat "$tmp/out")"
    done
    grep -q 'evidence\.h' "$tmp/out" && fail "good citations flagged: $(grep 'evidence\.h' "$tmp/out")"
    [ "$(grep -c '^' "$tmp/out")" = 9 ] || fail "not one line per problem (8) and a count: $(cat "$tmp/out")"
    ;;
  links)
    node "$here/tools/links.mjs" "$src" >"$tmp/out" 2>&1 || fail "$(cat "$tmp/out")"
    mkdir -p "$tmp/docs"
    printf '# T\n\n## A heading\n\n[ok](#a-heading) [ok2](../README.md) [web](https://example.org/x)\n[gone](nope.md) [frag](../README.md#no-such-heading) ../shared/reference/x.md\n' \
      >"$tmp/docs/page.md"
    cp "$src/README.md" "$tmp/README.md"
    node "$here/tools/links.mjs" "$tmp" docs/page.md >"$tmp/out" 2>&1 && fail "planted broken links pass"
    grep -qF 'docs/page.md: nope.md: docs/nope.md does not exist' "$tmp/out" &&
      grep -qF 'docs/page.md: ../README.md#no-such-heading: no heading gives #no-such-heading in README.md' "$tmp/out" &&
      grep -qF 'names ../shared/' "$tmp/out" && [ "$(grep -c '^docs/page.md' "$tmp/out")" = 3 ] ||
      fail "links checker: $(cat "$tmp/out")"
    ;;
  readme)
    n=$(wc -l <"$src/README.md")
    [ "$n" -le 200 ] || fail "README.md has $n lines; the front page stays under 200 (move the rest to docs/)"
    grep -q '^ci/demo ' "$src/README.md" && grep -q '^ci/test ' "$src/README.md" || fail "the quick start (ci/demo, ci/test) is gone"
    [ -x "$src/ci/demo" ] && [ -x "$src/ci/test" ] || fail "ci/demo or ci/test missing"
    for d in install cli how-it-works reports profiles personas own-server fidelity ci development evidence/README; do
      grep -q "(docs/$d.md" "$src/README.md" || fail "README does not link docs/$d.md"
    done
    ;;
  *) fail "no such case" ;;
esac
exit 0
