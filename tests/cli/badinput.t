Bad input, one matrix over every tool that reads documents: the same
damaged lines, files and outputs for each.  An invalid line stops a tool
with exit status 1 and a message naming the file and line; nothing crashes,
hangs, or leaves a partial -o file behind; standard input with -o behaves
as the file with standard output does.

`run TOOL` runs a tool as the matrix does (korpus-cat with --check,
korpus-clean with --keep-empty: these documents are too short to be
articles, and it would drop them; the stages of korpus-dedup, korpus-import
reading JSONL strictly); `each F`
runs the shell function F for every tool at once and prints what each
printed, in order.  `check FILE` runs every tool on FILE (with the options
in $opts) and prints its message and exit status; `check FILE -o` runs each
again on standard input with -o: a different message or status is printed
under the tool's line, and so is anything left in the -o folder after a
failure.  The stages of korpus-dedup read their input as korpus-dedup does:
they are left out ($docs) where only the line or the file differs.

  $ tools="clean norm split tok dedup sign apply paragraphs pack cat stats import"
  $ docs="clean norm split tok dedup pack cat stats import"
  $ : > none.jsonl
  $ run() {
  >   local t=$1; shift
  >   case $t in
  >   sign) korpus-dedup sign --shard 0 "$@" ;;
  >   apply) korpus-dedup apply --shard 0 --remove none.jsonl "$@" ;;
  >   paragraphs) korpus-dedup paragraphs "$@" ;;
  >   cat) korpus-cat --check "$@" ;;
  >   clean) korpus-clean --keep-empty "$@" ;;
  >   import) korpus-import --format jsonl --strict --source x --added 2026-11-29T00:00:00Z "$@" ;;
  >   *) korpus-$t "$@" ;;
  >   esac
  > }
  $ each() {
  >   local t
  >   for t in $tools; do "$1" $t "${@:2}" > each.$t 2>&1 & done; wait
  >   for t in $tools; do cat each.$t; done
  > }
  $ check1() {
  >   local t=$1 s so; shift
  >   run $t -q $opts "$1" > /dev/null 2> err.$t; s=$?
  >   if [ -s err.$t ]; then echo "$(cat err.$t) [$s]"; else echo "$t: no message [$s]"; fi
  >   [ "$2" = -o ] || return 0
  >   mkdir odir.$t; run $t -q $opts -o odir.$t/out < "$1" > /dev/null 2> erro.$t; so=$?
  >   sed "s|<stdin>|$1|" erro.$t | cmp -s - err.$t && [ $so = $s ] || echo "  stdin, -o: $(cat erro.$t) [$so]"
  >   [ $so = 0 ] || [ -z "$(ls -A odir.$t)" ] || echo "  left behind: $(ls -A odir.$t)"
  >   rm -rf odir.$t
  > }
  $ check() { each check1 "$@"; }

