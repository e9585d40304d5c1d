# Sourced by tests/case-lib.sh (the one-case test scripts): no whole secret in
# any output.
#
# leaks [--fixture] FILE...: prints each whole secret found (file:line: match);
# status 0 when there is one. Redacted secrets keep 4 characters and an
# ellipsis. --fixture: the outputs of runs against the embedded fixture, whose
# secret formats (3) are known; a real server's ids may begin with "rt-".
#  1. Values of secret fields, wherever they are (a query, a form, JSON, a
#     header), longer than those 4 characters: Authorization headers, code,
#     the token fields, client_secret, code_verifier, password.
#  2. The test passwords and the fixture's confidential secret, literally.
#  3. The embedded fixture's secret formats (at-, rt-, code-, cs-, sess-, txn-
#     and 20 or more characters) anywhere, after blanking the random values
#     that are not secrets (PKCE challenges, state): a random base64url string
#     can begin with "at-" by chance, a secret cannot look like anything else.
leaks() {
  local f found=1 fixture=0
  [ "${1:-}" = --fixture ] && { fixture=1; shift; }
  local field='Authorization: (Bearer|Basic) [A-Za-z0-9._~+/=-]{5,}'
  field+='|"authorization": ?"(Bearer|Basic) [A-Za-z0-9._~+/=-]{5,}"'
  field+='|(^|[^A-Za-z0-9_])(access_token|refresh_token|id_token|client_secret|code_verifier|password|code)'
  field+='(\\?"[[:space:]]*:[[:space:]]*\\?"|=)[A-Za-z0-9._~+/%-]{5,}'
  local literal='mcpcompat-demo-password|mcpcompat-fixture-confidential-secret|mcpcompat-test-password'
  local format='(^|[^A-Za-z0-9_-])(at|rt|code|cs|sess|txn)-[A-Za-z0-9_-]{20,}'
  for f in "$@"; do
    [ -f "$f" ] || continue
    grep -EnH -o "$field|$literal" "$f" && found=0
    [ $fixture = 1 ] || continue
    sed -E 's/(code_challenge|state)(\\?"[[:space:]]*:[[:space:]]*\\?"|=)[A-Za-z0-9_~.-]*/\1=X/g' "$f" |
      grep -En -o "$format" | sed "s|^|$f:|" | grep . && found=0
  done
  return $found
}

# no_secrets FILE...: the case fails (fail, of tests/case-lib.sh) when a file
# holds a whole secret of the embedded fixture's runs (leaks --fixture).
no_secrets() {
  leaks --fixture "$@" >"$tmp/leak" && fail "a secret in the output: $(head -c 300 "$tmp/leak")"
  return 0
}
