/* Packed corpora: blocked gzip (BGZF-like) written on several threads, its
 * index, random access through the index, and a block-by-block check.
 * The formats are described in korpus/pack.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <xxhash.h>

#include "internal.h"
#include "korpus/doc.h"
#include "korpus/pack.h"

#define HDR_KP 20 /* 12 + XLEN 8: 'K' 'P' 4 0 u32 */
#define HDR_BC 18 /* 12 + XLEN 6: 'B' 'C' 2 0 u16 */
#define HDR_PLAIN 10 /* no FEXTRA */
#define TRAILER 8
#define INDEX_HEAD 56
#define INDEX_MAGIC "KPINDEX\x1a"

/* The empty member that ends a BGZF file (htslib's, byte for byte). */
static const unsigned char eof_member[KP_PACK_EOF_SIZE] = {0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 'B', 'C',
							   2,    0,    0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

uint64_t kp_pack_id_hash(const char *id, size_t len)
{
	return XXH3_64bits(id, len);
}

/* ---- writing -------------------------------------------------------------------- */

enum { SLOT_FREE, SLOT_FILLED, SLOT_DONE };

struct slot {
	unsigned char *in, *out;
	size_t inlen, outlen;
	uint32_t crc;
	int state, rc;
};

struct blk {
	uint64_t off;
	uint32_t csize, usize, crc;
};

struct idrec {
	uint64_t hash, ord;
};

struct kp_packer {
	kp_pack_params p;
	size_t bs, outcap;
	int (*write)(void *ctx, const void *p, size_t n);
	void *ctx;
	struct slot *slots;
	int nslots;
	uint64_t filled, written, next_job; /* block numbers */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t *th;
	int nth, stop, finished;
	struct libdeflate_compressor *z; /* the caller's, when there are no threads */
	struct blk *blocks;
	size_t nblocks, blkcap;
	uint64_t *docs;
	size_t ndocs, doccap;
	struct idrec *ids;
	size_t nids, idcap;
	uint64_t repeated; /* ids that an earlier document has (by their hashes) */
	uint64_t bytes_in, bytes_out;
	int rc;
	kp_err err;
};

/* Raw deflate of one block into its member: header, data, trailer. */
static int compress_slot(const kp_packer *k, struct libdeflate_compressor *z, struct slot *s)
{
	size_t hl = k->p.plain ? HDR_PLAIN : k->p.bgzf ? HDR_BC : HDR_KP, n = s->inlen;
	unsigned char *o = s->out;
	s->crc = libdeflate_crc32(0, s->in, n);
	size_t dl = libdeflate_deflate_compress(z, s->in, n, o + hl, k->outcap - hl - TRAILER);
	if (!dl)
		dl = (size_t)-1;
	if (k->p.bgzf && (dl == (size_t)-1 || hl + dl + TRAILER > 65536)) {
		/* incompressible: one stored deflate block (n <= 65280) */
		o[hl] = 1;
		put16(o + hl + 1, (uint32_t)n);
		put16(o + hl + 3, (uint32_t)~n & 0xffff);
		memcpy(o + hl + 5, s->in, n);
		dl = n + 5;
	} else if (dl == (size_t)-1) {
		return KP_ENOMEM;
	}
	size_t total = hl + dl + TRAILER;
	o[0] = 0x1f;
	o[1] = 0x8b;
	o[2] = 8;
	o[3] = k->p.plain ? 0 : 4; /* FEXTRA */
	put32(o + 4, 0);
	o[8] = 0;
	o[9] = 0xff;
	if (k->p.plain) {
		/* no subfield */
	} else if (k->p.bgzf) {
		put16(o + 10, 6);
		o[12] = 'B';
		o[13] = 'C';
		put16(o + 14, 2);
		put16(o + 16, (uint32_t)(total - 1));
	} else {
		put16(o + 10, 8);
		o[12] = 'K';
		o[13] = 'P';
		put16(o + 14, 4);
		put32(o + 16, (uint32_t)(total - 1));
	}
	put32(o + total - 8, s->crc);
	put32(o + total - 4, (uint32_t)n);
	s->outlen = total;
	return 0;
}

static void *worker(void *arg)
{
	kp_packer *k = arg;
	struct libdeflate_compressor *z = libdeflate_alloc_compressor(k->p.level);
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->stop && k->next_job == k->filled)
			pthread_cond_wait(&k->work, &k->mu);
		if (k->next_job == k->filled)
			break;
		struct slot *s = &k->slots[k->next_job++ % (uint64_t)k->nslots];
		pthread_mutex_unlock(&k->mu);
		int rc = z ? compress_slot(k, z, s) : KP_ENOMEM;
		pthread_mutex_lock(&k->mu);
		s->rc = rc;
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&k->done);
	}
	pthread_mutex_unlock(&k->mu);
	libdeflate_free_compressor(z);
	return NULL;
}

