#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# my-extract: one MariaDB table as a row stream, checked through row-cat --raw (the stored bytes).

load helpers

setup_file() { servers_start; }
teardown_file() { servers_stop; }
setup() { fresh_dbs; }

ext() { "$BIN/my-extract" "$@"; }

# rows as CSV without the header line
ext_rows() {
	set -o pipefail
	"$BIN/my-extract" "$@" | "$BIN/row-cat" --raw --no-header
}

# the header as text (through a file: row-cat --header-only stops reading early)
ext_header() {
	local f=$BATS_TEST_TMPDIR/header.rs
	"$BIN/my-extract" "$@" >"$f" && "$BIN/row-cat" --header-only "$f"
}

# values as hex bytes (one line per row), to see the exact bytes
ext_hex() {
	set -o pipefail
	"$BIN/my-extract" "$@" | "$BIN/row-cat" --raw --no-header --tsv | od -An -v -tx1 | tr -s ' \n' ' '
}

# rows through row-convert, as CSV without the header line: ext_convert DB.TABLE [row-convert options]
ext_convert() {
	set -o pipefail
	"$BIN/my-extract" "$1" | "$BIN/row-convert" -q "${@:2}" | "$BIN/row-cat" --no-header
}

# bytes of the rows as TSV
ext_size() {
	set -o pipefail
	"$BIN/my-extract" "$@" | "$BIN/row-cat" --raw --no-header --tsv | wc -c
}

# wait (at most 30 s) until a query of this test's database shows STATE in the process list;
# prints its connection id
wait_for_query() {
	local state=$1 id='' deadline=$((SECONDS + 30))
	while [ -z "$id" ]; do
		id=$(my_sql "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()
			AND STATE = '$state' AND INFO LIKE '%\`$MYDB\`%'")
		if [ -z "$id" ]; then
			[ "$SECONDS" -lt "$deadline" ] || return 1
			sleep 0.1
		fi
	done
	printf '%s\n' "$id"
}

@test "--help shows the usage; bad arguments exit 2" {
	run -0 ext --help
	assert_output --partial "usage: my-extract"
	assert_output --partial "--snapshot"
	run -2 ext
	run -2 ext --bogus "$MYDB.t"
	run -2 ext --limit -1 "$MYDB.t"
	run -2 ext --zstd=99 "$MYDB.t"
	run -2 ext 'a.`b'
}

@test "the header describes every column from information_schema" {
	my_sql "CREATE TABLE hdr (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
		price DECIMAL(10,2) NOT NULL DEFAULT 0.00 COMMENT 'the price',
		name VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin,
		status ENUM('new','it''s','a,b','c\\\\d') NOT NULL,
		flags SET('x','y'), at DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3), data BLOB,
		total INT AS (id * 2) VIRTUAL, doc JSON, ts TIMESTAMP(6) NULL, b BIT(5))"
	run -0 ext_header "$MYDB.hdr"
	assert_line "domain: mysql"
	assert_line "table: $MYDB.hdr"
	assert_line "meta: source=mysql"
	assert_line --regexp '^meta: server_version=[0-9]+\.[0-9]+\.[0-9]+-MariaDB'
	assert_line "meta: database=$MYDB"
	assert_line "meta: time_zone=+00:00"
	assert_line "meta: rows_estimate=0"
	run -0 ext_header --where "id > 0" "$MYDB.hdr"
	refute_line --partial "meta: rows_estimate="
	run -0 ext_header "$MYDB.hdr"
	assert_line "column: id type=int(10) unsigned code=3 key=1 not-null unsigned data_type=int precision=10 scale=0 extra=auto_increment"
	assert_line "column: price type=decimal(10,2) code=246 not-null data_type=decimal precision=10 scale=2 default=0.00 comment=the price"
	assert_line "column: name type=varchar(20) code=253 data_type=varchar length=20 charset=latin1 collation=latin1_bin default=NULL"
	assert_line "column: status type=enum('new','it''s','a,b','c\\\\d') code=254 not-null data_type=enum length=4 charset=utf8mb4 collation=utf8mb4_general_ci member=new member=it's member=a,b member=c\\d"
	assert_line "column: flags type=set('x','y') code=254 data_type=set length=3 charset=utf8mb4 collation=utf8mb4_general_ci member=x member=y default=NULL"
	assert_line "column: at type=datetime(3) code=12 data_type=datetime fsp=3 default=current_timestamp(3)"
	assert_line "column: data type=blob code=252 binary data_type=blob length=65535 default=NULL"
	assert_line "column: total type=int(11) code=3 generated data_type=int precision=10 scale=0 extra=VIRTUAL GENERATED default=NULL generation_expression=\`id\` * 2"
	assert_line "column: doc type=longtext code=252 data_type=longtext length=4294967295 charset=utf8mb4 collation=utf8mb4_bin default=NULL format=json"
	assert_line "column: ts type=timestamp(6) code=7 data_type=timestamp fsp=6 default=NULL"
	assert_line "column: b type=bit(5) code=16 binary data_type=bit precision=5 default=NULL"
}

