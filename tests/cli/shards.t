korpus build --shards N runs the build as a plan of stages over shards:
contiguous parts of the input, each imported, cleaned, normalized, filtered
and signed for deduplication on its own, a reduce over partitions of the
key records, then each shard's duplicates removed and packed, and the
statistics merged.  The result is the one-machine build's.

  $ export SOURCE_DATE_EPOCH=1
  $ korpus import -q $TESTDIR/../corpora/sample -o sample.jsonl
  $ split -n l/3 -d --additional-suffix=.jsonl sample.jsonl part
  $ wc -l < sample.jsonl
  300
  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o one -q

The plan, the same for every executor (--dry-run; with Slurm, the sbatch
scripts too):

  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o three --shards 3 --dry-run | sed "s|$PWD/||g; s|'[^']*/korpus-build'|korpus-build|; s/ -j[0-9]* / -jN /" | cut -c1-150
  # korpus build: 3 shards, 3 partitions, executor local; work folder three.work
  # shard 0: part00.jsonl
  # shard 1: part01.jsonl
  # shard 2: part02.jsonl
  
  # stage map: 3 tasks, each: korpus-build --task map:I 'three.work'
  map:0: korpus import -q --skipped=three.work/map/0/skipped.jsonl --counts=three.work/map/0/import-counts.json --file-range=0:1 part00.jsonl part01.jso
  map:1: korpus import -q --skipped=three.work/map/1/skipped.jsonl --counts=three.work/map/1/import-counts.json --file-range=1:2 part00.jsonl part01.jso
  map:2: korpus import -q --skipped=three.work/map/2/skipped.jsonl --counts=three.work/map/2/import-counts.json --file-range=2:3 part00.jsonl part01.jso
  
  # stage paras: 1 task, each: korpus-build --task paras:I 'three.work'
  paras:0: korpus dedup paragraphs -q -jN --para-per-source -o three.work/paras/0/paras.tsv three.work/map/0/docs.jsonl three.work/map/1/docs.jsonl thre
  
  # stage sign: 3 tasks, each: korpus-build --task sign:I 'three.work'
  sign:0: korpus dedup sign -q --shard=0/3 --paragraphs --para-per-source --para-min-docs=auto --para-counts=three.work/paras/0/paras.tsv three.work/map
  sign:1: korpus dedup sign -q --shard=1/3 --paragraphs --para-per-source --para-min-docs=auto --para-counts=three.work/paras/0/paras.tsv three.work/map
  sign:2: korpus dedup sign -q --shard=2/3 --paragraphs --para-per-source --para-min-docs=auto --para-counts=three.work/paras/0/paras.tsv three.work/map
  
  # stage reduce: 3 tasks, each: korpus-build --task reduce:I 'three.work'
  reduce:0: LC_ALL=C sort --buffer-size=256M --temporary-directory=three.work/reduce/0 --files0-from=three.work/reduce/0/inputs | korpus dedup cluster -
  reduce:1: LC_ALL=C sort --buffer-size=256M --temporary-directory=three.work/reduce/1 --files0-from=three.work/reduce/1/inputs | korpus dedup cluster -
  reduce:2: LC_ALL=C sort --buffer-size=256M --temporary-directory=three.work/reduce/2 --files0-from=three.work/reduce/2/inputs | korpus dedup cluster -
  
  # stage cluster: 1 task, each: korpus-build --task cluster:I 'three.work'
  cluster:0: LC_ALL=C sort -m --buffer-size=256M --temporary-directory=three.work/cluster/0 --files0-from=three.work/cluster/0/inputs | korpus dedup clu
  
  # stage apply: 3 tasks, each: korpus-build --task apply:I 'three.work'
  apply:0: korpus dedup apply -q --shard=0/3 --remove=three.work/cluster/0/remove.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-count
  apply:1: korpus dedup apply -q --shard=1/3 --remove=three.work/cluster/0/remove.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-count
  apply:2: korpus dedup apply -q --shard=2/3 --remove=three.work/cluster/0/remove.jsonl --paragraphs --para-per-source --para-min-docs=auto --para-count

Processes on this machine (the default executor), two tasks at once:

  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o three --shards 3 --partitions 2 --tasks 2 2>&1 | sed -n '/stage [a-z]*:/s/ in .* s$//p'
  korpus-build: stage map: 3 tasks
  korpus-build: stage paras: 1 task
  korpus-build: stage sign: 3 tasks
  korpus-build: stage reduce: 2 tasks
  korpus-build: stage cluster: 1 task
  korpus-build: stage apply: 3 tasks
  $ ls three
  corpus-00000.jsonl.gz
  corpus-00000.jsonl.gz.kpi
  corpus-00001.jsonl.gz
  corpus-00001.jsonl.gz.kpi
  corpus-00002.jsonl.gz
  corpus-00002.jsonl.gz.kpi
  manifest.json
  removed.jsonl.gz
  report.html
  sentences-00000.txt.gz
  sentences-00000.txt.gz.kpi
  sentences-00001.txt.gz
  sentences-00001.txt.gz.kpi
  sentences-00002.txt.gz
  sentences-00002.txt.gz.kpi
  stats.json
  $ python3 $TESTDIR/shards/compare.py one three
  same: 223 documents in 3 shard files, 77 duplicates, removed records, statistics, manifest
  $ ls -d three*
  three
  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o three --shards 3 --partitions 2
  korpus-build: three is up to date (same inputs and options; --force builds again)

GNU parallel runs the same plan (--sshloginfile for several machines that
see the same files; ':' is this one):

  $ echo : > logins
  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o par --shards 3 --executor parallel --sshloginfile logins -q
  $ python3 $TESTDIR/shards/compare.py one par
  same: 223 documents in 3 shard files, 77 duplicates, removed records, statistics, manifest

