Data safety: no tool destroys what it was not asked to write, loses
documents with exit status 0, hangs on a line that never ends, or publishes
part of a run's outputs.  Each case below failed before it was fixed (the
adversarial review of issue 16).

  $ korpus-import -q --added 2026-11-29T00:00:00Z --source sample $TESTDIR/../corpora/sample > sample.jsonl
  $ korpus-dedup -q sample.jsonl | head -40 > small.jsonl

korpus build replaces an OUTDIR only when it holds a korpus build and
nothing else.  A folder of other files, or a file, stays (exit 1) unless
--force; an OUTDIR that holds an input, or lies inside one, is refused even
with --force:

  $ mkdir -p data/raw && cp -r $TESTDIR/../corpora/sample/antara data/raw/
  $ korpus build -q data/raw -o data
  korpus-build: -o data: the input 'data/raw' is inside it; give another output folder
  [1]
  $ korpus build -q --force data/raw -o data
  korpus-build: -o data: the input 'data/raw' is inside it; give another output folder
  [1]
  $ korpus build -q data/raw -o data/raw/out
  korpus-build: -o data/raw/out: it is inside the input 'data/raw' (the build would read its own output); give another output folder
  [1]
  $ ls data/raw/antara | wc -l
  12
  $ echo notes > notes.txt
  $ korpus build -q data/raw -o notes.txt
  korpus-build: -o notes.txt: a file is there, not a korpus build folder (--force replaces it)
  [1]
  $ cat notes.txt
  notes
  $ mkdir mine && echo keep > mine/keep.txt
  $ korpus build -q data/raw -o mine
  korpus-build: -o mine: the folder holds no korpus build (no manifest.json of one): not replaced; give a new folder, or --force to replace it
  [1]
  $ cat mine/keep.txt
  keep

A build folder is replaced by the next build; one that also holds a file of
the user's is not, unless --force:

  $ korpus build -q data/raw -o out
  $ korpus build -q --force data/raw -o out && ls out | wc -l
  8
  $ echo mine > out/analysis.txt
  $ korpus build -q --stages clean data/raw -o out
  korpus-build: -o out: the folder holds 'analysis.txt', which korpus build did not write: not replaced; move it, or --force to replace the folder
  [1]
  $ cat out/analysis.txt
  mine
  $ korpus build -q --force --stages clean data/raw -o out && ls out | grep -c analysis
  0
  [1]

An empty folder is replaced; an OUTDIR that is a symbolic link is built
where it leads, and stays a link:

  $ mkdir empty && korpus build -q --stages clean data/raw -o empty && ls empty | wc -l
  4
  $ mkdir target && ln -s target linked && korpus build -q --stages clean data/raw -o linked
  $ test -L linked && ls target | wc -l
  4

Standard input has no state to compare: a build from it always runs:

  $ head -3 small.jsonl | korpus build -q --stages clean - -o fromstdin && zcat fromstdin/corpus.jsonl.gz | wc -l
  3
  $ head -5 small.jsonl | korpus build -q --stages clean - -o fromstdin && zcat fromstdin/corpus.jsonl.gz | wc -l
  5

A stage killed by a signal is named, with the signal (korpus-clean reads a
FIFO that stays open, so it is still running when it is killed; the stage's
first, short run with --check-options is left alone, and may end between the
search and the kill: then the search goes on):

  $ mkfifo articles.jsonl
  $ { cat small.jsonl; sleep 30; } > articles.jsonl &
  $ korpus build -q --stages clean,pack articles.jsonl -o killed 2> killed.err &
  $ running() { for p in $(pgrep -f 'korpus-clean -q --removed=killed'); do { tr '\0' ' ' < /proc/$p/cmdline; } 2>/dev/null | grep -q check-options || echo $p; done; }
  $ for i in $(seq 200); do p=$(running); test -n "$p" && kill -KILL $p 2>/dev/null && break; sleep 0.05; done
  $ wait %2; cat killed.err
  korpus-build: stage clean was killed by signal 9 (Killed); nothing was published
  $ kill %1 2>/dev/null; ls -d killed* 2>&1
  killed.err

