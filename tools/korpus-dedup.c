/* korpus-dedup: exact, near-duplicate and repeated-paragraph removal, in
 * one streaming command or in map/shuffle/reduce stages.
 *
 *   korpus-dedup [OPTION]... [FILE]...             documents -> kept documents
 *   korpus-dedup paragraphs [OPTION]... [FILE]...  documents -> paragraph counts
 *   korpus-dedup sign --shard N [FILE]...          documents -> key records (map)
 *   korpus-dedup cluster [FILE]...                 sorted key records -> removal list (reduce)
 *   korpus-dedup apply --remove LIST --shard N     documents -> kept documents (map)
 *
 * Workers compute signatures (and remove boilerplate paragraphs); the
 * decisions are taken in input order on the calling thread, as the
 * pipeline delivers each document: its signature record on channel 0,
 * then its line on channel 1. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "cli.h"
#include "dedup_tool.h"

enum {
	OPT_EXACT = 0x100,
	OPT_NEAR,
	OPT_PARAGRAPHS,
	OPT_KEY,
	OPT_NGRAM,
	OPT_NUM_PERM,
	OPT_THRESHOLD,
	OPT_BANDS,
	OPT_ROWS,
	OPT_MIN_SHINGLES,
	OPT_KEEP,
	OPT_DUPS,
	OPT_ANNOTATE,
	OPT_MAX_MEMORY,
	OPT_PARA_MIN_DOCS,
	OPT_PARA_COUNTS,
	OPT_PARA_PER_SOURCE,
	OPT_PARA_REMOVED,
	OPT_SHARD,
	OPT_REMOVE,
	OPT_GROUPS_ONLY,
	OPT_MAX_SPOOL,
};

#define SIGN_OPTIONS                                                                                     \
	{"key", required_argument, NULL, OPT_KEY}, {"ngram", required_argument, NULL, OPT_NGRAM},         \
	{"num-perm", required_argument, NULL, OPT_NUM_PERM},                                              \
	{"threshold", required_argument, NULL, OPT_THRESHOLD},                                            \
	{"bands", required_argument, NULL, OPT_BANDS}, {"rows", required_argument, NULL, OPT_ROWS},       \
	{"min-shingles", required_argument, NULL, OPT_MIN_SHINGLES}

#define PARA_OPTIONS                                                                               \
	{"paragraphs", no_argument, NULL, OPT_PARAGRAPHS},                                          \
	{"para-min-docs", required_argument, NULL, OPT_PARA_MIN_DOCS},                              \
	{"para-counts", required_argument, NULL, OPT_PARA_COUNTS},                                  \
	{"para-per-source", no_argument, NULL, OPT_PARA_PER_SOURCE},                                \
	{"para-removed", required_argument, NULL, OPT_PARA_REMOVED},                                \
	{"max-spool", required_argument, NULL, OPT_MAX_SPOOL}

static const struct option main_options[] = {
	{"exact", no_argument, NULL, OPT_EXACT},
	{"near", no_argument, NULL, OPT_NEAR},
	{"keep", required_argument, NULL, OPT_KEEP},
	{"dups", required_argument, NULL, OPT_DUPS},
	{"annotate", no_argument, NULL, OPT_ANNOTATE},
	{"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
	SIGN_OPTIONS,
	PARA_OPTIONS,
	{0},
};

#define SIGN_HELP                                                                           \
	"  --key words|raw      exact key: the words, case folded, punctuation and a\n"      \
	"                       leading dateline ignored (default); or the bytes as-is\n"    \
	"  --ngram N            words per shingle (5)\n"                                     \
	"  --num-perm N         MinHash permutations (128)\n"                                \
	"  --threshold J        Jaccard similarity of near duplicates (0.8)\n"               \
	"  --bands B --rows R   LSH bands and rows (default: chosen from the threshold)\n"   \
	"  --min-shingles N     fewer shingles: exact matching only (5)\n"

#define PARA_HELP                                                                             \
	"  --paragraphs         remove lines (paragraphs) found in at least --para-min-docs\n" \
	"                       documents from every document: corpus boilerplate;\n"         \
	"                       exact duplicate documents count once.  Two passes over the\n"  \
	"                       input files, or one with --para-counts\n"                      \
	"  --para-min-docs N|auto  documents a paragraph must be in (3); auto: 3 up to\n"      \
	"                       10,000 documents (of the source, with --para-per-source),\n"  \
	"                       2 more for every tenfold past that (5 at 10,000, 7 at\n"     \
	"                       100,000): coincidences grow with the corpus\n"               \
	"  --para-per-source    count paragraphs within each source (\"source\"): a site's\n"  \
	"                       boilerplate, not a quotation several outlets carried\n"      \
	"  --para-removed FILE  one JSON record per removed paragraph: {\"id\", \"rule\":\n"  \
	"                       \"repeated-paragraph\", \"text\", \"documents\"} (documents\n" \
	"                       holding it)\n"                                                 \
	"  --para-counts FILE   paragraph counts from `korpus-dedup paragraphs` (may be\n"    \
	"                       given for each shard: the counts add up)\n"                   \
	"  --max-spool SIZE     without --para-counts, an input that cannot be read twice\n"  \
	"                       (standard input, a pipe) is first copied to $TMPDIR, up\n"   \
	"                       to SIZE (default 16G)\n"

static const struct cli_tool main_tool = {
	.name = "korpus-dedup",
	.summary = "Remove exact and near-duplicate documents and repeated paragraphs",
	.synopsis = "[OPTION]... [FILE]...\n"
		    "  or:  korpus-dedup paragraphs [OPTION]... [FILE]...\n"
		    "  or:  korpus-dedup sign --shard I/N [OPTION]... [FILE]...\n"
		    "  or:  korpus-dedup cluster [OPTION]... [RECORDS]...\n"
		    "  or:  korpus-dedup apply --remove LIST --shard I/N [FILE]...",
	.help =
		"Writes the documents that are not duplicates of an earlier kept one.\n"
		"Exact: the same dedup key (XXH3-128).  Near: MinHash of word shingles with LSH\n"
		"bands; a candidate counts when its MinHash Jaccard estimate reaches the\n"
		"threshold (the best one is named).  Without --exact or --near, both.\n\n"
		"  --exact, --near      the kinds of duplicates to remove\n"
		SIGN_HELP
		PARA_HELP
		"  --keep first         keep the first of duplicates (input order; streaming).\n"
		"                       --keep longest|newest: in stages (cluster --keep)\n"
		"  --dups FILE          one JSON record per removed document:\n"
		"                       {\"n\", \"id\", \"dup_of\", \"kind\", \"jaccard\"}\n"
		"  --annotate           keep every document; add metadata.dup_cluster (the id\n"
		"                       of the kept document) and, to duplicates, dup_of,\n"
		"                       dup_kind and dup_jaccard\n"
		"  --max-memory SIZE    bound the index (e.g. 4G); past it, stop and say to use\n"
		"                       the stages\n\n"
		"Memory: about 470 bytes per kept document with the defaults (exact key,\n"
		"128 MinHash values of 8 bits, 16 band fingerprints, hash tables) plus its\n"
		"id; paragraph counts 16 bytes per distinct paragraph.\n\n"
		"Stages, for shards and clusters (the same result as the single command):\n"
		"  korpus-dedup sign --shard 0/2 shard0.jsonl.gz > 0.rec   (map, per shard)\n"
		"  LC_ALL=C sort -m <(LC_ALL=C sort 0.rec) ... > all.rec   (shuffle: by key)\n"
		"  korpus-dedup cluster all.rec > remove.jsonl             (reduce)\n"
		"  korpus-dedup apply --remove remove.jsonl --shard 0/2 shard0.jsonl.gz (map)\n"
		"See korpus-dedup sign|cluster|apply|paragraphs --help.\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = main_options,
	.examples =
		"  korpus-dedup -j2 norm.jsonl -o unique.jsonl --dups dups.jsonl\n"
		"  korpus-dedup --paragraphs --para-per-source --para-min-docs auto norm.jsonl > unique.jsonl\n"
		"  korpus-dedup --annotate --near --threshold 0.7 norm.jsonl > marked.jsonl\n"
		"  korpus-cat --shard 0/2 all.jsonl | korpus-dedup sign --shard 0/2 > 0.rec   (and 1/2)\n",
};

static const struct option sign_options[] = {
	{"shard", required_argument, NULL, OPT_SHARD},
	{"exact", no_argument, NULL, OPT_EXACT},
	{"near", no_argument, NULL, OPT_NEAR},
	SIGN_OPTIONS,
	PARA_OPTIONS,
	{0},
};

static const struct cli_tool sign_tool = {
	.name = "korpus-dedup sign",
	.summary = "Key records of documents, for korpus-dedup cluster",
	.synopsis = "--shard I/N [OPTION]... [FILE]...",
	.help =
		"Writes, per document, a record of its exact key and one of each LSH band key:\n"
		"  KEY<TAB>SHARD:NUMBER<TAB>LENGTH<TAB>TIME<TAB>MINHASH<TAB>ID\n"
		"KEY first, so that LC_ALL=C sort brings equal keys together (and a hash of\n"
		"it can partition records among reducers).  NUMBER counts the shard's\n"
		"documents from 1; TIME is \"created\" (else \"added\"); MINHASH is base64.\n\n"
		"  --shard I/N          this shard's number I of N shards, as korpus-cat\n"
		"                       --shard I/N cuts them (or I alone; 0..999999)\n"
		"  --exact, --near      as in korpus-dedup (default both)\n"
		SIGN_HELP
		"  --paragraphs, --para-counts FILE, --para-min-docs N\n"
		"                       remove repeated paragraphs before signing\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = sign_options,
};

static const struct option apply_options[] = {
	{"remove", required_argument, NULL, OPT_REMOVE},
	{"shard", required_argument, NULL, OPT_SHARD},
	PARA_OPTIONS,
	{0},
};

static const struct cli_tool apply_tool = {
	.name = "korpus-dedup apply",
	.summary = "Drop the documents a removal list names",
	.synopsis = "--remove LIST --shard N [FILE]...",
	.help =
		"Writes the documents of shard N (the same input, in the same order, as given\n"
		"to sign) except those LIST (from cluster) names.\n\n"
		"  --remove LIST        the removal list (may be given more than once)\n"
		"  --shard I/N          this shard's number, as given to sign (or I alone)\n"
		"  --paragraphs --para-counts FILE [--para-min-docs N|auto] [--para-per-source]\n"
		"                       remove repeated paragraphs first, as sign did (the\n"
		"                       counts of the whole corpus, from korpus-dedup\n"
		"                       paragraphs); --para-removed FILE records them\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = apply_options,
};

static const struct option para_options[] = {
	{"key", required_argument, NULL, OPT_KEY},
	{"para-per-source", no_argument, NULL, OPT_PARA_PER_SOURCE},
	{0},
};

static const struct cli_tool para_tool = {
	.name = "korpus-dedup paragraphs",
	.summary = "Count in how many documents each paragraph occurs",
	.synopsis = "[OPTION]... [FILE]...",
	.help =
		"Writes HASH<TAB>DOCUMENTS for each paragraph (line) found in two documents\n"
		"or more, exact duplicate documents counted once, sorted by hash, then\n"
		"source<TAB>KEY<TAB>DOCUMENTS for each source: the --para-counts input of\n"
		"korpus-dedup (also of another shard: counts add).\n\n"
		"  --para-per-source    count within each source (as korpus-dedup\n"
		"                       --para-per-source, which must be given there too)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = para_options,
};

enum mode { M_DEDUP, M_SIGN, M_COUNT, M_APPLY };

struct settings {
	enum mode mode;
	kp_dedup_params dp;
	int exact, near;
	int paragraphs;
	uint64_t para_min_docs;      /* 0: auto (para_threshold) */
	int para_per_source;
	int para_channel;            /* --para-removed: its channel, or 0 */
	const kp_dedup_paras *paras; /* read-only during a run */
	const kp_dedup_paras *sources; /* distinct documents per source key */
	size_t max_line;
};

