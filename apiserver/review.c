/*
 * review.c: the review resources kubectl asks about itself.
 *
 * There is one identity here — whoever holds the admin token — and it may do
 * everything, so a SelfSubjectAccessReview (`kubectl auth can-i`) is always
 * allowed, and a SelfSubjectReview (`kubectl auth whoami`) names the admin user
 * in system:masters, or the user it impersonates. Reviews are answered and never stored, as on a real server.
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
        const api_user *u = q->who ? IDENTITY_EFFECTIVE(q->who) : NULL;
        json_object *user = json_object_new_object();
        jx_set_str(user, "username", u ? u->name : "gotk-admin");
        if (u && u->uid)
            jx_set_str(user, "uid", u->uid);
        if (u)
            json_object_object_add(user, "groups", json_object_get(u->groups));
        if (u && u->extra)
            json_object_object_add(user, "extra", json_object_get(u->extra));
        json_object_object_add(status, "userInfo", user);
    }
    json_object_object_add(o, "status", status);
    api_json(out, 201, o);
    json_object_put(o);
}
