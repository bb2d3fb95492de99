/* Language identification: see korpus/langid.h.
 *
 * The model is a multinomial logistic regression over hashed features,
 * its weights kept as bytes.  Training starts from naive Bayes (each
 * class's smoothed feature log-likelihoods, tempered) and refines it by
 * two passes of averaged stochastic gradient descent: counting alone is
 * right on the ten regional languages from a few hundred sentences each,
 * where the regression alone calls many Indonesian; the regression then
 * weighs the few words that tell Malay from Indonesian.
 * Features: each Latin word, lower-cased, and its letter 2- to 4-grams
 * with the spaces around it (" ke", "ke ", ...); the word itself counts
 * WORD_WEIGHT times.  Neighbouring languages share most letter n-grams
 * and many words, and what tells them apart is often one word in a
 * sentence ("Ratusan rumah di medan tarandam banjir" is Banjarese): as
 * one feature among the thirty n-grams of its letters a word could not
 * outweigh them (is-Indonesian F1 on NusaX-MT valid from 0.960 to 0.980
 * when the word came to count four times and the 1-grams went; on NusaX
 * pooled in six folds from 0.936 to 0.960; scripts/eval-langid).
 * Model file: a text header, a blank line, then the weights --
 *   korpus-langid 3
 *   bits B
 *   scale S
 *   langs ind zsm ... ind
 *   (blank line)
 *   2^B x L signed bytes: for each feature bucket, for each class, its
 *   weight x S, rounded (a bucket's weights side by side: one cache line).
 * A code again in "langs" is a further variety of that language (a class
 * of its own: Indonesian reviews and Indonesian news differ more than
 * either does from its neighbours).  A text's score for a class is the sum
 * of its features' weights / S; the softmax of the scores, the classes'
 * probabilities; a language's, the sum of its varieties'. */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/langid.h"

#define STRIDE 16 /* a bucket's weights in memory: padded to 16 lanes, added at once */
#define MAX_LANGS STRIDE /* a model's languages: one lane each */
#define MAX_WORD 32      /* bytes of a word taken for its features */
#define WORD_WEIGHT 4    /* a word's own feature counts this many times (1-12 measured: 4-6 best) */
/* Each class's prior: a feature every text has (its bucket that of this
 * hash), counted PRIOR_WEIGHT times -- the regression's intercept, which
 * leans a text as much Malay as Indonesian, word by word, to the language
 * more of the training text is in (1-4 measured: 2 best; pooled NusaX F1
 * 0.959 -> 0.962, Indonesian news paragraphs 99.31 % -> 99.38 %). */
#define PRIOR_HASH 0x7072696f72ull /* "prior" */
#define PRIOR_WEIGHT 2
/* A language the model has no class for: its text's features are spread
 * over the classes, each at home in one, so the class the text is most
 * like holds a lower weight of them on average than in the text of a
 * language the model knows (of 127, a bucket's largest: in the median
 * NusaX-MT sentence 105, real news paragraph 98, and UDHR sentence in a
 * language written in Latin letters that the model does not know 72).
 * decide() weighs it as one more class, "oth", of this weight on every
 * feature.  Of the UDHR sentences of 388 such translations 61 % were
 * called oth without it and 86 % with it (Indonesian: 0.89 % and 0.41 %);
 * of NusaX-MT valid it takes an Acehnese and a Ngaju sentence, of the
 * 8,499 held out 8 (one of the 2,049 Indonesian ones that was right; 74
 * and 76 took more), and no real news article.  It would take 0.05 % of
 * real news paragraphs, English and Indonesian mixed or lists of foreign
 * names, which is why a line of kp_langid_detect_lines is judged without
 * it (scripts/eval-langid --udhr). */
#define UNKNOWN_WEIGHT 72
#define DEFAULT_BITS 17
#define ALPHA 0.1        /* naive Bayes: added to every count (a bucket unseen in a language) */
#define CLIP 8.0         /* nats: a bucket's weights at most this far below its largest */
#define TEMPERATURE 5.0  /* naive Bayes' log-likelihoods divided by this start the regression */
#define EPOCHS 2         /* passes of gradient descent over the examples */
#define RATE 0.2         /* the first step, shrinking as 1 / (1 + epoch) */
#define L2 1e-6          /* weight decay per step */
#define SEED 0x6b6f72707573ull /* the examples' order (unless the trainer is given one): the same model every time */