Every output option writes through a symbolic link (the file it names is
replaced, with its permissions) instead of replacing the link:

  $ echo old > real.jsonl && chmod 600 real.jsonl && ln -s real.jsonl link.jsonl
  $ korpus-norm -q small.jsonl -o link.jsonl
  $ test -L link.jsonl && stat -c %a real.jsonl && wc -l < real.jsonl
  600
  40
  $ echo old > removed-real.jsonl && ln -s removed-real.jsonl removed-link.jsonl
  $ korpus-clean -q small.jsonl --removed removed-link.jsonl > /dev/null
  $ test -L removed-link.jsonl && test -s removed-real.jsonl && grep -c rule removed-real.jsonl > /dev/null && echo through
  through
  $ ln -s dups-new.jsonl dups-link.jsonl
  $ cat small.jsonl small.jsonl | korpus-dedup -q --dups dups-link.jsonl > /dev/null
  $ test -L dups-link.jsonl && wc -l < dups-new.jsonl
  40
  $ mkdir sub && ln -s stats-real.json stats-link.json && ln -s ../stats-link.json sub/chain.json
  $ korpus-stats -q small.jsonl --json sub/chain.json > /dev/null
  $ test -L sub/chain.json && test -L stats-link.json && python3 -c 'import json; print(json.load(open("stats-real.json"))["documents"])'
  40

/dev/stdout (and /dev/fd/N) is the standard output itself, even when it is
a file: appended to as the shell opened it, never replaced:

  $ echo first > appended.txt
  $ korpus-norm -q small.jsonl -o /dev/stdout >> appended.txt && wc -l < appended.txt && head -1 appended.txt
  41
  first
  $ korpus-pack -q small.jsonl -o /dev/stdout > packed.gz && zcat packed.gz | wc -l && ls packed.gz*
  40
  packed.gz

All outputs of a run are published together or not at all: korpus-stats
does not keep --json when --vocab cannot be written, korpus-pack does not
keep the shards made before an index that cannot be written:

  $ mkdir outs outs/vocab.tsv
  $ korpus-stats -q small.jsonl --json outs/stats.json --vocab outs/vocab.tsv > /dev/null
  korpus-stats: cannot write 'outs/vocab.tsv': Is a directory
  [1]
  $ ls outs
  vocab.tsv
  $ mkdir parts parts/p-00001.jsonl.gz.kpi
  $ korpus-pack -q --split-size 20K small.jsonl -o parts/p.jsonl.gz
  korpus-pack: cannot write 'parts/p-00001.jsonl.gz.kpi': Is a directory
  [1]
  $ ls -A parts
  p-00001.jsonl.gz.kpi

korpus-pack --split-size removes the shards of an earlier, longer run when
it publishes the new set (a glob never mixes two runs):

  $ rmdir parts/p-00001.jsonl.gz.kpi
  $ korpus-pack -q --split-size 20K sample.jsonl -o parts/p.jsonl.gz && ls parts | wc -l
  72
  $ korpus-pack -q --split-size 200K sample.jsonl -o parts/p.jsonl.gz && ls parts
  p-00000.jsonl.gz
  p-00000.jsonl.gz.kpi
  p-00001.jsonl.gz
  p-00001.jsonl.gz.kpi
  p-00002.jsonl.gz
  p-00002.jsonl.gz.kpi
  p-00003.jsonl.gz
  p-00003.jsonl.gz.kpi
  $ zcat parts/p-*.jsonl.gz | wc -l
  300

korpus-dedup apply checks the id of every document it removes: the list of
one shard applied to another, or to the shard reordered, is an error naming
both ids, and a list naming documents the input does not have is one too:

  $ cat small.jsonl small.jsonl > s0.jsonl
  $ korpus-dedup sign -q --shard 0 s0.jsonl | LC_ALL=C sort | korpus-dedup cluster -q > remove.jsonl
  $ wc -l < remove.jsonl
  40
  $ korpus-dedup apply -q --shard 0 --remove remove.jsonl s0.jsonl | cmp - small.jsonl
  $ tac s0.jsonl > r0.jsonl
  $ korpus-dedup apply -q --shard 0 --remove remove.jsonl r0.jsonl -o kept.jsonl
  korpus-dedup apply: r0.jsonl: document 41 of shard 0 has the id "detik/2025-01-14-0003", but the removal list remove.jsonl:1 names "antara/2025-01-16-0001" for it: the list of another shard, or the shard in another order than given to sign?
  [1]
  $ korpus-dedup apply -q --shard 0 --remove remove.jsonl small.jsonl -o kept.jsonl
  korpus-dedup apply: remove.jsonl:1: the removal list names document 41 of shard 0, but the input has 40 documents: the list of another shard?
  [1]
  $ ls kept.jsonl 2>&1
  ls: cannot access 'kept.jsonl': No such file or directory
  [2]

