/* What the HTML report's files share (not a public interface: reports.h
 * is). Each part is one file:
 *   html.c          the run report: scoreboard, findings, server suite,
 *                   handshakes, the --spec all comparison
 *   html_page.c     the page around it: the head with its policy, style and
 *                   script, the header, the footer
 *   html_diagram.c  the sequence diagrams of the handshakes
 *   html_matrix.c   the matrix report
 * Every string reaches the page through the writer helpers below: valid
 * UTF-8 first, then the writer's escaping. */
#ifndef MC_HTML_INT_H
#define MC_HTML_INT_H

#include "../harness/model/verdict.h"
#include "reports.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef xmlTextWriterPtr W;

static inline void attr(W w, const char *name, const char *value)
{
    char *v = mc_xml_safe(value);
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
    free(v);
}

static inline void text(W w, const char *s)
{
    char *v = mc_xml_safe(s);
    xmlTextWriterWriteString(w, BAD_CAST v);
    free(v);
}

static inline void textf(W w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void textf(W w, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    text(w, tmp);
}

/* <name class="cls"> (cls may be NULL). */
static inline void open_el(W w, const char *name, const char *cls)
{
    xmlTextWriterStartElement(w, BAD_CAST name);
    if (cls)
        attr(w, "class", cls);
}

/* HTML has no self-closing elements but the void ones: always </name>. */
static inline void end(W w)
{
    xmlTextWriterFullEndElement(w);
}

static inline void el(W w, const char *name, const char *cls, const char *s)
{
    open_el(w, name, cls);
    text(w, s ? s : "");
    end(w);
}

static inline void link(W w, const char *href, const char *cls, const char *s)
{
    open_el(w, "a", cls);
    attr(w, "href", href);
    text(w, s);
    end(w);
}

/* <name class="cls">lead, the remedy's text (a stack's named) and a link to
 * its documentation</name>; nothing when there is no remedy. */
static inline void remedy_el(W w, const char *name, const char *cls, const char *lead,
                             const mc_remedy *m)
{
    if (!m->text)
        return;
    open_el(w, name, cls);
    if (lead)
        text(w, lead);
    if (m->by) {
        text(w, m->by);
        text(w, ": ");
    }
    text(w, m->text);
    if (m->doc) { /* the stack's documentation, from mcpcompat's own table */
        text(w, " (");
        open_el(w, "a", NULL);
        attr(w, "href", m->doc);
        attr(w, "rel", "noreferrer");
        text(w, "documentation");
        end(w);
        text(w, ")");
    }
    end(w);
}

/* <section id="id"><h2>heading</h2>: the caller ends the section. */
static inline void section(W w, const char *id, const char *heading)
{
    open_el(w, "section", NULL);
    attr(w, "id", id);
    el(w, "h2", NULL, heading);
}

/* A section of one run's: its id is name, then sfx (several runs on a page
 * have one each). */
static inline void run_section(W w, const char *name, const char *sfx, const char *heading)
{
    char *id = mc_xasprintf("%s%s", name, sfx);
    section(w, id, heading);
    free(id);
}

/* prefix, then s as an id usable as a fragment (its characters outside
 * [A-Za-z0-9._-] become '-'), then suffix; owned. */
static inline char *anchor(const char *prefix, const char *s, const char *suffix)
{
    char *a = mc_xasprintf("%s%s%s", prefix, s, suffix ? suffix : "");
    for (char *p = a + strlen(prefix); *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            *p = '-';
    return a;
}

static inline const char *status_class(mc_status st)
{
    return mc_status_name(st); /* pass, fail, warn, skip, error */
}

/* A client's result as a badge: its class and its text. */
static inline const char *badge_class(const mc_profile_run *p)
{
    return p->not_run ? "badge skip" : p->broke ? "badge broke" : "badge pass";
}

static inline const char *badge_text(const mc_profile_run *p)
{
    return mc_run_result_label(p); /* PASS, PASS*, BROKE, NOT RUN */
}

static inline mc_status shown_status(const mc_step_result *s)
{
    return s->status == MC_PASS ? mc_step_summary(s) : s->status;
}

/* The page (html_page.c): page_begin opens path and begins the page
 * (doctype, head with the policy, style and title), NULL when it cannot;
 * page_end ends it with the script: 0, or -1 when the file could not be
 * written. */
W mc_html_page_begin(const char *path, const char *title, mc_out *f);
int mc_html_page_end(W w, mc_out *f);
/* The page's header: title, subtitle, and (pass >= 0) the pass/broke chips. */
void mc_html_header(W w, const char *title, const char *sub, int pass, int broke);

/* Sequence diagrams (html_diagram.c). */
/* A diagram's frame and lane heads; the caller ends it. */
void mc_html_lanes(W w, const char *client);
/* A recorded exchange: the arrow, and (when clicked) its redacted request
 * and response. */
void mc_html_exchange(W w, const mc_exchange *e, mc_step_id step, const char *target, int failing,
                      const char *id);
/* One client's section: its head, its steps, its sequence diagram. */
void mc_html_client_section(W w, const mc_profile_run *p, const char *target);

#endif
