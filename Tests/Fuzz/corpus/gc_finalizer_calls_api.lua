setmetatable({}, { __gc = function() voucher { sector = "retail" } end })
