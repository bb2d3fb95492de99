/* Private: a map from nonzero 64-bit keys to 64-bit counts (open
 * addressing, linear probing, grown at 3/4 full), shared by the paragraph
 * counts of dedup and the distributions and bigrams of stats; and the
 * qsort comparator of 64-bit values. */
#ifndef KORPUS_U64MAP_INT_H
#define KORPUS_U64MAP_INT_H

#include <stddef.h>
#include <stdint.h>

/* A key and its count side by side: a probe reads one cache line. */
typedef struct kp_u64slot {
	uint64_t key, val; /* key 0: an empty slot */
} kp_u64slot;

typedef struct kp_u64map {
	kp_u64slot *slot;
	size_t n, cap;
	unsigned shift; /* 64 - log2(cap), when cap > 0 */
} kp_u64map;

/* The slot where key k starts its probe (shift: the map's): the top bits
 * of k times 2^64 / phi.  Bit j of the product depends on bits 0..j of k
 * only, so it must be the top bits: bits from the middle ignore the high
 * half of k, and keys that differ only there (stats' bigram pairs, a << 32
 * | b, with one b) would all start in one slot. */
static inline size_t kp_u64map_home(uint64_t k, unsigned shift)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> shift);
}

/* Ask the cache for the slot of key k ahead of an add: a counter of many
 * keys misses the cache on every add, and a few asked at once overlap. */
static inline void kp_u64map_prefetch(const kp_u64map *m, uint64_t k)
{
	if (m->cap)
		__builtin_prefetch(&m->slot[kp_u64map_home(k, m->shift)], 1);
}

/* Add v to key k (nonzero): 0; 1 when k is new and the map holds max keys
 * already (max 0: no cap); KP_ENOMEM. */
int kp_u64map_add(kp_u64map *m, uint64_t k, uint64_t v, size_t max);
/* Add 1 to key k (nonzero, no cap): its new count, 0 when out of memory. */
uint64_t kp_u64map_inc(kp_u64map *m, uint64_t k);
/* The value of k, 0 when absent. */
uint64_t kp_u64map_get(const kp_u64map *m, uint64_t k);
size_t kp_u64map_bytes(const kp_u64map *m);
/* Empty the map for reuse: its slots cleared, or freed when it is far
 * larger than what it held (so that one large use is not paid for again
 * by every small one after it). */
void kp_u64map_clear(kp_u64map *m);
void kp_u64map_free(kp_u64map *m);

int kp_cmp_u64(const void *a, const void *b);

#endif
