# shellcheck shell=bash
# scripts/lib.bash: helpers the shell scripts share (sourced by scripts/verify and scripts/migrate).
#
#   lib_tool NAME          path of a toolkit program: $BIN/NAME, else NAME on PATH; exits 2 when missing
#   lib_tool_var VAR NAME  the same into the variable VAR (no subshell)
#   my_name DB TABLE       `db`.`table` for my-extract (backticks doubled)
#   pg_part NAME           one part of a PostgreSQL name for the tools: bare, or "quoted" when needed
#   pg_name SCHEMA TABLE   schema.table for pg-load / pg-extract / fk-check
#   kt_field VALUE         one field of a key-text list (common/keytext.h)
#   tsv_unescape FIELD     a field of `row-cat --tsv` back to its bytes
#   (each also as NAME_to VAR ARGS..., which sets VAR instead of printing: no subshell)
#   json_str STRING        a JSON string literal (jq does the heavy JSON work; this is for printf)
#   stream_columns FILE    the column names of a row stream's header, as a key-text list (for
#                          pg-extract --columns); needs $ROW_CAT
#
# For the operations scripts (backup, restore, health):
#   lib_my_opt ARGS...     when $1 is a MySQL connection option (-h -P -u -S -p, --host=...,
#                          --defaults-file=...), add it to the array myopts and set lib_shift to
#                          the arguments it took (1 or 2), else lib_shift=0; -p asks on the
#                          terminal; a password goes to MYSQL_PWD, never into argv
#   lib_my_dump_opts       myopts ordered for the mariadb clients (option files first), NUL-separated
#   strip_conninfo_password CONNINFO
#                          sets lib_conninfo to the conninfo without its password, which goes to
#                          PGPASSWORD (exported, with a warning); not in a $(...), which would lose it
#   conninfo_db CONNINFO DB
#                          a conninfo for database DB of the same server (CONNINFO may be empty:
#                          the PG* variables)
#   backup_latest DIR KIND DB [verified]
#                          the manifest (JSON, one line) of the newest complete backup of KIND
#                          (mysql or postgresql) of database DB in DIR, with "dir" added; with
#                          verified, of the newest verified one; nothing when there is none
#   iso_now, epoch_of ISO  a UTC time stamp; the epoch seconds of one
#   conn_dbname CONNINFO   the database a conninfo names (else PGDATABASE, else the user name)
#   pg_table_checksum SNAPSHOT CONNINFO SCHEMA TABLE
#                          "rows N digest D" of one table by pg-extract | row-checksum, in an
#                          exported SNAPSHOT when not empty; needs $PG_EXTRACT and $ROW_CHECKSUM
#
# The caller sets `prog` (for messages) and `BIN` before sourcing.

lib_tool() {
	local lib_tool_path
	lib_tool_var lib_tool_path "$1"
	printf '%s\n' "$lib_tool_path"
}
lib_tool_var() { # VAR NAME: lib_tool into a variable, without a process
	local p
	if [ -x "$BIN/$2" ]; then
		printf -v "$1" '%s' "$BIN/$2"
	elif p=$(type -P "$2"); then
		printf -v "$1" '%s' "$p"
	else
		echo "${prog:-scripts}: $2 not found in $BIN or PATH (run make)" >&2
		exit 2
	fi
}

