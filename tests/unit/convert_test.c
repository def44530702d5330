/* convert_test.c - MySQL text values to PostgreSQL binary COPY values (common/convert.c).
 * Expected bytes are what PostgreSQL 15 sends for the same value with
 * COPY (SELECT <literal>::<type>) TO STDOUT (FORMAT binary); the bats corpus test
 * (tests/bats/row-convert.bats) checks the whole corpus against a live server. */
#include <stdarg.h>
#include <stdlib.h>

#include "convert.h"
#include "numeric.h"

#include "test.h"

/* one header per column: pointers to columns stay valid */
static rs_header *hdrs[256];
static size_t nhdrs;
static convert_tz utc, berlin;

static rs_column *col(const char *type, const char *data_type, uint32_t flags, ...)
{
	rs_header *hdr = rs_header_new(RS_DOMAIN_MYSQL, "db", "t");
	if (nhdrs < sizeof hdrs / sizeof *hdrs)
		hdrs[nhdrs++] = hdr;
	char name[32];
	snprintf(name, sizeof name, "c%zu", nhdrs);
	size_t i = rs_header_add_column(hdr, name, type, 0, flags, 0);
	rs_column_add_attr(&hdr->cols[i], "data_type", data_type);
	va_list ap;
	va_start(ap, flags);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL)
		rs_column_add_attr(&hdr->cols[i], k, va_arg(ap, const char *));
	va_end(ap);
	return &hdr->cols[i];
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void unhex(const char *h, buf *b)
{
	buf_reset(b);
	for (; h[0] && h[1]; h += 2)
		buf_putc(b, (uint8_t)(hexval(h[0]) << 4 | hexval(h[1])));
}

/* converts in[0..n) for column c (with overrides o and policies "a=b" ...) */
static bool run(rs_column *c, const typemap_overrides *o, const char *policy, const void *in, size_t n, buf *out,
                convert_status *st)
{
	convert_policies p;
	convert_policies_init(&p);
	if (policy)
		CHECK(convert_policy_set(&p, policy));
	convert_column cc;
	if (!convert_column_init(&cc, c, o, &p, &utc, &utc)) {
		st->reason = "init failed";
		return false;
	}
	buf_reset(out);
	bool ok = convert_value(&cc, in, n, out, st);
	convert_column_free(&cc);
	return ok;
}

static void expect(rs_column *c, const char *in, size_t n, const char *hex)
{
	buf out, want;
	buf_init(&out);
	buf_init(&want);
	convert_status st;
	bool ok = run(c, NULL, NULL, in, n, &out, &st);
	if (!ok)
		printf("# %s '%.*s': refused: %s\n", c->type, (int)n, in, st.reason);
	CHECK(ok);
	unhex(hex, &want);
	if (ok && !test_mem_eq(out.data, out.len, want.data, want.len))
		printf("# %s '%.*s' differs\n", c->type, (int)n, in), test_cur_failed = 1;
	buf_free(&out);
	buf_free(&want);
}

#define EXPECT(c, in, hex) expect((c), (in), sizeof(in) - 1, (hex))

