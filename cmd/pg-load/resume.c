/*
 * resume.c - a stream loaded into a table that has a checkpoint: it must start after the
 * checkpoint's key (resuming), else it is refused before anything is sent.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "keyorder.h"
#include "keytext.h"
#include "log.h"
#include "loader.h"
#include "pgconn.h"

/* a resumed stream's first row sorts after the checkpoint: its first block must end after it too
 * (later blocks: the reader checks that block keys increase, or differ where it cannot know their
 * order). Keys of a type whose order this side knows (keyorder.h) must not sort before the first
 * row; any key must not be the checkpoint's. */
static int check_first_block(loader *L)
{
	size_t klen, n = L->h->nkey;
	const uint8_t *k = rs_reader_block_key(L->r, &klen);
	rs_value *kv = mem_calloc(2 * n, sizeof *kv);
	const rs_value *v = rs_reader_values(L->r);
	int s = PL_OK;
	if (klen && rs_decode_values(k, klen, n, kv)) {
		for (size_t i = 0; i < n; i++)
			kv[n + i] = v[L->h->key[i]];
		buf last;
		buf_init(&last);
		load_key_text(L, &last, kv);
		bool back = keyorder_agrees(L->h) && keyorder_cmp(L->h, kv, kv + n) < 0;
		if (back || strcmp(buf_cstr(&last), L->cp->last_key) == 0) {
			log_error("%s has a checkpoint at key %s; the stream starts after it but its first block ends at key %s, "
			          "%s: the stream is not in key order, nothing of it is loaded",
			          L->t->qname, L->cp->last_key, buf_cstr(&last), back ? "before its first row" : "the checkpoint");
			s = PL_STREAM;
		}
		buf_free(&last);
	}
	free(kv);
	return s;
}

int resume_check(loader *L)
{
	const checkpoint *cp = L->cp;
	if (!L->checkpoints || L->o->truncate || !cp->exists)
		return PL_OK;
	if (!cp->valid) {
		log_warn("the checkpoint of %s was written for a table that has since been dropped: ignored",
		         L->t->qname);
		return PL_OK;
	}
	L->base_rows = cp->rows;
	L->base_rejected = cp->rejected;
	if (!cp->has_key) {
		if (cp->rows == 0)
			return PL_OK;
		log_error("%s was already loaded by pg-load (%" PRIu64 " rows, %s) in one transaction, as a table "
		          "without a key: reload it with --truncate, or forget that load with --reset-checkpoint",
		          L->t->qname, cp->rows, cp->updated_at);
		return PL_USAGE;
	}
	if (L->h->nkey == 0) {
		log_error("%s has a checkpoint at key %s but the stream has no key: reload with --truncate", L->t->qname,
		          cp->last_key);
		return PL_USAGE;
	}
	buf first;
	buf_init(&first);
	load_current_key_text(L, &first);
	bool refuse = strcmp(buf_cstr(&first), cp->last_key) == 0;
	bool collatable = false;
	for (size_t k = 0; k < L->h->nkey; k++)
		collatable |= L->t->cols[L->plan[L->h->key[k]].tcol].collatable;
	int s = PL_OK;
	if (!refuse) {
		char **fv = NULL, **cv = NULL;
		size_t *fl = NULL, *cl = NULL, fn = 0, cn = 0;
		if (!keytext_parse(buf_cstr(&first), &fv, &fl, &fn) || !keytext_parse(cp->last_key, &cv, &cl, &cn) ||
		    fn != L->h->nkey || cn != L->h->nkey) {
			log_error("the checkpoint key %s of %s does not fit the stream's key", cp->last_key, L->t->qname);
			s = PL_USAGE;
		} else {
			/* non-collatable keys compare the same everywhere: first key <= checkpoint?
			 * text keys may sort differently in the source: is the first row already here? */
			buf sql, a, b;
			buf_init(&sql);
			buf_init(&a);
			buf_init(&b);
			const char **params = mem_calloc(2 * fn, sizeof *params);
			for (size_t k = 0; k < fn; k++) {
				const target_col *tc = &L->t->cols[L->plan[L->h->key[k]].tcol];
				params[k] = fv[k];
				params[fn + k] = cv[k];
				buf_printf(&a, "%s$%zu::%s", k ? ", " : "", k + 1, tc->type_name);
				buf_printf(&b, "%s$%zu::%s", k ? ", " : "", fn + k + 1, tc->type_name);
			}
			if (!collatable) {
				buf_printf(&sql, "SELECT ROW(%s) <= ROW(%s)", buf_cstr(&a), buf_cstr(&b));
			} else {
				buf_printf(&sql, "SELECT EXISTS (SELECT 1 FROM %s WHERE ", L->t->qname);
				for (size_t k = 0; k < fn && s == PL_OK; k++) {
					const target_col *tc = &L->t->cols[L->plan[L->h->key[k]].tcol];
					if (k)
						buf_puts(&sql, " AND ");
					if (!pgconn_ident(&sql, *L->conn, tc->name))
						s = PL_FATAL; /* logged; the query is not sent */
					buf_printf(&sql, " = $%zu::%s", k + 1, tc->type_name);
				}
				buf_puts(&sql, ")");
			}
			PGresult *res = NULL;
			if (s == PL_OK)
				res = pgconn_query(*L->conn, SIDE, buf_cstr(&sql), collatable ? (int)fn : (int)(2 * fn), params);
			if (!res)
				s = PL_FATAL;
			else
				refuse = PQgetvalue(res, 0, 0)[0] == 't';
			PQclear(res);
			free(params);
			buf_free(&sql);
			buf_free(&a);
			buf_free(&b);
		}
		keytext_free(fv, fl, fn);
		keytext_free(cv, cl, cn);
	}
	if (s == PL_OK && refuse) {
		log_error("%s has a checkpoint at key %s (%" PRIu64 " rows committed, %s) and the stream starts at key %s, "
		          "%s: resume with the rows after it (key=$(pg-load --checkpoint %s); my-extract --after \"$key\" "
		          "...), or reload with --truncate",
		          L->t->qname, cp->last_key, cp->rows, cp->updated_at, buf_cstr(&first),
		          collatable ? "which is already in the table" : "not after it", L->t->qname);
		s = PL_USAGE;
	}
	buf_free(&first);
	if (s == PL_OK)
		s = check_first_block(L);
	return s;
}
