/*
 * select.c: label and field selectors, as list and watch filter with them.
 *
 * A label selector is a comma-separated list of requirements, all of which must
 * hold: `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>n`, `k<n` (the syntax of k8s.io/apimachinery's labels.Parse). A field
 * selector is `path=v`, `path==v` or `path!=v` terms, where path is a dotted
 * field path such as metadata.name; a missing field reads as "".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

typedef enum { OP_EXISTS, OP_NOT_EXISTS, OP_EQ, OP_NE, OP_IN, OP_NOTIN, OP_GT, OP_LT } sel_op;

typedef struct {
    char *key;
    sel_op op;
    char **vals;
    int nvals;
} sel_req;

struct sel {
    sel_req *reqs;
    int n;
};

/* Append a requirement. */
static sel_req *add_req(sel *l)
{
    l->reqs = gotk_xrealloc(l->reqs, (size_t)(l->n + 1) * sizeof *l->reqs);
    sel_req *r = &l->reqs[l->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Append a value to a requirement. */
static void add_val(sel_req *r, const char *s, size_t len)
{
    r->vals = gotk_xrealloc(r->vals, (size_t)(r->nvals + 1) * sizeof *r->vals);
    r->vals[r->nvals++] = gotk_xstrndup(s, len);
}

/* Free everything. */
void sel_free(sel *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        free(l->reqs[i].key);
        for (int j = 0; j < l->reqs[i].nvals; j++)
            free(l->reqs[i].vals[j]);
        free(l->reqs[i].vals);
    }
    free(l->reqs);
    free(l);
}

/* Characters allowed in label keys and values. */
static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/';
}

/* Skip blanks. */
static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Read a key or value token; returns its length. */
static size_t token(const char *p)
{
    size_t n = 0;
    while (name_char(p[n]))
        n++;
    return n;
}

/* Parse "(a, b)" into the requirement's values. */
static const char *parse_set(const char *p, sel_req *r)
{
    p = skip_ws(p);
    if (*p != '(')
        return NULL;
    p = skip_ws(p + 1);
    for (;;) {
        size_t n = token(p);
        add_val(r, p, n);
        p = skip_ws(p + n);
        if (*p == ')')
            return p + 1;
        if (*p != ',')
            return NULL;
        p = skip_ws(p + 1);
    }
}

/* Parse the operator and values after a key. */
static const char *parse_op(const char *p, sel_req *r)
{
    p = skip_ws(p);
    if (*p == ',' || *p == '\0') {
        r->op = OP_EXISTS;
        return p;
    }
    size_t oplen = 1;
    if (!strncmp(p, "==", 2)) {
        r->op = OP_EQ, oplen = 2;
    } else if (!strncmp(p, "!=", 2)) {
        r->op = OP_NE, oplen = 2;
    } else if (*p == '=') {
        r->op = OP_EQ;
    } else if (*p == '>') {
        r->op = OP_GT;
    } else if (*p == '<') {
        r->op = OP_LT;
    } else if (!strncmp(p, "notin", 5) && !name_char(p[5])) {
        return parse_set(p + 5, (r->op = OP_NOTIN, r));
    } else if (!strncmp(p, "in", 2) && !name_char(p[2])) {
        return parse_set(p + 2, (r->op = OP_IN, r));
    } else {
        return NULL;
    }
    p = skip_ws(p + oplen);
    size_t n = token(p);
    if ((r->op == OP_GT || r->op == OP_LT) && n == 0)
        return NULL;
    add_val(r, p, n);
    return p + n;
}

/* Parse a label selector. */
sel *sel_parse_labels(const char *s, char **err)
{
    sel *l = gotk_xcalloc(1, sizeof *l);
    const char *p = skip_ws(s ? s : "");
    while (*p) {
        sel_req *r = add_req(l);
        bool neg = *p == '!';
        p = skip_ws(p + neg);
        size_t n = token(p);
        if (n == 0)
            goto bad;
        r->key = gotk_xstrndup(p, n);
        if (neg) {
            r->op = OP_NOT_EXISTS;
            p = skip_ws(p + n);
        } else if (!(p = parse_op(p + n, r))) {
            goto bad;
        }
        p = skip_ws(p);
        if (*p == ',')
            p = skip_ws(p + 1);
        else if (*p)
            goto bad;
    }
    return l;
bad:
    *err = gotk_xasprintf("unable to parse requirement: invalid label selector \"%s\"", s);
    sel_free(l);
    return NULL;
}

