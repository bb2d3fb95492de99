/* Rule patterns: a recursive-descent compiler to a small instruction set,
 * and a Pike VM that runs all threads in lock step over the code points of
 * the text.  Thread order is priority order, which gives leftmost-first
 * matching with lazy '*' and greedy classes, in O(text * program) time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "korpus/utf8.h"
#include "pattern_int.h"

enum op { I_CHAR, I_CLASS, I_ANY, I_SPLIT, I_JMP, I_SAVE, I_MATCH, I_WORDEND };

enum cls { C_WS, C_WORD, C_UPPER, C_UWORD, C_LWORD, C_LTEXT, C_DIGIT, C_NUM, C_DASH, C_DOM, C_NONSPACE };

typedef struct inst {
	uint8_t op, cls;
	int32_t ch;   /* I_CHAR: lower-cased code point */
	int32_t x, y; /* jump targets; I_SAVE: slot in x */
} inst;

struct kp_pattern {
	inst *prog;
	int n, cap;
	int ncaps;
	char *capnames[KP_PATTERN_MAXCAP];
	char prefix[32];
	size_t prefixlen;
	char required[32]; /* a literal every match contains (lower case) */
	size_t requiredlen;
	char suffix[32];   /* a literal every match ends with (lower case) */
	size_t suffixlen;
	uint64_t first[4]; /* bytes a match can start with (ASCII folded) */
	size_t maxlen;     /* most code points a match can take, SIZE_MAX: unbounded */
	int has_bigrams;   /* bigram[] filters the first two bytes */
	uint64_t bigram[64]; /* 4096 bits: (b0 & 63) << 6 | (b1 & 63), ASCII folded */
};

/* ---- character classes -------------------------------------------------- */

