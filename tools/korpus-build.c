/* korpus-build: the whole pipeline in one command.  The tools run as
 * processes joined by pipes (--dry-run prints the shell pipeline it
 * equals); this program relays between them, counting documents and bytes
 * at every joint for the progress display and the manifest, then publishes
 * the output folder atomically. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "cli.h"
#include "sha256.h"

enum { OPT_STAGES = 256, OPT_DRY_RUN, OPT_FORCE, OPT_SOURCE, OPT_NO_PARAGRAPHS, OPT_UNGLUE, OPT_TEXT_FIELD, OPT_TEXT_COL, OPT_CREATED_FIELD };

static const struct option options[] = {
	{"stages", required_argument, NULL, OPT_STAGES},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"force", no_argument, NULL, OPT_FORCE},
	{"source", required_argument, NULL, OPT_SOURCE},
	{"no-paragraphs", no_argument, NULL, OPT_NO_PARAGRAPHS},
	{"unglue", required_argument, NULL, OPT_UNGLUE},
	{"text-field", required_argument, NULL, OPT_TEXT_FIELD},
	{"text-col", required_argument, NULL, OPT_TEXT_COL},
	{"created-field", required_argument, NULL, OPT_CREATED_FIELD},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-build",
	.summary = "Build a release-ready corpus from raw articles: the whole pipeline",
	.synopsis = "INPUT... -o OUTDIR [OPTION]...",
	.help = "Runs korpus import | clean | norm | dedup, then pack (the corpus), split |\n"
		"pack --format text (the sentences) and stats side by side, as processes\n"
		"joined by pipes, and writes to OUTDIR (published whole, or not at all):\n"
		"  corpus.jsonl.gz (+ .kpi)  the documents, blocked gzip with an index\n"
		"  sentences.txt.gz (+ .kpi) one sentence per line, a blank line between\n"
		"                            documents\n"
		"  removed.jsonl.gz          what import skipped, clean removed and dedup\n"
		"                            dropped (documents, and repeated paragraphs with\n"
		"                            the number of documents that held them), each\n"
		"                            record with its \"stage\" and reason\n"
		"  stats.json, report.html   korpus-stats of the corpus\n"
		"  manifest.json             version, options, inputs, documents and bytes\n"
		"                            per stage (in = out + dropped), SHA-256 of outputs\n"
		"Run again with the same inputs and options, it does nothing (standard input\n"
		"is always built again).  An existing OUTDIR is replaced only when it holds a\n"
		"korpus build and nothing else.\n\n"
		"  -o DIR               the output folder (required)\n"
		"  --stages LIST        of import,clean,norm,dedup,split,pack,stats (default\n"
		"                       all; import always runs)\n"
		"  --source NAME        the \"source\" of the imported documents\n"
		"  --text-field F, --text-col NAME   where the text is in JSONL records and\n"
		"                       CSV/TSV rows (default: the first of text, body,\n"
		"                       content, isi, isi_berita, konten, ...; see korpus-import)\n"
		"  --created-field F    the JSONL field of the publication date (default: the\n"
		"                       first of date, tanggal, published, ...; see korpus-import)\n"
		"  --no-paragraphs      keep repeated paragraphs: by default dedup removes the\n"
		"                       paragraphs found in several documents of one source\n"
		"                       (korpus-dedup --paragraphs --para-per-source\n"
		"                       --para-min-docs auto): a site's boilerplate\n"
		"  --unglue off|camel|all  norm's repair of words glued where links were\n"
		"                       stripped (default all; see korpus-norm --help)\n"
		"  -j N                 threads of each stage (the stages also run at once)\n"
		"  --dry-run            print the pipeline as a shell command and exit\n"
		"  --force              build even when OUTDIR is up to date, and replace an\n"
		"                       OUTDIR that is not a korpus build (a file, a folder of\n"
		"                       other files); an OUTDIR holding an input, or inside one,\n"
		"                       is always refused\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_JOBS,
	.longopts = options,
};

/* ---- stages ------------------------------------------------------------------------ */

enum { S_IMPORT, S_CLEAN, S_NORM, S_DEDUP, S_SPLIT, S_PACK, S_STATS, NSTAGES };
#define NSIDES 4 /* side files of the stages: see write_removed */
static const char *const stage_names[NSTAGES] = {"import", "clean", "norm", "dedup", "split", "pack", "stats"};

#define MAXARGS 64

struct proc {
	const char *stage; /* for messages */
	char *argv[MAXARGS];
	int argc;
	pid_t pid;
	int status;
	int termed; /* we sent it SIGTERM (another stage failed, or an interrupt) */
	int reaped; /* order of its end, from 1 */
	int in, out; /* descriptors given to the child (-1: none) */
};

struct relay {
	int from;
	int to[3];
	int nto;
	uint64_t docs, bytes;
	int err;
	pthread_t th;
};

static struct {
	cli *c;
	char dir[PATH_MAX];  /* where the tools are */
	char tmp[PATH_MAX + 64]; /* the folder being built */
	char out[PATH_MAX];  /* OUTDIR */
	int on[NSTAGES];
	int jobs;
	const char *source;
	int no_paragraphs;
	const char *unglue; /* korpus-norm --unglue=MODE */
	const char *text_field, *text_col, *created_field; /* korpus-import's */
	struct proc procs[16];
	int nprocs;
	struct relay relays[8];
	int nrelays;
	volatile sig_atomic_t stop;
} B;

