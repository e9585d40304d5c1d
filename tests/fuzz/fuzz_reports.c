/* libFuzzer target over the report writers (JUnit, JSON, HTML, Markdown,
 * console, the verdict line, --spec all's comparison and JSON, and the
 * matrix's console, JSON, HTML, Markdown and JUnit), fed a result model
 * whose every string is hostile (invalid UTF-8, control characters,
 * markup, quotes): the NUL-separated pieces of the input. One writer an
 * input, picked by a byte. What it writes must parse back (XML, HTML,
 * JSON with every profile and exchange kept), or the target aborts. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "../../harness/model/result.h"
#include "../../harness/wire/buf.h"
#include "../../reports/reports.h"

#define PIECES 16

typedef struct {
    const char *s[PIECES];
    const uint8_t *bytes; /* the first bytes steer the shape */
    size_t nbytes;
    size_t k;
} pieces;

static const char *next(pieces *p)
{
    const char *s = p->s[p->k % PIECES];
    p->k++;
    return s;
}

static unsigned byte(const pieces *p, size_t i)
{
    return p->nbytes ? p->bytes[i % p->nbytes] : 0;
}

static mc_exchange *exchange(pieces *p)
{
    mc_exchange *e = mc_xcalloc(1, sizeof *e);
    e->method = mc_xstrdup(next(p));
    e->url = mc_xstrdup(next(p));
    e->request_headers = mc_xstrdup(next(p));
    e->request_body = byte(p, p->k) & 1 ? mc_xstrdup(next(p)) : NULL;
    e->status = (long)(byte(p, p->k) * 3);
    e->response_headers = mc_xstrdup(next(p));
    e->response_body = mc_xstrdup(next(p));
    e->error = byte(p, p->k) & 2 ? mc_xstrdup(next(p)) : NULL;
    e->ms = byte(p, p->k);
    return e;
}

static void fill_step(mc_step_result *s, int i, mc_rev rev, pieces *p, size_t *nex)
{
    s->id = (mc_step_id)i;
    s->status = (mc_status)(byte(p, (size_t)i) % 5);
    for (unsigned c = 0; c < byte(p, (size_t)i + 7) % 3; c++)
        mc_step_check(s, rev, mc_checks[(byte(p, c) * 7 + (unsigned)i) % mc_checks_count].id,
                      (int)(byte(p, c + 1) & 1), "%s", next(p));
    if (s->status == MC_FAIL)
        mc_step_fail(s, mc_checks[byte(p, 3) % mc_checks_count].id, "%s", next(p));
    else if (s->status == MC_ERROR || s->status == MC_SKIP)
        s->reason = mc_xstrdup(next(p));
    for (unsigned x = 0; x < byte(p, (size_t)i + 3) % 3; x++) {
        mc_step_add_exchange(s, exchange(p));
        (*nex)++;
    }
}

/* A writer that fails on its input fails the target. */
static void wrote(int rc)
{
    if (rc != 0)
        abort();
}

/* The writer's return, then what it wrote at path parses back as XML. */
static void wrote_xml(int rc, const char *path)
{
    wrote(rc);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        abort(); /* the writer produced something that is not XML */
    xmlFreeDoc(doc);
}

