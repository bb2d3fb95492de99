/* The sentence splitter.
 *
 * Candidates are line ends and runs of '.', '!', '?' and '…' followed by
 * a blank, found eight bytes at a time; closing quotes and brackets after
 * the run stay with its sentence.  A line end always ends a sentence (a
 * blank line also a paragraph).  At a run, the word before it (W) and the
 * token after it (T) decide:
 *
 *   T starts in lower case                       no boundary
 *   W. is a title ("Drs.", "No.", "Jl.", "a.n.")  no boundary
 *   W is an initial ("R.", "K.A.")                boundary only before a word
 *                                                that starts sentences ("Ia")
 *   W. is another abbreviation and T one too      no boundary ("S.H. M.H.")
 *   W is a number opening its line ("1. ")        no boundary (a list)
 *   otherwise                                    boundary
 *
 * '!', '?', '…' and runs of periods end a sentence unless T starts in lower
 * case.  Every decision looks at the two neighbouring tokens only, and each
 * byte is looked at a bounded number of times: linear on any input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/split.h"
#include "korpus/utf8.h"
#include "utf8_int.h"
#include "words_int.h"

/* ---- limits and thresholds --------------------------------------------------
 *
 * The splitter's numbers, named once (as zstd's zstd_internal.h does). */

#define INITIAL_MAX_BYTES 7  /* an initial or a run of them: "K.A.B.C", four capitals at most */
#define ABBREV_RUN_MAX 4     /* letters between the periods of an unlisted abbreviation ("Sp.A.", "M.Kes.") */
#define ABBREV_KEY_MAX 64    /* a word looked up in the abbreviations, with its period (a buffer) */
#define CAPS_TITLE_MAX 16    /* a title written in capitals ("DRS."), in bytes: titles are short */
#define STARTER_MAX 32       /* a word looked up in the sentence starters, in bytes (a buffer) */
#define LIST_NUMBER_DIGITS 3 /* "1. ", "12. ", "100. ": a number opening its line numbers a list */
#define SENTENCES_CAP0 64    /* first allocation of a text's sentences, doubled as it fills */

/* The learner (Punkt, Kiss & Strunk 2006; see "learning" below).  MAX_TYPE
 * bounds its memory, the rest is the test. */
#define MAX_TYPE 12            /* a word type counted: an abbreviation is short */
#define LEARN_SLOTS0 4096      /* first size of the word table (a power of two), doubled at half full */
#define LEARN_OUT_MAX ((size_t)1 << 30) /* the model text written, at most */
#define LEARN_LINE_MAX 512     /* a line of the model text: a comment and an entry (types are short) */
#define PUNKT_MIN_DOTS 3       /* a type seen fewer times with a final period is not judged */
#define PUNKT_P_ABBREV 0.99    /* Punkt's H1: an abbreviation takes its period 99% of the time */
#define PUNKT_P_DEFAULT 0.05   /* the share of words with a final period when the corpus cannot tell (none, or all) */
#define PUNKT_MIN_SCORE 0.3    /* Punkt's threshold on the weighted likelihood ratio */
#define PUNKT_MAX_FINAL 0.1    /* a type this often at a line end or before a starter ends sentences */
#define PUNKT_LOWER_SHARE 0.5  /* a short type that a lower-case word follows this often is an abbreviation ... */
#define PUNKT_LOWER_LETTERS 6  /* ... when it has at most this many letters */
#define PUNKT_TITLE_UPPER 0.95 /* a title ("Drs."): a capital follows it this often, never a line end */
#define FNV64_OFFSET 1469598103934665603ull /* FNV-1a, 64 bits */
#define FNV64_PRIME 1099511628211ull

/* ---- model ------------------------------------------------------------------ */

struct kp_split_model {
	kp_words abbrev;   /* "Dr." -> "t" (title) or "a" (any) */
	kp_words starters; /* lower-case words that open sentences */
	kp_err err;
};

const char *kp_split_builtin(size_t *len)
{
	*len = kp_data_abbrev_id_len;
	return kp_data_abbrev_id;
}

