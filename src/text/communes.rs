//! The commune table: every French commune and the municipal arrondissements
//! of Paris, Lyon and Marseille, with their INSEE code, name and postal
//! codes; a centre, and how far the commune reaches from it, for the
//! communes of Île-de-France.
//!
//! Reference data embedded in the binary (`data/communes/`, from the INSEE
//! COG, La Poste and IGN Admin Express through Etalab, Licence Ouverte),
//! read once, on first use. No I/O, no wording: names are data.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::text::format::fold;

const COMMUNES: &str = include_str!("../../data/communes/communes.csv");
const CENTRES: &str = include_str!("../../data/communes/centres-ile-de-france.csv");

/// One commune or municipal arrondissement.
#[derive(Debug, PartialEq)]
pub(crate) struct Commune {
    pub(crate) code_insee: &'static str,
    pub(crate) nom: &'static str,
    /// Space-separated, as La Poste lists them.
    pub(crate) codes_postaux: &'static str,
    /// Its own centre, when the table has one.
    centre: Option<Centre>,
}

/// A commune's centre (the centroid of its largest polygon) and the
/// distance from it to the farthest point of its outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Centre {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    pub(crate) rayon_km: f64,
}

impl Commune {
    pub(crate) fn codes_postaux(&self) -> impl Iterator<Item = &'static str> {
        self.codes_postaux.split(' ').filter(|c| !c.is_empty())
    }

    /// The département: `75`, `2A`, `971`.
    pub(crate) fn departement(&self) -> &'static str {
        departement(self.code_insee)
    }

    /// The commune an arrondissement belongs to (Paris, Lyon, Marseille).
    pub(crate) fn parent(&self) -> Option<&'static Commune> {
        let parent = match self.code_insee.parse::<u32>().ok()? {
            75101..=75120 => "75056",
            69381..=69389 => "69123",
            13201..=13216 => "13055",
            _ => return None,
        };
        by_insee(parent)
    }

    /// The centre, approximate: its own, else its commune's for an
    /// arrondissement; `None` where the table has none (outside
    /// Île-de-France).
    pub(crate) fn centre(&self) -> Option<Centre> {
        self.centre.or_else(|| self.parent()?.centre)
    }
}

struct Table {
    /// Sorted by INSEE code, as the file is.
    communes: Vec<Commune>,
    by_postal_code: HashMap<&'static str, Vec<u32>>,
    by_name: HashMap<String, Vec<u32>>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let centres: HashMap<&str, Centre> = CENTRES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split(',');
            let code = f.next()?;
            let mut n = || f.next()?.parse::<f64>().ok();
            Some((code, Centre { latitude: n()?, longitude: n()?, rayon_km: n()? }))
        })
        .collect();
    let mut communes: Vec<Commune> = COMMUNES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split(',');
            let (code_insee, nom, codes_postaux) = (f.next()?, f.next()?, f.next()?);
            Some(Commune { code_insee, nom, codes_postaux, centre: centres.get(code_insee).copied() })
        })
        .collect();
    communes.sort_by_key(|c| c.code_insee);
    let mut by_postal_code: HashMap<&'static str, Vec<u32>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        let i = i as u32;
        for cp in c.codes_postaux() {
            by_postal_code.entry(cp).or_default().push(i);
        }
        by_name.entry(name_key(c.nom)).or_default().push(i);
    }
    Table { communes, by_postal_code, by_name }
});

/// A name as compared: no case, accents, hyphens or apostrophes, `st` and
/// `ste` spelt out: `Saint-Ouen-sur-Seine`, `st ouen sur seine`.
pub(crate) fn name_key(name: &str) -> String {
    let folded = fold(name);
    let words = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let words: Vec<&str> = words
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect();
    words.join(" ")
}

/// Every commune and arrondissement, by INSEE code.
pub(crate) fn all() -> impl Iterator<Item = &'static Commune> {
    TABLE.communes.iter()
}

pub(crate) fn by_insee(code: &str) -> Option<&'static Commune> {
    let t = &*TABLE;
    t.communes.binary_search_by(|c| c.code_insee.cmp(code)).ok().map(|i| &t.communes[i])
}

