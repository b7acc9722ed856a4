//! Languages of the interface: the theme's translation files
//! (`langues/<code>.toml`), read and checked once per build, then shared by
//! every page rendered in that language.
//!
//! French (`langues/fr.toml` of the default theme) is the reference: it
//! holds every key, and a key missing from another language falls back to
//! it. Where a template writes the text, the fallback is marked
//! `lang="fr"` so that a screen reader reads it in French.
//!
//! A site adds a language, or changes some texts of one, with a file of the
//! same name in its theme folder (`themes/default/langues/uk.toml`): its
//! keys are laid over those of the embedded file of that language, key by
//! key, so that a site never has to copy a whole file to change one text.
//!
//! A file is a set of sections of texts (`[accueil]`, `titre = "…"`); a text
//! may hold variables (`{n}`, `{nom}`) and, when it depends on a number,
//! one form per plural category of the language (CLDR: `zero`, `one`,
//! `two`, `few`, `many`, `other`), chosen with the `icu_plurals` rules of
//! the language's code. The section `[langue]` gives the language's own
//! name (`nom`) and its direction (`ltr` or `rtl`).
//!
//! Only the interface is translated: content keeps the language it was
//! written in (`langue` in site.toml), diagnostics and open data stay
//! French.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use icu_plurals::{PluralCategory, PluralRules};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::model::hours::Periode;
use crate::model::vocab::Vocabulary;
use crate::text::format::{closest, quoted};
use crate::text::html::Html;
use crate::theme::Theme;

/// The language every key exists in, and the one texts fall back to.
pub const REFERENCE: &str = "fr";

/// Where translation files sit inside a theme.
pub const FOLDER: &str = "langues/";

/// Writing direction of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// CLDR plural categories, in the order of the files' documentation.
const CATEGORIES: [(&str, PluralCategory); 6] = [
    ("zero", PluralCategory::Zero),
    ("one", PluralCategory::One),
    ("two", PluralCategory::Two),
    ("few", PluralCategory::Few),
    ("many", PluralCategory::Many),
    ("other", PluralCategory::Other),
];

#[derive(Clone, Debug)]
enum Message {
    Text(Texte),
    /// Forms by CLDR category; `other` is always present.
    Plural(Vec<(PluralCategory, Texte)>),
}

/// A text as written, cut once (when the file is read) into plain parts
/// and variables, so that filling it in costs no scanning.
#[derive(Clone, Debug)]
struct Texte {
    raw: String,
    /// Byte ranges in `raw`: plain text, or a variable's name.
    pieces: Vec<(bool, Range<usize>)>,
}

impl Texte {
    fn new(raw: String) -> Texte {
        let mut pieces = Vec::new();
        let base = raw.as_ptr() as usize;
        for segment in (Segments { rest: &raw }) {
            let (var, part) = match segment {
                Segment::Text(t) => (false, t),
                Segment::Var(v) => (true, v),
            };
            let start = part.as_ptr() as usize - base;
            pieces.push((var, start..start + part.len()));
        }
        Texte { raw, pieces }
    }
}

impl Message {
    /// The form for numbers of `category`, else `other`.
    fn form(&self, category: PluralCategory) -> &Texte {
        static EMPTY: Texte = Texte { raw: String::new(), pieces: Vec::new() };
        match self {
            Message::Text(t) => t,
            Message::Plural(forms) => forms
                .iter()
                .find(|(c, _)| *c == category)
                .or_else(|| forms.iter().find(|(c, _)| *c == PluralCategory::Other))
                .map_or(&EMPTY, |(_, t)| t),
        }
    }
    fn texts(&self) -> Vec<&str> {
        match self {
            Message::Text(t) => vec![&t.raw],
            Message::Plural(forms) => forms.iter().map(|(_, t)| t.raw.as_str()).collect(),
        }
    }
}

/// A multiply-rotate hash (FxHash's) of the short keys of the texts, eight
/// bytes at a time: keys are looked up thousands of times per page set,
/// where the standard hasher's protection against chosen keys buys nothing
/// (the keys are the code's and the theme's).
#[derive(Default)]
struct KeyHasher(u64);

impl KeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The length tells `ab` from `ab\0`.
        self.add(u64::from_le_bytes(last) ^ ((bytes.len() as u64) << 56));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Messages = HashMap<String, Message, std::hash::BuildHasherDefault<KeyHasher>>;

/// One language of the interface, with every text it translates.
pub struct Langue {
    /// The file's name: `fr`, `en`, `ar`, `uk`…
    pub code: String,
    /// The language's name written in itself, for the language switch.
    pub nom: String,
    pub direction: Direction,
    /// Texts by `section.key`.
    messages: Messages,
    plurals: Option<PluralRules>,
    /// The categories of the numbers below 256, the counts pages show.
    small: Vec<PluralCategory>,
    /// Every time of day (and of the night after), formatted once: hours
    /// are written hundreds of times per page set.
    times: std::sync::OnceLock<Vec<String>>,
}

impl std::fmt::Debug for Langue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Langue").field("code", &self.code).field("messages", &self.messages.len()).finish()
    }
}

impl Langue {
    fn category(&self, n: f64) -> PluralCategory {
        let Some(rules) = &self.plurals else { return PluralCategory::Other };
        if n >= 0.0 && n.fract() == 0.0 && n < 1e15 {
            let n = n as u64;
            self.small.get(n as usize).copied().unwrap_or_else(|| rules.category_for(n))
        } else {
            PluralCategory::Other
        }
    }
}

/// Every language the theme can show, French included.
#[derive(Debug, Default)]
pub struct Catalogue {
    langues: BTreeMap<String, Arc<Langue>>,
}

