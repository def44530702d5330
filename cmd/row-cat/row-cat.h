/*
 * row-cat.h - internal interfaces of row-cat (one binary, four modules):
 *   main.c   command line, the one status -> exit-code mapping
 *   text.c   values as CSV/TSV text; text of other character sets decoded for people
 *   show.c   a row stream as CSV/TSV, or its header
 *   load.c   CSV/TSV into a row stream
 * The modules log their errors once, where they happen, and return a status.
 */
#ifndef ROW_CAT_H
#define ROW_CAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "charset.h"
#include "outbuf.h"
#include "rowstream.h"

typedef enum {
	RCAT_OK = 0,
	RCAT_USAGE,    /* the command line does not fit the input (--key names no column) */
	RCAT_STREAM,   /* the input (row stream, CSV or TSV) is invalid */
	RCAT_IO,       /* read or write error */
	RCAT_INTERNAL, /* the CSV parser could not start */
} rcat_status;

/* ---------------------------------------------------------------- text.c */

/* a field as CSV (quoted when it must be: empty, comma, quote, CR, LF, a lone \.) or as TSV
 * (tab, newline, CR and backslash escaped); NULL is written by the caller */
void rcat_put_field(buf *out, bool tsv, const uint8_t *p, size_t n);
/* the escaping alone, for values written in pieces: CSV doubles quotes, TSV as above */
void rcat_csv_escape(buf *out, const uint8_t *p, size_t n);
void rcat_tsv_escape(buf *out, const uint8_t *p, size_t n);
/* a character set whose text row-cat shows decoded (neither UTF-8 nor binary), else
 * CHARSET_UNKNOWN: shown as stored */
charset_id rcat_shown_charset(const char *name);
/* text of set cs as UTF-8; what does not decode is shown as \xHH, byte by byte */
void rcat_decode_text(buf *out, charset_id cs, const uint8_t *p, size_t n);
/* a rejects file's key or row text (CSV fields of source values, NUL-holding ones as \x
 * and hex), each field decoded by the set of its column (list: comma-separated names) */
void rcat_decode_fields(buf *out, const char *list, const uint8_t *p, size_t n);

/* ---------------------------------------------------------------- show.c */

typedef struct rcat_show_opts {
	bool tsv;         /* TSV instead of CSV */
	bool header;      /* the line of column names */
	bool header_only; /* the stream's header, one item a line, and nothing else */
	bool raw;         /* text of a MySQL-domain stream as its bytes */
} rcat_show_opts;

/* the stream on fd (name for messages) as text on out_fd */
rcat_status rcat_show(int fd, const char *name, int out_fd, const rcat_show_opts *o);

/* ---------------------------------------------------------------- load.c */

typedef struct rcat_loader {
	/* set by the caller */
	bool tsv;
	const char *name;           /* of the input, for messages */
	const char *schema, *table; /* the table the stream names */
	const char *keycols;        /* --key: comma-separated column names, or NULL */
	rs_writer_opts wo;
	int out_fd;
	const char *out_name;
	/* state */
	rs_header *h;
	rs_writer *w;
	buf fields;       /* field bytes of the current record, back to back */
	size_t *off, *len;
	bool *null;
	size_t nf, capf;
	uint64_t line;    /* records seen (header included) */
	bool have_header;
	bool failed;
	rcat_status rc;
	bool pending_cr;  /* the previous record ended with CR: fold the LF of CR LF */
} rcat_loader;

/* CSV (or TSV with l->tsv) on fd into a row stream on l->out_fd */
rcat_status rcat_load(int fd, rcat_loader *l);

#endif
