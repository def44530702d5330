#!/usr/bin/env bats
# cli-pipe: the one SIGPIPE policy (common/cli.h, cli_init). A reader that goes away after one
# byte (`tool ... | head -c1`) ends every tool with its documented status 6 and no message,
# never 141 (killed by SIGPIPE). Each tool writes far more than a pipe holds (64 KiB), so its
# later writes meet the closed pipe whatever the scheduling.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
}

# first_byte CMD...: CMD's stdout into `head -c1`; prints CMD's exit status, then its stderr
first_byte() {
	"$@" 2>closed.err | head -c1 >/dev/null
	echo "status ${PIPESTATUS[0]}"
	cat closed.err
}

# a MySQL table and a PostgreSQL table of 50000 rows of about 100 bytes
my_big() {
	my_sql "CREATE TABLE big (id INT PRIMARY KEY, pad CHAR(100))" \
		"INSERT INTO big SELECT seq, REPEAT('x', 100) FROM seq_1_to_50000"
}
pg_big() {
	pg_sql "CREATE TABLE big (id int PRIMARY KEY, pad text)" \
		"INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 50000) i"
}

@test "my-extract | head -c1: status 6, quietly" {
	my_big
	run -0 first_byte "$BIN/my-extract" "$MYDB.big"
	assert_output "status 6"
}

@test "pg-extract | head -c1: status 6, quietly" {
	pg_big
	run -0 first_byte "$BIN/pg-extract" big
	assert_output "status 6"
}

@test "row-cat | head -c1: status 6, quietly, both directions" {
	pg_big
	"$BIN/pg-extract" big >big.rs
	run -0 first_byte "$BIN/row-cat" big.rs
	assert_output "status 6"
	"$BIN/row-cat" big.rs >big.csv
	run -0 first_byte "$BIN/row-cat" --from-csv big.csv
	assert_output "status 6"
}

@test "row-checksum --by-key | head -c1: status 6, quietly" {
	pg_big
	"$BIN/pg-extract" big >big.rs
	run -0 first_byte "$BIN/row-checksum" --by-key big.rs
	assert_output "status 6"
}

@test "fk-check | head -c1: status 6, quietly" {
	pg_sql "CREATE TABLE parent (id int PRIMARY KEY)" \
		"CREATE TABLE child (id int PRIMARY KEY, parent_id int)" \
		"INSERT INTO child SELECT i, i FROM generate_series(1, 50000) i" \
		"ALTER TABLE child ADD CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent NOT VALID"
	run -1 --separate-stderr "$BIN/fk-check" --pg
	[ "${#output}" -gt 1000000 ]
	run -0 first_byte "$BIN/fk-check" --pg
	assert_output "status 6"
}

@test "my-schema | head -c1: status 6, quietly" {
	# 10 tables of 20 columns with 1000-byte comments: about 250 KB of DDL
	local comment i t
	comment=$(printf 'y%.0s' {1..1000})
	for t in $(seq 1 10); do
		printf 'CREATE TABLE wide%d (id INT PRIMARY KEY' "$t"
		for i in $(seq 1 20); do printf ", c%d INT COMMENT '%s'" "$i" "$comment"; done
		printf ');\n'
	done >wide.sql
	my_sql <wide.sql
	run -0 --separate-stderr "$BIN/my-schema" "$MYDB"
	[ "${#output}" -gt 200000 ]
	run -0 first_byte "$BIN/my-schema" "$MYDB"
	assert_output "status 6"
}
