/* Minimal unit-test helpers: each check prints the failing expression with
 * its location, and main() returns non-zero if any failed. */
#ifndef KORPUS_TEST_H
#define KORPUS_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                                              \
	do {                                                                                         \
		long long va_ = (long long)(a), vb_ = (long long)(b);                                \
		if (va_ != vb_) {                                                                    \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, va_, vb_); \
			test_failures++;                                                             \
		}                                                                                    \
	} while (0)

/* Compare a (pointer, length) byte string with a C string. */
#define CHECK_MEM(p, n, s)                                                                             \
	do {                                                                                           \
		const char *pp_ = (const char *)(p);                                                   \
		size_t nn_ = (n), ns_ = strlen(s);                                                     \
		if (!pp_ || nn_ != ns_ || memcmp(pp_, (s), ns_) != 0) {                                \
			fprintf(stderr, "%s:%d: %s is \"%.*s\", expected \"%s\"\n", __FILE__, __LINE__, #p, \
				pp_ ? (int)(nn_ > 300 ? 300 : nn_) : 6, pp_ ? pp_ : "(null)", (s));    \
			test_failures++;                                                               \
		}                                                                                      \
	} while (0)

#define TEST_MAIN_END()                                                              \
	do {                                                                         \
		if (test_failures)                                                   \
			fprintf(stderr, "%d check(s) failed\n", test_failures);      \
		return test_failures ? 1 : 0;                                        \
	} while (0)

/* A small deterministic generator (splitmix64) for property tests. */
static inline uint64_t test_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#endif
