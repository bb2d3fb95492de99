/* The news cleaner.
 *
 * A page is read as lines.  1) Rules mark chrome lines (and cues of
 * schedule boxes); trailing runs of short lower-case lines are tag lists.
 * 2) The rest is grouped into paragraphs, rejoining the fragments of
 * paragraphs broken at every inline link.  3) The body starts at the
 * dateline (or, without one, at the first paragraph that reads as prose and
 * is not a teaser) and ends after the last paragraph that reads as a
 * sentence: what lies before and after is page header and footer, removed
 * whole, with its title, bylines and dates turned into metadata.  4) In the
 * body, inline chrome ("Baca juga: <headline>" glued into a paragraph, end
 * marks, editor codes) is cut out and the dateline moved into metadata.
 * Every pass is linear in the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"
#include "internal.h"
#include "korpus/clean.h"
#include "korpus/utf8.h"
#include "pattern_int.h"
#include "words_int.h"

/* ---- rules ------------------------------------------------------------------ */

enum scope { S_LINE, S_START, S_END, S_INLINE, S_DATELINE, S_CUE };
enum zone { Z_ANY, Z_HEAD, Z_BODY, Z_FOOT, Z_LAST };
enum {
	F_NEXT = 1, F_HEADLINE = 2, F_NOEND = 4, F_SHORT = 8, F_LINE = 16, F_SENTENCE = 32, F_BRIEF = 64,
	F_LINKS = 128, /* with F_NEXT: the lines after are a link marker's headlines */
};

/* ---- limits and thresholds --------------------------------------------------
 *
 * Every number the cleaner decides by, named once (as zstd's
 * zstd_internal.h does).  Word counts are words as features() counts them
 * (runs of non-spaces); shares are in percent.  The values were set on the
 * ~9,900 scraped articles of ten outlets the rules were written from
 * (lib/data/clean-rules.txt) and kept where the cleaning gold
 * (scripts/eval-clean) scores best; each comment says what the number
 * bounds and why it sits where it does. */

/* Rules (lib/data/clean-rules.txt). */
#define SHORT_WORDS 12       /* +short: a marker line ("Baca juga: ...") has at most this many words */
#define BRIEF_WORDS 24       /* +brief: a photo caption, at most twice a marker line */
#define CAPTION_MAX_WORDS 40 /* end+line: a longer line is prose with a credit glued to it */
/* End matches look at the last bytes only: end marks, codes and photo
 * credits are short, and this keeps them cheap on long paragraphs.  The
 * tail of an article's last paragraph (@last) can hold more: a pager with
 * two linked headlines, an editor code and its tag list. */
#define END_WINDOW 160
#define END_WINDOW_LAST 400
#define INLINE_MAX 64    /* matches of one inline rule in a paragraph, at most (a bound, never reached) */
#define TAIL_MAX 16      /* rounds of end rules: each peels one unit off the tail */
#define RULES_CAP0 64    /* first allocation of the rule array, doubled as it fills */
#define CATS_CAP0 32     /* first allocation of the category names, doubled as it fills */
#define RULE_ERR_MAX 200 /* a pattern compiler's message, at most: a line of text */
#define UTF8_MAX 4       /* bytes of one code point in UTF-8, at most */

/* +next: what follows a lone marker line (mark_next). */
#define NEXT_LINKS_MAX 3       /* +links: the headlines one "Baca juga" lists (one to three on every outlet) */
#define NEXT_LIST_MAX 12       /* the entries of another list ("Daftar Isi"): a table of contents */
#define NEXT_ITEM_MAX_WORDS 20 /* a linked headline or entry; a longer line is text */

/* Lines (pass 1). */
#define LABEL_MAX_BYTES 24  /* "Label: value": the colon within the first bytes ... */
#define LABEL_MAX_WORDS 2   /* ... after a label of one or two words ("Editor:", "Sumber foto:") */
#define COMMA_JOINED 2      /* strict comma joins that mark a page joined by commas (one may be a typo) */
#define CODE_MIN_BYTES 3    /* an end mark or editor code "(x)": its brackets and a character */
#define CODE_MAX_BYTES 16   /* ... and what stands between them, shorter than this: "(dry/din)", "(ant/rusdy)" */
#define BOX_LINE_WORDS 8    /* a line of a schedule or score box ("Pukul 16.30 WIB"), at most */
#define BOX_MIN_LINES 2     /* a box: a run of at least two such lines ... */
#define BOX_MIN_CUES 2      /* ... with at least two cues (a time, a channel, "vs") ... */
#define BOX_CUE_PERCENT 50  /* ... that are at least half its lines */
#define TAG_MAX_WORDS 6     /* a tag ("kualifikasi piala dunia 2026"), at most */
#define AUTHOR_MAX_BYTES 80 /* an author's name; a longer capture is a sentence, not a name */
#define STOP_TOKEN_MAX 40   /* a word looked up in the stopwords, in bytes (a buffer: longer never match) */
#define WORK_BUF_MAX (SIZE_MAX / 4) /* the handle's buffers: no cap of their own, the text's
                                    * (KP_CLEAN_MAX_TEXT) bounds them; this one keeps sizes from overflowing */

/* Paragraphs (pass 2). */
#define LONG_LINE_WORDS 8      /* a line of prose: whether a blank line follows such lines tells the page's layout */
#define BLANK_SEP_MIN_LINES 2  /* the long lines needed to tell it ... */
#define BLANK_SEP_PERCENT 80   /* ... and the share a blank line follows on a page of blank-line paragraphs */
#define FRAGMENT_WORDS 3       /* a link's words on a line of their own ("Palu", "(ANTARA)", "Joko Widodo") */
#define GOOD_MIN_WORDS 8       /* a body paragraph: a sentence of at least this many words ... */
#define GOOD_LONG_WORDS 20     /* ... or, without its final mark, this many ... */
#define GOOD_STOP_PERCENT 10   /* ... this share of them stopwords (names and headlines have few) */
#define SQUEEZED 100           /* a 40-byte teaser start, after a dateline at most */
#define TEASER_MIN_WORDS 6     /* a teaser (the article's lead repeated above it), at least */
#define TEASER_KEY_BYTES 40    /* the start of a teaser looked for in the paragraphs after it */
#define TEASER_LOOKAHEAD 12    /* the paragraphs after a teaser where the lead it repeats stands */

/* Where the body is (pass 3). */
#define DATELINE_PARAS 15      /* paragraphs looked at for a dateline (a page header runs to about ten) */
#define DATELINE_PROSE 1       /* paragraphs of prose passed before a dateline is no longer looked for */
#define PROSE_PARA_WORDS 12    /* a paragraph of prose: a sentence this long; a dateline opens such a one */
#define DATELINE_REST_WORDS 3  /* words after a dateline, at least: "JAKARTA -" and a name is no body */
#define DATELINE_BARE_WORDS 6  /* ... and after one without an outlet, unless they end a sentence */
#define SENTENCE_MIN_WORDS 2   /* the shortest sentence that may start or end the body */
#define END_MIN_WORDS 4        /* a sentence this long ends the body even without stopwords */
#define TITLE_NEAR 90          /* % of the longer title's letters the shorter one has */
#define PROSE_MIN_WORDS 8      /* a sentence of prose, not a headline or a label */
#define PROSE_ASK_LOWER 60     /* % of the words of a question that start lower case */
#define PROSE_SHORT_WORDS 4    /* a shorter sentence: in a period, mostly lower case */
#define PROSE_SHORT_LOWER 50

/* Header and footer (pass 4). */
#define DATE_LINE_WORDS 12     /* a date line ("Rabu, 26 Januari 2022 14:15 WIB"), at most */
#define DATE_LINE_OTHER 3      /* its words that are no date ("Diperbarui", "Kompas.com -", "Pada:"), at most */
#define SECTION_MAX_WORDS 3    /* a section label above the title ("Nasional", "Bola Dunia") ... */
#define SECTION_NEXT_WORDS 4   /* ... when a paragraph of at least this many words (the title) follows */
#define TITLE_MAX_WORDS 25     /* a title that ends like a sentence; a longer one is a lead */
#define BYLINE_MAX_WORDS 12    /* a byline of bare names */
#define NAME_MAX_WORDS 4       /* a person's name: "Muhammad Rizky Pratama Putra" */
#define BRAND_MIN_LETTERS 3    /* a word in capitals this long is a brand ("CNN"), not a name */

/* The body (pass 5). */
#define HEADLINE_MAX_TOKENS 64 /* the words after "Baca juga:" read for its headline's end */
#define HEADLINE_SCAN 30       /* a sentence-case headline's end is looked for within its first words */
#define HEADLINE_FEW_WORDS 2   /* a headline whose first lower-case word comes this early ... */
#define HEADLINE_FEW_CAPS 1    /* ... or with this many capitalised words at most is in sentence case */
#define HEADWORD_MAX 32        /* a word looked up in the headline word lists, in bytes (a buffer) */
#define ACRONYM_MIN_LETTERS 2  /* an acronym ("PGAS"): all capitals, at least two */
#define HEADLINE_SUBJECT 3     /* capitalised words looked back over for a subject noun ("Pengusaha Jack Ma") */
#define SHOUT_MAX_WORDS 4      /* boilerplate: a shouted line ("ADVERTISEMENT", "TONTON JUGA") ... */
#define SHOUT_MAX_BYTES 40     /* ... this short ... */
#define SHOUT_MIN_LETTERS 4    /* ... of this many letters at least, all capitals */
#define DATE_BODY_PARAS 3      /* body paragraphs that may state the date ("..., Rabu (4/6/2025)") */

/* Dates (find_date). */
#define YEAR_MIN 1900          /* the years of news; other four-digit numbers are no year */
#define YEAR_MAX 2100
#define YEAR_DIGITS 4
#define DM_DIGITS 2            /* a day or a month number */
#define MONTHS 12
#define MONTH_DAYS 31
#define ISO_DATE_LEN 10        /* YYYY-MM-DD */
#define DATE_WORD_MAX 16       /* a month or day name, in bytes, at most: a buffer ("nopember") */

enum cap { CAP_AUTHOR, CAP_EDITOR, CAP_SOURCE, CAP_PLACE, CAP_OUTLET, NCAPKINDS };
static const char *const cap_names[NCAPKINDS] = {"author", "editor", "source", "place", "outlet"};

typedef struct rule {
	int cat, scope, zone;
	unsigned flags;
	kp_pattern *pat;
	int cap[NCAPKINDS]; /* capture index per kind, 0 if none */
	const char *req, *suf; /* literals a match contains / ends with */
	size_t reqlen, suflen;
	size_t maxbytes; /* the longest text a match can span, in bytes */
} rule;

/* Categories produced by the detectors of this file. */
enum {
	CAT_TITLE, CAT_SECTION, CAT_TEASER, CAT_DATE, CAT_DATELINE, CAT_TAGS, CAT_SCHEDULE,
	CAT_HEADLINE, CAT_HEADER, CAT_FOOTER, CAT_BOILERPLATE, CAT_BYLINE, NBUILTIN_CATS
};
static const char *const builtin_cats[NBUILTIN_CATS] = {
	"title", "section-label", "teaser", "date", "dateline", "tags", "schedule-box",
	"baca-juga-headline", "header", "footer", "boilerplate", "byline",
};

struct kp_clean_rules {
	rule *rules;
	size_t n, cap;
	/* zone-free line, start and cue rules that can begin with a byte, in
	 * rule order: line_rule() looks only at these */
	int *bybyte[256];
	int nbybyte[256];
	int *endline; /* zone-free end+line rules */
	int nendline;
	char **cats;
	int ncats, capcats;
	kp_words stop, headw, starters, subjects;
	/* calendar: words for {month}/{day}, and month numbers; time zones */
	char **months, **days;
	int *month_num;
	size_t nmonths, ndays;
	kp_words zones;
	/* bylines: the words that join authors' names, and newsroom lines */
	char **and_words;
	size_t nand;
	kp_words team;
	kp_err err;
};

static int intern_cat(kp_clean_rules *r, const char *name, size_t n)
{
	for (int i = 0; i < r->ncats; i++)
		if (strlen(r->cats[i]) == n && memcmp(r->cats[i], name, n) == 0)
			return i;
	if (r->ncats == r->capcats) {
		int ncap = r->capcats ? r->capcats * 2 : CATS_CAP0;
		char **nc = realloc(r->cats, (size_t)ncap * sizeof *nc);
		if (!nc)
			return KP_ENOMEM;
		r->cats = nc;
		r->capcats = ncap;
	}
	if (!(r->cats[r->ncats] = strndup(name, n)))
		return KP_ENOMEM;
	return r->ncats++;
}

