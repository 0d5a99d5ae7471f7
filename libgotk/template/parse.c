/*
 * parse.c: the template parser, Go's text/template/parse in C.
 *
 * A recursive-descent parser over the lexer's items with three items of
 * look-ahead (Go's grammar needs them to tell "$x := ..." from "$x foo").
 * Each {{define}} or {{block}} starts a sub-parse of the same input into its own
 * tree. All nodes live in the set's arena. Errors unwind with longjmp to
 * tpl_parse, which reports them as Go does: "template: NAME:LINE: MESSAGE". Only
 * when the whole text parsed are its trees added to the set.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpl_int.h"

/* Go allows 10000 nested parentheses (1000 on wasm); our recursion is deeper per
 * level, so we keep wasm's limit to stay within the C stack, sanitizers included. */
#define MAX_PAREN_DEPTH 1000
/* Go has no limit on nested {{if}}/{{range}}/{{with}}; we stop at this depth
 * rather than overflow the C stack (real templates nest a few levels). */
#define MAX_CONTROL_DEPTH 1000

typedef struct {
    gotk_tpl_set *set;
    tpl_arena *a;
    tpl_lexer *lex;
    const tpl_src *src;
    tpl_item token[3];
    int peek_count;
    const char **vars;
    int nvars, capvars, var_base; /* variables visible: vars[var_base..nvars) */
    int action_line, range_depth, stack_depth, control_depth;
    tpl_tree *trees; /* trees of this parse, added to the set at the end */
    int ntrees, captrees;
    bool own_name_defined; /* a {{define}} has the top-level template's name */
    tpl_node **kids; /* children of the nodes being built, see take_kids */
    int nkids, capkids;
    tpl_node end; /* every {{end}}: only its type is ever read */
    jmp_buf *jb;
    gotk_buf err;
} parser;

/* ---- errors and tokens ----------------------------------------------------- */

/* Fail the parse: "template: NAME:LINE: MESSAGE". */
static _Noreturn void perrorf(parser *p, const char *fmt, ...) GOTK_PRINTF(2, 3);
static _Noreturn void perrorf(parser *p, const char *fmt, ...)
{
    va_list ap;
    gotk_buf_printf(&p->err, "template: %s:%d: ", p->src->name, p->token[0].line);
    va_start(ap, fmt);
    gotk_buf_vprintf(&p->err, fmt, ap);
    va_end(ap);
    longjmp(*p->jb, 1);
}

/* Go's item.String(): EOF, <keyword>, "text" or "first ten"... */
static void item_string(const tpl_item *it, gotk_buf *out)
{
    if (it->typ == IT_EOF) {
        gotk_buf_puts(out, "EOF");
    } else if (it->typ == IT_ERROR) {
        gotk_buf_append(out, it->val, it->len);
    } else if (it->typ > IT_KEYWORD) {
        gotk_buf_printf(out, "<%.*s>", (int)it->len, it->val);
    } else {
        size_t n = 0;
        int runes = 0;
        while (n < it->len && runes < 10) {
            int32_t r;
            n += (size_t)tpl_utf8_decode(it->val + n, it->len - n, &r);
            runes++;
        }
        tpl_quote(out, it->val, n);
        if (n < it->len)
            gotk_buf_puts(out, "...");
    }
}

/* The next token, from the look-ahead buffer or the lexer. */
static tpl_item pnext(parser *p)
{
    if (p->peek_count > 0)
        p->peek_count--;
    else
        p->token[0] = tpl_lex_next(p->lex);
    return p->token[p->peek_count];
}

/* Push back one token. */
static void pbackup(parser *p)
{
    p->peek_count++;
}

/* Push back two tokens; token[0] is already there. */
static void pbackup2(parser *p, tpl_item t1)
{
    p->token[1] = t1;
    p->peek_count = 2;
}

/* Push back three tokens; token[0] is already there. */
static void pbackup3(parser *p, tpl_item t2, tpl_item t1)
{
    p->token[1] = t1;
    p->token[2] = t2;
    p->peek_count = 3;
}

/* The next token without consuming it. */
static tpl_item ppeek(parser *p)
{
    if (p->peek_count > 0)
        return p->token[p->peek_count - 1];
    p->peek_count = 1;
    p->token[0] = tpl_lex_next(p->lex);
    return p->token[0];
}

/* The next token that is not space. */
static tpl_item next_nonspace(parser *p)
{
    tpl_item t;
    do
        t = pnext(p);
    while (t.typ == IT_SPACE);
    return t;
}

