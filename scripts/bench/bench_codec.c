/* Codec benchmark: the same JSONL file, held in memory, through
 *   korpus   round trip: parse + validate, take "text", put it back, serialize
 *   korpus   validate only
 *   yajl     validating scan (no-op callbacks, one handle for the stream)
 *   yajl     tree round trip (yajl_tree_parse + yajl_gen), per line
 *   jansson  round trip (json_loadb + json_dumps), when built with it
 *   cJSON    round trip (cJSON_ParseWithLength + cJSON_PrintUnformatted)
 * Reports MB/s of input (best of --runs) on one core.  Not a test: timings
 * belong here, never in pass/fail tests. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>
#ifdef HAVE_JANSSON
#include <jansson.h>
#endif
#ifdef HAVE_CJSON
#include <cjson/cJSON.h>
#endif

#include "korpus/korpus.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct input {
	char *data;
	size_t len;
	size_t *starts, *lens;
	size_t nlines;
};

static volatile size_t sink; /* keeps results alive */

static void load(const char *path, struct input *in)
{
	kp_reader *r = kp_reader_new(0);
	if (kp_reader_open(r, path) < 0) {
		fprintf(stderr, "bench_codec: %s\n", kp_reader_errmsg(r));
		exit(1);
	}
	size_t cap = 1 << 20, cap_lines = 1024;
	in->data = malloc(cap);
	in->starts = malloc(cap_lines * sizeof(size_t));
	in->lens = malloc(cap_lines * sizeof(size_t));
	const char *line;
	size_t len;
	int rc;
	while ((rc = kp_reader_getline(r, &line, &len)) == 1) {
		while (in->len + len + 1 > cap)
			in->data = realloc(in->data, cap *= 2);
		if (in->nlines == cap_lines) {
			cap_lines *= 2;
			in->starts = realloc(in->starts, cap_lines * sizeof(size_t));
			in->lens = realloc(in->lens, cap_lines * sizeof(size_t));
		}
		memcpy(in->data + in->len, line, len);
		in->starts[in->nlines] = in->len;
		in->lens[in->nlines++] = len;
		in->len += len;
		in->data[in->len++] = '\n';
	}
	if (rc < 0) {
		fprintf(stderr, "bench_codec: %s:%llu: %s\n", path, (unsigned long long)kp_reader_lineno(r),
			kp_reader_errmsg(r));
		exit(1);
	}
	kp_reader_free(r);
}

static void korpus_roundtrip(const struct input *in)
{
	kp_doc *d = kp_doc_new(0, 0);
	size_t total = 0;
	for (size_t i = 0; i < in->nlines; i++) {
		const char *t, *o;
		size_t n, on;
		if (kp_doc_parse(d, in->data + in->starts[i], in->lens[i]) < 0 || kp_doc_text(d, &t, &n) < 0 ||
		    kp_doc_set_text(d, t, n) < 0 || kp_doc_serialize(d, &o, &on) < 0) {
			fprintf(stderr, "line %zu: %s\n", i + 1, kp_doc_errmsg(d));
			exit(1);
		}
		total += on;
	}
	sink = total;
	kp_doc_free(d);
}

static void korpus_validate(const struct input *in)
{
	kp_doc *d = kp_doc_new(0, 0);
	size_t ok = 0;
	for (size_t i = 0; i < in->nlines; i++)
		ok += kp_doc_parse(d, in->data + in->starts[i], in->lens[i]) == 0;
	sink = ok;
	kp_doc_free(d);
}

static void yajl_scan(const struct input *in)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	yajl_config(h, yajl_allow_multiple_values, 1);
	if (yajl_parse(h, (const unsigned char *)in->data, in->len) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok) {
		fprintf(stderr, "yajl rejected the input\n");
		exit(1);
	}
	yajl_free(h);
}

