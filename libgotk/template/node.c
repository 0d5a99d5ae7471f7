/*
 * node.c: printing parse nodes as Go's Node.String() does, and their location.
 *
 * Execution errors quote the node they happened at ("at <.Values.x.y>") and
 * name its place as "template:line:column", the column being the byte offset in
 * the line. Both must match Go byte for byte, so they follow its rules exactly.
 */
#include <string.h>

#include "tpl_int.h"

/* The idents of a field (".a.b") or variable ("$x.a"). */
static void idents_string(const tpl_node *n, bool field, gotk_buf *out)
{
    for (int i = 0; i < n->nident; i++) {
        if (field || i > 0)
            gotk_buf_putc(out, '.');
        gotk_buf_puts(out, n->ident[i]);
    }
}

/* Pipeline text: declarations, then commands joined by " | ". */
static void pipe_string(const tpl_node *n, gotk_buf *out)
{
    for (int i = 0; i < n->ndecl; i++) {
        if (i > 0)
            gotk_buf_puts(out, ", ");
        tpl_node_string(n->decl[i], out);
    }
    if (n->ndecl)
        gotk_buf_puts(out, n->is_assign ? " = " : " := ");
    for (int i = 0; i < n->nkids; i++) {
        if (i > 0)
            gotk_buf_puts(out, " | ");
        tpl_node_string(n->kids[i], out);
    }
}

/* {{if pipe}}list{{else}}list{{end}} and its range/with cousins. */
static void control_string(const tpl_node *n, const char *kw, gotk_buf *out)
{
    gotk_buf_printf(out, "{{%s ", kw);
    tpl_node_string(n->pipe, out);
    gotk_buf_puts(out, "}}");
    tpl_node_string(n->list, out);
    if (n->elselist) {
        gotk_buf_puts(out, "{{else}}");
        tpl_node_string(n->elselist, out);
    }
    gotk_buf_puts(out, "{{end}}");
}

/* A command argument; parenthesized pipelines get their parentheses back. */
static void arg_string(const tpl_node *n, gotk_buf *out)
{
    if (n->type == N_PIPE) {
        gotk_buf_putc(out, '(');
        tpl_node_string(n, out);
        gotk_buf_putc(out, ')');
    } else {
        tpl_node_string(n, out);
    }
}

/* The length of the Go string literal at q, quotes included. */
static size_t quoted_len(const char *q)
{
    size_t i = 1;
    for (; q[i] != q[0]; i++)
        i += q[0] == '"' && q[i] == '\\';
    return i + 1;
}

/* Go's Node.String() of any node. */
void tpl_node_string(const tpl_node *n, gotk_buf *out)
{
    switch (n->type) {
    case N_TEXT: gotk_buf_append(out, n->text, n->textlen); break;
    case N_ACTION:
        gotk_buf_puts(out, "{{");
        tpl_node_string(n->pipe, out);
        gotk_buf_puts(out, "}}");
        break;
    case N_BOOL: gotk_buf_puts(out, n->b ? "true" : "false"); break;
    case N_CHAIN:
        arg_string(n->pipe, out);
        idents_string(n, true, out);
        break;
    case N_COMMAND:
        for (int i = 0; i < n->nkids; i++) {
            if (i > 0)
                gotk_buf_putc(out, ' ');
            arg_string(n->kids[i], out);
        }
        break;
    case N_DOT: gotk_buf_putc(out, '.'); break;
    case N_FIELD: idents_string(n, true, out); break;
    case N_IDENT: gotk_buf_puts(out, n->text); break;
    case N_IF: control_string(n, "if", out); break;
    case N_RANGE: control_string(n, "range", out); break;
    case N_WITH: control_string(n, "with", out); break;
    case N_LIST:
        for (int i = 0; i < n->nkids; i++)
            tpl_node_string(n->kids[i], out);
        break;
    case N_NIL: gotk_buf_puts(out, "nil"); break;
    case N_NUMBER: gotk_buf_puts(out, n->text); break;
    case N_PIPE: pipe_string(n, out); break;
    case N_STRING: gotk_buf_append(out, n->quoted, quoted_len(n->quoted)); break;
    case N_TEMPLATE:
        gotk_buf_puts(out, "{{template ");
        tpl_quote(out, n->text, strlen(n->text));
        if (n->pipe) {
            gotk_buf_putc(out, ' ');
            tpl_node_string(n->pipe, out);
        }
        gotk_buf_puts(out, "}}");
        break;
    case N_VARIABLE: idents_string(n, false, out); break;
    case N_COMMENT: break;
    case N_BREAK: gotk_buf_puts(out, "{{break}}"); break;
    case N_CONTINUE: gotk_buf_puts(out, "{{continue}}"); break;
    case N_ELSE: gotk_buf_puts(out, "{{else}}"); break;
    case N_END: gotk_buf_puts(out, "{{end}}"); break;
    }
}

/* Go's ErrorContext location: name:line:column (byte column from 0). */
void tpl_node_location(const tpl_node *n, const tpl_src *src, gotk_buf *out)
{
    const char *text = src->text;
    size_t pos = n->pos, line = 1, col = pos;
    for (size_t i = 0; i < pos; i++) {
        if (text[i] == '\n') {
            line++;
            col = pos - i - 1;
        }
    }
    gotk_buf_printf(out, "%s:%zu:%zu", src->name, line, col);
}
