/* korpus importer: article collections in their usual containers become
 * JSONL documents, without changing the article text.
 *
 * Formats: txt (one article per file; folders are walked recursively in
 * byte order of names), lines (one document per line), paragraphs
 * (documents separated by blank lines), csv and tsv (RFC 4180, a header
 * row), jsonl (other exports; a field can be mapped to "text"), warc (WARC
 * and WET: "conversion" records, plain-text "response" and "resource"
 * records).  Auto-detection looks at the content of a file; in a folder,
 * each file is read as its name says (.txt, .csv, .tsv, .jsonl, .warc).
 *
 * Every document gets "id", "text", "source", "added", and "created" and
 * "metadata" where the input has them.  Text is UTF-8: invalid bytes become
 * U+FFFD and are counted in metadata.invalid_utf8 (or, strict, are an error);
 * other encodings are converted with ICU when declared.
 *
 * Use: set options, then for each input kp_import_open() and kp_import_next()
 * until it returns 0 (or kp_import_list() and kp_import_next_file() to see
 * the files an input is read from).  One handle per thread.
 */
#ifndef KORPUS_IMPORT_H
#define KORPUS_IMPORT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kp_format {
	KP_FORMAT_AUTO,
	KP_FORMAT_TXT,
	KP_FORMAT_LINES,
	KP_FORMAT_PARAGRAPHS,
	KP_FORMAT_CSV,
	KP_FORMAT_TSV,
	KP_FORMAT_JSONL,
	KP_FORMAT_WARC,
};

/* "txt", "lines", ..., "wet" (an alias of "warc"); -1 if unknown. */
KP_API int kp_format_parse(const char *name);
KP_API const char *kp_format_name(int format);

/* What kp_import_next() did not turn into a document, and what it counted. */
enum kp_import_counter {
	KP_IMPORT_READ,         /* candidate documents seen */
	KP_IMPORT_WRITTEN,      /* documents produced */
	KP_IMPORT_SKIP_EMPTY,   /* text of only whitespace, or none */
	KP_IMPORT_SKIP_NOFIELD, /* JSONL line without the text field (or null) */
	KP_IMPORT_SKIP_LANG,    /* WARC record not in the --lang list */
	KP_IMPORT_SKIP_HTML,    /* WARC response with an HTML body */
	KP_IMPORT_SKIP_NOTEXT,  /* WARC response that is not text */
	KP_IMPORT_SKIP_TOOLONG, /* longer than the document cap */
	KP_IMPORT_RECORDS_OTHER, /* WARC records that hold no document (warcinfo, request, ...) */
	KP_IMPORT_REPAIRED,     /* documents with invalid UTF-8 replaced */
	KP_IMPORT_REPAIRS,      /* invalid UTF-8 sequences replaced */
	KP_IMPORT_FILES,        /* input files read */
	KP_IMPORT_BYTES,        /* input bytes read (compressed size for gzip) */
	KP_IMPORT_FOLDERS_AGAIN, /* folders reached a second time through a link (loops): not read again */
	KP_IMPORT_BOMS,         /* line-format files opening with a UTF-8 byte order mark (removed) */
	KP_IMPORT_ZERO_PADDING, /* zero bytes after gzip data (ignored) */
	KP_IMPORT_DATED,        /* documents given "created" from a date field */
	KP_IMPORT_UNDATED,      /* documents whose date field could not be read */
	KP_IMPORT_DATED_OTHER_ORDER, /* dated documents whose numeric date could only be read in the
				      * other order than kp_import_set_date_order's ("09/25/2019" day first) */
	KP_IMPORT_NCOUNTERS
};
/* A short name of a counter ("empty", "language", ...). */
KP_API const char *kp_import_counter_name(int counter);

typedef struct kp_import kp_import;

/* max_doc caps one document's text (0 = KP_DEFAULT_MAX_LINE). */
KP_API kp_import *kp_import_new(size_t max_doc);
KP_API void kp_import_free(kp_import *im);

/* Settings (before kp_import_open).  Strings are copied. */
KP_API void kp_import_set_format(kp_import *im, int format);
/* "source" of every document; NULL: the base name of each input.
 * force: override a "source" that JSONL input already has. */
