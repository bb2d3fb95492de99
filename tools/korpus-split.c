/* korpus-split: one sentence per line, with Indonesian abbreviations,
 * initials, numbers, domains and quotes handled. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_FORMAT = 0x100,
	OPT_ABBREV,
	OPT_MODEL,
	OPT_LEARN,
	OPT_DUMP_ABBREV,
};

static const struct option options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"abbrev", required_argument, NULL, OPT_ABBREV},
	{"model", required_argument, NULL, OPT_MODEL},
	{"learn", required_argument, NULL, OPT_LEARN},
	{"dump-abbrev", no_argument, NULL, OPT_DUMP_ABBREV},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-split",
	.summary = "Split Indonesian text into sentences, one per line",
	.synopsis = "[OPTION]... [FILE]...",
	.help =
		"Rewrites each document's text to one sentence per line, paragraphs separated\n"
		"by one blank line; no other character changes.  Titles and degrees (Drs.,\n"
		"Tn., Ny., S.H., M.Si.), initials (K.A Halim, R. Tjetje), abbreviations (dll.,\n"
		"a.n., No. 5, Pte. Ltd.), numbers, times, domains and e-mails do not end a\n"
		"sentence; closing quotes and brackets stay with theirs; a line end always\n"
		"ends one.\n\n"
		"  --format jsonl|text  documents (default), or plain text: one sentence per\n"
		"                       line, a blank line between documents (for BERT-style\n"
		"                       pretraining, fastText, KenLM)\n"
		"  --abbrev FILE        add the abbreviations of FILE (lines \"abbrev.<TAB>class\",\n"
		"                       class title: never ends a sentence, any: may); may be\n"
		"                       given more than once\n"
		"  --model FILE         add the abbreviations learned by --learn\n"
		"  --learn MODEL        read the inputs, learn the abbreviations and initials the\n"
		"                       built-in list lacks (after Punkt), write them to MODEL;\n"
		"                       no other output\n"
		"  --dump-abbrev        print the built-in abbreviations and exit\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-split corpus.jsonl > sentences.jsonl       metadata.sentences added\n"
		"  korpus-split --format text corpus.jsonl > sentences.txt   a sentence a line\n"
		"  korpus-split -j2 --format text corpus.jsonl.gz | korpus-pack --format text -o s.txt.gz\n",
};

struct settings {
	const kp_split_model *model;
	size_t max_line;
	int text;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_split *split;
	sbuf out;
	uint64_t sentences, paragraphs, bytes, repairs;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_split_free(w->split);
	sb_free(&w->out);
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
	if (!w->doc || !w->split) {
		worker_free(w);
		return NULL;
	}
	return w;
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
	w->repairs += kp_doc_repairs(w->doc);
	long ns = kp_split_run(w->split, text, n);
	if (ns < 0)
		return (int)ns;
	sbuf *b = &w->out;
	b->len = 0;
	int rc = 0;
	for (size_t i = 0; i < (size_t)ns; i++) {
		size_t off, sl;
		int para;
		kp_split_sentence(w->split, i, &off, &sl, &para);
		if (i)
			rc |= sb_add(b, para && !w->set->text ? "\n\n" : "\n", para && !w->set->text ? 2 : 1);
		rc |= sb_add(b, text + off, sl);
		w->paragraphs += i == 0 || para; /* the first sentence opens one too */
	}
	w->sentences += (uint64_t)ns;
	w->bytes += n;
	if (rc < 0)
		return KP_ENOMEM;
	if (w->set->text) {
		if (!ns)
			return 0; /* an empty document has no sentence to write */
		rc |= sb_add(b, "\n\n", 2);
		return rc < 0 || kp_result_write(res, 0, b->p, b->len) < 0 ? KP_ENOMEM : 0;
	}
	const char *out;
	size_t on;
	if (kp_doc_set_text(w->doc, b->p ? b->p : "", b->len) < 0 || kp_doc_serialize(w->doc, &out, &on) < 0 ||
	    kp_result_write(res, 0, out, on) < 0)
		return KP_ENOMEM;
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

/* ---- --learn: one pass over the inputs, then the model file ---- */

