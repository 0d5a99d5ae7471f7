/*
 * sprig_url.c: Sprig's urlParse and urlJoin, which go through Go's net/url:
 * url.Parse's splitting (scheme, authority, userinfo, host validation, path,
 * query, fragment) and errors, and URL.String()'s escaping.
 */
#include <string.h>

#include "sprig.h"

#define FN(name) \
    static gotk_err *name(gotk_tpl_exec *ex, int argc, const gotk_tpl_val *argv, \
                          gotk_tpl_val *res, void *ud)
#define UNUSED (void)ex, (void)argc, (void)argv, (void)ud

/* net/url's escaping modes. */
enum { ENC_PATH = 1, ENC_PATH_SEGMENT, ENC_HOST, ENC_ZONE, ENC_USER_PASSWORD, ENC_QUERY, ENC_FRAGMENT };

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Go's shouldEscape. */
static bool should_escape(unsigned char c, int mode)
{
    if (is_alnum(c))
        return false;
    if ((mode == ENC_HOST || mode == ENC_ZONE) && c < 0x80 && strchr("!$&'()*+,;=:[]<>\"", c))
        return false;
    if (c && strchr("-_.~", c))
        return false;
    if (c && strchr("$&+,/:;=?@", c)) {
        switch (mode) {
        case ENC_PATH: return c == '?';
        case ENC_PATH_SEGMENT: return c == '/' || c == ';' || c == ',' || c == '?';
        case ENC_USER_PASSWORD: return c == '@' || c == '/' || c == '?' || c == ':';
        case ENC_QUERY: return true;
        case ENC_FRAGMENT: return false;
        default: break;
        }
    }
    if (mode == ENC_FRAGMENT && c && strchr("!()*", c))
        return false;
    return true;
}

/* Go's escape. */
static void url_escape(gotk_buf *b, const char *s, size_t n, int mode)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && mode == ENC_QUERY)
            gotk_buf_putc(b, '+');
        else if (should_escape(c, mode))
            gotk_buf_printf(b, "%%%02X", c);
        else
            gotk_buf_putc(b, (char)c);
    }
}

static int unhex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Go's unescape; false with Go's error text in err. */
static bool url_unescape(const char *s, size_t n, int mode, gotk_buf *out, gotk_buf *err)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n + 0 || unhex(s[i + 1]) < 0 || unhex(s[i + 2]) < 0 || i + 2 >= n) {
                gotk_buf_puts(err, "invalid URL escape ");
                tpl_quote(err, s + i, n - i > 3 ? 3 : n - i);
                return false;
            }
            if (mode == ENC_HOST && unhex(s[i + 1]) < 8 && strncmp(s + i, "%25", 3) != 0) {
                gotk_buf_puts(err, "invalid URL escape ");
                tpl_quote(err, s + i, 3);
                return false;
            }
            gotk_buf_putc(out, (char)(unhex(s[i + 1]) << 4 | unhex(s[i + 2])));
            i += 2;
        } else if (s[i] == '+' && mode == ENC_QUERY) {
            gotk_buf_putc(out, ' ');
        } else {
            if (mode == ENC_HOST && (unsigned char)s[i] < 0x80 && should_escape((unsigned char)s[i], mode)) {
                gotk_buf_puts(err, "invalid character ");
                tpl_quote(err, s + i, 1);
                gotk_buf_puts(err, " in host name");
                return false;
            }
            gotk_buf_putc(out, s[i]);
        }
    }
    return true;
}

typedef struct {
    gotk_buf scheme, opaque, user, password, host, path, query, fragment;
    bool has_user, has_password;
} url_parts;

static void parts_free(url_parts *u)
{
    gotk_buf *bs[] = {&u->scheme, &u->opaque, &u->user, &u->password, &u->host, &u->path, &u->query, &u->fragment};
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        gotk_buf_free(bs[i]);
}

