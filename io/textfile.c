/* stagger: reading a whole file. */
#include "textfile.h"

#include <errno.h>
#include <stdio.h>

#include "model/alloc.h"

stg_textfile_status stg_textfile_read(const char *path, size_t max,
                                      char **text, size_t *len)
{
    stg_textfile_status st = STG_TEXTFILE_OK;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *text = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return STG_TEXTFILE_SYSTEM;
    for (;;) {
        if (stg_grow((void **)&buf, &cap, n + 65536 + 1, 1)) {
            st = STG_TEXTFILE_NO_MEMORY;
            goto out;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (n > max) {
            st = STG_TEXTFILE_TOO_BIG;
            goto out;
        }
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        if (!errno)
            errno = EIO;
        st = STG_TEXTFILE_SYSTEM;
        goto out;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
out:
    {
        int saved = errno;      /* fclose must not hide the cause */
        fclose(fp);
        errno = saved;
    }
    stg_free(buf);
    return st;
}
