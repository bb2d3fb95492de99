/* Unit tests of the sentence splitter: the cases ICU and Punkt get wrong on
 * Indonesian, numbers, domains, quotes, paragraphs, the abbreviation file
 * format, the learner, and linear time on pathological input. */
#include "korpus/split.h"
#include "test.h"

static kp_split_model *model;
static kp_split *sp;

/* The sentences of text joined by " | " (paragraph starts by " || "). */
static const char *split_str(const char *text)
{
	static char out[4096];
	long n = kp_split_run(sp, text, strlen(text));
	size_t o = 0;
	out[0] = '\0';
	for (long i = 0; i < n; i++) {
		size_t off, len;
		int para;
		kp_split_sentence(sp, (size_t)i, &off, &len, &para);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s", i ? (para ? " || " : " | ") : "", (int)len,
				      text + off);
	}
	return out;
}

#define SPLIT(text, want)                                                                              \
	do {                                                                                           \
		const char *got_ = split_str(text);                                                    \
		if (strcmp(got_, want) != 0) {                                                         \
			fprintf(stderr, "%s:%d: split(\"%s\")\n  got  \"%s\"\n  want \"%s\"\n", __FILE__, \
				__LINE__, text, got_, want);                                           \
			test_failures++;                                                               \
		}                                                                                      \
	} while (0)

static void test_titles_initials(void)
{
	SPLIT("Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung. Ia disambut K.A Halim.",
	      "Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung. | Ia disambut K.A Halim.");
	SPLIT("Tn. Osborne dan Ny. Clinton bertemu Dr. Budi dan dr. Sari.",
	      "Tn. Osborne dan Ny. Clinton bertemu Dr. Budi dan dr. Sari.");
	SPLIT("Ia bekerja di Sampoerna Packaging Asia Pte. Ltd. sejak 2007.",
	      "Ia bekerja di Sampoerna Packaging Asia Pte. Ltd. sejak 2007.");
	SPLIT("Lagu itu dibawakan R. Ahmad Basah dan Adnan Z. Amin. Mereka tampil.",
	      "Lagu itu dibawakan R. Ahmad Basah dan Adnan Z. Amin. | Mereka tampil.");
	SPLIT("Guru itu, Budi Santoso, S.H. M.H. datang. Ia mengajar.",
	      "Guru itu, Budi Santoso, S.H. M.H. datang. | Ia mengajar.");
	SPLIT("Prof. Ir. H. Joko, M.Si. Kemudian ia pulang.", "Prof. Ir. H. Joko, M.Si. | Kemudian ia pulang.");
	SPLIT("Vitamin yang dibutuhkan adalah vitamin C. Ia juga perlu air.",
	      "Vitamin yang dibutuhkan adalah vitamin C. | Ia juga perlu air.");
	SPLIT("Kantornya di JL. Sudirman No. 5 Jakarta.", "Kantornya di JL. Sudirman No. 5 Jakarta.");
}

static void test_abbreviations(void)
{
	SPLIT("Ia membeli beras, gula, dll. di pasar.", "Ia membeli beras, gula, dll. di pasar.");
	SPLIT("Ia membeli beras, gula, dll. Kemudian ia pulang.",
	      "Ia membeli beras, gula, dll. | Kemudian ia pulang.");
	SPLIT("Surat a.n. Budi dikirim ke Kab. Belu, Kec. Atambua, Prov. NTT.",
	      "Surat a.n. Budi dikirim ke Kab. Belu, Kec. Atambua, Prov. NTT.");
	SPLIT("PT Bank Negara Indonesia Persero Tbk. (BBNI) menambah modal.",
	      "PT Bank Negara Indonesia Persero Tbk. (BBNI) menambah modal.");
	SPLIT("Harganya Rp. 5.000 pada 26 Jan. 2022 di hlm. 4.", "Harganya Rp. 5.000 pada 26 Jan. 2022 di hlm. 4.");
}

static void test_numbers_domains(void)
{
	SPLIT("Harga naik menjadi Rp1.250.000 atau 2,5 persen pukul 10.00 WIB pada 26/1/2022 di versi 1.2.3.",
	      "Harga naik menjadi Rp1.250.000 atau 2,5 persen pukul 10.00 WIB pada 26/1/2022 di versi 1.2.3.");
	SPLIT("POS-KUPANG.COM, ATAMBUA - Baca di Kompas.com atau www.detik.com/berita. Kirim ke a.b@kompas.com.",
	      "POS-KUPANG.COM, ATAMBUA - Baca di Kompas.com atau www.detik.com/berita. | Kirim ke a.b@kompas.com.");
	SPLIT("Jumlahnya naik pada tahun 2020. Tahun berikutnya turun.",
	      "Jumlahnya naik pada tahun 2020. | Tahun berikutnya turun.");
	SPLIT("1. Pendahuluan\n2. Metode", "1. Pendahuluan | 2. Metode");
}

