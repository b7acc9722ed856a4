//! What every reader's entries go through before they are written: values
//! as spreadsheets and listings write them (« 12, rue X, 75012 », « du
//! lundi au vendredi de 9h à 12h », `612345678`, « familles ») made into
//! the values alimap's files take, or marked to check, or the entry
//! refused with its reason. Values already in alimap's form (what the
//! data·inclusion and Soliguide readers give) pass unchanged.

use chrono::{Datelike, NaiveDate};
use toml::Value;

use super::entry::Entry;
use super::mapping::{self, Mapping};
use crate::content::limits::{MAX_LINE, MAX_MARKDOWN, MAX_TEXT, MAX_URL};
use crate::content::prose_hours::{self, Conversion};
use crate::content::schema::FileKind;
use crate::model::geo::in_france;
use crate::model::hours::Horaires;
use crate::model::vocab::{Acces, Frais, LANGUES, Public, Regime, Service, TypeStructure, Vocabulary};
use crate::text::communes::{self, Commune, name_key};
use crate::text::format::{coord, fold, is_insee_code, is_valid_email, phone_display, phone_link, url_problem};

/// Below this score, the national address base's geocoder is unsure.
pub const LOW_SCORE: f64 = 0.6;

/// The reason a default is written, on its `# à vérifier` line.
pub const DEFAULTED: &str = "valeur par défaut donnée à l’import, absente de la source";

/// Whether a check's reason says the value was defaulted or guessed: such
/// a value never replaces one already in a file (a volunteer may have
/// corrected it).
pub fn is_guess(reason: &str) -> bool {
    reason == DEFAULTED || reason.contains("supposé") || reason.contains("déduit")
}

/// Makes `e` ready to write, or says why it cannot be.
pub fn normalise(e: &mut Entry, mapping: &Mapping) -> Result<(), String> {
    drop_placeholders(e);
    if e.get("nom").is_none() {
        return Err("pas de nom".into());
    }
    let mut notes = Vec::new();
    contacts(e, &mut notes);
    if e.kind == FileKind::Lieu {
        address(e)?;
        coordinates(e);
        hours(e, &mut notes);
        services(e, mapping)?;
        publics(e, mapping);
        acces(e, mapping)?;
        frais(e, mapping)?;
        lists(e);
        if e.get("structure").is_none() {
            default(e, mapping, "structure")
                .ok_or("pas de structure : ajoutez une colonne « structure » ou l’option --structure")?;
        }
    }
    if e.kind == FileKind::Structure {
        structure_type(e);
    }
    date(e, mapping)?;
    if !notes.is_empty() {
        let mut text = e.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        for n in notes {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&n);
        }
        e.set("description", text);
    }
    limits(e)?;
    order(e);
    Ok(())
}

/// What a spreadsheet writes for « nothing ».
fn is_placeholder(s: &str) -> bool {
    let f = fold(s.trim());
    matches!(
        f.as_str(),
        "" | "na"
            | "n/a"
            | "n.a."
            | "nc"
            | "n.c."
            | "x"
            | "-"
            | "--"
            | "/"
            | "."
            | "?"
            | "neant"
            | "aucun"
            | "aucune"
            | "non communique"
            | "non renseigne"
            | "inconnu"
            | "null"
            | "none"
            | "#n/a"
    )
}

fn drop_placeholders(e: &mut Entry) {
    e.fields.retain(|(_, v)| !matches!(v, Value::String(s) if is_placeholder(s)));
    for (_, v) in &mut e.fields {
        if let Value::String(s) = v {
            // A spreadsheet formula kept as text: its visible part is
            // what the volunteer typed, the rest is markup.
            if let Some(inner) = hyperlink(s) {
                *s = inner;
            }
            let trimmed = s.trim();
            if trimmed.len() != s.len() {
                *s = trimmed.to_string();
            }
        }
    }
}

/// The address of `=HYPERLINK("https://…"; "label")` (or `=LIEN_HYPERTEXTE`).
fn hyperlink(s: &str) -> Option<String> {
    let rest = s.trim().strip_prefix('=')?;
    let upper = rest.to_ascii_uppercase();
    if !(upper.starts_with("HYPERLINK(") || upper.starts_with("LIEN_HYPERTEXTE(")) {
        return None;
    }
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(rest[start..start + len].to_string())
}

fn text(e: &Entry, key: &str) -> Option<String> {
    match e.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        _ => None,
    }
}

