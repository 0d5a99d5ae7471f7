/*
 * ssa.c: server-side apply and field ownership (metadata.managedFields).
 *
 * A field set is kept as a sorted list of paths; a path is a sequence of
 * FieldsV1 tokens joined by \x1f: "f:<field>" for a map member, "k:<json>" for
 * the element of an associative list whose merge-key fields equal <json>,
 * "v:<json>" for a value of a set-like primitive list, and "." for a list
 * element itself. Leaves are the fields a manager owns; managedFields store
 * each manager's set as the FieldsV1 tree of those tokens.
 *
 * Apply (PATCH application/apply-patch+yaml with fieldManager M):
 *  1. the configuration's field set S is computed (apiVersion, kind, metadata
 *     other than labels/annotations/finalizers/ownerReferences, and status of
 *     kinds with a status subresource are not fields);
 *  2. every other manager owning a path of S whose live value differs from the
 *     configuration's is a conflict: 409 listing them, unless force, which
 *     moves those paths to M;
 *  3. paths M applied before but no longer applies, and that nobody else owns,
 *     are removed from the object;
 *  4. the configuration is merged in (fieldtype.c: associative lists by their
 *     keys, sets by value, atomic lists and maps whole) and M's Apply entry
 *     becomes S. An unchanged set keeps its entry's time, so a no-op apply
 *     writes nothing.
 * List and map types come from fieldtype.c: k: tokens carry every key of the
 * element, sorted by name, with a key's default where it is absent
 * (k:{"containerPort":80,"protocol":"TCP"}).
 * Other writes that carry a fieldManager (create, update, patch) record the
 * paths whose value they changed under an Update entry, taking them from
 * other managers — so a later apply of a different value conflicts with them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

#define SEP '\x1f'

typedef struct {
    char **v;
    int n, cap;
} pathset;

/* ---- path sets --------------------------------------------------------------- */

/* Add a path (copied); duplicates are removed by ps_sort. */
static void ps_add(pathset *s, const char *p)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = gotk_xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = gotk_xstrdup(p);
}

/* qsort comparator over char *. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static void ps_sort(pathset *s)
{
    if (s->n == 0)
        return;
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_str);
    int k = 0;
    for (int i = 0; i < s->n; i++) {
        if (k && !strcmp(s->v[k - 1], s->v[i]))
            free(s->v[i]);
        else
            s->v[k++] = s->v[i];
    }
    s->n = k;
}

/* Membership in a sorted set. */
static bool ps_has(const pathset *s, const char *p)
{
    return s->n && bsearch(&p, s->v, (size_t)s->n, sizeof *s->v, cmp_str);
}

