/* Words glued where a scraper dropped the spaces around links and bold text,
 * split again (see korpus/unglue.h).
 *
 * Three repairs, each decided on the token alone (so the same input always
 * gives the same output, for any number of threads):
 * - word+Capital ("dariAntara", "kepadaKPK", "KPKpada", "DKIJakarta"):
 *   split at the change of case when the part before it is a word seen in
 *   lower case, an acronym before a known capitalised word or a function
 *   word, two common words ("SelainItu"), or a known name before a function
 *   word ("SanjayaSebagai"); never a form seen as itself or in another case
 *   ("milIar"), a listed brand (YouTube, iPhone), a join after a listed
 *   prefix (detikOto) or before a clitic ("kehendakNya");
 * - all lower case ("Ginjaladalah", "penyandangdisabilitasdi"): a token that
 *   is not a word (not in the counts, not accepted by hunspell with its
 *   affix rules) is segmented by dynamic programming into known words, and
 *   split only when that is far more probable than the token as one
 *   unknown word;
 * - a missing space after , ; : ) before a letter ("Silk,Ross",
 *   "(20/5)Polisi"), never inside numbers, addresses or hashtags.
 * Word probabilities are count / total of the counts (built-in: real
 * Indonesian news, lib/data/wordfreq-id.txt; more with
 * kp_unglue_model_add_counts). */
#include <errno.h>
#include <hunspell.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/unglue.h"
#include "u64map_int.h"
#include "words_int.h"

#define MAX_TOKEN 40        /* letters: a longer run is left alone (and keeps the DP small) */
#define WHOLE_SLOTS 16384   /* a handle's memory of unknown tokens it left whole: 128 KB */
#define MIN_KNOWN 3         /* occurrences that make a form a known word */
#define MIN_LEFT 5          /* lower-case occurrences of the word before a capital */
#define MIN_CAPITAL 20      /* occurrences of a capitalised word before another word */
#define MIN_COMMON 100      /* lower-case occurrences of a common word */
#define MIN_JOIN 7          /* letters of a lower-case token worth segmenting */
#define MIN_PIECE 5         /* lower-case occurrences of a piece of a split */
#define MIN_SHORT_PIECE 500 /* ... of a two-letter piece ("di", "ke", "ia") */
#define MAX_PIECE 20        /* letters of a piece */
#define MAX_PIECES 4
#define PIECE_COST 2.0      /* nats each piece costs: fewer pieces are better */
#define LETTER_COST 1.6     /* nats a letter of an unknown word costs */
#define MARGIN 6.0          /* nats the split must win by */

struct kp_unglue_model {
	kp_u64map exact; /* a form as written -> occurrences */
	kp_u64map lower; /* an all-lower-case form -> occurrences */
	kp_u64map fold;  /* a form lower-cased -> occurrences of all its spellings */
	kp_words keep, prefix;
	kp_words bound_pre, bound_suf; /* bound forms: never a piece of their own */
	kp_words stop;                 /* function words (stopwords-id.txt) */
	kp_u64map bigram; /* "di X", "ke X" lower-cased -> occurrences */
	uint64_t *bloom;  /* the fold keys of MIN_KNOWN occurrences: a fast "a word" */
	uint64_t total;
	char *aff, *dic;
	kp_err err;
};

/* Byte classes of the scan: letters, and the punctuation a space may be
 * missing after. */
enum { B_LO = 1, B_UP = 2, B_PUNCT = 4 };
static const unsigned char byte_class[256] = {
	[','] = B_PUNCT, [';'] = B_PUNCT, [':'] = B_PUNCT, [')'] = B_PUNCT,
#define L(x) [x] = B_UP, [x + 32] = B_LO
	L('A'), L('B'), L('C'), L('D'), L('E'), L('F'), L('G'), L('H'), L('I'), L('J'), L('K'), L('L'), L('M'),
	L('N'), L('O'), L('P'), L('Q'), L('R'), L('S'), L('T'), L('U'), L('V'), L('W'), L('X'), L('Y'), L('Z'),
#undef L
};


static uint64_t key_of(const char *s, size_t n)
{
	uint64_t h = XXH3_64bits(s, n);
	return h ? h : 1;
}

static uint64_t lookup(const kp_u64map *m, const char *s, size_t n)
{
	return kp_u64map_get(m, key_of(s, n));
}

/* The lower-cased key of s[0, n) (ASCII letters). */
static uint64_t fold_key(const char *s, size_t n)
{
	char low[2 * MAX_TOKEN + 1];
	if (n > sizeof low)
		return 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(kp_ascii_isupper((unsigned char)s[i]) ? s[i] + 32 : s[i]);
	return key_of(low, n);
}

#define BLOOM_BITS ((size_t)1 << 21) /* 256 KB: 0.3 % false "a word" for 50,000 forms */

static void bloom_bits(uint64_t k, size_t *a, size_t *b)
{
	*a = (size_t)(k & (BLOOM_BITS - 1));
	*b = (size_t)((k >> 32) & (BLOOM_BITS - 1));
}

