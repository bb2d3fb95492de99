/* Unit tests of the WARC reader (korpus/warc.h): records of every usual type
 * built in memory, plain and gzip (one member per record, or one for the
 * file), bodies over the cap, HTTP responses, and malformed input. */
#include <zlib.h>

#include "korpus/korpus.h"
#include "test.h"

static char dir[] = "/tmp/korpus-test-warc-XXXXXX";

/* A growable byte string. */
typedef struct bytes {
	char *p;
	size_t len, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if (!(b->p = realloc(b->p, b->cap)))
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put_str(bytes *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Append a WARC/1.1 record: its headers (each ending in CRLF, without
 * Content-Length, which is added), the block, and the CRLF CRLF after it. */
static void record(bytes *b, const char *headers, const char *block, size_t n)
{
	char cl[64];
	put_str(b, "WARC/1.1\r\n");
	put_str(b, headers);
	snprintf(cl, sizeof cl, "Content-Length: %zu\r\n\r\n", n);
	put_str(b, cl);
	put(b, block, n);
	put_str(b, "\r\n\r\n");
}

static const char *write_file(const char *name, const void *p, size_t n)
{
	static char path[300];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
	return path;
}

static kp_reader *open_bytes(const void *p, size_t n)
{
	kp_reader *r = kp_reader_new(0);
	if (!r || kp_reader_open(r, write_file("in", p, n)) < 0)
		abort();
	return r;
}

/* Gzip of p[0..n) appended to out, as one member. */
static void gzip_member(bytes *out, const char *p, size_t n)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t bound = deflateBound(&zs, (uLong)n) + 64;
	char *buf = malloc(bound);
	if (!buf)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)buf;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	put(out, buf, bound - zs.avail_out);
	deflateEnd(&zs);
	free(buf);
}

/* ---- a file of every kind of record ------------------------------------------ */

static const char html[] = "<!doctype html><html><head><title>Harga cabai</title></head>\n"
			   "<body><p>Harga cabai rawit naik.</p></body></html>\n";
static const char plain[] = "Jakarta (ANTARA) - Presiden meresmikan bendungan.\nBendungan itu mengairi sawah.";
static const char wet[] = "TEMPO.CO, Jakarta - Harga emas naik.\n\nPembeli ramai.\n";
/* a block holding what looks like a record separator and a record start */
static const char tricky[] = "baris satu\r\n\r\nWARC/1.0\r\nContent-Length: 3\r\n\r\nabc";

typedef struct expect {
	const char *type, *id;
	const char *body;
	size_t body_len;
	size_t offset; /* where the record starts in the uncompressed file */
} expect;

/* The records of the test file, and its bytes in *b (the records' starts in
 * ex[].offset). */
static size_t build_file(bytes *b, expect *ex, bytes *members)
{
	bytes h = {0};
	size_t n = 0;
	struct {
		const char *type, *extra, *body;
		size_t len;
	} recs[] = {
		{"warcinfo", "Content-Type: application/warc-fields\r\n", "software: korpus-test\r\nformat: WARC\r\n", 0},
		{"request", "WARC-Target-URI: https://www.antaranews.com/berita/1\r\nContent-Type: application/http; msgtype=request\r\n",
		 "GET /berita/1 HTTP/1.1\r\nHost: www.antaranews.com\r\n\r\n", 0},
		{"response", "WARC-Target-URI: https://www.kompas.com/a\r\nContent-Type: application/http; msgtype=response\r\n", NULL, 0},
		{"response", "WARC-Target-URI: https://www.antaranews.com/berita/1\r\n", NULL, 0},
		{"conversion", "WARC-Target-URI: https://www.tempo.co/3\r\nWARC-Identified-Content-Language: ind,msa\r\n", wet, sizeof wet - 1},
		{"resource", "warc-target-uri:   https://example.id/x.txt   \r\n", tricky, sizeof tricky - 1},
		{"metadata", "", "", 0},
	};
	bytes http_html = {0}, http_plain = {0};
	put_str(&http_html, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n");
	put_str(&http_html, html);
	put_str(&http_plain, "HTTP/1.0 200 OK\nContent-type:text/plain\n\n"); /* LF only, no space */
	put_str(&http_plain, plain);
	recs[2].body = http_html.p;
	recs[2].len = http_html.len;
	recs[3].body = http_plain.p;
	recs[3].len = http_plain.len;
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		char hdr[1024];
		if (!recs[i].len)
			recs[i].len = strlen(recs[i].body);
		static char ids[8][64];
		snprintf(ids[i], sizeof ids[i], "<urn:uuid:6a1b0a0e-000%zu-4c1e-9f00-00000000000%zu>", i, i);
		snprintf(hdr, sizeof hdr, "WARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: 2025-06-10T08:15:0%zuZ\r\n%s",
			 recs[i].type, ids[i], i, recs[i].extra);
		size_t start = b->len;
		h.len = 0;
		record(&h, hdr, recs[i].body, recs[i].len);
		put(b, h.p, h.len);
		if (members)
			gzip_member(members, h.p, h.len);
		ex[n].type = recs[i].type;
		ex[n].id = ids[i];
		/* the block is copied: the HTTP buffers are freed below */
		char *copy = malloc(recs[i].len + 1);
		if (!copy)
			abort();
		memcpy(copy, recs[i].body, recs[i].len);
		ex[n].body = copy;
		ex[n].body_len = recs[i].len;
		ex[n].offset = start;
		n++;
	}
	free(h.p);
	free(http_html.p);
	free(http_plain.p);
	return n;
}

