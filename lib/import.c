/* The importer: inputs of several formats in, documents out, one at a time.
 * Memory is bounded by the largest document (and, for folders, by the
 * largest directory listing on the path being walked). */
/* d_type (DT_REG, DT_DIR) is a BSD extension that glibc exposes here */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>

#include "internal.h"
#include "json_int.h"
#include "u64map_int.h"
#include "korpus/csv.h"
#include "korpus/doc.h"
#include "korpus/import.h"
#include "korpus/io.h"
#include "korpus/utf8.h"
#include "korpus/warc.h"

static const char *const format_names[] = {"auto", "txt", "lines", "paragraphs", "csv", "tsv", "jsonl", "warc"};

int kp_format_parse(const char *name)
{
	if (strcmp(name, "wet") == 0)
		return KP_FORMAT_WARC;
	/* the text format of korpus split, tok and pack (a sentence a line, a
	 * blank line between documents) is paragraphs read back */
	if (strcmp(name, "text") == 0)
		return KP_FORMAT_PARAGRAPHS;
	for (int i = 0; i < (int)(sizeof format_names / sizeof format_names[0]); i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

const char *kp_format_name(int format)
{
	if (format < 0 || format >= (int)(sizeof format_names / sizeof format_names[0]))
		return "?";
	return format_names[format];
}

static const char *const counter_names[KP_IMPORT_NCOUNTERS] = {
	"read", "written", "empty", "no_text_field", "language", "html", "not_text", "too_long", "other_records",
	"repaired", "repairs", "files", "bytes", "folders_again", "byte_order_marks", "zero_padding", "dated",
	"undated", "dated_other_order",
};

const char *kp_import_counter_name(int counter)
{
	return counter >= 0 && counter < KP_IMPORT_NCOUNTERS ? counter_names[counter] : "?";
}

/* The names exports of news commonly give each part of a document, tried
 * in turn where no name is set (kp_import_set_field). */
static const char *const text_names[] = {"text", "body", "content", "isi", "isi_berita", "konten", "article", "artikel", "berita", NULL};
static const char *const id_names[] = {"id", NULL};
static const char *const title_names[] = {"title", "judul", "headline", NULL};
static const char *const source_names[] = {"source", "site", "sumber", NULL};
static const char *const date_names[] = {"date", "tanggal", "published", "published_at", "pubdate",
					 "datetime", "waktu", "created_at", NULL};
static const char *const url_names[] = {"url", "link", "tautan", NULL};
static const char *const *const usual_names[KP_IMPORT_NFIELDS] = {text_names, id_names,   title_names,
								  source_names, date_names, url_names};
static const char *const role_names[KP_IMPORT_NFIELDS] = {"text", "id", "title", "source", "created", "url"};

const char *kp_import_field_name(int role)
{
	return role >= 0 && role < KP_IMPORT_NFIELDS ? role_names[role] : "?";
}

typedef struct frame {
	char *dir;
	char **names;
	size_t n, i;
} frame;

struct kp_import {
	size_t max_doc;
	kp_err err;
	/* settings */
	int format_opt;
	char *source_opt, *added, *langs;
	char *field[KP_IMPORT_NFIELDS]; /* named fields (columns), or NULL */
	char *meta_fields;              /* the others kept in metadata, or NULL: all */
	int source_force, added_force, strict;
	int skip_long; /* an over-long line of a line format: skipped, not an error */
	int ranged;    /* the next input is read from range_start to range_end */
	uint64_t range_start, range_end, range_first;
	/* a file range: of the files of the inputs, numbered in the order they
	 * are read, only file_first..file_end-1 are; file_no numbers the next
	 * one the inputs give */
	int file_ranged;
	uint64_t file_first, file_end, file_no;
	int file_bytes; /* the byte range was set on the file range's file */
	int file_lost;  /* a walk failed: the files after it have no number */
	int listing; /* the input is open for kp_import_next_file: named, not read */
	kp_u64map folders; /* the folders walked in this input (device, inode) */
	UConverter *cnv;   /* declared input encoding, or NULL for UTF-8 */
	UConverter *http_cnv; /* charset of the last WARC response that named one */
	char http_cs[64];

	/* the open input */
	char *root;   /* the argument */
	char *source; /* its "source" */
	int fmt;
	int is_dir, input_done;
	frame *stack;
	size_t depth, stack_cap;
	char *path; /* the file being read */
	const char *rel; /* its path relative to the argument */
	char *base;      /* rel without its extensions: the stem of ids */
	int file_open;
	uint64_t records; /* CSV data records of the file */
	kp_reader *r;
	kp_csv *csv;
	kp_warc *warc;
	kp_doc *in, *out;
	/* CSV header */
	kp_buf colnames;  /* NUL-terminated names, one after another */
	kp_buf coloffs;   /* size_t offsets into colnames */
	kp_buf meta_ix;   /* size_t column indexes that go to metadata */
	long ix[KP_IMPORT_NFIELDS]; /* the column of each part, or -1 */
	int have_header;

	kp_buf raw, fixed, fixed2, idbuf, scratch, keybuf, para, badline;
	kp_buf seen_fields; /* the fields of the first JSONL record without text */
	kp_buf undated;     /* the first date value that could not be read */
	kp_buf other_order; /* the first date value read in the other order */
	int date_order;     /* KP_DATE_DAY_FIRST or KP_DATE_MONTH_FIRST */
	uint64_t para_first;
	uint64_t line;
	uint64_t counts[KP_IMPORT_NCOUNTERS];
	int last_skip;
	uint64_t bytes_done;
};

/* ---- set-up --------------------------------------------------------------- */

#define NBUFS 14

/* Every growable buffer of the handle, for one place to size and free them. */
static void buffers(kp_import *im, kp_buf *out[NBUFS])
{
	kp_buf *b[NBUFS] = {&im->colnames, &im->coloffs, &im->meta_ix, &im->raw, &im->fixed, &im->fixed2,
			    &im->idbuf, &im->scratch, &im->keybuf, &im->para, &im->badline, &im->seen_fields, &im->undated,
			    &im->other_order};
	memcpy(out, b, sizeof b);
}

kp_import *kp_import_new(size_t max_doc)
{
	kp_import *im = calloc(1, sizeof *im);
	if (!im)
		return NULL;
	if (!max_doc)
		max_doc = KP_DEFAULT_MAX_LINE;
	im->max_doc = max_doc;
	size_t big = max_doc > SIZE_MAX / 8 ? SIZE_MAX / 2 : max_doc * 4 + 4096;
	kp_buf *bufs[NBUFS];
	buffers(im, bufs);
	for (size_t i = 0; i < NBUFS; i++)
		kp_buf_init(bufs[i], big);
	im->r = kp_reader_new(max_doc);
	im->csv = kp_csv_new(',', max_doc);
	im->warc = kp_warc_new(max_doc);
	im->in = kp_doc_new(max_doc, KP_DOC_TEXT_OPTIONAL | KP_DOC_REPAIR_UTF8);
	im->out = kp_doc_new(max_doc * 2, 0);
	if (!im->r || !im->csv || !im->warc || !im->in || !im->out) {
		kp_import_free(im);
		return NULL;
	}
	return im;
}

static void walk_clear(kp_import *im)
{
	kp_u64map_free(&im->folders);
	memset(&im->folders, 0, sizeof im->folders);
	while (im->depth > 0) {
		frame *f = &im->stack[--im->depth];
		for (size_t i = 0; i < f->n; i++)
			free(f->names[i]);
		free(f->names);
		free(f->dir);
	}
}

void kp_import_free(kp_import *im)
{
	if (!im)
		return;
	walk_clear(im);
	free(im->stack);
	kp_reader_free(im->r);
	kp_csv_free(im->csv);
	kp_warc_free(im->warc);
	kp_doc_free(im->in);
	kp_doc_free(im->out);
	if (im->cnv)
		ucnv_close(im->cnv);
	if (im->http_cnv)
		ucnv_close(im->http_cnv);
	kp_buf *bufs[NBUFS];
	buffers(im, bufs);
	for (size_t i = 0; i < NBUFS; i++)
		kp_buf_free(bufs[i]);
	for (int i = 0; i < KP_IMPORT_NFIELDS; i++)
		free(im->field[i]);
	char *strs[] = {im->source_opt, im->added, im->meta_fields, im->langs, im->root, im->source, im->path, im->base};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(strs[i]);
	free(im);
}

static int set_string(kp_import *im, char **dst, const char *s)
{
	free(*dst);
	*dst = NULL;
	if (s && !(*dst = strdup(s)))
		return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	return 0;
}

void kp_import_set_format(kp_import *im, int format)
{
	im->format_opt = format;
}

int kp_import_set_source(kp_import *im, const char *name, int force)
{
	im->source_force = force && name;
	return set_string(im, &im->source_opt, name);
}

int kp_import_set_added(kp_import *im, const char *iso8601, int force)
{
	im->added_force = force;
	return set_string(im, &im->added, iso8601);
}

int kp_import_set_encoding(kp_import *im, const char *encoding)
{
	if (im->cnv) {
		ucnv_close(im->cnv);
		im->cnv = NULL;
	}
	if (!encoding || strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0)
		return 0;
	UErrorCode ec = U_ZERO_ERROR;
	UConverter *cnv = ucnv_open(encoding, &ec);
	if (U_FAILURE(ec))
		return kp_err_set(&im->err, KP_EINVAL, "unknown encoding '%s'", encoding);
	/* line-oriented formats split bytes at '\n': the encoding must agree
	 * with ASCII on it (UTF-16 and UTF-32 do not) */
	UConverterType t = ucnv_getType(cnv);
	if (ucnv_getMinCharSize(cnv) != 1 || t == UCNV_UTF16_BigEndian || t == UCNV_UTF16_LittleEndian ||
	    t == UCNV_UTF32_BigEndian || t == UCNV_UTF32_LittleEndian || t == UCNV_UTF16 || t == UCNV_UTF32) {
		ucnv_close(cnv);
		return kp_err_set(&im->err, KP_EINVAL, "encoding '%s' is not ASCII-compatible (convert it first)",
				  encoding);
	}
	if (t == UCNV_UTF8) {
		ucnv_close(cnv);
		return 0;
	}
	im->cnv = cnv;
	return 0;
}

void kp_import_set_skip_long(kp_import *im, int skip)
{
	im->skip_long = skip;
}

int kp_import_set_range(kp_import *im, uint64_t start, uint64_t end, uint64_t first_line)
{
	if (start > end)
		return kp_err_set(&im->err, KP_EINVAL, "the range %llu:%llu ends before it starts",
				  (unsigned long long)start, (unsigned long long)end);
	im->ranged = 1;
	im->range_start = start;
	im->range_end = end;
	im->range_first = first_line;
	return 0;
}

int kp_import_set_file_range(kp_import *im, uint64_t first, uint64_t end)
{
	if (first > end)
		return kp_err_set(&im->err, KP_EINVAL, "the file range %llu:%llu ends before it starts",
				  (unsigned long long)first, (unsigned long long)end);
	im->file_ranged = 1;
	im->file_first = first;
	im->file_end = end;
	im->file_no = 0;
	im->file_bytes = im->file_lost = 0;
	return 0;
}

uint64_t kp_import_files_numbered(const kp_import *im)
{
	return im->file_no;
}

int kp_import_set_strict(kp_import *im, int strict)
{
	kp_doc *d = kp_doc_new(im->max_doc, KP_DOC_TEXT_OPTIONAL | (strict ? 0 : KP_DOC_REPAIR_UTF8));
	if (!d)
		return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	kp_doc_free(im->in);
	im->in = d;
	im->strict = strict;
	return 0;
}

int kp_import_set_field(kp_import *im, int role, const char *name)
{
	if (role < 0 || role >= KP_IMPORT_NFIELDS)
		return kp_err_set(&im->err, KP_EINVAL, "no such part of a document (%d)", role);
	if (name && !*name)
		return kp_err_set(&im->err, KP_EINVAL, "an empty name for the %s field", role_names[role]);
	return set_string(im, &im->field[role], name);
}

int kp_import_set_metadata_fields(kp_import *im, const char *list)
{
	return set_string(im, &im->meta_fields, list);
}

int kp_import_set_columns(kp_import *im, const char *text_col, const char *id_col, const char *meta_cols)
{
	int rc = kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, text_col);
	if (rc >= 0)
		rc = kp_import_set_field(im, KP_IMPORT_FIELD_ID, id_col);
	if (rc >= 0)
		rc = kp_import_set_metadata_fields(im, meta_cols);
	return rc;
}

int kp_import_set_created_field(kp_import *im, const char *field)
{
	return kp_import_set_field(im, KP_IMPORT_FIELD_CREATED, field);
}

/* Is name one of a comma-separated list? */
static int in_list(const char *list, const char *name, size_t n)
{
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == n && strncasecmp(p, name, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

const char *kp_import_undated_example(const kp_import *im)
{
	return im->undated.len ? im->undated.p : NULL;
}

int kp_import_set_date_order(kp_import *im, int order)
{
	if (order != KP_DATE_DAY_FIRST && order != KP_DATE_MONTH_FIRST)
		return KP_EINVAL;
	im->date_order = order;
	return 0;
}

const char *kp_import_other_order_example(const kp_import *im)
{
	return im->other_order.len ? im->other_order.p : NULL;
}

/* The first value of its kind, kept (at most 60 bytes) in b. */
static int keep_example(kp_buf *b, const char *v, size_t vl)
{
	if (b->len)
		return 0;
	return kp_buf_add(b, v, vl < 60 ? vl : 60) < 0 || kp_buf_addc(b, '\0') < 0 ? KP_ENOMEM : 0;
}

/* "created" of out from a date as the export wrote it (counted: dated or
 * undated). */
static int put_created(kp_import *im, const char *v, size_t vl, kp_doc *out)
{
	char iso[KP_DATE_MAX];
	int other;
	size_t il = kp_date_parse_order(v, vl, im->date_order, iso, &other);
	if (!il) {
		im->counts[KP_IMPORT_UNDATED]++;
		return keep_example(&im->undated, v, vl);
	}
	im->counts[KP_IMPORT_DATED]++;
	if (other) {
		im->counts[KP_IMPORT_DATED_OTHER_ORDER]++;
		if (keep_example(&im->other_order, v, vl) < 0)
			return KP_ENOMEM;
	}
	return kp_doc_set_str(out, "created", iso, il);
}

/* "created" of out from the record's date field, unless it has one. */
static int set_created(kp_import *im, kp_doc *rec, kp_doc *out)
{
	const char *raw, *v;
	size_t n, vl;
	if (kp_doc_get_raw(out, "created", &raw, &n))
		return 0;
	const char *field = im->field[KP_IMPORT_FIELD_CREATED];
	for (size_t i = 0; !field && date_names[i]; i++)
		if (kp_doc_get_raw(rec, date_names[i], &raw, &n))
			field = date_names[i];
	if (!field || !kp_doc_get_raw(rec, field, &raw, &n) || raw[0] == 'n')
		return 0;
	if (raw[0] == '"') {
		int rc = kp_doc_get_str(rec, field, &v, &vl);
		if (rc < 0)
			return rc;
	} else {
		v = raw; /* a number: serial days, Unix seconds */
		vl = n;
	}
	return put_created(im, v, vl, out);
}

int kp_import_set_text_field(kp_import *im, const char *field)
{
	return kp_import_set_field(im, KP_IMPORT_FIELD_TEXT, field);
}

int kp_import_set_langs(kp_import *im, const char *langs)
{
	return set_string(im, &im->langs, langs);
}

int kp_import_format(const kp_import *im)
{
	return im->fmt;
}
uint64_t kp_import_count(const kp_import *im, int counter)
{
	if (counter == KP_IMPORT_BYTES) /* with the file still open after an error */
		return im->counts[counter] + (im->file_open ? kp_reader_bytes_in(im->r) : 0);
	return counter >= 0 && counter < KP_IMPORT_NCOUNTERS ? im->counts[counter] : 0;
}
int kp_import_skipped(const kp_import *im)
{
	return im->last_skip;
}
const char *kp_import_errmsg(const kp_import *im)
{
	return im->err.msg;
}
uint64_t kp_import_line(const kp_import *im)
{
	return im->line;
}
const char *kp_import_file(const kp_import *im)
{
	if (im->path)
		return im->path;
	return im->root && strcmp(im->root, "-") != 0 ? im->root : "<stdin>";
}
uint64_t kp_import_bytes_in(const kp_import *im)
{
	return im->bytes_done + (im->file_open ? kp_reader_bytes_in(im->r) : 0);
}
const char *kp_import_bad_line(const kp_import *im, size_t *len)
{
	*len = im->badline.len;
	return im->badline.p ? im->badline.p : "";
}

/* ---- names ----------------------------------------------------------------- */

static int has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* Length of name without ".gz" and then one known format extension. */
static size_t stem_len(const char *name)
{
	static const char *const exts[] = {".txt", ".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json",
					   ".warc", ".wet", ".text"};
	size_t n = strlen(name);
	if (has_suffix(name, n, ".gz"))
		n -= 3;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (has_suffix(name, n, exts[i]))
			return n - strlen(exts[i]);
	return n;
}

/* The format a file name says (".jsonl.gz": jsonl), or -1. */
static int format_of_name(const char *name)
{
	size_t n = strlen(name);
	if (has_suffix(name, n, ".gz"))
		n -= 3;
	if (has_suffix(name, n, ".txt"))
		return KP_FORMAT_TXT;
	if (has_suffix(name, n, ".csv"))
		return KP_FORMAT_CSV;
	if (has_suffix(name, n, ".tsv") || has_suffix(name, n, ".tab"))
		return KP_FORMAT_TSV;
	if (has_suffix(name, n, ".jsonl") || has_suffix(name, n, ".ndjson") || has_suffix(name, n, ".json"))
		return KP_FORMAT_JSONL;
	if (has_suffix(name, n, ".warc") || has_suffix(name, n, ".wet"))
		return KP_FORMAT_WARC;
	return -1;
}

/* Does a file name in a folder belong to the format being imported?  Any
 * known format when none was given (each file read as its name says). */
static int name_matches(const char *name, int fmt)
{
	size_t n = strlen(name);
	if (fmt == KP_FORMAT_AUTO)
		return format_of_name(name) >= 0;
	if (has_suffix(name, n, ".gz"))
		n -= 3;
	switch (fmt) {
	case KP_FORMAT_CSV: return has_suffix(name, n, ".csv");
	case KP_FORMAT_TSV: return has_suffix(name, n, ".tsv") || has_suffix(name, n, ".tab");
	case KP_FORMAT_JSONL:
		return has_suffix(name, n, ".jsonl") || has_suffix(name, n, ".ndjson") || has_suffix(name, n, ".json");
	case KP_FORMAT_WARC: return has_suffix(name, n, ".warc") || has_suffix(name, n, ".wet");
	default: return has_suffix(name, n, ".txt");
	}
}

/* The default "source": the argument's base name without extensions. */
static char *default_source(const char *arg)
{
	if (strcmp(arg, "-") == 0)
		return strdup("stdin");
	size_t n = strlen(arg);
	while (n > 1 && arg[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && arg[b - 1] != '/')
		b--;
	char *name = strndup(arg + b, n - b);
	if (name)
		name[stem_len(name)] = '\0';
	return name;
}

/* ---- folder walking ------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Does a folder reached again count?  Under a file range, with the file
 * the walk found last (the first, before any), and of a file read in byte
 * ranges with the range that holds its first line (as its byte order
 * mark): once among the parts of the inputs. */
static int counts_again(const kp_import *im)
{
	uint64_t owner = im->file_no ? im->file_no - 1 : 0;
	if (im->listing)
		return 0;
	if (!im->file_ranged)
		return 1;
	int bytes = im->ranged || im->file_bytes;
	return owner >= im->file_first && owner < im->file_end && !(bytes && (im->range_start > 0 || im->range_end == 0));
}

static int walk_push(kp_import *im, const char *dir)
{
	/* each folder once: a link may lead back up (a loop) or to a folder
	 * walked already */
	struct stat st;
	if (stat(dir, &st) != 0)
		return kp_err_errno(&im->err, KP_EIO, errno, "cannot read folder '%s'", dir);
	uint64_t key = ((uint64_t)st.st_dev * 0x9e3779b97f4a7c15ull) ^ (uint64_t)st.st_ino;
	key = key ? key : 1;
	if (kp_u64map_get(&im->folders, key)) {
		if (counts_again(im))
			im->counts[KP_IMPORT_FOLDERS_AGAIN]++;
		return 0;
	}
	if (kp_u64map_add(&im->folders, key, 1, 0) < 0)
		return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	DIR *dp = opendir(dir);
	if (!dp)
		return kp_err_errno(&im->err, KP_EIO, errno, "cannot read folder '%s'", dir);
	frame f = {0};
	size_t cap = 0;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.') /* hidden files, "." and ".." */
			continue;
		char **p = kp_grow_array(f.names, &cap, f.n + 1, sizeof *p, 64);
		if (!p) {
			rc = KP_ENOMEM;
			break;
		}
		f.names = p;
		/* each entry is its d_type byte followed by the name, so files need
		 * no lstat() when the file system reports the type */
		size_t nl = strlen(e->d_name);
		if (!(f.names[f.n] = malloc(nl + 2))) {
			rc = KP_ENOMEM;
			break;
		}
		f.names[f.n][0] = (char)e->d_type;
		memcpy(f.names[f.n] + 1, e->d_name, nl + 1);
		f.n++;
	}
	closedir(dp);
	if (rc == 0 && !(f.dir = strdup(dir)))
		rc = KP_ENOMEM;
	if (rc == 0) {
		frame *s = kp_grow_array(im->stack, &im->stack_cap, im->depth + 1, sizeof *s, 16);
		if (!s)
			rc = KP_ENOMEM;
		else
			im->stack = s;
	}
	if (rc < 0) {
		for (size_t i = 0; i < f.n; i++)
			free(f.names[i]);
		free(f.names);
		free(f.dir);
		return kp_err_set(&im->err, rc, "out of memory walking '%s'", dir);
	}
	if (f.n)
		qsort(f.names, f.n, sizeof *f.names, cmp_names);
	im->stack[im->depth++] = f;
	return 0;
}

/* The next file of the walk in sorted order, depth first: 1 and im->path set,
 * 0 when the walk is done. */
static int walk_next(kp_import *im)
{
	while (im->depth > 0) {
		frame *f = &im->stack[im->depth - 1];
		if (f->i == f->n) {
			for (size_t i = 0; i < f->n; i++)
				free(f->names[i]);
			free(f->names);
			free(f->dir);
			im->depth--;
			continue;
		}
		unsigned char type = (unsigned char)f->names[f->i][0];
		const char *name = f->names[f->i++] + 1;
		if (type == DT_REG && !name_matches(name, im->format_opt == KP_FORMAT_AUTO ? KP_FORMAT_AUTO : im->fmt))
			continue;
		size_t plen = strlen(f->dir) + strlen(name) + 2;
		char *path = malloc(plen);
		if (!path)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
		snprintf(path, plen, "%s/%s", f->dir, name);
		if (type == DT_REG) {
			free(im->path);
			im->path = path;
			return 1;
		}
		struct stat st;
		if (lstat(path, &st) != 0) {
			int rc = kp_err_errno(&im->err, KP_EIO, errno, "cannot read '%s'", path);
			free(path);
			return rc;
		}
		/* a symbolic link counts as what it leads to: a file, or a folder
		 * (walked once, however many links lead to it) */
		if (S_ISLNK(st.st_mode) && stat(path, &st) != 0 && name_matches(name, im->format_opt == KP_FORMAT_AUTO ? KP_FORMAT_AUTO : im->fmt)) {
			/* a broken link to an article is an article not read */
			int rc = kp_err_errno(&im->err, KP_EIO, errno, "cannot read '%s'", path);
			free(path);
			return rc;
		}
		if (S_ISDIR(st.st_mode)) {
			int rc = walk_push(im, path);
			free(path);
			if (rc < 0)
				return rc;
			continue;
		}
		if (!S_ISREG(st.st_mode) || !name_matches(name, im->format_opt == KP_FORMAT_AUTO ? KP_FORMAT_AUTO : im->fmt)) {
			free(path);
			continue;
		}
		free(im->path);
		im->path = path;
		return 1;
	}
	return 0;
}

/* ---- text decoding ---------------------------------------------------------------- */

/* Convert s from cnv's charset into buf as UTF-8 (ICU substitutes U+FFFD
 * for bytes the charset does not define, so the result is valid). */
static int convert(kp_import *im, kp_buf *buf, UConverter *cnv, const char *s, size_t n)
{
	if (n > (SIZE_MAX - 16) / 4 || n > INT32_MAX / 4)
		return kp_err_set(&im->err, KP_ETOOLONG, "text too long");
	size_t cap = n * 3 + 16; /* single-byte charsets: at most 3 UTF-8 bytes a byte */
	for (;;) {
		buf->len = 0;
		if (kp_buf_reserve(buf, cap) < 0)
			return kp_err_set(&im->err, KP_ETOOLONG, "text too long after conversion");
		UErrorCode ec = U_ZERO_ERROR;
		ucnv_reset(cnv);
		int32_t got = ucnv_toAlgorithmic(UCNV_UTF8, cnv, buf->p, (int32_t)cap, s, (int32_t)n, &ec);
		if (ec == U_BUFFER_OVERFLOW_ERROR && cap < n * 4 + 16) {
			cap = n * 4 + 16;
			continue;
		}
		if (U_FAILURE(ec))
			return kp_err_set(&im->err, KP_EFORMAT, "cannot convert the text to UTF-8: %s", u_errorName(ec));
		buf->len = (size_t)got;
		return 0;
	}
}

/* Make s valid UTF-8: a declared charset is converted into buf; UTF-8 is
 * used in place when valid, else repaired into buf with each invalid
 * sequence replaced by U+FFFD (counted in *repairs) or, strict, is
 * KP_EUTF8 with the offset of the first bad byte in *bad. */
static int prepare(kp_import *im, kp_buf *buf, UConverter *cnv, const char *s, size_t n, const char **out,
		   size_t *outlen, uint64_t *repairs, size_t *bad)
{
	if (cnv) {
		int rc = convert(im, buf, cnv, s, n);
		if (rc < 0)
			return rc;
		*out = buf->p;
		*outlen = buf->len;
		return 0;
	}
	size_t valid = kp_utf8_valid_prefix(s, n);
	if (valid == n) {
		*out = s;
		*outlen = n;
		return 0;
	}
	if (im->strict) {
		*bad = valid;
		return kp_err_set(&im->err, KP_EUTF8, "invalid UTF-8 (byte 0x%02x); without --strict it is replaced by U+FFFD",
				  (unsigned char)s[valid]);
	}
	buf->len = 0;
	if (n > SIZE_MAX / 3 || kp_buf_reserve(buf, n * 3) < 0)
		return kp_err_set(&im->err, KP_ETOOLONG, "text too long");
	memcpy(buf->p, s, valid);
	uint64_t count = 0;
	buf->len = valid + kp_utf8_repair(buf->p + valid, s + valid, n - valid, &count);
	*repairs += count;
	*out = buf->p;
	*outlen = buf->len;
	return 0;
}

static uint64_t count_lines(const char *s, size_t n)
{
	uint64_t k = 0;
	for (const char *q = s, *e = s + n; (q = memchr(q, '\n', (size_t)(e - q))); q++)
		k++;
	return k;
}

static int is_empty(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

/* After an error about one record (the codes a caller may skip, see
 * kp_import_next), keep its input without the final newline for
 * kp_import_bad_line(); rc passes through.  A record too large for the
 * buffer leaves it empty, not cut. */
static int bad_record(kp_import *im, int rc, const char *s, size_t n)
{
	if (rc != KP_EJSON && rc != KP_EDOC && rc != KP_EUTF8)
		return rc;
	im->badline.len = 0;
	if (n && s[n - 1] == '\n')
		n--;
	(void)kp_buf_add(&im->badline, s, n);
	return rc;
}

/* ---- documents -------------------------------------------------------------------- */

/* The id "<stem>:<n>" for documents without one of their own. */
static int make_id(kp_import *im, uint64_t n, const char **id, size_t *len)
{
	*id = "";
	*len = 0;
	im->idbuf.len = 0;
	const char *stem = im->base ? im->base : im->source;
	size_t sl = strlen(stem);
	int rc = kp_buf_reserve(&im->idbuf, sl + 24);
	if (rc < 0)
		return kp_err_set(&im->err, rc, "out of memory");
	int k = snprintf(im->idbuf.p, sl + 24, "%s:%llu", stem, (unsigned long long)n);
	*id = im->idbuf.p;
	*len = (size_t)k;
	return 0;
}

/* Start the output document with id, text, source (src, or NULL: the
 * input's), added. */
static int begin_doc_from(kp_import *im, const char *id, size_t idlen, const char *text, size_t tlen, const char *src,
			  size_t srclen)
{
	kp_doc *d = im->out;
	kp_doc_clear(d);
	int rc = kp_doc_set_str(d, "id", id, idlen);
	if (rc >= 0)
		rc = kp_doc_set_text(d, text, tlen);
	if (rc >= 0)
		rc = src ? kp_doc_set_str(d, "source", src, srclen) : kp_doc_set_str(d, "source", im->source, strlen(im->source));
	if (rc >= 0)
		rc = kp_doc_set_str(d, "added", im->added, strlen(im->added));
	return rc < 0 ? kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(d)) : 0;
}

static int begin_doc(kp_import *im, const char *id, size_t idlen, const char *text, size_t tlen)
{
	return begin_doc_from(im, id, idlen, text, tlen, NULL, 0);
}

static void count_repairs(kp_import *im, uint64_t repairs)
{
	if (repairs) {
		im->counts[KP_IMPORT_REPAIRED]++;
		im->counts[KP_IMPORT_REPAIRS] += repairs;
	}
}

/* Serialize d as the next document, with metadata.invalid_utf8 when text
 * was repaired. */
static int finish(kp_import *im, kp_doc *d, uint64_t repairs, const char **line, size_t *len)
{
	int rc = 0;
	if (repairs) {
		count_repairs(im, repairs);
		rc = kp_doc_meta_set_int(d, "invalid_utf8", (int64_t)repairs);
	}
	if (rc >= 0)
		rc = kp_doc_serialize(d, line, len);
	if (rc < 0)
		return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(d));
	im->counts[KP_IMPORT_WRITTEN]++;
	return KP_IMPORT_DOC;
}

/* A skipped candidate: counted, and described as a JSON record. */
static int skip(kp_import *im, int counter, const char *id, size_t idlen, const char **line, size_t *len)
{
	im->counts[counter]++;
	im->last_skip = counter;
	kp_buf *b = &im->scratch;
	const char *file = kp_import_file(im);
	b->len = 0;
	size_t need = kp_json_quote_bound(idlen) + kp_json_quote_bound(strlen(file)) + 96;
	int rc = kp_buf_reserve(b, need);
	if (rc < 0)
		return kp_err_set(&im->err, rc, "out of memory");
	b->len += (size_t)snprintf(b->p, need, "{\"id\":");
	b->len += kp_json_quote(b->p + b->len, id, idlen);
	b->len += (size_t)snprintf(b->p + b->len, need - b->len, ",\"reason\":\"%s\",\"file\":", counter_names[counter]);
	b->len += kp_json_quote(b->p + b->len, file, strlen(file));
	b->len += (size_t)snprintf(b->p + b->len, need - b->len, ",\"line\":%llu}\n", (unsigned long long)im->line);
	*line = b->p;
	*len = b->len;
	return KP_IMPORT_SKIPPED;
}

/* ---- opening an input ------------------------------------------------------------- */

static void close_file(kp_import *im)
{
	if (im->file_open) {
		im->bytes_done += kp_reader_bytes_in(im->r);
		im->counts[KP_IMPORT_BYTES] += kp_reader_bytes_in(im->r);
		im->counts[KP_IMPORT_BOMS] += (uint64_t)kp_reader_bom(im->r);
		im->counts[KP_IMPORT_ZERO_PADDING] += kp_reader_zero_padding(im->r);
		(void)kp_reader_close(im->r);
		im->file_open = 0;
	}
}

/* A first line of 2+ short, non-empty fields is a header row when one of
 * them is a usual text column name, or when any_name (the user named CSV
 * columns, so the input is meant as CSV). */
static int looks_like_header(const char *line, size_t n, char delim, int any_name)
{
	size_t fields = 0, i = 0;
	int named = 0;
	while (i <= n) {
		const char *e = memchr(line + i, delim, n - i);
		size_t end = e ? (size_t)(e - line) : n;
		const char *f = line + i;
		size_t fl = end - i;
		if (fl >= 2 && f[0] == '"' && f[fl - 1] == '"') {
			f++;
			fl -= 2;
		}
		if (fl == 0 || fl > 64)
			return 0;
		fields++;
		for (size_t k = 0; text_names[k]; k++)
			named |= fl == strlen(text_names[k]) && strncasecmp(f, text_names[k], fl) == 0;
		if (!e)
			break;
		i = end + 1;
	}
	return fields >= 2 && (named || any_name);
}

/* Choose the format of a file from its first bytes. */
static int detect(kp_import *im)
{
	const char *p;
	size_t n;
	int rc = kp_reader_peek(im->r, 65536, &p, &n);
	if (rc < 0)
		return kp_err_set(&im->err, rc, "%s: %s", kp_reader_name(im->r), kp_reader_errmsg(im->r));
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
	}
	if (n >= 5 && memcmp(p, "WARC/", 5) == 0)
		return KP_FORMAT_WARC;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < n && p[i] == '{')
		return KP_FORMAT_JSONL;
	const char *nl = memchr(p, '\n', n);
	size_t first = nl ? (size_t)(nl - p) : n;
	if (first && p[first - 1] == '\r')
		first--;
	int columns = im->field[KP_IMPORT_FIELD_TEXT] || im->field[KP_IMPORT_FIELD_ID] || im->meta_fields;
	if (memchr(p, '\t', first) && looks_like_header(p, first, '\t', columns))
		return KP_FORMAT_TSV;
	if (memchr(p, ',', first) && looks_like_header(p, first, ',', columns))
		return KP_FORMAT_CSV;
	return KP_FORMAT_TXT;
}