lf.jsonl is a valid file (two documents sharing a paragraph) for the cases
that need one.  Lines that are not JSON, or not documents; each file starts
with a valid line, so that the line number counts (korpus-import skips a
line without "text" and counts it, as documented):

  $ printf '{"id":"a","text":"Harga cabai naik lagi.\\n\\nBaca juga berita lain."}\n{"id":"b","text":"Harga bawang turun.\\n\\nBaca juga berita lain."}\n' > lf.jsonl
  $ printf '{"text":"ok"}\n{"text":"b"\n{"text":"never"}\n' > json.jsonl
  $ check json.jsonl -o
  korpus-clean: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-norm: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-split: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-tok: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-dedup: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-dedup sign: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-dedup apply: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-dedup paragraphs: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-pack: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-cat: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-stats: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  korpus-import: json.jsonl:2: invalid JSON at column 12: expected ',' or '}', found end of line [1]
  $ printf '{"text":"ok"}\n[{"text":"a"}]\n' > array.jsonl
  $ tools=$docs check array.jsonl
  korpus-clean: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-norm: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-split: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-tok: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-dedup: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-pack: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-cat: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-stats: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  korpus-import: array.jsonl:2: not a document: the line is an array, not a JSON object [1]
  $ printf '{"text":"ok"}\n{"id":"x","title":"Judul"}\n' > notext.jsonl
  $ tools=$docs check notext.jsonl
  korpus-clean: notext.jsonl:2: not a document: no "text" field [1]
  korpus-norm: notext.jsonl:2: not a document: no "text" field [1]
  korpus-split: notext.jsonl:2: not a document: no "text" field [1]
  korpus-tok: notext.jsonl:2: not a document: no "text" field [1]
  korpus-dedup: notext.jsonl:2: not a document: no "text" field [1]
  korpus-pack: notext.jsonl:2: not a document: no "text" field [1]
  korpus-cat: notext.jsonl:2: not a document: no "text" field [1]
  korpus-stats: notext.jsonl:2: not a document: no "text" field [1]
  import: no message [0]
  $ printf '{"text":"ok"}\n{"text":["a","b"]}\n' > textarray.jsonl
  $ tools=$docs check textarray.jsonl
  korpus-clean: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-norm: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-split: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-tok: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-dedup: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-pack: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-cat: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-stats: textarray.jsonl:2: not a document: "text" is an array, not a string [1]
  korpus-import: textarray.jsonl:2: "text" is not a string [1]
  $ printf '{"text":"ok"}\n{"text":"a\0b"}\n' > nul.jsonl
  $ tools=$docs check nul.jsonl
  korpus-clean: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-norm: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-split: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-tok: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-dedup: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-pack: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-cat: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-stats: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  korpus-import: nul.jsonl:2: invalid JSON at column 11: control character 0x00 in a string (must be escaped) [1]
  $ printf '{"text":"ok"}\n{"text":"a"}\0\n' > nulafter.jsonl
  $ korpus-cat --check -q nulafter.jsonl
  korpus-cat: nulafter.jsonl:2: invalid JSON at column 13: expected end of line after the object, found byte 0x00
  {"text":"ok"}
  [1]
  $ run import -q nulafter.jsonl
  korpus-import: nulafter.jsonl:2: invalid JSON at column 13: expected end of line after the object, found byte 0x00
  {"text":"ok","id":"nulafter:1","source":"x","added":"2026-11-29T00:00:00Z"}
  [1]

Invalid UTF-8: a Latin-1 byte, an overlong "/" (C0 AF), an encoded
surrogate (ED A0 80).  korpus-norm repairs them (U+FFFD, counted: its
documented job); every other tool stops:

  $ printf '{"text":"ok"}\n{"text":"caf\xe9"}\n' > latin1.jsonl
  $ tools=$docs check latin1.jsonl
  korpus-clean: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  norm: no message [0]
  korpus-split: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-tok: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-dedup: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-pack: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-cat: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-stats: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  korpus-import: latin1.jsonl:2: invalid UTF-8 at column 13 (byte 0xe9) [1]
  $ printf '{"text":"ok"}\n{"text":"a\xc0\xafb"}\n' > overlong.jsonl
  $ tools=$docs check overlong.jsonl
  korpus-clean: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  norm: no message [0]
  korpus-split: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-tok: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-dedup: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-pack: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-cat: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-stats: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  korpus-import: overlong.jsonl:2: invalid UTF-8 at column 11 (byte 0xc0) [1]
  $ printf '{"text":"ok"}\n{"text":"a\xed\xa0\x80b"}\n' > surrogate8.jsonl
  $ korpus-cat --check -q surrogate8.jsonl
  korpus-cat: surrogate8.jsonl:2: invalid UTF-8 at column 11 (byte 0xed)
  {"text":"ok"}
  [1]
  $ cat latin1.jsonl overlong.jsonl surrogate8.jsonl | korpus-norm
  {"text":"ok"}
  {"text":"caf�"}
  {"text":"ok"}
  {"text":"a��b"}
  {"text":"ok"}
  {"text":"a���b"}
  korpus-norm: 6 documents, 3 changed; text 31 bytes in, 31 bytes out
  korpus-norm: changes: 6 invalid-utf8

