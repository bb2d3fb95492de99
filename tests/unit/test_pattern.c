/* Unit and property tests of the rule pattern engine (lib/pattern.c). */
#include "pattern_int.h"
#include "test.h"

static const char *const months[] = {"januari", "jan", "februari", "feb", NULL};

static const char *const *lists(void *ctx, const char *name, size_t *n)
{
	(void)ctx;
	if (strcmp(name, "month") == 0) {
		*n = 4;
		return months;
	}
	return NULL;
}

static kp_pvm *VM;

static kp_pattern *compile(const char *src)
{
	char err[200];
	kp_pattern *p = kp_pattern_compile(src, strlen(src), lists, NULL, err, sizeof err);
	if (!p) {
		fprintf(stderr, "cannot compile <%s>: %s\n", src, err);
		test_failures++;
	}
	return p;
}

/* 1 if src matches text in mode; the span in *b, *e. */
static int match(const char *src, const char *text, int mode, size_t *b, size_t *e)
{
	kp_pattern *p = compile(src);
	if (!p)
		return -1;
	kp_pmatch m;
	int rc = kp_pattern_match(p, text, strlen(text), mode, VM, &m);
	int t = kp_pattern_test(p, text, strlen(text), mode, VM);
	if (t != rc) {
		fprintf(stderr, "test and match disagree on <%s> / <%s>: %d %d\n", src, text, t, rc);
		test_failures++;
	}
	if (rc == 1 && b) {
		*b = m.beg;
		*e = m.end;
	}
	kp_pattern_free(p);
	return rc;
}

static int full(const char *src, const char *text)
{
	return match(src, text, KP_MATCH_FULL, NULL, NULL);
}

static void test_syntax(void)
{
	CHECK_INT(full("advertisement", "ADVERTISEMENT"), 1);
	CHECK_INT(full("advertisement", "Advertisements"), 0);
	CHECK_INT(full("scroll to continue", "Scroll  to\xc2\xa0" "continue"), 1); /* runs of spaces, NBSP */
	CHECK_INT(full("scroll to", "scrollto"), 0);
	CHECK_INT(full("baca juga{sp}:?", "Baca juga"), 1);
	CHECK_INT(full("baca juga{sp}:?", "Baca juga :"), 1);
	CHECK_INT(full("(baca|lihat|simak) juga", "Simak juga"), 1);
	CHECK_INT(full("(baca|lihat) juga", "Tonton juga"), 0);
	CHECK_INT(full("{U}{sp}---*", "DISKUSI---Wakil Bupati"), 1);
	CHECK_INT(full("{U}{sp}---*", "Diskusi---Wakil"), 0);
	CHECK_INT(full("{W} {dash} *", "Jakarta \xe2\x80\x94 Harga naik"), 1); /* em dash */
	CHECK_INT(full("{dom}/*", "POS-KUPANG.COM/TENI JENAHAS"), 1);
	CHECK_INT(full("{dom}/*", "POSKUPANG/TENI"), 0);
	CHECK_INT(full("{n} komentar", "1.250 komentar"), 1);
	CHECK_INT(full("{url}", "https://whatsapp.com/channel/0029"), 1);
	CHECK_INT(full("{url}", "www.detik.com/x"), 1);
	CHECK_INT(full("{url}", "detik.com"), 0);
	CHECK_INT(full("{n} {month} {n}", "26 Januari 2022"), 1);
	CHECK_INT(full("{n} {month} {n}", "26 Janu 2022"), 0); /* a word end after the list word */
	CHECK_INT(full("\\(\\*\\)", "(*)"), 1);
	CHECK_INT(full("a\\|b", "a|b"), 1);
	CHECK_INT(full("caf\xc3\xa9", "CAF\xc3\x89"), 1); /* Latin-1 letters fold too */

	char err[200];
	const char *bad[] = {"(abc", "<author:abc", "{nope}", "abc\\", "<:x>", "a)b"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kp_pattern *p = kp_pattern_compile(bad[i], strlen(bad[i]), lists, NULL, err, sizeof err);
		if (p) {
			fprintf(stderr, "bad pattern <%s> compiled\n", bad[i]);
			test_failures++;
			kp_pattern_free(p);
		}
	}
}