impl Catalogue {
    /// Reads the theme's translation files: the embedded ones, with the
    /// site's files laid over them key by key.
    pub fn load(theme: &Theme) -> (Catalogue, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let reference_rel = format!("{FOLDER}{REFERENCE}.toml");
        let reference_text = Theme::default_file(&reference_rel).and_then(|b| std::str::from_utf8(b).ok());
        let reference = match reference_text {
            Some(text) => parse_layer(&theme.origin_default(&reference_rel), text, None, &mut diags),
            None => Layer::default(),
        };

        let mut codes: BTreeSet<String> = BTreeSet::new();
        for rel in theme.files.keys() {
            let Some(name) = rel.strip_prefix(FOLDER) else { continue };
            let Some(code) = name.strip_suffix(".toml") else { continue };
            if name.contains('/') {
                continue;
            }
            if !is_language_code(code) {
                diags.push(
                    Diagnostic::error(
                        theme.origin(rel),
                        None,
                        format!("nom de fichier de langue invalide : « {code} » n’est pas un code de langue"),
                    )
                    .with_help(
                        "nommez le fichier d’après le code de la langue, en minuscules : `uk.toml` (ukrainien), `ps.toml` (pachto), `prs.toml` (dari)",
                    ),
                );
                continue;
            }
            codes.insert(code.to_string());
        }

        let mut langues = BTreeMap::new();
        for code in codes {
            let rel = format!("{FOLDER}{code}.toml");
            let mut merged = Layer::default();
            let embedded = Theme::default_file(&rel);
            if let Some(bytes) = embedded {
                let origin = theme.origin_default(&rel);
                match std::str::from_utf8(bytes) {
                    Ok(text) if code == REFERENCE => merged = parse_layer(&origin, text, None, &mut Vec::new()),
                    Ok(text) => merged = parse_layer(&origin, text, Some(&reference.messages), &mut diags),
                    Err(_) => diags.push(not_utf8(&origin)),
                }
            }
            let mut site_origin = None;
            if theme.overridden.contains_key(&rel) {
                let origin = theme.origin(&rel);
                let bytes = theme.files.get(&rel).map(Vec::as_slice).unwrap_or_default();
                match std::str::from_utf8(bytes) {
                    Ok(text) => {
                        let layer = parse_layer(&origin, text, Some(&reference.messages), &mut diags);
                        merged.over(layer);
                    }
                    Err(_) => diags.push(not_utf8(&origin)),
                }
                site_origin = Some(origin);
            }
            let origin = site_origin.unwrap_or_else(|| theme.origin_default(&rel));
            if merged.broken {
                continue;
            }
            let nom = merged.nom.take();
            let direction = merged.direction.take();
            if nom.is_none() {
                diags.push(missing_meta(&origin, "nom"));
            }
            if direction.is_none() {
                diags.push(missing_meta(&origin, "direction"));
            }
            let (Some(nom), Some(direction)) = (nom, direction) else { continue };
            let plurals = icu_locale_core::Locale::try_from_str(&code)
                .ok()
                .and_then(|l| PluralRules::try_new_cardinal((&l).into()).ok());
            let messages = merged.messages.into_iter().map(|(k, (m, _))| (k, m)).collect();
            let small =
                (0..256u64).map(|n| plurals.as_ref().map_or(PluralCategory::Other, |r| r.category_for(n))).collect();
            let times = std::sync::OnceLock::new();
            langues.insert(code.clone(), Arc::new(Langue { code, nom, direction, messages, plurals, small, times }));
        }
        (Catalogue { langues }, diags)
    }

    pub fn langue(&self, code: &str) -> Option<&Arc<Langue>> {
        self.langues.get(code)
    }

    /// Every language code, sorted.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.langues.keys().map(String::as_str)
    }

    /// A translator into `code` for pages whose content is written in
    /// `contenu`; `None` when the theme has no such language.
    pub fn tr<'a>(&'a self, code: &str, contenu: &'a str) -> Option<Tr<'a>> {
        let langue = self.langues.get(code)?;
        let reference = self.langues.get(REFERENCE).unwrap_or(langue);
        Some(Tr { langue, reference, contenu })
    }

    /// The template functions of one language (see [`TemplateText`]).
    pub fn functions(&self, code: &str) -> Option<(TemplateText, TemplateText)> {
        let langue = self.langues.get(code)?.clone();
        let reference = self.langues.get(REFERENCE).unwrap_or(&langue).clone();
        Some((
            TemplateText { langue: langue.clone(), reference: reference.clone(), html: true },
            TemplateText { langue, reference, html: false },
        ))
    }
}

/// French as the open data and the diagnostics write it: the texts of the
/// default theme's `langues/fr.toml`, the one embedded in the binary,
/// whatever a site's theme lays over them. Pages take their French from the
/// build's [`Catalogue`] instead, site's texts included; the open data
/// (CSV, GeoJSON, data·inclusion) and diagnostics keep one wording on
/// every site.
pub fn french() -> Tr<'static> {
    static FRENCH: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    let catalogue = FRENCH.get_or_init(|| {
        // A theme of the embedded French file alone.
        let rel = format!("{FOLDER}{REFERENCE}.toml");
        let bytes = Theme::default_file(&rel).unwrap_or_default().to_vec();
        let theme = Theme { files: [(rel, bytes)].into(), overridden: BTreeMap::new() };
        Catalogue::load(&theme).0
    });
    // A test reads the embedded file without a diagnostic.
    catalogue.tr(REFERENCE, REFERENCE).expect("the embedded French file is valid")
}

/// `fr`, `uk`, `prs`, `pt-BR`: two or three lower-case letters, then
/// optional subtags. Also what may go into a `lang` attribute unescaped.
pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn not_utf8(origin: &str) -> Diagnostic {
    Diagnostic::error(origin, None, "ce fichier de langue n’est pas encodé en UTF-8")
        .with_help("enregistrez le fichier en UTF-8 depuis votre éditeur (« Enregistrer sous… », encodage UTF-8)")
}

fn missing_meta(origin: &str, key: &str) -> Diagnostic {
    Diagnostic::error(origin, None, format!("la clé obligatoire `langue.{key}` manque")).with_help(
        "un fichier qui ajoute une langue commence par une section `[langue]` avec `nom = \"…\"`, le nom de la langue écrit dans cette langue (« українська »), et `direction = \"ltr\"` (« rtl » pour l’arabe, le persan, le dari, le pachto…)",
    )
}