korpus-dedup cluster copies no field it has not checked: an id that is not
JSON, a length that is not a number, records of one document that disagree:

  $ korpus-dedup sign -q --shard 0 s0.jsonl | LC_ALL=C sort > all.rec
  $ awk -F'\t' -v OFS='\t' 'NR == 2 { $6 = "\"x\\q\"" } 1' all.rec > badid.rec
  $ korpus-dedup cluster -q badid.rec
  korpus-dedup cluster: badid.rec:2: the id is not a JSON string, number or null
  [1]
  $ awk -F'\t' -v OFS='\t' 'NR == 2 { $3 = "-5" } 1' all.rec > badlen.rec
  $ korpus-dedup cluster -q badlen.rec
  korpus-dedup cluster: badlen.rec:2: bad length field
  [1]
  $ awk -F'\t' -v OFS='\t' 'NR == 3 { $4 = "\"2031-01-01\"" } 1' all.rec > mixed.rec
  $ korpus-dedup cluster -q mixed.rec 2>&1 | sed 's/document [0-9:]*/document N/'
  korpus-dedup cluster: mixed.rec:103: the records of document N disagree on its id, time or length (records of two runs mixed?)

korpus-stats --merge checks each vocabulary against the checksum and the
totals its report records; names it only beside the report; reports each
shard once; bad data is exit status 1:

  $ head -20 small.jsonl > a.jsonl && tail -20 small.jsonl > b.jsonl
  $ korpus-stats -q a.jsonl --json a.json --vocab a.tsv > /dev/null && korpus-stats -q b.jsonl --json b.json --vocab b.tsv > /dev/null
  $ korpus-stats -q small.jsonl --json whole.json --vocab whole.tsv > whole.txt
  $ korpus-stats -q --merge a.json b.json | cmp - whole.txt
  $ korpus-stats -q --merge a.json b.json a.json > /dev/null
  korpus-stats: a.json: the same report as a.json: a shard given twice would count twice
  [1]
  $ cp a.tsv a.bak && head -c 100 a.bak > a.tsv && korpus-stats -q --merge a.json b.json > /dev/null
  korpus-stats: a.tsv \(of a.json\): not the vocabulary its report was written with \(100 bytes, .*\): truncated, replaced or edited\? (re)
  [1]
  $ : > a.tsv && korpus-stats -q --merge a.json b.json > /dev/null
  korpus-stats: a.tsv \(of a.json\): not the vocabulary its report was written with \(0 bytes, .*\): truncated, replaced or edited\? (re)
  [1]
  $ cp b.tsv a.tsv && korpus-stats -q --merge a.json b.json > /dev/null
  korpus-stats: a.tsv \(of a.json\): not the vocabulary its report was written with .* (re)
  [1]
  $ rm a.tsv && korpus-stats -q --merge a.json b.json > /dev/null
  korpus-stats: a.json: cannot open 'a.tsv': No such file or directory
  [1]
  $ mv a.bak a.tsv && sed 's|"vocab_file":"a.tsv"|"vocab_file":"../../etc/passwd"|' a.json > c.json && korpus-stats -q --merge c.json > /dev/null
  korpus-stats: c.json: "vocab_file" must name a file in the report's folder, not '../../etc/passwd'
  [1]

A line that never ends stops every tool at --max-line with the error at
once (it used to read on to a newline that never comes):

  $ for t in clean norm split tok dedup stats pack cat; do timeout 60 korpus-$t -q --max-line 1M < /dev/zero > /dev/null; echo "[$?]"; done 2>&1
  korpus-clean: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-norm: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-split: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-tok: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-dedup: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-stats: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-pack: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  korpus-cat: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  $ timeout 60 korpus-import -q --format jsonl --max-line 1M < /dev/zero; echo "[$?]"
  korpus-import: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]
  $ timeout 60 korpus-import --max-line 1M < /dev/zero; echo "[$?]"
  korpus-import: no document: every one of the 1 records read was skipped
  korpus-import: 0 documents written, 1 read from 1 file .* (re)
  korpus-import: skipped: 1 too_long
  [1]
  $ timeout 60 korpus-clean -q -j 2 --max-line 1M < /dev/zero; echo "[$?]"
  korpus-clean: <stdin>:1: line longer than the limit of 1048576 bytes (see --max-line)
  [1]

korpus-norm undoes a long run of mojibake in time linear in it (the
scaling itself is measured by scripts/resources --scaling):

  $ python3 -c 'import json; print(json.dumps({"id": "m", "text": "\u00e2\u20ac\u201d" * 20000 + " akhir"}))' | korpus-norm -q
  {"id": "m", "text": "- akhir"}

korpus-clean bounds its memory: a document of more than 1048576 lines is
invalid (no article has as many; its line records alone would take 100 MB):

  $ python3 -c 'import json; print(json.dumps({"id": "lines", "text": "a\n" * 1100000}))' > lines.jsonl
  $ korpus-clean -q lines.jsonl
  korpus-clean: lines.jsonl:1: too many lines to clean (1048576 at most)
  [1]

