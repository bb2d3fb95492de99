/* The staged deduplication's record format and its reduce step (see
 * korpus/dedup.h): key records written for each document of a shard, read
 * back by the cluster step, which decides with the same index as the
 * streaming command. */
#define _GNU_SOURCE /* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "internal.h"
#include "u64map_int.h"
#include "korpus/dedup.h"
#include "korpus/doc.h"

#define EXACT_KEY_LEN 33 /* "e" + 32 hex digits */
#define BAND_KEY_LEN 19  /* "b" + 2 + 16 hex digits */
#define LENGTH_DIGITS 19 /* the longest LENGTH field */
#define NFIELDS 6        /* KEY ORDER LENGTH TIME MINHASH ID */
#define ORDER_SEED UINT64_C(0x6f72646572) /* the own key of a document without an exact key */

/* ---- order fields ------------------------------------------------------------- */

int kp_dedup_order_parse(const char *s, size_t n, uint64_t *order)
{
	*order = 0;
	if (n != KP_DEDUP_ORDER_LEN || s[6] != ':')
		return KP_EFORMAT;
	uint64_t shard = 0, num = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 6)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return KP_EFORMAT;
		uint64_t *v = i < 6 ? &shard : &num;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	if (num > KP_DEDUP_ORDER_NUM(UINT64_MAX))
		return KP_EFORMAT;
	*order = shard << KP_DEDUP_ORDER_SHIFT | num;
	return 0;
}

void kp_dedup_order_format(uint64_t order, char *buf)
{
	/* six and twelve digits, the lowest ones of larger numbers (shards
	 * are below 10^6, documents of a shard below 10^12) */
	uint64_t shard = KP_DEDUP_ORDER_SHARD(order), num = KP_DEDUP_ORDER_NUM(order);
	for (int i = 18; i > 6; i--, num /= 10)
		buf[i] = (char)('0' + num % 10);
	buf[6] = ':';
	for (int i = 5; i >= 0; i--, shard /= 10)
		buf[i] = (char)('0' + shard % 10);
	buf[KP_DEDUP_ORDER_LEN] = '\0';
}

/* ---- writing key records -------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

static size_t b64_encode(char *out, const uint8_t *p, size_t n)
{
	char *q = out;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		*q++ = b64[v >> 18];
		*q++ = b64[(v >> 12) & 63];
		*q++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*q++ = i + 2 < n ? b64[v & 63] : '=';
	}
	return (size_t)(q - out);
}

/* A digit's value; the padding '=' counts 0 (its bits are not read). */
static int b64_value(int c)
{
	return c == '=' ? 0 : kp_base64_value(c);
}

/* Decode n base64 characters (n a multiple of 4) into out: 0 or -1. */
static int b64_decode(uint8_t *out, const char *s, size_t n)
{
	for (size_t q = 0; q < n; q += 4) {
		int v[4];
		for (int t = 0; t < 4; t++)
			if ((v[t] = b64_value((unsigned char)s[q + t])) < 0)
				return -1;
		uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		*out++ = (uint8_t)(x >> 16);
		*out++ = (uint8_t)(x >> 8);
		*out++ = (uint8_t)x;
	}
	return 0;
}

size_t kp_dedup_records_size(const kp_dedup_params *p, size_t idlen, size_t timelen)
{
	size_t rest = 1 + KP_DEDUP_ORDER_LEN + 1 + LENGTH_DIGITS + 1 + timelen + 1 + b64_len((size_t)p->num_perm) + 1 +
		      idlen + 1;
	return (size_t)(1 + p->bands) * (EXACT_KEY_LEN + rest);
}

