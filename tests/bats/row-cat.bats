#!/usr/bin/env bats
# row-cat: CSV/TSV <-> row stream, and rejection of damaged streams

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
}

# CSV with every awkward case: quotes, commas, newlines, CR LF inside quotes, UTF-8,
# empty strings (""), NULLs (nothing), spaces kept, a lone \. field
make_csv() {
	printf 'id,name,note,empty_or_null\n' >"$T/x.csv"
	printf '1,"a,b","say ""hi""",""\n' >>"$T/x.csv"
	printf '2,,"line1\nline2",\n' >>"$T/x.csv"
	printf '3,€ üñí 日本,"cr\r\nlf", spaced \n' >>"$T/x.csv"
	printf '4,"""","\\.",x\n' >>"$T/x.csv"
	printf '5,"",,""\n' >>"$T/x.csv"
}

roundtrip() { "$BIN/row-cat" --from-csv "$1" | "$BIN/row-cat"; }

@test "CSV round trip reproduces the file byte for byte" {
	make_csv
	run -0 roundtrip "$T/x.csv"
	roundtrip "$T/x.csv" >"$T/back.csv"
	cmp "$T/x.csv" "$T/back.csv"
}

@test "NULL and empty string stay distinct (TSV shows \\N)" {
	make_csv
	"$BIN/row-cat" --from-csv "$T/x.csv" >"$T/x.rs"
	run -0 "$BIN/row-cat" --tsv "$T/x.rs"
	assert_line --index 2 "2	\\N	line1\\nline2	\\N"
	assert_line --index 5 "5		\\N	"
}

@test "TSV round trip through --from-tsv" {
	make_csv
	"$BIN/row-cat" --from-csv "$T/x.csv" | "$BIN/row-cat" --tsv >"$T/x.tsv"
	"$BIN/row-cat" --from-tsv "$T/x.tsv" | "$BIN/row-cat" >"$T/back.csv"
	cmp "$T/x.csv" "$T/back.csv"
}

@test "single-column NULL is an empty line and comes back as NULL" {
	printf 'v\na\n\n""\n' >"$T/one.csv"
	"$BIN/row-cat" --from-csv "$T/one.csv" >"$T/one.rs"
	run -0 "$BIN/row-cat" --tsv --no-header "$T/one.rs"
	assert_output "$(printf 'a\n\\N\n')"
	roundtrip "$T/one.csv" >"$T/back.csv"
	cmp "$T/one.csv" "$T/back.csv"
}

@test "CR LF CSV is accepted" {
	printf 'a,b\r\n1,2\r\n3,\r\n' >"$T/crlf.csv"
	run -0 roundtrip "$T/crlf.csv"
	assert_output "$(printf 'a,b\n1,2\n3,')"
}

@test "--header-only describes table, key and columns" {
	make_csv
	"$BIN/row-cat" --from-csv --table hotel.notes --key id "$T/x.csv" >"$T/x.rs"
	run -0 "$BIN/row-cat" --header-only "$T/x.rs"
	assert_line "domain: mysql"
	assert_line "table: hotel.notes"
	assert_line --partial "column: id type=longtext code=252 key=1 not-null"
}

@test "malformed CSV is rejected with the record or offset" {
	printf 'a,b\n1,2\n3\n' >"$T/short.csv"
	run -3 --separate-stderr "$BIN/row-cat" --from-csv "$T/short.csv"
	assert_equal "$stderr" "row-cat: $T/short.csv: record 3 has 1 fields, the header has 2"
	printf 'a\n"open\n' >"$T/open.csv"
	run -3 --separate-stderr "$BIN/row-cat" --from-csv "$T/open.csv"
	[[ $stderr == *"malformed CSV"* ]]
	printf 'a,a\n1,2\n' >"$T/dup.csv"
	run -3 --separate-stderr "$BIN/row-cat" --from-csv "$T/dup.csv"
	[[ $stderr == *"duplicate column name 'a'"* ]]
}

@test "--key on a NULL value is refused" {
	printf 'id,v\n1,a\n,b\n' >"$T/k.csv"
	run -3 --separate-stderr "$BIN/row-cat" --from-csv --key id "$T/k.csv"
	[[ $stderr == *"key column 'id' is NULL in row 2"* ]]
}

@test "binary stream is not written to a terminal" {
	make_csv
	run -2 script -qec "$BIN/row-cat --from-csv $T/x.csv" /dev/null
	assert_output --partial "stdout is a terminal"
}

@test "non-stream input, empty input and unknown version are rejected" {
	run -3 --separate-stderr "$BIN/row-cat" "$BATS_TEST_FILENAME"
	[[ $stderr == *"not a row stream"* ]]
	run -3 --separate-stderr "$BIN/row-cat" /dev/null
	[[ $stderr == *"empty input"* ]]
	run -3 --separate-stderr "$BIN/row-cat" "$REPO_ROOT/tests/unit/golden/version3.rs"
	[[ $stderr == *"unsupported row stream version 3"* ]]
}

# a multi-block stream (two blocks of the 4096-byte minimum, zstd: about 800 bytes)
multi_block_stream() {
	{
		printf 'id,v\n'
		for i in $(seq 1 200); do printf '%d,"value %d with, comma"\n' "$i" "$i"; done
	} >"$T/m.csv"
	"$BIN/row-cat" --from-csv --key id --block-bytes 4096 --zstd "$T/m.csv" >"$T/m.rs"
}