Temporary files of a tool killed with SIGKILL (which no program can catch)
are removed by the next run that writes into the same folder:

  $ mkfifo slow.jsonl; mkdir stale
  $ { cat sample.jsonl; sleep 30; } > slow.jsonl &
  $ korpus-norm slow.jsonl -o stale/n.jsonl &
  $ for i in $(seq 200); do [ -n "$(ls -A stale)" ] && break; sleep 0.05; done; kill -KILL %2; wait %2 2>/dev/null; kill %1
  $ ls -A stale | sed 's/[0-9a-f]\{8\}-[0-9]*-[0-9a-f]*/X/'
  .n.jsonl.kpX.tmp
  $ korpus-norm small.jsonl -o stale/n.jsonl 2>&1 | grep temporary
  korpus-norm: removed 1 temporary file left in 'stale' by an interrupted run
  $ ls -A stale
  n.jsonl

Repairs of the input are accepted and counted: a UTF-8 byte order mark at
the start of a file, zero padding after gzip data, a lone surrogate escape;
lines that are no documents (--skip-invalid) are not counted as documents:

  $ printf '\xef\xbb\xbf{"id":"a","text":"Satu \\ud800 dua."}\nnot json\n' > bom.jsonl
  $ korpus-split --skip-invalid bom.jsonl > /dev/null
  korpus-split: 1 documents, 1 paragraphs, 1 sentences
  korpus-split: invalid lines skipped: 1
  korpus-split: invalid UTF-8 or lone surrogates replaced by U+FFFD: 1
  korpus-split: byte order marks removed: 1
  $ { gzip -c small.jsonl; head -c 512 /dev/zero; } > padded.jsonl.gz
  $ korpus-tok padded.jsonl.gz > /dev/null
  korpus-tok: 40 documents, 11909 tokens
  korpus-tok: zero bytes after gzip data ignored: 512
  $ { gzip -c small.jsonl; printf 'x'; } > garbage.jsonl.gz
  $ korpus-tok -q garbage.jsonl.gz > /dev/null
  korpus-tok: garbage.jsonl.gz:41: trailing garbage after gzip data at byte \d+ (re)
  [1]

korpus-import follows a symbolic link to a folder, and reads each folder
once however many links lead to it (a loop, or two links):

  $ mkdir -p tree/a tree/shared && echo 'Berita satu.' > tree/a/x.txt && echo 'Berita dua.' > tree/shared/y.txt
  $ ln -s ../shared tree/a/linked && ln -s ../a tree/a/loop && ln -s ../shared tree/a/again
  $ korpus-import --added 2026-11-29T00:00:00Z tree/a 2> import.err | cut -d, -f1; cat import.err
  {"id":"again/y"
  {"id":"x"
  korpus-import: 2 documents written, 2 read from 2 files (25 bytes)
  korpus-import: folders reached again through a symbolic link (a loop, or two links to one folder), read once: 2

A repeated id is counted (korpus-pack, and korpus build's manifest):

  $ cat small.jsonl small.jsonl | head -45 | korpus-pack -o rep.jsonl.gz
  korpus-pack: 45 documents, .* in 1 file with index (re)
  korpus-pack: ids: 5 documents repeat an earlier document's id (within a file)
  $ korpus build -q --stages clean,pack rep.jsonl.gz -o repbuild; python3 -c 'import json; print(json.load(open("repbuild/manifest.json"))["ids_repeated"])'
  5

Unix manners: a tool reading the terminal says so; compressed data is not
written to a terminal (korpus-pack, and -z); in a pipeline only the last
tool draws a progress meter (the others write into a pipe):

  $ script -qec 'korpus-cat --no-progress' /dev/null < /dev/null | tr -d '\r' | head -1
  korpus-cat: reading from the terminal: type or paste the input, then Ctrl-D (or give a FILE; --help says more)
  $ echo '{"text":"a"}' > one.jsonl
  $ script -qec 'korpus-pack one.jsonl' /dev/null | tr -d '\r' | head -1
  korpus-pack: compressed data is not written to a terminal: give -o FILE, or redirect the output
  $ script -qec 'korpus-cat -z one.jsonl' /dev/null | tr -d '\r' | head -1
  korpus-cat: -z: compressed data is not written to a terminal: give -o FILE, or redirect the output
  $ korpus-import -q $TESTDIR/../corpora/sample > many.jsonl
  $ script -qec 'korpus-cat many.jsonl | korpus-norm -o out.jsonl' /dev/null | tr '\r' '\n' |
  >   grep -oE 'korpus-[a-z]+: [0-9]+ docs' | cut -d: -f1 | sort | uniq -c
        1 korpus-norm
