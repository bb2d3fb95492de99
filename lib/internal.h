/* Private to libkorpus: error detail and the bounded growable buffer. */
#ifndef KORPUS_INTERNAL_H
#define KORPUS_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "korpus/common.h"

#define KP_ERRMSG_MAX 320

typedef struct kp_err {
	char msg[KP_ERRMSG_MAX];
} kp_err;

/* Record a detail message and return rc, so callers can write
 * `return kp_err_set(&h->err, KP_EJSON, "...", ...);`. */
int kp_err_set(kp_err *e, int rc, const char *fmt, ...) KP_PRINTF(3, 4);
/* Same, with ": <strerror(errnum)>" appended. */
int kp_err_errno(kp_err *e, int rc, int errnum, const char *fmt, ...) KP_PRINTF(4, 5);
static inline void kp_err_clear(kp_err *e) { e->msg[0] = '\0'; }

/* A growable byte buffer that refuses to grow past max bytes (KP_ETOOLONG)
 * instead of exhausting memory. */
typedef struct kp_buf {
	char *p;
	size_t len, cap, max;
} kp_buf;

static inline void kp_buf_init(kp_buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max;
}
void kp_buf_free(kp_buf *b);
/* Make room for `extra` more bytes after len. */
int kp_buf_grow(kp_buf *b, size_t extra);
static inline int kp_buf_reserve(kp_buf *b, size_t extra)
{
	return extra <= b->cap - b->len ? 0 : kp_buf_grow(b, extra);
}
/* Room for exactly `extra` more bytes when it has to grow (no doubling):
 * for an array whose final size is known. */
int kp_buf_reserve_exact(kp_buf *b, size_t extra);
static inline int kp_buf_add(kp_buf *b, const void *p, size_t n)
{
	int rc = kp_buf_reserve(b, n);
	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}
static inline int kp_buf_addc(kp_buf *b, char c)
{
	int rc = kp_buf_reserve(b, 1);
	if (rc < 0)
		return rc;
	b->p[b->len++] = c;
	return 0;
}
static inline int kp_buf_adds(kp_buf *b, const char *s)
{
	return kp_buf_add(b, s, strlen(s));
}

/* An array of *cap elements of size bytes at p, with room for need (>= 1)
 * of them: p itself when it has it, else p moved to a capacity doubled from
 * *cap (from first when 0) until it does, and *cap set; NULL, with p and
 * *cap as they were, when memory (or size_t) runs out.  The caller keeps
 * the result: arr = kp_grow_array(arr, &cap, n + 1, sizeof *arr, 64). */
void *kp_grow_array_to(void *p, size_t *cap, size_t need, size_t size, size_t first);
static inline void *kp_grow_array(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	return need <= *cap ? p : kp_grow_array_to(p, cap, need, size, first);
}

/* The value of a base64 digit (RFC 4648: A-Z a-z 0-9 + /), -1 for any
 * other byte ('=' included). */
static inline int kp_base64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

#endif
