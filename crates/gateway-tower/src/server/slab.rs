//! A list whose removed places are reused: the timer's slots and the open connections each
//! live in one, so a connection costs one push when it opens and one take when it closes,
//! never a search or a shift.

/// Entries addressed by the index [`insert`](Slab::insert) returned.
#[derive(Debug)]
pub(super) struct Slab<T> {
    entries: Vec<Option<T>>,
    free: Vec<usize>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Self { entries: Vec::new(), free: Vec::new() }
    }
}

impl<T> Slab<T> {
    /// The index the next [`insert`](Self::insert) will use.
    pub(super) fn vacant(&self) -> usize {
        self.free.last().copied().unwrap_or(self.entries.len())
    }

    /// Stores `value`; its index, for [`remove`](Self::remove).
    pub(super) fn insert(&mut self, value: T) -> usize {
        match self.free.pop() {
            Some(index) => {
                self.entries[index] = Some(value);
                index
            }
            None => {
                self.entries.push(Some(value));
                self.entries.len() - 1
            }
        }
    }

    /// Takes the entry at `index` out, if there is one.
    pub(super) fn remove(&mut self, index: usize) -> Option<T> {
        let taken = self.entries.get_mut(index).and_then(Option::take);
        if taken.is_some() {
            self.free.push(index);
        }
        taken
    }

    pub(super) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.entries.get_mut(index).and_then(Option::as_mut)
    }

    /// The entries with their indexes.
    pub(super) fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.entries.iter().enumerate().filter_map(|(index, entry)| entry.as_ref().map(|entry| (index, entry)))
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn a_removed_place_is_reused_and_vacant_says_which() {
        let mut slab = Slab::default();
        assert_eq!((slab.insert('a'), slab.insert('b'), slab.insert('c')), (0, 1, 2));
        assert_eq!(slab.remove(1), Some('b'));
        assert_eq!(slab.remove(1), None, "a second remove finds nothing");
        assert_eq!(slab.len(), 2);
        assert_eq!(slab.vacant(), 1);
        assert_eq!(slab.insert('d'), 1);
        assert_eq!(slab.vacant(), 3);
        assert_eq!(slab.iter().map(|(_, v)| *v).collect::<String>(), "adc");
    }
}
