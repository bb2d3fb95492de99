/* Buffered, checked, atomic writer, plain or gzip.
 *
 * A regular destination file is written as a temporary file beside it
 * (same folder, so rename() is atomic) and renamed into place only when
 * everything was written and closed without error.  A destination that is
 * a symbolic link is followed: the temporary file goes beside the file the
 * link names and replaces that file, never the link, keeping its
 * permissions.  Devices, FIFOs, terminals and the descriptor names
 * /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are written
 * directly: there is nothing to rename over.
 *
 * Temporary files are named ".NAME.kpHHHHHHHH-PID-RRRRRR.tmp" (HHHHHHHH a
 * hash of the host name): enough to tell, later, the leftovers of a process
 * that died without cleaning up (SIGKILL, a power cut) from the files of a
 * live one (kp_tmp_clean_stale). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "internal.h"
#include "korpus/io.h"
#include "korpus/pack.h"

#define WBUF ((size_t)256 << 10)
#define MAX_LINK_HOPS 40
/* Room kept for the temporary name's decoration within NAME_MAX (255). */
#define TMP_BASE_MAX 200

struct kp_writer {
	kp_err err;
	int fd;
	int own_fd;
	char *path;   /* as given, for messages; NULL for stdout */
	char *target; /* the file replaced: path with its symbolic links followed */
	char *tmp;    /* temporary file while open or awaiting commit, else NULL */
	int finished; /* written and closed; kp_writer_commit() renames it */
	int gz;
	int threads;   /* compressing threads (kp_writer_set_threads) */
	kp_packer *pk; /* the gzip stream: 1 MiB blocks, each its own member,
			* compressed by libdeflate in threads */
	char *buf; /* pending uncompressed bytes */
	size_t len;
	uint64_t bytes;
};

kp_writer *kp_writer_new(void)
{
	kp_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->fd = -1;
	return w;
}

static void release_buffers(kp_writer *w)
{
	kp_packer_free(w->pk); /* its threads stopped */
	w->pk = NULL;
	free(w->buf);
	w->buf = NULL;
	w->len = 0;
}

void kp_writer_set_threads(kp_writer *w, int threads)
{
	w->threads = threads;
}

void kp_writer_free(kp_writer *w)
{
	if (!w)
		return;
	kp_writer_abort(w);
	release_buffers(w);
	free(w->path);
	free(w->target);
	free(w);
}

