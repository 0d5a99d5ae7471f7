/*
 * kustomize replacements: copy a value from a source object's field into target
 * objects' fields (kustomize's ReplacementTransformer).
 *
 * Not implemented yet: a kustomization using `replacements:` fails with a clear
 * error rather than building something different from kustomize.
 */
#include "internal.h"

/* replacements: of one level. */
gotk_err *krepl_run(kctx *c, const char *root, json_object *k, kmap *m)
{
    (void)c;
    (void)root;
    (void)m;
    json_object *a = json_object_object_get(k, "replacements");
    if (a && json_object_is_type(a, json_type_array) && json_object_array_length(a))
        return gotk_err_new(GOTK_E_INVALID, "replacements are not supported by gotk yet");
    return NULL;
}
