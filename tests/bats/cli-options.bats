#!/usr/bin/env bats
# cli-options: the options every tool shares are declared once (common/cli.h, cli_common_opt),
# so they take the same values and refuse the same ones with the same message in every tool;
# the summary lines are notices (log_notice): one line each, silenced by -q.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }

setup() {
	fresh_dbs
	export PGDATABASE=$PGDB
	cd "$BATS_TEST_TMPDIR" || return 1
}

# refused OPTION MESSAGE TOOL...: each TOOL exits 2 on OPTION with MESSAGE alone, before
# doing anything else (no table is named that exists)
refused() {
	local opt=$1 msg=$2 tool
	shift 2
	for tool in "$@"; do
		run -2 --separate-stderr "$BIN/$tool" "$opt" nosuch.t </dev/null
		if [ "$stderr" != "$tool: $msg" ]; then
			echo "$tool $opt: got '$stderr', want '$tool: $msg'"
			return 1
		fi
	done
}

@test "--zstd takes a level 1 to 22 in every tool that writes a stream" {
	refused --zstd=23 "invalid --zstd '23' (1 to 22)" my-extract pg-extract row-cat row-convert
	refused --zstd=0 "invalid --zstd '0' (1 to 22)" my-extract pg-extract row-cat row-convert
}

@test "--block-bytes is one size range in every tool that cuts blocks" {
	refused --block-bytes=1K "invalid --block-bytes '1K' (4096 to 33554432 bytes, or with a K, M or G suffix)" \
		my-extract pg-extract row-cat
}

@test "--max-rejects is a count from 0 to 2^63-1 in pg-load and row-convert" {
	refused --max-rejects=1K "invalid --max-rejects '1K' (0 to 9223372036854775807)" pg-load row-convert
	# pg-load took up to 2^64-1 before
	refused --max-rejects=9223372036854775808 \
		"invalid --max-rejects '9223372036854775808' (0 to 9223372036854775807)" pg-load row-convert
}

@test "--help prints the help on stdout and exits 0 before any later option is looked at" {
	local tool
	for tool in my-extract pg-extract row-cat row-convert pg-load row-checksum fk-check my-schema query-bench; do
		run -0 --separate-stderr "$BIN/$tool" --help --no-such-option
		[[ "$output" == "usage: $tool "* ]] || { echo "$tool: $output"; return 1; }
		[ -z "$stderr" ]
	done
}

# the pipeline of one table, every stderr in pipe.err: my-extract | row-convert ARGS | pg-load ARGS
pipe_load() {
	"$BIN/my-extract" "$MYDB.t" 2>pipe.err | "$BIN/row-convert" "$@" 2>>pipe.err |
		"$BIN/pg-load" "$@" public.t 2>>pipe.err
	[ "${PIPESTATUS[*]}" = "0 0 0" ]
}

@test "the summaries of row-convert and pg-load are one line each, and -q silences them" {
	my_sql "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))" "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"
	pg_sql "CREATE TABLE t (id int PRIMARY KEY, v varchar(10))"
	run -0 pipe_load
	run -0 cat pipe.err
	assert_line "row-convert: $MYDB.t: 3 rows in, 3 out, 0 rejected"
	assert_line --regexp '^pg-load: "public"."t": 3 rows loaded in 1 batch, [0-9.]+ MB read in [0-9.]+ s \([0-9]+ rows/s, [0-9.]+ MB/s\)$'
	[ "${#lines[@]}" -eq 2 ]
	pg_sql "TRUNCATE t" "DELETE FROM rowstream.checkpoints"
	run -0 pipe_load -q
	run -0 cat pipe.err
	assert_output ""
	[ "$(pg_sql "SELECT count(*) FROM t")" = 3 ]
}

# a MySQL table t of three rows and its stream in t.rs
my_t() {
	my_sql "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))" "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"
	"$BIN/my-extract" "$MYDB.t" >t.rs
}

@test "a second output file is opened one way: prog: path: reason, exit 6" {
	my_t
	run -6 --separate-stderr "$BIN/row-convert" --rejects nodir/r.rs t.rs
	assert_equal "$stderr" "row-convert: nodir/r.rs: No such file or directory"
	run -6 --separate-stderr "$BIN/my-schema" --report=nodir/report "$MYDB"
	assert_equal "$stderr" "my-schema: nodir/report: No such file or directory"
	my_sql "CREATE TABLE c (id INT PRIMARY KEY, t_id INT, FOREIGN KEY (t_id) REFERENCES t (id)) ENGINE=InnoDB"
	run -6 --separate-stderr "$BIN/fk-check" --mysql --stream nodir/o.rs "$MYDB"
	assert_equal "$stderr" "fk-check: nodir/o.rs: No such file or directory"
}

@test "rejects and the orphans stream are never written to stdout: - is refused" {
	my_t
	run -6 --separate-stderr "$BIN/row-convert" --rejects - t.rs
	assert_equal "$stderr" "row-convert: -: the rejects need a file of their own (stdout carries the stream)"
	[ ! -e ./- ]
	run -6 --separate-stderr "$BIN/fk-check" --mysql --stream - "$MYDB"
	assert_equal "$stderr" "fk-check: -: the orphans stream needs a file of its own (stdout carries the report)"
	[ ! -e ./- ]
}
