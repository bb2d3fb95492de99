/* korpus-filter: documents for training sets -- quality rules (Gopher, C4,
 * FineWeb, adapted to Indonesian) and personal data (e-mail addresses,
 * phone numbers, NIK, NPWP, card numbers, IP addresses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_ANNOTATE = 0x100,
	OPT_REMOVED,
	OPT_NO_QUALITY,
	OPT_QUALITY_RULES,
	OPT_DUMP_QUALITY_RULES,
	OPT_PII,
};

static const struct option options[] = {
	{"annotate", no_argument, NULL, OPT_ANNOTATE},
	{"removed", required_argument, NULL, OPT_REMOVED},
	{"no-quality", no_argument, NULL, OPT_NO_QUALITY},
	{"quality-rules", required_argument, NULL, OPT_QUALITY_RULES},
	{"dump-quality-rules", no_argument, NULL, OPT_DUMP_QUALITY_RULES},
	{"pii", required_argument, NULL, OPT_PII},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-filter",
	.summary = "Keep the documents fit for a training set: quality rules and personal data",
	.synopsis = "[OPTION]... [FILE]...",
	.help = "Each document is measured (words, mean word length, lines ending in\n"
		"punctuation, repeated lines and n-grams, Indonesian stopwords, ...) and\n"
		"dropped when it fails a quality rule; personal data in its text is\n"
		"redacted, labelled or makes it dropped.  Every other field passes through\n"
		"as it is.\n\n"
		"  --annotate           keep every document: metadata.quality holds the\n"
		"                       signals and \"fail\" the rule it fails (if any), and\n"
		"                       metadata.pii the personal data found, by kind\n"
		"  --removed FILE       one JSON record per document dropped: {\"id\", \"rule\",\n"
		"                       \"signal\", \"value\", \"threshold\", \"document\"}\n"
		"  --no-quality         no quality rules\n"
		"  --quality-rules FILE more rules, or thresholds changed (\"NAME SIGNAL\n"
		"                       min|max VALUE\"; \"NAME off\"); repeatable\n"
		"  --dump-quality-rules print the built-in rules and exit\n"
		"  --pii MODE           personal data: redact (each replaced by <EMAIL>,\n"
		"                       <PHONE>, <NIK>, <NPWP>, <CARD>, <IP>), annotate (counts\n"
		"                       in metadata.pii), drop (the document, rule pii-KIND),\n"
		"                       or off (default)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples = "  korpus-filter -j2 norm.jsonl -o kept.jsonl --removed dropped.jsonl\n"
		    "  korpus-filter --pii redact --no-quality corpus.jsonl > redacted.jsonl\n"
		    "  korpus-filter --annotate corpus.jsonl | korpus-cat --check -q\n"
		    "  echo 'gopher-min-words words min 50' > strict.rules\n"
		    "  korpus-filter --quality-rules strict.rules corpus.jsonl > kept.jsonl\n",
};

enum { PII_OFF, PII_REDACT, PII_ANNOTATE, PII_DROP };

struct settings {
	const kp_quality_rules *rules; /* NULL: no quality rules */
	int pii, annotate, removed_channel;
	size_t max_line;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_quality *q;
	kp_pii_span *spans;
	size_t spancap;
	sbuf text, rec, meta;
	uint64_t pii[KP_PII_NKINDS], pii_docs, dropped_pii;
	uint64_t *failed; /* per rule */
	int nrules;
};

static void *worker_new(void *arg)
{
	const struct settings *set = arg;
	struct worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->set = set;
	w->doc = kp_doc_new(set->max_line, 0);
	const char *name;
	int sig, bound;
	double th;
	while (set->rules && kp_quality_rule(set->rules, w->nrules, &name, &sig, &bound, &th))
		w->nrules++;
	w->failed = calloc((size_t)w->nrules + 1, sizeof *w->failed);
	w->q = set->rules ? kp_quality_new(set->rules) : NULL;
	if (!w->doc || !w->failed || (set->rules && !w->q)) {
		kp_doc_free(w->doc);
		kp_quality_free(w->q);
		free(w->failed);
		free(w);
		return NULL;
	}
	return w;
}

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_quality_free(w->q);
	free(w->spans);
	free(w->failed);
	sb_free(&w->text);
	sb_free(&w->rec);
	sb_free(&w->meta);
	free(w);
}

