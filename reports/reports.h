/* Room reports/: one reporter per format, pure readers of the result model
 * (harness/model/); no I/O but their output. */
/* The reporters: pure readers of the result model. */
#ifndef MC_REPORTS_H
#define MC_REPORTS_H

#include "../harness/model/result.h"
#include "../harness/wire/buf.h"

#include <stdio.h>

/* A report file written whole or not at all (file.c): mc_out_open gives a
 * temporary file beside path (or path itself when it exists and is no
 * regular file: a symbolic link such as /dev/stdout, a device, a pipe); mc_out_close(o, ok)
 * flushes, syncs and renames it over path when ok and every write succeeded, else removes it. Both
 * return NULL / -1 with errno set. */
typedef struct {
    FILE *f;
    char *path, *tmp;
    int err; /* the first write's errno (mc_out_write) */
} mc_out;
FILE *mc_out_open(mc_out *o, const char *path);
int mc_out_close(mc_out *o, int ok);
/* libxml2's output callback (xmlOutputBufferCreateIO) onto o's file, which
 * keeps the reason of a failed write for mc_out_close. */
int mc_out_write(void *o, const char *buf, int len);
/* Prints "mcpcompat: cannot write PATH: REASON" (errno) and returns the exit
 * code of a report that could not be written (3). */
int mc_report_failed(const char *path);

/* The scoreboard, then the details of every failure and warning. */
void mc_report_console(FILE *out, const mc_run_result *r, int color);
/* The verdict every report shows, as the console's last line. */
void mc_report_verdict_line(FILE *out, const mc_run_result *const *runs, size_t n, int color);
/* Returns 0, or -1 when the file cannot be written. */
int mc_report_junit(const char *path, const mc_run_result *const *runs, size_t n);
int mc_report_json(const char *path, const mc_run_result *r);
/* Several runs (--spec all) in one document: every profile, every server
 * check, each naming the revision it was judged by. */
int mc_report_json_runs(const char *path, const mc_run_result *const *runs, size_t n);
/* Writes the JSON document j to path whole or not at all (mc_out), indented,
 * ASCII only, and releases j: the JSON reports' one writer. 0, or -1 with
 * errno set. */
struct json_t;
int mc_report_json_doc(const char *path, struct json_t *j);
/* --spec all: one row per step (and per check that differs), one column per
 * revision. */
void mc_report_compare(FILE *out, const mc_run_result *const *runs, size_t n, int color);
/* `mcpcompat matrix`: a column per server policy (fixture quirks, comma-
 * separated; what: one line, or NULL), res[i] the run under pol[i]. */
typedef struct {
    const char *quirks;
    const char *what;
    const char *persona; /* the persona's id (--as), or NULL */
} mc_matrix_policy;
void mc_report_matrix(FILE *out, const mc_matrix_policy *pol, const mc_run_result *res, size_t n,
                      int color);
/* What the matrix's columns are, for titles: "authorization servers" (--as)
 * or "server policies" (singular when n is 1). */
const char *mc_matrix_columns(const mc_matrix_policy *pol, size_t n);
/* How many of a column's clients connect (not broken, not not-run). */
size_t mc_matrix_connects(const mc_run_result *r);
/* The matrix's cell legend: each short step name and what it stands for. */
extern const char *const mc_matrix_short_steps[MC_STEP_COUNT];
extern const char *const mc_matrix_step_legend;
/* The matrix as JUnit: a suite per policy, a passing case per client whose
 * output says where a broken one broke (the matrix is a survey: exit 0). */
int mc_report_matrix_junit(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                           size_t n);
int mc_report_matrix_json(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n);
/* --spec all's cells (compare.c): a step's status in a revision's run
 * ("BROKE", a status name, or "-"), a check's worst status ("-": not a
 * requirement of that revision, "": not reached), and whether a check's
 * verdict differs between revisions. */
