/* kustomize: internals (name hash, path joining, field-spec walking, the id
 * index, JSON 6902 and strategic merge) and whole builds in temporary
 * directories, including the error texts of missing resources, duplicate ids
 * and cycles, and Flux's kustomization generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../libgotk/kustomize/internal.h"

/* Parse one YAML document (test helper). */
static json_object *yaml(const char *s)
{
    json_object *o = NULL;
    gotk_err *e = gotk_yaml_parse_one(s, strlen(s), "test", &o);
    assert_null(e);
    return o;
}

/* Write a file under dir. */
static void put(const char *dir, const char *name, const char *text)
{
    char *p = gotk_xasprintf("%s/%s", dir, name);
    char *slash = strrchr(p, '/');
    *slash = 0;
    gotk_err_free(gotk_file_mkdir_all(p, 0755));
    *slash = '/';
    assert_null(gotk_file_write_atomic(p, text, strlen(text), 0644));
    free(p);
}

/* kustomize's ConfigMap hash (the name never enters it). */
static void test_hash(void **state)
{
    (void)state;
    json_object *cm = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n"
                           "data:\n  B: two\n  A: \"1\"\n");
    char h[11];
    assert_null(kgen_hash(cm, h));
    assert_string_equal(h, "6b56fdfggc");
    json_object_put(cm);
}

/* Paths are joined and cleaned lexically. */
static void test_path_join(void **state)
{
    (void)state;
    char *p = kpath_join("/a/b", "../c/./d");
    assert_string_equal(p, "/a/c/d");
    free(p);
    p = kpath_join("/a", "/abs/x");
    assert_string_equal(p, "/abs/x");
    free(p);
}

/* Relative joins keep leading ".." as Go's filepath.Join does. */
static void test_rel_join(void **state)
{
    (void)state;
    const char *cases[][3] = {
        {"../base", "x.yaml", "../base/x.yaml"}, {"", "a/../b", "b"},
        {"a", "../../c", "../c"}, {"", ".", "."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *j = krel_join(cases[i][0], cases[i][1]);
        assert_string_equal(j, cases[i][2]);
        free(j);
    }
}

/* A configuration's specific spec shadows the general default once merged into
 * the accumulated configuration, as kustomize's MergeAll does. */
static void test_config_shadowing(void **state)
{
    (void)state;
    json_object *doc = yaml("namePrefix:\n- path: metadata/name\n  kind: Host\n");
    kconfig custom = {0}, lvl, acc = {0};
    kconfig_merge_doc(&custom, doc);
    kconfig_default(&lvl);
    assert_null(kconfig_absorb(&lvl, &custom));
    assert_int_equal(lvl.fs[KFS_PREFIX].n, 2);
    assert_null(kconfig_absorb(&acc, &lvl));
    assert_int_equal(acc.fs[KFS_PREFIX].n, 1);
    assert_string_equal(acc.fs[KFS_PREFIX].v[0].kind, "Host");
    kconfig_free(&acc);
    json_object_put(doc);
}

/* A spec for the same gvk and path with the other `create` conflicts, named
 * after kustomize's list; a new gvk's name references are taken whole. */
static void test_config_conflicts(void **state)
{
    (void)state;
    json_object *doc = yaml("images:\n- path: spec/img\n  create: true\n"
                            "nameReference:\n- kind: Foo\n  fieldSpecs:\n"
                            "  - path: a\n    create: true\n  - path: a\n");
    kconfig custom = {0}, lvl;
    kconfig_merge_doc(&custom, doc);
    kconfig_default(&lvl);
    assert_null(kconfig_absorb(&lvl, &custom));
    json_object_put(doc);
    doc = yaml("images:\n- path: spec/img\n");
    kconfig other = {0};
    kconfig_merge_doc(&other, doc);
    assert_string_equal(kconfig_absorb(&lvl, &other),
                        "failed to merge Images fieldSpec: conflicting fieldspecs");
    kconfig_free(&lvl);
    json_object_put(doc);
}

/* A kustomization decodes strictly at every level; names matching a field
 * only ignoring case are renamed to it. */
static void test_kustomization_strict(void **state)
{
    (void)state;
    json_object *k = yaml("images:\n- NAME: a\n  NewTag: b\nvars:\n- name: V\n  objref: {kind: X}\n"
                          "  fieldref: {fieldpath: a.b}\n");
    assert_null(kstrict_kustomization(k));
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(
                            json_object_object_get(k, "images"), 0), "newTag"), "b");
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(
                            json_object_object_get(k, "vars"), 0), "fieldref.fieldPath"), "a.b");
    json_object_put(k);
    k = yaml("replicas:\n- name: a\n  count: x\nimages:\n- name: a\n  zz: 1\n");
    gotk_err *e = kstrict_kustomization(k);
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "invalid Kustomization: json: unknown field \"zz\"");
    gotk_err_free(e);
    json_object_put(k);
}