A lone surrogate escape ("\ud800") is valid JSON; decoding it gives U+FFFD,
counted (lib/korpus/doc.h).  The tools that rewrite the text write U+FFFD;
those that do not own the text pass the line through as it is;
korpus-stats counts the repair:

  $ printf '{"text":"a\\ud800b"}\n' > lone.jsonl
  $ for t in clean norm split tok dedup apply pack cat import; do run $t -q lone.jsonl | { [ $t = pack ] && gzip -dc || cat; }; done
  {"text":"a�b","metadata":{"clean_empty":true}}
  {"text":"a�b"}
  {"text":"a�b"}
  {"text":"a � b"}
  {"text":"a\ud800b"}
  {"text":"a\ud800b"}
  {"text":"a\ud800b"}
  {"text":"a\ud800b"}
  {"text":"a\ud800b","id":"lone:1","source":"x","added":"2026-11-29T00:00:00Z"}
  $ korpus-norm lone.jsonl 2>&1 >/dev/null
  korpus-norm: 1 documents, 1 changed; text 5 bytes in, 5 bytes out
  korpus-norm: changes: 1 invalid-utf8
  $ korpus-stats -q lone.jsonl | grep repairs
    UTF-8 repairs                        1

Lines over --max-line are invalid: a 2 MB line over a 1M cap for every tool
(korpus-import skips such a document and counts it, as documented), then a
200 MB line over the default cap of 64 MiB, from a file and from a pipe:

  $ { printf '{"text":"ok"}\n{"text":"'; head -c 2M /dev/zero | tr '\0' a; printf '"}\n{"text":"after"}\n'; } > long.jsonl
  $ opts="--max-line 1M" check long.jsonl
  korpus-clean: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-norm: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-split: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-tok: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-dedup: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-dedup sign: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-dedup apply: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-dedup paragraphs: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-pack: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-cat: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-stats: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  korpus-import: long.jsonl:2: line longer than the limit of 1048576 bytes (see --max-line) [1]
  $ korpus-import --max-line 1M --skip-invalid --added 2026-11-29T00:00:00Z --skipped skipped.jsonl long.jsonl > imported 2> err; cat err imported skipped.jsonl
  korpus-import: 2 documents written, 3 read from 1 file (2.1 MB)
  korpus-import: skipped: 1 too_long
  {"text":"ok","id":"long:1","source":"long","added":"2026-11-29T00:00:00Z"}
  {"text":"after","id":"long:3","source":"long","added":"2026-11-29T00:00:00Z"}
  {"id":"long:2","reason":"too_long","file":"long.jsonl","line":2}
  $ { printf '{"text":"ok"}\n{"text":"'; head -c 200M /dev/zero | tr '\0' a; printf '"}\n{"text":"after"}\n'; } > huge.jsonl
  $ korpus-cat --check -q huge.jsonl > huge.cat 2>&1 & cat huge.jsonl | korpus-norm -q -o out.jsonl > huge.norm 2>&1; echo "[$?]" >> huge.norm; wait $!; echo "[$?]" >> huge.cat
  $ cat huge.cat huge.norm; ls out.jsonl* 2>&1
  korpus-cat: huge.jsonl:2: line longer than the limit of 67108864 bytes (see --max-line)
  {"text":"ok"}
  [1]
  korpus-norm: <stdin>:2: line longer than the limit of 67108864 bytes (see --max-line)
  [1]
  ls: cannot access 'out.jsonl*': No such file or directory
  [2]
  $ rm huge.jsonl

--skip-invalid drops every kind of invalid line, counts them in the summary
and --rejects keeps them as they were (korpus-norm repairs the Latin-1
line, the last one, instead):

  $ for f in json array textarray nul latin1; do sed -n 2p $f.jsonl; done > invalid.expected
  $ cat lf.jsonl json.jsonl array.jsonl textarray.jsonl nul.jsonl latin1.jsonl > mixed.jsonl
  $ skip1() {
  >   run $1 --skip-invalid --rejects rejects.$1 mixed.jsonl 2>&1 > /dev/null | grep -a 'skipped\|invalid\|runtime error\|Sanitizer'
  >   if [ $1 = norm ]; then head -4 invalid.expected | cmp rejects.$1 -; else cmp rejects.$1 invalid.expected; fi
  > }
  $ each skip1
  korpus-clean: invalid lines skipped: 5
  korpus-norm: changes: 1 invalid-utf8
  korpus-norm: invalid lines skipped: 4
  korpus-split: .*\b5\b.* (re)
  korpus-tok: .*\b5\b.* (re)
  korpus-dedup: .*\b5\b.* (re)
  korpus-dedup sign: .*\b5\b.* (re)
  korpus-dedup apply: .*\b5\b.* (re)
  korpus-dedup paragraphs: .*\b5\b.* (re)
  korpus-pack: invalid lines skipped: 5
  korpus-cat: 13 documents, 8 valid, 5 invalid (skipped)
  korpus-stats: .*\b5\b.* (re)
  korpus-import: invalid JSONL lines skipped: 5