struct learn {
	kp_split_learner *learner;
	kp_doc *doc;
	uint64_t docs;
};

static void *learn_new(void *arg)
{
	return arg; /* one worker: the learner counts into one table */
}

static void learn_free(void *p)
{
	(void)p;
}

static int learn_process(void *p, const char *line, size_t len, kp_result *res, const char **msg)
{
	struct learn *l = p;
	if (!cli_parse_doc(l->doc, line, len, res))
		return 0;
	const char *text;
	size_t n;
	*msg = "out of memory";
	if (kp_doc_text(l->doc, &text, &n) < 0 || kp_split_learner_add(l->learner, text, n) < 0)
		return KP_ENOMEM;
	l->docs++;
	return 0;
}

static const kp_job_ops learn_ops = {learn_new, learn_free, learn_process};

static void add_abbrevs(cli *c, kp_split_model *m, const char *path)
{
	sbuf b = {0};
	cli_read_file(c, path, &b);
	int rc = kp_split_model_add(m, b.p ? b.p : "", b.len, path);
	sb_free(&b);
	if (rc < 0)
		cli_usage_error(c, "%s", kp_split_model_errmsg(m));
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	kp_split_model *model = kp_split_model_new();
	if (!model)
		cli_fatal(&c, "out of memory");
	struct settings set = {model, 0, 0};
	const char *learn = NULL;
	int opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if (strcmp(optarg, "jsonl") && strcmp(optarg, "text"))
				cli_usage_error(&c, "--format: expected jsonl or text, not '%s'", optarg);
			set.text = !strcmp(optarg, "text");
			break;
		case OPT_ABBREV:
		case OPT_MODEL: add_abbrevs(&c, model, optarg); break;
		case OPT_LEARN: learn = optarg; break;
		case OPT_DUMP_ABBREV: {
			size_t n;
			const char *t = kp_split_builtin(&n);
			fwrite(t, 1, n, stdout);
			kp_split_model_free(model);
			return fflush(stdout) == 0 ? 0 : 1;
		}
		}
	}
	set.max_line = c.max_line;
	if (learn) {
		if (c.output)
			cli_usage_error(&c, "--learn writes the model to its own file: no -o");
		struct learn l = {kp_split_learner_new(model), kp_doc_new(c.max_line, 0), 0};
		if (!l.learner || !l.doc)
			cli_fatal(&c, "out of memory");
		c.jobs = 1;
		cli_run_pipeline(&c, &learn_ops, &l);
		const char *text;
		size_t n;
		if (kp_split_learner_model(l.learner, &text, &n) < 0)
			cli_fatal(&c, "out of memory");
		if (!c.failed) {
			kp_writer *wr = cli_open_auto(&c, learn);
			cli_write(&c, wr, text, n);
			cli_close_writer(&c, wr);
		}
		int status = cli_finish(&c);
		size_t learned = 0;
		for (size_t i = 0; i + 1 < n; i++)
			learned += text[i] == '\n' && text[i + 1] != '#';
		if (!c.failed)
			cli_note(&c, "%llu documents; %zu abbreviations learned into %s", (unsigned long long)l.docs, learned,
			 learn);
		kp_split_learner_free(l.learner);
		kp_doc_free(l.doc);
		cli_free(&c);
		kp_split_model_free(model);
		return status;
	}
	cli_open_outputs(&c);
	cli_run_pipeline(&c, &ops, &set);
	int status = cli_finish(&c);
	uint64_t sentences = 0, paragraphs = 0;
	for (int i = 0; c.pipeline && i < kp_pipeline_nworkers(c.pipeline); i++) {
		const struct worker *w = kp_pipeline_worker(c.pipeline, i);
		sentences += w->sentences;
		paragraphs += w->paragraphs;
		c.repairs += w->repairs;
	}
	cli_note(&c, "%llu documents, %llu paragraphs, %llu sentences", (unsigned long long)c.docs_in,
		 (unsigned long long)paragraphs, (unsigned long long)sentences);
	cli_note_skipped(&c);
	cli_free(&c);
	kp_split_model_free(model);
	return status;
}
