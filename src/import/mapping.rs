//! The column mapping: which column of a spreadsheet holds which key of
//! alimap's files, defaults for the keys the source lacks, and the
//! source's own categories and publics in alimap's vocabularies.
//!
//! A small TOML file (`--correspondance`) extends or replaces the default
//! mapping, which knows the usual French headers (« Nom », « Adresse »,
//! « CP », « Ville », « Tél. », « Horaires »…) and the columns of the
//! national address base's CSV geocoder (`latitude`, `result_score`…).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use anyhow::{Result, bail};

use super::entry::Entry;
use super::table::Table;
use crate::content::schema::FileKind;
use crate::model::vocab::{Acces, Public, Service, Vocabulary};
use crate::text::communes::name_key;
use crate::text::format::quoted;

/// Keys a column can feed besides a point's own keys: the source's id
/// and the geocoder's result columns, read by the normalisers.
pub const ID: &str = "_id";
pub const SCORE: &str = "_score";
pub const LABEL: &str = "_label";
pub const RESULT_TYPE: &str = "_type";
pub const RESULT_POSTCODE: &str = "_code_postal";
pub const RESULT_CITY: &str = "_commune";
pub const RESULT_CITYCODE: &str = "_code_insee";

/// What a mapping file says, and the built-in mapping under it.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    /// Header (as compared: [`name_key`]) → key.
    columns: BTreeMap<String, String>,
    /// Defaults of the mapping file, by key.
    pub defaults: BTreeMap<String, toml::Value>,
    /// Category (compared folded) → kinds of help.
    services: BTreeMap<String, Vec<Service>>,
    /// Public (compared folded) → publics; an empty list means « keep as
    /// text only ».
    publics: BTreeMap<String, Vec<Public>>,
    /// The sheet of a workbook to read (`feuille`), else its first.
    pub sheet: Option<String>,
}

/// The file's shape.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    feuille: Option<String>,
    #[serde(default)]
    colonnes: BTreeMap<String, String>,
    #[serde(default)]
    defauts: toml::Table,
    #[serde(default)]
    services: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    publics: BTreeMap<String, OneOrMany>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A section of the mapping file (`[services]`, `[publics]`): the source's
/// words, each naming one or more values of the vocabulary.
fn sources_of<V: Vocabulary>(
    name: &str,
    section: &str,
    entries: BTreeMap<String, OneOrMany>,
) -> Result<BTreeMap<String, Vec<V>>> {
    let mut out = BTreeMap::new();
    for (word, values) in entries {
        let mut parsed = Vec::new();
        for v in values.values() {
            let Some(x) = V::parse(v.trim()) else {
                bail!(
                    "{name}, [{section}] : « {word} » = « {v} » n’est pas un {} ; valeurs possibles : {}",
                    V::WHAT,
                    quoted(&V::values())
                )
            };
            parsed.push(x);
        }
        out.insert(name_key(&word), parsed);
    }
    Ok(out)
}

