/* Unit tests of the 64-bit count map (u64map_int.h) and its comparator. */
#include "korpus/common.h"
#include "u64map_int.h"
#include "test.h"

/* The map's invariants: n keys in its slots, a power-of-two capacity at
 * most 3/4 full with the shift of its homes, and every key found from its
 * home slot. */
static int consistent(const kp_u64map *m)
{
	if (!m->cap)
		return m->n == 0 && m->slot == NULL && kp_u64map_bytes(m) == 0;
	if ((m->cap & (m->cap - 1)) != 0 || m->n * 4 > m->cap * 3 || kp_u64map_bytes(m) != m->cap * sizeof(kp_u64slot) ||
	    m->shift < 1 || m->shift > 63 || (size_t)1 << (64 - m->shift) != m->cap)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key) {
			n++;
			if (kp_u64map_get(m, m->slot[i].key) != m->slot[i].val)
				return 0;
		}
	return n == m->n;
}

static void test_basics(void)
{
	kp_u64map m = {0};
	CHECK_INT(kp_u64map_get(&m, 42), 0); /* an empty map has no slots */
	CHECK_INT(kp_u64map_bytes(&m), 0);
	CHECK(consistent(&m));

	CHECK_INT(kp_u64map_add(&m, 42, 5, 0), 0);
	CHECK_INT(kp_u64map_add(&m, 7, 1, 0), 0);
	CHECK_INT(kp_u64map_add(&m, 42, 3, 0), 0); /* adds to the count */
	CHECK_INT(m.n, 2);
	CHECK_INT(kp_u64map_get(&m, 42), 8);
	CHECK_INT(kp_u64map_get(&m, 7), 1);
	CHECK_INT(kp_u64map_get(&m, 8), 0);
	CHECK(kp_u64map_bytes(&m) >= 2 * sizeof(kp_u64slot));

	/* inc: the new count, from 1 for a new key */
	CHECK_INT(kp_u64map_inc(&m, 7), 2);
	CHECK_INT(kp_u64map_inc(&m, 7), 3);
	CHECK_INT(kp_u64map_inc(&m, 1000), 1);
	CHECK_INT(kp_u64map_inc(&m, 42), 9);
	CHECK_INT(m.n, 3);

	/* the largest key, and counts near the top of uint64_t */
	CHECK_INT(kp_u64map_add(&m, UINT64_MAX, UINT64_MAX - 1, 0), 0);
	CHECK(kp_u64map_get(&m, UINT64_MAX) == UINT64_MAX - 1);
	CHECK(kp_u64map_inc(&m, UINT64_MAX) == UINT64_MAX);
	CHECK_INT(kp_u64map_add(&m, 1, 0, 0), 0); /* a key with count 0 is still a key */
	CHECK_INT(m.n, 5);
	CHECK_INT(kp_u64map_get(&m, 1), 0);
	CHECK_INT(kp_u64map_inc(&m, 1), 1);
	CHECK_INT(m.n, 5);
	CHECK(consistent(&m));
	kp_u64map_free(&m);
	CHECK(consistent(&m));
	CHECK_INT(kp_u64map_get(&m, 42), 0);
	kp_u64map_free(&m); /* twice is harmless */
}

/* A cap on the number of keys: new keys refused (1), known ones still
 * counted. */
static void test_cap(void)
{
	kp_u64map m = {0};
	for (uint64_t k = 1; k <= 3; k++)
		CHECK_INT(kp_u64map_add(&m, k * 1000003, k, 3), 0);
	CHECK_INT(kp_u64map_add(&m, 99, 1, 3), 1);
	CHECK_INT(m.n, 3);
	CHECK_INT(kp_u64map_get(&m, 99), 0);
	CHECK_INT(kp_u64map_add(&m, 2 * 1000003, 10, 3), 0); /* known: counted at the cap */
	CHECK_INT(kp_u64map_get(&m, 2 * 1000003), 12);
	CHECK_INT(kp_u64map_add(&m, 99, 1, 4), 0); /* a higher cap lets it in */
	CHECK_INT(kp_u64map_add(&m, 100, 1, 4), 1);
	CHECK_INT(kp_u64map_add(&m, 100, 1, 0), 0); /* no cap */
	CHECK_INT(m.n, 5);
	CHECK(consistent(&m));
	kp_u64map_free(&m);
}

/* Many keys, added through growth from empty: every count right, none lost,
 * absent keys 0.  Random keys, and sequential ones (hash clustering). */
