/* Deduplication: keys, MinHash, LSH, the decision index, paragraph counts.
 *
 * The key is built in one pass over the text: letters and digits (case
 * folded through ICU for non-ASCII) make words, anything else separates
 * them.  Words hash with XXH3-64, shingles of n words with XXH3-64 over
 * the n word hashes, and MinHash permutation p of a shingle hash x is the
 * high half of a[p] * x + b[p] (a[p] odd): 128 multiply-adds per shingle,
 * in a loop compilers vectorise.  A band key is XXH3-64 of its rows, with
 * the band number as seed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <xxhash.h>

#include "ctype_int.h"
#include "internal.h"
#include "korpus/dedup.h"
#include "korpus/utf8.h"
#include "u64map_int.h"

/* ---- parameters ---------------------------------------------------------------- */

void kp_dedup_params_default(kp_dedup_params *p)
{
	p->ngram = 5;
	p->num_perm = 128;
	p->threshold = 0.8;
	p->bands = p->rows = 0;
	p->min_shingles = 5;
	p->raw_key = 0;
}

/* Every LSH candidate is verified by its MinHash estimate, so a false
 * positive of the bands costs one comparison and a false negative a lost
 * duplicate: the choice weighs them 1:19 (128 permutations at 0.8: 16
 * bands of 8 rows, a candidate at Jaccard 0.85 with probability 0.994). */
#define LSH_WEIGHT_FP 0.05

/* P(a pair of similarity s becomes an LSH candidate) */
static double candidate_prob(double s, int b, int r)
{
	return 1.0 - pow(1.0 - pow(s, r), b);
}

static double integrate(double lo, double hi, int b, int r, int complement)
{
	const int steps = 200;
	double h = (hi - lo) / steps, sum = 0.0;
	for (int i = 0; i <= steps; i++) {
		double y = candidate_prob(lo + i * h, b, r);
		if (complement)
			y = 1.0 - y;
		sum += (i == 0 || i == steps ? 0.5 : 1.0) * y;
	}
	return sum * h;
}

void kp_dedup_params_errors(const kp_dedup_params *p, double *false_pos, double *false_neg)
{
	*false_pos = integrate(0.0, p->threshold, p->bands, p->rows, 0);
	*false_neg = integrate(p->threshold, 1.0, p->bands, p->rows, 1);
}

int kp_dedup_params_finish(kp_dedup_params *p)
{
	if (p->ngram < 1 || p->ngram > 32 || p->num_perm < 2 || p->num_perm > KP_DEDUP_MAX_PERM ||
	    !(p->threshold > 0.0 && p->threshold < 1.0) || p->min_shingles < 1 || p->bands < 0 || p->rows < 0)
		return KP_EINVAL;
	if (p->bands && p->rows)
		return p->bands * p->rows <= p->num_perm && p->bands <= KP_DEDUP_MAX_BANDS ? 0 : KP_EINVAL;
	double best = 1e9;
	for (int b = 1; b <= p->num_perm && b <= KP_DEDUP_MAX_BANDS; b++)
		for (int r = 1; b * r <= p->num_perm; r++) {
			double fp = integrate(0.0, p->threshold, b, r, 0), fn = integrate(p->threshold, 1.0, b, r, 1);
			double err = LSH_WEIGHT_FP * fp + (1.0 - LSH_WEIGHT_FP) * fn;
			if (err < best - 1e-12) {
				best = err;
				p->bands = b;
				p->rows = r;
			}
		}
	return 0;
}

/* ---- signer ---------------------------------------------------------------------- */

