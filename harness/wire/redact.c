#include "redact.h"

#include "buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PREFIX 4
#define MAX_SECRETS 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *secrets[MAX_SECRETS];
static size_t nsecrets;

/* Field names whose values are secrets wherever they appear. */
static const char *const secret_keys[] = {
    "access_token", "refresh_token",    "id_token", "code", "code_verifier", "client_secret",
    "password",     "client_assertion", "passwd",   "pass", "device_code",   "assertion",
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
    pthread_mutex_unlock(&lock);
}

char *mc_redact_value(const char *value)
{
    size_t n = value ? strlen(value) : 0;
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

static int key_at(const char *text, const char *p, const char *key)
{
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0)
        return 0;
    /* a whole field name: not preceded by a name character */
    if (p > text) {
        char b = p[-1];
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || (b >= '0' && b <= '9'))
            return 0;
    }
    return (int)k;
}

static char *redact_fields(const char *text)
{
    mc_buf out;
    mc_buf_init(&out, 0);
    const char *p = text;
    while (*p) {
        size_t k = 0;
        for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++) {
            size_t n = (size_t)key_at(text, p, secret_keys[i]);
            if (n > k && (p[n] == '=' || p[n] == '"'))
                k = n; /* the longest field name: code_verifier, not code */
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
        if (strncasecmp(p, "Bearer ", 7) == 0 || strncasecmp(p, "Basic ", 6) == 0) {
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
            if (n >= 8 && v[n] != '"' && !memchr(v, '=', body)) {
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
    char *cur = redact_fields(text);
    pthread_mutex_lock(&lock);
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