@test "values are the stored bytes of each column, in its own character set" {
	my_sql "CREATE TABLE cs (id INT PRIMARY KEY, l VARCHAR(10) CHARACTER SET latin1,
		u VARCHAR(10) CHARACTER SET utf8mb4, b VARBINARY(4), n DECIMAL(5,2), t TIME(1))" \
		"INSERT INTO cs VALUES (1, 'é', 'é😀', X'00FF0A2C', -1.5, '-838:59:59.0')"
	run -0 ext_hex "$MYDB.cs"
	# 1 TAB e9 (latin1) TAB c3 a9 f0 9f 98 80 (utf8mb4) TAB 00 ff \n , (\n escaped by row-cat --tsv)
	assert_output " 31 09 e9 09 c3 a9 f0 9f 98 80 09 00 ff 5c 6e 2c 09 2d 31 2e 35 30 09 2d 38 33 38 3a 35 39 3a 35 39 2e 30 0a "
	run -0 ext_header "$MYDB.cs"
	assert_line --partial "column: l type=varchar(10) code=253 data_type=varchar length=10 charset=latin1 "
	assert_line --partial "column: u type=varchar(10) code=253 data_type=varchar length=10 charset=utf8mb4 "
}

@test "rows come in primary key order, NULLs stay NULL, dates stay as stored" {
	my_sql "CREATE TABLE o (id INT PRIMARY KEY, v VARCHAR(5), d DATE, ts TIMESTAMP NULL)" \
		"SET SESSION sql_mode = ''" \
		"SET SESSION time_zone = '+03:00'" \
		"INSERT INTO o VALUES (30, 'c', '0000-00-00', '2020-01-01 03:00:00'), (10, NULL, '2024-02-29', NULL), (20, '', NULL, NULL)"
	run -0 ext_rows "$MYDB.o"
	assert_output - <<'EOF'
10,,2024-02-29,
20,"",,
30,c,0000-00-00,2020-01-01 00:00:00
EOF
}

@test "FLOAT is read as DOUBLE: the exact float value, not 6 digits; FLOAT keys resume from either text" {
	my_sql "CREATE TABLE fl (k FLOAT PRIMARY KEY, f FLOAT, d DOUBLE, u FLOAT UNSIGNED, m FLOAT(10,3))" \
		"INSERT INTO fl VALUES (0.1, 1.2345678, 0.1, 16777217, 1.2345678), (0.2, -3.4028e38, 1e-300, 1e-40, -99999.999),
			(1.5, NULL, NULL, NULL, NULL)"
	run -0 ext_rows "$MYDB.fl"
	assert_output "0.10000000149011612,1.2345677614212036,0.1,16777216,1.2350000143051147
0.20000000298023224,-3.4027999387901484e38,1e-300,9.99994610111476e-41,-100000
1.5,,,,"
	run -0 ext_header "$MYDB.fl"
	assert_line --partial "column: f type=float code=4 data_type=float "
	# the exact value (the stream's block keys) and the shortest text of the float (PostgreSQL's
	# real output, in pg-load checkpoints) both name the same row
	run -0 ext_rows --columns k --after 0.10000000149011612 "$MYDB.fl"
	assert_output $'0.20000000298023224\n1.5'
	run -0 ext_rows --columns k --after 0.1 "$MYDB.fl"
	assert_output $'0.20000000298023224\n1.5'
	run -0 ext_rows --columns k --until 0.2 "$MYDB.fl"
	assert_output $'0.10000000149011612\n0.20000000298023224'
}

