/* korpus-stats reports made from the JSON report: the text table and the
 * self-contained HTML page with SVG charts. */
#ifndef KORPUS_STATS_REPORT_H
#define KORPUS_STATS_REPORT_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "cli.h"

/* The tree of a JSON text (not NUL-terminated); NULL when it is not JSON. */
yajl_val json_tree(const char *json, size_t len);

/* 0, or < 0 when out of memory or the JSON is not a report. */
int stats_table(const char *json, size_t len, int top, sbuf *out);
int stats_html(const char *json, size_t len, sbuf *out);

/* The report of a korpus build: its manifest (without the outputs) and
 * the corpus's stats report (NULL: none), as an HTML page and as the
 * terminal's table.  0, or < 0 when out of memory or not JSON. */
int build_html(const char *manifest, size_t mlen, const char *stats, size_t slen, sbuf *out);
int build_table(const char *manifest, size_t mlen, sbuf *out);

/* The ids of the HTML page's charts, NULL-terminated (checked by
 * scripts/check-report). */
extern const char *const stats_chart_ids[];

#endif