/* The next non-space token, not consumed. */
static tpl_item peek_nonspace(parser *p)
{
    tpl_item t = next_nonspace(p);
    pbackup(p);
    return t;
}

/* Complain about an unexpected token (or pass on a lexer error). */
static _Noreturn void unexpected(parser *p, const tpl_item *t, const char *context)
{
    gotk_buf s = {0};
    item_string(t, &s);
    if (t->typ == IT_ERROR) {
        char extra[256] = "";
        if (p->action_line != 0 && p->action_line != t->line) {
            bool action = t->len >= 7 && memcmp(t->val + t->len - 7, " action", 7) == 0;
            snprintf(extra, sizeof extra, "%s started at %s:%d", action ? "" : " in action",
                     p->src->name, p->action_line);
        }
        gotk_buf_puts(&s, extra);
        char *m = gotk_buf_steal(&s);
        gotk_buf_printf(&p->err, "template: %s:%d: %s", p->src->name, p->token[0].line, m);
        free(m);
        longjmp(*p->jb, 1);
    }
    char *m = gotk_buf_steal(&s);
    gotk_buf_printf(&p->err, "template: %s:%d: unexpected %s in %s", p->src->name,
                    p->token[0].line, m, context);
    free(m);
    longjmp(*p->jb, 1);
}

/* Consume a token of the given type or fail. */
static tpl_item expect(parser *p, tpl_itype typ, const char *context)
{
    tpl_item t = next_nonspace(p);
    if (t.typ != typ)
        unexpected(p, &t, context);
    return t;
}

/* ---- nodes ----------------------------------------------------------------- */

/* A zeroed node of a type at a position. */
static tpl_node *new_node(parser *p, tpl_ntype type, size_t pos)
{
    tpl_node *n = tpl_alloc(p->a, sizeof *n);
    n->type = type;
    n->pos = (uint32_t)pos;
    return n;
}

/* Collect a child of the node being built (list nodes, command args,
 * pipeline commands). Nodes are built inside one another, so their children
 * stack up here and each node takes its own run when done: arrays in the
 * arena are then exactly as long as needed. */
static void push_kid(parser *p, tpl_node *kid)
{
    if (p->nkids == p->capkids) {
        p->capkids = p->capkids ? 2 * p->capkids : 64;
        p->kids = gotk_xrealloc(p->kids, sizeof *p->kids * (size_t)p->capkids);
    }
    p->kids[p->nkids++] = kid;
}

/* Give n the children collected since `base`. */
static void take_kids(parser *p, tpl_node *n, int base)
{
    n->nkids = p->nkids - base;
    n->kids = tpl_alloc(p->a, sizeof *n->kids * (size_t)n->nkids);
    if (n->nkids)
        memcpy(n->kids, p->kids + base, sizeof *n->kids * (size_t)n->nkids);
    p->nkids = base;
}

/* Append the names of "a.b.c" (after a leading '.' for fields) to n's. */
static void split_idents(parser *p, tpl_node *n, const char *s, size_t len)
{
    int count = 1;
    for (size_t i = 0; i < len; i++)
        count += s[i] == '.';
    const char **ident = tpl_alloc(p->a, sizeof *ident * (size_t)(n->nident + count));
    if (n->nident)
        memcpy(ident, n->ident, sizeof *ident * (size_t)n->nident);
    n->ident = ident;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            n->ident[n->nident++] = tpl_intern(p->set, s + start, i - start);
            start = i + 1;
        }
    }
}

/* A field node from ".a.b" text. */
static tpl_node *new_field(parser *p, size_t pos, const char *s, size_t len)
{
    tpl_node *n = new_node(p, N_FIELD, pos);
    split_idents(p, n, s + 1, len - 1);
    return n;
}

/* A variable node from "$x.a.b" text. */
static tpl_node *new_variable(parser *p, size_t pos, const char *s, size_t len)
{
    tpl_node *n = new_node(p, N_VARIABLE, pos);
    split_idents(p, n, s, len);
    return n;
}

/* ---- numbers --------------------------------------------------------------- */

/* Parse an integer as strconv.ParseUint/ParseInt with base 0. */
static bool parse_uint(const char *s, size_t n, uint64_t *out)
{
    int base = 10;
    size_t i = 0;
    if (n >= 2 && s[0] == '0') {
        char c = s[1] | 0x20;
        if (c == 'x') base = 16, i = 2;
        else if (c == 'o') base = 8, i = 2;
        else if (c == 'b') base = 2, i = 2;
        else base = 8, i = 1;
    }
    if (i >= n && base != 8)
        return false;
    uint64_t v = 0;
    bool any = base == 8 && i == 1;
    for (; i < n; i++) {
        int c = (unsigned char)s[i], d;
        if (c == '_')
            continue;
        if (c >= '0' && c <= '9') d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
        else return false;
        if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
        any = true;
    }
    *out = v;
    return any;
}

