/* korpus-stats: corpus statistics as a table, JSON, vocabulary and HTML;
 * shard results merge exactly. */
#include <stdlib.h>
#include <string.h>

#include <unicode/ucasemap.h>
#include <yajl/yajl_tree.h>

#include <xxhash.h>

#include "cli.h"
#include "stats_report.h"

enum { OPT_TOP = 256, OPT_JSON, OPT_VOCAB, OPT_HTML, OPT_MAX_VOCAB, OPT_LINES, OPT_TOKENS, OPT_MERGE };

static const struct option options[] = {
	{"top", required_argument, NULL, OPT_TOP},
	{"json", required_argument, NULL, OPT_JSON},
	{"vocab", required_argument, NULL, OPT_VOCAB},
	{"html", required_argument, NULL, OPT_HTML},
	{"max-vocab", required_argument, NULL, OPT_MAX_VOCAB},
	{"lines", no_argument, NULL, OPT_LINES},
	{"tokens", required_argument, NULL, OPT_TOKENS},
	{"merge", no_argument, NULL, OPT_MERGE},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-stats",
	.summary = "Corpus statistics: counts, lengths, vocabulary, sources, months",
	.synopsis = "[OPTION]... [FILE]...\n  or:  korpus-stats --merge [OPTION]... REPORT.json...",
	.help = "Counts documents, paragraphs (blocks of lines between blank lines),\n"
		"sentences (korpus-split's, which leaves split text as it is), tokens\n"
		"(korpus-tok's), words (tokens with a letter, lower case), word, stem and\n"
		"bigram types, characters and bytes of the texts; length distributions\n"
		"(mean, median, p90, p99, max, histogram) of documents and sentences in\n"
		"tokens and of words in characters; type/token ratio, hapax share, stopword\n"
		"and number shares, the top words, stems and bigrams; documents by source and\n"
		"by month (created, else metadata.published); what korpus-clean removed\n"
		"(metadata.removed), duplicates marked by korpus-dedup --annotate, and UTF-8\n"
		"repairs.  A table goes to the output.\n\n"
		"  --json FILE          every figure as JSON (exact distributions included)\n"
		"  --vocab FILE         the word and bigram counts as TSV (WORD<TAB>COUNT, by\n"
		"                       count); with --json, what --merge needs\n"
		"  --html FILE          a self-contained HTML report with SVG charts\n"
		"  --top N              words, stems and bigrams listed (default 50)\n"
		"  --lines              each non-blank line is a sentence (text split by\n"
		"                       another tool)\n"
		"  --tokens tokenizer|spaces\n"
		"                       tokens from korpus-tok (default), or the text's own\n"
		"                       space-separated tokens (pre-tokenized text)\n"
		"  --max-vocab N        keep at most N word types and N bigram types; past it,\n"
		"                       type figures are lower bounds, marked approximate\n"
		"                       (counted in one worker whatever -j says, so that the\n"
		"                       report is the same for every -j)\n"
		"  --merge              the inputs are --json reports of shards (each with the\n"
		"                       --vocab file it names beside it): combined exactly as one\n"
		"                       run over all the shards\n\n"
		"Memory: about 40 bytes per word type (25 per bigram type: a pair of words)\nand the words.\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-stats corpus.jsonl.gz                       the table on the terminal\n"
		"  korpus-stats -j2 corpus.jsonl.gz --json s.json --html report.html -o /dev/null\n"
		"  korpus-stats part1.jsonl --json p1.json --vocab p1.vocab -o /dev/null   (a shard)\n"
		"  korpus-stats --merge p1.json p2.json --json all.json   the shards added up\n",
};

struct settings {
	size_t max_line, max_vocab;
	int lines, spaces;
	const kp_split_model *model;
	const kp_tok_config *tokc;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_split *split;
	kp_tok *tok;
	kp_stats *stats;
	UCaseMap *casemap;
	sbuf sent, low;
	char *msg;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_split_free(w->split);
	kp_tok_free(w->tok);
	kp_stats_free(w->stats);
	if (w->casemap)
		ucasemap_close(w->casemap);
	sb_free(&w->sent);
	sb_free(&w->low);
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
	w->split = kp_split_new(set->model);
	w->tok = kp_tok_new(set->tokc);
	w->stats = kp_stats_new(set->max_vocab);
	UErrorCode e = U_ZERO_ERROR;
	w->casemap = ucasemap_open("", 0, &e);
	if (!w->doc || !w->split || !w->tok || !w->stats || U_FAILURE(e)) {
		worker_free(w);
		return NULL;
	}
	return w;
}

