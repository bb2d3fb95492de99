/* Unit tests of the training-set filters: personal data found and kinds
 * told apart, the things that look like it and are not (dates, amounts,
 * ids, verses, versions), and the quality signals and rules on small
 * documents whose values are known. */
#include <math.h>

#include "korpus/langid.h"
#include "korpus/pii.h"
#include "korpus/quality.h"
#include "test.h"

/* The text with each span replaced by its placeholder. */
static char *redact(const char *t)
{
	kp_pii_span sp[32];
	size_t k = kp_pii_find(t, strlen(t), sp, 32), at = 0, o = 0;
	char *out = malloc(strlen(t) + 32 * 8 + 1);
	CHECK(k <= 32);
	for (size_t i = 0; i < k && i < 32; i++) {
		memcpy(out + o, t + at, sp[i].start - at);
		o += sp[i].start - at;
		const char *ph = kp_pii_placeholder(sp[i].kind);
		memcpy(out + o, ph, strlen(ph));
		o += strlen(ph);
		at = sp[i].end;
	}
	strcpy(out + o, t + at);
	return out;
}

#define CHECK_REDACT(in, want)                  \
	do {                                    \
		char *r_ = redact(in);          \
		CHECK_MEM(r_, strlen(r_), want); \
		free(r_);                       \
	} while (0)

static void test_pii(void)
{
	/* every kind, in the forms people write */
	CHECK_REDACT("Hubungi 0812-3456-7890 atau +62 812 3456 7890.", "Hubungi <PHONE> atau <PHONE>.");
	CHECK_REDACT("Telp (021) 5551234, 021-5551234, 0274 512345, 081234567890",
		     "Telp <PHONE>, <PHONE>, <PHONE>, <PHONE>");
	CHECK_REDACT("WA: +6281234567890.", "WA: <PHONE>.");
	CHECK_REDACT("kirim ke budi.santoso@mail.ugm.ac.id, ya", "kirim ke <EMAIL>, ya");
	CHECK_REDACT("NIK 3174051507890001 dan NIK 3174055507890001", "NIK <NIK> dan NIK <NIK>");
	CHECK_REDACT("NPWP 01.234.567.8-901.000 atau NPWP: 012345678901000", "NPWP <NPWP> atau NPWP: <NPWP>");
	CHECK_REDACT("kartu 4111 1111 1111 1111 dan 4111-1111-1111-1111, Amex 3782 822463 10005",
		     "kartu <CARD> dan <CARD>, Amex <CARD>");
	CHECK_REDACT("server 192.168.1.10 diretas", "server <IP> diretas");
	CHECK_REDACT("dari 2001:0db8:85a3:0000:0000:8a2e:0370:7334, fe80::1ff:fe23:4567:890a dan 2001:DB8::1.",
		     "dari <IP>, <IP> dan <IP>.");
	CHECK_REDACT("klien ::ffff:192.0.2.128 masuk", "klien <IP> masuk");
	CHECK_REDACT("NIP. 19650312 199003 1 002 dan NIP 198707222010122001.", "NIP. <NIP> dan NIP <NIP>.");
	/* a 16-digit number both a NIK and a card: what the text calls it */
	CHECK_REDACT("nomor kartu kredit 5241434905873930", "nomor kartu kredit <CARD>");
	/* not personal data */
	static const char *const clean[] = {
		"Harga emas Rp 1.250.000 per gram pada 12-05-2019, tahun 2019-2020.",
		"QS 2:255, pukul 08.00-10.00 WIB, skor 3-1, tanggal 01.02.2019 dan 2019-09-10.",
		"Dokumen clickid-00001, ID 1234567890123456789, kode pos 12345.",
		"Jumlah penduduk 270.203.917 jiwa; 1.2.3.4 versi; WhatsApp 2.19.260.16 versi beta.",
		"NIK 3174059907890001 (tanggal 99 tidak ada); kartu 4111 1111 1111 1112 (Luhn salah).",
		"alamat@ saja, @budi, budi@localhost, 0812",
		"pukul 12:30:45 WIB, MAC 00:1A:2B:3C:4D:5E, std::vector, a::b, ffff::, 1:2:3:4:5:6:7:8.",
		"2001:db8:1:2:3:4:5:6::7 (too many groups), 2001:db8::1::2 (two gaps), 12345::1",
		"NIP 19650312 199003 1 000 (urut 000), 20250312 204503 1 002 (lahir 2025)",
		"NIP 19650312 197003 1 002 (diangkat umur 5), 19651312 199003 1 002 (bulan 13)",
		"NIP 19650312 199003 3 002, 19650312-199003-1-002",
	};
	for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		kp_pii_span sp[4];
		size_t k = kp_pii_find(clean[i], strlen(clean[i]), sp, 4);
		if (k)
			fprintf(stderr, "found %s in: %.*s\n", kp_pii_kind_name(sp[0].kind), (int)(sp[0].end - sp[0].start),
				clean[i] + sp[0].start);
		CHECK_INT(k, 0);
	}
	/* more spans than room: the count, then all of them */
	const char *many = "a@b.co c@d.co e@f.co";
	kp_pii_span sp[3];
	CHECK_INT(kp_pii_find(many, strlen(many), sp, 1), 3);
	CHECK_INT(kp_pii_find(many, strlen(many), sp, 3), 3);
	CHECK_INT(sp[2].start, 14);
	CHECK_INT(sp[2].end, 20);
}

