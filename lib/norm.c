/* The normalizer.
 *
 * A pass applies the operations in a fixed order, each a linear scan that
 * first looks for something to change and copies nothing when it finds
 * none (most text is ASCII and already clean):
 *
 *   UTF-8 repair, CR LF -> LF, HTML entities, mojibake (repeated while it
 *   repairs: text can be mis-decoded twice), controls / spaces /
 *   punctuation in one character map, the Unicode form (ICU, only on
 *   lines holding a character its quick check does not clear), glued
 *   sentences, lower case, informal and spelling words, digits, and last
 *   whitespace.
 *
 * Idempotence.  An operation can expose work for an earlier one: removing
 * a zero-width space can join "&am" and "p;", a normalization form or a
 * word replacement can produce a character an earlier step maps.  Steps
 * that can do so raise `rescan`, and the pass is repeated on its own
 * output until it changes nothing.  The other steps produce nothing an
 * earlier step acts on, so most documents take one pass.  The property
 * norm(norm(x)) == norm(x) is tested over corpora, random text and a fuzz
 * target. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ucasemap.h>
#include <unicode/ucnv.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/norm.h"
#include "korpus/utf8.h"
#include "utf8_int.h"
#include "words_int.h"

#define MAX_PASSES 8

static const char *const op_names[KP_NORM_NOPS] = {
	[KP_NORM_INVALID] = "invalid-utf8", [KP_NORM_ENTITIES] = "entities", [KP_NORM_MOJIBAKE] = "mojibake",
	[KP_NORM_CONTROLS] = "controls",    [KP_NORM_SPACES] = "spaces",     [KP_NORM_PUNCT] = "punct",
	[KP_NORM_FORM] = "form",            [KP_NORM_GLUED] = "glued",       [KP_NORM_LOWER] = "lower",
	[KP_NORM_INFORMAL] = "informal",    [KP_NORM_SPELLING] = "spelling", [KP_NORM_NUMBERS] = "numbers",
	[KP_NORM_WHITESPACE] = "whitespace",
};

const char *kp_norm_op_name(int op)
{
	return op >= 0 && op < KP_NORM_NOPS ? op_names[op] : "?";
}

/* ---- configuration ------------------------------------------------------ */

enum { LIST_INFORMAL, LIST_SPELLING, NLISTS };

/* Mac OS Roman, read back: the byte 0x80..0xFF a character stands for when
 * UTF-8 was decoded as Mac-Roman (ICU's "macintosh" converter fills it). */
struct macpage {
	uint8_t low[0x100];     /* byte of a character below U+0100, 0 if none */
	uint32_t hi_cp[128];    /* the others, sorted */
	uint8_t hi_b[128];
	int nhi;
};

struct kp_norm_config {
	unsigned ops; /* bit per enum kp_norm_op */
	struct macpage mac;
	enum kp_norm_form form;
	kp_words entities; /* name -> UTF-8 */
	kp_words lists[NLISTS];
	kp_words tlds;
	const UNormalizer2 *nfc, *nfkc;
	/* BMP characters the quick check of each form does not clear (not
	 * "yes" or not starter): a line holding one goes through ICU */
	uint8_t unsafe[2][0x10000 / 8];
	kp_err err;
};

static int list_of(int op)
{
	return op == KP_NORM_INFORMAL ? LIST_INFORMAL : op == KP_NORM_SPELLING ? LIST_SPELLING : -1;
}

/* A word of the word lists and of the text: ASCII letters and digits with
 * single inner hyphens ("obrak-abrik", "temen2").  Returns its length at
 * s[0..len), 0 if s does not start one. */
static size_t word_len(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && kp_ascii_isalnum((unsigned char)s[i])) {
		while (i < len && kp_ascii_isalnum((unsigned char)s[i]))
			i++;
		if (i + 1 < len && s[i] == '-' && kp_ascii_isalnum((unsigned char)s[i + 1]))
			i++;
	}
	return i;
}

/* Case of a word: 'l' all lower (digits and hyphens aside), 'C'
 * capitalised, 'U' all upper, 'm' mixed. */
static int word_case(const char *s, size_t n)
{
	int up = 0, low = 0, first_up = 0, letters = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (kp_ascii_isupper(c)) {
			if (!letters)
				first_up = 1;
			up++;
			letters++;
		} else if (kp_ascii_islower(c)) {
			low++;
			letters++;
		}
	}
	if (!up)
		return 'l';
	if (!low)
		return 'U';
	return first_up && up == 1 ? 'C' : 'm';
}

static int parse_entities(kp_norm_config *c)
{
	const char *p = kp_data_html_entities, *end = p + kp_data_html_entities_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *tab = memchr(line, '\t', ll);
		if (!tab)
			return kp_err_set(&c->err, KP_EFORMAT, "html-entities.txt:%zu: no tab", lineno);
		char val[16];
		size_t vl = 0;
		const char *q = tab + 1, *e = line + ll;
		while (q < e) {
			char *stop;
			unsigned long cp = strtoul(q, &stop, 16);
			if (stop == q || vl + 4 > sizeof val || !kp_utf8_encode(val + vl, (uint32_t)cp))
				return kp_err_set(&c->err, KP_EFORMAT, "html-entities.txt:%zu: bad code point", lineno);
			vl += kp_utf8_encode(val + vl, (uint32_t)cp);
			q = stop;
			while (q < e && *q == ' ')
				q++;
		}
		if (kp_words_put(&c->entities, line, (size_t)(tab - line), val, vl) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

/* Parse a word list into w.  Checks the format; chains are checked by
 * check_lists() once both lists are known. */
static int parse_list(kp_norm_config *c, kp_words *w, const char *text, size_t len, const char *name)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *tab = memchr(line, '\t', ll);
		if (!tab)
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: expected \"word<TAB>replacement\"", name, lineno);
		size_t kl = (size_t)(tab - line);
		const char *v = tab + 1, *ve = line + ll;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		if (!kl || word_len(line, kl) != kl)
			return kp_err_set(&c->err, KP_EFORMAT,
					  "%s:%zu: '%.*s' is not one word (ASCII letters, digits, inner hyphens)", name,
					  lineno, (int)kl, line);
		int kc = word_case(line, kl);
		if (kc != 'l' && kc != 'C')
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: '%.*s' must be lower case or capitalised", name,
					  lineno, (int)kl, line);
		if (v == ve || memchr(v, '\t', (size_t)(ve - v)))
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: expected one replacement after the tab", name, lineno);
		if (kp_utf8_valid_prefix(v, (size_t)(ve - v)) != (size_t)(ve - v))
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: invalid UTF-8", name, lineno);
		if ((size_t)(ve - v) == kl && memcmp(v, line, kl) == 0)
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: '%.*s' is replaced by itself", name, lineno,
					  (int)kl, line);
		int rc = kp_words_put(w, line, kl, v, (size_t)(ve - v));
		if (rc < 0)
			return rc;
		if (rc == 1)
			return kp_err_set(&c->err, KP_EFORMAT, "%s:%zu: '%.*s' is listed twice", name, lineno, (int)kl,
					  line);
	}
	return 0;
}

static int listed(const kp_words *lists, const char *s, size_t n)
{
	for (int l = 0; l < NLISTS; l++)
		if (kp_words_has(&lists[l], s, n))
			return 1;
	return 0;
}

/* Both lists together: a word is listed once, and no replacement holds a
 * listed word (as written, or capitalised as at a sentence start), so a
 * replaced word never changes again. */
static int check_lists(kp_norm_config *c, const kp_words *lists, const char *const names[NLISTS], int first)
{
	for (int k = 0; k < NLISTS; k++) {
		int l = (first + k) % NLISTS; /* the new list first: messages name it */
		const kp_words *w = &lists[l];
		for (size_t i = 0; i < w->cap; i++) {
			if (!w->key[i])
				continue;
			if (kp_words_has(&lists[1 - l], w->key[i], w->klen[i]))
				return kp_err_set(&c->err, KP_EFORMAT, "%s: '%s' is also in %s", names[l], w->key[i],
						  names[1 - l]);
			const char *v = w->val[i], *e = v + w->vlen[i];
			while (v < e) {
				size_t n = word_len(v, (size_t)(e - v));
				if (!n) {
					v++;
					continue;
				}
				char cap[64];
				int capped = n < sizeof cap && kp_ascii_islower((unsigned char)v[0]);
				if (capped) {
					memcpy(cap, v, n);
					cap[0] = (char)(cap[0] - 'a' + 'A');
				}
				if (listed(lists, v, n) || (capped && listed(lists, cap, n)))
					return kp_err_set(&c->err, KP_EFORMAT,
							  "%s: the replacement of '%s' contains '%.*s', which is itself listed",
							  names[l], w->key[i], (int)n, v);
				v += n;
			}
		}
	}
	return 0;
}