TEST(values_like_postgresql)
{
	EXPECT(col("int(11)", "int", 0, NULL), "-2147483648", "80000000");
	EXPECT(col("bigint(20) unsigned", "bigint", RS_COL_UNSIGNED, NULL), "18446744073709551615",
	       "000500040000000007341a5802e103bb064f");
	EXPECT(col("decimal(10,3)", "decimal", 0, "precision", "10", "scale", "3", NULL), "-1.500",
	       "000200004000000300011388");
	EXPECT(col("decimal(65,30)", "decimal", 0, "precision", "65", "scale", "30", NULL),
	       "0.000000000000000000000000000001", "0001fff80000001e0064");
	EXPECT(col("float", "float", 0, NULL), "3.40282e38", "7f7fffee");
	EXPECT(col("double", "double", 0, NULL), "5e-324", "0000000000000001");
	EXPECT(col("date", "date", 0, NULL), "2024-02-29", "00002279");
	EXPECT(col("datetime(6)", "datetime", 0, "fsp", "6", NULL), "2024-01-02 03:04:05.123456", "0002b0ec8517d580");
	EXPECT(col("time(2)", "time", 0, "fsp", "2", NULL), "-838:59:59.50", "fffffd40c22925200000000000000000");
	EXPECT(col("bit(12)", "bit", RS_COL_BINARY, NULL), "\x0a\x03", "0000000ca030");
	EXPECT(col("set('a','b','c')", "set", 0, "charset", "utf8mb4", NULL), "a,c",
	       "000000010000000000000019000000020000000100000001610000000163");
	EXPECT(col("set('a','b','c')", "set", 0, "charset", "utf8mb4", NULL), "", "000000000000000000000019");
	EXPECT(col("json", "json", 0, NULL), "{\"b\":1,\"a\":[1,2]}", "017b2261223a205b312c20325d2c202262223a20317d");
	EXPECT(col("char(5)", "char", 0, "charset", "utf8mb4", "length", "5", NULL), "ab", "6162202020");
	EXPECT(col("varchar(20)", "varchar", 0, "charset", "latin1", "length", "20", NULL), "\x80", "e282ac");
	EXPECT(col("uuid", "uuid", 0, NULL), "123e4567-e89b-12d3-a456-426655440000", "123e4567e89b12d3a456426655440000");
	EXPECT(col("inet6", "inet6", 0, NULL), "::ffff:1.2.3.4", "0380001000000000000000000000ffff01020304");
	EXPECT(col("inet4", "inet4", 0, NULL), "10.1.2.3", "022000040a010203");
	EXPECT(col("year(4)", "year", 0, NULL), "0000", "0000");
	EXPECT(col("tinyint(1)", "tinyint", 0, NULL), "1", "01");
	EXPECT(col("bit(1)", "bit", RS_COL_BINARY, NULL), "\x01", "01");
	/* geometry: SRID 0 stripped; another SRID kept as EWKB */
	EXPECT(col("point", "point", RS_COL_BINARY, NULL),
	       "\0\0\0\0\x01\x01\0\0\0\0\0\0\0\0\0\xf0\x3f\0\0\0\0\0\0\0\x40",
	       "0101000000000000000000f03f0000000000000040");
	EXPECT(col("geometry", "geometry", RS_COL_BINARY, NULL),
	       "\xe6\x10\0\0\x01\x01\0\0\0\0\0\0\0\0\0\xf0\x3f\0\0\0\0\0\0\0\x40",
	       "0101000020e6100000000000000000f03f0000000000000040");
	EXPECT(col("varbinary(4)", "varbinary", RS_COL_BINARY, "charset", "binary", NULL), "\0\xff", "00ff");
}

