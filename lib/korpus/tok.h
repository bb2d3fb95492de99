/* korpus tokenizer for Indonesian.
 *
 * Text is tokenized line by line (one sentence per line, as korpus-split
 * writes it); the result keeps the lines and separates tokens by one space.
 * Words keep their inner hyphens, periods, commas, slashes and apostrophes
 * where these join letters or digits (anak-anak, non-migas, 1.250.000, 2,5,
 * II/2007, Jum'at, Kompas.com), abbreviations keep their period (Dr., Tbk.,
 * D.W.), URLs, e-mail addresses, hashtags and mentions are single tokens,
 * and punctuation stands alone ("..." as one).  Character classes come from
 * ICU; runs of scripts written without spaces (Thai, Chinese, Japanese, ...)
 * go through ICU's word BreakIterator.
 *
 * A configuration (kp_tok_config: options and word lists) is shared
 * read-only by any number of tokenizers (kp_tok), one per thread; each
 * tokenizer owns its Snowball stemmer.
 */
#ifndef KORPUS_TOK_H
#define KORPUS_TOK_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	KP_TOK_CLITICS = 1 << 0,  /* "bukunya" -> "buku -nya", "apakah" -> "apa -kah", "kubaca" -> "ku- baca" */
	KP_TOK_LOWER = 1 << 1,    /* lower case (ICU full case mapping) */
	KP_TOK_STEM = 1 << 2,     /* Snowball Indonesian stems of words (implies lower case) */
	KP_TOK_NO_PUNCT = 1 << 3, /* leave out tokens with no letter or digit */
};

typedef struct kp_tok_config kp_tok_config;

/* flags: KP_TOK_*.  NULL when out of memory. */
KP_API kp_tok_config *kp_tok_config_new(unsigned flags);
KP_API void kp_tok_config_free(kp_tok_config *c);

typedef struct kp_tok kp_tok;

/* A tokenizer using c (which must outlive it); NULL when out of memory or
 * when the stemmer cannot be made. */
KP_API kp_tok *kp_tok_new(const kp_tok_config *c);
KP_API void kp_tok_free(kp_tok *t);

/* Tokenize text (UTF-8).  The result is valid until the next call.
 * Returns the number of tokens, or KP_ENOMEM. */
KP_API KP_WUR long kp_tok_run(kp_tok *t, const char *text, size_t len);
KP_API const char *kp_tok_text(const kp_tok *t, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