/* Parse a signed integer as strconv.ParseInt with base 0. */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
    bool neg = n > 0 && s[0] == '-';
    size_t skip = n > 0 && (s[0] == '-' || s[0] == '+');
    uint64_t u;
    if (!parse_uint(s + skip, n - skip, &u))
        return false;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

/* strconv.ParseFloat, underscores allowed. */
static bool parse_float(const char *s, size_t n, double *out)
{
    char buf[128];
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < sizeof buf; i++)
        if (s[i] != '_')
            buf[j++] = s[i];
    buf[j] = 0;
    if (j == 0 || strpbrk(buf, "nNiI"))
        return false;
    const char *digits = buf + (buf[0] == '+' || buf[0] == '-');
    if (digits[0] == '0' && (digits[1] | 0x20) == 'x' && !strpbrk(buf, "pP"))
        return false; /* Go wants an exponent on hex floats */
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || (errno == ERANGE && (d == 0 || isinf(d))))
        return false;
    *out = d;
    return true;
}

/* A number node: which of int, uint and float the text can be. */
static tpl_node *new_number(parser *p, const tpl_item *t)
{
    tpl_node *n = new_node(p, N_NUMBER, t->pos);
    n->text = tpl_strndup(p->a, t->val, t->len);
    if (t->typ == IT_CHARCONST) {
        gotk_buf b = {0};
        int32_t r;
        bool ok = tpl_unquote(t->val, t->len, &b) && b.len > 0;
        int w = ok ? tpl_utf8_decode(b.data, b.len, &r) : 0;
        ok = ok && (size_t)w == b.len;
        gotk_buf_free(&b);
        if (!ok)
            perrorf(p, "malformed character constant: %s", n->text);
        n->is_int = n->is_uint = n->is_float = true;
        n->i = r, n->u = (uint64_t)r, n->f = r;
        return n;
    }
    if (t->typ == IT_COMPLEX || (t->len && t->val[t->len - 1] == 'i'))
        perrorf(p, "complex constants are not supported: %s", n->text);
    n->is_uint = parse_uint(n->text, t->len, &n->u);
    n->is_int = parse_int(n->text, t->len, &n->i);
    if (n->is_int && n->i == 0)
        n->is_uint = true;
    if (n->is_int) {
        n->is_float = true, n->f = (double)n->i;
    } else if (n->is_uint) {
        n->is_float = true, n->f = (double)n->u;
    } else if (parse_float(n->text, t->len, &n->f)) {
        if (!strpbrk(n->text, ".eEpP"))
            perrorf(p, "integer overflow: \"%s\"", n->text);
        n->is_float = true;
        if (fabs(n->f) < 9.2e18 && (double)(int64_t)n->f == n->f)
            n->is_int = true, n->i = (int64_t)n->f;
        if (n->f >= 0 && n->f < 1.8e19 && (double)(uint64_t)n->f == n->f)
            n->is_uint = true, n->u = (uint64_t)n->f;
    }
    if (!n->is_int && !n->is_uint && !n->is_float)
        perrorf(p, "illegal number syntax: \"%s\"", n->text);
    return n;
}

/* ---- variables ------------------------------------------------------------- */

/* Declare a variable in the current scope. */
static void push_var(parser *p, const char *name)
{
    if (p->nvars == p->capvars) {
        p->capvars = p->capvars ? p->capvars * 2 : 8;
        p->vars = gotk_xrealloc(p->vars, sizeof *p->vars * (size_t)p->capvars);
    }
    p->vars[p->nvars++] = name;
}

/* A variable reference; it must have been declared. */
static tpl_node *use_var(parser *p, const tpl_item *t)
{
    tpl_node *v = new_variable(p, t->pos, t->val, t->len);
    for (int i = p->var_base; i < p->nvars; i++)
        if (strcmp(p->vars[i], v->ident[0]) == 0)
            return v;
    perrorf(p, "undefined variable \"%s\"", v->ident[0]);
}

/* ---- grammar --------------------------------------------------------------- */

static tpl_node *pipeline(parser *p, const char *context, tpl_itype end);
static tpl_node *item_list(parser *p, tpl_node **next);
static tpl_node *if_control(parser *p);
static tpl_node *with_control(parser *p);
static void add_tree(parser *p, const char *name, tpl_node *root);

