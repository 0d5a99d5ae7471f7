/*
 * kustomize name references: after all renames (prefix, suffix, namespace,
 * hash), rewrite every field that names a renamed object so it names the new one.
 *
 * For each resource and each name-reference spec selecting it (by its original
 * gvk), the field's value is an old name; the candidates are the resources one
 * of whose previous names equals it. kustomize scans every resource for each
 * field; here a hash table from previous name to resources gives the candidates
 * directly, and kustomize's sieve (target gvk, roleRef kind, namespace,
 * prefix/suffix lineage) picks the referral.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    kres **v;
    size_t n, cap;
} kvec;

/* Append r. */
static void kvec_push(kvec *x, kres *r)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 4;
        x->v = gotk_xrealloc(x->v, x->cap * sizeof *x->v);
    }
    x->v[x->n++] = r;
}

/* The state of one referrer field update. */
typedef struct {
    khash *byprev;      /* previous name -> kvec* */
    kres *referrer;
    kmap *all;
    const knameref *target;
    const kfspec *spec;
    khash rbns;         /* RoleBinding subject namespaces (set) */
    bool referrer_cluster;
} kref;

/* Could the referrer refer to r (kustomize's SubsetThatCouldBeReferencedByResource)? */
static bool in_subset(const kref *f, const kres *r)
{
    if (f->referrer_cluster || kres_cluster(r))
        return true;
    const kres *rr = f->referrer;
    if (!strcmp(kres_eff_ns(r), kres_eff_ns(rr)))
        return true;
    return khash_get(&f->rbns, kres_ns(r)) != NULL;
}

/* Is r's previous id selected by the gvk (group, version of the current id)? */
static bool prev_selected(const kres *r, const char *sg, const char *sv, const char *sk)
{
    const char *g, *v;
    size_t gl;
    kres_gvk(r->obj, &g, &gl, &v);
    char *gs = gotk_xstrndup(g, gl);
    bool ok = false;
    for (size_t i = 0; !ok && i < r->nprev; i++)
        ok = kgvk_selected(gs, v, r->prev[i].kind, sg, sv, sk);
    free(gs);
    return ok;
}

/* utils.SameEndingSubSlice. */
static bool same_ending(const kstrv *a, const kstrv *b)
{
    const kstrv *s = a, *l = b;
    if (s->n > l->n) {
        s = b;
        l = a;
    }
    size_t diff = l->n - s->n;
    if (s->n == 0)
        return diff == 0;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(l->v[i + diff], s->v[i]))
            return false;
    return true;
}

/* Resource.PrefixesSuffixesEquals. */
static bool affix_equals(const kres *r, const kres *o, bool allow_empty)
{
    if (allow_empty) {
        bool pe = !r->prefixes.n || !o->prefixes.n, se = !r->suffixes.n || !o->suffixes.n;
        return (pe || same_ending(&r->prefixes, &o->prefixes)) &&
               (se || same_ending(&r->suffixes, &o->suffixes));
    }
    return same_ending(&r->prefixes, &o->prefixes) && same_ending(&r->suffixes, &o->suffixes);
}

/* Keep the candidates satisfying the namespace sieve. */
static bool ns_ok(const kref *f, const kres *r)
{
    const kres *rr = f->referrer;
    if (f->referrer_cluster || kres_cluster(r) ||
        !strcmp(kres_kind(r), "ServiceAccount"))
        return true;
    return !strcmp(kres_eff_ns(r), kres_eff_ns(rr));
}

/* First sieve: gvk, roleRef and namespace. */
static void sieve_basic(const kref *f, kvec *c)
{
    const char *rg = NULL, *rk = NULL;
    size_t pl = strlen(f->spec->path);
    if (pl >= 12 && !strcmp(f->spec->path + pl - 12, "roleRef/name")) {
        rg = gotk_obj_get_str(f->referrer->obj, "roleRef.apiGroup");
        rk = gotk_obj_get_str(f->referrer->obj, "roleRef.kind");
        if (!rg || !rk)
            rg = rk = NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        kres *r = c->v[i];
        if (!prev_selected(r, f->target->group, f->target->version, f->target->kind))
            continue;
        if (rg && !prev_selected(r, rg, "", rk))
            continue;
        if (!ns_ok(f, r))
            continue;
        c->v[k++] = r;
    }
    c->n = k;
}

