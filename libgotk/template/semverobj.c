/*
 * semverobj.c: Sprig's semver function and the *semver.Version it returns
 * (Masterminds/semver v3.3, what Helm 3.17 builds with), with its methods.
 *
 * A version value is a json object tagged "*semver.Version" (or
 * "semver.Version" for what IncMajor and friends return by value) holding the
 * text it was parsed from under the key "" (no template field can name it);
 * each method parses it again with the semver module.
 */
#include <stdlib.h>
#include <string.h>

#include "gotk/semver.h"
#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

#define PTR_TYPE "*semver.Version"
#define VAL_TYPE "semver.Version"

/* A version value of the given type for v. */
static gotk_tpl_val version_val(gotk_tpl_exec *ex, const gotk_semver *v, const char *type)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "", json_object_new_string(gotk_semver_original(v)));
    if (!strcmp(type, PTR_TYPE))
        gotk_tpl_tag(o, type, true);
    else
        tpl_tag_value(o, type, true);
    return gotk_tpl_own(ex, o);
}

/* The version a receiver or argument holds (it parsed before). */
static gotk_semver *version_of(gotk_tpl_val v)
{
    json_object *s = NULL;
    gotk_semver *out = NULL;
    if (v.j)
        json_object_object_get_ex(v.j, "", &s);
    gotk_err *e = gotk_semver_parse(s ? json_object_get_string(s) : "0.0.0", &out);
    if (e) {
        gotk_err_free(e);
        out = gotk_semver_new(0, 0, 0, NULL, NULL);
    }
    return out;
}

/* semver s: a *semver.Version, or Masterminds' error. */
FN(fn_semver)
{
    UNUSED;
    gotk_semver *v = NULL;
    gotk_err *e = gotk_semver_parse(SV(argv[0]), &v);
    if (e) {
        gotk_err_free(e);
        return gotk_err_new(GOTK_E_INVALID, "Invalid Semantic Version");
    }
    *res = version_val(ex, v, PTR_TYPE);
    gotk_semver_free(v);
    return NULL;
}

enum { M_STRING, M_ORIGINAL, M_PRERELEASE, M_METADATA, M_MAJOR, M_MINOR, M_PATCH };

/* MarshalJSON: the canonical string as JSON, a []byte. */
FN(version_marshal_json)
{
    UNUSED;
    gotk_semver *v = version_of(argv[0]);
    char *s = gotk_xasprintf("\"%s\"", gotk_semver_string(v));
    gotk_semver_free(v);
    *res = gotk_tpl_string(ex, s, strlen(s));
    free(s);
    tpl_tag_bytes(res->j);
    res->tname = TPL_BYTES_TYPE;
    return NULL;
}

/* The accessors: strings, or uint64 numbers. */
FN(version_get)
{
    UNUSED;
    gotk_semver *v = version_of(argv[0]);
    const char *s = NULL;
    uint64_t n = 0;
    switch ((int)(intptr_t)ud) {
    case M_STRING: s = gotk_semver_string(v); break;
    case M_ORIGINAL: s = gotk_semver_original(v); break;
    case M_PRERELEASE: s = gotk_semver_prerelease(v); break;
    case M_METADATA: s = gotk_semver_metadata(v); break;
    case M_MAJOR: n = gotk_semver_major(v); break;
    case M_MINOR: n = gotk_semver_minor(v); break;
    default: n = gotk_semver_patch(v); break;
    }
    if (s) {
        *res = gotk_tpl_string(ex, s, strlen(s));
    } else {
        *res = gotk_tpl_int64(ex, (int64_t)n);
        res->tname = "uint64";
    }
    gotk_semver_free(v);
    return NULL;
}

enum { C_LT, C_LE, C_GT, C_GE, C_EQ, C_CMP };