/// The communes (and arrondissements) a postal code serves.
pub(crate) fn by_postal_code(code: &str) -> impl Iterator<Item = &'static Commune> {
    let t = &*TABLE;
    t.by_postal_code.get(code).into_iter().flatten().map(|&i| &t.communes[i as usize])
}

/// The communes of this name (there are several Saint-Denis).
pub(crate) fn by_name(name: &str) -> impl Iterator<Item = &'static Commune> {
    let t = &*TABLE;
    t.by_name.get(&name_key(name)).into_iter().flatten().map(|&i| &t.communes[i as usize])
}

/// The commune of an address, from its postal code and commune name: an
/// arrondissement when the name is its city's (`75011`, `Paris`: Paris
/// 11e Arrondissement) or its own; `None` when the two do not agree.
pub(crate) fn of_address(code_postal: &str, commune: &str) -> Option<&'static Commune> {
    let key = name_key(commune);
    let candidates: Vec<&Commune> = by_postal_code(code_postal).collect();
    let city = format!("{key} ");
    let mut arrondissements = candidates.iter().filter(|c| c.parent().is_some() && name_key(c.nom).starts_with(&city));
    if let (Some(a), None) = (arrondissements.next(), arrondissements.next()) {
        return Some(a);
    }
    candidates.into_iter().find(|c| name_key(c.nom) == key)
}

/// The département of an INSEE code: its first two characters, three
/// overseas (`971` … `976`, `987` …).
pub(crate) fn departement(code_insee: &str) -> &str {
    let n = if code_insee.starts_with("97") || code_insee.starts_with("98") { 3 } else { 2 };
    code_insee.get(..n).unwrap_or(code_insee)
}

/// The département a postal code belongs to: the one of the communes it
/// serves when they agree (Corsica's `20` codes are `2A` or `2B`), else
/// read from its first digits (CEDEX codes are not in the table).
pub(crate) fn departement_of_postal_code(code: &str) -> Option<&'static str> {
    let mut deps = by_postal_code(code).map(Commune::departement);
    match deps.next() {
        Some(first) => deps.all(|d| d == first).then_some(first),
        None if code.starts_with("20") => None,
        None => {
            let n = if code.starts_with("97") || code.starts_with("98") { 3 } else { 2 };
            // A 'static string: the département as the table writes it.
            TABLE.communes.iter().map(Commune::departement).find(|d| code.get(..n) == Some(*d))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_by_code_postal_code_and_name() {
        let paris = by_insee("75056").unwrap();
        assert_eq!(paris.nom, "Paris");
        assert!(paris.codes_postaux().any(|c| c == "75116"));
        assert_eq!(of_address("75011", "Paris").unwrap().code_insee, "75111");
        assert_eq!(of_address("75011", "paris 11e arrondissement").unwrap().code_insee, "75111");
        assert_eq!(of_address("69003", "Lyon").unwrap().code_insee, "69383");
        assert_eq!(of_address("93400", "St-Ouen-sur-Seine").unwrap().code_insee, "93070");
        assert_eq!(of_address("93200", "Lyon"), None);
        assert!(by_name("Saint-Denis").count() > 1);
        assert_eq!(departement_of_postal_code("69003"), Some("69"));
        assert_eq!(departement_of_postal_code("20000"), Some("2A"));
        assert_eq!(departement_of_postal_code("97400"), Some("974"));
        assert_eq!(departement_of_postal_code("75700"), Some("75"));
    }

    #[test]
    fn centres_are_known_in_ile_de_france_and_shared_by_arrondissements() {
        let paris = by_insee("75056").unwrap().centre().unwrap();
        assert!((paris.latitude - 48.8566).abs() < 0.01 && (paris.longitude - 2.3428).abs() < 0.01);
        assert_eq!(by_insee("75111").unwrap().centre(), Some(paris));
        assert_eq!(by_insee("69123").unwrap().centre(), None);
        assert!(by_insee("93066").unwrap().centre().is_some());
    }
}
