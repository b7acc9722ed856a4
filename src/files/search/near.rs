//! What "near" needs, split so that a first query loads little.
//!
//! - the cells of coordinates, `[first point number, min lat, min lon, max
//!   lat, max lon]` each, held inline by the search page (`cellules` in
//!   [`meta`](super::meta)), so that the page asks for the cells nearest
//!   the visitor as soon as the position is known. Points are numbered along a
//!   Z-order curve, so a cell is a run of consecutive numbers whose
//!   coordinates share the leading bits of their Z-order key: a small,
//!   compact area. Cells split until they hold at most [`CELL`] points.
//! - `c-<n>.js`: cell `n`'s coordinates, `[min lat, min lon, [lat, lon,
//!   lat, lon…]]` in hundred-thousandths of a degree (about a metre), the
//!   pairs relative to the minimum. The script loads the cells nearest the
//!   visitor until the nearest results are known, then only the detail
//!   blocks of the results it shows.
//! - `g-<key>.js`: places a visitor may type ("near Nanterre", "near
//!   92000"), keyed by the first two letters or digits of the folded name
//!   or of the postal code: `{"communes": [[name, folded name, lat, lon]…],
//!   "codes": {code: [lat, lon]}}`, at the mean position of their points;
//!   then the other communes of the départements the points are in, and
//!   their postal codes, at their centre (where the commune table has one:
//!   Île-de-France), so that « près de » a commune without a point yet
//!   still sorts by distance.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::mean;
use crate::model::{Lieu, Site};
use crate::text::format::coord;
use crate::text::{communes, format};

/// Points per cell of coordinates, at most.
pub const CELL: usize = 256;

/// Cells as ranges of point numbers, from the sorted Z-order keys: a range
/// is split on the next bit of the key while it holds more than [`CELL`]
/// points.
pub(super) fn cells(keys: &[u32]) -> Vec<(usize, usize)> {
    fn split(keys: &[u32], start: usize, end: usize, bit: i32, out: &mut Vec<(usize, usize)>) {
        if end - start <= CELL || bit < 0 {
            out.push((start, end));
            return;
        }
        let mid = start + keys[start..end].partition_point(|k| (k >> bit) & 1 == 0);
        for (a, b) in [(start, mid), (mid, end)] {
            if b > a {
                split(keys, a, b, bit - 1, out);
            }
        }
    }
    let mut out = Vec::new();
    if !keys.is_empty() {
        split(keys, 0, keys.len(), 31, &mut out);
    }
    out
}

fn micro(v: f64) -> i64 {
    (v * 1e5).round() as i64
}

/// The cells' bounds, for [`meta`](super::meta).
pub(super) fn cell_index(lieux: &[&Lieu], keys: &[u32]) -> Value {
    cell_files(lieux, keys).pop().map_or(Value::Null, |(_, index)| index)
}

/// Every `c-<n>`, then the cells' bounds (`cellules`), as (name, data).
pub(super) fn cell_files(lieux: &[&Lieu], keys: &[u32]) -> Vec<(String, Value)> {
    let ranges = cells(keys);
    let mut out = Vec::new();
    let mut index = Vec::new();
    for (n, &(start, end)) in ranges.iter().enumerate() {
        let pts: Vec<(i64, i64)> = lieux[start..end].iter().map(|l| (micro(l.latitude), micro(l.longitude))).collect();
        let (lat0, lon0) = (pts.iter().map(|p| p.0).min().unwrap_or(0), pts.iter().map(|p| p.1).min().unwrap_or(0));
        let (lat1, lon1) = (pts.iter().map(|p| p.0).max().unwrap_or(0), pts.iter().map(|p| p.1).max().unwrap_or(0));
        index.push(json!([start, lat0, lon0, lat1, lon1]));
        let flat: Vec<i64> = pts.iter().flat_map(|&(a, o)| [a - lat0, o - lon0]).collect();
        out.push((format!("c-{n}"), json!([lat0, lon0, flat])));
    }
    out.push(("cellules".into(), Value::Array(index)));
    out
}

