#include "CLuaShim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct Guard;
static struct Guard *guardOf(lua_State *L);
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

/* upvalues: 1 = names table, 2 = values (light userdata), 3 = what (string),
 * 4 = hint appended to "no field" errors (string) */
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
    const char *what = lua_tostring(L, lua_upvalueindex(3));
    const char *hint = lua_tostring(L, lua_upvalueindex(4));
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "%s has no field '%s'%s", what, lua_tostring(L, 2), hint);
    return luaL_error(L, "%s has no field of type %s%s", what, luaL_typename(L, 2), hint);
}

static int viewNewIndex(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return luaL_error(L, "%s is read-only", what);
}

static int viewPairs(lua_State *L) {
    const char *what = lua_tostring(L, lua_upvalueindex(1));
    return luaL_error(L, "%s cannot be iterated; read its fields by name", what);
}

/* Completes a view's metatable (on top of the stack): writes and iteration
 * raise errors naming `what`, and __metatable hides it (getmetatable returns
 * false, setmetatable refuses). */
static void setReadOnlyMetafields(lua_State *L, const char *what) {
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewNewIndex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewPairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
}

void CLuaShim_pushView(lua_State *L, int namesIndex, const double *values, const char *what, const char *hint) {
    namesIndex = lua_absindex(L, namesIndex);
    lua_createtable(L, 0, 0);            /* the view */
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
 * the view's "used" lists; CLuaShim_refreshCachedViews rewrites the used
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
struct UsedSlots {
    int count;
    lua_Integer slots[CACHED_VIEW_MAX_FIELDS];
};

static void pushSlotValue(lua_State *L, lua_Integer slot, const double *values, int labelsIndex) {
    if (slot >= CLUASHIM_LABEL_SLOT) {
        lua_rawgeti(L, labelsIndex, (lua_Integer)values[0] + (slot - CLUASHIM_LABEL_SLOT));
    } else {
        lua_pushnumber(L, values[slot]);
    }
}

/* upvalues: 1 = names table (name -> slot, or a constant value), 2 = values
 * (light userdata), 3 = what, 4 = hint, 5 = bookkeeping table */
static int cachedViewFill(lua_State *L) {
    lua_settop(L, 2);                    /* 1 = cache, 2 = key */
    lua_pushvalue(L, 2);
    int type = lua_rawget(L, lua_upvalueindex(1));
    if (type == LUA_TNIL) {
        const char *what = lua_tostring(L, lua_upvalueindex(3));
        const char *hint = lua_tostring(L, lua_upvalueindex(4));
        if (lua_type(L, 2) == LUA_TSTRING)
            return luaL_error(L, "%s has no field '%s'%s", what, lua_tostring(L, 2), hint);
        return luaL_error(L, "%s has no field of type %s%s", what, luaL_typename(L, 2), hint);
    }
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
    lua_createtable(L, 0, (int)fields);  /* the cache */
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
    lua_rawseti(L, book, 3);
    lua_pushvalue(L, labelsIndex);
    lua_rawseti(L, book, 4);
    /* The proxy. */
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, book, 1);
    lua_setfield(L, -2, "__index");
    setReadOnlyMetafields(L, what);
    lua_setmetatable(L, -2);
}

void CLuaShim_refreshCachedViews(lua_State *L, int booksIndex, const double *values) {
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
 * Time. A count hook runs every GUARD_HOOK_INSTRUCTIONS virtual-machine
 * instructions and compares a monotonic clock with the deadline of the
 * current guarded call. Past it, the hook records a message naming the
 * running function's file and line, switches itself to run on every
 * instruction and raises. Because it raises again at the very next
 * instruction, and guardedPcall replaces whatever the call returns with that
 * message, a scenario's own pcall or xpcall cannot swallow it. The hook is
 * installed only when a time limit is set. */

#define GUARD_HOOK_INSTRUCTIONS 10000

struct Guard {
    size_t used, peak, cap;       /* cap 0: none */
    int strict;                   /* allocations may fail (see above) */
    int refused;                  /* an allocation hit the cap in this call */
    int closing;                  /* lua_close is running */
    double timeLimit;             /* seconds per guarded call; 0: none */
    double deadline;              /* monotonic seconds; 0: not armed */
    int tripped;                  /* the deadline passed in this call */
    char message[600];
};

/* The coarse monotonic clock (a few milliseconds' resolution, ample for a
 * limit of seconds) is read from memory, without a hardware timer, which
 * matters because every guarded call reads it. */
static double monotonicSeconds(void) {
    struct timespec now;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
#else
    clock_gettime(CLOCK_MONOTONIC, &now);
#endif
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
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
        if (g->deadline == 0 || monotonicSeconds() < g->deadline) return;
        g->tripped = 1;
        char limit[64];
        formatSeconds(limit, sizeof limit, g->timeLimit);
        lua_Debug here;
        const char *where = "";
        char position[300] = "";
        if (lua_getstack(L, 0, &here) && lua_getinfo(L, "Sl", &here) && here.currentline > 0) {
            snprintf(position, sizeof position, "%s:%d: ", here.short_src, here.currentline);
            where = position;
        }
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
    if (g->timeLimit > 0) lua_sethook(L, guardHook, LUA_MASKCOUNT, GUARD_HOOK_INSTRUCTIONS);
    return L;
}

void CLuaShim_closeGuardedState(lua_State *L) {
    struct Guard *g = guardOf(L);
    g->closing = 1;
    g->strict = 0;
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
    double savedDeadline = g->deadline;
    g->refused = 0;
    g->tripped = 0;
    if (g->timeLimit > 0) g->deadline = monotonicSeconds() + g->timeLimit;
    g->strict = 1;
    int status = lua_pcall(L, nargs, nresults, 0);
    g->strict = savedStrict;
    status = limitStatus(L, g, status, base);
    g->deadline = savedDeadline;
    if (g->tripped) {
        g->tripped = 0;
        lua_sethook(L, guardHook, LUA_MASKCOUNT, GUARD_HOOK_INSTRUCTIONS);
    }
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
