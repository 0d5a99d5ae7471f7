/*
 * The flag parser: one pass over the arguments; each flag is looked up by long
 * name or shorthand and its value stored by kind. Messages follow pflag's.
 */
#include "flags.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_flag *find_long(cli_flag *flags, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
            return &flags[i];
    return NULL;
}

static cli_flag *find_short(cli_flag *flags, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (flags[i].shorthand && flags[i].shorthand == c)
            return &flags[i];
    return NULL;
}

/* Append comma-separated values to a list. */
static void strings_add(cli_strings *s, const char *value)
{
    const char *p = value;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        s->items = gotk_xrealloc(s->items, (s->n + 1) * sizeof *s->items);
        s->items[s->n++] = gotk_xstrndup(p, len);
        if (!comma)
            break;
        p = comma + 1;
    }
}

void cli_strings_free(cli_strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->n = 0;
}

/* Whether s is one of the NULL-ended words (Go's strconv.ParseBool spellings). */
static bool is_one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(s, *words))
            return true;
    return false;
}

/* Store `value` into the flag; `shown` is how the user wrote the flag. */
static gotk_err *store(cli_flag *f, const char *value, const char *shown)
{
    gotk_err *e = NULL;
    switch (f->kind) {
    case FLAG_STRING:
        *(const char **)f->target = value;
        break;
    case FLAG_BOOL:
        if (is_one_of(value, (const char *[]){"1", "t", "T", "true", "TRUE", "True", NULL}))
            *(bool *)f->target = true;
        else if (is_one_of(value, (const char *[]){"0", "f", "F", "false", "FALSE", "False", NULL}))
            *(bool *)f->target = false;
        else
            e = gotk_err_new(GOTK_E_INVALID, "strconv.ParseBool: parsing \"%s\": invalid syntax",
                             value);
        break;
    case FLAG_DURATION:
        e = gotk_duration_parse(value, f->target);
        break;
    case FLAG_STRINGS:
        strings_add(f->target, value);
        break;
    case FLAG_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 0);
        if (!*value || *end || errno)
            e = gotk_err_new(GOTK_E_INVALID, "strconv.ParseInt: parsing \"%s\": invalid syntax",
                             value);
        else
            *(int *)f->target = (int)v;
        break;
    }
    }
    if (!e && f->check)
        e = f->check(value);
    if (e)
        return gotk_err_wrap(e, "invalid argument \"%s\" for \"%s\" flag", value, shown);
    f->set = true;
    return NULL;
}

/* A long flag: --name, --name=value, --name value. */
static gotk_err *parse_long(cli_flag *flags, size_t n, int argc, char **argv, int *i)
{
    const char *name = argv[*i] + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    cli_flag *f = find_long(flags, n, name, len);
    if (!f)
        return gotk_err_new(GOTK_E_INVALID, "unknown flag: --%.*s", (int)len, name);
    char shown[128];
    snprintf(shown, sizeof shown, "--%s", f->name);
    if (eq)
        return store(f, eq + 1, shown);
    if (f->kind == FLAG_BOOL)
        return store(f, "true", shown);
    if (*i + 1 >= argc)
        return gotk_err_new(GOTK_E_INVALID, "flag needs an argument: --%s", f->name);
    return store(f, argv[++*i], shown);
}

/* Shorthands: -n value, -nvalue, -n=value, -sv (booleans grouped). */
static gotk_err *parse_short(cli_flag *flags, size_t n, int argc, char **argv, int *i)
{
    const char *s = argv[*i] + 1;
    for (; *s; s++) {
        cli_flag *f = find_short(flags, n, *s);
        if (!f)
            return gotk_err_new(GOTK_E_INVALID, "unknown shorthand flag: '%c' in %s", *s, argv[*i]);
        char shown[8];
        snprintf(shown, sizeof shown, "-%c", *s);
        if (f->kind == FLAG_BOOL && s[1] != '=') {
            gotk_err *e = store(f, "true", shown);
            if (e)
                return e;
            continue;
        }
        if (s[1])
            return store(f, s[1] == '=' ? s + 2 : s + 1, shown);
        if (*i + 1 >= argc)
            return gotk_err_new(GOTK_E_INVALID, "flag needs an argument: '%c' in %s", *s, argv[*i]);
        return store(f, argv[++*i], shown);
    }
    return NULL;
}

gotk_err *cli_parse(int argc, char **argv, cli_flag *flags, size_t nflags, char ***pos,
                    int *npos, bool *help)
{
    *pos = gotk_xcalloc((size_t)argc + 1, sizeof **pos);
    *npos = 0;
    *help = false;
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        gotk_err *e = NULL;
        if (only_args || a[0] != '-' || !a[1])
            (*pos)[(*npos)++] = argv[i];
        else if (!strcmp(a, "--"))
            only_args = true;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            *help = true;
        else if (a[1] == '-')
            e = parse_long(flags, nflags, argc, argv, &i);
        else
            e = parse_short(flags, nflags, argc, argv, &i);
        if (e) {
            free(*pos);
            *pos = NULL;
            return e;
        }
    }
    return NULL;
}

bool cli_flag_given(const cli_flag *flags, size_t nflags, const char *name)
{
    for (size_t i = 0; i < nflags; i++)
        if (!strcmp(flags[i].name, name))
            return flags[i].set;
    return false;
}

void cli_print_flags(const cli_flag *flags, size_t nflags)
{
    static const char *types[] = {"string", "", "duration", "strings", "int"};
    puts("Flags:");
    for (size_t i = 0; i < nflags; i++) {
        char left[80];
        if (flags[i].shorthand)
            snprintf(left, sizeof left, "  -%c, --%s %s", flags[i].shorthand, flags[i].name,
                     types[flags[i].kind]);
        else
            snprintf(left, sizeof left, "      --%s %s", flags[i].name, types[flags[i].kind]);
        printf("%-44s %s\n", left, flags[i].help);
    }
}