/* Open the file im->path (or stdin) and prepare its parser. */
static int open_file(kp_import *im, const char *display)
{
	int rc = kp_reader_open(im->r, im->path ? im->path : "-");
	if (rc < 0)
		return kp_err_set(&im->err, rc, "%s", kp_reader_errmsg(im->r));
	im->file_open = 1;
	im->counts[KP_IMPORT_FILES]++;
	im->line = 0;
	im->records = 0;
	im->have_header = 0;
	/* ids are the path relative to the argument, without extensions */
	im->rel = display;
	/* in a folder of sub-folders (one per site), a file's source is its
	 * sub-folder's name */
	const char *sub = im->is_dir && !im->source_opt ? strchr(display, '/') : NULL;
	char *src = sub ? strndup(display, (size_t)(sub - display)) : im->is_dir && !im->source_opt ? default_source(im->root) : NULL;
	if (src || (im->is_dir && !im->source_opt)) {
		if (!src)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
		free(im->source);
		im->source = src;
	}
	free(im->base);
	im->base = strdup(display);
	if (!im->base)
		return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	im->base[stem_len(im->base)] = '\0';
	if (!im->is_dir && im->format_opt == KP_FORMAT_AUTO) {
		rc = detect(im);
		if (rc < 0)
			return rc;
		im->fmt = rc;
		/* a file named .csv/.tsv is one, whatever its header: a text
		 * column it lacks is an error that names its columns, not a
		 * document of the whole file */
		int named = format_of_name(display);
		if ((named == KP_FORMAT_CSV || named == KP_FORMAT_TSV) && rc == KP_FORMAT_TXT)
			im->fmt = named;
	} else if (im->is_dir && im->format_opt == KP_FORMAT_AUTO) {
		im->fmt = format_of_name(display); /* a folder of exports: each as its name says */
	}
	if (im->fmt == KP_FORMAT_CSV || im->fmt == KP_FORMAT_TSV) {
		kp_csv_free(im->csv);
		im->csv = kp_csv_new(im->fmt == KP_FORMAT_TSV ? '\t' : ',', im->max_doc);
		if (!im->csv)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	}
	return 0;
}

