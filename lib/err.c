#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *kp_strerror(int rc)
{
	switch (rc) {
	case KP_OK: return "success";
	case KP_ENOMEM: return "out of memory";
	case KP_EIO: return "input/output error";
	case KP_EPIPE: return "broken pipe";
	case KP_EINVAL: return "invalid argument";
	case KP_ETOOLONG: return "too long";
	case KP_EGZIP: return "corrupt or truncated gzip data";
	case KP_EJSON: return "invalid JSON";
	case KP_EDOC: return "not a document";
	case KP_EUTF8: return "invalid UTF-8";
	case KP_EFORMAT: return "malformed input";
	case KP_ESTATE: return "invalid state";
	case KP_ENOTFOUND: return "not found";
	case KP_EINTR: return "interrupted";
	}
	return "unknown error";
}

const char *kp_version(void)
{
	return KORPUS_VERSION;
}

int kp_err_set(kp_err *e, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return rc;
}

int kp_err_errno(kp_err *e, int rc, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof e->msg) {
		char tmp[128];
		/* XSI strerror_r: thread-safe, unlike strerror(). */
		if (strerror_r(errnum, tmp, sizeof tmp) != 0)
			snprintf(tmp, sizeof tmp, "error %d", errnum);
		snprintf(e->msg + n, sizeof e->msg - (size_t)n, ": %s", tmp);
	}
	return rc;
}

void kp_buf_free(kp_buf *b)
{
	free(b->p);
	kp_buf_init(b, b->max);
}

int kp_buf_grow(kp_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return KP_ETOOLONG;
	size_t need = b->len + extra;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max)
		cap = b->max;
	char *p = realloc(b->p, cap);
	if (!p)
		return KP_ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int kp_buf_reserve_exact(kp_buf *b, size_t extra)
{
	if (extra <= b->cap - b->len)
		return 0;
	if (extra > b->max || b->len > b->max - extra)
		return KP_ETOOLONG;
	char *p = realloc(b->p, b->len + extra);
	if (!p)
		return KP_ENOMEM;
	b->p = p;
	b->cap = b->len + extra;
	return 0;
}