@test "TIMESTAMP values are read in UTC, and the header says so (time_zone)" {
	my_sql "CREATE TABLE tz (id INT PRIMARY KEY, ts TIMESTAMP(3) NULL, dt DATETIME)" \
		"SET SESSION time_zone = '+05:30'" \
		"INSERT INTO tz VALUES (1, '2024-06-01 12:00:00.125', '2024-06-01 12:00:00')"
	run -0 ext_rows "$MYDB.tz"
	assert_output "1,2024-06-01 06:30:00.125,2024-06-01 12:00:00"
	run -0 ext_header "$MYDB.tz"
	assert_line "meta: time_zone=+00:00"
}

@test "--after, --until and --limit on a single-column key" {
	my_sql "CREATE TABLE s (id BIGINT PRIMARY KEY, v INT)" \
		"INSERT INTO s SELECT seq, seq * 10 FROM seq_1_to_100"
	run -0 ext_rows --after 10 --until 13 "$MYDB.s"
	assert_output $'11,110\n12,120\n13,130'
	run -0 ext_rows --after 97 "$MYDB.s"
	assert_output $'98,980\n99,990\n100,1000'
	run -0 ext_rows --until 2 "$MYDB.s"
	assert_output $'1,10\n2,20'
	run -0 ext_rows --after 50 --limit 2 "$MYDB.s"
	assert_output $'51,510\n52,520'
	run -0 ext_rows --limit 0 "$MYDB.s"
	assert_output ""
	run -2 --separate-stderr ext --after abc "$MYDB.s"
	assert_equal "$output" ""
	[[ $stderr == *"'abc' is not a valid value for column id"* ]]
	run -2 --separate-stderr ext --after 1,2 "$MYDB.s"
	[[ $stderr == *"has 2 values, the primary key of"*"has 1 column"* ]]
}

@test "--after and --until on composite keys, with quoted and latin1 key text" {
	my_sql "CREATE TABLE c (a VARCHAR(10) CHARACTER SET latin1, b INT, v INT, PRIMARY KEY (a, b))" \
		"INSERT INTO c VALUES ('x',2,1), ('x',1,2), ('é',1,3), ('a,b',5,4), ('A',3,5), ('b',1,6), ('x',3,7)"
	# latin1_swedish_ci order: A, a,b, b, é, x/1, x/2, x/3
	run -0 ext_rows "$MYDB.c"
	assert_output --partial $'A,3,5\n"a,b",5,4\nb,1,6\n'
	assert_output --partial $'x,1,2\nx,2,1\nx,3,7'
	run -0 ext_rows --after 'x,1' "$MYDB.c"
	assert_output $'x,2,1\nx,3,7'
	run -0 ext_rows --after '"a,b",5' --until 'x,1' "$MYDB.c"
	assert_output $'b,1,6\n\xe9,1,3\nx,1,2'
	run -0 ext_rows --after $'\xe9,1' --limit 1 "$MYDB.c"
	assert_output 'x,1,2'
	# the key text of a stream's last row resumes right after it
	run -0 ext_rows --after 'x,2' "$MYDB.c"
	assert_output 'x,3,7'
	run -2 ext --after 'x' "$MYDB.c"
}

@test "keys on ENUM and BIT columns follow the column's own order" {
	my_sql "CREATE TABLE e (k ENUM('zz','aa','mm') NOT NULL, n BIT(4) NOT NULL, PRIMARY KEY (k, n))" \
		"INSERT INTO e VALUES ('mm', b'0001'), ('aa', b'0010'), ('zz', b'0011'), ('aa', b'0001')"
	run -0 ext_rows --columns k "$MYDB.e"
	assert_output $'zz\naa\naa\nmm'
	run -0 ext_rows --columns k --after "aa,$(printf '\001')" "$MYDB.e"
	assert_output $'aa\nmm'
}

@test "--where is ANDed with the key range; a bad condition exits 2" {
	my_sql "CREATE TABLE w (id INT PRIMARY KEY, v INT)" \
		"INSERT INTO w SELECT seq, seq % 3 FROM seq_1_to_20"
	run -0 ext_rows --where 'v = 0 OR v = 2' --after 10 --until 15 "$MYDB.w"
	assert_output $'11,2\n12,0\n14,2\n15,0'
	run -0 ext_header --where 'v = 0' "$MYDB.w"
	assert_line "meta: where=v = 0"
	run -2 --separate-stderr ext --where 'nosuchcolumn = 1' "$MYDB.w"
	[[ $stderr == *"[source] 1054 "* ]]
	run -2 ext --where 'v = = 1' "$MYDB.w"
}

