#include "CLuaShim.h"
int CLuaShim_placeholder(void) { return LUA_OK; }
