/* Unit and property tests of the RFC 4180 reader and the WARC reader. */
#include <ctype.h>
#include <unistd.h>

#include "korpus/korpus.h"
#include "test.h"

static char dir[] = "/tmp/korpus-test-csv-XXXXXX";

static kp_reader *open_text(const char *text, size_t n)
{
	static char path[300];
	snprintf(path, sizeof path, "%s/in", dir);
	FILE *f = fopen(path, "wb");
	fwrite(text, 1, n, f);
	fclose(f);
	kp_reader *r = kp_reader_new(0);
	if (kp_reader_open(r, path) < 0)
		abort();
	return r;
}

/* Parse text; write the records as "f1|f2;" into out; returns kp_csv_next's
 * final code. */
static int parse_all(const char *text, char delim, size_t cap, char *out, size_t outsz, kp_csv **keep)
{
	kp_reader *r = open_text(text, strlen(text));
	kp_csv *c = kp_csv_new(delim, cap);
	size_t o = 0, nf;
	int rc;
	out[0] = '\0';
	while ((rc = kp_csv_next(c, r, &nf)) == 1) {
		for (size_t i = 0; i < nf; i++) {
			size_t fl;
			const char *f = kp_csv_field(c, i, &fl);
			o += (size_t)snprintf(out + o, outsz - o, "%s%.*s", i ? "|" : "", (int)fl, f);
		}
		o += (size_t)snprintf(out + o, outsz - o, ";");
	}
	kp_reader_free(r);
	if (keep)
		*keep = c;
	else
		kp_csv_free(c);
	return rc;
}

static void test_csv_cases(void)
{
	char out[1024];
	CHECK_INT(parse_all("a,b,c\n1,2,3\n", ',', 0, out, sizeof out, NULL), 0);
	CHECK(strcmp(out, "a|b|c;1|2|3;") == 0);
	/* BOM, CRLF, empty fields, a quoted field with the delimiter, doubled
	 * quotes and a CRLF newline inside */
	CHECK_INT(parse_all("\xEF\xBB\xBFid,text\r\n1,\"Kata \"\"dia\"\", lalu\r\npergi\"\r\n2,\r\n,\r\n", ',', 0, out,
			    sizeof out, NULL),
		  0);
	CHECK(strcmp(out, "id|text;1|Kata \"dia\", lalu\r\npergi;2|;|;") == 0);
	/* blank lines between records are skipped; no final newline */
	CHECK_INT(parse_all("a,b\n\n\n1,2", ',', 0, out, sizeof out, NULL), 0);
	CHECK(strcmp(out, "a|b;1|2;") == 0);
	/* a quote inside an unquoted field is a character */
	CHECK_INT(parse_all("x\n5\" monitor,ok\n", ',', 0, out, sizeof out, NULL), 0);
	CHECK(strcmp(out, "x;5\" monitor|ok;") == 0);
	/* tabs */
	CHECK_INT(parse_all("judul\tisi\nA, B\t\"x\ty\"\n", '\t', 0, out, sizeof out, NULL), 0);
	CHECK(strcmp(out, "judul|isi;A, B|x\ty;") == 0);

	kp_csv *c;
	CHECK_INT(parse_all("id,text\n1,\"never closed\n2,x\n", ',', 0, out, sizeof out, &c), KP_EFORMAT);
	CHECK_INT(kp_csv_line(c), 2); /* where the quote opened */
	CHECK(strstr(kp_csv_errmsg(c), "unterminated") != NULL);
	kp_csv_free(c);
	CHECK_INT(parse_all("id,text\n1,\"a\"b\n", ',', 0, out, sizeof out, &c), KP_EFORMAT);
	CHECK_INT(kp_csv_line(c), 2);
	kp_csv_free(c);
	/* the record cap stops a runaway quote */
	CHECK_INT(parse_all("t\n\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nbbbbbbbbbbbbbbbbb\n", ',', 32, out, sizeof out, NULL),
		  KP_ETOOLONG);
}

