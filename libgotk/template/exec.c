/*
 * exec.c: executing a parsed template, Go's text/template/exec.go in C.
 *
 * walk() visits the nodes of a tree and writes text; eval_*() compute the values
 * of pipelines, commands, fields, variables and function calls. The state keeps
 * a stack of variables (each {{if}}, {{with}}, {{range}} body pops what it
 * pushed; a {{template}} call sees only "$"), the node being evaluated (errors
 * quote it) and the json references created on the way, all released when the
 * execution ends. An error unwinds with longjmp to gotk_template_execute; nothing
 * on the way owns memory outside the execution's lists, so nothing leaks.
 * {{break}} and {{continue}} travel back up as walk()'s return value.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpl_int.h"
#include "gotk/obj.h"

/* Go stops at 100000 nested template calls; C stacks are smaller, so we stop
 * sooner but report Go's message (only runaway recursion gets here). */
#define MAX_EXEC_DEPTH 2000

enum { WALK_OK, WALK_BREAK, WALK_CONTINUE };

typedef struct {
    const char *name;
    gotk_tpl_val v;
} tpl_var;

struct gotk_tpl_exec {
    gotk_tpl_set *set;
    gotk_buf *out;
    const char *tmpl_name;
    const tpl_src *src; /* of the tree running, for error locations */
    const tpl_node *node;
    tpl_var *vars;
    int nvars, capvars, var_base;
    int depth;
    json_object **keep;
    size_t nkeep, capkeep;
    void **allocs; /* malloc'd scratch (argument arrays) */
    size_t nallocs, capallocs;
    jmp_buf *jb;
    gotk_buf err;
    const gotk_tpl_exec *parent; /* the execution a function started this one from */
    const char *root_name;       /* the template this execution was started with */
    const char *recv_type;       /* while converting a method's arguments: its receiver's type */
};

/* The execution running on this thread, for fmt's String calls. */
static _Thread_local gotk_tpl_exec *current_exec;

static gotk_tpl_val eval_pipeline(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *pipe);
static gotk_tpl_val eval_arg(gotk_tpl_exec *ex, gotk_tpl_val dot, char typ, const tpl_node *n);
static int walk(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *n);

static const gotk_tpl_val invalid_val = {GOTK_TPL_INVALID, false, NULL, NULL};

/* ---- state ----------------------------------------------------------------- */

/* Register a json reference to release when the execution ends. */
json_object *tpl_exec_keep(gotk_tpl_exec *ex, json_object *j)
{
    if (!j)
        return j;
    if (ex->nkeep == ex->capkeep) {
        ex->capkeep = ex->capkeep ? ex->capkeep * 2 : 64;
        ex->keep = gotk_xrealloc(ex->keep, sizeof *ex->keep * ex->capkeep);
    }
    ex->keep[ex->nkeep++] = j;
    return j;
}

/* Scratch memory freed when the execution ends (errors unwind past callers). */
static void *exec_alloc(gotk_tpl_exec *ex, size_t n)
{
    if (ex->nallocs == ex->capallocs) {
        ex->capallocs = ex->capallocs ? ex->capallocs * 2 : 16;
        ex->allocs = gotk_xrealloc(ex->allocs, sizeof *ex->allocs * ex->capallocs);
    }
    return ex->allocs[ex->nallocs++] = gotk_xcalloc(1, n);
}

/* A value owning j for the rest of the execution. */
gotk_tpl_val gotk_tpl_own(gotk_tpl_exec *ex, json_object *j)
{
    return gotk_tpl_from_json(tpl_exec_keep(ex, j), false);
}

/* A new string value. */
gotk_tpl_val gotk_tpl_string(gotk_tpl_exec *ex, const char *s, size_t len)
{
    return gotk_tpl_own(ex, json_object_new_string_len(s, (int)len));
}

/* A new Go int value. */
gotk_tpl_val gotk_tpl_int(gotk_tpl_exec *ex, int64_t i)
{
    return gotk_tpl_own(ex, json_object_new_int64(i));
}

/* A new Go int64 value. */
gotk_tpl_val gotk_tpl_int64(gotk_tpl_exec *ex, int64_t i)
{
    return gotk_tpl_own(ex, gotk_obj_new_go_int64(i));
}

/* A new float64 value. */
gotk_tpl_val gotk_tpl_float(gotk_tpl_exec *ex, double d)
{
    return gotk_tpl_own(ex, json_object_new_double(d));
}

/* A new bool value. */
gotk_tpl_val gotk_tpl_bool(gotk_tpl_exec *ex, bool b)
{
    return gotk_tpl_own(ex, json_object_new_boolean(b));
}

/* Remember the node being evaluated, for error messages. */
static void at(gotk_tpl_exec *ex, const tpl_node *n)
{
    ex->node = n;
}

