korpus-pack writes blocked gzip that every gzip reader reads unchanged, and
an index beside it:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ korpus-pack -o sample.jsonl.gz sample.jsonl
  korpus-pack: 300 documents, 691.0 kB -> .* in 1 file with index (re)
  $ ls sample.jsonl.gz*
  sample.jsonl.gz
  sample.jsonl.gz.kpi
  $ zcat sample.jsonl.gz | cmp - sample.jsonl
  $ gzip -dc < sample.jsonl.gz | cmp - sample.jsonl
  $ python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())' sample.jsonl.gz | cmp - sample.jsonl
  $ korpus-cat sample.jsonl.gz | cmp - sample.jsonl

The bytes are the same for every -j; small blocks, strict BGZF, several
inputs:

  $ korpus-pack -q -j 3 -o j3.jsonl.gz sample.jsonl && cmp j3.jsonl.gz sample.jsonl.gz && cmp j3.jsonl.gz.kpi sample.jsonl.gz.kpi
  $ korpus-pack -q --block-size 4K -j 2 -o small.jsonl.gz sample.jsonl && zcat small.jsonl.gz | cmp - sample.jsonl
  $ korpus-pack -q --bgzf -o bgzf.jsonl.gz sample.jsonl && zcat bgzf.jsonl.gz | cmp - sample.jsonl
  $ tail -c 28 bgzf.jsonl.gz | od -An -tx1
   1f 8b 08 04 00 00 00 00 00 ff 06 00 42 43 02 00
   1b 00 03 00 00 00 00 00 00 00 00 00
  $ head -100 sample.jsonl > a.jsonl && tail -200 sample.jsonl | gzip > b.jsonl.gz
  $ korpus-pack -q -o ab.jsonl.gz a.jsonl b.jsonl.gz && cmp ab.jsonl.gz sample.jsonl.gz

