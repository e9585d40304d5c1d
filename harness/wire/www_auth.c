#include "www_auth.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_tchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_t68char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

typedef struct {
    const char *s;
    size_t len, pos;
} cursor;

static char peek(const cursor *c, size_t ahead)
{
    return c->pos + ahead < c->len ? c->s[c->pos + ahead] : '\0';
}

static void skip_ows(cursor *c)
{
    while (peek(c, 0) == ' ' || peek(c, 0) == '\t')
        c->pos++;
}

static size_t token_len(const cursor *c, size_t from)
{
    size_t n = 0;
    while (from + n < c->len && is_tchar(c->s[from + n]))
        n++;
    return n;
}

/* True when a token at the cursor is followed by BWS "=" and then not by
 * another "=" or the end: that makes it an auth-param, not a token68 or a
 * new scheme. */
static int param_ahead(const cursor *c)
{
    size_t n = token_len(c, c->pos);
    if (!n)
        return 0;
    size_t p = c->pos + n;
    while (p < c->len && (c->s[p] == ' ' || c->s[p] == '\t'))
        p++;
    if (p >= c->len || c->s[p] != '=')
        return 0;
    p++;
    while (p < c->len && (c->s[p] == ' ' || c->s[p] == '\t'))
        p++;
    return p < c->len && c->s[p] != '=' && c->s[p] != ',';
}

static int parse_value(cursor *c, char **out, const char **err)
{
    mc_buf v;
    mc_buf_init(&v, 4096);
    if (peek(c, 0) == '"') {
        c->pos++;
        for (;;) {
            char ch = peek(c, 0);
            if (c->pos >= c->len) {
                *err = "unterminated quoted string";
                mc_buf_free(&v);
                return -1;
            }
            c->pos++;
            if (ch == '"')
                break;
            if (ch == '\\') {
                if (c->pos >= c->len) {
                    *err = "dangling escape in quoted string";
                    mc_buf_free(&v);
                    return -1;
                }
                ch = c->s[c->pos++];
            }
            if ((unsigned char)ch < 0x20 && ch != '\t') {
                *err = "control character in quoted string";
                mc_buf_free(&v);
                return -1;
            }
            mc_buf_add(&v, &ch, 1);
        }
    } else {
        size_t n = token_len(c, c->pos);
        if (!n) {
            *err = "expected a token or quoted string after '='";
            mc_buf_free(&v);
            return -1;
        }
        mc_buf_add(&v, c->s + c->pos, n);
        c->pos += n;
    }
    if (v.truncated) {
        *err = "parameter value too long";
        mc_buf_free(&v);
        return -1;
    }
    *out = mc_buf_steal(&v);
    return 0;
}

/* A challenge's token68, after its scheme. */
static int parse_token68(cursor *c, mc_challenge *ch, const char **err)
{
    size_t t = 0;
    while (c->pos + t < c->len && is_t68char(c->s[c->pos + t]))
        t++;
    while (c->pos + t < c->len && c->s[c->pos + t] == '=')
        t++;
    if (!t) {
        *err = "expected token68 or auth-param";
        return -1;
    }
    ch->token68 = mc_xstrndup(c->s + c->pos, t);
    c->pos += t;
    skip_ows(c);
    if (c->pos < c->len && peek(c, 0) != ',') {
        *err = "unexpected data after token68";
        return -1;
    }
    return 0;
}

/* A challenge's auth-params, up to the next challenge or the end. */
static int parse_params(cursor *c, mc_challenge *ch, const char **err)
{
    for (;;) {
        if (ch->nparams == MC_WWWA_MAX_PARAMS) {
            *err = "too many parameters";
            return -1;
        }
        size_t tn = token_len(c, c->pos);
        mc_auth_param *p = &ch->params[ch->nparams];
        char *name = mc_xstrndup(c->s + c->pos, tn);
        c->pos += tn;
        skip_ows(c);
        c->pos++; /* '=' checked by param_ahead */
        skip_ows(c);
        char *value = NULL;
        if (parse_value(c, &value, err) != 0) {
            free(name);
            return -1;
        }
        p->name = name;
        p->value = value;
        ch->nparams++;
        skip_ows(c);
        if (c->pos >= c->len)
            break;
        if (peek(c, 0) != ',') {
            *err = "expected ',' between parameters";
            return -1;
        }
        while (peek(c, 0) == ',' || peek(c, 0) == ' ' || peek(c, 0) == '\t')
            c->pos++;
        if (!param_ahead(c))
            break; /* a new challenge (or the end) */
    }
    return 0;
}

int mc_www_auth_parse(const char *buf, size_t len, mc_challenges *out, const char **err)
{
    static const char *dummy;
    if (!err)
        err = &dummy;
    memset(out, 0, sizeof *out);
    *err = NULL;
    if (!buf || len > MC_WWWA_MAX_INPUT) {
        *err = buf ? "header too long" : "no header";
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\0' || buf[i] == '\r' || buf[i] == '\n') {
            *err = "control character in header";
            return -1;
        }
    }
    cursor c = {buf, len, 0};
    for (;;) {
        while (peek(&c, 0) == ',' || peek(&c, 0) == ' ' || peek(&c, 0) == '\t')
            c.pos++;
        if (c.pos >= c.len)
            break;
        size_t n = token_len(&c, c.pos);
        if (!n) {
            *err = "expected an auth-scheme";
            return -1;
        }
        if (out->n == MC_WWWA_MAX_CHALLENGES) {
            *err = "too many challenges";
            return -1;
        }
        mc_challenge *ch = &out->items[out->n++];
        ch->scheme = mc_xstrndup(c.s + c.pos, n);
        c.pos += n;
        if (peek(&c, 0) != ' ' && peek(&c, 0) != '\t' && peek(&c, 0) != ',' && c.pos < c.len) {
            *err = "expected a space after the auth-scheme";
            return -1;
        }
        skip_ows(&c);
        if (c.pos >= c.len || peek(&c, 0) == ',')
            continue;
        if (!param_ahead(&c)) {
            if (parse_token68(&c, ch, err) != 0)
                return -1;
            continue;
        }
        if (parse_params(&c, ch, err) != 0)
            return -1;
    }
    if (out->n == 0) {
        *err = "empty header";
        return -1;
    }
    return 0;
}

void mc_challenges_free(mc_challenges *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].scheme);
        free(c->items[i].token68);
        for (size_t j = 0; j < c->items[i].nparams; j++) {
            free(c->items[i].params[j].name);
            free(c->items[i].params[j].value);
        }
    }
    memset(c, 0, sizeof *c);
}

const mc_challenge *mc_challenges_find(const mc_challenges *c, const char *scheme)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcasecmp(c->items[i].scheme, scheme) == 0)
            return &c->items[i];
    return NULL;
}

const char *mc_challenge_param(const mc_challenge *ch, const char *name)
{
    if (!ch)
        return NULL;
    for (size_t i = 0; i < ch->nparams; i++)
        if (strcasecmp(ch->params[i].name, name) == 0)
            return ch->params[i].value;
    return NULL;
}

size_t mc_challenge_param_count(const mc_challenge *ch, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; ch && i < ch->nparams; i++)
        n += strcasecmp(ch->params[i].name, name) == 0;
    return n;
}
