/* korpus-clean: remove Indonesian news chrome, keep the article, record
 * what was removed and why. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_EXPLAIN = 0x100,
	OPT_REMOVED,
	OPT_KEEP_DATELINE,
	OPT_KEEP_EMPTY,
	OPT_RULES,
	OPT_NO_BUILTIN,
	OPT_DUMP_RULES,
};

static const struct option options[] = {
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"removed", required_argument, NULL, OPT_REMOVED},
	{"keep-dateline", no_argument, NULL, OPT_KEEP_DATELINE},
	{"keep-empty", no_argument, NULL, OPT_KEEP_EMPTY},
	{"rules", required_argument, NULL, OPT_RULES},
	{"no-builtin-rules", no_argument, NULL, OPT_NO_BUILTIN},
	{"dump-rules", no_argument, NULL, OPT_DUMP_RULES},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-clean",
	.summary = "Remove Indonesian news boilerplate, keep the article, record what was removed",
	.synopsis = "[OPTION]... [FILE]...",
	.help =
		"Removes page chrome from each document's text: inserted links (\"Baca juga\"\n"
		"and its headline), promos, ads, embeds, bylines and credits, captions, the\n"
		"dateline, editor codes and end marks, tag lists, syndication and site footers.\n"
		"Paragraphs broken at every link are rejoined.  The text becomes the body\n"
		"paragraphs separated by blank lines.  Found on the page and kept in metadata:\n"
		"dateline {place, outlet}, title, authors, editor, credit_source, published.\n"
		"A document left with no prose (fewer than three words: nothing, a dateline, a\n"
		"byline) is dropped, counted, and written to --removed as\n"
		"{\"id\", \"rule\": \"no-prose\", \"text\" (what was left), \"document\" (the input)}.\n\n"
		"  --explain            list the removed spans in metadata.removed as\n"
		"                       [{\"rule\", \"text\"}]\n"
		"  --removed FILE       write each removed span to FILE as JSON Lines\n"
		"                       {\"id\", \"rule\", \"text\"}\n"
		"  --keep-dateline      leave the dateline in the text (still in metadata)\n"
		"  --keep-empty         keep a document with no prose left, marked\n"
		"                       metadata.clean_empty = true, instead of dropping it\n"
		"  --rules FILE         add the rules of FILE (format: see --dump-rules);\n"
		"                       may be given more than once\n"
		"  --no-builtin-rules   start from no rules (only --rules files)\n"
		"  --dump-rules         print the built-in rules and exit\n\n"
		"Memory: each worker holds its document about ten times over (the line read,\n"
		"the text, its working copies and the output) plus 96 bytes a line; a\n"
		"document of more than 1048576 lines is invalid (no article has as many).\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-clean -j2 raw.jsonl.gz -o clean.jsonl.gz --removed removed.jsonl\n"
		"  korpus-clean --explain raw.jsonl | head -1          what was removed, in metadata\n"
		"  korpus-clean --dump-rules > my.rules                the rules, to edit and use\n"
		"  korpus-clean --rules my.rules raw.jsonl > clean.jsonl\n",
};

struct settings {
	const kp_clean_rules *rules;
	unsigned flags;
	int keep_empty;
	int explain, removed_channel;
	size_t max_line;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_clean *clean;
	sbuf json, rec;
	uint64_t bytes_in, bytes_out, emptied, repairs, dropped;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_clean_free(w->clean);
	sb_free(&w->json);
	sb_free(&w->rec);
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
	w->clean = kp_clean_new(set->rules, set->flags);
	if (!w->doc || !w->clean) {
		worker_free(w);
		return NULL;
	}
	return w;
}

/* Set metadata.key to a string found on the page, unless the document
 * already has one (an importer's column is better than a guess). */
static int meta_str(kp_doc *d, const char *key, const char *s, size_t n)
{
	const char *raw;
	size_t rl;
	if (!s || kp_doc_meta_get_raw(d, key, &raw, &rl))
		return 0;
	return kp_doc_meta_set_str(d, key, s, n);
}

