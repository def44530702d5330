# shellcheck shell=bash
# tools.bash: the test-only programs of tests/tools/, for bats files that need them.
#
#   setup_file() { servers_start; tools_build; }
#   "$TOOLS/rs-gen" --rows 100 | "$BIN/pg-load" t
#
# tools_build sets TOOLS to a directory holding rs-gen, rs-splice, pg2rs and pgtext-check: $TEST_TOOLS_DIR
# when it already has them (e.g. built by the Makefile), else they are built once per bats file
# into $BATS_FILE_TMPDIR/tools, against a private build of libcommon.a.

TEST_TOOL_NAMES=(rs-gen rs-splice pg2rs pgtext-check)

tools_build() {
	local t missing=0 dir build cflags libs
	if [ -n "${TEST_TOOLS_DIR:-}" ]; then
		for t in "${TEST_TOOL_NAMES[@]}"; do
			[ -x "$TEST_TOOLS_DIR/$t" ] || missing=1
		done
		if [ "$missing" -eq 0 ]; then
			TOOLS=$TEST_TOOLS_DIR
			export TOOLS
			return 0
		fi
	fi
	dir=$BATS_FILE_TMPDIR/tools
	build=$dir/build
	mkdir -p "$dir"
	if ! make -s -C "$REPO_ROOT" BUILD="$build" "$build/libcommon.a" >"$dir/build.log" 2>&1; then
		echo "tools_build: building libcommon.a failed:" >&2
		cat "$dir/build.log" >&2
		return 1
	fi
	cflags=$(pkg-config --cflags libpq libzstd libxxhash libmariadb)
	libs=$(pkg-config --libs libpq libzstd libxxhash libmariadb)
	for t in "${TEST_TOOL_NAMES[@]}"; do
		# shellcheck disable=SC2086 # pkg-config output is a list of words
		if ! cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I"$REPO_ROOT/common" $cflags \
			-o "$dir/$t" "$REPO_ROOT/tests/tools/$t.c" "$build/libcommon.a" $libs -lcsv -lm 2>"$dir/$t.log"; then
			echo "tools_build: building $t failed:" >&2
			cat "$dir/$t.log" >&2
			return 1
		fi
	done
	TOOLS=$dir
	export TOOLS
}