/* The part of a single file a range names: a plain file of lines or JSONL,
 * its format detected from the file's start (as for the whole file), then
 * read from the range's start.  On failure nothing of the input is read. */
static int open_range(kp_import *im, int rc)
{
	if (rc >= 0 && !kp_reader_is_gzip(im->r) && im->fmt != KP_FORMAT_JSONL && im->fmt != KP_FORMAT_LINES)
		rc = kp_err_set(&im->err, KP_EINVAL, "'%s' is %s input: a range is for jsonl or lines",
				kp_import_file(im), kp_format_name(im->fmt));
	if (rc >= 0 && (rc = kp_reader_set_range(im->r, im->range_start, im->range_end, im->range_first)) < 0)
		kp_err_set(&im->err, rc, "%s", kp_reader_errmsg(im->r));
	if (rc < 0) {
		close_file(im);
		im->input_done = 1;
	}
	return rc;
}

/* What opening an input for reading or for listing begins with: the last
 * input closed, the handle set to path (its root, source and format; path
 * for a file).  Returns 1 for a folder (not walked yet), 0 for a file or
 * standard input, < 0 on an error. */
static int begin_input(kp_import *im, const char *path)
{
	close_file(im);
	walk_clear(im);
	kp_err_clear(&im->err);
	im->input_done = 0;
	im->is_dir = 0;
	im->line = 0;
	free(im->path);
	im->path = NULL;
	if (set_string(im, &im->root, path) < 0)
		return KP_ENOMEM;
	free(im->source);
	im->source = im->source_opt ? strdup(im->source_opt) : default_source(path);
	if (!im->source)
		return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	im->fmt = im->format_opt;
	struct stat st;
	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return (im->path = strdup(path)) ? 0 : kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	im->is_dir = 1;
	if (im->fmt == KP_FORMAT_AUTO)
		im->fmt = KP_FORMAT_TXT;
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		im->root[--n] = '\0';
	return 1;
}

