/* Unit tests of the line reader and the atomic writer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "korpus/korpus.h"
#include "test.h"

static char dir[] = "/tmp/korpus-test-io-XXXXXX";

static const char *path_of(const char *name)
{
	static char p[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

/* gzip-compress data as one member */
static size_t gzip_mem(const void *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream zs = {0};
	deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	size_t got = cap - zs.avail_out;
	deflateEnd(&zs);
	return got;
}

/* Read every line of a file and join them with '\n' into out. */
static int read_all(kp_reader *r, const char *name, char *out, size_t cap, size_t *outlen, int *nlines)
{
	int rc = kp_reader_open(r, path_of(name));
	if (rc < 0)
		return rc;
	size_t o = 0;
	*nlines = 0;
	const char *line;
	size_t len;
	while ((rc = kp_reader_getline(r, &line, &len)) == 1) {
		if (o + len + 1 > cap)
			return -100;
		memcpy(out + o, line, len);
		o += len;
		out[o++] = '\n';
		(*nlines)++;
	}
	*outlen = o;
	(void)kp_reader_close(r);
	return rc;
}

static void test_plain_and_gzip(void)
{
	kp_reader *r = kp_reader_new(0);
	char out[4096];
	size_t n;
	int lines;
	const char *text = "{\"text\":\"a\"}\r\n{\"text\":\"b\"}\n\nlast without newline";
	write_file("plain.jsonl", text, strlen(text));
	CHECK_INT(read_all(r, "plain.jsonl", out, sizeof out, &n, &lines), 0);
	CHECK_INT(lines, 4);
	CHECK_MEM(out, n, "{\"text\":\"a\"}\r\n{\"text\":\"b\"}\n\nlast without newline\n");
	CHECK_INT(kp_reader_is_gzip(r), 0);

	unsigned char gz[4096], gz2[8192];
	size_t g = gzip_mem(text, strlen(text), gz, sizeof gz);
	write_file("one.gz", gz, g);
	CHECK_INT(read_all(r, "one.gz", out, sizeof out, &n, &lines), 0);
	CHECK_INT(lines, 4);
	CHECK_INT(kp_reader_is_gzip(r), 1);
	CHECK_INT(kp_reader_bytes_in(r), g);

	/* multi-member, as `cat a.gz b.gz` and BGZF (with its empty EOF member) */
	memcpy(gz2, gz, g);
	size_t g2 = gzip_mem("\nsecond\n", 8, gz2 + g, sizeof gz2 - g);
	size_t g3 = gzip_mem("", 0, gz2 + g + g2, sizeof gz2 - g - g2);
	write_file("multi.gz", gz2, g + g2 + g3);
	CHECK_INT(read_all(r, "multi.gz", out, sizeof out, &n, &lines), 0);
	CHECK_MEM(out, n, "{\"text\":\"a\"}\r\n{\"text\":\"b\"}\n\nlast without newline\nsecond\n");

	/* truncated, corrupt, trailing garbage: errors, never a silent end */
	write_file("trunc.gz", gz, g - 5);
	CHECK_INT(read_all(r, "trunc.gz", out, sizeof out, &n, &lines), KP_EGZIP);
	CHECK(strstr(kp_reader_errmsg(r), "truncated") != NULL);
	write_file("cut.gz", gz, g / 2);
	CHECK_INT(read_all(r, "cut.gz", out, sizeof out, &n, &lines), KP_EGZIP);
	unsigned char bad[4096];
	memcpy(bad, gz, g);
	bad[g - 6] ^= 0x55; /* the CRC */
	write_file("crc.gz", bad, g);
	CHECK_INT(read_all(r, "crc.gz", out, sizeof out, &n, &lines), KP_EGZIP);
	CHECK(strstr(kp_reader_errmsg(r), "corrupt") != NULL);
	memcpy(bad, gz, g);
	memcpy(bad + g, "junk", 4);
	write_file("garbage.gz", bad, g + 4);
	CHECK_INT(read_all(r, "garbage.gz", out, sizeof out, &n, &lines), KP_EGZIP);
	CHECK(strstr(kp_reader_errmsg(r), "trailing garbage") != NULL);

	/* empty input; one byte of the magic alone is plain text */
	write_file("empty", "", 0);
	CHECK_INT(read_all(r, "empty", out, sizeof out, &n, &lines), 0);
	CHECK_INT(lines, 0);
	write_file("one", "\x1f", 1);
	CHECK_INT(read_all(r, "one", out, sizeof out, &n, &lines), 0);
	CHECK_INT(lines, 1);

	CHECK_INT(kp_reader_open(r, path_of("missing")), KP_EIO);
	CHECK(strstr(kp_reader_errmsg(r), "No such file") != NULL);
	CHECK_INT(kp_reader_open(r, dir), KP_EIO);
	CHECK(strstr(kp_reader_errmsg(r), "directory") != NULL);
	kp_reader_free(r);
}