/* Free a set. */
static void ps_free(pathset *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* prefix + SEP + tok (or tok alone). Caller frees. */
static char *join(const char *prefix, const char *tok)
{
    return *prefix ? gotk_xasprintf("%s%c%s", prefix, SEP, tok) : gotk_xstrdup(tok);
}

/* ---- field sets of objects -------------------------------------------------- */

static void collect(json_object *v, const char *prefix, ft_cur c, pathset *out);

/* The fields of a list: its elements by key (map), its values (set), or the
 * list as one value (atomic, and empty lists). */
static void collect_list(json_object *arr, const char *path, ft_cur c, pathset *out)
{
    ft_list l;
    size_t n = json_object_array_length(arr);
    ft_list_type(c, &l);
    bool objects = n > 0;
    for (size_t i = 0; i < n; i++)
        objects = objects && json_object_is_type(json_object_array_get_idx(arr, i),
                                                 json_type_object);
    if (l.kind == FT_MAP && objects) {
        ft_cur item = ft_item(c);
        for (size_t i = 0; i < n; i++) {
            json_object *el = json_object_array_get_idx(arr, i), *k = ft_key_of(&l, el);
            char *tok = gotk_xasprintf("k:%s", jx_str(k)), *p = join(path, tok);
            char *dot = join(p, ".");
            ps_add(out, dot);
            collect(el, p, item, out);
            free(dot);
            free(p);
            free(tok);
            json_object_put(k);
        }
    } else if (l.kind == FT_SET && n > 0) {
        for (size_t i = 0; i < n; i++) {
            char *tok = gotk_xasprintf("v:%s", jx_str(json_object_array_get_idx(arr, i)));
            char *p = join(path, tok);
            ps_add(out, p);
            free(p);
            free(tok);
        }
    } else {
        ps_add(out, path);
    }
}

/* Walk an object's members into paths under prefix. */
static void collect(json_object *v, const char *prefix, ft_cur c, pathset *out)
{
    json_object_object_foreach(v, k, child)
    {
        char *tok = gotk_xasprintf("f:%s", k), *p = join(prefix, tok);
        ft_cur cc = ft_field(c, k);
        if (child && json_object_is_type(child, json_type_object) &&
            json_object_object_length(child) > 0 && !ft_map_atomic(cc))
            collect(child, p, cc, out);
        else if (child && json_object_is_type(child, json_type_array))
            collect_list(child, p, cc, out);
        else
            ps_add(out, p);
        free(p);
        free(tok);
    }
}

/* The field set of a whole object: what apply and updates can own. */
static void object_fields(const api_resource *r, json_object *obj, pathset *out)
{
    json_object_object_foreach(obj, k, child)
    {
        if (!strcmp(k, "apiVersion") || !strcmp(k, "kind") ||
            (!strcmp(k, "status") && r->has_status))
            continue;
        if (!strcmp(k, "metadata")) {
            static const char *const tracked[] = {"labels", "annotations", "finalizers",
                                                  "ownerReferences", NULL};
            json_object *m = json_object_new_object();
            for (int i = 0; tracked[i]; i++) {
                json_object *t = jx_get(child, tracked[i]);
                if (t)
                    json_object_object_add(m, tracked[i], json_object_get(t));
            }
            if (json_object_object_length(m))
                collect(m, "f:metadata", ft_field(ft_root(r), "metadata"), out);
            json_object_put(m);
            continue;
        }
        json_object *one = json_object_new_object();
        json_object_object_add(one, k, child ? json_object_get(child) : NULL);
        collect(one, "", ft_root(r), out);
        json_object_put(one);
    }
    ps_sort(out);
}

/* FieldsV1 tree -> paths. */
static void from_fieldsv1(json_object *tree, const char *prefix, pathset *out)
{
    if (!tree || !json_object_is_type(tree, json_type_object))
        return;
    json_object_object_foreach(tree, k, child)
    {
        char *p = join(prefix, k);
        if (!child || !json_object_is_type(child, json_type_object) ||
            json_object_object_length(child) == 0)
            ps_add(out, p);
        else
            from_fieldsv1(child, p, out);
        free(p);
    }
}

/* Paths -> FieldsV1 tree. */
static json_object *to_fieldsv1(const pathset *s)
{
    json_object *root = json_object_new_object();
    for (int i = 0; i < s->n; i++) {
        char *copy = gotk_xstrdup(s->v[i]), *tok = copy;
        json_object *cur = root;
        for (;;) {
            char *sep = strchr(tok, SEP);
            if (sep)
                *sep = '\0';
            cur = jx_ensure_obj(cur, tok);
            if (!sep)
                break;
            tok = sep + 1;
        }
        free(copy);
    }
    return root;
}

/* ---- values at paths ----------------------------------------------------------- */

/* The element of list `arr` matching a k: token's key object, by the list's
 * keys and their defaults (by the token's members where the type is unknown). */
static json_object *find_keyed(json_object *arr, const ft_list *type, const char *json,
                               size_t *idx)
{
    char *err = NULL;
    json_object *key = jx_parse(json, strlen(json), &err), *hit = NULL;
    free(err);
    ft_list l = *type;
    if (l.kind != FT_MAP || l.nkeys == 0) {
        memset(&l, 0, sizeof l);
        json_object_object_foreach(key, k, v)
        {
            (void)v;
            if (l.nkeys < FT_MAX_KEYS)
                l.keys[l.nkeys++] = k;
        }
    }
    for (size_t i = 0; key && arr && json_object_is_type(arr, json_type_array) &&
                       i < json_object_array_length(arr) && !hit;
         i++) {
        json_object *el = json_object_array_get_idx(arr, i);
        if (ft_key_matches(&l, el, key)) {
            hit = el;
            *idx = i;
        }
    }
    json_object_put(key);
    return hit;
}

/* The element of a primitive list equal to a v: token's value. */
static json_object *find_value(json_object *arr, const char *json, size_t *idx)
{
    char *err = NULL;
    json_object *val = jx_parse(json, strlen(json), &err), *hit = NULL;
    free(err);
    for (size_t i = 0; arr && json_object_is_type(arr, json_type_array) &&
                       i < json_object_array_length(arr) && !hit;
         i++)
        if (gotk_obj_equal(json_object_array_get_idx(arr, i), val)) {
            hit = json_object_array_get_idx(arr, i);
            *idx = i;
        }
    json_object_put(val);
    return hit;
}

/* One step from cur (at cursor *c, which follows); *found tells a present
 * null from an absent member. */
static json_object *step(json_object *cur, ft_cur *c, const char *tok, bool *found)
{
    size_t idx;
    json_object *v = NULL;
    *found = false;
    if (!strncmp(tok, "f:", 2)) {
        *found = cur && json_object_is_type(cur, json_type_object) &&
                 json_object_object_get_ex(cur, tok + 2, &v);
        *c = ft_field(*c, tok + 2);
    } else if (!strncmp(tok, "k:", 2)) {
        ft_list l;
        ft_list_type(*c, &l);
        v = find_keyed(cur, &l, tok + 2, &idx);
        *found = v != NULL;
        *c = ft_item(*c);
    } else if (!strncmp(tok, "v:", 2)) {
        v = find_value(cur, tok + 2, &idx);
        *found = v != NULL;
    } else if (!strcmp(tok, ".")) {
        v = cur;
        *found = cur != NULL;
    }
    return v;
}

/* The value at a path of an object of resource r; *found false when absent.
 * `path` is modified (split) and must stay alive while *at is used; *at
 * (optional) receives the cursor of the value. */
static json_object *resolve_at(const api_resource *r, json_object *obj, char *path, bool *found,
                               ft_cur *at)
{
    char *tok = path;
    ft_cur c = ft_root(r);
    json_object *cur = obj;
    *found = true;
    while (*found) {
        char *sep = strchr(tok, SEP);
        if (sep)
            *sep = '\0';
        cur = step(cur, &c, tok, found);
        if (!sep)
            break;
        tok = sep + 1;
    }
    if (at)
        *at = c;
    return *found ? cur : NULL;
}

/* The value at a path; *found false when absent. */
static json_object *resolve(const api_resource *r, json_object *obj, const char *path,
                            bool *found)
{
    char *copy = gotk_xstrdup(path);
    json_object *v = resolve_at(r, obj, copy, found, NULL);
    free(copy);
    return v;
}

/* Whether the value at `path` differs between two objects. */
static bool differs(const api_resource *r, json_object *a, json_object *b, const char *path)
{
    bool fa, fb;
    json_object *va = resolve(r, a, path, &fa), *vb = resolve(r, b, path, &fb);
    if (fa != fb)
        return true;
    if (!fa)
        return false;
    if (!strcmp(path + strlen(path) - 1, ".")) /* element presence only */
        return false;
    return !gotk_obj_equal(va, vb);
}

/* Whether tok ("f:x", after `path` ends at tok's separator) names a key
 * field of the map-list element the path before it ("...k:{...}") is. */
static bool is_key_field(const char *path, const char *tok)
{
    const char *el = tok - 1; /* the separator */
    while (el > path && el[-1] != SEP)
        el--;
    if (strncmp(el, "k:", 2) || strncmp(tok, "f:", 2))
        return false;
    char *json = gotk_xstrndup(el + 2, (size_t)(tok - 1 - (el + 2))), *err = NULL;
    json_object *key = jx_parse(json, strlen(json), &err);
    bool is = key && json_object_object_get_ex(key, tok + 2, NULL);
    json_object_put(key);
    free(json);
    free(err);
    return is;
}

/* Remove the field or element at a path from obj. */
static void remove_path(const api_resource *r, json_object *obj, const char *path)
{
    char *copy = gotk_xstrdup(path);
    size_t n = strlen(copy);
    if (n >= 2 && copy[n - 1] == '.' && copy[n - 2] == SEP)
        copy[n - 2] = '\0';
    char *last = strrchr(copy, SEP);
    json_object *parent = obj;
    bool found = true;
    ft_cur at = ft_root(r);
    if (last && is_key_field(copy, last + 1)) { /* an element keeps its key */
        free(copy);
        return;
    }
    if (last) {
        *last = '\0';
        parent = resolve_at(r, obj, copy, &found, &at);
        last++;
    } else {
        last = copy;
    }
    size_t idx;
    ft_list l;
    ft_list_type(at, &l);
    if (found && parent) {
        if (!strncmp(last, "f:", 2) && json_object_is_type(parent, json_type_object))
            json_object_object_del(parent, last + 2);
        else if (!strncmp(last, "k:", 2) && find_keyed(parent, &l, last + 2, &idx))
            json_object_array_del_idx(parent, idx, 1);
        else if (!strncmp(last, "v:", 2) && find_value(parent, last + 2, &idx))
            json_object_array_del_idx(parent, idx, 1);
    }
    free(copy);
}

/* ".spec.containers[name=\"app\"].image" for messages. */
static char *pretty(const char *path)
{
    gotk_buf b = {0};
    char *copy = gotk_xstrdup(path), *save = NULL;
    char sep[2] = {SEP, 0};
    for (char *t = strtok_r(copy, sep, &save); t; t = strtok_r(NULL, sep, &save)) {
        if (!strncmp(t, "f:", 2)) {
            gotk_buf_printf(&b, ".%s", t + 2);
        } else if (!strncmp(t, "k:", 2)) {
            char *err = NULL;
            json_object *k = jx_parse(t + 2, strlen(t + 2), &err);
            free(err);
            gotk_buf_putc(&b, '[');
            bool first = true;
            json_object_object_foreach(k, kk, kv)
            {
                gotk_buf_printf(&b, "%s%s=%s", first ? "" : ",", kk, jx_str(kv));
                first = false;
            }
            gotk_buf_putc(&b, ']');
            json_object_put(k);
        } else if (!strncmp(t, "v:", 2)) {
            gotk_buf_printf(&b, "[=%s]", t + 2);
        }
    }
    free(copy);
    return b.data ? gotk_buf_steal(&b) : gotk_xstrdup("");
}

/* ---- managedFields entries ------------------------------------------------------ */

/* The group/version string of the resource. */
static char *gv_string(const api_resource *r)
{
    return *r->group ? gotk_xasprintf("%s/%s", r->group, r->version) : gotk_xstrdup(r->version);
}

/* Store a set into an entry: new fieldsV1 and time, the time kept when the
 * set is unchanged (so a no-op apply writes nothing, as on a real server). */
static void entry_set(json_object *e, const pathset *s)
{
    char now[32];
    json_object *tree = to_fieldsv1(s);
    if (!jx_get_str(e, "time") || !gotk_obj_equal(jx_get(e, "fieldsV1"), tree)) {
        jx_now(now);
        jx_set_str(e, "time", now);
    }
    jx_set_str(e, "fieldsType", "FieldsV1");
    json_object_object_add(e, "fieldsV1", tree);
}

/* The entry for (manager, operation), created when missing. */
static json_object *entry_for(json_object *mf, const api_resource *r, const char *manager,
                              const char *op)
{
    for (size_t i = 0; i < json_object_array_length(mf); i++) {
        json_object *e = json_object_array_get_idx(mf, i);
        const char *m = jx_get_str(e, "manager"), *o = jx_get_str(e, "operation");
        if (m && o && !strcmp(m, manager) && !strcmp(o, op))
            return e;
    }
    json_object *e = json_object_new_object();
    char *gv = gv_string(r);
    jx_set_str(e, "manager", manager);
    jx_set_str(e, "operation", op);
    jx_set_str(e, "apiVersion", gv);
    free(gv);
    json_object_array_add(mf, e);
    return e;
}

/* An entry's set. */
static void entry_paths(json_object *e, pathset *out)
{
    from_fieldsv1(jx_get(e, "fieldsV1"), "", out);
    ps_sort(out);
}

/* Remove `take` from every entry but `keep`; drop entries left empty. */
static void take_from_others(json_object **mf, json_object *keep, const pathset *take)
{
    json_object *next = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(*mf); i++) {
        json_object *e = json_object_array_get_idx(*mf, i);
        if (e != keep) {
            pathset s = {0}, rest = {0};
            entry_paths(e, &s);
            for (int k = 0; k < s.n; k++)
                if (!ps_has(take, s.v[k]))
                    ps_add(&rest, s.v[k]);
            if (rest.n != s.n)
                json_object_object_add(e, "fieldsV1", to_fieldsv1(&rest));
            bool empty = rest.n == 0;
            ps_free(&s);
            ps_free(&rest);
            if (empty)
                continue;
        }
        json_object_array_add(next, json_object_get(e));
    }
    json_object_put(*mf);
    *mf = next;
}

