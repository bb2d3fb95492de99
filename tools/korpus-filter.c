/* korpus-filter: documents for training sets -- the language (Indonesian
 * told from Malay, the regional languages, English and others), quality
 * rules (Gopher, C4, FineWeb, adapted to Indonesian) and personal data
 * (e-mail addresses, phone numbers, NIK, NPWP, card numbers, IP addresses,
 * NIP);
 * and --train, the language model. */
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
	OPT_KEEP,
	OPT_MIN_SCORE,
	OPT_NO_LANG,
	OPT_PARAGRAPHS,
	OPT_DROP_FOREIGN,
	OPT_MODEL,
	OPT_TRAIN,
	OPT_BITS,
	OPT_SEED,
};

static const struct option options[] = {
	{"annotate", no_argument, NULL, OPT_ANNOTATE},
	{"removed", required_argument, NULL, OPT_REMOVED},
	{"no-quality", no_argument, NULL, OPT_NO_QUALITY},
	{"quality-rules", required_argument, NULL, OPT_QUALITY_RULES},
	{"dump-quality-rules", no_argument, NULL, OPT_DUMP_QUALITY_RULES},
	{"pii", required_argument, NULL, OPT_PII},
	{"keep", required_argument, NULL, OPT_KEEP},
	{"keep-lang", required_argument, NULL, OPT_KEEP},
	{"min-score", required_argument, NULL, OPT_MIN_SCORE},
	{"no-lang", no_argument, NULL, OPT_NO_LANG},
	{"paragraphs", no_argument, NULL, OPT_PARAGRAPHS},
	{"drop-foreign-paragraphs", no_argument, NULL, OPT_DROP_FOREIGN},
	{"model", required_argument, NULL, OPT_MODEL},
	{"train", no_argument, NULL, OPT_TRAIN},
	{"bits", required_argument, NULL, OPT_BITS},
	{"seed", required_argument, NULL, OPT_SEED},
	{0},
};

static const struct cli_tool tool = {
	.name = "korpus-filter",
	.summary = "Keep the documents fit for a training set: language, quality rules and personal data",
	.synopsis = "[OPTION]... [FILE]...",
	.help = "Each document's language is identified (metadata.lang, ISO 639-3, and\n"
		"metadata.lang_score, 0-1); it is measured (words, mean word length, lines\n"
		"ending in punctuation, repeated lines and n-grams, Indonesian stopwords,\n"
		"...) and dropped when it fails a quality rule; personal data in its text is\n"
		"redacted, labelled or makes it dropped.  Every other field passes through\n"
		"as it is.\n\n"
		"Languages: ind (Indonesian), zsm (Malay), jav, sun, min, ban, bjn, ace, bug,\n"
		"mad, nij, bbc (Toba Batak), eng, and oth (anything else: text mostly in\n"
		"another script than Latin, and text unlike any language the model knows).\n"
		"  --keep LIST          keep the documents of these languages (ind, or\n"
		"                       ind,jav), dropped otherwise (rule lang-CODE); and\n"
		"                       those scored under --min-score (rule lang-score);\n"
		"                       --keep-lang is its name in korpus build\n"
		"  --min-score X        with --keep: the least lang_score kept (default 0.5)\n"
		"  --paragraphs         also each paragraph (line): metadata.lang_shares, the\n"
		"                       share of the text in each language (of the text\n"
		"                       written out: foreign paragraphs taken out are not\n"
		"                       counted)\n"
		"  --drop-foreign-paragraphs  with --keep: remove the paragraphs of five words\n"
		"                       or more in another language, scored --min-score or\n"
		"                       more, from a kept document (a quoted English\n"
		"                       statement, an Arabic verse); not Malay or a\n"
		"                       regional language from a document of Indonesian,\n"
		"                       Malay or a regional language (a paragraph is too\n"
		"                       short to tell them apart); in --removed as\n"
		"                       {\"id\", \"rule\": \"foreign-paragraph\", \"lang\", \"text\"}.\n"
		"                       A document not kept whole is kept when what is\n"
		"                       left once they are out is, with a paragraph of\n"
		"                       five words or more of its own (an article that\n"
		"                       quotes more English than it has Indonesian), its\n"
		"                       metadata.lang and lang_score those of what is left\n"
		"  --no-lang            no language identification\n"
		"  --model FILE         a language model of --train instead of the built-in\n"
		"  --train              make a language model: the inputs are lines\n"
		"                       LANG<TAB>text (a code of three letters; LANG:VARIETY\n"
		"                       learns a variety as a class of its own); -o FILE\n"
		"                       (--bits B: 2^B feature buckets, default 17; --seed N:\n"
		"                       another order of the examples in training, 0 the\n"
		"                       built-in model's: how much a measurement owes to it)\n\n"
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
		"                       <PHONE>, <NIK>, <NPWP>, <CARD>, <IP>, <NIP>), annotate\n"
		"                       (counts in metadata.pii), drop (the document, rule\n"
		"                       pii-KIND), or off (default)\n",
	.features = CLI_INPUTS | CLI_OUTPUT | CLI_DOCS | CLI_JOBS,
	.longopts = options,
	.examples = "  korpus-filter -j2 --keep ind norm.jsonl -o kept.jsonl --removed dropped.jsonl\n"
		    "  korpus-filter --no-quality --paragraphs corpus.jsonl | grep -c '\"lang\":\"zsm\"'\n"
		    "  korpus-filter --train corpora/lang-id/*.tsv -o my.model\n"
		    "  korpus-filter --pii redact --no-quality corpus.jsonl > redacted.jsonl\n"
		    "  korpus-filter --annotate corpus.jsonl | korpus-cat --check -q\n"
		    "  echo 'gopher-min-words words min 50' > strict.rules\n"
		    "  korpus-filter --quality-rules strict.rules corpus.jsonl > kept.jsonl\n",
};

