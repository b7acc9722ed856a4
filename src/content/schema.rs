//! The keys of every kind of file, described once.
//!
//! `parse` reads files key by key and is the authority on what is accepted;
//! this module describes the same keys as data (type, whether required,
//! meaning in French, an example) so that the editor JSON Schemas under
//! `schemas/`, the templates written by `alimap new` and `alimap init`, and
//! documentation all come from one list. A unit test parses a file holding
//! every key described here and checks that the parser knows exactly these
//! keys, so the description cannot drift from the reader.

use serde_json::{Map, Value, json};

use crate::model::vocab::{self, Vocabulary};

/// A closed list of values with their French labels.
#[derive(Clone, Copy)]
pub struct Vocab {
    /// What the values are, for descriptions ("type d’aide").
    pub what: &'static str,
    pub entries: fn() -> Vec<(&'static str, &'static str)>,
}

fn entries<T: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.value(), v.label())).collect()
}

fn vocab<T: Vocabulary>() -> Vocab {
    Vocab { what: T::WHAT, entries: entries::<T> }
}

fn reseaux() -> Vec<(&'static str, &'static str)> {
    vocab::reseaux_porteurs().iter().map(|(v, l)| (v.as_str(), l.as_str())).collect()
}

fn langues() -> Vec<(&'static str, &'static str)> {
    vocab::LANGUES.to_vec()
}

