/* Line reader over plain or gzip input.
 *
 * Decompressed bytes live in one window buf[beg, end).  A line is returned
 * as a pointer into the window when its '\n' is there; otherwise the partial
 * line is moved to the front and the window grows (up to the line cap) until
 * the '\n' arrives.  `scan` remembers how far the current line was searched,
 * so each byte is examined once: linear time however long the line.
 *
 * A range (kp_reader_set_range) only adds a stop: `at`, the offset of
 * buf[beg], is the offset of the next line, and no line starts at or after
 * `stop`.  Reads end at the stop, then go on in small steps for the rest of
 * the last line, so a part of a large file costs about its own size. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "korpus/io.h"

#define CHUNK ((size_t)1 << 20)  /* decompressed window step */
#define RAW_CHUNK ((size_t)256 << 10)
#define TAIL_CHUNK ((size_t)64 << 10) /* read step past a range's stop */

struct kp_reader {
	size_t max_line;
	kp_err err;
	int fd;
	int own_fd;
	char *name;
	int64_t size;
	uint64_t bytes_in, lineno;

	int gz;
	int zs_init;
	z_stream zs;
	unsigned char *raw;
	size_t raw_pos, raw_len;
	int raw_eof;
	int member_done; /* between gzip members */

	char *buf;
	size_t beg, end, scan, cap;
	int eof;      /* no more decompressed bytes */
	int skipping; /* discarding the rest of an over-long line */
	int bom;      /* the first line began with a UTF-8 byte order mark (removed) */
	uint64_t zero_pad; /* zero bytes after the last gzip member (ignored) */
	/* a range: the input's offset of buf[beg], where the range began, and
	 * the offset from which no line is read (UINT64_MAX: none) */
	uint64_t at, origin, stop;
	int ranged;
};

kp_reader *kp_reader_new(size_t max_line)
{
	kp_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->max_line = max_line ? max_line : KP_DEFAULT_MAX_LINE;
	r->fd = -1;
	r->raw = malloc(RAW_CHUNK);
	r->cap = CHUNK;
	r->buf = malloc(r->cap);
	if (!r->raw || !r->buf) {
		kp_reader_free(r);
		return NULL;
	}
	return r;
}

void kp_reader_free(kp_reader *r)
{
	if (!r)
		return;
	(void)kp_reader_close(r);
	if (r->zs_init)
		inflateEnd(&r->zs);
	free(r->raw);
	free(r->buf);
	free(r->name);
	free(r);
}

const char *kp_reader_name(const kp_reader *r)
{
	return r->name ? r->name : "<stdin>";
}
uint64_t kp_reader_lineno(const kp_reader *r)
{
	return r->lineno;
}
uint64_t kp_reader_bytes_in(const kp_reader *r)
{
	return r->ranged ? r->at - r->origin : r->bytes_in;
}
int64_t kp_reader_size(const kp_reader *r)
{
	return r->size;
}
int kp_reader_is_gzip(const kp_reader *r)
{
	return r->gz;
}
int kp_reader_bom(const kp_reader *r)
{
	return r->bom;
}
uint64_t kp_reader_zero_padding(const kp_reader *r)
{
	return r->zero_pad;
}
const char *kp_reader_errmsg(const kp_reader *r)
{
	return r->err.msg;
}

int kp_reader_close(kp_reader *r)
{
	int rc = 0;
	if (r->fd >= 0 && r->own_fd && close(r->fd) != 0)
		rc = kp_err_errno(&r->err, KP_EIO, errno, "cannot close '%s'", kp_reader_name(r));
	r->fd = -1;
	r->own_fd = 0;
	return rc;
}

/* read() that retries on EINTR; returns bytes, 0 at end, or -1 with errno. */
static long raw_read_errno(kp_reader *r, void *p, size_t n)
{
	for (;;) {
		ssize_t got = read(r->fd, p, n);
		if (got >= 0) {
			r->bytes_in += (uint64_t)got;
			return (long)got;
		}
		if (errno != EINTR)
			return -1;
	}
}

