import Foundation
import LiaoCore

/// The report on stdout, written with one checked write: a report that does
/// not arrive whole (a full disk, a closed descriptor) fails the command with
/// exit 74 (EX_IOERR) instead of passing for a result. No control character
/// from a scenario (its input values, its file's name) reaches the terminal.
enum ReportOutput {
    static func print(_ text: String) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(PrintableText.of(text, keepingLineBreaks: true).utf8))
        } catch {
            throw ReportLost(reason: OutputFile.systemReason(error))
        }
    }
}

/// A report that could not be written whole to stdout.
struct ReportLost: Error, CustomStringConvertible {
    var reason: String
    var description: String { "the report could not be written to stdout (\(reason)); what arrived is incomplete" }
}
