korpus-stats counts a corpus at any stage; a table goes to the output:

  $ printf '{"id":"a","text":"Bukunya dibaca anak-anak. Harga naik 2,5 persen!\\n\\nDrs. Aloysius datang.","source":"kompas","created":"2025-01-16"}\n{"id":"b","text":"Anak-anak membaca buku.","source":"detik","metadata":{"published":"2025-02-01","dup_of":"a","removed":[{"rule":"baca-juga","text":"Baca juga: X"}]}}\n' > d.jsonl
  $ korpus-stats -q d.jsonl | head -24
  corpus
    documents                            2
    paragraphs                           3
    sentences                            4
    tokens                              17
    words                               12
    numbers                              1
    characters                          94
    bytes                               94
  vocabulary
    word types                          11
    stem types                           9
    bigram types                         7
    type/token ratio                0.9167
    hapax legomena                  90.91%  of types
    stopwords                       16.67%  of words
    numbers                          5.88%  of tokens
  lengths                         mean   median      p90      p99      max
    document (tokens)              8.5        4       13       13       13
    sentence (tokens)              4.2        4        5        5        5
    word (characters)              6.2        6        9        9        9
  top words
       1  anak-anak                                 2
       2  aloysius                                  1
  $ korpus-stats -q d.jsonl | sed -n '/^sources/,$p'
  sources                      documents       tokens
    detik                               1            4
    kompas                              1           13
  months                       documents       tokens
    2025-01                             1           13
    2025-02                             1            4
  pipeline
    duplicates marked                    1
    left empty by clean                  0
    UTF-8 repairs                        0
    removed by korpus-clean        spans        bytes
      baca-juga                         1           12

Exact against an independent count: the UD Indonesian CSUI sentences, one a
line, their tokens separated by spaces:

  $ python3 $TESTDIR/data/stats/ud_check.py make $TESTDIR/data/stats/id_csui-ud-train.conllu ud.jsonl
  $ korpus-stats -q --lines --tokens spaces ud.jsonl --json ud.json > /dev/null
  $ python3 $TESTDIR/data/stats/ud_check.py check $TESTDIR/data/stats/id_csui-ud-train.conllu ud.json $TESTDIR/../lib/data/stopwords-id.txt
  ok

Shards merge exactly: the merged report, vocabulary and table are those of
one run over everything; -j changes nothing:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ cat sample.jsonl ud.jsonl > all.jsonl
  $ split -l 150 -d all.jsonl part
  $ for p in part0*; do korpus-stats -q $p --json $p.json --vocab $p.tsv > /dev/null || echo fail; done
  $ mkdir one merged
  $ korpus-stats -q all.jsonl --json one/r.json --vocab one/r.tsv > one/table
  $ korpus-stats -q --merge part0*.json --json merged/r.json --vocab merged/r.tsv > merged/table
  $ cmp one/r.json merged/r.json && cmp one/r.tsv merged/r.tsv && cmp one/table merged/table
  $ korpus-stats -q -j 3 all.jsonl --json j3.json --vocab one/r.tsv > j3.table && cmp j3.json one/r.json && cmp j3.table one/table
  $ head -3 one/r.tsv
  yang\t\d+ (re)
  di\t\d+ (re)
  dan\t\d+ (re)
  $ korpus-stats -q --merge one/table
  korpus-stats: one/table: not JSON: lexical error: invalid char in json text.
                                          corpus   documents            
                       (right here) ------^
  
  [1]
  $ korpus-stats -q sample.jsonl --json novocab.json > /dev/null && korpus-stats -q --merge novocab.json
  korpus-stats: novocab.json: written without --vocab: word types cannot merge exactly (run korpus-stats with --json and --vocab on each shard)
  [1]

--max-vocab bounds the vocabulary and says the type figures are approximate:

  $ korpus-stats -q --max-vocab 100 sample.jsonl | head -1
  corpus (approximate: --max-vocab reached; type counts are lower bounds)
  $ korpus-stats -q --max-vocab 100 sample.jsonl --json capped.json > /dev/null && grep -o '"word_types":[0-9]*,' capped.json
  "word_types":100,

Which types fill a capped table depends on the order of the documents, so
with --max-vocab one worker counts, and the report is the same for every -j:

  $ for r in a b c; do korpus-stats -q -j2 --max-vocab 100 all.jsonl --json capped-$r.json > /dev/null; done
  $ korpus-stats -q -j1 --max-vocab 100 all.jsonl --json capped-1.json > /dev/null
  $ cmp capped-a.json capped-b.json && cmp capped-a.json capped-c.json && cmp capped-a.json capped-1.json && echo same
  same
  $ korpus-stats -j2 --max-vocab 100 all.jsonl 2>&1 > /dev/null | head -1
  korpus-stats: --max-vocab: counting in one worker (a capped vocabulary depends on the order of the documents)

The HTML report is one self-contained file with every chart (checked on the
file), and headless Chromium renders it.  Without Chromium the browser check
cannot run: the test then says so, and fails, rather than pass without it
(scripts/check installs chromium):

  $ korpus-stats -q all.jsonl --html report.html > /dev/null
  $ python3 $TESTDIR/../scripts/check-report report.html --no-browser
  $ if command -v chromium > /dev/null || command -v chromium-browser > /dev/null; then
  >   python3 $TESTDIR/../scripts/check-report report.html --png report.png && echo "rendered by chromium"
  > else echo "SKIPPED: the browser check did not run: chromium is not installed"; fi
  rendered by chromium
