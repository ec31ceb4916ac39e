/// Seasonal factors per calendar month (MODEL §3), each row rescaled to average 1.
public enum Seasonality {
    /// Raw factors, January … December, as published or assumed.
    public static let raw: [Sector: [Double]] = [
        .retail: [1.00, 1.00, 0.94, 0.93, 0.97, 1.00, 0.95, 0.96, 1.00, 1.03, 1.10, 1.12],
        .catering: [0.96, 0.96, 0.84, 0.89, 0.89, 0.99, 0.97, 0.96, 0.97, 1.09, 1.27, 1.23],
        .accommodation: [0.85, 0.95, 0.90, 0.98, 1.02, 1.00, 1.12, 1.15, 1.02, 1.10, 0.97, 0.94],
        .services: [1.08, 0.98, 0.96, 0.98, 1.00, 0.99, 0.98, 0.98, 0.99, 1.00, 1.01, 1.05],
    ]

    /// Sources of each row.
    public static let sources: [Sector: String] = [
        .retail: "assumption",
        .catering: "NBS monthly catering revenue 2023",
        .accommodation: "assumption (Q1 trough, Q3 peak)",
        .services: "assumption",
    ]

    /// Normalised factor S_s(m) for calendar month m (0 = January).
    public static let normalised: [[Double]] = Sector.allCases.map { s in
        let row = raw[s]!
        let sum = row.reduce(0, +)
        return row.map { $0 / sum * 12 }
    }
}
