korpus-norm rewrites each text into one canonical form and repairs scraping
damage: mojibake (the closing quote that lost its last byte too, and "Â "
for a no-break space), HTML entities, no-break spaces, dashes, curly
quotes, zero-width characters and sentences glued at the period.  Text
that is already clean, with its domains, numbers, abbreviations and
initials, is not touched, and every other field passes byte for byte.

  $ korpus-norm --stats $TESTDIR/data/norm/damaged.jsonl
  {"id": "moji", "text": "\"Kami akan hadir,\" ujar Wakil Bupati.\n\nHarga naik menjadi Rp 5.000 per kilo.", "source": "tribun", "metadata": {"outlet": "pos-kupang"}}
  {"id": "nbsp", "text": "Harga cabai Rp 5.000 per kilogram - naik dua kali lipat.", "source": "kompas"}
  {"id": "caption", "text": "DISKUSI - Wakil Bupati Belu berdiskusi dengan Kepala Kantor Imigrasi.", "source": "tribun"}
  {"id": "entities", "text": "Prabowo & Gibran menyapa warga di Solo. \"Terima kasih,\" katanya.", "source": "detik"}
  {"id": "glued", "text": "Ombak tinggi terjadi di lautan. Kemarin genap sepekan nelayan tidak melaut.", "source": "liputan6"}
  {"id": "clean", "text": "Baca di Kompas.com atau detik.com, Rp1.250.000 pada pukul 10.30 WIB, naik 2,5 persen; Budi S.H. dan K.A Halim.", "source": "antara", "added": "2026-11-29T00:00:00Z"}
  korpus-norm: 6 documents, 5 changed; text 488 bytes in, 450 bytes out
  korpus-norm:   invalid-utf8 0
  korpus-norm:   entities     4
  korpus-norm:   mojibake     3
  korpus-norm:   controls     1
  korpus-norm:   spaces       3
  korpus-norm:   punct        6
  korpus-norm:   form         0
  korpus-norm:   glued        1
  korpus-norm:   whitespace   0
  $ sed -n 6p $TESTDIR/data/norm/damaged.jsonl | korpus-norm -q | cmp - <(sed -n 6p $TESTDIR/data/norm/damaged.jsonl)

Idempotent: a second run changes nothing; and the output is the same for
any number of workers.

  $ korpus-norm -q $TESTDIR/data/norm/damaged.jsonl > once.jsonl
  $ korpus-norm once.jsonl | cmp - once.jsonl
  korpus-norm: 6 documents, 0 changed; text 450 bytes in, 450 bytes out
  $ korpus-norm -q -j 3 $TESTDIR/data/norm/damaged.jsonl | cmp - once.jsonl

Each operation can be switched off; --punct keep leaves quotes and dashes.

  $ sed -n 2p $TESTDIR/data/norm/damaged.jsonl | korpus-norm -q --punct keep --no-spaces | cmp - <(sed -n 2p $TESTDIR/data/norm/damaged.jsonl)
  $ sed -n 5p $TESTDIR/data/norm/damaged.jsonl | korpus-norm -q --no-glued --no-controls | cmp - <(sed -n 5p $TESTDIR/data/norm/damaged.jsonl)
  $ printf '{"text":"caf\\u0065\\u0301 \\ufb01le \\u00b2"}\n' | korpus-norm -q
  {"text":"café ﬁle ²"}
  $ printf '{"text":"caf\\u0065\\u0301 \\ufb01le \\u00b2"}\n' | korpus-norm -q --form nfkc
  {"text":"café file 2"}

