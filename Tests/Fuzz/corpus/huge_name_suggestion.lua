param(string.rep("growth.", 2000000), 1)