enum { PII_OFF, PII_REDACT, PII_ANNOTATE, PII_DROP };

#define MAX_LANGS 32
#define FOREIGN_MIN_WORDS 5 /* a paragraph of fewer words is not judged alone */

/* Indonesian, Malay and the regional languages of the model: a paragraph
 * of one of them in a document of another is not judged foreign (a model
 * of other codes has none of them).  Measured on the 175,000 paragraphs
 * of real Indonesian news (five words or more): 855 were called another
 * language, and of those called Malay or a regional language (689) almost
 * every one read is Indonesian (a quote in casual speech, a list of
 * names), while those called English or other are English quotes, Arabic
 * verses and line-ups of foreign names. */
static const char *const near_langs[] = {"ind", "zsm", "jav", "sun", "min", "ban",
					 "bjn", "ace", "bug", "mad", "nij", "bbc"};

struct settings {
	const kp_quality_rules *rules; /* NULL: no quality rules */
	const kp_langid_model *lang;   /* NULL: no language identification */
	int keep[MAX_LANGS], nkeep;    /* the languages kept (none: all) */
	int near[MAX_LANGS];           /* in near_langs */
	int keep_near;                 /* a kept language is one of them */
	int oth;                       /* the model's "oth", or -1 */
	double min_score;
	int paragraphs, drop_foreign;
	int pii, annotate, removed_channel;
	size_t max_line;
};

struct worker {
	const struct settings *set;
	kp_doc *doc;
	kp_quality *q;
	kp_pii_span *spans;
	size_t spancap;
	sbuf text, rec, meta, kept;
	uint64_t pii[KP_PII_NKINDS], pii_docs, dropped_pii;
	uint64_t langs[MAX_LANGS + 1], dropped_lang, foreign; /* [MAX_LANGS]: no letters */
	uint64_t kept_without_foreign; /* documents kept once their foreign paragraphs were out */
	int rescued;                   /* this document is one (language()) */
	uint64_t *failed; /* per rule */
	int nrules;
	/* the languages of the document's lines, in order (--paragraphs,
	 * --drop-foreign-paragraphs): two bytes a line, so that a text of
	 * line breaks costs no more than twice itself */
	struct line_lang {
		signed char lang;      /* -1: no letters */
		unsigned char sure : 1; /* scored --min-score or more */
		unsigned char out : 1;  /* to be taken out (take_out) */
	} *lines;
	size_t nlines, linecap;
};

