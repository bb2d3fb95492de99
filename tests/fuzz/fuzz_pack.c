/* Fuzz target of the pack -> read round trip.  The input's lines are packed
 * (block size, strict BGZF and threads chosen by the first byte); the file
 * inflates to the lines exactly, every line reads back by ordinal through
 * the index, and the check passes.  Then one byte of the file is changed:
 * reading and checking report it or read correct lines, never crash. */
#include "fuzz_util.h"

#include <zlib.h>
#include "korpus/pack.h"

struct mem {
	uint8_t *p;
	size_t len, cap;
};

static int mem_write(void *ctx, const void *p, size_t n)
{
	struct mem *m = ctx;
	if (!n)
		return 0;
	if (m->len + n > m->cap) {
		m->cap = 2 * (m->len + n) + 1024;
		m->p = realloc(m->p, m->cap);
		if (!m->p)
			abort();
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
	return 0;
}

static void put_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64], ipath[80];
	if (!path[0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(path, sizeof path, "%s/korpus-fuzz-pack-%d.gz", dir, (int)getpid());
		snprintf(ipath, sizeof ipath, "%s.kpi", path);
	}
	if (size < 2)
		return 0;
	kp_pack_params p = {0};
	p.bgzf = data[0] & 1;
	p.threads = data[0] & 2 ? 2 : 1;
	p.text = 1;
	p.block_size = 1024 + (size_t)(data[0] >> 2) * 97;
	p.level = 1 + data[1] % 9;
	const char *text = (const char *)data + 2;
	size_t len = size - 2;
	struct mem out = {0}, ix = {0}, plain = {0};
	kp_packer *k = kp_packer_new(&p, mem_write, &out);
	if (!k)
		abort();
	size_t nlines = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		if (kp_packer_add(k, text + i, e - i, NULL, 0) < 0)
			abort();
		mem_write(&plain, text + i, e - i);
		mem_write(&plain, "\n", 1);
		nlines++;
		i = e + 1;
	}
	if (kp_packer_finish(k) < 0 || kp_packer_index(k, mem_write, &ix) < 0)
		abort();
	kp_packer_free(k);
	/* zlib reads it as one gzip stream */
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + 15) != Z_OK)
		abort();
	uint8_t *back = malloc(plain.len + 1);
	z.next_in = out.p;
	z.avail_in = (uInt)out.len;
	z.next_out = back;
	z.avail_out = (uInt)plain.len + 1;
	for (;;) {
		int zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END && z.avail_in) {
			inflateReset(&z);
			continue;
		}
		if (zr != Z_OK || z.avail_in == 0)
			break;
	}
	if (plain.len + 1 - z.avail_out != plain.len || (plain.len && memcmp(back, plain.p, plain.len) != 0))
		FUZZ_FAIL("the packed file does not inflate to the input");
	inflateEnd(&z);
	put_file(path, out.p, out.len);
	put_file(ipath, ix.p, ix.len);
	kp_packfile *f = NULL;
	if (kp_packfile_open(&f, path, NULL, NULL) < 0 || kp_packfile_docs(f) != nlines)
		FUZZ_FAIL("the index does not open or count %zu lines", nlines);
	const char *line;
	size_t ll, pos = 0, *start = malloc((nlines + 1) * sizeof *start);
	for (size_t o = 0; o < nlines; o++) {
		start[o] = pos;
		if (kp_packfile_get(f, o, &line, &ll) < 0)
			FUZZ_FAIL("line %zu: %s", o, kp_packfile_errmsg(f));
		if (pos + ll + 1 > plain.len || memcmp(line, plain.p + pos, ll) != 0 || plain.p[pos + ll] != '\n')
			FUZZ_FAIL("line %zu read back wrong", o);
		pos += ll + 1;
	}
	char *err = NULL;
	if (kp_pack_check(path, f, NULL, NULL, &err) < 0)
		FUZZ_FAIL("check: %s", err ? err : "?");
	kp_packfile_close(f);
	/* one byte changed */
	size_t at = (size_t)data[1] * 131 % out.len;
	out.p[at] ^= (uint8_t)(data[0] | 1);
	put_file(path, out.p, out.len);
	if (kp_packfile_open(&f, path, NULL, NULL) == 0) {
		for (size_t o = 0; o < nlines; o++) {
			if (kp_packfile_get(f, o, &line, &ll) < 0)
				continue;
			/* a line read is the input's line: blocks are checked by CRC */
			if (start[o] + ll + 1 > plain.len || memcmp(line, plain.p + start[o], ll) != 0)
				FUZZ_FAIL("a changed file gave a wrong line %zu", o);
		}
		free(err);
		err = NULL;
		/* either verdict may be right (a member's MTIME, XFL and OS bytes
		 * are not covered by its CRC): it must come without a crash */
		int verdict = kp_pack_check(path, f, NULL, NULL, &err);
		(void)verdict;
		kp_packfile_close(f);
	}
	free(err);
	free(start);
	unlink(path);
	unlink(ipath);
	free(back);
	free(out.p);
	free(ix.p);
	free(plain.p);
	return 0;
}
