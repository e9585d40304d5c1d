/* libFuzzer target over the wire parsers that read what a server sends:
 * WWW-Authenticate, SSE, HTML forms, query strings, URLs, redaction. The first
 * input byte picks the parser. Built by ci/fuzz (clang -fsanitize=fuzzer). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../harness/wire/buf.h"
#include "../../harness/wire/form.h"
#include "../../harness/wire/redact.h"
#include "../../harness/wire/sse.h"
#include "../../harness/wire/url.h"
#include "../../harness/wire/www_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 6;
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
        if (mc_forms_parse(buf, len, &f) > 0) {
            char *body = mc_form_encode(&f.forms[0], "user", "password");
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
    default:
        free(mc_redact(text));
        break;
    }
    free(text);
    return 0;
}
