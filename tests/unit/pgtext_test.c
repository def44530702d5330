/*
 * pgtext_test.c - pgtext_format() against golden values captured from PostgreSQL 15.
 *
 * Each golden row is (type OID, the value's binary COPY bytes, the server's
 * text output), captured with TimeZone=UTC:
 *     COPY (SELECT v) TO STDOUT (FORMAT binary)   and   SELECT format('%s', v)
 * (format() calls the type's output function; v::text would trim bpchar).
 * tests/bats/pgtext.bats compares many more values with a live server.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pgtext.h"
#include "test.h"

static const struct golden {
	uint32_t oid;
	const char *hex;
	const char *text;
} golden[] = {
	/* true::bool */
	{16, "01", "t"},
	/* false::bool */
	{16, "00", "f"},
	/* -32768::int2 */
	{21, "8000", "-32768"},
	/* 32767::int2 */
	{21, "7fff", "32767"},
	/* 0::int4 */
	{23, "00000000", "0"},
	/* -2147483648::int4 */
	{23, "80000000", "-2147483648"},
	/* 9223372036854775807::int8 */
	{20, "7fffffffffffffff", "9223372036854775807"},
	/* -9223372036854775808::int8 */
	{20, "8000000000000000", "-9223372036854775808"},
	/* 4294967295::oid */
	{26, "ffffffff", "4294967295"},
	/* 0::float8 */
	{701, "0000000000000000", "0"},
	/* -0::float8 */
	{701, "0000000000000000", "0"},
	/* 'NaN'::float8 */
	{701, "7ff8000000000000", "NaN"},
	/* 'Infinity'::float8 */
	{701, "7ff0000000000000", "Infinity"},
	/* '-Infinity'::float8 */
	{701, "fff0000000000000", "-Infinity"},
	/* 0.1::float8 */
	{701, "3fb999999999999a", "0.1"},
	/* 1e15::float8 */
	{701, "430c6bf526340000", "1e+15"},
	/* 1e14::float8 */
	{701, "42d6bcc41e900000", "100000000000000"},
	/* 0.0001::float8 */
	{701, "3f1a36e2eb1c432d", "0.0001"},
	/* 0.00001::float8 */
	{701, "3ee4f8b588e368f1", "1e-05"},
	/* 5e-324::float8 */
	{701, "0000000000000001", "5e-324"},
	/* 1.7976931348623157e308::float8 */
	{701, "7fefffffffffffff", "1.7976931348623157e+308"},
	/* 2.2250738585072014e-308::float8 */
	{701, "0010000000000000", "2.2250738585072014e-308"},
	/* 123456789012345.6::float8 */
	{701, "42dc12218377de66", "123456789012345.6"},
	/* 1.2345678901234568e+15::float8 */
	{701, "43118b54f22aeb03", "1.2345678901234568e+15"},
	/* -2.5::float8 */
	{701, "c004000000000000", "-2.5"},
	/* 9007199254740993::float8 */
	{701, "4340000000000000", "9.007199254740992e+15"},
	/* 0::float4 */
	{700, "00000000", "0"},
	/* '-0'::float4 */
	{700, "80000000", "-0"},
	/* 0.1::float4 */
	{700, "3dcccccd", "0.1"},
	/* 1e6::float4 */
	{700, "49742400", "1e+06"},
	/* 999999::float4 */
	{700, "497423f0", "999999"},
	/* 48822768::float4 */
	{700, "4c3a3e7c", "4.8822768e+07"},
	/* 3.4028235e38::float4 */
	{700, "7f7fffff", "3.4028235e+38"},
	/* 1.4e-45::float4 */
	{700, "00000001", "1e-45"},
	/* 'NaN'::float4 */
	{700, "7fc00000", "NaN"},
	/* 16777217::float4 */
	{700, "4b800000", "1.6777216e+07"},
	/* 0::numeric */
	{1700, "0000000000000000", "0"},
	/* 'NaN'::numeric */
	{1700, "00000000c0000000", "NaN"},
	/* 'Infinity'::numeric */
	{1700, "00000000d0000020", "Infinity"},
	/* '-Infinity'::numeric */
	{1700, "00000000f0000020", "-Infinity"},
	/* -1.3456::numeric */
	{1700, "000200004000000400010d80", "-1.3456"},
	/* 0.00000001::numeric */
	{1700, "0001fffe000000080001", "0.00000001"},
	/* 12345678901234567890.1234567890::numeric */
	{1700, "000800040000000a04d2162e23340d801ed204d2162e2328", "12345678901234567890.1234567890"},
	/* '1.000'::numeric::numeric */
	{1700, "00010000000000030001", "1.000"},
	/* 10000::numeric */
	{1700, "00010001000000000001", "10000"},
	/* -0.000::numeric */
	{1700, "0000000000000003", "0.000"},
	/* 1e100::numeric */
	{1700, "00010019000000000001", "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
	/* '18446744073709551615'::numeric(20,0)::numeric */
	{1700, "000500040000000007341a5802e103bb064f", "18446744073709551615"},
	/* 9999.9999::numeric */
	{1700, "0002000000000004270f270f", "9999.9999"},
	/* 0.5::numeric */
	{1700, "0001ffff000000011388", "0.5"},
	/* ''::text */
	{25, "", ""},
	/* 'hello'::text */
	{25, "68656c6c6f", "hello"},
	/* E'tab\there\nnew'::text */
	{25, "74616209686572650a6e6577", "tab\011here\012new"},
	/* 'ünï 😀'::text */
	{25, "c3bc6ec3af20f09f9880", "\303\274n\303\257 \360\237\230\200"},
	/* 'x y'::varchar */
	{1043, "782079", "x y"},
	/* 'ab'::char(5)::bpchar */
	{1042, "6162202020", "ab   "},
	/* 'pg_class'::name */
	{19, "70675f636c617373", "pg_class"},
	/* 'a'::"char" */
	{18, "61", "a"},
	/* ''::"char" */
	{18, "00", ""},
	/* '\200'::"char" */
	{18, "80", "\\200"},
	/* ''::bytea */
	{17, "", "\\x"},
	/* '\xdeadbeef00'::bytea */
	{17, "deadbeef00", "\\xdeadbeef00"},
	/* '{"b":1,  "a":[1,2]}'::json */
	{114, "7b2262223a312c20202261223a5b312c325d7d", "{\"b\":1,  \"a\":[1,2]}"},
	/* '{"b":1, "aa":[1,2], "a": null}'::jsonb */
	{3802, "017b2261223a206e756c6c2c202262223a20312c20226161223a205b312c20325d7d", "{\"a\": null, \"b\": 1, \"aa\": [1, 2]}"},
	/* '"x"'::jsonb */
	{3802, "01227822", "\"x\""},
	/* '<a>b</a>'::xml */
	{142, "3c613e623c2f613e", "<a>b</a>"},
	/* 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid */
	{2950, "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
	/* '10101010'::bit(8) */
	{1560, "00000008aa", "10101010"},
	/* ''::varbit */
	{1562, "00000000", ""},
	/* '1010101010101'::varbit */
	{1562, "0000000daaa8", "1010101010101"},
	/* '2000-01-01'::date */
	{1082, "00000000", "2000-01-01"},
	/* '1999-12-07'::date */
	{1082, "ffffffe7", "1999-12-07"},
	/* '0044-03-15 BC'::date */
	{1082, "fff49d7b", "0044-03-15 BC"},
	/* '4713-11-24 BC'::date */
	{1082, "ffda9915", "4713-11-24 BC"},
	/* '5874897-12-31'::date */
	{1082, "7fda970c", "5874897-12-31"},
	/* 'infinity'::date */
	{1082, "7fffffff", "infinity"},
	/* '-infinity'::date */
	{1082, "80000000", "-infinity"},
	/* '2024-02-29'::date */
	{1082, "00002279", "2024-02-29"},
	/* '0001-01-01'::date */
	{1082, "fff4dbf9", "0001-01-01"},
	/* '0001-12-31 BC'::date */
	{1082, "fff4dbf8", "0001-12-31 BC"},
	/* '10000-01-01'::date */
	{1082, "002c95d4", "10000-01-01"},
	/* '00:00:00'::time */
	{1083, "0000000000000000", "00:00:00"},
	/* '24:00:00'::time */
	{1083, "000000141dd76000", "24:00:00"},
	/* '23:59:59.999999'::time */
	{1083, "000000141dd75fff", "23:59:59.999999"},
	/* '01:02:03.0001'::time */
	{1083, "00000000dde87924", "01:02:03.0001"},
	/* '12:34:56.789-05'::timetz */
	{1266, "0000000a8be6260800004650", "12:34:56.789-05"},
	/* '10:00:00+05:30'::timetz */
	{1266, "0000000861c46800ffffb2a8", "10:00:00+05:30"},
	/* '10:00:00+05:30:15'::timetz */
	{1266, "0000000861c46800ffffb299", "10:00:00+05:30:15"},
	/* '00:00:00+00'::timetz */
	{1266, "000000000000000000000000", "00:00:00+00"},
	/* '10:00:00-00:00:01'::timetz */
	{1266, "0000000861c4680000000001", "10:00:00-00:00:01"},
	/* '2000-01-01 00:00:00'::timestamp */
	{1114, "0000000000000000", "2000-01-01 00:00:00"},
	/* '1999-12-31 23:59:59.999999'::timestamp */
	{1114, "ffffffffffffffff", "1999-12-31 23:59:59.999999"},
	/* '0044-03-15 12:00:00 BC'::timestamp */
	{1114, "ff1af9e8fb46d000", "0044-03-15 12:00:00 BC"},
	/* '294276-12-31 23:59:59.999999'::timestamp */
	{1114, "7fffff5bb3b29fff", "294276-12-31 23:59:59.999999"},
	/* '4713-11-24 00:00:00 BC'::timestamp */
	{1114, "fd0f9983eb0ae000", "4713-11-24 00:00:00 BC"},
	/* 'infinity'::timestamp */
	{1114, "7fffffffffffffff", "infinity"},
	/* '-infinity'::timestamp */
	{1114, "8000000000000000", "-infinity"},
	/* '1970-01-01 00:00:00.5'::timestamp */
	{1114, "fffca2fec4cfc120", "1970-01-01 00:00:00.5"},
	/* '2000-01-01 00:00:00+00'::timestamptz */
	{1184, "0000000000000000", "2000-01-01 00:00:00+00"},
	/* '2020-06-01 12:00:00+02'::timestamptz */
	{1184, "00024a01a067c800", "2020-06-01 10:00:00+00"},
	/* '0044-03-15 12:00:00+00 BC'::timestamptz */
	{1184, "ff1af9e8fb46d000", "0044-03-15 12:00:00+00 BC"},
	/* 'infinity'::timestamptz */
	{1184, "7fffffffffffffff", "infinity"},
	/* '1900-01-01 00:00:00.123456+00'::timestamptz */
	{1184, "fff4c9ee7c0d6240", "1900-01-01 00:00:00.123456+00"},
	/* '0'::interval */
	{1186, "00000000000000000000000000000000", "00:00:00"},
	/* '1 year 2 months 3 days 04:05:06.789'::interval */
	{1186, "000000036c97ca88000000030000000e", "1 year 2 mons 3 days 04:05:06.789"},
	/* '-1 year -2 mons +3 days -04:05:06'::interval */
	{1186, "fffffffc93743f8000000003fffffff2", "-1 years -2 mons +3 days -04:05:06"},
	/* '1 day -1 hour'::interval */
	{1186, "ffffffff296c5c000000000100000000", "1 day -01:00:00"},
	/* '-1 day +1 hour'::interval */
	{1186, "00000000d693a400ffffffff00000000", "-1 days +01:00:00"},
	/* '-1 year'::interval */
	{1186, "000000000000000000000000fffffff4", "-1 years"},
	/* '1 mon'::interval */
	{1186, "00000000000000000000000000000001", "1 mon"},
	/* '-0.5 sec'::interval */
	{1186, "fffffffffff85ee00000000000000000", "-00:00:00.5"},
	/* '1000000 hours'::interval */
	{1186, "000cca2e513100000000000000000000", "1000000:00:00"},
	/* '2147483647 days'::interval */
	{1186, "00000000000000007fffffff00000000", "2147483647 days"},
	/* '-13 months'::interval */
	{1186, "000000000000000000000000fffffff3", "-1 years -1 mons"},
	/* '-00:00:00.000001'::interval */
	{1186, "ffffffffffffffff0000000000000000", "-00:00:00.000001"},
	/* '{}'::text[] */
	{1009, "000000000000000000000019", "{}"},
	/* '{a,"b c"}'::text[] */
	{1009, "0000000100000000000000190000000200000001000000016100000003622063", "{a,\"b c\"}"},
	/* '{"",NULL,"NULL","null",x}'::text[] */
	{1009, "000000010000000100000019000000050000000100000000ffffffff000000044e554c4c000000046e756c6c0000000178", "{\"\",NULL,\"NULL\",\"null\",x}"},
	/* '{"a\"b","c\\d","{x}","a,b"," lead"}'::text[] */
	{1009, "00000001000000000000001900000005000000010000000361226200000003635c64000000037b787d00000003612c6200000005206c656164", "{\"a\\\"b\",\"c\\\\d\",\"{x}\",\"a,b\",\" lead\"}"},
	/* '{{a,b},{c,d}}'::text[] */
	{1009, "000000020000000000000019000000020000000100000002000000010000000161000000016200000001630000000164", "{{a,b},{c,d}}"},
	/* '[0:1]={a,b}'::text[] */
	{1009, "000000010000000000000019000000020000000000000001610000000162", "[0:1]={a,b}"},
	/* '[2:3][-1:0]={{a,b},{c,d}}'::text[] */
	{1009, "000000020000000000000019000000020000000200000002ffffffff0000000161000000016200000001630000000164", "[2:3][-1:0]={{a,b},{c,d}}"},
	/* '{1,NULL,-3}'::int4[] */
	{1007, "00000001000000010000001700000003000000010000000400000001ffffffff00000004fffffffd", "{1,NULL,-3}"},
	/* '{1.5,NaN}'::numeric[] */
	{1231, "0000000100000000000006a400000002000000010000000c0002000000000001000113880000000800000000c0000000", "{1.5,NaN}"},
	/* '{"\\x00ff"}'::bytea[] */
	{1001, "00000001000000000000001100000001000000010000000200ff", "{\"\\\\x00ff\"}"},
	/* '{t,f}'::bool[] */
	{1000, "000000010000000000000010000000020000000100000001010000000100", "{t,f}"},
	/* '{2000-01-01,"0044-03-15 BC"}'::date[] */
	{1182, "00000001000000000000043a0000000200000001000000040000000000000004fff49d7b", "{2000-01-01,\"0044-03-15 BC\"}"},
	/* '{"2000-01-01 10:00:00+00"}'::timestamptz[] */
	{1185, "0000000100000000000004a00000000100000001000000080000000861c46800", "{\"2000-01-01 10:00:00+00\"}"},
	/* '{"1 day","-1 year"}'::interval[] */
	{1187, "0000000100000000000004a20000000200000001000000100000000000000000000000010000000000000010000000000000000000000000fffffff4", "{\"1 day\",\"-1 years\"}"},
	/* '{1.5,-0,1e100}'::float8[] */
	{1022, "0000000100000000000002bd0000000300000001000000083ff80000000000000000000880000000000000000000000854b249ad2594c37d", "{1.5,-0,1e+100}"},
	/* ARRAY['{"a": 1}'::jsonb]::jsonb[] */
	{3807, "000000010000000000000eda000000010000000100000009017b2261223a20317d", "{\"{\\\"a\\\": 1}\"}"},
	/* '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid[] */
	{2951, "000000010000000000000b86000000010000000100000010a0eebc999c0b4ef8bb6d6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"},
	/* '{"x y",z}'::varchar[] */
	{1015, "000000010000000000000413000000020000000100000003782079000000017a", "{\"x y\",z}"},
	/* '{{1,2},{3,4}}'::int8[] */
	{1016, "00000002000000000000001400000002000000010000000200000001000000080000000000000001000000080000000000000002000000080000000000000003000000080000000000000004", "{{1,2},{3,4}}"},
};

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

TEST(golden_values)
{
	uint8_t bin[512];
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < sizeof golden / sizeof *golden; i++) {
		size_t n = unhex(golden[i].hex, bin);
		buf_reset(&out);
		bool ok = pgtext_format(&out, golden[i].oid, bin, n);
		if (!ok || out.len != strlen(golden[i].text) || memcmp(out.data, golden[i].text, out.len) != 0) {
			printf("# type %u, binary %s\n", golden[i].oid, golden[i].hex);
			CHECK(ok);
			CHECK_STR(buf_cstr(&out), golden[i].text);
		}
	}
	buf_free(&out);
}