/* ---- workers ------------------------------------------------------------------ */

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_dedup_signer *signer;
	kp_dedup_sig sig;
	sbuf text, rec, prec; /* prec: --para-removed records */
	uint64_t paras_removed, docs_changed;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_dedup_signer_free(w->signer);
	sb_free(&w->text);
	sb_free(&w->rec);
	sb_free(&w->prec);
	free(w);
}

static void *worker_new(void *arg)
{
	const struct settings *set = arg;
	struct worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->set = set;
	w->doc = kp_doc_new(set->max_line, 0);
	w->signer = kp_dedup_signer_new(&set->dp);
	if (!w->doc || !w->signer) {
		worker_free(w);
		return NULL;
	}
	return w;
}

/* The record a worker sends for a document (channel 0): */
struct rec_head {
	uint8_t exact[16];
	uint8_t near;
	uint8_t has_id; /* apply: the document has an id (the id is decoded) */
	uint32_t len, idlen, timelen;
};
/* then num_perm MinHash values and `bands` band keys when near, the id's
 * raw JSON (apply: the decoded id), the time's raw JSON. */

/* The key of the document's source: 1 for all when paragraphs are counted
 * over the whole corpus (or the document names none). */
static uint64_t source_key(struct worker *w)
{
	const char *s;
	size_t n;
	if (!w->set->para_per_source || kp_doc_get_str(w->doc, "source", &s, &n) <= 0 || !n)
		return 1;
	uint64_t h = kp_dedup_para_hash(w->signer, s, n);
	return h > 1 ? h : 2;
}

