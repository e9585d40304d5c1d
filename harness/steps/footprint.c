#include "footprint.h"

#include "../wire/buf.h"
#include "../wire/redact.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A few dozen entries a run at most: lists are enough. */
typedef struct entry {
    char *key; /* a request's endpoint and body, or a client and endpoint */
    int pending;
    int ok;
    mc_registration reg;
    struct entry *next;
} entry;

typedef struct counter {
    char *url;
    long n;
    struct counter *next;
} counter;

struct mc_footprint {
    pthread_mutex_t lock;
    pthread_cond_t done;
    entry *requests; /* by request */
    entry *clients;  /* by client and endpoint */
    counter *counts;
};

void mc_registration_clear(mc_registration *r)
{
    free(r->client_id);
    mc_secret_free(r->client_secret);
    free(r->client_auth);
    free(r->redirect_uri);
    memset(r, 0, sizeof *r);
}

static void copy_reg(mc_registration *to, const mc_registration *from)
{
    to->client_id = mc_xstrdup(from->client_id);
    to->client_secret = mc_xstrdup(from->client_secret);
    to->client_auth = mc_xstrdup(from->client_auth);
    to->redirect_uri = mc_xstrdup(from->redirect_uri);
}

mc_footprint *mc_footprint_new(void)
{
    mc_footprint *fp = mc_xcalloc(1, sizeof *fp);
    pthread_mutex_init(&fp->lock, NULL);
    pthread_cond_init(&fp->done, NULL);
    return fp;
}

static void free_entries(entry *e)
{
    while (e) {
        entry *next = e->next;
        free(e->key);
        mc_registration_clear(&e->reg);
        free(e);
        e = next;
    }
}

void mc_footprint_free(mc_footprint *fp)
{
    if (!fp)
        return;
    free_entries(fp->requests);
    free_entries(fp->clients);
    for (counter *c = fp->counts, *next; c; c = next) {
        next = c->next;
        free(c->url);
        free(c);
    }
    pthread_cond_destroy(&fp->done);
    pthread_mutex_destroy(&fp->lock);
    free(fp);
}

long mc_footprint_count(mc_footprint *fp, const char *url)
{
    size_t n = strcspn(url ? url : "", "?#");
    pthread_mutex_lock(&fp->lock);
    counter *c = fp->counts;
    while (c && (strlen(c->url) != n || strncmp(c->url, url, n) != 0))
        c = c->next;
    if (!c) {
        c = mc_xcalloc(1, sizeof *c);
        c->url = mc_xasprintf("%.*s", (int)n, url ? url : "");
        c->next = fp->counts;
        fp->counts = c;
    }
    long before = c->n++;
    pthread_mutex_unlock(&fp->lock);
    return before;
}

static entry *find(entry *e, const char *key)
{
    while (e && strcmp(e->key, key) != 0)
        e = e->next;
    return e;
}

int mc_footprint_claim(mc_footprint *fp, const char *key, mc_registration *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&fp->lock);
    for (;;) {
        entry *e = find(fp->requests, key);
        if (!e) {
            e = mc_xcalloc(1, sizeof *e);
            e->key = mc_xstrdup(key);
            e->pending = 1;
            e->next = fp->requests;
            fp->requests = e;
            pthread_mutex_unlock(&fp->lock);
            return 0;
        }
        if (e->pending) {
            pthread_cond_wait(&fp->done, &fp->lock);
            continue;
        }
        if (e->ok) {
            copy_reg(out, &e->reg);
            pthread_mutex_unlock(&fp->lock);
            return 1;
        }
        /* it failed for the other client: this one asks again itself */
        e->pending = 1;
        pthread_mutex_unlock(&fp->lock);
        return 0;
    }
}

void mc_footprint_registered(mc_footprint *fp, const char *key, const char *client,
                             const char *reg_ep, const mc_registration *reg)
{
    pthread_mutex_lock(&fp->lock);
    entry *e = key ? find(fp->requests, key) : NULL;
    if (e) {
        e->pending = 0;
        e->ok = reg != NULL;
        mc_registration_clear(&e->reg);
        if (reg)
            copy_reg(&e->reg, reg);
    }
    if (reg && client && reg_ep) {
        char *ck = mc_xasprintf("%s\n%s", client, reg_ep);
        entry *c = find(fp->clients, ck);
        if (!c) {
            c = mc_xcalloc(1, sizeof *c);
            c->key = ck;
            c->next = fp->clients;
            fp->clients = c;
        } else {
            free(ck);
            mc_registration_clear(&c->reg);
        }
        c->ok = 1;
        copy_reg(&c->reg, reg);
    }
    pthread_cond_broadcast(&fp->done);
    pthread_mutex_unlock(&fp->lock);
}

int mc_footprint_client(mc_footprint *fp, const char *client, const char *reg_ep,
                        mc_registration *out)
{
    memset(out, 0, sizeof *out);
    if (!client || !reg_ep)
        return 0;
    char *ck = mc_xasprintf("%s\n%s", client, reg_ep);
    pthread_mutex_lock(&fp->lock);
    entry *c = find(fp->clients, ck);
    if (c && c->ok)
        copy_reg(out, &c->reg);
    pthread_mutex_unlock(&fp->lock);
    free(ck);
    return c && c->ok;
}
