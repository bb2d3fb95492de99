#include <string.h>

#include "json_int.h"
#include "korpus/doc.h"
#include "korpus/utf8.h"
#include "utf8_int.h"

static int hex4(const char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
		v = v << 4 | h;
	}
	return v;
}

size_t kp_json_unescape(char *dst, const char *src, size_t n, uint64_t *repairs)
{
	size_t i = 0, o = 0;
	while (i < n) {
		const char *bs = memchr(src + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - src) - i : n - i;
		memmove(dst + o, src + i, run); /* memmove: callers may decode in place */
		o += run;
		i += run;
		if (i >= n)
			break;
		char e = src[i + 1];
		i += 2;
		switch (e) {
		case 'b': dst[o++] = '\b'; break;
		case 'f': dst[o++] = '\f'; break;
		case 'n': dst[o++] = '\n'; break;
		case 'r': dst[o++] = '\r'; break;
		case 't': dst[o++] = '\t'; break;
		case 'u': {
			uint32_t cp = (uint32_t)hex4(src + i);
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && src[i] == '\\' && src[i + 1] == 'u') {
				uint32_t lo = (uint32_t)hex4(src + i + 2);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			size_t k = kp_utf8_encode(dst + o, cp);
			if (!k) { /* a lone surrogate */
				memcpy(dst + o, KP_UTF8_REPLACEMENT, 3);
				k = 3;
				if (repairs)
					(*repairs)++;
			}
			o += k;
			break;
		}
		default: /* '"', '\\', '/' */
			dst[o++] = e;
			break;
		}
	}
	return o;
}

size_t kp_json_quote_bound(size_t len)
{
	return 6 * len + 2;
}

/* Escapes for the control characters; 0 means \u00XX. */
static const char short_escape[32] = {
	['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
};


size_t kp_json_quote_len(const char *s, size_t len)
{
	size_t o = 2, i = 0;
	while (i < len) {
		while (i + 8 <= len && !kp_swar_json_special(kp_load64(s + i))) {
			i += 8;
			o += 8;
		}
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			int32_t cp;
			size_t k = kp_utf8_decode(s + i, len - i, &cp);
			o += cp < 0 ? 3 : k;
			i += k;
			continue;
		}
		o += c == '"' || c == '\\' ? 2 : c < 0x20 ? (short_escape[c] ? 2 : 6) : 1;
		i++;
	}
	return o;
}

size_t kp_json_quote(char *dst, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i = 0;
	dst[o++] = '"';
	while (i < len) {
		size_t j = i;
		while (j + 8 <= len && !kp_swar_json_special(kp_load64(s + j)))
			j += 8;
		while (j < len) {
			unsigned char c = (unsigned char)s[j];
			if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
				break;
			j++;
		}
		memcpy(dst + o, s + i, j - i);
		o += j - i;
		i = j;
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			int32_t cp;
			size_t k = kp_utf8_decode(s + i, len - i, &cp);
			if (cp < 0) {
				memcpy(dst + o, KP_UTF8_REPLACEMENT, 3);
				o += 3;
			} else {
				memcpy(dst + o, s + i, k);
				o += k;
			}
			i += k;
			continue;
		}
		dst[o++] = '\\';
		if (c == '"' || c == '\\') {
			dst[o++] = (char)c;
		} else if (short_escape[c]) {
			dst[o++] = short_escape[c];
		} else {
			dst[o++] = 'u';
			dst[o++] = '0';
			dst[o++] = '0';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
		i++;
	}
	dst[o++] = '"';
	return o;
}