static const char *const *lists_cb(void *ctx, const char *name, size_t *n)
{
	kp_clean_rules *r = ctx;
	if (strcmp(name, "month") == 0) {
		*n = r->nmonths;
		return (const char *const *)r->months;
	}
	if (strcmp(name, "day") == 0) {
		*n = r->ndays;
		return (const char *const *)r->days;
	}
	return NULL;
}

static int word_is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* Parse "scope[@zone][+flag...]". */
static int parse_scope(const char *s, size_t n, rule *ru)
{
	const char *e = s + n, *p = s;
	while (p < e && *p != '@' && *p != '+')
		p++;
	static const char *const scopes[] = {"line", "start", "end", "inline", "dateline", "cue"};
	ru->scope = -1;
	for (int i = 0; i < (int)(sizeof scopes / sizeof scopes[0]); i++)
		if (word_is(s, (size_t)(p - s), scopes[i]))
			ru->scope = i;
	if (ru->scope < 0)
		return -1;
	ru->zone = Z_ANY;
	while (p < e) {
		char kind = *p++;
		const char *w = p;
		while (p < e && *p != '@' && *p != '+')
			p++;
		size_t wl = (size_t)(p - w);
		if (kind == '@') {
			static const char *const zones[] = {"any", "head", "body", "foot", "last"};
			int z = -1;
			for (int i = 0; i < (int)(sizeof zones / sizeof zones[0]); i++)
				if (word_is(w, wl, zones[i]))
					z = i;
			if (z < 0)
				return -2;
			ru->zone = z;
		} else {
			if (word_is(w, wl, "next"))
				ru->flags |= F_NEXT;
			else if (word_is(w, wl, "headline"))
				ru->flags |= F_HEADLINE;
			else if (word_is(w, wl, "noend"))
				ru->flags |= F_NOEND;
			else if (word_is(w, wl, "short"))
				ru->flags |= F_SHORT;
			else if (word_is(w, wl, "line"))
				ru->flags |= F_LINE;
			else if (word_is(w, wl, "brief"))
				ru->flags |= F_BRIEF;
			else if (word_is(w, wl, "sentence"))
				ru->flags |= F_SENTENCE;
			else if (word_is(w, wl, "links"))
				ru->flags |= F_LINKS;
			else
				return -3;
		}
	}
	return 0;
}

static void free_dispatch(kp_clean_rules *r)
{
	free(r->endline);
	r->endline = NULL;
	r->nendline = 0;
	for (int b = 0; b < 256; b++) {
		free(r->bybyte[b]);
		r->bybyte[b] = NULL;
		r->nbybyte[b] = 0;
	}
}

/* Rebuild the per-first-byte lists after the rules changed. */
static int build_dispatch(kp_clean_rules *r)
{
	free_dispatch(r);
	if (!(r->endline = malloc((r->n ? r->n : 1) * sizeof(int))))
		return KP_ENOMEM;
	for (size_t k = 0; k < r->n; k++)
		if (r->rules[k].zone == Z_ANY && r->rules[k].scope == S_END && (r->rules[k].flags & F_LINE))
			r->endline[r->nendline++] = (int)k;
	for (int b = 0; b < 256; b++) {
		if (!(r->bybyte[b] = malloc((r->n ? r->n : 1) * sizeof(int))))
			return KP_ENOMEM;
		for (size_t k = 0; k < r->n; k++) {
			const rule *ru = &r->rules[k];
			if (ru->zone == Z_ANY && (ru->scope == S_LINE || ru->scope == S_START || ru->scope == S_CUE) &&
			    kp_pattern_can_start(ru->pat, (unsigned char)b))
				r->bybyte[b][r->nbybyte[b]++] = (int)k;
		}
	}
	return 0;
}

int kp_clean_rules_add(kp_clean_rules *r, const char *text, size_t len, const char *name)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *f[2];
		size_t fl[2];
		const char *q = line, *e = line + ll;
		for (int k = 0; k < 2; k++) { /* two words, then the pattern */
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			f[k] = q;
			while (q < e && *q != ' ' && *q != '\t')
				q++;
			fl[k] = (size_t)(q - f[k]);
		}
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (!fl[0] || !fl[1] || q == e)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: expected CATEGORY SCOPE PATTERN", name, lineno);
		rule ru = {0};
		int rc = parse_scope(f[1], fl[1], &ru);
		if (rc < 0)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: bad scope '%.*s'", name, lineno, (int)fl[1], f[1]);
		char err[RULE_ERR_MAX];
		ru.pat = kp_pattern_compile(q, (size_t)(e - q), lists_cb, r, err, sizeof err);
		if (!ru.pat)
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: %s", name, lineno, err);
		for (int i = 1; i <= kp_pattern_ncaps(ru.pat); i++) {
			int known = 0;
			for (int k = 0; k < NCAPKINDS; k++)
				if (strcmp(kp_pattern_capname(ru.pat, i), cap_names[k]) == 0) {
					ru.cap[k] = i;
					known = 1;
				}
			if (!known) {
				int bad = kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: unknown capture <%s:...>", name, lineno,
						     kp_pattern_capname(ru.pat, i));
				kp_pattern_free(ru.pat);
				return bad;
			}
		}
		if (ru.scope == S_END && (ru.flags & F_LINE) && kp_pattern_ncaps(ru.pat)) {
			kp_pattern_free(ru.pat);
			return kp_err_set(&r->err, KP_EFORMAT, "%s:%zu: end+line rules cannot capture", name, lineno);
		}
		ru.req = kp_pattern_required(ru.pat, &ru.reqlen);
		ru.suf = kp_pattern_suffix(ru.pat, &ru.suflen);
		size_t ml = kp_pattern_maxlen(ru.pat);
		ru.maxbytes = ml > SIZE_MAX / UTF8_MAX ? SIZE_MAX : ml * UTF8_MAX;
		if ((ru.cat = intern_cat(r, f[0], fl[0])) < 0 || (r->n == r->cap && !(r->cap = r->cap ? r->cap * 2 : RULES_CAP0))) {
			kp_pattern_free(ru.pat);
			return kp_err_set(&r->err, KP_ENOMEM, "out of memory");
		}
		rule *nr = realloc(r->rules, r->cap * sizeof *nr);
		if (!nr) {
			kp_pattern_free(ru.pat);
			return kp_err_set(&r->err, KP_ENOMEM, "out of memory");
		}
		r->rules = nr;
		r->rules[r->n++] = ru;
	}
	return build_dispatch(r) < 0 ? kp_err_set(&r->err, KP_ENOMEM, "out of memory") : 0;
}

void kp_clean_rules_clear(kp_clean_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		kp_pattern_free(r->rules[i].pat);
	r->n = 0;
	(void)build_dispatch(r);
}

static int load_words(kp_words *w, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno))
		if (kp_words_add(w, line, ll) < 0)
			return KP_ENOMEM;
	return 0;
}

static int push_word(char ***arr, size_t *n, const char *s, size_t len)
{
	char **na = realloc(*arr, (*n + 2) * sizeof *na);
	if (!na)
		return KP_ENOMEM;
	*arr = na;
	if (!(na[*n] = strndup(s, len)))
		return KP_ENOMEM;
	na[++*n] = NULL;
	return 0;
}

static int load_calendar(kp_clean_rules *r)
{
	const char *p = kp_data_calendar_id, *end = p + kp_data_calendar_id_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *q = line, *e = line + ll;
		while (q < e && *q != ' ')
			q++;
		int is_month = word_is(line, (size_t)(q - line), "month");
		int is_zone = word_is(line, (size_t)(q - line), "zone");
		int num = 0;
		if (is_month)
			num = (int)strtol(q, (char **)(uintptr_t)&q, 10);
		while (q < e) {
			while (q < e && *q == ' ')
				q++;
			const char *w = q;
			while (q < e && *q != ' ')
				q++;
			if (q == w)
				break;
			if (is_zone) {
				if (kp_words_add(&r->zones, w, (size_t)(q - w)) < 0)
					return KP_ENOMEM;
			} else if (is_month) {
				if (push_word(&r->months, &r->nmonths, w, (size_t)(q - w)) < 0)
					return KP_ENOMEM;
				int *nm = realloc(r->month_num, r->nmonths * sizeof *nm);
				if (!nm)
					return KP_ENOMEM;
				r->month_num = nm;
				nm[r->nmonths - 1] = num;
			} else if (push_word(&r->days, &r->ndays, w, (size_t)(q - w)) < 0) {
				return KP_ENOMEM;
			}
		}
	}
	return 0;
}

