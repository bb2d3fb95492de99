/* Unit tests of the character classes (lib/ctype_int.h, lib/ctype.c): the
 * table against C's "C" locale for ASCII and against ICU for code points,
 * the Latin Extended-A letters the old parity rule got wrong, and the
 * cleaner's pattern classes that use them. */
#include <ctype.h>

#include <unicode/uchar.h>

#include "ctype_int.h"
#include "pattern_int.h"
#include "test.h"

static void test_ascii(void)
{
	for (int b = 0; b < 128; b++) { /* <ctype.h> in the "C" locale: the reference */
		CHECK_INT(!!kp_ascii_isupper((unsigned char)b), !!isupper(b));
		CHECK_INT(!!kp_ascii_islower((unsigned char)b), !!islower(b));
		CHECK_INT(!!kp_ascii_isalpha((unsigned char)b), !!isalpha(b));
		CHECK_INT(!!kp_ascii_isdigit((unsigned char)b), !!isdigit(b));
		CHECK_INT(!!kp_ascii_isalnum((unsigned char)b), !!isalnum(b));
		CHECK_INT(!!kp_ascii_isspace((unsigned char)b), !!isspace(b));
		CHECK_INT(kp_ascii_tolower((unsigned char)b), tolower(b));
	}
	/* a byte of a multibyte UTF-8 sequence is in no ASCII class: the bytes
	 * of "Ł" (C5 81), "À" (C3 80), NBSP (C2 A0), "ß" (C3 9F) */
	for (int b = 128; b < 256; b++) {
		CHECK_INT(kp_ascii_isalnum((unsigned char)b), 0);
		CHECK_INT(kp_ascii_isspace((unsigned char)b), 0);
		CHECK_INT(kp_ascii_tolower((unsigned char)b), b);
	}
	CHECK(kp_ascii_isupper('A') && kp_ascii_isupper('Z') && !kp_ascii_isupper('a') && !kp_ascii_isupper('@'));
	CHECK(kp_ascii_islower('a') && kp_ascii_islower('z') && !kp_ascii_islower('Z') && !kp_ascii_islower('{'));
	CHECK_INT(kp_ascii_tolower('Q'), 'q');
	CHECK_INT(kp_ascii_tolower('7'), '7');
}

static void test_digits_spaces(void)
{
	const char *digits = "0123456789";
	for (const char *p = digits; *p; p++)
		CHECK(kp_ascii_isdigit((unsigned char)*p) && kp_ascii_isalnum((unsigned char)*p) &&
		      !kp_ascii_isalpha((unsigned char)*p));
	CHECK(!kp_ascii_isdigit('/') && !kp_ascii_isdigit(':') && !kp_ascii_isdigit('O'));
	const char *spaces = " \t\n\v\f\r";
	for (const char *p = spaces; *p; p++)
		CHECK(kp_ascii_isspace((unsigned char)*p));
	CHECK(!kp_ascii_isspace('\0') && !kp_ascii_isspace('_') && !kp_ascii_isspace(0x85) && !kp_ascii_isspace(0xA0));
	/* a code point's digit or space is no letter */
	CHECK(!kp_is_letter_cp('5') && !kp_is_letter_cp(' ') && !kp_is_letter_cp(0xA0) && !kp_is_letter_cp(0x663));
}

/* Below 256 the table, above ICU: one answer either way. */
static void test_code_points_as_icu(void)
{
	for (int32_t c = 0; c < 0x800; c++) {
		CHECK_INT(kp_is_upper_cp(c), !!u_isupper(c));
		CHECK_INT(kp_is_lower_cp(c), !!u_islower(c));
		CHECK_INT(kp_is_letter_cp(c), !!u_isalpha(c));
	}
	CHECK(!kp_is_upper_cp(-1) && !kp_is_lower_cp(-1) && !kp_is_letter_cp(-1));
	CHECK(!kp_is_upper_cp(0x110000) && !kp_is_lower_cp(0x110000) && !kp_is_letter_cp(0x110000));
}

static void test_latin1(void)
{
	CHECK(kp_is_upper_cp(0xC0) && kp_is_upper_cp(0xC9) && kp_is_upper_cp(0xDE)); /* À É Þ */
	CHECK(kp_is_lower_cp(0xDF) && kp_is_lower_cp(0xE9) && kp_is_lower_cp(0xFF)); /* ß é ÿ */
	CHECK(!kp_is_letter_cp(0xD7) && !kp_is_letter_cp(0xF7));                    /* × ÷ */
	CHECK(kp_is_lower_cp(0xB5) && !kp_is_upper_cp(0xB5));                        /* µ */
	CHECK(kp_is_letter_cp(0xAA) && !kp_is_upper_cp(0xAA) && !kp_is_lower_cp(0xAA)); /* ª: no case */
	CHECK(!kp_is_letter_cp(0xA0) && !kp_is_letter_cp(0xAB) && !kp_is_letter_cp(0xBF)); /* NBSP « ¿ */
}