/* Is the fold key k (probably) a known word?  No is certain; yes is wrong
 * for about 0.3 % of the unknown tokens, which are then left as they are. */
static int bloom_has(const kp_unglue_model *m, uint64_t k)
{
	size_t a, b;
	bloom_bits(k, &a, &b);
	return (m->bloom[a >> 6] >> (a & 63) & 1) && (m->bloom[b >> 6] >> (b & 63) & 1);
}

static int add_form(kp_unglue_model *m, const char *w, size_t n, uint64_t c)
{
	int lower = 1;
	for (size_t i = 0; i < n; i++)
		if (!kp_ascii_islower((unsigned char)w[i]))
			lower = 0;
	uint64_t fk = fold_key(w, n);
	if (kp_u64map_add(&m->exact, key_of(w, n), c, 0) < 0 || kp_u64map_add(&m->fold, fk, c, 0) < 0 ||
	    (lower && kp_u64map_add(&m->lower, key_of(w, n), c, 0) < 0))
		return KP_ENOMEM;
	if (kp_u64map_get(&m->fold, fk) >= MIN_KNOWN) {
		size_t a, b;
		bloom_bits(fk, &a, &b);
		m->bloom[a >> 6] |= 1ull << (a & 63);
		m->bloom[b >> 6] |= 1ull << (b & 63);
	}
	m->total += c;
	return 0;
}

int kp_unglue_model_add_counts(kp_unglue_model *m, const char *text, size_t len, const char *name)
{
	const char *p = text, *end = text + len, *line;
	size_t n, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &n, &lineno)) {
		const char *tab = memchr(line, '\t', n);
		if (!tab)
			return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: expected WORD<TAB>COUNT", name, lineno);
		size_t wl = (size_t)(tab - line);
		uint64_t c = 0;
		const char *q = tab + 1;
		if (q == line + n)
			return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: expected WORD<TAB>COUNT", name, lineno);
		for (; q < line + n; q++) {
			if (!kp_ascii_isdigit((unsigned char)*q) || c > (UINT64_MAX - 9) / 10)
				return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: the count is not a number", name, lineno);
			c = c * 10 + (uint64_t)(*q - '0');
		}
		/* words of ASCII letters only (a number or a word with accents
		 * says nothing about these joins), and bigrams of two */
		int letters = wl > 0 && wl <= 2 * MAX_TOKEN + 1, spaces = 0;
		for (size_t i = 0; i < wl && letters; i++) {
			spaces += line[i] == ' ';
			letters = kp_ascii_isalpha((unsigned char)line[i]) || (line[i] == ' ' && i > 0 && i + 1 < wl);
		}
		if (!letters || !c || spaces > 1)
			continue;
		if (spaces ? kp_u64map_add(&m->bigram, fold_key(line, wl), c, 0) < 0
			   : wl <= MAX_TOKEN && add_form(m, line, wl, c) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

/* The kept forms: one a line; "detik*" keeps every join after the prefix.
 * The bound forms: "pasca-" a prefix, "-nya" a suffix. */
static int load_lists(kp_unglue_model *m)
{
	const char *p = kp_data_unglue_keep, *end = p + kp_data_unglue_keep_len, *line;
	size_t n, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &n, &lineno)) {
		int rc = n > 1 && line[n - 1] == '*' ? kp_words_add(&m->prefix, line, n - 1) : kp_words_add(&m->keep, line, n);
		if (rc < 0)
			return rc;
	}
	p = kp_data_stopwords_id;
	end = p + kp_data_stopwords_id_len;
	lineno = 0;
	while (kp_data_next_line(&p, end, &line, &n, &lineno))
		if (kp_words_add(&m->stop, line, n) < 0)
			return KP_ENOMEM;
	p = kp_data_bound_id;
	end = p + kp_data_bound_id_len;
	lineno = 0;
	while (kp_data_next_line(&p, end, &line, &n, &lineno)) {
		int rc = n < 2 ? 0
			 : line[0] == '-' ? kp_words_add(&m->bound_suf, line + 1, n - 1)
			 : line[n - 1] == '-' ? kp_words_add(&m->bound_pre, line, n - 1)
					      : 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

kp_unglue_model *kp_unglue_model_new(void)
{
	kp_unglue_model *m = calloc(1, sizeof *m);
	if (!m || !(m->bloom = calloc(BLOOM_BITS / 64, sizeof *m->bloom))) {
		free(m);
		return NULL;
	}
	if (kp_unglue_model_add_counts(m, kp_data_wordfreq_id, kp_data_wordfreq_id_len, "wordfreq-id.txt") < 0 ||
	    load_lists(m) < 0) {
		kp_unglue_model_free(m);
		return NULL;
	}
	return m;
}

void kp_unglue_model_free(kp_unglue_model *m)
{
	if (!m)
		return;
	kp_u64map_free(&m->exact);
	kp_u64map_free(&m->lower);
	kp_u64map_free(&m->fold);
	kp_words_free(&m->keep);
	kp_words_free(&m->prefix);
	kp_words_free(&m->bound_pre);
	kp_words_free(&m->bound_suf);
	kp_words_free(&m->stop);
	kp_u64map_free(&m->bigram);
	free(m->aff);
	free(m->dic);
	free(m->bloom);
	free(m);
}

int kp_unglue_model_set_dictionary(kp_unglue_model *m, const char *aff, const char *dic)
{
	const char *paths[2] = {aff, dic};
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "rb");
		if (!f)
			return kp_err_errno(&m->err, KP_ENOTFOUND, errno, "cannot read the hunspell dictionary '%s' (Debian: "
									   "apt-get install hunspell-id)",
					    paths[i]);
		fclose(f);
	}
	free(m->aff);
	free(m->dic);
	m->aff = strdup(aff);
	m->dic = strdup(dic);
	return m->aff && m->dic ? 0 : KP_ENOMEM;
}