static int out(kp_packer *k, const void *p, size_t n)
{
	int rc = k->write(k->ctx, p, n);
	if (rc < 0)
		return k->rc = kp_err_set(&k->err, rc, "write failed");
	k->bytes_out += n;
	return 0;
}

/* Write the compressed blocks before block `upto`, waiting for them. */
static int drain(kp_packer *k, uint64_t upto)
{
	while (k->written < upto) {
		struct slot *s = &k->slots[k->written % (uint64_t)k->nslots];
		if (k->nth) {
			pthread_mutex_lock(&k->mu);
			while (s->state != SLOT_DONE)
				pthread_cond_wait(&k->done, &k->mu);
			pthread_mutex_unlock(&k->mu);
		}
		if (s->rc < 0)
			return k->rc = kp_err_set(&k->err, s->rc, "out of memory compressing a block");
		struct blk *nb = kp_grow_array(k->blocks, &k->blkcap, k->nblocks + 1, sizeof *nb, 64);
		if (!nb)
			return k->rc = kp_err_set(&k->err, KP_ENOMEM, "out of memory");
		k->blocks = nb;
		k->blocks[k->nblocks++] = (struct blk){k->bytes_out, (uint32_t)s->outlen, (uint32_t)s->inlen, s->crc};
		if (out(k, s->out, s->outlen) < 0)
			return k->rc;
		s->inlen = 0;
		s->state = SLOT_FREE;
		k->written++;
	}
	return 0;
}

/* Hand the block being filled to compression and make the next slot free. */
static int submit(kp_packer *k)
{
	struct slot *s = &k->slots[k->filled % (uint64_t)k->nslots];
	if (!k->nth) {
		s->rc = compress_slot(k, k->z, s);
		s->state = SLOT_DONE;
		k->filled++;
		return drain(k, k->filled);
	}
	pthread_mutex_lock(&k->mu);
	s->state = SLOT_FILLED;
	k->filled++;
	pthread_cond_signal(&k->work);
	pthread_mutex_unlock(&k->mu);
	/* the next block's slot held block filled - nslots: written first */
	if (k->filled >= (uint64_t)k->nslots)
		return drain(k, k->filled - (uint64_t)k->nslots + 1);
	return 0;
}

static void stop_threads(kp_packer *k)
{
	if (!k->nth)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_broadcast(&k->work);
	pthread_mutex_unlock(&k->mu);
	for (int i = 0; i < k->nth; i++)
		pthread_join(k->th[i], NULL);
	k->nth = 0;
}

kp_packer *kp_packer_new(const kp_pack_params *p, int (*write)(void *ctx, const void *p, size_t n), void *ctx)
{
	kp_pack_params q = *p;
	if (!q.level)
		q.level = 6;
	if (!q.block_size)
		q.block_size = q.bgzf ? KP_PACK_BLOCK_BGZF : KP_PACK_BLOCK_DEFAULT;
	if (q.level < 1 || q.level > 9 || q.block_size > (q.bgzf ? KP_PACK_BLOCK_BGZF : KP_PACK_BLOCK_MAX))
		return NULL;
	kp_packer *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->p = q;
	k->bs = q.block_size;
	k->write = write;
	k->ctx = ctx;
	k->outcap = HDR_KP + libdeflate_deflate_compress_bound(NULL, k->bs) + 64 + TRAILER;
	int threads = q.threads > 1 ? q.threads : 0;
	k->nslots = threads ? 2 * threads + 2 : 1;
	k->slots = calloc((size_t)k->nslots, sizeof *k->slots);
	int ok = k->slots != NULL;
	for (int i = 0; ok && i < k->nslots; i++) {
		k->slots[i].in = malloc(k->bs);
		k->slots[i].out = malloc(k->outcap);
		ok = k->slots[i].in && k->slots[i].out;
	}
	if (ok && !threads)
		ok = (k->z = libdeflate_alloc_compressor(q.level)) != NULL;
	if (ok && threads) {
		pthread_mutex_init(&k->mu, NULL);
		pthread_cond_init(&k->work, NULL);
		pthread_cond_init(&k->done, NULL);
		k->th = calloc((size_t)threads, sizeof *k->th);
		ok = k->th != NULL;
		for (int i = 0; ok && i < threads; i++) {
			ok = pthread_create(&k->th[i], NULL, worker, k) == 0;
			if (ok)
				k->nth++;
		}
	}
	if (!ok) {
		kp_packer_free(k);
		return NULL;
	}
	return k;
}

