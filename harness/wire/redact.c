#include "redact.h"

#include "buf.h"
#include "form.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PREFIX 4
#define MAX_SECRETS 4096

#define MAX_FIELDS 64
#define LEARN_MIN 8 /* a learned value shorter than this is a word, not an id */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *secrets[MAX_SECRETS];
static size_t nsecrets;
static char *fields[MAX_FIELDS]; /* hidden fields' names (mc_redact_learn_html) */
static size_t nfields;

/* Field names whose values are secrets wherever they appear
 * (registration_access_token: RFC 7592 §3, the bearer credential of a
 * dynamically registered client's configuration endpoint). */
static const char *const secret_keys[] = {
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "code_verifier",
    "client_secret",
    "password",
    "client_assertion",
    "passwd",
    "pass",
    "device_code",
    "assertion",
    "registration_access_token",
};

void mc_secret_register(const char *value)
{
    if (!value || strlen(value) < 6)
        return;
    pthread_mutex_lock(&lock);
    int known = 0;
    for (size_t i = 0; i < nsecrets && !known; i++)
        known = strcmp(secrets[i], value) == 0;
    if (!known && nsecrets < MAX_SECRETS)
        secrets[nsecrets++] = mc_xstrdup(value);
    pthread_mutex_unlock(&lock);
}

void mc_secrets_clear(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nsecrets; i++)
        mc_secret_free(secrets[i]);
    nsecrets = 0;
    for (size_t i = 0; i < nfields; i++)
        free(fields[i]);
    nfields = 0;
    pthread_mutex_unlock(&lock);
}

char *mc_redact_value(const char *value)
{
    size_t n = value ? strlen(value) : 0;
    if (n >= 3 && n <= PREFIX + 3 && strcmp(value + n - 3, "…") == 0)
        return mc_xstrdup(value); /* redacted already */
    if (n < 2 * PREFIX)
        return mc_xstrdup("…");
    return mc_xasprintf("%.*s…", PREFIX, value);
}

static int is_value_end(char c, char quote)
{
    if (quote)
        return c == quote || c == '\0';
    return c == '&' || c == '\0' || c == ' ' || c == '\r' || c == '\n' || c == '"' || c == ',' ||
           c == ';';
}

/* Redacts the value that starts at *p (quoted by `quote` or not). */
static void put_redacted(mc_buf *out, const char **p, char quote)
{
    const char *v = *p;
    size_t n = 0;
    while (!is_value_end(v[n], quote)) {
        if (quote && v[n] == '\\' && v[n + 1])
            n++;
        n++;
    }
    char *val = mc_xstrndup(v, n);
    char *r = mc_redact_value(val);
    mc_buf_adds(out, r);
    free(r);
    free(val);
    *p = v + n;
}

/* Whether a field name may start at p: not preceded by a name character
 * (letters, digits, '_'), so "code" is not found in "barcode". */
static int key_start(const char *text, const char *p)
{
    if (p == text)
        return 1;
    char b = p[-1];
    return !((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
             (b >= '0' && b <= '9'));
}

/* The length of key when the text at p starts with it, else 0 (p is a
 * key_start position). */
static int key_at(const char *p, const char *key)
{
    if (*p != *key)
        return 0; /* most positions: no call at all (the redactor sees every byte) */
    size_t k = strlen(key);
    return strncmp(p, key, k) == 0 ? (int)k : 0;
}

/* The decoded form of a base64 token68 of n characters, when it is one
 * and holds printable text with a colon (RFC 7617: user-id ":" password);
 * owned, else NULL. */
static char *basic_pair(const char *v, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n < 8 || n % 4 != 0 || n > 4096)
        return NULL;
    char *out = mc_xcalloc(n / 4 * 3 + 1, 1);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0, colon = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '=' && i >= n - 2) {
            for (size_t k = i; k < n; k++)
                if (v[k] != '=')
                    goto bad;
            break;
        }
        const char *at = v[i] ? strchr(alphabet, v[i]) : NULL;
        if (!at)
            goto bad;
        acc = (acc << 6) | (unsigned)(at - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char c = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
            if (c < 0x20 || c > 0x7e)
                goto bad;
            colon |= c == ':';
            out[o++] = (char)c;
        }
    }
    if (colon)
        return out;
