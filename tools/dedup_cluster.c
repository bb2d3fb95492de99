/* korpus-dedup cluster: the reduce step.  Sorted key records in, the list
 * of documents to remove out, decided by the same index as the single
 * command, in keep order. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dedup_tool.h"


enum { OPT_KEEP = 0x100, OPT_GROUPS_ONLY, OPT_NUM_PERM, OPT_THRESHOLD, OPT_BANDS, OPT_ROWS, OPT_NGRAM };

static const struct option cluster_options[] = {
	{"keep", required_argument, NULL, OPT_KEEP},
	{"groups-only", no_argument, NULL, OPT_GROUPS_ONLY},
	{"num-perm", required_argument, NULL, OPT_NUM_PERM},
	{"threshold", required_argument, NULL, OPT_THRESHOLD},
	{"bands", required_argument, NULL, OPT_BANDS},
	{"rows", required_argument, NULL, OPT_ROWS},
	{"ngram", required_argument, NULL, OPT_NGRAM},
	{0},
};

static const struct cli_tool cluster_tool = {
	.name = "korpus-dedup cluster",
	.summary = "The documents to remove, from sorted key records",
	.synopsis = "[OPTION]... [RECORDS]...",
	.help =
		"Reads key records (korpus-dedup sign) sorted by key (LC_ALL=C sort; several\n"
		"sorted files are merged), keeps the keys that more than one document has,\n"
		"and decides in keep order, as the single command does: a document is a\n"
		"duplicate of a kept one with its exact key, or sharing a band with it at\n"
		"the MinHash Jaccard threshold.  Writes one JSON record per document to\n"
		"remove, in input order: {\"order\", \"id\", \"dup_of\", \"kind\", \"jaccard\"}.\n"
		"Memory: the documents that share a key with another, not all documents.\n\n"
		"  --keep first|longest|newest  which document of duplicates stays: the\n"
		"                       first in input order (default), the longest text, the\n"
		"                       newest \"created\" (else \"added\"); ties: the first\n"
		"  --groups-only        write the records of shared keys only (sorted): one\n"
		"                       reducer's part, for a last cluster over all the parts\n"
		"  --num-perm N, --threshold J, --bands B, --rows R, --ngram N\n"
		"                       as given to sign (--threshold may be stricter)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_MAXLINE,
	.longopts = cluster_options,
};

/* ---- merging sorted inputs -------------------------------------------------------- */

struct input {
	kp_reader *r;
	const char *name;
	const char *line;
	size_t len;
	char *prev; /* the previous key, to check the order */
	size_t prevlen, prevcap;
};

static size_t key_len(const char *line, size_t len)
{
	const char *tab = memchr(line, '\t', len);
	return tab ? (size_t)(tab - line) : len;
}

static int key_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al > bl) - (al < bl);
}

static void advance(cli *c, struct input *in)
{
	int rc = kp_reader_getline(in->r, &in->line, &in->len);
	if (rc < 0)
		cli_fatal(c, "%s: %s", in->name, kp_reader_errmsg(in->r));
	if (rc == 0) {
		in->line = NULL;
		return;
	}
	long key = kp_dedup_record_key(in->line, in->len);
	size_t kl = key < 0 ? 0 : (size_t)key;
	if (key < 0)
		cli_fatal(c, "%s:%llu: not a key record of korpus-dedup sign (KEY, ORDER, LENGTH, TIME, MINHASH, ID "
			  "separated by tabs)", in->name, (unsigned long long)kp_reader_lineno(in->r));
	if (in->prev && key_cmp(in->line, kl, in->prev, in->prevlen) < 0)
		cli_fatal(c, "%s:%llu: the records are not sorted by key (sort them with LC_ALL=C sort)", in->name,
			  (unsigned long long)kp_reader_lineno(in->r));
	if (kl > in->prevcap) {
		in->prevcap = kl * 2 + 64;
		in->prev = realloc(in->prev, in->prevcap);
		if (!in->prev)
			cli_fatal(c, "out of memory");
	}
	memcpy(in->prev, in->line, kl);
	in->prevlen = kl;
}

/* The inputs, merged: each group of equal keys goes to fn when two
 * documents or more have it.  Counts the records and the shared keys. */
struct merge {
	cli *c;
	struct input *in;
	int nin;
	sbuf group;
	size_t *starts; /* per record of the group: its offset, line, input */
	size_t nstarts, scap;
	uint64_t records, shared;
};

