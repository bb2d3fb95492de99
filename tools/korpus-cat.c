/* korpus-cat: concatenate corpus files (plain, gzip or packed), select
 * documents by id, ordinal range, sample or shard (through the index of a
 * packed file when there is one), and check files. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xxhash.h>

#include "cli.h"

enum { OPT_ID = 256, OPT_IDS, OPT_RANGE, OPT_SAMPLE, OPT_SEED, OPT_SHARD, OPT_BY_ID, OPT_NO_INDEX };

static const struct option options[] = {
	{"check", no_argument, NULL, 'c'},
	{"id", required_argument, NULL, OPT_ID},
	{"ids", required_argument, NULL, OPT_IDS},
	{"range", required_argument, NULL, OPT_RANGE},
	{"sample", required_argument, NULL, OPT_SAMPLE},
	{"seed", required_argument, NULL, OPT_SEED},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"by-id", no_argument, NULL, OPT_BY_ID},
	{"no-index", no_argument, NULL, OPT_NO_INDEX},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-cat",
	.summary = "Concatenate, select from and check corpus files, plain, gzip or packed",
	.synopsis = "[OPTION]... [FILE]...",
	.help = "Writes the lines of every FILE (gzip, multi-member gzip and packed files are\n"
		"decompressed) to the output, each ending in a newline.  Ordinals count the\n"
		"documents of all FILEs in order from 0.  Selections combine (all must hold;\n"
		"--sample draws from what the others select); the output keeps input order.\n"
		"A packed file with its index FILE.kpi (korpus-pack) is read at random: only\n"
		"the blocks of the selected documents.\n\n"
		"  -c, --check          validate each line as a JSON document with a string\n"
		"                       \"text\"; stop at the first invalid line with its file\n"
		"                       and line number (or drop it with --skip-invalid); for\n"
		"                       a packed file also every block's size and CRC-32, the\n"
		"                       EOF block and the index\n"
		"  --id ID              the documents with this id (repeatable); an id not\n"
		"                       found is an error\n"
		"  --ids FILE           the ids listed in FILE, one per line\n"
		"  --range A:B          ordinals A to B-1 (A: to the end, :B from the start)\n"
		"  --sample N           N documents drawn uniformly (reservoir sampling);\n"
		"  --seed S             the same N and S draw the same documents (default 0)\n"
		"  --shard I/N          the documents whose ordinal is I modulo N, or with\n"
		"  --by-id              whose id hashes to I modulo N (stable across files)\n"
		"  --no-index           read packed files from start to end\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS,
	.shortopts = "c",
	.longopts = options,
	.examples =
		"  korpus-cat a.jsonl b.jsonl.gz -o all.jsonl.gz      join files, gzip by name\n"
		"  korpus-cat --check -q corpus.jsonl.gz               validate every document\n"
		"  korpus-cat --id kompas/2025-06-04-0001 corpus.jsonl.gz   one document, by id\n"
		"  korpus-cat --shard 0/4 corpus.jsonl.gz > part0.jsonl    a quarter, for a worker\n",
};

/* ---- the selection ------------------------------------------------------------ */

struct idset {
	char **id;
	size_t *len;
	unsigned char *found;
	size_t n, cap;
	uint64_t *slot; /* open addressing: index + 1 */
	size_t scap;
};

struct sel {
	struct idset ids;
	int have_ids, have_range, by_id;
	uint64_t lo, hi;
	uint64_t shard_i, shard_n;
	uint64_t sample; /* 0: none */
	uint64_t seed;
	int no_index;
};

static void ids_add(cli *c, struct idset *s, const char *id, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->id = realloc(s->id, s->cap * sizeof *s->id);
		s->len = realloc(s->len, s->cap * sizeof *s->len);
		if (!s->id || !s->len)
			cli_fatal(c, "out of memory");
	}
	s->id[s->n] = malloc(n + 1);
	if (!s->id[s->n])
		cli_fatal(c, "out of memory");
	memcpy(s->id[s->n], id, n);
	s->id[s->n][n] = '\0';
	s->len[s->n++] = n;
}

static void ids_build(cli *c, struct idset *s)
{
	s->scap = 16;
	while (s->scap < 2 * s->n)
		s->scap *= 2;
	s->slot = calloc(s->scap, sizeof *s->slot);
	s->found = calloc(s->n ? s->n : 1, 1);
	if (!s->slot || !s->found)
		cli_fatal(c, "out of memory");
	for (size_t i = 0; i < s->n; i++) {
		size_t h = (size_t)XXH3_64bits(s->id[i], s->len[i]) & (s->scap - 1);
		while (s->slot[h]) {
			size_t j = (size_t)s->slot[h] - 1;
			if (s->len[j] == s->len[i] && !memcmp(s->id[j], s->id[i], s->len[i]))
				break;
			h = (h + 1) & (s->scap - 1);
		}
		if (!s->slot[h])
			s->slot[h] = i + 1;
	}
}

