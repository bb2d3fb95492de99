/* Unit tests of the tokenizer: words with inner joiners, numbers,
 * abbreviations, addresses, punctuation, clitics, case, stems, and the
 * line structure. */
#include "korpus/tok.h"
#include "test.h"

static const char *tok_str(unsigned flags, const char *text)
{
	static char out[4096];
	kp_tok_config *c = kp_tok_config_new(flags);
	kp_tok *t = kp_tok_new(c);
	size_t n;
	if (!c || !t || kp_tok_run(t, text, strlen(text)) < 0) {
		snprintf(out, sizeof out, "(failed)");
	} else {
		const char *s = kp_tok_text(t, &n);
		snprintf(out, sizeof out, "%.*s", (int)n, s);
	}
	kp_tok_free(t);
	kp_tok_config_free(c);
	return out;
}

#define TOK(flags, text, want)                                                                         \
	do {                                                                                           \
		const char *got_ = tok_str(flags, text);                                               \
		if (strcmp(got_, want) != 0) {                                                         \
			fprintf(stderr, "%s:%d: tok(\"%s\")\n  got  \"%s\"\n  want \"%s\"\n", __FILE__, \
				__LINE__, text, got_, want);                                           \
			test_failures++;                                                               \
		}                                                                                      \
	} while (0)

static void test_words(void)
{
	TOK(0, "Anak-anak membeli program-program bolak-balik non-migas APBN-P Covid-19.",
	    "Anak-anak membeli program-program bolak-balik non-migas APBN-P Covid-19 .");
	TOK(0, "Harga Rp1.250.000 naik 2,5 persen pukul 10:30 pada 26/1/2022.",
	    "Harga Rp 1.250.000 naik 2,5 persen pukul 10:30 pada 26/1/2022 .");
	TOK(0, "Periode Januari-September, 5-10 persen, Bapepam-LK, MPR/DPR, 9.100/9.105, II/2007, C/O.",
	    "Periode Januari - September , 5 - 10 persen , Bapepam - LK , MPR / DPR , 9.100 / 9.105 , II/2007 , C/O .");
	TOK(0, "Jum'at Bappenas's Ka'ban", "Jum'at Bappenas 's Ka'ban");
	TOK(0, "Drs. Aloysius, Tbk. dan D.W. Martowardojo serta R. Ahmad dll. pergi.",
	    "Drs. Aloysius , Tbk. dan D.W. Martowardojo serta R. Ahmad dll. pergi .");
}

static void test_addresses_punct(void)
{
	TOK(0, "Buka https://www.detik.com/berita?id=5, www.kompas.com. Kirim ke redaksi@kompas.com!",
	    "Buka https://www.detik.com/berita?id=5 , www.kompas.com . Kirim ke redaksi@kompas.com !");
	TOK(0, "#PemiluDamai @jokowi (kata dia)... \"Ya?!\" \xE2\x80\x9CTidak\xE2\x80\x9D",
	    "#PemiluDamai @jokowi ( kata dia ) ... \" Ya ? ! \" \xE2\x80\x9C Tidak \xE2\x80\x9D");
	TOK(KP_TOK_NO_PUNCT, "Ya, (kata dia)... pergi!", "Ya kata dia pergi");
	TOK(0, "Rp\xC2\xA0" "5.000 caf\xC3\xA9 na\xC3\xAFve", "Rp 5.000 caf\xC3\xA9 na\xC3\xAFve");
	TOK(0, "Ia membaca \xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD", "Ia membaca \xE6\x9D\xB1\xE4\xBA\xAC \xE9\x83\xBD");
}

static void test_clitics(void)
{
	TOK(KP_TOK_CLITICS, "Bukunya apakah meskipun Itulah kubaca kaulihat dirinyalah anak-anaknya",
	    "Buku -nya apa -kah meski -pun Itu -lah ku- baca kau- lihat diri -nya -lah anak-anak -nya");
	TOK(KP_TOK_CLITICS, "tanya punya hanya sekolah masalah adalah telah langkah maupun kuasa kuat Abdullah",
	    "tanya punya hanya sekolah masalah adalah telah langkah maupun kuasa kuat Abdullah");
	TOK(KP_TOK_CLITICS, "jumlahnya langkah-langkah sebelumnya pemerintah Kurnia",
	    "jumlah -nya langkah-langkah sebelumnya pemerintah Kurnia");
}

static void test_case_stem(void)
{
	TOK(KP_TOK_LOWER, "Ia Membeli \xC3\x87" "AY di JAKARTA", "ia membeli \xC3\xA7" "ay di jakarta");
	TOK(KP_TOK_STEM, "Pembangunan jalan-jalan diresmikan anak-anak bolak-balik sekolah",
	    "bangun jalan resmi anak bolak-balik sekolah");
	TOK(0, "Anak-Anak Jalan-Jalan Jagorawi-Cinere", "Anak-Anak Jalan-Jalan Jagorawi - Cinere");
	TOK(KP_TOK_STEM | KP_TOK_CLITICS, "Bukunya", "buku -nya");
}

static void test_lines(void)
{
	TOK(0, "Satu dua.\nTiga.\n\n  Empat  \n", "Satu dua .\nTiga .\n\nEmpat\n");
	TOK(0, "", "");
}

/* One tokenizer, many texts: results do not leak from one run to the next. */
static void test_reuse(void)
{
	kp_tok_config *c = kp_tok_config_new(KP_TOK_STEM);
	kp_tok *t = kp_tok_new(c);
	for (int i = 0; i < 3; i++) {
		const char *x = i % 2 ? "Membangun." : "Pembangunan jalan.";
		long n = kp_tok_run(t, x, strlen(x));
		size_t len;
		const char *s = kp_tok_text(t, &len);
		if (i % 2) {
			CHECK_INT(n, 2);
			CHECK_MEM(s, len, "bangun .");
		} else {
			CHECK_INT(n, 3);
			CHECK_MEM(s, len, "bangun jalan .");
		}
	}
	kp_tok_free(t);
	kp_tok_config_free(c);
}

/* Text that is not NUL-terminated: a word ends at the length given, even
 * when letters follow in memory (a vocabulary arena, a line of a buffer). */
static void test_bounded(void)
{
	unsigned flags[] = {0, KP_TOK_LOWER, KP_TOK_STEM};
	for (int k = 0; k < 3; k++) {
		kp_tok_config *c = kp_tok_config_new(flags[k]);
		kp_tok *t = kp_tok_new(c);
		size_t n;
		CHECK_INT(kp_tok_run(t, "bacaanakbuku", 4), 1);
		const char *o = kp_tok_text(t, &n);
		CHECK_MEM(o, n, "baca");
		CHECK_INT(kp_tok_run(t, "Rp5.000ribu", 7), 2);
		o = kp_tok_text(t, &n);
		CHECK_MEM(o, n, flags[k] ? "rp 5.000" : "Rp 5.000");
		kp_tok_free(t);
		kp_tok_config_free(c);
	}
}

int main(void)
{
	test_bounded();
	test_words();
	test_addresses_punct();
	test_clitics();
	test_case_stem();
	test_lines();
	test_reuse();
	TEST_MAIN_END();
}