const char *kp_unglue_model_errmsg(const kp_unglue_model *m)
{
	return m->err.msg;
}

size_t kp_unglue_model_bytes(const kp_unglue_model *m)
{
	return kp_u64map_bytes(&m->exact) + kp_u64map_bytes(&m->lower) + kp_u64map_bytes(&m->fold) +
	       kp_u64map_bytes(&m->bigram) + BLOOM_BITS / 8;
}

/* ---- a handle ----------------------------------------------------------------- */

typedef struct change {
	size_t from, fromlen, to, tolen; /* in rec */
	int kind;
	double score;
} change;

struct kp_unglue {
	const kp_unglue_model *m;
	int mode;
	Hunhandle *hs;
	kp_u64map verdict; /* hunspell's, per form: 1 a word, 2 not */
	uint64_t *whole;   /* tokens seen and left whole, direct-mapped (WHOLE_SLOTS) */
	kp_buf out, rec, changes;
	uint64_t count[KP_UNGLUE_NKINDS];
	/* the whitespace-delimited token around the last position asked */
	size_t tok_start, tok_end;
	int tok_address;
};

kp_unglue *kp_unglue_new(const kp_unglue_model *m, int mode)
{
	if (mode != KP_UNGLUE_CAMEL && mode != KP_UNGLUE_ALL)
		return NULL;
	if (mode == KP_UNGLUE_ALL && (!m->aff || !m->dic))
		return NULL;
	kp_unglue *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->m = m;
	u->mode = mode;
	kp_buf_init(&u->out, SIZE_MAX / 4);
	kp_buf_init(&u->rec, SIZE_MAX / 4);
	kp_buf_init(&u->changes, SIZE_MAX / 4);
	if (!(u->whole = calloc(WHOLE_SLOTS, sizeof *u->whole))) {
		free(u);
		return NULL;
	}
	if (mode == KP_UNGLUE_ALL && !(u->hs = Hunspell_create(m->aff, m->dic))) {
		free(u->whole);
		free(u);
		return NULL;
	}
	return u;
}

void kp_unglue_free(kp_unglue *u)
{
	if (!u)
		return;
	if (u->hs)
		Hunspell_destroy(u->hs);
	kp_u64map_free(&u->verdict);
	free(u->whole);
	kp_buf_free(&u->out);
	kp_buf_free(&u->rec);
	kp_buf_free(&u->changes);
	free(u);
}

const char *kp_unglue_kind_name(int kind)
{
	static const char *const names[KP_UNGLUE_NKINDS] = {"camel", "lower", "punct"};
	return kind >= 0 && kind < KP_UNGLUE_NKINDS ? names[kind] : "?";
}

uint64_t kp_unglue_count(const kp_unglue *u, int kind)
{
	return kind >= 0 && kind < KP_UNGLUE_NKINDS ? u->count[kind] : 0;
}

size_t kp_unglue_nchanges(const kp_unglue *u)
{
	return u->changes.len / sizeof(change);
}

void kp_unglue_change(const kp_unglue *u, size_t i, const char **from, size_t *fromlen, const char **to,
		      size_t *tolen, int *kind, double *score)
{
	const change *c = &((const change *)(const void *)u->changes.p)[i];
	*from = u->rec.p + c->from;
	*fromlen = c->fromlen;
	*to = u->rec.p + c->to;
	*tolen = c->tolen;
	*kind = c->kind;
	*score = c->score;
}

/* Is s[0, n) a word to hunspell (as written, or lower-cased)?  Cached. */
static int hunspell_word(kp_unglue *u, const char *s, size_t n)
{
	uint64_t k = key_of(s, n), v = kp_u64map_get(&u->verdict, k);
	if (v)
		return v == 1;
	char w[MAX_TOKEN + 1];
	memcpy(w, s, n);
	w[n] = '\0';
	int ok = Hunspell_spell(u->hs, w) != 0;
	if (!ok && kp_ascii_isupper((unsigned char)w[0])) {
		w[0] = (char)(w[0] + 32);
		ok = Hunspell_spell(u->hs, w) != 0;
	}
	if (kp_u64map_add(&u->verdict, k, ok ? 1 : 2, 0) < 0)
		return ok; /* out of memory: not cached, still answered */
	return ok;
}