/* A string token's value (strconv.Unquote). */
static const char *unquote_item(parser *p, const tpl_item *t, uint32_t *len)
{
    gotk_buf b = {0};
    if (!tpl_unquote(t->val, t->len, &b)) {
        gotk_buf_free(&b);
        perrorf(p, "invalid syntax");
    }
    const char *s = tpl_strndup(p->a, b.data ? b.data : "", b.len);
    *len = (uint32_t)b.len;
    gotk_buf_free(&b);
    return s;
}

/* A string literal's value: the text between its quotes when unquoting would
 * not change it (no escapes, no carriage returns, valid UTF-8), else a copy
 * unquoted. Charts carry whole dashboards in raw strings. */
static const char *string_value(parser *p, const tpl_item *t, uint32_t *len)
{
    const char *inner = t->val + 1;
    size_t n = t->len - 2;
    if (!memchr(inner, '\\', n) && !memchr(inner, '\r', n) && gotk_utf8_valid(inner, n)) {
        *len = (uint32_t)n;
        return inner;
    }
    return unquote_item(p, t, len);
}

/* term: literal, function, ., .Field, $x or a parenthesized pipeline. */
static tpl_node *term(parser *p)
{
    tpl_item t = next_nonspace(p);
    tpl_node *n;
    switch (t.typ) {
    case IT_IDENT:
        if (!tpl_find_func(p->set, t.val, t.len))
            perrorf(p, "function \"%.*s\" not defined", (int)t.len, t.val);
        n = new_node(p, N_IDENT, t.pos);
        n->text = tpl_intern(p->set, t.val, t.len);
        return n;
    case IT_DOT: return new_node(p, N_DOT, t.pos);
    case IT_NIL: return new_node(p, N_NIL, t.pos);
    case IT_VARIABLE: return use_var(p, &t);
    case IT_FIELD: return new_field(p, t.pos, t.val, t.len);
    case IT_BOOL:
        n = new_node(p, N_BOOL, t.pos);
        n->b = t.len == 4;
        return n;
    case IT_CHARCONST: case IT_COMPLEX: case IT_NUMBER: return new_number(p, &t);
    case IT_LPAREN:
        if (p->stack_depth >= MAX_PAREN_DEPTH)
            perrorf(p, "max expression depth exceeded");
        p->stack_depth++;
        n = pipeline(p, "parenthesized pipeline", IT_RPAREN);
        p->stack_depth--;
        return n;
    case IT_STRING: case IT_RAWSTRING:
        n = new_node(p, N_STRING, t.pos);
        n->quoted = t.val; /* the source text lives as long as the set */
        n->text = string_value(p, &t, &n->textlen);
        return n;
    default:
        pbackup(p);
        return NULL;
    }
}

/* operand: term .Field* */
static tpl_node *operand(parser *p)
{
    tpl_node *node = term(p);
    if (!node || ppeek(p).typ != IT_FIELD)
        return node;
    size_t pos = ppeek(p).pos;
    gotk_buf s = {0};
    while (ppeek(p).typ == IT_FIELD) {
        tpl_item f = pnext(p);
        gotk_buf_append(&s, f.val, f.len);
    }
    switch (node->type) {
    case N_FIELD:
    case N_VARIABLE:
        /* Go makes a new node of the joined names, at the first added field */
        node->pos = (uint32_t)pos;
        split_idents(p, node, s.data + 1, s.len - 1);
        break;
    case N_BOOL: case N_STRING: case N_NUMBER: case N_NIL: case N_DOT: {
        gotk_buf ns = {0};
        tpl_node_string(node, &ns);
        char *m = gotk_buf_steal(&ns);
        gotk_buf_free(&s);
        gotk_buf_printf(&p->err, "template: %s:%d: unexpected . after term ", p->src->name,
                        p->token[0].line);
        tpl_quote(&p->err, m, strlen(m));
        free(m);
        longjmp(*p->jb, 1);
    }
    default: {
        tpl_node *chain = new_node(p, N_CHAIN, pos);
        chain->pipe = node;
        split_idents(p, chain, s.data + 1, s.len - 1);
        node = chain;
    }
    }
    gotk_buf_free(&s);
    return node;
}

