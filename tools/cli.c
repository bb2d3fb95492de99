#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- outputs of the run, and their temporary files ------------------------- */

/* Every atomic output opened, in order: finished as the tool closes it,
 * published together by cli_finish() (or all removed).  The signal handler
 * may only use async-signal-safe calls, so it reads the temporary paths
 * from this table, which is changed with every signal blocked. */
struct output {
	kp_writer *w;
	char *tmp; /* its temporary file, or NULL for a stream */
	int finished;
};
static struct output *outs;
static size_t nouts, outcap;
/* files that publishing the outputs makes obsolete (stale shards) */
static char **obsolete;
static size_t nobsolete;
static const char *progname = "korpus";

static void on_fatal_signal(int sig)
{
	for (size_t i = 0; i < nouts; i++)
		if (outs[i].tmp)
			unlink(outs[i].tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void block_signals(sigset_t *old)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static int track(kp_writer *w)
{
	if (nouts == outcap) {
		size_t ncap = outcap ? 2 * outcap : 16;
		struct output *n = realloc(outs, ncap * sizeof *n);
		if (!n)
			return -1;
		outs = n;
		outcap = ncap;
	}
	const char *tmp = kp_writer_tmppath(w);
	char *copy = tmp ? strdup(tmp) : NULL;
	if (tmp && !copy)
		return -1;
	outs[nouts++] = (struct output){w, copy, 0};
	return 0;
}

static struct output *find_output(kp_writer *w)
{
	for (size_t i = 0; i < nouts; i++)
		if (outs[i].w == w)
			return &outs[i];
	return NULL;
}

/* Remove every temporary output and forget them all: used on fatal errors
 * and broken pipes. */
static void abort_outputs(void)
{
	sigset_t old;
	block_signals(&old);
	for (size_t i = 0; i < nouts; i++) {
		kp_writer_abort(outs[i].w);
		kp_writer_free(outs[i].w);
		free(outs[i].tmp);
	}
	nouts = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The reader of our output went away: leave no temp files, then die of
 * SIGPIPE as an unprotected program would, silently. */
static _Noreturn void die_of_sigpipe(void)
{
	abort_outputs();
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(141);
}

/* Temporary files left in a folder by korpus processes of this host that
 * died without cleaning up (SIGKILL, a crash): removed once per folder. */
static void clean_stale(cli *c, const char *tmp)
{
	static char *seen[16];
	static int nseen;
	const char *slash = strrchr(tmp, '/');
	size_t dl = slash ? (size_t)(slash - tmp) : 0;
	char dir[PATH_MAX];
	if (dl >= sizeof dir)
		return;
	memcpy(dir, tmp, dl);
	dir[dl] = '\0';
	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i], dir))
			return;
	if (nseen < (int)(sizeof seen / sizeof seen[0]))
		seen[nseen++] = strdup(dir);
	unsigned removed = 0;
	if (kp_tmp_clean_stale(dir, &removed) == 0 && removed)
		cli_note(c, "removed %u temporary file%s left in '%s' by an interrupted run", removed,
			 removed == 1 ? "" : "s", dl ? dir : ".");
}

/* ---- messages ---------------------------------------------------------------- */

static void clear_meter(cli *c);

static void vmsg(cli *c, const char *prefix, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

static void vmsg(cli *c, const char *prefix, const char *fmt, va_list ap)
{
	clear_meter(c);
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fprintf(stderr, "%s: %s%s\n", progname, prefix, msg);
}

void cli_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	c->failed = 1;
}

static void vline_error(cli *c, const char *file, uint64_t lineno, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void vline_error(cli *c, const char *file, uint64_t lineno, const char *fmt, va_list ap)
{
	char where[PATH_MAX + 32];
	snprintf(where, sizeof where, "%s:%llu: ", file, (unsigned long long)lineno);
	vmsg(c, where, fmt, ap);
	c->failed = 1;
}

void cli_error_at(cli *c, const char *file, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline_error(c, file, line, fmt, ap);
	va_end(ap);
}

void cli_line_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline_error(c, c->in ? kp_reader_name(c->in) : "<stdin>", c->in ? kp_reader_lineno(c->in) : 0, fmt, ap);
	va_end(ap);
}

