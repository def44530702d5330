#!/usr/bin/env bats
# pg-extract: a PostgreSQL table as a row stream whose values are binary COPY's bytes.

bats_require_minimum_version 1.5.0

load helpers
load tools

setup_file() {
	servers_start
	tools_build
}

teardown_file() {
	servers_stop
}

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
}

types_table() {
	pg_sql "CREATE SCHEMA hotel" \
		"CREATE TYPE hotel.status AS ENUM ('free', 'busy', 'out of order')" \
		"CREATE TABLE hotel.rooms (
			id int PRIMARY KEY, name text NOT NULL, price numeric(10,2), st hotel.status,
			seen timestamptz, day date, doc jsonb, tags text[], raw bytea, f float8, small int2,
			big int8, flag boolean, u uuid, dur interval, code char(3), v varchar(20),
			g int GENERATED ALWAYS AS (id * 2) STORED)" \
		"INSERT INTO hotel.rooms (id, name, price, st, seen, day, doc, tags, raw, f, small, big, flag, u, dur, code, v) VALUES
			(1, 'alpha', 12.50, 'free', '2024-05-06 07:08:09.123456+02', '2024-05-06', '{\"b\": [1, 2], \"a\": null}',
			 '{x,\"y z\"}', '\\x00ff10', 1.5, -3, 9007199254740993, true,
			 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 02:03:04', 'ab', 'vé'),
			(2, '', NULL, 'out of order', NULL, '1999-12-31', '[]', '{}', '', -0.25, 0, -1, false, NULL, '-1 mon', NULL, ''),
			(3, 'tab	and
newline', -0.00, NULL, '1970-01-01 00:00:00+00', NULL, '\"é\"', NULL, NULL, 1e300, NULL, NULL, NULL, NULL, NULL, 'xyz', NULL),
			(-7, 'neg', 99999999.99, 'busy', 'infinity', '-infinity', '1', '{NULL}', '\\x', 'NaN', 32767, 0, NULL, NULL, '0', '', NULL)"
}

@test "the header comes from the catalog: types, OIDs, NOT NULL, key, enum labels" {
	types_table
	"$BIN/pg-extract" hotel.rooms >r.rs
	run -0 "$BIN/row-cat" --header-only r.rs
	assert_line "domain: postgresql"
	assert_line "table: hotel.rooms"
	assert_line "meta: source=postgresql"
	assert_line "meta: database=$PGDB"
	assert_line --regexp '^meta: server_version=15'
	assert_line "column: id type=integer code=23 key=1 not-null"
	assert_line "column: name type=text code=25 not-null"
	assert_line "column: price type=numeric(10,2) code=1700"
	assert_line "column: st type=hotel.status code=0 member=free member=busy member=out of order"
	assert_line "column: seen type=timestamp with time zone code=1184"
	assert_line "column: tags type=text[] code=1009"
	assert_line "column: code type=character(3) code=1042"
	assert_line "column: v type=character varying(20) code=1043"
	assert_line "column: g type=integer code=23 generated"
}

@test "values are binary COPY's: their text is PostgreSQL's own text output" {
	types_table
	# row-cat renders PG-domain values with pgtext; COPY text is the server's output
	pg_sql "SET TimeZone = 'UTC'" "COPY (SELECT * FROM hotel.rooms ORDER BY id) TO STDOUT" >want.tsv
	"$BIN/pg-extract" hotel.rooms | "$BIN/row-cat" --tsv --no-header >got.tsv
	[ "$(wc -l <want.tsv)" -eq 4 ]
	diff want.tsv got.tsv
}

@test "a round trip through pg-load gives the same table, and the same digest" {
	types_table
	pg_sql "CREATE SCHEMA copy"
	"$BIN/pg-extract" hotel.rooms >r.rs
	"$BIN/pg-load" -q --create copy.rooms <r.rs
	run -0 pg_sql "SELECT count(*) FROM (SELECT * FROM hotel.rooms EXCEPT ALL SELECT * FROM copy.rooms) a" \
		"SELECT count(*) FROM (SELECT * FROM copy.rooms EXCEPT ALL SELECT * FROM hotel.rooms) b"
	assert_output "$(printf '0\n0')"
	[ "$("$BIN/pg-extract" copy.rooms | "$BIN/row-checksum")" = "$("$BIN/row-checksum" r.rs)" ]
}

@test "rows come in primary-key order; --after, --until, --limit, --where pick a range" {
	pg_sql "CREATE TABLE k (a int, b text, n int, PRIMARY KEY (a, b))" \
		"INSERT INTO k SELECT i % 3, 'x,' || i, i FROM generate_series(1, 30) i"
	"$BIN/pg-extract" k | "$BIN/row-cat" --no-header >all.csv
	pg_sql "COPY (SELECT * FROM k ORDER BY a, b) TO STDOUT (FORMAT csv)" >want.csv
	diff want.csv all.csv
	run -0 pipe_range --after '1,"x,13"' --until '2,"x,11"'
	assert_output "$(pg_sql "COPY (SELECT * FROM k WHERE (a, b) > (1, 'x,13') AND (a, b) <= (2, 'x,11') ORDER BY a, b) TO STDOUT (FORMAT csv)")"
	run -0 pipe_range --after '0,"x,9"' --limit 2
	assert_output "$(pg_sql "COPY (SELECT * FROM k WHERE (a, b) > (0, 'x,9') ORDER BY a, b LIMIT 2) TO STDOUT (FORMAT csv)")"
	[ "${#lines[@]}" -eq 2 ]
	run -0 pipe_range --where 'n % 10 = 0'
	assert_output "$(printf '0,"x,30",30\n1,"x,10",10\n2,"x,20",20')"
	run -2 --separate-stderr "$BIN/pg-extract" --after 1 k
	[[ $stderr == *"--after: key '1' has 1 value, the primary key of \"public\".\"k\" has 2 columns"* ]]
}

@test "--unordered: the rows as the server reads them, the same set and digest as in key order" {
	# keys inserted backwards: the heap's order is not the key's
	pg_sql "CREATE TABLE u (id int PRIMARY KEY, v text)" "INSERT INTO u SELECT i, 'v' || i FROM generate_series(2000, 1, -1) i"
	run -0 bash -c "'$BIN/pg-extract' --unordered u | '$BIN/row-cat' --no-header | head -n 1"
	assert_output "2000,v2000"
	# the stream declares no key (rowstream(5): keyed rows come in key order), so that blocks whose
	# last keys go down are a valid stream
	run -0 bash -c "'$BIN/pg-extract' --unordered --block-bytes 4096 u | '$BIN/row-checksum' -q"
	assert_output "$("$BIN/pg-extract" u | "$BIN/row-checksum" -q)"
	run -0 bash -c "'$BIN/pg-extract' u | '$BIN/row-cat' --header-only"
	assert_output --partial " key=1"
	run -0 bash -c "'$BIN/pg-extract' --unordered u | '$BIN/row-cat' --header-only"
	refute_output --partial " key="
	run -0 bash -c "'$BIN/pg-extract' u | '$BIN/row-cat' --no-header | head -n 1"
	assert_output "1,v1"
	[ "$("$BIN/pg-extract" --unordered u | "$BIN/row-checksum" -q)" = "$("$BIN/pg-extract" u | "$BIN/row-checksum" -q)" ]
	# a range: the same rows
	diff <("$BIN/pg-extract" --unordered --after 10 --until 20 u | "$BIN/row-cat" --no-header | sort) \
		<("$BIN/pg-extract" --after 10 --until 20 u | "$BIN/row-cat" --no-header | sort)
	run -2 --separate-stderr "$BIN/pg-extract" --unordered --limit 3 u
	assert_equal "$stderr" "pg-extract: --limit and --unordered: which rows a limit keeps depends on their order"
}

pipe_range() { "$BIN/pg-extract" "$@" k | "$BIN/row-cat" --no-header; }

@test "--columns chooses and orders columns; the key stays only with all its columns" {
	pg_sql 'CREATE TABLE "Mixed" (id int PRIMARY KEY, "Name" text, "a,b" int)' \
		"INSERT INTO \"Mixed\" VALUES (1, 'one', 10), (2, 'two', 20)"
	run -0 cols_of --columns '"a,b",name,ID' mixed
	assert_output "$(printf '"a,b",Name,id\n10,one,1\n20,two,2')"
	"$BIN/pg-extract" --columns '"a,b",Name' Mixed >nokey.rs
	run -0 "$BIN/row-cat" --header-only nokey.rs
	refute_output --partial 'key='
	run -2 --separate-stderr "$BIN/pg-extract" --columns id,nope Mixed
	[[ $stderr == *"--columns: table \"public\".\"Mixed\" has no column 'nope'"* ]]
	run -2 "$BIN/pg-extract" --columns id,ID Mixed
}

cols_of() { "$BIN/pg-extract" "$@" | "$BIN/row-cat"; }

@test "table names: bare, quoted, case-insensitive when unique, ambiguous, missing" {
	pg_sql 'CREATE TABLE "Rooms" (id int PRIMARY KEY)' 'CREATE TABLE "rooms2" (id int PRIMARY KEY)' \
		'CREATE TABLE "Dup" (id int)' 'CREATE TABLE "dup" (id int)' 'INSERT INTO "Dup" VALUES (1)' 'INSERT INTO dup VALUES (2)' \
		'CREATE SCHEMA "S.x"' 'CREATE TABLE "S.x"."t.y" (id int)' 'INSERT INTO "S.x"."t.y" VALUES (5)'
	run -0 cols_of rooms
	run -0 cols_of '"Rooms"'
	run -4 --separate-stderr "$BIN/pg-extract" '"rooms"'
	[[ $stderr == *'[source] table "rooms" not found'* ]]
	run -0 cols_of dup # the exact match wins
	assert_output "$(printf 'id\n2')"
	run -0 cols_of '"Dup"'
	assert_output "$(printf 'id\n1')"
	run -4 --separate-stderr "$BIN/pg-extract" DUP
	[[ $stderr == *'table name DUP is ambiguous: public.Dup and public.dup (quote it)'* ]]
	run -0 cols_of '"S.x"."t.y"'
	assert_output "$(printf 'id\n5')"
	# the one rule of pg-load and fk-check too (pgcatalog.h): a schema matches as a table
	# does; without one, the schemas of the search path in order
	pg_sql 'CREATE SCHEMA "Sp"' 'CREATE TABLE "Sp"."Only" (id int)' 'INSERT INTO "Sp"."Only" VALUES (9)'
	run -0 cols_of sp.only
	assert_output "$(printf 'id\n9')"
	run -4 --separate-stderr "$BIN/pg-extract" '"sp".only'
	[[ $stderr == *'[source] table "sp".only not found'* ]]
	run -4 "$BIN/pg-extract" ONLY
	PGOPTIONS='-c search_path=public,"Sp"' run -0 cols_of ONLY
	assert_output "$(printf 'id\n9')"
	pg_sql 'CREATE SCHEMA "SP"'
	run -4 --separate-stderr "$BIN/pg-extract" sp.only
	[[ $stderr == *'[source] schema name sp is ambiguous: SP and Sp (quote it)'* ]]
	run -0 cols_of '"Sp".only'
	run -4 "$BIN/pg-extract" public.nothing
	run -2 "$BIN/pg-extract" '"unterminated'
	run -2 "$BIN/pg-extract" a.b.c
}

@test "long bytea and text values are read in pieces and stream through in bounded memory" {
	pg_sql "CREATE TABLE big (id int PRIMARY KEY, b bytea, t text, v varchar)" \
		"INSERT INTO big SELECT g, decode(repeat(md5(g::text), 300000 + g), 'hex'),
		        repeat('ğü€x', 2000000 + g), CASE WHEN g = 2 THEN repeat('z', 5000000) END
		 FROM generate_series(1, 3) g" \
		"INSERT INTO big VALUES (4, '', '', NULL), (5, NULL, 'small', 'v')" \
		"CREATE TABLE big_nokey AS SELECT * FROM big"
	# pieces of 1 MB: many per value (the values are TOAST-compressed, each read in one query)
	PG_EXTRACT_PIECE_BYTES=1000000 /usr/bin/time -f '%M' -o rss "$BIN/pg-extract" -v big >big.rs 2>err
	grep -q '7 long values .* read in pieces' err
	[ "$(tail -n 1 rss)" -lt 60000 ]
	[ "$(pg_sql "SELECT count(*) FROM big WHERE pg_column_size(t) < octet_length(t) / 2")" -eq 3 ]
	# the same with the default pieces, and from a table without a key (found again by ctid)
	"$BIN/pg-extract" big >big16.rs
	cmp big.rs big16.rs
	PG_EXTRACT_PIECE_BYTES=1000000 /usr/bin/time -f '%M' -o rss "$BIN/pg-extract" -v big_nokey >nokey.rs 2>err
	grep -q '7 long values .* read in pieces' err
	[ "$("$BIN/row-checksum" big.rs)" = "$("$BIN/row-checksum" nokey.rs)" ]
	# a view has no ctid: its values come whole, the same digest
	pg_sql "CREATE VIEW big_view AS SELECT * FROM big"
	[ "$("$BIN/row-checksum" big.rs)" = "$("$BIN/pg-extract" big_view | "$BIN/row-checksum")" ]
	run -2 env PG_EXTRACT_PIECE_BYTES=0 "$BIN/pg-extract" big
	# and pg-load puts back the same bytes
	"$BIN/pg-load" -q --create big_copy <big.rs
	run -0 pg_sql "SELECT count(*) FROM big a JOIN big_copy b USING (id)
	               WHERE a.b IS NOT DISTINCT FROM b.b AND a.t IS NOT DISTINCT FROM b.t AND a.v IS NOT DISTINCT FROM b.v"
	assert_output 5
	# 3 rows of 10 MB, 8 MB and 5 MB values, without a key too: far less than the table's 60 MB
	[ "$(tail -n 1 rss)" -lt 60000 ]
}

@test "--zstd and --block-bytes change the stream, not the values" {
	pg_sql "CREATE TABLE t AS SELECT i AS id, repeat('x', i % 50) AS s FROM generate_series(1, 5000) i" \
		"ALTER TABLE t ADD PRIMARY KEY (id)"
	"$BIN/pg-extract" t >plain.rs
	"$BIN/pg-extract" --zstd=5 --block-bytes 4096 t >z.rs
	[ "$(stat -c %s z.rs)" -lt "$(stat -c %s plain.rs)" ]
	[ "$("$BIN/row-checksum" --ordered plain.rs)" = "$("$BIN/row-checksum" --ordered z.rs)" ]
	run -2 "$BIN/pg-extract" --zstd=30 t
	run -2 "$BIN/pg-extract" --block-bytes 10 t
	# one minimum for every tool's blocks (4096), sizes with a suffix
	run -2 --separate-stderr "$BIN/pg-extract" --block-bytes 4095 t
	[[ $stderr == *"invalid --block-bytes '4095' (4096 to 33554432 bytes, or with a K, M or G suffix)"* ]]
	cmp z.rs <("$BIN/pg-extract" --zstd=5 --block-bytes 4K t)
	run -2 "$BIN/pg-extract" --limit 1K t
}

@test "integer keys merge in --diff: an out-of-order stream is an error" {
	pg_sql "CREATE TABLE n (id int PRIMARY KEY, v text)" "INSERT INTO n SELECT i, 'v' || i FROM generate_series(1, 20) i" \
		"CREATE TABLE n2 (id int PRIMARY KEY, v text)" "INSERT INTO n2 SELECT * FROM n" \
		"UPDATE n2 SET v = 'changed' WHERE id = 7" "DELETE FROM n2 WHERE id = 15" "INSERT INTO n2 VALUES (21, 'new')"
	"$BIN/pg-extract" n >a.rs
	run -1 --separate-stderr "$BIN/row-checksum" --diff a.rs <("$BIN/pg-extract" n2)
	assert_output "$(printf '< 7 v=v7\n> 7 v=changed\n< 15 id=15 v=v15\n> 15 (missing)\n< 21 (missing)\n> 21 id=21 v=new')"
	# rs-gen's --dup gives row 11 the key 3: back in key order, which a merge cannot take
	run -3 --separate-stderr "$BIN/row-checksum" --diff <("$TOOLS/rs-gen" --rows 20) <("$TOOLS/rs-gen" --rows 20 --dup 11=3)
	[[ $stderr == *"is not in key order at row 11 (key 3)"* ]]
	# in order, the last of 200000 rows missing: found, and memory stays small (a merge)
	local rc=0
	/usr/bin/time -f %M -o rss "$BIN/row-checksum" --diff <("$TOOLS/rs-gen" --rows 200000) \
		<("$TOOLS/rs-gen" --rows 199999) >out || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat out)" "$(printf '%s\n' '< 200000 id=200000 t="row 200000, \"quoted\" é" b="\\x" n=600000' '> 200000 (missing)')"
	[ "$(tail -n 1 rss)" -lt 30000 ]
}

@test "arrays of enums: the database's element type OID is not part of the digest" {
	pg_sql "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')" \
		"CREATE TABLE m (id int PRIMARY KEY, moods mood[])" \
		"INSERT INTO m VALUES (1, '{ok,happy}'), (2, '{}'), (3, NULL), (4, '{{sad,ok},{happy,NULL}}')"
	"$BIN/pg-extract" m >a.rs
	# a producer that does not know the target's OIDs writes 0 as the element type
	"$TOOLS/pg2rs" --zero-elem public.m >z.rs
	[ "$("$BIN/row-checksum" a.rs)" = "$("$BIN/row-checksum" z.rs)" ]
	run -0 "$BIN/row-checksum" --diff a.rs z.rs
	# a real change still shows
	pg_sql "UPDATE m SET moods = '{ok,sad}' WHERE id = 1"
	run -1 --separate-stderr "$BIN/row-checksum" --diff z.rs <("$BIN/pg-extract" m)
	assert_output "$(printf '< 1 moods={ok,happy}\n> 1 moods={ok,sad}')"
}

@test "errors: connection, usage, terminal" {
	run -4 --separate-stderr "$BIN/pg-extract" -d "host=/nonexistent dbname=x" t
	[[ $stderr == *"[source] unable to connect to"* ]]
	run -2 "$BIN/pg-extract"
	run -2 "$BIN/pg-extract" a b
	run -2 "$BIN/pg-extract" --limit -1 t
	run -0 "$BIN/pg-extract" --help
	assert_line --index 0 'usage: pg-extract [-d conninfo] [-q | -v] [-f] [--columns column[,column...]]'
	# binary is not written to a terminal (script(1) gives the command one)
	run -2 script -qec "$BIN/pg-extract some_table" /dev/null
	assert_output --partial 'stdout is a terminal, refusing to write a binary row stream'
}