/* command: operand (space operand)* up to a pipe or the end. */
static tpl_node *command(parser *p)
{
    tpl_node *cmd = new_node(p, N_COMMAND, peek_nonspace(p).pos);
    int base = p->nkids;
    for (;;) {
        peek_nonspace(p);
        tpl_node *o = operand(p);
        if (o)
            push_kid(p, o);
        tpl_item t = pnext(p);
        if (t.typ == IT_SPACE)
            continue;
        if (t.typ == IT_RDELIM || t.typ == IT_RPAREN)
            pbackup(p);
        else if (t.typ != IT_PIPE)
            unexpected(p, &t, "operand");
        break;
    }
    take_kids(p, cmd, base);
    if (cmd->nkids == 0)
        perrorf(p, "empty command");
    return cmd;
}

/* Reject empty pipelines and literals after the first command. */
static void check_pipeline(parser *p, tpl_node *pipe, const char *context)
{
    if (pipe->nkids == 0)
        perrorf(p, "missing value for %s", context);
    for (int i = 1; i < pipe->nkids; i++) {
        tpl_ntype t = pipe->kids[i]->kids[0]->type;
        if (t == N_BOOL || t == N_DOT || t == N_NIL || t == N_NUMBER || t == N_STRING)
            perrorf(p, "non executable command in pipeline stage %d", i + 1);
    }
}

/* Record a declared variable on the pipeline. */
static void add_decl(parser *p, tpl_node *pipe, const tpl_item *v)
{
    tpl_node **d = tpl_alloc(p->a, sizeof *d * (size_t)(pipe->ndecl + 1));
    if (pipe->ndecl)
        memcpy(d, pipe->decl, sizeof *d * (size_t)pipe->ndecl);
    d[pipe->ndecl++] = new_variable(p, v->pos, v->val, v->len);
    pipe->decl = d;
    push_var(p, d[pipe->ndecl - 1]->ident[0]);
}

/* Declarations at the start of a pipeline: "$x :=", "$x =", "$i, $v :=". */
static void declarations(parser *p, tpl_node *pipe, const char *context)
{
    for (;;) {
        tpl_item v = peek_nonspace(p);
        if (v.typ != IT_VARIABLE)
            return;
        pnext(p);
        tpl_item after = ppeek(p);
        tpl_item nx = peek_nonspace(p);
        if (nx.typ == IT_ASSIGN || nx.typ == IT_DECLARE) {
            pipe->is_assign = nx.typ == IT_ASSIGN;
            next_nonspace(p);
            add_decl(p, pipe, &v);
            return;
        }
        if (nx.typ == IT_CHAR && nx.len == 1 && nx.val[0] == ',') {
            next_nonspace(p);
            add_decl(p, pipe, &v);
            if (strcmp(context, "range") == 0 && pipe->ndecl < 2) {
                tpl_itype t = peek_nonspace(p).typ;
                if (t == IT_VARIABLE || t == IT_RDELIM || t == IT_RPAREN)
                    continue;
                perrorf(p, "range can only initialize variables");
            }
            perrorf(p, "too many declarations in %s", context);
        }
        if (after.typ == IT_SPACE)
            pbackup3(p, v, after);
        else
            pbackup2(p, v);
        return;
    }
}

/* pipeline: declarations? command ('|' command)* */
static tpl_node *pipeline(parser *p, const char *context, tpl_itype end)
{
    tpl_item t = peek_nonspace(p);
    tpl_node *pipe = new_node(p, N_PIPE, t.pos);
    declarations(p, pipe, context);
    int base = p->nkids;
    for (;;) {
        t = next_nonspace(p);
        if (t.typ == end) {
            take_kids(p, pipe, base);
            check_pipeline(p, pipe, context);
            return pipe;
        }
        switch (t.typ) {
        case IT_BOOL: case IT_CHARCONST: case IT_COMPLEX: case IT_DOT: case IT_FIELD:
        case IT_IDENT: case IT_NUMBER: case IT_NIL: case IT_RAWSTRING: case IT_STRING:
        case IT_VARIABLE: case IT_LPAREN:
            pbackup(p);
            push_kid(p, command(p));
            break;
        default:
            unexpected(p, &t, context);
        }
    }
}