/* A paragraph's key within its source (unchanged for the corpus, so that
 * counts files of either kind read alike). */
static uint64_t para_key(uint64_t h, uint64_t src)
{
	if (src == 1)
		return h;
	uint64_t m = (src * 0x9E3779B97F4A7C15ull) ^ (h + 0x632BE59BD9B4E019ull);
	m ^= m >> 31;
	m *= 0xBF58476D1CE4E5B9ull;
	m ^= m >> 29;
	return m ? m : 1;
}

#define PARA_MIN_DOCS 3      /* the default; and auto's below AUTO_FROM documents */
#define PARA_AUTO_FROM 10000 /* auto: 2 more for every tenfold from here */

/* Documents a paragraph must be in, for a source of `docs` documents. */
static uint64_t para_threshold(const struct settings *set, uint64_t docs)
{
	if (set->para_min_docs)
		return set->para_min_docs;
	uint64_t t = PARA_MIN_DOCS;
	for (uint64_t d = PARA_AUTO_FROM; docs >= d && d <= UINT64_MAX / 10; d *= 10)
		t += 2;
	return t;
}

/* --para-removed: the record of a removed paragraph. */
static int para_record(struct worker *w, kp_result *res, const char *p, size_t n, uint64_t docs)
{
	const char *id;
	size_t idl;
	if (!kp_doc_get_raw(w->doc, "id", &id, &idl)) {
		id = "null";
		idl = 4;
	}
	sbuf *b = &w->prec;
	b->len = 0;
	char num[32];
	snprintf(num, sizeof num, "%llu", (unsigned long long)docs);
	int rc = sb_adds(b, "{\"id\":") | sb_add(b, id, idl) | sb_adds(b, ",\"rule\":\"repeated-paragraph\",\"text\":") |
		 sb_json(b, p, n) | sb_adds(b, ",\"documents\":") | sb_adds(b, num) | sb_adds(b, "}\n");
	return rc < 0 || kp_result_write(res, w->set->para_channel, b->p, b->len) < 0 ? KP_ENOMEM : 0;
}

/* The text without the paragraphs (lines) found in at least the threshold's
 * documents (of its source); 1 when some went. */
static int drop_paragraphs(struct worker *w, kp_result *res, const char *t, size_t n, const char **out,
			   size_t *outlen)
{
	const struct settings *set = w->set;
	sbuf *b = &w->text;
	b->len = 0;
	int dropped = 0, rc = 0;
	size_t i = 0, blank = 0;
	uint64_t src = source_key(w);
	uint64_t min = para_threshold(set, kp_dedup_paras_get(set->sources, src)), docs;
	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - t) : n;
		uint64_t h = kp_dedup_para_hash(w->signer, t + i, e - i);
		if (h && (docs = kp_dedup_paras_get(set->paras, para_key(h, src))) >= min) {
			dropped++;
			w->paras_removed++;
			if (set->para_channel && para_record(w, res, t + i, e - i, docs) < 0)
				return KP_ENOMEM;
		} else if (!h) {
			blank = 1; /* a blank line: a paragraph break, kept once */
		} else {
			if (b->len)
				rc |= sb_add(b, blank ? "\n\n" : "\n", blank ? 2 : 1);
			rc |= sb_add(b, t + i, e - i);
			blank = 0;
		}
		i = e + 1;
	}
	if (rc < 0)
		return KP_ENOMEM;
	if (dropped) {
		*out = b->p ? b->p : "";
		*outlen = b->len;
	}
	return dropped;
}

/* The raw JSON of a top-level string field, or "null". */
static void raw_field(kp_doc *d, const char *key, const char **p, size_t *n)
{
	if (!kp_doc_get_raw(d, key, p, n)) {
		*p = "null";
		*n = 4;
	}
}

static int process(void *p, const char *line, size_t len, kp_result *res, const char **msg)
{
	struct worker *w = p;
	const struct settings *set = w->set;
	if (!cli_parse_doc(w->doc, line, len, res))
		return 0;
	const char *text;
	size_t n;
	*msg = "out of memory";
	if (kp_doc_text(w->doc, &text, &n) < 0)
		return KP_ENOMEM;
	sbuf *r = &w->rec;
	r->len = 0;
	if (set->mode == M_COUNT) {
		/* the document's exact key, its source's, then the keys of its
		 * paragraphs */
		uint64_t src = source_key(w);
		if (kp_dedup_sign(w->signer, text, n, &w->sig) < 0 || sb_add(r, w->sig.exact, 16) < 0 ||
		    sb_add(r, &src, 8) < 0)
			return KP_ENOMEM;
		size_t i = 0;
		while (i < n) {
			const char *nl = memchr(text + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - text) : n;
			uint64_t h = kp_dedup_para_hash(w->signer, text + i, e - i);
			if (h && (h = para_key(h, src), sb_add(r, &h, 8) < 0))
				return KP_ENOMEM;
			i = e + 1;
		}
		return kp_result_write(res, 0, r->p, r->len) < 0 ? KP_ENOMEM : 0;
	}
	int changed = 0;
	if (set->paragraphs) {
		const char *t2;
		size_t n2;
		int rc = drop_paragraphs(w, res, text, n, &t2, &n2);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			text = t2;
			n = n2;
			changed = 1;
			w->docs_changed++;
			if (kp_doc_set_text(w->doc, text, n) < 0)
				return KP_ENOMEM;
		}
	}
	const char *id, *tm;
	size_t idl, tml;
	int has_id = 1;
	if (set->mode == M_APPLY) {
		/* the id as a string, to check against the removal list's */
		if (!(id = kp_doc_id(w->doc, &idl))) {
			id = "";
			idl = 0;
			has_id = 0;
		}
		tm = "";
		tml = 0;
	} else {
		raw_field(w->doc, "id", &id, &idl);
		if (!kp_doc_get_raw(w->doc, "created", &tm, &tml))
			raw_field(w->doc, "added", &tm, &tml);
	}
	struct rec_head h = {{0}, 0, (uint8_t)has_id, (uint32_t)n, (uint32_t)idl, (uint32_t)tml};
	if (set->mode != M_APPLY) {
		if (kp_dedup_sign(w->signer, text, n, &w->sig) < 0)
			return KP_ENOMEM;
		memcpy(h.exact, w->sig.exact, 16);
		h.near = (uint8_t)(set->near && w->sig.near);
	}
	int rc = sb_add(r, &h, sizeof h);
	if (h.near) {
		rc |= sb_add(r, w->sig.mh, (size_t)set->dp.num_perm * sizeof w->sig.mh[0]);
		rc |= sb_add(r, w->sig.band, (size_t)set->dp.bands * sizeof w->sig.band[0]);
	}
	rc |= sb_add(r, id, idl);
	rc |= sb_add(r, tm, tml);
	if (rc < 0 || kp_result_write(res, 0, r->p, r->len) < 0)
		return KP_ENOMEM;
	if (set->mode == M_SIGN)
		return 0;
	const char *out = line;
	size_t on = len;
	if (changed && kp_doc_serialize(w->doc, &out, &on) < 0)
		return KP_ENOMEM;
	if (!changed) { /* the line as it came, with its newline */
		if (kp_result_write(res, 1, line, len) < 0 || kp_result_write(res, 1, "\n", 1) < 0)
			return KP_ENOMEM;
		return 0;
	}
	return kp_result_write(res, 1, out, on) < 0 ? KP_ENOMEM : 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

