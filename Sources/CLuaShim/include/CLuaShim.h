#ifndef LIAOSIM_CLUASHIM_H
#define LIAOSIM_CLUASHIM_H
#include <lua.h>
int CLuaShim_placeholder(void);
#endif
