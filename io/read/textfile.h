/* stagger: a whole text file read into memory, for the readers (which
 * keep the text to quote lines in their messages).
 *
 * stg_textfile_read() returns STG_TEXTFILE_OK with *text (NUL-terminated,
 * caller frees with stg_free()) and *len, or an error with *text NULL;
 * for STG_TEXTFILE_SYSTEM, errno says why.  The caller words the message,
 * so each reader keeps its own. */
#ifndef STG_TEXTFILE_H
#define STG_TEXTFILE_H

#include <stddef.h>

typedef enum {
    STG_TEXTFILE_OK,
    STG_TEXTFILE_SYSTEM,        /* cannot open or read: see errno */
    STG_TEXTFILE_TOO_BIG,       /* more than max bytes */
    STG_TEXTFILE_NO_MEMORY
} stg_textfile_status;

stg_textfile_status stg_textfile_read(const char *path, size_t max,
                                      char **text, size_t *len);

#endif