/* The most frequent words of Indonesian news (lib/data/wordfreq-id.txt)
 * with the sums of their features' weights, made when a model is loaded
 * (~15 ms; 1.5 MB): nine words in ten of news text are among them, and
 * each costs one look-up instead of one per feature (about 30).  Sums of
 * the same integers: the scores are the same to the last bit. */
#define CACHE_WORDS 16384
#define CACHE_BITS 15 /* 2^15 slots: open addressing, half full at most */
#define CACHE_SLOTS ((size_t)1 << CACHE_BITS)
#define CACHE_WORD 15 /* bytes of a cached word at most */

/* A word of at most 15 bytes as two numbers: its first 8 bytes, and the
 * rest with the length in the top byte (letters are never 0 bytes, so
 * no two words are the same key; the length is never 0: a slot of b 0
 * is empty). */
struct word_key {
	uint64_t a, b;
};

struct word_cache {
	struct word_key key[CACHE_SLOTS];
	/* a cached word has at most FEATURES_OF(CACHE_WORD) features of at
	 * most 128 each: its sums fit 16 bits (asserted below) */
	int16_t sum[CACHE_SLOTS][STRIDE];
	unsigned char nfeat[CACHE_SLOTS];
};

struct kp_langid_model {
	int nlangs, nclasses, bits; /* languages; classes: the languages, then further varieties */
	double scale;
	char codes[MAX_LANGS][4];
	signed char *table;  /* 2^bits x STRIDE (lanes beyond nclasses: 0) */
	int oth;             /* the index of "oth", or -1 */
	int lang[MAX_LANGS];  /* each class's language (a language learnt as several
			       * varieties has a class for each) */
	struct word_cache *cache;
};

/* ---- features ------------------------------------------------------------------ */

/* Letters of a script other than Latin (Greek, Cyrillic, Arabic, Hebrew,
 * Indic, Thai, CJK, Hangul, ...) at s[i]: the sequence's length, else 0. */
static size_t nonlatin_letter(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c >= 0xCD && c <= 0xDF && i + 1 < n) /* U+0340..U+07FF, but combining marks 0300-036F */
		return 2;
	if (c >= 0xE0 && c <= 0xEF && i + 2 < n) {
		if (c == 0xE2 || c == 0xEF) /* punctuation, symbols; forms and specials */
			return 0;
		if (c == 0xE1 && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB) /* Latin Extended Additional (Vietnamese) */
			return 0;
		return 3;
	}
	return 0;
}

/* Latin letters: ASCII and U+00C0..U+033F (Latin-1 letters, Extended-A/B, IPA). */
static size_t latin_letter(const unsigned char *s, size_t n, size_t i, unsigned char *lower)
{
	unsigned char c = s[i];
	if (kp_ascii_isalpha(c)) {
		*lower = (unsigned char)(c | 32);
		return 1;
	}
	if (c >= 0xC3 && c <= 0xCC && i + 1 < n && (s[i + 1] & 0xC0) == 0x80)
		return 2;
	if (c == 0xE1 && i + 2 < n && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB)
		return 3;
	return 0;
}

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001B3ull
/* a word's features at most: the word WORD_WEIGHT times, and its 2-, 3-
 * and 4-grams with the two boundaries (l + 2 letters and spaces: l + 1,
 * l and l - 1 of them) */
#define FEATURES_OF(l) (WORD_WEIGHT + 3 * (l))
#define MAX_WORD_FEATURES FEATURES_OF(MAX_WORD)
_Static_assert(FEATURES_OF(CACHE_WORD) < 256 && FEATURES_OF(CACHE_WORD) * 128 < 32768,
	       "a cached word's feature count fits a byte, its sums 16 bits");
_Static_assert(CACHE_WORD <= 15 && MAX_WORD + 2 >= 17, "a word's key is read from the 16 bytes after w[0]");

/* The hashes of a word's features (w[1, wl], w[0] and w[wl + 1] spaces):
 * the word (WORD_WEIGHT times), and from each position its 2- to 4-gram,
 * whose bytes (and length) fit one 64-bit key, hashed by one
 * multiplication each; how many. */
static size_t word_features(const unsigned char *w, size_t wl, uint64_t *h)
{
	size_t k = 0, len = wl + 2;
	uint64_t x = FNV_BASIS ^ 5;
	for (size_t j = 1; j <= wl; j++)
		x = (x ^ w[j]) * FNV_PRIME;
	while (k < WORD_WEIGHT)
		h[k++] = x ^ (x >> 32);
	for (size_t j = 0; j + 1 < len; j++) {
		uint64_t bytes = w[j];
		for (size_t g = 2; g <= 4 && j + g <= len; g++) {
			bytes |= (uint64_t)w[j + g - 1] << (8 * (g - 1));
			uint64_t y = (bytes | (uint64_t)g << 32) * 0x9E3779B97F4A7C15ull;
			h[k++] = y ^ (y >> 32);
		}
	}
	return k;
}

