/* korpus normalizer: rewrites a document's text into one canonical form so
 * that the same words are the same characters everywhere, and repairs the
 * damage of scraping (mojibake, HTML entities, invisible characters,
 * sentences glued at the period).
 *
 * A configuration (kp_norm_config) says which operations run and holds the
 * word lists; it is built once and shared read-only by any number of
 * normalizers (kp_norm), one per thread.
 *
 * Output is idempotent: normalizing normalized text changes nothing. */
#ifndef KORPUS_NORM_H
#define KORPUS_NORM_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operations, in the order they are applied.  Each counts its changes. */
enum kp_norm_op {
	KP_NORM_INVALID,    /* ill-formed UTF-8 -> U+FFFD (always on; count only) */
	KP_NORM_ENTITIES,   /* HTML character references decoded: &amp; &#8220; */
	KP_NORM_MOJIBAKE,   /* UTF-8 read as Windows-1252/Latin-1 repaired: â€œ -> “ */
	KP_NORM_CONTROLS,   /* C0/C1 controls, zero-width characters, BOM, soft hyphen removed */
	KP_NORM_SPACES,     /* no-break and other Unicode spaces -> ' ' */
	KP_NORM_PUNCT,      /* quotes, dashes, ellipsis, fullwidth forms -> ASCII */
	KP_NORM_FORM,       /* Unicode normalization form (NFC or NFKC) */
	KP_NORM_GLUED,      /* "lautan.Kemarin" -> "lautan. Kemarin" */
	KP_NORM_LOWER,      /* full case mapping to lower case */
	KP_NORM_INFORMAL,   /* informal words -> formal ("yg" -> "yang") */
	KP_NORM_SPELLING,   /* non-standard spelling -> standard ("resiko" -> "risiko") */
	KP_NORM_NUMBERS,    /* every decimal digit -> '0' */
	KP_NORM_WHITESPACE, /* CR LF -> LF, runs of blanks -> ' ', lines trimmed, at most one blank line */
	KP_NORM_NOPS
};

enum kp_norm_form { KP_NORM_NFC, KP_NORM_NFKC, KP_NORM_NONE };

typedef struct kp_norm_config kp_norm_config;

/* Defaults: NFC, entities, mojibake, controls, spaces, punct (ASCII),
 * glued and whitespace on; lower, informal, spelling and numbers off.
 * The built-in spelling and informal lists are loaded.  NULL when out of
 * memory (or when ICU's normalization data is missing). */
KP_API kp_norm_config *kp_norm_config_new(void);
KP_API void kp_norm_config_free(kp_norm_config *c);
/* Switch an operation on or off (KP_NORM_INVALID and KP_NORM_FORM are
 * ignored here; the form has its own setter). */
KP_API void kp_norm_config_set(kp_norm_config *c, int op, int on);
KP_API int kp_norm_config_enabled(const kp_norm_config *c, int op);
KP_API void kp_norm_config_set_form(kp_norm_config *c, enum kp_norm_form form);

/* Replace the word list of KP_NORM_SPELLING or KP_NORM_INFORMAL by the
 * text of a list file ("from<TAB>to" lines, '#' comments; name is used in
 * messages).  The lists are checked together: a word may be listed once,
 * and no replacement may contain a listed word (the result must not change
 * again).  Returns 0 or KP_EFORMAT with kp_norm_config_errmsg() saying
 * "spelling.txt:12: ...". */
KP_API KP_WUR int kp_norm_config_load_list(kp_norm_config *c, int op, const char *text, size_t len, const char *name);
KP_API const char *kp_norm_config_errmsg(const kp_norm_config *c);
/* The text of a built-in list (op KP_NORM_SPELLING or KP_NORM_INFORMAL). */
KP_API const char *kp_norm_builtin_list(int op, size_t *len);

/* The name of an operation ("mojibake", "glued", ...). */
KP_API const char *kp_norm_op_name(int op);

typedef struct kp_norm kp_norm;

/* A normalizer using c (which must outlive it); NULL when out of memory. */
KP_API kp_norm *kp_norm_new(const kp_norm_config *c);
KP_API void kp_norm_free(kp_norm *n);

/* Normalize text (UTF-8; ill-formed sequences are repaired).  *out points
 * at the result, which is text itself when nothing changed, else a buffer
 * valid until the next call.  Returns 1 when the text changed, 0 when not,
 * or KP_ENOMEM / KP_ETOOLONG (max_len of kp_norm_new_max exceeded). */
KP_API KP_WUR int kp_norm_run(kp_norm *n, const char *text, size_t len, const char **out, size_t *outlen);

/* Changes made so far by each operation, summed over documents. */
KP_API uint64_t kp_norm_count(const kp_norm *n, int op);

#ifdef __cplusplus
}
#endif
#endif