/* Is the token around s[i] an address (URL, e-mail, path, hashtag,
 * mention): never split inside.  Computed once a token. */
static int in_address(kp_unglue *u, const char *s, size_t len, size_t i)
{
	if (i >= u->tok_start && i < u->tok_end)
		return u->tok_address;
	size_t a = i, b = i;
	while (a > 0 && !(s[a - 1] == ' ' || s[a - 1] == '\n' || s[a - 1] == '\t'))
		a--;
	while (b < len && !(s[b] == ' ' || s[b] == '\n' || s[b] == '\t'))
		b++;
	u->tok_start = a;
	u->tok_end = b;
	u->tok_address = 0;
	for (size_t k = a; k < b && !u->tok_address; k++) {
		char c = s[k];
		/* a slash between letters is a path ("kompas.com/read"); between
		 * digits a date ("(20/5)Polisi") */
		int path = c == '/' && k > a && k + 1 < b && kp_ascii_isalpha((unsigned char)s[k - 1]) && kp_ascii_isalpha((unsigned char)s[k + 1]);
		u->tok_address = c == '@' || path || c == '\\' || c == '_' || c == '=' || c == '#' ||
				 (c == ':' && k + 2 < b && s[k + 1] == '/' && s[k + 2] == '/') ||
				 (k + 4 <= b && (s[k] | 32) == 'w' && (s[k + 1] | 32) == 'w' && (s[k + 2] | 32) == 'w' &&
				  s[k + 3] == '.');
	}
	return u->tok_address;
}

/* Record a repair: the text of s[a, b) before and after (cuts: offsets in
 * it where a space goes). */
static int record(kp_unglue *u, const char *s, size_t a, size_t b, const size_t *cuts, int ncut, int kind, double score)
{
	change c = {.from = u->rec.len, .fromlen = b - a, .kind = kind, .score = score};
	if (kp_buf_add(&u->rec, s + a, b - a) < 0)
		return KP_ENOMEM;
	c.to = u->rec.len;
	size_t at = a;
	for (int k = 0; k < ncut; k++) {
		if (kp_buf_add(&u->rec, s + at, cuts[k] - at) < 0 || kp_buf_addc(&u->rec, ' ') < 0)
			return KP_ENOMEM;
		at = cuts[k];
	}
	if (kp_buf_add(&u->rec, s + at, b - at) < 0)
		return KP_ENOMEM;
	c.tolen = u->rec.len - c.to;
	u->count[kind]++;
	return kp_buf_add(&u->changes, &c, sizeof c);
}

#define MIN_BIGRAM 2  /* "di X" seen apart: X is a place, not a verb di-X */
#define MIN_TYPO 20   /* occurrences of a word one letter away: a typo, not a join */

/* Is low[0, n) a known word with one letter dropped, doubled or changed
 * ("mendapatakan", "perkembanganya", "benerapa"), more common than the rarest piece of
 * the split: a typo, which no space mends? */
static int typo_of_word(const kp_unglue_model *m, const char *low, size_t n, uint64_t rarest)
{
	char v[MAX_TOKEN + 1];
	for (size_t i = 0; i < n; i++) {
		uint64_t c;
		memcpy(v, low, i);
		memcpy(v + i, low + i + 1, n - i - 1);
		if ((c = kp_u64map_get(&m->fold, key_of(v, n - 1))) >= MIN_TYPO && c >= rarest)
			return 1;
		memcpy(v, low, i + 1);
		memcpy(v + i + 1, low + i, n - i);
		if ((c = kp_u64map_get(&m->fold, key_of(v, n + 1))) >= MIN_TYPO && c >= rarest)
			return 1;
		memcpy(v, low, n);
		for (char x = 'a'; x <= 'z'; x++) { /* "benerapa": beberapa */
			if (x == low[i])
				continue;
			v[i] = x;
			if ((c = kp_u64map_get(&m->fold, key_of(v, n))) >= MIN_TYPO && c >= rarest)
				return 1;
		}
	}
	return 0;
}

/* May the split of low into pieces at cuts[0, k) stand?  No bound form
 * apart ("pasca persidangan", "makanan nya"), the preposition di only
 * before a word seen after it ("di lokasi", not "di klasifikasi": the
 * passive verb diklasifikasi), no typo of a word. */