/* validOptionalPort: "" or ":" followed by digits. */
static bool valid_port(const char *p, size_t n)
{
    if (n == 0)
        return true;
    if (p[0] != ':')
        return false;
    for (size_t i = 1; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static const char *last_of(const char *s, size_t n, char c)
{
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == c)
            return s + i - 1;
    return NULL;
}

/* Go's parseHost (without IPv6 zones). */
static bool parse_host(const char *h, size_t n, gotk_buf *out, gotk_buf *err)
{
    if (n > 0 && h[0] == '[') {
        const char *close = last_of(h, n, ']');
        if (!close) {
            gotk_buf_puts(err, "missing ']' in host");
            return false;
        }
        size_t rest = n - (size_t)(close + 1 - h);
        if (!valid_port(close + 1, rest)) {
            gotk_buf_puts(err, "invalid port ");
            tpl_quote(err, close + 1, rest);
            gotk_buf_puts(err, " after host");
            return false;
        }
    } else {
        const char *colon = last_of(h, n, ':');
        if (colon && !valid_port(colon, n - (size_t)(colon - h))) {
            gotk_buf_puts(err, "invalid port ");
            tpl_quote(err, colon, n - (size_t)(colon - h));
            gotk_buf_puts(err, " after host");
            return false;
        }
    }
    return url_unescape(h, n, ENC_HOST, out, err);
}

static bool valid_userinfo(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_alnum((unsigned char)s[i]) && !strchr("-._:~!$&'()*+,;=%@", s[i]))
            return false;
    return true;
}

static bool parse_authority(url_parts *u, const char *a, size_t n, gotk_buf *err)
{
    const char *at = last_of(a, n, '@');
    const char *h = at ? at + 1 : a;
    if (!parse_host(h, n - (size_t)(h - a), &u->host, err))
        return false;
    if (!at)
        return true;
    size_t ulen = (size_t)(at - a);
    if (!valid_userinfo(a, ulen)) {
        gotk_buf_puts(err, "net/url: invalid userinfo");
        return false;
    }
    u->has_user = true;
    const char *colon = memchr(a, ':', ulen);
    if (!colon)
        return url_unescape(a, ulen, ENC_USER_PASSWORD, &u->user, err);
    u->has_password = true;
    return url_unescape(a, (size_t)(colon - a), ENC_USER_PASSWORD, &u->user, err) &&
           url_unescape(colon + 1, ulen - (size_t)(colon - a) - 1, ENC_USER_PASSWORD, &u->password, err);
}

/* getScheme: the scheme's length (0: none); false for a leading colon. */
static bool get_scheme(const char *s, size_t n, size_t *len)
{
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0)
                return true;
            continue;
        }
        if (c == ':') {
            if (i == 0)
                return false;
            *len = i;
        }
        return true;
    }
    return true;
}

/* Go's parse (viaRequest false), the part before '#'. */
static bool parse_url(url_parts *u, const char *s, size_t n, gotk_buf *err)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f) {
            gotk_buf_puts(err, "net/url: invalid control character in URL");
            return false;
        }
    if (n == 1 && s[0] == '*') {
        gotk_buf_puts(&u->path, "*");
        return true;
    }
    size_t sl;
    if (!get_scheme(s, n, &sl)) {
        gotk_buf_puts(err, "missing protocol scheme");
        return false;
    }
    for (size_t i = 0; i < sl; i++)
        gotk_buf_putc(&u->scheme, (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]));
    const char *rest = s + (sl ? sl + 1 : 0);
    size_t rn = n - (size_t)(rest - s);
    const char *q = memchr(rest, '?', rn);
    if (q) {
        if (q + 1 != rest + rn || memchr(q + 1, '?', rn - (size_t)(q + 1 - rest)))
            gotk_buf_append(&u->query, q + 1, rn - (size_t)(q + 1 - rest));
        rn = (size_t)(q - rest);
    }
    if (rn == 0 || rest[0] != '/') {
        if (sl) {
            gotk_buf_append(&u->opaque, rest, rn);
            return true;
        }
        const char *slash = memchr(rest, '/', rn);
        if (memchr(rest, ':', slash ? (size_t)(slash - rest) : rn)) {
            gotk_buf_puts(err, "first path segment in URL cannot contain colon");
            return false;
        }
    }
    if (rn >= 2 && rest[0] == '/' && rest[1] == '/' && (sl || rn < 3 || rest[2] != '/')) {
        const char *a = rest + 2, *slash = memchr(a, '/', rn - 2);
        size_t an = slash ? (size_t)(slash - a) : rn - 2;
        if (!parse_authority(u, a, an, err))
            return false;
        rest = a + an;
        rn = rn - 2 - an;
    }
    return url_unescape(rest, rn, ENC_PATH, &u->path, err);
}

