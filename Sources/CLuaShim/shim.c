#include "CLuaShim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

struct Guard;
static struct Guard *guardOf(lua_State *L);
static void formatSeconds(char *out, size_t size, double seconds);
static int guardEnterSwift(lua_State *L);
static void guardLeaveSwift(lua_State *L, int saved);

static CLuaShim_Dispatch dispatcher = NULL;

void CLuaShim_setDispatch(CLuaShim_Dispatch dispatch) { dispatcher = dispatch; }

static int callSwift(lua_State *L) {
    void *context = lua_touserdata(L, lua_upvalueindex(1));
    int function = (int)lua_tointeger(L, lua_upvalueindex(2));
    /* Allocations may not fail while Swift runs (see "Guarded states"). */
    int saved = guardEnterSwift(L);
    int results = dispatcher(L, context, function);
    guardLeaveSwift(L, saved);
    if (results >= 0) return results;
    if (results == -2) return lua_error(L);  /* the message already says where */
    /* The dispatcher pushed a message: prefix the caller's position and raise. */
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
}

void CLuaShim_pushSwiftFunction(lua_State *L, void *context, int function) {
    lua_pushlightuserdata(L, context);
    lua_pushinteger(L, function);
    lua_pushcclosure(L, callSwift, 2);
}

int CLuaShim_readFields(lua_State *L, int index, const char *const *names, const size_t *lengths, int count,
                        struct CLuaShim_Field *fields) {
    index = lua_absindex(L, index);
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {    /* key at -2, value at -1 */
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 2);
            return 1;
        }
        size_t length = 0;
        const char *key = lua_tolstring(L, -2, &length);
        int k = 0;
        while (k < count && names[k] != key) k++;
        if (k == count) {
            for (k = 0; k < count; k++)
                if (names[k] != NULL && lengths[k] == length && memcmp(names[k], key, length) == 0) break;
        }
        if (k == count) {
            lua_pop(L, 1);               /* the key stays, for the message */
            return 2;
        }
        struct CLuaShim_Field *field = &fields[k];
        field->type = lua_type(L, -1);
        if (field->type == LUA_TNUMBER) field->number = lua_tonumberx(L, -1, NULL);
        else if (field->type == LUA_TSTRING) field->chars = lua_tolstring(L, -1, &field->length);
        lua_pop(L, 1);
    }
    return 0;
}

/* Levenshtein distance of two byte strings of at most 100 bytes. */
static size_t editDistance(const char *a, size_t la, const char *b, size_t lb) {
    size_t row[101];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t best = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (above + 1 < best) best = above + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

/* Pushes " (did you mean 'x'?)" for the string key of the names table at
 * `namesIndex` nearest to `key`, or "" when none is near: the rule of the
 * host's Suggest.nearest (a unique longer name that `key` starts, for keys of
 * four bytes or more; else the smallest edit distance, at most
 * max(2, shorter length / 3)), with ties going to the name first in byte
 * order, so that the message does not depend on the table's layout. */
static void pushSuggestion(lua_State *L, int namesIndex, const char *key, size_t keyLength) {
    namesIndex = lua_absindex(L, namesIndex);
    const char *best = NULL, *extension = NULL;
    size_t bestLength = 0, bestDistance = 0, extensionLength = 0;
    int extensions = 0;
    if (keyLength <= 100) {
        lua_pushnil(L);
        while (lua_next(L, namesIndex) != 0) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING) continue;
            size_t length;
            const char *name = lua_tolstring(L, -1, &length);   /* a string key: not changed in place */
            if (length > 100) continue;
            if (length > keyLength && memcmp(name, key, keyLength) == 0) {
                extensions++;
                extension = name;
                extensionLength = length;
            }
            size_t d = editDistance(key, keyLength, name, length);
            int earlier = best != NULL && strcmp(name, best) < 0;
            if (best == NULL || d < bestDistance || (d == bestDistance && earlier)) {
                best = name;    /* keys of the names table stay alive with it */
                bestLength = length;
                bestDistance = d;
            }
        }
    }
    if (keyLength >= 4 && extensions == 1) {
        lua_pushfstring(L, " (did you mean '%s'?)", extension);
        (void)extensionLength;
        return;
    }
    if (best != NULL) {
        size_t shorter = keyLength < bestLength ? keyLength : bestLength;
        size_t limit = shorter / 3 > 2 ? shorter / 3 : 2;
        if (bestDistance <= limit) {
            lua_pushfstring(L, " (did you mean '%s'?)", best);
            return;
        }
    }
    lua_pushliteral(L, "");
}

/* Pushes a key as a message shows it: a string quoted, cut to 77 bytes and
 * "..." when longer than 80 (at a UTF-8 character boundary), its NUL bytes
 * written \0 (so that no %s cuts it short); a number in brackets; any other
 * key by its type. */
static void pushKeyForMessage(lua_State *L, int index) {
    index = lua_absindex(L, index);
    if (lua_type(L, index) == LUA_TSTRING) {
        size_t length;
        const char *key = lua_tolstring(L, index, &length);
        size_t shown = length;
        if (length > 80) {
            shown = 77;
            while (shown > 0 && ((unsigned char)key[shown] & 0xC0) == 0x80) shown--;
        }
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_addchar(&b, '\'');
        for (size_t i = 0; i < shown; i++) {
            if (key[i] == '\0') luaL_addstring(&b, "\\0"); else luaL_addchar(&b, key[i]);
        }
        if (shown < length) luaL_addstring(&b, "...");
        luaL_addchar(&b, '\'');
        luaL_pushresult(&b);
    } else if (lua_type(L, index) == LUA_TNUMBER) {
        lua_pushfstring(L, "[%s]", luaL_tolstring(L, index, NULL));  /* a number has no __tostring to run */
        lua_remove(L, -2);
    } else {
        lua_pushfstring(L, "of type %s", luaL_typename(L, index));
    }
}

/* upvalues: 1 = names table, 2 = values (light userdata), 3 = what (string),
 * 4 = hint appended to "no field" errors (string) */
/* luaL_error positioned at the innermost Lua function on the stack rather than
 * at the caller alone: a view's metamethod may be reached through a C function
 * (`pairs`, `ipairs`), whose position would be empty. */
static int viewError(lua_State *L, const char *format, ...) {
    lua_Debug ar;
    int positioned = 0;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            positioned = 1;
            break;
        }
    }
    if (!positioned) lua_pushliteral(L, "");
    va_list arguments;
    va_start(arguments, format);
    lua_pushvfstring(L, format, arguments);
    va_end(arguments);
    lua_concat(L, 2);
    return lua_error(L);
}

/* The error of reading a field a view does not have: the key is at index 2;
 * upvalue 1 is the names table (for "did you mean"), 3 the view's name, 4 the
 * hint listing its fields (the layout of viewIndex and cachedViewFill). */
static int noFieldError(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(3));
    const char *hint = lua_tostring(L, lua_upvalueindex(4));
    if (lua_type(L, 2) == LUA_TSTRING) {
        size_t length;
        const char *key = lua_tolstring(L, 2, &length);
        pushSuggestion(L, lua_upvalueindex(1), key, length);
        int suggestion = lua_gettop(L);
        pushKeyForMessage(L, 2);  /* a huge string cannot make a huge message */
        return viewError(L, "%s has no field %s%s%s", what, lua_tostring(L, -1), lua_tostring(L, suggestion), hint);
    }
    return viewError(L, "%s has no field of type %s%s", what, luaL_typename(L, 2), hint);
}

static int viewIndex(lua_State *L) {
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    int type = lua_rawget(L, lua_upvalueindex(1));
    if (type == LUA_TNUMBER) {
        const double *values = (const double *)lua_touserdata(L, lua_upvalueindex(2));
        lua_Integer slot = lua_tointeger(L, -1);
        lua_pushnumber(L, values[slot]);
        return 1;
    }
    if (type != LUA_TNIL) return 1;
    return noFieldError(L);
}

static int viewNewIndex(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return viewError(L, "%s is read-only", what);
}

static int viewPairs(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return viewError(L, "%s cannot be iterated; read its fields by name", what);
}

static int viewLength(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return viewError(L, "%s has no length; read its fields by name", what);
}

/* Completes a view's metatable (on top of the stack): writes, iteration and
 * `#` raise errors naming `what`, __name makes Lua's own messages call the
 * view by that name ("table expected, got state"; a view is a userdata, so
 * setmetatable and the raw functions refuse it), and __metatable hides the
 * metatable (getmetatable returns false). */