CRLF line ends (a trailing CR is whitespace), blank lines (empty, blanks, a
lone CR) and a last line without a newline are accepted: the output is that
of the plain file (CRs aside: a tool that passes lines through keeps them).
`out TOOL FILE` prints what a tool writes (pack's unpacked), its messages
and its exit status when not 0:

  $ out() {
  >   run $1 -q "$2" > o.$1 2> e.$1; local s=$?
  >   if [ $1 = pack ]; then gzip -dc < o.$1 2>&1; else cat o.$1; fi
  >   cat e.$1; [ $s = 0 ] || echo "[$s]"
  > }
  $ for t in $tools; do out $t lf.jsonl > ref.$t & done; wait; grep -l '^\[' ref.*
  [1]
  $ { printf '\n'; head -1 lf.jsonl | sed 's/$/\r/'; printf ' \t\n\r\n'; tail -1 lf.jsonl | tr -d '\n'; } > loose.jsonl
  $ sed -n 'l 0' loose.jsonl | sed 's/^\(.\{14\}\).\{20,\}\(.\{10\}\)$/\1 ... \2/'; tail -c 1 loose.jsonl | od -An -c
  $
  {"id":"a","tex ... lain."}\r$
   \t$
  \r$
  {"id":"b","tex ... a lain."}$
     }
  $ for t in $tools; do out $t loose.jsonl > loose.$t & done; wait
  $ for t in $tools; do tr -d '\r' < loose.$t | cmp -s - ref.$t || { echo "$t:"; head -3 loose.$t; }; done

An empty file is no documents: no output (korpus-pack: its EOF block only),
and a report of nothing (korpus-dedup paragraphs: at the end of this file):

  $ : > empty.jsonl
  $ tools="clean norm split tok dedup sign apply pack cat import" each out empty.jsonl
  $ korpus-pack -q empty.jsonl | od -An -tx1 | head -1
   1f 8b 08 04 00 00 00 00 00 ff 06 00 42 43 02 00
  $ korpus-stats -q empty.jsonl | sed -n 2p
    documents                            0
  $ korpus-import empty.jsonl
  korpus-import: 0 documents written, 1 read from 1 file (0 bytes)
  korpus-import: skipped: 1 empty