int kp_is_space_cp(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

int kp_is_dash_cp(int32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

static int is_digit(int32_t c)
{
	return (uint32_t)c < 256 && kp_ascii_isdigit((unsigned char)c);
}

static int in_class(int cls, int32_t c)
{
	switch (cls) {
	case C_WS: return kp_is_space_cp(c);
	case C_WORD: return kp_is_letter_cp(c) || is_digit(c) || c == '-' || c == '\'' || c == 0x2019;
	case C_UPPER: return kp_is_upper_cp(c);
	case C_UWORD: return kp_is_upper_cp(c) || is_digit(c) || c == '-' || c == '.' || c == '&' || c == '\'';
	case C_LWORD: return kp_is_lower_cp(c) || is_digit(c) || c == '-' || c == '\'' || c == 0x2019;
	case C_LTEXT: return in_class(C_LWORD, c) || kp_is_space_cp(c);
	case C_DIGIT: return is_digit(c);
	case C_NUM: return is_digit(c) || c == '.' || c == ',' || c == '/' || c == ':';
	case C_DASH: return kp_is_dash_cp(c);
	case C_DOM: return kp_is_letter_cp(c) || is_digit(c) || c == '-';
	case C_NONSPACE: return !kp_is_space_cp(c);
	}
	return 0;
}

static int32_t fold(int32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	return c;
}

/* ---- compiler ------------------------------------------------------------- */

typedef struct comp {
	kp_pattern *p;
	const char *s, *end;
	kp_pattern_lists lists;
	void *ctx;
	char *err;
	size_t errsz;
	int failed;
	int depth;
	int nest;          /* inside a group or capture: literals are not required */
	char run[32];      /* the current run of mandatory top-level literals */
	size_t runlen;
	char lastrun[32];  /* the run closed last, if it ended the pattern */
	size_t lastrunlen;
	size_t atommax, seqmax; /* most non-space code points of the last atom / alternation */
} comp;

#define UNBOUNDED SIZE_MAX

static size_t add_max(size_t a, size_t b)
{
	return a == UNBOUNDED || b == UNBOUNDED ? UNBOUNDED : a + b;
}

static int fail(comp *c, const char *msg)
{
	if (!c->failed) {
		snprintf(c->err, c->errsz, "%s at '%.20s'", msg, c->s < c->end ? c->s : "(end)");
		c->failed = 1;
	}
	return -1;
}

static int emit(comp *c, int op, int cls, int32_t ch, int32_t x, int32_t y)
{
	kp_pattern *p = c->p;
	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 64;
		if (ncap > 1 << 16)
			return fail(c, "pattern too large");
		inst *np = realloc(p->prog, (size_t)ncap * sizeof *np);
		if (!np)
			return fail(c, "out of memory");
		p->prog = np;
		p->cap = ncap;
	}
	p->prog[p->n] = (inst){(uint8_t)op, (uint8_t)cls, ch, x, y};
	return p->n++;
}

/* class+ (greedy) */
static void emit_plus(comp *c, int cls)
{
	int l = emit(c, I_CLASS, cls, 0, 0, 0);
	emit(c, I_SPLIT, 0, 0, l, c->p->n + 1);
}

/* class* (greedy) */
static void emit_star(comp *c, int cls)
{
	int l = emit(c, I_SPLIT, 0, 0, 0, 0);
	emit(c, I_CLASS, cls, 0, 0, 0);
	emit(c, I_JMP, 0, 0, l, 0);
	c->p->prog[l].x = l + 1;
	c->p->prog[l].y = c->p->n;
}

static void emit_literal(comp *c, const char *w)
{
	while (*w) {
		int32_t cp;
		size_t k = kp_utf8_decode(w, strlen(w), &cp);
		emit(c, I_CHAR, 0, fold(cp), 0, 0);
		w += k;
	}
}

/* Alternation of literal words followed by a word end. */
static int emit_words(comp *c, const char *const *words, size_t n)
{
	int *jumps = calloc(n ? n : 1, sizeof *jumps);
	if (!jumps)
		return fail(c, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int split = -1;
		if (i + 1 < n)
			split = emit(c, I_SPLIT, 0, 0, 0, 0);
		if (split >= 0)
			c->p->prog[split].x = c->p->n;
		emit_literal(c, words[i]);
		jumps[i] = emit(c, I_JMP, 0, 0, 0, 0);
		if (split >= 0)
			c->p->prog[split].y = c->p->n;
	}
	for (size_t i = 0; i < n; i++)
		c->p->prog[jumps[i]].x = c->p->n;
	free(jumps);
	emit(c, I_WORDEND, 0, 0, 0, 0);
	return 0;
}

static int named_class(comp *c, const char *name, size_t len)
{
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
	/* spaces count nothing; word lists their longest word; the rest loop */
	c->atommax = IS("sp") || IS("space") ? 0 : UNBOUNDED;
	if (IS("sp"))
		emit_star(c, C_WS);
	else if (IS("space"))
		emit_plus(c, C_WS);
	else if (IS("w"))
		emit_plus(c, C_WORD);
	else if (IS("W")) {
		emit(c, I_CLASS, C_UPPER, 0, 0, 0);
		emit_star(c, C_WORD);
	} else if (IS("U")) {
		emit(c, I_CLASS, C_UPPER, 0, 0, 0);
		emit_star(c, C_UWORD);
	} else if (IS("l")) {
		emit_plus(c, C_LWORD);
	} else if (IS("lower")) {
		emit(c, I_CLASS, C_LWORD, 0, 0, 0);
		emit_star(c, C_LTEXT);
	} else if (IS("n")) {
		emit(c, I_CLASS, C_DIGIT, 0, 0, 0);
		emit_star(c, C_NUM);
	} else if (IS("dash"))
		emit_plus(c, C_DASH);
	else if (IS("dom")) {
		/* label ( '.' label )+ */
		emit_plus(c, C_DOM);
		int l = emit(c, I_CHAR, 0, '.', 0, 0);
		emit_plus(c, C_DOM);
		emit(c, I_SPLIT, 0, 0, l, c->p->n + 1);
	} else if (IS("url")) {
		int split = emit(c, I_SPLIT, 0, 0, 0, 0);
		c->p->prog[split].x = c->p->n;
		emit_literal(c, "http");
		int s2 = emit(c, I_SPLIT, 0, 0, 0, 0); /* 's'? */
		c->p->prog[s2].x = c->p->n;
		emit(c, I_CHAR, 0, 's', 0, 0);
		c->p->prog[s2].y = c->p->n;
		emit_literal(c, "://");
		int j = emit(c, I_JMP, 0, 0, 0, 0);
		c->p->prog[split].y = c->p->n;
		emit_literal(c, "www.");
		c->p->prog[j].x = c->p->n;
		emit_plus(c, C_NONSPACE);
	} else {
		char key[32];
		if (len >= sizeof key)
			return fail(c, "unknown class");
		memcpy(key, name, len);
		key[len] = '\0';
		size_t n = 0;
		const char *const *words = c->lists ? c->lists(c->ctx, key, &n) : NULL;
		if (!words || !n)
			return fail(c, "unknown class");
		c->atommax = 0;
		for (size_t i = 0; i < n; i++) {
			size_t cps = 0;
			for (const char *w = words[i]; *w; w++)
				cps += ((unsigned char)*w & 0xC0) != 0x80;
			if (cps > c->atommax)
				c->atommax = cps;
		}
		return emit_words(c, words, n);
	}
	return 0;
#undef IS
}

static int parse_alt(comp *c);

static int parse_atom(comp *c)
{
	const char *s = c->s;
	if (*s == '(') {
		c->s++;
		if (++c->depth > 32)
			return fail(c, "groups nested too deep");
		c->nest++;
		if (parse_alt(c) < 0)
			return -1;
		c->nest--;
		c->depth--;
		if (c->s >= c->end || *c->s != ')')
			return fail(c, "missing ')'");
		c->s++;
		c->atommax = c->seqmax;
		return 0;
	}
	if (*s == '<') {
		const char *colon = memchr(s, ':', (size_t)(c->end - s));
		if (!colon || colon - s - 1 < 1 || colon - s - 1 > 15)
			return fail(c, "expected <name:...>");
		if (c->p->ncaps == KP_PATTERN_MAXCAP - 1)
			return fail(c, "too many captures");
		int k = ++c->p->ncaps;
		if (!(c->p->capnames[k] = strndup(s + 1, (size_t)(colon - s - 1))))
			return fail(c, "out of memory");
		c->s = colon + 1;
		emit(c, I_SAVE, 0, 0, 2 * k, 0);
		c->nest++;
		if (parse_alt(c) < 0)
			return -1;
		c->nest--;
		if (c->s >= c->end || *c->s != '>')
			return fail(c, "missing '>'");
		c->s++;
		emit(c, I_SAVE, 0, 0, 2 * k + 1, 0);
		c->atommax = c->seqmax;
		return 0;
	}
	if (*s == '{') {
		const char *close = memchr(s, '}', (size_t)(c->end - s));
		if (!close)
			return fail(c, "missing '}'");
		c->s = close + 1;
		return named_class(c, s + 1, (size_t)(close - s - 1));
	}
	if (*s == '*') {
		/* lazy any: prefer leaving the loop */
		c->s++;
		int l = emit(c, I_SPLIT, 0, 0, 0, 0);
		emit(c, I_ANY, 0, 0, 0, 0);
		emit(c, I_JMP, 0, 0, l, 0);
		c->p->prog[l].x = c->p->n;
		c->p->prog[l].y = l + 1;
		c->atommax = UNBOUNDED;
		return 0;
	}
	if (*s == ' ') {
		while (c->s < c->end && *c->s == ' ')
			c->s++;
		emit_plus(c, C_WS);
		c->atommax = 0;
		return 0;
	}
	if (*s == '\\') {
		if (s + 1 >= c->end)
			return fail(c, "'\\' at the end");
		s++;
	}
	int32_t cp;
	size_t k = kp_utf8_decode(s, (size_t)(c->end - s), &cp);
	if (cp < 0)
		return fail(c, "invalid UTF-8");
	emit(c, I_CHAR, 0, fold(cp), 0, 0);
	c->s = s + k;
	c->atommax = kp_is_space_cp(cp) ? 0 : 1;
	return 0;
}

/* Shift instructions [from, n) up by one to make room at from. */
static int insert_at(comp *c, int from)
{
	if (emit(c, I_JMP, 0, 0, 0, 0) < 0)
		return -1;
	inst *pr = c->p->prog;
	memmove(pr + from + 1, pr + from, (size_t)(c->p->n - 1 - from) * sizeof *pr);
	for (int i = from + 1; i < c->p->n; i++)
		if (pr[i].op == I_SPLIT || pr[i].op == I_JMP) {
			if (pr[i].x >= from)
				pr[i].x++;
			if (pr[i].op == I_SPLIT && pr[i].y >= from)
				pr[i].y++;
		}
	return 0;
}

/* Keep the longest run of mandatory literals seen so far. */
static void close_run(comp *c)
{
	memcpy(c->lastrun, c->run, c->runlen);
	c->lastrun[c->runlen] = '\0';
	c->lastrunlen = c->runlen;
	if (c->runlen > c->p->requiredlen) {
		memcpy(c->p->required, c->run, c->runlen);
		c->p->requiredlen = c->runlen;
		c->p->required[c->runlen] = '\0';
	}
	c->runlen = 0;
}

static int parse_seq(comp *c)
{
	size_t total = 0;
	while (c->s < c->end && *c->s != '|' && *c->s != ')' && *c->s != '>') {
		int start = c->p->n;
		if (parse_atom(c) < 0)
			return -1;
		int optional = c->s < c->end && *c->s == '?';
		if (c->nest == 0) {
			/* a single literal character, not optional, extends the run */
			const inst *in = &c->p->prog[start];
			char tmp[4];
			size_t k = in->op == I_CHAR && c->p->n == start + 1 && !optional ? kp_utf8_encode(tmp, (uint32_t)in->ch) : 0;
			if (k && c->runlen + k < sizeof c->run) {
				memcpy(c->run + c->runlen, tmp, k);
				c->runlen += k;
			} else {
				close_run(c);
			}
		}
		total = add_max(total, c->atommax);
		if (optional) {
			/* optional: SPLIT body, after (greedy) */
			c->s++;
			if (insert_at(c, start) < 0)
				return -1;
			c->p->prog[start] = (inst){I_SPLIT, 0, 0, start + 1, c->p->n};
		}
	}
	c->seqmax = total;
	return 0;
}

static int parse_alt(comp *c)
{
	int start = c->p->n;
	if (parse_seq(c) < 0)
		return -1;
	size_t best = c->seqmax;
	if (c->nest == 0)
		close_run(c);
	if (c->nest == 0 && c->s < c->end && *c->s == '|') {
		/* alternatives at the top: no literal is common to all */
		c->p->requiredlen = 0;
		c->p->required[0] = '\0';
		c->nest++;
	}
	while (c->s < c->end && *c->s == '|') {
		c->s++;
		/* start: SPLIT first, second; first ends with JMP end */
		int j = emit(c, I_JMP, 0, 0, 0, 0);
		if (insert_at(c, start) < 0)
			return -1;
		j++;
		int second = c->p->n;
		c->p->prog[start] = (inst){I_SPLIT, 0, 0, start + 1, second};
		if (parse_seq(c) < 0)
			return -1;
		if (c->seqmax > best)
			best = c->seqmax;
		c->p->prog[j].x = c->p->n;
	}
	c->seqmax = best;
	return 0;
}

static void set_byte(uint64_t *set, unsigned b)
{
	set[b >> 6] |= 1ull << (b & 63);
}

/* Bytes that can begin a code point of class cls (non-ASCII: every lead
 * byte, conservatively). */
static void class_first(uint64_t *set, int cls)
{
	for (unsigned b = 0; b < 128; b++)
		if (in_class(cls, (int32_t)b))
			set_byte(set, (unsigned)fold((int32_t)b));
	if (cls != C_DIGIT && cls != C_NUM)
		for (unsigned b = 0xC0; b < 256; b++)
			set_byte(set, b);
}

/* Possible first bytes of a match: the consuming instructions reachable
 * from the start through jumps, splits and saves. */
static void find_first(kp_pattern *p)
{
	char *seen = calloc((size_t)p->n, 1);
	int *stack = malloc((size_t)p->n * sizeof *stack);
	if (!seen || !stack) {
		memset(p->first, 0xff, sizeof p->first);
		free(seen);
		free(stack);
		return;
	}
	int sp = 0;
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp > 0) {
		const inst *in = &p->prog[stack[--sp]];
		int pc = (int)(in - p->prog), next[2] = {-1, -1};
		switch (in->op) {
		case I_JMP: next[0] = in->x; break;
		case I_SPLIT: next[0] = in->x; next[1] = in->y; break;
		case I_SAVE:
		case I_WORDEND: next[0] = pc + 1; break;
		case I_MATCH: memset(p->first, 0xff, sizeof p->first); break; /* matches empty text */
		case I_ANY: memset(p->first, 0xff, sizeof p->first); break;
		case I_CLASS: class_first(p->first, in->cls); break;
		case I_CHAR:
			if (in->ch < 128) {
				set_byte(p->first, (unsigned)in->ch);
				if (in->ch >= 'a' && in->ch <= 'z')
					set_byte(p->first, (unsigned)in->ch - 32);
			} else {
				char tmp[4];
				if (kp_utf8_encode(tmp, (uint32_t)in->ch))
					set_byte(p->first, (unsigned char)tmp[0]);
				for (unsigned b = 0xC0; b < 256; b++) /* its upper case may differ */
					set_byte(p->first, b);
			}
			break;
		}
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && next[k] < p->n && !seen[next[k]]) {
				seen[next[k]] = 1;
				stack[sp++] = next[k];
			}
	}
	free(seen);
	free(stack);
}

