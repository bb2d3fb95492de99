/* kp_buf: the growable byte buffer with a cap; kp_grow_array (see internal.h). */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

void kp_buf_free(kp_buf *b)
{
	free(b->p);
	kp_buf_init(b, b->max);
}

/* from, doubled until it is need or more; 0 if that overflows size_t. */
static size_t doubled(size_t from, size_t need)
{
	while (from < need) {
		if (from > SIZE_MAX / 2)
			return 0;
		from *= 2;
	}
	return from;
}

int kp_buf_grow(kp_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return KP_ETOOLONG;
	size_t need = b->len + extra;
	size_t cap = doubled(b->cap ? b->cap : 256, need);
	if (!cap)
		cap = need;
	if (cap > b->max)
		cap = b->max;
	char *p = realloc(b->p, cap);
	if (!p)
		return KP_ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int kp_buf_reserve_exact(kp_buf *b, size_t extra)
{
	if (extra <= b->cap - b->len)
		return 0;
	if (extra > b->max || b->len > b->max - extra)
		return KP_ETOOLONG;
	char *p = realloc(b->p, b->len + extra);
	if (!p)
		return KP_ENOMEM;
	b->p = p;
	b->cap = b->len + extra;
	return 0;
}

void *kp_grow_array_to(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t n = doubled(*cap ? *cap : first ? first : 1, need);
	if (!n || (size && n > SIZE_MAX / size))
		return NULL;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}
