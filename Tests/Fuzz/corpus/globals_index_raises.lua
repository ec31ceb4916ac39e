setmetatable(_G, { __index = function(_, k) error("no " .. k) end })