bad:
    mc_secret_free(out);
    return NULL;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
           (c >= '0' && c <= '9');
}

/* At p, a Cookie or Set-Cookie header name (a header line, or a trace's
 * JSON member): the length up to its value, *set for Set-Cookie, *quote for
 * JSON; 0 when not. */
static size_t cookie_header_at(const char *text, const char *p, int *set, int *quote)
{
    if (p > text && name_char(p[-1]))
        return 0;
    size_t k;
    if (strncasecmp(p, "set-cookie", 10) == 0)
        k = 10, *set = 1;
    else if (strncasecmp(p, "cookie", 6) == 0)
        k = 6, *set = 0;
    else
        return 0;
    const char *q = p + k;
    *quote = 0;
    if (*q == '"') { /* "cookie": "..." */
        q++;
        while (*q == ' ')
            q++;
        if (*q != ':')
            return 0;
        q++;
        while (*q == ' ')
            q++;
        if (*q != '"')
            return 0;
        *quote = 1;
        return (size_t)(q + 1 - p);
    }
    if (*q != ':')
        return 0;
    q++;
    while (*q == ' ' || *q == '\t')
        q++;
    return (size_t)(q - p);
}

/* The name=value pairs of a cookie header from *p to the end of its line
 * (or its JSON string): each value redacted (a Set-Cookie: its first pair
 * only, the attributes kept). */
static void put_cookies(mc_buf *out, const char **p, int set, int quote)
{
    const char *v = *p;
    int first = 1;
    for (;;) {
        size_t n = 0;
        while (v[n] && v[n] != ';' && v[n] != '\r' && v[n] != '\n' &&
               !(quote && v[n] == '"' && (n == 0 || v[n - 1] != '\\')))
            n++;
        const char *eq = memchr(v, '=', n);
        if (eq && (first || !set)) {
            mc_buf_add(out, v, (size_t)(eq - v) + 1);
            char *val = mc_xstrndup(eq + 1, n - (size_t)(eq + 1 - v));
            char *r = mc_redact_value(val);
            mc_buf_adds(out, r);
            free(r);
            mc_secret_free(val);
        } else {
            mc_buf_add(out, v, n);
        }
        first = 0;
        v += n;
        if (*v != ';')
            break;
        mc_buf_add(out, v, 1);
        v++;
    }
    *p = v;
}

/* The attribute `name` inside the tag [tag, end): where its value starts
 * (after any quote) and how long it is; 0 when absent. Quotes may be
 * escaped (a tag inside a JSON string). */
static int tag_attr(const char *tag, const char *end, const char *name, const char **val,
                    size_t *len)
{
    size_t k = strlen(name);
    for (const char *a = tag + 1; a + k < end; a++) {
        if (strncasecmp(a, name, k) != 0 || name_char(a[-1]))
            continue;
        const char *q = a + k;
        while (q < end && *q == ' ')
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && *q == ' ')
            q++;
        if (q < end && *q == '\\' && q + 1 < end && (q[1] == '"' || q[1] == '\''))
            q++;
        char quote = q < end && (*q == '"' || *q == '\'') ? *q++ : 0;
        size_t n = 0;
        while (q + n < end &&
               (quote ? q[n] != quote : !isspace((unsigned char)q[n]) && q[n] != '>'))
            n++;
        if (quote && n && q[n - 1] == '\\')
            n--; /* an escaped closing quote */
        *val = q;
        *len = n;
        return 1;
    }
    return 0;
}

/* An <input> tag at p: when hidden, copied with its value redacted; returns
 * the length consumed, 0 when p is no hidden input. */
static size_t put_hidden_input(mc_buf *out, const char *p)
{
    if (strncasecmp(p, "<input", 6) != 0 || name_char(p[6]))
        return 0;
    const char *end = strchr(p, '>');
    if (!end)
        end = p + strlen(p);
    const char *t, *v;
    size_t tn, vn;
    if (!tag_attr(p, end, "type", &t, &tn) || tn != 6 || strncasecmp(t, "hidden", 6) != 0 ||
        !tag_attr(p, end, "value", &v, &vn))
        return 0;
    mc_buf_add(out, p, (size_t)(v - p));
    char *val = mc_xstrndup(v, vn);
    char *r = mc_redact_value(val);
    mc_buf_adds(out, r);
    free(r);
    mc_secret_free(val);
    return (size_t)(v + vn - p);
}

