#!/usr/bin/env bats
# verify (scripts/verify) and the tools under it on a real migration: my-schema, my-extract |
# row-convert | pg-load, then both sides read back. A faithful copy verifies; a changed value, a
# missing row, an extra row, NULL swapped with '' are each found and the diff names the row;
# JSON spelled differently in MySQL is not a difference; orphans are found on both sides.

bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	servers_start
}

teardown_file() {
	servers_stop
}

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
	MYOPTS=(--socket "$MYSQL_UNIX_PORT" --user root)
	VOPTS=(--mysql-option=--socket="$MYSQL_UNIX_PORT" --mysql-option=--user=root)
}

verify() { "$REPO_ROOT/scripts/verify" "${VOPTS[@]}" "$@"; }

# source tables: every kind of value, JSON in several spellings, NULL and '', a text key,
# a composite key, an empty table, a name that needs quoting
source_db() {
	my_sql "CREATE TABLE guest (id int PRIMARY KEY, name varchar(40), note text, doc json,
		   price decimal(10,2), seen datetime(6), flag tinyint(1), big bigint unsigned, f double,
		   raw varbinary(16), kind enum('a','b c'), tags set('x','y'))" \
		"INSERT INTO guest VALUES
		   (1, 'alice', 'x', '{\"b\": 1, \"a\": [1, 2]}', 12.50, '2024-01-02 03:04:05.678901', 1,
		    18446744073709551615, 1.5, x'00ff', 'a', 'x,y'),
		   (2, 'bob', NULL, '{ \"a\" : [1,2] , \"b\":1 }', NULL, NULL, 0, 0, -0.25, '', 'b c', ''),
		   (3, '', '', '[1, \"é\", null, {\"z\":0.50,\"y\":1e2}]', -0.01, '1999-12-31 23:59:59', NULL, 5, 1e300,
		    NULL, NULL, NULL),
		   (4, 'tab	new
line', 'say \"hi\"', 'true', 0, '2000-01-01', 1, 1, 0, x'', 'a', 'y')" \
		"CREATE TABLE code (code varchar(10) PRIMARY KEY, label text)" \
		"INSERT INTO code VALUES ('b', 'B'), ('A', 'a'), ('a,b', 'comma'), ('Z', NULL)" \
		"CREATE TABLE stay (guest_id int, night date, room int, PRIMARY KEY (guest_id, night),
		   CONSTRAINT fk_stay_guest FOREIGN KEY (guest_id) REFERENCES guest (id))" \
		"INSERT INTO stay VALUES (1, '2024-01-01', 101), (1, '2024-01-02', 101), (2, '2024-02-01', NULL)" \
		"CREATE TABLE empty_one (id int PRIMARY KEY, v int)" \
		'CREATE TABLE `Odd Name` (`Key` int PRIMARY KEY, `a,b` varchar(5))' \
		'INSERT INTO `Odd Name` VALUES (1, "x"), (2, NULL)'
}

