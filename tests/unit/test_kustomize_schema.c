/* kustomize: the OpenAPI facts of strategic merge (schema.c): the built-in
 * Kubernetes v1.21.2 table by group/version/kind, and custom schemas with
 * $ref, x-kubernetes-patch-strategy, merge keys and list-map keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../libgotk/kustomize/internal.h"

/* The node at a path of fields ("[]" steps into list elements). */
static ksnode walk(ksnode n, const char *const *path)
{
    for (size_t i = 0; path[i]; i++)
        n = strcmp(path[i], "[]") ? ksch_field(n, path[i]) : ksch_elems(n);
    return n;
}

static void assert_keys(ksnode n, const char *want)
{
    const char *got = ksch_list_keys(n);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* Built-in: lists merge by their schema's keys, per group/version/kind. */
static void test_builtin(void **state)
{
    (void)state;
    static const char *const containers[] = {"spec", "template", "spec", "containers", NULL};
    static const char *const ports[] = {"spec", "template", "spec", "containers", "[]",
                                        "ports", NULL};
    static const char *const svc_ports[] = {"spec", "ports", NULL};
    static const char *const finalizers[] = {"metadata", "finalizers", NULL};
    static const char *const metrics[] = {"spec", "metrics", NULL};
    ksnode dep = ksch_root(NULL, "apps/v1", "Deployment");
    assert_keys(walk(dep, containers), "name");
    assert_keys(walk(dep, ports), "containerPort,protocol");
    assert_keys(walk(dep, finalizers), "");
    assert_keys(walk(ksch_root(NULL, "v1", "Service"), svc_ports), "port,protocol");
    /* not in the v1.21.2 schema: nothing merges by key */
    assert_keys(walk(ksch_root(NULL, "apps/v1beta2", "Deployment"), containers), NULL);
    assert_keys(walk(ksch_root(NULL, "autoscaling/v2beta2", "HorizontalPodAutoscaler"),
                     metrics), NULL);
    assert_keys(walk(ksch_root(NULL, "example.com/v1", "Widget"), containers), NULL);
}

static const char schema_yaml[] =
    "definitions:\n"
    "  w.Widget:\n"
    "    x-kubernetes-group-version-kind: [{group: example.com, kind: Widget, version: v1}]\n"
    "    properties:\n"
    "      spec: {$ref: '#/definitions/w.Spec'}\n"
    "  w.Spec:\n"
    "    properties:\n"
    "      parts:\n"
    "        type: array\n"
    "        items: {$ref: '#/definitions/w.Part'}\n"
    "        x-kubernetes-patch-strategy: retainKeys,merge\n"
    "        x-kubernetes-patch-merge-key: id\n"
    "      cells:\n"
    "        type: array\n"
    "        x-kubernetes-patch-strategy: merge\n"
    "        x-kubernetes-list-map-keys: [row, col]\n"
    "      tags: {type: array, x-kubernetes-patch-strategy: merge}\n"
    "      plain: {type: array, x-kubernetes-patch-merge-key: id}\n"
    "      byZone:\n"
    "        additionalProperties: {type: array, x-kubernetes-patch-strategy: merge}\n"
    "  w.Part:\n"
    "    properties:\n"
    "      subs: {type: array, x-kubernetes-patch-strategy: merge, "
    "x-kubernetes-patch-merge-key: n}\n";

/* Custom: definitions by x-kubernetes-group-version-kind, $ref followed. */
static void test_custom(void **state)
{
    (void)state;
    kschema s = {0};
    assert_null(kschema_load(&s, schema_yaml, strlen(schema_yaml), "schema.yaml"));
    ksnode w = ksch_root(&s, "example.com/v1", "Widget");
    static const char *const parts[] = {"spec", "parts", NULL};
    static const char *const subs[] = {"spec", "parts", "[]", "subs", NULL};
    static const char *const cells[] = {"spec", "cells", NULL};
    static const char *const tags[] = {"spec", "tags", NULL};
    static const char *const plain[] = {"spec", "plain", NULL};
    static const char *const zone[] = {"spec", "byZone", "east", NULL};
    assert_keys(walk(w, parts), "id");
    assert_keys(walk(w, subs), "n");
    assert_keys(walk(w, cells), "row,col");
    assert_keys(walk(w, cells), "row,col"); /* kept once computed */
    assert_keys(walk(w, tags), "");
    assert_keys(walk(w, plain), NULL); /* a key without the merge strategy */
    assert_keys(walk(w, zone), "");
    /* a custom schema replaces the built-in one */
    static const char *const containers[] = {"spec", "template", "spec", "containers", NULL};
    assert_keys(walk(ksch_root(&s, "apps/v1", "Deployment"), containers), NULL);
    assert_keys(walk(ksch_root(&s, "example.com/v2", "Widget"), parts), NULL);
    kschema_free(&s);
}

/* A strategic merge with the custom schema merges parts by id, patch first. */
static void test_smp_custom(void **state)
{
    (void)state;
    kschema s = {0};
    assert_null(kschema_load(&s, schema_yaml, strlen(schema_yaml), "schema.yaml"));
    json_object *d = NULL, *p = NULL;
    const char *dt = "apiVersion: example.com/v1\nkind: Widget\nspec:\n  parts:\n"
                     "  - {id: a, size: 1}\n  - {id: b, size: 2}\n";
    const char *pt = "spec:\n  parts:\n  - {id: b, size: 3}\n";
    assert_null(gotk_yaml_parse_one(dt, strlen(dt), "d", &d));
    assert_null(gotk_yaml_parse_one(pt, strlen(pt), "p", &p));
    assert_null(ksmp_apply(&d, p, &s));
    char *y = gotk_yaml_to_string(json_object_object_get(d, "spec"), GOTK_YAML_SORT_KEYS);
    assert_string_equal(y, "parts:\n- id: b\n  size: 3\n- id: a\n  size: 1\n");
    free(y);
    json_object_put(d);
    json_object_put(p);
    kschema_free(&s);
}

/* A schema that is not YAML loads as broken: kustomize fails only once a
 * patch needs it, with go-yaml's words. */
static void test_bad_schema(void **state)
{
    (void)state;
    kschema s = {0};
    assert_null(kschema_load(&s, "{definitions: [", 15, "bad.json"));
    assert_non_null(s.broken);
    assert_string_equal(s.broken, "invalid schema file: yaml: line 1: did not find expected "
                                  "node content");
    kschema_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_custom),
        cmocka_unit_test(test_smp_custom),
        cmocka_unit_test(test_bad_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
