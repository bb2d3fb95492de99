/* korpus-tok: tokens separated by spaces, one sentence per line. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_FORMAT = 0x100,
	OPT_CLITICS,
	OPT_LOWER,
	OPT_STEM,
	OPT_NO_PUNCT,
};

static const struct option options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"clitics", no_argument, NULL, OPT_CLITICS},
	{"lower", no_argument, NULL, OPT_LOWER},
	{"stem", no_argument, NULL, OPT_STEM},
	{"no-punct", no_argument, NULL, OPT_NO_PUNCT},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-tok",
	.summary = "Tokenize Indonesian text: one sentence per line, tokens separated by spaces",
	.synopsis = "[OPTION]... [FILE]...",
	.help =
		"Tokenizes each line of each document's text (one sentence per line, as\n"
		"korpus-split writes it) and writes its tokens separated by one space.\n"
		"Words keep inner hyphens (anak-anak, non-migas), numbers their separators\n"
		"(1.250.000, 2,5), abbreviations their period (Dr., Tbk., D.W.); URLs,\n"
		"e-mail addresses, hashtags and mentions are one token; punctuation stands\n"
		"alone.  Scripts written without spaces go through ICU's word break.\n\n"
		"  --format jsonl|text  documents (default), or plain text: one sentence per\n"
		"                       line, a blank line between documents\n"
		"  --clitics            split clitics off: bukunya -> buku -nya, apakah ->\n"
		"                       apa -kah, meskipun -> meski -pun, kubaca -> ku- baca\n"
		"                       (not off tanya, sekolah, langkah, kuasa, adalah, ...)\n"
		"  --lower              lower case (ICU full case mapping)\n"
		"  --stem               Snowball Indonesian stems (implies --lower)\n"
		"  --no-punct           leave out punctuation\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples =
		"  korpus-tok corpus.jsonl > tokens.jsonl             metadata.tokens added\n"
		"  korpus-tok --format text --clitics corpus.jsonl > tokens.txt   for word2vec, KenLM\n",
};

struct settings {
	const kp_tok_config *config;
	size_t max_line;
	int text;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_tok *tok;
	uint64_t tokens, repairs;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_tok_free(w->tok);
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
	w->tok = kp_tok_new(set->config);
	if (!w->doc || !w->tok) {
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
	const char *text, *out;
	size_t n, on;
	*msg = "out of memory";
	long nt;
	if (kp_doc_text(w->doc, &text, &n) < 0 || (nt = kp_tok_run(w->tok, text, n)) < 0)
		return KP_ENOMEM;
	w->repairs += kp_doc_repairs(w->doc);
	w->tokens += (uint64_t)nt;
	out = kp_tok_text(w->tok, &on);
	if (w->set->text) {
		/* the document's lines, without empty ones, then a blank line */
		size_t i = 0;
		int any = 0;
		while (i < on) {
			const char *nl = memchr(out + i, '\n', on - i);
			size_t e = nl ? (size_t)(nl - out) : on;
			if (e > i) {
				if (kp_result_write(res, 0, out + i, e - i) < 0 || kp_result_write(res, 0, "\n", 1) < 0)
					return KP_ENOMEM;
				any = 1;
			}
			i = e + 1;
		}
		return any && kp_result_write(res, 0, "\n", 1) < 0 ? KP_ENOMEM : 0;
	}
	if (kp_doc_set_text(w->doc, out, on) < 0 || kp_doc_serialize(w->doc, &out, &on) < 0 ||
	    kp_result_write(res, 0, out, on) < 0)
		return KP_ENOMEM;
	return 0;
}

static const kp_job_ops ops = {worker_new, worker_free, process};

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	unsigned flags = 0;
	struct settings set = {NULL, 0, 0};
	int opt;
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if (strcmp(optarg, "jsonl") && strcmp(optarg, "text"))
				cli_usage_error(&c, "--format: expected jsonl or text, not '%s'", optarg);
			set.text = !strcmp(optarg, "text");
			break;
		case OPT_CLITICS: flags |= KP_TOK_CLITICS; break;
		case OPT_LOWER: flags |= KP_TOK_LOWER; break;
		case OPT_STEM: flags |= KP_TOK_STEM; break;
		case OPT_NO_PUNCT: flags |= KP_TOK_NO_PUNCT; break;
		}
	}
	kp_tok_config *config = kp_tok_config_new(flags);
	if (!config)
		cli_fatal(&c, "out of memory");
	set.config = config;
	set.max_line = c.max_line;
	cli_open_outputs(&c);
	cli_run_pipeline(&c, &ops, &set);
	int status = cli_finish(&c);
	uint64_t tokens = 0;
	for (int i = 0; c.pipeline && i < kp_pipeline_nworkers(c.pipeline); i++) {
		const struct worker *w = kp_pipeline_worker(c.pipeline, i);
		tokens += w->tokens;
		c.repairs += w->repairs;
	}
	cli_note(&c, "%llu documents, %llu tokens", (unsigned long long)c.docs_in, (unsigned long long)tokens);
	cli_note_skipped(&c);
	cli_free(&c);
	kp_tok_config_free(config);
	return status;
}