struct kp_dedup_signer {
	kp_dedup_params p;
	uint32_t a32[KP_DEDUP_MAX_PERM], b32[KP_DEDUP_MAX_PERM];
	kp_buf key;      /* the normalised words, separated by spaces */
	uint64_t *th;    /* word hashes */
	size_t thcap;
	uint32_t mh32[KP_DEDUP_MAX_PERM];
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

kp_dedup_signer *kp_dedup_signer_new(const kp_dedup_params *p)
{
	kp_dedup_signer *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->p = *p;
	uint64_t seed = 0x6b6f72707573ull; /* fixed: signatures are comparable across runs and shards */
	for (int i = 0; i < KP_DEDUP_MAX_PERM; i++) {
		s->a32[i] = (uint32_t)splitmix(&seed) | 1;
		s->b32[i] = (uint32_t)splitmix(&seed);
	}
	kp_buf_init(&s->key, (size_t)-1);
	return s;
}

void kp_dedup_signer_free(kp_dedup_signer *s)
{
	if (!s)
		return;
	kp_buf_free(&s->key);
	free(s->th);
	free(s);
}

/* Length of a dateline opening the text ("JAKARTA, KOMPAS.com - ",
 * "Jakarta (ANTARA) - ", "TEMPO.CO, Jakarta -- "), or 0: at most 80 bytes
 * and 6 words before a dash between blanks, one of them in capitals or
 * holding a period or a bracket. */
static size_t dateline_len(const char *t, size_t len)
{
	size_t lim = len < 80 ? len : 80, words = 0;
	int marked = 0, in_word = 0, caps = 1, letters = 0;
	for (size_t i = 0; i + 2 < lim; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '\n')
			return 0;
		if (c == ' ' && i > 0) {
			size_t k = i + 1, d = 0;
			while (k < len && (t[k] == '-' || (unsigned char)t[k] == 0xE2)) {
				if ((unsigned char)t[k] == 0xE2) { /* en or em dash */
					if (k + 2 >= len || (unsigned char)t[k + 1] != 0x80 ||
					    ((unsigned char)t[k + 2] != 0x93 && (unsigned char)t[k + 2] != 0x94))
						break;
					k += 3;
				} else {
					k++;
				}
				d++;
			}
			if (d && d <= 2 && k < len && t[k] == ' ' && marked && words >= 1)
				return k + 1;
		}
		if (c == ' ') {
			if (in_word && caps && letters >= 2)
				marked = 1;
			in_word = 0;
			continue;
		}
		if (!in_word) {
			in_word = 1;
			caps = 1;
			letters = 0;
			if (++words > 6)
				return 0;
		}
		if (c == '.' || c == '(')
			marked = 1;
		if (c >= 'a' && c <= 'z')
			caps = 0;
		else if (c >= 'A' && c <= 'Z')
			letters++;
	}
	return 0;
}

/* A byte of an ASCII word, lower case ('0'-'9' have the bit 0x20 set
 * already), or 0. */
static inline unsigned char ascii_word(unsigned char c)
{
	return kp_ascii_isalnum(c) ? (unsigned char)(c | 0x20) : 0;
}

static int add_word_hash(kp_dedup_signer *s, long *nw, const char *w, size_t n)
{
	uint64_t *nt = kp_grow_array(s->th, &s->thcap, (size_t)*nw + 1, sizeof *nt, 1024);
	if (!nt)
		return KP_ENOMEM;
	s->th = nt;
	s->th[(*nw)++] = XXH3_64bits(w, n);
	return 0;
}

/* The words of text[0..len) into s->key (separated by spaces) and their
 * hashes into s->th; returns the number of words or KP_ENOMEM. */
