/* korpus cleaner: removes the chrome of Indonesian news pages (links,
 * promos, bylines, captions, datelines, footers, tag lists, ...) from a
 * document's text, keeps the article, and says what it removed and why.
 *
 * A rule set (kp_clean_rules) is compiled once and shared read-only by any
 * number of cleaners (kp_clean), one per thread.  Rules come from the
 * built-in lib/data/clean-rules.txt and from user files in the same format.
 */
#ifndef KORPUS_CLEAN_H
#define KORPUS_CLEAN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kp_clean_rules kp_clean_rules;

/* The built-in rules and word lists; NULL when out of memory. */
KP_API kp_clean_rules *kp_clean_rules_new(void);
/* Add rules from text in the rules format; name is used in messages.
 * Returns 0 or KP_EFORMAT ("rules.txt:12: unknown scope 'lines'").
 * Rules may be added (or cleared) after cleaners were made from r: each
 * applies them, and counts their categories, from its next kp_clean_run().
 * But r is read without locks: never change it while a cleaner runs. */
KP_API KP_WUR int kp_clean_rules_add(kp_clean_rules *r, const char *text, size_t len, const char *name);
/* Drop every rule (built-in ones included), keeping the word lists. */
KP_API void kp_clean_rules_clear(kp_clean_rules *r);
KP_API const char *kp_clean_rules_errmsg(const kp_clean_rules *r);
KP_API void kp_clean_rules_free(kp_clean_rules *r);
/* The text of the built-in rules file. */
KP_API const char *kp_clean_rules_builtin(size_t *len);

/* Categories of removed text ("baca-juga", "dateline", ...): the rules'
 * and the built-in detectors'.  Indexes are stable for a rule set. */
KP_API int kp_clean_ncategories(const kp_clean_rules *r);
KP_API const char *kp_clean_category(const kp_clean_rules *r, int i);

typedef struct kp_clean kp_clean;

enum {
	KP_CLEAN_KEEP_DATELINE = 1 << 0, /* leave the dateline in the text */
};

/* A cleaner using r (which must outlive it); NULL when out of memory. */
KP_API kp_clean *kp_clean_new(const kp_clean_rules *r, unsigned flags);
KP_API void kp_clean_free(kp_clean *c);

/* The longest text kp_clean_run() takes (2 GiB - 1), and the most lines
 * (a news article has hundreds; a text of a million lines is no article,
 * and its line records alone would take about 100 bytes each). */
#define KP_CLEAN_MAX_TEXT ((size_t)0x7fffffff)
#define KP_CLEAN_MAX_LINES ((size_t)1 << 20)

/* Clean one document's text (UTF-8).  Results are valid until the next
 * call.  Returns 0 or KP_ENOMEM / KP_ETOOLONG (a text over
 * KP_CLEAN_MAX_TEXT bytes or KP_CLEAN_MAX_LINES lines).  Memory: about six
 * times the text plus 96 bytes a line (at most ~100 MB for the lines); the
 * handle keeps its largest buffers for the next call. */
KP_API KP_WUR int kp_clean_run(kp_clean *c, const char *text, size_t len);

/* The document's own title (metadata.title), for the next kp_clean_run only:
 * a header line goes as the title when it (nearly) equals it, or when it
 * reads as a headline; a line that reads as prose never goes by its
 * position.  NULL (or no call) for none.  Returns 0 or KP_ENOMEM. */
KP_API KP_WUR int kp_clean_set_title(kp_clean *c, const char *title, size_t len);

/* The article: body paragraphs joined by a blank line. */
KP_API const char *kp_clean_text(const kp_clean *c, size_t *len);
/* Removed spans in text order: category index and the text. */
KP_API size_t kp_clean_nremoved(const kp_clean *c);
KP_API int kp_clean_removed(const kp_clean *c, size_t i, int *category, const char **text, size_t *len);

/* Metadata found on the page; NULL / 0 when absent.  Strings are borrowed. */
enum kp_clean_field {
	KP_CLEAN_TITLE,
	KP_CLEAN_EDITOR,
	KP_CLEAN_SOURCE,    /* "Sumber: ..." */
	KP_CLEAN_PUBLISHED, /* ISO 8601 date, YYYY-MM-DD */
	KP_CLEAN_PLACE,     /* dateline place, e.g. "Atambua" */
	KP_CLEAN_OUTLET,    /* dateline outlet, e.g. "POS-KUPANG.COM" */
	KP_CLEAN_DATELINE,  /* the dateline as written */
	KP_CLEAN_NFIELDS
};
KP_API const char *kp_clean_field(const kp_clean *c, int field, size_t *len);
KP_API size_t kp_clean_nauthors(const kp_clean *c);
KP_API const char *kp_clean_author(const kp_clean *c, size_t i, size_t *len);

/* Removals so far per category (summed over documents), for summaries;
 * 0 for a category the cleaner has not run with yet. */
KP_API uint64_t kp_clean_count(const kp_clean *c, int category);

#ifdef __cplusplus
}
#endif
#endif