/* An error while reading: it belongs to the line being read. */
static void read_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void read_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline_error(c, kp_reader_name(c->in), kp_reader_lineno(c->in) + 1, fmt, ap);
	va_end(ap);
}

void cli_fatal(cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	abort_outputs();
	exit(CLI_EXIT_DATA);
}

void cli_note(cli *c, const char *fmt, ...)
{
	if (c->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
}

void cli_usage_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Usage: %s %s\nTry '%s --help' for more information.\n", c->tool->name, c->tool->synopsis,
		c->tool->name);
	exit(CLI_EXIT_USAGE);
}

/* ---- options ----------------------------------------------------------------- */

enum {
	OPT_MAX_LINE = 0x1000,
	OPT_SKIP_INVALID,
	OPT_REJECTS,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_LEVEL,
	OPT_VERSION,
	OPT_DESCRIBE,
	OPT_CHECK_OPTIONS,
};

static const struct option common_always[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"describe", no_argument, NULL, OPT_DESCRIBE},
	{"check-options", no_argument, NULL, OPT_CHECK_OPTIONS},
	{"quiet", no_argument, NULL, 'q'},
};
static const struct option common_output[] = {
	{"output", required_argument, NULL, 'o'},
	{"gzip", no_argument, NULL, 'z'},
	{"level", required_argument, NULL, OPT_LEVEL},
};
static const struct option common_docs[] = {
	{"skip-invalid", no_argument, NULL, OPT_SKIP_INVALID},
	{"rejects", required_argument, NULL, OPT_REJECTS},
};
static const struct option common_maxline[] = {
	{"max-line", required_argument, NULL, OPT_MAX_LINE},
};
static const struct option common_jobs[] = {
	{"jobs", required_argument, NULL, 'j'},
};
static const struct option common_inputs[] = {
	{"progress", no_argument, NULL, OPT_PROGRESS},
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
};

#define MAX_OPTIONS 128
static struct option all_options[MAX_OPTIONS];
static char all_short[128];

static void add_options(int *n, const struct option *o, size_t count)
{
	for (size_t i = 0; i < count && *n < MAX_OPTIONS - 1; i++)
		all_options[(*n)++] = o[i];
}

#define ADD(n, arr) add_options(n, arr, sizeof arr / sizeof arr[0])