/* Number the file the walk (or the input) gives, under a file range: 1
 * read it, 0 not (before the range), -1 not, and the range is behind. */
static int take_file(kp_import *im)
{
	if (!im->file_ranged)
		return 1;
	if (im->file_lost)
		return -1;
	uint64_t n = im->file_no++;
	return n < im->file_first ? 0 : n < im->file_end ? 1 : -1;
}

/* Open the file a walk or a file range takes; with a file range, a byte
 * range is the range's one file's. */
static int open_taken(kp_import *im, const char *display)
{
	int rc = open_file(im, display);
	if (!im->ranged || !im->file_ranged)
		return rc;
	im->ranged = 0;
	im->file_bytes = 1;
	return open_range(im, rc);
}

/* The walk failed: under a file range, the files after the failure cannot
 * be numbered, so none is read (rc passes through). */
static int walk_failed(kp_import *im, int rc)
{
	if (rc < 0 && im->file_ranged)
		im->file_lost = 1;
	return rc;
}

/* Advance to the next file of a folder: 1 opened, 0 none left (or the
 * file range's end reached). */
static int next_file(kp_import *im)
{
	close_file(im);
	if (!im->is_dir)
		return 0;
	int rc, take;
	do {
		if ((rc = walk_next(im)) <= 0)
			return walk_failed(im, rc);
	} while ((take = take_file(im)) == 0);
	if (take < 0) /* the walk stops at the first file after the range */
		return 0;
	rc = open_taken(im, im->path + strlen(im->root) + 1);
	return rc < 0 ? rc : 1;
}

