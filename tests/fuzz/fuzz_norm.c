/* Fuzz target of the normalizer: any bytes, any switches.  Checks that the
 * output is valid UTF-8, that a second run changes nothing (idempotence),
 * and that "changed" is reported exactly when the bytes differ.
 * The first two input bytes choose the operations and the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "korpus/norm.h"
#include "korpus/utf8.h"

static kp_norm_config *configs[16];
static kp_norm *norms[16];

static void setup(void)
{
	static const int optional[] = {KP_NORM_LOWER, KP_NORM_INFORMAL, KP_NORM_SPELLING, KP_NORM_NUMBERS};
	for (int k = 0; k < 16; k++) {
		configs[k] = kp_norm_config_new();
		if (!configs[k])
			abort();
		for (int b = 0; b < 4; b++)
			kp_norm_config_set(configs[k], optional[b], k >> b & 1);
		norms[k] = kp_norm_new(configs[k]);
		if (!norms[k])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!norms[0])
		setup();
	if (size < 2)
		return 0;
	int k = data[0] & 15;
	kp_norm_config *c = configs[k];
	/* default operations switched off by bits of the second byte */
	static const int defaults[] = {KP_NORM_ENTITIES, KP_NORM_MOJIBAKE, KP_NORM_CONTROLS, KP_NORM_SPACES,
				       KP_NORM_PUNCT, KP_NORM_GLUED, KP_NORM_WHITESPACE};
	for (int b = 0; b < 7; b++)
		kp_norm_config_set(c, defaults[b], !(data[1] >> b & 1));
	kp_norm_config_set_form(c, data[1] & 0x80 ? KP_NORM_NFKC : (data[0] & 0x10) ? KP_NORM_NONE : KP_NORM_NFC);
	const char *text = (const char *)data + 2, *out;
	size_t len = size - 2, ol;
	kp_norm *n = norms[k];
	int rc = kp_norm_run(n, text, len, &out, &ol);
	if (rc < 0)
		return 0;
	if (rc != (ol != len || memcmp(out, text, len) != 0)) {
		fprintf(stderr, "changed flag %d is wrong\n", rc);
		abort();
	}
	if (kp_utf8_valid_prefix(out, ol) != ol) {
		fprintf(stderr, "output is not valid UTF-8\n");
		abort();
	}
	char *once = malloc(ol + 1);
	memcpy(once, out, ol);
	const char *again;
	size_t al;
	rc = kp_norm_run(n, once, ol, &again, &al);
	if (rc != 0) {
		fprintf(stderr, "not idempotent: %zu bytes -> %zu bytes -> %zu bytes\n", len, ol, al);
		abort();
	}
	free(once);
	return 0;
}