static void test_quality(void)
{
	kp_quality_rules *r = kp_quality_rules_new();
	kp_quality *q = r ? kp_quality_new(r) : NULL;
	CHECK(q != NULL);
	if (!q)
		return;
	double s[KP_Q_NSIGNALS];
	const char *doc = "Presiden meresmikan bendungan baru di Jawa Tengah.\n"
			  "Bendungan itu mengairi lima ribu hektare sawah.\n"
			  "Presiden meresmikan bendungan baru di Jawa Tengah.\n";
	CHECK_INT(kp_quality_measure(q, doc, strlen(doc), s), 0);
	CHECK_INT(s[KP_Q_WORDS], 21);
	CHECK_INT(s[KP_Q_LINES], 3);
	CHECK(fabs(s[KP_Q_DUP_LINES] - 1.0 / 3) < 1e-9);
	CHECK(s[KP_Q_LINES_END_PUNCT] == 1);
	CHECK(s[KP_Q_DUP_5GRAM] > 0.6 && s[KP_Q_DUP_10GRAM] == 0); /* 7 words repeated: no 10-gram */
	CHECK_INT(s[KP_Q_STOPWORDS], 8); /* baru, di, tengah (twice each), itu, lima */
	CHECK(s[KP_Q_TOP_2GRAM] > 0);
	/* the first rule it fails: repeated lines (a third, over 0.3) */
	const char *name;
	int sig, bound;
	double th;
	int f = kp_quality_check(r, s);
	CHECK(f >= 0 && kp_quality_rule(r, f, &name, &sig, &bound, &th));
	if (f >= 0)
		CHECK(!strcmp(name, "gopher-dup-lines"));
	/* a rule replaced, one switched off, a bad line */
	const char *more = "gopher-dup-lines off\ngopher-min-words words min 30  # stricter\n";
	CHECK_INT(kp_quality_rules_add(r, more, strlen(more), "more"), 0);
	f = kp_quality_check(r, s);
	CHECK(f >= 0 && kp_quality_rule(r, f, &name, &sig, &bound, &th) && !strcmp(name, "gopher-min-words") && th == 30);
	CHECK_INT(kp_quality_rules_add(r, "x wrods min 3", 13, "bad"), KP_EFORMAT);
	CHECK(strstr(kp_quality_rules_errmsg(r), "bad:1: unknown signal 'wrods'") != NULL);
	/* fewer than three lines: the shares of lines are neutral */
	const char *one = "- satu baris saja tanpa titik";
	CHECK_INT(kp_quality_measure(q, one, strlen(one), s), 0);
	CHECK(s[KP_Q_BULLET_LINES] == 0 && s[KP_Q_LINES_END_PUNCT] == 1);
	/* lists, ellipses, braces, lorem ipsum, upper case */
	const char *page = "- satu\n- dua\n- tiga...\nLOREM IPSUM dolor {x}\n";
	CHECK_INT(kp_quality_measure(q, page, strlen(page), s), 0);
	CHECK(fabs(s[KP_Q_BULLET_LINES] - 0.75) < 1e-9 && fabs(s[KP_Q_ELLIPSIS_LINES] - 0.25) < 1e-9);
	CHECK_INT(s[KP_Q_CURLY_BRACES], 2);
	CHECK_INT(s[KP_Q_LOREM_IPSUM], 1);
	CHECK(s[KP_Q_UPPER_WORDS] > 0.2);
	CHECK_INT(kp_quality_measure(q, "", 0, s), 0);
	CHECK_INT(s[KP_Q_WORDS], 0);
	kp_quality_free(q);
	kp_quality_rules_free(r);
}

/* The signals of one measurer over texts of very different lengths are
 * those of a fresh measurer for each: its count table, kept from one
 * document to the next and emptied by a new stamp, carries nothing over. */