/* "YYYY-MM" at the start of a JSON string value, or NULL. */
static const char *month_of(kp_doc *d, int meta, const char *key)
{
	const char *s;
	size_t n;
	int rc = meta ? kp_doc_meta_get_str(d, key, &s, &n) : kp_doc_get_str(d, key, &s, &n);
	if (rc != 1 || n < 7)
		return NULL;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return NULL;
	if (s[5] > '1' || (s[5] == '1' && s[6] > '2') || (s[5] == '0' && s[6] == '0'))
		return NULL;
	return s;
}

static const char *ystr(yajl_val v)
{
	const char *s = YAJL_GET_STRING(v);
	return s ? s : "";
}

/* The rules of metadata.removed ([{"rule", "text"}]). */
static int count_removed(struct worker *w)
{
	const char *raw;
	size_t n;
	if (!kp_doc_meta_get_raw(w->doc, "removed", &raw, &n))
		return 0;
	yajl_val v = json_tree(raw, n);
	int rc = 0;
	if (v && YAJL_IS_ARRAY(v))
		for (size_t i = 0; i < v->u.array.len && rc == 0; i++) {
			yajl_val e = v->u.array.values[i];
			const char *rp[] = {"rule", NULL}, *tp[] = {"text", NULL};
			yajl_val r = YAJL_IS_OBJECT(e) ? yajl_tree_get(e, rp, yajl_t_string) : NULL;
			yajl_val t = YAJL_IS_OBJECT(e) ? yajl_tree_get(e, tp, yajl_t_string) : NULL;
			if (r)
				rc = kp_stats_removed(w->stats, ystr(r), strlen(ystr(r)), t ? strlen(ystr(t)) : 0);
		}
	yajl_tree_free(v);
	return rc;
}

static uint64_t count_chars(const char *t, size_t n)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)t[i] & 0xc0) != 0x80;
	return c;
}

static uint64_t count_paragraphs(const char *t, size_t n)
{
	uint64_t p = 0;
	int blank = 1, line_blank = 1;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || t[i] == '\n') {
			if (!line_blank && blank)
				p++;
			blank = line_blank;
			line_blank = 1;
		} else if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') {
			line_blank = 0;
		}
	}
	return p;
}

/* Feed one line of tokens: the tokenizer's output, or the line itself. */
static int feed_tokens(struct worker *w, const char *s, size_t n, uint64_t *tokens)
{
	const char *t = s;
	size_t tl = n;
	if (!w->set->spaces) {
		long nt = kp_tok_run(w->tok, s, n);
		if (nt < 0)
			return KP_ENOMEM;
		t = kp_tok_text(w->tok, &tl);
	} else {
		/* lower case (ICU full mapping, as the tokenizer writes it); tabs
		 * separate tokens too */
		for (;;) {
			UErrorCode e = U_ZERO_ERROR;
			int32_t got = ucasemap_utf8ToLower(w->casemap, w->low.p, (int32_t)w->low.cap, s, (int32_t)n, &e);
			if (e == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(e) && (size_t)got > w->low.cap)) {
				w->low.len = 0;
				if (sb_reserve(&w->low, (size_t)got + 16) < 0)
					return KP_ENOMEM;
				continue;
			}
			if (U_FAILURE(e))
				return KP_ENOMEM;
			tl = (size_t)got;
			break;
		}
		for (size_t i = 0; i < tl; i++)
			if (w->low.p[i] == '\t')
				w->low.p[i] = ' ';
		t = w->low.p;
	}
	/* one sentence: the tokens of one line */
	uint64_t before = 0;
	for (size_t i = 0; i < tl; i++)
		before += (i == 0 || t[i - 1] == ' ') && t[i] != ' ';
	*tokens += before;
	return kp_stats_sentence(w->stats, t, tl);
}