size_t kp_dedup_records_write(char *out, const kp_dedup_params *p, int with_exact, const uint8_t exact[16],
			      const uint8_t *minhash, const uint64_t *bands, uint64_t order, uint64_t textlen,
			      const char *id, size_t idlen, const char *time, size_t timelen)
{
	/* the fields after the key, the same in every record: written once,
	 * after the first key, and copied after the others */
	char head[64];
	char ord[KP_DEDUP_ORDER_LEN + 1];
	kp_dedup_order_format(order, ord);
	int hl = snprintf(head, sizeof head, "\t%s\t%llu\t", ord, (unsigned long long)textlen);
	char *o = out, *rest;
	size_t restlen;
	uint64_t lo, hi;
	memcpy(&lo, exact, 8);
	memcpy(&hi, exact + 8, 8);
	char key[EXACT_KEY_LEN + 1];
	int first = with_exact || !minhash;
	if (first)
		snprintf(key, sizeof key, "e%016llx%016llx", (unsigned long long)hi, (unsigned long long)lo);
	else
		snprintf(key, sizeof key, "b%02x%016llx", 0, (unsigned long long)bands[0]);
	size_t kl = strlen(key);
	memcpy(o, key, kl);
	o += kl;
	rest = o;
	memcpy(o, head, (size_t)hl);
	o += hl;
	memcpy(o, time, timelen);
	o += timelen;
	*o++ = '\t';
	if (minhash)
		o += b64_encode(o, minhash, (size_t)p->num_perm);
	else
		*o++ = '-';
	*o++ = '\t';
	memcpy(o, id, idlen);
	o += idlen;
	*o++ = '\n';
	restlen = (size_t)(o - rest);
	for (int b = first ? 0 : 1; minhash && b < p->bands; b++) {
		snprintf(key, sizeof key, "b%02x%016llx", b, (unsigned long long)bands[b]);
		memcpy(o, key, BAND_KEY_LEN);
		o += BAND_KEY_LEN;
		memmove(o, rest, restlen);
		o += restlen;
	}
	return (size_t)(o - out);
}

static int hex_value(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_hex(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_value((unsigned char)s[i]);
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

long kp_dedup_record_key(const char *line, size_t len)
{
	size_t tabs = 0, kl = len;
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\t' && tabs++ == 0)
			kl = i;
	if (!len || tabs != NFIELDS - 1 || !((line[0] == 'e' && kl == EXACT_KEY_LEN) || (line[0] == 'b' && kl == BAND_KEY_LEN)))
		return KP_EFORMAT;
	return (long)kl;
}

/* ---- the reduce: records of shared keys -> the documents to remove ---------------- */

struct cdoc {
	uint64_t order, len;
	char *id, *time;
	uint8_t *mh; /* NULL: exact key only */
	uint8_t exact[16];
	int has_exact;
	unsigned char *use; /* the bands shared with another document */
	uint64_t *band;
};

struct kp_dedup_cluster {
	kp_dedup_params dp;
	enum kp_dedup_keep keep;
	kp_doc *check; /* validates the JSON of ids and times */
	kp_buf scratch;
	struct cdoc *docs;
	size_t n, cap;
	kp_u64map byorder; /* order + 1 -> the document's place in docs, from 1 */
	kp_err err;
};

kp_dedup_cluster *kp_dedup_cluster_new(const kp_dedup_params *p, enum kp_dedup_keep keep)
{
	kp_dedup_cluster *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->dp = *p;
	k->keep = keep;
	kp_buf_init(&k->scratch, SIZE_MAX);
	if (!(k->check = kp_doc_new(0, KP_DOC_TEXT_OPTIONAL))) {
		free(k);
		return NULL;
	}
	return k;
}

void kp_dedup_cluster_free(kp_dedup_cluster *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->docs[i].id);
		free(k->docs[i].time);
		free(k->docs[i].mh);
		free(k->docs[i].use);
		free(k->docs[i].band);
	}
	free(k->docs);
	kp_u64map_free(&k->byorder);
	kp_doc_free(k->check);
	kp_buf_free(&k->scratch);
	free(k);
}

const char *kp_dedup_cluster_errmsg(const kp_dedup_cluster *k)
{
	return k->err.msg;
}

size_t kp_dedup_cluster_docs(const kp_dedup_cluster *k)
{
	return k->n;
}

