-- types_expected.sql: the PostgreSQL side of the type corpus (tests/corpus/types.sql).
-- Table types_expected has the columns of `types` with the types of the default type map
-- (format_type() spelling) and, row for row, the values row-convert must produce: the test
-- compares row-convert's output with COPY (SELECT * FROM types_expected ORDER BY id) TO
-- STDOUT (FORMAT binary) byte for byte, and the column types with format_type().
-- Literals carry explicit UTC offsets, so the session time zone does not matter.
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
DROP TABLE IF EXISTS types_expected;
CREATE TABLE types_expected (
	id integer,
	c_tinyint smallint,
	c_tinyint_u smallint,
	c_bool boolean,
	c_smallint smallint,
	c_smallint_u integer,
	c_mediumint integer,
	c_mediumint_u integer,
	c_int integer,
	c_int_u bigint,
	c_bigint bigint,
	c_bigint_u numeric(20,0),
	c_dec numeric(65,30),
	c_dec2 numeric(10,2),
	c_dec0 numeric(5,0),
	c_float real,
	c_double double precision,
	c_date date,
	c_datetime timestamp(0) with time zone,
	c_datetime6 timestamp(6) with time zone,
	c_timestamp timestamp(3) with time zone,
	c_time interval,
	c_time6 interval,
	c_year smallint,
	c_bit1 boolean,
	c_bit12 bit(12),
	c_bit64 bit(64),
	c_enum text,
	c_set text[],
	c_json jsonb,
	c_char character(5),
	c_varchar character varying(20),
	c_text text,
	c_latin1 character varying(20),
	c_ascii character varying(10),
	c_utf8mb3 character varying(10),
	c_binary bytea,
	c_varbinary bytea,
	c_blob bytea,
	c_geom bytea,
	c_point bytea,
	c_uuid uuid,
	c_inet6 inet,
	c_inet4 inet
);

INSERT INTO types_expected (id) VALUES (1);

INSERT INTO types_expected VALUES (2, 12, 200, true, -1234, 60000, -8000000, 16000000, -2000000000, 4000000000,
	-9000000000000000000, 18000000000000000000, 12345.678900000000000000000000000001, -1.50, 42,
	'1.5', '0.1', '2024-02-29', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05.123456+00',
	'2024-01-02 03:04:05.678+00', '12:34:56', '-01:02:03.000004', 2024, true, B'101000000011',
	B'0000000000000000000000000000000000000000000000000000000000001010', 'medium', '{a,c}', '{"b": 1, "a": [1.0, 2e2, -0, 1.5E-3], "aa": null, "bb": true}',
	'ab', 'hello world', 'some text', 'café', 'plain', 'déjà vu', '\x00010203', '\xcafe',
	'\x00ff00ff',
	'\x0103000000010000000400000000000000000000000000000000000000000000000000F03F0000000000000000000000000000F03F000000000000F03F00000000000000000000000000000000',
	'\x0101000000000000000000F83F00000000000000C0',
	'123e4567-e89b-12d3-a456-426655440000', '2001:db8::1', '192.168.0.1');

INSERT INTO types_expected VALUES (3, -128, 0, false, -32768, 0, -8388608, 0, -2147483648, 0,
	-9223372036854775808, 0, -99999999999999999999999999999999999.999999999999999999999999999999,
	-99999999.99, 0, '-3.40282e38', '-1.7976931348623157e308', '1000-01-01', '1000-01-01 00:00:00+00',
	'1000-01-01 00:00:00+00', '1970-01-01 00:00:01+00', '-838:59:59', '-838:59:59', 1901,
	false, B'000000000000', B'0000000000000000000000000000000000000000000000000000000000000000', 'small', '{}', '[]', '', '', '', '', '', '', '\x00000000', '\x', '\x',
	'\x01020000000200000000000000000000000000000000000000000000000000F03F000000000000F03F',
	'\x010100000000000000000000000000000000000000', '00000000-0000-0000-0000-000000000000', '::',
	'0.0.0.0');

