/* The per-document pipeline.  Batches cycle FREE -> READY (filled by the
 * calling thread) -> BUSY (a worker) -> DONE -> delivered in sequence order
 * -> FREE.  Worker threads live as long as the pipeline, so a tool can run
 * it over many inputs. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "korpus/pipeline.h"

#define BATCH_BYTES ((size_t)1 << 20)
#define BATCH_LINES 4096

enum { B_FREE, B_READY, B_BUSY, B_DONE };

typedef struct item {
	size_t off, len; /* the input line in batch->in */
	uint64_t lineno;
	size_t out_off[KP_PIPELINE_CHANNELS], out_len[KP_PIPELINE_CHANNELS];
	int err;          /* document error code, or 0 */
	int overlong;     /* the reader's over-long line (no text): err KP_ETOOLONG */
	size_t err_off, err_len;
} item;

typedef struct batch {
	int state;
	uint64_t seq;
	kp_buf in, errs;
	kp_buf out[KP_PIPELINE_CHANNELS];
	kp_buf items; /* item[] */
	int fatal;     /* process() failed at item fatal_at */
	size_t fatal_at;
	char fatal_msg[KP_ERRMSG_MAX];
} batch;

struct kp_result {
	batch *b;
	size_t i;
};

struct kp_pipeline {
	kp_job_ops ops;
	int nworkers;
	void **workers;
	pthread_t *threads;
	int nthreads;
	batch *batches;
	int nbatches;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int shutdown;
	kp_err err;
	uint64_t err_line;
};

#define ITEMS(b) ((item *)(void *)(b)->items.p)
#define NITEMS(b) ((b)->items.len / sizeof(item))

int kp_result_write(kp_result *res, int channel, const void *p, size_t n)
{
	if (channel < 0 || channel >= KP_PIPELINE_CHANNELS)
		return KP_EINVAL;
	item *it = &ITEMS(res->b)[res->i];
	kp_buf *o = &res->b->out[channel];
	if (it->out_len[channel] == 0)
		it->out_off[channel] = o->len;
	int rc = kp_buf_add(o, p, n);
	if (rc >= 0)
		it->out_len[channel] += n;
	return rc;
}

void kp_result_error(kp_result *res, int code, const char *msg)
{
	item *it = &ITEMS(res->b)[res->i];
	it->err = code ? code : KP_EFORMAT;
	it->err_off = res->b->errs.len;
	size_t n = strlen(msg);
	if (kp_buf_add(&res->b->errs, msg, n) < 0)
		n = 0;
	it->err_len = n;
}

/* Run the job over every item of a batch with one worker's state. */
static void process_batch(kp_pipeline *p, void *worker, batch *b)
{
	for (int c = 0; c < KP_PIPELINE_CHANNELS; c++)
		b->out[c].len = 0;
	b->errs.len = 0;
	b->fatal = 0;
	kp_result res = {.b = b};
	for (size_t i = 0; i < NITEMS(b); i++) {
		item *it = &ITEMS(b)[i];
		if (it->overlong)
			continue;
		res.i = i;
		const char *msg = NULL;
		int rc = p->ops.process(worker, b->in.p + it->off, it->len, &res, &msg);
		if (rc < 0) {
			b->fatal = rc;
			b->fatal_at = i;
			snprintf(b->fatal_msg, sizeof b->fatal_msg, "%s", msg ? msg : kp_strerror(rc));
			return;
		}
	}
}

