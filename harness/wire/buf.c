#include "buf.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *mc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *mc_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *mc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("mcpcompat: out of memory\n", stderr);
        exit(3);
    }
    return q;
}

char *mc_xstrdup(const char *s)
{
    return s ? mc_xstrndup(s, strlen(s)) : NULL;
}

char *mc_xstrndup(const char *s, size_t n)
{
    char *d = mc_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mc_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = mc_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void mc_secret_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void mc_buf_init(mc_buf *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

int mc_buf_add(mc_buf *b, const char *s, size_t n)
{
    int rc = 0;
    if (b->limit && b->len + n > b->limit) {
        n = b->limit > b->len ? b->limit - b->len : 0;
        b->truncated = 1;
        rc = -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = mc_xrealloc(b->data, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return rc;
}

int mc_buf_adds(mc_buf *b, const char *s)
{
    return mc_buf_add(b, s, strlen(s));
}

int mc_buf_printf(mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *tmp = mc_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = mc_buf_add(b, tmp, (size_t)n);
    free(tmp);
    return rc;
}

char *mc_buf_steal(mc_buf *b)
{
    char *s = b->data ? b->data : mc_xstrdup("");
    size_t limit = b->limit;
    mc_buf_init(b, limit);
    return s;
}

void mc_buf_free(mc_buf *b)
{
    free(b->data);
    mc_buf_init(b, b->limit);
}
