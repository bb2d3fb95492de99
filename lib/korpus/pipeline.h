/* korpus pipeline: one reader, N workers, delivery in input order.
 *
 * The calling thread reads lines from a kp_reader into batches, workers run
 * the job's process() on each line of a batch, and the calling thread hands
 * the results to the sink strictly in input order.  Output is therefore
 * byte-identical for every number of workers.  With one worker no thread is
 * started.  Memory: at most 2 * workers + 2 batches (about 1 MiB of input
 * each, plus their outputs) are in flight.
 *
 * Per document, process() writes any number of output records on numbered
 * channels (0 = the main output; others for side files such as removed
 * spans), may record a document error (invalid input), and may count
 * events in the worker's own state; the job merges worker state at the end.
 */
#ifndef KORPUS_PIPELINE_H
#define KORPUS_PIPELINE_H

#include "common.h"
#include "io.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KP_PIPELINE_CHANNELS 4

typedef struct kp_result kp_result;

/* Append bytes to the document's output on a channel (0..CHANNELS-1). */
KP_API KP_WUR int kp_result_write(kp_result *res, int channel, const void *p, size_t n);
/* Mark the document invalid: the sink's error callback gets code and the
 * message, in order, with the input line. */
KP_API void kp_result_error(kp_result *res, int code, const char *msg);

typedef struct kp_job_ops {
	/* Per-worker state; NULL on failure. */
	void *(*worker_new)(void *arg);
	void (*worker_free)(void *worker);
	/* Process one line; < 0 is a fatal error (message in *msg, which must
	 * stay valid until the next call on the worker), stopping the run. */
	int (*process)(void *worker, const char *line, size_t len, kp_result *res, const char **msg);
} kp_job_ops;

typedef struct kp_sink {
	void *ctx;
	/* Output of one document on one channel; < 0 stops the run. */
	int (*write)(void *ctx, int channel, const char *p, size_t n);
	/* A document error or an over-long line (code KP_ETOOLONG), with its
	 * 1-based line number and the line (NULL for over-long lines); < 0
	 * stops the run. */
	int (*error)(void *ctx, uint64_t lineno, const char *line, size_t len, int code, const char *msg);
	/* Called after each delivered document (progress meters); may be NULL. */
	void (*tick)(void *ctx);
} kp_sink;

typedef struct kp_pipeline kp_pipeline;

/* A pipeline running ops with nworkers workers (>= 1), each made by
 * ops->worker_new(arg).  NULL when out of memory or a worker cannot be made. */
KP_API kp_pipeline *kp_pipeline_new(const kp_job_ops *ops, void *arg, int nworkers);
/* Frees the workers (ops->worker_free) and the pipeline. */
KP_API void kp_pipeline_free(kp_pipeline *p);

/* Run over every line of r (blank lines are skipped).  Returns 0; the
 * sink's negative return; KP_EINTR style codes from process(); or the
 * reader's error (after delivering everything read before it). */
KP_API KP_WUR int kp_pipeline_run(kp_pipeline *p, kp_reader *r, const kp_sink *sink);
/* Detail of the last failure of kp_pipeline_run(), and the line it is
 * about (0 when it is not about a line: a read error is at the reader's
 * current line). */
KP_API const char *kp_pipeline_errmsg(const kp_pipeline *p);
KP_API uint64_t kp_pipeline_errline(const kp_pipeline *p);

/* Worker i's state (for merging counters after a run). */
KP_API void *kp_pipeline_worker(const kp_pipeline *p, int i);
KP_API int kp_pipeline_nworkers(const kp_pipeline *p);

#ifdef __cplusplus
}
#endif
#endif
