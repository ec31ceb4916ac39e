#include "CLuaShim.h"

static CLuaShim_Dispatch dispatcher = NULL;

void CLuaShim_setDispatch(CLuaShim_Dispatch dispatch) { dispatcher = dispatch; }

static int callSwift(lua_State *L) {
    void *context = lua_touserdata(L, lua_upvalueindex(1));
    int function = (int)lua_tointeger(L, lua_upvalueindex(2));
    int results = dispatcher(L, context, function);
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
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewNewIndex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushstring(L, what);
    lua_pushcclosure(L, viewPairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");  /* getmetatable returns false, setmetatable refuses */
    lua_setmetatable(L, -2);
}