int kp_split_model_add(kp_split_model *m, const char *text, size_t len, const char *name)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	kp_err_clear(&m->err);
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *tab = memchr(line, '\t', ll);
		size_t al = tab ? (size_t)(tab - line) : ll;
		const char *cls = "a";
		if (tab) {
			const char *c = tab + 1, *ce = line + ll;
			while (c < ce && (*c == ' ' || *c == '\t'))
				c++;
			size_t cl = (size_t)(ce - c);
			if (cl == 5 && !memcmp(c, "title", 5))
				cls = "t";
			else if (!(cl == 3 && !memcmp(c, "any", 3)))
				return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: unknown class '%.*s' (title or any)", name,
						  lineno, (int)cl, c);
		}
		if (al < 2 || line[al - 1] != '.' || memchr(line, ' ', al))
			return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: '%.*s' is not an abbreviation ending in '.'",
					  name, lineno, (int)al, line);
		if (kp_utf8_valid_prefix(line, al) != al)
			return kp_err_set(&m->err, KP_EFORMAT, "%s:%zu: invalid UTF-8", name, lineno);
		int rc = kp_words_put(&m->abbrev, line, al, cls, 1);
		if (rc == 1) /* a later file may change the class */
			rc = kp_words_set(&m->abbrev, line, al, cls, 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

kp_split_model *kp_split_model_new(void)
{
	kp_split_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	const char *p = kp_data_sentence_starters_id, *end = p + kp_data_sentence_starters_id_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno))
		if (kp_words_add(&m->starters, line, ll) < 0)
			goto fail;
	if (kp_split_model_add(m, kp_data_abbrev_id, kp_data_abbrev_id_len, "abbrev-id.txt") < 0)
		goto fail;
	return m;
fail:
	kp_split_model_free(m);
	return NULL;
}

const char *kp_split_model_errmsg(const kp_split_model *m)
{
	return m->err.msg;
}

void kp_split_model_free(kp_split_model *m)
{
	if (!m)
		return;
	kp_words_free(&m->abbrev);
	kp_words_free(&m->starters);
	free(m);
}

/* ---- characters ------------------------------------------------------------- */

/* ASCII white space but the line break */
static int is_blank(unsigned char c) { return c != '\n' && kp_ascii_isspace(c); }

/* Length of a closing quote or bracket at s (0 if none): " ' ) ] } ” ’ ». */
static size_t closer_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')
		return 1;
	if (len >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0x99))
		return 3;
	if (len >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xBB)
		return 2;
	return 0;
}

/* Length of an opening quote or bracket at s (0 if none): " ' ( [ { “ ‘ «. */
static size_t opener_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '"' || c == '\'' || c == '(' || c == '[' || c == '{')
		return 1;
	if (len >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x98))
		return 3;
	if (len >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xAB)
		return 2;
	return 0;
}

/* Length of a sentence-final mark at s: '.', '!', '?' or '…' (0 if none). */
static size_t final_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	if (c == '.' || c == '!' || c == '?')
		return 1;
	if (len >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xA6)
		return 3;
	return 0;
}

/* The case of the letter at s: 'l', 'u', 'd' (digit), or 'o' (other). */
static int letter_case(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80)
		return kp_ascii_islower(c) ? 'l' : kp_ascii_isupper(c) ? 'u' : kp_ascii_isdigit(c) ? 'd' : 'o';
	int32_t cp;
	kp_utf8_decode(s, len, &cp);
	if (cp < 0)
		return 'o';
	if (u_islower(cp))
		return 'l';
	if (u_isupper(cp) || u_istitle(cp))
		return 'u';
	return u_isdigit(cp) ? 'd' : 'o';
}

/* ---- splitter --------------------------------------------------------------- */

struct sentence {
	size_t off, len;
	int paragraph;
};

struct kp_split {
	const kp_split_model *m;
	struct sentence *sent;
	size_t n, cap;
	size_t start;  /* of the open sentence, or (size_t)-1 */
	int paragraph; /* the next sentence starts a paragraph */
};

kp_split *kp_split_new(const kp_split_model *m)
{
	kp_split *s = calloc(1, sizeof *s);
	if (s)
		s->m = m;
	return s;
}

void kp_split_free(kp_split *s)
{
	if (!s)
		return;
	free(s->sent);
	free(s);
}

void kp_split_sentence(const kp_split *s, size_t i, size_t *off, size_t *len, int *paragraph)
{
	*off = s->sent[i].off;
	*len = s->sent[i].len;
	*paragraph = s->sent[i].paragraph;
}