static void test_many(void)
{
	enum { N = 200000 };
	kp_u64map m = {0};
	uint64_t seed = 2024;
	uint64_t *keys = malloc(N * sizeof *keys);
	if (!keys)
		abort();
	for (size_t i = 0; i < N; i++) {
		keys[i] = test_rand(&seed) | 1; /* nonzero */
		CHECK_INT(kp_u64map_add(&m, keys[i], i + 1, 0), 0);
	}
	CHECK_INT(m.n, N);
	CHECK(consistent(&m));
	CHECK(m.cap >= N * 4 / 3 && m.cap <= N * 4); /* grown by doubling, not wildly */
	size_t wrong = 0;
	for (size_t i = 0; i < N; i++)
		wrong += kp_u64map_get(&m, keys[i]) != i + 1;
	CHECK_INT(wrong, 0);
	size_t found = 0;
	for (size_t i = 0; i < N; i++)
		found += kp_u64map_get(&m, test_rand(&seed) & ~(uint64_t)1) != 0; /* even: never added */
	CHECK_INT(found, 0);
	/* every key counted again through inc */
	for (size_t i = 0; i < N; i += 3)
		wrong += kp_u64map_inc(&m, keys[i]) != i + 2;
	CHECK_INT(wrong, 0);
	CHECK_INT(m.n, N);
	kp_u64map_free(&m);

	/* counts of repeated keys: key k added k times (1..2000) */
	uint64_t total = 0;
	for (uint64_t round = 0; round < 2000; round++)
		for (uint64_t k = round + 1; k <= 2000; k++) {
			kp_u64map_inc(&m, k * 0x10001);
			total++;
		}
	CHECK_INT(m.n, 2000);
	wrong = 0;
	uint64_t sum = 0;
	for (uint64_t k = 1; k <= 2000; k++) {
		uint64_t c = kp_u64map_get(&m, k * 0x10001);
		wrong += c != k;
		sum += c;
	}
	CHECK_INT(wrong, 0);
	CHECK(sum == total);
	CHECK(consistent(&m));
	kp_u64map_free(&m);
	free(keys);
	kp_u64map_free(&m);
}

/* Keys that all start their probe in the same slot: the last one, so the
 * probes wrap around to the first; and keys that differ only in their high
 * 32 bits (which share a home while the map is small). */
static void test_collisions(void)
{
	kp_u64map m = {0};
	CHECK_INT(kp_u64map_add(&m, 12345, 1, 0), 0); /* the first table: 1024 slots */
	size_t cap = m.cap;
	uint64_t keys[60];
	size_t nk = 0;
	for (uint64_t k = 1; nk < 60; k++)
		if (kp_u64map_home(k, m.shift) == cap - 1)
			keys[nk++] = k;
	for (size_t i = 0; i < nk; i++)
		CHECK_INT(kp_u64map_add(&m, keys[i], i + 1, 0), 0);
	CHECK_INT(m.cap, cap); /* no growth hid the collisions */
	CHECK(m.slot[cap - 1].key == keys[0]);
	CHECK(m.slot[0].key != 0); /* wrapped */
	size_t wrong = 0;
	for (size_t i = 0; i < nk; i++)
		wrong += kp_u64map_get(&m, keys[i]) != i + 1;
	CHECK_INT(wrong, 0);
	CHECK_INT(kp_u64map_get(&m, keys[nk - 1] + 1), 0);
	CHECK(consistent(&m));
	kp_u64map_free(&m);

	for (uint64_t a = 1; a <= 300; a++)
		CHECK_INT(kp_u64map_add(&m, a << 32, a, 0), 0);
	wrong = 0;
	for (uint64_t a = 1; a <= 300; a++)
		wrong += kp_u64map_get(&m, a << 32) != a;
	CHECK_INT(wrong, 0);
	CHECK_INT(kp_u64map_get(&m, (uint64_t)301 << 32), 0);
	CHECK(consistent(&m));
	kp_u64map_free(&m);
}

/* The longest run of occupied slots (wrapping around): how far a probe
 * may have to walk. */
static size_t longest_run(const kp_u64map *m)
{
	size_t best = 0, run = 0;
	for (size_t i = 0; i < 2 * m->cap && best < m->cap; i++) {
		run = m->slot[i & (m->cap - 1)].key ? run + 1 : 0;
		best = run > best ? run : best;
	}
	return best < m->cap ? best : m->cap;
}

