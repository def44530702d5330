#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# names: names PostgreSQL refuses, or that collide with the tools' own state, on real servers.
#
# One rule (common/pgname.h), followed by my-schema and pg-load: a column named like a system
# column (xmin, ctid, tableoid, ...) gets '_' appended until no other column has its name; a
# schema derived from a database named pg_... or rowstream gets the prefix my_. The tools'
# own state (schema rowstream, marked with a comment) never shares a namespace with user data.
#
# The databases pg_hotel and rowstream are fixed names on the MariaDB side: they are dropped
# before and after each test that makes them.

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	T=$BATS_TEST_TMPDIR
	cd "$T" || return 1
	MYDB=mysql my_sql "DROP DATABASE IF EXISTS pg_hotel" "DROP DATABASE IF EXISTS rowstream"
}

teardown() {
	MYDB=mysql my_sql "DROP DATABASE IF EXISTS pg_hotel" "DROP DATABASE IF EXISTS rowstream"
}

# apply FILE to the test's PostgreSQL database, stopping at the first error
apply() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$PGDB" -f "$1"
}

# my-schema --section SECTION [ARGS...] DB > FILE, then apply FILE
schema_apply() {
	local file=$1
	shift
	"$BIN/my-schema" "$@" >"$file" && apply "$file"
}

# migrate DB.TABLE [MY-EXTRACT-ARGS... [-- PG-LOAD-ARGS...]]: my-extract | row-convert | pg-load;
# the status of the last stage that failed (as with pipefail)
migrate() {
	local src=$1
	shift
	local -a e=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do e+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	local st s rc=0
	"$BIN/my-extract" "${e[@]}" "$src" | "$BIN/row-convert" -q | "$BIN/pg-load" -q "$@"
	st=("${PIPESTATUS[@]}")
	for s in "${st[@]}"; do [ "$s" -eq 0 ] || rc=$s; done
	return "$rc"
}

# copy SCHEMA.TABLE PG-LOAD-ARGS...: pg-extract | pg-load
copy() {
	local src=$1 st
	shift
	"$BIN/pg-extract" "$src" | "$BIN/pg-load" -q "$@"
	st=("${PIPESTATUS[@]}")
	[ "${st[0]}" -eq 0 ] || return "${st[0]}"
	return "${st[1]}"
}

# the verification of row-checksum(1): both sides' digests, which must be equal
checksum_mysql() { "$BIN/my-extract" "$1" | "$BIN/row-convert" -q | "$BIN/row-checksum" -q; }
checksum_pg() { "$BIN/pg-extract" "$1" | "$BIN/row-checksum" -q; }

# the test table: system column names, one of them also with '_' already taken
system_columns_table() { # DB
	my_sql "CREATE TABLE \`$1\`.sys (id int PRIMARY KEY, xmin int, ctid varchar(20), tableoid bigint,
	                                 xmin_ text, XMAX int NOT NULL DEFAULT 7)" \
		"INSERT INTO \`$1\`.sys VALUES (1, 10, 'a', 100, 'x', 1), (2, NULL, 'b', NULL, NULL, 2),
		                                (3, -3, '', 300, 'it''s', 3)"
}

pg_columns() { # SCHEMA.TABLE
	pg_sql "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
	        WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped"
}

@test "columns named like system columns: pre-data applies, the renames are reported, one rule" {
	system_columns_table "$MYDB"
	run -0 schema_apply "$T/pre.sql" --section pre-data --report="$T/report" "$MYDB"
	assert_equal "$(pg_columns "$MYDB.sys")" "id,xmin__,ctid_,tableoid_,xmin_,xmax_"
	run -0 cat "$T/report"
	assert_line "APPROXIMATE    column sys.xmin: xmin is a PostgreSQL system column name, named xmin__ (pg-load loads the stream's column xmin into it)"
	assert_line --partial "column sys.ctid: ctid is a PostgreSQL system column name, named ctid_"
	assert_line --partial "column sys.tableoid: tableoid is a PostgreSQL system column name, named tableoid_"
	assert_line --partial "column sys.XMAX: XMAX is a PostgreSQL system column name, named xmax_"
	refute_line --partial "column sys.xmin_:"
	assert_line "# 0 not converted, 4 converted approximately"
	# --identifiers preserve: the same rule, case kept
	run -0 "$BIN/my-schema" --section pre-data --identifiers preserve --schema pres "$MYDB"
	assert_output --partial '"xmin__" integer'
	assert_output --partial '"XMAX_" integer'
	# a view's columns keep their names: views have no system columns
	my_sql "CREATE VIEW \`$MYDB\`.v AS SELECT id, xmin, ctid FROM \`$MYDB\`.sys"
	run -0 schema_apply "$T/all.sql" --schema v2 "$MYDB"
	assert_equal "$(pg_columns v2.v)" "id,xmin,ctid"
	assert_equal "$(pg_sql "SELECT count(*) FROM v2.v")" 0
}

@test "pg-load loads xmin into the renamed column; both sides' checksums are equal; post-data applies" {
	system_columns_table "$MYDB"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	migrate "$MYDB.sys"
	run -0 pg_sql "SELECT id, xmin__, ctid_, tableoid_, xmin_, xmax_ FROM $MYDB.sys ORDER BY id"
	assert_output "1|10|a|100|x|1
2||b|||2
3|-3||300|it's|3"
	schema_apply "$T/post.sql" --section post-data "$MYDB"
	a=$(checksum_mysql "$MYDB.sys")
	b=$(checksum_pg "$MYDB.sys")
	[ -n "$a" ]
	assert_equal "$a" "$b"
	# the source's column list, as scripts/verify gives it to both sides, names the renamed columns
	local cols=id,xmin,ctid,tableoid,xmin_,XMAX
	assert_equal "$("$BIN/pg-extract" --columns "$cols" "$MYDB.sys" | "$BIN/row-checksum" -q)" \
		"$("$BIN/my-extract" --columns "$cols" "$MYDB.sys" | "$BIN/row-convert" -q | "$BIN/row-checksum" -q)"
	assert_equal "$("$BIN/pg-extract" --columns "$cols" "$MYDB.sys" | "$BIN/row-checksum" -q)" "$a"
	run -2 "$BIN/pg-extract" --columns id,xmin "$MYDB.sys"
	assert_output --partial "--columns: 'xmin' is named like a PostgreSQL system column, and several columns of"
	run -0 "$BIN/pg-extract" --columns id,ctid "$MYDB.sys"
	# --diff agrees, row by row
	run -0 "$BIN/row-checksum" --diff <("$BIN/my-extract" "$MYDB.sys" | "$BIN/row-convert" -q) \
		<("$BIN/pg-extract" "$MYDB.sys")
	# a changed value in a renamed column is a difference
	pg_sql "UPDATE $MYDB.sys SET xmin__ = 11 WHERE id = 1"
	assert_not_equal "$(checksum_pg "$MYDB.sys")" "$a"
}

@test "a stream without the column that took a name is refused, never loaded into the wrong column" {
	system_columns_table "$MYDB"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	# without xmin_, the stream's xmin may be xmin_ or xmin__: refused, nothing loaded
	run -5 --separate-stderr migrate "$MYDB.sys" --columns id,xmin
	[[ "$stderr" == *"stream column 'xmin' is named like a PostgreSQL system column, and several columns of"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM $MYDB.sys")" 0
	# on the MySQL side names are the MySQL names: no rename is ever looked for
	my_sql "CREATE TABLE plain (id int PRIMARY KEY, xmin_ int)"
	run -2 "$BIN/my-extract" --columns id,xmin "$MYDB.plain"
	assert_output --partial "has no column 'xmin'"
	# ctid has one candidate: loaded
	run -0 migrate "$MYDB.sys" --columns id,ctid,xmin_
	assert_equal "$(pg_sql "SELECT string_agg(id || ':' || ctid_ || ':' || coalesce(xmin_, '-'), ' ' ORDER BY id) FROM $MYDB.sys")" \
		"1:a:x 2:b:- 3::it's"
}

@test "pg-load --describe gives row-convert the rules of renamed columns under the stream's names too" {
	system_columns_table "$MYDB"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	# a hand-tuned target: other types than the default map's
	pg_sql "ALTER TABLE $MYDB.sys ALTER tableoid_ TYPE numeric(20,0), ALTER xmax_ TYPE bigint"
	run -0 "$BIN/pg-load" --describe "$MYDB.sys"
	assert_line 'cast "tableoid_" numeric(20,0)'
	assert_line 'cast "tableoid" numeric(20,0)'
	assert_line 'cast "xmax" bigint'
	# xmin__ or xmin_ may be xmin's: no rule under the name xmin
	refute_line --partial 'cast "xmin" '
	echo "$output" >"$T/rules"
	run -5 migrate "$MYDB.sys"
	"$BIN/my-extract" "$MYDB.sys" | "$BIN/row-convert" -q --rules "$T/rules" | "$BIN/pg-load" -q
	assert_equal "$(pg_sql "SELECT tableoid_, xmax_ FROM $MYDB.sys WHERE id = 3")" "300|3"
	assert_equal "$("$BIN/my-extract" "$MYDB.sys" | "$BIN/row-convert" -q --rules "$T/rules" | "$BIN/row-checksum" -q)" \
		"$(checksum_pg "$MYDB.sys")"
}

@test "fk-check --source-fks checks a foreign key between renamed columns" {
	my_sql "CREATE TABLE parent (xmin int PRIMARY KEY)" "INSERT INTO parent VALUES (1), (2)" \
		"CREATE TABLE child (id int PRIMARY KEY, ctid int, FOREIGN KEY (ctid) REFERENCES parent (xmin))" \
		"INSERT INTO child VALUES (10, 1), (11, 2), (12, NULL)"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	migrate "$MYDB.parent"
	migrate "$MYDB.child"
	run -0 --separate-stderr "$BIN/fk-check" --pg --source-fks "$MYDB" "$MYDB"
	[[ "$stderr" != *missing* ]]
	# an orphan on the PostgreSQL side (no constraint yet: before post-data)
	pg_sql "INSERT INTO $MYDB.child VALUES (13, 3)"
	run -1 --separate-stderr "$BIN/fk-check" --pg --source-fks "$MYDB" "$MYDB"
	assert_output --partial "(ctid_)=(3) not in $MYDB.parent(xmin_)"
	# post-data adds the key on the renamed columns
	pg_sql "DELETE FROM $MYDB.child WHERE id = 13"
	schema_apply "$T/post.sql" --section post-data "$MYDB"
	assert_equal "$(pg_sql "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '$MYDB.child'::regclass AND contype = 'f'")" \
		"FOREIGN KEY (ctid_) REFERENCES $MYDB.parent(xmin_) ON UPDATE RESTRICT ON DELETE RESTRICT"
}

@test "pg-load --create names system-column names by the same rule" {
	system_columns_table "$MYDB"
	run -0 migrate "$MYDB.sys" -- --create public.made
	# (pg-load --create keeps the stream's case: XMAX is "XMAX_")
	assert_equal "$(pg_columns public.made)" "id,xmin__,ctid_,tableoid_,xmin_,XMAX_"
	assert_equal "$(pg_sql "SELECT xmin__ FROM public.made WHERE id = 3")" -3
	assert_equal "$(checksum_mysql "$MYDB.sys")" "$(checksum_pg public.made)"
}

@test "a database named pg_hotel: schema my_pg_hotel, loaded by default, checksums equal" {
	MYDB=mysql my_sql "CREATE DATABASE pg_hotel"
	MYDB=pg_hotel my_sql "CREATE TABLE rooms (id int PRIMARY KEY, name varchar(20))" \
		"INSERT INTO rooms VALUES (1, 'sea'), (2, 'garden')"
	system_columns_table pg_hotel
	run -0 schema_apply "$T/pre.sql" --section pre-data --report="$T/report" pg_hotel
	run -0 cat "$T/report"
	assert_line "# my-schema report: MySQL database \`pg_hotel\` -> PostgreSQL schema my_pg_hotel"
	assert_line --partial "schema: pg_hotel is a name PostgreSQL reserves (pg_), named my_pg_hotel"
	# pg-load's default target: the stream's database, renamed by the same rule
	migrate pg_hotel.rooms
	migrate pg_hotel.sys
	schema_apply "$T/post.sql" --section post-data pg_hotel
	assert_equal "$(pg_sql "SELECT string_agg(name, ',' ORDER BY id) FROM my_pg_hotel.rooms")" "sea,garden"
	assert_equal "$(checksum_mysql pg_hotel.rooms)" "$(checksum_pg my_pg_hotel.rooms)"
	assert_equal "$(checksum_mysql pg_hotel.sys)" "$(checksum_pg my_pg_hotel.sys)"
	assert_equal "$(pg_sql "SELECT string_agg(target_schema || '.' || target_table, ' ' ORDER BY target_table) FROM rowstream.checkpoints")" \
		"my_pg_hotel.rooms my_pg_hotel.sys"
	# the MySQL name given as the target: pg-load says where the tables are
	run -5 --separate-stderr migrate pg_hotel.rooms -- -v pg_hotel.rooms
	[[ "$stderr" == *"schema pg_hotel: my-schema names the schema of a MySQL database pg_hotel my_pg_hotel"* ]]
	# scripts/verify finds the schema by the same rule (my-schema --print-schema)
	run -0 "$BIN/my-schema" --print-schema pg_hotel
	assert_output my_pg_hotel
	run -0 "$REPO_ROOT/scripts/verify" --mysql-option=--socket="$MYSQL_UNIX_PORT" --mysql-option=--user=root \
		--json "$T/v.json" pg_hotel
	assert_output --partial "verify: all 2 tables match"
	run -0 grep -F '"schema": "my_pg_hotel"' "$T/v.json"
	# an explicit --schema is never renamed: refused
	run -2 "$BIN/my-schema" --schema pg_x pg_hotel
	assert_output --partial "--schema pg_x: PostgreSQL reserves schema names starting with pg_"
}

@test "a database named rowstream: pre-data, pipeline, post-data, then a second table loaded" {
	MYDB=mysql my_sql "CREATE DATABASE rowstream"
	# the worst case: a table named like pg-load's own
	MYDB=rowstream my_sql \
		"CREATE TABLE checkpoints (target_schema varchar(20), target_table varchar(20), n int, PRIMARY KEY (target_schema, target_table))" \
		"INSERT INTO checkpoints VALUES ('a', 'b', 1), ('c', 'd', 2)" \
		"CREATE TABLE t (id int PRIMARY KEY, v text)" "INSERT INTO t VALUES (1, 'one')"
	run -0 schema_apply "$T/pre.sql" --section pre-data --report="$T/report" rowstream
	run -0 cat "$T/report"
	assert_line --partial "schema: rowstream is the schema of the tools' own state, named my_rowstream"
	run -0 grep -c rowstream\\. "$T/pre.sql"
	refute_output 0
	run -1 grep -E '(^|[^_])rowstream\.' "$T/pre.sql"
	migrate rowstream.checkpoints
	migrate rowstream.t
	schema_apply "$T/post.sql" --section post-data rowstream
	# a second table, from another database, after all that
	my_sql "CREATE TABLE second (id int PRIMARY KEY)" "INSERT INTO second VALUES (1), (2), (3)"
	schema_apply "$T/pre2.sql" --section pre-data "$MYDB"
	migrate "$MYDB.second"
	assert_equal "$(pg_sql "SELECT count(*) FROM $MYDB.second")" 3
	assert_equal "$(pg_sql "SELECT string_agg(target_schema || '.' || target_table || '=' || rows_loaded, ' ' ORDER BY target_schema, target_table) FROM rowstream.checkpoints")" \
		"my_rowstream.checkpoints=2 my_rowstream.t=1 $MYDB.second=3"
	assert_equal "$(checksum_mysql rowstream.checkpoints)" "$(checksum_pg my_rowstream.checkpoints)"
	assert_equal "$(checksum_mysql rowstream.t)" "$(checksum_pg my_rowstream.t)"
	# resuming still reads the right checkpoint
	run -0 "$BIN/pg-load" --checkpoint my_rowstream.t
	assert_output 1
	# the state schema carries the tools' mark
	assert_equal "$(pg_sql "SELECT obj_description('rowstream'::regnamespace, 'pg_namespace')")" \
		"rowstream: state of the MySQL to PostgreSQL tools, see pg-load(1)"
	run -2 "$BIN/my-schema" --schema rowstream rowstream
	assert_output --partial "--schema rowstream: the tools keep their own state in that schema"
	run -2 "$BIN/my-schema" --schema RowStream rowstream
}

@test "pg-load never loads rows into the tools' state schema" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY)" "INSERT INTO t VALUES (1)"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	migrate "$MYDB.t"
	run -5 --separate-stderr copy "$MYDB.t" rowstream.checkpoints
	[[ "$stderr" == *"table rowstream.checkpoints is in schema rowstream, which holds the tools' own state"* ]]
	run -5 --separate-stderr copy "$MYDB.t" --create rowstream.mine
	[[ "$stderr" == *"cannot create table rowstream.mine: schema rowstream holds the tools' own state"* ]]
	run -5 --separate-stderr copy "$MYDB.t" --create ROWSTREAM.mine
	assert_equal "$(pg_sql "SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'rowstream'::regnamespace AND relkind = 'r'")" \
		checkpoints
	assert_equal "$(pg_sql "SELECT count(*) FROM rowstream.checkpoints")" 1
}

@test "a schema rowstream that the tools did not make is named, not met as an obscure error" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY)" "INSERT INTO t VALUES (1)"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	# e.g. an older my-schema's conversion of a MySQL database rowstream
	pg_sql "CREATE SCHEMA rowstream" "CREATE TABLE rowstream.checkpoints (target_schema text, target_table text, n int)"
	run -5 --separate-stderr migrate "$MYDB.t"
	[[ "$stderr" == *"[target] schema rowstream exists but was not created by the tools"* ]]
	run -5 --separate-stderr "$BIN/pg-load" --checkpoint "$MYDB.t"
	[[ "$stderr" == *"schema rowstream exists but was not created by the tools"* ]]
	assert_equal "$(pg_sql "SELECT count(*) FROM $MYDB.t")" 0
	# without checkpoints, the state schema is not used at all
	run -0 migrate "$MYDB.t" -- --no-checkpoint
	assert_equal "$(pg_sql "SELECT count(*) FROM $MYDB.t")" 1
}

@test "a state schema made by an earlier pg-load (no mark, its checkpoints table's comment) is still used" {
	my_sql "CREATE TABLE t (id int PRIMARY KEY)" "INSERT INTO t VALUES (1), (2)"
	schema_apply "$T/pre.sql" --section pre-data "$MYDB"
	migrate "$MYDB.t"
	pg_sql "COMMENT ON SCHEMA rowstream IS NULL" "TRUNCATE $MYDB.t" "DELETE FROM rowstream.checkpoints"
	migrate "$MYDB.t"
	run -0 "$BIN/pg-load" --checkpoint "$MYDB.t"
	assert_output 2
}
