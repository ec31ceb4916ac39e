#if canImport(Glibc)
import Glibc
#endif

/// Lines for stderr (notes, errors, what a scenario prints), written with the
/// system's write: one that fails (a reader that went away, a full disk) is
/// dropped, never a crash, so that the command goes on to its own end.
public enum StandardError {
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}