const char *kp_writer_tmppath(const kp_writer *w)
{
	return w->tmp;
}
const char *kp_writer_name(const kp_writer *w)
{
	return w->path ? w->path : "<stdout>";
}
uint64_t kp_writer_bytes(const kp_writer *w)
{
	return w->bytes;
}
const char *kp_writer_errmsg(const kp_writer *w)
{
	return w->err.msg;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int write_all(kp_writer *w, const char *p, size_t n);

/* The gzip stream's output, in file order. */
static int packed_out(void *ctx, const void *p, size_t n)
{
	return write_all(ctx, p, n);
}

static int setup(kp_writer *w, int flags, int level)
{
	w->len = 0;
	w->bytes = 0;
	w->finished = 0;
	if (!w->buf && !(w->buf = malloc(WBUF)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	w->gz = (flags & KP_WRITE_GZIP) || ((flags & KP_WRITE_AUTO) && w->path && ends_with(w->path, ".gz"));
	if (!w->gz)
		return 0;
	if (level < 1 || level > 9)
		level = 6;
	/* the same bytes for every number of threads: the blocks make them */
	kp_pack_params pp = {.level = level, .threads = w->threads, .plain = 1};
	kp_packer_free(w->pk);
	if (!(w->pk = kp_packer_new(&pp, packed_out, w)))
		return kp_err_set(&w->err, KP_ENOMEM, "cannot start the gzip encoder");
	return 0;
}

static void reset(kp_writer *w)
{
	kp_writer_abort(w);
	kp_err_clear(&w->err);
	free(w->path);
	free(w->target);
	w->path = w->target = NULL;
}

int kp_writer_open_fd(kp_writer *w, int fd, const char *name, int flags, int level)
{
	reset(w);
	if (name && strcmp(name, "-") != 0 && !(w->path = strdup(name)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	w->fd = fd;
	w->own_fd = 0;
	return setup(w, flags, level);
}

/* The descriptor a name stands for: /dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N; else -1.  Opening these names would reopen the file
 * behind the descriptor at offset 0 (losing an append) or, for a regular
 * file, make us replace it under the shell that opened it. */
static int fd_name(const char *p)
{
	if (!strcmp(p, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(p, "/dev/stderr"))
		return STDERR_FILENO;
	const char *num = !strncmp(p, "/dev/fd/", 8) ? p + 8 : !strncmp(p, "/proc/self/fd/", 14) ? p + 14 : NULL;
	if (!num || *num < '0' || *num > '9')
		return -1;
	long v = 0;
	for (; *num >= '0' && *num <= '9' && v < INT_MAX / 10; num++)
		v = v * 10 + (*num - '0');
	return *num ? -1 : (int)v;
}

/* 32-bit FNV-1a of the host name: tells this machine's temporary files
 * from another's on a shared file system. */
static unsigned host_hash(void)
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	unsigned h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)host; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* path with the symbolic links of its last component followed (each hop
 * relative to the folder of the link), stopping at a name that does not
 * exist (a new file, or a dangling link's target) or at a descriptor name
 * (*fd set).  NULL when out of memory or looping. */
static char *follow_links(kp_writer *w, const char *path, int *fd)
{
	char *cur = strdup(path);
	*fd = -1;
	for (int hop = 0; cur; hop++) {
		if ((*fd = fd_name(cur)) >= 0)
			return cur;
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (hop == MAX_LINK_HOPS) {
			free(cur);
			kp_err_set(&w->err, KP_EIO, "cannot write '%s': too many levels of symbolic links", path);
			return NULL;
		}
		char link[PATH_MAX];
		ssize_t n = readlink(cur, link, sizeof link - 1);
		if (n < 0) {
			free(cur);
			kp_err_errno(&w->err, KP_EIO, errno, "cannot read the link '%s'", path);
			return NULL;
		}
		link[n] = '\0';
		const char *slash = strrchr(cur, '/');
		size_t dirlen = link[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
		char *next = malloc(dirlen + (size_t)n + 1);
		if (next) {
			memcpy(next, cur, dirlen);
			memcpy(next + dirlen, link, (size_t)n + 1);
		}
		free(cur);
		cur = next;
	}
	kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	return NULL;
}

/* Create the temporary file beside target. */
static int open_tmp(kp_writer *w, const char *target, const struct stat *old)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
	const char *base = target + dirlen;
	size_t cap = strlen(target) + 64;
	char *tmp = malloc(cap);
	if (!tmp)
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 32) ^
			(uint64_t)(uintptr_t)w;
	char tag[40];
	kp_tmp_tag(tag, sizeof tag);
	for (int attempt = 0; attempt < 100; attempt++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		snprintf(tmp, cap, "%.*s.%.*s.%s-%06llx.tmp", (int)dirlen, target, TMP_BASE_MAX, base, tag,
			 (unsigned long long)((seed >> 40) & 0xffffff));
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			if (old) {
				/* the replacement keeps the permissions (and, for root,
				 * the owner) of the file it replaces */
				if (geteuid() == 0 && fchown(fd, old->st_uid, old->st_gid) != 0) {
					/* not fatal: the file stays root's */
				}
				if (fchmod(fd, old->st_mode & 07777) != 0) {
					int e = errno;
					close(fd);
					unlink(tmp);
					free(tmp);
					return kp_err_errno(&w->err, KP_EIO, e, "cannot keep the permissions of '%s'",
							    w->path);
				}
			}
			w->fd = fd;
			w->own_fd = 1;
			w->tmp = tmp;
			return 0;
		}
		if (errno != EEXIST) {
			int e = errno;
			free(tmp);
			return kp_err_errno(&w->err, KP_EIO, e, "cannot create '%s'", w->path);
		}
	}
	free(tmp);
	return kp_err_set(&w->err, KP_EIO, "cannot create a temporary file for '%s'", w->path);
}

int kp_writer_open(kp_writer *w, const char *path, int flags, int level)
{
	if (!path || strcmp(path, "-") == 0)
		return kp_writer_open_fd(w, STDOUT_FILENO, NULL, flags, level);
	reset(w);
	if (!(w->path = strdup(path)))
		return kp_err_set(&w->err, KP_ENOMEM, "out of memory");
	int fdn;
	if (!(w->target = follow_links(w, path, &fdn)))
		return KP_EIO;
	int rc;
	struct stat st;
	int exists = fdn < 0 && stat(w->target, &st) == 0;
	if (fdn >= 0) {
		/* a descriptor of ours: write into a copy of it */
		int fd = fcntl(fdn, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return kp_err_errno(&w->err, KP_EIO, errno, "cannot write '%s'", path);
		w->fd = fd;
		w->own_fd = 1;
	} else if (exists && S_ISDIR(st.st_mode)) {
		return kp_err_set(&w->err, KP_EIO, "cannot write '%s': Is a directory", path);
	} else if (exists && !S_ISREG(st.st_mode)) {
		int fd = open(w->target, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return kp_err_errno(&w->err, KP_EIO, errno, "cannot open '%s'", path);
		w->fd = fd;
		w->own_fd = 1;
	} else if ((rc = open_tmp(w, w->target, exists ? &st : NULL)) < 0) {
		return rc;
	}
	rc = setup(w, flags, level);
	if (rc < 0)
		kp_writer_abort(w);
	return rc;
}

size_t kp_tmp_tag(char *buf, size_t n)
{
	int k = snprintf(buf, n, "kp%08x-%ld", host_hash(), (long)getpid());
	return k < 0 ? 0 : (size_t)k;
}

int kp_tmp_tag_dead(const char *s, size_t n)
{
	if (n < 12 || n > 30 || s[0] != 'k' || s[1] != 'p' || s[10] != '-')
		return 0;
	unsigned hv = 0;
	for (int i = 2; i < 10; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
		if (d < 0)
			return 0;
		hv = hv << 4 | (unsigned)d;
	}
	long pid = 0;
	for (size_t i = 11; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || pid > 100000000L)
			return 0;
		pid = pid * 10 + (s[i] - '0');
	}
	if (hv != host_hash() || pid <= 0 || pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Is name one of our temporary files (".NAME.kpHHHHHHHH-PID-RRRRRR.tmp")
 * left by a dead process of this host? */
static int stale_tmp(const char *name)
{
	size_t n = strlen(name);
	if (name[0] != '.' || n < 26 || strcmp(name + n - 4, ".tmp") != 0)
		return 0;
	const char *r = name + n - 11; /* "-RRRRRR.tmp" */
	if (*r != '-')
		return 0;
	for (const char *q = r + 1; q < name + n - 4; q++)
		if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')))
			return 0;
	/* the tag runs back from r to the '.' before "kp" */
	const char *t = r;
	while (t > name + 1 && t[-1] != '.')
		t--;
	return t > name + 1 && kp_tmp_tag_dead(t, (size_t)(r - t));
}

int kp_tmp_clean_stale(const char *dir, unsigned *removed)
{
	*removed = 0;
	DIR *d = opendir(dir && *dir ? dir : ".");
	if (!d)
		return errno == ENOENT ? 0 : KP_EIO;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!stale_tmp(e->d_name))
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ".", e->d_name) >= (int)sizeof path)
			continue;
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
			(*removed)++;
	}
	closedir(d);
	return 0;
}

static int write_all(kp_writer *w, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t got = write(w->fd, p, n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				return kp_err_set(&w->err, KP_EPIPE, "broken pipe");
			return kp_err_errno(&w->err, KP_EIO, errno, "cannot write '%s'", kp_writer_name(w));
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Hand w->buf to the gzip stream, or write it. */
static int push(kp_writer *w)
{
	if (w->fd < 0)
		return kp_err_set(&w->err, KP_ESTATE, "no output open");
	int rc = w->gz ? kp_packer_write(w->pk, w->buf, w->len) : write_all(w, w->buf, w->len);
	if (rc < 0 && w->gz && !w->err.msg[0])
		rc = kp_err_set(&w->err, rc, "%s", kp_packer_errmsg(w->pk));
	w->len = 0;
	return rc;
}

int kp_writer_write(kp_writer *w, const void *p, size_t n)
{
	const char *s = p;
	if (w->fd < 0 || !w->buf)
		return kp_err_set(&w->err, KP_ESTATE, "no output open");
	w->bytes += n;
	if (w->gz) { /* the stream keeps its own blocks */
		int rc = kp_packer_write(w->pk, p, n);
		return rc < 0 && !w->err.msg[0] ? kp_err_set(&w->err, rc, "%s", kp_packer_errmsg(w->pk)) : rc;
	}
	while (n > 0) {
		if (w->len == WBUF) {
			int rc = push(w);
			if (rc < 0)
				return rc;
		}
		if (w->len == 0 && n >= WBUF && !w->gz) /* large plain writes skip the copy */
			return write_all(w, s, n);
		size_t k = WBUF - w->len < n ? WBUF - w->len : n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

int kp_writer_flush(kp_writer *w)
{
	return w->len ? push(w) : 0;
}

int kp_writer_finish(kp_writer *w)
{
	if (w->fd < 0)
		return kp_err_set(&w->err, KP_ESTATE, "no output open");
	int rc = kp_writer_flush(w);
	if (rc >= 0 && w->gz && (rc = kp_packer_finish(w->pk)) < 0 && !w->err.msg[0])
		rc = kp_err_set(&w->err, rc, "%s", kp_packer_errmsg(w->pk));
	if (rc >= 0 && w->own_fd) {
		int fd = w->fd;
		w->fd = -1;
		if (close(fd) != 0)
			rc = kp_err_errno(&w->err, KP_EIO, errno, "cannot write '%s'", kp_writer_name(w));
	}
	if (rc < 0) {
		kp_writer_abort(w);
		return rc;
	}
	w->fd = -1;
	w->own_fd = 0;
	w->finished = 1;
	/* a finished output waits for its commit holding no buffers: a run may
	 * publish thousands together (korpus-pack --split-size) */
	release_buffers(w);
	return 0;
}

int kp_writer_commit(kp_writer *w)
{
	if (!w->finished)
		return kp_err_set(&w->err, KP_ESTATE, "output not finished");
	w->finished = 0;
	if (!w->tmp)
		return 0;
	if (rename(w->tmp, w->target) != 0) {
		int rc = kp_err_errno(&w->err, KP_EIO, errno, "cannot rename '%s' to '%s'", w->tmp, w->target);
		kp_writer_abort(w);
		return rc;
	}
	free(w->tmp);
	w->tmp = NULL;
	return 0;
}

int kp_writer_close(kp_writer *w)
{
	int rc = kp_writer_finish(w);
	return rc < 0 ? rc : kp_writer_commit(w);
}

void kp_writer_abort(kp_writer *w)
{
	if (w->fd >= 0 && w->own_fd)
		close(w->fd);
	w->fd = -1;
	w->own_fd = 0;
	w->len = 0;
	w->finished = 0;
	if (w->tmp) {
		unlink(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
	}
}
