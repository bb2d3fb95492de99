/* Publication dates as exports write them, read into RFC 3339 (see
 * kp_date_parse in korpus/import.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctype_int.h"
#include "korpus/import.h"

/* The date of day z after 1970-01-01 (proleptic Gregorian). */
static void civil_from_days(long z, long *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in(long y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : dm[m - 1];
}

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static int valid(long y, int m, int d)
{
	return y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* Month names, Indonesian and English, full and short: 1-12, or 0. */
static int month_of(const char *w, size_t n)
{
	static const char *const names[][4] = {
		{"januari", "january", "jan", NULL},   {"februari", "february", "feb", "pebruari"},
		{"maret", "march", "mar", NULL},       {"april", "apr", NULL, NULL},
		{"mei", "may", NULL, NULL},            {"juni", "june", "jun", NULL},
		{"juli", "july", "jul", NULL},         {"agustus", "august", "agu", "aug"},
		{"september", "sep", "sept", NULL},    {"oktober", "october", "okt", "oct"},
		{"november", "nov", "nopember", NULL}, {"desember", "december", "des", "dec"},
	};
	for (int m = 0; m < 12; m++)
		for (int k = 0; k < 4 && names[m][k]; k++)
			if (strlen(names[m][k]) == n && strncasecmp(w, names[m][k], n) == 0)
				return m + 1;
	return 0;
}

/* Time-zone words of Indonesia: hours east of UTC, or -1. */
static int zone_of(const char *w, size_t n)
{
	if (n == 3 && strncasecmp(w, "WIB", 3) == 0)
		return 7;
	if (n == 4 && strncasecmp(w, "WITA", 4) == 0)
		return 8;
	if (n == 3 && strncasecmp(w, "WIT", 3) == 0)
		return 9;
	if (n == 3 && (strncasecmp(w, "UTC", 3) == 0 || strncasecmp(w, "GMT", 3) == 0))
		return 0;
	return -1;
}

typedef struct tok {
	char kind; /* 'n' number, 'w' word */
	size_t at, len;
	long v;
	char sep; /* the character right after it */
} tok;

#define MAXTOK 24

static int is_digit(char c) { return kp_ascii_isdigit((unsigned char)c); }
static int is_alpha(char c) { return kp_ascii_isalpha((unsigned char)c); }

#define NO_ZONE (-10000) /* a zone in minutes east of UTC, or none */

static size_t put(char *out, long y, int m, int d, int h, int mi, int sec, int zone)
{
	if (h < 0)
		return (size_t)snprintf(out, KP_DATE_MAX, "%04ld-%02d-%02d", y, m, d);
	if (zone == NO_ZONE)
		return (size_t)snprintf(out, KP_DATE_MAX, "%04ld-%02d-%02dT%02d:%02d:%02d", y, m, d, h, mi, sec);
	if (zone == 0)
		return (size_t)snprintf(out, KP_DATE_MAX, "%04ld-%02d-%02dT%02d:%02d:%02dZ", y, m, d, h, mi, sec);
	int a = zone < 0 ? -zone : zone;
	return (size_t)snprintf(out, KP_DATE_MAX, "%04ld-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, h, mi, sec,
				zone < 0 ? '-' : '+', a / 60, a % 60);
}

/* A numeric offset from UTC right after a time that ends at s + p (past
 * a fraction of a second): "+07:00", "-0500", "+07" attached to it (ISO
 * 8601; a '-' only after seconds or a 'T', so that a range "08:15-09:00"
 * is no offset), " +0700" or " +07:00" after a space (RFC 2822), or after
 * GMT or UTC ("GMT+7", "UTC+07:00", JavaScript's "GMT+0700").  The offset
 * in minutes east of UTC and *end past it, or NO_ZONE. */
static int offset_after(const char *s, size_t n, size_t p, int iso, size_t *end)
{
	if (p + 1 < n && (s[p] == '.' || s[p] == ',') && is_digit(s[p + 1]))
		for (p++; p < n && is_digit(s[p]); p++)
			;
	int space = p < n && s[p] == ' ', utc = 0;
	p += (size_t)space;
	if (p + 3 <= n && (strncasecmp(s + p, "GMT", 3) == 0 || strncasecmp(s + p, "UTC", 3) == 0)) {
		utc = 1;
		p += 3;
	}
	if (p >= n || (s[p] != '+' && s[p] != '-') || (s[p] == '-' && !utc && !space && !iso))
		return NO_ZONE;
	int sign = s[p++] == '-' ? -1 : 1;
	/* the digits of the hours and the minutes, and a ':' between them */
	size_t hd = 0, md = 0, colon = 0;
	while (p + hd < n && is_digit(s[p + hd]) && hd < 5)
		hd++;
	if (hd == 4) { /* +0700 */
		hd = md = 2;
	} else if (hd == 2 && p + 5 <= n && s[p + 2] == ':' && is_digit(s[p + 3]) && is_digit(s[p + 4])) {
		colon = 1; /* +07:00 */
		md = 2;
	} else if (!(hd == 2 && (!space || utc)) && !(hd == 1 && utc)) { /* +07, GMT+7 */
		return NO_ZONE;
	}
	size_t e = p + hd + colon + md;
	if (e < n && (is_digit(s[e]) || s[e] == ':' || s[e] == '.')) /* "+07.30", "+07:3", ... */
		return NO_ZONE;
	int hh = hd == 1 ? s[p] - '0' : (s[p] - '0') * 10 + (s[p + 1] - '0');
	int mm = md ? (s[p + hd + colon] - '0') * 10 + (s[p + hd + colon + 1] - '0') : 0;
	if (hh > 14 || mm > 59)
		return NO_ZONE;
	*end = e;
	return sign * (hh * 60 + mm);
}

/* "am"/"pm" or "a.m."/"p.m." as the token t[i]: 'a', 'p', or 0. */
static int meridiem(const char *s, const tok *t, int i, int nt)
{
	if (i >= nt || t[i].kind != 'w')
		return 0;
	char c = (char)(s[t[i].at] | 32);
	if (c != 'a' && c != 'p')
		return 0;
	if (t[i].len == 2 && (s[t[i].at + 1] | 32) == 'm')
		return c;
	if (t[i].len == 1 && t[i].sep == '.' && i + 1 < nt && t[i + 1].kind == 'w' && t[i + 1].len == 1 &&
	    (s[t[i + 1].at] | 32) == 'm' && t[i + 1].at == t[i].at + 2)
		return c;
	return 0;
}

/* Spreadsheet serial days (1900 date system: day 1 is 1900-01-01, with
 * Lotus's phantom 1900-02-29, so day 25569 is 1970-01-01). */
#define SERIAL_MIN 20000 /* 1954 */
#define SERIAL_MAX 73000 /* 2099 */
#define SERIAL_EPOCH 25569

size_t kp_date_parse(const char *s, size_t n, char out[KP_DATE_MAX])
{
	return kp_date_parse_order(s, n, KP_DATE_DAY_FIRST, out, NULL);
}

size_t kp_date_parse_order(const char *s, size_t n, int order, char out[KP_DATE_MAX], int *other)
{
	if (other)
		*other = 0;
	tok t[MAXTOK];
	int nt = 0;
	for (size_t i = 0; i < n && nt < MAXTOK;) {
		if (is_digit(s[i])) {
			tok k = {'n', i, 0, 0, 0};
			while (i < n && is_digit(s[i]) && k.v < 100000000000000L)
				k.v = k.v * 10 + (s[i++] - '0');
			while (i < n && is_digit(s[i]))
				i++;
			k.len = i - k.at;
			k.sep = i < n ? s[i] : 0;
			t[nt++] = k;
		} else if (is_alpha(s[i])) {
			tok k = {'w', i, 0, 0, 0};
			while (i < n && is_alpha(s[i]))
				i++;
			k.len = i - k.at;
			k.sep = i < n ? s[i] : 0;
			t[nt++] = k;
		} else {
			i++;
		}
	}
	if (!nt)
		return 0;
	/* a number alone: spreadsheet days, Unix seconds or milliseconds */
	if (nt == 1 && t[0].kind == 'n') {
		long v = t[0].v, days = -1, secs = -1;
		if (t[0].len == 5 && v >= SERIAL_MIN && v <= SERIAL_MAX)
			days = v - SERIAL_EPOCH;
		else if (t[0].len >= 9 && t[0].len <= 10)
			secs = v;
		else if (t[0].len == 13)
			secs = v / 1000;
		if (days < 0 && secs < 0)
			return 0;
		long y;
		int m, d;
		civil_from_days(days >= 0 ? days : secs / 86400, &y, &m, &d);
		if (!valid(y, m, d))
			return 0;
		if (days >= 0)
			return put(out, y, m, d, -1, 0, 0, NO_ZONE);
		long r = secs % 86400;
		return put(out, y, m, d, (int)(r / 3600), (int)(r / 60 % 60), (int)(r % 60), 0);
	}
	long y = -1;
	int m = 0, d = 0, h = -1, mi = 0, sec = 0, zone = NO_ZONE, offset = NO_ZONE, used[MAXTOK] = {0};
	/* a time: hh:mm[:ss] or hh.mm; AM or PM, or an offset from UTC, right
	 * after it; a zone word anywhere */
	for (int i = 0; i + 1 < nt; i++)
		if (t[i].kind == 'n' && t[i + 1].kind == 'n' && (t[i].sep == ':' || (t[i].sep == '.' && t[i].len <= 2)) &&
		    t[i].len <= 2 && t[i + 1].len == 2 && t[i].v < 24 && t[i + 1].v < 60 &&
		    t[i + 1].at == t[i].at + t[i].len + 1) {
			/* not a date "10.09.2019": a time has no third part of 4 digits */
			if (t[i + 1].sep == '.' && i + 2 < nt && t[i + 2].kind == 'n' && t[i + 2].len == 4)
				continue;
			h = (int)t[i].v;
			mi = (int)t[i + 1].v;
			used[i] = used[i + 1] = 1;
			int last = i + 1;
			if (t[i + 1].sep == ':' && i + 2 < nt && t[i + 2].kind == 'n' && t[i + 2].len == 2 && t[i + 2].v < 60) {
				sec = (int)t[i + 2].v;
				used[++last] = 1;
			}
			/* "2019-09-10T23:30:00-05:00", "...00.000+07:00": its digits
			 * are no part of the date */
			int iso = last > i + 1 || (t[i].at > 0 && s[t[i].at - 1] == 'T');
			size_t end = 0;
			offset = offset_after(s, n, t[last].at + t[last].len, iso, &end);
			for (int j = last + 1; offset != NO_ZONE && j < nt && t[j].at < end; j++)
				used[j] = 1;
			/* 12-hour clock: 12 AM is 00, 12 PM is 12, 1 PM is 13 (an hour
			 * of the 24-hour clock with it stays as it is) */
			int next = last + 1;
			if (next < nt && t[next].kind == 'n' && t[next].at == t[last].at + t[last].len + 1 &&
			    (t[last].sep == '.' || t[last].sep == ','))
				next++; /* a fraction of a second */
			int ap = meridiem(s, t, next, nt);
			if (ap && h >= 1 && h <= 12)
				h = ap == 'p' ? h % 12 + 12 : h % 12;
			break;
		}
	for (int i = 0; i < nt; i++)
		if (t[i].kind == 'w' && zone_of(s + t[i].at, t[i].len) >= 0)
			zone = zone_of(s + t[i].at, t[i].len) * 60;
	if (h >= 0 && zone == NO_ZONE)
		for (int i = 0; i < nt; i++)
			if (t[i].kind == 'w' && t[i].len == 1 && (s[t[i].at] == 'Z' || s[t[i].at] == 'T'))
				zone = s[t[i].at] == 'Z' ? 0 : zone;
	if (offset != NO_ZONE) /* a number says more than a word */
		zone = offset;
	/* a month by name, with the day and the year as numbers around it */
	for (int i = 0; i < nt && !m; i++) {
		if (t[i].kind != 'w' || !(m = month_of(s + t[i].at, t[i].len)))
			continue;
		int di = -1, yi = -1;
		for (int j = 0; j < nt; j++) {
			if (t[j].kind != 'n' || used[j])
				continue;
			if (t[j].len == 4 && yi < 0)
				yi = j;
			else if (t[j].len <= 2 && t[j].v >= 1 && t[j].v <= 31 && di < 0 && (j == i - 1 || j == i + 1))
				di = j;
		}
		/* "10-Sep-19": a two-digit year after the month */
		if (yi < 0 && di == i - 1 && i + 1 < nt && t[i + 1].kind == 'n' && t[i + 1].len == 2)
			yi = i + 1;
		if (di < 0 || yi < 0)
			return 0;
		d = (int)t[di].v;
		y = t[yi].len == 2 ? 2000 + t[yi].v : t[yi].v;
	}
	if (!m) {
		/* numbers: y-m-d, y/m/d, d/m/y (d.m.y, d-m-y), two-digit years */
		int k[3], c = 0;
		for (int i = 0; i < nt && c < 3; i++)
			if (t[i].kind == 'n' && !used[i])
				k[c++] = i;
			else if (c && t[i].kind == 'n')
				break;
		if (c < 3)
			return 0;
		long a = t[k[0]].v, b = t[k[1]].v, e = t[k[2]].v;
		if (t[k[0]].len == 4) {
			y = a;
			m = (int)b;
			d = (int)e;
		} else if (t[k[2]].len == 4 || t[k[2]].len == 2) {
			y = t[k[2]].len == 2 ? 2000 + e : e;
			/* in the order asked (day first, as Indonesia writes
			 * it), or the other when only it makes a month */
			int month_first = order == KP_DATE_MONTH_FIRST;
			if (month_first ? a > 12 && b <= 12 : b > 12 && a <= 12) {
				month_first = !month_first;
				if (other)
					*other = 1;
			}
			m = (int)(month_first ? a : b);
			d = (int)(month_first ? b : a);
		} else {
			return 0;
		}
	}
	if (!valid(y, m, d))
		return 0;
	return put(out, y, m, d, h, mi, sec, h >= 0 ? zone : NO_ZONE);
}
