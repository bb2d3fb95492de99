/* Private: a map from nonzero 64-bit keys to 64-bit counts (open
 * addressing, linear probing, grown at 3/4 full), shared by the paragraph
 * counts of dedup and the distributions and bigrams of stats; and the
 * qsort comparator of 64-bit values. */
#ifndef KORPUS_U64MAP_INT_H
#define KORPUS_U64MAP_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct kp_u64map {
	uint64_t *key, *val; /* key 0: an empty slot */
	size_t n, cap;
} kp_u64map;

/* Add v to key k (nonzero): 0; 1 when k is new and the map holds max keys
 * already (max 0: no cap); KP_ENOMEM. */
int kp_u64map_add(kp_u64map *m, uint64_t k, uint64_t v, size_t max);
/* The value of k, 0 when absent. */
uint64_t kp_u64map_get(const kp_u64map *m, uint64_t k);
size_t kp_u64map_bytes(const kp_u64map *m);
void kp_u64map_free(kp_u64map *m);

int kp_cmp_u64(const void *a, const void *b);

#endif