/* A copy of the object's managedFields (an empty array when none). */
static json_object *managed_of(json_object *obj)
{
    json_object *mf = jx_get(jx_get(obj, "metadata"), "managedFields");
    return mf && json_object_is_type(mf, json_type_array) ? gotk_obj_copy(mf) : json_object_new_array();
}

/* Record the fields a non-apply write changed under manager's Update entry. */
void ssa_track_update(api_req *q, json_object *cur, json_object *n)
{
    if (!q->field_manager || !*q->field_manager || (q->sub && !strcmp(q->sub, "status")))
        return;
    pathset all = {0}, changed = {0};
    object_fields(q->r, n, &all);
    for (int i = 0; i < all.n; i++)
        if (!cur || differs(q->r, cur, n, all.v[i]))
            ps_add(&changed, all.v[i]);
    ps_sort(&changed);
    if (changed.n) {
        json_object *mf = cur ? managed_of(cur) : json_object_new_array();
        json_object *e = entry_for(mf, q->r, q->field_manager, "Update");
        pathset mine = {0};
        entry_paths(e, &mine);
        for (int i = 0; i < changed.n; i++)
            ps_add(&mine, changed.v[i]);
        ps_sort(&mine);
        /* drop paths that no longer exist in the object */
        pathset live = {0};
        for (int i = 0; i < mine.n; i++)
            if (ps_has(&all, mine.v[i]))
                ps_add(&live, mine.v[i]);
        entry_set(e, &live);
        take_from_others(&mf, e, &changed);
        json_object_object_add(jx_ensure_obj(n, "metadata"), "managedFields", mf);
        ps_free(&mine);
        ps_free(&live);
    }
    ps_free(&all);
    ps_free(&changed);
}

