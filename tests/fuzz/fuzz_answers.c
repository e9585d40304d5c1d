/* libFuzzer target over the readers of what a server answers during the
 * handshake, in process: fuzz_responses.c's server and documents, its
 * answers handed to the HTTP layer through mc_http_fuzz_answer instead of
 * a socket, so an execution costs no connection. The parsing, caps,
 * redaction and records after the transfer are the program's own; the
 * network path (and the SSRF guard at connect) stays fuzzed by the
 * responses target, for a time budget. */
#define MC_FUZZ_IN_PROCESS 1
#include "fuzz_responses.c"