/* The rule "upper case is even in U+0100..U+017F" fails from U+0138 to
 * U+0148 and from U+0179 to U+017F. */
static void test_latin_extended_a(void)
{
	CHECK(kp_is_upper_cp(0x100) && kp_is_lower_cp(0x101)); /* Ā ā */
	CHECK(kp_is_upper_cp(0x141) && !kp_is_lower_cp(0x141)); /* Ł */
	CHECK(kp_is_lower_cp(0x142) && !kp_is_upper_cp(0x142)); /* ł */
	CHECK(kp_is_upper_cp(0x179) && !kp_is_lower_cp(0x179)); /* Ź */
	CHECK(kp_is_lower_cp(0x17A) && !kp_is_upper_cp(0x17A)); /* ź */
	CHECK(kp_is_upper_cp(0x17D) && !kp_is_lower_cp(0x17D)); /* Ž */
	CHECK(kp_is_lower_cp(0x17E) && !kp_is_upper_cp(0x17E)); /* ž */
	CHECK(kp_is_lower_cp(0x138) && !kp_is_upper_cp(0x138)); /* ĸ */
	CHECK(kp_is_lower_cp(0x149) && !kp_is_upper_cp(0x149)); /* ŉ */
	CHECK(kp_is_lower_cp(0x17F) && !kp_is_upper_cp(0x17F)); /* ſ */
	CHECK(kp_is_upper_cp(0x178) && kp_is_upper_cp(0x152));  /* Ÿ Œ */
	for (int32_t c = 0x100; c <= 0x17F; c++)
		CHECK(kp_is_letter_cp(c) && kp_is_upper_cp(c) != kp_is_lower_cp(c));
}

static void test_beyond(void)
{
	CHECK(kp_is_lower_cp(0x192) && kp_is_letter_cp(0x192));                          /* ƒ */
	CHECK(kp_is_upper_cp(0x3A3) && kp_is_lower_cp(0x3C3));                            /* Σ σ */
	CHECK(kp_is_upper_cp(0x416) && kp_is_lower_cp(0x436));                            /* Ж ж */
	CHECK(kp_is_letter_cp(0x645) && !kp_is_upper_cp(0x645) && !kp_is_lower_cp(0x645)); /* Arabic meem */
	CHECK(kp_is_letter_cp(0x4E2D) && !kp_is_upper_cp(0x4E2D));                        /* 中 */
	CHECK(!kp_is_letter_cp(0x2014) && !kp_is_letter_cp(0x1F600));                     /* — 😀 */
}

/* The cleaner's classes: {U} a word in capitals, {l} a lower-case word. */
static int matches(kp_pvm *vm, const char *src, const char *text)
{
	char err[200];
	kp_pattern *p = kp_pattern_compile(src, strlen(src), NULL, NULL, err, sizeof err);
	if (!p) {
		fprintf(stderr, "cannot compile <%s>: %s\n", src, err);
		test_failures++;
		return -1;
	}
	int rc = kp_pattern_test(p, text, strlen(text), KP_MATCH_FULL, vm);
	kp_pattern_free(p);
	return rc;
}

static void test_pattern_classes(void)
{
	kp_pvm *vm = kp_pvm_new();
	CHECK(vm != NULL);
	if (!vm)
		return;
	CHECK_INT(matches(vm, "{U}", "ŁÓDŹ"), 1);
	CHECK_INT(matches(vm, "{U}", "ŽURNAL"), 1);
	CHECK_INT(matches(vm, "{U}", "PERŚ"), 1);
	CHECK_INT(matches(vm, "{U}", "łódź"), 0);
	CHECK_INT(matches(vm, "{l}", "łódź"), 1);
	CHECK_INT(matches(vm, "{l}", "żółw"), 1);
	CHECK_INT(matches(vm, "{l}", "ŁÓDŹ"), 0);
	CHECK_INT(matches(vm, "{W}", "Łódź"), 1);
	CHECK_INT(matches(vm, "{W}", "Jakarta"), 1);
	CHECK_INT(matches(vm, "{w}", "Jakarta-2024"), 1);
	kp_pvm_free(vm);
}

int main(void)
{
	test_ascii();
	test_digits_spaces();
	test_code_points_as_icu();
	test_latin1();
	test_latin_extended_a();
	test_beyond();
	test_pattern_classes();
	TEST_MAIN_END();
}
