/* The tokenizer.
 *
 * Each line is cut at blanks into chunks; a chunk that is a URL or an
 * e-mail address is one token (its trailing punctuation apart), otherwise
 * it is read as words and punctuation:
 *
 *   word     letters, digits and marks, joined by '-' anywhere, by '.', '/'
 *            and "'" between letters or digits, by ',' and ':' between
 *            digits; then a final '.' when word + '.' is an abbreviation or
 *            the word is an initial ("R.", "D.W.")
 *   #x @x    a hashtag or mention at the start of a chunk
 *   punct    one character, or a run of the same one ("...", "!!")
 *
 * The classes of ASCII bytes come from ctype_int.h's table; other
 * characters from ICU's properties.  Then clitics, case and stems, each
 * optional.  Linear in the text: every byte is looked at a bounded number
 * of times. */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include "ctype_int.h"
#include "data_int.h"
#include "internal.h"
#include "korpus/tok.h"
#include "korpus/utf8.h"
#include "words_int.h"

struct kp_tok_config {
	unsigned flags;
	kp_words abbrev;     /* "Dr.", "dll." */
	kp_words keep;       /* words that only look as if they had a clitic (lower case) */
	kp_words hyphenated; /* "bolak-balik", "anak-anak": always one token */
};

/* The first field of each data line. */
static int load_keys(kp_words *w, const char *text, size_t len, int lower)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	char buf[64];
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		size_t n = 0;
		while (n < ll && line[n] != '\t' && line[n] != ' ')
			n++;
		if (lower && n <= sizeof buf) {
			for (size_t i = 0; i < n; i++)
				buf[i] = line[i] >= 'A' && line[i] <= 'Z' ? (char)(line[i] | 0x20) : line[i];
			line = buf;
		}
		if (kp_words_add(w, line, n) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

kp_tok_config *kp_tok_config_new(unsigned flags)
{
	kp_tok_config *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->flags = flags;
	if (flags & KP_TOK_STEM)
		c->flags |= KP_TOK_LOWER;
	if (load_keys(&c->abbrev, kp_data_abbrev_id, kp_data_abbrev_id_len, 0) < 0 ||
	    load_keys(&c->keep, kp_data_clitics_id, kp_data_clitics_id_len, 1) < 0 ||
	    load_keys(&c->hyphenated, kp_data_hyphenated_id, kp_data_hyphenated_id_len, 1) < 0) {
		kp_tok_config_free(c);
		return NULL;
	}
	return c;
}

void kp_tok_config_free(kp_tok_config *c)
{
	if (!c)
		return;
	kp_words_free(&c->abbrev);
	kp_words_free(&c->keep);
	kp_words_free(&c->hyphenated);
	free(c);
}

#define STEM_CACHE 65536 /* entries, a power of two */
#define STEM_KEY 30       /* longest word cached */

struct stem_entry {
	uint8_t klen, slen;
	char key[STEM_KEY], stem[STEM_KEY];
};

struct kp_tok {
	const kp_tok_config *c;
	struct stem_entry *cache; /* with a stemmer */
	kp_buf out;
	struct sb_stemmer *stemmer;
	UCaseMap *casemap;
	UBreakIterator *words;
	long ntokens;
	int line_start; /* no token yet on this output line */
	char low[256];
};

kp_tok *kp_tok_new(const kp_tok_config *c)
{
	kp_tok *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	kp_buf_init(&t->out, (size_t)-1);
	UErrorCode e = U_ZERO_ERROR;
	t->casemap = ucasemap_open("id", 0, &e);
	t->words = ubrk_open(UBRK_WORD, "id", NULL, 0, &e);
	if (U_FAILURE(e) || ((c->flags & KP_TOK_STEM) && (!(t->stemmer = sb_stemmer_new("indonesian", "UTF_8")) ||
							  !(t->cache = calloc(STEM_CACHE, sizeof *t->cache))))) {
		kp_tok_free(t);
		return NULL;
	}
	return t;
}

void kp_tok_free(kp_tok *t)
{
	if (!t)
		return;
	kp_buf_free(&t->out);
	if (t->stemmer)
		sb_stemmer_delete(t->stemmer);
	free(t->cache);
	ucasemap_close(t->casemap);
	ubrk_close(t->words);
	free(t);
}

const char *kp_tok_text(const kp_tok *t, size_t *len)
{
	*len = t->out.len;
	return t->out.p ? t->out.p : "";
}

/* ---- character classes -------------------------------------------------------- */

static int is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* A letter, digit or mark (and its length) at s, or 0. */
static size_t alnum_at(const char *s, size_t len, int *digit)
{
	*digit = 0;
	if (!len)
		return 0;
	unsigned char b = (unsigned char)s[0];
	if (b < 0x80) {
		*digit = kp_ascii_isdigit(b);
		return kp_ascii_isalnum(b) != 0;
	}
	int32_t cp;
	size_t k = kp_utf8_decode(s, len, &cp);
	if (cp < 0)
		return 0;
	int8_t ty = u_charType(cp);
	*digit = ty == U_DECIMAL_DIGIT_NUMBER;
	return u_isalnum(cp) || ty == U_NON_SPACING_MARK || ty == U_COMBINING_SPACING_MARK ||
			       ty == U_ENCLOSING_MARK || ty == U_OTHER_NUMBER
		       ? k
		       : 0;
}

/* A Unicode blank (NBSP, thin space, ...) at s: its length, or 0. */
static size_t ublank_at(const char *s, size_t len)
{
	int32_t cp;
	size_t k = kp_utf8_decode(s, len, &cp);
	return cp >= 0 && u_isUWhiteSpace(cp) ? k : 0;
}

/* Is cp of a script written without spaces between words? */
static int needs_dictionary(int32_t cp)
{
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(cp, &e);
	return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_THAI ||
	       sc == USCRIPT_LAO || sc == USCRIPT_KHMER || sc == USCRIPT_MYANMAR;
}

/* ---- output ----------------------------------------------------------------------- */

static int put(kp_tok *t, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (!t->line_start) {
		int rc = kp_buf_addc(&t->out, ' ');
		if (rc < 0)
			return rc;
	}
	t->line_start = 0;
	t->ntokens++;
	return kp_buf_add(&t->out, s, n);
}

/* Lower case of s into the output (ASCII by hand, the rest through ICU). */
static int put_lower(kp_tok *t, const char *s, size_t n)
{
	if (!t->line_start && kp_buf_addc(&t->out, ' ') < 0)
		return KP_ENOMEM;
	t->line_start = 0;
	t->ntokens++;
	kp_buf *o = &t->out;
	if (kp_buf_reserve(o, 3 * n + 8) < 0)
		return KP_ENOMEM;
	int ascii = 1;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii) {
		for (size_t i = 0; i < n; i++)
			o->p[o->len++] = (char)kp_ascii_tolower((unsigned char)s[i]);
		return 0;
	}
	UErrorCode e = U_ZERO_ERROR;
	int32_t got = ucasemap_utf8ToLower(t->casemap, o->p + o->len, (int32_t)(o->cap - o->len), s, (int32_t)n, &e);
	if (U_FAILURE(e))
		return KP_ENOMEM;
	o->len += (size_t)got;
	return 0;
}

/* The stem of a lower-case word (ASCII letters and hyphens). */
static int put_stem(kp_tok *t, const char *s, size_t n)
{
	const char *h = memchr(s, '-', n);
	if (h) {
		size_t a = (size_t)(h - s);
		/* a reduplication X-X stems as X; other hyphenated words stay */
		if (!(a * 2 + 1 == n && memcmp(s, h + 1, a) == 0))
			return put(t, s, n);
		n = a;
	}
	/* a direct-mapped cache in front of the stemmer: word frequencies are
	 * Zipfian, so most words are found there */
	if (n <= STEM_KEY) {
		uint64_t hash = 1469598103934665603ull;
		for (size_t i = 0; i < n; i++)
			hash = (hash ^ (unsigned char)s[i]) * 1099511628211ull;
		struct stem_entry *ce = &t->cache[(hash >> 20) & (STEM_CACHE - 1)];
		if (ce->klen == n && memcmp(ce->key, s, n) == 0)
			return put(t, ce->stem, ce->slen);
		const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)s, (int)n);
		if (!st)
			return KP_ENOMEM;
		size_t sl = (size_t)sb_stemmer_length(t->stemmer);
		if (sl <= STEM_KEY) {
			memcpy(ce->key, s, n);
			ce->klen = (uint8_t)n;
			memcpy(ce->stem, st, sl);
			ce->slen = (uint8_t)sl;
		}
		return put(t, (const char *)st, sl);
	}
	const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)s, (int)n);
	if (!st)
		return KP_ENOMEM;
	return put(t, (const char *)st, (size_t)sb_stemmer_length(t->stemmer));
}