/* LessThan, LessThanEqual, GreaterThan, GreaterThanEqual, Equal, Compare. */
FN(version_compare)
{
    UNUSED;
    gotk_semver *a = version_of(argv[0]), *b = version_of(argv[1]);
    int c = gotk_semver_compare(a, b);
    gotk_semver_free(a);
    gotk_semver_free(b);
    bool r;
    switch ((int)(intptr_t)ud) {
    case C_LT: r = c < 0; break;
    case C_LE: r = c <= 0; break;
    case C_GT: r = c > 0; break;
    case C_GE: r = c >= 0; break;
    case C_EQ: r = c == 0; break;
    default: *res = gotk_tpl_int(ex, c); return NULL;
    }
    *res = gotk_tpl_bool(ex, r);
    return NULL;
}

enum { I_PATCH, I_MINOR, I_MAJOR, S_PRE, S_META };

/* Masterminds/semver v3.3.0 capitalizes these two errors. */
static gotk_err *v3_3_error(gotk_err *e)
{
    const char *m = gotk_err_msg(e);
    const char *cap = !strcmp(m, "invalid prerelease string") ? "Invalid Prerelease string"
                    : !strcmp(m, "invalid metadata string") ? "Invalid Metadata string" : NULL;
    if (!cap)
        return e;
    gotk_err_free(e);
    return gotk_err_new(GOTK_E_INVALID, "%s", cap);
}

/* IncPatch, IncMinor, IncMajor, SetPrerelease s, SetMetadata s: a new Version. */
FN(version_derive)
{
    UNUSED;
    gotk_semver *v = version_of(argv[0]), *out = NULL;
    gotk_err *e;
    switch ((int)(intptr_t)ud) {
    case I_PATCH: e = gotk_semver_inc_patch(v, &out); break;
    case I_MINOR: e = gotk_semver_inc_minor(v, &out); break;
    case I_MAJOR: e = gotk_semver_inc_major(v, &out); break;
    case S_PRE: e = gotk_semver_set_prerelease(v, SV(argv[1]), &out); break;
    default: e = gotk_semver_set_metadata(v, SV(argv[1]), &out); break;
    }
    gotk_semver_free(v);
    if (e)
        return v3_3_error(e);
    *res = version_val(ex, out, VAL_TYPE);
    gotk_semver_free(out);
    return NULL;
}

/* Register semver and the methods of its versions. */
void sprig_add_semver(gotk_tpl_set *set)
{
    static const struct {
        const char *type, *name, *params;
        gotk_tpl_fn fn;
        int ud;
    } t[] = {
        {VAL_TYPE, "String", "", version_get, M_STRING},
        {VAL_TYPE, "MarshalJSON", "", version_marshal_json, 0},
        {PTR_TYPE, "Original", "", version_get, M_ORIGINAL},
        {VAL_TYPE, "Prerelease", "", version_get, M_PRERELEASE},
        {VAL_TYPE, "Metadata", "", version_get, M_METADATA},
        {VAL_TYPE, "Major", "", version_get, M_MAJOR},
        {VAL_TYPE, "Minor", "", version_get, M_MINOR},
        {VAL_TYPE, "Patch", "", version_get, M_PATCH},
        {PTR_TYPE, "LessThan", "R", version_compare, C_LT},
        {PTR_TYPE, "LessThanEqual", "R", version_compare, C_LE},
        {PTR_TYPE, "GreaterThan", "R", version_compare, C_GT},
        {PTR_TYPE, "GreaterThanEqual", "R", version_compare, C_GE},
        {PTR_TYPE, "Equal", "R", version_compare, C_EQ},
        {PTR_TYPE, "Compare", "R", version_compare, C_CMP},
        {VAL_TYPE, "IncPatch", "", version_derive, I_PATCH},
        {VAL_TYPE, "IncMinor", "", version_derive, I_MINOR},
        {VAL_TYPE, "IncMajor", "", version_derive, I_MAJOR},
        {VAL_TYPE, "SetPrerelease", "s", version_derive, S_PRE},
        {VAL_TYPE, "SetMetadata", "s", version_derive, S_META},
    };
    gotk_template_add_func(set, "semver", "s", fn_semver, NULL);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        gotk_template_add_method(set, t[i].type, t[i].name, t[i].params, t[i].fn,
                                 (void *)(intptr_t)t[i].ud);
}