static long raw_read(kp_reader *r, void *p, size_t n)
{
	long got = raw_read_errno(r, p, n);
	return got >= 0 ? got : kp_err_errno(&r->err, KP_EIO, errno, "read error");
}

/* A regular file that gave a short read and has reached the size it had
 * when opened is at its end: skip the read() that would return 0 (one
 * system call per file matters when importing folders of small files). */
static int at_known_end(const kp_reader *r, long got, size_t asked)
{
	return r->size >= 0 && got >= 0 && (size_t)got < asked && r->bytes_in >= (uint64_t)r->size;
}

/* Refill the compressed buffer; returns bytes available, 0 at end, < 0. */
static long raw_fill(kp_reader *r)
{
	if (r->raw_pos < r->raw_len)
		return (long)(r->raw_len - r->raw_pos);
	if (r->raw_eof)
		return 0;
	r->raw_pos = r->raw_len = 0;
	long got = raw_read(r, r->raw, RAW_CHUNK);
	if (got <= 0) {
		if (got == 0)
			r->raw_eof = 1;
		return got;
	}
	r->raw_len = (size_t)got;
	return got;
}

static int start_gzip(kp_reader *r)
{
	int zrc = r->zs_init ? inflateReset2(&r->zs, 15 + 16) : inflateInit2(&r->zs, 15 + 16);
	if (zrc != Z_OK)
		return kp_err_set(&r->err, zrc == Z_MEM_ERROR ? KP_ENOMEM : KP_EGZIP, "cannot start gzip decoder");
	r->zs_init = 1;
	r->member_done = 0;
	return 0;
}

/* Compressed offset of the next unread byte, for messages. */
static uint64_t raw_offset(const kp_reader *r)
{
	return r->bytes_in - (r->raw_len - r->raw_pos);
}

/* Zeros after the last gzip member (tape blocks, some archivers pad files
 * so): read to the end and counted, as gzip -d does; anything else after
 * them is garbage.  Returns 0 (the end) or < 0. */
static long zero_padding(kp_reader *r)
{
	for (;;) {
		long avail = raw_fill(r);
		if (avail < 0)
			return avail;
		if (avail == 0)
			return 0;
		for (; r->raw_pos < r->raw_len; r->raw_pos++, r->zero_pad++)
			if (r->raw[r->raw_pos] != 0)
				return kp_err_set(&r->err, KP_EGZIP, "trailing garbage after gzip data at byte %llu",
						  (unsigned long long)raw_offset(r));
	}
}

/* Inflate into dst; returns bytes produced, 0 at the end of the last member. */
static long gz_fill(kp_reader *r, char *dst, size_t room)
{
	for (;;) {
		if (r->member_done) {
			/* Another member may follow (BGZF, concatenated files). */
			long avail = raw_fill(r);
			if (avail < 0)
				return avail;
			if (avail == 0)
				return 0;
			if (avail < 2 && !r->raw_eof) {
				/* need two bytes to see the magic: keep the first */
				memmove(r->raw, r->raw + r->raw_pos, 1);
				r->raw_len = 1;
				r->raw_pos = 0;
				long got = raw_read(r, r->raw + 1, RAW_CHUNK - 1);
				if (got < 0)
					return got;
				if (got == 0)
					r->raw_eof = 1;
				r->raw_len += (size_t)got;
				avail = (long)r->raw_len;
			}
			if (r->raw[r->raw_pos] == 0)
				return zero_padding(r);
			if (avail < 2 || r->raw[r->raw_pos] != 0x1f || r->raw[r->raw_pos + 1] != 0x8b)
				return kp_err_set(&r->err, KP_EGZIP, "trailing garbage after gzip data at byte %llu",
						  (unsigned long long)raw_offset(r));
			int rc = start_gzip(r);
			if (rc < 0)
				return rc;
		}
		long avail = raw_fill(r);
		if (avail < 0)
			return avail;
		r->zs.next_in = r->raw + r->raw_pos;
		r->zs.avail_in = (uInt)(r->raw_len - r->raw_pos);
		r->zs.next_out = (Bytef *)dst;
		r->zs.avail_out = (uInt)(room > UINT32_MAX ? UINT32_MAX : room);
		int zrc = inflate(&r->zs, Z_NO_FLUSH);
		size_t produced = (size_t)((char *)r->zs.next_out - dst);
		r->raw_pos = r->raw_len - r->zs.avail_in;
		if (zrc == Z_STREAM_END) {
			r->member_done = 1;
			if (produced)
				return (long)produced;
			continue;
		}
		if (zrc == Z_DATA_ERROR || zrc == Z_NEED_DICT)
			return kp_err_set(&r->err, KP_EGZIP, "corrupt gzip data near byte %llu (%s)",
					  (unsigned long long)raw_offset(r), r->zs.msg ? r->zs.msg : "bad data");
		if (zrc == Z_MEM_ERROR)
			return kp_err_set(&r->err, KP_ENOMEM, "out of memory in the gzip decoder");
		if (produced)
			return (long)produced;
		if (avail == 0)
			return kp_err_set(&r->err, KP_EGZIP, "unexpected end of gzip data (truncated file?)");
	}
}

