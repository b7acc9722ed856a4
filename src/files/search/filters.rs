//! The search filters as sets of point numbers, so that a query with
//! filters and no word (« ouvert maintenant », a kind of help) loads one
//! small file per filter rather than every point's details.
//!
//! - `f-<name>.js`: the points meeting one filter (`gratuit`,
//!   `sans-orientation`, `sans-justificatif`, `pmr`, `aide-<service>`,
//!   `public-<public>`, `langue-<code>`, `regime-<régime>`). Only non-empty
//!   sets are written; [`meta`](super::meta) lists them.
//! - `j-<n>.js`: the points open on day `n` after the build date (for the
//!   [`DAYS`](super::DAYS) days evaluated), grouped by their opening
//!   periods that day: `[["540-720 840-1020", postings], …]`. "Open today"
//!   and "open on a chosen day" are the union of one day's groups, "open
//!   now" the groups whose periods hold the visitor's minute.
//!
//! Sets are [`postings`](super::postings); a set holding more than half the
//! points is written as `!` and its complement, which keeps filters that
//! most points meet (« gratuit ») as small as rare ones.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{DayHours, DayPatterns, postings};
use crate::model::Lieu;
use crate::model::vocab::{Acces, Frais, Public, Vocabulary};

/// A set of point numbers among `n` (sorted, without duplicates), as short
/// as possible.
pub(super) fn set(ids: &[usize], n: usize) -> String {
    if ids.len() * 2 > n {
        let mut members = ids.iter().copied().peekable();
        let complement: Vec<usize> = (0..n).filter(|&i| members.next_if_eq(&i).is_none()).collect();
        format!("!{}", postings(&complement))
    } else {
        postings(ids)
    }
}

/// Every non-empty filter set, by name, sorted by name; each set sorted.
pub(super) fn filter_sets<'a>(lieux: &[&'a Lieu]) -> BTreeMap<String, Vec<usize>> {
    // By name as prefix and value, so that no name is written per point.
    let mut sets: BTreeMap<(&'static str, &'a str), Vec<usize>> = BTreeMap::new();
    // Points come in order: a set gets each point once, at its end.
    let mut add = |prefix: &'static str, value: &'a str, i: usize| {
        let ids = sets.entry((prefix, value)).or_default();
        if ids.last() != Some(&i) {
            ids.push(i);
        }
    };
    for (i, &l) in lieux.iter().enumerate() {
        if l.frais == Frais::Gratuit {
            add("gratuit", "", i);
        }
        if !l.acces.contains(&Acces::Orientation) {
            add("sans-orientation", "", i);
        }
        if l.justificatifs.is_empty() {
            add("sans-justificatif", "", i);
        }
        if l.accessibilite_pmr == Some(true) {
            add("pmr", "", i);
        }
        for s in &l.services {
            add("aide-", s.value(), i);
        }
        // A point open to everyone welcomes each public.
        for p in Public::ALL {
            if l.publics.contains(p) || l.publics.contains(&Public::TousPublics) {
                add("public-", p.value(), i);
            }
        }
        for r in &l.regimes {
            add("regime-", r.value(), i);
        }
        for code in &l.langues {
            add("langue-", code, i);
        }
    }
    // Names come from vocabularies and checked language codes only: they
    // are safe in a file name. Stay on the safe side anyway.
    let safe = |name: &String| name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    sets.into_iter().map(|((prefix, value), ids)| (format!("{prefix}{value}"), ids)).filter(|(n, _)| safe(n)).collect()
}

/// Day `n`'s groups of open points, by their periods of that day, in the
/// order of the periods' text.
pub(super) fn day_groups(hours: &[Option<Vec<DayHours>>], patterns: &DayPatterns, n: usize) -> Value {
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); patterns.texts.len()];
    for (i, h) in hours.iter().enumerate() {
        if let Some(DayHours::Open(p)) = h.as_ref().and_then(|days| days.get(n)) {
            groups[*p as usize].push(i);
        }
    }
    let mut open: Vec<(&str, &Vec<usize>)> = groups
        .iter()
        .enumerate()
        .map(|(p, ids)| (patterns.texts[p].as_str(), ids))
        .filter(|(text, ids)| !text.is_empty() && !ids.is_empty())
        .collect();
    open.sort_unstable_by_key(|(text, _)| *text);
    Value::Array(open.into_iter().map(|(p, ids)| json!([p, postings(ids)])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sets_are_written_as_their_complement() {
        assert_eq!(set(&[2, 5], 10), "2,3");
        let most: Vec<usize> = (0..10).filter(|i| *i != 4).collect();
        assert_eq!(set(&most, 10), "!4");
        assert_eq!(set(&(0..10).collect::<Vec<_>>(), 10), "!");
    }
}
