/* Quality signals and rules: see korpus/quality.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/quality.h"
#include "words_int.h"

static const char *const signal_names[KP_Q_NSIGNALS] = {
	"words",         "mean_word_length", "symbol_ratio",   "alpha_words",    "upper_words",    "stopwords",
	"lines",         "lines_end_punct",  "short_lines",    "bullet_lines",   "ellipsis_lines", "dup_lines",
	"dup_line_chars", "top_2gram",       "top_3gram",      "top_4gram",      "dup_5gram",      "dup_6gram",
	"dup_7gram",     "dup_8gram",        "dup_9gram",      "dup_10gram",     "lorem_ipsum",    "curly_braces",
};

const char *kp_quality_signal_name(int signal)
{
	return signal >= 0 && signal < KP_Q_NSIGNALS ? signal_names[signal] : "?";
}

int kp_quality_signal(const char *name, size_t len)
{
	for (int i = 0; i < KP_Q_NSIGNALS; i++)
		if (strlen(signal_names[i]) == len && !memcmp(signal_names[i], name, len))
			return i;
	return -1;
}

/* ---- rules ------------------------------------------------------------------------ */

#define RULE_NAME_MAX 48
#define MAX_RULES 128

struct rule {
	char name[RULE_NAME_MAX];
	int signal, bound, off;
	double threshold;
};

/* The measurer lowers at most this many bytes of a word (and hashes them):
 * a longer word is never a stopword. */
#define WORD_PREFIX 64

/* The hash of a word of l bytes whose first bytes, lowered, are low[0,
 * min(l, WORD_PREFIX)): the n-grams are made of these. */
static uint64_t word_hash(const char *low, size_t l)
{
	return XXH3_64bits(low, l <= WORD_PREFIX ? l : WORD_PREFIX) ^ (uint64_t)l;
}

/* Bytes of a word the stopword test compares at once (every stopword but
 * one is no longer); words are zero-padded to it. */
#define STOP_HEAD 16

/* The stopwords, found by their first STOP_HEAD bytes and length: a key
 * from those takes two multiplications, where the word hash (for the
 * n-grams) is a call whose result the test would wait for.  A word is a
 * stopword or not in no order a branch could learn, so in the common case,
 * a word whose home slot is its own or empty, the answer is computed, not
 * branched on. */
struct stopset {
	uint64_t *head;     /* per slot: STOP_HEAD / 8 words, the stopword's first bytes zero-padded */
	unsigned char *len; /* per slot: the stopword's length; 0: an empty slot */
	uint32_t *off;      /* per slot: where in bytes the stopword is */
	char *bytes;
	size_t mask;
	unsigned shift;
};

static size_t home(uint64_t k, unsigned shift)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> shift);
}

/* The home slot of a word of l bytes (l <= WORD_PREFIX) starting with
 * head (STOP_HEAD bytes, zero-padded). */
static size_t stop_home(const struct stopset *st, const uint64_t head[STOP_HEAD / 8], size_t l)
{
	return home((head[0] * 0xff51afd7ed558ccdull) ^ head[1] ^ (uint64_t)l, st->shift);
}

/* The list's words in a table of at least four slots a word, so that most
 * words find their home slot theirs or empty (lines longer than
 * WORD_PREFIX are left out: they match no word).  0 or KP_ENOMEM. */
static int stopset_build(struct stopset *st, const char *list, size_t len)
{
	const char *p = list, *end = list + len, *line;
	size_t ll, lineno = 0, n = 0, cap = 64;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno))
		n++;
	while (cap < 4 * n)
		cap *= 2;
	st->head = calloc(cap, STOP_HEAD);
	st->len = calloc(cap, 1);
	st->off = calloc(cap, sizeof *st->off);
	st->bytes = malloc(len ? len : 1);
	if (!st->head || !st->len || !st->off || !st->bytes || len > UINT32_MAX)
		return KP_ENOMEM;
	st->mask = cap - 1;
	st->shift = 64u - (unsigned)__builtin_ctzll((unsigned long long)cap);
	uint32_t off = 0;
	for (p = list; kp_data_next_line(&p, end, &line, &ll, &lineno);) {
		if (ll > WORD_PREFIX)
			continue;
		uint64_t head[STOP_HEAD / 8] = {0};
		memcpy(head, line, ll < STOP_HEAD ? ll : STOP_HEAD);
		size_t h = stop_home(st, head, ll);
		while (st->len[h])
			h = (h + 1) & st->mask;
		memcpy(st->bytes + off, line, ll);
		memcpy(st->head + h * (STOP_HEAD / 8), head, STOP_HEAD);
		st->len[h] = (unsigned char)ll;
		st->off[h] = off;
		off += (uint32_t)ll;
	}
	return 0;
}

/* Do the stopword in slot h and low[0, l) (whose first STOP_HEAD bytes
 * zero-padded are head) match?  No for an empty slot. */
static int stop_match(const struct stopset *st, size_t h, const uint64_t head[STOP_HEAD / 8], const char *low, size_t l)
{
	const uint64_t *sh = st->head + h * (STOP_HEAD / 8);
	int eq = (st->len[h] == l) & (sh[0] == head[0]) & (sh[1] == head[1]);
	if (__builtin_expect(eq & (l > STOP_HEAD), 0))
		eq = !memcmp(st->bytes + st->off[h] + STOP_HEAD, low + STOP_HEAD, l - STOP_HEAD);
	return eq;
}

/* Is low[0, l) (l <= WORD_PREFIX), whose first STOP_HEAD bytes zero-padded
 * are head, a stopword? */
static int stopset_has(const struct stopset *st, const uint64_t head[STOP_HEAD / 8], const char *low, size_t l)
{
	size_t h = stop_home(st, head, l);
	int eq = stop_match(st, h, head, low, l);
	if (__builtin_expect(eq || !st->len[h], 1))
		return eq;
	while (st->len[h = (h + 1) & st->mask])
		if (stop_match(st, h, head, low, l))
			return 1;
	return 0;
}

struct kp_quality_rules {
	struct rule rule[MAX_RULES];
	int n;
	struct stopset stopwords;
	kp_err err;
};

const char *kp_quality_rules_builtin(size_t *len)
{
	if (len)
		*len = kp_data_quality_rules_len;
	return kp_data_quality_rules;
}

kp_quality_rules *kp_quality_rules_new(void)
{
	kp_quality_rules *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (stopset_build(&r->stopwords, kp_data_stopwords_id, kp_data_stopwords_id_len) < 0 ||
	    kp_quality_rules_add(r, kp_data_quality_rules, kp_data_quality_rules_len, "quality-rules.txt") < 0) {
		kp_quality_rules_free(r);
		return NULL;
	}
	return r;
}

void kp_quality_rules_free(kp_quality_rules *r)
{
	if (!r)
		return;
	free(r->stopwords.head);
	free(r->stopwords.len);
	free(r->stopwords.off);
	free(r->stopwords.bytes);
	free(r);
}

const char *kp_quality_rules_errmsg(const kp_quality_rules *r)
{
	return r->err.msg;
}

/* The next field of a line (spaces and tabs between), or NULL. */
static const char *field(const char **p, const char *end, size_t *len)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end)
		return NULL;
	const char *b = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*len = (size_t)(*p - b);
	return b;
}

static struct rule *find_rule(kp_quality_rules *r, const char *name, size_t n)
{
	for (int i = 0; i < r->n; i++)
		if (strlen(r->rule[i].name) == n && !memcmp(r->rule[i].name, name, n))
			return &r->rule[i];
	return NULL;
}