/// The type of a key's value, as the parser reads it.
#[derive(Clone, Copy)]
pub enum Kind {
    Text,
    Number,
    Integer,
    Bool,
    Date,
    TextList,
    Value(Vocab),
    Values(Vocab),
    /// A section `[key]` with its own keys.
    Table(&'static [FieldSpec]),
    /// Repeated sections `[[key]]`.
    Tables(&'static [FieldSpec]),
    /// One section per language, `[key.<code>]` (`[traductions.en]`), each
    /// with these keys.
    ByLanguage(&'static [FieldSpec]),
}

/// Extra constraints on a text or number, checked by the parser and
/// mirrored in the JSON Schema.
#[derive(Clone, Copy, Default)]
pub struct Checks {
    pub pattern: Option<&'static str>,
    /// JSON Schema `format`: `email`, `uri`.
    pub format: Option<&'static str>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The text is Markdown (the form editor offers its Markdown editor).
    pub markdown: bool,
}

/// One key of one kind of file.
#[derive(Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub required: bool,
    pub kind: Kind,
    /// What the key means, for a volunteer.
    pub description_fr: &'static str,
    /// A valid value written in TOML (`"93200"`, `48.93`, `["repas"]`);
    /// empty for tables, whose keys carry their own examples.
    pub example: &'static str,
    pub checks: Checks,
}

const fn field(
    key: &'static str,
    required: bool,
    kind: Kind,
    description_fr: &'static str,
    example: &'static str,
) -> FieldSpec {
    FieldSpec {
        key,
        required,
        kind,
        description_fr,
        example,
        checks: Checks { pattern: None, format: None, min: None, max: None, markdown: false },
    }
}

const fn req(key: &'static str, kind: Kind, description_fr: &'static str, example: &'static str) -> FieldSpec {
    field(key, true, kind, description_fr, example)
}

const fn opt(key: &'static str, kind: Kind, description_fr: &'static str, example: &'static str) -> FieldSpec {
    field(key, false, kind, description_fr, example)
}

impl FieldSpec {
    const fn pattern(mut self, p: &'static str) -> Self {
        self.checks.pattern = Some(p);
        self
    }
    const fn format(mut self, f: &'static str) -> Self {
        self.checks.format = Some(f);
        self
    }
    const fn markdown(mut self) -> Self {
        self.checks.markdown = true;
        self
    }
    const fn range(mut self, min: f64, max: f64) -> Self {
        self.checks.min = Some(min);
        self.checks.max = Some(max);
        self
    }
}

use Kind::*;

const URL_PATTERN: &str = "^https?://[^\\s\"<>\\\\`]+\\.[^\\s\"<>\\\\`]+$";
const INSEE_PATTERN: &str = "^([0-9]{5}|2[AB][0-9]{3})$";
const LANGUAGE_PATTERN: &str = "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$";
const PHONE_PATTERN: &str = "^[0-9+ .\\-\u{a0}\u{202f}]+$";

fn url(key: &'static str, description_fr: &'static str) -> FieldSpec {
    opt(key, Text, description_fr, "\"https://exemple.org/\"").pattern(URL_PATTERN).format("uri")
}

// Functions rather than statics because vocabularies are built at run time
// (the data·inclusion list is read from JSON).

pub fn contact() -> Vec<FieldSpec> {
    vec![
        opt("nom", Text, "Nom de la personne ou de l’équipe à contacter.", "\"Collectif alimentaire\""),
        opt("courriel", Text, "Adresse électronique de contact.", "\"contact@exemple.org\"").format("email"),
        opt("telephone", Text, "Téléphone : 10 chiffres, ou +33 suivi de 9 chiffres.", "\"01 48 00 00 12\"")
            .pattern(PHONE_PATTERN),
    ]
}

pub fn carte() -> Vec<FieldSpec> {
    vec![
        opt(
            "tuiles",
            Text,
            "Adresse des tuiles de la carte, en https, avec {z}, {x} et {y}. OpenStreetMap par défaut.",
            "\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"",
        )
        .pattern("^https://.*\\{z\\}.*$"),
        opt(
            "attribution",
            Text,
            "Mention des sources de la carte, affichée sous la carte.",
            "\"© les contributeurs d’OpenStreetMap\"",
        ),
        opt("zoom_max", Integer, "Zoom maximal de la carte, de 1 à 22 (19 par défaut).", "19").range(1.0, 22.0),
        opt("active", Bool, "`false` pour ne montrer aucune carte (`true` par défaut).", "true"),
    ]
}

pub fn coordination() -> Vec<FieldSpec> {
    vec![
        req(
            "nom",
            Text,
            "Nom de l’instance de coordination de l’aide alimentaire du territoire.",
            "\"Collectif alimentaire de Saint-Denis\"",
        ),
        opt(
            "presentation",
            Text,
            "Présentation de la coordination, en Markdown.",
            "\"Le collectif réunit les associations de la ville.\"",
        )
        .markdown(),
        opt("courriel", Text, "Adresse électronique de la coordination.", "\"collectif@exemple.org\"").format("email"),
        opt("telephone", Text, "Téléphone de la coordination.", "\"01 48 00 00 10\"").pattern(PHONE_PATTERN),
        url("site_web", "Site web de la coordination (https://…)."),
        opt(
            "membres",
            TextList,
            "Identifiants des structures membres (noms de leurs fichiers sans `.toml`).",
            "[\"secours-populaire-saint-denis\"]",
        ),
    ]
}

pub fn besoins() -> Vec<FieldSpec> {
    vec![
        opt("benevoles", Bool, "`true` si la structure cherche des bénévoles.", "true"),
        opt(
            "benevoles_precisions",
            Text,
            "Quels bénévoles, pour quoi, quand (Markdown).",
            "\"Le mardi matin, pour la distribution.\"",
        )
        .markdown(),
        opt("dons", Values(vocab::<vocab::Don>()), "Les dons que la structure accepte.", "[\"denrees\"]"),
        opt("dons_precisions", Text, "Comment et où donner (Markdown).", "\"Au local, le lundi de 14 h à 17 h.\"")
            .markdown(),
    ]
}

pub fn traductions() -> Vec<FieldSpec> {
    vec![
        opt("description", Text, "La description du lieu dans cette langue (Markdown).", "\"Bring a bag.\"").markdown(),
        opt(
            "conditions_acces",
            Text,
            "Les précisions sur l’accès dans cette langue.",
            "\"Referral by a social worker.\"",
        ),
        opt(
            "frais_precisions",
            Text,
            "Les précisions sur le prix dans cette langue.",
            "\"10 to 30% of the shop price\"",
        ),
        opt(
            "publics_precisions",
            Text,
            "Les précisions sur les publics dans cette langue.",
            "\"Families with children under 3.\"",
        ),
        opt("justificatifs", TextList, "Les documents à apporter, dans cette langue.", "[\"Identity document\"]"),
    ]
}

pub fn fermetures() -> Vec<FieldSpec> {
    vec![
        req("du", Date, "Premier jour de fermeture (inclus), AAAA-MM-JJ.", "2026-12-21"),
        req("au", Date, "Dernier jour de fermeture (inclus), AAAA-MM-JJ.", "2027-01-03"),
        opt("motif", Text, "Raison de la fermeture, affichée sur le site.", "\"Congés de fin d’année\""),
    ]
}

fn forges() -> Vec<(&'static str, &'static str)> {
    vec![("github", "GitHub"), ("gitlab", "GitLab")]
}

pub fn depot() -> Vec<FieldSpec> {
    vec![
        req(
            "adresse",
            Text,
            "Adresse web du dépôt (https://forge/proprietaire/depot), sans `.git`, sans identifiant ni mot de passe.",
            "\"https://github.com/collectif-saint-denis/aide-alimentaire\"",
        )
        .pattern("^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._-]+){2,}/?$")
        .format("uri"),
        opt("branche", Text, "Branche publiée du dépôt (`main` par défaut).", "\"main\""),
        opt(
            "forge",
            Value(Vocab { what: "forge", entries: forges }),
            "`github` ou `gitlab`. Par défaut, github.com est GitHub et toute autre adresse une forge GitLab (gitlab.com, framagit.org, la vôtre) ; écrivez `github` pour un GitHub installé sur votre serveur.",
            "\"github\"",
        ),
        opt(
            "dossier",
            Text,
            "Dossier du site dans le dépôt, quand le site n’est pas à la racine du dépôt (la racine par défaut).",
            "\"annuaire\"",
        ),
    ]
}

pub fn editeur() -> Vec<FieldSpec> {
    vec![
        opt("actif", Bool, "`true` pour publier l’éditeur de fiches en ligne, à l’adresse `admin/` du site.", "true"),
        url(
            "serveur_oauth",
            "GitHub : adresse du petit serveur OAuth qui connecte les bénévoles à GitHub (voir le guide).",
        ),
        opt(
            "id_application",
            Text,
            "GitLab : identifiant de l’application OAuth créée dans les réglages de GitLab (voir le guide).",
            "\"0123456789abcdef\"",
        ),
    ]
}

/// Leaks a list built at run time into a `'static` slice; done once per
/// kind of table, so the few bytes stay bounded.
fn leak(v: Vec<FieldSpec>) -> &'static [FieldSpec] {
    Box::leak(v.into_boxed_slice())
}

fn cached(cell: &'static std::sync::OnceLock<&'static [FieldSpec]>, f: fn() -> Vec<FieldSpec>) -> &'static [FieldSpec] {
    cell.get_or_init(|| leak(f()))
}