static const char *const builtin_names[NLISTS] = {"informal-id.txt", "spelling-id.txt"};

const char *kp_norm_builtin_list(int op, size_t *len)
{
	switch (list_of(op)) {
	case LIST_INFORMAL: *len = kp_data_informal_id_len; return kp_data_informal_id;
	case LIST_SPELLING: *len = kp_data_spelling_id_len; return kp_data_spelling_id;
	default: *len = 0; return NULL;
	}
}

int kp_norm_config_load_list(kp_norm_config *c, int op, const char *text, size_t len, const char *name)
{
	int l = list_of(op);
	if (l < 0)
		return kp_err_set(&c->err, KP_EINVAL, "operation %d has no word list", op);
	kp_err_clear(&c->err);
	kp_words fresh = {0};
	int rc = parse_list(c, &fresh, text, len, name);
	if (rc == 0) {
		kp_words both[NLISTS] = {c->lists[0], c->lists[1]};
		const char *names[NLISTS] = {builtin_names[0], builtin_names[1]};
		both[l] = fresh;
		names[l] = name;
		rc = check_lists(c, both, names, l);
	}
	if (rc < 0) {
		kp_words_free(&fresh);
		return rc;
	}
	kp_words_free(&c->lists[l]);
	c->lists[l] = fresh;
	return 0;
}

const char *kp_norm_config_errmsg(const kp_norm_config *c)
{
	return c->err.msg;
}

static void set_bit(uint8_t *bits, uint32_t cp) { bits[cp >> 3] |= (uint8_t)(1u << (cp & 7)); }
static int get_bit(const uint8_t *bits, uint32_t cp) { return bits[cp >> 3] >> (cp & 7) & 1; }

/* A character that can change under the form, or make its neighbours
 * change: quick check not "yes", or a combining class. */
static int form_unsafe_icu(UChar32 cp, UProperty qc)
{
	return u_getIntPropertyValue(cp, qc) != UNORM_YES || u_getCombiningClass(cp) != 0;
}

static int mac_page(struct macpage *m)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *cnv = ucnv_open("macintosh", &e);
	if (U_FAILURE(e))
		return -1;
	memset(m, 0, sizeof *m);
	for (int b = 0x80; b < 0x100; b++) {
		char in[1] = {(char)b};
		UChar u[4];
		e = U_ZERO_ERROR;
		int32_t n = ucnv_toUChars(cnv, u, 4, in, 1, &e);
		if (U_FAILURE(e) || n != 1)
			continue;
		if (u[0] < 0x100) {
			m->low[u[0]] = (uint8_t)b;
			continue;
		}
		int i = m->nhi++;
		while (i > 0 && m->hi_cp[i - 1] > u[0]) {
			m->hi_cp[i] = m->hi_cp[i - 1];
			m->hi_b[i] = m->hi_b[i - 1];
			i--;
		}
		m->hi_cp[i] = u[0];
		m->hi_b[i] = (uint8_t)b;
	}
	ucnv_close(cnv);
	return 0;
}

kp_norm_config *kp_norm_config_new(void)
{
	kp_norm_config *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	for (int op = KP_NORM_ENTITIES; op < KP_NORM_NOPS; op++)
		c->ops |= 1u << op;
	c->ops &= ~(1u << KP_NORM_LOWER | 1u << KP_NORM_INFORMAL | 1u << KP_NORM_SPELLING | 1u << KP_NORM_NUMBERS);
	c->ops |= 1u << KP_NORM_INVALID;
	c->form = KP_NORM_NFC;
	UErrorCode e = U_ZERO_ERROR;
	c->nfc = unorm2_getNFCInstance(&e);
	c->nfkc = unorm2_getNFKCInstance(&e);
	if (U_FAILURE(e))
		goto fail;
	for (UChar32 cp = 0x80; cp < 0x10000; cp++) {
		if (form_unsafe_icu(cp, UCHAR_NFC_QUICK_CHECK))
			set_bit(c->unsafe[KP_NORM_NFC], (uint32_t)cp);
		if (form_unsafe_icu(cp, UCHAR_NFKC_QUICK_CHECK))
			set_bit(c->unsafe[KP_NORM_NFKC], (uint32_t)cp);
	}
	if (parse_entities(c) < 0 || mac_page(&c->mac) < 0)
		goto fail;
	const char *p = kp_data_tlds, *end = p + kp_data_tlds_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno))
		if (kp_words_add(&c->tlds, line, ll) < 0)
			goto fail;
	for (int l = 0; l < NLISTS; l++) {
		size_t n;
		const char *t = kp_norm_builtin_list(l == LIST_INFORMAL ? KP_NORM_INFORMAL : KP_NORM_SPELLING, &n);
		if (parse_list(c, &c->lists[l], t, n, builtin_names[l]) < 0)
			goto fail;
	}
	if (check_lists(c, c->lists, builtin_names, 0) < 0)
		goto fail;
	return c;
fail:
	kp_norm_config_free(c);
	return NULL;
}

void kp_norm_config_free(kp_norm_config *c)
{
	if (!c)
		return;
	kp_words_free(&c->entities);
	kp_words_free(&c->tlds);
	for (int l = 0; l < NLISTS; l++)
		kp_words_free(&c->lists[l]);
	free(c);
}

void kp_norm_config_set(kp_norm_config *c, int op, int on)
{
	if (op <= KP_NORM_INVALID || op >= KP_NORM_NOPS || op == KP_NORM_FORM)
		return;
	if (on)
		c->ops |= 1u << op;
	else
		c->ops &= ~(1u << op);
}

int kp_norm_config_enabled(const kp_norm_config *c, int op)
{
	if (op == KP_NORM_FORM)
		return c->form != KP_NORM_NONE;
	return op >= 0 && op < KP_NORM_NOPS && (c->ops >> op & 1);
}

void kp_norm_config_set_form(kp_norm_config *c, enum kp_norm_form form)
{
	c->form = form;
}

/* ---- the normalizer ------------------------------------------------------ */

struct kp_norm {
	const kp_norm_config *c;
	kp_buf buf[2];
	kp_buf scratch, wait; /* the decoder's */
	UChar *u16, *u16n;
	int32_t u16cap, u16ncap;
	UCaseMap *casemap;
	uint64_t count[KP_NORM_NOPS];
	int rescan;     /* this pass made work for an earlier step */
	int need_form;  /* the character map saw a character the form may change */
	size_t max_len; /* cap of the buffers */
};

kp_norm *kp_norm_new(const kp_norm_config *c)
{
	kp_norm *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->c = c;
	UErrorCode e = U_ZERO_ERROR;
	n->casemap = ucasemap_open("id", 0, &e);
	if (U_FAILURE(e)) {
		free(n);
		return NULL;
	}
	return n;
}

void kp_norm_free(kp_norm *n)
{
	if (!n)
		return;
	kp_buf_free(&n->buf[0]);
	kp_buf_free(&n->buf[1]);
	kp_buf_free(&n->scratch);
	kp_buf_free(&n->wait);
	free(n->u16);
	free(n->u16n);
	ucasemap_close(n->casemap);
	free(n);
}

uint64_t kp_norm_count(const kp_norm *n, int op)
{
	return op >= 0 && op < KP_NORM_NOPS ? n->count[op] : 0;
}

static int on(const kp_norm *n, int op)
{
	return n->c->ops >> op & 1;
}

/* The buffer a step writes to: the one not holding its input. */
static kp_buf *out_for(kp_norm *n, const char *in)
{
	kp_buf *b = in == n->buf[0].p ? &n->buf[1] : &n->buf[0];
	b->len = 0;
	return b;
}

#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_ < 0)        \
			return rc_; \
	} while (0)

/* Steps write copy-on-write: nothing until the first change, which makes
 * room for the output; then, before each change, the text left as it was
 * since the last one (s[from..to)). */
static int copy_since(kp_buf *o, int *changed, size_t room, const char *s, size_t from, size_t to)
{
	if (!*changed) {
		TRY(kp_buf_reserve(o, room));
		*changed = 1;
	}
	return kp_buf_add(o, s + from, to - from);
}

/* ---- UTF-8 repair and line ends ------------------------------------------ */

static int step_utf8(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	if (kp_utf8_valid_prefix(s, len) == len)
		return 0;
	TRY(kp_buf_reserve(o, 3 * len));
	o->len = kp_utf8_repair(o->p, s, len, &n->count[KP_NORM_INVALID]);
	return 1;
}