/* if/range/with: pipeline, list, optional else list (with else-if chains). */
static tpl_node *parse_control(parser *p, tpl_ntype type, const char *context)
{
    int mark = p->nvars;
    if (++p->control_depth > MAX_CONTROL_DEPTH)
        perrorf(p, "max control depth exceeded");
    tpl_node *n = new_node(p, type, 0);
    n->pipe = pipeline(p, context, IT_RDELIM);
    n->pos = n->pipe->pos;
    if (type == N_RANGE)
        p->range_depth++;
    tpl_node *next;
    n->list = item_list(p, &next);
    if (type == N_RANGE)
        p->range_depth--;
    if (next->type == N_ELSE) {
        if (type == N_IF && ppeek(p).typ == IT_IF) {
            pnext(p);
            n->elselist = new_node(p, N_LIST, next->pos);
            push_kid(p, if_control(p));
            take_kids(p, n->elselist, p->nkids - 1);
        } else if (type == N_WITH && ppeek(p).typ == IT_WITH) {
            pnext(p);
            n->elselist = new_node(p, N_LIST, next->pos);
            push_kid(p, with_control(p));
            take_kids(p, n->elselist, p->nkids - 1);
        } else {
            n->elselist = item_list(p, &next);
            if (next->type != N_END) {
                gotk_buf s = {0};
                tpl_node_string(next, &s);
                char *m = gotk_buf_steal(&s);
                gotk_buf_printf(&p->err, "template: %s:%d: expected end; found %s",
                                p->src->name, p->token[0].line, m);
                free(m);
                longjmp(*p->jb, 1);
            }
        }
    }
    p->nvars = mark;
    p->control_depth--;
    return n;
}

/* {{if pipeline}} list [{{else}} list] {{end}} */
static tpl_node *if_control(parser *p)
{
    return parse_control(p, N_IF, "if");
}

/* {{with pipeline}} list [{{else}} list] {{end}} */
static tpl_node *with_control(parser *p)
{
    return parse_control(p, N_WITH, "with");
}

/* {{else}}, or the else of "else if" / "else with" (the keyword stays pending). */
static tpl_node *else_control(parser *p)
{
    tpl_item pk = peek_nonspace(p);
    if (pk.typ == IT_IF || pk.typ == IT_WITH) {
        tpl_node *n = new_node(p, N_ELSE, pk.pos);
        return n;
    }
    tpl_item t = expect(p, IT_RDELIM, "else");
    tpl_node *n = new_node(p, N_ELSE, t.pos);
    return n;
}

/* {{break}} and {{continue}}: only inside range. */
static tpl_node *break_control(parser *p, tpl_ntype type, const tpl_item *kw)
{
    const char *what = type == N_BREAK ? "{{break}}" : "{{continue}}";
    tpl_item t = next_nonspace(p);
    if (t.typ != IT_RDELIM)
        unexpected(p, &t, what);
    if (p->range_depth == 0)
        perrorf(p, "%s outside {{range}}", what);
    tpl_node *n = new_node(p, type, kw->pos);
    return n;
}

/* The quoted name after template/block/define. */
static const char *template_name(parser *p, const tpl_item *t, const char *context)
{
    uint32_t len;
    if (t->typ != IT_STRING && t->typ != IT_RAWSTRING)
        unexpected(p, t, context);
    return unquote_item(p, t, &len);
}

/* {{template "name" pipeline?}} */
static tpl_node *template_control(parser *p)
{
    tpl_item t = next_nonspace(p);
    const char *name = template_name(p, &t, "template clause");
    tpl_node *n = new_node(p, N_TEMPLATE, t.pos);
    n->text = name;
    if (next_nonspace(p).typ != IT_RDELIM) {
        pbackup(p);
        n->pipe = pipeline(p, "template clause", IT_RDELIM);
    }
    return n;
}

/* Parse a sub-tree (define or block body) with its own variable scope. */
static tpl_node *sub_tree(parser *p, const char *context)
{
    int nsaved = p->nvars, bsaved = p->var_base, rsaved = p->range_depth;
    if (++p->control_depth > MAX_CONTROL_DEPTH)
        perrorf(p, "max control depth exceeded");
    p->var_base = p->nvars, p->range_depth = 0;
    push_var(p, "$");
    tpl_node *end;
    tpl_node *root = item_list(p, &end);
    p->nvars = nsaved, p->var_base = bsaved, p->range_depth = rsaved;
    p->control_depth--;
    if (end->type != N_END) {
        gotk_buf s = {0};
        tpl_node_string(end, &s);
        char *m = gotk_buf_steal(&s);
        gotk_buf_printf(&p->err, "template: %s:%d: unexpected %s in %s", p->src->name,
                        p->token[0].line, m, context);
        free(m);
        longjmp(*p->jb, 1);
    }
    return root;
}

/* {{block "name" pipeline}} list {{end}}: defines name and invokes it. */
static tpl_node *block_control(parser *p)
{
    tpl_item t = next_nonspace(p);
    const char *name = template_name(p, &t, "block clause");
    tpl_node *pipe = pipeline(p, "block clause", IT_RDELIM);
    tpl_node *root = sub_tree(p, "block clause");
    add_tree(p, name, root);
    tpl_node *n = new_node(p, N_TEMPLATE, t.pos);
    n->text = name;
    n->pipe = pipe;
    return n;
}

