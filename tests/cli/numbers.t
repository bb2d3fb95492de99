Every numeric option of every tool takes the whole argument as its number:
trailing characters, a sign where none is allowed, an out-of-range value or
an overflow is a usage error (exit 2) naming the option.

  $ check() { "$@" < /dev/null > /dev/null 2> err; s=$?; echo "[$s] $(head -1 err)"; }

Options every document tool has:

  $ for t in clean norm split tok pack stats filter dedup import cat; do check korpus-$t --max-line 1Mx; done
  [2] korpus-clean: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-norm: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-split: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-tok: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-pack: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-stats: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-filter: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-dedup: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-import: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-cat: invalid size for --max-line: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  $ for t in clean norm split tok pack stats filter dedup; do check korpus-$t --jobs 2x; done
  [2] korpus-clean: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-norm: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-split: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-tok: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-pack: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-stats: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-filter: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-dedup: invalid value for --jobs: '2x' (expected 1 to 256)
  $ for v in 6x -1 +3 ' 6' 99999999999999999999; do check korpus-clean -z --level "$v"; done
  [2] korpus-clean: invalid value for --level: '6x' (expected 1 to 9)
  [2] korpus-clean: invalid value for --level: '-1' (expected 1 to 9)
  [2] korpus-clean: invalid value for --level: '+3' (expected 1 to 9)
  [2] korpus-clean: invalid value for --level: ' 6' (expected 1 to 9)
  [2] korpus-clean: invalid value for --level: '99999999999999999999' (expected 1 to 9)
  $ check korpus-pack --max-line -1M; check korpus-pack --max-line 0x10; check korpus-pack --max-line 99999999T
  [2] korpus-pack: invalid value for --max-line: '-1M' (expected a whole number)
  [2] korpus-pack: invalid size for --max-line: '0x10' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-pack: invalid size for --max-line: '99999999T' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)

The tools' own numbers:

  $ check korpus-cat --sample 5x; check korpus-cat --seed 1e3; check korpus-cat --shard 1/4x; check korpus-cat --range 1:5x
  [2] korpus-cat: --sample: expected 1 to 2^32 documents, not '5x'
  [2] korpus-cat: --seed: expected a number, not '1e3'
  [2] korpus-cat: --shard: expected I/N with 0 <= I < N, not '1/4x'
  [2] korpus-cat: --range: expected A:B, not '1:5x'
  $ check korpus-cat --sample 99999999999999999999999
  [2] korpus-cat: invalid value for --sample: '99999999999999999999999' (too large)
  $ for o in '--num-perm 128abc' '--threshold 0.9zz' '--threshold nan' '--threshold 0x1p-1' '--bands 4x' '--rows 2x' '--ngram 5x' '--min-shingles 3x' '--para-min-docs 3x' '--max-memory 4Gx' '--max-spool 1Mx'; do check korpus-dedup $o; done
  [2] korpus-dedup: invalid value for --num-perm: '128abc' (expected 2 to 512)
  [2] korpus-dedup: invalid value for --threshold: '0.9zz' (expected 0 to 1)
  [2] korpus-dedup: invalid value for --threshold: 'nan' (expected 0 to 1)
  [2] korpus-dedup: invalid value for --threshold: '0x1p-1' (expected 0 to 1)
  [2] korpus-dedup: invalid value for --bands: '4x' (expected 1 to 128)
  [2] korpus-dedup: invalid value for --rows: '2x' (expected 1 to 512)
  [2] korpus-dedup: invalid value for --ngram: '5x' (expected 1 to 32)
  [2] korpus-dedup: invalid value for --min-shingles: '3x' (expected 1 to 1000000)
  [2] korpus-dedup: invalid value for --para-min-docs: '3x' (expected 2 to 1099511627776)
  [2] korpus-dedup: invalid size for --max-memory: '4Gx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-dedup: invalid size for --max-spool: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  $ for o in '--num-perm 128abc' '--threshold 0.9zz' '--bands 4x' '--rows 2x' '--ngram 5x'; do check korpus-dedup cluster $o; done
  [2] korpus-dedup cluster: invalid value for --num-perm: '128abc' (expected 2 to 512)
  [2] korpus-dedup cluster: invalid value for --threshold: '0.9zz' (expected 0 to 1)
  [2] korpus-dedup cluster: invalid value for --bands: '4x' (expected 1 to 128)
  [2] korpus-dedup cluster: invalid value for --rows: '2x' (expected 1 to 512)
  [2] korpus-dedup cluster: invalid value for --ngram: '5x' (expected 1 to 32)
  $ check korpus-dedup sign --shard 1/4x; check korpus-dedup apply --shard 3x
  [2] korpus-dedup sign: --shard: expected I/N with 0 <= I < N <= 1000000, or I, not '1/4x'
  [2] korpus-dedup apply: --shard: expected I/N with 0 <= I < N <= 1000000, or I, not '3x'
  $ check korpus-filter --bits 17x; check korpus-filter --min-score 0.5x; check korpus-filter --min-score inf
  [2] korpus-filter: invalid value for --bits: '17x' (expected 8 to 24)
  [2] korpus-filter: invalid value for --min-score: '0.5x' (expected 0 to 1)
  [2] korpus-filter: invalid value for --min-score: 'inf' (expected 0 to 1)
  $ check korpus-pack --block-size 1Mx; check korpus-pack --split-size 1Mx
  [2] korpus-pack: invalid size for --block-size: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-pack: invalid size for --split-size: '1Mx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  $ check korpus-stats --top 5x; check korpus-stats --max-vocab 5x
  [2] korpus-stats: invalid value for --top: '5x' (expected 1 to 100000)
  [2] korpus-stats: invalid value for --max-vocab: '5x' (expected 1 to 1099511627776)

korpus build asks each stage to read its options (--check-options) before it
starts anything, so a stage's option is checked as the stage checks it, and a
bad one is the build's usage error:

  $ echo '{"id":"a","text":"x"}' > a.jsonl
  $ for o in '--jobs 2x' '--level 5x' '--min-score 0.5x' '--threshold 0.5x' '--num-perm 12x' '--block-size 12x' '--max-memory 1Gx' '--para-min-docs 2x'; do check korpus build a.jsonl -o out $o; done
  [2] korpus-build: invalid value for --jobs: '2x' (expected 1 to 256)
  [2] korpus-build: invalid value for --level: '5x' (expected 1 to 9)
  [2] korpus-filter: invalid value for --min-score: '0.5x' (expected 0 to 1)
  [2] korpus-dedup: invalid value for --threshold: '0.5x' (expected 0 to 1)
  [2] korpus-dedup: invalid value for --num-perm: '12x' (expected 2 to 512)
  [2] korpus-pack: invalid size for --block-size: '12x' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-dedup: invalid size for --max-memory: '1Gx' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  [2] korpus-dedup: invalid value for --para-min-docs: '2x' (expected 2 to 1099511627776)
  $ ls
  a.jsonl
  err
  $ korpus-dedup --threshold 0.8 --max-memory 4G --check-options; echo $?
  0