my_name_to() { # VAR DB TABLE: my_name into VAR, without a subshell
	local _d=${2//\`/\`\`} _t=${3//\`/\`\`}
	printf -v "$1" '%s' "\`$_d\`.\`$_t\`"
}
my_name() {
	local n
	my_name_to n "$1" "$2"
	printf '%s' "$n"
}

# bare parts are matched exactly, else case-insensitively, by the tools; a part needs quotes when
# it holds a dot or a quote, edge spaces, or is empty
pg_part_to() { # VAR NAME: pg_part into VAR, without a subshell
	case "$2" in
	*[.\"]* | ' '* | *' ' | '') printf -v "$1" '"%s"' "${2//\"/\"\"}" ;;
	*) printf -v "$1" '%s' "$2" ;;
	esac
}
pg_part() {
	local p
	pg_part_to p "$1"
	printf '%s' "$p"
}
pg_name_to() { # VAR SCHEMA TABLE: pg_name into VAR, without a subshell
	local _s _t
	pg_part_to _s "$2"
	pg_part_to _t "$3"
	printf -v "$1" '%s.%s' "$_s" "$_t"
}
pg_name() {
	local n
	pg_name_to n "$1" "$2"
	printf '%s' "$n"
}

# quoted when empty or holding , " \ control characters or edge spaces
kt_field_to() { # VAR VALUE: kt_field into VAR, without a subshell
	local _s=$2
	if [ -z "$_s" ] || [[ "$_s" == *[,\"\\]* ]] || [[ "$_s" == *[[:cntrl:]]* ]] || [[ "$_s" == ' '* ]] ||
		[[ "$_s" == *' ' ]]; then
		printf -v "$1" '"%s"' "${_s//\"/\"\"}"
	else
		printf -v "$1" '%s' "$_s"
	fi
}
kt_field() {
	local f
	kt_field_to f "$1"
	printf '%s' "$f"
}

# \t \n \r \\ of row-cat --tsv back to bytes
tsv_unescape_to() { # VAR FIELD: tsv_unescape into VAR, without a subshell
	local _s=$2 _out='' _c
	while [[ "$_s" == *\\* ]]; do
		_out+=${_s%%\\*}
		_s=${_s#*\\}
		_c=${_s:0:1}
		case $_c in
		t) _out+=$'\t' ;;
		n) _out+=$'\n' ;;
		r) _out+=$'\r' ;;
		'') _out+=\\ ;; # a backslash at the end stays
		*) _out+=$_c ;;
		esac
		_s=${_s:1}
	done
	printf -v "$1" '%s' "$_out$_s"
}
tsv_unescape() {
	local u
	tsv_unescape_to u "$1"
	printf '%s' "$u"
}

json_str() {
	local s=$1 out='' c code i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case "$c" in
		'"') out+='\"' ;;
		"\\") out+="\\\\" ;;
		$'\n') out+='\n' ;;
		$'\t') out+='\t' ;;
		$'\r') out+='\r' ;;
		*)
			LC_CTYPE=C printf -v code '%d' "'$c"
			if [ "$code" -ge 0 ] && [ "$code" -lt 32 ]; then
				out+=$(printf '\\u%04x' "$code")
			else
				out+=$c
			fi
			;;
		esac
	done
	printf '"%s"' "$out"
}

stream_columns() {
	local c cols=''
	while IFS= read -r c; do
		[ -z "$cols" ] || cols+=,
		kt_field_to c "$c"
		cols+=$c
	done < <("$ROW_CAT" --header-only "$1" |
		awk 'sub(/^column: /, "") { i = index($0, " type="); print (i ? substr($0, 1, i - 1) : $0) }')
	printf '%s' "$cols"
}

# shellcheck disable=SC2034 # lib_shift is the caller's
lib_my_opt() {
	lib_shift=0
	case "${1:-}" in
	-h | -P | -u | -S)
		if [ $# -lt 2 ]; then
			echo "$prog: option $1 needs a value" >&2
			return 2
		fi
		myopts+=("$1" "$2")
		lib_shift=2
		;;
	-h?* | -P?* | -u?* | -S?* | --host=* | --port=* | --user=* | --socket=* | --defaults-file=* | \
		--defaults-extra-file=* | --no-defaults | --ssl-mode=* | --ssl-ca=* | --ssl-cert=* | --ssl-key=*)
		myopts+=("$1")
		lib_shift=1
		;;
	-p | --password)
		# as the MySQL clients: ask on the terminal; the password travels in MYSQL_PWD
		if [ ! -t 0 ]; then
			echo "$prog: -p without a value needs a terminal; use MYSQL_PWD or an option file" >&2
			return 2
		fi
		read -r -s -p "Enter password: " MYSQL_PWD </dev/tty
		echo >&2
		export MYSQL_PWD
		lib_shift=1
		;;
	-p?* | --password=*)
		if [[ "$1" == --password=* ]]; then MYSQL_PWD=${1#*=}; else MYSQL_PWD=${1#-p}; fi
		export MYSQL_PWD
		echo "$prog: warning: a password on the command line is visible to other users; use MYSQL_PWD or an option file" >&2
		lib_shift=1
		;;
	esac
	return 0
}

