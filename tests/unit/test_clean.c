/* Unit tests of the news cleaner (lib/clean.c) on the real seed article and
 * on pages written to exercise each kind of chrome. */
#include "korpus/korpus.h"
#include "test.h"

static kp_clean_rules *R;
static kp_clean *C;

static char *slurp(const char *name, size_t *n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/clean/%s", KORPUS_TESTDATA, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	char *buf = malloc(1 << 20);
	*n = fread(buf, 1, (1 << 20) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static const char *clean(const char *text)
{
	if (kp_clean_run(C, text, strlen(text)) < 0)
		return "(failed)";
	static char out[1 << 16];
	size_t n;
	const char *t = kp_clean_text(C, &n);
	snprintf(out, sizeof out, "%.*s", (int)n, t);
	return out;
}

static const char *field(int f)
{
	static char buf[8][256];
	static int k;
	size_t n;
	const char *s = kp_clean_field(C, f, &n);
	if (!s)
		return "(none)";
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%.*s", (int)n, s);
	return buf[k];
}

/* The text removed under a category, joined by " | ". */
static const char *removed_as(const char *cat)
{
	static char buf[4096];
	buf[0] = '\0';
	for (size_t i = 0; i < kp_clean_nremoved(C); i++) {
		int c;
		const char *t;
		size_t n;
		kp_clean_removed(C, i, &c, &t, &n);
		if (strcmp(kp_clean_category(R, c), cat) == 0)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%.*s", buf[0] ? " | " : "", (int)n, t);
	}
	return buf;
}

#define CHECK_STR(a, b)                                                                               \
	do {                                                                                          \
		const char *x_ = (a), *y_ = (b);                                                      \
		if (strcmp(x_, y_) != 0) {                                                            \
			fprintf(stderr, "%s:%d: %s is\n  \"%s\"\nexpected\n  \"%s\"\n", __FILE__, __LINE__, #a, x_, y_); \
			test_failures++;                                                              \
		}                                                                                     \
	} while (0)

/* The real scraped article: exactly its body remains. */
static void test_seed(void)
{
	size_t n, en;
	char *page = slurp("seed.txt", &n), *expected = slurp("seed.expected.txt", &en);
	CHECK_STR(clean(page), expected);
	CHECK_STR(field(KP_CLEAN_TITLE), "Wakil Bupati Belu ke Imigrasi Bangun Sinergitas");
	CHECK_STR(field(KP_CLEAN_PLACE), "Atambua");
	CHECK_STR(field(KP_CLEAN_OUTLET), "POS-KUPANG.COM");
	CHECK_STR(field(KP_CLEAN_EDITOR), "Kanis Jehola");
	CHECK_STR(field(KP_CLEAN_SOURCE), "Pos Kupang");
	CHECK_STR(field(KP_CLEAN_PUBLISHED), "2022-01-26");
	CHECK_INT(kp_clean_nauthors(C), 1);
	size_t al;
	const char *a = kp_clean_author(C, 0, &al);
	CHECK_MEM(a, al, "Teni Jenahas");
	CHECK_STR(removed_as("caption"), "DISKUSI---Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berdiskusi dengan "
					 "Kepala Kantor Imigrasi Atambua, K.A Halim saat berkunjung ke Kantor Imigrasi, "
					 "Rabu, 26 Januari 2022.");
	CHECK_STR(removed_as("end-mark"), "(*)");
	CHECK_STR(removed_as("dateline"), "POS-KUPANG.COM, ATAMBUA -");
	CHECK(strstr(removed_as("teaser"), "berkunjung ke Kantor Imigrasi Kelas II") != NULL);

	/* keep the dateline when asked (the metadata is still taken) */
	kp_clean *keep = kp_clean_new(R, KP_CLEAN_KEEP_DATELINE);
	CHECK_INT(kp_clean_run(keep, page, n), 0);
	const char *t = kp_clean_text(keep, &n);
	CHECK(n > 26 && memcmp(t, "POS-KUPANG.COM, ATAMBUA - Wakil", 31) == 0);
	kp_clean_free(keep);
	free(page);
	free(expected);
}

/* Datelines of many outlets: where the body starts, place and outlet. */
static void test_datelines(void)
{
	static const struct {
		const char *first, *place, *outlet;
	} cases[] = {
		{"JAKARTA, KOMPAS.com - Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta", "KOMPAS.com"},
		{"Liputan6.com, Jakarta - Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta", "Liputan6.com"},
		{"TEMPO.CO, Jakarta - Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta", "TEMPO.CO"},
		{"REPUBLIKA.CO.ID, CIREBON -- Harga cabai naik menjadi Rp 75.000 per kilogram.", "Cirebon", "REPUBLIKA.CO.ID"},
		{"TRIBUN-PAPUA.COM, WAMENA - Harga cabai naik menjadi Rp 75.000 per kilogram.", "Wamena", "TRIBUN-PAPUA.COM"},
		{"Jakarta (ANTARA) - Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta", "ANTARA"},
		{"Jakarta, CNN Indonesia -- Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta", "CNN Indonesia"},
		{"BANDAR LAMPUNG \xe2\x80\x94 Harga cabai naik menjadi Rp 75.000 per kilogram di pasar.", "Bandar Lampung", "(none)"},
		{"Suara.com - Harga cabai naik menjadi Rp 75.000 per kilogram.", "(none)", "Suara.com"},
		{"JAKARTA, KOMPAS.com \xc3\xa2\xe2\x82\xac\xe2\x80\x9d Harga cabai naik menjadi Rp 75.000 per kilogram.", "Jakarta",
		 "KOMPAS.com"}, /* a mojibake em dash */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char page[512];
		snprintf(page, sizeof page, "Harga Cabai Naik Jelang Lebaran\n\n%s\n\nPedagang mengeluhkan sepinya pembeli.",
			 cases[i].first);
		const char *out = clean(page);
		if (strncmp(out, "Harga cabai naik", 16) != 0 || strcmp(field(KP_CLEAN_PLACE), cases[i].place) != 0 ||
		    strcmp(field(KP_CLEAN_OUTLET), cases[i].outlet) != 0) {
			fprintf(stderr, "dateline case %zu: text \"%.40s\", place %s, outlet %s\n", i, out,
				field(KP_CLEAN_PLACE), field(KP_CLEAN_OUTLET));
			test_failures++;
		}
	}
	/* a hyphenated name is no dateline; a dateline broken over lines is */
	CHECK_STR(clean("Tim Berners-Lee, penemu World Wide Web, meluncurkan sebuah perusahaan rintisan baru."),
		  "Tim Berners-Lee, penemu World Wide Web, meluncurkan sebuah perusahaan rintisan baru.");
	CHECK_STR(field(KP_CLEAN_PLACE), "(none)");
	CHECK_STR(clean("Judul Berita Hari Ini\n\nJakarta\n-\nLuna Maya\nternyata mengidolakan penyanyi itu sejak kecil."),
		  "Luna Maya ternyata mengidolakan penyanyi itu sejak kecil.");
	CHECK_STR(field(KP_CLEAN_PLACE), "Jakarta");
}

static void test_links_and_promos(void)
{
	/* a lone marker takes its headlines (no final period) with it; one
	 * glued inline goes up to the sentence that follows it */
	CHECK_STR(clean("Harga cabai naik di semua pasar tradisional pekan ini.\n\nBaca juga\n"
			"Harga Bawang Merah Turun Drastis\nPetani Cabai Merugi?\n\n"
			"Pedagang mengeluhkan sepinya pembeli di pasar. Baca juga: Inflasi di Bandung Terkendali "
			"Menurut pedagang, pembeli mulai berkurang sejak awal bulan."),
		  "Harga cabai naik di semua pasar tradisional pekan ini.\n\n"
		  "Pedagang mengeluhkan sepinya pembeli di pasar. Menurut pedagang, pembeli mulai berkurang sejak awal bulan.");
	CHECK_STR(removed_as("baca-juga-headline"), "Harga Bawang Merah Turun Drastis | Petani Cabai Merugi?");
	CHECK_STR(clean("Banjir melanda Kampung Melayu sejak pagi tadi, ratusan warga mengungsi.\n\nADVERTISEMENT\n"
			"SCROLL TO CONTINUE WITH CONTENT\n\n[Gambas:Video 20detik]\n\nSimak Video \"Banjir Jakarta\"\n\n"
			"Petugas membuka posko pengungsian di masjid terdekat.\n\n(cas/mrp)"),
		  "Banjir melanda Kampung Melayu sejak pagi tadi, ratusan warga mengungsi.\n\n"
		  "Petugas membuka posko pengungsian di masjid terdekat.");
	CHECK_STR(removed_as("editor-code"), "(cas/mrp)");
	/* an end mark and an editor code at the end of the last paragraph */
	CHECK_STR(clean("Gempa mengguncang Cianjur pagi ini, warga berhamburan keluar rumah. (ant)"),
		  "Gempa mengguncang Cianjur pagi ini, warga berhamburan keluar rumah.");
	CHECK_STR(clean("Gempa mengguncang Cianjur pagi ini, warga berhamburan keluar rumah. (dry/din)"),
		  "Gempa mengguncang Cianjur pagi ini, warga berhamburan keluar rumah.");
}

static void test_footer_tags_boxes(void)
{
	CHECK_STR(clean("Timnas Indonesia menang 2-1 atas Bahrain dalam laga kualifikasi semalam.\n\n"
			"Jadwal Live Streaming\nPersib vs Persija\nSabtu, 18 Januari 2025\nPukul 16.30 WIB\nLive Vidio\n\n"
			"Pelatih memuji permainan para pemain muda yang tampil tanpa beban.\n\n"
			"Artikel ini telah tayang di Kompas.com dengan judul \"Timnas Menang\"\n"
			"Klik untuk baca: https://bola.kompas.com/read/x\n\n"
			"timnas indonesia\nkualifikasi piala dunia 2026\n\n"
			"Ikuti saluran WhatsApp Kompas.com: https://whatsapp.com/channel/x\n"
			"\xc2\xa9 2025 Kompas.com. All Rights Reserved"),
		  "Timnas Indonesia menang 2-1 atas Bahrain dalam laga kualifikasi semalam.\n\n"
		  "Pelatih memuji permainan para pemain muda yang tampil tanpa beban.");
	CHECK_STR(removed_as("tags"), "timnas indonesia | kualifikasi piala dunia 2026");
	CHECK(strstr(removed_as("schedule-box"), "Persib vs Persija") != NULL);
	CHECK(strstr(removed_as("syndication"), "Artikel ini telah tayang") != NULL);
}

static void test_prose_untouched(void)
{
	/* clean text (UD-like) comes out as it went in, paragraph for paragraph */
	const char *ud = "Presiden Joko Widodo meresmikan Bendungan Karian di Lebak, Banten, Kamis (4/6/2025). "
			 "Bendungan itu mengairi 22.000 hektare sawah.\n\n"
			 "Menurut Kementerian PUPR, pembangunan bendungan menelan biaya Rp 1,2 triliun. \"Ini untuk "
			 "petani,\" kata Presiden.";
	CHECK_STR(clean(ud), ud);
	CHECK_INT(kp_clean_nremoved(C), 0);
	/* nothing at all, and only chrome */
	CHECK_STR(clean(""), "");
	CHECK_STR(clean("Advertisement\n\nBaca juga: Judul Lain"), "");
}

static void test_user_rules(void)
{
	kp_clean_rules *r = kp_clean_rules_new();
	const char *rules = "# a site of our own\npromo line tonton juga *\n";
	CHECK_INT(kp_clean_rules_add(r, rules, strlen(rules), "mine.txt"), 0);
	kp_clean *c = kp_clean_new(r, 0);
	const char *page = "Harga cabai naik di semua pasar tradisional pekan ini.\n\nTonton juga Dokumenter Cabai";
	CHECK_INT(kp_clean_run(c, page, strlen(page)), 0);
	size_t n;
	const char *t = kp_clean_text(c, &n);
	CHECK_MEM(t, n, "Harga cabai naik di semua pasar tradisional pekan ini.");
	kp_clean_free(c);
	const char *bad[] = {"promo lines abc\n", "promo line (abc\n", "x\n", "promo line <who:*>\n"};
	const char *msg[] = {"mine.txt:1: bad scope", "mine.txt:1:", "mine.txt:1: expected", "unknown capture"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(kp_clean_rules_add(r, bad[i], strlen(bad[i]), "mine.txt"), KP_EFORMAT);
		CHECK(strstr(kp_clean_rules_errmsg(r), msg[i]) != NULL);
	}
	kp_clean_rules_free(r);
}

/* +next+links: the lines after a link marker are its headlines (three at
 * most, as baca-juga-headline); +next alone takes a list's entries into the
 * rule's own category.  The category's name plays no part. */
static void test_links_flag(void)
{
	const char *page = "Harga cabai naik di semua pasar tradisional pekan ini.\n\n"
			   "Lihat pula\nHarga Bawang Merah Turun\nPetani Cabai Merugi\nPasar Induk Sepi\n"
			   "Stok Beras Aman\n\n"
			   "Pedagang mengeluhkan sepinya pembeli di pasar sejak awal bulan ini.";
	const char *rules[] = {"tautan line+next+links lihat pula\n", "tautan line+next lihat pula\n"};
	const char *want[] = {"Harga Bawang Merah Turun | Petani Cabai Merugi | Pasar Induk Sepi", ""};
	const char *own[] = {"Lihat pula",
			     "Lihat pula | Harga Bawang Merah Turun | Petani Cabai Merugi | Pasar Induk Sepi | Stok Beras Aman"};
	kp_clean_rules *r0 = R;
	kp_clean *c0 = C;
	for (int k = 0; k < 2; k++) {
		R = kp_clean_rules_new();
		kp_clean_rules_clear(R);
		CHECK_INT(kp_clean_rules_add(R, rules[k], strlen(rules[k]), "mine.txt"), 0);
		C = kp_clean_new(R, 0);
		CHECK(C != NULL);
		clean(page);
		CHECK_STR(removed_as("baca-juga-headline"), want[k]);
		CHECK_STR(removed_as("tautan"), own[k]);
		kp_clean_free(C);
		kp_clean_rules_free(R);
	}
	R = r0;
	C = c0;
	/* the built-in "Baca juga" rules carry the flag */
	size_t n;
	const char *builtin = kp_clean_rules_builtin(&n);
	CHECK(strstr(builtin, "baca-juga       line+next+links (baca|lihat|simak) juga") != NULL);
	const char *bad = "tautan line+next+linky lihat pula\n";
	kp_clean_rules *r = kp_clean_rules_new();
	CHECK_INT(kp_clean_rules_add(r, bad, strlen(bad), "mine.txt"), KP_EFORMAT);
	kp_clean_rules_free(r);
}

/* Rules added after a cleaner was made: it counts their removals too (its
 * counters were sized once, and a new category wrote past them). */
static void test_rules_after_cleaner(void)
{
	kp_clean_rules *r = kp_clean_rules_new();
	kp_clean *c = kp_clean_new(r, 0);
	const char *rules = "promo-baru line tonton juga *\n";
	CHECK_INT(kp_clean_rules_add(r, rules, strlen(rules), "mine.txt"), 0);
	int cat = kp_clean_ncategories(r) - 1;
	CHECK(strcmp(kp_clean_category(r, cat), "promo-baru") == 0);
	const char *page = "Harga cabai naik di semua pasar tradisional pekan ini.\n\nTonton juga Dokumenter Cabai";
	CHECK_INT(kp_clean_run(c, page, strlen(page)), 0);
	CHECK_INT(kp_clean_run(c, page, strlen(page)), 0);
	CHECK_INT(kp_clean_count(c, cat), 2);
	CHECK_INT(kp_clean_count(c, cat + 1), 0);
	kp_clean_free(c);
	kp_clean_rules_free(r);
}

int main(void)
{
	R = kp_clean_rules_new();
	if (!R) {
		fprintf(stderr, "the built-in rules do not load\n");
		return 1;
	}
	C = kp_clean_new(R, 0);
	test_seed();
	test_datelines();
	test_links_and_promos();
	test_footer_tags_boxes();
	test_prose_untouched();
	test_user_rules();
	test_links_flag();
	test_rules_after_cleaner();
	kp_clean_free(C);
	kp_clean_rules_free(R);
	TEST_MAIN_END();
}
