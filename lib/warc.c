#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "korpus/warc.h"

typedef struct header {
	size_t name, namelen, val, vallen; /* offsets into w->text */
} header;

struct kp_warc {
	kp_err err;
	kp_buf text;    /* header names and values */
	kp_buf headers; /* header[] */
	kp_buf body;
	int skipped;
	uint64_t line;
};

#define HEADERS(w) ((const header *)(const void *)(w)->headers.p)
#define NHEADERS(w) ((w)->headers.len / sizeof(header))

kp_warc *kp_warc_new(size_t max_body)
{
	kp_warc *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	if (!max_body)
		max_body = KP_DEFAULT_MAX_LINE;
	kp_buf_init(&w->text, (size_t)1 << 20);
	kp_buf_init(&w->headers, (size_t)1 << 20);
	kp_buf_init(&w->body, max_body);
	return w;
}

void kp_warc_free(kp_warc *w)
{
	if (!w)
		return;
	kp_buf_free(&w->text);
	kp_buf_free(&w->headers);
	kp_buf_free(&w->body);
	free(w);
}

const char *kp_warc_errmsg(const kp_warc *w)
{
	return w->err.msg;
}

uint64_t kp_warc_line(const kp_warc *w)
{
	return w->line;
}

const char *kp_warc_header(const kp_warc *w, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const header *h = HEADERS(w);
	for (size_t i = 0; i < NHEADERS(w); i++) {
		if (h[i].namelen == n && strncasecmp(w->text.p + h[i].name, name, n) == 0) {
			*len = h[i].vallen;
			return w->text.p + h[i].val;
		}
	}
	return NULL;
}

const char *kp_warc_body(const kp_warc *w, size_t *len, int *skipped)
{
	*len = w->body.len;
	*skipped = w->skipped;
	return w->body.p ? w->body.p : "";
}

static int reader_error(kp_warc *w, kp_reader *r, int rc)
{
	w->line = kp_reader_lineno(r) + 1;
	return kp_err_set(&w->err, rc, "%s", kp_reader_errmsg(r));
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static int add_header(kp_warc *w, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon || colon == line)
		return kp_err_set(&w->err, KP_EFORMAT, "malformed WARC header line (no 'Name: value')");
	const char *name = line, *val = colon + 1;
	size_t namelen = (size_t)(colon - line), vallen = len - namelen - 1;
	trim(&name, &namelen);
	trim(&val, &vallen);
	header h = {.name = w->text.len, .namelen = namelen};
	if (kp_buf_add(&w->text, name, namelen) < 0)
		return kp_err_set(&w->err, KP_ETOOLONG, "WARC header block too large");
	h.val = w->text.len;
	h.vallen = vallen;
	if (kp_buf_add(&w->text, val, vallen) < 0 || kp_buf_add(&w->headers, &h, sizeof h) < 0)
		return kp_err_set(&w->err, KP_ETOOLONG, "WARC header block too large");
	return 0;
}

/* A folded header line continues the previous value. */
static int continue_header(kp_warc *w, const char *line, size_t len)
{
	if (!NHEADERS(w))
		return kp_err_set(&w->err, KP_EFORMAT, "malformed WARC header line (continuation first)");
	trim(&line, &len);
	header *h = (header *)(void *)(w->headers.p + w->headers.len - sizeof(header));
	/* the value is the last thing in text, so it can grow in place */
	if (kp_buf_addc(&w->text, ' ') < 0 || kp_buf_add(&w->text, line, len) < 0)
		return kp_err_set(&w->err, KP_ETOOLONG, "WARC header block too large");
	h->vallen += 1 + len;
	return 0;
}

static int parse_length(const char *s, size_t n, uint64_t *out)
{
	if (n == 0 || n > 18)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int kp_warc_next(kp_warc *w, kp_reader *r)
{
	w->text.len = w->headers.len = w->body.len = 0;
	w->skipped = 0;
	const char *line;
	size_t len;
	int rc;
	do { /* records are followed by CRLF CRLF; skip blank lines */
		rc = kp_reader_getline(r, &line, &len);
		if (rc < 0)
			return reader_error(w, r, rc);
		if (rc == 0)
			return 0;
	} while (len == 0 || (len == 1 && line[0] == '\r'));
	w->line = kp_reader_lineno(r);
	if (len < 6 || memcmp(line, "WARC/", 5) != 0)
		return kp_err_set(&w->err, KP_EFORMAT, "expected a WARC record ('WARC/1.0'), found '%.*s'",
				  (int)(len > 40 ? 40 : len), line);
	for (;;) {
		rc = kp_reader_getline(r, &line, &len);
		if (rc < 0)
			return reader_error(w, r, rc);
		if (rc == 0) {
			w->line = kp_reader_lineno(r);
			return kp_err_set(&w->err, KP_EFORMAT, "truncated WARC record: the input ends in its headers");
		}
		if (len && line[len - 1] == '\r')
			len--;
		if (len == 0)
			break;
		rc = (line[0] == ' ' || line[0] == '\t') ? continue_header(w, line, len) : add_header(w, line, len);
		if (rc < 0) {
			w->line = kp_reader_lineno(r);
			return rc;
		}
	}
	size_t cl_len;
	const char *cl = kp_warc_header(w, "Content-Length", &cl_len);
	uint64_t want;
	if (!cl || parse_length(cl, cl_len, &want) < 0)
		return kp_err_set(&w->err, KP_EFORMAT, "WARC record without a valid Content-Length");
	int keep = want <= w->body.max;
	if (keep && kp_buf_reserve(&w->body, (size_t)want) < 0)
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory for a WARC record of %llu bytes",
				  (unsigned long long)want);
	uint64_t got = 0;
	char scratch[65536];
	while (got < want) {
		size_t ask = want - got > sizeof scratch ? sizeof scratch : (size_t)(want - got);
		char *dst = keep ? w->body.p + got : scratch;
		long n = kp_reader_read(r, dst, ask);
		if (n < 0)
			return reader_error(w, r, (int)n);
		if (n == 0)
			return kp_err_set(&w->err, KP_EFORMAT,
					  "truncated WARC record: Content-Length is %llu bytes, the input ends after %llu",
					  (unsigned long long)want, (unsigned long long)got);
		got += (uint64_t)n;
	}
	if (keep)
		w->body.len = (size_t)want;
	else
		w->skipped = 1;
	return 1;
}

int kp_http_split(const char *msg, size_t len, const char **ctype, size_t *ctlen, const char **payload,
		  size_t *plen)
{
	*ctype = "";
	*ctlen = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(msg + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - msg) : len;
		size_t n = end - i;
		if (n && msg[i + n - 1] == '\r')
			n--;
		if (n == 0) { /* the blank line before the payload */
			*payload = msg + end + (nl ? 1 : 0);
			*plen = len - (size_t)(*payload - msg);
			return 0;
		}
		if (n > 13 && strncasecmp(msg + i, "Content-Type:", 13) == 0) {
			const char *v = msg + i + 13;
			size_t vl = n - 13;
			trim(&v, &vl);
			*ctype = v;
			*ctlen = vl;
		}
		if (!nl)
			break;
		i = end + 1;
	}
	return KP_EFORMAT;
}