snapshot_sum() { "$BIN/pg-extract" --snapshot "$1" t | "$BIN/row-checksum"; }

@test "--snapshot reads what an exported snapshot saw, after the table changed" {
	pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text)" "INSERT INTO t VALUES (1, 'one'), (2, 'two')"
	before=$("$BIN/pg-extract" t | "$BIN/row-checksum")
	pg_session_open holder
	pg_session holder "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT 'snap=' || pg_export_snapshot();"
	pg_session_wait holder '^snap='
	snap=$(sed -n 's/^snap=//p' "$BATS_TEST_TMPDIR/holder.out")
	pg_sql "UPDATE t SET v = 'changed' WHERE id = 2" "INSERT INTO t VALUES (3, 'three')"
	now=$("$BIN/pg-extract" t | "$BIN/row-checksum")
	[ "$now" != "$before" ]
	run -0 snapshot_sum "$snap"
	assert_output "$before"
	[[ $before == 'rows 2 '* ]]
	pg_session holder "COMMIT;"
	pg_session_close holder
	# the export ended with its transaction
	run -4 --separate-stderr "$BIN/pg-extract" --snapshot "$snap" t
	[[ $stderr == *"[source] unable to execute 'SET TRANSACTION SNAPSHOT"*"22023 invalid snapshot identifier"* ]]
	run -4 --separate-stderr "$BIN/pg-extract" --snapshot "not-a-snapshot" t
}
