/* Fuzz target of the glued-word repair: any bytes, camel or all.  Checks
 * that the output is the input with spaces added (nothing else changes),
 * that "changed" is reported exactly when a space was added, that each
 * record's "to" is its "from" with spaces, and that a second run changes
 * nothing.  The first input byte chooses the mode. */
#include <stdlib.h>
#include <string.h>

#include "korpus/unglue.h"

static kp_unglue_model *model;
static kp_unglue *handles[2];

static void setup(void)
{
	model = kp_unglue_model_new();
	if (!model || kp_unglue_model_set_dictionary(model, KP_UNGLUE_DICT_AFF, KP_UNGLUE_DICT_DIC) < 0)
		abort();
	handles[0] = kp_unglue_new(model, KP_UNGLUE_CAMEL);
	handles[1] = kp_unglue_new(model, KP_UNGLUE_ALL);
	if (!handles[0] || !handles[1])
		abort();
}

/* Is b the text a with spaces added? */
static int spaces_added(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0;
	for (size_t j = 0; j < bn; j++) {
		if (i < an && a[i] == b[j])
			i++;
		else if (b[j] != ' ')
			return 0;
	}
	return i == an;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model)
		setup();
	if (size < 1)
		return 0;
	kp_unglue *u = handles[data[0] & 1];
	const char *in = (const char *)data + 1, *out;
	size_t n = size - 1, on;
	int rc = kp_unglue_run(u, in, n, &out, &on);
	if (rc < 0)
		abort();
	if (!spaces_added(in, n, out, on) || (rc == 0) != (on == n && memcmp(in, out, n) == 0))
		abort();
	for (size_t i = 0; i < kp_unglue_nchanges(u); i++) {
		const char *f, *t;
		size_t fl, tl;
		int kind;
		double score;
		kp_unglue_change(u, i, &f, &fl, &t, &tl, &kind, &score);
		if (kind < 0 || kind >= KP_UNGLUE_NKINDS || tl <= fl || !spaces_added(f, fl, t, tl))
			abort();
	}
	char *copy = malloc(on ? on : 1);
	if (!copy)
		abort();
	memcpy(copy, out, on);
	const char *again;
	size_t an;
	if (kp_unglue_run(u, copy, on, &again, &an) < 0)
		abort();
	/* stable: a split's pieces are words, found again as words */
	if (an != on || memcmp(again, copy, on) != 0)
		abort();
	free(copy);
	return 0;
}
