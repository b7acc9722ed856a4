//! data·inclusion v1 `structures.json` and `services.json` read into
//! entries: structures, and a point for each food-aid service.
//!
//! The national schema (`data/data-inclusion/v1/`) shares most of alimap's
//! keys and vocabularies (`frais`, `publics`, `horaires_accueil` in
//! OpenStreetMap's syntax), so values are copied, not guessed. What it does
//! not hold (the kinds of food help, the conditions of access, a
//! structure's type) is read back from alimap's own export where alimap
//! wrote it (`files::export`: the description starts with the kinds and
//! the conditions), and otherwise left to the normalisers, which infer it
//! from the name and mark it « à vérifier ».

use anyhow::{Result, bail};
use serde_json::{Map, Value as Json};
use toml::Value;

use super::entry::Entry;
use crate::content::schema::FileKind;
use crate::model::vocab::{Acces, Frais, Public, Service, Vocabulary};

/// data·inclusion's `thematiques` value for food aid.
pub const THEMATIQUE: &str = "equipement-et-alimentation--alimentation";
/// The `source` alimap writes in its own export: ids from it are alimap's.
pub const ALIMAP: &str = "alimap";
/// How every data·inclusion source key starts.
pub const SOURCE_PREFIX: &str = "data-inclusion:";
/// What alimap's export writes before the documents to bring.
const DOCUMENTS: &str = "Documents à apporter : ";

/// Which data·inclusion file a JSON array is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Records {
    Structures,
    Services,
}

/// The records of a JSON text: an array, or the `items` of an API page.
pub fn records(text: &[u8]) -> Result<Vec<Map<String, Json>>> {
    let json: Json = match serde_json::from_slice(text) {
        Ok(j) => j,
        Err(e) => bail!(
            "JSON illisible, ligne {} colonne {} : {} ; vérifiez que le fichier est complet (un export interrompu se termine au milieu d’un enregistrement)",
            e.line(),
            e.column(),
            french_json_error(&e)
        ),
    };
    let list = match json {
        Json::Array(a) => a,
        Json::Object(mut o) => match o.remove("items").or_else(|| o.remove("data")).or_else(|| o.remove("places")) {
            Some(Json::Array(a)) => a,
            _ => bail!("le fichier JSON n’est pas une liste d’enregistrements (ni `items`, ni `data`, ni `places`)"),
        },
        _ => bail!("le fichier JSON n’est pas une liste d’enregistrements"),
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, r) in list.into_iter().enumerate() {
        match r {
            Json::Object(o) => out.push(o),
            _ => bail!("l’enregistrement n° {} n’est pas un objet JSON {{…}}", i + 1),
        }
    }
    Ok(out)
}

fn french_json_error(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "le fichier s’arrête avant la fin",
        Category::Syntax => "caractère inattendu",
        Category::Data => "valeur inattendue",
        Category::Io => "lecture impossible",
    }
}

/// Whether records are data·inclusion structures or services (`None`:
/// neither, perhaps another source).
pub fn kind_of(records: &[Map<String, Json>]) -> Option<Records> {
    let first = records.first()?;
    if first.contains_key("structure_id") {
        Some(Records::Services)
    } else if first.contains_key("source") && first.contains_key("nom") && first.contains_key("date_maj") {
        Some(Records::Structures)
    } else {
        None
    }
}

/// The source key of a record: stable from one import to the next.
fn source_key(kind: Records, source: &str, id: &str) -> String {
    let what = match kind {
        Records::Structures => "structures",
        Records::Services => "services",
    };
    format!("{SOURCE_PREFIX}{source}:{what}:{id}")
}

/// The source key a point's structure gets, so that the import links the
/// point to the structure read from `structures.json` (or written before).
pub fn structure_source(source: &str, id: &str) -> String {
    source_key(Records::Structures, source, id)
}

