/* Unit tests of packed files: blocks readable as one gzip stream, the same
 * bytes for every thread count, strict BGZF limits, random access through
 * the index (documents spanning blocks, ids), and the checks that catch
 * truncated, corrupt and stale files. */
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

#include "korpus/pack.h"
#include "test.h"

struct mem {
	unsigned char *p;
	size_t len, cap;
};

static int mem_write(void *ctx, const void *p, size_t n)
{
	struct mem *m = ctx;
	if (m->len + n > m->cap) {
		m->cap = 2 * (m->len + n);
		m->p = realloc(m->p, m->cap);
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
	return 0;
}

/* n documents; document i has an id "d<i>" and a text of i % 97 * 40
 * pseudo-random words (some longer than a small block) */
static char *make_doc(int i, size_t *len)
{
	static char buf[65536];
	uint64_t s = (uint64_t)i * 7919;
	size_t n = (size_t)snprintf(buf, sizeof buf, "{\"id\":\"d%d\",\"text\":\"", i);
	for (int w = 0; w < i % 97 * 40; w++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "kata%u ", (unsigned)(test_rand(&s) % 3000));
	n += (size_t)snprintf(buf + n, sizeof buf - n, "akhir\"}");
	*len = n;
	return buf;
}

static struct mem pack(const kp_pack_params *p, int ndocs, struct mem *index, struct mem *plain)
{
	struct mem out = {0};
	kp_packer *k = kp_packer_new(p, mem_write, &out);
	CHECK(k != NULL);
	if (!k)
		return out;
	for (int i = 0; i < ndocs; i++) {
		size_t len;
		const char *d = make_doc(i, &len);
		char id[32];
		int il = snprintf(id, sizeof id, "d%d", i);
		CHECK_INT(kp_packer_add(k, d, len, id, (size_t)il), 0);
		if (plain) {
			mem_write(plain, d, len);
			mem_write(plain, "\n", 1);
		}
	}
	CHECK_INT(kp_packer_finish(k), 0);
	CHECK_INT(kp_packer_docs(k), ndocs);
	CHECK_INT(kp_packer_bytes_out(k), out.len);
	if (index)
		CHECK_INT(kp_packer_index(k, mem_write, index), 0);
	kp_packer_free(k);
	return out;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* The whole file through zlib's gzip reader (every member). */
static struct mem gunzip(const struct mem *gz)
{
	struct mem out = {0};
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 16 + 15) != Z_OK)
		abort();
	zs.next_in = gz->p;
	zs.avail_in = (uInt)gz->len;
	unsigned char buf[65536];
	for (;;) {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		int rc = inflate(&zs, Z_NO_FLUSH);
		mem_write(&out, buf, sizeof buf - zs.avail_out);
		if (rc == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			inflateReset(&zs);
			continue;
		}
		if (rc != Z_OK) {
			CHECK(!"inflate failed");
			break;
		}
	}
	inflateEnd(&zs);
	return out;
}

