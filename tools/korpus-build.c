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
#include <search.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "build.h"
#include "cli.h"
#include "sha256.h"
#include "stats_report.h"

enum {
	OPT_STAGES = 256,
	OPT_DRY_RUN,
	OPT_FORCE,
	OPT_NO_PARAGRAPHS,
	OPT_CONFIG,
	OPT_SHARDS,
	OPT_PARTITIONS,
	OPT_EXECUTOR,
	OPT_TASK_JOBS,
	OPT_SSHLOGINFILE,
	OPT_SLURM_OPTS,
	OPT_PASS = 0x400
};

/* The stages' own options that a build takes and hands to the stage, as
 * given (the stage checks the value): the option, its stage, whether it
 * takes a value, whether it may be given more than once. */
const struct pass passes[] = {
	{"source", S_IMPORT, 1, 0},         {"text-field", S_IMPORT, 1, 0},   {"text-col", S_IMPORT, 1, 0},
	{"id-field", S_IMPORT, 1, 0},       {"title-field", S_IMPORT, 1, 0},  {"source-field", S_IMPORT, 1, 0},
	{"created-field", S_IMPORT, 1, 0},  {"url-field", S_IMPORT, 1, 0},    {"metadata-fields", S_IMPORT, 1, 0},
	{"format", S_IMPORT, 1, 0},         {"encoding", S_IMPORT, 1, 0},     {"added", S_IMPORT, 1, 0},
	{"strict", S_IMPORT, 0, 0},         {"lang", S_IMPORT, 1, 0},         {"date-order", S_IMPORT, 1, 0},
	{"rules", S_CLEAN, 1, 1},
	{"no-builtin-rules", S_CLEAN, 0, 0}, {"keep-dateline", S_CLEAN, 0, 0}, {"form", S_NORM, 1, 0},
	{"punct", S_NORM, 1, 0},            {"no-entities", S_NORM, 0, 0},    {"no-mojibake", S_NORM, 0, 0},
	{"no-controls", S_NORM, 0, 0},      {"no-spaces", S_NORM, 0, 0},      {"no-glued", S_NORM, 0, 0},
	{"no-whitespace", S_NORM, 0, 0},    {"lower", S_NORM, 0, 0},          {"informal", S_NORM, 0, 0},
	{"spelling", S_NORM, 0, 0},         {"numbers", S_NORM, 0, 0},        {"informal-list", S_NORM, 1, 0},
	{"spelling-list", S_NORM, 1, 0},    {"unglue", S_NORM, 1, 0},         {"vocab", S_NORM, 1, 1},
	{"dictionary", S_NORM, 1, 0},       {"exact", S_DEDUP, 0, 0},         {"near", S_DEDUP, 0, 0},
	{"key", S_DEDUP, 1, 0},             {"ngram", S_DEDUP, 1, 0},         {"num-perm", S_DEDUP, 1, 0},
	{"threshold", S_DEDUP, 1, 0},       {"bands", S_DEDUP, 1, 0},         {"rows", S_DEDUP, 1, 0},
	{"min-shingles", S_DEDUP, 1, 0},    {"para-min-docs", S_DEDUP, 1, 0}, {"keep", S_DEDUP, 1, 0},
	{"max-memory", S_DEDUP, 1, 0},      {"block-size", S_PACK, 1, 0},     {"no-quality", S_FILTER, 0, 0},
	{"quality-rules", S_FILTER, 1, 1},  {"pii", S_FILTER, 1, 0},         {"keep-lang", S_FILTER, 1, 0},
	{"min-score", S_FILTER, 1, 0},      {"no-lang", S_FILTER, 0, 0},      {"drop-foreign-paragraphs", S_FILTER, 0, 0},
	{"model", S_FILTER, 1, 0},
};
#define NPASS (sizeof passes / sizeof passes[0])
const size_t npasses = NPASS;

static struct option options[16 + NPASS] = {
	{"stages", required_argument, NULL, OPT_STAGES},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"force", no_argument, NULL, OPT_FORCE},
	{"no-paragraphs", no_argument, NULL, OPT_NO_PARAGRAPHS},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"shards", required_argument, NULL, OPT_SHARDS},
	{"partitions", required_argument, NULL, OPT_PARTITIONS},
	{"executor", required_argument, NULL, OPT_EXECUTOR},
	{"tasks", required_argument, NULL, OPT_TASK_JOBS},
	{"sshloginfile", required_argument, NULL, OPT_SSHLOGINFILE},
	{"slurm-opts", required_argument, NULL, OPT_SLURM_OPTS},
	/* then passes[], filled in by main */
};
#define NOWN 11

static const struct cli_tool tool = {
	.name = "korpus-build",
	.summary = "Build a release-ready corpus from raw articles: the whole pipeline",
	.synopsis = "INPUT... -o OUTDIR [OPTION]...",
	.help = "Runs korpus import | clean | norm | filter | dedup, then pack (the corpus), split |\n"
		"pack --format text (the sentences) and stats side by side, as processes\n"
		"joined by pipes, and writes to OUTDIR (published whole, or not at all):\n"
		"  corpus.jsonl.gz (+ .kpi)  the documents, blocked gzip with an index\n"
		"  sentences.txt.gz (+ .kpi) one sentence per line, a blank line between\n"
		"                            documents\n"
		"  removed.jsonl.gz          what import skipped, clean removed, filter and dedup\n"
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
		"  --stages LIST        of import,clean,norm,filter,dedup,split,pack,stats (default\n"
		"                       all; import always runs)\n"
		"  --config FILE        options from FILE, a JSON object of korpus build's long\n"
		"                       options: {\"text-field\": \"body\", \"threshold\": 0.7,\n"
		"                       \"strict\": true, \"rules\": [\"a.rules\", \"b.rules\"]};\n"
		"                       the command line goes over it\n"
		"  --no-paragraphs      keep repeated paragraphs: by default dedup removes the\n"
		"                       paragraphs found in several documents of one source\n"
		"                       (korpus-dedup --paragraphs --para-per-source\n"
		"                       --para-min-docs auto): a site's boilerplate\n"
		"  --level N            gzip level of the outputs (default 6)\n"
		"The stages' options, handed to them (see each tool's --help):\n"
		"  import  --source, --text-field, --id-field, --title-field, --source-field,\n"
		"          --created-field, --url-field, --metadata-fields, --text-col,\n"
		"          --format, --encoding, --added, --strict, --lang, --date-order\n"
		"  clean   --rules FILE (repeatable), --no-builtin-rules, --keep-dateline\n"
		"  norm    --form, --punct, --no-entities, --no-mojibake, --no-controls,\n"
		"          --no-spaces, --no-glued, --no-whitespace, --lower, --informal,\n"
		"          --spelling, --numbers, --informal-list, --spelling-list,\n"
		"          --unglue off|camel|all (default all), --vocab (repeatable),\n"
		"          --dictionary\n"
		"  filter  --keep-lang LIST (default ind), --min-score X, --no-lang,\n"
		"          --drop-foreign-paragraphs, --model FILE, --no-quality,\n"
		"          --quality-rules FILE (repeatable), --pii MODE (default annotate:\n"
		"          metadata.pii; redact, drop, off)\n"
		"  dedup   --exact, --near, --key, --ngram, --num-perm, --threshold, --bands,\n"
		"          --rows, --min-shingles, --para-min-docs, --keep first,\n"
		"          --max-memory\n"
		"  pack    --block-size\n"
		"The options used are in manifest.json (\"build\"), and in the report.\n"
		"  -j N                 threads of each stage (the stages also run at once)\n"
		"  --dry-run            print the pipeline as a shell command and exit\n"
		"Sharded (the same result, OUTDIR with a corpus-NNNNN.jsonl.gz and a\n"
		"sentences-NNNNN.txt.gz per shard; see docs/scale.md):\n"
		"  --shards N           cut the inputs into N shards (contiguous: by file, and a\n"
		"                       plain JSON Lines file into byte ranges at line starts)\n"
		"                       and run the build as stages of tasks: map (import to\n"
		"                       filter) and sign per shard, a reduce per partition of\n"
		"                       the dedup keys, one cluster, apply | pack, split, stats\n"
		"                       per shard, then the exact merge of the statistics;\n"
		"                       each task works in OUTDIR.work and a rerun skips the\n"
		"                       tasks done (resumes)\n"
		"  --partitions M       reduce tasks (default N)\n"
		"  --executor E         local (default): processes here, --tasks at once;\n"
		"                       parallel: GNU parallel, with --sshloginfile FILE for\n"
		"                       several machines (all seeing the same paths); slurm: a\n"
		"                       job array per stage (korpus-STAGE, afterok on the stage\n"
		"                       before), --slurm-opts 'OPTS' for sbatch (partition,\n"
		"                       account, time, memory); logs in OUTDIR.work/logs\n"
		"  --tasks K            tasks at once (local, parallel; default: the CPUs)\n"
		"  --force              build even when OUTDIR is up to date, and replace an\n"
		"                       OUTDIR that is not a korpus build (a file, a folder of\n"
		"                       other files); an OUTDIR holding an input, or inside one,\n"
		"                       is always refused\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus build articles/ -o out                      a folder of exports\n"
		"  korpus build export.jsonl --text-field body --source-field site \\\n"
		"      --created-field date -o out                     a scrape's JSONL\n"
		"  korpus build berita.csv --title-field judul --threshold 0.7 -o out\n"
		"  korpus build --config build.json data/ -o out       the options in a file\n"
		"  korpus build data/ -o out --dry-run                 the pipeline, as a shell command\n",
};