/* lib/data/bylines-id.txt: "and WORD" and "team PHRASE" lines. */
static int load_bylines(kp_clean_rules *r)
{
	const char *p = kp_data_bylines_id, *end = p + kp_data_bylines_id_len, *line;
	size_t ll, lineno = 0;
	while (kp_data_next_line(&p, end, &line, &ll, &lineno)) {
		const char *q = memchr(line, ' ', ll), *e = line + ll;
		if (!q)
			continue;
		size_t kl = (size_t)(q - line);
		while (q < e && *q == ' ')
			q++;
		if (word_is(line, kl, "and") && push_word(&r->and_words, &r->nand, q, (size_t)(e - q)) < 0)
			return KP_ENOMEM;
		if (word_is(line, kl, "team") && kp_words_add(&r->team, q, (size_t)(e - q)) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

const char *kp_clean_rules_builtin(size_t *len)
{
	*len = kp_data_clean_rules_len;
	return kp_data_clean_rules;
}

kp_clean_rules *kp_clean_rules_new(void)
{
	kp_clean_rules *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	int ok = 1;
	for (int i = 0; i < NBUILTIN_CATS && ok; i++)
		ok = intern_cat(r, builtin_cats[i], strlen(builtin_cats[i])) == i;
	ok = ok && load_calendar(r) == 0 && load_bylines(r) == 0 && load_words(&r->stop, kp_data_stopwords_id, kp_data_stopwords_id_len) == 0 &&
	     load_words(&r->headw, kp_data_headline_words_id, kp_data_headline_words_id_len) == 0 &&
	     load_words(&r->starters, kp_data_sentence_starters_id, kp_data_sentence_starters_id_len) == 0 &&
	     load_words(&r->subjects, kp_data_subject_nouns_id, kp_data_subject_nouns_id_len) == 0 &&
	     kp_clean_rules_add(r, kp_data_clean_rules, kp_data_clean_rules_len, "clean-rules.txt") == 0;
	if (!ok) {
		kp_clean_rules_free(r);
		return NULL;
	}
	return r;
}

void kp_clean_rules_free(kp_clean_rules *r)
{
	if (!r)
		return;
	kp_clean_rules_clear(r);
	free_dispatch(r);
	free(r->rules);
	for (int i = 0; i < r->ncats; i++)
		free(r->cats[i]);
	free(r->cats);
	kp_words_free(&r->stop);
	kp_words_free(&r->headw);
	kp_words_free(&r->starters);
	kp_words_free(&r->subjects);
	kp_words_free(&r->zones);
	kp_words_free(&r->team);
	for (size_t i = 0; i < r->nand; i++)
		free(r->and_words[i]);
	free(r->and_words);
	for (size_t i = 0; i < r->nmonths; i++)
		free(r->months[i]);
	for (size_t i = 0; i < r->ndays; i++)
		free(r->days[i]);
	free(r->months);
	free(r->days);
	free(r->month_num);
	free(r);
}

const char *kp_clean_rules_errmsg(const kp_clean_rules *r)
{
	return r->err.msg;
}

int kp_clean_ncategories(const kp_clean_rules *r)
{
	return r->ncats;
}

const char *kp_clean_category(const kp_clean_rules *r, int i)
{
	return i >= 0 && i < r->ncats ? r->cats[i] : "?";
}

/* ---- one document ------------------------------------------------------------ */

/* Per line and per paragraph records are kept small (offsets of 32 bits:
 * texts are under KP_CLEAN_MAX_TEXT): a document of one-character lines
 * has as many records as bytes, and their size bounds clean's memory. */
typedef struct cline {
	uint32_t beg, end; /* the line without surrounding spaces */
	int words, letters, uppers;
	uint32_t ns;       /* bytes that are not spaces */
	int rule;          /* the rule that removed it, or -1 */
	int16_t cat;       /* removed whole: category; -1 if not */
	char first;        /* 'l' lower-case letter, 'u' upper-case, 'd' digit, 'p' other */
	char term;         /* ends like a sentence (. ! ? …), end marks aside */
	char cont;         /* ends with , ; : or a dash: the text goes on */
	char last_lower;   /* the last word starts with a lower-case letter */
	char field;        /* "Label: value" (a credit line): never part of a paragraph */
	char cue;          /* a schedule-box cue */
	char blank;        /* blank: 1 one blank line, 2 a run of them (one record) */
	char hard;         /* after a comma join (JOIN_STRICT, JOIN_LOOSE): see comma_join */
} cline;

typedef struct cpara {
	int first, last;   /* its lines */
	uint32_t off, len; /* joined text in c->ptext */
	int words, stop, letters, uppers;
	uint32_t ns;
	uint32_t sq_off, sq_len; /* its first bytes with spaces squeezed, in c->squeezed */
	int rule;                /* the rule that removed it, or -1 */
	int16_t cat;             /* removed whole: category; -1 kept */
	signed char is_teaser;   /* -1 unknown */
	char term, first_kind;
	char zone;
	char glue;               /* opens after a loose comma join: see comma_join */
} cpara;

/* sq_len of a paragraph not squeezed yet */
#define SQ_NONE UINT32_MAX

typedef struct removal {
	uint32_t pos; /* where in the page, for ordering */
	int cat;
	uint32_t off, len; /* text in c->rtext */
} removal;

struct kp_clean {
	const kp_clean_rules *r;
	unsigned flags;
	kp_pvm *vm;
	const char *text;
	size_t len;
	kp_buf lines, paras, ptext, lower, out, rtext, rems, meta, work, work2, squeezed;
	kp_buf lowtext, lowp; /* the page and the paragraphs in ASCII lower case */
	kp_buf title;         /* the document's own title, folded (see title_key); empty if none */
	size_t field_off[KP_CLEAN_NFIELDS], field_len[KP_CLEAN_NFIELDS];
	int has_field[KP_CLEAN_NFIELDS];
	kp_buf authors; /* size_t pairs into meta */
	int body_start, body_end;
	size_t dl_end; /* end of the dateline in the first body paragraph, 0 if none */
	int comma;     /* the page's paragraphs are joined by commas: see comma_join */
	uint64_t *counts; /* removals per category ... */
	int ncounts;      /* ... of the first ncounts: rules added later grow it (kp_clean_run) */
};

#define LINES(c) ((cline *)(void *)(c)->lines.p)
#define NLINES(c) ((int)((c)->lines.len / sizeof(cline)))
#define PARAS(c) ((cpara *)(void *)(c)->paras.p)
#define NPARAS(c) ((int)((c)->paras.len / sizeof(cpara)))

kp_clean *kp_clean_new(const kp_clean_rules *r, unsigned flags)
{
	kp_clean *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->r = r;
	c->flags = flags;
	c->vm = kp_pvm_new();
	c->counts = calloc((size_t)r->ncats, sizeof *c->counts);
	c->ncounts = r->ncats;
	kp_buf *bufs[] = {&c->lines, &c->paras, &c->ptext, &c->lower, &c->out, &c->rtext,
			  &c->rems, &c->meta, &c->work, &c->work2, &c->authors, &c->squeezed, &c->lowtext, &c->lowp, &c->title};
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		kp_buf_init(bufs[i], WORK_BUF_MAX);
	if (!c->vm || !c->counts) {
		kp_clean_free(c);
		return NULL;
	}
	return c;
}

void kp_clean_free(kp_clean *c)
{
	if (!c)
		return;
	kp_buf *bufs[] = {&c->lines, &c->paras, &c->ptext, &c->lower, &c->out, &c->rtext,
			  &c->rems, &c->meta, &c->work, &c->work2, &c->authors, &c->squeezed, &c->lowtext, &c->lowp, &c->title};
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		kp_buf_free(bufs[i]);
	kp_pvm_free(c->vm);
	free(c->counts);
	free(c);
}

uint64_t kp_clean_count(const kp_clean *c, int category)
{
	return category >= 0 && category < c->ncounts ? c->counts[category] : 0;
}

/* ---- text helpers ---- */

static inline int32_t cp_at(const char *s, size_t n, size_t i, size_t *k)
{
	if ((unsigned char)s[i] < 0x80) {
		*k = 1;
		return (unsigned char)s[i];
	}
	int32_t cp;
	*k = kp_utf8_decode(s + i, n - i, &cp);
	return cp < 0 ? 0xFFFD : cp;
}

static inline int is_space(int32_t c)
{
	return c < 0x80 ? c == ' ' || c == '\t' || c == '\n' || c == '\r' : kp_is_space_cp(c);
}

/* The code point ending at s[n] (n > 0) and its length. */
static int32_t cp_before(const char *s, size_t n, size_t *k)
{
	if ((unsigned char)s[n - 1] < 0x80) {
		*k = 1;
		return (unsigned char)s[n - 1];
	}
	size_t i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && n - i < UTF8_MAX)
		i--;
	*k = n - i;
	return cp_at(s, n, i, k);
}

static void trim(const char *s, size_t *b, size_t *e)
{
	size_t k;
	while (*b < *e && is_space(cp_at(s, *e, *b, &k)))
		*b += k;
	while (*e > *b && is_space(cp_before(s, *e, &k)))
		*e -= k;
}

static int is_closer(int32_t c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB ||
	       /* the Windows-1252 mojibake of ” and ’: "â€\x9d", "â€™" */
	       (c >= 0x80 && c <= 0x9F) || c == 0x20AC || c == 0xE2 || c == 0x2122;
}

static int is_opener(int32_t c)
{
	return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x201C || c == 0x2018 || c == 0xAB;
}

/* Length of a trailing end mark or editor code "(…)" without spaces. */
static size_t trailing_code(const char *s, size_t n)
{
	if (n < CODE_MIN_BYTES || s[n - 1] != ')')
		return 0;
	size_t i = n - 1;
	while (i > 0 && s[i - 1] != '(' && s[i - 1] != ' ' && n - i < CODE_MAX_BYTES)
		i--;
	if (i == 0 || s[i - 1] != '(')
		return 0;
	return n - (i - 1);
}

/* The last code point of s[0, n) that is text: closing quotes and brackets
 * looked through, and what a scraper leaves after the end (the commas of
 * joined paragraphs, a Mac-Roman no-break space "¬†"); 0 if none.  Its
 * offset in *at. */
static int32_t final_char(const char *s, size_t n, size_t *at)
{
	size_t k;
	while (n) {
		int32_t c = cp_before(s, n, &k);
		if (!(is_closer(c) || c == ',' || c == 0xAC || c == 0x2020 || is_space(c))) {
			*at = n - k;
			return c;
		}
		n -= k;
	}
	return 0;
}

/* Does s[0..n) end like a sentence?  A trailing "(*)"-style code is looked
 * through too. */
static int ends_sentence(const char *s, size_t n)
{
	size_t code = trailing_code(s, n), at;
	if (code && code < n) {
		n -= code;
		while (n && s[n - 1] == ' ')
			n--;
	}
	int32_t c = final_char(s, n, &at);
	return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

/* Does s end in a period (not an ellipsis)? */
static int ends_with_period(const char *s, size_t n)
{
	size_t at;
	return final_char(s, n, &at) == '.' && !(at >= 2 && s[at - 1] == '.' && s[at - 2] == '.');
}

/* ASCII byte classes for the feature scan. */
enum { B_SPACE = 1, B_UPPER = 2, B_LOWER = 4, B_DIGIT = 8 };
static const unsigned char bclass[128] = {
	['\t'] = B_SPACE, ['\n'] = B_SPACE, ['\r'] = B_SPACE, [' '] = B_SPACE,
	['0'] = B_DIGIT, ['1'] = B_DIGIT, ['2'] = B_DIGIT, ['3'] = B_DIGIT, ['4'] = B_DIGIT,
	['5'] = B_DIGIT, ['6'] = B_DIGIT, ['7'] = B_DIGIT, ['8'] = B_DIGIT, ['9'] = B_DIGIT,
#define U(x) [x] = B_UPPER, [x + 32] = B_LOWER
	U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'), U('H'), U('I'), U('J'), U('K'), U('L'), U('M'),
	U('N'), U('O'), U('P'), U('Q'), U('R'), U('S'), U('T'), U('U'), U('V'), U('W'), U('X'), U('Y'), U('Z'),
#undef U
};

/* The class bits of the code point at s[i] (length in *k). */
static inline unsigned classify_at(const char *s, size_t n, size_t i, size_t *k)
{
	unsigned char b = (unsigned char)s[i];
	if (b < 0x80) {
		*k = 1;
		return bclass[b];
	}
	int32_t c = cp_at(s, n, i, k);
	if (kp_is_space_cp(c))
		return B_SPACE;
	return kp_is_upper_cp(c) ? B_UPPER : kp_is_letter_cp(c) ? B_LOWER : 0;
}

/* Word features of s[0..n): words, stopwords (when stop is not NULL),
 * letters, upper-case letters, the kind of the first letter-or-digit, and
 * the bytes that are not spaces.  One pass, a word at a time; ASCII goes
 * through a table. */
static void features(const kp_clean_rules *r, const char *s, size_t n, int *words, int *stop, int *letters,
		     int *uppers, char *first, size_t *nsbytes)
{
	int w = 0, st = 0, le = 0, up = 0;
	size_t ns = 0, i = 0, k;
	char f = 0, tok[STOP_TOKEN_MAX];
	size_t maxtok = r->stop.maxlen < sizeof tok ? r->stop.maxlen : sizeof tok - 1;
	while (i < n) {
		unsigned cl = classify_at(s, n, i, &k);
		if (cl & B_SPACE) {
			i += k;
			continue;
		}
		/* a word */
		size_t tl = 0;
		int alnum = 0, fits = 1;
		while (i < n) {
			cl = classify_at(s, n, i, &k);
			if (cl & B_SPACE)
				break;
			ns += k;
			if (cl) {
				alnum = 1;
				if (!f)
					f = (cl & B_UPPER) ? 'u' : (cl & B_LOWER) ? 'l' : 'd';
				le += !(cl & B_DIGIT);
				up += !!(cl & B_UPPER);
				if (k == 1 && fits) {
					if (tl < maxtok)
						tok[tl++] = (char)(s[i] | ((cl & B_UPPER) ? 32 : 0));
					else
						fits = 0;
				}
			}
			i += k;
		}
		w++;
		if (!f && !alnum && w == 1)
			f = 'p';
		if (stop && fits && tl && kp_words_has(&r->stop, tok, tl))
			st++;
	}
	*words = w;
	if (stop)
		*stop = st;
	*letters = le;
	*uppers = up;
	*first = f ? f : 'p';
	*nsbytes = ns;
}

static void lower_ascii(kp_buf *b, const char *s, size_t n)
{
	b->len = 0;
	if (kp_buf_reserve(b, n + 1) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		b->p[i] = (char)(ch | ((unsigned)(ch - 'A') < 26u) << 5); /* branch-free ASCII lower case */
	}
	b->len = n;
	b->p[n] = '\0';
}

static int contains(const char *hay, size_t n, const char *needle, size_t k)
{
	if (k == 0)
		return 1;
	for (const char *p = hay, *e = hay + n; (p = memchr(p, needle[0], (size_t)(e - p))); p++)
		if ((size_t)(e - p) >= k && memcmp(p, needle, k) == 0)
			return 1;
	return 0;
}

/* Try rule ru on s[0..n) (lower holds its ASCII-folded copy); 1 on a match. */
static int try_rule(kp_clean *c, const rule *ru, const char *s, size_t n, size_t ns, const char *lower, int words,
		    int term, int mode, kp_pmatch *m)
{
	if (!n)
		return 0;
	if (mode != KP_MATCH_ANY && mode != KP_MATCH_END &&
	    (!kp_pattern_can_start(ru->pat, (unsigned char)lower[0]) ||
	     (n > 1 && !kp_pattern_can_start2(ru->pat, (unsigned char)lower[0], (unsigned char)lower[1]))))
		return 0;
	if (ru->reqlen && !contains(lower, n, ru->req, ru->reqlen))
		return 0;
	if ((mode == KP_MATCH_FULL || mode == KP_MATCH_END) && ru->suflen &&
	    (n < ru->suflen || memcmp(lower + n - ru->suflen, ru->suf, ru->suflen) != 0))
		return 0;
	if (((ru->flags & F_NOEND) && term) || ((ru->flags & F_SHORT) && words > SHORT_WORDS) ||
	    ((ru->flags & F_BRIEF) && words > BRIEF_WORDS))
		return 0;
	if (mode == KP_MATCH_FULL && ns > ru->maxbytes)
		return 0;
	size_t window = ru->zone == Z_LAST ? END_WINDOW_LAST : END_WINDOW;
	if (mode == KP_MATCH_END && n > window) {
		size_t off = n - window;
		while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
			off++; /* a code point boundary */
		if (!m)
			return kp_pattern_test(ru->pat, s + off, n - off, mode, c->vm) > 0;
		int got = kp_pattern_match(ru->pat, s + off, n - off, mode, c->vm, m) > 0;
		if (got) {
			m->beg += off;
			m->end += off;
			for (int i = 0; i < KP_PATTERN_MAXCAP; i++)
				if (m->cap[i][0] != SIZE_MAX) {
					m->cap[i][0] += off;
					m->cap[i][1] += off;
				}
		}
		return got;
	}
	/* the capture-free test first: most tries fail, and it is much cheaper */
	if (kp_pattern_test(ru->pat, s, n, mode, c->vm) <= 0)
		return 0;
	return !m || kp_pattern_match(ru->pat, s, n, mode, c->vm, m) > 0;
}

static int line_mode(int scope)
{
	return scope == S_LINE || scope == S_CUE ? KP_MATCH_FULL : KP_MATCH_START;
}

/* ---- metadata ---- */

static int set_field(kp_clean *c, int field, const char *s, size_t n)
{
	size_t b = 0, e = n;
	trim(s, &b, &e);
	while (e > b && (s[e - 1] == ',' || s[e - 1] == '|' || s[e - 1] == ';'))
		e--;
	if (e == b || c->has_field[field])
		return 0;
	c->field_off[field] = c->meta.len;
	c->field_len[field] = e - b;
	c->has_field[field] = 1;
	int rc = kp_buf_add(&c->meta, s + b, e - b);
	return rc < 0 ? rc : kp_buf_addc(&c->meta, '\0');
}

static int add_author(kp_clean *c, const char *s, size_t n)
{
	size_t b = 0, e = n;
	trim(s, &b, &e);
	while (e > b && (s[e - 1] == ',' || s[e - 1] == '.'))
		e--;
	if (e == b || e - b > AUTHOR_MAX_BYTES)
		return 0;
	const size_t *a = (const size_t *)(const void *)c->authors.p;
	for (size_t i = 0; i < c->authors.len / (2 * sizeof(size_t)); i++) /* once each */
		if (a[2 * i + 1] == e - b && memcmp(c->meta.p + a[2 * i], s + b, e - b) == 0)
			return 0;
	size_t pair[2] = {c->meta.len, e - b};
	int rc = kp_buf_add(&c->meta, s + b, e - b);
	if (rc >= 0)
		rc = kp_buf_addc(&c->meta, '\0');
	return rc < 0 ? rc : kp_buf_add(&c->authors, pair, sizeof pair);
}

/* Length of a word that joins two names (" dan ", spaces included) at
 * s[i], or 0. */
static size_t and_at(const kp_clean_rules *r, const char *s, size_t n, size_t i)
{
	if (s[i] != ' ')
		return 0;
	for (size_t k = 0; k < r->nand; k++) {
		size_t wl = strlen(r->and_words[k]);
		if (i + wl + 2 <= n && memcmp(s + i + 1, r->and_words[k], wl) == 0 && s[i + 1 + wl] == ' ')
			return wl + 2;
	}
	return 0;
}

/* Authors are separated by commas, '&' or a joining word (bylines-id.txt). */
static int add_authors(kp_clean *c, const char *s, size_t n)
{
	size_t i = 0, start = 0;
	int rc = 0;
	while (i <= n && rc >= 0) {
		size_t sep = 0;
		if (i == n)
			sep = 1;
		else if (s[i] == ',' || s[i] == '&')
			sep = 1;
		else
			sep = and_at(c->r, s, n, i);
		if (sep) {
			rc = add_author(c, s + start, i - start);
			i += sep;
			start = i;
		} else {
			i++;
		}
	}
	return rc;
}

static int take_captures(kp_clean *c, const rule *ru, const char *s, const kp_pmatch *m)
{
	int rc = 0;
	for (int k = 0; k < NCAPKINDS && rc >= 0; k++) {
		int ci = ru->cap[k];
		if (!ci || m->cap[ci][0] == SIZE_MAX)
			continue;
		const char *v = s + m->cap[ci][0];
		size_t vl = m->cap[ci][1] - m->cap[ci][0];
		switch (k) {
		case CAP_AUTHOR: rc = add_authors(c, v, vl); break;
		case CAP_EDITOR: rc = set_field(c, KP_CLEAN_EDITOR, v, vl); break;
		case CAP_SOURCE: rc = set_field(c, KP_CLEAN_SOURCE, v, vl); break;
		case CAP_PLACE: rc = set_field(c, KP_CLEAN_PLACE, v, vl); break;
		case CAP_OUTLET: rc = set_field(c, KP_CLEAN_OUTLET, v, vl); break;
		}
	}
	return rc;
}

static int month_of(const kp_clean_rules *r, const char *w, size_t n)
{
	for (size_t i = 0; i < r->nmonths; i++)
		if (strlen(r->months[i]) == n && memcmp(r->months[i], w, n) == 0)
			return r->month_num[i];
	return 0;
}

/* The first date in s: "26 Januari 2022", "08 Jan 2025", "4/6/2025",
 * "2025-06-04".  Writes YYYY-MM-DD into iso (11 bytes); 1 if found. */
static int find_date(const kp_clean_rules *r, const char *s, size_t n, char *iso)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] >= '0' && s[i] <= '9' && (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9'))) {
			long a = 0, b = 0, y = 0;
			size_t j = i, da = 0;
			while (j < n && s[j] >= '0' && s[j] <= '9' && da < YEAR_DIGITS + 1)
				a = a * 10 + (s[j++] - '0'), da++;
			if (da == YEAR_DIGITS && j + 5 < n + 1 && j < n && s[j] == '-') { /* YYYY-MM-DD */
				y = a;
				size_t q = j + 1, d2 = 0;
				while (q < n && s[q] >= '0' && s[q] <= '9' && d2 < DM_DIGITS + 1)
					b = b * 10 + (s[q++] - '0'), d2++;
				long dd = 0;
				size_t d3 = 0;
				if (q < n && s[q] == '-')
					for (q++; q < n && s[q] >= '0' && s[q] <= '9' && d3 < DM_DIGITS + 1; q++)
						dd = dd * 10 + (s[q] - '0'), d3++;
				if (d2 && d3 && b >= 1 && b <= MONTHS && dd >= 1 && dd <= MONTH_DAYS && y >= YEAR_MIN && y <= YEAR_MAX) {
					snprintf(iso, ISO_DATE_LEN + 1, "%04ld-%02ld-%02ld", y, b, dd);
					return 1;
				}
			} else if (da <= DM_DIGITS && a >= 1 && a <= MONTH_DAYS) {
				if (j < n && s[j] == '/') { /* D/M/YYYY */
					size_t q = j + 1, d2 = 0, d3 = 0;
					while (q < n && s[q] >= '0' && s[q] <= '9' && d2 < DM_DIGITS + 1)
						b = b * 10 + (s[q++] - '0'), d2++;
					if (q < n && s[q] == '/')
						for (q++; q < n && s[q] >= '0' && s[q] <= '9' && d3 < YEAR_DIGITS + 1; q++)
							y = y * 10 + (s[q] - '0'), d3++;
					if (d2 && d3 == YEAR_DIGITS && b >= 1 && b <= MONTHS && y >= YEAR_MIN && y <= YEAR_MAX) {
						snprintf(iso, ISO_DATE_LEN + 1, "%04ld-%02ld-%02ld", y, b, a);
						return 1;
					}
				} else if (j < n && s[j] == ' ') { /* D Month YYYY */
					size_t q = j + 1, w = q;
					char word[DATE_WORD_MAX];
					size_t wl = 0;
					while (q < n && ((s[q] | 32) >= 'a' && (s[q] | 32) <= 'z') && wl < sizeof word - 1)
						word[wl++] = (char)(s[q++] | 32);
					int mon = q > w ? month_of(r, word, wl) : 0;
					if (mon && q < n && (s[q] == ' ' || s[q] == ',')) {
						while (q < n && (s[q] == ' ' || s[q] == ','))
							q++;
						size_t d3 = 0;
						for (; q < n && s[q] >= '0' && s[q] <= '9' && d3 < YEAR_DIGITS + 1; q++)
							y = y * 10 + (s[q] - '0'), d3++;
						if (d3 == YEAR_DIGITS && y >= YEAR_MIN && y <= YEAR_MAX) {
							snprintf(iso, ISO_DATE_LEN + 1, "%04ld-%02d-%02ld", y, mon, a);
							return 1;
						}
					}
				}
			}
			i = j;
			continue;
		}
		i++;
	}
	return 0;
}