/* Close the open sentence at end (blanks before it trimmed). */
static int close_sentence(kp_split *s, const char *text, size_t end)
{
	if (s->start == (size_t)-1)
		return 0;
	while (end > s->start && kp_ascii_isspace((unsigned char)text[end - 1]))
		end--;
	if (end > s->start) {
		struct sentence *ns = kp_grow_array(s->sent, &s->cap, s->n + 1, sizeof *ns, SENTENCES_CAP0);
		if (!ns)
			return KP_ENOMEM;
		s->sent = ns;
		s->sent[s->n++] = (struct sentence){s->start, end - s->start, s->paragraph && s->n > 0};
		s->paragraph = 0;
	}
	s->start = (size_t)-1;
	return 0;
}

/* Is W (the word before a single period, openers stripped) an initial:
 * one capital letter, or capitals joined by periods ("K.A")? */
static int is_initial(const char *w, size_t n)
{
	if (!n || n > INITIAL_MAX_BYTES)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(i % 2 == 0 ? kp_ascii_isupper((unsigned char)w[i]) : w[i] == '.'))
			return 0;
	return n % 2 == 1;
}

/* The abbreviation class of W + "." ('t', 'a') or 0. */
static int abbrev_class(const kp_split_model *m, const char *w, size_t n)
{
	char key[ABBREV_KEY_MAX];
	if (!n || n + 1 > sizeof key)
		return 0;
	memcpy(key, w, n);
	key[n] = '.';
	size_t vl;
	const char *v = kp_words_get(&m->abbrev, key, n + 1, &vl);
	return v ? v[0] : 0;
}

/* Does the token at t (up to the next blank) read as an abbreviation or
 * initial: listed, or letters with a period inside or at its end and at
 * most ABBREV_RUN_MAX letters between periods ("M.H.", "Sp.A.")? */
static int token_is_abbrev(const kp_split_model *m, const char *t, size_t len)
{
	size_t n = 0;
	while (n < len && !kp_ascii_isspace((unsigned char)t[n]))
		n++;
	while (n > 0 && (t[n - 1] == ',' || t[n - 1] == ';' || t[n - 1] == ':'))
		n--;
	if (n < 2 || t[n - 1] != '.')
		return 0;
	if (abbrev_class(m, t, n - 1))
		return 1;
	size_t run = 0, dots = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if (c == '.') {
			if (!run)
				return 0;
			run = 0;
			dots++;
		} else if (kp_ascii_isupper(c) || kp_ascii_islower(c)) {
			if (++run > ABBREV_RUN_MAX)
				return 0;
		} else {
			return 0;
		}
	}
	return dots >= 2 || (n == 2 && kp_ascii_isupper((unsigned char)t[0]));
}

/* Does the word at t start sentences ("Ia", "Namun")? */
static int is_starter(const kp_split_model *m, const char *t, size_t len)
{
	char low[STARTER_MAX];
	size_t n = 0;
	while (n < len && n < sizeof low && (kp_ascii_isupper((unsigned char)t[n]) || kp_ascii_islower((unsigned char)t[n]))) {
		low[n] = (char)(t[n] | 0x20);
		n++;
	}
	if (n == sizeof low || (n < len && (unsigned char)t[n] >= 0x80))
		return 0;
	return kp_words_has(&m->starters, low, n);
}

/* The decision at a run of final marks text[p..q) followed by blanks, then
 * the token at t.  w..p is the word before the run. */
static int boundary(const kp_split *s, const char *text, size_t len, size_t w, size_t p, size_t q, size_t t)
{
	/* T: after its opening quotes and brackets */
	size_t tl = t;
	for (size_t k; tl < len && (k = opener_len(text + tl, len - tl)) != 0;)
		tl += k;
	if (tl >= len)
		return 1;
	int tc = letter_case(text + tl, len - tl);
	if (tc == 'l')
		return 0;
	if (q - p != 1 || text[p] != '.')
		return 1; /* '!', '?', '…', "..." */
	/* W: after its opening quotes and brackets */
	for (size_t k; w < p && (k = opener_len(text + w, p - w)) != 0;)
		w += k;
	size_t wl = p - w;
	if (!wl)
		return 1;
	const kp_split_model *m = s->m;
	int cls = abbrev_class(m, text + w, wl);
	if (!cls && wl >= 2 && wl < CAPS_TITLE_MAX && kp_ascii_isupper((unsigned char)text[w])) {
		/* "JL." for "Jl.", "DRS." for "Drs.": a title in capitals */
		char tc2[CAPS_TITLE_MAX];
		tc2[0] = text[w];
		for (size_t k = 1; k < wl; k++)
			tc2[k] = kp_ascii_isupper((unsigned char)text[w + k]) ? (char)(text[w + k] | 0x20) : text[w + k];
		if (abbrev_class(m, tc2, wl) == 't')
			cls = 't';
	}
	if (cls == 't')
		return 0;
	/* "Tbk. (BBNI)", "Pte. Ltd. (SPA)": a bracket after an abbreviation
	 * names what it abbreviates */
	if (cls && text[t] == '(')
		return 0;
	if (is_initial(text + w, wl))
		return tc == 'u' && is_starter(m, text + tl, len - tl);
	if (cls == 'a' && t == tl && token_is_abbrev(m, text + t, len - t))
		return 0;
	/* "1. Pertama": a number opening its sentence numbers a list */
	if (w == s->start && wl <= LIST_NUMBER_DIGITS) {
		size_t k = 0;
		while (k < wl && kp_ascii_isdigit((unsigned char)text[w + k]))
			k++;
		if (k == wl)
			return 0;
	}
	return 1;
}