macro_rules! nested {
    ($f:ident) => {{
        static CELL: std::sync::OnceLock<&'static [FieldSpec]> = std::sync::OnceLock::new();
        cached(&CELL, $f)
    }};
}

pub fn site() -> Vec<FieldSpec> {
    vec![
        req("titre", Text, "Titre du site.", "\"Aide alimentaire à Saint-Denis\""),
        req(
            "description",
            Text,
            "Une phrase : à quoi sert le site.",
            "\"Où trouver un repas, un colis ou une épicerie solidaire à Saint-Denis.\"",
        ),
        req("url", Text, "Adresse publique du site (https://…/), pour le plan du site.", "\"https://exemple.org/\"")
            .pattern(URL_PATTERN)
            .format("uri"),
        opt("langue", Text, "Langue du contenu, et des pages à la racine du site (`fr` par défaut).", "\"fr\"")
            .pattern(LANGUAGE_PATTERN),
        opt(
            "langues",
            TextList,
            "Langues de l’interface publiées : `fr`, `en`, `ar`, ou une langue ajoutée par le thème du site (`themes/default/langues/<code>.toml`). Doit contenir `langue` ; seulement `langue` par défaut.",
            "[\"fr\", \"en\", \"ar\"]",
        ),
        opt(
            "fuseau_horaire",
            Text,
            "Fuseau horaire IANA des horaires (`Europe/Paris` par défaut).",
            "\"Europe/Paris\"",
        ),
        opt("exemple", Bool, "`true` si les données sont fictives : chaque page le dit.", "false"),
        opt(
            "hors_ligne",
            Bool,
            "`false` pour ne pas proposer l’usage hors ligne (pages gardées sur l’appareil, installation sur l’écran d’accueil) ; `true` par défaut.",
            "true",
        ),
        opt(
            "frequence_maj_mois",
            Integer,
            "Nombre de mois au-delà duquel une fiche non vérifiée est signalée (6 par défaut).",
            "6",
        )
        .range(1.0, 120.0),
        opt("licence_donnees", Text, "Licence des données.", "\"Licence Ouverte 2.0\""),
        opt(
            "mentions_legales",
            Text,
            "Mentions légales, en Markdown ; deviennent la page « Mentions légales ».",
            "\"Éditeur : Collectif alimentaire de Saint-Denis.\"",
        )
        .markdown(),
        opt("theme", Text, "Nom du dossier de thème sous `themes/` (`default` par défaut).", "\"default\"")
            .pattern("^[a-z0-9]+(-[a-z0-9]+)*$"),
        opt("contact", Table(nested!(contact)), "Contact du site, affiché en pied de page.", ""),
        opt("carte", Table(nested!(carte)), "Réglages de la carte.", ""),
        opt(
            "depot",
            Table(nested!(depot)),
            "Le dépôt git du site sur sa forge (GitHub, GitLab) : chaque fiche a alors un lien « Modifier cette fiche » vers l’éditeur de la forge, et chaque lieu un lien « Signaler une erreur » qui ouvre un ticket prérempli ; l’éditeur de fiches (`[editeur]`) y enregistre les modifications.",
            "",
        ),
        opt(
            "editeur",
            Table(nested!(editeur)),
            "L’éditeur de fiches en ligne (`admin/`), pour modifier l’annuaire sans git ; chaque modification devient une demande de fusion vérifiée.",
            "",
        ),
    ]
}

pub fn territoire() -> Vec<FieldSpec> {
    vec![
        req("nom", Text, "Nom du territoire.", "\"Saint-Denis\""),
        req("type", Value(vocab::<vocab::TypeTerritoire>()), "Type de territoire.", "\"commune\""),
        req(
            "perimetre",
            Text,
            "Nom du fichier GeoJSON du périmètre, placé à côté de ce fichier (WGS 84, longitude d’abord).",
            "\"saint-denis.geojson\"",
        ),
        opt("code_insee", Text, "Code INSEE de la commune (5 caractères ; ce n’est pas le code postal).", "\"93066\"")
            .pattern(INSEE_PATTERN),
        opt("presentation", Text, "Présentation du territoire, en Markdown.", "\"L’aide alimentaire à Saint-Denis.\"")
            .markdown(),
        opt(
            "communes",
            Text,
            "Nom d’un fichier GeoJSON placé à côté, une entité par commune (propriétés `nom` et `code`), pour la page de coordination.",
            "\"saint-denis-communes.geojson\"",
        ),
        opt(
            "coordination",
            Table(nested!(coordination)),
            "L’instance de coordination de l’aide alimentaire du territoire.",
            "",
        ),
    ]
}