impl OneOrMany {
    fn values(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The keys a column may feed.
fn target_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = FileKind::Lieu.fields().iter().map(|f| f.key).collect();
    keys.retain(|k| !matches!(*k, "fermetures" | "traductions" | "frequence_maj_mois"));
    keys.extend(["id", "ignorer", "score", "libelle_geocodage"]);
    keys
}

/// The default columns: for each key, the headers (compared with
/// [`name_key`]) that usually hold it.
const DEFAULT_COLUMNS: &[(&str, &[&str])] = &[
    (ID, &["id", "identifiant", "ref", "reference", "numero", "id lieu"]),
    (
        "nom",
        &["nom", "nom du lieu", "name", "intitule", "denomination", "lieu", "nom du point", "nom de la distribution"],
    ),
    (
        "structure",
        &["structure", "organisme", "association", "gestionnaire", "porteur", "nom de la structure", "operateur"],
    ),
    ("adresse", &["adresse", "address", "adresse postale", "rue", "voie", "adresse complete", "lieu adresse"]),
    ("complement_adresse", &["complement", "complement d adresse", "complement adresse", "complement_adresse"]),
    ("code_postal", &["code postal", "cp", "code_postal", "postcode", "code postal du lieu"]),
    ("commune", &["commune", "ville", "localite", "city", "nom de la commune"]),
    ("code_insee", &["code insee", "insee", "code_insee", "code commune", "citycode"]),
    ("latitude", &["latitude", "lat", "y"]),
    ("longitude", &["longitude", "lon", "lng", "long", "x"]),
    (SCORE, &["result_score", "score"]),
    (LABEL, &["result_label"]),
    (RESULT_TYPE, &["result_type"]),
    (RESULT_POSTCODE, &["result_postcode"]),
    (RESULT_CITY, &["result_city"]),
    (RESULT_CITYCODE, &["result_citycode"]),
    (
        "horaires_accueil",
        &[
            "horaires",
            "horaire",
            "horaires d ouverture",
            "heures d ouverture",
            "jours et horaires",
            "jours et heures",
            "ouverture",
            "opening_hours",
            "horaires_accueil",
            "jours d ouverture",
        ],
    ),
    ("telephone", &["telephone", "tel", "phone", "numero de telephone", "contact telephone", "tel fixe", "telephones"]),
    ("courriel", &["courriel", "email", "e mail", "mail", "adresse mail", "adresse e mail", "adresse electronique"]),
    ("site_web", &["site", "site web", "site internet", "url", "web", "site_web", "lien"]),
    (
        "services",
        &[
            "services",
            "service",
            "categorie",
            "categories",
            "type",
            "type d aide",
            "type d aide alimentaire",
            "activite",
            "activites",
            "prestations",
            "prestation",
            "aide",
            "aides",
        ],
    ),
    ("publics", &["publics", "public", "public accueilli", "public cible", "publics accueillis", "beneficiaires"]),
    ("publics_precisions", &["precisions publics", "publics_precisions"]),
    ("acces", &["acces", "modalites d acces", "modalite d acces", "modalites"]),
    ("conditions_acces", &["conditions d acces", "conditions", "conditions_acces", "condition d acces"]),
    ("frais", &["frais", "tarif", "tarifs", "cout", "prix", "gratuit payant", "participation"]),
    ("frais_precisions", &["precisions frais", "frais_precisions", "precisions tarif"]),
    ("justificatifs", &["justificatifs", "documents", "pieces a fournir", "documents a fournir"]),
    ("langues", &["langues", "langues parlees"]),
    ("accessibilite_pmr", &["pmr", "accessibilite", "accessible pmr", "accessibilite pmr", "accessibilite_pmr"]),
    ("regimes", &["regimes", "regime", "regimes alimentaires"]),
    (
        "description",
        &["description", "commentaire", "commentaires", "remarques", "observations", "informations", "infos", "notes"],
    ),
    (
        "date_maj",
        &[
            "date_maj",
            "date maj",
            "maj",
            "mise a jour",
            "date de mise a jour",
            "derniere mise a jour",
            "date de verification",
            "mis a jour le",
        ],
    ),
];

impl Mapping {
    /// The built-in mapping.
    pub fn builtin() -> Mapping {
        let mut m = Mapping::default();
        for (key, headers) in DEFAULT_COLUMNS {
            for h in *headers {
                m.columns.insert(name_key(h), (*key).to_string());
            }
        }
        m
    }

    /// The built-in mapping extended by a mapping file's text; `name` is
    /// the file's, for the messages.
    pub fn with_file(text: &str, name: &str) -> Result<Mapping> {
        let file: File = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => bail!(
                "fichier de correspondance {name} illisible : {} ; il a la clé `feuille` et les sections [colonnes], [defauts], [services] et [publics]",
                e.message()
            ),
        };
        let mut m = Mapping::builtin();
        m.sheet = file.feuille.clone();
        let keys = target_keys();
        for (header, key) in file.colonnes {
            let key = key.trim().to_string();
            let internal = match key.as_str() {
                "id" => ID.to_string(),
                "score" => SCORE.to_string(),
                "libelle_geocodage" => LABEL.to_string(),
                k if keys.contains(&k) => k.to_string(),
                k => bail!(
                    "{name}, [colonnes] : clé inconnue « {k} » pour la colonne « {header} » ; clés possibles : {}",
                    quoted(&keys)
                ),
            };
            m.columns.insert(name_key(&header), internal);
        }
        for (key, value) in file.defauts {
            if !keys.contains(&key.as_str()) {
                bail!("{name}, [defauts] : clé inconnue « {key} » ; clés possibles : {}", quoted(&keys));
            }
            m.defaults.insert(key, value);
        }
        m.services.extend(sources_of(name, "services", file.services)?);
        m.publics.extend(sources_of(name, "publics", file.publics)?);
        Ok(m)
    }

