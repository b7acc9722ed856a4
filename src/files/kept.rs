//! What `alimap serve` keeps of whole-site files between builds: each
//! point's part (its export records, its search index entry), with a
//! fingerprint of what it shows, so that a rebuild makes again only the
//! parts of the points that changed. `render::memo` keeps pages the same way.

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3Default;

use crate::model::Lieu;

/// 128 bits of XXH3: a collision, which would show a stale page, is out of
/// reach for any real site, and hashing keeps up with formatting.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u128);

/// In hexadecimal: fingerprints are themselves fingerprinted through their
/// `Debug` form, thousands of times per rebuild, and a `u128` is much
/// slower to write in decimal.
impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Each point's part of whole-site files (its export records, its entry in
/// the search index), kept between builds with the fingerprint of its
/// inputs: `alimap serve` makes again only those of the points that
/// changed.
pub struct PerPoint<T>(HashMap<String, (Fingerprint, Arc<T>)>);

impl<T> Default for PerPoint<T> {
    fn default() -> Self {
        PerPoint(HashMap::new())
    }
}

/// A point's fingerprint: the point and what its parts show besides it.
pub(crate) type KeyOf<'a> = &'a (dyn Fn(&Lieu) -> Fingerprint + Sync);

/// Each point's part, in the order of `lieux`, made in parallel; with
/// `kept`, taken from it when the point's fingerprint did not change, and
/// `kept` then holds this build's parts.
pub(crate) fn per_point<'s, T: Send + Sync>(
    lieux: &[&'s Lieu],
    kept: Option<(&mut PerPoint<T>, KeyOf<'_>)>,
    make: impl Fn(&'s Lieu) -> T + Sync,
) -> Vec<Arc<T>> {
    use rayon::prelude::*;
    let Some((kept, key_of)) = kept else {
        return lieux.par_iter().map(|l| Arc::new(make(l))).collect();
    };
    let made: Vec<(Fingerprint, Arc<T>)> = lieux
        .par_iter()
        .map(|l| {
            let key = key_of(l);
            match kept.0.get(&l.id) {
                Some((k, part)) if *k == key => (key, Arc::clone(part)),
                _ => (key, Arc::new(make(l))),
            }
        })
        .collect();
    kept.0 = lieux.iter().zip(&made).map(|(l, (k, part))| (l.id.clone(), (*k, Arc::clone(part)))).collect();
    made.into_iter().map(|(_, part)| part).collect()
}

/// A fingerprint of `parts`, through their `Debug` forms.
pub(crate) fn inputs_key(parts: &[&dyn std::fmt::Debug]) -> Fingerprint {
    let mut f = Fingerprinter::new();
    use std::fmt::Write as _;
    for part in parts {
        let _ = write!(f, "{part:?}\u{0}");
    }
    f.finish()
}

pub(crate) struct Fingerprinter(Xxh3Default);

impl Fingerprinter {
    pub(crate) fn new() -> Self {
        Fingerprinter(Xxh3Default::new())
    }
    /// Writes a length-prefixed field, so that two fields cannot run into
    /// each other.
    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
    pub(crate) fn finish(&self) -> Fingerprint {
        Fingerprint(self.0.digest128())
    }
}

impl std::fmt::Write for Fingerprinter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