pub fn structure() -> Vec<FieldSpec> {
    vec![
        req("nom", Text, "Nom de la structure.", "\"Secours populaire de Saint-Denis\""),
        req("type", Value(vocab::<vocab::TypeStructure>()), "Type de structure.", "\"association\""),
        opt(
            "presentation",
            Text,
            "Présentation de la structure, en Markdown.",
            "\"Comité local du Secours populaire.\"",
        )
        .markdown(),
        url("site_web", "Site web de la structure (https://…)."),
        opt("telephone", Text, "Téléphone : 10 chiffres, ou +33 suivi de 9 chiffres.", "\"01 48 00 00 12\"")
            .pattern(PHONE_PATTERN),
        opt("courriel", Text, "Adresse électronique de la structure.", "\"contact@exemple.org\"").format("email"),
        opt("siret", Text, "Numéro SIRET : 14 chiffres.", "\"12345678900012\"").pattern("^(\\s*[0-9]){14}\\s*$"),
        opt("rna", Text, "Numéro RNA de l’association : W suivi de 9 caractères.", "\"W931234567\"")
            .pattern("^W[0-9A-Za-z]{9}$"),
        opt(
            "reseaux_porteurs",
            Values(Vocab { what: "réseau porteur (data·inclusion)", entries: reseaux }),
            "Réseaux auxquels la structure appartient (liste data·inclusion).",
            "[\"secours-populaire\"]",
        ),
        opt("besoins", Table(nested!(besoins)), "Les besoins de la structure : bénévoles, dons.", ""),
        req("date_maj", Date, "Date de la dernière vérification des informations, AAAA-MM-JJ.", "2026-10-01"),
    ]
}

pub fn lieu() -> Vec<FieldSpec> {
    vec![
        req("nom", Text, "Nom du lieu ou de la distribution.", "\"Distribution du mardi\""),
        req(
            "structure",
            Text,
            "Identifiant de la structure qui tient le lieu : le nom de son fichier sans `.toml`.",
            "\"secours-populaire-saint-denis\"",
        )
        .pattern("^[a-z0-9]+(-[a-z0-9]+)*$"),
        req(
            "services",
            Values(vocab::<vocab::Service>()),
            "Les aides proposées (une ou plusieurs).",
            "[\"colis-alimentaire\"]",
        ),
        req("adresse", Text, "Numéro et rue.", "\"12 rue de la République\""),
        opt("complement_adresse", Text, "Bâtiment, étage, entrée, salle…", "\"Salle Paul-Éluard, rez-de-chaussée\""),
        req("code_postal", Text, "Code postal : 5 chiffres, entre guillemets.", "\"93200\"").pattern("^[0-9]{5}$"),
        req("commune", Text, "Nom de la commune.", "\"Saint-Denis\""),
        opt("code_insee", Text, "Code INSEE de la commune (5 caractères ; ce n’est pas le code postal).", "\"93066\"")
            .pattern(INSEE_PATTERN),
        req(
            "latitude",
            Number,
            "Latitude en degrés décimaux (sur OpenStreetMap : clic droit, « Afficher l’adresse »).",
            "48.9356",
        )
        .range(-90.0, 90.0),
        req("longitude", Number, "Longitude en degrés décimaux.", "2.3539").range(-180.0, 180.0),
        opt(
            "horaires_accueil",
            Text,
            "Horaires au format OpenStreetMap : Mo Tu We Th Fr Sa Su (lundi … dimanche), PH (jours fériés). Exemple : `Mo-Fr 09:00-12:00; PH off`.",
            "\"Tu 09:00-12:00; PH off\"",
        ),
        opt(
            "fermetures",
            Tables(nested!(fermetures)),
            "Fermetures exceptionnelles : une section [[fermetures]] par période.",
            "",
        ),
        req(
            "acces",
            Values(vocab::<vocab::Acces>()),
            "Comment accéder à l’aide (une ou plusieurs conditions).",
            "[\"orientation\"]",
        ),
        opt(
            "conditions_acces",
            Text,
            "Précisions sur l’accès.",
            "\"Sur orientation de l’assistante sociale du secteur.\"",
        ),
        opt(
            "justificatifs",
            TextList,
            "Documents à apporter, en texte libre ; absent = aucun.",
            "[\"Pièce d’identité\", \"Justificatif de domicile\"]",
        ),
        req("frais", Value(vocab::<vocab::Frais>()), "Gratuit ou payant.", "\"gratuit\""),
        opt("frais_precisions", Text, "Précisions sur le prix.", "\"10 à 30 % du prix en magasin\""),
        opt(
            "publics",
            Values(vocab::<vocab::Public>()),
            "Publics visés (data·inclusion) ; `tous-publics` par défaut, et ne se combine pas avec les autres.",
            "[\"familles\"]",
        ),
        opt("publics_precisions", Text, "Précisions sur les publics.", "\"Familles avec enfants de moins de 3 ans.\""),
        opt(
            "langues",
            Values(Vocab { what: "langue (code ISO 639-1)", entries: langues }),
            "Langues parlées par l’équipe, en codes à deux lettres.",
            "[\"fr\", \"ar\"]",
        ),
        opt("accessibilite_pmr", Bool, "`true` si accessible en fauteuil roulant, `false` sinon.", "true"),
        opt(
            "regimes",
            Values(vocab::<vocab::Regime>()),
            "Régimes alimentaires proposés.",
            "[\"halal\", \"vegetarien\"]",
        ),
        opt("telephone", Text, "Téléphone du lieu.", "\"01 48 00 00 13\"").pattern(PHONE_PATTERN),
        opt("courriel", Text, "Adresse électronique du lieu.", "\"accueil@exemple.org\"").format("email"),
        url("site_web", "Site web du lieu (https://…)."),
        opt("description", Text, "Description libre, en Markdown.", "\"Venez avec un sac.\"").markdown(),
        req("date_maj", Date, "Date de la dernière vérification des informations, AAAA-MM-JJ.", "2026-10-01"),
        opt("frequence_maj_mois", Integer, "Remplace, pour ce lieu, le délai de vérification du site (en mois).", "3")
            .range(1.0, 120.0),
        opt(
            "traductions",
            ByLanguage(nested!(traductions)),
            "Les textes libres du lieu traduits dans une langue publiée par le site : une section `[traductions.<code>]` par langue (`[traductions.en]`).",
            "",
        ),
    ]
}

