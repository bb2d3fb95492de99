/* Private: the rule pattern language of korpus-clean, compiled to a Pike
 * virtual machine, so that matching is linear in the text (no backtracking)
 * whatever the pattern.  Syntax (case-insensitive for ASCII letters):
 *
 *   text     literal; one space matches one or more spaces (also no-break)
 *   *        any text, as little as possible
 *   {sp}     optional spaces;  {space}  one or more spaces
 *   {w}      a word; {W} a capitalised word; {U} an upper-case word
 *   {n}      a number (1.250.000, 10.30, 26/1/2022)
 *   {dash}   one or more dashes (- – — ‐ −)
 *   {dom}    a domain (kompas.com, POS-KUPANG.COM)
 *   {url}    a URL (http://..., https://..., www....)
 *   {LIST}   a word of a named list (month, day) followed by a word end
 *   (a|b)    alternatives; X? optional; \x the character x
 *   <name:X> capture the text X matched as name
 */
#ifndef KORPUS_PATTERN_INT_H
#define KORPUS_PATTERN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ctype_int.h" /* kp_is_upper_cp, kp_is_lower_cp, kp_is_letter_cp: shared with the cleaner */

#define KP_PATTERN_MAXCAP 6

typedef struct kp_pattern kp_pattern;

/* Word lists for {LIST} classes: returns the words of a list name (lower
 * case) or NULL if the name is unknown. */
typedef const char *const *(*kp_pattern_lists)(void *ctx, const char *name, size_t *n);

enum kp_match_mode {
	KP_MATCH_FULL,  /* the whole text */
	KP_MATCH_START, /* a prefix of the text */
	KP_MATCH_END,   /* a suffix of the text (the leftmost one) */
	KP_MATCH_ANY,   /* anywhere (the leftmost match) */
};

typedef struct kp_pmatch {
	size_t beg, end;
	/* captures: cap[i][0] == SIZE_MAX when capture i did not take part */
	size_t cap[KP_PATTERN_MAXCAP][2];
} kp_pmatch;

/* Compile; on error returns NULL and writes a message into err. */
kp_pattern *kp_pattern_compile(const char *src, size_t len, kp_pattern_lists lists, void *ctx, char *err,
			       size_t errsz);
void kp_pattern_free(kp_pattern *p);

int kp_pattern_ncaps(const kp_pattern *p);
const char *kp_pattern_capname(const kp_pattern *p, int i);
/* The literal (lower case) every match starts with, for cheap
 * prefiltering; may be empty. */
const char *kp_pattern_prefix(const kp_pattern *p, size_t *len);

/* Whether a match can start with byte b (compare ASCII case-folded), and a
 * literal (lower case) that every match contains, possibly empty: cheap
 * tests that let most lines skip the VM. */
int kp_pattern_can_start(const kp_pattern *p, unsigned char b);
/* The same for the first two bytes (lower-cased ASCII); may let through
 * pairs that cannot start a match, never the reverse. */
int kp_pattern_can_start2(const kp_pattern *p, unsigned char b0, unsigned char b1);
const char *kp_pattern_required(const kp_pattern *p, size_t *len);
/* The most code points other than spaces a match can span (a space in a
 * pattern matches any run of spaces), or SIZE_MAX when unbounded. */
size_t kp_pattern_maxlen(const kp_pattern *p);
/* A literal (lower case) every match ends with, possibly empty. */
const char *kp_pattern_suffix(const kp_pattern *p, size_t *len);

/* Scratch space for matching, one per thread. */
typedef struct kp_pvm kp_pvm;
kp_pvm *kp_pvm_new(void);
void kp_pvm_free(kp_pvm *vm);

/* Whether p matches s[0..n) in mode (any), without positions or captures
 * (faster): 1, 0, or < 0 out of memory. */
int kp_pattern_test(const kp_pattern *p, const char *s, size_t n, int mode, kp_pvm *vm);

/* Match p against s[0..n) in mode; 1 and *m on a match, 0 if none, < 0
 * when out of memory. */
int kp_pattern_match(const kp_pattern *p, const char *s, size_t n, int mode, kp_pvm *vm, kp_pmatch *m);

/* Character classes of the pattern language, shared with the cleaner (upper,
 * lower and letter: ctype_int.h). */
int kp_is_space_cp(int32_t cp);
int kp_is_dash_cp(int32_t cp);

#endif
