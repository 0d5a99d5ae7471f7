/*
 * kube/query.c: building request paths and query strings.
 *
 * Paths follow the API's layout: /api/v1 for the core group, /apis/<g>/<v>
 * otherwise, then namespaces/<ns>/ for namespaced resources, the plural, the
 * name and a subresource. Query values are percent-encoded keeping only RFC 3986
 * unreserved characters, as Go's url.QueryEscape does (except that a space is
 * %20, which servers decode the same).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

char *gotk_kube_query_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    gotk_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            gotk_buf_putc(&b, (char)*p);
        } else {
            char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            gotk_buf_append(&b, enc, 3);
        }
    }
    if (!b.data)
        gotk_buf_puts(&b, "");
    return gotk_buf_steal(&b);
}

void kube_query_add(gotk_buf *b, const char *key, const char *val)
{
    if (!val)
        return;
    gotk_buf_putc(b, b->data && strchr(b->data, '?') ? '&' : '?');
    char *ev = gotk_kube_query_escape(val);
    gotk_buf_printf(b, "%s=%s", key, ev);
    free(ev);
}

/* Compare two C strings through pointers (for qsort). */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *gotk_kube_selector_from_labels(json_object *labels)
{
    if (!labels || !json_object_is_type(labels, json_type_object))
        return gotk_xstrdup("");
    size_t n = (size_t)json_object_object_length(labels), k = 0;
    const char **keys = gotk_xcalloc(n + 1, sizeof *keys);
    json_object_object_foreach(labels, key, val)
    {
        (void)val;
        keys[k++] = key;
    }
    qsort(keys, k, sizeof *keys, cmp_str);
    gotk_buf b = {0};
    for (size_t i = 0; i < k; i++) {
        json_object *v = json_object_object_get(labels, keys[i]);
        gotk_buf_printf(&b, "%s%s=%s", i ? "," : "", keys[i],
                        v ? json_object_get_string(v) : "");
    }
    free(keys);
    if (!b.data)
        gotk_buf_puts(&b, "");
    return gotk_buf_steal(&b);
}

/* Append one escaped path segment. */
static void put_segment(gotk_buf *b, const char *seg)
{
    char *e = gotk_kube_query_escape(seg);
    gotk_buf_printf(b, "/%s", e);
    free(e);
}

char *gotk_kube_resource_path(const gotk_kube_resource *r, const char *ns, const char *name,
                              const char *sub)
{
    gotk_buf b = {0};
    if (!r->group || !*r->group)
        gotk_buf_printf(&b, "/api/%s", r->version);
    else
        gotk_buf_printf(&b, "/apis/%s/%s", r->group, r->version);
    if (r->namespaced && ns && *ns) {
        gotk_buf_puts(&b, "/namespaces");
        put_segment(&b, ns);
    }
    gotk_buf_printf(&b, "/%s", r->plural);
    if (name && *name) {
        put_segment(&b, name);
        if (sub && *sub)
            gotk_buf_printf(&b, "/%s", sub);
    }
    return gotk_buf_steal(&b);
}

const char *kube_effective_ns(gotk_kube_client *c, const gotk_kube_resource *r,
                              const char *ns, bool all_ok)
{
    if (!r->namespaced)
        return NULL;
    if (ns && *ns)
        return ns;
    if (all_ok)
        return NULL;
    return c->cfg->namespace_ ? c->cfg->namespace_ : "default";
}

void kube_split_api_version(const char *av, char **group, char **version)
{
    const char *slash = strchr(av, '/');
    if (!slash) {
        *group = gotk_xstrdup("");
        *version = gotk_xstrdup(av);
    } else {
        *group = gotk_xstrndup(av, (size_t)(slash - av));
        *version = gotk_xstrdup(slash + 1);
    }
}