/* The next byte at or after i that may end a sentence: '.', '!', '?',
 * '\n', or the lead byte 0xE2 of '…'; len if none. */
static size_t next_candidate(const char *text, size_t len, size_t i)
{
	for (; i + 8 <= len; i += 8) {
		uint64_t x = kp_load64(text + i);
		uint64_t m = kp_swar_eq(x, '.') | kp_swar_eq(x, '!') | kp_swar_eq(x, '?') | kp_swar_eq(x, '\n') |
			     kp_swar_eq(x, 0xE2);
		if (m)
			return i + kp_swar_first(m);
	}
	for (; i < len; i++) {
		char c = text[i];
		if (c == '.' || c == '!' || c == '?' || c == '\n' || (unsigned char)c == 0xE2)
			return i;
	}
	return len;
}

/* Open a sentence at the first non-blank of text[i..e), if none is open. */
static void open_sentence(kp_split *s, const char *text, size_t i, size_t e)
{
	if (s->start != (size_t)-1)
		return;
	while (i < e && kp_ascii_isspace((unsigned char)text[i]))
		i++;
	if (i < e)
		s->start = i;
}

long kp_split_run(kp_split *s, const char *text, size_t len)
{
	s->n = 0;
	s->start = (size_t)-1;
	s->paragraph = 0;
	size_t i = 0;
	while (i < len) {
		size_t c = next_candidate(text, len, i);
		/* the candidate itself is text, unless a line end */
		open_sentence(s, text, i, c < len && text[c] != '\n' ? c + 1 : c);
		if (c >= len)
			break;
		if (text[c] == '\n') {
			if (close_sentence(s, text, c) < 0)
				return KP_ENOMEM;
			/* a blank line ends the paragraph */
			size_t k = c + 1;
			while (k < len && kp_ascii_isspace((unsigned char)text[k])) {
				if (text[k] == '\n')
					s->paragraph = 1;
				k++;
			}
			i = k;
			continue;
		}
		size_t f = final_len(text + c, len - c);
		if (!f) { /* another character starting with 0xE2 */
			i = c + 1;
			continue;
		}
		/* the run of marks, then closing quotes and brackets */
		size_t q = c + f, k;
		while (q < len && (k = final_len(text + q, len - q)) != 0)
			q += k;
		size_t e = q;
		while (e < len && (k = closer_len(text + e, len - e)) != 0)
			e += k;
		if (e < len && !is_blank((unsigned char)text[e])) {
			i = e > c + 1 ? e : c + 1; /* inside a token: "Kompas.com", "1.250" */
			continue;
		}
		size_t t = e;
		while (t < len && is_blank((unsigned char)text[t]))
			t++;
		if (t < len && text[t] != '\n' && s->start != (size_t)-1) {
			size_t w = c;
			while (w > s->start && !kp_ascii_isspace((unsigned char)text[w - 1]))
				w--;
			if (boundary(s, text, len, w, c, q, t)) {
				if (close_sentence(s, text, e) < 0)
					return KP_ENOMEM;
			}
		}
		i = t;
	}
	if (close_sentence(s, text, len) < 0)
		return KP_ENOMEM;
	return (long)s->n;
}

