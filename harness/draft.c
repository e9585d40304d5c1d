#include "run.h"

#include <stdio.h>

int mc_cmd_profile_draft(const mc_config *cfg)
{
    (void)cfg;
    fprintf(stderr, "mcpcompat: profile draft: not built yet\n");
    return MC_EXIT_CANNOT;
}
