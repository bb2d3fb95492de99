#include <string.h>

#include "korpus/utf8.h"
#include "internal.h"
#include "utf8_int.h"

size_t kp_utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	/* Allowed range of the second byte and the sequence length, by lead byte
	 * (Unicode Table 3-7). */
	unsigned lo = 0x80, hi = 0xBF, n;
	uint32_t v;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = -1;
		return 1;
	}
	size_t i = 1;
	for (; i < n; i++) {
		if (i >= len) {
			*cp = -1;
			return i;
		}
		unsigned b = p[i];
		if (b < lo || b > hi) {
			*cp = -1;
			return i;
		}
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3F);
	}
	*cp = (int32_t)v;
	return n;
}

size_t kp_utf8_encode(char *dst, uint32_t cp)
{
	unsigned char *d = (unsigned char *)dst;
	if (cp < 0x80) {
		d[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (unsigned char)(0xC0 | (cp >> 6));
		d[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		d[0] = (unsigned char)(0xE0 | (cp >> 12));
		d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		d[0] = (unsigned char)(0xF0 | (cp >> 18));
		d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		d[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t kp_utf8_valid_prefix(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		i = kp_ascii_run(s, len, i);
		if (i >= len)
			break;
		int32_t cp;
		size_t n = kp_utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			return i;
		i += n;
	}
	return len;
}

size_t kp_utf8_repair(char *dst, const char *s, size_t len, uint64_t *count)
{
	size_t i = 0, o = 0;
	while (i < len) {
		size_t j = kp_ascii_run(s, len, i);
		memcpy(dst + o, s + i, j - i);
		o += j - i;
		i = j;
		if (i >= len)
			break;
		int32_t cp;
		size_t n = kp_utf8_decode(s + i, len - i, &cp);
		if (cp < 0) {
			memcpy(dst + o, KP_UTF8_REPLACEMENT, 3);
			o += 3;
			if (count)
				(*count)++;
		} else {
			memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	return o;
}