/* ---- learning --------------------------------------------------------------- *
 *
 * After Punkt (Kiss & Strunk 2006, "Unsupervised Multilingual Sentence
 * Boundary Detection"): a word type is an abbreviation when it comes with a
 * final period far more often than words do, weighed by its length and
 * inner periods and penalised by its occurrences without one; a period
 * that a lower-case word follows is evidence too, since it almost never
 * ends a sentence.  Only words of up to MAX_TYPE bytes are counted (an
 * abbreviation is short), which bounds the learner's memory by the number
 * of distinct short words. */


struct wcount {
	char *key;
	uint32_t klen;
	uint64_t dot, nodot, next_lower, next_upper, next_starter, line_end;
};

struct kp_split_learner {
	const kp_split_model *m;
	struct wcount *slot;
	size_t cap, n;
	uint64_t tokens, dotted;
	kp_buf out;
};

kp_split_learner *kp_split_learner_new(const kp_split_model *m)
{
	kp_split_learner *l = calloc(1, sizeof *l);
	if (l) {
		l->m = m;
		kp_buf_init(&l->out, LEARN_OUT_MAX);
	}
	return l;
}

void kp_split_learner_free(kp_split_learner *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->cap; i++)
		free(l->slot[i].key);
	free(l->slot);
	kp_buf_free(&l->out);
	free(l);
}

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = FNV64_OFFSET;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV64_PRIME;
	return h;
}

static struct wcount *wc_get(kp_split_learner *l, const char *k, size_t n)
{
	if ((l->n + 1) * 2 > l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : LEARN_SLOTS0;
		struct wcount *ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return NULL;
		for (size_t i = 0; i < l->cap; i++)
			if (l->slot[i].key) {
				size_t h = hash_str(l->slot[i].key, l->slot[i].klen) & (ncap - 1);
				while (ns[h].key)
					h = (h + 1) & (ncap - 1);
				ns[h] = l->slot[i];
			}
		free(l->slot);
		l->slot = ns;
		l->cap = ncap;
	}
	size_t h = hash_str(k, n) & (l->cap - 1);
	while (l->slot[h].key && !(l->slot[h].klen == n && memcmp(l->slot[h].key, k, n) == 0))
		h = (h + 1) & (l->cap - 1);
	if (!l->slot[h].key) {
		char *key = malloc(n + 1);
		if (!key)
			return NULL;
		memcpy(key, k, n);
		key[n] = '\0';
		l->slot[h].key = key;
		l->slot[h].klen = (uint32_t)n;
		l->n++;
	}
	return &l->slot[h];
}

int kp_split_learner_add(kp_split_learner *l, const char *text, size_t len)
{
	struct wcount *prev = NULL; /* a word with a final period, waiting for what follows */
	size_t i = 0;
	while (i < len) {
		while (i < len && is_blank((unsigned char)text[i]))
			i++;
		if (i < len && text[i] == '\n') {
			if (prev)
				prev->line_end++;
			prev = NULL;
			i++;
			continue;
		}
		size_t a = i;
		while (i < len && !kp_ascii_isspace((unsigned char)text[i]))
			i++;
		if (a == i)
			break;
		/* the token text[a..i): openers off the front, closers and
		 * commas off the back */
		size_t w = a, e = i, k;
		while (w < e && (k = opener_len(text + w, e - w)) != 0)
			w += k;
		if (prev) {
			int tc = w < e ? letter_case(text + w, e - w) : 'o';
			if (tc == 'l')
				prev->next_lower++;
			else if (tc == 'u') {
				prev->next_upper++;
				if (is_starter(l->m, text + w, e - w))
					prev->next_starter++;
			}
			prev = NULL;
		}
		l->tokens++;
		int dotted = e - w >= 2 && text[e - 1] == '.' && text[e - 2] != '.';
		if (dotted)
			e--;
		else
			while (e > w && strchr(",;:!?\")]'", text[e - 1]))
				e--;
		size_t n = e - w;
		if (!n || n > MAX_TYPE)
			continue;
		/* words: letters, with inner periods or hyphens */
		int letters = 0, ok = 1;
		for (size_t q = w; q < e && ok; q++) {
			unsigned char c = (unsigned char)text[q];
			if (kp_ascii_isupper(c) || kp_ascii_islower(c) || c >= 0x80)
				letters++;
			else if (!(c == '.' || c == '-'))
				ok = 0;
		}
		if (!ok || !letters)
			continue;
		struct wcount *wc = wc_get(l, text + w, n);
		if (!wc)
			return KP_ENOMEM;
		if (dotted) {
			wc->dot++;
			l->dotted++;
			prev = wc;
		} else {
			wc->nodot++;
		}
	}
	if (prev)
		prev->line_end++;
	return 0;
}

