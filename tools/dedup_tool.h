/* Shared by the parts of korpus-dedup (korpus-dedup.c, dedup_cluster.c). */
#ifndef KORPUS_DEDUP_TOOL_H
#define KORPUS_DEDUP_TOOL_H

#include "cli.h"

/* --threshold: a number strictly between 0 and 1, or exit 2. */
double dedup_parse_threshold(cli *c, const char *arg);
/* The "order" field of a staged record (SHARD:NUMBER): 0, or -1 if malformed. */
int dedup_parse_order(const char *s, size_t n, unsigned *shard, unsigned long long *num);
/* korpus-dedup cluster (argv[0] is "cluster"). */
int cluster_main(int argc, char **argv);

#endif
