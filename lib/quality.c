/* Quality signals and rules: see korpus/quality.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "data_int.h"
#include "internal.h"
#include "korpus/quality.h"
#include "u64map_int.h"
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

struct kp_quality_rules {
	struct rule rule[MAX_RULES];
	int n;
	kp_words stopwords;
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
	const char *p = kp_data_stopwords_id, *end = p + kp_data_stopwords_id_len, *line;
	size_t ll, lineno = 0;
	int ok = 1;
	while (ok && kp_data_next_line(&p, end, &line, &ll, &lineno))
		ok = kp_words_add(&r->stopwords, line, ll) == 0;
	if (!ok || kp_quality_rules_add(r, kp_data_quality_rules, kp_data_quality_rules_len, "quality-rules.txt") < 0) {
		kp_quality_rules_free(r);
		return NULL;
	}
	return r;
}

void kp_quality_rules_free(kp_quality_rules *r)
{
	if (!r)
		return;
	kp_words_free(&r->stopwords);
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

struct kp_quality {
	const kp_quality_rules *r;
	struct word *w;
	size_t nw, wcap;
	unsigned char *dup; /* per word: inside a repeated n-gram */
	kp_u64map counts;
};

kp_quality *kp_quality_new(const kp_quality_rules *r)
{
	kp_quality *q = calloc(1, sizeof *q);
	if (q)
		q->r = r;
	return q;
}

