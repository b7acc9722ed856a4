//! The site's index, made once per build before any page or file: points
//! by structure, territory and commune, and the one numbering of points
//! that the search index, the map data and the pages share. In no language.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Lieu, Site, Territoire};
use crate::text::format;

/// Above this many points, a territory's page sums its points up by
/// commune, and its printable guide comes in one part per commune; a
/// commune's page, a structure's and a part of a guide list this many
/// points a page.
pub(crate) const LISTE_MAX: usize = 100;

/// The pages a list of `n` points takes, [`LISTE_MAX`] to a page: a
/// commune's page, a structure's, a commune's part of a guide.
pub(crate) fn page_count(n: usize) -> usize {
    n.div_ceil(LISTE_MAX).max(1)
}

/// The points of page `page` (from 0) of a list.
pub(crate) fn page_of<T>(items: &[T], page: usize) -> &[T] {
    let start = (page * LISTE_MAX).min(items.len());
    &items[start..(start + LISTE_MAX).min(items.len())]
}

pub struct Index<'a> {
    by_structure: ByItem<'a>,
    by_territoire: ByItem<'a>,
    /// Every point in the search index's order (Z-order of coordinates,
    /// then id): a point's place here is its number.
    pub ordered: Vec<&'a Lieu>,
    numbers: HashMap<&'a str, usize>,
    /// The site's communes, by folded name.
    pub communes: Vec<Commune<'a>>,
    /// Each point's commune, as an index into `communes`.
    commune_of: HashMap<&'a str, usize>,
    /// Each territory too large for one guide, with each commune of its
    /// points (an index into `communes`), in the communes' order.
    parts: Vec<(&'a Territoire, usize)>,
}

impl<'a> Index<'a> {
    pub fn new(site: &'a Site) -> Self {
        // Each a pass over every point, side by side.
        let ((by_structure, by_territoire), (ordered, communes)) =
            rayon::join(|| by_item(site), || rayon::join(|| z_ordered(site), || communes(site)));
        let numbers = numbers(&ordered);
        let commune_of: HashMap<&str, usize> =
            communes.iter().enumerate().flat_map(|(i, c)| c.lieux.iter().map(move |l| (l.id.as_str(), i))).collect();
        let mut parts = Vec::new();
        for t in &site.territoires {
            let Some(lieux) = by_territoire.get(t.id.as_str()).filter(|l| l.len() > LISTE_MAX) else { continue };
            let used: BTreeSet<usize> = lieux.iter().filter_map(|l| commune_of.get(l.id.as_str()).copied()).collect();
            parts.extend(used.into_iter().map(|i| (t, i)));
        }
        Index { by_structure, by_territoire, ordered, numbers, communes, commune_of, parts }
    }
    pub fn structure(&self, id: &str) -> &[&'a Lieu] {
        self.by_structure.get(id).map_or(&[], Vec::as_slice)
    }
    pub fn territoire(&self, id: &str) -> &[&'a Lieu] {
        self.by_territoire.get(id).map_or(&[], Vec::as_slice)
    }
    /// A point's number in the search index.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.numbers.get(id).copied()
    }
    /// The commune of a point.
    pub fn commune(&self, id: &str) -> Option<&Commune<'a>> {
        self.commune_of.get(id).map(|&i| &self.communes[i])
    }
    /// Each territory too large for one guide, with the communes of its
    /// points, in the communes' order: one guide part each.
    pub fn guide_parts(&self) -> impl Iterator<Item = (&'a Territoire, &Commune<'a>)> {
        self.parts.iter().map(|&(t, i)| (t, &self.communes[i]))
    }
}

type ByItem<'a> = BTreeMap<&'a str, Vec<&'a Lieu>>;

/// Points by structure and by territory.
fn by_item(site: &Site) -> (ByItem<'_>, ByItem<'_>) {
    let mut by_structure: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
    let mut by_territoire: BTreeMap<&str, Vec<&Lieu>> = BTreeMap::new();
    for l in &site.lieux {
        by_structure.entry(l.structure.as_str()).or_default().push(l);
        for t in &l.territoires {
            by_territoire.entry(t.as_str()).or_default().push(l);
        }
    }
    (by_structure, by_territoire)
}

/// The order in which a territory's points are numbered on its static map
/// and in the list beside it: by commune, then name, then id.
pub(crate) fn map_order<'a>(points: &[&'a Lieu]) -> Vec<&'a Lieu> {
    let mut v = points.to_vec();
    v.sort_by(|a, b| (&a.adresse.commune, &a.nom, &a.id).cmp(&(&b.adresse.commune, &b.nom, &b.id)));
    v
}