static void put_str(json_object *m, const char *k, const gotk_buf *b)
{
    json_object_object_add(m, k, json_object_new_string_len(b->data ? b->data : "", (int)b->len));
}

/* Userinfo.String(). */
static void userinfo_string(const url_parts *u, gotk_buf *b)
{
    url_escape(b, u->user.data, u->user.len, ENC_USER_PASSWORD);
    if (u->has_password) {
        gotk_buf_putc(b, ':');
        url_escape(b, u->password.data, u->password.len, ENC_USER_PASSWORD);
    }
}

/* urlParse s: scheme, host, hostname, path, query, opaque, fragment, userinfo. */
FN(fn_url_parse)
{
    UNUSED;
    const char *s = SV(argv[0]);
    size_t n = SL(argv[0]);
    const char *hash = memchr(s, '#', n);
    url_parts u = {0};
    gotk_buf err = {0};
    size_t before = hash ? (size_t)(hash - s) : n, quoted = before;
    bool ok = parse_url(&u, s, before, &err);
    if (ok && hash) {
        ok = url_unescape(hash + 1, n - before - 1, ENC_FRAGMENT, &u.fragment, &err);
        quoted = n; /* fragment errors quote the whole URL */
    }
    if (!ok) {
        gotk_buf q = {0};
        tpl_quote(&q, s, quoted);
        gotk_err *e = gotk_err_new(GOTK_E_INVALID, "unable to parse url: parse %s: %s", q.data, err.data);
        gotk_buf_free(&q);
        gotk_buf_free(&err);
        parts_free(&u);
        return e;
    }
    json_object *m = json_object_new_object();
    put_str(m, "scheme", &u.scheme);
    put_str(m, "host", &u.host);
    gotk_buf hostname = {0};
    const char *h = u.host.data ? u.host.data : "";
    size_t hn = u.host.len;
    const char *colon = last_of(h, hn, ':');
    if (colon && valid_port(colon, hn - (size_t)(colon - h)))
        hn = (size_t)(colon - h);
    if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']')
        gotk_buf_append(&hostname, h + 1, hn - 2);
    else
        gotk_buf_append(&hostname, h, hn);
    put_str(m, "hostname", &hostname);
    put_str(m, "path", &u.path);
    put_str(m, "query", &u.query);
    put_str(m, "opaque", &u.opaque);
    put_str(m, "fragment", &u.fragment);
    gotk_buf ui = {0};
    if (u.has_user)
        userinfo_string(&u, &ui);
    put_str(m, "userinfo", &ui);
    gotk_buf_free(&ui);
    gotk_buf_free(&hostname);
    parts_free(&u);
    *res = gotk_tpl_own(ex, m);
    return NULL;
}

/* dictGetOrEmpty: a string entry, "" when missing, Sprig's panic otherwise. */
static gotk_err *dict_string(gotk_tpl_val d, const char *key, gotk_buf *out)
{
    json_object *v;
    if (!d.j || !json_object_object_get_ex(d.j, key, &v))
        return NULL;
    gotk_tpl_val tv = gotk_tpl_from_json(v, true);
    tv = tpl_indirect_iface(tv);
    if (tv.kind != GOTK_TPL_STRING) {
        if (tv.kind == GOTK_TPL_INVALID || tv.kind == GOTK_TPL_NIL)
            return sprig_nil_panic();
        return gotk_err_new(GOTK_E_INVALID, "unable to parse %s key, must be of type string, but %s found",
                            key, sprig_kind_name(tv));
    }
    gotk_buf_append(out, SV(tv), SL(tv));
    return NULL;
}