static int split_ok(const kp_unglue_model *m, const char *low, size_t n, const size_t *cuts, int k, int capital)
{
	/* a capitalised token is often a name made of words (Perwiranegara,
	 * Mangkunegara): split only where a function word follows the name
	 * ("Ginjaladalah") or the pieces are all common words */
	int stop = 0, common = 1;
	for (int q = 0; q <= k && capital; q++) {
		size_t a = q ? cuts[q - 1] : 0, b = q < k ? cuts[q] : n;
		if (q)
			stop |= b - a >= 4 && kp_words_has(&m->stop, low + a, b - a); /* not "Long|ini", "Rama|dan" */
		common &= kp_u64map_get(&m->lower, key_of(low + a, b - a)) >= MIN_COMMON;
	}
	if (capital && !stop && !common)
		return 0; /* ... unless every piece is a common lower-case word: "Selainisu" */
	uint64_t rarest = UINT64_MAX;
	for (int q = 0; q <= k; q++) {
		size_t a = q ? cuts[q - 1] : 0, b = q < k ? cuts[q] : n;
		if ((q < k && kp_words_has(&m->bound_pre, low + a, b - a)) ||
		    (q > 0 && kp_words_has(&m->bound_suf, low + a, b - a)))
			return 0;
		uint64_t seen = kp_u64map_get(&m->fold, key_of(low + a, b - a));
		rarest = seen < rarest ? seen : rarest;
		if (q < k && b - a == 2 && low[a] == 'd' && low[a + 1] == 'i') {
			size_t c = q + 1 < k ? cuts[q + 1] : n;
			char pair[MAX_TOKEN + 3];
			memcpy(pair, low + a, 2);
			pair[2] = ' ';
			memcpy(pair + 3, low + b, c - b);
			if (kp_u64map_get(&m->bigram, key_of(pair, c - b + 3)) < MIN_BIGRAM)
				return 0;
		}
	}
	return !typo_of_word(m, low, n, rarest);
}

/* Occurrences of piece low[i, j) of the token s: as a lower-case word; the
 * first piece of a capitalised token also as written ("Jokowi"). */
static uint64_t piece_count(const kp_unglue_model *m, const char *s, const char *low, size_t i, size_t j)
{
	uint64_t c = kp_u64map_get(&m->lower, key_of(low + i, j - i));
	if (i == 0 && kp_ascii_isupper((unsigned char)s[0])) {
		uint64_t e = lookup(&m->exact, s, j);
		c = e > c ? e : c;
	}
	return c;
}

/* The best split of low[0, n) into known pieces by dynamic programming:
 * its log probability (-INFINITY if none) and the cuts (their number in
 * *ncut).  A piece of two letters must be frequent ("di", "ke"). */
static double best_split(const kp_unglue_model *m, const char *s, const char *low, size_t n, size_t *cuts, int *ncut)
{
	double logt = log((double)m->total), best[MAX_TOKEN + 1];
	int back[MAX_TOKEN + 1], pieces[MAX_TOKEN + 1];
	best[0] = 0;
	pieces[0] = 0;
	for (size_t j = 1; j <= n; j++) {
		best[j] = -INFINITY;
		back[j] = -1;
		pieces[j] = 0;
		for (size_t i = j > MAX_PIECE ? j - MAX_PIECE : 0; i + 2 <= j; i++) {
			if (best[i] == -INFINITY || pieces[i] >= MAX_PIECES)
				continue;
			uint64_t c = piece_count(m, s, low, i, j);
			if (c < (j - i == 2 ? MIN_SHORT_PIECE : MIN_PIECE))
				continue;
			double v = best[i] + log((double)c) - logt - PIECE_COST;
			if (v > best[j]) {
				best[j] = v;
				back[j] = (int)i;
				pieces[j] = pieces[i] + 1;
			}
		}
	}
	*ncut = 0;
	if (best[n] == -INFINITY || pieces[n] < 2)
		return -INFINITY;
	int k = *ncut = pieces[n] - 1;
	for (int j = (int)n; back[j] > 0; j = back[j])
		cuts[--k] = (size_t)back[j];
	return best[n];
}

#define MIN_DICT_PIECE 4 /* letters of a piece known to hunspell only */

/* Two pieces, one a known word and the other (of MIN_DICT_PIECE letters or
 * more; first, of one more) known to hunspell only ("reaksiimun",
 * "ujiklinis": words the news counts lack), taken as a rare word;
 * -INFINITY if none. */
static double dict_split(kp_unglue *u, const char *s, const char *low, size_t n, size_t *cut)
{
	const kp_unglue_model *m = u->m;
	double logt = log((double)m->total), best = -INFINITY;
	for (size_t i = 3; i + 3 <= n; i++) {
		uint64_t a = piece_count(m, s, low, 0, i), b = piece_count(m, s, low, i, n), c;
		if (a >= MIN_PIECE && b < MIN_PIECE && n - i >= MIN_DICT_PIECE && hunspell_word(u, low + i, n - i))
			c = a;
		else if (b >= MIN_COMMON && a < MIN_PIECE && i > MIN_DICT_PIECE && !(low[0] == 'd' && low[1] == 'i') &&
			 !(low[0] == 'k' && low[1] == 'e') && hunspell_word(u, low, i)) /* not "didis|infeksi" */
			c = b;
		else
			continue;
		double v = log((double)c) + log((double)MIN_PIECE) - 2 * logt - 2 * PIECE_COST;
		if (v > best) {
			best = v;
			*cut = i;
		}
	}
	return best;
}

