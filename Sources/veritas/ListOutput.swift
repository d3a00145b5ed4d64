// Prints list commands' rows as an aligned table or as one JSON array.
import Foundation

/// Rows of a list command, printable as a table or as JSON.
struct ListOutput<Row: Encodable> {
    let columns: [(title: String, value: (Row) -> String)]
    let rows: [Row]

    func print(json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            Swift.print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let cells = rows.map { row in columns.map { $0.value(row) } }
        let widths = columns.indices.map { index in
            max(columns[index].title.count, cells.map { $0[index].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        Swift.print(line(columns.map(\.title).map { $0.uppercased() }))
        for row in cells { Swift.print(line(row)) }
    }
}

/// Seconds as `m:ss` or `h:mm:ss`.
func formatDuration(_ seconds: Double?) -> String {
    guard let seconds, seconds.isFinite, seconds >= 0 else { return "-" }
    let total = Int(seconds.rounded())
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    return hours > 0
        ? String(format: "%d:%02d:%02d", hours, minutes, secs)
        : String(format: "%d:%02d", minutes, secs)
}
