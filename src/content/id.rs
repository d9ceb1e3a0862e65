//! `NoteId`: which note, as a type of its own rather than a bare `usize` that a term index, a
//! page number or a shard number could be mistaken for.

use std::ops::{Index, IndexMut};

/// A note: its place in `Content::notes` (home is always `NoteId::HOME`). Every per-note
/// vector of the build (rendered Markdown, outlines, search entries, graph lists…) is in that
/// order, so it can be indexed by a `NoteId` as well (`rendered[id]`); a bare `usize` index
/// into them still works, for the loops over every note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoteId(usize);

impl NoteId {
    /// The home page, first of the notes.
    pub const HOME: NoteId = NoteId(0);

    /// The note at `index` in `Content::notes`.
    pub const fn new(index: usize) -> Self {
        NoteId(index)
    }

    /// Its index in `Content::notes` (and in every per-note vector).
    pub const fn index(self) -> usize {
        self.0
    }

    /// The ids of `n` notes, in note order.
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = NoteId> + ExactSizeIterator + Clone {
        (0..n).map(NoteId)
    }

    /// Each item of a per-note slice with its note's id, in note order.
    pub fn enumerate<T>(items: &[T]) -> impl DoubleEndedIterator<Item = (NoteId, &T)> + Clone {
        items.iter().enumerate().map(|(i, x)| (NoteId(i), x))
    }
}

// Per-note collections are plain slices and vectors in note order: indexing them by a `NoteId`
// costs what indexing by its `usize` does.
impl<T> Index<NoteId> for [T] {
    type Output = T;
    #[inline]
    fn index(&self, id: NoteId) -> &T {
        &self[id.0]
    }
}

impl<T> IndexMut<NoteId> for [T] {
    #[inline]
    fn index_mut(&mut self, id: NoteId) -> &mut T {
        &mut self[id.0]
    }
}

impl<T> Index<NoteId> for Vec<T> {
    type Output = T;
    #[inline]
    fn index(&self, id: NoteId) -> &T {
        &self[id.0]
    }
}

impl<T> IndexMut<NoteId> for Vec<T> {
    #[inline]
    fn index_mut(&mut self, id: NoteId) -> &mut T {
        &mut self[id.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_per_note_vectors_in_note_order() {
        let titles = vec!["home", "a", "b"];
        let ids: Vec<NoteId> = NoteId::all(titles.len()).collect();
        assert_eq!(ids, [NoteId::HOME, NoteId::new(1), NoteId::new(2)]);
        assert_eq!(titles[ids[2]], "b");
        assert_eq!(titles.as_slice()[NoteId::new(1)], "a");
        let pairs: Vec<(NoteId, &&str)> = NoteId::enumerate(&titles).collect();
        assert_eq!(pairs[1], (NoteId::new(1), &"a"));
        let mut counts = vec![0; 3];
        counts[NoteId::new(2)] += 1;
        assert_eq!(counts, [0, 0, 1]);
        assert_eq!(NoteId::new(7).index(), 7);
    }
}