void kp_packer_free(kp_packer *k)
{
	if (!k)
		return;
	int had_threads = k->th != NULL;
	stop_threads(k);
	if (had_threads) {
		pthread_mutex_destroy(&k->mu);
		pthread_cond_destroy(&k->work);
		pthread_cond_destroy(&k->done);
	}
	free(k->th);
	libdeflate_free_compressor(k->z);
	for (int i = 0; k->slots && i < k->nslots; i++) {
		free(k->slots[i].in);
		free(k->slots[i].out);
	}
	free(k->slots);
	free(k->blocks);
	free(k->docs);
	free(k->ids);
	free(k);
}

static int add_bytes(kp_packer *k, const char *p, size_t n)
{
	while (n) {
		struct slot *s = &k->slots[k->filled % (uint64_t)k->nslots];
		size_t room = k->bs - s->inlen, m = n < room ? n : room;
		memcpy(s->in + s->inlen, p, m);
		s->inlen += m;
		p += m;
		n -= m;
		if (s->inlen == k->bs && submit(k) < 0)
			return k->rc;
	}
	return 0;
}

int kp_packer_write(kp_packer *k, const void *p, size_t n)
{
	if (k->rc < 0)
		return k->rc;
	if (k->finished)
		return kp_err_set(&k->err, KP_ESTATE, "the packer is finished");
	k->bytes_in += n;
	return add_bytes(k, p, n) < 0 ? k->rc : 0;
}

int kp_packer_add(kp_packer *k, const char *line, size_t len, const char *id, size_t idlen)
{
	if (k->rc < 0)
		return k->rc;
	if (k->finished)
		return kp_err_set(&k->err, KP_ESTATE, "the packer is finished");
	uint64_t *nd = kp_grow_array(k->docs, &k->doccap, k->ndocs + 1, sizeof *nd, 1024);
	if (!nd)
		return k->rc = kp_err_set(&k->err, KP_ENOMEM, "out of memory");
	k->docs = nd;
	uint64_t block = k->bytes_in / k->bs;
	if (block > UINT32_MAX)
		return k->rc = kp_err_set(&k->err, KP_ETOOLONG, "more than 2^32 blocks: use --split-size");
	k->docs[k->ndocs] = block << 32 | (k->bytes_in % k->bs);
	if (id && !k->p.text) {
		struct idrec *ni = kp_grow_array(k->ids, &k->idcap, k->nids + 1, sizeof *ni, 1024);
		if (!ni)
			return k->rc = kp_err_set(&k->err, KP_ENOMEM, "out of memory");
		k->ids = ni;
		k->ids[k->nids++] = (struct idrec){kp_pack_id_hash(id, idlen), k->ndocs};
	}
	k->ndocs++;
	k->bytes_in += len + 1;
	if (add_bytes(k, line, len) < 0 || add_bytes(k, "\n", 1) < 0)
		return k->rc;
	return 0;
}

int kp_packer_finish(kp_packer *k)
{
	if (k->rc < 0 || k->finished)
		return k->rc;
	k->finished = 1;
	if (k->slots[k->filled % (uint64_t)k->nslots].inlen && submit(k) < 0)
		return k->rc;
	if (drain(k, k->filled) < 0)
		return k->rc;
	stop_threads(k);
	return k->p.plain ? 0 : out(k, eof_member, sizeof eof_member);
}

static int cmp_idrec(const void *a, const void *b)
{
	const struct idrec *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->ord > y->ord) - (x->ord < y->ord);
}

int kp_packer_index(kp_packer *k, int (*write)(void *ctx, const void *p, size_t n), void *ctx)
{
	if (k->rc < 0)
		return k->rc;
	if (!k->finished)
		return kp_err_set(&k->err, KP_ESTATE, "the index comes after kp_packer_finish()");
	if (k->nids)
		qsort(k->ids, k->nids, sizeof *k->ids, cmp_idrec);
	k->repeated = 0;
	for (size_t i = 1; i < k->nids; i++)
		k->repeated += k->ids[i].hash == k->ids[i - 1].hash;
	size_t size = INDEX_HEAD + 24 * k->nblocks + 8 * k->ndocs + 16 * k->nids + 8;
	unsigned char *b = calloc(1, size), *p = b;
	if (!b)
		return kp_err_set(&k->err, KP_ENOMEM, "out of memory");
	memcpy(p, INDEX_MAGIC, 8);
	put32(p + 8, 1);
	put32(p + 12, (k->p.text ? 1u : 0u) | (k->p.bgzf ? 2u : 0u));
	put64(p + 16, k->bytes_out);
	put32(p + 24, (uint32_t)k->bs);
	put64(p + 32, k->nblocks);
	put64(p + 40, k->ndocs);
	put64(p + 48, k->nids);
	p += INDEX_HEAD;
	for (size_t i = 0; i < k->nblocks; i++, p += 24) {
		put64(p, k->blocks[i].off);
		put32(p + 8, k->blocks[i].csize);
		put32(p + 12, k->blocks[i].usize);
		put32(p + 16, k->blocks[i].crc);
	}
	for (size_t i = 0; i < k->ndocs; i++, p += 8)
		put64(p, k->docs[i] >> 32 | k->docs[i] << 32); /* block, then offset */
	for (size_t i = 0; i < k->nids; i++, p += 16) {
		put64(p, k->ids[i].hash);
		put64(p + 8, k->ids[i].ord);
	}
	put64(p, XXH3_64bits(b, size - 8));
	int rc = write(ctx, b, size);
	free(b);
	return rc < 0 ? kp_err_set(&k->err, rc, "write failed") : 0;
}

