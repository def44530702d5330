#!/usr/bin/env bats
# shellcheck disable=SC2154 # $output and $status are set by bats' run
# migration-runbook(7): every command of the runbook, run in the order of the page against real
# servers with the hotel database, exiting as the page says and printing the messages it quotes.
#
# The commands are the page's transcripts: in man/man7/migration-runbook.7, a `.Bd -literal`
# block whose lines start with "$ " (a command; lines after one ending in a backslash continue
# it). A command whose last line ends in "# exit N" (or "# exit N or M") must exit so; otherwise
# it must exit 0. The lines after a command, up to the next one, are messages it must print
# (stdout and stderr, anywhere in its output; "..." in them stands for any text). Roff comments
# carry what the reader does not need to see:
#   .\" placeholder TEXT EXPR   TEXT (a path of the operator's machine) in commands and messages
#                               is replaced by the bash word EXPR (here: the harness's servers,
#                               directories under the file's scratch directory)
#   .\" before NAME             inside a block: run rb_before_NAME (below) before the next
#                               command: what provokes the failure the page explains
#   .\" after NAME              inside a block: run rb_after_NAME after the previous command
#   .\" not a command           before a literal block that shows no command (file contents)
# Each section (.Sh) of the page with commands is one test below, in the page's order.

load helpers

PAGE=$BATS_TEST_DIRNAME/../../man/man7/migration-runbook.7

# the sections with commands, in the page's order (the first test checks the page has no other)
SECTIONS=("THE WORKED EXAMPLE" "PRE-MIGRATION CHECKLIST" "MIGRATION" "BACKUP AND RESTORE"
	"MONITORING" "HEALTH CHECKS" "TROUBLESHOOTING" "ROLLBACK PROCEDURE")

