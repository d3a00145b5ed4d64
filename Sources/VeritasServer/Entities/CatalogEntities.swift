// JSON shapes of shows, episodes, plans and subscriptions.
import Foundation
import VeritasCore

struct PlanEntity: Encodable, Sendable {
    let id, name, price, currency, period: String

    init(_ plan: Plan) {
        id = plan.id
        name = plan.name
        price = plan.price
        currency = plan.currency
        period = plan.period.rawValue
    }
}

struct SubscriptionEntity: Encodable, Sendable {
    let id: String
    let plan: PlanEntity
    let status: String
    let currentPeriodEnd: Date

    init(_ subscription: Subscription, plan: Plan, now: Date) {
        id = subscription.id
        self.plan = PlanEntity(plan)
        status = subscription.effectiveStatus(at: now).rawValue
        currentPeriodEnd = subscription.currentPeriodEnd
    }
}

struct ShowEntity: Encodable, Sendable {
    let id, slug, title, description, kind: String
    /// `free`, or `plans` when `plans` lists what unlocks it.
    let access: String
    let plans: [String]
    let url: String
    let episodesCount: Int
    /// Whether the caller may play its episodes.
    let canPlay: Bool
}

struct EpisodeEntity: Encodable, Sendable {
    let id: String
    let showId: String
    let showSlug: String
    let season: Int?
    let number: Int?
    let title: String
    let description: String
    let publishedAt: Date?
    let duration: Double?
    let assetId: String
    let status: String
    let posterUrl: String?
    let url: String
    let canPlay: Bool
    /// Plans that unlock it (empty for free shows).
    let plans: [String]
}