KP_API KP_WUR int kp_import_set_source(kp_import *im, const char *name, int force);
/* "added" (ISO 8601), required; force as for the source. */
KP_API KP_WUR int kp_import_set_added(kp_import *im, const char *iso8601, int force);
/* Input encoding for txt/lines/paragraphs/csv/tsv (an ICU converter name:
 * "windows-1252", "latin1", ...); NULL or "utf-8" for UTF-8. */
KP_API KP_WUR int kp_import_set_encoding(kp_import *im, const char *encoding);
/* Invalid UTF-8 is an error instead of being replaced. */
KP_API KP_WUR int kp_import_set_strict(kp_import *im, int strict);
/* A line longer than the cap in lines, paragraphs or JSONL input: by
 * default an error (KP_ETOOLONG, at its line, at once: the rest of a line
 * that never ends is not read); with skip set, skipped and counted as
 * KP_IMPORT_SKIP_TOOLONG. */
KP_API void kp_import_set_skip_long(kp_import *im, int skip);
/* Where the parts of a document are in the input: the JSONL field or the
 * CSV/TSV column (names of columns are matched ignoring case) of its text,
 * id, title (-> metadata.title), source (-> "source", unless the source is
 * forced), publication date (-> "created", read by kp_date_parse; the
 * field itself stays in metadata) and address (-> metadata.url).  NULL:
 * the first of the usual names the record or header has -- text: text,
 * body, content, isi, isi_berita, konten, article, artikel, berita; id:
 * id; title: title, judul, headline; source: source, site, sumber; date:
 * date, tanggal, published, published_at, pubdate, datetime, waktu,
 * created_at; url: url, link, tautan.  A named column a CSV header lacks
 * is an error; a named JSONL field a record lacks leaves that part to its
 * default (the id NAME:N, the input's source, no date). */
enum {
	KP_IMPORT_FIELD_TEXT,
	KP_IMPORT_FIELD_ID,
	KP_IMPORT_FIELD_TITLE,
	KP_IMPORT_FIELD_SOURCE,
	KP_IMPORT_FIELD_CREATED,
	KP_IMPORT_FIELD_URL,
	KP_IMPORT_NFIELDS
};
KP_API KP_WUR int kp_import_set_field(kp_import *im, int role, const char *name);
/* The other fields (columns) kept under metadata, comma-separated; NULL:
 * all of them.  The mapped title, url and date are kept in any case. */
KP_API KP_WUR int kp_import_set_metadata_fields(kp_import *im, const char *list);
/* The name of a role for messages and options ("text", "id", "title",
 * "source", "created", "url"). */
KP_API const char *kp_import_field_name(int role);

/* CSV/TSV columns (the same as kp_import_set_field and
 * kp_import_set_metadata_fields): text_col (NULL: the first of text, content, body,
 * article, isi, isi_berita, konten, artikel, berita), id_col (NULL: "id" if present),
 * meta_cols (comma-separated; NULL: every other column). */
KP_API KP_WUR int kp_import_set_columns(kp_import *im, const char *text_col, const char *id_col,
					const char *meta_cols);
/* JSONL: the field that holds the text (NULL: the first of text, body,
 * content, isi, isi_berita, konten, article, artikel, berita that the record
 * has as a string); the others, except id, source, added, created and
 * metadata, move into metadata. */
KP_API KP_WUR int kp_import_set_text_field(kp_import *im, const char *field);
/* JSONL: the field that holds the publication date (NULL: the first of
 * date, tanggal, published, published_at, pubdate, datetime, waktu,
 * created_at the record has).  A document without "created" gets it from
 * there (see kp_date_parse); the field itself stays, in metadata. */
KP_API KP_WUR int kp_import_set_created_field(kp_import *im, const char *field);
/* The first date field value that could not be read, or NULL. */
KP_API const char *kp_import_undated_example(const kp_import *im);
/* Numeric dates whose first two numbers could each be the day or the month
 * ("09/10/2019") are read in this order: KP_DATE_DAY_FIRST (the default,
 * as Indonesia writes them) or KP_DATE_MONTH_FIRST (exports that write
 * "09/25/2019"). */
