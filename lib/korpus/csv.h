/* korpus CSV/TSV reader (RFC 4180), pulling records from a kp_reader.
 *
 * Fields are separated by the delimiter (',' or '\t'), records by LF or
 * CRLF.  A field that starts with '"' is quoted: it may hold delimiters,
 * newlines and doubled quotes ("").  A quote elsewhere in an unquoted field
 * is kept as a character.  A UTF-8 byte order mark at the start is skipped.
 * Errors name the line: an unterminated quoted field reports the line where
 * it opened.  Records are capped (KP_ETOOLONG) so a stray quote cannot
 * swallow the rest of a file into memory.
 */
#ifndef KORPUS_CSV_H
#define KORPUS_CSV_H

#include "common.h"
#include "io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_csv kp_csv;

/* delim: ',' or '\t'; max_record: cap on one record's bytes (0 = 64 MiB). */
KP_API kp_csv *kp_csv_new(char delim, size_t max_record);
KP_API void kp_csv_free(kp_csv *c);
/* Forget any state of a previous input (call after opening a new one). */
KP_API void kp_csv_reset(kp_csv *c);

/* The next record of r: 1 and the field count in *nfields, 0 at the end,
 * < 0 on error (KP_EFORMAT, KP_ETOOLONG, or the reader's error). */
KP_API KP_WUR int kp_csv_next(kp_csv *c, kp_reader *r, size_t *nfields);
/* Field i of the last record (borrowed until the next kp_csv_next()). */
KP_API const char *kp_csv_field(const kp_csv *c, size_t i, size_t *len);
/* Line number where the last record starts; after an error, the line the
 * error is about (for an unterminated quote, where the quote opened). */
KP_API uint64_t kp_csv_line(const kp_csv *c);
KP_API const char *kp_csv_errmsg(const kp_csv *c);

#ifdef __cplusplus
}
#endif
#endif
