/* korpus build --shards N: the build as a plan of stages over shards, run by
 * an executor (processes here, GNU parallel, or Slurm job arrays).
 *
 * The plan is the same for every executor.  Each task is one run of
 * `korpus-build --task STAGE:I WORK`, which reads the build's options from
 * WORK/args and the shards from WORK/shards, works in WORK/STAGE/I.part and
 * renames it to WORK/STAGE/I when it succeeded: a finished task is never run
 * again, so a failed or interrupted build resumes where it stopped.
 *
 *   map     x N  import (the shard's inputs) | clean | norm | filter
 *                 > docs.jsonl, counting documents per stage and source
 *   paras   x 1  korpus-dedup paragraphs over every shard, in order: the
 *                 counts of repeated paragraphs the one-machine dedup makes
 *   sign    x N  korpus-dedup sign (repeated paragraphs removed first), its
 *                 key records routed by a hash of the key to M partitions
 *   reduce  x M  sort the partition's records of every shard | korpus-dedup
 *                 cluster --groups-only: the keys more than one document has
 *   cluster x 1  merge of the partitions' groups | korpus-dedup cluster:
 *                 the documents to remove, decided in input order
 *   apply   x N  korpus-dedup apply (paragraphs, then the removal list) |
 *                 pack, split | pack, stats --vocab
 * then, here: the shards' files linked into the build folder, the side files
 * joined in shard order, the statistics merged exactly (korpus-stats
 * --merge), one manifest and one report.  Shards are contiguous parts of
 * the input in input order, and a document's order key is (shard, number),
 * so the duplicates kept and removed are those of the one-machine build. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "build.h"

enum { T_MAP, T_PARAS, T_SIGN, T_REDUCE, T_CLUSTER, T_APPLY, NTASKS };
static const char *const task_names[NTASKS] = {"map", "paras", "sign", "reduce", "cluster", "apply"};

/* A shard: inputs [first, last) of the build's, or a byte range [start,
 * end) of input first (range set), whose first line is line `line`. */
struct shard {
	int first, last;
	int range;
	uint64_t start, end, line;
};

static struct {
	char work[PATH_MAX];   /* OUTDIR.work */
	double seconds[NTASKS]; /* of each stage (local, parallel; Slurm's are not timed) */
	int before[NTASKS];     /* tasks of each stage done by an earlier run */
	struct shard *shard;   /* B.shards of them, once planned */
	int nshards;           /* as planned: fewer than asked when the inputs cannot be cut finer */
} S;

/* ---- a growable argv ---------------------------------------------------------------- */

struct args {
	char **v;
	int n, cap;
};

static void args_add(struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void args_add(struct args *a, const char *fmt, ...)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		if (!(a->v = realloc(a->v, (size_t)a->cap * sizeof *a->v)))
			cli_fatal(B.c, "out of memory");
	}
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&a->v[a->n], fmt, ap);
	va_end(ap);
	if (rc < 0)
		cli_fatal(B.c, "out of memory");
	a->v[++a->n] = NULL;
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* ---- the plan --------------------------------------------------------------------- */

/* Tasks of stage t. */
static int ntasks(int t)
{
	switch (t) {
	case T_MAP:
	case T_SIGN:
	case T_APPLY: return S.nshards;
	case T_PARAS: return B.no_paragraphs ? 0 : 1;
	case T_REDUCE: return B.partitions;
	default: return 1;
	}
}

static int run_capture(char *const argv[], sbuf *out, int log);

/* The files the inputs are read from, in import's order (korpus-import
 * --list-files): their paths and bytes. */
static struct {
	char **path;
	uint64_t *bytes;
	int n;
} F;