/* Append decompressed bytes at buf[end]; returns bytes added, 0 at end. */
static long fill(kp_reader *r)
{
	if (r->eof)
		return 0;
	char *dst = r->buf + r->end;
	size_t room = r->cap - r->end;
	long got;
	if (r->gz) {
		got = gz_fill(r, dst, room);
	} else if (r->raw_pos >= r->raw_len && r->raw_eof) {
		got = 0;
	} else if (r->raw_pos < r->raw_len) { /* bytes read while sniffing */
		size_t n = r->raw_len - r->raw_pos;
		if (n > room)
			n = room;
		memcpy(dst, r->raw + r->raw_pos, n);
		r->raw_pos += n;
		got = (long)n;
	} else {
		if (r->ranged) /* bytes_in is the file offset: up to the stop, then the last line's tail */
			room = r->bytes_in < r->stop ? (r->stop - r->bytes_in < room ? (size_t)(r->stop - r->bytes_in) : room)
						     : (room < TAIL_CHUNK ? room : TAIL_CHUNK);
		got = raw_read(r, dst, room);
		if (got > 0 && at_known_end(r, got, room))
			r->raw_eof = 1;
	}
	if (got > 0)
		r->end += (size_t)got;
	else if (got == 0)
		r->eof = 1;
	return got;
}

int kp_reader_open_fd(kp_reader *r, int fd, const char *name)
{
	(void)kp_reader_close(r);
	kp_err_clear(&r->err);
	free(r->name);
	r->name = NULL;
	if (name && strcmp(name, "-") != 0 && !(r->name = strdup(name)))
		return kp_err_set(&r->err, KP_ENOMEM, "out of memory");
	r->fd = fd;
	r->own_fd = 0;
	r->size = -1;
	r->bytes_in = r->lineno = 0;
	r->gz = r->member_done = r->raw_eof = 0;
	r->raw_pos = r->raw_len = 0;
	r->beg = r->end = r->scan = 0;
	r->eof = r->skipping = r->bom = 0;
	r->zero_pad = 0;
	r->at = r->origin = 0;
	r->stop = UINT64_MAX;
	r->ranged = 0;

	struct stat st;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return kp_err_set(&r->err, KP_EIO, "cannot read '%s': Is a directory", kp_reader_name(r));
		if (S_ISREG(st.st_mode))
			r->size = (int64_t)st.st_size;
	}
	/* Sniff two bytes for the gzip magic (a pipe may deliver one at a time). */
	while (r->raw_len < 2) {
		long got = raw_read_errno(r, r->raw + r->raw_len, RAW_CHUNK - r->raw_len);
		if (got < 0)
			return kp_err_errno(&r->err, KP_EIO, errno, "cannot read '%s'", kp_reader_name(r));
		if (got == 0) {
			r->raw_eof = 1;
			break;
		}
		r->raw_len += (size_t)got;
		if (at_known_end(r, got, RAW_CHUNK - (r->raw_len - (size_t)got))) {
			r->raw_eof = 1;
			break;
		}
	}
	if (r->raw_len >= 2 && r->raw[0] == 0x1f && r->raw[1] == 0x8b) {
		r->gz = 1;
		return start_gzip(r);
	}
	return 0;
}