static void setReadOnlyMetafields(lua_State *L, const char *what) {
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewNewIndex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewPairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewLength, 1);
    lua_setfield(L, -2, "__len");
    lua_pushstring(L, what);
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
}

void CLuaShim_pushView(lua_State *L, int namesIndex, const double *values, const char *what, const char *hint) {
    namesIndex = lua_absindex(L, namesIndex);
    lua_newuserdatauv(L, 0, 0);          /* the view: an empty userdata, as for cached views */
    lua_createtable(L, 0, 4);            /* its metatable */
    lua_pushvalue(L, namesIndex);
    lua_pushlightuserdata(L, (void *)values);
    lua_pushstring(L, what);
    lua_pushstring(L, hint ? hint : "");
    lua_pushcclosure(L, viewIndex, 4);
    lua_setfield(L, -2, "__index");
    setReadOnlyMetafields(L, what);
    lua_setmetatable(L, -2);
}

/* ---- Cached views: read-only records whose fields are plain table reads. ----
 *
 * A cached view is an empty proxy whose metatable's __index is a cache table,
 * so reading a field already in the cache is an ordinary table lookup (no C
 * call). The cache's own __index is cachedViewFill: the first read of a
 * field copies its current value into the cache and records the field in
 * the view's "used" lists; CLuaShim_pushCachedViewCall rewrites the used
 * fields from the values buffer before each hook call. A field therefore
 * always reads its current value, and a refresh costs only the fields a
 * scenario actually reads. Unknown names still raise "no field" errors
 * (from the fill function), and writes are refused as for CLuaShim_pushView.
 *
 * The view's bookkeeping table (returned below the proxy) holds: 1 = cache,
 * 2 = used field names, 3 = their slots (a UsedSlots userdata), 4 = month
 * labels. A slot of CLUASHIM_LABEL_SLOT + k stands for the label of month
 * values[0] + k. */

/* The slots of a view's used fields, in the order of its used-names list. */
#define CACHED_VIEW_MAX_FIELDS 64
struct CLuaShim_ViewGroup;
struct UsedSlots {
    int count;
    lua_Integer slots[CACHED_VIEW_MAX_FIELDS];
    struct CLuaShim_ViewGroup *group;    /* set by CLuaShim_linkCachedViews */
};

static void pushSlotValue(lua_State *L, lua_Integer slot, const double *values, int labelsIndex) {
    if (slot >= CLUASHIM_LABEL_SLOT) {
        lua_rawgeti(L, labelsIndex, (lua_Integer)values[0] + (slot - CLUASHIM_LABEL_SLOT));
    } else {
        lua_pushnumber(L, values[slot]);
    }
}

static void markGroupChanged(const struct UsedSlots *used);

/* upvalues: 1 = names table (name -> slot, or a constant value), 2 = values
 * (light userdata), 3 = what, 4 = hint, 5 = bookkeeping table */
static int cachedViewFill(lua_State *L) {
    lua_settop(L, 2);                    /* 1 = cache, 2 = key */
    lua_pushvalue(L, 2);
    int type = lua_rawget(L, lua_upvalueindex(1));
    if (type == LUA_TNIL) return noFieldError(L);
    if (type != LUA_TNUMBER) return 1;   /* a constant (a nested view): never cached */
    lua_Integer slot = lua_tointeger(L, 3);
    const double *values = (const double *)lua_touserdata(L, lua_upvalueindex(2));
    int book = lua_upvalueindex(5);
    lua_rawgeti(L, book, 4);             /* 4: labels */
    pushSlotValue(L, slot, values, 4);   /* 5: the value */
    lua_rawgeti(L, book, 3);             /* 6: used slots (UsedSlots) */
    struct UsedSlots *used = (struct UsedSlots *)lua_touserdata(L, 6);
    if (used->count < CACHED_VIEW_MAX_FIELDS) {  /* else: read through here every time */
        /* Record the field, then cache it. Both tables were made with room
         * for every field (see CLuaShim_pushCachedView), so neither store
         * allocates, and an error cannot leave a field cached but not
         * refreshed, or counted but not named. */
        lua_rawgeti(L, book, 2);         /* 7: used names */
        lua_pushvalue(L, 2);
        lua_rawseti(L, 7, used->count + 1);
        used->slots[used->count++] = slot;
        markGroupChanged(used);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 5);
        lua_rawset(L, 1);                /* cache[key] = value */
    }
    lua_pushvalue(L, 5);
    return 1;
}

void CLuaShim_pushCachedView(lua_State *L, int namesIndex, int labelsIndex, const double *values,
                             const char *what, const char *hint) {
    namesIndex = lua_absindex(L, namesIndex);
    labelsIndex = lua_absindex(L, labelsIndex);
    lua_createtable(L, 4, 0);            /* bookkeeping */
    int book = lua_gettop(L);
    lua_Integer fields = 0;              /* names in the view, to size the cache */
    lua_pushnil(L);
    while (lua_next(L, namesIndex) != 0) {
        fields++;
        lua_pop(L, 1);
    }
    /* The cache, with room for twice its fields: reads of a cached field are the
     * hook's commonest operation, and a sparser table has fewer collisions. */
    lua_createtable(L, 0, 2 * (int)fields);
    lua_createtable(L, 0, 1);            /* its metatable */
    lua_pushvalue(L, namesIndex);
    lua_pushlightuserdata(L, (void *)values);
    lua_pushstring(L, what);
    lua_pushstring(L, hint ? hint : "");
    lua_pushvalue(L, book);
    lua_pushcclosure(L, cachedViewFill, 5);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    /* Constants (nested views) go into the cache at once. */
    lua_pushnil(L);
    while (lua_next(L, namesIndex) != 0) {
        if (lua_type(L, -1) != LUA_TNUMBER) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_rawseti(L, book, 1);             /* book[1] = cache */
    lua_createtable(L, CACHED_VIEW_MAX_FIELDS, 0);
    lua_rawseti(L, book, 2);
    struct UsedSlots *used = (struct UsedSlots *)lua_newuserdatauv(L, sizeof(struct UsedSlots), 0);
    used->count = 0;
    used->group = NULL;
    lua_rawseti(L, book, 3);
    lua_pushvalue(L, labelsIndex);
    lua_rawseti(L, book, 4);
    /* The proxy: an empty userdata, so that a read goes straight to the
     * metatable (an empty table would first be searched in vain), and raw
     * access (rawget, rawset, next) is refused rather than let through. */
    lua_newuserdatauv(L, 0, 0);
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, book, 1);
    lua_setfield(L, -2, "__index");
    setReadOnlyMetafields(L, what);
    lua_setmetatable(L, -2);
}

/* Rewrites, from C, the used fields of the views whose bookkeeping tables
 * are listed in the array at `booksIndex`: the fallback of
 * CLuaShim_pushCachedViewCall. Cannot raise except for lack of memory
 * (only existing cache entries are set). */
static void refreshCachedViews(lua_State *L, int booksIndex, const double *values) {
    booksIndex = lua_absindex(L, booksIndex);
    lua_Integer count = (lua_Integer)lua_rawlen(L, booksIndex);
    for (lua_Integer b = 1; b <= count; b++) {
        lua_rawgeti(L, booksIndex, b);   /* the view's bookkeeping */
        int book = lua_gettop(L);
        lua_rawgeti(L, book, 3);
        const struct UsedSlots *used = (const struct UsedSlots *)lua_touserdata(L, -1);
        if (used->count == 0) {          /* nothing read from this view yet */
            lua_settop(L, book - 1);
            continue;
        }
        lua_rawgeti(L, book, 1);         /* cache */
        lua_rawgeti(L, book, 2);         /* used names */
        lua_rawgeti(L, book, 4);         /* labels */
        int cache = book + 2, names = book + 3, labels = book + 4;
        for (int i = 0; i < used->count; i++) {
            if (lua_rawgeti(L, names, i + 1) == LUA_TNIL) {  /* cannot happen; never raise here */
                lua_pop(L, 1);
                continue;
            }
            pushSlotValue(L, used->slots[i], values, labels);
            lua_rawset(L, cache);
        }
        lua_settop(L, book - 1);
    }
}