static void worker_free(void *p)
{
	struct worker *w = p;
	kp_doc_free(w->doc);
	kp_quality_free(w->q);
	free(w->spans);
	free(w->failed);
	free(w->lines);
	sb_free(&w->text);
	sb_free(&w->rec);
	sb_free(&w->meta);
	sb_free(&w->kept);
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
	const char *name;
	int sig, bound;
	double th;
	while (set->rules && kp_quality_rule(set->rules, w->nrules, &name, &sig, &bound, &th))
		w->nrules++;
	w->failed = calloc((size_t)w->nrules + 1, sizeof *w->failed);
	w->q = set->rules ? kp_quality_new(set->rules) : NULL;
	if (!w->doc || !w->failed || (set->rules && !w->q)) {
		worker_free(w);
		return NULL;
	}
	return w;
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

/* A side record begun in w->rec: {"id": the document's, "rule": rule;
 * < 0 when out of memory. */
static int record_head(struct worker *w, const char *rule)
{
	size_t idl;
	const char *id = kp_doc_id(w->doc, &idl);
	sbuf *b = &w->rec;
	b->len = 0;
	int rc = sb_adds(b, "{\"id\":");
	rc |= id ? sb_json(b, id, idl) : sb_adds(b, "null");
	return rc | sb_adds(b, ",\"rule\":") | sb_jsons(b, rule);
}

/* The record ended with "document": the input line, and written. */
static int record_send(struct worker *w, kp_result *res, int rc, const char *line, size_t len)
{
	sbuf *b = &w->rec;
	rc |= sb_adds(b, ",\"document\":") | sb_add(b, line, len) | sb_adds(b, "}\n");
	return rc < 0 || kp_result_write(res, w->set->removed_channel, b->p, b->len) < 0 ? -1 : 0;
}

/* {"id", "rule", ["signal", "value", "threshold"], "document"} */
static int removed_record(struct worker *w, kp_result *res, const char *rule, int signal, double value, double th,
			  const char *line, size_t len)
{
	sbuf *b = &w->rec;
	int rc = record_head(w, rule);
	if (signal >= 0) {
		const char *s = kp_quality_signal_name(signal);
		rc |= sb_adds(b, ",\"signal\":") | sb_jsons(b, s) | sb_adds(b, ",\"value\":") | sb_num(b, value) |
		      sb_adds(b, ",\"threshold\":") | sb_num(b, th);
	}
	return record_send(w, res, rc, line, len);
}

/* {"id", "rule", "lang", "score", "document"} of a document dropped for its
 * language. */
static int lang_record(struct worker *w, kp_result *res, const char *rule, const char *code, double score,
		       const char *line, size_t len)
{
	sbuf *b = &w->rec;
	int rc = record_head(w, rule) | sb_adds(b, ",\"lang\":") | sb_jsons(b, code);
	rc |= sb_adds(b, ",\"score\":") | sb_num(b, score);
	return record_send(w, res, rc, line, len);
}

static size_t count_words(const char *s, size_t n)
{
	size_t words = 0;
	for (size_t i = 0; i < n; i++)
		words += s[i] != ' ' && s[i] != '\t' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t');
	return words;
}

/* Is line j (s, n bytes) judged alone: its language scored --min-score or
 * more, five words or more? */
static int judged_alone(const struct worker *w, size_t j, const char *s, size_t n)
{
	return w->lines[j].sure && count_words(s, n) >= FOREIGN_MIN_WORDS;
}

/* Is line j (s, n bytes) of a document foreign (--drop-foreign-paragraphs):
 * judged alone in another language than the kept ones (but a near one when
 * near_ok)? */
static int foreign_line(const struct worker *w, size_t j, const char *s, size_t n, int near_ok)
{
	const struct settings *set = w->set;
	int l = w->lines[j].lang;
	return l >= 0 && !set->keep[l] && !(set->near[l] && near_ok) && judged_alone(w, j, s, n);
}

/* The text without its foreign lines (foreign_line, near_ok; none when
 * near_ok < 0, nor when no line with letters would be left) into w->kept,
 * the leading and trailing line breaks the lines taken out leave dropped
 * too; the bytes of each language in what is left into bytes and total
 * (may be NULL); each line taken out into --removed when res is given (and
 * counted).  How many were taken out, < 0 when out of memory; in *anchor
 * (may be NULL) how many lines left are judged alone in a kept language
 * (sure, five words or more). */
static int take_out(struct worker *w, kp_result *res, const char *text, size_t n, int near_ok, double *bytes,
		    double *total, int *anchor)
{
	const struct settings *set = w->set;
	int out = 0, left = 0, anchored = 0;
	for (size_t j = 0, i = 0; near_ok >= 0 && j < w->nlines; j++) { /* which lines go */
		const char *nl = memchr(text + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - text) : n;
		int l = w->lines[j].lang;
		w->lines[j].out = foreign_line(w, j, text + i, e - i, near_ok);
		out += w->lines[j].out;
		left += !w->lines[j].out && l >= 0;
		anchored += anchor && !w->lines[j].out && l >= 0 && set->keep[l] && judged_alone(w, j, text + i, e - i);
		i = nl ? e + 1 : n;
	}
	if (anchor)
		*anchor = anchored;
	if (!left) /* every line with letters would go: the lines judged alone are not trusted over the whole */
		out = 0;
	sbuf *k = &w->kept;
	k->len = 0;
	/* a blank line after a line taken out goes too when the last line kept
	 * is blank (or there is none): "A\n\nB\n\nC" without B is "A\n\nC" */
	int after_out = 0, blank_kept = 1;
	for (size_t j = 0, i = 0; j < w->nlines; j++) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - text) : n, next = nl ? e + 1 : n;
		int l = w->lines[j].lang, blank = e == i || (e == i + 1 && text[i] == '\r');
		if (out && after_out && blank && blank_kept) {
			i = next;
			continue;
		}
		after_out = out && w->lines[j].out;
		if (after_out) {
			if (res) {
				w->foreign++;
				if (set->removed_channel) {
					const char *code = kp_langid_lang(set->lang, l);
					sbuf *b = &w->rec;
					int rc = record_head(w, "foreign-paragraph") | sb_adds(b, ",\"lang\":") |
						 sb_json(b, code, 3) | sb_adds(b, ",\"text\":") | sb_json(b, text + i, e - i) |
						 sb_adds(b, "}\n");
					if (rc < 0 || kp_result_write(res, set->removed_channel, b->p, b->len) < 0)
						return KP_ENOMEM;
				}
			}
		} else {
			if (sb_add(k, text + i, next - i) < 0)
				return KP_ENOMEM;
			blank_kept = blank;
			if (bytes && l >= 0) { /* the shares of the text written out */
				bytes[l] += (double)(e - i);
				*total += (double)(e - i);
			}
		}
		i = next;
	}
	if (out) { /* the first or last paragraphs taken out: not the line breaks after or before them */
		size_t lead = 0;
		if (n && text[0] != '\n' && text[0] != '\r')
			while (lead < k->len && (k->p[lead] == '\n' || k->p[lead] == '\r'))
				lead++;
		if (lead) {
			memmove(k->p, k->p + lead, k->len - lead);
			k->len -= lead;
		}
		if (n && text[n - 1] != '\n')
			while (k->len && (k->p[k->len - 1] == '\n' || k->p[k->len - 1] == '\r'))
				k->len--;
	}
	return out;
}