/* The next group of equal keys into m->group; 0 at the end. */
static int next_group(struct merge *m)
{
	struct input *in = m->in;
	int best = -1;
	for (int i = 0; i < m->nin; i++)
		if (in[i].line && (best < 0 || key_cmp(in[i].line, key_len(in[i].line, in[i].len), in[best].line,
						      key_len(in[best].line, in[best].len)) < 0))
			best = i;
	if (best < 0)
		return 0;
	size_t kl = key_len(in[best].line, in[best].len);
	char key[64];
	if (kl >= sizeof key)
		cli_fatal(m->c, "%s:%llu: not a key record", in[best].name, (unsigned long long)kp_reader_lineno(in[best].r));
	memcpy(key, in[best].line, kl);
	m->group.len = 0;
	m->nstarts = 0;
	for (;;) {
		int from = -1;
		for (int i = 0; i < m->nin && from < 0; i++)
			if (in[i].line && key_len(in[i].line, in[i].len) == kl && !memcmp(in[i].line, key, kl))
				from = i;
		if (from < 0)
			break;
		if (m->nstarts == m->scap) {
			m->scap = m->scap ? 2 * m->scap : 64;
			m->starts = realloc(m->starts, m->scap * 3 * sizeof *m->starts);
			if (!m->starts)
				cli_fatal(m->c, "out of memory");
		}
		size_t *st = m->starts + 3 * m->nstarts++;
		st[0] = m->group.len;
		st[1] = kp_reader_lineno(in[from].r);
		st[2] = (size_t)from;
		if (sb_add(&m->group, in[from].line, in[from].len) < 0 || sb_add(&m->group, "\n", 1) < 0)
			cli_fatal(m->c, "out of memory");
		m->records++;
		advance(m->c, &in[from]);
	}
	m->shared += m->nstarts > 1;
	return 1;
}

static int write_removal(void *ctx, const char *rec, size_t n)
{
	cli *c = ctx;
	cli_write(c, c->out, rec, n);
	return 0;
}

int cluster_main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &cluster_tool);
	kp_dedup_params dp;
	kp_dedup_params_default(&dp);
	enum kp_dedup_keep keep = KP_DEDUP_KEEP_FIRST;
	int groups_only = 0, opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_KEEP: keep = dedup_parse_keep(&c, optarg); break;
		case OPT_GROUPS_ONLY: groups_only = 1; break;
		case OPT_NUM_PERM: dp.num_perm = (int)cli_parse_long(&c, "--num-perm", optarg, 2, KP_DEDUP_MAX_PERM); break;
		case OPT_THRESHOLD: dp.threshold = dedup_parse_threshold(&c, optarg); break;
		case OPT_BANDS: dp.bands = (int)cli_parse_long(&c, "--bands", optarg, 1, KP_DEDUP_MAX_BANDS); break;
		case OPT_ROWS: dp.rows = (int)cli_parse_long(&c, "--rows", optarg, 1, KP_DEDUP_MAX_PERM); break;
		case OPT_NGRAM: dp.ngram = (int)cli_parse_long(&c, "--ngram", optarg, 1, 32); break;
		}
	}
	if (kp_dedup_params_finish(&dp) < 0)
		cli_usage_error(&c, "bad --num-perm, --threshold, --bands or --rows");
	kp_dedup_cluster *k = kp_dedup_cluster_new(&dp, keep);
	struct merge m = {.c = &c, .nin = c.ninputs ? c.ninputs : 1};
	m.in = calloc((size_t)m.nin, sizeof *m.in);
	if (!k || !m.in)
		cli_fatal(&c, "out of memory");
	for (int i = 0; i < m.nin; i++) {
		const char *path = c.ninputs ? c.inputs[i] : "-";
		m.in[i].name = strcmp(path, "-") ? path : "<stdin>";
		m.in[i].r = kp_reader_new(c.max_line);
		if (!m.in[i].r || kp_reader_open(m.in[i].r, path) < 0)
			cli_fatal(&c, "%s", m.in[i].r ? kp_reader_errmsg(m.in[i].r) : "out of memory");
		advance(&c, &m.in[i]);
	}
	cli_open_outputs(&c);
	while (next_group(&m)) {
		if (m.nstarts < 2)
			continue;
		if (groups_only) {
			cli_write(&c, c.out, m.group.p, m.group.len);
			continue;
		}
		for (size_t g = 0; g < m.nstarts; g++) {
			const size_t *st = m.starts + 3 * g;
			size_t e = g + 1 < m.nstarts ? st[3] : m.group.len;
			int rc = kp_dedup_cluster_add(k, m.group.p + st[0], e - st[0] - 1);
			if (rc == KP_ENOMEM)
				cli_fatal(&c, "out of memory");
			if (rc < 0)
				cli_fatal(&c, "%s:%llu: %s", m.in[st[2]].name, (unsigned long long)st[1],
					  kp_dedup_cluster_errmsg(k));
		}
	}
	uint64_t removed = 0, nexact = 0;
	if (!groups_only && kp_dedup_cluster_decide(k, write_removal, &c, &removed, &nexact) < 0)
		cli_fatal(&c, "out of memory");
	int status = cli_finish(&c);
	if (groups_only)
		cli_note(&c, "%llu records, %llu keys shared by two documents or more", (unsigned long long)m.records,
			 (unsigned long long)m.shared);
	else
		cli_note(&c, "%llu records, %llu shared keys, %zu documents in them: %llu to remove (%llu exact, %llu near)",
			 (unsigned long long)m.records, (unsigned long long)m.shared, kp_dedup_cluster_docs(k),
			 (unsigned long long)removed, (unsigned long long)nexact, (unsigned long long)(removed - nexact));
	kp_dedup_cluster_free(k);
	for (int i = 0; i < m.nin; i++) {
		kp_reader_free(m.in[i].r);
		free(m.in[i].prev);
	}
	free(m.in);
	free(m.starts);
	sb_free(&m.group);
	cli_free(&c);
	return status;
}
