/* Unit tests of the word sets and maps of the language data (words_int.h)
 * and of the data-file line reader. */
#include <unistd.h>

#include "korpus/common.h"
#include "words_int.h"
#include "test.h"

static int has(const kp_words *w, const char *s)
{
	return kp_words_has(w, s, strlen(s));
}

/* The value of key k as a C string in buf, or "(null)". */
static const char *get(const kp_words *w, const char *k, char *buf, size_t size)
{
	size_t vl = 0;
	const char *v = kp_words_get(w, k, strlen(k), &vl);
	if (!v)
		return "(null)";
	snprintf(buf, size, "%.*s", (int)vl, v);
	return buf;
}

static void test_set(void)
{
	kp_words w = {0};
	CHECK_INT(has(&w, "dan"), 0); /* an empty set */
	static const char *const stop[] = {"dan", "yang", "di", "ke", "dari", "pemerintah", "sebagaimana", "a"};
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		CHECK_INT(kp_words_add(&w, stop[i], strlen(stop[i])), 0);
	CHECK_INT(w.n, 8);
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		CHECK_INT(has(&w, stop[i]), 1);
	/* prefixes, extensions, other case, spaces: not members */
	CHECK_INT(has(&w, "da"), 0);
	CHECK_INT(has(&w, "dann"), 0);
	CHECK_INT(has(&w, "Dan"), 0);
	CHECK_INT(has(&w, "dan "), 0);
	CHECK_INT(has(&w, "pemerinta"), 0);
	CHECK_INT(has(&w, "pemerintahan"), 0); /* longer than any member */
	CHECK_INT(kp_words_has(&w, "dan", 0), 0);
	/* the length counts, not a NUL: "dan" is not "dan\0" nor "da" */
	CHECK_INT(kp_words_has(&w, "dan\0", 4), 0);
	CHECK_INT(kp_words_has(&w, "dari", 2), 0);
	CHECK_INT(kp_words_has(&w, "yang di", 4), 1); /* "yang" */
	/* adding a member again: no error, no second copy */
	CHECK_INT(kp_words_add(&w, "dan", 3), 0);
	CHECK_INT(kp_words_put(&w, "yang", 4, NULL, 0), 1);
	CHECK_INT(w.n, 8);
	/* a set member has no value */
	size_t vl = 99;
	CHECK(kp_words_get(&w, "dan", 3, &vl) == NULL);
	CHECK(kp_words_get(&w, "tidak", 5, &vl) == NULL);

	/* keys that pack to the same 64 bits (zero padding) stay apart */
	CHECK_INT(kp_words_add(&w, "ab\0", 3), 0);
	CHECK_INT(kp_words_has(&w, "ab\0", 3), 1);
	CHECK_INT(kp_words_has(&w, "ab", 2), 0);
	CHECK_INT(kp_words_add(&w, "ab", 2), 0);
	CHECK_INT(kp_words_has(&w, "ab", 2), 1);
	CHECK_INT(kp_words_has(&w, "ab\0\0", 4), 0);
	CHECK_INT(w.n, 10);

	/* freed: empty and usable again */
	kp_words_free(&w);
	CHECK_INT(w.n, 0);
	CHECK_INT(has(&w, "dan"), 0);
	CHECK_INT(kp_words_add(&w, "lagi", 4), 0);
	CHECK_INT(has(&w, "lagi"), 1);
	CHECK_INT(has(&w, "dan"), 0);
	kp_words_free(&w);
	kp_words_free(&w); /* twice is harmless */
}