uint64_t kp_packer_bytes_in(const kp_packer *k)
{
	return k->bytes_in;
}

uint64_t kp_packer_bytes_out(const kp_packer *k)
{
	return k->bytes_out;
}

uint64_t kp_packer_docs(const kp_packer *k)
{
	return k->ndocs;
}

uint64_t kp_packer_repeated_ids(const kp_packer *k)
{
	return k->repeated;
}

const char *kp_packer_errmsg(const kp_packer *k)
{
	return k->err.msg;
}

/* ---- reading ---------------------------------------------------------------------- */

static size_t csize_max(size_t bs);

/* The member size a header names, 0 when it is not a packed member.  p
 * holds n >= 12 bytes; *hl gets the header length. */
static size_t member_size(const unsigned char *p, size_t n, size_t *hl)
{
	if (n < 12 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8 || p[3] != 4)
		return 0;
	size_t xlen = get16(p + 10);
	if (n < 12 + xlen)
		return 0;
	*hl = 12 + xlen;
	for (size_t i = 12; i + 4 <= 12 + xlen;) {
		size_t slen = get16(p + i + 2);
		if (i + 4 + slen > 12 + xlen)
			return 0;
		if (p[i] == 'B' && p[i + 1] == 'C' && slen == 2)
			return get16(p + i + 4) + 1;
		if (p[i] == 'K' && p[i + 1] == 'P' && slen == 4)
			return (size_t)get32(p + i + 4) + 1;
		i += 4 + slen;
	}
	return 0;
}

int kp_pack_sniff(const void *p, size_t n)
{
	size_t hl;
	return member_size(p, n, &hl) != 0;
}

struct kp_packfile {
	int fd;
	char *path;
	unsigned char *ix; /* the index file */
	size_t ixlen;
	uint32_t flags, bs;
	uint64_t nblocks, ndocs, nids;
	const unsigned char *blocks, *docs, *ids;
	/* the last block read */
	uint64_t cached;
	unsigned char *cbuf, *ubuf;
	size_t ucap, clen, ulen;
	struct libdeflate_decompressor *z;
	kp_buf line;
	kp_err err;
};

static int fail(char **err, int rc, const char *fmt, ...) KP_PRINTF(3, 4);

static int fail(char **err, int rc, const char *fmt, ...)
{
	if (err) {
		char msg[1024];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		*err = strdup(msg);
	}
	return rc;
}