static void test_modes_and_captures(void)
{
	size_t b, e;
	CHECK_INT(match("\\(\\*\\)", "Kompetitif. (*)", KP_MATCH_END, &b, &e), 1);
	CHECK_INT(b, 12);
	CHECK_INT(e, 15);
	CHECK_INT(match("\\(\\*\\)", "(*) di tengah", KP_MATCH_END, &b, &e), 0);
	CHECK_INT(match("baca juga:", "teks. Baca juga: Judul", KP_MATCH_ANY, &b, &e), 1);
	CHECK_INT(b, 6);
	CHECK_INT(e, 16);
	CHECK_INT(match("penulis", "Penulis: A", KP_MATCH_START, &b, &e), 1);
	/* leftmost-first, lazy '*' */
	CHECK_INT(match("a*b", "xxa1b2b", KP_MATCH_ANY, &b, &e), 1);
	CHECK_INT(b, 2);
	CHECK_INT(e, 5);

	const char *src = "penulis{sp}:{sp}<author:*>{sp}\\|{sp}editor{sp}:{sp}<editor:*>";
	kp_pattern *p = compile(src);
	kp_pmatch m;
	const char *t = "Penulis: Teni Jenahas | Editor: Kanis Jehola";
	CHECK_INT(kp_pattern_ncaps(p), 2);
	CHECK(strcmp(kp_pattern_capname(p, 1), "author") == 0);
	CHECK_INT(kp_pattern_match(p, t, strlen(t), KP_MATCH_FULL, VM, &m), 1);
	CHECK_MEM(t + m.cap[1][0], m.cap[1][1] - m.cap[1][0], "Teni Jenahas");
	CHECK_MEM(t + m.cap[2][0], m.cap[2][1] - m.cap[2][0], "Kanis Jehola");
	kp_pattern_free(p);

	/* an optional capture that does not take part */
	p = compile("oleh( <who:{W}>)?");
	CHECK_INT(kp_pattern_match(p, "oleh", 4, KP_MATCH_FULL, VM, &m), 1);
	CHECK(m.cap[1][0] == SIZE_MAX);
	kp_pattern_free(p);
}

static void test_prefilters(void)
{
	size_t n;
	kp_pattern *p = compile("(advertisement|iklan)");
	CHECK(kp_pattern_can_start(p, 'a') && kp_pattern_can_start(p, 'A') && kp_pattern_can_start(p, 'i'));
	CHECK(!kp_pattern_can_start(p, 'b'));
	CHECK(kp_pattern_can_start2(p, 'a', 'd') && !kp_pattern_can_start2(p, 'a', 'x'));
	CHECK_INT(kp_pattern_maxlen(p), 13);
	kp_pattern_free(p);
	p = compile("* all rights? reserved*");
	CHECK(strcmp(kp_pattern_required(p, &n), "reserved") == 0);
	CHECK_INT(kp_pattern_maxlen(p), SIZE_MAX);
	kp_pattern_free(p);
	p = compile("{sp}\\((\\*|adv)\\)");
	CHECK(strcmp(kp_pattern_suffix(p, &n), ")") == 0);
	kp_pattern_free(p);
}

/* Random patterns and texts: the fast test agrees with the VM, and no
 * prefilter rejects a text that matches. */
