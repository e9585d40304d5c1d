/* `mcpcompat demo`. */
#include "run_int.h"

#include "../data/data.h"
#include "../data/persona.h"
#include "../wire/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The seed write-up's scoreboard on the embedded fixture: five clients, one
 * server, three breaks; --fixed applies the write-up's three fixes. */
int mc_cmd_demo(const mc_config *cfg)
{
    mc_config c = *cfg;
    c.scenario = cfg->fixed ? "seed-2026-fixed" : "seed-2026";
    c.no_server_suite = 1;
    char *told = NULL; /* --as: the seed told with that product (its own scenario) */
    if (cfg->as) {
        mc_personas ps;
        const mc_persona *p;
        if (mc_persona_resolve(cfg->as, &ps, &p) != 0)
            return MC_EXIT_USAGE;
        told = mc_xasprintf("seed-2026-as-%s%s", p->id, cfg->fixed ? "-fixed" : "");
        mc_personas_free(&ps);
        char *path = mc_run_scenario_path(told);
        int have = mc_data_exists(path);
        free(path);
        if (!have) {
            fprintf(stderr, "mcpcompat: no scenario %s: the seed is not told with %s yet\n", told,
                    cfg->as);
            free(told);
            return MC_EXIT_USAGE;
        }
        c.scenario = told;
        c.as = NULL; /* the scenario names its persona */
    }
    int rc = mc_cmd_run(&c);
    free(told);
    return rc;
}
