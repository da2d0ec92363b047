//! The one cache type of the program: bounded in bytes, not in entries.
//!
//! Every cache berth keeps across requests (RUN scripts parsed by
//! tree-sitter-bash, ShellCheck's findings, semantic tokens sent, build
//! context listings) is keyed by something whose size the input decides:
//! an editor session makes a new script text per keystroke in a RUN, and
//! one script of a 5,000-line RUN is hundreds of kilobytes. A bound on the
//! count of entries is then no bound at all. Each entry here carries its
//! cost in bytes (key and value, as estimated by the caller), the cache
//! keeps the sum under a budget, and when an insert passes it the least
//! recently used entries go until a quarter of the budget is free again
//! (so eviction, which sorts, runs once per quarter budget of inserts).
//! An entry that alone costs more than the budget is not kept at all.

use std::hash::Hash;

use foldhash::HashMap;

/// Approximate heap bytes of a value, for caches that weigh what they hold.
pub trait HeapSize {
    /// Bytes owned by the value on the heap plus its own size.
    fn heap_size(&self) -> usize;
}

/// What an allocation of `bytes` costs: the allocator rounds it up and
/// keeps a header (a program of many small strings holds about twice their
/// length).
pub fn allocation(bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else {
        bytes.next_multiple_of(16) + 16
    }
}

impl HeapSize for String {
    fn heap_size(&self) -> usize {
        std::mem::size_of::<String>() + allocation(self.capacity())
    }
}

impl HeapSize for str {
    fn heap_size(&self) -> usize {
        self.len()
    }
}

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap_size(&self) -> usize {
        // Each element's heap size counts its own bytes: the allocation's
        // header, rounding and spare capacity are added here.
        let own = self.capacity() * std::mem::size_of::<T>();
        std::mem::size_of::<Vec<T>>() + allocation(own) - self.len() * std::mem::size_of::<T>()
            + self.iter().map(HeapSize::heap_size).sum::<usize>()
    }
}

/// A map from keys to values whose total cost stays under a budget in
/// bytes, evicting the least recently used entries.
pub struct BoundedCache<K, V> {
    map: HashMap<K, Entry<V>>,
    budget: usize,
    used: usize,
    clock: u64,
}

struct Entry<V> {
    value: V,
    cost: usize,
    last_used: u64,
}

/// What a map entry costs beyond its key and value (hash table slot,
/// bookkeeping), added to every entry's cost.
const ENTRY_OVERHEAD: usize = 64;

impl<K: Hash + Eq + Clone, V: Clone> BoundedCache<K, V> {
    /// An empty cache that holds at most `budget` bytes.
    pub fn new(budget: usize) -> BoundedCache<K, V> {
        BoundedCache {
            map: HashMap::default(),
            budget,
            used: 0,
            clock: 0,
        }
    }

    /// The value for `key`, marked as used now.
    pub fn get<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.clock += 1;
        let e = self.map.get_mut(key)?;
        e.last_used = self.clock;
        Some(e.value.clone())
    }

    /// Keep `value` under `key`; `cost` is what both hold in bytes. A value
    /// costing more than the whole budget is not kept (and replaces
    /// nothing).
    pub fn insert(&mut self, key: K, value: V, cost: usize) {
        let cost = cost + ENTRY_OVERHEAD;
        if cost > self.budget {
            return;
        }
        self.clock += 1;
        let entry = Entry {
            value,
            cost,
            last_used: self.clock,
        };
        if let Some(old) = self.map.insert(key, entry) {
            self.used -= old.cost;
        }
        self.used += cost;
        if self.used > self.budget {
            self.evict(self.budget - self.budget / 4);
        }
    }

    /// Forget `key`.
    pub fn remove<Q>(&mut self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(old) = self.map.remove(key) {
            self.used -= old.cost;
        }
    }

    /// Keep only the entries `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let used = &mut self.used;
        self.map.retain(|k, e| {
            let kept = keep(k, &e.value);
            if !kept {
                *used -= e.cost;
            }
            kept
        });
    }

    /// Drop the least recently used entries until at most `target` bytes
    /// are held.
    fn evict(&mut self, target: usize) {
        let mut by_age: Vec<(u64, usize, K)> = (self.map.iter())
            .map(|(k, e)| (e.last_used, e.cost, k.clone()))
            .collect();
        by_age.sort_unstable_by_key(|&(t, _, _)| t);
        for (_, cost, key) in by_age {
            if self.used <= target {
                break;
            }
            self.map.remove(&key);
            self.used -= cost;
        }
    }

    /// Bytes the entries cost, as their callers estimated them (always at
    /// most the budget).
    pub fn bytes(&self) -> usize {
        self.used
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn budget(&self) -> usize {
        self.budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_under_its_budget_and_keeps_the_recently_used() {
        let mut c: BoundedCache<u32, u32> = BoundedCache::new(10_000);
        c.insert(0, 0, 100);
        for i in 1..1_000 {
            c.insert(i, i, 100);
            // Entry 0 is read between inserts: it is always recent.
            assert_eq!(c.get(&0), Some(0));
            assert!(c.bytes() <= c.budget());
        }
        assert!(c.len() < 1_000 && c.len() > 40, "{}", c.len());
        assert_eq!(c.get(&999), Some(999));
        assert_eq!(c.get(&1), None, "the oldest unused entry went first");
    }

    #[test]
    fn replacing_an_entry_counts_its_cost_once() {
        let mut c: BoundedCache<&str, u8> = BoundedCache::new(1_000);
        for _ in 0..100 {
            c.insert("a", 1, 100);
        }
        assert_eq!(c.bytes(), 100 + ENTRY_OVERHEAD);
        c.remove("a");
        assert_eq!((c.bytes(), c.len()), (0, 0));
    }

    #[test]
    fn an_entry_over_the_budget_is_not_kept() {
        let mut c: BoundedCache<u8, u8> = BoundedCache::new(1_000);
        c.insert(1, 1, 10);
        c.insert(2, 2, 5_000);
        assert_eq!(c.get(&2), None);
        assert_eq!(c.get(&1), Some(1));
    }

    #[test]
    fn retain_gives_back_the_bytes() {
        let mut c: BoundedCache<u8, u8> = BoundedCache::new(1_000);
        c.insert(1, 1, 10);
        c.insert(2, 2, 20);
        c.retain(|k, _| *k == 2);
        assert_eq!(c.bytes(), 20 + ENTRY_OVERHEAD);
    }
}