size_t kp_pattern_maxlen(const kp_pattern *p)
{
	return p->maxlen;
}

/* Consuming instructions reachable from pc through epsilon edges; returns
 * their count (up to max) or -1 if a match is reachable (empty match). */
static int closure_set(const kp_pattern *p, int pc, int *out, int max)
{
	int stack[256], sp = 0, n = 0;
	char *seen = calloc((size_t)p->n, 1);
	if (!seen)
		return -1;
	stack[sp++] = pc;
	while (sp > 0) {
		int q = stack[--sp];
		if (q >= p->n || seen[q])
			continue;
		seen[q] = 1;
		const inst *in = &p->prog[q];
		int next[2] = {-1, -1};
		switch (in->op) {
		case I_JMP: next[0] = in->x; break;
		case I_SPLIT: next[0] = in->x; next[1] = in->y; break;
		case I_SAVE:
		case I_WORDEND: next[0] = q + 1; break;
		case I_MATCH: n = -1; sp = 0; break;
		default:
			if (n >= max)
				n = -1, sp = 0;
			else
				out[n++] = q;
		}
		if (n < 0)
			break;
		for (int k = 0; k < 2; k++)
			if (next[k] >= 0 && sp < (int)(sizeof stack / sizeof stack[0]))
				stack[sp++] = next[k];
	}
	free(seen);
	return n;
}

