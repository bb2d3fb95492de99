/* korpus deduplication: exact keys, MinHash signatures with LSH bands, the
 * decision index, and repeated-paragraph counts.
 *
 * The dedup key of a text is its words, case folded, with punctuation,
 * whitespace and a leading dateline ("JAKARTA, KOMPAS.com -") ignored.
 * A signature holds the key's 128-bit XXH3 hash, the MinHash of its word
 * n-gram shingles and the LSH band keys of that MinHash.
 *
 * Decision (kp_dedup_index): documents are offered in priority order (input
 * order for "keep first"); one is a duplicate when an earlier kept document
 * has the same exact key, or shares an LSH band with it and the MinHash
 * estimate of their Jaccard similarity reaches the threshold (the best such
 * document is named).  Only kept documents enter the index.  The same index
 * serves the streaming command and the staged cluster step, so both decide
 * alike.
 */
#ifndef KORPUS_DEDUP_H
#define KORPUS_DEDUP_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KP_DEDUP_MAX_PERM 512
#define KP_DEDUP_MAX_BANDS 128

typedef struct kp_dedup_params {
	int ngram;        /* words per shingle (5) */
	int num_perm;     /* MinHash permutations (128), <= KP_DEDUP_MAX_PERM */
	double threshold; /* Jaccard (0.8) */
	int bands, rows;  /* LSH: bands * rows <= num_perm; 0 = chosen from the threshold */
	int min_shingles; /* fewer shingles: exact matching only (5) */
	int raw_key;      /* the exact key is the text's bytes as they are */
} kp_dedup_params;

KP_API void kp_dedup_params_default(kp_dedup_params *p);
/* Check the parameters and choose bands and rows when they are 0: the pair
 * that minimises 0.05 x the probability of false positives below the
 * threshold plus 0.95 x that of false negatives above it (candidates are
 * verified, so a false positive costs only a comparison).  0 or KP_EINVAL. */
KP_API KP_WUR int kp_dedup_params_finish(kp_dedup_params *p);
/* Those probabilities for the chosen bands and rows. */
KP_API void kp_dedup_params_errors(const kp_dedup_params *p, double *false_pos, double *false_neg);

typedef struct kp_dedup_sig {
	uint8_t exact[16];                 /* XXH3-128 of the key */
	int near;                          /* enough shingles for MinHash */
	uint32_t shingles;                 /* word n-grams of the key (repeats counted) */
	uint8_t mh[KP_DEDUP_MAX_PERM];     /* MinHash values, low 8 bits (b-bit MinHash) */
	uint64_t band[KP_DEDUP_MAX_BANDS]; /* band keys (the band number mixed in) */
} kp_dedup_sig;

typedef struct kp_dedup_signer kp_dedup_signer;

/* A signer (per thread) for parameters p (finished); NULL when out of memory. */
KP_API kp_dedup_signer *kp_dedup_signer_new(const kp_dedup_params *p);
KP_API void kp_dedup_signer_free(kp_dedup_signer *s);
/* The signature of a text.  0 or KP_ENOMEM. */
KP_API KP_WUR int kp_dedup_sign(kp_dedup_signer *s, const char *text, size_t len, kp_dedup_sig *out);
/* The normalised key hash of a paragraph, 0 when it has no word. */
KP_API uint64_t kp_dedup_para_hash(kp_dedup_signer *s, const char *text, size_t len);

/* MinHash estimate of the Jaccard similarity of two signatures. */
/* The Jaccard estimate from the number of equal 8-bit MinHash values. */
KP_API double kp_dedup_estimate(int equal, int num_perm);
KP_API double kp_dedup_jaccard(const kp_dedup_sig *a, const kp_dedup_sig *b, int num_perm);

/* ---- the decision index ------------------------------------------------------ */

typedef struct kp_dedup_index kp_dedup_index;

enum kp_dedup_kind { KP_DEDUP_KEPT, KP_DEDUP_EXACT, KP_DEDUP_NEAR };

typedef struct kp_dedup_verdict {
	enum kp_dedup_kind kind;
	uint64_t dup_of; /* the ref of the kept document, for EXACT and NEAR */
	double jaccard;  /* 1.0 for EXACT */
} kp_dedup_verdict;

/* An empty index.  max_memory bounds its size in bytes (0: no bound). */
KP_API kp_dedup_index *kp_dedup_index_new(const kp_dedup_params *p, size_t max_memory);
KP_API void kp_dedup_index_free(kp_dedup_index *x);
/* Decide on a document (ref: the caller's name for it) and, when it is
 * kept, index it.  use_bands[i] == 0 leaves band i out (the cluster step
 * knows only the bands shared with another document); NULL uses all.
 * Returns 0, KP_ENOMEM, or KP_ETOOLONG when the index would pass
 * max_memory (the document is then not indexed). */
KP_API KP_WUR int kp_dedup_index_add(kp_dedup_index *x, uint64_t ref, const kp_dedup_sig *sig,
				     const unsigned char *use_bands, kp_dedup_verdict *v);
/* Bytes the index holds, and the bytes it takes per kept document. */
KP_API size_t kp_dedup_index_memory(const kp_dedup_index *x);
KP_API size_t kp_dedup_bytes_per_doc(const kp_dedup_params *p);

/* ---- repeated paragraphs ------------------------------------------------------ */

typedef struct kp_dedup_paras kp_dedup_paras;

KP_API kp_dedup_paras *kp_dedup_paras_new(void);
KP_API void kp_dedup_paras_free(kp_dedup_paras *t);
/* Count the paragraphs (lines) of one document: each distinct paragraph
 * hash once.  0 or KP_ENOMEM. */
