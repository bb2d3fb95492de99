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
	OPT_FILE_RANGE,
	OPT_LIST_FILES,
	OPT_DATE_ORDER,
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
	{"date-order", required_argument, NULL, OPT_DATE_ORDER},
	/* the names of earlier versions, for CSV/TSV */
	{"text-col", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_TEXT},
	{"id-col", required_argument, NULL, OPT_FIELD + KP_IMPORT_FIELD_ID},
	{"meta-cols", required_argument, NULL, OPT_META_FIELDS},
	{"lang", required_argument, NULL, OPT_LANG},
	{"skipped", required_argument, NULL, OPT_SKIPPED},
	{"counts", required_argument, NULL, OPT_COUNTS},
	{"byte-range", required_argument, NULL, OPT_BYTE_RANGE},
	{"first-line", required_argument, NULL, OPT_FIRST_LINE},
	{"file-range", required_argument, NULL, OPT_FILE_RANGE},
	{"list-files", no_argument, NULL, OPT_LIST_FILES},
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
		"  --date-order ORDER dmy (default) or mdy: how 09/10/2019 is read; a date\n"
		"                    only the other order can read (09/25/2019 as dmy) is\n"
		"                    read so and counted (dated_other_order), with a note\n"
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
		"                    undated_example: the first date not understood),\n"
		"                    dated_other_order (and other_order_example), ...\n"
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
		"Parts of folders, the same way (the same documents, ids, sources):\n"
		"  --list-files      import nothing: list the files the INPUTs are read\n"
		"                    from, in the order they are read, a line each:\n"
		"                    NUMBER<TAB>BYTES<TAB>PATH (NUMBER from 0 across the\n"
		"                    INPUTs; PATH as messages name it, the rest of the\n"
		"                    line; a name with a newline is an error)\n"
		"  --file-range A:B  import only the files numbered A to B-1 (B may pass\n"
		"                    the last; A:A imports nothing); the others are not\n"
		"                    opened; --counts counts those files; a range whose\n"
		"                    records are all skipped is no error.  With\n"
		"                    --byte-range, A:A+1: the byte range is file A's\n"
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

/* Every document of the open input; *invalid_utf8 counts the records
 * skipped as invalid (c->invalid) of formats other than JSONL (invalid
 * UTF-8 under --strict); the others are JSONL lines. */
static void import_docs(cli *c, kp_import *im, kp_writer *skipped, uint64_t *invalid_utf8)
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
			*invalid_utf8 += rc == KP_EUTF8 && kp_import_format(im) != KP_FORMAT_JSONL;
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

static void import_one(cli *c, kp_import *im, const char *path, kp_writer *skipped, uint64_t *invalid_utf8)
{
	if (kp_import_open(im, path) < 0)
		cli_error(c, "%s", kp_import_errmsg(im));
	else
		import_docs(c, im, skipped, invalid_utf8);
}

/* --byte-range S:E and --first-line N: a shard of one file; --file-range
 * A:B: a shard of the files of the inputs; --list-files: their list. */
struct range {
	const char *arg; /* NULL: the whole of every input */
	uint64_t start, end, first_line;
	const char *files; /* --file-range, or NULL */
	uint64_t file_first, file_end;
	int list;         /* --list-files */
	int side_outputs; /* --skipped or --counts given */
};

/* The two numbers of "--opt A:B", A <= B: a is named first, b second. */
static void parse_pair(cli *c, const char *opt, const char *arg, const char *names[3], uint64_t *a, uint64_t *b)
{
	const char *e;
	*a = cli_parse_u64_prefix(c, opt, arg, &e);
	if (*e != ':' || (*b = cli_parse_u64_prefix(c, opt, e + 1, &e), *e))
		cli_usage_error(c, "%s: expected %s:%s (%s), not '%s'", opt, names[0], names[1], names[2], arg);
	if (*a > *b)
		cli_usage_error(c, "%s %s: %s is past %s", opt, arg, names[0], names[1]);
}