static void set_bigram(kp_pattern *p, unsigned a, unsigned b)
{
	unsigned bit = (a & 63) << 6 | (b & 63);
	p->bigram[bit >> 6] |= 1ull << (bit & 63);
}

/* The first two bytes of every match, when the pattern starts with two
 * ASCII literals (case-folded): most rules begin with words. */
static void find_bigrams(kp_pattern *p)
{
	int first[64], second[64];
	int n1 = closure_set(p, 0, first, 64);
	if (n1 <= 0)
		return;
	for (int i = 0; i < n1; i++) {
		const inst *a = &p->prog[first[i]];
		if (a->op != I_CHAR || a->ch >= 128)
			return;
		int n2 = closure_set(p, first[i] + 1, second, 64);
		if (n2 <= 0)
			return;
		for (int j = 0; j < n2; j++) {
			const inst *b = &p->prog[second[j]];
			if (b->op != I_CHAR || b->ch >= 128)
				return; /* a class second: no filter (keep it simple and exact) */
			set_bigram(p, (unsigned)a->ch, (unsigned)b->ch);
		}
	}
	p->has_bigrams = 1;
}

int kp_pattern_can_start2(const kp_pattern *p, unsigned char b0, unsigned char b1)
{
	if (!p->has_bigrams)
		return 1;
	unsigned bit = (b0 & 63u) << 6 | (b1 & 63u);
	return (p->bigram[bit >> 6] >> (bit & 63)) & 1;
}

