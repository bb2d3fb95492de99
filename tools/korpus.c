/* korpus: the front command.  `korpus VERB ARGS...` runs korpus-VERB from
 * the folder of this program, then from PATH, as git does. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "korpus/korpus.h"

#define MAX_VERBS 64

struct verb {
	char name[64];
	char path[PATH_MAX];
};

static int self_dir(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n <= 0)
		return -1;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

static int is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Collect korpus-* programs of one folder; earlier folders win. */
static void scan_dir(const char *dir, struct verb *v, int *n)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	while ((e = readdir(dp)) && *n < MAX_VERBS) {
		if (strncmp(e->d_name, "korpus-", 7) != 0 || strlen(e->d_name + 7) >= sizeof v->name ||
		    !e->d_name[7] || strchr(e->d_name, '.'))
			continue;
		int seen = 0;
		for (int i = 0; i < *n; i++)
			seen |= strcmp(v[i].name, e->d_name + 7) == 0;
		if (seen)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path || !is_executable(path))
			continue;
		snprintf(v[*n].name, sizeof v[*n].name, "%s", e->d_name + 7);
		snprintf(v[*n].path, sizeof v[*n].path, "%s", path);
		(*n)++;
	}
	closedir(dp);
}

static int cmp_verb(const void *a, const void *b)
{
	return strcmp(((const struct verb *)a)->name, ((const struct verb *)b)->name);
}

/* The one-line description a tool prints for --describe. */
static void describe(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	int fd[2];
	if (pipe(fd) != 0)
		return;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execl(path, path, "--describe", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	size_t len = 0;
	ssize_t got;
	while (len + 1 < size && (got = read(fd[0], out + len, size - 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)got;
	}
	out[len] = '\0';
	close(fd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

static int list_verbs(FILE *f)
{
	struct verb v[MAX_VERBS];
	int n = 0;
	char dir[PATH_MAX];
	if (self_dir(dir, sizeof dir) == 0)
		scan_dir(dir, v, &n);
	const char *path = getenv("PATH");
	if (path) {
		char *copy = strdup(path);
		for (char *save = NULL, *p = copy ? strtok_r(copy, ":", &save) : NULL; p; p = strtok_r(NULL, ":", &save))
			scan_dir(*p ? p : ".", v, &n);
		free(copy);
	}
	qsort(v, (size_t)n, sizeof v[0], cmp_verb);
	fprintf(f, "Commands:\n");
	for (int i = 0; i < n; i++) {
		char desc[256];
		describe(v[i].path, desc, sizeof desc);
		fprintf(f, "  %-10s %s\n", v[i].name, desc);
	}
	return n;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: korpus VERB [ARG]...\n"
		   "       korpus help VERB\n"
		   "Toolkit for Indonesian news corpora: runs korpus-VERB with the arguments.\n\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		list_verbs(stderr);
		return 2;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0) {
		usage(stdout);
		list_verbs(stdout);
		printf("\nSee 'korpus help VERB' or 'korpus-VERB --help' for a command's options.\n"
		       "Exit status: 0 success, 1 data or I/O error, 2 usage error.\n");
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (strcmp(verb, "--version") == 0) {
		printf("korpus %s\n", kp_version());
		return fflush(stdout) == 0 ? 0 : 1;
	}
	char *help_argv[3];
	if (strcmp(verb, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			list_verbs(stdout);
			return fflush(stdout) == 0 ? 0 : 1;
		}
		verb = argv[2];
		help_argv[0] = argv[2];
		help_argv[1] = "--help";
		help_argv[2] = NULL;
		argv = help_argv - 1; /* argv[1..] becomes help_argv */
	}
	if (verb[0] == '-' || strchr(verb, '/')) {
		fprintf(stderr, "korpus: unknown option '%s'\n", verb);
		usage(stderr);
		return 2;
	}
	char prog[PATH_MAX], dir[PATH_MAX];
	snprintf(prog, sizeof prog, "korpus-%s", verb);
	argv[1] = prog;
	if (self_dir(dir, sizeof dir) == 0) {
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, prog) < (int)sizeof path && is_executable(path))
			execv(path, argv + 1);
	}
	execvp(prog, argv + 1);
	if (errno == ENOENT) {
		fprintf(stderr, "korpus: '%s' is not a korpus command; see 'korpus --help'\n", verb);
		return 2;
	}
	fprintf(stderr, "korpus: cannot run '%s': %s\n", prog, strerror(errno));
	return 1;
}