static void add_arg(struct proc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_arg(struct proc *p, const char *fmt, ...)
{
	char buf[PATH_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (p->argc + 1 >= MAXARGS || !(p->argv[p->argc++] = strdup(buf)))
		cli_fatal(B.c, "out of memory");
	p->argv[p->argc] = NULL;
}

static struct proc *new_proc(const char *stage, const char *verb)
{
	struct proc *p = &B.procs[B.nprocs++];
	memset(p, 0, sizeof *p);
	p->stage = stage;
	p->in = p->out = -1;
	add_arg(p, "%s/korpus-%s", B.dir, verb);
	add_arg(p, "-q");
	return p;
}

static void jobs_arg(struct proc *p)
{
	if (B.jobs > 1)
		add_arg(p, "-j%d", B.jobs);
}

/* The processes of the pipeline; inputs given. */
static void plan(char **inputs, int ninputs)
{
	struct proc *p = new_proc("import", "import");
	if (B.source)
		add_arg(p, "--source=%s", B.source);
	if (B.text_field)
		add_arg(p, "--text-field=%s", B.text_field);
	if (B.text_col)
		add_arg(p, "--text-col=%s", B.text_col);
	if (B.created_field)
		add_arg(p, "--created-field=%s", B.created_field);
	add_arg(p, "--skipped=%s/skipped.jsonl", B.tmp);
	for (int i = 0; i < ninputs; i++)
		add_arg(p, "%s", inputs[i]);
	if (B.on[S_CLEAN]) {
		p = new_proc("clean", "clean");
		jobs_arg(p);
		add_arg(p, "--removed=%s/removed-clean.jsonl", B.tmp);
	}
	if (B.on[S_NORM]) {
		p = new_proc("norm", "norm");
		jobs_arg(p);
		add_arg(p, "--unglue=%s", B.unglue);
	}
	if (B.on[S_DEDUP]) {
		p = new_proc("dedup", "dedup");
		jobs_arg(p);
		add_arg(p, "--dups=%s/dups.jsonl", B.tmp);
		if (!B.no_paragraphs) {
			add_arg(p, "--paragraphs");
			add_arg(p, "--para-per-source");
			add_arg(p, "--para-min-docs=auto");
			add_arg(p, "--para-removed=%s/removed-paras.jsonl", B.tmp);
		}
	}
	/* the branches after the fan-out */
	if (B.on[S_PACK]) {
		p = new_proc("pack", "pack");
		jobs_arg(p);
		add_arg(p, "-o");
		add_arg(p, "%s/corpus.jsonl.gz", B.tmp);
	} else {
		p = new_proc("pack", "cat");
		add_arg(p, "-o");
		add_arg(p, "%s/corpus.jsonl.gz", B.tmp);
	}
	if (B.on[S_SPLIT]) {
		p = new_proc("split", "split");
		jobs_arg(p);
		add_arg(p, "--format=text");
		p = new_proc("pack", B.on[S_PACK] ? "pack" : "cat");
		if (B.on[S_PACK]) {
			jobs_arg(p);
			add_arg(p, "--format=text");
		}
		add_arg(p, "-o");
		add_arg(p, "%s/sentences.txt.gz", B.tmp);
	}
	if (B.on[S_STATS]) {
		p = new_proc("stats", "stats");
		jobs_arg(p);
		add_arg(p, "--json=%s/stats.json", B.tmp);
		add_arg(p, "--html=%s/report.html", B.tmp);
		add_arg(p, "-o");
		add_arg(p, "/dev/null");
	}
}

/* Index of the first process of the fan-out (pack). */
static int fanout_index(void)
{
	int k = 1 + B.on[S_CLEAN] + B.on[S_NORM] + B.on[S_DEDUP];
	return k;
}

static void print_cmd(FILE *f, const struct proc *p, const char *shown_tmp)
{
	for (int i = 0; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (i == 0) {
			const char *s = strrchr(a, '/');
			a = s ? s + 1 : a;
			fprintf(f, "korpus %s", a + 7);
			continue;
		}
		fputc(' ', f);
		size_t tl = strlen(B.tmp);
		if (!strncmp(a, B.tmp, tl) || (strchr(a, '=') && !strncmp(strchr(a, '=') + 1, B.tmp, tl))) {
			const char *eq = strchr(a, '=');
			if (eq && strncmp(a, B.tmp, tl))
				fprintf(f, "%.*s", (int)(eq - a + 1), a);
			fprintf(f, "%s%s", shown_tmp, (eq && strncmp(a, B.tmp, tl) ? eq + 1 : a) + tl);
			continue;
		}
		int plain = *a != '\0';
		for (const char *q = a; *q; q++)
			plain &= (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
				 strchr("-_./=,:+@%", *q) != NULL;
		if (plain) {
			fputs(a, f);
		} else {
			fputc('\'', f);
			for (const char *q = a; *q; q++)
				*q == '\'' ? fputs("'\\''", f) : fputc(*q, f);
			fputc('\'', f);
		}
	}
}

/* The pipeline as a bash command, with OUTDIR for the build folder. */
static void dry_run(void)
{
	int fan = fanout_index();
	for (int i = 0; i < fan; i++) {
		print_cmd(stdout, &B.procs[i], B.out);
		fputs(" |\n  ", stdout);
	}
	int branch = fan + 1;
	if (branch < B.nprocs)
		fputs("tee", stdout);
	if (B.on[S_SPLIT]) {
		fputs(" >(", stdout);
		print_cmd(stdout, &B.procs[branch], B.out);
		fputs(" | ", stdout);
		print_cmd(stdout, &B.procs[branch + 1], B.out);
		fputs(")", stdout);
		branch += 2;
	}
	if (B.on[S_STATS]) {
		fputs(" >(", stdout);
		print_cmd(stdout, &B.procs[branch], B.out);
		fputs(")", stdout);
	}
	if (fan + 1 < B.nprocs)
		fputs(" |\n  ", stdout);
	print_cmd(stdout, &B.procs[fan], B.out);
	fputs("\n", stdout);
}

/* ---- running ----------------------------------------------------------------------- */

static void *relay_run(void *arg)
{
	struct relay *r = arg;
	static __thread char buf[1 << 16];
	for (;;) {
		ssize_t n = read(r->from, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r->err = n < 0;
			break;
		}
		for (ssize_t i = 0; i < n; i++)
			r->docs += buf[i] == '\n';
		r->bytes += (uint64_t)n;
		for (int k = 0; k < r->nto; k++) {
			if (r->to[k] < 0)
				continue;
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(r->to[k], buf + off, (size_t)(n - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					/* a consumer died: it reports; the others go on */
					close(r->to[k]);
					r->to[k] = -1;
					break;
				}
				off += w;
			}
		}
	}
	close(r->from);
	for (int k = 0; k < r->nto; k++)
		if (r->to[k] >= 0)
			close(r->to[k]);
	return NULL;
}

static void spawn(struct proc *p)
{
	p->pid = fork();
	if (p->pid < 0)
		cli_fatal(B.c, "cannot start %s: %s", p->stage, strerror(errno));
	if (p->pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (p->in >= 0 && dup2(p->in, 0) < 0)
			_exit(127);
		if (p->out >= 0 && dup2(p->out, 1) < 0)
			_exit(127);
		/* every other descriptor of the pipeline is closed by O_CLOEXEC */
		execv(p->argv[0], p->argv);
		fprintf(stderr, "korpus build: cannot run %s: %s\n", p->argv[0], strerror(errno));
		_exit(127);
	}
	if (p->in >= 0)
		close(p->in);
	if (p->out >= 0)
		close(p->out);
}

static void pipe_pair(int fd[2])
{
	if (pipe2(fd, O_CLOEXEC) < 0)
		cli_fatal(B.c, "pipe: %s", strerror(errno));
}

static void on_signal(int sig)
{
	(void)sig;
	B.stop = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SIGTERM to every stage still running. */
static void stop_all(void)
{
	for (int k = 0; k < B.nprocs; k++)
		if (B.procs[k].pid > 0) {
			B.procs[k].termed = 1;
			kill(B.procs[k].pid, SIGTERM);
		}
}

/* Start every process and relay; wait; 0 when every stage succeeded. */
static int run(int progress)
{
	int fan = fanout_index();
	/* the chain import -> ... -> fan-out, a relay after each process */
	int prev_out = -1;
	for (int i = 0; i < fan; i++) {
		int p[2];
		pipe_pair(p);
		B.procs[i].in = prev_out;
		B.procs[i].out = p[1];
		spawn(&B.procs[i]);
		int q[2];
		struct relay *r = &B.relays[B.nrelays++];
		memset(r, 0, sizeof *r);
		r->from = p[0];
		if (i + 1 < fan) {
			pipe_pair(q);
			r->to[r->nto++] = q[1];
			prev_out = q[0];
		} else {
			/* the fan-out: pack, and the split and stats branches */
			int branch = fan + 1;
			for (int k = fan; k < B.nprocs; k++) {
				if (k == branch && B.on[S_SPLIT]) {
					/* split | pack --format text, relayed to count sentences' lines */
					int a[2], b[2], c2[2];
					pipe_pair(a);
					r->to[r->nto++] = a[1];
					pipe_pair(b);
					B.procs[k].in = a[0];
					B.procs[k].out = b[1];
					spawn(&B.procs[k]);
					pipe_pair(c2);
					struct relay *s = &B.relays[B.nrelays++];
					memset(s, 0, sizeof *s);
					s->from = b[0];
					s->to[s->nto++] = c2[1];
					B.procs[k + 1].in = c2[0];
					spawn(&B.procs[k + 1]);
					k++;
					continue;
				}
				int a[2];
				pipe_pair(a);
				r->to[r->nto++] = a[1];
				B.procs[k].in = a[0];
				spawn(&B.procs[k]);
			}
		}
	}
	for (int i = 0; i < B.nrelays; i++)
		if (pthread_create(&B.relays[i].th, NULL, relay_run, &B.relays[i]) != 0)
			cli_fatal(B.c, "cannot start a thread");
	/* wait for the processes, drawing the meter meanwhile */
	int left = B.nprocs, failed = 0, reaped = 0;
	double t0 = now(), last = 0;
	while (left) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			for (int i = 0; i < B.nprocs; i++)
				if (B.procs[i].pid == pid) {
					B.procs[i].status = st;
					B.procs[i].pid = 0;
					B.procs[i].reaped = ++reaped;
					left--;
					if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) && !failed) {
						failed = 1;
						stop_all(); /* no partial output is kept anyway */
					}
				}
			continue;
		}
		if (B.stop && !failed) {
			failed = 2;
			stop_all();
		}
		double t = now();
		if (progress && t - last > 0.25) {
			last = t;
			const struct relay *r = &B.relays[fanout_index() - 1];
			double el = t - t0 > 1e-3 ? t - t0 : 1e-3;
			fprintf(stderr, "\r\033[Kkorpus build: %llu documents through %s (%.0f docs/s, %.1f MB/s), %.0f s",
				(unsigned long long)r->docs, stage_names[B.on[S_DEDUP] ? S_DEDUP : B.on[S_NORM] ? S_NORM : B.on[S_CLEAN] ? S_CLEAN : S_IMPORT],
				(double)r->docs / el, (double)r->bytes / el / 1e6, el);
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (progress)
		fputs("\r\033[K", stderr);
	for (int i = 0; i < B.nrelays; i++)
		pthread_join(B.relays[i].th, NULL);
	if (failed == 2)
		return -1;
	if (!failed)
		return 0;
	/* The stage to blame: one that failed of itself (an exit status, its
	 * message printed), else one killed by a signal not ours (the OOM
	 * killer, kill -9), else one that died of a closed pipe; the first to
	 * end among equals.  The others were stopped by us or lost a reader. */
	int blame = -1, rank = 4;
	for (int i = 0; i < B.nprocs; i++) {
		const struct proc *p = &B.procs[i];
		int st = p->status, r;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			continue;
		if (WIFEXITED(st))
			r = 0;
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && p->termed)
			continue;
		else if (WIFSIGNALED(st) && WTERMSIG(st) != SIGPIPE)
			r = 1;
		else
			r = 2;
		if (r < rank || (r == rank && p->reaped < B.procs[blame].reaped)) {
			rank = r;
			blame = i;
		}
	}
	if (blame < 0) {
		cli_error(B.c, "a stage was stopped; nothing was published");
		return -1;
	}
	const struct proc *p = &B.procs[blame];
	if (WIFEXITED(p->status))
		cli_error(B.c, "stage %s failed (exit status %d); nothing was published", p->stage, WEXITSTATUS(p->status));
	else
		cli_error(B.c, "stage %s was killed by signal %d (%s); nothing was published", p->stage,
			  WTERMSIG(p->status), strsignal(WTERMSIG(p->status)));
	return -1;
}

/* ---- after the run ------------------------------------------------------------------- */

/* Documents of the corpus whose id an earlier one has, from its index
 * (0 when the corpus has none: --stages without pack). */
static uint64_t repeated_ids(void)
{
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/corpus.jsonl.gz", B.tmp);
	kp_packfile *f = NULL;
	if (!B.on[S_PACK] || kp_packfile_open(&f, path, NULL, NULL) < 0)
		return 0;
	uint64_t n = kp_packfile_repeated_ids(f);
	kp_packfile_close(f);
	return n;
}

/* removed.jsonl.gz: each side file's records with their "stage" first;
 * lines[] gets the lines of each side file (import, clean, dedup's
 * documents and its paragraphs), noprose
 * those of clean's that record a document dropped with no prose left (an
 * id holding this text would have its quotes escaped). */
static void write_removed(uint64_t lines[NSIDES], uint64_t *noprose)
{
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/removed.jsonl.gz", B.tmp);
	kp_writer *w = kp_writer_new();
	if (!w || kp_writer_open(w, path, KP_WRITE_GZIP, 6) < 0)
		cli_fatal(B.c, "%s: cannot write", path);
	static const char *const side[NSIDES][2] = {{"skipped.jsonl", "import"},
						    {"removed-clean.jsonl", "clean"},
						    {"dups.jsonl", "dedup"},
						    {"removed-paras.jsonl", "dedup"}};
	for (int s = 0; s < NSIDES; s++) {
		char in[sizeof B.tmp + 64];
		snprintf(in, sizeof in, "%s/%s", B.tmp, side[s][0]);
		FILE *f = fopen(in, "rb");
		if (!f)
			continue;
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		char head[64];
		int hl = snprintf(head, sizeof head, "{\"stage\":\"%s\",", side[s][1]);
		while ((n = getline(&line, &cap, f)) > 0) {
			lines[s]++;
			if (s == 1 && strstr(line, "\"rule\":\"no-prose\",\"text\":"))
				(*noprose)++;
			if (line[0] != '{')
				continue;
			if (kp_writer_write(w, head, (size_t)hl) < 0 || kp_writer_write(w, line + 1, (size_t)n - 1) < 0)
				cli_fatal(B.c, "%s: %s", path, kp_writer_errmsg(w));
		}
		free(line);
		fclose(f);
		unlink(in);
	}
	if (kp_writer_close(w) < 0)
		cli_fatal(B.c, "%s: %s", path, kp_writer_errmsg(w));
	kp_writer_free(w);
}

static int sha256_file(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	sha256_ctx s;
	sha256_init(&s);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(&s, buf, n);
	fclose(f);
	unsigned char d[32];
	sha256_final(&s, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* Files under a path (or the file itself): how many, their bytes, the
 * newest modification time (ns). */
struct tree {
	unsigned long long files, bytes, newest;
};

static void walk(const char *path, struct tree *t)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return;
	unsigned long long m = (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec;
	if (m > t->newest)
		t->newest = m;
	if (!S_ISDIR(st.st_mode)) {
		t->files++;
		t->bytes += (unsigned long long)st.st_size;
		return;
	}
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
			walk(sub, t);
	}
	closedir(d);
}

/* What makes a build: the options and, for each input, its files' count,
 * bytes and newest time. */
static int fingerprint(sbuf *o, char **inputs, int ninputs)
{
	int rc = sb_adds(o, "{\"stages\":[");
	for (int s = 0, first = 1; s < NSTAGES; s++)
		if (B.on[s]) {
			rc |= sb_adds(o, first ? "\"" : ",\"") | sb_adds(o, stage_names[s]) | sb_adds(o, "\"");
			first = 0;
		}
	rc |= sb_adds(o, "],\"source\":");
	rc |= B.source ? sb_json(o, B.source, strlen(B.source)) : sb_adds(o, "null");
	rc |= sb_adds(o, B.no_paragraphs ? ",\"paragraphs\":false" : ",\"paragraphs\":true");
	rc |= sb_adds(o, ",\"unglue\":") | sb_json(o, B.unglue, strlen(B.unglue));
	rc |= sb_adds(o, ",\"text_field\":") | (B.text_field ? sb_json(o, B.text_field, strlen(B.text_field)) : sb_adds(o, "null"));
	rc |= sb_adds(o, ",\"text_col\":") | (B.text_col ? sb_json(o, B.text_col, strlen(B.text_col)) : sb_adds(o, "null"));
	rc |= sb_adds(o, ",\"created_field\":") |
	      (B.created_field ? sb_json(o, B.created_field, strlen(B.created_field)) : sb_adds(o, "null"));
	rc |= sb_adds(o, ",\"inputs\":[");
	for (int i = 0; i < ninputs; i++) {
		struct tree t = {0, 0, 0};
		char num[128];
		walk(inputs[i], &t);
		rc |= sb_adds(o, i ? ",{\"path\":" : "{\"path\":") | sb_json(o, inputs[i], strlen(inputs[i]));
		snprintf(num, sizeof num, ",\"files\":%llu,\"bytes\":%llu,\"newest\":%llu}", t.files, t.bytes,
			 t.newest);
		rc |= sb_adds(o, num);
	}
	rc |= sb_adds(o, "]}");
	return rc < 0 ? -1 : 0;
}

static const char *const outputs[] = {"corpus.jsonl.gz", "corpus.jsonl.gz.kpi", "sentences.txt.gz", "sentences.txt.gz.kpi",
				      "removed.jsonl.gz", "stats.json", "report.html", NULL};

static void put_num(sbuf *m, const char *key, uint64_t v)
{
	char num[64];
	snprintf(num, sizeof num, ",\"%s\":%llu", key, (unsigned long long)v);
	sb_adds(m, num);
}

/* The stages' accounting and the outputs' digests; < 0 when documents do
 * not add up. */
static int write_manifest(const char *fp, double seconds, uint64_t skipped, uint64_t spans, uint64_t noprose,
			  uint64_t dups, uint64_t paras, uint64_t repeated)
{
	sbuf m = {0};
	char num[128];
	int fan = fanout_index(), ok = 1, k = 0;
	sb_adds(&m, "{\"korpus_build\":1,\"version\":\"");
	sb_adds(&m, kp_version());
	sb_adds(&m, "\",\"build\":");
	sb_adds(&m, fp);
	snprintf(num, sizeof num, ",\"seconds\":%.2f,\"stages\":[", seconds);
	sb_adds(&m, num);
	uint64_t in = 0;
	for (int s = 0; s < NSTAGES; s++) {
		if (!B.on[s] && s != S_IMPORT)
			continue;
		sb_adds(&m, s == S_IMPORT ? "{\"stage\":\"" : ",{\"stage\":\"");
		sb_adds(&m, stage_names[s]);
		sb_adds(&m, "\"");
		if (s <= S_DEDUP) {
			const struct relay *r = &B.relays[k++];
			uint64_t dropped = s == S_IMPORT ? skipped : s == S_CLEAN ? noprose : s == S_DEDUP ? dups : 0;
			if (s == S_IMPORT)
				in = r->docs + skipped;
			put_num(&m, "documents_in", in);
			put_num(&m, "documents_out", r->docs);
			put_num(&m, "dropped", dropped);
			put_num(&m, "bytes_out", r->bytes);
			if (s == S_CLEAN)
				put_num(&m, "spans_removed", spans);
			if (s == S_DEDUP && !B.no_paragraphs)
				put_num(&m, "paragraphs_removed", paras);
			ok &= in == r->docs + dropped;
			in = r->docs;
		} else if (s == S_SPLIT) {
			put_num(&m, "documents_in", in);
			put_num(&m, "lines_out", B.relays[fan].docs);
		} else {
			put_num(&m, "documents_in", in);
		}
		sb_adds(&m, "}");
	}
	sb_adds(&m, "],\"outputs\":{");
	int first = 1;
	for (int i = 0; outputs[i]; i++) {
		char path[sizeof B.tmp + 64], hex[65];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", B.tmp, outputs[i]);
		if (stat(path, &st) < 0 || sha256_file(path, hex) < 0)
			continue;
		sb_adds(&m, first ? "\"" : ",\"");
		first = 0;
		sb_adds(&m, outputs[i]);
		snprintf(num, sizeof num, "\":{\"bytes\":%lld,\"sha256\":\"%s\"}", (long long)st.st_size, hex);
		sb_adds(&m, num);
	}
	snprintf(num, sizeof num, "},\"ids_repeated\":%llu,\"balanced\":%s}\n", (unsigned long long)repeated,
		 ok ? "true" : "false");
	sb_adds(&m, num);
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/manifest.json", B.tmp);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(m.p, 1, m.len, f) != m.len || fclose(f) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
	sb_free(&m);
	return ok ? 0 : -1;
}

static int rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return -1;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[PATH_MAX];
			if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
				rm_tree(sub);
		}
		closedir(d);
		return rmdir(path);
	}
	return unlink(path);
}

