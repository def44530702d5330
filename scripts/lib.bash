# shellcheck shell=bash
# scripts/lib.bash: helpers the shell scripts share (sourced by scripts/verify and scripts/migrate).
#
#   lib_tool NAME          path of a toolkit program: $BIN/NAME, else NAME on PATH; exits 2 when missing
#   my_name DB TABLE       `db`.`table` for my-extract (backticks doubled)
#   pg_part NAME           one part of a PostgreSQL name for the tools: bare, or "quoted" when needed
#   pg_name SCHEMA TABLE   schema.table for pg-load / pg-extract / fk-check
#   kt_field VALUE         one field of a key-text list (common/keytext.h)
#   tsv_unescape FIELD     a field of `row-cat --tsv` back to its bytes
#   json_str STRING        a JSON string literal (jq does the heavy JSON work; this is for printf)
#   stream_columns FILE    the column names of a row stream's header, as a key-text list (for
#                          pg-extract --columns); needs $ROW_CAT
#
# The caller sets `prog` (for messages) and `BIN` before sourcing.

lib_tool() {
	if [ -x "$BIN/$1" ]; then
		printf '%s\n' "$BIN/$1"
	elif command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
	else
		echo "${prog:-scripts}: $1 not found in $BIN or PATH (run make)" >&2
		exit 2
	fi
}

my_name() {
	local d=${1//\`/\`\`} t=${2//\`/\`\`}
	printf '%s' "\`$d\`.\`$t\`"
}

# bare parts are matched exactly, else case-insensitively, by the tools; a part needs quotes when
# it holds a dot or a quote, edge spaces, or is empty
pg_part() {
	case "$1" in
	*[.\"]* | ' '* | *' ' | '') printf '"%s"' "${1//\"/\"\"}" ;;
	*) printf '%s' "$1" ;;
	esac
}
pg_name() { printf '%s.%s' "$(pg_part "$1")" "$(pg_part "$2")"; }

# quoted when empty or holding , " \ control characters or edge spaces
kt_field() {
	local s=$1
	if [ -z "$s" ] || [[ "$s" == *[,\"\\]* ]] || [[ "$s" == *[[:cntrl:]]* ]] || [[ "$s" == ' '* ]] ||
		[[ "$s" == *' ' ]]; then
		printf '"%s"' "${s//\"/\"\"}"
	else
		printf '%s' "$s"
	fi
}

# \t \n \r \\ of row-cat --tsv back to bytes
tsv_unescape() {
	local s=$1 out='' c
	while [ -n "$s" ]; do
		c=${s:0:1}
		if [ "$c" = "\\" ] && [ ${#s} -ge 2 ]; then
			case "${s:1:1}" in
			t) out+=$'\t' ;;
			n) out+=$'\n' ;;
			r) out+=$'\r' ;;
			*) out+=${s:1:1} ;;
			esac
			s=${s:2}
		else
			out+=$c
			s=${s:1}
		fi
	done
	printf '%s' "$out"
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
		cols+=$(kt_field "$c")
	done < <("$ROW_CAT" --header-only "$1" |
		awk 'sub(/^column: /, "") { i = index($0, " type="); print (i ? substr($0, 1, i - 1) : $0) }')
	printf '%s' "$cols"
}