static char *redact_fields(const char *text)
{
    mc_buf out;
    mc_buf_init(&out, 0);
    const char *p = text;
    while (*p) {
        size_t k = 0;
        int start = key_start(text, p);
        for (size_t i = 0; start && i < sizeof secret_keys / sizeof *secret_keys; i++) {
            size_t n = (size_t)key_at(p, secret_keys[i]);
            if (n > k && (p[n] == '=' || p[n] == '"'))
                k = n; /* the longest field name: code_verifier, not code */
        }
        for (size_t i = 0; start && i < nfields; i++) {
            size_t n = (size_t)key_at(p, fields[i]);
            if (n > k && (p[n] == '=' || p[n] == '"'))
                k = n;
        }
        int set, quote;
        size_t ck = start ? cookie_header_at(text, p, &set, &quote) : 0;
        if (ck) {
            mc_buf_add(&out, p, ck);
            p += ck;
            put_cookies(&out, &p, set, quote);
            continue;
        }
        size_t hk = *p == '<' ? put_hidden_input(&out, p) : 0;
        if (hk) {
            p += hk;
            continue;
        }
        if (k) {
            const char *q = p + k;
            if (*q == '=') { /* form or query */
                mc_buf_add(&out, p, k + 1);
                p = q + 1;
                put_redacted(&out, &p, 0);
                continue;
            }
            if (*q == '"') { /* JSON "key": "value" */
                const char *r = q + 1;
                while (*r == ' ' || *r == '\t')
                    r++;
                if (*r == ':') {
                    r++;
                    while (*r == ' ' || *r == '\t')
                        r++;
                    if (*r == '"') {
                        mc_buf_add(&out, p, (size_t)(r - p) + 1);
                        p = r + 1;
                        put_redacted(&out, &p, '"');
                        continue;
                    }
                }
            }
        }
        if ((*p == 'B' || *p == 'b') &&
            (strncasecmp(p, "Bearer ", 7) == 0 || strncasecmp(p, "Basic ", 6) == 0)) {
            size_t s = p[1] == 'e' || p[1] == 'E' ? 7 : 6;
            const char *v = p + s;
            /* only a credential, not a challenge with parameters */
            size_t n = 0;
            while (v[n] && v[n] != '\r' && v[n] != '\n' && v[n] != ' ' && v[n] != '"' &&
                   v[n] != ',')
                n++;
            size_t body = n;
            while (body > 0 && v[body - 1] == '=')
                body--; /* base64 padding */
            /* a quote ends a challenge's parameter or prose as well as a
             * trace's credential: a Basic pair is told by what it decodes to */
            char *pair = v[n] == '"' && s == 6 ? basic_pair(v, n) : NULL;
            int ends_ok = v[n] != '"' || pair;
            mc_secret_free(pair);
            if (n >= 8 && ends_ok && !memchr(v, '=', body)) {
                mc_buf_add(&out, p, s);
                char *val = mc_xstrndup(v, n);
                char *r = mc_redact_value(val);
                mc_buf_adds(&out, r);
                free(r);
                free(val);
                p = v + n;
                continue;
            }
        }
        mc_buf_add(&out, p, 1);
        p++;
    }
    return mc_buf_steal(&out);
}

char *mc_redact(const char *text)
{
    if (!text)
        return NULL;
    pthread_mutex_lock(&lock);
    char *cur = redact_fields(text);
    for (size_t i = 0; i < nsecrets; i++) {
        const char *hit = strstr(cur, secrets[i]);
        if (!hit)
            continue;
        char *r = mc_redact_value(secrets[i]);
        mc_buf out;
        mc_buf_init(&out, 0);
        const char *p = cur;
        size_t sl = strlen(secrets[i]);
        while ((hit = strstr(p, secrets[i]))) {
            mc_buf_add(&out, p, (size_t)(hit - p));
            mc_buf_adds(&out, r);
            p = hit + sl;
        }
        mc_buf_adds(&out, p);
        free(r);
        free(cur);
        cur = mc_buf_steal(&out);
    }
    pthread_mutex_unlock(&lock);
    return cur;
}

