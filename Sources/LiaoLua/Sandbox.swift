/// Lua code run in every scenario state before the scenario itself. The
/// state has only the base library, `string`, `table`, `math` and `utf8`
/// (the others are never opened); this code replaces what scenarios must not
/// use with functions that say so, makes `load` accept text only, sends
/// `print` and `warn` to stderr so that they never mix with the tool's
/// output, and defines `require` over the host's module loader. It receives
/// the stderr writer, the module loader, the stop test and the recorder of
/// the hooks modules set as `...`, and
/// returns the function that starts a run: it tells `load` the run's global
/// environment and reseeds `math.random` (the host has already put back the
/// load-time state, see `CLuaShim_recordLoadState`).
///
/// Holes closed here and by the host (each has a test in SandboxTests):
/// - `string.dump` is replaced in the one string table, which is also the
///   strings' `__index`, so `("").dump` is the replacement too; the original
///   is referenced nowhere else. The strings' metatable is protected
///   (`getmetatable("")` is false), so it cannot be changed either.
/// - `load` always passes mode "t"; binary chunks are refused, as they are
///   for scenario files and modules.
/// - `setmetatable` (installed from C) refuses `__gc` finalizers.
/// - `xpcall` skips the scenario's message handler once the call is being
///   stopped: handlers of errors raised by the time-limit hook run with
///   hooks off, so a looping handler could not be stopped otherwise.
/// - The libraries `io`, `os`, `debug`, `package` and `coroutine` do not
///   exist in the state; their names are tables whose every field raises
///   "not available", so `rawset(_G, ...)` or `_ENV` tricks reach nothing.
/// - `require` loads `name.lua` beside the scenario only (the host checks
///   the name and that the file really lies in the folder), once, and says
///   so when a module requires itself.
enum Sandbox {
    /// Base functions the prelude replaces by ones that say they are not
    /// available (never offered as "did you mean").
    static let unavailableFunctions: Set<String> = ["dofile", "loadfile", "collectgarbage"]

