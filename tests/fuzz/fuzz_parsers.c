/* libFuzzer target over the wire parsers that read what a server sends:
 * WWW-Authenticate, SSE, HTML forms, query strings, URLs, redaction, the
 * sanitiser and the lenient OAuth error reader, address classes. The first
 * input byte picks the parser. Built by ci/fuzz (clang -fsanitize=fuzzer). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/wire/buf.h"
#include "../../harness/wire/form.h"
#include "../../harness/wire/redact.h"
#include "../../harness/wire/rewrite.h"
#include "../../harness/wire/sanitize.h"
#include "../../harness/wire/sse.h"
#include "../../harness/wire/ssrf.h"
#include "../../harness/wire/url.h"
#include "../../harness/wire/www_auth.h"

/* maps every origin (the proxy maps only its own): 127.0.0.1:PORT one way */
static char *map_any(const char *url, void *ctx)
{
    (void)ctx;
    return strlen(url) % 2 ? mc_xstrdup("http://127.0.0.1:1") : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 12;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    char *text = mc_xstrndup(buf, len); /* NUL-terminated copy for string APIs */
    switch (which) {
    case 0: {
        mc_challenges c;
        const char *err = NULL;
        mc_www_auth_parse(buf, len, &c, &err);
        mc_challenge_param(mc_challenges_find(&c, "Bearer"), "resource_metadata");
        mc_challenges_free(&c);
        break;
    }
    case 1: {
        size_t pos = 0;
        mc_sse_event ev;
        while (mc_sse_next(buf, len, &pos, &ev) == 1)
            mc_sse_event_free(&ev);
        break;
    }
    case 2: {
        mc_forms f;
        int n = mc_forms_parse(buf, len, &f);
        for (int i = 0; i < n; i++) {
            mc_form_is_login(&f.forms[i]);
            char *body = mc_form_encode(&f.forms[i], "user", "password");
            free(body);
        }
        mc_forms_free(&f);
        break;
    }
    case 3:
        free(mc_query_get(text, "code"));
        free(mc_url_query_get(text, "state"));
        break;
    case 4:
        free(mc_url_canonical(text));
        free(mc_url_well_known_insert(text, "oauth-protected-resource"));
        free(mc_url_resolve("https://a.example/x/y", text));
        break;
    case 5:
        free(mc_redact(text));
        break;
    case 6: {
        /* what the sanitiser gives is always valid UTF-8 without controls */
        char *clean = mc_sanitize(buf, len, len % 64);
        json_t *j = json_string(clean);
        if (!j)
            abort();
        json_decref(j);
        for (const unsigned char *p = (const unsigned char *)clean; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                abort();
        free(clean);
        char *fixed = mc_utf8_repair(text);
        j = json_string(fixed);
        if (!j)
            abort();
        json_decref(j);
        free(fixed);
        break;
    }
    case 7: {
        char *err = NULL, *desc = NULL;
        mc_oauth_error_read(buf, len, &err, &desc);
        free(err);
        free(desc);
        break;
    }
    case 9: /* redaction by rule: what a message teaches, then a text */
        mc_redact_learn_headers(text);
        mc_redact_learn_html(buf, len);
        free(mc_redact(text));
        free(mc_redact_header(len & 1 ? "Set-Cookie" : "Authorization", text));
        mc_secrets_clear();
        break;
    case 10: { /* the recording proxy's rewriting, both ways */
        int changed = 0;
        free(mc_rewrite_text(buf, len, map_any, NULL, &changed));
        free(mc_rewrite_form(text, map_any, NULL, &changed));
        free(mc_rewrite_location(text, map_any, NULL, &changed));
        mc_origin_len(text);
        break;
    }
    case 11:
        mc_host_is_loopback_listener(text, 8080, (int)(len & 1));
        break;
    default:
        mc_net_classify_text(text);
        break;
    }
    free(text);
    return 0;
}
