/* Shared command-line code for the korpus tools (never installed).
 *
 * Conventions every tool gets from here:
 *   - options with getopt_long; -h/--help (stdout, exit 0), --version;
 *     a usage error prints the message and a hint on stderr and exits 2;
 *   - messages "korpus-X: FILE:LINE: what is wrong";
 *   - inputs: files or "-" (none = stdin), plain or gzip; keep going over
 *     inputs after an error, remember it, exit 1 at the end;
 *   - -o FILE is atomic (temp file + rename, removed on error or signal);
 *     FILE.gz or -z writes gzip; every write and the final close checked;
 *     a closed pipe ends the program quietly, as a SIGPIPE death;
 *   - --progress meter on stderr (default on when stderr is a terminal);
 *     -q silences summaries.
 * Exit status: 0 success, 1 data or I/O error, 2 usage error.
 */
#ifndef KORPUS_CLI_H
#define KORPUS_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "korpus/korpus.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_DATA 1
#define CLI_EXIT_USAGE 2

/* Common option groups a tool opts into. */
enum {
	CLI_OUTPUT = 1 << 0,  /* -o FILE, -z, --level */
	CLI_DOCS = 1 << 1,    /* --max-line, --skip-invalid, --rejects FILE */
	CLI_JOBS = 1 << 2,    /* -j N */
	CLI_INPUTS = 1 << 3,  /* FILE... inputs, --progress/--no-progress */
	CLI_MAXLINE = 1 << 4, /* --max-line alone (tools that read lines, not documents) */
};

struct cli_tool {
	const char *name;     /* "korpus-cat" */
	const char *summary;  /* one line, for `korpus --help` */
	const char *synopsis; /* "[OPTION]... [FILE]..." */
	const char *help;     /* the tool's own options, preformatted */
	unsigned features;    /* CLI_* groups */
	const char *shortopts;          /* the tool's own short options */
	const struct option *longopts;  /* the tool's own, ending in {0} */
	const char *examples;           /* command lines with a word on each, for
					 * --help and the man page's EXAMPLES */
};

typedef struct cli {
	const struct cli_tool *tool;
	/* common settings */
	const char *output;
	int gzip, level;
	size_t max_line;
	int skip_invalid;
	const char *rejects;
	int progress, quiet, jobs;
	int check_options; /* --check-options: read the options, exit 0 (korpus build asks each stage) */
	/* inputs after option parsing */
	char **inputs;
	int ninputs;
	int *input_fd;    /* when set, input i is read from input_fd[i] (if >= 0), */
	int64_t *input_at; /* from offset input_at[i] */
	/* state */
	kp_reader *in;
	kp_writer *out, *rej;
	kp_writer *side[4];
	int nsides;
	kp_pipeline *pipeline; /* the last run's, for its workers' counters */
	/* When set, the tool takes each document's output itself, in input
	 * order (channel by channel), instead of channel 0 going to the
	 * output and channel k to side output k-1; it writes with cli_write()
	 * and counts docs_out.  < 0 stops the run. */
	int (*deliver)(void *ctx, int channel, const char *p, size_t n);
	void *deliver_ctx;
	int failed;
	uint64_t docs_in, docs_out, invalid, blank;
	uint64_t lines_in; /* lines delivered, documents or not (docs_in: documents) */
	/* counted for cli_note_skipped(): invalid UTF-8 or lone surrogates the
	 * tool replaced (set by the tool), byte order marks removed, zero bytes
	 * after gzip data */
	uint64_t repairs, boms, zero_pad;
	int tick_skip; /* the next tick is of a line that was no document */
	uint64_t bytes_done; /* input bytes of finished inputs */
	int64_t bytes_total; /* -1 when unknown */
	double t0, last_draw;
	unsigned tick;
	int drawn;
} cli;

void cli_init(cli *c, const struct cli_tool *tool);
/* getopt_long over the tool's and the common options.  Handles the common
 * ones itself; returns the tool's option characters, or -1 when done (then
 * c->inputs is set). */
int cli_getopt(cli *c, int argc, char **argv);

/* Messages.  cli_error() records failure and goes on; cli_fatal() removes
 * temporary outputs and exits 1; cli_usage_error() exits 2. */
