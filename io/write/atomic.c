/* stagger: atomic output files (temporary file, fsync, rename). */
#include "io/write/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "model/alloc.h"

struct stg_out {
    char *path;                 /* target */
    char *tmp;                  /* temporary beside it; NULL for stdout */
    FILE *fp;
};

static int is_stdout(const char *path)
{
    return strcmp(path, "-") == 0;
}

static void set_cause(char **cause, const char *what, const char *path,
                      int err)
{
    if (cause)
        *cause = stg_asprintf("%s %s: %s", what, path, strerror(err));
}

/* The directory part of path ("." when there is none), allocated. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return stg_strdup(".");
    if (slash == path)
        return stg_strdup("/");
    return stg_strndup(path, (size_t)(slash - path));
}

/* The directory part of path into buf (no allocation, so that running
 * out of memory is never mistaken for an unwritable path).  Returns 0,
 * or -1 when it does not fit. */
static int dir_into(char *buf, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    if (n >= size)
        return -1;
    if (!slash)
        memcpy(buf, ".", 2);
    else if (slash == path)
        memcpy(buf, "/", 2);
    else {
        memcpy(buf, path, n);
        buf[n] = '\0';
    }
    return 0;
}

int stg_out_check_writable(const char *path, char **cause)
{
    int rc = -1;
    char dir[PATH_MAX];
    struct stat st;

    if (cause)
        *cause = NULL;
    if (is_stdout(path))
        return 0;
    if (!*path || path[strlen(path) - 1] == '/') {
        set_cause(cause, "cannot write", *path ? path : "\"\"", EISDIR);
        goto out;
    }
    if (dir_into(dir, sizeof dir, path)) {
        set_cause(cause, "cannot write", path, ENAMETOOLONG);
        goto out;
    }
    if (stat(dir, &st) != 0) {
        set_cause(cause, "cannot write", path, errno);
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        set_cause(cause, "cannot write", path, ENOTDIR);
        goto out;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        set_cause(cause, "cannot write", path, errno);
        goto out;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            set_cause(cause, "cannot write", path, EISDIR);
            goto out;
        }
        if (!S_ISREG(st.st_mode)) {
            if (cause)
                *cause = stg_asprintf("cannot write %s: not a regular file",
                                      path);
            goto out;
        }
    } else if (errno != ENOENT) {
        set_cause(cause, "cannot write", path, errno);
        goto out;
    }
    rc = 0;
out:
    return rc;
}

stg_out *stg_out_open(const char *path, char **cause)
{
    stg_out *o = NULL;
    char *dir = NULL;
    int fd = -1;

    if (cause)
        *cause = NULL;
    if (!(o = stg_calloc(1, sizeof *o)) || !(o->path = stg_strdup(path))) {
        set_cause(cause, "cannot write", path, ENOMEM);
        goto fail;
    }
    if (is_stdout(path)) {
        o->fp = stdout;
        return o;
    }
    if (stg_out_check_writable(path, cause))
        goto fail;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!(dir = dir_of(path)) ||
        !(o->tmp = stg_asprintf("%s/.%s.tmp.XXXXXX", dir, base))) {
        set_cause(cause, "cannot write", path, ENOMEM);
        goto fail;
    }
    if ((fd = mkstemp(o->tmp)) < 0) {
        set_cause(cause, "cannot write", path, errno);
        stg_free(o->tmp);
        o->tmp = NULL;
        goto fail;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0644 & ~mask) != 0 || !(o->fp = fdopen(fd, "w"))) {
        set_cause(cause, "cannot write", path, errno);
        goto fail;
    }
    stg_free(dir);
    return o;
fail:
    if (fd >= 0 && !(o && o->fp))
        close(fd);
    if (o) {
        if (o->fp)
            fclose(o->fp);
        if (o->tmp)
            unlink(o->tmp);
        stg_free(o->tmp);
        stg_free(o->path);
        stg_free(o);
    }
    stg_free(dir);
    return NULL;
}

FILE *stg_out_file(stg_out *o)
{
    return o->fp;
}

const char *stg_out_path(const stg_out *o)
{
    return o->path;
}

/* Makes the rename durable; a directory that cannot be synced (some file
 * systems refuse) does not undo the write, so failures are ignored. */
static void sync_dir(const char *path)
{
    char *dir = dir_of(path);
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    stg_free(dir);
}

int stg_out_commit(stg_out *o, char **cause)
{
    int rc = -1;
    int err = 0;

    if (cause)
        *cause = NULL;
    if (!o->tmp) {
        errno = 0;
        if (fflush(o->fp) != 0 || ferror(o->fp)) {
            err = errno ? errno : EIO;
            if (cause)
                *cause = stg_asprintf("cannot write to standard output: %s",
                                      strerror(err));
            goto out;
        }
        rc = 0;
        goto out;
    }
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
        err = errno ? errno : EIO;
    if (fclose(o->fp) != 0 && !err)
        err = errno ? errno : EIO;
    o->fp = NULL;
    if (!err && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        set_cause(cause, "cannot write", o->path, err);
        unlink(o->tmp);
        goto out;
    }
    sync_dir(o->path);
    rc = 0;
out:
    stg_free(o->tmp);
    stg_free(o->path);
    stg_free(o);
    return rc;
}

void stg_out_abort(stg_out *o)
{
    if (!o)
        return;
    if (o->tmp) {
        if (o->fp)
            fclose(o->fp);
        unlink(o->tmp);
        stg_free(o->tmp);
    } else {
        fflush(o->fp);
    }
    stg_free(o->path);
    stg_free(o);
}
