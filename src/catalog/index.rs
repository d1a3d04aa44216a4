//! The offer id index: positions by id, hashing the ids in the id column.

use std::hash::BuildHasher as _;

use rustc_hash::FxBuildHasher;

/// Offer positions by id. The table holds only positions; the ids stay in the id
/// column, which every lookup reads (so an offer's id is stored once, and building
/// the index allocates nothing per offer).
#[derive(Clone, Debug, Default)]
pub(super) struct OfferIndex(hashbrown::HashTable<u32>);

impl OfferIndex {
    fn hash(id: &str) -> u64 {
        FxBuildHasher.hash_one(id)
    }

    /// Position of the offer with this id.
    pub(super) fn get(&self, ids: &[String], id: &str) -> Option<usize> {
        self.find(ids, id, Self::hash(id))
    }

    fn find(&self, ids: &[String], id: &str, hash: u64) -> Option<usize> {
        self.0
            .find(hash, |&i| ids[i as usize] == id)
            .map(|&i| i as usize)
    }

    /// Rehashes a position by its id when the table grows (one closure type, so one
    /// copy of the growth code).
    fn rehash(ids: &[String]) -> impl Fn(&u32) -> u64 + '_ {
        |&i| Self::hash(&ids[i as usize])
    }

    /// Adds the offer at `idx`; `false` (and nothing added) when its id is already
    /// indexed at another position.
    pub(super) fn insert(&mut self, ids: &[String], idx: usize) -> bool {
        let id = ids[idx].as_str();
        let hash = Self::hash(id);
        if self.find(ids, id, hash).is_some() {
            return false;
        }
        self.0.insert_unique(hash, idx as u32, Self::rehash(ids));
        true
    }

    /// Forgets the offer at `idx` and records that the offer at `moved_from` (the
    /// last one) now sits at `idx`: what `swap_remove(idx)` does to the columns.
    /// Called before the columns change, while `ids` still has both.
    pub(super) fn swap_remove(&mut self, ids: &[String], idx: usize) {
        if let Ok(entry) = self
            .0
            .find_entry(Self::hash(&ids[idx]), |&i| i as usize == idx)
        {
            entry.remove();
        }
        let last = ids.len() - 1;
        if idx != last {
            if let Some(slot) = self
                .0
                .find_mut(Self::hash(&ids[last]), |&i| i as usize == last)
            {
                *slot = idx as u32;
            }
        }
    }

    pub(super) fn reserve(&mut self, ids: &[String], additional: usize) {
        self.0.reserve(additional, Self::rehash(ids));
    }
}
