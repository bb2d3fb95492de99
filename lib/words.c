/* Word sets and maps for the built-in language data (see words_int.h). */
#include <stdlib.h>
#include <string.h>

#include "korpus/common.h"
#include "words_int.h"

#define PACKED_MAX 4096 /* words in the packed table: at most half its slots */

static uint64_t pack8(const char *s, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, s, n);
	return v;
}

static size_t packed_home(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static int packed_add(kp_words *w, uint64_t key, size_t slot)
{
	if (!w->pcap) {
		w->pcap = 2 * PACKED_MAX;
		w->packed = calloc(w->pcap, sizeof *w->packed);
		w->packed_slot = calloc(w->pcap, sizeof *w->packed_slot);
		if (!w->packed || !w->packed_slot)
			return KP_ENOMEM;
	}
	size_t h = packed_home(key, w->pcap);
	while (w->packed_slot[h])
		h = (h + 1) & (w->pcap - 1);
	w->packed[h] = key;
	w->packed_slot[h] = (uint32_t)slot + 1;
	return 0;
}

/* Rebuild the packed table after the slots moved. */
static int packed_rebuild(kp_words *w)
{
	if (!w->pcap || w->n > PACKED_MAX) /* past PACKED_MAX words it is not read */
		return 0;
	memset(w->packed_slot, 0, w->pcap * sizeof *w->packed_slot);
	for (size_t i = 0; i < w->cap; i++)
		if (w->key[i] && w->klen[i] <= 8 && w->klen[i] && packed_add(w, pack8(w->key[i], w->klen[i]), i) < 0)
			return KP_ENOMEM;
	return 0;
}

static int grow(kp_words *w)
{
	size_t ncap = w->cap ? w->cap * 2 : 256;
	char **nk = calloc(ncap, sizeof *nk), **nv = calloc(ncap, sizeof *nv);
	size_t *nkl = calloc(ncap, sizeof *nkl), *nvl = calloc(ncap, sizeof *nvl);
	if (!nk || !nv || !nkl || !nvl) {
		free(nk);
		free(nv);
		free(nkl);
		free(nvl);
		return KP_ENOMEM;
	}
	for (size_t i = 0; i < w->cap; i++)
		if (w->key[i]) {
			size_t h = hash_bytes(w->key[i], w->klen[i]) & (ncap - 1);
			while (nk[h])
				h = (h + 1) & (ncap - 1);
			nk[h] = w->key[i];
			nkl[h] = w->klen[i];
			nv[h] = w->val[i];
			nvl[h] = w->vlen[i];
		}
	free(w->key);
	free(w->val);
	free(w->klen);
	free(w->vlen);
	w->key = nk;
	w->val = nv;
	w->klen = nkl;
	w->vlen = nvl;
	w->cap = ncap;
	return packed_rebuild(w);
}

static size_t find_slot(const kp_words *w, const char *s, size_t n)
{
	size_t h = hash_bytes(s, n) & (w->cap - 1);
	while (w->key[h] && !(w->klen[h] == n && memcmp(w->key[h], s, n) == 0))
		h = (h + 1) & (w->cap - 1);
	return h;
}

static char *dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int kp_words_put(kp_words *w, const char *k, size_t kn, const char *v, size_t vn)
{
	if ((w->n + 1) * 2 > w->cap && grow(w) < 0)
		return KP_ENOMEM;
	size_t h = find_slot(w, k, kn);
	if (w->key[h])
		return 1;
	if (!(w->key[h] = dup(k, kn)))
		return KP_ENOMEM;
	if (v && !(w->val[h] = dup(v, vn))) {
		free(w->key[h]);
		w->key[h] = NULL;
		return KP_ENOMEM;
	}
	w->klen[h] = kn;
	w->vlen[h] = v ? vn : 0;
	w->n++;
	if (kn > w->maxlen)
		w->maxlen = kn;
	if (kn && kn <= 8 && w->n <= PACKED_MAX && packed_add(w, pack8(k, kn), h) < 0)
		return KP_ENOMEM;
	return 0;
}

int kp_words_add(kp_words *w, const char *s, size_t n)
{
	int rc = kp_words_put(w, s, n, NULL, 0);
	return rc < 0 ? rc : 0;
}

/* Slot of s, or (size_t)-1. */
static size_t lookup(const kp_words *w, const char *s, size_t n)
{
	if (!w->n || !n || n > w->maxlen)
		return (size_t)-1;
	if (n <= 8 && w->pcap && w->n <= PACKED_MAX) {
		uint64_t key = pack8(s, n);
		size_t h = packed_home(key, w->pcap);
		while (w->packed_slot[h]) {
			size_t slot = w->packed_slot[h] - 1;
			if (w->packed[h] == key && w->klen[slot] == n)
				return slot;
			h = (h + 1) & (w->pcap - 1);
		}
		return (size_t)-1;
	}
	size_t h = find_slot(w, s, n);
	return w->key[h] ? h : (size_t)-1;
}

int kp_words_set(kp_words *w, const char *k, size_t kn, const char *v, size_t vn)
{
	size_t h = lookup(w, k, kn);
	if (h == (size_t)-1)
		return KP_ENOTFOUND;
	char *nv = dup(v, vn);
	if (!nv)
		return KP_ENOMEM;
	free(w->val[h]);
	w->val[h] = nv;
	w->vlen[h] = vn;
	return 0;
}

int kp_words_has(const kp_words *w, const char *s, size_t n)
{
	return lookup(w, s, n) != (size_t)-1;
}

const char *kp_words_get(const kp_words *w, const char *k, size_t kn, size_t *vlen)
{
	size_t h = lookup(w, k, kn);
	if (h == (size_t)-1 || !w->val[h])
		return NULL;
	*vlen = w->vlen[h];
	return w->val[h];
}

void kp_words_free(kp_words *w)
{
	for (size_t i = 0; i < w->cap; i++) {
		free(w->key[i]);
		free(w->val[i]);
	}
	free(w->key);
	free(w->val);
	free(w->klen);
	free(w->vlen);
	free(w->packed);
	free(w->packed_slot);
	memset(w, 0, sizeof *w);
}

int kp_data_next_line(const char **p, const char *end, const char **line, size_t *len, size_t *lineno)
{
	while (*p < end) {
		const char *s = *p;
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		*p = nl ? nl + 1 : end;
		(*lineno)++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e || *s == '#')
			continue;
		*line = s;
		*len = (size_t)(e - s);
		return 1;
	}
	return 0;
}