/* A known form di/ke + X written for "di X" ("diantara", "dirumah"): a
 * preposition glued on, when the two words are seen apart far more often. */
#define APART 5
static int glued_preposition(const kp_unglue_model *m, const char *low, size_t n, uint64_t joined)
{
	if (n < 5 || !((low[0] == 'd' && low[1] == 'i') || (low[0] == 'k' && low[1] == 'e')))
		return 0;
	char pair[MAX_TOKEN + 2];
	memcpy(pair, low, 2);
	pair[2] = ' ';
	memcpy(pair + 3, low + 2, n - 2);
	return kp_u64map_get(&m->bigram, key_of(pair, n + 1)) >= APART * joined;
}

static int segment_token(kp_unglue *u, const char *s, const char *low, size_t n, uint64_t fk, size_t *cuts,
			 double *score);

/* Segment the token s[0, n) (lower case, or capitalised) into known words:
 * the cuts (offsets) in cuts[], their number returned (0: keep it whole);
 * *score: the margin of the split over the token, in nats. */
static int segment(kp_unglue *u, const char *s, size_t n, size_t *cuts, double *score)
{
	const kp_unglue_model *m = u->m;
	if (n < MIN_JOIN || n > MAX_TOKEN || !m->total)
		return 0;
	char low[MAX_TOKEN];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 0 ? !kp_ascii_isalpha(c) : !kp_ascii_islower(c))
			return 0;
		low[i] = (char)(kp_ascii_isupper(c) ? c + 32 : c);
	}
	uint64_t fk = key_of(low, n);
	int prep = (low[0] == 'd' && low[1] == 'i') || (low[0] == 'k' && low[1] == 'e');
	if (bloom_has(m, fk) && !prep)
		return 0; /* a word (the common case: no table looked at) */
	uint64_t tk = key_of(s, n) | 1, *slot = &u->whole[tk & (WHOLE_SLOTS - 1)];
	if (*slot == tk)
		return 0; /* seen before, and left whole */
	int ncut = segment_token(u, s, low, n, fk, cuts, score);
	if (!ncut)
		*slot = tk;
	return ncut;
}

/* segment() past its fast paths: fk the token's fold key. */
static int segment_token(kp_unglue *u, const char *s, const char *low, size_t n, uint64_t fk, size_t *cuts, double *score)
{
	const kp_unglue_model *m = u->m;
	uint64_t known = kp_u64map_get(&m->fold, fk);
	if (known >= MIN_KNOWN) {
		/* a word, unless it is a preposition glued on by habit */
		if (!glued_preposition(m, low, n, known) || hunspell_word(u, s, n))
			return 0;
		cuts[0] = 2;
		*score = log((double)APART);
		return split_ok(m, low, n, cuts, 1, 0) ? 1 : 0;
	}
	int ncut;
	double logt = log((double)m->total), p = best_split(m, s, low, n, cuts, &ncut);
	if (p == -INFINITY && (p = dict_split(u, s, low, n, cuts)) != -INFINITY)
		ncut = 1;
	if (p == -INFINITY)
		return 0;
	double unknown = -logt - LETTER_COST * (double)n;
	*score = p - unknown;
	if (*score < MARGIN || !split_ok(m, low, n, cuts, ncut, kp_ascii_isupper((unsigned char)s[0])) || hunspell_word(u, s, n))
		return 0; /* hunspell: a word with its affixes, "menyelenggarakannya" */
	/* a piece that is a preposition glued on by habit ("diantara" of
	 * "diantaraampuh") is split too, as it would be on its own: the
	 * result is stable */
	for (int q = ncut; q >= 0; q--) {
		size_t a = q ? cuts[q - 1] : 0, b = q < ncut ? cuts[q] : n;
		uint64_t seen = kp_u64map_get(&m->fold, key_of(low + a, b - a));
		if (seen >= MIN_KNOWN && glued_preposition(m, low + a, b - a, seen) && !hunspell_word(u, s + a, b - a)) {
			memmove(cuts + q + 1, cuts + q, (size_t)(ncut - q) * sizeof *cuts);
			cuts[q] = a + 2;
			ncut++;
		}
	}
	return ncut;
}

/* The cuts of a word+Capital token s[0, n) (offsets where a space goes):
 * their number, 0 to keep it whole. */