/* Keys that differ only in their high 32 bits -- stats' bigrams, the pair
 * of two words' entries a << 32 | b, of many first words with one second
 * word -- spread over the slots like other keys: no long run to probe
 * (they shared one home in a table of up to 4096 slots, a run of them all). */
static void test_high_bits(void)
{
	static const size_t sizes[][2] = {{700, 1024}, {3000, 4096}, {100000, 262144}};
	for (size_t t = 0; t < 3; t++) {
		kp_u64map m = {0};
		for (uint64_t a = 1; a <= sizes[t][0]; a++)
			CHECK_INT(kp_u64map_add(&m, a << 32 | 5, a, 0), 0);
		CHECK_INT(m.cap, sizes[t][1]);
		size_t run = longest_run(&m);
		if (run > 40) {
			fprintf(stderr, "%s:%d: %zu keys a << 32 | 5: a run of %zu slots\n", __FILE__, __LINE__, sizes[t][0], run);
			test_failures++;
		}
		uint64_t wrong = 0;
		for (uint64_t a = 1; a <= sizes[t][0]; a++)
			wrong += kp_u64map_get(&m, a << 32 | 5) != a;
		CHECK_INT(wrong, 0);
		CHECK(consistent(&m));
		kp_u64map_free(&m);
	}
	/* pairs of 300 first and 300 second words */
	kp_u64map m = {0};
	for (uint64_t a = 1; a <= 300; a++)
		for (uint64_t b = 1; b <= 300; b++)
			CHECK_INT(kp_u64map_add(&m, a << 32 | b, 1, 0), 0);
	CHECK_INT(m.n, 90000);
	CHECK(longest_run(&m) <= 64);
	CHECK(consistent(&m));
	kp_u64map_free(&m);
}

/* clear: empty for reuse; a large table that held little is freed. */
static void test_clear(void)
{
	kp_u64map m = {0};
	kp_u64map_clear(&m); /* an empty map */
	CHECK(consistent(&m));
	for (uint64_t k = 1; k <= 500; k++)
		CHECK_INT(kp_u64map_add(&m, k, k, 0), 0);
	size_t cap = m.cap;
	kp_u64map_clear(&m);
	CHECK_INT(m.n, 0);
	CHECK_INT(m.cap, cap); /* small: kept */
	CHECK(consistent(&m));
	CHECK_INT(kp_u64map_get(&m, 250), 0);
	CHECK_INT(kp_u64map_add(&m, 250, 1, 0), 0);
	CHECK_INT(kp_u64map_get(&m, 250), 1);
	CHECK_INT(m.n, 1);

	/* a large table full enough is kept */
	for (uint64_t k = 1; k <= 100000; k++)
		(void)kp_u64map_inc(&m, k);
	cap = m.cap;
	CHECK(cap > 4096);
	kp_u64map_clear(&m);
	CHECK_INT(m.cap, cap);
	CHECK(consistent(&m));
	/* ... and then holding few keys, freed by the next clear */
	for (uint64_t k = 1; k <= 100; k++)
		(void)kp_u64map_inc(&m, k);
	kp_u64map_clear(&m);
	CHECK_INT(m.cap, 0);
	CHECK(consistent(&m));
	CHECK_INT(kp_u64map_inc(&m, 5), 1); /* usable again */
	CHECK_INT(kp_u64map_get(&m, 5), 1);
	kp_u64map_free(&m);
}

static void test_cmp(void)
{
	/* values past INT64_MAX: a signed difference would order them wrongly */
	uint64_t v[] = {UINT64_MAX, 5, (uint64_t)1 << 63, 0, 5, ((uint64_t)1 << 63) - 1, 1};
	const uint64_t sorted[] = {0, 1, 5, 5, ((uint64_t)1 << 63) - 1, (uint64_t)1 << 63, UINT64_MAX};
	qsort(v, sizeof v / sizeof v[0], sizeof v[0], kp_cmp_u64);
	CHECK(memcmp(v, sorted, sizeof v) == 0);
	uint64_t a = 3, b = 3, c = UINT64_MAX;
	CHECK_INT(kp_cmp_u64(&a, &b), 0);
	CHECK(kp_cmp_u64(&a, &c) < 0);
	CHECK(kp_cmp_u64(&c, &a) > 0);
}

int main(void)
{
	test_basics();
	test_cap();
	test_many();
	test_collisions();
	test_high_bits();
	test_clear();
	test_cmp();
	TEST_MAIN_END();
}
