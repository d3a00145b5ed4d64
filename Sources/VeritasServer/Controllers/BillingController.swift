// GET /api/v1/plans and GET /api/v1/subscription.
import Foundation
import Hummingbird
import VeritasCore

struct BillingController: Sendable {
    let installation: Installation

    func register(on router: Router<VeritasRequestContext>) {
        let reads = router.scoped("read")
        reads.get("/api/v1/plans", use: plans)
        reads.get("/api/v1/subscription", use: subscription)
    }

    @Sendable func plans(request: Request, context: VeritasRequestContext) async throws -> [PlanEntity] {
        try installation.billing.plans().map(PlanEntity.init)
    }

    /// The caller's subscription that matters most: an active one ending last, else the latest.
    @Sendable func subscription(request: Request, context: VeritasRequestContext) async throws -> SubscriptionEntity {
        let account = try context.requireAccount()
        let now = installation.clock.now
        let subscriptions = try installation.store.subscriptions(accountID: account.id)
        let best = subscriptions.filter { $0.effectiveStatus(at: now) == .active }.max { $0.currentPeriodEnd < $1.currentPeriodEnd }
            ?? subscriptions.max { $0.updatedAt < $1.updatedAt }
        guard let best, let plan = try installation.store.plan(id: best.planID) else {
            throw APIError(.notFound, "no subscription")
        }
        return SubscriptionEntity(best, plan: plan, now: now)
    }
}
