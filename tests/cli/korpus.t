The front command runs korpus-VERB from its own folder, then from PATH.

  $ korpus --help | grep -E '^  cat '
    cat        Concatenate, select from and check corpus files, plain, gzip or packed
  $ korpus --help | tail -1
  Exit status: 0 success, 1 data or I/O error, 2 usage error.
  $ printf '{"text":"halo"}\n' | korpus cat --check -q
  {"text":"halo"}
  $ korpus help cat | head -1
  Usage: korpus-cat [OPTION]... [FILE]...
  $ korpus frobnicate
  korpus: 'frobnicate' is not a korpus command; see 'korpus --help'
  [2]
  $ korpus --frob
  korpus: unknown option '--frob'
  Usage: korpus VERB [ARG]...
         korpus help VERB
  Toolkit for Indonesian news corpora: runs korpus-VERB with the arguments.
  
  [2]
  $ korpus 2>&1 | head -1
  Usage: korpus VERB [ARG]...
  $ korpus --version
  korpus \d+\.\d+\.\d+ (re)

Verbs found on PATH are listed and run too.

  $ mkdir extra && printf '#!/bin/sh\ncase "$1" in --describe) echo "A local extension";; *) echo "hello from $0 $*";; esac\n' > extra/korpus-hello && chmod +x extra/korpus-hello
  $ PATH="$PWD/extra:$PATH" korpus --help | grep hello
    hello      A local extension
  $ PATH="$PWD/extra:$PATH" korpus hello a b
  hello from .*/extra/korpus-hello a b (re)