int kp_packfile_open(kp_packfile **outp, const char *path, const char *index, char **err)
{
	*outp = NULL;
	if (err)
		*err = NULL;
	kp_packfile *f = calloc(1, sizeof *f);
	if (!f)
		return KP_ENOMEM;
	f->fd = -1;
	f->cached = UINT64_MAX;
	kp_buf_init(&f->line, (size_t)-1);
	size_t pl = strlen(path);
	f->path = malloc(pl + 5);
	char *ixpath = NULL;
	if (!f->path) {
		kp_packfile_close(f);
		return KP_ENOMEM;
	}
	memcpy(f->path, path, pl + 1);
	if (!index) {
		ixpath = malloc(pl + 5);
		if (!ixpath) {
			kp_packfile_close(f);
			return KP_ENOMEM;
		}
		memcpy(ixpath, path, pl);
		memcpy(ixpath + pl, ".kpi", 5);
		index = ixpath;
	}
	int rc = 0;
	struct stat st;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st) < 0) {
		rc = fail(err, KP_EIO, "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	int ifd = open(index, O_RDONLY | O_CLOEXEC);
	if (ifd < 0) {
		rc = fail(err, errno == ENOENT ? KP_ENOTFOUND : KP_EIO, "%s: no index (%s): pack the file with korpus-pack",
			  path, index);
		goto done;
	}
	struct stat ist;
	if (fstat(ifd, &ist) < 0 || ist.st_size < INDEX_HEAD + 8) {
		close(ifd);
		rc = fail(err, KP_EFORMAT, "%s: the index is too short to be one", index);
		goto done;
	}
	/* mapped: a lookup touches the pages the checksum reads, no copy */
	void *m = mmap(NULL, (size_t)ist.st_size, PROT_READ, MAP_PRIVATE, ifd, 0);
	close(ifd);
	if (m == MAP_FAILED) {
		rc = fail(err, KP_EIO, "%s: cannot read the index: %s", index, strerror(errno));
		goto done;
	}
	f->ix = m;
	f->ixlen = (size_t)ist.st_size;
	const unsigned char *x = f->ix;
	if (memcmp(x, INDEX_MAGIC, 8) != 0) {
		rc = fail(err, KP_EFORMAT, "%s: not a korpus index (bad magic)", index);
		goto done;
	}
	if (get32(x + 8) != 1) {
		rc = fail(err, KP_EFORMAT, "%s: index version not supported by this korpus", index);
		goto done;
	}
	if (XXH3_64bits(x, f->ixlen - 8) != get64(x + f->ixlen - 8)) {
		rc = fail(err, KP_EFORMAT, "%s: the index is corrupt (checksum mismatch): pack again", index);
		goto done;
	}
	f->flags = get32(x + 12);
	f->bs = get32(x + 24);
	f->nblocks = get64(x + 32);
	f->ndocs = get64(x + 40);
	f->nids = get64(x + 48);
	if (f->nblocks > f->ixlen / 24 || f->ndocs > f->ixlen / 8 || f->nids > f->ixlen / 16 ||
	    INDEX_HEAD + 24 * f->nblocks + 8 * f->ndocs + 16 * f->nids + 8 != f->ixlen || !f->bs ||
	    f->bs > KP_PACK_BLOCK_MAX) {
		rc = fail(err, KP_EFORMAT, "%s: the index is corrupt (its tables do not add up)", index);
		goto done;
	}
	if (get64(x + 16) != (uint64_t)st.st_size) {
		rc = fail(err, KP_EFORMAT, "%s: the index is stale: %s changed since it was packed (its size differs)",
			  index, path);
		goto done;
	}
	f->blocks = x + INDEX_HEAD;
	f->docs = f->blocks + 24 * f->nblocks;
	f->ids = f->docs + 8 * f->ndocs;
	f->cbuf = malloc(csize_max(f->bs));
	f->ucap = f->bs;
	f->ubuf = malloc(f->ucap ? f->ucap : 1);
	f->z = libdeflate_alloc_decompressor();
	if (!f->cbuf || !f->ubuf || !f->z) {
		rc = KP_ENOMEM;
		goto done;
	}
done:
	free(ixpath);
	if (rc < 0) {
		kp_packfile_close(f);
		return rc;
	}
	*outp = f;
	return 0;
}

void kp_packfile_close(kp_packfile *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->z)
		libdeflate_free_decompressor(f->z);
	free(f->path);
	if (f->ix)
		munmap(f->ix, f->ixlen);
	free(f->cbuf);
	free(f->ubuf);
	kp_buf_free(&f->line);
	free(f);
}

uint64_t kp_packfile_docs(const kp_packfile *f)
{
	return f->ndocs;
}

int kp_packfile_is_text(const kp_packfile *f)
{
	return (f->flags & 1) != 0;
}

const char *kp_packfile_errmsg(const kp_packfile *f)
{
	return f->err.msg;
}

/* The largest member for blocks of bs bytes. */
static size_t csize_max(size_t bs)
{
	return HDR_KP + libdeflate_deflate_compress_bound(NULL, bs) + 64 + TRAILER + 65536;
}

/* Inflate one member (c, n bytes) into u (cap bytes): 0 with *ulen, or a
 * reason in *why. */
static int inflate_member(struct libdeflate_decompressor *z, const unsigned char *c, size_t n, size_t hl,
			  unsigned char *u, size_t cap, size_t *ulen, const char **why)
{
	if (n < hl + TRAILER) {
		*why = "shorter than its header";
		return KP_EGZIP;
	}
	size_t isize = get32(c + n - 4);
	if (isize > cap) {
		*why = "a length larger than its blocks";
		return KP_EGZIP;
	}
	size_t in_used = 0;
	enum libdeflate_result zr =
		libdeflate_deflate_decompress_ex(z, c + hl, n - hl - TRAILER, u, isize, &in_used, ulen);
	if (zr != LIBDEFLATE_SUCCESS || in_used != n - hl - TRAILER) {
		*why = zr == LIBDEFLATE_INSUFFICIENT_SPACE ? "inflates to more than its stated length" : "invalid deflate data";
		return KP_EGZIP;
	}
	if (*ulen != isize) {
		*why = "length mismatch";
		return KP_EGZIP;
	}
	if (libdeflate_crc32(0, u, *ulen) != get32(c + n - 8)) {
		*why = "CRC-32 mismatch";
		return KP_EGZIP;
	}
	return 0;
}

