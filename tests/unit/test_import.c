/* Unit tests of the importer (korpus/import.h) through its functions:
 * JSONL exports with their usual and named fields, CSV/TSV with a header,
 * lines, paragraphs, txt files and folders, WARC records, the publication
 * dates, bad input with its line numbers, and parts of a file (byte
 * ranges) and of the files of folders (file ranges) that give together
 * what the whole gives.
 *
 * Each input is imported whole into a transcript: a document's line as
 * written, "skip " and the skipped record's line, or "error RC at LINE: MSG".
 * In the expected documents and skips (not the errors) ' stands for ", so
 * that the JSON stays readable. */
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "korpus/korpus.h"
#include "test.h"

static char dir[] = "/tmp/korpus-test-import-XXXXXX";

#define ADDED "2026-01-02T03:04:05Z"

/* Write a file of the test folder (the current directory). */
static void write_bytes(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(name, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}
#define WRITE(name, literal) write_bytes(name, literal, sizeof literal - 1)

static kp_import *importer(size_t max_doc)
{
	kp_import *im = kp_import_new(max_doc);
	if (!im || kp_import_set_added(im, ADDED, 0) < 0)
		abort();
	return im;
}

/* A growing transcript of several imports. */
typedef struct {
	char *p;
	size_t len, cap;
	uint64_t sums[KP_IMPORT_NCOUNTERS]; /* the counters of the imports, added */
} run;

static void run_add(run *t, const char *p, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		if (!(t->p = realloc(t->p, t->cap)))
			abort();
	}
	memcpy(t->p + t->len, p, n);
	t->len += n;
	t->p[t->len] = '\0';
}

/* Import path into t: every document, skip and error (going on after the
 * errors that leave the input open, as korpus-import --skip-invalid does);
 * ranged: only the lines that start in [start, end), the line at start
 * numbered first (0: counted). */
static void run_import(kp_import *im, const char *path, int ranged, uint64_t start, uint64_t end, uint64_t first, run *t)
{
	char msg[512];
	uint64_t before[KP_IMPORT_NCOUNTERS];
	for (int c = 0; c < KP_IMPORT_NCOUNTERS; c++)
		before[c] = kp_import_count(im, c);
	int rc = ranged ? kp_import_set_range(im, start, end, first) : 0;
	if (rc >= 0)
		rc = kp_import_open(im, path);
	if (rc < 0) {
		snprintf(msg, sizeof msg, "open error %d: %s\n", rc, kp_import_errmsg(im));
		run_add(t, msg, strlen(msg));
		return;
	}
	const char *line;
	size_t len;
	while ((rc = kp_import_next(im, &line, &len)) != 0) {
		if (rc == KP_IMPORT_SKIPPED)
			run_add(t, "skip ", 5);
		if (rc > 0) {
			run_add(t, line, len);
			continue;
		}
		snprintf(msg, sizeof msg, "error %d at %llu: %s\n", rc, (unsigned long long)kp_import_line(im), kp_import_errmsg(im));
		run_add(t, msg, strlen(msg));
		if (rc != KP_EJSON && rc != KP_EDOC && rc != KP_EUTF8)
			break;
	}
	for (int c = 0; c < KP_IMPORT_NCOUNTERS; c++) /* the handle's counters add up its inputs */
		t->sums[c] += kp_import_count(im, c) - before[c];
}

/* The transcript of path whole, into out. */
static void transcript(kp_import *im, const char *path, char *out, size_t size)
{
	run t = {0};
	run_import(im, path, 0, 0, 0, 0, &t);
	snprintf(out, size, "%s", t.p ? t.p : "");
	free(t.p);
}

/* Compare the transcript of path with expected (' standing for " in the
 * lines of documents and skips). */
#define EXPECT_IMPORT(im, path, expected) expect_import(im, path, expected, __LINE__)
static void expect_import(kp_import *im, const char *path, const char *expected, int line)
{
	static char got[65536], want[65536];
	transcript(im, path, got, sizeof got);
	snprintf(want, sizeof want, "%s", expected);
	for (char *q = want; *q; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : q + strlen(q)) {
		if (*q != '{' && strncmp(q, "skip ", 5) != 0)
			continue;
		for (char *e = q; *e && *e != '\n'; e++)
			if (*e == '\'')
				*e = '"';
	}
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: import of %s gave\n%s-- expected\n%s--\n", __FILE__, line, path, got, want);
		test_failures++;
	}
}

/* The nonzero counters, "read=3 written=2 ...", without the bytes. */
static const char *counts(const kp_import *im)
{
	static char buf[512];
	size_t o = 0;
	buf[0] = '\0';
	for (int c = 0; c < KP_IMPORT_NCOUNTERS; c++)
		if (c != KP_IMPORT_BYTES && kp_import_count(im, c))
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s=%llu", o ? " " : "", kp_import_counter_name(c),
					      (unsigned long long)kp_import_count(im, c));
	return buf;
}

static void test_names(void)
{
	static const char *const names[] = {"auto", "txt", "lines", "paragraphs", "csv", "tsv", "jsonl", "warc"};
	for (int f = 0; f < 8; f++) {
		CHECK_INT(kp_format_parse(names[f]), f);
		CHECK(strcmp(kp_format_name(f), names[f]) == 0);
	}
	CHECK_INT(kp_format_parse("wet"), KP_FORMAT_WARC);
	CHECK_INT(kp_format_parse("text"), KP_FORMAT_PARAGRAPHS); /* korpus split's text format */
	CHECK_INT(kp_format_parse("xml"), -1);
	CHECK_INT(kp_format_parse("CSV"), -1);
	CHECK(strcmp(kp_format_name(-1), "?") == 0);
	CHECK(strcmp(kp_format_name(8), "?") == 0);
	CHECK(strcmp(kp_import_counter_name(KP_IMPORT_SKIP_NOFIELD), "no_text_field") == 0);
	CHECK(strcmp(kp_import_counter_name(KP_IMPORT_SKIP_TOOLONG), "too_long") == 0);
	CHECK(strcmp(kp_import_counter_name(KP_IMPORT_UNDATED), "undated") == 0);
	CHECK(strcmp(kp_import_counter_name(KP_IMPORT_NCOUNTERS), "?") == 0);
	CHECK(strcmp(kp_import_counter_name(-1), "?") == 0);
	static const char *const roles[] = {"text", "id", "title", "source", "created", "url"};
	for (int r = 0; r < KP_IMPORT_NFIELDS; r++)
		CHECK(strcmp(kp_import_field_name(r), roles[r]) == 0);
	CHECK(strcmp(kp_import_field_name(KP_IMPORT_NFIELDS), "?") == 0);
}

static void test_setup_errors(void)
{
	kp_import *im = kp_import_new(0);
	const char *line;
	size_t len;
	CHECK_INT(kp_import_next(im, &line, &len), KP_ESTATE); /* nothing open */
	WRITE("a.jsonl", "{\"text\":\"a\"}\n");
	CHECK_INT(kp_import_open(im, "a.jsonl"), KP_EINVAL); /* "added" is required */
	CHECK(strstr(kp_import_errmsg(im), "added") != NULL);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_NFIELDS, "x"), KP_EINVAL);
	CHECK_INT(kp_import_set_field(im, -1, "x"), KP_EINVAL);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, ""), KP_EINVAL);
	CHECK(strstr(kp_import_errmsg(im), "text") != NULL);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, NULL), 0);
	CHECK_INT(kp_import_set_encoding(im, "bukan-charset"), KP_EINVAL);
	CHECK(strstr(kp_import_errmsg(im), "unknown encoding 'bukan-charset'") != NULL);
	CHECK_INT(kp_import_set_encoding(im, "UTF-16LE"), KP_EINVAL); /* '\n' is not a byte of its own */
	CHECK(strstr(kp_import_errmsg(im), "not ASCII-compatible") != NULL);
	CHECK_INT(kp_import_set_encoding(im, "UTF-8"), 0);
	CHECK_INT(kp_import_set_encoding(im, "latin1"), 0);
	CHECK_INT(kp_import_set_encoding(im, NULL), 0);
	CHECK_INT(kp_import_set_added(im, ADDED, 0), 0);
	CHECK_INT(kp_import_open(im, "tidak-ada.jsonl"), KP_EIO);
	CHECK(strstr(kp_import_errmsg(im), "cannot open 'tidak-ada.jsonl'") != NULL);
	/* and the handle still works */
	EXPECT_IMPORT(im, "a.jsonl", "{'text':'a','id':'a:1','source':'a','added':'" ADDED "'}\n");
	CHECK_INT(kp_import_format(im), KP_FORMAT_JSONL);
	CHECK(strcmp(kp_import_file(im), "a.jsonl") == 0);
	kp_import_free(im);
	kp_import_free(NULL);
}

/* ---- JSONL -------------------------------------------------------------------------- */

/* An export with the usual names: isi/body/text, judul/title, link/url,
 * tanggal/published_at; and the lines that give no document. */
