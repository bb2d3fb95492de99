/* korpus corpus statistics: exact accumulators that merge.
 *
 * A kp_stats gathers counts, exact length distributions (value -> count),
 * the word and bigram vocabularies and breakdowns by source and month.
 * The caller feeds it tokenized sentences (tokens separated by one space,
 * lower case) and one record per document; kp_stats_merge() adds another
 * accumulator, so per-thread and per-shard results combine exactly.
 *
 * Serialized, a kp_stats is a JSON report (every figure, and the exact
 * distributions that merging needs) plus a vocabulary TSV ("word<TAB>count",
 * bigrams as "word word<TAB>count", by count).  Loading both into an empty
 * kp_stats and merging gives the same report as one run over all inputs.
 *
 * Words are tokens holding a letter; numbers hold a digit and no letter;
 * the other tokens are punctuation and symbols.  Stems are derived from the
 * word vocabulary when the report is made (a stem callback), so they merge
 * exactly too.  Percentiles are nearest-rank.  With max_vocab, types past
 * the cap are not kept: their tokens count, but type figures become lower
 * bounds and the report says "approximate".
 */
#ifndef KORPUS_STATS_H
#define KORPUS_STATS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_stats kp_stats;

/* max_vocab: types kept per table (words, bigrams), 0 = no cap.  NULL when
 * out of memory. */
KP_API kp_stats *kp_stats_new(size_t max_vocab);
KP_API void kp_stats_free(kp_stats *s);

/* One sentence: its tokens separated by single spaces (lower case). */
KP_API KP_WUR int kp_stats_sentence(kp_stats *s, const char *tokens, size_t len);

typedef struct kp_stats_doc {
	uint64_t bytes, chars, paragraphs;
	uint64_t sentences, tokens; /* this document's, as fed by kp_stats_sentence() */
	const char *source;         /* NULL: none */
	size_t source_len;
	const char *month; /* "YYYY-MM" or NULL */
	int dup;           /* metadata.dup_of present */
	int empty;         /* metadata.clean_empty */
	uint64_t repairs;  /* invalid UTF-8 or lone surrogates repaired in decoding */
} kp_stats_doc;

KP_API KP_WUR int kp_stats_add_doc(kp_stats *s, const kp_stats_doc *d);
/* A span korpus-clean removed (metadata.removed): its rule and length. */
KP_API KP_WUR int kp_stats_removed(kp_stats *s, const char *rule, size_t len, uint64_t bytes);

KP_API KP_WUR int kp_stats_merge(kp_stats *dst, const kp_stats *src);
/* The same, taking src's tables over when dst holds nothing yet (a move,
 * not a copy: the merge of a single worker's counts costs nothing); src is
 * left empty or as it was. */
KP_API KP_WUR int kp_stats_absorb(kp_stats *dst, kp_stats *src);

/* Derive the stem table from the word vocabulary: stem(ctx, w, n, &sn)
 * returns the stem of word w (NULL: not a stem-able word). */
KP_API KP_WUR int kp_stats_stems(kp_stats *s, const char *(*stem)(void *ctx, const char *w, size_t n, size_t *sn),
				 void *ctx);

/* The JSON report with the top `top` words, stems and bigrams.  With a
 * vocab_name (may be NULL), the report names the vocabulary file for
 * --merge and records the size and XXH3 checksum of its bytes vocab
 * (kp_stats_vocab()'s).  *out (to free()) ends in a NUL after *len bytes;
 * so does the vocabulary's. */
KP_API KP_WUR int kp_stats_json(kp_stats *s, int top, const char *vocab_name, const char *vocab, size_t vocab_len,
				char **out, size_t *len);
/* The vocabulary TSV: WORD<TAB>COUNT lines, then "WORD WORD<TAB>COUNT". */
KP_API KP_WUR int kp_stats_vocab(kp_stats *s, char **out, size_t *len);
/* Add a report (KP_EFORMAT when it is not one, or its counts overflow)
 * and then its vocabulary.  After a report that names a vocabulary, the
 * next kp_stats_load_vocab() checks the file against the report (size,
 * checksum, word and bigram types, the words counted) and adds nothing
 * from a file that fails (KP_EFORMAT). */
KP_API KP_WUR int kp_stats_load_json(kp_stats *s, const char *json, size_t len);
KP_API KP_WUR int kp_stats_load_vocab(kp_stats *s, const char *tsv, size_t len);
/* Bytes held per word type (approximate, for --help and the summary). */
KP_API size_t kp_stats_bytes_per_type(void);
KP_API size_t kp_stats_memory(const kp_stats *s);
KP_API uint64_t kp_stats_documents(const kp_stats *s);
KP_API const char *kp_stats_errmsg(const kp_stats *s);

#ifdef __cplusplus
}
#endif
#endif