/* ---- Refreshing a group of cached views in the call itself. ----
 *
 * Refreshing from C costs a few API calls per field (fetch the name, push
 * the value, a raw set that hashes the name). A group of views (`state` with
 * its nested `va` and `ytd`) therefore gets a small Lua function, written
 * here whenever a view of the group has handed out a new field: it takes the
 * current values of every used field as arguments, stores each into its
 * cache with a constant-key assignment, and tail-calls the hook with its
 * view (both upvalues, as are the caches). A month's call is then one
 * registry lookup, N pushes and N table stores in the virtual machine,
 * inside the same guarded call as the hook. The function
 * is host code (only the views' own field names, which must be plain
 * identifiers, go into it); when it cannot be made, the group is refreshed
 * from C as before. The tail call leaves no frame of its own, so the hook's
 * errors read exactly as when it is called directly. */

#define VIEW_GROUP_MAX_VIEWS 8
#define VIEW_GROUP_MAX_ARGUMENTS 120     /* well inside Lua's 200 locals */

struct CLuaShim_ViewGroup {
    int changed;                         /* a field was added since the function was made */
    int views;
    int arguments;                       /* the function's value arguments; -1: refresh from C */
    int hookIsC;                         /* the hook is a C function: always refresh from C */
    /* Registry references: the group table (whose books 1..n are the views'
     * bookkeeping tables), the hook, its view, and the refresh-and-call
     * function (LUA_NOREF while there is none). */
    int groupRef, hookRef, viewRef, functionRef;
    const struct UsedSlots *used[VIEW_GROUP_MAX_VIEWS];
    /* The function's value arguments in order: the used slots of every view. */
    lua_Integer slots[VIEW_GROUP_MAX_ARGUMENTS];
};

/* Key of the group table besides its books 1..n: the ViewGroup userdata. */
#define GROUP_STATE_KEY (-1)

static void markGroupChanged(const struct UsedSlots *used) {
    if (used->group != NULL) used->group->changed = 1;
}

struct CLuaShim_ViewGroup *CLuaShim_linkCachedViews(lua_State *L, int groupIndex, int hookRef, int viewRef) {
    groupIndex = lua_absindex(L, groupIndex);
    struct CLuaShim_ViewGroup *group = (struct CLuaShim_ViewGroup *)lua_newuserdatauv(L, sizeof(struct CLuaShim_ViewGroup), 0);
    memset(group, 0, sizeof *group);
    lua_Integer views = (lua_Integer)lua_rawlen(L, groupIndex);
    group->views = views <= VIEW_GROUP_MAX_VIEWS ? (int)views : 0;
    group->changed = group->views > 0;
    group->arguments = -1;                          /* refreshed from C until a function is made */
    group->hookRef = hookRef;
    group->viewRef = viewRef;
    group->functionRef = LUA_NOREF;
    if (hookRef != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, hookRef);
        group->hookIsC = lua_iscfunction(L, -1);
        lua_pop(L, 1);
    }
    for (int v = 0; v < group->views; v++) {
        lua_rawgeti(L, groupIndex, v + 1);          /* the book */
        lua_rawgeti(L, -1, 3);
        struct UsedSlots *used = (struct UsedSlots *)lua_touserdata(L, -1);
        used->group = group;
        group->used[v] = used;
        lua_pop(L, 1);
        lua_pushvalue(L, -2);
        lua_rawseti(L, -2, 5);                      /* book[5]: keeps the group alive */
        lua_pop(L, 1);
    }
    lua_rawseti(L, groupIndex, GROUP_STATE_KEY);
    lua_pushvalue(L, groupIndex);
    group->groupRef = luaL_ref(L, LUA_REGISTRYINDEX);
    return group;
}

static int isPlainName(const char *name, size_t length) {
    if (length == 0 || length > 60) return 0;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return 0;
    }
    return 1;
}

/* Writes the group's function (see above) and keeps a reference to it, or
 * leaves the group to be refreshed from C. `group` is the stack index of the
 * group table. Runs outside guarded calls, so nothing here can fail for the
 * memory cap. */
static void rebuildGroupFunction(lua_State *L, int group, struct CLuaShim_ViewGroup *g) {
    int top = lua_gettop(L);
    g->changed = 0;
    g->arguments = -1;
    luaL_unref(L, LUA_REGISTRYINDEX, g->functionRef);
    g->functionRef = LUA_NOREF;
    int total = 0;
    for (int v = 0; v < g->views; v++) total += g->used[v]->count;
    if (total > VIEW_GROUP_MAX_ARGUMENTS) return;
    /* Each piece below is far shorter than its share: names are at most 60 bytes
     * of letters, digits and '_', so they need no escaping inside quotes. */
    size_t size = 200 + 8 * (size_t)g->views + 110 * (size_t)total;
    char *code = (char *)malloc(size);
    if (code == NULL) return;
    size_t n = 0;
#define APPEND(...) (n += (size_t)snprintf(code + n, size - n, __VA_ARGS__))
    APPEND("local hook, view, labels");
    for (int v = 1; v <= g->views; v++) APPEND(", c%d", v);
    APPEND(" = ...\nreturn function(");
    for (int a = 1; a <= total; a++) APPEND(a == 1 ? "a%d" : ", a%d", a);
    APPEND(")\n");
    int a = 0, ok = 1;
    for (int v = 0; v < g->views && ok; v++) {
        lua_rawgeti(L, group, v + 1);
        lua_rawgeti(L, -1, 2);                      /* used names */
        for (int i = 0; i < g->used[v]->count && ok; i++) {
            size_t length = 0;
            const char *name = lua_rawgeti(L, -1, i + 1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : NULL;
            ok = name != NULL && isPlainName(name, length);
            a++;
            if (!ok) break;
            g->slots[a - 1] = g->used[v]->slots[i];
            if (g->used[v]->slots[i] >= CLUASHIM_LABEL_SLOT) APPEND("c%d[\"%s\"] = labels[a%d]\n", v + 1, name, a);
            else APPEND("c%d[\"%s\"] = a%d\n", v + 1, name, a);
            lua_pop(L, 1);
        }
        lua_settop(L, top);
    }
    APPEND("return hook(view)\nend\n");
#undef APPEND
    int loaded = ok && n < size && luaL_loadbufferx(L, code, n, "=(state refresh)", "t") == LUA_OK;
    free(code);
    if (!loaded) {
        lua_settop(L, top);
        return;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, g->hookRef);
    lua_rawgeti(L, LUA_REGISTRYINDEX, g->viewRef);
    lua_rawgeti(L, group, 1);
    lua_rawgeti(L, -1, 4);                          /* labels */
    lua_remove(L, -2);
    for (int v = 0; v < g->views; v++) {
        lua_rawgeti(L, group, v + 1);
        lua_rawgeti(L, -1, 1);                      /* cache */
        lua_remove(L, -2);
    }
    if (lua_pcall(L, 3 + g->views, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TFUNCTION) {
        g->functionRef = luaL_ref(L, LUA_REGISTRYINDEX);
        g->arguments = total;
    }
    lua_settop(L, top);
}

int CLuaShim_pushCachedViewCall(lua_State *L, struct CLuaShim_ViewGroup *g, const double *values) {
    if (g->changed) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->groupRef);
        rebuildGroupFunction(L, lua_gettop(L), g);
        lua_pop(L, 1);
    }
    /* Refreshed from C: a group without a function, a call without stack room
     * for the values, and a C function as the hook (it would see the
     * generated function as its caller in messages). */
    if (g->arguments < 0 || g->hookIsC || !lua_checkstack(L, 2 + g->arguments)) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->hookRef);
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->viewRef);
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->groupRef);
        refreshCachedViews(L, -1, values);
        lua_pop(L, 1);
        return 1;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, g->functionRef);
    const lua_Integer *slots = g->slots;
    for (int a = 0, n = g->arguments; a < n; a++) {
        lua_Integer slot = slots[a];
        if (slot >= CLUASHIM_LABEL_SLOT)
            lua_pushinteger(L, (lua_Integer)values[0] + (slot - CLUASHIM_LABEL_SLOT));
        else
            lua_pushnumber(L, values[slot]);
    }
    return g->arguments;
}