/* Keep candidates with the referrer's prefix/suffix lineage. */
static void sieve_affix(const kref *f, kvec *c, bool allow_empty)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        if (affix_equals(c->v[i], f->referrer, allow_empty))
            c->v[k++] = c->v[i];
    c->n = k;
}

/* Do all candidates have the same name (and namespace)? */
static bool identical(const kvec *c, bool with_ns)
{
    for (size_t i = 1; i < c->n; i++)
        if (strcmp(kres_name(c->v[i]), kres_name(c->v[0])) ||
            (with_ns && strcmp(kres_ns(c->v[i]), kres_ns(c->v[0]))))
            return false;
    return true;
}

/* kustomize's selectReferral over the candidates in c. */
static gotk_err *select_referral(const kref *f, kvec *c, bool with_ns, kres **out)
{
    *out = NULL;
    sieve_basic(f, c);
    if (c->n == 1) {
        *out = c->v[0];
        return NULL;
    }
    sieve_affix(f, c, true);
    if (c->n > 1)
        sieve_affix(f, c, false);
    if (c->n == 0)
        return NULL;
    if (c->n == 1 || identical(c, with_ns)) {
        *out = c->v[0];
        return NULL;
    }
    gotk_buf b = {0};
    for (size_t i = 0; i < c->n; i++) {
        char *id = kres_id_string(c->v[i]);
        gotk_buf_printf(&b, "%s%s", i ? ", " : "", id);
        free(id);
    }
    gotk_err *e = gotk_err_new(GOTK_E_CONFLICT, "found multiple possible referrals: %s", b.data);
    gotk_buf_free(&b);
    return e;
}

/* Candidates with previous name `name` that the referrer could see. */
static void candidates(const kref *f, const char *name, kvec *out)
{
    kvec *l = khash_get(f->byprev, name);
    for (size_t i = 0; l && i < l->n; i++)
        if (in_subset(f, l->v[i]))
            kvec_push(out, l->v[i]);
}

/* A scalar holding a name. */
static gotk_err *fix_scalar(kref *f, const kslot *s, json_object *v)
{
    if (!json_object_is_type(v, json_type_string))
        return NULL;
    kvec c = {0};
    candidates(f, json_object_get_string(v), &c);
    kres *ref = NULL;
    gotk_err *e = select_referral(f, &c, false, &ref);
    free(c.v);
    if (!e && ref && strcmp(kres_name(ref), json_object_get_string(v)))
        kslot_set(s, json_object_new_string(kres_name(ref)));
    return e;
}

/* Does any resource the referrer can see have original effective namespace ns? */
static bool org_ns_group_exists(const kref *f, const char *ns)
{
    for (size_t i = 0; i < f->all->n; i++) {
        kres *r = f->all->v[i];
        if (in_subset(f, r) && !strcmp(kres_org_ns_eff(r), ns))
            return true;
    }
    return false;
}

/* Narrow candidates by the mapping's namespace field. */
static void filter_map_ns(const kref *f, json_object *node, kvec *c)
{
    json_object *nsv = json_object_object_get(node, "namespace");
    if (!nsv)
        return;
    const char *ns = json_object_get_string(nsv);
    bool by_org = strcmp(ns, "_non_namespaceable_") && org_ns_group_exists(f, ns);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        kres *r = c->v[i];
        const char *have = by_org ? kres_org_ns_eff(r) : kres_eff_ns(r);
        if (!strcmp(have, ns) && strcmp(have, "_non_namespaceable_"))
            c->v[k++] = r;
    }
    c->n = k;
}

/* A mapping with `name` (and maybe `namespace`). */
static gotk_err *fix_map(kref *f, json_object *node)
{
    json_object *nv = json_object_object_get(node, "name");
    if (!nv)
        return gotk_err_new(GOTK_E_INVALID, "path config error; no 'name' field in node");
    const char *old = json_object_get_string(nv);
    kvec c = {0};
    candidates(f, old, &c);
    filter_map_ns(f, node, &c);
    kres *ref = NULL;
    gotk_err *e = select_referral(f, &c, true, &ref);
    free(c.v);
    if (e || !ref)
        return e;
    if (!strcmp(kres_name(ref), old) && !*kres_ns(ref))
        return NULL;
    json_object_object_add(node, "name", json_object_new_string(kres_name(ref)));
    if (*kres_ns(ref))
        json_object_object_add(node, "namespace", json_object_new_string(kres_ns(ref)));
    return NULL;
}

