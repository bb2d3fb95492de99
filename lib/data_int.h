/* Private: the built-in data files of lib/data/, compiled in by
 * cmake/EmbedData.cmake.  Each is NUL-terminated; _len excludes the NUL. */
#ifndef KORPUS_DATA_INT_H
#define KORPUS_DATA_INT_H

#include <stddef.h>

#define KP_DATA(name)                         \
	extern const char kp_data_##name[];   \
	extern const size_t kp_data_##name##_len;

KP_DATA(clean_rules)
KP_DATA(stopwords_id)
KP_DATA(headline_words_id)
KP_DATA(sentence_starters_id)
KP_DATA(calendar_id)
KP_DATA(subject_nouns_id)
KP_DATA(bylines_id)
KP_DATA(html_entities)
KP_DATA(informal_id)
KP_DATA(spelling_id)
KP_DATA(tlds)
KP_DATA(abbrev_id)
KP_DATA(clitics_id)
KP_DATA(hyphenated_id)
KP_DATA(wordfreq_id)
KP_DATA(unglue_keep)
KP_DATA(bound_id)
KP_DATA(quality_rules)
KP_DATA(langid)

#undef KP_DATA
#endif
