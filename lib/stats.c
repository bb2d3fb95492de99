/* Corpus statistics: exact accumulators, merging, the JSON report and the
 * vocabulary TSV (see korpus/stats.h). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <xxhash.h>
#include <yajl/yajl_tree.h>

#include "data_int.h"
#include "internal.h"
#include "korpus/stats.h"
#include "korpus/utf8.h"
#include "u64map_int.h"
#include "words_int.h"

/* ---- a table of strings with nv counters each ------------------------------------ */

struct tabent {
	uint64_t hash;
	uint32_t off, len;
};

struct strtab {
	int nv;
	kp_buf arena;
	struct tabent *e;
	uint64_t *val; /* n * nv */
	size_t n, cap;
	/* open addressing: the hash's high 32 bits above entry + 1, so that
	 * most mismatches are seen without touching the entry */
	uint64_t *slot;
	size_t scap;
};

static void tab_init(struct strtab *t, int nv)
{
	memset(t, 0, sizeof *t);
	t->nv = nv;
	kp_buf_init(&t->arena, (size_t)UINT32_MAX);
}

static void tab_free(struct strtab *t)
{
	kp_buf_free(&t->arena);
	free(t->e);
	free(t->val);
	free(t->slot);
}

static size_t tab_bytes(const struct strtab *t)
{
	return t->arena.cap + t->cap * (sizeof *t->e + 8 * (size_t)t->nv) + t->scap * sizeof *t->slot;
}

static uint64_t slot_of(uint64_t h, size_t e)
{
	return (h & 0xffffffff00000000ull) | ((uint64_t)e + 1);
}

static int tab_rehash(struct strtab *t, size_t scap)
{
	uint64_t *ns = calloc(scap, sizeof *ns);
	if (!ns)
		return KP_ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = (size_t)t->e[i].hash & (scap - 1);
		while (ns[h])
			h = (h + 1) & (scap - 1);
		ns[h] = slot_of(t->e[i].hash, i);
	}
	free(t->slot);
	t->slot = ns;
	t->scap = scap;
	return 0;
}

/* The entry of s (added when absent and add), or -1 when absent (or
 * KP_ENOMEM as -2). */
static long tab_find(struct strtab *t, const char *s, size_t n, uint64_t h, int add)
{
	if (t->scap) {
		uint64_t tag = h & 0xffffffff00000000ull;
		for (size_t i = (size_t)h & (t->scap - 1); t->slot[i]; i = (i + 1) & (t->scap - 1)) {
			if ((t->slot[i] & 0xffffffff00000000ull) != tag)
				continue;
			size_t e = (size_t)(t->slot[i] & 0xffffffffu) - 1;
			if (t->e[e].len == n && !memcmp(t->arena.p + t->e[e].off, s, n))
				return (long)e;
		}
	}
	if (!add)
		return -1;
	if ((t->n + 1) * 4 > t->scap * 3 && tab_rehash(t, t->scap ? 2 * t->scap : 256) < 0)
		return -2;
	if (t->n == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 256;
		struct tabent *ne = realloc(t->e, nc * sizeof *ne);
		if (ne)
			t->e = ne;
		uint64_t *nv = realloc(t->val, nc * (size_t)t->nv * sizeof *nv);
		if (nv)
			t->val = nv;
		if (!ne || !nv)
			return -2;
		t->cap = nc;
	}
	if (kp_buf_add(&t->arena, s, n) < 0)
		return -2;
	size_t e = t->n++;
	t->e[e] = (struct tabent){h, (uint32_t)(t->arena.len - n), (uint32_t)n};
	memset(t->val + e * (size_t)t->nv, 0, (size_t)t->nv * sizeof *t->val);
	size_t i = (size_t)h & (t->scap - 1);
	while (t->slot[i])
		i = (i + 1) & (t->scap - 1);
	t->slot[i] = slot_of(h, e);
	return (long)e;
}

static uint64_t *tab_val(struct strtab *t, size_t e)
{
	return t->val + e * (size_t)t->nv;
}

static const char *tab_key(const struct strtab *t, size_t e, size_t *n)
{
	*n = t->e[e].len;
	return t->arena.p + t->e[e].off;
}

/* ---- exact distributions: value -> count -------------------------------------------- */

struct dist {
	kp_u64map m; /* value + 1 -> count */
	uint64_t total, sum, max;
};

static void dist_free(struct dist *d)
{
	kp_u64map_free(&d->m);
}

static int dist_add(struct dist *d, uint64_t v, uint64_t c)
{
	if (kp_u64map_add(&d->m, v + 1, c, 0) < 0)
		return KP_ENOMEM;
	d->total += c;
	d->sum += v * c;
	if (v > d->max)
		d->max = v;
	return 0;
}

/* ---- bigrams: pairs of word entries -> count ---------------------------------------- */

/* A bigram is the pair of its words' entries in the word table, as one
 * key of a kp_u64map: 16 bytes a slot, no string of its own. */
static uint64_t pair_key(size_t a, size_t b)
{
	return (uint64_t)(a + 1) << 32 | (uint64_t)(b + 1);
}

/* ---- the accumulator -------------------------------------------------------------- */

struct kp_stats {
	size_t max_vocab;
	int capped;
	uint64_t docs, paragraphs, sentences, tokens, nwords, numbers, stopwords, chars, bytes;
	uint64_t dups, empties, repairs, untyped_words, untyped_bigrams;
	struct dist doc_tokens, sent_tokens, word_chars;
	struct strtab words, stems, sources, months, rules;
	kp_u64map bigrams; /* pair_key() -> count */
	kp_words stoplist; /* lib/data/stopwords-id.txt */
	uint8_t *stop;     /* per word entry: 0 not known yet, 1 not a stopword, 2 a stopword */
	size_t stopcap;
	int have_stems;
	kp_buf scratch;
	kp_err err;
	/* what the vocabulary of the report loaded last must be */
	int vocab_due;
	uint64_t vx_bytes, vx_hash, vx_words, vx_bigrams, vx_wordsum;
};

static int load_stopwords(kp_words *w)
{
	const char *p = kp_data_stopwords_id, *end = p + kp_data_stopwords_id_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno))
		if (kp_words_add(w, line, ll) < 0)
			return KP_ENOMEM;
	return 0;
}

kp_stats *kp_stats_new(size_t max_vocab)
{
	kp_stats *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (load_stopwords(&s->stoplist) < 0) {
		kp_words_free(&s->stoplist);
		free(s);
		return NULL;
	}
	s->max_vocab = max_vocab;
	tab_init(&s->words, 1);
	tab_init(&s->stems, 1);
	tab_init(&s->sources, 3);
	tab_init(&s->months, 2);
	tab_init(&s->rules, 2);
	kp_buf_init(&s->scratch, (size_t)-1);
	return s;
}

void kp_stats_free(kp_stats *s)
{
	if (!s)
		return;
	dist_free(&s->doc_tokens);
	dist_free(&s->sent_tokens);
	dist_free(&s->word_chars);
	tab_free(&s->words);
	kp_words_free(&s->stoplist);
	free(s->stop);
	kp_u64map_free(&s->bigrams);
	tab_free(&s->stems);
	tab_free(&s->sources);
	tab_free(&s->months);
	tab_free(&s->rules);
	kp_buf_free(&s->scratch);
	free(s);
}

const char *kp_stats_errmsg(const kp_stats *s)
{
	return s->err.msg;
}

uint64_t kp_stats_documents(const kp_stats *s)
{
	return s->docs;
}

size_t kp_stats_bytes_per_type(void)
{
	/* entry 16 + count 8 + slot 4 / 0.56 load + about 9 bytes of word and
	 * arena slack; a bigram about twice */
	return 40;
}

size_t kp_stats_memory(const kp_stats *s)
{
	return tab_bytes(&s->words) + kp_u64map_bytes(&s->bigrams) + tab_bytes(&s->stems) + tab_bytes(&s->sources) +
	       tab_bytes(&s->months) + tab_bytes(&s->rules) + kp_u64map_bytes(&s->doc_tokens.m) + kp_u64map_bytes(&s->sent_tokens.m) + kp_u64map_bytes(&s->word_chars.m);
}

static int oom(kp_stats *s)
{
	return kp_err_set(&s->err, KP_ENOMEM, "out of memory");
}

/* Count n of key in a vocabulary table, within the cap. */
static int vocab_add(kp_stats *s, struct strtab *t, const char *k, size_t n, uint64_t c, uint64_t *untyped)
{
	uint64_t h = XXH3_64bits(k, n);
	long e = tab_find(t, k, n, h, !s->max_vocab || t->n < s->max_vocab);
	if (e == -2)
		return oom(s);
	if (e < 0) {
		s->capped = 1;
		*untyped += c;
		return 0;
	}
	tab_val(t, (size_t)e)[0] += c;
	return 0;
}

/* A word counted: its entry, -1 when the cap left it untyped, -2 when out
 * of memory. */
static long word_hashed(kp_stats *s, const char *k, size_t n, uint64_t hash, uint64_t c)
{
	long e = tab_find(&s->words, k, n, hash, !s->max_vocab || s->words.n < s->max_vocab);
	if (e == -2)
		return -2;
	if (e < 0) {
		s->capped = 1;
		s->untyped_words += c;
		return -1;
	}
	tab_val(&s->words, (size_t)e)[0] += c;
	return e;
}

/* A bigram of word entries a and b (either < 0: untyped) counted. */
static int pair_count(kp_stats *s, long a, long b, uint64_t c)
{
	int rc = a >= 0 && b >= 0 ? kp_u64map_add(&s->bigrams, pair_key((size_t)a, (size_t)b), c, s->max_vocab) : 1;
	if (rc < 0)
		return oom(s);
	if (rc == 1) {
		s->capped = 1;
		s->untyped_bigrams += c;
	}
	return 0;
}

enum { T_PUNCT, T_NUMBER, T_WORD };

/* The class of a token and its length in characters. */
static int token_class(const char *t, size_t n, uint64_t *chars)
{
	int letter = 0, digit = 0;
	uint64_t nc = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)t[i];
		nc++;
		if (c < 0x80) {
			if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
				letter = 1;
			else if (c >= '0' && c <= '9')
				digit = 1;
			i++;
			continue;
		}
		int32_t cp;
		i += kp_utf8_decode(t + i, n - i, &cp);
		if (cp >= 0 && u_isalpha(cp))
			letter = 1;
		else if (cp >= 0 && u_isdigit(cp))
			digit = 1;
	}
	*chars = nc;
	return letter ? T_WORD : digit ? T_NUMBER : T_PUNCT;
}

/* Is the word of entry e (k, n) a stopword?  Asked of the list once per
 * entry; < 0 when out of memory. */
static int is_stopword(kp_stats *s, size_t e, const char *k, size_t n)
{
	if (e >= s->stopcap) {
		size_t was = s->stopcap;
		uint8_t *ns = kp_grow_array(s->stop, &s->stopcap, e + 1, 1, 4096);
		if (!ns)
			return -1;
		memset(ns + was, 0, s->stopcap - was);
		s->stop = ns;
	}
	if (!s->stop[e])
		s->stop[e] = kp_words_has(&s->stoplist, k, n) ? 2 : 1;
	return s->stop[e] == 2;
}

/* Tokens of a sentence taken a batch at a time: the hashes of the batch's
 * words first, their table slots asked of the cache, then the words
 * counted and their bigrams' slots asked for, then the bigrams counted --
 * the tables of a large vocabulary miss the cache on nearly every token,
 * and misses asked for together overlap.  The counts, and the order in
 * which entries are made, are those of one token after another. */
#define SENTENCE_BATCH 64

struct batch_token {
	const char *t;
	size_t n;
	uint64_t hash, chars;
	int cls;
};

int kp_stats_sentence(kp_stats *s, const char *tokens, size_t len)
{
	uint64_t ntok = 0;
	long prev = -1;  /* the word entry of the token before */
	int prev_word = 0; /* the token before is a word */
	struct batch_token b[SENTENCE_BATCH];
	long pairs[SENTENCE_BATCH][2];
	size_t i = 0;
	while (i < len) {
		/* the batch: its tokens, classes and word hashes */
		size_t nb = 0;
		while (nb < SENTENCE_BATCH) {
			while (i < len && tokens[i] == ' ')
				i++;
			if (i >= len)
				break;
			const char *sp = memchr(tokens + i, ' ', len - i);
			size_t e = sp ? (size_t)(sp - tokens) : len;
			struct batch_token *k = &b[nb++];
			k->t = tokens + i;
			k->n = e - i;
			k->cls = token_class(k->t, k->n, &k->chars);
			if (k->cls == T_WORD) {
				k->hash = XXH3_64bits(k->t, k->n);
				if (s->words.scap)
					__builtin_prefetch(&s->words.slot[(size_t)k->hash & (s->words.scap - 1)]);
			}
			i = e;
		}
		/* the words, and the bigrams they make */
		size_t np = 0;
		for (size_t j = 0; j < nb; j++) {
			const struct batch_token *k = &b[j];
			ntok++;
			if (k->cls != T_WORD) {
				s->numbers += k->cls == T_NUMBER;
				prev_word = 0;
				continue;
			}
			s->nwords++;
			long w = word_hashed(s, k->t, k->n, k->hash, 1);
			if (w == -2 || dist_add(&s->word_chars, k->chars, 1) < 0)
				return oom(s);
			int stop = w >= 0 ? is_stopword(s, (size_t)w, k->t, k->n) : kp_words_has(&s->stoplist, k->t, k->n);
			if (stop < 0)
				return oom(s);
			s->stopwords += (uint64_t)stop;
			if (prev_word) {
				pairs[np][0] = prev;
				pairs[np][1] = w;
				if (prev >= 0 && w >= 0)
					kp_u64map_prefetch(&s->bigrams, pair_key((size_t)prev, (size_t)w));
				np++;
			}
			prev = w;
			prev_word = 1;
		}
		for (size_t j = 0; j < np; j++)
			if (pair_count(s, pairs[j][0], pairs[j][1], 1) < 0)
				return KP_ENOMEM;
	}
	s->tokens += ntok;
	s->sentences++;
	return dist_add(&s->sent_tokens, ntok, 1) < 0 ? oom(s) : 0;
}

static int breakdown(kp_stats *s, struct strtab *t, const char *k, size_t n, const uint64_t *v)
{
	long e = tab_find(t, k, n, XXH3_64bits(k, n), 1);
	if (e < 0)
		return oom(s);
	for (int i = 0; i < t->nv; i++)
		tab_val(t, (size_t)e)[i] += v[i];
	return 0;
}

