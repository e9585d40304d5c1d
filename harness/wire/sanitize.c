#include "sanitize.h"

#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 when invalid;
 * *cp gets its code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!k || k > n)
        return 0;
    uint32_t v = k == 1 ? c : k == 2 ? (c & 0x1Fu) : k == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[k] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0; /* overlong, out of range, surrogate */
    *cp = v;
    return k;
}

static int bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

char *mc_sanitize(const char *s, size_t len, size_t max)
{
    mc_buf b;
    mc_buf_init(&b, 0);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (!s)
        len = 0;
    size_t i = 0, chars = 0;
    while (i < len) {
        if (max && chars == max) {
            mc_buf_adds(&b, "\xE2\x80\xA6"); /* … */
            break;
        }
        uint32_t cp = 0;
        size_t k = utf8_seq(p + i, len - i, &cp);
        char esc[16];
        if (!k) {
            mc_buf_adds(&b, "\xEF\xBF\xBD"); /* U+FFFD */
            i++;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
            mc_buf_adds(&b, esc);
            i += k;
        } else if (bidi_control(cp)) {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            mc_buf_adds(&b, esc);
            i += k;
        } else {
            mc_buf_add(&b, (const char *)p + i, k);
            i += k;
        }
        chars++;
    }
    return mc_buf_steal(&b);
}

char *mc_utf8_repair(const char *s)
{
    if (!s)
        return NULL;
    mc_buf b;
    mc_buf_init(&b, 0);
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_seq(p + i, len - i, &cp);
        if (k)
            mc_buf_add(&b, s + i, k);
        else
            mc_buf_adds(&b, "\xEF\xBF\xBD");
        i += k ? k : 1;
    }
    return mc_buf_steal(&b);
}

json_t *mc_json_text(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (!j) {
        char *fixed = mc_utf8_repair(s);
        j = json_string(fixed);
        free(fixed);
    }
    return j ? j : json_string("");
}

json_t *mc_json_load_lenient(const char *buf, size_t len)
{
    if (!buf)
        return NULL;
    json_t *j = json_loadb(buf, len, JSON_ALLOW_NUL, NULL);
    if (j)
        return j;
    /* repair: U+FFFD for invalid bytes, \u00XX for raw controls in strings */
    mc_buf b;
    mc_buf_init(&b, 0);
    const unsigned char *p = (const unsigned char *)buf;
    int in_str = 0, escaped = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t k = utf8_seq(p + i, len - i, &cp);
        if (!k) {
            mc_buf_adds(&b, "\xEF\xBF\xBD");
            i++;
            escaped = 0;
            continue;
        }
        if (in_str && cp < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            mc_buf_adds(&b, esc);
        } else {
            mc_buf_add(&b, (const char *)p + i, k);
        }
        if (in_str && escaped)
            escaped = 0;
        else if (in_str && cp == '\\')
            escaped = 1;
        else if (cp == '"')
            in_str = !in_str;
        i += k;
    }
    j = json_loadb(b.data ? b.data : "", b.len, JSON_ALLOW_NUL, NULL);
    mc_buf_free(&b);
    return j;
}

static char *field(json_t *o, const char *name, size_t max)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) ? mc_sanitize(json_string_value(v), json_string_length(v), max) : NULL;
}

void mc_oauth_error_read(const char *body, size_t len, char **error, char **description)
{
    json_t *j = mc_json_load_lenient(body, len);
    *error = field(j, "error", 80);
    *description = field(j, "error_description", 300);
    json_decref(j);
}