/* A number as JSON, short. */
static int sb_num(sbuf *b, double v)
{
	char num[32];
	if (v == (double)(long long)v)
		snprintf(num, sizeof num, "%lld", (long long)v);
	else
		snprintf(num, sizeof num, "%.4g", v);
	return sb_adds(b, num);
}

/* The personal data of text: spans into w->spans; how many. */
static size_t find_pii(struct worker *w, const char *text, size_t n)
{
	size_t k = kp_pii_find(text, n, w->spans, w->spancap);
	if (k > w->spancap) {
		kp_pii_span *ns = realloc(w->spans, k * sizeof *ns);
		if (!ns)
			return (size_t)-1;
		w->spans = ns;
		w->spancap = k;
		k = kp_pii_find(text, n, w->spans, w->spancap);
	}
	return k;
}

/* {"id", "rule", ["signal", "value", "threshold"], "document"} */
static int removed_record(struct worker *w, kp_result *res, const char *rule, int signal, double value, double th,
			  const char *line, size_t len)
{
	size_t idl;
	const char *id = kp_doc_id(w->doc, &idl);
	sbuf *b = &w->rec;
	b->len = 0;
	int rc = sb_adds(b, "{\"id\":");
	rc |= id ? sb_json(b, id, idl) : sb_adds(b, "null");
	rc |= sb_adds(b, ",\"rule\":") | sb_json(b, rule, strlen(rule));
	if (signal >= 0) {
		const char *s = kp_quality_signal_name(signal);
		rc |= sb_adds(b, ",\"signal\":") | sb_json(b, s, strlen(s)) | sb_adds(b, ",\"value\":") | sb_num(b, value) |
		      sb_adds(b, ",\"threshold\":") | sb_num(b, th);
	}
	rc |= sb_adds(b, ",\"document\":") | sb_add(b, line, len) | sb_adds(b, "}\n");
	return rc < 0 || kp_result_write(res, w->set->removed_channel, b->p, b->len) < 0 ? -1 : 0;
}

/* metadata.pii: {"phone": 2, ...} of the kinds found. */
static int pii_counts(struct worker *w, size_t k, sbuf *m)
{
	size_t per[KP_PII_NKINDS] = {0};
	for (size_t i = 0; i < k; i++)
		per[w->spans[i].kind]++;
	int rc = sb_adds(m, "{"), first = 1;
	for (int t = 0; t < KP_PII_NKINDS; t++) {
		if (!per[t])
			continue;
		rc |= sb_adds(m, first ? "\"" : ",\"") | sb_adds(m, kp_pii_kind_name(t)) | sb_adds(m, "\":") |
		      sb_num(m, (double)per[t]);
		first = 0;
	}
	return rc | sb_adds(m, "}");
}

