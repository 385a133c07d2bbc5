/* stagger: helpers of the export formats (see export_common.h). */
#include "io/export/export_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"

int stg_utf8_decode(const unsigned char *p, unsigned long *cp)
{
    int n;
    unsigned long c, min;
    *cp = p[0];
    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xe0) == 0xc0)
        n = 2, c = p[0] & 0x1f, min = 0x80;
    else if ((p[0] & 0xf0) == 0xe0)
        n = 3, c = p[0] & 0x0f, min = 0x800;
    else if ((p[0] & 0xf8) == 0xf0)
        n = 4, c = p[0] & 0x07, min = 0x10000;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)     /* also stops at the NUL */
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

char *stg_export_fmt_number(char *buf, size_t size, double v)
{
    if (v == 0) {
        snprintf(buf, size, "0");
        return buf;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

unsigned stg_export_check_days(const stg_export_input *in, int g)
{
    const stg_schedule_doc *d = in->doc;
    if (d->cycle != STG_WEEK)
        return STG_DAILY;
    if (in->fleet) {
        int fg = stg_fleet_group(in->fleet, d->groups[g].name);
        if (fg >= 0 && in->fleet->groups[fg].has_cc)
            return in->fleet->groups[fg].cc_days & STG_DAILY;
    }
    unsigned days = 0;
    for (int i = 0; i < d->ntransfers; i++) {
        const stg_sdoc_transfer *t = &d->transfers[i];
        if (t->kind == STG_JOB_CC && !strcmp(t->group, d->groups[g].name))
            days |= 1u << ((t->release / STG_DAY) % 7);
    }
    return days ? days : STG_DAILY;
}

int stg_export_finish(FILE *out, char **cause)
{
    if (fflush(out) == 0 && !ferror(out))
        return 0;
    int err = errno;
    *cause = stg_asprintf("cannot write the export: %s",
                          err ? strerror(err) : "write error");
    return -1;
}

int stg_export_oom(char **cause)
{
    *cause = stg_strdup("out of memory");
    return -1;
}
