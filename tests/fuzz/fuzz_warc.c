/* Fuzz target of the WARC/WET reader and the HTTP splitter.  Any bytes:
 * records or a clean error with a line number; bodies within the input's
 * size; never a crash or a hang. */
#include "fuzz_util.h"
#include "korpus/io.h"
#include "korpus/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_reader *r;
	static kp_warc *w;
	if (!r && (!(r = kp_reader_new(1 << 20)) || !(w = kp_warc_new(1 << 20))))
		abort();
	int fd = fuzz_memfd(data, size);
	if (kp_reader_open_fd(r, fd, "fuzz") < 0)
		abort();
	int rc, records = 0;
	while ((rc = kp_warc_next(w, r)) > 0) {
		size_t bl, hl;
		int skipped;
		const char *body = kp_warc_body(w, &bl, &skipped);
		if (bl > size || (bl && !body))
			FUZZ_FAIL("body of %zu bytes from %zu bytes of input", bl, size);
		const char *h = kp_warc_header(w, "WARC-Type", &hl);
		if (h && hl > size)
			FUZZ_FAIL("header longer than the input");
		const char *ct, *payload;
		size_t ctl, pl;
		if (body && kp_http_split(body, bl, &ct, &ctl, &payload, &pl) >= 0 && pl > bl)
			FUZZ_FAIL("HTTP payload longer than its message");
		if (++records > (int)size + 1)
			FUZZ_FAIL("more records than bytes");
	}
	if (rc < 0 && !kp_warc_errmsg(w)[0])
		FUZZ_FAIL("an error without a message");
	kp_reader_close(r);
	close(fd);
	return 0;
}