int kp_pattern_can_start(const kp_pattern *p, unsigned char b)
{
	return (p->first[b >> 6] >> (b & 63)) & 1;
}

const char *kp_pattern_suffix(const kp_pattern *p, size_t *len)
{
	*len = p->suffixlen;
	return p->suffix;
}

const char *kp_pattern_required(const kp_pattern *p, size_t *len)
{
	*len = p->requiredlen;
	return p->required;
}

/* The lower-cased literal every match begins with. */
static void find_prefix(kp_pattern *p)
{
	p->prefixlen = 0;
	for (int i = 1; i < p->n && p->prog[i].op == I_CHAR; i++) {
		char tmp[4];
		size_t k = kp_utf8_encode(tmp, (uint32_t)p->prog[i].ch);
		if (!k || p->prefixlen + k >= sizeof p->prefix)
			break;
		memcpy(p->prefix + p->prefixlen, tmp, k);
		p->prefixlen += k;
	}
	p->prefix[p->prefixlen] = '\0';
}

kp_pattern *kp_pattern_compile(const char *src, size_t len, kp_pattern_lists lists, void *ctx, char *err, size_t errsz)
{
	kp_pattern *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	comp c = {.p = p, .s = src, .end = src + len, .lists = lists, .ctx = ctx, .err = err, .errsz = errsz};
	emit(&c, I_SAVE, 0, 0, 0, 0);
	if (parse_alt(&c) == 0 && c.s < c.end)
		fail(&c, "unexpected character");
	if (c.nest == 0) /* the literals that ended the top-level sequence */
		memcpy(p->suffix, c.lastrun, (p->suffixlen = c.lastrunlen) + 1);
	emit(&c, I_SAVE, 0, 0, 1, 0);
	emit(&c, I_MATCH, 0, 0, 0, 0);
	if (c.failed) {
		kp_pattern_free(p);
		return NULL;
	}
	find_prefix(p);
	find_first(p);
	find_bigrams(p);
	p->maxlen = c.seqmax;
	return p;
}