# migrate [TABLE...]: pre-data, data, post-data (psql's errors in post-data are shown, not fatal)
migrate() {
	local t tables=("$@")
	"$BIN/my-schema" -q "${MYOPTS[@]}" --section pre-data "$MYDB" | pg_sql >/dev/null
	if [ "${#tables[@]}" -eq 0 ]; then
		mapfile -t tables < <(my_sql "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
	fi
	for t in "${tables[@]}"; do
		"$BIN/pg-load" -q --describe "$MYDB.$t" >"rules.$t"
		"$BIN/my-extract" -q "${MYOPTS[@]}" "$MYDB.\`$t\`" | "$BIN/row-convert" -q --rules "rules.$t" |
			"$BIN/pg-load" -q "$MYDB.$t"
	done
	"$BIN/my-schema" -q "${MYOPTS[@]}" --section post-data "$MYDB" |
		psql -X -q -d "$PGDB" >/dev/null 2>post-data.err || true
}

@test "a faithful migration verifies: report table, JSON, exit 0" {
	source_db
	migrate
	run -0 verify --json report.json "$MYDB"
	assert_line --index 0 --regexp '^table +rows mysql +rows pg +checksum +orphans mysql/pg$'
	assert_line --regexp '^guest +4 +4 +match +0/0$'
	assert_line --regexp '^code +4 +4 +match +0/0$'
	assert_line --regexp '^stay +3 +3 +match +0/0$'
	assert_line --regexp '^empty_one +0 +0 +match +0/0$'
	assert_line --regexp '^Odd Name +2 +2 +match +0/0$'
	assert_line "verify: all 5 tables match, no orphans"
	# the JSON report is JSON (PostgreSQL parses it) and says the same
	run -0 pg_sql "SELECT r->>'ok', jsonb_array_length(r->'tables'),
	                      (SELECT string_agg(t->>'table' || '=' || (t->>'rows_pg') || '/' || (t->>'status'), ' ' ORDER BY t->>'table')
	                         FROM jsonb_array_elements(r->'tables') t)
	               FROM (SELECT \$j\$$(cat report.json)\$j\$::jsonb AS r) x"
	assert_output "true|5|Odd Name=2/ok code=4/ok empty_one=0/ok guest=4/ok stay=3/ok"
	# the digests in the report are what row-checksum prints for each side
	want=$("$BIN/pg-extract" "$MYDB.guest" | "$BIN/row-checksum")
	grep -q "\"digest_pg\": \"${want##* }\"" report.json
}

@test "JSON spelled differently in MySQL is not a difference" {
	source_db
	migrate guest
	# PostgreSQL holds one spelling: keys sorted, its own spacing
	run -0 pg_sql "SELECT id, doc::text FROM \"$MYDB\".guest WHERE id <= 2 ORDER BY id"
	assert_output "$(printf '1|{"a": [1, 2], "b": 1}\n2|{"a": [1, 2], "b": 1}')"
	a=$("$BIN/my-extract" -q "${MYOPTS[@]}" "$MYDB.guest" | "$BIN/row-convert" -q --rules <("$BIN/pg-load" --describe "$MYDB.guest") | "$BIN/row-checksum")
	b=$("$BIN/pg-extract" "$MYDB.guest" | "$BIN/row-checksum")
	assert_equal "$a" "$b"
	run -0 verify --tables guest "$MYDB"
	# a real change in a document is a difference
	pg_sql "UPDATE \"$MYDB\".guest SET doc = '{\"a\": [1, 2], \"b\": 2}' WHERE id = 2"
	run -1 verify --tables guest --diff-dir diffs "$MYDB"
	assert_line --regexp '^guest +4 +4 +DIFFER +0/0$'
	run -0 cat diffs/guest.diff
	assert_output "$(printf '%s\n' '< 2 doc="{\"a\": [1, 2], \"b\": 1}"' '> 2 doc="{\"a\": [1, 2], \"b\": 2}"')"
}

# the source and target streams of a table, for row-checksum --diff
src() { "$BIN/my-extract" -q "${MYOPTS[@]}" "$MYDB.$1" | "$BIN/row-convert" -q --rules <("$BIN/pg-load" --describe "$MYDB.$1"); }
dst() { "$BIN/pg-extract" -q "$MYDB.$1"; }
diff_table() { "$BIN/row-checksum" --diff <(src "$1") <(dst "$1"); }

@test "one changed value is found, and the diff names the row and the column" {
	source_db
	migrate guest
	pg_sql "UPDATE \"$MYDB\".guest SET price = 12.51 WHERE id = 1"
	run -1 verify --tables guest --json r.json "$MYDB"
	assert_line --regexp '^guest +4 +4 +DIFFER +0/0$'
	assert_line "verify: 1 of 1 tables do not verify"
	grep -q '"checksum_match": false' r.json
	grep -q '"status": "differ"' r.json
	run -1 --separate-stderr diff_table guest
	assert_output "$(printf '< 1 price=12.50\n> 1 price=12.51')"
}

@test "a missing row and an extra row are found and named" {
	source_db
	migrate guest
	pg_sql "DELETE FROM \"$MYDB\".guest WHERE id = 3"
	run -1 verify --tables guest "$MYDB"
	assert_line --regexp '^guest +4 +3 +DIFFER +0/0$'
	run -1 --separate-stderr diff_table guest
	assert_line --index 0 --regexp '^< 3 id=3 name="" note="" doc=.* price=-0.01 seen="1999-12-31 23:59:59\+00" flag=NULL big=5 '
	assert_line --index 1 '> 3 (missing)'
	assert_equal "${#lines[@]}" 2
	pg_sql "INSERT INTO \"$MYDB\".guest (id, name) VALUES (3, ''), (9, 'intruder')" \
		"UPDATE \"$MYDB\".guest g SET note = s.note, doc = '[1, \"é\", null, {\"y\": 1e2, \"z\": 0.50}]', price = -0.01,
		   seen = '1999-12-31 23:59:59+00', big = 5, f = 1e300 FROM (SELECT ''::text AS note) s WHERE id = 3"
	run -1 verify --tables guest "$MYDB"
	assert_line --regexp '^guest +4 +5 +DIFFER +0/0$'
	run -1 --separate-stderr diff_table guest
	assert_output "$(printf '< 9 (missing)\n> 9 id=9 name=intruder note=NULL doc=NULL price=NULL seen=NULL flag=NULL big=NULL f=NULL raw=NULL kind=NULL tags=NULL')"
}

@test "NULL swapped with '' is found, both ways" {
	source_db
	migrate guest code
	pg_sql "UPDATE \"$MYDB\".guest SET note = '' WHERE id = 2" "UPDATE \"$MYDB\".code SET label = NULL WHERE code = 'A'"
	run -1 verify --tables guest,code "$MYDB"
	assert_line --regexp '^guest +4 +4 +DIFFER +0/0$'
	assert_line --regexp '^code +4 +4 +DIFFER +0/0$'
	run -1 --separate-stderr diff_table guest
	assert_output "$(printf '< 2 note=NULL\n> 2 note=""')"
	# a text key: MySQL and PostgreSQL order it differently, rows are still matched by key
	run -1 --separate-stderr diff_table code
	assert_output "$(printf '< A label=a\n> A label=NULL')"
}

@test "an orphan made with foreign_key_checks=0 is found on both sides, moved aside, and the key validates" {
	source_db
	my_sql "SET foreign_key_checks = 0" "INSERT INTO stay VALUES (42, '2024-03-03', 7)"
	run -1 --separate-stderr "$BIN/fk-check" --mysql "${MYOPTS[@]}" "$MYDB"
	assert_output "fk_stay_guest $MYDB.stay 42,2024-03-03: (guest_id)=(42) not in $MYDB.guest(id)"
	migrate
	# post-data could not add the constraint: the orphan is there
	grep -q 'fk_stay_guest' post-data.err
	run -1 verify --json r.json "$MYDB"
	assert_line --regexp '^stay +4 +4 +match +1/1$'
	grep -q '"orphans_pg": 1' r.json
	# PostgreSQL side, from the source's declaration
	run -1 --separate-stderr "$BIN/fk-check" --pg --source-fks "$MYDB" "${MYOPTS[@]}" "$MYDB"
	assert_output "fk_stay_guest $MYDB.stay 42,2024-03-03: (guest_id)=(42) not in $MYDB.guest(id)"
	# and from the target's own, once added NOT VALID
	pg_sql "ALTER TABLE \"$MYDB\".stay ADD CONSTRAINT fk_stay_guest FOREIGN KEY (guest_id) REFERENCES \"$MYDB\".guest (id) NOT VALID"
	run -1 --separate-stderr "$BIN/fk-check" --pg "$MYDB"
	assert_output "fk_stay_guest $MYDB.stay 42,2024-03-03: (guest_id)=(42) not in $MYDB.guest(id)"
	run -0 --separate-stderr "$BIN/fk-check" --pg --quarantine "$MYDB"
	assert_line "moved 1 row of $MYDB.stay to $MYDB.stay_orphans (fk_stay_guest)"
	pg_sql "ALTER TABLE \"$MYDB\".stay VALIDATE CONSTRAINT fk_stay_guest"
	run -0 pg_sql "SELECT guest_id, night, room, constraint_name FROM \"$MYDB\".stay_orphans"
	assert_output "42|2024-03-03|7|fk_stay_guest"
	# the target now lacks a row the source has: verify says so
	run -1 verify --tables stay "$MYDB"
	assert_line --regexp '^stay +4 +3 +DIFFER +1/0$'
}

@test "rows row-convert rejects make the table fail; the migration's policies make it pass" {
	my_sql "SET sql_mode = ''" "CREATE TABLE ev (id int PRIMARY KEY, at datetime)" \
		"INSERT INTO ev VALUES (1, '2024-01-01 10:00:00'), (2, '0000-00-00 00:00:00')"
	"$BIN/my-schema" -q "${MYOPTS[@]}" --section pre-data "$MYDB" | pg_sql >/dev/null
	"$BIN/my-extract" -q "${MYOPTS[@]}" "$MYDB.ev" | "$BIN/row-convert" -q --policy zero-date=null | "$BIN/pg-load" -q "$MYDB.ev"
	run -1 verify --json r.json "$MYDB"
	assert_line --regexp '^ev +2 +2 +REJECTED +0/0$'
	assert_line --partial "ev: row-convert rejected 1 row(s) of the source"
	grep -q '"rejected": 1' r.json
	run -0 verify --convert-option=--policy=zero-date=null "$MYDB"
}

@test "a table the target lacks is an error, not a pass; --tables and -j" {
	source_db
	migrate guest code
	pg_sql "DROP TABLE \"$MYDB\".stay"
	run -1 verify --tables guest,code,stay -j 3 "$MYDB"
	assert_line --regexp '^guest +4 +4 +match +0/0$'
	assert_line --regexp '^code +4 +4 +match +0/0$'
	assert_line --regexp '^stay +- +- +error +'
	assert_line --partial 'stay: pg-load --describe'
	run -0 verify -q --tables code "$MYDB"
	assert_output ""
	run -2 verify
	run -2 verify -j 0 "$MYDB"
	run -2 verify --bogus "$MYDB"
}
