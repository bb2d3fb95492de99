/* Private UTF-8 helpers for the hot paths. */
#ifndef KORPUS_UTF8_INT_H
#define KORPUS_UTF8_INT_H

#include <stdint.h>
#include <string.h>

#define KP_UTF8_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Eight bytes, the first in the lowest byte of the word (on any machine). */
static inline uint64_t kp_load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* SWAR: eight bytes at a time in a 64-bit word.  Masks have the high bit
 * of each selected byte set, exactly (no false positives), so they can be
 * combined across shifted words and their lowest set bit found. */
#define KP_ONES 0x0101010101010101ull
#define KP_HIGH 0x8080808080808080ull
#define KP_LOW7 0x7F7F7F7F7F7F7F7Full

/* Bytes of x that are zero. */
static inline uint64_t kp_swar_zero(uint64_t x)
{
	uint64_t t = (x & KP_LOW7) + KP_LOW7;
	return ~(t | x | KP_LOW7);
}

/* Bytes of x equal to c. */
static inline uint64_t kp_swar_eq(uint64_t x, unsigned char c)
{
	return kp_swar_zero(x ^ (KP_ONES * c));
}

/* ASCII bytes of x below c (1 <= c <= 0x80). */
static inline uint64_t kp_swar_lt(uint64_t x, unsigned char c)
{
	return ~(((x & KP_LOW7) + KP_ONES * (0x80u - c)) | x) & KP_HIGH;
}

/* ASCII bytes of x in lo..hi (1 <= lo <= hi < 0x80). */
static inline uint64_t kp_swar_range(uint64_t x, unsigned char lo, unsigned char hi)
{
	uint64_t y = x & KP_LOW7;
	return ((y + KP_ONES * (0x80u - lo)) ^ (y + KP_ONES * (0x7Fu - hi))) & ~x & KP_HIGH;
}

/* Bytes of x below 0x20 (control characters). */
static inline uint64_t kp_swar_ctl(uint64_t x)
{
	return kp_swar_lt(x, 0x20);
}

/* Index of the first byte (lowest, see kp_load64) selected by mask m != 0. */
static inline unsigned kp_swar_first(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m) >> 3;
}

/* Does the word hold a byte a JSON string scanner or encoder must look at:
 * '"', '\\', a control character or non-ASCII?  (May report a word
 * without one after a control byte; callers then look byte by byte.) */
static inline int kp_swar_json_special(uint64_t x)
{
	uint64_t q = x ^ (KP_ONES * '"');
	uint64_t b = x ^ (KP_ONES * '\\');
	uint64_t t = ((q - KP_ONES) & ~q) | ((b - KP_ONES) & ~b) | (x - KP_ONES * 0x20) | x;
	return (t & KP_HIGH) != 0;
}

/* Index of the first non-ASCII byte of s[i..len), or len; eight bytes per
 * step, since scraped Indonesian text is overwhelmingly ASCII. */
static inline size_t kp_ascii_run(const char *s, size_t len, size_t i)
{
	while (i + 8 <= len && !(kp_load64(s + i) & 0x8080808080808080ull))
		i += 8;
	while (i < len && !((unsigned char)s[i] & 0x80))
		i++;
	return i;
}

#endif
