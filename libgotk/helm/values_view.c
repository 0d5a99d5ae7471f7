/*
 * values_view.c: a subchart's .Values and its parent's map in step. In Helm
 * they are one map (Values.Table returns the parent's map itself); here the
 * subchart's is another json-c map holding the same entries, as it carries
 * the chartutil.Values type that the parent's plain map must not. After each
 * template, what it set or unset at the top of either map is done to the
 * other, so both read as one map would (within one template, a key set
 * through one shows through the other from the next template on).
 */
#include <json-c/linkhash.h>
#include <stdlib.h>
#include <string.h>

#include "gotk/obj.h"
#include "helm_int.h"

/* A plain map holding the entries of m. */
static json_object *entries_of(json_object *m)
{
    json_object *c = gotk_obj_new_map(json_object_object_length(m));
    json_object_object_foreach(m, k, v) json_object_object_add(c, k, json_object_get(v));
    return c;
}

void helm_view_add(helm_tpls *t, const gotk_helm_chart *c, json_object *view, json_object *src)
{
    t->views = gotk_xrealloc(t->views, (t->nviews + 1) * sizeof *t->views);
    t->views[t->nviews++] = (helm_values_view){c, json_object_get(view), json_object_get(src),
                                               entries_of(src)};
}

/* Key k of m: whether there (a JSON null is), and its value. */
static bool entry(json_object *m, const char *k, json_object **v)
{
    *v = NULL;
    return json_object_object_get_ex(m, k, v);
}

static void put_entry(json_object *m, const char *k, bool there, json_object *v)
{
    if (there)
        json_object_object_add(m, k, json_object_get(v));
    else
        json_object_object_del(m, k);
}

/* Key k as the two maps and their last common state have it: what changed
 * on one side only is done to the other (on both sides, the view wins).
 * Returns whether anything changed. */
static bool sync_key(helm_values_view *w, const char *k)
{
    json_object *vv, *sv, *pv;
    bool hv = entry(w->view, k, &vv), hs = entry(w->src, k, &sv), hp = entry(w->seen, k, &pv);
    bool view_changed = hv != hp || vv != pv, src_changed = hs != hp || sv != pv;
    if (view_changed)
        put_entry(w->src, k, hv, vv);
    else if (src_changed)
        put_entry(w->view, k, hs, sv);
    return view_changed || src_changed;
}

/* The keys of the three maps (copied: syncing may delete them). */
static char **all_keys(const helm_values_view *w, size_t *n)
{
    json_object *maps[3] = {w->view, w->src, w->seen};
    size_t cap = 0;
    for (int i = 0; i < 3; i++)
        cap += (size_t)json_object_object_length(maps[i]);
    char **keys = gotk_xcalloc(cap + 1, sizeof *keys);
    *n = 0;
    for (int i = 0; i < 3; i++) {
        json_object_object_foreach(maps[i], k, v) {
            (void)v;
            bool dup = false;
            for (int j = 0; j < i && !dup; j++)
                dup = json_object_object_get_ex(maps[j], k, NULL);
            if (!dup)
                keys[(*n)++] = gotk_xstrdup(k);
        }
    }
    return keys;
}

/* Whether maps a and b hold the same keys and values in the same order (the
 * common case, checked without hashing: most templates set nothing). */
static bool same_entries(json_object *a, json_object *b)
{
    if (json_object_object_length(a) != json_object_object_length(b))
        return false;
    struct lh_entry *x = lh_table_head(json_object_get_object(a));
    struct lh_entry *y = lh_table_head(json_object_get_object(b));
    for (; x && y; x = lh_entry_next(x), y = lh_entry_next(y))
        if (lh_entry_v(x) != lh_entry_v(y) || strcmp(lh_entry_k(x), lh_entry_k(y)))
            return false;
    return !x && !y;
}

static void sync_view(helm_values_view *w)
{
    if (same_entries(w->view, w->seen) && same_entries(w->src, w->seen))
        return;
    size_t n;
    char **keys = all_keys(w, &n);
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        changed |= sync_key(w, keys[i]);
        free(keys[i]);
    }
    free(keys);
    if (changed) {
        json_object_put(w->seen);
        w->seen = entries_of(w->view);
    }
}

static bool within(const gotk_helm_chart *c, const gotk_helm_chart *top)
{
    for (; c; c = c->parent)
        if (c == top)
            return true;
    return false;
}

void helm_views_sync(helm_tpls *t, const gotk_helm_chart *ran)
{
    for (size_t i = 0; i < t->nviews; i++)
        if (within(t->views[i].chart, ran))
            sync_view(&t->views[i]);
}

void helm_views_free(helm_tpls *t)
{
    for (size_t i = 0; i < t->nviews; i++) {
        json_object_put(t->views[i].view);
        json_object_put(t->views[i].src);
        json_object_put(t->views[i].seen);
    }
    free(t->views);
    t->views = NULL;
    t->nviews = 0;
}