static void test_jsonl_usual(void)
{
	WRITE("export.jsonl",
	      "{\"judul\":\"Harga Cabai Naik\",\"isi\":\"Harga cabai rawit naik.\",\"link\":\"https://kompas.com/a\","
	      "\"tanggal\":\"Rabu, 4 Juni 2025 10:15 WIB\",\"kategori\":\"ekonomi\"}\n"
	      "\n"
	      "{\"id\":77,\"body\":\"Banjir melanda.\",\"title\":\"Banjir\",\"url\":\"https://x/b\","
	      "\"published_at\":\"2025-06-05\",\"source\":\"detik\",\"metadata\":{\"lang\":\"id\"}}\n"
	      "{\"text\":\"Sudah rapi.\",\"id\":\"d1\",\"source\":\"antara\",\"created\":\"2025-01-01\",\"added\":\"2020-01-01T00:00:00Z\"}\n"
	      "{\"isi\":\" \\n \"}\n"
	      "{\"judul\":\"tanpa isi\",\"kategori\":\"x\"}\n"
	      "bukan json\n"
	      "{\"text\":5}\n"
	      "{\"text\":\"rusak \xff ok\"}\n"
	      "{\"isi\":\"x\",\"tanggal\":\"bukan tanggal\"}\n"
	      "{\"isi\":\"y\",\"tanggal\":43747}\n");
	kp_import *im = importer(0);
	EXPECT_IMPORT(im, "export.jsonl",
		      /* isi -> text, judul -> title, link -> url, tanggal -> created (and kept) */
		      "{'id':'export:1','text':'Harga cabai rawit naik.','source':'export','added':'" ADDED "',"
		      "'created':'2025-06-04T10:15:00+07:00','metadata':{'title':'Harga Cabai Naik','url':'https://kompas.com/a',"
		      "'tanggal':'Rabu, 4 Juni 2025 10:15 WIB','kategori':'ekonomi'}}\n"
		      /* a number id stays a number; the record's source; its metadata first */
		      "{'id':77,'text':'Banjir melanda.','source':'detik','added':'" ADDED "','created':'2025-06-05',"
		      "'metadata':{'lang':'id','title':'Banjir','url':'https://x/b','published_at':'2025-06-05'}}\n"
		      /* a document already: unchanged, its own added kept */
		      "{'text':'Sudah rapi.','id':'d1','source':'antara','created':'2025-01-01','added':'2020-01-01T00:00:00Z'}\n"
		      "skip {'id':'export:5','reason':'empty','file':'export.jsonl','line':5}\n"
		      "skip {'id':'export:6','reason':'no_text_field','file':'export.jsonl','line':6}\n"
		      "error -7 at 7: invalid JSON at column 1: expected a JSON object, found 'b'\n"
		      "error -8 at 8: \"text\" is not a string\n"
		      "{'text':'rusak \xef\xbf\xbd ok','id':'export:9','source':'export','added':'" ADDED "','metadata':{'invalid_utf8':1}}\n"
		      "{'id':'export:10','text':'x','source':'export','added':'" ADDED "','metadata':{'tanggal':'bukan tanggal'}}\n"
		      /* a spreadsheet serial day */
		      "{'id':'export:11','text':'y','source':'export','added':'" ADDED "','created':'2019-10-09','metadata':{'tanggal':43747}}\n");
	CHECK(strcmp(counts(im), "read=9 written=6 empty=1 no_text_field=1 repaired=1 repairs=1 files=1 dated=3 undated=1") == 0);
	struct stat st;
	CHECK(stat("export.jsonl", &st) == 0 && kp_import_count(im, KP_IMPORT_BYTES) == (uint64_t)st.st_size);
	CHECK(kp_import_bytes_in(im) == (uint64_t)st.st_size);
	CHECK(kp_import_seen_fields(im) && strcmp(kp_import_seen_fields(im), "judul, kategori") == 0);
	CHECK(kp_import_undated_example(im) && strcmp(kp_import_undated_example(im), "bukan tanggal") == 0);
	size_t bl;
	const char *bad = kp_import_bad_line(im, &bl); /* the last JSONL line in error */
	CHECK_MEM(bad, bl, "{\"text\":5}");
	kp_import_free(im);

	/* the counters of a fresh handle start at zero; nothing seen yet */
	im = importer(0);
	CHECK(strcmp(counts(im), "") == 0);
	CHECK(kp_import_seen_fields(im) == NULL);
	CHECK(kp_import_undated_example(im) == NULL);
	kp_import_free(im);
}

/* Every part named, a list of metadata fields, and forced source and added. */
static void test_jsonl_named(void)
{
	WRITE("named.jsonl",
	      "{\"no\":\"A-1\",\"konten_artikel\":\"Isi berita satu.\",\"headline_utama\":\"Judul Satu\",\"alamat\":\"https://a/1\","
	      "\"waktu_terbit\":\"04/06/2025\",\"media\":\"tempo\",\"penulis\":\"Budi\",\"isi\":\"bukan ini\",\"kategori\":\"x\"}\n"
	      "{\"no\":12,\"konten_artikel\":\"Isi dua.\",\"text\":\"bukan\"}\n"
	      "{\"konten_artikel\":\"Tiga.\"}\n"
	      "{\"isi\":\"tanpa konten_artikel\"}\n");
	kp_import *im = importer(0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, "konten_artikel"), 0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_ID, "no"), 0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TITLE, "headline_utama"), 0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_URL, "alamat"), 0);
	CHECK_INT(kp_import_set_created_field(im, "waktu_terbit"), 0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_SOURCE, "media"), 0);
	CHECK_INT(kp_import_set_metadata_fields(im, "penulis"), 0);
	EXPECT_IMPORT(im, "named.jsonl",
		      /* only the listed fields and the title, url and date in metadata */
		      "{'id':'A-1','text':'Isi berita satu.','source':'tempo','added':'" ADDED "','created':'2025-06-04',"
		      "'metadata':{'title':'Judul Satu','url':'https://a/1','waktu_terbit':'04/06/2025','penulis':'Budi'}}\n"
		      "{'id':12,'text':'Isi dua.','source':'named','added':'" ADDED "'}\n"
		      "{'id':'named:3','text':'Tiga.','source':'named','added':'" ADDED "'}\n"
		      "skip {'id':'named:4','reason':'no_text_field','file':'named.jsonl','line':4}\n");
	CHECK(strcmp(counts(im), "read=4 written=3 no_text_field=1 files=1 dated=1") == 0);
	kp_import_free(im);

	WRITE("forced.jsonl", "{\"text\":\"a\",\"source\":\"antara\",\"added\":\"2020-01-01T00:00:00Z\"}\n"
			      "{\"isi\":\"b\",\"site\":\"kompas\"}\n"
			      "{\"isi\":\"c\",\"site\":\"kompas\"}\n");
	im = importer(0);
	/* not forced: the record's source and added, or its site */
	EXPECT_IMPORT(im, "forced.jsonl",
		      "{'text':'a','source':'antara','added':'2020-01-01T00:00:00Z','id':'forced:1'}\n"
		      "{'id':'forced:2','text':'b','source':'kompas','added':'" ADDED "'}\n"
		      "{'id':'forced:3','text':'c','source':'kompas','added':'" ADDED "'}\n");
	CHECK_INT(kp_import_set_added(im, ADDED, 1), 0);
	CHECK_INT(kp_import_set_source(im, "korpus", 1), 0);
	EXPECT_IMPORT(im, "forced.jsonl",
		      "{'text':'a','source':'korpus','added':'" ADDED "','id':'forced:1'}\n"
		      "{'id':'forced:2','text':'b','source':'korpus','added':'" ADDED "','metadata':{'site':'kompas'}}\n"
		      "{'id':'forced:3','text':'c','source':'korpus','added':'" ADDED "','metadata':{'site':'kompas'}}\n");
	kp_import_free(im);
}

/* A line over the cap: an error at its line, or skipped and counted. */
static void test_jsonl_long_lines(void)
{
	WRITE("panjang.jsonl", "{\"text\":\"pendek\"}\n"
			       "{\"text\":\"panjang sekali sekali sekali sekali sekali\"}\n"
			       "{\"text\":\"lagi\"}\n");
	kp_import *im = importer(40);
	EXPECT_IMPORT(im, "panjang.jsonl",
		      "{'text':'pendek','id':'panjang:1','source':'panjang','added':'" ADDED "'}\n"
		      "error -5 at 2: line longer than the limit of 40 bytes (see --max-line)\n");
	kp_import_set_skip_long(im, 1);
	EXPECT_IMPORT(im, "panjang.jsonl",
		      "{'text':'pendek','id':'panjang:1','source':'panjang','added':'" ADDED "'}\n"
		      "skip {'id':'panjang:2','reason':'too_long','file':'panjang.jsonl','line':2}\n"
		      "{'text':'lagi','id':'panjang:3','source':'panjang','added':'" ADDED "'}\n");
	kp_import_free(im);

	/* strict: invalid UTF-8 is an error with its column, and the next line
	 * is read */
	WRITE("strict.jsonl", "{\"text\":\"satu \xff\"}\n{\"text\":\"dua\"}\n");
	im = importer(0);
	CHECK_INT(kp_import_set_strict(im, 1), 0);
	EXPECT_IMPORT(im, "strict.jsonl",
		      "error -9 at 1: invalid UTF-8 at column 15 (byte 0xff)\n"
		      "{'text':'dua','id':'strict:2','source':'strict','added':'" ADDED "'}\n");
	size_t bl;
	const char *bad = kp_import_bad_line(im, &bl);
	CHECK_MEM(bad, bl, "{\"text\":\"satu \xff\"}");
	kp_import_free(im);
}

/* ---- CSV and TSV -------------------------------------------------------------------- */