/* Fail the execution with Go's message and location. */
static _Noreturn void exec_errorf(gotk_tpl_exec *ex, const char *fmt, ...) GOTK_PRINTF(2, 3);
static _Noreturn void exec_errorf(gotk_tpl_exec *ex, const char *fmt, ...)
{
    va_list ap;
    gotk_buf_puts(&ex->err, "template: ");
    if (ex->node) {
        tpl_node_location(ex->node, ex->src, &ex->err);
        gotk_buf_puts(&ex->err, ": executing ");
        tpl_quote(&ex->err, ex->tmpl_name, strlen(ex->tmpl_name));
        gotk_buf_puts(&ex->err, " at <");
        tpl_node_string(ex->node, &ex->err);
        gotk_buf_puts(&ex->err, ">: ");
    } else {
        gotk_buf_printf(&ex->err, "%s: ", ex->tmpl_name);
    }
    va_start(ap, fmt);
    gotk_buf_vprintf(&ex->err, fmt, ap);
    va_end(ap);
    longjmp(*ex->jb, 1);
}

/* A node's text, kept until the execution ends (for messages). */
static const char *node_str(gotk_tpl_exec *ex, const tpl_node *n)
{
    gotk_buf b = {0};
    tpl_node_string(n, &b);
    gotk_tpl_val v = gotk_tpl_string(ex, b.data ? b.data : "", b.len);
    gotk_buf_free(&b);
    return json_object_get_string(v.j);
}

/* A Go-quoted copy of s, kept until the execution ends. */
static const char *quoted(gotk_tpl_exec *ex, const char *s)
{
    gotk_buf b = {0};
    tpl_quote(&b, s, strlen(s));
    gotk_tpl_val v = gotk_tpl_string(ex, b.data, b.len);
    gotk_buf_free(&b);
    return json_object_get_string(v.j);
}

/* Push a variable on the stack. */
static void push_var(gotk_tpl_exec *ex, const char *name, gotk_tpl_val v)
{
    if (ex->nvars == ex->capvars) {
        ex->capvars = ex->capvars ? ex->capvars * 2 : 16;
        ex->vars = gotk_xrealloc(ex->vars, sizeof *ex->vars * (size_t)ex->capvars);
    }
    ex->vars[ex->nvars].name = name;
    ex->vars[ex->nvars++].v = v;
}

/* The slot of the innermost variable of that name. */
static tpl_var *find_var(gotk_tpl_exec *ex, const char *name)
{
    for (int i = ex->nvars - 1; i >= ex->var_base; i--)
        if (strcmp(ex->vars[i].name, name) == 0)
            return &ex->vars[i];
    exec_errorf(ex, "undefined variable: %s", name);
}

/* ---- values ---------------------------------------------------------------- */

/* Go's name for a parameter type letter. */
static const char *param_type_name(const gotk_tpl_exec *ex, char t)
{
    switch (t) {
    case 'R': return ex->recv_type ? ex->recv_type : "?";
    case 'v': return "interface {}";
    case 'r': return "reflect.Value";
    case 's': return "string";
    case 'i': return "int";
    case 'I': return "int64";
    case 'f': return "float64";
    case 'b': return "bool";
    case 'm': return "map[string]interface {}";
    case 'V': return "chartutil.Values";
    case 'l': return "[]interface {}";
    case 't': return "time.Time";
    default: return "?";
    }
}

/* The value kind a typed parameter letter accepts. */
static gotk_tpl_kind param_kind(char t)
{
    switch (t) {
    case 's': return GOTK_TPL_STRING;
    case 'i': return GOTK_TPL_INT;
    case 'I': return GOTK_TPL_INT64;
    case 'f': return GOTK_TPL_FLOAT64;
    case 'b': return GOTK_TPL_BOOL;
    case 'm': case 'V': return GOTK_TPL_MAP;
    case 'l': return GOTK_TPL_SLICE;
    default: return GOTK_TPL_INVALID;
    }
}

/* Go's validateType: make v fit a parameter of type t (0: untyped). */
static gotk_tpl_val validate_type(gotk_tpl_exec *ex, gotk_tpl_val v, char t)
{
    if (v.kind == GOTK_TPL_INVALID) {
        gotk_tpl_val z = invalid_val;
        switch (t) {
        case 0: case 'r': return z;
        case 'v': z.kind = GOTK_TPL_NIL; return z;
        case 'm': case 'V': case 'l': z.kind = param_kind(t); return z;
        default: exec_errorf(ex, "invalid value; expected %s", param_type_name(ex, t));
        }
    }
    if (t == 0 || t == 'r' || t == 'v')
        return v;
    if (t == 'R' && v.tname && ex->recv_type && !strcmp(v.tname, ex->recv_type))
        return v;
    if (t == 't' && v.kind == GOTK_TPL_MAP && v.tname && !strcmp(v.tname, "time.Time"))
        return v;
    /* a named map type is assignable to map[string]interface{} only when
     * that is its underlying type, as chartutil.Values' is */
    bool named = v.tname && strcmp(v.tname, "chartutil.Values");
    if (v.kind == param_kind(t) && !(named && (t == 'm' || t == 'l' || t == 's'))) {
        v.iface = false;
        return v;
    }
    const char *got = v.iface && v.kind == GOTK_TPL_NIL ? "interface {}" : gotk_tpl_type_name(v);
    exec_errorf(ex, "wrong type for value; expected %s; got %s", param_type_name(ex, t), got);
}