static int is_date_word(const kp_clean_rules *r, const char *w, size_t n)
{
	char low[DATE_WORD_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof low - 1; i++)
		if (w[i] != ',' && w[i] != '(' && w[i] != ')')
			low[k++] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	if (k == 0 || (low[0] >= '0' && low[0] <= '9'))
		return 1; /* numbers, 26/1/2022, 14:15 */
	if (month_of(r, low, k))
		return 1;
	for (size_t i = 0; i < r->ndays; i++)
		if (strlen(r->days[i]) == k && memcmp(r->days[i], low, k) == 0)
			return 1;
	return kp_words_has(&r->zones, low, k) || (k == 1 && (low[0] == '-' || low[0] == '|'));
}

/* A date line: a date, and at most three other words ("Diperbarui",
 * "Kompas.com -", "Pada:"); a title that names a date is not one. */
static int date_line(const kp_clean_rules *r, const char *s, size_t n, char *iso)
{
	if (!find_date(r, s, n, iso))
		return 0;
	int other = 0;
	size_t i = 0;
	while (i < n && other <= DATE_LINE_OTHER) {
		while (i < n && s[i] == ' ')
			i++;
		size_t b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i > b && !is_date_word(r, s + b, i - b))
			other++;
	}
	return other <= DATE_LINE_OTHER;
}

/* ---- removals ---- */

static int removed(kp_clean *c, size_t pos, int cat, const char *s, size_t n)
{
	size_t b = 0, e = n;
	trim(s, &b, &e);
	if (b == e)
		return 0;
	removal rm = {.pos = (uint32_t)pos, .cat = cat, .off = (uint32_t)c->rtext.len, .len = (uint32_t)(e - b)};
	c->counts[cat]++;
	int rc = kp_buf_add(&c->rtext, s + b, e - b);
	return rc < 0 ? rc : kp_buf_add(&c->rems, &rm, sizeof rm);
}

