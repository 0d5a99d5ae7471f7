/*
 * tpl_int.h: what the template module's files share and nobody else sees.
 *
 * lex.c turns text into items, parse.c builds node trees from them (all nodes of
 * a set live in one arena freed with the set), exec.c walks a tree against data,
 * fmt.c is Go's fmt for template values, funcs.c the builtin functions and
 * value.c the value helpers and the per-execution arena.
 */
#ifndef GOTK_TPL_INT_H
#define GOTK_TPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gotk/template.h"

/* ---- arena ------------------------------------------------------------- */

typedef struct tpl_block tpl_block;
typedef struct {
    tpl_block *head;
} tpl_arena;

/* Zeroed memory that lives until tpl_arena_free. */
void *tpl_alloc(tpl_arena *a, size_t n);
char *tpl_strndup(tpl_arena *a, const char *s, size_t n);
void tpl_arena_free(tpl_arena *a);

/* ---- lexer ------------------------------------------------------------- */

typedef enum {
    IT_ERROR, IT_BOOL, IT_CHAR, IT_CHARCONST, IT_COMPLEX, IT_ASSIGN, IT_DECLARE, IT_EOF,
    IT_FIELD, IT_IDENT, IT_LDELIM, IT_LPAREN, IT_NUMBER, IT_PIPE, IT_RAWSTRING,
    IT_RDELIM, IT_RPAREN, IT_SPACE, IT_STRING, IT_TEXT, IT_VARIABLE,
    IT_KEYWORD, /* keywords follow */
    IT_BLOCK, IT_BREAK, IT_CONTINUE, IT_DOT, IT_DEFINE, IT_ELSE, IT_END, IT_IF, IT_NIL,
    IT_RANGE, IT_TEMPLATE, IT_WITH,
} tpl_itype;

typedef struct {
    tpl_itype typ;
    size_t pos;      /* byte offset of the item */
    const char *val; /* points into the input, or at an error message */
    size_t len;
    int line;
} tpl_item;

typedef struct {
    const char *input;
    size_t len;
    const char *ldelim, *rdelim;
    size_t pos, start;
    int line, start_line;
    int paren_depth;
    int state;
    bool break_ok, continue_ok;
    char errbuf[160];
} tpl_lexer;

void tpl_lex_init(tpl_lexer *l, const char *input, size_t len, const char *ld,
                  const char *rd);
tpl_item tpl_lex_next(tpl_lexer *l);

/* ---- nodes ------------------------------------------------------------- */

typedef enum {
    N_TEXT, N_ACTION, N_BOOL, N_CHAIN, N_COMMAND, N_DOT, N_FIELD, N_IDENT, N_IF, N_LIST,
    N_NIL, N_NUMBER, N_PIPE, N_RANGE, N_STRING, N_TEMPLATE, N_VARIABLE, N_WITH,
    N_COMMENT, N_BREAK, N_CONTINUE, N_ELSE, N_END,
} tpl_ntype;

/* Where a tree's text came from: for "name:line:col" in errors. */
typedef struct {
    const char *name; /* the top-level template name given to parse */
    const char *text;
    size_t len;
} tpl_src;

/* A parse node. Templates of a large chart hold tens of thousands, so a node
 * keeps only what some type of node needs, overlaid where no type needs two
 * of them at once (see the member comments). */
typedef struct tpl_node tpl_node;
struct tpl_node {
    uint8_t type;            /* a tpl_ntype */
    bool is_assign : 1;      /* pipe: "=" rather than ":=" */
    bool b : 1;              /* bool */
    bool is_int : 1, is_uint : 1, is_float : 1; /* number: what its text can be */
    uint16_t ndecl;          /* pipe: declared variables */
    uint32_t pos;            /* byte offset in the source text */
    union { /* three slots, each used by the types named */
        tpl_node **kids;     /* list: nodes; command: args; pipe: commands */
        tpl_node *pipe;      /* if/range/with/template/action; chain: the node */
        double f;            /* number */
        const char *quoted;  /* string: as written */
    };
    union {
        tpl_node **decl;     /* pipe: declared variables */
        const char *text;    /* text, string value, identifier, number, template name */
        tpl_node *list;      /* if/range/with */
        const char **ident;  /* field, variable, chain: names (variable: $x first) */
    };
    union {
        tpl_node *elselist;  /* if/range/with */
        int64_t i;           /* number, when is_int */
        uint64_t u;          /* number, when is_uint: the same bits when both are */
        uint32_t textlen;    /* text, string */
        int nkids;           /* list, command, pipe */
        int nident;          /* field, variable, chain */
    };
};