static void test_quotes_marks(void)
{
	SPLIT("\"Untuk mencegah hal ini dibutuhkan kerja sama lintas sektor. Kegiatan ini harus dilaksanakan "
	      "bersama\", ujarnya. Ia pergi.",
	      "\"Untuk mencegah hal ini dibutuhkan kerja sama lintas sektor. | Kegiatan ini harus dilaksanakan "
	      "bersama\", ujarnya. | Ia pergi.");
	SPLIT("Ia berkata, \"Kami siap.\" Mereka bertepuk tangan.",
	      "Ia berkata, \"Kami siap.\" | Mereka bertepuk tangan.");
	SPLIT("Ia berkata, \xE2\x80\x9CKami siap.\xE2\x80\x9D Mereka (yang hadir.) pulang.",
	      "Ia berkata, \xE2\x80\x9CKami siap.\xE2\x80\x9D | Mereka (yang hadir.) pulang.");
	SPLIT("Benarkah?! Ya... Mungkin saja\xE2\x80\xA6 Tidak tahu! \"Apa kabar?\" tanya dia.",
	      "Benarkah?! | Ya... | Mungkin saja\xE2\x80\xA6 | Tidak tahu! | \"Apa kabar?\" tanya dia.");
}

static void test_paragraphs(void)
{
	SPLIT("Judul Tanpa Titik\nBaris kedua. Kalimat ketiga.\n\n  Paragraf baru.\r\n\r\nLagi",
	      "Judul Tanpa Titik | Baris kedua. | Kalimat ketiga. || Paragraf baru. || Lagi");
	SPLIT("", "");
	SPLIT("  \n\n ", "");
	SPLIT("...", "...");
}

/* The characters of the text are kept: sentences joined by single blanks
 * give the text back when it had single blanks between them. */
static void test_spans(void)
{
	const char *t = "A b. C d! E f? G\nH.";
	long n = kp_split_run(sp, t, strlen(t));
	CHECK_INT(n, 5);
	size_t off, len;
	int para;
	kp_split_sentence(sp, 4, &off, &len, &para);
	CHECK_INT(off, 17);
	CHECK_INT(len, 2);
}

static void test_model_files(void)
{
	kp_split_model *m = kp_split_model_new();
	const char *good = "# mine\nKapt.\ttitle\nDir.\nSdri.\tany\n";
	CHECK_INT(kp_split_model_add(m, good, strlen(good), "mine.txt"), 0);
	const char *bad[] = {"Kapt\ttitle\n", "Kapt.\tbogus\n", "Ka pt.\tany\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(kp_split_model_add(m, bad[i], strlen(bad[i]), "bad.txt"), KP_EFORMAT);
		CHECK(strncmp(kp_split_model_errmsg(m), "bad.txt:1:", 10) == 0);
	}
	kp_split *s = kp_split_new(m);
	const char *t = "Ia bertemu Kapt. Budi.";
	CHECK_INT(kp_split_run(s, t, strlen(t)), 1);
	kp_split_free(s);
	kp_split_model_free(m);
}

/* The learner finds an abbreviation the built-in list lacks from how it is
 * used, and the model it writes loads and is used. */
static void test_learner(void)
{
	kp_split_learner *l = kp_split_learner_new(model);
	char text[256];
	for (int i = 0; i < 40; i++) {
		snprintf(text, sizeof text,
			 "Rapat dipimpin Komr. Budi di ruang %d. Ia datang bersama Komr. Sari dan stafnya. "
			 "Surat itu disusun oleh tim penyusun dsj. lalu dikirim.\n",
			 i);
		CHECK_INT(kp_split_learner_add(l, text, strlen(text)), 0);
	}
	const char *out;
	size_t len;
	CHECK_INT(kp_split_learner_model(l, &out, &len), 0);
	CHECK(strstr(out, "\nKomr.\ttitle\n") != NULL);
	CHECK(strstr(out, "\ndsj.\tany\n") != NULL);
	CHECK(strstr(out, "\nstafnya.\t") == NULL);
	kp_split_model *m = kp_split_model_new();
	CHECK_INT(kp_split_model_add(m, out, len, "learned"), 0);
	kp_split *s = kp_split_new(m);
	const char *t = "Ia bertemu Komr. Budi.";
	CHECK_INT(kp_split_run(s, t, strlen(t)), 1);
	kp_split_free(s);
	kp_split_model_free(m);
	kp_split_learner_free(l);
}

/* Runs of dots, digits, initials and abbreviations: every decision looks
 * at two tokens, so these take linear time (a quadratic scan of 4 MiB
 * would not finish within the test run). */
static void test_pathological(void)
{
	size_t n = 4u << 20;
	char *t = malloc(n + 1);
	const char *pieces[] = {".", "1.", "a. ", "Dr. ", "K.", "\" ", "...", "! ", "\xE2\x80\xA6"};
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		size_t pl = strlen(pieces[k]);
		for (size_t i = 0; i + pl <= n; i += pl)
			memcpy(t + i, pieces[k], pl);
		t[n - n % pl] = '\0';
		CHECK(kp_split_run(sp, t, strlen(t)) >= 0);
	}
	free(t);
}

int main(void)
{
	model = kp_split_model_new();
	sp = kp_split_new(model);
	CHECK(model && sp);
	test_titles_initials();
	test_abbreviations();
	test_numbers_domains();
	test_quotes_marks();
	test_paragraphs();
	test_spans();
	test_model_files();
	test_learner();
	test_pathological();
	kp_split_free(sp);
	kp_split_model_free(model);
	TEST_MAIN_END();
}