Files that cannot be read: a truncated gzip (what was read before it still
reaches the output), a folder (korpus-import reads a folder as articles; on
standard input it is an error), a missing file, a read error (/proc/self/mem
cannot be read even by root).  A file of mode 000 is checked only when the
tests do not run as root, for whom it is readable:

  $ awk 'BEGIN { srand(1); for (i = 0; i < 3000; i++) { s = ""; for (j = 0; j < 12; j++) s = s " kata" int(rand() * 1000); print "{\"text\":\"" s "\"}" } }' > rnd.jsonl
  $ gzip -c rnd.jsonl | head -c 20000 > cut.gz
  $ n=$(gzip -dc < cut.gz 2> /dev/null | wc -l); echo "$n whole lines"; n=$((n + 1))
  \d+ whole lines (re)
  $ check cut.gz | sed "s/:$n: /:N+1: /"
  korpus-clean: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-norm: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-split: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-tok: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-dedup: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-dedup sign: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-dedup apply: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-dedup paragraphs: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-pack: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-cat: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-stats: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  korpus-import: cut.gz:N+1: unexpected end of gzip data (truncated file?) [1]
  $ [ $(korpus-cat -q cut.gz 2> /dev/null | wc -l) = $((n - 1)) ] && echo "the whole lines reach the output"
  the whole lines reach the output
  $ mkdir adir
  $ tools=$docs check adir
  korpus-clean: cannot read 'adir': Is a directory [1]
  korpus-norm: cannot read 'adir': Is a directory [1]
  korpus-split: cannot read 'adir': Is a directory [1]
  korpus-tok: cannot read 'adir': Is a directory [1]
  korpus-dedup: cannot read 'adir': Is a directory [1]
  korpus-pack: cannot read 'adir': Is a directory [1]
  korpus-cat: cannot read 'adir': Is a directory [1]
  korpus-stats: cannot read 'adir': Is a directory [1]
  import: no message [0]
  $ korpus-cat --check < adir
  korpus-cat: cannot read '<stdin>': Is a directory
  korpus-cat: 0 documents, 0 valid, 0 invalid
  [1]
  $ tools=$docs check missing.jsonl
  korpus-clean: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-norm: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-split: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-tok: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-dedup: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-pack: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-cat: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-stats: cannot open 'missing.jsonl': No such file or directory [1]
  korpus-import: cannot open 'missing.jsonl': No such file or directory [1]
  $ tools=$docs check /proc/self/mem
  korpus-clean: cannot read '/proc/self/mem': Input/output error [1]
  korpus-norm: cannot read '/proc/self/mem': Input/output error [1]
  korpus-split: cannot read '/proc/self/mem': Input/output error [1]
  korpus-tok: cannot read '/proc/self/mem': Input/output error [1]
  korpus-dedup: cannot read '/proc/self/mem': Input/output error [1]
  korpus-pack: cannot read '/proc/self/mem': Input/output error [1]
  korpus-cat: cannot read '/proc/self/mem': Input/output error [1]
  korpus-stats: cannot read '/proc/self/mem': Input/output error [1]
  korpus-import: cannot read '/proc/self/mem': Input/output error [1]
  $ printf '{"text":"a"}\n' > locked.jsonl && chmod 000 locked.jsonl
  $ if [ "$(id -u)" != 0 ]; then for t in $tools; do
  >   run $t -q locked.jsonl 2>&1 | grep -q "^korpus-.*: cannot open 'locked.jsonl': Permission denied$" || echo "$t: not refused"
  > done; fi

korpus-import reads folders and other formats: an empty folder is no
documents; a truncated gzip inside a folder, or given alone (the format is
then detected from its first bytes), is an error naming the file:

  $ mkdir folder && korpus-import folder
  korpus-import: 0 documents written, 0 read from 0 files (0 bytes)
  $ mkdir -p folder/sub && cp cut.gz folder/sub/cut.txt && echo 'Satu dua.' > folder/a.txt
  $ korpus-import -q --added 2026-11-29T00:00:00Z folder 2>&1 | sed "s/:$n: /:N+1: /"; echo "[${PIPESTATUS[0]}]"
  korpus-import: folder/sub/cut.txt:N+1: unexpected end of gzip data (truncated file?)
  {"id":"a","text":"Satu dua.\n","source":"folder","added":"2026-11-29T00:00:00Z","metadata":{"path":"a.txt"}}
  [1]
  $ gzip -c rnd.jsonl | head -c 2000 > small.gz
  $ korpus-import -q --added 2026-11-29T00:00:00Z small.gz > /dev/null
  korpus-import: small.gz(:\d+)?: unexpected end of gzip data \(truncated file\?\) (re)
  [1]
  $ korpus-import -q --added 2026-11-29T00:00:00Z --format lines small.gz 2>&1 > /dev/null
  korpus-import: small.gz:\d+: unexpected end of gzip data \(truncated file\?\) (re)
  [1]
  $ korpus-import -q missing.txt /proc/self/mem
  korpus-import: cannot open 'missing.txt': No such file or directory
  korpus-import: cannot read '/proc/self/mem': Input/output error
  [1]

