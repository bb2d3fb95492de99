/* Unit tests of the library's growable storage (internal.h): kp_buf, the
 * byte buffer with a cap, and kp_grow_array. */
#include "internal.h"
#include "test.h"

static void test_buf(void)
{
	kp_buf b;
	kp_buf_init(&b, 600);
	CHECK_INT(kp_buf_adds(&b, "abc"), 0);
	CHECK_INT(kp_buf_addc(&b, 'd'), 0);
	CHECK_MEM(b.p, b.len, "abcd");
	CHECK(b.cap >= 256); /* grows from 256 */
	char big[600];
	memset(big, 'x', sizeof big);
	CHECK_INT(kp_buf_add(&b, big, 596), 0); /* exactly the cap */
	CHECK_INT(b.len, 600);
	CHECK_INT(b.cap, 600);
	CHECK_INT(kp_buf_addc(&b, 'y'), KP_ETOOLONG); /* past it: refused, kept */
	CHECK_INT(b.len, 600);
	kp_buf_free(&b);
	CHECK(b.p == NULL && b.len == 0 && b.cap == 0 && b.max == 600);
	CHECK_INT(kp_buf_reserve_exact(&b, 10), 0);
	CHECK_INT(b.cap, 10);
	kp_buf_free(&b);
}

static void test_grow_array(void)
{
	size_t cap = 0;
	uint64_t *a = kp_grow_array(NULL, &cap, 1, sizeof *a, 4);
	CHECK(a != NULL);
	CHECK_INT(cap, 4); /* from first */
	for (size_t i = 0; a && i < 1000; i++) {
		uint64_t *g = kp_grow_array(a, &cap, i + 1, sizeof *a, 4);
		CHECK(g != NULL);
		if (!g)
			break;
		a = g;
		a[i] = i * 3;
	}
	CHECK_INT(cap, 1024); /* doubled: 4, 8, ..., 1024 */
	int kept = 1;
	for (size_t i = 0; a && i < 1000; i++)
		kept &= a[i] == i * 3;
	CHECK(kept);
	uint64_t *same = kp_grow_array(a, &cap, 1024, sizeof *a, 4);
	CHECK(same == a); /* room already: the same array */
	same = kp_grow_array(a, &cap, 5000, sizeof *a, 4);
	CHECK(same != NULL);
	CHECK_INT(cap, 8192); /* doubled until it holds 5000 at once */
	a = same ? same : a;
	/* a size that overflows size_t: NULL, the array and its capacity kept */
	size_t was = cap;
	CHECK(kp_grow_array(a, &cap, SIZE_MAX / 4, sizeof *a, 4) == NULL);
	CHECK(kp_grow_array(a, &cap, SIZE_MAX, 1, 4) == NULL);
	CHECK_INT(cap, was);
	CHECK_INT(a[999], 999 * 3);
	free(a);
	/* first 0: from one element */
	cap = 0;
	char *c = kp_grow_array(NULL, &cap, 3, 1, 0);
	CHECK(c != NULL);
	CHECK_INT(cap, 4);
	free(c);
}

int main(void)
{
	test_buf();
	test_grow_array();
	TEST_MAIN_END();
}
