#include "cimd_host.h"

#include "../wire/buf.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct mc_cimd_host {
    struct MHD_Daemon *d;
    char *url;
    char *body;
    atomic_int fetches;
};

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url,
                             const char *method, const char *version, const char *upload,
                             size_t *upload_size, void **con_cls)
{
    (void)version, (void)upload, (void)upload_size, (void)con_cls;
    mc_cimd_host *h = cls;
    int ok = strcmp(method, "GET") == 0 && strcmp(url, "/client-metadata.json") == 0;
    const char *body = ok ? h->body : "{\"error\":\"not_found\"}";
    if (ok)
        atomic_fetch_add(&h->fetches, 1);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(conn, ok ? 200 : 404, r);
    MHD_destroy_response(r);
    return rc;
}

int mc_cimd_host_start(json_t *doc, mc_cimd_host **out, char **why)
{
    mc_cimd_host *h = mc_xcalloc(1, sizeof *h);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, serve, h,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
    if (!h->d) {
        *why = mc_xstrdup("cannot serve the client metadata document on 127.0.0.1");
        free(h);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->url = mc_xasprintf("http://127.0.0.1:%u/client-metadata.json", info ? info->port : 0);
    json_object_set_new(doc, "client_id", json_string(h->url));
    h->body = json_dumps(doc, JSON_COMPACT);
    *out = h;
    return 0;
}

const char *mc_cimd_host_url(const mc_cimd_host *h)
{
    return h->url;
}

int mc_cimd_host_fetches(const mc_cimd_host *h)
{
    return atomic_load(&((mc_cimd_host *)h)->fetches);
}

void mc_cimd_host_stop(mc_cimd_host *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h->url);
    free(h->body);
    free(h);
}