/* Decoding as UnmarshalStrict: first error in key order, Go's wording. */
static void test_config_decode(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"zz: 1\nnamePrefix: 3\n", "error unmarshaling JSON: while decoding JSON: json: cannot "
         "unmarshal number into Go struct field TransformerConfig.namePrefix of type types.FsSlice"},
        {"namePrefix:\n- kind: 5\n  path: a\n", "json: cannot unmarshal number into Go struct "
         "field FieldSpec.namePrefix.kind of type string"},
        {"nameReference:\n- fieldSpecs:\n  - [a]\n", "json: cannot unmarshal array into Go "
         "struct field NameBackReferences.nameReference.fieldSpecs of type types.FieldSpec"},
        {"images:\n- path: a\n  zz: 1\n", "json: unknown field \"zz\""},
        {"- a\n", "cannot unmarshal array into Go value of type builtinconfig.TransformerConfig"},
        {"images: []\nimages: []\n", "line 2: key \"images\" already set in map"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object *out = NULL;
        gotk_err *e = kconfig_decode(bad[i][0], strlen(bad[i][0]), NULL, &out);
        assert_non_null(e);
        if (!strstr(gotk_err_msg(e), bad[i][1]))
            print_error("%s: got %s\n", bad[i][0], gotk_err_msg(e));
        assert_non_null(strstr(gotk_err_msg(e), bad[i][1]));
        gotk_err_free(e);
    }
    const char *ok = "IMAGES:\n- Path: 16\n  Create: yes\n  kind: ~\n";
    json_object *out = NULL;
    assert_null(kconfig_decode(ok, strlen(ok), NULL, &out));
    char *s = gotk_json_to_string(out);
    assert_string_equal(s, "{\"images\":[{\"create\":true,\"path\":\"16\"}]}");
    free(s);
    json_object_put(out);
}

static gotk_err *set_x(const kslot *s, void *ud)
{
    (void)ud;
    kslot_set(s, json_object_new_string("x"));
    return NULL;
}

/* Field specs walk lists, update only existing fields without create, and
 * create maps on the way with it. */
static void test_fieldspec(void **state)
{
    (void)state;
    json_object *o = yaml("spec:\n  containers:\n  - name: a\n  - {name: b, image: y}\n");
    assert_null(kfs_apply(o, "spec/containers[]/image", false, json_type_null, set_x, NULL));
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(
                            gotk_obj_get(o, "spec", "containers", NULL), 1), "image"), "x");
    assert_null(gotk_obj_get_str(json_object_array_get_idx(
        gotk_obj_get(o, "spec", "containers", NULL), 0), "image"));
    assert_null(kfs_apply(o, "metadata/labels/a\\/b", true, json_type_string, set_x, NULL));
    assert_non_null(gotk_obj_get(o, "metadata", "labels", "a/b", NULL));
    json_object_put(o);
}

/* The id index rejects a second object with the same id. */
static void test_duplicate_id(void **state)
{
    (void)state;
    kmap m = {0};
    assert_null(kmap_append(&m, kres_new(yaml("apiVersion: v1\nkind: ConfigMap\n"
                                              "metadata:\n  name: a\n"))));
    gotk_err *e = kmap_append(&m, kres_new(yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                "  name: a\n  namespace: default\n")));
    assert_non_null(e);
    assert_string_equal(gotk_err_msg(e), "may not add resource with an already registered id: "
                                         "ConfigMap.v1.[noGrp]/a.default");
    gotk_err_free(e);
    kmap_free(&m);
}

/* JSON 6902 operations, and a failing test op. */
static void test_json6902(void **state)
{
    (void)state;
    json_object *doc = yaml("a:\n  b: [1, 2]\n");
    json_object *ops = yaml("- {op: add, path: /a/b/1, value: 9}\n- {op: copy, from: /a/b, "
                            "path: /c}\n- {op: remove, path: /a/b/0}\n");
    assert_null(kjson6902_apply(&doc, ops));
    assert_int_equal(json_object_array_length(gotk_obj_get(doc, "a", "b", NULL)), 2);
    assert_int_equal(json_object_array_length(gotk_obj_get(doc, "c", NULL)), 3);
    json_object *bad = yaml("- {op: test, path: /a/b/0, value: 5}\n");
    gotk_err *e = kjson6902_apply(&doc, bad);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "test failed"));
    gotk_err_free(e);
    json_object_put(bad);
    json_object_put(ops);
    json_object_put(doc);
}