static void test_map(void)
{
	kp_words w = {0};
	char buf[256];
	/* spelling fixes: short and long keys and values */
	CHECK_INT(kp_words_put(&w, "tdk", 3, "tidak", 5), 0);
	CHECK_INT(kp_words_put(&w, "yg", 2, "yang", 4), 0);
	CHECK_INT(kp_words_put(&w, "dgn", 3, "dengan", 6), 0);
	CHECK_INT(kp_words_put(&w, "pemerintahannya", 15, "pemerintah", 10), 0);
	CHECK_INT(kp_words_put(&w, "12345678", 8, "", 0), 0);  /* 8 bytes: packed */
	CHECK_INT(kp_words_put(&w, "123456789", 9, "9", 1), 0); /* 9 bytes: hashed */
	CHECK(strcmp(get(&w, "tdk", buf, sizeof buf), "tidak") == 0);
	CHECK(strcmp(get(&w, "yg", buf, sizeof buf), "yang") == 0);
	CHECK(strcmp(get(&w, "dgn", buf, sizeof buf), "dengan") == 0);
	CHECK(strcmp(get(&w, "pemerintahannya", buf, sizeof buf), "pemerintah") == 0);
	CHECK(strcmp(get(&w, "12345678", buf, sizeof buf), "") == 0); /* an empty value is a value */
	CHECK(strcmp(get(&w, "123456789", buf, sizeof buf), "9") == 0);
	CHECK(strcmp(get(&w, "1234567", buf, sizeof buf), "(null)") == 0);
	CHECK(strcmp(get(&w, "tidak", buf, sizeof buf), "(null)") == 0); /* values are not keys */
	CHECK_INT(has(&w, "tdk"), 1);
	CHECK_INT(has(&w, "tidak"), 0);

	/* put of a key that is there keeps the first value */
	CHECK_INT(kp_words_put(&w, "tdk", 3, "tak", 3), 1);
	CHECK(strcmp(get(&w, "tdk", buf, sizeof buf), "tidak") == 0);
	CHECK_INT(w.n, 6);
	/* set replaces it, also with a longer or an empty one */
	CHECK_INT(kp_words_set(&w, "tdk", 3, "tak", 3), 0);
	CHECK(strcmp(get(&w, "tdk", buf, sizeof buf), "tak") == 0);
	CHECK_INT(kp_words_set(&w, "yg", 2, "yang (kata sambung)", 19), 0);
	CHECK(strcmp(get(&w, "yg", buf, sizeof buf), "yang (kata sambung)") == 0);
	CHECK_INT(kp_words_set(&w, "pemerintahannya", 15, "", 0), 0);
	CHECK(strcmp(get(&w, "pemerintahannya", buf, sizeof buf), "") == 0);
	/* set of an absent key adds nothing */
	CHECK_INT(kp_words_set(&w, "sdh", 3, "sudah", 5), KP_ENOTFOUND);
	CHECK_INT(kp_words_set(&w, "pemerintahanku", 14, "x", 1), KP_ENOTFOUND);
	CHECK_INT(has(&w, "sdh"), 0);
	CHECK_INT(w.n, 6);
	/* a set member (no value) can be given one */
	CHECK_INT(kp_words_add(&w, "bhw", 3), 0);
	CHECK(strcmp(get(&w, "bhw", buf, sizeof buf), "(null)") == 0);
	CHECK_INT(kp_words_set(&w, "bhw", 3, "bahwa", 5), 0);
	CHECK(strcmp(get(&w, "bhw", buf, sizeof buf), "bahwa") == 0);
	/* a value may hold any bytes: its length is returned */
	CHECK_INT(kp_words_put(&w, "nul", 3, "a\0b", 3), 0);
	size_t vl = 0;
	const char *v = kp_words_get(&w, "nul", 3, &vl);
	CHECK(v && vl == 3 && memcmp(v, "a\0b", 3) == 0);
	kp_words_free(&w);

	/* a key far longer than a word */
	char longkey[600];
	for (size_t i = 0; i < sizeof longkey; i++)
		longkey[i] = (char)('a' + i % 26);
	CHECK_INT(kp_words_put(&w, longkey, sizeof longkey, "panjang", 7), 0);
	v = kp_words_get(&w, longkey, sizeof longkey, &vl);
	CHECK_MEM(v, vl, "panjang");
	CHECK_INT(kp_words_has(&w, longkey, sizeof longkey - 1), 0);
	longkey[300] = 'Z';
	CHECK_INT(kp_words_has(&w, longkey, sizeof longkey), 0);
	kp_words_free(&w);
}

