/* Fuzz target of the cleaner.  Any bytes: no crash; from valid UTF-8 the
 * text stays valid UTF-8, and the cleaner only removes: the non-space
 * bytes it keeps are a subsequence of the input's, and so are those of
 * each span it says it removed. */
#include "fuzz_util.h"
#include "korpus/clean.h"
#include "korpus/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_clean_rules *rules;
	static kp_clean *c[2];
	if (!rules) {
		size_t n;
		const char *b = kp_clean_rules_builtin(&n);
		if (!(rules = kp_clean_rules_new()) || kp_clean_rules_add(rules, b, n, "builtin") < 0 ||
		    !(c[0] = kp_clean_new(rules, 0)) || !(c[1] = kp_clean_new(rules, KP_CLEAN_KEEP_DATELINE)))
			abort();
	}
	if (!size)
		return 0;
	kp_clean *cl = c[data[0] & 1];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (kp_clean_run(cl, text, len) < 0)
		return 0;
	size_t ol;
	const char *out = kp_clean_text(cl, &ol);
	int valid = kp_utf8_valid_prefix(text, len) == len;
	if (valid && kp_utf8_valid_prefix(out, ol) != ol)
		FUZZ_FAIL("output is not valid UTF-8");
	char *a = malloc(len + 1), *b = malloc(ol + 1);
	size_t an = fuzz_nonspace(text, len, a), bn = fuzz_nonspace(out, ol, b), k = 0;
	for (size_t i = 0; i < an && k < bn; i++)
		if (a[i] == b[k])
			k++;
	if (valid && k != bn)
		FUZZ_FAIL("the cleaner kept bytes that are not in the input, in order (%zu of %zu matched)", k, bn);
	/* every removed span is there (1 for each index below the count, 0
	 * past it), in a category of the rules, and is text of the input:
	 * not empty, valid UTF-8 from valid input, its non-space bytes in the
	 * input's order */
	size_t nrem = kp_clean_nremoved(cl);
	int ncat = kp_clean_ncategories(rules), cat = -1;
	const char *rt = NULL;
	size_t rl = 0;
	for (size_t i = 0; i < nrem; i++) {
		cat = -1;
		rt = NULL;
		rl = 0;
		if (kp_clean_removed(cl, i, &cat, &rt, &rl) != 1)
			FUZZ_FAIL("removed span %zu of %zu not returned", i, nrem);
		if (cat < 0 || cat >= ncat)
			FUZZ_FAIL("removed span %zu in category %d, not one of the %d", i, cat, ncat);
		if (!rt || rl == 0 || rl > len)
			FUZZ_FAIL("removed span %zu is %zu bytes of a %zu-byte text", i, rl, len);
		if (!valid)
			continue;
		if (kp_utf8_valid_prefix(rt, rl) != rl)
			FUZZ_FAIL("removed span %zu is not valid UTF-8", i);
		char *r = malloc(rl + 1);
		if (!r)
			abort();
		size_t rn = fuzz_nonspace(rt, rl, r);
		k = 0;
		for (size_t j = 0; j < an && k < rn; j++)
			if (a[j] == r[k])
				k++;
		if (k != rn)
			FUZZ_FAIL("removed span %zu is not text of the input (%zu of %zu bytes matched)", i, k, rn);
		free(r);
	}
	if (kp_clean_removed(cl, nrem, &cat, &rt, &rl) != 0)
		FUZZ_FAIL("a removed span past the last of %zu", nrem);
	free(a);
	free(b);
	return 0;
}