/* A number literal where no type is asked for: int or float64 by its syntax. */
static gotk_tpl_val ideal_constant(gotk_tpl_exec *ex, const tpl_node *n)
{
    at(ex, n);
    const char *t = n->text;
    bool hex_int = strlen(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && !strpbrk(t, "pP");
    if (n->is_float && !hex_int && t[0] != '\'' && strpbrk(t, ".eEpP"))
        return gotk_tpl_float(ex, n->f);
    if (n->is_int)
        return gotk_tpl_int(ex, n->i);
    exec_errorf(ex, "%s overflows int", t);
}

/* ---- fields ---------------------------------------------------------------- */

static gotk_tpl_val eval_call(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_func *f,
                              const tpl_node *node, const tpl_node *cmd,
                              const gotk_tpl_val *final, const gotk_tpl_val *recv);

/* Whether a field is given arguments: more words in its command, or a piped value. */
static bool has_args(const tpl_node *cmd, const gotk_tpl_val *final)
{
    return (cmd && cmd->nkids > 1) || final;
}

/* Whether field `key` holding a struct of type `type` is embedded: named as
 * the type without package or pointer ("Metadata" for chart.Metadata). */
static bool is_embedded(const char *key, const char *type)
{
    const char *dot = strrchr(type, '.');
    return dot && !strcmp(dot + 1, key) && !strchr(type, ' ');
}

/* A struct's field, or one promoted from an embedded struct; NULL if none. */
static json_object *struct_lookup(json_object *o, const char *name)
{
    json_object *child;
    if (json_object_object_get_ex(o, name, &child))
        return child;
    json_object_object_foreach(o, k, v) {
        const tpl_tag *t = tpl_tag_of(v);
        if (t && t->is_struct && is_embedded(k, t->type) && (child = struct_lookup(v, name)))
            return child;
    }
    return NULL;
}

/* A field of a value of a Go struct type: present, or Go's error. */
static gotk_tpl_val struct_field(gotk_tpl_exec *ex, const char *name, const tpl_node *cmd,
                                 const gotk_tpl_val *final, gotk_tpl_val recv, const char *typ)
{
    json_object *child = recv.kind == GOTK_TPL_MAP && *name ? struct_lookup(recv.j, name) : NULL;
    if (!child)
        exec_errorf(ex, "can't evaluate field %s in type %s", name, typ);
    if (has_args(cmd, final))
        exec_errorf(ex, "%s has arguments but cannot be invoked as function", name);
    return gotk_tpl_from_json(child, false);
}

/* .name of receiver: a method, a struct field, a map lookup with the
 * missingkey option, or Go's errors. cmd (may be NULL) holds the arguments
 * after the field node, final the piped value. */
static gotk_tpl_val eval_field(gotk_tpl_exec *ex, gotk_tpl_val dot, const char *name,
                               const tpl_node *node, const tpl_node *cmd,
                               const gotk_tpl_val *final, gotk_tpl_val recv)
{
    if (recv.kind == GOTK_TPL_INVALID) {
        if (ex->set->missing == MISSING_ERROR)
            exec_errorf(ex, "nil data; no entry for key %s", quoted(ex, name));
        return invalid_val;
    }
    const char *typ = recv.iface ? "interface {}" : gotk_tpl_type_name(recv);
    if (recv.kind == GOTK_TPL_NIL)
        exec_errorf(ex, "nil pointer evaluating %s.%s", typ, name);
    const tpl_tag *tag = recv.j ? tpl_tag_of(recv.j) : NULL;
    if (tag) {
        const tpl_func *m = tpl_find_method(ex->set, tag->type, name, tag->addressable);
        if (m) {
            recv.iface = false;
            return eval_call(ex, dot, m, node, cmd, final, &recv);
        }
        if (tag->is_struct || recv.kind != GOTK_TPL_MAP)
            return struct_field(ex, name, cmd, final, recv, typ);
    } else if (recv.tname && recv.kind == GOTK_TPL_INT64) { /* a named integer type */
        const tpl_func *m = tpl_find_method(ex->set, recv.tname, name, false);
        if (m) {
            recv.iface = false;
            return eval_call(ex, dot, m, node, cmd, final, &recv);
        }
    }
    if (recv.kind != GOTK_TPL_MAP)
        exec_errorf(ex, "can't evaluate field %s in type %s", name, typ);
    if (has_args(cmd, final))
        exec_errorf(ex, "%s is not a method but has arguments", name);
    json_object *child;
    if (recv.j && json_object_object_get_ex(recv.j, name, &child))
        return gotk_tpl_from_json(child, true);
    switch (ex->set->missing) {
    case MISSING_ZERO: return tpl_map_zero(ex, recv);
    case MISSING_ERROR: exec_errorf(ex, "map has no entry for key %s", quoted(ex, name));
    default: return invalid_val;
    }
}

/* .a.b.c starting at receiver; only the last field gets the arguments. */
static gotk_tpl_val eval_field_chain(gotk_tpl_exec *ex, gotk_tpl_val dot, gotk_tpl_val recv,
                                     const tpl_node *node, const char **ident, int n,
                                     const tpl_node *cmd, const gotk_tpl_val *final)
{
    for (int i = 0; i < n - 1; i++)
        recv = eval_field(ex, dot, ident[i], node, NULL, NULL, recv);
    return eval_field(ex, dot, ident[n - 1], node, cmd, final, recv);
}

/* Arguments given to something that is not a function. */
static void not_a_function(gotk_tpl_exec *ex, const tpl_node *cmd, bool has_final)
{
    if ((cmd && cmd->nkids > 1) || has_final)
        exec_errorf(ex, "can't give argument to non-function %s", node_str(ex, cmd->kids[0]));
}

/* .a.b evaluated from dot. */
static gotk_tpl_val eval_field_node(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *f,
                                    const tpl_node *cmd, const gotk_tpl_val *final)
{
    at(ex, f);
    return eval_field_chain(ex, dot, dot, f, f->ident, f->nident, cmd, final);
}

/* $x or $x.a.b. */
static gotk_tpl_val eval_variable_node(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *v,
                                       const tpl_node *cmd, const gotk_tpl_val *final)
{
    at(ex, v);
    gotk_tpl_val val = find_var(ex, v->ident[0])->v;
    if (v->nident == 1) {
        not_a_function(ex, cmd, final != NULL);
        return val;
    }
    return eval_field_chain(ex, dot, val, v, v->ident + 1, v->nident - 1, cmd, final);
}

/* (pipeline).a.b */
static gotk_tpl_val eval_chain_node(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *c,
                                    const tpl_node *cmd, const gotk_tpl_val *final)
{
    at(ex, c);
    if (c->pipe->type == N_NIL)
        exec_errorf(ex, "indirection through explicit nil in %s", node_str(ex, c));
    gotk_tpl_val recv = eval_arg(ex, dot, 0, c->pipe);
    return eval_field_chain(ex, dot, recv, c, c->ident, c->nident, cmd, final);
}

/* ---- calls ----------------------------------------------------------------- */

/* A function named in a command or as an argument. */
static gotk_tpl_val eval_function(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *id,
                                  const tpl_node *cmd, const gotk_tpl_val *final)
{
    at(ex, id);
    const tpl_func *f = tpl_find_func(ex->set, id->text, strlen(id->text));
    if (!f)
        exec_errorf(ex, "%s is not a defined function", quoted(ex, id->text));
    return eval_call(ex, dot, f, cmd ? cmd : id, cmd, final, NULL);
}

/* The short-circuit builtins and/or: return the deciding argument. */
static gotk_tpl_val eval_and_or(gotk_tpl_exec *ex, gotk_tpl_val dot, bool is_or,
                                const tpl_node *const *args, int nargs,
                                const gotk_tpl_val *final)
{
    gotk_tpl_val v = invalid_val;
    for (int i = 0; i < nargs; i++) {
        v = eval_arg(ex, dot, 'r', args[i]);
        if (tpl_is_true(tpl_indirect_iface(v)) == is_or)
            return v;
    }
    if (final)
        v = validate_type(ex, *final, 'r');
    return v;
}

/* Evaluate the arguments into argv, per the declared parameter types. */
static void eval_args(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_func *f,
                      const tpl_node *const *args, int nargs, const gotk_tpl_val *final,
                      gotk_tpl_val *argv)
{
    int nparams = (int)strlen(f->params);
    int num_in = nargs + (final ? 1 : 0);
    int num_fixed = f->variadic ? nparams - 1 : nargs;
    int i = 0;
    for (; i < num_fixed && i < nargs; i++)
        argv[i] = eval_arg(ex, dot, f->params[i], args[i]);
    if (f->variadic)
        for (; i < nargs; i++)
            argv[i] = eval_arg(ex, dot, f->params[nparams - 1], args[i]);
    if (final) {
        char t = f->params[nparams - 1];
        if (f->variadic && num_in - 1 < num_fixed)
            t = f->params[num_in - 1];
        argv[i] = validate_type(ex, *final, t);
    }
}

/* The builtin call: there are no function values in our data. */
static gotk_err *builtin_call(const tpl_node *callee, gotk_tpl_val fn, gotk_buf *name)
{
    fn = tpl_indirect_iface(fn);
    if (fn.kind == GOTK_TPL_INVALID)
        return gotk_err_new(GOTK_E_INVALID, "call of nil");
    tpl_node_string(callee, name);
    return gotk_err_new(GOTK_E_INVALID, "non-function %s of type %s", name->data,
                        gotk_tpl_type_name(fn));
}

/* Call a function (or a method of *recv): check the argument count, convert,
 * call, report errors. */
static gotk_tpl_val eval_call(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_func *f,
                              const tpl_node *node, const tpl_node *cmd,
                              const gotk_tpl_val *final, const gotk_tpl_val *recv)
{
    const tpl_node *const *args = cmd ? (const tpl_node *const *)cmd->kids + 1 : NULL;
    int nargs = cmd ? cmd->nkids - 1 : 0;
    int nparams = (int)strlen(f->params);
    int num_in = nargs + (final ? 1 : 0);
    if (f->variadic && num_in < nparams - 1)
        exec_errorf(ex, "wrong number of args for %s: want at least %d got %d", f->name,
                    nparams - 1, nargs);
    if (!f->variadic && num_in != nparams)
        exec_errorf(ex, "wrong number of args for %s: want %d got %d", f->name, nparams, num_in);
    if (f->builtin == BI_AND || f->builtin == BI_OR)
        return eval_and_or(ex, dot, f->builtin == BI_OR, args, nargs, final);
    gotk_tpl_val *argv = exec_alloc(ex, sizeof *argv * ((size_t)num_in + 2));
    const char *saved_recv = ex->recv_type;
    ex->recv_type = recv ? recv->tname : NULL;
    eval_args(ex, dot, f, args, nargs, final, argv + (recv ? 1 : 0));
    ex->recv_type = saved_recv;
    if (recv) {
        argv[0] = *recv;
        num_in++;
    }
    gotk_tpl_val result = invalid_val;
    gotk_err *err;
    gotk_buf name = {0};
    if (f->builtin == BI_CALL && nargs == 0) /* Go 1.23 indexes args[0] and panics */
        err = gotk_err_new(GOTK_E_GENERIC, "runtime error: index out of range [0] with length 0");
    else if (f->builtin == BI_CALL)
        err = builtin_call(args[0], argv[0], &name);
    else
        err = f->fn(ex, num_in, argv, &result, f->ud);
    gotk_buf_free(&name);
    if (err && gotk_err_code_of(err) == GOTK_E_GENERIC) {
        gotk_buf_puts(&ex->err, gotk_err_msg(err)); /* a Go runtime panic: no context */
        gotk_err_free(err);
        longjmp(*ex->jb, 1);
    }
    if (err) {
        at(ex, node);
        gotk_tpl_val m = gotk_tpl_string(ex, gotk_err_msg(err), strlen(gotk_err_msg(err)));
        gotk_err_free(err);
        exec_errorf(ex, "error calling %s: %s", f->name, json_object_get_string(m.j));
    }
    if (result.kind == GOTK_TPL_NIL)
        result.iface = true; /* a nil interface{} result: the pipeline makes it no value */
    return result;
}

/* ---- arguments ------------------------------------------------------------- */

/* A literal argument for an interface{} or reflect.Value parameter. */
static gotk_tpl_val eval_empty_interface(gotk_tpl_exec *ex, const tpl_node *n)
{
    at(ex, n);
    switch (n->type) {
    case N_BOOL: return gotk_tpl_bool(ex, n->b);
    case N_NUMBER: return ideal_constant(ex, n);
    case N_STRING: return gotk_tpl_string(ex, n->text, n->textlen);
    default:
        exec_errorf(ex, "can't handle assignment of %s to empty interface argument",
                    node_str(ex, n));
    }
}

/* A literal argument for a typed parameter. */
static gotk_tpl_val eval_literal(gotk_tpl_exec *ex, char t, const tpl_node *n)
{
    switch (t) {
    case 'b':
        if (n->type == N_BOOL)
            return gotk_tpl_bool(ex, n->b);
        exec_errorf(ex, "expected bool; found %s", node_str(ex, n));
    case 'f':
        if (n->type == N_NUMBER && n->is_float)
            return gotk_tpl_float(ex, n->f);
        exec_errorf(ex, "expected float; found %s", node_str(ex, n));
    case 'i': case 'I':
        if (n->type == N_NUMBER && n->is_int)
            return t == 'i' ? gotk_tpl_int(ex, n->i) : gotk_tpl_int64(ex, n->i);
        exec_errorf(ex, "expected integer; found %s", node_str(ex, n));
    case 's':
        if (n->type == N_STRING)
            return gotk_tpl_string(ex, n->text, n->textlen);
        exec_errorf(ex, "expected string; found %s", node_str(ex, n));
    case 'v': case 'r': return eval_empty_interface(ex, n);
    default:
        exec_errorf(ex, "can't handle %s for arg of type %s", node_str(ex, n), param_type_name(ex, t));
    }
}

/* One argument, converted to parameter type t (0: untyped). */
static gotk_tpl_val eval_arg(gotk_tpl_exec *ex, gotk_tpl_val dot, char t, const tpl_node *n)
{
    at(ex, n);
    switch (n->type) {
    case N_DOT: return validate_type(ex, dot, t);
    case N_NIL:
        if (t == 'v' || t == 'r' || t == 'm' || t == 'V' || t == 'l' || t == 0) {
            gotk_tpl_val z = invalid_val;
            z.kind = t == 'v' ? GOTK_TPL_NIL : t == 'm' || t == 'V' || t == 'l' ? param_kind(t) : GOTK_TPL_INVALID;
            return z;
        }
        exec_errorf(ex, "cannot assign nil to %s", param_type_name(ex, t));
    case N_FIELD: return validate_type(ex, eval_field_node(ex, dot, n, NULL, NULL), t);
    case N_VARIABLE: return validate_type(ex, eval_variable_node(ex, dot, n, NULL, NULL), t);
    case N_PIPE: return validate_type(ex, eval_pipeline(ex, dot, n), t);
    case N_IDENT: return validate_type(ex, eval_function(ex, dot, n, NULL, NULL), t);
    case N_CHAIN: return validate_type(ex, eval_chain_node(ex, dot, n, NULL, NULL), t);
    default: return eval_literal(ex, t, n);
    }
}

/* ---- commands and pipelines ------------------------------------------------ */

/* One command of a pipeline; `final` is the previous command's value. */
static gotk_tpl_val eval_command(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *cmd,
                                 const gotk_tpl_val *final)
{
    const tpl_node *first = cmd->kids[0];
    switch (first->type) {
    case N_FIELD: return eval_field_node(ex, dot, first, cmd, final);
    case N_CHAIN: return eval_chain_node(ex, dot, first, cmd, final);
    case N_IDENT: return eval_function(ex, dot, first, cmd, final);
    case N_PIPE:
        not_a_function(ex, cmd, final != NULL);
        return eval_pipeline(ex, dot, first);
    case N_VARIABLE: return eval_variable_node(ex, dot, first, cmd, final);
    default: break;
    }
    at(ex, first);
    not_a_function(ex, cmd, final != NULL);
    switch (first->type) {
    case N_BOOL: return gotk_tpl_bool(ex, first->b);
    case N_DOT: return dot;
    case N_NIL: exec_errorf(ex, "nil is not a command");
    case N_NUMBER: return ideal_constant(ex, first);
    case N_STRING: return gotk_tpl_string(ex, first->text, first->textlen);
    default: exec_errorf(ex, "can't evaluate command %s", quoted(ex, node_str(ex, first)));
    }
}

/* A pipeline's value; declared variables are pushed (or assigned). */
static gotk_tpl_val eval_pipeline(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *pipe)
{
    if (!pipe)
        return invalid_val;
    at(ex, pipe);
    gotk_tpl_val value = invalid_val;
    for (int i = 0; i < pipe->nkids; i++) {
        value = eval_command(ex, dot, pipe->kids[i], i > 0 ? &value : NULL);
        if (value.iface)
            value = tpl_indirect_iface(value);
    }
    for (int i = 0; i < pipe->ndecl; i++) {
        if (pipe->is_assign)
            find_var(ex, pipe->decl[i]->ident[0])->v = value;
        else
            push_var(ex, pipe->decl[i]->ident[0], value);
    }
    return value;
}

/* ---- walking --------------------------------------------------------------- */

/* Print an action's value as fmt.Fprint would, <no value> for none. */
static void print_value(gotk_tpl_exec *ex, const tpl_node *n, gotk_tpl_val v)
{
    at(ex, n);
    if (v.kind == GOTK_TPL_INVALID)
        gotk_buf_puts(ex->out, "<no value>");
    else
        tpl_print_action(ex->out, v);
}

/* {{if}} and {{with}}: the same but for what dot becomes. */
static int walk_if_with(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *n)
{
    int mark = ex->nvars, r = WALK_OK;
    gotk_tpl_val val = eval_pipeline(ex, dot, n->pipe);
    if (tpl_is_true(tpl_indirect_iface(val)))
        r = walk(ex, n->type == N_WITH ? val : dot, n->list);
    else if (n->elselist)
        r = walk(ex, dot, n->elselist);
    ex->nvars = mark;
    return r;
}

/* One turn of a range loop: set the variables, run the body. */
static int range_once(gotk_tpl_exec *ex, const tpl_node *r, int mark, gotk_tpl_val index,
                      gotk_tpl_val elem)
{
    const tpl_node *pipe = r->pipe;
    if (pipe->ndecl > 0) {
        if (pipe->is_assign)
            find_var(ex, pipe->decl[0]->ident[0])->v = pipe->ndecl > 1 ? index : elem;
        else
            ex->vars[ex->nvars - 1].v = elem;
    }
    if (pipe->ndecl > 1) {
        if (pipe->is_assign)
            find_var(ex, pipe->decl[1]->ident[0])->v = elem;
        else
            ex->vars[ex->nvars - 2].v = index;
    }
    int res = walk(ex, elem, r->list);
    ex->nvars = mark;
    return res;
}

/* Iterate over a slice or map (sorted keys); false when nothing ran. Integers
 * are an error, as in the Go 1.23 that Helm v3.17 is built with. */
static bool range_over(gotk_tpl_exec *ex, const tpl_node *r, gotk_tpl_val val)
{
    int mark = ex->nvars;
    size_t n = tpl_len(val);
    if (val.kind == GOTK_TPL_SLICE) {
        for (size_t i = 0; i < n; i++) {
            gotk_tpl_val e = gotk_tpl_from_json(json_object_array_get_idx(val.j, i), true);
            if (range_once(ex, r, mark, gotk_tpl_int(ex, (int64_t)i), e) == WALK_BREAK)
                break;
        }
        return n > 0;
    }
    if (val.kind == GOTK_TPL_MAP) {
        const char **keys = tpl_sorted_keys(val.j, &n);
        json_object *hold = tpl_exec_keep(ex, json_object_new_array());
        for (size_t i = 0; i < n; i++)
            json_object_array_add(hold, json_object_new_string(keys[i]));
        free(keys);
        for (size_t i = 0; i < n; i++) {
            json_object *k = json_object_array_get_idx(hold, i);
            gotk_tpl_val e = gotk_tpl_from_json(json_object_object_get(val.j, json_object_get_string(k)), true);
            if (range_once(ex, r, mark, gotk_tpl_from_json(k, false), e) == WALK_BREAK)
                break;
        }
        return n > 0;
    }
    if (val.kind == GOTK_TPL_INVALID || val.kind == GOTK_TPL_NIL)
        return false;
    gotk_buf b = {0};
    gotk_tpl_sprint(&b, 1, &val);
    gotk_tpl_val s = gotk_tpl_string(ex, b.data, b.len);
    gotk_buf_free(&b);
    exec_errorf(ex, "range can't iterate over %s", json_object_get_string(s.j));
}

/* {{range}}: iterate, or run the else list when nothing ran. */
static int walk_range(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *r)
{
    at(ex, r);
    int mark = ex->nvars;
    gotk_tpl_val val = tpl_indirect_iface(eval_pipeline(ex, dot, r->pipe));
    if (!range_over(ex, r, val) && r->elselist)
        walk(ex, dot, r->elselist);
    ex->nvars = mark;
    return WALK_OK;
}

/* {{template "name" pipeline}}: a fresh variable scope with only $. */
static void walk_template(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *t)
{
    at(ex, t);
    const tpl_tree *tree = tpl_find_tree(ex->set, t->text);
    if (!tree || !tree->root)
        exec_errorf(ex, "template %s not defined", quoted(ex, t->text));
    if (ex->depth >= MAX_EXEC_DEPTH)
        exec_errorf(ex, "exceeded maximum template depth (100000)");
    dot = eval_pipeline(ex, dot, t->pipe);
    const char *saved_name = ex->tmpl_name;
    const tpl_src *saved_src = ex->src;
    int saved_base = ex->var_base, mark = ex->nvars;
    ex->depth++;
    ex->tmpl_name = tree->name;
    ex->src = tree->src;
    ex->var_base = ex->nvars;
    push_var(ex, "$", dot);
    walk(ex, dot, tree->root);
    ex->nvars = mark;
    ex->var_base = saved_base;
    ex->tmpl_name = saved_name;
    ex->src = saved_src;
    ex->depth--;
    at(ex, t); /* as Go's state, whose node the nested one did not move */
}

/* Execute a node; returns WALK_BREAK/WALK_CONTINUE from inside loops. */
static int walk(gotk_tpl_exec *ex, gotk_tpl_val dot, const tpl_node *n)
{
    at(ex, n);
    switch (n->type) {
    case N_ACTION: {
        gotk_tpl_val v = eval_pipeline(ex, dot, n->pipe);
        if (n->pipe->ndecl == 0)
            print_value(ex, n, v);
        return WALK_OK;
    }
    case N_BREAK: return WALK_BREAK;
    case N_CONTINUE: return WALK_CONTINUE;
    case N_IF: case N_WITH: return walk_if_with(ex, dot, n);
    case N_LIST:
        for (int i = 0; i < n->nkids; i++) {
            int r = walk(ex, dot, n->kids[i]);
            if (r != WALK_OK)
                return r;
        }
        return WALK_OK;
    case N_RANGE: return walk_range(ex, dot, n);
    case N_TEMPLATE: walk_template(ex, dot, n); return WALK_OK;
    case N_TEXT: gotk_buf_append(ex->out, n->text, n->textlen); return WALK_OK;
    default: return WALK_OK;
    }
}

/* Release everything the execution created. */
static void exec_cleanup(gotk_tpl_exec *ex)
{
    for (size_t i = 0; i < ex->nkeep; i++)
        json_object_put(ex->keep[i]);
    free(ex->keep);
    for (size_t i = 0; i < ex->nallocs; i++)
        free(ex->allocs[i]);
    free(ex->allocs);
    free(ex->vars);
    gotk_buf_free(&ex->err);
}

/* Run a template of the set against data. */
/* Run template `name` of set with dot; parent is the calling execution, if any. */
static gotk_err *run_template(gotk_tpl_set *set, const char *name, gotk_tpl_val dot,
                              gotk_buf *out, const gotk_tpl_exec *parent)
{
    const tpl_tree *tree = tpl_find_tree(set, name);
    if (!tree)
        return gotk_err_new(GOTK_E_NOTFOUND,
                            "template: no template \"%s\" associated with template \"%s\"",
                            name, set->name ? set->name : name);
    jmp_buf jb;
    gotk_tpl_exec ex = {.set = set, .out = out, .tmpl_name = tree->name, .src = tree->src, .jb = &jb,
                        .parent = parent, .root_name = tree->name,
                        .depth = parent ? parent->depth + 1 : 0};
    gotk_err *volatile err = NULL;
    gotk_tpl_exec *saved_current = current_exec;
    current_exec = &ex;
    if (setjmp(jb) == 0) {
        push_var(&ex, "$", dot);
        if (!tree->root)
            exec_errorf(&ex, "%s is an incomplete or empty template", quoted(&ex, name));
        if (ex.depth >= MAX_EXEC_DEPTH)
            exec_errorf(&ex, "exceeded maximum template depth (100000)");
        walk(&ex, dot, tree->root);
    } else {
        err = gotk_err_new(GOTK_E_INVALID, "%s", ex.err.data);
    }
    current_exec = saved_current;
    if (!out->data)
        gotk_buf_puts(out, "");
    exec_cleanup(&ex);
    return err;
}

/* Run a template of the set against json data. */
gotk_err *gotk_template_execute(gotk_tpl_set *set, const char *name, json_object *data,
                                gotk_buf *out)
{
    return run_template(set, name, data ? gotk_tpl_from_json(data, false) : invalid_val, out, NULL);
}

/* A nested execution for a function (include, tpl). */
gotk_err *gotk_tpl_exec_template(gotk_tpl_exec *ex, gotk_tpl_set *set, const char *name,
                                 gotk_tpl_val dot, gotk_buf *out)
{
    return run_template(set ? set : ex->set, name, tpl_indirect_iface(dot), out, ex);
}

/* How many executions up the chain from ex were started with template name. */
int gotk_tpl_exec_nesting(const gotk_tpl_exec *ex, const char *name)
{
    int n = 0;
    for (; ex; ex = ex->parent)
        n += ex->parent && strcmp(ex->root_name, name) == 0;
    return n;
}

/* The set an execution runs templates of. */
gotk_tpl_set *gotk_tpl_exec_set(gotk_tpl_exec *ex)
{
    return ex->set;
}

/* Append the (string or []byte) result of v's method `name`, which takes no
 * arguments, when v's type has it. One that fails gives nothing: those fmt
 * and encoding/json call (String, MarshalJSON) cannot fail in Helm's types. */
static bool call_method0(gotk_tpl_val v, const char *name, bool addressable, gotk_buf *out)
{
    gotk_tpl_exec *ex = current_exec;
    if (!ex || !v.j || (v.kind != GOTK_TPL_MAP && v.kind != GOTK_TPL_SLICE && v.kind != GOTK_TPL_INT64) ||
        !v.tname)
        return false;
    const tpl_func *m = tpl_find_method(ex->set, v.tname, name, addressable);
    if (!m || m->params[0] || m->variadic)
        return false;
    gotk_tpl_val res = invalid_val;
    v.iface = false;
    gotk_err *e = m->fn(ex, 1, &v, &res, m->ud);
    if (e)
        gotk_err_free(e);
    else if (res.kind == GOTK_TPL_STRING)
        gotk_buf_append(out, json_object_get_string(res.j), (size_t)json_object_get_string_len(res.j));
    return true;
}

/* v.String(), as fmt calls it (see tpl_int.h). */
bool tpl_stringer(gotk_tpl_val v, bool addressable, gotk_buf *out)
{
    return call_method0(v, "String", addressable, out);
}

/* v.MarshalJSON(), as encoding/json calls it. */
bool tpl_marshal_json(gotk_tpl_val v, gotk_buf *out)
{
    return call_method0(v, "MarshalJSON", false, out);
}