Optional operations for language models and dedup keys: lower case,
informal and non-standard spelling to standard words, digits to 0.  Words
are replaced in lower case or capitalised at a sentence start; names and
ALL CAPS stay.

  $ printf '{"text":"Resiko yg gak jelas di PT Resiko Jaya, ijin 2023."}\n' | korpus-norm -q --spelling --informal
  {"text":"Risiko yang tidak jelas di PT Resiko Jaya, izin 2023."}
  $ printf '{"text":"Resiko yg gak jelas, IJIN 2023."}\n' | korpus-norm -q --spelling --informal --lower --numbers
  {"text":"risiko yang tidak jelas, izin 0000."}
  $ korpus-norm --dump-list spelling | grep -P '^(resiko|ijin)\t' | tr '\t' '>'
  ijin>izin
  resiko>risiko
  $ printf 'ijin\tijin2\n' > mine.txt
  $ printf '{"text":"ijin"}\n' | korpus-norm -q --spelling-list mine.txt
  {"text":"ijin2"}
  $ printf 'ijin\tizin\nizin\tijin\n' > loop.txt
  $ korpus-norm --spelling-list loop.txt < /dev/null
  korpus-norm: loop.txt: the replacement of 'ijin' contains 'izin', which is itself listed
  Usage: korpus-norm [OPTION]... [FILE]...
  Try 'korpus-norm --help' for more information.
  [2]
  $ korpus-norm --form nfd < /dev/null
  korpus-norm: --form: expected nfc, nfkc or none, not 'nfd'
  Usage: korpus-norm [OPTION]... [FILE]...
  Try 'korpus-norm --help' for more information.
  [2]

Invalid UTF-8 from another producer becomes U+FFFD and is counted; a line
that is not a document stops the run with its file and line.

  $ printf '{"id":1,"text":"a\xffb"}\n' | korpus-norm
  {"id":1,"text":"a�b"}
  korpus-norm: 1 documents, 1 changed; text 5 bytes in, 5 bytes out
  korpus-norm: changes: 1 invalid-utf8
  $ printf '{"text":"ok"}\nnot json\n' > bad.jsonl; korpus-norm -q bad.jsonl > out.jsonl
  korpus-norm: bad.jsonl:2: invalid JSON at column 1: expected a JSON object, found 'n'
  [1]

Mojibake of Mac-Roman (UTF-8 read as Mac OS Roman, as the xlsx exports of
real scrapes have it) is repaired too: a sequence is read in one code page,
the longer reading first ("‚Ä¶" is an ellipsis, not "‚" and a "Ķ"); a
two-byte Mac-Roman sequence only gives a letter or sign of Latin-1 or
Latin Extended-A, or Arabic, so an ellipsis before an é, a root sign before
a digit and "Äö" stay:

  $ printf '%s\n' '{"text":"Kecamatan¬†Tanjungpinang ‚Äì Dr Filem√≥n ‚ÄúKami‚Äù kata dia‚Ä¶ 357 ¬µgram ¬±2 ≈†ar ÿπŸéŸÑŸéŸâ"}' '{"text":"Harga …é dan Émile, √2 dan Äö."}' | korpus-norm --punct keep
  {"text":"Kecamatan Tanjungpinang – Dr Filemón “Kami” kata dia… 357 µgram ±2 Šar عَلَى"}
  {"text":"Harga …é dan Émile, √2 dan Äö."}
  korpus-norm: 2 documents, 1 changed; text 173 bytes in, 131 bytes out
  korpus-norm: changes: 14 mojibake, 1 spaces