/* An action: a control keyword or a pipeline. */
static tpl_node *action(parser *p)
{
    tpl_item t = next_nonspace(p);
    tpl_node *n;
    switch (t.typ) {
    case IT_BLOCK: return block_control(p);
    case IT_BREAK: return break_control(p, N_BREAK, &t);
    case IT_CONTINUE: return break_control(p, N_CONTINUE, &t);
    case IT_ELSE: return else_control(p);
    case IT_END:
        expect(p, IT_RDELIM, "end");
        return &p->end;
    case IT_IF: return if_control(p);
    case IT_RANGE: return parse_control(p, N_RANGE, "range");
    case IT_TEMPLATE: return template_control(p);
    case IT_WITH: return with_control(p);
    default: break;
    }
    pbackup(p);
    t = ppeek(p);
    n = new_node(p, N_ACTION, t.pos);
    n->pipe = pipeline(p, "command", IT_RDELIM);
    return n;
}

/* text | action */
static tpl_node *text_or_action(parser *p)
{
    tpl_item t = next_nonspace(p);
    if (t.typ == IT_TEXT) {
        tpl_node *n = new_node(p, N_TEXT, t.pos);
        n->text = t.val;
        n->textlen = t.len;
        return n;
    }
    if (t.typ == IT_LDELIM) {
        p->action_line = t.line;
        tpl_node *n = action(p);
        p->action_line = 0;
        return n;
    }
    unexpected(p, &t, "input");
}

/* textOrAction* up to {{end}} or {{else}}, returned in *next. */
static tpl_node *item_list(parser *p, tpl_node **next)
{
    tpl_node *list = new_node(p, N_LIST, peek_nonspace(p).pos);
    int base = p->nkids;
    while (peek_nonspace(p).typ != IT_EOF) {
        tpl_node *n = text_or_action(p);
        if (n->type == N_END || n->type == N_ELSE) {
            take_kids(p, list, base);
            *next = n;
            return list;
        }
        push_kid(p, n);
    }
    perrorf(p, "unexpected EOF");
}

/* {{define "name"}} list {{end}} */
static void parse_definition(parser *p)
{
    tpl_item t = next_nonspace(p);
    if (t.typ != IT_STRING && t.typ != IT_RAWSTRING)
        unexpected(p, &t, "define clause");
    const char *name = template_name(p, &t, "define clause");
    expect(p, IT_RDELIM, "define clause");
    add_tree(p, name, sub_tree(p, "define clause"));
}

/* Add a tree of this parse; two non-empty ones of a name are an error. */
static void add_tree(parser *p, const char *name, tpl_node *root)
{
    for (int i = 0; i < p->ntrees; i++) {
        if (strcmp(p->trees[i].name, name) != 0)
            continue;
        if (tpl_tree_empty(p->trees[i].root)) {
            p->trees[i].root = root;
            p->own_name_defined |= !strcmp(name, p->src->name);
            return;
        }
        if (!tpl_tree_empty(root))
            perrorf(p, "template: multiple definition of template \"%s\"", name);
        p->own_name_defined |= !strcmp(name, p->src->name);
        return;
    }
    if (p->ntrees == p->captrees) {
        p->captrees = p->captrees ? p->captrees * 2 : 4;
        p->trees = gotk_xrealloc(p->trees, sizeof *p->trees * (size_t)p->captrees);
    }
    p->trees[p->ntrees++] = (tpl_tree){name, root, p->src};
}

/* The top level: like item_list, but also takes {{define}}. */
static tpl_node *parse_top(parser *p)
{
    tpl_node *root = new_node(p, N_LIST, ppeek(p).pos);
    int base = p->nkids;
    while (ppeek(p).typ != IT_EOF) {
        if (ppeek(p).typ == IT_LDELIM) {
            tpl_item delim = pnext(p);
            if (next_nonspace(p).typ == IT_DEFINE) {
                p->action_line = delim.line;
                parse_definition(p);
                p->action_line = 0;
                continue;
            }
            pbackup2(p, delim);
        }
        tpl_node *n = text_or_action(p);
        if (n->type == N_END || n->type == N_ELSE) {
            gotk_buf s = {0};
            tpl_node_string(n, &s);
            char *m = gotk_buf_steal(&s);
            gotk_buf_printf(&p->err, "template: %s:%d: unexpected %s", p->src->name,
                            p->token[0].line, m);
            free(m);
            longjmp(*p->jb, 1);
        }
        push_kid(p, n);
    }
    take_kids(p, root, base);
    return root;
}