KP_API KP_WUR int kp_import_set_date_order(kp_import *im, int order);
/* The first date that could only be read in the other order
 * (KP_IMPORT_DATED_OTHER_ORDER), or NULL: a sign the export writes dates
 * the other way, and its ambiguous dates were read wrong. */
KP_API const char *kp_import_other_order_example(const kp_import *im);

/* The longest date kp_date_parse writes, with its NUL. */
#define KP_DATE_MAX 32
/* A publication date as exports write it, into RFC 3339: the length
 * written to out, 0 when s is not a date.  Reads day and month names in
 * Indonesian and English, full or short ("Senin, 10 September 2019",
 * "Sep 10, 2019", "10-Sep-19", "Oktober 25, 2019"), numeric dates day
 * first ("16/09/2019", "2015/08/25", ISO), a time with WIB/WITA/WIT (the
 * offset +07:00/+08:00/+09:00), UTC or GMT (Z), a numeric offset
 * ("-05:00", "+0700", "GMT+7": kept as +HH:MM, +00:00 as Z), AM or PM
 * (12 AM is 00), text around it ("Diperbarui ...", "... | 08.18 WIB"),
 * spreadsheet serial days ("43747") and Unix seconds.  A time without a
 * zone is written without one.  Years outside 1900-2100 are not dates. */
KP_API size_t kp_date_parse(const char *s, size_t n, char out[KP_DATE_MAX]);
enum { KP_DATE_DAY_FIRST, KP_DATE_MONTH_FIRST };
/* kp_date_parse with numeric dates d/m/y read in the given order; a date
 * that can only be read the other way ("09/25/2019" day first: no month
 * 25) is read so, and *other (may be NULL) set to 1, else 0. */
KP_API size_t kp_date_parse_order(const char *s, size_t n, int order, char out[KP_DATE_MAX], int *other);

/* The fields of the first JSONL record skipped for lacking the text field
 * ("id, site, url, title"), or NULL: for the hint of a run that finds no
 * text. */
KP_API const char *kp_import_seen_fields(const kp_import *im);
/* WARC: keep only records whose WARC-Identified-Content-Language names one
 * of these ISO 639-3 codes first ("ind" or "ind,msa"); NULL keeps all. */
KP_API KP_WUR int kp_import_set_langs(kp_import *im, const char *langs);

/* Import only a part of the next input (for the next kp_import_open only;
 * with a file range, of the range's file: see kp_import_set_file_range),
 * so that the parts of one large file, split at line starts, can be
 * imported apart and give together what the whole file gives: the lines
 * that start at a byte offset in [start, end) (see kp_reader_set_range; the
 * line that starts before end is read whole, end may pass the file's end).
 * Line numbers -- of default ids NAME:LINE, of skipped records, of errors --
 * count as in the whole file: first_line is the number of the line at start
 * (1-based), or 0 to count the newlines before start, which reads the file
 * up to there.  The format is detected from the file's start, as for the
 * whole file, and the source and the stem of ids are the whole file's; the
 * counters count the part (KP_IMPORT_BYTES: the bytes of its lines).  The
 * input must be one regular file, not gzip, of jsonl or lines: else
 * kp_import_open fails with KP_EINVAL, and with KP_ENOTFOUND when start is
 * not 0, the file's size, or just after a '\n'.  start > end is KP_EINVAL. */
KP_API KP_WUR int kp_import_set_range(kp_import *im, uint64_t start, uint64_t end, uint64_t first_line);

/* Import only some of the files of the inputs, so that the files of
 * folders can be cut into parts, imported apart, that give together what
 * the whole import gives.  The files of the inputs opened after this call
 * are numbered from 0 in the order they are read, across the inputs (each
 * file of a folder's walk, see kp_import_next_file; a file given is one);
 * only those numbered first..end-1 are opened and read, the others are
 * numbered by the walk and left alone.  Each is read as in the whole
 * import: the same ids (txt: the path relative to the folder given), the
 * same source (the folder's base name, or the sub-folder's name), line
 * numbers, metadata and errors; the counters count its files (a folder
 * reached again through a link counts with the file the walk found last).
 * An input is opened up to the first file of the range it holds, which is
 * opened then (a failure to open it is kp_import_open's); an input after
 * the range's end is not looked at, nor, after a walk fails (its files
 * after the failure have no number), any file.  A byte range set with it
 * (kp_import_set_range) is for the range's one file (end = first + 1, else
 * kp_import_open fails with KP_EINVAL), wherever it is.  Standard input
 * cannot be opened under a file range (KP_EINVAL); first > end is
 * KP_EINVAL; 0 and UINT64_MAX read every file, numbered. */
