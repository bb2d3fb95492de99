/* The document codec.  Why a scanner of our own rather than yajl's parser:
 * the codec's job is to keep every untouched byte, so it needs the exact
 * span of each member, which yajl's callback API does not expose; yajl also
 * accepts overlong UTF-8 and encoded surrogates, which must be rejected here.
 * The scanner is a single linear pass with an explicit container stack (no
 * recursion, so deep nesting cannot overflow the C stack); yajl serves as the
 * differential oracle in the tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_int.h"
#include "korpus/doc.h"
#include "korpus/utf8.h"
#include "utf8_int.h"

enum jtype { J_STR = 1, J_NUM, J_OBJ, J_ARR, J_TRUE, J_FALSE, J_NULL };

typedef struct member {
	size_t kbeg, kend; /* the key with its quotes */
	size_t vbeg, vend; /* the value */
	unsigned char type;
	unsigned char kesc, vesc; /* key / string value holds escapes */
} member;

typedef struct edit {
	long target;      /* member index replaced, or -1 to append */
	size_t key, keylen; /* the key, unquoted, in the arena */
	size_t val, vallen; /* JSON value in the arena; vallen == TEXT_VALUE: the new text */
} edit;

#define TEXT_VALUE ((size_t)-1)

typedef struct op {
	size_t beg, end; /* line span replaced (beg == end: insertion) */
	int kind;        /* OP_TOP_EDIT, OP_META_EDIT, OP_TOP_APPEND, OP_META_APPEND, OP_META_NEW */
	size_t idx;      /* edit index for *_EDIT */
} op;

enum { OP_TOP_EDIT, OP_META_EDIT, OP_TOP_APPEND, OP_META_APPEND, OP_META_NEW };

struct kp_doc {
	unsigned flags;
	size_t max_line;
	kp_err err;

	const char *line;
	size_t len;
	size_t obj_beg, obj_end; /* '{' .. one past '}' */
	kp_buf top;              /* member[] */
	kp_buf meta;             /* member[] of "metadata" when it is an object */
	long text_i, meta_i, id_i;
	size_t meta_close; /* offset of metadata's '}' */

	/* decoded values */
	int text_ready;
	const char *text;
	size_t text_len;
	kp_buf textbuf, idbuf, strbuf, keybuf;
	kp_buf fixed; /* UTF-8-repaired copy of the line */
	kp_buf stack; /* container stack, one byte per level */
	uint64_t repairs;

	/* edits */
	const char *new_text;
	size_t new_text_len;
	kp_buf top_edits, meta_edits; /* edit[] */
	kp_buf arena;
	kp_buf ops;
	kp_buf out;
};

#define MEMBERS(b) ((member *)(void *)(b).p)
#define NMEMBERS(b) ((b).len / sizeof(member))
#define EDITS(b) ((edit *)(void *)(b).p)
#define NEDITS(b) ((b).len / sizeof(edit))

kp_doc *kp_doc_new(size_t max_line, unsigned flags)
{
	kp_doc *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	if (!max_line)
		max_line = KP_DEFAULT_MAX_LINE;
	d->max_line = max_line;
	d->flags = flags;
	/* Caps: member tables and the stack grow with the line; decoded strings
	 * are never longer than the line; output may grow by JSON escaping of a
	 * replaced text (at most 6 bytes per input byte). */
	size_t big = max_line > (SIZE_MAX - 4096) / 8 ? SIZE_MAX / 2 : max_line * 8 + 4096;
	kp_buf_init(&d->top, big);
	kp_buf_init(&d->meta, big);
	kp_buf_init(&d->textbuf, max_line + 1);
	kp_buf_init(&d->idbuf, max_line + 1);
	kp_buf_init(&d->strbuf, max_line + 1);
	kp_buf_init(&d->keybuf, max_line + 1);
	kp_buf_init(&d->fixed, big);
	kp_buf_init(&d->stack, max_line + 1);
	kp_buf_init(&d->top_edits, big);
	kp_buf_init(&d->meta_edits, big);
	kp_buf_init(&d->arena, big);
	kp_buf_init(&d->ops, big);
	kp_buf_init(&d->out, big);
	kp_doc_clear(d);
	return d;
}

void kp_doc_free(kp_doc *d)
{
	if (!d)
		return;
	kp_buf *bufs[] = {&d->top, &d->meta, &d->textbuf, &d->idbuf, &d->strbuf, &d->keybuf, &d->fixed,
			  &d->stack, &d->top_edits, &d->meta_edits, &d->arena, &d->ops, &d->out};
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		kp_buf_free(bufs[i]);
	free(d);
}

