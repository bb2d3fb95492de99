/* Fuzz target of the sentence splitter.  Sentences are spans of the text,
 * in order, without line ends or surrounding blanks, and together they
 * hold every non-space byte of the text: nothing lost, nothing invented. */
#include "fuzz_util.h"
#include "korpus/split.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_split_model *m;
	static kp_split *s;
	if (!m && (!(m = kp_split_model_new()) || !(s = kp_split_new(m))))
		abort();
	const char *text = (const char *)data;
	long n = kp_split_run(s, text, size);
	if (n < 0)
		return 0;
	char *all = malloc(size + 1), *got = malloc(size + 1);
	size_t an = fuzz_nonspace(text, size, all), gn = 0, end = 0;
	for (long i = 0; i < n; i++) {
		size_t off, len;
		int para;
		kp_split_sentence(s, (size_t)i, &off, &len, &para);
		if (off < end || off + len > size || len == 0)
			FUZZ_FAIL("sentence %ld at %zu+%zu after %zu of %zu", i, off, len, end, size);
		if (memchr(text + off, '\n', len))
			FUZZ_FAIL("sentence %ld holds a line end", i);
		if (text[off] == ' ' || text[off + len - 1] == ' ')
			FUZZ_FAIL("sentence %ld starts or ends with a blank", i);
		gn += fuzz_nonspace(text + off, len, got + gn);
		end = off + len;
	}
	if (gn != an || memcmp(all, got, an) != 0)
		FUZZ_FAIL("sentences hold %zu non-space bytes of %zu", gn, an);
	free(all);
	free(got);
	return 0;
}
