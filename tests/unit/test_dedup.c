/* Unit tests of deduplication: the LSH choice, the dedup key (case,
 * punctuation, dateline), MinHash estimates, the decision index (exact,
 * near, best candidate, memory bound) and paragraph counts. */
#include <math.h>

#include "korpus/dedup.h"
#include "test.h"

static kp_dedup_params defaults(void)
{
	kp_dedup_params p;
	kp_dedup_params_default(&p);
	if (kp_dedup_params_finish(&p) < 0)
		abort();
	return p;
}

static void test_params(void)
{
	kp_dedup_params p = defaults();
	CHECK_INT(p.bands, 16);
	CHECK_INT(p.rows, 8);
	double fp, fn;
	kp_dedup_params_errors(&p, &fp, &fn);
	CHECK(fn < 0.01 && fp < 0.2);
	/* a stricter threshold needs more rows per band */
	kp_dedup_params_default(&p);
	p.threshold = 0.95;
	CHECK_INT(kp_dedup_params_finish(&p), 0);
	CHECK(p.rows > 8 && p.bands * p.rows <= 128);
	/* given bands and rows are kept, when they fit */
	kp_dedup_params_default(&p);
	p.bands = 20;
	p.rows = 5;
	CHECK_INT(kp_dedup_params_finish(&p), 0);
	CHECK_INT(p.bands, 20);
	p.bands = 30;
	CHECK_INT(kp_dedup_params_finish(&p), KP_EINVAL);
	kp_dedup_params_default(&p);
	p.threshold = 1.0;
	CHECK_INT(kp_dedup_params_finish(&p), KP_EINVAL);
	kp_dedup_params_default(&p);
	p.num_perm = KP_DEDUP_MAX_PERM + 1;
	CHECK_INT(kp_dedup_params_finish(&p), KP_EINVAL);
	/* b-bit correction: all equal is 1, chance agreement is 0 */
	CHECK(fabs(kp_dedup_estimate(128, 128) - 1.0) < 1e-12);
	CHECK(kp_dedup_estimate(0, 128) == 0.0);
	CHECK(fabs(kp_dedup_estimate(64, 128) - (0.5 - 1.0 / 256) / (1 - 1.0 / 256)) < 1e-12);
}

static const char *ARTICLE =
	"Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung ke Kantor Imigrasi Kelas II TPI "
	"Atambua, Rabu, 26 Januari 2022. Kedatangan Wabup Alo Haleserens disambut Kepala Kantor Imigrasi "
	"Atambua, K.A Halim. Dalam diskusi terbatas di ruang kerja Kakanim, Wabup Belu menyampaikan, "
	"kedatangannya dalam rangka mempererat hubungan antara Pemerintah Kabupaten Belu dan Imigrasi. "
	"Kemudian membangun kerja sama dalam menangani masalah pelintas ilegal di perbatasan negara.";

static kp_dedup_sig sign(kp_dedup_signer *s, const char *text)
{
	kp_dedup_sig sig;
	if (kp_dedup_sign(s, text, strlen(text), &sig) < 0)
		abort();
	return sig;
}