static int step_cr(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	const char *cr = memchr(s, '\r', len);
	if (!cr)
		return 0;
	TRY(kp_buf_reserve(o, len));
	size_t i = 0;
	while (cr) {
		size_t k = (size_t)(cr - s);
		memcpy(o->p + o->len, s + i, k - i);
		o->len += k - i;
		o->p[o->len++] = '\n';
		i = k + 1 < len && s[k + 1] == '\n' ? k + 2 : k + 1;
		n->count[KP_NORM_WHITESPACE]++;
		cr = i < len ? memchr(s + i, '\r', len - i) : NULL;
	}
	memcpy(o->p + o->len, s + i, len - i);
	o->len += len - i;
	return 1;
}

/* ---- HTML entities -------------------------------------------------------- */

/* Windows-1252 characters of bytes 0x80..0x9F (0 where undefined): what
 * HTML maps "&#150;" to, and what mojibake shows for those bytes. */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The reference after '&' at s: its length up to and including ';' (0 if
 * none) and its characters in out (room for 16 bytes). */
static size_t entity_at(const kp_norm_config *c, const char *s, size_t len, char *out, size_t *outlen)
{
	size_t i = 0;
	if (len >= 3 && s[0] == '#') {
		int hex = s[1] == 'x' || s[1] == 'X';
		i = hex ? 2 : 1;
		size_t start = i, sig = 0;
		uint32_t v = 0;
		for (; i < len && i - start < 32; i++) {
			unsigned char d = (unsigned char)s[i];
			int dv = kp_ascii_isdigit(d) ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
						  : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
										   : -1;
			if (dv < 0)
				break;
			if (v || dv)
				sig++;
			if (sig <= 7)
				v = v * (hex ? 16u : 10u) + (uint32_t)dv;
		}
		if (i == start || i >= len || s[i] != ';')
			return 0;
		if (sig > 7 || v > 0x10FFFF || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		else if (v >= 0x80 && v <= 0x9F && cp1252_hi[v - 0x80])
			v = cp1252_hi[v - 0x80];
		*outlen = kp_utf8_encode(out, v);
		return i + 1;
	}
	while (i < len && i < 40 && kp_ascii_isalnum((unsigned char)s[i]))
		i++;
	if (!i || i >= len || s[i] != ';')
		return 0;
	size_t vl;
	const char *v = kp_words_get(&c->entities, s, i, &vl);
	if (!v || vl > 16)
		return 0;
	memcpy(out, v, vl);
	*outlen = vl;
	return i + 1;
}

/* ---- mojibake ------------------------------------------------------------- */

/* The byte 0x80..0xBF whose Windows-1252 (or Latin-1) reading is cp, or -1:
 * what a UTF-8 continuation byte looks like after mis-decoding. */
static int cont_byte(int32_t cp)
{
	if (cp >= 0x80 && cp <= 0xBF)
		return cp;
	if (cp < 0x152 || cp > 0x2122)
		return -1;
	for (int b = 0; b < 32; b++)
		if (cp1252_hi[b] == cp)
			return 0x80 + b;
	return -1;
}

/* Mojibake is undone on the output as it grows: after each character
 * goes out, the last few are checked for the characters of a UTF-8 lead
 * byte followed by its continuation bytes, and replaced by the character
 * they encode.  The result can complete another such sequence with what
 * precedes it (text mis-decoded twice, or ten times), so the check repeats;
 * every replacement shortens the output, so the work stays linear. */

/* Start of the character that ends at o->p[end] (exclusive). */
static size_t char_start(const kp_buf *o, size_t end)
{
	size_t i = end;
	while (i > 0 && ((unsigned char)o->p[i - 1] & 0xC0) == 0x80)
		i--;
	return i > 0 ? i - 1 : 0;
}

static int32_t char_at(const kp_buf *o, size_t at, size_t end)
{
	int32_t cp;
	kp_utf8_decode(o->p + at, end - at, &cp);
	return cp;
}

/* Replace o->p[at..len) by the character cp. */
static void replace_tail(kp_buf *o, size_t at, int32_t cp)
{
	o->len = at + kp_utf8_encode(o->p + at, (uint32_t)cp); /* never longer than what it replaces */
}

/* Do the characters before[0..n) (nearest first) end with a lead
 * character followed by fewer continuations than it needs? */
static int continues(const int32_t *before, int n)
{
	for (int i = 0; i < n && i < 3; i++) {
		if (cont_byte(before[i]) >= 0)
			continue;
		int32_t l = before[i];
		return l >= 0xC2 && l <= 0xF4 && i < (l < 0xE0 ? 1 : l < 0xF0 ? 2 : 3);
	}
	return 0;
}

/* The Mac-Roman byte of cp, or -1. */
static int mac_byte(const struct macpage *m, int32_t cp)
{
	if (cp < 0x100)
		return cp >= 0 && m->low[cp] ? m->low[cp] : -1;
	int lo = 0, hi = m->nhi;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->hi_cp[mid] < (uint32_t)cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nhi && m->hi_cp[lo] == (uint32_t)cp ? m->hi_b[lo] : -1;
}

/* The byte a character stands for in a mis-decoding: page 0 reads UTF-8
 * as Windows-1252/Latin-1 (a lead byte is its own code point), page 1 as
 * Mac-Roman; -1 when the character is no such byte. */
static int page_byte(const struct macpage *mac, int page, int32_t cp, int lead)
{
	if (page == 1)
		return mac_byte(mac, cp);
	if (lead)
		return cp >= 0xC2 && cp <= 0xF4 ? cp : -1;
	return cont_byte(cp);
}

/* Undo the sequences ending at the tail of o (lo: where the step's own
 * output starts); returns the number undone.  A sequence is read in one
 * code page: Windows-1252/Latin-1, else (mac not NULL) Mac-Roman. */
static uint64_t reduce_tail(kp_buf *o, size_t lo, const struct macpage *mac)
{
	uint64_t done = 0;
	for (;;) {
		size_t start[7], end = o->len;
		int32_t cp[7];
		int k = 0;
		while (k < 7 && end > lo) {
			start[k] = char_start(o, end);
			if (start[k] < lo)
				break;
			cp[k] = char_at(o, start[k], end);
			end = start[k];
			k++;
		}
		/* cp[0] is the last character; cp[need] the lead of a sequence of need+1 */
		/* the longer of the two pages' sequences: "‚Ä¶" is an ellipsis in
		 * Mac-Roman before "Ä¶" is a "Ķ" in Latin-1 */
		int32_t v = -1;
		int need = 0;
		for (int page = 0; page < (mac ? 2 : 1); page++) {
			int n = 1;
			while (n < k && page_byte(mac, page, cp[n], 0) >= 0x80 && page_byte(mac, page, cp[n], 0) <= 0xBF)
				n++;
			int c0 = page_byte(mac, page, cp[0], 0), lead = n < k ? page_byte(mac, page, cp[n], 1) : -1;
			if (n >= k || n <= need || c0 < 0x80 || c0 > 0xBF || lead < 0xC2 || lead > 0xF4)
				continue;
			int want = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
			if (want != n)
				continue;
			char b[4] = {(char)lead};
			for (int q = 1; q <= n; q++)
				b[q] = (char)page_byte(mac, page, cp[n - q], 0);
			int32_t got;
			if (kp_utf8_decode(b, (size_t)n + 1, &got) != (size_t)n + 1 || got < 0)
				continue;
			/* two-byte sequences only where the result is a Latin letter or
			 * sign: an accented capital before a symbol ("É»") is real text;
			 * or one that continues a sequence begun before it (text
			 * mis-decoded twice: "Ã¢â‚¬Â\x9D" is "â€\x9D", a right quote,
			 * "Ã¢â‚¬Ëœ" is "â€˜").  In Mac-Roman only the leads of Latin-1 and
			 * Latin Extended-A ("¬", "√", "ƒ", "≈": "¬†" is a no-break space,
			 * "√©" an é, "≈†" an Š), and the Arabic of leads ÿ and Ÿ, which
			 * news quotes ("ÿπŸéŸÑŸéŸâ" is "عَلَى"; not "€Å", the middle of
			 * "â‚¬Å“", text mis-decoded twice): "…é" is an ellipsis and an é. */
			if (n == 1 && page == 0 && (got < 0xA0 || got > 0x24F) &&
			    !(cont_byte(got) >= 0 && continues(cp + 2, k - 2)))
				continue;
			if (n == 1 && page == 1 && (got < 0xA0 || got > 0x17F) && !(got >= 0x600 && got <= 0x67F))
				continue;
			v = got;
			need = n;
		}
		if (v < 0)
			return done;
		replace_tail(o, start[need], v);
		done++;
	}
}

static int ends_with(const kp_buf *o, size_t lo, size_t end, const char *s, size_t n)
{
	return end >= lo + n && memcmp(o->p + end - n, s, n) == 0;
}

#define MOJI_A_EURO "\xC3\xA2\xE2\x82\xAC" /* "â€" */
#define MOJI_A_CIRC "\xC3\x82"             /* "Â" */

/* Sequences that lost a byte, decided by the character X after them.
 * "â€" then X, not a continuation: the byte 0x9D (undefined in
 * Windows-1252) was dropped, and it was a right double quote; "â€?" may be
 * real text, and a lead character or a reference may yet give a
 * continuation ("â€Å“" is "â€œ" mis-decoded again, "â€&#156;" escaped).
 * "Â" then a blank: the no-break space after Â became a space (or a tab, a
 * thin space: any blank a later step turns into one); not after a capital
 * ("VOCÂ sim" could be text).
 * X is the last character of o, or the end of the text (at_end).  A repair
 * ends in a new character, which decides an "â€" before it in turn, so
 * the rules repeat; the characters waiting to go back after a repaired
 * sequence are kept on the stack wait.  Returns 1 if a rule applied, or
 * KP_ENOMEM. */
static int damaged_tail(kp_buf *o, size_t lo, int at_end, kp_buf *wait, uint64_t *count)
{
	size_t base = wait->len;
	int applied = 0;
	for (;;) {
		size_t x_at = o->len;
		int32_t x = -1;
		if (!at_end && o->len > lo) {
			x_at = char_start(o, o->len);
			x = char_at(o, x_at, o->len);
		}
		if ((at_end || o->len > lo) && x != '?' && x != '&' &&
		    (x < 0 || (cont_byte(x) < 0 && (x < 0xC2 || x > 0xF4))) && ends_with(o, lo, x_at, MOJI_A_EURO, 5)) {
			TRY(kp_buf_add(wait, o->p + x_at, o->len - x_at));
			o->len = x_at;
			replace_tail(o, x_at - 5, 0x201D);
			*count += 1 + reduce_tail(o, lo, NULL);
			applied = 1;
			at_end = 0;
			continue;
		}
		if (x >= 0 && (x == '\t' || u_charType(x) == U_SPACE_SEPARATOR) && ends_with(o, lo, x_at, MOJI_A_CIRC, 2) &&
		    !(x_at - 2 > lo && kp_is_upper_cp(char_at(o, char_start(o, x_at - 2), x_at - 2)))) {
			o->len = x_at; /* the blank was the no-break space */
			replace_tail(o, x_at - 2, 0xA0);
			*count += 1 + reduce_tail(o, lo, NULL);
			applied = 1;
			continue;
		}
		at_end = 0;
		if (wait->len == base)
			return applied;
		size_t c = char_start(wait, wait->len); /* the next waiting character goes back */
		memcpy(o->p + o->len, wait->p + c, wait->len - c);
		o->len += wait->len - c;
		wait->len = c;
	}
}

/* The first byte at or after i that is non-ASCII, a control character
 * (below 0x20, or DEL) when ctl, or c when c != 0; len when there is none.
 * Eight bytes at a time: most text has few such bytes. */
static size_t find_special(const char *s, size_t len, size_t i, int ctl, unsigned char c)
{
	for (; i + 8 <= len; i += 8) {
		uint64_t w = kp_load64(s + i);
		uint64_t m = (w & KP_HIGH) | (ctl ? kp_swar_ctl(w) | kp_swar_eq(w, 0x7F) : 0) | (c ? kp_swar_eq(w, c) : 0);
		if (m)
			return i + kp_swar_first(m);
	}
	for (; i < len; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x80 || (ctl && (b < 0x20 || b == 0x7F)) || (c && b == c))
			return i;
	}
	return len;
}

