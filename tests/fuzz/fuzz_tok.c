/* Fuzz target of the tokenizer.  Without options the tokens hold exactly
 * the bytes of the text that are not white space, lines kept; with any
 * options, no crash and lines kept.  The first byte chooses the options. */
#include "fuzz_util.h"
#include <unicode/uchar.h>

#include "korpus/tok.h"
#include "korpus/utf8.h"

/* The bytes of s[0..n) that are not white space (Unicode White_Space, as
 * the tokenizer separates tokens at it) into out. */
static size_t nonspace(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		int32_t cp;
		size_t l = kp_utf8_decode(s + i, n - i, &cp);
		if (!(cp >= 0 && u_isUWhiteSpace(cp)))
			for (size_t j = 0; j < l; j++)
				out[k++] = s[i + j];
		i += l;
	}
	return k;
}

static size_t lines(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_tok_config *c[16];
	static kp_tok *t[16];
	if (!c[0])
		for (unsigned k = 0; k < 16; k++)
			if (!(c[k] = kp_tok_config_new(k)) || !(t[k] = kp_tok_new(c[k])))
				abort();
	if (!size)
		return 0;
	unsigned k = data[0] & 15;
	const char *text = (const char *)data + 1;
	size_t len = size - 1, ol;
	if (kp_tok_run(t[k], text, len) < 0)
		return 0;
	const char *out = kp_tok_text(t[k], &ol);
	if (lines(out, ol) != lines(text, len))
		FUZZ_FAIL("%zu lines became %zu", lines(text, len), lines(out, ol));
	if (k == 0) {
		char *a = malloc(len + 1), *b = malloc(ol + 1);
		size_t an = nonspace(text, len, a), bn = nonspace(out, ol, b);
		if (an != bn || memcmp(a, b, an) != 0)
			FUZZ_FAIL("tokens hold other bytes than the text");
		free(a);
		free(b);
	}
	return 0;
}
