/* Unit tests of the statistics accumulators: token classes and counts,
 * nearest-rank percentiles, breakdowns, the vocabulary cap, and the exact
 * round trip report + vocabulary -> accumulator -> the same report, and
 * reports written by threads at once. */
#include <ctype.h>
#include <pthread.h>

#include "korpus/stats.h"
#include "test.h"

static const char *upper_stem(void *ctx, const char *w, size_t n, size_t *sn)
{
	/* a stand-in stemmer: the first three bytes */
	static char b[8];
	(void)ctx;
	*sn = n < 3 ? n : 3;
	memcpy(b, w, *sn);
	return b;
}

static char *report(kp_stats *s, const char *vocab_name)
{
	char *j, *v = NULL;
	size_t n, vl = 0;
	if (kp_stats_stems(s, upper_stem, NULL) < 0 || (vocab_name && kp_stats_vocab(s, &v, &vl) < 0) ||
	    kp_stats_json(s, 5, vocab_name, v, vl, &j, &n) < 0)
		j = NULL;
	free(v);
	return j;
}

/* The integer after "key": in a report (the first occurrence). */
static long long figure(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(json, pat);
	return p ? atoll(p + strlen(pat)) : -1;
}

static void feed(kp_stats *s, const char *src, const char *month, const char *const *sents)
{
	kp_stats_doc d = {0};
	for (; *sents; sents++) {
		CHECK_INT(kp_stats_sentence(s, *sents, strlen(*sents)), 0);
		d.sentences++;
		for (const char *p = *sents; *p; p++)
			d.tokens += (p == *sents || p[-1] == ' ') && *p != ' ';
		d.bytes += strlen(*sents) + 1;
		d.chars += strlen(*sents) + 1;
	}
	d.paragraphs = 1;
	d.source = src;
	d.source_len = src ? strlen(src) : 0;
	d.month = month;
	CHECK_INT(kp_stats_add_doc(s, &d), 0);
}

static const char *const DOC1[] = {"wakil bupati belu berkunjung ke kantor imigrasi .", "harga naik 2,5 persen !", NULL};
static const char *const DOC2[] = {"bupati belu dan wakil bupati bertemu .", "ke kantor 12 kali", NULL};
static const char *const DOC3[] = {"état ünïcode 3 — 4", NULL};

static void test_counts(void)
{
	kp_stats *s = kp_stats_new(0);
	feed(s, "kompas", "2025-01", DOC1);
	feed(s, "kompas", "2025-02", DOC2);
	feed(s, NULL, NULL, DOC3);
	CHECK_INT(kp_stats_removed(s, "baca-juga", 9, 40), 0);
	char *j = report(s, "v.tsv");
	CHECK(j != NULL);
	if (!j)
		return;
	CHECK_INT(figure(j, "documents"), 3);
	CHECK_INT(figure(j, "sentences"), 5);
	CHECK_INT(figure(j, "tokens"), 8 + 5 + 7 + 4 + 5);
	/* words: tokens with a letter; numbers: digits, no letter */
	CHECK_INT(figure(j, "numbers"), 4);
	CHECK_INT(figure(j, "words"), 7 + 3 + 6 + 3 + 2);
	/* stopwords of the bundled list: ke, dan, ke at least */
	CHECK(figure(j, "stopwords") >= 3);
	CHECK_INT(figure(j, "word_types"), 15);
	/* bigrams of adjacent words only: not across "." "2,5" "—" */
	CHECK_INT(figure(j, "bigram_types"), 6 + 1 + 3 + 0 + 1);
	CHECK(strstr(j, "\"top_words\":[[\"bupati\",3],[\"belu\",2],[\"kantor\",2],[\"ke\",2],[\"wakil\",2]]") != NULL);
	/* the stand-in stems: "bup" 3, ... */
	CHECK(strstr(j, "\"top_stems\":[[\"bup\",3]") != NULL);
	CHECK(strstr(j, "\"sources\":[[\"kompas\",2,24,") != NULL);
	CHECK(strstr(j, "[\"(none)\",1,5,") != NULL);
	CHECK(strstr(j, "\"months\":[[\"2025-01\",1,13],[\"2025-02\",1,11]]") != NULL);
	CHECK(strstr(j, "\"clean_removed\":[[\"baca-juga\",1,40]]") != NULL);
	/* nearest-rank: sentence lengths 8 5 7 4 5 -> median 5, p90 8 */
	const char *st = strstr(j, "\"sentence_tokens\":");
	CHECK(st && figure(st, "median") == 5 && figure(st, "p90") == 8 && figure(st, "max") == 8);
	CHECK(strstr(j, "\"approximate\":false") != NULL);
	free(j);
	kp_stats_free(s);
}