/* ---- the calling thread ------------------------------------------------------------ */

struct run {
	cli *c;
	struct settings *set;
	kp_dedup_index *index;
	size_t max_memory;
	int dups_channel; /* side output + 1, or 0 */
	int annotate;
	unsigned shard;
	sbuf cur;       /* the record of the document being delivered */
	kp_dedup_sig sig;
	/* ids of kept documents, by document number */
	uint64_t *id_off;
	uint32_t *id_len;
	size_t nid, idcap;
	sbuf ids, out;
	kp_doc *doc; /* for --annotate */
	uint64_t docs, kept, exact, near;
	/* paragraph counting */
	kp_dedup_paras *paras, *sources;
	kp_dedup_paras *seen; /* exact keys of documents counted (a table of 64-bit keys) */
	/* apply: the removal list's documents of this shard, by number */
	struct {
		struct named *e;     /* in the lists' order */
		size_t cap, n;
		kp_dedup_paras *pos; /* key -> its place in e, from 1 */
		sbuf ids;            /* their ids, decoded */
	} remove;
	uint64_t removed;
};

/* A document the removal list names: its number in the shard (key), the
 * id the list gives it, where the list says so. */
struct named {
	uint64_t key;
	uint64_t lineno;
	uint32_t idoff, idlen;
	int has_id;
	const char *list;
};

/* The document of the removal list with this key, or NULL. */
static const struct named *named_get(const struct run *r, uint64_t key)
{
	uint64_t pos = r->remove.pos ? kp_dedup_paras_get(r->remove.pos, key) : 0;
	return pos ? &r->remove.e[pos - 1] : NULL;
}

/* Remember a document of the removal list; 0, or -1 when out of memory. */
static int named_put(struct run *r, uint64_t key, const char *id, size_t idl, int has_id, const char *list,
		     uint64_t lineno)
{
	if (!r->remove.pos && !(r->remove.pos = kp_dedup_paras_new()))
		return -1;
	if (named_get(r, key))
		return 0; /* named twice (two lists): the first says */
	if (r->remove.n == r->remove.cap) {
		size_t ncap = r->remove.cap ? 2 * r->remove.cap : 1024;
		struct named *ne = realloc(r->remove.e, ncap * sizeof *ne);
		if (!ne)
			return -1;
		r->remove.e = ne;
		r->remove.cap = ncap;
	}
	r->remove.e[r->remove.n++] = (struct named){key, lineno, (uint32_t)r->remove.ids.len, (uint32_t)idl, has_id, list};
	if (kp_dedup_paras_add(r->remove.pos, key, r->remove.n) < 0)
		return -1;
	return sb_add(&r->remove.ids, id, idl);
}

static uint64_t order_key(unsigned shard, uint64_t n)
{
	return (uint64_t)shard << KP_DEDUP_ORDER_SHIFT | n;
}

/* Remember a kept document's id (raw JSON). */
static int keep_id(struct run *r, uint64_t n, const char *id, size_t idl)
{
	if (n >= r->idcap) {
		size_t ncap = r->idcap ? 2 * r->idcap : 4096;
		while (ncap <= n)
			ncap *= 2;
		uint64_t *no = realloc(r->id_off, ncap * sizeof *no);
		if (no)
			r->id_off = no;
		uint32_t *nl = realloc(r->id_len, ncap * sizeof *nl);
		if (nl)
			r->id_len = nl;
		if (!no || !nl)
			return -1;
		r->idcap = ncap;
	}
	r->id_off[n] = r->ids.len;
	r->id_len[n] = (uint32_t)idl;
	return sb_add(&r->ids, id, idl);
}

static void fmt_jaccard(char *buf, size_t n, double j)
{
	snprintf(buf, n, "%.4g", j);
}

