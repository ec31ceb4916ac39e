local d = beta(2, 2); d[1] = 0/0; param("voucher.redemption", d)