/* The document of an order, made when new; NULL when out of memory. */
static struct cdoc *doc_of(kp_dedup_cluster *k, uint64_t order)
{
	uint64_t at = kp_u64map_get(&k->byorder, order + 1);
	if (at)
		return &k->docs[at - 1];
	struct cdoc *nd = kp_grow_array(k->docs, &k->cap, k->n + 1, sizeof *nd, 1024);
	if (!nd)
		return NULL;
	k->docs = nd;
	if (kp_u64map_add(&k->byorder, order + 1, k->n + 1, 0) < 0)
		return NULL;
	struct cdoc *d = &k->docs[k->n++];
	memset(d, 0, sizeof *d);
	d->order = order;
	return d;
}

static char *dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Is s[0..n) one JSON value starting with one of the characters first?
 * 1, 0, or KP_ENOMEM. */
static int json_value_ok(kp_dedup_cluster *k, const char *s, size_t n, const char *first)
{
	if (!n || !strchr(first, s[0]))
		return 0;
	kp_buf *b = &k->scratch;
	b->len = 0;
	if (kp_buf_add(b, "{\"v\":", 5) < 0 || kp_buf_add(b, s, n) < 0 || kp_buf_add(b, "}", 1) < 0)
		return KP_ENOMEM;
	const char *raw;
	size_t rl;
	return kp_doc_parse(k->check, b->p, b->len) >= 0 && kp_doc_get_raw(k->check, "v", &raw, &rl) && rl == n;
}

static int bad(kp_dedup_cluster *k, const char *what)
{
	return kp_err_set(&k->err, KP_EFORMAT, "%s", what);
}

/* The fields of a record; 0 or KP_EFORMAT. */
static int split_fields(kp_dedup_cluster *k, const char *line, size_t len, const char **f, size_t *fl)
{
	size_t i = 0;
	for (int n = 0; n < NFIELDS; n++) {
		const char *tab = n < NFIELDS - 1 ? memchr(line + i, '\t', len - i) : NULL;
		size_t e = tab ? (size_t)(tab - line) : len;
		if (n < NFIELDS - 1 && !tab)
			return bad(k, "not a key record of korpus-dedup sign");
		f[n] = line + i;
		fl[n] = e - i;
		i = e + 1;
	}
	return 0;
}

/* The record's MinHash into d (the first record of a document that has one). */
static int take_minhash(kp_dedup_cluster *k, struct cdoc *d, const char *s, size_t n)
{
	int np = k->dp.num_perm;
	if (d->mh || (n == 1 && s[0] == '-'))
		return 0;
	size_t want = b64_len((size_t)np);
	if (n != want)
		return kp_err_set(&k->err, KP_EFORMAT,
				  "the MinHash has %zu characters, not %zu: was it signed with --num-perm %d?", n, want, np);
	if (!(d->mh = malloc((size_t)np + 3)))
		return KP_ENOMEM;
	return b64_decode(d->mh, s, n) < 0 ? bad(k, "bad MinHash") : 0;
}

/* The record's key into d. */
static int take_key(kp_dedup_cluster *k, struct cdoc *d, const char *s, size_t n)
{
	if (s[0] == 'e' && n == EXACT_KEY_LEN) {
		uint64_t hi, lo;
		if (parse_hex(s + 1, 16, &hi) < 0 || parse_hex(s + 17, 16, &lo) < 0)
			return bad(k, "bad key");
		memcpy(d->exact, &lo, 8);
		memcpy(d->exact + 8, &hi, 8);
		d->has_exact = 1;
		return 0;
	}
	if (s[0] != 'b' || n != BAND_KEY_LEN)
		return bad(k, "not a key record of korpus-dedup sign");
	uint64_t b, key;
	if (parse_hex(s + 1, 2, &b) < 0 || parse_hex(s + 3, 16, &key) < 0 || (int)b >= k->dp.bands)
		return bad(k, "bad band key (signed with other --bands?)");
	if (!d->use) {
		d->use = calloc((size_t)k->dp.bands, 1);
		d->band = calloc((size_t)k->dp.bands, sizeof *d->band);
		if (!d->use || !d->band)
			return KP_ENOMEM;
	}
	d->use[b] = 1;
	d->band[b] = key;
	return 0;
}

