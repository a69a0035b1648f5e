//! A slab: values in one vector, addressed by a `u32` index, with freed places reused.
//!
//! The agenda keeps its cases, their items and their promises in three slabs and links
//! them by index, so a case costs no allocation of its own. The vector grows by an
//! eighth at a time rather than doubling: at a million items, doubling would leave up
//! to half of it as spare capacity.

/// Values addressed by index; removed places are reused first.
#[derive(Debug, Clone)]
pub(super) struct Slab<T> {
    values: Vec<T>,
    free: Vec<u32>,
}

/// The index that stands for "none" in the agenda's links.
pub(super) const NIL: u32 = u32::MAX;

impl<T: Default> Slab<T> {
    pub(super) fn new() -> Self {
        Self {
            values: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Stores `value`; `None` once `u32::MAX - 1` places are in use.
    pub(super) fn insert(&mut self, value: T) -> Option<u32> {
        if let Some(index) = self.free.pop() {
            if let Some(place) = self.values.get_mut(index as usize) {
                *place = value;
                return Some(index);
            }
        }
        let index = u32::try_from(self.values.len())
            .ok()
            .filter(|i| *i != NIL)?;
        grow_lean(&mut self.values);
        self.values.push(value);
        Some(index)
    }

    /// Frees a place, dropping what it held (a shared identifier is released at once).
    pub(super) fn remove(&mut self, index: u32) -> Option<T> {
        let place = self.values.get_mut(index as usize)?;
        let value = std::mem::take(place);
        self.free.push(index);
        Some(value)
    }

    pub(super) fn get(&self, index: u32) -> Option<&T> {
        self.values.get(index as usize)
    }

    pub(super) fn get_mut(&mut self, index: u32) -> Option<&mut T> {
        self.values.get_mut(index as usize)
    }

    /// How many places there are, freed ones included.
    pub(super) fn len(&self) -> u32 {
        u32::try_from(self.values.len()).unwrap_or(NIL)
    }

    /// Every place with its index, freed ones included.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        (0..=u32::MAX).zip(&self.values)
    }
}

/// Makes room for one more value, growing by an eighth (at least 16) when full.
pub(super) fn grow_lean<T>(values: &mut Vec<T>) {
    if values.len() == values.capacity() {
        values.reserve_exact((values.len() / 8).max(16));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_places_are_reused_and_their_values_dropped() {
        let mut slab: Slab<Option<String>> = Slab::new();
        let a = slab.insert(Some("a".into())).unwrap();
        let b = slab.insert(Some("b".into())).unwrap();
        assert_eq!((a, b), (0, 1));
        assert_eq!(slab.remove(a), Some(Some("a".into())));
        assert_eq!(slab.get(a), Some(&None));
        assert_eq!(slab.insert(Some("c".into())), Some(a));
        assert_eq!(slab.get(a), Some(&Some("c".into())));
        assert_eq!(slab.insert(Some("d".into())), Some(2));
        if let Some(v) = slab.get_mut(b) {
            *v = None;
        }
        assert_eq!(
            slab.iter().map(|(i, v)| (i, v.clone())).collect::<Vec<_>>(),
            vec![(0, Some("c".into())), (1, None), (2, Some("d".into()))]
        );
        assert_eq!(slab.remove(9), None);
    }

    #[test]
    fn growth_is_by_an_eighth() {
        let mut values: Vec<u64> = Vec::new();
        for n in 0..10_000u64 {
            grow_lean(&mut values);
            values.push(n);
            assert!(values.capacity() <= values.len() + (values.len() / 8).max(16));
        }
    }
}
