// SQLite implementation of AccountStore and BillingStore.
import Foundation
import GRDB

extension SQLiteStore {
    public func insert(_ account: Account) throws {
        try write { db in
            let taken = try Account.filter(Column("username") == account.username || Column("email") == account.email).fetchCount(db)
            guard taken == 0 else { throw VeritasError.conflict("an account named \(account.username) or with that e-mail exists") }
            try account.insert(db)
        }
    }

    public func account(id: String) throws -> Account? {
        try read { db in try Account.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE id = ?"), arguments: [id]) }
    }

    public func account(login: String) throws -> Account? {
        try read { db in try Account.filter(Column("username") == login || Column("email") == login).fetchOne(db) }
    }

    public func accounts() throws -> [Account] {
        try read { db in try Account.order(Column("createdAt"), Column("id")).fetchAll(db) }
    }

    public func setSuspended(accountID: String, _ suspended: Bool) throws {
        try write { db in
            try db.execute(sql: "UPDATE account SET isSuspended = ? WHERE id = ?", arguments: [suspended, accountID])
        }
    }

    public func insert(_ app: OAuthApp) throws {
        try write { db in try app.insert(db) }
    }

    public func app(clientID: String) throws -> OAuthApp? {
        try read { db in try OAuthApp.filter(Column("clientID") == clientID).fetchOne(db) }
    }

    public func insert(_ token: AccessToken) throws {
        try write { db in try token.insert(db) }
    }

    public func bearer(digest: String) throws -> (token: AccessToken, account: Account?)? {
        try read { db in
            guard
                let token = try AccessToken.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM accessToken WHERE tokenHash = ? AND revokedAt IS NULL"), arguments: [digest])
            else { return nil }
            let account = try token.accountID.flatMap {
                try Account.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE id = ?"), arguments: [$0])
            }
            return (token, account)
        }
    }

    public func revokeToken(digest: String, appID: String?, at date: Date) throws -> Bool {
        try write { db in
            var request = AccessToken.filter(Column("tokenHash") == digest && Column("revokedAt") == nil)
            if let appID { request = request.filter(Column("appID") == appID) }
            return try request.updateAll(db, Column("revokedAt").set(to: date)) > 0
        }
    }

    public func insert(_ code: AuthorizationCode) throws {
        try write { db in try code.insert(db) }
    }

    public func consumeCode(digest: String, appID: String, redirectURI: String, now: Date) throws -> AuthorizationCode? {
        try write { db in
            guard var code = try AuthorizationCode.fetchOne(db, key: digest), code.usedAt == nil, code.expiresAt > now,
                code.appID == appID, code.redirectURI == redirectURI
            else {
                return nil
            }
            code.usedAt = now
            try code.update(db)
            return code
        }
    }

    public func insert(_ plan: Plan) throws {
        try write { db in
            guard try Plan.fetchOne(db, key: plan.id) == nil else { throw VeritasError.conflict("a plan \(plan.id) already exists") }
            try plan.insert(db)
        }
    }

    public func plan(id: String) throws -> Plan? {
        try read { db in try Plan.fetchOne(db, key: id) }
    }

    public func plans() throws -> [Plan] {
        try read { db in try Plan.fetchAll(db.cachedStatement(sql: "SELECT * FROM plan ORDER BY createdAt, id")) }
    }

    public func setUnlockingPlans(showID: String, planIDs: [String]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM showPlan WHERE showID = ?", arguments: [showID])
            for planID in Set(planIDs) {
                try db.execute(sql: "INSERT INTO showPlan (showID, planID) VALUES (?, ?)", arguments: [showID, planID])
            }
        }
    }

    public func unlockingPlans(showID: String) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db.cachedStatement(sql: "SELECT planID FROM showPlan WHERE showID = ?"), arguments: [showID]))
        }
    }

    public func subscriptions(accountID: String) throws -> [Subscription] {
        try read { db in
            try Subscription.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM subscription WHERE accountID = ? ORDER BY createdAt"), arguments: [accountID])
        }
    }

    public func subscriptions(planID: String?) throws -> [Subscription] {
        try read { db in
            var request = Subscription.all()
            if let planID { request = request.filter(Column("planID") == planID) }
            return try request.order(Column("createdAt"), Column("id")).fetchAll(db)
        }
    }

    public func save(_ subscription: Subscription) throws {
        try write { db in try subscription.save(db) }
    }

    public func podcastFeed(accountID: String, showID: String) throws -> PodcastFeed? {
        try read { db in try PodcastFeed.filter(Column("accountID") == accountID && Column("showID") == showID).fetchOne(db) }
    }

    public func podcastFeed(tokenHash: String) throws -> PodcastFeed? {
        try read { db in try PodcastFeed.fetchOne(db.cachedStatement(sql: "SELECT * FROM podcastFeed WHERE tokenHash = ?"), arguments: [tokenHash]) }
    }

    public func save(_ feed: PodcastFeed) throws {
        try write { db in try feed.save(db) }
    }
}