int kp_reader_open(kp_reader *r, const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return kp_reader_open_fd(r, STDIN_FILENO, NULL);
	(void)kp_reader_close(r);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kp_err_errno(&r->err, KP_EIO, errno, "cannot open '%s'", path);
		free(r->name);
		r->name = strdup(path);
		return KP_EIO;
	}
	int rc = kp_reader_open_fd(r, fd, path);
	r->own_fd = 1;
	if (rc < 0)
		(void)kp_reader_close(r);
	return rc;
}

/* Read [from, to) of the file into the window (pread: the file offset stays)
 * and count its newlines into *lines; *last is its last byte.  Returns 0,
 * or < 0 on a read error. */
static int scan_before(kp_reader *r, uint64_t from, uint64_t to, uint64_t *lines, char *last)
{
	while (from < to) {
		size_t want = to - from < r->cap ? (size_t)(to - from) : r->cap;
		ssize_t got = pread(r->fd, r->buf, want, (off_t)from);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return kp_err_errno(&r->err, KP_EIO, errno, "cannot read '%s'", kp_reader_name(r));
		if (got == 0) /* shorter than when it was opened */
			return kp_err_set(&r->err, KP_EIO, "'%s' changed while being read", kp_reader_name(r));
		for (const char *q = r->buf, *e = q + got; (q = memchr(q, '\n', (size_t)(e - q))); q++)
			++*lines;
		*last = r->buf[got - 1];
		from += (uint64_t)got;
	}
	return 0;
}

int kp_reader_set_range(kp_reader *r, uint64_t start, uint64_t end, uint64_t first_line)
{
	const char *name = kp_reader_name(r);
	if (r->fd < 0)
		return kp_err_set(&r->err, KP_ESTATE, "no input open");
	/* what open and peeking read from the file's start is dropped (the
	 * count below reuses the window); until the range is set, the input
	 * reads as ended */
	r->raw_pos = r->raw_len = 0;
	r->beg = r->end = r->scan = 0;
	r->skipping = r->bom = 0;
	r->raw_eof = r->eof = 1;
	if (r->size < 0 || r->gz)
		return kp_err_set(&r->err, KP_EINVAL, "'%s' is %s: a range is for a plain file", name,
				  r->gz ? "compressed (gzip)" : "not a regular file");
	if (start > end)
		return kp_err_set(&r->err, KP_EINVAL, "the range %llu:%llu ends before it starts",
				  (unsigned long long)start, (unsigned long long)end);
	if (start > (uint64_t)r->size)
		return kp_err_set(&r->err, KP_ENOTFOUND, "offset %llu of '%s' is past its end (%lld bytes)",
				  (unsigned long long)start, name, (long long)r->size);
	/* the byte before start, and with no first line given every one before it */
	uint64_t lines = 0;
	char last = '\n';
	int rc = scan_before(r, first_line ? start - (start > 0) : 0, start, &lines, &last);
	if (rc < 0)
		return rc;
	if (last != '\n' && start != (uint64_t)r->size)
		return kp_err_set(&r->err, KP_ENOTFOUND, "offset %llu of '%s' is not at a line start",
				  (unsigned long long)start, name);
	if (lseek(r->fd, (off_t)start, SEEK_SET) < 0)
		return kp_err_errno(&r->err, KP_EIO, errno, "cannot seek in '%s'", name);
	r->raw_eof = r->eof = 0;
	r->bytes_in = r->at = r->origin = start; /* bytes_in: the file offset, for at_known_end */
	r->stop = end;
	r->ranged = 1;
	r->lineno = first_line ? first_line - 1 : lines;
	return 0;
}

static int too_long(kp_reader *r)
{
	return kp_err_set(&r->err, KP_ETOOLONG, "line longer than the limit of %zu bytes (see --max-line)",
			  r->max_line);
}

