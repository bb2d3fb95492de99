/* korpus sentence splitter for Indonesian.
 *
 * A model (kp_split_model: abbreviations with their class, sentence
 * starters) is built once and shared read-only by any number of splitters
 * (kp_split), one per thread.  The built-in abbreviations come from
 * lib/data/abbrev-id.txt; more are added from files in the same format,
 * and kp_split_learner learns them from a corpus (Punkt-style) and writes
 * such a file.
 *
 * A splitter never changes a character: sentences are spans of the text.
 */
#ifndef KORPUS_SPLIT_H
#define KORPUS_SPLIT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_split_model kp_split_model;

/* The built-in model; NULL when out of memory. */
KP_API kp_split_model *kp_split_model_new(void);
/* Add abbreviations from text in the abbreviation format: lines
 * "abbrev.<TAB>title|any" ('#' comments; the class may be left out: any).
 * Returns 0 or KP_EFORMAT ("mine.txt:3: ..."), see kp_split_model_errmsg(). */
KP_API KP_WUR int kp_split_model_add(kp_split_model *m, const char *text, size_t len, const char *name);
KP_API const char *kp_split_model_errmsg(const kp_split_model *m);
KP_API void kp_split_model_free(kp_split_model *m);
/* The text of the built-in abbreviation list. */
KP_API const char *kp_split_builtin(size_t *len);

typedef struct kp_split kp_split;

/* A splitter using m (which must outlive it); NULL when out of memory. */
KP_API kp_split *kp_split_new(const kp_split_model *m);
KP_API void kp_split_free(kp_split *s);

/* Split text (UTF-8) into sentences.  Returns the number of sentences, or
 * KP_ENOMEM.  Results are valid until the next call. */
KP_API KP_WUR long kp_split_run(kp_split *s, const char *text, size_t len);
/* Sentence i: its offset and length in the text (no surrounding blanks;
 * never containing a line end), and 1 when it starts a paragraph (after a
 * blank line; the first sentence does not count). */
KP_API void kp_split_sentence(const kp_split *s, size_t i, size_t *off, size_t *len, int *paragraph);

/* ---- learning abbreviations ------------------------------------------------ */

typedef struct kp_split_learner kp_split_learner;

/* A learner that leaves out what m already knows (m may be NULL). */
KP_API kp_split_learner *kp_split_learner_new(const kp_split_model *m);
KP_API void kp_split_learner_free(kp_split_learner *l);
/* Count the words of a text.  0 or KP_ENOMEM. */
KP_API KP_WUR int kp_split_learner_add(kp_split_learner *l, const char *text, size_t len);
/* The learned abbreviations in the abbreviation format, with their
 * evidence in comments; *out (NUL-terminated) is valid until the learner
 * is freed.
 * 0 or KP_ENOMEM. */
KP_API KP_WUR int kp_split_learner_model(kp_split_learner *l, const char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