fn remove(e: &mut Entry, key: &str) -> Option<Value> {
    let i = e.fields.iter().position(|(k, _)| k == key)?;
    Some(e.fields.remove(i).1)
}

/// The items of a cell (`a, b; c`) or of a list value.
fn items(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(|v| v.as_str()).map(str::to_string).collect(),
        Value::String(s) => split_items(s),
        _ => Vec::new(),
    }
}

fn split_items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split([',', ';', '/', '|', '\n', '•']) {
        for part in part.split(" et ").flat_map(|p| p.split(" ou ")) {
            let p = part.trim().trim_matches(['-', '.', '*', ' ']);
            if !p.is_empty() && !is_placeholder(p) {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// Sets `key` from the mapping's defaults (the command line's included),
/// marked to check; `None` when there is none.
fn default(e: &mut Entry, mapping: &Mapping, key: &str) -> Option<()> {
    let v = mapping.defaults.get(key)?.clone();
    e.set(key, v);
    e.check(key, DEFAULTED);
    Some(())
}

// ---------------------------------------------------------------- addresses

/// The parts a one-line address gives.
#[derive(Debug, Default, PartialEq)]
pub struct Split {
    pub street: String,
    pub postal_code: Option<String>,
    pub commune: Option<String>,
    /// A municipal arrondissement's number (`- 18e arr.`).
    pub arrondissement: Option<u32>,
}

/// Cuts `12, rue X, 75012`, `5 rue Y 69003 Lyon`, `8 rue Z - 18e arr.`,
/// `3 place W, Montreuil` into street, postal code, commune.
pub fn split_address(raw: &str) -> Split {
    let s = raw.replace(['\n', '\r'], ", ");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let trim = |t: &str| t.trim_matches([' ', ',', '-', '–', '(', ')', '.']).to_string();
    let mut out = Split::default();
    // The last standalone 5-digit number, not the house number.
    let bytes = s.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let end = (i..bytes.len()).find(|&j| !bytes[j].is_ascii_digit()).unwrap_or(bytes.len());
            let boundary = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
            if end - i == 5 && boundary && i > 0 {
                found = Some(i);
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if let Some(p) = found {
        out.street = street(&trim(&s[..p]));
        let after = trim(&s[p + 5..]);
        out.postal_code = Some(s[p..p + 5].to_string());
        if let Some((commune, arr)) = city_and_arrondissement(&after) {
            out.commune = Some(commune);
            out.arrondissement = arr;
        } else if !after.is_empty() {
            out.commune = Some(after);
        }
        return out;
    }
    // The last part, after a comma or a spaced dash.
    let cut = [s.rfind(','), s.rfind(" - "), s.rfind(" – ")].into_iter().flatten().max();
    if let Some(c) = cut {
        let last = trim(&s[c..]);
        let head = trim(&s[..c]);
        if let Some((commune, arr)) = city_and_arrondissement(&last) {
            out.street = street(&head);
            out.commune = (!commune.is_empty()).then_some(commune);
            out.arrondissement = arr;
            return out;
        }
        if !last.is_empty() && !last.chars().any(|c| c.is_ascii_digit()) && communes::by_name(&last).next().is_some() {
            out.street = street(&head);
            out.commune = Some(last);
            return out;
        }
    }
    // `… Paris 18e` at the end without a separator.
    let words: Vec<&str> = s.split(' ').collect();
    for n in [3, 2, 1] {
        if words.len() > n
            && let Some((commune, arr @ Some(_))) = city_and_arrondissement(&words[words.len() - n..].join(" "))
        {
            out.street = street(&trim(&words[..words.len() - n].join(" ")));
            out.commune = (!commune.is_empty()).then_some(commune);
            out.arrondissement = arr;
            return out;
        }
    }
    out.street = street(&trim(&s));
    out
}

/// `12, rue X` → `12 rue X`.
fn street(s: &str) -> String {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(", ") {
        return format!("{} {}", &s[..digits], &s[digits + 2..]);
    }
    s.to_string()
}

/// `Paris 18e`, `18e arr.`, `Lyon 3ème arrondissement`, `Marseille`:
/// the city (empty when unsaid) and the arrondissement; `None` when the
/// text is no such thing.
fn city_and_arrondissement(text: &str) -> Option<(String, Option<u32>)> {
    let key = name_key(text);
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let city = match words.first() {
        Some(&"paris") => "Paris",
        Some(&"lyon") => "Lyon",
        Some(&"marseille") => "Marseille",
        _ => "",
    };
    if !city.is_empty() {
        words.remove(0);
        if words.is_empty() {
            return Some((city.to_string(), None));
        }
    }
    // `18e`, `18 e`, `18eme`, `1er`, then `arr`, `arrondissement`, `arrdt`.
    let first = words.first()?;
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let mut rest: Vec<&str> = Vec::new();
    let suffix = &first[digits.len()..];
    if !suffix.is_empty() {
        rest.push(suffix);
    }
    rest.extend(&words[1..]);
    let ordinal = |w: &str| matches!(w, "e" | "er" | "eme" | "ieme" | "em" | "ere");
    let arr = |w: &str| matches!(w, "arr" | "arrondissement" | "arrdt" | "ardt" | "arrond");
    let ok = match rest.as_slice() {
        [o] => ordinal(o) || arr(o),
        [o, a] => ordinal(o) && arr(a),
        [] => !city.is_empty(),
        _ => false,
    };
    if !ok {
        return None;
    }
    Some((city.to_string(), digits.parse().ok()))
}

/// The postal code of a city's arrondissement.
fn arrondissement_postal_code(city: &str, n: u32) -> Option<String> {
    match (city, n) {
        ("Paris", 1..=20) => Some(format!("750{n:02}")),
        ("Lyon", 1..=9) => Some(format!("6900{n}")),
        ("Marseille", 1..=16) => Some(format!("130{n:02}")),
        _ => None,
    }
}

/// Street, postal code, commune and INSEE code from whatever columns the
/// source has; refused when the commune cannot be settled.
fn address(e: &mut Entry) -> Result<(), String> {
    let raw = text(e, "adresse");
    let mut postal = text(e, "code_postal").map(|c| c.chars().filter(char::is_ascii_alphanumeric).collect::<String>());
    if let Some(p) = &postal
        && p.len() == 4
        && p.bytes().all(|b| b.is_ascii_digit())
    {
        // A spreadsheet's number lost the leading 0 (`1000` for Bourg-en-Bresse).
        postal = Some(format!("0{p}"));
    }
    let mut commune = text(e, "commune");
    let split = raw.as_deref().map(split_address).unwrap_or_default();
    let mut arrondissement = split.arrondissement;
    if postal.is_none() {
        postal = split.postal_code.clone().or_else(|| text(e, mapping::RESULT_POSTCODE));
    }
    if commune.is_none() {
        commune = split.commune.clone().filter(|c| !c.is_empty()).or_else(|| text(e, mapping::RESULT_CITY));
    }
    // `Paris 18e` in the commune column; `Lille Cedex`.
    if let Some(c) = &commune {
        let c = strip_cedex(c);
        match city_and_arrondissement(&c) {
            Some((city, arr)) if !city.is_empty() => {
                arrondissement = arrondissement.or(arr);
                commune = Some(city);
            }
            _ => commune = Some(c),
        }
    }
    if commune.is_none() && arrondissement.is_some_and(|n| n > 16) {
        commune = Some("Paris".into());
    }
    if postal.is_none()
        && let (Some(c), Some(n)) = (&commune, arrondissement)
    {
        postal = arrondissement_postal_code(c, n);
    }
    let street = if split.street.is_empty() { None } else { Some(split.street) };
    let Some(street) = street else {
        return Err(match raw {
            Some(r) => format!("adresse sans numéro ni rue : « {r} »"),
            None => "pas d’adresse".into(),
        });
    };
    let code_insee = text(e, "code_insee").filter(|c| is_insee_code(c) && communes::by_insee(c).is_some());
    let found: &Commune = match (&postal, &commune) {
        (Some(p), Some(c)) => {
            if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("code postal illisible « {p} »"));
            }
            match communes::of_address(p, c) {
                Some(found) => found,
                None => {
                    let served: Vec<&str> = communes::by_postal_code(p).map(|c| c.nom).collect();
                    return Err(if served.is_empty() {
                        format!("commune introuvable : le code postal {p} n’est pas dans la table des communes")
                    } else {
                        format!(
                            "commune introuvable : « {c} » ne correspond pas au code postal {p} (communes de ce code : {})",
                            served.join(", ")
                        )
                    });
                }
            }
        }
        (Some(p), None) => {
            let mut served: Vec<&Commune> = communes::by_postal_code(p).map(|c| c.parent().unwrap_or(c)).collect();
            served.dedup();
            match served.as_slice() {
                [one] => one,
                [] => return Err(format!("commune introuvable : code postal {p} inconnu et pas de commune")),
                many => {
                    let names: Vec<&str> = many.iter().map(|c| c.nom).collect();
                    return Err(format!(
                        "commune à préciser : le code postal {p} sert plusieurs communes ({})",
                        names.join(", ")
                    ));
                }
            }
        }
        (None, Some(c)) => {
            let named: Vec<&Commune> = communes::by_name(c).collect();
            match named.as_slice() {
                [one] if one.codes_postaux().count() == 1 => {
                    postal = one.codes_postaux().next().map(str::to_string);
                    e.check("code_postal", "code postal déduit de la commune, absent de la source");
                    one
                }
                [one] => {
                    return Err(format!(
                        "code postal à préciser : {} a plusieurs codes postaux ({})",
                        one.nom,
                        one.codes_postaux().collect::<Vec<_>>().join(", ")
                    ));
                }
                [] => return Err(format!("commune introuvable : « {c} » et pas de code postal")),
                _ => {
                    return Err(format!(
                        "commune à préciser : plusieurs communes s’appellent « {c} » et pas de code postal"
                    ));
                }
            }
        }
        (None, None) => return Err("commune introuvable : ni code postal ni commune dans l’adresse".into()),
    };
    let city = found.parent().unwrap_or(found);
    // An arrondissement's own postal code, when the source named only the city.
    let postal = postal.or_else(|| found.codes_postaux().next().map(str::to_string)).unwrap_or_default();
    e.set("adresse", street);
    e.set("code_postal", postal);
    e.set("commune", city.nom);
    e.set("code_insee", code_insee.unwrap_or_else(|| city.code_insee.to_string()));
    for k in [mapping::RESULT_POSTCODE, mapping::RESULT_CITY, mapping::RESULT_CITYCODE] {
        remove(e, k);
    }
    Ok(())
}

fn strip_cedex(c: &str) -> String {
    let f = fold(c);
    match f.find(" cedex") {
        Some(i) => c[..i].trim().to_string(),
        None => c.trim().to_string(),
    }
}

// -------------------------------------------------------------- coordinates

fn number(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Latitude and longitude from their columns (the geocoder's included),
/// checked; a point without them is written without position, to geocode.
fn coordinates(e: &mut Entry) {
    let lat = e.get("latitude").and_then(|v| v.as_float().or_else(|| number(v.as_str()?)));
    let lon = e.get("longitude").and_then(|v| v.as_float().or_else(|| number(v.as_str()?)));
    let score = text(e, mapping::SCORE).and_then(|s| number(&s));
    let label = text(e, mapping::LABEL);
    let kind = text(e, mapping::RESULT_TYPE);
    for k in ["latitude", "longitude", mapping::SCORE, mapping::LABEL, mapping::RESULT_TYPE] {
        remove(e, k);
    }
    let (Some(mut lat), Some(mut lon)) = (lat, lon) else { return };
    if !in_france(lat, lon) && in_france(lon, lat) {
        std::mem::swap(&mut lat, &mut lon);
        e.check("latitude", "latitude et longitude inversées dans la source, remises dans l’ordre");
    }
    if !in_france(lat, lon) {
        e.check("latitude", format!("position de la source hors de France ({lat}, {lon}), non reprise : à géocoder"));
        return;
    }
    e.set("latitude", coord(lat));
    e.set("longitude", coord(lon));
    let label = label.map(|l| format!(" pour « {l} »")).unwrap_or_default();
    if let Some(s) = score
        && s < LOW_SCORE
    {
        e.check("latitude", format!("position du géocodeur peu sûre (score {s:.2}{label})"));
    } else if let Some(k) = kind.filter(|k| matches!(k.as_str(), "municipality" | "locality")) {
        e.check("latitude", format!("le géocodeur n’a trouvé que la {} ({k}{label})", "commune ou le lieu-dit"));
    }
}

// ------------------------------------------------------------------- hours

/// Prose hours converted by the one converter `check` uses; the original
/// text kept on the `# à vérifier` line, or, when it cannot be converted,
/// in the description where visitors read it.
fn hours(e: &mut Entry, notes: &mut Vec<String>) {
    let Some(text) = text(e, "horaires_accueil") else { return };
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if Horaires::parse(&one_line).is_ok() {
        e.set("horaires_accueil", one_line);
        return;
    }
    match prose_hours::convert(&one_line) {
        Conversion::Hours(h) => {
            e.set("horaires_accueil", h);
            e.check("horaires_accueil", format!("horaires convertis du texte de la source « {one_line} »"));
        }
        Conversion::Flagged(reason) => {
            remove(e, "horaires_accueil");
            e.check(
                "horaires_accueil",
                format!("horaires non convertis ({reason}) : « {one_line} », repris dans la description"),
            );
            notes.push(format!("Horaires : {one_line}"));
        }
    }
}

// ----------------------------------------------------------------- contacts

/// A phone number as written (`612345678`, `+33(0)4 72 00 00 00`,
/// `0033 1…`, `01.23.45.67.89`) in its display form, if it is one.
pub fn phone(raw: &str) -> Option<String> {
    let s = raw.replace("(0)", "");
    let kept: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let kept = match kept.strip_prefix("0033") {
        Some(rest) => format!("+33{rest}"),
        None => kept,
    };
    let digits = kept.trim_start_matches('+');
    let candidate = if !kept.starts_with('+') && digits.len() == 9 && !digits.starts_with('0') {
        format!("0{digits}")
    } else {
        kept.clone()
    };
    phone_link(&candidate)?;
    Some(phone_display(&candidate))
}

/// The numbers of a cell: split where a spreadsheet puts several.
fn phone_parts(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for p in s.split(['/', ';', ',', '|', '\n']).flat_map(|p| p.split(" ou ")).flat_map(|p| p.split(" et ")) {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        // Two 10-digit numbers with nothing between them but spaces.
        if digits.len() == 20 && digits.starts_with('0') && digits[10..].starts_with('0') && !p.contains('+') {
            parts.push(digits[..10].to_string());
            parts.push(digits[10..].to_string());
        } else if !p.trim().is_empty() {
            parts.push(p.trim().to_string());
        }
    }
    parts
}

fn contacts(e: &mut Entry, notes: &mut Vec<String>) {
    let mut emails: Vec<String> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    if let Some(raw) = text(e, "telephone") {
        let mut numbers = Vec::new();
        for part in phone_parts(&raw) {
            if part.contains('@') {
                emails.extend(part.split_whitespace().filter(|w| w.contains('@')).map(str::to_string));
            } else if let Some(n) = phone(&part) {
                numbers.push(n);
            } else if part.chars().filter(char::is_ascii_digit).count() >= 3 {
                others.push(part);
            }
        }
        remove(e, "telephone");
        let mut numbers = numbers.into_iter();
        if let Some(first) = numbers.next() {
            e.set("telephone", first);
        }
        let rest: Vec<String> = numbers.chain(others).collect();
        if !rest.is_empty() {
            if e.get("telephone").is_none() {
                e.check("telephone", format!("numéro non reconnu : « {raw} », repris dans la description"));
            }
            notes.push(format!("Autres numéros : {}", rest.join(", ")));
        }
    }
    if let Some(raw) = text(e, "site_web") {
        remove(e, "site_web");
        let raw = raw.trim().to_string();
        if raw.contains('@') && !raw.contains("://") {
            emails.push(raw.trim_start_matches("mailto:").to_string());
        } else {
            let lower = raw.to_ascii_lowercase();
            let url = if lower.starts_with("http://") || lower.starts_with("https://") {
                raw.clone()
            } else {
                format!("https://{raw}")
            };
            if url_problem(&url).is_none() && url.len() <= MAX_URL {
                if !lower.starts_with("http") && !lower.starts_with("www.") {
                    e.check("site_web", format!("`https://` ajouté devant « {raw} »"));
                }
                e.set("site_web", url);
            } else {
                e.check("site_web", format!("adresse web non reprise : « {raw} »"));
            }
        }
    }
    if let Some(raw) = text(e, "courriel") {
        remove(e, "courriel");
        emails.splice(
            0..0,
            raw.split([',', ';', ' ', '/', '\n']).map(|w| w.trim().trim_start_matches("mailto:").to_string()),
        );
    }
    let emails: Vec<String> = emails.into_iter().map(|m| m.trim_matches(['<', '>', '(', ')']).to_string()).collect();
    let mut valid = emails.iter().filter(|m| is_valid_email(m));
    if let Some(first) = valid.next() {
        e.set("courriel", first.clone());
    }
    let rest: Vec<&String> = valid.collect();
    if !rest.is_empty() {
        notes.push(format!(
            "Autres adresses électroniques : {}",
            rest.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(bad) = emails.iter().find(|m| !m.is_empty() && !is_valid_email(m)) {
        e.check("courriel", format!("adresse électronique non reprise : « {bad} »"));
    }
}

// ------------------------------------------------------------ vocabularies

fn services(e: &mut Entry, mapping: &Mapping) -> Result<(), String> {
    let given = remove(e, "services");
    let categories = given.as_ref().map(items).unwrap_or_default();
    let mut found: Vec<Service> = Vec::new();
    let (mut generic, mut unknown) = (false, Vec::new());
    for c in &categories {
        match mapping.services(c) {
            Some(s) if s.is_empty() => unknown.push(c.clone()),
            Some(s) => found.extend(s.into_iter().filter(|s| !found.contains(s)).collect::<Vec<_>>()),
            None => generic = true,
        }
    }
    if found.is_empty() && !unknown.is_empty() && !generic {
        return Err(format!(
            "aucune aide alimentaire reconnue dans « {} » : ajoutez ces catégories à [services] de la correspondance si elles en sont",
            unknown.join(", ")
        ));
    }
    if found.is_empty() {
        let words = format!("{} {}", text(e, "nom").unwrap_or_default(), text(e, "description").unwrap_or_default());
        found = mapping::services_in_text(&words);
        let said = if categories.is_empty() {
            "aucun type d’aide dans la source".to_string()
        } else {
            format!("la source dit « {} »", categories.join(", "))
        };
        if found.is_empty() {
            if default(e, mapping, "services").is_some() {
                return Ok(());
            }
            found.push(Service::ColisAlimentaire);
            e.check("services", format!("type d’aide supposé ({said})"));
        } else {
            e.check("services", format!("type d’aide déduit du nom ou de la description ({said})"));
        }
    }
    found.sort();
    e.set("services", Value::Array(found.iter().map(|s| Value::String(s.value().into())).collect()));
    Ok(())
}

fn publics(e: &mut Entry, mapping: &Mapping) {
    let Some(given) = remove(e, "publics") else { return };
    let phrases = items(&given);
    let mut found: Vec<Public> = Vec::new();
    let mut unknown = Vec::new();
    for p in &phrases {
        match mapping.publics(p) {
            Some(ps) => found.extend(ps.into_iter().filter(|p| !found.contains(p)).collect::<Vec<_>>()),
            None => unknown.push(p.clone()),
        }
    }
    if found.len() > 1 {
        found.retain(|p| *p != Public::TousPublics);
    }
    found.sort();
    if !found.is_empty() {
        e.set("publics", Value::Array(found.iter().map(|p| Value::String(p.value().into())).collect()));
    }
    if !unknown.is_empty() {
        let original = match &given {
            Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => unknown.join(", "),
        };
        let text = match text(e, "publics_precisions") {
            Some(before) => format!("{before} ({original})"),
            None => original,
        };
        e.set("publics_precisions", text);
        e.check(
            "publics",
            format!("publics non reconnus : « {} », gardés dans publics_precisions", unknown.join(", ")),
        );
    }
}

fn acces(e: &mut Entry, mapping: &Mapping) -> Result<(), String> {
    let given = remove(e, "acces");
    let mut found: Vec<Acces> = Vec::new();
    let mut unknown = Vec::new();
    for p in given.as_ref().map(items).unwrap_or_default() {
        match mapping::acces(&p) {
            Some(a) if !found.contains(&a) => found.push(a),
            Some(_) => {}
            None => unknown.push(p),
        }
    }
    if !unknown.is_empty() {
        let text = unknown.join(", ");
        let text = match self::text(e, "conditions_acces") {
            Some(before) => format!("{before} ({text})"),
            None => text,
        };
        e.set("conditions_acces", text);
    }
    if found.is_empty() {
        return default(e, mapping, "acces").ok_or_else(|| {
            "conditions d’accès absentes : ajoutez une colonne « acces » ou l’option --acces".to_string()
        });
    }
    found.sort();
    e.set("acces", Value::Array(found.iter().map(|a| Value::String(a.value().into())).collect()));
    Ok(())
}

fn frais(e: &mut Entry, mapping: &Mapping) -> Result<(), String> {
    let given = text(e, "frais");
    remove(e, "frais");
    let value = given.as_deref().and_then(|g| {
        let f = fold(g);
        if f.contains("gratuit") {
            Some(Frais::Gratuit)
        } else if ["payant", "€", "euro", "participation", "adhesion", "cotisation"].iter().any(|w| f.contains(w))
            || f.chars().any(|c| c.is_ascii_digit())
        {
            Some(Frais::Payant)
        } else {
            None
        }
    });
    if let Some(g) = &given
        && !matches!(fold(g).as_str(), "gratuit" | "payant")
        && e.get("frais_precisions").is_none()
    {
        e.set("frais_precisions", g.clone());
    }
    match value {
        Some(v) => {
            e.set("frais", v.value());
            Ok(())
        }
        None => default(e, mapping, "frais")
            .ok_or_else(|| "frais absents : ajoutez une colonne « frais » ou l’option --frais".to_string()),
    }
}

/// Languages, documents, diets and accessibility.
fn lists(e: &mut Entry) {
    if let Some(v) = remove(e, "justificatifs") {
        let docs: Vec<Value> = match &v {
            Value::String(s) => s
                .split([';', '\n', '|'])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| Value::String(d.into()))
                .collect(),
            Value::Array(a) => a.clone(),
            _ => Vec::new(),
        };
        if !docs.is_empty() {
            e.set("justificatifs", Value::Array(docs));
        }
    }
    if let Some(v) = remove(e, "langues") {
        let mut codes: Vec<&str> = Vec::new();
        for l in items(&v) {
            let key = name_key(&l);
            let code = LANGUES
                .iter()
                .find(|(c, n)| *c == key || name_key(n) == key)
                .map(|(c, _)| *c)
                .or_else(|| LANGUAGE_NAMES.iter().find(|(n, _)| *n == key).map(|(_, c)| *c));
            match code {
                Some(c) if !codes.contains(&c) => codes.push(c),
                Some(_) => {}
                None => e.check("langues", format!("langue non reconnue : « {l} »")),
            }
        }
        if !codes.is_empty() {
            e.set("langues", Value::Array(codes.iter().map(|c| Value::String((*c).into())).collect()));
        }
    }
    if let Some(v) = remove(e, "regimes") {
        let mut found: Vec<Regime> = Vec::new();
        for r in items(&v) {
            let key = name_key(&r);
            match Regime::ALL.iter().find(|x| name_key(x.value()) == key || name_key(x.label()) == key) {
                Some(x) if !found.contains(x) => found.push(*x),
                Some(_) => {}
                None => e.check("regimes", format!("régime non reconnu : « {r} »")),
            }
        }
        if !found.is_empty() {
            e.set("regimes", Value::Array(found.iter().map(|r| Value::String(r.value().into())).collect()));
        }
    }
    if let Some(v) = remove(e, "accessibilite_pmr") {
        let b = match &v {
            Value::Boolean(b) => Some(*b),
            Value::String(s) => match fold(s).as_str() {
                "oui" | "vrai" | "true" | "1" | "o" | "yes" | "accessible" => Some(true),
                "non" | "faux" | "false" | "0" | "n" | "no" | "non accessible" => Some(false),
                _ => None,
            },
            _ => None,
        };
        match b {
            Some(b) => e.set("accessibilite_pmr", b),
            None => e.check("accessibilite_pmr", format!("accessibilité non reconnue : « {} »", items(&v).join(", "))),
        }
    }
}

/// Languages as French lists name them.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("francais", "fr"),
    ("anglais", "en"),
    ("arabe", "ar"),
    ("espagnol", "es"),
    ("portugais", "pt"),
    ("italien", "it"),
    ("allemand", "de"),
    ("roumain", "ro"),
    ("polonais", "pl"),
    ("russe", "ru"),
    ("ukrainien", "uk"),
    ("turc", "tr"),
    ("persan", "fa"),
    ("farsi", "fa"),
    ("dari", "fa"),
    ("pachto", "ps"),
    ("pashto", "ps"),
    ("ourdou", "ur"),
    ("bengali", "bn"),
    ("tamoul", "ta"),
    ("chinois", "zh"),
    ("mandarin", "zh"),
];

fn structure_type(e: &mut Entry) {
    let given = text(e, "type");
    let found = given.as_deref().and_then(|t| {
        let key = name_key(t);
        TypeStructure::ALL.iter().copied().find(|x| name_key(x.value()) == key || key.contains(&name_key(x.value())))
    });
    match found {
        Some(t) => e.set("type", t.value()),
        None => {
            e.set("type", TypeStructure::Association.value());
            e.check("type", "type de structure supposé, absent de la source");
        }
    }
}

// -------------------------------------------------------------------- dates

/// `d/m/yyyy`, `dd/mm/yy`, `yyyy-mm-dd`, `dd.mm.yyyy`, a timestamp, or a
/// spreadsheet's day number.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for f in ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d).filter(|d| (1990..=2100).contains(&d.year()));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%d/%m/%y") {
        return Some(d);
    }
    if s.len() > 10 && s.is_char_boundary(10) && (s.as_bytes()[10] == b'T' || s.as_bytes()[10] == b' ') {
        return parse_date(&s[..10]);
    }
    // Days since 1899-12-30, as spreadsheets count them (33000: 1990).
    let n: i64 = s.parse().ok().filter(|n| (33_000..=73_000).contains(n))?;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

pub fn toml_date(d: NaiveDate) -> Value {
    let text = crate::text::format::iso_date(d);
    Value::Datetime(text.parse().expect("an ISO date is a TOML date"))
}

fn date(e: &mut Entry, mapping: &Mapping) -> Result<(), String> {
    match e.get("date_maj") {
        Some(Value::Datetime(_)) => return Ok(()),
        Some(Value::String(s)) => {
            let s = s.clone();
            match parse_date(&s) {
                Some(d) => {
                    e.set("date_maj", toml_date(d));
                    return Ok(());
                }
                None => {
                    remove(e, "date_maj");
                    e.check("date_maj", format!("date de la source illisible : « {s} »"));
                }
            }
        }
        _ => {
            remove(e, "date_maj");
        }
    }
    default(e, mapping, "date_maj").ok_or_else(|| {
        "date de mise à jour absente : ajoutez une colonne « date_maj » ou l’option --date-maj (la date où la source a été vérifiée, pas celle de l’import)".to_string()
    })
}

// ------------------------------------------------------------------ limits

/// Refuses values that `check` would refuse for their length.
fn limits(e: &Entry) -> Result<(), String> {
    for (k, v) in &e.fields {
        let Value::String(s) = v else { continue };
        let max = match k.as_str() {
            "description" | "presentation" => MAX_MARKDOWN,
            "conditions_acces" | "frais_precisions" | "publics_precisions" | "horaires_accueil" => MAX_TEXT,
            "site_web" => MAX_URL,
            _ => MAX_LINE,
        };
        let n = s.chars().count();
        if n > max {
            return Err(format!("valeur trop longue dans « {k} » : {n} caractères (au plus {max})"));
        }
    }
    Ok(())
}

/// The keys in the order of the schema; internal keys dropped.
fn order(e: &mut Entry) {
    let specs = e.kind.fields();
    let rank = |k: &str| specs.iter().position(|s| s.key == k);
    e.fields.retain(|(k, _)| rank(k).is_some());
    e.fields.sort_by_key(|(k, _)| rank(k));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_addresses() {
        let s = split_address("12, rue X, 75012");
        assert_eq!(
            (s.street.as_str(), s.postal_code.as_deref(), s.commune.as_deref()),
            ("12 rue X", Some("75012"), None)
        );
        let s = split_address("5 rue Y 69003 Lyon");
        assert_eq!(
            (s.street.as_str(), s.postal_code.as_deref(), s.commune.as_deref()),
            ("5 rue Y", Some("69003"), Some("Lyon"))
        );
        let s = split_address("8 rue Z - 18e arr.");
        assert_eq!((s.street.as_str(), s.arrondissement), ("8 rue Z", Some(18)));
        let s = split_address("3 place W, Montreuil");
        assert_eq!((s.street.as_str(), s.commune.as_deref()), ("3 place W", Some("Montreuil")));
        let s = split_address("40 boulevard V Paris 10e");
        assert_eq!(
            (s.street.as_str(), s.commune.as_deref(), s.arrondissement),
            ("40 boulevard V", Some("Paris"), Some(10))
        );
    }

    #[test]
    fn phones_and_dates() {
        assert_eq!(phone("612345678").as_deref(), Some("06 12 34 56 78"));
        assert_eq!(phone("+33(0)4 72 00 00 00").as_deref(), Some("04 72 00 00 00"));
        assert_eq!(phone("0033 1 23 45 67 89").as_deref(), Some("01 23 45 67 89"));
        assert_eq!(phone("115").as_deref(), Some("115"));
        assert_eq!(phone("12"), None);
        assert_eq!(parse_date("3/2/2025"), NaiveDate::from_ymd_opt(2025, 2, 3));
        assert_eq!(parse_date("2025-02-03 00:00:00"), NaiveDate::from_ymd_opt(2025, 2, 3));
        assert_eq!(parse_date("45691"), NaiveDate::from_ymd_opt(2025, 2, 3));
    }
}