INSERT INTO types_expected VALUES (4, 127, 255, true, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
	9223372036854775807, 18446744073709551615,
	99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99, 99999,
	'3.40282e38', '1.7976931348623157e308', '9999-12-31', '9999-12-31 23:59:59+00',
	'9999-12-31 23:59:59.999999+00', '2038-01-19 03:14:07.999+00', '838:59:59', '838:59:59', 2155,
	true, B'111111111111', B'1111111111111111111111111111111111111111111111111111111111111111', 'large', '{a,b,c}', '{}', 'zzzzz', 'zzzzzzzzzzzzzzzzzzzz',
	repeat('x', 1000), repeat('z', 20), 'zzzzzzzzzz', 'zzzzzzzzzz', '\xffffffff', '\xffffffffffffffffffff',
	decode(repeat('ff', 1000), 'hex'),
	-- SRID 4326 is not the column's (0): kept in the value as PostGIS EWKB
	'\x0101000020e6100000000000000000f03f0000000000000040',
	'\x01010000009C7500883CE437FE9C7500883CE4377E',
	'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
	'255.255.255.255');

INSERT INTO types_expected VALUES (5, 0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0.000000000000000000000000000001, 0.01, 0,
	'0', '5e-324', '2000-01-01', '2000-01-01 00:00:00+00', '1999-12-31 23:59:59.999999+00',
	'2000-01-01 00:00:00.001+00', '00:00:00', '-00:00:00.000001', 0, false, B'000000000001',
	B'0000000000000000000000000000000000000000000000000000000000000001', 'small', '{b}', '0', '', ' x ', '', '', '', '', '\x00000000', '\x00', '\x00',
	'\x010100000000000000000000000000000000000000',
	'\x01010000000000000000000000000000000000E03F', '00000000-0000-0000-0000-000000000001',
	'::ffff:1.2.3.4', '127.0.0.1');

INSERT INTO types_expected (id, c_char, c_varchar, c_text, c_latin1, c_ascii, c_utf8mb3, c_json, c_enum, c_set)
VALUES (6, 'ñé', E'tab\there ', E'quote '' dq " bs \\ nl \n cr \r 😀 ∑',
	E'\u20ac\u0081\u201a\u0192\u008d\u008f\u0090\u009d\u017e\u00ff\u00e9', 'a\b"c', '日本語',
	'"\u00e9\n\u001f/\ud83d\ude00"', 'large', '{a,c}');

INSERT INTO types_expected (id, c_json) VALUES (7,
	'{"zz": {"b": [1, {"y": 2, "x": 1}], "a": -1.0e-2}, "a": 1E+2, "é": "\"q\"\\", "": [], "b": 12345678901234567890.5}');
INSERT INTO types_expected (id, c_json) VALUES (8, '  [ 1 , "two" , null , true , false , 0.0001e4 , -0.0 ]  ');
INSERT INTO types_expected (id, c_json) VALUES (9, '"a string scalar"');
INSERT INTO types_expected (id, c_json) VALUES (10, '3.14159');

INSERT INTO types_expected (id, c_datetime, c_datetime6, c_date) VALUES (11, '2024-03-31 02:30:00+00',
	'2024-10-27 02:30:00.5+00', '1582-10-10');

-- tz_cases converted with --timezone Europe/Berlin
DROP TABLE IF EXISTS tz_expected;
CREATE TABLE tz_expected (id integer, dt timestamp(3) with time zone);
INSERT INTO tz_expected VALUES
	(1, '2024-01-15 11:00:00+00'),
	(2, '2024-07-15 10:00:00+00'),
	(3, '2024-03-31 01:30:00+00'),
	(4, '2024-10-27 00:30:00.25+00'),
	(5, '2024-10-27 02:00:00+00'),
	(6, '0999-12-31 23:06:32+00'),
	(7, '9999-12-31 22:59:59.999+00');