/* The paragraphs (lines) of a document: with --drop-foreign-paragraphs,
 * when it is kept, those foreign (take_out; near_ok: the document is in a
 * near language) taken out of the text (set as the text when any was),
 * and the languages' shares of what is left into metadata.lang_shares
 * (with --paragraphs). */
static int paragraphs(struct worker *w, kp_result *res, const char *text, size_t n, int near_ok, int kept)
{
	const struct settings *set = w->set;
	double bytes[MAX_LANGS] = {0}, total = 0;
	int out = take_out(w, res, text, n, kept && set->drop_foreign ? near_ok : -1, bytes, &total, NULL);
	if (out < 0)
		return out;
	if (out && kp_doc_set_text(w->doc, w->kept.p ? w->kept.p : "", w->kept.len) < 0)
		return KP_EDOC;
	if (set->paragraphs && total > 0) {
		sbuf *m = &w->meta;
		m->len = 0;
		int rc = sb_adds(m, "{");
		for (int l = 0, first = 1; l < kp_langid_nlangs(set->lang); l++) {
			if (!bytes[l])
				continue;
			rc |= sb_adds(m, first ? "\"" : ",\"") | sb_adds(m, kp_langid_lang(set->lang, l)) | sb_adds(m, "\":") |
			      sb_num(m, bytes[l] / total);
			first = 0;
		}
		if (rc < 0 || sb_adds(m, "}") < 0)
			return KP_ENOMEM;
		if (kp_doc_meta_set_raw(w->doc, "lang_shares", m->p, m->len) < 0)
			return KP_EDOC;
	}
	return 0;
}