static long build_key(kp_dedup_signer *s, const char *t, size_t len, int skip_dateline)
{
	kp_buf *k = &s->key;
	k->len = 0;
	/* simple case folding can lengthen a character by a byte (U+023A) */
	if (kp_buf_reserve(k, 2 * len + 8) < 0)
		return KP_ENOMEM;
	char *o = k->p;
	size_t ol = 0, i = skip_dateline ? dateline_len(t, len) : 0, wstart = 0;
	long nw = 0;
	int in_word = 0;
	while (i < len) {
		unsigned char c = (unsigned char)t[i];
		if (c < 0x80) {
			unsigned char lc = ascii_word(c);
			if (lc) {
				if (!in_word) {
					if (nw)
						o[ol++] = ' ';
					wstart = ol;
					in_word = 1;
				}
				o[ol++] = (char)lc;
				/* the rest of an ASCII word at once */
				while (++i < len && (lc = ascii_word((unsigned char)t[i])) != 0)
					o[ol++] = (char)lc;
				continue;
			}
			if (in_word) {
				in_word = 0;
				if (add_word_hash(s, &nw, o + wstart, ol - wstart) < 0)
					return KP_ENOMEM;
			}
			i++;
			continue;
		}
		int32_t cp;
		size_t n = kp_utf8_decode(t + i, len - i, &cp);
		if (cp >= 0 && (u_isalnum(cp) || u_charType(cp) == U_NON_SPACING_MARK)) {
			if (!in_word) {
				if (nw)
					o[ol++] = ' ';
				wstart = ol;
				in_word = 1;
			}
			ol += kp_utf8_encode(o + ol, (uint32_t)u_foldCase(cp, U_FOLD_CASE_DEFAULT));
		} else if (in_word) {
			in_word = 0;
			if (add_word_hash(s, &nw, o + wstart, ol - wstart) < 0)
				return KP_ENOMEM;
		}
		i += n;
	}
	if (in_word && add_word_hash(s, &nw, o + wstart, ol - wstart) < 0)
		return KP_ENOMEM;
	k->len = ol;
	return nw;
}

/* Permutation k of a shingle's 32-bit hash x: (x ^ b[k]) * a[k] mod 2^32
 * with a[k] odd, a bijection whose order (high bits first) depends on all
 * bits of x.  A loop of independent lanes: AVX2 where the CPU has it (one
 * binary, chosen at load), SSE2 otherwise. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(KORPUS_NO_CLONES)
__attribute__((target_clones("avx2", "default")))
#endif
static void minhash_update(uint32_t *restrict mh, const uint32_t *restrict a, const uint32_t *restrict b, int np,
			   uint32_t x)
{
	for (int k = 0; k < np; k++) {
		uint32_t v = (x ^ b[k]) * a[k];
		mh[k] = v < mh[k] ? v : mh[k];
	}
}

int kp_dedup_sign(kp_dedup_signer *s, const char *text, size_t len, kp_dedup_sig *out)
{
	const kp_dedup_params *p = &s->p;
	long nw = build_key(s, text, len, 1);
	if (nw < 0)
		return (int)nw;
	XXH128_hash_t h = p->raw_key ? XXH3_128bits(text, len) : XXH3_128bits(s->key.p ? s->key.p : "", s->key.len);
	memcpy(out->exact, &h.low64, 8);
	memcpy(out->exact + 8, &h.high64, 8);
	long nsh = nw >= p->ngram ? nw - p->ngram + 1 : 0;
	out->shingles = (uint32_t)(nsh > UINT32_MAX ? UINT32_MAX : nsh);
	out->near = nsh >= p->min_shingles;
	if (!out->near)
		return 0;
	int np = p->num_perm;
	uint32_t *mh = s->mh32;
	for (int k = 0; k < np; k++)
		mh[k] = UINT32_MAX;
	for (long i = 0; i < nsh; i++) {
		uint64_t x = XXH3_64bits(s->th + i, (size_t)p->ngram * sizeof *s->th);
		minhash_update(mh, s->a32, s->b32, np, (uint32_t)(x ^ (x >> 32)));
	}
	for (int k = 0; k < np; k++)
		out->mh[k] = (uint8_t)mh[k];
	for (int band = 0; band < p->bands; band++)
		out->band[band] = XXH3_64bits_withSeed(mh + band * p->rows, (size_t)p->rows * sizeof *mh,
						       (uint64_t)band + 1);
	return 0;
}

uint64_t kp_dedup_para_hash(kp_dedup_signer *s, const char *text, size_t len)
{
	long nw = build_key(s, text, len, 0);
	if (nw <= 0)
		return 0;
	uint64_t h = XXH3_64bits(s->key.p, s->key.len);
	return h ? h : 1;
}

double kp_dedup_jaccard(const kp_dedup_sig *a, const kp_dedup_sig *b, int num_perm)
{
	int eq = 0;
	for (int k = 0; k < num_perm; k++)
		eq += a->mh[k] == b->mh[k];
	return kp_dedup_estimate(eq, num_perm);
}

double kp_dedup_estimate(int equal, int num_perm)
{
	/* b-bit MinHash (Li and König): unequal minima agree in their low 8
	 * bits with probability 1/256, so P(equal) = J + (1 - J) / 256. */
	double f = (double)equal / num_perm, j = (f - 1.0 / 256) / (1.0 - 1.0 / 256);
	return j < 0 ? 0 : j;
}

