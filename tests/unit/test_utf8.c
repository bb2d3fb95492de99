/* Unit tests of the strict UTF-8 helpers. */
#include "korpus/korpus.h"
#include "test.h"

static void test_decode(void)
{
	static const struct {
		const char *s;
		size_t n;
		int32_t cp;
		size_t len;
	} cases[] = {
		{"A", 1, 'A', 1},
		{"\xc3\xa9", 2, 0xE9, 2},
		{"\xe2\x80\x9c", 3, 0x201C, 3},
		{"\xf0\x9f\x98\x80", 4, 0x1F600, 4},
		{"\xf4\x8f\xbf\xbf", 4, 0x10FFFF, 4},
		{"\xc0\x80", 2, -1, 1},          /* overlong NUL */
		{"\xc1\xbf", 2, -1, 1},          /* overlong */
		{"\xe0\x80\x80", 3, -1, 1},      /* overlong: E0 needs A0..BF */
		{"\xed\xa0\x80", 3, -1, 1},      /* surrogate D800 */
		{"\xf0\x80\x80\x80", 4, -1, 1},  /* overlong */
		{"\xf4\x90\x80\x80", 4, -1, 1},  /* above U+10FFFF */
		{"\xf5\x80\x80\x80", 4, -1, 1},  /* invalid lead */
		{"\x80", 1, -1, 1},              /* stray continuation */
		{"\xe2\x82", 2, -1, 2},          /* truncated: maximal subpart of 2 */
		{"\xe2\x82" "A", 3, -1, 2},
		{"\xf0\x9f\x98", 3, -1, 3},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t cp;
		size_t len = kp_utf8_decode(cases[i].s, cases[i].n, &cp);
		if (cp != cases[i].cp || len != cases[i].len) {
			fprintf(stderr, "case %zu: got cp %d len %zu\n", i, cp, len);
			test_failures++;
		}
	}
}

static void test_encode(void)
{
	char b[4];
	CHECK_INT(kp_utf8_encode(b, 0x41), 1);
	CHECK_INT(kp_utf8_encode(b, 0xE9), 2);
	CHECK_INT(kp_utf8_encode(b, 0xFFFD), 3);
	CHECK_MEM(b, 3, "\xef\xbf\xbd");
	CHECK_INT(kp_utf8_encode(b, 0x1F600), 4);
	CHECK_INT(kp_utf8_encode(b, 0xD800), 0);
	CHECK_INT(kp_utf8_encode(b, 0x110000), 0);
	/* every scalar value round-trips */
	int bad = 0;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		size_t n = kp_utf8_encode(b, cp);
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			bad += n != 0;
			continue;
		}
		int32_t back;
		bad += n == 0 || kp_utf8_decode(b, n, &back) != n || back != (int32_t)cp;
	}
	CHECK_INT(bad, 0);
}

static void test_valid_and_repair(void)
{
	const char *ok = "Wakil Bupati Belu, Drs. Aloysius \xe2\x80\x9cHaleserens\xe2\x80\x9d \xf0\x9f\x98\x80 caf\xc3\xa9";
	CHECK_INT(kp_utf8_valid_prefix(ok, strlen(ok)), strlen(ok));
	const char *bad = "Rp 5.000\xa0ribu \xc3\x28";
	CHECK_INT(kp_utf8_valid_prefix(bad, strlen(bad)), 8);
	char out[64];
	uint64_t count = 0;
	size_t n = kp_utf8_repair(out, bad, strlen(bad), &count);
	CHECK_MEM(out, n, "Rp 5.000\xef\xbf\xbdribu \xef\xbf\xbd(");
	CHECK_INT(count, 2);
	/* repair is the identity on valid text */
	count = 0;
	n = kp_utf8_repair(out, ok, strlen(ok), &count);
	CHECK_MEM(out, n, ok);
	CHECK_INT(count, 0);
}

int main(void)
{
	test_decode();
	test_encode();
	test_valid_and_repair();
	TEST_MAIN_END();
}