static int set_metadata(struct worker *w)
{
	kp_doc *d = w->doc;
	const kp_clean *c = w->clean;
	const kp_clean_rules *r = w->set->rules;
	size_t n, pl, ol;
	int rc = 0;
	const char *place = kp_clean_field(c, KP_CLEAN_PLACE, &pl), *outlet = kp_clean_field(c, KP_CLEAN_OUTLET, &ol);
	sbuf *j = &w->json;
	if (place || outlet) {
		j->len = 0;
		rc |= sb_adds(j, "{\"place\":");
		rc |= place ? sb_json(j, place, pl) : sb_adds(j, "null");
		rc |= sb_adds(j, ",\"outlet\":");
		rc |= outlet ? sb_json(j, outlet, ol) : sb_adds(j, "null");
		rc |= sb_adds(j, "}");
		if (rc < 0 || kp_doc_meta_set_raw(d, "dateline", j->p, j->len) < 0)
			return -1;
	}
	const char *s = kp_clean_field(c, KP_CLEAN_TITLE, &n);
	if (meta_str(d, "title", s, n) < 0)
		return -1;
	if (kp_clean_nauthors(c)) {
		j->len = 0;
		rc |= sb_adds(j, "[");
		for (size_t i = 0; i < kp_clean_nauthors(c); i++) {
			const char *a = kp_clean_author(c, i, &n);
			rc |= i ? sb_adds(j, ",") : 0;
			rc |= sb_json(j, a, n);
		}
		rc |= sb_adds(j, "]");
		const char *raw;
		size_t rl;
		if (rc < 0 || (!kp_doc_meta_get_raw(d, "authors", &raw, &rl) && kp_doc_meta_set_raw(d, "authors", j->p, j->len) < 0))
			return -1;
	}
	s = kp_clean_field(c, KP_CLEAN_EDITOR, &n);
	if (meta_str(d, "editor", s, n) < 0)
		return -1;
	s = kp_clean_field(c, KP_CLEAN_SOURCE, &n);
	if (meta_str(d, "credit_source", s, n) < 0)
		return -1;
	s = kp_clean_field(c, KP_CLEAN_PUBLISHED, &n);
	if (meta_str(d, "published", s, n) < 0)
		return -1;
	if (w->set->explain) {
		j->len = 0;
		rc |= sb_adds(j, "[");
		for (size_t i = 0; i < kp_clean_nremoved(c); i++) {
			int cat;
			const char *t;
			kp_clean_removed(c, i, &cat, &t, &n);
			rc |= sb_adds(j, i ? ",{\"rule\":" : "{\"rule\":");
			rc |= sb_jsons(j, kp_clean_category(r, cat));
			rc |= sb_adds(j, ",\"text\":");
			rc |= sb_json(j, t, n);
			rc |= sb_adds(j, "}");
		}
		rc |= sb_adds(j, "]");
		if (rc < 0 || kp_doc_meta_set_raw(d, "removed", j->p, j->len) < 0)
			return -1;
	}
	return 0;
}

/* The removed spans as {"id","rule","text"} records. */
static int removed_records(struct worker *w, kp_result *res)
{
	const kp_clean_rules *r = w->set->rules;
	size_t idl, n;
	const char *id = kp_doc_id(w->doc, &idl);
	sbuf *b = &w->rec;
	int rc = 0;
	for (size_t i = 0; i < kp_clean_nremoved(w->clean); i++) {
		int cat;
		const char *t;
		kp_clean_removed(w->clean, i, &cat, &t, &n);
		b->len = 0;
		rc |= sb_adds(b, "{\"id\":");
		rc |= id ? sb_json(b, id, idl) : sb_adds(b, "null");
		rc |= sb_adds(b, ",\"rule\":");
		rc |= sb_jsons(b, kp_clean_category(r, cat));
		rc |= sb_adds(b, ",\"text\":");
		rc |= sb_json(b, t, n);
		rc |= sb_adds(b, "}\n");
		if (rc < 0 || kp_result_write(res, w->set->removed_channel, b->p, b->len) < 0)
			return -1;
	}
	return 0;
}