static uint64_t line_at(const char *text, size_t off)
{
	uint64_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* Read every record of r and compare with ex (text: the uncompressed file,
 * for line numbers). */
static void check_records(kp_reader *r, const char *text, const expect *ex, size_t n, const char *what)
{
	kp_warc *w = kp_warc_new(0);
	size_t len, k = 0;
	int rc, skipped;
	while ((rc = kp_warc_next(w, r)) == 1) {
		if (k == n) {
			fprintf(stderr, "%s: more records than written\n", what);
			test_failures++;
			break;
		}
		const char *v = kp_warc_header(w, "WARC-Type", &len);
		CHECK_MEM(v, len, ex[k].type);
		v = kp_warc_header(w, "warc-record-id", &len);
		CHECK_MEM(v, len, ex[k].id);
		CHECK_INT(kp_warc_line(w), line_at(text, ex[k].offset));
		const char *body = kp_warc_body(w, &len, &skipped);
		CHECK_INT(skipped, 0);
		CHECK(len == ex[k].body_len && memcmp(body, ex[k].body, len) == 0);
		char cl[32];
		snprintf(cl, sizeof cl, "%zu", ex[k].body_len);
		v = kp_warc_header(w, "CONTENT-LENGTH", &len);
		CHECK_MEM(v, len, cl);
		CHECK(kp_warc_header(w, "Content-Len", &len) == NULL);
		CHECK(kp_warc_header(w, "WARC-Type:", &len) == NULL);
		k++;
	}
	if (rc != 0 || k != n) {
		fprintf(stderr, "%s: rc %d after %zu of %zu records (%s)\n", what, rc, k, n, kp_warc_errmsg(w));
		test_failures++;
	}
	CHECK_INT(kp_warc_next(w, r), 0); /* the end stays the end */
	kp_warc_free(w);
}

static void test_records(void)
{
	bytes b = {0}, members = {0}, whole = {0};
	expect ex[8];
	size_t n = build_file(&b, ex, &members);
	CHECK_INT(n, 7);

	kp_reader *r = open_bytes(b.p, b.len);
	check_records(r, b.p, ex, n, "plain");
	kp_reader_free(r);

	/* details of single records */
	r = open_bytes(b.p, b.len);
	kp_warc *w = kp_warc_new(0);
	size_t len, ctl, pl;
	int skipped;
	const char *ct, *payload;
	CHECK_INT(kp_warc_next(w, r), 1); /* warcinfo */
	CHECK_INT(kp_warc_next(w, r), 1); /* request */
	CHECK_INT(kp_warc_next(w, r), 1); /* response with HTML */
	const char *v = kp_warc_header(w, "WARC-Target-URI", &len);
	CHECK_MEM(v, len, "https://www.kompas.com/a");
	v = kp_warc_header(w, "Content-Type", &len);
	CHECK_MEM(v, len, "application/http; msgtype=response");
	const char *body = kp_warc_body(w, &len, &skipped);
	CHECK_INT(kp_http_split(body, len, &ct, &ctl, &payload, &pl), 0);
	CHECK_MEM(ct, ctl, "text/html; charset=UTF-8");
	CHECK_MEM(payload, pl, html);
	CHECK_INT(kp_warc_next(w, r), 1); /* response with plain text, LF only */
	body = kp_warc_body(w, &len, &skipped);
	CHECK_INT(kp_http_split(body, len, &ct, &ctl, &payload, &pl), 0);
	CHECK_MEM(ct, ctl, "text/plain");
	CHECK_MEM(payload, pl, plain);
	CHECK(kp_warc_header(w, "Content-Type", &len) == NULL); /* that record has none */
	CHECK_INT(kp_warc_next(w, r), 1); /* conversion */
	v = kp_warc_header(w, "WARC-Identified-Content-Language", &len);
	CHECK_MEM(v, len, "ind,msa");
	v = kp_warc_header(w, "WARC-Date", &len);
	CHECK_MEM(v, len, "2025-06-10T08:15:04Z");
	CHECK_INT(kp_warc_next(w, r), 1); /* resource: its value trimmed */
	v = kp_warc_header(w, "WARC-Target-URI", &len);
	CHECK_MEM(v, len, "https://example.id/x.txt");
	body = kp_warc_body(w, &len, &skipped);
	CHECK_MEM(body, len, tricky);
	CHECK_INT(kp_warc_next(w, r), 1); /* metadata, empty */
	body = kp_warc_body(w, &len, &skipped);
	CHECK(body != NULL && len == 0 && skipped == 0);
	CHECK_INT(kp_warc_next(w, r), 0);
	kp_warc_free(w);
	kp_reader_free(r);

	/* gzip, one member per record (as Common Crawl writes them) */
	r = open_bytes(members.p, members.len);
	check_records(r, b.p, ex, n, "gzip per record");
	CHECK_INT(kp_reader_is_gzip(r), 1);
	kp_reader_free(r);
	/* gzip, one member for the file */
	gzip_member(&whole, b.p, b.len);
	r = open_bytes(whole.p, whole.len);
	check_records(r, b.p, ex, n, "gzip whole");
	kp_reader_free(r);

	/* a cut gzip file: the records before the cut, then the reader's
	 * error, not an end */
	r = open_bytes(members.p, members.len - 20);
	w = kp_warc_new(0);
	int rc, got = 0;
	while ((rc = kp_warc_next(w, r)) == 1)
		got++;
	CHECK_INT(got, 6);
	CHECK_INT(rc, KP_EGZIP);
	CHECK(strstr(kp_warc_errmsg(w), "gzip") != NULL);
	kp_warc_free(w);
	kp_reader_free(r);

	/* an empty file and one of blank lines hold no record */
	w = kp_warc_new(0);
	r = open_bytes("", 0);
	CHECK_INT(kp_warc_next(w, r), 0);
	kp_reader_free(r);
	r = open_bytes("\r\n\n\r\n", 5);
	CHECK_INT(kp_warc_next(w, r), 0);
	kp_reader_free(r);
	kp_warc_free(w);

	for (size_t i = 0; i < n; i++)
		free((void *)(uintptr_t)ex[i].body);
	free(b.p);
	free(members.p);
	free(whole.p);
}

/* ---- the body cap ---------------------------------------------------------------- */

static void test_big_bodies(void)
{
	/* a 300 kB block (past the reader's 64 kB scratch when read past), with
	 * newlines, between two small records */
	size_t bigsz = 300000;
	char *big = malloc(bigsz);
	if (!big)
		abort();
	for (size_t i = 0; i < bigsz; i++)
		big[i] = i % 61 == 60 ? '\n' : (char)('a' + i % 26);
	bytes b = {0};
	record(&b, "WARC-Type: conversion\r\n", "satu", 4);
	size_t second = b.len;
	record(&b, "WARC-Type: conversion\r\n", big, bigsz);
	size_t third = b.len;
	record(&b, "WARC-Type: conversion\r\n", "0123456789", 10);

	/* kept with the default cap */
	kp_reader *r = open_bytes(b.p, b.len);
	kp_warc *w = kp_warc_new(0);
	size_t len;
	int skipped;
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_INT(kp_warc_next(w, r), 1);
	const char *body = kp_warc_body(w, &len, &skipped);
	CHECK(len == bigsz && skipped == 0 && memcmp(body, big, bigsz) == 0);
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_INT(kp_warc_line(w), line_at(b.p, third));
	CHECK_MEM(kp_warc_body(w, &len, &skipped), len, "0123456789");
	kp_warc_free(w);
	kp_reader_free(r);

	/* a cap of 10: the big block is read past, the next is exactly at the
	 * cap and kept; the line numbers count the lines read past */
	r = open_bytes(b.p, b.len);
	w = kp_warc_new(10);
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_MEM(kp_warc_body(w, &len, &skipped), len, "satu");
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_INT(kp_warc_line(w), line_at(b.p, second));
	body = kp_warc_body(w, &len, &skipped);
	CHECK(body != NULL && len == 0 && skipped == 1);
	size_t cl;
	const char *v = kp_warc_header(w, "Content-Length", &cl);
	CHECK_MEM(v, cl, "300000");
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_INT(kp_warc_line(w), line_at(b.p, third));
	body = kp_warc_body(w, &len, &skipped);
	CHECK_MEM(body, len, "0123456789");
	CHECK_INT(skipped, 0);
	CHECK_INT(kp_warc_next(w, r), 0);
	kp_warc_free(w);
	kp_reader_free(r);

	/* one byte over the cap is read past */
	r = open_bytes(b.p + third, b.len - third);
	w = kp_warc_new(9);
	CHECK_INT(kp_warc_next(w, r), 1);
	body = kp_warc_body(w, &len, &skipped);
	CHECK(len == 0 && skipped == 1);
	kp_warc_free(w);
	kp_reader_free(r);
	free(big);
	free(b.p);
}

/* ---- malformed input ---------------------------------------------------------------- */

static void test_malformed(void)
{
	static const struct {
		const char *text;
		int rc;        /* of the first kp_warc_next that is not 1 */
		int good;      /* records read before it */
		uint64_t line; /* kp_warc_line after it */
		const char *msg;
	} cases[] = {
		{"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 100\r\n\r\nonly ten b", KP_EFORMAT, 0, 1,
		 "Content-Length is 100 bytes, the input ends after 10"},
		/* a huge length: not allocated, read past, truncated */
		{"WARC/1.0\r\nContent-Length: 999999999999999999\r\n\r\nabc", KP_EFORMAT, 0, 1,
		 "Content-Length is 999999999999999999 bytes, the input ends after 3"},
		{"WARC/1.0\r\nContent-Length: 12a\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length: -5\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length: +3\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length: 0x3\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length: 3 4\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length:\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		{"WARC/1.0\r\nContent-Length: 1234567890123456789\r\n\r\nabc", KP_EFORMAT, 0, 1,
		 "without a valid Content-Length"},
		{"WARC/1.0\r\nWARC-Type: resource\r\n\r\nabc", KP_EFORMAT, 0, 1, "without a valid Content-Length"},
		/* a record, then something else: the line of the stranger */
		{"WARC/1.0\r\nContent-Length: 3\r\n\r\nabc\r\n\r\nHTTP/1.1 200 OK\r\n", KP_EFORMAT, 1, 6,
		 "expected a WARC record ('WARC/1.0'), found 'HTTP/1.1 200 OK"},
		{"WARC/1.0\r\nContent-Length: 3\r\n\r\nabcdef\r\n", KP_EFORMAT, 1, 4, "found 'def"},
		{"WARC\r\n", KP_EFORMAT, 0, 1, "expected a WARC record"},
		{"warc/1.0\r\nContent-Length: 0\r\n\r\n", KP_EFORMAT, 0, 1, "expected a WARC record"},
		{"WARC/1.0\r\n Content-Length: 0\r\n\r\n", KP_EFORMAT, 0, 2, "continuation first"},
		{"WARC/1.0\r\nWARC-Type: resource\r\nno colon\r\nContent-Length: 0\r\n\r\n", KP_EFORMAT, 0, 3,
		 "no 'Name: value'"},
		{"WARC/1.0\r\n: value\r\nContent-Length: 0\r\n\r\n", KP_EFORMAT, 0, 2, "no 'Name: value'"},
		{"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 5\r\n", KP_EFORMAT, 0, 3, "ends in its headers"},
		{"WARC/1.0", KP_EFORMAT, 0, 1, "ends in its headers"},
	};
	kp_warc *w = kp_warc_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kp_reader *r = open_bytes(cases[i].text, strlen(cases[i].text));
		int rc, good = 0;
		while ((rc = kp_warc_next(w, r)) == 1)
			good++;
		if (rc != cases[i].rc || good != cases[i].good || kp_warc_line(w) != cases[i].line ||
		    !strstr(kp_warc_errmsg(w), cases[i].msg)) {
			fprintf(stderr, "malformed case %zu: rc %d after %d records, line %llu: %s\n", i, rc, good,
				(unsigned long long)kp_warc_line(w), kp_warc_errmsg(w));
			test_failures++;
		}
		kp_reader_free(r);
	}
	kp_warc_free(w);

	/* a header block over its cap (1 MiB): an error, not unbounded memory */
	bytes b = {0};
	put_str(&b, "WARC/1.0\r\nX-Big: ");
	for (int i = 0; i < 4000; i++) /* 2 MB */
		put_str(&b, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
			  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	put_str(&b, "\r\nContent-Length: 0\r\n\r\n");
	kp_reader *r = open_bytes(b.p, b.len);
	w = kp_warc_new(0);
	CHECK_INT(kp_warc_next(w, r), KP_ETOOLONG);
	CHECK_INT(kp_warc_line(w), 2);
	kp_warc_free(w);
	kp_reader_free(r);
	free(b.p);

	/* after an error the handle reads the next input */
	w = kp_warc_new(0);
	r = open_bytes("junk\n", 5);
	CHECK_INT(kp_warc_next(w, r), KP_EFORMAT);
	kp_reader_free(r);
	const char *ok = "WARC/1.0\r\nContent-Length: 2\r\n\r\nok\r\n\r\n";
	r = open_bytes(ok, strlen(ok));
	CHECK_INT(kp_warc_next(w, r), 1);
	size_t len;
	int skipped;
	CHECK_MEM(kp_warc_body(w, &len, &skipped), len, "ok");
	kp_warc_free(w);
	kp_reader_free(r);
	kp_warc_free(NULL);
}

/* ---- HTTP responses ------------------------------------------------------------------ */

static void test_http(void)
{
	const char *ct, *p;
	size_t ctl, pl;
	/* the payload is everything after the first blank line, kept whole */
	const char *m = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsatu\r\n\r\ndua";
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), 0);
	CHECK_MEM(ct, ctl, "text/plain");
	CHECK_MEM(p, pl, "satu\r\n\r\ndua");
	/* no Content-Type: an empty one; an empty payload */
	m = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), 0);
	CHECK_INT(ctl, 0);
	CHECK(ct != NULL);
	CHECK_INT(pl, 0);
	/* the header's name in any case, its value trimmed */
	m = "HTTP/1.1 200 OK\nCONTENT-TYPE: \t text/html \t\n\n<p>x</p>";
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), 0);
	CHECK_MEM(ct, ctl, "text/html");
	CHECK_MEM(p, pl, "<p>x</p>");
	/* a header merely starting like it is another header */
	m = "HTTP/1.1 200 OK\r\nContent-Type-Options: nosniff\r\n\r\nx";
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), 0);
	CHECK_INT(ctl, 0);
	/* the length bounds the message: a separator past it does not count */
	m = "HTTP/1.1 200 OK\r\nA: b\r\n\r\npayload";
	CHECK_INT(kp_http_split(m, 23, &ct, &ctl, &p, &pl), KP_EFORMAT);
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), 0);
	CHECK_MEM(p, pl, "payload");
	/* no separator at all, or nothing */
	m = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";
	CHECK_INT(kp_http_split(m, strlen(m), &ct, &ctl, &p, &pl), KP_EFORMAT);
	CHECK_INT(kp_http_split("", 0, &ct, &ctl, &p, &pl), KP_EFORMAT);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_records();
	test_big_bodies();
	test_malformed();
	test_http();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	TEST_MAIN_END();
}
