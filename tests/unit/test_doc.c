/* Unit and property tests of the document codec (kp_doc), with yajl as an
 * independent judge of JSON validity. */
#include <yajl/yajl_parse.h>

#include "korpus/korpus.h"
#include "test.h"

static kp_doc *D;

static int parse(const char *line)
{
	return kp_doc_parse(D, line, strlen(line));
}

static const char *ser(void)
{
	static char buf[1 << 16];
	const char *out;
	size_t len;
	if (kp_doc_serialize(D, &out, &len) < 0 || len >= sizeof buf)
		return "(serialize failed)";
	memcpy(buf, out, len);
	buf[len] = '\0';
	return buf;
}

static void test_basic(void)
{
	CHECK_INT(parse("{\"id\":\"kompas-1\",\"text\":\"Halo dunia.\",\"source\":\"kompas\","
			"\"metadata\":{\"url\":\"https://x\",\"n\":3}}"),
		  0);
	const char *t;
	size_t n;
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_MEM(t, n, "Halo dunia.");
	CHECK_MEM(kp_doc_id(D, &n), n, "kompas-1");
	const char *raw;
	CHECK_INT(kp_doc_get_raw(D, "source", &raw, &n), 1);
	CHECK_MEM(raw, n, "\"kompas\"");
	CHECK_INT(kp_doc_meta_get_raw(D, "n", &raw, &n), 1);
	CHECK_MEM(raw, n, "3");
	CHECK_INT(kp_doc_meta_get_str(D, "url", &raw, &n), 1);
	CHECK_MEM(raw, n, "https://x");
	CHECK_INT(kp_doc_meta_get_raw(D, "absent", &raw, &n), 0);
	CHECK_INT(kp_doc_get_raw(D, "created", &raw, &n), 0);
	CHECK_INT(kp_doc_nfields(D), 4);
	const char *k;
	size_t kl;
	CHECK_INT(kp_doc_field(D, 3, &k, &kl, &raw, &n), 1);
	CHECK_MEM(k, kl, "metadata");
	CHECK_MEM(raw, n, "{\"url\":\"https://x\",\"n\":3}");
	CHECK_INT(kp_doc_field(D, 4, &k, &kl, &raw, &n), 0);

	/* numeric ids keep their spelling */
	CHECK_INT(parse("{\"id\": 1.50e2, \"text\": \"\"}"), 0);
	CHECK_MEM(kp_doc_id(D, &n), n, "1.50e2");
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_INT(n, 0);
}

static void test_escapes(void)
{
	CHECK_INT(parse("{\"text\":\"a\\nb \\\"q\\\" \\u00e9 \\ud83d\\ude00 \\/ \\\\ \\t\"}"), 0);
	const char *t;
	size_t n;
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_MEM(t, n, "a\nb \"q\" \xc3\xa9 \xf0\x9f\x98\x80 / \\ \t");
	CHECK_INT(kp_doc_repairs(D), 0);

	/* lone surrogates decode to U+FFFD and are counted */
	CHECK_INT(parse("{\"text\":\"x\\ud800y\\udc00\"}"), 0);
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_MEM(t, n, "x\xef\xbf\xbdy\xef\xbf\xbd");
	CHECK_INT(kp_doc_repairs(D), 2);

	/* \u0000 is a NUL inside the text */
	CHECK_INT(parse("{\"text\":\"a\\u0000b\"}"), 0);
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_INT(n, 3);
	CHECK(t[1] == '\0');

	/* a key spelled with escapes is still "text" */
	CHECK_INT(parse("{\"t\\u0065xt\":\"hi\"}"), 0);
	CHECK_INT(kp_doc_text(D, &t, &n), 0);
	CHECK_MEM(t, n, "hi");
}