void kp_pattern_free(kp_pattern *p)
{
	if (!p)
		return;
	for (int i = 0; i < KP_PATTERN_MAXCAP; i++)
		free(p->capnames[i]);
	free(p->prog);
	free(p);
}

int kp_pattern_ncaps(const kp_pattern *p)
{
	return p->ncaps;
}

const char *kp_pattern_capname(const kp_pattern *p, int i)
{
	return i >= 1 && i <= p->ncaps ? p->capnames[i] : NULL;
}

const char *kp_pattern_prefix(const kp_pattern *p, size_t *len)
{
	*len = p->prefixlen;
	return p->prefix;
}

/* ---- the VM ----------------------------------------------------------------- */

#define NSLOTS (2 * KP_PATTERN_MAXCAP)

typedef struct thread {
	int pc;
	size_t slot[NSLOTS];
} thread;

typedef struct tlist {
	thread *t;
	int n;
} tlist;

struct kp_pvm {
	thread *a, *b;
	int *pa, *pb; /* pc lists of the slot-free test */
	unsigned *mark; /* generation at which a pc was last added */
	int cap;
	unsigned gen;
};

/* A new generation of marks; on wrap-around, old marks are cleared so that
 * none can look current (a long run makes billions of steps). */
static void next_gen(kp_pvm *vm)
{
	if (++vm->gen == 0) {
		memset(vm->mark, 0, (size_t)vm->cap * sizeof *vm->mark);
		vm->gen = 1;
	}
}

kp_pvm *kp_pvm_new(void)
{
	return calloc(1, sizeof(kp_pvm));
}

void kp_pvm_free(kp_pvm *vm)
{
	if (!vm)
		return;
	free(vm->a);
	free(vm->b);
	free(vm->pa);
	free(vm->pb);
	free(vm->mark);
	free(vm);
}

static int vm_reserve(kp_pvm *vm, int n)
{
	if (vm->cap >= n)
		return 0;
	thread *a = realloc(vm->a, (size_t)n * sizeof *a), *b = a ? realloc(vm->b, (size_t)n * sizeof *b) : NULL;
	int *pa = b ? realloc(vm->pa, (size_t)n * sizeof *pa) : NULL, *pb = pa ? realloc(vm->pb, (size_t)n * sizeof *pb) : NULL;
	unsigned *m = pb ? realloc(vm->mark, (size_t)n * sizeof *m) : NULL;
	if (a)
		vm->a = a;
	if (b)
		vm->b = b;
	if (pa)
		vm->pa = pa;
	if (pb)
		vm->pb = pb;
	if (!m)
		return KP_ENOMEM;
	vm->mark = m;
	memset(m + vm->cap, 0, (size_t)(n - vm->cap) * sizeof *m);
	vm->cap = n;
	return 0;
}

