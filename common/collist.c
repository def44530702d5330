#include "collist.h"

#include <stdlib.h>

#include "buf.h"
#include "keytext.h"
#include "log.h"
#include "pgname.h"

static bool resolve(const char *spec, const char *qtable, collist_find_fn find, const void *table, size_t ncols,
                    bool renames, size_t **out, size_t *nout)
{
	if (!spec) {
		*out = mem_calloc(ncols ? ncols : 1, sizeof **out);
		for (size_t i = 0; i < ncols; i++)
			(*out)[i] = i;
		*nout = ncols;
		return true;
	}
	char **names;
	size_t *lens, n;
	if (!keytext_parse(spec, &names, &lens, &n))
		return false;
	size_t *cols = mem_calloc(n, sizeof *cols);
	size_t k = 0;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		int c = find(table, names[i]);
		if (c == -1 && renames && pgname_is_system_column(names[i])) {
			/* a name PostgreSQL refuses: the column my-schema renamed it to (pgname.h) */
			c = pgname_find_renamed(names[i], (const char *const *)names, n, i, find, table, ncols);
			if (c == -2) {
				log_error("--columns: '%s' is named like a PostgreSQL system column, and several columns of %s "
				          "may be the one my-schema renamed it to (%s_...): list all the table's columns",
				          names[i], qtable, names[i]);
				ok = false;
				break;
			}
		}
		if (c < 0) {
			log_error("--columns: table %s has no column '%s'", qtable, names[i]);
			ok = false;
			break;
		}
		for (size_t j = 0; j < k && ok; j++)
			if (cols[j] == (size_t)c) {
				log_error("--columns: column '%s' given twice", names[i]);
				ok = false;
			}
		cols[k++] = (size_t)c;
	}
	keytext_free(names, lens, n);
	if (!ok) {
		free(cols);
		return false;
	}
	*out = cols;
	*nout = k;
	return true;
}

bool collist_resolve(const char *spec, const char *qtable, collist_find_fn find, const void *table,
                     size_t ncols, size_t **out, size_t *nout)
{
	return resolve(spec, qtable, find, table, ncols, false, out, nout);
}

bool collist_resolve_pg(const char *spec, const char *qtable, collist_find_fn find, const void *table,
                        size_t ncols, size_t **out, size_t *nout)
{
	return resolve(spec, qtable, find, table, ncols, true, out, nout);
}

bool collist_has_key(const size_t *cols, size_t n, const size_t *key, size_t nkey)
{
	if (nkey == 0)
		return false;
	for (size_t k = 0; k < nkey; k++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = cols[i] == key[k];
		if (!found)
			return false;
	}
	return true;
}
