/* Personal data in text: see korpus/pii.h. */
#include <string.h>
#include <strings.h>

#include "ctype_int.h"
#include "korpus/pii.h"

static const char *const kind_names[KP_PII_NKINDS] = {"email", "phone", "nik", "npwp", "card", "ip", "nip"};
static const char *const placeholders[KP_PII_NKINDS] = {"<EMAIL>", "<PHONE>", "<NIK>", "<NPWP>", "<CARD>", "<IP>", "<NIP>"};

const char *kp_pii_kind_name(int kind)
{
	return kind >= 0 && kind < KP_PII_NKINDS ? kind_names[kind] : "?";
}

const char *kp_pii_placeholder(int kind)
{
	return kind >= 0 && kind < KP_PII_NKINDS ? placeholders[kind] : "<PII>";
}

/* ---- bytes ---------------------------------------------------------------------- */

/* A byte of a word: an ASCII letter or digit, '_', or any byte of a
 * non-ASCII character (Indonesian letters with marks, and the like). */
static int wordish(unsigned char c)
{
	return kp_ascii_isalnum(c) || c == '_' || c >= 0x80;
}

/* ---- e-mail addresses ------------------------------------------------------------ */

#define LOCAL_MAX 64
#define DOMAIN_MAX 253

static int local_char(unsigned char c)
{
	return kp_ascii_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* The address around the '@' at s[at], starting at or after floor: its end
 * (and *start), or 0. */
static size_t email_at(const unsigned char *s, size_t n, size_t at, size_t floor, size_t *start)
{
	size_t b = at;
	while (b > floor && at - b < LOCAL_MAX && local_char(s[b - 1]))
		b--;
	if (b > floor && local_char(s[b - 1]))
		return 0; /* a local part longer than an address has */
	while (b < at && (s[b] == '.' || s[b] == '-' || s[b] == '+'))
		b++;
	if (b == at || s[at - 1] == '.')
		return 0;
	/* the domain: labels of letters, digits and '-', dot-separated */
	size_t e = at + 1, dot = 0;
	while (e < n && e - at <= DOMAIN_MAX) {
		if (kp_ascii_isalnum(s[e]) || s[e] == '-') {
			e++;
		} else if (s[e] == '.' && e + 1 < n && kp_ascii_isalnum(s[e + 1]) && kp_ascii_isalnum(s[e - 1])) {
			dot = e++;
		} else {
			break;
		}
	}
	if (!dot || (e < n && wordish(s[e])))
		return 0;
	/* a top-level domain of letters */
	for (size_t k = dot + 1; k < e; k++)
		if (!kp_ascii_isalpha(s[k]))
			return 0;
	if (e - dot - 1 < 2)
		return 0;
	*start = b;
	return e;
}

/* ---- numbers ------------------------------------------------------------------- */

#define MAX_GROUPS 8
#define MAX_GROUP_DIGITS 20

/* A run of digit groups joined by one space, '.' or '-' (and a first group
 * in parentheses: "(021) 555 1234"), maybe after '+'. */
struct run {
	size_t start;
	int plus, paren, n;
	size_t g[MAX_GROUPS], ge[MAX_GROUPS]; /* each group's digits */
	char sep[MAX_GROUPS];                 /* the separator before group i (0 for the first) */
};

static size_t parse_run(const unsigned char *s, size_t n, size_t i, struct run *r)
{
	size_t p = i;
	memset(r, 0, sizeof *r);
	r->start = i;
	if (s[p] == '+')
		r->plus = 1, p++;
	else if (s[p] == '(')
		r->paren = 1, p++;
	while (r->n < MAX_GROUPS) {
		size_t b = p;
		while (p < n && kp_ascii_isdigit(s[p]) && p - b <= MAX_GROUP_DIGITS)
			p++;
		if (p == b || p - b > MAX_GROUP_DIGITS)
			return r->n ? r->ge[r->n - 1] : 0;
		r->g[r->n] = b;
		r->ge[r->n] = p;
		r->n++;
		if (r->paren && r->n == 1) {
			if (p >= n || s[p] != ')')
				return 0;
			p++;
			if (p < n && s[p] == ' ')
				p++;
			if (p >= n || !kp_ascii_isdigit(s[p]))
				return 0;
			r->sep[r->n] = ')';
			continue;
		}
		if (r->n < MAX_GROUPS && p + 1 < n && (s[p] == ' ' || s[p] == '.' || s[p] == '-') && kp_ascii_isdigit(s[p + 1])) {
			r->sep[r->n] = (char)s[p];
			p++;
			continue;
		}
		break;
	}
	return r->ge[r->n - 1];
}

/* May a number end at e (not glued to what follows)? */
static int ends_clean(const unsigned char *s, size_t n, size_t e)
{
	if (e >= n)
		return 1;
	unsigned char c = s[e];
	if (wordish(c) || c == '@')
		return 0;
	return !((c == '.' || c == ',' || c == '-' || c == ':' || c == '/') && e + 1 < n && kp_ascii_isalnum(s[e + 1]));
}

/* May a number start at i (not glued to what comes before)? */
static int starts_clean(const unsigned char *s, size_t i)
{
	if (!i)
		return 1;
	unsigned char c = s[i - 1];
	return !wordish(c) && !strchr("-/.@+=#&%$\\", c);
}

/* The digits of groups [0, k), at most cap of them, into d; their count. */
static size_t digits(const unsigned char *s, const struct run *r, int k, char *d, size_t cap)
{
	size_t m = 0;
	for (int i = 0; i < k; i++)
		for (size_t p = r->g[i]; p < r->ge[i]; p++)
			if (m < cap)
				d[m++] = (char)s[p];
	return m;
}

static size_t glen(const struct run *r, int i)
{
	return r->ge[i] - r->g[i];
}

static int two(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

/* A NIK: province, regency and district codes, a birth date (day + 40 for
 * women), a serial. */
static int is_nik(const char *d)
{
	static const unsigned char provinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51,
						  52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92,
						  93, 94, 95, 96, 97};
	int prov = two(d), ok = 0;
	for (size_t i = 0; i < sizeof provinces && !ok; i++)
		ok = provinces[i] == prov;
	int day = two(d + 6), month = two(d + 8);
	if (day > 40)
		day -= 40;
	return ok && two(d + 2) && two(d + 4) && day >= 1 && day <= 31 && month >= 1 && month <= 12 &&
	       memcmp(d + 12, "0000", 4) != 0;
}

static int four(const char *d)
{
	return two(d) * 100 + two(d + 2);
}

/* A NIP (a civil servant's number, 18 digits): a birth date (YYYYMMDD), the
 * month of appointment (YYYYMM) at 17 to 60, the sex (1 or 2) and a serial
 * (not 000); written whole or as 8 6 1 3 digits apart. */
static int is_nip(const struct run *r, int k, const char *d, size_t m)
{
	if (m != 18 || r->plus || r->paren)
		return 0;
	if (k == 4) {
		static const size_t nip_groups[] = {8, 6, 1, 3};
		for (int i = 0; i < 4; i++)
			if (glen(r, i) != nip_groups[i] || (i && r->sep[i] != ' '))
				return 0;
	} else if (k != 1) {
		return 0;
	}
	int born = four(d), bm = two(d + 4), bd = two(d + 6), hired = four(d + 8), hm = two(d + 12);
	return born >= 1930 && born <= 2010 && bm >= 1 && bm <= 12 && bd >= 1 && bd <= 31 && hired >= born + 17 &&
	       hired <= born + 60 && hm >= 1 && hm <= 12 && (d[14] == '1' || d[14] == '2') && memcmp(d + 15, "000", 3) != 0;
}

static int luhn(const char *d, size_t m)
{
	int sum = 0;
	for (size_t i = 0; i < m; i++) {
		int v = d[m - 1 - i] - '0';
		if (i & 1)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		sum += v;
	}
	return sum % 10 == 0;
}

static int all_same(const char *d, size_t m)
{
	for (size_t i = 1; i < m; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

/* Groups [0, k) as a card number: 13-19 digits as one group or in groups
 * of four (Amex 4-6-5) with one kind of separator, starting 3-6, Luhn. */
static int is_card(const struct run *r, int k, const char *d, size_t m)
{
	if (r->plus || r->paren || m < 13 || m > 19 || d[0] < '3' || d[0] > '6' || all_same(d, m) || !luhn(d, m))
		return 0;
	if (k == 1)
		return 1;
	int amex = k == 3 && glen(r, 0) == 4 && glen(r, 1) == 6 && glen(r, 2) == 5;
	for (int i = 1; i < k; i++)
		if (r->sep[i] != r->sep[1] || r->sep[i] == '.')
			return 0;
	for (int i = 0; i < k - 1 && !amex; i++)
		if (glen(r, i) != 4)
			return 0;
	return amex || glen(r, k - 1) <= 4;
}

/* Groups [0, k) as an Indonesian phone number: +62 or 0, then a mobile
 * number (08..., 10-13 digits) or an area code and a subscriber number
 * (9-12 digits); groups of at least three digits (dates and times have
 * groups of two). */
static int is_phone(const struct run *r, int k, const char *d, size_t m)
{
	char n[24];
	size_t nl;
	if (r->plus || (!r->paren && m >= 11 && d[0] == '6' && d[1] == '2' && d[2] == '8' && k == 1)) {
		if (m < 3 || d[0] != '6' || d[1] != '2' || m - 1 >= sizeof n)
			return 0;
		n[0] = '0';
		memcpy(n + 1, d + 2, m - 2);
		nl = m - 1;
	} else {
		if (m >= sizeof n)
			return 0;
		memcpy(n, d, m);
		nl = m;
	}
	if (n[0] != '0' || n[1] < '1' || n[1] > '9' || all_same(n + 1, nl - 1))
		return 0;
	/* groups of three digits or more, but the country code (+62) and the
	 * last group (0812-3456-78): a date or a time has a first group of two */
	for (int i = 0; i < k; i++) {
		size_t need = (i == 0 && (r->plus || r->paren)) || (i == k - 1 && i > 0) ? 2 : 3;
		if (glen(r, i) < need)
			return 0;
	}
	if (n[1] == '8')
		return nl >= 10 && nl <= 13;
	return nl >= 9 && nl <= 12;
}

/* Does s[i, n) start with word, any case? */
static int starts_with(const unsigned char *s, size_t n, size_t i, const char *word)
{
	size_t w = strlen(word);
	return i + w <= n && !strncasecmp((const char *)s + i, word, w);
}

/* A dotted IPv4 address at s[i] (four numbers of 0-255, no leading zero):
 * its end, or 0. */
static size_t ipv4_tail(const unsigned char *s, size_t n, size_t i)
{
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		size_t b = i;
		int v = 0;
		while (i < n && i - b < 3 && kp_ascii_isdigit(s[i]))
			v = v * 10 + (s[i++] - '0');
		if (i == b || v > 255 || (i - b > 1 && s[b] == '0') || (i < n && kp_ascii_isdigit(s[i])))
			return 0;
	}
	return i;
}

static int is_ipv4(const unsigned char *s, size_t n, const struct run *r, int k)
{
	/* four groups joined by single dots (a run's separators are one
	 * byte), each at most 255 without a leading zero */
	if (k != 4 || r->plus || r->paren || ipv4_tail(s, n, r->g[0]) != r->ge[3])
		return 0;
	/* not a version ("WhatsApp 2.19.260.16 versi beta", "versi 1.2.3.4")
	 * nor an amount ("Rp 1.250.000.000") */
	size_t e = r->ge[3];
	while (e < n && e < r->ge[3] + 16 && s[e] != '\n' && !kp_ascii_isalpha(s[e]))
		e++;
	if (starts_with(s, n, e, "versi") || starts_with(s, n, e, "beta") || starts_with(s, n, e, "build"))
		return 0;
	size_t b = r->start;
	while (b > 0 && s[b - 1] == ' ')
		b--;
	return !(b >= 2 && (s[b - 1] | 32) == 'p' && (s[b - 2] | 32) == 'r') && !(b >= 1 && (s[b - 1] | 32) == 'v') &&
	       !(b >= 5 && starts_with(s, n, b - 5, "versi"));
}

/* ---- IPv6 addresses -------------------------------------------------------------- */

static int hexdigit(unsigned char c)
{
	return kp_ascii_isdigit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

/* An IPv6 address at s[i]: groups of 1-4 hex digits joined by ':', eight
 * of them, or fewer around one "::" (the last two groups may be an IPv4
 * address); its end, or 0.  A time (12:30:45), a verse (2:255), a ratio
 * or a MAC address (six groups) has neither eight groups nor "::"; with
 * "::", two groups at least and one of three digits or more (fe80::1,
 * 2001:db8::, not a::b). */
static size_t ipv6_at(const unsigned char *s, size_t n, size_t i)
{
	size_t p = i, groups = 0, widest = 0;
	int gap = 0;
	if (p + 1 < n && s[p] == ':' && s[p + 1] == ':') {
		gap = 1;
		p += 2;
	}
	for (;;) {
		size_t b = p;
		while (p < n && p - b < 5 && hexdigit(s[p]))
			p++;
		if (p == b)
			break;
		if (p - b > 4)
			return 0;
		size_t v4 = p < n && s[p] == '.' ? ipv4_tail(s, n, b) : 0;
		if (v4) {
			groups += 2;
			widest = 4;
			p = v4;
			break;
		}
		groups++;
		widest = p - b > widest ? p - b : widest;
		if (p + 1 < n && s[p] == ':' && s[p + 1] == ':') {
			if (gap)
				return 0;
			gap = 1;
			p += 2;
		} else if (p + 1 < n && s[p] == ':' && hexdigit(s[p + 1])) {
			p++;
		} else {
			break;
		}
	}
	if (widest < 3 || (gap ? groups < 2 || groups > 7 : groups != 8))
		return 0;
	return p < n && (wordish(s[p]) || s[p] == ':') ? 0 : p;
}

/* An IPv6 address whose first ':' is s[i], starting at or after floor:
 * its end (and *start), or 0. */
static size_t ipv6_around(const unsigned char *s, size_t n, size_t i, size_t floor, size_t *start)
{
	size_t b = i;
	while (b > floor && i - b < 4 && hexdigit(s[b - 1]))
		b--;
	if (b && (wordish(s[b - 1]) || s[b - 1] == ':' || s[b - 1] == '.'))
		return 0;
	*start = b;
	return ipv6_at(s, n, b);
}

/* Is word (lower case) written in the 32 bytes before i, any case? */
static int named_before(const unsigned char *s, size_t i, const char *word)
{
	size_t w = strlen(word), b = i > 32 ? i - 32 : 0;
	for (size_t p = b; p + w <= i; p++) {
		size_t k = 0;
		while (k < w && (s[p + k] | 32) == (unsigned char)word[k])
			k++;
		if (k == w)
			return 1;
	}
	return 0;
}

/* Does the text just before i call the number a card's? */
static int card_named(const unsigned char *s, size_t i)
{
	static const char *const words[] = {"kartu", "card", "kredit", "debit", "visa", "mastercard", "rekening"};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
		if (named_before(s, i, words[k]))
			return 1;
	return 0;
}

/* The kind of groups [0, k), or -1. */
static int classify(const unsigned char *s, size_t n, const struct run *r, int k)
{
	char d[MAX_GROUPS * (MAX_GROUP_DIGITS + 1)];
	size_t m = digits(s, r, k, d, sizeof d);
	if (is_ipv4(s, n, r, k))
		return KP_PII_IP;
	static const size_t npwp_groups[] = {2, 3, 3, 1, 3, 3};
	static const char npwp_seps[] = {0, '.', '.', '.', '-', '.'};
	if (k == 6 && !r->plus && !r->paren) {
		int ok = 1;
		for (int i = 0; i < 6 && ok; i++)
			ok = glen(r, i) == npwp_groups[i] && r->sep[i] == npwp_seps[i];
		if (ok)
			return KP_PII_NPWP;
	}
	if (k == 1 && !r->plus && !r->paren) {
		/* 16 digits may be both a NIK and a card number: what the text
		 * calls it decides, else a NIK */
		if (m == 16 && is_nik(d) && !(card_named(s, r->start) && is_card(r, k, d, m)))
			return KP_PII_NIK;
		if (m == 15 && named_before(s, r->start, "npwp"))
			return KP_PII_NPWP;
	}
	if (is_nip(r, k, d, m))
		return KP_PII_NIP;
	if (is_card(r, k, d, m))
		return KP_PII_CARD;
	if (is_phone(r, k, d, m))
		return KP_PII_PHONE;
	return -1;
}

/* ---- the scan ------------------------------------------------------------------- */

static void put(kp_pii_span *out, size_t max, size_t *count, size_t start, size_t end, int kind)
{
	if (*count < max)
		out[*count] = (kp_pii_span){start, end, kind};
	(*count)++;
}

size_t kp_pii_find(const char *text, size_t n, kp_pii_span *out, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t count = 0, pos = 0; /* pos: where the last span ended */
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == '@' || c == ':') {
			/* an address around its '@'; an IPv6 address around the first
			 * ':' (in its first five bytes: found from there, not asked
			 * of every word, where a branch on each letter a-f would cost
			 * more than the whole scan) */
			size_t st = i, e = c == '@' ? email_at(s, n, i, pos, &st) : ipv6_around(s, n, i, pos, &st);
			if (e) {
				put(out, max, &count, st, e, c == '@' ? KP_PII_EMAIL : KP_PII_IP);
				pos = i = e;
			} else {
				i++;
			}
			continue;
		}
		int starts = kp_ascii_isdigit(c) || ((c == '+' || c == '(') && i + 1 < n && kp_ascii_isdigit(s[i + 1]));
		if (!starts || !starts_clean(s, i)) {
			i++;
			continue;
		}
		struct run r;
		size_t end = parse_run(s, n, i, &r);
		if (!end) {
			i++;
			continue;
		}
		/* the longest prefix of groups that is something, and ends clean */
		int kind = -1, k;
		for (k = r.n; k > 0 && kind < 0; k--)
			if (ends_clean(s, n, r.ge[k - 1]))
				kind = classify(s, n, &r, k);
		if (kind >= 0) {
			put(out, max, &count, i, r.ge[k], kind);
			pos = i = r.ge[k];
			continue;
		}
		/* past the run's first group: its other groups start glued */
		i = r.ge[0];
	}
	return count;
}
