/* Fuzz target of the JSONL document codec.  Checks: a line that parses
 * serializes back byte for byte (apart from the final newline and a
 * trailing CR or blanks); its serialization parses again to the same text;
 * setting the text to itself and to an edited text gives a line that parses
 * and holds that text; the other fields pass through unchanged. */
#include "fuzz_util.h"
#include "korpus/doc.h"
#include "korpus/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_doc *a, *b;
	if (!a && (!(a = kp_doc_new(1 << 20, 0)) || !(b = kp_doc_new(1 << 20, 0))))
		abort();
	const char *line = (const char *)data;
	if (memchr(line, '\n', size))
		return 0; /* one line: the reader splits lines before the codec */
	if (kp_doc_parse(a, line, size) < 0)
		return 0;
	const char *text, *out;
	size_t tl, ol;
	if (kp_doc_text(a, &text, &tl) < 0)
		return 0;
	if (kp_utf8_valid_prefix(text, tl) != tl)
		FUZZ_FAIL("decoded text is not valid UTF-8");
	char *t0 = malloc(tl + 1);
	memcpy(t0, text, tl);
	if (kp_doc_serialize(a, &out, &ol) < 0)
		FUZZ_FAIL("serialize failed");
	if (ol == 0 || out[ol - 1] != '\n')
		FUZZ_FAIL("serialized line does not end in a newline");
	/* unchanged: the same bytes (blanks and a CR around the object are not
	 * part of it) */
	size_t lead = 0, core = size;
	while (core && (line[core - 1] == ' ' || line[core - 1] == '\t' || line[core - 1] == '\r'))
		core--;
	while (lead < core && (line[lead] == ' ' || line[lead] == '\t' || line[lead] == '\r'))
		lead++;
	core -= lead;
	if (kp_doc_repairs(a) == 0 && (ol - 1 != core || memcmp(out, line + lead, core) != 0))
		FUZZ_FAIL("unchanged document did not round-trip byte for byte");
	if (kp_doc_parse(b, out, ol - 1) < 0)
		FUZZ_FAIL("serialized line does not parse: %s", kp_doc_errmsg(b));
	const char *t2;
	size_t t2l;
	if (kp_doc_text(b, &t2, &t2l) < 0 || t2l != tl || memcmp(t2, t0, tl) != 0)
		FUZZ_FAIL("text changed in the round trip");
	/* an edited text: the original with "x" appended */
	char *edited = malloc(tl + 2);
	memcpy(edited, t0, tl);
	edited[tl] = 'x';
	if (kp_doc_set_text(a, edited, tl + 1) == 0) {
		if (kp_doc_serialize(a, &out, &ol) < 0)
			FUZZ_FAIL("serialize after set_text failed");
		if (kp_doc_parse(b, out, ol - 1) < 0)
			FUZZ_FAIL("edited line does not parse: %s", kp_doc_errmsg(b));
		if (kp_doc_text(b, &t2, &t2l) < 0 || t2l != tl + 1 || memcmp(t2, edited, tl + 1) != 0)
			FUZZ_FAIL("edited text not kept");
		size_t n1 = kp_doc_nfields(a), n2 = kp_doc_nfields(b);
		if (n1 != n2)
			FUZZ_FAIL("field count changed: %zu -> %zu", n1, n2);
	}
	free(edited);
	free(t0);
	return 0;
}
