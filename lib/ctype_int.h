/* Character classes of the library: one table for the code points below 256
 * (ASCII and Latin-1, lib/ctype.c), ICU's properties above (after git's
 * sane-ctype.h).  No locale, no <ctype.h>: the same answer everywhere.
 *
 * Two families:
 *   kp_ascii_is*(b)  a byte of UTF-8 text: only ASCII is ever in a class, so
 *                    a lead or continuation byte (>= 0x80) never is;
 *   kp_is_*_cp(c)    a code point: upper, lower and letter as Unicode says
 *                    (u_isupper, u_islower, u_isalpha), the table answering
 *                    below 256 without a call; a negative c is in no class. */
#ifndef KP_CTYPE_INT_H
#define KP_CTYPE_INT_H

#include <stdint.h>

#include <unicode/uchar.h>

enum {
	KP_CT_UPPER = 0x01,   /* A-Z */
	KP_CT_LOWER = 0x02,   /* a-z */
	KP_CT_DIGIT = 0x04,   /* 0-9 */
	KP_CT_SPACE = 0x08,   /* ' ' \t \n \v \f \r */
	KP_CT_L1UPPER = 0x10, /* Latin-1 upper case: U+00C0..U+00DE but U+00D7 */
	KP_CT_L1LOWER = 0x20, /* Latin-1 lower case: U+00B5, U+00DF..U+00FF but U+00F7 */
	KP_CT_L1OTHER = 0x40, /* Latin-1 letters of no case: U+00AA, U+00BA */
};

#define KP_CT_ALPHA (KP_CT_UPPER | KP_CT_LOWER)
#define KP_CT_ALNUM (KP_CT_ALPHA | KP_CT_DIGIT)

/* The classes of the code points 0..255; checked against ICU by
 * tests/unit/test_ctype.c. */
extern const unsigned char kp_ctype[256];

static inline int kp_ascii_isupper(unsigned char b) { return kp_ctype[b] & KP_CT_UPPER; }
static inline int kp_ascii_islower(unsigned char b) { return kp_ctype[b] & KP_CT_LOWER; }
static inline int kp_ascii_isalpha(unsigned char b) { return kp_ctype[b] & KP_CT_ALPHA; }
static inline int kp_ascii_isdigit(unsigned char b) { return kp_ctype[b] & KP_CT_DIGIT; }
static inline int kp_ascii_isalnum(unsigned char b) { return kp_ctype[b] & KP_CT_ALNUM; }
static inline int kp_ascii_isspace(unsigned char b) { return kp_ctype[b] & KP_CT_SPACE; }

/* 'A'-'Z' to 'a'-'z'; any other byte as it is. */
static inline unsigned char kp_ascii_tolower(unsigned char b)
{
	return (unsigned char)(kp_ascii_isupper(b) ? b | 0x20 : b);
}

static inline int kp_is_upper_cp(int32_t c)
{
	if ((uint32_t)c < 256)
		return (kp_ctype[c] & (KP_CT_UPPER | KP_CT_L1UPPER)) != 0;
	return c > 0 && u_isupper(c);
}

static inline int kp_is_lower_cp(int32_t c)
{
	if ((uint32_t)c < 256)
		return (kp_ctype[c] & (KP_CT_LOWER | KP_CT_L1LOWER)) != 0;
	return c > 0 && u_islower(c);
}

/* A letter of any case, or of none (U+00AA, CJK, Arabic, ...). */
static inline int kp_is_letter_cp(int32_t c)
{
	if ((uint32_t)c < 256)
		return (kp_ctype[c] & (KP_CT_ALPHA | KP_CT_L1UPPER | KP_CT_L1LOWER | KP_CT_L1OTHER)) != 0;
	return c > 0 && u_isalpha(c);
}

#endif