static int camel(kp_unglue *u, const char *s, size_t n, size_t *cuts, double *score)
{
	const kp_unglue_model *m = u->m;
	/* a form seen as itself, a word in another case ("milIar", "BIcara":
	 * typos of case, which no space mends), a listed name */
	if (n > MAX_TOKEN || lookup(&m->exact, s, n) >= MIN_KNOWN || kp_u64map_get(&m->fold, fold_key(s, n)) >= MIN_KNOWN ||
	    kp_words_has(&m->keep, s, n))
		return 0;
	int ncut = 0;
	size_t seg = 0;
	*score = 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char p = (unsigned char)s[i - 1], c = (unsigned char)s[i];
		size_t cut = 0;
		if (kp_ascii_islower(p) && kp_ascii_isupper(c)) {
			/* "dariAntara", "kepadaKPK", "JakartaPolisi" */
			size_t e = i + 1;
			while (e < n && kp_ascii_islower((unsigned char)s[e]))
				e++;
			if (e == i + 1)
				while (e < n && kp_ascii_isupper((unsigned char)s[e]))
					e++;
			size_t ll = i - seg;
			char lowl[MAX_TOKEN];
			for (size_t k = 0; k < ll; k++)
				lowl[k] = (char)(s[seg + k] | 32);
			char lowr[MAX_TOKEN];
			for (size_t k = i; k < e; k++)
				lowr[k - i] = (char)(s[k] | 32);
			if (ll < 2 || kp_words_has(&m->prefix, lowl, ll) || (e - i == 2 && s[i] == 'O' && s[i + 1] == 'S') ||
			    kp_words_has(&m->bound_suf, lowr, e - i))
				continue; /* "iPhone", "detikOto", "visionOS", "kehendakNya" */
			/* after a lower-case word; a capitalised one before a capital
			 * is as often a brand (MetroTV, OneUI) as a join: only two
			 * words common in lower case are split */
			uint64_t lc = lookup(&m->lower, s + seg, ll), lr;
			if (lc >= (ll == 2 ? MIN_SHORT_PIECE : MIN_LEFT)) {
				cut = i;
				*score += log((double)lc);
			} else if (kp_ascii_isupper((unsigned char)s[seg]) && e - i >= 3 &&
				   (lc = kp_u64map_get(&m->lower, key_of(lowl, ll))) >= MIN_COMMON &&
				   (lr = kp_u64map_get(&m->lower, key_of(lowr, e - i))) >= MIN_COMMON) {
				/* two capitalised common words ("SelainItu",
				 * "JakartaPolisi" is a name: not common lower case) */
				cut = i;
				*score += log((double)(lc < lr ? lc : lr));
			} else if (kp_ascii_isupper((unsigned char)s[seg]) && e - i >= 4 && kp_words_has(&m->stop, lowr, e - i) &&
				   (lc = lookup(&m->exact, s + seg, ll)) >= MIN_CAPITAL) {
				/* a name, then a function word opening a sentence
				 * ("SanjayaSebagai", "JakartaDalam") */
				cut = i;
				*score += log((double)lc);
			}
		} else if (kp_ascii_isupper((unsigned char)p) && kp_ascii_islower((unsigned char)c) && i >= seg + 2 && kp_ascii_isupper((unsigned char)s[i - 2])) {
			/* an upper-case run, then lower case: "DKIJakarta",
			 * "PDIPerjuangan" (the last capital starts the word, after an
			 * acronym of three letters or more: "TVOne" is a name) or
			 * "KPKpada" (it ends the acronym) */
			size_t e = i + 1;
			while (e < n && kp_ascii_islower((unsigned char)s[e]))
				e++;
			size_t u0 = i - 1;
			while (u0 > seg && kp_ascii_isupper((unsigned char)s[u0 - 1]))
				u0--;
			uint64_t w;
			if (i - 1 - u0 >= 3 && e - i >= 2 && (w = lookup(&m->exact, s + i - 1, e - i + 1)) >= MIN_CAPITAL) {
				cut = i - 1;
				*score += log((double)w);
			} else if (i - u0 >= 2 && kp_words_has(&m->stop, s + i, e - i) &&
				   (w = lookup(&m->lower, s + i, e - i)) >= MIN_LEFT) {
				/* a function word after the acronym ("KPKpada"): a
				 * lower-case word of another kind is as often part of a
				 * name (VIVAnews, SINDOmedia) */
				cut = i;
				*score += log((double)w);
			}
		}
		if (cut) { /* at most one a letter: cuts[] holds MAX_TOKEN */
			cuts[ncut++] = cut;
			seg = cut;
		}
	}
	return ncut;
}

/* Should a space go after the punctuation at s[i]? */
static int punct_glued(kp_unglue *u, const char *s, size_t len, size_t i)
{
	char c = s[i];
	if (i + 1 >= len || !kp_ascii_isalpha((unsigned char)s[i + 1]))
		return 0;
	if (c == ',' || c == ';') {
		if (!i)
			return 0;
		if (c == ';') { /* the end of an HTML entity ("&amp;nbsp") */
			size_t j = i;
			while (j > 0 && i - j < 12 && (kp_ascii_isalpha((unsigned char)s[j - 1]) || kp_ascii_isdigit((unsigned char)s[j - 1]) || s[j - 1] == '#'))
				j--;
			if (j > 0 && s[j - 1] == '&')
				return 0;
		}
		unsigned char p = (unsigned char)s[i - 1];
		if (!(kp_ascii_isalpha(p) || p == ')' || p == '"' || p == '\''))
			return 0;
	} else if (c == ':') {
		if (i && kp_ascii_isdigit((unsigned char)s[i - 1]))
			return 0;
	} else if (c != ')') {
		return 0;
	}
	return !in_address(u, s, len, i);
}