KP_API KP_WUR int kp_import_set_file_range(kp_import *im, uint64_t first, uint64_t end);
/* Under a file range: how many files of the inputs have been numbered so
 * far, the number of the next one (after the range's end, more than it). */
KP_API uint64_t kp_import_files_numbered(const kp_import *im);

/* Open an input: a file, a folder, or "-" (standard input). */
KP_API KP_WUR int kp_import_open(kp_import *im, const char *path);

/* The files an input is read from, without reading them.  kp_import_list
 * opens path for listing (the settings that choose a folder's files count:
 * the format; the ranges do not); standard input is KP_EINVAL.  Then each
 * kp_import_next_file gives a file in the order kp_import_open reads them
 * (a folder walked recursively in byte order of names, only the files
 * whose names it reads; a file given is itself): 1 with *path as
 * kp_import_file names it (borrowed until the next call) and *size, its
 * size in bytes; 0 at the end; < 0 on an error (a folder or a link to an
 * article that cannot be read, where an import of the input fails too),
 * after which the listing of the input is over.  Counting the files of
 * the inputs in turn gives the numbers of kp_import_set_file_range.
 * kp_import_next cannot read an input open for listing (KP_ESTATE). */
KP_API KP_WUR int kp_import_list(kp_import *im, const char *path);
KP_API KP_WUR int kp_import_next_file(kp_import *im, const char **path, uint64_t *size);
/* The format of the open input (after detection). */
KP_API int kp_import_format(const kp_import *im);

enum { KP_IMPORT_DOC = 1, KP_IMPORT_SKIPPED = 2 };
/* Produce the next document: KP_IMPORT_DOC with the serialized line
 * (ending in '\n', borrowed until the next call); KP_IMPORT_SKIPPED when a
 * candidate was skipped (kp_import_skipped() says why; the line is a JSON
 * record {"id", "reason", "where"} for a --skipped file); 0 at the end of
 * the input; < 0 on an error.  KP_EJSON and KP_EDOC (JSONL) and KP_EUTF8
 * (strict, in any format) are about one record, which is then behind: the
 * next call goes on with the next one -- the next line, paragraph, CSV/TSV
 * or WARC record, or txt file of a folder (the caller decides whether to
 * stop).  After any other error, stop reading the input: what a further
 * call reads is not defined. */
KP_API KP_WUR int kp_import_next(kp_import *im, const char **line, size_t *len);
/* The counter (KP_IMPORT_SKIP_*) of the last KP_IMPORT_SKIPPED. */
KP_API int kp_import_skipped(const kp_import *im);
/* The input of the record of the last call's KP_EJSON, KP_EDOC or KP_EUTF8,
 * without its final newline (for a rejects file): the JSONL line, the line
 * of lines input, the paragraph (its lines joined by '\n'), the txt file,
 * the WARC record's text, or the CSV/TSV record written again (its fields
 * as read, quoted where they must be).  Empty after any other result, and
 * when the record was too long to keep.  Borrowed until the next call. */
KP_API const char *kp_import_bad_line(const kp_import *im, size_t *len);

/* Where the last document or error is: the file and line. */
KP_API const char *kp_import_file(const kp_import *im);
KP_API uint64_t kp_import_line(const kp_import *im);
KP_API const char *kp_import_errmsg(const kp_import *im);
/* Bytes of input read so far, and the size of the open input if known. */
KP_API uint64_t kp_import_bytes_in(const kp_import *im);
KP_API uint64_t kp_import_count(const kp_import *im, int counter);

#ifdef __cplusplus
}
#endif
#endif