static void parse_range(cli *c, struct range *r, const char *arg)
{
	static const char *names[3] = {"START", "END", "byte offsets"};
	r->arg = arg;
	parse_pair(c, "--byte-range", arg, names, &r->start, &r->end);
}

static void parse_file_range(cli *c, struct range *r, const char *arg)
{
	static const char *names[3] = {"A", "B", "file numbers from 0"};
	r->files = arg;
	parse_pair(c, "--file-range", arg, names, &r->file_first, &r->file_end);
}

static uint64_t parse_first_line(cli *c, const char *arg)
{
	const char *end;
	uint64_t n = cli_parse_u64_prefix(c, "--first-line", arg, &end);
	if (n == 0 || *end)
		cli_usage_error(c, "--first-line: expected a line number from 1, not '%s'", arg);
	return n;
}

/* Checked as each of these options is read, so that --check-options sees
 * it. */
static void check_range_options(cli *c, const struct range *r, int fmt)
{
	if (r->arg && fmt != KP_FORMAT_AUTO && fmt != KP_FORMAT_JSONL && fmt != KP_FORMAT_LINES)
		cli_usage_error(c, "--byte-range is for jsonl or lines input, not %s", kp_format_name(fmt));
	if (r->list && (r->arg || r->files || r->side_outputs))
		cli_usage_error(c, "--list-files imports nothing: not with --%s",
				r->arg ? "byte-range" : r->files ? "file-range" : "skipped or --counts");
	if (r->arg && r->files && r->file_end != r->file_first + 1)
		cli_usage_error(c, "--byte-range is of one file: with it, --file-range A:A+1, not %s", r->files);
}

/* Does the run read standard input? */
static int reads_stdin(const cli *c)
{
	for (int i = 0; i < c->ninputs; i++)
		if (!strcmp(c->inputs[i], "-"))
			return 1;
	return c->ninputs == 0;
}

/* After the options: the inputs a part is of; the meter's whole is the
 * range (unknown for a file range). */
static void check_range(cli *c, const struct range *r)
{
	if ((r->list || r->files) && reads_stdin(c))
		cli_usage_error(c, "--%s: the INPUTs are files and folders (not standard input)",
				r->list ? "list-files" : "file-range");
	if (r->files)
		c->bytes_total = -1;
	if (!r->arg) {
		if (r->first_line)
			cli_usage_error(c, "--first-line goes with --byte-range");
		return;
	}
	if (!r->files && (c->ninputs != 1 || !strcmp(c->inputs[0], "-")))
		cli_usage_error(c, "--byte-range reads one INPUT, a file (not standard input)");
	if (r->start == 0 && r->first_line > 1)
		cli_usage_error(c, "--first-line %llu: the line at offset 0 is line 1", (unsigned long long)r->first_line);
	if (c->bytes_total >= 0) {
		uint64_t size = (uint64_t)c->bytes_total, e = r->end < size ? r->end : size;
		c->bytes_total = e > r->start ? (int64_t)(e - r->start) : 0;
	}
}

/* With a range, open the inputs before any output is, up to the one that
 * holds the range's first file (opened, with the byte range if any), so
 * that a refusal leaves nothing behind.  Returns the index of that input
 * (c->ninputs: none holds one), or -1 without a range. */
static int open_range(cli *c, kp_import *im, const struct range *r)
{
	if (!r->arg && !r->files)
		return -1;
	if ((r->arg && kp_import_set_range(im, r->start, r->end, r->first_line) < 0) ||
	    (r->files && kp_import_set_file_range(im, r->file_first, r->file_end) < 0))
		cli_fatal(c, "%s", kp_import_errmsg(im));
	for (int i = 0; i < c->ninputs; i++) {
		int rc = kp_import_open(im, c->inputs[i]);
		if (rc == KP_EINVAL && r->arg) /* not a plain file of lines or JSONL */
			cli_usage_error(c, "--byte-range %s: %s", r->arg, kp_import_errmsg(im));
		if (rc == KP_ENOTFOUND && r->arg) /* no line starts at S */
			cli_fatal(c, "--byte-range %s: %s", r->arg, kp_import_errmsg(im));
		if (rc < 0 && !r->files)
			cli_fatal(c, "%s", kp_import_errmsg(im));
		if (rc < 0) /* as the whole import: the other inputs go on */
			cli_error(c, "%s", kp_import_errmsg(im));
		else if (!r->files || kp_import_files_numbered(im) > r->file_first)
			return i;
	}
	return c->ninputs;
}