/* The manifest of the build in folder dir, parsed; NULL when there is none
 * (or it is not a korpus build's). */
static yajl_val read_manifest(const char *dir)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	sbuf m = {0};
	char buf[4096];
	size_t n;
	int bad = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && !bad)
		bad = sb_add(&m, buf, n) < 0 || m.len > ((size_t)16 << 20);
	fclose(f);
	yajl_val root = NULL;
	if (!bad && sb_add(&m, "", 1) == 0)
		root = yajl_tree_parse(m.p, NULL, 0); /* NULL: no message wanted */
	sb_free(&m);
	const char *key[] = {"korpus_build", NULL};
	if (root && (!YAJL_IS_OBJECT(root) || !yajl_tree_get(root, key, yajl_t_number))) {
		yajl_tree_free(root);
		root = NULL;
	}
	return root;
}

/* A string value's characters ("" for any other value). */
static const char *ystr(yajl_val v)
{
	const char *p = YAJL_IS_STRING(v) ? v->u.string : NULL;
	return p ? p : "";
}

static const char *ynum(yajl_val v)
{
	const char *p = YAJL_IS_NUMBER(v) ? v->u.number.r : NULL;
	return p ? p : "";
}

/* Do two parsed JSON values hold the same (objects: the same members in
 * the same order, as korpus build writes them)? */