@test "a stream cut at every byte offset is rejected" {
	multi_block_stream
	"$BIN/row-cat" "$T/m.rs" >/dev/null
	size=$(stat -c %s "$T/m.rs")
	[ "$size" -gt 500 ]
	accepted=0
	for ((cut = 0; cut < size; cut++)); do
		if head -c "$cut" "$T/m.rs" | "$BIN/row-cat" -q >/dev/null 2>&1; then
			echo "cut at $cut accepted" >&2
			accepted=$((accepted + 1))
		fi
	done
	[ "$accepted" -eq 0 ]
}

@test "a stream with any single byte flipped is rejected" {
	multi_block_stream
	size=$(stat -c %s "$T/m.rs")
	accepted=0
	for ((i = 0; i < size; i++)); do
		cp "$T/m.rs" "$T/f.rs"
		b=$(od -An -tu1 -j "$i" -N1 "$T/f.rs" | tr -d ' ')
		printf "$(printf '\\%03o' $(((b ^ 0x20) & 0xff)))" | dd of="$T/f.rs" bs=1 seek="$i" conv=notrunc status=none
		if "$BIN/row-cat" -q "$T/f.rs" >/dev/null 2>&1; then
			echo "flip at $i accepted" >&2
			accepted=$((accepted + 1))
		fi
	done
	[ "$accepted" -eq 0 ]
}

# A MySQL-domain stream carries text values with one length byte each, where text COPY has one
# delimiter each: the same size plus the header. zstd blocks make it much smaller.
@test "the stream is as compact as the same data in PostgreSQL text COPY" {
	{
		printf 'id,room,name,price,note\n'
		for i in $(seq 1 5000); do printf '%d,%d,guest %d,%d.50,"note, %d"\n' "$i" $((i % 300)) "$i" $((i % 97)) "$i"; done
	} >"$T/big.csv"
	"$BIN/row-cat" --from-csv --key id "$T/big.csv" >"$T/big.rs"
	"$BIN/row-cat" --tsv --no-header "$T/big.rs" >"$T/big.tsv"
	echo "stream $(stat -c %s "$T/big.rs") bytes, text COPY $(stat -c %s "$T/big.tsv") bytes" >&2
	[ "$(stat -c %s "$T/big.rs")" -le $(($(stat -c %s "$T/big.tsv") * 101 / 100)) ]
	"$BIN/row-cat" --from-csv --key id --zstd "$T/big.csv" >"$T/big.rs.z"
	[ "$(stat -c %s "$T/big.rs.z")" -le $(($(stat -c %s "$T/big.tsv") / 3)) ]
	"$BIN/row-cat" --tsv --no-header "$T/big.rs.z" | cmp - "$T/big.tsv"
}

@test "invalid --block-bytes or --zstd level is a usage error" {
	printf 'a\n1\n' >"$T/a.csv"
	run -2 --separate-stderr "$BIN/row-cat" --from-csv --block-bytes abc "$T/a.csv"
	[[ $stderr == *"invalid --block-bytes 'abc'"* ]]
	run -2 --separate-stderr "$BIN/row-cat" --from-csv --zstd=23 "$T/a.csv"
	[[ $stderr == *"invalid --zstd '23' (1 to 22)"* ]]
	# the one minimum of every tool (common/cli.h), and a size takes a suffix
	run -2 --separate-stderr "$BIN/row-cat" --from-csv --block-bytes 4095 "$T/a.csv"
	assert_equal "$stderr" "row-cat: invalid --block-bytes '4095' (4096 to 33554432 bytes, or with a K, M or G suffix)"
	"$BIN/row-cat" --from-csv --block-bytes 64K "$T/a.csv" >"$T/a.rs"
	run -0 "$BIN/row-cat" --no-header "$T/a.rs"
	assert_output 1
}

@test "long options --quiet, --verbose, --force; --help is the full help" {
	printf 'a\n1\n' >"$T/a.csv"
	"$BIN/row-cat" --quiet --force --from-csv "$T/a.csv" >"$T/a.rs"
	run -0 --separate-stderr "$BIN/row-cat" --verbose --no-header "$T/a.rs"
	assert_output 1
	run -0 "$BIN/row-cat" --help
	assert_line --index 0 "usage: row-cat [-q | -v] [--tsv] [--no-header] [--header-only] [--raw] [file]"
	assert_output --partial "See row-cat(1)."
}

# closed_pipe CMD...: run CMD with its stdout into a reader that goes away after 100 bytes;
# prints CMD's exit status and its stderr
closed_pipe() {
	"$@" 2>"$T/closed.err" | head -c 100 >/dev/null
	echo "status ${PIPESTATUS[0]}"
	cat "$T/closed.err"
}

@test "a reader that goes away ends row-cat with status 6 and no message, both directions" {
	{ echo id,name; seq 1 200000 | sed 's/$/,some text to fill the pipe/'; } >"$T/big.csv"
	"$BIN/row-cat" --from-csv --key id "$T/big.csv" >"$T/big.rs"
	run -0 closed_pipe "$BIN/row-cat" "$T/big.rs"
	assert_output "status 6"
	run -0 closed_pipe "$BIN/row-cat" --from-csv --key id "$T/big.csv"
	assert_output "status 6"
}