pub fn page() -> Vec<FieldSpec> {
    vec![
        req("titre", Text, "Titre de la page.", "\"À propos\""),
        opt("description", Text, "Une phrase résumant la page.", "\"Qui tient cet annuaire.\""),
        opt("ordre", Integer, "Position dans le menu du pied de page.", "1"),
    ]
}

/// A kind of TOML file with a JSON Schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Site,
    Territoire,
    Structure,
    Lieu,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [FileKind::Site, FileKind::Territoire, FileKind::Structure, FileKind::Lieu];

    /// File name stem of the schema (`schemas/<name>.json`) and the word
    /// used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Site => "site",
            FileKind::Territoire => "territoire",
            FileKind::Structure => "structure",
            FileKind::Lieu => "lieu",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FileKind::Site => "Réglages du site (content/site.toml)",
            FileKind::Territoire => "Territoire (content/territoires/<id>.toml)",
            FileKind::Structure => "Structure (content/structures/<id>.toml)",
            FileKind::Lieu => "Lieu de distribution (content/lieux/<id>.toml)",
        }
    }

    /// Folder under `content/` holding this kind of file; `None` for the
    /// single `site.toml`.
    pub fn dir(self) -> Option<&'static str> {
        match self {
            FileKind::Site => None,
            FileKind::Territoire => Some("territoires"),
            FileKind::Structure => Some("structures"),
            FileKind::Lieu => Some("lieux"),
        }
    }

    pub fn fields(self) -> Vec<FieldSpec> {
        match self {
            FileKind::Site => site(),
            FileKind::Territoire => territoire(),
            FileKind::Structure => structure(),
            FileKind::Lieu => lieu(),
        }
    }
}

// ------------------------------------------------------------ JSON Schema

/// The JSON Schema (draft-07, as Taplo and Even Better TOML read it) of a
/// kind of file, pretty-printed with a final newline.
pub fn json_schema(kind: FileKind) -> String {
    let mut root = object_schema(&kind.fields());
    let map = root.as_object_mut().expect("an object schema");
    map.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    map.insert("title".into(), json!(kind.title()));
    map.insert(
        "description".into(),
        json!(format!(
            "{} — fichier lu par alimap ; généré par `alimap schemas`, ne pas modifier à la main.",
            kind.title()
        )),
    );
    let mut text = serde_json::to_string_pretty(&root).expect("a schema serialises");
    text.push('\n');
    text
}

fn object_schema(fields: &[FieldSpec]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        properties.insert(f.key.into(), field_schema(f));
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.key).collect();
    let mut s = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        s["required"] = json!(required);
        // Taplo offers these keys first when completing an empty table.
        s["x-taplo"] = json!({ "initKeys": required });
    }
    s
}

fn enum_schema(v: &Vocab) -> Value {
    let entries = (v.entries)();
    json!({
        "type": "string",
        "enum": entries.iter().map(|(value, _)| *value).collect::<Vec<_>>(),
        "x-taplo": { "docs": { "enumValues": entries.iter().map(|(_, label)| *label).collect::<Vec<_>>() } },
    })
}

fn values_description(v: &Vocab) -> String {
    let entries = (v.entries)();
    if entries.len() > 40 {
        return format!("Valeurs possibles : voir la liste des valeurs ({}).", v.what);
    }
    let list: Vec<String> = entries.iter().map(|(value, label)| format!("`{value}` ({label})")).collect();
    format!("Valeurs possibles : {}.", list.join(", "))
}

