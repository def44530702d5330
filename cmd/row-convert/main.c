/*
 * row-convert - a MySQL-domain row stream into a PostgreSQL-domain row stream.
 *
 * Each value becomes PostgreSQL's binary COPY representation of its target type
 * (common/typemap.h decides the type, common/convert.h converts). A row with a
 * value that cannot be converted exactly goes to the rejects file and is not
 * written; policies (convert.h) are the only way a value changes, and their use
 * is counted in the summary. Output blocks end where input blocks end, so block
 * keys (checkpoints) line up. See man/man1/row-convert.1 and row-convert.h.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "row-convert.h"

static void usage(FILE *f)
{
	/* row-convert(1)'s SYNOPSIS (tests/bats/usage.bats keeps them equal) */
	static const char *const forms[] = {
	    "row-convert [-q | -v] [-f] [--rules file] [--cast column=type] ... [--policy class=action] ... "
	    "[--timezone tz] [--rejects file] [--max-rejects n] [--zstd[=level]] [file]",
	    "row-convert --profile [-q | -v] [--rules file] [--cast column=type] ... [--policy class=action] ... "
	    "[--timezone tz] [file]",
	    NULL,
	};
	cli_usage(f, forms);
}

static void help(void)
{
	usage(stdout);
	fputs("\nConvert a MySQL-domain row stream (my-extract) into a PostgreSQL-domain one (pg-load).\n\n"
	      "  -q, --quiet            errors only\n"
	      "  -v, --verbose          more: each rejected row\n"
	      "  -f, --force            write the binary stream even to a terminal\n"
	      "  --rules FILE           cast/enum/policy/timezone directives (pg-load --describe)\n"
	      "  --cast COL=TYPE        target PostgreSQL type of a column (overrides the rules)\n"
	      "  --policy CLASS=ACTION  zero-date=reject|null|-infinity, nul-in-text=reject|strip|escape,\n"
	      "                         invalid-utf8=reject|replace, tinyint1-range=reject|true,\n"
	      "                         json-duplicate-key=reject|keep-last|keep-first\n"
	      "  --timezone TZ          time zone of DATETIME values (default UTC)\n"
	      "  --rejects FILE         keep rejected rows there (a row stream); without it the\n"
	      "                         first rejected row stops the conversion\n"
	      "  --max-rejects N        stop (exit 7) when more than N rows are rejected\n"
	      "  --zstd[=LEVEL]         compress output blocks (default level 3)\n"
	      "  --profile              convert every row as a run with --rejects would, write no\n"
	      "                         stream: print per-column counts of rejects and policy\n"
	      "                         changes, examples, fits and min/max as one JSON line\n"
	      "See row-convert(1).\n",
	      stdout);
}

/* the one mapping from how a conversion ended to the exit status */
static int exit_status(rc_status s)
{
	switch (s) {
	case RC_OK: return EXIT_OK;
	case RC_REJECTED: return EXIT_FOUND;
	case RC_USAGE: return EXIT_USAGE;
	case RC_STREAM: return EXIT_STREAM;
	case RC_LIMIT: return EXIT_LIMIT;
	case RC_IO: return EXIT_IO;
	}
	return EXIT_INTERNAL;
}

/* rows in, out, rejected and changed per policy, on stderr (not with -q) */
static void summary(const rc_conv *c)
{
	if (log_verbosity < 1 || !c->in)
		return; /* log_notice would say nothing: not even the line is built */
	buf s;
	buf_init(&s);
	buf_printf(&s, "%s%s%s: %" PRIu64 " rows in, %" PRIu64 " out, %" PRIu64 " rejected",
	           c->in->schema && *c->in->schema ? c->in->schema : "", c->in->schema && *c->in->schema ? "." : "",
	           c->in->table ? c->in->table : "", c->rows_in, c->rows_out, c->rejected);
	bool first = true;
	for (int k = 0; k < CONVERT_NCLASS; k++) {
		if (!c->changed[k])
			continue;
		buf_printf(&s, "%s%s %" PRIu64, first ? "; changed by policy: " : ", ",
		           convert_class_name((convert_class)k), c->changed[k]);
		first = false;
	}
	log_notice("%.*s", (int)s.len, s.data);
	buf_free(&s);
}

