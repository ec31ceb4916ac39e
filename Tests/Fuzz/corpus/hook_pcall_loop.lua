function on_month(state) pcall(function() while true do end end) end