int kp_quality_rules_add(kp_quality_rules *r, const char *text, size_t len, const char *name)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		/* a comment after the fields */
		for (size_t k = 1; k < ll; k++)
			if (line[k] == '#' && (line[k - 1] == ' ' || line[k - 1] == '\t')) {
				ll = k;
				break;
			}
		const char *q = line, *le = line + ll, *f[4];
		size_t fl[4];
		int nf = 0;
		while (nf < 4 && (f[nf] = field(&q, le, &fl[nf])))
			nf++;
		if (field(&q, le, &fl[0]))
			nf = 5;
		if (nf == 0)
			continue;
		if (fl[0] >= RULE_NAME_MAX)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: a rule name of at most %d bytes", name, lineno,
					  RULE_NAME_MAX - 1);
		struct rule *old = find_rule(r, f[0], fl[0]);
		if (nf == 2 && fl[1] == 3 && !memcmp(f[1], "off", 3)) {
			if (!old)
				return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: no rule '%.*s' to switch off", name, lineno,
						  (int)fl[0], f[0]);
			old->off = 1;
			continue;
		}
		if (nf != 4)
			return kp_err_set(&r->err, KP_EFORMAT,
					  "%s:%zu: expected NAME SIGNAL min|max VALUE, or NAME off", name, lineno);
		int sig = kp_quality_signal(f[1], fl[1]);
		if (sig < 0)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: unknown signal '%.*s'", name, lineno, (int)fl[1], f[1]);
		int bound = fl[2] == 3 && !memcmp(f[2], "min", 3) ? -1 : fl[2] == 3 && !memcmp(f[2], "max", 3) ? 1 : 0;
		if (!bound)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: expected min or max, not '%.*s'", name, lineno,
					  (int)fl[2], f[2]);
		char num[64], *e;
		snprintf(num, sizeof num, "%.*s", (int)fl[3], f[3]);
		double v = strtod(num, &e);
		if (e == num || *e || fl[3] >= sizeof num)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: '%.*s' is not a number", name, lineno, (int)fl[3],
					  f[3]);
		if (!old) {
			if (r->n == MAX_RULES)
				return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: more than %d rules", name, lineno, MAX_RULES);
			old = &r->rule[r->n++];
			snprintf(old->name, sizeof old->name, "%.*s", (int)fl[0], f[0]);
		}
		old->signal = sig;
		old->bound = bound;
		old->threshold = v;
		old->off = 0;
	}
	return 0;
}

int kp_quality_rule(const kp_quality_rules *r, int i, const char **name, int *signal, int *bound, double *threshold)
{
	for (int k = 0; k < r->n; k++) {
		if (r->rule[k].off || i--)
			continue;
		*name = r->rule[k].name;
		*signal = r->rule[k].signal;
		*bound = r->rule[k].bound;
		*threshold = r->rule[k].threshold;
		return 1;
	}
	return 0;
}

int kp_quality_check(const kp_quality_rules *r, const double sig[KP_Q_NSIGNALS])
{
	for (int k = 0, i = 0; k < r->n; k++) {
		const struct rule *u = &r->rule[k];
		if (u->off)
			continue;
		double v = sig[u->signal];
		if (u->bound < 0 ? v < u->threshold : v > u->threshold)
			return i;
		i++;
	}
	return -1;
}

/* ---- measuring ---------------------------------------------------------------------- */

/* Lines from which the shares of lines (ending in punctuation, short,
 * bullets, ellipses) are measured; a document of fewer has neutral ones. */
#define MIN_LAYOUT_LINES 3

struct word {
	uint64_t hash;
	uint32_t chars;
};

struct line {
	uint64_t hash;
	size_t chars;
};

/* A slot of the count table: a key and its count in the pass whose stamp
 * it bears.  A slot of an older stamp is empty, so a new pass (the lines,
 * then each n) empties the table by taking a new stamp, not by clearing
 * it: most documents are short, and clearing cost more than counting. */
struct slot {
	uint64_t key;
	uint32_t count, stamp;
};

/* The classes of a byte in a word (the table kp_quality.cls): what the scan
 * of a word asks of each of its bytes, in one load.  BYTE_UPPER is the bit
 * that lowers an ASCII capital. */
enum {
	BYTE_WORD = 0x01,  /* part of a word, whatever follows */
	BYTE_ASK = 0x02,   /* 0xC2 or 0xE2: a word's unless nonword_len says otherwise */
	BYTE_ALPHA = 0x04, /* an ASCII letter, or a lead byte of a letter with a mark (>= 0xC3) */
	BYTE_LOWER = 0x08, /* a-z */
	BYTE_LEAD = 0x10,  /* starts a character */
	BYTE_UPPER = 0x20, /* A-Z */
};