static void test_quality_reuse(void)
{
	kp_quality_rules *r = kp_quality_rules_new();
	kp_quality *q = r ? kp_quality_new(r) : NULL;
	CHECK(q != NULL);
	if (!q)
		return;
	/* a long page of a few sentences over and over (its table past the
	 * caches' size), then a short one, then the long one again */
	static const char *const said[] = {"Menurut dia, harga beras naik lagi. ", "Warga antre di pasar sejak pagi.\n",
					   "DAN itu bukan yang pertama kali. ", "Pemerintah akan menambah pasokan.\n"};
	size_t cap = 1 << 21, n = 0;
	char *big = malloc(cap);
	CHECK(big != NULL);
	if (!big)
		return;
	for (unsigned x = 1; n + 64 < cap; x = x * 1103515245u + 12345u) {
		const char *t = said[(x >> 16) % 4];
		memcpy(big + n, t, strlen(t));
		n += strlen(t);
	}
	const char *small = "Bendungan baru di Jawa Tengah diresmikan.\nBendungan baru di Jawa Tengah diresmikan.\n";
	double a[KP_Q_NSIGNALS], b[KP_Q_NSIGNALS], c[KP_Q_NSIGNALS], fresh[KP_Q_NSIGNALS];
	CHECK_INT(kp_quality_measure(q, big, n, a), 0);
	CHECK_INT(kp_quality_measure(q, small, strlen(small), b), 0);
	CHECK_INT(kp_quality_measure(q, big, n, c), 0);
	CHECK(!memcmp(a, c, sizeof a));
	CHECK(a[KP_Q_WORDS] > 200000 && a[KP_Q_DUP_10GRAM] == 1 && a[KP_Q_DUP_LINES] > 0.98);
	kp_quality *q2 = kp_quality_new(r);
	CHECK(q2 != NULL);
	if (q2) {
		CHECK_INT(kp_quality_measure(q2, small, strlen(small), fresh), 0);
		CHECK(!memcmp(b, fresh, sizeof b));
		kp_quality_free(q2);
	}
	CHECK_INT(b[KP_Q_WORDS], 12);
	CHECK(b[KP_Q_DUP_LINES] == 0.5 && b[KP_Q_DUP_5GRAM] == 1);
	/* stopwords in any case; the longest of the list (16 bytes) and one
	 * byte more; a word past 64 bytes is none */
	const char *stop = "DAN Dan dan mengibaratkannya mengibaratkannyaa sebagai "
			   "dandandandandandandandandandandandandandandandandandandandandandandandandan";
	CHECK_INT(kp_quality_measure(q, stop, strlen(stop), b), 0);
	CHECK_INT(b[KP_Q_WORDS], 7);
	CHECK_INT(b[KP_Q_STOPWORDS], 5);
	free(big);
	kp_quality_free(q);
	kp_quality_rules_free(r);
}

static const char *detect(const kp_langid_model *m, const char *t, double *score)
{
	return kp_langid_lang(m, kp_langid_detect(m, t, strlen(t), score));
}

struct lines {
	const kp_langid_model *m;
	const char *text;
	size_t n, next;
	int bad;
};

/* The one line of a text of one line, as kp_langid_detect_lines judges it. */
static void only_line(void *ctx, size_t start, size_t end, int lang, double score)
{
	double *out = ctx;
	(void)start;
	(void)end;
	out[0] = lang;
	out[1] = score;
}

/* A line of kp_langid_detect_lines: the next one, judged as it is alone,
 * and as kp_langid_detect judges it but when that calls it a language the
 * model does not know. */
static void each_line(void *ctx, size_t start, size_t end, int lang, double score)
{
	struct lines *l = ctx;
	double alone[2], whole, sc;
	kp_langid_detect_lines(l->m, l->text + start, end - start, &whole, only_line, alone);
	int detect = kp_langid_detect(l->m, l->text + start, end - start, &sc);
	l->bad |= start != l->next || lang != (int)alone[0] || score != alone[1] ||
		  (detect != kp_langid_find(l->m, "oth", 3) && lang != detect) || (l->text[end] && l->text[end] != '\n');
	l->next = end + 1;
	l->n++;
}