/* Fewer words than this (tokens with a letter) left: no prose, no article. */
#define MIN_PROSE_WORDS 3

static size_t prose_words(const char *s, size_t n)
{
	size_t words = 0;
	int in = 0, letter = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char ch = i < n ? (unsigned char)s[i] : ' ';
		if (ch == ' ' || ch == '\n' || ch == '\t') {
			words += in && letter;
			in = letter = 0;
			continue;
		}
		in = 1;
		letter |= (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
		letter |= ch >= 0xC0; /* a letter of another script (a lead byte) */
	}
	return words;
}

/* {"id", "rule": "no-prose", "text": what was left, "document": the input}. */
static int no_prose_record(struct worker *w, kp_result *res, const char *left, size_t ln, const char *line, size_t len)
{
	size_t idl;
	const char *id = kp_doc_id(w->doc, &idl);
	sbuf *b = &w->rec;
	b->len = 0;
	int rc = sb_adds(b, "{\"id\":");
	rc |= id ? sb_json(b, id, idl) : sb_adds(b, "null");
	rc |= sb_adds(b, ",\"rule\":\"no-prose\",\"text\":") | sb_json(b, left, ln) | sb_adds(b, ",\"document\":");
	rc |= sb_add(b, line, len) | sb_adds(b, "}\n");
	return rc < 0 || kp_result_write(res, w->set->removed_channel, b->p, b->len) < 0 ? -1 : 0;
}