/* Report + vocabulary of two halves, loaded and merged = the whole. */
static void test_roundtrip(void)
{
	kp_stats *whole = kp_stats_new(0), *a = kp_stats_new(0), *b = kp_stats_new(0), *m = kp_stats_new(0);
	feed(whole, "kompas", "2025-01", DOC1);
	feed(whole, "kompas", "2025-02", DOC2);
	feed(whole, NULL, NULL, DOC3);
	feed(a, "kompas", "2025-01", DOC1);
	feed(b, "kompas", "2025-02", DOC2);
	feed(b, NULL, NULL, DOC3);
	kp_stats *parts[] = {a, b};
	for (int i = 0; i < 2; i++) {
		char *j = report(parts[i], "v.tsv"), *v;
		size_t jl = strlen(j), vl;
		CHECK_INT(kp_stats_vocab(parts[i], &v, &vl), 0);
		CHECK_INT(kp_stats_load_json(m, j, jl), 0);
		CHECK_INT(kp_stats_load_vocab(m, v, vl), 0);
		free(j);
		free(v);
	}
	char *x = report(whole, "v.tsv"), *y = report(m, "v.tsv");
	CHECK(x && y && strcmp(x, y) == 0);
	/* kp_stats_merge gives the same */
	kp_stats *m2 = kp_stats_new(0);
	CHECK_INT(kp_stats_merge(m2, a), 0);
	CHECK_INT(kp_stats_merge(m2, b), 0);
	char *z = report(m2, "v.tsv");
	CHECK(x && z && strcmp(x, z) == 0);
	free(x);
	free(y);
	free(z);
	/* not a report; a bad vocabulary line */
	CHECK_INT(kp_stats_load_json(m, "{\"x\":1}", 7), KP_EFORMAT);
	CHECK_INT(kp_stats_load_json(m, "nope", 4), KP_EFORMAT);
	CHECK_INT(kp_stats_load_vocab(m, "kata\n", 5), KP_EFORMAT);
	CHECK_INT(kp_stats_load_vocab(m, "kata\t12x\n", 9), KP_EFORMAT);
	CHECK_INT(kp_stats_load_vocab(m, "kata\t-3\n", 8), KP_EFORMAT);
	CHECK_INT(kp_stats_load_vocab(m, "kata\t0\n", 7), KP_EFORMAT);
	CHECK_INT(kp_stats_load_vocab(m, "kata\t18446744073709551616\n", 26), KP_EFORMAT);
	/* a report's vocabulary must be the one it was written with: truncated,
	 * emptied or another report's is refused */
	{
		char *j = report(a, "v.tsv"), *v, *w;
		size_t vl, wl;
		CHECK_INT(kp_stats_vocab(a, &v, &vl), 0);
		CHECK_INT(kp_stats_vocab(b, &w, &wl), 0);
		kp_stats *t = kp_stats_new(0);
		CHECK_INT(kp_stats_load_json(t, j, strlen(j)), 0);
		CHECK_INT(kp_stats_load_vocab(t, v, vl - 5), KP_EFORMAT);
		CHECK_INT(kp_stats_load_json(t, j, strlen(j)), 0);
		CHECK_INT(kp_stats_load_vocab(t, "", 0), KP_EFORMAT);
		CHECK_INT(kp_stats_load_json(t, j, strlen(j)), 0);
		CHECK_INT(kp_stats_load_vocab(t, w, wl), KP_EFORMAT);
		CHECK_INT(kp_stats_load_json(t, j, strlen(j)), 0);
		CHECK_INT(kp_stats_load_vocab(t, v, vl), 0);
		kp_stats_free(t);
		/* counts that overflow when added up: the third report of 2^63 - 1
		 * documents */
		const char *d = strstr(j, "\"documents\":");
		const char *rest = d ? strchr(d, ',') : NULL;
		CHECK(d && rest);
		char *big = malloc(strlen(j) + 32);
		sprintf(big, "%.*s\"documents\":9223372036854775807%s", (int)(d - j), j, rest);
		kp_stats *o = kp_stats_new(0);
		CHECK_INT(kp_stats_load_json(o, big, strlen(big)), 0);
		CHECK_INT(kp_stats_load_vocab(o, v, vl), 0);
		CHECK_INT(kp_stats_load_json(o, big, strlen(big)), 0);
		CHECK_INT(kp_stats_load_vocab(o, v, vl), 0);
		CHECK_INT(kp_stats_load_json(o, big, strlen(big)), KP_EFORMAT);
		kp_stats_free(o);
		free(big);
		free(j);
		free(v);
		free(w);
	}
	kp_stats_free(whole);
	kp_stats_free(a);
	kp_stats_free(b);
	kp_stats_free(m);
	kp_stats_free(m2);
}