void kp_quality_free(kp_quality *q)
{
	if (!q)
		return;
	free(q->w);
	free(q->dup);
	kp_u64map_free(&q->counts);
	free(q);
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
		return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') ? 0 : 1;
	if (c == 0xC2 && i + 1 < n && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF)
		return 2;
	if (c == 0xE2 && i + 2 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
		return 3;
	return 0;
}

static int add_word(kp_quality *q, const unsigned char *s, size_t b, size_t e, double sig[KP_Q_NSIGNALS])
{
	if (q->nw == q->wcap) {
		size_t nc = q->wcap ? 2 * q->wcap : 1024;
		struct word *nw = realloc(q->w, nc * sizeof *nw);
		if (!nw)
			return KP_ENOMEM;
		q->w = nw;
		q->wcap = nc;
	}
	char low[64];
	size_t l = e - b, chars = 0;
	int alpha = 0, upper = 0, lower = 0;
	for (size_t i = b; i < e; i++) {
		unsigned char c = s[i];
		chars += is_lead(c);
		alpha |= (c | 32) >= 'a' && (c | 32) <= 'z';
		alpha |= c >= 0xC3; /* a letter with a mark */
		upper += c >= 'A' && c <= 'Z';
		lower += c >= 'a' && c <= 'z';
		if (i - b < sizeof low)
			low[i - b] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	sig[KP_Q_ALPHA_WORDS] += alpha;
	sig[KP_Q_UPPER_WORDS] += upper >= 2 && !lower;
	if (l <= sizeof low && kp_words_has(&q->r->stopwords, low, l))
		sig[KP_Q_STOPWORDS]++;
	q->w[q->nw].hash = XXH3_64bits(low, l <= sizeof low ? l : sizeof low) ^ (uint64_t)l;
	q->w[q->nw].chars = (uint32_t)chars;
	q->nw++;
	return 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Line signals of s[b, e) (trimmed, not empty); hash for repeats. */
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

/* The hash of the n words from word i. */
static uint64_t ngram_hash(const kp_quality *q, size_t i, int n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)n;
	for (int k = 0; k < n; k++)
		h = (h ^ q->w[i + (size_t)k].hash) * 0x100000001B3ull;
	return h ? h : 1;
}

/* The share of word characters in the most frequent n-gram (n >= 2) when
 * it occurs more than once, times its count. */
static int top_ngram(kp_quality *q, int n, double total_chars, double *out)
{
	*out = 0;
	if (q->nw < (size_t)n || total_chars <= 0)
		return 0;
	kp_u64map_clear(&q->counts);
	uint64_t best = 0;
	size_t best_i = 0, m = q->nw - (size_t)n + 1;
	for (size_t i = 0; i < m; i++) {
		uint64_t c = kp_u64map_inc(&q->counts, ngram_hash(q, i, n));
		if (!c)
			return KP_ENOMEM;
		if (c > best) {
			best = c;
			best_i = i;
		}
	}
	if (best < 2)
		return 0;
	double ch = 0;
	for (int k = 0; k < n; k++)
		ch += q->w[best_i + (size_t)k].chars;
	*out = ch * (double)best / total_chars;
	return 0;
}

/* The share of word characters inside n-grams that occur more than once. */
static int dup_ngrams(kp_quality *q, int n, double total_chars, double *out)
{
	*out = 0;
	if (q->nw < (size_t)n || total_chars <= 0)
		return 0;
	kp_u64map_clear(&q->counts);
	size_t m = q->nw - (size_t)n + 1;
	int any = 0;
	for (size_t i = 0; i < m; i++) {
		uint64_t c = kp_u64map_inc(&q->counts, ngram_hash(q, i, n));
		if (!c)
			return KP_ENOMEM;
		any |= c > 1;
	}
	if (!any)
		return 0;
	memset(q->dup, 0, q->nw);
	for (size_t i = 0; i < m; i++)
		if (kp_u64map_get(&q->counts, ngram_hash(q, i, n)) > 1)
			memset(q->dup + i, 1, (size_t)n);
	double ch = 0;
	for (size_t i = 0; i < q->nw; i++)
		ch += q->dup[i] ? q->w[i].chars : 0;
	*out = ch / total_chars;
	return 0;
}

int kp_quality_measure(kp_quality *q, const char *text, size_t n, double sig[KP_Q_NSIGNALS])
{
	const unsigned char *s = (const unsigned char *)text;
	memset(sig, 0, KP_Q_NSIGNALS * sizeof *sig);
	q->nw = 0;
	double word_chars = 0, symbols = 0, dup_lines = 0, dup_line_chars = 0, line_chars = 0;
	kp_u64map_clear(&q->counts);
	for (size_t i = 0; i < n;) {
		/* a line: its words, then its own signals */
		size_t le = i;
		while (le < n && s[le] != '\n')
			le++;
		size_t b = i, e = le;
		while (b < e && is_space(s[b]))
			b++;
		while (e > b && is_space(s[e - 1]))
			e--;
		for (size_t p = b; p < e;) {
			size_t k = nonword_len(s, e, p);
			if (k) {
				symbols += s[p] == '#' || (k == 3 && s[p + 1] == 0x80 && s[p + 2] == 0xA6) ||
					   (p + 3 <= e && !memcmp(s + p, "...", 3));
				if (p + 3 <= e && !memcmp(s + p, "...", 3))
					k = 3;
				sig[KP_Q_CURLY_BRACES] += s[p] == '{' || s[p] == '}';
				p += k;
				continue;
			}
			size_t wb = p;
			while (p < e && !nonword_len(s, e, p))
				p++;
			if (add_word(q, s, wb, p, sig) < 0)
				return KP_ENOMEM;
			word_chars += q->w[q->nw - 1].chars;
		}
		if (e > b) {
			size_t chars;
			line_signals(s, b, e, sig, &chars);
			line_chars += (double)chars;
			uint64_t h = XXH3_64bits(s + b, e - b);
			if (kp_u64map_get(&q->counts, h ? h : 1)) {
				dup_lines++;
				dup_line_chars += (double)chars;
			}
			if (kp_u64map_add(&q->counts, h ? h : 1, 1, 0) < 0)
				return KP_ENOMEM;
		}
		i = le + 1;
	}
	/* "lorem ipsum", any case */
	for (size_t i = 0; i + 11 <= n; i++)
		if ((s[i] | 32) == 'l' && !strncasecmp(text + i, "lorem ipsum", 11))
			sig[KP_Q_LOREM_IPSUM]++;
	double words = (double)q->nw, lines = sig[KP_Q_LINES];
	sig[KP_Q_WORDS] = words;
	sig[KP_Q_MEAN_WORD_LENGTH] = words ? word_chars / words : 0;
	sig[KP_Q_SYMBOL_RATIO] = words ? symbols / words : 0;
	sig[KP_Q_ALPHA_WORDS] = words ? sig[KP_Q_ALPHA_WORDS] / words : 0;
	sig[KP_Q_UPPER_WORDS] = words ? sig[KP_Q_UPPER_WORDS] / words : 0;
	/* the shares of lines say something of a page's layout from a few
	 * lines on; below, they are neutral */
	static const int per_line[] = {KP_Q_LINES_END_PUNCT, KP_Q_SHORT_LINES, KP_Q_BULLET_LINES, KP_Q_ELLIPSIS_LINES};
	for (size_t k = 0; k < sizeof per_line / sizeof per_line[0]; k++)
		sig[per_line[k]] = lines >= MIN_LAYOUT_LINES ? sig[per_line[k]] / lines : per_line[k] == KP_Q_LINES_END_PUNCT;
	sig[KP_Q_DUP_LINES] = lines ? dup_lines / lines : 0;
	sig[KP_Q_DUP_LINE_CHARS] = line_chars ? dup_line_chars / line_chars : 0;
	if (q->nw) {
		unsigned char *d = realloc(q->dup, q->nw);
		if (!d)
			return KP_ENOMEM;
		q->dup = d;
	}
	for (int g = 2; g <= 4; g++)
		if (top_ngram(q, g, word_chars, &sig[KP_Q_TOP_2GRAM + g - 2]) < 0)
			return KP_ENOMEM;
	/* a word inside a repeated longer n-gram is inside repeated 5-grams:
	 * with none of those, none longer (most articles) */
	for (int g = 5; g <= 10; g++) {
		if (g > 5 && sig[KP_Q_DUP_5GRAM] == 0)
			break;
		if (dup_ngrams(q, g, word_chars, &sig[KP_Q_DUP_5GRAM + g - 5]) < 0)
			return KP_ENOMEM;
	}
	return 0;
}