/* A word after clitics: lower-cased and stemmed as asked. */
static int put_word(kp_tok *t, const char *s, size_t n, int plain)
{
	unsigned f = t->c->flags;
	if (!(f & KP_TOK_LOWER))
		return put(t, s, n);
	if (!(f & KP_TOK_STEM) || !plain || n > sizeof t->low)
		return put_lower(t, s, n);
	for (size_t i = 0; i < n; i++)
		t->low[i] = (char)kp_ascii_tolower((unsigned char)s[i]);
	/* a root that looks as if it had a particle ("sekolah", "langkah")
	 * would lose it in the stemmer */
	if (kp_words_has(&t->c->keep, t->low, n))
		return put(t, t->low, n);
	return put_stem(t, t->low, n);
}

/* ---- clitics ------------------------------------------------------------------------ */

static const char *const suffixes[] = {"lah", "kah", "pun", "nya"};

static int ends_with_ci(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if ((s[n - k + i] | 0x20) != suf[i])
			return 0;
	return 1;
}

/* Is the word s[0..n) (ASCII letters, hyphens) one the clitic rules leave whole? */
static int keeps(const kp_tok *t, const char *s, size_t n)
{
	char low[64];
	if (!n || n > sizeof low)
		return n != 0;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '-') { /* "langkah-langkah": its last part */
			s += i;
			n -= i;
			break;
		}
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] | 0x20);
	/* adverbs of se- ... -nya are one word ("sebelumnya", "sepenuhnya") */
	if (n > 6 && low[0] == 's' && low[1] == 'e' && ends_with_ci(low, n, "nya"))
		return 1;
	return kp_words_has(&t->c->keep, low, n) || ends_with_ci(s, n, "ullah");
}

/* A word of ASCII letters (and hyphens), with its clitics split off:
 * "ku-" / "kau-" before it, "-nya" and a particle after it. */
static int put_with_clitics(kp_tok *t, const char *s, size_t n)
{
	const char *suf[2];
	size_t ns = 0;
	if (!keeps(t, s, n)) {
		/* the particle (-lah, -kah, -tah, -pun), then -nya before it */
		for (size_t k = 0; k < 4 && ns < 2; k++) {
			if (ns && keeps(t, s, n))
				break; /* "langkahnya": the particle was not one */
			size_t sl = strlen(suffixes[k]);
			if (n >= sl + 2 && ends_with_ci(s, n, suffixes[k]) && s[n - sl - 1] != '-') {
				suf[ns++] = suffixes[k];
				n -= sl;
				if (k < 3)
					k = 2; /* after a particle, only -nya */
			}
		}
	}
	/* ku- / kau- before a verb: not capitalised (a name), not a root that
	 * starts so, and at least four letters left */
	size_t pre = 0;
	if (!kp_ascii_isupper((unsigned char)s[0]) && !keeps(t, s, n)) {
		if (n >= 7 && (s[0] | 0x20) == 'k' && (s[1] | 0x20) == 'a' && (s[2] | 0x20) == 'u')
			pre = 3;
		else if (n >= 6 && (s[0] | 0x20) == 'k' && (s[1] | 0x20) == 'u')
			pre = 2;
		if (pre && (!kp_ascii_isalpha((unsigned char)s[pre]) || keeps(t, s + pre, n - pre)))
			pre = 0;
	}
	char mark[8];
	int rc = 0;
	if (pre) {
		memcpy(mark, s, pre);
		mark[pre] = '-';
		rc = put_word(t, mark, pre + 1, 0);
	}
	if (rc == 0)
		rc = put_word(t, s + pre, n - pre, 1);
	while (rc == 0 && ns > 0) {
		const char *x = suf[--ns];
		mark[0] = '-';
		memcpy(mark + 1, x, 3);
		rc = put_word(t, mark, 4, 0);
	}
	return rc;
}