static int json_equal(yajl_val a, yajl_val b)
{
	if (!a || !b || a->type != b->type)
		return 0;
	switch (a->type) {
	case yajl_t_string: return !strcmp(ystr(a), ystr(b));
	case yajl_t_number: return !strcmp(ynum(a), ynum(b));
	case yajl_t_object:
		if (a->u.object.len != b->u.object.len)
			return 0;
		for (size_t i = 0; i < a->u.object.len; i++)
			if (strcmp(a->u.object.keys[i], b->u.object.keys[i]) ||
			    !json_equal(a->u.object.values[i], b->u.object.values[i]))
				return 0;
		return 1;
	case yajl_t_array:
		if (a->u.array.len != b->u.array.len)
			return 0;
		for (size_t i = 0; i < a->u.array.len; i++)
			if (!json_equal(a->u.array.values[i], b->u.array.values[i]))
				return 0;
		return 1;
	default: return 1; /* true, false, null: the type says it */
	}
}

static yajl_val member(yajl_val obj, const char *key, yajl_type type)
{
	const char *path[] = {key, NULL};
	return obj ? yajl_tree_get(obj, path, type) : NULL;
}

/* Is OUTDIR the build of the same inputs and options, outputs intact? */
static int up_to_date(const char *fp)
{
	yajl_val m = read_manifest(B.out);
	if (!m)
		return 0;
	yajl_val ver = member(m, "version", yajl_t_string), build = member(m, "build", yajl_t_object);
	yajl_val outs = member(m, "outputs", yajl_t_object);
	int same = 0;
	if (ver && !strcmp(ystr(ver), kp_version()) && build && outs) {
		/* the options and inputs: the fingerprint, written the same way */
		yajl_val now = yajl_tree_parse(fp, NULL, 0); /* NULL: no message wanted */
		same = now && json_equal(now, build);
		yajl_tree_free(now);
		/* every output recorded still has its digest */
		for (size_t i = 0; same && i < outs->u.object.len; i++) {
			const char *name = outs->u.object.keys[i];
			yajl_val h = member(outs->u.object.values[i], "sha256", yajl_t_string);
			char hex[65], file[PATH_MAX + 64];
			snprintf(file, sizeof file, "%s/%s", B.out, name);
			same = h && !strchr(name, '/') && sha256_file(file, hex) == 0 && !strcmp(ystr(h), hex);
		}
	}
	yajl_tree_free(m);
	return same;
}