One large JSON Lines file is cut into byte ranges at line starts (each
shard's import reads its range, with the whole file's line numbers and
ids):

  $ korpus build sample.jsonl -o whole -q
  $ korpus build sample.jsonl -o cut --shards 3 --dry-run | sed -n '2,4p' | sed 's/bytes [0-9]*-[0-9]*/bytes A-B/'
  # shard 0: sample.jsonl bytes A-B (from line 1)
  # shard 1: sample.jsonl bytes A-B (from line 107)
  # shard 2: sample.jsonl bytes A-B (from line 210)
  $ korpus build sample.jsonl -o cut --shards 3 -q
  $ python3 $TESTDIR/shards/compare.py whole cut
  same: 223 documents in 3 shard files, 77 duplicates, removed records, statistics, manifest

A folder of articles is cut by its files (korpus-import --list-files and
--file-range: the same ids and sources as the whole import):

  $ korpus build $TESTDIR/../corpora/sample -o folder1 -q
  $ korpus build $TESTDIR/../corpora/sample -o folder3 --shards 3 --dry-run | sed -n '2,4p' | sed "s|$TESTDIR/../||g"
  # shard 0: files 0-106: corpora/sample/antara/2025-01-16-0001.txt ... corpora/sample/detik/2025-01-29-0003.txt
  # shard 1: files 107-209: corpora/sample/detik/2025-01-30-0001.txt ... corpora/sample/okezone/2025-01-27-0001.txt
  # shard 2: files 210-299: corpora/sample/republika/2025-01-09-0001.txt ... corpora/sample/tribun/2025-01-31-0001.txt
  $ korpus build $TESTDIR/../corpora/sample -o folder3 --shards 3 -q
  $ python3 $TESTDIR/shards/compare.py folder1 folder3
  same: 223 documents in 3 shard files, 77 duplicates, removed records, statistics, manifest

A failed task fails the build, naming its log and showing its end; nothing
is published and the finished tasks are kept:

  $ cp part01.jsonl bad01.jsonl && echo '{"id": "broken", "text": ' >> bad01.jsonl
  $ korpus build part00.jsonl bad01.jsonl part02.jsonl -o bad --shards 3 -q 2>&1 | sed "s|$PWD/||g"
  korpus-build: task map:1 failed (exit status 1); its log: bad.work/logs/map-1.log
    | korpus-import: bad01.jsonl:104: invalid JSON at column 26: expected a value, found end of line
    | korpus-build: stage import failed (exit status 1)
    | korpus-build: task map:1 failed
  $ ls -d bad*
  bad.work
  bad01.jsonl

Under GNU parallel too, the task that failed of itself is named (the
others were stopped):

  $ korpus build part00.jsonl bad01.jsonl part02.jsonl -o badp --shards 3 --executor parallel -q 2>&1 | sed "s|$PWD/||g" | head -2
  korpus-build: task map:1 failed (under GNU parallel); its log: badp.work/logs/map-1.log
    | korpus-import: bad01.jsonl:104: invalid JSON at column 26: expected a value, found end of line

Shards left with no document (all duplicates of an earlier shard's), and
more shards asked than a small file has lines:

  $ head -5 sample.jsonl > five.jsonl && cp five.jsonl a.jsonl && cp five.jsonl b.jsonl
  $ korpus build five.jsonl a.jsonl b.jsonl -o abc1 -q && korpus build five.jsonl a.jsonl b.jsonl -o abc3 --shards 3 -q
  $ python3 $TESTDIR/shards/compare.py abc1 abc3
  same: 4 documents in 3 shard files, 11 duplicates, removed records, statistics, manifest
  $ korpus build five.jsonl -o f1 -q && korpus build five.jsonl -o f8 --shards 8 2>&1 | head -1
  korpus-build: 4 shards, not 8: the inputs' 1 file cannot be cut finer (plain JSON Lines files are cut at line starts, other files not)
  $ python3 $TESTDIR/shards/compare.py f1 f8
  same: 4 documents in 4 shard files, 1 duplicates, removed records, statistics, manifest

An interrupted build resumes where it stopped: the tasks done are not run
again.

  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o res --shards 3 --tasks 1 -q & pid=$!
  > for i in $(seq 600); do test -d res.work/map/1 && break; sleep 0.05; done; kill -TERM $pid; wait $pid
  korpus-build: interrupted; nothing was published
  [1]
  $ test -d res.work/map/0 && test ! -d res && echo kept
  kept
  $ korpus build part00.jsonl part01.jsonl part02.jsonl -o res --shards 3 2>&1 | grep -E 'resuming|stage (map|paras)' | sed "s|$PWD/||; s/ in .* s / /"
  korpus-build: resuming the build in res.work
  korpus-build: stage map: [01] tasks? \([23] done before\) (re)
  korpus-build: stage paras: 1 task in .* s (re)
  $ python3 $TESTDIR/shards/compare.py one res
  same: 223 documents in 3 shard files, 77 duplicates, removed records, statistics, manifest
  $ ls -d res*
  res

Usage errors:

  $ korpus build part00.jsonl -o x --shards 2 --stages import,clean
  korpus-build: --shards: a sharded build needs the dedup stage (without it, build each shard on its own: the shards share nothing)
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]
  $ korpus build part00.jsonl -o x --shards 2 --executor yarn
  korpus-build: --executor: expected local, parallel or slurm, not 'yarn'
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]
  $ korpus build part00.jsonl -o x --shards 2 --slurm-opts=--time=1
  korpus-build: --slurm-opts goes with --executor slurm
  Usage: korpus-build INPUT... -o OUTDIR [OPTION]...
  Try 'korpus-build --help' for more information.
  [2]
