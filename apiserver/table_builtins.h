/*
 * table_builtins.h: the columns `kubectl get` shows for built-in kinds, as
 * Kubernetes' own printers define and fill them (pkg/printers/internalversion).
 */
#ifndef GOTK_APISERVER_TABLE_BUILTINS_H
#define GOTK_APISERVER_TABLE_BUILTINS_H

#include "table_format.h"

/* Append a built-in kind's column definitions after Name (Age included). */
void table_builtin_defs(const api_resource *r, json_object *defs);
/* Append a built-in object's cells after its name, matching the definitions. */
void table_builtin_cells(const api_resource *r, json_object *obj, json_object *cells);

#endif