/* An input under a file range, its files numbered on from the inputs'
 * before: the first file of the range it holds is opened now (a folder
 * walked up to it), so that a failure to open it is kp_import_open's. */
static int open_in_file_range(kp_import *im, int is_dir, int ranged)
{
	if (ranged && im->file_end != im->file_first + 1)
		return kp_err_set(&im->err, KP_EINVAL, "a byte range is for one file, not the file range %llu:%llu",
				  (unsigned long long)im->file_first, (unsigned long long)im->file_end);
	if (!im->path && !is_dir)
		return kp_err_set(&im->err, KP_EINVAL, "standard input: a file range is for files and folders");
	if (im->file_lost || im->file_no > im->file_end) { /* past the range: not even looked at */
		im->input_done = 1;
		return 0;
	}
	int rc = 0;
	if (is_dir) {
		rc = walk_failed(im, walk_push(im, im->root));
		if (rc >= 0)
			rc = next_file(im);
	} else if (take_file(im) > 0) {
		const char *slash = strrchr(im->path, '/');
		rc = open_taken(im, slash ? slash + 1 : im->path);
	}
	if (!im->file_open)
		im->input_done = 1;
	return rc < 0 ? rc : 0;
}

int kp_import_open(kp_import *im, const char *path)
{
	int is_dir = begin_input(im, path);
	im->listing = 0;
	/* a byte range is for this input only; under a file range, for the
	 * range's file */
	int ranged = im->ranged;
	im->ranged = ranged && im->file_ranged;
	if (is_dir < 0)
		return is_dir;
	if (!im->added)
		return kp_err_set(&im->err, KP_EINVAL, "no \"added\" time set");
	if (im->file_ranged)
		return open_in_file_range(im, is_dir, ranged);
	if (is_dir) {
		if (ranged)
			return kp_err_set(&im->err, KP_EINVAL, "'%s' is a folder: a range is for one plain file", path);
		return walk_push(im, im->root);
	}
	if (ranged && !im->path)
		return kp_err_set(&im->err, KP_EINVAL, "standard input: a range is for a plain file");
	/* a single file: its base name is its relative path */
	const char *slash = strrchr(path, '/');
	int rc = open_file(im, !im->path ? "stdin" : slash ? slash + 1 : path);
	return ranged ? open_range(im, rc) : rc;
}

int kp_import_list(kp_import *im, const char *path)
{
	int is_dir = begin_input(im, path);
	im->listing = 1;
	if (is_dir < 0)
		return is_dir;
	if (!is_dir && !im->path) {
		im->input_done = 1;
		return kp_err_set(&im->err, KP_EINVAL, "standard input: only files and folders can be listed");
	}
	return is_dir ? walk_push(im, im->root) : 0;
}

int kp_import_next_file(kp_import *im, const char **path, uint64_t *size)
{
	if (!im->root || !im->listing)
		return kp_err_set(&im->err, KP_ESTATE, "no input open for listing");
	if (im->input_done)
		return 0;
	int rc = im->is_dir ? walk_next(im) : 1;
	im->input_done = rc <= 0 || !im->is_dir;
	if (rc <= 0)
		return rc;
	struct stat st;
	if (stat(im->path, &st) != 0) {
		im->input_done = 1;
		return kp_err_errno(&im->err, KP_EIO, errno, "cannot read '%s'", im->path);
	}
	*path = im->path;
	*size = (uint64_t)st.st_size;
	return 1;
}

/* ---- txt: one document per file ------------------------------------------------------ */

/* A folder of files of several formats: the file just opened is of another
 * format than the reader that asked; kp_import_next dispatches again. */
#define FORMAT_SWITCH (-1000)

/* Make sure a file is open: 1 yes, 0 no more files in this input,
 * FORMAT_SWITCH (opened, for another reader). */
static int ensure_file(kp_import *im)
{
	if (im->file_open)
		return 1;
	if (im->input_done)
		return 0;
	int want = im->fmt, rc = next_file(im);
	if (rc == 0)
		im->input_done = 1;
	return rc > 0 && im->fmt != want ? FORMAT_SWITCH : rc;
}

/* The current file is finished. */
static void end_file(kp_import *im)
{
	close_file(im);
	if (!im->is_dir)
		im->input_done = 1;
}

static int next_txt(kp_import *im, const char **line, size_t *len)
{
	int rc = ensure_file(im);
	if (rc <= 0)
		return rc;
	/* read the whole file, up to the cap; past it, the document is skipped
	 * without reading the rest (which may never end: /dev/zero).  One byte
	 * past the cap tells it, so no read asks for more room than that: a
	 * fixed 64 KiB would pass the buffer's own cap when the document cap
	 * is small. */
	im->raw.len = 0;
	int too_long = 0;
	while (!too_long) {
		size_t want = im->max_doc - im->raw.len; /* raw.len <= max_doc here */
		want = want < (size_t)1 << 16 ? want + 1 : (size_t)1 << 16;
		if ((rc = kp_buf_reserve(&im->raw, want)) < 0)
			return kp_err_set(&im->err, rc, "%s", rc == KP_ENOMEM ? "out of memory" : "text too long");
		long got = kp_reader_read(im->r, im->raw.p + im->raw.len, want);
		if (got < 0) {
			im->line = kp_reader_lineno(im->r) + 1;
			return kp_err_set(&im->err, (int)got, "%s", kp_reader_errmsg(im->r));
		}
		if (got == 0)
			break;
		im->raw.len += (size_t)got;
		too_long = im->raw.len > im->max_doc;
	}
	end_file(im);
	im->line = 1;
	im->counts[KP_IMPORT_READ]++;
	const char *id = im->base;
	size_t idlen = strlen(id);
	if (too_long)
		return skip(im, KP_IMPORT_SKIP_TOOLONG, id, idlen, line, len);
	const char *text;
	size_t tlen, bad = 0;
	uint64_t repairs = 0;
	rc = prepare(im, &im->fixed, im->cnv, im->raw.p ? im->raw.p : "", im->raw.len, &text, &tlen, &repairs, &bad);
	if (rc < 0) {
		if (rc == KP_EUTF8) {
			im->line = 1 + count_lines(im->raw.p, bad);
			bad_record(im, rc, im->raw.p, im->raw.len);
		}
		return rc;
	}
	if (is_empty(text, tlen))
		return skip(im, KP_IMPORT_SKIP_EMPTY, id, idlen, line, len);
	if ((rc = begin_doc(im, id, idlen, text, tlen)) < 0)
		return rc;
	if ((rc = kp_doc_meta_set_str(im->out, "path", im->rel, strlen(im->rel))) < 0)
		return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
	return finish(im, im->out, repairs, line, len);
}

/* ---- line-based formats: lines, paragraphs, jsonl ----------------------------------- */

enum { GOT_LINE = 1, END_OF_FILE = 2 };

/* The next line: GOT_LINE; END_OF_FILE when a file of the input ended (its
 * id stem is still current); 0 when the input is done; < 0 on error. */
static int get_line(kp_import *im, const char **line, size_t *len)
{
	int rc = ensure_file(im);
	if (rc <= 0)
		return rc;
	rc = kp_reader_getline(im->r, line, len);
	if (rc > 0) {
		im->line = kp_reader_lineno(im->r);
		return GOT_LINE;
	}
	if (rc < 0) {
		im->line = kp_reader_lineno(im->r) + (rc == KP_ETOOLONG ? 0 : 1);
		return kp_err_set(&im->err, rc, "%s", kp_reader_errmsg(im->r));
	}
	end_file(im);
	return END_OF_FILE;
}

/* One document from a line-based text format, with metadata.path and
 * metadata.line. */
static int text_doc(kp_import *im, uint64_t first_line, const char *s, size_t n, const char **line, size_t *len)
{
	const char *id;
	size_t idlen;
	int rc = make_id(im, first_line, &id, &idlen);
	if (rc < 0)
		return rc;
	im->line = first_line;
	im->counts[KP_IMPORT_READ]++;
	if (n > im->max_doc)
		return skip(im, KP_IMPORT_SKIP_TOOLONG, id, idlen, line, len);
	const char *text;
	size_t tlen, bad = 0;
	uint64_t repairs = 0;
	if ((rc = prepare(im, &im->fixed, im->cnv, s, n, &text, &tlen, &repairs, &bad)) < 0) {
		if (rc == KP_EUTF8) {
			im->line = first_line + count_lines(s, bad);
			bad_record(im, rc, s, n);
		}
		return rc;
	}
	if (is_empty(text, tlen))
		return skip(im, KP_IMPORT_SKIP_EMPTY, id, idlen, line, len);
	if ((rc = begin_doc(im, id, idlen, text, tlen)) < 0)
		return rc;
	if ((rc = kp_doc_meta_set_str(im->out, "path", im->rel, strlen(im->rel))) < 0 ||
	    (rc = kp_doc_meta_set_int(im->out, "line", (int64_t)first_line)) < 0)
		return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
	return finish(im, im->out, repairs, line, len);
}

static size_t strip_cr(const char *s, size_t n)
{
	return n && s[n - 1] == '\r' ? n - 1 : n;
}

/* A line over the cap: skipped like a document that is too long. */
static int skip_long_line(kp_import *im, const char **line, size_t *len)
{
	if (!im->skip_long) /* an error at once: its end may never come (/dev/zero) */
		return KP_ETOOLONG;
	const char *id;
	size_t idlen;
	if (make_id(im, im->line, &id, &idlen) < 0)
		return KP_ENOMEM;
	im->counts[KP_IMPORT_READ]++;
	return skip(im, KP_IMPORT_SKIP_TOOLONG, id, idlen, line, len);
}