# steps PAGE DIR: each command of PAGE as DIR/N.{section,cmd,exit,expect,before,after}; prints
# the number of commands, fails on a malformed page
rb_extract() {
	awk -v dir="$2" '
		function fail(m) { printf "%s:%d: %s\n", FILENAME, NR, m > "/dev/stderr"; bad = 1; exit 1 }
		function unescape(s,   t) {
			t = s
			gsub(/\\\(aq/, "\047", t); gsub(/\\\(dq/, "\"", t); gsub(/\\\(ti/, "~", t); gsub(/\\\(ha/, "^", t)
			gsub(/\\&/, "", t); gsub(/\\-/, "-", t)
			if (t ~ /\\[^e]/ || t ~ /\\$/) fail("an escape the test does not know: " s)
			gsub(/\\e/, "\\", t)
			return t
		}
		function put(f, s) { printf "%s\n", s >> (dir "/" n "." f); close(dir "/" n "." f) }
		/^\.Sh / { sec = substr($0, 5); gsub(/"/, "", sec); next }
		/^\.\\" placeholder / { split($0, a, " "); ph = ph a[3] "\t" substr($0, index($0, a[3]) + length(a[3]) + 1) "\n"; next }
		/^\.\\" not a command/ { skip = 1; next }
		/^\.Bd -literal/ { inb = 1; cmds = 0; cont = 0; if (!skip) blocks++; next }
		/^\.Ed/ {
			if (inb && !skip && cmds == 0) fail("a literal block without a command (mark it .\\\" not a command)")
			inb = 0; skip = 0; cont = 0; next
		}
		!inb { next }
		skip { next }
		/^\.\\" before / { before = $3; next }
		/^\.\\" after / { if (n == 0) fail("after without a command"); put("after", $3); next }
		/^\.\\"/ { next }
		/^\./ { fail("a request inside a literal block: " $0) }
		{
			line = unescape($0)
			if (cont) {
				put("cmd", line)
				cont = (line ~ /\\$/ || line ~ /[|]$/)
				if (!cont) { last = line }
			} else if (line ~ /^\$ /) {
				n++; cmds++
				put("section", sec)
				put("cmd", substr(line, 3))
				if (before != "") { put("before", before); before = "" }
				cont = (line ~ /\\$/ || line ~ /[|]$/)
				if (!cont) { last = line }
			} else if (n > 0 && cmds > 0 && line != "" && line != "...") {
				put("expect", line)
			}
			if (!cont && last != "") {
				ex = "0"
				if (match(last, /# exit [0-9]+( or [0-9]+)?$/)) { ex = substr(last, RSTART + 7); sub(/ or /, " ", ex) }
				put("exit", ex)
				last = ""
			}
		}
		END {
			if (bad) exit 1
			printf "%s", ph > (dir "/placeholders")
			print n
		}' "$1"
}

# subst TEXT: TEXT with every placeholder replaced by its bash word (for a command)
rb_subst() {
	local s=$1 text expr
	while IFS=$'\t' read -r text expr; do
		[ -n "$text" ] || continue
		s=${s//"$text"/$expr}
	done <"$RB_STEPS/placeholders"
	printf '%s' "$s"
}
# subst_value TEXT: the same with the words' values (for a message)
rb_subst_value() {
	local s=$1 text expr value
	while IFS=$'\t' read -r text expr; do
		[ -n "$text" ] || continue
		value=$(eval "printf '%s' $expr" 2>/dev/null)
		s=${s//"$text"/$value}
	done <"$RB_STEPS/placeholders"
	printf '%s' "$s"
}

# rb_run_section NAME: run the commands of section NAME in order
rb_run_section() {
	local n i sec ran=0
	n=$(cat "$RB_STEPS/count")
	for ((i = 1; i <= n; i++)); do
		sec=$(cat "$RB_STEPS/$i.section")
		[ "$sec" = "$1" ] || continue
		rb_step "$i" || return 1
		ran=$((ran + 1))
	done
	[ "$ran" -gt 0 ] || { echo "no command in section $1"; return 1; }
}

# rb_step N: the hooks, the command in bash with the servers' environment, its exit status and
# messages checked
rb_step() {
	local i=$1 cmd want rc line pat out=$RB_ROOT/out.$1 h
	cmd=$(rb_subst "$(cat "$RB_STEPS/$i.cmd")")
	want=$(cat "$RB_STEPS/$i.exit")
	if [ -r "$RB_STEPS/$i.before" ]; then
		h=$(cat "$RB_STEPS/$i.before")
		"rb_before_$h" || { echo "step $i: the before hook $h failed"; return 1; }
	fi
	rc=0
	(cd "$RB_WORK" && bash -c "$cmd") >"$out" 2>&1 </dev/null 3>&- || rc=$?
	# RB_DEBUG_DIR: keep every command and its output there (to write the page's messages from)
	if [ -n "${RB_DEBUG_DIR:-}" ]; then
		{ printf '$ %s\n# exit %s\n' "$cmd" "$rc"; cat "$out"; } >"$RB_DEBUG_DIR/$i.txt"
	fi
	if [ -r "$RB_STEPS/$i.after" ]; then
		h=$(cat "$RB_STEPS/$i.after")
		"rb_after_$h" || { echo "step $i: the after hook $h failed"; return 1; }
	fi
	if [[ " $want " != *" $rc "* ]]; then
		printf 'step %s: exit %s, the runbook says %s:\n%s\n--- its output:\n' "$i" "$rc" "$want" "$cmd"
		tail -n 40 "$out"
		return 1
	fi
	if [ -r "$RB_STEPS/$i.expect" ]; then
		while IFS= read -r line; do
			pat=$(rb_subst_value "$line")
			# a glob: the page's text literally, "..." any text
			pat=$(printf '%s' "$pat" | sed 's/[][*?\\]/\\&/g; s/\.\.\./*/g')
			if ! rb_has_line "$pat" "$out"; then
				printf 'step %s: no line of its output is the runbook'"'"'s\n  %s\n%s\n--- its output:\n' "$i" "$line" "$cmd"
				tail -n 40 "$out"
				return 1
			fi
		done <"$RB_STEPS/$i.expect"
	fi
}
rb_has_line() { # GLOB FILE
	local l
	while IFS= read -r l || [ -n "$l" ]; do
		l=${l%"${l##*[![:space:]]}"}
		# shellcheck disable=SC2053 # a glob on purpose
		[[ "$l" == $1 ]] && return 0
	done <"$2"
	return 1
}

# ---- the hooks: what provokes the failures the page explains -------------------------------------
pg_hotel() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d hotel "$@"; }

# a MariaDB account with a password, for "access denied"
rb_before_app_account() {
	mariadb -e "CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY 'the-right-one'; GRANT SELECT ON hotel.* TO 'app'@'localhost'"
}
# a row of the target changed behind the migration's back, and put back afterwards
rb_before_change_row() {
	pg_hotel -c "UPDATE hotel.urunler SET urun_adi = urun_adi || ' (changed)' WHERE id = 3"
}
rb_after_change_row() {
	pg_hotel -c "UPDATE hotel.urunler SET urun_adi = left(urun_adi, -length(' (changed)')) WHERE id = 3"
}
# the newest PostgreSQL backup's dump damaged (one byte changed), and repaired afterwards
rb_before_damage_backup() {
	local bs=("$RB_BACKUPS"/postgresql-hotel-*) b
	b=${bs[-1]}
	cp "$b/dump.pgfc" "$RB_ROOT/dump.pgfc.good"
	printf 'X' | dd of="$b/dump.pgfc" bs=1 seek=4096 conv=notrunc status=none
}
rb_after_damage_backup() {
	local bs=("$RB_BACKUPS"/postgresql-hotel-*) b
	b=${bs[-1]}
	cp "$RB_ROOT/dump.pgfc.good" "$b/dump.pgfc"
}
# a session left idle in a transaction (until rb_after_idle_session, or the runbook ends it)
rb_before_idle_session() {
	mkfifo "$RB_ROOT/idle.fifo"
	psql -X -q -d hotel <"$RB_ROOT/idle.fifo" >/dev/null 2>&1 3>&- &
	RB_IDLE_PID=$!
	exec 5>"$RB_ROOT/idle.fifo"
	echo "SET application_name = 'runbook idle'; BEGIN; SELECT 1;" >&5
	local i
	for ((i = 0; i < 100; i++)); do
		RB_IDLE_BACKEND=$(pg_hotel -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'runbook idle'
			AND state = 'idle in transaction' AND state_change < now() - interval '1.2 s'")
		if [ -n "$RB_IDLE_BACKEND" ]; then
			export RB_IDLE_BACKEND
			return 0
		fi
		sleep 0.1
	done
	return 1
}
rb_after_idle_session() {
	exec 5>&-
	wait "$RB_IDLE_PID" 2>/dev/null || true
	rm -f "$RB_ROOT/idle.fifo"
}

# ---- the servers and the hotel database ------------------------------------------------------------
# private servers (the page uses the database name hotel on both), the hotel database at scale 1
# trimmed to a few thousand rows per big table (the planted oddities kept), the scratch
# directories the placeholders name
setup_file() {
	unset TEST_SERVERS_ENV
	servers_start
	export RB_ROOT=$BATS_FILE_TMPDIR/rb RB_WORK=$BATS_FILE_TMPDIR/rb/work RB_BACKUPS=$BATS_FILE_TMPDIR/rb/backups
	mkdir -p "$RB_WORK" "$RB_BACKUPS" "$RB_ROOT/www" "$RB_ROOT/etc/cron.d" "$RB_ROOT/steps"
	export RB_STEPS=$RB_ROOT/steps
	mariadb -e 'CREATE DATABASE hotel CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
	MYDB=hotel my_sql <"$REPO_ROOT/schema/mysql/hotel.sql"
	{ echo 'SET @scale = 1, @seed = 1;'; cat "$REPO_ROOT/schema/mysql/hotel-data.sql"; } | MYDB=hotel my_sql >/dev/null
	# every n-th row kept, so that the rows still span the year the queries look into
	MYDB=hotel my_sql "DELETE FROM qr_kod_okutma_loglari WHERE id > 2000" \
		"DELETE FROM sistem_loglari WHERE id > 2000" \
		"DELETE FROM audit_logs WHERE id % 5 <> 0" \
		"DELETE FROM stok_hareketleri WHERE id % 8 <> 0" \
		"DELETE FROM minibar_islem_detay WHERE islem_id % 13 <> 0 AND id < (SELECT m FROM (SELECT max(id) AS m FROM minibar_islem_detay) x)" \
		"DELETE FROM minibar_islemleri WHERE id % 13 <> 0"
	local n
	n=$(rb_extract "$PAGE" "$RB_STEPS") || return 1
	echo "$n" >"$RB_STEPS/count"
}
teardown_file() { servers_stop; }

setup() {
	export PATH=$REPO_ROOT/scripts:$BIN:$PATH
	export ROWSTREAM_BACKUP_DIR=$RB_BACKUPS
}

@test "runbook: the page's commands are found, every literal block is a transcript, every section is run" {
	local n secs s
	n=$(cat "$RB_STEPS/count")
	[ "$n" -ge 40 ] || { echo "only $n commands"; return 1; }
	secs=$(cat "$RB_STEPS"/*.section | sort -u)
	while IFS= read -r s; do
		[[ " ${SECTIONS[*]/%/|} " == *" $s|"* ]] || { echo "section $s has commands but no test"; return 1; }
	done <<<"$secs"
	# every placeholder is used, and is a path of the operator's machine, not of this one
	[ "$(wc -l <"$RB_STEPS/placeholders")" -ge 5 ]
	mandoc -Tlint -W warning "$PAGE"
}

@test "runbook: THE WORKED EXAMPLE" { rb_run_section "THE WORKED EXAMPLE"; }
@test "runbook: PRE-MIGRATION CHECKLIST" { rb_run_section "PRE-MIGRATION CHECKLIST"; }
@test "runbook: MIGRATION" { rb_run_section "MIGRATION"; }
@test "runbook: BACKUP AND RESTORE" { rb_run_section "BACKUP AND RESTORE"; }
@test "runbook: MONITORING" { rb_run_section "MONITORING"; }
@test "runbook: HEALTH CHECKS" { rb_run_section "HEALTH CHECKS"; }
@test "runbook: TROUBLESHOOTING" { rb_run_section "TROUBLESHOOTING"; }
@test "runbook: ROLLBACK PROCEDURE" { rb_run_section "ROLLBACK PROCEDURE"; }
