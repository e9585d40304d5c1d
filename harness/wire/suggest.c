#define _GNU_SOURCE /* strcasestr */
#include "suggest.h"

#include "buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MC_SUGGEST_MAXLEN 64

size_t mc_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MC_SUGGEST_MAXLEN || lb > MC_SUGGEST_MAXLEN)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    /* optimal string alignment: three rows suffice */
    size_t rows[3][MC_SUGGEST_MAXLEN + 1];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t d = prev[j - 1] + !same;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 &&
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
                pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

static int has_prefix(const char *s, const char *p)
{
    size_t n = strlen(p);
    return n && strncasecmp(s, p, n) == 0;
}

static int contains(const char *s, const char *w)
{
    return strlen(w) >= 3 && strcasestr(s, w) != NULL;
}

void mc_suggest(const char *word, const char *const *candidates, size_t n, size_t max, char **out)
{
    *out = NULL;
    if (!word || !*word || !n || !max)
        return;
    /* a typo is at most a third of the word, and at least one edit */
    size_t cap = strlen(word) / 3;
    cap = cap < 1 ? 1 : cap > 3 ? 3 : cap;
    mc_buf b;
    mc_buf_init(&b, 128);
    size_t found = 0;
    /* nearest first: prefixes, then by distance, then those that contain it */
    for (size_t rank = 0; rank <= cap + 2 && found < max; rank++) {
        for (size_t i = 0; i < n && found < max; i++) {
            const char *c = candidates[i];
            if (!c || !strcasecmp(c, word))
                continue;
            size_t r = has_prefix(c, word)                     ? 0
                       : mc_edit_distance(word, c, cap) <= cap ? 1 + mc_edit_distance(word, c, cap)
                       : contains(c, word)                     ? cap + 2
                                                               : (size_t)-1;
            if (r != rank)
                continue;
            /* once listed, not again (a list may repeat a word) */
            int dup = 0;
            for (size_t k = 0; k < i && !dup; k++)
                dup = candidates[k] && !strcasecmp(candidates[k], c);
            if (dup)
                continue;
            mc_buf_printf(&b, "%s%s", found ? ", " : "", c);
            found++;
        }
    }
    if (found)
        *out = mc_buf_steal(&b);
    else
        mc_buf_free(&b);
}
