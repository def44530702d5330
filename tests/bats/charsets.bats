#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
# charsets: every MySQL character set converts to UTF-8 exactly as the server's own
# CONVERT(... USING utf8mb4) does: byte sweeps of every set, a table of real text per family
# through the whole pipeline, keys in gbk and utf16 through checkpoint and resume, invalid
# bytes to the rejects, collation notes of my-schema, row-cat's decoded view.

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
	T=$BATS_TEST_TMPDIR
	TOOLS=${TEST_TOOLS_DIR:-$REPO_ROOT/${BUILD:-build}/tools}
	case "$TOOLS" in /*) ;; *) TOOLS=$REPO_ROOT/$TOOLS ;; esac
}

extract() {
	"$BIN/my-extract" -q -S "$MYSQL_UNIX_PORT" -u "${MYSQL_USER:-root}" "$@"
}

# the three filters in one pipe; the exit status of the last stage that failed
pipeline() { # MY-EXTRACT-ARGS -- ROW-CONVERT-ARGS -- PG-LOAD-ARGS
	local -a e=() c=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do e+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do c+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	local st rc=0 s
	extract "${e[@]}" | "$BIN/row-convert" "${c[@]}" | "$BIN/pg-load" "$@"
	st=("${PIPESTATUS[@]}")
	for s in "${st[@]}"; do [ "$s" -eq 0 ] || rc=$s; done
	return "$rc"
}

# real text per family: set, then samples separated by |, the first two words of the first
# sample are the ENUM/SET members
FAMILIES='
latin1|Ça fait déjà l’été — señor Müller paid 5 €|Œuvre naïve, “quoted” ‰
dec8|Ça déjà été señor Müller|Größe £ ¥ ñ
hp8|Ça déjà été señor Müller|Größe £ ñ
macroman|Ça déjà été señor Müller|Größe € ∑ π ◊
cp850|Ça déjà été señor Müller|Größe £ ¥ ░▒▓
swe7|Åsa Öberg är här|Ébba ü
latin2|Příliš žluťoučký kůň úpěl ďábelské ódy|Zażółć gęślą jaźń
cp1250|Příliš žluťoučký kůň úpěl ďábelské ódy|Zażółć gęślą jaźń „quoted” €
cp852|Příliš žluťoučký kůň úpěl ďábelské ódy|Zażółć gęślą jaźń
macce|Příliš žluťoučký kůň úpěl ďábelské ódy|Zażółć gęślą jaźń
keybcs2|Příliš žluťoučký kůň úpěl ďábelské ódy|Ťukání ŮŽ
cp1251|Съешь же ещё этих мягких французских булок|Ґанок, їжак, Євген — «€»
koi8r|Съешь же ещё этих мягких французских булок|ЁЛКА ░▒▓
koi8u|Ґанок їжак Євген|Съешь же ещё
cp866|Съешь же ещё этих мягких французских булок|Її Єє Ўў ░▒▓
greek|Ξεσκεπάζω την ψυχοφθόρα βδελυγμία|ΆΈΉ ΐ
hebrew|דג סקרן שט בים מאוכזב|ולפתע מצא חברה
cp1256|نص حكيم له سر قاطع|وذو شأن عظيم
latin7|Įlinkdama fechtuotojo špaga sublykčiojusi|Glāžšķūņa rūķīši
cp1257|Įlinkdama fechtuotojo špaga sublykčiojusi|Glāžšķūņa rūķīši €
latin5|Pijamalı hasta yağız şoföre çabucak güvendi|İĞŞ ığş
tis620|เป็นมนุษย์ สุดประเสริฐเลิศคุณค่า|กว่าบรรดาฝูงสัตว์เดรัจฉาน
armscii8|Բարեւ աշխարհ|Հայերեն լեզու
geostd8|ქართული ენა|გამარჯობა მსოფლიო
gbk|中文 字符测试，汉字|繁體 亂碼 ￥
gb2312|中文 字符测试，汉字|简体中文
big5|繁體 中文測試|臺灣 香港
sjis|いろは にほへと 日本語|ｶﾀｶﾅ 表示 \ ~
cp932|いろは にほへと 日本語|①② ｶﾀｶﾅ 髙
ujis|いろは にほへと 日本語|ｶﾀｶﾅ 表示
eucjpms|いろは にほへと 日本語|①② ｶﾀｶﾅ
euckr|키스의 고유조건은 입술끼리 만나야 하고|똠방각하 펲시콜라
ucs2|Grüße 中文 Ελληνικά|עברית ‰
utf16|Grüße 中文 😀|𝄞 music
utf16le|Grüße 中文 😀|𝄞 music
utf32|Grüße 中文 😀|𝄞 music
utf8mb3|Grüße 中文 Ελληνικά|עברית ‰
utf8mb4|Grüße 中文 😀|𝄞 music
ascii|plain ASCII text|more text
'

@test "every single byte and every two-byte sequence converts as the server's CONVERT does" {
	local sets
	sets=$(my_sql "SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS
		WHERE CHARACTER_SET_NAME NOT IN ('binary', 'utf8mb3', 'utf8mb4') ORDER BY 1")
	[ "$(wc -l <<<"$sets")" -ge 37 ]
	# shellcheck disable=SC2086
	run -0 env TEST_TOOLS_DIR="$TOOLS" "$REPO_ROOT/tests/charset-sweep" check $sets
	assert_output ""
}

@test "real text of every family: row-convert | pg-load equals the server's CONVERT, value by value" {
	local cs s1 s2 w1 w2 n=0
	while IFS='|' read -r cs s1 s2; do
		[ -n "$cs" ] || continue
		read -r w1 w2 _ <<<"$s1"
		my_sql "CREATE TABLE t_$cs (id INT PRIMARY KEY, v VARCHAR(200), x TEXT, c CHAR(60),
				e ENUM('$w1', '$w2'), s SET('$w1', '$w2')) CHARACTER SET $cs" \
			"INSERT INTO t_$cs VALUES (1, '$s1', '$s2', '$s2', '$w1', '$w1,$w2'),
				(2, '$s2', '$s1', '$w2', '$w2', '$w2'), (3, '', '$s1$s2', '', '$w1', '')"
		run -0 pipeline "$MYDB.t_$cs" -- -q -- -q --create "t_$cs"
		run -0 diff <(my_sql "SELECT id, CONVERT(v USING utf8mb4), CONVERT(x USING utf8mb4),
				CONVERT(c USING utf8mb4), CONVERT(e USING utf8mb4), CONVERT(s USING utf8mb4)
				FROM t_$cs ORDER BY id") \
			<(pg_sql "SELECT id, v, x, rtrim(c, ' '), e, array_to_string(s, ',') FROM t_$cs ORDER BY id" | tr '|' '\t')
		# and the converted stream proves the same rows as PostgreSQL's
		run -0 diff <(extract "$MYDB.t_$cs" | "$BIN/row-convert" -q | "$BIN/row-checksum") \
			<("$BIN/pg-extract" -q "t_$cs" | "$BIN/row-checksum")
		n=$((n + 1))
	done <<<"$FAMILIES"
	[ "$n" -ge 39 ]
}

# load TABLE up to --until KEY, then resume from pg-load's checkpoint; the result must equal the
# server's rows, and the streams of both sides must have the same checksum
split_at() { # TABLE KEY
	local t=$1 k=$2 cp
	run -0 pipeline --until "$k" "$MYDB.$t" -- -q -- -q --create "$t"
	cp=$("$BIN/pg-load" --checkpoint "$t")
	assert_equal "$cp" "$k"
	run -0 pipeline --after "$cp" "$MYDB.$t" -- -q -- -q "$t"
	assert_equal "$(pg_sql "SELECT count(*) FROM $t")" "$(my_sql "SELECT COUNT(*) FROM \`$t\`")"
	run -0 diff <(my_sql "SELECT CONVERT(k USING utf8mb4), v FROM \`$t\` ORDER BY v") \
		<(pg_sql "SELECT k, v FROM $t ORDER BY v" | tr '|' '\t')
	run -0 diff <(extract "$MYDB.$t" | "$BIN/row-convert" -q | "$BIN/row-checksum") \
		<("$BIN/pg-extract" -q "$t" | "$BIN/row-checksum")
	# --after and --until with a key in the middle select the same rows as the server
	run -0 pipeline --after "$k" "$MYDB.$t" -- -q -- -q --create "after_$t"
	assert_equal "$(pg_sql "SELECT count(*) FROM after_$t")" \
		"$(my_sql "SELECT COUNT(*) FROM \`$t\` WHERE k > CONVERT(_utf8mb4'$k' USING $3)")"
}

@test "gbk, utf16, big5 and sjis keys: checkpoint, resume, --after, --until and row-checksum" {
	local cs
	for cs in gbk utf16 big5 sjis; do
		my_sql "CREATE TABLE k_$cs (k VARCHAR(20) CHARACTER SET $cs PRIMARY KEY, v INT)"
	done
	my_sql "INSERT INTO k_gbk VALUES ('a', 1), ('中', 2), ('中文', 3), ('文', 4), ('字', 5), ('z', 6)" \
		"INSERT INTO k_utf16 VALUES ('a', 1), ('é', 2), ('中文', 3), ('😀', 4), ('z', 5)" \
		"INSERT INTO k_big5 VALUES ('a', 1), ('繁體', 2), ('中文', 3), ('臺灣', 4)" \
		"INSERT INTO k_sjis VALUES ('a', 1), ('日本', 2), ('ｶﾀｶﾅ', 3), ('表示', 4)"
	split_at k_gbk 中文 gbk
	split_at k_utf16 中文 utf16
	split_at k_big5 中文 big5
	split_at k_sjis 日本 sjis
}

@test "bytes not valid in their set are rejected with key and original bytes, or replaced by policy" {
	# the server never stores them: a stream as an old server or a raw copy would hold them
	"$TOOLS/rs-gen" --mysql --rows 4 --charset gbk --text 2=d6d0cec4 --text 3=61d620 --text 4=80 >"$T/in.rs"
	run -1 --separate-stderr "$BIN/row-convert" --rejects "$T/rej.rs" <"$T/in.rs"
	[[ "$stderr" == *"2 rejected"* ]]
	run -0 "$BIN/row-cat" --raw "$T/rej.rs"
	assert_line --partial "row-convert,3,t,invalid gbk byte sequence,$(printf 'a\xd6 '),\"3,\"\"$(printf 'a\xd6 ')\"\","
	assert_line --partial "row-convert,4,t,invalid gbk byte sequence,$(printf '\x80'),"
	# shown for people: each field decoded by its column's set, what does not decode escaped
	run -0 "$BIN/row-cat" "$T/rej.rs"
	assert_line --partial 'row-convert,3,t,invalid gbk byte sequence,a\xd6 ,"3,""a\xd6 "",""]n'
	assert_line --partial 'row-convert,4,t,invalid gbk byte sequence,\x80,"4,\x80,'
	run -0 "$BIN/row-cat" "$T/in.rs"
	assert_line --partial "2,中文,"
	assert_line --partial '3,a\xd6 ,'
	run -0 "$BIN/row-cat" --raw "$T/in.rs"
	assert_line --partial "2,$(printf '\xd6\xd0\xce\xc4'),"
	# --policy invalid-utf8=replace: one U+FFFD per bad byte, counted
	run -0 --separate-stderr "$BIN/row-convert" --policy invalid-utf8=replace <"$T/in.rs"
	"$BIN/row-convert" -q --policy invalid-utf8=replace <"$T/in.rs" | "$BIN/row-cat" >"$T/out.csv"
	run -0 cut -d, -f2 "$T/out.csv"
	assert_output "$(printf 't\nrow 1\n中文\na\xef\xbf\xbd \n\xef\xbf\xbd')"
	# a wide set: a lone surrogate
	"$TOOLS/rs-gen" --mysql --rows 2 --charset utf16 --text 1=00610062 --text 2=d800 >"$T/u.rs"
	run -1 --separate-stderr "$BIN/row-convert" --rejects "$T/rej2.rs" <"$T/u.rs"
	run -0 "$BIN/row-cat" --raw "$T/rej2.rs"
	assert_line --partial "row-convert,2,t,invalid utf16 byte sequence,"
	run -0 "$BIN/row-cat" "$T/rej2.rs"
	assert_line 'row-convert,2,t,invalid utf16 byte sequence,\xd8\x00,"2,\xd8\x00,>O,6"'
	run -0 "$BIN/row-cat" "$T/u.rs"
	assert_line --partial "1,ab,"
}

@test "row-cat shows a MySQL-domain stream's text in any set as UTF-8; --raw as stored" {
	my_sql "CREATE TABLE rc (id INT PRIMARY KEY, g VARCHAR(10) CHARACTER SET gbk,
			u VARCHAR(10) CHARACTER SET utf16, l VARCHAR(10) CHARACTER SET latin1, b VARBINARY(4))" \
		"INSERT INTO rc VALUES (1, '中文', 'é😀', 'été', x'd6d0')"
	extract "$MYDB.rc" >"$T/rc.rs"
	run -0 "$BIN/row-cat" "$T/rc.rs"
	assert_line "1,中文,é😀,été,$(printf '\xd6\xd0')"
	run -0 "$BIN/row-cat" --raw --tsv "$T/rc.rs"
	assert_line "$(printf '1\t\xd6\xd0\xce\xc4\t\x00\xe9\xd8\x3d\xde\x00\t\xe9t\xe9\t\xd6\xd0')"
}

@test "my-schema converts text in any set and notes the collations PostgreSQL compares differently" {
	my_sql "CREATE TABLE cs_t (id INT PRIMARY KEY, g VARCHAR(10) CHARACTER SET gbk,
			b VARCHAR(10) CHARACTER SET big5 COLLATE big5_bin, u TEXT CHARACTER SET utf16,
			e ENUM('中', '文') CHARACTER SET gbk, l VARCHAR(10) CHARACTER SET latin1)"
	run -0 --separate-stderr "$BIN/my-schema" -S "$MYSQL_UNIX_PORT" -u "${MYSQL_USER:-root}" \
		--report="$T/report" --section pre-data "$MYDB"
	assert_line "    g character varying(10),"
	assert_line "    b character varying(10),"
	assert_line "    u text,"
	run -0 cat "$T/report"
	assert_line --partial "column cs_t.g: collation gbk_chinese_ci compares case-insensitively by the rules of gbk"
	assert_line --partial "column cs_t.b: collation big5_bin orders by the bytes of big5"
	assert_line --partial "column cs_t.u: collation utf16_general_ci"
	refute_output --partial "cs_t.e:"
	refute_output --partial "cs_t.l:"
}

@test "an ENUM of a gbk or utf16 column cast to a PostgreSQL enum type takes the members as UTF-8" {
	my_sql "CREATE TABLE en (id INT PRIMARY KEY, e ENUM('中', '文') CHARACTER SET gbk,
			u ENUM('é', 'Ж') CHARACTER SET utf16)" \
		"INSERT INTO en VALUES (1, '中', 'Ж'), (2, '文', 'é')"
	pg_sql "CREATE TYPE e_t AS ENUM ('中', '文')" "CREATE TYPE u_t AS ENUM ('é', 'Ж')" \
		"CREATE TABLE en (id int PRIMARY KEY, e e_t, u u_t)"
	run -0 pipeline "$MYDB.en" -- -q --cast e=e_t --cast u=u_t -- -q en
	assert_equal "$(pg_sql "SELECT id || ':' || e || ':' || u FROM en ORDER BY id")" "$(printf '1:中:Ж\n2:文:é')"
}