/* ---- hash tables ------------------------------------------------------------------ */

/* Open addressing from a 64-bit key (never 0) to a slot number. */
struct map64 {
	uint64_t *key;
	uint32_t *val;
	size_t cap, n;
};

static size_t map_home(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

static int map_grow(struct map64 *m)
{
	size_t ncap = m->cap ? 2 * m->cap : 1024;
	uint64_t *nk = calloc(ncap, sizeof *nk);
	uint32_t *nv = calloc(ncap, sizeof *nv);
	if (!nk || !nv) {
		free(nk);
		free(nv);
		return KP_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t h = map_home(m->key[i], ncap);
			while (nk[h])
				h = (h + 1) & (ncap - 1);
			nk[h] = m->key[i];
			nv[h] = m->val[i];
		}
	free(m->key);
	free(m->val);
	m->key = nk;
	m->val = nv;
	m->cap = ncap;
	return 0;
}

/* The value of k, or -1. */
static long map_get(const struct map64 *m, uint64_t k)
{
	if (!m->cap)
		return -1;
	for (size_t h = map_home(k, m->cap); m->key[h]; h = (h + 1) & (m->cap - 1))
		if (m->key[h] == k)
			return m->val[h];
	return -1;
}

/* Grown past 7/10 full: linear probing stays short, and the table is
 * 35-70% used. */
static int map_full(size_t n, size_t cap)
{
	return (n + 1) * 10 > cap * 7;
}

/* Insert k -> v unless k is there.  0 or KP_ENOMEM. */
static int map_put_new(struct map64 *m, uint64_t k, uint32_t v)
{
	if (map_full(m->n, m->cap) && map_grow(m) < 0)
		return KP_ENOMEM;
	size_t h = map_home(k, m->cap);
	for (; m->key[h]; h = (h + 1) & (m->cap - 1))
		if (m->key[h] == k)
			return 0;
	m->key[h] = k;
	m->val[h] = v;
	m->n++;
	return 0;
}

static size_t map_bytes(const struct map64 *m)
{
	return m->cap * (sizeof *m->key + sizeof *m->val);
}

static void map_free(struct map64 *m)
{
	free(m->key);
	free(m->val);
}

/* The band map: one 64-bit word per entry, a 32-bit fingerprint of the band
 * key above the slot + 1 (0: empty).  A fingerprint that two band keys
 * share only yields a candidate that the MinHash estimate then rejects. */
struct bandmap {
	uint64_t *e;
	size_t cap, n;
};

static size_t band_home(uint32_t fp, size_t cap)
{
	return (size_t)(((uint64_t)fp * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static long band_get(const struct bandmap *m, uint32_t fp)
{
	if (!m->cap)
		return -1;
	for (size_t h = band_home(fp, m->cap); m->e[h]; h = (h + 1) & (m->cap - 1))
		if ((uint32_t)(m->e[h] >> 32) == fp)
			return (long)(uint32_t)m->e[h] - 1;
	return -1;
}

static int band_put_new(struct bandmap *m, uint32_t fp, uint32_t slot)
{
	if (map_full(m->n, m->cap)) {
		size_t ncap = m->cap ? 2 * m->cap : 4096;
		uint64_t *ne = calloc(ncap, sizeof *ne);
		if (!ne)
			return KP_ENOMEM;
		for (size_t i = 0; i < m->cap; i++)
			if (m->e[i]) {
				size_t h = band_home((uint32_t)(m->e[i] >> 32), ncap);
				while (ne[h])
					h = (h + 1) & (ncap - 1);
				ne[h] = m->e[i];
			}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	size_t h = band_home(fp, m->cap);
	for (; m->e[h]; h = (h + 1) & (m->cap - 1))
		if ((uint32_t)(m->e[h] >> 32) == fp)
			return 0;
	m->e[h] = (uint64_t)fp << 32 | ((uint64_t)slot + 1);
	m->n++;
	return 0;
}

static uint64_t nonzero(uint64_t k)
{
	return k ? k : 0x8000000000000000ull;
}

/* ---- the decision index --------------------------------------------------------- */

struct kp_dedup_index {
	kp_dedup_params p;
	size_t max_memory;
	/* kept documents: their refs, exact keys and MinHash values */
	uint64_t *ref;
	uint8_t *exact;
	uint8_t *mh;
	size_t n, cap;
	struct map64 exact_map;
	struct bandmap band_map;
};

kp_dedup_index *kp_dedup_index_new(const kp_dedup_params *p, size_t max_memory)
{
	kp_dedup_index *x = calloc(1, sizeof *x);
	if (x) {
		x->p = *p;
		x->max_memory = max_memory;
	}
	return x;
}

void kp_dedup_index_free(kp_dedup_index *x)
{
	if (!x)
		return;
	free(x->ref);
	free(x->exact);
	free(x->mh);
	map_free(&x->exact_map);
	free(x->band_map.e);
	free(x);
}

size_t kp_dedup_index_memory(const kp_dedup_index *x)
{
	return x->cap * (sizeof *x->ref + 16 + (size_t)x->p.num_perm * sizeof *x->mh) + map_bytes(&x->exact_map) +
	       x->band_map.cap * sizeof *x->band_map.e;
}

size_t kp_dedup_bytes_per_doc(const kp_dedup_params *p)
{
	/* arrays at 3/4 use on average, maps at 21/40 (grown at 7/10) */
	double arrays = (8.0 + 16.0 + (double)p->num_perm) * 4.0 / 3.0;
	double maps = (12.0 + 8.0 * p->bands) * 40.0 / 21.0;
	return (size_t)(arrays + maps);
}

static uint64_t exact_key(const uint8_t *e)
{
	uint64_t k;
	memcpy(&k, e, 8);
	return nonzero(k);
}

int kp_dedup_index_add(kp_dedup_index *x, uint64_t ref, const kp_dedup_sig *sig, const unsigned char *use_bands,
		       kp_dedup_verdict *v)
{
	const kp_dedup_params *p = &x->p;
	int np = p->num_perm;
	v->kind = KP_DEDUP_KEPT;
	v->dup_of = 0;
	v->jaccard = 0.0;
	/* the exact key: the 64-bit map finds it, the full 128 bits confirm */
	long e = map_get(&x->exact_map, exact_key(sig->exact));
	if (e >= 0 && memcmp(x->exact + (size_t)e * 16, sig->exact, 16) == 0) {
		v->kind = KP_DEDUP_EXACT;
		v->dup_of = x->ref[e];
		v->jaccard = 1.0;
		return 0;
	}
	if (sig->near) {
		long best = -1;
		double bj = -1.0;
		for (int band = 0; band < p->bands; band++) {
			if (use_bands && !use_bands[band])
				continue;
			long c = band_get(&x->band_map, (uint32_t)(sig->band[band] >> 32));
			if (c < 0 || c == best)
				continue;
			int eq = 0;
			const uint8_t *m = x->mh + (size_t)c * (size_t)np;
			for (int k = 0; k < np; k++)
				eq += m[k] == sig->mh[k];
			double j = kp_dedup_estimate(eq, np);
			if (j >= p->threshold && (j > bj || (j == bj && x->ref[c] < x->ref[best]))) {
				bj = j;
				best = c;
			}
		}
		if (best >= 0) {
			v->kind = KP_DEDUP_NEAR;
			v->dup_of = x->ref[best];
			v->jaccard = bj;
			return 0;
		}
	}
	/* kept: index it */
	if (x->max_memory && kp_dedup_index_memory(x) > x->max_memory)
		return KP_ETOOLONG;
	if (x->n == x->cap) {
		size_t ncap = x->cap ? 2 * x->cap : 1024;
		uint64_t *nr = realloc(x->ref, ncap * sizeof *nr);
		if (nr)
			x->ref = nr;
		uint8_t *ne = realloc(x->exact, ncap * 16);
		if (ne)
			x->exact = ne;
		uint8_t *nm = realloc(x->mh, ncap * (size_t)np * sizeof *nm);
		if (nm)
			x->mh = nm;
		if (!nr || !ne || !nm)
			return KP_ENOMEM;
		x->cap = ncap;
	}
	size_t slot = x->n++;
	x->ref[slot] = ref;
	memcpy(x->exact + slot * 16, sig->exact, 16);
	if (sig->near)
		memcpy(x->mh + slot * (size_t)np, sig->mh, (size_t)np * sizeof *sig->mh);
	else
		memset(x->mh + slot * (size_t)np, 0, (size_t)np * sizeof *sig->mh);
	if (map_put_new(&x->exact_map, exact_key(sig->exact), (uint32_t)slot) < 0)
		return KP_ENOMEM;
	if (sig->near)
		for (int band = 0; band < p->bands; band++)
			if ((!use_bands || use_bands[band]) &&
			    band_put_new(&x->band_map, (uint32_t)(sig->band[band] >> 32), (uint32_t)slot) < 0)
				return KP_ENOMEM;
	return 0;
}

/* ---- repeated paragraphs ------------------------------------------------------------ */

struct kp_dedup_paras {
	kp_u64map counts; /* paragraph hash -> documents */
	uint64_t *seen; /* the hashes of the current document */
	size_t nseen, seencap;
};

kp_dedup_paras *kp_dedup_paras_new(void)
{
	return calloc(1, sizeof(kp_dedup_paras));
}

void kp_dedup_paras_free(kp_dedup_paras *t)
{
	if (!t)
		return;
	kp_u64map_free(&t->counts);
	free(t->seen);
	free(t);
}

int kp_dedup_paras_add(kp_dedup_paras *t, uint64_t hash, uint64_t n)
{
	return hash ? kp_u64map_add(&t->counts, hash, n, 0) : 0;
}

uint64_t kp_dedup_paras_get(const kp_dedup_paras *t, uint64_t hash)
{
	return hash ? kp_u64map_get(&t->counts, hash) : 0;
}

int kp_dedup_paras_count(kp_dedup_paras *t, kp_dedup_signer *s, const char *text, size_t len)
{
	t->nseen = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		uint64_t h = kp_dedup_para_hash(s, text + i, e - i);
		if (h) {
			uint64_t *ns = kp_grow_array(t->seen, &t->seencap, t->nseen + 1, sizeof *ns, 64);
			if (!ns)
				return KP_ENOMEM;
			t->seen = ns;
			t->seen[t->nseen++] = h;
		}
		i = e + 1;
	}
	if (t->nseen)
		qsort(t->seen, t->nseen, sizeof *t->seen, kp_cmp_u64);
	for (size_t k = 0; k < t->nseen; k++)
		if ((k == 0 || t->seen[k] != t->seen[k - 1]) && kp_dedup_paras_add(t, t->seen[k], 1) < 0)
			return KP_ENOMEM;
	return 0;
}

void kp_dedup_paras_each(const kp_dedup_paras *t, uint64_t min_docs, void (*fn)(void *ctx, uint64_t hash, uint64_t n),
			 void *ctx)
{
	const kp_u64map *m = &t->counts;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key && m->slot[i].val >= min_docs)
			fn(ctx, m->slot[i].key, m->slot[i].val);
}

size_t kp_dedup_paras_size(const kp_dedup_paras *t)
{
	return t->counts.n;
}