/* Call emit with each of the text's Latin words, lower-cased (w[1, wl],
 * w[0] and w[wl + 1] spaces); count the letters of each kind of script. */
static void features(const char *text, size_t n, void (*emit)(void *ctx, const unsigned char *w, size_t wl), void *ctx,
		     size_t *latin, size_t *other)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char w[MAX_WORD + 2] = {0}; /* all defined: the word cache reads 16 bytes after w[0] */
	size_t wl = 0;
	*latin = *other = 0;
	for (size_t i = 0; i <= n;) {
		unsigned char low = 0;
		size_t k = i < n ? latin_letter(s, n, i, &low) : 0;
		if (k) {
			(*latin)++;
			for (size_t j = 0; j < k && wl < MAX_WORD; j++)
				w[1 + wl++] = k == 1 ? low : s[i + j];
			i += k;
			continue;
		}
		if (wl) {
			w[0] = ' ';
			w[wl + 1] = ' ';
			emit(ctx, w, wl);
			wl = 0;
		}
		if (i >= n)
			break;
		k = nonlatin_letter(s, n, i);
		*other += k != 0;
		i += k ? k : 1;
	}
}

/* ---- the model ------------------------------------------------------------------ */

/* The next line of the header at *p, or NULL. */
static const char *header_line(const char **p, const char *end, size_t *len)
{
	const char *b = *p, *nl = memchr(b, '\n', (size_t)(end - b));
	if (!nl)
		return NULL;
	*len = (size_t)(nl - b);
	*p = nl + 1;
	return b;
}

/* The weights of the feature of hash h in m: its bucket's row. */
static const signed char *row_of(const kp_langid_model *m, uint64_t h)
{
	return m->table + (size_t)(h & (((uint64_t)1 << m->bits) - 1)) * STRIDE;
}

/* The first n (0-8) bytes at p as a number, the others 0. */
static uint64_t bytes_upto(const unsigned char *p, size_t n)
{
	uint64_t x;
	memcpy(&x, p, 8);
	if (n >= 8)
		return x;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return n ? x & ~(~(uint64_t)0 >> (8 * n)) : 0;
#else
	return x & (((uint64_t)1 << (8 * n)) - 1);
#endif
}

/* The key of the word w[1, wl], wl <= CACHE_WORD (w has 16 bytes after
 * w[0] whatever wl is). */
static struct word_key word_key_of(const unsigned char *w, size_t wl)
{
	return (struct word_key){bytes_upto(w + 1, wl), bytes_upto(w + 9, wl > 8 ? wl - 8 : 0) | (uint64_t)wl << 56};
}

/* The slot holding key k, or the empty slot where it would go. */
static size_t cache_slot(const struct word_cache *c, struct word_key k)
{
	uint64_t h = (k.a * 0x9E3779B97F4A7C15ull) ^ (k.b * 0xC2B2AE3D27D4EB4Full);
	size_t i = (size_t)(h >> (64 - CACHE_BITS));
	while (c->key[i].b && (c->key[i].a != k.a || c->key[i].b != k.b))
		i = (i + 1) & (CACHE_SLOTS - 1);
	return i;
}

struct one_word {
	unsigned char w[MAX_WORD + 2];
	size_t wl, words;
};

static void note_word(void *ctx, const unsigned char *w, size_t wl)
{
	struct one_word *o = ctx;
	if (!o->words++) {
		memcpy(o->w, w, wl + 2);
		o->wl = wl;
	}
}

/* The word cache of m: the first CACHE_WORDS forms of the word list that
 * are one word each of at most CACHE_WORD bytes, as the features see them. */
