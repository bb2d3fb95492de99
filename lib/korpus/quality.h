/* korpus quality rules: the Gopher, C4 and FineWeb document filters,
 * adapted to Indonesian.
 *
 * kp_quality_measure() computes a document's signals (word count, mean
 * word length, share of lines ending in punctuation, duplicated lines and
 * n-grams, Indonesian stopwords, ...) in time linear in its length; a rule
 * set says which values pass.  Rules are lines "NAME SIGNAL min|max VALUE"
 * (the built-in set: lib/data/quality-rules.txt, kp_quality_rules_builtin;
 * "#" starts a comment);
 * a later line of the same NAME replaces it, "NAME off" switches it off.
 * The shares of lines (ending in punctuation, short, bullets, ellipses)
 * are measured from three lines on; a document of fewer has neutral ones
 * (0, and 1 for lines_end_punct): one or two lines say nothing of a page's
 * layout. */
#ifndef KORPUS_QUALITY_H
#define KORPUS_QUALITY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	KP_Q_WORDS,             /* words */
	KP_Q_MEAN_WORD_LENGTH,  /* characters per word */
	KP_Q_SYMBOL_RATIO,      /* '#' and ellipses per word */
	KP_Q_ALPHA_WORDS,       /* share of words with a letter */
	KP_Q_UPPER_WORDS,       /* share of words of two letters or more all upper case */
	KP_Q_STOPWORDS,         /* Indonesian stopwords (a count) */
	KP_Q_LINES,             /* non-empty lines (paragraphs) */
	KP_Q_LINES_END_PUNCT,   /* share of lines ending in punctuation */
	KP_Q_SHORT_LINES,       /* share of lines under 30 characters */
	KP_Q_BULLET_LINES,      /* share of lines starting with a bullet */
	KP_Q_ELLIPSIS_LINES,    /* share of lines ending in an ellipsis */
	KP_Q_DUP_LINES,         /* share of lines that repeat an earlier one */
	KP_Q_DUP_LINE_CHARS,    /* their share of the characters */
	KP_Q_TOP_2GRAM,         /* share of word characters in the most frequent 2-gram */
	KP_Q_TOP_3GRAM,
	KP_Q_TOP_4GRAM,
	KP_Q_DUP_5GRAM,         /* share of word characters in repeated 5-grams */
	KP_Q_DUP_6GRAM,
	KP_Q_DUP_7GRAM,
	KP_Q_DUP_8GRAM,
	KP_Q_DUP_9GRAM,
	KP_Q_DUP_10GRAM,
	KP_Q_LOREM_IPSUM,       /* "lorem ipsum" (a count) */
	KP_Q_CURLY_BRACES,      /* '{' and '}' (a count) */
	KP_Q_NSIGNALS
};

/* "words", "mean_word_length", ...; -1 for an unknown name. */
KP_API const char *kp_quality_signal_name(int signal);
KP_API int kp_quality_signal(const char *name, size_t len);

typedef struct kp_quality_rules kp_quality_rules;

/* The built-in rules; NULL when out of memory. */
KP_API kp_quality_rules *kp_quality_rules_new(void);
/* More rules (or replacements, or "NAME off") in the rules format; name is
 * for messages.  0 or KP_EFORMAT ("q.rules:3: unknown signal 'wrods'"). */
KP_API KP_WUR int kp_quality_rules_add(kp_quality_rules *r, const char *text, size_t len, const char *name);
KP_API const char *kp_quality_rules_errmsg(const kp_quality_rules *r);
KP_API void kp_quality_rules_free(kp_quality_rules *r);
KP_API const char *kp_quality_rules_builtin(size_t *len);
/* The rules in force, i from 0: its name, signal, bound (-1 min, +1 max)
 * and threshold; 0 past the last. */
KP_API int kp_quality_rule(const kp_quality_rules *r, int i, const char **name, int *signal, int *bound,
			   double *threshold);

typedef struct kp_quality kp_quality;

/* A measurer using r's word lists (r must outlive it), one per thread. */
KP_API kp_quality *kp_quality_new(const kp_quality_rules *r);
KP_API void kp_quality_free(kp_quality *q);
/* The signals of a text into sig.  0 or KP_ENOMEM.  Memory: about 40
 * bytes a word, kept for the next call. */
KP_API KP_WUR int kp_quality_measure(kp_quality *q, const char *text, size_t n, double sig[KP_Q_NSIGNALS]);
/* The first rule the signals fail (its index for kp_quality_rule), or -1. */
KP_API int kp_quality_check(const kp_quality_rules *r, const double sig[KP_Q_NSIGNALS]);

#ifdef __cplusplus
}
#endif

#endif
