// A bounded map for in-memory caches.

/// A bounded map in two generations: a hit in the old one moves up; when the young one is full
/// it becomes the old one and the previous old one is dropped (least recently used, roughly, for
/// the price of two dictionaries).
///
/// "Full" is `capacity` entries or, when entries are given a cost (their size in bytes, say),
/// half of `maxCost`: the map then holds at most `2 × capacity` entries and about `maxCost` of
/// cost whatever the entries are like.
public struct Generations<Key: Hashable, Value> {
    private var young: [Key: (value: Value, cost: Int)] = [:]
    private var old: [Key: (value: Value, cost: Int)] = [:]
    private var youngCost = 0
    public let capacity: Int
    public let maxCost: Int

    public init(capacity: Int, maxCost: Int = .max) {
        self.capacity = capacity
        self.maxCost = maxCost
    }

    public mutating func value(for key: Key) -> Value? {
        if let entry = young[key] { return entry.value }
        guard let entry = old[key] else { return nil }
        insert(entry.value, for: key, cost: entry.cost)
        return entry.value
    }

    public mutating func insert(_ value: Value, for key: Key, cost: Int = 0) {
        if young.count >= capacity || youngCost > maxCost / 2 - cost {
            old = young
            young = [:]
            youngCost = 0
        }
        if let replaced = young.updateValue((value, cost), forKey: key) { youngCost -= replaced.cost }
        youngCost += cost
    }

    public mutating func remove(_ key: Key) {
        if let removed = young.removeValue(forKey: key) { youngCost -= removed.cost }
        old[key] = nil
    }

    public mutating func removeAll() {
        young = [:]
        old = [:]
        youngCost = 0
    }
}
