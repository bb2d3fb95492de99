/* korpus-stats: the text table and the HTML page, both made from the JSON
 * report, so a merged report renders as a fresh one. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "stats_report.h"

const char *const stats_chart_ids[] = {"chart-doc-tokens", "chart-sentence-tokens", "chart-word-chars",
				       "chart-zipf",       "chart-top-words",       "chart-top-stems",
				       "chart-sources",    "chart-months",          NULL};

struct w {
	sbuf *o;
	int err;
};

static void out(struct w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct w *w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || sb_add(w->o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1) < 0)
		w->err = 1;
}

/* s escaped for HTML text and attributes */
static void esc(struct w *w, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if (e ? sb_adds(w->o, e) < 0 : sb_add(w->o, s, 1) < 0)
			w->err = 1;
	}
}

static yajl_val get(yajl_val o, const char *key)
{
	const char *path[] = {key, NULL};
	return o ? yajl_tree_get(o, path, yajl_t_any) : NULL;
}

static double num(yajl_val o, const char *key)
{
	yajl_val v = get(o, key);
	return v && YAJL_IS_NUMBER(v) ? YAJL_GET_DOUBLE(v) : 0.0;
}

static unsigned long long cnt(yajl_val o, const char *key)
{
	yajl_val v = get(o, key);
	return v && YAJL_IS_INTEGER(v) ? (unsigned long long)YAJL_GET_INTEGER(v) : 0;
}

static size_t alen(yajl_val a)
{
	return a && YAJL_IS_ARRAY(a) ? a->u.array.len : 0;
}

static yajl_val at(yajl_val a, size_t i)
{
	return a->u.array.values[i];
}

static double dat(yajl_val row, size_t i)
{
	if (!row || !YAJL_IS_ARRAY(row) || i >= row->u.array.len)
		return 0;
	yajl_val v = row->u.array.values[i];
	return YAJL_IS_NUMBER(v) ? YAJL_GET_DOUBLE(v) : 0;
}

static const char *sat(yajl_val row, size_t i)
{
	if (!row || !YAJL_IS_ARRAY(row) || i >= row->u.array.len || !YAJL_IS_STRING(row->u.array.values[i]))
		return "";
	return YAJL_GET_STRING(row->u.array.values[i]);
}

/* 1234567 -> "1,234,567" */
static const char *grouped(unsigned long long v, char *buf)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%llu", v), o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}

yajl_val json_tree(const char *json, size_t len)
{
	char *z = malloc(len + 1);
	if (!z)
		return NULL;
	memcpy(z, json, len);
	z[len] = '\0';
	yajl_val v = yajl_tree_parse(z, NULL, 0);
	free(z);
	return v;
}

static yajl_val parse(const char *json, size_t len)
{
	yajl_val v = json_tree(json, len);
	if (v && !get(v, "korpus_stats")) {
		yajl_tree_free(v);
		return NULL;
	}
	return v;
}

/* ---- the table -------------------------------------------------------------- */