/* Word i of a family of distinct words: short ones (1 to 8 bytes, the packed
 * table's) for most, some longer. */
static size_t word(unsigned i, char *buf)
{
	if (i % 7 == 3)
		return (size_t)sprintf(buf, "kata-panjang-%u", i);
	return (size_t)sprintf(buf, "%x", i * 2654435761u & 0xfffffffu); /* odd multiplier mod 2^28: distinct, <= 7 digits */
}

/* Are all of words 0..n-1 there with their values, and none of n..n+k? */
static int all_there(const kp_words *w, unsigned n, unsigned absent, int values)
{
	char buf[64], val[32];
	int bad = 0;
	for (unsigned i = 0; i < n + absent; i++) {
		size_t l = word(i, buf), vl = 0;
		int want = i < n;
		if (kp_words_has(w, buf, l) != want) {
			if (bad++ < 5)
				fprintf(stderr, "word %u '%s' of %u: has() is %d\n", i, buf, n, !want);
			continue;
		}
		if (values && want) {
			const char *v = kp_words_get(w, buf, l, &vl);
			int k = sprintf(val, "v%u", i);
			if (!v || vl != (size_t)k || memcmp(v, val, vl) != 0) {
				if (bad++ < 5)
					fprintf(stderr, "word %u '%s': wrong value\n", i, buf);
			}
		}
	}
	return bad == 0;
}

/* Growth through the 4096 words of the packed table and far past it: every
 * word is found at each step, and none that was not added.  (With more than
 * 8192 short words, rebuilding the packed table on growth used to fill it
 * and probe for a free slot forever.) */
static void test_growth(void)
{
	kp_words w = {0};
	char buf[64], val[32];
	static const unsigned checkpoints[] = {1, 100, 255, 256, 4095, 4096, 4097, 8191, 8192, 8193, 16385, 20000};
	size_t next = 0;
	size_t short_words = 0;
	for (unsigned i = 0; i < 20000; i++) {
		size_t l = word(i, buf);
		short_words += l <= 8;
		int k = sprintf(val, "v%u", i);
		int rc = kp_words_put(&w, buf, l, val, (size_t)k);
		if (rc != 0) {
			fprintf(stderr, "put of word %u '%s': %d\n", i, buf, rc);
			test_failures++;
			break;
		}
		if (next < sizeof checkpoints / sizeof checkpoints[0] && i + 1 == checkpoints[next]) {
			CHECK_INT(w.n, i + 1);
			if (!all_there(&w, i + 1, 3000, 1)) {
				fprintf(stderr, "after %u words\n", i + 1);
				test_failures++;
			}
			next++;
		}
	}
	CHECK_INT(next, sizeof checkpoints / sizeof checkpoints[0]);
	CHECK(short_words > 16000);
	/* adding them again changes nothing */
	for (unsigned i = 0; i < 20000; i += 13) {
		size_t l = word(i, buf);
		CHECK_INT(kp_words_put(&w, buf, l, "x", 1), 1);
	}
	CHECK_INT(w.n, 20000);
	CHECK(all_there(&w, 20000, 5000, 1));
	/* set still finds short words past the packed table */
	size_t l = word(12345, buf);
	CHECK_INT(kp_words_set(&w, buf, l, "baru", 4), 0);
	size_t vl = 0;
	const char *v = kp_words_get(&w, buf, l, &vl);
	CHECK_MEM(v, vl, "baru");
	kp_words_free(&w);

	/* a plain set of 20000 short words (the case that hung) */
	for (unsigned i = 0; i < 20000; i++) {
		int k = sprintf(buf, "w%u", i); /* 2 to 6 bytes */
		CHECK_INT(kp_words_add(&w, buf, (size_t)k), 0);
	}
	CHECK_INT(w.n, 20000);
	int missing = 0;
	for (unsigned i = 0; i < 20000; i++) {
		int k = sprintf(buf, "w%u", i);
		missing += !kp_words_has(&w, buf, (size_t)k);
	}
	CHECK_INT(missing, 0);
	int extra = 0;
	for (unsigned i = 20000; i < 40000; i++) {
		int k = sprintf(buf, "w%u", i);
		extra += kp_words_has(&w, buf, (size_t)k);
		k = sprintf(buf, "x%u", i - 20000);
		extra += kp_words_has(&w, buf, (size_t)k);
	}
	CHECK_INT(extra, 0);
	CHECK_INT(kp_words_has(&w, "w", 1), 0);
	CHECK_INT(kp_words_has(&w, "w19999", 6), 1);
	CHECK_INT(kp_words_has(&w, "w199990", 7), 0);
	kp_words_free(&w);
}

