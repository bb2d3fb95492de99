/* Fuzz target of the line reader (plain, gzip, multi-member gzip).  Any
 * bytes: lines come out or a clean error, never a crash or a hang; the
 * lines of a plain input are its bytes split at '\n' (a UTF-8 byte order
 * mark opening the input removed).  The same bytes gzip-compressed (one
 * member, and as two members, and followed by zero padding) read back
 * exactly. */
#include "fuzz_util.h"

#include <zlib.h>
#include "korpus/io.h"

static size_t gz(const uint8_t *p, size_t n, uint8_t *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (uint8_t *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	return len;
}

/* All the lines of fd, each followed by '\n', into *out (grown as needed:
 * a compressed input inflates); its length, or < 0 on a read error. */
static long read_all(kp_reader *r, int fd, char **out, size_t *cap)
{
	if (kp_reader_open_fd(r, fd, "fuzz") < 0)
		return -1;
	size_t o = 0;
	const char *line;
	size_t len;
	int rc;
	while ((rc = kp_reader_getline(r, &line, &len)) != 0) {
		if (rc < 0) {
			if (rc == KP_ETOOLONG)
				continue;
			kp_reader_close(r);
			return -1;
		}
		if (o + len + 1 > *cap) {
			*cap = 2 * (o + len + 1);
			*out = realloc(*out, *cap);
			if (!*out)
				abort();
		}
		memcpy(*out + o, line, len);
		o += len;
		(*out)[o++] = '\n';
	}
	kp_reader_close(r);
	return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kp_reader *r;
	if (!r && !(r = kp_reader_new(1 << 20)))
		abort();
	size_t cap = 2 * size + 64;
	char *out = malloc(cap);
	/* any bytes, as given */
	int fd = fuzz_memfd(data, size);
	long got = read_all(r, fd, &out, &cap);
	close(fd);
	int plain = size < 2 || data[0] != 0x1f || data[1] != 0x8b;
	/* what the lines hold: the input without a byte order mark opening it */
	int bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
	const uint8_t *text = data + 3 * bom;
	size_t tlen = size - 3 * (size_t)bom;
	if (plain && got >= 0) {
		/* the text, with a newline added after a last unterminated line */
		size_t want = tlen + (tlen && text[tlen - 1] != '\n');
		if ((size_t)got != want || memcmp(out, text, tlen) != 0)
			FUZZ_FAIL("plain input not read back as it is");
	}
	/* compressed: one member, then two (the input cut in half) */
	size_t zcap = size + size / 2 + 256;
	uint8_t *z1 = malloc(zcap + 64), *z2 = malloc(2 * zcap);
	size_t zl1 = gz(data, size, z1, zcap), half = size / 2;
	size_t zl2 = gz(data, half, z2, zcap);
	zl2 += gz(data + half, size - half, z2 + zl2, zcap);
	for (int k = 0; k < 3; k++) {
		/* k = 2: one member and zero padding (size % 61 zero bytes) */
		size_t pad = k == 2 ? size % 61 : 0;
		memset(z1 + zl1, 0, pad);
		fd = fuzz_memfd(k == 1 ? z2 : z1, k == 1 ? zl2 : zl1 + pad);
		got = read_all(r, fd, &out, &cap);
		close(fd);
		if (got < 0)
			continue; /* a line over the cap */
		size_t want = tlen + (tlen && text[tlen - 1] != '\n');
		if ((size_t)got != want || memcmp(out, text, tlen) != 0)
			FUZZ_FAIL("gzip input (%d member%s%s) not read back", k == 1 ? 2 : 1, k == 1 ? "s" : "",
				  k == 2 ? ", zero padding" : "");
		if (k == 2 && kp_reader_zero_padding(r) != pad)
			FUZZ_FAIL("zero padding of %zu bytes counted as %llu", pad,
				  (unsigned long long)kp_reader_zero_padding(r));
	}
	free(z1);
	free(z2);
	free(out);
	return 0;
}