KP_API KP_WUR int kp_dedup_paras_count(kp_dedup_paras *t, kp_dedup_signer *s, const char *text, size_t len);
/* Add n documents to a paragraph hash's count (loading a counts file). */
KP_API KP_WUR int kp_dedup_paras_add(kp_dedup_paras *t, uint64_t hash, uint64_t n);
KP_API uint64_t kp_dedup_paras_get(const kp_dedup_paras *t, uint64_t hash);
/* Visit the counts of at least min_docs (in no particular order). */
KP_API void kp_dedup_paras_each(const kp_dedup_paras *t, uint64_t min_docs, void (*fn)(void *ctx, uint64_t hash, uint64_t n),
				void *ctx);
KP_API size_t kp_dedup_paras_size(const kp_dedup_paras *t);

/* ---- the staged format: sign | LC_ALL=C sort | cluster | apply ----------------
 * For runs over shards (korpus-dedup sign, cluster, apply; a sharded build).
 * A key record is one line of six fields separated by tabs:
 *   KEY      "e" + 32 hex digits: the exact key (high, then low 64 bits), or
 *            "b" + 2 hex digits (the band) + 16 hex digits (its key)
 *   ORDER    "SSSSSS:NNNNNNNNNNNN": the shard, and the document's number from 1
 *   LENGTH   the text's length in bytes, decimal
 *   TIME     "created" (else "added") as JSON, or null
 *   MINHASH  the MinHash values in base64, or "-" for a text too short for one
 *   ID       the document's id as JSON (a string, a number or null)
 * Sorted bytewise, the records of one key are together; a key that two
 * documents or more have is where duplicates are found.  An order key is
 * shard << KP_DEDUP_ORDER_SHIFT | number. */

#define KP_DEDUP_ORDER_LEN 19
#define KP_DEDUP_ORDER_SHIFT 40
#define KP_DEDUP_ORDER_NUM(order) ((order) & ((UINT64_C(1) << KP_DEDUP_ORDER_SHIFT) - 1))
#define KP_DEDUP_ORDER_SHARD(order) ((unsigned)((order) >> KP_DEDUP_ORDER_SHIFT))

/* The order key of an ORDER field: 0, or KP_EFORMAT. */
KP_API KP_WUR int kp_dedup_order_parse(const char *s, size_t n, uint64_t *order);
/* The ORDER field of an order key, NUL-terminated, into buf (at least
 * KP_DEDUP_ORDER_LEN + 1 bytes). */
KP_API void kp_dedup_order_format(uint64_t order, char *buf);

/* Bytes that kp_dedup_records_write() may write for one document. */
KP_API size_t kp_dedup_records_size(const kp_dedup_params *p, size_t idlen, size_t timelen);
/* The key records of one document, each ending in a newline, into out:
 * the exact key's when with_exact or the document has no MinHash (minhash
 * NULL), then one per band (p->bands, from bands[]) when it has one.
 * id and time are JSON text.  Returns the bytes written. */
KP_API size_t kp_dedup_records_write(char *out, const kp_dedup_params *p, int with_exact, const uint8_t exact[16],
				     const uint8_t *minhash, const uint64_t *bands, uint64_t order, uint64_t textlen,
				     const char *id, size_t idlen, const char *time, size_t timelen);
/* The length of a record's KEY, or KP_EFORMAT when the line (without its
 * newline) is not a key record: six fields, a key of either form. */
KP_API long kp_dedup_record_key(const char *line, size_t len);

/* The reduce step: the records of keys shared by two documents or more in,
 * the documents to remove out, decided by kp_dedup_index in keep order
 * exactly as the streaming command decides.  Memory: the documents in those
 * records, not all documents. */
typedef struct kp_dedup_cluster kp_dedup_cluster;

enum kp_dedup_keep {
	KP_DEDUP_KEEP_FIRST,   /* the first in input order */
	KP_DEDUP_KEEP_LONGEST, /* the longest text; ties: the first */
	KP_DEDUP_KEEP_NEWEST,  /* the newest TIME (null last); ties: the first */
};

/* For parameters p (finished, as given to sign); NULL when out of memory. */
KP_API kp_dedup_cluster *kp_dedup_cluster_new(const kp_dedup_params *p, enum kp_dedup_keep keep);
KP_API void kp_dedup_cluster_free(kp_dedup_cluster *k);
/* One record (without its newline): 0, KP_ENOMEM, or KP_EFORMAT with the
 * reason in kp_dedup_cluster_errmsg() (a malformed field, a MinHash of
 * another --num-perm, a band of other --bands, records of one document
 * that disagree). */
KP_API KP_WUR int kp_dedup_cluster_add(kp_dedup_cluster *k, const char *line, size_t len);
KP_API const char *kp_dedup_cluster_errmsg(const kp_dedup_cluster *k);
/* Documents seen in the records. */
KP_API size_t kp_dedup_cluster_docs(const kp_dedup_cluster *k);
/* Decide, and hand each document to remove, in input order, to fn as one
 * JSON line with its newline: {"order", "id", "dup_of", "kind" ("exact" or
 * "near"), "jaccard"}.  A negative return of fn stops and is returned;
 * else 0 or KP_ENOMEM.  *removed and *exact count the documents. */
KP_API KP_WUR int kp_dedup_cluster_decide(kp_dedup_cluster *k, int (*fn)(void *ctx, const char *rec, size_t n),
					  void *ctx, uint64_t *removed, uint64_t *exact);

#ifdef __cplusplus
}
#endif
#endif
