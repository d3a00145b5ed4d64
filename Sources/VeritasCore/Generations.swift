// A bounded map for in-memory caches.

/// A bounded map in two generations: a hit in the old one moves up; when the young one is full
/// it becomes the old one and the previous old one is dropped (least recently used, roughly, for
/// the price of two dictionaries).
public struct Generations<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public mutating func value(for key: Key) -> Value? {
        if let value = young[key] { return value }
        guard let value = old[key] else { return nil }
        insert(value, for: key)
        return value
    }

    public mutating func insert(_ value: Value, for key: Key) {
        if young.count >= capacity {
            old = young
            young = [:]
        }
        young[key] = value
    }

    public mutating func remove(_ key: Key) {
        young[key] = nil
        old[key] = nil
    }

    public mutating func removeAll() {
        young = [:]
        old = [:]
    }
}