static void test_roundtrip(void)
{
	kp_pack_params p = {.block_size = 4096, .level = 6};
	struct mem plain = {0}, ix = {0};
	struct mem one = pack(&p, 300, &ix, &plain);
	struct mem back = gunzip(&one);
	CHECK(back.len == plain.len && !memcmp(back.p, plain.p, plain.len));
	/* the same bytes on 1, 2 and 4 threads */
	for (int t = 2; t <= 4; t += 2) {
		p.threads = t;
		struct mem ix2 = {0};
		struct mem m = pack(&p, 300, &ix2, NULL);
		CHECK(m.len == one.len && !memcmp(m.p, one.p, one.len));
		CHECK(ix2.len == ix.len && !memcmp(ix2.p, ix.p, ix.len));
		free(m.p);
		free(ix2.p);
	}
	/* the file ends with BGZF's EOF member */
	static const unsigned char eof[] = {0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 'B', 'C',
					    2,    0,    0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(one.len > sizeof eof && !memcmp(one.p + one.len - sizeof eof, eof, sizeof eof));
	CHECK(kp_pack_sniff(one.p, one.len));
	CHECK(!kp_pack_sniff("{\"text\":\"x\"}\n", 13));
	free(one.p);
	free(back.p);
	free(plain.p);
	free(ix.p);
}

/* Strict BGZF: every member within 64 KiB, even for random bytes. */
static void test_bgzf(void)
{
	kp_pack_params p = {.bgzf = 1, .threads = 2};
	struct mem out = {0};
	kp_packer *k = kp_packer_new(&p, mem_write, &out);
	uint64_t s = 5;
	static char line[200001];
	for (size_t i = 0; i < sizeof line - 1; i++) {
		char c = (char)(test_rand(&s) & 0xff);
		line[i] = c == '\n' ? ' ' : c;
	}
	CHECK_INT(kp_packer_add(k, line, sizeof line - 1, NULL, 0), 0);
	CHECK_INT(kp_packer_finish(k), 0);
	kp_packer_free(k);
	size_t off = 0, members = 0;
	while (off + 18 <= out.len) {
		CHECK(out.p[off + 12] == 'B' && out.p[off + 13] == 'C');
		size_t bsize = (size_t)(out.p[off + 16] | out.p[off + 17] << 8) + 1;
		CHECK(bsize <= 65536);
		off += bsize;
		members++;
	}
	CHECK_INT(off, out.len);
	CHECK_INT(members, 5); /* 4 blocks of <= 65280 bytes, then EOF */
	struct mem back = gunzip(&out);
	CHECK(back.len == sizeof line && !memcmp(back.p, line, sizeof line - 1));
	free(out.p);
	free(back.p);
	/* a block size beyond BGZF's is refused */
	p.block_size = 70000;
	CHECK(kp_packer_new(&p, mem_write, &out) == NULL);
}

static char dir[] = "/tmp/korpus-test-pack-XXXXXX";

static void test_random_access(void)
{
	kp_pack_params p = {.block_size = 2048, .threads = 3};
	struct mem ix = {0};
	struct mem gz = pack(&p, 250, &ix, NULL);
	char path[256], ipath[300];
	snprintf(path, sizeof path, "%s/a.jsonl.gz", dir);
	snprintf(ipath, sizeof ipath, "%s.kpi", path);
	write_file(path, gz.p, gz.len);
	write_file(ipath, ix.p, ix.len);
	kp_packfile *f = NULL;
	char *err = NULL;
	CHECK_INT(kp_packfile_open(&f, path, NULL, &err), 0);
	CHECK(err == NULL);
	if (!f)
		return;
	CHECK_INT(kp_packfile_docs(f), 250);
	CHECK(!kp_packfile_is_text(f));
	/* every document, in a scrambled order (blocks re-read, lines spanning blocks) */
	for (int j = 0; j < 250; j++) {
		int i = (j * 97) % 250;
		const char *line;
		size_t len, want;
		const char *d = make_doc(i, &want);
		CHECK_INT(kp_packfile_get(f, (uint64_t)i, &line, &len), 0);
		CHECK(len == want && !memcmp(line, d, len));
	}
	const char *line;
	size_t len;
	CHECK_INT(kp_packfile_get(f, 250, &line, &len), KP_ENOTFOUND);
	/* ids */
	uint64_t first, count;
	kp_packfile_find(f, "d123", 4, &first, &count);
	CHECK_INT(count, 1);
	CHECK_INT(kp_packfile_id_ordinal(f, first), 123);
	kp_packfile_find(f, "d999", 4, &first, &count);
	CHECK_INT(count, 0);
	uint64_t blocks = 0, bytes = 0;
	CHECK_INT(kp_pack_check(path, f, &blocks, &bytes, &err), 0);
	CHECK(blocks > 100);
	kp_packfile_close(f);

	/* a corrupt index is refused */
	ix.p[100] ^= 1;
	write_file(ipath, ix.p, ix.len);
	CHECK_INT(kp_packfile_open(&f, path, NULL, &err), KP_EFORMAT);
	CHECK(err && strstr(err, "corrupt"));
	free(err);
	ix.p[100] ^= 1;
	write_file(ipath, ix.p, ix.len);

	/* a changed file of the same size: the block read does not match */
	gz.p[gz.len / 2] ^= 0x55;
	write_file(path, gz.p, gz.len);
	CHECK_INT(kp_packfile_open(&f, path, NULL, &err), 0);
	int bad = 0;
	for (uint64_t i = 0; i < 250; i++)
		bad += kp_packfile_get(f, i, &line, &len) < 0;
	CHECK(bad > 0 && bad < 250);
	CHECK(kp_pack_check(path, f, NULL, NULL, &err) < 0);
	CHECK(err && strstr(err, "block at offset"));
	free(err);
	kp_packfile_close(f);
	gz.p[gz.len / 2] ^= 0x55;

	/* a longer file: stale by its size */
	write_file(path, gz.p, gz.len - 1);
	CHECK_INT(kp_packfile_open(&f, path, NULL, &err), KP_EFORMAT);
	CHECK(err && strstr(err, "stale"));
	free(err);

	/* truncated and cut at a block boundary (no index) */
	unlink(ipath);
	CHECK_INT(kp_packfile_open(&f, path, NULL, &err), KP_ENOTFOUND);
	free(err);
	CHECK(kp_pack_check(path, NULL, NULL, NULL, &err) < 0);
	CHECK(err && strstr(err, "truncated"));
	free(err);
	write_file(path, gz.p, gz.len - KP_PACK_EOF_SIZE);
	CHECK(kp_pack_check(path, NULL, NULL, NULL, &err) < 0);
	CHECK(err && strstr(err, "EOF block"));
	free(err);
	write_file(path, gz.p, gz.len);
	CHECK_INT(kp_pack_check(path, NULL, &blocks, &bytes, &err), 0);
	unlink(path);
	free(gz.p);
	free(ix.p);
}

/* Lines of text: ordinals, no ids. */
static void test_text(void)
{
	kp_pack_params p = {.block_size = 1024, .text = 1};
	struct mem out = {0}, ix = {0};
	kp_packer *k = kp_packer_new(&p, mem_write, &out);
	for (int i = 0; i < 1000; i++) {
		char l[64];
		int n = i % 10 ? snprintf(l, sizeof l, "kalimat nomor %d.", i) : 0;
		CHECK_INT(kp_packer_add(k, l, (size_t)n, NULL, 0), 0);
	}
	CHECK_INT(kp_packer_finish(k), 0);
	CHECK_INT(kp_packer_index(k, mem_write, &ix), 0);
	kp_packer_free(k);
	char path[256], ipath[300];
	snprintf(path, sizeof path, "%s/t.txt.gz", dir);
	snprintf(ipath, sizeof ipath, "%s.kpi", path);
	write_file(path, out.p, out.len);
	write_file(ipath, ix.p, ix.len);
	kp_packfile *f = NULL;
	CHECK_INT(kp_packfile_open(&f, path, NULL, NULL), 0);
	if (f) {
		CHECK(kp_packfile_is_text(f));
		const char *line;
		size_t len;
		CHECK_INT(kp_packfile_get(f, 777, &line, &len), 0);
		CHECK_MEM(line, len, "kalimat nomor 777.");
		CHECK_INT(kp_packfile_get(f, 770, &line, &len), 0);
		CHECK_INT(len, 0);
		CHECK_INT(kp_pack_check(path, f, NULL, NULL, NULL), 0);
		kp_packfile_close(f);
	}
	unlink(path);
	unlink(ipath);
	free(out.p);
	free(ix.p);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_roundtrip();
	test_bgzf();
	test_random_access();
	test_text();
	rmdir(dir);
	TEST_MAIN_END();
}