static int read_block(kp_packfile *f, uint64_t b)
{
	if (b == f->cached)
		return 0;
	const unsigned char *e = f->blocks + 24 * b;
	uint64_t off = get64(e);
	size_t csize = get32(e + 8), usize = get32(e + 12);
	uint32_t crc = get32(e + 16);
	if (csize > csize_max(f->bs) || usize > f->ucap)
		return kp_err_set(&f->err, KP_EFORMAT, "%s.kpi: block %llu: sizes out of range: the index is corrupt",
				  f->path, (unsigned long long)b);
	ssize_t r = pread(f->fd, f->cbuf, csize, (off_t)off);
	if (r < 0)
		return kp_err_errno(&f->err, KP_EIO, errno, "%s: reading the block at offset %llu", f->path,
				    (unsigned long long)off);
	size_t hl = 0;
	const char *why = NULL;
	if ((size_t)r != csize || member_size(f->cbuf, csize, &hl) != csize)
		why = "no block of the indexed size there";
	size_t ulen = 0;
	int rc = why ? KP_EFORMAT : inflate_member(f->z, f->cbuf, csize, hl, f->ubuf, f->ucap, &ulen, &why);
	if (!rc && (ulen != usize || get32(f->cbuf + csize - 8) != crc)) {
		why = "not the block the index names";
		rc = KP_EFORMAT;
	}
	if (rc < 0) {
		f->cached = UINT64_MAX;
		return kp_err_set(&f->err, rc, "%s: block at offset %llu: %s (stale index or corrupt file; korpus-cat --check tells which)",
				  f->path, (unsigned long long)off, why);
	}
	f->cached = b;
	f->ulen = ulen;
	return 0;
}

int kp_packfile_get(kp_packfile *f, uint64_t ordinal, const char **line, size_t *len)
{
	if (ordinal >= f->ndocs)
		return kp_err_set(&f->err, KP_ENOTFOUND, "%s: no document %llu (it has %llu)", f->path,
				  (unsigned long long)ordinal, (unsigned long long)f->ndocs);
	uint64_t d = get64(f->docs + 8 * ordinal), b = d & 0xffffffffu;
	size_t off = (size_t)(d >> 32);
	if (b >= f->nblocks)
		return kp_err_set(&f->err, KP_EFORMAT, "%s.kpi: document %llu: no block %llu: the index is corrupt", f->path,
				  (unsigned long long)ordinal, (unsigned long long)b);
	int rc = read_block(f, b);
	if (rc < 0)
		return rc;
	if (off >= f->ulen || (off > 0 && f->ubuf[off - 1] != '\n'))
		return kp_err_set(&f->err, KP_EFORMAT, "%s: document %llu is not at a line start: stale index", f->path,
				  (unsigned long long)ordinal);
	const unsigned char *nl = memchr(f->ubuf + off, '\n', f->ulen - off);
	if (nl) {
		*line = (const char *)f->ubuf + off;
		*len = (size_t)(nl - (f->ubuf + off));
		return 0;
	}
	/* the line goes on in the next blocks */
	f->line.len = 0;
	if (kp_buf_add(&f->line, f->ubuf + off, f->ulen - off) < 0)
		return kp_err_set(&f->err, KP_ENOMEM, "out of memory");
	for (;;) {
		if (++b >= f->nblocks)
			return kp_err_set(&f->err, KP_EFORMAT, "%s: document %llu has no end of line", f->path,
					  (unsigned long long)ordinal);
		if ((rc = read_block(f, b)) < 0)
			return rc;
		nl = memchr(f->ubuf, '\n', f->ulen);
		size_t m = nl ? (size_t)(nl - f->ubuf) : f->ulen;
		if (kp_buf_add(&f->line, f->ubuf, m) < 0)
			return kp_err_set(&f->err, KP_ENOMEM, "out of memory");
		if (nl)
			break;
	}
	*line = f->line.p;
	*len = f->line.len;
	return 0;
}