static void test_csv(void)
{
	/* columns found by their usual names in any case; a quoted text with
	 * CRLF, commas and doubled quotes; a row's own source */
	WRITE("berita.csv", "No,Judul,Isi,Tanggal,Link,Penulis,Sumber\r\n"
			    "1,Harga Cabai,\"Harga cabai naik, kata pedagang.\r\n\r\nPembeli \"\"kaget\"\".\",Rabu 4/6/2025,"
			    "https://kompas.com/a,Budi,kompas\r\n"
			    "2,Kosong,  ,,https://x/2,Ani,\r\n"
			    "3,Banjir,Banjir melanda.,kemarin,https://x/3,,\r\n"
			    "4,Kurang,\r\n"
			    "5,Tidak,Terbaca.,,,,\r\n");
	kp_import *im = importer(0);
	EXPECT_IMPORT(im, "berita.csv",
		      "{'id':'berita:1','text':'Harga cabai naik, kata pedagang.\\r\\n\\r\\nPembeli \\'kaget\\'.','source':'kompas',"
		      "'added':'" ADDED "','created':'2025-06-04','metadata':{'No':'1','title':'Harga Cabai','Tanggal':'Rabu 4/6/2025',"
		      "'url':'https://kompas.com/a','Penulis':'Budi'}}\n"
		      "skip {'id':'berita:2','reason':'empty','file':'berita.csv','line':5}\n"
		      "{'id':'berita:3','text':'Banjir melanda.','source':'berita','added':'" ADDED "',"
		      "'metadata':{'No':'3','title':'Banjir','Tanggal':'kemarin','url':'https://x/3','Penulis':''}}\n"
		      /* a short record: an error at its line, which ends the input */
		      "error -10 at 7: record 4 has 3 fields, the header has 7\n");
	CHECK(strcmp(counts(im), "read=3 written=2 empty=1 files=1 dated=1 undated=1") == 0);
	CHECK_INT(kp_import_format(im), KP_FORMAT_CSV);

	/* named columns (matched ignoring case); a column of two parts serves
	 * the first; the metadata list in its order, then the date */
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, "judul"), 0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_ID, "LINK"), 0);
	CHECK_INT(kp_import_set_metadata_fields(im, "penulis,No"), 0);
	EXPECT_IMPORT(im, "berita.csv",
		      "{'id':'https://kompas.com/a','text':'Harga Cabai','source':'kompas','added':'" ADDED "','created':'2025-06-04',"
		      "'metadata':{'Penulis':'Budi','No':'1','Tanggal':'Rabu 4/6/2025'}}\n"
		      "{'id':'https://x/2','text':'Kosong','source':'berita','added':'" ADDED "',"
		      "'metadata':{'Penulis':'Ani','No':'2','Tanggal':''}}\n"
		      "{'id':'https://x/3','text':'Banjir','source':'berita','added':'" ADDED "',"
		      "'metadata':{'Penulis':'','No':'3','Tanggal':'kemarin'}}\n"
		      "error -10 at 7: record 4 has 3 fields, the header has 7\n");
	/* a forced source wins over the column, which then is metadata */
	CHECK_INT(kp_import_set_columns(im, NULL, NULL, NULL), 0);
	CHECK_INT(kp_import_set_source(im, "korpus", 1), 0);
	CHECK_INT(kp_import_set_metadata_fields(im, "sumber"), 0);
	WRITE("dua.csv", "isi,sumber\nSatu.,kompas\n");
	EXPECT_IMPORT(im, "dua.csv",
		      "{'id':'dua:1','text':'Satu.','source':'korpus','added':'" ADDED "','metadata':{'sumber':'kompas'}}\n");
	kp_import_free(im);

	/* columns that are not there */
	im = importer(0);
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, "artikel_lengkap"), 0);
	EXPECT_IMPORT(im, "berita.csv",
		      "error -10 at 1: no column 'artikel_lengkap' in the header (No, Judul, Isi, Tanggal, Link, Penulis, Sumber)\n");
	CHECK_INT(kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, NULL), 0);
	CHECK_INT(kp_import_set_metadata_fields(im, "penulis,nope"), 0);
	EXPECT_IMPORT(im, "berita.csv", "error -10 at 1: no column 'nope' in the header\n");
	kp_import_free(im);
	im = importer(0);
	WRITE("notext.csv", "id,judul\n1,a\n");
	EXPECT_IMPORT(im, "notext.csv", "error -10 at 1: no text column in the header (id, judul); name it with --text-field\n");

	/* broken quoting, at the line where the quote opened */
	WRITE("rusak.csv", "id,text\n1,\"tidak pernah ditutup\n2,x\n");
	EXPECT_IMPORT(im, "rusak.csv", "error -10 at 2: unterminated quoted field: no closing '\"' before the end of input\n");
	/* empty, and a header alone: no document, no error */
	WRITE("kosong.csv", "");
	EXPECT_IMPORT(im, "kosong.csv", "");
	CHECK_INT(kp_import_format(im), KP_FORMAT_CSV); /* by its name */
	WRITE("header.csv", "id,isi\n");
	EXPECT_IMPORT(im, "header.csv", "");
	kp_import_free(im);

	/* TSV, detected from its header, and forced on a .txt */
	im = importer(0);
	WRITE("berita.tsv", "judul\tisi\tsumber\nA, B\tIsi \"kutip\" satu\tdetik\n");
	EXPECT_IMPORT(im, "berita.tsv",
		      "{'id':'berita:1','text':'Isi \\'kutip\\' satu','source':'detik','added':'" ADDED "','metadata':{'title':'A, B'}}\n");
	CHECK_INT(kp_import_format(im), KP_FORMAT_TSV);
	WRITE("tabel.txt", "judul\tisi\nA\tB\n");
	kp_import_set_format(im, KP_FORMAT_TSV);
	EXPECT_IMPORT(im, "tabel.txt", "{'id':'tabel:1','text':'B','source':'tabel','added':'" ADDED "','metadata':{'title':'A'}}\n");
	kp_import_set_format(im, KP_FORMAT_AUTO); /* by its content, whatever its name */
	EXPECT_IMPORT(im, "tabel.txt", "{'id':'tabel:1','text':'B','source':'tabel','added':'" ADDED "','metadata':{'title':'A'}}\n");
	CHECK_INT(kp_import_format(im), KP_FORMAT_TSV);
	WRITE("koma.txt", "Jakarta, Senin - Harga cabai naik.\nDua, tiga.\n"); /* commas, no header: text */
	EXPECT_IMPORT(im, "koma.txt",
		      "{'id':'koma','text':'Jakarta, Senin - Harga cabai naik.\\nDua, tiga.\\n','source':'koma','added':'" ADDED
		      "','metadata':{'path':'koma.txt'}}\n");
	CHECK_INT(kp_import_format(im), KP_FORMAT_TXT);
	kp_import_free(im);

	/* Windows-1252: repaired as UTF-8, converted when declared, an error
	 * when strict */
	WRITE("cp1252.csv", "id,isi\nk1,Kafe \x93Sinar\x94 caf\xe9\n");
	im = importer(0);
	EXPECT_IMPORT(im, "cp1252.csv",
		      "{'id':'k1','text':'Kafe \xef\xbf\xbdSinar\xef\xbf\xbd caf\xef\xbf\xbd','source':'cp1252','added':'" ADDED
		      "','metadata':{'invalid_utf8':3}}\n");
	CHECK_INT(kp_import_count(im, KP_IMPORT_REPAIRED), 1);
	CHECK_INT(kp_import_count(im, KP_IMPORT_REPAIRS), 3);
	CHECK_INT(kp_import_set_encoding(im, "windows-1252"), 0);
	EXPECT_IMPORT(im, "cp1252.csv",
		      "{'id':'k1','text':'Kafe \xe2\x80\x9cSinar\xe2\x80\x9d caf\xc3\xa9','source':'cp1252','added':'" ADDED "'}\n");
	CHECK_INT(kp_import_set_encoding(im, NULL), 0);
	CHECK_INT(kp_import_set_strict(im, 1), 0);
	EXPECT_IMPORT(im, "cp1252.csv", "error -9 at 2: invalid UTF-8 (byte 0x93); without --strict it is replaced by U+FFFD\n");
	kp_import_free(im);
}

/* ---- lines, paragraphs, txt, folders -------------------------------------------------- */

static void test_text_formats(void)
{
	kp_import *im = importer(0);
	WRITE("baris.txt", "Harga cabai naik.\r\n\n  \nBanjir di Jakarta.\nrusak \xff\n");
	kp_import_set_format(im, KP_FORMAT_LINES);
	EXPECT_IMPORT(im, "baris.txt",
		      "{'id':'baris:1','text':'Harga cabai naik.','source':'baris','added':'" ADDED "','metadata':{'path':'baris.txt','line':1}}\n"
		      "skip {'id':'baris:2','reason':'empty','file':'baris.txt','line':2}\n"
		      "skip {'id':'baris:3','reason':'empty','file':'baris.txt','line':3}\n"
		      "{'id':'baris:4','text':'Banjir di Jakarta.','source':'baris','added':'" ADDED "','metadata':{'path':'baris.txt','line':4}}\n"
		      "{'id':'baris:5','text':'rusak \xef\xbf\xbd','source':'baris','added':'" ADDED
		      "','metadata':{'path':'baris.txt','line':5,'invalid_utf8':1}}\n");
	CHECK(strcmp(counts(im), "read=5 written=3 empty=2 repaired=1 repairs=1 files=1") == 0);

	/* paragraphs: runs of lines, at the line they start */
	WRITE("para.txt", "\n\nParagraf satu\r\nbaris dua.\n\n\n  \nParagraf dua.\nbaris \xff tiga\n");
	kp_import_set_format(im, KP_FORMAT_PARAGRAPHS);
	EXPECT_IMPORT(im, "para.txt",
		      "{'id':'para:3','text':'Paragraf satu\\nbaris dua.','source':'para','added':'" ADDED "','metadata':{'path':'para.txt','line':3}}\n"
		      "{'id':'para:8','text':'Paragraf dua.\\nbaris \xef\xbf\xbd tiga','source':'para','added':'" ADDED
		      "','metadata':{'path':'para.txt','line':8,'invalid_utf8':1}}\n");
	/* strict: the line of the bad byte inside the paragraph */
	CHECK_INT(kp_import_set_strict(im, 1), 0);
	EXPECT_IMPORT(im, "para.txt",
		      "{'id':'para:3','text':'Paragraf satu\\nbaris dua.','source':'para','added':'" ADDED "','metadata':{'path':'para.txt','line':3}}\n"
		      "error -9 at 9: invalid UTF-8 (byte 0xff); without --strict it is replaced by U+FFFD\n");
	kp_import_set_format(im, KP_FORMAT_LINES);
	WRITE("s.txt", "satu\ndua \xff\ntiga\n");
	EXPECT_IMPORT(im, "s.txt",
		      "{'id':'s:1','text':'satu','source':'s','added':'" ADDED "','metadata':{'path':'s.txt','line':1}}\n"
		      "error -9 at 2: invalid UTF-8 (byte 0xff); without --strict it is replaced by U+FFFD\n"
		      "{'id':'s:3','text':'tiga','source':'s','added':'" ADDED "','metadata':{'path':'s.txt','line':3}}\n");
	CHECK_INT(kp_import_set_strict(im, 0), 0);

	/* txt: the file's bytes exactly; a file of spaces is empty */
	kp_import_set_format(im, KP_FORMAT_AUTO);
	WRITE("artikel.txt", "JAKARTA - Harga cabai naik.\n\nBaca juga: x\n");
	EXPECT_IMPORT(im, "artikel.txt",
		      "{'id':'artikel','text':'JAKARTA - Harga cabai naik.\\n\\nBaca juga: x\\n','source':'artikel','added':'" ADDED
		      "','metadata':{'path':'artikel.txt'}}\n");
	CHECK_INT(kp_import_format(im), KP_FORMAT_TXT);
	WRITE("kosong.txt", " \n\t\n");
	EXPECT_IMPORT(im, "kosong.txt", "skip {'id':'kosong','reason':'empty','file':'kosong.txt','line':1}\n");
	kp_import_free(im);

	/* a txt file over the cap is skipped, not read to its end */
	im = importer(32768);
	size_t bigsz = 100000;
	char *big = malloc(bigsz);
	if (!big)
		abort();
	for (size_t i = 0; i < bigsz; i++)
		big[i] = i % 80 == 79 ? '\n' : 'a';
	write_bytes("besar.txt", big, bigsz);
	write_bytes("pas.txt", big, 32768); /* at the cap: kept */
	EXPECT_IMPORT(im, "besar.txt", "skip {'id':'besar','reason':'too_long','file':'besar.txt','line':1}\n");
	/* ... which may never come */
	EXPECT_IMPORT(im, "/dev/zero", "skip {'id':'zero','reason':'too_long','file':'/dev/zero','line':1}\n");
	const char *line;
	size_t len;
	CHECK_INT(kp_import_open(im, "pas.txt"), 0);
	CHECK_INT(kp_import_next(im, &line, &len), KP_IMPORT_DOC);
	CHECK(len > 32768 && strstr(line, "\"id\":\"pas\"") != NULL);
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	kp_import_free(im);

	/* a cap under 20 KiB (--max-line 10K): a short file is read, not
	 * refused as "out of memory"; one at the cap is kept, one past it
	 * skipped as too long */
	im = importer(10240);
	WRITE("pendek.txt", "Berita pendek.\n");
	EXPECT_IMPORT(im, "pendek.txt",
		      "{'id':'pendek','text':'Berita pendek.\\n','source':'pendek','added':'" ADDED
		      "','metadata':{'path':'pendek.txt'}}\n");
	write_bytes("pas10k.txt", big, 10240);
	CHECK_INT(kp_import_open(im, "pas10k.txt"), 0);
	int rc = kp_import_next(im, &line, &len);
	CHECK_INT(rc, KP_IMPORT_DOC);
	CHECK(rc == KP_IMPORT_DOC && len > 10240 && strstr(line, "\"id\":\"pas10k\"") != NULL);
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	write_bytes("lebih10k.txt", big, 10241);
	EXPECT_IMPORT(im, "lebih10k.txt", "skip {'id':'lebih10k','reason':'too_long','file':'lebih10k.txt','line':1}\n");
	EXPECT_IMPORT(im, "besar.txt", "skip {'id':'besar','reason':'too_long','file':'besar.txt','line':1}\n");
	EXPECT_IMPORT(im, "/dev/zero", "skip {'id':'zero','reason':'too_long','file':'/dev/zero','line':1}\n");
	free(big);
	kp_import_free(im);
}

