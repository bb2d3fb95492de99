/* korpus document codec: one JSON Lines document, parsed in place.
 *
 * A document is a JSON object with a string "text" and, by convention
 * (dolma), "id", "source", "added", "created" and an object "metadata".
 * kp_doc_parse() validates the whole line (RFC 8259 grammar, strict UTF-8:
 * no overlong forms, no encoded surrogates, nothing above U+10FFFF) and
 * records where each top-level member and each member of "metadata" lies in
 * the line, without copying.  Only what a caller asks for is decoded.
 *
 * Edits (new text, fields set at the top level or inside "metadata") are
 * recorded and applied by kp_doc_serialize(), which copies every byte of the
 * line it was not asked to change verbatim: key order, whitespace, number
 * spelling and escapes of other fields survive byte for byte.
 *
 * Borrowing: the line given to kp_doc_parse() and the text given to
 * kp_doc_set_text() must stay valid until kp_doc_serialize() or the next
 * kp_doc_parse()/kp_doc_clear().  Pointers returned by the getters are valid
 * until the next parse/clear on the same handle.
 */
#ifndef KORPUS_DOC_H
#define KORPUS_DOC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_doc kp_doc;

enum {
	/* Replace invalid UTF-8 in the line by U+FFFD (counted by
	 * kp_doc_repairs()) instead of failing with KP_EUTF8. */
	KP_DOC_REPAIR_UTF8 = 1 << 0,
	/* Accept objects without a string "text" (kp_doc_text() then fails). */
	KP_DOC_TEXT_OPTIONAL = 1 << 1,
};

/* A codec for lines of up to max_line bytes (0 = KP_DEFAULT_MAX_LINE);
 * flags are KP_DOC_*.  NULL when out of memory. */
KP_API kp_doc *kp_doc_new(size_t max_line, unsigned flags);
KP_API void kp_doc_free(kp_doc *d);

/* Parse and validate one line (without its '\n'; a trailing '\r' is
 * whitespace).  Returns 0, or KP_EJSON (not JSON), KP_EUTF8 (invalid UTF-8),
 * KP_EDOC (not an object, "text" missing or not a string, "text" or
 * "metadata" given twice), KP_ETOOLONG, KP_ENOMEM.  The message names the
 * column (1-based byte offset) of the problem. */
KP_API KP_WUR int kp_doc_parse(kp_doc *d, const char *line, size_t len);

/* Start an empty document "{}" to be filled with the setters (importers). */
KP_API void kp_doc_clear(kp_doc *d);

/* The decoded "text" (UTF-8, may contain NUL).  Lone surrogate escapes
 * ("\ud800") decode to U+FFFD and are counted in kp_doc_repairs(). */
KP_API KP_WUR int kp_doc_text(kp_doc *d, const char **text, size_t *len);

/* The "id" as a string (decoded if a string, the raw spelling if a number),
 * or NULL when absent or of another type.  *len may be NULL. */
KP_API const char *kp_doc_id(kp_doc *d, size_t *len);

/* Raw JSON of a top-level member / a member of "metadata": 1 and the span
 * when present, 0 when not.  With duplicate keys the last one wins, as in
 * most JSON readers. */
KP_API int kp_doc_get_raw(kp_doc *d, const char *key, const char **json, size_t *len);
KP_API int kp_doc_meta_get_raw(kp_doc *d, const char *key, const char **json, size_t *len);
/* Decoded string value: 1 when present and a string, 0 otherwise, < 0 on error. */
KP_API KP_WUR int kp_doc_get_str(kp_doc *d, const char *key, const char **s, size_t *len);
KP_API KP_WUR int kp_doc_meta_get_str(kp_doc *d, const char *key, const char **s, size_t *len);

/* Top-level members in line order: the raw key (without quotes, escapes
 * not decoded) and the raw JSON value.  Returns 1 for i < count, else 0. */
KP_API size_t kp_doc_nfields(const kp_doc *d);
KP_API int kp_doc_field(const kp_doc *d, size_t i, const char **key, size_t *keylen,
			const char **json, size_t *len);
/* The same for the members of an object "metadata" (0 members otherwise). */
KP_API size_t kp_doc_meta_nfields(const kp_doc *d);
KP_API int kp_doc_meta_field(const kp_doc *d, size_t i, const char **key, size_t *keylen,
			     const char **json, size_t *len);

/* Replace "text" (valid UTF-8 expected; invalid sequences are written as
 * U+FFFD so the output is always valid JSON).  The bytes are borrowed. */
KP_API KP_WUR int kp_doc_set_text(kp_doc *d, const char *text, size_t len);

/* Set a top-level member (replacing it in place when present, else appending
 * it).  _raw takes a valid JSON value, which is copied. */
KP_API KP_WUR int kp_doc_set_raw(kp_doc *d, const char *key, const char *json, size_t len);
KP_API KP_WUR int kp_doc_set_str(kp_doc *d, const char *key, const char *s, size_t len);

/* Set a member of "metadata", creating the object when absent (a null
 * "metadata" is replaced; any other non-object is KP_EDOC). */
KP_API KP_WUR int kp_doc_meta_set_raw(kp_doc *d, const char *key, const char *json, size_t len);
KP_API KP_WUR int kp_doc_meta_set_str(kp_doc *d, const char *key, const char *s, size_t len);
KP_API KP_WUR int kp_doc_meta_set_int(kp_doc *d, const char *key, int64_t v);
KP_API KP_WUR int kp_doc_meta_set_bool(kp_doc *d, const char *key, int v);

/* The document as one line ending in '\n', with all edits applied.
 * *out is valid until the next call on d. */
KP_API KP_WUR int kp_doc_serialize(kp_doc *d, const char **out, size_t *len);

/* Repairs made while parsing/decoding this document: invalid UTF-8
 * sequences replaced (KP_DOC_REPAIR_UTF8) and lone surrogates in "text". */
KP_API uint64_t kp_doc_repairs(const kp_doc *d);
KP_API const char *kp_doc_errmsg(const kp_doc *d);

/* ---- JSON string helpers ------------------------------------------------ */

/* Upper bound of kp_json_quote()'s output for len input bytes. */
KP_API size_t kp_json_quote_bound(size_t len);
/* The exact length of kp_json_quote()'s output (one pass over s): what a
 * large string needs, where the bound would reserve six times its size. */
KP_API size_t kp_json_quote_len(const char *s, size_t len);
/* Write s as a quoted JSON string into dst (room: kp_json_quote_bound(len));
 * returns the bytes written.  Invalid UTF-8 is written as U+FFFD. */
KP_API size_t kp_json_quote(char *dst, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