/* Go's Node.String(), appended to out. */
void tpl_node_string(const tpl_node *n, gotk_buf *out);
/* "name:line:col" of a node of a tree parsed from src, appended. */
void tpl_node_location(const tpl_node *n, const tpl_src *src, gotk_buf *out);

/* ---- the set ----------------------------------------------------------- */

typedef struct {
    char *name;
    char *params; /* parameter letters, without "..." */
    bool variadic;
    gotk_tpl_fn fn;
    void *ud;
    int builtin; /* 0, or a BI_* code for builtins handled by the executor */
    char *recv;  /* methods: the receiver's Go type */
} tpl_func;

/* Nodes do not know their source: a tree does, so that files of identical
 * text (a subchart used under several aliases) share one parse. */
typedef struct {
    const char *name;
    tpl_node *root; /* a list */
    const tpl_src *src;
} tpl_tree;

/* A successful parse remembered by its text (parse.c). */
typedef struct tpl_parsed tpl_parsed;

typedef enum { MISSING_INVALID, MISSING_ZERO, MISSING_ERROR } tpl_missing;

/* A hash index by name over an array of structs whose first field is the
 * name (const char *): slots hold item index + 1, 0 when empty. */
typedef struct {
    int *slots;
    size_t cap;
} tpl_index;

/* Open-addressed table of interned names (parsed.c). */
typedef struct {
    const char **slots;
    size_t cap, count;
} tpl_names;

struct gotk_tpl_set {
    tpl_arena arena;
    tpl_names names;
    tpl_tree *trees;
    int ntrees, captrees;
    tpl_index tree_index;
    tpl_func *funcs;
    int nfuncs, capfuncs;
    tpl_index func_index;
    tpl_missing missing;
    char *ldelim, *rdelim;
    char *name; /* the set's own name, for "associated with template" errors */
    tpl_func *methods; /* of named types, see typed.c */
    int nmethods, capmethods;
    uint64_t method_initials[4]; /* bit c: a method's name starts with byte c */
    tpl_parsed **parsed; /* hash buckets of earlier parses, or NULL */
    const gotk_tpl_set *base; /* a clone's original: what the clone lacks */
};

/* Set a function's parameters (letters as gotk_template_add_func's), fn and ud. */
void tpl_func_define(tpl_func *f, const char *params, gotk_tpl_fn fn, void *ud);

/* ---- typed values (typed.c) -------------------------------------------- */

/* What gotk_tpl_tag attaches to a json object or array. */
typedef struct {
    unsigned magic;
    const char *type; /* Go type name, static */
    bool is_struct;
    bool addressable; /* reached through a pointer: has "*T" methods too */
    bool bytes_elems; /* a map of []byte (engine.files) */
    bool is_nil;      /* Go's nil []byte, slice or map (JSON null) */
    const gotk_tpl_json_field *json; /* a struct's json names, or NULL */
} tpl_tag;

/* The zero value of a map's elements: nil interface{}, or an empty []byte. */
gotk_tpl_val tpl_map_zero(gotk_tpl_exec *ex, gotk_tpl_val map);
/* Tag a map whose values are []byte (json strings, tagged too). */
void tpl_tag_bytes_map(json_object *m, const char *go_type);

/* A Go []byte: a json string with this tag (tpl_tag_bytes). */
#define TPL_BYTES_TYPE "[]uint8"
void tpl_tag_bytes(json_object *s);
/* Whether v is such a []byte. */
#define TPL_IS_BYTES(v) ((v).kind == GOTK_TPL_STRING && (v).tname && !strcmp((v).tname, TPL_BYTES_TYPE))

/* A new reference to j as encoding/json sees it: []byte as base64 text and
 * values with a MarshalJSON method as what it gives (a copy when j holds any). */
json_object *tpl_json_marshal_view(json_object *j);

/* Helm's toYAML of j, whose reference it takes (helmfuncs.c). */
gotk_tpl_val tpl_helm_to_yaml(gotk_tpl_exec *ex, json_object *j);

/* gotk_tpl_tag for a value that is not addressable (a method's result). */
void tpl_tag_value(json_object *j, const char *go_type, bool is_struct);
const tpl_tag *tpl_tag_of(json_object *j);
/* A deep copy keeping Go types (tags) and int64 marks, as copystructure keeps
 * a value's types (Sprig's deepCopy of Helm's dot). NULL on failure. */
json_object *tpl_copy_typed(json_object *j);
/* The method `name` of Go type `type`; addressable values also have the
 * methods declared on "*type". NULL when there is none. */
const tpl_func *tpl_find_method(const gotk_tpl_set *set, const char *type, const char *name,
                                bool addressable);
void tpl_free_methods(gotk_tpl_set *set);
/* Append the result of v's String method when fmt would call it (v's type, or
 * also "*T" methods when addressable); false when it has none. Uses the
 * execution running on this thread. */