static void test_folder(void)
{
	if (mkdir("situs", 0700) || mkdir("situs/kompas", 0700) || mkdir("situs/detik", 0700) || mkdir("situs/detik/2025", 0700))
		abort();
	WRITE("situs/kompas/b.txt", "Berita B.\n");
	WRITE("situs/kompas/a.txt", "Berita A.\n");
	WRITE("situs/kompas/.tersembunyi.txt", "tidak\n");
	WRITE("situs/kompas/catatan.md", "tidak\n");
	WRITE("situs/detik/2025/c.txt", "Berita C.\n");
	WRITE("situs/detik/d.csv", "id,isi\nd1,Berita D.\n");
	WRITE("situs/e.jsonl", "{\"isi\":\"Berita E.\"}\n");
	kp_import *im = importer(0);
	/* byte order of names, depth first; each file as its name says; the
	 * source is the sub-folder, the ids the relative paths */
	EXPECT_IMPORT(im, "situs",
		      "{'id':'detik/2025/c','text':'Berita C.\\n','source':'detik','added':'" ADDED "','metadata':{'path':'detik/2025/c.txt'}}\n"
		      "{'id':'d1','text':'Berita D.','source':'detik','added':'" ADDED "'}\n"
		      "{'id':'e:1','text':'Berita E.','source':'situs','added':'" ADDED "'}\n"
		      "{'id':'kompas/a','text':'Berita A.\\n','source':'kompas','added':'" ADDED "','metadata':{'path':'kompas/a.txt'}}\n"
		      "{'id':'kompas/b','text':'Berita B.\\n','source':'kompas','added':'" ADDED "','metadata':{'path':'kompas/b.txt'}}\n");
	CHECK_INT(kp_import_count(im, KP_IMPORT_FILES), 5);
	/* one format: only its files */
	kp_import_set_format(im, KP_FORMAT_CSV);
	EXPECT_IMPORT(im, "situs/", "{'id':'d1','text':'Berita D.','source':'detik','added':'" ADDED "'}\n");
	/* a source given: for every file */
	kp_import_set_format(im, KP_FORMAT_TXT);
	CHECK_INT(kp_import_set_source(im, "semua", 0), 0);
	EXPECT_IMPORT(im, "situs/kompas",
		      "{'id':'a','text':'Berita A.\\n','source':'semua','added':'" ADDED "','metadata':{'path':'a.txt'}}\n"
		      "{'id':'b','text':'Berita B.\\n','source':'semua','added':'" ADDED "','metadata':{'path':'b.txt'}}\n");
	kp_import_free(im);

	/* a link back up is walked once */
	if (symlink("..", "situs/detik/naik") != 0)
		abort();
	im = importer(0);
	kp_import_set_format(im, KP_FORMAT_TXT);
	char out[8192];
	transcript(im, "situs", out, sizeof out);
	size_t docs = 0;
	for (const char *q = out; (q = strchr(q, '\n')); q++)
		docs++;
	CHECK_INT(docs, 3);
	CHECK_INT(kp_import_count(im, KP_IMPORT_FOLDERS_AGAIN), 1);
	kp_import_free(im);
}

/* ---- WARC ------------------------------------------------------------------------------ */

static size_t warc_record(char *out, size_t size, const char *headers, const char *block)
{
	return (size_t)snprintf(out, size, "WARC/1.0\r\n%sContent-Length: %zu\r\n\r\n%s\r\n\r\n", headers, strlen(block), block);
}

/* The transcript of the records of test_warc from file, whose records
 * start at line[]. */
static const char *warc_expected(const char *file, const unsigned line[])
{
	static char buf[4096];
	snprintf(buf, sizeof buf,
		 /* a WET record: its date and address; its Content-Type ignored */
		 "{'id':'urn:uuid:1','text':'Jakarta (ANTARA) - Caf\xc3\xa9 baru.','source':'contoh','added':'" ADDED "',"
		 "'created':'2025-06-10T08:15:00Z','metadata':{'url':'https://www.antaranews.com/1','language':'ind'}}\n"
		 "skip {'id':'urn:uuid:2','reason':'html','file':'%s','line':%u}\n"
		 /* plain text in its declared charset, converted */
		 "{'id':'urn:uuid:3','text':'Kafe \xe2\x80\x9cSinar\xe2\x80\x9d','source':'contoh','added':'" ADDED "',"
		 "'metadata':{'language':'msa,ind'}}\n"
		 "skip {'id':'urn:uuid:4','reason':'not_text','file':'%s','line':%u}\n"
		 "skip {'id':'urn:uuid:5','reason':'not_text','file':'%s','line':%u}\n"
		 /* no record id: the id of its line */
		 "skip {'id':'contoh:%u','reason':'empty','file':'%s','line':%u}\n"
		 "{'id':'urn:uuid:9','text':'Resource teks.','source':'contoh','added':'" ADDED "','metadata':{'language':'ind'}}\n",
		 file, line[2], file, line[4], file, line[5], line[6], file, line[6]);
	return buf;
}

static void test_warc(void)
{
	static const char *const recs[][2] = {
		{"WARC-Type: warcinfo\r\n", "software: korpus\r\n"},
		{"WARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2025-06-10T08:15:00Z\r\n"
		 "WARC-Target-URI: https://www.antaranews.com/1\r\nWARC-Identified-Content-Language: ind\r\n"
		 "Content-Type: text/plain; charset=windows-1252\r\n", /* WET is UTF-8 whatever it says */
		 "Jakarta (ANTARA) - Caf\xc3\xa9 baru."},
		{"WARC-Type: response\r\nWARC-Record-ID: <urn:uuid:2>\r\nWARC-Identified-Content-Language: ind\r\n",
		 "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>berita</p>\n"},
		{"WARC-Type: response\r\nWARC-Record-ID: <urn:uuid:3>\r\nWARC-Identified-Content-Language: msa,ind\r\n",
		 "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nKafe \x93Sinar\x94"},
		{"WARC-Type: response\r\nWARC-Record-ID: <urn:uuid:4>\r\n", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"},
		{"WARC-Type: response\r\nWARC-Record-ID: <urn:uuid:5>\r\n", "HTTP/1.1 200 OK\r\nno blank line"},
		{"WARC-Type: resource\r\nWARC-Identified-Content-Language: ind\r\n", " \n \n "},
		{"WARC-Type: request\r\n", "GET / HTTP/1.1\r\n\r\n"},
		{"WARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:9>\r\nWARC-Identified-Content-Language: ind\r\n", "Resource teks."},
	};
	char file[8192];
	size_t n = 0, starts[16];
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		starts[i] = n;
		n += warc_record(file + n, sizeof file - n, recs[i][0], recs[i][1]);
	}
	write_bytes("contoh.warc", file, n);
	/* the lines are counted from the file, not written by hand */
	unsigned line[16];
	for (size_t r = 0, i = 0, l = 1; r < sizeof recs / sizeof recs[0]; r++) {
		for (; i < starts[r]; i++)
			l += file[i] == '\n';
		line[r] = (unsigned)l;
	}
	kp_import *im = importer(0);
	EXPECT_IMPORT(im, "contoh.warc", warc_expected("contoh.warc", line));
	CHECK_INT(kp_import_format(im), KP_FORMAT_WARC);
	CHECK(strcmp(counts(im), "read=7 written=3 empty=1 html=1 not_text=2 other_records=2 files=1") == 0);

	/* the same records gzipped, one member each */
	char gz[8192];
	size_t gn = 0;
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		size_t end = i + 1 < sizeof recs / sizeof recs[0] ? starts[i + 1] : n;
		uLongf room = (uLongf)(sizeof gz - gn);
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		zs.next_in = (Bytef *)(uintptr_t)(file + starts[i]);
		zs.avail_in = (uInt)(end - starts[i]);
		zs.next_out = (Bytef *)(gz + gn);
		zs.avail_out = (uInt)room;
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
			abort();
		gn += room - zs.avail_out;
		deflateEnd(&zs);
	}
	write_bytes("contoh.warc.gz", gz, gn);
	EXPECT_IMPORT(im, "contoh.warc.gz", warc_expected("contoh.warc.gz", line));
	CHECK(strcmp(counts(im), "read=14 written=6 empty=2 html=2 not_text=4 other_records=4 files=2") == 0);
	kp_import_free(im);

	/* --lang: the first language of the record must be listed (in any
	 * case); a record without one is not kept */
	im = importer(0);
	CHECK_INT(kp_import_set_langs(im, "IND,jav"), 0);
	char expected[4096];
	snprintf(expected, sizeof expected,
		 "{'id':'urn:uuid:1','text':'Jakarta (ANTARA) - Caf\xc3\xa9 baru.','source':'contoh','added':'" ADDED "',"
		 "'created':'2025-06-10T08:15:00Z','metadata':{'url':'https://www.antaranews.com/1','language':'ind'}}\n"
		 "skip {'id':'urn:uuid:2','reason':'html','file':'contoh.warc','line':%u}\n"
		 "skip {'id':'urn:uuid:3','reason':'language','file':'contoh.warc','line':%u}\n"
		 "skip {'id':'urn:uuid:4','reason':'language','file':'contoh.warc','line':%u}\n"
		 "skip {'id':'urn:uuid:5','reason':'language','file':'contoh.warc','line':%u}\n"
		 "skip {'id':'contoh:%u','reason':'empty','file':'contoh.warc','line':%u}\n"
		 "{'id':'urn:uuid:9','text':'Resource teks.','source':'contoh','added':'" ADDED "','metadata':{'language':'ind'}}\n",
		 line[2], line[3], line[4], line[5], line[6], line[6]);
	EXPECT_IMPORT(im, "contoh.warc", expected);
	kp_import_free(im);

	/* a truncated record: an error at its line, after the records before it */
	char cut[4096];
	size_t cn = warc_record(cut, sizeof cut, recs[1][0], recs[1][1]);
	cn += (size_t)snprintf(cut + cn, sizeof cut - cn, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 60\r\n\r\nterpotong\r\n");
	write_bytes("terpotong.wet", cut, cn);
	im = importer(0);
	EXPECT_IMPORT(im, "terpotong.wet",
		      "{'id':'urn:uuid:1','text':'Jakarta (ANTARA) - Caf\xc3\xa9 baru.','source':'terpotong','added':'" ADDED "',"
		      "'created':'2025-06-10T08:15:00Z','metadata':{'url':'https://www.antaranews.com/1','language':'ind'}}\n"
		      "error -10 at 12: truncated WARC record: Content-Length is 60 bytes, the input ends after 11\n");
	/* something else than WARC after a record */
	cn = warc_record(cut, sizeof cut, recs[8][0], recs[8][1]);
	cn += (size_t)snprintf(cut + cn, sizeof cut - cn, "<html>\n");
	write_bytes("asing.warc", cut, cn);
	EXPECT_IMPORT(im, "asing.warc",
		      "{'id':'urn:uuid:9','text':'Resource teks.','source':'asing','added':'" ADDED "','metadata':{'language':'ind'}}\n"
		      "error -10 at 9: expected a WARC record ('WARC/1.0'), found '<html>'\n");
	kp_import_free(im);
}