/// What one file says, before it is laid over the embedded file.
#[derive(Default)]
struct Layer {
    /// The file is not valid TOML: its syntax error is all there is to say.
    broken: bool,
    nom: Option<String>,
    direction: Option<Direction>,
    messages: HashMap<String, (Message, Range<usize>)>,
}

impl Layer {
    fn over(&mut self, top: Layer) {
        self.broken |= top.broken;
        if top.nom.is_some() {
            self.nom = top.nom;
        }
        if top.direction.is_some() {
            self.direction = top.direction;
        }
        self.messages.extend(top.messages);
    }
}

/// Reads one translation file. With a `reference` (the French texts),
/// every key must be one of its keys, of the same kind (text or plural),
/// using only its variables.
fn parse_layer(
    origin: &str,
    text: &str,
    reference: Option<&HashMap<String, (Message, Range<usize>)>>,
    diags: &mut Vec<Diagnostic>,
) -> Layer {
    let mut layer = Layer::default();
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let detail = e.message().trim().trim_end_matches('.').to_string();
            diags.push(Diagnostic::error(origin, e.span(), format!("syntaxe TOML invalide : {detail}")).with_help(
                "vérifiez sur cette ligne les guillemets autour du texte, le signe `=` et les crochets des sections",
            ));
            layer.broken = true;
            return layer;
        }
    };
    let error = |diags: &mut Vec<Diagnostic>, span: Range<usize>, message: String, help: String| {
        diags.push(Diagnostic::error(origin, Some(span), message).with_help(help));
    };
    let sections: Vec<String> = match reference {
        Some(r) => {
            let set: BTreeSet<&str> = r.keys().filter_map(|k| k.split_once('.').map(|(s, _)| s)).collect();
            set.into_iter().map(String::from).collect()
        }
        None => Vec::new(),
    };
    for (section, value) in table.iter() {
        let section_name = section.get_ref().as_ref();
        let DeValue::Table(entries) = value.get_ref() else {
            error(
                diags,
                section.span(),
                format!(
                    "`{section_name}` doit être une section, pas {}",
                    crate::text::format::type_name(value.get_ref())
                ),
                "écrivez les textes sous un titre de section, par exemple :\n[accueil]\ntitre = \"…\"".into(),
            );
            continue;
        };
        if section_name == "langue" {
            meta(origin, entries, &mut layer, diags);
            continue;
        }
        if reference.is_some() && !sections.iter().any(|s| s == section_name) {
            let candidates: Vec<&str> = sections.iter().map(String::as_str).collect();
            let help = match closest(section_name, &candidates) {
                Some(c) => format!("vouliez-vous écrire `[{c}]` ?"),
                None => "les sections sont celles du fichier français du thème par défaut (`langues/fr.toml`)".into(),
            };
            error(diags, section.span(), format!("section inconnue `[{section_name}]`"), help);
            continue;
        }
        for (key, value) in entries.iter() {
            let full = format!("{section_name}.{}", key.get_ref());
            let span = key.span();
            let french = reference.map(|r| r.get(&full));
            if let Some(None) = french {
                let prefix = format!("{section_name}.");
                let candidates: Vec<&str> =
                    reference.into_iter().flat_map(|r| r.keys()).filter_map(|k| k.strip_prefix(&prefix)).collect();
                let help = match closest(key.get_ref(), &candidates) {
                    Some(c) => format!("vouliez-vous écrire `{c}` ?"),
                    None => format!("clés possibles dans `[{section_name}]` : {}", quoted(&sorted(candidates))),
                };
                error(diags, span, format!("clé inconnue `{full}`"), help);
                continue;
            }
            let french = french.flatten().map(|(m, _)| m);
            let message = match value.get_ref() {
                DeValue::String(s) => Message::Text(Texte::new(s.to_string())),
                DeValue::Table(forms) => {
                    if let Some(Message::Text(_)) = french {
                        error(
                            diags,
                            value.span(),
                            format!("`{full}` ne dépend pas d’un nombre : pas de formes du pluriel ici"),
                            "écrivez un seul texte entre guillemets".into(),
                        );
                        continue;
                    }
                    match plural(origin, &full, forms, value.span(), diags) {
                        Some(m) => m,
                        None => continue,
                    }
                }
                other => {
                    error(
                        diags,
                        value.span(),
                        format!("`{full}` doit être du texte entre guillemets, pas {}", crate::text::format::type_name(other)),
                        "par exemple : `titre = \"…\"` ; un texte qui dépend d’un nombre s’écrit `{ one = \"{n} lieu\", other = \"{n} lieux\" }`".into(),
                    );
                    continue;
                }
            };
            if let Some(french) = french {
                let allowed: BTreeSet<&str> = french.texts().into_iter().flat_map(placeholders).collect();
                for text in message.texts() {
                    for p in placeholders(text) {
                        if !allowed.contains(p) {
                            let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
                            let help = if list.is_empty() {
                                "le texte français n’a pas de variable : retirez les accolades".to_string()
                            } else {
                                format!("variables du texte français : {}", list.join(", "))
                            };
                            error(diags, value.span(), format!("variable inconnue `{{{p}}}` dans `{full}`"), help);
                        }
                    }
                }
            }
            layer.messages.insert(full, (message, value.span()));
        }
    }
    layer
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v
}

