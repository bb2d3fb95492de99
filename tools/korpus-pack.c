/* korpus-pack: write a corpus as blocked gzip with a random-access index. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { OPT_BLOCK_SIZE = 256, OPT_BGZF, OPT_SPLIT_SIZE, OPT_FORMAT, OPT_NO_INDEX };

static const struct option options[] = {
	{"block-size", required_argument, NULL, OPT_BLOCK_SIZE},
	{"bgzf", no_argument, NULL, OPT_BGZF},
	{"split-size", required_argument, NULL, OPT_SPLIT_SIZE},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"no-index", no_argument, NULL, OPT_NO_INDEX},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-pack",
	.summary = "Compress a corpus as blocked gzip with an index for random access",
	.synopsis = "[OPTION]... [FILE]...",
	.help = "Writes the documents as a series of independent gzip blocks that any gzip\n"
		"reader (zcat, gzip -d, pigz, Python's gzip) reads as one stream, and beside\n"
		"the output FILE an index FILE.kpi (each document's id, ordinal and place)\n"
		"through which korpus-cat --id/--range/--sample reads single documents.  The\n"
		"output bytes are the same for every -j.\n\n"
		"  --block-size SIZE    uncompressed bytes per block (default 1M; at most 64M);\n"
		"                       64K blocks cost about 5% in size, 1M about 0.4%\n"
		"  --bgzf               strict BGZF (blocks of 65280 bytes, 'BC' subfields)\n"
		"                       that htslib's bgzip and tabix also read\n"
		"  --split-size SIZE    start a new file after SIZE uncompressed bytes, at a\n"
		"                       document boundary: -o out.jsonl.gz writes\n"
		"                       out-00000.jsonl.gz, out-00001.jsonl.gz, ... each with\n"
		"                       its index\n"
		"  --format jsonl|text  documents (validated; the index knows their ids), or\n"
		"                       lines of text as they are (the index knows line\n"
		"                       ordinals)\n"
		"  --no-index           write no index (the output to stdout never has one)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-pack -j2 corpus.jsonl -o corpus.jsonl.gz    blocked gzip and its index\n"
		"  korpus-pack --split-size 1G corpus.jsonl -o corpus.jsonl.gz   files of 1 GB\n"
		"  korpus-split --format text corpus.jsonl | korpus-pack --format text -o s.txt.gz\n",
};

struct packing {
	cli *c;
	kp_pack_params pp;
	const char *output;
	size_t split;
	int index;
	int shard;
	kp_writer *w;
	kp_packer *k;
	char *path;
	uint64_t docs, in, out, files, repeated;
};

static int write_cb(void *ctx, const void *p, size_t n)
{
	struct packing *s = ctx;
	cli_write(s->c, s->w, p, n);
	return 0;
}

/* out.jsonl.gz -> out-00007.jsonl.gz: the number goes before .jsonl.gz,
 * .txt.gz, .json.gz, .gz (or at the end). */
static char *shard_name(const char *output, int n)
{
	size_t len = strlen(output), cut = len;
	static const char *const ext[] = {".jsonl.gz", ".txt.gz", ".json.gz", ".gz", ".jsonl", ".txt"};
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t el = strlen(ext[i]);
		if (len > el && !strcmp(output + len - el, ext[i]) && output[len - el - 1] != '/') {
			cut = len - el;
			break;
		}
	}
	char *p = malloc(len + 16);
	if (p)
		snprintf(p, len + 16, "%.*s-%05d%s", (int)cut, output, n, output + cut);
	return p;
}

/* The shards of an earlier run beyond the n this run wrote (NAME-NNNNN
 * with a number >= n, and their indexes): removed when the new set is
 * published, so that a glob never mixes two runs. */
