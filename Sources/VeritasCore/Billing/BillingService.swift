// Plans and the subscriptions the operator grants, extends and revokes.
import Foundation

/// A subscription with its account and plan, for listings.
public struct SubscriptionListing: Sendable, Equatable {
    public var subscription: Subscription
    public var account: Account
    public var plan: Plan
}

/// Plan and subscription operations.
public struct BillingService: Sendable {
    let store: any VeritasStore
    let clock: WallClock

    public init(store: any VeritasStore, clock: WallClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Adds a plan; `price` is a decimal like `9.99`.
    @discardableResult
    public func addPlan(id: String, name: String, price: String, currency: String = "USD", period: BillingPeriod = .month) throws -> Plan {
        guard Show.isValidSlug(id) else { throw VeritasError.invalid("plan id '\(id)' must be lowercase letters, digits or hyphens") }
        guard let minor = Plan.parsePrice(price) else { throw VeritasError.invalid("price '\(price)' must look like 9.99") }
        let currency = currency.uppercased()
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw VeritasError.invalid("currency '\(currency)' must be a three-letter ISO 4217 code")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw VeritasError.invalid("a plan needs a name") }
        let plan = Plan(id: id, name: name, priceMinor: minor, currency: currency, period: period, createdAt: clock.now)
        try store.insert(plan)
        return plan
    }

    public func plans() throws -> [Plan] { try store.plans() }

    /// The plan with this id, or `notFound`.
    public func plan(_ id: String) throws -> Plan {
        guard let plan = try store.plan(id: id) else { throw VeritasError.notFound("no plan '\(id)'") }
        return plan
    }

    /// Grants `account` the plan until `until`, or for `days` (default: one billing period) from
    /// now or from the end of a still-running period. Reactivates a canceled or expired one.
    @discardableResult
    public func grant(account: Account, planID: String, days: Int? = nil, until: Date? = nil) throws -> Subscription {
        let plan = try plan(planID)
        let now = clock.now
        if let days, days <= 0 { throw VeritasError.invalid("--days must be positive") }
        var subscription = try store.subscriptions(accountID: account.id).first { $0.planID == plan.id }
            ?? Subscription(id: IDGenerator.shared.next(), accountID: account.id, planID: plan.id, status: .active, currentPeriodEnd: now, now: now)
        let running = subscription.effectiveStatus(at: now) == .active
        let start = running ? subscription.currentPeriodEnd : now
        subscription.currentPeriodEnd = until ?? start.addingTimeInterval(Double(days ?? plan.period.days) * 86_400)
        subscription.status = subscription.currentPeriodEnd > now ? .active : .expired
        subscription.updatedAt = now
        try store.save(subscription)
        return subscription
    }

    /// Adds `days` to every running subscription of the account (or renews lapsed ones from now).
    public func extend(account: Account, days: Int) throws -> [Subscription] {
        guard days > 0 else { throw VeritasError.invalid("--days must be positive") }
        let subscriptions = try store.subscriptions(accountID: account.id).filter { $0.status != .canceled }
        guard !subscriptions.isEmpty else { throw VeritasError.notFound("\(account.username) has no subscription to extend") }
        return try subscriptions.map { try grant(account: account, planID: $0.planID, days: days) }
    }

    /// Cancels the account's subscriptions (to one plan, or all); playback stops within 60 s.
    public func revoke(account: Account, planID: String? = nil) throws -> [Subscription] {
        let now = clock.now
        let targets = try store.subscriptions(accountID: account.id).filter {
            $0.status != .canceled && (planID == nil || $0.planID == planID)
        }
        guard !targets.isEmpty else {
            throw VeritasError.notFound("\(account.username) has no subscription\(planID.map { " to \($0)" } ?? "") to revoke")
        }
        return try targets.map { subscription in
            var subscription = subscription
            subscription.status = .canceled
            subscription.updatedAt = now
            try store.save(subscription)
            return subscription
        }
    }

    /// Every subscription (optionally of one plan) with its account and plan.
    public func subscriptions(planID: String? = nil) throws -> [SubscriptionListing] {
        if let planID { _ = try plan(planID) }
        let plans = Dictionary(uniqueKeysWithValues: try store.plans().map { ($0.id, $0) })
        return try store.subscriptions(planID: planID).compactMap { subscription in
            guard let account = try store.account(id: subscription.accountID), let plan = plans[subscription.planID] else { return nil }
            return SubscriptionListing(subscription: subscription, account: account, plan: plan)
        }
    }

    /// Whether `account` may play episodes of `show` now.
    public func canPlay(account: Account, show: Show) throws -> Bool {
        // Admins and free shows need no plans or subscriptions: skip reading them.
        let needsSubscription = !(account.isAdmin || show.isFree)
        return Entitlement.canPlay(
            account: account, show: show,
            unlockingPlans: needsSubscription ? try store.unlockingPlans(showID: show.id) : [],
            subscriptions: needsSubscription ? try store.subscriptions(accountID: account.id) : [], now: clock.now)
    }
}
