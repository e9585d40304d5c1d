# The preamble of the scripts that run one case of a cases file (tests/docs.sh,
# e2e.sh, harden.sh, install.sh, personas.sh, release.sh, schemas.sh,
# targets.sh) and of tests/real-server.sh, sourced after `set -u`. Sets bin
# (the mcpcompat binary, $1), name (the case, $2), here (tests/), src (the
# source tree), schema (the JUnit XSD), tmp (removed on exit) and pids (the
# background processes a case starts: killed on exit); defines fail MESSAGE
# (the case fails), validate_junit FILE, the helpers of tests/secrets.sh and free_port
# (tests/ports.sh).
# A script may define cleanup or fail again after sourcing this.
bin=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
schema=$here/junit-10.xsd
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL [$name]: $*" >&2; exit 1; }
validate_junit() {
  xmllint --noout --schema "$schema" "$1" 2>"$tmp/xmllint.err" ||
    fail "$1 does not validate: $(cat "$tmp/xmllint.err")"
}
. "$here/secrets.sh"
. "$here/ports.sh"