fn meta(origin: &str, entries: &DeTable<'_>, layer: &mut Layer, diags: &mut Vec<Diagnostic>) {
    for (key, value) in entries.iter() {
        let text = match value.get_ref() {
            DeValue::String(s) => s.trim().to_string(),
            other => {
                diags.push(
                    Diagnostic::error(
                        origin,
                        Some(value.span()),
                        format!(
                            "`langue.{}` doit être du texte entre guillemets, pas {}",
                            key.get_ref(),
                            crate::text::format::type_name(other)
                        ),
                    )
                    .with_help("par exemple : `nom = \"English\"`, `direction = \"ltr\"`"),
                );
                continue;
            }
        };
        match key.get_ref().as_ref() {
            "nom" if text.is_empty() => diags.push(
                Diagnostic::error(origin, Some(value.span()), "`langue.nom` ne doit pas être vide")
                    .with_help("écrivez le nom de la langue dans cette langue : `nom = \"English\"`"),
            ),
            "nom" => layer.nom = Some(text),
            "direction" => match text.as_str() {
                "ltr" => layer.direction = Some(Direction::Ltr),
                "rtl" => layer.direction = Some(Direction::Rtl),
                _ => diags.push(
                    Diagnostic::error(
                        origin,
                        Some(value.span()),
                        format!("direction d’écriture inconnue « {text} »"),
                    )
                    .with_help(
                        "écrivez `direction = \"ltr\"` (de gauche à droite) ou `direction = \"rtl\"` (de droite à gauche : arabe, persan, pachto…)",
                    ),
                ),
            },
            other => {
                let help = match closest(other, &["nom", "direction"]) {
                    Some(c) => format!("vouliez-vous écrire `{c}` ?"),
                    None => "clés possibles ici : `nom`, `direction`".into(),
                };
                diags.push(
                    Diagnostic::error(origin, Some(key.span()), format!("clé inconnue `langue.{other}`"))
                        .with_help(help),
                );
            }
        }
    }
}

fn plural(
    origin: &str,
    full: &str,
    forms: &DeTable<'_>,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Message> {
    let mut out = Vec::new();
    let mut ok = true;
    for (name, text) in forms.iter() {
        let Some((_, category)) = CATEGORIES.iter().find(|(n, _)| *n == name.get_ref().as_ref()) else {
            let names: Vec<&str> = CATEGORIES.iter().map(|(n, _)| *n).collect();
            let help = match closest(name.get_ref(), &names) {
                Some(c) => format!("vouliez-vous écrire `{c}` ? Formes possibles : {}", quoted(&names)),
                None => format!("formes possibles (règles CLDR de la langue) : {}", quoted(&names)),
            };
            diags.push(
                Diagnostic::error(
                    origin,
                    Some(name.span()),
                    format!("forme du pluriel inconnue `{}` dans `{full}`", name.get_ref()),
                )
                .with_help(help),
            );
            ok = false;
            continue;
        };
        match text.get_ref() {
            DeValue::String(s) => out.push((*category, Texte::new(s.to_string()))),
            other => {
                diags.push(
                    Diagnostic::error(
                        origin,
                        Some(text.span()),
                        format!(
                            "la forme `{}` de `{full}` doit être du texte, pas {}",
                            name.get_ref(),
                            crate::text::format::type_name(other)
                        ),
                    )
                    .with_help("par exemple : `{ one = \"{n} lieu\", other = \"{n} lieux\" }`"),
                );
                ok = false;
            }
        }
    }
    if ok && !out.iter().any(|(c, _)| *c == PluralCategory::Other) {
        diags.push(
            Diagnostic::error(origin, Some(span), format!("la forme `other` manque dans `{full}`")).with_help(
                "`other` sert pour tous les nombres qui n’ont pas leur propre forme : ajoutez `other = \"…\"`",
            ),
        );
        ok = false;
    }
    ok.then_some(Message::Plural(out))
}

/// The variable names of a text: `{n}`, `{nom}`.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    Segments { rest: text }.filter_map(|s| match s {
        Segment::Var(v) => Some(v),
        Segment::Text(_) => None,
    })
}

enum Segment<'a> {
    Text(&'a str),
    Var(&'a str),
}

/// A text cut into plain parts and `{variable}` parts. Braces around
/// anything but a lower-case name stay plain text.
struct Segments<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;
    fn next(&mut self) -> Option<Segment<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(i) = self.rest[from..].find('{').map(|i| i + from) {
            let after = &self.rest[i + 1..];
            let name_len =
                after.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_' || b.is_ascii_digit()).count();
            if name_len > 0 && after.as_bytes().get(name_len) == Some(&b'}') {
                if i > 0 {
                    let text = &self.rest[..i];
                    self.rest = &self.rest[i..];
                    return Some(Segment::Text(text));
                }
                let name = &after[..name_len];
                self.rest = &after[name_len + 1..];
                return Some(Segment::Var(name));
            }
            from = i + 1;
        }
        let text = self.rest;
        self.rest = "";
        Some(Segment::Text(text))
    }
}

/// A value for a variable of a text.
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    /// Markup made by the template itself (a link around a translated
    /// text): written as is. Only from arguments named `*_html`.
    Html(&'a str),
}

/// Writes `text` with its variables replaced; in HTML, plain parts and
/// text arguments are escaped. A variable without a value stays as written
/// and is returned as missing.
fn fill<'v>(text: &Texte, html: bool, value: impl Fn(&str) -> Option<Arg<'v>>, out: &mut String) -> Option<String> {
    let mut missing = None;
    for (var, range) in &text.pieces {
        let part = &text.raw[range.clone()];
        match var {
            false => push(out, part, html),
            true => match value(part) {
                Some(Arg::Text(v)) => push(out, &v, html),
                Some(Arg::Html(v)) => out.push_str(v),
                None => {
                    missing.get_or_insert_with(|| part.to_string());
                    out.push('{');
                    out.push_str(part);
                    out.push('}');
                }
            },
        }
    }
    missing
}

fn push(out: &mut String, text: &str, html: bool) {
    if html {
        crate::text::html::escape_into(out, text);
    } else {
        out.push_str(text);
    }
}

/// Texts of one page language, for view code. Keys are `section.key`
/// string constants of the code; the reference file holds them all (a test
/// renders every kind of page), so a missing key is a bug, shown as the key.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub langue: &'a Langue,
    reference: &'a Langue,
    /// The language content is written in (`langue` of site.toml).
    pub contenu: &'a str,
}

