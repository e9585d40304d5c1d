/* What the clients of one run share: mcpcompat's own footprint on the
 * target. Real users' clients each register once, from their own machines;
 * a run emulates them all from one (on a loopback target each from its own
 * source address, mc_http_opts.source). So a run reuses a registration it made
 * for a byte-identical request (the authorization server could not tell the
 * two apart), lets the server suite reuse the registration its reference
 * client made, and counts its requests to each endpoint: a 429 after them is
 * the run's doing, not a verdict on any client. Thread-safe. */
#ifndef MC_FOOTPRINT_H
#define MC_FOOTPRINT_H

typedef struct mc_footprint mc_footprint;

/* A registration made by this run (strings owned by whoever holds it). */
typedef struct {
    char *client_id;
    char *client_secret; /* secret, or NULL */
    char *client_auth;
    char *redirect_uri;
} mc_registration;

void mc_registration_clear(mc_registration *r);

mc_footprint *mc_footprint_new(void);
void mc_footprint_free(mc_footprint *fp);

/* Counts one request to url (its query dropped) and returns how many this
 * run sent there before it. */
long mc_footprint_count(mc_footprint *fp, const char *url);

/* The registration this run made for the same request (key: endpoint and
 * body). 1: found, copied to *out. 0: none; the caller registers and then
 * calls mc_footprint_registered (with NULL when it failed). A caller that
 * asks while another registers the same waits for its outcome. */
int mc_footprint_claim(mc_footprint *fp, const char *key, mc_registration *out);
/* The claimant's outcome for key (NULL: none claimed); reg (copied) is also
 * kept as what client made at endpoint reg_ep, for mc_footprint_client. */
void mc_footprint_registered(mc_footprint *fp, const char *key, const char *client,
                             const char *reg_ep, const mc_registration *reg);
/* The registration client made at reg_ep earlier in this run: 1 and a copy,
 * else 0. */
int mc_footprint_client(mc_footprint *fp, const char *client, const char *reg_ep,
                        mc_registration *out);

#endif