void cli_init(cli *c, const struct cli_tool *tool)
{
	memset(c, 0, sizeof *c);
	c->tool = tool;
	progname = tool->name;
	c->max_line = KP_DEFAULT_MAX_LINE;
	c->progress = -1; /* auto */
	c->jobs = 1;
	c->bytes_total = -1;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;

	/* Writes to a closed pipe must fail with EPIPE, so that temporary files
	 * can be removed before we die of SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	int n = 0;
	for (const struct option *o = tool->longopts; o && o->name; o++)
		add_options(&n, o, 1);
	ADD(&n, common_always);
	if (tool->features & CLI_OUTPUT)
		ADD(&n, common_output);
	if (tool->features & CLI_DOCS) {
		ADD(&n, common_docs);
		ADD(&n, common_maxline);
	} else if (tool->features & CLI_MAXLINE) {
		ADD(&n, common_maxline);
	}
	if (tool->features & CLI_JOBS)
		ADD(&n, common_jobs);
	if (tool->features & CLI_INPUTS)
		ADD(&n, common_inputs);
	memset(&all_options[n], 0, sizeof all_options[n]);
	snprintf(all_short, sizeof all_short, "%shq%s%s", tool->shortopts ? tool->shortopts : "",
		 (tool->features & CLI_OUTPUT) ? "o:z" : "", (tool->features & CLI_JOBS) ? "j:" : "");
}

static void print_help(const cli *c)
{
	const struct cli_tool *t = c->tool;
	unsigned f = t->features;
	printf("Usage: %s %s\n%s.\n\n", t->name, t->synopsis, t->summary);
	if (t->help && *t->help)
		printf("%s\n", t->help);
	printf("Common options:\n");
	if (f & CLI_INPUTS)
		printf("  FILE                 input file, plain or gzip (detected by content); '-' or\n"
		       "                       none reads standard input\n");
	if (f & CLI_OUTPUT)
		printf("  -o, --output FILE    write to FILE atomically (temp file, renamed on success);\n"
		       "                       FILE.gz is gzip-compressed\n"
		       "  -z, --gzip           compress the output with gzip\n"
		       "      --level N        gzip level 1-9 (default 6)\n");
	if (f & CLI_DOCS)
		printf("      --skip-invalid   drop invalid lines (counted in the summary) instead of\n"
		       "                       stopping with an error\n"
		       "      --rejects FILE   with --skip-invalid: write the dropped lines to FILE\n");
	if (f & (CLI_DOCS | CLI_MAXLINE))
		printf("      --max-line SIZE  longest accepted line (default 64M; a SIZE is bytes, or\n"
		       "                       with K, M, G, T: powers of 1024)\n");
	if (f & CLI_JOBS)
		printf("  -j, --jobs N         worker threads (output is identical for every N)\n");
	if (f & CLI_INPUTS)
		printf("      --progress       show a progress meter on stderr (default when stderr\n"
		       "                       is a terminal); --no-progress hides it\n");
	printf("  -q, --quiet          no summary on stderr\n"
	       "  -h, --help           show this help and exit\n"
	       "      --version        show the version and exit\n\n"
	       "Exit status: 0 success, 1 data or I/O error, 2 usage error.\n");
	if (t->examples)
		printf("\nExamples:\n%s", t->examples);
}

/* ---- numbers on the command line ---------------------------------------------
 * One convention for every tool: the whole argument is the number (no
 * trailing characters, no sign where none is allowed, no overflow), or exit 2
 * naming the option.  Sizes count in powers of 1024: K, M, G, T, with an
 * optional "i" and "B" (64M = 64MiB = 64 x 2^20 bytes). */

uint64_t cli_parse_u64_prefix(cli *c, const char *opt, const char *arg, const char **end)
{
	char *e;
	if (*arg < '0' || *arg > '9')
		cli_usage_error(c, "invalid value for %s: '%s' (expected a whole number)", opt, arg);
	errno = 0;
	unsigned long long v = strtoull(arg, &e, 10);
	if (errno)
		cli_usage_error(c, "invalid value for %s: '%s' (too large)", opt, arg);
	*end = e;
	return (uint64_t)v;
}

size_t cli_parse_size(cli *c, const char *opt, const char *arg)
{
	const char *end;
	uint64_t v = cli_parse_u64_prefix(c, opt, arg, &end);
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v == 0 || v > (SIZE_MAX >> shift))
		cli_usage_error(c, "invalid size for %s: '%s' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)",
				opt, arg);
	return (size_t)(v << shift);
}

long cli_parse_long(cli *c, const char *opt, const char *arg, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < min || v > max || !(*arg == '-' || (*arg >= '0' && *arg <= '9')))
		cli_usage_error(c, "invalid value for %s: '%s' (expected %ld to %ld)", opt, arg, min, max);
	return v;
}

double cli_parse_double(cli *c, const char *opt, const char *arg, double min, double max)
{
	char *end;
	/* decimal only: no "nan", "inf", hexadecimal or leading blanks */
	int lead = (*arg >= '0' && *arg <= '9') || *arg == '.' || (*arg == '-' && min < 0);
	errno = 0;
	double v = lead ? strtod(arg, &end) : 0;
	if (!lead || end == arg || *end || errno || strpbrk(arg, "xX") || !(v >= min && v <= max))
		cli_usage_error(c, "invalid value for %s: '%s' (expected %g to %g)", opt, arg, min, max);
	return v;
}

static void count_total(cli *c)
{
	int64_t total = 0;
	for (int i = 0; i < c->ninputs; i++) {
		struct stat st;
		if (strcmp(c->inputs[i], "-") == 0 || stat(c->inputs[i], &st) != 0 || !S_ISREG(st.st_mode))
			return;
		total += st.st_size;
	}
	c->bytes_total = total;
}

/* Does the run read standard input (no input given, or "-")? */
static int reads_stdin(const cli *c)
{
	if (!c->ninputs)
		return 1;
	for (int i = 0; i < c->ninputs; i++)
		if (!strcmp(c->inputs[i], "-"))
			return 1;
	return 0;
}

