/* Private: word sets and word maps for the language data (stopwords,
 * spelling lists, entity names), and the data-file line reader.
 *
 * Open addressing over byte strings; words of up to 8 bytes are also kept
 * as packed 64-bit keys, so the common lookup of a short word hashes no
 * string.  Built once, then read-only: safe to share between threads. */
#ifndef KORPUS_WORDS_INT_H
#define KORPUS_WORDS_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct kp_words {
	char **key, **val; /* val stays NULL for a set */
	size_t *klen, *vlen;
	size_t cap, n, maxlen;
	uint32_t *packed_slot; /* packed key -> slot + 1 */
	uint64_t *packed;
	size_t pcap;
} kp_words;

/* Add a word (a set member, no value).  0 or KP_ENOMEM. */
int kp_words_add(kp_words *w, const char *s, size_t n);
/* Map key to value; 1 if the key was already there (the value is kept),
 * 0 when added, KP_ENOMEM. */
int kp_words_put(kp_words *w, const char *k, size_t kn, const char *v, size_t vn);
/* Replace the value of a key that is there; 0, KP_ENOMEM, or KP_ENOTFOUND. */
int kp_words_set(kp_words *w, const char *k, size_t kn, const char *v, size_t vn);
int kp_words_has(const kp_words *w, const char *s, size_t n);
/* The value of key k, or NULL (also for a member of a set). */
const char *kp_words_get(const kp_words *w, const char *k, size_t kn, size_t *vlen);
void kp_words_free(kp_words *w);

/* The next content line of a data file: trimmed, comments ('#' first) and
 * blank lines skipped; *lineno counts every line.  0 at the end. */
int kp_data_next_line(const char **p, const char *end, const char **line, size_t *len, size_t *lineno);

#endif
