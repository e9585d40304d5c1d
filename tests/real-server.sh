# The preamble of the tests that start a real server of tests/predict-setups.sh
# (tests/predictions.sh, tests/persona-product.sh), sourced after `set -u`:
# bin (the mcpcompat binary, $1), name (the case or setup, $2), here, servers,
# tmp (removed on exit, with the server srv_pid stopped), fail, and the
# helpers of tests/secrets.sh and tests/predict-setups.sh.
bin=$1
name=$2
here=$(cd "$(dirname "$0")" && pwd)
servers=$here/servers
tmp=$(mktemp -d)
srv_pid=""
cleanup() {
  [ -n "$srv_pid" ] && stop_pid "$srv_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL [$name]: $*" >&2; exit 1; }
. "$here/secrets.sh"
. "$here/predict-setups.sh"