static void test_edits(void)
{
	/* Only the text value changes; spacing, order, number spelling stay. */
	const char *line = "  { \"id\" : 7 ,\"text\" : \"lama\" , \"x\":[1, 2.50E+3,{\"a\":null}],"
			   "\"metadata\" : { \"k\" : \"v\" } }\r";
	CHECK_INT(parse(line), 0);
	CHECK_INT(kp_doc_set_text(D, "baru \"kutip\"\n", 13), 0);
	CHECK(strcmp(ser(), "{ \"id\" : 7 ,\"text\" : \"baru \\\"kutip\\\"\\n\" , \"x\":[1, 2.50E+3,{\"a\":null}],"
			    "\"metadata\" : { \"k\" : \"v\" } }\n") == 0);

	/* metadata: replace one member in place, append another */
	CHECK_INT(parse(line), 0);
	CHECK_INT(kp_doc_meta_set_str(D, "k", "w", 1), 0);
	CHECK_INT(kp_doc_meta_set_int(D, "n", -3), 0);
	CHECK_INT(kp_doc_meta_set_bool(D, "ok", 1), 0);
	CHECK_INT(kp_doc_meta_set_int(D, "n", 4), 0); /* last set wins */
	CHECK(strcmp(ser(), "{ \"id\" : 7 ,\"text\" : \"lama\" , \"x\":[1, 2.50E+3,{\"a\":null}],"
			    "\"metadata\" : { \"k\" : \"w\" ,\"n\":4,\"ok\":true} }\n") == 0);

	/* no metadata: appended as the last member */
	CHECK_INT(parse("{\"text\":\"a\",\"id\":\"1\"}"), 0);
	CHECK_INT(kp_doc_meta_set_raw(D, "dateline", "{\"place\":\"Atambua\"}", 19), 0);
	CHECK_INT(kp_doc_set_str(D, "source", "pos-kupang", 10), 0);
	CHECK(strcmp(ser(), "{\"text\":\"a\",\"id\":\"1\",\"source\":\"pos-kupang\","
			    "\"metadata\":{\"dateline\":{\"place\":\"Atambua\"}}}\n") == 0);

	/* empty metadata object, null metadata, non-object metadata */
	CHECK_INT(parse("{\"text\":\"a\",\"metadata\":{}}"), 0);
	CHECK_INT(kp_doc_meta_set_int(D, "x", 1), 0);
	CHECK(strcmp(ser(), "{\"text\":\"a\",\"metadata\":{\"x\":1}}\n") == 0);
	CHECK_INT(parse("{\"text\":\"a\",\"metadata\":null}"), 0);
	CHECK_INT(kp_doc_meta_set_int(D, "x", 1), 0);
	CHECK(strcmp(ser(), "{\"text\":\"a\",\"metadata\":{\"x\":1}}\n") == 0);
	CHECK_INT(parse("{\"text\":\"a\",\"metadata\":\"s\"}"), 0);
	CHECK_INT(kp_doc_meta_set_int(D, "x", 1), KP_EDOC);

	/* replacing an existing top-level member keeps its position */
	CHECK_INT(parse("{\"source\":\"a\",\"text\":\"t\"}"), 0);
	CHECK_INT(kp_doc_set_str(D, "source", "b", 1), 0);
	CHECK(strcmp(ser(), "{\"source\":\"b\",\"text\":\"t\"}\n") == 0);
	CHECK_INT(kp_doc_set_raw(D, "text", "1", 1), KP_EINVAL);

	/* building a new document from nothing (importers) */
	kp_doc_clear(D);
	CHECK_INT(kp_doc_set_str(D, "id", "x/1", 3), 0);
	CHECK_INT(kp_doc_set_text(D, "Jakarta\t(ANTARA)", 16), 0);
	CHECK_INT(kp_doc_meta_set_str(D, "path", "x/1.txt", 7), 0);
	CHECK(strcmp(ser(), "{\"id\":\"x/1\",\"text\":\"Jakarta\\t(ANTARA)\",\"metadata\":{\"path\":\"x/1.txt\"}}\n") ==
	      0);
	kp_doc_clear(D);
	CHECK(strcmp(ser(), "{}\n") == 0);

	/* invalid UTF-8 handed to set_text never produces invalid output */
	CHECK_INT(parse("{\"text\":\"a\"}"), 0);
	CHECK_INT(kp_doc_set_text(D, "a\xff" "b\x01", 4), 0);
	CHECK(strcmp(ser(), "{\"text\":\"a\xef\xbf\xbd" "b\\u0001\"}\n") == 0);
}

struct bad {
	const char *line;
	int rc;
	const char *msg; /* a substring of the message */
};

