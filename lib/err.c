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