const char *kp_doc_errmsg(const kp_doc *d)
{
	return d->err.msg;
}

uint64_t kp_doc_repairs(const kp_doc *d)
{
	return d->repairs;
}

static void reset_state(kp_doc *d)
{
	d->top.len = d->meta.len = 0;
	d->text_i = d->meta_i = d->id_i = -1;
	d->meta_close = 0;
	d->text_ready = 0;
	d->text = NULL;
	d->text_len = 0;
	d->repairs = 0;
	d->new_text = NULL;
	d->new_text_len = 0;
	d->top_edits.len = d->meta_edits.len = d->arena.len = 0;
	kp_err_clear(&d->err);
}

void kp_doc_clear(kp_doc *d)
{
	reset_state(d);
	d->line = "{}";
	d->len = 2;
	d->obj_beg = 0;
	d->obj_end = 2;
}

/* ---- scanning ----------------------------------------------------------- */

static inline int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline size_t skip_ws(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && is_ws(s[i]))
		i++;
	return i;
}

static inline int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static const char *char_desc(const unsigned char *s, size_t n, size_t i, char *tmp, size_t tmpsz)
{
	if (i >= n)
		return "end of line";
	if (s[i] >= 0x20 && s[i] < 0x7f)
		snprintf(tmp, tmpsz, "'%c'", s[i]);
	else
		snprintf(tmp, tmpsz, "byte 0x%02x", s[i]);
	return tmp;
}

static int syntax(kp_doc *d, const unsigned char *s, size_t n, size_t i, const char *expected)
{
	char tmp[32];
	return kp_err_set(&d->err, KP_EJSON, "invalid JSON at column %zu: expected %s, found %s", i + 1,
			  expected, char_desc(s, n, i, tmp, sizeof tmp));
}


/* Scan the string whose opening quote is at s[i]; returns the offset after
 * the closing quote, or (size_t)-1 with the error set. */
static size_t scan_string(kp_doc *d, const unsigned char *s, size_t n, size_t i, unsigned char *esc, int *rc)
{
	*rc = KP_EJSON;
	size_t start = i++;
	*esc = 0;
	for (;;) {
		while (i + 8 <= n && !kp_swar_json_special(kp_load64((const char *)s + i)))
			i += 8;
		if (i >= n)
			break;
		unsigned char c = s[i];
		if (c == '"')
			return i + 1;
		if (c == '\\') {
			*esc = 1;
			if (i + 1 >= n)
				break;
			unsigned char e = s[i + 1];
			if (e == 'u') {
				if (i + 6 > n || hexval(s[i + 2]) < 0 || hexval(s[i + 3]) < 0 ||
				    hexval(s[i + 4]) < 0 || hexval(s[i + 5]) < 0) {
					kp_err_set(&d->err, KP_EJSON,
						   "invalid JSON at column %zu: bad \\u escape (4 hex digits expected)",
						   i + 1);
					return (size_t)-1;
				}
				i += 6;
			} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
				   e == 'r' || e == 't') {
				i += 2;
			} else {
				char tmp[32];
				kp_err_set(&d->err, KP_EJSON, "invalid JSON at column %zu: bad escape \\%s", i + 1,
					   char_desc(s, n, i + 1, tmp, sizeof tmp));
				return (size_t)-1;
			}
			continue;
		}
		if (c < 0x20) {
			kp_err_set(&d->err, KP_EJSON,
				   "invalid JSON at column %zu: control character 0x%02x in a string (must be escaped)",
				   i + 1, c);
			return (size_t)-1;
		}
		if (c >= 0x80) {
			int32_t cp;
			size_t k = kp_utf8_decode((const char *)s + i, n - i, &cp);
			if (cp < 0) {
				*rc = kp_err_set(&d->err, KP_EUTF8, "invalid UTF-8 at column %zu (byte 0x%02x)", i + 1, c);
				return (size_t)-1;
			}
			i += k;
			continue;
		}
		i++;
	}
	kp_err_set(&d->err, KP_EJSON, "invalid JSON at column %zu: unterminated string", start + 1);
	return (size_t)-1;
}

