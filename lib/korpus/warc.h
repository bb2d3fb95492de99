/* korpus WARC/WET reader (ISO 28500, WARC/1.0 and 1.1), pulling records
 * from a kp_reader.  Gzip-compressed WARC (one member per record) is read
 * through the reader's transparent decompression.
 */
#ifndef KORPUS_WARC_H
#define KORPUS_WARC_H

#include "common.h"
#include "io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_warc kp_warc;

/* Bodies longer than max_body (0 = 64 MiB) are read past, not kept. */
KP_API kp_warc *kp_warc_new(size_t max_body);
KP_API void kp_warc_free(kp_warc *w);

/* The next record of r: 1, 0 at the end of input, < 0 on error
 * (KP_EFORMAT: not WARC or a truncated record; or the reader's error). */
KP_API KP_WUR int kp_warc_next(kp_warc *w, kp_reader *r);
/* A header of the last record, matched case-insensitively ("WARC-Type"),
 * or NULL; the value is borrowed until the next kp_warc_next(). */
KP_API const char *kp_warc_header(const kp_warc *w, const char *name, size_t *len);
/* The record's content block; *skipped is set to 1 when it exceeded
 * max_body and was dropped (then *len is 0). */
KP_API const char *kp_warc_body(const kp_warc *w, size_t *len, int *skipped);
/* Line where the last record starts (or the line an error is about). */
KP_API uint64_t kp_warc_line(const kp_warc *w);
KP_API const char *kp_warc_errmsg(const kp_warc *w);

/* Split an HTTP response message (a WARC "response" block) into the value
 * of its Content-Type header (empty if none) and its payload.  Returns 0,
 * or KP_EFORMAT when there is no header/body separator. */
KP_API KP_WUR int kp_http_split(const char *msg, size_t len, const char **ctype, size_t *ctlen,
				const char **payload, size_t *plen);

#ifdef __cplusplus
}
#endif
#endif