@test "a table without a primary key is extracted whole, with a notice; --after refuses" {
	my_sql "CREATE TABLE nk (a INT, b VARCHAR(3))" \
		"INSERT INTO nk VALUES (2, 'x'), (1, NULL), (2, 'x')"
	run -0 --separate-stderr ext_rows "$MYDB.nk"
	assert_equal "$(printf '%s\n' "$output" | sort | tr '\n' ' ')" "1, 2,x 2,x "
	[[ $stderr == *"has no primary key"* ]]
	run -0 ext_header "$MYDB.nk"
	refute_output --partial "key="
	run -2 --separate-stderr ext --after 1 "$MYDB.nk"
	[[ $stderr == *"--after: table \`$MYDB\`.\`nk\` has no primary key"* ]]
	run -2 ext --until 1 "$MYDB.nk"
	run -0 --separate-stderr ext -q "$MYDB.nk"
	assert_equal "$stderr" ""
}

@test "unknown tables and columns exit 2" {
	my_sql "CREATE TABLE t (id INT PRIMARY KEY)"
	run -2 --separate-stderr ext "$MYDB.nosuch"
	[[ $stderr == *"table $MYDB.nosuch not found"* ]]
	run -2 ext "nosuchdb_$RANDOM.t"
	run -2 --separate-stderr ext --columns id,zz "$MYDB.t"
	[[ $stderr == *"has no column 'zz'"* ]]
}

@test "--columns selects and orders columns; the key is kept only when all of it is selected" {
	my_sql "CREATE TABLE cols (a INT, b INT, c INT, PRIMARY KEY (a, b))" \
		"INSERT INTO cols VALUES (2, 1, 9), (1, 5, 8)"
	run -0 ext_rows --columns c,a "$MYDB.cols"
	assert_output $'8,1\n9,2'
	run -0 ext_header --columns c,a "$MYDB.cols"
	refute_output --partial "key="
	run -0 ext_header --columns c,b,a "$MYDB.cols"
	assert_line --partial "column: b type=int(11) code=3 key=2 "
	assert_line --partial "column: a type=int(11) code=3 key=1 "
	run -2 ext --columns a,a "$MYDB.cols"
}

@test "table names needing quotes work everywhere, and DB TABLE via -D" {
	my_sql "CREATE TABLE y (id INT)" \
		"CREATE TABLE \`x\"; DROP TABLE y; --\` (id INT PRIMARY KEY, \`we\`\`ird\` INT)" \
		"INSERT INTO \`x\"; DROP TABLE y; --\` VALUES (2, 3), (1, 4)" \
		"CREATE TABLE \`ta\`\`b.le\` (\`i\`\`d\` INT PRIMARY KEY, big LONGBLOB)" \
		"INSERT INTO \`ta\`\`b.le\` VALUES (7, REPEAT('z', 5000000))"
	run -0 ext_rows "$MYDB."'x"; DROP TABLE y; --'
	assert_output $'1,4\n2,3'
	run -0 ext_rows --after 1 --columns 'we`ird' "$MYDB."'x"; DROP TABLE y; --'
	assert_output '3'
	# a long value read apart, by a key column whose name needs quotes
	run -0 ext_rows --columns 'i`d' -D "$MYDB" 'ta`b.le'
	assert_output '7'
	run -0 ext_size -D "$MYDB" 'ta`b.le'
	assert_output $((1 + 1 + 5000000 + 1))
	run -0 ext_rows --columns 'i`d' "\`$MYDB\`.\`ta\`\`b.le\`"
	assert_output '7'
	run -0 my_sql "SELECT COUNT(*) FROM y"
	assert_output 0
}

@test "a connection killed in the middle of a table: status 4 and a truncated stream" {
	my_sql "CREATE TABLE many (id INT PRIMARY KEY, pad VARCHAR(1000))" \
		"INSERT INTO many SELECT seq, REPEAT('p', 1000) FROM seq_1_to_20000"
	local out=$BATS_TEST_TMPDIR/out.rs err=$BATS_TEST_TMPDIR/err
	ext --where 'IF(id = 15000, SLEEP(60), 0) = 0' "$MYDB.many" >"$out" 2>"$err" 3>&- &
	local pid=$!
	local id
	id=$(wait_for_query "User sleep")
	my_sql "KILL $id"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 4
	run cat "$err"
	assert_output --regexp '\[source\] [0-9]+ .*reading rows of'
	run -3 --separate-stderr "$BIN/row-cat" --no-header "$out"
	[[ $stderr == *"truncated"* ]]
	# what was written before is intact, in order
	assert_line --index 0 --partial "1,ppp"
}

