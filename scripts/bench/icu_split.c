/* The peer of korpus-split in benchmarks and scripts/eval-split: ICU's
 * sentence BreakIterator (locale "id") from C, reading UTF-8 through UText
 * (no conversion to UTF-16), one paragraph at a time.
 *
 * usage: icu_split FILE   (plain UTF-8; paragraphs end at blank lines, a
 * line "=====" separates documents).  Writes one sentence per line, a blank
 * line after each paragraph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	size_t cap = 1 << 20, n = 0, got;
	char *p = malloc(cap);
	while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap && !(p = realloc(p, cap *= 2)))
			break;
	}
	fclose(f);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	*len = n;
	return p;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Split one paragraph (its lines joined as they are) and print it. */
static void split(UBreakIterator *bi, const char *p, size_t n, FILE *out)
{
	UErrorCode e = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, p, (int64_t)n, &e);
	ubrk_setUText(bi, ut, &e);
	if (U_FAILURE(e)) {
		fprintf(stderr, "ICU: %s\n", u_errorName(e));
		exit(1);
	}
	int32_t a = ubrk_first(bi), b;
	while ((b = ubrk_next(bi)) != UBRK_DONE) {
		/* UText over UTF-8 gives native (byte) indexes */
		size_t s = (size_t)a, t = (size_t)b;
		while (s < t && (p[s] == ' ' || p[s] == '\n' || p[s] == '\t'))
			s++;
		while (t > s && (p[t - 1] == ' ' || p[t - 1] == '\n' || p[t - 1] == '\t'))
			t--;
		if (t > s) {
			fwrite(p + s, 1, t - s, out);
			fputc('\n', out);
		}
		a = b;
	}
	fputc('\n', out);
	utext_close(ut);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: icu_split FILE\n");
		return 2;
	}
	size_t len;
	char *text = slurp(argv[1], &len);
	UErrorCode e = U_ZERO_ERROR;
	UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, "id", NULL, 0, &e);
	if (U_FAILURE(e)) {
		fprintf(stderr, "ICU: %s\n", u_errorName(e));
		return 1;
	}
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	size_t i = 0, para = (size_t)-1;
	while (i <= len) {
		const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
		size_t e2 = nl ? (size_t)(nl - text) : len;
		int sep = blank(text + i, e2 - i) || (e2 - i == 5 && !memcmp(text + i, "=====", 5));
		if (sep && para != (size_t)-1) {
			split(bi, text + para, i - para, stdout);
			para = (size_t)-1;
		} else if (!sep && para == (size_t)-1) {
			para = i;
		}
		if (!nl) {
			if (para != (size_t)-1)
				split(bi, text + para, len - para, stdout);
			break;
		}
		i = e2 + 1;
	}
	ubrk_close(bi);
	free(text);
	return fflush(stdout) == 0 ? 0 : 1;
}