enum { OPT_RULES = 256, OPT_CAST, OPT_POLICY, OPT_TIMEZONE, OPT_PROFILE };

/* the command line into o: RC_OK (*helped: --help printed, nothing else to do) or RC_USAGE */
static rc_status parse_options(int argc, char **argv, rc_options *o, bool *helped)
{
	static const struct option longopts[] = {
		CLI_LONG_COMMON,
		CLI_LONG_FORCE,
		CLI_LONG_ZSTD,
		CLI_LONG_REJECTS,
		{"rules", required_argument, NULL, OPT_RULES},
		{"cast", required_argument, NULL, OPT_CAST},
		{"policy", required_argument, NULL, OPT_POLICY},
		{"timezone", required_argument, NULL, OPT_TIMEZONE},
		{"profile", no_argument, NULL, OPT_PROFILE},
		{NULL, 0, NULL, 0},
	};
	cli_settings cs;
	cli_settings_init(&cs);
	int opt;
	while ((opt = cli_getopt(argc, argv, CLI_SHORT_COMMON CLI_SHORT_HELP CLI_SHORT_FORCE, longopts, &cs)) != -1) {
		switch (opt) {
		case CLI_HELP:
			help();
			*helped = true;
			return RC_OK;
		case CLI_BAD: return RC_USAGE;
		case OPT_RULES: o->rules_path = optarg; break;
		case OPT_CAST:
			o->casts = mem_realloc(o->casts, (o->ncasts + 1) * sizeof *o->casts);
			o->casts[o->ncasts++] = optarg;
			break;
		case OPT_POLICY:
			o->policies = mem_realloc(o->policies, (o->npolicies + 1) * sizeof *o->policies);
			o->policies[o->npolicies++] = optarg;
			break;
		case OPT_TIMEZONE: o->timezone = optarg; break;
		case OPT_PROFILE: o->profile = true; break;
		default:
			usage(stderr);
			return RC_USAGE;
		}
	}
	o->force = cs.force;
	o->rejects_path = cs.rejects;
	o->max_rejects = cs.max_rejects;
	o->zstd_level = cs.zstd_level;
	cli_settings_free(&cs);
	if (argc - optind > 1) {
		log_error("unexpected argument '%s'", argv[optind + 1]);
		usage(stderr);
		return RC_USAGE;
	}
	o->input = optind < argc ? argv[optind] : NULL;
	if (o->profile && (o->rejects_path || o->max_rejects >= 0 || o->zstd_level)) {
		log_error("--profile writes no stream and counts every row: --rejects, --max-rejects and --zstd do "
		          "not apply");
		return RC_USAGE;
	}
	return RC_OK;
}

int main(int argc, char **argv)
{
	cli_init(argv[0]);
	rc_options o = {.out_fd = STDOUT_FILENO, .max_rejects = -1};
	bool helped = false;
	rc_status s = parse_options(argc, argv, &o, &helped);
	if (s != RC_OK || helped) {
		free(o.casts);
		free(o.policies);
		return exit_status(s);
	}
	rc_conv c;
	rc_conv_init(&c);
	s = rc_setup(&c, &o);
	bool ran = s == RC_OK;
	if (ran)
		s = rc_convert_rows(&c);
	if (ran) {
		/* the rejects file ends with its trailer even when the conversion stopped */
		if (!rc_close_rejects(&c) && (s == RC_OK || s == RC_REJECTED))
			s = RC_IO;
		summary(&c);
		if (c.rejected > 0 && c.rejects_path)
			log_warn("%" PRIu64 " rows rejected, kept in %s", c.rejected, c.rejects_path);
	}
	rc_conv_free(&c);
	free(o.casts);
	free(o.policies);
	return exit_status(s);
}
