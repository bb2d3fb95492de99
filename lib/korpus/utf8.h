/* korpus UTF-8 helpers: strict validation, decoding and repair.
 *
 * "Valid" means well-formed UTF-8 as in Unicode 15 §3.9: no overlong forms,
 * no encoded surrogates (U+D800..U+DFFF), nothing above U+10FFFF.  Repair
 * replaces each maximal ill-formed subpart by U+FFFD, the practice Unicode
 * recommends and ICU, WHATWG and Python follow.  All functions are pure.
 */
#ifndef KORPUS_UTF8_H
#define KORPUS_UTF8_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Length of the longest well-formed prefix of s (len when all of s is valid). */
KP_API size_t kp_utf8_valid_prefix(const char *s, size_t len);

/* Decode the code point at s (len > 0).  Returns the bytes it takes (1-4) and
 * sets *cp; for an ill-formed sequence returns the length of its maximal
 * subpart (1-3) and sets *cp to -1. */
KP_API size_t kp_utf8_decode(const char *s, size_t len, int32_t *cp);

/* Encode cp (a scalar value) into dst (room for 4); returns 1-4, or 0 if cp
 * is a surrogate or out of range. */
KP_API size_t kp_utf8_encode(char *dst, uint32_t cp);

/* Copy s into dst (room for 3 * len bytes) replacing ill-formed subparts by
 * U+FFFD; returns the bytes written and adds the replacements to *count
 * (may be NULL). */
KP_API size_t kp_utf8_repair(char *dst, const char *s, size_t len, uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif
