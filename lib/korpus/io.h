/* korpus I/O: a line reader over plain or gzip input, and an atomic writer.
 *
 * Reader: one handle reads one input at a time ("-" is stdin) and may be
 * reopened for the next input, keeping its buffers.  Compression is detected
 * from the content (gzip magic 1f 8b), never from the name; multi-member gzip
 * (BGZF, `cat a.gz b.gz`) is read to the end.  Truncated or corrupt gzip is an
 * error (KP_EGZIP), never a silent end of input.
 *
 * Writer: stdout or a file.  A file is written to a temporary file in the
 * same folder and renamed into place by kp_writer_close(); kp_writer_abort()
 * (or any failed close) removes the temporary file, so a destination is either
 * complete or untouched.  Every write and the final close are checked.  A
 * symbolic link is written through (the file it names is replaced, with its
 * permissions kept); devices, FIFOs, terminals and /dev/stdout, /dev/fd/N
 * are written directly.  Several outputs can be published together:
 * kp_writer_finish() each, then kp_writer_commit() each.
 */
#ifndef KORPUS_IO_H
#define KORPUS_IO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- reader ------------------------------------------------------------ */

typedef struct kp_reader kp_reader;

/* A reader with lines capped at max_line bytes (0 = KP_DEFAULT_MAX_LINE).
 * Returns NULL when out of memory. */
KP_API kp_reader *kp_reader_new(size_t max_line);
KP_API void kp_reader_free(kp_reader *r);

/* Open path for reading ("-" or NULL = standard input), closing any input
 * still open.  A folder is an error. */
KP_API KP_WUR int kp_reader_open(kp_reader *r, const char *path);

/* Read from an open descriptor; name is used in messages.  The reader does
 * not close fd. */
KP_API KP_WUR int kp_reader_open_fd(kp_reader *r, int fd, const char *name);

/* The next line without its '\n' (a final line without '\n' counts; a
 * UTF-8 byte order mark opening the first line is removed).
 * Returns 1 and sets *line, *len (borrowed: valid until the next call on r);
 * 0 at the end of input; < 0 on error.  A line longer than max_line yields
 * KP_ETOOLONG; the following call resumes after that line. */
KP_API KP_WUR int kp_reader_getline(kp_reader *r, const char **line, size_t *len);

/* Read up to n decompressed bytes; returns the count, 0 at end, < 0 on error.
 * Newlines read this way count in kp_reader_lineno(). */
KP_API KP_WUR long kp_reader_read(kp_reader *r, void *buf, size_t n);

/* Look at the next bytes without consuming them: fills up to want bytes
 * (fewer at the end of input) and sets *p, *n (borrowed until the next
 * call on r).  Returns 0 or < 0 on error. */
KP_API KP_WUR int kp_reader_peek(kp_reader *r, size_t want, const char **p, size_t *n);

/* Read only a part of the open input, a regular file that is not gzip (else
 * KP_EINVAL): kp_reader_getline() then returns the lines that start at a
 * byte offset in [start, end) of the file and ends after them.  The line
 * that starts before end is returned whole; end may lie past the end of the
 * file.  start must be 0, just after a '\n', or the file's size (else
 * KP_ENOTFOUND: no line starts there); start > end is KP_EINVAL.  Call it
 * after kp_reader_open() and any kp_reader_peek(): what they read is
 * dropped, and the file is read from start on (after a failure the input
 * reads as ended).  first_line is the number of the line at start, for
 * kp_reader_lineno(); 0 counts the newlines before start, reading the file
 * up to there.  A byte order mark is removed only from a line at offset 0.
 * In a range kp_reader_bytes_in() counts the bytes of the lines consumed
 * from start, so the parts of a file split at line starts add up to its
 * size; kp_reader_read() and kp_reader_peek() do not stop at end.  A range
 * lasts until the next open. */
KP_API KP_WUR int kp_reader_set_range(kp_reader *r, uint64_t start, uint64_t end, uint64_t first_line);

/* Close the current input (standard input is not closed).  Returns < 0 if
 * closing reported an error. */
KP_API int kp_reader_close(kp_reader *r);

