#include "manpage.h"

#include <ctype.h>
#include <string.h>

/* Text as roff: backslashes and hyphens escaped, no line starting a request. */
static void roff(FILE *out, const char *s, size_t n)
{
    if (n && (s[0] == '.' || s[0] == '\''))
        fputs("\\&", out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] == '-')
            fputs("\\-", out);
        else
            fputc(s[i], out);
    }
}

/* "name:" or "name: text" with a lower-case name of letters and spaces. */
static size_t heading(const char *s, size_t n)
{
    size_t i = 0;
    if (n && s[0] == ' ')
        return 0; /* an indented line is never a heading */
    while (i < n && (islower((unsigned char)s[i]) || s[i] == ' '))
        i++;
    return i > 0 && i < n && s[i] == ':' && (i + 1 == n || s[i + 1] == ' ') ? i : 0;
}

static void section(FILE *out, const char *s, size_t n)
{
    fputs(".SH ", out);
    for (size_t i = 0; i < n; i++)
        fputc(toupper((unsigned char)s[i]), out);
    fputc('\n', out);
}

/* "  term   text": the term, bold first word and italic rest, then the text. */
static void tagged(FILE *out, const char *s, size_t n)
{
    const char *gap = NULL;
    for (size_t i = 0; i + 1 < n && !gap; i++)
        if (s[i] == ' ' && s[i + 1] == ' ')
            gap = s + i;
    size_t tn = gap ? (size_t)(gap - s) : n;
    const char *sp = memchr(s, ' ', tn);
    size_t first = sp ? (size_t)(sp - s) : tn;
    fputs(".TP\n\\fB", out);
    roff(out, s, first);
    fputs("\\fR", out);
    if (first < tn) {
        fputs(" \\fI", out);
        roff(out, s + first + 1, tn - first - 1);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    if (gap) {
        while (*gap == ' ')
            gap++;
        roff(out, gap, n - (size_t)(gap - s));
        fputc('\n', out);
    }
}

void mc_man_from_help(FILE *out, const char *help, const char *version)
{
    fprintf(out,
            ".TH MCPCOMPAT 1 \"\" \"mcpcompat %s\" \"User Commands\"\n"
            ".SH NAME\nmcpcompat \\- which real MCP clients can connect to an OAuth\\-protected "
            "MCP server, and at which handshake step each one breaks\n",
            version);
    for (const char *line = help; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        size_t h;
        if (n > 7 && strncmp(line, "usage: ", 7) == 0) {
            fputs(".SH SYNOPSIS\n", out);
            roff(out, line + 7, n - 7);
            fputc('\n', out);
        } else if ((h = heading(line, n)) != 0) {
            section(out, line, h);
            if (h + 2 < n) {
                roff(out, line + h + 2, n - h - 2);
                fputc('\n', out);
            }
        } else if (n > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ') {
            tagged(out, line + 2, n - 2);
        } else if (n) {
            /* a wrapped line of the text above: its indent is the column's */
            size_t lead = 0;
            while (lead < n && line[lead] == ' ')
                lead++;
            roff(out, line + lead, n - lead);
            fputc('\n', out);
        }
        line += n + (end ? 1 : 0);
    }
    fputs(".SH FILES\n"
          "Client profiles, scenarios, authorization\\-server personas and recorded traces are "
          "read from\n"
          ".I ../share/mcpcompat\n"
          "beside the binary (e.g.\n"
          ".IR /usr/share/mcpcompat/profiles ),\n"
          "unless \\fB\\-\\-profiles\\-dir\\fR or an environment variable names another folder.\n"
          ".SH ENVIRONMENT\n"
          ".TP\n.B MCPCOMPAT_PROFILES\nthe client profiles folder\n"
          ".TP\n.B MCPCOMPAT_SCENARIOS\nthe folder of scenarios named by id\n"
          ".TP\n.B MCPCOMPAT_PERSONAS\nthe authorization\\-server personas folder "
          "(\\fB\\-\\-as\\fR)\n"
          ".TP\n.B MCPCOMPAT_TRACES\nthe recorded traces folder (its modes.json)\n"
          ".TP\n.B MCPCOMPAT_MODES\nthe traces' modes.json, when it is elsewhere\n"
          ".TP\n.B COLUMNS\nthe width \\fBchecks\\fR fits its table to when not on a terminal "
          "(default 100)\n"
          ".TP\n.B NO_COLOR\nno color on the console\n"
          ".SH SEE ALSO\n"
          "\\fBcurl\\fR(1); the MCP authorization specification,\n"
          ".UR https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization\n"
          ".UE ;\n"
          "the README and profiles/README.md in\n"
          ".IR /usr/share/doc/mcpcompat\n"
          "or the source tree.\n",
          out);
}