/* ---- Guarded states: a memory cap and a time limit per call. ----
 *
 * Memory. Every allocation of a state goes through guardedAlloc, which keeps
 * the bytes in use. Growing past the cap fails (Lua then runs an emergency
 * collection, retries, and raises its memory error) only while the state is
 * "strict": inside CLuaShim_guardedPcall or CLuaShim_guardedLoad, with no
 * Swift frame above them. callSwift clears the flag while a Swift callback
 * runs, and the host's own Swift code runs outside any guarded call, so an
 * allocation made with a Swift frame on the C stack never fails because of
 * the cap: the state may overdraw, by what one callback pushes, and the next
 * Lua allocation after the callback returns fails instead. A longjmp
 * therefore never crosses a Swift frame on account of the cap. A real
 * out-of-memory (malloc itself failing) while not strict aborts with a
 * message, as nothing could recover from it safely.
 *
 * Time. Each guarded call has a deadline. A watchdog thread, started with
 * the first state that has a time limit, wakes every WATCHDOG_PERIOD_NS and
 * sends WATCHDOG_SIGNAL to the thread of any guarded call past its deadline.
 * A call takes its start from the coarse monotonic clock where there is one
 * (cheaper to read than the precise clock, and a hook run makes 24 calls),
 * plus twice that clock's resolution: it lags the precise clock by one timer
 * tick, and by a little more when a tick is handled late, so that a call is
 * not stopped before its limit (and is stopped, as before, within about a
 * watchdog period after it).
 * The signal handler, running on that very thread, installs a count hook on
 * the call's state: exactly what the reference interpreter does on Ctrl-C,
 * and what lua_sethook is written to allow from a signal handler. The hook
 * then records a message naming the running function's file and line and
 * raises, and raises again at every following instruction, so a scenario's
 * own pcall or xpcall cannot swallow it (guardedPcall replaces whatever the
 * call returns with that message). At the end of the call the hook is
 * removed. So a call that keeps to its time runs with no hook at all: a
 * count hook, even one that fires rarely, sends every Lua instruction
 * through the interpreter's slow path (`liaosim-fuzz --bench` measures it).
 *
 * The handler touches only its own thread's state (a thread-local pointer
 * to the guard of the call running there), and the watchdog never touches
 * a lua_State: it reads the guard's deadline and thread. That read and the
 * signal are bracketed by `signalling`, which the ending call waits on after
 * clearing its deadline, so a thread is never signalled after it has left
 * its call and perhaps ended, and it signals each overdue call once. Worker
 * threads of the system's thread pools may start with signals blocked; a
 * guarded call unblocks WATCHDOG_SIGNAL on its thread once. The watchdog
 * starts only if nothing else handles its signal. Scenario code has no coroutines (see Sandbox.swift),
 * so the call's state is the only Lua thread that can be running. */

#define WATCHDOG_PERIOD_NS (20 * 1000 * 1000)
#ifdef SIGRTMIN
#define WATCHDOG_SIGNAL (SIGRTMIN + 7)
#else
#define WATCHDOG_SIGNAL SIGUSR2
#endif

struct Guard {
    size_t used, peak, cap;       /* cap 0: none */
    int strict;                   /* allocations may fail (see above) */
    int refused;                  /* an allocation hit the cap in this call */
    int closing;                  /* lua_close is running */
    lua_State *L;
    double timeLimit;             /* seconds per guarded call; 0: none */
    _Atomic long long deadline;   /* monotonic nanoseconds; 0: no call running */
    _Atomic int signalling;       /* the watchdog is reading `thread` and signalling it */
    long long signalled;          /* the deadline of the call last signalled (watchdog only) */
    long long signalledAt;        /* when it was signalled (watchdog only) */
    pthread_t thread;             /* of the running guarded call */
    volatile sig_atomic_t overdue; /* the watchdog found the call past its deadline */
    int tripped;                  /* the deadline passed in this call */
    char message[600];
    char source[256];             /* the scenario file, for a stuck call's message */
};

static long long monotonicNanoseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* A time no earlier than now on the monotonic clock, read cheaply: the
 * coarse clock (the monotonic clock as of the last timer tick) plus twice its
 * resolution (a tick may be handled late), where the system has one; else
 * the clock itself. */
#ifdef CLOCK_MONOTONIC_COARSE
static long long coarseResolution = -1;   /* set with the watchdog, before any deadline */
static long long monotonicNanosecondsNotBefore(void) {
    struct timespec now;
    if (coarseResolution < 0 || clock_gettime(CLOCK_MONOTONIC_COARSE, &now) != 0) return monotonicNanoseconds();
    return (long long)now.tv_sec * 1000000000LL + now.tv_nsec + 2 * coarseResolution;
}
#else
static long long monotonicNanosecondsNotBefore(void) { return monotonicNanoseconds(); }
#endif

/* The guard of the guarded call running on this thread, if any. */
static _Thread_local struct Guard *volatile runningGuard = NULL;
static _Thread_local int watchdogSignalUnblocked = 0;

static pthread_mutex_t watchLock = PTHREAD_MUTEX_INITIALIZER;
/* Set when a stop (Ctrl-C, SIGTERM) ends the runs in progress: every call
 * running then, and every call after it, is past its deadline at once. */
static _Atomic int interruptRequested = 0;
static struct Guard **watched = NULL;     /* guards with a time limit */
static int watchedCount = 0, watchedCapacity = 0;
static pthread_once_t watchdogOnce = PTHREAD_ONCE_INIT;
static int watchdogRunning = 0;

static void guardHook(lua_State *L, lua_Debug *ar);
static struct Guard *guardOf(lua_State *L);

static void watchdogSignalHandler(int signal) {
    (void)signal;
    int savedErrno = errno;
    struct Guard *g = runningGuard;
    if (g != NULL) {
        long long deadline = atomic_load(&g->deadline);
        if (deadline != 0 && monotonicNanoseconds() >= deadline) {
            g->overdue = 1;
            lua_sethook(g->L, guardHook, LUA_MASKCOUNT, 1);
        }
    }
    errno = savedErrno;
}

/* A call still running its time limit (at least 2 s) past its deadline, after
 * its signal, is stuck inside a C function (a string pattern that backtracks over a long
 * subject, say), where the hook that stops it cannot run. Nothing can end
 * such a call safely on its own thread, so the process stops: the handler the
 * host set (which removes its temporary files) or a message and exit 65. */
static void (*stuckCallHandler)(const char *message) = NULL;

void CLuaShim_setStuckCallHandler(void (*handler)(const char *message)) { stuckCallHandler = handler; }

void CLuaShim_setSourceName(lua_State *L, const char *name) {
    struct Guard *g = guardOf(L);
    if (g != NULL) snprintf(g->source, sizeof g->source, "%s", name);
}

static void stopStuckCall(struct Guard *g) {
    char message[600];
    char limit[64];
    formatSeconds(limit, sizeof limit, g->timeLimit);
    snprintf(message, sizeof message,
             "%s: stopped: a call into the scenario has run for more than %s and is stuck inside a "
             "library function that cannot be interrupted (a string pattern that backtracks over a long string?); "
             "liaosim stops. Simplify that call, or raise --time-limit if it really needs longer",
             g->source[0] ? g->source : "scenario", limit);
    if (stuckCallHandler != NULL) stuckCallHandler(message);
    fprintf(stderr, "liaosim: error: %s\n", message);
    _exit(65);
}

static void *watchdogMain(void *unused) {
    (void)unused;
    long long previous = monotonicNanoseconds();
    for (;;) {
        struct timespec pause = {0, WATCHDOG_PERIOD_NS};
        nanosleep(&pause, NULL);
        long long now = monotonicNanoseconds();
        /* A tick far later than due (the process was stopped, the machine
         * suspended): calls may not have had their grace; start it again. */
        int overslept = now - previous > 50LL * WATCHDOG_PERIOD_NS;
        previous = now;
        pthread_mutex_lock(&watchLock);
        for (int i = 0; i < watchedCount; i++) {
            struct Guard *g = watched[i];
            atomic_store(&g->signalling, 1);
            long long deadline = atomic_load(&g->deadline);
            /* One signal per call: the handler installs the hook at once,
             * and it fires as soon as the call runs Lua again. */
            if (deadline != 0 && now >= deadline && deadline != g->signalled) {
                pthread_kill(g->thread, WATCHDOG_SIGNAL);
                g->signalled = deadline;
                g->signalledAt = now;
            } else if (deadline != 0 && deadline == g->signalled) {
                /* After a stop (Ctrl-C), 2 s: the stop should not wait out the time limit. */
                double grace = g->timeLimit > 2 && !atomic_load(&interruptRequested) ? g->timeLimit : 2;
                if (overslept) g->signalledAt = now;
                else if (now - g->signalledAt > (long long)(grace * 1e9)) stopStuckCall(g);
            }
            atomic_store(&g->signalling, 0);
        }
        pthread_mutex_unlock(&watchLock);
    }
    return NULL;
}