bool tpl_stringer(gotk_tpl_val v, bool addressable, gotk_buf *out);
/* Append the JSON v's MarshalJSON method gives; false when it has none. */
bool tpl_marshal_json(gotk_tpl_val v, gotk_buf *out);

const tpl_func *tpl_find_func(const gotk_tpl_set *set, const char *name, size_t len);
/* The template of that name, the set's own or else its base's. */
const tpl_tree *tpl_find_tree(const gotk_tpl_set *set, const char *name);
/* The template of that name the set itself holds (to change it). */
tpl_tree *tpl_own_tree(gotk_tpl_set *set, const char *name);
/* Index item `item` (count items in all, each `stride` bytes from base). */
void tpl_index_add(tpl_index *ix, const void *base, size_t stride, int count, int item);
/* Install the builtin functions (funcs.c). */
void tpl_add_builtins(gotk_tpl_set *set);
enum { BI_AND = 1, BI_OR, BI_CALL };

/* Parse into the set (parse.c); with `borrow` the set keeps pointers into
 * text, which must outlive it, instead of a copy. */
gotk_err *tpl_parse(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                    bool borrow);
/* The same as Go's t.New(name).Parse(text) followed by executing that new t:
 * with `fresh`, template `name` takes the new tree even when it is empty (Go
 * keeps an older non-empty one in the set but runs the new one). */
gotk_err *tpl_parse_new(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                        bool fresh);
bool tpl_tree_empty(const tpl_node *n);

/* Earlier parses of the same text (parsed.c). What a text parses into depends
 * on the delimiters and on whether break/continue are keywords, not on the
 * name it is parsed as, except when one of its {{define}}s takes that name. */
typedef struct {
    const char *ldelim, *rdelim; /* NULL: the defaults */
    bool break_ok, continue_ok;
} tpl_parse_mode;
/* Remember a successful parse of src into trees (arena-held), the last of
 * which is the top-level tree and the others {{define}}s of other names. */
void tpl_parsed_add(gotk_tpl_set *set, const tpl_src *src, const tpl_parse_mode *mode,
                    const tpl_tree *trees, int ntrees);
/* The trees an earlier parse of text gives when parsed as `name`: a new
 * source of that name over the remembered text, and *trees (free it) in the
 * set's arena; false when there is none to reuse. */
bool tpl_parsed_reuse(gotk_tpl_set *set, const char *name, const char *text, size_t len,
                      const tpl_parse_mode *mode, tpl_tree **trees, int *ntrees);

/* The set's shared arena copy of the name s[0..n) (parsed.c). */
const char *tpl_intern(gotk_tpl_set *set, const char *s, size_t n);

/* ---- values ------------------------------------------------------------ */

gotk_tpl_kind tpl_kind_of_json(json_object *j);
/* Go's isTrue; *ok false for values with no truth (none here but kept). */
bool tpl_is_true(gotk_tpl_val v);
/* The value inside an interface slot: nil interface -> invalid. */
gotk_tpl_val tpl_indirect_iface(gotk_tpl_val v);
/* Length of a string/map/slice value. */
size_t tpl_len(gotk_tpl_val v);
/* Keys of a map, sorted as Go's fmtsort does for strings. Caller frees array. */
const char **tpl_sorted_keys(json_object *map, size_t *n);
/* Register a new json reference for release at the end of the execution. */
json_object *tpl_exec_keep(gotk_tpl_exec *ex, json_object *j);

/* ---- fmt --------------------------------------------------------------- */

/* Print v as an action {{v}} does: a pointer prints as what it points to,
 * addressable values use "*T" String methods too. */
void tpl_print_action(gotk_buf *out, gotk_tpl_val v);
/* Go's strconv.FormatFloat(f, 'g', -1, 64) — shortest round trip. */
void tpl_fmt_float_shortest(gotk_buf *out, double f, char fmt);
/* Go's unicode.IsPrint (approximated, see value.c). */
bool tpl_is_print(int32_t r);
/* Go's strconv.Quote. */
void tpl_quote(gotk_buf *out, const char *s, size_t len);
/* strconv.Quote, or QuoteToASCII when ascii is set. */
void tpl_quote_ex(gotk_buf *out, const char *s, size_t len, bool ascii);
/* Go's strconv.Unquote for "..." `...` and '...'. Returns false on bad syntax. */
bool tpl_unquote(const char *q, size_t qlen, gotk_buf *out);
/* Decode one UTF-8 rune; returns its length (1 for invalid bytes, rune 0xFFFD). */
int tpl_utf8_decode(const char *s, size_t len, int32_t *r);
void tpl_utf8_encode(gotk_buf *out, int32_t r);

#endif