/* ---- decoding: references, mojibake, invisible characters ------------------ *
 *
 * One pass over the text undoes all three on the output as it grows,
 * because each can complete another: a zero-width space between "&am" and
 * "p;", a reference that gives the last byte of a mis-decoded sequence
 * ("â€&#156;"), a sequence that gives a control character.  After each
 * character goes out, the tail is checked: a ';' may end a reference, a
 * continuation may end a mis-decoded sequence, and what a rule gives goes
 * out the same way.  Characters the controls step removes are dropped on
 * the way in.  Every rule shortens the output, so the work is linear. */

/* Classes of the character map (below) */
enum cls { C_KEEP, C_DROP, C_SPACE, C_NL, C_PARA, C_SQUOTE, C_DQUOTE, C_ELLIPSIS, C_DASH, C_HYPHEN, C_WIDE, C_ZWJ };
static enum cls classify(int32_t cp);
static int is_pictographic(int32_t cp);

/* No droppable continuation is waiting (decoder.first_drop). */
#define NO_DROP SIZE_MAX

struct decoder {
	kp_norm *n;
	kp_buf *o;
	int entities, mojibake, controls;
	uint64_t changes;
	/* Where the earliest droppable continuation still waiting in the output
	 * is (dec_purge), or NO_DROP.  Every waiting one is at or after it; the
	 * output may since have shrunk under it (then none waits there). */
	size_t first_drop;
};

/* A droppable continuation now waits at offset at. */
static void dec_waits(struct decoder *d, size_t at)
{
	if (d->first_drop == NO_DROP || d->first_drop >= at)
		d->first_drop = at;
}

static int dec_drops(const struct decoder *d, int32_t cp)
{
	if (!d->controls)
		return 0;
	enum cls k = classify(cp);
	if (k == C_DROP)
		return 1;
	/* ZWJ: kept after a pictograph, where it may join an emoji sequence
	 * (the character map decides, seeing what follows) */
	if (k == C_ZWJ) {
		const kp_buf *o = d->o;
		return !o->len || !is_pictographic(char_at(o, char_start(o, o->len), o->len));
	}
	return 0;
}

/* A reference ending the output ("&...;")?  Replaced by its characters,
 * which are handed back in pend (last first) to go out one by one. */
static int dec_reference(struct decoder *d, int32_t *pend, int *np)
{
	kp_buf *o = d->o;
	size_t i = o->len - 1, stop = o->len > 48 ? o->len - 48 : 0;
	while (i > stop && o->p[i - 1] != '&' && (kp_ascii_isalnum((unsigned char)o->p[i - 1]) || o->p[i - 1] == '#'))
		i--;
	if (i == 0 || o->p[i - 1] != '&')
		return 0;
	char ch[16];
	size_t chl = 0;
	if (entity_at(d->n->c, o->p + i, o->len - i, ch, &chl) != o->len - i)
		return 0;
	o->len = i - 1;
	d->n->count[KP_NORM_ENTITIES]++;
	d->changes++;
	int32_t cps[8];
	int k = 0;
	for (size_t q = 0; q < chl && k < 8;)
		q += kp_utf8_decode(ch + q, chl - q, &cps[k++]);
	while (k > 0)
		pend[(*np)++] = cps[--k];
	return 1;
}

/* Undo the mis-decoded sequences the tail now ends (and the damaged ones
 * its last character decides); a repaired character the controls step
 * removes goes, unless it may itself continue a sequence. */
static int dec_settle(struct decoder *d)
{
	kp_buf *o = d->o;
	uint64_t *count = &d->n->count[KP_NORM_MOJIBAKE], before = *count;
	*count += reduce_tail(o, 0, &d->n->c->mac);
	TRY(damaged_tail(o, 0, 0, &d->n->wait, count));
	if (*count == before)
		return 0;
	d->changes++;
	size_t at = char_start(o, o->len);
	int32_t last = o->len ? char_at(o, at, o->len) : 0;
	if (o->len && dec_drops(d, last)) {
		if (cont_byte(last) < 0) {
			o->len = at;
			d->n->count[KP_NORM_CONTROLS]++;
		} else {
			dec_waits(d, at);
		}
	}
	return 0;
}

/* Characters the controls step removes that look like continuation bytes
 * (C1 controls, the soft hyphen: "Ã\u00AD" is "í") stay while a sequence
 * may still take them.  When a character that cannot continue one comes,
 * the run of continuations at the tail goes out again without them, from
 * the first that waits: what precedes it in the run is settled already,
 * and looking at it again for every new character would take time
 * quadratic in the run ("â€”" repeated is a run of em dashes). */