/* URL.String() of the parts. */
static void url_string(const url_parts *u, bool has_user, gotk_buf *b)
{
    if (u->scheme.len) {
        gotk_buf_append(b, u->scheme.data, u->scheme.len);
        gotk_buf_putc(b, ':');
    }
    if (u->opaque.len) {
        gotk_buf_append(b, u->opaque.data, u->opaque.len);
    } else {
        if (u->scheme.len || u->host.len || has_user) {
            if (u->host.len || u->path.len || has_user)
                gotk_buf_puts(b, "//");
            if (has_user) {
                userinfo_string(u, b);
                gotk_buf_putc(b, '@');
            }
            url_escape(b, u->host.data, u->host.len, ENC_HOST);
        }
        gotk_buf path = {0};
        if (u->path.len == 1 && u->path.data[0] == '*')
            gotk_buf_puts(&path, "*");
        else
            url_escape(&path, u->path.data, u->path.len, ENC_PATH);
        if (path.len && path.data[0] != '/' && u->host.len)
            gotk_buf_putc(b, '/');
        if (b->len == 0) {
            const char *slash = path.len ? memchr(path.data, '/', path.len) : NULL;
            size_t seg = slash ? (size_t)(slash - path.data) : path.len;
            if (seg && memchr(path.data, ':', seg))
                gotk_buf_puts(b, "./");
        }
        if (path.len)
            gotk_buf_append(b, path.data, path.len);
        gotk_buf_free(&path);
    }
    if (u->query.len) {
        gotk_buf_putc(b, '?');
        gotk_buf_append(b, u->query.data, u->query.len);
    }
    if (u->fragment.len) {
        gotk_buf_putc(b, '#');
        url_escape(b, u->fragment.data, u->fragment.len, ENC_FRAGMENT);
    }
}

/* urlJoin d: the URL a urlParse-like dict describes. */
FN(fn_url_join)
{
    UNUSED;
    url_parts u = {0};
    gotk_buf ui = {0}, err = {0};
    static const char *const keys[] = {"scheme", "host", "path", "query", "opaque", "fragment", "userinfo"};
    gotk_buf *dst[] = {&u.scheme, &u.host, &u.path, &u.query, &u.opaque, &u.fragment, &ui};
    gotk_err *e = NULL;
    for (size_t i = 0; i < 7 && !e; i++)
        e = dict_string(argv[0], keys[i], dst[i]);
    if (!e && ui.len) {
        url_parts tmp = {0};
        if (!valid_userinfo(ui.data, ui.len)) {
            e = gotk_err_new(GOTK_E_INVALID, "unable to parse userinfo in dict: parse \"proto://%s@host\": net/url: invalid userinfo", ui.data);
        } else if (gotk_buf_puts(&ui, "@host"), !parse_authority(&tmp, ui.data, ui.len, &err)) {
            ui.len -= 5;
            ui.data[ui.len] = 0;
            e = gotk_err_new(GOTK_E_INVALID, "unable to parse userinfo in dict: parse \"proto://%s@host\": %s", ui.data, err.data);
        } else {
            u.has_user = true;
            u.has_password = tmp.has_password;
            gotk_buf_free(&u.user);
            gotk_buf_free(&u.password);
            u.user = tmp.user;
            u.password = tmp.password;
            tmp.user = (gotk_buf){0};
            tmp.password = (gotk_buf){0};
        }
        parts_free(&tmp);
    }
    if (!e) {
        gotk_buf b = {0};
        url_string(&u, u.has_user, &b);
        *res = sprig_take(ex, &b);
    }
    gotk_buf_free(&ui);
    gotk_buf_free(&err);
    parts_free(&u);
    return e;
}

/* Register urlParse and urlJoin. */
void sprig_add_url(gotk_tpl_set *set)
{
    gotk_template_add_func(set, "urlParse", "s", fn_url_parse, NULL);
    gotk_template_add_func(set, "urlJoin", "m", fn_url_join, NULL);
}