static int word_cp(int32_t c)
{
	return kp_is_letter_cp(c) || is_digit(c);
}

/* Add pc (and its epsilon closure) to l; next is the code point at pos (or
 * -1 at the end), for the word-end assertion. */
static void add(const kp_pattern *p, kp_pvm *vm, tlist *l, int pc, size_t *slot, size_t pos, int32_t next)
{
	if (vm->mark[pc] == vm->gen)
		return;
	vm->mark[pc] = vm->gen;
	const inst *in = &p->prog[pc];
	switch (in->op) {
	case I_JMP:
		add(p, vm, l, in->x, slot, pos, next);
		return;
	case I_SPLIT:
		add(p, vm, l, in->x, slot, pos, next);
		add(p, vm, l, in->y, slot, pos, next);
		return;
	case I_SAVE: {
		size_t old = slot[in->x];
		slot[in->x] = pos;
		add(p, vm, l, pc + 1, slot, pos, next);
		slot[in->x] = old;
		return;
	}
	case I_WORDEND:
		if (next < 0 || !word_cp(next))
			add(p, vm, l, pc + 1, slot, pos, next);
		return;
	default:
		l->t[l->n].pc = pc;
		memcpy(l->t[l->n].slot, slot, sizeof l->t[l->n].slot);
		l->n++;
	}
}

static inline int32_t decode_at(const char *s, size_t n, size_t i, size_t *k)
{
	unsigned char b = (unsigned char)s[i];
	if (b < 0x80) {
		*k = 1;
		return b;
	}
	int32_t cp;
	*k = kp_utf8_decode(s + i, n - i, &cp);
	return cp < 0 ? 0xFFFD : cp;
}

/* Epsilon closure without captures. */
static void addpc(const kp_pattern *p, kp_pvm *vm, int *l, int *ln, int pc, int32_t next)
{
	for (;;) {
		if (vm->mark[pc] == vm->gen)
			return;
		vm->mark[pc] = vm->gen;
		const inst *in = &p->prog[pc];
		switch (in->op) {
		case I_JMP:
			pc = in->x;
			continue;
		case I_SPLIT:
			addpc(p, vm, l, ln, in->x, next);
			pc = in->y;
			continue;
		case I_SAVE:
			pc++;
			continue;
		case I_WORDEND:
			if (next >= 0 && word_cp(next))
				return;
			pc++;
			continue;
		default:
			l[(*ln)++] = pc;
			return;
		}
	}
}

int kp_pattern_test(const kp_pattern *p, const char *s, size_t n, int mode, kp_pvm *vm)
{
	if (vm_reserve(vm, p->n) < 0)
		return KP_ENOMEM;
	int *cl = vm->pa, *nl = vm->pb, cn = 0, nn;
	int anchored = mode == KP_MATCH_FULL || mode == KP_MATCH_START;
	size_t pos = 0, k = 0;
	int32_t cp = n ? decode_at(s, n, 0, &k) : -1;
	next_gen(vm);
	addpc(p, vm, cl, &cn, 0, cp);
	for (;;) {
		next_gen(vm);
		nn = 0;
		size_t npos = pos + k, nk = 0;
		int32_t ncp = npos < n ? decode_at(s, n, npos, &nk) : -1;
		for (int i = 0; i < cn; i++) {
			const inst *in = &p->prog[cl[i]];
			int ok = 0;
			switch (in->op) {
			case I_MATCH:
				if (mode == KP_MATCH_START || mode == KP_MATCH_ANY || pos == n)
					return 1;
				continue;
			case I_CHAR: ok = cp >= 0 && fold(cp) == in->ch; break;
			case I_CLASS: ok = cp >= 0 && in_class(in->cls, cp); break;
			case I_ANY: ok = cp >= 0; break;
			}
			if (ok)
				addpc(p, vm, nl, &nn, cl[i] + 1, ncp);
		}
		if (cp < 0)
			return 0;
		if (!anchored) {
			if (nn == 0) { /* idle: skip to a byte a match can start with */
				while (npos < n && !kp_pattern_can_start(p, (unsigned char)s[npos]))
					npos++;
				if (npos >= n && !kp_pattern_can_start(p, 0))
					return 0;
				nk = 0;
				ncp = npos < n ? decode_at(s, n, npos, &nk) : -1;
			}
			if (npos >= n || kp_pattern_can_start(p, (unsigned char)s[npos]))
				addpc(p, vm, nl, &nn, 0, ncp); /* a match may start here too */
		}
		if (nn == 0)
			return 0;
		int *t = cl;
		cl = nl;
		nl = t;
		cn = nn;
		pos = npos;
		cp = ncp;
		k = nk;
	}
}