/// A typed place as the script reads it: folded, anything but letters
/// and digits a single space.
pub fn plain(s: &str) -> String {
    format::fold(s).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The file holding a place: its first two letters or digits.
pub(super) fn place_key(plain: &str) -> Option<String> {
    let key: String = plain.chars().filter(|c| *c != ' ').take(2).collect();
    (key.len() == 2).then_some(key)
}

/// Every `g-<key>`, as (name, data).
pub(super) fn place_files(site: &Site, communes: &[crate::site::index::Commune<'_>]) -> Vec<(String, Value)> {
    #[derive(Default)]
    struct Shard {
        communes: Vec<Value>,
        codes: serde_json::Map<String, Value>,
    }
    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    for c in communes {
        let p = plain(&c.nom);
        let Some(key) = place_key(&p) else { continue };
        let (lat, lon) = mean(c.lieux.iter().map(|l| (l.latitude, l.longitude)));
        shards.entry(key).or_default().communes.push(json!([c.nom, p, lat, lon]));
    }
    let mut by_code: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
    for l in &site.lieux {
        by_code.entry(l.adresse.code_postal.as_str()).or_default().push(l);
    }
    for (&code, ls) in &by_code {
        let Some(key) = place_key(code) else { continue };
        let (lat, lon) = mean(ls.iter().map(|l| (l.latitude, l.longitude)));
        shards.entry(key).or_default().codes.insert(code.to_string(), json!([coord(lat), coord(lon)]));
    }
    // The other communes of the points' départements, at their centre.
    let known: std::collections::HashSet<String> = communes.iter().map(|c| plain(&c.nom)).collect();
    let departements: std::collections::BTreeSet<&str> = site
        .lieux
        .iter()
        .filter_map(|l| communes::of_address(&l.adresse.code_postal, &l.adresse.commune))
        .map(|c| c.departement())
        .collect();
    let mut codes: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for c in communes::all().filter(|c| departements.contains(c.departement())) {
        let Some(centre) = c.centre() else { continue };
        let at = (centre.latitude, centre.longitude);
        for code in c.codes_postaux().filter(|code| !by_code.contains_key(code)) {
            codes.entry(code).or_default().push(at);
        }
        let p = plain(c.nom);
        let Some(key) = place_key(&p) else { continue };
        if !known.contains(&p) {
            shards.entry(key).or_default().communes.push(json!([c.nom, p, coord(at.0), coord(at.1)]));
        }
    }
    for (code, centres) in codes {
        let Some(key) = place_key(code) else { continue };
        let (lat, lon) = mean(centres.into_iter());
        shards.entry(key).or_default().codes.insert(code.to_string(), json!([lat, lon]));
    }
    shards
        .into_iter()
        .map(|(key, s)| (format!("g-{key}"), json!({ "communes": s.communes, "codes": s.codes })))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_runs_of_at_most_cell_points_covering_every_point() {
        // Four tight groups far apart: each becomes its own cells.
        let mut keys: Vec<u32> = (0..4u32).flat_map(|g| (0..300u32).map(move |i| (g << 30) | i)).collect();
        keys.sort_unstable();
        let c = cells(&keys);
        assert_eq!(c.first().unwrap().0, 0);
        assert_eq!(c.last().unwrap().1, keys.len());
        for w in c.windows(2) {
            assert_eq!(w[0].1, w[1].0, "contiguous");
        }
        for &(a, b) in &c {
            assert!(b - a <= CELL && b > a);
            // A cell never mixes two groups.
            assert_eq!(keys[a] >> 30, keys[b - 1] >> 30);
        }
        // Identical keys beyond the cell size stay together rather than loop.
        assert_eq!(cells(&[7; 600]), vec![(0, 600)]);
        assert!(cells(&[]).is_empty());
    }

    #[test]
    fn places_are_keyed_by_their_first_two_letters_or_digits() {
        assert_eq!(plain("L’Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(place_key(&plain("L’Haÿ-les-Roses")).as_deref(), Some("lh"));
        assert_eq!(place_key("93200").as_deref(), Some("93"));
        assert_eq!(place_key("y"), None);
    }
}