static void startWatchdog(void) {
#ifdef CLOCK_MONOTONIC_COARSE
    struct timespec resolution;
    if (clock_getres(CLOCK_MONOTONIC_COARSE, &resolution) == 0 && resolution.tv_sec == 0)
        coarseResolution = resolution.tv_nsec;
#endif
    struct sigaction action, previous;
    /* The signal must be free: taking over another handler would break it. */
    if (sigaction(WATCHDOG_SIGNAL, NULL, &previous) != 0 || previous.sa_handler != SIG_DFL) return;
    memset(&action, 0, sizeof action);
    action.sa_handler = watchdogSignalHandler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(WATCHDOG_SIGNAL, &action, NULL) != 0) return;
    /* The watchdog itself never takes the signal. */
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    watchdogRunning = pthread_create(&thread, &attributes, watchdogMain, NULL) == 0;
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

void CLuaShim_interruptCalls(void) {
    atomic_store(&interruptRequested, 1);
    long long now = monotonicNanoseconds();
    pthread_mutex_lock(&watchLock);
    for (int i = 0; i < watchedCount; i++) {
        /* Only a call running now: a deadline of 0 means none, and stays so. */
        long long deadline = atomic_load(&watched[i]->deadline);
        while (deadline > now && !atomic_compare_exchange_weak(&watched[i]->deadline, &deadline, now)) {}
    }
    pthread_mutex_unlock(&watchLock);
}

/* Puts a guard with a time limit under the watchdog; 0 if no watchdog could be started. */
static int watch(struct Guard *g) {
    pthread_once(&watchdogOnce, startWatchdog);
    if (!watchdogRunning) return 0;
    pthread_mutex_lock(&watchLock);
    if (watchedCount == watchedCapacity) {
        int capacity = watchedCapacity ? 2 * watchedCapacity : 16;
        struct Guard **grown = (struct Guard **)realloc(watched, (size_t)capacity * sizeof *grown);
        if (grown == NULL) {
            pthread_mutex_unlock(&watchLock);
            return 0;
        }
        watched = grown;
        watchedCapacity = capacity;
    }
    watched[watchedCount++] = g;
    pthread_mutex_unlock(&watchLock);
    return 1;
}

static void unwatch(struct Guard *g) {
    pthread_mutex_lock(&watchLock);
    for (int i = 0; i < watchedCount; i++) {
        if (watched[i] == g) {
            watched[i] = watched[--watchedCount];
            break;
        }
    }
    pthread_mutex_unlock(&watchLock);
}

static void *guardedAlloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* The guard of a state made by CLuaShim_newGuardedState, else NULL. */
static struct Guard *guardOf(lua_State *L) {
    void *ud = NULL;
    lua_Alloc f = lua_getallocf(L, &ud);
    return f == guardedAlloc ? (struct Guard *)ud : NULL;
}

static void *guardedAlloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    struct Guard *g = (struct Guard *)ud;
    size_t old = ptr ? osize : 0;  /* without ptr, osize is a type tag */
    if (nsize == 0) {
        free(ptr);
        g->used -= old;
        return NULL;
    }
    if (nsize > old && g->cap != 0 && g->used - old + nsize > g->cap && g->strict) {
        g->refused = 1;
        return NULL;
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        if (nsize <= old) return ptr;   /* shrinking may not fail: keep the block */
        if (!g->strict) {
            fputs("liaosim: out of memory (the machine's, not the scenario's limit)\n", stderr);
            abort();
        }
        g->refused = 1;
        return NULL;
    }
    g->used = g->used - old + nsize;
    if (g->used > g->peak) g->peak = g->used;
    return block;
}

static void formatSeconds(char *out, size_t size, double seconds) {
    snprintf(out, size, "%g second%s", seconds, seconds == 1 ? "" : "s");
}

static void guardHook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    struct Guard *g = guardOf(L);
    if (g->closing) {
        lua_pushstring(L, "scenario code cannot run while the scenario closes");
        lua_error(L);
    }
    if (!g->tripped) {
        if (!g->overdue) {
            /* Left over from a call that has ended: not this call's stop. */
            lua_sethook(L, NULL, 0, 0);
            return;
        }
        g->tripped = 1;
        char limit[64];
        formatSeconds(limit, sizeof limit, g->timeLimit);
        lua_Debug here;
        const char *where = "";
        char position[300] = "";
        /* The innermost line of the scenario's own code: the host's sandbox
         * functions (table.sort, say) are passed over to their caller. */
        for (int level = 0; lua_getstack(L, level, &here); level++) {
            if (!lua_getinfo(L, "Sl", &here) || here.currentline <= 0) continue;
            if (strcmp(here.source, "@liaosim sandbox") == 0) continue;
            snprintf(position, sizeof position, "%s:%d: ", here.short_src, here.currentline);
            where = position;
            break;
        }
        if (atomic_load(&interruptRequested))
            snprintf(g->message, sizeof g->message, "%sstopped by Ctrl-C or SIGTERM", where);
        else
            snprintf(g->message, sizeof g->message,
                     "%sstopped: the scenario ran for more than %s without returning (an endless loop?); "
                     "raise the time limit if it really needs longer", where, limit);
        lua_sethook(L, guardHook, LUA_MASKCOUNT, 1);  /* raise again at every instruction */
    }
    lua_pushstring(L, g->message);
    lua_error(L);
}

static int guardPanic(lua_State *L) {
    const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
    fprintf(stderr, "liaosim: internal error: unprotected Lua error: %s\n", message);
    abort();
    return 0;
}

lua_State *CLuaShim_newGuardedState(size_t memoryCap, double timeLimitSeconds) {
    struct Guard *g = (struct Guard *)calloc(1, sizeof *g);
    if (g == NULL) return NULL;
    g->cap = memoryCap;
    g->timeLimit = timeLimitSeconds > 0 ? timeLimitSeconds : 0;
    lua_State *L = lua_newstate(guardedAlloc, g);
    if (L == NULL) { free(g); return NULL; }
    lua_atpanic(L, guardPanic);
    g->L = L;
    if (g->timeLimit > 0 && !watch(g)) {
        lua_close(L);
        free(g);
        return NULL;
    }
    return L;
}

void CLuaShim_closeGuardedState(lua_State *L) {
    struct Guard *g = guardOf(L);
    g->closing = 1;
    g->strict = 0;
    if (g->timeLimit > 0) unwatch(g);
    lua_sethook(L, guardHook, LUA_MASKCOUNT, 1);  /* a __close handler run by lua_close raises */
    lua_close(L);
    free(g);
}

/* Returns the previous strictness, or -1 when the state is closing (the
 * engine behind the callback may be gone: nothing may call it). */
static int guardEnterSwift(lua_State *L) {
    struct Guard *g = guardOf(L);
    if (g == NULL) return 0;
    if (g->closing) {
        lua_pushstring(L, "scenario code cannot run while the scenario closes");
        lua_error(L);
    }
    int saved = g->strict;
    g->strict = 0;
    return saved;
}

static void guardLeaveSwift(lua_State *L, int saved) {
    struct Guard *g = guardOf(L);
    if (g != NULL) g->strict = saved;
}

size_t CLuaShim_memoryInUse(lua_State *L) { return guardOf(L)->used; }
size_t CLuaShim_memoryPeak(lua_State *L) { return guardOf(L)->peak; }

/* Replaces the error on top of the stack after a failed or tripped call. */
static int limitStatus(lua_State *L, struct Guard *g, int status, int base) {
    if (g->tripped) {
        lua_settop(L, base);
        lua_pushstring(L, g->message);
        return CLUASHIM_ERRTIME;
    }
    if (status != LUA_OK && g->refused) {
        const char *text = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (status == LUA_ERRMEM || (text && strstr(text, "not enough memory"))) {
            char message[200];
            snprintf(message, sizeof message,
                     "the scenario used more than %zu MiB of memory; raise the memory limit if it really needs more",
                     g->cap >> 20);
            lua_settop(L, base);
            lua_pushstring(L, message);  /* not strict: cannot fail */
            return CLUASHIM_ERRMEMORY;
        }
    }
    return status;
}