int cli_getopt(cli *c, int argc, char **argv)
{
	argv[0] = (char *)(uintptr_t)c->tool->name; /* getopt's own messages name the tool */
	for (;;) {
		int opt = getopt_long(argc, argv, all_short, all_options, NULL);
		switch (opt) {
		case -1:
			c->inputs = argv + optind;
			c->ninputs = argc - optind;
			if (!(c->tool->features & CLI_INPUTS) && c->ninputs > 0)
				cli_usage_error(c, "unexpected argument '%s'", c->inputs[0]);
			if (c->rejects && !c->skip_invalid)
				cli_usage_error(c, "--rejects needs --skip-invalid");
			if (c->check_options)
				exit(0); /* every option read and understood */
			if (c->progress < 0) {
				/* in a pipeline of tools the last one draws the meter: one
				 * line, not one per tool overwriting the others */
				struct stat st;
				int to_stdout = !c->output || !strcmp(c->output, "-");
				int piped = to_stdout && fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
				c->progress = !c->quiet && isatty(STDERR_FILENO) && !piped;
			}
			if (c->gzip && (!c->output || !strcmp(c->output, "-")) && isatty(STDOUT_FILENO))
				cli_usage_error(c, "-z: compressed data is not written to a terminal: give -o FILE, or redirect the output");
			if ((c->tool->features & CLI_INPUTS) && !c->quiet && isatty(STDIN_FILENO) && reads_stdin(c))
				fprintf(stderr, "%s: reading from the terminal: type or paste the input, then Ctrl-D (or give a "
						"FILE; --help says more)\n",
					c->tool->name);
			if (c->progress)
				count_total(c);
			return -1;
		case 'h':
			print_help(c);
			if (fflush(stdout) != 0 || ferror(stdout))
				exit(CLI_EXIT_DATA);
			exit(CLI_EXIT_OK);
		case OPT_VERSION:
			printf("%s (korpus) %s\n", c->tool->name, kp_version());
			exit(fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_DATA);
		case OPT_CHECK_OPTIONS:
			c->check_options = 1;
			break;
		case OPT_DESCRIBE:
			printf("%s\n", c->tool->summary);
			exit(fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_DATA);
		case 'q':
			c->quiet = 1;
			break;
		case 'o':
			c->output = optarg;
			break;
		case 'z':
			c->gzip = 1;
			break;
		case OPT_LEVEL:
			c->level = (int)cli_parse_long(c, "--level", optarg, 1, 9);
			break;
		case OPT_MAX_LINE:
			c->max_line = cli_parse_size(c, "--max-line", optarg);
			break;
		case OPT_SKIP_INVALID:
			c->skip_invalid = 1;
			break;
		case OPT_REJECTS:
			c->rejects = optarg;
			break;
		case 'j':
			c->jobs = (int)cli_parse_long(c, "--jobs", optarg, 1, 256);
			break;
		case OPT_PROGRESS:
			c->progress = 1;
			break;
		case OPT_NO_PROGRESS:
			c->progress = 0;
			break;
		case '?':
			/* getopt_long printed the problem */
			fprintf(stderr, "Usage: %s %s\nTry '%s --help' for more information.\n", c->tool->name,
				c->tool->synopsis, c->tool->name);
			exit(CLI_EXIT_USAGE);
		default:
			return opt;
		}
	}
}

/* ---- outputs ------------------------------------------------------------------ */