/* Strategic merge: containers merge by name, patch elements first. */
static void test_smp(void **state)
{
    (void)state;
    json_object *d = yaml("apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n"
                          "  - {name: a, image: a}\n  - {name: b, image: b}\n");
    json_object *p = yaml("spec:\n  containers:\n  - {name: c, image: c}\n"
                          "  - {name: b, image: b2}\n  - {name: a, $patch: delete}\n");
    assert_null(ksmp_apply(&d, p, NULL));
    json_object *cs = gotk_obj_get(d, "spec", "containers", NULL);
    assert_int_equal(json_object_array_length(cs), 2);
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(cs, 0), "name"), "c");
    assert_string_equal(gotk_obj_get_str(json_object_array_get_idx(cs, 1), "image"), "b2");
    json_object_put(p);
    json_object_put(d);
}

/* A build with prefix, generator and reference fixing. */
static void test_build(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("gotk-kust-test", &dir));
    put(dir, "kustomization.yaml", "namePrefix: p-\nresources:\n- d.yaml\n"
                                   "configMapGenerator:\n- name: cfg\n  literals: [A=1]\n");
    put(dir, "d.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  volumes:\n"
                       "  - name: v\n    configMap:\n      name: cfg\n");
    gotk_buf b = {0};
    assert_null(gotk_kustomize_build_yaml(dir, NULL, &b));
    assert_non_null(strstr(b.data, "name: p-cfg-"));
    assert_non_null(strstr(b.data, "name: p-x\n"));
    gotk_buf_free(&b);
    gotk_err_free(gotk_file_remove_all(dir));
    free(dir);
}

/* Error texts: missing resource and cycles. */
static void test_errors(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("gotk-kust-test", &dir));
    put(dir, "kustomization.yaml", "resources:\n- nope.yaml\n");
    json_object *docs = NULL;
    gotk_err *e = gotk_kustomize_build(dir, NULL, &docs);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "accumulating resources from 'nope.yaml'"));
    gotk_err_free(e);
    put(dir, "kustomization.yaml", "resources:\n- sub\n");
    put(dir, "sub/kustomization.yaml", "resources:\n- ..\n");
    e = gotk_kustomize_build(dir, NULL, &docs);
    assert_non_null(e);
    assert_non_null(strstr(gotk_err_msg(e), "cycle detected"));
    gotk_err_free(e);
    gotk_err_free(gotk_file_remove_all(dir));
    free(dir);
}

/* Flux's generator lists manifests and kustomization directories. */
static void test_generate(void **state)
{
    (void)state;
    char *dir = NULL;
    assert_null(gotk_file_temp_dir("gotk-kust-test", &dir));
    put(dir, "b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
    put(dir, "sub/a.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
    put(dir, "app/kustomization.yaml", "namePrefix: app-\n");
    put(dir, "README.md", "# hi\n");
    bool created = false;
    assert_null(gotk_kustomize_generate(dir, &created));
    assert_true(created);
    char *p = gotk_xasprintf("%s/kustomization.yaml", dir), *data = NULL;
    size_t len = 0;
    assert_null(gotk_file_read(p, &data, &len));
    assert_string_equal(data, "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                              "resources:\n- app\n- b.yaml\n- sub/a.yml\n");
    free(data);
    free(p);
    json_object *docs = NULL;
    assert_null(gotk_kustomize_build(dir, NULL, &docs));
    assert_int_equal(json_object_array_length(docs), 2);
    json_object_put(docs);
    gotk_err_free(gotk_file_remove_all(dir));
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),         cmocka_unit_test(test_path_join),
        cmocka_unit_test(test_fieldspec),    cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_json6902),     cmocka_unit_test(test_smp),
        cmocka_unit_test(test_build),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_generate),     cmocka_unit_test(test_rel_join),
        cmocka_unit_test(test_config_shadowing),
        cmocka_unit_test(test_config_conflicts),
        cmocka_unit_test(test_config_decode),
        cmocka_unit_test(test_kustomization_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
