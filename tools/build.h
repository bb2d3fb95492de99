/* korpus-build's parts shared by the one-machine pipeline (korpus-build.c)
 * and the sharded build (build_shards.c): the build's state, the process
 * graph of a pipeline, and the steps after a run.  Never installed. */
#ifndef KORPUS_BUILD_H
#define KORPUS_BUILD_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <yajl/yajl_tree.h>

#include "cli.h"

enum { S_IMPORT, S_CLEAN, S_NORM, S_FILTER, S_DEDUP, S_SPLIT, S_PACK, S_STATS, NSTAGES };
extern const char *const stage_names[NSTAGES];

/* The stages' own options that a build takes and hands to the stage. */
struct pass {
	const char *name;
	int stage, arg, many;
};
extern const struct pass passes[];
extern const size_t npasses;

#define NSIDES 5 /* side files of the stages: see write_removed */
enum { SIDE_IMPORT, SIDE_CLEAN, SIDE_FILTER, SIDE_DUPS, SIDE_PARAS };
extern const char *const side_files[NSIDES][3];

#define MAXARGS 4096 /* arguments of a stage's process: the inputs among them */

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

/* Documents of a source passing a relay: a node of a tsearch() tree. */
struct srccount {
	const char *name; /* malloc'ed, but in a probe */
	uint64_t n;
};

/* The top-level "source" of each line passing a relay, read as the bytes go
 * by: a korpus document's first "source":" is its own (a string value
 * holds no bare quote, and the id before it is a string). */
struct srcscan {
	int state; /* 0: looking for the key; 1: in its value; 2: found (or given up) */
	int pos;   /* of the key matched so far */
	int esc;   /* after a backslash in the value */
	size_t len;
	char name[128];
};

#define MAX_SOURCES 10000 /* past it, sources count as "(other sources)" */

struct relay {
	int from;
	int to[3];
	int nto;
	uint64_t docs, bytes;
	int err;
	int file; /* of to[]: a file (-1: none), whose failed write is the relay's error */
	pthread_t th;
	int by_source; /* count documents per source */
	struct srcscan scan;
	void *sources; /* tsearch() tree of struct srccount */
	size_t nsources;
	int sources_lost; /* out of memory while counting them: the table is short */
};

enum executor { EX_LOCAL, EX_PARALLEL, EX_SLURM };

struct build {
	cli *c;
	char dir[PATH_MAX];      /* where the tools are */
	char tmp[PATH_MAX + 64]; /* the folder being built (a task's: its staging folder) */
	char out[PATH_MAX];      /* OUTDIR */
	int on[NSTAGES];
	int jobs, level;
	int no_paragraphs;
	char **val; /* the value of each stage option given ("" for a flag;
		     * values of a repeatable one joined by '\n'), or NULL */
	/* the process graph, as plan() lays it out: a chain of nchain
	 * processes (chain_stage[i] the stage of each, a relay after each), the
	 * last relay fanning out to pack (procs[nchain]), to split at split_at
	 * (followed by its pack) and to stats at stats_at (-1: not in the
	 * build), and to the file sink (when >= 0) */
	struct proc procs[16];
	int nprocs;
	int nchain, chain_stage[NSTAGES];
	int split_at, stats_at;
	int sink;
	struct relay relays[8];
	int nrelays;
	volatile sig_atomic_t stop;
	/* sharded builds (build_shards.c) */
	int shards, partitions; /* 0: one machine */
	enum executor executor;
	int executor_given;
	int task_jobs;            /* tasks at once (local, parallel) */
	const char *sshloginfile; /* parallel */
	const char *slurm_opts;   /* slurm: sbatch options */
	char **argv;              /* the build's command line as given, argc words */
	int task;                 /* this process is a task of a sharded build */
	int argc;
};
extern struct build B;

/* What the side files counted. */
struct dropped {
	uint64_t skipped, spans, noprose, filtered, dups, paras, repeated;
	uint64_t foreign; /* paragraphs filter took out (--drop-foreign-paragraphs) */
};

/* korpus-build.c */
void add_arg(struct proc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A process of stage `stage` in B.procs, with no arguments yet. */
struct proc *blank_proc(const char *stage);
/* korpus-VERB -q, of stage `stage`. */
struct proc *new_proc(const char *stage, const char *verb);
/* The value given of the stage option named so (NULL: not given). */
const char *pass_value(const char *name);
void jobs_arg(struct proc *p);
void stage_args(struct proc *p, int s);
struct proc *chain_proc(int st);
void plan_front(char **inputs, int ninputs, char *const *import_args, int nimport_args);
void plan_fanout(const char *vocab);
void plan(char **inputs, int ninputs);
void plan_reset(void);
void check_stage_options(void);
pid_t fork_exec(const char *stage, char *const argv[], int in, int out);
int run(int progress);
double now(void);
int rm_tree(const char *path);
void count_source(struct relay *r, const char *name, size_t n, uint64_t count);
void relay_sources_json(const struct relay *r, sbuf *m);
void print_cmd(FILE *f, const struct proc *p, const char *shown_tmp);
int fingerprint(sbuf *o, char **inputs, int ninputs);
int finish_build(cli *c, const char *fp, const char *tag, int force, double t0);
int slurp(const char *path, sbuf *t);
yajl_val json_file(const char *path);
const char *ystr(yajl_val v);
yajl_val member(yajl_val obj, const char *key, yajl_type type);
char *resolved(const char *path);
int is_output_name(const char *name);
void parse_options(cli *c, int argc, char **argv, int *dry, int *force);
void set_paths(cli *c, const char *tag);
void prepare_signals(void);

int build_task_init(cli *c, int argc, char **argv);

/* build_shards.c */
void shards_check(cli *c);
void shards_dry_run(cli *c);
int shards_run(cli *c, const char *fp);
int shards_task(int argc, char **argv);
void shards_done(void);
void shards_manifest(sbuf *m);

#endif