int kp_dedup_cluster_add(kp_dedup_cluster *k, const char *line, size_t len)
{
	const char *f[NFIELDS];
	size_t fl[NFIELDS];
	int rc;
	kp_err_clear(&k->err);
	if ((rc = split_fields(k, line, len, f, fl)) < 0)
		return rc;
	uint64_t order;
	if (kp_dedup_order_parse(f[1], fl[1], &order) < 0)
		return bad(k, "bad order field");
	/* the fields copied into the removal list or steering the keep order
	 * must be what sign writes: a JSON id, a JSON time, a decimal length */
	if ((rc = json_value_ok(k, f[5], fl[5], "\"0123456789-n")) <= 0)
		return rc < 0 ? rc : bad(k, "the id is not a JSON string, number or null");
	if ((rc = json_value_ok(k, f[3], fl[3], "\"n")) <= 0)
		return rc < 0 ? rc : bad(k, "the time is not a JSON string or null");
	uint64_t textlen = 0;
	if (!fl[2] || fl[2] > LENGTH_DIGITS)
		return bad(k, "bad length field");
	for (size_t q = 0; q < fl[2]; q++) {
		if (f[2][q] < '0' || f[2][q] > '9')
			return bad(k, "bad length field");
		textlen = textlen * 10 + (uint64_t)(f[2][q] - '0');
	}
	struct cdoc *d = doc_of(k, order);
	if (!d)
		return KP_ENOMEM;
	if (!d->id) {
		d->id = dupn(f[5], fl[5]);
		d->time = dupn(f[3], fl[3]);
		d->len = textlen;
		if (!d->id || !d->time)
			return KP_ENOMEM;
	} else if (strlen(d->id) != fl[5] || memcmp(d->id, f[5], fl[5]) != 0 || strlen(d->time) != fl[3] ||
		   memcmp(d->time, f[3], fl[3]) != 0 || d->len != textlen) {
		char ord[KP_DEDUP_ORDER_LEN + 1];
		kp_dedup_order_format(order, ord);
		return kp_err_set(&k->err, KP_EFORMAT,
				  "the records of document %s disagree on its id, time or length (records of two runs mixed?)",
				  ord);
	}
	if ((rc = take_minhash(k, d, f[4], fl[4])) < 0)
		return rc;
	return take_key(k, d, f[0], fl[0]);
}

/* Priority for the keep mode: the document that stays comes first. */
static int by_priority(const void *a, const void *b, void *arg)
{
	const struct cdoc *x = *(const struct cdoc *const *)a, *y = *(const struct cdoc *const *)b;
	enum kp_dedup_keep keep = *(const enum kp_dedup_keep *)arg;
	if (keep == KP_DEDUP_KEEP_LONGEST && x->len != y->len)
		return x->len > y->len ? -1 : 1;
	if (keep == KP_DEDUP_KEEP_NEWEST) {
		int xn = !strcmp(x->time, "null"), yn = !strcmp(y->time, "null");
		int t = xn != yn ? (xn ? 1 : -1) : -strcmp(x->time, y->time);
		if (t)
			return t;
	}
	return (x->order > y->order) - (x->order < y->order);
}

static int by_order(const void *a, const void *b)
{
	const struct cdoc *x = *(const struct cdoc *const *)a, *y = *(const struct cdoc *const *)b;
	return (x->order > y->order) - (x->order < y->order);
}

/* Offer the documents to the index in priority order; v[i] the verdict
 * of order[i]. */