fn field_schema(f: &FieldSpec) -> Value {
    let mut description = f.description_fr.to_string();
    let mut s = match f.kind {
        Text => json!({ "type": "string", "minLength": 1 }),
        Number => json!({ "type": "number" }),
        Integer => json!({ "type": "integer" }),
        Bool => json!({ "type": "boolean" }),
        Date => json!({ "type": "string", "format": "date" }),
        TextList => json!({ "type": "array", "items": { "type": "string", "minLength": 1 } }),
        Value(v) => {
            description = format!("{description} {}", values_description(&v));
            enum_schema(&v)
        }
        Values(v) => {
            description = format!("{description} {}", values_description(&v));
            let mut s = json!({ "type": "array", "items": enum_schema(&v), "uniqueItems": true });
            if f.required {
                s["minItems"] = json!(1);
            }
            s
        }
        Table(fields) => object_schema(fields),
        Tables(fields) => json!({ "type": "array", "items": object_schema(fields) }),
        ByLanguage(fields) => json!({
            "type": "object",
            "propertyNames": { "pattern": LANGUAGE_PATTERN },
            "additionalProperties": object_schema(fields),
        }),
    };
    s["description"] = json!(description);
    if let Some(p) = f.checks.pattern {
        s["pattern"] = json!(p);
    }
    if let Some(fmt) = f.checks.format {
        s["format"] = json!(fmt);
    }
    if let Some(min) = f.checks.min {
        s["minimum"] = number(min);
    }
    if let Some(max) = f.checks.max {
        s["maximum"] = number(max);
    }
    if !f.example.is_empty()
        && let Ok(example) = example_json(f.example)
    {
        s["examples"] = json!([example]);
    }
    s
}

fn number(x: f64) -> Value {
    if x.fract() == 0.0 { json!(x as i64) } else { json!(x) }
}

/// An example written in TOML, as JSON (dates become text, as Taplo sees
/// them).
fn example_json(toml_value: &str) -> Result<Value, toml::de::Error> {
    let table: toml::Table = toml::from_str(&format!("x = {toml_value}"))?;
    Ok(to_json(&table["x"]))
}

fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

// ------------------------------------------------------------ reference

/// The reference of every key, in French Markdown (`docs/cles.md`).
pub fn markdown_reference() -> String {
    let mut out = String::from(
        "# Les clés des fiches\n\n\
         Ce fichier est généré depuis `src/content/schema.rs` (`UPDATE_EXPECT=1 cargo test` le met à jour) ; \
         la présentation et les exemples sont dans le guide, `docs/guide/ecrire-les-fiches.md`.\n",
    );
    let kinds: [(&str, Vec<FieldSpec>); 5] = [
        ("`content/site.toml`", site()),
        ("`content/territoires/<id>.toml`", territoire()),
        ("`content/structures/<id>.toml`", structure()),
        ("`content/lieux/…/<id>.toml`", lieu()),
        ("En-tête des pages `content/pages/<id>.md`", page()),
    ];
    for (title, fields) in kinds {
        out.push_str(&format!("\n## {title}\n"));
        reference_table(&mut out, &fields);
        for f in &fields {
            if let Table(nested) | Tables(nested) | ByLanguage(nested) = f.kind {
                let header = match f.kind {
                    Table(_) => format!("[{}]", f.key),
                    Tables(_) => format!("[[{}]]", f.key),
                    _ => format!("[{}.<code>]", f.key),
                };
                out.push_str(&format!("\n### `{header}`\n\n{}\n", f.description_fr));
                reference_table(&mut out, nested);
            }
        }
    }
    out
}

fn reference_table(out: &mut String, fields: &[FieldSpec]) {
    out.push_str("\n| clé | obligatoire | type | signification | exemple |\n|---|---|---|---|---|\n");
    for f in fields {
        let kind = match f.kind {
            Text => "texte".to_string(),
            Number => "nombre".to_string(),
            Integer => "nombre entier".to_string(),
            Bool => "`true` ou `false`".to_string(),
            Date => "date".to_string(),
            TextList => "liste de textes".to_string(),
            Value(v) => format!("une valeur : {}", reference_values(&v)),
            Values(v) => format!("liste de valeurs : {}", reference_values(&v)),
            Table(_) => "section".to_string(),
            Tables(_) => "sections répétées".to_string(),
            ByLanguage(_) => "une section par langue".to_string(),
        };
        let example = if f.example.is_empty() { String::new() } else { format!("`{}`", f.example.replace('|', "\\|")) };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            f.key,
            if f.required { "oui" } else { "non" },
            kind,
            f.description_fr.replace('|', "\\|"),
            example
        ));
    }
}

fn reference_values(v: &Vocab) -> String {
    let entries = (v.entries)();
    if entries.len() > 40 {
        return format!("{} (liste de data·inclusion, {} valeurs)", v.what, entries.len());
    }
    entries.iter().map(|(value, _)| format!("`{value}`")).collect::<Vec<_>>().join(", ")
}

