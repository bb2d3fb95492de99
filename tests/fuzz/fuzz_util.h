/* Helpers shared by the fuzz targets. */
#ifndef KORPUS_FUZZ_UTIL_H
#define KORPUS_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_FAIL(...)                                \
	do {                                          \
		fprintf(stderr, "fuzz: " __VA_ARGS__); \
		fputc('\n', stderr);                  \
		abort();                              \
	} while (0)

/* A descriptor reading the bytes p[0..n) from the start (a memory file). */
static inline int fuzz_memfd(const void *p, size_t n)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w <= 0)
			abort();
		c += w;
		n -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* The non-space bytes of s[0..n) into out (at least n bytes); their count. */
static inline size_t fuzz_nonspace(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
			out[k++] = s[i];
	return k;
}

#endif
