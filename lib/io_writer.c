/* Buffered, checked, atomic writer, plain or gzip.
 *
 * A regular destination file is written as a temporary file beside it
 * (same folder, so rename() is atomic) and renamed into place only when
 * everything was written and closed without error.  Devices and FIFOs
 * (`-o /dev/null`) are written directly: there is nothing to rename over. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "korpus/io.h"

#define WBUF ((size_t)256 << 10)

struct kp_writer {
	kp_err err;
	int fd;
	int own_fd;
	char *path; /* destination; NULL for stdout */
	char *tmp;  /* temporary file while open, else NULL */
	int gz;
	int zs_init;
	z_stream zs;
	char *buf; /* pending uncompressed bytes */
	size_t len;
	char *zbuf; /* compressed output staging */
	uint64_t bytes;
};

kp_writer *kp_writer_new(void)
{
	kp_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->fd = -1;
	w->buf = malloc(WBUF);
	if (!w->buf) {
		free(w);
		return NULL;
	}
	return w;
}

void kp_writer_free(kp_writer *w)
{
	if (!w)
		return;
	kp_writer_abort(w);
	if (w->zs_init)
		deflateEnd(&w->zs);
	free(w->zbuf);
	free(w->buf);
	free(w->path);
	free(w);
}

const char *kp_writer_tmppath(const kp_writer *w)
{
	return w->tmp;
}
const char *kp_writer_name(const kp_writer *w)
{
	return w->path ? w->path : "<stdout>";
}
uint64_t kp_writer_bytes(const kp_writer *w)
{
	return w->bytes;
}
const char *kp_writer_errmsg(const kp_writer *w)
{
	return w->err.msg;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int setup(kp_writer *w, int flags, int level)
{
	w->len = 0;
	w->bytes = 0;
	w->gz = (flags & KP_WRITE_GZIP) || ((flags & KP_WRITE_AUTO) && w->path && ends_with(w->path, ".gz"));
	if (!w->gz)
		return 0;
	if (level < 1 || level > 9)
		level = 6;
	if (!w->zbuf && !(w->zbuf = malloc(WBUF)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	if (w->zs_init) {
		deflateEnd(&w->zs);
		w->zs_init = 0;
	}
	memset(&w->zs, 0, sizeof w->zs);
	if (deflateInit2(&w->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return kp_err_set(&w->err, KP_ENOMEM, "cannot start the gzip encoder");
	w->zs_init = 1;
	return 0;
}

int kp_writer_open_fd(kp_writer *w, int fd, const char *name, int flags, int level)
{
	kp_writer_abort(w);
	kp_err_clear(&w->err);
	free(w->path);
	w->path = NULL;
	if (name && strcmp(name, "-") != 0 && !(w->path = strdup(name)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	w->fd = fd;
	w->own_fd = 0;
	return setup(w, flags, level);
}

/* Create the temporary file beside path: ".NAME.XXXXXX.tmp". */
static int open_tmp(kp_writer *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dirlen;
	size_t cap = strlen(path) + 32;
	char *tmp = malloc(cap);
	if (!tmp)
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 32) ^
			(uint64_t)(uintptr_t)w;
	for (int attempt = 0; attempt < 100; attempt++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		snprintf(tmp, cap, "%.*s.%s.%06llx.tmp", (int)dirlen, path, base,
			 (unsigned long long)((seed >> 40) & 0xffffff));
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			w->fd = fd;
			w->own_fd = 1;
			w->tmp = tmp;
			return 0;
		}
		if (errno != EEXIST) {
			int e = errno;
			free(tmp);
			return kp_err_errno(&w->err, KP_EIO, e, "cannot create '%s'", path);
		}
	}
	free(tmp);
	return kp_err_set(&w->err, KP_EIO, "cannot create a temporary file for '%s'", path);
}

int kp_writer_open(kp_writer *w, const char *path, int flags, int level)
{
	if (!path || strcmp(path, "-") == 0)
		return kp_writer_open_fd(w, STDOUT_FILENO, NULL, flags, level);
	kp_writer_abort(w);
	kp_err_clear(&w->err);
	free(w->path);
	if (!(w->path = strdup(path)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	struct stat st;
	int rc;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return kp_err_set(&w->err, KP_EIO, "cannot write '%s': Is a directory", path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return kp_err_errno(&w->err, KP_EIO, errno, "cannot open '%s'", path);
		w->fd = fd;
		w->own_fd = 1;
	} else if ((rc = open_tmp(w, path)) < 0) {
		return rc;
	}
	rc = setup(w, flags, level);
	if (rc < 0)
		kp_writer_abort(w);
	return rc;
}

static int write_all(kp_writer *w, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t got = write(w->fd, p, n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				return kp_err_set(&w->err, KP_EPIPE, "broken pipe");
			return kp_err_errno(&w->err, KP_EIO, errno, "cannot write '%s'", kp_writer_name(w));
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Compress w->buf with the given deflate flush mode, writing what comes out. */
static int deflate_pending(kp_writer *w, int mode)
{
	w->zs.next_in = (Bytef *)w->buf;
	w->zs.avail_in = (uInt)w->len;
	for (;;) {
		w->zs.next_out = (Bytef *)w->zbuf;
		w->zs.avail_out = (uInt)WBUF;
		int zrc = deflate(&w->zs, mode);
		if (zrc == Z_STREAM_ERROR)
			return kp_err_set(&w->err, KP_EIO, "gzip encoder failed");
		size_t produced = WBUF - w->zs.avail_out;
		int rc = write_all(w, w->zbuf, produced);
		if (rc < 0)
			return rc;
		if (mode == Z_FINISH ? zrc == Z_STREAM_END : (w->zs.avail_in == 0 && w->zs.avail_out != 0))
			break;
	}
	w->len = 0;
	return 0;
}

static int push(kp_writer *w)
{
	if (w->fd < 0)
		return kp_err_set(&w->err, KP_ESTATE, "no output open");
	if (w->gz)
		return deflate_pending(w, Z_NO_FLUSH);
	int rc = write_all(w, w->buf, w->len);
	w->len = 0;
	return rc;
}

int kp_writer_write(kp_writer *w, const void *p, size_t n)
{
	const char *s = p;
	w->bytes += n;
	while (n > 0) {
		if (w->len == WBUF) {
			int rc = push(w);
			if (rc < 0)
				return rc;
		}
		if (w->len == 0 && n >= WBUF && !w->gz) /* large plain writes skip the copy */
			return write_all(w, s, n);
		size_t k = WBUF - w->len < n ? WBUF - w->len : n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

int kp_writer_flush(kp_writer *w)
{
	return w->len ? push(w) : 0;
}

int kp_writer_close(kp_writer *w)
{
	if (w->fd < 0)
		return kp_err_set(&w->err, KP_ESTATE, "no output open");
	int rc = w->gz ? deflate_pending(w, Z_FINISH) : kp_writer_flush(w);
	if (rc >= 0 && w->own_fd) {
		int fd = w->fd;
		w->fd = -1;
		if (close(fd) != 0)
			rc = kp_err_errno(&w->err, KP_EIO, errno, "cannot write '%s'", kp_writer_name(w));
	}
	if (rc >= 0 && w->tmp) {
		if (rename(w->tmp, w->path) != 0)
			rc = kp_err_errno(&w->err, KP_EIO, errno, "cannot rename '%s' to '%s'", w->tmp, w->path);
		else {
			free(w->tmp);
			w->tmp = NULL;
		}
	}
	if (rc < 0) {
		kp_writer_abort(w);
		return rc;
	}
	w->fd = -1;
	return 0;
}

void kp_writer_abort(kp_writer *w)
{
	if (w->fd >= 0 && w->own_fd)
		close(w->fd);
	w->fd = -1;
	w->own_fd = 0;
	w->len = 0;
	if (w->tmp) {
		unlink(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
	}
}
