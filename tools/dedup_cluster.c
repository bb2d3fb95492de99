/* korpus-dedup cluster: the reduce step.  Sorted key records in, the list
 * of documents to remove out, decided by the same index as the single
 * command, in keep order. */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

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

struct cdoc {
	uint64_t order;
	uint64_t len;
	char *id, *time;
	uint8_t *mh;   /* NULL: exact key only */
	uint8_t exact[16];
	int has_exact;
	unsigned char *use; /* the bands shared with another document */
	uint64_t *band;
};

struct cluster {
	cli *c;
	kp_dedup_params dp;
	kp_doc *check; /* validates the JSON of ids and times */
	sbuf scratch;
	struct cdoc *docs;
	size_t n, cap;
	/* order -> doc number, open addressing */
	uint64_t *okey;
	uint32_t *oval;
	size_t ocap, on;
};

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "SSSSSS:NNNNNNNNNNNN" (exactly 19 bytes, not NUL-terminated): 0 or -1. */
int dedup_parse_order(const char *s, size_t n, unsigned *shard, unsigned long long *num)
{
	*shard = 0;
	*num = 0;
	if (n != 19 || s[6] != ':')
		return -1;
	unsigned long long v = 0;
	for (size_t i = 0; i < 19; i++) {
		if (i == 6) {
			*shard = (unsigned)v;
			v = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*num = v;
	return 0;
}

static int parse_hex(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexval((unsigned char)s[i]);
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The document of an order, made when new. */
static struct cdoc *doc_of(struct cluster *k, uint64_t order)
{
	if ((k->on + 1) * 2 > k->ocap) {
		size_t ncap = k->ocap ? 2 * k->ocap : 4096;
		uint64_t *nk = calloc(ncap, sizeof *nk);
		uint32_t *nv = malloc(ncap * sizeof *nv);
		if (!nk || !nv)
			cli_fatal(k->c, "out of memory");
		for (size_t i = 0; i < k->ocap; i++)
			if (k->okey[i]) {
				size_t h = (size_t)(k->okey[i] * 0x9e3779b97f4a7c15ull >> 20) & (ncap - 1);
				while (nk[h])
					h = (h + 1) & (ncap - 1);
				nk[h] = k->okey[i];
				nv[h] = k->oval[i];
			}
		free(k->okey);
		free(k->oval);
		k->okey = nk;
		k->oval = nv;
		k->ocap = ncap;
	}
	uint64_t key = order + 1;
	size_t h = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & (k->ocap - 1);
	while (k->okey[h] && k->okey[h] != key)
		h = (h + 1) & (k->ocap - 1);
	if (k->okey[h])
		return &k->docs[k->oval[h]];
	if (k->n == k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 1024;
		struct cdoc *nd = realloc(k->docs, ncap * sizeof *nd);
		if (!nd)
			cli_fatal(k->c, "out of memory");
		k->docs = nd;
		k->cap = ncap;
	}
	k->okey[h] = key;
	k->oval[h] = (uint32_t)k->n;
	k->on++;
	struct cdoc *d = &k->docs[k->n++];
	memset(d, 0, sizeof *d);
	d->order = order;
	return d;
}

static char *dupn(cli *c, const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		cli_fatal(c, "out of memory");
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Is s[0..n) one JSON value starting with one of the characters first? */
static int json_value_ok(struct cluster *k, const char *s, size_t n, const char *first)
{
	if (!n || !strchr(first, s[0]))
		return 0;
	sbuf *b = &k->scratch;
	b->len = 0;
	if (sb_adds(b, "{\"v\":") < 0 || sb_add(b, s, n) < 0 || sb_adds(b, "}") < 0)
		cli_fatal(k->c, "out of memory");
	const char *raw;
	size_t rl;
	return kp_doc_parse(k->check, b->p, b->len) >= 0 && kp_doc_get_raw(k->check, "v", &raw, &rl) && rl == n;
}

/* One record of a shared key into its document. */
static void add_record(struct cluster *k, const char *name, uint64_t lineno, const char *line, size_t len)
{
	const char *f[6];
	size_t fl[6];
	size_t i = 0;
	for (int n = 0; n < 6; n++) {
		const char *tab = n < 5 ? memchr(line + i, '\t', len - i) : NULL;
		size_t e = tab ? (size_t)(tab - line) : len;
		if (n < 5 && !tab)
			cli_fatal(k->c, "%s:%llu: not a key record of korpus-dedup sign", name, (unsigned long long)lineno);
		f[n] = line + i;
		fl[n] = e - i;
		i = e + 1;
	}
	unsigned shard;
	unsigned long long num;
	if (dedup_parse_order(f[1], fl[1], &shard, &num) < 0)
		cli_fatal(k->c, "%s:%llu: bad order field", name, (unsigned long long)lineno);
	/* the fields copied into the removal list or steering --keep must be
	 * what sign writes: a JSON id, a JSON time, a decimal length */
	if (!json_value_ok(k, f[5], fl[5], "\"0123456789-n"))
		cli_fatal(k->c, "%s:%llu: the id is not a JSON string, number or null", name, (unsigned long long)lineno);
	if (!json_value_ok(k, f[3], fl[3], "\"n"))
		cli_fatal(k->c, "%s:%llu: the time is not a JSON string or null", name, (unsigned long long)lineno);
	uint64_t textlen = 0;
	if (!fl[2] || fl[2] > 19)
		cli_fatal(k->c, "%s:%llu: bad length field", name, (unsigned long long)lineno);
	for (size_t q = 0; q < fl[2]; q++) {
		if (f[2][q] < '0' || f[2][q] > '9')
			cli_fatal(k->c, "%s:%llu: bad length field", name, (unsigned long long)lineno);
		textlen = textlen * 10 + (uint64_t)(f[2][q] - '0');
	}
	struct cdoc *d = doc_of(k, (uint64_t)shard << 40 | num);
	if (!d->id) {
		d->id = dupn(k->c, f[5], fl[5]);
		d->time = dupn(k->c, f[3], fl[3]);
		d->len = textlen;
	} else if (strlen(d->id) != fl[5] || memcmp(d->id, f[5], fl[5]) != 0 || strlen(d->time) != fl[3] ||
		   memcmp(d->time, f[3], fl[3]) != 0 || d->len != textlen) {
		cli_fatal(k->c, "%s:%llu: the records of document %06u:%012llu disagree on its id, time or length "
			  "(records of two runs mixed?)", name, (unsigned long long)lineno, shard, num);
	}
	int np = k->dp.num_perm;
	if (!d->mh && !(fl[4] == 1 && f[4][0] == '-')) {
		size_t want = ((size_t)np + 2) / 3 * 4;
		if (fl[4] != want)
			cli_fatal(k->c, "%s:%llu: the MinHash has %zu characters, not %zu: was it signed with --num-perm %d?",
				  name, (unsigned long long)lineno, fl[4], want, np);
		uint8_t *le = malloc((size_t)np + 3);
		if (!le)
			cli_fatal(k->c, "out of memory");
		size_t o = 0;
		for (size_t q = 0; q < fl[4]; q += 4) {
			int v[4];
			for (int t = 0; t < 4; t++)
				v[t] = f[4][q + t] == '=' ? 0 : b64val((unsigned char)f[4][q + t]);
			if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
				cli_fatal(k->c, "%s:%llu: bad MinHash", name, (unsigned long long)lineno);
			uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
			le[o++] = (uint8_t)(x >> 16);
			le[o++] = (uint8_t)(x >> 8);
			le[o++] = (uint8_t)x;
		}
		d->mh = le;
	}
	if (f[0][0] == 'e' && fl[0] == 33) {
		uint64_t hi, lo;
		if (parse_hex(f[0] + 1, 16, &hi) < 0 || parse_hex(f[0] + 17, 16, &lo) < 0)
			cli_fatal(k->c, "%s:%llu: bad key", name, (unsigned long long)lineno);
		memcpy(d->exact, &lo, 8);
		memcpy(d->exact + 8, &hi, 8);
		d->has_exact = 1;
	} else if (f[0][0] == 'b' && fl[0] == 19) {
		uint64_t b, key;
		if (parse_hex(f[0] + 1, 2, &b) < 0 || parse_hex(f[0] + 3, 16, &key) < 0 || (int)b >= k->dp.bands)
			cli_fatal(k->c, "%s:%llu: bad band key (signed with other --bands?)", name,
				  (unsigned long long)lineno);
		if (!d->use) {
			d->use = calloc((size_t)k->dp.bands, 1);
			d->band = calloc((size_t)k->dp.bands, sizeof *d->band);
			if (!d->use || !d->band)
				cli_fatal(k->c, "out of memory");
		}
		d->use[b] = 1;
		d->band[b] = key;
	} else {
		cli_fatal(k->c, "%s:%llu: not a key record of korpus-dedup sign", name, (unsigned long long)lineno);
	}
}

static int keep_mode;

static int by_priority(const void *a, const void *b)
{
	const struct cdoc *x = *(const struct cdoc *const *)a, *y = *(const struct cdoc *const *)b;
	if (keep_mode == 1 && x->len != y->len)
		return x->len > y->len ? -1 : 1;
	if (keep_mode == 2) {
		int xn = !strcmp(x->time, "null"), yn = !strcmp(y->time, "null");
		int t = xn != yn ? (xn ? 1 : -1) : -strcmp(x->time, y->time);
		if (t)
			return t;
	}
	return (x->order > y->order) - (x->order < y->order);
}

static int by_order(const void *a, const void *b)
{
	const struct cdoc *x = *(const struct cdoc *const *)a, *y = *(const struct cdoc *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

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
	size_t kl = key_len(in->line, in->len), tabs = 0;
	for (size_t i = 0; i < in->len; i++)
		tabs += in->line[i] == '\t';
	if (tabs != 5 || !((in->line[0] == 'e' && kl == 33) || (in->line[0] == 'b' && kl == 19)))
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

int cluster_main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &cluster_tool);
	struct cluster k = {.c = &c, .check = kp_doc_new(0, KP_DOC_TEXT_OPTIONAL)};
	if (!k.check)
		cli_fatal(&c, "out of memory");
	kp_dedup_params_default(&k.dp);
	int groups_only = 0, opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_KEEP:
			keep_mode = !strcmp(optarg, "first") ? 0 : !strcmp(optarg, "longest") ? 1 : !strcmp(optarg, "newest") ? 2 : -1;
			if (keep_mode < 0)
				cli_usage_error(&c, "--keep: expected first, longest or newest, not '%s'", optarg);
			break;
		case OPT_GROUPS_ONLY: groups_only = 1; break;
		case OPT_NUM_PERM: k.dp.num_perm = (int)cli_parse_long(&c, "--num-perm", optarg, 2, KP_DEDUP_MAX_PERM); break;
		case OPT_THRESHOLD: k.dp.threshold = dedup_parse_threshold(&c, optarg); break;
		case OPT_BANDS: k.dp.bands = (int)cli_parse_long(&c, "--bands", optarg, 1, KP_DEDUP_MAX_BANDS); break;
		case OPT_ROWS: k.dp.rows = (int)cli_parse_long(&c, "--rows", optarg, 1, KP_DEDUP_MAX_PERM); break;
		case OPT_NGRAM: k.dp.ngram = (int)cli_parse_long(&c, "--ngram", optarg, 1, 32); break;
		}
	}
	if (kp_dedup_params_finish(&k.dp) < 0)
		cli_usage_error(&c, "bad --num-perm, --threshold, --bands or --rows");
	int nin = c.ninputs ? c.ninputs : 1;
	struct input *in = calloc((size_t)nin, sizeof *in);
	if (!in)
		cli_fatal(&c, "out of memory");
	for (int i = 0; i < nin; i++) {
		const char *path = c.ninputs ? c.inputs[i] : "-";
		in[i].name = strcmp(path, "-") ? path : "<stdin>";
		in[i].r = kp_reader_new(c.max_line);
		if (!in[i].r || kp_reader_open(in[i].r, path) < 0)
			cli_fatal(&c, "%s", in[i].r ? kp_reader_errmsg(in[i].r) : "out of memory");
		advance(&c, &in[i]);
	}
	cli_open_outputs(&c);
	/* groups of equal keys across the merged inputs */
	sbuf group = {0};
	size_t *starts = NULL, nstarts = 0, scap = 0;
	uint64_t records = 0, shared = 0;
	for (;;) {
		int best = -1;
		for (int i = 0; i < nin; i++)
			if (in[i].line && (best < 0 || key_cmp(in[i].line, key_len(in[i].line, in[i].len), in[best].line,
							      key_len(in[best].line, in[best].len)) < 0))
				best = i;
		if (best < 0)
			break;
		/* the group of this key */
		size_t kl = key_len(in[best].line, in[best].len);
		char key[64];
		if (kl >= sizeof key)
			cli_fatal(&c, "%s:%llu: not a key record", in[best].name, (unsigned long long)kp_reader_lineno(in[best].r));
		memcpy(key, in[best].line, kl);
		group.len = 0;
		nstarts = 0;
		for (;;) {
			int from = -1;
			for (int i = 0; i < nin; i++)
				if (in[i].line && key_len(in[i].line, in[i].len) == kl && !memcmp(in[i].line, key, kl)) {
					from = i;
					break;
				}
			if (from < 0)
				break;
			if (nstarts == scap) {
				scap = scap ? 2 * scap : 64;
				starts = realloc(starts, scap * 3 * sizeof *starts);
				if (!starts)
					cli_fatal(&c, "out of memory");
			}
			starts[3 * nstarts] = group.len;
			starts[3 * nstarts + 1] = kp_reader_lineno(in[from].r);
			starts[3 * nstarts + 2] = (size_t)from;
			nstarts++;
			if (sb_add(&group, in[from].line, in[from].len) < 0 || sb_add(&group, "\n", 1) < 0)
				cli_fatal(&c, "out of memory");
			records++;
			advance(&c, &in[from]);
		}
		if (nstarts < 2)
			continue;
		shared++;
		if (groups_only) {
			cli_write(&c, c.out, group.p, group.len);
			continue;
		}
		for (size_t g = 0; g < nstarts; g++) {
			size_t a = starts[3 * g], e = g + 1 < nstarts ? starts[3 * g + 3] : group.len;
			add_record(&k, in[starts[3 * g + 2]].name, starts[3 * g + 1], group.p + a, e - a - 1);
		}
	}
	uint64_t removed = 0, nexact = 0;
	if (!groups_only) {
		/* decide in keep order with the single command's index */
		struct cdoc **order = malloc((k.n ? k.n : 1) * sizeof *order);
		kp_dedup_index *x = kp_dedup_index_new(&k.dp, 0);
		kp_dedup_sig *sig = malloc(sizeof *sig);
		if (!order || !x || !sig)
			cli_fatal(&c, "out of memory");
		for (size_t i = 0; i < k.n; i++)
			order[i] = &k.docs[i];
		qsort(order, k.n, sizeof *order, by_priority);
		kp_dedup_verdict *v = calloc(k.n ? k.n : 1, sizeof *v);
		if (!v)
			cli_fatal(&c, "out of memory");
		for (size_t i = 0; i < k.n; i++) {
			struct cdoc *d = order[i];
			if (d->has_exact) {
				memcpy(sig->exact, d->exact, 16);
			} else { /* its key is its own: a name no other has */
				XXH128_hash_t h = XXH3_128bits_withSeed(&d->order, sizeof d->order, 0x6f72646572ull);
				memcpy(sig->exact, &h.low64, 8);
				memcpy(sig->exact + 8, &h.high64, 8);
			}
			sig->near = d->mh != NULL;
			if (d->mh)
				memcpy(sig->mh, d->mh, (size_t)k.dp.num_perm * sizeof *d->mh);
			static unsigned char none[KP_DEDUP_MAX_BANDS];
			if (d->band)
				memcpy(sig->band, d->band, (size_t)k.dp.bands * sizeof *d->band);
			if (kp_dedup_index_add(x, i, sig, d->use ? d->use : none, &v[i]) < 0)
				cli_fatal(&c, "out of memory");
		}
		/* the removal list in input order */
		struct cdoc **byorder = malloc((k.n ? k.n : 1) * sizeof *byorder);
		size_t *rank = malloc((k.n ? k.n : 1) * sizeof *rank);
		if (!byorder || !rank)
			cli_fatal(&c, "out of memory");
		for (size_t i = 0; i < k.n; i++)
			byorder[i] = order[i];
		qsort(byorder, k.n, sizeof *byorder, by_order);
		for (size_t i = 0; i < k.n; i++)
			rank[order[i] - k.docs] = i;
		sbuf o = {0};
		for (size_t i = 0; i < k.n; i++) {
			struct cdoc *d = byorder[i];
			const kp_dedup_verdict *vd = &v[rank[d - k.docs]];
			if (vd->kind == KP_DEDUP_KEPT)
				continue;
			removed++;
			nexact += vd->kind == KP_DEDUP_EXACT;
			const struct cdoc *keeper = order[vd->dup_of];
			char head[96], jac[32];
			snprintf(head, sizeof head, "{\"order\":\"%06u:%012llu\",\"id\":", (unsigned)(d->order >> 40),
				 (unsigned long long)(d->order & ((1ull << 40) - 1)));
			snprintf(jac, sizeof jac, "%.4g", vd->jaccard);
			o.len = 0;
			int e = sb_adds(&o, head) | sb_adds(&o, d->id) | sb_adds(&o, ",\"dup_of\":") | sb_adds(&o, keeper->id) |
				sb_adds(&o, ",\"kind\":\"") | sb_adds(&o, vd->kind == KP_DEDUP_EXACT ? "exact" : "near") |
				sb_adds(&o, "\",\"jaccard\":") | sb_adds(&o, jac) | sb_adds(&o, "}\n");
			if (e < 0)
				cli_fatal(&c, "out of memory");
			cli_write(&c, c.out, o.p, o.len);
		}
		sb_free(&o);
		free(rank);
		free(byorder);
		free(order);
		free(v);
		free(sig);
		kp_dedup_index_free(x);
	}
	int status = cli_finish(&c);
	if (groups_only)
		cli_note(&c, "%llu records, %llu keys shared by two documents or more", (unsigned long long)records,
			 (unsigned long long)shared);
	else
		cli_note(&c, "%llu records, %llu shared keys, %zu documents in them: %llu to remove (%llu exact, %llu near)",
			 (unsigned long long)records, (unsigned long long)shared, k.n, (unsigned long long)removed,
			 (unsigned long long)nexact, (unsigned long long)(removed - nexact));
	for (size_t i = 0; i < k.n; i++) {
		free(k.docs[i].id);
		free(k.docs[i].time);
		free(k.docs[i].mh);
		free(k.docs[i].use);
		free(k.docs[i].band);
	}
	free(k.docs);
	kp_doc_free(k.check);
	sb_free(&k.scratch);
	free(k.okey);
	free(k.oval);
	for (int i = 0; i < nin; i++) {
		kp_reader_free(in[i].r);
		free(in[i].prev);
	}
	free(in);
	free(starts);
	sb_free(&group);
	cli_free(&c);
	return status;
}