/* The index of id in the set, or -1. */
static long ids_find(const struct idset *s, const char *id, size_t n)
{
	for (size_t h = (size_t)XXH3_64bits(id, n) & (s->scap - 1); s->slot[h]; h = (h + 1) & (s->scap - 1)) {
		size_t j = (size_t)s->slot[h] - 1;
		if (s->len[j] == n && !memcmp(s->id[j], id, n))
			return (long)j;
	}
	return -1;
}

static void ids_free(struct idset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->id[i]);
	free(s->id);
	free(s->len);
	free(s->found);
	free(s->slot);
}

static int needs_id(const struct sel *s)
{
	return s->have_ids || s->by_id;
}

/* Does the selection (apart from --sample) take document o with this id? */
static int takes(struct sel *s, uint64_t o, const char *id, size_t idl)
{
	if (s->have_range && (o < s->lo || o >= s->hi))
		return 0;
	if (s->shard_n) {
		uint64_t k = s->by_id ? (id ? XXH3_64bits(id, idl) : 0) : o;
		if (k % s->shard_n != s->shard_i)
			return 0;
	}
	if (s->have_ids) {
		long j = id ? ids_find(&s->ids, id, idl) : -1;
		if (j < 0)
			return 0;
		s->ids.found[j] = 1;
	}
	return 1;
}

/* Reservoir sampling (algorithm R) over the n-th taken document: the slot
 * it replaces, or -1.  Depends only on n and the seed. */
static uint64_t rng_state;

static long reservoir_slot(uint64_t n, uint64_t k)
{
	if (n < k)
		return (long)n;
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	uint64_t j = (uint64_t)(((unsigned __int128)z * (n + 1)) >> 64);
	return j < k ? (long)j : -1;
}

struct pick {
	uint64_t ord;
	char *line;
	size_t len;
};

static int by_ord(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	return (x->ord > y->ord) - (x->ord < y->ord);
}

/* ---- reading ------------------------------------------------------------------- */

struct run {
	cli *c;
	struct sel *s;
	kp_doc *doc;
	uint64_t ord;     /* documents seen */
	uint64_t taken;   /* documents the selection took (before sampling) */
	struct pick *res; /* the reservoir: grows with what is taken, up to --sample */
	size_t rescap;
	int stop;         /* past the range: nothing more can be taken */
};

/* Slot k of the reservoir (k < --sample), made as the reservoir fills:
 * memory follows the documents taken, not the N asked for. */
static struct pick *res_slot(struct run *r, long k)
{
	if ((size_t)k >= r->rescap) {
		size_t ncap = r->rescap ? 2 * r->rescap : 64;
		while (ncap <= (size_t)k)
			ncap *= 2;
		if (ncap > r->s->sample)
			ncap = (size_t)r->s->sample;
		struct pick *np = realloc(r->res, ncap * sizeof *np);
		if (!np)
			cli_fatal(r->c, "--sample: out of memory");
		memset(np + r->rescap, 0, (ncap - r->rescap) * sizeof *np);
		r->res = np;
		r->rescap = ncap;
	}
	return &r->res[k];
}

static void emit(struct run *r, const char *line, size_t len)
{
	cli_write(r->c, r->c->out, line, len);
	cli_write(r->c, r->c->out, "\n", 1);
	r->c->docs_out++;
}

/* Offer document o; returns < 0 when the line is not a valid document and
 * an id was needed (reported). */
static int offer(struct run *r, uint64_t o, const char *line, size_t len)
{
	struct sel *s = r->s;
	const char *id = NULL;
	size_t idl = 0;
	if (s->have_range && o >= s->hi) {
		r->stop = 1;
		return 0;
	}
	if (needs_id(s) && (!s->have_range || (o >= s->lo && o < s->hi))) {
		if (kp_doc_parse(r->doc, line, len) < 0) {
			cli_line_error(r->c, "%s", kp_doc_errmsg(r->doc));
			return -1;
		}
		id = kp_doc_id(r->doc, &idl);
	}
	if (!takes(s, o, id, idl))
		return 0;
	if (!s->sample) {
		emit(r, line, len);
		return 0;
	}
	long k = reservoir_slot(r->taken++, s->sample);
	if (k >= 0) {
		struct pick *p = res_slot(r, k);
		free(p->line);
		p->line = malloc(len ? len : 1);
		if (!p->line)
			cli_fatal(r->c, "out of memory");
		memcpy(p->line, line, len);
		p->len = len;
		p->ord = o;
	}
	return 0;
}