static void yajl_gen_node(yajl_gen g, yajl_val v)
{
	if (YAJL_IS_OBJECT(v)) {
		yajl_gen_map_open(g);
		for (size_t k = 0; k < v->u.object.len; k++) {
			const char *key = v->u.object.keys[k];
			yajl_gen_string(g, (const unsigned char *)key, strlen(key));
			yajl_gen_node(g, v->u.object.values[k]);
		}
		yajl_gen_map_close(g);
	} else if (YAJL_IS_ARRAY(v)) {
		yajl_gen_array_open(g);
		for (size_t k = 0; k < v->u.array.len; k++)
			yajl_gen_node(g, v->u.array.values[k]);
		yajl_gen_array_close(g);
	} else if (YAJL_IS_STRING(v)) {
		yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
	} else if (YAJL_IS_NUMBER(v)) {
		yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	} else if (YAJL_IS_TRUE(v)) {
		yajl_gen_bool(g, 1);
	} else if (YAJL_IS_FALSE(v)) {
		yajl_gen_bool(g, 0);
	} else {
		yajl_gen_null(g);
	}
}

static void yajl_tree_roundtrip(const struct input *in)
{
	char *line = malloc(in->len + 1);
	size_t total = 0;
	yajl_gen g = yajl_gen_alloc(NULL);
	for (size_t i = 0; i < in->nlines; i++) {
		memcpy(line, in->data + in->starts[i], in->lens[i]);
		line[in->lens[i]] = '\0';
		yajl_val v = yajl_tree_parse(line, NULL, 0);
		if (!v) {
			fprintf(stderr, "yajl_tree rejected line %zu\n", i + 1);
			exit(1);
		}
		yajl_gen_clear(g);
		yajl_gen_reset(g, NULL);
		yajl_gen_node(g, v);
		const unsigned char *o;
		size_t on;
		yajl_gen_get_buf(g, &o, &on);
		total += on;
		yajl_tree_free(v);
	}
	yajl_gen_free(g);
	free(line);
	sink = total;
}

#ifdef HAVE_JANSSON
static void jansson_roundtrip(const struct input *in)
{
	size_t total = 0;
	for (size_t i = 0; i < in->nlines; i++) {
		json_error_t err;
		json_t *v = json_loadb(in->data + in->starts[i], in->lens[i], 0, &err);
		if (!v) {
			fprintf(stderr, "jansson rejected line %zu\n", i + 1);
			exit(1);
		}
		char *o = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		total += strlen(o);
		free(o);
		json_decref(v);
	}
	sink = total;
}
#endif

#ifdef HAVE_CJSON
static void cjson_roundtrip(const struct input *in)
{
	size_t total = 0;
	for (size_t i = 0; i < in->nlines; i++) {
		cJSON *v = cJSON_ParseWithLength(in->data + in->starts[i], in->lens[i]);
		if (!v) {
			fprintf(stderr, "cJSON rejected line %zu\n", i + 1);
			exit(1);
		}
		char *o = cJSON_PrintUnformatted(v);
		total += strlen(o);
		free(o);
		cJSON_Delete(v);
	}
	sink = total;
}
#endif

static void bench(const char *name, void (*fn)(const struct input *), const struct input *in, int runs)
{
	double best = 1e30;
	for (int r = 0; r < runs; r++) {
		double t = now();
		fn(in);
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%-34s %8.1f MB/s  (%.3f s for %.1f MB, %zu docs)\n", name, in->len / 1e6 / best, best, in->len / 1e6,
	       in->nlines);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_codec FILE.jsonl[.gz] [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	struct input in = {0};
	load(argv[1], &in);
	bench("korpus round trip (kp_doc)", korpus_roundtrip, &in, runs);
	bench("korpus validate only", korpus_validate, &in, runs);
	bench("yajl validating scan", yajl_scan, &in, runs);
	bench("yajl tree round trip", yajl_tree_roundtrip, &in, runs);
#ifdef HAVE_JANSSON
	bench("jansson round trip", jansson_roundtrip, &in, runs);
#endif
#ifdef HAVE_CJSON
	bench("cJSON round trip", cjson_roundtrip, &in, runs);
#endif
	free(in.data);
	free(in.starts);
	free(in.lens);
	return 0;
}