/* Lines of random lengths around the window size come back intact. */
static void test_long_lines(void)
{
	size_t cap = (size_t)4 << 20;
	kp_reader *r = kp_reader_new(cap);
	uint64_t seed = 5;
	size_t total = 0, nl = 40;
	size_t *lens = malloc(nl * sizeof *lens);
	for (size_t i = 0; i < nl; i++) {
		lens[i] = i == 7 ? cap : test_rand(&seed) % (3u << 20);
		total += lens[i] + 1;
	}
	char *data = malloc(total);
	size_t o = 0;
	for (size_t i = 0; i < nl; i++) {
		memset(data + o, 'a' + (int)(i % 26), lens[i]);
		o += lens[i];
		data[o++] = '\n';
	}
	write_file("long.txt", data, total);
	CHECK_INT(kp_reader_open(r, path_of("long.txt")), 0);
	for (size_t i = 0; i < nl; i++) {
		const char *line;
		size_t len;
		int rc = kp_reader_getline(r, &line, &len);
		CHECK_INT(rc, 1);
		if (rc != 1)
			break;
		CHECK_INT(len, lens[i]);
		CHECK(len == 0 || (line[0] == 'a' + (int)(i % 26) && line[len - 1] == line[0]));
		CHECK_INT(kp_reader_lineno(r), i + 1);
	}

	/* over the cap: KP_ETOOLONG, then the reader resumes after that line */
	o = 0;
	memcpy(data, "first\n", 6);
	o = 6;
	memset(data + o, 'x', cap + 10);
	o += cap + 10;
	memcpy(data + o, "\nafter\n", 7);
	o += 7;
	write_file("toolong.txt", data, o);
	CHECK_INT(kp_reader_open(r, path_of("toolong.txt")), 0);
	const char *line;
	size_t len;
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_INT(kp_reader_getline(r, &line, &len), KP_ETOOLONG);
	CHECK_INT(kp_reader_lineno(r), 2);
	CHECK(strstr(kp_reader_errmsg(r), "--max-line") != NULL);
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_MEM(line, len, "after");
	CHECK_INT(kp_reader_lineno(r), 3);
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);

	/* an over-long last line without a newline */
	write_file("toolong2.txt", data + 6, cap + 10);
	CHECK_INT(kp_reader_open(r, path_of("toolong2.txt")), 0);
	CHECK_INT(kp_reader_getline(r, &line, &len), KP_ETOOLONG);
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	free(data);
	free(lens);
	kp_reader_free(r);
}

/* gzip through a pipe, one byte per write: the magic sniffing and the
 * inflater must cope with short reads. */