# the mariadb clients want --no-defaults / --defaults-file first; -h -P -u -S as they are
lib_my_dump_opts() {
	local o first=() rest=() i=0
	while [ "$i" -lt "${#myopts[@]}" ]; do
		o=${myopts[$i]}
		case "$o" in
		--no-defaults | --defaults-file=* | --defaults-extra-file=*) first+=("$o") ;;
		-h | -P | -u | -S) rest+=("$o" "${myopts[$((i + 1))]}"); i=$((i + 1)) ;;
		--ssl-mode=*) ;; # MariaDB's clients have --ssl and --ssl-verify-server-cert instead
		*) rest+=("$o") ;;
		esac
		i=$((i + 1))
	done
	[ $((${#first[@]} + ${#rest[@]})) -eq 0 ] || printf '%s\0' ${first[@]+"${first[@]}"} ${rest[@]+"${rest[@]}"}
}

# shellcheck disable=SC2034 # lib_conninfo is the caller's
strip_conninfo_password() {
	local c=$1 re_kv="(^|[[:space:]])[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd][[:space:]]*=[[:space:]]*('([^'\\\\]|\\\\.)*'|[^[:space:]]*)"
	local re_uri='^(postgres(ql)?://[^:/@]*):([^@/]*)@(.*)$'
	if [[ "$c" =~ $re_uri ]]; then
		PGPASSWORD=${BASH_REMATCH[3]}
		c="${BASH_REMATCH[1]}@${BASH_REMATCH[4]}"
	elif [[ "$c" =~ $re_kv ]]; then
		local v=${BASH_REMATCH[2]}
		c=${c/"${BASH_REMATCH[0]}"/${BASH_REMATCH[1]}}
		if [[ "$v" == \'*\' ]]; then v=${v:1:${#v}-2}; v=${v//\\\'/\'}; fi
		PGPASSWORD=$v
	else
		lib_conninfo=$c
		return 0
	fi
	export PGPASSWORD
	echo "$prog: warning: a password in the conninfo is visible to other users; use PGPASSWORD or ~/.pgpass" >&2
	lib_conninfo=$c
}

conninfo_db() {
	local c=$1 d=$2 v
	v=${d//\\/\\\\}
	v="'${v//\'/\\\'}'"
	if [[ "$c" =~ ^postgres(ql)?:// ]]; then
		local re='^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$'
		[[ "$c" =~ $re ]]
		printf '%s/%s%s' "${BASH_REMATCH[1]}" "$(jq -rn --arg d "$d" '$d | @uri')" "${BASH_REMATCH[4]}"
	elif [[ "$c" == *=* ]]; then
		printf '%s dbname=%s' "$c" "$v" # the last dbname wins
	else
		printf 'dbname=%s' "$v" # empty, or a bare database name
	fi
}

iso_now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
epoch_of() { date -u -d "$1" +%s; }

backup_latest() {
	local dir=$1 kind=$2 db=$3 want=${4:-} m
	[ -d "$dir" ] || return 0
	for m in "$dir"/*/manifest.json; do
		[ -r "$m" ] || continue
		jq -c --arg d "$(dirname "$m")" '. + {dir: $d}' "$m" 2>/dev/null || true
	done | jq -sc --arg k "$kind" --arg db "$db" --arg w "$want" '
		map(select(.kind == $k and .database == $db and .complete == true and
			($w != "verified" or (.verification.ok // false))))
		| sort_by(.started_at) | last // empty'
}

conn_dbname() {
	local c=$1 re_kv="(^|[[:space:]])dbname[[:space:]]*=[[:space:]]*'?([^' ]*)" re_uri='^postgres(ql)?://[^/]*/([^?]+)'
	if [[ "$c" =~ $re_uri ]] || [[ "$c" =~ $re_kv ]]; then
		printf '%s' "${BASH_REMATCH[2]}"
	elif [ -n "$c" ] && [[ "$c" != *=* ]] && [[ "$c" != postgres*://* ]]; then
		printf '%s' "$c"
	else
		printf '%s' "${PGDATABASE:-${PGUSER:-$(id -un)}}"
	fi
}

pg_table_checksum() {
	local o=() out
	[ -z "$1" ] || o+=(--snapshot "$1")
	[ -z "$2" ] || o+=(-d "$2")
	out=$("$PG_EXTRACT" -q --unordered ${o[@]+"${o[@]}"} "$(pg_name "$3" "$4")" | "$ROW_CHECKSUM" -q) || return 1
	printf '%s' "$out"
}

# psql itself, not Debian's pg_wrapper: there /usr/bin/psql is a Perl script that spends about
# 80 ms of CPU choosing a version before psql starts, and migrate runs psql dozens of times. When
# psql on PATH is that wrapper, the newest installed psql binary is used instead (psql talks to
# older servers, as the wrapper itself would pick for a remote one). LIB_PSQL, once found, is
# exported for the scripts' children; set it to choose another psql.
if [ -z "${LIB_PSQL:-}" ] && LIB_PSQL=$(command -v psql) &&
	[ "$(readlink -f "$LIB_PSQL")" = /usr/share/postgresql-common/pg_wrapper ]; then
	for lib_p in /usr/lib/postgresql/*/bin/psql; do
		[ -x "$lib_p" ] || continue
		case $LIB_PSQL in
		/usr/lib/postgresql/*/bin/psql)
			lib_v=${LIB_PSQL#/usr/lib/postgresql/} lib_w=${lib_p#/usr/lib/postgresql/}
			[ "${lib_w%%/*}" -le "${lib_v%%/*}" ] 2>/dev/null || LIB_PSQL=$lib_p ;;
		*) LIB_PSQL=$lib_p ;;
		esac
	done
	unset lib_p lib_v lib_w
fi
if [ -n "${LIB_PSQL:-}" ]; then
	export LIB_PSQL
	psql() { "$LIB_PSQL" "$@"; }
fi