/* ---- stages ------------------------------------------------------------------------ */

const char *const stage_names[NSTAGES] = {"import", "clean", "norm", "filter", "dedup", "split", "pack", "stats"};

struct build B;

void add_arg(struct proc *p, const char *fmt, ...)
{
	char buf[PATH_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (p->argc + 1 >= MAXARGS)
		cli_usage_error(B.c, "more than %d arguments for stage %s: give the folder of the inputs rather than "
			       "each file", MAXARGS, p->stage);
	if (!(p->argv[p->argc++] = strdup(buf)))
		cli_fatal(B.c, "out of memory");
	p->argv[p->argc] = NULL;
}

struct proc *blank_proc(const char *stage)
{
	struct proc *p = &B.procs[B.nprocs++];
	memset(p, 0, sizeof *p);
	p->stage = stage;
	p->in = p->out = -1;
	return p;
}

struct proc *new_proc(const char *stage, const char *verb)
{
	struct proc *p = blank_proc(stage);
	add_arg(p, "%s/korpus-%s", B.dir, verb);
	add_arg(p, "-q");
	return p;
}

void jobs_arg(struct proc *p)
{
	if (B.jobs > 1)
		add_arg(p, "-j%d", B.jobs);
}

/* The options given for stage s, as --name=value. */
void stage_args(struct proc *p, int s)
{
	for (size_t i = 0; i < NPASS; i++) {
		if (passes[i].stage != s || !B.val[i])
			continue;
		if (!passes[i].arg) {
			add_arg(p, "--%s", passes[i].name);
			continue;
		}
		for (const char *v = B.val[i];;) {
			const char *e = passes[i].many ? strchr(v, '\n') : NULL;
			add_arg(p, "--%s=%.*s", passes[i].name, e ? (int)(e - v) : (int)strlen(v), v);
			if (!e)
				break;
			v = e + 1;
		}
	}
}

/* The index of a stage option by name (one of passes[]). */
static size_t pass_index(const char *name)
{
	size_t i = 0;
	while (i + 1 < NPASS && strcmp(passes[i].name, name))
		i++;
	return i;
}

const char *pass_value(const char *name)
{
	return B.val[pass_index(name)];
}

/* Set (or, for a repeatable option, add) the value of stage option i. */
static void pass_set(size_t i, const char *v)
{
	char *old = B.val[i];
	size_t ol = old && passes[i].many ? strlen(old) + 1 : 0;
	char *n = malloc(ol + strlen(v) + 1);
	if (!n)
		cli_fatal(B.c, "out of memory");
	if (ol)
		memcpy(n, old, ol - 1), n[ol - 1] = '\n';
	strcpy(n + ol, v);
	free(old);
	B.val[i] = n;
}

/* korpus pack writing file of the build folder (korpus cat when --stages
 * leaves pack out); text: lines of text, not documents. */
static void pack_proc(int text, const char *file)
{
	struct proc *p = new_proc("pack", B.on[S_PACK] ? "pack" : "cat");
	if (B.on[S_PACK]) {
		jobs_arg(p);
		if (text)
			add_arg(p, "--format=text");
		add_arg(p, "--level=%d", B.level);
		stage_args(p, S_PACK);
	}
	add_arg(p, "-o");
	add_arg(p, "%s/%s", B.tmp, file);
}

/* A process of the chain, of stage st. */
struct proc *chain_proc(int st)
{
	B.chain_stage[B.nchain++] = st;
	return new_proc(stage_names[st], stage_names[st]);
}

/* The chain of the pipeline up to dedup's input: import (with extra
 * arguments before the inputs), clean, norm and filter, with their side
 * files in B.tmp. */
void plan_front(char **inputs, int ninputs, char *const *import_args, int nimport_args)
{
	struct proc *p = chain_proc(S_IMPORT);
	stage_args(p, S_IMPORT);
	add_arg(p, "--skipped=%s/skipped.jsonl", B.tmp);
	add_arg(p, "--counts=%s/import-counts.json", B.tmp);
	for (int i = 0; i < nimport_args; i++)
		add_arg(p, "%s", import_args[i]);
	for (int i = 0; i < ninputs; i++)
		add_arg(p, "%s", inputs[i]);
	if (B.on[S_CLEAN]) {
		p = chain_proc(S_CLEAN);
		jobs_arg(p);
		add_arg(p, "--removed=%s/removed-clean.jsonl", B.tmp);
		stage_args(p, S_CLEAN);
	}
	if (B.on[S_NORM]) {
		p = chain_proc(S_NORM);
		jobs_arg(p);
		stage_args(p, S_NORM);
	}
	if (B.on[S_FILTER]) {
		p = chain_proc(S_FILTER);
		jobs_arg(p);
		add_arg(p, "--removed=%s/removed-filter.jsonl", B.tmp);
		stage_args(p, S_FILTER);
	}
}

/* The branches after the fan-out: pack, split | pack, stats (with its
 * vocabulary written to vocab, when not NULL: a shard's, for the merge). */
void plan_fanout(const char *vocab)
{
	pack_proc(0, "corpus.jsonl.gz");
	B.split_at = B.stats_at = -1;
	if (B.on[S_SPLIT]) {
		B.split_at = B.nprocs;
		struct proc *p = new_proc("split", "split");
		jobs_arg(p);
		add_arg(p, "--format=text");
		pack_proc(1, "sentences.txt.gz");
	}
	if (B.on[S_STATS]) {
		B.stats_at = B.nprocs;
		struct proc *p = new_proc("stats", "stats");
		jobs_arg(p);
		add_arg(p, "--json=%s/stats.json", B.tmp);
		if (vocab)
			add_arg(p, "--vocab=%s", vocab);
		add_arg(p, "-o");
		add_arg(p, "/dev/null");
	}
}

/* The processes of the one-machine pipeline; inputs given. */
void plan(char **inputs, int ninputs)
{
	plan_front(inputs, ninputs, NULL, 0);
	if (B.on[S_DEDUP]) {
		struct proc *p = chain_proc(S_DEDUP);
		jobs_arg(p);
		add_arg(p, "--dups=%s/dups.jsonl", B.tmp);
		if (!B.no_paragraphs) {
			add_arg(p, "--paragraphs");
			add_arg(p, "--para-per-source");
			add_arg(p, "--para-min-docs=auto");
			add_arg(p, "--para-removed=%s/removed-paras.jsonl", B.tmp);
		}
		stage_args(p, S_DEDUP);
	}
	plan_fanout(NULL);
}

/* Forget the processes planned (their arguments freed). */
void plan_reset(void)
{
	for (int i = 0; i < B.nprocs; i++)
		for (int k = 0; k < B.procs[i].argc; k++)
			free(B.procs[i].argv[k]);
	B.nprocs = B.nchain = 0;
	B.split_at = B.stats_at = -1;
	B.sink = -1;
}

/* The last stage of the chain before the fan-out. */
static int last_chain_stage(void)
{
	return B.chain_stage[B.nchain - 1];
}

/* The relay after chain stage st (which is on): relay i follows chain
 * process i. */
static const struct relay *relay_after(int st)
{
	int k = 0;
	while (k + 1 < B.nchain && B.chain_stage[k] != st)
		k++;
	return &B.relays[k];
}

/* Index of the first process of the fan-out (pack). */
static int fanout_index(void)
{
	return B.nchain;
}

void print_cmd(FILE *f, const struct proc *p, const char *shown_tmp)
{
	for (int i = 0; i < p->argc; i++) {
		const char *a = p->argv[i];
		if (i == 0) {
			const char *s = strrchr(a, '/');
			a = s ? s + 1 : a;
			if (!strncmp(a, "korpus-", 7))
				fprintf(f, "korpus %s", a + 7);
			else if (strcmp(a, "env")) /* env VAR=... program: shown as VAR=... program */
				fputs(a, f);
			continue;
		}
		if (i == 1 && !strcmp(p->argv[0], "/usr/bin/env")) {
			fputs(a, f);
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
	if (fan + 1 < B.nprocs)
		fputs("tee", stdout);
	if (B.split_at >= 0) {
		fputs(" >(", stdout);
		print_cmd(stdout, &B.procs[B.split_at], B.out);
		fputs(" | ", stdout);
		print_cmd(stdout, &B.procs[B.split_at + 1], B.out);
		fputs(")", stdout);
	}
	if (B.stats_at >= 0) {
		fputs(" >(", stdout);
		print_cmd(stdout, &B.procs[B.stats_at], B.out);
		fputs(")", stdout);
	}
	if (fan + 1 < B.nprocs)
		fputs(" |\n  ", stdout);
	print_cmd(stdout, &B.procs[fan], B.out);
	fputs("\n", stdout);
}

/* ---- running ----------------------------------------------------------------------- */

static int cmp_srccount(const void *a, const void *b)
{
	return strcmp(((const struct srccount *)a)->name, ((const struct srccount *)b)->name);
}

/* One more document of source name (n bytes) past relay r. */
void count_source(struct relay *r, const char *name, size_t n, uint64_t count)
{
	char key[sizeof r->scan.name + 1];
	snprintf(key, sizeof key, "%.*s", (int)n, name);
	struct srccount probe = {key, 0}, *c;
	void *found = tfind(&probe, &r->sources, cmp_srccount);
	if (!found && r->nsources >= MAX_SOURCES) {
		probe.name = "(other sources)";
		found = tfind(&probe, &r->sources, cmp_srccount);
	}
	if (found) {
		(*(struct srccount **)found)->n += count;
		return;
	}
	char *copy = NULL;
	if (!(c = malloc(sizeof *c)) || !(c->name = copy = strdup(probe.name)) || !tsearch(c, &r->sources, cmp_srccount)) {
		free(copy);
		free(c);
		r->sources_lost = 1;
		return;
	}
	c->n = count;
	r->nsources++;
}

/* The sources of the lines in buf. */
static void scan_sources(struct relay *r, const char *buf, size_t n)
{
	static const char key[] = "\"source\":\"";
	struct srcscan *s = &r->scan;
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		if (s->state == 2) {
			const char *nl = memchr(buf + i, '\n', n - i);
			if (!nl)
				return;
			i = (size_t)(nl - buf);
			c = '\n';
		}
		if (c == '\n') {
			if (s->state == 0)
				count_source(r, "(none)", 6, 1);
			else
				count_source(r, s->name, s->len, 1);
			memset(s, 0, offsetof(struct srcscan, name));
			continue;
		}
		if (s->state == 0) {
			s->pos = c == key[s->pos] ? s->pos + 1 : c == '"';
			s->state = key[s->pos] == '\0';
		} else if (s->esc || c != '"') {
			s->esc = !s->esc && c == '\\';
			if (s->len < sizeof s->name)
				s->name[s->len++] = c;
		} else {
			s->state = 2;
		}
	}
}

static void free_srccount(void *p)
{
	struct srccount *c = p;
	free((void *)(uintptr_t)c->name);
	free(c);
}

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
		if (r->by_source)
			scan_sources(r, buf, (size_t)n);
		r->bytes += (uint64_t)n;
		for (int k = 0; k < r->nto; k++) {
			if (r->to[k] < 0)
				continue;
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(r->to[k], buf + off, (size_t)(n - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					/* a consumer died: it reports; the others go on
					 * (a file cannot report: its failure is ours) */
					r->err |= r->to[k] == r->file;
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

/* Start argv[0] with in and out as its standard input and output (-1:
 * ours); its pid. */
pid_t fork_exec(const char *stage, char *const argv[], int in, int out)
{
	pid_t pid = fork();
	if (pid < 0)
		cli_fatal(B.c, "cannot start %s: %s", stage, strerror(errno));
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (in >= 0 && dup2(in, 0) < 0)
			_exit(127);
		if (out >= 0 && dup2(out, 1) < 0)
			_exit(127);
		/* every other descriptor of the pipeline is closed by O_CLOEXEC */
		execv(argv[0], argv);
		fprintf(stderr, "korpus build: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void spawn(struct proc *p)
{
	p->pid = fork_exec(p->stage, p->argv, p->in, p->out);
	if (p->in >= 0)
		close(p->in);
	if (p->out >= 0)
		close(p->out);
}

/* Each stage reads its options (--check-options) before anything runs: a
 * value a stage does not take is the build's usage error, exit 2, with the
 * stage's own message -- not a failed run after the others started. */
void check_stage_options(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		cli_fatal(B.c, "/dev/null: %s", strerror(errno));
	for (int i = 0; i < B.nprocs; i++) {
		struct proc *p = &B.procs[i];
		char *argv[MAXARGS + 1];
		memcpy(argv, p->argv, (size_t)p->argc * sizeof *argv);
		argv[p->argc] = (char *)"--check-options";
		argv[p->argc + 1] = NULL;
		pid_t pid = fork_exec(p->stage, argv, null, null);
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				cli_fatal(B.c, "waiting for %s: %s", p->stage, strerror(errno));
		if (WIFEXITED(st) && WEXITSTATUS(st) == CLI_EXIT_USAGE)
			exit(CLI_EXIT_USAGE);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			cli_fatal(B.c, "stage %s did not start (status %d)", p->stage, st);
	}
	close(null);
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

double now(void)
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
int run(int progress)
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
		r->file = -1;
		r->by_source = 1;
		if (i + 1 < fan) {
			pipe_pair(q);
			r->to[r->nto++] = q[1];
			prev_out = q[0];
		} else {
			/* the fan-out: the file sink, pack, and the split and stats branches */
			if (B.sink >= 0)
				r->file = r->to[r->nto++] = B.sink;
			for (int k = fan; k < B.nprocs; k++) {
				if (k == B.split_at) {
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
					s->file = -1;
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
				(unsigned long long)r->docs, stage_names[last_chain_stage()],
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
		cli_error(B.c, "a stage was stopped%s", B.task ? "" : "; nothing was published");
		return -1;
	}
	const struct proc *p = &B.procs[blame];
	if (WIFEXITED(p->status))
		cli_error(B.c, "stage %s failed (exit status %d)%s", p->stage, WEXITSTATUS(p->status),
			  B.task ? "" : "; nothing was published");
	else
		cli_error(B.c, "stage %s was killed by signal %d (%s)%s", p->stage, WTERMSIG(p->status),
			  strsignal(WTERMSIG(p->status)), B.task ? "" : "; nothing was published");
	return -1;
}

/* ---- after the run ------------------------------------------------------------------- */

/* Documents of the corpus whose id an earlier one has, from its index
 * (0 when the corpus has none: --stages without pack); of a sharded
 * build, within each shard's file. */
static uint64_t repeated_ids(void)
{
	uint64_t n = 0;
	for (int i = 0; B.on[S_PACK] && i < (B.shards ? B.shards : 1); i++) {
		char path[sizeof B.tmp + 64];
		if (B.shards)
			snprintf(path, sizeof path, "%s/corpus-%05d.jsonl.gz", B.tmp, i);
		else
			snprintf(path, sizeof path, "%s/corpus.jsonl.gz", B.tmp);
		kp_packfile *f = NULL;
		if (kp_packfile_open(&f, path, NULL, NULL) < 0)
			continue;
		n += kp_packfile_repeated_ids(f);
		kp_packfile_close(f);
	}
	return n;
}

/* The whole of a file of at most 256 MB into t (NUL-terminated); < 0 when
 * it cannot be read. */
int slurp(const char *path, sbuf *t)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[65536];
	size_t n;
	int bad = 0;
	while (!bad && (n = fread(buf, 1, sizeof buf, f)) > 0)
		bad = sb_add(t, buf, n) < 0 || t->len > ((size_t)256 << 20);
	bad |= ferror(f);
	fclose(f);
	return bad || sb_add(t, "", 1) < 0 ? -1 : (int)(t->len--, 0);
}

/* A JSON file, parsed; NULL when it cannot be read or is not JSON. */
yajl_val json_file(const char *path)
{
	sbuf t = {0};
	yajl_val v = slurp(path, &t) < 0 ? NULL : yajl_tree_parse(t.p, NULL, 0); /* NULL: no message wanted */
	sb_free(&t);
	return v;
}

/* A string value's characters ("" for any other value). */
const char *ystr(yajl_val v)
{
	const char *p = YAJL_IS_STRING(v) ? v->u.string : NULL;
	return p ? p : "";
}

static const char *ynum(yajl_val v)
{
	const char *p = YAJL_IS_NUMBER(v) ? v->u.number.r : NULL;
	return p ? p : "";
}

yajl_val member(yajl_val obj, const char *key, yajl_type type)
{
	const char *path[] = {key, NULL};
	return obj ? yajl_tree_get(obj, path, type) : NULL;
}

/* What the stages removed, by reason: from the records of removed.jsonl.gz. */
#define MAX_EXAMPLES 3
#define MAX_REASONS 256 /* reasons are rule names: few; past it, "(other)" */
struct reason {
	int side;        /* the side file (its stage and unit) */
	char name[64];   /* rule, kind or reason */
	uint64_t n;
	int nex, tries;
	char *ex[MAX_EXAMPLES]; /* a few, as JSON strings */
};
static struct reason reasons[MAX_REASONS];
static int nreasons;

const char *const side_files[NSIDES][3] = {{"skipped.jsonl", "import", "documents"},
						  {"removed-clean.jsonl", "clean", "spans"},
						  {"removed-filter.jsonl", "filter", "documents"},
						  {"dups.jsonl", "dedup", "documents"},
						  {"removed-paras.jsonl", "dedup", "paragraphs"}};

/* The number member key of record r between before and after, if any. */
static void number_note(sbuf *e, yajl_val r, const char *key, const char *before, const char *after)
{
	yajl_val v = member(r, key, yajl_t_number);
	if (v) {
		sb_adds(e, before);
		sb_adds(e, ynum(v));
		sb_adds(e, after);
	}
}

/* An example of a removal as a JSON string: the text removed, or what the
 * record says of the document. */
static char *example_of(const char *line, size_t len)
{
	char *copy = strndup(line, len);
	yajl_val r = copy ? yajl_tree_parse(copy, NULL, 0) : NULL; /* NULL: no message wanted */
	free(copy);
	if (!r)
		return NULL;
	sbuf e = {0}, q = {0};
	const char *id = ystr(member(r, "id", yajl_t_string)), *text = ystr(member(r, "text", yajl_t_string));
	/* a document dropped whole (filter): its id and the start of its text */
	const char *whole = ystr(member(member(r, "document", yajl_t_object), "text", yajl_t_string));
	if (!*text && *whole) {
		sb_adds(&e, id);
		sb_adds(&e, ": ");
		text = whole;
	}
	if (*text) {
		size_t tl = strlen(text), cut = tl > 160 ? 160 : tl;
		while (cut < tl && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
		sb_add(&e, text, cut);
		if (cut < tl)
			sb_adds(&e, "…");
		number_note(&e, r, "documents", " (in ", " documents)");
	} else {
		sb_adds(&e, id);
		const char *of = ystr(member(r, "dup_of", yajl_t_string)), *file = ystr(member(r, "file", yajl_t_string));
		if (*of) {
			sb_adds(&e, " = ");
			sb_adds(&e, of);
			number_note(&e, r, "jaccard", " (Jaccard ", ")");
		} else if (*file) {
			sb_adds(&e, " (");
			sb_adds(&e, file);
			number_note(&e, r, "line", ":", "");
			sb_adds(&e, ")");
		}
	}
	yajl_tree_free(r);
	int rc = e.oom ? -1 : sb_json(&q, e.p ? e.p : "", e.len) | sb_add(&q, "", 1);
	sb_free(&e);
	if (rc < 0) {
		sb_free(&q);
		return NULL;
	}
	return q.p;
}

/* Count a record of side file `side` under its reason (name, n: the
 * record's "reason", "kind" or "rule"; NULL when it has none). */
static void note_reason(int side, const char *name, size_t n, const char *line, size_t len)
{
	if (!name || n >= sizeof reasons[0].name) {
		name = "(other)";
		n = 7;
	}
	struct reason *r = NULL;
	for (int i = 0; i < nreasons && !r; i++)
		if (reasons[i].side == side && strlen(reasons[i].name) == n && !memcmp(reasons[i].name, name, n))
			r = &reasons[i];
	if (!r && nreasons < MAX_REASONS) {
		r = &reasons[nreasons++];
		r->side = side;
		snprintf(r->name, sizeof r->name, "%.*s", (int)n, name);
	}
	if (!r)
		r = &reasons[MAX_REASONS - 1];
	r->n++;
	if (r->nex < MAX_EXAMPLES && r->tries++ < 8 * MAX_EXAMPLES && (r->ex[r->nex] = example_of(line, len))) {
		/* examples that differ: a repeated paragraph has a record per document */
		int seen = 0;
		for (int k = 0; k < r->nex && !seen; k++)
			seen = !strcmp(r->ex[k], r->ex[r->nex]);
		if (seen)
			free(r->ex[r->nex]);
		else
			r->nex++;
	}
}

/* removed.jsonl.gz: each side file's records with their "stage" first,
 * counted by reason; lines[] gets the lines of each side file (import,
 * clean, filter, dedup's documents and its paragraphs), noprose those of clean's
 * that record a document dropped with no prose left, foreign those of
 * filter's that record a paragraph taken out (not a document dropped). */
static void write_removed(uint64_t lines[NSIDES], uint64_t *noprose, uint64_t *foreign)
{
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/removed.jsonl.gz", B.tmp);
	kp_writer *w = kp_writer_new();
	kp_doc *rec = kp_doc_new(0, KP_DOC_TEXT_OPTIONAL);
	if (!w || !rec || kp_writer_open(w, path, KP_WRITE_GZIP, B.level) < 0)
		cli_fatal(B.c, "%s: cannot write", path);
	for (int s = 0; s < NSIDES; s++) {
		const char *key = s == SIDE_IMPORT ? "reason" : s == SIDE_DUPS ? "kind" : "rule";
		char in[sizeof B.tmp + 64];
		snprintf(in, sizeof in, "%s/%s", B.tmp, side_files[s][0]);
		FILE *f = fopen(in, "rb");
		if (!f)
			continue;
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		char head[64];
		int hl = snprintf(head, sizeof head, "{\"stage\":\"%s\",", side_files[s][1]);
		while ((n = getline(&line, &cap, f)) > 0) {
			lines[s]++;
			if (line[0] != '{')
				continue;
			/* the record's reason, read as JSON (a document's id or text
			 * may hold anything) */
			const char *name = NULL, *raw;
			size_t nl = 0, rl;
			size_t body = (size_t)n - (line[n - 1] == '\n');
			if (kp_doc_parse(rec, line, body) < 0 || kp_doc_get_str(rec, key, &name, &nl) <= 0)
				name = NULL;
			/* a document clean dropped whole: its text is in the record */
			if (s == SIDE_CLEAN && name && nl == 8 && !memcmp(name, "no-prose", 8) &&
			    kp_doc_get_raw(rec, "text", &raw, &rl))
				(*noprose)++;
			*foreign += s == SIDE_FILTER && name && nl == 17 && !memcmp(name, "foreign-paragraph", 17);
			note_reason(s, name, nl, line, (size_t)n);
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
	kp_doc_free(rec);
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
int fingerprint(sbuf *o, char **inputs, int ninputs)
{
	int rc = sb_adds(o, "{\"stages\":[");
	for (int s = 0, first = 1; s < NSTAGES; s++)
		if (B.on[s]) {
			rc |= sb_adds(o, first ? "\"" : ",\"") | sb_adds(o, stage_names[s]) | sb_adds(o, "\"");
			first = 0;
		}
	rc |= sb_adds(o, B.no_paragraphs ? "],\"paragraphs\":false" : "],\"paragraphs\":true");
	char num[128];
	if (B.shards) {
		/* the shards make other output files; the executor and the
		 * partitions change nothing in them */
		snprintf(num, sizeof num, ",\"shards\":%d", B.shards);
		rc |= sb_adds(o, num);
	}
	snprintf(num, sizeof num, ",\"level\":%d,\"options\":{", B.level);
	rc |= sb_adds(o, num);
	/* the stage options given: a flag true, a repeatable one a list */
	for (size_t i = 0, first = 1; i < NPASS; i++) {
		if (!B.val[i])
			continue;
		rc |= sb_adds(o, first ? "\"" : ",\"") | sb_adds(o, passes[i].name) | sb_adds(o, "\":");
		first = 0;
		if (!passes[i].arg) {
			rc |= sb_adds(o, "true");
			continue;
		}
		rc |= passes[i].many ? sb_adds(o, "[") : 0;
		for (const char *v = B.val[i];;) {
			const char *e = passes[i].many ? strchr(v, '\n') : NULL;
			size_t n = e ? (size_t)(e - v) : strlen(v);
			rc |= sb_json(o, v, n);
			if (!e)
				break;
			rc |= sb_adds(o, ",");
			v = e + 1;
		}
		rc |= passes[i].many ? sb_adds(o, "]") : 0;
	}
	rc |= sb_adds(o, "}");
	rc |= sb_adds(o, ",\"inputs\":[");
	for (int i = 0; i < ninputs; i++) {
		struct tree t = {0, 0, 0};
		walk(inputs[i], &t);
		rc |= sb_adds(o, i ? ",{\"path\":" : "{\"path\":") | sb_jsons(o, inputs[i]);
		snprintf(num, sizeof num, ",\"files\":%llu,\"bytes\":%llu,\"newest\":%llu}", t.files, t.bytes,
			 t.newest);
		rc |= sb_adds(o, num);
	}
	rc |= sb_adds(o, "]}");
	return rc < 0 ? -1 : 0;
}

static const char *const outputs[] = {"corpus.jsonl.gz", "corpus.jsonl.gz.kpi", "sentences.txt.gz", "sentences.txt.gz.kpi",
				      "removed.jsonl.gz", "stats.json", "report.html", NULL};

/* Is name one of a build's outputs (a sharded build's corpus-NNNNN.jsonl.gz
 * and sentences-NNNNN.txt.gz among them)? */
int is_output_name(const char *name)
{
	for (int i = 0; outputs[i]; i++)
		if (!strcmp(name, outputs[i]))
			return 1;
	static const char *const shard_kinds[][2] = {{"corpus-", ".jsonl.gz"}, {"sentences-", ".txt.gz"}};
	for (int k = 0; k < 2; k++) {
		size_t pl = strlen(shard_kinds[k][0]);
		if (strncmp(name, shard_kinds[k][0], pl))
			continue;
		const char *q = name + pl;
		int digits = 0;
		while (*q >= '0' && *q <= '9')
			q++, digits++;
		if (digits >= 5 && (!strcmp(q, shard_kinds[k][1]) ||
				    (!strncmp(q, shard_kinds[k][1], strlen(shard_kinds[k][1])) &&
				     !strcmp(q + strlen(shard_kinds[k][1]), ".kpi"))))
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The outputs in B.tmp, sorted by name (a NULL-terminated array of
 * malloc'ed names). */
static char **output_names(void)
{
	DIR *d = opendir(B.tmp);
	size_t n = 0, cap = 16;
	char **v = malloc(cap * sizeof *v);
	if (!d || !v)
		cli_fatal(B.c, "%s: cannot list: %s", B.tmp, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_output_name(e->d_name))
			continue;
		if (n + 2 > cap && !(v = realloc(v, (cap *= 2) * sizeof *v)))
			cli_fatal(B.c, "out of memory");
		if (!(v[n++] = strdup(e->d_name)))
			cli_fatal(B.c, "out of memory");
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_str);
	v[n] = NULL;
	return v;
}

static void put_num(sbuf *m, const char *key, uint64_t v)
{
	char num[64];
	snprintf(num, sizeof num, ",\"%s\":%llu", key, (unsigned long long)v);
	sb_adds(m, num);
}

/* ---- the story of the build: reasons, sources, dates ----------------------------------- */

static int cmp_reason(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;
	if (x->side != y->side)
		return x->side - y->side;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->name, y->name);
}

/* The documents of source name past relay r. */
static uint64_t source_count(const struct relay *r, const char *name)
{
	struct srccount probe = {name, 0};
	void *found = tfind(&probe, (void *const *)&r->sources, cmp_srccount);
	return found ? (*(struct srccount **)found)->n : 0;
}

static struct srccount **walked;
static size_t nwalked;

static void walk_source(const void *node, VISIT v, int depth)
{
	(void)depth;
	if (v == postorder || v == leaf)
		walked[nwalked++] = *(struct srccount *const *)node;
}

static int cmp_walked(const void *a, const void *b)
{
	const struct srccount *x = *(struct srccount *const *)a, *y = *(struct srccount *const *)b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->name, y->name);
}

/* The sources counted by relay r as JSON pairs ["name",documents], the
 * most documents first. */
/* walked[]: the sources counted by relay r, the most documents first; < 0
 * when out of memory (none then). */
static int walk_sorted(const struct relay *r)
{
	walked = calloc(r->nsources + 1, sizeof *walked);
	nwalked = 0;
	if (!walked)
		return -1;
	twalk(r->sources, walk_source);
	qsort(walked, nwalked, sizeof *walked, cmp_walked);
	return 0;
}

void relay_sources_json(const struct relay *r, sbuf *m)
{
	if (walk_sorted(r) < 0)
		cli_fatal(B.c, "out of memory");
	for (size_t i = 0; i < nwalked; i++) {
		char num[32];
		sb_adds(m, i ? ",[" : "[");
		sb_jsons(m, walked[i]->name);
		snprintf(num, sizeof num, ",%llu]", (unsigned long long)walked[i]->n);
		sb_adds(m, num);
	}
	free(walked);
	walked = NULL;
}

/* A number member of a JSON object, 0 when absent. */
static unsigned long long jcount(yajl_val o, const char *key)
{
	yajl_val v = member(o, key, yajl_t_number);
	return v && YAJL_IS_INTEGER(v) ? (unsigned long long)YAJL_GET_INTEGER(v) : 0;
}

/* A JSON file of the build folder, parsed (NULL when absent or not JSON). */
static yajl_val read_json(const char *name)
{
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/%s", B.tmp, name);
	return json_file(path);
}

/* "removed" (each reason with its count and examples), "sources" (each
 * source's documents through the stages, and its tokens) and "dates". */
static void story(sbuf *m)
{
	char num[256];
	qsort(reasons, (size_t)nreasons, sizeof reasons[0], cmp_reason);
	sb_adds(m, ",\"removed\":[");
	for (int i = 0; i < nreasons; i++) {
		const struct reason *r = &reasons[i];
		/* clean's and filter's records are of spans and paragraphs, but
		 * no-prose, which is a document dropped, and filter's documents */
		const char *unit = side_files[r->side][2];
		if (r->side == SIDE_CLEAN && !strcmp(r->name, "no-prose"))
			unit = "documents";
		else if (r->side == SIDE_FILTER && !strcmp(r->name, "foreign-paragraph"))
			unit = "paragraphs";
		snprintf(num, sizeof num, "%s{\"stage\":\"%s\",\"unit\":\"%s\",\"reason\":", i ? "," : "",
			 side_files[r->side][1], unit);
		sb_adds(m, num);
		sb_jsons(m, r->name);
		snprintf(num, sizeof num, ",\"count\":%llu,\"examples\":[", (unsigned long long)r->n);
		sb_adds(m, num);
		for (int k = 0; k < r->nex; k++) {
			sb_adds(m, k ? "," : "");
			sb_adds(m, r->ex[k]);
		}
		sb_adds(m, "]}");
	}
	sb_adds(m, "]");
	/* sources: the relays after import, clean, filter and dedup */
	const struct relay *first = &B.relays[0], *last = &B.relays[fanout_index() - 1];
	const struct relay *before_dedup = B.on[S_DEDUP] ? &B.relays[fanout_index() - 2] : NULL;
	const struct relay *after_clean = B.on[S_CLEAN] ? relay_after(S_CLEAN) : NULL;
	const struct relay *after_filter = B.on[S_FILTER] ? relay_after(S_FILTER) : NULL;
	const struct relay *before_filter = B.on[S_FILTER] ? relay_after(S_FILTER) - 1 : NULL;
	yajl_val stats = B.on[S_STATS] ? read_json("stats.json") : NULL;
	yajl_val rows = member(stats, "sources", yajl_t_array);
	for (int i = 0; i < B.nrelays; i++)
		if (B.relays[i].sources_lost) {
			cli_note(B.c, "out of memory while counting documents per source: the sources table is incomplete");
			break;
		}
	walk_sorted(first); /* out of memory: no sources listed */
	sb_adds(m, ",\"sources\":[");
	for (size_t i = 0; i < nwalked; i++) {
		const char *name = walked[i]->name;
		uint64_t in = walked[i]->n, out = source_count(last, name);
		uint64_t cleaned = after_clean ? source_count(after_clean, name) : in;
		uint64_t dups = before_dedup ? source_count(before_dedup, name) - out : 0;
		uint64_t filtered = after_filter ? source_count(before_filter, name) - source_count(after_filter, name) : 0;
		unsigned long long tokens = 0;
		for (size_t k = 0; rows && k < rows->u.array.len; k++) {
			yajl_val row = rows->u.array.values[k];
			if (YAJL_IS_ARRAY(row) && row->u.array.len >= 3 && !strcmp(ystr(row->u.array.values[0]), name) &&
			    YAJL_IS_INTEGER(row->u.array.values[2]))
				tokens = (unsigned long long)YAJL_GET_INTEGER(row->u.array.values[2]);
		}
		sb_adds(m, i ? ",{\"source\":" : "{\"source\":");
		sb_jsons(m, name);
		snprintf(num, sizeof num,
			 ",\"documents_in\":%llu,\"no_prose\":%llu,\"filtered\":%llu,\"duplicates\":%llu,"
			 "\"documents_out\":%llu,\"tokens\":%llu}",
			 (unsigned long long)in, (unsigned long long)(in - cleaned), (unsigned long long)filtered,
			 (unsigned long long)dups, (unsigned long long)out, tokens);
		sb_adds(m, num);
	}
	sb_adds(m, "]");
	free(walked);
	walked = NULL;
	/* dates: read by import, and the documents out without one */
	yajl_val counts = read_json("import-counts.json");
	unsigned long long months = 0, docs = jcount(stats, "documents");
	yajl_val mrows = member(stats, "months", yajl_t_array);
	for (size_t k = 0; mrows && k < mrows->u.array.len; k++) {
		yajl_val row = mrows->u.array.values[k];
		if (YAJL_IS_ARRAY(row) && row->u.array.len >= 2 && YAJL_IS_INTEGER(row->u.array.values[1]))
			months += (unsigned long long)YAJL_GET_INTEGER(row->u.array.values[1]);
	}
	snprintf(num, sizeof num, ",\"dates\":{\"read\":%llu,\"not_understood\":%llu", jcount(counts, "dated"),
		 jcount(counts, "undated"));
	sb_adds(m, num);
	const char *ex = ystr(member(counts, "undated_example", yajl_t_string));
	if (*ex) {
		sb_adds(m, ",\"not_understood_example\":");
		sb_jsons(m, ex);
	}
	/* dates only the other order than --date-order's could read: a sign
	 * the export writes them the other way */
	snprintf(num, sizeof num, ",\"other_order\":%llu", jcount(counts, "dated_other_order"));
	sb_adds(m, num);
	ex = ystr(member(counts, "other_order_example", yajl_t_string));
	if (*ex) {
		sb_adds(m, ",\"other_order_example\":");
		sb_jsons(m, ex);
	}
	if (stats) {
		snprintf(num, sizeof num, ",\"documents_out_undated\":%llu", docs - months);
		sb_adds(m, num);
	}
	sb_adds(m, "}");
	yajl_tree_free(counts);
	yajl_tree_free(stats);
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/import-counts.json", B.tmp);
	unlink(path);
}

/* report.html from the manifest so far and stats.json. */
static void write_report(const sbuf *m)
{
	sbuf man = {0}, html = {0}, st = {0};
	if (m->oom || sb_add(&man, m->p, m->len) < 0 || sb_adds(&man, "}") < 0)
		cli_fatal(B.c, "out of memory");
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/stats.json", B.tmp);
	if (B.on[S_STATS] && slurp(path, &st) < 0)
		cli_fatal(B.c, "%s: cannot read", path);
	if (build_html(man.p, man.len, st.p, st.len, &html) < 0)
		cli_fatal(B.c, "cannot write the report (out of memory, or a stage's report is not JSON)");
	snprintf(path, sizeof path, "%s/report.html", B.tmp);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(html.p, 1, html.len, f) != html.len || fclose(f) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
	sb_free(&man);
	sb_free(&html);
	sb_free(&st);
}

/* The stages' accounting and the outputs' digests; < 0 when documents do
 * not add up. */
/* What the side files counted. */

static int write_manifest(const char *fp, double seconds, const struct dropped *d)
{
	sbuf m = {0};
	char num[128];
	int fan = fanout_index(), ok = 1, k = 0;
	sb_adds(&m, "{\"korpus_build\":1,\"version\":\"");
	sb_adds(&m, kp_version());
	sb_adds(&m, "\",\"build\":");
	sb_adds(&m, fp);
	if (B.shards)
		shards_manifest(&m);
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
			uint64_t dropped = s == S_IMPORT   ? d->skipped
					   : s == S_CLEAN  ? d->noprose
					   : s == S_FILTER ? d->filtered
					   : s == S_DEDUP  ? d->dups
							   : 0;
			if (s == S_IMPORT)
				in = r->docs + d->skipped;
			put_num(&m, "documents_in", in);
			put_num(&m, "documents_out", r->docs);
			put_num(&m, "dropped", dropped);
			put_num(&m, "bytes_out", r->bytes);
			if (s == S_CLEAN)
				put_num(&m, "spans_removed", d->spans);
			if (s == S_DEDUP && !B.no_paragraphs)
				put_num(&m, "paragraphs_removed", d->paras);
			if (s == S_FILTER && pass_value("drop-foreign-paragraphs"))
				put_num(&m, "paragraphs_removed", d->foreign);
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
	sb_adds(&m, "]");
	story(&m);
	snprintf(num, sizeof num, ",\"ids_repeated\":%llu,\"balanced\":%s", (unsigned long long)d->repeated, ok ? "true" : "false");
	sb_adds(&m, num);
	/* the report shows the manifest but its digests (it is one of them) */
	write_report(&m);
	sb_adds(&m, ",\"outputs\":{");
	int first = 1;
	char **names = output_names();
	for (int i = 0; names[i]; i++) {
		char path[sizeof B.tmp + NAME_MAX + 2], hex[65];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", B.tmp, names[i]);
		if (stat(path, &st) < 0 || sha256_file(path, hex) < 0)
			continue;
		sb_adds(&m, first ? "\"" : ",\"");
		first = 0;
		sb_adds(&m, names[i]);
		snprintf(num, sizeof num, "\":{\"bytes\":%lld,\"sha256\":\"%s\"}", (long long)st.st_size, hex);
		sb_adds(&m, num);
	}
	for (int i = 0; names[i]; i++)
		free(names[i]);
	free(names);
	if (sb_adds(&m, "}}\n") < 0) /* the adds above failed, or this one */
		cli_fatal(B.c, "out of memory");
	char path[sizeof B.tmp + 64];
	snprintf(path, sizeof path, "%s/manifest.json", B.tmp);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(m.p, 1, m.len, f) != m.len || fclose(f) != 0)
		cli_fatal(B.c, "%s: cannot write", path);
	sb_free(&m);
	return ok ? 0 : -1;
}

int rm_tree(const char *path)
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
	yajl_val root = json_file(path);
	const char *key[] = {"korpus_build", NULL};
	if (root && (!YAJL_IS_OBJECT(root) || !yajl_tree_get(root, key, yajl_t_number))) {
		yajl_tree_free(root);
		root = NULL;
	}
	return root;
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
char *resolved(const char *path)
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
		if (!is_output_name(e->d_name)) {
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

/* ---- --config FILE ---------------------------------------------------------------- */

static struct {
	char **v;
	int n, cap;
} cargv;

/* Add an argument (s, not copied). */
static void cargv_put(char *s)
{
	if (cargv.n + 2 > cargv.cap) {
		cargv.cap = cargv.cap ? 2 * cargv.cap : 64;
		char **v = realloc(cargv.v, (size_t)cargv.cap * sizeof *v);
		if (!v)
			cli_fatal(B.c, "out of memory");
		cargv.v = v;
	}
	cargv.v[cargv.n++] = s;
	cargv.v[cargv.n] = NULL;
}

static void cargv_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void cargv_add(const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	int rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		cli_fatal(B.c, "out of memory");
	cargv_put(s);
}

/* A config value as option text: a string as it is, a number as written. */
static const char *config_scalar(const char *file, const char *key, yajl_val v)
{
	if (YAJL_IS_STRING(v))
		return v->u.string;
	if (YAJL_IS_NUMBER(v))
		return v->u.number.r;
	cli_usage_error(B.c, "%s: \"%s\": expected a string or a number", file, key);
	return NULL;
}

/* The options of a config file, as the command-line arguments they stand
 * for (the real command line comes after them, so it goes over them). */
static void config_args(const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		cli_usage_error(B.c, "--config %s: %s", file, strerror(errno));
	sbuf t = {0};
	char buf[4096], err[256];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (sb_add(&t, buf, n) < 0 || t.len > (1u << 20))
			cli_usage_error(B.c, "--config %s: too large for a config (over 1 MB)", file);
	fclose(f);
	if (sb_add(&t, "", 1) < 0)
		cli_fatal(B.c, "out of memory");
	yajl_val root = yajl_tree_parse(t.p, err, sizeof err);
	sb_free(&t);
	if (!root)
		cli_usage_error(B.c, "--config %s: not JSON: %s", file, strtok(err, "\n"));
	if (!YAJL_IS_OBJECT(root))
		cli_usage_error(B.c, "--config %s: expected a JSON object of options", file);
	for (size_t i = 0; i < root->u.object.len; i++) {
		const char *k = root->u.object.keys[i];
		yajl_val v = root->u.object.values[i];
		const struct option *o = NULL;
		for (const struct option *q = options; q->name && !o; q++)
			o = strcmp(q->name, k) ? NULL : q;
		int many = 0;
		for (size_t p = 0; p < NPASS; p++)
			many |= !strcmp(passes[p].name, k) && passes[p].many;
		if (!strcmp(k, "jobs") || !strcmp(k, "level")) {
			cargv_add("--%s=%s", k, config_scalar(file, k, v));
			continue;
		}
		if (!o || o->val == OPT_CONFIG || o->val == OPT_DRY_RUN)
			cli_usage_error(B.c, "%s: \"%s\" is not an option a config can hold (see korpus build --help)", file, k);
		if (o->has_arg == no_argument) {
			if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
				cli_usage_error(B.c, "%s: \"%s\": expected true or false", file, k);
			if (YAJL_IS_TRUE(v))
				cargv_add("--%s", k);
		} else if (YAJL_IS_ARRAY(v)) {
			/* a repeatable option once per value; a list joined by commas */
			sbuf j = {0};
			for (size_t a = 0; a < v->u.array.len; a++) {
				const char *s = config_scalar(file, k, v->u.array.values[a]);
				if (many)
					cargv_add("--%s=%s", k, s);
				else if ((a && sb_adds(&j, ",") < 0) || sb_adds(&j, s) < 0)
					cli_fatal(B.c, "out of memory");
			}
			if (!many && v->u.array.len) {
				cargv_add("--%s=%.*s", k, (int)j.len, j.p);
			}
			sb_free(&j);
		} else {
			cargv_add("--%s=%s", k, config_scalar(file, k, v));
		}
	}
	yajl_tree_free(root);
}

/* The options: a config file's before the command line's, then the
 * build's defaults of stage options and the values it refuses.  Sets *dry
 * and *force. */
void parse_options(cli *c, int argc, char **argv, int *dry, int *force)
{
	cargv_put(argv[0]);
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config_args(argv[i + 1]);
		else if (!strncmp(argv[i], "--config=", 9))
			config_args(argv[i] + 9);
	}
	for (int i = 1; i < argc; i++)
		cargv_put(argv[i]);
	int opt;
	for (int s = 0; s < NSTAGES; s++)
		B.on[s] = 1;
	while ((opt = cli_getopt(c, cargv.n, cargv.v)) != -1) {
		switch (opt) {
		case OPT_DRY_RUN: *dry = 1; break;
		case OPT_FORCE: *force = 1; break;
		case OPT_CONFIG: break; /* read above */
		case OPT_NO_PARAGRAPHS: B.no_paragraphs = 1; break;
		case OPT_SHARDS: B.shards = (int)cli_parse_long(c, "--shards", optarg, 1, 100000); break;
		case OPT_PARTITIONS: B.partitions = (int)cli_parse_long(c, "--partitions", optarg, 1, 100000); break;
		case OPT_TASK_JOBS: B.task_jobs = (int)cli_parse_long(c, "--tasks", optarg, 1, 4096); break;
		case OPT_SSHLOGINFILE: B.sshloginfile = optarg; break;
		case OPT_SLURM_OPTS: B.slurm_opts = optarg; break;
		case OPT_EXECUTOR:
			if (!strcmp(optarg, "local"))
				B.executor = EX_LOCAL;
			else if (!strcmp(optarg, "parallel"))
				B.executor = EX_PARALLEL;
			else if (!strcmp(optarg, "slurm"))
				B.executor = EX_SLURM;
			else
				cli_usage_error(c, "--executor: expected local, parallel or slurm, not '%s'", optarg);
			B.executor_given = 1;
			break;
		default:
			if (opt >= OPT_PASS && opt < OPT_PASS + (int)NPASS)
				pass_set((size_t)(opt - OPT_PASS), passes[opt - OPT_PASS].arg ? optarg : "");
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
					cli_usage_error(c, "--stages: no stage '%s' (import,clean,norm,filter,dedup,split,pack,stats)", t);
			}
			free(list);
			break;
		}
		}
	}
	if (!c->output || !strcmp(c->output, "-"))
		cli_usage_error(c, "-o OUTDIR is required");
	if (!c->ninputs)
		cli_usage_error(c, "give the articles to build from (folders, files)");
	B.jobs = c->jobs;
	B.level = c->level ? c->level : 6;
	/* as given: a task reads a --config file again itself */
	B.argv = argv;
	B.argc = argc;
	if (c->gzip)
		cli_usage_error(c, "-z: the outputs of a build are always gzip (--level sets the level)");
	/* the build's own defaults of stage options (Indonesian documents kept,
	 * unless language identification is off), and the values a build
	 * cannot take */
	static const char *const defaults[][2] = {{"unglue", "all"}, {"pii", "annotate"}, {"keep-lang", "ind"}};
	for (size_t d = 0; d < sizeof defaults / sizeof defaults[0]; d++) {
		size_t i = pass_index(defaults[d][0]);
		if (!B.val[i] && !(d == 2 && B.val[pass_index("no-lang")]))
			pass_set(i, defaults[d][1]);
	}
	if (!B.shards && (B.executor_given || B.partitions || B.task_jobs || B.sshloginfile || B.slurm_opts))
		cli_usage_error(c, "--executor, --partitions, --tasks, --sshloginfile and --slurm-opts go with --shards N");
	const char *keep = B.val[pass_index("keep")];
	if (keep && strcmp(keep, "first"))
		cli_usage_error(c, "--keep %s: the build's dedup streams and keeps the first of duplicates; longest and "
			       "newest need the staged korpus-dedup (sign, cluster --keep, apply)",
			keep);
}

/* B.out from -o (an OUTDIR that is a symbolic link is built where it
 * leads, the link staying, as every -o writes through links), B.tmp beside
 * it, B.dir where the tools are. */
void set_paths(cli *c, const char *tag)
{
	const char *out = c->output;
	size_t ol = strlen(out);
	while (ol > 1 && out[ol - 1] == '/')
		ol--;
	if (ol >= PATH_MAX - 64)
		cli_usage_error(c, "-o: the path is too long");
	snprintf(B.out, sizeof B.out, "%.*s", (int)ol, out);
	struct stat lst;
	if (lstat(B.out, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		char *target = realpath(B.out, NULL);
		if (!target)
			cli_fatal(c, "-o %s: a symbolic link to nothing (%s)", B.out, strerror(errno));
		if (strlen(target) >= PATH_MAX - 64)
			cli_usage_error(c, "-o: the path is too long");
		snprintf(B.out, sizeof B.out, "%s", target);
		free(target);
	}
	snprintf(B.tmp, sizeof B.tmp, "%s.%s.build", B.out, tag);
	ssize_t n = readlink("/proc/self/exe", B.dir, sizeof B.dir - 1);
	if (n <= 0)
		cli_fatal(c, "cannot find the korpus tools");
	B.dir[n] = '\0';
	*strrchr(B.dir, '/') = '\0';
}

/* The build folder, its parents as mkdir -p, and the signals that stop a
 * build. */
static void prepare_tmp(cli *c)
{
	for (char *q = B.out + 1; (q = strchr(q, '/')); q++) {
		*q = '\0';
		if (mkdir(B.out, 0777) < 0 && errno != EEXIST)
			cli_fatal(c, "%s: cannot create: %s", B.out, strerror(errno));
		*q = '/';
	}
	if (mkdir(B.tmp, 0777) < 0)
		cli_fatal(c, "%s: cannot create: %s", B.tmp, strerror(errno));
	prepare_signals();
}

/* The signals that stop a build (or a task): noted, the stages stopped. */
void prepare_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The new folder in place of the old one (OUTDIR may have changed during
 * the build: checked again). */
static void publish(cli *c, const char *tag, int force)
{
	char old[sizeof B.tmp + 64];
	snprintf(old, sizeof old, "%s.%s.old", B.out, tag);
	check_outdir(c->inputs, c->ninputs, force);
	struct stat st;
	int had = lstat(B.out, &st) == 0;
	if (had && rename(B.out, old) < 0) {
		rm_tree(B.tmp);
		cli_fatal(c, "%s: cannot replace: %s", B.out, strerror(errno));
	}
	if (rename(B.tmp, B.out) < 0) {
		int e = errno;
		if (had)
			rename(old, B.out);
		rm_tree(B.tmp);
		cli_fatal(c, "%s: cannot publish: %s", B.out, strerror(e));
	}
	if (had)
		rm_tree(old);
}

/* The summary and, unless -q, the report's table on stderr. */
static void summarize(cli *c, const struct dropped *d, double seconds)
{
	const struct relay *last = &B.relays[fanout_index() - 1];
	cli_note(c, "%s: %llu documents (%llu skipped, %llu without prose, %llu filtered, %llu duplicates) in %.1f s; "
		    "report: %s/report.html",
		 B.out, (unsigned long long)last->docs, (unsigned long long)d->skipped, (unsigned long long)d->noprose,
		 (unsigned long long)d->filtered, (unsigned long long)d->dups, seconds, B.out);
	if (d->repeated)
		cli_note(c, "%s: %llu documents repeat an earlier document's id (ids_repeated in the manifest)", B.out,
			 (unsigned long long)d->repeated);
	if (c->quiet)
		return;
	char mpath[PATH_MAX + 64];
	snprintf(mpath, sizeof mpath, "%s/manifest.json", B.out);
	sbuf mt = {0}, table = {0};
	cli_read_file(c, mpath, &mt);
	if (build_table(mt.p, mt.len, &table) == 0)
		fwrite(table.p, 1, table.len, stderr);
	sb_free(&mt);
	sb_free(&table);
}

static void build_free(void)
{
	for (int i = 0; i < B.nrelays; i++)
		tdestroy(B.relays[i].sources, free_srccount);
	for (int i = 0; i < nreasons; i++)
		for (int k = 0; k < reasons[i].nex; k++)
			free(reasons[i].ex[k]);
	for (size_t i = 0; i < NPASS; i++)
		free(B.val[i]);
	free(B.val);
	for (int i = 0; i < B.nprocs; i++)
		for (int k = 0; k < B.procs[i].argc; k++)
			free(B.procs[i].argv[k]);
}

/* After a run whose outputs are in B.tmp: removed.jsonl.gz, the manifest
 * and report, the folder published, the summary.  The exit status. */
int finish_build(cli *c, const char *fp, const char *tag, int force, double t0)
{
	uint64_t lines[NSIDES] = {0}, noprose = 0, foreign = 0;
	write_removed(lines, &noprose, &foreign);
	struct dropped d = {lines[SIDE_IMPORT], lines[SIDE_CLEAN] - noprose, noprose, lines[SIDE_FILTER] - foreign,
			    lines[SIDE_DUPS], lines[SIDE_PARAS], repeated_ids(), foreign};
	if (write_manifest(fp, now() - t0, &d) < 0) {
		rm_tree(B.tmp);
		cli_fatal(c, "the documents do not add up between stages (see the manifest); nothing was published");
	}
	if (B.stop) {
		rm_tree(B.tmp);
		cli_fatal(c, "interrupted; nothing was published");
	}
	publish(c, tag, force);
	summarize(c, &d, now() - t0);
	return 0;
}

/* The options table (the stage options after the build's own), and B. */
static void build_init(cli *c)
{
	for (size_t i = 0; i < NPASS; i++)
		options[NOWN + i] = (struct option){passes[i].name, passes[i].arg ? required_argument : no_argument, NULL,
						    OPT_PASS + (int)i};
	cli_init(c, &tool);
	B.c = c;
	B.sink = -1;
	B.split_at = B.stats_at = -1;
	if (!(B.val = calloc(NPASS, sizeof *B.val)))
		cli_fatal(c, "out of memory");
}

/* A task of a sharded build: its options are the build's, read again from
 * the work folder (see build_shards.c). */
int build_task_init(cli *c, int argc, char **argv)
{
	build_init(c);
	int dry = 0, force = 0;
	parse_options(c, argc, argv, &dry, &force);
	set_paths(c, "task");
	B.task = 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--task"))
		return shards_task(argc, argv);
	cli c;
	build_init(&c);
	int dry = 0, force = 0;
	parse_options(&c, argc, argv, &dry, &force);
	char tag[40];
	kp_tmp_tag(tag, sizeof tag);
	set_paths(&c, tag);
	plan(c.inputs, c.ninputs);
	check_stage_options();
	if (B.shards)
		shards_check(&c);
	if (dry) {
		if (B.shards)
			shards_dry_run(&c);
		else
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
	prepare_tmp(&c);
	double t0 = now();
	if ((B.shards ? shards_run(&c, fp.p) : run(c.progress && !c.quiet)) < 0) {
		rm_tree(B.tmp);
		if (B.stop)
			cli_error(&c, "interrupted; nothing was published");
		sb_free(&fp);
		return CLI_EXIT_DATA;
	}
	int rc = finish_build(&c, fp.p, tag, force, t0);
	if (B.shards)
		shards_done();
	sb_free(&fp);
	build_free();
	return rc;
}