/* Go's IsEmptyTree: nothing but space and comments. */
bool tpl_tree_empty(const tpl_node *n)
{
    if (!n)
        return true;
    switch (n->type) {
    case N_COMMENT: return true;
    case N_LIST:
        for (int i = 0; i < n->nkids; i++)
            if (!tpl_tree_empty(n->kids[i]))
                return false;
        return true;
    case N_TEXT:
        for (size_t i = 0; i < n->textlen; i++)
            if (!strchr(" \t\r\n\v\f", n->text[i]))
                return false;
        return true;
    default: return false;
    }
}

/* Put a parsed tree into the set (replacing, unless the new one is empty). */
static void associate(gotk_tpl_set *set, const tpl_tree *t, bool force)
{
    const tpl_tree *old = tpl_find_tree(set, t->name); /* a clone's base's too */
    if (old && !force && tpl_tree_empty(t->root) && old->root)
        return;
    tpl_tree *own = tpl_own_tree(set, t->name);
    if (own) {
        own->root = t->root;
        own->src = t->src;
        return;
    }
    if (set->ntrees == set->captrees) {
        set->captrees = set->captrees ? set->captrees * 2 : 8;
        set->trees = gotk_xrealloc(set->trees, sizeof *set->trees * (size_t)set->captrees);
    }
    set->trees[set->ntrees++] = (tpl_tree){tpl_strndup(&set->arena, t->name, strlen(t->name)),
                                           t->root, t->src};
    tpl_index_add(&set->tree_index, set->trees, sizeof *set->trees, set->ntrees, set->ntrees - 1);
}

static gotk_err *parse_text(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                            bool fresh, bool borrow);

/* Parse text into the set, adding its trees only when all of it parsed. */
gotk_err *tpl_parse(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                    bool borrow)
{
    return parse_text(set, name, text, len, false, borrow);
}

/* Add a parse's trees to the set. */
static void associate_all(gotk_tpl_set *set, const tpl_tree *trees, int ntrees,
                          const char *name, bool fresh)
{
    for (int i = 0; i < ntrees; i++)
        associate(set, &trees[i], fresh && !strcmp(trees[i].name, name));
}

gotk_err *tpl_parse_new(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                        bool fresh)
{
    return parse_text(set, name, text, len, fresh, false);
}

/* Parse; with `fresh` the template `name` gets the new tree even when empty.
 * Without it (a plain parse, not tpl's), a text parsed before is not parsed
 * again: its trees are shared under the new name. With `borrow` the nodes
 * point into text itself, which the caller keeps for the set's lifetime. */
static gotk_err *parse_text(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                            bool fresh, bool borrow)
{
    tpl_parse_mode mode = {set->ldelim, set->rdelim, !tpl_find_func(set, "break", 5),
                           !tpl_find_func(set, "continue", 8)};
    tpl_tree *shared;
    int nshared;
    if (!fresh && tpl_parsed_reuse(set, name, text, len, &mode, &shared, &nshared)) {
        associate_all(set, shared, nshared, name, false);
        free(shared);
        return NULL;
    }
    tpl_src *src = tpl_alloc(&set->arena, sizeof *src);
    src->name = tpl_strndup(&set->arena, name, strlen(name));
    src->text = borrow ? text : tpl_strndup(&set->arena, text, len);
    src->len = len;
    tpl_lexer lex;
    tpl_lex_init(&lex, src->text, len, set->ldelim, set->rdelim);
    lex.break_ok = mode.break_ok;
    lex.continue_ok = mode.continue_ok;
    jmp_buf jb;
    parser p = {.set = set, .a = &set->arena, .lex = &lex, .src = src, .jb = &jb,
                .end = {.type = N_END}};
    gotk_err *err = NULL;
    if (setjmp(jb) == 0) {
        push_var(&p, "$");
        tpl_node *root = parse_top(&p);
        add_tree(&p, src->name, root);
        associate_all(set, p.trees, p.ntrees, src->name, fresh);
        if (!fresh && !p.own_name_defined)
            tpl_parsed_add(set, src, &mode, p.trees, p.ntrees);
    } else {
        err = gotk_err_new(GOTK_E_INVALID, "%s", p.err.data ? p.err.data : "parse error");
    }
    free(p.vars);
    free(p.trees);
    free(p.kids);
    gotk_buf_free(&p.err);
    return err;
}