/* Name for messages: the path, or "<stdin>". */
KP_API const char *kp_reader_name(const kp_reader *r);
/* Number of the line last returned (1-based; 0 before the first). */
KP_API uint64_t kp_reader_lineno(const kp_reader *r);
/* Bytes read from the underlying file so far (compressed bytes for gzip). */
KP_API uint64_t kp_reader_bytes_in(const kp_reader *r);
/* Size of the underlying file, or -1 when unknown (pipes). */
KP_API int64_t kp_reader_size(const kp_reader *r);
/* 1 if the current input is gzip-compressed. */
KP_API int kp_reader_is_gzip(const kp_reader *r);
/* 1 if the first line of the current input began with a UTF-8 byte order
 * mark, which kp_reader_getline() removed. */
KP_API int kp_reader_bom(const kp_reader *r);
/* Zero bytes that followed the last gzip member (padding, ignored as gzip
 * does; anything else there is an error). */
KP_API uint64_t kp_reader_zero_padding(const kp_reader *r);
/* Detail of the last error. */
KP_API const char *kp_reader_errmsg(const kp_reader *r);

/* ---- writer ------------------------------------------------------------ */

typedef struct kp_writer kp_writer;

enum {
	KP_WRITE_GZIP = 1 << 0, /* compress as gzip */
	KP_WRITE_AUTO = 1 << 1, /* gzip when the path ends in ".gz" */
};

KP_API kp_writer *kp_writer_new(void);
/* Frees the handle; an output still open is aborted (its temp file removed). */
KP_API void kp_writer_free(kp_writer *w);

/* Open path ("-" or NULL = standard output).  flags: KP_WRITE_*; level is the
 * gzip level 1-9 (0 = default 6). */
/* Threads that compress a gzip output (before kp_writer_open; <= 1: the
 * caller's).  The bytes written are the same for every number: blocks of
 * 1 MiB, each a gzip member of its own. */
KP_API void kp_writer_set_threads(kp_writer *w, int threads);
KP_API KP_WUR int kp_writer_open(kp_writer *w, const char *path, int flags, int level);
/* Write into an open descriptor that the writer does not own. */
KP_API KP_WUR int kp_writer_open_fd(kp_writer *w, int fd, const char *name, int flags, int level);

/* Append n bytes.  KP_EPIPE when the reading end of a pipe was closed. */
KP_API KP_WUR int kp_writer_write(kp_writer *w, const void *p, size_t n);
/* Push buffered bytes to the file descriptor (not a sync). */
KP_API KP_WUR int kp_writer_flush(kp_writer *w);
/* Flush, finish the gzip stream, close and rename the temp file into place
 * (kp_writer_finish + kp_writer_commit).  On failure the temporary file is
 * removed and the destination untouched. */
KP_API KP_WUR int kp_writer_close(kp_writer *w);
/* Flush, finish the gzip stream and close, keeping the temporary file
 * unpublished (kp_writer_abort() still removes it).  On failure the
 * temporary file is removed. */
KP_API KP_WUR int kp_writer_finish(kp_writer *w);
/* Rename a finished output's temporary file into place (nothing to do for
 * a stream).  On failure the temporary file is removed. */
KP_API KP_WUR int kp_writer_commit(kp_writer *w);
/* Discard the output: remove the temporary file.  Safe to call twice. */
KP_API void kp_writer_abort(kp_writer *w);

/* The tag of this process in the names of temporary files and folders,
 * "kpHHHHHHHH-PID" (HHHHHHHH: a hash of the host name), into buf; returns
 * its length. */
KP_API size_t kp_tmp_tag(char *buf, size_t n);
/* Is s[0..n) such a tag of a process of this host that no longer runs? */
KP_API int kp_tmp_tag_dead(const char *s, size_t n);
/* Remove from folder dir ("" = the current one) the temporary files of
 * kp_writer that processes of this host left when they died without
 * cleaning up (SIGKILL, a crash): names that record a process id no longer
 * running.  *removed counts them.  0, or KP_EIO when dir cannot be read. */
KP_API KP_WUR int kp_tmp_clean_stale(const char *dir, unsigned *removed);

/* Path of the temporary file while one is open, else NULL.  Exposed so that
 * a program's signal handler can unlink it (see tools/cli.c). */
KP_API const char *kp_writer_tmppath(const kp_writer *w);
KP_API const char *kp_writer_name(const kp_writer *w);
/* Uncompressed bytes accepted so far. */
KP_API uint64_t kp_writer_bytes(const kp_writer *w);
KP_API const char *kp_writer_errmsg(const kp_writer *w);

#ifdef __cplusplus
}
#endif
#endif