static void obsolete_shards(struct packing *s, int n)
{
	cli *c = s->c;
	char *first = shard_name(s->output, 0);
	if (!first)
		cli_fatal(c, "out of memory");
	/* first = DIR/PREFIX-00000SUFFIX */
	const char *slash = strrchr(first, '/');
	size_t dl = slash ? (size_t)(slash - first) + 1 : 0;
	const char *base = first + dl;
	const char *num = strstr(base, "-00000");
	size_t pl = (size_t)(num - base) + 1;
	const char *suffix = num + 6;
	size_t sl = strlen(suffix);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", dl ? (int)dl : 1, dl ? first : ".");
	DIR *d = opendir(dir);
	if (!d)
		cli_fatal(c, "cannot read the folder '%s': %s", dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		if (len <= pl + sl || strncmp(name, base, pl) != 0)
			continue;
		const char *q = name + pl;
		long v = 0;
		int digits = 0;
		for (; *q >= '0' && *q <= '9' && digits < 9; q++, digits++)
			v = v * 10 + (*q - '0');
		if (digits < 5 || (digits > 5 && name[pl] == '0') || strncmp(q, suffix, sl) != 0 ||
		    (q[sl] && strcmp(q + sl, ".kpi") != 0) || v < n)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%.*s%s", (int)dl, first, name) < (int)sizeof path)
			cli_obsolete_on_publish(c, path);
	}
	closedir(d);
	free(first);
}

static void start_file(struct packing *s)
{
	cli *c = s->c;
	free(s->path);
	s->path = NULL;
	const char *path = s->output ? s->output : "-";
	if (s->split) {
		s->path = shard_name(s->output, s->shard++);
		if (!s->path)
			cli_fatal(c, "out of memory");
		path = s->path;
	}
	s->w = cli_open_raw(c, path);
	if (!kp_writer_tmppath(s->w))
		s->index = 0; /* a stream (a device, a pipe, /dev/stdout): nothing to index beside */
	s->k = kp_packer_new(&s->pp, write_cb, s);
	if (!s->k)
		cli_fatal(c, "out of memory");
}

static int index_cb(void *ctx, const void *p, size_t n)
{
	struct packing *s = ctx;
	cli_write(s->c, s->w, p, n);
	return 0;
}

