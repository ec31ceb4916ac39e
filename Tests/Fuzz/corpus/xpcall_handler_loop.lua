xpcall(function() while true do end end, function(e) while true do end end)