static void learn(const char *value, size_t n)
{
    if (n < LEARN_MIN)
        return;
    char *v = mc_xstrndup(value, n);
    mc_secret_register(v);
    mc_secret_free(v);
}

void mc_redact_learn_headers(const char *block)
{
    for (const char *line = block; line && *line;) {
        size_t len = strcspn(line, "\r\n");
        const char *p = line, *end = line + len;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *colon = memchr(p, ':', (size_t)(end - p));
        if (colon) {
            size_t nl = (size_t)(colon - p);
            const char *v = colon + 1;
            while (v < end && *v == ' ')
                v++;
            int set = nl == 10 && strncasecmp(p, "set-cookie", 10) == 0;
            if (set || (nl == 6 && strncasecmp(p, "cookie", 6) == 0)) {
                for (const char *c = v; c < end;) {
                    size_t cn = strcspn(c, ";\r\n");
                    const char *eq = memchr(c, '=', cn);
                    if (eq)
                        learn(eq + 1, cn - (size_t)(eq + 1 - c));
                    if (set)
                        break; /* the attributes are no secrets */
                    c += cn;
                    while (c < end && (*c == ';' || *c == ' '))
                        c++;
                }
            } else if ((nl == 13 && strncasecmp(p, "authorization", 13) == 0) ||
                       (nl == 19 && strncasecmp(p, "proxy-authorization", 19) == 0)) {
                const char *sp = memchr(v, ' ', (size_t)(end - v));
                if (sp) {
                    size_t cn = (size_t)(end - sp - 1);
                    learn(sp + 1, cn);
                    char *pair = (size_t)(sp - v) == 5 && strncasecmp(v, "basic", 5) == 0
                                     ? basic_pair(sp + 1, cn)
                                     : NULL;
                    const char *secret = pair ? strchr(pair, ':') + 1 : NULL;
                    if (secret)
                        learn(secret, strlen(secret));
                    mc_secret_free(pair);
                }
            }
        }
        line = end;
        while (*line == '\r' || *line == '\n')
            line++;
    }
}

/* Hidden fields a consent form may repeat that are protocol, not secrets. */
static int public_field(const char *name)
{
    static const char *const names[] = {
        "client_id",
        "redirect_uri",
        "response_type",
        "response_mode",
        "scope",
        "state",
        "resource",
        "nonce",
        "code_challenge",
        "audience",
        "code_challenge_method",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

void mc_redact_learn_html(const char *html, size_t len)
{
    if (!html || !len)
        return;
    mc_forms forms;
    if (mc_forms_parse(html, len, &forms) <= 0) {
        mc_forms_free(&forms);
        return;
    }
    for (size_t i = 0; i < forms.n; i++) {
        for (size_t j = 0; j < forms.forms[i].nfields; j++) {
            const mc_form_field *f = &forms.forms[i].fields[j];
            if (!f->name || !*f->name || strcmp(f->type, "hidden") != 0 || public_field(f->name))
                continue;
            if (f->value)
                learn(f->value, strlen(f->value));
            pthread_mutex_lock(&lock);
            int known = 0;
            for (size_t k = 0; k < nfields && !known; k++)
                known = strcmp(fields[k], f->name) == 0;
            if (!known && nfields < MAX_FIELDS && strlen(f->name) < 64)
                fields[nfields++] = mc_xstrdup(f->name);
            pthread_mutex_unlock(&lock);
        }
    }
    mc_forms_free(&forms);
}

char *mc_redact_header(const char *name, const char *value)
{
    if (!name || !value)
        return NULL;
    if (strcasecmp(name, "authorization") == 0 || strcasecmp(name, "proxy-authorization") == 0) {
        const char *sp = strchr(value, ' ');
        char *r = mc_redact_value(sp ? sp + 1 : value);
        char *out = mc_xasprintf("%.*s%s", sp ? (int)(sp - value + 1) : 0, value, r);
        free(r);
        return out;
    }
    int set = strcasecmp(name, "set-cookie") == 0;
    if (!set && strcasecmp(name, "cookie") != 0)
        return NULL;
    mc_buf out;
    mc_buf_init(&out, 0);
    const char *p = value;
    put_cookies(&out, &p, set, 0);
    mc_buf_adds(&out, p);
    return mc_buf_steal(&out);
}