static int dec_purge(struct decoder *d)
{
	kp_buf *o = d->o, *run = &d->n->scratch;
	if (d->first_drop == NO_DROP || d->first_drop >= o->len) {
		d->first_drop = NO_DROP;
		return 0;
	}
	size_t start = o->len, floor = d->first_drop;
	int any = 0;
	while (start > floor) {
		size_t a = char_start(o, start);
		int32_t c = char_at(o, a, start);
		if (cont_byte(c) < 0)
			break;
		any |= dec_drops(d, c);
		start = a;
	}
	d->first_drop = NO_DROP;
	if (!any)
		return 0;
	run->len = 0;
	TRY(kp_buf_add(run, o->p + start, o->len - start));
	o->len = start;
	for (size_t i = 0; i < run->len;) {
		int32_t c;
		size_t k = kp_utf8_decode(run->p + i, run->len - i, &c);
		i += k;
		if (dec_drops(d, c)) {
			d->n->count[KP_NORM_CONTROLS]++;
			d->changes++;
			continue;
		}
		o->len += kp_utf8_encode(o->p + o->len, (uint32_t)c);
		TRY(dec_settle(d));
	}
	return 0;
}

/* Send one character out (cp < 0: the end of the text), and everything
 * its arrival sets off. */
static int dec_put(struct decoder *d, int32_t cp)
{
	kp_buf *o = d->o;
	int32_t pend[16];
	int np = 0;
	for (;;) {
		int cont = d->mojibake && cp >= 0 && cont_byte(cp) >= 0;
		if (!cont && d->mojibake && d->controls)
			TRY(dec_purge(d));
		if (cp < 0) {
			int rc = d->mojibake ? damaged_tail(o, 0, 1, &d->n->wait, &d->n->count[KP_NORM_MOJIBAKE]) : 0;
			if (rc < 0)
				return rc;
			d->changes += (uint64_t)rc;
		} else if (!cont && dec_drops(d, cp)) {
			d->n->count[KP_NORM_CONTROLS]++;
			d->changes++;
		} else {
			if (cont && d->controls && dec_drops(d, cp))
				dec_waits(d, o->len);
			o->len += kp_utf8_encode(o->p + o->len, (uint32_t)cp);
			if (cp == ';' && d->entities && np < 12 && dec_reference(d, pend, &np)) {
				/* its characters go out next */
			} else if (d->mojibake) {
				TRY(dec_settle(d));
			}
		}
		if (!np)
			return 0;
		cp = pend[--np];
	}
}

/* Could the character at s start work for the decoder? */
static int dec_trigger(const struct decoder *d, int32_t cp)
{
	if (cp == '&')
		return d->entities;
	if (d->mojibake && cp >= 0xC2 && cp <= 0xF4)
		return 1;
	if (d->mojibake && cp >= 0x80) {
		int b = mac_byte(&d->n->c->mac, cp);
		if (b >= 0xC2 && b <= 0xF4)
			return 1;
	}
	return d->controls && (classify(cp) == C_DROP || classify(cp) == C_ZWJ);
}

static int step_decode(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	struct decoder d = {n, o, on(n, KP_NORM_ENTITIES), on(n, KP_NORM_MOJIBAKE), on(n, KP_NORM_CONTROLS), 0, NO_DROP};
	if (!d.entities && !d.mojibake && !d.controls)
		return 0;
	/* the first character that may start work, eight bytes at a time */
	size_t i = 0;
	int32_t cp = 0;
	for (;;) {
		i = find_special(s, len, i, d.controls, d.entities ? '&' : 0);
		if (i >= len)
			return 0;
		size_t k = kp_utf8_decode(s + i, len - i, &cp);
		if (dec_trigger(&d, cp))
			break;
		i += k;
	}
	TRY(kp_buf_reserve(o, 2 * len + 16)); /* a reference gives at most 6/5 of its bytes */
	memcpy(o->p, s, i);
	o->len = i;
	int single = 1; /* after a non-ASCII character, the next goes out alone */
	while (i < len) {
		if (!single) {
			/* printable ASCII other than ';' needs no look */
			size_t j = find_special(s, len, i, 1, ';');
			memcpy(o->p + o->len, s + i, j - i);
			o->len += j - i;
			i = j;
			if (i >= len)
				break;
		}
		size_t k = kp_utf8_decode(s + i, len - i, &cp);
		TRY(dec_put(&d, cp));
		single = o->len && (unsigned char)o->p[o->len - 1] >= 0x80;
		i += k;
	}
	TRY(dec_put(&d, -1));
	if (!d.changes)
		return 0;
	return 1;
}

/* ---- the character map: controls, spaces, punctuation --------------------- */