static void test_random(void)
{
	static const char *atoms[] = {"a", "b", "ab", " ", "*", "{w}", "{U}", "{n}", "{sp}", "(a|b)", "(ab|c)?", "x?",
				      "{dash}", "<author:*>", "\\(", "\\)"};
	static const char *chars[] = {"a", "b", "c", "x", "A", "B", " ", "  ", "1", "2", "-", "(", ")",
				      "\xc2\xa0", "\xe2\x80\x94", "\xc3\xa9"};
	uint64_t seed = 3;
	char src[256], text[256];
	int checked = 0;
	for (int iter = 0; iter < 30000; iter++) {
		src[0] = text[0] = '\0';
		int na = 1 + (int)(test_rand(&seed) % 5);
		for (int i = 0; i < na; i++)
			strcat(src, atoms[test_rand(&seed) % (sizeof atoms / sizeof atoms[0])]);
		int nc = (int)(test_rand(&seed) % 12);
		for (int i = 0; i < nc; i++)
			strcat(text, chars[test_rand(&seed) % (sizeof chars / sizeof chars[0])]);
		char err[200];
		kp_pattern *p = kp_pattern_compile(src, strlen(src), lists, NULL, err, sizeof err);
		if (!p)
			continue;
		size_t n = strlen(text);
		for (int mode = KP_MATCH_FULL; mode <= KP_MATCH_ANY; mode++) {
			kp_pmatch m;
			int rm = kp_pattern_match(p, text, n, mode, VM, &m);
			int rt = kp_pattern_test(p, text, n, mode, VM);
			if (rm != rt) {
				fprintf(stderr, "mode %d <%s> <%s>: match %d test %d\n", mode, src, text, rm, rt);
				test_failures++;
			}
			if (rm != 1)
				continue;
			checked++;
			CHECK(m.beg <= m.end && m.end <= n);
			if (mode == KP_MATCH_FULL)
				CHECK(m.beg == 0 && m.end == n);
			/* what the cleaner skips on must never skip a match */
			char low[256];
			for (size_t i = 0; i <= n; i++)
				low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
			size_t rl, sl;
			const char *req = kp_pattern_required(p, &rl), *suf = kp_pattern_suffix(p, &sl);
			if (rl && !strstr(low + m.beg, req)) {
				fprintf(stderr, "required '%s' missing: <%s> <%s>\n", req, src, text);
				test_failures++;
			}
			if (mode == KP_MATCH_FULL && sl && (n < sl || memcmp(low + n - sl, suf, sl) != 0)) {
				fprintf(stderr, "suffix '%s' missing: <%s> <%s>\n", suf, src, text);
				test_failures++;
			}
			if (m.end > m.beg && !kp_pattern_can_start(p, (unsigned char)low[m.beg])) {
				fprintf(stderr, "first byte rejected: <%s> <%s>\n", src, text);
				test_failures++;
			}
			if (m.end > m.beg + 1 && !kp_pattern_can_start2(p, (unsigned char)low[m.beg], (unsigned char)low[m.beg + 1])) {
				fprintf(stderr, "first bigram rejected: <%s> <%s>\n", src, text);
				test_failures++;
			}
			size_t nonspace = 0;
			for (size_t i = m.beg; i < m.end; i++)
				nonspace += text[i] != ' ' && ((unsigned char)text[i] & 0xC0) != 0x80 &&
					    !((unsigned char)text[i] == 0xC2 && (unsigned char)text[i + 1] == 0xA0);
			if (nonspace > kp_pattern_maxlen(p)) {
				fprintf(stderr, "longer than maxlen %zu: <%s> <%s>\n", kp_pattern_maxlen(p), src, text);
				test_failures++;
			}
		}
		kp_pattern_free(p);
		if (test_failures > 10)
			break;
	}
	CHECK(checked > 1000);
}

/* Matching stays linear: adversarial text for a pattern with many loops
 * (a backtracking matcher would take exponential time here). */
static void test_linear(void)
{
	size_t n = 200000;
	char *t = malloc(n + 1);
	memset(t, 'a', n);
	t[n] = '\0';
	kp_pattern *p = compile("* * * * *(a|aa)* * * b");
	CHECK_INT(kp_pattern_match(p, t, n, KP_MATCH_FULL, VM, &(kp_pmatch){0}), 0);
	CHECK_INT(kp_pattern_test(p, t, n, KP_MATCH_ANY, VM), 0);
	kp_pattern_free(p);
	free(t);
}

int main(void)
{
	VM = kp_pvm_new();
	test_syntax();
	test_modes_and_captures();
	test_prefilters();
	test_random();
	test_linear();
	kp_pvm_free(VM);
	TEST_MAIN_END();
}
