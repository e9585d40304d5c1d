/* mcpcompat.1, written from the --help text so that the two cannot differ. */
#ifndef MC_MANPAGE_H
#define MC_MANPAGE_H

#include <stdio.h>

/* Writes the roff man page for help (the text --help prints): "usage:" is
 * the synopsis, "name:" lines are sections, "  term   text" lines are
 * tagged paragraphs, "name: text" starts a section with that text. */
void mc_man_from_help(FILE *out, const char *help, const char *version);

#endif