TEST(casts)
{
	typemap_overrides o;
	typemap_overrides_init(&o);
	buf out, want;
	buf_init(&out);
	buf_init(&want);
	convert_status st;
	rs_column *c;

	c = col("datetime", "datetime", 0, NULL);
	typemap_overrides_add_cast(&o, c->name, "timestamp(0)");
	CHECK(run(c, &o, NULL, "2024-01-02 03:04:05", 19, &out, &st));
	unhex("0002b0ec8515f340", &want);
	CHECK_MEM(out.data, out.len, want.data, want.len);

	c = col("time(1)", "time", 0, "fsp", "1", NULL);
	typemap_overrides_add_cast(&o, c->name, "time");
	CHECK(run(c, &o, NULL, "23:59:59.5", 10, &out, &st));
	unhex("000000141dcfbee0", &want);
	CHECK_MEM(out.data, out.len, want.data, want.len);
	CHECK(!run(c, &o, NULL, "24:00:00.1", 10, &out, &st));
	CHECK(!run(c, &o, NULL, "-00:00:01", 9, &out, &st));

	c = col("double", "double", 0, NULL);
	typemap_overrides_add_cast(&o, c->name, "numeric");
	CHECK(run(c, &o, NULL, "4e5", 3, &out, &st));
	unhex("00010001000000000028", &want);
	CHECK_MEM(out.data, out.len, want.data, want.len);

	c = col("decimal(10,2)", "decimal", 0, "precision", "10", "scale", "2", NULL);
	typemap_overrides_add_cast(&o, c->name, "bigint");
	CHECK(run(c, &o, NULL, "12.00", 5, &out, &st));
	unhex("000000000000000c", &want);
	CHECK_MEM(out.data, out.len, want.data, want.len);
	CHECK(!run(c, &o, NULL, "12.50", 5, &out, &st));

	c = col("int(10) unsigned", "int", RS_COL_UNSIGNED, NULL);
	typemap_overrides_add_cast(&o, c->name, "integer");
	CHECK(!run(c, &o, NULL, "4294967295", 10, &out, &st));
	CHECK(st.reason && strstr(st.reason, "out of range"));

	c = col("datetime(6)", "datetime", 0, "fsp", "6", NULL);
	typemap_overrides_add_cast(&o, c->name, "timestamp(0) with time zone");
	CHECK(!run(c, &o, NULL, "2024-01-02 03:04:05.5", 21, &out, &st));
	CHECK(st.reason && strstr(st.reason, "rounded"));

	c = col("binary(16)", "binary", RS_COL_BINARY, "charset", "binary", NULL);
	typemap_overrides_add_cast(&o, c->name, "uuid");
	CHECK(run(c, &o, NULL, "0123456789abcdef", 16, &out, &st));
	CHECK_MEM(out.data, out.len, "0123456789abcdef", 16);
	CHECK(!run(c, &o, NULL, "short", 5, &out, &st));

	/* enum with labels from the rules */
	static char *labels[] = {"free", "taken"};
	typemap_overrides_add_enum(&o, "hotel.status", labels, 2);
	c = col("enum('free','taken','gone')", "enum", 0, "charset", "utf8mb4", "member", "free", "member", "taken",
	        "member", "gone", NULL);
	typemap_overrides_add_cast(&o, c->name, "hotel.status");
	CHECK(run(c, &o, NULL, "taken", 5, &out, &st));
	CHECK_MEM(out.data, out.len, "taken", 5);
	CHECK(!run(c, &o, NULL, "gone", 4, &out, &st));
	CHECK(st.reason && strstr(st.reason, "label"));

	buf_free(&out);
	buf_free(&want);
	typemap_overrides_free(&o);
}