impl<'a> Tr<'a> {
    pub fn code(&self) -> &'a str {
        &self.langue.code
    }

    /// `Some(content language)` when the page is in another language: the
    /// `lang` to put on content.
    pub fn contenu_lang(&self) -> Option<&'a str> {
        (self.langue.code != self.contenu).then_some(self.contenu)
    }

    fn message(&self, key: &str) -> (&'a Message, &'a Langue) {
        if let Some(m) = self.langue.messages.get(key) {
            return (m, self.langue);
        }
        match self.reference.messages.get(key) {
            Some(m) => (m, self.reference),
            None => {
                debug_assert!(false, "translation key `{key}` is not in {REFERENCE}.toml");
                static MISSING: Message = Message::Text(Texte { raw: String::new(), pieces: Vec::new() });
                (&MISSING, self.reference)
            }
        }
    }

    /// Whether `key` comes from the reference language rather than the
    /// page's: then the text is French and says so with `lang`.
    pub fn fallback(&self, key: &str) -> bool {
        !std::ptr::eq(self.langue, self.reference) && !self.langue.messages.contains_key(key)
    }

    /// The `lang` of a text taken from the translation files: `Some("fr")`
    /// when it fell back to French.
    pub fn lang_of(&self, key: &str) -> Option<&'static str> {
        self.fallback(key).then_some(REFERENCE)
    }

    /// A text without variables.
    pub fn text(&self, key: &str) -> &'a str {
        &self.message(key).0.form(PluralCategory::Other).raw
    }

    /// A text with its variables replaced.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let (m, _) = self.message(key);
        self.fill(key, m.form(PluralCategory::Other), args)
    }

    /// A text that depends on the number `n`, which is also its `{n}`.
    pub fn plural(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let (m, langue) = self.message(key);
        let number = n.to_string();
        let text = m.form(langue.category(n as f64));
        let mut out = String::with_capacity(text.raw.len() + 16);
        let value = |name: &str| {
            if name == "n" {
                return Some(Arg::Text(Cow::Borrowed(number.as_str())));
            }
            args.iter().find(|(k, _)| *k == name).map(|(_, v)| Arg::Text(Cow::Borrowed(*v)))
        };
        let missing = fill(text, false, value, &mut out);
        debug_assert!(missing.is_none(), "no value for `{{{}}}` of `{key}`", missing.unwrap_or_default());
        out
    }

    fn fill(&self, key: &str, text: &Texte, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(text.raw.len() + 16);
        let missing = fill(
            text,
            false,
            |name| args.iter().find(|(k, _)| *k == name).map(|(_, v)| Arg::Text(Cow::Borrowed(v))),
            &mut out,
        );
        debug_assert!(missing.is_none(), "no value for `{{{}}}` of `{key}`", missing.unwrap_or_default());
        out
    }

    /// Every text of a section (what one script says), in the page's
    /// language or else French, sorted by key: a text, or its plural forms
    /// by CLDR category.
    pub fn section(&self, section: &str) -> serde_json::Map<String, serde_json::Value> {
        let prefix = format!("{section}.");
        let mut keys: Vec<&String> = self.reference.messages.keys().filter(|k| k.starts_with(&prefix)).collect();
        keys.sort();
        keys.into_iter()
            .map(|k| {
                let value = match self.message(k).0 {
                    Message::Text(t) => serde_json::Value::String(t.raw.clone()),
                    Message::Plural(forms) => forms
                        .iter()
                        .map(|(c, t)| {
                            let name = CATEGORIES.iter().find(|(_, x)| x == c).map_or("other", |(n, _)| *n);
                            (name.to_string(), serde_json::Value::String(t.raw.clone()))
                        })
                        .collect::<serde_json::Map<_, _>>()
                        .into(),
                };
                (k[prefix.len()..].to_string(), value)
            })
            .collect()
    }

    /// A text as HTML, its plain parts escaped: each argument is a value
    /// and whether it is markup made by the caller (an [`Html`], or markup
    /// around values escaped with `text::html::escape_html`). A text
    /// falling back to French is wrapped in `<span lang="fr">`, as `t` does
    /// in templates.
    pub fn html(&self, key: &str, args: &[(&str, &str, bool)]) -> Html {
        let (m, _) = self.message(key);
        self.html_of(key, m.form(PluralCategory::Other), None, args)
    }

    /// [`Tr::html`] of a text that depends on the number `n`, which is also
    /// its `{n}`: what `t(k=…, n=…)` gives in a template.
    pub fn plural_html(&self, key: &str, n: usize, args: &[(&str, &str, bool)]) -> Html {
        let (m, langue) = self.message(key);
        self.html_of(key, m.form(langue.category(n as f64)), Some(n), args)
    }

    fn html_of(&self, key: &str, text: &Texte, n: Option<usize>, args: &[(&str, &str, bool)]) -> Html {
        let fallback = self.fallback(key);
        let number = n.map(|n| n.to_string());
        let mut out = String::with_capacity(text.raw.len() + 64);
        if fallback {
            out.push_str("<span lang=\"");
            out.push_str(REFERENCE);
            out.push_str("\">");
        }
        let value = |name: &str| {
            if let (Some(n), "n") = (&number, name) {
                return Some(Arg::Text(Cow::Borrowed(n.as_str())));
            }
            args.iter()
                .find(|(k, _, _)| *k == name)
                .map(|(_, v, markup)| if *markup { Arg::Html(v) } else { Arg::Text(Cow::Borrowed(v)) })
        };
        let missing = fill(text, true, value, &mut out);
        debug_assert!(missing.is_none(), "no value for `{{{}}}` of `{key}`", missing.unwrap_or_default());
        if fallback {
            out.push_str("</span>");
        }
        // Plain parts and text arguments escaped, markup from the caller.
        Html::trusted(out)
    }

    /// A vocabulary value's label.
    pub fn label<T: Vocabulary>(&self, v: T) -> &'a str {
        self.text(v.key())
    }

    pub fn day(&self, w: Weekday) -> &'a str {
        self.text(DAY_KEYS[w.num_days_from_monday() as usize])
    }

    /// The day name by its number from Monday (0) to Sunday (6).
    pub fn day_number(&self, i: usize) -> &'a str {
        self.text(DAY_KEYS[i % 7])
    }

    pub fn month(&self, d: NaiveDate) -> &'a str {
        self.text(MONTH_KEYS[d.month0() as usize])
    }

    /// "9 h", "14 h 30" in French, "9:00", "14:30" in English.
    pub fn time(&self, minutes: u16) -> Cow<'a, str> {
        let times = self.langue.times.get_or_init(|| (0..=2 * 24 * 60).map(|m| self.time_uncached(m)).collect());
        match times.get(usize::from(minutes)) {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.time_uncached(minutes)),
        }
    }

    fn time_uncached(&self, minutes: u16) -> String {
        let (h, m) = (minutes / 60, minutes % 60);
        let (h, mm) = (h.to_string(), format!("{m:02}"));
        let key = if m == 0 { "format.heure_pile" } else { "format.heure" };
        self.format(key, &[("h", &h), ("mm", &mm)])
    }

    /// "9 h – 12 h"; open-ended, "à partir de 19 h" (no end written) or
    /// "19 h – 22 h ou plus tard".
    pub fn periode(&self, p: Periode) -> String {
        let key = match (p.fin_ouverte, p.fin >= 24 * 60) {
            (false, _) => "format.periode",
            (true, true) => "format.periode_sans_fin",
            (true, false) => "format.periode_fin_ouverte",
        };
        self.format(key, &[("debut", &self.time(p.debut)), ("fin", &self.time(p.fin))])
    }

    /// "28 novembre 2026" ("1er décembre 2026").
    pub fn date(&self, d: NaiveDate) -> String {
        let day = if d.day() == 1 { self.text("format.premier").to_string() } else { d.day().to_string() };
        self.format("format.date", &[("jour", &day), ("mois", self.month(d)), ("annee", &d.year().to_string())])
    }

    /// "samedi 28 novembre 2026".
    pub fn date_long(&self, d: NaiveDate) -> String {
        self.format("format.date_longue", &[("jour_semaine", self.day(d.weekday())), ("date", &self.date(d))])
    }

    /// "28 novembre", without the year.
    pub fn day_month(&self, d: NaiveDate) -> String {
        let day = if d.day() == 1 { self.text("format.premier").to_string() } else { d.day().to_string() };
        self.format("format.jour_mois", &[("jour", &day), ("mois", self.month(d))])
    }

    /// A decimal number with the language's separator: `2,5` in French.
    pub fn decimal(&self, x: f64) -> String {
        if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}").replace('.', self.text("format.virgule")) }
    }

    /// "a, b et c": a list in a sentence.
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => {
                let sep = self.text("format.liste_separateur");
                self.format("format.liste_fin", &[("debut", &rest.join(sep)), ("fin", last)])
            }
        }
    }
}