static int next_lines(kp_import *im, const char **line, size_t *len)
{
	for (;;) {
		const char *s;
		size_t n;
		int rc = get_line(im, &s, &n);
		if (rc == KP_ETOOLONG)
			return skip_long_line(im, line, len);
		if (rc == END_OF_FILE)
			continue;
		if (rc <= 0)
			return rc;
		return text_doc(im, im->line, s, strip_cr(s, n), line, len);
	}
}

/* Paragraphs: runs of non-blank lines, joined by '\n'; a blank line or the
 * end of a file ends one. */
static int next_paragraphs(kp_import *im, const char **line, size_t *len)
{
	for (;;) {
		const char *s;
		size_t n;
		int rc = get_line(im, &s, &n);
		if (rc < 0)
			return rc;
		if (rc == GOT_LINE && !is_empty(s, n)) {
			if (im->para.len == 0)
				im->para_first = im->line;
			else if (kp_buf_addc(&im->para, '\n') < 0)
				return kp_err_set(&im->err, KP_ETOOLONG, "paragraph longer than the document limit");
			if (kp_buf_add(&im->para, s, strip_cr(s, n)) < 0)
				return kp_err_set(&im->err, KP_ETOOLONG, "paragraph longer than the document limit");
			continue;
		}
		if (im->para.len) {
			rc = text_doc(im, im->para_first, im->para.p, im->para.len, line, len);
			im->para.len = 0;
			return rc;
		}
		if (rc == 0)
			return 0;
	}
}

/* ---- csv / tsv ---------------------------------------------------------------------- */

static const char *colname(const kp_import *im, size_t i)
{
	return im->colnames.p + ((const size_t *)(const void *)im->coloffs.p)[i];
}

static long find_column(const kp_import *im, const char *name)
{
	for (size_t i = 0; i < im->coloffs.len / sizeof(size_t); i++)
		if (strcasecmp(colname(im, i), name) == 0)
			return (long)i;
	return -1;
}

/* The record of a KP_EUTF8 (rc passes through) written again as CSV/TSV
 * for kp_import_bad_line(): its fields as read, quoted where they must be. */
static int csv_bad(kp_import *im, int rc)
{
	if (rc != KP_EUTF8)
		return rc;
	char delim = im->fmt == KP_FORMAT_TSV ? '\t' : ',';
	kp_buf *b = &im->badline;
	int ok = 1;
	b->len = 0;
	for (size_t i = 0; ok && i < im->coloffs.len / sizeof(size_t); i++) {
		size_t fl;
		const char *f = kp_csv_field(im->csv, i, &fl);
		int quote = 0;
		for (size_t k = 0; k < fl && !quote; k++)
			quote = f[k] == delim || f[k] == '"' || f[k] == '\n' || f[k] == '\r';
		ok = (!i || kp_buf_addc(b, delim) == 0) && (!quote || kp_buf_addc(b, '"') == 0);
		for (size_t k = 0; ok && k < fl; k++) /* a quote doubled */
			ok = kp_buf_addc(b, f[k]) == 0 && (f[k] != '"' || kp_buf_addc(b, '"') == 0);
		ok = ok && (!quote || kp_buf_addc(b, '"') == 0);
	}
	if (!ok)
		b->len = 0;
	return rc;
}

static int csv_error(kp_import *im, int rc)
{
	im->line = kp_csv_line(im->csv);
	return kp_err_set(&im->err, rc, "%s", kp_csv_errmsg(im->csv));
}

/* Column ix into the metadata columns, once. */
static int meta_push(kp_import *im, long ix)
{
	const size_t *m = (const size_t *)(const void *)im->meta_ix.p;
	for (size_t k = 0; k < im->meta_ix.len / sizeof(size_t); k++)
		if ((long)m[k] == ix)
			return 0;
	size_t u = (size_t)ix;
	return kp_buf_add(&im->meta_ix, &u, sizeof u);
}

/* Read the header row and resolve the columns of each part and of the
 * metadata. */
static int csv_header(kp_import *im)
{
	size_t nf;
	int rc = kp_csv_next(im->csv, im->r, &nf);
	if (rc < 0)
		return csv_error(im, rc);
	if (rc == 0)
		return 0;
	im->line = kp_csv_line(im->csv);
	im->colnames.len = im->coloffs.len = im->meta_ix.len = 0;
	for (size_t i = 0; i < nf; i++) {
		size_t fl;
		const char *f = kp_csv_field(im->csv, i, &fl);
		size_t off = im->colnames.len;
		if (kp_buf_add(&im->colnames, f, fl) < 0 || kp_buf_addc(&im->colnames, '\0') < 0 ||
		    kp_buf_add(&im->coloffs, &off, sizeof off) < 0)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	}
	/* the column of each part: the one named, else the first usual name */
	for (int r = 0; r < KP_IMPORT_NFIELDS; r++) {
		const char *named = im->field[r];
		im->ix[r] = named ? find_column(im, named) : -1;
		for (size_t k = 0; !named && im->ix[r] < 0 && usual_names[r][k]; k++)
			im->ix[r] = find_column(im, usual_names[r][k]);
		if (im->ix[r] >= 0 || (!named && r != KP_IMPORT_FIELD_TEXT))
			continue;
		kp_buf *b = &im->scratch;
		b->len = 0;
		for (size_t i = 0; i < nf; i++) {
			if (i)
				(void)kp_buf_adds(b, ", ");
			(void)kp_buf_adds(b, colname(im, i));
		}
		(void)kp_buf_addc(b, '\0');
		if (named)
			return kp_err_set(&im->err, KP_EFORMAT, "no column '%s' in the header (%.200s)", named, b->p);
		return kp_err_set(&im->err, KP_EFORMAT, "no text column in the header (%.200s); name it with --text-field",
				  b->p);
	}
	/* a column of two parts (a "date" named as the title too) serves the first */
	for (int r = 1; r < KP_IMPORT_NFIELDS; r++)
		for (int q = 0; q < r; q++)
			if (im->ix[r] == im->ix[q])
				im->ix[r] = -1;
	long text = im->ix[KP_IMPORT_FIELD_TEXT], id = im->ix[KP_IMPORT_FIELD_ID];
	long src = im->source_force ? -1 : im->ix[KP_IMPORT_FIELD_SOURCE];
	/* metadata: the listed columns in their order (else all the others in
	 * the header's), and the title, url and date in any case */
	if (im->meta_fields) {
		char *list = strdup(im->meta_fields);
		if (!list)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
		for (char *save = NULL, *c = strtok_r(list, ",", &save); c && rc >= 0; c = strtok_r(NULL, ",", &save)) {
			long ix = find_column(im, c);
			if (ix < 0)
				rc = kp_err_set(&im->err, KP_EFORMAT, "no column '%s' in the header", c);
			else if (ix != text && ix != id && ix != src && meta_push(im, ix) < 0)
				rc = kp_err_set(&im->err, KP_ENOMEM, "out of memory");
		}
		free(list);
		static const int mapped[] = {KP_IMPORT_FIELD_TITLE, KP_IMPORT_FIELD_URL, KP_IMPORT_FIELD_CREATED};
		for (size_t k = 0; rc >= 0 && k < sizeof mapped / sizeof mapped[0]; k++)
			if (im->ix[mapped[k]] >= 0 && meta_push(im, im->ix[mapped[k]]) < 0)
				rc = kp_err_set(&im->err, KP_ENOMEM, "out of memory");
		if (rc < 0)
			return rc;
	} else {
		for (size_t i = 0; i < nf; i++)
			if ((long)i != text && (long)i != id && (long)i != src && meta_push(im, (long)i) < 0)
				return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	}
	im->have_header = 1;
	return 1;
}

