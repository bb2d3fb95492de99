/* korpus: common definitions shared by every public header.
 *
 * Error convention: every fallible call returns a value >= 0 on success or a
 * negative KP_E* code.  The handle the call was made on keeps a one-line
 * detail message (e.g. "invalid JSON at column 41: expected ',' or '}'"),
 * read with the module's *_errmsg() function.  kp_strerror() names a code.
 *
 * Thread-safety: the library keeps no process-wide state.  Handles may be
 * used from several threads as long as each handle is used by one thread at
 * a time.
 */
#ifndef KORPUS_COMMON_H
#define KORPUS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KORPUS_BUILDING) && defined(__GNUC__)
#define KP_API __attribute__((visibility("default")))
#else
#define KP_API
#endif

#if defined(__GNUC__)
#define KP_WUR __attribute__((warn_unused_result))
#define KP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KP_WUR
#define KP_PRINTF(f, a)
#endif

enum kp_error {
	KP_OK = 0,
	KP_ENOMEM = -1,   /* allocation failed */
	KP_EIO = -2,      /* read/write/open/close failed (errno in the message) */
	KP_EPIPE = -3,    /* the reader of our output went away */
	KP_EINVAL = -4,   /* bad argument from the caller */
	KP_ETOOLONG = -5, /* a line, document or buffer would exceed its cap */
	KP_EGZIP = -6,    /* corrupt or truncated compressed input */
	KP_EJSON = -7,    /* the line is not valid JSON (RFC 8259, UTF-8) */
	KP_EDOC = -8,     /* valid JSON, but not a document (not an object, no "text") */
	KP_EUTF8 = -9,    /* invalid UTF-8 where UTF-8 is required */
	KP_EFORMAT = -10, /* malformed input of another format (CSV, WARC, index, ...) */
	KP_ESTATE = -11,  /* call not valid in the handle's current state */
	KP_ENOTFOUND = -12, /* a requested item does not exist */
	KP_EINTR = -13,   /* interrupted by the caller (cancelled) */
};

/* A short English description of an error code ("invalid JSON"). Never NULL. */
KP_API const char *kp_strerror(int rc);

/* The library version, "MAJOR.MINOR.PATCH". */
KP_API const char *kp_version(void);

#define KP_DEFAULT_MAX_LINE ((size_t)64 << 20) /* 64 MiB */

#ifdef __cplusplus
}
#endif
#endif