static int cache_make(kp_langid_model *m)
{
	struct word_cache *c = m->cache = calloc(1, sizeof *m->cache);
	if (!c)
		return KP_ENOMEM;
	const char *p = kp_data_wordfreq_id, *end = p + kp_data_wordfreq_id_len;
	for (size_t made = 0; p < end && made < CACHE_WORDS;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		struct one_word o;
		memset(&o, 0, sizeof o);
		size_t latin, other;
		if (*p != '#' && tab)
			features(p, (size_t)(tab - p), note_word, &o, &latin, &other);
		p = nl ? nl + 1 : end;
		if (o.words != 1 || o.wl > CACHE_WORD)
			continue;
		struct word_key k = word_key_of(o.w, o.wl);
		size_t i = cache_slot(c, k);
		if (c->key[i].b)
			continue; /* a form the features see as an earlier one */
		uint64_t hs[MAX_WORD_FEATURES];
		size_t nf = word_features(o.w, o.wl, hs);
		c->key[i] = k;
		c->nfeat[i] = (unsigned char)nf;
		for (size_t f = 0; f < nf; f++) {
			const signed char *row = row_of(m, hs[f]);
			for (int l = 0; l < STRIDE; l++)
				c->sum[i][l] = (int16_t)(c->sum[i][l] + row[l]);
		}
		made++;
	}
	return 0;
}