static size_t scan_number(kp_doc *d, const unsigned char *s, size_t n, size_t i)
{
	size_t start = i;
	if (s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else if (i < n && s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return syntax(d, s, n, i, "a digit"), (size_t)-1;
	}
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return syntax(d, s, n, i, "a digit after '.'"), (size_t)-1;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return syntax(d, s, n, i, "a digit in the exponent"), (size_t)-1;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	(void)start;
	return i;
}

/* Compare a raw key span (with quotes) with a plain name, decoding escapes
 * only when the key has some. */
static int key_is(kp_doc *d, const member *m, const char *name, size_t namelen)
{
	const char *k = d->line + m->kbeg + 1;
	size_t klen = m->kend - m->kbeg - 2;
	if (!m->kesc)
		return klen == namelen && memcmp(k, name, namelen) == 0;
	if (klen < namelen) /* escapes only shrink */
		return 0;
	d->keybuf.len = 0;
	if (kp_buf_reserve(&d->keybuf, klen) < 0)
		return 0;
	uint64_t dummy = 0;
	size_t got = kp_json_unescape(d->keybuf.p, k, klen, &dummy);
	return got == namelen && memcmp(d->keybuf.p, name, namelen) == 0;
}

static const char *type_name(unsigned char t)
{
	switch (t) {
	case J_STR: return "a string";
	case J_NUM: return "a number";
	case J_OBJ: return "an object";
	case J_ARR: return "an array";
	case J_TRUE:
	case J_FALSE: return "a boolean";
	case J_NULL: return "null";
	}
	return "?";
}

static unsigned char type_of(unsigned char c)
{
	switch (c) {
	case '"': return J_STR;
	case '{': return J_OBJ;
	case '[': return J_ARR;
	case 't': return J_TRUE;
	case 'f': return J_FALSE;
	case 'n': return J_NULL;
	}
	return (c == '-' || (c >= '0' && c <= '9')) ? J_NUM : 0;
}

static int push_member(kp_doc *d, kp_buf *tab, size_t kbeg, size_t kend, unsigned char kesc)
{
	member m = {.kbeg = kbeg, .kend = kend, .kesc = kesc};
	int rc = kp_buf_add(tab, &m, sizeof m);
	if (rc < 0)
		return kp_err_set(&d->err, rc, "document too large (member table)");
	return 0;
}

/* The error for a line that is not a JSON object: KP_EDOC naming the type
 * when the line is another JSON value, else the syntax error. */
static int not_an_object(kp_doc *d, const unsigned char *s, size_t n, size_t i)
{
	unsigned char t = type_of(s[i]);
	/* name the type only when the value really starts like one */
	if ((t == J_TRUE && (n - i < 4 || memcmp(s + i, "true", 4))) ||
	    (t == J_FALSE && (n - i < 5 || memcmp(s + i, "false", 5))) ||
	    (t == J_NULL && (n - i < 4 || memcmp(s + i, "null", 4))))
		t = 0;
	if (!t)
		return syntax(d, s, n, i, "a JSON object");
	return kp_err_set(&d->err, KP_EDOC, "not a document: the line is %s, not a JSON object", type_name(t));
}

/* A string, number, true, false or null at s[i]: where it ends, or
 * (size_t)-1 with the error in *rc.  A string's escapes mark cur. */
static inline size_t scan_scalar(kp_doc *d, const unsigned char *s, size_t n, size_t i, member *cur, int *rc)
{
	static const struct {
		const char *word;
		size_t len;
	} words[] = {{"true", 4}, {"false", 5}, {"null", 4}};
	switch (s[i]) {
	case '"': {
		unsigned char vesc;
		size_t e = scan_string(d, s, n, i, &vesc, rc);
		if (e != (size_t)-1 && cur)
			cur->vesc = vesc;
		return e;
	}
	case 't':
	case 'f':
	case 'n': {
		int w = s[i] == 't' ? 0 : s[i] == 'f' ? 1 : 2;
		if (n - i < words[w].len || memcmp(s + i, words[w].word, words[w].len) != 0) {
			*rc = syntax(d, s, n, i, "a value");
			return (size_t)-1;
		}
		return i + words[w].len;
	}
	default:
		if (!type_of(s[i])) {
			*rc = syntax(d, s, n, i, "a value");
			return (size_t)-1;
		}
		*rc = KP_EJSON;
		return scan_number(d, s, n, i);
	}
}

/* Validate the line and record member spans.  Containers nest on an
 * explicit stack; members are recorded at depth 1 (the document) and at
 * depth 2 inside "metadata". */
static int scan(kp_doc *d)
{
	const unsigned char *s = (const unsigned char *)d->line;
	size_t n = d->len;
	size_t i = skip_ws(s, n, 0);
	if (i >= n)
		return kp_err_set(&d->err, KP_EJSON, "invalid JSON: empty line");
	if (s[i] != '{')
		return not_an_object(d, s, n, i);
	d->obj_beg = i;
	d->stack.len = 0;
	size_t depth = 0;
	int in_meta = 0; /* inside the "metadata" object (at depth 2) */
	member *cur = NULL;

open_object:
	if (kp_buf_addc(&d->stack, '{') < 0)
		return kp_err_set(&d->err, KP_ETOOLONG, "nesting too deep");
	depth++;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		goto close_container;
	/* fall through to a key */
key:
	if (i >= n || s[i] != '"')
		return syntax(d, s, n, i, "'\"' (an object key)");
	{
		unsigned char kesc;
		int rc;
		size_t kend = scan_string(d, s, n, i, &kesc, &rc);
		if (kend == (size_t)-1)
			return rc;
		if (depth == 1 || (depth == 2 && in_meta)) {
			kp_buf *tab = depth == 1 ? &d->top : &d->meta;
			if ((rc = push_member(d, tab, i, kend, kesc)) < 0)
				return rc;
		}
		i = skip_ws(s, n, kend);
		if (i >= n || s[i] != ':')
			return syntax(d, s, n, i, "':'");
		i = skip_ws(s, n, i + 1);
	}
value:
	if (i >= n)
		return syntax(d, s, n, i, "a value");
	cur = NULL;
	if (depth == 1)
		cur = &MEMBERS(d->top)[NMEMBERS(d->top) - 1];
	else if (depth == 2 && in_meta)
		cur = &MEMBERS(d->meta)[NMEMBERS(d->meta) - 1];
	if (cur) {
		cur->vbeg = i;
		cur->type = type_of(s[i]);
	}
	switch (s[i]) {
	case '{':
		if (depth == 1) {
			size_t idx = NMEMBERS(d->top) - 1;
			if (key_is(d, cur, "metadata", 8)) {
				if (d->meta_i >= 0)
					return kp_err_set(&d->err, KP_EDOC,
							  "not a document: \"metadata\" given twice (column %zu)",
							  cur->kbeg + 1);
				d->meta_i = (long)idx;
				in_meta = 1;
			}
		}
		goto open_object;
	case '[':
		if (kp_buf_addc(&d->stack, '[') < 0)
			return kp_err_set(&d->err, KP_ETOOLONG, "nesting too deep");
		depth++;
		i = skip_ws(s, n, i + 1);
		if (i < n && s[i] == ']')
			goto close_container;
		goto value;
	default: {
		int rc;
		if ((i = scan_scalar(d, s, n, i, cur, &rc)) == (size_t)-1)
			return rc;
		break;
	}
	}
	/* a scalar value ended at i */
	if (cur)
		cur->vend = i;

after_value:
	i = skip_ws(s, n, i);
	if (d->stack.p[depth - 1] == '{') {
		if (i < n && s[i] == ',') {
			i = skip_ws(s, n, i + 1);
			goto key;
		}
		if (i < n && s[i] == '}')
			goto close_container;
		return syntax(d, s, n, i, "',' or '}'");
	}
	if (i < n && s[i] == ',') {
		i = skip_ws(s, n, i + 1);
		goto value;
	}
	if (i < n && s[i] == ']')
		goto close_container;
	return syntax(d, s, n, i, "',' or ']'");

close_container:
	/* s[i] is the '}' or ']' closing the innermost container */
	depth--;
	d->stack.len--;
	if (depth == 0) {
		d->obj_end = i + 1;
		i = skip_ws(s, n, i + 1);
		if (i < n)
			return syntax(d, s, n, i, "end of line after the object");
		return 0;
	}
	if (depth == 1) {
		member *m = &MEMBERS(d->top)[NMEMBERS(d->top) - 1];
		m->vend = i + 1;
		if (in_meta) {
			d->meta_close = i;
			in_meta = 0;
		}
	} else if (depth == 2 && in_meta) {
		MEMBERS(d->meta)[NMEMBERS(d->meta) - 1].vend = i + 1;
	}
	i++;
	goto after_value;
}

/* After a successful scan: find "text" and "id", check the document rules. */
static int index_members(kp_doc *d)
{
	member *m = MEMBERS(d->top);
	size_t nm = NMEMBERS(d->top);
	for (size_t k = 0; k < nm; k++) {
		if (key_is(d, &m[k], "text", 4)) {
			if (d->text_i >= 0)
				return kp_err_set(&d->err, KP_EDOC, "not a document: \"text\" given twice (column %zu)",
						  m[k].kbeg + 1);
			d->text_i = (long)k;
		} else if (key_is(d, &m[k], "id", 2)) {
			d->id_i = (long)k;
		} else if (key_is(d, &m[k], "metadata", 8)) {
			/* the scanner recorded an object "metadata"; any other is kept
			 * here for kp_doc_meta_set_* */
			if (d->meta_i >= 0 && (size_t)d->meta_i != k)
				return kp_err_set(&d->err, KP_EDOC,
						  "not a document: \"metadata\" given twice (column %zu)",
						  m[k].kbeg + 1);
			d->meta_i = (long)k;
		}
	}
	if (!(d->flags & KP_DOC_TEXT_OPTIONAL)) {
		if (d->text_i < 0)
			return kp_err_set(&d->err, KP_EDOC, "not a document: no \"text\" field");
		if (m[d->text_i].type != J_STR)
			return kp_err_set(&d->err, KP_EDOC, "not a document: \"text\" is %s, not a string",
					  type_name(m[d->text_i].type));
	}
	return 0;
}

int kp_doc_parse(kp_doc *d, const char *line, size_t len)
{
	reset_state(d);
	if (len > d->max_line)
		return kp_err_set(&d->err, KP_ETOOLONG, "line of %zu bytes exceeds the limit of %zu", len,
				  d->max_line);
	d->line = line;
	d->len = len;
	int rc = scan(d);
	if (rc == KP_EUTF8 && (d->flags & KP_DOC_REPAIR_UTF8)) {
		/* Repair the whole line once (invalid bytes can only be legal inside
		 * strings, where U+FFFD is too), then validate it again. */
		d->fixed.len = 0;
		if (len > (SIZE_MAX - 16) / 3 || kp_buf_reserve(&d->fixed, len * 3) < 0)
			return kp_err_set(&d->err, KP_ENOMEM, "out of memory repairing UTF-8");
		uint64_t count = 0;
		d->fixed.len = kp_utf8_repair(d->fixed.p, line, len, &count);
		reset_state(d);
		d->repairs = count;
		d->line = d->fixed.p;
		d->len = d->fixed.len;
		rc = scan(d);
	}
	if (rc < 0)
		return rc;
	return index_members(d);
}

/* ---- getters -------------------------------------------------------------- */

static long find_member(kp_doc *d, const kp_buf *tab, const char *key)
{
	size_t klen = strlen(key);
	const member *m = MEMBERS(*tab);
	for (size_t k = NMEMBERS(*tab); k-- > 0;)
		if (key_is(d, &m[k], key, klen))
			return (long)k;
	return -1;
}

static int raw_of(kp_doc *d, const kp_buf *tab, const char *key, const char **json, size_t *len)
{
	long k = find_member(d, tab, key);
	if (k < 0)
		return 0;
	const member *m = &MEMBERS(*tab)[k];
	*json = d->line + m->vbeg;
	*len = m->vend - m->vbeg;
	return 1;
}

int kp_doc_get_raw(kp_doc *d, const char *key, const char **json, size_t *len)
{
	return raw_of(d, &d->top, key, json, len);
}

int kp_doc_meta_get_raw(kp_doc *d, const char *key, const char **json, size_t *len)
{
	return raw_of(d, &d->meta, key, json, len);
}

/* Decoded string of member m into buf (or a pointer into the line). */
static int string_of(kp_doc *d, const member *m, kp_buf *buf, const char **s, size_t *len)
{
	const char *p = d->line + m->vbeg + 1;
	size_t n = m->vend - m->vbeg - 2;
	if (!m->vesc) {
		*s = p;
		*len = n;
		return 1;
	}
	buf->len = 0;
	int rc = kp_buf_reserve(buf, n + 1);
	if (rc < 0)
		return kp_err_set(&d->err, rc, "out of memory decoding a string");
	*len = kp_json_unescape(buf->p, p, n, &d->repairs);
	buf->p[*len] = '\0';
	*s = buf->p;
	return 1;
}

static int str_of(kp_doc *d, const kp_buf *tab, const char *key, const char **s, size_t *len)
{
	long k = find_member(d, tab, key);
	if (k < 0 || MEMBERS(*tab)[k].type != J_STR)
		return 0;
	return string_of(d, &MEMBERS(*tab)[k], &d->strbuf, s, len);
}

int kp_doc_get_str(kp_doc *d, const char *key, const char **s, size_t *len)
{
	return str_of(d, &d->top, key, s, len);
}

int kp_doc_meta_get_str(kp_doc *d, const char *key, const char **s, size_t *len)
{
	return str_of(d, &d->meta, key, s, len);
}

int kp_doc_text(kp_doc *d, const char **text, size_t *len)
{
	if (!d->text_ready) {
		if (d->text_i < 0 || MEMBERS(d->top)[d->text_i].type != J_STR)
			return kp_err_set(&d->err, KP_EDOC, "not a document: no string \"text\" field");
		int rc = string_of(d, &MEMBERS(d->top)[d->text_i], &d->textbuf, &d->text, &d->text_len);
		if (rc < 0)
			return rc;
		d->text_ready = 1;
	}
	*text = d->text;
	*len = d->text_len;
	return 0;
}

const char *kp_doc_id(kp_doc *d, size_t *len)
{
	size_t dummy;
	if (!len)
		len = &dummy;
	if (d->id_i < 0)
		return NULL;
	const member *m = &MEMBERS(d->top)[d->id_i];
	const char *s = NULL;
	size_t n = 0;
	if (m->type == J_STR) {
		if (string_of(d, m, &d->idbuf, &s, &n) < 0)
			return NULL;
	} else if (m->type == J_NUM) {
		s = d->line + m->vbeg;
		n = m->vend - m->vbeg;
	} else {
		return NULL;
	}
	if (s != d->idbuf.p) { /* copy so the id is NUL-terminated */
		d->idbuf.len = 0;
		if (kp_buf_add(&d->idbuf, s, n) < 0 || kp_buf_addc(&d->idbuf, '\0') < 0)
			return NULL;
	}
	*len = n;
	return d->idbuf.p;
}

size_t kp_doc_nfields(const kp_doc *d)
{
	return NMEMBERS(d->top);
}

size_t kp_doc_meta_nfields(const kp_doc *d)
{
	return NMEMBERS(d->meta);
}

static int field_of(const kp_doc *d, const kp_buf *tab, size_t i, const char **key, size_t *keylen,
		    const char **json, size_t *len)
{
	if (i >= NMEMBERS(*tab))
		return 0;
	const member *m = &MEMBERS(*tab)[i];
	*key = d->line + m->kbeg + 1;
	*keylen = m->kend - m->kbeg - 2;
	*json = d->line + m->vbeg;
	*len = m->vend - m->vbeg;
	return 1;
}

int kp_doc_field(const kp_doc *d, size_t i, const char **key, size_t *keylen, const char **json, size_t *len)
{
	return field_of(d, &d->top, i, key, keylen, json, len);
}

int kp_doc_meta_field(const kp_doc *d, size_t i, const char **key, size_t *keylen, const char **json, size_t *len)
{
	return field_of(d, &d->meta, i, key, keylen, json, len);
}

/* ---- edits ----------------------------------------------------------------- */

/* Find or add the edit for key in list (keys are kept unquoted in the
 * arena); its value is stored by the caller. */
static int edit_for(kp_doc *d, kp_buf *list, const kp_buf *tab, const char *key, size_t *idx)
{
	size_t klen = strlen(key);
	const edit *e = EDITS(*list);
	for (size_t k = 0; k < NEDITS(*list); k++) {
		if (e[k].keylen == klen && memcmp(d->arena.p + e[k].key, key, klen) == 0) {
			*idx = k;
			return 0;
		}
	}
	edit ne = {.target = find_member(d, tab, key), .key = d->arena.len, .keylen = klen};
	int rc = kp_buf_add(&d->arena, key, klen);
	if (rc < 0 || (rc = kp_buf_add(list, &ne, sizeof ne)) < 0)
		return kp_err_set(&d->err, rc, "document too large (edits)");
	*idx = NEDITS(*list) - 1;
	return 0;
}

/* Room for s quoted: the bound when small, the exact size when large (a
 * document's text: the bound would be six times its size). */
static size_t quoted_room(const char *s, size_t len)
{
	return len <= 4096 ? kp_json_quote_bound(len) : kp_json_quote_len(s, len);
}

/* Store a JSON value for edit idx of list: raw bytes, or s quoted. */
static int store_value(kp_doc *d, kp_buf *list, size_t idx, const char *json, size_t len, int quote)
{
	int rc = kp_buf_reserve(&d->arena, quote ? quoted_room(json, len) : len);
	if (rc < 0)
		return kp_err_set(&d->err, rc, "document too large (edits)");
	edit *e = &EDITS(*list)[idx];
	e->val = d->arena.len;
	if (quote) {
		e->vallen = kp_json_quote(d->arena.p + d->arena.len, json, len);
	} else {
		memcpy(d->arena.p + d->arena.len, json, len);
		e->vallen = len;
	}
	d->arena.len += e->vallen;
	return 0;
}

int kp_doc_set_text(kp_doc *d, const char *text, size_t len)
{
	size_t idx;
	int rc = edit_for(d, &d->top_edits, &d->top, "text", &idx);
	if (rc < 0)
		return rc;
	EDITS(d->top_edits)[idx].vallen = TEXT_VALUE;
	d->new_text = text;
	d->new_text_len = len;
	d->text = text;
	d->text_len = len;
	d->text_ready = 1;
	return 0;
}

static int top_set(kp_doc *d, const char *key, const char *json, size_t len, int quote)
{
	if (strcmp(key, "text") == 0)
		return kp_err_set(&d->err, KP_EINVAL, "\"text\" is set with kp_doc_set_text()");
	if (strcmp(key, "metadata") == 0 && NEDITS(d->meta_edits) > 0)
		return kp_err_set(&d->err, KP_ESTATE, "\"metadata\" set both whole and by member");
	size_t idx;
	int rc = edit_for(d, &d->top_edits, &d->top, key, &idx);
	return rc < 0 ? rc : store_value(d, &d->top_edits, idx, json, len, quote);
}

int kp_doc_set_raw(kp_doc *d, const char *key, const char *json, size_t len)
{
	return top_set(d, key, json, len, 0);
}

int kp_doc_set_str(kp_doc *d, const char *key, const char *s, size_t len)
{
	return top_set(d, key, s, len, 1);
}

static int meta_set(kp_doc *d, const char *key, const char *json, size_t len, int quote)
{
	if (d->meta_i >= 0) {
		unsigned char t = MEMBERS(d->top)[d->meta_i].type;
		if (t != J_OBJ && t != J_NULL)
			return kp_err_set(&d->err, KP_EDOC, "\"metadata\" is %s, not an object", type_name(t));
	}
	const edit *te = EDITS(d->top_edits);
	for (size_t k = 0; k < NEDITS(d->top_edits); k++)
		if (te[k].keylen == 8 && memcmp(d->arena.p + te[k].key, "metadata", 8) == 0)
			return kp_err_set(&d->err, KP_ESTATE, "\"metadata\" set both whole and by member");
	size_t idx;
	int rc = edit_for(d, &d->meta_edits, &d->meta, key, &idx);
	return rc < 0 ? rc : store_value(d, &d->meta_edits, idx, json, len, quote);
}

int kp_doc_meta_set_raw(kp_doc *d, const char *key, const char *json, size_t len)
{
	return meta_set(d, key, json, len, 0);
}

int kp_doc_meta_set_str(kp_doc *d, const char *key, const char *s, size_t len)
{
	return meta_set(d, key, s, len, 1);
}

int kp_doc_meta_set_int(kp_doc *d, const char *key, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	return meta_set(d, key, tmp, (size_t)n, 0);
}

int kp_doc_meta_set_bool(kp_doc *d, const char *key, int v)
{
	return v ? meta_set(d, key, "true", 4, 0) : meta_set(d, key, "false", 5, 0);
}

/* ---- serialization ------------------------------------------------------- */

static int out_quoted(kp_doc *d, const char *s, size_t len)
{
	int rc = kp_buf_reserve(&d->out, quoted_room(s, len));
	if (rc < 0)
		return rc;
	d->out.len += kp_json_quote(d->out.p + d->out.len, s, len);
	return 0;
}

static int out_value(kp_doc *d, const edit *e)
{
	if (e->vallen == TEXT_VALUE)
		return out_quoted(d, d->new_text, d->new_text_len);
	return kp_buf_add(&d->out, d->arena.p + e->val, e->vallen);
}

static int out_pair(kp_doc *d, const char *key, size_t keylen, int *comma)
{
	int rc = 0;
	if (*comma)
		rc = kp_buf_addc(&d->out, ',');
	*comma = 1;
	if (rc < 0 || (rc = out_quoted(d, key, keylen)) < 0)
		return rc;
	return kp_buf_addc(&d->out, ':');
}

/* Write `"k":v` for each edit of list that appends a new member. */
static int out_appends(kp_doc *d, const kp_buf *list, int *comma)
{
	const edit *e = EDITS(*list);
	for (size_t k = 0; k < NEDITS(*list); k++) {
		if (e[k].target >= 0)
			continue;
		int rc = out_pair(d, d->arena.p + e[k].key, e[k].keylen, comma);
		if (rc < 0 || (rc = out_value(d, &e[k])) < 0)
			return rc;
	}
	return 0;
}

static int out_meta_object(kp_doc *d)
{
	int comma = 0;
	int rc = kp_buf_addc(&d->out, '{');
	if (rc < 0 || (rc = out_appends(d, &d->meta_edits, &comma)) < 0)
		return rc;
	return kp_buf_addc(&d->out, '}');
}

static int add_op(kp_doc *d, size_t beg, size_t end, int kind, size_t idx)
{
	op o = {beg, end, kind, idx};
	return kp_buf_add(&d->ops, &o, sizeof o);
}

static int cmp_op(const void *a, const void *b)
{
	const op *x = a, *y = b;
	if (x->beg != y->beg)
		return x->beg < y->beg ? -1 : 1;
	return x->kind - y->kind;
}

/* Turn the edits into ops on the line, in line order. */
static int build_ops(kp_doc *d)
{
	d->ops.len = 0;
	int rc = 0, top_appends = 0;
	const member *top = MEMBERS(d->top);
	const edit *te = EDITS(d->top_edits);
	for (size_t k = 0; k < NEDITS(d->top_edits) && rc >= 0; k++) {
		if (te[k].target >= 0)
			rc = add_op(d, top[te[k].target].vbeg, top[te[k].target].vend, OP_TOP_EDIT, k);
		else
			top_appends = 1;
	}
	if (rc >= 0 && NEDITS(d->meta_edits)) {
		if (d->meta_i < 0) {
			top_appends = 1; /* appended last by OP_TOP_APPEND */
		} else if (top[d->meta_i].type == J_OBJ) {
			const edit *me = EDITS(d->meta_edits);
			int meta_appends = 0;
			for (size_t k = 0; k < NEDITS(d->meta_edits) && rc >= 0; k++) {
				if (me[k].target >= 0) {
					const member *m = &MEMBERS(d->meta)[me[k].target];
					rc = add_op(d, m->vbeg, m->vend, OP_META_EDIT, k);
				} else {
					meta_appends = 1;
				}
			}
			if (rc >= 0 && meta_appends)
				rc = add_op(d, d->meta_close, d->meta_close, OP_META_APPEND, 0);
		} else { /* null: replaced by a new object */
			rc = add_op(d, top[d->meta_i].vbeg, top[d->meta_i].vend, OP_META_NEW, 0);
		}
	}
	if (rc >= 0 && top_appends)
		rc = add_op(d, d->obj_end - 1, d->obj_end - 1, OP_TOP_APPEND, 0);
	if (rc < 0)
		return rc;
	if (d->ops.len)
		qsort(d->ops.p, d->ops.len / sizeof(op), sizeof(op), cmp_op);
	return 0;
}

static int apply_op(kp_doc *d, const op *o)
{
	int comma;
	switch (o->kind) {
	case OP_TOP_EDIT:
		return out_value(d, &EDITS(d->top_edits)[o->idx]);
	case OP_META_EDIT:
		return out_value(d, &EDITS(d->meta_edits)[o->idx]);
	case OP_META_APPEND:
		comma = NMEMBERS(d->meta) > 0;
		return out_appends(d, &d->meta_edits, &comma);
	case OP_META_NEW:
		return out_meta_object(d);
	case OP_TOP_APPEND: {
		comma = NMEMBERS(d->top) > 0;
		int rc = out_appends(d, &d->top_edits, &comma);
		if (rc < 0 || !NEDITS(d->meta_edits) || d->meta_i >= 0)
			return rc;
		if ((rc = out_pair(d, "metadata", 8, &comma)) < 0)
			return rc;
		return out_meta_object(d);
	}
	}
	return KP_EINVAL;
}

int kp_doc_serialize(kp_doc *d, const char **out, size_t *len)
{
	d->out.len = 0;
	int rc = build_ops(d);
	size_t pos = d->obj_beg;
	const op *ops = (const op *)(void *)d->ops.p;
	for (size_t k = 0; rc >= 0 && k < d->ops.len / sizeof(op); k++) {
		rc = kp_buf_add(&d->out, d->line + pos, ops[k].beg - pos);
		pos = ops[k].end;
		if (rc >= 0)
			rc = apply_op(d, &ops[k]);
	}
	if (rc >= 0)
		rc = kp_buf_add(&d->out, d->line + pos, d->obj_end - pos);
	if (rc >= 0)
		rc = kp_buf_addc(&d->out, '\n');
	if (rc < 0)
		return kp_err_set(&d->err, rc, "cannot serialize the document: %s", kp_strerror(rc));
	*out = d->out.p;
	*len = d->out.len;
	return 0;
}
