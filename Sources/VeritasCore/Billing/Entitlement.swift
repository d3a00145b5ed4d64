// SPEC §5's rule for who may play what, in one place.
import Foundation

/// Decides whether an account may play a show's episodes.
public enum Entitlement {
    /// True iff the account is not suspended and either is an admin, or the show is free, or it
    /// holds an active subscription, not past its period end, to a plan that unlocks the show.
    public static func canPlay(
        account: Account, show: Show, unlockingPlans: Set<String>, subscriptions: [Subscription], now: Date
    ) -> Bool {
        guard !account.isSuspended else { return false }
        if account.isAdmin || show.isFree { return true }
        return subscriptions.contains { subscription in
            subscription.accountID == account.id && unlockingPlans.contains(subscription.planID)
                && subscription.effectiveStatus(at: now) == .active
        }
    }
}