static int decide_all(kp_dedup_cluster *k, struct cdoc **order, kp_dedup_verdict *v)
{
	kp_dedup_index *x = kp_dedup_index_new(&k->dp, 0);
	kp_dedup_sig *sig = malloc(sizeof *sig);
	static const unsigned char none[KP_DEDUP_MAX_BANDS];
	int rc = x && sig ? 0 : KP_ENOMEM;
	for (size_t i = 0; rc == 0 && i < k->n; i++) {
		struct cdoc *d = order[i];
		if (d->has_exact) {
			memcpy(sig->exact, d->exact, 16);
		} else { /* its key is its own: a name no other has */
			XXH128_hash_t h = XXH3_128bits_withSeed(&d->order, sizeof d->order, ORDER_SEED);
			memcpy(sig->exact, &h.low64, 8);
			memcpy(sig->exact + 8, &h.high64, 8);
		}
		sig->near = d->mh != NULL;
		if (d->mh)
			memcpy(sig->mh, d->mh, (size_t)k->dp.num_perm * sizeof *d->mh);
		if (d->band)
			memcpy(sig->band, d->band, (size_t)k->dp.bands * sizeof *d->band);
		rc = kp_dedup_index_add(x, i, sig, d->use ? d->use : none, &v[i]);
	}
	free(sig);
	kp_dedup_index_free(x);
	return rc;
}

int kp_dedup_cluster_decide(kp_dedup_cluster *k, int (*fn)(void *ctx, const char *rec, size_t n), void *ctx,
			    uint64_t *removed, uint64_t *exact)
{
	size_t n = k->n ? k->n : 1;
	struct cdoc **order = malloc(n * sizeof *order), **byorder = malloc(n * sizeof *byorder);
	size_t *rank = malloc(n * sizeof *rank);
	kp_dedup_verdict *v = calloc(n, sizeof *v);
	kp_buf o;
	kp_buf_init(&o, SIZE_MAX);
	*removed = *exact = 0;
	int rc = order && byorder && rank && v ? 0 : KP_ENOMEM;
	if (rc == 0) {
		for (size_t i = 0; i < k->n; i++)
			order[i] = byorder[i] = &k->docs[i];
		qsort_r(order, k->n, sizeof *order, by_priority, &k->keep);
		rc = decide_all(k, order, v);
	}
	if (rc == 0) {
		/* the removal list in input order */
		qsort(byorder, k->n, sizeof *byorder, by_order);
		for (size_t i = 0; i < k->n; i++)
			rank[order[i] - k->docs] = i;
	}
	for (size_t i = 0; rc == 0 && i < k->n; i++) {
		const struct cdoc *d = byorder[i];
		const kp_dedup_verdict *vd = &v[rank[d - k->docs]];
		if (vd->kind == KP_DEDUP_KEPT)
			continue;
		(*removed)++;
		*exact += vd->kind == KP_DEDUP_EXACT;
		const struct cdoc *keeper = order[vd->dup_of];
		char ord[KP_DEDUP_ORDER_LEN + 1], tail[64];
		kp_dedup_order_format(d->order, ord);
		snprintf(tail, sizeof tail, "\",\"jaccard\":%.4g}\n", vd->jaccard);
		const char *kind = vd->kind == KP_DEDUP_EXACT ? "exact" : "near";
		o.len = 0;
		rc = kp_buf_add(&o, "{\"order\":\"", 10) | kp_buf_add(&o, ord, KP_DEDUP_ORDER_LEN) |
		     kp_buf_add(&o, "\",\"id\":", 7) | kp_buf_add(&o, d->id, strlen(d->id)) |
		     kp_buf_add(&o, ",\"dup_of\":", 10) | kp_buf_add(&o, keeper->id, strlen(keeper->id)) |
		     kp_buf_add(&o, ",\"kind\":\"", 9) | kp_buf_add(&o, kind, strlen(kind)) |
		     kp_buf_add(&o, tail, strlen(tail));
		if (rc < 0)
			rc = KP_ENOMEM;
		else
			rc = fn(ctx, o.p, o.len);
	}
	kp_buf_free(&o);
	free(order);
	free(byorder);
	free(rank);
	free(v);
	return rc < 0 ? rc : 0;
}