struct kp_quality {
	const kp_quality_rules *r;
	unsigned char cls[256];
	/* per byte, to add up over a word: 1 for a character's first byte,
	 * 2^32 for an ASCII capital (its characters and its capitals, without
	 * a branch; a word is shorter than 2^32 bytes) */
	uint64_t sum[256];
	struct word *w;
	size_t nw, wcap;
	struct line *line;
	size_t nl, lcap;
	uint32_t *at;   /* per n-gram of a pass: its slot */
	uint32_t *cand; /* the positions whose n-grams a pass counts, in order */
	size_t atcap, ncand;
	struct slot *slot;
	size_t scap;    /* slots allocated */
	size_t mask;    /* slots in use - 1: a power of two - 1 */
	unsigned shift; /* 64 - log2(slots in use) */
	uint32_t stamp;
};

kp_quality *kp_quality_new(const kp_quality_rules *r)
{
	kp_quality *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->r = r;
	for (int c = 0; c < 256; c++) {
		int ask = c == 0xC2 || c == 0xE2;
		q->cls[c] = (unsigned char)((c >= 0x80 ? (ask ? BYTE_ASK : BYTE_WORD) : kp_ascii_isalnum((unsigned char)c) ? BYTE_WORD : 0) |
					    (kp_ascii_isalpha((unsigned char)c) || c >= 0xC3 ? BYTE_ALPHA : 0) |
					    (kp_ascii_islower((unsigned char)c) ? BYTE_LOWER : 0) |
					    ((c & 0xC0) != 0x80 ? BYTE_LEAD : 0) |
					    (kp_ascii_isupper((unsigned char)c) ? BYTE_UPPER : 0));
		q->sum[c] = (uint64_t)((c & 0xC0) != 0x80) | (uint64_t)(kp_ascii_isupper((unsigned char)c) != 0) << 32;
	}
	return q;
}

void kp_quality_free(kp_quality *q)
{
	if (!q)
		return;
	free(q->w);
	free(q->line);
	free(q->at);
	free(q->cand);
	free(q->slot);
	free(q);
}

/* Size the count table for passes of up to n keys: four slots a key while
 * the table stays small enough for the caches (probes then mostly end at
 * the first slot), at most three keys in four slots above (the memory of
 * a long document); the slots of a larger earlier document are kept
 * unless they are far more than this one needs (so that one large
 * document is not paid for again by every small one after it). */
static int table_size(kp_quality *q, size_t n)
{
	size_t cap = 64;
	while (cap < 4 * n && (cap < 65536 || 3 * cap < 4 * n))
		cap *= 2;
	if (cap > q->scap || (q->scap > 65536 && cap < q->scap / 16)) {
		free(q->slot);
		q->slot = calloc(cap, sizeof *q->slot);
		q->scap = q->slot ? cap : 0;
		if (!q->slot)
			return KP_ENOMEM;
		q->stamp = 0;
	}
	q->mask = cap - 1;
	q->shift = 64u - (unsigned)__builtin_ctzll((unsigned long long)cap);
	return 0;
}

/* Empty the count table for a new pass. */
static void table_pass(kp_quality *q)
{
	if (++q->stamp == 0) { /* once in four billion passes */
		memset(q->slot, 0, q->scap * sizeof *q->slot);
		q->stamp = 1;
	}
}

/* Count key k once more in this pass: its slot.  A new key and a known
 * one are one path (they come in no order a branch could learn). */
static struct slot *table_inc(kp_quality *q, uint64_t k)
{
	for (size_t h = home(k, q->shift);; h = (h + 1) & q->mask) {
		struct slot *s = &q->slot[h];
		int fresh = s->stamp != q->stamp;
		if (fresh | (s->key == k)) {
			s->count = fresh ? 1 : s->count + 1;
			s->key = k;
			s->stamp = q->stamp;
			return s;
		}
	}
}

static int is_lead(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

/* Is s[i] the start of a character that is not part of a word: ASCII other
 * than letters and digits, or U+00A0..U+00BF, or general punctuation
 * U+2000..U+206F (quotes, dashes, the ellipsis). */
static size_t nonword_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c < 0x80)
		return kp_ascii_isalnum(c) ? 0 : 1;
	if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF)
		return 2;
	if (c == 0xE2 && i + 2 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
		return 3;
	return 0;
}

/* Counts of a document's words and characters, kept as integers (and
 * made shares at the end). */
struct counts {
	uint64_t alpha, upper, stopwords, symbols, curly, word_chars;
};

/* The word from s[b] to the first character that is not part of a word
 * before e: counted into *k, its hash and characters kept.  Its end into
 * *end.  0 or KP_ENOMEM. */
