/* "Did you mean": the words of a list nearest to a misspelt one, for the
 * errors of the CLI (commands, options, profiles, personas, quirks,
 * revisions). Pure: strings in, a string out. */
#ifndef MC_SUGGEST_H
#define MC_SUGGEST_H

#include <stddef.h>

/* The candidates word may have meant: those it is a prefix of, those
 * within a small edit distance (a typo, a swap), those that contain it;
 * nearest first, at most max, comma-separated in *out (owned; NULL when
 * none). */
void mc_suggest(const char *word, const char *const *candidates, size_t n, size_t max, char **out);
/* The edit distance (insertions, deletions, substitutions, adjacent
 * swaps) of a and b, case-insensitive; capped at cap + 1. */
size_t mc_edit_distance(const char *a, const char *b, size_t cap);

#endif