int kp_stats_add_doc(kp_stats *s, const kp_stats_doc *d)
{
	s->docs++;
	s->bytes += d->bytes;
	s->chars += d->chars;
	s->paragraphs += d->paragraphs;
	s->dups += d->dup != 0;
	s->empties += d->empty != 0;
	s->repairs += d->repairs;
	if (dist_add(&s->doc_tokens, d->tokens, 1) < 0)
		return oom(s);
	uint64_t sv[3] = {1, d->tokens, d->bytes};
	if (breakdown(s, &s->sources, d->source ? d->source : "(none)", d->source ? d->source_len : 6, sv) < 0)
		return KP_ENOMEM;
	if (d->month) {
		uint64_t mv[2] = {1, d->tokens};
		if (breakdown(s, &s->months, d->month, 7, mv) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

int kp_stats_removed(kp_stats *s, const char *rule, size_t len, uint64_t bytes)
{
	uint64_t v[2] = {1, bytes};
	return breakdown(s, &s->rules, rule, len, v);
}

static int merge_tab(kp_stats *s, struct strtab *dst, const struct strtab *src)
{
	for (size_t e = 0; e < src->n; e++) {
		size_t n;
		const char *k = tab_key(src, e, &n);
		if (breakdown(s, dst, k, n, src->val + e * (size_t)src->nv) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

static int merge_vocab(kp_stats *s, struct strtab *dst, const struct strtab *src, uint64_t *untyped)
{
	for (size_t e = 0; e < src->n; e++) {
		size_t n;
		const char *k = tab_key(src, e, &n);
		if (vocab_add(s, dst, k, n, src->val[e], untyped) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

static int merge_dist(struct dist *dst, const struct dist *src)
{
	for (size_t i = 0; i < src->m.cap; i++)
		if (src->m.slot[i].key && dist_add(dst, src->m.slot[i].key - 1, src->m.slot[i].val) < 0)
			return KP_ENOMEM;
	return 0;
}

/* The entry of src's word e in dst's word table (-1: not there). */
static long word_in(const kp_stats *dst, const kp_stats *src, size_t e)
{
	size_t n;
	const char *k = tab_key(&src->words, e, &n);
	return tab_find((struct strtab *)(uintptr_t)&dst->words, k, n, src->words.e[e].hash, 0);
}

/* The j-th slot of a table of cap slots (a power of two) in a scrambled
 * order: entries taken in their own table's hash order and added to another
 * table with the same hash cluster under linear probing, and the merge of
 * two large bigram tables then takes most of a run (measured: 73 % of
 * korpus-stats on real news).  Odd multipliers permute the slots. */
static size_t scrambled(size_t j, size_t cap)
{
	return (size_t)((j * 0x9e3779b97f4a7c15ull) & (cap - 1));
}

#define MERGE_BATCH 64 /* bigrams whose slots are asked of the cache together */
#define MERGE_AHEAD 16 /* source slots asked for ahead of their reading */

static int merge_pairs(kp_stats *dst, const kp_stats *src)
{
	/* src's word entries in dst's table, found once, not twice a bigram */
	long *to = malloc((src->words.n ? src->words.n : 1) * sizeof *to);
	if (!to)
		return KP_ENOMEM;
	for (size_t e = 0; e < src->words.n; e++)
		to[e] = word_in(dst, src, e);
	struct {
		long a, b;
		uint64_t c;
	} batch[MERGE_BATCH];
	size_t nb = 0, cap = src->bigrams.cap;
	int rc = 0;
	for (size_t j = 0; j < cap && rc >= 0; j++) {
		if (j + MERGE_AHEAD < cap)
			__builtin_prefetch(&src->bigrams.slot[scrambled(j + MERGE_AHEAD, cap)]);
		const kp_u64slot *sl = &src->bigrams.slot[scrambled(j, cap)];
		if (sl->key) {
			long a = to[(sl->key >> 32) - 1], b = to[(sl->key & 0xffffffffu) - 1];
			batch[nb].a = a;
			batch[nb].b = b;
			batch[nb++].c = sl->val;
			if (a >= 0 && b >= 0)
				kp_u64map_prefetch(&dst->bigrams, pair_key((size_t)a, (size_t)b));
		}
		if (nb == MERGE_BATCH || (j + 1 == cap && nb)) {
			/* in the order of the source's slots: the same table as one by one */
			for (size_t k = 0; k < nb && rc >= 0; k++)
				rc = pair_count(dst, batch[k].a, batch[k].b, batch[k].c);
			nb = 0;
		}
	}
	free(to);
	return rc < 0 ? KP_ENOMEM : 0;
}

int kp_stats_merge(kp_stats *dst, const kp_stats *src)
{
	dst->docs += src->docs;
	dst->paragraphs += src->paragraphs;
	dst->sentences += src->sentences;
	dst->tokens += src->tokens;
	dst->nwords += src->nwords;
	dst->numbers += src->numbers;
	dst->stopwords += src->stopwords;
	dst->chars += src->chars;
	dst->bytes += src->bytes;
	dst->dups += src->dups;
	dst->empties += src->empties;
	dst->repairs += src->repairs;
	dst->untyped_words += src->untyped_words;
	dst->untyped_bigrams += src->untyped_bigrams;
	dst->capped |= src->capped;
	if (merge_dist(&dst->doc_tokens, &src->doc_tokens) < 0 || merge_dist(&dst->sent_tokens, &src->sent_tokens) < 0 ||
	    merge_dist(&dst->word_chars, &src->word_chars) < 0 ||
	    merge_vocab(dst, &dst->words, &src->words, &dst->untyped_words) < 0 ||
	    merge_pairs(dst, src) < 0 ||
	    merge_tab(dst, &dst->sources, &src->sources) < 0 || merge_tab(dst, &dst->months, &src->months) < 0 ||
	    merge_tab(dst, &dst->rules, &src->rules) < 0)
		return oom(dst);
	return 0;
}

int kp_stats_absorb(kp_stats *dst, kp_stats *src)
{
	int empty = !dst->docs && !dst->words.n && !dst->bigrams.n && !dst->sources.n && !dst->rules.n &&
		    !dst->doc_tokens.total && !dst->sent_tokens.total && !dst->word_chars.total && !dst->vocab_due &&
		    dst->max_vocab == src->max_vocab && !src->vocab_due;
	if (!empty)
		return kp_stats_merge(dst, src);
	kp_stats t = *dst;
	*dst = *src;
	*src = t;
	return 0;
}

int kp_stats_stems(kp_stats *s, const char *(*stem)(void *ctx, const char *w, size_t n, size_t *sn), void *ctx)
{
	tab_free(&s->stems);
	tab_init(&s->stems, 1);
	for (size_t e = 0; e < s->words.n; e++) {
		size_t n, sn;
		const char *w = tab_key(&s->words, e, &n);
		const char *st = stem(ctx, w, n, &sn);
		if (!st)
			continue;
		/* the word's arena may move while the stem is added: st is the
		 * callback's own buffer */
		long f = tab_find(&s->stems, st, sn, XXH3_64bits(st, sn), 1);
		if (f < 0)
			return oom(s);
		tab_val(&s->stems, (size_t)f)[0] += s->words.val[e];
	}
	s->have_stems = 1;
	return 0;
}

/* ---- the report --------------------------------------------------------------------- */

static int by_count_then_key(const struct strtab *t, size_t a, size_t b)
{
	uint64_t x = t->val[a * (size_t)t->nv], y = t->val[b * (size_t)t->nv];
	if (x != y)
		return x > y ? -1 : 1;
	size_t an, bn;
	const char *ak = tab_key(t, a, &an), *bk = tab_key(t, b, &bn);
	int c = memcmp(ak, bk, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

/* Comparators of entry indices; ctx: the address of a pointer to the
 * table (or the kp_stats) they index -- passed, never kept in a static,
 * so that threads may write reports of their own accumulators at once. */
typedef int (*cmp_fn)(const void *a, const void *b, void *ctx);

static int cmp_count(const void *a, const void *b, void *ctx)
{
	return by_count_then_key(*(const struct strtab *const *)ctx, *(const size_t *)a, *(const size_t *)b);
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
	const struct strtab *t = *(const struct strtab *const *)ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b, xn, yn;
	const char *xk = tab_key(t, x, &xn), *yk = tab_key(t, y, &yn);
	int c = memcmp(xk, yk, xn < yn ? xn : yn);
	return c ? c : (xn > yn) - (xn < yn);
}

/* Entries of t in count order (or key order); NULL when out of memory. */
/* Restore the heap of o[0..n) below node i: each node comes after (is
 * worse than) or equals its children by cmp. */
static void sift_worst(size_t *o, size_t n, size_t i, cmp_fn cmp, void *ctx)
{
	for (;;) {
		size_t w = i, l = 2 * i + 1, r = l + 1;
		if (l < n && cmp(&o[l], &o[w], ctx) > 0)
			w = l;
		if (r < n && cmp(&o[r], &o[w], ctx) > 0)
			w = r;
		if (w == i)
			return;
		size_t t = o[i];
		o[i] = o[w];
		o[w] = t;
		i = w;
	}
}

/* The k first by cmp of the n indices of o, sorted, into o[0..k) (the
 * rest of o left in no order); the number placed, min(k, n).  A heap of
 * the k best so far, the worst at its root: O(n log k), where sorting all
 * would cost O(n log n) comparisons of text. */
static size_t select_top(size_t *o, size_t n, size_t k, cmp_fn cmp, void *ctx)
{
	if (k >= n) {
		if (n)
			qsort_r(o, n, sizeof *o, cmp, ctx);
		return n;
	}
	if (!k)
		return 0;
	for (size_t i = k / 2; i-- > 0;)
		sift_worst(o, k, i, cmp, ctx);
	for (size_t i = k; i < n; i++)
		if (cmp(&o[i], &o[0], ctx) < 0) {
			size_t t = o[0];
			o[0] = o[i];
			o[i] = t;
			sift_worst(o, k, 0, cmp, ctx);
		}
	qsort_r(o, k, sizeof *o, cmp, ctx);
	return k;
}

/* The indices of t's entries in order (by key, else by count), the first
 * k of them (all: SIZE_MAX); NULL when out of memory. */
static int cmp_u64_falling(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x < y) - (x > y);
}

static size_t *sorted(const struct strtab *t, int by_key, size_t k)
{
	size_t *o = malloc((t->n ? t->n : 1) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		o[i] = i;
	select_top(o, t->n, k, by_key ? cmp_key : cmp_count, &t);
	return o;
}

struct out {
	kp_buf b;
	int err;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (kp_buf_add(&o->b, s, n) < 0)
		o->err = 1;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...) KP_PRINTF(2, 3);

static void putf(struct out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf) {
		o->err = 1; /* every format here is short */
		return;
	}
	put(o, buf, (size_t)n);
}

static void putstr(struct out *o, const char *s, size_t n)
{
	puts_(o, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			put(o, e, 2);
		} else if (c < 0x20) {
			putf(o, "\\u%04x", c);
		} else {
			put(o, (const char *)&c, 1);
		}
	}
	puts_(o, "\"");
}

static void putnum(struct out *o, double v)
{
	if (!isfinite(v))
		v = 0;
	putf(o, "%.6g", v);
}

/* The value at nearest rank ceil(p * total). */
static uint64_t percentile(const uint64_t *v, const uint64_t *c, size_t n, uint64_t total, double p)
{
	uint64_t rank = (uint64_t)ceil(p * (double)total), cum = 0;
	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < n; i++) {
		cum += c[i];
		if (cum >= rank)
			return v[i];
	}
	return n ? v[n - 1] : 0;
}

/* A bin width of 1, 2 or 5 times a power of ten that covers `hi` in about
 * `bins` bins. */
static uint64_t nice_width(uint64_t hi, int bins)
{
	uint64_t w = 1;
	for (;;) {
		if (w * (uint64_t)bins >= hi)
			return w;
		if (2 * w * (uint64_t)bins >= hi)
			return 2 * w;
		if (5 * w * (uint64_t)bins >= hi)
			return 5 * w;
		w *= 10;
	}
}

static void put_dist(struct out *o, const char *name, const struct dist *d)
{
	size_t n = 0;
	size_t nv = d->m.n ? d->m.n : 1;
	uint64_t *v = malloc(nv * sizeof *v), *c = malloc(nv * sizeof *c), *pairs = malloc(nv * 2 * sizeof *pairs);
	if (!v || !c || !pairs) {
		o->err = 1;
		free(v);
		free(c);
		free(pairs);
		return;
	}
	for (size_t i = 0; i < d->m.cap; i++)
		if (d->m.slot[i].key) {
			pairs[2 * n] = d->m.slot[i].key - 1;
			pairs[2 * n + 1] = d->m.slot[i].val;
			n++;
		}
	if (n)
		qsort(pairs, n, 2 * sizeof *pairs, kp_cmp_u64); /* by value (the first word) */
	for (size_t i = 0; i < n; i++) {
		v[i] = pairs[2 * i];
		c[i] = pairs[2 * i + 1];
	}
	putf(o, "\"%s\":{\"count\":%llu,\"sum\":%llu,\"mean\":", name, (unsigned long long)d->total,
	     (unsigned long long)d->sum);
	putnum(o, d->total ? (double)d->sum / (double)d->total : 0);
	putf(o, ",\"median\":%llu,\"p90\":%llu,\"p99\":%llu,\"max\":%llu,\"histogram\":[",
	     (unsigned long long)percentile(v, c, n, d->total, 0.5), (unsigned long long)percentile(v, c, n, d->total, 0.9),
	     (unsigned long long)percentile(v, c, n, d->total, 0.99), (unsigned long long)d->max);
	/* about 20 bins up to p99, then one open bin */
	uint64_t p99 = percentile(v, c, n, d->total, 0.99), w = nice_width(p99 + 1, 20);
	uint64_t nb = (p99 + 1 + w - 1) / w;
	size_t i = 0;
	for (uint64_t b = 0; b <= nb && n; b++) {
		uint64_t lo = b * w, cnt = 0;
		int last = b == nb;
		while (i < n && (last || v[i] < lo + w))
			cnt += c[i++];
		if (last && !cnt)
			break;
		putf(o, "%s[%llu,", b ? "," : "", (unsigned long long)lo);
		if (last)
			puts_(o, "null");
		else
			putf(o, "%llu", (unsigned long long)(lo + w));
		putf(o, ",%llu]", (unsigned long long)cnt);
	}
	puts_(o, "],\"values\":[");
	for (size_t k = 0; k < n; k++)
		putf(o, "%s[%llu,%llu]", k ? "," : "", (unsigned long long)v[k], (unsigned long long)c[k]);
	puts_(o, "]}");
	free(v);
	free(c);
	free(pairs);
}

/* Bigrams in count order, then by their text "first second". */

static const char *pair_word(const kp_stats *s, uint64_t k, int second, size_t *n)
{
	return tab_key(&s->words, second ? (size_t)(k & 0xffffffffu) - 1 : (size_t)(k >> 32) - 1, n);
}

static int cmp_pair_text(const kp_stats *s, uint64_t x, uint64_t y)
{
	size_t xa, xb, ya, yb;
	const char *xs = pair_word(s, x, 0, &xa), *xt = pair_word(s, x, 1, &xb);
	const char *ys = pair_word(s, y, 0, &ya), *yt = pair_word(s, y, 1, &yb);
	size_t xl = xa + 1 + xb, yl = ya + 1 + yb;
	for (size_t i = 0; i < xl && i < yl; i++) {
		unsigned char cx = (unsigned char)(i < xa ? xs[i] : i == xa ? ' ' : xt[i - xa - 1]);
		unsigned char cy = (unsigned char)(i < ya ? ys[i] : i == ya ? ' ' : yt[i - ya - 1]);
		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return (xl > yl) - (xl < yl);
}

static int cmp_pairs(const void *a, const void *b, void *ctx)
{
	const kp_stats *s = *(const kp_stats *const *)ctx;
	const kp_u64map *p = &s->bigrams;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (p->slot[i].val != p->slot[j].val)
		return p->slot[i].val > p->slot[j].val ? -1 : 1;
	return cmp_pair_text(s, p->slot[i].key, p->slot[j].key);
}

/* The slots of the bigrams, sorted, the first k of them (all: SIZE_MAX);
 * NULL when out of memory. */
static size_t *sorted_pairs(const kp_stats *s, size_t k_first)
{
	size_t *o = malloc((s->bigrams.n ? s->bigrams.n : 1) * sizeof *o), k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < s->bigrams.cap; i++)
		if (s->bigrams.slot[i].key)
			o[k++] = i;
	select_top(o, k, k_first, cmp_pairs, &s);
	return o;
}

/* A bigram for the whole vocabulary's sort: its count and the first 8
 * bytes of its text ("first second", zero-padded, big-endian: compared as
 * a number, they order as the bytes do), so that the text itself is read
 * only when both are equal -- hapax bigrams share their count by the
 * hundred thousand. */
struct vocab_pair {
	uint64_t count, prefix, key;
};

static int cmp_vocab_pair(const void *a, const void *b, void *ctx)
{
	const struct vocab_pair *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return cmp_pair_text(*(const kp_stats *const *)ctx, x->key, y->key);
}

/* Every bigram, in the order of cmp_pairs; NULL when out of memory. */
static struct vocab_pair *vocab_pairs(const kp_stats *s)
{
	struct vocab_pair *v = malloc((s->bigrams.n ? s->bigrams.n : 1) * sizeof *v);
	if (!v)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < s->bigrams.cap; i++) {
		uint64_t key = s->bigrams.slot[i].key;
		if (!key)
			continue;
		size_t a, b;
		const char *x = pair_word(s, key, 0, &a), *y = pair_word(s, key, 1, &b);
		uint64_t pre = 0;
		for (size_t j = 0; j < 8; j++) {
			unsigned char c = j < a ? (unsigned char)x[j] : j == a ? ' ' : j - a - 1 < b ? (unsigned char)y[j - a - 1] : 0;
			pre = pre << 8 | c;
		}
		v[k++] = (struct vocab_pair){s->bigrams.slot[i].val, pre, key};
	}
	qsort_r(v, k, sizeof *v, cmp_vocab_pair, &s);
	return v;
}

static void put_pair(struct out *o, const kp_stats *s, uint64_t k)
{
	size_t a, b;
	const char *x = pair_word(s, k, 0, &a), *y = pair_word(s, k, 1, &b);
	put(o, x, a);
	put(o, " ", 1);
	put(o, y, b);
}

static void put_top(struct out *o, const char *name, const struct strtab *t, const size_t *order, int top)
{
	putf(o, "\"%s\":[", name);
	for (size_t i = 0; i < t->n && (int)i < top; i++) {
		size_t n;
		const char *k = tab_key(t, order[i], &n);
		puts_(o, i ? ",[" : "[");
		putstr(o, k, n);
		putf(o, ",%llu]", (unsigned long long)t->val[order[i] * (size_t)t->nv]);
	}
	puts_(o, "]");
}

static void put_rows(struct out *o, const char *name, const struct strtab *t, int by_key)
{
	size_t *order = sorted(t, by_key, SIZE_MAX);
	if (!order) {
		o->err = 1;
		return;
	}
	putf(o, "\"%s\":[", name);
	for (size_t i = 0; i < t->n; i++) {
		size_t n;
		const char *k = tab_key(t, order[i], &n);
		puts_(o, i ? ",[" : "[");
		putstr(o, k, n);
		for (int j = 0; j < t->nv; j++)
			putf(o, ",%llu", (unsigned long long)t->val[order[i] * (size_t)t->nv + (size_t)j]);
		puts_(o, "]");
	}
	puts_(o, "]");
	free(order);
}

static double share(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

int kp_stats_json(kp_stats *s, int top, const char *vocab_name, const char *vocab, size_t vocab_len, char **outp,
		  size_t *lenp)
{
	struct out o = {{0}, 0};
	kp_buf_init(&o.b, (size_t)-1);
	/* the top lists; the word counts in falling order for the ranks */
	size_t ntop = top > 0 ? (size_t)top : 0;
	size_t *wo = sorted(&s->words, 0, ntop), *so = sorted(&s->stems, 0, ntop), *bo = sorted_pairs(s, ntop);
	uint64_t *freq = malloc((s->words.n ? s->words.n : 1) * sizeof *freq);
	if (!wo || !so || !bo || !freq) {
		free(wo);
		free(so);
		free(bo);
		free(freq);
		return oom(s);
	}
	for (size_t e = 0; e < s->words.n; e++)
		freq[e] = s->words.val[e];
	qsort(freq, s->words.n, sizeof *freq, cmp_u64_falling);
	uint64_t hapax = 0;
	for (size_t e = 0; e < s->words.n; e++)
		hapax += s->words.val[e] == 1;
	puts_(&o, "{\"korpus_stats\":1,\"vocab_file\":");
	if (vocab_name) {
		putstr(&o, vocab_name, strlen(vocab_name));
		/* what --merge checks the file against */
		putf(&o, ",\"vocab_check\":{\"bytes\":%llu,\"xxh3\":\"%016llx\"}", (unsigned long long)vocab_len,
		     (unsigned long long)XXH3_64bits(vocab ? vocab : "", vocab_len));
	} else {
		puts_(&o, "null");
	}
	putf(&o, ",\"approximate\":%s,\"documents\":%llu,\"paragraphs\":%llu,\"sentences\":%llu,\"tokens\":%llu,"
		 "\"words\":%llu,\"numbers\":%llu,\"stopwords\":%llu,\"characters\":%llu,\"bytes\":%llu,",
	     s->capped ? "true" : "false", (unsigned long long)s->docs, (unsigned long long)s->paragraphs,
	     (unsigned long long)s->sentences, (unsigned long long)s->tokens, (unsigned long long)s->nwords,
	     (unsigned long long)s->numbers, (unsigned long long)s->stopwords, (unsigned long long)s->chars,
	     (unsigned long long)s->bytes);
	putf(&o, "\"word_types\":%llu,\"stem_types\":%llu,\"bigram_types\":%llu,\"hapax\":%llu,",
	     (unsigned long long)s->words.n, (unsigned long long)(s->have_stems ? s->stems.n : 0),
	     (unsigned long long)s->bigrams.n, (unsigned long long)hapax);
	putf(&o, "\"untyped_words\":%llu,\"untyped_bigrams\":%llu,\"type_token_ratio\":",
	     (unsigned long long)s->untyped_words, (unsigned long long)s->untyped_bigrams);
	putnum(&o, share(s->words.n, s->nwords));
	puts_(&o, ",\"hapax_share\":");
	putnum(&o, share(hapax, s->words.n));
	puts_(&o, ",\"stopword_share\":");
	putnum(&o, share(s->stopwords, s->nwords));
	puts_(&o, ",\"number_share\":");
	putnum(&o, share(s->numbers, s->tokens));
	puts_(&o, ",");
	put_dist(&o, "doc_tokens", &s->doc_tokens);
	puts_(&o, ",");
	put_dist(&o, "sentence_tokens", &s->sent_tokens);
	puts_(&o, ",");
	put_dist(&o, "word_chars", &s->word_chars);
	puts_(&o, ",");
	put_top(&o, "top_words", &s->words, wo, top);
	puts_(&o, ",");
	put_top(&o, "top_stems", &s->stems, so, top);
	puts_(&o, ",");
	puts_(&o, "\"top_bigrams\":[");
	for (size_t i = 0; i < s->bigrams.n && (int)i < top; i++) {
		struct out w = {{0}, 0};
		kp_buf_init(&w.b, (size_t)-1);
		put_pair(&w, s, s->bigrams.slot[bo[i]].key);
		puts_(&o, i ? ",[" : "[");
		putstr(&o, w.b.p ? w.b.p : "", w.b.len);
		putf(&o, ",%llu]", (unsigned long long)s->bigrams.slot[bo[i]].val);
		o.err |= w.err;
		kp_buf_free(&w.b);
	}
	puts_(&o, "]");
	/* rank-frequency, ranks spaced evenly on a log scale */
	puts_(&o, ",\"zipf\":[");
	uint64_t last = 0;
	int first = 1;
	for (double r = 1; r <= (double)s->words.n; r *= 1.1) {
		uint64_t rank = (uint64_t)r;
		if (rank == last)
			continue;
		last = rank;
		putf(&o, "%s[%llu,%llu]", first ? "" : ",", (unsigned long long)rank, (unsigned long long)freq[rank - 1]);
		first = 0;
	}
	if (s->words.n && last != s->words.n)
		putf(&o, "%s[%llu,%llu]", first ? "" : ",", (unsigned long long)s->words.n,
		     (unsigned long long)freq[s->words.n - 1]);
	puts_(&o, "],");
	put_rows(&o, "sources", &s->sources, 0);
	puts_(&o, ",");
	put_rows(&o, "months", &s->months, 1);
	putf(&o, ",\"pipeline\":{\"dup_marked\":%llu,\"clean_empty\":%llu,\"utf8_repairs\":%llu,",
	     (unsigned long long)s->dups, (unsigned long long)s->empties, (unsigned long long)s->repairs);
	put_rows(&o, "clean_removed", &s->rules, 0);
	puts_(&o, "}}\n");
	free(wo);
	free(so);
	free(bo);
	free(freq);
	put(&o, "", 1); /* a NUL after the end */
	if (o.err) {
		kp_buf_free(&o.b);
		return oom(s);
	}
	*outp = o.b.p;
	*lenp = o.b.len - 1;
	return 0;
}

int kp_stats_vocab(kp_stats *s, char **outp, size_t *lenp)
{
	struct out o = {{0}, 0};
	kp_buf_init(&o.b, (size_t)-1);
	size_t *order = sorted(&s->words, 0, SIZE_MAX);
	struct vocab_pair *po = vocab_pairs(s);
	if (!order || !po) {
		free(order);
		free(po);
		kp_buf_free(&o.b);
		return oom(s);
	}
	for (size_t i = 0; i < s->words.n; i++) {
		size_t n;
		const char *w = tab_key(&s->words, order[i], &n);
		put(&o, w, n);
		putf(&o, "\t%llu\n", (unsigned long long)s->words.val[order[i]]);
	}
	for (size_t i = 0; i < s->bigrams.n; i++) {
		put_pair(&o, s, po[i].key);
		putf(&o, "\t%llu\n", (unsigned long long)po[i].count);
	}
	free(order);
	free(po);
	put(&o, "", 1); /* a NUL after the end */
	if (o.err) {
		kp_buf_free(&o.b);
		return oom(s);
	}
	*outp = o.b.p;
	*lenp = o.b.len - 1;
	return 0;
}

/* ---- loading ------------------------------------------------------------------------- */

static int num(yajl_val v, uint64_t *out)
{
	if (!v || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0)
		return -1;
	*out = (uint64_t)YAJL_GET_INTEGER(v);
	return 0;
}

static yajl_val field(yajl_val obj, const char *key)
{
	const char *path[] = {key, NULL};
	return yajl_tree_get(obj, path, yajl_t_any);
}

static int load_counter(yajl_val root, const char *key, uint64_t *acc)
{
	uint64_t v;
	if (num(field(root, key), &v) < 0 || __builtin_add_overflow(*acc, v, acc))
		return -1;
	return 0;
}

static int load_dist(yajl_val root, const char *key, struct dist *d)
{
	yajl_val o = field(root, key), vals = o && YAJL_IS_OBJECT(o) ? field(o, "values") : NULL;
	if (!vals || !YAJL_IS_ARRAY(vals))
		return -1;
	for (size_t i = 0; i < vals->u.array.len; i++) {
		yajl_val p = vals->u.array.values[i];
		uint64_t v, c, vc, sum, total;
		if (!YAJL_IS_ARRAY(p) || p->u.array.len != 2 || num(p->u.array.values[0], &v) < 0 ||
		    num(p->u.array.values[1], &c) < 0 || __builtin_mul_overflow(v, c, &vc) ||
		    __builtin_add_overflow(d->sum, vc, &sum) || __builtin_add_overflow(d->total, c, &total))
			return -1;
		if (dist_add(d, v, c) < 0)
			return -2;
	}
	return 0;
}

static int load_rows(kp_stats *s, yajl_val arr, struct strtab *t)
{
	if (!arr || !YAJL_IS_ARRAY(arr))
		return -1;
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val r = arr->u.array.values[i];
		if (!YAJL_IS_ARRAY(r) || r->u.array.len != (size_t)t->nv + 1 || !YAJL_IS_STRING(r->u.array.values[0]))
			return -1;
		uint64_t v[3];
		const char *k = YAJL_GET_STRING(r->u.array.values[0]);
		long e = tab_find(t, k, strlen(k), XXH3_64bits(k, strlen(k)), 0);
		for (int j = 0; j < t->nv; j++) {
			uint64_t sum;
			if (num(r->u.array.values[j + 1], &v[j]) < 0 ||
			    (e >= 0 && __builtin_add_overflow(tab_val(t, (size_t)e)[j], v[j], &sum)))
				return -1;
		}
		if (breakdown(s, t, k, strlen(k), v) < 0)
			return -2;
	}
	return 0;
}

int kp_stats_load_json(kp_stats *s, const char *json, size_t len)
{
	char *z = malloc(len + 1), errbuf[256];
	if (!z)
		return oom(s);
	memcpy(z, json, len);
	z[len] = '\0';
	yajl_val root = yajl_tree_parse(z, errbuf, sizeof errbuf);
	free(z);
	if (!root)
		return kp_err_set(&s->err, KP_EFORMAT, "not JSON: %s", errbuf);
	int rc = 0;
	uint64_t version = 0;
	yajl_val pipe = field(root, "pipeline"), approx = field(root, "approximate");
	if (!YAJL_IS_OBJECT(root) || num(field(root, "korpus_stats"), &version) < 0 || version != 1 || !pipe ||
	    !YAJL_IS_OBJECT(pipe)) {
		rc = -1;
	} else {
		if (load_counter(root, "documents", &s->docs) < 0 || load_counter(root, "paragraphs", &s->paragraphs) < 0 ||
		    load_counter(root, "sentences", &s->sentences) < 0 || load_counter(root, "tokens", &s->tokens) < 0 ||
		    load_counter(root, "words", &s->nwords) < 0 || load_counter(root, "numbers", &s->numbers) < 0 ||
		    load_counter(root, "stopwords", &s->stopwords) < 0 || load_counter(root, "characters", &s->chars) < 0 ||
		    load_counter(root, "bytes", &s->bytes) < 0 || load_counter(root, "untyped_words", &s->untyped_words) < 0 ||
		    load_counter(root, "untyped_bigrams", &s->untyped_bigrams) < 0 ||
		    load_counter(pipe, "dup_marked", &s->dups) < 0 || load_counter(pipe, "clean_empty", &s->empties) < 0 ||
		    load_counter(pipe, "utf8_repairs", &s->repairs) < 0)
			rc = -1;
		if (YAJL_IS_TRUE(approx))
			s->capped = 1;
		if (!rc)
			rc = load_dist(root, "doc_tokens", &s->doc_tokens);
		if (!rc)
			rc = load_dist(root, "sentence_tokens", &s->sent_tokens);
		if (!rc)
			rc = load_dist(root, "word_chars", &s->word_chars);
		if (!rc)
			rc = load_rows(s, field(root, "sources"), &s->sources);
		if (!rc)
			rc = load_rows(s, field(root, "months"), &s->months);
		if (!rc)
			rc = load_rows(s, field(pipe, "clean_removed"), &s->rules);
		/* the vocabulary that kp_stats_load_vocab() must be given next */
		yajl_val vf = field(root, "vocab_file"), vc = field(root, "vocab_check");
		s->vocab_due = 0;
		if (!rc && vf && YAJL_IS_STRING(vf)) {
			yajl_val xh = vc && YAJL_IS_OBJECT(vc) ? field(vc, "xxh3") : NULL;
			const char *hex = xh && YAJL_IS_STRING(xh) ? YAJL_GET_STRING(xh) : NULL;
			char *end = NULL;
			uint64_t uw = 0;
			if (!hex || strlen(hex) != 16 || num(field(vc, "bytes"), &s->vx_bytes) < 0 ||
			    num(field(root, "word_types"), &s->vx_words) < 0 ||
			    num(field(root, "bigram_types"), &s->vx_bigrams) < 0 ||
			    num(field(root, "words"), &s->vx_wordsum) < 0 || num(field(root, "untyped_words"), &uw) < 0 ||
			    uw > s->vx_wordsum) {
				rc = -1;
			} else {
				s->vx_hash = strtoull(hex, &end, 16);
				s->vx_wordsum -= uw;
				s->vocab_due = *end == '\0';
				rc = s->vocab_due ? 0 : -1;
			}
		}
	}
	yajl_tree_free(root);
	if (rc == -2)
		return oom(s);
	if (rc < 0)
		return kp_err_set(&s->err, KP_EFORMAT, "not a korpus-stats report (version 1)");
	return 0;
}

/* A count: decimal digits, at least 1, no overflow. */
static int parse_count(const char *p, const char *end, uint64_t *v)
{
	*v = 0;
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9' || __builtin_mul_overflow(*v, 10, v) || __builtin_add_overflow(*v, (uint64_t)(*p - '0'), v))
			return -1;
	}
	return *v ? 0 : -1;
}

int kp_stats_load_vocab(kp_stats *s, const char *tsv, size_t len)
{
	int checking = s->vocab_due;
	if (checking) {
		/* the file the report was written with, whole: a truncated,
		 * foreign or edited file is refused before anything is added */
		s->vocab_due = 0;
		if (len != s->vx_bytes || XXH3_64bits(tsv, len) != s->vx_hash)
			return kp_err_set(&s->err, KP_EFORMAT,
					  "not the vocabulary its report was written with (%zu bytes, checksum %016llx; "
					  "the report says %llu bytes, %016llx): truncated, replaced or edited?",
					  len, (unsigned long long)XXH3_64bits(tsv, len), (unsigned long long)s->vx_bytes,
					  (unsigned long long)s->vx_hash);
	}
	size_t lineno = 0;
	uint64_t words = 0, bigrams = 0, wordsum = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(tsv + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - tsv) : len;
		lineno++;
		const char *tab = memchr(tsv + i, '\t', e - i);
		uint64_t c;
		if (!tab || tab == tsv + i || parse_count(tab + 1, tsv + e, &c) < 0)
			return kp_err_set(&s->err, KP_EFORMAT, "line %zu: expected WORD<TAB>COUNT (a count of 1 or more)",
					  lineno);
		size_t n = (size_t)(tab - (tsv + i));
		const char *sp = memchr(tsv + i, ' ', n);
		if (sp) {
			/* a bigram: its words come earlier in the file */
			size_t an = (size_t)(sp - (tsv + i)), bn = n - an - 1;
			long a = tab_find(&s->words, tsv + i, an, XXH3_64bits(tsv + i, an), 0);
			long b = tab_find(&s->words, sp + 1, bn, XXH3_64bits(sp + 1, bn), 0);
			if (pair_count(s, a, b, c) < 0)
				return KP_ENOMEM;
			bigrams++;
		} else {
			if (bigrams)
				return kp_err_set(&s->err, KP_EFORMAT, "line %zu: a word after the bigrams", lineno);
			if (word_hashed(s, tsv + i, n, XXH3_64bits(tsv + i, n), c) == -2)
				return oom(s);
			words++;
			if (__builtin_add_overflow(wordsum, c, &wordsum))
				return kp_err_set(&s->err, KP_EFORMAT, "line %zu: the counts overflow", lineno);
		}
		i = e + 1;
	}
	if (checking) {
		uint64_t w = s->vx_words, b = s->vx_bigrams, sum = s->vx_wordsum;
		if (words != w || bigrams != b || wordsum != sum)
			return kp_err_set(&s->err, KP_EFORMAT,
					  "%llu words (%llu in all) and %llu bigrams, where the report counts %llu, %llu "
					  "and %llu",
					  (unsigned long long)words, (unsigned long long)wordsum, (unsigned long long)bigrams,
					  (unsigned long long)w, (unsigned long long)sum, (unsigned long long)b);
	}
	return 0;
}
