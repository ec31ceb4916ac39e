// The statistics use the C math library (fma, sqrt, rounding) through the
// standard library's floating-point operations; importing the platform C
// module makes the linker pull it in even when no other file of the module
// imports Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
