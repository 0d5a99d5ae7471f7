/*
 * store.c: objects in SQLite.
 *
 * One table holds every object as JSON text, keyed by (group, resource,
 * namespace, name); cluster-scoped objects have namespace ''. A one-row table
 * keeps the global revision, which plays etcd's role: every write takes the next
 * revision, stores it in the object's metadata.resourceVersion and in the row,
 * and commits the counter in the same transaction, so revisions keep increasing
 * across restarts even when the newest objects were deleted.
 *
 * Every event is also logged in an `events` table in the same transaction, so
 * the watch rings can be refilled after a restart and watches resume across
 * it; the log keeps the last EVENT_KEEP revisions, and meta.events_floor says
 * from which revision on it is complete.
 *
 * The database runs in WAL mode with synchronous=NORMAL: a committed transaction
 * survives the process being killed at any moment (kill -9), which is what an
 * acknowledged write promises here. All calls happen under the server's lock.
 */
#include <stdlib.h>
#include <string.h>

#include "apiserver.h"

struct store {
    sqlite3 *db;
    int64_t rev;     /* last committed revision */
    int64_t txn_rev; /* last revision handed out in the open transaction */
    sqlite3_stmt *get, *put, *del;
};

static const char *const SCHEMA =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS objects ("
    "  grp TEXT NOT NULL, res TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,"
    "  rev INTEGER NOT NULL, data TEXT NOT NULL, uid TEXT,"
    "  PRIMARY KEY (grp, res, ns, name)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS objects_ns ON objects (ns);"

    "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO meta (k, v) VALUES ('rev', 1);"
    "CREATE TABLE IF NOT EXISTS events ("
    "  rev INTEGER PRIMARY KEY, type TEXT NOT NULL, grp TEXT NOT NULL, res TEXT NOT NULL,"
    "  ns TEXT NOT NULL, obj TEXT NOT NULL, prev TEXT);"
    "CREATE INDEX IF NOT EXISTS events_res ON events (grp, res, rev);"
    /* events before the log existed are unknown: the log starts complete here */
    "INSERT OR IGNORE INTO meta (k, v) SELECT 'events_floor', v FROM meta WHERE k='rev';";

/* How many revisions of events the log keeps; older ones are trimmed in steps
 * of EVENT_TRIM_STEP revisions. */
#define EVENT_KEEP 20000
#define EVENT_TRIM_STEP 1000

/* An error from the database's last message. */
static gotk_err *db_err(sqlite3 *db, const char *what)
{
    return gotk_err_new(GOTK_E_IO, "%s: %s", what, sqlite3_errmsg(db));
}

/* Databases from before the uid column get it, filled from the documents. */
static gotk_err *migrate(store *st)
{
    sqlite3_exec(st->db, "ALTER TABLE objects ADD COLUMN uid TEXT", NULL, NULL, NULL);
    if (sqlite3_exec(st->db,
                     "CREATE INDEX IF NOT EXISTS objects_uid ON objects (uid);"
                     "UPDATE objects SET uid = json_extract(data, '$.metadata.uid') "
                     "WHERE uid IS NULL;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return db_err(st->db, "migrating schema");
    return NULL;
}

/* Prepare the statements every request uses. */
static gotk_err *prepare(store *st)
{
    if (sqlite3_prepare_v2(st->db,
                           "SELECT data FROM objects WHERE grp=? AND res=? AND ns=? AND name=?",
                           -1, &st->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO objects (grp,res,ns,name,rev,data,uid) "
                           "VALUES (?,?,?,?,?,?,?)",
                           -1, &st->put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "DELETE FROM objects WHERE grp=? AND res=? AND ns=? AND name=?",
                           -1, &st->del, NULL) != SQLITE_OK)
        return db_err(st->db, "preparing statements");
    return NULL;
}

/* Read the committed revision counter. */
static gotk_err *load_rev(store *st)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT v FROM meta WHERE k='rev'", -1, &q, NULL) != SQLITE_OK)
        return db_err(st->db, "reading revision");
    if (sqlite3_step(q) == SQLITE_ROW)
        st->rev = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    st->txn_rev = st->rev;
    return NULL;
}

/* Open the database and create the schema. */
gotk_err *store_open(const char *path, store **out)
{
    store *st = gotk_xcalloc(1, sizeof *st);
    gotk_err *e = NULL;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                           SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        e = db_err(st->db, "opening database");
    } else if (sqlite3_exec(st->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
        e = db_err(st->db, "creating schema");
    } else {
        sqlite3_busy_timeout(st->db, 5000);
        e = migrate(st);
        if (!e)
            e = prepare(st);
        if (!e)
            e = load_rev(st);
    }
    if (e) {
        store_close(st);
        return gotk_err_wrap(e, "%s", path);
    }
    *out = st;
    return NULL;
}

/* Finalize statements and close. */
void store_close(store *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->get);
    sqlite3_finalize(st->put);
    sqlite3_finalize(st->del);
    sqlite3_close(st->db);
    free(st);
}

/* The newest committed revision. */
int64_t store_rev(store *st)
{
    return st->rev;
}

/* BEGIN IMMEDIATE: this process is the only writer. */
gotk_err *store_begin(store *st)
{
    st->txn_rev = st->rev;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_err(st->db, "begin");
    return NULL;
}

/* Drop logged events up to `upto` and raise the log's floor. */
static gotk_err *trim_events(store *st, int64_t upto)
{
    sqlite3_stmt *q;
    const char *sql = "DELETE FROM events WHERE rev <= ?1;"
                      "UPDATE meta SET v = max(v, ?1) WHERE k='events_floor';";
    const char *tail = sql;
    while (tail && *tail) {
        if (sqlite3_prepare_v2(st->db, tail, -1, &q, &tail) != SQLITE_OK)
            return db_err(st->db, "trimming events");
        if (!q)
            break;
        sqlite3_bind_int64(q, 1, upto);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return db_err(st->db, "trimming events");
    }
    return NULL;
}

/* Write the counter and commit. */
gotk_err *store_commit(store *st)
{
    if (st->txn_rev != st->rev) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(st->db, "UPDATE meta SET v=? WHERE k='rev'", -1, &q, NULL) !=
            SQLITE_OK)
            return db_err(st->db, "saving revision");
        sqlite3_bind_int64(q, 1, st->txn_rev);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return db_err(st->db, "saving revision");
    }
    if (st->txn_rev / EVENT_TRIM_STEP != st->rev / EVENT_TRIM_STEP && st->txn_rev > EVENT_KEEP) {
        gotk_err *e = trim_events(st, st->txn_rev - EVENT_KEEP);
        if (e)
            return e;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return db_err(st->db, "commit");
    st->rev = st->txn_rev;
    return NULL;
}