static void test_pipe_trickle(void)
{
	const char *text = "{\"text\":\"satu\"}\n{\"text\":\"dua\"}\n";
	unsigned char gz[256];
	size_t g = gzip_mem(text, strlen(text), gz, sizeof gz);
	int fd[2];
	CHECK_INT(pipe(fd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		for (size_t i = 0; i < g; i++) {
			if (write(fd[1], gz + i, 1) != 1)
				_exit(1);
			nanosleep(&(struct timespec){0, 100000}, NULL);
		}
		_exit(0);
	}
	close(fd[1]);
	kp_reader *r = kp_reader_new(0);
	CHECK_INT(kp_reader_open_fd(r, fd[0], "pipe"), 0);
	CHECK_INT(kp_reader_size(r), -1);
	const char *line;
	size_t len;
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_MEM(line, len, "{\"text\":\"satu\"}");
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_MEM(line, len, "{\"text\":\"dua\"}");
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	CHECK(kp_reader_is_gzip(r));
	kp_reader_free(r);
	close(fd[0]);
	waitpid(pid, NULL, 0);
}

static void test_read_bytes(void)
{
	kp_reader *r = kp_reader_new(0);
	unsigned char gz[256];
	size_t g = gzip_mem("Berita Belu\n\nWakil Bupati", 25, gz, sizeof gz);
	write_file("article.txt.gz", gz, g);
	CHECK_INT(kp_reader_open(r, path_of("article.txt.gz")), 0);
	char buf[64];
	size_t o = 0;
	long got;
	while ((got = kp_reader_read(r, buf + o, 7)) > 0)
		o += (size_t)got;
	CHECK_INT(got, 0);
	CHECK_MEM(buf, o, "Berita Belu\n\nWakil Bupati");
	kp_reader_free(r);
}

static void test_writer(void)
{
	char sub[300];
	snprintf(sub, sizeof sub, "%s/w", dir);
	mkdir(sub, 0777);
	char dest[320];
	snprintf(dest, sizeof dest, "%s/out.jsonl", sub);
	kp_writer *w = kp_writer_new();
	CHECK_INT(kp_writer_open(w, dest, KP_WRITE_AUTO, 0), 0);
	CHECK(kp_writer_tmppath(w) != NULL);
	CHECK_INT(kp_writer_write(w, "{\"text\":\"a\"}\n", 13), 0);
	CHECK_INT(kp_writer_flush(w), 0);
	struct stat st;
	CHECK(stat(dest, &st) != 0);                 /* not there before close */
	CHECK(stat(kp_writer_tmppath(w), &st) == 0); /* the temp file is */
	CHECK_INT(kp_writer_close(w), 0);
	CHECK(stat(dest, &st) == 0 && st.st_size == 13);
	CHECK(kp_writer_tmppath(w) == NULL);

	/* abort leaves the old destination as it was and no temp file */
	CHECK_INT(kp_writer_open(w, dest, 0, 0), 0);
	CHECK_INT(kp_writer_write(w, "partial", 7), 0);
	CHECK_INT(kp_writer_flush(w), 0);
	kp_writer_abort(w);
	CHECK(stat(dest, &st) == 0 && st.st_size == 13);
	DIR *dp = opendir(sub);
	int entries = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		entries += e->d_name[0] != '.' || strlen(e->d_name) > 2;
	closedir(dp);
	CHECK_INT(entries, 1);

	/* .gz output reads back through the reader, in chunks larger than the
	 * writer's buffer */
	char gzdest[320];
	snprintf(gzdest, sizeof gzdest, "%s/out.jsonl.gz", sub);
	CHECK_INT(kp_writer_open(w, gzdest, KP_WRITE_AUTO, 1), 0);
	size_t big = 600000;
	char *blob = malloc(big);
	for (size_t i = 0; i < big; i++)
		blob[i] = (i % 100 == 99) ? '\n' : (char)('a' + i % 26);
	CHECK_INT(kp_writer_write(w, blob, big), 0);
	CHECK_INT(kp_writer_write(w, blob, 10), 0);
	CHECK_INT(kp_writer_bytes(w), big + 10);
	CHECK_INT(kp_writer_close(w), 0);
	kp_reader *r = kp_reader_new(0);
	CHECK_INT(kp_reader_open(r, gzdest), 0);
	CHECK(kp_reader_is_gzip(r));
	char *back = malloc(big + 10);
	size_t o = 0;
	long got;
	while ((got = kp_reader_read(r, back + o, big + 10 - o)) > 0)
		o += (size_t)got;
	CHECK_INT(o, big + 10);
	CHECK(memcmp(back, blob, big) == 0 && memcmp(back + big, blob, 10) == 0);
	kp_reader_free(r);
	free(back);
	free(blob);

	/* /dev/full: the error surfaces at the latest on close */
	CHECK_INT(kp_writer_open(w, "/dev/full", 0, 0), 0);
	CHECK(kp_writer_tmppath(w) == NULL); /* devices are written directly */
	int rc = kp_writer_write(w, "x\n", 2);
	if (rc == 0)
		rc = kp_writer_close(w);
	CHECK_INT(rc, KP_EIO);
	CHECK(strstr(kp_writer_errmsg(w), "No space left") != NULL);

	/* a closed pipe is KP_EPIPE (with SIGPIPE ignored, as the tools do) */
	signal(SIGPIPE, SIG_IGN);
	int fd[2];
	CHECK_INT(pipe(fd), 0);
	close(fd[0]);
	CHECK_INT(kp_writer_open_fd(w, fd[1], "pipe", 0, 0), 0);
	rc = kp_writer_write(w, "x\n", 2);
	if (rc == 0)
		rc = kp_writer_close(w);
	CHECK_INT(rc, KP_EPIPE);
	close(fd[1]);

	/* a folder that does not exist */
	CHECK_INT(kp_writer_open(w, "/nonexistent-dir/x.jsonl", 0, 0), KP_EIO);
	CHECK(strstr(kp_writer_errmsg(w), "cannot create") != NULL);
	kp_writer_free(w);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_plain_and_gzip();
	test_long_lines();
	test_pipe_trickle();
	test_read_bytes();
	test_writer();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	TEST_MAIN_END();
}
