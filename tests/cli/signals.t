A tool writing with -o writes a temporary file beside the destination
(.NAME.kpHOSTHASH-PID-XXXXXX.tmp) and renames it into place only on success.  Interrupted
by SIGTERM, SIGINT or SIGHUP, it removes its temporary files, publishes
nothing, and dies of the signal, silently.

The input never ends (the sample, over and over), so the signal always comes
mid-run; it is sent once a temporary file is there (holding data, where the
tool writes as it goes):

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample > sample.jsonl
  $ endless() { while cat sample.jsonl; do :; done; }
  $ started() { # PREDICATE...: wait (at most 20 s) for a temporary file in out/
  >   for i in $(seq 400); do
  >     [ -n "$(find out -maxdepth 1 -name '.*.tmp' "$@")" ] && return 0
  >     sleep 0.05
  >   done
  >   echo "no temporary file in out/: $(ls -A out)"; return 1
  > }

korpus-norm, SIGTERM, then SIGINT (with gzip output):

  $ mkdir out
  $ endless | korpus-norm -o out/norm.jsonl &
  $ started -size +0c
  $ ls -A out
  \.norm\.jsonl\.kp[0-9a-f]{8}-[0-9]+-[0-9a-f]{6}\.tmp (re)
  $ kill -TERM $! && wait $!
  [143]
  $ ls -A out
  $ endless | korpus-norm -j 2 -o out/norm.jsonl.gz &
  $ started -size +0c
  $ kill -INT $! && wait $!
  [130]
  $ ls -A out

korpus-clean with its side output (--removed), SIGHUP (bash itself reports a job
that died of it: that notice goes to /dev/null):

  $ endless | korpus-clean -o out/clean.jsonl --removed out/removed.jsonl &
  $ started -size +0c
  $ ls -A out | sort
  \.clean\.jsonl\.kp[0-9a-f]{8}-[0-9]+-[0-9a-f]{6}\.tmp (re)
  \.removed\.jsonl\.kp[0-9a-f]{8}-[0-9]+-[0-9a-f]{6}\.tmp (re)
  $ kill -HUP $! && wait $! 2> /dev/null
  [129]
  $ ls -A out

korpus-dedup with --dups (every document after the first 300 is an exact
duplicate: the list of duplicates grows; -q: no note of its parameters):

  $ endless | korpus-dedup -q -o out/dedup.jsonl --dups out/dups.jsonl &
  $ started -name '.dups.jsonl.*' -size +100k
  $ kill -TERM $! && wait $!
  [143]
  $ ls -A out

korpus-pack on two threads; neither the packed file nor its index appears:

  $ endless | korpus-pack -j 2 -o out/corpus.jsonl.gz &
  $ started -size +100k
  $ kill -TERM $! && wait $!
  [143]
  $ ls -A out

korpus-stats writes its --json and --html at the end: interrupted, none of
its outputs exists:

  $ endless | korpus-stats -o out/table.txt --json out/stats.json --vocab out/vocab.tsv --html out/report.html &
  $ started
  $ kill -INT $! && wait $!
  [130]
  $ ls -A out

korpus-pack --split-size publishes its shards together at the end, as every
tool publishes all its outputs together: interrupted after several shards
were written (each waits as a temporary file with its index), none of them
appears and no temporary file stays:

  $ endless | korpus-pack --split-size 200K -o out/part.jsonl.gz &
  $ for i in $(seq 400); do [ -n "$(find out -name '.part-00002.jsonl.gz.kpi.*.tmp')" ] && break; sleep 0.05; done; find out -name '.part-00002.jsonl.gz.kpi.*.tmp' | wc -l
  1
  $ kill -TERM $! && wait $!
  [143]
  $ ls -A out