/* Decide on the delivered document and write what it becomes. */
static int deliver_dedup(struct run *r, const char *line, size_t len)
{
	cli *c = r->c;
	const struct settings *set = r->set;
	struct rec_head h;
	const char *p = r->cur.p;
	memcpy(&h, p, sizeof h);
	p += sizeof h;
	kp_dedup_sig *sig = &r->sig;
	memcpy(sig->exact, h.exact, 16);
	sig->near = h.near;
	if (h.near) {
		memcpy(sig->mh, p, (size_t)set->dp.num_perm);
		p += (size_t)set->dp.num_perm;
		memcpy(sig->band, p, (size_t)set->dp.bands * 8);
		p += (size_t)set->dp.bands * 8;
	}
	const char *id = p;
	uint64_t n = ++r->docs;
	kp_dedup_verdict v;
	int rc = kp_dedup_index_add(r->index, n, sig, NULL, &v);
	if (rc == KP_ETOOLONG)
		cli_fatal(c,
			  "the index passed --max-memory (%s after %llu kept documents); deduplicate this corpus in "
			  "stages: korpus-dedup sign | LC_ALL=C sort | korpus-dedup cluster, then korpus-dedup apply",
			  cli_bytes(kp_dedup_index_memory(r->index), 0), (unsigned long long)r->kept);
	if (rc < 0)
		cli_fatal(c, "out of memory");
	if (v.kind == KP_DEDUP_NEAR && !set->near)
		v.kind = KP_DEDUP_KEPT; /* cannot happen: no MinHash without --near */
	if (v.kind == KP_DEDUP_EXACT && !set->exact && !h.near)
		v.kind = KP_DEDUP_KEPT; /* --near only: short documents are not matched */
	const char *kept_id = NULL;
	size_t kept_idl = 0;
	if (v.kind == KP_DEDUP_KEPT) {
		r->kept++;
		if (keep_id(r, n, id, h.idlen) < 0)
			cli_fatal(c, "out of memory");
		if (r->max_memory && kp_dedup_index_memory(r->index) + r->ids.len > r->max_memory)
			cli_fatal(c,
				  "the index passed --max-memory (after %llu kept documents); deduplicate this corpus in "
				  "stages: korpus-dedup sign | LC_ALL=C sort | korpus-dedup cluster, then korpus-dedup "
				  "apply",
				  (unsigned long long)r->kept);
	} else {
		v.kind == KP_DEDUP_EXACT ? r->exact++ : r->near++;
		kept_id = r->ids.p + r->id_off[v.dup_of];
		kept_idl = r->id_len[v.dup_of];
	}
	char jac[32];
	fmt_jaccard(jac, sizeof jac, v.jaccard);
	if (v.kind != KP_DEDUP_KEPT && r->dups_channel) {
		sbuf *o = &r->out;
		o->len = 0;
		char num[32];
		snprintf(num, sizeof num, "%llu", (unsigned long long)n);
		int e = sb_adds(o, "{\"n\":") | sb_adds(o, num) | sb_adds(o, ",\"id\":") | sb_add(o, id, h.idlen) |
			sb_adds(o, ",\"dup_of\":") | sb_add(o, kept_id, kept_idl) | sb_adds(o, ",\"kind\":\"") |
			sb_adds(o, v.kind == KP_DEDUP_EXACT ? "exact" : "near") | sb_adds(o, "\",\"jaccard\":") |
			sb_adds(o, jac) | sb_adds(o, "}\n");
		if (e < 0)
			cli_fatal(c, "out of memory");
		cli_write(c, c->side[r->dups_channel - 1], o->p, o->len);
	}
	if (r->annotate) {
		/* every document: its cluster; a duplicate also what it repeats */
		kp_doc *d = r->doc;
		size_t ll = len && line[len - 1] == '\n' ? len - 1 : len;
		const char *out;
		size_t on;
		if (kp_doc_parse(d, line, ll) < 0)
			cli_fatal(c, "out of memory");
		int e = kp_doc_meta_set_raw(d, "dup_cluster", kept_id ? kept_id : id, kept_id ? kept_idl : h.idlen);
		if (v.kind != KP_DEDUP_KEPT) {
			e |= kp_doc_meta_set_raw(d, "dup_of", kept_id, kept_idl);
			e |= kp_doc_meta_set_str(d, "dup_kind", v.kind == KP_DEDUP_EXACT ? "exact" : "near",
						 v.kind == KP_DEDUP_EXACT ? 5 : 4);
			e |= kp_doc_meta_set_raw(d, "dup_jaccard", jac, strlen(jac));
		}
		if (e < 0 || kp_doc_serialize(d, &out, &on) < 0)
			cli_fatal(c, "%s", kp_doc_errmsg(d));
		cli_write(c, c->out, out, on);
		c->docs_out++;
	} else if (v.kind == KP_DEDUP_KEPT) {
		cli_write(c, c->out, line, len);
		c->docs_out++;
	}
	return 0;
}

/* The key records of the delivered document (the format: korpus/dedup.h). */
static int deliver_sign(struct run *r)
{
	const struct settings *set = r->set;
	struct rec_head h;
	const char *p = r->cur.p;
	memcpy(&h, p, sizeof h);
	p += sizeof h;
	const uint8_t *mh = NULL;
	uint64_t band[KP_DEDUP_MAX_BANDS];
	if (h.near) {
		mh = (const uint8_t *)(const void *)p;
		p += (size_t)set->dp.num_perm;
		memcpy(band, p, (size_t)set->dp.bands * 8);
		p += (size_t)set->dp.bands * 8;
	}
	const char *id = p, *tm = p + h.idlen;
	uint64_t n = ++r->docs;
	sbuf *o = &r->out;
	o->len = 0;
	if (sb_reserve(o, kp_dedup_records_size(&set->dp, h.idlen, h.timelen)) < 0)
		cli_fatal(r->c, "out of memory");
	o->len = kp_dedup_records_write(o->p, &set->dp, set->exact, h.exact, mh, band, order_key(r->shard, n), h.len, id,
					h.idlen, tm, h.timelen);
	cli_write(r->c, r->c->out, o->p, o->len);
	return 0;
}

/* Count the distinct paragraphs of the delivered document, unless an
 * exact duplicate of it was counted already. */
static int deliver_count(struct run *r)
{
	const char *p = r->cur.p;
	size_t n = r->cur.len;
	uint64_t ek;
	memcpy(&ek, p, 8);
	ek = ek ? ek : 1; /* the table's keys are not 0 */
	int fresh = kp_dedup_paras_get(r->seen, ek) == 0;
	if (fresh && kp_dedup_paras_add(r->seen, ek, 1) < 0)
		cli_fatal(r->c, "out of memory");
	r->docs++;
	if (!fresh)
		return 0;
	uint64_t src;
	memcpy(&src, p + 16, 8);
	if (kp_dedup_paras_add(r->sources, src, 1) < 0)
		cli_fatal(r->c, "out of memory");
	size_t m = (n - 24) / 8;
	if (!m)
		return 0;
	uint64_t *hs = malloc(m * sizeof *hs);
	if (!hs)
		cli_fatal(r->c, "out of memory");
	memcpy(hs, p + 24, m * 8);
	qsort(hs, m, sizeof *hs, cli_cmp_u64);
	for (size_t i = 0; i < m; i++)
		if ((i == 0 || hs[i] != hs[i - 1]) && kp_dedup_paras_add(r->paras, hs[i], 1) < 0)
			cli_fatal(r->c, "out of memory");
	free(hs);
	return 0;
}

/* Drop the document when the list names it: by its number in the shard,
 * and only when it has the id the list gives (a list of another shard, or
 * a shard in another order, would otherwise remove unique documents). */
static int deliver_apply(struct run *r, const char *line, size_t len)
{
	uint64_t n = ++r->docs;
	uint64_t key = order_key(r->shard, n);
	const struct named *e = named_get(r, key);
	if (!e) {
		cli_write(r->c, r->c->out, line, len);
		r->c->docs_out++;
		return 0;
	}
	struct rec_head h;
	memcpy(&h, r->cur.p, sizeof h);
	const char *id = r->cur.p + sizeof h;
	int has_id = h.has_id;
	const char *want = r->remove.ids.p + e->idoff;
	if (has_id != e->has_id || h.idlen != e->idlen || memcmp(id, want, h.idlen) != 0) {
		sbuf a = {0}, b = {0};
		if ((has_id ? sb_json(&a, id, h.idlen) : sb_adds(&a, "none")) < 0 ||
		    (e->has_id ? sb_json(&b, want, e->idlen) : sb_adds(&b, "none")) < 0 || sb_add(&a, "", 1) < 0 ||
		    sb_add(&b, "", 1) < 0)
			cli_fatal(r->c, "out of memory");
		cli_fatal(r->c,
			  "%s: document %llu of shard %u has the id %s, but the removal list %s:%llu names %s for it: "
			  "the list of another shard, or the shard in another order than given to sign?",
			  kp_reader_name(r->c->in), (unsigned long long)n, r->shard, a.p, e->list,
			  (unsigned long long)e->lineno, b.p);
	}
	r->removed++;
	return 0;
}