@test "passwords: MYSQL_PWD, --defaults-file, -p and --password never show in ps" {
	local user=xpw$$_$RANDOM pw="S3cr3t-$RANDOM"
	my_sql "CREATE USER '$user'@'localhost' IDENTIFIED BY '$pw'" \
		"GRANT SELECT, PROCESS ON *.* TO '$user'@'localhost'" \
		"CREATE TABLE one (id INT PRIMARY KEY)" "INSERT INTO one VALUES (1)"
	local cnf=$BATS_TEST_TMPDIR/client.cnf out=$BATS_TEST_TMPDIR/out.rs
	printf '[client]\nuser=%s\npassword="%s"\nsocket=%s\n' "$user" "$pw" "$MYSQL_UNIX_PORT" >"$cnf"

	local how pid id cmdline rc
	for how in env file short long; do
		case $how in
		env) MYSQL_PWD=$pw ext --no-defaults -S "$MYSQL_UNIX_PORT" -u "$user" --where 'SLEEP(30) = 0' "$MYDB.one" >"$out" 3>&- & ;;
		file) ext --defaults-file="$cnf" --where 'SLEEP(30) = 0' "$MYDB.one" >"$out" 3>&- & ;;
		short) ext --no-defaults -S "$MYSQL_UNIX_PORT" -u "$user" "-p$pw" --where 'SLEEP(30) = 0' "$MYDB.one" >"$out" 3>&- & ;;
		long) ext --no-defaults -S "$MYSQL_UNIX_PORT" -u "$user" "--password=$pw" --where 'SLEEP(30) = 0' "$MYDB.one" >"$out" 3>&- & ;;
		esac
		pid=$!
		id=$(wait_for_query "User sleep")
		cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
		my_sql "KILL QUERY $id"
		rc=0
		wait "$pid" || rc=$?
		[[ $cmdline == *my-extract* ]]
		if [[ $cmdline == *"$pw"* ]]; then
			echo "password visible ($how): $cmdline" >&2
			return 1
		fi
		# the connection really was made with the password: a killed query is a server error
		assert_equal "$rc" 4
	done
	run -0 ext_rows --defaults-file="$cnf" "$MYDB.one"
	assert_output 1
	run -4 --separate-stderr ext --no-defaults -S "$MYSQL_UNIX_PORT" -u "$user" -pwrong "$MYDB.one"
	[[ $stderr == *"[source] 1045 "* ]]
	[[ $stderr != *"$pw"* ]]
	run -2 ext --defaults-file="$BATS_TEST_TMPDIR/nosuch.cnf" "$MYDB.one"
	my_sql "DROP USER '$user'@'localhost'"
}

@test "a bare -p asks for the password on the terminal, and fails without one" {
	command -v script >/dev/null || skip "script(1) is not installed"
	local user=xpp$$_$RANDOM pw="Pr0mpt-$RANDOM" out=$BATS_TEST_TMPDIR/out.rs
	my_sql "CREATE USER '$user'@'localhost' IDENTIFIED BY '$pw'" "GRANT SELECT ON *.* TO '$user'@'localhost'" \
		"CREATE TABLE one (id INT PRIMARY KEY)" "INSERT INTO one VALUES (1)"
	run -0 bash -c "printf '%s\\n' '$pw' | script -qec \"'$BIN/my-extract' --no-defaults -S '$MYSQL_UNIX_PORT' -u '$user' -p '$MYDB.one' >'$out'\" /dev/null"
	assert_output --partial "Enter password:"
	run -0 "$BIN/row-cat" --no-header "$out"
	assert_output 1
	run -2 --separate-stderr setsid -w "$BIN/my-extract" --no-defaults -S "$MYSQL_UNIX_PORT" -u "$user" -p "$MYDB.one" </dev/null
	[[ $stderr == *"unable to prompt for the password"* ]]
	my_sql "DROP USER '$user'@'localhost'"
}