/* the text of hex h as type oid, or NULL when refused (out must then be untouched) */
static const char *render(buf *out, uint32_t oid, const char *h)
{
	uint8_t bin[512];
	size_t n = unhex(h, bin);
	buf_reset(out);
	buf_puts(out, "keep");
	if (!pgtext_format(out, oid, bin, n))
		return out->len == 4 && memcmp(out->data, "keep", 4) == 0 ? NULL : "(out modified)";
	return buf_cstr(out) + 4;
}

TEST(appends_to_existing_content)
{
	buf out;
	buf_init(&out);
	CHECK_STR(render(&out, PGOID_INT4, "0000002a"), "42");
	CHECK_STR(buf_cstr(&out), "keep42");
	buf_free(&out);
}

TEST(malformed_values_refused)
{
	buf out;
	buf_init(&out);
	static const struct {
		uint32_t oid;
		const char *hex;
	} bad[] = {
		{PGOID_BOOL, ""},
		{PGOID_BOOL, "0101"},
		{PGOID_INT2, "000000"},
		{PGOID_INT4, "000000"},
		{PGOID_INT8, "00000000"},
		{PGOID_FLOAT4, "00000000000000"},
		{PGOID_FLOAT8, "00000000"},
		{PGOID_NUMERIC, "000100000000"},             /* shorter than its header */
		{PGOID_NUMERIC, "0001000000000000"},         /* one digit announced, none given */
		{PGOID_NUMERIC, "00010000000000002710"},     /* digit 10000 */
		{PGOID_NUMERIC, "0000000012340000"},         /* unknown sign */
		{PGOID_NUMERIC, "00010000c00000000001"},     /* NaN with digits */
		{PGOID_JSONB, ""},
		{PGOID_JSONB, "027b7d"},                     /* unknown jsonb version */
		{PGOID_DATE, "000000"},
		{PGOID_TIME, "0000001423f10001"},            /* 24:00:00.000001 */
		{PGOID_TIME, "ffffffffffffffff"},
		{PGOID_TIMETZ, "0000000000000000"},          /* zone missing */
		{PGOID_TIMESTAMP, "00"},
		{PGOID_INTERVAL, "0000000000000000000000000000"},
		{PGOID_UUID, "a0eebc999c0b4ef8bb6d6bb9bd380a"},
		{PGOID_BIT, "0000000901"},                   /* 9 bits in one byte */
		{PGOID_VARBIT, "ffffffff"},
		{PGOID_CHAR, "6162"},
		{1009, "00000001000000000000001900000002000000010000000161"},          /* one element missing */
		{1009, "000000010000000000000019000000010000000100000005616263"},     /* element overruns */
		{1009, "000000010000000000000019000000010000000100000001616263"},     /* trailing bytes */
		{1009, "00000007000000000000001900000001"},                           /* 7 dimensions */
		{1009, "ffffffff000000000000001900000001"},                           /* negative dimensions */
		{1009, "000000010000000200000019000000010000000100000001612"},        /* bad flags */
		{1007, "000000010000000000000017000000010000000100000002aaaa"},       /* int4 element of 2 bytes */
		{1009, "0000000100000000"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *r = render(&out, bad[i].oid, bad[i].hex);
		if (r) {
			printf("# type %u, binary %s accepted as \"%s\"\n", bad[i].oid, bad[i].hex, r);
			CHECK(r == NULL);
		}
	}
	buf_free(&out);
}

TEST(unknown_types_are_their_bytes)
{
	buf out;
	buf_init(&out);
	/* an enum label (user type OID) and type 0 */
	CHECK_STR(render(&out, 16390, "617661696c61626c65"), "available");
	CHECK_STR(render(&out, 0, "6f6363757069656420"), "occupied ");
	CHECK_STR(render(&out, PGOID_UNKNOWN, "78"), "x");
	buf_free(&out);
}

TEST(arrays_of_user_types)
{
	/* {available,"out of order",NULL} of an enum with OID 16390 */
	uint8_t bin[128];
	size_t n = unhex("00000001000000010000400600000003000000010000000961766169"
	                 "6c61626c650000000c6f7574206f66206f72646572ffffffff",
	                 bin);
	buf out;
	buf_init(&out);
	CHECK(pgtext_format(&out, 16391, bin, n)); /* the array OID is unknown too: bytes */
	CHECK(out.len == n);
	buf_reset(&out);
	CHECK(pgtext_format_array(&out, bin, n));
	CHECK_STR(buf_cstr(&out), "{available,\"out of order\",NULL}");
	buf_reset(&out);
	CHECK(!pgtext_format_array(&out, bin, n - 1));
	CHECK(out.len == 0);
	buf_free(&out);
}

TEST(empty_dimension_is_empty_array)
{
	buf out;
	buf_init(&out);
	CHECK_STR(render(&out, 1007, "0000000100000000000000170000000000000001"), "{}");
	buf_free(&out);
}

TEST(numeric_negative_zero_prints_as_server_stores_it)
{
	buf out;
	buf_init(&out);
	/* sign negative, no digits, dscale 2: numeric_recv makes it 0.00 */
	CHECK_STR(render(&out, PGOID_NUMERIC, "0000000040000002"), "0.00");
	/* a digit group of zero with sign negative */
	CHECK_STR(render(&out, PGOID_NUMERIC, "00010000400000000000"), "0");
	buf_free(&out);
}

TEST(type_tables)
{
	CHECK(pgtext_array_elem(1009) == PGOID_TEXT);
	CHECK(pgtext_array_elem(1231) == PGOID_NUMERIC);
	CHECK(pgtext_array_elem(3807) == PGOID_JSONB);
	CHECK(pgtext_array_elem(PGOID_TEXT) == 0);
	CHECK(pgtext_array_elem(0) == 0);
	CHECK(pgtext_array_of(PGOID_TIMESTAMPTZ) == 1185);
	CHECK(pgtext_array_of(PGOID_UNKNOWN) == 0);
	CHECK(pgtext_array_of(12345) == 0);
	CHECK(pgtext_known(PGOID_INTERVAL));
	CHECK(pgtext_known(1187));
	CHECK(!pgtext_known(16390));
	CHECK(!pgtext_known(0));
	CHECK(pgtext_is_textlike(PGOID_VARCHAR));
	CHECK(pgtext_is_textlike(PGOID_BPCHAR));
	CHECK(!pgtext_is_textlike(PGOID_JSONB));
	CHECK(!pgtext_is_textlike(PGOID_BYTEA));
}

int main(void)
{
	RUN(golden_values);
	RUN(appends_to_existing_content);
	RUN(malformed_values_refused);
	RUN(unknown_types_are_their_bytes);
	RUN(arrays_of_user_types);
	RUN(empty_dimension_is_empty_array);
	RUN(numeric_negative_zero_prints_as_server_stores_it);
	RUN(type_tables);
	return test_done();
}
