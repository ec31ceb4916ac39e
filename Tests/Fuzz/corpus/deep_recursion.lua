local f; f = function(n) return f(n + 1) + 1 end; f(1)