/* ---- the records of errors ------------------------------------------------------------- */

/* What korpus-import --skip-invalid --rejects writes for path: after each
 * error a caller may skip, kp_import_bad_line() and a newline ("-" when it
 * is empty); another error ends it ("error RC"). */
static const char *rejects(kp_import *im, const char *path)
{
	static char out[4096];
	size_t o = 0;
	const char *line;
	size_t len;
	out[0] = '\0';
	int rc = kp_import_open(im, path);
	while (rc >= 0 && (rc = kp_import_next(im, &line, &len)) != 0 && o < sizeof out) {
		if (rc == KP_EJSON || rc == KP_EDOC || rc == KP_EUTF8) {
			const char *bad = kp_import_bad_line(im, &len);
			o += (size_t)snprintf(out + o, sizeof out - o, "%.*s\n", len ? (int)len : 1, len ? bad : "-");
			rc = 0;
		} else if (rc < 0) {
			o += (size_t)snprintf(out + o, sizeof out - o, "error %d\n", rc);
		}
	}
	return out;
}

/* The bad line is the record of the error just returned, whatever the
 * format, never one of an earlier input. */
static void test_bad_lines(void)
{
	kp_import *im = importer(0);
	CHECK_INT(kp_import_set_strict(im, 1), 0);
	WRITE("a.jsonl", "{\"text\":\"x\"}\nbukan json\n{\"text\": 5}\n{\"text\":\"y\"}\n");
	CHECK(strcmp(rejects(im, "a.jsonl"), "bukan json\n{\"text\": 5}\n") == 0);
	/* txt: the file, after the JSONL one */
	WRITE("bad.txt", "satu \xff\ndua\n");
	CHECK(strcmp(rejects(im, "bad.txt"), "satu \xff\ndua\n") == 0);
	/* lines: the line; paragraphs: the paragraph */
	kp_import_set_format(im, KP_FORMAT_LINES);
	WRITE("baris.txt", "satu\ndua \xff\r\ntiga\nempat \xfe\n");
	CHECK(strcmp(rejects(im, "baris.txt"), "dua \xff\nempat \xfe\n") == 0);
	kp_import_set_format(im, KP_FORMAT_PARAGRAPHS);
	WRITE("para.txt", "Paragraf satu.\n\nbaris dua\nbaris \xff tiga\n\nParagraf tiga.\n");
	CHECK(strcmp(rejects(im, "para.txt"), "baris dua\nbaris \xff tiga\n") == 0);
	/* CSV/TSV: the record, written again (quoted where it must be) */
	kp_import_set_format(im, KP_FORMAT_AUTO);
	WRITE("berita.csv", "id,judul,text\n1,Baik,Teks baik.\n2,Rusak,Teks \xff rusak.\n"
			    "3,\"Judul, \"\"kutip\"\"\",\"Baris satu\nbaris \xfe\"\n4,\"Baik\",Lagi.\n");
	CHECK(strcmp(rejects(im, "berita.csv"),
		     "2,Rusak,Teks \xff rusak.\n3,\"Judul, \"\"kutip\"\"\",\"Baris satu\nbaris \xfe\"\n") == 0);
	WRITE("berita.tsv", "id\ttext\tsumber\n1\tTeks, baik.\tx \xff\n");
	CHECK(strcmp(rejects(im, "berita.tsv"), "1\tTeks, baik.\tx \xff\n") == 0);
	/* WARC: the record's text */
	char warc[1024];
	size_t wn = warc_record(warc, sizeof warc, "WARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:1>\r\n", "Teks \xff WET.\n");
	wn += warc_record(warc + wn, sizeof warc - wn, "WARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:2>\r\n", "Teks baik.");
	write_bytes("rusak.wet", warc, wn);
	CHECK(strcmp(rejects(im, "rusak.wet"), "Teks \xff WET.\n") == 0);
	kp_import_free(im);
}

/* ---- parts of a file (ranges) --------------------------------------------------------- */

/* The offsets where lines of s start (after the first, 0), and n; returns
 * how many. */
static size_t line_starts(const char *s, size_t n, uint64_t *at, size_t max)
{
	size_t k = 0;
	at[k++] = 0;
	for (size_t i = 0; i < n && k < max - 1; i++)
		if (s[i] == '\n' && i + 1 < n)
			at[k++] = i + 1;
	at[k++] = n;
	return k;
}

/* The whole of path against its parts [0, b), [b, c), [c, end3) for every
 * b <= c among the line starts at[] (the last one the size): the same
 * documents, skips and errors at the same lines, byte for byte, and
 * counters that add up (the files aside); each part numbered by counting
 * with an end inside its last line, and by the first line given. */
static void expect_split(kp_import *im, const char *path, const uint64_t *at, size_t nat, uint64_t end3)
{
	run whole = {0};
	run_import(im, path, 0, 0, 0, 0, &whole);
	for (size_t b = 0; b < nat; b++)
		for (size_t c = b; c < nat; c++) {
			run parts = {0}, given = {0};
			const size_t ix[4] = {0, b, c, nat - 1};
			for (int i = 0; i < 3; i++) {
				uint64_t start = at[ix[i]], end = i < 2 ? at[ix[i + 1]] : end3, inside = end;
				if (i < 2 && end > start && at[ix[i + 1] - 1] < end - 1)
					inside = end - 1; /* still after the start of the part's last line */
				run_import(im, path, 1, start, inside, 0, &parts);
				run_import(im, path, 1, start, end, ix[i] + 1, &given);
			}
			if (strcmp(parts.p ? parts.p : "", whole.p) != 0 || strcmp(given.p ? given.p : "", whole.p) != 0) {
				fprintf(stderr, "%s:%d: %s split at %llu, %llu gave\n%s-- and with the first lines given\n%s-- not\n%s--\n",
					__FILE__, __LINE__, path, (unsigned long long)at[b], (unsigned long long)at[c], parts.p,
					given.p, whole.p);
				test_failures++;
			}
			for (int k = 0; k < KP_IMPORT_NCOUNTERS; k++)
				if (k != KP_IMPORT_FILES && (parts.sums[k] != whole.sums[k] || given.sums[k] != whole.sums[k])) {
					fprintf(stderr, "%s:%d: %s split at %llu, %llu: %s %llu, %llu; whole %llu\n", __FILE__, __LINE__,
						path, (unsigned long long)at[b], (unsigned long long)at[c], kp_import_counter_name(k),
						(unsigned long long)parts.sums[k], (unsigned long long)given.sums[k],
						(unsigned long long)whole.sums[k]);
					test_failures++;
				}
			free(parts.p);
			free(given.p);
		}
	free(whole.p);
}

/* JSONL and lines files split at every pair of line starts. */
static void test_range_split(void)
{
	static const char jsonl[] = "\xEF\xBB\xBF{\"id\":\"k1\",\"text\":\"Harga cabai naik.\"}\n"
				    "{\"text\":\"Banjir di Kampung Melayu.\"}\n"
				    "\n"
				    "{\"text\":\"  \"}\n"
				    "bukan json\n"
				    "{\"id\":\"k6\",\"text\":\"Gempa di Cianjur.\"}\n"
				    "{\"body\":\"Isi berita tanpa id.\",\"judul\":\"J\"}\n"
				    "{\"judul\":\"tanpa teks\"}\n"
				    "{\"text\":\"Baris terakhir tanpa newline.\"}";
	WRITE("bagi.jsonl", jsonl);
	uint64_t at[32];
	size_t nat = line_starts(jsonl, sizeof jsonl - 1, at, 32);
	CHECK_INT(nat, 10);
	kp_import *im = importer(0);
	expect_split(im, "bagi.jsonl", at, nat, sizeof jsonl - 1);
	expect_split(im, "bagi.jsonl", at, nat, UINT64_MAX); /* the last part: an end past the file's */

	/* lines: the ids and metadata.line of the whole; a long line skipped */
	static const char lines[] = "Harga cabai naik.\r\n\n  \nBanjir di Jakarta sekali lagi hari ini.\nrusak \xff\nakhir\n";
	WRITE("bagi.txt", lines);
	nat = line_starts(lines, sizeof lines - 1, at, 32);
	kp_import_free(im);
	im = importer(30);
	kp_import_set_skip_long(im, 1);
	kp_import_set_format(im, KP_FORMAT_LINES);
	expect_split(im, "bagi.txt", at, nat, sizeof lines - 1);
	/* the whole and one part, to see them */
	kp_import_free(im);
	im = importer(30);
	kp_import_set_skip_long(im, 1);
	kp_import_set_format(im, KP_FORMAT_LINES);
	EXPECT_IMPORT(im, "bagi.txt", "{'id':'bagi:1','text':'Harga cabai naik.','source':'bagi','added':'" ADDED
				      "','metadata':{'path':'bagi.txt','line':1}}\n"
				      "skip {'id':'bagi:2','reason':'empty','file':'bagi.txt','line':2}\n"
				      "skip {'id':'bagi:3','reason':'empty','file':'bagi.txt','line':3}\n"
				      "skip {'id':'bagi:4','reason':'too_long','file':'bagi.txt','line':4}\n"
				      "{'id':'bagi:5','text':'rusak \xef\xbf\xbd','source':'bagi','added':'" ADDED
				      "','metadata':{'path':'bagi.txt','line':5,'invalid_utf8':1}}\n"
				      "{'id':'bagi:6','text':'akhir','source':'bagi','added':'" ADDED
				      "','metadata':{'path':'bagi.txt','line':6}}\n");
	CHECK_INT(kp_import_set_range(im, 20, 60, 0), 0);
	EXPECT_IMPORT(im, "bagi.txt", "skip {'id':'bagi:3','reason':'empty','file':'bagi.txt','line':3}\n"
				      "skip {'id':'bagi:4','reason':'too_long','file':'bagi.txt','line':4}\n");
	CHECK_INT(kp_import_count(im, KP_IMPORT_SKIP_TOOLONG), 2); /* the handle's counters add up its inputs */
	CHECK_INT(kp_import_count(im, KP_IMPORT_BYTES), 77 + 63 - 20); /* and the bytes of the part's lines */
	kp_import_free(im);
}

