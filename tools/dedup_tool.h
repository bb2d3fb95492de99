/* Shared by the parts of korpus-dedup (korpus-dedup.c, dedup_cluster.c). */
#ifndef KORPUS_DEDUP_TOOL_H
#define KORPUS_DEDUP_TOOL_H

#include "cli.h"

/* --threshold: a number strictly between 0 and 1, or exit 2. */
double dedup_parse_threshold(cli *c, const char *arg);
/* --keep: first, longest or newest, or exit 2. */
enum kp_dedup_keep dedup_parse_keep(cli *c, const char *arg);
/* korpus-dedup cluster (argv[0] is "cluster"). */
int cluster_main(int argc, char **argv);

#endif
