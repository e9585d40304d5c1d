/* The reporters: pure readers of the result model. */
#ifndef MC_REPORTS_H
#define MC_REPORTS_H

#include "../harness/result.h"

#include <stdio.h>

/* The scoreboard, then the details of every failure and warning. */
void mc_report_console(FILE *out, const mc_run_result *r, int color);
/* Returns 0, or -1 when the file cannot be written. */
int mc_report_junit(const char *path, const mc_run_result *const *runs, size_t n);
int mc_report_json(const char *path, const mc_run_result *r);
/* Several runs (--spec all) in one document: every profile, every server
 * check, each naming the revision it was judged by. */
int mc_report_json_runs(const char *path, const mc_run_result *const *runs, size_t n);
/* --spec all: one row per step (and per check that differs), one column per
 * revision. */
void mc_report_compare(FILE *out, const mc_run_result *const *runs, size_t n, int color);
/* `mcpcompat matrix`: a column per server policy (fixture quirks, comma-
 * separated; what: one line, or NULL), res[i] the run under pol[i]. */
typedef struct {
    const char *quirks;
    const char *what;
} mc_matrix_policy;
void mc_report_matrix(FILE *out, const mc_matrix_policy *pol, const mc_run_result *res, size_t n,
                      int color);
int mc_report_matrix_json(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n);
/* Valid UTF-8 without control characters (tab and newline kept); owned. */
char *mc_xml_safe(const char *s);

#endif
