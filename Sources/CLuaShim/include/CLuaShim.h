#ifndef LIAOSIM_CLUASHIM_H
#define LIAOSIM_CLUASHIM_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

/* ---- Wrappers for Lua macros that Swift cannot import. Each is a plain
 * static inline function with the macro's meaning. ---- */

/* LUA_REGISTRYINDEX is a macro expression. */
static inline int CLuaShim_registryIndex(void) { return LUA_REGISTRYINDEX; }
/* lua_upvalueindex(i) is a macro. */
static inline int CLuaShim_upvalueIndex(int i) { return lua_upvalueindex(i); }
/* lua_pushglobaltable is a macro over lua_rawgeti on the registry. */
static inline void CLuaShim_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
/* lua_pop(L, n) is a macro over lua_settop. */
static inline void CLuaShim_pop(lua_State *L, int n) { lua_pop(L, n); }
/* lua_pcall is a macro over lua_pcallk. */
static inline int CLuaShim_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
/* lua_tostring is a macro over lua_tolstring. */
static inline const char *CLuaShim_tostring(lua_State *L, int index) { return lua_tolstring(L, index, NULL); }
/* lua_tonumber / lua_tointeger are macros over the ...x variants. */
static inline lua_Number CLuaShim_tonumber(lua_State *L, int index) { return lua_tonumberx(L, index, NULL); }
/* lua_newtable is a macro over lua_createtable. */
static inline void CLuaShim_newtable(lua_State *L) { lua_newtable(L); }
/* lua_insert / lua_remove are macros over lua_rotate. */
static inline void CLuaShim_insert(lua_State *L, int index) { lua_insert(L, index); }
static inline void CLuaShim_remove(lua_State *L, int index) { lua_remove(L, index); }
/* lua_isinteger is a function, but lua_isnoneornil is a macro. */
static inline int CLuaShim_isnoneornil(lua_State *L, int index) { return lua_isnoneornil(L, index); }
/* luaL_loadbuffer is a macro over luaL_loadbufferx. */
static inline int CLuaShim_loadbuffer(lua_State *L, const char *buffer, size_t size, const char *name, const char *mode) {
    return luaL_loadbufferx(L, buffer, size, name, mode);
}

/* ---- Calls from Lua into Swift. ----
 *
 * Swift registers one dispatcher. Every scenario API function is a C closure
 * around CLuaShim_callSwift with two upvalues: a light userdata (the Swift
 * engine) and an integer (which API function). The dispatcher returns the
 * number of results it pushed, or -1 after pushing an error message (the C
 * side prefixes the caller's file and line), or -2 after pushing a message
 * that already names its position. The C side then raises the Lua error, so
 * a longjmp never crosses a Swift frame. */
typedef int (*CLuaShim_Dispatch)(lua_State *L, void *context, int function);

void CLuaShim_setDispatch(CLuaShim_Dispatch dispatch);

/* Pushes a closure calling the dispatcher with (context, function). */
void CLuaShim_pushSwiftFunction(lua_State *L, void *context, int function);

/* ---- Reading the table of fields an API function takes. ---- */

/* One field as the table holds it. A string's bytes stay valid while the
 * table is on the stack and no Lua code runs. */
struct CLuaShim_Field {
    int type;             /* LUA_TNIL when the table has no such field */
    lua_Number number;    /* for LUA_TNUMBER */
    const char *chars;    /* for LUA_TSTRING */
    size_t length;
};

/* Reads every field of the table at `index` in one raw pass (no metamethod
 * runs, nothing is allocated, nothing raises): the field named names[k]
 * (lengths[k] bytes) into fields[k]; fields the table lacks are left as
 * they are, so callers clear them first. A name is matched by pointer
 * first, which finds it when names[k] is the state's own copy of the
 * string (lua_tolstring's pointer, kept alive by the caller): Lua keeps one
 * copy of each short string. Then it is matched by its bytes. Returns 0
 * when every key is one of the names, 1 on a key that is not a string, and
 * 2 on a string key that is none of them, which is left on top of the stack
 * for the caller's message (the caller pops it). */
int CLuaShim_readFields(lua_State *L, int index, const char *const *names, const size_t *lengths, int count,
                        struct CLuaShim_Field *fields);

/* ---- Read-only views of Swift-owned numbers. ----
 *
 * Pushes a table whose fields are read on demand: `names` (at `namesIndex`)
 * maps each field name to an integer slot into `values` (read as a number),
 * or to any other Lua value (returned as is: a nested view, a string).
 * Reading a name that is not there, or writing any field, raises an error
 * naming `what` (followed by `hint`, which may be NULL). The `values` buffer
 * must outlive the view. */
void CLuaShim_pushView(lua_State *L, int namesIndex, const double *values, const char *what, const char *hint);

/* Slots from this value up name month labels: CLUASHIM_LABEL_SLOT + k is the
 * label (from the labels table) of month values[0] + k. */
#define CLUASHIM_LABEL_SLOT 1000000

/* Pushes the bookkeeping table and then the proxy of a cached view (see
 * shim.c): fields named in the names table (name -> slot in `values`, or a
 * constant such as a nested view) read as plain table fields, refreshed by
 * CLuaShim_pushCachedViewCall. Read-only, like CLuaShim_pushView. */
void CLuaShim_pushCachedView(lua_State *L, int namesIndex, int labelsIndex, const double *values,
                             const char *what, const char *hint);

/* A group of cached views refreshed in the hook call itself (see shim.c). */
struct CLuaShim_ViewGroup;