/* A file of a few MB with lines of every length, split at random line
 * starts: the reads of a part stop near its end and cross the reader's
 * windows. */
static void test_range_large(void)
{
	size_t cap = (size_t)3 << 20, n = 0;
	char *s = malloc(cap + 300000);
	uint64_t seed = 7, *at = malloc(sizeof *at * 20000);
	if (!s || !at)
		abort();
	for (unsigned k = 0; n < cap; k++) {
		uint64_t r = test_rand(&seed);
		size_t len = r % 16 == 0 ? 70000 + r % 200000 : r % 3000; /* some past the cap of 200000 */
		n += (size_t)sprintf(s + n, k % 3 ? "{\"text\":\"" : "{\"id\":\"n%u\",\"text\":\"", k);
		memset(s + n, 'a' + (int)(k % 26), len);
		n += len;
		n += (size_t)sprintf(s + n, "\"}\n");
	}
	write_bytes("besar.jsonl", s, n);
	size_t nat = line_starts(s, n, at, 20000);
	kp_import *im = importer(200000);
	kp_import_set_skip_long(im, 1);
	run whole = {0};
	run_import(im, "besar.jsonl", 0, 0, 0, 0, &whole);
	CHECK(kp_import_count(im, KP_IMPORT_SKIP_TOOLONG) > 0);
	for (int trial = 0; trial < 4; trial++) {
		size_t b = 1 + test_rand(&seed) % (nat - 2), c = b + test_rand(&seed) % (nat - 1 - b);
		run parts = {0};
		run_import(im, "besar.jsonl", 1, 0, at[b], 0, &parts);
		run_import(im, "besar.jsonl", 1, at[b], at[c] - 1, 0, &parts);
		run_import(im, "besar.jsonl", 1, at[c], n, c + 1, &parts);
		CHECK(parts.len == whole.len && memcmp(parts.p, whole.p, whole.len) == 0);
		for (int k = 0; k < KP_IMPORT_NCOUNTERS; k++)
			if (k != KP_IMPORT_FILES)
				CHECK_INT(parts.sums[k], whole.sums[k]);
		free(parts.p);
	}
	free(whole.p);
	free(at);
	free(s);
	kp_import_free(im);
}

/* The reader under the ranges (korpus/io.h): where it stops, its line
 * numbers and bytes, and a refused range. */
static void test_range_reader(void)
{
	WRITE("baca.txt", "satu\ndua\ntiga\nempat"); /* lines at 0, 5, 9, 14; 19 bytes */
	kp_reader *r = kp_reader_new(0);
	const char *line;
	size_t len;
	CHECK_INT(kp_reader_open(r, "baca.txt"), 0);
	CHECK_INT(kp_reader_set_range(r, 5, 10, 0), 0);
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_MEM(line, len, "dua");
	CHECK_INT(kp_reader_lineno(r), 2);
	CHECK_INT(kp_reader_getline(r, &line, &len), 1); /* starts before the end: read whole */
	CHECK_MEM(line, len, "tiga");
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	CHECK_INT(kp_reader_bytes_in(r), 14 - 5);
	/* again on the same input, numbered by the caller, to the end */
	CHECK_INT(kp_reader_set_range(r, 14, 100, 7), 0);
	CHECK_INT(kp_reader_getline(r, &line, &len), 1);
	CHECK_MEM(line, len, "empat");
	CHECK_INT(kp_reader_lineno(r), 7);
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	CHECK_INT(kp_reader_set_range(r, 19, 19, 0), 0); /* the end of a file without a final newline */
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	/* refused: the input then reads as ended */
	CHECK_INT(kp_reader_open(r, "baca.txt"), 0);
	CHECK_INT(kp_reader_set_range(r, 6, 10, 0), KP_ENOTFOUND);
	CHECK(strcmp(kp_reader_errmsg(r), "offset 6 of 'baca.txt' is not at a line start") == 0);
	CHECK_INT(kp_reader_getline(r, &line, &len), 0);
	CHECK_INT(kp_reader_close(r), 0);
	CHECK_INT(kp_reader_set_range(r, 0, 1, 0), KP_ESTATE);
	kp_reader_free(r);
}

/* What a range cannot read: each refused before a line is read. */
static void test_range_errors(void)
{
	kp_import *im = importer(0);
	const char *line;
	size_t len;
	WRITE("r.jsonl", "{\"text\":\"satu\"}\n{\"text\":\"dua\"}\n");
	CHECK_INT(kp_import_set_range(im, 20, 10, 0), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "the range 20:10 ends before it starts") == 0);
	CHECK_INT(kp_import_set_range(im, 10, 20, 0), 0);
	CHECK_INT(kp_import_open(im, "r.jsonl"), KP_ENOTFOUND);
	CHECK(strcmp(kp_import_errmsg(im), "offset 10 of 'r.jsonl' is not at a line start") == 0);
	CHECK_INT(kp_import_next(im, &line, &len), 0); /* nothing read after a refusal */
	CHECK_INT(kp_import_set_range(im, 10, 20, 3), 0); /* a first line given: the same check */
	CHECK_INT(kp_import_open(im, "r.jsonl"), KP_ENOTFOUND);
	CHECK_INT(kp_import_set_range(im, 32, 40, 0), 0);
	CHECK_INT(kp_import_open(im, "r.jsonl"), KP_ENOTFOUND);
	CHECK(strcmp(kp_import_errmsg(im), "offset 32 of 'r.jsonl' is past its end (31 bytes)") == 0);
	/* the end of the file is where no line starts: an empty part */
	CHECK_INT(kp_import_set_range(im, 31, 40, 0), 0);
	EXPECT_IMPORT(im, "r.jsonl", "");
	CHECK_INT(kp_import_set_range(im, 16, 16, 0), 0);
	EXPECT_IMPORT(im, "r.jsonl", "");
	CHECK_INT(kp_import_count(im, KP_IMPORT_READ), 0);
	/* the range was for one input: the next is read whole */
	EXPECT_IMPORT(im, "r.jsonl", "{'text':'satu','id':'r:1','source':'r','added':'" ADDED "'}\n"
				     "{'text':'dua','id':'r:2','source':'r','added':'" ADDED "'}\n");

	gzFile gz = gzopen("r.jsonl.gz", "wb");
	if (!gz || gzputs(gz, "{\"text\":\"satu\"}\n") < 0 || gzclose(gz) != Z_OK)
		abort();
	WRITE("r.csv", "id,text\n1,satu\n");
	WRITE("catatan.txt", "Catatan.\n{\"text\":\"dua\"}\n"); /* txt from its start, whatever follows */
	mkdir("map", 0755);
	static const char *const refused[][2] = {
		{"r.jsonl.gz", "'r.jsonl.gz' is compressed (gzip): a range is for a plain file"},
		{"r.csv", "'r.csv' is csv input: a range is for jsonl or lines"},
		{"catatan.txt", "'catatan.txt' is txt input: a range is for jsonl or lines"},
		{"map", "'map' is a folder: a range is for one plain file"},
		{"-", "standard input: a range is for a plain file"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		CHECK_INT(kp_import_set_range(im, 0, 100, 0), 0);
		CHECK_INT(kp_import_open(im, refused[i][0]), KP_EINVAL);
		if (strcmp(kp_import_errmsg(im), refused[i][1]) != 0) {
			fprintf(stderr, "%s:%d: %s: '%s'\n", __FILE__, __LINE__, refused[i][0], kp_import_errmsg(im));
			test_failures++;
		}
	}
	kp_import_set_format(im, KP_FORMAT_PARAGRAPHS);
	CHECK_INT(kp_import_set_range(im, 0, 100, 0), 0);
	CHECK_INT(kp_import_open(im, "catatan.txt"), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "'catatan.txt' is paragraphs input: a range is for jsonl or lines") == 0);
	kp_import_free(im);
}

/* ---- file ranges: parts of folders ------------------------------------------------------ */

/* A folder of sub-folders and files of several formats, a link back up
 * (a folder reached again), and files its walk does not take; then a file
 * and a sub-folder given as inputs of their own. */
static const char *const shelf_inputs[] = {"rak", "lepas.jsonl", "rak/detik"};
#define SHELF_FILES 17

static void make_shelf(void)
{
	if (mkdir("rak", 0700) || mkdir("rak/kompas", 0700) || mkdir("rak/detik", 0700) || mkdir("rak/detik/2025", 0700) ||
	    symlink("..", "rak/detik/naik") != 0)
		abort();
	WRITE("rak/kompas/a.txt", "Harga cabai naik.\n");
	WRITE("rak/kompas/b.txt", "  \n");
	WRITE("rak/kompas/c.txt", "Banjir di Jakarta.\n");
	WRITE("rak/kompas/catatan.md", "tidak\n");
	WRITE("rak/kompas/.tersembunyi.txt", "tidak\n");
	WRITE("rak/detik/2025/d.txt", "Gempa di Cianjur.\n");
	WRITE("rak/detik/e.csv", "id,isi,judul\ne1,Berita E.,Judul E\ne2,,kosong\n");
	WRITE("rak/detik/f.jsonl", "{\"id\":\"f1\",\"text\":\"Berita F satu.\"}\n"
				   "{\"text\":\"Berita F tanpa id.\",\"tanggal\":\"16/09/2019\"}\n"
				   "bukan json\n"
				   "{\"text\":\" \"}\n"
				   "\n"
				   "{\"judul\":\"tanpa teks\"}\n"
				   "{\"isi\":\"Berita F terakhir.\"}\n");
	WRITE("rak/g.tsv", "isi\tjudul\nBerita G.\tJudul G\n");
	WRITE("rak/h.jsonl", "{\"text\":\"Berita H.\"}\n");
	WRITE("lepas.jsonl", "{\"text\":\"Berita lepas.\"}\n");
}

