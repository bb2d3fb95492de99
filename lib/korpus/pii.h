/* korpus personal data: e-mail addresses, Indonesian phone numbers, NIK
 * (the 16-digit population number), NPWP (the tax number), payment card
 * numbers, IP addresses (v4 and v6) and NIP (a civil servant's 18-digit
 * number) found in text, for redaction or labels.
 *
 * One pass over the text, linear in its length; no regular expression
 * engine.  Each kind is checked beyond its shape: a NIK's province, regency,
 * district and birth date must be valid, a NIP's birth date and month of
 * appointment (at 17 to 60) and its sex digit, a card number must pass the Luhn
 * check and start as card numbers do, an IPv4 address has four parts of at
 * most 255, an IPv6 address eight groups or fewer around one "::" (not a
 * time, a ratio, a MAC address nor a C++ name).  Numbers glued to words ("clickid-00001"), dates, amounts
 * ("Rp 1.250.000"), year ranges and verse references ("2:255") are not
 * personal data. */
#ifndef KORPUS_PII_H
#define KORPUS_PII_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	KP_PII_EMAIL,
	KP_PII_PHONE,
	KP_PII_NIK,
	KP_PII_NPWP,
	KP_PII_CARD,
	KP_PII_IP,
	KP_PII_NIP,
	KP_PII_NKINDS
};

/* "email", "phone", ... */
KP_API const char *kp_pii_kind_name(int kind);
/* "<EMAIL>", "<PHONE>", ...: what a redaction puts in place. */
KP_API const char *kp_pii_placeholder(int kind);

typedef struct kp_pii_span {
	size_t start, end; /* bytes of the text */
	int kind;
} kp_pii_span;

/* The personal data in text[0, n), in order, not overlapping: up to max
 * spans into out; returns how many there are (which may be more than max:
 * call again with room for them). */
KP_API size_t kp_pii_find(const char *text, size_t n, kp_pii_span *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif
