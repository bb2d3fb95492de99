/* Private JSON string helpers shared by the codec and the jobs. */
#ifndef KORPUS_JSON_INT_H
#define KORPUS_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

/* Decode the inside of a valid JSON string (no quotes) into dst (room: n
 * bytes; decoding never grows).  Lone surrogate escapes become U+FFFD and
 * are added to *repairs.  Returns the decoded length. */
size_t kp_json_unescape(char *dst, const char *src, size_t n, uint64_t *repairs);

#endif