static int process(void *p, const char *line, size_t len, kp_result *res, const char **msg)
{
	struct worker *w = p;
	const struct settings *set = w->set;
	if (!cli_parse_doc(w->doc, line, len, res))
		return 0;
	const char *text, *out;
	size_t n, on;
	*msg = "out of memory";
	if (kp_doc_text(w->doc, &text, &n) < 0)
		return KP_ENOMEM;
	/* personal data */
	size_t k = set->pii ? find_pii(w, text, n) : 0;
	if (k == (size_t)-1)
		return KP_ENOMEM;
	if (k) {
		w->pii_docs++;
		for (size_t i = 0; i < k; i++)
			w->pii[w->spans[i].kind]++;
	}
	if (k && set->pii == PII_DROP && !set->annotate) {
		char rule[32];
		snprintf(rule, sizeof rule, "pii-%s", kp_pii_kind_name(w->spans[0].kind));
		w->dropped_pii++;
		return set->removed_channel && removed_record(w, res, rule, -1, 0, 0, line, len) < 0 ? KP_ENOMEM : 0;
	}
	if (k && set->pii == PII_REDACT) {
		sbuf *t = &w->text;
		t->len = 0;
		size_t at = 0;
		int rc = 0;
		for (size_t i = 0; i < k; i++) {
			rc |= sb_add(t, text + at, w->spans[i].start - at) | sb_adds(t, kp_pii_placeholder(w->spans[i].kind));
			at = w->spans[i].end;
		}
		rc |= sb_add(t, text + at, n - at);
		if (rc < 0)
			return KP_ENOMEM;
		if (kp_doc_set_text(w->doc, t->p, t->len) < 0)
			goto doc_error;
		if (kp_doc_text(w->doc, &text, &n) < 0)
			return KP_ENOMEM;
	}
	if (k && (set->pii == PII_ANNOTATE || set->annotate)) {
		w->meta.len = 0;
		if (pii_counts(w, k, &w->meta) < 0)
			return KP_ENOMEM;
		if (kp_doc_meta_set_raw(w->doc, "pii", w->meta.p, w->meta.len) < 0)
			goto doc_error;
	}
	/* quality */
	if (set->rules) {
		double sig[KP_Q_NSIGNALS];
		if (kp_quality_measure(w->q, text, n, sig) < 0)
			return KP_ENOMEM;
		int fail = kp_quality_check(set->rules, sig);
		const char *name = NULL;
		int signal = -1, bound;
		double th = 0;
		if (fail >= 0) {
			w->failed[fail]++;
			kp_quality_rule(set->rules, fail, &name, &signal, &bound, &th);
		}
		if (set->annotate) {
			sbuf *m = &w->meta;
			m->len = 0;
			int rc = sb_adds(m, "{");
			for (int s = 0; s < KP_Q_NSIGNALS; s++)
				rc |= sb_adds(m, s ? ",\"" : "\"") | sb_adds(m, kp_quality_signal_name(s)) | sb_adds(m, "\":") |
				      sb_num(m, sig[s]);
			if (name)
				rc |= sb_adds(m, ",\"fail\":") | sb_json(m, name, strlen(name));
			if (rc < 0 || sb_adds(m, "}") < 0)
				return KP_ENOMEM;
			if (kp_doc_meta_set_raw(w->doc, "quality", m->p, m->len) < 0)
				goto doc_error;
		} else if (name) {
			return set->removed_channel && removed_record(w, res, name, signal, sig[signal], th, line, len) < 0
				       ? KP_ENOMEM
				       : 0;
		}
	}
	if (kp_doc_serialize(w->doc, &out, &on) < 0 || kp_result_write(res, 0, out, on) < 0)
		return KP_ENOMEM;
	return 0;
doc_error: /* e.g. "metadata" is not an object */
	kp_result_error(res, KP_EDOC, kp_doc_errmsg(w->doc));
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

static void summary(cli *c, const struct settings *set)
{
	if (c->quiet)
		return;
	uint64_t pii[KP_PII_NKINDS] = {0}, pii_docs = 0, dropped_pii = 0, *failed = NULL;
	int nrules = 0;
	kp_pipeline *pl = c->pipeline;
	for (int i = 0; pl && i < kp_pipeline_nworkers(pl); i++) {
		struct worker *w = kp_pipeline_worker(pl, i);
		if (!w)
			continue;
		if (!failed) {
			nrules = w->nrules;
			failed = calloc((size_t)nrules + 1, sizeof *failed);
			if (!failed)
				return;
		}
		for (int r = 0; r < nrules; r++)
			failed[r] += w->failed[r];
		for (int t = 0; t < KP_PII_NKINDS; t++)
			pii[t] += w->pii[t];
		pii_docs += w->pii_docs;
		dropped_pii += w->dropped_pii;
	}
	uint64_t dropped = dropped_pii;
	char line[2048];
	size_t o = 0;
	for (int r = 0; r < nrules; r++) {
		const char *name;
		int sig, bound;
		double th;
		if (!failed[r] || !kp_quality_rule(set->rules, r, &name, &sig, &bound, &th))
			continue;
		dropped += set->annotate ? 0 : failed[r];
		o += (size_t)snprintf(line + o, o < sizeof line ? sizeof line - o : 0, "%s%llu %s", o ? ", " : "",
				      (unsigned long long)failed[r], name);
	}
	cli_note(c, "%llu documents, %llu %s", (unsigned long long)c->docs_in, (unsigned long long)dropped,
		 set->annotate ? "labelled (--annotate keeps them)" : "dropped");
	if (o)
		cli_note(c, "quality rules failed: %s", line);
	if (set->pii) {
		o = 0;
		for (int t = 0; t < KP_PII_NKINDS; t++)
			if (pii[t])
				o += (size_t)snprintf(line + o, o < sizeof line ? sizeof line - o : 0, "%s%llu %s", o ? ", " : "",
						      (unsigned long long)pii[t], kp_pii_kind_name(t));
		cli_note(c, "personal data: %s in %llu documents%s", o ? line : "none", (unsigned long long)pii_docs,
			 set->pii == PII_REDACT ? " (redacted)" : set->pii == PII_DROP ? " (dropped)" : "");
	}
	cli_note_skipped(c);
	free(failed);
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct settings set = {0};
	const char *removed_path = NULL, *rule_files[32];
	int nrules = 0, quality = 1, dump = 0, opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_ANNOTATE: set.annotate = 1; break;
		case OPT_REMOVED: removed_path = optarg; break;
		case OPT_NO_QUALITY: quality = 0; break;
		case OPT_QUALITY_RULES:
			if (nrules == 32)
				cli_usage_error(&c, "at most 32 --quality-rules files");
			rule_files[nrules++] = optarg;
			break;
		case OPT_DUMP_QUALITY_RULES: dump = 1; break;
		case OPT_PII:
			set.pii = !strcmp(optarg, "redact")	? PII_REDACT
				  : !strcmp(optarg, "annotate") ? PII_ANNOTATE
				  : !strcmp(optarg, "drop")	? PII_DROP
				  : !strcmp(optarg, "off")	? PII_OFF
								: -1;
			if (set.pii < 0)
				cli_usage_error(&c, "--pii: expected redact, annotate, drop or off, not '%s'", optarg);
			break;
		}
	}
	if (dump) {
		size_t n;
		const char *t = kp_quality_rules_builtin(&n);
		fwrite(t, 1, n, stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (nrules && !quality)
		cli_usage_error(&c, "--quality-rules and --no-quality: choose one");
	kp_quality_rules *rules = quality ? kp_quality_rules_new() : NULL;
	if (quality && !rules)
		cli_fatal(&c, "out of memory");
	for (int i = 0; i < nrules; i++) {
		sbuf b = {0};
		cli_read_file(&c, rule_files[i], &b);
		int rc = kp_quality_rules_add(rules, b.p ? b.p : "", b.len, rule_files[i]);
		sb_free(&b);
		if (rc < 0)
			cli_usage_error(&c, "%s", kp_quality_rules_errmsg(rules));
	}
	set.rules = rules;
	set.max_line = c.max_line;
	cli_open_outputs(&c);
	if (removed_path) {
		cli_open_side(&c, removed_path);
		set.removed_channel = c.nsides; /* channel k is side output k-1 */
	}
	cli_run_pipeline(&c, &ops, &set);
	if (c.docs_in && !c.docs_out && !c.failed)
		cli_error(&c, "no document left: all %llu were dropped (--removed says why; --annotate keeps them)",
			  (unsigned long long)c.docs_in);
	int status = cli_finish(&c);
	summary(&c, &set);
	cli_free(&c);
	kp_quality_rules_free(rules);
	return status;
}
