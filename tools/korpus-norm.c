/* korpus-norm: rewrite each document's text into one canonical Unicode and
 * typographic form, repairing the damage of scraping. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_FORM = 0x100,
	OPT_PUNCT,
	OPT_NO_MOJIBAKE,
	OPT_NO_ENTITIES,
	OPT_NO_CONTROLS,
	OPT_NO_SPACES,
	OPT_NO_WHITESPACE,
	OPT_NO_GLUED,
	OPT_LOWER,
	OPT_SPELLING,
	OPT_INFORMAL,
	OPT_NUMBERS,
	OPT_SPELLING_LIST,
	OPT_INFORMAL_LIST,
	OPT_DUMP_LIST,
	OPT_STATS,
	OPT_UNGLUE,
	OPT_VOCAB,
	OPT_CHANGES,
	OPT_DICTIONARY,
};

static const struct option options[] = {
	{"form", required_argument, NULL, OPT_FORM},
	{"punct", required_argument, NULL, OPT_PUNCT},
	{"no-mojibake", no_argument, NULL, OPT_NO_MOJIBAKE},
	{"no-entities", no_argument, NULL, OPT_NO_ENTITIES},
	{"no-controls", no_argument, NULL, OPT_NO_CONTROLS},
	{"no-spaces", no_argument, NULL, OPT_NO_SPACES},
	{"no-whitespace", no_argument, NULL, OPT_NO_WHITESPACE},
	{"no-glued", no_argument, NULL, OPT_NO_GLUED},
	{"lower", no_argument, NULL, OPT_LOWER},
	{"spelling", no_argument, NULL, OPT_SPELLING},
	{"informal", no_argument, NULL, OPT_INFORMAL},
	{"numbers", no_argument, NULL, OPT_NUMBERS},
	{"spelling-list", required_argument, NULL, OPT_SPELLING_LIST},
	{"informal-list", required_argument, NULL, OPT_INFORMAL_LIST},
	{"dump-list", required_argument, NULL, OPT_DUMP_LIST},
	{"stats", no_argument, NULL, OPT_STATS},
	{"unglue", optional_argument, NULL, OPT_UNGLUE},
	{"vocab", required_argument, NULL, OPT_VOCAB},
	{"changes", required_argument, NULL, OPT_CHANGES},
	{"dictionary", required_argument, NULL, OPT_DICTIONARY},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-norm",
	.summary = "Normalize Unicode and typography, repair mojibake, entities, glued sentences and words",
	.synopsis = "[OPTION]... [FILE]...",
	.help =
		"Rewrites each document's text into one canonical form; other fields pass\n"
		"through byte for byte.  The result is idempotent: normalizing it again\n"
		"changes nothing.  In order, on by default:\n"
		"  HTML entities     &amp; &nbsp; &#8220; decoded (also when escaped twice)\n"
		"  mojibake          UTF-8 read as Windows-1252/Latin-1 or Mac-Roman\n"
		"                    repaired (â€œ Ã© Â; ‚Äú √© ¬†)\n"
		"  controls          C0/C1 controls, zero-width characters, BOM, soft hyphen\n"
		"                    removed (\\n and \\t kept; ZWJ kept inside emoji)\n"
		"  spaces            no-break and other Unicode spaces -> ' '\n"
		"  punctuation       curly quotes -> \" ', ... for the ellipsis, fullwidth\n"
		"                    forms -> ASCII, and dashes: a dash used as punctuation\n"
		"                    (en or em dash, bar, or two or more hyphens) becomes\n"
		"                    \" - \" with the blanks around it; an en dash between\n"
		"                    digits is a range, \"-\"; a single hyphen is kept\n"
		"  form              Unicode NFC (ICU; only lines its quick check flags)\n"
		"  glued sentences   \"lautan.Kemarin\" -> \"lautan. Kemarin\", never in\n"
		"                    domains, URLs, e-mails, numbers, abbreviations, initials\n"
		"  whitespace        CR LF -> LF, runs of blanks -> one space, lines trimmed,\n"
		"                    at most one blank line between paragraphs\n"
		"Invalid UTF-8 becomes U+FFFD (counted).\n\n"
		"  --form nfc|nfkc|none     Unicode normalization form (default nfc)\n"
		"  --punct ascii|keep       punctuation to ASCII (default) or as written\n"
		"  --no-entities, --no-mojibake, --no-controls, --no-spaces, --no-glued,\n"
		"  --no-whitespace          switch a default operation off\n"
		"  --lower                  lower case (ICU full case mapping, Indonesian)\n"
		"  --informal               informal words -> formal (yg -> yang, gak -> tidak)\n"
		"  --spelling               non-standard spelling -> standard (resiko -> risiko)\n"
		"                           Words are replaced when written in lower case, or\n"
		"                           capitalised at a sentence start; names and ALL CAPS\n"
		"                           are left alone\n"
		"  --numbers                every digit -> 0 (for dedup keys and language models)\n"
		"  --informal-list FILE     use FILE (\"word<TAB>replacement\" lines) instead of\n"
		"  --spelling-list FILE     the built-in list; implies --informal / --spelling\n"
		"  --dump-list informal|spelling   print a built-in list and exit\n"
		"  --stats                  print the changes made by each operation\n"
		"  --unglue[=off|camel|all] split words glued where a scraper dropped the\n"
		"                           spaces around links and bold text (default off;\n"
		"                           --unglue alone: all; korpus build: all):\n"
		"                           camel: \"dariAntara\" -> \"dari Antara\" when the part\n"
		"                           before the capital is a known word, brands kept\n"
		"                           (YouTube, iPhone, detikOto, forms seen 3 times in the\n"
		"                           counts), and a space after , ; : ) before a letter\n"
		"                           (\"Silk,Ross\", \"(20/5)Polisi\"; never in numbers,\n"
		"                           URLs, e-mails, hashtags); all: also lower-case joins\n"
		"                           (\"Ginjaladalah\" -> \"Ginjal adalah\"), split into\n"
		"                           known words only when far more probable than one\n"
		"                           unknown word, and never a word hunspell-id accepts\n"
		"                           with its affixes (makanannya)\n"
		"  --vocab FILE             more word counts (WORD<TAB>COUNT, korpus-stats\n"
		"                           --vocab of the corpus itself); may be repeated\n"
		"  --dictionary PATH        the hunspell dictionary, PATH.aff and PATH.dic\n"
		"                           (default /usr/share/hunspell/id_ID: Debian hunspell-id)\n"
		"  --changes FILE           each repaired join as {\"id\",\"from\",\"to\",\"kind\",\n"
		"                           \"score\"} (kind camel, lower or punct; score: how many\n"
		"                           nats more probable the split is)\n"
		"Memory of --unglue: the word counts, about 6 MB (built in: 48,824 forms of\n"
		"real news, lib/data/wordfreq-id.txt), and the dictionary, about 3 MB a thread.\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-norm clean.jsonl -o norm.jsonl             NFC, ASCII punctuation, mojibake\n"
		"  korpus-norm --unglue clean.jsonl --changes joins.jsonl   split glued words\n"
		"  korpus-norm --lower --numbers --no-glued doc.jsonl  keys for a language model\n"
		"  korpus-norm --stats clean.jsonl > /dev/null         what each operation changes\n",
};

struct settings {
	const kp_norm_config *config;
	size_t max_line;
	const kp_unglue_model *model; /* --unglue: the model, else NULL */
	int unglue_mode, unglue_first, changes_channel;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_norm *norm;
	kp_unglue *unglue;
	sbuf rec;
	uint64_t bytes_in, bytes_out, changed, repairs;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_norm_free(w->norm);
	kp_unglue_free(w->unglue);
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
	w->doc = kp_doc_new(set->max_line, KP_DOC_REPAIR_UTF8);
	w->norm = kp_norm_new(set->config);
	if (set->model)
		w->unglue = kp_unglue_new(set->model, set->unglue_mode);
	if (!w->doc || !w->norm || (set->model && !w->unglue)) {
		worker_free(w);
		return NULL;
	}
	return w;
}

