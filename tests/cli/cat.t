korpus-cat concatenates inputs, plain or gzip (detected by content, not
name), and with --check validates every line as a document.

  $ cp $TESTDIR/data/news.jsonl .
  $ gzip -c news.jsonl > news.gz
  $ korpus-cat news.gz | cmp - news.jsonl
  $ cat news.gz news.gz > twice.data
  $ korpus-cat twice.data | wc -l
  6
  $ korpus-cat --check news.jsonl news.gz - < news.jsonl | wc -l
  korpus-cat: 9 documents, 9 valid, 0 invalid
  9
  $ korpus cat -q --check news.jsonl | cmp - news.jsonl

A final line without a newline gets one; CRLF lines are valid JSON lines and
pass through as they are; an empty input is no documents.

  $ printf '{"text":"a"}' > nonl.jsonl
  $ korpus-cat --check -q nonl.jsonl nonl.jsonl
  {"text":"a"}
  {"text":"a"}
  $ printf '{"text":"a"}\r\n{"text":"b"}\r\n' | korpus-cat --check | od -c | head -2
  korpus-cat: 2 documents, 2 valid, 0 invalid
  0000000   {   "   t   e   x   t   "   :   "   a   "   }  \r  \n   {   "
  0000020   t   e   x   t   "   :   "   b   "   }  \r  \n
  $ korpus-cat --check < /dev/null
  korpus-cat: 0 documents, 0 valid, 0 invalid

Invalid lines stop the input with the file and line number, and exit 1.
Valid documents before the error still reach standard output.

  $ printf '{"text":"ok"}\n{"text":"broken"\n{"text":"never"}\n' > bad.jsonl
  $ korpus-cat --check bad.jsonl
  korpus-cat: bad.jsonl:2: invalid JSON at column 17: expected ',' or '}', found end of line
  {"text":"ok"}
  korpus-cat: 2 documents, 1 valid, 1 invalid
  [1]
  $ printf '{"text":"caf\xe9"}\n' | korpus-cat --check -q
  korpus-cat: <stdin>:1: invalid UTF-8 at column 13 (byte 0xe9)
  [1]
  $ printf '[1,2]\n{"id":1}\n{"text":7}\n' > notdocs.jsonl
  $ korpus-cat --check --skip-invalid --rejects rejects.jsonl notdocs.jsonl bad.jsonl
  {"text":"ok"}
  {"text":"never"}
  korpus-cat: 6 documents, 2 valid, 4 invalid (skipped)
  $ cat rejects.jsonl
  [1,2]
  {"id":1}
  {"text":7}
  {"text":"broken"
  $ korpus-cat --check -q notdocs.jsonl
  korpus-cat: notdocs.jsonl:1: not a document: the line is an array, not a JSON object
  [1]

Lines over the cap (--max-line, default 64M) are errors too, or counted with
--skip-invalid; the reader goes on after them.

  $ printf '{"text":"short"}\n{"text":"a line that is too long"}\n{"text":"x"}\n' > long.jsonl
  $ korpus-cat --max-line 20 long.jsonl
  korpus-cat: long.jsonl:2: line longer than the limit of 20 bytes (see --max-line)
  {"text":"short"}
  [1]
  $ korpus-cat --check --skip-invalid --max-line 20 long.jsonl
  {"text":"short"}
  {"text":"x"}
  korpus-cat: 3 documents, 2 valid, 1 invalid (skipped)

Truncated or corrupt gzip is an error naming the file, never a silent end.
Later inputs are still read; the exit status remembers the failure.

  $ head -c 100 news.gz > cut.gz
  $ korpus-cat cut.gz news.jsonl | wc -l
  korpus-cat: cut.gz:1: unexpected end of gzip data (truncated file?)
  3
  $ korpus-cat cut.gz > /dev/null
  korpus-cat: cut.gz:1: unexpected end of gzip data (truncated file?)
  [1]
  $ korpus-cat missing.jsonl
  korpus-cat: cannot open 'missing.jsonl': No such file or directory
  [1]
  $ mkdir adir
  $ korpus-cat adir
  korpus-cat: cannot read 'adir': Is a directory
  [1]

Output: -o is atomic, FILE.gz or -z compresses.  On failure nothing is left
behind, not even a temporary file.

  $ korpus-cat -o out.jsonl.gz news.jsonl
  $ gzip -dc out.jsonl.gz | cmp - news.jsonl
  $ korpus-cat -z news.jsonl | gzip -dc | wc -l
  3
  $ korpus-cat --check -o checked.jsonl news.jsonl bad.jsonl
  korpus-cat: bad.jsonl:2: invalid JSON at column 17: expected ',' or '}', found end of line
  korpus-cat: 5 documents, 4 valid, 1 invalid
  [1]
  $ ls -A | grep -c checked
  0
  [1]

Write errors are reported and exit 1; a closed pipe ends quietly.

  $ korpus-cat news.jsonl > /dev/full
  korpus-cat: cannot write '<stdout>': No space left on device
  [1]
  $ korpus-cat -o /dev/full news.jsonl
  korpus-cat: cannot write '/dev/full': No space left on device
  [1]
  $ awk '{ for (i = 0; i < 3000; i++) print }' news.jsonl > many.jsonl
  $ korpus-cat --check many.jsonl | head -1
  {"id":"pos-kupang-1","text":"Wakil Bupati Belu, Drs. Aloysius Haleserens, MM berkunjung ke Kantor Imigrasi Kelas II TPI Atambua.\n\nKedatangan Wabup disambut Kepala Kantor Imigrasi Atambua, K.A Halim.","source":"pos-kupang","added":"2026-11-29T00:00:00Z","created":"2022-01-26","metadata":{"url":"https://kupang.tribunnews.com/x","n":1.50e2}}
  $ korpus-cat -o out2.jsonl many.jsonl; echo $?
  0

Usage errors exit 2; --help goes to standard output and exits 0.

  $ korpus-cat --bogus
  korpus-cat: unrecognized option '--bogus'
  Usage: korpus-cat [OPTION]... [FILE]...
  Try 'korpus-cat --help' for more information.
  [2]
  $ korpus-cat --skip-invalid news.jsonl
  korpus-cat: --skip-invalid needs --check
  Usage: korpus-cat [OPTION]... [FILE]...
  Try 'korpus-cat --help' for more information.
  [2]
  $ korpus-cat --max-line 12x news.jsonl
  korpus-cat: invalid size for --max-line: '12x' (expected a number of bytes, with K, M, G or T for 1024, 1024^2, ...)
  Usage: korpus-cat [OPTION]... [FILE]...
  Try 'korpus-cat --help' for more information.
  [2]
  $ korpus-cat --help | head -3
  Usage: korpus-cat [OPTION]... [FILE]...
  Concatenate, select from and check corpus files, plain, gzip or packed.
  
  $ korpus-cat --help | grep -A2 '^Exit status'
  Exit status: 0 success, 1 data or I/O error, 2 usage error.
  
  Examples:
  $ korpus-cat --version
  korpus-cat \(korpus\) \d+\.\d+\.\d+ (re)