@test "--defaults-extra-file adds to the usual option files; the command line wins" {
	my_sql "CREATE TABLE one (id INT PRIMARY KEY)" "INSERT INTO one VALUES (5)"
	local cnf=$BATS_TEST_TMPDIR/extra.cnf
	printf '[client]\nsocket=/nonexistent/sock\n[mysqld]\nsocket=/bad\n' >"$cnf"
	run -4 --separate-stderr ext --defaults-extra-file="$cnf" "$MYDB.one"
	[[ $stderr == *"/nonexistent/sock"* ]]
	run -0 ext_rows --defaults-extra-file="$cnf" -S "$MYSQL_UNIX_PORT" "$MYDB.one"
	assert_output 5
}

@test "--snapshot records the binary log position (and GTID) in the header" {
	my_sql "CREATE TABLE snap (id INT PRIMARY KEY)" "INSERT INTO snap VALUES (1), (2)"
	run -0 ext_header --snapshot "$MYDB.snap"
	assert_line --regexp '^meta: binlog_file=binlog\.[0-9]+$'
	assert_line --regexp '^meta: binlog_pos=[0-9]+$'
	assert_line --regexp '^meta: gtid_binlog_pos=[0-9]+-[0-9]+-[0-9]+'
	local file pos
	file=$(printf '%s\n' "$output" | sed -n 's/^meta: binlog_file=//p')
	pos=$(printf '%s\n' "$output" | sed -n 's/^meta: binlog_pos=//p')
	# a real event boundary of the binary log: the server accepts it as a starting point
	run -0 my_sql "SHOW BINLOG EVENTS IN '$file' FROM $pos LIMIT 1"
	run -0 ext_rows --snapshot "$MYDB.snap"
	assert_output $'1\n2'
}

# a client session holding the user lock $1 until it is killed; prints its connection id
hold_lock() {
	local lock=$1 id='' deadline=$((SECONDS + 30))
	my_sql "DO GET_LOCK('$lock', 10)" "DO SLEEP(300)" >/dev/null 2>&1 3>&- &
	while [ -z "$id" ] || [ "$id" = NULL ]; do
		id=$(my_sql "SELECT IS_USED_LOCK('$lock')")
		if [ -z "$id" ] || [ "$id" = NULL ]; then
			[ "$SECONDS" -lt "$deadline" ] || return 1
			sleep 0.1
		fi
	done
	printf '%s\n' "$id"
}

@test "long values are read from the snapshot; without --snapshot a change is detected" {
	my_sql "CREATE TABLE lv (id INT PRIMARY KEY, b LONGBLOB)" \
		"INSERT INTO lv VALUES (1, 'a'), (2, 'b'), (3, REPEAT('o', 5000000))"
	local lock=lk_$MYDB out=$BATS_TEST_TMPDIR/lv.rs err=$BATS_TEST_TMPDIR/err
	local snap holder pid rc
	for snap in --snapshot ""; do
		my_sql "UPDATE lv SET b = REPEAT('o', 5000000) WHERE id = 3"
		holder=$(hold_lock "$lock")
		# row 2 waits for the lock: the stream has begun, row 3 is still to come
		ext $snap --where "id <> 2 OR GET_LOCK('$lock', 60) = 1" "$MYDB.lv" >"$out" 2>"$err" 3>&- &
		pid=$!
		wait_for_query "User lock" >/dev/null
		my_sql "UPDATE lv SET b = REPEAT('n', 6000000) WHERE id = 3"
		my_sql "KILL $holder"
		rc=0
		wait "$pid" || rc=$?
		if [ -n "$snap" ]; then
			assert_equal "$rc" 0
			run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | sed -n 3p | cut -f2 | tr -d '\n' | tr -d o | wc -c"
			assert_output 0
			run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | sed -n 3p | wc -c"
			assert_output $((2 + 5000000 + 1))
		else
			assert_equal "$rc" 4
			run -0 cat "$err"
			assert_output --partial "changed while it was read"
		fi
	done
}