static void stream_input(struct run *r)
{
	cli *c = r->c;
	for (;;) {
		const char *line;
		size_t len;
		int got = cli_getline(c, &line, &len);
		if (got == 0 || r->stop)
			break;
		if (got < 0) {
			cli_line_error(c, "%s", kp_reader_errmsg(c->in));
			break;
		}
		c->docs_in++;
		cli_progress(c);
		if (offer(r, r->ord++, line, len) < 0)
			break;
	}
}

static int is_regular(const char *path)
{
	struct stat st;
	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The packed file's index when the selection can use it, else NULL. */
static kp_packfile *open_indexed(cli *c, const struct sel *s, const char *path)
{
	if (s->no_index || !is_regular(path))
		return NULL;
	char *err = NULL;
	kp_packfile *f = NULL;
	int rc = kp_packfile_open(&f, path, NULL, &err);
	if (rc == KP_ENOTFOUND) {
		free(err);
		return NULL;
	}
	if (rc < 0) {
		if (err)
			cli_error(c, "%s", err);
		else
			cli_error(c, "%s: out of memory", path);
		free(err);
		return NULL;
	}
	return f;
}

/* One indexed file: only the documents the selection can take are read. */
static void indexed_input(struct run *r, kp_packfile *f, const char *path)
{
	cli *c = r->c;
	struct sel *s = r->s;
	uint64_t base = r->ord, n = kp_packfile_docs(f);
	const char *line;
	size_t len;
	r->ord += n;
	c->docs_in += n;
	if (s->have_ids && !s->by_id && !s->sample) {
		if (kp_packfile_is_text(f)) {
			cli_error(c, "%s: packed lines of text have no ids", path);
			return;
		}
		/* the candidates of every id, in file order */
		uint64_t *ords = NULL;
		size_t no = 0, cap = 0;
		for (size_t i = 0; i < s->ids.n; i++) {
			uint64_t first, count;
			kp_packfile_find(f, s->ids.id[i], s->ids.len[i], &first, &count);
			for (uint64_t k = 0; k < count; k++) {
				if (no == cap) {
					cap = cap ? 2 * cap : 64;
					ords = realloc(ords, cap * sizeof *ords);
					if (!ords)
						cli_fatal(c, "out of memory");
				}
				ords[no++] = kp_packfile_id_ordinal(f, first + k);
			}
		}
		if (no)
			qsort(ords, no, sizeof *ords, cli_cmp_u64);
		for (size_t i = 0; i < no; i++) {
			if (i && ords[i] == ords[i - 1])
				continue;
			if (kp_packfile_get(f, ords[i], &line, &len) < 0) {
				cli_error(c, "%s", kp_packfile_errmsg(f));
				break;
			}
			if (offer(r, base + ords[i], line, len) < 0)
				break;
		}
		free(ords);
		return;
	}
	/* a range (and a shard by ordinal) without ids: the ordinals it spans */
	uint64_t lo = 0, hi = n;
	if (s->have_range) {
		uint64_t glo = s->lo > base ? s->lo : base, ghi = s->hi < base + n ? s->hi : base + n;
		lo = hi = 0;
		if (glo < ghi) {
			lo = glo - base;
			hi = ghi - base;
		}
	}
	for (uint64_t o = lo; o < hi && !r->stop; o++) {
		if (s->shard_n && !s->by_id && (base + o) % s->shard_n != s->shard_i)
			continue;
		if (kp_packfile_get(f, o, &line, &len) < 0) {
			cli_error(c, "%s", kp_packfile_errmsg(f));
			break;
		}
		if (offer(r, base + o, line, len) < 0)
			break;
	}
}

/* A sample that depends on ordinals only, from indexed files: the reservoir
 * runs over ordinals, then only the drawn documents are read.  0 when some
 * input has no index (then the caller streams). */
static int sample_indexed(struct run *r)
{
	cli *c = r->c;
	struct sel *s = r->s;
	int n = c->ninputs;
	if (n == 0 || needs_id(s))
		return 0;
	kp_packfile **f = calloc((size_t)n, sizeof *f);
	uint64_t *base = calloc((size_t)n + 1, sizeof *base);
	if (!f || !base)
		cli_fatal(c, "out of memory");
	int ok = 1;
	for (int i = 0; i < n && ok; i++) {
		f[i] = open_indexed(c, s, c->inputs[i]);
		ok = f[i] != NULL;
		if (ok)
			base[i + 1] = base[i] + kp_packfile_docs(f[i]);
	}
	if (ok) {
		uint64_t total = base[n], end = s->have_range && s->hi < total ? s->hi : total;
		for (uint64_t o = s->have_range ? s->lo : 0; o < end; o++)
			if (takes(s, o, NULL, 0)) {
				long k = reservoir_slot(r->taken++, s->sample);
				if (k >= 0)
					res_slot(r, k)->ord = o;
			}
		uint64_t k = r->taken < s->sample ? r->taken : s->sample;
		if (k)
			qsort(r->res, k, sizeof *r->res, by_ord);
		c->docs_in = total;
		r->ord = total;
		int fi = 0;
		for (uint64_t i = 0; i < k; i++) {
			uint64_t o = r->res[i].ord;
			while (o >= base[fi + 1])
				fi++;
			const char *line;
			size_t len;
			if (kp_packfile_get(f[fi], o - base[fi], &line, &len) < 0) {
				cli_error(c, "%s", kp_packfile_errmsg(f[fi]));
				break;
			}
			emit(r, line, len);
		}
	}
	for (int i = 0; i < n; i++)
		kp_packfile_close(f[i]);
	free(f);
	free(base);
	return ok || c->failed;
}

/* Without --check. */
static void select_docs(cli *c, struct sel *s)
{
	struct run r = {.c = c, .s = s};
	if (needs_id(s) && !(r.doc = kp_doc_new(c->max_line, KP_DOC_TEXT_OPTIONAL)))
		cli_fatal(c, "out of memory");
	rng_state = s->seed;
	/* the index serves ids, ranges and ordinal shards; a sample or a shard
	 * by id reads everything anyway */
	int use_index = (s->have_ids || s->have_range) && !s->sample && !s->by_id;
	if (s->sample && !s->no_index && sample_indexed(&r)) {
		free(r.res);
		kp_doc_free(r.doc);
		return;
	}
	for (int i = 0; i < (c->ninputs ? c->ninputs : 1) && !r.stop; i++) {
		const char *path = c->ninputs ? c->inputs[i] : "-";
		kp_packfile *f = use_index ? open_indexed(c, s, path) : NULL;
		if (f) {
			indexed_input(&r, f, path);
			kp_packfile_close(f);
			continue;
		}
		if (c->failed && use_index && is_regular(path))
			continue; /* a bad index was reported */
		if (cli_open_input(c, i) < 0)
			continue;
		stream_input(&r);
		cli_close_input(c);
	}
	if (s->sample) {
		uint64_t k = r.taken < s->sample ? r.taken : s->sample;
		if (k)
			qsort(r.res, k, sizeof *r.res, by_ord);
		for (uint64_t i = 0; i < k; i++)
			emit(&r, r.res[i].line, r.res[i].len);
		for (size_t i = 0; i < r.rescap; i++)
			free(r.res[i].line);
		free(r.res);
	}
	if (s->have_ids && !c->failed)
		for (size_t i = 0; i < s->ids.n; i++)
			if (!s->ids.found[i])
				cli_error(c, "id '%s' not found", s->ids.id[i]);
	kp_doc_free(r.doc);
}

/* ---- --check ------------------------------------------------------------------ */

static void *check_new(void *arg)
{
	return kp_doc_new(*(size_t *)arg, 0);
}

static void check_free(void *w)
{
	kp_doc_free(w);
}

static int check_line(void *w, const char *line, size_t len, kp_result *res, const char **msg)
{
	(void)msg;
	if (cli_parse_doc(w, line, len, res) && (kp_result_write(res, 0, line, len) < 0 || kp_result_write(res, 0, "\n", 1) < 0)) {
		*msg = "out of memory";
		return KP_ENOMEM;
	}
	return 0;
}

static const kp_job_ops check_ops = {check_new, check_free, check_line};

/* The blocks of packed inputs, and their indexes. */
static void check_packed(cli *c, uint64_t *packed)
{
	for (int i = 0; i < c->ninputs; i++) {
		const char *path = c->inputs[i];
		if (!is_regular(path))
			continue;
		FILE *fp = fopen(path, "rb");
		unsigned char head[64];
		size_t n = fp ? fread(head, 1, sizeof head, fp) : 0;
		if (fp)
			fclose(fp);
		if (!kp_pack_sniff(head, n))
			continue;
		char *err = NULL;
		kp_packfile *f = NULL;
		int rc = kp_packfile_open(&f, path, NULL, &err);
		if (rc < 0 && rc != KP_ENOTFOUND) {
			cli_error(c, "%s", err ? err : "out of memory");
			free(err);
			continue;
		}
		free(err);
		err = NULL;
		uint64_t blocks = 0, bytes = 0;
		rc = kp_pack_check(path, f, &blocks, &bytes, &err);
		if (rc < 0)
			cli_error(c, "%s", err ? err : "out of memory");
		else
			cli_note(c, "%s: %llu blocks, %s, CRC-32 and EOF block good%s", path, (unsigned long long)blocks,
				 cli_bytes(bytes, 0), f ? "; the index matches" : "; no index");
		(*packed)++;
		free(err);
		kp_packfile_close(f);
	}
}

/* ---- options ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	cli c;
	int check = 0, opt;
	struct sel s = {0};
	const char *end;
	cli_init(&c, &tool);
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case 'c': check = 1; break;
		case OPT_ID:
			ids_add(&c, &s.ids, optarg, strlen(optarg));
			s.have_ids = 1;
			break;
		case OPT_IDS: {
			sbuf b = {0};
			cli_read_file(&c, optarg, &b);
			for (size_t i = 0; i < b.len;) {
				const char *nl = memchr(b.p + i, '\n', b.len - i);
				size_t e = nl ? (size_t)(nl - b.p) : b.len, l = e - i;
				if (l && b.p[i + l - 1] == '\r')
					l--;
				if (l)
					ids_add(&c, &s.ids, b.p + i, l);
				i = e + 1;
			}
			sb_free(&b);
			s.have_ids = 1;
			break;
		}
		case OPT_RANGE: {
			const char *colon = strchr(optarg, ':');
			if (!colon)
				cli_usage_error(&c, "--range: expected A:B, A: or :B, not '%s'", optarg);
			s.lo = 0;
			s.hi = UINT64_MAX;
			if (colon != optarg && (s.lo = cli_parse_u64_prefix(&c, "--range", optarg, &end), end != colon))
				cli_usage_error(&c, "--range: expected A:B, not '%s'", optarg);
			if (colon[1] && (s.hi = cli_parse_u64_prefix(&c, "--range", colon + 1, &end), *end))
				cli_usage_error(&c, "--range: expected A:B, not '%s'", optarg);
			if (s.hi < s.lo)
				cli_usage_error(&c, "--range: %s ends before it starts", optarg);
			s.have_range = 1;
			break;
		}
		case OPT_SAMPLE:
			s.sample = cli_parse_u64_prefix(&c, "--sample", optarg, &end);
			if (*end || !s.sample || s.sample > (1ull << 32))
				cli_usage_error(&c, "--sample: expected 1 to 2^32 documents, not '%s'", optarg);
			break;
		case OPT_SEED:
			s.seed = cli_parse_u64_prefix(&c, "--seed", optarg, &end);
			if (*end)
				cli_usage_error(&c, "--seed: expected a number, not '%s'", optarg);
			break;
		case OPT_SHARD:
			s.shard_i = cli_parse_u64_prefix(&c, "--shard", optarg, &end);
			if (*end != '/' || (s.shard_n = cli_parse_u64_prefix(&c, "--shard", end + 1, &end), *end) || !s.shard_n ||
			    s.shard_i >= s.shard_n)
				cli_usage_error(&c, "--shard: expected I/N with 0 <= I < N, not '%s'", optarg);
			break;
		case OPT_BY_ID: s.by_id = 1; break;
		case OPT_NO_INDEX: s.no_index = 1; break;
		}
	}
	if (s.by_id && !s.shard_n)
		cli_usage_error(&c, "--by-id goes with --shard I/N");
	int selecting = s.have_ids || s.have_range || s.sample || s.shard_n;
	if (check && selecting)
		cli_usage_error(&c, "--check reads every document: it does not take a selection");
	if (c.skip_invalid && !check)
		cli_usage_error(&c, "--skip-invalid needs --check");
	if (s.have_ids)
		ids_build(&c, &s.ids);
	cli_open_outputs(&c);
	uint64_t packed = 0;
	if (check) {
		check_packed(&c, &packed);
		if (!c.failed)
			cli_run_pipeline(&c, &check_ops, &c.max_line);
	} else {
		select_docs(&c, &s);
	}
	int status = cli_finish(&c);
	cli_free(&c);
	if (check)
		cli_note(&c, "%llu documents, %llu valid, %llu invalid%s", (unsigned long long)c.lines_in,
			 (unsigned long long)c.docs_out, (unsigned long long)(c.lines_in - c.docs_out),
			 c.skip_invalid ? " (skipped)" : "");
	ids_free(&s.ids);
	return status;
}
