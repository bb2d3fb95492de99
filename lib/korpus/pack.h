/* korpus packed corpora: blocked gzip with an index, for random access.
 *
 * A packed file is a series of independent gzip members, one per block of
 * the uncompressed stream (fixed size; the last one shorter), each naming
 * its own compressed size in a gzip extra subfield, and ending with the
 * 28-byte empty member of BGZF.  Any gzip reader reads it as one stream.
 *   - default: blocks of 1 MiB (--block-size), subfield 'K','P' with a
 *     32-bit little-endian member size - 1 (SLEN 4);
 *   - strict BGZF: blocks of 65,280 bytes, subfield 'B','C' with a 16-bit
 *     member size - 1 (SLEN 2), as htslib's bgzip writes and reads.
 * A member's header is 1f 8b 08 04, MTIME 0, XFL 0, OS 255, XLEN, the
 * subfield; then raw deflate, CRC-32 and the uncompressed size.
 *
 * The index (FILE.kpi), little-endian:
 *   0   8  magic "KPINDEX" 0x1a
 *   8   4  version (1)
 *  12   4  flags: 1 = lines of text (no ids), 2 = strict BGZF
 *  16   8  size of the packed file in bytes
 *  24   4  block size;  28  4  zero
 *  32   8  B, blocks;  40  8  N, documents (or lines);  48  8  M, ids
 *  56      B x 24: block offset in the file (u64), member size (u32),
 *          uncompressed size (u32), CRC-32 of the uncompressed block (u32),
 *          zero (u32)
 *          N x 8: for each document by ordinal: its block (u32) and its
 *          offset inside the uncompressed block (u32)
 *          M x 16: XXH3-64 of the document's id (u64), its ordinal (u64);
 *          sorted by hash, then ordinal
 *  end-8   XXH3-64 of every byte before it
 * An index is trusted only when its checksum holds, the packed file has the
 * size it names, and every block read has the size and CRC it names:
 * otherwise it is corrupt or stale (the file changed since), and says so.
 */
#ifndef KORPUS_PACK_H
#define KORPUS_PACK_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KP_PACK_BLOCK_DEFAULT (1u << 20)
#define KP_PACK_BLOCK_BGZF 65280u
#define KP_PACK_BLOCK_MAX (64u << 20)
#define KP_PACK_EOF_SIZE 28

typedef struct kp_pack_params {
	size_t block_size; /* uncompressed bytes per block (0: default; BGZF: 65280 at most) */
	int bgzf;          /* strict BGZF subfields and block size */
	int level;         /* zlib level 1-9 (0: 6) */
	int threads;       /* compressing threads (<= 1: the caller's thread) */
	int text;          /* lines of text: the index holds line ordinals, no ids */
	int plain;         /* members without korpus's subfield and no EOF member:
			    * a plain multi-member gzip stream, bytes added with
			    * kp_packer_write (no index can serve it) */
} kp_pack_params;

/* ---- writing ----------------------------------------------------------------- */

typedef struct kp_packer kp_packer;

/* Output goes to write(ctx, p, n) in file order (< 0 from it stops the
 * packer with that code).  NULL when out of memory or params are bad. */
KP_API kp_packer *kp_packer_new(const kp_pack_params *p, int (*write)(void *ctx, const void *p, size_t n),
				void *ctx);
KP_API void kp_packer_free(kp_packer *k);
/* Add one document (or text line) without its '\n'; id (may be NULL) is
 * its id's text for the index.  The packed bytes are identical for every
 * thread count. */
KP_API KP_WUR int kp_packer_add(kp_packer *k, const char *line, size_t len, const char *id, size_t idlen);
/* Add bytes as they are, blocks cut anywhere, nothing kept for an index
 * (the compressed stream of kp_writer). */
KP_API KP_WUR int kp_packer_write(kp_packer *k, const void *p, size_t n);
/* Compress and write what is left and the EOF member. */
KP_API KP_WUR int kp_packer_finish(kp_packer *k);
/* The index of the finished file, to write beside it. */
KP_API KP_WUR int kp_packer_index(kp_packer *k, int (*write)(void *ctx, const void *p, size_t n), void *ctx);
/* Uncompressed bytes added, bytes written, documents. */
KP_API uint64_t kp_packer_bytes_in(const kp_packer *k);
KP_API uint64_t kp_packer_bytes_out(const kp_packer *k);
KP_API uint64_t kp_packer_docs(const kp_packer *k);
/* After kp_packer_index(): documents whose id an earlier one has (equal
 * 64-bit id hashes). */
KP_API uint64_t kp_packer_repeated_ids(const kp_packer *k);
KP_API const char *kp_packer_errmsg(const kp_packer *k);

/* ---- reading ----------------------------------------------------------------- */

/* 1 when the first bytes (at least 18) start a member of a packed file. */
KP_API int kp_pack_sniff(const void *p, size_t n);

typedef struct kp_packfile kp_packfile;

/* Open a packed file with its index (index NULL: path + ".kpi").  Errors:
 * KP_EIO (cannot open), KP_ENOTFOUND (no index), KP_EFORMAT (corrupt or
 * stale index; *err names why).  *err (when not NULL) gets a message to
 * free(). */
KP_API KP_WUR int kp_packfile_open(kp_packfile **out, const char *path, const char *index, char **err);
KP_API void kp_packfile_close(kp_packfile *f);
KP_API uint64_t kp_packfile_docs(const kp_packfile *f);
KP_API int kp_packfile_is_text(const kp_packfile *f);
/* Document (line) by ordinal (from 0), without its '\n', borrowed until the
 * next call.  Reads and checks only the blocks it spans. */
KP_API KP_WUR int kp_packfile_get(kp_packfile *f, uint64_t ordinal, const char **line, size_t *len);
/* The ordinals whose id hashes like id's, in order: *first and *count
 * index kp_packfile_id_ordinal() (the caller compares the ids). */
KP_API void kp_packfile_find(const kp_packfile *f, const char *id, size_t idlen, uint64_t *first, uint64_t *count);
KP_API uint64_t kp_packfile_id_ordinal(const kp_packfile *f, uint64_t i);
/* Documents whose id an earlier one has (equal 64-bit id hashes). */
KP_API uint64_t kp_packfile_repeated_ids(const kp_packfile *f);
KP_API const char *kp_packfile_errmsg(const kp_packfile *f);

/* Verify a packed file block by block: each member's header, size, CRC-32
 * and length; the EOF member at the end; and, with f, that the index names
 * exactly these blocks and that every document offset falls on a line
 * start.  0, or KP_EGZIP / KP_EFORMAT with the message (naming the block's
 * offset) in *err (to free()).  *blocks, *bytes (may be NULL): counted. */
KP_API KP_WUR int kp_pack_check(const char *path, kp_packfile *f, uint64_t *blocks, uint64_t *bytes, char **err);

/* The id hash of the index. */
KP_API uint64_t kp_pack_id_hash(const char *id, size_t len);

#ifdef __cplusplus
}
#endif
#endif
