/* stagger: SHA-256 (FIPS 180-4), used to tie a schedule file to the exact
 * bytes of the fleet file it was planned from.
 *
 * No allocation: a stg_sha256_ctx lives wherever the caller puts it.
 * The digest is written as 64 lowercase hexadecimal digits plus a NUL. */
#ifndef STG_SHA256_H
#define STG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define STG_SHA256_HEX 65       /* 64 digits and the NUL */

typedef struct {
    uint32_t h[8];
    uint64_t length;            /* bytes hashed so far */
    unsigned char block[64];
    size_t used;                /* bytes waiting in block */
} stg_sha256_ctx;

void stg_sha256_init(stg_sha256_ctx *c);
void stg_sha256_update(stg_sha256_ctx *c, const void *data, size_t len);
/* Finishes the digest into hex (64 digits, NUL-terminated); the context
 * must be initialized again before reuse. */
void stg_sha256_final(stg_sha256_ctx *c, char hex[STG_SHA256_HEX]);

/* One call: the digest of len bytes at data. */
void stg_sha256(const void *data, size_t len, char hex[STG_SHA256_HEX]);

#endif