/* 409 listing the conflicting fields. */
static void conflict_resp(api_req *q, const pathset *paths, json_object **owners,
                          api_resp *out)
{
    gotk_buf msg = {0};
    json_object *causes = json_object_new_array();
    gotk_buf_printf(&msg, "Apply failed with %d conflict%s: ", paths->n, paths->n == 1 ? "" : "s");
    for (int i = 0; i < paths->n; i++) {
        char *field = pretty(paths->v[i]);
        const char *gv = jx_get_str(owners[i], "apiVersion");
        char *what = gv ? gotk_xasprintf("conflict with \"%s\" using %s",
                                         jx_get_str(owners[i], "manager"), gv)
                        : gotk_xasprintf("conflict with \"%s\"", jx_get_str(owners[i], "manager"));
        gotk_buf_printf(&msg, "%s%s: %s", i ? "\n" : "", what, field);
        json_object *c = json_object_new_object();
        jx_set_str(c, "reason", "FieldManagerConflict");
        jx_set_str(c, "message", what);
        jx_set_str(c, "field", field);
        json_object_array_add(causes, c);
        free(field);
        free(what);
    }
    json_object *st = api_status_obj(409, "Conflict", msg.data);
    json_object *d = json_object_new_object();
    jx_set_str(d, "name", q->name);
    if (*q->r->group)
        jx_set_str(d, "group", q->r->group);
    jx_set_str(d, "kind", q->r->plural);
    json_object_object_add(d, "causes", causes);
    json_object_object_add(st, "details", d);
    api_json(out, 409, st);
    json_object_put(st);
    gotk_buf_free(&msg);
}