static int next_csv(kp_import *im, const char **line, size_t *len)
{
	for (;;) {
		int rc = ensure_file(im);
		if (rc <= 0)
			return rc;
		if (!im->have_header) {
			kp_csv_reset(im->csv);
			rc = csv_header(im);
			if (rc < 0)
				return rc;
			if (rc == 0) { /* an empty file */
				end_file(im);
				continue;
			}
		}
		size_t nf;
		rc = kp_csv_next(im->csv, im->r, &nf);
		if (rc < 0)
			return csv_error(im, rc);
		if (rc == 0) {
			end_file(im);
			continue;
		}
		im->line = kp_csv_line(im->csv);
		im->records++;
		size_t ncols = im->coloffs.len / sizeof(size_t);
		if (nf != ncols)
			return kp_err_set(&im->err, KP_EFORMAT, "record %llu has %zu field%s, the header has %zu",
					  (unsigned long long)im->records, nf, nf == 1 ? "" : "s", ncols);
		im->counts[KP_IMPORT_READ]++;
		uint64_t repairs = 0;
		size_t bad;
		const char *id, *text, *f;
		size_t idlen, tlen, fl;
		long id_ix = im->ix[KP_IMPORT_FIELD_ID];
		if (id_ix >= 0) {
			f = kp_csv_field(im->csv, (size_t)id_ix, &fl);
			if ((rc = prepare(im, &im->fixed2, im->cnv, f, fl, &id, &idlen, &repairs, &bad)) < 0)
				return csv_bad(im, rc);
			if (id != im->idbuf.p) { /* keep it apart from the text's buffers */
				im->idbuf.len = 0;
				if (kp_buf_add(&im->idbuf, id, idlen) < 0)
					return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
				id = im->idbuf.p;
			}
		} else if ((rc = make_id(im, im->records, &id, &idlen)) < 0) {
			return rc;
		}
		f = kp_csv_field(im->csv, (size_t)im->ix[KP_IMPORT_FIELD_TEXT], &fl);
		if (fl > im->max_doc)
			return skip(im, KP_IMPORT_SKIP_TOOLONG, id, idlen, line, len);
		if ((rc = prepare(im, &im->fixed, im->cnv, f, fl, &text, &tlen, &repairs, &bad)) < 0)
			return csv_bad(im, rc);
		if (is_empty(text, tlen))
			return skip(im, KP_IMPORT_SKIP_EMPTY, id, idlen, line, len);
		/* the source: the row's (not empty), else the input's */
		const char *v = NULL;
		size_t vl = 0;
		long six = im->source_force ? -1 : im->ix[KP_IMPORT_FIELD_SOURCE];
		if (six >= 0) {
			f = kp_csv_field(im->csv, (size_t)six, &fl);
			if ((rc = prepare(im, &im->fixed2, im->cnv, f, fl, &v, &vl, &repairs, &bad)) < 0)
				return csv_bad(im, rc);
			if (is_empty(v, vl))
				v = NULL;
		}
		if ((rc = begin_doc_from(im, id, idlen, text, tlen, v, vl)) < 0)
			return rc;
		long cix = im->ix[KP_IMPORT_FIELD_CREATED];
		if (cix >= 0) {
			f = kp_csv_field(im->csv, (size_t)cix, &fl);
			if ((rc = prepare(im, &im->fixed2, im->cnv, f, fl, &v, &vl, &repairs, &bad)) < 0)
				return csv_bad(im, rc);
			if (!is_empty(v, vl) && (rc = put_created(im, v, vl, im->out)) < 0)
				return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
		}
		const size_t *mix = (const size_t *)(const void *)im->meta_ix.p;
		for (size_t k = 0; k < im->meta_ix.len / sizeof(size_t); k++) {
			long c = (long)mix[k];
			f = kp_csv_field(im->csv, mix[k], &fl);
			/* one scratch per value: the doc copies it before the next */
			if ((rc = prepare(im, &im->fixed2, im->cnv, f, fl, &v, &vl, &repairs, &bad)) < 0)
				return csv_bad(im, rc);
			const char *key = c == im->ix[KP_IMPORT_FIELD_TITLE] ? "title"
					  : c == im->ix[KP_IMPORT_FIELD_URL] ? "url"
									     : colname(im, mix[k]);
			if ((rc = kp_doc_meta_set_str(im->out, key, v, vl)) < 0)
				return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
		}
		return finish(im, im->out, repairs, line, len);
	}
}

/* ---- jsonl -------------------------------------------------------------------------- */

static int is_field(const char *k, size_t kl, const char *name)
{
	return kl == strlen(name) && memcmp(k, name, kl) == 0;
}

/* A member key without escapes, NUL-terminated. */
static const char *plain_key(kp_import *im, const char *k, size_t kl)
{
	im->keybuf.len = 0;
	if (kp_buf_reserve(&im->keybuf, kl + 1) < 0)
		return NULL;
	im->keybuf.len = memchr(k, '\\', kl) ? kp_json_unescape(im->keybuf.p, k, kl, NULL) : (memcpy(im->keybuf.p, k, kl), kl);
	im->keybuf.p[im->keybuf.len] = '\0';
	return im->keybuf.p;
}

static int jsonl_error(kp_import *im, int rc, const char *s, size_t n)
{
	bad_record(im, rc, s, n);
	return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->in));
}

/* The record's field of a part: the one named when the record has it as a
 * string, else (none named) the first usual name it has as a string. */
static const char *field_of(kp_import *im, kp_doc *d, int role)
{
	const char *raw;
	size_t rl;
	if (im->field[role])
		return kp_doc_get_raw(d, im->field[role], &raw, &rl) && raw[0] == '"' ? im->field[role] : NULL;
	for (const char *const *n = usual_names[role]; *n; n++)
		if (kp_doc_get_raw(d, *n, &raw, &rl) && raw[0] == '"')
			return *n;
	return NULL;
}

/* The fields of the first record that had no text, for the hint of a run
 * that finds none. */
static int note_fields(kp_import *im, kp_doc *d)
{
	const char *k, *raw;
	size_t kl, rl;
	for (size_t i = 0; kp_doc_field(d, i, &k, &kl, &raw, &rl) && im->seen_fields.len < 200; i++)
		if ((im->seen_fields.len && kp_buf_add(&im->seen_fields, ", ", 2) < 0) || kp_buf_add(&im->seen_fields, k, kl) < 0)
			return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
	return kp_buf_addc(&im->seen_fields, '\0') < 0 ? kp_err_set(&im->err, KP_ENOMEM, "out of memory")
							 : (int)(im->seen_fields.len--, 0);
}

const char *kp_import_seen_fields(const kp_import *im)
{
	return im->seen_fields.len ? im->seen_fields.p : NULL;
}

static int next_jsonl(kp_import *im, const char **line, size_t *len)
{
	const char *s;
	size_t n;
	int rc;
	for (;;) {
		rc = get_line(im, &s, &n);
		if (rc == KP_ETOOLONG)
			return skip_long_line(im, line, len);
		if (rc == END_OF_FILE)
			continue;
		if (rc <= 0)
			return rc;
		if (!is_empty(s, n))
			break;
	}
	kp_doc *in = im->in;
	if ((rc = kp_doc_parse(in, s, n)) < 0)
		return jsonl_error(im, rc, s, n);
	const char *field = im->field[KP_IMPORT_FIELD_TEXT];
	if (!field && !(field = field_of(im, in, KP_IMPORT_FIELD_TEXT)))
		field = "text";
	const char *idf = im->field[KP_IMPORT_FIELD_ID] ? im->field[KP_IMPORT_FIELD_ID] : "id";
	/* a record is rewritten when its text is elsewhere or a part is named */
	int remap = strcmp(field, "text") != 0 || strcmp(idf, "id") != 0 || im->field[KP_IMPORT_FIELD_TITLE] ||
		    im->field[KP_IMPORT_FIELD_SOURCE] || im->field[KP_IMPORT_FIELD_URL] || im->meta_fields;
	im->counts[KP_IMPORT_READ]++;
	uint64_t repairs = kp_doc_repairs(in);

	const char *raw, *id;
	size_t rawlen, idlen;
	int has_id;
	if (strcmp(idf, "id") == 0) {
		has_id = (id = kp_doc_id(in, &idlen)) != NULL;
	} else {
		/* the named id field, a string or a number, copied apart */
		has_id = kp_doc_get_raw(in, idf, &raw, &rawlen) && (raw[0] == '"' || raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'));
		if (has_id) {
			if (raw[0] == '"' && (rc = kp_doc_get_str(in, idf, &raw, &rawlen)) < 0)
				return jsonl_error(im, rc, s, n);
			im->idbuf.len = 0;
			if (kp_buf_add(&im->idbuf, raw, rawlen) < 0 || kp_buf_addc(&im->idbuf, '\0') < 0)
				return kp_err_set(&im->err, KP_ENOMEM, "out of memory");
			id = im->idbuf.p;
			idlen = rawlen;
		}
	}
	if (!has_id && (rc = make_id(im, im->line, &id, &idlen)) < 0)
		return rc;
	int has_text = kp_doc_get_raw(in, field, &raw, &rawlen);
	if (has_text && raw[0] != '"' && raw[0] != 'n') {
		kp_err_set(&im->err, KP_EDOC, "\"%s\" is not a string", field);
		return bad_record(im, KP_EDOC, s, n);
	}
	const char *text = "";
	size_t tlen = 0;
	if (!has_text || raw[0] == 'n') {
		if (!im->seen_fields.len && (rc = note_fields(im, in)) < 0)
			return rc;
		return skip(im, KP_IMPORT_SKIP_NOFIELD, id, idlen, line, len);
	}
	if ((rc = kp_doc_get_str(in, field, &text, &tlen)) < 0)
		return jsonl_error(im, rc, s, n);
	if (is_empty(text, tlen))
		return skip(im, KP_IMPORT_SKIP_EMPTY, id, idlen, line, len);
	if (tlen > im->max_doc)
		return skip(im, KP_IMPORT_SKIP_TOOLONG, id, idlen, line, len);
	if (!remap) {
		/* the document stays as it is; id, source and added are filled in */
		if (!has_id && (rc = kp_doc_set_str(in, "id", id, idlen)) < 0)
			return jsonl_error(im, rc, s, n);
		if ((!kp_doc_get_raw(in, "source", &raw, &rawlen) || im->source_force) &&
		    (rc = kp_doc_set_str(in, "source", im->source, strlen(im->source))) < 0)
			return jsonl_error(im, rc, s, n);
		if ((!kp_doc_get_raw(in, "added", &raw, &rawlen) || im->added_force) &&
		    (rc = kp_doc_set_str(in, "added", im->added, strlen(im->added))) < 0)
			return jsonl_error(im, rc, s, n);
		if (repairs && (rc = kp_doc_meta_set_int(in, "invalid_utf8", (int64_t)repairs)) < 0)
			return jsonl_error(im, rc, s, n); /* "metadata" is not an object */
		if ((rc = set_created(im, in, in)) < 0)
			return jsonl_error(im, rc, s, n);
		count_repairs(im, repairs);
		return finish(im, in, 0, line, len);
	}
	/* the text field moves to "text"; unknown fields move into metadata */
	kp_doc *out = im->out;
	kp_doc_clear(out);
	const char *k;
	size_t kl;
	rc = kp_doc_set_str(out, "id", id, idlen);
	if (rc >= 0 && has_id && kp_doc_get_raw(in, idf, &raw, &rawlen) && raw[0] != '"')
		rc = kp_doc_set_raw(out, "id", raw, rawlen);
	if (rc >= 0)
		rc = kp_doc_set_text(out, text, tlen);
	/* the source: the record's "source", else its site field, else the
	 * input's name */
	const char *src_field = field_of(im, in, KP_IMPORT_FIELD_SOURCE);
	if (rc >= 0)
		rc = (!src_field || !kp_doc_get_raw(in, src_field, &raw, &rawlen) || raw[0] != '"' || im->source_force)
			     ? kp_doc_set_str(out, "source", im->source, strlen(im->source))
			     : kp_doc_set_raw(out, "source", raw, rawlen);
	if (rc >= 0)
		rc = (!kp_doc_get_raw(in, "added", &raw, &rawlen) || im->added_force)
			     ? kp_doc_set_str(out, "added", im->added, strlen(im->added))
			     : kp_doc_set_raw(out, "added", raw, rawlen);
	if (rc >= 0 && kp_doc_get_raw(in, "created", &raw, &rawlen))
		rc = kp_doc_set_raw(out, "created", raw, rawlen);
	if (rc >= 0)
		rc = set_created(im, in, out);
	for (size_t i = 0; rc >= 0 && kp_doc_meta_field(in, i, &k, &kl, &raw, &rawlen); i++) {
		const char *key = plain_key(im, k, kl);
		rc = key ? kp_doc_meta_set_raw(out, key, raw, rawlen) : KP_ENOMEM;
	}
	/* the title and the address of an export under their usual names
	 * ("judul" -> metadata.title), unless the record has those too */
	const char *title_field =
		kp_doc_meta_get_raw(in, "title", &raw, &rawlen) ? NULL : field_of(im, in, KP_IMPORT_FIELD_TITLE);
	const char *url_field = kp_doc_meta_get_raw(in, "url", &raw, &rawlen) ? NULL : field_of(im, in, KP_IMPORT_FIELD_URL);
	const char *date_field = im->field[KP_IMPORT_FIELD_CREATED];
	for (size_t i = 0; !date_field && date_names[i]; i++)
		if (kp_doc_get_raw(in, date_names[i], &raw, &rawlen))
			date_field = date_names[i];
	for (size_t i = 0; rc >= 0 && kp_doc_field(in, i, &k, &kl, &raw, &rawlen); i++) {
		if (is_field(k, kl, field) || is_field(k, kl, idf) ||
		    (is_field(k, kl, "source") && (!src_field || !strcmp(src_field, "source"))) ||
		    is_field(k, kl, "added") || is_field(k, kl, "created") || is_field(k, kl, "metadata") ||
		    (src_field && is_field(k, kl, src_field) && !im->source_force))
			continue;
		/* with a list, only its fields (and the title, url and date) */
		if (im->meta_fields && !in_list(im->meta_fields, k, kl) && !(title_field && is_field(k, kl, title_field)) &&
		    !(url_field && is_field(k, kl, url_field)) && !(date_field && is_field(k, kl, date_field)))
			continue;
		const char *key = title_field && is_field(k, kl, title_field) ? "title"
				  : url_field && is_field(k, kl, url_field)   ? "url"
									      : plain_key(im, k, kl);
		rc = key ? kp_doc_meta_set_raw(out, key, raw, rawlen) : KP_ENOMEM;
	}
	if (rc < 0)
		return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(out));
	return finish(im, out, repairs, line, len);
}

