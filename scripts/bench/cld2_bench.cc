// scripts/bench/cld2_bench: CLD2's language of each line of standard input
// (one text a line), written one code a line, for scripts/bench/filter.
// Built by that script against Debian's libcld2-dev.
#include <cstdio>
#include <cstring>
#include <string>

#include <cld2/public/compact_lang_det.h>

int main()
{
	std::string line;
	char buf[1 << 16];
	while (fgets(buf, sizeof buf, stdin)) {
		line += buf;
		if (line.empty() || line.back() != '\n')
			continue;
		bool reliable = false;
		CLD2::Language lang = CLD2::DetectLanguage(line.data(), (int)line.size() - 1, true, &reliable);
		printf("%s\n", CLD2::LanguageCode(lang));
		line.clear();
	}
	return 0;
}
