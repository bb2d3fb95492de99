The man pages are the tools' --help, laid out for man: they must be
regenerated (scripts/man) whenever a --help changes.

  $ python3 $TESTDIR/../scripts/man --check --bindir "$(dirname "$(command -v korpus)")" $TESTDIR/../man
  $ ls $TESTDIR/../man | wc -l
  12