/* The lines of a data file as "N:line;" */
static void lines_of(const char *text, size_t n, char *out, size_t size, size_t *lineno)
{
	const char *p = text, *line;
	size_t len, o = 0;
	*lineno = 0;
	out[0] = '\0';
	while (kp_data_next_line(&p, text + n, &line, &len, lineno) == 1)
		o += (size_t)snprintf(out + o, size - o, "%zu:%.*s;", *lineno, (int)len, line);
	CHECK(p == text + n); /* all read */
	CHECK_INT(kp_data_next_line(&p, text + n, &line, &len, lineno), 0); /* and stays at the end */
}

static void test_data_lines(void)
{
	char out[512];
	size_t lineno;
	const char *t = "# Kata henti bahasa Indonesia\n"
			"\n"
			"dan\n"
			"  yang  \n"
			"\tdi\t\r\n"
			"   \t \n"
			"  # a comment after spaces\n"
			"tanda # bukan komentar\n"
			"\r\n"
			"akhir";
	lines_of(t, strlen(t), out, sizeof out, &lineno);
	CHECK(strcmp(out, "3:dan;4:yang;5:di;8:tanda # bukan komentar;10:akhir;") == 0);
	CHECK_INT(lineno, 10);

	/* a final newline is not one more line; CRLF files */
	t = "satu\r\ndua\r\n";
	lines_of(t, strlen(t), out, sizeof out, &lineno);
	CHECK(strcmp(out, "1:satu;2:dua;") == 0);
	CHECK_INT(lineno, 2);

	/* nothing but comments and blanks: no line, every one counted */
	t = "#\n\n# x\n  \n";
	lines_of(t, strlen(t), out, sizeof out, &lineno);
	CHECK(strcmp(out, "") == 0);
	CHECK_INT(lineno, 4);
	lines_of("", 0, out, sizeof out, &lineno);
	CHECK(strcmp(out, "") == 0);
	CHECK_INT(lineno, 0);

	/* the end pointer bounds the text: no NUL needed, nothing read past it */
	t = "alpha\nbeta\ngamma";
	lines_of(t, 8, out, sizeof out, &lineno); /* "alpha\nbe" */
	CHECK(strcmp(out, "1:alpha;2:be;") == 0);

	/* a key and value line as the data files write them, split by the caller */
	t = "tdk\ttidak\n";
	const char *p = t, *line;
	size_t len;
	lineno = 0;
	CHECK_INT(kp_data_next_line(&p, t + strlen(t), &line, &len, &lineno), 1);
	CHECK_MEM(line, len, "tdk\ttidak"); /* inner tabs stay */
}

int main(void)
{
	/* the growth test once looped forever (see test_growth): fail, not hang */
	alarm(120);
	test_set();
	test_map();
	test_growth();
	test_data_lines();
	TEST_MAIN_END();
}
