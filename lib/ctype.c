/* The table of lib/ctype_int.h: the classes of the code points 0..255,
 * written out once from Unicode's general categories (Lu, Ll, other L) and
 * C's isspace/isdigit in the "C" locale; tests/unit/test_ctype.c checks it
 * against ICU. */
#include "ctype_int.h"

enum {
	S = KP_CT_SPACE,
	D = KP_CT_DIGIT,
	U = KP_CT_UPPER,
	L = KP_CT_LOWER,
	XU = KP_CT_L1UPPER,
	XL = KP_CT_L1LOWER,
	XA = KP_CT_L1OTHER,
};

const unsigned char kp_ctype[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S, S, 0, 0, /* 00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 10 */
	S, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
	D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0, /* 30 */
	0, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 40 */
	U, U, U, U, U, U, U, U, U, U, U, 0, 0, 0, 0, 0, /* 50 */
	0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60 */
	L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0, /* 70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, XA, 0, 0, 0, 0, 0, /* A0 */
	0, 0, 0, 0, 0, XL, 0, 0, 0, 0, XA, 0, 0, 0, 0, 0, /* B0 */
	XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, XU, /* C0 */
	XU, XU, XU, XU, XU, XU, XU, 0, XU, XU, XU, XU, XU, XU, XU, XL, /* D0 */
	XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, XL, /* E0 */
	XL, XL, XL, XL, XL, XL, XL, 0, XL, XL, XL, XL, XL, XL, XL, XL, /* F0 */
};
