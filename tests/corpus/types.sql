-- types.sql: the MariaDB side of the type corpus (see types_expected.sql for the
-- PostgreSQL side). Table `types` has one column per MySQL type and one row per
-- edge case; every value converts (row-convert exits 0). Table `types_rejects`
-- holds values that row-convert refuses by default, one per row.
-- Load with: mariadb DB < types.sql
SET NAMES utf8mb4;
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
SET SESSION time_zone = '+00:00';

DROP TABLE IF EXISTS types;
CREATE TABLE types (
	id int PRIMARY KEY,
	c_tinyint tinyint,
	c_tinyint_u tinyint unsigned,
	c_bool tinyint(1),
	c_smallint smallint,
	c_smallint_u smallint unsigned,
	c_mediumint mediumint,
	c_mediumint_u mediumint unsigned,
	c_int int,
	c_int_u int unsigned,
	c_bigint bigint,
	c_bigint_u bigint unsigned,
	c_dec decimal(65,30),
	c_dec2 decimal(10,2),
	c_dec0 decimal(5,0) unsigned,
	c_float float,
	c_double double,
	c_date date,
	c_datetime datetime,
	c_datetime6 datetime(6),
	c_timestamp timestamp(3) NULL DEFAULT NULL,
	c_time time,
	c_time6 time(6),
	c_year year,
	c_bit1 bit(1),
	c_bit12 bit(12),
	c_bit64 bit(64),
	c_enum enum('small','medium','large'),
	c_set set('a','b','c'),
	c_json json,
	c_char char(5),
	c_varchar varchar(20),
	c_text text,
	c_latin1 varchar(20) CHARACTER SET latin1,
	c_ascii varchar(10) CHARACTER SET ascii,
	c_utf8mb3 varchar(10) CHARACTER SET utf8mb3,
	c_binary binary(4),
	c_varbinary varbinary(10),
	c_blob blob,
	c_geom geometry,
	c_point point,
	c_uuid uuid,
	c_inet6 inet6,
	c_inet4 inet4
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- 1: every column NULL
INSERT INTO types (id) VALUES (1);

-- 2: ordinary values
INSERT INTO types VALUES (2, 12, 200, 1, -1234, 60000, -8000000, 16000000, -2000000000, 4000000000,
	-9000000000000000000, 18000000000000000000, 12345.678900000000000000000000000001, -1.50, 42,
	1.5, 0.1, '2024-02-29', '2024-01-02 03:04:05', '2024-01-02 03:04:05.123456',
	'2024-01-02 03:04:05.678', '12:34:56', '-01:02:03.000004', 2024, b'1', b'101000000011',
	b'1010', 'medium', 'a,c', '{"b": 1, "a": [1.0, 2e2, -0, 1.5E-3], "aa": null, "bb": true}',
	'ab', 'hello world', 'some text', 'café', 'plain', 'déjà vu', x'00010203', x'cafe',
	x'00ff00ff', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'), POINT(1.5, -2),
	'123e4567-e89b-12d3-a456-426655440000', '2001:db8::1', '192.168.0.1');

-- 3: minimum values
INSERT INTO types VALUES (3, -128, 0, 0, -32768, 0, -8388608, 0, -2147483648, 0,
	-9223372036854775808, 0, -99999999999999999999999999999999999.999999999999999999999999999999,
	-99999999.99, 0, -3.40282e38, -1.7976931348623157e308, '1000-01-01', '1000-01-01 00:00:00',
	'1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000', '-838:59:59', '-838:59:59.000000', 1901,
	b'0', b'0', b'0', 'small', '', '[]', '', '', '', '', '', '', x'00000000', x'', x'',
	ST_GeomFromText('LINESTRING(0 0,1 1)'), POINT(0, 0), '00000000-0000-0000-0000-000000000000', '::',
	'0.0.0.0');

-- 4: maximum values
INSERT INTO types VALUES (4, 127, 255, 1, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
	9223372036854775807, 18446744073709551615,
	99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99, 99999,
	3.40282e38, 1.7976931348623157e308, '9999-12-31', '9999-12-31 23:59:59',
	'9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '838:59:59', '838:59:59.000000', 2155,
	b'1', b'111111111111', 18446744073709551615, 'large', 'a,b,c', '{}', 'zzzzz', 'zzzzzzzzzzzzzzzzzzzz',
	REPEAT('x', 1000), REPEAT('z', 20), 'zzzzzzzzzz', 'zzzzzzzzzz', x'ffffffff', x'ffffffffffffffffffff',
	REPEAT(x'ff', 1000), ST_GeomFromText('POINT(1 2)', 4326), POINT(-1e300, 1e300),
	'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
	'255.255.255.255');

-- 5: zeros, tiny fractions, empty strings
INSERT INTO types VALUES (5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.000000000000000000000000000001, 0.01, 0,
	-0e0, 5e-324, '2000-01-01', '2000-01-01 00:00:00', '1999-12-31 23:59:59.999999',
	'2000-01-01 00:00:00.001', '00:00:00', '-00:00:00.000001', 0, b'0', b'000000000001',
	b'1', 'small', 'b', '0', ' ', ' x ', '', '', '', '', x'', x'00', x'00',
	ST_GeomFromText('POINT(0 0)'), POINT(0, 0.5), '00000000-0000-0000-0000-000000000001',
	'::ffff:1.2.3.4', '127.0.0.1');

-- 6: text that needs care: quotes, backslashes, control characters, non-ASCII, emoji,
-- cp1252 bytes of latin1 (0x80 euro, 0x81 undefined -> U+0081), trailing spaces
INSERT INTO types (id, c_char, c_varchar, c_text, c_latin1, c_ascii, c_utf8mb3, c_json, c_enum, c_set)
VALUES (6, 'ñé', 'tab\there ', 'quote '' dq " bs \\ nl \n cr \r 😀 ∑',
	_latin1 x'808182838d8f909d9effe9', 'a\\b"c', '日本語', '"\\u00e9\\n\\u001f/\\ud83d\\ude00"',
	'large', 'c,a');

-- 7: JSON that PostgreSQL normalises: key order, numbers, escapes, nesting (duplicate keys are a
-- policy class: row-convert.bats)
INSERT INTO types (id, c_json) VALUES (7,
	'{"zz": {"b": [1, {"y": 2, "x": 1}], "a": -1.0e-2}, "a": 1E+2, "é": "\\"q\\"\\\\", "": [], "b": 12345678901234567890.5}');
INSERT INTO types (id, c_json) VALUES (8, '  [ 1 , "two" , null , true , false , 0.0001e4 , -0.0 ]  ');
INSERT INTO types (id, c_json) VALUES (9, '"a string scalar"');
INSERT INTO types (id, c_json) VALUES (10, '3.14159');

-- 11: date and time values near DST transitions (UTC by default: no change)
INSERT INTO types (id, c_datetime, c_datetime6, c_date) VALUES (11, '2024-03-31 02:30:00',
	'2024-10-27 02:30:00.500000', '1582-10-10');

DROP TABLE IF EXISTS types_rejects;
CREATE TABLE types_rejects (
	id int PRIMARY KEY,
	d date,
	dt datetime,
	b tinyint(1),
	t varchar(10),
	j json
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO types_rejects VALUES
	(1, '0000-00-00', NULL, NULL, NULL, NULL),   -- zero date
	(2, '2024-00-15', NULL, NULL, NULL, NULL),   -- partial date
	(3, NULL, '0000-00-00 00:00:00', NULL, NULL, NULL), -- zero datetime
	(4, '2024-02-30', NULL, NULL, NULL, NULL),   -- invalid date: always refused
	(5, NULL, NULL, 2, NULL, NULL),              -- tinyint(1) that is not 0 or 1
	(6, NULL, NULL, NULL, 'a\0b', NULL),         -- NUL in text
	(7, NULL, NULL, NULL, NULL, '"\\u0000"'),    -- \u0000: jsonb cannot hold it
	(8, '2024-05-06', '2024-05-06 07:08:09', 1, 'ok', '{"ok": true}');

-- DATETIME values in a time zone with DST (converted with --timezone Europe/Berlin)
DROP TABLE IF EXISTS tz_cases;
CREATE TABLE tz_cases (id int PRIMARY KEY, dt datetime(3)) ENGINE=InnoDB;
INSERT INTO tz_cases VALUES
	(1, '2024-01-15 12:00:00.000'),  -- winter, +01
	(2, '2024-07-15 12:00:00.000'),  -- summer, +02
	(3, '2024-03-31 02:30:00.000'),  -- in the spring gap: shifted forward to 03:30 +02
	(4, '2024-10-27 02:30:00.250'),  -- in the autumn fold: the first occurrence, +02
	(5, '2024-10-27 03:00:00.000'),  -- just after the fold, +01
	(6, '1000-01-01 00:00:00.000'),  -- local mean time, +00:53:28
	(7, '9999-12-31 23:59:59.999');  -- far future, +01
