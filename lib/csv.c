/* RFC 4180 reader: a small state machine over the lines of a kp_reader.
 * A quoted field that spans lines takes the next line; every byte is looked
 * at once, so the time is linear in the input. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "korpus/csv.h"

struct kp_csv {
	char delim;
	kp_err err;
	kp_buf data;   /* unescaped field bytes of the record */
	kp_buf fields; /* size_t pairs: offset, length */
	uint64_t line;
	int started; /* a line was read from this input (BOM check) */
};

kp_csv *kp_csv_new(char delim, size_t max_record)
{
	kp_csv *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->delim = delim;
	if (!max_record)
		max_record = KP_DEFAULT_MAX_LINE;
	kp_buf_init(&c->data, max_record);
	kp_buf_init(&c->fields, max_record * 2 * sizeof(size_t) + 64);
	return c;
}

void kp_csv_free(kp_csv *c)
{
	if (!c)
		return;
	kp_buf_free(&c->data);
	kp_buf_free(&c->fields);
	free(c);
}

void kp_csv_reset(kp_csv *c)
{
	c->started = 0;
	c->line = 0;
	c->data.len = c->fields.len = 0;
}

const char *kp_csv_errmsg(const kp_csv *c)
{
	return c->err.msg;
}

uint64_t kp_csv_line(const kp_csv *c)
{
	return c->line;
}

const char *kp_csv_field(const kp_csv *c, size_t i, size_t *len)
{
	const size_t *f = (const size_t *)(const void *)c->fields.p;
	if (i >= c->fields.len / (2 * sizeof(size_t))) {
		*len = 0;
		return "";
	}
	*len = f[2 * i + 1];
	return c->data.p ? c->data.p + f[2 * i] : ""; /* only empty fields so far: no buffer */
}

static int end_field(kp_csv *c, size_t start)
{
	size_t pair[2] = {start, c->data.len - start};
	return kp_buf_add(&c->fields, pair, sizeof pair);
}

static int too_long(kp_csv *c)
{
	return kp_err_set(&c->err, KP_ETOOLONG, "record longer than the limit of %zu bytes (an unbalanced quote?)",
			  c->data.max);
}

int kp_csv_next(kp_csv *c, kp_reader *r, size_t *nfields)
{
	c->data.len = c->fields.len = 0;
	const char *line;
	size_t len;
	int rc;
	/* skip blank lines between records */
	do {
		rc = kp_reader_getline(r, &line, &len);
		if (rc <= 0) {
			if (rc < 0) {
				/* an over-long line has its number; another error is at
				 * the line being read */
				c->line = kp_reader_lineno(r) + (rc == KP_ETOOLONG ? 0 : 1);
				return kp_err_set(&c->err, rc, "%s", kp_reader_errmsg(r));
			}
			return 0;
		}
		if (!c->started) {
			c->started = 1;
			if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
				line += 3;
				len -= 3;
			}
		}
	} while (len == 0 || (len == 1 && line[0] == '\r'));
	c->line = kp_reader_lineno(r);
	uint64_t quote_line = 0;
	int quoted = 0; /* inside a quoted field */
	size_t start = 0;
	int at_field_start = 1;
	for (;;) {
		/* a CR ending an unquoted line belongs to the CRLF */
		size_t n = len;
		if (!quoted && n > 0 && line[n - 1] == '\r')
			n--;
		size_t i = 0;
		while (i < n) {
			char ch = line[i];
			if (quoted) {
				const char *q = memchr(line + i, '"', len - i);
				size_t run = q ? (size_t)(q - line) - i : len - i;
				if (kp_buf_add(&c->data, line + i, run) < 0)
					return too_long(c);
				i += run;
				if (!q)
					break;
				/* a quote: doubled, or the end of the field */
				if (i + 1 < len && line[i + 1] == '"') {
					if (kp_buf_addc(&c->data, '"') < 0)
						return too_long(c);
					i += 2;
					continue;
				}
				quoted = 0;
				i++;
				n = len;
				if (n > 0 && line[n - 1] == '\r')
					n--;
				if (i < n && line[i] != c->delim) {
					c->line = kp_reader_lineno(r);
					if (quote_line != c->line)
						return kp_err_set(&c->err, KP_EFORMAT,
								  "unexpected '%c' after a closing quote; the quoted field "
								  "opened on line %llu (an unbalanced quote?)",
								  line[i], (unsigned long long)quote_line);
					return kp_err_set(&c->err, KP_EFORMAT,
							  "unexpected '%c' after the closing quote of a field", line[i]);
				}
				continue;
			}
			if (at_field_start && ch == '"') {
				quoted = 1;
				quote_line = kp_reader_lineno(r);
				at_field_start = 0;
				n = len; /* a CR at the end of the line is now data */
				i++;
				continue;
			}
			if (ch == c->delim) {
				if (end_field(c, start) < 0)
					return too_long(c);
				start = c->data.len;
				at_field_start = 1;
				i++;
				continue;
			}
			/* an unquoted run up to the next delimiter */
			const char *dl = memchr(line + i, c->delim, n - i);
			size_t run = dl ? (size_t)(dl - line) - i : n - i;
			if (kp_buf_add(&c->data, line + i, run) < 0)
				return too_long(c);
			at_field_start = 0;
			i += run;
		}
		if (!quoted)
			break;
		/* the quoted field goes on: the newline is data */
		if (kp_buf_addc(&c->data, '\n') < 0)
			return too_long(c);
		rc = kp_reader_getline(r, &line, &len);
		if (rc < 0) {
			c->line = kp_reader_lineno(r) + (rc == KP_ETOOLONG ? 0 : 1);
			return kp_err_set(&c->err, rc, "%s", kp_reader_errmsg(r));
		}
		if (rc == 0) {
			c->line = quote_line;
			return kp_err_set(&c->err, KP_EFORMAT,
					  "unterminated quoted field: no closing '\"' before the end of input");
		}
	}
	if (end_field(c, start) < 0)
		return too_long(c);
	*nfields = c->fields.len / (2 * sizeof(size_t));
	return 1;
}