static kp_writer *open_writer_flags(cli *c, const char *path, int flags)
{
	kp_writer *w = kp_writer_new();
	if (!w)
		cli_fatal(c, "out of memory");
	/* no signal between creating the temporary file and tracking it */
	sigset_t old;
	block_signals(&old);
	kp_writer_set_threads(w, c->jobs); /* gzip compressed in threads, the same bytes */
	if (kp_writer_open(w, path, flags, c->level) < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		char msg[512];
		snprintf(msg, sizeof msg, "%s", kp_writer_errmsg(w));
		kp_writer_free(w);
		cli_fatal(c, "%s", msg);
	}
	if (track(w) < 0) {
		kp_writer_free(w);
		sigprocmask(SIG_SETMASK, &old, NULL);
		cli_fatal(c, "out of memory");
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (kp_writer_tmppath(w))
		clean_stale(c, kp_writer_tmppath(w));
	return w;
}

static kp_writer *open_writer(cli *c, const char *path, int gzip)
{
	return open_writer_flags(c, path, KP_WRITE_AUTO | (gzip ? KP_WRITE_GZIP : 0));
}

void cli_open_outputs(cli *c)
{
	c->out = open_writer(c, c->output, c->gzip);
	if (c->rejects)
		c->rej = open_writer(c, c->rejects, 0);
}

kp_writer *cli_open_side(cli *c, const char *path)
{
	if (c->nsides == (int)(sizeof c->side / sizeof c->side[0]))
		cli_fatal(c, "too many output files");
	return c->side[c->nsides++] = open_writer(c, path, 0);
}

kp_writer *cli_open_raw(cli *c, const char *path)
{
	return open_writer_flags(c, path, 0);
}

kp_writer *cli_open_auto(cli *c, const char *path)
{
	return open_writer_flags(c, path, KP_WRITE_AUTO);
}

static int close_writer(cli *c, kp_writer *w);

void cli_close_writer(cli *c, kp_writer *w)
{
	if (close_writer(c, w) < 0) { /* reported */
		abort_outputs();
		exit(CLI_EXIT_DATA);
	}
}

void cli_obsolete_on_publish(cli *c, const char *path)
{
	char **n = realloc(obsolete, (nobsolete + 1) * sizeof *n);
	if (!n || !(n[nobsolete] = strdup(path)))
		cli_fatal(c, "out of memory");
	obsolete = n;
	nobsolete++;
}

int cli_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

void cli_note_skipped(cli *c)
{
	if (c->invalid)
		cli_note(c, "invalid lines skipped: %llu", (unsigned long long)c->invalid);
	if (c->repairs)
		cli_note(c, "invalid UTF-8 or lone surrogates replaced by U+FFFD: %llu", (unsigned long long)c->repairs);
	if (c->boms)
		cli_note(c, "byte order marks removed: %llu", (unsigned long long)c->boms);
	if (c->zero_pad)
		cli_note(c, "zero bytes after gzip data ignored: %llu", (unsigned long long)c->zero_pad);
}

void cli_write(cli *c, kp_writer *w, const char *p, size_t n)
{
	int rc = kp_writer_write(w, p, n);
	if (rc == KP_EPIPE)
		die_of_sigpipe();
	if (rc < 0)
		cli_fatal(c, "%s", kp_writer_errmsg(w));
}

/* Finish an output (flush, close), not yet published; after a failure, an
 * incomplete file is discarded at once. */
static int close_writer(cli *c, kp_writer *w)
{
	struct output *o = w ? find_output(w) : NULL;
	if (!o || o->finished)
		return 0;
	if (c->failed && kp_writer_tmppath(w)) {
		/* an incomplete file is never published; a stream (stdout, a device)
		 * keeps what was written before the error, as Unix filters do */
		kp_writer_abort(w);
		o->finished = 1;
		return 0;
	}
	int rc = kp_writer_finish(w);
	if (rc == KP_EPIPE)
		die_of_sigpipe();
	if (rc < 0)
		cli_error(c, "%s", kp_writer_errmsg(w));
	o->finished = 1;
	return rc;
}

/* Publish every output of the run together (nothing was published before):
 * renames with every signal blocked, so that an interrupt leaves all the
 * old files or all the new ones; then the files the new ones make
 * obsolete go.  After a failure, every temporary file is removed instead. */
static void publish_outputs(cli *c)
{
	sigset_t old;
	block_signals(&old);
	for (size_t i = 0; i < nouts; i++) {
		kp_writer *w = outs[i].w;
		if (c->failed) {
			kp_writer_abort(w);
		} else if (kp_writer_commit(w) < 0) {
			/* the outputs after it are removed, not published */
			cli_error(c, "%s", kp_writer_errmsg(w));
		}
		kp_writer_free(w);
		free(outs[i].tmp);
	}
	nouts = 0;
	for (size_t i = 0; i < nobsolete; i++) {
		if (!c->failed && unlink(obsolete[i]) != 0 && errno != ENOENT)
			cli_error(c, "cannot remove '%s': %s", obsolete[i], strerror(errno));
		free(obsolete[i]);
	}
	free(obsolete);
	obsolete = NULL;
	nobsolete = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- inputs ------------------------------------------------------------------- */

int cli_open_input(cli *c, int i)
{
	if (!c->in) {
		if (c->ninputs == 0) {
			static char *stdin_only[] = {"-"};
			c->inputs = stdin_only;
			c->ninputs = 1;
		}
		if (!(c->in = kp_reader_new(c->max_line)))
			cli_fatal(c, "out of memory");
	}
	int rc;
	if (c->input_fd && c->input_fd[i] >= 0) {
		if (lseek(c->input_fd[i], (off_t)c->input_at[i], SEEK_SET) != (off_t)c->input_at[i]) {
			cli_error(c, "cannot read '%s' again: %s", c->inputs[i], strerror(errno));
			return -1;
		}
		rc = kp_reader_open_fd(c->in, c->input_fd[i], c->inputs[i]);
	} else {
		rc = kp_reader_open(c->in, c->inputs[i]);
	}
	if (rc < 0) {
		cli_error(c, "%s", kp_reader_errmsg(c->in));
		return -1;
	}
	return 0;
}

void cli_spool_inputs(cli *c, uint64_t max, const char *why)
{
	if (c->ninputs == 0) {
		static char *stdin_only[] = {"-"};
		c->inputs = stdin_only;
		c->ninputs = 1;
	}
	for (int i = 0; i < c->ninputs; i++) {
		const char *path = c->inputs[i];
		int stdin_ = !strcmp(path, "-");
		struct stat st;
		if (stdin_ ? fstat(STDIN_FILENO, &st) != 0 : stat(path, &st) != 0)
			continue; /* cli_open_input() reports it */
		if (!c->input_fd) {
			c->input_fd = malloc((size_t)c->ninputs * sizeof *c->input_fd);
			c->input_at = calloc((size_t)c->ninputs, sizeof *c->input_at);
			if (!c->input_fd || !c->input_at)
				cli_fatal(c, "out of memory");
			for (int k = 0; k < c->ninputs; k++)
				c->input_fd[k] = -1;
		}
		if (stdin_ && S_ISREG(st.st_mode)) {
			/* a file behind standard input: read again from here */
			off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
			if (at >= 0 && (c->input_fd[i] = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)) >= 0) {
				c->input_at[i] = (int64_t)at;
				continue;
			}
		}
		if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
			continue;
		int in = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
		if (in < 0)
			continue;
		const char *dir = getenv("TMPDIR");
		char tmpl[PATH_MAX];
		snprintf(tmpl, sizeof tmpl, "%s/korpus-spool.XXXXXX", dir && *dir ? dir : "/tmp");
		int fd = mkstemp(tmpl);
		if (fd < 0)
			cli_fatal(c, "cannot create a temporary file in '%s' to read '%s' twice: %s", dir && *dir ? dir : "/tmp",
				  path, strerror(errno));
		unlink(tmpl); /* gone with the process, whatever ends it */
		kp_writer *copy = kp_writer_new();
		if (!copy || kp_writer_open_fd(copy, fd, tmpl, 0, 0) < 0)
			cli_fatal(c, "out of memory");
		char buf[1 << 16];
		uint64_t total = 0;
		for (;;) {
			ssize_t n = read(in, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				cli_fatal(c, "cannot read '%s': %s", path, strerror(errno));
			if (n == 0)
				break;
			total += (uint64_t)n;
			if (total > max)
				cli_usage_error(c, "%s: %s reads its input twice, and this one is a stream of more than %s "
						   "(the limit of its copy in $TMPDIR): give a file", stdin_ ? "<stdin>" : path,
						why, cli_bytes(max, 0));
			if (kp_writer_write(copy, buf, (size_t)n) < 0)
				cli_fatal(c, "cannot copy '%s' to a temporary file: %s", path, kp_writer_errmsg(copy));
		}
		if (kp_writer_finish(copy) < 0)
			cli_fatal(c, "cannot copy '%s' to a temporary file: %s", path, kp_writer_errmsg(copy));
		kp_writer_free(copy);
		if (!stdin_)
			close(in);
		c->input_fd[i] = fd;
	}
}

int cli_getline(cli *c, const char **line, size_t *len)
{
	int rc = kp_reader_getline(c->in, line, len);
	if (rc >= 0)
		return rc;
	if (rc == KP_ETOOLONG)
		return -1;
	read_error(c, "%s", kp_reader_errmsg(c->in));
	return 0;
}

void cli_close_input(cli *c)
{
	c->bytes_done += kp_reader_bytes_in(c->in);
	c->boms += (uint64_t)kp_reader_bom(c->in);
	c->zero_pad += kp_reader_zero_padding(c->in);
	if (kp_reader_close(c->in) < 0)
		cli_error(c, "%s", kp_reader_errmsg(c->in));
}

/* ---- progress ----------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double cli_elapsed(const cli *c)
{
	return now() - c->t0;
}

static void clear_meter(cli *c)
{
	if (c && c->drawn) {
		fputs("\r\033[K", stderr);
		c->drawn = 0;
	}
}

const char *cli_bytes(uint64_t n, int slot)
{
	static char buf[4][32];
	char *b = buf[slot & 3];
	if (n < 1000)
		snprintf(b, sizeof buf[0], "%llu bytes", (unsigned long long)n);
	else if (n < 1000000)
		snprintf(b, sizeof buf[0], "%.1f kB", n / 1e3);
	else if (n < 1000000000)
		snprintf(b, sizeof buf[0], "%.1f MB", n / 1e6);
	else
		snprintf(b, sizeof buf[0], "%.2f GB", n / 1e9);
	return b;
}

static void draw(cli *c, double t, uint64_t bytes)
{
	double el = t - c->t0;
	double mb = bytes / 1e6;
	char extra[64] = "";
	if (c->bytes_total > 0 && el > 0 && bytes > 0) {
		double frac = (double)bytes / (double)c->bytes_total;
		if (frac > 1)
			frac = 1;
		double eta = el / frac - el;
		snprintf(extra, sizeof extra, "  %3.0f%%  ETA %d:%02d", frac * 100, (int)(eta / 60), (int)eta % 60);
	}
	fprintf(stderr, "\r\033[K%s: %llu docs  %.1f MB  %.1f MB/s%s", c->tool->name,
		(unsigned long long)c->docs_in, mb, el > 0 ? mb / el : 0.0, extra);
	c->drawn = 1;
	c->last_draw = t;
}

void cli_progress_at(cli *c, uint64_t bytes)
{
	if (!c->progress || (++c->tick & 255))
		return;
	double t = now();
	if (t - c->last_draw >= 0.25)
		draw(c, t, bytes);
}

void cli_progress(cli *c)
{
	if (c->progress)
		cli_progress_at(c, c->bytes_done + (c->in ? kp_reader_bytes_in(c->in) : 0));
}

void cli_progress_done(cli *c)
{
	clear_meter(c);
}

/* ---- strings ------------------------------------------------------------------ */

int sb_reserve(sbuf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (n <= b->cap - b->len)
		return 0;
	size_t ncap = b->cap ? b->cap : 256;
	if (n > SIZE_MAX / 4 - b->len) {
		b->oom = 1;
		return -1;
	}
	while (ncap - b->len < n)
		ncap *= 2;
	char *np = realloc(b->p, ncap);
	if (!np) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

int sb_add(sbuf *b, const void *p, size_t n)
{
	if (sb_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int sb_adds(sbuf *b, const char *s)
{
	return sb_add(b, s, strlen(s));
}

int sb_json(sbuf *b, const char *s, size_t n)
{
	if (sb_reserve(b, kp_json_quote_bound(n)) < 0)
		return -1;
	b->len += kp_json_quote(b->p + b->len, s, n);
	return 0;
}

int sb_jsons(sbuf *b, const char *s)
{
	return sb_json(b, s, strlen(s));
}

void sb_free(sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- the document loop -------------------------------------------------------- */

int cli_parse_doc(kp_doc *d, const char *line, size_t len, kp_result *res)
{
	int rc = kp_doc_parse(d, line, len);
	if (rc >= 0)
		return 1;
	kp_result_error(res, rc, kp_doc_errmsg(d));
	return 0;
}

static int sink_write(void *ctx, int channel, const char *p, size_t n)
{
	cli *c = ctx;
	if (c->deliver)
		return c->deliver(c->deliver_ctx, channel, p, n);
	kp_writer *w = channel == 0 ? c->out : channel - 1 < c->nsides ? c->side[channel - 1] : NULL;
	if (!w)
		return 0;
	cli_write(c, w, p, n);
	if (channel == 0)
		c->docs_out++;
	return 0;
}

/* An invalid line: fatal for this input, or counted and set aside. */
static int sink_error(void *ctx, uint64_t lineno, const char *line, size_t len, int code, const char *msg)
{
	cli *c = ctx;
	(void)code;
	c->tick_skip = 1; /* a line that is no document is not counted as one */
	if (!c->skip_invalid) {
		cli_error_at(c, kp_reader_name(c->in), lineno, "%s", msg);
		return -1;
	}
	c->invalid++;
	if (c->rej && line) {
		cli_write(c, c->rej, line, len);
		cli_write(c, c->rej, "\n", 1);
	}
	return 0;
}

static void sink_tick(void *ctx)
{
	cli *c = ctx;
	c->docs_in += !c->tick_skip;
	c->lines_in++;
	c->tick_skip = 0;
	cli_progress(c);
}

void cli_run_pipeline(cli *c, const kp_job_ops *ops, void *arg)
{
	kp_pipeline *p = kp_pipeline_new(ops, arg, c->jobs);
	if (!p)
		cli_fatal(c, "cannot start %d worker%s (out of memory?)", c->jobs, c->jobs == 1 ? "" : "s");
	const kp_sink sink = {.ctx = c, .write = sink_write, .error = sink_error, .tick = sink_tick};
	for (int i = 0; i < (c->ninputs ? c->ninputs : 1); i++) {
		if (cli_open_input(c, i) < 0)
			continue;
		int rc = kp_pipeline_run(p, c->in, &sink);
		if (rc < 0 && kp_pipeline_errmsg(p)[0]) { /* not already reported by sink_error */
			uint64_t line = kp_pipeline_errline(p);
			cli_error_at(c, kp_reader_name(c->in), line ? line : kp_reader_lineno(c->in) + 1, "%s",
				     kp_pipeline_errmsg(p));
		}
		cli_close_input(c);
	}
	c->pipeline = p;
}

void cli_free(cli *c)
{
	kp_pipeline_free(c->pipeline);
	c->pipeline = NULL;
}

int cli_finish(cli *c)
{
	cli_progress_done(c);
	/* every writer is tracked: the output, --rejects, the side outputs and
	 * those of cli_open_raw(), in the order they were opened */
	for (size_t i = 0; i < nouts; i++)
		close_writer(c, outs[i].w);
	c->nsides = 0;
	c->rej = c->out = NULL;
	publish_outputs(c);
	kp_reader_free(c->in);
	c->in = NULL;
	for (int i = 0; c->input_fd && i < c->ninputs; i++)
		if (c->input_fd[i] >= 0)
			close(c->input_fd[i]);
	free(c->input_fd);
	free(c->input_at);
	c->input_fd = NULL;
	c->input_at = NULL;
	return c->failed ? CLI_EXIT_DATA : CLI_EXIT_OK;
}

/* The whole of path into b: a file that cannot be opened is a usage error
 * (a name given on the command line), or with named_by, bad data of the
 * file that named it (exit 1). */
static void read_whole(cli *c, const char *path, sbuf *b, const char *named_by)
{
	kp_reader *r = kp_reader_new(0);
	if (!r)
		cli_fatal(c, "out of memory");
	if (kp_reader_open(r, path) < 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", kp_reader_errmsg(r));
		kp_reader_free(r);
		if (named_by)
			cli_fatal(c, "%s: %s", named_by, msg);
		cli_usage_error(c, "%s", msg);
	}
	char chunk[65536];
	long got;
	while ((got = kp_reader_read(r, chunk, sizeof chunk)) > 0)
		if (sb_add(b, chunk, (size_t)got) < 0)
			cli_fatal(c, "out of memory");
	if (got < 0)
		cli_fatal(c, "%s: %s", path, kp_reader_errmsg(r));
	kp_reader_free(r);
}

void cli_read_file(cli *c, const char *path, sbuf *b)
{
	read_whole(c, path, b, NULL);
}

void cli_read_named(cli *c, const char *path, const char *named_by, sbuf *b)
{
	read_whole(c, path, b, named_by);
}