static void test_cap(void)
{
	kp_stats *s = kp_stats_new(4);
	feed(s, "x", NULL, DOC1);
	char *j = report(s, NULL);
	CHECK(j && strstr(j, "\"approximate\":true"));
	CHECK_INT(figure(j, "word_types"), 4);
	CHECK_INT(figure(j, "words"), 10); /* every word still counts */
	CHECK_INT(figure(j, "untyped_words"), 6);
	free(j);
	kp_stats_free(s);
}

/* Two accumulators of different text, each reported by a thread of its
 * own at once, again and again: every report and vocabulary is the one
 * written alone (the sorts' comparators must not share state). */
struct reporter {
	kp_stats *s;
	const char *json, *vocab; /* as written alone */
	int rounds, mismatches;
};

static void *report_again(void *arg)
{
	struct reporter *r = arg;
	for (int i = 0; i < r->rounds; i++) {
		char *j = NULL, *v = NULL;
		size_t jn, vn;
		if (kp_stats_vocab(r->s, &v, &vn) < 0 || kp_stats_json(r->s, 50, "v.tsv", v, vn, &j, &jn) < 0 ||
		    strcmp(j, r->json) || strcmp(v, r->vocab))
			r->mismatches++;
		free(j);
		free(v);
	}
	return NULL;
}

static void test_threads(void)
{
	struct reporter r[2];
	char *json[2], *vocab[2];
	for (int k = 0; k < 2; k++) {
		kp_stats *s = kp_stats_new(0);
		/* a few thousand word and bigram types, many of one count:
		 * the sorts compare text often */
		char sent[256];
		for (int i = 0; i < 3000; i++) {
			int n = snprintf(sent, sizeof sent, "%s%d kata%d %s%d .", k ? "beta" : "alfa", i % 997, i % 13,
					 k ? "dua" : "satu", (i * 7) % 1009);
			CHECK_INT(kp_stats_sentence(s, sent, (size_t)n), 0);
		}
		kp_stats_doc d = {0};
		d.sentences = 3000;
		CHECK_INT(kp_stats_add_doc(s, &d), 0);
		CHECK_INT(kp_stats_stems(s, upper_stem, NULL), 0);
		size_t jn, vn;
		CHECK_INT(kp_stats_vocab(s, &vocab[k], &vn), 0);
		CHECK_INT(kp_stats_json(s, 50, "v.tsv", vocab[k], vn, &json[k], &jn), 0);
		r[k] = (struct reporter){s, json[k], vocab[k], 40, 0};
	}
	pthread_t th[2];
	for (int k = 0; k < 2; k++)
		CHECK_INT(pthread_create(&th[k], NULL, report_again, &r[k]), 0);
	for (int k = 0; k < 2; k++) {
		pthread_join(th[k], NULL);
		CHECK_INT(r[k].mismatches, 0);
		free(json[k]);
		free(vocab[k]);
		kp_stats_free(r[k].s);
	}
}

int main(void)
{
	test_counts();
	test_roundtrip();
	test_cap();
	test_threads();
	TEST_MAIN_END();
}