/* The absolute path of path with its links resolved (of its folder, when
 * path does not exist yet), malloc'ed; NULL when the folder does not exist
 * either. */
static char *resolved(const char *path)
{
	char *r = realpath(path, NULL);
	if (r)
		return r;
	char *copy = strdup(path);
	if (!copy)
		return NULL;
	char *slash = strrchr(copy, '/');
	const char *dir = ".", *base = copy;
	if (slash) {
		*slash = '\0';
		dir = slash == copy ? "/" : copy;
		base = slash + 1;
	}
	char *rd = realpath(dir, NULL);
	char *out = rd ? malloc(strlen(rd) + strlen(base) + 2) : NULL;
	if (out)
		sprintf(out, "%s%s%s", rd, strcmp(rd, "/") ? "/" : "", base);
	free(rd);
	free(copy);
	return out;
}

/* Is path a or inside folder b (both resolved)? */
static int inside(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* The first entry of folder dir that a build does not write, or NULL (a
 * static buffer). */
static const char *foreign_entry(const char *dir)
{
	static char name[NAME_MAX + 1];
	DIR *d = opendir(dir);
	if (!d)
		return "(unreadable)";
	struct dirent *e;
	const char *found = NULL;
	while (!found && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "manifest.json"))
			continue;
		int known = 0;
		for (int i = 0; outputs[i] && !known; i++)
			known = !strcmp(e->d_name, outputs[i]);
		if (!known) {
			snprintf(name, sizeof name, "%s", e->d_name);
			found = name;
		}
	}
	closedir(d);
	return found;
}