const char *mc_compare_step_cell(const mc_run_result *r, int step);
const char *mc_compare_check_cell(const mc_run_result *r, const char *id);
int mc_compare_differs(const mc_run_result *const *runs, size_t n, const char *id);
/* One finding: a check outcome (or a break no check recorded), and the
 * clients that met it (profile ids, comma-separated). Identical findings
 * are listed once; the strings are borrowed from the run. */
typedef struct {
    const mc_check_def *def;
    const char *label; /* FAIL, WARN, BROKE */
    const char *step;
    const char *message;
    const char *keyword;
    const char *rev;
    mc_buf who;     /* the profile ids, or "all N clients" */
    size_t nwho;    /* how many met it */
    mc_buf stopped; /* those that stopped here */
    size_t nstopped;
    mc_remedy remedy;  /* the one remedy: the setup's (scenario, persona), the stack's, or the
                        * check's (mc_remedy_of) */
    int remedy_varies; /* the clients it stopped have different remedies (each break says its own)
                        */
    int remedy_above;  /* it stopped every client that met it: the remedy is given with each
                        * break, not repeated with the finding */
} mc_finding;
typedef struct {
    mc_finding *items;
    size_t n;
} mc_findings;
/* The one remedy for an outcome of check def (may be NULL) met with text (a
 * message, or a break's reason): setup (the scenario's or the persona's for
 * the client it stopped; may be NULL), else the one worded for the stack the
 * run recognised (stacks.h), else the check's own; {NULL} when none. */
mc_remedy mc_remedy_of(const mc_run_result *r, const mc_check_def *def, const char *text,
                       const char *setup);
/* The remedy of a broken client's break, as every report shows it; {NULL}
 * for a client that did not break. */
mc_remedy mc_break_remedy(const mc_run_result *r, const mc_profile_run *p);
/* The remedy as one line of text ("STACK: TEXT (see DOC)"); owned, or NULL. */
char *mc_remedy_line(const mc_remedy *m);
/* Every non-skipped step of every profile, then the server suite. */
void mc_findings_collect(mc_findings *f, const mc_run_result *r);
void mc_findings_free(mc_findings *f);
/* "Client 1.2", or "Client" when its name already holds its version. */
void mc_client_name(const mc_profile_run *p, char *buf, size_t n);
/* The order a scoreboard lists a run's clients: broken first, then the
 * rest, each in the run's order; owned (r->nruns indexes). */
size_t *mc_report_order(const mc_run_result *r);
/* How many of a step's checks failed and warned (the server suite's row). */
void mc_count_checks(const mc_step_result *s, int *bad, int *warn);
/* The server suite's Result: "FAIL" when a check failed, else "NOT RUN"
 * when none ran, "PARTIAL" when fewer ran than did not (e.g. the suite's
 * own client could not register: what did not run is no pass), else
 * "PASS". */
const char *mc_server_label(const mc_step_result *s, int bad);
/* The HTML report: one self-contained page (no network access). One run,
 * or several (--spec all: the side-by-side table first). */
int mc_report_html(const char *path, const mc_run_result *const *runs, size_t n);
/* `mcpcompat matrix` as a heat map whose broken cells link to their reason. */
int mc_report_matrix_html(const char *path, const mc_matrix_policy *pol, const mc_run_result *res,
                          size_t n);
/* GitHub-flavoured Markdown: each run's scoreboard, breaks and findings
 * (run, demo, --spec all); the matrix as a table. Returns 0, or -1. */
int mc_report_markdown(const char *path, const mc_run_result *const *runs, size_t n);
int mc_report_matrix_markdown(const char *path, const mc_matrix_policy *pol,
                              const mc_run_result *res, size_t n);
/* A catalogue reference ("RFC8252-7.3", "MCP-2025-11-25 anchor") as the
 * address of its section, or NULL; owned. rev: for references that name
 * no revision. */
char *mc_ref_url(const char *ref, mc_rev rev);
/* Valid UTF-8 without control characters (tab and newline kept); owned. */
char *mc_xml_safe(const char *s);

#endif
