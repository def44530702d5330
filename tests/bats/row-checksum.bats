#!/usr/bin/env bats
# row-checksum: digests that see values only, key ranges, per-row hashes, --diff.
# Streams are made with row-cat --from-csv (no servers needed); verify.bats compares real
# MySQL and PostgreSQL tables.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T" || return 1
}

# csv NAME ROWS...: NAME.csv with header id,name,note and the given lines
csv() {
	local name=$1
	shift
	printf 'id,name,note\n' >"$name.csv"
	printf '%s\n' "$@" >>"$name.csv"
}

# rs NAME [row-cat options]: NAME.rs from NAME.csv, keyed by id
rs() {
	local name=$1
	shift
	"$BIN/row-cat" --from-csv --key id "$@" "$name.csv" >"$name.rs"
}

sum() { "$BIN/row-checksum" "$@"; }

base_rows=('1,alice,x' '2,bob,' '3,carol,""' '4,"d,e","say ""hi"""' '10,"multi
line",z')

@test "one line: row count and a 32-hex-digit digest" {
	csv a "${base_rows[@]}"
	rs a
	run -0 sum a.rs
	assert_output --regexp '^rows 5 digest [0-9a-f]{32}$'
	# stdin and a file give the same line
	run -0 sum <a.rs
	assert_output "$(sum a.rs)"
}

@test "the digest ignores table name, column names, key, block layout and compression" {
	rows=()
	for i in $(seq 1 300); do rows+=("$i,name $i,the same note again and again"); done
	csv a "${rows[@]}" '1000,"multi
line",""' '1001,,'
	rs a
	want=$(sum a.rs)
	"$BIN/row-cat" --from-csv --table other.name --block-bytes 4096 a.csv >b.rs
	"$BIN/row-cat" --from-csv --zstd=19 --key id a.csv >c.rs
	sed '1s/.*/x,y,z/' a.csv >renamed.csv
	"$BIN/row-cat" --from-csv renamed.csv >d.rs
	run -0 sum b.rs
	assert_output "$want"
	run -0 sum c.rs
	assert_output "$want"
	run -0 sum d.rs
	assert_output "$want"
	# the streams themselves differ: compressed, and more blocks
	[ "$(stat -c %s c.rs)" -lt "$(stat -c %s a.rs)" ]
	[ "$(stat -c %s b.rs)" -gt "$(stat -c %s a.rs)" ]
}

@test "row order does not matter unless --ordered" {
	csv a "${base_rows[@]}"
	csv r '10,"multi
line",z' '4,"d,e","say ""hi"""' '3,carol,""' '2,bob,' '1,alice,x'
	rs a
	rs r
	[ "$(sum a.rs)" = "$(sum r.rs)" ]
	run -0 sum --ordered a.rs
	ordered=$output
	run -0 sum --ordered r.rs
	assert_output --regexp '^rows 5 digest '
	[ "$output" != "$ordered" ]
	[ "$ordered" != "$(sum a.rs)" ]
}

@test "a changed value, a missing row, an extra row, a duplicate and NULL versus '' all change the digest" {
	csv a "${base_rows[@]}"
	rs a
	want=$(sum a.rs)
	csv changed '1,alice,X' '2,bob,' '3,carol,""' '4,"d,e","say ""hi"""' '10,"multi
line",z'
	csv missing '1,alice,x' '2,bob,' '3,carol,""' '4,"d,e","say ""hi"""'
	csv extra "${base_rows[@]}" '11,new,'
	csv dup "${base_rows[@]}" '1,alice,x'
	csv nullempty '1,alice,x' '2,bob,""' '3,carol,""' '4,"d,e","say ""hi"""' '10,"multi
line",z'
	csv shifted '1,alic,ex' '2,bob,' '3,carol,""' '4,"d,e","say ""hi"""' '10,"multi
line",z'
	for v in changed missing extra dup nullempty shifted; do
		rs "$v"
		run -0 sum "$v.rs"
		if [ "$output" = "$want" ]; then
			echo "$v: same digest as the original" >&2
			return 1
		fi
	done
}

@test "--ranges: the same buckets for the same rows in any order, a change shows in one bucket" {
	rows=()
	for i in $(seq 1 200); do rows+=("$i,name $i,note $i"); done
	csv a "${rows[@]}"
	rs a
	# the same rows backwards, in small blocks
	{ head -n 1 a.csv; tail -n +2 a.csv | tac; } >r.csv
	"$BIN/row-cat" --from-csv --key id --block-bytes 4096 r.csv >r.rs
	run -0 sum --ranges 8 a.rs
	assert_equal "${#lines[@]}" 9
	assert_line --index 8 "$(sum a.rs)"
	assert_output --regexp 'range 0 rows [0-9]+ digest [0-9a-f]{32} min [0-9]+ max [0-9]+'
	diff <(sum --ranges 8 a.rs) <(sum --ranges 8 r.rs)
	# change row 137: exactly one range line and the total differ
	sed 's/^137,name 137,/137,name 137!,/' a.csv >c.csv
	rs c
	run -1 diff <(sum --ranges 8 a.rs) <(sum --ranges 8 c.rs)
	changed=$(diff <(sum --ranges 8 a.rs) <(sum --ranges 8 c.rs) | grep -c '^> range' || true)
	assert_equal "$changed" 1
	# min/max of a bucket are keys of its rows, compared as numbers (MySQL int type)
	sum --ranges 1 a.rs | grep -q '^range 0 rows 200 digest [0-9a-f]* min 1 max 200$' || {
		# row-cat columns are longtext: byte order, 1 .. 99
		sum --ranges 1 a.rs | grep -q '^range 0 rows 200 digest [0-9a-f]* min 1 max 99$'
	}
}

@test "--ranges needs a key and a sane count" {
	csv a "${base_rows[@]}"
	"$BIN/row-cat" --from-csv a.csv >nokey.rs
	run -2 --separate-stderr sum --ranges 4 nokey.rs
	[[ $stderr == *"--ranges needs a stream with a primary key"* ]]
	rs a
	run -2 sum --ranges 0 a.rs
	run -2 sum --ranges 70000 a.rs
	run -2 sum --ranges 4 --by-key a.rs
}

@test "--by-key: one hash per row with its key, the total last" {
	csv a "${base_rows[@]}"
	rs a
	run -0 sum --by-key a.rs
	assert_equal "${#lines[@]}" 6
	assert_output --regexp '^[0-9a-f]{32} 1
[0-9a-f]{32} 2
[0-9a-f]{32} 3
[0-9a-f]{32} 4
[0-9a-f]{32} 10
'
	assert_line --index 5 "$(sum a.rs)"
	# key text: fields with commas, quotes or newlines are double-quoted
	"$BIN/row-cat" --from-csv --key name a.csv >byname.rs
	run -0 sum --by-key byname.rs
	assert_line --index 3 --regexp '^[0-9a-f]{32} "d,e"$'
	assert_line --index 4 --regexp '^[0-9a-f]{32} "multi$'
	# a changed row changes only its own line
	csv c '1,alice,x' '2,bob,' '3,CAROL,""' '4,"d,e","say ""hi"""' '10,"multi
line",z'
	rs c
	run -1 diff <(sum --by-key a.rs) <(sum --by-key c.rs)
	[ "$(diff <(sum --by-key a.rs) <(sum --by-key c.rs) | grep -c '^>')" -eq 2 ] # row 3 and the total
	diff <(sum --by-key a.rs) <(sum --by-key c.rs) | grep -q '^> [0-9a-f]* 3$'
}

@test "--bounds N: the key of every N-th row but the last, nothing hashed" {
	csv a '1,a,' '2,b,' '3,c,' '4,d,' '5,e,' '6,f,' '7,"g,h",'
	rs a
	run -0 sum --bounds 2 a.rs
	assert_output $'2\n4\n6'
	# the last row is never a bound: a chunk after it would be empty
	run -0 sum --bounds 7 a.rs
	assert_output ''
	run -0 sum --bounds 1 a.rs
	assert_output $'1\n2\n3\n4\n5\n6'
	# key text as everywhere: quoted when it must be
	"$BIN/row-cat" --from-csv --key name a.csv >byname.rs
	run -0 sum --bounds 3 byname.rs
	assert_output $'c\nf'
	run -0 sum --bounds 6 byname.rs
	assert_output 'f'
	printf '1,"g,h",\n2,z,\n' >q.csv
	sed -i '1i id,name,note' q.csv
	"$BIN/row-cat" --from-csv --key name q.csv >q.rs
	run -0 sum --bounds 1 q.rs
	assert_output '"g,h"'
	# no key, no bounds; a count, not a size; not with the other modes
	"$BIN/row-cat" --from-csv a.csv >nokey.rs
	run -2 sum --bounds 2 nokey.rs
	assert_output --partial 'needs a stream with a primary key'
	run -2 sum --bounds 0 a.rs
	run -2 sum --bounds 1K a.rs
	run -2 sum --bounds 2 --by-key a.rs
	run -2 sum --bounds 2 --ranges 4 a.rs
}

@test "--diff: equal streams, exit 0 and no output" {
	csv a "${base_rows[@]}"
	rs a
	"$BIN/row-cat" --from-csv --key id --zstd a.csv >b.rs
	run -0 sum --diff a.rs b.rs
	assert_output ""
}

@test "--diff names the rows and columns that differ, and rows on one side only" {
	csv a '1,alice,x' '2,bob,' '3,carol,""' '5,eve,e' '7,"g h",g'
	csv b '1,alice,x' '2,bob,""' '3,Carol,""' '6,fay,f' '7,"g h",g'
	rs a
	rs b
	run -1 --separate-stderr sum --diff a.rs b.rs
	assert_equal "${lines[0]}" '< 2 note=NULL'
	assert_equal "${lines[1]}" '> 2 note=""'
	assert_equal "${lines[2]}" '< 3 name=carol'
	assert_equal "${lines[3]}" '> 3 name=Carol'
	# text keys: rows on one side only are known at the end
	assert_output --partial "$(printf '< 5 id=5 name=eve note=e\n> 5 (missing)')"
	assert_output --partial "$(printf '< 6 (missing)\n> 6 id=6 name=fay note=f')"
	assert_equal "${#lines[@]}" 8
	[[ $stderr == *"4 rows differ: 2 changed, 1 only in A (a.rs), 1 only in B (b.rs); 2 equal"* ]]
}

@test "--diff quotes values that need it" {
	csv a '1,"a b",x' '2,"NULL",y' '3,"tab	here",z'
	csv b '1,"a  b",x' '2,,y' '3,"tab here",z'
	rs a
	rs b
	run -1 --separate-stderr sum --diff a.rs b.rs
	assert_line --index 0 '< 1 name="a b"'
	assert_line --index 1 '> 1 name="a  b"'
	assert_line --index 2 '< 2 name="NULL"'
	assert_line --index 3 '> 2 name=NULL'
	assert_line --index 4 '< 3 name="tab\there"'
}

@test "--diff without keys compares row by row" {
	csv a '1,a,' '2,b,'
	csv b '1,a,' '2,B,' '3,c,'
	"$BIN/row-cat" --from-csv a.csv >a.rs
	"$BIN/row-cat" --from-csv b.csv >b.rs
	run -1 --separate-stderr sum --diff a.rs b.rs
	assert_line --index 0 '< #2 name=b'
	assert_line --index 1 '> #2 name=B'
	assert_line --index 2 '< #3 (missing)'
	assert_line --index 3 '> #3 id=3 name=c note=NULL'
}

@test "--diff matches text keys whatever their order" {
	rows=()
	for i in $(seq 1 50); do rows+=("$i,n$i,"); done
	csv a "${rows[@]}"
	rs a
	{ head -n 1 a.csv; tail -n +2 a.csv | tac | sed 's/^20,n20,$/20,changed,/'; } >b.csv
	rs b
	run -1 --separate-stderr sum --diff a.rs b.rs
	assert_output "$(printf '< 20 name=n20\n> 20 name=changed')"
	cp a.rs a2.rs
	run -0 sum --diff a.rs a2.rs
	assert_output ""
}

@test "--diff: different columns or keys are a difference, not a crash" {
	csv a '1,a,x'
	rs a
	printf 'id,name\n1,a\n' >two.csv
	"$BIN/row-cat" --from-csv --key id two.csv >two.rs
	run -1 sum --diff a.rs two.rs
	assert_output '! columns differ: A has 3, B has 2'
	"$BIN/row-cat" --from-csv --key name a.csv >k.rs
	run -1 sum --diff a.rs k.rs
	assert_output '! primary keys differ: A (id), B (name)'
}

@test "damaged or missing input fails with the stream or I/O status" {
	csv a "${base_rows[@]}"
	rs a
	head -c -10 a.rs >cut.rs
	run -3 --separate-stderr sum cut.rs
	[[ $stderr == *"truncated"* ]]
	run -3 sum --diff a.rs cut.rs
	printf 'not a stream' >junk
	run -3 sum junk
	run -6 sum nonexistent.rs
	run -2 sum --diff a.rs
	run -2 sum --diff - -
	run -2 sum --bogus
}

@test "--help shows the synopsis" {
	run -0 "$BIN/row-checksum" --help
	assert_line --index 0 --partial 'usage: row-checksum [-q | -v] [--ranges n | --by-key | --bounds n] [--ordered]'
	assert_line --partial '--diff A B'
}

@test "counts are plain numbers, --show-bytes is a size (common/cli.h)" {
	csv a "1,$(printf 'x%.0s' {1..3000}),n"
	csv b "1,$(printf 'y%.0s' {1..3000}),n"
	rs a
	rs b
	run -1 --separate-stderr sum --show-bytes 1K --diff a.rs b.rs
	[[ $output == *"$(printf 'x%.0s' {1..1024})"* ]]
	[[ $output != *"$(printf 'x%.0s' {1..1025})"* ]]
	run -2 --separate-stderr sum --ranges 1K a.rs
	[[ $stderr == *"invalid --ranges '1K' (1 to "* ]]
	run -2 sum --show-bytes 2G --diff a.rs b.rs
}

# closed_pipe CMD...: run CMD with its stdout into a reader that goes away after 100 bytes;
# prints CMD's exit status and its stderr
closed_pipe() {
	"$@" 2>closed.err | head -c 100 >/dev/null
	echo "status ${PIPESTATUS[0]}"
	cat closed.err
}

@test "a reader that goes away ends row-checksum --diff and --by-key with status 6 and no message" {
	{ echo id,name,note; seq 1 50000 | sed 's/$/,n,x/'; } >a.csv
	{ echo id,name,note; seq 1 50000 | sed 's/$/,n,y/'; } >b.csv
	rs a
	rs b
	run -0 closed_pipe "$BIN/row-checksum" --diff a.rs b.rs
	assert_output "status 6"
	run -0 closed_pipe "$BIN/row-checksum" --by-key a.rs
	assert_output "status 6"
}