/* kubectl's first server-side apply of an object it applied client-side:
 * conflicts on fields the last-applied-configuration annotation set, and
 * that still hold those values, are no conflicts (the server's
 * lastAppliedManager, for the manager "kubectl" only). */
static bool upgrades_client_side(api_req *q, json_object *cur, const pathset *conflicts)
{
    const char *text = jx_get_str(jx_get(jx_get(cur, "metadata"), "annotations"),
                                  "kubectl.kubernetes.io/last-applied-configuration");
    if (strcmp(q->field_manager, "kubectl") || !text || !*text)
        return false;
    char *err = NULL;
    json_object *last = jx_parse(text, strlen(text), &err);
    free(err);
    if (!last || !json_object_is_type(last, json_type_object)) {
        json_object_put(last);
        return false;
    }
    pathset set = {0};
    object_fields(q->r, last, &set);
    bool all = true;
    for (int i = 0; i < conflicts->n && all; i++)
        all = ps_has(&set, conflicts->v[i]) && !differs(q->r, last, cur, conflicts->v[i]);
    ps_free(&set);
    json_object_put(last);
    return all;
}

/* Find conflicts with other managers; with force, take their fields. Returns
 * false (with a 409) on conflicts without force. */
static bool resolve_conflicts(api_req *q, json_object *cur, json_object *cfg, const pathset *s,
                              json_object **mf, json_object *mine, api_resp *out)
{
    pathset conflicts = {0};
    json_object **owners = NULL;
    for (size_t i = 0; i < json_object_array_length(*mf); i++) {
        json_object *e = json_object_array_get_idx(*mf, i);
        if (e == mine)
            continue;
        pathset theirs = {0};
        entry_paths(e, &theirs);
        for (int k = 0; k < s->n; k++) {
            if (!ps_has(&theirs, s->v[k]) || !differs(q->r, cur, cfg, s->v[k]))
                continue;
            ps_add(&conflicts, s->v[k]);
            owners = gotk_xrealloc(owners, (size_t)conflicts.n * sizeof *owners);
            owners[conflicts.n - 1] = e;
        }
        ps_free(&theirs);
    }
    bool ok = conflicts.n == 0 || q->force || upgrades_client_side(q, cur, &conflicts);
    if (!ok)
        conflict_resp(q, &conflicts, owners, out);
    else if (conflicts.n) {
        ps_sort(&conflicts);
        take_from_others(mf, mine, &conflicts);
    }
    free(owners);
    ps_free(&conflicts);
    return ok;
}