/* The writer's return, then what it wrote at path parses back as HTML. */
static void wrote_html(int rc, const char *path)
{
    wrote(rc);
    htmlDocPtr page =
        htmlReadFile(path, "UTF-8", HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (!page)
        abort();
    xmlFreeDoc(page);
}

/* The writer's return, then what it wrote at path parses back as JSON:
 * the document, owned by the caller. */
static json_t *wrote_json(int rc, const char *path)
{
    wrote(rc);
    json_t *j = json_load_file(path, 0, NULL);
    if (!j)
        abort(); /* the writer produced something that is not JSON */
    return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char xml_path[64], json_path[64], html_path[64], md_path[64];
    static FILE *devnull;
    if (!devnull) {
        /* tmpfs when there is one: each report is synced before its rename */
        struct stat st;
        const char *dir = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
        snprintf(xml_path, sizeof xml_path, "%s/mcpcompat-fuzz-%ld.xml", dir, (long)getpid());
        snprintf(json_path, sizeof json_path, "%s/mcpcompat-fuzz-%ld.json", dir, (long)getpid());
        snprintf(md_path, sizeof md_path, "%s/mcpcompat-fuzz-%ld.md", dir, (long)getpid());
        snprintf(html_path, sizeof html_path, "%s/mcpcompat-fuzz-%ld.html", dir, (long)getpid());
        devnull = fopen("/dev/null", "w");
    }
    char *copy = mc_xmalloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    pieces p = {.bytes = data, .nbytes = size < 16 ? size : 16};
    size_t at = 0;
    for (int i = 0; i < PIECES; i++) {
        p.s[i] = at <= size ? copy + at : "";
        at += at <= size ? strlen(copy + at) + 1 : 0;
    }
    mc_rev rev = (mc_rev)(byte(&p, 0) % MC_REV_COUNT);
    mc_run_result r = {0};
    r.tool_version = mc_xstrdup(next(&p));
    r.target = mc_xstrdup(next(&p));
    r.rev = rev;
    r.nruns = 1 + byte(&p, 1) % 2;
    r.runs = mc_xcalloc(r.nruns, sizeof *r.runs);
    size_t nex = 0;
    for (size_t k = 0; k < r.nruns; k++) {
        mc_profile_run *run = &r.runs[k];
        run->profile_id = mc_xstrdup(next(&p));
        run->client = mc_xstrdup(next(&p));
        run->client_version = mc_xstrdup(next(&p));
        run->rev = rev;
        run->nsteps = byte(&p, 2) & 1 ? MC_STEP_COUNT : MC_STEP_REFRESH;
        run->failed_at = -1;
        for (int i = 0; i < run->nsteps; i++) {
            fill_step(&run->steps[i], i, rev, &p, &nex);
            if (run->failed_at < 0 &&
                (run->steps[i].status == MC_FAIL || run->steps[i].status == MC_ERROR))
                run->failed_at = i;
        }
        run->broke = run->failed_at >= 0;
        run->note = byte(&p, 4) & 1 ? mc_xstrdup(next(&p)) : NULL;
        run->remedy = byte(&p, 4) & 2 ? mc_xstrdup(next(&p)) : NULL;
        if (byte(&p, 4) & 4) {
            run->expected = mc_xstrdup(next(&p));
            run->as_expected = (int)(byte(&p, 5) & 1);
        }
    }
    r.server_ran = (int)(byte(&p, 6) & 1);
    if (r.server_ran) {
        size_t ignored = 0;
        fill_step(&r.server, MC_STEP_PROBE, rev, &p, &ignored);
    }
    const mc_run_result *one = &r;
    const mc_run_result *two[2] = {&r, &r}; /* --spec all: the writers only read */
    mc_matrix_policy pol[2] = {{"", "the fixture's defaults", NULL}, {next(&p), next(&p), NULL}};
    if (byte(&p, 8) & 1)
        pol[1].persona = next(&p);
    mc_run_result cols[2] = {r, r}; /* the matrix over two columns */
    int color = (int)(byte(&p, 7) & 1);
    /* one writer an input (a byte picks it): each is fuzzed as often as all
     * were together, and what it wrote must parse back */
    switch (byte(&p, 9) % 12) {
    case 0:
        wrote_xml(mc_report_junit(xml_path, &one, 1), xml_path);
        break;
    case 1: {
        json_t *j = wrote_json(mc_report_json(json_path, &r), json_path);
        if (json_array_size(json_object_get(j, "profiles")) != r.nruns)
            abort(); /* a profile dropped */
        size_t got = 0, i;
        json_t *prof;
        json_array_foreach(json_object_get(j, "profiles"), i, prof)
        {
            size_t s;
            json_t *step;
            json_array_foreach(json_object_get(prof, "steps"), s, step) got +=
                json_array_size(json_object_get(step, "exchanges"));
        }
        if (got != nex)
            abort(); /* an exchange dropped */
        json_decref(j);
        break;
    }
    case 2:
        wrote_html(mc_report_html(html_path, &one, 1), html_path);
        break;
    case 3:
        mc_report_console(devnull, &r, color);
        mc_report_verdict_line(devnull, &one, 1, color);
        break;
    case 4:
        wrote(mc_report_markdown(md_path, &one, 1));
        break;
    case 5:
        mc_report_matrix(devnull, pol, cols, 2, color);
        break;
    case 6:
        json_decref(wrote_json(mc_report_matrix_json(json_path, pol, cols, 2), json_path));
        break;
    case 7:
        wrote_html(mc_report_matrix_html(html_path, pol, cols, 2), html_path);
        break;
    case 8:
        wrote(mc_report_matrix_markdown(md_path, pol, cols, 2));
        break;
    case 9:
        wrote_xml(mc_report_matrix_junit(xml_path, pol, cols, 2), xml_path);
        break;
    case 10:
        json_decref(wrote_json(mc_report_json_runs(json_path, two, 2), json_path));
        break;
    default:
        mc_report_compare(devnull, two, 2, color);
        mc_report_verdict_line(devnull, two, 2, color);
        break;
    }
    mc_run_result_free(&r);
    free(copy);
    unlink(xml_path);
    unlink(json_path);
    unlink(html_path);
    unlink(md_path);
    return 0;
}
