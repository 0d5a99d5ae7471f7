/*
 * ssa.c: server-side apply (PATCH with application/apply-patch+yaml).
 *
 * This first version applies the configuration the way a strategic merge
 * patch would (a JSON merge patch for custom resources), creating the object
 * when it does not exist, and requires a fieldManager as the real server does.
 * Field ownership (managedFields with FieldsV1 sets, conflicts, removal of
 * fields a manager stopped applying) is not tracked yet.
 */
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

/* Apply the request body. */
void do_apply(api_req *q, api_resp *out)
{
    if (!q->field_manager || !*q->field_manager) {
        api_status(out, 422, "Invalid", "meta.k8s.io", "PatchOptions", "",
                   "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is "
                   "required for apply patch");
        return;
    }
    json_object *cfg = h_parse_body(q, out), *cur = NULL, *n = NULL;
    if (!cfg || !h_check_gvk(q, cfg, out))
        goto done;
    const char *name = jx_meta_str(cfg, "name");
    if (name && strcmp(name, q->name)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "the name of the object (%s) does not match the name on the URL (%s)", name,
                   q->name);
        goto done;
    }
    cur = store_get(q->s->st, q->r->group, q->r->plural, q->r->namespaced ? q->ns : "", q->name);
    if (!cur) {
        jx_set_str(jx_ensure_obj(cfg, "metadata"), "name", q->name);
        const char *body = q->body;
        size_t len = q->body_len;
        char *text = jx_strdup(cfg);
        q->body = text;
        q->body_len = strlen(text);
        do_create(q, out);
        q->body = body;
        q->body_len = len;
        free(text);
        goto done;
    }
    n = q->r->crd ? jx_merge_patch(jx_copy(cur), cfg) : patch_strategic(jx_copy(cur), cfg);
    h_write_update(q, cur, n, out);
done:
    json_object_put(n);
    json_object_put(cur);
    json_object_put(cfg);
}