/* The model of a file's bytes, its table laid out with a stride of 16. */
kp_langid_model *kp_langid_load(const char *data, size_t len, char *err, size_t errlen)
{
	const char *p = data, *end = data + len, *l;
	size_t ll;
	int bits = 0, nl = 0;
	double scale = 0;
	char codes[MAX_LANGS][4];
	if (!(l = header_line(&p, end, &ll)) || ll != 15 || memcmp(l, "korpus-langid 3", 15)) {
		snprintf(err, errlen, "not a korpus language model of this version (it starts with \"korpus-langid 3\"; "
			 "train it again with korpus-filter --train)");
		return NULL;
	}
	while ((l = header_line(&p, end, &ll)) && ll) {
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(ll < sizeof line - 1 ? ll : sizeof line - 1), l);
		if (!strncmp(line, "bits ", 5)) {
			bits = atoi(line + 5);
		} else if (!strncmp(line, "scale ", 6)) {
			scale = atof(line + 6);
		} else if (!strncmp(line, "langs ", 6)) {
			for (char *save = NULL, *t = strtok_r(line + 6, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
				if (nl == MAX_LANGS || strlen(t) != 3) {
					snprintf(err, errlen, "language model: language codes of 3 letters, %d at most ('%s')", MAX_LANGS, t);
					return NULL;
				}
				memcpy(codes[nl++], t, 4);
			}
		}
	}
	if (!l || bits < 8 || bits > 24 || scale <= 0 || nl < 2) {
		snprintf(err, errlen, "language model: a header without bits, scale or two languages");
		return NULL;
	}
	size_t need = (size_t)nl << bits;
	if ((size_t)(end - p) != need) {
		snprintf(err, errlen, "language model: %zu bytes of table, not %zu", (size_t)(end - p), need);
		return NULL;
	}
	kp_langid_model *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* the classes in lanes: each language once, in the file's order, then
	 * the further varieties of a language (a code again in the header) */
	int again[MAX_LANGS] = {0}, perm[MAX_LANGS], nd = 0;
	for (int c = 0; c < nl; c++) {
		for (int d = 0; d < c; d++)
			again[c] |= !memcmp(codes[d], codes[c], 4);
		nd += !again[c];
	}
	for (int c = 0, first = 0, more = nd; c < nl; c++)
		perm[again[c] ? more++ : first++] = c;
	m->nlangs = nd;
	m->nclasses = nl;
	m->bits = bits;
	m->scale = scale;
	for (int k = 0; k < nl; k++)
		memcpy(m->codes[k], codes[perm[k]], 4);
	for (int k = 0; k < nl; k++)
		m->lang[k] = kp_langid_find(m, m->codes[k], 3);
	/* in huge pages where the system has them: a feature's bucket is
	 * anywhere in megabytes, and 4 KiB pages would miss the TLB too */
	size_t bytes = (size_t)STRIDE << bits;
	void *tab = NULL;
	if (posix_memalign(&tab, (size_t)2 << 20, bytes) != 0) {
		free(m);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
#ifdef MADV_HUGEPAGE
	madvise(tab, bytes, MADV_HUGEPAGE);
#endif
	memset(tab, 0, bytes);
	m->table = tab;
	for (size_t b = 0; b < ((size_t)1 << bits); b++)
		for (int k = 0; k < nl; k++)
			m->table[b * STRIDE + (size_t)k] = (signed char)p[b * (size_t)nl + (size_t)perm[k]];
	m->oth = kp_langid_find(m, "oth", 3);
	if (cache_make(m) < 0) {
		kp_langid_free(m);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return m;
}

kp_langid_model *kp_langid_builtin(void)
{
	char err[160];
	return kp_langid_load(kp_data_langid, kp_data_langid_len, err, sizeof err);
}

void kp_langid_free(kp_langid_model *m)
{
	if (m) {
		free(m->table);
		free(m->cache);
	}
	free(m);
}

int kp_langid_nlangs(const kp_langid_model *m)
{
	return m->nlangs;
}

const char *kp_langid_lang(const kp_langid_model *m, int i)
{
	return i >= 0 && i < m->nlangs ? m->codes[i] : "und";
}

int kp_langid_find(const kp_langid_model *m, const char *code, size_t len)
{
	for (int i = 0; i < m->nlangs; i++)
		if (len == 3 && !memcmp(m->codes[i], code, 3))
			return i;
	return -1;
}

#define SCORE_BATCH 64 /* features whose weights are asked of the cache together */
_Static_assert(SCORE_BATCH * 127 < 32768, "a batch's sums fit 16 bits");
_Static_assert(STRIDE == 16, "the sums are two vectors of 8 lanes");

struct scoring {
	const kp_langid_model *m;
	int64_t sum[STRIDE]; /* 64 bits: a document of any length */
	size_t nfeat, nb;
	const signed char *batch[SCORE_BATCH];
};

/* A scoring from nothing (the batch needs no clearing: nb says how much of it is in use). */
static void scoring_start(struct scoring *sc, const kp_langid_model *m)
{
	sc->m = m;
	memset(sc->sum, 0, sizeof sc->sum);
	sc->nfeat = sc->nb = 0;
}

/* Add the weights of the batched features: asked for when hashed, read
 * here (a table of megabytes misses the cache on most features, and
 * misses asked for together overlap). */
/* 8 lanes of 16 bits (GCC and clang vectors) */
typedef short lanes16 __attribute__((vector_size(16)));
typedef unsigned short ulanes16 __attribute__((vector_size(16)));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LOW_BYTE_CLASS 1 /* a 16-bit lane's low byte is the second of its two */
#else
#define LOW_BYTE_CLASS 0
#endif

static void score_batch(struct scoring *sc)
{
	/* a bucket's 16 bytes read as eight 16-bit lanes: each lane's low
	 * byte (one class's weight) sign-extended by shifting it up and back,
	 * its high byte (the next class's) by shifting it down; the 16-bit
	 * sums hold a batch (SCORE_BATCH x 127 < 32768) */
	lanes16 low = {0}, high = {0};
	for (size_t k = 0; k < sc->nb; k++) {
		lanes16 x;
		memcpy(&x, sc->batch[k], 16);
		low += (lanes16)((ulanes16)x << 8) >> 8;
		high += x >> 8;
	}
	for (int c = 0; c < 8; c++) {
		sc->sum[2 * c + LOW_BYTE_CLASS] += low[c];
		sc->sum[2 * c + 1 - LOW_BYTE_CLASS] += high[c];
	}
	sc->nfeat += sc->nb;
	sc->nb = 0;
}

static void score_word(void *ctx, const unsigned char *word, size_t wl)
{
	struct scoring *sc = ctx;
	const kp_langid_model *m = sc->m;
	if (wl <= CACHE_WORD) {
		size_t i = cache_slot(m->cache, word_key_of(word, wl));
		if (m->cache->key[i].b) {
			for (int c = 0; c < STRIDE; c++)
				sc->sum[c] += m->cache->sum[i][c];
			sc->nfeat += m->cache->nfeat[i];
			return;
		}
	}
	uint64_t h[MAX_WORD_FEATURES];
	size_t k = word_features(word, wl, h);
	for (size_t i = 0; i < k; i++) {
		const signed char *w = row_of(m, h[i]);
		__builtin_prefetch(w);
		sc->batch[sc->nb++] = w;
		if (sc->nb == SCORE_BATCH)
			score_batch(sc);
	}
}

/* The language of what sc scored (latin and other letters), and in
 * *score (may be NULL) how sure; open: also a language the model does not
 * know (for a text; a line is judged among those it knows). */
static int decide(const kp_langid_model *m, const struct scoring *sc, size_t latin, size_t other, double *score,
		  int open)
{
	if (score)
		*score = 0;
	if (other > latin && m->oth >= 0) {
		if (score)
			*score = (double)other / (double)(latin + other);
		return m->oth;
	}
	if (!sc->nfeat)
		return -1;
	int64_t sum[STRIDE];
	const signed char *prior = row_of(m, PRIOR_HASH);
	for (int c = 0; c < STRIDE; c++)
		sum[c] = sc->sum[c] + PRIOR_WEIGHT * prior[c];
	int top = 0;
	for (int c = 1; c < m->nclasses; c++)
		if (sum[c] > sum[top])
			top = c;
	/* and a language the model does not know: "oth", as if a class of
	 * UNKNOWN_WEIGHT on every feature (and the prior) */
	int64_t unknown = open && m->oth >= 0 ? UNKNOWN_WEIGHT * (int64_t)(sc->nfeat + PRIOR_WEIGHT) : INT64_MIN;
	if (!score && m->nclasses == m->nlangs && unknown == INT64_MIN)
		return m->lang[top];
	/* a language's posterior: the sum of its varieties' (two varieties of
	 * Indonesian a little ahead of each other can together outweigh Malay
	 * ahead of both) */
	int64_t ref = sum[top] > unknown ? sum[top] : unknown;
	double z = 0, p[MAX_LANGS] = {0};
	for (int c = 0; c < m->nclasses; c++) {
		double q = exp((double)(sum[c] - ref) / m->scale);
		z += q;
		p[m->lang[c]] += q;
	}
	if (unknown != INT64_MIN) {
		double q = exp((double)(unknown - ref) / m->scale);
		z += q;
		p[m->oth] += q;
	}
	int best = m->lang[top];
	for (int l = 0; l < m->nlangs; l++)
		if (p[l] > p[best])
			best = l;
	if (score)
		*score = p[best] / z;
	return best;
}

int kp_langid_detect(const kp_langid_model *m, const char *text, size_t n, double *score)
{
	struct scoring sc;
	scoring_start(&sc, m);
	size_t latin, other;
	features(text, n, score_word, &sc, &latin, &other);
	score_batch(&sc);
	return decide(m, &sc, latin, other, score, 1);
}

int kp_langid_detect_lines(const kp_langid_model *m, const char *text, size_t n, double *score,
			   void (*each)(void *ctx, size_t start, size_t end, int lang, double score), void *ctx)
{
	/* no word spans a line break, so the text's sums and letter counts
	 * are its lines' added up: the same answer as kp_langid_detect */
	struct scoring all, line;
	scoring_start(&all, m);
	size_t latin = 0, other = 0;
	for (size_t i = 0; i < n || i == 0;) {
		const char *nl = n ? memchr(text + i, '\n', n - i) : NULL;
		size_t e = nl ? (size_t)(nl - text) : n, ll, lo;
		scoring_start(&line, m);
		features(text + i, e - i, score_word, &line, &ll, &lo);
		score_batch(&line);
		double sc;
		int l = decide(m, &line, ll, lo, &sc, 0);
		each(ctx, i, e, l, sc);
		for (int c = 0; c < STRIDE; c++)
			all.sum[c] += line.sum[c];
		all.nfeat += line.nfeat;
		latin += ll;
		other += lo;
		if (!nl)
			break;
		i = e + 1;
	}
	return decide(m, &all, latin, other, score, 1);
}

/* ---- training ------------------------------------------------------------------- */

#define MAX_LABEL 20 /* "ind:formal": a code, and a variety of 15 characters at most */

struct kp_langid_trainer {
	int bits, nlangs;
	uint64_t seed; /* the examples' order; 0: SEED */
	char codes[MAX_LANGS][MAX_LABEL];
	/* the examples: each a language and a run of feature buckets */
	uint32_t *feat;
	size_t nfeat, featcap;
	struct example {
		size_t first, n;
		int lang;
	} *ex;
	size_t nex, excap;
	int err;
};

kp_langid_trainer *kp_langid_trainer_new(int bits)
{
	if (!bits)
		bits = DEFAULT_BITS;
	if (bits < 8 || bits > 24)
		return NULL;
	kp_langid_trainer *t = calloc(1, sizeof *t);
	if (t)
		t->bits = bits;
	return t;
}

void kp_langid_trainer_free(kp_langid_trainer *t)
{
	if (!t)
		return;
	free(t->feat);
	free(t->ex);
	free(t);
}

/* The bucket of the feature of hash h in t's table (as row_of in a model's). */
static uint32_t bucket_of(const kp_langid_trainer *t, uint64_t h)
{
	return (uint32_t)(h & (((uint64_t)1 << t->bits) - 1));
}

static void keep_word(void *ctx, const unsigned char *word, size_t wl)
{
	kp_langid_trainer *t = ctx;
	uint64_t h[MAX_WORD_FEATURES];
	size_t k = word_features(word, wl, h);
	uint32_t *nf = kp_grow_array(t->feat, &t->featcap, t->nfeat + k, sizeof *nf, 1 << 16);
	if (!nf) {
		t->err = 1;
		return;
	}
	t->feat = nf;
	for (size_t i = 0; i < k; i++)
		t->feat[t->nfeat++] = bucket_of(t, h[i]);
}

int kp_langid_trainer_add(kp_langid_trainer *t, const char *code, const char *text, size_t n)
{
	size_t cl = strlen(code);
	if (cl < 3 || cl >= MAX_LABEL || (cl > 3 && (code[3] != ':' || cl == 4)))
		return KP_EINVAL;
	for (size_t i = 0; i < cl; i++)
		if (i != 3 && !kp_ascii_islower((unsigned char)code[i]) && (i < 3 || !kp_ascii_isdigit((unsigned char)code[i])))
			return KP_EINVAL;
	int c = -1;
	for (int i = 0; i < t->nlangs && c < 0; i++)
		if (!strcmp(t->codes[i], code))
			c = i;
	if (c < 0) {
		if (t->nlangs == MAX_LANGS)
			return KP_EINVAL;
		memcpy(t->codes[t->nlangs], code, cl + 1);
		c = t->nlangs++;
	}
	struct example *ne = kp_grow_array(t->ex, &t->excap, t->nex + 1, sizeof *ne, 1024);
	if (!ne)
		return KP_ENOMEM;
	t->ex = ne;
	size_t first = t->nfeat, latin, other;
	features(text, n, keep_word, t, &latin, &other);
	if (t->err)
		return KP_ENOMEM;
	if (t->nfeat > first) { /* and the prior (a text without features has none: it is not scored) */
		uint32_t *nf = kp_grow_array(t->feat, &t->featcap, t->nfeat + PRIOR_WEIGHT, sizeof *nf, 1 << 16);
		if (!nf)
			return KP_ENOMEM;
		t->feat = nf;
		for (int r = 0; r < PRIOR_WEIGHT; r++)
			t->feat[t->nfeat++] = bucket_of(t, PRIOR_HASH);
		t->ex[t->nex++] = (struct example){first, t->nfeat - first, c};
	}
	return 0;
}

void kp_langid_trainer_seed(kp_langid_trainer *t, uint64_t seed)
{
	t->seed = seed;
}

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Gradient descent on the softmax loss from the weights in w, the weights
 * of all steps averaged.  (Weighting each language's examples alike was
 * measured worse when the regression started from nothing: the few Malay
 * sentences then pulled Indonesian reviews to Malay.) */
static int refine(kp_langid_trainer *t, float *w, int epochs, double rate0)
{
	size_t nb = (size_t)1 << t->bits, L = (size_t)t->nlangs;
	float *avg = calloc(L * nb, sizeof *avg);
	size_t *order = malloc((t->nex ? t->nex : 1) * sizeof *order);
	if (!avg || !order) {
		free(avg);
		free(order);
		return KP_ENOMEM;
	}
	const double l2 = L2;
	for (size_t i = 0; i < L * nb; i++)
		avg[i] = w[i] * (float)((double)epochs * (double)t->nex);
	for (size_t i = 0; i < t->nex; i++)
		order[i] = i;
	uint64_t seed = t->seed ? t->seed : SEED;
	double steps = 0;
	for (int epoch = 0; epoch < epochs; epoch++) {
		for (size_t i = t->nex; i > 1; i--) { /* Fisher-Yates */
			size_t j = (size_t)(next_rand(&seed) % i), x = order[i - 1];
			order[i - 1] = order[j];
			order[j] = x;
		}
		double rate = rate0 / (1.0 + epoch);
		for (size_t k = 0; k < t->nex; k++) {
			const struct example *e = &t->ex[order[k]];
			const uint32_t *f = t->feat + e->first;
			double s[MAX_LANGS] = {0}, mx = -1e300, z = 0;
			for (size_t j = 0; j < e->n; j++) {
				const float *wb = w + (size_t)f[j] * L;
				for (size_t c = 0; c < L; c++)
					s[c] += wb[c];
			}
			for (size_t c = 0; c < L; c++)
				mx = s[c] > mx ? s[c] : mx;
			for (size_t c = 0; c < L; c++)
				z += (s[c] = exp(s[c] - mx));
			/* the step, per feature (normalized by the text's length) */
			double step = rate / sqrt((double)e->n);
			double g[MAX_LANGS], left = (double)epochs * (double)t->nex - steps;
			for (size_t c = 0; c < L; c++)
				g[c] = (s[c] / z - (c == (size_t)e->lang)) * step;
			for (size_t j = 0; j < e->n; j++) {
				float *wb = w + (size_t)f[j] * L, *ab = avg + (size_t)f[j] * L;
				for (size_t c = 0; c < L; c++) {
					double d = g[c] + l2 * wb[c];
					wb[c] -= (float)d;
					/* the running average, kept lazily: a weight's sum
					 * over steps gains what each update moved it by,
					 * times the steps still to come */
					ab[c] -= (float)(d * left);
				}
			}
			steps++;
		}
	}
	/* the average of the weights over all steps */
	for (size_t i = 0; i < L * nb; i++)
		w[i] = avg[i] / (float)steps;
	free(avg);
	free(order);
	return 0;
}

/* Naive Bayes: each class's feature counts, smoothed by ALPHA, into the
 * log-probability of each bucket given the class (nats) in w. */
static int naive_bayes(kp_langid_trainer *t, float *w)
{
	size_t nb = (size_t)1 << t->bits, L = (size_t)t->nlangs;
	float *cnt = calloc(L * nb, sizeof *cnt);
	if (!cnt)
		return KP_ENOMEM;
	double tot[MAX_LANGS] = {0};
	for (size_t i = 0; i < t->nex; i++) {
		const struct example *e = &t->ex[i];
		for (size_t j = 0; j < e->n; j++)
			cnt[(size_t)t->feat[e->first + j] * L + (size_t)e->lang] += 1;
		tot[e->lang] += (double)e->n;
	}
	for (size_t c = 0; c < L; c++)
		tot[c] = log(tot[c] + ALPHA * (double)nb);
	for (size_t i = 0; i < L * nb; i++)
		w[i] = (float)(log(cnt[i] + ALPHA) - tot[i % L]);
	free(cnt);
	return 0;
}

int kp_langid_trainer_write(kp_langid_trainer *t, char **out, size_t *len)
{
	size_t nb = (size_t)1 << t->bits, L = (size_t)t->nlangs;
	float *w = calloc(L * nb, sizeof *w);
	if (!w || naive_bayes(t, w) < 0) {
		free(w);
		return KP_ENOMEM;
	}
	/* naive Bayes' log-likelihoods, each bucket's centred on their mean
	 * and clipped, tempered to start the regression, which then corrects
	 * what counting alone gets wrong (a few telling words among many
	 * shared letter n-grams: Malay's "bahagian", "kerana") */
	for (size_t b = 0; b < nb; b++) {
		float *wb = w + b * L;
		double mean = 0;
		for (size_t c = 0; c < L; c++)
			mean += wb[c];
		mean /= (double)L;
		for (size_t c = 0; c < L; c++) {
			double v = wb[c] - mean;
			wb[c] = (float)((v < -CLIP / 2 ? -CLIP / 2 : v) / TEMPERATURE);
		}
	}
	if (refine(t, w, EPOCHS, RATE) < 0) {
		free(w);
		return KP_ENOMEM;
	}
	/* bytes: a bucket's weights shifted alike (which changes no language's
	 * lead over another), its largest at 127, none under -127: a range of
	 * CLIP nats of the tempered scale */
	const double clip = CLIP / TEMPERATURE, scale = 127.0 / (clip / 2);
	char head[128 + MAX_LANGS * 4];
	int hl = snprintf(head, sizeof head, "korpus-langid 3\nbits %d\nscale %.6f\nlangs", t->bits, scale);
	for (size_t c = 0; c < L; c++)
		hl += snprintf(head + hl, sizeof head - (size_t)hl, " %.3s", t->codes[c]);
	hl += snprintf(head + hl, sizeof head - (size_t)hl, "\n\n");
	size_t n = (size_t)hl + L * nb;
	char *o = malloc(n);
	if (!o) {
		free(w);
		return KP_ENOMEM;
	}
	memcpy(o, head, (size_t)hl);
	signed char *tab = (signed char *)(o + hl);
	for (size_t b = 0; b < nb; b++) {
		const float *wb = w + b * L;
		double mx = wb[0];
		for (size_t c = 1; c < L; c++)
			mx = wb[c] > mx ? wb[c] : mx;
		for (size_t c = 0; c < L; c++) {
			double v = wb[c] - mx + clip / 2;
			tab[b * L + c] = (signed char)lround((v < -clip / 2 ? -clip / 2 : v) * scale);
		}
	}
	free(w);
	*out = o;
	*len = n;
	return 0;
}