    /// The key a header feeds, if any.
    pub fn column(&self, header: &str) -> Option<&str> {
        let key = self.columns.get(&name_key(header))?;
        (key != "ignorer").then_some(key.as_str())
    }

    /// A sheet's rows as entries in alimap's keys, their values still as
    /// the source wrote them (the normalisers read them); and the headers
    /// no key takes.
    pub fn entries(&self, table: &Table, source: &str) -> (Vec<Entry>, Vec<String>) {
        let columns: Vec<Option<&str>> = table.headers.iter().map(|h| self.column(h)).collect();
        let ignored = table
            .headers
            .iter()
            .zip(&columns)
            .filter(|(h, c)| c.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect();
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let entries = table
            .rows
            .iter()
            .map(|row| {
                let mut e = Entry::new(FileKind::Lieu, String::new());
                e.row = Some(row.line);
                for (cell, key) in row.cells.iter().zip(&columns) {
                    let (Some(key), value) = (key, cell.trim()) else { continue };
                    if value.is_empty() {
                        continue;
                    }
                    // Two columns on one key: joined, the first first.
                    let joined = match e.get(key).and_then(toml::Value::as_str) {
                        Some(before) => format!("{before}\n{value}"),
                        None => value.to_string(),
                    };
                    e.set(key, joined);
                }
                e.source = source_key(source, &e);
                // Two rows alike (same name and address): told apart by
                // their order.
                let n = seen.entry(e.source.clone()).or_default();
                *n += 1;
                if *n > 1 {
                    e.source = format!("{}#{n}", e.source);
                }
                e
            })
            .collect();
        (entries, ignored)
    }

    /// The kinds of help a category of the source means, from the mapping
    /// file first, then from the built-in words; `None` for « alimentation »
    /// and the like (food help of no stated kind); `Some(empty)` for a
    /// category unknown.
    pub fn services(&self, category: &str) -> Option<Vec<Service>> {
        let key = name_key(category);
        if let Some(s) = self.services.get(&key) {
            return Some(s.clone());
        }
        builtin_service(&key)
    }

    /// The publics a phrase of the source means: `None` when unknown.
    pub fn publics(&self, phrase: &str) -> Option<Vec<Public>> {
        let key = name_key(phrase);
        if let Some(p) = self.publics.get(&key) {
            return Some(p.clone());
        }
        builtin_public(&key)
    }
}

/// The source key of a spreadsheet row: its id column when it has one,
/// else its name and address as written (folded), so that the same row
/// of an updated file finds the file it wrote.
fn source_key(source: &str, e: &Entry) -> String {
    let cell = |k: &str| e.get(k).and_then(toml::Value::as_str).map(name_key).unwrap_or_default();
    match e.get(ID).and_then(toml::Value::as_str) {
        Some(id) => format!("{source}:{}", id.trim()),
        None => format!("{source}:{}|{}|{}", cell("nom"), cell("adresse"), cell("code_postal")),
    }
}

/// Built-in words of categories, matched inside the category's words.
const SERVICE_WORDS: &[(&str, &[Service])] = &[
    ("seated catering", &[Service::Repas]),
    ("food packages", &[Service::ColisAlimentaire]),
    ("social grocery stores", &[Service::EpicerieSociale]),
    ("food voucher", &[Service::ChequesAlimentaires]),
    ("baby parcel", &[Service::ColisBebe]),
    ("fountain", &[Service::EauPotable]),
    ("solidarity fridge", &[Service::FrigoSolidaire]),
    ("shared kitchen", &[Service::AtelierCuisine]),
    ("cooking workshop", &[Service::AtelierCuisine]),
    ("food distribution", &[Service::ColisAlimentaire]),
    ("petit dejeuner", &[Service::PetitDejeuner]),
    ("petits dejeuners", &[Service::PetitDejeuner]),
    ("colis bebe", &[Service::ColisBebe]),
    ("bebe", &[Service::ColisBebe]),
    ("lait infantile", &[Service::ColisBebe]),
    ("repas", &[Service::Repas]),
    ("restaurant", &[Service::Repas]),
    ("restauration", &[Service::Repas]),
    ("cantine", &[Service::Repas]),
    ("soupe", &[Service::Repas]),
    ("colis", &[Service::ColisAlimentaire]),
    ("panier", &[Service::ColisAlimentaire]),
    ("paniers", &[Service::ColisAlimentaire]),
    ("distribution", &[Service::ColisAlimentaire]),
    ("epicerie", &[Service::EpicerieSociale]),
    ("epiceries", &[Service::EpicerieSociale]),
    ("cheque", &[Service::ChequesAlimentaires]),
    ("cheques", &[Service::ChequesAlimentaires]),
    ("bons alimentaires", &[Service::ChequesAlimentaires]),
    ("bon alimentaire", &[Service::ChequesAlimentaires]),
    ("tickets service", &[Service::ChequesAlimentaires]),
    ("maraude", &[Service::Maraude]),
    ("maraudes", &[Service::Maraude]),
    ("frigo", &[Service::FrigoSolidaire]),
    ("frigos", &[Service::FrigoSolidaire]),
    ("refrigerateur", &[Service::FrigoSolidaire]),
    ("fontaine", &[Service::EauPotable]),
    ("fontaines", &[Service::EauPotable]),
    ("eau", &[Service::EauPotable]),
    ("atelier cuisine", &[Service::AtelierCuisine]),
    ("ateliers cuisine", &[Service::AtelierCuisine]),
    ("cuisine", &[Service::AtelierCuisine]),
    ("jardin", &[Service::JardinSolidaire]),
    ("jardins", &[Service::JardinSolidaire]),
];

/// Words that say food help without saying which.
const FOOD_WORDS: &[&str] =
    &["alimentation", "se nourrir", "aide alimentaire", "food", "nourriture", "alimentaire", "aide a l alimentation"];

/// The terms of a vocabulary, each with its value and label as compared
/// ([`name_key`]): computed once, not for every cell.
fn keyed<T: Vocabulary + Copy>(all: &[T]) -> Vec<(String, String, T)> {
    all.iter().map(|t| (name_key(t.value()), name_key(t.label()), *t)).collect()
}

/// The term whose value or label is `key`.
fn term<T: Copy>(terms: &[(String, String, T)], key: &str) -> Option<T> {
    terms.iter().find(|(value, label, _)| value == key || label == key).map(|(_, _, t)| *t)
}

static SERVICES: LazyLock<Vec<(String, String, Service)>> = LazyLock::new(|| keyed(Service::ALL));
static PUBLICS: LazyLock<Vec<(String, String, Public)>> = LazyLock::new(|| keyed(Public::ALL));
static ACCES: LazyLock<Vec<(String, String, Acces)>> = LazyLock::new(|| keyed(Acces::ALL));

/// Whether `padded` (a key between spaces) has `word` between spaces.
fn has_word(padded: &str, word: &str) -> bool {
    padded.match_indices(word).any(|(i, _)| padded[..i].ends_with(' ') && padded[i + word.len()..].starts_with(' '))
}

fn builtin_service(key: &str) -> Option<Vec<Service>> {
    if let Some(s) = term(&SERVICES, key) {
        return Some(vec![s]);
    }
    let padded = format!(" {key} ");
    let mut found: Vec<Service> = Vec::new();
    for (word, services) in SERVICE_WORDS {
        if has_word(&padded, word) {
            for s in *services {
                if !found.contains(s) {
                    found.push(*s);
                }
            }
            // The first (longest, most specific) phrase decides.
            break;
        }
    }
    if found.is_empty() && FOOD_WORDS.contains(&key) {
        return None;
    }
    Some(found)
}

/// The kinds of help named in a free text (a name, a description): what
/// an import infers when the source says only « alimentation ».
pub fn services_in_text(text: &str) -> Vec<Service> {
    let padded = format!(" {} ", name_key(text));
    let mut found: Vec<Service> = Vec::new();
    for (word, services) in SERVICE_WORDS {
        if *word == "eau" || *word == "distribution" || *word == "bebe" || *word == "cuisine" {
            continue;
        }
        if has_word(&padded, word) {
            for s in *services {
                if !found.contains(s) {
                    found.push(*s);
                }
            }
        }
    }
    found
}

const PUBLIC_WORDS: &[(&str, Public)] = &[
    ("tout public", Public::TousPublics),
    ("tous publics", Public::TousPublics),
    ("tous public", Public::TousPublics),
    ("tout le monde", Public::TousPublics),
    ("tous", Public::TousPublics),
    ("famille", Public::Familles),
    ("familles", Public::Familles),
    ("parents", Public::Familles),
    ("femmes", Public::Femmes),
    ("femme", Public::Femmes),
    ("jeunes", Public::Jeunes),
    ("jeune", Public::Jeunes),
    ("18 25 ans", Public::Jeunes),
    ("moins de 25 ans", Public::Jeunes),
    ("etudiants", Public::Etudiants),
    ("etudiant", Public::Etudiants),
    ("etudiantes", Public::Etudiants),
    ("seniors", Public::Seniors),
    ("personnes agees", Public::Seniors),
    ("retraites", Public::Seniors),
    ("sans papiers", Public::Exilees),
    ("migrants", Public::Exilees),
    ("exiles", Public::Exilees),
    ("refugies", Public::Exilees),
    ("demandeurs d asile", Public::Exilees),
    ("personnes exilees", Public::Exilees),
    ("sans abri", Public::Urgence),
    ("sans domicile", Public::Urgence),
    ("sdf", Public::Urgence),
    ("personnes a la rue", Public::Urgence),
    ("urgence", Public::Urgence),
    ("handicap", Public::Handicap),
    ("personnes handicapees", Public::Handicap),
    ("demandeurs d emploi", Public::DemandeursEmploi),
    ("chomeurs", Public::DemandeursEmploi),
    ("rsa", Public::BeneficiairesMinimasSociaux),
    ("minima sociaux", Public::BeneficiairesMinimasSociaux),
    ("beneficiaires du rsa", Public::BeneficiairesMinimasSociaux),
];

fn builtin_public(key: &str) -> Option<Vec<Public>> {
    if let Some(p) = term(&PUBLICS, key) {
        return Some(vec![p]);
    }
    PUBLIC_WORDS.iter().find(|(w, _)| *w == key).map(|(_, p)| vec![*p])
}

/// The access conditions a phrase means, if any.
pub fn acces(phrase: &str) -> Option<Acces> {
    let key = name_key(phrase);
    if let Some(a) = term(&ACCES, &key) {
        return Some(a);
    }
    let padded = format!(" {key} ");
    let has = |w: &str| has_word(&padded, w);
    if has("sans condition") || has("libre") || has("inconditionnel") || has("ouvert a tous") || has("acces libre") {
        Some(Acces::SansCondition)
    } else if has("orientation")
        || has("oriente")
        || has("orientes")
        || has("travailleur social")
        || has("assistante sociale")
    {
        Some(Acces::Orientation)
    } else if has("inscription") || has("inscrit") || has("carte") {
        Some(Acces::Inscription)
    } else if has("rendez vous") || has("rdv") {
        Some(Acces::RendezVous)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_mapping_is_accepted_and_names_every_column() {
        let m = Mapping::with_file(&crate::import::template::mapping(), "modele-correspondance.toml").unwrap();
        for (f, header) in crate::import::template::columns() {
            assert_eq!(m.column(header), Some(f.key), "{header}");
        }
    }

    #[test]
    fn common_french_headers_and_categories() {
        let m = Mapping::builtin();
        assert_eq!(m.column("Code Postal"), Some("code_postal"));
        assert_eq!(m.column("Tél."), Some("telephone"));
        assert_eq!(m.column("E-mail"), Some("courriel"));
        assert_eq!(m.column("Responsable"), None);
        assert_eq!(m.services("seated_catering"), Some(vec![Service::Repas]));
        assert_eq!(m.services("Fontaines"), Some(vec![Service::EauPotable]));
        assert_eq!(m.services("Alimentation"), None);
        assert_eq!(m.services("Douches"), Some(vec![]));
        assert_eq!(m.publics("Sans papiers"), Some(vec![Public::Exilees]));
        assert_eq!(m.publics("hommes seuls"), None);
    }
}