/* Parse a field selector. */
sel *sel_parse_fields(const char *s, char **err)
{
    sel *l = gotk_xcalloc(1, sizeof *l);
    const char *p = s ? s : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *term = gotk_xstrndup(p, len);
        char *ne = strstr(term, "!="), *eq2 = strstr(term, "=="), *eq = strchr(term, '=');
        sel_req *r = add_req(l);
        char *op = ne ? ne : eq2 ? eq2 : eq;
        if (!op || op == term) {
            *err = gotk_xasprintf("invalid selector: '%s'; can't understand '%s'", s, term);
            free(term);
            sel_free(l);
            return NULL;
        }
        r->op = ne ? OP_NE : OP_EQ;
        r->key = gotk_xstrndup(term, (size_t)(op - term));
        const char *v = op + ((ne || eq2) ? 2 : 1);
        add_val(r, v, strlen(v));
        free(term);
        p += len;
        if (*p == ',')
            p++;
    }
    return l;
}

/* Whether `v` is among the requirement's values. */
static bool has_val(const sel_req *r, const char *v)
{
    for (int i = 0; i < r->nvals; i++)
        if (!strcmp(r->vals[i], v))
            return true;
    return false;
}

/* Evaluate one requirement against a value (NULL when absent). */
static bool req_match(const sel_req *r, const char *v)
{
    switch (r->op) {
    case OP_EXISTS:
        return v != NULL;
    case OP_NOT_EXISTS:
        return v == NULL;
    case OP_EQ:
    case OP_IN:
        return v && has_val(r, v);
    case OP_NE:
    case OP_NOTIN:
        return !v || !has_val(r, v);
    case OP_GT:
    case OP_LT: {
        char *end;
        if (!v)
            return false;
        long long a = strtoll(v, &end, 10), b = strtoll(r->vals[0], NULL, 10);
        if (*end)
            return false;
        return r->op == OP_GT ? a > b : a < b;
    }
    }
    return false;
}

/* A value JSON writes unescaped, so a stored object holding it holds "value". */
static bool plain_value(const char *v)
{
    for (; *v; v++)
        if (!isalnum((unsigned char)*v) && *v != '-' && *v != '_' && *v != '.')
            return false;
    return true;
}

/* Could the object stored as JSON text `txt` match? False only when an
 * equality requirement's value is nowhere in the text, so a list by label can
 * skip parsing most rows (a namespace of 10,000 ConfigMaps, one owner's 10). */
bool sel_may_match_raw(const sel *l, const char *txt, size_t len)
{
    for (int i = 0; l && i < l->n; i++) {
        const sel_req *r = &l->reqs[i];
        if ((r->op != OP_EQ && r->op != OP_IN) || r->nvals != 1 || !plain_value(r->vals[0]))
            continue;
        char quoted[320];
        int n = snprintf(quoted, sizeof quoted, "\"%s\"", r->vals[0]);
        if (n > 0 && (size_t)n < sizeof quoted && !memmem(txt, len, quoted, (size_t)n))
            return false;
    }
    return true;
}

/* Label selector match on metadata.labels. */
bool sel_match_labels(const sel *l, json_object *obj)
{
    json_object *labels = jx_get(jx_get(obj, "metadata"), "labels");
    for (int i = 0; l && i < l->n; i++)
        if (!req_match(&l->reqs[i], jx_get_str(labels, l->reqs[i].key)))
            return false;
    return true;
}

/* The value at a dotted path as text ("" when missing). */
static const char *field_value(json_object *obj, const char *path, char *tmp, size_t tmplen)
{
    char *copy = gotk_xstrdup(path), *save = NULL;
    json_object *cur = obj;
    for (char *k = strtok_r(copy, ".", &save); k && cur; k = strtok_r(NULL, ".", &save))
        cur = jx_get(cur, k);
    free(copy);
    if (!cur)
        return "";
    if (json_object_is_type(cur, json_type_string))
        return json_object_get_string(cur);
    snprintf(tmp, tmplen, "%s", jx_str(cur));
    return tmp;
}

/* Field selector match. */
bool sel_match_fields(const sel *f, json_object *obj)
{
    char tmp[256];
    for (int i = 0; f && i < f->n; i++)
        if (!req_match(&f->reqs[i], field_value(obj, f->reqs[i].key, tmp, sizeof tmp)))
            return false;
    return true;
}
