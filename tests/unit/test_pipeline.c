/* Unit tests of kp_pipeline: output in input order whatever the number of
 * workers, document errors in place, side channels, stops. */
#include <time.h>
#include <unistd.h>

#include "korpus/korpus.h"
#include "test.h"

static char path[] = "/tmp/korpus-test-pipe-XXXXXX";

struct worker {
	unsigned long processed;
};

static void *w_new(void *arg)
{
	(void)arg;
	return calloc(1, sizeof(struct worker));
}

static void w_free(void *w)
{
	free(w);
}

/* Lines are "N"; the first batch is slow so workers finish out of order;
 * N % 7 == 3 is a document error; N == fatal_at is a fatal error; every
 * document echoes "N" on channel 0 and "sN" on channel 1 when N % 5 == 0. */
static long fatal_at = -1;

static int w_process(void *w, const char *line, size_t len, kp_result *res, const char **msg)
{
	((struct worker *)w)->processed++;
	char buf[64];
	snprintf(buf, sizeof buf, "%.*s", (int)len, line); /* lines are not NUL-terminated */
	long n = strtol(buf, NULL, 10);
	if (n < 4096 && n % 512 == 1) /* the first batch finishes last */
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	if (n == fatal_at) {
		*msg = "fatal here";
		return KP_EINTR;
	}
	if (n % 7 == 3) {
		snprintf(buf, sizeof buf, "bad %ld", n);
		kp_result_error(res, KP_EDOC, buf);
		return 0;
	}
	int k = snprintf(buf, sizeof buf, "%ld\n", n);
	if (kp_result_write(res, 0, buf, (size_t)k) < 0)
		return KP_ENOMEM;
	if (n % 5 == 0) {
		k = snprintf(buf, sizeof buf, "s%ld\n", n);
		if (kp_result_write(res, 1, buf, (size_t)k) < 0)
			return KP_ENOMEM;
	}
	return 0;
}

static const kp_job_ops ops = {w_new, w_free, w_process};

struct collect {
	char *out[2];
	size_t len[2], cap[2];
	unsigned long errors, ticks;
	long stop_after_errors;
	uint64_t last_error_line;
};

static int c_write(void *ctx, int ch, const char *p, size_t n)
{
	struct collect *c = ctx;
	if (c->len[ch] + n + 1 > c->cap[ch]) {
		c->cap[ch] = (c->len[ch] + n + 1) * 2;
		c->out[ch] = realloc(c->out[ch], c->cap[ch]);
	}
	memcpy(c->out[ch] + c->len[ch], p, n);
	c->len[ch] += n;
	c->out[ch][c->len[ch]] = '\0';
	return 0;
}

static int c_error(void *ctx, uint64_t lineno, const char *line, size_t len, int code, const char *msg)
{
	struct collect *c = ctx;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "E%llu:%.*s:%s\n", (unsigned long long)lineno, (int)len, line ? line : "", msg);
	c_write(ctx, 0, tmp, strlen(tmp));
	(void)code;
	c->last_error_line = lineno;
	return ++c->errors == (unsigned long)c->stop_after_errors ? -1 : 0;
}

static void c_tick(void *ctx)
{
	((struct collect *)ctx)->ticks++;
}

static int run(int workers, struct collect *c, int *rc_out)
{
	kp_pipeline *p = kp_pipeline_new(&ops, NULL, workers);
	kp_reader *r = kp_reader_new(0);
	if (!p || !r || kp_reader_open(r, path) < 0)
		return -1;
	kp_sink s = {c, c_write, c_error, c_tick};
	*rc_out = kp_pipeline_run(p, r, &s);
	/* a second run over the same pipeline (the next input of a tool) */
	unsigned long processed = 0;
	for (int i = 0; i < kp_pipeline_nworkers(p); i++)
		processed += ((struct worker *)kp_pipeline_worker(p, i))->processed;
	kp_reader_free(r);
	kp_pipeline_free(p);
	return (int)processed;
}

static void test_order(void)
{
	struct collect ref = {0};
	int rc;
	run(1, &ref, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(ref.ticks, 20000);
	CHECK(strncmp(ref.out[0], "0\n1\n2\nE4:3:bad 3\n4\n", 19) == 0);
	CHECK(strncmp(ref.out[1], "s0\ns5\ns15\n", 10) == 0); /* 10 is a document error */
	for (int w = 2; w <= 4; w += 2) {
		struct collect c = {0};
		int processed = run(w, &c, &rc);
		CHECK_INT(rc, 0);
		CHECK_INT(processed, 20000);
		CHECK(c.len[0] == ref.len[0] && memcmp(c.out[0], ref.out[0], ref.len[0]) == 0);
		CHECK(c.len[1] == ref.len[1] && memcmp(c.out[1], ref.out[1], ref.len[1]) == 0);
		free(c.out[0]);
		free(c.out[1]);
	}
	free(ref.out[0]);
	free(ref.out[1]);
}

static void test_stops(void)
{
	for (int w = 1; w <= 3; w++) {
		/* the sink stops at the third document error: nothing after it */
		struct collect c = {.stop_after_errors = 3};
		int rc;
		run(w, &c, &rc);
		CHECK(rc < 0);
		CHECK_INT(c.last_error_line, 18); /* documents 3, 10, 17 */
		const char *tail = c.out[0] + c.len[0] - strlen("E18:17:bad 17\n");
		CHECK(strcmp(tail, "E18:17:bad 17\n") == 0);
		free(c.out[0]);
		free(c.out[1]);

		/* a fatal error in process() at document 12345 */
		fatal_at = 12345;
		struct collect f = {0};
		run(w, &f, &rc);
		CHECK_INT(rc, KP_EINTR);
		const char *end = f.out[0] + f.len[0] - strlen("12344\n");
		CHECK(strcmp(end, "12344\n") == 0);
		fatal_at = -1;
		free(f.out[0]);
		free(f.out[1]);
	}
}

int main(void)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 20000; i++)
		fprintf(f, i == 500 ? "%d\n\n  \n" : "%d\n", i);
	fclose(f);
	test_order();
	test_stops();
	unlink(path);
	TEST_MAIN_END();
}