/* Makes the array of bookkeeping tables at `groupIndex` (at most 8 views that
 * share `values` and labels) one group, whose hook call
 * CLuaShim_pushCachedViewCall prepares. `hookRef` and `viewRef` are registry
 * references (kept by the caller) to the hook, or LUA_NOREF if there is none,
 * and to the view it is called with. The group lives as long as the state. */
struct CLuaShim_ViewGroup *CLuaShim_linkCachedViews(lua_State *L, int groupIndex, int hookRef, int viewRef);

/* Pushes a call ready for CLuaShim_guardedPcall: its callee, when it runs,
 * first rewrites every field the group's views have handed out from
 * `values` and then calls the hook with the view. Returns the number of
 * arguments of that call. Runs outside guarded calls; raises only for lack
 * of memory. */
int CLuaShim_pushCachedViewCall(lua_State *L, struct CLuaShim_ViewGroup *group, const double *values);

/* ---- Guarded states: a memory cap and a time limit (see shim.c). ---- */

/* Statuses of the guarded calls besides Lua's own. The message on the stack
 * says what happened, in the scenario author's terms. */
#define CLUASHIM_ERRTIME 100    /* a call ran past the time limit */
#define CLUASHIM_ERRMEMORY 101  /* the state went past its memory cap */

/* A new state whose allocations are counted and capped at `memoryCap` bytes
 * (0: no cap) and whose guarded calls may each run `timeLimitSeconds`
 * (0: no limit; otherwise the process's watchdog thread watches the state's
 * calls). NULL if even that could not be allocated, or the watchdog could
 * not be started. It has a panic handler that names the error and aborts. */
lua_State *CLuaShim_newGuardedState(size_t memoryCap, double timeLimitSeconds);
/* Closes a guarded state; scenario code can no longer run or call Swift. */
void CLuaShim_closeGuardedState(lua_State *L);
/* Bytes the state uses now, and the most it has used. */
size_t CLuaShim_memoryInUse(lua_State *L);
size_t CLuaShim_memoryPeak(lua_State *L);
/* lua_pcall (no message handler) under the time limit and the memory cap.
 * Returns LUA_OK, a Lua error status, CLUASHIM_ERRTIME or CLUASHIM_ERRMEMORY,
 * with the error message on top of the stack on failure. */
int CLuaShim_guardedPcall(lua_State *L, int nargs, int nresults);
/* Loads a text chunk (never binary) under the memory cap. */
int CLuaShim_guardedLoad(lua_State *L, const char *buffer, size_t size, const char *name);

/* ---- Sandbox helpers. ---- */

/* Replaces the global setmetatable with one that refuses __gc finalizers. */
void CLuaShim_installSandboxSetmetatable(lua_State *L);

/* Replaces the global pairs with one that visits a table's keys in a fixed
 * order (numbers, then strings by their bytes, then booleans), so that
 * results do not depend on Lua's per-state string hash seed. */
void CLuaShim_installSandboxPairs(lua_State *L);
/* Pushes _G[name] / pops a value into _G[name], both without metamethods. */
void CLuaShim_rawGetGlobal(lua_State *L, const char *name);
void CLuaShim_rawSetGlobal(lua_State *L, const char *name);
/* Pushes a function returning whether the current call is being stopped. */
void CLuaShim_pushStoppingFunction(lua_State *L);

/* Each run starts from the state the file left when it loaded (see shim.c):
 * mark the host's objects before the scenario file runs; after it has
 * loaded, record the scenario's tables and captured locals reachable from
 * the globals and from the functions in the array at `rootsIndex` (returns
 * how many, or -1 when the scenario keeps a C closure of its own, such as a
 * string.gmatch iterator, whose state cannot be put back); CLuaShim_restoreLoadState puts back what a run changed (the
 * host calls it as each run starts, outside the memory cap and time limit;
 * it returns a Lua status, not LUA_OK only for lack of memory). */
void CLuaShim_markHostObjects(lua_State *L);

/* Replaces the globals math, string, table and utf8, where they still hold
 * the libraries, with read-only views of them: runs share these tables, so a
 * write to one would reach the runs after it. Called once the file has
 * loaded (so it may add its own helpers to them while loading). */
void CLuaShim_guardLibraries(lua_State *L);

/* The scenario's name for the message of a call stuck in a C function, which
 * the watchdog ends by stopping the process: `handler` (if set) runs first
 * with the message, e.g. to remove temporary files, and may exit itself. */
void CLuaShim_setSourceName(lua_State *L, const char *name);
void CLuaShim_setStuckCallHandler(void (*handler)(const char *message));
int CLuaShim_recordLoadState(lua_State *L, int rootsIndex, int chunkIndex);
/* Ends the scenario calls in progress, on every state with a time limit, as
 * if their time were up, and every call made after this (a stop of the batch:
 * the runs in progress are left out, so they need not finish). */
void CLuaShim_interruptCalls(void);
/* Makes the global table of the load read-only for runs (after
 * CLuaShim_recordLoadState and CLuaShim_guardLibraries): its entries move to a
 * table that the runs' environment metatable (at the index) reads through to. */
void CLuaShim_freezeGlobals(lua_State *L, int environmentMetatableIndex);
/* Empties the global table of the load if `rawset` put something there. */
void CLuaShim_clearGlobalsOfTheLoad(lua_State *L);
int CLuaShim_restoreLoadState(lua_State *L);
/* The table entries recorded by CLuaShim_recordLoadState: what each run's
 * restore compares. */
long long CLuaShim_loadStateEntries(lua_State *L);

#endif
