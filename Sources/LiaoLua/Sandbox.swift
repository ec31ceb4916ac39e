/// Lua code run in every scenario state before the scenario itself: it
/// replaces what scenarios must not use with functions that say so, makes
/// `load` accept text only, and sends `print` to stderr so that it never
/// mixes with the tool's output. It receives the stderr writer as `...`.
enum Sandbox {
    static let prelude = """
        local write_stderr, load_module = ...
        local function unavailable(name)
          return function() error("'" .. name .. "' is not available in scenarios", 2) end
        end
        for _, name in ipairs({ "dofile", "loadfile", "collectgarbage" }) do
          _G[name] = unavailable(name)
        end
        for _, lib in ipairs({ "io", "os", "debug", "package" }) do
          _G[lib] = setmetatable({}, {
            __index = function(_, key)
              error("'" .. lib .. "." .. tostring(key) .. "' is not available in scenarios", 2)
            end,
            __metatable = false,
          })
        end
        string.dump = unavailable("string.dump")
        local text_load = load
        load = function(chunk, name, mode, ...)
          if mode ~= nil and mode ~= "t" then
            error("load: scenarios may load text chunks only (mode \\"t\\")", 2)
          end
          if select("#", ...) > 0 then return text_load(chunk, name, "t", ...) end
          return text_load(chunk, name, "t")
        end
        local loaded = {}
        require = function(name)
          if type(name) ~= "string" then
            error("require expects a module name, e.g. require('plan') for plan.lua beside the scenario", 2)
          end
          local result = loaded[name]
          if result ~= nil then return result end
          result = load_module(name)(name)
          if result == nil then result = true end
          loaded[name] = result
          return result
        end
        local pack, concat, to_string = table.pack, table.concat, tostring
        print = function(...)
          local parts = pack(...)
          for i = 1, parts.n do parts[i] = to_string(parts[i]) end
          write_stderr(concat(parts, "\\t", 1, parts.n))
        end
        """
}
