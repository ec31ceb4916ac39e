import CLua
import CLuaShim
func luaVersionNumber() -> Int { let L = luaL_newstate(); defer { lua_close(L) }; return Int(lua_version(L)) + Int(CLuaShim_placeholder()) }