@test "a 72 MB blob and an 18 MB multibyte text pass with bounded memory, byte-exact" {
	my_sql "CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB, t LONGTEXT CHARACTER SET utf8mb4, s CHAR(1))" \
		"SET SESSION group_concat_max_len = 1073741824" \
		"INSERT INTO big VALUES (1, 'small', 'small', 'a')" \
		"INSERT INTO big SELECT 2, (SELECT GROUP_CONCAT(LPAD(seq, 16, '0') SEPARATOR '') FROM seq_1_to_4500000),
			(SELECT GROUP_CONCAT(CONCAT('é😀', seq) SEPARATOR '') FROM seq_1_to_1500000), 'b'" \
		"INSERT INTO big VALUES (3, NULL, '', 'c')"
	local out=$BATS_TEST_TMPDIR/big.rs rss=$BATS_TEST_TMPDIR/rss err=$BATS_TEST_TMPDIR/err
	/usr/bin/time -f '%M' -o "$rss" "$BIN/my-extract" -v "$MYDB.big" >"$out" 2>"$err"
	run -0 cat "$err"
	assert_output --partial "2 long values (90388896 bytes) read in pieces"
	run -0 cat "$rss"
	echo "max RSS ${output} KiB"
	[ "$output" -lt 65536 ]
	local want
	want=$(my_sql "SELECT SHA2(b, 256) FROM big WHERE id = 2")
	run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | sed -n 2p | cut -f2 | tr -d '\n' | sha256sum"
	assert_output "$want  -"
	want=$(my_sql "SELECT SHA2(t, 256) FROM big WHERE id = 2")
	run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | sed -n 2p | cut -f3 | tr -d '\n' | sha256sum"
	assert_output "$want  -"
	run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | cut -c1-20"
	assert_output $'1\tsmall\tsmall\ta\n2\t000000000000000100\n3\t\\N\t\tc'
}

@test "a long value in a table without any key fails clearly instead of using memory" {
	my_sql "CREATE TABLE nkbig (a INT, b LONGBLOB)" \
		"INSERT INTO nkbig VALUES (1, REPEAT('x', 100)), (2, REPEAT('y', 17000000))"
	run -7 --separate-stderr ext "$MYDB.nkbig"
	[[ $stderr == *"column b of \`$MYDB\`.\`nkbig\` has a value of 17000000 bytes"*"no primary or NOT NULL unique key"* ]]
	# with a NOT NULL unique key the value is read apart by it
	my_sql "ALTER TABLE nkbig MODIFY a INT NOT NULL, ADD UNIQUE KEY (a)"
	run -0 ext_hex -q --columns a "$MYDB.nkbig"
	assert_output " 31 0a 32 0a "
	run -0 ext_size -q --where 'a = 2' "$MYDB.nkbig"
	assert_output $((2 + 17000000 + 1))
}

@test "a reader that goes away ends my-extract quietly with status 6" {
	my_sql "CREATE TABLE p (id INT PRIMARY KEY, pad CHAR(200))" \
		"INSERT INTO p SELECT seq, REPEAT('x', 200) FROM seq_1_to_20000"
	run -0 --separate-stderr bash -c "'$BIN/my-extract' '$MYDB.p' | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}"
	assert_output 6
	assert_equal "$stderr" ""
}

@test "--zstd and --block-bytes: smaller stream, same rows" {
	my_sql "CREATE TABLE z (id INT PRIMARY KEY, pad VARCHAR(100))" \
		"INSERT INTO z SELECT seq, REPEAT('abc', 30) FROM seq_1_to_5000"
	ext "$MYDB.z" >"$BATS_TEST_TMPDIR/plain.rs"
	ext --zstd --block-bytes 65536 "$MYDB.z" >"$BATS_TEST_TMPDIR/z.rs"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/z.rs")" -lt "$(($(stat -c %s "$BATS_TEST_TMPDIR/plain.rs") / 5))" ]
	run -0 cmp <("$BIN/row-cat" "$BATS_TEST_TMPDIR/plain.rs") <("$BIN/row-cat" "$BATS_TEST_TMPDIR/z.rs")
	# a size takes a K, M or G suffix; 4096 is the one minimum (common/cli.h)
	run -0 cmp "$BATS_TEST_TMPDIR/z.rs" <(ext --zstd --block-bytes 64K "$MYDB.z")
	run -2 --separate-stderr ext --block-bytes 4095 "$MYDB.z"
	[[ $stderr == *"invalid --block-bytes '4095' (4096 to 33554432 bytes, or with a K, M or G suffix)"* ]]
}

@test "an empty table gives a complete stream without rows" {
	my_sql "CREATE TABLE empty (id INT PRIMARY KEY)"
	run -0 ext_rows "$MYDB.empty"
	assert_output ""
}