/* Whether any entry other than `mine` owns path p. */
static bool owned_by_others(json_object *mf, json_object *mine, const char *p)
{
    for (size_t i = 0; i < json_object_array_length(mf); i++) {
        json_object *e = json_object_array_get_idx(mf, i);
        if (e == mine)
            continue;
        pathset s = {0};
        entry_paths(e, &s);
        bool has = ps_has(&s, p);
        ps_free(&s);
        if (has)
            return true;
    }
    return false;
}

/* Build the applied object from the live one (NULL when creating). */
static json_object *apply_config(api_req *q, json_object *cur, json_object *cfg, api_resp *out)
{
    json_object *mf = managed_of(cur), *base = cur ? gotk_obj_copy(cur) : json_object_new_object();
    json_object *mine = entry_for(mf, q->r, q->field_manager, "Apply");
    pathset s = {0}, before = {0};
    object_fields(q->r, cfg, &s);
    entry_paths(mine, &before);
    if (!resolve_conflicts(q, base, cfg, &s, &mf, mine, out)) {
        json_object_put(base);
        json_object_put(mf);
        ps_free(&s);
        ps_free(&before);
        return NULL;
    }
    /* whole elements first: removing a field first could change a key */
    for (int pass = 0; pass < 2; pass++)
        for (int i = before.n - 1; i >= 0; i--) {
            const char *p = before.v[i];
            bool elem = !strcmp(p + strlen(p) - 1, ".");
            if ((pass == 0) == elem && !ps_has(&s, p) && !owned_by_others(mf, mine, p))
                remove_path(q->r, base, p);
        }
    json_object *n = ft_apply_merge(q->r, base, cfg);
    entry_set(mine, &s);
    json_object_object_add(jx_ensure_obj(n, "metadata"), "managedFields", mf);
    ps_free(&s);
    ps_free(&before);
    return n;
}

/* PATCH with application/apply-patch+yaml. */
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
    json_object *meta = jx_ensure_obj(cfg, "metadata");
    const char *name = jx_get_str(meta, "name");
    if (name && strcmp(name, q->name)) {
        api_status(out, 400, "BadRequest", NULL, NULL, NULL,
                   "the name of the object (%s) does not match the name on the URL (%s)", name,
                   q->name);
        goto done;
    }
    json_object_object_del(meta, "managedFields");
    cur = store_get(q->s->st, q->r->group, q->r->plural, q->r->namespaced ? q->ns : "", q->name);
    if (!(n = apply_config(q, cur, cfg, out)))
        goto done;
    q->applying = true;
    if (cur) {
        h_write_update(q, cur, n, out);
    } else {
        jx_set_str(jx_ensure_obj(n, "metadata"), "name", q->name);
        const char *body = q->body;
        size_t len = q->body_len;
        char *text = jx_strdup(n);
        q->body = text;
        q->body_len = strlen(text);
        do_create(q, out);
        q->body = body;
        q->body_len = len;
        free(text);
    }
done:
    json_object_put(n);
    json_object_put(cur);
    json_object_put(cfg);
}
