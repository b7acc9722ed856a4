//! The content model: what volunteers write, once read and checked.
//!
//! This module does no I/O and knows nothing of templates. Every item keeps
//! the path of the file it came from and the spans of the values that later
//! checks may need to point at, so that a cross-file problem (a structure
//! that does not exist, a point outside every territory) is reported at the
//! right line.

pub mod geo;
pub mod hours;
pub mod vocab;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::geo::Perimeter;
pub use crate::model::hours::Fermeture;
use crate::model::hours::Horaires;
use crate::model::vocab::{Acces, Don, Frais, Public, Regime, Service, TypeStructure, TypeTerritoire};

/// Where an item was written: its file and the spans of some of its values.
#[derive(Clone, Default)]
pub struct Origin {
    /// Path relative to the site folder.
    pub file: PathBuf,
    /// Byte spans of values, by key (`"structure"`, `"latitude"`, …).
    pub spans: BTreeMap<&'static str, Range<usize>>,
    /// XXH3 of the file's text: an item read from its file alone is the
    /// same as long as this is (`alimap serve` keys pages with it).
    pub texte: u128,
}

/// The file alone: spans only place diagnostics, no page shows them, and
/// `alimap serve` fingerprints items through this form (`render::memo`),
/// thousands of them at each rebuild.
impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let texte = format_args!("{:032x}", self.texte);
        f.debug_struct("Origin").field("file", &self.file).field("texte", &texte).finish_non_exhaustive()
    }
}

impl Origin {
    pub fn of(file: &std::path::Path, text: &str, spans: BTreeMap<&'static str, Range<usize>>) -> Origin {
        Origin { file: file.to_path_buf(), spans, texte: xxhash_rust::xxh3::xxh3_128(text.as_bytes()) }
    }

    pub fn span(&self, key: &str) -> Option<Range<usize>> {
        self.spans.get(key).cloned()
    }
}

/// A whole directory, ready to render.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    /// Sorted by id.
    pub territoires: Vec<Territoire>,
    /// Sorted by id.
    pub structures: Vec<Structure>,
    /// Sorted by id.
    pub lieux: Vec<Lieu>,
    /// Sorted by `ordre`, then id.
    pub pages: Vec<Page>,
}

impl Site {
    pub fn structure(&self, id: &str) -> Option<&Structure> {
        self.structures.binary_search_by(|s| s.id.as_str().cmp(id)).ok().map(|i| &self.structures[i])
    }
    pub fn territoire(&self, id: &str) -> Option<&Territoire> {
        self.territoires.binary_search_by(|t| t.id.as_str().cmp(id)).ok().map(|i| &self.territoires[i])
    }
}

/// `content/site.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub titre: String,
    pub description: String,
    /// Base URL, always ending with `/`.
    pub url: String,
    /// The language content is written in, and of the pages at the root.
    pub langue: String,
    /// Languages of the interface the site publishes, `langue` among them;
    /// the others get their pages under `<code>/`.
    pub langues: Vec<String>,
    pub fuseau_horaire: chrono_tz::Tz,
    /// The data is fictional: every page says so.
    pub exemple: bool,
    /// Offline use: the web app manifest, the service worker `sw.js` and
    /// the script registering it. On unless `hors_ligne = false`.
    pub hors_ligne: bool,
    /// Months after which unchecked information is considered stale.
    pub frequence_maj_mois: u32,
    pub licence_donnees: Option<String>,
    pub contact: Option<Contact>,
    pub carte: Carte,
    /// Markdown.
    pub mentions_legales: Option<String>,
    /// Name of a theme folder under `themes/`; `default` when absent.
    pub theme: String,
    /// The forge repository holding the site's files (`[depot]`): the
    /// links « Modifier cette fiche » and « Signaler une erreur », and the
    /// form editor's backend.
    pub depot: Option<Depot>,
    /// The form editor `admin/` (`[editeur]`), when turned on.
    pub editeur: Option<Editeur>,
    pub origin: Origin,
}

impl Depot {
    /// The forge's host and the repository's path on it
    /// (`("github.com", "owner/repo")`).
    pub fn host_and_path(&self) -> (&str, &str) {
        let rest = self.adresse.split_once("://").map_or(self.adresse.as_str(), |(_, r)| r);
        rest.split_once('/').unwrap_or((rest, ""))
    }

    /// GitHub (`github.com`, or `forge = "github"`) or a GitLab instance
    /// (any other host: gitlab.com, framagit.org, a self-hosted one).
    pub fn is_github(&self) -> bool {
        self.forge == Forge::GitHub
    }
}

/// `[editeur]`: the form editor for people without git, with what the
/// forge's sign-in needs.
#[derive(Clone, Debug)]
pub struct Editeur {
    /// GitHub: the address of the OAuth proxy that signs volunteers in.
    pub serveur_oauth: Option<String>,
    /// GitLab: the id of the OAuth application (PKCE, no server).
    pub id_application: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Contact {
    pub nom: Option<String>,
    pub courriel: Option<String>,
    pub telephone: Option<String>,
}

/// `[depot]`: where the site's files are kept, on GitHub or GitLab.
#[derive(Clone, Debug)]
pub struct Depot {
    /// The repository's web address, `https://host/owner/name`, without a
    /// trailing `/` (checked by `text::format::repository_address`).
    pub adresse: String,
    pub forge: Forge,
    /// The branch the site is published from.
    pub branche: String,
    /// The site folder's path inside the repository, with `/` between
    /// folders and none at either end; empty when the site is the
    /// repository's root.
    pub dossier: String,
}

/// The forges whose web editor and issue form the pages link to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forge {
    GitHub,
    GitLab,
}

