#ifndef MC_SERVER_SUITE_H
#define MC_SERVER_SUITE_H

#include "client.h"

/* Runs the server suite against cfg->mcp_url; p drives the second flow. */
void mc_server_suite(const mc_profile *p, const mc_client_config *cfg, mc_step_result *s);

#endif
