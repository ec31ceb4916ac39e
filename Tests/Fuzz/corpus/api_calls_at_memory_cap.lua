local t = {}
while true do t[#t + 1] = normal(1, 1); pcall(voucher, { budjet = #t }) end