Output that cannot be written: a full disk on standard output, on -o and on
each side output.  Nothing is published beside a failed output: an index
/dev/full.kpi that korpus-pack leaves is reported (and removed, when this
test made it):

  $ test -e /dev/full.kpi; had_index=$?
  $ full1() { run $1 -q lf.jsonl > /dev/full; echo "[$?]"; }
  $ each full1
  korpus-clean: cannot write '<stdout>': No space left on device
  [1]
  korpus-norm: cannot write '<stdout>': No space left on device
  [1]
  korpus-split: cannot write '<stdout>': No space left on device
  [1]
  korpus-tok: cannot write '<stdout>': No space left on device
  [1]
  korpus-dedup: cannot write '<stdout>': No space left on device
  [1]
  korpus-dedup sign: cannot write '<stdout>': No space left on device
  [1]
  korpus-dedup apply: cannot write '<stdout>': No space left on device
  [1]
  korpus-dedup paragraphs: cannot write '<stdout>': No space left on device
  [1]
  korpus-pack: cannot write '<stdout>': No space left on device
  [1]
  korpus-cat: cannot write '<stdout>': No space left on device
  [1]
  korpus-stats: cannot write '<stdout>': No space left on device
  [1]
  korpus-import: cannot write '<stdout>': No space left on device
  [1]
  $ for t in cat pack stats; do run $t -q -o /dev/full lf.jsonl; echo "[$?]"; done
  korpus-cat: cannot write '/dev/full': No space left on device
  [1]
  korpus-pack: cannot write '/dev/full': No space left on device
  [1]
  korpus-stats: cannot write '/dev/full': No space left on device
  [1]
  $ korpus-clean -q --removed /dev/full lf.jsonl > /dev/null
  korpus-clean: cannot write '/dev/full': No space left on device
  [1]
  $ korpus-dedup -q --dups /dev/full lf.jsonl lf.jsonl > /dev/null
  korpus-dedup: cannot write '/dev/full': No space left on device
  [1]
  $ for o in --json --vocab --html; do korpus-stats -q $o /dev/full lf.jsonl > /dev/null; echo "[$?]"; done
  korpus-stats: cannot write '/dev/full': No space left on device
  [1]
  korpus-stats: cannot write '/dev/full': No space left on device
  [1]
  korpus-stats: cannot write '/dev/full': No space left on device
  [1]
  $ korpus-cat -q --check --skip-invalid --rejects /dev/full mixed.jsonl > /dev/null
  korpus-cat: cannot write '/dev/full': No space left on device
  [1]
  $ korpus-import -q --skipped /dev/full empty.jsonl
  korpus-import: cannot write '/dev/full': No space left on device
  [1]
  $ korpus-split -q --learn /dev/full lf.jsonl
  korpus-split: cannot write '/dev/full': No space left on device
  [1]
  $ if [ $had_index != 0 ] && [ -e /dev/full.kpi ]; then echo "left: /dev/full.kpi"; rm -f /dev/full.kpi; fi

A closed output pipe ends a tool quietly, as a SIGPIPE death (status 141),
also on several threads, or with SIGPIPE ignored (150 documents of the
sample: every tool writes more than a pipe holds):

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/../corpora/sample | head -150 > sample.jsonl
  $ pipe1() {
  >   local a=-q; [ $1 = stats ] && a="--top 5000"
  >   run $1 $a sample.jsonl | head -c 1 > /dev/null; echo "$1 ${PIPESTATUS[0]}"
  > }
  $ tools="${tools/ paragraphs/}" each pipe1
  clean 141
  norm 141
  split 141
  tok 141
  dedup 141
  sign 141
  apply 141
  pack 141
  cat 141
  stats 141
  import 141
  $ pipe2() {
  >   local a=-q; [ $1 = stats ] && a="--top 5000"
  >   (trap '' PIPE; run $1 $a -j 2 < sample.jsonl | head -c 1 > /dev/null; exit ${PIPESTATUS[0]}); echo "$1 $?"
  > }
  $ tools="clean pack stats" each pipe2
  clean 141
  pack 141
  stats 141

The stages of korpus-dedup read records and lists too: a line that is not
one is an error naming its file and line, with no sanitizer report:

  $ printf 'not a record\n' > bad.rec
  $ korpus-dedup cluster bad.rec
  korpus-dedup cluster: bad.rec:1: not a key record of korpus-dedup sign (KEY, ORDER, LENGTH, TIME, MINHASH, ID separated by tabs)
  [1]
  $ korpus-dedup apply --shard 0 --remove lf.jsonl lf.jsonl
  korpus-dedup apply: lf.jsonl:1: not a removal record of korpus-dedup cluster
  [1]

korpus-dedup paragraphs on input with no paragraph in two documents (here:
none at all) writes no paragraph counts, only the documents of the source:

  $ korpus-dedup paragraphs empty.jsonl
  korpus-dedup paragraphs: 0 documents (0 distinct), 0 distinct paragraphs, 0 in two documents or more
  $ korpus-dedup paragraphs -q < lone.jsonl
  source	0000000000000001	1