/* --changes: the repairs of the document's last unglue run. */
static int change_records(struct worker *w, kp_result *res)
{
	const char *id, *from, *to;
	size_t idl, fl, tl;
	if (!kp_doc_get_raw(w->doc, "id", &id, &idl)) {
		id = "null";
		idl = 4;
	}
	sbuf *b = &w->rec;
	b->len = 0;
	int rc = 0;
	for (size_t i = 0; i < kp_unglue_nchanges(w->unglue); i++) {
		int kind;
		double score;
		kp_unglue_change(w->unglue, i, &from, &fl, &to, &tl, &kind, &score);
		char num[64];
		snprintf(num, sizeof num, "%.2f", score);
		rc |= sb_adds(b, "{\"id\":") | sb_add(b, id, idl) | sb_adds(b, ",\"from\":") | sb_json(b, from, fl) |
		      sb_adds(b, ",\"to\":") | sb_json(b, to, tl) | sb_adds(b, ",\"kind\":\"") |
		      sb_adds(b, kp_unglue_kind_name(kind)) | sb_adds(b, "\",\"score\":") | sb_adds(b, num) | sb_adds(b, "}\n");
	}
	return rc < 0 || (b->len && kp_result_write(res, w->set->changes_channel, b->p, b->len) < 0) ? KP_ENOMEM : 0;
}

