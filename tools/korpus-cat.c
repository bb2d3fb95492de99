/* korpus-cat: concatenate corpus files (plain or gzip) to one stream. */
#include <string.h>

#include "cli.h"

static const struct option options[] = {
	{"check", no_argument, NULL, 'c'},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-cat",
	.summary = "Concatenate corpus files, plain or gzip, optionally validating each document",
	.synopsis = "[OPTION]... [FILE]...",
	.help = "Writes the lines of every FILE (gzip or multi-member gzip such as BGZF is\n"
		"decompressed) to the output, each ending in a newline.\n\n"
		"  -c, --check          validate each line as a JSON document with a string\n"
		"                       \"text\"; stop at the first invalid line with its file\n"
		"                       and line number (or drop it with --skip-invalid)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS,
	.shortopts = "c",
	.longopts = options,
};

/* Without --check: lines are copied as they are. */
static void copy_lines(cli *c)
{
	for (int i = 0; i < (c->ninputs ? c->ninputs : 1); i++) {
		if (cli_open_input(c, i) < 0)
			continue;
		for (;;) {
			const char *line;
			size_t len;
			int got = cli_getline(c, &line, &len);
			if (got == 0)
				break;
			if (got < 0) {
				cli_line_error(c, "%s", kp_reader_errmsg(c->in));
				break;
			}
			c->docs_in++;
			cli_progress(c);
			cli_write(c, c->out, line, len);
			cli_write(c, c->out, "\n", 1);
			c->docs_out++;
		}
		cli_close_input(c);
	}
}

/* --check: each line must be a document; valid lines pass unchanged. */
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

int main(int argc, char **argv)
{
	cli c;
	int check = 0, opt;
	cli_init(&c, &tool);
	while ((opt = cli_getopt(&c, argc, argv)) != -1) {
		switch (opt) {
		case 'c':
			check = 1;
			break;
		}
	}
	if (c.skip_invalid && !check)
		cli_usage_error(&c, "--skip-invalid needs --check");
	cli_open_outputs(&c);
	if (check)
		cli_run_pipeline(&c, &check_ops, &c.max_line);
	else
		copy_lines(&c);
	int status = cli_finish(&c);
	cli_free(&c);
	if (check)
		cli_note(&c, "%llu documents, %llu valid, %llu invalid%s", (unsigned long long)c.docs_in,
			 (unsigned long long)c.docs_out, (unsigned long long)(c.docs_in - c.docs_out),
			 c.skip_invalid ? " (skipped)" : "");
	return status;
}