Random access through the index: by id, by ordinal range, a reproducible
sample, a shard; the same documents as reading from start to end:

  $ korpus-cat --id okezone/2025-01-08-0001 --id antara/2025-01-19-0001 small.jsonl.gz | cut -c1-32
  {"id":"antara/2025-01-19-0001","
  {"id":"okezone/2025-01-08-0001",
  $ korpus-cat --range 10:13 small.jsonl.gz | cmp - <(sed -n 11,13p sample.jsonl)
  $ korpus-cat --range 298: small.jsonl.gz | wc -l
  2
  $ korpus-cat --sample 5 --seed 7 small.jsonl.gz > s1 && korpus-cat --sample 5 --seed 7 sample.jsonl > s2 && cmp s1 s2 && wc -l < s1
  5
  $ korpus-cat --sample 5 --seed 8 small.jsonl.gz | cmp -s - s1 || echo another sample
  another sample
  $ for i in 0 1 2; do korpus-cat --shard $i/3 small.jsonl.gz; done | sort | cmp - <(sort sample.jsonl)
  $ for i in 0 1 2; do korpus-cat --shard $i/3 --by-id small.jsonl.gz; done | wc -l
  300
  $ korpus-cat --shard 1/3 --by-id small.jsonl.gz | cmp - <(korpus-cat --shard 1/3 --by-id sample.jsonl)
  $ printf 'antara/2025-01-19-0001\nnot-there\n' > ids.txt
  $ korpus-cat --ids ids.txt small.jsonl.gz > found
  korpus-cat: id 'not-there' not found
  [1]
  $ cut -c1-32 found
  {"id":"antara/2025-01-19-0001","

Shards of a given size, each with its index, cut at document boundaries:

  $ korpus-pack -q --split-size 200K -o part.jsonl.gz sample.jsonl
  $ ls part-*
  part-00000.jsonl.gz
  part-00000.jsonl.gz.kpi
  part-00001.jsonl.gz
  part-00001.jsonl.gz.kpi
  part-00002.jsonl.gz
  part-00002.jsonl.gz.kpi
  part-00003.jsonl.gz
  part-00003.jsonl.gz.kpi
  $ zcat part-0000[0-3].jsonl.gz | cmp - sample.jsonl
  $ korpus-cat --range 150:152 part-0000[0-3].jsonl.gz | cmp - <(sed -n 151,152p sample.jsonl)

Lines of text: the index knows line ordinals:

  $ printf 'satu\ndua\n\ntiga\n' | korpus-pack -q --format text -o lines.txt.gz
  $ korpus-cat --range 3:4 lines.txt.gz
  tiga
  $ korpus-cat --id x lines.txt.gz
  korpus-cat: lines.txt.gz: packed lines of text have no ids
  [1]

--check verifies every block, the EOF block and the index; damage is named
by the block's offset:

  $ korpus-cat -q --check small.jsonl.gz | cmp - sample.jsonl
  $ korpus-cat --check small.jsonl.gz 2>&1 >/dev/null | head -1
  korpus-cat: small.jsonl.gz: 1\d\d blocks, 691.0 kB, CRC-32 and EOF block good; the index matches (re)
  $ head -c -28 small.jsonl.gz > cut.jsonl.gz && korpus-cat -q --check cut.jsonl.gz
  korpus-cat: cut.jsonl.gz: block at offset \d+: missing: the EOF block is not there \(the file was cut at a block boundary\) (re)
  [1]
  $ head -c -100 small.jsonl.gz > trunc.jsonl.gz && korpus-cat -q --check trunc.jsonl.gz
  korpus-cat: trunc.jsonl.gz: block at offset \d+: truncated: the file ends \d+ bytes into a block of \d+ (re)
  [1]
  $ cp small.jsonl.gz bad.jsonl.gz && printf 'XXXX' | dd of=bad.jsonl.gz bs=1 seek=3000 conv=notrunc 2>/dev/null
  $ cp small.jsonl.gz.kpi bad.jsonl.gz.kpi
  $ korpus-cat -q --check bad.jsonl.gz
  korpus-cat: bad.jsonl.gz: block at offset \d+: (invalid deflate data|CRC-32 mismatch|length mismatch) (re)
  [1]

A stale or corrupt index is reported, never trusted:

  $ cp small.jsonl.gz grown.jsonl.gz && cp small.jsonl.gz.kpi grown.jsonl.gz.kpi && printf '{"text":"x"}\n' | gzip >> grown.jsonl.gz
  $ korpus-cat --range 0:1 grown.jsonl.gz
  korpus-cat: grown.jsonl.gz.kpi: the index is stale: grown.jsonl.gz changed since it was packed (its size differs)
  [1]
  $ korpus-cat --no-index --range 300: grown.jsonl.gz
  {"text":"x"}
  $ cp small.jsonl.gz.kpi broken.kpi && printf 'X' | dd of=small.jsonl.gz.kpi bs=1 seek=200 conv=notrunc 2>/dev/null
  $ korpus-cat --id x small.jsonl.gz
  korpus-cat: small.jsonl.gz.kpi: the index is corrupt (checksum mismatch): pack again
  [1]

Bad input stops with its place, and nothing is published:

  $ printf '{"text":"a"}\nnot json\n' > bad.jsonl
  $ korpus-pack -o out.jsonl.gz bad.jsonl
  korpus-pack: bad.jsonl:2: .* (re)
  [1]
  $ ls out.jsonl.gz*
  ls: cannot access 'out.jsonl.gz*': No such file or directory
  [2]
  $ korpus-pack -q --skip-invalid -o out.jsonl.gz bad.jsonl && zcat out.jsonl.gz
  {"text":"a"}
  $ korpus-pack --bgzf --block-size 1M -o x.gz bad.jsonl
  korpus-pack: --block-size: BGZF blocks hold at most 65280 bytes
  Usage: korpus-pack [OPTION]... [FILE]...
  Try 'korpus-pack --help' for more information.
  [2]