static enum cls classify(int32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' ? C_KEEP : cp == 0x0B || cp == 0x0C ? C_NL : C_DROP;
	if (cp < 0x7F)
		return cp == '-' ? C_HYPHEN : C_KEEP;
	if (cp <= 0x9F)
		return cp == 0x85 ? C_NL : C_DROP;
	switch (cp) {
	case 0xA0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
		return C_SPACE;
	case 0xAD: case 0x061C: case 0x180E: case 0x200B: case 0x200C: case 0x200E: case 0x200F:
	case 0x2060: case 0x2061: case 0x2062: case 0x2063: case 0x2064: case 0xFEFF:
	case 0xFFF9: case 0xFFFA: case 0xFFFB:
		return C_DROP;
	case 0x200D:
		return C_ZWJ;
	case 0x2028:
		return C_NL;
	case 0x2029:
		return C_PARA;
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
	case 0x2039: case 0x203A: case 0xB4: case 0x2BC: case 0x2BB:
		return C_SQUOTE;
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
	case 0xAB: case 0xBB: case 0x301D: case 0x301E:
		return C_DQUOTE;
	case 0x2026:
		return C_ELLIPSIS;
	case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2E3A: case 0x2E3B:
	case 0xFE58: case 0xFE31: case 0xFE32:
		return C_DASH;
	case 0x2010: case 0x2011: case 0x2212: case 0xFE63: case 0xFF0D:
		return C_HYPHEN;
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return C_SPACE;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return C_DROP;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return C_WIDE;
	return C_KEEP;
}

/* What the classes with a fixed replacement become, and whose change it is. */
static const struct {
	int op;
	const char *with;
} char_map[] = {
	[C_DROP] = {KP_NORM_CONTROLS, ""},     [C_NL] = {KP_NORM_CONTROLS, "\n"},
	[C_PARA] = {KP_NORM_CONTROLS, "\n\n"}, [C_SPACE] = {KP_NORM_SPACES, " "},
	[C_SQUOTE] = {KP_NORM_PUNCT, "'"},     [C_DQUOTE] = {KP_NORM_PUNCT, "\""},
	[C_ELLIPSIS] = {KP_NORM_PUNCT, "..."},
};

/* Which class an operation owns (C_KEEP for classes of switched-off ops). */
static enum cls owned(const kp_norm *n, enum cls k)
{
	switch (k) {
	case C_DROP: case C_NL: case C_PARA: case C_ZWJ:
		return on(n, KP_NORM_CONTROLS) ? k : C_KEEP;
	case C_SPACE:
		return on(n, KP_NORM_SPACES) ? k : C_KEEP;
	case C_SQUOTE: case C_DQUOTE: case C_ELLIPSIS: case C_DASH: case C_HYPHEN: case C_WIDE:
		return on(n, KP_NORM_PUNCT) ? k : C_KEEP;
	default:
		return C_KEEP;
	}
}

static int is_blank_byte(char c) { return c == ' ' || c == '\t'; }

/* Is cp a dash or hyphen the punctuation step joins into a run? */
static enum cls dash_class(int32_t cp)
{
	enum cls k = classify(cp);
	return k == C_DASH || k == C_HYPHEN ? k : C_KEEP;
}

/* A run of dashes at s[i]: "-" stays; a hyphen sign becomes "-"; an en
 * dash between digits is a range, "-"; any other run (two or more, or an
 * en/em dash, a bar) is punctuation and becomes " - " with the blanks
 * around it, "- " at the start of a line and " -" at its end.  Returns
 * the input bytes consumed from i. */
static int dash_run(kp_norm *n, const char *s, size_t len, size_t i, kp_buf *o, size_t *used)
{
	size_t j = i, count = 0;
	int32_t first = 0, cp;
	while (j < len) {
		size_t k = kp_utf8_decode(s + j, len - j, &cp);
		if (dash_class(cp) == C_KEEP)
			break;
		if (!count)
			first = cp;
		count++;
		j += k;
	}
	if (count == 1 && first == '-') {
		TRY(kp_buf_addc(o, '-'));
		*used = j - i;
		return 0;
	}
	n->count[KP_NORM_PUNCT]++;
	int prev_digit = o->len && kp_ascii_isdigit((unsigned char)o->p[o->len - 1]);
	if (count == 1 && (dash_class(first) == C_HYPHEN ||
			   ((first == 0x2012 || first == 0x2013) && prev_digit && j < len && kp_ascii_isdigit((unsigned char)s[j])))) {
		TRY(kp_buf_addc(o, '-'));
		*used = j - i;
		return 0;
	}
	while (o->len && is_blank_byte(o->p[o->len - 1]))
		o->len--;
	/* blanks after: spaces and tabs, and Unicode spaces when they are ours */
	for (;;) {
		if (j < len && is_blank_byte(s[j])) {
			j++;
			continue;
		}
		if (j < len && (unsigned char)s[j] >= 0x80) {
			size_t k = kp_utf8_decode(s + j, len - j, &cp);
			if (owned(n, classify(cp)) == C_SPACE) {
				j += k;
				continue;
			}
		}
		break;
	}
	int line_start = !o->len || o->p[o->len - 1] == '\n';
	int line_end = j >= len || s[j] == '\n';
	if (!line_start) {
		if (o->len >= 2 && o->p[o->len - 2] == '\xC3' && o->p[o->len - 1] == '\x82')
			n->rescan = 1; /* "Â " reads as a mis-decoded no-break space */
		TRY(kp_buf_addc(o, ' '));
	}
	TRY(kp_buf_addc(o, '-'));
	if (!line_end)
		TRY(kp_buf_addc(o, ' '));
	*used = j - i;
	return 0;
}

static int is_pictographic(int32_t cp)
{
	return cp >= 0x80 && u_hasBinaryProperty(cp, UCHAR_EXTENDED_PICTOGRAPHIC);
}

static int step_chars(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	const uint8_t *unsafe = n->c->form == KP_NORM_NONE ? NULL : n->c->unsafe[n->c->form];
	UProperty qc = n->c->form == KP_NORM_NFKC ? UCHAR_NFKC_QUICK_CHECK : UCHAR_NFC_QUICK_CHECK;
	int punct = on(n, KP_NORM_PUNCT), controls = on(n, KP_NORM_CONTROLS);
	size_t i = 0, done = 0;
	int changed = 0;
	int32_t prev = 0;
	n->need_form = 0;
	while (i < len) {
		/* skip printable ASCII other than '-' */
		i = find_special(s, len, i, 1, punct ? '-' : 0);
		if (i >= len)
			break;
		if (i > 0 && (unsigned char)s[i - 1] < 0x80)
			prev = (unsigned char)s[i - 1];
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x20 && b < 0x7F) {
			prev = b;
			if (b != '-' || !punct) {
				i++;
				continue;
			}
			/* a lone hyphen between letters, the common case */
			if (i + 1 >= len || (s[i + 1] != '-' && (unsigned char)s[i + 1] < 0x80)) {
				i++;
				continue;
			}
		} else if (b < 0x20 && (b == '\n' || b == '\t' || !controls)) {
			prev = b;
			i++;
			continue;
		}
		int32_t cp;
		size_t k = kp_utf8_decode(s + i, len - i, &cp);
		enum cls cl = owned(n, classify(cp));
		if (cl == C_ZWJ && is_pictographic(prev)) {
			int32_t next = 0;
			if (i + k < len)
				kp_utf8_decode(s + i + k, len - i - k, &next);
			if (is_pictographic(next))
				cl = C_KEEP; /* inside an emoji sequence */
			else
				cl = C_DROP;
		} else if (cl == C_ZWJ)
			cl = C_DROP;
		if (cl == C_HYPHEN && cp == '-') {
			int32_t next = 0;
			if (i + 1 < len)
				kp_utf8_decode(s + i + 1, len - i - 1, &next);
			if (dash_class(next) == C_KEEP)
				cl = C_KEEP; /* a lone hyphen before a non-ASCII letter */
		}
		if (cl == C_KEEP) {
			if (unsafe && cp >= 0x80 && (cp < 0x10000 ? get_bit(unsafe, (uint32_t)cp) : form_unsafe_icu(cp, qc)))
				n->need_form = 1;
			prev = cp;
			i += k;
			continue;
		}
		TRY(copy_since(o, &changed, len + 16, s, done, i));
		size_t used = k;
		if (cl == C_DASH || cl == C_HYPHEN) {
			TRY(dash_run(n, s, len, i, o, &used));
		} else if (cl == C_WIDE) {
			n->count[KP_NORM_PUNCT]++;
			TRY(kp_buf_addc(o, (char)(cp - 0xFEE0)));
			n->rescan = 1; /* a wide '&' or ';' can complete an entity */
		} else {
			n->count[char_map[cl].op]++;
			TRY(kp_buf_adds(o, char_map[cl].with));
			if (cl == C_DROP)
				n->rescan = 1; /* its neighbours meet */
		}
		i += used;
		done = i;
		prev = o->len ? (unsigned char)o->p[o->len - 1] : 0;
		if (prev >= 0x80)
			prev = 0;
	}
	if (!changed)
		return 0;
	TRY(kp_buf_add(o, s + done, len - done));
	return 1;
}

/* ---- normalization form --------------------------------------------------- */

static int grow_u16(UChar **p, int32_t *cap, size_t need)
{
	if (need > INT32_MAX / 2)
		return KP_ETOOLONG;
	if ((int32_t)need <= *cap)
		return 0;
	int32_t ncap = *cap ? *cap : 256;
	while (ncap < (int32_t)need)
		ncap *= 2;
	UChar *q = realloc(*p, (size_t)ncap * sizeof *q);
	if (!q)
		return KP_ENOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

static int line_unsafe(const kp_norm *n, const char *s, size_t len)
{
	const uint8_t *unsafe = n->c->unsafe[n->c->form];
	UProperty qc = n->c->form == KP_NORM_NFKC ? UCHAR_NFKC_QUICK_CHECK : UCHAR_NFC_QUICK_CHECK;
	size_t i = 0;
	while ((i = kp_ascii_run(s, len, i)) < len) {
		int32_t cp;
		i += kp_utf8_decode(s + i, len - i, &cp);
		if (cp < 0x10000 ? get_bit(unsafe, (uint32_t)cp) : form_unsafe_icu(cp, qc))
			return 1;
	}
	return 0;
}

/* Normalize one line through UTF-16; appends it to o. */
static int form_line(kp_norm *n, const char *s, size_t len, kp_buf *o, int *changed)
{
	const UNormalizer2 *nz = n->c->form == KP_NORM_NFKC ? n->c->nfkc : n->c->nfc;
	UErrorCode e = U_ZERO_ERROR;
	int32_t ul = 0;
	TRY(grow_u16(&n->u16, &n->u16cap, len + 1));
	u_strFromUTF8(n->u16, n->u16cap, &ul, s, (int32_t)len, &e);
	if (U_FAILURE(e))
		return KP_ENOMEM;
	int32_t nl;
	for (;;) {
		e = U_ZERO_ERROR;
		nl = unorm2_normalize(nz, n->u16, ul, n->u16n, n->u16ncap, &e);
		if (e != U_BUFFER_OVERFLOW_ERROR)
			break;
		TRY(grow_u16(&n->u16n, &n->u16ncap, (size_t)nl + 1));
	}
	if (U_FAILURE(e))
		return KP_ENOMEM;
	if (nl == ul && memcmp(n->u16, n->u16n, (size_t)ul * sizeof(UChar)) == 0)
		return kp_buf_add(o, s, len);
	*changed = 1;
	n->count[KP_NORM_FORM]++;
	int32_t bl = 0;
	e = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &bl, n->u16n, nl, &e);
	TRY(kp_buf_reserve(o, (size_t)bl + 1));
	e = U_ZERO_ERROR;
	u_strToUTF8(o->p + o->len, (int32_t)(o->cap - o->len), &bl, n->u16n, nl, &e);
	if (U_FAILURE(e))
		return KP_ENOMEM;
	o->len += (size_t)bl;
	return 0;
}

static int step_form(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	if (len > INT32_MAX / 4)
		return KP_ETOOLONG;
	int changed = 0;
	size_t i = 0;
	TRY(kp_buf_reserve(o, len));
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		if (line_unsafe(n, s + i, e - i))
			TRY(form_line(n, s + i, e - i, o, &changed));
		else
			TRY(kp_buf_add(o, s + i, e - i));
		if (nl)
			TRY(kp_buf_addc(o, '\n'));
		i = e + 1;
	}
	if (changed)
		n->rescan = 1; /* a composed or compatibility character is new to the map */
	return changed;
}

/* ---- glued sentences ------------------------------------------------------ */

static int lower_eq(const char *s, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (kp_ascii_isupper((unsigned char)c))
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return word[n] == '\0';
}

/* Facts about the whitespace-delimited token around a position, computed
 * once per token so that a token of many periods is still linear. */
struct token {
	size_t start, end;
	int address; /* URL, e-mail or path: never split */
};