/* Unglue text in place of *text: 1 changed, 0 not, < 0 out of memory. */
static int unglue(struct worker *w, kp_result *res, const char **text, size_t *n)
{
	const char *out;
	size_t on;
	int rc = kp_unglue_run(w->unglue, *text, *n, &out, &on);
	if (rc < 0 || (w->set->changes_channel && change_records(w, res) < 0))
		return KP_ENOMEM;
	*text = out;
	*n = on;
	return rc;
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
	size_t in = n;
	/* words are unglued after normalization (its ASCII punctuation and NFC
	 * help), or before it when it loses the case (--lower, --numbers) */
	int pre = 0;
	if (w->unglue && w->set->unglue_first && (pre = unglue(w, res, &text, &n)) < 0)
		return pre;
	int rc = kp_norm_run(w->norm, text, n, &out, &on);
	if (rc == KP_ETOOLONG) {
		kp_result_error(res, KP_ETOOLONG, "text too long to normalize");
		return 0;
	}
	if (rc < 0)
		return rc;
	if (w->unglue && !w->set->unglue_first) {
		int u = unglue(w, res, &out, &on);
		if (u < 0)
			return u;
		rc |= u;
	}
	rc |= pre;
	w->bytes_in += in;
	w->bytes_out += on;
	/* a text repaired in decoding (a lone surrogate escape) is written
	 * back as decoded, even when normalizing changes nothing more */
	w->changed += rc > 0 || kp_doc_repairs(w->doc);
	if ((rc > 0 || kp_doc_repairs(w->doc)) && kp_doc_set_text(w->doc, out, on) < 0)
		return KP_ENOMEM;
	if (kp_doc_serialize(w->doc, &out, &on) < 0 || kp_result_write(res, 0, out, on) < 0)
		return KP_ENOMEM;
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

static void summary(cli *c, const kp_norm_config *config, int stats, const kp_unglue_model *model)
{
	uint64_t in = 0, out = 0, changed = 0, counts[KP_NORM_NOPS] = {0}, joins[KP_UNGLUE_NKINDS] = {0};
	for (int i = 0; c->pipeline && i < kp_pipeline_nworkers(c->pipeline); i++) {
		const struct worker *w = kp_pipeline_worker(c->pipeline, i);
		in += w->bytes_in;
		out += w->bytes_out;
		changed += w->changed;
		for (int op = 0; op < KP_NORM_NOPS; op++)
			counts[op] += kp_norm_count(w->norm, op);
		counts[KP_NORM_INVALID] += w->repairs;
		for (int k = 0; w->unglue && k < KP_UNGLUE_NKINDS; k++)
			joins[k] += kp_unglue_count(w->unglue, k);
	}
	cli_note(c, "%llu documents, %llu changed; text %s in, %s out", (unsigned long long)c->docs_in,
		 (unsigned long long)changed, cli_bytes(in, 0), cli_bytes(out, 1));
	if (stats) {
		for (int op = 0; op < KP_NORM_NOPS; op++)
			if (kp_norm_config_enabled(config, op))
				cli_note(c, "  %-12s %llu", kp_norm_op_name(op), (unsigned long long)counts[op]);
	} else {
		char line[1024];
		size_t o = 0;
		for (int op = 0; op < KP_NORM_NOPS; op++)
			if (counts[op] && o < sizeof line)
				o += (size_t)snprintf(line + o, sizeof line - o, "%s%llu %s", o ? ", " : "",
						      (unsigned long long)counts[op], kp_norm_op_name(op));
		if (o)
			cli_note(c, "changes: %s", line);
	}
	if (model)
		cli_note(c, "unglued: %llu word+Capital, %llu lower-case, %llu after punctuation%s%s",
			 (unsigned long long)joins[KP_UNGLUE_KIND_CAMEL], (unsigned long long)joins[KP_UNGLUE_KIND_LOWER],
			 (unsigned long long)joins[KP_UNGLUE_KIND_PUNCT], stats ? "; word counts " : "",
			 stats ? cli_bytes(kp_unglue_model_bytes(model), 0) : "");
	cli_note_skipped(c); /* (its repairs are the invalid-utf8 changes above) */
}

/* Load a list file (plain or gzip) for op, and switch op on. */
static void load_list(cli *c, kp_norm_config *config, int op, const char *path)
{
	sbuf b = {0};
	cli_read_file(c, path, &b);
	int rc = kp_norm_config_load_list(config, op, b.p ? b.p : "", b.len, path);
	sb_free(&b);
	if (rc < 0)
		cli_usage_error(c, "%s", kp_norm_config_errmsg(config));
	kp_norm_config_set(config, op, 1);
}

/* The unglue model: the built-in counts, the --vocab files, the dictionary. */
static kp_unglue_model *load_model(cli *c, int mode, const char *const *vocab, int nvocab, const char *dict)
{
	kp_unglue_model *m = kp_unglue_model_new();
	if (!m)
		cli_fatal(c, "out of memory");
	for (int i = 0; i < nvocab; i++) {
		sbuf b = {0};
		cli_read_file(c, vocab[i], &b);
		int rc = kp_unglue_model_add_counts(m, b.p ? b.p : "", b.len, vocab[i]);
		sb_free(&b);
		if (rc < 0)
			cli_fatal(c, "%s", rc == KP_ENOMEM ? "out of memory" : kp_unglue_model_errmsg(m));
	}
	if (mode == KP_UNGLUE_ALL || dict) {
		char aff[4096], dic[4096];
		snprintf(aff, sizeof aff, "%s.aff", dict ? dict : "/usr/share/hunspell/id_ID");
		snprintf(dic, sizeof dic, "%s.dic", dict ? dict : "/usr/share/hunspell/id_ID");
		if (kp_unglue_model_set_dictionary(m, aff, dic) < 0)
			cli_fatal(c, "--unglue: %s", kp_unglue_model_errmsg(m));
	}
	return m;
}

static int list_op(cli *c, const char *name)
{
	if (!strcmp(name, "spelling"))
		return KP_NORM_SPELLING;
	if (!strcmp(name, "informal"))
		return KP_NORM_INFORMAL;
	cli_usage_error(c, "unknown list '%s' (informal or spelling)", name);
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	kp_norm_config *config = kp_norm_config_new();
	if (!config)
		cli_fatal(&c, "cannot set up the normalizer (out of memory, or ICU data missing)");
	const char *lists[2] = {NULL, NULL}; /* informal, spelling */
	const char *vocab[64], *changes = NULL, *dict = NULL;
	int stats = 0, opt, nvocab = 0, unglue_mode = KP_UNGLUE_OFF;
	static const struct {
		int opt, op, on;
	} switches[] = {
		{OPT_NO_MOJIBAKE, KP_NORM_MOJIBAKE, 0}, {OPT_NO_ENTITIES, KP_NORM_ENTITIES, 0},
		{OPT_NO_CONTROLS, KP_NORM_CONTROLS, 0}, {OPT_NO_SPACES, KP_NORM_SPACES, 0},
		{OPT_NO_WHITESPACE, KP_NORM_WHITESPACE, 0}, {OPT_NO_GLUED, KP_NORM_GLUED, 0},
		{OPT_LOWER, KP_NORM_LOWER, 1}, {OPT_SPELLING, KP_NORM_SPELLING, 1},
		{OPT_INFORMAL, KP_NORM_INFORMAL, 1}, {OPT_NUMBERS, KP_NORM_NUMBERS, 1},
	};
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		for (size_t k = 0; k < sizeof switches / sizeof switches[0]; k++)
			if (switches[k].opt == opt)
				kp_norm_config_set(config, switches[k].op, switches[k].on);
		switch (opt) {
		case OPT_FORM:
			if (!strcmp(optarg, "nfc"))
				kp_norm_config_set_form(config, KP_NORM_NFC);
			else if (!strcmp(optarg, "nfkc"))
				kp_norm_config_set_form(config, KP_NORM_NFKC);
			else if (!strcmp(optarg, "none"))
				kp_norm_config_set_form(config, KP_NORM_NONE);
			else
				cli_usage_error(&c, "--form: expected nfc, nfkc or none, not '%s'", optarg);
			break;
		case OPT_PUNCT:
			if (strcmp(optarg, "ascii") && strcmp(optarg, "keep"))
				cli_usage_error(&c, "--punct: expected ascii or keep, not '%s'", optarg);
			kp_norm_config_set(config, KP_NORM_PUNCT, !strcmp(optarg, "ascii"));
			break;
		case OPT_INFORMAL_LIST: lists[0] = optarg; break;
		case OPT_SPELLING_LIST: lists[1] = optarg; break;
		case OPT_DUMP_LIST: {
			size_t n;
			const char *t = kp_norm_builtin_list(list_op(&c, optarg), &n);
			fwrite(t, 1, n, stdout);
			kp_norm_config_free(config);
			return fflush(stdout) == 0 ? 0 : 1;
		}
		case OPT_STATS: stats = 1; break;
		case OPT_UNGLUE:
			if (!optarg || !strcmp(optarg, "all"))
				unglue_mode = KP_UNGLUE_ALL;
			else if (!strcmp(optarg, "camel"))
				unglue_mode = KP_UNGLUE_CAMEL;
			else if (!strcmp(optarg, "off"))
				unglue_mode = KP_UNGLUE_OFF;
			else
				cli_usage_error(&c, "--unglue: expected off, camel or all, not '%s'", optarg);
			break;
		case OPT_VOCAB:
			if (nvocab == 64)
				cli_usage_error(&c, "at most 64 --vocab files");
			vocab[nvocab++] = optarg;
			break;
		case OPT_CHANGES: changes = optarg; break;
		case OPT_DICTIONARY: dict = optarg; break;
		}
	}
	if (lists[0])
		load_list(&c, config, KP_NORM_INFORMAL, lists[0]);
	if (lists[1])
		load_list(&c, config, KP_NORM_SPELLING, lists[1]);
	if (unglue_mode == KP_UNGLUE_OFF && (nvocab || changes || dict))
		cli_usage_error(&c, "--vocab, --changes and --dictionary go with --unglue");
	kp_unglue_model *model = unglue_mode == KP_UNGLUE_OFF ? NULL : load_model(&c, unglue_mode, vocab, nvocab, dict);
	struct settings set = {config, c.max_line, model, unglue_mode,
			       kp_norm_config_enabled(config, KP_NORM_LOWER) || kp_norm_config_enabled(config, KP_NORM_NUMBERS),
			       0};
	cli_open_outputs(&c);
	if (changes) {
		cli_open_side(&c, changes);
		set.changes_channel = c.nsides; /* channel k is side output k-1 */
	}
	cli_run_pipeline(&c, &ops, &set);
	int status = cli_finish(&c);
	summary(&c, config, stats, model);
	cli_free(&c);
	kp_norm_config_free(config);
	kp_unglue_model_free(model);
	return status;
}