static int deliver(void *ctx, int channel, const char *p, size_t n)
{
	struct run *r = ctx;
	if (channel == 0) {
		r->cur.len = 0;
		if (sb_add(&r->cur, p, n) < 0)
			return KP_ENOMEM;
		switch (r->set->mode) {
		case M_SIGN: return deliver_sign(r);
		case M_COUNT: return deliver_count(r);
		default: return 0;
		}
	}
	if (channel == 1)
		return r->set->mode == M_APPLY ? deliver_apply(r, p, n) : deliver_dedup(r, p, n);
	if (channel == r->set->para_channel)
		cli_write(r->c, r->c->side[channel - 2], p, n);
	return 0;
}

/* ---- options ------------------------------------------------------------------------ */

static const char *const keep_names[] = {"first", "longest", "newest"};

enum kp_dedup_keep dedup_parse_keep(cli *c, const char *arg)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, keep_names[i]))
			return (enum kp_dedup_keep)i;
	cli_usage_error(c, "--keep: expected first, longest or newest, not '%s'", arg);
}

static const char *keep_name(enum kp_dedup_keep k)
{
	return keep_names[k];
}

double dedup_parse_threshold(cli *c, const char *arg)
{
	double t = cli_parse_double(c, "--threshold", arg, 0, 1);
	if (t <= 0 || t >= 1)
		cli_usage_error(c, "invalid value for --threshold: '%s' (expected a number between 0 and 1)", arg);
	return t;
}

/* Load a counts file of `korpus-dedup paragraphs`: HASH<TAB>DOCUMENTS lines
 * into t, source<TAB>KEY<TAB>DOCUMENTS lines into sources. */
static void load_counts(cli *c, kp_dedup_paras *t, kp_dedup_paras *sources, const char *path)
{
	kp_reader *rd = kp_reader_new(0);
	if (!rd || kp_reader_open(rd, path) < 0)
		cli_usage_error(c, "%s", rd ? kp_reader_errmsg(rd) : "out of memory");
	const char *line;
	size_t len;
	int rc;
	while ((rc = kp_reader_getline(rd, &line, &len)) > 0) {
		char buf[64], *end;
		if (len >= sizeof buf)
			cli_fatal(c, "%s:%llu: not a paragraph count", path, (unsigned long long)kp_reader_lineno(rd));
		memcpy(buf, line, len);
		buf[len] = '\0';
		int is_src = len > 7 && !memcmp(buf, "source\t", 7);
		char *at = is_src ? buf + 7 : buf;
		unsigned long long h = strtoull(at, &end, 16), n;
		if (end != at + 16 || *end != '\t' || (n = strtoull(end + 1, &end, 10), *end))
			cli_fatal(c, "%s:%llu: expected HASH<TAB>COUNT or source<TAB>KEY<TAB>COUNT", path,
				  (unsigned long long)kp_reader_lineno(rd));
		if (kp_dedup_paras_add(is_src ? sources : t, h, n) < 0)
			cli_fatal(c, "out of memory");
	}
	if (rc < 0)
		cli_fatal(c, "%s: %s", path, kp_reader_errmsg(rd));
	kp_reader_free(rd);
}

struct count_out {
	uint64_t (*pairs)[2];
	size_t n, cap;
	int failed; /* out of memory: some pairs missing */
};

static void collect_count(void *ctx, uint64_t hash, uint64_t n)
{
	struct count_out *o = ctx;
	if (o->n == o->cap) {
		size_t ncap = o->cap ? 2 * o->cap : 1024;
		void *np = realloc(o->pairs, ncap * sizeof *o->pairs);
		if (!np) {
			o->failed = 1;
			return;
		}
		o->pairs = np;
		o->cap = ncap;
	}
	o->pairs[o->n][0] = hash;
	o->pairs[o->n][1] = n;
	o->n++;
}

static int cmp_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Write the counts of at least min documents, sorted by key, each line
 * PREFIX KEY<TAB>COUNT (o: a buffer for the pairs, reused). */
static void write_counts(cli *c, const kp_dedup_paras *t, uint64_t min, const char *prefix, struct count_out *o)
{
	o->n = 0;
	kp_dedup_paras_each(t, min, collect_count, o);
	if (o->failed)
		cli_fatal(c, "out of memory");
	if (o->n)
		qsort(o->pairs, o->n, sizeof *o->pairs, cmp_pair);
	for (size_t i = 0; i < o->n; i++) {
		char line[96];
		int n = snprintf(line, sizeof line, "%s%016llx\t%llu\n", prefix, (unsigned long long)o->pairs[i][0],
				 (unsigned long long)o->pairs[i][1]);
		cli_write(c, c->out, line, (size_t)n);
	}
}


/* Sign options shared by the single command, sign and paragraphs. */
static int sign_option(cli *c, struct settings *set, int opt, int *exact, int *near)
{
	switch (opt) {
	case OPT_EXACT: *exact = 1; return 1;
	case OPT_NEAR: *near = 1; return 1;
	case OPT_KEY:
		if (strcmp(optarg, "words") && strcmp(optarg, "raw"))
			cli_usage_error(c, "--key: expected words or raw, not '%s'", optarg);
		set->dp.raw_key = !strcmp(optarg, "raw");
		return 1;
	case OPT_NGRAM: set->dp.ngram = (int)cli_parse_long(c, "--ngram", optarg, 1, 32); return 1;
	case OPT_NUM_PERM: set->dp.num_perm = (int)cli_parse_long(c, "--num-perm", optarg, 2, KP_DEDUP_MAX_PERM); return 1;
	case OPT_THRESHOLD: set->dp.threshold = dedup_parse_threshold(c, optarg); return 1;
	case OPT_BANDS: set->dp.bands = (int)cli_parse_long(c, "--bands", optarg, 1, KP_DEDUP_MAX_BANDS); return 1;
	case OPT_ROWS: set->dp.rows = (int)cli_parse_long(c, "--rows", optarg, 1, KP_DEDUP_MAX_PERM); return 1;
	case OPT_MIN_SHINGLES: set->dp.min_shingles = (int)cli_parse_long(c, "--min-shingles", optarg, 1, 1000000); return 1;
	case OPT_PARAGRAPHS: set->paragraphs = 1; return 1;
	case OPT_PARA_MIN_DOCS:
		set->para_min_docs = !strcmp(optarg, "auto") ? 0 : (uint64_t)cli_parse_long(c, "--para-min-docs", optarg, 2, 1L << 40);
		return 1;
	case OPT_PARA_PER_SOURCE: set->para_per_source = 1; return 1;
	default: return 0;
	}
}