static void test_langid(void)
{
	kp_langid_model *m = kp_langid_builtin();
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(kp_langid_nlangs(m), 14);
	double sc;
	CHECK(!strcmp(detect(m, "Presiden meresmikan bendungan baru di Jawa Tengah pada hari Senin.", &sc), "ind"));
	CHECK(sc > 0.9 && sc <= 1);
	CHECK(!strcmp(detect(m, "Kerajaan akan membina lebih banyak rumah mampu milik kerana permintaan tinggi.", NULL), "zsm"));
	CHECK(!strcmp(detect(m, "The president opened a new dam in Central Java on Monday.", NULL), "eng"));
	CHECK(!strcmp(detect(m, "\xd8\xa8\xd8\xb3\xd9\x85 \xd8\xa7\xd9\x84\xd9\x84\xd9\x87", &sc), "oth")); /* Arabic */
	CHECK(sc == 1);
	CHECK_INT(kp_langid_detect(m, "123 456 !!!", 11, &sc), -1); /* no letters */
	/* a language the model has no class for: oth (Swahili was oth at 0.47,
	 * Hausa Toba Batak, before the unknown class) */
	CHECK(!strcmp(detect(m, "Watoto wote wanapenda kucheza mpira kila jioni baada ya shule.", &sc), "oth"));
	CHECK(sc > 0.9);
	CHECK(!strcmp(detect(m, "Yara suna wasa a filin kowace yamma bayan makaranta.", &sc), "oth"));
	CHECK(!strcmp(detect(m, "Yara suna wasa a filin kowace yamma bayan makaranta.", NULL), "oth"));
	/* but a line is judged among the languages the model knows */
	{
		static const char hausa[] = "Yara suna wasa a filin kowace yamma bayan makaranta.";
		double line[2];
		CHECK_INT(kp_langid_detect_lines(m, hausa, sizeof hausa - 1, &sc, only_line, line),
			  kp_langid_find(m, "oth", 3));
		CHECK(line[0] >= 0 && line[0] != kp_langid_find(m, "oth", 3));
	}
	CHECK_INT(kp_langid_find(m, "zsm", 3) >= 0, 1);
	CHECK_INT(kp_langid_find(m, "xyz", 3), -1);
	/* the lines of a text in one pass: each as alone, the whole as whole */
	static const char *const texts[] = {
		"Presiden meresmikan bendungan baru.\nThe president opened a new dam.\n\n123\n\xd8\xa8\xd8\xb3\xd9\x85",
		"", "\n", "satu baris tanpa akhir", "a\nb\n"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct lines got = {.m = m, .text = texts[i]};
		double whole, lines_sc;
		size_t n = strlen(texts[i]);
		int want = kp_langid_detect(m, texts[i], n, &whole);
		CHECK_INT(kp_langid_detect_lines(m, texts[i], n, &lines_sc, each_line, &got), want);
		CHECK(lines_sc == whole);
		CHECK_INT(got.bad, 0);
		size_t breaks = 0;
		for (size_t k = 0; k < n; k++)
			breaks += texts[i][k] == '\n';
		CHECK_INT(got.n, breaks + (n == 0 || texts[i][n - 1] != '\n'));
	}
	kp_langid_free(m);
	/* a model trained, written, loaded: it tells its two languages apart */
	kp_langid_trainer *t = kp_langid_trainer_new(12);
	CHECK(t != NULL);
	static const char *const ind[] = {"saya pergi ke pasar", "dia membeli sayur dan buah", "kami makan nasi"};
	static const char *const eng[] = {"i went to the market", "she bought vegetables and fruit", "we eat rice"};
	for (int i = 0; i < 3; i++) {
		CHECK_INT(kp_langid_trainer_add(t, "ind", ind[i], strlen(ind[i])), 0);
		CHECK_INT(kp_langid_trainer_add(t, "eng", eng[i], strlen(eng[i])), 0);
	}
	CHECK_INT(kp_langid_trainer_add(t, "IND", "x", 1), KP_EINVAL);
	char *bytes, err[160];
	size_t n;
	CHECK_INT(kp_langid_trainer_write(t, &bytes, &n), 0);
	kp_langid_model *mm = kp_langid_load(bytes, n, err, sizeof err);
	CHECK(mm != NULL);
	if (mm) {
		CHECK(!strcmp(detect(mm, "kami pergi ke pasar", NULL), "ind"));
		CHECK(!strcmp(detect(mm, "we went to the market", NULL), "eng"));
		/* a model without oth has no class for the unknown either */
		CHECK(kp_langid_detect(mm, "watoto wote wanapenda kucheza", 29, NULL) >= 0);
		kp_langid_free(mm);
	}
	CHECK(kp_langid_load(bytes, n - 1, err, sizeof err) == NULL && strstr(err, "bytes of table"));
	CHECK(kp_langid_load("hello", 5, err, sizeof err) == NULL && strstr(err, "not a korpus language model"));
	/* a model of the format before (other features): refused, not read with the wrong ones */
	bytes[14] = '2';
	CHECK(kp_langid_load(bytes, n, err, sizeof err) == NULL && strstr(err, "train it again"));
	free(bytes);
	kp_langid_trainer_free(t);
}

int main(void)
{
	test_pii();
	test_quality();
	test_quality_reuse();
	test_langid();
	TEST_MAIN_END();
}