/* ---- words and chunks ---------------------------------------------------------- */

/* Is the word s[0..n) an initial: a capital, or capitals joined by periods
 * ("D.W")? */
static int is_initial(const char *s, size_t n)
{
	if (n > 7 || n % 2 == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(i % 2 == 0 ? kp_ascii_isupper((unsigned char)s[i]) : s[i] == '.'))
			return 0;
	return 1;
}

/* Segment a run of a script written without spaces with ICU. */
static int put_dictionary(kp_tok *t, const char *s, size_t n)
{
	UErrorCode e = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, s, (int64_t)n, &e);
	ubrk_setUText(t->words, ut, &e);
	int rc = 0;
	if (U_FAILURE(e))
		rc = KP_ENOMEM;
	for (int32_t a = ubrk_first(t->words), b; rc == 0 && (b = ubrk_next(t->words)) != UBRK_DONE; a = b)
		rc = put(t, s + a, (size_t)(b - a));
	utext_close(ut);
	return rc;
}

/* The word starting at s[i] (a letter or digit there): its end. */
/* Is s[a..b) a capitalised word (a capital, then at least one small letter)? */
static int capitalised(const char *s, size_t a, size_t b)
{
	if (b - a < 2 || !kp_ascii_isupper((unsigned char)s[a]))
		return 0;
	for (size_t i = a + 1; i < b; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z'))
			return 0;
	return 1;
}

/* Does a hyphen at s[h] join its two sides into one word?  Not between
 * numbers ("5-10", a range) nor between capitalised names ("Januari-
 * September", "Jagorawi-Cinere", "E-Net"), as UD Indonesian writes them;
 * it does in reduplications, compounds and codes (anak-anak, non-migas,
 * APBN-P, Covid-19). */
static int hyphen_joins(const kp_words *listed, const char *s, size_t start, size_t h, size_t e)
{
	size_t r = h + 1;
	while (r < e && kp_ascii_isalnum((unsigned char)s[r]))
		r++;
	if (kp_ascii_isdigit((unsigned char)s[h - 1]) && kp_ascii_isdigit((unsigned char)s[h + 1]))
		return 0;
	size_t l = h;
	while (l > start && s[l - 1] != '-')
		l--;
	char low[64]; /* a listed word is one token whatever its case */
	if (r - l <= sizeof low) {
		for (size_t k = l; k < r; k++)
			low[k - l] = (char)kp_ascii_tolower((unsigned char)s[k]);
		if (kp_words_has(listed, low, r - l))
			return 1;
	}
	if (capitalised(s, l, h) && kp_ascii_isupper((unsigned char)s[h + 1]))
		return 0; /* "Bapepam-LK" */
	return !(h - l == 1 && kp_ascii_isupper((unsigned char)s[l]) && capitalised(s, h + 1, r)); /* "E-Net" */
}

/* Does a slash at s[h] join its sides?  Not between two names or
 * acronyms ("MPR/DPR", "PPN/Kepala") nor between two numbers when it is
 * the only slash ("9.100/9.105", "4/2007"; a date 26/1/2022 is one word);
 * it does in codes and short forms (II/2007, C/O, minus/idn). */
static int slash_joins(const char *s, size_t start, size_t h, size_t e)
{
	size_t l = h, r = h + 1;
	while (l > start && s[l - 1] != '/' && s[l - 1] != '-')
		l--;
	while (r < e && kp_ascii_isalnum((unsigned char)s[r]))
		r++;
	if (kp_ascii_isupper((unsigned char)s[l]) && kp_ascii_isupper((unsigned char)s[h + 1]) && h - l >= 2 && r - h - 1 >= 2)
		return 0;
	if (kp_ascii_isdigit((unsigned char)s[h - 1]) && kp_ascii_isdigit((unsigned char)s[h + 1])) {
		int slashes = 0;
		for (size_t k = start; k < e && !is_space_byte(s[k]); k++)
			slashes += s[k] == '/';
		return slashes > 1;
	}
	return 1;
}

static size_t word_end(const kp_words *listed, const char *s, size_t e, size_t i, int *plain, int *dict)
{
	int digit_before = 0, digit;
	size_t start = i;
	*plain = 1; /* ASCII letters and hyphens only */
	*dict = 0;
	for (;;) {
		size_t k = alnum_at(s + i, e - i, &digit);
		if (k) {
			if ((unsigned char)s[i] >= 0x80) {
				*plain = 0;
				int32_t cp;
				kp_utf8_decode(s + i, e - i, &cp);
				*dict |= needs_dictionary(cp);
			} else if (!kp_ascii_isalpha((unsigned char)s[i])) {
				*plain = 0;
			}
			digit_before = digit;
			i += k;
			continue;
		}
		if (i + 1 >= e)
			return i;
		/* a joiner between two letters or digits: '-', '.', '/'; an
		 * apostrophe (not the English "'s"); ',' and ':' between digits */
		char c = s[i];
		int next_digit, joins = 0;
		if (!alnum_at(s + i + 1, e - i - 1, &next_digit))
			return i;
		if (c == '-')
			joins = hyphen_joins(listed, s, start, i, e);
		else if (c == '/')
			joins = slash_joins(s, start, i, e);
		else if (c == '.')
			joins = 1;
		else if (c == '\'')
			joins = !(s[i + 1] == 's' && (i + 2 >= e || !alnum_at(s + i + 2, e - i - 2, &digit)));
		else if (c == ',' || c == ':')
			joins = digit_before && next_digit;
		if (!joins)
			return i;
		if (c != '-')
			*plain = 0;
		i++;
	}
}

static int tok_chunk(kp_tok *t, const char *s, size_t a, size_t e);

/* A chunk that is a URL or an e-mail address: its token's end (trailing
 * punctuation left out), or 0. */
static size_t address_end(const char *s, size_t a, size_t e)
{
	int url = 0, at = 0, dot_after_at = 0;
	if (e - a >= 4 && (s[a] | 0x20) == 'w' && (s[a + 1] | 0x20) == 'w' && (s[a + 2] | 0x20) == 'w' && s[a + 3] == '.')
		url = 1;
	for (size_t i = a; i + 2 < e && !url; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/' && i > a)
			url = 1;
	if (!url) {
		for (size_t i = a; i < e; i++) {
			if (s[i] == '@' && i > a && kp_ascii_isalnum((unsigned char)s[i - 1]))
				at = 1;
			else if (at && s[i] == '.' && i + 1 < e && kp_ascii_isalpha((unsigned char)s[i + 1]))
				dot_after_at = 1;
		}
		if (!(at && dot_after_at))
			return 0;
	}
	while (e > a && strchr(".,;:!?)]}\"'>", s[e - 1]))
		e--;
	return e;
}

static int tok_chunk(kp_tok *t, const char *s, size_t a, size_t e)
{
	unsigned f = t->c->flags;
	size_t ae = address_end(s, a, e);
	int rc = 0;
	if (ae) {
		rc = put_word(t, s + a, ae - a, 0);
		a = ae;
	}
	size_t i = a;
	while (i < e && rc == 0) {
		int digit, plain, dict;
		if (alnum_at(s + i, e - i, &digit)) {
			size_t j = word_end(&t->c->hyphenated, s, e, i, &plain, &dict);
			/* "Rp5.000": the currency apart from the amount */
			if (j - i > 2 && s[i] == 'R' && s[i + 1] == 'p' && kp_ascii_isdigit((unsigned char)s[i + 2]) &&
			    (i == a || !alnum_at(s + i - 1, 1, &digit))) {
				rc = put_word(t, s + i, 2, 0);
				i += 2;
				continue;
			}
			size_t wl = j - i;
			/* the final period of an abbreviation or initial */
			if (j < e && s[j] == '.') {
				char key[64];
				if (wl + 1 <= sizeof key) {
					memcpy(key, s + i, wl);
					key[wl] = '.';
					if (kp_words_has(&t->c->abbrev, key, wl + 1) || is_initial(s + i, wl)) {
						j++;
						plain = 0;
					}
				}
			}
			if (dict)
				rc = put_dictionary(t, s + i, j - i);
			else if (plain && (f & KP_TOK_CLITICS))
				rc = put_with_clitics(t, s + i, j - i);
			else
				rc = put_word(t, s + i, j - i, plain);
			i = j;
			continue;
		}
		unsigned char b = (unsigned char)s[i];
		/* a hashtag or mention opening the chunk */
		if ((b == '#' || b == '@') && i == a && i + 1 < e && alnum_at(s + i + 1, e - i - 1, &digit)) {
			size_t j = i + 1;
			while (j < e && (alnum_at(s + j, e - j, &digit) || s[j] == '_'))
				j += b < 0x80 && (unsigned char)s[j] < 0x80 ? 1 : alnum_at(s + j, e - j, &digit);
			rc = put_word(t, s + i, j - i, 0);
			i = j;
			continue;
		}
		/* the English possessive "'s" */
		if (b == '\'' && i + 1 < e && s[i + 1] == 's' && (i + 2 >= e || !alnum_at(s + i + 2, e - i - 2, &digit))) {
			rc = put_word(t, s + i, 2, 0);
			i += 2;
			continue;
		}
		size_t k = b < 0x80 ? 1 : kp_utf8_decode(s + i, e - i, &(int32_t){0});
		size_t j = i + k;
		if (b < 0x80)
			while (j < e && s[j] == s[i]) /* "...", "!!" */
				j++;
		if (!(f & KP_TOK_NO_PUNCT))
			rc = put(t, s + i, j - i);
		i = j;
	}
	return rc;
}

long kp_tok_run(kp_tok *t, const char *text, size_t len)
{
	t->out.len = 0;
	t->ntokens = 0;
	t->line_start = 1;
	if (kp_buf_reserve(&t->out, len + len / 4 + 16) < 0)
		return KP_ENOMEM;
	size_t i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)text[i];
		if (kp_ascii_isspace(b)) {
			if (b == '\n') {
				if (kp_buf_addc(&t->out, '\n') < 0)
					return KP_ENOMEM;
				t->line_start = 1;
			}
			i++;
			continue;
		}
		size_t ub;
		if (b >= 0x80 && (ub = ublank_at(text + i, len - i)) != 0) {
			i += ub;
			continue;
		}
		/* the chunk: up to a blank (ASCII or Unicode) or a line end */
		size_t e = i;
		while (e < len) {
			unsigned char c = (unsigned char)text[e];
			if (kp_ascii_isspace(c) || (c >= 0x80 && ublank_at(text + e, len - e)))
				break;
			e++;
		}
		if (tok_chunk(t, text, i, e) < 0)
			return KP_ENOMEM;
		i = e;
	}
	return t->ntokens;
}