TEST(policies)
{
	buf out;
	buf_init(&out);
	convert_status st;
	rs_column *d = col("date", "date", 0, NULL);
	rs_column *dt = col("datetime", "datetime", 0, NULL);
	CHECK(!run(d, NULL, NULL, "0000-00-00", 10, &out, &st));
	CHECK(!run(d, NULL, NULL, "2024-00-15", 10, &out, &st));
	CHECK(!run(d, NULL, "zero-date=null", "2024-02-30", 10, &out, &st)); /* invalid: never converted */
	CHECK(run(d, NULL, "zero-date=null", "2024-05-00", 10, &out, &st) && st.null && out.len == 0);
	CHECK(st.changed == 1u << CONVERT_ZERO_DATE);
	CHECK(run(d, NULL, "zero-date=-infinity", "0000-00-00", 10, &out, &st));
	CHECK_MEM(out.data, out.len, "\x80\0\0\0", 4);
	CHECK(run(dt, NULL, "zero-date=-infinity", "0000-00-00 00:00:00", 19, &out, &st));
	CHECK_MEM(out.data, out.len, "\x80\0\0\0\0\0\0\0", 8);

	rs_column *b = col("tinyint(1)", "tinyint", 0, NULL);
	CHECK(!run(b, NULL, NULL, "2", 1, &out, &st));
	CHECK(run(b, NULL, "tinyint1-range=true", "-5", 2, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01", 1);
	CHECK(st.changed == 1u << CONVERT_TINYINT1_RANGE);

	rs_column *t = col("text", "text", 0, "charset", "utf8mb4", NULL);
	CHECK(!run(t, NULL, NULL, "a\0b", 3, &out, &st));
	CHECK(run(t, NULL, "nul-in-text=strip", "a\0b", 3, &out, &st));
	CHECK_MEM(out.data, out.len, "ab", 2);
	CHECK(run(t, NULL, "nul-in-text=escape", "a\0b", 3, &out, &st));
	CHECK_MEM(out.data, out.len, "a\\u0000b", 8);
	CHECK(!run(t, NULL, NULL, "a\xff", 2, &out, &st));
	CHECK(run(t, NULL, "invalid-utf8=replace", "a\xff", 2, &out, &st));
	CHECK_MEM(out.data, out.len, "a\xef\xbf\xbd", 4);
	CHECK(st.changed == 1u << CONVERT_INVALID_UTF8);

	/* a JSON object with a key twice, into jsonb: refused, or one kept and counted; MariaDB's
	 * JSON type and a longtext cast to jsonb alike */
	static const char dup[] = "{\"a\":1,\"a\":2}";
	rs_column *j = col("json", "json", 0, NULL);
	CHECK(!run(j, NULL, NULL, dup, 13, &out, &st));
	CHECK(strstr(st.reason, "duplicate key") != NULL);
	CHECK(run(j, NULL, "json-duplicate-key=keep-last", dup, 13, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": 2}", 9);
	CHECK(st.changed == 1u << CONVERT_JSON_DUP_KEY);
	CHECK(run(j, NULL, "json-duplicate-key=keep-first", dup, 13, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": 1}", 9);
	CHECK(st.changed == 1u << CONVERT_JSON_DUP_KEY);
	CHECK(run(j, NULL, "json-duplicate-key=keep-first", "{\"a\":1}", 7, &out, &st));
	CHECK(st.changed == 0);
	rs_column *lt = col("longtext", "longtext", 0, "charset", "utf8mb4", NULL);
	typemap_overrides jo;
	typemap_overrides_init(&jo);
	typemap_overrides_add_cast(&jo, lt->name, "jsonb");
	CHECK(!run(lt, &jo, NULL, dup, 13, &out, &st));
	CHECK(strstr(st.reason, "duplicate key") != NULL);
	CHECK(run(lt, &jo, "json-duplicate-key=keep-last", dup, 13, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": 2}", 9);
	CHECK(st.changed == 1u << CONVERT_JSON_DUP_KEY);
	typemap_overrides_free(&jo);
	/* JSON is parsed from the source bytes when they need no conversion; what the parser
	 * refuses takes the conversion's way: its reasons, its policies */
	static const char bad8[] = "{\"a\": \"x\xff\"}", nul[] = "{\"a\": \"x\0\"}";
	rs_column *j8 = col("json", "json", 0, "charset", "utf8mb4", NULL);
	CHECK(!run(j8, NULL, NULL, bad8, sizeof bad8 - 1, &out, &st));
	CHECK(st.reason && strstr(st.reason, "json") == NULL); /* the character set's reason */
	CHECK(run(j8, NULL, "invalid-utf8=replace", bad8, sizeof bad8 - 1, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": \"x\xef\xbf\xbd\"}", 14);
	CHECK(st.changed == 1u << CONVERT_INVALID_UTF8);
	CHECK(!run(j8, NULL, NULL, nul, sizeof nul - 1, &out, &st));
	CHECK(run(j8, NULL, "nul-in-text=strip", nul, sizeof nul - 1, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01{\"a\": \"x\"}", 11);
	CHECK(st.changed == 1u << CONVERT_NUL_IN_TEXT);
	static const char cc[] = "{\"b\": 1, \"a\": \"\xc3\xa7\"}", ccj[] = "\x01{\"a\": \"\xc3\xa7\", \"b\": 1}";
	CHECK(run(j8, NULL, NULL, cc, sizeof cc - 1, &out, &st));
	CHECK_MEM(out.data, out.len, ccj, sizeof ccj - 1);
	CHECK(st.changed == 0);
	rs_column *jl = col("json", "json", 0, "charset", "latin1", NULL);
	CHECK(run(jl, NULL, NULL, "\"\xe7\"", 3, &out, &st));
	CHECK_MEM(out.data, out.len, "\x01\"\xc3\xa7\"", 5);
	/* enum_form=index:text: the member's text, and index 0 (MySQL's invalid value) refused */
	rs_column *en = col("enum('a','','b')", "enum", 0, "charset", "utf8mb4", "member", "a", "member", "",
	                    "member", "b", "enum_form", "index:text", NULL);
	CHECK(run(en, NULL, NULL, "2:", 2, &out, &st) && out.len == 0);
	CHECK(run(en, NULL, NULL, "3:b", 3, &out, &st));
	CHECK_MEM(out.data, out.len, "b", 1);
	CHECK(!run(en, NULL, NULL, "0:", 2, &out, &st));
	CHECK(strstr(st.reason, "index 0") != NULL);
	CHECK(!run(en, NULL, NULL, "00:", 3, &out, &st));
	CHECK(!run(en, NULL, NULL, "b", 1, &out, &st));
	CHECK(!run(en, NULL, NULL, ":b", 2, &out, &st));

	convert_policies p;
	convert_policies_init(&p);
	CHECK(!convert_policy_set(&p, "json-duplicate-key=null"));
	CHECK(!convert_policy_set(&p, "zero-date=strip"));
	CHECK(!convert_policy_set(&p, "nope=null"));
	CHECK(!convert_policy_set(&p, "zero-date"));
	buf_free(&out);
}

/* numerics: the short path for [-]digits[.digits] writes what numeric_parse + typmod +
 * numeric_send write, for random values of several typmods (and refuses the same ones) */
TEST(numeric_short_path)
{
	static const char *const types[][3] = {
		{"decimal(12,2)", "12", "2"}, {"decimal(20,0)", "20", "0"}, {"decimal(38,10)", "38", "10"},
		{"decimal(5,5)", "5", "5"},   {"decimal(65,30)", "65", "30"},
	};
	buf in, out, want;
	buf_init(&in);
	buf_init(&out);
	buf_init(&want);
	srand(7);
	unsigned differ = 0, accepted = 0;
	for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
		rs_column *dc = col(types[t][0], "decimal", 0, "precision", types[t][1], "scale", types[t][2], NULL);
		int prec = atoi(types[t][1]), scale = atoi(types[t][2]);
		for (int it = 0; it < 40000; it++) {
			buf_reset(&in);
			if (rand() % 3 == 0)
				buf_putc(&in, '-');
			int ni = 1 + rand() % 24, nf = rand() % 4 ? rand() % 14 : 0;
			for (int k = 0; k < ni; k++)
				buf_putc(&in, (uint8_t)(rand() % 3 ? '0' + rand() % 10 : '0'));
			if (nf) {
				buf_putc(&in, '.');
				for (int k = 0; k < nf; k++)
					buf_putc(&in, (uint8_t)(rand() % 3 ? '0' + rand() % 10 : '0'));
			}
			convert_status st;
			bool ok = run(dc, NULL, NULL, in.data, in.len, &out, &st);
			numeric_dec d;
			numeric_init(&d);
			const char *err = NULL;
			buf_reset(&want);
			bool wok = numeric_parse(&d, in.data, in.len, false, false, &err) &&
			           numeric_apply_typmod(&d, prec, scale, &err);
			if (wok)
				numeric_send(&d, &want);
			numeric_free(&d);
			accepted += ok;
			if (ok != wok || (ok && (out.len != want.len || memcmp(out.data, want.data, out.len) != 0))) {
				if (differ++ < 5)
					printf("# %s '%s': %s\n", types[t][0], buf_cstr(&in), ok ? "differs" : "refused");
			}
		}
	}
	CHECK(differ == 0);
	CHECK(accepted > 50000);
	buf_free(&in);
	buf_free(&out);
	buf_free(&want);
}

/* DATETIME text as MySQL prints it takes a short path: it converts (or is refused) exactly as
 * the same text with 'T' between date and time, which the general parser reads */
TEST(datetime_short_path)
{
	rs_column *cols[] = {col("datetime(6)", "datetime", 0, "fsp", "6", NULL), col("datetime", "datetime", 0, NULL),
	                     col("date", "date", 0, NULL)};
	static const char alphabet[] = "0123456789-: .T9";
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	srand(11);
	unsigned differ = 0, accepted = 0;
	for (int it = 0; it < 200000; it++) {
		char text[40];
		int y = rand() % 10000, mo = rand() % 14, d = rand() % 33, h = rand() % 26, mi = rand() % 61,
		    se = rand() % 61;
		int n = snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se);
		if (rand() % 2) {
			int nf = rand() % 8;
			text[n++] = '.';
			for (int k = 0; k < nf; k++)
				text[n++] = (char)('0' + rand() % 10);
		}
		if (rand() % 4 == 0) /* a stray character somewhere */
			text[rand() % n] = alphabet[rand() % (sizeof alphabet - 1)];
		text[n] = 0;
		char t2[40];
		memcpy(t2, text, (size_t)n + 1);
		if (t2[10] == ' ')
			t2[10] = 'T';
		else if (t2[10] == 'T')
			continue;
		rs_column *c = cols[it % 3];
		convert_status sa, sb;
		bool oa = run(c, NULL, NULL, text, (size_t)n, &a, &sa);
		bool ob = run(c, NULL, NULL, t2, (size_t)n, &b, &sb);
		accepted += oa;
		if (oa != ob || (oa && (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)) ||
		    (!oa && strcmp(sa.reason, sb.reason) != 0)) {
			if (differ++ < 5)
				printf("# '%s': %s\n", text, oa != ob ? "accepted differently" : "converted differently");
		}
	}
	CHECK(differ == 0);
	CHECK(accepted > 20000);
	buf_free(&a);
	buf_free(&b);
}

TEST(refusals)
{
	buf out;
	buf_init(&out);
	convert_status st;
	CHECK(!run(col("int(11)", "int", 0, NULL), NULL, NULL, "12a", 3, &out, &st));
	CHECK(!run(col("int(11)", "int", 0, NULL), NULL, NULL, "", 0, &out, &st));
	CHECK(!run(col("decimal(4,2)", "decimal", 0, "precision", "4", "scale", "2", NULL), NULL, NULL, "123.45", 6,
	           &out, &st));
	CHECK(!run(col("decimal(4,2)", "decimal", 0, "precision", "4", "scale", "2", NULL), NULL, NULL, "1.234", 5,
	           &out, &st));
	CHECK(!run(col("float", "float", 0, NULL), NULL, NULL, "1e39", 4, &out, &st));
	CHECK(!run(col("float", "float", 0, NULL), NULL, NULL, "inf", 3, &out, &st));
	CHECK(!run(col("date", "date", 0, NULL), NULL, NULL, "2024-1-1", 8, &out, &st));
	CHECK(!run(col("datetime", "datetime", 0, NULL), NULL, NULL, "2024-01-01 24:00:00", 19, &out, &st));
	CHECK(!run(col("time", "time", 0, NULL), NULL, NULL, "12:60:00", 8, &out, &st));
	CHECK(!run(col("json", "json", 0, NULL), NULL, NULL, "{\"a\":\"\\u0000\"}", 14, &out, &st));
	CHECK(!run(col("char(2)", "char", 0, "charset", "utf8mb4", "length", "2", NULL), NULL, NULL, "abc", 3, &out,
	           &st));
	CHECK(!run(col("varchar(2)", "varchar", 0, "charset", "utf8mb4", "length", "2", NULL), NULL, NULL, "a  ", 3,
	           &out, &st));
	CHECK(!run(col("bit(3)", "bit", 0, NULL), NULL, NULL, "\x08", 1, &out, &st));
	CHECK(!run(col("geometry", "geometry", 0, NULL), NULL, NULL, "\0\0\0\0\x07", 5, &out, &st));
	CHECK(!run(col("uuid", "uuid", 0, NULL), NULL, NULL, "123e4567-e89b-12d3-a456-42665544000", 35, &out, &st));
	CHECK(!run(col("inet6", "inet6", 0, NULL), NULL, NULL, "1.2.3.4.5", 9, &out, &st));
	buf_free(&out);
}

TEST(time_zones)
{
	convert_tz tz;
	CHECK(!convert_tz_init(&tz, "Mars/Olympus"));
	CHECK(!convert_tz_init(&tz, "../etc/passwd"));
	CHECK(convert_tz_init(&tz, "+03:00") && tz.fixed && tz.offset == 10800);
	CHECK(convert_tz_init(&tz, "-05:30") && tz.offset == -19800);
	int64_t u;
	/* 2024-03-31 02:30 Berlin is in the gap: 03:30 CEST = 01:30 UTC */
	CHECK(convert_tz_to_utc(&berlin, 1711852200, &u) && u == 1711848600);
	/* 2024-10-27 02:30 Berlin happens twice: the first, 02:30 CEST = 00:30 UTC */
	CHECK(convert_tz_to_utc(&berlin, 1729996200, &u) && u == 1729989000);
	/* 2024-01-15 12:00 = 11:00 UTC, 2024-07-15 12:00 = 10:00 UTC */
	CHECK(convert_tz_to_utc(&berlin, 1705320000, &u) && u == 1705316400);
	CHECK(convert_tz_to_utc(&berlin, 1721044800, &u) && u == 1721037600);

	/* a DATETIME converted in Berlin time, a TIMESTAMP in the session zone (UTC) */
	rs_column *dt = col("datetime", "datetime", 0, NULL);
	rs_column *ts = col("timestamp", "timestamp", 0, NULL);
	convert_column a, b;
	CHECK(convert_column_init(&a, dt, NULL, NULL, &berlin, &utc));
	CHECK(convert_column_init(&b, ts, NULL, NULL, &berlin, &utc));
	buf o1, o2;
	buf_init(&o1);
	buf_init(&o2);
	convert_status st;
	CHECK(convert_value(&a, (const uint8_t *)"2024-07-15 12:00:00", 19, &o1, &st));
	CHECK(convert_value(&b, (const uint8_t *)"2024-07-15 10:00:00", 19, &o2, &st));
	CHECK_MEM(o1.data, o1.len, o2.data, o2.len);
	buf_free(&o1);
	buf_free(&o2);
	convert_column_free(&a);
	convert_column_free(&b);
}

int main(void)
{
	CHECK(convert_tz_init(&utc, "UTC"));
	CHECK(convert_tz_init(&berlin, "Europe/Berlin"));
	RUN(values_like_postgresql);
	RUN(casts);
	RUN(policies);
	RUN(numeric_short_path);
	RUN(datetime_short_path);
	RUN(refusals);
	RUN(time_zones);
	for (size_t i = 0; i < nhdrs; i++)
		rs_header_free(hdrs[i]);
	return test_done();
}