static int cmp_removal(const void *a, const void *b)
{
	const removal *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static size_t count_words(const char *s, size_t n)
{
	size_t w = 0, i = 0, k;
	while (i < n) {
		while (i < n && is_space(cp_at(s, n, i, &k)))
			i += k;
		if (i >= n)
			break;
		w++;
		while (i < n && !is_space(cp_at(s, n, i, &k)))
			i += k;
	}
	return w;
}

/* ---- pass 1: lines, rules, boxes, tags ---- */

/* Paragraphs joined by commas: some scrapers store an article's paragraphs as
 * one line, the list joined with "," ("... kata dia.,Sementara itu ...",
 * "(16/10).,,Berdasarkan ...").  A comma run at [a, b) of line s[0, n) with
 * no space after it is such a join: strictly when it follows the end of a
 * sentence and a capital or an opening quote follows; loosely (in a page
 * known to be joined so) after anything but a space, except inside a number
 * ("2,5"), after initials ("S.H.,M.H.") and between two lower-case words. */
/* Length of the quotation mark at s[i] (0 if none): " ' ” ’ “, or the
 * Mac-Roman mojibake of a curly one ("‚Äù", "‚Äú"), which clean sees
 * before norm repairs it. */
static size_t quote_at(const char *s, size_t n, size_t i)
{
	size_t k, k2, k3;
	int32_t c = cp_at(s, n, i, &k);
	if (c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2019)
		return k;
	if (c == 0x201A && i + k < n && cp_at(s, n, i + k, &k2) == 0xC4 && i + k + k2 < n) {
		cp_at(s, n, i + k + k2, &k3);
		return k + k2 + k3;
	}
	return 0;
}

/* Paragraphs joined by commas: some scrapers store an article's paragraphs as
 * one line, the list joined with "," ("... kata dia.,Sementara itu ...",
 * "(16/10).,,Berdasarkan ...").  A comma run at [a, b) of line s[0, n) with
 * no space after it is such a join: JOIN_STRICT when it follows the end of a
 * sentence and a capital or an opening quote follows; JOIN_LOOSE (looked
 * for in a page known to be joined so) after a capital, a number or a
 * closing bracket (a lower-case word only before a label) and before a capital, a number, a quotation, a hashtag or a
 * bracket; never inside a number ("2,5"), after initials ("S.H.,M.H."),
 * before a lower-case word (a sentence goes on where a link was lost) or
 * before a closing quote. */
enum { JOIN_NONE, JOIN_STRICT, JOIN_LOOSE };

static int comma_join(const char *s, size_t n, size_t a, size_t b, int loose)
{
	size_t k, kb;
	if (a == 0 || b >= n)
		return JOIN_NONE;
	while (a > 0 && is_space(cp_before(s, a, &kb)))
		a -= kb; /* spaces before the commas: "... Sukothai FC.  ,Saksikan" */
	if (a == 0)
		return JOIN_NONE;
	int32_t next = cp_at(s, n, b, &k), prev = cp_before(s, a, &kb);
	if (is_space(next))
		return JOIN_NONE;
	if (prev == '.' && a - kb > 0) {
		size_t kk, at = a - kb;
		int32_t before = cp_before(s, at, &kk);
		if (kp_is_upper_cp(before) && (at == kk || s[at - kk - 1] == '.' || is_space(cp_before(s, at - kk, &k))))
			return JOIN_NONE; /* initials and titles: "S.H.,M.H.", "K.,A" */
	}
	size_t q = quote_at(s, n, b);
	int32_t after = b + q < n ? cp_at(s, n, b + q, &k) : ' ';
	if (q && (is_space(after) || after == ',' || after == '.'))
		return JOIN_NONE; /* a quotation closing: "... Malaysia," ucap Simon */
	int ends = prev == '.' || prev == '!' || prev == '?' || prev == 0x2026 || prev == '"' || prev == 0x201D ||
		   ((prev == 0xF9 || prev == 0xF4) && a > kb && cp_before(s, a - kb, &k) == 0xC4); /* ‚Äù ‚Äô */
	if (ends && (kp_is_upper_cp(next) || (q && !is_space(after))))
		return JOIN_STRICT;
	if (!loose)
		return JOIN_NONE;
	/* loosely: a word, a number or the end of a sentence or quotation,
	 * then a capital, a number, a quotation, a hashtag or a bracket */
	int word_end = kp_is_upper_cp(prev) || (prev >= '0' && prev <= '9') || ends || prev == ')' || prev == ']' ||
		       prev == 0x2019;
	/* after a lower-case word the comma is more often what a lost link
	 * left ("membintangi film,Februari lalu"): a join only before a label
	 * ("... Surya Putra,Sumber: Liputan6.com") */
	if (kp_is_lower_cp(prev)) {
		const char *colon = memchr(s + b, ':', n - b < LABEL_MAX_BYTES ? n - b : LABEL_MAX_BYTES);
		word_end = colon && count_words(s + b, (size_t)(colon - (s + b))) <= LABEL_MAX_WORDS;
	}
	int para_start = kp_is_upper_cp(next) || (next >= '0' && next <= '9') || q || next == '#' || next == '(' ||
			 next == '@';
	if (!word_end || !para_start || (next >= '0' && next <= '9' && prev >= '0' && prev <= '9'))
		return JOIN_NONE;
	return JOIN_LOOSE;
}

/* The next comma join in s[i, n): its start (n if none), its end in *b and
 * its kind in *kind. */
static size_t next_join(const char *s, size_t n, size_t i, int loose, size_t *b, int *kind)
{
	while (i < n) {
		const char *q = memchr(s + i, ',', n - i);
		if (!q)
			return n;
		/* a run of commas, spaces between them ("Tito., ,Reporter"),
		 * no-break ones too */
		size_t a = (size_t)(q - s), e = a + 1;
		for (size_t j = e; j < n;) {
			if (s[j] == ',')
				e = ++j;
			else if (s[j] == ' ')
				j++;
			else if ((unsigned char)s[j] == 0xC2 && j + 1 < n && (unsigned char)s[j + 1] == 0xA0)
				j += 2;
			else
				break;
		}
		if ((*kind = comma_join(s, n, a, e, loose)) != JOIN_NONE) {
			*b = e;
			return a;
		}
		i = e;
	}
	return n;
}


/* Record line [lb, le) of the page (trimmed here). */
static int add_line(kp_clean *c, size_t lb, size_t le, int hard)
{
	const char *t = c->text;
	trim(t, &lb, &le);
	cline l = {.beg = (uint32_t)lb, .end = (uint32_t)le, .cat = -1, .rule = -1, .hard = (char)hard};
	l.blank = l.beg == l.end;
	if (l.blank && NLINES(c) > 0 && LINES(c)[NLINES(c) - 1].blank) {
		LINES(c)[NLINES(c) - 1].blank = 2; /* a run of blank lines: one record */
		return 0;
	}
	if (!l.blank) {
		const char *s = t + l.beg;
		size_t n = l.end - l.beg, k, ns;
		features(c->r, s, n, &l.words, NULL, &l.letters, &l.uppers, &l.first, &ns);
		l.ns = (uint32_t)ns;
		l.term = (char)ends_sentence(s, n);
		int32_t last = cp_before(s, n, &k);
		l.cont = last == ',' || last == ';' || last == ':' || kp_is_dash_cp(last);
		size_t w = n;
		while (w > 0 && !kp_is_space_cp(cp_before(s, w, &k)))
			w -= k;
		l.last_lower = w < n && kp_is_lower_cp(cp_at(s, n, w, &k));
		/* a label of one or two words and a colon, then a value */
		const char *colon = memchr(s, ':', n < LABEL_MAX_BYTES ? n : LABEL_MAX_BYTES);
		if (colon && (size_t)(colon - s) + 2 < n && count_words(s, (size_t)(colon - s)) <= LABEL_MAX_WORDS)
			l.field = 1;
	}
	return kp_buf_add(&c->lines, &l, sizeof l) < 0 ? KP_ENOMEM : 0;
}

static int split_lines(kp_clean *c)
{
	c->lines.len = 0;
	lower_ascii(&c->lowtext, c->text, c->len);
	if (c->lowtext.len != c->len)
		return KP_ENOMEM;
	const char *t = c->text;
	size_t n = c->len, b;
	/* a page joined by commas: its joins are line breaks */
	size_t strict = 0;
	int kind;
	for (size_t i = 0; strict < COMMA_JOINED && (i = next_join(t, n, i, 0, &b, &kind)) < n; i = b)
		strict++;
	int comma = c->comma = strict >= COMMA_JOINED;
	/* as many records as lines, allocated once: no doubling (see cline) */
	size_t nlines = 1;
	for (const char *q = t, *end = t + n; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		if (++nlines > KP_CLEAN_MAX_LINES)
			return KP_ETOOLONG;
	for (size_t i = 0; comma && (i = next_join(t, n, i, 1, &b, &kind)) < n; i = b)
		if (++nlines > KP_CLEAN_MAX_LINES)
			return KP_ETOOLONG;
	if (kp_buf_reserve_exact(&c->lines, nlines * sizeof(cline)) < 0)
		return KP_ENOMEM;
	size_t i = 0;
	for (;;) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - t) : n, from = i;
		int hard = 0;
		while (comma) {
			/* the line is its own text for the join test: a join needs
			 * text on both sides within the line */
			size_t a = next_join(t + i, e - i, from - i, 1, &b, &kind);
			if (a >= e - i)
				break;
			if (add_line(c, from, i + a, hard) < 0)
				return KP_ENOMEM;
			from = i + b;
			hard = kind;
		}
		if (add_line(c, from, e, hard) < 0)
			return KP_ENOMEM;
		if (!nl)
			return 0;
		i = e + 1;
	}
}

static int line_rule(kp_clean *c, int i, kp_pmatch *m);

/* A lone "Baca juga" (or "Daftar Isi"): the headline lines after it go too,
 * up to a blank line or a line that is chrome of its own (the next marker);
 * a +links rule's as the link marker's headlines, a plain +next one's in
 * its own category. */
static void mark_next(kp_clean *c, int i, const rule *ru)
{
	int is_link = (ru->flags & F_LINKS) != 0;
	int cat = is_link ? CAT_HEADLINE : ru->cat, max = is_link ? NEXT_LINKS_MAX : NEXT_LIST_MAX, taken = 0, blanks = 0;
	for (int j = i + 1; j < NLINES(c) && taken < max; j++) {
		cline *l = &LINES(c)[j];
		if (l->blank) {
			/* one blank line after the marker; a second ends the list */
			if (taken == 0 && blanks++ == 0 && l->blank == 1)
				continue;
			break;
		}
		kp_pmatch m;
		/* headlines may ask or exclaim, but do not end in a period */
		int period = l->term && c->text[l->end - 1] == '.';
		if (l->cat >= 0 || period || l->words > NEXT_ITEM_MAX_WORDS || line_rule(c, j, &m) >= 0)
			break;
		l->cat = cat;
		taken++;
	}
}

/* The first zone-free line rule matching line i (its index, or -1); cue
 * rules set the line's cue flag on the way. */
static int line_rule(kp_clean *c, int i, kp_pmatch *m)
{
	const kp_clean_rules *r = c->r;
	cline *l = &LINES(c)[i];
	const char *s = c->text + l->beg, *low = c->lowtext.p + l->beg;
	size_t n = l->end - l->beg;
	const int *list = r->bybyte[(unsigned char)low[0]];
	int best = -1;
	for (int j = 0; j < r->nbybyte[(unsigned char)low[0]]; j++) {
		int k = list[j];
		const rule *ru = &r->rules[k];
		if (ru->scope == S_CUE && l->words > BOX_LINE_WORDS) /* boxes are made of short lines */
			continue;
		int caps = kp_pattern_ncaps(ru->pat) > 0;
		if (!try_rule(c, ru, s, n, l->ns, low, l->words, l->term, line_mode(ru->scope), caps ? m : NULL))
			continue;
		if (ru->scope == S_CUE) {
			l->cue = 1;
			continue;
		}
		best = k;
		break;
	}
	/* a line that ends in a photo credit goes whole as a caption only while
	 * it is as short as captions are: a longer one is prose that a credit
	 * was glued to (a whole article on one line, as some scrapes store
	 * it), and only the credit goes (apply_inline) */
	for (int j = 0; j < r->nendline && l->words <= CAPTION_MAX_WORDS; j++) {
		int k = r->endline[j];
		if (best >= 0 && k > best)
			break;
		if (try_rule(c, &r->rules[k], s, n, l->ns, low, l->words, l->term, KP_MATCH_END, NULL))
			return k; /* no captures in end+line rules: see kp_clean_rules_add */
	}
	return best;
}

static int mark_rules(kp_clean *c)
{
	for (int i = 0; i < NLINES(c); i++) {
		cline *l = &LINES(c)[i];
		if (l->blank || l->cat >= 0)
			continue;
		kp_pmatch m;
		int k = line_rule(c, i, &m);
		if (k < 0)
			continue;
		const rule *ru = &c->r->rules[k];
		l->cat = ru->cat;
		l->rule = k;
		if (take_captures(c, ru, c->text + l->beg, &m) < 0)
			return KP_ENOMEM;
		if (ru->flags & F_NEXT)
			mark_next(c, i, ru);
	}
	return 0;
}

/* Schedule and score boxes: runs of short lines, most of them cues. */
static void mark_boxes(kp_clean *c)
{
	cline *L = LINES(c);
	int n = NLINES(c);
	for (int i = 0; i < n;) {
#define BOXLINE(j) (!L[j].blank && L[j].cat < 0 && L[j].words <= BOX_LINE_WORDS && (!L[j].term || L[j].cue))
		if (!BOXLINE(i)) {
			i++;
			continue;
		}
		int j = i, cues = 0;
		while (j < n && BOXLINE(j))
			cues += L[j++].cue;
		if (j - i >= BOX_MIN_LINES && cues >= BOX_MIN_CUES && cues * 100 >= (j - i) * BOX_CUE_PERCENT)
			for (int k = i; k < j; k++)
				L[k].cat = CAT_SCHEDULE;
		i = j;
#undef BOXLINE
	}
}

/* A tag: a few lower-case words ("timnas indonesia"), not a code "(cas/mrp)". */
static int tag_like(const cline *l, const char *s)
{
	unsigned char first = (unsigned char)s[l->beg];
	return !l->blank && l->cat < 0 && l->letters > 0 && l->uppers == 0 && l->words <= TAG_MAX_WORDS && !l->term &&
	       (first >= 0x80 || (first >= 'a' && first <= 'z')) && !memchr(s + l->beg, ':', l->end - l->beg);
}

/* Tag lists: the trailing run of short lower-case lines. */
static void mark_tags(kp_clean *c)
{
	cline *L = LINES(c);
	int j = NLINES(c) - 1, found = 0;
	while (j >= 0 && (L[j].blank || L[j].cat >= 0))
		j--;
	int k = j;
	for (; k >= 0; k--) {
		if (L[k].blank || (L[k].cat >= 0 && L[k].cat != CAT_TAGS))
			continue;
		if (!tag_like(&L[k], c->text))
			break;
		L[k].cat = CAT_TAGS;
		found++;
	}
	if (found && k < 0) /* nothing before them: the text itself, not tags */
		for (int i = 0; i <= j; i++)
			if (L[i].cat == CAT_TAGS)
				L[i].cat = -1;
}