/// Points in Z-order of their coordinates, then by id.
fn z_ordered(site: &Site) -> Vec<&Lieu> {
    let mut lieux: Vec<&Lieu> = site.lieux.iter().collect();
    lieux.sort_by_cached_key(|l| (z_order(l.latitude, l.longitude), l.id.clone()));
    lieux
}

/// Each point's number in the search index (its place in [`Index::ordered`]), by id.
fn numbers<'a>(ordered: &[&'a Lieu]) -> HashMap<&'a str, usize> {
    ordered.iter().enumerate().map(|(i, l)| (l.id.as_str(), i)).collect()
}

/// Interleaves the bits of both coordinates quantised to 16 bits over
/// France's extent (overseas included), so that close points get close keys.
pub(crate) fn z_order(lat: f64, lon: f64) -> u32 {
    let q = |v: f64, min: f64, max: f64| (((v - min) / (max - min)).clamp(0.0, 1.0) * 65535.0) as u32;
    let (y, x) = (q(lat, -22.0, 52.0), q(lon, -62.0, 56.0));
    let mut key = 0u32;
    for bit in 0..16 {
        key |= ((x >> bit) & 1) << (2 * bit);
        key |= ((y >> bit) & 1) << (2 * bit + 1);
    }
    key
}

/// Points of one commune, for "near" a commune and the no-JavaScript pages.
pub struct Commune<'a> {
    pub slug: String,
    pub nom: String,
    pub codes_postaux: Vec<String>,
    pub lieux: Vec<&'a Lieu>,
}

/// The name of a commune as its pages' file names write it: lower-case
/// ASCII letters, digits and single hyphens. Names that differ only by
/// case, accents, spaces, dashes or punctuation (`Saint Denis`,
/// `SAINT-DENIS`, `Saint-Dénis`, `Saint–Denis`) give the same slug, and
/// are one commune.
pub(crate) fn slug_of(name: &str) -> String {
    format::slugify(name)
}

/// Communes by slug and département (the first two digits of the postal
/// code), sorted by slug; slugs get the département when two communes
/// share a name.
fn communes(site: &Site) -> Vec<Commune<'_>> {
    // One commune however its name is written ("Ville-Test", "Ville test"):
    // two pages would have the same address. `site::urls::check` warns of
    // the spellings.
    let mut groups: BTreeMap<(String, String), Vec<&Lieu>> = BTreeMap::new();
    for l in &site.lieux {
        let dep: String = l.adresse.code_postal.chars().take(2).collect();
        groups.entry((slug_of(&l.adresse.commune), dep)).or_default().push(l);
    }
    let mut slug_count: BTreeMap<&str, usize> = BTreeMap::new();
    for (slug, _) in groups.keys() {
        *slug_count.entry(slug).or_default() += 1;
    }
    let shared: BTreeSet<String> = slug_count.into_iter().filter(|(_, n)| *n > 1).map(|(s, _)| s.to_string()).collect();
    groups
        .into_iter()
        .map(|((slug, dep), mut lieux)| {
            // Named as most of its points write it (on a tie, the spelling
            // first in alphabetical order).
            let mut spellings: BTreeMap<&str, usize> = BTreeMap::new();
            for l in &lieux {
                *spellings.entry(l.adresse.commune.as_str()).or_default() += 1;
            }
            let most = spellings.values().copied().max().unwrap_or(0);
            let nom = spellings.into_iter().find(|(_, n)| *n == most).map(|(s, _)| s.to_string()).unwrap_or_default();
            // A name without letters or digits is an error at validation.
            let base = if slug.is_empty() { "commune".to_string() } else { slug.clone() };
            let slug = if shared.contains(&slug) { format!("{base}-{dep}") } else { base };
            lieux.sort_by(|a, b| (&a.nom, &a.id).cmp(&(&b.nom, &b.id)));
            let codes: BTreeSet<String> = lieux.iter().map(|l| l.adresse.code_postal.clone()).collect();
            Commune { slug, nom, codes_postaux: codes.into_iter().collect(), lieux }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_order_keeps_neighbours_close() {
        let paris = z_order(48.85, 2.35);
        let montreuil = z_order(48.86, 2.44);
        let marseille = z_order(43.3, 5.37);
        assert!(paris.abs_diff(montreuil) < paris.abs_diff(marseille));
    }
}
