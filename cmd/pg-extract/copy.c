/*
 * copy.c - the rows of COPY ... TO STDOUT (FORMAT binary), parsed tuple by tuple as they
 * arrive (PQgetCopyData), their fields written into the stream as the server sent them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pg-extract.h"

static const char copy_signature[11] = "PGCOPY\n\377\r\n";

/* parses one tuple at c; 1 a row, 0 the trailer, -1 malformed, -2 incomplete */
int px_parse_tuple(cursor *c, size_t nfields, px_field *f)
{
	uint16_t n;
	const uint8_t *p;
	if (!cursor_bytes(c, 2, &p))
		return -2;
	n = byteorder_get_u16be(p);
	if (n == 0xffff)
		return 0;
	if (n != nfields)
		return -1;
	for (size_t i = 0; i < nfields; i++) {
		if (!cursor_bytes(c, 4, &p))
			return -2;
		int32_t len = (int32_t)byteorder_get_u32be(p);
		if (len < -1)
			return -1;
		f[i].len = len;
		f[i].p = NULL;
		if (len > 0 && !cursor_bytes(c, (size_t)len, &f[i].p))
			return -2;
		if (len == 0)
			f[i].p = (const uint8_t *)"";
	}
	return 1;
}

static bool put_row(extract *x, const px_field *f)
{
	for (size_t i = 0; i < x->nout; i++) {
		bool ok;
		if (x->lenpos[i] != SIZE_MAX && f[x->lenpos[i]].len >= 0) {
			const px_field *lf = &f[x->lenpos[i]];
			if (lf->len != 4) {
				log_error("[%s] malformed octet_length in the COPY data", SIDE);
				return false;
			}
			uint64_t total = byteorder_get_u32be(lf->p);
			if (f[i].len >= 0) {
				ok = rs_writer_put(x->w, f[i].p, (size_t)f[i].len);
			} else {
				const uint8_t *pkv[64];
				int pkl[64];
				if (x->nloc > 64) {
					log_error("[%s] primary key of %s has more than 64 columns", SIDE, x->qtable);
					return false;
				}
				for (size_t k = 0; k < x->nloc; k++) {
					pkv[k] = f[x->pkpos[k]].p;
					pkl[k] = f[x->pkpos[k]].len;
				}
				ok = px_fetch_pieces(x, i, total, pkv, pkl);
			}
		} else if (f[i].len < 0) {
			ok = rs_writer_put_null(x->w);
		} else {
			ok = rs_writer_put(x->w, f[i].p, (size_t)f[i].len);
		}
		if (!ok)
			return false;
	}
	if (!rs_writer_end_row(x->w))
		return false;
	x->rows++;
	return true;
}

px_status px_run_copy(extract *x, const char *sql)
{
	PGresult *r = PQexec(x->c, sql);
	if (!r || PQresultStatus(r) != PGRES_COPY_OUT) {
		pgconn_log_error(SIDE, x->c, r, "unable to start COPY");
		PQclear(r);
		return PX_SOURCE;
	}
	PQclear(r);
	px_field *f = mem_calloc(x->nfields, sizeof *f);
	buf pending; /* COPY data not yet parsed (a message normally holds one whole tuple) */
	buf_init(&pending);
	bool header = false, trailer = false;
	px_status rc = PX_OK;
	for (;;) {
		char *data = NULL;
		int n = PQgetCopyData(x->c, &data, 0);
		if (n == -1)
			break;
		if (n < 0) {
			pgconn_log_error(SIDE, x->c, NULL, "COPY failed");
			rc = PX_SOURCE;
			goto out;
		}
		const uint8_t *p = (const uint8_t *)data;
		size_t len = (size_t)n;
		if (pending.len) {
			buf_append(&pending, data, len);
			p = pending.data;
			len = pending.len;
		}
		cursor c = {p, p + len};
		if (!header) {
			const uint8_t *h;
			if (!cursor_bytes(&c, 19, &h) || memcmp(h, copy_signature, 11) != 0) {
				log_error("[%s] COPY data does not start with the binary signature", SIDE);
				PQfreemem(data);
				rc = PX_SOURCE;
				goto out;
			}
			uint32_t ext = byteorder_get_u32be(h + 15);
			if (!cursor_bytes(&c, ext, &h)) {
				log_error("[%s] COPY header extension cut short", SIDE);
				PQfreemem(data);
				rc = PX_SOURCE;
				goto out;
			}
			header = true;
		}
		while (c.p < c.end && !trailer) {
			cursor save = c;
			int k = px_parse_tuple(&c, x->nfields, f);
			if (k == -2) {
				c = save;
				break;
			}
			if (k < 0) {
				log_error("[%s] malformed COPY data after %" PRIu64 " rows", SIDE, x->rows);
				PQfreemem(data);
				rc = PX_SOURCE;
				goto out;
			}
			if (k == 0) {
				trailer = true;
				break;
			}
			if (!put_row(x, f)) {
				PQfreemem(data);
				rc = x->c2 && PQstatus(x->c2) != CONNECTION_OK ? PX_SOURCE : PX_IO;
				goto out;
			}
		}
		/* keep what is left for the next message */
		size_t left = (size_t)(c.end - c.p);
		if (left && !trailer) {
			if (pending.len) {
				memmove(pending.data, c.p, left);
				pending.len = left;
			} else {
				buf_append(&pending, c.p, left);
			}
		} else {
			buf_reset(&pending);
		}
		PQfreemem(data);
	}
	r = PQgetResult(x->c);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		pgconn_log_error(SIDE, x->c, r, "COPY failed");
		rc = PX_SOURCE;
	} else if (!trailer) {
		log_error("[%s] COPY data ended without its trailer", SIDE);
		rc = PX_SOURCE;
	}
	PQclear(r);
	while ((r = PQgetResult(x->c)) != NULL)
		PQclear(r);
out:
	free(f);
	buf_free(&pending);
	return rc;
}