int CLuaShim_guardedPcall(lua_State *L, int nargs, int nresults) {
    struct Guard *g = guardOf(L);
    int base = lua_gettop(L) - nargs - 1;
    int savedStrict = g->strict;
    /* A call made while another runs on the state (from a Swift callback)
     * keeps the outer call's deadline and stop for when it returns. */
    int savedTripped = g->tripped;
    sig_atomic_t savedOverdue = g->overdue;
    long long savedDeadline = atomic_load(&g->deadline);
    struct Guard *savedRunning = runningGuard;
    g->refused = 0;
    g->tripped = 0;
    g->overdue = 0;
    if (g->timeLimit > 0) {
        if (!watchdogSignalUnblocked) {
            sigset_t signals;
            sigemptyset(&signals);
            sigaddset(&signals, WATCHDOG_SIGNAL);
            pthread_sigmask(SIG_UNBLOCK, &signals, NULL);
            watchdogSignalUnblocked = 1;
        }
        g->thread = pthread_self();
        runningGuard = g;
        double limit = g->timeLimit < 1e9 ? g->timeLimit : 1e9;  /* 31 years: keeps the sum in range */
        /* Release: the watchdog, seeing this deadline, also sees `thread`.
         * Only the store that ends the call needs the full barrier (it is
         * followed by the read of `signalling`). */
        long long start = monotonicNanosecondsNotBefore();
        atomic_store_explicit(&g->deadline, atomic_load_explicit(&interruptRequested, memory_order_relaxed) ? start : start + (long long)(limit * 1e9),
                              memory_order_release);
    }
    g->strict = 1;
    int status = lua_pcall(L, nargs, nresults, 0);
    g->strict = savedStrict;
    if (g->timeLimit > 0) {
        atomic_store(&g->deadline, savedDeadline);
        while (atomic_load(&g->signalling)) sched_yield();  /* let the watchdog finish signalling */
        runningGuard = savedRunning;
        if (lua_gethook(L) != NULL) lua_sethook(L, NULL, 0, 0);
    }
    /* Only a call stopped by its time limit or refused memory needs limitStatus
     * (the same tests as its own): the usual call skips it. */
    if (g->tripped || (status != LUA_OK && g->refused)) status = limitStatus(L, g, status, base);
    g->tripped = savedTripped;
    g->overdue = savedOverdue;
    if (savedTripped || savedOverdue) lua_sethook(L, guardHook, LUA_MASKCOUNT, 1);  /* the outer call's stop goes on */
    return status;
}

int CLuaShim_guardedLoad(lua_State *L, const char *buffer, size_t size, const char *name) {
    struct Guard *g = guardOf(L);
    int base = lua_gettop(L);
    int savedStrict = g->strict, savedRefused = g->refused;
    g->refused = 0;
    g->strict = 1;  /* lua_load is protected: a memory error comes back as a status */
    int status = luaL_loadbufferx(L, buffer, size, name, "t");
    g->strict = savedStrict;
    if (status != LUA_OK && g->refused) status = limitStatus(L, g, status, base);
    g->refused = g->refused || savedRefused;
    return status;
}

/* ---- Sandbox helpers. ---- */

/* setmetatable as in the base library, but refusing metatables with a __gc
 * field: a finalizer would run scenario code during a garbage collection,
 * which may happen while Swift code is on the stack or while the state
 * closes. (Lua marks an object for finalization only if __gc is present when
 * the metatable is set, so checking here is enough.) */
static int sandboxSetmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc finalizers are not available in scenarios");
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

void CLuaShim_installSandboxSetmetatable(lua_State *L) {
    lua_pushglobaltable(L);
    lua_pushliteral(L, "setmetatable");
    lua_pushcfunction(L, sandboxSetmetatable);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* ---- pairs in a reproducible order. ----
 *
 * Lua seeds its string hashes from addresses and the time, so the order in
 * which `next` visits a table's string keys differs between Lua states
 * (each worker has one) and between runs of the program. A scenario that
 * adds up values in a pairs loop, or stops at the first key it meets, would
 * then give results that depend on the threads. The sandbox's pairs visits
 * keys in a fixed order instead: numbers ascending, then strings by their
 * bytes, then false and true, then any other keys (tables, functions) in
 * the table's own order. A table whose keys are exactly 1..n, in order,
 * already is in that order and is iterated with plain next; any other is
 * iterated over a sorted snapshot of its keys (a key whose value is cleared
 * during the loop is skipped; keys added during it are not visited, as Lua
 * leaves them undefined). __pairs is honoured as by Lua's own pairs. */

static int keyRank(lua_State *L, int index) {
    switch (lua_type(L, index)) {
    case LUA_TNUMBER: return 0;
    case LUA_TSTRING: return 1;
    case LUA_TBOOLEAN: return 2;
    default: return 3;
    }
}

/* The order of keys: a strict weak order (other keys are all equivalent). */
static int orderedKeyLess(lua_State *L) {
    int a = keyRank(L, 1), b = keyRank(L, 2);
    if (a != b) {
        lua_pushboolean(L, a < b);
        return 1;
    }
    int less = 0;
    if (a == 0) {
        less = lua_compare(L, 1, 2, LUA_OPLT);
    } else if (a == 1) {
        size_t la, lb;
        const char *sa = lua_tolstring(L, 1, &la), *sb = lua_tolstring(L, 2, &lb);
        int c = memcmp(sa, sb, la < lb ? la : lb);
        less = c < 0 || (c == 0 && la < lb);
    } else if (a == 2) {
        less = !lua_toboolean(L, 1) && lua_toboolean(L, 2);
    }
    lua_pushboolean(L, less);
    return 1;
}

/* upvalues: 1 = sorted keys, 2 = the table, 3 = position of the last key given */
static int orderedNext(lua_State *L) {
    lua_Integer position = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        position++;
        if (lua_rawgeti(L, lua_upvalueindex(1), position) == LUA_TNIL) {
            lua_pushinteger(L, position - 1);
            lua_replace(L, lua_upvalueindex(3));
            return 1;                                   /* nil: done */
        }
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) break;
        lua_pop(L, 2);                                  /* cleared during the loop */
    }
    lua_pushinteger(L, position);
    lua_replace(L, lua_upvalueindex(3));
    return 2;
}

static int rawNext(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

/* Pushes the three values of a reproducible iteration over the table at
 * `index`. `sort` is the stack index of the original table.sort. */
static void pushOrderedIteration(lua_State *L, int index, int sort, int allowPlain) {
    index = lua_absindex(L, index);
    sort = lua_absindex(L, sort);
    /* Keys exactly 1..n in next's order: plain next visits them in order. */
    lua_Integer expected = 1;
    int plain = allowPlain;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_pop(L, 1);
        if (plain && (!lua_isinteger(L, -1) || lua_tointeger(L, -1) != expected)) plain = 0;
        expected++;
    }
    if (plain) {
        lua_pushcfunction(L, rawNext);
        lua_pushvalue(L, index);
        lua_pushnil(L);
        return;
    }
    lua_createtable(L, (int)(expected - 1), 0);        /* the keys */
    int keys = lua_gettop(L);
    lua_Integer count = 0;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++count);
    }
    lua_pushvalue(L, sort);
    lua_pushvalue(L, keys);
    lua_pushcfunction(L, orderedKeyLess);
    lua_call(L, 2, 0);
    lua_pushvalue(L, index);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, orderedNext, 3);                /* keys, table, position */
    lua_pushvalue(L, index);
    lua_pushnil(L);
}

/* upvalue 1: the original table.sort */
static int sandboxPairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    pushOrderedIteration(L, 1, lua_upvalueindex(1), 1);
    return 3;
}

/* Registry key of the original table.sort, kept before any scenario code runs. */
static char originalSortKey;

void CLuaShim_installSandboxPairs(lua_State *L) {
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &originalSortKey);
    lua_pushcclosure(L, sandboxPairs, 1);
    lua_pushglobaltable(L);
    lua_insert(L, -2);
    lua_pushliteral(L, "pairs");
    lua_insert(L, -2);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

