# The preamble of the tests that start a real server of tests/predict-setups.sh
# (tests/predictions.sh, tests/persona-product.sh), sourced after `set -u`:
# tests/case-lib.sh (bin, name: the case or setup, here, tmp, fail, the helpers
# of tests/secrets.sh), servers, srv_pid (the server: stopped on exit) and the
# helpers of tests/predict-setups.sh.
. "$(dirname "$0")/case-lib.sh"
servers=$here/servers
srv_pid=""
cleanup() {
  [ -n "$srv_pid" ] && stop_pid "$srv_pid"
  rm -rf "$tmp"
}
. "$here/predict-setups.sh"