// ------------------------------------------------------------- templates

/// What a template writes for the keys it leaves uncommented.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required keys with [`PLACEHOLDER`] values the volunteer must
    /// replace (check fails until they do); optional keys commented out.
    Placeholders,
    /// Required keys with their example values, marked "à remplacer";
    /// optional keys commented out. The file passes `alimap check` as is.
    Examples,
    /// Every key, optional ones too, with its example value.
    Everything,
}

/// The value `alimap new` writes for a required key: plainly not real
/// data, and refused by `alimap check` with a message saying what to write.
pub const PLACEHOLDER: &str = "À REMPLIR";

fn placeholder(kind: Kind) -> String {
    match kind {
        TextList | Values(_) => format!("[\"{PLACEHOLDER}\"]"),
        _ => format!("\"{PLACEHOLDER}\""),
    }
}

/// A commented TOML file with every key of `fields`: first the simple keys,
/// then the sections (in TOML a key written after a section belongs to it).
pub fn template(header: &str, fields: &[FieldSpec], fill: Fill) -> String {
    let mut out = String::from(header);
    write_keys(&mut out, fields, fill, "", true);
    out
}

fn comment_lines(out: &mut String, prefix: &str, text: &str) {
    for line in wrap(text, 76) {
        out.push_str(&format!("{prefix}# {line}\n"));
    }
}

fn write_keys(out: &mut String, fields: &[FieldSpec], fill: Fill, section: &str, active: bool) {
    let simple = fields.iter().filter(|f| !matches!(f.kind, Table(_) | Tables(_) | ByLanguage(_)));
    for f in simple {
        out.push('\n');
        let mut about = format!("{} {}", f.description_fr, necessity(f));
        if let Value(v) | Values(v) = f.kind {
            let entries = (v.entries)();
            if entries.len() <= 40 {
                let list: Vec<String> = entries.iter().map(|(value, label)| format!("{value} ({label})")).collect();
                about.push_str(&format!(" Valeurs\u{a0}: {}.", list.join(", ")));
            } else {
                about.push_str(
                    " Valeurs : voir la liste de data·inclusion (data/data-inclusion/v1/extra/reseaux-porteurs.json).",
                );
            }
        }
        let uncommented = active && (f.required || fill == Fill::Everything);
        comment_lines(out, "", &about);
        if uncommented {
            let value = match fill {
                Fill::Placeholders if f.required => placeholder(f.kind),
                _ => f.example.to_string(),
            };
            if fill == Fill::Examples {
                out.push_str("# À remplacer par la vraie valeur :\n");
            }
            out.push_str(&format!("{} = {value}\n", f.key));
        } else {
            out.push_str(&format!("# {} = {}\n", f.key, f.example));
        }
    }
    for f in fields {
        let (nested, header, sub) = match f.kind {
            Table(nested) => (nested, format!("[{section}{}]", f.key), format!("{section}{}.", f.key)),
            Tables(nested) => (nested, format!("[[{section}{}]]", f.key), format!("{section}{}.", f.key)),
            // The example section is in English, a language sites often publish.
            ByLanguage(nested) => (nested, format!("[{section}{}.en]", f.key), format!("{section}{}.en.", f.key)),
            _ => continue,
        };
        let on = active && fill == Fill::Everything;
        out.push('\n');
        comment_lines(out, "", &format!("{} {}", f.description_fr, necessity(f)));
        if on {
            out.push_str(&format!("{header}\n"));
        } else {
            out.push_str(&format!("# {header}\n"));
        }
        // Keys of a commented-out section are commented out too, so that
        // uncommenting the header and the keys wanted is all it takes.
        write_keys(out, nested, fill, &sub, on);
    }
}