void CLuaShim_rawGetGlobal(lua_State *L, const char *name) {
    lua_pushglobaltable(L);
    lua_pushstring(L, name);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

void CLuaShim_rawSetGlobal(lua_State *L, const char *name) {
    lua_pushglobaltable(L);
    lua_insert(L, -2);
    lua_pushstring(L, name);
    lua_insert(L, -2);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Whether the time limit of the current call has passed. An error raised by
 * the count hook runs the scenario's xpcall message handler while hooks are
 * off (Lua disallows hooks inside a hook), so a looping handler could never
 * be stopped; the sandbox's xpcall asks this first and then skips the
 * handler. */
static int sandboxStopping(lua_State *L) {
    struct Guard *g = guardOf(L);
    lua_pushboolean(L, g != NULL && (g->tripped || g->closing));
    return 1;
}

void CLuaShim_pushStoppingFunction(lua_State *L) { lua_pushcfunction(L, sandboxStopping); }

/* ---- The libraries, read-only while runs go on. ----
 *
 * Each library global becomes an empty userdata whose __index is the
 * library table: reading a function costs one metatable step, a write
 * (including a new field) raises an error naming the library, rawset refuses
 * a userdata, and pairs goes over the library table. Code that kept the
 * table itself in a local while loading can still change it (see docs). */

static int libraryNewIndex(lua_State *L) {
    const char *name = lua_tostring(L, lua_upvalueindex(1));
    return luaL_error(L, "%s is shared by every run and cannot be changed in a run; "
                         "keep your own values in a table of yours (e.g. local counts = {} at the top of the file)", name);
}

/* pairs over a library: its entries in the sandbox's reproducible order
 * (names ascending). The library table is held by the iterator, never handed
 * to the scenario: the state pairs returns is the view itself.
 * upvalues: 1 = the library table, 2 = the original table.sort */
static int libraryPairs(lua_State *L) {
    lua_settop(L, 1);
    pushOrderedIteration(L, lua_upvalueindex(1), lua_upvalueindex(2), 0);
    lua_pushvalue(L, 1);
    lua_replace(L, 3);                                  /* iterator, view, nil */
    return 3;
}

void CLuaShim_guardLibraries(lua_State *L) {
    static const char *const names[] = { "math", "string", "table", "utf8" };
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    int loaded = lua_gettop(L);
    lua_pushglobaltable(L);
    int globals = lua_gettop(L);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lua_getfield(L, loaded, names[i]);          /* the library */
        lua_pushstring(L, names[i]);
        lua_rawget(L, globals);                     /* the global now */
        int untouched = lua_type(L, -2) == LUA_TTABLE && lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
        if (!untouched) {
            lua_pop(L, 1);
            continue;
        }
        int library = lua_gettop(L);
        lua_newuserdatauv(L, 0, 0);
        lua_createtable(L, 0, 5);
        lua_pushvalue(L, library);
        lua_setfield(L, -2, "__index");
        lua_pushstring(L, names[i]);
        lua_pushcclosure(L, libraryNewIndex, 1);
        lua_setfield(L, -2, "__newindex");
        lua_pushvalue(L, library);
        lua_rawgetp(L, LUA_REGISTRYINDEX, &originalSortKey);
        lua_pushcclosure(L, libraryPairs, 2);
        lua_setfield(L, -2, "__pairs");
        lua_pushstring(L, names[i]);
        lua_setfield(L, -2, "__name");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, -2);
        lua_pushstring(L, names[i]);
        lua_insert(L, -2);
        lua_rawset(L, globals);                     /* globals[name] = the view */
        lua_pop(L, 1);                              /* the library */
    }
    /* The placeholders of the libraries scenarios do not get (every field
     * raises "not available") are tables too: rawset could store in them
     * what later runs would see. They become userdata with the same metatable. */
    static const char *const placeholders[] = { "io", "os", "debug", "package", "coroutine" };
    for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++) {
        lua_pushstring(L, placeholders[i]);
        lua_rawget(L, globals);
        if (lua_type(L, -1) == LUA_TTABLE && lua_getmetatable(L, -1)) {
            lua_newuserdatauv(L, 0, 0);
            lua_insert(L, -2);
            lua_setmetatable(L, -2);                /* the userdata, with the placeholder's metatable */
            lua_pushstring(L, placeholders[i]);
            lua_insert(L, -2);
            lua_rawset(L, globals);
        }
        lua_pop(L, 1);                              /* the placeholder table (or what is there) */
    }
    lua_pop(L, 2);
}

/* ---- Each run starts from the state the file left when it loaded. ----
 *
 * Globals written in a run go to the run's own environment, but tables the
 * file made while loading (file-level locals, tables in globals, module
 * results) and the file-level locals its functions capture are shared by
 * every run of a worker. A run that changed them would change the runs that
 * follow it on that worker, and so results would depend on the threads.
 * After loading, the host therefore records every table and every captured
 * local (upvalue) that the scenario made and that can be reached from the
 * globals, the hook and the metric functions; at the start of each run the
 * recorded ones that differ are put back. The host's own objects (the
 * libraries, the sandbox's functions, everything reachable before the file
 * ran) are traversed but not recorded; userdata (the state views) and C
 * functions are left alone, as is the scenario's `_ENV` upvalue (the file's,
 * which its functions and modules share), which the host sets to each run's
 * environment; a local the file names `_ENV` is recorded like any other.
 * The global table of the load is not recorded (comparing it every run
 * would cost more than most runs): CLuaShim_freezeGlobals makes it read-only
 * instead. The cost per run is a comparison of each recorded table entry
 * and upvalue: nothing for a file that keeps no tables. */

static char hostObjectsKey, loadStateKey;

/* Adds to the set at `seen` everything reachable from the value on top of
 * the stack (popped), traversing tables (keys, values, metatables) and the
 * upvalues of Lua functions; calls `visit` for each object newly seen. */
typedef void (*LoadStateVisit)(lua_State *L, int object, void *context);
static void traverseFrom(lua_State *L, int seen, LoadStateVisit visit, void *context) {
    lua_createtable(L, 32, 0);           /* the work stack, below the start value */
    lua_insert(L, -2);
    int work = lua_gettop(L) - 1;
    lua_rawseti(L, work, 1);
    lua_Integer depth = 1;
    while (depth > 0) {
        lua_rawgeti(L, work, depth);
        lua_pushnil(L);
        lua_rawseti(L, work, depth);
        depth--;
        int object = lua_gettop(L);
        int type = lua_type(L, object);
        int isLuaFunction = type == LUA_TFUNCTION && !lua_iscfunction(L, object);
        /* A C closure is visited (its upvalues may hold state of its own) but not entered. */
        int isCClosure = type == LUA_TFUNCTION && !isLuaFunction && lua_getupvalue(L, object, 1) != NULL;
        if (isCClosure) lua_pop(L, 1);
        if (type != LUA_TTABLE && !isLuaFunction && !isCClosure) { lua_pop(L, 1); continue; }
        lua_pushvalue(L, object);
        if (lua_rawget(L, seen) != LUA_TNIL) { lua_pop(L, 2); continue; }
        lua_pop(L, 1);
        lua_pushvalue(L, object);
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);
        if (visit) visit(L, object, context);
        if (isCClosure) {
            /* nothing inside to traverse */
        } else if (type == LUA_TTABLE) {
            if (lua_getmetatable(L, object)) lua_rawseti(L, work, ++depth);
            lua_pushnil(L);
            while (lua_next(L, object) != 0) {
                lua_rawseti(L, work, ++depth);   /* the value */
                lua_pushvalue(L, -1);
                lua_rawseti(L, work, ++depth);   /* the key */
            }
        } else {
            for (int n = 1; lua_getupvalue(L, object, n) != NULL; n++) lua_rawseti(L, work, ++depth);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);                       /* the work stack */
}

void CLuaShim_markHostObjects(lua_State *L) {
    lua_newtable(L);
    int seen = lua_gettop(L);
    lua_pushglobaltable(L);
    traverseFrom(L, seen, NULL, NULL);
    lua_pushvalue(L, LUA_REGISTRYINDEX);
    traverseFrom(L, seen, NULL, NULL);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &hostObjectsKey);
}

/* Records a table (its raw contents, entry count and metatable) or a Lua
 * function's upvalues, unless the host made it. */
struct LoadStateRecord {
    int host, tables, upvalues;
    lua_Integer tableCount, upvalueCount;
    int statefulCFunction;
    void *environment;                   /* the upvalue id of the scenario's _ENV */
};

/* Copies the raw entries of the table at `from` into the table at `to`; returns their number. */
static lua_Integer copyRawEntries(lua_State *L, int from, int to) {
    from = lua_absindex(L, from);
    to = lua_absindex(L, to);
    lua_Integer entries = 0;
    lua_pushnil(L);
    while (lua_next(L, from) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, to);
        entries++;
    }
    return entries;
}

/* Removes every raw entry of the table at `t` (Lua allows clearing a field
 * during a traversal). Its storage stays allocated. */
static void clearRawEntries(lua_State *L, int t) {
    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
}

/* Records a table: itself, a copy of its raw entries, their number and its metatable. */
static void recordTable(lua_State *L, int object, struct LoadStateRecord *r) {
    lua_newtable(L);
    lua_Integer entries = copyRawEntries(L, object, -1);
    lua_pushvalue(L, object);
    lua_rawseti(L, r->tables, ++r->tableCount);
    lua_rawseti(L, r->tables, ++r->tableCount);          /* the copy */
    lua_pushinteger(L, entries);
    lua_rawseti(L, r->tables, ++r->tableCount);
    if (!lua_getmetatable(L, object)) lua_pushboolean(L, 0);
    lua_rawseti(L, r->tables, ++r->tableCount);
}