static void run_counts(cli *c, struct run *r)
{
	struct settings count = *r->set;
	count.mode = M_COUNT;
	struct settings *saved = r->set;
	r->set = &count;
	c->deliver = deliver;
	c->deliver_ctx = r;
	cli_run_pipeline(c, &ops, &count);
	cli_free(c);
	r->set = saved;
	r->docs = 0;
}

/* The options of one run, as given. */
struct opts {
	const char *dups, *para_removed, *counts[64], *remove[64];
	int ncounts, nremove, shard_given;
	uint64_t max_spool;
};

/* Read and check the options into set, r and o; usage errors exit 2. */
static void parse_options(cli *c, int argc, char **argv, struct settings *set, struct run *r, struct opts *o)
{
	enum kp_dedup_keep keep = KP_DEDUP_KEEP_FIRST;
	int opt;
	while ((opt = cli_getopt(c, argc, argv)) != -1) {
		if (sign_option(c, set, opt, &set->exact, &set->near))
			continue;
		switch (opt) {
		case OPT_KEEP: keep = dedup_parse_keep(c, optarg); break;
		case OPT_DUPS: o->dups = optarg; break;
		case OPT_PARA_REMOVED: o->para_removed = optarg; break;
		case OPT_ANNOTATE: r->annotate = 1; break;
		case OPT_MAX_MEMORY: r->max_memory = cli_parse_size(c, "--max-memory", optarg); break;
		case OPT_MAX_SPOOL: o->max_spool = cli_parse_size(c, "--max-spool", optarg); break;
		case OPT_PARA_COUNTS:
			if (o->ncounts == 64)
				cli_usage_error(c, "at most 64 --para-counts files");
			o->counts[o->ncounts++] = optarg;
			break;
		case OPT_SHARD: {
			/* I/N as korpus-cat --shard cuts them (N for the check), or I */
			const char *end;
			uint64_t i = cli_parse_u64_prefix(c, "--shard", optarg, &end), n = 1000000;
			if (*end == '/')
				n = cli_parse_u64_prefix(c, "--shard", end + 1, &end);
			if (*end || i >= n)
				cli_usage_error(c, "--shard: expected I/N with 0 <= I < N <= 1000000, or I, not '%s'", optarg);
			r->shard = (unsigned)i;
			o->shard_given = 1;
			break;
		}
		case OPT_REMOVE:
			if (o->nremove == 64)
				cli_usage_error(c, "at most 64 --remove lists");
			o->remove[o->nremove++] = optarg;
			break;
		}
	}
	if (!set->exact && !set->near)
		set->exact = set->near = 1;
	if (keep != KP_DEDUP_KEEP_FIRST)
		cli_usage_error(c, "--keep %s needs every document's signature first: use the stages "
			       "(korpus-dedup sign | LC_ALL=C sort | korpus-dedup cluster --keep %s | korpus-dedup apply)",
			keep_name(keep), keep_name(keep));
	if ((set->mode == M_SIGN || set->mode == M_APPLY) && !o->shard_given)
		cli_usage_error(c, "--shard I/N is needed, so that records of several shards stay apart");
	if (set->mode == M_APPLY && !o->nremove)
		cli_usage_error(c, "--remove LIST is needed");
	if (o->ncounts && !set->paragraphs)
		cli_usage_error(c, "--para-counts goes with --paragraphs");
	if (set->mode == M_APPLY && set->paragraphs && !o->ncounts)
		cli_usage_error(c, "apply --paragraphs needs --para-counts (the counts of every shard: a shard's own "
			       "would miss what the others hold)");
	if (o->para_removed && !set->paragraphs)
		cli_usage_error(c, "--para-removed goes with --paragraphs");
	if (!set->near)
		set->dp.bands = set->dp.rows = 1; /* no MinHash: nothing to choose */
	if (kp_dedup_params_finish(&set->dp) < 0)
		cli_usage_error(c, "--bands x --rows must not exceed --num-perm (%d)", set->dp.num_perm);
	if (!set->near)
		set->dp.min_shingles = 1 << 30; /* never MinHash */
	set->max_line = c->max_line;
}

/* apply: the removal records of this shard from the --remove lists. */
static void load_removals(cli *c, struct run *r, const struct opts *o)
{
	for (int i = 0; i < o->nremove; i++) {
		const char *list = o->remove[i];
		kp_reader *rd = kp_reader_new(0);
		kp_doc *d = kp_doc_new(0, KP_DOC_TEXT_OPTIONAL);
		if (!rd || !d || kp_reader_open(rd, list) < 0)
			cli_usage_error(c, "%s", rd ? kp_reader_errmsg(rd) : "out of memory");
		const char *line, *ord;
		size_t len, ol;
		int rc;
		while ((rc = kp_reader_getline(rd, &line, &len)) > 0) {
			uint64_t order;
			if (kp_doc_parse(d, line, len) < 0 || kp_doc_get_str(d, "order", &ord, &ol) <= 0 ||
			    kp_dedup_order_parse(ord, ol, &order) < 0) {
				uint64_t bad = kp_reader_lineno(rd);
				kp_reader_free(rd);
				kp_doc_free(d);
				cli_fatal(c, "%s:%llu: not a removal record of korpus-dedup cluster", list,
					  (unsigned long long)bad);
			}
			size_t idl;
			const char *id = kp_doc_id(d, &idl);
			if (KP_DEDUP_ORDER_SHARD(order) == r->shard && named_put(r, order, id ? id : "", id ? idl : 0, id != NULL, list,
						       kp_reader_lineno(rd)) < 0)
				cli_fatal(c, "out of memory");
		}
		if (rc < 0)
			cli_fatal(c, "%s: %s", list, kp_reader_errmsg(rd));
		kp_reader_free(rd);
		kp_doc_free(d);
	}
}

/* apply: a list that names documents past the end of this input belongs
 * to another shard; the first such record is named. */
static void check_removals_found(cli *c, const struct run *r)
{
	if (r->removed >= r->remove.n)
		return;
	const struct named *first = NULL;
	for (size_t i = 0; i < r->remove.n; i++) {
		const struct named *e = &r->remove.e[i];
		if (KP_DEDUP_ORDER_NUM(e->key) > r->docs && (!first || e->key < first->key))
			first = e;
	}
	if (first)
		cli_error(c, "%s:%llu: the removal list names document %llu of shard %u, but the input has %llu "
			     "documents: the list of another shard?",
			  first->list, (unsigned long long)first->lineno,
			  (unsigned long long)KP_DEDUP_ORDER_NUM(first->key), r->shard, (unsigned long long)r->docs);
}