static void token_at(const char *s, size_t len, size_t i, struct token *t)
{
	if (i >= t->start && i < t->end)
		return;
	size_t a = i, b = i;
	while (a > 0 && !(s[a - 1] == ' ' || s[a - 1] == '\n' || s[a - 1] == '\t'))
		a--;
	while (b < len && !(s[b] == ' ' || s[b] == '\n' || s[b] == '\t'))
		b++;
	t->start = a;
	t->end = b;
	t->address = 0;
	for (size_t k = a; k < b; k++) {
		char c = s[k];
		if (c == '@' || c == '/' || c == '\\' || c == '_' || c == '=' ||
		    (c == ':' && k + 2 < b && s[k + 1] == '/' && s[k + 2] == '/') ||
		    (k + 4 <= b && lower_eq(s + k, 4, "www."))) {
			t->address = 1;
			break;
		}
	}
}

/* Should a space go after the run of [.!?] s[i..j)? */
static int glued_at(const kp_norm *n, const char *s, size_t len, size_t i, size_t j, size_t split, struct token *t)
{
	if (j + 1 >= len || !kp_ascii_isupper((unsigned char)s[j]) || !kp_ascii_islower((unsigned char)s[j + 1]))
		return 0;
	if (!i || !kp_ascii_islower((unsigned char)s[i - 1]))
		return 0;
	size_t k = i;
	while (k > 0 && (kp_ascii_isupper((unsigned char)s[k - 1]) || kp_ascii_islower((unsigned char)s[k - 1])))
		k--;
	if (i - k < 2) /* "a.n.Budi", "K.A" */
		return 0;
	if (k > 0 && k != split) { /* at split, a space now comes before the word */
		unsigned char c = (unsigned char)s[k - 1];
		if (c == '.' || c >= 0x80 || kp_ascii_isdigit(c) || c == '@' || c == '/' || c == '_' || c == ':' || c == '\\')
			return 0;
	}
	size_t m = j;
	while (m < len && (kp_ascii_isupper((unsigned char)s[m]) || kp_ascii_islower((unsigned char)s[m])))
		m++;
	if (m < len && ((unsigned char)s[m] >= 0x80 || kp_ascii_isdigit((unsigned char)s[m])))
		return 0;
	/* "Kompas.Com", "situs.Detik.com/...": a domain */
	if ((m >= len || !kp_ascii_isalnum((unsigned char)s[m])) && m - j <= 16) {
		char low[17];
		for (size_t q = j; q < m; q++)
			low[q - j] = (char)(s[q] | 0x20);
		if (kp_words_has(&n->c->tlds, low, m - j))
			return 0;
	}
	/* (lower case after the period: a glued sentence there would start
	 * with a capital, so the two never meet and the result is stable) */
	if (m + 1 < len && s[m] == '.' && (kp_ascii_islower((unsigned char)s[m + 1]) || kp_ascii_isdigit((unsigned char)s[m + 1])))
		return 0;
	token_at(s, len, i, t);
	return !t->address;
}

static int step_glued(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	struct token t = {0, 0, 0};
	size_t i = 0, done = 0; /* done: where the last space went in (0: none yet) */
	int changed = 0;
	while (i < len) {
		/* the next '.', '!' or '?' followed by a capital, eight at a time */
		while (i + 9 <= len) {
			/* '!'..'?' (punctuation and digits) before 'A'..'Z' or before
			 * more punctuation: a cheap superset of the candidates */
			uint64_t m = kp_swar_range(kp_load64(s + i), '!', '?') &
				     kp_swar_range(kp_load64(s + i + 1), '!', 'Z');
			if (m) {
				i += kp_swar_first(m);
				break;
			}
			i += 8;
		}
		if (i >= len)
			break;
		char c = s[i];
		if (c != '.' && c != '!' && c != '?') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
			j++;
		if (glued_at(n, s, len, i, j, done, &t)) {
			TRY(copy_since(o, &changed, len + 64, s, done, j));
			TRY(kp_buf_addc(o, ' '));
			done = j;
			n->count[KP_NORM_GLUED]++;
		}
		i = j;
	}
	if (!changed)
		return 0;
	TRY(kp_buf_add(o, s + done, len - done));
	return 1;
}

/* ---- lower case ----------------------------------------------------------- */

static int step_lower(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	size_t i = 0;
	while (i < len && !kp_ascii_isupper((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
		i++;
	if (i == len)
		return 0;
	int changed = 0;
	TRY(kp_buf_reserve(o, len));
	TRY(kp_buf_add(o, s, i));
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			if (kp_ascii_isupper(b)) {
				b = (unsigned char)(b - 'A' + 'a');
				changed = 1;
				n->count[KP_NORM_LOWER]++;
			}
			TRY(kp_buf_addc(o, (char)b));
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && (unsigned char)s[j] >= 0x80)
			j++;
		/* a run of non-ASCII characters through ICU (final sigma and the
		 * like look only at their neighbours, which are in the run) */
		UErrorCode e = U_ZERO_ERROR;
		TRY(kp_buf_reserve(o, 3 * (j - i) + 16));
		int32_t got = ucasemap_utf8ToLower(n->casemap, o->p + o->len, (int32_t)(o->cap - o->len), s + i,
						   (int32_t)(j - i), &e);
		if (U_FAILURE(e))
			return KP_ENOMEM;
		if ((size_t)got != j - i || memcmp(o->p + o->len, s + i, j - i) != 0) {
			changed = 1;
			n->count[KP_NORM_LOWER]++;
			n->rescan = 1; /* a lower-case letter can complete mojibake */
		}
		o->len += (size_t)got;
		i = j;
	}
	if (changed && memchr(s, '&', len))
		n->rescan = 1; /* "&AMP;" is not a reference, "&amp;" is */
	return changed;
}

/* ---- informal and spelling words ------------------------------------------ */

/* Does a sentence start at the end of o (after blanks, quotes, brackets)? */
static int sentence_start(const kp_buf *o)
{
	size_t i = o->len;
	while (i > 0 && (o->p[i - 1] == ' ' || o->p[i - 1] == '\t' || o->p[i - 1] == '"' || o->p[i - 1] == '\'' ||
			 o->p[i - 1] == '(' || o->p[i - 1] == '['))
		i--;
	if (!i)
		return 1;
	char c = o->p[i - 1];
	return c == '\n' || c == '.' || c == '!' || c == '?' || c == ':';
}

/* The replacement of the word s[0..wl), or NULL; *op says which list. */
static const char *lookup_word(const kp_norm *n, const char *s, size_t wl, int wcase, int at_start, size_t *vl,
			       int *op, int *capitalise)
{
	static const int ops[NLISTS] = {KP_NORM_INFORMAL, KP_NORM_SPELLING};
	char key[64];
	*capitalise = 0;
	if (wl >= sizeof key)
		return NULL;
	for (int l = 0; l < NLISTS; l++) {
		if (!on(n, ops[l]))
			continue;
		const kp_words *w = &n->c->lists[l];
		const char *v = NULL;
		if (wcase == 'l' || wcase == 'C')
			v = kp_words_get(w, s, wl, vl); /* as written: "ijin", "Pebruari" */
		if (!v && wcase == 'C' && at_start) {
			memcpy(key, s, wl);
			key[0] = (char)(key[0] - 'A' + 'a');
			if ((v = kp_words_get(w, key, wl, vl)) != NULL)
				*capitalise = 1;
		}
		if (!v && wcase == 'l' && on(n, KP_NORM_LOWER)) {
			/* lower-cased text: "pebruari" for the key "Pebruari" */
			memcpy(key, s, wl);
			key[0] = (char)(key[0] - 'a' + 'A');
			v = kp_ascii_islower((unsigned char)s[0]) ? kp_words_get(w, key, wl, vl) : NULL;
		}
		if (v) {
			*op = ops[l];
			return v;
		}
	}
	return NULL;
}

static int word_boundary_before(const char *s, size_t i)
{
	if (!i)
		return 1;
	unsigned char c = (unsigned char)s[i - 1];
	if (c >= 0x80 || kp_ascii_isalnum(c) || c == '@' || c == '/' || c == '_' || c == '&' || c == '#' || c == '\\' ||
	    c == '-')
		return 0;
	if (c == '.' && i >= 2 && kp_ascii_isalnum((unsigned char)s[i - 2]))
		return 0; /* "www.jaman.com" */
	return 1;
}

static int word_boundary_after(const char *s, size_t len, size_t e)
{
	if (e >= len)
		return 1;
	unsigned char c = (unsigned char)s[e];
	if (c >= 0x80 || c == '@' || c == '/' || c == '_' || c == '\\' || c == '-')
		return 0;
	if ((c == '.' || c == ':') && e + 1 < len && kp_ascii_isalnum((unsigned char)s[e + 1]))
		return 0;
	return 1;
}

static int step_words(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	size_t i = 0, done = 0;
	int changed = 0;
	while (i < len) {
		if (!kp_ascii_isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t wl = word_len(s + i, len - i);
		if (!word_boundary_before(s, i) || !word_boundary_after(s, len, i + wl)) {
			i += wl;
			continue;
		}
		int wcase = word_case(s + i, wl);
		if (wcase != 'l' && wcase != 'C') {
			i += wl;
			continue;
		}
		/* the sentence-start test looks at the output, so bring it up to i */
		int at_start = 0;
		if (wcase == 'C') {
			if (!changed) {
				size_t k = i;
				while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '"' ||
						 s[k - 1] == '\'' || s[k - 1] == '(' || s[k - 1] == '['))
					k--;
				at_start = !k || s[k - 1] == '\n' || s[k - 1] == '.' || s[k - 1] == '!' ||
					   s[k - 1] == '?' || s[k - 1] == ':';
			} else {
				TRY(kp_buf_add(o, s + done, i - done));
				done = i;
				at_start = sentence_start(o);
			}
		}
		size_t vl;
		int op, capitalise;
		const char *v = lookup_word(n, s + i, wl, wcase, at_start, &vl, &op, &capitalise);
		if (!v) {
			i += wl;
			continue;
		}
		TRY(copy_since(o, &changed, len + 64, s, done, i));
		size_t at = o->len;
		TRY(kp_buf_add(o, v, vl));
		if (capitalise && kp_ascii_islower((unsigned char)o->p[at]))
			o->p[at] = (char)(o->p[at] - 'a' + 'A');
		if (on(n, KP_NORM_LOWER))
			for (size_t q = at; q < o->len; q++)
				if (kp_ascii_isupper((unsigned char)o->p[q]))
					o->p[q] = (char)(o->p[q] - 'A' + 'a');
		n->count[op]++;
		i += wl;
		done = i;
	}
	if (!changed)
		return 0;
	TRY(kp_buf_add(o, s + done, len - done));
	n->rescan = 1; /* "org2.Kemarin" -> "orang-orang.Kemarin" is glued */
	return 1;
}