/* log L(k; n, p), the binomial log-likelihood without the constant. */
static double log_l(double k, double n, double p)
{
	return k * log(p) + (n - k) * log(1.0 - p);
}

struct scored {
	const struct wcount *w;
	double score;
	int cls;
};

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->w->key, y->w->key);
}

int kp_split_learner_model(kp_split_learner *l, const char **out, size_t *outlen)
{
	struct scored *list = calloc(l->n ? l->n : 1, sizeof *list);
	if (!list)
		return KP_ENOMEM;
	size_t nl = 0;
	double p0 = l->tokens ? (double)l->dotted / (double)l->tokens : 0.0;
	if (p0 <= 0.0 || p0 >= PUNKT_P_ABBREV)
		p0 = PUNKT_P_DEFAULT;
	for (size_t i = 0; i < l->cap; i++) {
		const struct wcount *w = &l->slot[i];
		if (!w->key || w->dot < PUNKT_MIN_DOTS)
			continue;
		if (is_initial(w->key, w->klen) || abbrev_class(l->m, w->key, w->klen))
			continue;
		size_t letters = 0, periods = 0;
		for (size_t q = 0; q < w->klen; q++)
			if (w->key[q] == '.')
				periods++;
			else
				letters++;
		double k = (double)w->dot, n = (double)(w->dot + w->nodot);
		double ll = -2.0 * (log_l(k, n, p0) - log_l(k, n, PUNKT_P_ABBREV));
		if (k / n < p0)
			ll = 0.0;
		double score = ll * exp(-(double)letters) * (double)(periods + 1) * pow((double)letters, -(double)w->nodot);
		/* a lower-case word after the period is evidence for an
		 * abbreviation; a line end or a word that opens sentences after
		 * it, evidence against (a repetitive corpus shows some words
		 * only at the end of sentences); a capitalised acronym with a
		 * period is taken to end its sentence */
		double lower_share = (double)w->next_lower / k;
		double final_share = (double)(w->line_end + w->next_starter) / k;
		int acronym = !periods && letters >= 2;
		for (size_t q = 0; q < w->klen && acronym; q++)
			acronym = kp_ascii_isupper((unsigned char)w->key[q]);
		if (!(lower_share >= PUNKT_LOWER_SHARE && letters <= PUNKT_LOWER_LETTERS) &&
		    (score < PUNKT_MIN_SCORE || final_share >= PUNKT_MAX_FINAL || acronym))
			continue;
		double followed = (double)(w->next_lower + w->next_upper);
		int title = w->line_end == 0 && followed > 0 && (double)w->next_upper / followed >= PUNKT_TITLE_UPPER &&
			    w->next_starter == 0;
		list[nl++] = (struct scored){w, score, title ? 't' : 'a'};
	}
	qsort(list, nl, sizeof *list, by_score);
	kp_buf *b = &l->out;
	b->len = 0;
	char line[LEARN_LINE_MAX];
	int rc = 0;
	int hn = snprintf(line, sizeof line,
			  "# Abbreviations learned by korpus-split --learn from %llu words, %llu with a final period.\n"
			  "# Format: abbreviation<TAB>class (title: never ends a sentence; any: may).\n",
			  (unsigned long long)l->tokens, (unsigned long long)l->dotted);
	rc |= kp_buf_add(b, line, (size_t)hn);
	for (size_t i = 0; i < nl && rc == 0; i++) {
		const struct wcount *w = list[i].w;
		int n = snprintf(line, sizeof line,
				 "# %s: %llu with a period, %llu without; then %llu lower-case, %llu capitalised, "
				 "%llu line ends; score %.2f\n%s.\t%s\n",
				 w->key, (unsigned long long)w->dot, (unsigned long long)w->nodot,
				 (unsigned long long)w->next_lower, (unsigned long long)w->next_upper,
				 (unsigned long long)w->line_end, list[i].score, w->key,
				 list[i].cls == 't' ? "title" : "any");
		rc |= kp_buf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	}
	free(list);
	if (rc < 0 || kp_buf_addc(b, '\0') < 0)
		return KP_ENOMEM;
	b->len--; /* NUL-terminated, for callers that want a string */
	*out = b->p;
	*outlen = b->len;
	return 0;
}
