require("fuzz_self")