int kp_pattern_match(const kp_pattern *p, const char *s, size_t n, int mode, kp_pvm *vm, kp_pmatch *m)
{
	if (vm_reserve(vm, p->n) < 0)
		return KP_ENOMEM;
	tlist cl = {vm->a, 0}, nl = {vm->b, 0};
	size_t slot[NSLOTS];
	int matched = 0;
	size_t pos = 0;
	int32_t cp = -1;
	size_t k = 0;
	if (n)
		cp = decode_at(s, n, 0, &k);
	next_gen(vm);
	for (int i = 0; i < NSLOTS; i++)
		slot[i] = SIZE_MAX;
	add(p, vm, &cl, 0, slot, 0, cp);
	for (;;) {
		/* cp is the code point at pos (k bytes), or -1 at the end */
		next_gen(vm);
		nl.n = 0;
		size_t npos = pos + k;
		int32_t ncp = -1;
		size_t nk = 0;
		if (npos < n)
			ncp = decode_at(s, n, npos, &nk);
		for (int i = 0; i < cl.n; i++) {
			thread *t = &cl.t[i];
			const inst *in = &p->prog[t->pc];
			int ok = 0;
			switch (in->op) {
			case I_MATCH:
				if ((mode == KP_MATCH_FULL || mode == KP_MATCH_END) && pos != n)
					continue;
				matched = 1;
				m->beg = t->slot[0];
				m->end = t->slot[1];
				for (int c = 0; c < KP_PATTERN_MAXCAP; c++) {
					m->cap[c][0] = t->slot[2 * c];
					m->cap[c][1] = t->slot[2 * c + 1];
					if (m->cap[c][1] == SIZE_MAX)
						m->cap[c][0] = SIZE_MAX;
				}
				cl.n = i; /* lower-priority threads lose */
				continue;
			case I_CHAR: ok = cp >= 0 && fold(cp) == in->ch; break;
			case I_CLASS: ok = cp >= 0 && in_class(in->cls, cp); break;
			case I_ANY: ok = cp >= 0; break;
			}
			if (ok)
				add(p, vm, &nl, t->pc + 1, t->slot, npos, ncp);
		}
		if (cp < 0)
			break;
		int unanchored = !matched && (mode == KP_MATCH_ANY || mode == KP_MATCH_END);
		if (unanchored && nl.n == 0) {
			/* nothing running: skip to the next byte a match can start with */
			while (npos < n && !kp_pattern_can_start(p, (unsigned char)s[npos]))
				npos++;
			if (npos >= n && !kp_pattern_can_start(p, 0))
				break;
			ncp = -1;
			nk = 0;
			if (npos < n)
				ncp = decode_at(s, n, npos, &nk);
		}
		/* unanchored modes start a new, lowest-priority thread here */
		if (unanchored && (npos >= n || kp_pattern_can_start(p, (unsigned char)s[npos]))) {
			for (int i = 0; i < NSLOTS; i++)
				slot[i] = SIZE_MAX;
			add(p, vm, &nl, 0, slot, npos, ncp);
		}
		if (nl.n == 0)
			break;
		tlist tmp = cl;
		cl = nl;
		nl = tmp;
		pos = npos;
		cp = ncp;
		k = nk;
	}
	return matched;
}