static void note_line(void *ctx, size_t start, size_t end, int lang, double score)
{
	struct worker *w = ctx;
	(void)start;
	(void)end;
	w->lines[w->nlines++] = (struct line_lang){(signed char)lang, score >= w->set->min_score, 0};
}

/* A document not kept whole (its lines judged): the language of what is
 * left once its foreign paragraphs (take_out, near ones left when a kept
 * language is near) are out, into *lang and *score when that is a kept
 * one scored --min-score or more and a paragraph left is in a kept
 * language on its own (not only captions and links of a few words): 1;
 * 0 when not, or when no paragraph is foreign; < 0 when out of memory. */
static int without_foreign(struct worker *w, const char *text, size_t n, int *lang, double *score)
{
	const struct settings *set = w->set;
	int anchor, out = take_out(w, NULL, text, n, set->keep_near, NULL, NULL, &anchor);
	if (out <= 0 || !anchor)
		return out < 0 ? out : 0;
	double sc;
	int l = kp_langid_detect(set->lang, w->kept.p ? w->kept.p : "", w->kept.len, &sc);
	if (l < 0 || !set->keep[l] || sc < set->min_score)
		return 0;
	*lang = l;
	*score = sc;
	return 1;
}

/* The language of the document: metadata.lang and lang_score; 1 when it
 * is dropped (recorded), 0 when it goes on, < 0 on errors.  With the
 * paragraphs wanted, their languages too, in the same pass. */