    static let prelude = """
        local write_stderr, load_module, stopping, module_hook = ...
        local globals, rawget, rawequal = _G, rawget, rawequal
        local error, type, select, tostring, pcall = error, type, select, tostring, pcall
        local raw_xpcall = xpcall
        local randomseed = math.randomseed
        local pack, unpack = table.pack, table.unpack
        -- Re-raises an error from a call this prelude made for the scenario
        -- (call it as a statement, from the function the scenario called):
        -- one positioned in this prelude, or not positioned at all (raised
        -- by a C function), is given the scenario's line instead; `name` is
        -- the function a "bad argument" message names.
        local function raise_at_caller(err, name)
          if type(err) == "string" then
            if name then err = err:gsub("to '[%?%w_]*'", "to '" .. name .. "'", 1) end
            if err:find("^liaosim sandbox:%d+: ") then error((err:gsub("^liaosim sandbox:%d+: ", "")), 3) end
            if not err:find("^[^\\n]-:%d+: ") then error(err, 3) end
          end
          error(err, 0)
        end
        xpcall = function(f, handler, ...)
          if type(handler) ~= "function" then
            error("bad argument #2 to 'xpcall' (function expected, got " .. type(handler) .. ")", 2)
          end
          return raw_xpcall(f, function(e)
            if stopping() then return e end
            return handler(e)
          end, ...)
        end
        local function unavailable(name)
          return function() error("'" .. name .. "' is not available in scenarios", 2) end
        end
        for _, name in ipairs({ "dofile", "loadfile", "collectgarbage" }) do
          _G[name] = unavailable(name)
        end
        for _, lib in ipairs({ "io", "os", "debug", "package", "coroutine" }) do
          _G[lib] = setmetatable({}, {
            __index = function(_, key)
              error("'" .. lib .. "." .. tostring(key) .. "' is not available in scenarios", 2)
            end,
            __newindex = function(_, key)
              error("'" .. lib .. "." .. tostring(key) .. "' is not available in scenarios", 2)
            end,
            __metatable = false,
          })
        end
        string.dump = unavailable("string.dump")
        -- table.sort: Lua's own picks some pivots from the clock, so equal
        -- elements could come out in a different order from one invocation to
        -- the next. This one is a stable merge sort: equal elements keep their
        -- order, and every run, worker and invocation sorts alike.
        local function less_than(x, y) return x < y end
        local function merge_sort(t, n, less)
          local a, b = {}, {}
          for i = 1, n do a[i] = t[i] end
          local width = 8
          for low = 1, n, width do  -- insertion sort within runs of 8
            local high = low + width - 1
            if high > n then high = n end
            for i = low + 1, high do
              local v, j = a[i], i - 1
              while j >= low and less(v, a[j]) do
                a[j + 1] = a[j]
                j = j - 1
              end
              a[j + 1] = v
            end
          end
          while width < n do  -- merge runs pairwise, the left one first on ties
            for low = 1, n, 2 * width do
              local middle, high = low + width - 1, low + 2 * width - 1
              if high > n then high = n end
              if middle > n then middle = n end
              local i, j, k = low, middle + 1, low
              while i <= middle and j <= high do
                if less(a[j], a[i]) then
                  b[k] = a[j]
                  j = j + 1
                else
                  b[k] = a[i]
                  i = i + 1
                end
                k = k + 1
              end
              for m = i, middle do
                b[k] = a[m]
                k = k + 1
              end
              for m = j, high do
                b[k] = a[m]
                k = k + 1
              end
            end
            a, b = b, a
            width = width * 2
          end
          for i = 1, n do t[i] = a[i] end
        end
        table.sort = function(t, comp)
          if type(t) ~= "table" then
            error("bad argument #1 to 'sort' (table expected, got " .. type(t) .. ")", 2)
          end
          if comp ~= nil and type(comp) ~= "function" then
            error("bad argument #2 to 'sort' (function expected, got " .. type(comp) .. ")", 2)
          end
          local ok, err = pcall(merge_sort, t, #t, comp or less_than)
          if not ok then raise_at_caller(err) end  -- a comparison that failed in this code: the caller's line
        end
        -- Without a seed, randomseed would seed from the clock: runs would not repeat.
        math.randomseed = function(...)
          if select("#", ...) == 0 then
            error("math.randomseed needs a seed in scenarios (math.random already draws from the run's own reproducible stream)", 2)
          end
          local results = pack(pcall(randomseed, ...))
          if not results[1] then raise_at_caller(results[2], "math.randomseed") end
          return unpack(results, 2, results.n)
        end
        local text_load = load
        -- The global environment of the run in progress (nil while the file
        -- loads): chunks loaded without an environment get it, as the
        -- scenario's own code does.
        local run_env = nil
        load = function(chunk, name, mode, ...)
          if mode ~= nil and mode ~= "t" then
            error("load: scenarios may load text chunks only (mode \\"t\\")", 2)
          end
          local results
          if select("#", ...) > 0 then
            results = pack(pcall(text_load, chunk, name, "t", ...))
          else
            results = pack(pcall(text_load, chunk, name, "t", run_env or _G))
          end
          if not results[1] then raise_at_caller(results[2], "load") end
          return unpack(results, 2, results.n)
        end
        local loaded, chain = {}, {}
        local concat = table.concat
        require = function(name)
          if type(name) ~= "string" then
            error("require expects a module name, e.g. require('plan') for plan.lua beside the scenario", 2)
          end
          local result = loaded[name]
          if result ~= nil then return result end
          for i = 1, #chain do
            if chain[i] == name then
              error("require: module '" .. name .. "' requires itself (" .. concat(chain, " -> ", i) .. " -> " .. name .. ")", 2)
            end
          end
          local chunk, message, positioned = load_module(name)
          if not chunk then error(message, positioned and 0 or 2) end
          chain[#chain + 1] = name
          local hook_before = rawget(globals, "on_month")
          local ok, value = pcall(chunk, name)
          chain[#chain] = nil
          if not ok then error(value, 0) end
          -- The host notes a module's hook that a later on_month replaces.
          local hook_after = rawget(globals, "on_month")
          if not rawequal(hook_after, hook_before) then module_hook(name, hook_after) end
          if value == nil then value = true end
          loaded[name] = value
          return value
        end
        print = function(...)
          local parts = pack(...)
          for i = 1, parts.n do
            local ok, text = pcall(tostring, parts[i])
            if not ok then raise_at_caller(text) end
            parts[i] = text
          end
          write_stderr(concat(parts, "\\t", 1, parts.n))
        end
        warn = function(first, ...)
          local parts = pack(first, ...)
          for i = 1, parts.n do
            if type(parts[i]) ~= "string" and type(parts[i]) ~= "number" then
              error("bad argument #" .. i .. " to 'warn' (string expected, got " .. type(parts[i]) .. ")", 2)
            end
          end
          if parts.n == 1 and type(first) == "string" and first:sub(1, 1) == "@" then return end
          write_stderr("warning: " .. concat(parts, "", 1, parts.n))
        end
        getmetatable("").__metatable = false
        -- Starts a run: its global environment, and math.random's seed. The
        -- chain of requires in progress starts empty: a run stopped inside a
        -- require (by the time limit, which no pcall catches) leaves its name.
        return function(env, seed1, seed2)
          run_env = env
          randomseed(seed1, seed2)
          for i = #chain, 1, -1 do chain[i] = nil end
        end
        """
}