/* --list-files: every file the inputs are read from, numbered across
 * them, and its size. */
static void list_files(cli *c, kp_import *im)
{
	uint64_t n = 0, bytes = 0;
	for (int i = 0; i < c->ninputs; i++) {
		const char *path;
		uint64_t size;
		char num[48];
		int rc = kp_import_list(im, c->inputs[i]);
		while (rc >= 0 && (rc = kp_import_next_file(im, &path, &size)) > 0) {
			if (strchr(path, '\n')) { /* a line each: it cannot be listed */
				cli_error(c, "cannot list '%s': a newline in its name", path);
				break;
			}
			int k = snprintf(num, sizeof num, "%llu\t%llu\t", (unsigned long long)n++, (unsigned long long)size);
			cli_write(c, c->out, num, (size_t)k);
			cli_write(c, c->out, path, strlen(path));
			cli_write(c, c->out, "\n", 1);
			bytes += size;
		}
		if (rc < 0)
			cli_error(c, "%s", kp_import_errmsg(im));
	}
	cli_note(c, "%llu file%s listed (%s)", (unsigned long long)n, n == 1 ? "" : "s", cli_bytes(bytes, 0));
}

static void summary(cli *c, const kp_import *im, uint64_t invalid_utf8, int month_first)
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
	if (kp_import_count(im, KP_IMPORT_DATED_OTHER_ORDER))
		cli_note(c, "dates only readable %s first: %llu (the first: \"%s\"); the export may write them so, and "
			    "its dates like 09/10/2019 were read %s first: see --date-order",
			 month_first ? "day" : "month", (unsigned long long)kp_import_count(im, KP_IMPORT_DATED_OTHER_ORDER),
			 kp_import_other_order_example(im), month_first ? "month" : "day");
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
		rc |= sb_adds(&b, ",\"undated_example\":") | sb_jsons(&b, ex);
	ex = kp_import_other_order_example(im);
	if (ex)
		rc |= sb_adds(&b, ",\"other_order_example\":") | sb_jsons(&b, ex);
	rc |= sb_adds(&b, "}\n");
	if (rc < 0)
		cli_fatal(c, "out of memory");
	cli_write(c, w, b.p, b.len);
	sb_free(&b);
}

/* The options of a run. */
struct opts {
	const char *added, *source, *skipped_path, *encoding, *counts_path;
	const char *fields[KP_IMPORT_NFIELDS], *meta_fields, *langs;
	int fmt, strict, date_order;
	struct range range;
};

