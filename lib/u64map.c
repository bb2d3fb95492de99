/* The 64-bit count map of u64map_int.h. */
#include <stdlib.h>

#include "korpus/common.h"
#include "u64map_int.h"

static size_t home(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static int grow(kp_u64map *m)
{
	size_t nc = m->cap ? 2 * m->cap : 1024;
	uint64_t *nk = calloc(nc, sizeof *nk), *nv = calloc(nc, sizeof *nv);
	if (!nk || !nv) {
		free(nk);
		free(nv);
		return KP_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t h = home(m->key[i], nc);
			while (nk[h])
				h = (h + 1) & (nc - 1);
			nk[h] = m->key[i];
			nv[h] = m->val[i];
		}
	free(m->key);
	free(m->val);
	m->key = nk;
	m->val = nv;
	m->cap = nc;
	return 0;
}

int kp_u64map_add(kp_u64map *m, uint64_t k, uint64_t v, size_t max)
{
	if (m->cap)
		for (size_t h = home(k, m->cap); m->key[h]; h = (h + 1) & (m->cap - 1))
			if (m->key[h] == k) {
				m->val[h] += v;
				return 0;
			}
	if (max && m->n >= max)
		return 1;
	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return KP_ENOMEM;
	size_t h = home(k, m->cap);
	while (m->key[h])
		h = (h + 1) & (m->cap - 1);
	m->key[h] = k;
	m->val[h] = v;
	m->n++;
	return 0;
}

uint64_t kp_u64map_get(const kp_u64map *m, uint64_t k)
{
	if (!m->cap)
		return 0;
	for (size_t h = home(k, m->cap); m->key[h]; h = (h + 1) & (m->cap - 1))
		if (m->key[h] == k)
			return m->val[h];
	return 0;
}

size_t kp_u64map_bytes(const kp_u64map *m)
{
	return m->cap * 2 * sizeof *m->key;
}

void kp_u64map_free(kp_u64map *m)
{
	free(m->key);
	free(m->val);
	m->key = m->val = NULL;
	m->n = m->cap = 0;
}

int kp_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}
