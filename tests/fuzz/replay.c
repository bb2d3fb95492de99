/* Runs a fuzz target over files (a seed corpus, or crash reproducers) without
 * libFuzzer, so the targets' checks run in every sanitizer build.  A folder
 * is read file by file; a file NAME.b64 holds one base64-encoded input per
 * line ('#' lines are comments), so a merged corpus is one file. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (len + 65536 > cap) {
			cap = 2 * (len + 65536);
			uint8_t *nb = realloc(buf, cap);
			if (!nb)
				abort();
			buf = nb;
		}
		got = fread(buf + len, 1, 65536, f);
		len += got;
	} while (got);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* Each line of a .b64 file: one input.  Returns the number of inputs. */
static int run_b64(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int count = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[0] == '#')
			continue;
		uint8_t *buf = malloc((size_t)n);
		size_t len = 0;
		unsigned acc = 0;
		int bits = 0;
		for (ssize_t i = 0; i < n; i++) {
			int v = kp_base64_value((unsigned char)line[i]);
			if (v < 0)
				continue;
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf[len++] = (uint8_t)(acc >> bits);
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		count++;
	}
	free(line);
	fclose(f);
	return count;
}

int main(int argc, char **argv)
{
	int files = 0, failed = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort);
			for (int k = 0; k < n; k++) {
				if (names[k]->d_name[0] != '.') {
					char path[4096];
					snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
					failed |= run_file(path);
					files++;
				}
				free(names[k]);
			}
			free(names);
		} else if (strlen(argv[i]) > 4 && !strcmp(argv[i] + strlen(argv[i]) - 4, ".b64")) {
			int k = run_b64(argv[i]);
			failed |= k < 0;
			files += k > 0 ? k : 0;
		} else {
			failed |= run_file(argv[i]);
			files++;
		}
	}
	printf("%d inputs replayed\n", files);
	return failed || !files;
}