/* May the build publish to OUTDIR?  Never when an input is OUTDIR or in
 * it, or OUTDIR is in an input (the build would read its own output).
 * Replacing is for a folder that holds a korpus build and nothing else;
 * anything else (a folder of other files, a file) only with --force. */
static void check_outdir(char **inputs, int ninputs, int force)
{
	cli *c = B.c;
	char *out = resolved(B.out);
	if (!out)
		cli_fatal(c, "-o %s: the folder above it does not exist and cannot be resolved", B.out);
	for (int i = 0; i < ninputs; i++) {
		if (!strcmp(inputs[i], "-"))
			continue;
		char *in = resolved(inputs[i]);
		if (in && inside(in, out))
			cli_fatal(c, "-o %s: the input '%s' is %s; give another output folder", B.out, inputs[i],
				  strcmp(in, out) ? "inside it" : "the same folder");
		if (in && inside(out, in))
			cli_fatal(c, "-o %s: it is inside the input '%s' (the build would read its own output); give "
				  "another output folder",
				  B.out, inputs[i]);
		free(in);
	}
	free(out);
	struct stat st;
	if (stat(B.out, &st) != 0)
		return; /* a new folder */
	if (!S_ISDIR(st.st_mode)) {
		if (!force)
			cli_fatal(c, "-o %s: a file is there, not a korpus build folder (--force replaces it)", B.out);
		return;
	}
	yajl_val manifest = read_manifest(B.out);
	int m = manifest != NULL;
	const char *other = foreign_entry(B.out);
	yajl_tree_free(manifest);
	if (force)
		return;
	if (!m && !other)
		return; /* an empty folder: nothing to lose */
	if (!m)
		cli_fatal(c, "-o %s: the folder holds no korpus build (no manifest.json of one): not replaced; give a new "
			  "folder, or --force to replace it",
			  B.out);
	if (other)
		cli_fatal(c, "-o %s: the folder holds '%s', which korpus build did not write: not replaced; move it, or "
			  "--force to replace the folder",
			  B.out, other);
}