/* Setter at a name-reference field. */
static gotk_err *fix_ref(const kslot *s, void *ud)
{
    kref *f = ud;
    json_object *v = kslot_get(s);
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_object))
        return fix_map(f, v);
    if (!json_object_is_type(v, json_type_array))
        return fix_scalar(f, s, v);
    for (size_t i = 0; i < karr_n(v); i++) {
        json_object *el = json_object_array_get_idx(v, i);
        kslot es = {v, NULL, i};
        gotk_err *e = json_object_is_type(el, json_type_object) ? fix_map(f, el)
                                                                 : fix_scalar(f, &es, el);
        if (e)
            return e;
    }
    return NULL;
}

/* Namespaces of ServiceAccount subjects of a RoleBinding. */
static gotk_err *rolebinding_ns(kref *f)
{
    if (strcmp(kres_kind(f->referrer), "RoleBinding"))
        return NULL;
    json_object *subs = json_object_object_get(f->referrer->obj, "subjects");
    for (size_t i = 0; subs && json_object_is_type(subs, json_type_array) &&
                       i < karr_n(subs); i++) {
        json_object *s = json_object_array_get_idx(subs, i);
        const char *ns = gotk_obj_get_str(s, "namespace"), *k = gotk_obj_get_str(s, "kind");
        bool has = json_object_is_type(s, json_type_object) &&
                   json_object_object_get_ex(s, "namespace", NULL);
        if (!has || !k || strcmp(k, "ServiceAccount"))
            continue;
        if (!ns) {
            char *id = kres_id_string(f->referrer);
            gotk_err *e = gotk_err_new(GOTK_E_INVALID,
                                       "Invalid Input: namespace is blank for resource \"%s\"\n", id);
            free(id);
            return e;
        }
        khash_put(&f->rbns, ns, (void *)1);
    }
    return NULL;
}


/* All name-reference updates of one referrer. */
static gotk_err *fix_referrer(khash *byprev, kmap *m, kres *r, const kconfig *cfg)
{
    kref f = {byprev, r, m, NULL, NULL, {0}, kres_cluster(r)};
    gotk_err *re = rolebinding_ns(&f);
    if (re) {
        khash_free(&f.rbns);
        return re;
    }
    kgvk org;
    kgvk_of(r->obj, &org);
    if (r->nprev)
        org.kind = r->prev[0].kind;
    gotk_err *e = NULL;
    for (size_t t = 0; !e && t < cfg->nnr; t++) {
        f.target = &cfg->nr[t];
        for (size_t j = 0; !e && j < cfg->nr[t].refs.n; j++) {
            f.spec = &cfg->nr[t].refs.v[j];
            if (kfs_matches_gvk(f.spec, &org))
                e = kfs_apply_spec(r->obj, f.spec, false, json_type_null, fix_ref, &f);
        }
    }
    khash_free(&f.rbns);
    if (e) {
        char *id = kres_id_string(r);
        e = gotk_err_wrap(e, "updating name reference in '%s' field of '%s'", f.spec->path, id);
        free(id);
    }
    return e;
}

/* Rename references to renamed resources. */
gotk_err *kt_namerefs(kmap *m, const kconfig *cfg)
{
    khash byprev = {0};
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < m->v[i]->nprev; j++) {
            const char *n = m->v[i]->prev[j].name;
            kvec *l = khash_get(&byprev, n);
            if (!l) {
                l = gotk_xcalloc(1, sizeof *l);
                khash_put(&byprev, n, l);
            }
            if (!l->n || l->v[l->n - 1] != m->v[i])
                kvec_push(l, m->v[i]);
        }
    gotk_err *e = NULL;
    for (size_t i = 0; !e && i < m->n; i++)
        e = fix_referrer(&byprev, m, m->v[i], cfg);
    for (size_t i = 0; i < byprev.cap; i++)
        if (byprev.keys[i]) {
            kvec *l = byprev.vals[i];
            free(l->v);
            free(l);
        }
    khash_free(&byprev);
    return e;
}