void cli_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_line_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "FILE:LINE: message" for a place the tool knows itself. */
void cli_error_at(cli *c, const char *file, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
_Noreturn void cli_fatal(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void cli_usage_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message without failing (summaries, notes); silenced by -q. */
void cli_note(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "invalid lines skipped: N" when --skip-invalid dropped lines, and the
 * other repairs of the input (c->repairs, byte order marks, gzip padding). */
void cli_note_skipped(cli *c);

/* Numbers of options: the whole argument or exit 2 naming opt ("--jobs").
 * Sizes like "64M", "1G", "4096" in powers of 1024 (K M G T, optional i, B);
 * integers and decimals within [min, max]; a prefix parse (digits, no sign,
 * no overflow) for compound values like I/N, leaving *end after the digits. */
size_t cli_parse_size(cli *c, const char *opt, const char *arg);
long cli_parse_long(cli *c, const char *opt, const char *arg, long min, long max);
double cli_parse_double(cli *c, const char *opt, const char *arg, double min, double max);
uint64_t cli_parse_u64_prefix(cli *c, const char *opt, const char *arg, const char **end);

/* Outputs: the main one (-o or stdout) and --rejects when given. */
void cli_open_outputs(cli *c);
/* Open another atomic output (side files such as --removed); tracked for
 * cleanup like the main one and closed by cli_finish(). */
kp_writer *cli_open_side(cli *c, const char *path);
/* An atomic output written as given (no compression by the writer), that
 * the tool closes itself with cli_close_writer() when it is complete.  Every
 * output of a run is published together by cli_finish(), unless the run
 * failed: then none is; fatal errors and signals remove them all. */
kp_writer *cli_open_raw(cli *c, const char *path);
/* The same, gzip-compressed when the path ends in ".gz". */
kp_writer *cli_open_auto(cli *c, const char *path);
void cli_close_writer(cli *c, kp_writer *w);
/* A file to remove when the run's outputs are published (an older output
 * that the new ones replace, such as a stale shard). */
void cli_obsolete_on_publish(cli *c, const char *path);
void cli_write(cli *c, kp_writer *w, const char *p, size_t n);

/* Make every input readable twice: standard input redirected from a file
 * is read again from where it started; one that cannot be read twice (a
 * pipe, a FIFO, a device) has its bytes copied to an unlinked temporary
 * file in $TMPDIR (at most max bytes each: past that, a usage error naming
 * why), which cli_open_input() then reads from the start, under the
 * input's own name. */
void cli_spool_inputs(cli *c, uint64_t max, const char *why);
/* Inputs: open the i-th input; on failure reports it and returns < 0. */
int cli_open_input(cli *c, int i);
/* Read the next line of the open input: 1 line, 0 end; errors reported
 * (returns 0 after a fatal input error; over-long lines are returned as
 * -1 so the caller can count them as invalid documents). */
int cli_getline(cli *c, const char **line, size_t *len);
void cli_close_input(cli *c);

/* Progress meter: call per document.  cli_progress() reads the byte count
 * from the input opened with cli_open_input(); tools with readers of their
 * own pass it with cli_progress_at(). */
void cli_progress(cli *c);
void cli_progress_at(cli *c, uint64_t bytes);
void cli_progress_done(cli *c);

/* "12.3 MB" style sizes for summaries (a static buffer per slot 0-3). */
const char *cli_bytes(uint64_t n, int slot);

/* Run a per-document job over every input with c->jobs workers (output
 * identical for every count).  Channel 0 of each document goes to the main
 * output, channel k to side output k-1 (cli_open_side order).  Invalid
 * documents stop the input with "FILE:LINE: message", or with
 * --skip-invalid are counted and written to --rejects. */
void cli_run_pipeline(cli *c, const kp_job_ops *ops, void *arg);

/* For process(): parse a line into d; on an invalid document record the
 * error on res and return 0; return 1 when d holds the document. */
int cli_parse_doc(kp_doc *d, const char *line, size_t len, kp_result *res);

/* A small growable string for building JSON records in tools.  Functions
 * return < 0 when out of memory, and the failure sticks: every later add
 * does nothing and fails too, so a builder of many adds may check oom once,
 * where the string is used. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed */
} sbuf;
/* qsort() order of uint64_t values. */
int cli_cmp_u64(const void *a, const void *b);

/* Room for n more bytes after len. */
int sb_reserve(sbuf *b, size_t n);
int sb_add(sbuf *b, const void *p, size_t n);
int sb_adds(sbuf *b, const char *s);
/* s as a quoted JSON string (invalid UTF-8 becomes U+FFFD). */
int sb_json(sbuf *b, const char *s, size_t n);
/* The string s (NUL-terminated) as sb_json does. */
int sb_jsons(sbuf *b, const char *s);
void sb_free(sbuf *b);

/* The whole of a small input file (plain or gzip), such as a rules or word
 * list file, into b; a file that cannot be opened is a usage error, a read
 * error fatal. */
void cli_read_file(cli *c, const char *path, sbuf *b);
/* The same for a file another file names (a report's vocabulary): one
 * that cannot be opened is bad data of named_by, "NAMED_BY: cannot open
 * 'PATH': ...", exit 1. */
void cli_read_named(cli *c, const char *path, const char *named_by, sbuf *b);

/* Close outputs and publish them all together (none when something
 * failed), stop the meter;
 * returns the exit status.  The last pipeline's workers stay readable (for
 * summaries) until cli_free(). */
int cli_finish(cli *c);
void cli_free(cli *c);

/* Elapsed seconds since cli_init(). */
double cli_elapsed(const cli *c);

#endif