static int process(void *p, const char *line, size_t len, kp_result *res, const char **msg)
{
	struct worker *w = p;
	if (!cli_parse_doc(w->doc, line, len, res))
		return 0;
	const char *text;
	size_t n;
	*msg = "out of memory";
	if (kp_doc_text(w->doc, &text, &n) < 0)
		return KP_ENOMEM;
	kp_stats_doc d = {0};
	d.bytes = n;
	d.chars = count_chars(text, n);
	d.paragraphs = count_paragraphs(text, n);
	if (w->set->lines) {
		for (size_t i = 0; i < n;) {
			const char *nl = memchr(text + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - text) : n, a = i, b = e;
			while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
				a++;
			while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
				b--;
			if (b > a) {
				if (feed_tokens(w, text + a, b - a, &d.tokens) < 0)
					return KP_ENOMEM;
				d.sentences++;
			}
			i = e + 1;
		}
	} else {
		long ns = kp_split_run(w->split, text, n);
		if (ns < 0)
			return KP_ENOMEM;
		for (long i = 0; i < ns; i++) {
			size_t off, sl;
			int para;
			kp_split_sentence(w->split, (size_t)i, &off, &sl, &para);
			if (feed_tokens(w, text + off, sl, &d.tokens) < 0)
				return KP_ENOMEM;
		}
		d.sentences = (uint64_t)ns;
	}
	const char *src;
	size_t sl;
	if (kp_doc_get_str(w->doc, "source", &src, &sl) == 1) {
		d.source = src;
		d.source_len = sl;
	}
	d.month = month_of(w->doc, 0, "created");
	if (!d.month)
		d.month = month_of(w->doc, 1, "published");
	const char *raw;
	size_t rl;
	d.dup = kp_doc_meta_get_raw(w->doc, "dup_of", &raw, &rl);
	d.empty = kp_doc_meta_get_raw(w->doc, "clean_empty", &raw, &rl) && rl == 4 && !memcmp(raw, "true", 4);
	d.repairs = kp_doc_repairs(w->doc);
	if (kp_stats_add_doc(w->stats, &d) < 0 || count_removed(w) < 0)
		return KP_ENOMEM;
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

struct stemmer {
	kp_tok *tok;
	sbuf buf;
};

static const char *stem_cb(void *ctx, const char *w, size_t n, size_t *sn)
{
	struct stemmer *st = ctx;
	if (kp_tok_run(st->tok, w, n) < 0)
		return NULL;
	size_t tl;
	const char *t = kp_tok_text(st->tok, &tl);
	st->buf.len = 0;
	if (!tl || sb_add(&st->buf, t, tl) < 0)
		return NULL;
	*sn = st->buf.len;
	return st->buf.p;
}

static void write_file(cli *c, const char *path, const char *p, size_t n)
{
	kp_writer *w = cli_open_raw(c, path);
	cli_write(c, w, p, n);
	cli_close_writer(c, w);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* --merge: the reports and the vocabularies they name, each vocabulary
 * checked against its report, each report once. */
static void merge_reports(cli *c, kp_stats *total)
{
	if (!c->ninputs)
		cli_usage_error(c, "--merge needs the reports to merge");
	uint64_t *seen = calloc((size_t)c->ninputs, sizeof *seen);
	if (!seen)
		cli_fatal(c, "out of memory");
	for (int i = 0; i < c->ninputs; i++) {
		const char *path = c->inputs[i];
		sbuf j = {0};
		cli_read_file(c, path, &j);
		seen[i] = XXH3_64bits(j.p ? j.p : "", j.len);
		for (int k = 0; k < i; k++)
			if (seen[k] == seen[i])
				cli_fatal(c, "%s: the same report as %s: a shard given twice would count twice", path,
					  c->inputs[k]);
		if (kp_stats_load_json(total, j.p ? j.p : "", j.len) < 0)
			cli_fatal(c, "%s: %s", path, kp_stats_errmsg(total));
		yajl_val root = json_tree(j.p ? j.p : "", j.len);
		const char *vp[] = {"vocab_file", NULL};
		yajl_val v = root ? yajl_tree_get(root, vp, yajl_t_string) : NULL;
		if (!v)
			cli_fatal(c, "%s: written without --vocab: word types cannot merge exactly (run korpus-stats "
				     "with --json and --vocab on each shard)",
				  path);
		/* a file beside the report, never elsewhere */
		const char *name = ystr(v);
		if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
			cli_fatal(c, "%s: \"vocab_file\" must name a file in the report's folder, not '%s'", path, name);
		const char *slash = strrchr(path, '/');
		size_t dl = slash ? (size_t)(slash - path + 1) : 0, vl = strlen(name);
		char *vpath = malloc(dl + vl + 1);
		if (!vpath)
			cli_fatal(c, "out of memory");
		memcpy(vpath, path, dl);
		memcpy(vpath + dl, name, vl + 1);
		yajl_tree_free(root);
		sbuf t = {0};
		cli_read_named(c, vpath, path, &t);
		if (kp_stats_load_vocab(total, t.p ? t.p : "", t.len) < 0)
			cli_fatal(c, "%s (of %s): %s", vpath, path, kp_stats_errmsg(total));
		free(vpath);
		sb_free(&t);
		sb_free(&j);
	}
	free(seen);
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct settings set = {0};
	const char *json = NULL, *vocab = NULL, *html = NULL;
	int top = 50, merge = 0, opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_TOP: top = (int)cli_parse_long(&c, "--top", optarg, 1, 100000); break;
		case OPT_JSON: json = optarg; break;
		case OPT_VOCAB: vocab = optarg; break;
		case OPT_HTML: html = optarg; break;
		case OPT_MAX_VOCAB: set.max_vocab = (size_t)cli_parse_long(&c, "--max-vocab", optarg, 1, 1L << 40); break;
		case OPT_LINES: set.lines = 1; break;
		case OPT_MERGE: merge = 1; break;
		case OPT_TOKENS:
			if (!strcmp(optarg, "spaces"))
				set.spaces = 1;
			else if (strcmp(optarg, "tokenizer") != 0)
				cli_usage_error(&c, "--tokens: expected tokenizer or spaces, not '%s'", optarg);
			break;
		}
	}
	set.max_line = c.max_line;
	if (set.max_vocab && c.jobs > 1 && !merge) {
		/* which types fill a capped table depends on the documents each
		 * worker got, which depends on timing: one worker, so that the
		 * report is the same for every -j */
		cli_note(&c, "--max-vocab: counting in one worker (a capped vocabulary depends on the order of the documents)");
		c.jobs = 1;
	}
	kp_split_model *model = kp_split_model_new();
	kp_tok_config *tokc = kp_tok_config_new(KP_TOK_LOWER), *stemc = kp_tok_config_new(KP_TOK_STEM);
	kp_stats *total = kp_stats_new(set.max_vocab);
	if (!model || !tokc || !stemc || !total)
		cli_fatal(&c, "out of memory");
	set.model = model;
	set.tokc = tokc;
	cli_open_outputs(&c);
	if (merge) {
		merge_reports(&c, total);
	} else {
		cli_run_pipeline(&c, &ops, &set);
		kp_pipeline *pl = c.pipeline;
		for (int i = 0; pl && i < kp_pipeline_nworkers(pl); i++) {
			struct worker *w = kp_pipeline_worker(pl, i);
			if (w && kp_stats_absorb(total, w->stats) < 0)
				cli_fatal(&c, "out of memory");
		}
	}
	struct stemmer st = {kp_tok_new(stemc), {0}};
	if (!st.tok || kp_stats_stems(total, stem_cb, &st) < 0)
		cli_fatal(&c, "out of memory");
	char *report, *v = NULL;
	size_t rlen, vl = 0;
	if ((vocab && kp_stats_vocab(total, &v, &vl) < 0) ||
	    kp_stats_json(total, top, vocab ? base_name(vocab) : NULL, v, vl, &report, &rlen) < 0)
		cli_fatal(&c, "out of memory");
	if (!c.failed) {
		if (json)
			write_file(&c, json, report, rlen);
		if (vocab)
			write_file(&c, vocab, v, vl);
		sbuf out = {0};
		if (stats_table(report, rlen, top, &out) < 0)
			cli_fatal(&c, "out of memory");
		cli_write(&c, c.out, out.p, out.len);
		if (html) {
			out.len = 0;
			if (stats_html(report, rlen, &out) < 0)
				cli_fatal(&c, "out of memory");
			write_file(&c, html, out.p, out.len);
		}
		sb_free(&out);
	}
	size_t mem = kp_stats_memory(total);
	uint64_t ndocs = kp_stats_documents(total);
	free(report);
	free(v);
	sb_free(&st.buf);
	kp_tok_free(st.tok);
	kp_stats_free(total);
	int status = cli_finish(&c);
	cli_free(&c);
	kp_tok_config_free(tokc);
	kp_tok_config_free(stemc);
	kp_split_model_free(model);
	cli_note(&c, "%llu documents; vocabulary tables %s", (unsigned long long)ndocs, cli_bytes(mem, 0));
	cli_note_skipped(&c);
	return status;
}