/* Import the shelf's inputs into t: every file, or (ranged) the files
 * first..end-1, with (bytes) the byte range [start, stop) of the first. */
static void run_shelf(int ranged, uint64_t first, uint64_t end, int bytes, uint64_t start, uint64_t stop, run *t)
{
	kp_import *im = importer(0);
	if ((ranged && kp_import_set_file_range(im, first, end) < 0) || (bytes && kp_import_set_range(im, start, stop, 0) < 0))
		abort();
	for (size_t i = 0; i < sizeof shelf_inputs / sizeof shelf_inputs[0]; i++)
		run_import(im, shelf_inputs[i], 0, 0, 0, 0, t);
	kp_import_free(im);
}

/* Do the parts give the whole: the same transcript, byte for byte, and
 * counters that add up (the folders reached again too; the files read
 * too, unless one file was read in parts: files_more times more)? */
static int same_as_whole(const run *parts, const run *whole, uint64_t files_more, const char *what)
{
	int same = parts->len == whole->len && memcmp(parts->p, whole->p, whole->len) == 0;
	for (int k = 0; k < KP_IMPORT_NCOUNTERS; k++)
		same &= parts->sums[k] == whole->sums[k] + (k == KP_IMPORT_FILES ? files_more : 0);
	if (!same) {
		fprintf(stderr, "%s:%d: %s gave\n%s-- not\n%s--\n", __FILE__, __LINE__, what, parts->p, whole->p);
		for (int k = 0; k < KP_IMPORT_NCOUNTERS; k++)
			if (parts->sums[k] != whole->sums[k])
				fprintf(stderr, "%s: %llu, whole %llu\n", kp_import_counter_name(k),
					(unsigned long long)parts->sums[k], (unsigned long long)whole->sums[k]);
		test_failures++;
	}
	return same;
}

/* The walk's files in order, numbered across the inputs. */
static void test_file_list(void)
{
	static const char *const names[SHELF_FILES] = {
		"rak/detik/2025/d.txt", "rak/detik/e.csv", "rak/detik/f.jsonl", "rak/g.tsv", "rak/h.jsonl",
		"rak/kompas/a.txt", "rak/kompas/b.txt", "rak/kompas/c.txt", "lepas.jsonl",
		/* the link leads back up: the shelf from there, without this folder again */
		"rak/detik/2025/d.txt", "rak/detik/e.csv", "rak/detik/f.jsonl", "rak/detik/naik/g.tsv",
		"rak/detik/naik/h.jsonl", "rak/detik/naik/kompas/a.txt", "rak/detik/naik/kompas/b.txt",
		"rak/detik/naik/kompas/c.txt"};
	kp_import *im = importer(0);
	size_t n = 0;
	for (size_t i = 0; i < sizeof shelf_inputs / sizeof shelf_inputs[0]; i++) {
		const char *path;
		uint64_t size;
		int rc;
		CHECK_INT(kp_import_list(im, shelf_inputs[i]), 0);
		while ((rc = kp_import_next_file(im, &path, &size)) > 0) {
			struct stat st;
			if (n >= SHELF_FILES || strcmp(path, names[n]) != 0 || stat(path, &st) != 0 || (uint64_t)st.st_size != size) {
				fprintf(stderr, "%s:%d: file %zu: '%s' (%llu bytes)\n", __FILE__, __LINE__, n, path, (unsigned long long)size);
				test_failures++;
			}
			n++;
		}
		CHECK_INT(rc, 0);
		CHECK_INT(kp_import_next_file(im, &path, &size), 0);
	}
	CHECK_INT(n, SHELF_FILES);
	CHECK_INT(kp_import_count(im, KP_IMPORT_FILES), 0); /* nothing read */
	CHECK_INT(kp_import_count(im, KP_IMPORT_FOLDERS_AGAIN), 0);
	/* one format: only its files */
	kp_import_set_format(im, KP_FORMAT_JSONL);
	const char *path;
	uint64_t size;
	CHECK_INT(kp_import_list(im, "rak"), 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), 1);
	CHECK(strcmp(path, "rak/detik/f.jsonl") == 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), 1);
	CHECK(strcmp(path, "rak/h.jsonl") == 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), 0);
	kp_import_free(im);
}

/* Every cut of the files into three parts, across the inputs, gives the
 * whole. */
static void test_file_range_split(void)
{
	run whole = {0};
	run_shelf(0, 0, 0, 0, 0, 0, &whole);
	CHECK_INT(whole.sums[KP_IMPORT_FILES], SHELF_FILES);
	CHECK_INT(whole.sums[KP_IMPORT_FOLDERS_AGAIN], 2);
	CHECK(strstr(whole.p, "{\"id\":\"kompas/a\",\"text\":\"Harga cabai naik.\\n\",\"source\":\"kompas\","));
	CHECK(strstr(whole.p, "{\"text\":\"Berita H.\",\"id\":\"h:1\",\"source\":\"rak\","));
	CHECK(strstr(whole.p, "{\"id\":\"naik/kompas/a\",\"text\":\"Harga cabai naik.\\n\",\"source\":\"naik\","));
	for (uint64_t b = 0; b <= SHELF_FILES + 1; b++)
		for (uint64_t c = b; c <= SHELF_FILES + 1; c++) {
			run parts = {0};
			run_shelf(1, 0, b, 0, 0, 0, &parts);
			run_shelf(1, b, c, 0, 0, 0, &parts);
			run_shelf(1, c, SHELF_FILES + 3, 0, 0, 0, &parts);
			char what[64];
			snprintf(what, sizeof what, "the files cut at %llu, %llu", (unsigned long long)b, (unsigned long long)c);
			int same = same_as_whole(&parts, &whole, 0, what);
			free(parts.p);
			if (!same)
				goto out;
		}
	/* one file: only its own */
	run one = {0};
	run_shelf(1, 1, 2, 0, 0, 0, &one);
	CHECK(one.p && strcmp(one.p, "{\"id\":\"e1\",\"text\":\"Berita E.\",\"source\":\"detik\",\"added\":\"" ADDED
				     "\",\"metadata\":{\"title\":\"Judul E\"}}\n"
				     "skip {\"id\":\"e2\",\"reason\":\"empty\",\"file\":\"rak/detik/e.csv\",\"line\":3}\n") == 0);
	CHECK_INT(one.sums[KP_IMPORT_FILES], 1);
	free(one.p);
out:
	free(whole.p);
}

/* A byte range of one file of a folder: its lines cut apart, between the
 * files before and after it, give the whole. */
static void test_file_byte_range(void)
{
	static char text[4096];
	FILE *f = fopen("rak/detik/f.jsonl", "rb");
	size_t n = f ? fread(text, 1, sizeof text, f) : 0;
	if (!f || fclose(f) != 0)
		abort();
	uint64_t at[32];
	size_t nat = line_starts(text, n, at, 32);
	run whole = {0};
	run_shelf(0, 0, 0, 0, 0, 0, &whole);
	for (size_t b = 0; b < nat; b++)
		for (size_t c = b; c < nat; c++) {
			run parts = {0};
			run_shelf(1, 0, 2, 0, 0, 0, &parts);
			run_shelf(1, 2, 3, 1, 0, at[b], &parts);
			run_shelf(1, 2, 3, 1, at[b], at[c], &parts);
			run_shelf(1, 2, 3, 1, at[c], n + 10, &parts);
			run_shelf(1, 3, SHELF_FILES, 0, 0, 0, &parts);
			char what[64];
			snprintf(what, sizeof what, "f.jsonl cut at %llu, %llu", (unsigned long long)at[b], (unsigned long long)at[c]);
			int same = same_as_whole(&parts, &whole, 2, what);
			free(parts.p);
			if (!same)
				goto out;
		}
	/* the part alone: the ids, source and lines of the whole */
	run part = {0};
	run_shelf(1, 2, 3, 1, at[1], at[3], &part);
	CHECK(part.p && strcmp(part.p, "{\"text\":\"Berita F tanpa id.\",\"tanggal\":\"16/09/2019\",\"id\":\"detik/f:2\","
				       "\"source\":\"detik\",\"added\":\"" ADDED "\",\"created\":\"2019-09-16\"}\n"
				       "error -7 at 3: invalid JSON at column 1: expected a JSON object, found 'b'\n") == 0);
	free(part.p);
out:
	free(whole.p);
}