/* The summary lines on stderr after the run. */
static void summarize(cli *c, const struct settings *set, const struct run *r)
{
	uint64_t para_removed = 0, para_docs = 0;
	for (int i = 0; c->pipeline && i < kp_pipeline_nworkers(c->pipeline); i++) {
		const struct worker *w = kp_pipeline_worker(c->pipeline, i);
		para_removed += w->paras_removed;
		para_docs += w->docs_changed;
	}
	if (set->mode == M_DEDUP) {
		cli_note(c, "%llu documents: %llu kept, %llu removed (%llu exact, %llu near duplicates)%s",
			 (unsigned long long)r->docs, (unsigned long long)r->kept, (unsigned long long)(r->exact + r->near),
			 (unsigned long long)r->exact, (unsigned long long)r->near, r->annotate ? " [annotated, none removed]" : "");
		cli_note(c, "index: %s for %llu kept documents", cli_bytes(kp_dedup_index_memory(r->index) + r->ids.len, 0),
			 (unsigned long long)r->kept);
	} else if (set->mode == M_SIGN) {
		cli_note(c, "%llu documents signed (shard %u)", (unsigned long long)r->docs, r->shard);
	} else if (set->mode == M_APPLY) {
		cli_note(c, "%llu documents: %llu kept, %llu removed", (unsigned long long)r->docs,
			 (unsigned long long)(r->docs - r->removed), (unsigned long long)r->removed);
	}
	if (set->paragraphs && set->mode != M_COUNT) {
		char min[96];
		if (set->para_min_docs)
			snprintf(min, sizeof min, ">= %llu documents", (unsigned long long)set->para_min_docs);
		else if (set->para_per_source)
			snprintf(min, sizeof min, "as many documents of its source as the source's size asks (auto)");
		else
			snprintf(min, sizeof min, ">= %llu documents (auto, for %llu)",
				 (unsigned long long)para_threshold(set, kp_dedup_paras_get(set->sources, 1)),
				 (unsigned long long)kp_dedup_paras_get(set->sources, 1));
		cli_note(c, "paragraphs: %llu removed from %llu documents (found in %s%s)",
			 (unsigned long long)para_removed, (unsigned long long)para_docs, min,
			 set->para_per_source && set->para_min_docs ? " of the same source" : "");
	}
}

static void run_free(struct run *r)
{
	kp_dedup_index_free(r->index);
	kp_dedup_paras_free(r->paras);
	kp_dedup_paras_free(r->sources);
	kp_doc_free(r->doc);
	sb_free(&r->cur);
	sb_free(&r->ids);
	sb_free(&r->out);
	free(r->id_off);
	free(r->id_len);
	kp_dedup_paras_free(r->seen);
	kp_dedup_paras_free(r->remove.pos);
	free(r->remove.e);
	sb_free(&r->remove.ids);
}

/* korpus-dedup, its stages sign, apply and paragraphs (one pipeline, the
 * mode choosing what each document meets) */
static int dedup_main(enum mode mode, const struct cli_tool *tool, int argc, char **argv)
{
	cli c;
	cli_init(&c, tool);
	struct settings set = {.mode = mode, .para_min_docs = PARA_MIN_DOCS};
	kp_dedup_params_default(&set.dp);
	struct run r = {.c = &c, .set = &set};
	struct opts o = {.max_spool = (uint64_t)16 << 30};
	parse_options(&c, argc, argv, &set, &r, &o);
	set.paras = r.paras = kp_dedup_paras_new();
	set.sources = r.sources = kp_dedup_paras_new();
	r.seen = kp_dedup_paras_new();
	if (!set.paras || !set.sources || !r.seen)
		cli_fatal(&c, "out of memory");
	if (mode == M_DEDUP && set.near && !c.quiet) {
		double fp, fn;
		kp_dedup_params_errors(&set.dp, &fp, &fn);
		cli_note(&c, "near duplicates: %d-word shingles, %d permutations, Jaccard >= %g: %d bands x %d rows "
			     "(false positive area %.4f, false negative area %.4f)",
			 set.dp.ngram, set.dp.num_perm, set.dp.threshold, set.dp.bands, set.dp.rows, fp, fn);
	}
	/* paragraph counts: from files, or a first pass over the inputs */
	if (set.paragraphs && mode != M_COUNT) {
		for (int i = 0; i < o.ncounts; i++)
			load_counts(&c, r.paras, r.sources, o.counts[i]);
		if (!o.ncounts) {
			/* two passes: a stream is copied first (bounded by --max-spool) */
			cli_spool_inputs(&c, o.max_spool, "--paragraphs without --para-counts");
			run_counts(&c, &r);
		}
	}
	if (mode == M_APPLY)
		load_removals(&c, &r, &o);
	r.index = kp_dedup_index_new(&set.dp, r.max_memory);
	r.doc = kp_doc_new(c.max_line, 0);
	if (!r.index || !r.doc)
		cli_fatal(&c, "out of memory");
	cli_open_outputs(&c);
	if (o.dups) {
		cli_open_side(&c, o.dups);
		r.dups_channel = c.nsides;
	}
	if (o.para_removed) {
		cli_open_side(&c, o.para_removed);
		set.para_channel = c.nsides + 1; /* channels 0 and 1 are the pipeline's; see deliver */
	}
	c.deliver = deliver;
	c.deliver_ctx = &r;
	cli_run_pipeline(&c, &ops, &set);
	if (mode == M_APPLY && !c.failed)
		check_removals_found(&c, &r);
	if (mode == M_COUNT && !c.failed) {
		struct count_out co = {0};
		write_counts(&c, r.paras, 2, "", &co);
		size_t npara = co.n;
		/* the documents of each source, for --para-min-docs auto */
		write_counts(&c, r.sources, 1, "source\t", &co);
		free(co.pairs);
		cli_note(&c, "%llu documents (%zu distinct), %zu distinct paragraphs, %zu in two documents or more",
			 (unsigned long long)r.docs, kp_dedup_paras_size(r.seen), kp_dedup_paras_size(set.paras), npara);
	}
	int status = cli_finish(&c);
	summarize(&c, &set, &r);
	cli_note_skipped(&c);
	cli_free(&c);
	run_free(&r);
	return status;
}

/* The subcommands, as git's command table: a name, and the tool it is (the
 * one-pass modes share dedup_main; cluster reads records, not documents). */
static const struct command {
	const char *name;
	enum mode mode;
	const struct cli_tool *tool;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"sign", M_SIGN, &sign_tool, NULL},
	{"apply", M_APPLY, &apply_tool, NULL},
	{"paragraphs", M_COUNT, &para_tool, NULL},
	{"cluster", M_DEDUP, NULL, cluster_main},
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *cmd = &commands[i];
		if (strcmp(argv[1], cmd->name))
			continue;
		return cmd->run ? cmd->run(argc - 1, argv + 1) : dedup_main(cmd->mode, cmd->tool, argc - 1, argv + 1);
	}
	return dedup_main(M_DEDUP, &main_tool, argc, argv);
}