fn text<'a>(r: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Json::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn strings<'a>(r: &'a Map<String, Json>, key: &str) -> Vec<&'a str> {
    r.get(key).and_then(Json::as_array).map(|a| a.iter().filter_map(Json::as_str).collect()).unwrap_or_default()
}

fn set_text(e: &mut Entry, r: &Map<String, Json>, from: &str, to: &str) {
    if let Some(v) = text(r, from) {
        e.set(to, v);
    }
}

fn list(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| Value::String((*v).to_string())).collect())
}

/// A record's own id, kept when it is alimap's (from alimap's export) and
/// can name a file.
fn own_id(r: &Map<String, Json>, key: &str) -> Option<String> {
    let id = text(r, key)?;
    let ok = !id.is_empty()
        && id.len() <= 100
        && id.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    ok.then(|| id.to_string())
}

/// Entries of a data·inclusion file, with the record's position (1-based)
/// as its row. Services outside food aid are left out.
pub fn entries(kind: Records, records: &[Map<String, Json>]) -> Vec<Entry> {
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let entry = match kind {
            Records::Structures => Some(structure(r)),
            Records::Services => service(r),
        };
        if let Some(mut e) = entry {
            e.row = Some(i + 1);
            out.push(e);
        }
    }
    out
}

fn structure(r: &Map<String, Json>) -> Entry {
    let source = text(r, "source").unwrap_or("inconnue");
    let id = text(r, "id").unwrap_or_default();
    let mut e = Entry::new(FileKind::Structure, source_key(Records::Structures, source, id));
    if source == ALIMAP {
        e.id = own_id(r, "id");
    }
    set_text(&mut e, r, "nom", "nom");
    // data·inclusion has no kind of organisation: a CCAS says so by its
    // network; the normaliser defaults the others, marked to check.
    let reseaux = strings(r, "reseaux_porteurs");
    if reseaux.contains(&"ccas-cias") {
        e.set("type", "ccas");
    }
    set_text(&mut e, r, "description", "presentation");
    set_text(&mut e, r, "site_web", "site_web");
    set_text(&mut e, r, "telephone", "telephone");
    set_text(&mut e, r, "courriel", "courriel");
    set_text(&mut e, r, "siret", "siret");
    if !reseaux.is_empty() {
        e.set("reseaux_porteurs", list(&reseaux));
    }
    set_text(&mut e, r, "date_maj", "date_maj");
    e
}

/// Whether a service is food aid: its `thematiques` say so (a record
/// without any is kept, to be checked).
fn is_food(r: &Map<String, Json>) -> bool {
    let themes = strings(r, "thematiques");
    themes.is_empty() || themes.iter().any(|t| *t == THEMATIQUE || t.ends_with("--alimentation"))
}

