// Plans, subscriptions and SPEC §5's entitlement rule, with a controlled clock.
import Foundation
import TestSupport
import Testing
@testable import VeritasCore

@Suite struct BillingTests {
    let store: SQLiteStore
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        store = try SQLiteStore(path: Fixtures.scratchDirectory("billing").appendingPathComponent("veritas.sqlite").path)
    }

    func billing(at date: Date) -> BillingService { BillingService(store: store, clock: .fixed(date)) }

    func makeAccount(_ name: String, role: AccountRole = .user) throws -> Account {
        try AccountService(store: store, bcryptCost: 4).create(username: name, email: "\(name)@example.com", password: "password1", role: role).account
    }

    @Test func pricesParseToMinorUnits() {
        #expect(Plan.parsePrice("9.99") == 999)
        #expect(Plan.parsePrice("10") == 1000)
        #expect(Plan.parsePrice("0.5") == 50)
        for bad in ["", "-1", "9.999", "nine", "1.2.3", "9,99"] { #expect(Plan.parsePrice(bad) == nil, "\(bad)") }
    }

    @Test func entitlementFollowsPlansStatusAndPeriodEnd() throws {
        let billing = billing(at: start)
        try billing.addPlan(id: "basic", name: "Basic", price: "4.99")
        try billing.addPlan(id: "premium", name: "Premium", price: "9.99", period: .year)
        let catalog = CatalogService(store: store)
        let paid = try catalog.addShow(slug: "paid", title: "Paid", kind: .series, isFree: false, planIDs: ["premium"])
        let free = try catalog.addShow(slug: "free", title: "Free", kind: .series, isFree: true)
        let viewer = try makeAccount("viewer"), admin = try makeAccount("boss", role: .admin)

        #expect(try billing.canPlay(account: viewer, show: free))
        #expect(try billing.canPlay(account: admin, show: paid))
        #expect(try !billing.canPlay(account: viewer, show: paid), "no subscription")
        try billing.grant(account: viewer, planID: "basic", days: 30)
        #expect(try !billing.canPlay(account: viewer, show: paid), "wrong plan")
        let subscription = try billing.grant(account: viewer, planID: "premium", days: 10)
        #expect(subscription.currentPeriodEnd == start.addingTimeInterval(10 * 86_400))
        #expect(try billing.canPlay(account: viewer, show: paid))
        #expect(try !self.billing(at: start.addingTimeInterval(10 * 86_400)).canPlay(account: viewer, show: paid), "expired at period end")
        _ = try billing.revoke(account: viewer, planID: "premium")
        #expect(try !billing.canPlay(account: viewer, show: paid), "canceled")
        var suspended = viewer
        suspended.isSuspended = true
        #expect(try !billing.canPlay(account: suspended, show: free))
    }

    @Test func grantExtendAndPastDates() throws {
        let billing = billing(at: start)
        try billing.addPlan(id: "monthly", name: "Monthly", price: "5")
        let viewer = try makeAccount("v2")
        let first = try billing.grant(account: viewer, planID: "monthly")
        #expect(first.currentPeriodEnd == start.addingTimeInterval(30 * 86_400), "one billing period by default")
        let extended = try billing.extend(account: viewer, days: 5)
        #expect(extended.first?.currentPeriodEnd == start.addingTimeInterval(35 * 86_400))
        let past = try billing.grant(account: viewer, planID: "monthly", until: start.addingTimeInterval(-86_400))
        #expect(past.status == .expired)
        #expect(try billing.subscriptions().count == 1, "one subscription per account and plan")
        #expect(throws: VeritasError.self) { try billing.grant(account: viewer, planID: "nope") }
        #expect(throws: VeritasError.self) { try billing.extend(account: viewer, days: 0) }
    }

    @Test func passwordsAreHashedAndChecked() throws {
        let accounts = AccountService(store: store, bcryptCost: 4)
        let (account, generated) = try accounts.create(username: "alice", email: "Alice@Example.com", password: nil)
        let password = try #require(generated)
        #expect(account.email == "alice@example.com")
        #expect(!account.passwordHash.contains(password) && account.passwordHash.hasPrefix("$2"))
        #expect(try accounts.authenticate(login: "alice", password: password).id == account.id)
        #expect(try accounts.authenticate(login: "ALICE@example.com", password: password).id == account.id)
        #expect(throws: VeritasError(.unauthorized, "invalid login or password")) { try accounts.authenticate(login: "alice", password: "wrong-password") }
        #expect(throws: VeritasError(.unauthorized, "invalid login or password")) { try accounts.authenticate(login: "nobody", password: "x") }
        _ = try accounts.suspend("alice")
        #expect(throws: VeritasError.self) { try accounts.authenticate(login: "alice", password: password) }
        #expect(throws: VeritasError.self) { try accounts.create(username: "alice", email: "other@example.com", password: "password1") }
        #expect(throws: VeritasError.self) { try accounts.create(username: "Bad Name", email: "b@example.com", password: "password1") }
        #expect(throws: VeritasError.self) { try accounts.create(username: "bob", email: "not-an-email", password: "password1") }
        #expect(throws: VeritasError.self) { try accounts.create(username: "bob", email: "bob@example.com", password: "short") }
    }
}
