/* A run that cannot finish still leaves its reports: report paths checked
 * before the run, an error result when the target or the fixture is out of
 * reach, signals and --max-time turned into recorded errors. */
#ifndef MC_FAILSAFE_H
#define MC_FAILSAFE_H

#include "../data/profile.h"
#include "../model/result.h"

#include <stddef.h>

/* 0 when path can be written (an existing writable file, or a new file in
 * an existing writable directory); else -1 with one line in why. */
int mc_path_writable(const char *path, char *why, size_t n);
/* Checks each (flag, path) pair with a path; prints one line and returns
 * -1 at the first that cannot be written. flags and paths have n entries. */
int mc_reports_preflight(const char *const *flags, const char *const *paths, size_t n);
/* --cacert, which curl opens itself: a regular file, or one line and -1 (a
 * pipe would block the first TLS exchange for ever). NULL passes. */
int mc_cacert_preflight(const char *path);
/* --tls-cert or --tls-key (flag) path, given with the other (other): a
 * readable regular PEM file of at most 64 KiB, or one line and -1 (an input
 * error, exit 2, before the fixture starts); NULL: the other needs it. */
int mc_pem_preflight(const char *flag, const char *path, const char *other);
/* Fills res as a run where every profile stopped at its first step with an
 * error (why), the other steps skipped: for a target or fixture that could
 * not be used at all. */
void mc_run_result_error(mc_run_result *res, const char *version, const char *target,
                         mc_profile *const *profiles, size_t n, mc_rev rev, const char *why);
/* From step first on, a run's steps are skipped (not reached). */
void mc_profile_run_skip_from(mc_profile_run *run, int first);
/* SIGINT and SIGTERM stop every exchange (mc_http_interrupt), so the run
 * ends and its reports are written. */
void mc_signals_install(void);
/* libxml2 reports its own errors to stderr; mcpcompat reports them itself. */
void mc_libxml_quiet(void);

#endif