/* ---- numbers -------------------------------------------------------------- */

static int step_numbers(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	int changed = 0;
	size_t i = 0, done = 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			if (b >= '1' && b <= '9') {
				TRY(copy_since(o, &changed, len, s, done, i));
				TRY(kp_buf_addc(o, '0'));
				n->count[KP_NORM_NUMBERS]++;
				done = i + 1;
			}
			i++;
			continue;
		}
		int32_t cp;
		size_t k = kp_utf8_decode(s + i, len - i, &cp);
		if (cp > 0 && u_charType(cp) == U_DECIMAL_DIGIT_NUMBER) {
			TRY(copy_since(o, &changed, len, s, done, i));
			TRY(kp_buf_addc(o, '0'));
			n->count[KP_NORM_NUMBERS]++;
			n->rescan = 1; /* "&#١٢;" becomes a reference */
			done = i + k;
		}
		i += k;
	}
	if (!changed)
		return 0;
	TRY(kp_buf_add(o, s + done, len - done));
	return 1;
}

/* ---- whitespace ----------------------------------------------------------- */

/* Whitespace: every maximal run of blanks and line ends becomes "" at the
 * start or end of the text, else " " (no line end in it), "\n" (one) or
 * "\n\n" (two or more: a paragraph break).  Runs already in that form are
 * copied; the others are found eight positions at a time. */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* Is there a run not in its final form at s[i] ("  ", " \n", "\n ",
 * "\n\n\n"; tabs are looked for apart)? */
static int ws_dirty_at(const char *s, size_t len, size_t i)
{
	char c = s[i], d = i + 1 < len ? s[i + 1] : 0;
	return c == '\t' || (c == ' ' && (d == ' ' || d == '\n')) ||
	       (c == '\n' && (d == ' ' || (d == '\n' && i + 2 < len && s[i + 2] == '\n')));
}

/* The first position at or after i where ws_dirty_at(), or len.  Such a
 * place is two blank bytes in a row: found eight positions at a time. */
static size_t ws_next_dirty(const char *s, size_t len, size_t i)
{
	for (; i + 9 <= len; i += 8) {
		uint64_t m = kp_swar_lt(kp_load64(s + i), 0x21) & kp_swar_lt(kp_load64(s + i + 1), 0x21);
		while (m) {
			size_t at = i + kp_swar_first(m);
			if (ws_dirty_at(s, len, at))
				return at;
			m &= m - 1;
		}
	}
	for (; i < len; i++)
		if (ws_dirty_at(s, len, i))
			return i;
	return len;
}

static int step_whitespace(kp_norm *n, const char *s, size_t len, kp_buf *o)
{
	if (!len)
		return 0;
	size_t lead = 0, end = len;
	while (lead < len && is_ws(s[lead]))
		lead++;
	while (end > lead && is_ws(s[end - 1]))
		end--;
	const char *tab = memchr(s + lead, '\t', end - lead);
	size_t d = tab ? (size_t)(tab - s) : end;
	d = ws_next_dirty(s, d, lead);
	if (lead == 0 && end == len && d == end)
		return 0;
	TRY(kp_buf_reserve(o, end - lead + 1));
	size_t i = lead;
	while (d < end) {
		size_t a = d, b;
		while (a > i && is_ws(s[a - 1]))
			a--;
		b = a;
		int nl = 0;
		while (b < end && is_ws(s[b]))
			nl += s[b++] == '\n';
		memcpy(o->p + o->len, s + i, a - i);
		o->len += a - i;
		if (nl)
			o->p[o->len++] = '\n';
		if (nl >= 2 || !nl)
			o->p[o->len++] = nl ? '\n' : ' ';
		i = b;
		tab = tab && tab < s + b ? memchr(s + b, '\t', end - b) : tab;
		d = ws_next_dirty(s, tab ? (size_t)(tab - s) : end, b);
	}
	memcpy(o->p + o->len, s + i, end - i);
	o->len += end - i;
	n->count[KP_NORM_WHITESPACE]++;
	return 1;
}

/* ---- driver ---------------------------------------------------------------- */

typedef int (*step_fn)(kp_norm *n, const char *s, size_t len, kp_buf *o);

static int apply(kp_norm *n, step_fn f, const char **cur, size_t *len)
{
	kp_buf *o = out_for(n, *cur);
	int rc = f(n, *cur, *len, o);
	if (rc > 0) {
		*cur = o->p ? o->p : "";
		*len = o->len;
	}
	return rc;
}

static int one_pass(kp_norm *n, const char **cur, size_t *len)
{
	int changed = 0, rc;
#define STEP(f)                                       \
	do {                                          \
		if ((rc = apply(n, f, cur, len)) < 0) \
			return rc;                    \
		changed |= rc;                        \
	} while (0)
	n->rescan = 0;
	STEP(step_utf8);
	if (on(n, KP_NORM_WHITESPACE))
		STEP(step_cr);
	STEP(step_decode);
	/* an entity can decode to a CR ("&#13;"), which step_cr has passed */
	if (on(n, KP_NORM_WHITESPACE) && memchr(*cur, '\r', *len))
		n->rescan = 1;
	STEP(step_chars);
	if (n->need_form)
		STEP(step_form);
	if (on(n, KP_NORM_GLUED))
		STEP(step_glued);
	if (on(n, KP_NORM_LOWER))
		STEP(step_lower);
	if (on(n, KP_NORM_INFORMAL) || on(n, KP_NORM_SPELLING))
		STEP(step_words);
	if (on(n, KP_NORM_NUMBERS))
		STEP(step_numbers);
	if (on(n, KP_NORM_WHITESPACE))
		STEP(step_whitespace);
#undef STEP
	return changed;
}

int kp_norm_run(kp_norm *n, const char *text, size_t len, const char **out, size_t *outlen)
{
	/* no step grows text by more than this factor (NFKC of U+FDFA is the
	 * worst: 3 bytes -> 33) */
	size_t cap = len < ((size_t)-1 - 4096) / 16 ? 16 * len + 4096 : (size_t)-1;
	n->buf[0].max = n->buf[1].max = n->scratch.max = n->wait.max = cap;
	n->wait.len = 0;
	const char *cur = text;
	size_t cl = len;
	int changed = 0;
	for (int pass = 0; pass < MAX_PASSES; pass++) {
		int rc = one_pass(n, &cur, &cl);
		if (rc < 0)
			return rc;
		changed |= rc;
		if (!rc || !n->rescan)
			break;
	}
	*out = changed ? cur : text;
	*outlen = changed ? cl : len;
	return changed;
}