/* Where a file range opens, what it does not read, and what it refuses. */
static void test_file_range_errors(void)
{
	kp_import *im = importer(0);
	const char *line, *path;
	size_t len;
	uint64_t size;
	CHECK_INT(kp_import_set_file_range(im, 5, 3), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "the file range 5:3 ends before it starts") == 0);
	/* an input is opened at the range's first file it holds */
	CHECK_INT(kp_import_set_file_range(im, 5, 6), 0);
	CHECK_INT(kp_import_open(im, "rak"), 0);
	CHECK_INT(kp_import_files_numbered(im), 6);
	CHECK(strcmp(kp_import_file(im), "rak/kompas/a.txt") == 0);
	CHECK_INT(kp_import_count(im, KP_IMPORT_FILES), 1);
	CHECK_INT(kp_import_next(im, &line, &len), KP_IMPORT_DOC);
	CHECK_INT(kp_import_next(im, &line, &len), 0); /* the walk stops at the next file */
	CHECK_INT(kp_import_files_numbered(im), 7);
	CHECK_INT(kp_import_open(im, "lepas.jsonl"), 0); /* after the range: not looked at */
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	CHECK_INT(kp_import_files_numbered(im), 7);
	CHECK_INT(kp_import_count(im, KP_IMPORT_FILES), 1);
	/* an input that holds none of the range is walked to number its files */
	CHECK_INT(kp_import_set_file_range(im, 100, 200), 0);
	CHECK_INT(kp_import_open(im, "rak"), 0);
	CHECK_INT(kp_import_files_numbered(im), 8);
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	CHECK_INT(kp_import_count(im, KP_IMPORT_FILES), 1);

	/* a byte range: of one file, a plain file of lines or JSONL */
	CHECK_INT(kp_import_set_file_range(im, 0, 2), 0);
	CHECK_INT(kp_import_set_range(im, 0, 10, 0), 0);
	CHECK_INT(kp_import_open(im, "rak"), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "a byte range is for one file, not the file range 0:2") == 0);
	CHECK_INT(kp_import_set_file_range(im, 0, 1), 0);
	CHECK_INT(kp_import_open(im, "rak"), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "'rak/detik/2025/d.txt' is txt input: a range is for jsonl or lines") == 0);
	CHECK_INT(kp_import_next(im, &line, &len), 0); /* nothing read after a refusal */
	CHECK_INT(kp_import_set_file_range(im, 2, 3), 0);
	CHECK_INT(kp_import_set_range(im, 5, 10, 0), 0);
	CHECK_INT(kp_import_open(im, "rak"), KP_ENOTFOUND);
	CHECK(strcmp(kp_import_errmsg(im), "offset 5 of 'rak/detik/f.jsonl' is not at a line start") == 0);
	/* the byte range waits for its file, in a later input */
	CHECK_INT(kp_import_set_file_range(im, 8, 9), 0);
	CHECK_INT(kp_import_set_range(im, 0, 1, 0), 0);
	CHECK_INT(kp_import_open(im, "rak"), 0);
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	uint64_t bytes = kp_import_count(im, KP_IMPORT_BYTES);
	CHECK_INT(kp_import_open(im, "lepas.jsonl"), 0);
	CHECK_INT(kp_import_next(im, &line, &len), KP_IMPORT_DOC);
	CHECK_MEM(line, len, "{\"text\":\"Berita lepas.\",\"id\":\"lepas:1\",\"source\":\"lepas\",\"added\":\"" ADDED "\"}\n");
	CHECK_INT(kp_import_next(im, &line, &len), 0);
	CHECK_INT(kp_import_count(im, KP_IMPORT_BYTES) - bytes, 25);

	/* a walk that fails numbers no file after it: none is read */
	if (mkdir("rusak", 0700) || symlink("tidak-ada.txt", "rusak/b.txt") != 0)
		abort();
	WRITE("rusak/a.txt", "Berita A.\n");
	CHECK_INT(kp_import_set_file_range(im, 1, 5), 0);
	CHECK_INT(kp_import_open(im, "rusak"), KP_EIO);
	CHECK(strcmp(kp_import_errmsg(im), "cannot read 'rusak/b.txt': No such file or directory") == 0);
	CHECK_INT(kp_import_open(im, "lepas.jsonl"), 0);
	CHECK_INT(kp_import_next(im, &line, &len), 0);

	/* standard input: neither numbered nor listed */
	CHECK_INT(kp_import_set_file_range(im, 0, 1), 0);
	CHECK_INT(kp_import_open(im, "-"), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "standard input: a file range is for files and folders") == 0);
	CHECK_INT(kp_import_list(im, "-"), KP_EINVAL);
	CHECK(strcmp(kp_import_errmsg(im), "standard input: only files and folders can be listed") == 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), 0);
	/* listing and reading do not mix; what cannot be read is an error */
	CHECK_INT(kp_import_list(im, "rak"), 0);
	CHECK_INT(kp_import_next(im, &line, &len), KP_ESTATE);
	CHECK_INT(kp_import_set_file_range(im, 0, UINT64_MAX), 0);
	CHECK_INT(kp_import_open(im, "lepas.jsonl"), 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), KP_ESTATE);
	CHECK_INT(kp_import_list(im, "tidak-ada.txt"), 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), KP_EIO);
	CHECK(strcmp(kp_import_errmsg(im), "cannot read 'tidak-ada.txt': No such file or directory") == 0);
	CHECK_INT(kp_import_next_file(im, &path, &size), 0);
	kp_import_free(im);
}

/* ---- dates --------------------------------------------------------------------------- */

static void test_dates(void)
{
	static const char *const cases[][2] = {
		{"Senin, 10 September 2019", "2019-09-10"},
		{"Sep 10, 2019", "2019-09-10"},
		{"10-Sep-19", "2019-09-10"},
		{"Oktober 25, 2019", "2019-10-25"},
		{"Pebruari 3, 2020", "2020-02-03"},
		{"3 Agu 2021", "2021-08-03"},
		{"16/09/2019", "2019-09-16"}, /* day first */
		{"09/16/2019", "2019-09-16"}, /* month first only when it must be */
		{"2015/08/25", "2015-08-25"},
		{"2019-09-10", "2019-09-10"},
		{"2019-09-10T08:15:00Z", "2019-09-10T08:15:00Z"},
		{"2019-09-10 08:15:00", "2019-09-10T08:15:00"},
		{"Rabu, 4 Juni 2025 10:15 WIB", "2025-06-04T10:15:00+07:00"},
		{"Kamis, 5 Juni 2025 | 08.18 WITA", "2025-06-05T08:18:00+08:00"},
		{"4 Juni 2025 10:15 WIT", "2025-06-04T10:15:00+09:00"},
		{"12 Nopember 2021 pukul 19.30 WIB", "2021-11-12T19:30:00+07:00"},
		{"Diperbarui 10 Sep 2019, 08:15", "2019-09-10T08:15:00"},
		{"10.09.2019", "2019-09-10"}, /* not a time 10:09 */
		{"43747", "2019-10-09"},                /* spreadsheet serial day */
		{"1568102400", "2019-09-10T08:00:00Z"}, /* Unix seconds */
		{"1568102400000", "2019-09-10T08:00:00Z"}, /* milliseconds */
		{"29 Februari 2020", "2020-02-29"},
		/* numeric offsets are kept; +00:00 is Z, as UTC and GMT are */
		{"2019-09-10T23:30:00-05:00", "2019-09-10T23:30:00-05:00"},
		{"2019-09-10T23:30:00+07:00", "2019-09-10T23:30:00+07:00"},
		{"2019-09-10T23:30:00+0700", "2019-09-10T23:30:00+07:00"},
		{"2019-09-10T23:30:00.000+07:00", "2019-09-10T23:30:00+07:00"},
		{"2019-09-10T23:30-05:00", "2019-09-10T23:30:00-05:00"},
		{"2019-09-10T08:15:00+05:45", "2019-09-10T08:15:00+05:45"},
		{"2019-09-10T08:15:00.000Z", "2019-09-10T08:15:00Z"},
		{"2019-09-10T23:30:00+00:00", "2019-09-10T23:30:00Z"},
		{"Tue, 10 Sep 2019 20:05:00 +0700", "2019-09-10T20:05:00+07:00"},
		{"Tue Sep 10 2019 20:05:00 GMT+0700 (Western Indonesia Time)", "2019-09-10T20:05:00+07:00"},
		{"10 Sep 2019 20:05 GMT+7", "2019-09-10T20:05:00+07:00"},
		{"Senin, 10/09/2019 14:00-15:00 WIB", "2019-09-10T14:00:00+07:00"}, /* a range, no offset */
		{"2019-09-10T23:30:00+25:00", "2019-09-10T23:30:00"}, /* no offset there is */
		/* the 12-hour clock */
		{"Sep 10, 2019, 8:05 PM", "2019-09-10T20:05:00"},
		{"Sep 10, 2019, 8:05 AM", "2019-09-10T08:05:00"},
		{"Sep 10, 2019, 12:05 AM", "2019-09-10T00:05:00"},
		{"Sep 10, 2019, 12:05 PM", "2019-09-10T12:05:00"},
		{"10/09/2019 08:05:33 p.m. WIB", "2019-09-10T20:05:33+07:00"},
		{"10 Sep 2019 8:05pm", "2019-09-10T20:05:00"},
		{"10/09/2019 13:05 PM", "2019-09-10T13:05:00"}, /* the 24-hour clock already */
		/* not dates */
		{"29 Februari 2019", ""},
		{"32/01/2020", ""},
		{"2019-13-01", ""},
		{"1899-12-31", ""},
		{"2101-01-01", ""},
		{"kemarin", ""},
		{"1 jam yang lalu", ""},
		{"0", ""},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[KP_DATE_MAX];
		size_t n = kp_date_parse(cases[i][0], strlen(cases[i][0]), out);
		if (n != strlen(cases[i][1]) || memcmp(out, cases[i][1], n) != 0) {
			fprintf(stderr, "kp_date_parse(\"%s\") is \"%.*s\", expected \"%s\"\n", cases[i][0], (int)n, out,
				cases[i][1]);
			test_failures++;
		}
	}
	/* the length bounds the text: no NUL needed */
	char out[KP_DATE_MAX];
	CHECK_INT(kp_date_parse("2019-09-10T08:15:00Z", 10, out), 10);
	CHECK(memcmp(out, "2019-09-10", 10) == 0);
	/* the order of d/m/y numbers: as asked, or the other where only it
	 * makes a date (and said so); dates with a month name or the year
	 * first have no order to choose */
	static const struct {
		const char *in;
		int order;
		const char *want;
		int other;
	} ord[] = {
		{"09/10/2019", KP_DATE_DAY_FIRST, "2019-10-09", 0},   {"09/10/2019", KP_DATE_MONTH_FIRST, "2019-09-10", 0},
		{"09/25/2019", KP_DATE_DAY_FIRST, "2019-09-25", 1},   {"09/25/2019", KP_DATE_MONTH_FIRST, "2019-09-25", 0},
		{"25/09/2019", KP_DATE_MONTH_FIRST, "2019-09-25", 1}, {"25/09/2019", KP_DATE_DAY_FIRST, "2019-09-25", 0},
		{"10 Sep 2019", KP_DATE_MONTH_FIRST, "2019-09-10", 0}, {"2019/09/10", KP_DATE_MONTH_FIRST, "2019-09-10", 0},
		{"13/13/2019", KP_DATE_MONTH_FIRST, "", 0},
	};
	for (size_t i = 0; i < sizeof ord / sizeof ord[0]; i++) {
		int other = -1;
		size_t n = kp_date_parse_order(ord[i].in, strlen(ord[i].in), ord[i].order, out, &other);
		if (n != strlen(ord[i].want) || memcmp(out, ord[i].want, n) != 0 || other != ord[i].other) {
			fprintf(stderr, "kp_date_parse_order(\"%s\", %d) is \"%.*s\" (other %d), expected \"%s\" (%d)\n",
				ord[i].in, ord[i].order, (int)n, out, other, ord[i].want, ord[i].other);
			test_failures++;
		}
	}
}

int main(void)
{
	if (!mkdtemp(dir) || chdir(dir) != 0)
		return 1;
	test_names();
	test_setup_errors();
	test_jsonl_usual();
	test_jsonl_named();
	test_jsonl_long_lines();
	test_csv();
	test_text_formats();
	test_folder();
	test_warc();
	test_bad_lines();
	test_range_split();
	test_range_large();
	test_range_reader();
	test_range_errors();
	make_shelf();
	test_file_list();
	test_file_range_split();
	test_file_byte_range();
	test_file_range_errors();
	test_dates();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (chdir("/") != 0 || system(cmd) != 0)
		return 1;
	TEST_MAIN_END();
}
