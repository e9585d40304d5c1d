# free_port: prints a TCP port that nothing on this machine holds, for a test
# server to listen on. Chosen at random below the kernel's ephemeral range
# (/proc/sys/net/ipv4/ip_local_port_range, 32768-60999 by default), where
# neither a listener bound to port 0 nor an outgoing connection is ever given
# a port: a port taken from that range (listen(0), then close) could be handed
# to another test's server or connection in the moment before ours binds it,
# as seen in CI (glewlwyd: "Failed to bind to port 36731: Address already in
# use"). Checked by binding the wildcard address without SO_REUSEADDR, the
# strictest bind any server here makes, so a port held by a connection in
# TIME_WAIT is refused too. Two tests can still draw the same port (1 in
# 12,000 a pair); the callers that start a server start it again on another
# (tests/predict-setups.sh start_setup). Sourced by tests/case-lib.sh,
# tests/predict-setups.sh and ci/drift.
free_port() {
  python3 - <<'PY'
import random, socket, sys
lo = 20000
try:
    lo_eph = int(open('/proc/sys/net/ipv4/ip_local_port_range').read().split()[0])
except (OSError, ValueError, IndexError):
    lo_eph = 32768
hi = min(lo_eph, 32768) - 1
if hi - lo < 1000:
    lo, hi = 1024, max(hi, 2024)
for _ in range(200):
    p = random.randint(lo, hi)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('0.0.0.0', p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit('free_port: no free port found in %d-%d' % (lo, hi))
PY
}