fn service(r: &Map<String, Json>) -> Option<Entry> {
    if !is_food(r) {
        return None;
    }
    let source = text(r, "source").unwrap_or("inconnue");
    let id = text(r, "id").unwrap_or_default();
    let mut e = Entry::new(FileKind::Lieu, source_key(Records::Services, source, id));
    let alimap = source == ALIMAP;
    if alimap {
        e.id = own_id(r, "id");
    }
    set_text(&mut e, r, "nom", "nom");
    if let Some(s) = text(r, "structure_id") {
        match (alimap, own_id(r, "structure_id")) {
            (true, Some(own)) => e.set("structure", own),
            _ => e.set("structure", structure_source(source, s)),
        }
    }

    // The kinds of help and the conditions of access: written by alimap's
    // export at the head of the description; from elsewhere, inferred.
    let description = text(r, "description").unwrap_or_default();
    let head = if alimap { alimap_head(description) } else { None };
    let rest = match &head {
        Some(h) => {
            e.set("services", list(&h.services.iter().map(|s| s.value()).collect::<Vec<_>>()));
            h.rest
        }
        None => description,
    };

    for key in ["adresse", "complement_adresse", "code_postal", "commune", "code_insee"] {
        set_text(&mut e, r, key, key);
    }
    for key in ["latitude", "longitude"] {
        if let Some(n) = r.get(key).and_then(Json::as_f64) {
            e.set(key, n);
        }
    }
    // Already OpenStreetMap's syntax: copied as is, for `check` to read.
    set_text(&mut e, r, "horaires_accueil", "horaires_accueil");

    match &head {
        Some(h) => e.set("acces", list(&h.acces.iter().map(|a| a.value()).collect::<Vec<_>>())),
        None => acces(&mut e, r),
    }
    let (conditions, justificatifs) = conditions(text(r, "conditions_acces"), alimap);
    if let Some(c) = conditions {
        e.set("conditions_acces", c);
    }
    if !justificatifs.is_empty() {
        e.set("justificatifs", list(&justificatifs.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    match text(r, "frais") {
        Some(f) if Frais::parse(f).is_some() => e.set("frais", f),
        Some(f) => {
            e.set("frais", f);
            e.check("frais", format!("frais « {f} » hors du vocabulaire data·inclusion"));
        }
        None => {}
    }
    set_text(&mut e, r, "frais_precisions", "frais_precisions");
    publics(&mut e, r);
    set_text(&mut e, r, "publics_precisions", "publics_precisions");
    set_text(&mut e, r, "telephone", "telephone");
    set_text(&mut e, r, "courriel", "courriel");
    if !rest.trim().is_empty() {
        e.set("description", rest.trim());
    }
    set_text(&mut e, r, "date_maj", "date_maj");
    let modes = strings(r, "modes_accueil");
    if !modes.is_empty() && !modes.contains(&"en-presentiel") {
        e.check("adresse", "service à distance seulement dans data·inclusion : est-ce un lieu où l’on se rend ?");
    }
    Some(e)
}

/// What alimap's export wrote at the head of a description: « Repas,
/// Colis alimentaire. Sur inscription ; Sur rendez-vous. » then the
/// description itself after a blank line.
struct Head<'a> {
    services: Vec<Service>,
    acces: Vec<Acces>,
    rest: &'a str,
}

fn alimap_head(description: &str) -> Option<Head<'_>> {
    let (first, rest) = match description.split_once("\n\n") {
        Some((f, r)) => (f, r),
        None => (description, ""),
    };
    let first = first.strip_suffix('.')?;
    // The kinds' labels are joined with « , » and may hold a comma
    // themselves: read them label by label.
    let mut services = Vec::new();
    let mut s = first;
    loop {
        let found = Service::ALL.iter().filter(|k| s.starts_with(k.label())).max_by_key(|k| k.label().len())?;
        services.push(*found);
        s = &s[found.label().len()..];
        if let Some(next) = s.strip_prefix(", ") {
            s = next;
        } else {
            s = s.strip_prefix(". ")?;
            break;
        }
    }
    let mut acces = Vec::new();
    for part in s.split(" ; ") {
        acces.push(*Acces::ALL.iter().find(|a| a.label() == part)?);
    }
    Some(Head { services, acces, rest })
}

/// A service's conditions of access from other sources: what data·inclusion
/// says of who may come and how, marked to check.
fn acces(e: &mut Entry, r: &Map<String, Json>) {
    let par = strings(r, "mobilisable_par");
    let modes = strings(r, "modes_mobilisation");
    let conditions = text(r, "conditions_acces").map(crate::text::format::fold).unwrap_or_default();
    let mut found: Vec<&str> = Vec::new();
    if par.contains(&"professionnels") && !par.contains(&"usagers") || conditions.contains("orientation") {
        found.push(Acces::Orientation.value());
    }
    if conditions.contains("rendez-vous") || conditions.contains("rendez vous") || conditions.contains("rdv") {
        found.push(Acces::RendezVous.value());
    }
    if conditions.contains("inscription") {
        found.push(Acces::Inscription.value());
    }
    if found.is_empty() && modes.contains(&"se-presenter") && par.contains(&"usagers") {
        found.push(Acces::SansCondition.value());
    }
    if !found.is_empty() {
        e.set("acces", list(&found));
        e.check(
            "acces",
            "condition d’accès déduite de data·inclusion (mobilisable_par, modes_mobilisation, conditions_acces)",
        );
    }
}

/// The conditions of access, and the documents alimap's export appended
/// to them.
fn conditions(text: Option<&str>, alimap: bool) -> (Option<String>, Vec<String>) {
    let Some(text) = text else { return (None, Vec::new()) };
    if !alimap {
        return (Some(text.to_string()), Vec::new());
    }
    let (before, docs) = if let Some(d) = text.strip_prefix(DOCUMENTS) {
        ("", d)
    } else if let Some((b, d)) = text.rsplit_once(&format!(". {DOCUMENTS}")) {
        (b, d)
    } else {
        (text, "")
    };
    ((!before.is_empty()).then(|| before.to_string()), split_documents(docs))
}

/// The documents joined by « , »: a comma inside parentheses (« (CAF,
/// loyer) ») belongs to its document.
fn split_documents(docs: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in docs.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 && docs[i..].starts_with(", ") => {
                out.push(docs[start..i].trim().to_string());
                start = i + 2;
            }
            _ => {}
        }
    }
    out.push(docs[start..].trim().to_string());
    out.retain(|d| !d.is_empty());
    out
}

