//! Small ordered sets used on the hot path: a node's unconfirmed-transaction pool and
//! the blocks that carried a transaction.
//!
//! Pools are usually a handful of transactions, and transaction ids only grow, so a
//! sorted vector beats a tree: inserts are mostly appends, look-ups a binary search, and
//! iteration is in id order (deterministic).

/// An ordered set of transaction ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransactionPool {
    ids: Vec<u32>,
}

impl TransactionPool {
    pub fn new() -> TransactionPool {
        TransactionPool { ids: Vec::new() }
    }

    /// Adds an id; false when it was already there.
    pub fn insert(&mut self, id: u32) -> bool {
        match self.ids.last() {
            None => {
                self.ids.push(id);
                true
            }
            Some(&last) if id > last => {
                self.ids.push(id);
                true
            }
            _ => match self.ids.binary_search(&id) {
                Ok(_) => false,
                Err(position) => {
                    self.ids.insert(position, id);
                    true
                }
            },
        }
    }

    pub fn remove(&mut self, id: &u32) -> bool {
        match self.ids.binary_search(id) {
            Ok(position) => {
                self.ids.remove(position);
                true
            }
            Err(_) => false,
        }
    }

    /// Removes every id of `sorted_ids` (ascending) that is here, in one merge pass
    /// over both lists: the same set as removing them one by one, without shifting the
    /// rest of the pool once per id.
    pub fn remove_sorted(&mut self, sorted_ids: &[u32]) {
        debug_assert!(sorted_ids.windows(2).all(|pair| pair[0] < pair[1]));
        if sorted_ids.is_empty() || self.ids.is_empty() {
            return;
        }
        let mut removed = sorted_ids.iter().peekable();
        self.ids.retain(|&id| {
            while removed.next_if(|&&candidate| candidate < id).is_some() {}
            removed.next_if_eq(&&id).is_none()
        });
    }

    pub fn contains(&self, id: &u32) -> bool {
        self.ids.binary_search(id).is_ok()
    }

    pub fn iter(&self) -> std::iter::Copied<std::slice::Iter<'_, u32>> {
        self.ids.iter().copied()
    }

    /// Every id of `self` is in `other` (a merge walk over both sorted lists).
    pub fn is_subset(&self, other: &TransactionPool) -> bool {
        if self.ids.len() > other.ids.len() {
            return false;
        }
        let mut theirs = other.ids.iter();
        'outer: for id in &self.ids {
            for candidate in theirs.by_ref() {
                if candidate == id {
                    continue 'outer;
                }
                if candidate > id {
                    return false;
                }
            }
            return false;
        }
        true
    }

    pub fn extend(&mut self, ids: impl IntoIterator<Item = u32>) {
        for id in ids {
            self.insert(id);
        }
    }

    pub fn clear(&mut self) {
        self.ids.clear();
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The blocks that have carried one transaction: nearly always exactly one, so the
/// first is kept inline and only forks allocate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockList {
    first: Option<super::chain::BlockId>,
    rest: Vec<super::chain::BlockId>,
}

impl BlockList {
    pub fn push_unique(&mut self, block: super::chain::BlockId) {
        match self.first {
            None => self.first = Some(block),
            Some(first) if first == block => {}
            Some(_) => {
                if !self.rest.contains(&block) {
                    self.rest.push(block);
                }
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = super::chain::BlockId> + '_ {
        self.first.iter().copied().chain(self.rest.iter().copied())
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::chain::BlockId;

    #[test]
    fn the_pool_is_an_ordered_set() {
        let mut pool = TransactionPool::new();
        assert!(pool.insert(5));
        assert!(pool.insert(9));
        assert!(pool.insert(7));
        assert!(!pool.insert(7));
        assert_eq!(pool.iter().collect::<Vec<_>>(), vec![5, 7, 9]);
        assert!(pool.remove(&7) && !pool.remove(&7));
        assert!(pool.contains(&9) && !pool.contains(&7));
        pool.extend([1, 9, 12]);
        assert_eq!(pool.iter().collect::<Vec<_>>(), vec![1, 5, 9, 12]);
        assert_eq!(pool.len(), 4);
        pool.remove_sorted(&[0, 5, 6, 12, 13]);
        assert_eq!(pool.iter().collect::<Vec<_>>(), vec![1, 9]);
        pool.remove_sorted(&[]);
        pool.remove_sorted(&[1, 2, 3, 9]);
        assert!(pool.is_empty());
    }

    #[test]
    fn subsets() {
        let mut small = TransactionPool::new();
        let mut large = TransactionPool::new();
        assert!(small.is_subset(&large));
        large.extend([1, 2, 3, 5, 8]);
        small.extend([2, 5]);
        assert!(small.is_subset(&large));
        small.insert(4);
        assert!(!small.is_subset(&large));
        assert!(!large.is_subset(&small));
        let mut tail = TransactionPool::new();
        tail.insert(9);
        assert!(!tail.is_subset(&large));
    }

    #[test]
    fn block_lists_keep_each_block_once() {
        let mut list = BlockList::default();
        assert!(list.is_empty());
        list.push_unique(BlockId(3));
        list.push_unique(BlockId(3));
        list.push_unique(BlockId(4));
        list.push_unique(BlockId(4));
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            vec![BlockId(3), BlockId(4)]
        );
    }
}