static int language(struct worker *w, kp_result *res, const char *text, size_t n, const char *line, size_t len)
{
	const struct settings *set = w->set;
	int by_line = set->paragraphs || (set->drop_foreign && set->nkeep);
	double sc;
	int l;
	if (by_line) {
		size_t need = 1;
		for (const char *p = text, *end = text + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
			need++;
		if (need > w->linecap) {
			struct line_lang *nl = realloc(w->lines, need * sizeof *nl);
			if (!nl)
				return KP_ENOMEM;
			w->lines = nl;
			w->linecap = need;
		}
		w->nlines = 0;
		l = kp_langid_detect_lines(set->lang, text, n, &sc, note_line, w);
	} else {
		l = kp_langid_detect(set->lang, text, n, &sc);
	}
	w->rescued = 0;
	if (set->drop_foreign && set->nkeep && l >= 0 && (!set->keep[l] || sc < set->min_score)) {
		/* not kept whole: perhaps once its foreign paragraphs are out
		 * (an Indonesian article quoting a long English song) */
		int rc = without_foreign(w, text, n, &l, &sc);
		if (rc < 0)
			return rc;
		w->rescued = rc;
	}
	const char *code = l >= 0 ? kp_langid_lang(set->lang, l) : "und";
	w->langs[l >= 0 ? l : MAX_LANGS]++;
	if (set->nkeep && !set->annotate && (l < 0 || !set->keep[l] || sc < set->min_score)) {
		char rule[16];
		snprintf(rule, sizeof rule, l >= 0 && set->keep[l] ? "lang-score" : "lang-%s", code);
		w->dropped_lang++;
		return set->removed_channel && lang_record(w, res, rule, code, sc, line, len) < 0 ? KP_ENOMEM : 1;
	}
	char num[32];
	snprintf(num, sizeof num, "%.3f", sc);
	if (kp_doc_meta_set_str(w->doc, "lang", code, strlen(code)) < 0 ||
	    kp_doc_meta_set_raw(w->doc, "lang_score", num, strlen(num)) < 0)
		return KP_EDOC;
	/* foreign paragraphs come out of a document kept (not of one only
	 * annotated that --keep would drop, nor of one in a language the model
	 * does not know, whose lines it calls the languages it knows) */
	if (by_line && l >= 0)
		return paragraphs(w, res, text, n, set->near[l],
				  set->nkeep && set->keep[l] && sc >= set->min_score && l != set->oth);
	return 0;
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
	/* the language first: a document of another is not measured */
	if (set->lang) {
		int rc = language(w, res, text, n, line, len);
		if (rc == KP_EDOC)
			goto doc_error;
		if (rc < 0)
			return rc;
		if (rc == 1)
			return 0;
		if (kp_doc_text(w->doc, &text, &n) < 0) /* the paragraphs left */
			return KP_ENOMEM;
	}
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
				rc |= sb_adds(m, ",\"fail\":") | sb_jsons(m, name);
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
	w->kept_without_foreign += w->rescued; /* counted when written, not when dropped after */
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
	uint64_t langs[MAX_LANGS + 1] = {0}, dropped_lang = 0, foreign = 0, kept_without_foreign = 0;
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
		for (int l = 0; l <= MAX_LANGS; l++)
			langs[l] += w->langs[l];
		dropped_lang += w->dropped_lang;
		foreign += w->foreign;
		kept_without_foreign += w->kept_without_foreign;
	}
	uint64_t dropped = dropped_pii + dropped_lang;
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
	if (set->lang) {
		size_t lo = 0;
		char ll[1024];
		for (int l = 0; l <= MAX_LANGS; l++)
			if (langs[l])
				lo += (size_t)snprintf(ll + lo, lo < sizeof ll ? sizeof ll - lo : 0, "%s%llu %s", lo ? ", " : "",
						       (unsigned long long)langs[l],
						       l < MAX_LANGS ? kp_langid_lang(set->lang, l) : "without letters");
		cli_note(c, "languages: %s%s", lo ? ll : "none", set->nkeep && !set->annotate ? "" : " (all kept)");
		if (dropped_lang)
			cli_note(c, "dropped for their language or a score under --min-score: %llu",
				 (unsigned long long)dropped_lang);
		if (foreign)
			cli_note(c, "paragraphs in another language removed: %llu", (unsigned long long)foreign);
		if (kept_without_foreign)
			cli_note(c, "documents in a kept language only once those were out: %llu",
				 (unsigned long long)kept_without_foreign);
	}
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

/* --train: lines "LANG<TAB>text" of the inputs into a model, -o FILE. */
static int train_model(cli *c, int bits, uint64_t seed)
{
	if (!c->output || !strcmp(c->output, "-"))
		cli_usage_error(c, "--train writes a model file: give -o FILE");
	kp_langid_trainer *t = kp_langid_trainer_new(bits);
	kp_reader *r = kp_reader_new(c->max_line);
	if (!t || !r)
		cli_fatal(c, "out of memory");
	kp_langid_trainer_seed(t, seed);
	uint64_t lines = 0;
	for (int i = 0; i < (c->ninputs ? c->ninputs : 1); i++) {
		const char *path = c->ninputs ? c->inputs[i] : "-";
		if (kp_reader_open(r, path) < 0)
			cli_fatal(c, "%s", kp_reader_errmsg(r));
		const char *line;
		size_t len;
		int rc;
		while ((rc = kp_reader_getline(r, &line, &len)) > 0) {
			if (!len || line[0] == '#')
				continue;
			const char *tab = memchr(line, '\t', len);
			char code[24];
			if (!tab || tab - line < 3 || (size_t)(tab - line) >= sizeof code)
				cli_fatal(c, "%s:%llu: expected LANG<TAB>text (a code of three letters, or LANG:VARIETY)",
					  path, (unsigned long long)kp_reader_lineno(r));
			memcpy(code, line, (size_t)(tab - line));
			code[tab - line] = '\0';
			rc = kp_langid_trainer_add(t, code, tab + 1, len - (size_t)(tab - line) - 1);
			if (rc == KP_EINVAL)
				cli_fatal(c,
					  "%s:%llu: '%s': a language code of three lower-case letters (LANG:VARIETY: a "
					  "variety of it, up to 15 letters or digits), 16 classes at most",
					  path, (unsigned long long)kp_reader_lineno(r), code);
			if (rc < 0)
				cli_fatal(c, "out of memory");
			lines++;
		}
		if (rc < 0)
			cli_fatal(c, "%s", kp_reader_errmsg(r));
		kp_reader_close(r);
	}
	if (!lines)
		cli_fatal(c, "no training line in the input");
	char *model;
	size_t n;
	if (kp_langid_trainer_write(t, &model, &n) < 0)
		cli_fatal(c, "out of memory");
	kp_writer *w = kp_writer_new();
	if (!w || kp_writer_open(w, c->output, 0, 0) < 0 || kp_writer_write(w, model, n) < 0 || kp_writer_close(w) < 0)
		cli_fatal(c, "%s: %s", c->output, w ? kp_writer_errmsg(w) : "out of memory");
	kp_writer_free(w);
	if (!c->quiet)
		cli_note(c, "%s: a model of %llu lines, %zu bytes", c->output, (unsigned long long)lines, n);
	free(model);
	kp_reader_free(r);
	kp_langid_trainer_free(t);
	return 0;
}

int main(int argc, char **argv)
{
	cli c;
	cli_init(&c, &tool);
	struct settings set = {0};
	const char *removed_path = NULL, *rule_files[32], *keep = NULL, *model_path = NULL;
	int nrules = 0, quality = 1, dump = 0, lang = 1, train = 0, bits = 0, opt;
	uint64_t seed = 0;
	int seeded = 0;
	set.min_score = 0.5;
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
		case OPT_KEEP: keep = optarg; break;
		case OPT_MIN_SCORE: set.min_score = cli_parse_double(&c, "--min-score", optarg, 0, 1); break;
		case OPT_NO_LANG: lang = 0; break;
		case OPT_PARAGRAPHS: set.paragraphs = 1; break;
		case OPT_DROP_FOREIGN: set.drop_foreign = 1; break;
		case OPT_MODEL: model_path = optarg; break;
		case OPT_TRAIN: train = 1; break;
		case OPT_BITS: bits = (int)cli_parse_long(&c, "--bits", optarg, 8, 24); break;
		case OPT_SEED:
			seed = (uint64_t)cli_parse_long(&c, "--seed", optarg, 0, 1000000000);
			seeded = 1;
			break;
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
	if (train)
		return train_model(&c, bits, seed);
	if (seeded || bits)
		cli_usage_error(&c, "--seed and --bits go with --train");
	if (nrules && !quality)
		cli_usage_error(&c, "--quality-rules and --no-quality: choose one");
	if (!lang && (keep || set.paragraphs || set.drop_foreign || model_path))
		cli_usage_error(&c, "--no-lang goes with none of --keep, --paragraphs, --drop-foreign-paragraphs, --model");
	if (set.drop_foreign && !keep)
		cli_usage_error(&c, "--drop-foreign-paragraphs needs --keep (the languages that are not foreign)");
	kp_langid_model *model = NULL;
	if (lang) {
		if (model_path) {
			sbuf b = {0};
			char err[200];
			cli_read_file(&c, model_path, &b);
			model = kp_langid_load(b.p ? b.p : "", b.len, err, sizeof err);
			sb_free(&b);
			if (!model)
				cli_usage_error(&c, "%s: %s", model_path, err);
		} else if (!(model = kp_langid_builtin())) {
			cli_fatal(&c, "the built-in language model is missing (build it: see corpora/lang-id/README.md)");
		}
		set.lang = model;
	}
	/* --keep ind,jav: the languages by their index in the model */
	for (const char *p = keep; p && *p;) {
		size_t n = strcspn(p, ",");
		if (!n) { /* "ind,,jav": an empty name is no language */
			p++;
			continue;
		}
		int l = kp_langid_find(model, p, n);
		if (l < 0 || l >= MAX_LANGS)
			cli_usage_error(&c, "--keep: the model knows no language '%.*s'", (int)n, p);
		set.keep[l] = 1;
		set.nkeep++;
		p += n + (p[n] == ',');
	}
	for (size_t i = 0; model && i < sizeof near_langs / sizeof *near_langs; i++) {
		int l = kp_langid_find(model, near_langs[i], 3);
		if (l >= 0 && l < MAX_LANGS) {
			set.near[l] = 1;
			set.keep_near |= set.keep[l];
		}
	}
	set.oth = model ? kp_langid_find(model, "oth", 3) : -1;
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
	kp_langid_free(model);
	return status;
}
