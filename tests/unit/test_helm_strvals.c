/*
 * helm strvals: Helm's --set, --set-string, --set-json, --set-file and
 * --set-literal parsers.
 * The table was produced by running each argument through the reference helm
 * v3.17.3 (`helm template` of a chart printing `toJson .Values`, or its
 * "failed parsing --set data: ..." error), so the answers are Helm's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gotk/helm.h"
#include "gotk/obj.h"

typedef struct {
    gotk_helm_set_kind kind;
    const char *arg;
    const char *json; /* the values Helm ends up with, or NULL */
    const char *err;  /* Helm's error (without the flag's prefix), or NULL */
} sv_case;

static const sv_case cases[] = {
    {GOTK_HELM_SET, "name1=null,f=false,t=true", "{\"f\":false,\"name1\":null,\"t\":true}", NULL},
    {GOTK_HELM_SET, "name1=value1,name2=value2,", "{\"name1\":\"value1\",\"name2\":\"value2\"}", NULL},
    {GOTK_HELM_SET, "name1=value1,,,,name2=value2,", NULL, "key \"\" has no value (cannot end with ,)"},
    {GOTK_HELM_SET, "name1=,name2=value2", "{\"name1\":\"\",\"name2\":\"value2\"}", NULL},
    {GOTK_HELM_SET, "leading_zeros=00009", "{\"leading_zeros\":\"00009\"}", NULL},
    {GOTK_HELM_SET, "zero_int=0,long=1234567890,neg=-12,plus=+7,big=99999999999999999999", "{\"big\":\"99999999999999999999\",\"long\":1234567890,\"neg\":-12,\"plus\":7,\"zero_int\":0}", NULL},
    {GOTK_HELM_SET, "boolean=TRUE,n=Null", "{\"boolean\":true,\"n\":null}", NULL},
    {GOTK_HELM_SET, "name1,name2=", NULL, "key \"name1\" has no value (cannot end with ,)"},
    {GOTK_HELM_SET, "name1,name2", NULL, "key \"name1\" has no value (cannot end with ,)"},
    {GOTK_HELM_SET, "name1=one\\,two,name2=three\\,four", "{\"name1\":\"one,two\",\"name2\":\"three,four\"}", NULL},
    {GOTK_HELM_SET, "outer.inner1=value,outer.middle.inner=value", "{\"outer\":{\"inner1\":\"value\",\"middle\":{\"inner\":\"value\"}}}", NULL},
    {GOTK_HELM_SET, "name1.name2", NULL, "key \"name2\" has no value"},
    {GOTK_HELM_SET, "name1.name2=", "{\"name1\":{\"name2\":\"\"}}", NULL},
    {GOTK_HELM_SET, "list[0]=foo,list[1]=bar", "{\"list\":[\"foo\",\"bar\"]}", NULL},
    {GOTK_HELM_SET, "list[0]=foo,list[3]=bar", "{\"list\":[\"foo\",null,null,\"bar\"]}", NULL},
    {GOTK_HELM_SET, "list[0].foo=bar,list[0].hello=world", "{\"list\":[{\"foo\":\"bar\",\"hello\":\"world\"}]}", NULL},
    {GOTK_HELM_SET, "list[0][0]=a,list[0][1]=b,list[1][2]=c", "{\"list\":[[\"a\",\"b\"],[null,null,\"c\"]]}", NULL},
    {GOTK_HELM_SET, "list[0]=foo,list[1].x=y", "{\"list\":[\"foo\",{\"x\":\"y\"}]}", NULL},
    {GOTK_HELM_SET, "name1={value1,value2}", "{\"name1\":[\"value1\",\"value2\"]}", NULL},
    {GOTK_HELM_SET, "a={}", "{\"a\":[\"\"]}", NULL},
    {GOTK_HELM_SET, "a={b", NULL, "list must terminate with '}'"},
    {GOTK_HELM_SET, "a[x]=1", NULL, "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"},
    {GOTK_HELM_SET, "a[-1]=1", NULL, "negative -1 index not allowed"},
    {GOTK_HELM_SET, "a[0", NULL, "error parsing index: EOF"},
    {GOTK_HELM_SET, "a[0]", "{\"a\":[]}", NULL},
    {GOTK_HELM_SET, "a[0]x=1", NULL, "unexpected data at end of array index: ['x']"},
    {GOTK_HELM_SET, "a=1,a.b=2", NULL, "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"},
    {GOTK_HELM_SET, "a.b=1,a[0]=2", NULL, "unable to parse key: interface conversion: interface {} is map[string]interface {}, not []interface {}"},
    {GOTK_HELM_SET, "a=b=c", "{\"a\":\"b=c\"}", NULL},
    {GOTK_HELM_SET, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.b1.c1.d1.e1=deep", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":{\"r\":{\"s\":{\"t\":{\"u\":{\"v\":{\"w\":{\"x\":{\"y\":{\"z\":{\"a1\":{\"b1\":{\"c1\":{\"d1\":{\"e1\":\"deep\"}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}", NULL},
    {GOTK_HELM_SET, "a\\.b=1,c\\[0\\]=2", "{\"a.b\":1,\"c[0]\":2}", NULL},
    {GOTK_HELM_SET, "a[65537]=x", NULL, "index of 65537 is greater than maximum supported index of 65536"},
    {GOTK_HELM_SET_STRING, "n=1,b=true,z=null,l={1,2}", "{\"b\":\"true\",\"l\":[\"1\",\"2\"],\"n\":\"1\",\"z\":\"null\"}", NULL},
    {GOTK_HELM_SET_JSON, "a={\"b\":1,\"c\":[true,null]},d=[1,2] ,e=\"x\"", "{\"a\":{\"b\":1,\"c\":[true,null]},\"d\":[1,2],\"e\":\"x\"}", NULL},
    {GOTK_HELM_SET_JSON, "a=", "{\"a\":null}", NULL},
    {GOTK_HELM_SET_JSON, "a[0]={\"x\":1}", "{\"a\":[{\"x\":1}]}", NULL},
    {GOTK_HELM_SET_FILE, "f=set-file.txt,g[0]=set-file.txt", "{\"f\":\"line one\\nline two\\n\",\"g\":[\"line one\\nline two\\n\"]}", NULL},
    {GOTK_HELM_SET_FILE, "f=missing.txt", NULL, "open missing.txt: no such file or directory"},
    {GOTK_HELM_SET_LITERAL, "a=b,c=d\\e", "{\"a\":\"b,c=d\\\\e\"}", NULL},
    {GOTK_HELM_SET_LITERAL, "a.b[1]=x=y", "{\"a\":{\"b\":[null,\"x=y\"]}}", NULL},
    {GOTK_HELM_SET_LITERAL, "a\\.b=1", "{\"a\\\\\":{\"b\":\"1\"}}", NULL},
    {GOTK_HELM_SET_LITERAL, "a", NULL, "key \"a\" has no value"},
    {GOTK_HELM_SET_LITERAL, "a[0]x=1", NULL, "unexpected data at end of array index: ['x']"},
    {GOTK_HELM_SET_LITERAL, "l[0].k=v,w", "{\"l\":[{\"k\":\"v,w\"}]}", NULL},
};

/* Run the cases in a directory holding set-file.txt (for --set-file). */
static void test_table(void **state)
{
    (void)state;
    char *dir = NULL, cwd[4096];
    assert_null(gotk_file_temp_dir("helm-strvals", &dir));
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    FILE *f = fopen("set-file.txt", "w");
    assert_non_null(f);
    fputs("line one\nline two\n", f);
    fclose(f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sv_case *c = &cases[i];
        json_object *dest = json_object_new_object();
        gotk_err *e = gotk_helm_strvals(c->arg, c->kind, dest);
        if (c->err) {
            if (!e)
                fail_msg("%s: no error, want %s", c->arg, c->err);
            assert_string_equal(gotk_err_msg(e), c->err);
            gotk_err_free(e);
        } else {
            if (e)
                fail_msg("%s: %s", c->arg, gotk_err_msg(e));
            json_object *want = NULL;
            assert_null(gotk_json_parse(c->json, strlen(c->json), &want));
            if (!gotk_obj_equal(dest, want))
                fail_msg("%s: got %s, want %s", c->arg, json_object_to_json_string(dest), c->json);
            json_object_put(want);
        }
        json_object_put(dest);
    }
    assert_int_equal(chdir(cwd), 0);
    assert_null(gotk_file_remove_all(dir));
    free(dir);
}

/* --set numbers are int64 (as Helm's typedVal), --set-json numbers float64. */
static void test_number_types(void **state)
{
    (void)state;
    json_object *d = json_object_new_object();
    assert_null(gotk_helm_strvals("a=12,b=1.5", GOTK_HELM_SET, d));
    assert_true(json_object_is_type(json_object_object_get(d, "a"), json_type_int));
    assert_true(json_object_is_type(json_object_object_get(d, "b"), json_type_string));
    assert_null(gotk_helm_strvals("c=12", GOTK_HELM_SET_JSON, d));
    assert_true(json_object_is_type(json_object_object_get(d, "c"), json_type_double));
    json_object_put(d);
}

/* Later arguments write into what earlier ones built, as ParseInto does. */
static void test_into_existing(void **state)
{
    (void)state;
    json_object *d = NULL;
    const char *base = "{\"a\":{\"keep\":1},\"l\":[\"x\",\"y\"]}";
    assert_null(gotk_json_parse(base, strlen(base), &d));
    assert_null(gotk_helm_strvals("a.b=2,l[1]=z", GOTK_HELM_SET, d));
    char *got = gotk_json_to_string(d);
    assert_string_equal(got, "{\"a\":{\"keep\":1,\"b\":2},\"l\":[\"x\",\"z\"]}");
    free(got);
    json_object_put(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_number_types),
        cmocka_unit_test(test_into_existing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
