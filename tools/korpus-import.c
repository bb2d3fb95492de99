/* korpus-import: article collections (text files, CSV/TSV, JSONL, WARC/WET)
 * into korpus documents. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum {
	OPT_FORMAT = 0x100,
	OPT_SOURCE,
	OPT_ADDED,
	OPT_ENCODING,
	OPT_STRICT,
	OPT_META_FIELDS,
	OPT_LANG,
	OPT_SKIPPED,
	OPT_COUNTS,
	OPT_BYTE_RANGE,
	OPT_FIRST_LINE,
	OPT_FIELD, /* + KP_IMPORT_FIELD_*: --text-field, --id-field, ... */
};

static const struct option options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"source", required_argument, NULL, OPT_SOURCE},
	{"added", required_argument, NULL, OPT_ADDED},
	{"encoding", required_argument, NULL, OPT_ENCODING},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"text-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_TEXT},
	{"id-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_ID},
	{"title-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_TITLE},
	{"source-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_SOURCE},
	{"created-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_CREATED},
	{"url-field", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_URL},
	{"metadata-fields", required_argument, NULL, OPT_META_FIELDS},
	/* the names of earlier versions, for CSV/TSV */
	{"text-col", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_TEXT},
	{"id-col", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_ID},
	{"meta-cols", required_argument, NULL, OPT_META_FIELDS},
	{"lang", required_argument, NULL, OPT_LANG},
	{"skipped", required_argument, NULL, OPT_SKIPPED},
	{"counts", required_argument, NULL, OPT_COUNTS},
	{"byte-range", required_argument, NULL, OPT_BYTE_RANGE},
	{"first-line", required_argument, NULL, OPT_FIRST_LINE},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-import",
	.summary = "Turn article collections (text files, CSV/TSV, JSONL, WARC/WET) into documents",
	.synopsis = "[OPTION]... [INPUT]...",
	.help =
		"Each INPUT is a file, a folder or '-' (standard input).  The article text is\n"
		"kept as it is, decoded to UTF-8.  Every document gets \"id\", \"text\", \"source\",\n"
		"\"added\", and \"created\" and \"metadata\" where the input has them.\n\n"
		"  --format F        txt, lines, paragraphs, csv, tsv, jsonl, warc (or wet);\n"
		"                    default: detected from the content of a file; in a\n"
		"                    folder, each file as its name says (.txt, .csv, .tsv,\n"
		"                    .jsonl/.json, .warc/.wet, each maybe .gz)\n"
		"      txt           one article per .txt file; folders are walked recursively\n"
		"                    in byte order of names; id = the path relative to INPUT\n"
		"                    without .txt, kept in metadata.path\n"
		"      lines         one document per line; paragraphs (or text, the text\n"
		"                    format of korpus split, tok and pack): documents\n"
		"                    separated by blank lines (id = NAME:LINE)\n"
		"      csv, tsv      RFC 4180 with a header row, quoted multi-line fields, BOM\n"
		"      jsonl         JSON Lines from other tools (HuggingFace, dolma, ...)\n"
		"      warc          WARC/WET, plain or gzip: \"conversion\" records (WET) and\n"
		"                    plain-text \"response\"/\"resource\" records; HTML response\n"
		"                    bodies are out of scope (skipped, counted): use WET files\n"
		"  --source NAME     \"source\" of every document (default: INPUT's base name;\n"
		"                    given, it also replaces a \"source\" JSONL input has)\n"
		"  --added TIME      \"added\" time, ISO 8601 (default: now in UTC, or\n"
		"                    $SOURCE_DATE_EPOCH; given, it replaces JSONL input's)\n"
		"  --encoding ENC    input encoding of text, lines, paragraphs, csv, tsv, e.g.\n"
		"                    windows-1252 or latin1 (converted with ICU; default UTF-8)\n"
		"  --strict          invalid UTF-8 is an error; by default each invalid\n"
		"                    sequence becomes U+FFFD, counted in metadata.invalid_utf8\n"
		"Where the parts of a document are: the JSONL field or CSV/TSV column (any\n"
		"case) of each; by default the first of the usual names a record or header\n"
		"has (a named CSV column that is missing is an error):\n"
		"  --text-field F    the text (text, body, content, isi, isi_berita, konten,\n"
		"                    article, artikel, berita)\n"
		"  --id-field F      the id (id; else NAME:N)\n"
		"  --title-field F   metadata.title (title, judul, headline)\n"
		"  --source-field F  \"source\" (source, site, sumber; else the input's, or\n"
		"                    --source, which replaces it)\n"
		"  --created-field F \"created\", the publication date in RFC 3339 (date,\n"
		"                    tanggal, published, published_at, pubdate, datetime,\n"
		"                    waktu, created_at), read when the record has no\n"
		"                    \"created\": Indonesian and English month and day names,\n"
		"                    16/09/2019 (day first), ISO, 10-Sep-19, times with\n"
		"                    WIB/WITA/WIT, spreadsheet serial days, Unix seconds;\n"
		"                    the field stays in metadata; dates not understood are\n"
		"                    counted, never guessed\n"
		"  --url-field F     metadata.url (url, link, tautan)\n"
		"  --metadata-fields A,B  the other fields kept in metadata (default: all)\n"
		"  (--text-col, --id-col, --meta-cols: the same, by their earlier names)\n"
		"A JSONL record whose text is in \"text\" and whose parts are not named is\n"
		"kept as it is (id, source and added filled in); any other is rewritten as\n"
		"a document with its other fields in metadata.  In a folder of sub-folders,\n"
		"a file's source is its sub-folder's name.\n"
		"  --lang L1,L2      WARC: keep records whose WARC-Identified-Content-Language\n"
		"                    lists one of these ISO 639-3 codes first (e.g. ind)\n"
		"  --skipped FILE    write a JSON record {id, reason, file, line} for each\n"
		"                    document skipped (empty, no_text_field, language, html,\n"
		"                    not_text, too_long)\n"
		"  --counts FILE     write the run's counts as one JSON object: read,\n"
		"                    written, each reason of skipping, dated, undated (and\n"
		"                    undated_example: the first date not understood), ...\n"
		"A shard of one large file, imported apart, gives exactly what it gives in\n"
		"the whole (the same documents, ids NAME:LINE, line numbers, source):\n"
		"  --byte-range S:E  read only the lines that start at a byte offset in\n"
		"                    [S, E) of the one INPUT, a plain (not gzip) jsonl or\n"
		"                    lines file; S is 0, just after a newline or the end;\n"
		"                    the line that starts before E is read whole, E may\n"
		"                    pass the end; the format is detected from the file's\n"
		"                    start; --counts counts the range (bytes: of its\n"
		"                    lines); a range whose records are all skipped is no\n"
		"                    error\n"
		"  --first-line N    the number of the line at S; by default it is counted,\n"
		"                    which reads the file's start up to S\n"
		"\n"
		"--max-line caps one document (default 64M): a longer line of lines,\n"
		"paragraphs or JSONL input is an error, or with --skip-invalid skipped as\n"
		"too_long; --skip-invalid and --rejects also apply to invalid JSONL lines\n"
		"and, with --strict, to records of any format with invalid UTF-8.\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS,
	.longopts = options,
	.examples =
		"  korpus-import articles/ -o raw.jsonl.gz           a folder of .txt, sub-folders\n"
		"                                                     as sources\n"
		"  korpus-import export.jsonl --text-field body --created-field date --source-field site\n"
		"  korpus-import berita.csv --text-field isi_berita --title-field judul\n"
		"  korpus-import CC-MAIN-*.warc.wet.gz --lang ind --skipped skipped.jsonl\n",
};

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			t = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int looks_iso8601(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[4] == '-' || s[4] == '\0';
}

/* Of the records skipped as invalid (c->invalid), those of formats other
 * than JSONL (invalid UTF-8 under --strict); the others are JSONL lines. */
static uint64_t invalid_utf8;

/* Every document of the open input. */
static void import_docs(cli *c, kp_import *im, kp_writer *skipped)
{
	for (;;) {
		const char *line;
		size_t len;
		int rc = kp_import_next(im, &line, &len);
		if (rc == 0)
			break;
		if (rc == KP_IMPORT_DOC) {
			cli_write(c, c->out, line, len);
			c->docs_out++;
		} else if (rc == KP_IMPORT_SKIPPED) {
			if (skipped)
				cli_write(c, skipped, line, len);
		} else if (c->skip_invalid && (rc == KP_EJSON || rc == KP_EDOC || rc == KP_EUTF8)) {
			c->invalid++;
			invalid_utf8 += rc == KP_EUTF8 && kp_import_format(im) != KP_FORMAT_JSONL;
			if (c->rej) {
				const char *bad = kp_import_bad_line(im, &len);
				cli_write(c, c->rej, bad, len);
				cli_write(c, c->rej, "\n", 1);
			}
		} else {
			if (rc == KP_EIO) /* the message names the file it could not read */
				cli_error(c, "%s", kp_import_errmsg(im));
			else
				cli_error_at(c, kp_import_file(im), kp_import_line(im), "%s", kp_import_errmsg(im));
			break;
		}
		c->docs_in++;
		cli_progress_at(c, kp_import_bytes_in(im));
	}
}

static void import_one(cli *c, kp_import *im, const char *path, kp_writer *skipped)
{
	if (kp_import_open(im, path) < 0)
		cli_error(c, "%s", kp_import_errmsg(im));
	else
		import_docs(c, im, skipped);
}

/* --byte-range S:E and --first-line N: a shard of one file. */
struct range {
	const char *arg; /* NULL: the whole of every input */
	uint64_t start, end, first_line;
};

static void parse_range(cli *c, struct range *r, const char *arg)
{
	const char *e;
	r->arg = arg;
	r->start = cli_parse_u64_prefix(c, "--byte-range", arg, &e);
	if (*e != ':' || (r->end = cli_parse_u64_prefix(c, "--byte-range", e + 1, &e), *e))
		cli_usage_error(c, "--byte-range: expected START:END (byte offsets), not '%s'", arg);
	if (r->start > r->end)
		cli_usage_error(c, "--byte-range %s: START is past END", arg);
}

static uint64_t parse_first_line(cli *c, const char *arg)
{
	const char *end;
	uint64_t n = cli_parse_u64_prefix(c, "--first-line", arg, &end);
	if (n == 0 || *end)
		cli_usage_error(c, "--first-line: expected a line number from 1, not '%s'", arg);
	return n;
}

/* Checked as each of the two options is read, so that --check-options
 * sees it. */
static void check_range_format(cli *c, const struct range *r, int fmt)
{
	if (r->arg && fmt != KP_FORMAT_AUTO && fmt != KP_FORMAT_JSONL && fmt != KP_FORMAT_LINES)
		cli_usage_error(c, "--byte-range is for jsonl or lines input, not %s", kp_format_name(fmt));
}

/* After the options: one input, a file; the meter's whole is the range. */
static void check_range(cli *c, const struct range *r)
{
	if (!r->arg) {
		if (r->first_line)
			cli_usage_error(c, "--first-line goes with --byte-range");
		return;
	}
	if (c->ninputs != 1 || !strcmp(c->inputs[0], "-"))
		cli_usage_error(c, "--byte-range reads one INPUT, a file (not standard input)");
	if (r->start == 0 && r->first_line > 1)
		cli_usage_error(c, "--first-line %llu: the line at offset 0 is line 1", (unsigned long long)r->first_line);
	if (c->bytes_total >= 0) {
		uint64_t size = (uint64_t)c->bytes_total, e = r->end < size ? r->end : size;
		c->bytes_total = e > r->start ? (int64_t)(e - r->start) : 0;
	}
}

/* Open the range's input (if any) before any output is, so that a failure
 * leaves nothing behind: the run is that one input. */
static void open_range(cli *c, kp_import *im, const struct range *r)
{
	if (!r->arg)
		return;
	int rc = kp_import_set_range(im, r->start, r->end, r->first_line);
	if (rc >= 0)
		rc = kp_import_open(im, c->inputs[0]);
	if (rc == KP_EINVAL) /* not a plain file of lines or JSONL */
		cli_usage_error(c, "--byte-range %s: %s", r->arg, kp_import_errmsg(im));
	if (rc == KP_ENOTFOUND) /* no line starts at S */
		cli_fatal(c, "--byte-range %s: %s", r->arg, kp_import_errmsg(im));
	if (rc < 0)
		cli_fatal(c, "%s", kp_import_errmsg(im));
}

static void summary(cli *c, const kp_import *im)
{
	uint64_t written = kp_import_count(im, KP_IMPORT_WRITTEN);
	cli_note(c, "%llu document%s written, %llu read from %llu file%s (%s)", (unsigned long long)written,
		 written == 1 ? "" : "s", (unsigned long long)kp_import_count(im, KP_IMPORT_READ),
		 (unsigned long long)kp_import_count(im, KP_IMPORT_FILES),
		 kp_import_count(im, KP_IMPORT_FILES) == 1 ? "" : "s", cli_bytes(kp_import_count(im, KP_IMPORT_BYTES), 0));
	char skips[512] = "";
	size_t o = 0;
	for (int k = KP_IMPORT_SKIP_EMPTY; k <= KP_IMPORT_SKIP_TOOLONG; k++) {
		uint64_t n = kp_import_count(im, k);
		if (n)
			o += (size_t)snprintf(skips + o, sizeof skips - o, "%s%llu %s", o ? ", " : "",
					      (unsigned long long)n, kp_import_counter_name(k));
	}
	if (o)
		cli_note(c, "skipped: %s", skips);
	if (kp_import_count(im, KP_IMPORT_SKIP_NOFIELD) && !kp_import_count(im, KP_IMPORT_WRITTEN))
		cli_note(c, "hint: no JSONL line has the text field; name it with --text-field%s%s%s",
			 kp_import_seen_fields(im) ? " (the first one has: " : "",
			 kp_import_seen_fields(im) ? kp_import_seen_fields(im) : "", kp_import_seen_fields(im) ? ")" : "");
	if (c->invalid > invalid_utf8)
		cli_note(c, "invalid JSONL lines skipped: %llu", (unsigned long long)(c->invalid - invalid_utf8));
	if (invalid_utf8)
		cli_note(c, "records (not JSONL) with invalid UTF-8 skipped (--strict): %llu", (unsigned long long)invalid_utf8);
	if (kp_import_count(im, KP_IMPORT_DATED) || kp_import_count(im, KP_IMPORT_UNDATED))
		cli_note(c, "dates: %llu read into \"created\", %llu not understood%s%s%s",
			 (unsigned long long)kp_import_count(im, KP_IMPORT_DATED),
			 (unsigned long long)kp_import_count(im, KP_IMPORT_UNDATED),
			 kp_import_undated_example(im) ? " (the first: \"" : "",
			 kp_import_undated_example(im) ? kp_import_undated_example(im) : "",
			 kp_import_undated_example(im) ? "\")" : "");
	if (kp_import_count(im, KP_IMPORT_REPAIRED))
		cli_note(c, "invalid UTF-8 replaced by U+FFFD in %llu document(s) (%llu sequences)",
			 (unsigned long long)kp_import_count(im, KP_IMPORT_REPAIRED),
			 (unsigned long long)kp_import_count(im, KP_IMPORT_REPAIRS));
	if (kp_import_count(im, KP_IMPORT_FOLDERS_AGAIN))
		cli_note(c, "folders reached again through a symbolic link (a loop, or two links to one folder), read "
			    "once: %llu",
			 (unsigned long long)kp_import_count(im, KP_IMPORT_FOLDERS_AGAIN));
	if (kp_import_count(im, KP_IMPORT_BOMS))
		cli_note(c, "byte order marks removed: %llu", (unsigned long long)kp_import_count(im, KP_IMPORT_BOMS));
	if (kp_import_count(im, KP_IMPORT_ZERO_PADDING))
		cli_note(c, "zero bytes after gzip data ignored: %llu",
			 (unsigned long long)kp_import_count(im, KP_IMPORT_ZERO_PADDING));
	if (kp_import_count(im, KP_IMPORT_RECORDS_OTHER))
		cli_note(c, "WARC records without documents (warcinfo, request, metadata, ...): %llu",
			 (unsigned long long)kp_import_count(im, KP_IMPORT_RECORDS_OTHER));
}

/* Non-empty input that gives no document is a failure, not a quiet empty
 * corpus (summary gives the reasons and the hint). */
static void check_some_document(cli *c, const kp_import *im)
{
	if (!c->failed && kp_import_count(im, KP_IMPORT_BYTES) && kp_import_count(im, KP_IMPORT_READ) &&
	    !kp_import_count(im, KP_IMPORT_WRITTEN))
		cli_error(c, "no document: every one of the %llu records read was skipped%s%s%s",
			  (unsigned long long)kp_import_count(im, KP_IMPORT_READ),
			  kp_import_seen_fields(im) ? "; no text field in JSONL records like the first, which has: " : "",
			  kp_import_seen_fields(im) ? kp_import_seen_fields(im) : "",
			  kp_import_seen_fields(im) ? " (name it with --text-field)" : "");
}

/* --text-field F and the others: each part named once. */
static void name_field(cli *c, const char *fields[KP_IMPORT_NFIELDS], int role, const char *name)
{
	if (fields[role] && strcmp(fields[role], name))
		cli_usage_error(c, "the %s field is named twice ('%s', '%s')", kp_import_field_name(role), fields[role], name);
	if (!*name)
		cli_usage_error(c, "--%s-field: an empty name", kp_import_field_name(role));
	fields[role] = name;
}

/* --counts: every counter by its name, and the first date not understood. */
static void write_counts(cli *c, kp_import *im, kp_writer *w)
{
	sbuf b = {0};
	char num[64];
	int rc = 0;
	for (int k = 0; k < KP_IMPORT_NCOUNTERS; k++) {
		rc |= sb_adds(&b, k ? ",\"" : "{\"") | sb_adds(&b, kp_import_counter_name(k));
		snprintf(num, sizeof num, "\":%llu", (unsigned long long)kp_import_count(im, k));
		rc |= sb_adds(&b, num);
	}
	const char *ex = kp_import_undated_example(im);
	if (ex)
		rc |= sb_adds(&b, ",\"undated_example\":") | sb_json(&b, ex, strlen(ex));
	rc |= sb_adds(&b, "}\n");
	if (rc < 0)
		cli_fatal(c, "out of memory");
	cli_write(c, w, b.p, b.len);
	sb_free(&b);
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	const char *added = NULL, *source = NULL, *skipped_path = NULL, *encoding = NULL, *counts_path = NULL;
	const char *fields[KP_IMPORT_NFIELDS] = {0}, *meta_fields = NULL, *langs = NULL;
	int opt, fmt = KP_FORMAT_AUTO, strict = 0;
	struct range range = {0};
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if ((fmt = kp_format_parse(optarg)) < 0)
				cli_usage_error(&c, "unknown format '%s' (txt, lines, paragraphs or text, csv, tsv, jsonl, warc, wet)",
						optarg);
			check_range_format(&c, &range, fmt);
			break;
		case OPT_BYTE_RANGE:
			parse_range(&c, &range, optarg);
			check_range_format(&c, &range, fmt);
			break;
		case OPT_FIRST_LINE: range.first_line = parse_first_line(&c, optarg); break;
		case OPT_SOURCE: source = optarg; break;
		case OPT_ADDED:
			if (!looks_iso8601(optarg))
				cli_usage_error(&c, "--added wants an ISO 8601 time such as 2026-11-29T00:00:00Z");
			added = optarg;
			break;
		case OPT_ENCODING: encoding = optarg; break;
		case OPT_STRICT: strict = 1; break;
		case OPT_META_FIELDS: meta_fields = optarg; break;
		case OPT_LANG: langs = optarg; break;
		case OPT_SKIPPED: skipped_path = optarg; break;
		case OPT_COUNTS: counts_path = optarg; break;
		default:
			if (opt >= OPT_FIELD && opt < OPT_FIELD + KP_IMPORT_NFIELDS)
				name_field(&c, fields, opt - OPT_FIELD, optarg);
			break;
		}
	}
	check_range(&c, &range);
	kp_import *im = kp_import_new(c.max_line); /* the document cap follows --max-line */
	if (!im)
		cli_fatal(&c, "out of memory");
	if (kp_import_set_encoding(im, encoding) < 0)
		cli_usage_error(&c, "%s", kp_import_errmsg(im));
	char now[32];
	now_iso(now, sizeof now);
	kp_import_set_format(im, fmt);
	kp_import_set_skip_long(im, c.skip_invalid);
	if (kp_import_set_source(im, source, source != NULL) < 0 ||
	    kp_import_set_added(im, added ? added : now, added != NULL) < 0 || kp_import_set_strict(im, strict) < 0 ||
	    kp_import_set_metadata_fields(im, meta_fields) < 0 || kp_import_set_langs(im, langs) < 0)
		cli_fatal(&c, "out of memory");
	for (int r = 0; r < KP_IMPORT_NFIELDS; r++)
		if (kp_import_set_field(im, r, fields[r]) < 0)
			cli_fatal(&c, "%s", kp_import_errmsg(im));
	open_range(&c, im, &range);
	cli_open_outputs(&c);
	kp_writer *skipped = skipped_path ? cli_open_side(&c, skipped_path) : NULL;
	kp_writer *counts = counts_path ? cli_open_side(&c, counts_path) : NULL;
	if (range.arg)
		import_docs(&c, im, skipped);
	else if (c.ninputs == 0)
		import_one(&c, im, "-", skipped);
	for (int i = 0; !range.arg && i < c.ninputs; i++)
		import_one(&c, im, c.inputs[i], skipped);
	/* a shard of a file may hold only records that are skipped: whether the
	 * whole gives a document is for whoever joins the shards */
	if (!range.arg)
		check_some_document(&c, im);
	if (counts)
		write_counts(&c, im, counts);
	int status = cli_finish(&c);
	summary(&c, im);
	kp_import_free(im);
	return status;
}
