/* SHA-256 (FIPS 180-4), for the digests of korpus build's manifest. */
#ifndef KORPUS_SHA256_H
#define KORPUS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
} sha256_ctx;

void sha256_init(sha256_ctx *s);
void sha256_update(sha256_ctx *s, const void *p, size_t n);
void sha256_final(sha256_ctx *s, unsigned char out[32]);

#endif