/// Map tile settings; the maps themselves come later, but the settings are
/// part of the site's configuration from the start.
#[derive(Clone, Debug)]
pub struct Carte {
    pub active: bool,
    pub tuiles: String,
    pub attribution: String,
    pub zoom_max: u8,
}

impl Default for Carte {
    fn default() -> Self {
        Carte {
            active: true,
            tuiles: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© les contributeurs d’OpenStreetMap".into(),
            zoom_max: 19,
        }
    }
}

/// `content/territoires/<id>.toml`.
#[derive(Clone, Debug)]
pub struct Territoire {
    pub id: String,
    pub origin: Origin,
    pub nom: String,
    pub type_: TypeTerritoire,
    pub perimetre: Perimeter,
    pub code_insee: Option<String>,
    /// Markdown.
    pub presentation: Option<String>,
    pub coordination: Option<Coordination>,
    /// Perimeters of the communes in the territory (`communes` key), for the
    /// coordination page; empty when the site does not declare them.
    pub communes: Vec<Commune>,
}

/// One commune of a territory, from the `communes` GeoJSON file.
#[derive(Clone, Debug)]
pub struct Commune {
    /// INSEE code, when the file gives one.
    pub code: Option<String>,
    pub nom: String,
    pub perimetre: Perimeter,
}

#[derive(Clone, Debug)]
pub struct Coordination {
    pub nom: String,
    /// Markdown.
    pub presentation: Option<String>,
    pub courriel: Option<String>,
    pub telephone: Option<String>,
    pub site_web: Option<String>,
    /// Structure ids, with the span of each for diagnostics.
    pub membres: Vec<(String, Range<usize>)>,
}

/// `content/structures/<id>.toml`.
#[derive(Clone, Debug)]
pub struct Structure {
    pub id: String,
    pub origin: Origin,
    pub nom: String,
    pub type_: TypeStructure,
    /// Markdown.
    pub presentation: Option<String>,
    pub site_web: Option<String>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub siret: Option<String>,
    pub rna: Option<String>,
    pub reseaux_porteurs: Vec<String>,
    pub date_maj: NaiveDate,
    /// What the structure asks for (`[besoins]`).
    pub besoins: Option<Besoins>,
}

/// Volunteers and donations a structure is looking for.
#[derive(Clone, Debug, Default)]
pub struct Besoins {
    pub benevoles: bool,
    /// Markdown.
    pub benevoles_precisions: Option<String>,
    pub dons: Vec<Don>,
    /// Markdown.
    pub dons_precisions: Option<String>,
}

/// `content/lieux/**/<id>.toml`: a distribution point.
#[derive(Clone, Debug)]
pub struct Lieu {
    pub id: String,
    pub origin: Origin,
    pub nom: String,
    /// Id of the structure that runs it.
    pub structure: String,
    pub services: Vec<Service>,
    pub adresse: Adresse,
    pub latitude: f64,
    pub longitude: f64,
    pub horaires: Option<Horaires>,
    pub fermetures: Vec<Fermeture>,
    pub acces: Vec<Acces>,
    pub conditions_acces: Option<String>,
    pub justificatifs: Vec<String>,
    pub frais: Frais,
    pub frais_precisions: Option<String>,
    pub publics: Vec<Public>,
    pub publics_precisions: Option<String>,
    /// ISO 639-1 codes.
    pub langues: Vec<String>,
    pub accessibilite_pmr: Option<bool>,
    pub regimes: Vec<Regime>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    pub date_maj: NaiveDate,
    pub frequence_maj_mois: Option<u32>,
    /// Free texts translated into other languages, by language code
    /// (`[traductions.en]`).
    pub traductions: BTreeMap<String, Traduction>,
    /// Ids of the territories whose perimeter contains the point, filled in
    /// by validation.
    pub territoires: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Adresse {
    pub adresse: String,
    pub complement_adresse: Option<String>,
    pub code_postal: String,
    pub commune: String,
    pub code_insee: Option<String>,
}

/// A point's free texts in another language; what is absent stays in the
/// language of the content.
#[derive(Clone, Debug, Default)]
pub struct Traduction {
    /// Markdown.
    pub description: Option<String>,
    pub conditions_acces: Option<String>,
    pub frais_precisions: Option<String>,
    pub publics_precisions: Option<String>,
    pub justificatifs: Option<Vec<String>>,
    /// Where the language code is written (`[traductions.en]`).
    pub span: Range<usize>,
}

impl Lieu {
    /// The months after which this point's information counts as stale:
    /// its own `frequence_maj_mois`, else the site's.
    pub fn frequence(&self, site_default: u32) -> u32 {
        self.frequence_maj_mois.unwrap_or(site_default)
    }

    /// Checked within its expected update frequency, as of `today`. The one
    /// rule behind the validation warning, the notice on the point's page
    /// and the freshness figures of the coordination page.
    pub fn a_jour(&self, site_default: u32, today: NaiveDate) -> bool {
        let months = chrono::Months::new(self.frequence(site_default));
        self.date_maj.checked_add_months(months).is_none_or(|limit| limit >= today)
    }
}

impl Fermeture {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.du <= day && day <= self.au
    }
}

/// The ids of the pages the build writes itself, which no
/// `content/pages/` file may take. The page made from `mentions_legales` in `site.toml`.
pub const MENTIONS: &str = "mentions-legales";
/// The accessibility statement, written by the build on every site (the
/// RGAA asks for one, linked from every page).
pub const ACCESSIBILITE: &str = "accessibilite";

/// `content/pages/<id>.md`.
#[derive(Clone, Debug)]
pub struct Page {
    pub id: String,
    pub origin: Origin,
    pub titre: String,
    pub description: Option<String>,
    pub ordre: Option<i64>,
    /// Markdown.
    pub contenu: String,
}