/* Staging folders of this OUTDIR ("OUTDIR.TAG.build", ".old") left by a
 * build of this host that died without cleaning up (SIGKILL): removed. */
static void clean_stale_builds(void)
{
	const char *slash = strrchr(B.out, '/');
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - B.out) + (slash == B.out) : 1, slash ? B.out : ".");
	const char *base = slash ? slash + 1 : B.out;
	size_t bl = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	int removed = 0;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		size_t len = strlen(n);
		size_t sl = len > 6 && !strcmp(n + len - 6, ".build") ? 6 : len > 4 && !strcmp(n + len - 4, ".old") ? 4 : 0;
		if (!sl || len <= bl + 1 + sl || strncmp(n, base, bl) || n[bl] != '.' ||
		    !kp_tmp_tag_dead(n + bl + 1, len - bl - 1 - sl))
			continue;
		char path[PATH_MAX + NAME_MAX + 2];
		snprintf(path, sizeof path, "%s/%s", dir, n);
		if (rm_tree(path) == 0)
			removed++;
	}
	closedir(d);
	if (removed)
		cli_note(B.c, "removed %d staging folder%s of %s left by an interrupted build", removed, removed == 1 ? "" : "s",
			 B.out);
}

/* Can the inputs' state be fingerprinted?  Standard input and streams
 * cannot: their content is unknown until read. */
