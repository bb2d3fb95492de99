korpus-tok writes the tokens of each sentence line separated by spaces.
After korpus-split, on the seed article:

  $ korpus-import -q --added 2026-11-29T00:00:00Z $TESTDIR/data/clean/seed.txt | korpus-clean -q | korpus-split -q | korpus-tok -q --format text | head -4
  Wakil Bupati Belu , Drs. Aloysius Haleserens , MM berkunjung ke Kantor Imigrasi Kelas II TPI Atambua , Rabu , 26 Januari 2022 .
  Kedatangan Wabup Alo Haleserens disambut Kepala Kantor Imigrasi Atambua , K.A Halim .
  Dalam diskusi terbatas di ruang kerja Kakanim , Wabup Belu menyampaikan , kedatangannya dalam rangka mempererat hubungan antara Pemerintah Kabupaten Belu dan Imigrasi .
  Kemudian membangun kerja sama dalam menangani masalah pelintas ilegal .
  $ printf '{"id":1,"text":"Bukunya dibaca anak-anak.\\nHarga Rp1.250.000, naik 2,5%%."}\n' > doc.jsonl
  $ korpus-tok -q doc.jsonl
  {"id":1,"text":"Bukunya dibaca anak-anak .\nHarga Rp 1.250.000 , naik 2,5 % ."}
  $ korpus-tok -q --clitics --stem --no-punct doc.jsonl
  {"id":1,"text":"buku -nya baca anak\nharga rp 1.250.000 naik 2,5"}
  $ korpus-tok -q --format text --lower doc.jsonl doc.jsonl
  bukunya dibaca anak-anak .
  harga rp 1.250.000 , naik 2,5 % .
  
  bukunya dibaca anak-anak .
  harga rp 1.250.000 , naik 2,5 % .
  
  $ korpus-tok -q -j 3 --stem doc.jsonl | cmp - <(korpus-tok -q -j 1 --stem doc.jsonl)
  $ korpus-tok --format csv doc.jsonl
  korpus-tok: --format: expected jsonl or text, not 'csv'
  Usage: korpus-tok [OPTION]... [FILE]...
  Try 'korpus-tok --help' for more information.
  [2]
