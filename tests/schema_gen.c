/* Writes the JSON Schemas of the data files from the loader's own tables
 * (harness/data), so that schemas/ cannot drift from what the loader accepts:
 *   mc_schema_gen DIR    writes DIR/{profile,scenario,persona}.schema.json
 * The schemas_current test compares them with the committed schemas/. */
#include "../harness/data/persona.h"
#include "../harness/data/profile.h"
#include "../harness/data/scenario.h"

#include <stdio.h>

static int write_one(const char *dir, const char *name, const char *title, const mc_field *f)
{
    char path[4096], id[256];
    snprintf(path, sizeof path, "%s/%s.schema.json", dir, name);
    snprintf(id, sizeof id, "urn:mcpcompat:schema:%s", name);
    json_t *s = mc_schema_json(f, id, title);
    int rc = json_dump_file(s, path, JSON_INDENT(2)) == 0 ? 0 : 1;
    json_decref(s);
    if (rc)
        fprintf(stderr, "mc_schema_gen: cannot write %s\n", path);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mc_schema_gen DIR\n");
        return 2;
    }
    return write_one(argv[1], "profile", "mcpcompat client profile", mc_profile_fields()) |
           write_one(argv[1], "scenario", "mcpcompat scenario", mc_scenario_fields()) |
           write_one(argv[1], "persona", "mcpcompat authorization-server persona",
                     mc_persona_fields());
}