int stats_table(const char *json, size_t len, int top, sbuf *o)
{
	yajl_val r = parse(json, len);
	if (!r)
		return -1;
	struct w w = {o, 0};
	char a[32], b[32];
	static const char *const counts[] = {"documents", "paragraphs", "sentences", "tokens", "words",
					     "numbers",   "characters", "bytes",     NULL};
	out(&w, "corpus%s\n", YAJL_IS_TRUE(get(r, "approximate")) ? " (approximate: --max-vocab reached; type counts are lower bounds)" : "");
	for (int i = 0; counts[i]; i++)
		out(&w, "  %-22s %15s\n", counts[i], grouped(cnt(r, counts[i]), a));
	out(&w, "vocabulary\n");
	out(&w, "  %-22s %15s\n", "word types", grouped(cnt(r, "word_types"), a));
	out(&w, "  %-22s %15s\n", "stem types", grouped(cnt(r, "stem_types"), a));
	out(&w, "  %-22s %15s\n", "bigram types", grouped(cnt(r, "bigram_types"), a));
	out(&w, "  %-22s %15.4f\n", "type/token ratio", num(r, "type_token_ratio"));
	out(&w, "  %-22s %14.2f%%  of types\n", "hapax legomena", 100 * num(r, "hapax_share"));
	out(&w, "  %-22s %14.2f%%  of words\n", "stopwords", 100 * num(r, "stopword_share"));
	out(&w, "  %-22s %14.2f%%  of tokens\n", "numbers", 100 * num(r, "number_share"));
	out(&w, "%-24s %11s %8s %8s %8s %8s\n", "lengths", "mean", "median", "p90", "p99", "max");
	static const char *const dists[][2] = {{"doc_tokens", "document (tokens)"},
					       {"sentence_tokens", "sentence (tokens)"},
					       {"word_chars", "word (characters)"}};
	for (int i = 0; i < 3; i++) {
		yajl_val d = get(r, dists[i][0]);
		out(&w, "  %-22s %11.1f %8llu %8llu %8llu %8llu\n", dists[i][1], num(d, "mean"), cnt(d, "median"),
		    cnt(d, "p90"), cnt(d, "p99"), cnt(d, "max"));
	}
	static const char *const tops[][2] = {{"top_words", "top words"}, {"top_stems", "top stems"}, {"top_bigrams", "top bigrams"}};
	for (int t = 0; t < 3; t++) {
		yajl_val l = get(r, tops[t][0]);
		out(&w, "%s\n", tops[t][1]);
		for (size_t i = 0; i < alen(l) && (int)i < top; i++)
			out(&w, "  %4zu  %-30s %12s\n", i + 1, sat(at(l, i), 0), grouped((unsigned long long)dat(at(l, i), 1), a));
	}
	yajl_val s = get(r, "sources");
	out(&w, "sources                      documents       tokens\n");
	for (size_t i = 0; i < alen(s); i++)
		out(&w, "  %-24s %12s %12s\n", sat(at(s, i), 0), grouped((unsigned long long)dat(at(s, i), 1), a),
		    grouped((unsigned long long)dat(at(s, i), 2), b));
	yajl_val m = get(r, "months");
	if (alen(m)) {
		out(&w, "months                       documents       tokens\n");
		for (size_t i = 0; i < alen(m); i++)
			out(&w, "  %-24s %12s %12s\n", sat(at(m, i), 0), grouped((unsigned long long)dat(at(m, i), 1), a),
			    grouped((unsigned long long)dat(at(m, i), 2), b));
	}
	yajl_val p = get(r, "pipeline");
	out(&w, "pipeline\n");
	out(&w, "  %-22s %15s\n", "duplicates marked", grouped(cnt(p, "dup_marked"), a));
	out(&w, "  %-22s %15s\n", "left empty by clean", grouped(cnt(p, "clean_empty"), a));
	out(&w, "  %-22s %15s\n", "UTF-8 repairs", grouped(cnt(p, "utf8_repairs"), a));
	yajl_val cr = get(p, "clean_removed");
	if (alen(cr)) {
		out(&w, "  removed by korpus-clean        spans        bytes\n");
		for (size_t i = 0; i < alen(cr); i++)
			out(&w, "    %-22s %12s %12s\n", sat(at(cr, i), 0), grouped((unsigned long long)dat(at(cr, i), 1), a),
			    grouped((unsigned long long)dat(at(cr, i), 2), b));
	}
	yajl_tree_free(r);
	return w.err ? -1 : 0;
}

/* ---- SVG charts -------------------------------------------------------------- */

#define CW 640
#define CH 260
#define ML 64
#define MR 16
#define MT 30
#define MB 48

static void chart_open(struct w *w, const char *id, const char *title, int height)
{
	out(w, "<figure id=\"%s\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>",
	    id, CW, height, CW, height);
	esc(w, title);
	out(w, "</title><text class=\"t\" x=\"%d\" y=\"18\">", ML);
	esc(w, title);
	out(w, "</text>");
}

static void chart_close(struct w *w)
{
	out(w, "</svg></figure>\n");
}

/* A round step of about max/4 for the ticks of an axis of counts: a whole
 * number (below 1, ticks 0, 0.5, 1, 1.5, 2 were labelled 0, 0, 1, 2, 2). */
static double tick_step(double max)
{
	double raw = max / 4, p = pow(10, floor(log10(raw > 0 ? raw : 1))), f = raw / p;
	double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
	return step < 1 ? 1 : step;
}

