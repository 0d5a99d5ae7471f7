/*
 * kustomize's transformer annotations: with `buildMetadata:
 * [transformerAnnotations]`, each transformer that runs (builtin ones from the
 * kustomization's fields, and `transformers:` configurations) is recorded in
 * every resource of the map it ran on, as the YAML list kustomize writes to
 * alpha.config.kubernetes.io/transformations. A resource without an origin
 * takes the transformer as its origin instead (kustomize assumes the
 * transformer made it).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Add origin text `o` ("key: v\n..." lines) as a list item to every resource. */
static void record(kmap *m, const char *o)
{
    gotk_buf item = {0};
    for (const char *line = o; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        gotk_buf_puts(&item, line == o ? "- " : "  ");
        gotk_buf_append(&item, line, n);
        gotk_buf_putc(&item, '\n');
        line += n + (nl ? 1 : 0);
    }
    for (size_t i = 0; i < m->n; i++) {
        kres *r = m->v[i];
        if (!r->origin) {
            r->origin = gotk_xstrdup(o);
            continue;
        }
        char *t = gotk_xasprintf("%s%s", r->transforms ? r->transforms : "", item.data);
        free(r->transforms);
        r->transforms = t;
    }
    gotk_buf_free(&item);
}

/* The origin text of a transformer configured in `in` (relative to the top). */
static char *origin_text(const char *in, const char *av, const char *kind, const char *name,
                         const char *ns)
{
    gotk_buf b = {0};
    gotk_buf_printf(&b, "configuredIn: %s\nconfiguredBy:\n  apiVersion: %s\n  kind: %s\n", in,
                    av, kind);
    if (name && *name)
        gotk_buf_printf(&b, "  name: %s\n", name);
    if (ns && *ns)
        gotk_buf_printf(&b, "  namespace: %s\n", ns);
    return gotk_buf_steal(&b);
}

void ktrack_builtin(kctx *c, kmap *m, const char *kind)
{
    if (!c->track_on)
        return;
    char *in = krel_join(c->origin, c->kfile ? c->kfile : "kustomization.yaml");
    char *o = origin_text(in, "builtin", kind, NULL, NULL);
    record(m, o);
    free(o);
    free(in);
}

/* A plugin configuration's origin text. Caller frees. */
static char *plugin_origin(json_object *doc, const char *in)
{
    const char *av = gotk_obj_get_str(doc, "apiVersion"), *kind = gotk_obj_get_str(doc, "kind");
    return origin_text(in, av ? av : "", kind ? kind : "", gotk_obj_get_str(doc, "metadata.name"),
                       gotk_obj_get_str(doc, "metadata.namespace"));
}

void ktrack_generated(kctx *c, kmap *m, size_t from, json_object *doc, const char *in)
{
    if (!c->origin_on)
        return;
    for (size_t i = from; i < m->n; i++)
        if (!m->v[i]->origin)
            m->v[i]->origin = plugin_origin(doc, in);
}

void ktrack_plugin(kctx *c, kmap *m, json_object *doc, const char *in)
{
    if (!c->track_on)
        return;
    char *o = plugin_origin(doc, in);
    record(m, o);
    free(o);
}