const DAY_KEYS: [&str; 7] =
    ["jours.lundi", "jours.mardi", "jours.mercredi", "jours.jeudi", "jours.vendredi", "jours.samedi", "jours.dimanche"];

const MONTH_KEYS: [&str; 12] = [
    "mois.janvier",
    "mois.fevrier",
    "mois.mars",
    "mois.avril",
    "mois.mai",
    "mois.juin",
    "mois.juillet",
    "mois.aout",
    "mois.septembre",
    "mois.octobre",
    "mois.novembre",
    "mois.decembre",
];

/// The template functions `t` (text in a page, HTML-escaped, a French
/// fallback wrapped in `<span lang="fr">`) and `ta` (text for an attribute
/// or a `<title>`: plain, escaped by Tera):
///
/// ```text
/// {{ t(k="accueil.titre") }}
/// {{ t(k="accueil.lieux", n=accueil.nombre_lieux) }}     plural by n
/// {{ t(k="lieu.propose_par", structure=lieu.structure) }}
/// {{ t(k="commune.titre", nom_html=m::contenu(texte=commune.nom, c=contenu)) }}
/// ```
///
/// A variable `{nom}` takes the argument `nom`, escaped, or `nom_html`:
/// markup written by the template (a macro's output), put in as is. Never
/// give `*_html` content directly, and escape every value of a macro given
/// as one with `| escape`: Tera escapes nothing in a function's arguments.
#[derive(Clone)]
pub struct TemplateText {
    langue: Arc<Langue>,
    reference: Arc<Langue>,
    html: bool,
}

impl tera::Function for TemplateText {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args.get("k").and_then(tera::Value::as_str).ok_or("il faut donner la clé du texte : t(k=\"…\")")?;
        let (message, langue, fallback) = match self.langue.messages.get(key) {
            Some(m) => (m, &*self.langue, false),
            None => match self.reference.messages.get(key) {
                Some(m) => (m, &*self.reference, !Arc::ptr_eq(&self.langue, &self.reference)),
                None => return Err(format!("clé de traduction inconnue `{key}` (absente de langues/fr.toml)").into()),
            },
        };
        let text = match message {
            Message::Text(t) => t,
            Message::Plural(_) => {
                let n = args
                    .get("n")
                    .and_then(tera::Value::as_f64)
                    .ok_or_else(|| format!("le texte `{key}` dépend d’un nombre : donnez-le avec n=…"))?;
                message.form(langue.category(n))
            }
        };
        // `{nom}` takes the argument `nom` (text, escaped) or, in a page's
        // text, `nom_html` (markup made by the template).
        let html = self.html;
        let value = |name: &str| -> Option<Arg<'_>> {
            match args.get(name) {
                Some(tera::Value::String(v)) => return Some(Arg::Text(Cow::Borrowed(v))),
                Some(tera::Value::Number(n)) => return Some(Arg::Text(Cow::Owned(n.to_string()))),
                Some(tera::Value::Bool(b)) => return Some(Arg::Text(Cow::Owned(b.to_string()))),
                _ => {}
            }
            let markup = args.get(&format!("{name}_html")).and_then(tera::Value::as_str).filter(|_| html)?;
            Some(Arg::Html(markup))
        };
        let mut out = String::with_capacity(text.raw.len() + 24);
        if fallback && self.html {
            out.push_str("<span lang=\"");
            out.push_str(REFERENCE);
            out.push_str("\">");
        }
        if let Some(name) = fill(text, self.html, value, &mut out) {
            return Err(format!("le texte `{key}` attend une valeur pour {{{name}}}").into());
        }
        if fallback && self.html {
            out.push_str("</span>");
        }
        Ok(tera::Value::String(out))
    }

    fn is_safe(&self) -> bool {
        self.html
    }
}