static void read_options(cli *c, struct opts *o, int argc, char **argv)
{
	int opt;
	while ((opt = cli_getopt(c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if ((o->fmt = kp_format_parse(optarg)) < 0)
				cli_usage_error(c, "unknown format '%s' (txt, lines, paragraphs or text, csv, tsv, jsonl, warc, wet)",
						optarg);
			break;
		case OPT_BYTE_RANGE: parse_range(c, &o->range, optarg); break;
		case OPT_FIRST_LINE: o->range.first_line = parse_first_line(c, optarg); break;
		case OPT_FILE_RANGE: parse_file_range(c, &o->range, optarg); break;
		case OPT_LIST_FILES: o->range.list = 1; break;
		case OPT_SOURCE: o->source = optarg; break;
		case OPT_ADDED:
			if (!looks_iso8601(optarg))
				cli_usage_error(c, "--added wants an ISO 8601 time such as 2026-11-29T00:00:00Z");
			o->added = optarg;
			break;
		case OPT_ENCODING: o->encoding = optarg; break;
		case OPT_STRICT: o->strict = 1; break;
		case OPT_META_FIELDS: o->meta_fields = optarg; break;
		case OPT_LANG: o->langs = optarg; break;
		case OPT_SKIPPED: o->skipped_path = optarg; break;
		case OPT_COUNTS: o->counts_path = optarg; break;
		case OPT_DATE_ORDER:
			o->date_order = !strcmp(optarg, "dmy")	 ? KP_DATE_DAY_FIRST
					: !strcmp(optarg, "mdy") ? KP_DATE_MONTH_FIRST
								 : -1;
			if (o->date_order < 0)
				cli_usage_error(c, "--date-order: expected dmy or mdy, not '%s'", optarg);
			break;
		default:
			if (opt >= OPT_FIELD && opt < OPT_FIELD + KP_IMPORT_NFIELDS)
				name_field(c, o->fields, opt - OPT_FIELD, optarg);
			break;
		}
		o->range.side_outputs = o->skipped_path || o->counts_path;
		check_range_options(c, &o->range, o->fmt);
	}
	check_range(c, &o->range);
}

static kp_import *new_importer(cli *c, const struct opts *o)
{
	kp_import *im = kp_import_new(c->max_line); /* the document cap follows --max-line */
	if (!im)
		cli_fatal(c, "out of memory");
	if (kp_import_set_encoding(im, o->encoding) < 0)
		cli_usage_error(c, "%s", kp_import_errmsg(im));
	char now[32];
	now_iso(now, sizeof now);
	kp_import_set_format(im, o->fmt);
	kp_import_set_skip_long(im, c->skip_invalid);
	if (kp_import_set_source(im, o->source, o->source != NULL) < 0 ||
	    kp_import_set_added(im, o->added ? o->added : now, o->added != NULL) < 0 ||
	    kp_import_set_strict(im, o->strict) < 0 || kp_import_set_metadata_fields(im, o->meta_fields) < 0 ||
	    kp_import_set_langs(im, o->langs) < 0 || kp_import_set_date_order(im, o->date_order) < 0)
		cli_fatal(c, "out of memory");
	for (int r = 0; r < KP_IMPORT_NFIELDS; r++)
		if (kp_import_set_field(im, r, o->fields[r]) < 0)
			cli_fatal(c, "%s", kp_import_errmsg(im));
	return im;
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct opts o = {.fmt = KP_FORMAT_AUTO};
	read_options(&c, &o, argc, argv);
	kp_import *im = new_importer(&c, &o);
	if (o.range.list) {
		cli_open_outputs(&c);
		list_files(&c, im);
		kp_import_free(im);
		return cli_finish(&c);
	}
	int from = open_range(&c, im, &o.range); /* the open input of a range */
	cli_open_outputs(&c);
	kp_writer *skipped = o.skipped_path ? cli_open_side(&c, o.skipped_path) : NULL;
	kp_writer *counts = o.counts_path ? cli_open_side(&c, o.counts_path) : NULL;
	uint64_t invalid_utf8 = 0;
	if (from < 0 && c.ninputs == 0)
		import_one(&c, im, "-", skipped, &invalid_utf8);
	else if (from >= 0 && from < c.ninputs)
		import_docs(&c, im, skipped, &invalid_utf8);
	for (int i = from + 1; i < c.ninputs; i++)
		import_one(&c, im, c.inputs[i], skipped, &invalid_utf8);
	/* a shard may hold only records that are skipped: whether the whole
	 * gives a document is for whoever joins the shards */
	if (from < 0)
		check_some_document(&c, im);
	if (counts)
		write_counts(&c, im, counts);
	int status = cli_finish(&c);
	summary(&c, im, invalid_utf8, o.date_order == KP_DATE_MONTH_FIRST);
	kp_import_free(im);
	return status;
}