fn necessity(f: &FieldSpec) -> &'static str {
    if f.required { "Obligatoire." } else { "Facultatif." }
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // Splits at plain spaces only: a no-break space keeps `Valeurs :`
    // together, as French typography wants.
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;
    use crate::content::load::{SourceFile, Sources};

    /// A square around the example point of `lieu()`.
    const PERIMETER: &str =
        r#"{"type":"Polygon","coordinates":[[[2.30,48.90],[2.40,48.90],[2.40,48.96],[2.30,48.96],[2.30,48.90]]]}"#;

    fn file(path: &str, text: String) -> SourceFile {
        SourceFile { path: PathBuf::from(path), text: text.into() }
    }

    /// One file of each kind holding every key of its spec, with `extra`
    /// inserted at the top and after each section header.
    fn sources(extra: &str) -> Sources {
        let full = |fields: &[FieldSpec]| {
            let text = template("", fields, Fill::Everything);
            let mut out = extra.to_string();
            for line in text.lines() {
                out.push_str(line);
                out.push('\n');
                if line.starts_with('[') {
                    out.push_str(extra);
                }
            }
            out
        };
        let mut s = Sources {
            site: Some(file("content/site.toml", full(&site()))),
            territoires: vec![file("content/territoires/saint-denis.toml", full(&territoire()))],
            structures: vec![file("content/structures/secours-populaire-saint-denis.toml", full(&structure()))],
            lieux: vec![file("content/lieux/distribution.toml", full(&lieu()))],
            pages: vec![file("content/pages/a-propos.md", format!("+++\n{}+++\nTexte.\n", full(&page())))],
            ..Sources::default()
        };
        let geo = file("content/territoires/saint-denis.geojson", PERIMETER.into());
        s.perimetres.insert(geo.path.clone(), geo);
        let communes = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"nom":"Saint-Denis","code":"93066"}},"geometry":{PERIMETER}}}]}}"#
        );
        let geo = file("content/territoires/saint-denis-communes.geojson", communes);
        s.perimetres.insert(geo.path.clone(), geo);
        s
    }

    #[test]
    fn a_file_with_every_described_key_parses_without_any_diagnostic() {
        let (parsed, diags) = crate::content::parse::parse(&sources(""));
        let messages: Vec<String> = diags.iter().map(|d| format!("{}: {}", d.file.display(), d.message)).collect();
        assert!(messages.is_empty(), "{messages:#?}");
        assert!(parsed.config.is_some());
        assert_eq!(
            (parsed.territoires.len(), parsed.structures.len(), parsed.lieux.len(), parsed.pages.len()),
            (1, 1, 1, 1)
        );
    }

    /// The parser lists the keys it asked for when it meets a key far from
    /// all of them: those lists must be the described keys, table by table.
    #[test]
    fn the_parser_asks_exactly_the_described_keys() {
        let (_, diags) = crate::content::parse::parse(&sources("zzzzzzzz = 1\n"));
        let mut asked: Vec<(String, String, BTreeSet<String>)> = Vec::new();
        for d in &diags {
            let Some(table) = d.message.strip_prefix("clé inconnue `").and_then(|m| m.strip_suffix("zzzzzzzz`"))
            else {
                panic!("unexpected diagnostic: {}", d.message);
            };
            let help = d.help.as_deref().unwrap_or("");
            let keys = help.strip_prefix("clés possibles ici : ").unwrap_or_else(|| panic!("{help}"));
            let keys = keys.split(", ").map(|k| k.trim_matches('`').to_string()).collect();
            asked.push((d.file.display().to_string(), table.to_string(), keys));
        }
        let keys = |fields: &[FieldSpec]| fields.iter().map(|f| f.key.to_string()).collect::<BTreeSet<_>>();
        let mut expected: Vec<(String, String, BTreeSet<String>)> = Vec::new();
        let mut add = |file: &str, fields: Vec<FieldSpec>| {
            expected.push((file.into(), String::new(), keys(&fields)));
            for f in &fields {
                match f.kind {
                    Table(nested) => expected.push((file.into(), format!("{}.", f.key), keys(nested))),
                    Tables(nested) => expected.push((file.into(), format!("{}[1].", f.key), keys(nested))),
                    ByLanguage(nested) => expected.push((file.into(), format!("{}.en.", f.key), keys(nested))),
                    _ => {}
                }
            }
        };
        add("content/site.toml", site());
        add("content/territoires/saint-denis.toml", territoire());
        add("content/structures/secours-populaire-saint-denis.toml", structure());
        add("content/lieux/distribution.toml", lieu());
        add("content/pages/a-propos.md", page());
        asked.sort();
        expected.sort();
        assert_eq!(asked, expected);
    }

    #[test]
    fn schemas_list_vocabularies_and_forbid_unknown_keys() {
        let lieu: Value = serde_json::from_str(&json_schema(FileKind::Lieu)).unwrap();
        assert_eq!(lieu["additionalProperties"], json!(false));
        assert_eq!(lieu["properties"]["frais"]["enum"], json!(["gratuit", "payant"]));
        assert_eq!(lieu["properties"]["services"]["items"]["enum"][0], json!("repas"));
        assert_eq!(lieu["properties"]["date_maj"]["format"], json!("date"));
        assert_eq!(lieu["properties"]["fermetures"]["items"]["required"], json!(["du", "au"]));
        assert!(lieu["required"].as_array().unwrap().contains(&json!("latitude")));
        let structure: Value = serde_json::from_str(&json_schema(FileKind::Structure)).unwrap();
        let reseaux = structure["properties"]["reseaux_porteurs"]["items"]["enum"].as_array().unwrap();
        assert_eq!(reseaux.len(), vocab::reseaux_porteurs().len());
    }

    #[test]
    fn templates_comment_optional_keys_out() {
        let t = template("", &lieu(), Fill::Placeholders);
        assert!(t.contains("\nnom = \"À REMPLIR\"\n"), "{t}");
        assert!(t.contains("\nservices = [\"À REMPLIR\"]\n"), "{t}");
        assert!(t.contains("\n# complement_adresse = "), "{t}");
        assert!(t.contains("\n# [[fermetures]]\n"), "{t}");
        assert!(t.contains("\n# du = 2026-12-21\n"), "{t}");
        assert!(!t.lines().any(|l| l.len() > 200), "{t}");
    }
}