/// Replaces, in a template's source, the calls `{{ t(k="…") }}` and
/// `{{ ta(k="…") }}` of texts without variables by the texts themselves,
/// escaped: most of a page's texts then cost nothing at rendering. Calls
/// with arguments, and texts that could read as template syntax, are left
/// to the functions.
pub fn inline<'s>(source: &'s str, functions: &(TemplateText, TemplateText)) -> Cow<'s, str> {
    const OPEN_T: &str = "{{ t(k=\"";
    const OPEN_TA: &str = "{{ ta(k=\"";
    const CLOSE: &str = "\") }}";
    if !source.contains(OPEN_T) && !source.contains(OPEN_TA) && !source.contains("=ta(k=\"") {
        return Cow::Borrowed(source);
    }
    let source = inline_arguments(source, &functions.1);
    let mut out = String::with_capacity(source.len());
    let mut rest = source.as_ref();
    loop {
        let next = [(OPEN_T, &functions.0), (OPEN_TA, &functions.1)]
            .into_iter()
            .filter_map(|(open, f)| rest.find(open).map(|i| (i, open, f)))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, open, f)) = next else { break };
        let after = &rest[i + open.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        let key = &after[..end];
        let plain = key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
        let args: HashMap<String, tera::Value> = [("k".to_string(), tera::Value::String(key.to_string()))].into();
        let text = plain.then(|| tera::Function::call(f, &args).ok()).flatten();
        match text.as_ref().and_then(tera::Value::as_str) {
            Some(t) if !t.contains('{') && !t.contains('}') => {
                out.push_str(&rest[..i]);
                // `ta` is escaped by Tera at rendering; inlined, by us.
                if f.html {
                    out.push_str(t);
                } else {
                    out.push_str(&crate::text::html::escape_html(t));
                }
            }
            _ => out.push_str(&rest[..i + open.len() + end + CLOSE.len()]),
        }
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Replaces `=ta(k="…")` given as an argument (`titre=ta(k="accueil.carte")`)
/// by the text as a string literal, which whatever receives it escapes as
/// it would have the function's result.
fn inline_arguments<'s>(source: &'s str, ta: &TemplateText) -> Cow<'s, str> {
    const OPEN: &str = "=ta(k=\"";
    if !source.contains(OPEN) {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len()..];
        let Some(end) = after.find("\")") else { break };
        let key = &after[..end];
        let plain = key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-');
        let args: HashMap<String, tera::Value> = [("k".to_string(), tera::Value::String(key.to_string()))].into();
        let text = plain.then(|| tera::Function::call(ta, &args).ok()).flatten();
        // A Tera string literal: quoted with a character the text lacks.
        let literal = text
            .as_ref()
            .and_then(tera::Value::as_str)
            .and_then(|t| ['"', '\'', '`'].into_iter().find(|q| !t.contains(*q)).map(|q| format!("{q}{t}{q}")));
        match literal {
            Some(l) => {
                out.push_str(&rest[..i + 1]);
                out.push_str(&l);
            }
            None => out.push_str(&rest[..i + OPEN.len() + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(files: &[(&str, &str)]) -> Theme {
        let site: BTreeMap<String, Vec<u8>> =
            files.iter().map(|(p, t)| (format!("default/{p}"), t.as_bytes().to_vec())).collect();
        Theme::assemble("default", &site)
    }

    #[test]
    fn the_embedded_languages_are_complete_and_valid() {
        let (catalogue, diags) = Catalogue::load(&theme(&[]));
        assert!(diags.is_empty(), "{diags:#?}");
        let fr = catalogue.langue("fr").unwrap();
        for code in ["en", "ar"] {
            let l = catalogue.langue(code).unwrap();
            let missing: Vec<&String> = fr.messages.keys().filter(|k| !l.messages.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code}: {missing:?}");
        }
        assert_eq!(catalogue.langue("ar").unwrap().direction, Direction::Rtl);
    }

    #[test]
    fn plurals_follow_each_language() {
        let (catalogue, _) = Catalogue::load(&theme(&[]));
        let fr = catalogue.tr("fr", "fr").unwrap();
        assert_eq!(fr.plural("accueil.nombre_lieux", 0, &[]), "0 lieu");
        assert_eq!(fr.plural("accueil.nombre_lieux", 2, &[]), "2 lieux");
        let en = catalogue.tr("en", "fr").unwrap();
        assert_eq!(en.plural("accueil.nombre_lieux", 1, &[]), "1 place");
        assert_eq!(en.plural("accueil.nombre_lieux", 0, &[]), "0 places");
        let ar = catalogue.tr("ar", "fr").unwrap();
        assert_ne!(ar.plural("accueil.nombre_lieux", 2, &[]), ar.plural("accueil.nombre_lieux", 5, &[]));
    }

    #[test]
    fn a_site_file_overrides_keys_and_adds_a_language() {
        let (catalogue, diags) = Catalogue::load(&theme(&[
            ("langues/en.toml", "[commun]\naller_au_contenu = \"Jump to content\"\n"),
            (
                "langues/uk.toml",
                "[langue]\nnom = \"українська\"\ndirection = \"ltr\"\n[commun]\naller_au_contenu = \"Перейти до змісту\"\n",
            ),
        ]));
        assert!(diags.is_empty(), "{diags:#?}");
        let en = catalogue.tr("en", "fr").unwrap();
        assert_eq!(en.text("commun.aller_au_contenu"), "Jump to content");
        assert!(!en.fallback("commun.rechercher"));
        let uk = catalogue.tr("uk", "fr").unwrap();
        assert_eq!(uk.langue.nom, "українська");
        assert!(uk.fallback("commun.rechercher"));
        assert_eq!(uk.text("commun.rechercher"), catalogue.tr("fr", "fr").unwrap().text("commun.rechercher"));
    }

    #[test]
    fn formats_dates_and_hours_per_language() {
        let (catalogue, _) = Catalogue::load(&theme(&[]));
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let fr = catalogue.tr("fr", "fr").unwrap();
        assert_eq!(fr.date(d), "1er décembre 2026");
        assert_eq!(fr.date_long(d), "mardi 1er décembre 2026");
        assert_eq!(fr.time(870), "14 h 30");
        assert_eq!(fr.time(540), "9 h");
        let en = catalogue.tr("en", "fr").unwrap();
        assert_eq!(en.date_long(d), "Tuesday 1 December 2026");
        assert_eq!(en.time(870), "14:30");
        assert_eq!(fr.list(&["a".into(), "b".into(), "c".into()]), "a, b et c");
        assert_eq!(fr.decimal(2.5), "2,5");
        assert_eq!(en.decimal(2.5), "2.5");
    }

    /// The open data and diagnostics read their French from `fr.toml`:
    /// written here as they always were, so that an edit of the file that
    /// changes them is seen.
    #[test]
    fn open_data_french_writes_times_and_dates_as_it_always_has() {
        let fr = french();
        for minutes in 0..=2 * 24 * 60u16 {
            let (h, m) = (minutes / 60, minutes % 60);
            let expected = if m == 0 { format!("{h} h") } else { format!("{h} h {m:02}") };
            assert_eq!(fr.time(minutes), expected);
        }
        assert_eq!(fr.periode(Periode { debut: 540, fin: 870, fin_ouverte: false }), "9 h – 14 h 30");
        assert_eq!(fr.periode(Periode { debut: 1140, fin: 1440, fin_ouverte: true }), "à partir de 19 h");
        assert_eq!(fr.periode(Periode { debut: 1140, fin: 1320, fin_ouverte: true }), "19 h – 22 h ou plus tard");
        const MOIS: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        const JOURS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
        for d in NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().iter_days().take(366) {
            let day = if d.day() == 1 { "1er".to_string() } else { d.day().to_string() };
            assert_eq!(fr.date(d), format!("{day} {} {}", MOIS[d.month0() as usize], d.year()));
            assert_eq!(fr.day(d.weekday()), JOURS[d.weekday().num_days_from_monday() as usize]);
        }
        assert_eq!(fr.list(&["a".into(), "b".into(), "c".into()]), "a, b et c");
    }

    /// The vocabularies' French labels (`model::vocab`, which the open data,
    /// schemas and diagnostics write) are those that `fr.toml` gives pages,
    /// value for value, and its sections have no other value.
    #[test]
    fn vocabulary_labels_are_those_of_fr_toml() {
        use crate::model::vocab::*;
        fn check<T: Vocabulary>(fr: &Tr<'_>) -> usize {
            let section = T::ALL[0].key().split_once('.').unwrap().0;
            for v in T::ALL {
                assert_eq!(v.key(), format!("{section}.{}", v.value()));
                assert!(fr.langue.messages.contains_key(v.key()), "`{}` is not in fr.toml", v.key());
                assert_eq!(fr.label(*v), v.label(), "`{}`: fr.toml and model::vocab differ", v.key());
            }
            let in_file: Vec<String> = fr.section(section).into_iter().map(|(k, _)| k).collect();
            let mut values: Vec<&str> = T::values();
            values.sort_unstable();
            assert_eq!(in_file, values, "[{section}] of fr.toml against {}", std::any::type_name::<T>());
            1
        }
        let fr = french();
        let checked = check::<Service>(&fr)
            + check::<Acces>(&fr)
            + check::<Frais>(&fr)
            + check::<Regime>(&fr)
            + check::<TypeStructure>(&fr)
            + check::<TypeTerritoire>(&fr)
            + check::<Public>(&fr)
            + check::<Don>(&fr);
        // Every vocabulary of the module, so that a new one is not forgotten here.
        let declared = include_str!("../model/vocab.rs").matches("\nvocabulary!(").count();
        assert_eq!(checked, declared, "a vocabulary of model::vocab is not checked here");
    }

    /// A site's `fr.toml` changes its pages, not the open data's French.
    #[test]
    fn open_data_french_is_the_embedded_file() {
        let (catalogue, diags) = Catalogue::load(&theme(&[("langues/fr.toml", "[mois]\ndecembre = \"Décembre\"\n")]));
        assert!(diags.is_empty(), "{diags:#?}");
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(catalogue.tr("fr", "fr").unwrap().date(d), "1er Décembre 2026");
        assert_eq!(french().date(d), "1er décembre 2026");
    }

    #[test]
    fn inlining_writes_plain_texts_and_leaves_calls_with_arguments() {
        let (catalogue, _) =
            Catalogue::load(&theme(&[("langues/uk.toml", "[langue]\nnom = \"українська\"\ndirection = \"ltr\"\n")]));
        let f = catalogue.functions("uk").unwrap();
        let src = "<a>{{ t(k=\"commun.aller_au_contenu\") }}</a><b title=\"{{ ta(k=\"commun.rechercher\") }}\">{{ t(k=\"accueil.nombre_lieux\", n=2) }}</b>";
        let out = inline(src, &f);
        assert!(out.starts_with("<a><span lang=\"fr\">Aller au contenu</span></a><b title=\"Rechercher\">"), "{out}");
        assert!(out.ends_with("{{ t(k=\"accueil.nombre_lieux\", n=2) }}</b>"), "{out}");
    }

    #[test]
    fn language_codes() {
        for ok in ["fr", "uk", "prs", "pt-BR", "zh-Hant"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "f", "FR", "ukrainien", "fr_FR", "fr-", "a\"b"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }
}