static void test_invalid(void)
{
	static const struct bad cases[] = {
		{"", KP_EJSON, "empty line"},
		{"   ", KP_EJSON, "empty line"},
		{"[1,2]", KP_EDOC, "is an array"},
		{"\"text\"", KP_EDOC, "is a string"},
		{"42", KP_EDOC, "is a number"},
		{"{\"text\":\"a\",}", KP_EJSON, "column 13"},
		{"{'text':'a'}", KP_EJSON, "column 2"},
		{"{text:\"a\"}", KP_EJSON, "column 2"},
		{"{\"text\":\"a\" \"id\":1}", KP_EJSON, "expected ',' or '}'"},
		{"{\"text\":\"a\",\"n\":01}", KP_EJSON, NULL},
		{"{\"text\":\"a\",\"n\":1.}", KP_EJSON, "digit after '.'"},
		{"{\"text\":\"a\",\"n\":.5}", KP_EJSON, NULL},
		{"{\"text\":\"a\",\"n\":-}", KP_EJSON, NULL},
		{"{\"text\":\"a\",\"n\":1e}", KP_EJSON, "exponent"},
		{"{\"text\":\"a\",\"n\":NaN}", KP_EJSON, NULL},
		{"{\"text\":\"a\",\"n\":tru}", KP_EJSON, NULL},
		{"{\"text\":\"a\tb\"}", KP_EJSON, "control character 0x09"},
		{"{\"text\":\"a\\x\"}", KP_EJSON, "bad escape"},
		{"{\"text\":\"\\u12G4\"}", KP_EJSON, "\\u escape"},
		{"{\"text\":\"abc", KP_EJSON, "unterminated string"},
		{"{\"text\":\"a\"} {}", KP_EJSON, "end of line"},
		{"{\"text\":\"a\",\"x\":[1,{\"y\":[}]}", KP_EJSON, NULL},
		{"{\"text\":\"a\",\"x\":[1,2}", KP_EJSON, "',' or ']'"},
		{"{\"text\":\"a\"", KP_EJSON, "end of line"},
		{"}", KP_EJSON, NULL},
		{"{}", KP_EDOC, "no \"text\""},
		{"{\"id\":\"1\"}", KP_EDOC, "no \"text\""},
		{"{\"text\":null}", KP_EDOC, "is null"},
		{"{\"text\":[\"a\"]}", KP_EDOC, "is an array"},
		{"{\"text\":\"a\",\"text\":\"b\"}", KP_EDOC, "given twice"},
		{"{\"text\":\"a\",\"metadata\":{},\"metadata\":{}}", KP_EDOC, "given twice"},
		{"{\"text\":\"a\",\"metadata\":1,\"metadata\":{}}", KP_EDOC, "given twice"},
		/* strict UTF-8: overlong, surrogate, above U+10FFFF, stray bytes */
		{"{\"text\":\"\xc0\x80\"}", KP_EUTF8, "column 10"},
		{"{\"text\":\"\xed\xa0\x80\"}", KP_EUTF8, "invalid UTF-8"},
		{"{\"text\":\"\xf4\x90\x80\x80\"}", KP_EUTF8, "invalid UTF-8"},
		{"{\"text\":\"\x80\"}", KP_EUTF8, "invalid UTF-8"},
		{"{\"text\":\"\xe2\x82\"}", KP_EUTF8, "invalid UTF-8"},
		{"{\"t\xffxt\":\"a\"}", KP_EUTF8, "invalid UTF-8"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(cases[i].line);
		if (rc != cases[i].rc || (cases[i].msg && !strstr(kp_doc_errmsg(D), cases[i].msg))) {
			fprintf(stderr, "case %zu <%s>: rc %d (%s), expected %d with \"%s\"\n", i, cases[i].line, rc,
				kp_doc_errmsg(D), cases[i].rc, cases[i].msg ? cases[i].msg : "");
			test_failures++;
		}
	}
	/* NUL inside the line is a control character */
	CHECK_INT(kp_doc_parse(D, "{\"text\":\"a\0b\"}", 14), KP_EJSON);
}

static void test_repair(void)
{
	kp_doc *r = kp_doc_new(0, KP_DOC_REPAIR_UTF8);
	const char *line = "{\"id\":\"\xe9t\xe9\",\"text\":\"caf\xe9 \xc0\x80 ok\"}";
	CHECK_INT(kp_doc_parse(r, line, strlen(line)), 0);
	CHECK_INT(kp_doc_repairs(r), 5);
	const char *t;
	size_t n;
	CHECK_INT(kp_doc_text(r, &t, &n), 0);
	CHECK_MEM(t, n, "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd ok");
	/* outside strings, repair cannot make JSON out of garbage */
	CHECK_INT(kp_doc_parse(r, "{\"text\":\"a\",\xff:1}", 16), KP_EJSON);
	kp_doc_free(r);
}

/* ---- property tests ---------------------------------------------------------- */

struct gen {
	uint64_t seed;
	char *p;
	size_t len, cap;
};

static void put(struct gen *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->p = realloc(g->p, g->cap);
	}
	memcpy(g->p + g->len, s, n);
	g->len += n;
	g->p[g->len] = '\0';
}

static void puts_(struct gen *g, const char *s)
{
	put(g, s, strlen(s));
}

static unsigned rnd(struct gen *g, unsigned n)
{
	return (unsigned)(test_rand(&g->seed) % n);
}

static void ws(struct gen *g)
{
	static const char *w[] = {"", "", "", " ", "\t", "  ", "\r\n "};
	puts_(g, w[rnd(g, 7)]);
}

/* A random JSON string; the decoded value is appended to dec if given. */
static void gen_string(struct gen *g, struct gen *dec)
{
	static const char *pieces[][2] = {
		{"Jakarta", "Jakarta"}, {" ", " "}, {"\\n", "\n"}, {"\\\"", "\""}, {"\\\\", "\\"},
		{"\\/", "/"}, {"\\t", "\t"}, {"\\u00e9", "\xc3\xa9"}, {"\xc3\xa9", "\xc3\xa9"},
		{"\xe2\x80\x9c", "\xe2\x80\x9c"}, {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
		{"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"}, {"Rp1.250.000", "Rp1.250.000"},
		{"\\u0041", "A"}, {"\\b\\f\\r", "\b\f\r"}, {"\xc2\xa0", "\xc2\xa0"}, {"Baca juga:", "Baca juga:"},
	};
	put(g, "\"", 1);
	unsigned k = rnd(g, 12);
	for (unsigned i = 0; i < k; i++) {
		unsigned j = rnd(g, sizeof pieces / sizeof pieces[0]);
		puts_(g, pieces[j][0]);
		if (dec)
			puts_(dec, pieces[j][1]);
	}
	put(g, "\"", 1);
}

static void gen_value(struct gen *g, int depth)
{
	static const char *nums[] = {"0", "-0", "12", "-3.25", "1e9", "2.50E+3", "1E-7", "123456789012345678901234"};
	switch (rnd(g, depth > 3 ? 5 : 7)) {
	case 0: gen_string(g, NULL); break;
	case 1: puts_(g, nums[rnd(g, 8)]); break;
	case 2: puts_(g, "true"); break;
	case 3: puts_(g, "false"); break;
	case 4: puts_(g, "null"); break;
	case 5: {
		put(g, "[", 1);
		unsigned k = rnd(g, 4);
		for (unsigned i = 0; i < k; i++) {
			if (i)
				put(g, ",", 1);
			ws(g);
			gen_value(g, depth + 1);
			ws(g);
		}
		put(g, "]", 1);
		break;
	}
	default: {
		put(g, "{", 1);
		unsigned k = rnd(g, 4);
		for (unsigned i = 0; i < k; i++) {
			if (i)
				put(g, ",", 1);
			ws(g);
			gen_string(g, NULL);
			ws(g);
			put(g, ":", 1);
			ws(g);
			gen_value(g, depth + 1);
		}
		put(g, "}", 1);
	}
	}
}

/* A random document with unknown fields around "text"; dec gets the text. */
static void gen_doc(struct gen *g, struct gen *dec)
{
	static const char *keys[] = {"\"id\"", "\"source\"", "\"added\"", "\"x-unknown\"", "\"n\"", "\"tags\"",
				     "\"Text\"", "\"texts\""};
	put(g, "{", 1);
	unsigned before = rnd(g, 4), after = rnd(g, 4);
	int meta = rnd(g, 2);
	for (unsigned i = 0; i < before + after + 1 + (unsigned)meta; i++) {
		if (i)
			put(g, ",", 1);
		ws(g);
		if (i == before) {
			puts_(g, "\"text\"");
			ws(g);
			put(g, ":", 1);
			ws(g);
			gen_string(g, dec);
		} else if (meta && i == before + after + 1) {
			puts_(g, "\"metadata\":");
			ws(g);
			gen_value(g, 4 - 4); /* may be any value; objects are common */
		} else {
			puts_(g, keys[rnd(g, 8)]);
			ws(g);
			put(g, ":", 1);
			ws(g);
			gen_value(g, 0);
		}
		ws(g);
	}
	put(g, "}", 1);
}

static int yajl_valid(const char *s, size_t n)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	int ok = yajl_parse(h, (const unsigned char *)s, n) == yajl_status_ok &&
		 yajl_complete_parse(h) == yajl_status_ok;
	yajl_free(h);
	return ok;
}

static void test_roundtrip_property(void)
{
	struct gen g = {.seed = 1}, dec = {0}, out = {0};
	for (int iter = 0; iter < 20000; iter++) {
		g.len = dec.len = 0;
		puts_(&dec, "");
		gen_doc(&g, &dec);
		int rc = kp_doc_parse(D, g.p, g.len);
		if (rc != 0) {
			fprintf(stderr, "iter %d: valid doc rejected: %s\n  %s\n", iter, kp_doc_errmsg(D), g.p);
			test_failures++;
			break;
		}
		CHECK(yajl_valid(g.p, g.len));
		const char *t;
		size_t n;
		CHECK_INT(kp_doc_text(D, &t, &n), 0);
		CHECK(n == dec.len && memcmp(t, dec.p, n) == 0);

		/* no edits: the line comes back as it was (minus outer whitespace) */
		const char *o;
		size_t on;
		CHECK_INT(kp_doc_serialize(D, &o, &on), 0);
		size_t b = 0, e = g.len;
		while (b < e && strchr(" \t\r\n", g.p[b]))
			b++;
		while (e > b && strchr(" \t\r\n", g.p[e - 1]))
			e--;
		CHECK(on == e - b + 1 && memcmp(o, g.p + b, e - b) == 0 && o[on - 1] == '\n');

		/* new text and a metadata member: every other member is untouched */
		size_t nf = kp_doc_nfields(D);
		const char *mraw;
		size_t mlen;
		int has_obj_meta = kp_doc_get_raw(D, "metadata", &mraw, &mlen) == 1 && mraw[0] == '{';
		int has_meta = kp_doc_get_raw(D, "metadata", &mraw, &mlen) == 1;
		struct gen nt = {.seed = (uint64_t)iter * 7 + 3}, ntdec = {0};
		puts_(&ntdec, "");
		gen_string(&nt, &ntdec);
		CHECK_INT(kp_doc_set_text(D, ntdec.p, ntdec.len), 0);
		int meta_ok = !has_meta || has_obj_meta || (mraw[0] == 'n');
		CHECK_INT(kp_doc_meta_set_int(D, "korpus_test", iter), meta_ok ? 0 : KP_EDOC);
		CHECK_INT(kp_doc_serialize(D, &o, &on), 0);
		out.len = 0;
		put(&out, o, on);
		/* keep the original fields to compare after re-parsing */
		const char *keys[64], *vals[64];
		size_t kls[64], vls[64];
		for (size_t f = 0; f < nf && f < 64; f++)
			kp_doc_field(D, f, &keys[f], &kls[f], &vals[f], &vls[f]);
		CHECK(yajl_valid(out.p, out.len - 1));
		kp_doc *d2 = kp_doc_new(0, 0);
		CHECK_INT(kp_doc_parse(d2, out.p, out.len - 1), 0);
		CHECK_INT(kp_doc_text(d2, &t, &n), 0);
		CHECK(n == ntdec.len && memcmp(t, ntdec.p, n) == 0);
		CHECK_INT(kp_doc_nfields(d2), nf + (has_meta ? 0 : 1));
		for (size_t f = 0; f < nf && f < 64; f++) {
			const char *k2, *v2;
			size_t kl2, vl2;
			kp_doc_field(d2, f, &k2, &kl2, &v2, &vl2);
			CHECK(kl2 == kls[f] && memcmp(k2, keys[f], kl2) == 0);
			int is_text = kls[f] == 4 && memcmp(keys[f], "text", 4) == 0;
			int is_meta = kls[f] == 8 && memcmp(keys[f], "metadata", 8) == 0;
			if (!is_text && !is_meta)
				CHECK(vl2 == vls[f] && memcmp(v2, vals[f], vl2) == 0);
		}
		if (meta_ok) {
			const char *mv;
			size_t ml;
			CHECK_INT(kp_doc_meta_get_raw(d2, "korpus_test", &mv, &ml), 1);
		}
		kp_doc_free(d2);
		free(nt.p);
		free(ntdec.p);
		if (test_failures) {
			fprintf(stderr, "iter %d failed:\n  %s\n  %s", iter, g.p, out.p);
			break;
		}
	}
	free(g.p);
	free(dec.p);
	free(out.p);
}

/* Mutated documents: our verdict on JSON validity matches yajl's. ASCII
 * mutations only: yajl is laxer than us about UTF-8 by design. */
static void test_differential_yajl(void)
{
	static const char alphabet[] = "{}[]\":,0123456789-+.eEtrufalsn \\/\tabcxyz";
	struct gen g = {.seed = 99};
	int disagreements = 0;
	for (int iter = 0; iter < 50000; iter++) {
		g.len = 0;
		gen_doc(&g, NULL);
		unsigned muts = 1 + rnd(&g, 3);
		for (unsigned m = 0; m < muts && g.len > 1; m++) {
			unsigned pos = rnd(&g, (unsigned)g.len);
			char c = alphabet[rnd(&g, sizeof alphabet - 1)];
			switch (rnd(&g, 3)) {
			case 0: g.p[pos] = c; break;
			case 1: memmove(g.p + pos, g.p + pos + 1, g.len - pos); g.len--; break;
			default:
				put(&g, " ", 1);
				memmove(g.p + pos + 1, g.p + pos, g.len - pos - 1);
				g.p[pos] = c;
			}
		}
		size_t b = 0;
		while (b < g.len && strchr(" \t\r\n", g.p[b]))
			b++;
		if (b >= g.len || g.p[b] != '{')
			continue; /* yajl accepts scalars and arrays at the top */
		int rc = kp_doc_parse(D, g.p, g.len);
		int ours = rc != KP_EJSON && rc != KP_EUTF8;
		int theirs = yajl_valid(g.p, g.len);
		if (ours != theirs && disagreements++ < 5)
			fprintf(stderr, "disagree (ours %d, yajl %d, %s): %.*s\n", ours, theirs, kp_doc_errmsg(D),
				(int)g.len, g.p);
	}
	CHECK_INT(disagreements, 0);
	free(g.p);
}

static void test_json_quote(void)
{
	char buf[128];
	size_t n = kp_json_quote(buf, "a\"b\\c\n\x1f\x7f\xc3\xa9", 10);
	CHECK_MEM(buf, n, "\"a\\\"b\\\\c\\n\\u001f\x7f\xc3\xa9\"");
	CHECK(kp_json_quote_bound(3) >= 20);
	CHECK_INT((long long)kp_json_quote_len("a\"b\\c\n\x1f\x7f\xc3\xa9", 10), (long long)n);
	/* the exact length, on texts of every kind of byte (invalid UTF-8, which
	 * becomes U+FFFD, included), short and past the 4 KiB where serializing
	 * uses it instead of the bound */
	static const char *const pieces[] = {"kata ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "\xc3\xa9", "\xe2\x80\x94",
					     "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xed\xa0\x80", "abcdefgh"};
	unsigned seed = 7;
	for (int round = 0; round < 200; round++) {
		size_t len = 0, want = (size_t)(round < 100 ? round * 3 : 4000 + round * 97);
		char *s = malloc(want + 16);
		while (len < want) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
			memcpy(s + len, p, strlen(p));
			len += strlen(p);
		}
		char *q = malloc(kp_json_quote_bound(len));
		size_t got = kp_json_quote(q, s, len);
		CHECK_INT((long long)kp_json_quote_len(s, len), (long long)got);
		free(q);
		free(s);
	}
}

int main(void)
{
	D = kp_doc_new(0, 0);
	test_basic();
	test_escapes();
	test_edits();
	test_invalid();
	test_repair();
	test_json_quote();
	test_roundtrip_property();
	test_differential_yajl();
	kp_doc_free(D);
	TEST_MAIN_END();
}
