/* Private UTF-8 helpers for the hot paths. */
#ifndef KORPUS_UTF8_INT_H
#define KORPUS_UTF8_INT_H

#include <stdint.h>
#include <string.h>

#define KP_UTF8_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

static inline uint64_t kp_load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
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