/* ---- pass 2: paragraphs ---- */

/* Up to cap bytes of s with every run of spaces (no-break ones too) made
 * one ' ': scraped pages space the same words differently. */
static size_t squeeze(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0, k;
	int space = 0;
	while (i < n && o + UTF8_MAX < cap) {
		int32_t cp = cp_at(s, n, i, &k);
		if (is_space(cp)) {
			space = 1;
		} else {
			if (space && o)
				out[o++] = ' ';
			space = 0;
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	return o;
}


/* Is line b the continuation of line a (a paragraph broken at its links)?
 * blank_sep: the page separates paragraphs by blank lines, so a single line
 * break inside a run of fragments is no paragraph end. */
static int joins(const cline *a, const cline *b, const cline *after, int a_joined, int blank_sep, const char *t)
{
	size_t k;
	if (a->field || b->field || b->hard)
		return 0;
	int32_t bfirst = cp_at(t, b->end, b->beg, &k);
	if (b->first == 'l' && kp_is_lower_cp(bfirst))
		return 1;
	if (b->letters == 0 || kp_is_dash_cp(bfirst) || bfirst == ',' || bfirst == '.' || bfirst == ';' ||
	    bfirst == ':' || bfirst == ')')
		return 1;
	if (a->letters == 0 || a->cont)
		return 1;
	if (a->term) /* "... kata" / "Coker." / "Percayalah ...": a link ended the sentence */
		return blank_sep && a_joined && a->words <= FRAGMENT_WORDS;
	/* a link's words on their own line: the text before it stops mid-sentence
	 * on a lower-case word ("... apabila" / "Trump" / "memecat ...") */
	/* a short line inside a sentence: the text goes on after it (a link
	 * anchor "Trump" between "... apabila" and "memecat ..."), or it ends
	 * the sentence; not a header line followed by another header line */
	int embedded = b->term || b->cont || !after || after->blank || after->first == 'l' || after->letters == 0 ||
		       after->words <= FRAGMENT_WORDS || after->words >= LONG_LINE_WORDS || after->term;
	if (b->words <= FRAGMENT_WORDS && (a->last_lower || (a->words <= FRAGMENT_WORDS && !b->term)) && embedded)
		return 1; /* "Palu" / "(ANTARA)" / "--" */
	return a->words <= FRAGMENT_WORDS && a_joined;
}

static int build_paragraphs(kp_clean *c)
{
	c->paras.len = c->ptext.len = c->squeezed.len = 0;
	cline *L = LINES(c);
	int n = NLINES(c);
	/* do long lines end their paragraphs with a blank line? */
	int lng = 0, sep = 0;
	for (int i = 0; i < n; i++)
		if (L[i].words >= LONG_LINE_WORDS) {
			lng++;
			sep += i + 1 == n || L[i + 1].blank;
		}
	int blank_sep = lng >= BLANK_SEP_MIN_LINES && sep * 100 >= lng * BLANK_SEP_PERCENT;
	/* at most one paragraph a line left: allocated once (see cline) */
	size_t most = 0;
	for (int i = 0; i < n; i++)
		most += !L[i].blank && L[i].cat < 0;
	if (kp_buf_reserve_exact(&c->paras, most * sizeof(cpara)) < 0)
		return KP_ENOMEM;
	for (int i = 0; i < n;) {
		if (L[i].blank || L[i].cat >= 0) {
			i++;
			continue;
		}
		cpara p = {.first = i, .last = i, .off = (uint32_t)c->ptext.len, .cat = -1, .rule = -1};
		int joined = 0;
		while (p.last + 1 < n && !L[p.last + 1].blank && L[p.last + 1].cat < 0 &&
		       joins(&L[p.last], &L[p.last + 1], p.last + 2 < n ? &L[p.last + 2] : NULL, joined, blank_sep,
			     c->text)) {
			p.last++;
			joined = 1;
		}
		for (int k = p.first; k <= p.last; k++) {
			if (k > p.first && kp_buf_addc(&c->ptext, ' ') < 0)
				return KP_ENOMEM;
			if (kp_buf_add(&c->ptext, c->text + L[k].beg, L[k].end - L[k].beg) < 0)
				return KP_ENOMEM;
		}
		p.len = (uint32_t)(c->ptext.len - p.off);
		p.first_kind = L[p.first].first;
		p.glue = L[p.first].hard == JOIN_LOOSE;
		p.stop = -1; /* counted when needed: see stopwords() */
		for (int k = p.first; k <= p.last; k++) { /* joined by spaces: the counts add up */
			p.words += L[k].words;
			p.letters += L[k].letters;
			p.uppers += L[k].uppers;
			p.ns += L[k].ns;
		}
		p.term = (char)ends_sentence(c->ptext.p + p.off, p.len);
		p.sq_len = SQ_NONE; /* squeezed when a teaser test needs it */
		p.is_teaser = -1;
		if (kp_buf_add(&c->paras, &p, sizeof p) < 0)
			return KP_ENOMEM;
		i = p.last + 1;
	}
	lower_ascii(&c->lowp, c->ptext.p ? c->ptext.p : "", c->ptext.len);
	return c->lowp.len == c->ptext.len ? 0 : KP_ENOMEM;
}

#define PTEXT(cl_, pa_) ((cl_)->ptext.p + (pa_)->off)

/* Stopwords of a paragraph, counted on first use: few paragraphs need it. */
static int stopwords(const kp_clean *c, cpara *p)
{
	if (p->stop < 0) {
		int w, le, up;
		size_t ns;
		char f;
		features(c->r, PTEXT(c, p), p->len, &w, &p->stop, &le, &up, &f, &ns);
	}
	return p->stop;
}

static int good(const kp_clean *c, cpara *p)
{
	return p->words >= GOOD_MIN_WORDS && (p->term || p->words >= GOOD_LONG_WORDS) &&
	       stopwords(c, p) * 100 >= p->words * GOOD_STOP_PERCENT;
}


/* Paragraph i's first bytes with spaces squeezed, made on first use. */
static const char *squeezed(kp_clean *c, int i, size_t *len)
{
	cpara *p = &PARAS(c)[i];
	if (p->sq_len == SQ_NONE) {
		if (kp_buf_reserve(&c->squeezed, SQUEEZED) < 0) {
			*len = 0;
			return "";
		}
		p->sq_off = c->squeezed.len;
		p->sq_len = squeeze(PTEXT(c, p), p->len, c->squeezed.p + c->squeezed.len, SQUEEZED);
		c->squeezed.len += p->sq_len;
	}
	*len = p->sq_len;
	return c->squeezed.p + p->sq_off;
}

/* A teaser repeats the start of a later paragraph (without its period):
 * the article's first one, so only the next few are looked at. */
static int teaser(kp_clean *c, int i)
{
	cpara *p = &PARAS(c)[i];
	if (p->term || p->words < TEASER_MIN_WORDS)
		return 0;
	if (p->is_teaser >= 0)
		return p->is_teaser;
	p->is_teaser = 0;
	size_t k, m;
	squeezed(c, i, &k);
	if (k > TEASER_KEY_BYTES)
		k = TEASER_KEY_BYTES;
	for (int j = i + 1; j < NPARAS(c) && j <= i + TEASER_LOOKAHEAD; j++) {
		const char *b = squeezed(c, j, &m);
		const char *a = c->squeezed.p + PARAS(c)[i].sq_off; /* the buffer may have moved */
		if (contains(b, m, a, k))
			return PARAS(c)[i].is_teaser = 1;
	}
	return 0;
}


/* ---- pass 3: where the body is ---- */

#define PLOW(cl_, pa_) ((cl_)->lowp.p + (pa_)->off)

/* A dateline at the start of paragraph i: its end, and captures taken. */
static size_t find_dateline(kp_clean *c, int i)
{
	const cpara *p = &PARAS(c)[i];
	const char *s = PTEXT(c, p);
	if (!(p->term || p->words >= PROSE_PARA_WORDS))
		return 0;
	for (size_t k = 0; k < c->r->n; k++) {
		const rule *ru = &c->r->rules[k];
		kp_pmatch m;
		if (ru->scope != S_DATELINE ||
		    !try_rule(c, ru, s, p->len, p->ns, PLOW(c, p), p->words, p->term, KP_MATCH_START, &m))
			continue;
		size_t rest = m.end, kk;
		while (rest < p->len && kp_is_space_cp(cp_at(s, p->len, rest, &kk)))
			rest += kk;
		if (rest >= p->len)
			continue;
		int32_t first = cp_at(s, p->len, rest, &kk);
		if (first >= 'a' && first <= 'z') /* a sentence goes on, not a body starting */
			continue;
		int has_outlet = ru->cap[CAP_OUTLET] && m.cap[ru->cap[CAP_OUTLET]][0] != SIZE_MAX;
		/* a dateline of punctuation alone (what a scraper left of one) only
		 * opens a document: elsewhere a dash opens a list item */
		if (!ru->cap[CAP_OUTLET] && !ru->cap[CAP_PLACE] && (i > 0 || p->first > 0))
			continue;
		size_t words = count_words(s + rest, p->len - rest);
		if (words < DATELINE_REST_WORDS || (!has_outlet && words < DATELINE_BARE_WORDS && !p->term))
			continue;
		if (take_captures(c, ru, s, &m) < 0)
			return 0;
		set_field(c, KP_CLEAN_DATELINE, s, m.end);
		return m.end;
	}
	return 0;
}

static void find_body(kp_clean *c)
{
	int np = NPARAS(c), prose = 0;
	c->dl_end = 0;
	c->body_start = -1;
	for (int i = 0; i < np && i < DATELINE_PARAS && prose <= DATELINE_PROSE; i++) {
		size_t e = find_dateline(c, i);
		if (e) {
			c->body_start = i;
			c->dl_end = e;
			break;
		}
		const cpara *p = &PARAS(c)[i];
		prose += p->words >= PROSE_PARA_WORDS && p->term;
	}
	if (c->body_start < 0)
		for (int i = 0; i < np && c->body_start < 0; i++)
			if (good(c, &PARAS(c)[i]) && !teaser(c, i))
				c->body_start = i;
	if (c->body_start < 0)
		for (int i = 0; i < np && c->body_start < 0; i++)
			if (PARAS(c)[i].term && PARAS(c)[i].words >= SENTENCE_MIN_WORDS)
				c->body_start = i;
	if (c->body_start < 0)
		c->body_start = 0;
	c->body_end = c->body_start - 1;
	for (int i = np - 1; i >= c->body_start; i--) {
		cpara *p = &PARAS(c)[i];
		if (good(c, p) || (p->term && p->words >= END_MIN_WORDS) ||
		    (p->term && p->words >= SENTENCE_MIN_WORDS && stopwords(c, p))) {
			c->body_end = i;
			break;
		}
	}
	if (c->body_end < c->body_start && c->body_start < np)
		c->body_end = np - 1; /* nothing reads as a sentence: keep what is left */
	for (int i = 0; i < np; i++)
		PARAS(c)[i].zone = i < c->body_start ? Z_HEAD : i > c->body_end ? Z_FOOT : Z_BODY;
}

/* A title compared loosely: its letters and digits, ASCII lower-cased
 * (punctuation, spaces and what a scraper did to them aside). */
static int title_key(kp_buf *out, const char *s, size_t n)
{
	out->len = 0;
	for (size_t i = 0, k; i < n; i += k) {
		int32_t cp = cp_at(s, n, i, &k);
		if (!kp_is_letter_cp(cp) && !(cp >= '0' && cp <= '9'))
			continue;
		if (cp >= 'A' && cp <= 'Z' ? kp_buf_addc(out, (char)(cp + 32)) < 0 : kp_buf_add(out, s + i, k) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

int kp_clean_set_title(kp_clean *c, const char *title, size_t len)
{
	if (!title)
		len = 0;
	return title_key(&c->title, title ? title : "", len);
}


/* Does paragraph p (nearly) equal the document's own title? */
static int is_own_title(kp_clean *c, const cpara *p)
{
	if (!c->title.len || title_key(&c->work2, PTEXT(c, p), p->len) < 0 || !c->work2.len)
		return 0;
	const kp_buf *a = &c->title, *b = &c->work2;
	if (a->len < b->len) {
		const kp_buf *t = a;
		a = b;
		b = t;
	}
	return b->len * 100 >= a->len * TITLE_NEAR && contains(a->p, a->len, b->p, b->len);
}


/* Does paragraph p read as prose: long and ending in a period, or a
 * question or exclamation with most words lower case?  Such a paragraph goes only by a rule that matches its text,
 * never for where it stands (a lead taken for a title). */
static int reads_as_prose(const kp_clean *c, const cpara *p)
{
	if (!p->term || p->words < PROSE_SHORT_WORDS)
		return 0;
	int period = ends_with_period(PTEXT(c, p), p->len);
	if (period && p->words >= PROSE_MIN_WORDS)
		return 1; /* headlines do not end in a period */
	const char *s = PTEXT(c, p);
	size_t n = p->len, i = 0, k;
	int lower = 0;
	while (i < n) {
		while (i < n && is_space(cp_at(s, n, i, &k)))
			i += k;
		if (i >= n)
			break;
		size_t w = i;
		while (w < n && is_opener(cp_at(s, n, w, &k)))
			w += k;
		lower += w < n && kp_is_lower_cp(cp_at(s, n, w, &k));
		while (i < n && !is_space(cp_at(s, n, i, &k)))
			i += k;
	}
	if (p->words < PROSE_MIN_WORDS) /* a short sentence: "Menurut , bakal dilanda konflik." */
		return period && lower * 100 >= p->words * PROSE_SHORT_LOWER;
	/* a question or an exclamation: headlines ask too, in title case */
	return lower * 100 >= p->words * PROSE_ASK_LOWER;
}

/* ---- pass 4: header and footer ---- */

/* The first zone rule (scope line/start) of zone z matching paragraph p. */
static int zone_rule(kp_clean *c, cpara *p, int z)
{
	const char *s = PTEXT(c, p);
	for (size_t k = 0; k < c->r->n; k++) {
		const rule *ru = &c->r->rules[k];
		kp_pmatch m;
		if (ru->zone != z || (ru->scope != S_LINE && ru->scope != S_START))
			continue;
		int caps = kp_pattern_ncaps(ru->pat) > 0;
		if (!try_rule(c, ru, s, p->len, p->ns, PLOW(c, p), p->words, p->term, line_mode(ru->scope), caps ? &m : NULL))
			continue;
		p->cat = ru->cat;
		p->rule = (int)k;
		return take_captures(c, ru, s, &m);
	}
	return 0;
}

/* Is s a list of person names ("Galih Utomo, Kadek Setiawan")?  Each part
 * is one to four capitalised words; returns the number of names, 0 if not. */
static int name_list(const char *s, size_t n)
{
	int names = 0;
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != ',')
			e++;
		size_t b = i, k;
		trim(s, &b, &e);
		int words = 0;
		while (b < e) {
			int32_t cp = cp_at(s, e, b, &k);
			if (!kp_is_upper_cp(cp))
				return 0;
			words++;
			int lower = 0, letters = 0;
			while (b < e && !is_space(cp_at(s, e, b, &k))) {
				int32_t ch = cp_at(s, e, b, &k);
				if (!kp_is_letter_cp(ch) && ch != '.' && ch != '-' && ch != '\'')
					return 0;
				lower += kp_is_lower_cp(ch);
				letters += kp_is_letter_cp(ch);
				b += k;
			}
			if (letters >= BRAND_MIN_LETTERS && !lower)
				return 0; /* "CNN Indonesia" is a brand, not a person */
			while (b < e && is_space(cp_at(s, e, b, &k)))
				b += k;
		}
		if (words < 1 || words > NAME_MAX_WORDS)
			return 0;
		names++;
		i = e < n ? e + 1 : n;
		while (i < n && s[i] != ',' && i > 0 && s[i - 1] != ',')
			i++;
	}
	return names;
}

/* Names before a newsroom line ("Tim Redaksi", bylines-id.txt): the
 * writers, then the editor. */
static int take_names(kp_clean *c, const cpara *p)
{
	const char *s = PTEXT(c, p);
	int before_team = 0;
	for (int j = p->last + 1; j < NLINES(c); j++) {
		const cline *l = &LINES(c)[j];
		if (l->blank)
			continue;
		before_team = kp_words_has(&c->r->team, c->lowtext.p + l->beg, l->end - l->beg);
		break;
	}
	const char *last = s;
	size_t i = 0, b = 0;
	int rc = 0;
	for (; i < p->len && rc >= 0; i++)
		if (s[i] == ',') {
			last = s + i + 1;
			b = i + 1;
		}
	if (before_team && last != s) { /* the last name is the editor */
		rc = add_authors(c, s, (size_t)(last - s) - 1);
		if (rc >= 0)
			rc = set_field(c, KP_CLEAN_EDITOR, s + b, p->len - b);
		return rc;
	}
	return add_authors(c, s, p->len);
}

static int classify_head(kp_clean *c)
{
	int title_done = 0, first = 1;
	char iso[ISO_DATE_LEN + 1];
	for (int i = 0; i < c->body_start; i++) {
		cpara *p = &PARAS(c)[i];
		const char *s = PTEXT(c, p);
		if (zone_rule(c, p, Z_HEAD) < 0)
			return KP_ENOMEM;
		if (p->cat >= 0) {
			/* bylines and credits: their dates still count */
		} else if (p->words <= DATE_LINE_WORDS && date_line(c->r, s, p->len, iso)) {
			p->cat = CAT_DATE;
			if (set_field(c, KP_CLEAN_PUBLISHED, iso, ISO_DATE_LEN) < 0)
				return KP_ENOMEM;
		} else if (!title_done && is_own_title(c, p)) {
			p->cat = CAT_TITLE;
			title_done = 1;
			if (set_field(c, KP_CLEAN_TITLE, s, p->len) < 0)
				return KP_ENOMEM;
		} else if (reads_as_prose(c, p)) {
			/* kept: see reads_as_prose */
		} else if (!title_done && first && p->words <= SECTION_MAX_WORDS && i + 1 < c->body_start &&
			   PARAS(c)[i + 1].words >= SECTION_NEXT_WORDS) {
			p->cat = CAT_SECTION;
		} else if (!title_done && p->words >= SENTENCE_MIN_WORDS && !(p->term && p->words > TITLE_MAX_WORDS)) {
			p->cat = CAT_TITLE;
			title_done = 1;
			if (set_field(c, KP_CLEAN_TITLE, s, p->len) < 0)
				return KP_ENOMEM;
		} else if (title_done && !p->term && p->words <= BYLINE_MAX_WORDS && name_list(s, p->len)) {
			p->cat = CAT_BYLINE; /* a byline of bare names */
			if (take_names(c, p) < 0)
				return KP_ENOMEM;
		} else {
			p->cat = teaser(c, i) ? CAT_TEASER : CAT_HEADER;
		}
		first = 0;
	}
	/* a date anywhere in the header (a teaser's "Rabu, 26 Januari 2022"),
	 * in a caption, or in the removed lines above the body */
	for (int i = 0; i < c->body_start && !c->has_field[KP_CLEAN_PUBLISHED]; i++) {
		const cpara *p = &PARAS(c)[i];
		if (find_date(c->r, PTEXT(c, p), p->len, iso) && set_field(c, KP_CLEAN_PUBLISHED, iso, ISO_DATE_LEN) < 0)
			return KP_ENOMEM;
	}
	int top = c->body_start < NPARAS(c) ? PARAS(c)[c->body_start].first : NLINES(c);
	for (int j = 0; j < top && !c->has_field[KP_CLEAN_PUBLISHED]; j++) {
		const cline *l = &LINES(c)[j];
		if (l->cat >= 0 && find_date(c->r, c->text + l->beg, l->end - l->beg, iso) &&
		    set_field(c, KP_CLEAN_PUBLISHED, iso, ISO_DATE_LEN) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

static int classify_foot(kp_clean *c)
{
	for (int i = c->body_end + 1; i < NPARAS(c); i++) {
		cpara *p = &PARAS(c)[i];
		if (zone_rule(c, p, Z_FOOT) < 0)
			return KP_ENOMEM;
		if (p->cat < 0)
			p->cat = p->letters && !p->uppers && !p->term ? CAT_TAGS : CAT_FOOTER;
	}
	return 0;
}

/* ---- pass 5: the body ---- */

/* Cut t[a, b) out of the paragraph, keeping single spaces around it. */
static void cut(kp_buf *t, size_t a, size_t b)
{
	memmove(t->p + a, t->p + b, t->len - b);
	t->len -= b - a;
	while (a > 0 && a < t->len && t->p[a - 1] == ' ' && t->p[a] == ' ') {
		memmove(t->p + a, t->p + a + 1, t->len - a - 1);
		t->len--;
	}
	size_t s = 0;
	while (s < t->len && t->p[s] == ' ')
		s++;
	if (s) {
		memmove(t->p, t->p + s, t->len - s);
		t->len -= s;
	}
	while (t->len && t->p[t->len - 1] == ' ')
		t->len--;
}

typedef struct token {
	size_t beg, end;
	char kind; /* 'C' capitalised or number, 'F' headline function word, 'L' lower-case word */
	char quote; /* opens with a quotation mark */
	char colon; /* ends with ':' */
	char acronym; /* all upper case, ACRONYM_MIN_LETTERS letters or more */
	char starter; /* capitalised sentence starter */
	char subject; /* capitalised subject noun */
} token;

static void classify_token(const kp_clean *c, const char *s, token *t)
{
	size_t b = t->beg, e = t->end, k;
	int32_t q = cp_at(s, e, b, &k);
	t->quote = q == '"' || q == 0x201C || q == 0xAB; /* single quotes mark words in headlines */
	while (b < e && is_opener(cp_at(s, e, b, &k)))
		b += k;
	t->colon = e > b && s[e - 1] == ':';
	int32_t f = b < e ? cp_at(s, e, b, &k) : 0;
	char low[HEADWORD_MAX];
	size_t ll = 0;
	int letters = 0, uppers = 0;
	for (size_t i = b; i < e;) {
		int32_t ch = cp_at(s, e, i, &k);
		if (kp_is_letter_cp(ch)) {
			letters++;
			uppers += kp_is_upper_cp(ch);
			if (ch < 128 && ll < sizeof low - 1)
				low[ll++] = (char)(ch | 32);
		} else if (ch == '.' && ll < sizeof low - 1) {
			low[ll++] = '.';
		}
		i += k;
	}
	while (ll && low[ll - 1] == '.')
		ll--;
	t->acronym = letters >= ACRONYM_MIN_LETTERS && uppers == letters;
	if (kp_is_upper_cp(f) || (f >= '0' && f <= '9'))
		t->kind = 'C';
	else if (kp_is_lower_cp(f))
		t->kind = kp_words_has(&c->r->headw, low, ll) ? 'F' : 'L';
	else
		t->kind = 'F'; /* punctuation inside a headline: "-", "&" */
	t->starter = t->kind == 'C' && kp_words_has(&c->r->starters, low, ll);
	t->subject = t->kind == 'C' && kp_words_has(&c->r->subjects, low, ll);
}

/* Where a linked headline glued into a paragraph after a "Baca juga:"
 * marker (ending at b) ends: the run of capitalised words and headline
 * function words, up to the capitalised word that starts the sentence. */
static size_t headline_end(kp_clean *c, const char *s, size_t n, size_t a, size_t b)
{
	/* alone on its line (or at the start of a paragraph that never ends
	 * like a sentence): all of it */
	if (a == 0 && !ends_sentence(s, n))
		return n;
	token tk[HEADLINE_MAX_TOKENS];
	int nt = 0;
	size_t i = b, k;
	while (i < n && nt < HEADLINE_MAX_TOKENS) {
		while (i < n && kp_is_space_cp(cp_at(s, n, i, &k)))
			i += k;
		if (i >= n)
			break;
		token t = {.beg = i};
		while (i < n && !kp_is_space_cp(cp_at(s, n, i, &k)))
			i += k;
		t.end = i;
		classify_token(c, s, &t);
		tk[nt++] = t;
	}
	int stop = nt; /* the first lower-case content word, or a quotation */
	for (int j = 0; j < nt; j++) {
		if (j > 0 && tk[j].quote) {
			stop = j;
			break;
		}
		if (tk[j].kind == 'L') {
			stop = j;
			break;
		}
	}
	if (stop == nt && i >= n)
		return n; /* the paragraph ends inside the headline */
	if (stop == nt)
		return b; /* more capitalised words than a headline has: no end in sight */
	if (stop == 0)
		return b;
	int caps = 0;
	for (int j = 0; j < stop; j++)
		caps += tk[j].kind == 'C';
	if ((stop <= HEADLINE_FEW_WORDS || caps <= HEADLINE_FEW_CAPS) && !tk[stop].quote) {
		/* a headline in sentence case (a lower-case word among its first
		 * three: "Wanita itu tidak bisa tidur ... pensiunnya Dan di bulan",
		 * "Gunung berapi memuntahkan abu di Kota Mexico Pemerintah setempat"):
		 * it runs to a capitalised word that opens a sentence, i.e. one
		 * followed by a lower-case word, after the headline's own lower-case
		 * words; a listed sentence starter wins */
		int cand = -1;
		for (int j = stop + 1; j < nt && j < HEADLINE_SCAN; j++) {
			if (tk[j].quote) {
				cand = j;
				break;
			}
			if (tk[j].kind != 'C')
				continue;
			if (tk[j].starter && tk[j - 1].kind != 'C') {
				cand = j;
				break;
			}
			if (cand < 0 && j + 1 < nt && tk[j + 1].kind != 'C')
				cand = j;
		}
		if (cand < 0)
			return tk[stop].beg; /* no sentence in sight: keep the rest */
		return tk[cand].beg;
	}
	int start = -1; /* the first word of the sentence */
	if (tk[stop].quote) {
		start = stop;
		if (stop >= 2 && tk[stop - 1].colon && tk[stop - 1].kind == 'C')
			start = stop - 1; /* "Evans: “Katakan ..." */
	} else {
		for (int j = stop - 1; j >= 1 && start < 0; j--)
			if (tk[j].starter)
				start = j;
		for (int j = stop - 1, seen = 0; j >= 1 && start < 0 && seen < HEADLINE_SUBJECT; j--) {
			seen += tk[j].kind == 'C';
			if (tk[j].subject)
				start = j; /* "Pengusaha Jack Ma mengirim" */
		}
		if (start < 0) {
			int j = stop - 1;
			while (j > 0 && tk[j].kind == 'F')
				j--;
			while (j > 1 && tk[j].acronym && tk[j - 1].kind == 'C')
				j--; /* "Saham PGAS yang ..." */
			start = j;
		}
	}
	if (start < 1)
		start = 1;
	if (start >= nt)
		return n;
	return tk[start].beg;
}

/* The mode rule ru is tried in on a body paragraph (is_last: the body's
 * last), or -1 if it does not apply there.  long_para: the paragraph has
 * more words than a caption, or -1: count them when asked. */
static int inline_mode(const rule *ru, int is_last, const kp_buf *t, int *long_para)
{
	if (ru->scope == S_INLINE && (ru->zone == Z_ANY || ru->zone == Z_BODY))
		return KP_MATCH_ANY;
	if (ru->scope != S_END)
		return -1;
	if (!(ru->flags & F_LINE))
		return ru->zone == Z_ANY || ru->zone == Z_BODY || (ru->zone == Z_LAST && is_last) ? KP_MATCH_END : -1;
	if (ru->zone != Z_ANY)
		return -1;
	if (*long_para < 0)
		*long_para = count_words(t->p, t->len) > CAPTION_MAX_WORDS;
	return *long_para ? KP_MATCH_END : -1; /* a credit glued to prose: the credit goes */
}

/* The commas and spaces a page joined by commas leaves at the ends of a
 * paragraph (",,,Presiden ...", "... (dtk),,"): separators, not text. */
static void trim_commas(kp_buf *t)
{
	size_t b = 0, e = t->len;
	while (b < e && (t->p[b] == ',' || t->p[b] == ' '))
		b++;
	while (e > b && (t->p[e - 1] == ',' || t->p[e - 1] == ' '))
		e--;
	memmove(t->p, t->p + b, e - b);
	t->len = e - b;
}

/* Cut one match of rule ru from t, if any: 1 cut, 0 none, < 0 error. */
static int cut_match(kp_clean *c, const rule *ru, kp_buf *t, size_t pos, int mode)
{
	kp_pmatch m;
	if (!try_rule(c, ru, t->p, t->len, t->len, c->lower.p, 0, 0, mode, &m) || m.end <= m.beg)
		return 0;
	/* +sentence: only what follows the end of a sentence ("... kata dia. (pm)") */
	if ((ru->flags & F_SENTENCE) && !ends_sentence(t->p, m.beg))
		return 0;
	size_t e = (ru->flags & F_HEADLINE) ? headline_end(c, t->p, t->len, m.beg, m.end) : m.end;
	if (removed(c, pos + m.beg, ru->cat, t->p + m.beg, e - m.beg) < 0)
		return KP_ENOMEM;
	cut(t, m.beg, e);
	if (c->comma)
		trim_commas(t);
	lower_ascii(&c->lower, t->p, t->len);
	return c->lower.len != t->len ? KP_ENOMEM : 1;
}


/* Inline and end rules over the paragraph text in t: each inline rule in
 * turn, then the end rules until none matches, as chrome glued to the end of
 * a paragraph comes in layers ("... tutupnya. Simak Video "..." (cas/mrp)
 * tags Sebelumnya ... 1 / 2 Selanjutnya ..."). */
static int apply_inline(kp_clean *c, kp_buf *t, size_t pos, int is_last, int words)
{
	lower_ascii(&c->lower, t->p, t->len);
	if (c->lower.len != t->len)
		return KP_ENOMEM;
	int long_para = words > CAPTION_MAX_WORDS;
	for (size_t k = 0; k < c->r->n; k++) {
		const rule *ru = &c->r->rules[k];
		if (ru->scope != S_INLINE || inline_mode(ru, is_last, t, &long_para) < 0)
			continue;
		for (int n = 0, rc = 1; n < INLINE_MAX && t->len && rc > 0; n++)
			if ((rc = cut_match(c, ru, t, pos, KP_MATCH_ANY)) < 0)
				return rc;
	}
	for (int round = 0, again = 1; again && round < TAIL_MAX && t->len; round++) {
		again = 0;
		for (size_t k = 0; k < c->r->n && t->len; k++) {
			const rule *ru = &c->r->rules[k];
			if (ru->scope != S_END || inline_mode(ru, is_last, t, &long_para) < 0)
				continue;
			int rc = cut_match(c, ru, t, pos, KP_MATCH_END);
			if (rc < 0)
				return rc;
			again |= rc;
		}
	}
	return 0;
}

/* Boilerplate no rule names: no letters at all, or a short shouted line. */
static int boilerplate(const kp_clean *c, cpara *p)
{
	if (!p->letters)
		return 1;
	return !p->term && p->words <= SHOUT_MAX_WORDS && p->len <= SHOUT_MAX_BYTES && p->letters >= SHOUT_MIN_LETTERS &&
	       p->uppers == p->letters &&
	       !stopwords(c, p);
}

static int clean_body(kp_clean *c)
{
	c->out.len = 0;
	int last_out = -1;
	/* the body, and the paragraphs above it that read as prose */
	for (int i = 0; i <= c->body_end && i < NPARAS(c); i++) {
		cpara *p = &PARAS(c)[i];
		size_t pos = LINES(c)[p->first].beg;
		if (i >= c->body_start && zone_rule(c, p, Z_BODY) < 0)
			return KP_ENOMEM;
		if (i >= c->body_start && p->cat < 0 && boilerplate(c, p))
			p->cat = CAT_BOILERPLATE;
		if (p->cat >= 0)
			continue;
		kp_buf *t = &c->work;
		t->len = 0;
		if (kp_buf_add(t, PTEXT(c, p), p->len) < 0)
			return KP_ENOMEM;
		if (i == c->body_start && c->dl_end && !(c->flags & KP_CLEAN_KEEP_DATELINE)) {
			if (removed(c, pos, CAT_DATELINE, t->p, c->dl_end) < 0)
				return KP_ENOMEM;
			size_t e = c->dl_end, k;
			if (e < t->len && kp_is_space_cp(cp_at(t->p, t->len, e, &k)))
				e += k; /* and the one space after it */
			cut(t, 0, e);
		}
		if (c->comma)
			trim_commas(t);
		/* (its cuts trim the commas again: see cut_match) */
		if (apply_inline(c, t, pos, i == c->body_end, p->words) < 0)
			return KP_ENOMEM;
		if (t->len == 0)
			continue;
		/* a paragraph split off at a loose comma join goes back where it
		 * was when the one before it stays (see comma_join) */
		const char *sep = "\n\n";
		size_t sl = 2;
		if (p->glue && last_out == i - 1) {
			sep = c->text + LINES(c)[PARAS(c)[i - 1].last].end;
			sl = LINES(c)[p->first].beg - LINES(c)[PARAS(c)[i - 1].last].end;
		}
		if ((c->out.len && kp_buf_add(&c->out, sep, sl) < 0) || kp_buf_add(&c->out, t->p, t->len) < 0)
			return KP_ENOMEM;
		last_out = i;
	}
	/* no date above the body: the first one the article states early on
	 * ("..., Rabu (4/6/2025)") */
	char iso[ISO_DATE_LEN + 1];
	for (int i = c->body_start; i < NPARAS(c) && i < c->body_start + DATE_BODY_PARAS && !c->has_field[KP_CLEAN_PUBLISHED];
	     i++) {
		const cpara *p = &PARAS(c)[i];
		if (find_date(c->r, PTEXT(c, p), p->len, iso) && set_field(c, KP_CLEAN_PUBLISHED, iso, ISO_DATE_LEN) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

/* Title-case a place written in capitals ("ATAMBUA" -> "Atambua"). */
static void place_case(kp_clean *c)
{
	if (!c->has_field[KP_CLEAN_PLACE])
		return;
	char *s = c->meta.p + c->field_off[KP_CLEAN_PLACE];
	size_t n = c->field_len[KP_CLEAN_PLACE];
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z' && i > 0 && s[i - 1] != ' ' && s[i - 1] != '-')
			s[i] = (char)(s[i] + 32);
}

/* Every removed line and paragraph, for the record. */
static int record_wholes(kp_clean *c)
{
	for (int i = 0; i < NLINES(c); i++) {
		const cline *l = &LINES(c)[i];
		if (l->cat >= 0 && removed(c, l->beg, l->cat, c->text + l->beg, l->end - l->beg) < 0)
			return KP_ENOMEM;
	}
	for (int i = 0; i < NPARAS(c); i++) {
		const cpara *p = &PARAS(c)[i];
		if (p->cat >= 0 && removed(c, LINES(c)[p->first].beg, p->cat, PTEXT(c, p), p->len) < 0)
			return KP_ENOMEM;
	}
	if (c->rems.len)
		qsort(c->rems.p, c->rems.len / sizeof(removal), sizeof(removal), cmp_removal);
	return 0;
}

int kp_clean_run(kp_clean *c, const char *text, size_t len)
{
	if (len > KP_CLEAN_MAX_TEXT)
		return KP_ETOOLONG;
	if (c->ncounts < c->r->ncats) { /* categories added since kp_clean_new */
		uint64_t *nc = realloc(c->counts, (size_t)c->r->ncats * sizeof *nc);
		if (!nc)
			return KP_ENOMEM;
		memset(nc + c->ncounts, 0, (size_t)(c->r->ncats - c->ncounts) * sizeof *nc);
		c->counts = nc;
		c->ncounts = c->r->ncats;
	}
	c->text = text;
	c->len = len;
	c->rtext.len = c->rems.len = c->meta.len = c->authors.len = c->out.len = 0;
	memset(c->has_field, 0, sizeof c->has_field);
	int rc = split_lines(c);
	if (rc >= 0)
		rc = mark_rules(c);
	if (rc >= 0) {
		mark_boxes(c);
		mark_tags(c);
		rc = build_paragraphs(c);
	}
	if (rc >= 0) {
		find_body(c);
		rc = classify_head(c);
	}
	if (rc >= 0)
		rc = classify_foot(c);
	if (rc >= 0)
		rc = clean_body(c);
	if (rc >= 0)
		rc = record_wholes(c);
	place_case(c);
	c->title.len = 0; /* kp_clean_set_title: for one run */
	return rc == KP_ETOOLONG ? rc : rc < 0 ? KP_ENOMEM : 0;
}

const char *kp_clean_text(const kp_clean *c, size_t *len)
{
	*len = c->out.len;
	return c->out.p ? c->out.p : "";
}

size_t kp_clean_nremoved(const kp_clean *c)
{
	return c->rems.len / sizeof(removal);
}

int kp_clean_removed(const kp_clean *c, size_t i, int *category, const char **text, size_t *len)
{
	if (i >= kp_clean_nremoved(c))
		return 0;
	const removal *rm = &((const removal *)(const void *)c->rems.p)[i];
	*category = rm->cat;
	*text = c->rtext.p + rm->off;
	*len = rm->len;
	return 1;
}

const char *kp_clean_field(const kp_clean *c, int field, size_t *len)
{
	if (field < 0 || field >= KP_CLEAN_NFIELDS || !c->has_field[field]) {
		*len = 0;
		return NULL;
	}
	*len = c->field_len[field];
	return c->meta.p + c->field_off[field];
}

size_t kp_clean_nauthors(const kp_clean *c)
{
	return c->authors.len / (2 * sizeof(size_t));
}

const char *kp_clean_author(const kp_clean *c, size_t i, size_t *len)
{
	if (i >= kp_clean_nauthors(c))
		return NULL;
	const size_t *a = (const size_t *)(const void *)c->authors.p;
	*len = a[2 * i + 1];
	return c->meta.p + a[2 * i];
}