void kp_packfile_find(const kp_packfile *f, const char *id, size_t idlen, uint64_t *first, uint64_t *count)
{
	uint64_t h = kp_pack_id_hash(id, idlen), lo = 0, hi = f->nids;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (get64(f->ids + 16 * mid) < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint64_t e = lo;
	while (e < f->nids && get64(f->ids + 16 * e) == h)
		e++;
	*first = lo;
	*count = e - lo;
}

uint64_t kp_packfile_id_ordinal(const kp_packfile *f, uint64_t i)
{
	return get64(f->ids + 16 * i + 8);
}

uint64_t kp_packfile_repeated_ids(const kp_packfile *f)
{
	uint64_t n = 0;
	for (uint64_t i = 1; i < f->nids; i++)
		n += get64(f->ids + 16 * i) == get64(f->ids + 16 * (i - 1));
	return n;
}

/* ---- checking --------------------------------------------------------------------- */

struct checker {
	FILE *fp;
	const char *path;
	unsigned char *c, *u;
	size_t ccap, ucap;
	struct libdeflate_decompressor *z;
	char **err;
	/* with an index: what the blocks hold, to compare */
	const kp_packfile *f;
	kp_doc *doc;       /* the lines' ids (documents, not text) */
	kp_buf line;       /* a line across blocks */
	struct idrec *ids; /* (id hash, line) of each line with an id */
	uint64_t blocks, lines, nids;
	int at_line_start;
	int seen_eof; /* the last block read was the empty EOF block */
};

static int check_fail(struct checker *k, int rc, uint64_t off, const char *why)
{
	if (k->err) {
		size_t n = strlen(k->path) + strlen(why) + 64;
		*k->err = malloc(n);
		if (*k->err)
			snprintf(*k->err, n, "%s: block at offset %llu: %s", k->path, (unsigned long long)off, why);
	}
	return rc;
}

static int cmp_idrec_u(const void *a, const void *b)
{
	return cmp_idrec(a, b);
}

/* Grow a buffer to n bytes; 0 or KP_ENOMEM. */
static int grow_to(unsigned char **p, size_t *cap, size_t n)
{
	if (n <= *cap)
		return 0;
	unsigned char *np = realloc(*p, n);
	if (!np)
		return KP_ENOMEM;
	*p = np;
	*cap = n;
	return 0;
}

/* Read the block at off and inflate it into k->u: its size in *size and
 * the inflated bytes in *ulen; 1 at the end of the file, 0, or an error. */
static int check_read_block(struct checker *k, uint64_t off, size_t *size, size_t *ulen)
{
	size_t got = fread(k->c, 1, 12, k->fp), hl = 0;
	if (got == 0)
		return 1;
	if (k->seen_eof && k->f)
		return check_fail(k, KP_EFORMAT, off, "data after the EOF block");
	if (got < 12)
		return check_fail(k, KP_EGZIP, off, "truncated: the file ends inside a block header");
	if (k->c[0] != 0x1f || k->c[1] != 0x8b)
		return check_fail(k, KP_EGZIP, off, "not a gzip member (the file is corrupt)");
	size_t xlen = (k->c[3] & 4) ? get16(k->c + 10) : 0;
	if (xlen && fread(k->c + 12, 1, xlen, k->fp) != xlen)
		return check_fail(k, KP_EGZIP, off, "truncated: the file ends inside a block header");
	*size = member_size(k->c, 12 + xlen, &hl);
	if (!*size)
		return check_fail(k, KP_EFORMAT, off,
				  "a gzip member without a block size (not a packed file: pack it with korpus-pack)");
	if (*size > csize_max(KP_PACK_BLOCK_MAX))
		return check_fail(k, KP_EGZIP, off, "a block size larger than korpus writes (the size field is corrupt)");
	if (grow_to(&k->c, &k->ccap, *size) < 0)
		return KP_ENOMEM;
	if (*size < hl + TRAILER)
		return check_fail(k, KP_EGZIP, off, "a block size smaller than its header");
	size_t want = *size - 12 - xlen;
	got = fread(k->c + 12 + xlen, 1, want, k->fp);
	if (got != want) {
		char why[128];
		snprintf(why, sizeof why, "truncated: the file ends %zu bytes into a block of %zu", 12 + xlen + got, *size);
		return check_fail(k, KP_EGZIP, off, why);
	}
	size_t isize = get32(k->c + *size - 4);
	if (isize > KP_PACK_BLOCK_MAX)
		return check_fail(k, KP_EGZIP, off, "a block larger than korpus writes");
	if (grow_to(&k->u, &k->ucap, isize) < 0)
		return KP_ENOMEM;
	const char *why = NULL;
	int rc = inflate_member(k->z, k->c, *size, hl, k->u, k->ucap, ulen, &why);
	return rc < 0 ? check_fail(k, rc, off, why) : 0;
}

/* A block against the index: the block it names, and every line start at
 * the next document's position; the lines' ids kept. */
static int check_block_index(struct checker *k, uint64_t off, size_t size, size_t ulen)
{
	const kp_packfile *f = k->f;
	const unsigned char *e = k->blocks < f->nblocks ? f->blocks + 24 * k->blocks : NULL;
	if (!e || get64(e) != off || get32(e + 8) != size || get32(e + 12) != ulen ||
	    get32(e + 16) != get32(k->c + size - 8))
		return check_fail(k, KP_EFORMAT, off, "not the block the index names: the index is stale");
	int rc = 0;
	for (size_t i = 0; i < ulen && rc == 0;) {
		if (k->at_line_start) {
			uint64_t d = k->lines < f->ndocs ? get64(f->docs + 8 * k->lines) : UINT64_MAX;
			if ((d & 0xffffffffu) != k->blocks || (d >> 32) != i)
				rc = check_fail(k, KP_EFORMAT, off, "a line the index does not place there: the index is stale");
			k->at_line_start = 0;
		}
		const unsigned char *nl = memchr(k->u + i, '\n', ulen - i);
		size_t e2 = nl ? (size_t)(nl - k->u) : ulen;
		if (k->doc && kp_buf_add(&k->line, k->u + i, e2 - i) < 0)
			rc = KP_ENOMEM;
		if (nl) {
			if (k->doc && rc == 0) {
				size_t idl = 0;
				const char *id = kp_doc_parse(k->doc, k->line.p ? k->line.p : "", k->line.len) == 0
							 ? kp_doc_id(k->doc, &idl)
							 : NULL;
				if (id && k->nids < f->nids)
					k->ids[k->nids] = (struct idrec){kp_pack_id_hash(id, idl), k->lines};
				k->nids += id != NULL;
				k->line.len = 0;
			}
			k->lines++;
			k->at_line_start = 1;
		}
		i = e2 + 1;
	}
	return rc;
}

/* After the last block: the index's counts, file size and ids. */
static int check_index_end(struct checker *k, uint64_t off)
{
	const kp_packfile *f = k->f;
	if (k->blocks != f->nblocks || k->lines != f->ndocs)
		return check_fail(k, KP_EFORMAT, off, "the index names other blocks or documents: it is stale");
	if (get64(f->ix + 16) != off)
		return check_fail(k, KP_EFORMAT, off, "the index names another file size: it is stale");
	if (k->nids != f->nids)
		return check_fail(k, KP_EFORMAT, off, "the index holds other ids: it is stale");
	if (!k->ids)
		return 0;
	qsort(k->ids, k->nids, sizeof *k->ids, cmp_idrec_u);
	for (uint64_t i = 0; i < k->nids; i++)
		if (get64(f->ids + 16 * i) != k->ids[i].hash || get64(f->ids + 16 * i + 8) != k->ids[i].ord)
			return check_fail(k, KP_EFORMAT, off, "the index holds other ids: it is stale");
	return 0;
}

int kp_pack_check(const char *path, kp_packfile *f, uint64_t *nblocks, uint64_t *nbytes, char **err)
{
	struct checker k = {.path = path, .err = err, .f = f, .at_line_start = 1};
	if (err)
		*err = NULL;
	kp_buf_init(&k.line, (size_t)-1);
	k.fp = fopen(path, "rb");
	if (!k.fp)
		return fail(err, KP_EIO, "%s: cannot open: %s", path, strerror(errno));
	k.ccap = k.ucap = 65536;
	k.c = malloc(k.ccap);
	k.u = malloc(k.ucap);
	k.z = libdeflate_alloc_decompressor();
	int wants_doc = f && !kp_packfile_is_text(f);
	if (wants_doc)
		k.doc = kp_doc_new(0, KP_DOC_TEXT_OPTIONAL);
	if (f && f->nids)
		k.ids = malloc(f->nids * sizeof *k.ids);
	int rc = !k.c || !k.u || !k.z || (wants_doc && !k.doc) || (f && f->nids && !k.ids) ? KP_ENOMEM : 0;
	uint64_t off = 0, ubytes = 0;
	while (rc == 0) {
		size_t size = 0, ulen = 0;
		rc = check_read_block(&k, off, &size, &ulen);
		if (rc == 1) {
			rc = 0;
			break;
		}
		if (rc < 0)
			break;
		k.seen_eof = ulen == 0;
		if (ulen && f && (rc = check_block_index(&k, off, size, ulen)) < 0)
			break;
		k.blocks += ulen != 0;
		ubytes += ulen;
		off += size;
	}
	if (rc == 0 && !k.seen_eof)
		rc = check_fail(&k, KP_EGZIP, off,
				off ? "missing: the EOF block is not there (the file was cut at a block boundary)"
				    : "missing: the file is empty");
	if (rc == 0 && f)
		rc = check_index_end(&k, off);
	if (nblocks)
		*nblocks = k.blocks;
	if (nbytes)
		*nbytes = ubytes;
	if (k.z)
		libdeflate_free_decompressor(k.z);
	free(k.c);
	free(k.u);
	free(k.ids);
	kp_buf_free(&k.line);
	kp_doc_free(k.doc);
	fclose(k.fp);
	return rc;
}