/// Publics: the same vocabulary as alimap's; values outside it are kept
/// as text in `publics_precisions`.
fn publics(e: &mut Entry, r: &Map<String, Json>) {
    let all = strings(r, "publics");
    let (known, unknown): (Vec<&str>, Vec<&str>) = all.iter().partition(|p| Public::parse(p).is_some());
    if !known.is_empty() {
        e.set("publics", list(&known));
    }
    if !unknown.is_empty() {
        let text = unknown.join(", ");
        let precisions = match text_of(r, "publics_precisions") {
            Some(p) => format!("{p} ({text})"),
            None => text.clone(),
        };
        e.set("publics_precisions", precisions);
        e.check("publics", format!("publics hors du vocabulaire data·inclusion gardés en texte : {text}"));
    }
}

fn text_of(r: &Map<String, Json>, key: &str) -> Option<String> {
    text(r, key).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alimap_heads_read_back() {
        let h = alimap_head(
            "Cuisine partagée, atelier cuisine, Repas. Sans condition, ouvert à tous ; Sur inscription.\n\nVenez tôt.",
        )
        .unwrap();
        assert_eq!(h.services, [Service::AtelierCuisine, Service::Repas]);
        assert_eq!(h.acces, [Acces::SansCondition, Acces::Inscription]);
        assert_eq!(h.rest, "Venez tôt.");
        assert!(alimap_head("Distribution de colis le mardi.").is_none());
    }

    #[test]
    fn documents_are_split_from_conditions() {
        let (c, d) =
            conditions(Some("Sur orientation. Documents à apporter : Pièce d’identité, Avis d’imposition"), true);
        assert_eq!(c.as_deref(), Some("Sur orientation"));
        assert_eq!(d, ["Pièce d’identité", "Avis d’imposition"]);
        let (_, d) = conditions(Some("Documents à apporter : Pièce, Justificatifs (CAF, loyer), Carte"), true);
        assert_eq!(d, ["Pièce", "Justificatifs (CAF, loyer)", "Carte"]);
        let (c, d) = conditions(Some("Documents à apporter : Carte"), true);
        assert_eq!((c, d), (None, vec!["Carte".to_string()]));
    }

    #[test]
    fn bad_json_says_where() {
        let err = records(b"[{\"id\": \"a\",}").unwrap_err().to_string();
        assert!(err.starts_with("JSON illisible, ligne 1 colonne 13"), "{err}");
        let err = records(b"{\"a\": 1}").unwrap_err().to_string();
        assert!(err.contains("n’est pas une liste"), "{err}");
    }
}