static int add_word(kp_quality *q, const unsigned char *s, size_t b, size_t e, size_t *end, struct counts *k)
{
	struct word *grown = kp_grow_array(q->w, &q->wcap, q->nw + 1, sizeof *q->w, 1024);
	if (!grown)
		return KP_ENOMEM;
	q->w = grown;
	/* the word's bytes lowered; its bytes past WORD_PREFIX all go to the
	 * last, which is not read */
	char low[WORD_PREFIX + 1];
	memset(low, 0, STOP_HEAD);
	size_t i = b;
	unsigned any = 0;
	uint64_t sum = 0;
	for (; i < e; i++) {
		unsigned char c = s[i];
		unsigned t = q->cls[c];
		if (!(t & BYTE_WORD) && (!(t & BYTE_ASK) || nonword_len(s, e, i)))
			break;
		any |= t;
		sum += q->sum[c];
		low[i - b < WORD_PREFIX ? i - b : WORD_PREFIX] = (char)(c | (t & BYTE_UPPER));
	}
	*end = i;
	size_t l = i - b;
	uint32_t chars = (uint32_t)sum;
	k->alpha += (any & BYTE_ALPHA) != 0;
	k->upper += sum >> 32 >= 2 && !(any & BYTE_LOWER);
	k->word_chars += chars;
	uint64_t h = word_hash(low, l);
	uint64_t head[STOP_HEAD / 8];
	memcpy(head, low, STOP_HEAD);
	k->stopwords += l <= WORD_PREFIX && stopset_has(&q->r->stopwords, head, low, l);
	q->w[q->nw].hash = h;
	q->w[q->nw].chars = chars;
	q->nw++;
	return 0;
}

/* How many times "lorem ipsum" is in s[0, n), in any case.  Blocks of
 * bytes are first asked, without a branch a byte, whether any of them
 * starts "lor" (the compiler makes that loop vector code); few do. */
static uint64_t lorem_ipsum(const unsigned char *s, size_t n)
{
	uint64_t found = 0;
	for (size_t i = 0; i + 11 <= n;) {
		size_t stop = i + 64 < n - 10 ? i + 64 : n - 10;
		unsigned any = 0;
		for (size_t j = i; j < stop; j++)
			any |= ((s[j] | 32) == 'l') & ((s[j + 1] | 32) == 'o') & ((s[j + 2] | 32) == 'r');
		if (any)
			for (size_t j = i; j < stop; j++)
				found += (s[j] | 32) == 'l' && !strncasecmp((const char *)s + j, "lorem ipsum", 11);
		i = stop;
	}
	return found;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Line signals of s[b, e) (trimmed, not empty); its characters into *chars. */
static void line_signals(const unsigned char *s, size_t b, size_t e, double sig[KP_Q_NSIGNALS], size_t *chars)
{
	size_t c = 0;
	for (size_t i = b; i < e; i++)
		c += is_lead(s[i]);
	*chars = c;
	sig[KP_Q_LINES]++;
	sig[KP_Q_SHORT_LINES] += c < 30;
	/* a scraper's join commas after the sentence's end (".,", ". ,") */
	size_t le = e;
	while (le > b + 1 && (s[le - 1] == ',' || s[le - 1] == ' '))
		le--;
	e = le;
	unsigned char last = s[e - 1];
	int ellipsis = (e - b >= 3 && !memcmp(s + e - 3, "...", 3)) || (e - b >= 3 && !memcmp(s + e - 3, "\xE2\x80\xA6", 3));
	sig[KP_Q_ELLIPSIS_LINES] += ellipsis;
	int punct = strchr(".!?\"')]:;", last) != NULL && last != '\0';
	/* closing quotes ” ’ and » */
	punct |= e - b >= 3 && s[e - 3] == 0xE2 && s[e - 2] == 0x80 && (s[e - 1] == 0x9D || s[e - 1] == 0x99 || s[e - 1] == 0xA6);
	punct |= e - b >= 2 && s[e - 2] == 0xC2 && s[e - 1] == 0xBB;
	sig[KP_Q_LINES_END_PUNCT] += punct;
	unsigned char f = s[b];
	/* "- item", "* item" (a dash glued to a word is a dateline's rest) */
	int bullet = (f == '-' || f == '*' || f == '+') && e - b > 1 && s[b + 1] == ' ';
	/* • · ‣ ◦ ▪ ► ● ○ */
	bullet |= e - b >= 3 && f == 0xE2 && ((s[b + 1] == 0x80 && (s[b + 2] == 0xA2 || s[b + 2] == 0xA3)) ||
					       (s[b + 1] == 0x97 && (s[b + 2] == 0xA6 || s[b + 2] == 0x8F || s[b + 2] == 0x8B)) ||
					       (s[b + 1] == 0x96 && (s[b + 2] == 0xAA || s[b + 2] == 0xBA)));
	bullet |= e - b >= 2 && f == 0xC2 && s[b + 1] == 0xB7;
	sig[KP_Q_BULLET_LINES] += bullet;
}

/* The hash of the n words from word i (never 0). */
static uint64_t ngram_hash(const kp_quality *q, size_t i, int n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)n;
	for (int k = 0; k < n; k++)
		h = (h ^ q->w[i + (size_t)k].hash) * 0x100000001B3ull;
	return h ? h : 1;
}