/* Abandon the open transaction. */
void store_rollback(store *st)
{
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->txn_rev = st->rev;
}

/* Hand out the next revision. */
int64_t store_next_rev(store *st)
{
    return ++st->txn_rev;
}

/* Bind the four key columns. */
static void bind_key(sqlite3_stmt *q, const char *group, const char *res, const char *ns,
                     const char *name)
{
    sqlite3_bind_text(q, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, res, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, ns ? ns : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, name, -1, SQLITE_STATIC);
}

/* Parse a stored row's JSON. */
static json_object *row_obj(sqlite3_stmt *q, int col)
{
    char *err = NULL;
    const char *txt = (const char *)sqlite3_column_text(q, col);
    json_object *o = jx_parse(txt, (size_t)sqlite3_column_bytes(q, col), &err);
    free(err);
    return o;
}

/* One object or NULL. */
json_object *store_get(store *st, const char *group, const char *res, const char *ns,
                       const char *name)
{
    json_object *o = NULL;
    bind_key(st->get, group, res, ns, name);
    if (sqlite3_step(st->get) == SQLITE_ROW)
        o = row_obj(st->get, 0);
    sqlite3_reset(st->get);
    sqlite3_clear_bindings(st->get);
    return o;
}

/* Insert or replace an object. */
gotk_err *store_put(store *st, const char *group, const char *res, const char *ns,
                    const char *name, int64_t rev, json_object *obj)
{
    bind_key(st->put, group, res, ns, name);
    sqlite3_bind_int64(st->put, 5, rev);
    sqlite3_bind_text(st->put, 6, jx_str(obj), -1, SQLITE_TRANSIENT);
    const char *uid = jx_meta_str(obj, "uid");
    if (uid)
        sqlite3_bind_text(st->put, 7, uid, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st->put);
    sqlite3_reset(st->put);
    sqlite3_clear_bindings(st->put);
    return rc == SQLITE_DONE ? NULL : db_err(st->db, "storing object");
}

/* Delete an object. */
gotk_err *store_del(store *st, const char *group, const char *res, const char *ns,
                    const char *name)
{
    bind_key(st->del, group, res, ns, name);
    int rc = sqlite3_step(st->del);
    sqlite3_reset(st->del);
    sqlite3_clear_bindings(st->del);
    return rc == SQLITE_DONE ? NULL : db_err(st->db, "deleting object");
}

/* Ordered scan of one resource. */
gotk_err *store_list(store *st, const char *group, const char *res, const char *ns,
                     const char *after_ns, const char *after_name, store_visit fn, void *ud)
{
    return store_list_pre(st, group, res, ns, after_ns, after_name, NULL, fn, ud);
}