/* ---- warc / wet --------------------------------------------------------------------- */

static int hdr_is(const char *v, size_t n, const char *s)
{
	return v && n == strlen(s) && strncasecmp(v, s, n) == 0;
}

static int ctype_is(const char *v, size_t n, const char *s)
{
	size_t k = strlen(s);
	return v && n >= k && strncasecmp(v, s, k) == 0 && (n == k || v[k] == ';' || v[k] == ' ');
}

/* The converter for a charset named in a Content-Type, or NULL for UTF-8
 * (and for names ICU does not know: the text is then read as UTF-8). */
static UConverter *charset_converter(kp_import *im, const char *ct, size_t n)
{
	const char *p = NULL;
	for (size_t i = 0; i + 8 <= n; i++)
		if (strncasecmp(ct + i, "charset=", 8) == 0) {
			p = ct + i + 8;
			break;
		}
	if (!p)
		return NULL;
	size_t k = 0;
	while (p + k < ct + n && p[k] != ';' && p[k] != ' ' && p[k] != '"' && k < sizeof im->http_cs - 1)
		k++;
	char cs[64];
	memcpy(cs, p, k);
	cs[k] = '\0';
	if (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 || strcasecmp(cs, "us-ascii") == 0)
		return NULL;
	if (im->http_cnv && strcmp(im->http_cs, cs) == 0)
		return im->http_cnv;
	if (im->http_cnv)
		ucnv_close(im->http_cnv);
	im->http_cnv = NULL;
	UErrorCode ec = U_ZERO_ERROR;
	UConverter *c = ucnv_open(cs, &ec);
	if (U_FAILURE(ec) || ucnv_getMinCharSize(c) != 1) {
		if (c)
			ucnv_close(c);
		return NULL;
	}
	memcpy(im->http_cs, cs, k + 1);
	im->http_cnv = c;
	return c;
}

static int lang_ok(const kp_import *im, const char *v, size_t n)
{
	if (!v || !n)
		return 0;
	size_t first = 0;
	while (first < n && v[first] != ',')
		first++;
	return in_list(im->langs, v, first);
}

static int next_warc(kp_import *im, const char **line, size_t *len)
{
	for (;;) {
		int rc = ensure_file(im);
		if (rc <= 0)
			return rc;
		rc = kp_warc_next(im->warc, im->r);
		if (rc < 0) {
			im->line = kp_warc_line(im->warc);
			return kp_err_set(&im->err, rc, "%s", kp_warc_errmsg(im->warc));
		}
		if (rc == 0) {
			end_file(im);
			continue;
		}
		im->line = kp_warc_line(im->warc);
		size_t tl, cl, bl, il;
		const char *type = kp_warc_header(im->warc, "WARC-Type", &tl);
		const char *ct = kp_warc_header(im->warc, "Content-Type", &cl);
		int skipped;
		const char *body = kp_warc_body(im->warc, &bl, &skipped);
		const char *text = body;
		size_t tlen = bl;
		UConverter *cnv = NULL;
		int reason = -1;
		if (hdr_is(type, tl, "response")) {
			if (!skipped && kp_http_split(body, bl, &ct, &cl, &text, &tlen) < 0)
				reason = KP_IMPORT_SKIP_NOTEXT;
		} else if (!hdr_is(type, tl, "conversion") && !hdr_is(type, tl, "resource")) {
			im->counts[KP_IMPORT_RECORDS_OTHER]++;
			continue;
		}
		if (hdr_is(type, tl, "conversion"))
			ct = NULL; /* WET text is UTF-8 whatever the header says */
		else if (reason < 0 && ct && (ctype_is(ct, cl, "text/html") || ctype_is(ct, cl, "application/xhtml+xml")))
			reason = KP_IMPORT_SKIP_HTML;
		else if (reason < 0 && ct && !ctype_is(ct, cl, "text/plain"))
			reason = KP_IMPORT_SKIP_NOTEXT;
		else if (ct)
			cnv = charset_converter(im, ct, cl);
		im->counts[KP_IMPORT_READ]++;
		const char *rid = kp_warc_header(im->warc, "WARC-Record-ID", &il);
		char ridbuf[256];
		if (rid && il >= 2 && rid[0] == '<' && rid[il - 1] == '>') {
			rid++;
			il -= 2;
		}
		if (!rid || il == 0 || il >= sizeof ridbuf) {
			if ((rc = make_id(im, im->line, &rid, &il)) < 0)
				return rc;
		} else {
			memcpy(ridbuf, rid, il);
			rid = ridbuf;
		}
		size_t ll;
		const char *lang = kp_warc_header(im->warc, "WARC-Identified-Content-Language", &ll);
		if (im->langs && !lang_ok(im, lang, ll))
			return skip(im, KP_IMPORT_SKIP_LANG, rid, il, line, len);
		if (skipped)
			return skip(im, KP_IMPORT_SKIP_TOOLONG, rid, il, line, len);
		if (reason >= 0)
			return skip(im, reason, rid, il, line, len);
		uint64_t repairs = 0;
		size_t bad = 0;
		if ((rc = prepare(im, &im->fixed, cnv, text, tlen, &text, &tlen, &repairs, &bad)) < 0) {
			if (rc == KP_EUTF8 && !cnv) { /* the line of the bad byte inside the block */
				im->line += 1 + count_lines(body, (size_t)(text - body) + bad);
				bad_record(im, rc, text, tlen);
			}
			return rc;
		}
		if (is_empty(text, tlen))
			return skip(im, KP_IMPORT_SKIP_EMPTY, rid, il, line, len);
		if ((rc = begin_doc(im, rid, il, text, tlen)) < 0)
			return rc;
		size_t dl, ul;
		const char *date = kp_warc_header(im->warc, "WARC-Date", &dl);
		const char *url = kp_warc_header(im->warc, "WARC-Target-URI", &ul);
		if (date && (rc = kp_doc_set_str(im->out, "created", date, dl)) < 0)
			return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
		if (url && (rc = kp_doc_meta_set_str(im->out, "url", url, ul)) < 0)
			return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
		if (lang && (rc = kp_doc_meta_set_str(im->out, "language", lang, ll)) < 0)
			return kp_err_set(&im->err, rc, "%s", kp_doc_errmsg(im->out));
		return finish(im, im->out, repairs, line, len);
	}
}

int kp_import_next(kp_import *im, const char **line, size_t *len)
{
	if (!im->root || im->listing)
		return kp_err_set(&im->err, KP_ESTATE, im->root ? "the input is open for listing" : "no input open");
	for (;;) {
		int rc;
		switch (im->fmt) {
		case KP_FORMAT_LINES: rc = next_lines(im, line, len); break;
		case KP_FORMAT_PARAGRAPHS: rc = next_paragraphs(im, line, len); break;
		case KP_FORMAT_CSV:
		case KP_FORMAT_TSV: rc = next_csv(im, line, len); break;
		case KP_FORMAT_JSONL: rc = next_jsonl(im, line, len); break;
		case KP_FORMAT_WARC: rc = next_warc(im, line, len); break;
		default: rc = next_txt(im, line, len); break;
		}
		if (rc != FORMAT_SWITCH)
			return rc;
	}
}
