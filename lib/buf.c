/* kp_buf: the growable byte buffer with a cap; kp_grow_array (see internal.h). */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

void kp_buf_free(kp_buf *b)
{
	free(b->p);
	kp_buf_init(b, b->max);
}

int kp_buf_grow(kp_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return KP_ETOOLONG;
	size_t need = b->len + extra;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
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
	size_t n = *cap ? *cap : first ? first : 1;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}
