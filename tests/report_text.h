/* The report writers' unit tests (test_html, test_markdown): a report
 * written to a temporary file by the writer under test, read back whole.
 * Static: each test includes it once, after cmocka.h. */
#ifndef MC_TEST_REPORT_TEXT_H
#define MC_TEST_REPORT_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../harness/wire/buf.h"
#include "../reports/reports.h"

typedef int (*report_writer)(const char *path, const mc_run_result *const *runs, size_t n);

/* What write made of r (it must succeed), owned; its length in *len when
 * len is not NULL. */
static inline char *report_text(report_writer write, const mc_run_result *r, size_t *len)
{
    char path[] = "/tmp/mcpcompat-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(write(path, &r, 1), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    mc_buf b;
    mc_buf_init(&b, 0);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        mc_buf_add(&b, chunk, n);
    fclose(f);
    unlink(path);
    if (len)
        *len = b.len;
    return mc_buf_steal(&b);
}

#endif
