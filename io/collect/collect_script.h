/* stagger: the collection script (io/collect/stagger-collect.ps1), as
 * the program carries it.  The build turns the .ps1 file into these
 * bytes (io/collect/embed.c), so `stagger collect` prints exactly the
 * installed file (tests/collect.sh compares them).
 *
 * Static data: nothing to free.  stg_collect_script_len bytes, followed
 * by a NUL that is not part of the script. */
#ifndef STG_COLLECT_SCRIPT_H
#define STG_COLLECT_SCRIPT_H

#include <stddef.h>

extern const unsigned char stg_collect_script[];
extern const size_t stg_collect_script_len;

#endif
