Same input and options give the same bytes: run after run, and whatever -j
says.  `same CMD` runs CMD twice with -j 1 and once each with -j 2 and -j 3,
all at once, each run in a folder of its own (`same -n CMD`: twice, for the
tools without -j); every file a run writes, its standard output and its
standard error (the summary) must be byte for byte those of the first run.
It lists what was compared, and shows any sanitizer report hidden in a
standard error.

  $ same() {
  >   local runs="1 1b 2 3" r j
  >   if [ "$1" = -n ]; then runs="1 1b"; shift; fi
  >   rm -rf run.* status.*
  >   for r in $runs; do
  >     j=(); [ "$runs" = "1 1b" ] || j=(-j "${r%b}")
  >     mkdir run.$r && (cd run.$r && "$@" "${j[@]}" > stdout 2> stderr; echo $? > ../status.$r) &
  >   done; wait
  >   for r in $runs; do [ "$(cat status.$r)" = 0 ] || echo "run $r: exit $(cat status.$r)"; diff -rq run.1 run.$r; done
  >   grep -h 'runtime error\|Sanitizer' run.*/stderr
  >   local list=() f
  >   for f in run.1/*; do [ -s "$f" ] && list+=("${f#run.1/}") || list+=("${f#run.1/}(empty)"); done
  >   echo "${list[*]}"
  > }

korpus-import on the bundled sample, twice; "added" from --added or from
$SOURCE_DATE_EPOCH; a copy of the folder, its files created in the reverse
order, gives the same documents; gzip output carries no time stamp:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ wc -l < sample.jsonl
  300
  $ same -n korpus-import --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample
  stderr stdout
  $ cmp run.1/stdout sample.jsonl
  $ SOURCE_DATE_EPOCH=1795910400 same -n korpus-import $TESTDIR/../corpora/sample
  stderr stdout
  $ cmp run.1/stdout sample.jsonl
  $ mkdir -p copy/sample && (cd $TESTDIR/../corpora/sample && find . -name '*.txt' | sort -r | xargs cp --parents -t "$OLDPWD/copy/sample")
  $ korpus-import -q --added 2026-11-29T00:00:00Z copy/sample | cmp - sample.jsonl
  $ same -n korpus-import -q --added 2026-11-29T00:00:00Z -o sample.jsonl.gz $TESTDIR/../corpora/sample
  sample.jsonl.gz stderr(empty) stdout(empty)
  $ od -An -tx1 -j4 -N4 run.1/sample.jsonl.gz
   00 00 00 00

The pipeline hands the workers the input in batches of 1 MiB: so that -j 2
and -j 3 really work on several batches at once, the input is the sample
twice (the second copy with other ids, all of them exact duplicates for
korpus-dedup), 1.4 MB.  Each tool reads the output of the step before it,
as in a pipeline, with the options that do the most work:

  $ sed 's/^{"id":"\([^"]*\)"/{"id":"\1-b"/' sample.jsonl | cat sample.jsonl - > two.jsonl
  $ wc -l < two.jsonl
  600
  $ same korpus-clean --explain --removed removed.jsonl ../two.jsonl
  removed.jsonl stderr stdout
  $ cp run.1/stdout clean.jsonl
  $ same korpus-norm --stats ../clean.jsonl
  stderr stdout
  $ cp run.1/stdout norm.jsonl
  $ same korpus-norm --lower --informal --spelling --numbers --form nfkc ../clean.jsonl
  stderr stdout
  $ same korpus-split ../norm.jsonl
  stderr stdout
  $ cp run.1/stdout split.jsonl
  $ same korpus-split --format text ../norm.jsonl
  stderr stdout
  $ same korpus-split --learn model.txt ../norm.jsonl
  model.txt stderr stdout(empty)
  $ same korpus-tok ../split.jsonl
  stderr stdout
  $ same korpus-tok --stem --clitics --format text ../split.jsonl
  stderr stdout
  $ same korpus-dedup --dups dups.jsonl ../norm.jsonl
  dups.jsonl stderr stdout
  $ same korpus-dedup --annotate ../norm.jsonl
  stderr stdout
  $ same korpus-dedup --paragraphs --near --threshold 0.7 ../norm.jsonl
  stderr stdout
  $ same korpus-dedup sign --shard 3 -o 3.rec ../norm.jsonl
  3.rec stderr stdout(empty)
  $ LC_ALL=C sort run.1/3.rec > sorted.rec
  $ same -n korpus-dedup cluster -o remove.jsonl ../sorted.rec
  remove.jsonl stderr stdout(empty)
  $ cp run.1/remove.jsonl remove.jsonl
  $ same korpus-dedup apply --shard 3 --remove ../remove.jsonl ../norm.jsonl
  stderr stdout
  $ same korpus-dedup paragraphs ../norm.jsonl
  stderr stdout
  $ same korpus-stats --json stats.json --vocab stats.tsv --html stats.html --top 100 ../split.jsonl
  stats.html stats.json stats.tsv stderr stdout

korpus-pack in blocks small enough that every thread compresses some: the
packed file and its index; strict BGZF; shards; to standard output:

  $ same korpus-pack --block-size 64K -o packed.jsonl.gz ../split.jsonl
  packed.jsonl.gz packed.jsonl.gz.kpi stderr stdout(empty)
  $ cp run.1/packed.jsonl.gz* .
  $ same korpus-pack --bgzf -o bgzf.jsonl.gz ../split.jsonl
  bgzf.jsonl.gz bgzf.jsonl.gz.kpi stderr stdout(empty)
  $ same korpus-pack --block-size 32K --split-size 300K -o part.jsonl.gz ../split.jsonl
  part-00000.jsonl.gz part-00000.jsonl.gz.kpi part-00001.jsonl.gz part-00001.jsonl.gz.kpi (part-\d+\.jsonl\.gz part-\d+\.jsonl\.gz\.kpi )*stderr stdout\(empty\) (re)
  $ same korpus-pack --block-size 64K ../split.jsonl
  stderr stdout
  $ cmp run.1/stdout packed.jsonl.gz

korpus-cat has no -j: twice, checking a plain and a packed file, and a
sample drawn through the index:

  $ same -n korpus-cat --check ../two.jsonl ../packed.jsonl.gz
  stderr stdout
  $ same -n korpus-cat --sample 20 --seed 3 ../packed.jsonl.gz
  stderr(empty) stdout

A gzip output is compressed in blocks of 1 MiB, each its own member, by as
many threads as -j gives: the same bytes for every -j, a stream gzip reads:

  $ for i in 1 2 3 4 5 6; do cat sample.jsonl; done > big.jsonl
  $ same korpus-norm -q ../big.jsonl -o big.jsonl.gz
  big.jsonl.gz stderr(empty) stdout(empty)
  $ gzip -t run.1/big.jsonl.gz && zcat run.1/big.jsonl.gz | korpus-norm -q | cmp - <(korpus-norm -q big.jsonl)
