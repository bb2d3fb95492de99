/* The 64-bit count map of u64map_int.h. */
#include <stdlib.h>
#include <string.h>

#include "korpus/common.h"
#include "u64map_int.h"

#define home kp_u64map_home

static int grow(kp_u64map *m)
{
	size_t nc = m->cap ? 2 * m->cap : 1024;
	unsigned shift = 64u - (unsigned)__builtin_ctzll((unsigned long long)nc);
	kp_u64slot *ns = calloc(nc, sizeof *ns);
	if (!ns)
		return KP_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key) {
			size_t h = home(m->slot[i].key, shift);
			while (ns[h].key)
				h = (h + 1) & (nc - 1);
			ns[h] = m->slot[i];
		}
	free(m->slot);
	m->slot = ns;
	m->cap = nc;
	m->shift = shift;
	return 0;
}

int kp_u64map_add(kp_u64map *m, uint64_t k, uint64_t v, size_t max)
{
	if (m->cap)
		for (size_t h = home(k, m->shift); m->slot[h].key; h = (h + 1) & (m->cap - 1))
			if (m->slot[h].key == k) {
				m->slot[h].val += v;
				return 0;
			}
	if (max && m->n >= max)
		return 1;
	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return KP_ENOMEM;
	size_t h = home(k, m->shift);
	while (m->slot[h].key)
		h = (h + 1) & (m->cap - 1);
	m->slot[h].key = k;
	m->slot[h].val = v;
	m->n++;
	return 0;
}

uint64_t kp_u64map_inc(kp_u64map *m, uint64_t k)
{
	if (m->cap)
		for (size_t h = home(k, m->shift); m->slot[h].key; h = (h + 1) & (m->cap - 1))
			if (m->slot[h].key == k)
				return ++m->slot[h].val;
	return kp_u64map_add(m, k, 1, 0) < 0 ? 0 : 1;
}

uint64_t kp_u64map_get(const kp_u64map *m, uint64_t k)
{
	if (!m->cap)
		return 0;
	for (size_t h = home(k, m->shift); m->slot[h].key; h = (h + 1) & (m->cap - 1))
		if (m->slot[h].key == k)
			return m->slot[h].val;
	return 0;
}

size_t kp_u64map_bytes(const kp_u64map *m)
{
	return m->cap * sizeof *m->slot;
}

void kp_u64map_clear(kp_u64map *m)
{
	if (m->cap > 4096 && m->n < m->cap / 16)
		kp_u64map_free(m);
	else if (m->cap)
		memset(m->slot, 0, m->cap * sizeof *m->slot);
	m->n = 0;
}

void kp_u64map_free(kp_u64map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->n = m->cap = 0;
	m->shift = 0;
}

int kp_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}
