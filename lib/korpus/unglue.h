/* Words glued where a scraper dropped the spaces around links and bold text
 * ("dariAntara", "Ginjaladalah", "Silk,Ross"), split again.
 *
 * A model holds word counts (built in: real Indonesian news, see
 * lib/data/wordfreq-id.txt; more from korpus-stats --vocab files), the forms
 * kept whole (YouTube, iPhone, detikOto) and, for the lower-case joins, the
 * Indonesian hunspell dictionary (its affix rules make "makanannya" and
 * "menyelenggarakannya" words, not joins).  A model is read-only once made
 * and shared by the handles of several threads; a handle is one thread's. */
#ifndef KORPUS_UNGLUE_H
#define KORPUS_UNGLUE_H

#include <stddef.h>
#include <stdint.h>

#include "korpus/common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kp_unglue_mode {
	KP_UNGLUE_OFF,
	KP_UNGLUE_CAMEL, /* word+Capital joins and missing spaces after punctuation */
	KP_UNGLUE_ALL,   /* and all-lower-case joins, by word segmentation */
};

enum kp_unglue_kind {
	KP_UNGLUE_KIND_CAMEL, /* "dariAntara" -> "dari Antara" */
	KP_UNGLUE_KIND_LOWER, /* "Ginjaladalah" -> "Ginjal adalah" */
	KP_UNGLUE_KIND_PUNCT, /* "Silk,Ross" -> "Silk, Ross" */
	KP_UNGLUE_NKINDS
};

typedef struct kp_unglue_model kp_unglue_model;

/* A model with the built-in word counts and kept forms; NULL when out of
 * memory. */
KP_API kp_unglue_model *kp_unglue_model_new(void);
KP_API void kp_unglue_model_free(kp_unglue_model *m);
/* Add word counts: WORD<TAB>COUNT lines (korpus-stats --vocab; lines of two
 * words, comments and blank lines are skipped).  name is for messages.
 * 0, KP_EFORMAT (see kp_unglue_model_errmsg) or KP_ENOMEM. */
KP_API KP_WUR int kp_unglue_model_add_counts(kp_unglue_model *m, const char *text, size_t len, const char *name);
/* The hunspell dictionary (.aff and .dic paths) that decides whether an
 * unknown lower-case token is a word; KP_UNGLUE_ALL needs one.  0, or
 * KP_ENOTFOUND when a file cannot be read. */
KP_API KP_WUR int kp_unglue_model_set_dictionary(kp_unglue_model *m, const char *aff, const char *dic);
/* The Debian hunspell-id dictionary's paths. */
#define KP_UNGLUE_DICT_AFF "/usr/share/hunspell/id_ID.aff"
#define KP_UNGLUE_DICT_DIC "/usr/share/hunspell/id_ID.dic"
KP_API const char *kp_unglue_model_errmsg(const kp_unglue_model *m);
/* Bytes the model's tables take (the dictionary, loaded per handle, aside). */
KP_API size_t kp_unglue_model_bytes(const kp_unglue_model *m);

typedef struct kp_unglue kp_unglue;

/* A handle of mode KP_UNGLUE_CAMEL or KP_UNGLUE_ALL (which loads the
 * model's dictionary: about 3 MB); NULL when out of memory or when ALL has
 * no dictionary to load. */
KP_API kp_unglue *kp_unglue_new(const kp_unglue_model *m, int mode);
KP_API void kp_unglue_free(kp_unglue *u);
/* Repair text (UTF-8).  1 and the repaired text in *out (valid until the
 * next call) when something changed, 0 when not (*out = text), or
 * KP_ENOMEM.  Linear in len: tokens of over 40 letters are left alone. */
KP_API KP_WUR int kp_unglue_run(kp_unglue *u, const char *text, size_t len, const char **out, size_t *outlen);
/* The repairs of the last run, in text order: the token before and after,
 * the kind and a score (for word joins, how much more probable the split is
 * than the token, in nats; 0 for punctuation). */
KP_API size_t kp_unglue_nchanges(const kp_unglue *u);
KP_API void kp_unglue_change(const kp_unglue *u, size_t i, const char **from, size_t *fromlen, const char **to,
			     size_t *tolen, int *kind, double *score);
/* Repairs of a kind over all runs of the handle. */
KP_API uint64_t kp_unglue_count(const kp_unglue *u, int kind);
KP_API const char *kp_unglue_kind_name(int kind);

#ifdef __cplusplus
}
#endif
#endif