static void test_key(void)
{
	kp_dedup_params p = defaults();
	kp_dedup_signer *s = kp_dedup_signer_new(&p);
	kp_dedup_sig a = sign(s, ARTICLE);
	CHECK(a.near);
	CHECK_INT(a.shingles, 64 - 4); /* 64 words */
	/* case, punctuation, spacing and a dateline do not change the key */
	char buf[4096];
	snprintf(buf, sizeof buf, "ATAMBUA, KOMPAS.com - %s", ARTICLE);
	for (char *q = buf; *q; q++)
		if (*q == ',' || *q == '.')
			*q = ' ';
	kp_dedup_sig b = sign(s, buf);
	CHECK(memcmp(a.exact, b.exact, 16) == 0);
	CHECK(memcmp(a.mh, b.mh, (size_t)p.num_perm) == 0);
	snprintf(buf, sizeof buf, "Jakarta (ANTARA) -- %s", ARTICLE);
	b = sign(s, buf);
	CHECK(memcmp(a.exact, b.exact, 16) == 0);
	/* Unicode case folding */
	kp_dedup_sig u1 = sign(s, "ÉTAT Ünïcode"), u2 = sign(s, "état ünïcode");
	CHECK(memcmp(u1.exact, u2.exact, 16) == 0);
	/* a dash deep in the text is not a dateline */
	snprintf(buf, sizeof buf, "Kemarin sore di kantor desa yang baru dan besar itu - %s", ARTICLE);
	b = sign(s, buf);
	CHECK(memcmp(a.exact, b.exact, 16) != 0);
	/* one changed word: a different exact key, a high estimate */
	snprintf(buf, sizeof buf, "%s", ARTICLE);
	memcpy(strstr(buf, "Rabu"), "Sabt", 4);
	b = sign(s, buf);
	CHECK(memcmp(a.exact, b.exact, 16) != 0);
	double j = kp_dedup_jaccard(&a, &b, p.num_perm);
	CHECK(j > 0.8 && j < 1.0);
	/* a short text has no MinHash */
	CHECK(!sign(s, "Satu dua tiga empat").near);
	/* --key raw: bytes as they are */
	kp_dedup_params raw = p;
	raw.raw_key = 1;
	kp_dedup_signer *r = kp_dedup_signer_new(&raw);
	u1 = sign(r, "Satu dua");
	u2 = sign(r, "satu dua");
	CHECK(memcmp(u1.exact, u2.exact, 16) != 0);
	kp_dedup_signer_free(r);
	kp_dedup_signer_free(s);
}

/* Two sets of distinct words sharing a fraction: the MinHash estimate is
 * near the true Jaccard similarity of their shingles. */
static void test_estimate(void)
{
	kp_dedup_params p = defaults();
	kp_dedup_signer *s = kp_dedup_signer_new(&p);
	char *a = malloc(20000), *b = malloc(20000);
	size_t la = 0, lb = 0;
	for (int i = 0; i < 1000; i++) {
		la += (size_t)sprintf(a + la, "w%d ", i);
		/* b: the first 800 words of a, then 200 others */
		lb += (size_t)sprintf(b + lb, i < 800 ? "w%d " : "x%d ", i);
	}
	kp_dedup_sig sa, sb;
	CHECK_INT(kp_dedup_sign(s, a, la, &sa), 0);
	CHECK_INT(kp_dedup_sign(s, b, lb, &sb), 0);
	/* shingles: 996 each, 796 shared: J = 796 / 1196 */
	double truth = 796.0 / 1196.0, est = kp_dedup_jaccard(&sa, &sb, p.num_perm);
	CHECK(fabs(est - truth) < 0.12);
	free(a);
	free(b);
	kp_dedup_signer_free(s);
}

static void test_index(void)
{
	kp_dedup_params p = defaults();
	kp_dedup_signer *s = kp_dedup_signer_new(&p);
	kp_dedup_index *x = kp_dedup_index_new(&p, 0);
	kp_dedup_verdict v;
	char buf[4096];
	kp_dedup_sig sig = sign(s, ARTICLE);
	CHECK_INT(kp_dedup_index_add(x, 1, &sig, NULL, &v), 0);
	CHECK_INT(v.kind, KP_DEDUP_KEPT);
	/* an unrelated document is kept */
	sig = sign(s, "Harga cabai rawit di pasar tradisional Kota Kupang naik tajam menjelang hari raya "
		      "karena pasokan dari petani berkurang akibat hujan deras sepanjang pekan lalu.");
	CHECK_INT(kp_dedup_index_add(x, 2, &sig, NULL, &v), 0);
	CHECK_INT(v.kind, KP_DEDUP_KEPT);
	/* an exact copy under another dateline */
	snprintf(buf, sizeof buf, "KUPANG, POS-KUPANG.COM - %s", ARTICLE);
	sig = sign(s, buf);
	CHECK_INT(kp_dedup_index_add(x, 3, &sig, NULL, &v), 0);
	CHECK_INT(v.kind, KP_DEDUP_EXACT);
	CHECK_INT(v.dup_of, 1);
	CHECK(v.jaccard == 1.0);
	/* a copy with a footer: near, of document 1 */
	snprintf(buf, sizeof buf, "%s Baca berita lainnya.", ARTICLE);
	sig = sign(s, buf);
	CHECK_INT(kp_dedup_index_add(x, 4, &sig, NULL, &v), 0);
	CHECK_INT(v.kind, KP_DEDUP_NEAR);
	CHECK_INT(v.dup_of, 1);
	CHECK(v.jaccard >= 0.8 && v.jaccard < 1.0);
	/* with no band in use the near duplicate is not found */
	unsigned char none[KP_DEDUP_MAX_BANDS] = {0};
	CHECK_INT(kp_dedup_index_add(x, 5, &sig, none, &v), 0);
	CHECK_INT(v.kind, KP_DEDUP_KEPT);
	CHECK(kp_dedup_index_memory(x) > 0);
	kp_dedup_index_free(x);

	/* the memory bound: adding past it is refused */
	x = kp_dedup_index_new(&p, 1);
	sig = sign(s, ARTICLE);
	CHECK_INT(kp_dedup_index_add(x, 1, &sig, NULL, &v), 0);
	sig = sign(s, "Harga cabai rawit di pasar tradisional Kota Kupang naik tajam menjelang hari raya.");
	CHECK_INT(kp_dedup_index_add(x, 2, &sig, NULL, &v), KP_ETOOLONG);
	kp_dedup_index_free(x);
	CHECK(kp_dedup_bytes_per_doc(&p) > 200 && kp_dedup_bytes_per_doc(&p) < 600);
	kp_dedup_signer_free(s);
}