@test "--ssl-mode=REQUIRED refuses a server without TLS; DISABLED and PREFERRED connect" {
	my_sql "CREATE TABLE one (id INT PRIMARY KEY)" "INSERT INTO one VALUES (1)"
	if [ "$(my_sql "SELECT @@have_ssl")" = YES ]; then
		skip "the test server has TLS"
	fi
	run -4 --separate-stderr ext --ssl-mode=REQUIRED "$MYDB.one"
	[[ $stderr == *"TLS is required"* ]]
	run -0 ext_rows --ssl-mode=DISABLED "$MYDB.one"
	assert_output 1
	run -0 ext_rows --ssl-mode=PREFERRED "$MYDB.one"
	assert_output 1
	run -2 ext --ssl-mode=VERIFY_CA "$MYDB.one"
}

@test "benchmark: a 1 GiB LONGBLOB passes with RSS under 64 MiB (set MY_EXTRACT_GIB=1)" {
	[ -n "${MY_EXTRACT_GIB:-}" ] || skip "a benchmark: set MY_EXTRACT_GIB=1 to run it"
	my_sql "CREATE TABLE gib (id INT PRIMARY KEY, b LONGBLOB)" \
		"INSERT INTO gib VALUES (1, REPEAT('0123456789abcdef0123456789ABCDEF', 33554432))"
	local out=$BATS_TEST_TMPDIR/gib.rs rss=$BATS_TEST_TMPDIR/rss want
	/usr/bin/time -f '%M KiB, %e s' -o "$rss" "$BIN/my-extract" "$MYDB.gib" >"$out"
	run -0 cat "$rss"
	echo "1 GiB LONGBLOB: max RSS, wall time: $output" >&3
	[ "${output%% *}" -lt 65536 ]
	want=$(my_sql "SELECT SHA2(b, 256) FROM gib")
	run -0 bash -c "'$BIN/row-cat' --no-header --tsv '$out' | cut -f2 | tr -d '\n' | sha256sum"
	assert_output "$want  -"
	rm -f "$out"
}

@test "an ENUM with '' as a member: MySQL's invalid value is told apart and rejected by row-convert" {
	# outside strict mode an invalid value is stored as index 0, which reads as '' like the member ''
	my_sql "CREATE TABLE en (id INT PRIMARY KEY, c ENUM('a','','b'), d ENUM('x','y') NOT NULL)" \
		"SET SESSION sql_mode = ''; INSERT INTO en VALUES (1, 'a', 'x'), (2, '', 'y'), (3, 'nope', 'x'),
			(4, NULL, 'y'), (5, 'b', 'x')"
	assert_equal "$(my_sql "SELECT GROUP_CONCAT(c + 0 ORDER BY id) FROM en")" "1,2,0,3"
	# the column says how its values are written: member index, a colon, the text
	run -0 ext_header "$MYDB.en"
	assert_line --partial "column: c type=enum('a','','b') code=254 data_type=enum"
	assert_line --regexp "^column: c .* member=a member= member=b .*enum_form=index:text$"
	refute_line --regexp "^column: d .*enum_form"
	run -0 ext_rows "$MYDB.en"
	assert_output $'1,1:a,x\n2,2:,y\n3,0:,x\n4,,y\n5,3:b,x'
	# row-convert: the member '' stays '', the invalid value is rejected with its key and reason
	run -1 ext_convert "$MYDB.en" --rejects "$BATS_TEST_TMPDIR/rej.rs"
	assert_output --partial $'1,a,x\n2,"",y\n4,,y\n5,b,x'
	run -0 "$BIN/row-cat" --no-header "$BATS_TEST_TMPDIR/rej.rs"
	assert_output "row-convert,3,c,\"MySQL's invalid ENUM value (index 0), which reads as '' like the member ''\",0:,\"3,0:,x\""
	# in a key column the text stays (block keys, --after); the invalid value stops the extract
	my_sql "CREATE TABLE ek (k ENUM('','z') NOT NULL PRIMARY KEY, v INT)" \
		"SET SESSION sql_mode = ''; INSERT INTO ek VALUES ('z', 1), ('', 2)"
	run -0 ext_rows "$MYDB.ek"
	assert_output $'"",2\nz,1'
	my_sql "SET SESSION sql_mode = ''; UPDATE ek SET k = 'bad' WHERE v = 1"
	run -4 --separate-stderr ext "$MYDB.ek"
	[[ $stderr == *"row with key \"\": key column k holds MySQL's invalid ENUM value (index 0)"* ]]
}
