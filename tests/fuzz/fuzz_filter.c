/* Fuzz target of the training-set filters: any bytes.  Checks that the
 * personal-data spans are in order, inside the text, not overlapping and
 * of a known kind, that asking with no room gives the same count, that
 * every quality signal is finite and not negative, that the shares lie in
 * [0, 1], that repeated 10-grams never cover more than repeated
 * 5-grams, and that the language is one of the model's with a score in
 * [0, 1]. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "korpus/langid.h"
#include "korpus/pii.h"
#include "korpus/quality.h"

static kp_quality_rules *rules;
static kp_quality *q;
static kp_langid_model *lang;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rules && (!(rules = kp_quality_rules_new()) || !(q = kp_quality_new(rules)) || !(lang = kp_langid_builtin())))
		abort();
	/* a language of the model (or none: no letters), a score in [0, 1] */
	double ls;
	int l = kp_langid_detect(lang, (const char *)data, size, &ls);
	if (l < -1 || l >= kp_langid_nlangs(lang) || !(ls >= 0 && ls <= 1 + 1e-9))
		abort();
	const char *t = (const char *)data;
	size_t k = kp_pii_find(t, size, NULL, 0);
	kp_pii_span *sp = malloc((k ? k : 1) * sizeof *sp);
	if (!sp || kp_pii_find(t, size, sp, k) != k)
		abort();
	for (size_t i = 0; i < k; i++)
		if (sp[i].start >= sp[i].end || sp[i].end > size || (i && sp[i].start < sp[i - 1].end) || sp[i].kind < 0 ||
		    sp[i].kind >= KP_PII_NKINDS)
			abort();
	free(sp);
	double s[KP_Q_NSIGNALS];
	if (kp_quality_measure(q, t, size, s) < 0)
		abort();
	for (int i = 0; i < KP_Q_NSIGNALS; i++)
		if (!isfinite(s[i]) || s[i] < 0)
			abort();
	static const int shares[] = {KP_Q_ALPHA_WORDS,    KP_Q_UPPER_WORDS, KP_Q_LINES_END_PUNCT, KP_Q_SHORT_LINES,
				     KP_Q_BULLET_LINES,   KP_Q_ELLIPSIS_LINES, KP_Q_DUP_LINES,    KP_Q_DUP_LINE_CHARS,
				     KP_Q_DUP_5GRAM,      KP_Q_DUP_10GRAM};
	for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
		if (s[shares[i]] > 1 + 1e-9)
			abort();
	if (s[KP_Q_DUP_10GRAM] > s[KP_Q_DUP_5GRAM] + 1e-9)
		abort();
	(void)kp_quality_check(rules, s);
	return 0;
}