static void end_file(struct packing *s)
{
	cli *c = s->c;
	if (!s->k)
		return;
	if (kp_packer_finish(s->k) < 0)
		cli_fatal(c, "%s", kp_packer_errmsg(s->k));
	s->docs += kp_packer_docs(s->k);
	s->in += kp_packer_bytes_in(s->k);
	s->out += kp_packer_bytes_out(s->k);
	s->files++;
	const char *path = s->path ? s->path : s->output;
	/* the index is written before the data is published and published
	 * after it: a failure publishes neither, and no file goes out without
	 * its index (a signal between the two renames leaves the old index,
	 * which reads as stale) */
	kp_writer *data = s->w, *index = NULL;
	if (s->index && path) {
		size_t n = strlen(path) + 5;
		char *ix = malloc(n);
		if (!ix)
			cli_fatal(c, "out of memory");
		snprintf(ix, n, "%s.kpi", path);
		s->w = index = cli_open_raw(c, ix);
		if (kp_packer_index(s->k, index_cb, s) < 0)
			cli_fatal(c, "%s", kp_packer_errmsg(s->k));
		s->repeated += kp_packer_repeated_ids(s->k);
		free(ix);
	}
	s->w = NULL;
	cli_close_writer(c, data);
	if (index)
		cli_close_writer(c, index);
	kp_packer_free(s->k);
	s->k = NULL;
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct packing s = {.c = &c, .index = 1};
	int opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_BLOCK_SIZE: s.pp.block_size = cli_parse_size(&c, "--block-size", optarg); break;
		case OPT_BGZF: s.pp.bgzf = 1; break;
		case OPT_SPLIT_SIZE: s.split = cli_parse_size(&c, "--split-size", optarg); break;
		case OPT_NO_INDEX: s.index = 0; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				s.pp.text = 1;
			else if (strcmp(optarg, "jsonl") != 0)
				cli_usage_error(&c, "--format: expected jsonl or text, not '%s'", optarg);
			break;
		}
	}
	s.output = c.output; /* always gzip: -z changes nothing */
	s.pp.level = c.level;
	s.pp.threads = c.jobs;
	if (s.pp.bgzf && s.pp.block_size > KP_PACK_BLOCK_BGZF)
		cli_usage_error(&c, "--block-size: BGZF blocks hold at most 65280 bytes");
	if (s.pp.block_size && (s.pp.block_size < 1024 || s.pp.block_size > KP_PACK_BLOCK_MAX))
		cli_usage_error(&c, "--block-size: expected 1K to 64M");
	if (s.output && !strcmp(s.output, "-"))
		s.output = NULL;
	if (s.split && !s.output)
		cli_usage_error(&c, "--split-size needs -o FILE (the shards are named after it)");
	if (!s.output && isatty(STDOUT_FILENO))
		cli_usage_error(&c, "compressed data is not written to a terminal: give -o FILE, or redirect the output");
	if (!s.output)
		s.index = 0;
	if (c.rejects)
		c.rej = cli_open_raw(&c, c.rejects);
	kp_doc *doc = s.pp.text ? NULL : kp_doc_new(c.max_line, 0);
	if (!s.pp.text && !doc)
		cli_fatal(&c, "out of memory");
	start_file(&s);
	for (int i = 0; i < (c.ninputs ? c.ninputs : 1); i++) {
		if (cli_open_input(&c, i) < 0)
			continue;
		for (;;) {
			const char *line;
			size_t len;
			int got = cli_getline(&c, &line, &len);
			if (got == 0)
				break;
			if (got > 0 && !s.pp.text) {
				size_t k = 0;
				while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
					k++;
				if (k == len) { /* a blank line is no document: skipped, as every tool does */
					c.blank++;
					continue;
				}
			}
			c.docs_in++;
			cli_progress(&c);
			const char *id = NULL;
			size_t idl = 0;
			int bad = got < 0 ? KP_ETOOLONG : 0;
			if (!bad && doc) {
				bad = kp_doc_parse(doc, line, len);
				if (!bad)
					id = kp_doc_id(doc, &idl);
			}
			if (bad) {
				const char *msg = got < 0 ? kp_reader_errmsg(c.in) : kp_doc_errmsg(doc);
				if (!c.skip_invalid) {
					cli_line_error(&c, "%s", msg);
					break;
				}
				c.invalid++;
				if (c.rej && got > 0) {
					cli_write(&c, c.rej, line, len);
					cli_write(&c, c.rej, "\n", 1);
				}
				continue;
			}
			if (s.split && kp_packer_docs(s.k) && kp_packer_bytes_in(s.k) + len + 1 > s.split) {
				end_file(&s);
				start_file(&s);
			}
			if (kp_packer_add(s.k, line, len, id, idl) < 0)
				cli_fatal(&c, "%s", kp_packer_errmsg(s.k));
			c.docs_out++;
		}
		cli_close_input(&c);
	}
	if (c.failed) {
		/* nothing is published */
		cli_close_writer(&c, s.w);
		kp_packer_free(s.k);
		kp_doc_free(doc);
		free(s.path);
		int status = cli_finish(&c);
		cli_free(&c);
		return status;
	}
	end_file(&s);
	if (s.split)
		obsolete_shards(&s, s.shard);
	else if (!s.index && s.output) {
		/* an index of an earlier run would describe another file */
		size_t n = strlen(s.output) + 5;
		char *ix = malloc(n);
		if (!ix)
			cli_fatal(&c, "out of memory");
		snprintf(ix, n, "%s.kpi", s.output);
		cli_obsolete_on_publish(&c, ix);
		free(ix);
	}
	kp_doc_free(doc);
	free(s.path);
	int status = cli_finish(&c);
	cli_free(&c);
	cli_note(&c, "%llu %s, %s -> %s (%.1f%%) in %llu file%s%s", (unsigned long long)s.docs,
		 s.pp.text ? "lines" : "documents", cli_bytes(s.in, 0), cli_bytes(s.out, 1),
		 s.in ? 100.0 * (double)s.out / (double)s.in : 0.0, (unsigned long long)s.files, s.files == 1 ? "" : "s",
		 s.index ? " with index" : "");
	if (s.repeated)
		cli_note(&c, "ids: %llu document%s repeat%s an earlier document's id (within a file)",
			 (unsigned long long)s.repeated, s.repeated == 1 ? "" : "s", s.repeated == 1 ? "s" : "");
	cli_note_skipped(&c);
	return status;
}