/* Make room after end: drop consumed bytes, grow within the line cap. */
static int make_room(kp_reader *r)
{
	if (r->beg > 0) {
		memmove(r->buf, r->buf + r->beg, r->end - r->beg);
		r->end -= r->beg;
		r->scan -= r->beg;
		r->beg = 0;
	}
	if (r->end < r->cap)
		return 0;
	size_t limit = r->max_line + 1 + CHUNK; /* a full line, its '\n', one step */
	if (r->cap >= limit)
		return KP_ETOOLONG;
	size_t ncap = r->cap * 2 < limit ? r->cap * 2 : limit;
	char *p = realloc(r->buf, ncap);
	if (!p)
		return kp_err_set(&r->err, KP_ENOMEM, "out of memory reading a line of %zu bytes", r->end);
	r->buf = p;
	r->cap = ncap;
	return 0;
}

/* A UTF-8 byte order mark opening the input (its line at offset 0) is no
 * part of the first line. */
static void strip_bom(kp_reader *r, uint64_t off, const char **line, size_t *len)
{
	if (off == 0 && *len >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) {
		*line += 3;
		*len -= 3;
		r->bom = 1;
	}
}

/* The window's bytes before buf[to] are consumed. */
static void consume(kp_reader *r, size_t to)
{
	r->at += to - r->beg;
	r->beg = r->scan = to;
}

int kp_reader_getline(kp_reader *r, const char **line, size_t *len)
{
	if (r->fd < 0 && !r->eof && r->end == r->beg)
		return kp_err_set(&r->err, KP_ESTATE, "no input open");
	for (;;) {
		if (r->at >= r->stop && !r->skipping)
			return 0; /* the next line starts past the range */
		char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl) {
			size_t n = (size_t)(nl - (r->buf + r->beg));
			size_t b = r->beg;
			uint64_t off = r->at;
			consume(r, (size_t)(nl - r->buf) + 1);
			if (r->skipping) { /* the tail of an over-long line */
				r->skipping = 0;
				continue;
			}
			r->lineno++;
			if (n > r->max_line)
				return too_long(r);
			*line = r->buf + b;
			*len = n;
			strip_bom(r, off, line, len);
			return 1;
		}
		r->scan = r->end;
		if (r->skipping) {
			consume(r, r->end);
		} else if (r->end - r->beg > r->max_line) {
			r->lineno++;
			r->skipping = 1;
			consume(r, r->end);
			return too_long(r);
		}
		if (r->eof) {
			if (r->end == r->beg || r->skipping)
				return 0;
			uint64_t off = r->at;
			if (off == 0 && r->end - r->beg == 3 && memcmp(r->buf + r->beg, "\xEF\xBB\xBF", 3) == 0) {
				/* a byte order mark and nothing else: an empty input */
				r->bom = 1;
				consume(r, r->end);
				return 0;
			}
			/* a last line without '\n' */
			r->lineno++;
			*line = r->buf + r->beg;
			*len = r->end - r->beg;
			consume(r, r->end);
			strip_bom(r, off, line, len);
			return 1;
		}
		int rc = make_room(r);
		if (rc < 0)
			return rc;
		long got = fill(r);
		if (got < 0)
			return (int)got;
	}
}

long kp_reader_read(kp_reader *r, void *p, size_t n)
{
	if (r->end == r->beg) {
		if (r->eof)
			return 0;
		r->beg = r->end = r->scan = 0;
		long got = fill(r);
		if (got <= 0)
			return got;
	}
	size_t k = r->end - r->beg;
	if (k > n)
		k = n;
	memcpy(p, r->buf + r->beg, k);
	for (const char *q = r->buf + r->beg, *e = q + k; (q = memchr(q, '\n', (size_t)(e - q))); q++)
		r->lineno++;
	r->beg += k;
	r->at += k;
	if (r->scan < r->beg)
		r->scan = r->beg;
	return (long)k;
}

int kp_reader_peek(kp_reader *r, size_t want, const char **p, size_t *n)
{
	if (want > r->max_line)
		want = r->max_line;
	while (r->end - r->beg < want && !r->eof) {
		int rc = make_room(r);
		if (rc < 0)
			return rc == KP_ETOOLONG ? 0 : rc;
		long got = fill(r);
		if (got < 0)
			return (int)got;
	}
	*p = r->buf + r->beg;
	*n = r->end - r->beg < want ? r->end - r->beg : want;
	return 0;
}
