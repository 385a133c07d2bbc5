/* stagger: capacity reasons in words (solver/capwhy.h -> the "what
 * binds" lines of `stagger capacity`, docs/capacity.md).
 *
 * stg_capwhy_text() returns the reason as one line of English, allocated
 * (free with stg_free()); "" for NULL; NULL when out of memory. */
#ifndef STG_IO_CAPACITY_TEXT_H
#define STG_IO_CAPACITY_TEXT_H

#include "solver/capwhy.h"

char *stg_capwhy_text(const stg_capwhy *w);

#endif