static int fingerprintable(char **inputs, int ninputs)
{
	for (int i = 0; i < ninputs; i++) {
		struct stat st;
		if (!strcmp(inputs[i], "-") || stat(inputs[i], &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	B.c = &c;
	const char *out = NULL;
	int dry = 0, force = 0, opt;
	for (int s = 0; s < NSTAGES; s++)
		B.on[s] = 1;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_DRY_RUN: dry = 1; break;
		case OPT_FORCE: force = 1; break;
		case OPT_SOURCE: B.source = optarg; break;
		case OPT_NO_PARAGRAPHS: B.no_paragraphs = 1; break;
		case OPT_TEXT_FIELD: B.text_field = optarg; break;
		case OPT_TEXT_COL: B.text_col = optarg; break;
		case OPT_CREATED_FIELD: B.created_field = optarg; break;
		case OPT_UNGLUE:
			if (strcmp(optarg, "off") && strcmp(optarg, "camel") && strcmp(optarg, "all"))
				cli_usage_error(&c, "--unglue: expected off, camel or all, not '%s'", optarg);
			B.unglue = optarg;
			break;
		case OPT_STAGES: {
			for (int s = 1; s < NSTAGES; s++)
				B.on[s] = 0;
			char *list = strdup(optarg), *save = NULL;
			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				int found = 0;
				for (int s = 0; s < NSTAGES; s++)
					if (!strcmp(t, stage_names[s]))
						B.on[s] = found = 1;
				if (!found)
					cli_usage_error(&c, "--stages: no stage '%s' (import,clean,norm,dedup,split,pack,stats)", t);
			}
			free(list);
			break;
		}
		}
	}
	out = c.output;
	if (!out || !strcmp(out, "-"))
		cli_usage_error(&c, "-o OUTDIR is required");
	if (!c.ninputs)
		cli_usage_error(&c, "give the articles to build from (folders, files)");
	B.jobs = c.jobs;
	if (!B.unglue)
		B.unglue = "all";
	size_t ol = strlen(out);
	while (ol > 1 && out[ol - 1] == '/')
		ol--;
	if (ol >= PATH_MAX - 64)
		cli_usage_error(&c, "-o: the path is too long");
	snprintf(B.out, sizeof B.out, "%.*s", (int)ol, out);
	/* an OUTDIR that is a symbolic link is built where it leads (the link
	 * stays), as every -o writes through links */
	struct stat lst;
	if (lstat(B.out, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		char *target = realpath(B.out, NULL);
		if (!target)
			cli_fatal(&c, "-o %s: a symbolic link to nothing (%s)", B.out, strerror(errno));
		if (strlen(target) >= PATH_MAX - 64)
			cli_usage_error(&c, "-o: the path is too long");
		snprintf(B.out, sizeof B.out, "%s", target);
		free(target);
	}
	char tag[40];
	kp_tmp_tag(tag, sizeof tag);
	snprintf(B.tmp, sizeof B.tmp, "%s.%s.build", B.out, tag);
	ssize_t n = readlink("/proc/self/exe", B.dir, sizeof B.dir - 1);
	if (n <= 0)
		cli_fatal(&c, "cannot find the korpus tools");
	B.dir[n] = '\0';
	*strrchr(B.dir, '/') = '\0';
	plan(c.inputs, c.ninputs);
	if (dry) {
		dry_run();
		return 0;
	}
	sbuf fp = {0};
	if (fingerprint(&fp, c.inputs, c.ninputs) < 0 || sb_add(&fp, "", 1) < 0)
		cli_fatal(&c, "out of memory");
	/* standard input has no state to compare: always built */
	if (!force && fingerprintable(c.inputs, c.ninputs) && up_to_date(fp.p)) {
		cli_note(&c, "%s is up to date (same inputs and options; --force builds again)", B.out);
		sb_free(&fp);
		return 0;
	}
	check_outdir(c.inputs, c.ninputs, force);
	clean_stale_builds();
	/* the folders above OUTDIR, as mkdir -p */
	for (char *q = B.out + 1; (q = strchr(q, '/')); q++) {
		*q = '\0';
		if (mkdir(B.out, 0777) < 0 && errno != EEXIST)
			cli_fatal(&c, "%s: cannot create: %s", B.out, strerror(errno));
		*q = '/';
	}
	if (mkdir(B.tmp, 0777) < 0)
		cli_fatal(&c, "%s: cannot create: %s", B.tmp, strerror(errno));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	double t0 = now();
	int progress = c.progress && !c.quiet;
	if (run(progress) < 0) {
		rm_tree(B.tmp);
		if (B.stop)
			cli_error(&c, "interrupted; nothing was published");
		sb_free(&fp);
		return CLI_EXIT_DATA;
	}
	uint64_t lines[NSIDES] = {0}, noprose = 0;
	write_removed(lines, &noprose);
	uint64_t skipped = lines[0], spans = lines[1] - noprose, dups = lines[2];
	uint64_t repeated = repeated_ids();
	if (write_manifest(fp.p, now() - t0, skipped, spans, noprose, dups, lines[3], repeated) < 0) {
		rm_tree(B.tmp);
		cli_fatal(&c, "the documents do not add up between stages (see the manifest); nothing was published");
	}
	if (B.stop) {
		rm_tree(B.tmp);
		cli_fatal(&c, "interrupted; nothing was published");
	}
	/* publish: the new folder in place of the old one */
	char old[sizeof B.tmp + 64];
	snprintf(old, sizeof old, "%s.%s.old", B.out, tag);
	/* OUTDIR may have changed during the build: checked again */
	check_outdir(c.inputs, c.ninputs, force);
	struct stat st;
	int had = lstat(B.out, &st) == 0;
	if (had && rename(B.out, old) < 0) {
		rm_tree(B.tmp);
		cli_fatal(&c, "%s: cannot replace: %s", B.out, strerror(errno));
	}
	if (rename(B.tmp, B.out) < 0) {
		int e = errno;
		if (had)
			rename(old, B.out);
		rm_tree(B.tmp);
		cli_fatal(&c, "%s: cannot publish: %s", B.out, strerror(e));
	}
	if (had)
		rm_tree(old);
	const struct relay *last = &B.relays[fanout_index() - 1];
	cli_note(&c, "%s: %llu documents (%llu skipped, %llu without prose, %llu duplicates) in %.1f s; report: "
		     "%s/report.html",
		 B.out, (unsigned long long)last->docs, (unsigned long long)skipped, (unsigned long long)noprose,
		 (unsigned long long)dups, now() - t0, B.out);
	if (repeated)
		cli_note(&c, "%s: %llu documents repeat an earlier document's id (ids_repeated in the manifest)", B.out,
			 (unsigned long long)repeated);
	sb_free(&fp);
	for (int i = 0; i < B.nprocs; i++)
		for (int k = 0; k < B.procs[i].argc; k++)
			free(B.procs[i].argv[k]);
	return 0;
}