/* Random records written the RFC 4180 way read back field for field. */
static void test_csv_roundtrip(void)
{
	static const char *pieces[] = {"Jakarta", " ", ",", "\"", "\n", "\r\n", "Rp 5.000", "\xe2\x80\x9c", "\t", ""};
	uint64_t seed = 7;
	char text[65536], expect[65536];
	for (int iter = 0; iter < 300; iter++) {
		size_t t = 0, e = 0;
		unsigned nrec = 1 + (unsigned)(test_rand(&seed) % 6), nf = 1 + (unsigned)(test_rand(&seed) % 4);
		for (unsigned r = 0; r < nrec; r++) {
			for (unsigned f = 0; f < nf; f++) {
				char field[256] = "";
				size_t fl = 0;
				unsigned k = (unsigned)(test_rand(&seed) % 5);
				for (unsigned j = 0; j < k; j++)
					fl += (size_t)snprintf(field + fl, sizeof field - fl, "%s",
							       pieces[test_rand(&seed) % 10]);
				/* an unquoted field may not start with a quote or hold
				 * delimiters or newlines; quote when needed (and sometimes
				 * anyway) */
				int quote = fl == 0 ? 0 : (strpbrk(field, ",\"\r\n") != NULL || test_rand(&seed) % 3 == 0);
				if (nf == 1 && fl == 0)
					quote = 1; /* an empty lone field would be a blank line */
				if (f)
					text[t++] = ',';
				if (quote) {
					text[t++] = '"';
					for (size_t i = 0; i < fl; i++) {
						if (field[i] == '"')
							text[t++] = '"';
						text[t++] = field[i];
					}
					text[t++] = '"';
				} else {
					memcpy(text + t, field, fl);
					t += fl;
				}
				e += (size_t)snprintf(expect + e, sizeof expect - e, "%s%s", f ? "|" : "", field);
			}
			memcpy(text + t, test_rand(&seed) % 2 ? "\r\n" : "\n", 2);
			t += text[t] == '\r' ? 2 : 1;
			expect[e++] = ';';
			expect[e] = '\0';
		}
		text[t] = '\0';
		char out[65536];
		int rc = parse_all(text, ',', 0, out, sizeof out, NULL);
		if (rc != 0 || strcmp(out, expect) != 0) {
			fprintf(stderr, "iter %d: rc %d\n", iter, rc);
			for (const char *q = text; *q; q++)
				fprintf(stderr, isprint((unsigned char)*q) ? "%c" : "\\x%02x", (unsigned char)*q);
			fprintf(stderr, "\n");
			for (const char *q = out; *q; q++)
				fprintf(stderr, isprint((unsigned char)*q) ? "%c" : "\\x%02x", (unsigned char)*q);
			fprintf(stderr, "\n");
			for (const char *q = expect; *q; q++)
				fprintf(stderr, isprint((unsigned char)*q) ? "%c" : "\\x%02x", (unsigned char)*q);
			fprintf(stderr, "\n");
			test_failures++;
			break;
		}
	}
}

static void test_warc(void)
{
	const char *text = "WARC/1.0\r\n"
			   "WARC-Type: conversion\r\n"
			   "WARC-Target-URI: https://www.antaranews.com/a\r\n"
			   "X-Folded: satu\r\n"
			   "  dua\r\n"
			   "content-length: 12\r\n"
			   "\r\n"
			   "Halo\ndunia.\n"
			   "\r\n\r\n"
			   "WARC/1.1\r\n"
			   "WARC-Type: resource\r\n"
			   "Content-Length: 20\r\n"
			   "\r\n"
			   "01234567890123456789"
			   "\r\n\r\n";
	kp_reader *r = open_text(text, strlen(text));
	kp_warc *w = kp_warc_new(16);
	size_t n;
	int skipped;
	CHECK_INT(kp_warc_next(w, r), 1);
	CHECK_INT(kp_warc_line(w), 1);
	const char *v = kp_warc_header(w, "warc-target-uri", &n);
	CHECK_MEM(v, n, "https://www.antaranews.com/a");
	v = kp_warc_header(w, "X-Folded", &n);
	CHECK_MEM(v, n, "satu dua");
	CHECK(kp_warc_header(w, "WARC-Date", &n) == NULL);
	v = kp_warc_body(w, &n, &skipped);
	CHECK_MEM(v, n, "Halo\ndunia.\n");
	CHECK_INT(skipped, 0);
	CHECK_INT(kp_warc_next(w, r), 1); /* over the body cap: read past */
	CHECK_INT(kp_warc_line(w), 12);
	v = kp_warc_body(w, &n, &skipped);
	CHECK_INT(n, 0);
	CHECK_INT(skipped, 1);
	CHECK_INT(kp_warc_next(w, r), 0);
	kp_reader_free(r);

	const char *bad[] = {
		"WARC/1.0\r\nWARC-Type: conversion\r\n\r\nx",                        /* no length */
		"WARC/1.0\r\nContent-Length: 50\r\n\r\nshort",                       /* truncated */
		"WARC/1.0\r\nContent-Length: 5\r\n",                                 /* ends in headers */
		"<html>\n",                                                          /* not WARC */
		"WARC/1.0\r\nno colon here\r\nContent-Length: 0\r\n\r\n",            /* bad header */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = open_text(bad[i], strlen(bad[i]));
		int rc = kp_warc_next(w, r);
		if (rc != KP_EFORMAT) {
			fprintf(stderr, "bad WARC %zu: rc %d (%s)\n", i, rc, kp_warc_errmsg(w));
			test_failures++;
		}
		kp_reader_free(r);
	}
	kp_warc_free(w);

	const char *ct, *p;
	size_t ctl, pl;
	const char *http = "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-type:  text/plain; charset=utf-8 \r\n\r\nIsi berita";
	CHECK_INT(kp_http_split(http, strlen(http), &ct, &ctl, &p, &pl), 0);
	CHECK_MEM(ct, ctl, "text/plain; charset=utf-8");
	CHECK_MEM(p, pl, "Isi berita");
	CHECK_INT(kp_http_split("HTTP/1.1 200 OK\r\nA: b", 21, &ct, &ctl, &p, &pl), KP_EFORMAT);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_csv_cases();
	test_csv_roundtrip();
	test_warc();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	TEST_MAIN_END();
}