static int process(void *p, const char *line, size_t len, kp_result *res, const char **msg)
{
	struct worker *w = p;
	if (!cli_parse_doc(w->doc, line, len, res))
		return 0;
	const char *text, *out;
	size_t n, on;
	*msg = "out of memory";
	if (kp_doc_text(w->doc, &text, &n) < 0)
		return KP_ENOMEM;
	w->repairs += kp_doc_repairs(w->doc);
	/* the document's own title: a header line equal to it is the title */
	const char *title = NULL;
	size_t tl = 0;
	if (kp_doc_meta_get_str(w->doc, "title", &title, &tl) < 0)
		return KP_ENOMEM;
	if (kp_clean_set_title(w->clean, title, tl) < 0)
		return KP_ENOMEM;
	int rc = kp_clean_run(w->clean, text, n);
	if (rc == KP_ETOOLONG) {
		kp_result_error(res, KP_ETOOLONG, n > KP_CLEAN_MAX_TEXT ? "text too long to clean (2 GiB at most)"
									: "too many lines to clean (1048576 at most)");
		return 0;
	}
	if (rc < 0)
		return KP_ENOMEM;
	out = kp_clean_text(w->clean, &on);
	w->bytes_in += n;
	w->bytes_out += on;
	if (kp_doc_set_text(w->doc, out, on) < 0 || set_metadata(w) < 0)
		goto doc_error;
	int prose = prose_words(out, on) >= MIN_PROSE_WORDS;
	if (!prose && !w->set->keep_empty) {
		/* dropped, with the reason and the whole document on the side */
		w->dropped++;
		w->bytes_out -= on;
		if (w->set->removed_channel && (removed_records(w, res) < 0 || no_prose_record(w, res, out, on, line, len) < 0))
			return KP_ENOMEM;
		return 0;
	}
	if (!prose) {
		w->emptied++;
		if (kp_doc_meta_set_bool(w->doc, "clean_empty", 1) < 0)
			goto doc_error;
	}
	if (kp_doc_serialize(w->doc, &out, &on) < 0 || kp_result_write(res, 0, out, on) < 0)
		return KP_ENOMEM;
	if (w->set->removed_channel && removed_records(w, res) < 0)
		return KP_ENOMEM;
	return 0;
doc_error: /* e.g. "metadata" is not an object */
	kp_result_error(res, KP_EDOC, kp_doc_errmsg(w->doc));
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

static int cmp_count(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : (x[1] > y[1]) - (x[1] < y[1]);
}

static void summary(cli *c, const struct settings *set)
{
	uint64_t in = 0, out = 0, emptied = 0, dropped = 0;
	int ncat = kp_clean_ncategories(set->rules);
	uint64_t (*counts)[2] = calloc((size_t)ncat, sizeof *counts);
	if (!counts)
		return;
	for (int k = 0; k < ncat; k++)
		counts[k][1] = (uint64_t)k;
	for (int i = 0; c->pipeline && i < kp_pipeline_nworkers(c->pipeline); i++) {
		const struct worker *w = kp_pipeline_worker(c->pipeline, i);
		in += w->bytes_in;
		out += w->bytes_out;
		emptied += w->emptied;
		dropped += w->dropped;
		c->repairs += w->repairs;
		for (int k = 0; k < ncat; k++)
			counts[k][0] += kp_clean_count(w->clean, k);
	}
	char left[96];
	if (set->keep_empty)
		snprintf(left, sizeof left, "%llu kept with no prose left", (unsigned long long)emptied);
	else
		snprintf(left, sizeof left, "%llu dropped: no prose left", (unsigned long long)dropped);
	cli_note(c, "%llu documents (%s); text %s in, %s out (%.1f%% removed)", (unsigned long long)c->docs_in, left,
		 cli_bytes(in, 0), cli_bytes(out, 1), in ? 100.0 * (double)(in - out) / (double)in : 0.0);
	qsort(counts, (size_t)ncat, sizeof *counts, cmp_count);
	char line[2048];
	size_t o = 0;
	for (int k = 0; k < ncat && counts[k][0]; k++)
		o += (size_t)snprintf(line + o, o < sizeof line ? sizeof line - o : 0, "%s%llu %s", o ? ", " : "",
				      (unsigned long long)counts[k][0], kp_clean_category(set->rules, (int)counts[k][1]));
	if (o)
		cli_note(c, "removed: %s", line);
	cli_note_skipped(c);
	free(counts);
}

static void load_rules(cli *c, kp_clean_rules *rules, const char *path)
{
	sbuf b = {0};
	cli_read_file(c, path, &b);
	int rc = kp_clean_rules_add(rules, b.p ? b.p : "", b.len, path);
	sb_free(&b);
	if (rc < 0)
		cli_usage_error(c, "%s", kp_clean_rules_errmsg(rules));
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct settings set = {0};
	const char *removed_path = NULL;
	const char *rules_files[32];
	int nrules = 0, builtin = 1, dump = 0, opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_EXPLAIN: set.explain = 1; break;
		case OPT_REMOVED: removed_path = optarg; break;
		case OPT_KEEP_DATELINE: set.flags |= KP_CLEAN_KEEP_DATELINE; break;
		case OPT_KEEP_EMPTY: set.keep_empty = 1; break;
		case OPT_RULES:
			if (nrules == 32)
				cli_usage_error(&c, "at most 32 --rules files");
			rules_files[nrules++] = optarg;
			break;
		case OPT_NO_BUILTIN: builtin = 0; break;
		case OPT_DUMP_RULES: dump = 1; break;
		}
	}
	if (dump) {
		size_t n;
		const char *t = kp_clean_rules_builtin(&n);
		fwrite(t, 1, n, stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	kp_clean_rules *rules = kp_clean_rules_new();
	if (!rules)
		cli_fatal(&c, "out of memory");
	if (!builtin)
		kp_clean_rules_clear(rules);
	for (int i = 0; i < nrules; i++)
		load_rules(&c, rules, rules_files[i]);
	set.rules = rules;
	set.max_line = c.max_line;
	cli_open_outputs(&c);
	if (removed_path) {
		cli_open_side(&c, removed_path);
		set.removed_channel = c.nsides; /* channel k is side output k-1 */
	}
	cli_run_pipeline(&c, &ops, &set);
	if (c.docs_in && !c.docs_out && !c.failed && !set.keep_empty)
		cli_error(&c, "no document left: none of the %llu had prose left after cleaning (--removed has them; "
			      "--keep-empty keeps them)",
			  (unsigned long long)c.docs_in);
	int status = cli_finish(&c);
	summary(&c, &set);
	cli_free(&c);
	kp_clean_rules_free(rules);
	return status;
}
