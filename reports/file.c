/* Writing a report file whole or not at all: the report goes to a temporary
 * file beside its path, is flushed and synced, then renamed over the path,
 * so a kill or a full disk never leaves a truncated report nor destroys the
 * previous one. A path that exists and is not a regular file (a symbolic
 * link such as /dev/stdout, a device, a pipe) is written in place: renaming
 * over it would replace the link or the device node itself. */
#include "reports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *mc_out_open(mc_out *o, const char *path)
{
    memset(o, 0, sizeof *o);
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "w");
        return o->f;
    }
    const char *slash = strrchr(path, '/');
    o->tmp = slash ? mc_xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                   : mc_xasprintf(".%s.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        errno = e;
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* what fopen would have made */
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        errno = e;
        return NULL;
    }
    o->path = mc_xstrdup(path);
    return o->f;
}

int mc_out_write(void *ctx, const char *buf, int len)
{
    mc_out *o = ctx;
    if (len <= 0)
        return 0;
    if (fwrite(buf, 1, (size_t)len, o->f) != (size_t)len) {
        if (!o->err)
            o->err = errno ? errno : EIO;
        return -1;
    }
    return len;
}

int mc_out_close(mc_out *o, int ok)
{
    if (!o->f)
        return -1;
    int e = o->err;
    if (!ok && !e)
        e = errno ? errno : EIO;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = e ? e : errno ? errno : EIO;
    if (!e && o->tmp && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno;
    o->f = NULL;
    if (o->tmp) {
        if (!e && rename(o->tmp, o->path) != 0)
            e = errno;
        if (e)
            unlink(o->tmp);
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
    }
    errno = e;
    return e ? -1 : 0;
}

int mc_report_failed(const char *path)
{
    fprintf(stderr, "mcpcompat: cannot write %s: %s\n", path,
            errno ? strerror(errno) : "write error");
    return 3; /* MC_EXIT_CANNOT */
}
