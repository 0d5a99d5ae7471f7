/*
 * review.c: the review resources kubectl asks about itself.
 *
 * There is one identity here — whoever holds the admin token — and it may do
 * everything, so a SelfSubjectAccessReview (`kubectl auth can-i`) is always
 * allowed, and a SelfSubjectReview (`kubectl auth whoami`) names the admin user
 * in system:masters. Reviews are answered and never stored, as on a real server.
 */
#include <string.h>

#include "apiserver.h"

/* POST a review: the request object comes back with its status filled in. */
void do_review(api_req *q, api_resp *out)
{
    json_object *o = h_parse_body(q, out);
    if (!o || !h_check_gvk(q, o, out)) {
        json_object_put(o);
        return;
    }
    json_object *status = json_object_new_object();
    if (!strcmp(q->r->kind, "SelfSubjectAccessReview")) {
        json_object_object_add(status, "allowed", json_object_new_boolean(1));
        jx_set_str(status, "reason", "gotk-apiserver has a single administrator");
    } else {
        json_object *user = json_object_new_object(), *groups = json_object_new_array();
        jx_set_str(user, "username", "gotk-admin");
        json_object_array_add(groups, json_object_new_string("system:masters"));
        json_object_array_add(groups, json_object_new_string("system:authenticated"));
        json_object_object_add(user, "groups", groups);
        json_object_object_add(status, "userInfo", user);
    }
    json_object_object_add(o, "status", status);
    api_json(out, 201, o);
    json_object_put(o);
}
