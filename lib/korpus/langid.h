/* korpus language identification: Indonesian and the languages around it.
 *
 * A multinomial logistic regression (naive Bayes refined by averaged
 * stochastic gradient descent, weights kept as bytes) over hashed features
 * of each word: the word itself (counted four times) and its letter 2- to
 * 4-grams with word boundaries, in lower case.  A language may be learnt
 * as several varieties (classes), and is reported as the one whose
 * varieties together are likeliest.  Text mostly in a script other than
 * Latin is "oth" without asking the model (it knows Latin-script
 * languages only), and so is text that is like none of the model's
 * languages (a language it was not taught; a model with an "oth").
 * Linear in the
 * text; the model is read-only and shared by any number of threads.
 *
 * The built-in model (lib/data/langid.model) is trained by
 * `korpus-filter --train` from corpora/lang-id/ (see its README for the
 * exact command and the sources). */
#ifndef KORPUS_LANGID_H
#define KORPUS_LANGID_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_langid_model kp_langid_model;

/* The built-in model; NULL when out of memory. */
KP_API kp_langid_model *kp_langid_builtin(void);
/* A model from the bytes of a model file; NULL with a message in err
 * (at least 128 bytes) when it is not one. */
KP_API kp_langid_model *kp_langid_load(const char *data, size_t len, char *err, size_t errlen);
KP_API void kp_langid_free(kp_langid_model *m);
/* The languages of the model, ISO 639-3 ("ind", "zsm", ..., "oth"), each
 * once however many varieties it was learnt as. */
KP_API int kp_langid_nlangs(const kp_langid_model *m);
KP_API const char *kp_langid_lang(const kp_langid_model *m, int i);
/* The index of a code, or -1. */
KP_API int kp_langid_find(const kp_langid_model *m, const char *code, size_t len);

/* The language of text: its index, and in *score (may be NULL) how sure
 * (0-1: the model's probability of that language, all its varieties);
 * -1 when the text has no letters. */
KP_API int kp_langid_detect(const kp_langid_model *m, const char *text, size_t n, double *score);
/* The same, and in one pass the language of each line (the text split at
 * '\n'; an empty text is one empty line): each(ctx, start, end, lang,
 * score) in order, as kp_langid_detect would give it for text[start, end)
 * but that a line is judged among the model's languages only (a line of
 * English and Indonesian mixed, or a list of foreign names, looks like a
 * language the model does not know). */
KP_API int kp_langid_detect_lines(const kp_langid_model *m, const char *text, size_t n, double *score,
				  void (*each)(void *ctx, size_t start, size_t end, int lang, double score), void *ctx);

/* ---- training ---------------------------------------------------------------- */

typedef struct kp_langid_trainer kp_langid_trainer;

/* A trainer of 2^bits feature buckets (0: the default, 17). */
KP_API kp_langid_trainer *kp_langid_trainer_new(int bits);
KP_API void kp_langid_trainer_free(kp_langid_trainer *t);
/* Count the features of a text of language code: 3 lower-case letters, or
 * "LANG:VARIETY" (a variety of 1-15 lower-case letters and digits: a class
 * of its own, reported as LANG).  0, KP_ENOMEM, or KP_EINVAL (another code,
 * or a 17th class). */
KP_API KP_WUR int kp_langid_trainer_add(kp_langid_trainer *t, const char *code, const char *text, size_t n);
/* The order in which gradient descent visits the examples: a model is the
 * same for the same examples and seed (the default's, 0, is the built-in
 * model's); other seeds show how much a measurement owes to the order. */
KP_API void kp_langid_trainer_seed(kp_langid_trainer *t, uint64_t seed);
/* The model file's bytes (malloc'ed) of what was added. */
KP_API KP_WUR int kp_langid_trainer_write(kp_langid_trainer *t, char **out, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
