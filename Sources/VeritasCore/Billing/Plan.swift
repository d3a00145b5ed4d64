// Plans and subscriptions: what a viewer pays for and until when.
import Foundation

/// How often a plan bills.
public enum BillingPeriod: String, Codable, Sendable, CaseIterable {
    case month, year

    /// The default length of a granted period, in days.
    public var days: Int { self == .month ? 30 : 365 }
}

/// A plan that unlocks a set of shows.
public struct Plan: Codable, Sendable, Equatable {
    /// Chosen by the operator, e.g. `premium`.
    public var id: String
    public var name: String
    /// Price in the currency's minor unit (cents).
    public var priceMinor: Int
    /// ISO 4217 code, e.g. `USD`.
    public var currency: String
    public var period: BillingPeriod
    public var createdAt: Date

    public init(id: String, name: String, priceMinor: Int, currency: String, period: BillingPeriod, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.priceMinor = priceMinor
        self.currency = currency
        self.period = period
        self.createdAt = createdAt
    }

    /// The price as a decimal string, e.g. `9.99`.
    public var price: String { String(format: "%d.%02d", priceMinor / 100, priceMinor % 100) }

    /// Parses `9.99`, `10` or `0.5` into minor units; nil for anything else.
    public static func parsePrice(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole < 10_000_000 else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let fraction = parts[1]
        guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isNumber), let cents = Int(fraction) else { return nil }
        return whole * 100 + (fraction.count == 1 ? cents * 10 : cents)
    }
}

/// Where a subscription stands.
public enum SubscriptionStatus: String, Codable, Sendable {
    case active, canceled, expired
}

/// An account's subscription to a plan.
public struct Subscription: Codable, Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var planID: String
    public var status: SubscriptionStatus
    public var currentPeriodEnd: Date
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, accountID: String, planID: String, status: SubscriptionStatus, currentPeriodEnd: Date, now: Date) {
        self.id = id
        self.accountID = accountID
        self.planID = planID
        self.status = status
        self.currentPeriodEnd = currentPeriodEnd
        createdAt = now
        updatedAt = now
    }

    /// The status a viewer sees: an active subscription past its period end has expired.
    public func effectiveStatus(at now: Date) -> SubscriptionStatus {
        status == .active && currentPeriodEnd <= now ? .expired : status
    }
}