static void recordObject(lua_State *L, int object, void *context) {
    struct LoadStateRecord *r = (struct LoadStateRecord *)context;
    lua_pushvalue(L, object);
    int isHost = lua_rawget(L, r->host) != LUA_TNIL;
    lua_pop(L, 1);
    if (isHost) return;
    /* The scenario's own C closure (a string.gmatch iterator, say) keeps its
     * state where it cannot be put back. */
    if (lua_iscfunction(L, object)) {
        r->statefulCFunction = 1;
        return;
    }
    if (lua_type(L, object) == LUA_TTABLE) {
        recordTable(L, object, r);
    } else {
        for (int n = 1; lua_getupvalue(L, object, n) != NULL; n++) {
            if (lua_upvalueid(L, object, n) == r->environment) { lua_pop(L, 1); continue; }
            lua_pushvalue(L, object);
            lua_rawseti(L, r->upvalues, ++r->upvalueCount);
            lua_pushinteger(L, n);
            lua_rawseti(L, r->upvalues, ++r->upvalueCount);
            lua_rawseti(L, r->upvalues, ++r->upvalueCount);  /* the value */
        }
    }
}

int CLuaShim_recordLoadState(lua_State *L, int rootsIndex, int chunkIndex) {
    rootsIndex = lua_absindex(L, rootsIndex);
    void *environment = lua_upvalueid(L, chunkIndex, 1);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &hostObjectsKey) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    struct LoadStateRecord r = { .host = lua_gettop(L), .environment = environment };
    lua_createtable(L, 4, 0);            /* the record: 1 = tables, 2 = upvalues, 3 and 4 their lengths */
    int record = lua_gettop(L);
    lua_newtable(L);
    r.tables = lua_gettop(L);
    lua_newtable(L);
    r.upvalues = lua_gettop(L);
    lua_newtable(L);
    int seen = lua_gettop(L);
    lua_pushglobaltable(L);
    traverseFrom(L, seen, recordObject, &r);
    lua_Integer roots = (lua_Integer)lua_rawlen(L, rootsIndex);
    for (lua_Integer i = 1; i <= roots; i++) {
        lua_rawgeti(L, rootsIndex, i);
        traverseFrom(L, seen, recordObject, &r);
    }
    lua_pop(L, 1);                       /* seen */
    lua_rawseti(L, record, 2);
    lua_rawseti(L, record, 1);
    /* The lengths: a nil upvalue leaves a hole that the border would miss. */
    lua_pushinteger(L, r.tableCount);
    lua_rawseti(L, record, 3);
    lua_pushinteger(L, r.upvalueCount);
    lua_rawseti(L, record, 4);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loadStateKey);
    lua_pop(L, 1);                       /* the host set */
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &hostObjectsKey);
    if (r.statefulCFunction) return -1;
    return (int)(r.tableCount / 4 + r.upvalueCount / 3);
}

/* Whether two values are the same for a run: raw equality, but numbers must
 * also agree in subtype and bits (0 and 0.0, 0.0 and -0.0 differ; a NaN equals
 * itself). */
static int sameValue(lua_State *L, int a, int b) {
    if (lua_type(L, a) == LUA_TNUMBER && lua_type(L, b) == LUA_TNUMBER) {
        if (lua_isinteger(L, a) != lua_isinteger(L, b)) return 0;
        if (lua_isinteger(L, a)) return lua_tointeger(L, a) == lua_tointeger(L, b);
        lua_Number x = lua_tonumber(L, a), y = lua_tonumber(L, b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    return lua_rawequal(L, a, b);
}

/* Whether the table at `t` holds exactly the `entries` raw entries of `copy`. */
static int tableMatches(lua_State *L, int t, int copy, lua_Integer entries) {
    lua_Integer seen = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pushvalue(L, -2);
        lua_rawget(L, copy);
        int same = sameValue(L, -1, -2);
        lua_pop(L, 2);
        if (!same) {
            lua_pop(L, 1);               /* the key */
            return 0;
        }
        seen++;
    }
    return seen == entries;
}

static int restoreLoadState(lua_State *L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &loadStateKey) != LUA_TTABLE) return 0;
    int record = lua_gettop(L);
    lua_rawgeti(L, record, 3);
    lua_Integer count = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, record, 1);
    int tables = lua_gettop(L);
    for (lua_Integer i = 1; i + 3 <= count; i += 4) {
        lua_rawgeti(L, tables, i);
        lua_rawgeti(L, tables, i + 1);
        lua_rawgeti(L, tables, i + 3);
        int t = lua_gettop(L) - 2, copy = t + 1, metatable = t + 2;
        lua_rawgeti(L, tables, i + 2);
        lua_Integer entries = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (!tableMatches(L, t, copy, entries)) {
            clearRawEntries(L, t);       /* clear, then copy back */
            copyRawEntries(L, copy, t);
        }
        if (!lua_getmetatable(L, t)) lua_pushboolean(L, 0);
        if (!lua_rawequal(L, -1, metatable)) {
            if (lua_toboolean(L, metatable)) lua_pushvalue(L, metatable); else lua_pushnil(L);
            lua_setmetatable(L, t);
        }
        lua_settop(L, t - 1);
    }
    lua_rawgeti(L, record, 4);
    count = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, record, 2);
    int upvalues = lua_gettop(L);
    for (lua_Integer i = 1; i + 2 <= count; i += 3) {
        lua_rawgeti(L, upvalues, i);
        int function = lua_gettop(L);
        lua_rawgeti(L, upvalues, i + 1);
        int n = (int)lua_tointeger(L, -1);
        lua_rawgeti(L, upvalues, i + 2);
        lua_getupvalue(L, function, n);
        if (!sameValue(L, lua_gettop(L), lua_gettop(L) - 1)) {
            lua_pop(L, 1);
            lua_setupvalue(L, function, n);  /* pops the recorded value */
        }
        lua_settop(L, function - 1);
    }
    return 0;
}

/* ---- The globals of the load are read-only while runs go on. ----
 *
 * A run's globals go to its own environment, which reads through to what
 * the file defined. But a function can hold the load's global table itself:
 * one made by `load` while the file loaded, or a local copy of `_G`. Writes
 * through it would reach every later run of the worker. So once the file has
 * loaded, its globals move to a table no scenario code can reach, and the
 * global table is left empty, reading through to them: a write to it raises
 * an error, and what `rawset` puts in it is cleared before the next run. */

static char frozenGlobalsKey;

static int frozenGlobalWrite(lua_State *L) {
    pushKeyForMessage(L, 2);
    return luaL_error(L, "cannot set global %s through the globals the file had while loading (a copy of _G, "
                         "or a function load made then): they are shared by every run; assign it as a global in the run",
                      lua_tostring(L, -1));
}

void CLuaShim_freezeGlobals(lua_State *L, int environmentMetatableIndex) {
    environmentMetatableIndex = lua_absindex(L, environmentMetatableIndex);
    lua_pushglobaltable(L);
    int globals = lua_gettop(L);
    lua_newtable(L);
    int frozen = lua_gettop(L);
    copyRawEntries(L, globals, frozen);
    clearRawEntries(L, globals);
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, frozen);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, frozenGlobalWrite);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, globals);
    /* Runs' environments read the frozen globals directly, not through the empty table. */
    lua_pushvalue(L, frozen);
    lua_setfield(L, environmentMetatableIndex, "__index");
    lua_pushvalue(L, frozen);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &frozenGlobalsKey);
    lua_pop(L, 2);
}

void CLuaShim_clearGlobalsOfTheLoad(lua_State *L) {
    lua_pushglobaltable(L);
    lua_pushnil(L);
    if (lua_next(L, -2) == 0) {          /* the usual case: still empty */
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 2);
    clearRawEntries(L, -1);              /* set only by rawset: clear it */
    lua_pop(L, 1);
}

long long CLuaShim_loadStateEntries(lua_State *L) {
    long long entries = 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &loadStateKey) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 3);
        lua_Integer count = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_rawgeti(L, -1, 1);
        for (lua_Integer i = 1; i + 3 <= count; i += 4) {
            lua_rawgeti(L, -1, i + 2);
            entries += (long long)lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return entries;
}

int CLuaShim_restoreLoadState(lua_State *L) {
    /* A plain protected call: outside the memory cap and the time limit, so
     * that putting back a table a run filled can neither fail for the memory
     * the run used nor be stopped as an endless loop. Nothing but memory can fail. */
    lua_pushcfunction(L, restoreLoadState);
    return lua_pcall(L, 0, 0, 0);
}
