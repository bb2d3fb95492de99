korpus-dedup removes exact duplicates (the same words, whatever the case,
punctuation or dateline) and near duplicates (MinHash LSH, verified by the
Jaccard estimate), keeping the first:

  $ A='Wakil Bupati Belu Drs. Aloysius Haleserens MM berkunjung ke Kantor Imigrasi Kelas II TPI Atambua pada hari Rabu 26 Januari 2022 untuk membahas kerja sama dalam menangani masalah pelintas ilegal di perbatasan negara.'
  $ C='Harga cabai rawit di pasar tradisional Kota Kupang naik tajam menjelang hari raya karena pasokan dari petani berkurang akibat hujan deras sepanjang pekan lalu.'
  $ printf '{"id":"a","text":"%s"}\n{"id":"b","text":"%s"}\n{"id":"c","text":"ATAMBUA, KOMPAS.com - %s"}\n{"id":"d","text":"%s Baca berita lainnya."}\n{"id":"e","text":"pendek"}\n{"id":"f","text":"Pendek!","metadata":{"x":1}}\n' "$A" "$C" "$A" "$A" > d.jsonl
  $ korpus-dedup d.jsonl --dups dups.jsonl | cut -c1-40
  korpus-dedup: near duplicates: 5-word shingles, 128 permutations, Jaccard >= 0.8: 16 bands x 8 rows (false positive area 0.1383, false negative area 0.0013)
  korpus-dedup: 6 documents: 3 kept, 3 removed (2 exact, 1 near duplicates)
  korpus-dedup: index: .* kB for 3 kept documents (re)
  {"id":"a","text":"Wakil Bupati Belu Drs.
  {"id":"b","text":"Harga cabai rawit di p
  {"id":"e","text":"pendek"}
  $ cat dups.jsonl
  {"n":3,"id":"c","dup_of":"a","kind":"exact","jaccard":1}
  {"n":4,"id":"d","dup_of":"a","kind":"near","jaccard":0.8824}
  {"n":6,"id":"f","dup_of":"e","kind":"exact","jaccard":1}

Only exact duplicates; the key as raw bytes:

  $ korpus-dedup -q --exact d.jsonl | cut -c1-12
  {"id":"a","t
  {"id":"b","t
  {"id":"d","t
  {"id":"e","t
  $ korpus-dedup -q --exact --key raw d.jsonl | cut -c1-12
  {"id":"a","t
  {"id":"b","t
  {"id":"c","t
  {"id":"d","t
  {"id":"e","t
  {"id":"f","t

--annotate keeps every document and says what it duplicates; other fields
pass through:

  $ korpus-dedup -q --annotate d.jsonl | sed 's/"text":"[^"]*",*//'
  {"id":"a","metadata":{"dup_cluster":"a"}}
  {"id":"b","metadata":{"dup_cluster":"b"}}
  {"id":"c","metadata":{"dup_cluster":"a","dup_of":"a","dup_kind":"exact","dup_jaccard":1}}
  {"id":"d","metadata":{"dup_cluster":"a","dup_of":"a","dup_kind":"near","dup_jaccard":0.8824}}
  {"id":"e","metadata":{"dup_cluster":"e"}}
  {"id":"f","metadata":{"x":1,"dup_cluster":"e","dup_of":"e","dup_kind":"exact","dup_jaccard":1}}

The stages give the same result as the single command.  The sample corpus
with 60 edited copies, in three shards:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ head -60 sample.jsonl | sed 's/ dan / serta /; s/"id":"/"id":"v-/' > edited.jsonl
  $ cat sample.jsonl edited.jsonl > all.jsonl
  $ korpus-dedup all.jsonl > single.jsonl
  korpus-dedup: near duplicates: 5-word shingles, 128 permutations, Jaccard >= 0.8: 16 bands x 8 rows (false positive area 0.1383, false negative area 0.0013)
  korpus-dedup: 360 documents: 234 kept, 126 removed (66 exact, 60 near duplicates)
  korpus-dedup: index: .* for 234 kept documents (re)
  $ split -l 130 -d all.jsonl shard
  $ for s in 0 1 2; do korpus-dedup sign -q --shard $s shard0$s > $s.rec || echo fail; done
  $ LC_ALL=C sort -m <(LC_ALL=C sort 0.rec) <(LC_ALL=C sort 1.rec) <(LC_ALL=C sort 2.rec) > all.rec
  $ korpus-dedup cluster all.rec > remove.jsonl
  korpus-dedup cluster: .* records, .* shared keys, .* documents in them: 126 to remove \(66 exact, 60 near\) (re)
  $ for s in 0 1 2; do korpus-dedup apply -q --remove remove.jsonl --shard $s shard0$s; done | cmp - single.jsonl
  $ korpus-dedup -q -j 3 all.jsonl | cmp - single.jsonl

The reducer also takes the shards' sorted record files as they are:

  $ for s in 0 1 2; do LC_ALL=C sort $s.rec > $s.sorted; done
  $ korpus-dedup cluster -q 0.sorted 1.sorted 2.sorted | cmp - remove.jsonl

Keep the longest or the newest of each cluster (stages only):

  $ korpus-dedup sign -q --shard 0 d.jsonl | LC_ALL=C sort | korpus-dedup cluster -q --keep longest
  {"order":"000000:000000000001","id":"a","dup_of":"c","kind":"exact","jaccard":1}
  {"order":"000000:000000000004","id":"d","dup_of":"c","kind":"near","jaccard":0.8824}
  {"order":"000000:000000000005","id":"e","dup_of":"f","kind":"exact","jaccard":1}
  $ korpus-dedup --keep longest d.jsonl
  korpus-dedup: --keep longest needs every document's signature first: use the stages (korpus-dedup sign | LC_ALL=C sort | korpus-dedup cluster --keep longest | korpus-dedup apply)
  Usage: korpus-dedup [OPTION]... [FILE]...
    or:  korpus-dedup paragraphs [OPTION]... [FILE]...
    or:  korpus-dedup sign --shard I/N [OPTION]... [FILE]...
    or:  korpus-dedup cluster [OPTION]... [RECORDS]...
    or:  korpus-dedup apply --remove LIST --shard I/N [FILE]...
  Try 'korpus-dedup --help' for more information.
  [2]

Repeated paragraphs (in 3 documents or more) are removed from every
document; two passes over the files, or counts from an earlier pass:

  $ printf '{"id":"p%d","text":"Isi berita nomor %d.\\nBaca juga: Harga cabai naik\\nIkuti kami di media sosial."}\n' 1 1 2 2 3 3 > p.jsonl
  $ korpus-dedup --paragraphs p.jsonl 2> summary
  {"id":"p1","text":"Isi berita nomor 1."}
  {"id":"p2","text":"Isi berita nomor 2."}
  {"id":"p3","text":"Isi berita nomor 3."}
  $ grep -v index: summary
  korpus-dedup: near duplicates: .* (re)
  korpus-dedup: 3 documents: 3 kept, 0 removed (0 exact, 0 near duplicates)
  korpus-dedup: paragraphs: 6 removed from 3 documents (found in >= 3 documents)
  $ korpus-dedup -q --paragraphs --para-min-docs 4 p.jsonl | head -1
  {"id":"p1","text":"Isi berita nomor 1.\nBaca juga: Harga cabai naik\nIkuti kami di media sosial."}
  $ korpus-dedup paragraphs -q p.jsonl > counts.tsv
  $ grep -vc '^source' counts.tsv; grep -c '^source' counts.tsv
  2
  1
  $ korpus-dedup -q --paragraphs all.jsonl > twopass.jsonl
  $ korpus-dedup paragraphs -q all.jsonl > counts.tsv
  $ cat all.jsonl | korpus-dedup -q --paragraphs --para-counts counts.tsv | cmp - twopass.jsonl

An input that cannot be read twice (standard input, a pipe, a named FIFO)
is first copied to $TMPDIR, up to --max-spool: the result is the one of the
file; past the limit, the tool stops with the hint (and leaves nothing in
$TMPDIR):

  $ korpus-dedup -q --paragraphs all.jsonl > fromfile.jsonl
  $ cat all.jsonl | korpus-dedup -q --paragraphs | cmp - fromfile.jsonl
  $ korpus-dedup -q --paragraphs < all.jsonl | cmp - fromfile.jsonl
  $ korpus-dedup -q --paragraphs <(cat all.jsonl) | cmp - fromfile.jsonl
  $ mkfifo fifo.jsonl; (cat all.jsonl > fifo.jsonl &); timeout 20 korpus-dedup -q --paragraphs fifo.jsonl | cmp - fromfile.jsonl
  $ mkdir tmp; cat p.jsonl | TMPDIR=tmp korpus-dedup -q --paragraphs --max-spool 100
  korpus-dedup: <stdin>: --paragraphs without --para-counts reads its input twice, and this one is a stream of more than 100 bytes (the limit of its copy in $TMPDIR): give a file
  Usage: korpus-dedup [OPTION]... [FILE]...
    or:  korpus-dedup paragraphs [OPTION]... [FILE]...
    or:  korpus-dedup sign --shard I/N [OPTION]... [FILE]...
    or:  korpus-dedup cluster [OPTION]... [RECORDS]...
    or:  korpus-dedup apply --remove LIST --shard I/N [FILE]...
  Try 'korpus-dedup --help' for more information.
  [2]
  $ ls -A tmp

Per source (--para-per-source), a paragraph counts only among the documents
of its source: a site's boilerplate, not a quotation two outlets carried.
--para-min-docs auto scales the threshold with the size of the source (3
below 10,000 documents, 2 more for every tenfold); --para-removed writes
each removal with the number of documents that held the paragraph:

  $ printf '{"id":"q%d","source":"%s","text":"Isi berita nomor %d.\\nIkuti kami di media sosial."}\n' 1 a 1 2 a 2 3 b 3 4 b 4 5 b 5 > q.jsonl
  $ korpus-dedup -q --paragraphs q.jsonl | grep Ikuti | wc -l
  0
  $ korpus-dedup -q --paragraphs --para-per-source --para-min-docs auto --para-removed removed.jsonl q.jsonl | grep -c Ikuti
  2
  $ cat removed.jsonl
  {"id":"q3","rule":"repeated-paragraph","text":"Ikuti kami di media sosial.","documents":3}
  {"id":"q4","rule":"repeated-paragraph","text":"Ikuti kami di media sosial.","documents":3}
  {"id":"q5","rule":"repeated-paragraph","text":"Ikuti kami di media sosial.","documents":3}
  $ korpus-dedup paragraphs -q --para-per-source q.jsonl > qcounts.tsv
  $ korpus-dedup -q --paragraphs --para-per-source --para-min-docs auto --para-counts qcounts.tsv q.jsonl | grep -c Ikuti
  2

Counts without --paragraphs are a mistake, not ignored:

  $ korpus-dedup -q --para-counts counts.tsv p.jsonl 2>&1 | head -1
  korpus-dedup: --para-counts goes with --paragraphs

Past --max-memory the tool stops and points to the stages; the output file
is not published:

  $ korpus-dedup -q --max-memory 100k -o out.jsonl all.jsonl
  korpus-dedup: the index passed --max-memory (after 1 kept documents); deduplicate this corpus in stages: korpus-dedup sign | LC_ALL=C sort | korpus-dedup cluster, then korpus-dedup apply
  [1]
  $ ls out.jsonl
  ls: cannot access 'out.jsonl': No such file or directory
  [2]

Bad input: unsorted or foreign records, documents without text:

  $ korpus-dedup cluster 0.rec
  korpus-dedup cluster: 0.rec:2: the records are not sorted by key (sort them with LC_ALL=C sort)
  [1]
  $ printf 'garbage\n' | korpus-dedup cluster
  korpus-dedup cluster: <stdin>:1: not a key record of korpus-dedup sign (KEY, ORDER, LENGTH, TIME, MINHASH, ID separated by tabs)
  [1]
  $ printf '{"id":"x"}\n' | korpus-dedup -q
  korpus-dedup: <stdin>:1: not a document: no "text" field
  [1]