static void list_files(void)
{
	struct args a = {0};
	sbuf out = {0};
	args_add(&a, "%s/korpus-import", B.dir);
	args_add(&a, "--list-files");
	args_add(&a, "-q");
	const char *format = pass_value("format");
	if (format)
		args_add(&a, "--format=%s", format);
	for (int i = 0; i < B.c->ninputs; i++)
		args_add(&a, "%s", B.c->inputs[i]);
	int rc = run_capture(a.v, &out, -1);
	args_free(&a);
	if (rc != 0)
		cli_fatal(B.c, "the inputs cannot be listed (korpus-import --list-files: exit status %d)", rc);
	for (char *save = NULL, *line = out.p ? strtok_r(out.p, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			cli_fatal(B.c, "korpus-import --list-files: not a file line: %.60s", line);
		if (!(F.path = realloc(F.path, (size_t)(F.n + 1) * sizeof *F.path)) ||
		    !(F.bytes = realloc(F.bytes, (size_t)(F.n + 1) * sizeof *F.bytes)) || !(F.path[F.n] = strdup(t2 + 1)))
			cli_fatal(B.c, "out of memory");
		F.bytes[F.n++] = strtoull(t1 + 1, NULL, 10);
	}
	sb_free(&out);
	if (!F.n)
		cli_fatal(B.c, "the inputs hold no file to import");
}

/* Is file i a plain (not gzip) JSON Lines file, which can be cut at line
 * starts? */
static int cuttable(int i)
{
	int given = 0; /* a file given (its format from its content), not found in a folder (from its name) */
	for (int k = 0; k < B.c->ninputs && !given; k++)
		given = !strcmp(B.c->inputs[k], F.path[i]);
	size_t pl = strlen(F.path[i]);
	if (!given && !(pl > 6 && !strcmp(F.path[i] + pl - 6, ".jsonl")) && !(pl > 5 && !strcmp(F.path[i] + pl - 5, ".json")))
		return 0;
	const char *format = pass_value("format");
	if (format && strcmp(format, "jsonl"))
		return 0;
	FILE *f = fopen(F.path[i], "rb");
	if (!f)
		return 0;
	int c;
	while ((c = getc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	fclose(f);
	return c == '{'; /* not gzip (0x1f), not a CSV header or text */
}

/* Cut file i into k byte ranges at line starts, appended to S.shard: the
 * line numbers of the cuts counted in one pass over the file. */
static void cut_file(int i, int k)
{
	const char *path = F.path[i];
	uint64_t size = F.bytes[i];
	uint64_t *cuts = calloc((size_t)k + 1, sizeof *cuts), *lines = calloc((size_t)k + 1, sizeof *lines);
	FILE *f = fopen(path, "rb");
	if (!cuts || !lines || !f)
		cli_fatal(B.c, "%s: cannot read: %s", path, strerror(errno));
	static char buf[1 << 16];
	uint64_t pos = 0, line = 1;
	int next = 1; /* the cut being looked for */
	cuts[0] = 0;
	lines[0] = 1;
	size_t n;
	while (next < k && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		for (const char *q = buf, *e = buf + n; next < k && (q = memchr(q, '\n', (size_t)(e - q))); q++) {
			line++;
			/* a line starts after q: the cut when past its target */
			uint64_t at = pos + (uint64_t)(q - buf) + 1;
			while (next < k && at >= size / (uint64_t)k * (uint64_t)next) {
				cuts[next] = at;
				lines[next++] = line;
			}
		}
		pos += n;
	}
	fclose(f);
	for (; next < k; next++) /* fewer lines than pieces: empty ranges at the end */
		cuts[next] = size, lines[next] = line;
	cuts[k] = size;
	for (int j = 0; j < k; j++)
		if (cuts[j] < cuts[j + 1] || (j == 0 && !size)) /* no empty pieces (a file of few lines) */
			S.shard[S.nshards++] = (struct shard){i, i + 1, 1, cuts[j], cuts[j + 1], lines[j]};
	free(cuts);
	free(lines);
}

/* The shards: contiguous runs of the inputs' files of about equal bytes;
 * when there are fewer files than shards, JSON Lines files cut into byte
 * ranges (the larger a file, the more pieces). */
static void plan_shards(void)
{
	list_files();
	int n = F.n, want = B.shards;
	uint64_t total = 0;
	S.shard = calloc((size_t)want + (size_t)n, sizeof *S.shard);
	if (!S.shard)
		cli_fatal(B.c, "out of memory");
	for (int i = 0; i < n; i++)
		total += F.bytes[i];
	S.nshards = 0;
	if (n >= want) {
		uint64_t acc = 0;
		int first = 0;
		for (int i = 0; i < n; i++) {
			acc += F.bytes[i];
			int left = want - S.nshards - 1; /* shards after this one */
			int must = n - (i + 1) <= left;  /* one file for each of them */
			if (S.nshards < want - 1 && (must || acc >= total / (uint64_t)want * (uint64_t)(S.nshards + 1))) {
				S.shard[S.nshards++] = (struct shard){first, i + 1, 0, 0, 0, 0};
				first = i + 1;
			}
		}
		S.shard[S.nshards++] = (struct shard){first, n, 0, 0, 0, 0};
	} else {
		/* a piece per file, then each further piece to the cuttable
		 * file whose pieces are the largest */
		int *pieces = calloc((size_t)n, sizeof *pieces), *cut = calloc((size_t)n, sizeof *cut), given = n;
		if (!pieces || !cut)
			cli_fatal(B.c, "out of memory");
		for (int i = 0; i < n; i++) {
			pieces[i] = 1;
			cut[i] = cuttable(i);
		}
		while (given < want) {
			int big = -1;
			for (int i = 0; i < n; i++)
				if (cut[i] && (big < 0 || F.bytes[i] * (uint64_t)pieces[big] > F.bytes[big] * (uint64_t)pieces[i]))
					big = i;
			if (big < 0)
				break;
			pieces[big]++;
			given++;
		}
		for (int i = 0; i < n; i++) {
			if (pieces[i] > 1)
				cut_file(i, pieces[i]);
			else
				S.shard[S.nshards++] = (struct shard){i, i + 1, 0, 0, 0, 0};
		}
		free(pieces);
		free(cut);
	}
	if (S.nshards < want)
		cli_note(B.c, "%d shards, not %d: the inputs' %d file%s cannot be cut finer (plain JSON Lines files are "
			      "cut at line starts, other files not)",
			 S.nshards, want, n, n == 1 ? "" : "s");
}

/* WORK/shards: a line per shard, FIRST LAST RANGE START END LINE. */
static void write_shards(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		cli_fatal(B.c, "%s: cannot write: %s", path, strerror(errno));
	for (int i = 0; i < S.nshards; i++) {
		const struct shard *s = &S.shard[i];
		fprintf(f, "%d %d %d %llu %llu %llu\n", s->first, s->last, s->range, (unsigned long long)s->start,
			(unsigned long long)s->end, (unsigned long long)s->line);
	}
	if (fclose(f) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
}

static void read_shards(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		cli_fatal(B.c, "%s: cannot read: %s", path, strerror(errno));
	S.shard = NULL;
	S.nshards = 0;
	struct shard s;
	unsigned long long a, b, l;
	int cap = 0;
	while (fscanf(f, "%d %d %d %llu %llu %llu", &s.first, &s.last, &s.range, &a, &b, &l) == 6) {
		s.start = a, s.end = b, s.line = l;
		if (S.nshards == cap && !(S.shard = realloc(S.shard, (size_t)(cap = cap ? 2 * cap : 16) * sizeof s)))
			cli_fatal(B.c, "out of memory");
		if (s.first < 0 || s.first > s.last)
			cli_fatal(B.c, "%s: not a shard: %d %d", path, s.first, s.last);
		S.shard[S.nshards++] = s;
	}
	fclose(f);
	if (!S.nshards)
		cli_fatal(B.c, "%s: no shards", path);
}

/* ---- the tasks' processes --------------------------------------------------------- */

/* WORK/STAGE/I, done, or being made (part: WORK/STAGE/I.part-HOST-PID, an
 * attempt's own, so that two attempts at one task -- a build rerun while
 * the jobs of the last one still run -- never write into one folder). */
static void task_dir(char *buf, size_t n, int t, int i, int part)
{
	char tag[64] = "";
	if (part)
		kp_tmp_tag(tag, sizeof tag);
	snprintf(buf, n, "%s/%s/%d%s%s", S.work, task_names[t], i, part ? ".part-" : "", tag);
}

/* A process of korpus-dedup's subcommand sub. */
static struct proc *dedup_proc(const char *sub)
{
	struct proc *p = blank_proc("dedup");
	add_arg(p, "%s/korpus-dedup", B.dir);
	add_arg(p, "%s", sub);
	add_arg(p, "-q");
	return p;
}

/* The build's dedup options that stage `sub` of korpus-dedup takes. */
static void dedup_args(struct proc *p, const char *sub)
{
	static const char *const sign_opts[] = {"exact", "near", "key", "ngram", "num-perm", "threshold", "bands",
						"rows", "min-shingles", "para-min-docs", NULL};
	static const char *const cluster_opts[] = {"ngram", "num-perm", "threshold", "bands", "rows", NULL};
	static const char *const apply_opts[] = {"para-min-docs", NULL};
	static const char *const para_opts[] = {"key", NULL};
	const char *const *take = !strcmp(sub, "sign")	  ? sign_opts
				  : !strcmp(sub, "cluster") ? cluster_opts
				  : !strcmp(sub, "apply")   ? apply_opts
							    : para_opts;
	for (size_t i = 0; i < npasses; i++) {
		if (passes[i].stage != S_DEDUP || !B.val[i])
			continue;
		int ok = 0;
		for (int k = 0; take[k] && !ok; k++)
			ok = !strcmp(take[k], passes[i].name);
		if (!ok)
			continue;
		if (passes[i].arg)
			add_arg(p, "--%s=%s", passes[i].name, B.val[i]);
		else
			add_arg(p, "--%s", passes[i].name);
	}
}

/* The paragraph options of sign and apply: the counts of the paras task. */
static void para_args(struct proc *p)
{
	if (B.no_paragraphs)
		return;
	char dir[PATH_MAX + 64];
	task_dir(dir, sizeof dir, T_PARAS, 0, 0);
	add_arg(p, "--paragraphs");
	add_arg(p, "--para-per-source");
	add_arg(p, "--para-min-docs=auto");
	add_arg(p, "--para-counts=%s/paras.tsv", dir);
}

/* The CPUs a task may use: its Slurm job's, else the machine's (at most 64). */
static int task_cpus(void)
{
	const char *v = getenv("SLURM_CPUS_PER_TASK");
	long n = v && atol(v) > 0 ? atol(v) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Does the paras task name the shards' documents on korpus-dedup's
 * command line (a few shards), or feed them on its input (many)? */
static int paras_by_name(void)
{
	return S.nshards <= 256;
}

/* The processes of task (t, i), with their outputs in B.tmp. */
static void plan_task(int t, int i)
{
	plan_reset();
	char dir[PATH_MAX + 64];
	struct proc *p;
	switch (t) {
	case T_MAP: {
		const struct shard *s = &S.shard[i];
		char *extra[3], a[64], b[64], f[64];
		int nextra = 0;
		snprintf(f, sizeof f, "--file-range=%d:%d", s->first, s->last);
		extra[nextra++] = f;
		if (s->range) {
			snprintf(a, sizeof a, "--byte-range=%llu:%llu", (unsigned long long)s->start,
				 (unsigned long long)s->end);
			snprintf(b, sizeof b, "--first-line=%llu", (unsigned long long)s->line);
			extra[nextra++] = a;
			extra[nextra++] = b;
		}
		plan_front(B.c->inputs, B.c->ninputs, extra, nextra);
		break;
	}
	case T_PARAS:
		/* the one task of its stage: the threads of the machine (of the
		 * Slurm job) */
		p = dedup_proc("paragraphs");
		add_arg(p, "-j%d", B.jobs > 1 ? B.jobs : task_cpus());
		add_arg(p, "--para-per-source");
		dedup_args(p, "paragraphs");
		add_arg(p, "-o");
		add_arg(p, "%s/paras.tsv", B.tmp);
		if (paras_by_name())
			for (int k = 0; k < S.nshards; k++) {
				task_dir(dir, sizeof dir, T_MAP, k, 0);
				add_arg(p, "%s/docs.jsonl", dir);
			}
		break;
	case T_SIGN:
		p = dedup_proc("sign");
		jobs_arg(p);
		add_arg(p, "--shard=%d/%d", i, S.nshards);
		para_args(p);
		dedup_args(p, "sign");
		task_dir(dir, sizeof dir, T_MAP, i, 0);
		add_arg(p, "%s/docs.jsonl", dir);
		break;
	case T_REDUCE:
	case T_CLUSTER:
		/* sort | korpus-dedup cluster (which has no threads) */
		p = blank_proc("sort");
		add_arg(p, "/usr/bin/env");
		add_arg(p, "LC_ALL=C");
		add_arg(p, "sort");
		if (t == T_CLUSTER)
			add_arg(p, "-m");
		add_arg(p, "--buffer-size=256M");
		add_arg(p, "--temporary-directory=%s", B.tmp);
		add_arg(p, "--files0-from=%s/inputs", B.tmp);
		p = dedup_proc("cluster");
		if (t == T_REDUCE)
			add_arg(p, "--groups-only");
		dedup_args(p, "cluster");
		add_arg(p, "-o");
		add_arg(p, "%s/%s", B.tmp, t == T_REDUCE ? "groups" : "remove.jsonl");
		break;
	case T_APPLY:
		B.chain_stage[B.nchain++] = S_DEDUP;
		p = dedup_proc("apply");
		jobs_arg(p);
		add_arg(p, "--shard=%d/%d", i, S.nshards);
		task_dir(dir, sizeof dir, T_CLUSTER, 0, 0);
		add_arg(p, "--remove=%s/remove.jsonl", dir);
		para_args(p);
		if (!B.no_paragraphs)
			add_arg(p, "--para-removed=%s/removed-paras.jsonl", B.tmp);
		dedup_args(p, "apply");
		task_dir(dir, sizeof dir, T_MAP, i, 0);
		add_arg(p, "%s/docs.jsonl", dir);
		char vocab[sizeof B.tmp + 16];
		snprintf(vocab, sizeof vocab, "%s/stats.vocab", B.tmp);
		plan_fanout(vocab);
		break;
	}
}

/* The files a task reads that its processes do not name: the inputs of
 * sort (reduce, cluster), and of paras (fed on its standard input). */
static void task_inputs(int t, int i, struct args *files)
{
	char dir[PATH_MAX + 64];
	if (t == T_PARAS && !paras_by_name())
		for (int k = 0; k < S.nshards; k++) {
			task_dir(dir, sizeof dir, T_MAP, k, 0);
			args_add(files, "%s/docs.jsonl", dir);
		}
	if (t == T_REDUCE)
		for (int k = 0; k < S.nshards; k++) {
			task_dir(dir, sizeof dir, T_SIGN, k, 0);
			args_add(files, "%s/rec-%d", dir, i);
		}
	if (t == T_CLUSTER)
		for (int k = 0; k < B.partitions; k++) {
			task_dir(dir, sizeof dir, T_REDUCE, k, 0);
			args_add(files, "%s/groups", dir);
		}
}

/* ---- running a task --------------------------------------------------------------- */

static void write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		cli_fatal(B.c, "%s: cannot write: %s", path, strerror(errno));
}

/* JSON m ended by tail, written to B.tmp/name; m freed. */
static void finish_json(sbuf *m, const char *tail, const char *name)
{
	if (sb_adds(m, tail) < 0)
		cli_fatal(B.c, "out of memory");
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/%s", B.tmp, name);
	write_file(path, m->p, m->len);
	sb_free(m);
}

/* counts.json of a task: documents, bytes and sources past relays [from, to). */
static void write_counts(int from, int to)
{
	sbuf m = {0};
	sb_adds(&m, "{\"relays\":[");
	for (int k = from; k < to; k++) {
		const struct relay *r = &B.relays[k];
		char num[128];
		snprintf(num, sizeof num, "%s{\"docs\":%llu,\"bytes\":%llu,\"sources\":[", k > from ? "," : "",
			 (unsigned long long)r->docs, (unsigned long long)r->bytes);
		sb_adds(&m, num);
		relay_sources_json(r, &m);
		sb_adds(&m, "]}");
	}
	finish_json(&m, "]}\n", "counts.json");
}

/* Wait for pid; 0 when it exited 0. */
static int wait_ok(pid_t pid, const char *what)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		cli_error(B.c, "%s failed (exit status %d)", what, WEXITSTATUS(st));
	else
		cli_error(B.c, "%s was killed by signal %d (%s)", what, WTERMSIG(st), strsignal(WTERMSIG(st)));
	return -1;
}

/* The documents of the files, one after the other, into fd (closed). */
struct feed {
	struct args *files;
	int fd, err;
};

static void *feed_run(void *arg)
{
	struct feed *f = arg;
	static char buf[1 << 16];
	for (int i = 0; i < f->files->n && !f->err; i++) {
		int in = open(f->files->v[i], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			f->err = 1;
			break;
		}
		ssize_t n;
		while (!f->err && (n = read(in, buf, sizeof buf)) > 0)
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(f->fd, buf + off, (size_t)(n - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					f->err = 1;
					break;
				}
				off += w;
			}
		close(in);
	}
	close(f->fd);
	return NULL;
}

/* sign: the records of korpus-dedup sign, each to the partition of a
 * hash of its key (the text before the first tab). */
static int run_sign(void)
{
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0)
		cli_fatal(B.c, "pipe: %s", strerror(errno));
	pid_t pid = fork_exec("sign", B.procs[0].argv, -1, fd[1]);
	close(fd[1]);
	FILE *in = fdopen(fd[0], "rb");
	FILE **part = calloc((size_t)B.partitions, sizeof *part);
	if (!in || !part)
		cli_fatal(B.c, "out of memory");
	int bad = 0;
	for (int p = 0; p < B.partitions; p++) {
		char path[sizeof B.tmp + 32];
		snprintf(path, sizeof path, "%s/rec-%d", B.tmp, p);
		if (!(part[p] = fopen(path, "wb")))
			cli_fatal(B.c, "%s: cannot write: %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, in)) > 0) {
		const char *tab = memchr(line, '\t', (size_t)n);
		size_t kl = tab ? (size_t)(tab - line) : (size_t)n;
		uint64_t p = XXH3_64bits(line, kl) % (uint64_t)B.partitions;
		bad |= fwrite(line, 1, (size_t)n, part[p]) != (size_t)n;
	}
	free(line);
	fclose(in);
	for (int p = 0; p < B.partitions; p++)
		bad |= fclose(part[p]) != 0;
	free(part);
	int rc = wait_ok(pid, "korpus-dedup sign");
	if (bad)
		cli_error(B.c, "%s: cannot write the partitions' records: %s", B.tmp, strerror(errno));
	return rc < 0 || bad ? -1 : 0;
}

/* reduce and cluster: sort (of the files listed in B.tmp/inputs) |
 * korpus-dedup cluster; paras: the shards' documents fed to korpus-dedup
 * paragraphs. */
static int run_two(int t, struct args *files)
{
	if (t == T_PARAS && paras_by_name())
		return wait_ok(fork_exec("paras", B.procs[0].argv, -1, -1), "korpus-dedup paragraphs");
	if (t == T_PARAS) {
		int fd[2];
		if (pipe2(fd, O_CLOEXEC) < 0)
			cli_fatal(B.c, "pipe: %s", strerror(errno));
		struct feed f = {files, fd[1], 0};
		pthread_t th;
		pid_t pid = fork_exec("paras", B.procs[0].argv, fd[0], -1);
		close(fd[0]);
		if (pthread_create(&th, NULL, feed_run, &f) != 0)
			cli_fatal(B.c, "cannot start a thread");
		pthread_join(th, NULL);
		int rc = wait_ok(pid, "korpus-dedup paragraphs");
		if (f.err && !rc)
			cli_error(B.c, "cannot read the shards' documents: %s", strerror(errno));
		return rc < 0 || f.err ? -1 : 0;
	}
	sbuf list = {0};
	for (int k = 0; k < files->n; k++)
		sb_add(&list, files->v[k], strlen(files->v[k]) + 1);
	char path[sizeof B.tmp + 16];
	snprintf(path, sizeof path, "%s/inputs", B.tmp);
	if (list.oom)
		cli_fatal(B.c, "out of memory");
	write_file(path, list.p ? list.p : "", list.len);
	sb_free(&list);
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0)
		cli_fatal(B.c, "pipe: %s", strerror(errno));
	pid_t a = fork_exec("sort", B.procs[0].argv, -1, fd[1]);
	close(fd[1]);
	pid_t b = fork_exec("cluster", B.procs[1].argv, fd[0], -1);
	close(fd[0]);
	int ra = wait_ok(a, "sort"), rb = wait_ok(b, "korpus-dedup cluster");
	unlink(path);
	return ra < 0 || rb < 0 ? -1 : 0;
}

/* Run task (t, i) in B.tmp; 0 on success. */
static int run_task(int t, int i)
{
	plan_task(t, i);
	struct args files = {0};
	task_inputs(t, i, &files);
	int rc = 0;
	switch (t) {
	case T_MAP: {
		char path[sizeof B.tmp + 16];
		snprintf(path, sizeof path, "%s/docs.jsonl", B.tmp);
		B.sink = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (B.sink < 0)
			cli_fatal(B.c, "%s: cannot write: %s", path, strerror(errno));
		rc = run(0);
		for (int k = 0; k < B.nrelays && !rc; k++)
			if (B.relays[k].err) {
				cli_error(B.c, "%s: cannot write: %s", path, strerror(errno));
				rc = -1;
			}
		if (!rc)
			write_counts(0, B.nchain);
		break;
	}
	case T_APPLY:
		rc = run(0);
		if (!rc)
			write_counts(0, B.nrelays);
		break;
	case T_SIGN: rc = run_sign(); break;
	default: rc = run_two(t, &files); break;
	}
	args_free(&files);
	return rc;
}

/* The build's command line as given and the folder it ran in, for the
 * tasks: WORK/args, NUL-separated. */
static void write_args(const char *path)
{
	sbuf a = {0};
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		cli_fatal(B.c, "cannot tell the current folder: %s", strerror(errno));
	sb_add(&a, cwd, strlen(cwd) + 1);
	for (int i = 0; i < B.argc; i++)
		sb_add(&a, B.argv[i], strlen(B.argv[i]) + 1);
	if (a.oom)
		cli_fatal(B.c, "out of memory");
	write_file(path, a.p, a.len);
	sb_free(&a);
}

/* korpus-build --task STAGE:I WORK */
int shards_task(int argc, char **argv)
{
	(void)argc;
	static cli c;
	int t = -1, i = -1;
	const char *colon = strchr(argv[2], ':');
	for (int k = 0; colon && k < NTASKS; k++)
		if ((size_t)(colon - argv[2]) == strlen(task_names[k]) && !strncmp(argv[2], task_names[k], strlen(task_names[k])))
			t = k;
	char *end;
	long li = colon ? strtol(colon + 1, &end, 10) : -1;
	if (t < 0 || li < 0 || li > 1000000 || *end || !colon[1]) {
		fprintf(stderr, "korpus-build: --task %s: expected STAGE:NUMBER (map, paras, sign, reduce, cluster, apply)\n",
			argv[2]);
		return CLI_EXIT_USAGE;
	}
	i = (int)li;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/args", argv[3]);
	sbuf a = {0};
	if (slurp(path, &a) < 0) {
		fprintf(stderr, "korpus-build: %s: cannot read the build's options: %s\n", path, strerror(errno));
		return CLI_EXIT_DATA;
	}
	/* the folder the build ran in, then its arguments */
	char **v = NULL;
	int n = 0;
	for (size_t off = 0; off < a.len; off += strlen(a.p + off) + 1) {
		if (!(v = realloc(v, (size_t)(n + 2) * sizeof *v)))
			return CLI_EXIT_DATA;
		v[n++] = a.p + off;
	}
	if (n < 2 || chdir(v[0]) < 0) {
		fprintf(stderr, "korpus-build: %s: the build's folder: %s\n", path, n < 2 ? "missing" : strerror(errno));
		return CLI_EXIT_DATA;
	}
	v[n] = NULL;
	build_task_init(&c, n - 1, v + 1);
	if (!realpath(argv[3], S.work))
		cli_fatal(&c, "%s: %s", argv[3], strerror(errno));
	snprintf(path, sizeof path, "%s/shards", S.work);
	read_shards(path);
	if (!B.partitions)
		B.partitions = S.nshards;
	if (i >= ntasks(t))
		cli_usage_error(&c, "--task %s: the plan has %d task(s) of %s", argv[2], ntasks(t), task_names[t]);
	char done[PATH_MAX + 64];
	task_dir(done, sizeof done, t, i, 0);
	struct stat st;
	if (stat(done, &st) == 0) {
		cli_note(&c, "task %s:%d is done already (%s)", task_names[t], i, done);
		return 0;
	}
	task_dir(B.tmp, sizeof B.tmp, t, i, 1);
	snprintf(path, sizeof path, "%s/%s", S.work, task_names[t]);
	if ((mkdir(path, 0777) < 0 && errno != EEXIST) || mkdir(B.tmp, 0777) < 0)
		cli_fatal(&c, "%s: cannot create: %s", B.tmp, strerror(errno));
	prepare_signals();
	double t0 = now();
	if (run_task(t, i) < 0 || B.stop) {
		rm_tree(B.tmp);
		cli_error(&c, "task %s:%d failed", task_names[t], i);
		plan_reset();
		free(v);
		sb_free(&a);
		return CLI_EXIT_DATA;
	}
	if (rename(B.tmp, done) < 0) {
		/* another attempt finished first: its outputs stand */
		int e = errno;
		rm_tree(B.tmp);
		if (stat(done, &st) < 0 || !S_ISDIR(st.st_mode))
			cli_fatal(&c, "%s: cannot rename to %s: %s", B.tmp, done, strerror(e));
		cli_note(&c, "task %s:%d was done by another attempt meanwhile", task_names[t], i);
	}
	cli_note(&c, "task %s:%d done in %.2f s", task_names[t], i, now() - t0);
	plan_reset();
	free(v);
	sb_free(&a);
	return 0;
}

/* ---- the coordinator: checks, the plan shown ----------------------------------------- */

void shards_check(cli *c)
{
	if (!B.on[S_DEDUP])
		cli_usage_error(c, "--shards: a sharded build needs the dedup stage (without it, build each shard on its "
			       "own: the shards share nothing)");
	for (int i = 0; i < c->ninputs; i++) {
		if (!strcmp(c->inputs[i], "-"))
			cli_usage_error(c, "--shards: standard input cannot be cut into shards; give files");
		if (strchr(c->inputs[i], '\n'))
			cli_usage_error(c, "--shards: an input path with a line break cannot go into the task lists");
	}
	if (strchr(B.out, '\n'))
		cli_usage_error(c, "--shards: an OUTDIR path with a line break cannot go into the task lists");
	if (B.sshloginfile && B.executor != EX_PARALLEL)
		cli_usage_error(c, "--sshloginfile goes with --executor parallel");
	if (B.slurm_opts && B.executor != EX_SLURM)
		cli_usage_error(c, "--slurm-opts goes with --executor slurm");
	if (!B.task_jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		B.task_jobs = n > 0 ? (int)n : 1;
	}
	char *out = resolved(B.out);
	if (!out || strlen(out) + 16 > sizeof S.work)
		cli_fatal(c, "-o %s: cannot be resolved", B.out);
	snprintf(S.work, sizeof S.work, "%s.work", out);
	free(out);
	plan_shards();
	if (!B.partitions)
		B.partitions = S.nshards;
}

static const char *const executor_names[] = {"local", "parallel", "slurm"};

/* s in single quotes, for a shell. */
static void shell_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		*s == '\'' ? fputs("'\\''", f) : fputc(*s, f);
	fputc('\'', f);
}

/* The command that runs task (t, i) -- or (t, index), a shell word -- for
 * a shell. */
static void task_command(FILE *f, int t, int i, const char *index)
{
	char exe[PATH_MAX + 16];
	snprintf(exe, sizeof exe, "%s/korpus-build", B.dir);
	shell_quote(f, exe);
	if (index)
		fprintf(f, " --task %s:%s ", task_names[t], index);
	else
		fprintf(f, " --task %s:%d ", task_names[t], i);
	shell_quote(f, S.work);
}

/* The sbatch script of stage t (its array given on sbatch's command line). */
/* The sbatch script of stage t (its array given on sbatch's command line,
 * the tasks' numbers from $1 on: a stage of more tasks than MaxArraySize
 * is several arrays).  Slurm's own messages (a time limit, a cancel) go to
 * logs/slurm-JOB_INDEX.out, the task's to logs/STAGE-I.log. */
static void sbatch_script(FILE *f, int t)
{
	fprintf(f, "#!/bin/sh\n# korpus build: stage %s, one array task per %s\n", task_names[t],
		t == T_REDUCE ? "partition" : t == T_PARAS || t == T_CLUSTER ? "build" : "shard");
	fprintf(f, "#SBATCH --job-name=korpus-%s\n", task_names[t]);
	fputs("i=$((${1:-0} + SLURM_ARRAY_TASK_ID))\nexec ", f);
	task_command(f, t, 0, "\"$i\"");
	fputs(" >> ", f);
	char log[PATH_MAX + 64];
	snprintf(log, sizeof log, "%s/logs/%s-", S.work, task_names[t]);
	shell_quote(f, log);
	fputs("\"$i\".log 2>&1\n", f);
}

/* --dry-run: the shards, and each task's processes as shell commands. */
void shards_dry_run(cli *c)
{
	(void)c;
	printf("# korpus build: %d shards, %d partitions, executor %s; work folder %s\n", S.nshards, B.partitions,
	       executor_names[B.executor], S.work);
	for (int i = 0; i < S.nshards; i++) {
		const struct shard *s = &S.shard[i];
		printf("# shard %d: ", i);
		if (s->range)
			printf("%s bytes %llu-%llu (from line %llu)\n", F.path[s->first], (unsigned long long)s->start,
			       (unsigned long long)s->end, (unsigned long long)s->line);
		else if (s->last - s->first == 1)
			printf("%s\n", F.path[s->first]);
		else
			printf("files %d-%d: %s ... %s\n", s->first, s->last - 1, F.path[s->first], F.path[s->last - 1]);
	}
	for (int t = 0; t < NTASKS; t++) {
		if (!ntasks(t))
			continue;
		printf("\n# stage %s: %d task%s, each: ", task_names[t], ntasks(t), ntasks(t) == 1 ? "" : "s");
		task_command(stdout, t, 0, "I");
		printf("\n");
		for (int i = 0; i < ntasks(t); i++) {
			char dir[PATH_MAX + 64];
			task_dir(dir, sizeof dir, t, i, 0);
			snprintf(B.tmp, sizeof B.tmp, "%s", dir);
			plan_task(t, i);
			printf("%s:%d: ", task_names[t], i);
			int fan = B.nchain ? B.nchain : B.nprocs;
			for (int k = 0; k < fan; k++) {
				print_cmd(stdout, &B.procs[k], dir);
				printf(k + 1 < fan ? " | " : "");
			}

			if (t == T_MAP)
				printf(" > %s/docs.jsonl", dir);
			if (t == T_SIGN)
				printf(" | (each record to %s/rec-P, P = XXH3 of its key mod %d)", dir, B.partitions);
			if (t == T_APPLY) {
				/* the fan-out, as korpus build --dry-run shows it */
				printf(" | tee");
				for (int k = fan + 1; k < B.nprocs; k++) {
					printf(k == B.split_at + 1 ? " | " : " >(");
					print_cmd(stdout, &B.procs[k], dir);
					if (k != B.split_at)
						printf(")");
				}
				printf(" | ");
				print_cmd(stdout, &B.procs[fan], dir);
			}
			if (t == T_REDUCE || t == T_CLUSTER || (t == T_PARAS && !paras_by_name()))
				printf("   (inputs: %s)", t == T_PARAS	   ? "every map task's docs.jsonl, in order"
							   : t == T_REDUCE ? "rec-I of every sign task"
									   : "groups of every reduce task");
			printf("\n");
		}
	}
	if (B.executor == EX_SLURM) {
		printf("\n# Slurm: each stage a job array (several, of at most MaxArraySize - 1 tasks, when it has\n"
		       "# more; the script's $1 is the number of the array's first task), after the stage before\n");
		for (int t = 0; t < NTASKS; t++) {
			if (!ntasks(t))
				continue;
			printf("\n# sbatch --parsable --array=0-%d --output=%s/logs/slurm-%%A_%%a.out%s%s%s %s/slurm/%s.sbatch 0\n",
			       ntasks(t) - 1, S.work, t ? " --dependency=afterok:<the jobs of the stage before>" : "",
			       B.slurm_opts ? " " : "", B.slurm_opts ? B.slurm_opts : "", S.work, task_names[t]);
			sbatch_script(stdout, t);
		}
	}
	plan_reset();
}

/* ---- executors ------------------------------------------------------------------- */

/* Is task (t, i) done?  A task once done stays so (the work folder is
 * made afresh before any task runs): remembered, so that the Slurm poll
 * does not stat every task's folder on a shared filesystem each time. */
static int task_done(int t, int i)
{
	static unsigned char *known[NTASKS];
	if (!known[t] && !(known[t] = calloc((size_t)ntasks(t) + 1, 1)))
		cli_fatal(B.c, "out of memory");
	if (known[t][i])
		return 1;
	char dir[PATH_MAX + 64];
	struct stat st;
	task_dir(dir, sizeof dir, t, i, 0);
	return known[t][i] = stat(dir, &st) == 0;
}

static void log_path(char *buf, size_t n, int t, int i)
{
	snprintf(buf, n, "%s/logs/%s-%d.log", S.work, task_names[t], i);
}

/* Say that task (t, i) failed (how: what), naming its log and its last
 * lines. */
static void task_failed(int t, int i, const char *what)
{
	char log[PATH_MAX + 64];
	log_path(log, sizeof log, t, i);
	cli_error(B.c, "task %s:%d %s; its log: %s", task_names[t], i, what, log);
	FILE *f = fopen(log, "rb");
	if (!f)
		return;
	/* the last lines (at most 2 KB) */
	fseek(f, 0, SEEK_END);
	long size = ftell(f), from = size > 2048 ? size - 2048 : 0;
	fseek(f, from, SEEK_SET);
	char buf[2049];
	size_t n = fread(buf, 1, 2048, f);
	buf[n] = '\0';
	fclose(f);
	char *p = buf;
	if (from && (p = strchr(buf, '\n')))
		p++;
	for (char *line = p ? strtok(p, "\n") : NULL; line; line = strtok(NULL, "\n"))
		fprintf(stderr, "  | %s\n", line);
}

/* Start argv (argv[0] looked up in PATH) with no input, its output to out
 * and its messages to err (-1: ours); a task (die_with_us) is sent SIGTERM
 * when the build ends, so that a build killed by SIGKILL leaves no task
 * writing into its work folder.  Its pid. */
static pid_t start(char *const argv[], int out, int err, int die_with_us)
{
	pid_t pid = fork();
	if (pid < 0)
		cli_fatal(B.c, "cannot start %s: %s", argv[0], strerror(errno));
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || (out >= 0 && dup2(out, 1) < 0) || (err >= 0 && dup2(err, 2) < 0))
			_exit(127);
		if (null > 2)
			close(null);
		if (die_with_us)
			prctl(PR_SET_PDEATHSIG, SIGTERM);
		execvp(argv[0], argv);
		fprintf(stderr, "korpus build: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void progress(int t, int done, int all)
{
	if (B.c->progress && !B.c->quiet)
		fprintf(stderr, "\r\033[Kkorpus build: %s %d/%d", task_names[t], done, all);
}

/* Tasks of stage t done (by an earlier run). */
static int done_before(int t)
{
	int n = 0;
	for (int i = 0; i < ntasks(t); i++)
		n += task_done(t, i);
	return n;
}

/* The time a stage took (kept for the manifest; said unless -q); before:
 * its tasks done by an earlier run. */
static void stage_note(int t, double t0, int before)
{
	S.seconds[t] = now() - t0;
	S.before[t] = before;
	if (!ntasks(t) || B.c->quiet)
		return;
	if (B.c->progress)
		fputs("\r\033[K", stderr);
	if (before)
		cli_note(B.c, "stage %s: %d task%s in %.1f s (%d done before)", task_names[t], ntasks(t) - before,
			 ntasks(t) - before == 1 ? "" : "s", now() - t0, before);
	else
		cli_note(B.c, "stage %s: %d task%s in %.1f s", task_names[t], ntasks(t), ntasks(t) == 1 ? "" : "s",
			 now() - t0);
}

/* local: the tasks of each stage as processes here, B.task_jobs at once. */
static int run_local(void)
{
	for (int t = 0; t < NTASKS; t++) {
		int n = ntasks(t), next = 0, running = 0, done = 0, failed = 0, before = done_before(t);
		double t0 = now();
		pid_t *pid = calloc((size_t)n + 1, sizeof *pid);
		if (!pid)
			cli_fatal(B.c, "out of memory");
		while (!failed && (next < n || running)) {
			while (!failed && !B.stop && next < n && running < B.task_jobs) {
				int i = next++;
				if (task_done(t, i)) {
					done++;
					continue;
				}
				char log[PATH_MAX + 64];
				log_path(log, sizeof log, t, i);
				int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
				if (fd < 0)
					cli_fatal(B.c, "%s: cannot write: %s", log, strerror(errno));
				/* the task's messages to its log: its standard output
				 * is the log as well */
				struct args a = {0};
				args_add(&a, "%s/korpus-build", B.dir);
				args_add(&a, "--task");
				args_add(&a, "%s:%d", task_names[t], i);
				args_add(&a, "%s", S.work);
				pid[i] = start(a.v, fd, fd, 1);
				args_free(&a);
				close(fd);
				running++;
			}
			if (!running)
				break;
			int st;
			pid_t w = waitpid(-1, &st, 0);
			if (w < 0 && errno == EINTR) {
				if (B.stop)
					failed = 2;
				continue;
			}
			if (w <= 0)
				break;
			for (int i = 0; i < n; i++)
				if (pid[i] == w) {
					pid[i] = 0;
					running--;
					done++;
					if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
						char what[64];
						if (WIFEXITED(st))
							snprintf(what, sizeof what, "failed (exit status %d)", WEXITSTATUS(st));
						else
							snprintf(what, sizeof what, "was killed by signal %d", WTERMSIG(st));
						task_failed(t, i, what);
						failed = 1;
					}
				}
			progress(t, done, n);
		}
		if (failed || B.stop) {
			for (int i = 0; i < n; i++)
				if (pid[i] > 0)
					kill(pid[i], SIGTERM);
			for (int i = 0; i < n; i++)
				if (pid[i] > 0)
					waitpid(pid[i], NULL, 0);
			free(pid);
			return -1;
		}
		free(pid);
		stage_note(t, t0, before);
	}
	if (B.c->progress && !B.c->quiet)
		fputs("\r\033[K", stderr);
	return 0;
}

/* Run argv (found in PATH) with its output read into out (when not NULL;
 * else its output and messages to log fd, or ours); its exit status, -1
 * when it did not exit. */
static int run_capture(char *const argv[], sbuf *out, int log)
{
	int fd[2] = {-1, -1};
	if (out && pipe2(fd, O_CLOEXEC) < 0)
		cli_fatal(B.c, "pipe: %s", strerror(errno));
	pid_t pid = out ? start(argv, fd[1], -1, 0) : start(argv, log, log, 0);
	if (out) {
		close(fd[1]);
		char buf[4096];
		ssize_t n;
		while ((n = read(fd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
			if (n > 0)
				sb_add(out, buf, (size_t)n);
		close(fd[0]);
		sb_add(out, "", 1);
		out->len--;
	}
	/* an interrupt of the build stops the program (GNU parallel then
	 * stops its jobs) */
	int st, termed = 0;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
		if (B.stop && !termed++)
			kill(pid, SIGTERM);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first task of stage t not done, or -1. */
static int first_undone(int t)
{
	for (int i = 0; i < ntasks(t); i++)
		if (!task_done(t, i))
			return i;
	return -1;
}

/* The task of stage t that GNU parallel's joblog says failed of itself (an
 * exit status, no signal), or -1. */
static int joblog_failed(const char *joblog, int t)
{
	FILE *f = fopen(joblog, "rb");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int found = -1;
	char key[32];
	snprintf(key, sizeof key, "--task %s:", task_names[t]);
	while (found < 0 && getline(&line, &cap, f) > 0) {
		/* Seq Host Starttime JobRuntime Send Receive Exitval Signal Command */
		char *col[9] = {0}, *save = NULL, *p = line;
		for (int k = 0; k < 9 && (col[k] = strtok_r(p, "\t", &save)); k++)
			p = NULL;
		const char *task = col[8] ? strstr(col[8], key) : NULL;
		if (task && col[6] && col[7] && atoi(col[6]) > 0 && atoi(col[7]) == 0)
			found = atoi(task + strlen(key));
	}
	free(line);
	fclose(f);
	return found;
}

/* parallel: each stage's tasks through GNU parallel (--sshloginfile for
 * several machines, which must see WORK and the inputs at the same paths). */
static int run_parallel(void)
{
	for (int t = 0; t < NTASKS && !B.stop; t++) {
		if (first_undone(t) < 0) {
			S.before[t] = ntasks(t);
			continue;
		}
		int before = done_before(t);
		double t0 = now();
		char list[PATH_MAX + 64], joblog[PATH_MAX + 64], plog[PATH_MAX + 64];
		snprintf(list, sizeof list, "%s/tasks-%s", S.work, task_names[t]);
		snprintf(joblog, sizeof joblog, "%s/logs/%s.joblog", S.work, task_names[t]);
		snprintf(plog, sizeof plog, "%s/logs/%s.parallel.log", S.work, task_names[t]);
		FILE *f = fopen(list, "wb");
		if (!f)
			cli_fatal(B.c, "%s: cannot write: %s", list, strerror(errno));
		for (int i = 0; i < ntasks(t); i++) {
			if (task_done(t, i))
				continue;
			char log[PATH_MAX + 64];
			log_path(log, sizeof log, t, i);
			task_command(f, t, i, NULL);
			fputs(" > ", f);
			shell_quote(f, log);
			fputs(" 2>&1 < /dev/null\n", f);
		}
		if (fclose(f) != 0)
			cli_fatal(B.c, "%s: cannot write", list);
		struct args a = {0};
		args_add(&a, "parallel");
		args_add(&a, "--will-cite");
		args_add(&a, "--halt");
		args_add(&a, "now,fail=1");
		args_add(&a, "-j%d", B.task_jobs);
		args_add(&a, "--joblog");
		args_add(&a, "%s", joblog);
		if (B.sshloginfile) {
			args_add(&a, "--sshloginfile");
			args_add(&a, "%s", B.sshloginfile);
		}
		args_add(&a, "::::");
		args_add(&a, "%s", list);
		int fd = open(plog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd < 0)
			cli_fatal(B.c, "%s: cannot write: %s", plog, strerror(errno));
		progress(t, 0, ntasks(t));
		int rc = run_capture(a.v, NULL, fd);
		close(fd);
		args_free(&a);
		int bad = first_undone(t);
		if (rc == 127 && bad >= 0) {
			cli_error(B.c, "cannot run GNU parallel (see %s); is it installed (apt-get install parallel)?", plog);
			return -1;
		}
		if (B.stop)
			return -1;
		if (rc != 0 || bad >= 0) {
			/* the task that failed of itself, as the joblog says (the
			 * others were stopped by --halt) */
			int failed = joblog_failed(joblog, t);
			if (bad < 0)
				cli_error(B.c, "GNU parallel failed (exit status %d); its log: %s", rc, plog);
			else
				task_failed(t, failed >= 0 ? failed : bad, "failed (under GNU parallel)");
			return -1;
		}
		stage_note(t, t0, before);
	}
	if (B.c->progress && !B.c->quiet)
		fputs("\r\033[K", stderr);
	return B.stop ? -1 : 0;
}

/* Is a Slurm job state (of squeue %T) one that will not run the task? */
static int slurm_failed_state(const char *st, const char *reason)
{
	static const char *const bad[] = {"FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL",
					  "DEADLINE", "PREEMPTED", "SPECIAL_EXIT", "REVOKED", NULL};
	for (int k = 0; bad[k]; k++)
		if (!strcmp(st, bad[k]))
			return 1;
	/* without kill_invalid_depend a dependent job waits forever */
	return !strcmp(st, "PENDING") && strstr(reason, "DependencyNeverSatisfied") != NULL;
}

/* A job array submitted: tasks offset + SLURM_ARRAY_TASK_ID of stage t. */
struct sjob {
	int t, offset;
	char id[32];
};

static struct {
	struct sjob *v;
	int n;
} SJ;

/* Slurm's MaxArraySize (array indices are below it): 1001 unless the
 * cluster says otherwise. */
static int max_array_size(void)
{
	char *argv[] = {(char *)"scontrol", (char *)"show", (char *)"config", NULL};
	sbuf out = {0};
	int max = 1001;
	if (run_capture(argv, &out, -1) == 0 && out.p) {
		const char *m = strstr(out.p, "MaxArraySize");
		const char *eq = m ? strchr(m, '=') : NULL;
		if (eq && atoi(eq + 1) > 1)
			max = atoi(eq + 1);
	}
	sb_free(&out);
	return max;
}

/* The tasks not done of stage t in [from, to) as an array list of indices
 * from `from`: 0-3,5,7-9. */
static void array_list(sbuf *l, int t, int from, int to)
{
	for (int i = from; i < to; i++) {
		if (task_done(t, i))
			continue;
		int j = i;
		while (j + 1 < to && !task_done(t, j + 1))
			j++;
		char num[48];
		snprintf(num, sizeof num, "%s%d", l->len ? "," : "", i - from);
		sb_adds(l, num);
		if (j > i) {
			snprintf(num, sizeof num, "-%d", j - from);
			sb_adds(l, num);
		}
		i = j;
	}
}

/* The ids of the jobs of stage t (all stages: t < 0), joined by sep. */
static void job_ids(sbuf *l, int t, const char *sep)
{
	for (int k = 0; k < SJ.n; k++)
		if (t < 0 || SJ.v[k].t == t) {
			sb_adds(l, l->len ? sep : "");
			sb_adds(l, SJ.v[k].id);
		}
	if (sb_add(l, "", 1) < 0)
		cli_fatal(B.c, "out of memory");
	l->len--;
}

static void scancel_all(void)
{
	struct args a = {0};
	args_add(&a, "scancel");
	for (int k = 0; k < SJ.n; k++)
		args_add(&a, "%s", SJ.v[k].id);
	if (a.n > 1)
		run_capture(a.v, NULL, -1);
	args_free(&a);
}

/* sbatch one array of stage t: the tasks list (indices from offset), after
 * the jobs in `after` (afterok; "" for none).  0 on success. */
static int sbatch_array(int t, const char *script, const char *list, int offset, const char *after)
{
	struct args a = {0};
	sbuf out = {0};
	args_add(&a, "sbatch");
	args_add(&a, "--parsable");
	args_add(&a, "--array=%s", list);
	/* Slurm's own messages; '%' of the path as "%%" (Slurm's patterns) */
	sbuf out_path = {0};
	for (const char *p = S.work; *p; p++)
		if (*p == '%')
			sb_adds(&out_path, "%%");
		else
			sb_add(&out_path, p, 1);
	sb_adds(&out_path, "/logs/slurm-%A_%a.out");
	sb_add(&out_path, "", 1);
	if (out_path.oom)
		cli_fatal(B.c, "out of memory");
	args_add(&a, "--output=%s", out_path.p);
	sb_free(&out_path);
	if (*after)
		args_add(&a, "--dependency=afterok:%s", after);
	/* --slurm-opts: sbatch options, split at white space */
	char *opts = B.slurm_opts ? strdup(B.slurm_opts) : NULL, *save = NULL;
	for (char *o = opts ? strtok_r(opts, " \t\n", &save) : NULL; o; o = strtok_r(NULL, " \t\n", &save))
		args_add(&a, "%s", o);
	free(opts);
	args_add(&a, "%s", script);
	args_add(&a, "%d", offset);
	int rc = run_capture(a.v, &out, -1);
	args_free(&a);
	char *semi = out.p ? strchr(out.p, ';') : NULL;
	if (semi)
		*semi = '\0';
	size_t idl = out.p ? strspn(out.p, "0123456789") : 0;
	if (rc != 0 || !idl || idl >= sizeof SJ.v[0].id) {
		cli_error(B.c, "sbatch did not take stage %s (exit status %d)%s", task_names[t], rc,
			  rc == 127 ? ": is Slurm's client installed (sbatch in PATH)?" : "");
		sb_free(&out);
		return -1;
	}
	if (!(SJ.v = realloc(SJ.v, (size_t)(SJ.n + 1) * sizeof *SJ.v)))
		cli_fatal(B.c, "out of memory");
	struct sjob *j = &SJ.v[SJ.n++];
	j->t = t;
	j->offset = offset;
	snprintf(j->id, sizeof j->id, "%.*s", (int)idl, out.p);
	sb_free(&out);
	return 0;
}

/* Submit each stage with tasks to do as job arrays (several when it has
 * more tasks than the cluster's MaxArraySize), after the jobs of the stage
 * before (afterok).  0 on success. */
static int slurm_submit(void)
{
	char dir[PATH_MAX + 64];
	snprintf(dir, sizeof dir, "%s/slurm", S.work);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		cli_fatal(B.c, "%s: cannot create: %s", dir, strerror(errno));
	int chunk = max_array_size() - 1, prev = -1;
	for (int t = 0; t < NTASKS; t++) {
		if (!ntasks(t) || first_undone(t) < 0)
			continue;
		char script[PATH_MAX + 96];
		snprintf(script, sizeof script, "%s/%s.sbatch", dir, task_names[t]);
		FILE *f = fopen(script, "wb");
		if (!f)
			cli_fatal(B.c, "%s: cannot write: %s", script, strerror(errno));
		sbatch_script(f, t);
		if (fclose(f) != 0)
			cli_fatal(B.c, "%s: cannot write", script);
		sbuf after = {0}, ids = {0};
		if (prev >= 0)
			job_ids(&after, prev, ":");
		for (int from = 0; from < ntasks(t); from += chunk) {
			sbuf list = {0};
			int to = from + chunk < ntasks(t) ? from + chunk : ntasks(t);
			array_list(&list, t, from, to);
			if (sb_add(&list, "", 1) < 0)
				cli_fatal(B.c, "out of memory");
			int rc = list.len > 1 ? sbatch_array(t, script, list.p, from, after.p ? after.p : "") : 0;
			sb_free(&list);
			if (rc < 0) {
				sb_free(&after);
				scancel_all();
				return -1;
			}
		}
		job_ids(&ids, t, ",");
		S.before[t] = done_before(t);
		if (!B.c->quiet)
			cli_note(B.c, "stage %s: Slurm job%s %s, %d task%s%s%s%s", task_names[t], strchr(ids.p, ',') ? "s" : "",
				 ids.p, ntasks(t) - done_before(t), ntasks(t) - done_before(t) == 1 ? "" : "s",
				 after.p ? " after job " : "", after.p ? after.p : "", done_before(t) ? " (the others done before)" : "");
		sb_free(&after);
		sb_free(&ids);
		prev = t;
	}
	return 0;
}

/* One look at the queue: 1 when every task is done, 0 when the build goes
 * on, -1 when a task will not be done (said, with its log). */
static int slurm_poll(void)
{
	int ndone = 0, nall = 0;
	for (int t = 0; t < NTASKS; t++)
		for (int i = 0; i < ntasks(t); i++)
			ndone += task_done(t, i), nall++;
	if (ndone == nall)
		return 1;
	if (B.c->progress && !B.c->quiet)
		fprintf(stderr, "\r\033[Kkorpus build: %d/%d tasks done on Slurm", ndone, nall);
	struct args a = {0};
	sbuf out = {0}, jl = {0};
	job_ids(&jl, -1, ",");
	args_add(&a, "squeue");
	args_add(&a, "-h");
	args_add(&a, "-r");
	args_add(&a, "-t");
	args_add(&a, "all");
	args_add(&a, "-o");
	args_add(&a, "%%i %%T %%r");
	args_add(&a, "-j");
	args_add(&a, "%s", jl.p);
	int qrc = run_capture(a.v, &out, -1);
	args_free(&a);
	sb_free(&jl);
	/* a failed squeue (slurmctld busy or restarting) is asked again; for
	 * long, the build cannot follow its jobs */
	static int qfails, gone;
	if (qrc != 0) {
		sb_free(&out);
		if (++qfails < 200)
			return 0;
		scancel_all();
		cli_error(B.c, "squeue failed %d times in a row (exit status %d): the build's jobs were cancelled", qfails,
			  qrc);
		return -1;
	}
	qfails = 0;
	int active = 0, bad_t = NTASKS, bad_i = -1;
	char bad_what[384] = "";
	for (char *save = NULL, *line = out.p ? strtok_r(out.p, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char job[64], st[64], reason[128] = "";
		if (sscanf(line, "%63s %63s %127[^\n]", job, st, reason) < 2)
			continue;
		if (!slurm_failed_state(st, reason)) {
			active += strcmp(st, "COMPLETED") != 0;
			continue;
		}
		/* JOBID_INDEX: the stage and the offset by the job, the task by
		 * the index */
		char *us = strchr(job, '_');
		int idx = us ? atoi(us + 1) : 0;
		if (us)
			*us = '\0';
		for (int k = 0; k < SJ.n; k++) {
			int t = SJ.v[k].t, i = SJ.v[k].offset + idx;
			if (strcmp(SJ.v[k].id, job) || i >= ntasks(t) || task_done(t, i) || t > bad_t || (t == bad_t && i > bad_i))
				continue;
			bad_t = t;
			bad_i = i;
			snprintf(bad_what, sizeof bad_what, "did not finish (Slurm job %s_%d: %s%s%s)", job, idx, st,
				 *reason && strcmp(reason, "None") ? ", " : "", strcmp(reason, "None") ? reason : "");
		}
	}
	sb_free(&out);
	if (bad_t == NTASKS && !active) {
		/* nothing queued or running: done, or a task vanished (seen
		 * twice: a job between states) */
		for (int t = 0; t < NTASKS && bad_t == NTASKS; t++)
			if ((bad_i = first_undone(t)) >= 0)
				bad_t = t;
		if (bad_t == NTASKS)
			return 1;
		if (!gone++) {
			bad_t = NTASKS;
			return 0;
		}
		snprintf(bad_what, sizeof bad_what, "did not finish (its Slurm job is gone from the queue)");
	} else {
		gone = 0;
	}
	if (bad_t == NTASKS)
		return 0;
	scancel_all();
	task_failed(bad_t, bad_i, bad_what);
	return -1;
}

/* slurm: job arrays per stage, then poll squeue until every task is done
 * or one will not be (sbatch --wait polls slowly and takes a job cancelled
 * before it ran for a success). */
static int run_slurm(void)
{
	if (slurm_submit() < 0)
		return -1;
	int rc;
	while (!(rc = slurm_poll())) {
		if (B.stop) {
			scancel_all();
			cli_error(B.c, "interrupted: the build's Slurm jobs were cancelled");
			return -1;
		}
		struct timespec ts = {0, 300 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (B.c->progress && !B.c->quiet)
		fputs("\r\033[K", stderr);
	free(SJ.v);
	SJ.v = NULL;
	SJ.n = 0;
	return rc < 0 ? -1 : 0;
}

/* ---- the end: the shards' outputs into the build folder ------------------------------ */

/* Add a task's counts.json relays to B.relays[at...]; the number read. */
static int add_counts(int t, int i, int at)
{
	char path[PATH_MAX + 64];
	task_dir(path, sizeof path, t, i, 0);
	strcat(path, "/counts.json");
	yajl_val root = json_file(path), rs = member(root, "relays", yajl_t_array);
	if (!rs)
		cli_fatal(B.c, "%s: cannot read the task's counts", path);
	int n = (int)rs->u.array.len;
	for (int k = 0; k < n && at + k < (int)(sizeof B.relays / sizeof B.relays[0]); k++) {
		yajl_val r = rs->u.array.values[k], v;
		struct relay *dst = &B.relays[at + k];
		if ((v = member(r, "docs", yajl_t_number)) && YAJL_IS_INTEGER(v))
			dst->docs += (uint64_t)YAJL_GET_INTEGER(v);
		if ((v = member(r, "bytes", yajl_t_number)) && YAJL_IS_INTEGER(v))
			dst->bytes += (uint64_t)YAJL_GET_INTEGER(v);
		yajl_val src = member(r, "sources", yajl_t_array);
		for (size_t s = 0; src && s < src->u.array.len; s++) {
			yajl_val pair = src->u.array.values[s];
			if (YAJL_IS_ARRAY(pair) && pair->u.array.len == 2 && YAJL_IS_INTEGER(pair->u.array.values[1])) {
				const char *name = ystr(pair->u.array.values[0]);
				uint64_t cnt = (uint64_t)YAJL_GET_INTEGER(pair->u.array.values[1]);
				count_source(dst, name, strlen(name), cnt);
			}
		}
	}
	yajl_tree_free(root);
	return n;
}

/* The rest of stream in onto out: 0, 1 when in cannot be read, 2 when out
 * cannot be written. */
static int copy_stream(FILE *in, FILE *out)
{
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return 2;
	return ferror(in) ? 1 : 0;
}

/* Append file `from` to stream out (a missing file adds nothing). */
static void append_file(FILE *out, const char *from)
{
	FILE *f = fopen(from, "rb");
	if (!f)
		return;
	int rc = copy_stream(f, out);
	if (rc == 2)
		cli_fatal(B.c, "%s: cannot write: %s", B.tmp, strerror(errno));
	if (rc == 1)
		cli_fatal(B.c, "%s: cannot read: %s", from, strerror(errno));
	fclose(f);
}

/* Side file `name` of the build folder: the shards' (of stage t), in shard
 * order. */
static void join_side(const char *name, int t)
{
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/%s", B.tmp, name);
	FILE *out = fopen(path, "wb");
	if (!out)
		cli_fatal(B.c, "%s: cannot write: %s", path, strerror(errno));
	for (int i = 0; i < S.nshards; i++) {
		char from[PATH_MAX + 64];
		task_dir(from, sizeof from, t, i, 0);
		strcat(from, "/");
		strcat(from, name);
		append_file(out, from);
	}
	if (fclose(out) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
}

/* dups.jsonl from the removal list: each record's "order" (shard:number)
 * becomes "n", the document's number in the whole of dedup's input, as the
 * one-machine dedup writes it; base[k] the documents of the shards before
 * shard k. */
static void write_dups(const uint64_t *base)
{
	char in[PATH_MAX + 64], path[sizeof B.tmp + 32];
	task_dir(in, sizeof in, T_CLUSTER, 0, 0);
	strcat(in, "/remove.jsonl");
	snprintf(path, sizeof path, "%s/dups.jsonl", B.tmp);
	FILE *f = fopen(in, "rb"), *out = fopen(path, "wb");
	if (!f || !out)
		cli_fatal(B.c, "%s: %s", f ? path : in, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	static const char head[] = "{\"order\":\"";
	while ((n = getline(&line, &cap, f)) > 0) {
		unsigned shard;
		unsigned long long num;
		char *rest = NULL;
		if (strncmp(line, head, sizeof head - 1) || sscanf(line + sizeof head - 1, "%u:%llu", &shard, &num) != 2 ||
		    shard >= (unsigned)S.nshards || !(rest = strchr(line + sizeof head - 1, '"')) || rest[1] != ',')
			cli_fatal(B.c, "%s: not a removal record: %.60s", in, line);
		fprintf(out, "{\"n\":%llu%s", (unsigned long long)base[shard] + num, rest + 1);
	}
	free(line);
	fclose(f);
	if (fclose(out) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
}

/* import-counts.json: the shards' counts added up (the first example of a
 * date not understood, and of one read in the other order, kept). */
static void merge_import_counts(void)
{
	static const char *const example_keys[] = {"undated_example", "other_order_example"};
	enum { NEX = sizeof example_keys / sizeof example_keys[0] };
	sbuf m = {0};
	char **keys = NULL;
	unsigned long long *sums = NULL;
	size_t nk = 0;
	char *example[NEX] = {NULL};
	for (int i = 0; i < S.nshards; i++) {
		char path[PATH_MAX + 64];
		task_dir(path, sizeof path, T_MAP, i, 0);
		strcat(path, "/import-counts.json");
		yajl_val o = json_file(path);
		for (size_t k = 0; o && YAJL_IS_OBJECT(o) && k < o->u.object.len; k++) {
			const char *key = o->u.object.keys[k];
			yajl_val v = o->u.object.values[k];
			if (YAJL_IS_STRING(v)) {
				for (int e = 0; e < NEX; e++)
					if (!example[e] && !strcmp(key, example_keys[e]) && !(example[e] = strdup(ystr(v))))
						cli_fatal(B.c, "out of memory");
				continue;
			}
			if (!YAJL_IS_INTEGER(v))
				continue;
			size_t j = 0;
			while (j < nk && strcmp(keys[j], key))
				j++;
			if (j == nk) {
				keys = realloc(keys, (nk + 1) * sizeof *keys);
				sums = realloc(sums, (nk + 1) * sizeof *sums);
				if (!keys || !sums || !(keys[nk] = strdup(key)))
					cli_fatal(B.c, "out of memory");
				sums[nk++] = 0;
			}
			sums[j] += (unsigned long long)YAJL_GET_INTEGER(v);
		}
		yajl_tree_free(o);
	}
	sb_adds(&m, "{");
	for (size_t j = 0; j < nk; j++) {
		char num[32];
		sb_adds(&m, j ? "," : "");
		sb_jsons(&m, keys[j]);
		snprintf(num, sizeof num, ":%llu", sums[j]);
		sb_adds(&m, num);
		free(keys[j]);
	}
	for (int e = 0; e < NEX; e++) {
		if (!example[e])
			continue;
		sb_adds(&m, m.len > 1 ? "," : "");
		sb_jsons(&m, example_keys[e]);
		sb_adds(&m, ":");
		sb_jsons(&m, example[e]);
		free(example[e]);
	}
	finish_json(&m, "}\n", "import-counts.json");
	free(keys);
	free(sums);
}

/* Copy file from to `to` (a new file); < 0 with errno on failure. */
static int copy_file(const char *from, const char *to)
{
	FILE *f = fopen(from, "rb"), *o = f ? fopen(to, "wb") : NULL;
	int bad = !f || !o || copy_stream(f, o) != 0;
	if (f)
		fclose(f);
	if (o && fclose(o) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* A shard's output into the build folder under its shard name: a hard link
 * (a copy across filesystems), so that the apply task keeps its outputs and
 * a build that fails after this resumes with them. */
static void move_output(int i, const char *name, const char *kind, const char *ext)
{
	char from[PATH_MAX + 64], to[sizeof B.tmp + 64];
	for (int kpi = 0; kpi < 2; kpi++) {
		task_dir(from, sizeof from, T_APPLY, i, 0);
		snprintf(from + strlen(from), sizeof from - strlen(from), "/%s%s", name, kpi ? ".kpi" : "");
		snprintf(to, sizeof to, "%s/%s-%05d%s%s", B.tmp, kind, i, ext, kpi ? ".kpi" : "");
		struct stat st;
		if (kpi && stat(from, &st) < 0 && errno == ENOENT)
			continue; /* no index: pack's stage left out */
		if (link(from, to) < 0 && copy_file(from, to) < 0)
			cli_fatal(B.c, "%s: cannot link or copy to %s: %s", from, to, strerror(errno));
	}
}

/* The build folder from the tasks' outputs, and B.relays as the
 * one-machine pipeline's would have counted. */
static void assemble(void)
{
	/* the relays: after import, clean, norm, filter (map), dedup and
	 * split (apply) */
	int nfront = B.nchain - 1;
	memset(B.relays, 0, sizeof B.relays);
	uint64_t *base = calloc((size_t)S.nshards + 1, sizeof *base);
	if (!base)
		cli_fatal(B.c, "out of memory");
	uint64_t *out_docs = calloc((size_t)S.nshards + 1, sizeof *out_docs);
	if (!out_docs)
		cli_fatal(B.c, "out of memory");
	for (int i = 0; i < S.nshards; i++) {
		uint64_t before = B.relays[nfront - 1].docs, kept = B.relays[nfront].docs;
		add_counts(T_MAP, i, 0);
		base[i] = before;
		add_counts(T_APPLY, i, nfront);
		out_docs[i] = B.relays[nfront].docs - kept;
	}
	B.nrelays = B.nchain + (B.split_at >= 0);
	join_side(side_files[SIDE_IMPORT][0], T_MAP);
	join_side(side_files[SIDE_CLEAN][0], T_MAP);
	join_side(side_files[SIDE_FILTER][0], T_MAP);
	if (!B.no_paragraphs)
		join_side(side_files[SIDE_PARAS][0], T_APPLY);
	write_dups(base);
	free(base);
	merge_import_counts();
	for (int i = 0; i < S.nshards; i++) {
		move_output(i, "corpus.jsonl.gz", "corpus", ".jsonl.gz");
		if (B.on[S_SPLIT])
			move_output(i, "sentences.txt.gz", "sentences", ".txt.gz");
	}
	if (B.on[S_STATS]) {
		/* the exact merge of the shards' statistics */
		struct args a = {0};
		args_add(&a, "%s/korpus-stats", B.dir);
		args_add(&a, "-q");
		args_add(&a, "--merge");
		args_add(&a, "--json=%s/stats.json", B.tmp);
		args_add(&a, "-o");
		args_add(&a, "/dev/null");
		/* shards left with no document add nothing (and their reports
		 * are all alike, which the merge takes for a shard given twice);
		 * one report at least */
		for (int i = 0, given = 0; i < S.nshards; i++) {
			if (!out_docs[i] && (given || i + 1 < S.nshards))
				continue;
			char dir[PATH_MAX + 64];
			task_dir(dir, sizeof dir, T_APPLY, i, 0);
			args_add(&a, "%s/stats.json", dir);
			given++;
		}
		int rc = run_capture(a.v, NULL, -1);
		args_free(&a);
		if (rc != 0)
			cli_fatal(B.c, "korpus-stats --merge of the shards' statistics failed (exit status %d)", rc);
	}
	free(out_docs);
}

/* Hold the work folder (made when missing) against another build of the
 * same OUTDIR at the same time: a lock on the folder, released when this
 * process ends. */
static void lock_work(void)
{
	static int fd = -1;
	if (mkdir(S.work, 0777) < 0 && errno != EEXIST)
		cli_fatal(B.c, "%s: cannot create: %s", S.work, strerror(errno));
	int nfd = open(S.work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (nfd < 0)
		cli_fatal(B.c, "%s: cannot open: %s", S.work, strerror(errno));
	if (flock(nfd, LOCK_EX | LOCK_NB) < 0)
		cli_fatal(B.c, "%s: %s", S.work,
			  errno == EWOULDBLOCK ? "another korpus build of this OUTDIR is running (wait for it, or stop it)"
					       : strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = nfd;
}

/* WORK as this build's: a work folder of other inputs or options is
 * removed (its tasks' outputs are not this build's). */
static void prepare_work(const char *fp)
{
	lock_work();
	char path[PATH_MAX + 64];
	sbuf key = {0}, old = {0};
	char num[64];
	snprintf(num, sizeof num, "{\"partitions\":%d,\"plan\":", B.partitions);
	sb_adds(&key, num);
	sb_adds(&key, fp);
	sb_adds(&key, "}\n");
	snprintf(path, sizeof path, "%s/build.json", S.work);
	if (slurp(path, &old) < 0 || old.len != key.len || memcmp(old.p, key.p, key.len)) {
		if (rm_tree(S.work) < 0)
			cli_fatal(B.c, "%s: cannot remove the work folder of another build: %s", S.work, strerror(errno));
		lock_work();
	} else {
		cli_note(B.c, "resuming the build in %s", S.work);
	}
	sb_free(&old);
	snprintf(path, sizeof path, "%s/logs", S.work);
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		cli_fatal(B.c, "%s: cannot create: %s", path, strerror(errno));
	snprintf(path, sizeof path, "%s/shards", S.work);
	write_shards(path);
	snprintf(path, sizeof path, "%s/args", S.work);
	write_args(path);
	snprintf(path, sizeof path, "%s/build.json", S.work);
	if (key.oom)
		cli_fatal(B.c, "out of memory");
	write_file(path, key.p, key.len);
	sb_free(&key);
}

/* Run the plan with the executor, then the build folder from its outputs;
 * < 0 when a task failed (WORK kept: a rerun resumes). */
int shards_run(cli *c, const char *fp)
{
	prepare_work(fp);
	int rc = B.executor == EX_LOCAL ? run_local() : B.executor == EX_PARALLEL ? run_parallel() : run_slurm();
	if (rc < 0) {
		cli_note(c, "the finished tasks are kept in %s: the same command resumes the build", S.work);
		return -1;
	}
	assemble();
	return 0;
}

/* The manifest's "plan": shards, partitions, executor, and each stage's
 * tasks, those done by an earlier run, and seconds (Slurm: the stages
 * overlap in the queue, not timed). */
void shards_manifest(sbuf *m)
{
	char num[160];
	snprintf(num, sizeof num, ",\"plan\":{\"shards\":%d,\"partitions\":%d,\"executor\":\"%s\",\"stages\":[", S.nshards,
		 B.partitions, executor_names[B.executor]);
	sb_adds(m, num);
	for (int t = 0, first = 1; t < NTASKS; t++) {
		if (!ntasks(t))
			continue;
		snprintf(num, sizeof num, "%s{\"stage\":\"%s\",\"tasks\":%d,\"done_before\":%d", first ? "" : ",",
			 task_names[t], ntasks(t), S.before[t]);
		sb_adds(m, num);
		if (B.executor != EX_SLURM) {
			snprintf(num, sizeof num, ",\"seconds\":%.2f", S.seconds[t]);
			sb_adds(m, num);
		}
		sb_adds(m, "}");
		first = 0;
	}
	sb_adds(m, "]}");
}

/* After the build folder is published: the work folder goes. */
void shards_done(void)
{
	rm_tree(S.work);
}