/* Vertical bars with labels under them (every k-th shown). */
static void bars(struct w *w, const char *id, const char *title, const char *xlabel, const char *const *labels,
		 const double *v, size_t n)
{
	chart_open(w, id, title, CH);
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	if (max <= 0)
		max = 1;
	double step = tick_step(max), top = ceil(max / step) * step;
	int pw = CW - ML - MR, ph = CH - MT - MB;
	for (double t = 0; t <= top + step / 2; t += step) {
		double y = MT + ph - ph * t / top;
		out(w, "<line class=\"g\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/><text class=\"a\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>",
		    ML, CW - MR, y, y, ML - 6, y + 4, t);
	}
	double bw = n ? (double)pw / (double)n : pw;
	/* labels of about 6.5 px a character, a gap of 8: every k-th fits */
	size_t longest = 1, every = 1;
	for (size_t i = 0; i < n; i++)
		longest = strlen(labels[i]) > longest ? strlen(labels[i]) : longest;
	while (bw * (double)every < 6.5 * (double)longest + 8)
		every++;
	for (size_t i = 0; i < n; i++) {
		double h = ph * v[i] / top, x = ML + bw * (double)i;
		out(w, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", x + 1, MT + ph - h,
		    bw > 2 ? bw - 2 : bw, h);
		esc(w, labels[i]);
		out(w, ": %.0f</title></rect>", v[i]);
		if (i % every == 0) {
			out(w, "<text class=\"a\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x + bw / 2, MT + ph + 16);
			esc(w, labels[i]);
			out(w, "</text>");
		}
	}
	out(w, "<line class=\"x\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/><text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	    ML, CW - MR, MT + ph, MT + ph, ML + pw / 2, CH - 8);
	esc(w, xlabel);
	out(w, "</text>");
	chart_close(w);
}

static void histogram(struct w *w, yajl_val r, const char *key, const char *id, const char *title, const char *xlabel)
{
	yajl_val h = get(get(r, key), "histogram");
	size_t n = alen(h);
	char **labels = calloc(n ? n : 1, sizeof *labels);
	double *v = calloc(n ? n : 1, sizeof *v);
	if (!labels || !v) {
		w->err = 1;
		free(labels);
		free(v);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yajl_val b = at(h, i);
		char buf[64];
		if (YAJL_IS_NULL(b->u.array.len > 1 ? b->u.array.values[1] : NULL))
			snprintf(buf, sizeof buf, "%.0f+", dat(b, 0));
		else if (dat(b, 1) - dat(b, 0) == 1)
			snprintf(buf, sizeof buf, "%.0f", dat(b, 0));
		else
			snprintf(buf, sizeof buf, "%.0f-%.0f", dat(b, 0), dat(b, 1) - 1);
		labels[i] = strdup(buf);
		if (!labels[i])
			w->err = 1;
		v[i] = dat(b, 2);
	}
	if (!w->err)
		bars(w, id, title, xlabel, (const char *const *)labels, v, n);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(v);
}

/* Horizontal bars: a label and a value per row (column col). */
static void hbars(struct w *w, yajl_val rows, size_t col, size_t limit, const char *id, const char *title)
{
	size_t n = alen(rows) < limit ? alen(rows) : limit;
	int rh = 18, height = MT + 10 + (int)(n ? n : 1) * rh + 10, lw = 170;
	chart_open(w, id, title, height);
	double max = 0;
	for (size_t i = 0; i < n; i++)
		max = dat(at(rows, i), col) > max ? dat(at(rows, i), col) : max;
	if (max <= 0)
		max = 1;
	int pw = CW - lw - MR - 70;
	for (size_t i = 0; i < n; i++) {
		double v = dat(at(rows, i), col), y = MT + 10 + (double)i * rh;
		out(w, "<text class=\"a\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", lw - 6, y + 13);
		esc(w, sat(at(rows, i), 0));
		out(w, "</text><rect class=\"b\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/><text class=\"a\" x=\"%.1f\" y=\"%.1f\">%.0f</text>",
		    lw, y + 2, pw * v / max > 1 ? pw * v / max : 1, rh - 4, lw + pw * v / max + 4, y + 13, v);
	}
	if (!n)
		out(w, "<text class=\"a\" x=\"%d\" y=\"%d\">(none)</text>", lw, MT + 24);
	chart_close(w);
}

/* The rank-frequency plot on log-log axes. */
static void zipf(struct w *w, yajl_val r)
{
	yajl_val z = get(r, "zipf");
	size_t n = alen(z);
	chart_open(w, "chart-zipf", "Rank and frequency of words (log-log)", CH);
	double maxr = 1, maxf = 1;
	for (size_t i = 0; i < n; i++) {
		maxr = dat(at(z, i), 0) > maxr ? dat(at(z, i), 0) : maxr;
		maxf = dat(at(z, i), 1) > maxf ? dat(at(z, i), 1) : maxf;
	}
	double lr = ceil(log10(maxr)) > 0 ? ceil(log10(maxr)) : 1, lf = ceil(log10(maxf)) > 0 ? ceil(log10(maxf)) : 1;
	int pw = CW - ML - MR, ph = CH - MT - MB;
	for (int k = 0; k <= (int)lr; k++) {
		double x = ML + pw * k / lr;
		out(w, "<line class=\"g\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/><text class=\"a\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1e%d</text>",
		    x, x, MT, MT + ph, x, MT + ph + 16, k);
	}
	for (int k = 0; k <= (int)lf; k++) {
		double y = MT + ph - ph * k / lf;
		out(w, "<line class=\"g\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/><text class=\"a\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">1e%d</text>",
		    ML, CW - MR, y, y, ML - 6, y + 4, k);
	}
	out(w, "<polyline class=\"l\" points=\"");
	for (size_t i = 0; i < n; i++) {
		double rk = dat(at(z, i), 0), f = dat(at(z, i), 1);
		if (rk < 1 || f < 1)
			continue;
		out(w, "%s%.1f,%.1f", i ? " " : "", ML + pw * log10(rk) / lr, MT + ph - ph * log10(f) / lf);
	}
	out(w, "\"/><text class=\"a\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">rank</text>", ML + pw / 2, CH - 8);
	chart_close(w);
}

/* Documents per month of publication, and a last bar "unknown" for those
 * without a date. */
static void months(struct w *w, yajl_val r)
{
	yajl_val m = get(r, "months");
	size_t n = alen(m);
	const char **labels = calloc(n + 1, sizeof *labels);
	double *v = calloc(n + 1, sizeof *v);
	if (!labels || !v) {
		w->err = 1;
	} else {
		double dated = 0;
		for (size_t i = 0; i < n; i++) {
			labels[i] = sat(at(m, i), 0);
			v[i] = dat(at(m, i), 1);
			dated += v[i];
		}
		double unknown = (double)cnt(r, "documents") - dated;
		if (unknown > 0) {
			labels[n] = "unknown";
			v[n++] = unknown;
		}
		bars(w, "chart-months", "Documents per month of publication", dated > 0 ? "month" : "month (no dates in the documents)",
		     labels, v, n);
	}
	free(labels);
	free(v);
}

static const char *const style =
	"body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#1d2430;padding:0 1em}"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #d8dde6}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{padding:.15em .8em;text-align:right}"
	"td:first-child,th:first-child{text-align:left}tr:nth-child(even){background:#f3f5f9}"
	"figure{margin:1em 0}svg{max-width:100%;height:auto;background:#fff}"
	".t{font:600 14px system-ui,sans-serif;fill:#1d2430}.a{font:11px system-ui,sans-serif;fill:#4a5566}"
	".b{fill:#3d6fb6}.g{stroke:#e3e7ee}.x{stroke:#8a94a6}.l{fill:none;stroke:#c0392b;stroke-width:2}"
	".note{color:#8a4b00}.grid{display:flex;flex-wrap:wrap;gap:1em}"
	"td.l,th.l{text-align:left}td.ex{text-align:left;font-size:12px;color:#4a5566;max-width:560px}"
	"td.ex div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}";

static void row(struct w *w, const char *name, const char *value)
{
	out(w, "<tr><td>");
	esc(w, name);
	out(w, "</td><td>");
	esc(w, value);
	out(w, "</td></tr>");
}

static void page_head(struct w *w, const char *title)
{
	out(w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title><style>%s</style></head><body>\n",
	    title, style);
}

/* The sections of a stats report; in a build's report (build set), the
 * months are in the build's part and the pipeline counts are not shown
 * (the build's own tell the whole of it). */
static void stats_sections(struct w *w, yajl_val r, int build);

int stats_html(const char *json, size_t len, sbuf *o)
{
	yajl_val r = parse(json, len);
	if (!r)
		return -1;
	struct w w = {o, 0};
	char a[64], b[32];
	page_head(&w, "korpus-stats report");
	out(&w, "<h1>Corpus statistics</h1><p>%s documents, %s tokens, %s word types.</p>\n",
	    grouped(cnt(r, "documents"), a), grouped(cnt(r, "tokens"), b), grouped(cnt(r, "word_types"), b + 16));
	stats_sections(&w, r, 0);
	out(&w, "\n</body></html>\n");
	yajl_tree_free(r);
	return w.err ? -1 : 0;
}

static void stats_sections(struct w *wp, yajl_val r, int build)
{
	struct w w = *wp;
	char a[64];
	if (YAJL_IS_TRUE(get(r, "approximate")))
		out(&w, "<p class=\"note\">Approximate: the vocabulary reached --max-vocab; type counts are lower bounds.</p>\n");
	out(&w, "<h2>Counts</h2><div class=\"grid\"><table id=\"counts\">");
	static const char *const counts[] = {"documents", "paragraphs", "sentences", "tokens", "words",
					     "numbers",   "characters", "bytes",     NULL};
	for (int i = 0; counts[i]; i++)
		row(&w, counts[i], grouped(cnt(r, counts[i]), a));
	out(&w, "</table><table id=\"vocabulary\">");
	row(&w, "word types", grouped(cnt(r, "word_types"), a));
	row(&w, "stem types", grouped(cnt(r, "stem_types"), a));
	row(&w, "bigram types", grouped(cnt(r, "bigram_types"), a));
	snprintf(a, sizeof a, "%.4f", num(r, "type_token_ratio"));
	row(&w, "type/token ratio", a);
	snprintf(a, sizeof a, "%.2f %% of types", 100 * num(r, "hapax_share"));
	row(&w, "hapax legomena", a);
	snprintf(a, sizeof a, "%.2f %% of words", 100 * num(r, "stopword_share"));
	row(&w, "stopwords", a);
	snprintf(a, sizeof a, "%.2f %% of tokens", 100 * num(r, "number_share"));
	row(&w, "numbers", a);
	out(&w, "</table></div>\n<h2>Lengths</h2><table id=\"lengths\"><tr><th></th><th>mean</th><th>median</th><th>p90</th><th>p99</th><th>max</th></tr>");
	static const char *const dists[][2] = {{"doc_tokens", "document (tokens)"},
					       {"sentence_tokens", "sentence (tokens)"},
					       {"word_chars", "word (characters)"}};
	for (int i = 0; i < 3; i++) {
		yajl_val d = get(r, dists[i][0]);
		out(&w, "<tr><td>%s</td><td>%.1f</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td></tr>", dists[i][1],
		    num(d, "mean"), cnt(d, "median"), cnt(d, "p90"), cnt(d, "p99"), cnt(d, "max"));
	}
	out(&w, "</table>\n");
	histogram(&w, r, "doc_tokens", "chart-doc-tokens", "Document length", "tokens per document");
	histogram(&w, r, "sentence_tokens", "chart-sentence-tokens", "Sentence length", "tokens per sentence");
	histogram(&w, r, "word_chars", "chart-word-chars", "Word length", "characters per word");
	out(&w, "<h2>Vocabulary</h2>\n");
	zipf(&w, r);
	hbars(&w, get(r, "top_words"), 1, 25, "chart-top-words", "Most frequent words");
	hbars(&w, get(r, "top_stems"), 1, 25, "chart-top-stems", "Most frequent stems");
	out(&w, "<h2>Sources and dates</h2>\n");
	hbars(&w, get(r, "sources"), 1, 30, "chart-sources", "Documents per source");
	if (!build)
		months(&w, r);
	yajl_val p = get(r, "pipeline"), cr = get(p, "clean_removed");
	if (build) {
		wp->err |= w.err;
		return;
	}
	out(&w, "<h2>Pipeline</h2><table id=\"pipeline\">");
	row(&w, "duplicates marked (metadata.dup_of)", grouped(cnt(p, "dup_marked"), a));
	row(&w, "left empty by korpus-clean", grouped(cnt(p, "clean_empty"), a));
	row(&w, "UTF-8 repairs", grouped(cnt(p, "utf8_repairs"), a));
	out(&w, "</table>");
	if (alen(cr)) {
		out(&w, "<table id=\"removed\"><tr><th>removed by korpus-clean</th><th>spans</th><th>bytes</th></tr>");
		for (size_t i = 0; i < alen(cr); i++) {
			out(&w, "<tr><td>");
			esc(&w, sat(at(cr, i), 0));
			out(&w, "</td><td>%s</td>", grouped((unsigned long long)dat(at(cr, i), 1), a));
			out(&w, "<td>%s</td></tr>", grouped((unsigned long long)dat(at(cr, i), 2), a));
		}
		out(&w, "</table>");
	}
	wp->err |= w.err;
}

/* ---- the report of a build ----------------------------------------------------- */

/* A table cell of a number, grouped. */
static void num_cell(struct w *w, unsigned long long v)
{
	char a[40];
	out(w, "<td>%s</td>", grouped(v, a));
}

static void text_cell(struct w *w, const char *s)
{
	out(w, "<td class=\"l\">");
	esc(w, s);
	out(w, "</td>");
}

/* A JSON value as option text: strings as they are, lists joined. */
static void option_text(struct w *w, yajl_val v)
{
	if (YAJL_IS_STRING(v))
		esc(w, v->u.string);
	else if (YAJL_IS_NUMBER(v))
		esc(w, v->u.number.r);
	else if (YAJL_IS_TRUE(v))
		out(w, "yes");
	else if (YAJL_IS_FALSE(v))
		out(w, "no");
	else if (YAJL_IS_ARRAY(v))
		for (size_t i = 0; i < v->u.array.len; i++) {
			out(w, i ? ", " : "");
			option_text(w, v->u.array.values[i]);
		}
	else if (YAJL_IS_OBJECT(v))
		for (size_t i = 0; i < v->u.object.len; i++) {
			out(w, i ? "; " : "");
			esc(w, v->u.object.keys[i]);
			out(w, " ");
			option_text(w, v->u.object.values[i]);
		}
}

static void build_stages(struct w *w, yajl_val man)
{
	yajl_val st = get(man, "stages");
	out(w, "<h2>Stages</h2><table id=\"stages\"><tr><th>stage</th><th>documents in</th><th>out</th><th>dropped</th><th></th></tr>");
	for (size_t i = 0; i < alen(st); i++) {
		yajl_val s = at(st, i);
		char a[40], note[96] = "";
		const char *stage = YAJL_IS_STRING(get(s, "stage")) ? YAJL_GET_STRING(get(s, "stage")) : NULL;
		out(w, "<tr>");
		text_cell(w, stage ? stage : "?");
		num_cell(w, cnt(s, "documents_in"));
		if (get(s, "documents_out")) {
			num_cell(w, cnt(s, "documents_out"));
			num_cell(w, cnt(s, "dropped"));
		} else {
			out(w, "<td></td><td></td>");
		}
		if (get(s, "spans_removed"))
			snprintf(note, sizeof note, "%s spans removed", grouped(cnt(s, "spans_removed"), a));
		else if (get(s, "paragraphs_removed")) /* dedup's repeated ones, filter's foreign ones */
			snprintf(note, sizeof note, "%s %s removed", grouped(cnt(s, "paragraphs_removed"), a),
				 stage && !strcmp(stage, "filter") ? "paragraphs in another language" : "repeated paragraphs");
		else if (get(s, "lines_out"))
			snprintf(note, sizeof note, "%s lines of sentences", grouped(cnt(s, "lines_out"), a));
		out(w, "<td>%s</td></tr>", note);
	}
	out(w, "</table>\n");
}

static void build_removed(struct w *w, yajl_val man)
{
	yajl_val rs = get(man, "removed");
	out(w, "<h2>What was removed, and why</h2>");
	if (!alen(rs)) {
		out(w, "<p>Nothing.</p>\n");
		return;
	}
	out(w, "<p>Every record is in <code>removed.jsonl.gz</code> with its stage and reason.</p>"
	       "<table id=\"removed-reasons\"><tr><th>stage</th><th class=\"l\">reason</th><th>count</th><th class=\"l\">unit</th><th class=\"l\">examples</th></tr>");
	for (size_t i = 0; i < alen(rs); i++) {
		yajl_val r = at(rs, i), ex = get(r, "examples");
		out(w, "<tr>");
		for (int k = 0; k < 2; k++) {
			yajl_val v = get(r, k ? "reason" : "stage");
			text_cell(w, YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "");
		}
		num_cell(w, cnt(r, "count"));
		yajl_val u = get(r, "unit");
		text_cell(w, YAJL_IS_STRING(u) ? YAJL_GET_STRING(u) : "");
		out(w, "<td class=\"ex\">");
		for (size_t k = 0; k < alen(ex); k++)
			if (YAJL_IS_STRING(at(ex, k))) {
				out(w, "<div>");
				esc(w, YAJL_GET_STRING(at(ex, k)));
				out(w, "</div>");
			}
		out(w, "</td></tr>");
	}
	out(w, "</table>\n");
}

static void build_sources(struct w *w, yajl_val man)
{
	yajl_val ss = get(man, "sources");
	out(w, "<h2>Sources</h2><table id=\"source-table\"><tr><th>source</th><th>documents in</th><th>no prose</th>"
	       "<th>filtered</th><th>duplicates</th><th>out</th><th>removed</th><th>tokens out</th></tr>");
	for (size_t i = 0; i < alen(ss); i++) {
		yajl_val s = at(ss, i), name = get(s, "source");
		unsigned long long in = cnt(s, "documents_in"), o = cnt(s, "documents_out");
		out(w, "<tr>");
		text_cell(w, YAJL_IS_STRING(name) ? YAJL_GET_STRING(name) : "");
		num_cell(w, in);
		num_cell(w, cnt(s, "no_prose"));
		num_cell(w, cnt(s, "filtered"));
		num_cell(w, cnt(s, "duplicates"));
		num_cell(w, o);
		out(w, "<td>%.1f %%</td>", in ? 100.0 * (double)(in - o) / (double)in : 0.0);
		num_cell(w, cnt(s, "tokens"));
		out(w, "</tr>");
	}
	out(w, "</table>\n");
}

static void build_dates(struct w *w, yajl_val man, yajl_val stats)
{
	yajl_val d = get(man, "dates"), ex = get(d, "not_understood_example");
	char a[40], b[40];
	out(w, "<h2>Publication dates</h2><p id=\"dates\">Read from the records' date fields: %s; not understood: %s",
	    grouped(cnt(d, "read"), a), grouped(cnt(d, "not_understood"), b));
	if (ex && YAJL_IS_STRING(ex)) {
		out(w, " (the first: &ldquo;");
		esc(w, YAJL_GET_STRING(ex));
		out(w, "&rdquo;)");
	}
	if (get(d, "documents_out_undated"))
		out(w, "; documents out without a date: %s", grouped(cnt(d, "documents_out_undated"), a));
	out(w, ".");
	yajl_val oex = get(d, "other_order_example");
	if (cnt(d, "other_order") && oex && YAJL_IS_STRING(oex)) {
		out(w, " <strong>%s dates could only be read in the other order than the build's --date-order</strong> "
		       "(the first: &ldquo;", grouped(cnt(d, "other_order"), a));
		esc(w, YAJL_GET_STRING(oex));
		out(w, "&rdquo;): the export may write its dates that way, and its ambiguous ones (09/10/2019) were "
		       "read wrong.");
	}
	out(w, "</p>\n");
	if (stats)
		months(w, stats);
}

static void build_options(struct w *w, yajl_val man)
{
	yajl_val b = get(man, "build"), o = get(b, "options"), in = get(b, "inputs");
	out(w, "<h2>Build</h2><table id=\"options\">");
	out(w, "<tr><td>korpus</td><td>");
	option_text(w, get(man, "version"));
	out(w, "</td></tr><tr><td>stages</td><td>");
	option_text(w, get(b, "stages"));
	out(w, "</td></tr><tr><td>repeated paragraphs removed</td><td>");
	option_text(w, get(b, "paragraphs"));
	out(w, "</td></tr><tr><td>gzip level</td><td>");
	option_text(w, get(b, "level"));
	out(w, "</td></tr>");
	/* a sharded build: its plan, and each stage's tasks and time */
	yajl_val plan = get(man, "plan"), ps = get(plan, "stages");
	if (plan) {
		char a[40], c[40];
		out(w, "<tr><td>shards</td><td>%s (%s partitions of the dedup keys, executor ", grouped(cnt(plan, "shards"), a),
		    grouped(cnt(plan, "partitions"), c));
		option_text(w, get(plan, "executor"));
		out(w, ")</td></tr>");
		for (size_t i = 0; i < alen(ps); i++) {
			yajl_val st = at(ps, i), sec = get(st, "seconds");
			out(w, "<tr><td>stage ");
			option_text(w, get(st, "stage"));
			out(w, "</td><td>%s task%s", grouped(cnt(st, "tasks"), a), cnt(st, "tasks") == 1 ? "" : "s");
			if (cnt(st, "done_before"))
				out(w, " (%s done before: resumed)", grouped(cnt(st, "done_before"), c));
			if (sec && YAJL_IS_NUMBER(sec))
				out(w, ", %.1f s", num(st, "seconds"));
			out(w, "</td></tr>");
		}
	}
	for (size_t i = 0; o && YAJL_IS_OBJECT(o) && i < o->u.object.len; i++) {
		out(w, "<tr><td>--");
		esc(w, o->u.object.keys[i]);
		out(w, "</td><td>");
		option_text(w, o->u.object.values[i]);
		out(w, "</td></tr>");
	}
	for (size_t i = 0; i < alen(in); i++) {
		char a[40], c[40];
		out(w, "<tr><td>input</td><td>");
		option_text(w, get(at(in, i), "path"));
		out(w, " (%s file%s, %s bytes)</td></tr>", grouped(cnt(at(in, i), "files"), a),
		    cnt(at(in, i), "files") == 1 ? "" : "s", grouped(cnt(at(in, i), "bytes"), c));
	}
	out(w, "</table>\n");
}

int build_html(const char *manifest, size_t mlen, const char *stats, size_t slen, sbuf *o)
{
	yajl_val man = json_tree(manifest, mlen), r = stats && slen ? parse(stats, slen) : NULL;
	if (!man || (stats && slen && !r)) {
		yajl_tree_free(man);
		yajl_tree_free(r);
		return -1;
	}
	struct w w = {o, 0};
	yajl_val st = get(man, "stages");
	unsigned long long in = alen(st) ? cnt(at(st, 0), "documents_in") : 0, docs_out = 0;
	for (size_t i = 0; i < alen(st); i++)
		if (get(at(st, i), "documents_out"))
			docs_out = cnt(at(st, i), "documents_out");
	char a[40], b[40], c[40];
	page_head(&w, "korpus build report");
	out(&w, "<h1>korpus build</h1><p id=\"summary\">%s documents in, %s out (%.1f %% kept), %s tokens, in %.1f s.</p>\n",
	    grouped(in, a), grouped(docs_out, b), in ? 100.0 * (double)docs_out / (double)in : 0.0,
	    grouped(cnt(r, "tokens"), c), num(man, "seconds"));
	build_stages(&w, man);
	build_removed(&w, man);
	build_sources(&w, man);
	build_dates(&w, man, r);
	build_options(&w, man);
	if (r) {
		out(&w, "<h1>The corpus</h1><p>%s documents, %s tokens, %s word types.</p>\n", grouped(cnt(r, "documents"), a),
		    grouped(cnt(r, "tokens"), b), grouped(cnt(r, "word_types"), c));
		stats_sections(&w, r, 1);
	}
	out(&w, "\n</body></html>\n");
	yajl_tree_free(man);
	yajl_tree_free(r);
	return w.err ? -1 : 0;
}

int build_table(const char *manifest, size_t mlen, sbuf *o)
{
	yajl_val man = json_tree(manifest, mlen);
	if (!man)
		return -1;
	char line[512], a[40], b[40], c[40];
	int rc = 0;
	yajl_val st = get(man, "stages"), rs = get(man, "removed"), ss = get(man, "sources");
	rc |= sb_adds(o, "stage      documents in        out    dropped\n");
	for (size_t i = 0; i < alen(st); i++) {
		yajl_val s = at(st, i), name = get(s, "stage");
		if (!get(s, "documents_out"))
			continue;
		snprintf(line, sizeof line, "%-10s %12s %10s %10s\n", YAJL_IS_STRING(name) ? YAJL_GET_STRING(name) : "?",
			 grouped(cnt(s, "documents_in"), a), grouped(cnt(s, "documents_out"), b), grouped(cnt(s, "dropped"), c));
		rc |= sb_adds(o, line);
	}
	if (alen(rs))
		rc |= sb_adds(o, "\nremoved    reason                          count  unit\n");
	size_t spans = 0, more = 0;
	for (size_t i = 0; i < alen(rs); i++) {
		yajl_val r = at(rs, i), sv = get(r, "stage"), rv = get(r, "reason"), uv = get(r, "unit");
		/* the documents' reasons all, the spans' most frequent */
		if (YAJL_IS_STRING(uv) && uv->u.string && !strcmp(uv->u.string, "spans") && ++spans > 8) {
			more++;
			continue;
		}
		snprintf(line, sizeof line, "%-10s %-24.24s %12s  %s\n", YAJL_IS_STRING(sv) ? YAJL_GET_STRING(sv) : "",
			 YAJL_IS_STRING(rv) ? YAJL_GET_STRING(rv) : "", grouped(cnt(r, "count"), a),
			 YAJL_IS_STRING(uv) ? YAJL_GET_STRING(uv) : "");
		rc |= sb_adds(o, line);
	}
	if (more) {
		snprintf(line, sizeof line, "(%zu reasons of spans more in the report)\n", more);
		rc |= sb_adds(o, line);
	}
	if (alen(ss))
		rc |= sb_adds(o, "\nsource                   in   no prose   filtered  duplicates        out\n");
	for (size_t i = 0; i < alen(ss) && i < 20; i++) {
		yajl_val s = at(ss, i), nv = get(s, "source");
		char d[40], f[40];
		snprintf(line, sizeof line, "%-18.18s %8s %10s %10s %11s %10s\n", YAJL_IS_STRING(nv) ? YAJL_GET_STRING(nv) : "",
			 grouped(cnt(s, "documents_in"), a), grouped(cnt(s, "no_prose"), b), grouped(cnt(s, "filtered"), f),
			 grouped(cnt(s, "duplicates"), c), grouped(cnt(s, "documents_out"), d));
		rc |= sb_adds(o, line);
	}
	if (alen(ss) > 20) {
		snprintf(line, sizeof line, "(%zu sources more in the report)\n", alen(ss) - 20);
		rc |= sb_adds(o, line);
	}
	yajl_val d = get(man, "dates");
	snprintf(line, sizeof line, "\ndates: %s read, %s not understood", grouped(cnt(d, "read"), a), grouped(cnt(d, "not_understood"), b));
	rc |= sb_adds(o, line);
	if (get(d, "documents_out_undated")) {
		snprintf(line, sizeof line, "; documents out without a date: %s", grouped(cnt(d, "documents_out_undated"), a));
		rc |= sb_adds(o, line);
	}
	if (cnt(d, "other_order")) {
		snprintf(line, sizeof line, "; read only in the other order (see --date-order): %s", grouped(cnt(d, "other_order"), a));
		rc |= sb_adds(o, line);
	}
	rc |= sb_adds(o, "\n");
	yajl_tree_free(man);
	return rc < 0 ? -1 : 0;
}