static void *thread_main(void *arg)
{
	void **slot = arg;
	kp_pipeline *p = slot[0];
	void *worker = slot[1];
	free(slot);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		batch *pick = NULL;
		for (int i = 0; i < p->nbatches; i++)
			if (p->batches[i].state == B_READY && (!pick || p->batches[i].seq < pick->seq))
				pick = &p->batches[i];
		if (!pick) {
			if (p->shutdown)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		pick->state = B_BUSY;
		pthread_mutex_unlock(&p->mu);
		process_batch(p, worker, pick);
		pthread_mutex_lock(&p->mu);
		pick->state = B_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void free_batches(kp_pipeline *p)
{
	for (int i = 0; p->batches && i < p->nbatches; i++) {
		batch *b = &p->batches[i];
		kp_buf_free(&b->in);
		kp_buf_free(&b->errs);
		kp_buf_free(&b->items);
		for (int c = 0; c < KP_PIPELINE_CHANNELS; c++)
			kp_buf_free(&b->out[c]);
	}
	free(p->batches);
}

kp_pipeline *kp_pipeline_new(const kp_job_ops *ops, void *arg, int nworkers)
{
	if (nworkers < 1)
		nworkers = 1;
	kp_pipeline *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->ops = *ops;
	p->nworkers = nworkers;
	p->nbatches = nworkers == 1 ? 1 : 2 * nworkers + 2;
	p->workers = calloc((size_t)nworkers, sizeof *p->workers);
	p->batches = calloc((size_t)p->nbatches, sizeof *p->batches);
	p->threads = calloc((size_t)nworkers, sizeof *p->threads);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (!p->workers || !p->batches || !p->threads) {
		kp_pipeline_free(p);
		return NULL;
	}
	for (int i = 0; i < p->nbatches; i++) {
		batch *b = &p->batches[i];
		/* outputs may outgrow the input (escaping, added metadata), but a
		 * cap keeps a runaway job from eating memory */
		kp_buf_init(&b->in, SIZE_MAX / 4);
		kp_buf_init(&b->errs, SIZE_MAX / 4);
		kp_buf_init(&b->items, SIZE_MAX / 4);
		for (int c = 0; c < KP_PIPELINE_CHANNELS; c++)
			kp_buf_init(&b->out[c], SIZE_MAX / 4);
	}
	for (int i = 0; i < nworkers; i++) {
		if (!(p->workers[i] = ops->worker_new(arg))) {
			kp_pipeline_free(p);
			return NULL;
		}
	}
	if (nworkers > 1) {
		for (int i = 0; i < nworkers; i++) {
			void **slot = malloc(2 * sizeof *slot);
			if (!slot) {
				kp_pipeline_free(p);
				return NULL;
			}
			slot[0] = p;
			slot[1] = p->workers[i];
			if (pthread_create(&p->threads[i], NULL, thread_main, slot) != 0) {
				free(slot);
				kp_pipeline_free(p);
				return NULL;
			}
			p->nthreads++;
		}
	}
	return p;
}

void kp_pipeline_free(kp_pipeline *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->shutdown = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	for (int i = 0; p->workers && i < p->nworkers; i++)
		if (p->workers[i])
			p->ops.worker_free(p->workers[i]);
	free_batches(p);
	free(p->workers);
	free(p->threads);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}

const char *kp_pipeline_errmsg(const kp_pipeline *p)
{
	return p->err.msg;
}

void *kp_pipeline_worker(const kp_pipeline *p, int i)
{
	return i >= 0 && i < p->nworkers ? p->workers[i] : NULL;
}

int kp_pipeline_nworkers(const kp_pipeline *p)
{
	return p->nworkers;
}

static int add_item(batch *b, size_t off, size_t len, uint64_t lineno, int err)
{
	item it = {.off = off, .len = len, .lineno = lineno, .err = err, .overlong = err == KP_ETOOLONG};
	return kp_buf_add(&b->items, &it, sizeof it);
}

/* Fill b with lines from r; returns 1 if it holds items, 0 at the end of
 * input, < 0 on a read error (items read before it are kept: deliver them). */
static int fill_batch(kp_pipeline *p, batch *b, kp_reader *r, int *read_rc)
{
	b->in.len = b->items.len = 0;
	*read_rc = 0;
	while (b->in.len < BATCH_BYTES && NITEMS(b) < BATCH_LINES) {
		const char *line;
		size_t len;
		int rc = kp_reader_getline(r, &line, &len);
		if (rc == 0)
			break;
		if (rc == KP_ETOOLONG) {
			/* The batch ends here: reading on would skip to the end of the
			 * over-long line, which may never come (/dev/zero); the sink
			 * decides first whether the run goes on. */
			if (add_item(b, 0, 0, kp_reader_lineno(r), KP_ETOOLONG) < 0)
				return kp_err_set(&p->err, KP_ENOMEM, "out of memory");
			break;
		}
		if (rc < 0) {
			*read_rc = kp_err_set(&p->err, rc, "%s", kp_reader_errmsg(r));
			break;
		}
		size_t k = 0;
		while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
			k++;
		if (k == len)
			continue; /* blank lines hold no document */
		size_t off = b->in.len;
		if (kp_buf_add(&b->in, line, len) < 0 || add_item(b, off, len, kp_reader_lineno(r), 0) < 0)
			return kp_err_set(&p->err, KP_ENOMEM, "out of memory");
	}
	return NITEMS(b) > 0;
}

/* Hand a processed batch to the sink, in order.  Returns < 0 to stop. */
static int deliver(kp_pipeline *p, batch *b, const kp_sink *s, kp_reader *r)
{
	for (size_t i = 0; i < NITEMS(b); i++) {
		const item *it = &ITEMS(b)[i];
		if (b->fatal && i == b->fatal_at) {
			p->err_line = it->lineno;
			return kp_err_set(&p->err, b->fatal, "%s", b->fatal_msg);
		}
		int rc = 0;
		if (it->overlong)
			rc = s->error(s->ctx, it->lineno, NULL, 0, KP_ETOOLONG, kp_reader_errmsg(r));
		else if (it->err) {
			char msg[KP_ERRMSG_MAX];
			snprintf(msg, sizeof msg, "%.*s", (int)it->err_len, b->errs.p + it->err_off);
			rc = s->error(s->ctx, it->lineno, b->in.p + it->off, it->len, it->err, msg);
		} else {
			for (int c = 0; c < KP_PIPELINE_CHANNELS && rc >= 0; c++)
				if (it->out_len[c])
					rc = s->write(s->ctx, c, b->out[c].p + it->out_off[c], it->out_len[c]);
		}
		if (s->tick) /* the document was read, whatever became of it */
			s->tick(s->ctx);
		if (rc < 0)
			return rc;
	}
	return 0;
}

uint64_t kp_pipeline_errline(const kp_pipeline *p)
{
	return p->err_line;
}

static int run_inline(kp_pipeline *p, kp_reader *r, const kp_sink *s)
{
	batch *b = &p->batches[0];
	for (;;) {
		int read_rc;
		int got = fill_batch(p, b, r, &read_rc);
		if (got < 0)
			return got;
		if (got > 0) {
			process_batch(p, p->workers[0], b);
			int rc = deliver(p, b, s, r);
			if (rc < 0)
				return rc;
		}
		if (got == 0 || read_rc < 0)
			return read_rc;
	}
}

int kp_pipeline_run(kp_pipeline *p, kp_reader *r, const kp_sink *s)
{
	kp_err_clear(&p->err);
	p->err_line = 0;
	if (p->nworkers == 1)
		return run_inline(p, r, s);
	uint64_t next_seq = 0, deliver_seq = 0;
	int rc = 0, read_rc = 0, eof = 0, paused = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		batch *d = NULL, *f = NULL;
		for (int i = 0; i < p->nbatches; i++) {
			batch *b = &p->batches[i];
			if (b->state == B_DONE && b->seq == deliver_seq)
				d = b;
			else if (b->state == B_FREE && !f)
				f = b;
		}
		if (d) { /* the next batch in order is ready: deliver it */
			pthread_mutex_unlock(&p->mu);
			rc = deliver(p, d, s, r);
			pthread_mutex_lock(&p->mu);
			d->state = B_FREE;
			deliver_seq++;
			if (rc < 0)
				break;
			continue;
		}
		if (paused && deliver_seq == next_seq)
			paused = 0; /* the sink took the over-long line: read on */
		if (!eof && !paused && f) { /* room for more input */
			pthread_mutex_unlock(&p->mu);
			int got = fill_batch(p, f, r, &read_rc);
			pthread_mutex_lock(&p->mu);
			if (got < 0) {
				rc = got;
				break;
			}
			if (got > 0) {
				f->seq = next_seq++;
				f->state = B_READY;
				paused = ITEMS(f)[NITEMS(f) - 1].overlong;
				pthread_cond_signal(&p->work);
			}
			if (got == 0 || read_rc < 0)
				eof = 1;
			continue;
		}
		if (eof && deliver_seq == next_seq)
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	/* Stopping early: let running batches finish, drop the rest. */
	for (;;) {
		int busy = 0;
		for (int i = 0; i < p->nbatches; i++) {
			if (p->batches[i].state == B_READY)
				p->batches[i].state = B_FREE;
			busy |= p->batches[i].state == B_BUSY;
		}
		if (!busy)
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	for (int i = 0; i < p->nbatches; i++)
		p->batches[i].state = B_FREE;
	pthread_mutex_unlock(&p->mu);
	return rc < 0 ? rc : read_rc;
}