/* Count the n-grams starting at the candidate positions q->cand: every
 * position for 2-grams; for longer ones, only where the (n - 1)-gram
 * occurs more than once (an n-gram can occur more than once only where
 * its first n - 1 words do, and most do not: each pass counts a fraction
 * of the one before).  The candidates are then narrowed to the n-grams
 * that occur more than once; *best is the count of the most frequent,
 * first reached at *best_i. */
static void ngram_pass(kp_quality *q, int n, uint32_t *best, size_t *best_i)
{
	*best = 0;
	if (q->nw < (size_t)n) {
		q->ncand = 0;
		return;
	}
	size_t m = q->nw - (size_t)n + 1, k = 0;
	table_pass(q);
	for (; k < q->ncand && q->cand[k] < m; k++) {
		struct slot *s = table_inc(q, ngram_hash(q, q->cand[k], n));
		q->at[k] = (uint32_t)(s - q->slot);
		if (s->count > *best) {
			*best = s->count;
			*best_i = q->cand[k];
		}
	}
	size_t kept = 0;
	for (size_t j = 0; j < k; j++)
		if (q->slot[q->at[j]].count > 1)
			q->cand[kept++] = q->cand[j];
	q->ncand = kept;
}

/* The share of word characters in the most frequent n-gram when it occurs
 * more than once, times its count. */
static double top_ngram(kp_quality *q, int n, double total_chars)
{
	uint32_t best;
	size_t best_i = 0;
	ngram_pass(q, n, &best, &best_i);
	if (best < 2)
		return 0;
	double ch = 0;
	for (int k = 0; k < n; k++)
		ch += q->w[best_i + (size_t)k].chars;
	return ch * (double)best / total_chars;
}

/* The share of word characters inside n-grams that occur more than once. */
static double dup_ngrams(kp_quality *q, int n, double total_chars)
{
	uint32_t best;
	size_t best_i;
	ngram_pass(q, n, &best, &best_i);
	/* a word is inside a repeated n-gram when one starts at most n - 1
	 * words before it */
	double ch = 0;
	for (size_t k = 0, until = 0; k < q->ncand; k++) {
		size_t i = q->cand[k] > until ? q->cand[k] : until;
		until = q->cand[k] + (size_t)n;
		for (; i < until; i++)
			ch += q->w[i].chars;
	}
	return ch / total_chars;
}