int kp_unglue_run(kp_unglue *u, const char *s, size_t len, const char **out, size_t *outlen)
{
	kp_buf *o = &u->out;
	o->len = u->rec.len = u->changes.len = 0;
	u->tok_start = u->tok_end = 0;
	size_t done = 0, i = 0, cuts[MAX_TOKEN];
	int changed = 0;
#define EMIT_SPACE(at)                                                                \
	do {                                                                          \
		if (kp_buf_add(o, s + done, (at) - done) < 0 || kp_buf_addc(o, ' ') < 0) \
			return KP_ENOMEM;                                             \
		done = (at);                                                          \
		changed = 1;                                                          \
	} while (0)
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (!(byte_class[c] & (B_LO | B_UP))) {
			if (!byte_class[c]) { /* spaces, digits, the rest: nothing to do */
				i++;
				continue;
			}
			if (punct_glued(u, s, len, i)) {
				/* the record: the token around it (known from
				 * punct_glued's address test), at most 40 bytes a side */
				size_t a = u->tok_start + MAX_TOKEN < i ? i - MAX_TOKEN : u->tok_start;
				size_t b = u->tok_end > i + 1 + MAX_TOKEN ? i + 1 + MAX_TOKEN : u->tok_end;
				while (a < i && ((unsigned char)s[a] & 0xC0) == 0x80)
					a++;
				while (b > i + 1 && b < len && ((unsigned char)s[b] & 0xC0) == 0x80)
					b--;
				size_t cut = i + 1;
				if (record(u, s, a, b, &cut, 1, KP_UNGLUE_KIND_PUNCT, 0) < 0)
					return KP_ENOMEM;
				EMIT_SPACE(i + 1);
			}
			i++;
			continue;
		}
		size_t a = i;
		int mixed = 0;
		/* lower case runs fast; a change of case marks a word+Capital
		 * candidate: lower then upper, or two uppers then lower */
		i++;
		for (;;) {
			while (i < len && byte_class[(unsigned char)s[i]] == B_LO)
				i++;
			if (i >= len || byte_class[(unsigned char)s[i]] != B_UP)
				break;
			if (kp_ascii_islower((unsigned char)s[i - 1]))
				mixed = 1;
			size_t u0 = i;
			while (i < len && byte_class[(unsigned char)s[i]] == B_UP)
				i++;
			/* the upper-case run, with the run's first letter ("KPKpada") */
			if (i < len && byte_class[(unsigned char)s[i]] == B_LO && i - u0 + kp_ascii_isupper((unsigned char)s[u0 - 1]) > 1)
				mixed = 1;
		}
		size_t b = i, n = b - a;
		/* a word with an accent, a number, an entity's name: not ours */
		if ((a > 0 && ((unsigned char)s[a - 1] >= 0x80 || kp_ascii_isdigit((unsigned char)s[a - 1]) || s[a - 1] == '&')) ||
		    (b < len && ((unsigned char)s[b] >= 0x80 || kp_ascii_isdigit((unsigned char)s[b]))) || n > MAX_TOKEN)
			continue;
		int ncut = 0, kind = KP_UNGLUE_KIND_CAMEL;
		double score = 0;
		if (mixed)
			ncut = camel(u, s + a, n, cuts, &score);
		if (u->mode == KP_UNGLUE_ALL) {
			/* the lower-case joins inside each part */
			size_t all[MAX_TOKEN], sub[MAX_TOKEN];
			int nall = 0;
			for (int k = 0; k <= ncut; k++) {
				size_t pa = k ? cuts[k - 1] : 0, pb = k < ncut ? cuts[k] : n;
				double sc;
				int ns = segment(u, s + a + pa, pb - pa, sub, &sc);
				if (ns && k == 0 && !ncut)
					kind = KP_UNGLUE_KIND_LOWER;
				if (ns)
					score += sc;
				for (int q = 0; q < ns && nall < MAX_TOKEN; q++)
					all[nall++] = pa + sub[q];
				if (k < ncut && nall < MAX_TOKEN)
					all[nall++] = cuts[k];
			}
			memcpy(cuts, all, (size_t)nall * sizeof *all);
			ncut = nall;
		}
		if (!ncut || in_address(u, s, len, a))
			continue;
		for (int k = 0; k < ncut; k++)
			cuts[k] += a;
		if (record(u, s, a, b, cuts, ncut, kind, score) < 0)
			return KP_ENOMEM;
		for (int k = 0; k < ncut; k++)
			EMIT_SPACE(cuts[k]);
	}
#undef EMIT_SPACE
	if (!changed) {
		*out = s;
		*outlen = len;
		return 0;
	}
	if (kp_buf_add(o, s + done, len - done) < 0)
		return KP_ENOMEM;
	*out = o->p;
	*outlen = o->len;
	return 1;
}