--unglue splits words glued where a scraper dropped the spaces around links
and bold text: after a lower-case word before a capital, an acronym before a
word or a function word, lower-case joins into known words (the built-in
counts of real news, hunspell-id for the affixes), a missing space after
, ; : ).  Brands and handles stay, and so do words with affixes, bound forms
(pascasarjana), typos of one word, numbers, addresses and hashtags:

  $ printf '%s\n' '{"id":"a","text":"Bencana terjadi dariAntara laporan. Presiden meluncurkanHuawei Nova 13 Pro. Ginjaladalah organ penting bagi penyandangdisabilitasdi madrasah. Silk,Ross dan (20/5)Polisi menangkap DKIJakarta kepadaKPK dirumah."}' \
  >   '{"id":"b","text":"Lihat YouTube, iPhone, detikOto dan WhatsApp di https://kompas.com/read,Baru #HalaMadrid @KemenkeuRI, harga 2,5 juta jam 10:30, makanannya, menyelenggarakannya, anak-anak, pascasarjana, antarnegara, mendapatakan, Perwiranegara."}' \
  >   > glued.jsonl
  $ korpus-norm --unglue --changes changes.jsonl glued.jsonl
  {"id":"a","text":"Bencana terjadi dari Antara laporan. Presiden meluncurkan Huawei Nova 13 Pro. Ginjal adalah organ penting bagi penyandang disabilitas di madrasah. Silk, Ross dan (20/5) Polisi menangkap DKI Jakarta kepada KPK di rumah."}
  {"id":"b","text":"Lihat YouTube, iPhone, detikOto dan WhatsApp di https://kompas.com/read,Baru #HalaMadrid @KemenkeuRI, harga 2,5 juta jam 10:30, makanannya, menyelenggarakannya, anak-anak, pascasarjana, antarnegara, mendapatakan, Perwiranegara."}
  korpus-norm: 2 documents, 1 changed; text 435 bytes in, 445 bytes out
  korpus-norm: unglued: 4 word+Capital, 3 lower-case, 2 after punctuation
  $ sed 's/,"score":[0-9.]*//' changes.jsonl
  {"id":"a","from":"dariAntara","to":"dari Antara","kind":"camel"}
  {"id":"a","from":"meluncurkanHuawei","to":"meluncurkan Huawei","kind":"camel"}
  {"id":"a","from":"Ginjaladalah","to":"Ginjal adalah","kind":"lower"}
  {"id":"a","from":"penyandangdisabilitasdi","to":"penyandang disabilitas di","kind":"lower"}
  {"id":"a","from":"Silk,Ross","to":"Silk, Ross","kind":"punct"}
  {"id":"a","from":"(20/5)Polisi","to":"(20/5) Polisi","kind":"punct"}
  {"id":"a","from":"DKIJakarta","to":"DKI Jakarta","kind":"camel"}
  {"id":"a","from":"kepadaKPK","to":"kepada KPK","kind":"camel"}
  {"id":"a","from":"dirumah","to":"di rumah","kind":"lower"}

The same for every -j; camel leaves the lower-case joins; the result is
stable (a second run changes nothing); off is the default, and --vocab and
--changes go with --unglue:

  $ korpus-norm -q --unglue -j 2 glued.jsonl | cmp - <(korpus-norm -q --unglue -j 1 glued.jsonl)
  $ korpus-norm -q --unglue glued.jsonl | korpus-norm -q --unglue | cmp - <(korpus-norm -q --unglue glued.jsonl)
  $ korpus-norm -q --unglue=camel glued.jsonl | grep -o 'Ginjaladalah\|dari Antara'
  dari Antara
  Ginjaladalah
  $ korpus-norm -q glued.jsonl | grep -c dariAntara
  1
  $ korpus-norm -q --changes c.jsonl glued.jsonl
  korpus-norm: --vocab, --changes and --dictionary go with --unglue
  Usage: korpus-norm [OPTION]... [FILE]...
  Try 'korpus-norm --help' for more information.
  [2]

Counts of the corpus itself (korpus-stats --vocab) make its words known: a
form seen often is no join.

  $ printf 'Ginjaladalah\t50\n' > vocab.tsv
  $ korpus-norm -q --unglue --vocab vocab.tsv glued.jsonl | grep -c Ginjaladalah
  1
  $ printf 'Ginjaladalah\tmany\n' > bad.tsv; korpus-norm -q --unglue --vocab bad.tsv glued.jsonl
  korpus-norm: bad.tsv:1: the count is not a number
  [1]
  $ korpus-norm -q --unglue --dictionary /nonexistent/id glued.jsonl
  korpus-norm: --unglue: cannot read the hunspell dictionary '/nonexistent/id.aff' (Debian: apt-get install hunspell-id): No such file or directory
  [1]