int kp_quality_measure(kp_quality *q, const char *text, size_t n, double sig[KP_Q_NSIGNALS])
{
	const unsigned char *s = (const unsigned char *)text;
	memset(sig, 0, KP_Q_NSIGNALS * sizeof *sig);
	q->nw = q->nl = 0;
	struct counts cnt = {0};
	double dup_lines = 0, dup_line_chars = 0, line_chars = 0;
	for (size_t i = 0; i < n;) {
		/* a line: its words, then its own signals */
		const unsigned char *nl = memchr(s + i, '\n', n - i);
		size_t le = nl ? (size_t)(nl - s) : n;
		size_t b = i, e = le;
		while (b < e && is_space(s[b]))
			b++;
		while (e > b && is_space(s[e - 1]))
			e--;
		for (size_t p = b; p < e;) {
			size_t len = nonword_len(s, e, p);
			if (len) {
				int dots = p + 3 <= e && !memcmp(s + p, "...", 3);
				cnt.symbols += s[p] == '#' || (len == 3 && s[p + 1] == 0x80 && s[p + 2] == 0xA6) || dots;
				if (dots)
					len = 3;
				cnt.curly += s[p] == '{' || s[p] == '}';
				p += len;
				continue;
			}
			if (add_word(q, s, p, e, &p, &cnt) < 0)
				return KP_ENOMEM;
		}
		if (e > b) {
			struct line *grown = kp_grow_array(q->line, &q->lcap, q->nl + 1, sizeof *q->line, 1024);
			if (!grown)
				return KP_ENOMEM;
			q->line = grown;
			size_t chars;
			line_signals(s, b, e, sig, &chars);
			line_chars += (double)chars;
			uint64_t h = XXH3_64bits(s + b, e - b);
			q->line[q->nl++] = (struct line){h ? h : 1, chars};
		}
		i = le + 1;
	}
	sig[KP_Q_LOREM_IPSUM] = (double)lorem_ipsum(s, n);
	sig[KP_Q_CURLY_BRACES] = (double)cnt.curly;
	sig[KP_Q_STOPWORDS] = (double)cnt.stopwords;
	/* the slots of an n-gram are 32 bits: a document of 2^31 words or
	 * more (some 20 GB) is more than the table is made for */
	if (q->nw > 0x7fffffff || q->nl > 0x7fffffff || table_size(q, q->nw > q->nl ? q->nw : q->nl) < 0)
		return KP_ENOMEM;
	table_pass(q);
	for (size_t i = 0; i < q->nl; i++)
		if (table_inc(q, q->line[i].hash)->count > 1) {
			dup_lines++;
			dup_line_chars += (double)q->line[i].chars;
		}
	double words = (double)q->nw, lines = sig[KP_Q_LINES], word_chars = (double)cnt.word_chars;
	sig[KP_Q_WORDS] = words;
	sig[KP_Q_MEAN_WORD_LENGTH] = words ? word_chars / words : 0;
	sig[KP_Q_SYMBOL_RATIO] = words ? (double)cnt.symbols / words : 0;
	sig[KP_Q_ALPHA_WORDS] = words ? (double)cnt.alpha / words : 0;
	sig[KP_Q_UPPER_WORDS] = words ? (double)cnt.upper / words : 0;
	/* the shares of lines say something of a page's layout from a few
	 * lines on; below, they are neutral */
	static const int per_line[] = {KP_Q_LINES_END_PUNCT, KP_Q_SHORT_LINES, KP_Q_BULLET_LINES, KP_Q_ELLIPSIS_LINES};
	for (size_t k = 0; k < sizeof per_line / sizeof per_line[0]; k++)
		sig[per_line[k]] = lines >= MIN_LAYOUT_LINES ? sig[per_line[k]] / lines : per_line[k] == KP_Q_LINES_END_PUNCT;
	sig[KP_Q_DUP_LINES] = lines ? dup_lines / lines : 0;
	sig[KP_Q_DUP_LINE_CHARS] = line_chars ? dup_line_chars / line_chars : 0;
	if (q->nw > q->atcap) {
		free(q->at);
		free(q->cand);
		q->at = malloc(q->nw * sizeof *q->at);
		q->cand = malloc(q->nw * sizeof *q->cand);
		q->atcap = q->at && q->cand ? q->nw : 0;
		if (!q->atcap)
			return KP_ENOMEM;
	}
	/* the n-grams from 2 to 10 words, each pass on the positions the one
	 * before found repeated (with none left, none longer: most articles
	 * stop at 4 or 5) */
	q->ncand = word_chars > 0 ? q->nw : 0;
	for (size_t i = 0; i < q->ncand; i++)
		q->cand[i] = (uint32_t)i;
	for (int g = 2; g <= 10 && q->ncand; g++)
		sig[g <= 4 ? KP_Q_TOP_2GRAM + g - 2 : KP_Q_DUP_5GRAM + g - 5] =
			g <= 4 ? top_ngram(q, g, word_chars) : dup_ngrams(q, g, word_chars);
	return 0;
}