/* Many documents with random words: none is a duplicate of another, and
 * each one's exact copy is found. */
static void test_index_random(void)
{
	kp_dedup_params p = defaults();
	kp_dedup_signer *s = kp_dedup_signer_new(&p);
	kp_dedup_index *x = kp_dedup_index_new(&p, 0);
	uint64_t seed = 7;
	char buf[2048];
	int kept = 0, found = 0;
	for (int d = 0; d < 6000; d++) {
		size_t n = 0;
		uint64_t ds = seed + (uint64_t)(d % 3000);
		for (int w = 0; w < 40; w++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "k%u ", (unsigned)(test_rand(&ds) % 5000));
		kp_dedup_sig sig;
		kp_dedup_verdict v;
		if (kp_dedup_sign(s, buf, n, &sig) < 0 || kp_dedup_index_add(x, (uint64_t)d + 1, &sig, NULL, &v) < 0)
			abort();
		if (d < 3000)
			kept += v.kind == KP_DEDUP_KEPT;
		else
			found += v.kind == KP_DEDUP_EXACT && v.dup_of == (uint64_t)d - 3000 + 1;
	}
	CHECK_INT(kept, 3000);
	CHECK_INT(found, 3000);
	kp_dedup_index_free(x);
	kp_dedup_signer_free(s);
}

static void count_visit(void *ctx, uint64_t hash, uint64_t n)
{
	(void)hash;
	*(uint64_t *)ctx += n;
}

static void test_paras(void)
{
	kp_dedup_params p = defaults();
	kp_dedup_signer *s = kp_dedup_signer_new(&p);
	kp_dedup_paras *t = kp_dedup_paras_new();
	const char *d1 = "Baca juga: Berita lain\nIsi pertama.\nBaca juga: Berita lain\n\n";
	const char *d2 = "BACA JUGA - berita lain!\nIsi kedua.";
	CHECK_INT(kp_dedup_paras_count(t, s, d1, strlen(d1)), 0);
	CHECK_INT(kp_dedup_paras_count(t, s, d2, strlen(d2)), 0);
	/* the same paragraph twice in one document counts once; blank lines not at all */
	uint64_t h = kp_dedup_para_hash(s, "baca juga berita lain", 21);
	CHECK_INT(kp_dedup_paras_get(t, h), 2);
	CHECK_INT(kp_dedup_paras_get(t, kp_dedup_para_hash(s, "Isi pertama", 11)), 1);
	CHECK_INT(kp_dedup_para_hash(s, " .. ", 4), 0);
	CHECK_INT(kp_dedup_paras_size(t), 3);
	/* counts from another shard add up */
	CHECK_INT(kp_dedup_paras_add(t, h, 5), 0);
	CHECK_INT(kp_dedup_paras_get(t, h), 7);
	uint64_t total = 0;
	kp_dedup_paras_each(t, 3, count_visit, &total);
	CHECK_INT(total, 7);
	kp_dedup_paras_free(t);
	kp_dedup_signer_free(s);
}