gotk_err *store_list_pre(store *st, const char *group, const char *res, const char *ns,
                         const char *after_ns, const char *after_name, store_prefilter pre,
                         store_visit fn, void *ud)
{
    sqlite3_stmt *q;
    const char *sql =
        "SELECT ns, name, data FROM objects WHERE grp=?1 AND res=?2 "
        "AND (?3 IS NULL OR ns=?3) AND (?4 IS NULL OR (ns, name) > (?4, ?5)) "
        "ORDER BY ns, name";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st->db, "listing");
    sqlite3_bind_text(q, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, res, -1, SQLITE_STATIC);
    if (ns)
        sqlite3_bind_text(q, 3, ns, -1, SQLITE_STATIC);
    if (after_ns) {
        sqlite3_bind_text(q, 4, after_ns, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, after_name ? after_name : "", -1, SQLITE_STATIC);
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (pre && !pre((const char *)sqlite3_column_text(q, 2),
                        (size_t)sqlite3_column_bytes(q, 2), ud))
            continue;
        json_object *o = row_obj(q, 2);
        if (o && !fn(o, (const char *)sqlite3_column_text(q, 0),
                     (const char *)sqlite3_column_text(q, 1), ud))
            break;
    }
    sqlite3_finalize(q);
    return NULL;
}

/* Scan with a custom WHERE over (grp, res, ns). */
static gotk_err *scan_any(store *st, const char *sql, const char *ns, store_visit_any fn,
                          void *ud)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st->db, "scanning");
    if (ns)
        sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
    while (sqlite3_step(q) == SQLITE_ROW) {
        json_object *o = row_obj(q, 2);
        if (o && !fn((const char *)sqlite3_column_text(q, 0),
                     (const char *)sqlite3_column_text(q, 1), o, ud))
            break;
    }
    sqlite3_finalize(q);
    return NULL;
}

/* Every object in one namespace. */
gotk_err *store_list_ns(store *st, const char *ns, store_visit_any fn, void *ud)
{
    return scan_any(st, "SELECT grp, res, data FROM objects WHERE ns=?1 ORDER BY grp, res, name",
                    ns, fn, ud);
}

/* Every object. */
gotk_err *store_list_all(store *st, store_visit_any fn, void *ud)
{
    return scan_any(st, "SELECT grp, res, data FROM objects", NULL, fn, ud);
}

/* Objects whose JSON text contains `needle` (a cheap prefilter). */
gotk_err *store_list_containing(store *st, const char *needle, store_visit_any fn, void *ud)
{
    return scan_any(st, "SELECT grp, res, data FROM objects WHERE instr(data, ?1) > 0", needle,
                    fn, ud);
}

/* The object with a uid (visited once), if any. */
gotk_err *store_get_uid(store *st, const char *uid, store_visit_any fn, void *ud)
{
    return scan_any(st, "SELECT grp, res, data FROM objects WHERE uid=?1", uid, fn, ud);
}

/* Log one event in the open transaction. */
gotk_err *store_log_event(store *st, int64_t rev, const char *type, const char *group,
                          const char *res, const char *ns, const char *obj, const char *prev)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO events (rev,type,grp,res,ns,obj,prev) "
                           "VALUES (?,?,?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return db_err(st->db, "logging event");
    sqlite3_bind_int64(q, 1, rev);
    sqlite3_bind_text(q, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, group, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, res, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, ns ? ns : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, obj, -1, SQLITE_STATIC);
    if (prev)
        sqlite3_bind_text(q, 7, prev, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? NULL : db_err(st->db, "logging event");
}

/* The revision from which the event log is complete. */
int64_t store_events_floor(store *st)
{
    sqlite3_stmt *q;
    int64_t v = st->rev;
    if (sqlite3_prepare_v2(st->db, "SELECT v FROM meta WHERE k='events_floor'", -1, &q, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    return v;
}

/* Visit the newest `limit` logged events of every resource, oldest first per
 * resource. */
gotk_err *store_load_events(store *st, int limit, store_visit_event fn, void *ud)
{
    sqlite3_stmt *q;
    const char *sql =
        "SELECT rev, type, grp, res, ns, obj, prev FROM ("
        "  SELECT *, row_number() OVER (PARTITION BY grp, res ORDER BY rev DESC) AS n"
        "  FROM events) WHERE n <= ?1 ORDER BY grp, res, rev";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st->db, "loading events");
    sqlite3_bind_int(q, 1, limit);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *prev = (const char *)sqlite3_column_text(q, 6);
        fn(sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
           (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
           (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5), prev,
           ud);
    }
    sqlite3_finalize(q);
    return NULL;
}

/* Whether a namespace holds any object. */
bool store_ns_empty(store *st, const char *ns)
{
    sqlite3_stmt *q;
    bool empty = true;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM objects WHERE ns=?1 LIMIT 1", -1, &q, NULL) !=
        SQLITE_OK)
        return false;
    sqlite3_bind_text(q, 1, ns, -1, SQLITE_STATIC);
    empty = sqlite3_step(q) != SQLITE_ROW;
    sqlite3_finalize(q);
    return empty;
}