/* ---- the staged format and the cluster step ---- */

struct lines {
	char *l[256];
	int n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sign texts[i] as document i + 1 of shard 3, its records split into lines. */
static void stage_sign(const kp_dedup_params *p, const char **texts, const char **times, int n, struct lines *out)
{
	kp_dedup_signer *sg = kp_dedup_signer_new(p);
	kp_dedup_sig *sig = malloc(sizeof *sig);
	CHECK(sg && sig);
	out->n = 0;
	for (int i = 0; i < n; i++) {
		CHECK_INT(kp_dedup_sign(sg, texts[i], strlen(texts[i]), sig), 0);
		char id[16];
		snprintf(id, sizeof id, "\"d%d\"", i + 1);
		size_t cap = kp_dedup_records_size(p, strlen(id), strlen(times[i]));
		char *buf = malloc(cap + 1);
		size_t w = kp_dedup_records_write(buf, p, 1, sig->exact, sig->near ? sig->mh : NULL, sig->band,
						  (uint64_t)3 << 40 | (uint64_t)(i + 1), strlen(texts[i]), id, strlen(id),
						  times[i], strlen(times[i]));
		CHECK(w <= cap);
		buf[w] = '\0';
		CHECK_INT(w > 0 && buf[w - 1] == '\n', 1);
		for (char *save = NULL, *t = strtok_r(buf, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
			CHECK(kp_dedup_record_key(t, strlen(t)) == 33 || kp_dedup_record_key(t, strlen(t)) == 19);
			if (out->n < 256)
				out->l[out->n++] = strdup(t);
		}
		free(buf);
	}
	free(sig);
	kp_dedup_signer_free(sg);
	qsort(out->l, (size_t)out->n, sizeof *out->l, cmp_str);
}

static int collect(void *ctx, const char *rec, size_t n)
{
	char *o = ctx;
	strncat(o, rec, n);
	return 0;
}

/* The removal list of the signed lines (shared keys only, as cluster reads them). */
static void stage_cluster(const kp_dedup_params *p, enum kp_dedup_keep keep, const struct lines *ls, char *out,
			  uint64_t *removed, uint64_t *exact)
{
	kp_dedup_cluster *k = kp_dedup_cluster_new(p, keep);
	CHECK(k != NULL);
	for (int i = 0; i < ls->n;) {
		int j = i + 1;
		long kl = kp_dedup_record_key(ls->l[i], strlen(ls->l[i]));
		while (j < ls->n && !strncmp(ls->l[i], ls->l[j], (size_t)kl + 1))
			j++;
		for (int q = i; j - i > 1 && q < j; q++)
			CHECK_INT(kp_dedup_cluster_add(k, ls->l[q], strlen(ls->l[q])), 0);
		i = j;
	}
	out[0] = '\0';
	CHECK_INT(kp_dedup_cluster_decide(k, collect, out, removed, exact), 0);
	kp_dedup_cluster_free(k);
}

static void test_stage(void)
{
	char buf[KP_DEDUP_ORDER_LEN + 1];
	uint64_t o;
	kp_dedup_order_format((uint64_t)12 << 40 | 345, buf);
	CHECK(!strcmp(buf, "000012:000000000345"));
	CHECK_INT(kp_dedup_order_parse(buf, strlen(buf), &o), 0);
	CHECK_INT(o, (uint64_t)12 << 40 | 345);
	CHECK_INT(kp_dedup_order_parse("000012-000000000345", 19, &o), KP_EFORMAT);
	CHECK_INT(kp_dedup_order_parse("000012:00000000034x", 19, &o), KP_EFORMAT);
	CHECK_INT(kp_dedup_order_parse("000012:0000000345", 17, &o), KP_EFORMAT);
	CHECK_INT(kp_dedup_record_key("e00\t1\t2\t3\t4\t5", strlen("e00\t1\t2\t3\t4\t5")), KP_EFORMAT);
	CHECK_INT(kp_dedup_record_key("b0011223344556677\t1\t2\t3\t4", strlen("b0011223344556677\t1\t2\t3\t4")), KP_EFORMAT);
	CHECK_INT(kp_dedup_record_key("", 0), KP_EFORMAT);

	kp_dedup_params p;
	kp_dedup_params_default(&p);
	CHECK_INT(kp_dedup_params_finish(&p), 0);
	const char *base = "Pemerintah provinsi mengumumkan rencana pembangunan jalan baru di kawasan utara kota "
			   "yang akan dimulai pada bulan depan dan selesai dalam dua tahun menurut kepala dinas "
			   "pekerjaan umum yang berbicara kepada wartawan di kantornya pada hari Senin pagi.";
	char near[600];
	snprintf(near, sizeof near, "%s", base);
	memcpy(strstr(near, "Senin"), "Rabu ", 5); /* one word changed */
	const char *texts[] = {base, base, near, "Sebuah teks lain sama sekali tentang pertandingan sepak bola."};
	const char *times[] = {"\"2024-01-01\"", "\"2024-03-01\"", "null", "\"2024-02-01\""};
	struct lines ls;
	stage_sign(&p, texts, times, 4, &ls);
	char out[4096];
	uint64_t removed, exact;
	stage_cluster(&p, KP_DEDUP_KEEP_FIRST, &ls, out, &removed, &exact);
	CHECK_INT(removed, 2);
	CHECK_INT(exact, 1);
	CHECK(strstr(out, "{\"order\":\"000003:000000000002\",\"id\":\"d2\",\"dup_of\":\"d1\",\"kind\":\"exact\",\"jaccard\":1}\n") == out);
	CHECK(strstr(out, "\"id\":\"d3\",\"dup_of\":\"d1\",\"kind\":\"near\"") != NULL);
	/* newest: d2 (March) stays, d1 and d3 go */
	stage_cluster(&p, KP_DEDUP_KEEP_NEWEST, &ls, out, &removed, &exact);
	CHECK_INT(removed, 2);
	CHECK(strstr(out, "\"id\":\"d1\",\"dup_of\":\"d2\",\"kind\":\"exact\"") != NULL);

	/* malformed records: the reason, not a crash */
	kp_dedup_cluster *k = kp_dedup_cluster_new(&p, KP_DEDUP_KEEP_FIRST);
	char bad[1024];
	snprintf(bad, sizeof bad, "%s", ls.l[0]);
	*strrchr(bad, '\t') = '\0'; /* five fields */
	CHECK_INT(kp_dedup_cluster_add(k, bad, strlen(bad)), KP_EFORMAT);
	CHECK(strstr(kp_dedup_cluster_errmsg(k), "not a key record") != NULL);
	snprintf(bad, sizeof bad, "%s", ls.l[0]);
	char *tab = strrchr(bad, '\t');
	memcpy(tab + 1, "{id}", 5); /* an id that is not JSON */
	CHECK_INT(kp_dedup_cluster_add(k, bad, strlen(bad)), KP_EFORMAT);
	CHECK(strstr(kp_dedup_cluster_errmsg(k), "the id is not") != NULL);
	kp_dedup_cluster_free(k);
	kp_dedup_params q = p;
	q.num_perm = 64;
	q.bands = q.rows = 0;
	CHECK_INT(kp_dedup_params_finish(&q), 0);
	k = kp_dedup_cluster_new(&q, KP_DEDUP_KEEP_FIRST);
	int found = 0;
	for (int i = 0; i < ls.n; i++)
		if (ls.l[i][0] == 'e' && !strstr(ls.l[i], "\t-\t")) {
			CHECK_INT(kp_dedup_cluster_add(k, ls.l[i], strlen(ls.l[i])), KP_EFORMAT);
			CHECK(strstr(kp_dedup_cluster_errmsg(k), "--num-perm 64") != NULL);
			found = 1;
			break;
		}
	CHECK(found);
	kp_dedup_cluster_free(k);
	for (int i = 0; i < ls.n; i++)
		free(ls.l[i]);
}

int main(void)
{
	test_stage();
	test_params();
	test_key();
	test_estimate();
	test_index();
	test_index_random();
	test_paras();
	TEST_MAIN_END();
}
