//! Parsing: turns each loaded file into a model item, file by file.
//!
//! Each file is read on its own (in parallel), so everything here can only
//! check what one file says: types, vocabularies and formats. Checks that
//! need several files (references, territories, duplicates) live in
//! `validate`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use toml::de::DeTable;

use crate::content::fields::{self, At, Fields};
use crate::content::limits;
use crate::content::load::{SourceFile, Sources};
use crate::content::prose_hours;
use crate::diagnostic::Diagnostic;
use crate::model::geo::{in_france, parse_perimeter};
use crate::model::hours::{self, Horaires};
use crate::model::vocab::{self, Public, Vocabulary};
use crate::model::*;
use crate::text::communes;
use crate::text::format::{
    self, is_insee_code, is_postal_code, is_rna, is_siret, is_valid_email, is_valid_id, phone_link,
};
use crate::text::format::{closest, quoted};

/// Items read from every file; `None` where a file had errors.
pub struct Parsed {
    pub config: Option<Config>,
    pub territoires: Vec<Territoire>,
    pub structures: Vec<Structure>,
    pub lieux: Vec<Lieu>,
    pub pages: Vec<Page>,
    pub unread: Unread,
}

/// The files that had errors: they exist all the same, and the checks
/// across files must not add problems that are only their consequence (a
/// structure "missing" because its file has one bad field).
#[derive(Debug, Default)]
pub struct Unread {
    /// Ids (file names) of the territories and structures.
    pub territoires: Vec<String>,
    pub structures: Vec<String>,
    /// The structure each unread point names, when its file can say it;
    /// `None` when it cannot (a syntax error, no `structure`).
    pub structures_of_lieux: Vec<Option<String>>,
    /// Every file that could not be read, pages and `site.toml` included.
    pub files: usize,
}

impl Unread {
    fn ids(files: &[&SourceFile]) -> Vec<String> {
        files.iter().filter_map(|f| f.path.file_stem()).map(|s| s.to_string_lossy().into_owned()).collect()
    }
}

/// The `structure` a point's file names, read again from its text when the
/// point could not be read as a whole.
fn structure_named(file: &SourceFile) -> Option<String> {
    let table = DeTable::parse(&file.text).ok()?.into_inner();
    match table.get("structure")?.get_ref() {
        toml::de::DeValue::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

pub fn parse(sources: &Sources) -> (Parsed, Vec<Diagnostic>) {
    parse_with(sources, None)
}

/// Outcomes of parsing kept between the builds of one `alimap serve`
/// session, so that a file whose text did not change is not parsed again.
/// Parsing one file depends only on that file's text, except for
/// territories, which also read their GeoJSON perimeters: those are parsed
/// again whenever any perimeter changed.
#[derive(Default)]
pub struct Cache {
    perimetres: BTreeMap<PathBuf, Arc<str>>,
    territoires: Memo<Territoire>,
    structures: Memo<Structure>,
    lieux: Memo<Lieu>,
    pages: Memo<Page>,
}

/// The text each file had and what parsing it gave, by path. The text is
/// kept whole and compared exactly: no hash to collide. A file that did not
/// change on disk is loaded as the very same text, which compares at once.
type Memo<T> = HashMap<PathBuf, (Arc<str>, Outcome<T>)>;

/// [`parse`], reusing and updating `cache` when given one.
pub fn parse_with(sources: &Sources, cache: Option<&mut Cache>) -> (Parsed, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // Each distinct hours text is parsed once (see `Horaires::parse_known`).
    let known = hours::Known::default();
    let parse_lieu = |f: &SourceFile| parse_lieu(f, &known);
    let config = sources.site.as_ref().and_then(|f| collect(parse_config(f), &mut diags));
    let ((territoires, t_bad), (structures, s_bad), (lieux, l_bad), (pages, p_bad)) = match cache {
        None => (
            parse_all(&sources.territoires, None, &mut diags, |f| parse_territoire(f, sources)),
            parse_all(&sources.structures, None, &mut diags, parse_structure),
            parse_all(&sources.lieux, None, &mut diags, parse_lieu),
            parse_all(&sources.pages, None, &mut diags, parse_page),
        ),
        Some(cache) => {
            let current: BTreeMap<PathBuf, Arc<str>> =
                sources.perimetres.iter().map(|(p, f)| (p.clone(), f.text.clone())).collect();
            if current != cache.perimetres {
                cache.territoires.clear();
                cache.perimetres = current;
            }
            (
                parse_all(&sources.territoires, Some(&mut cache.territoires), &mut diags, |f| {
                    parse_territoire(f, sources)
                }),
                parse_all(&sources.structures, Some(&mut cache.structures), &mut diags, parse_structure),
                parse_all(&sources.lieux, Some(&mut cache.lieux), &mut diags, parse_lieu),
                parse_all(&sources.pages, Some(&mut cache.pages), &mut diags, parse_page),
            )
        }
    };
    let unread = Unread {
        territoires: Unread::ids(&t_bad),
        structures: Unread::ids(&s_bad),
        structures_of_lieux: l_bad.iter().map(|f| structure_named(f)).collect(),
        files: usize::from(sources.site.is_some() && config.is_none())
            + t_bad.len()
            + s_bad.len()
            + l_bad.len()
            + p_bad.len(),
    };
    (Parsed { config, territoires, structures, lieux, pages, unread }, diags)
}

type Outcome<T> = (Option<T>, Vec<Diagnostic>);

fn collect<T>((item, ds): Outcome<T>, diags: &mut Vec<Diagnostic>) -> Option<T> {
    diags.extend(ds);
    item
}

/// Parses every file in parallel, returning the items and the files that
/// gave none; with a memo, only the files whose text
/// changed since the memo was filled, and the memo then holds exactly the
/// current files (removed files are forgotten).
fn parse_all<'f, T: Clone + Send + Sync>(
    files: &'f [SourceFile],
    memo: Option<&mut Memo<T>>,
    diags: &mut Vec<Diagnostic>,
    f: impl Fn(&SourceFile) -> Outcome<T> + Sync + Send,
) -> (Vec<T>, Vec<&'f SourceFile>) {
    let outcomes: Vec<Outcome<T>> = match memo {
        None => files.par_iter().map(f).collect(),
        Some(memo) => {
            // Changed files are parsed in parallel; the others keep their
            // memo entry, moved rather than copied.
            let seen = &*memo;
            let fresh: Vec<Option<Outcome<T>>> = files
                .par_iter()
                .map(|file| match seen.get(&file.path) {
                    Some((text, _)) if Arc::ptr_eq(text, &file.text) || *text == file.text => None,
                    _ => Some(f(file)),
                })
                .collect();
            let entries: Vec<(Arc<str>, Outcome<T>)> = files
                .iter()
                .zip(fresh)
                .map(|(file, fresh)| match (fresh, memo.remove(&file.path)) {
                    (None, Some(entry)) => entry,
                    (Some(outcome), _) => (file.text.clone(), outcome),
                    (None, None) => (file.text.clone(), f(file)),
                })
                .collect();
            let outcomes = entries.par_iter().map(|(_, outcome)| outcome.clone()).collect();
            *memo = files.iter().map(|file| file.path.clone()).zip(entries).collect();
            outcomes
        }
    };
    // The files that gave no item, kept aside for the checks across files.
    let mut failed = Vec::new();
    let items = outcomes
        .into_iter()
        .zip(files)
        .filter_map(|(o, file)| {
            let item = collect(o, diags);
            if item.is_none() {
                failed.push(file);
            }
            item
        })
        .collect();
    (items, failed)
}

/// Parses TOML text into a table with spans, or a diagnostic.
fn toml_table<'i>(path: &Path, text: &'i str, offset: usize) -> Result<DeTable<'i>, Diagnostic> {
    match DeTable::parse(text) {
        Ok(t) => Ok(t.into_inner()),
        Err(e) => {
            let span = e.span().map(|s| s.start + offset..s.end + offset);
            let detail = e.message().trim().trim_end_matches('.').to_string();
            Err(Diagnostic::error(path, span, format!("syntaxe TOML invalide : {detail}")).with_help(
                "vérifiez sur cette ligne les guillemets autour du texte, le signe `=` et les crochets des listes",
            ))
        }
    }
}

/// The id a file gives its item: its name without extension.
fn file_id(path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    if is_valid_id(&stem) {
        return Some(stem);
    }
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    let suggestion = format::slugify(&stem);
    let help = if suggestion.is_empty() {
        "renommez le fichier avec des lettres minuscules sans accent, des chiffres et des tirets".to_string()
    } else {
        format!("renommez le fichier en `{suggestion}.{ext}`")
    };
    diags.push(
        Diagnostic::error(path, None, format!("nom de fichier invalide : « {stem} » ne peut pas servir d’identifiant"))
            .with_help(help),
    );
    None
}

fn with(mut diags: Vec<Diagnostic>, d: Diagnostic) -> Vec<Diagnostic> {
    diags.push(d);
    diags
}

fn finish<T>(item: Option<T>, f: Fields<'_, '_>, mut diags: Vec<Diagnostic>) -> Outcome<T> {
    diags.extend(f.finish());
    let failed = diags.iter().any(Diagnostic::is_error);
    (if failed { None } else { item }, diags)
}

// ---------------------------------------------------------------- site.toml

fn parse_config(file: &SourceFile) -> Outcome<Config> {
    let table = match toml_table(&file.path, &file.text, 0) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let mut diags = Vec::new();
    limits::check_table(&file.path, &file.text, &table, &mut diags);
    let mut f = Fields::new(&file.path, &table, 0..0);
    let titre = f.text_req("titre", "\"Aide alimentaire à …\"");
    let description = f.text_req("description", "\"Où trouver de l’aide alimentaire à …\"");
    let url = url(&mut f, "url", true).map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let langue = match f.text("langue") {
        None => Some("fr".to_string()),
        Some((l, span)) => language_code(&mut f, l, span),
    };
    let langues = published_languages(&mut f, langue.as_deref());
    let fuseau_horaire = match f.text("fuseau_horaire") {
        None => Some(chrono_tz::Europe::Paris),
        Some((tz, span)) => match tz.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                f.error(
                    span,
                    format!("fuseau horaire inconnu « {tz} »"),
                    Some("écrivez le nom d’un fuseau de la base IANA, par exemple `Europe/Paris`, `America/Cayenne` ou `Indian/Reunion`".into()),
                );
                None
            }
        },
    };
    let exemple = f.boolean("exemple").map(|b| b.0).unwrap_or(false);
    let hors_ligne = f.boolean("hors_ligne").map(|b| b.0).unwrap_or(true);
    let frequence_maj_mois = months(&mut f, "frequence_maj_mois").unwrap_or(6);
    let licence_donnees = f.text("licence_donnees").map(|t| t.0);
    let contact = f.table("contact").map(|mut c| {
        let contact = Contact {
            nom: c.text("nom").map(|t| t.0),
            courriel: email(&mut c, "courriel"),
            telephone: phone(&mut c, "telephone"),
        };
        f.absorb(c);
        contact
    });
    let carte = match f.table("carte") {
        None => Some(Carte::default()),
        Some(mut c) => {
            let d = Carte::default();
            let tuiles = match c.text("tuiles") {
                None => Some(d.tuiles),
                Some((t, span)) => {
                    let ok = t.starts_with("https://") && ["{z}", "{x}", "{y}"].iter().all(|p| t.contains(p));
                    if !ok {
                        c.error(
                            span,
                            "l’adresse des tuiles doit commencer par https:// et contenir {z}, {x} et {y}",
                            Some("par exemple : `tuiles = \"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"`".into()),
                        );
                    } else if format::tile_origin(&t).is_none() {
                        // The host goes into the pages' security policy: only
                        // a plain host name may.
                        c.error(
                            span,
                            "l’adresse des tuiles doit avoir un nom de serveur simple (lettres, chiffres, points, tirets ; `{s}` en premier seulement)",
                            Some("par exemple : `tuiles = \"https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png\"`".into()),
                        );
                    }
                    (ok && format::tile_origin(&t).is_some()).then_some(t)
                }
            };
            let attribution = c.text("attribution").map(|t| t.0).unwrap_or(d.attribution);
            let zoom_max = match c.integer("zoom_max", "19") {
                None => Some(d.zoom_max),
                Some((z, _)) if (1..=22).contains(&z) => Some(z as u8),
                Some((_, span)) => {
                    c.error(
                        span,
                        "`carte.zoom_max` doit être compris entre 1 et 22",
                        Some("la valeur habituelle est 19".into()),
                    );
                    None
                }
            };
            let active = c.boolean("active").map(|b| b.0).unwrap_or(true);
            f.absorb(c);
            tuiles.zip(zoom_max).map(|(tuiles, zoom_max)| Carte { active, tuiles, attribution, zoom_max })
        }
    };
    let mentions_legales = f.text("mentions_legales").map(|t| t.0);
    let theme = match f.text("theme") {
        None => Some("default".to_string()),
        Some((t, _)) if is_valid_id(&t) => Some(t),
        Some((t, span)) => {
            f.error(
                span,
                format!("nom de thème invalide « {t} »"),
                Some("le nom d’un dossier de `themes/`, en minuscules sans accent".into()),
            );
            None
        }
    };
    let depot = f.table("depot").map(|mut d| {
        let depot = depot(&mut d);
        f.absorb(d);
        depot
    });
    let editeur = editor(&mut f, depot.as_ref());
    let origin = Origin::of(&file.path, &file.text, std::mem::take(&mut f.spans));
    let item = (|| {
        Some(Config {
            titre: titre?.0,
            description: description?.0,
            url: url?,
            langue: langue?,
            langues: langues?,
            fuseau_horaire: fuseau_horaire?,
            exemple,
            hors_ligne,
            frequence_maj_mois,
            licence_donnees,
            contact,
            carte: carte?,
            mentions_legales,
            theme: theme?,
            depot: depot.map_or(Some(None), |d| d.map(Some))?,
            editeur: editeur?,
            origin,
        })
    })();
    finish(item, f, diags)
}

/// `[depot]`: the repository's address, its forge (told by the host, or
/// by `forge` for a GitLab on its own server), branch and site folder.
/// `None` after an error.
fn depot(d: &mut Fields<'_, '_>) -> Option<Depot> {
    let example = "\"https://github.com/proprietaire/depot\"";
    let adresse = d.text_req("adresse", example).and_then(|(a, span)| match format::repository_address(&a) {
        Ok(ok) => Some((ok.to_string(), span)),
        Err(problem) => {
            d.error(
                span,
                format!("adresse de dépôt refusée « {a} » : {problem}"),
                Some(format!("par exemple : `adresse = {example}`")),
            );
            None
        }
    });
    let forge = match d.text("forge") {
        None => None,
        Some((t, _)) if t == "github" => Some(Some(Forge::GitHub)),
        Some((t, _)) if t == "gitlab" => Some(Some(Forge::GitLab)),
        Some((t, span)) => {
            d.error(
                span,
                format!("forge inconnue « {t} »"),
                Some("écrivez `forge = \"github\"` ou `forge = \"gitlab\"`".into()),
            );
            Some(None)
        }
    };
    let branche = match d.text("branche") {
        None => Some("main".to_string()),
        Some((b, _)) if is_branch_name(&b) => Some(b),
        Some((b, span)) => {
            d.error(
                span,
                format!("nom de branche invalide « {b} »"),
                Some("écrivez le nom de la branche publiée, tel que la forge l’affiche, par exemple `branche = \"main\"`".into()),
            );
            None
        }
    };
    let dossier = match d.text("dossier") {
        None => Some(String::new()),
        Some((t, span)) => {
            let trimmed = t.trim_start_matches("./").trim_matches('/');
            let ok = trimmed.is_empty()
                || trimmed.split('/').all(|p| !p.is_empty() && p != "." && p != "..")
                    && !trimmed.contains(|c: char| c == '\\' || c.is_control());
            if !ok {
                d.error(
                    span,
                    format!("dossier invalide « {t} »"),
                    Some("écrivez le chemin du dossier du site depuis la racine du dépôt, avec des `/`, sans `..` : par exemple `dossier = \"annuaire\"`".into()),
                );
            }
            ok.then(|| trimmed.to_string())
        }
    };
    let (adresse, _) = adresse?;
    // GitHub is github.com; any other host a GitLab (gitlab.com,
    // framagit.org, a GitLab of one's own) unless `forge` says otherwise.
    let forge = match forge {
        Some(explicit) => explicit?,
        None if adresse["https://".len()..].split(['/', ':']).next() == Some("github.com") => Forge::GitHub,
        None => Forge::GitLab,
    };
    Some(Depot { adresse, forge, branche: branche?, dossier: dossier? })
}

/// A branch name git and the forges accept, and that a link can carry.
fn is_branch_name(b: &str) -> bool {
    !b.is_empty()
        && !b.starts_with(['-', '/', '.'])
        && !b.ends_with(['/', '.'])
        && !b.ends_with(".lock")
        && !b.contains("..")
        && !b.contains("//")
        && !b.contains("@{")
        && b.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"~^:?*[\\\"'<>`#%".contains(c))
}

/// `[editeur]`: `None` when absent or `actif = false`; an error when it
/// is on without what the forge needs to sign volunteers in. `depot` is
/// `Some(None)` when `[depot]` is there but wrong (already reported).
fn editor(f: &mut Fields<'_, '_>, depot: Option<&Option<Depot>>) -> Option<Option<Editeur>> {
    let Some(mut e) = f.table("editeur") else { return Some(None) };
    let actif = e.boolean("actif");
    let serveur_oauth = url(&mut e, "serveur_oauth", false);
    let id_application = e.text("id_application").map(|t| t.0.trim().to_string());
    let out = match actif {
        Some((true, span)) => {
            let problem = match depot {
                None => Some((
                    "l’éditeur de fiches a besoin du dépôt du site : la section `[depot]` manque",
                    "ajoutez `[depot]` avec `adresse = \"https://github.com/association/annuaire\"` (voir le guide, « L’éditeur de fiches »)",
                )),
                Some(None) => None,
                Some(Some(d)) if d.is_github() && serveur_oauth.is_none() => Some((
                    "sur GitHub, l’éditeur de fiches a besoin d’un serveur de connexion : `serveur_oauth` manque",
                    "ajoutez `serveur_oauth = \"https://…\"`, l’adresse du petit serveur OAuth du site (voir le guide, « L’éditeur de fiches »)",
                )),
                Some(Some(d)) if !d.is_github() && id_application.is_none() => Some((
                    "sur GitLab, l’éditeur de fiches a besoin de l’identifiant d’une application OAuth : `id_application` manque",
                    "créez une application dans les réglages de GitLab et écrivez son identifiant : `id_application = \"…\"` (voir le guide, « L’éditeur de fiches »)",
                )),
                Some(_) => None,
            };
            match problem {
                Some((message, help)) => {
                    e.error(span, message, Some(help.into()));
                    None
                }
                None => Some(Some(Editeur { serveur_oauth, id_application })),
            }
        }
        _ => Some(None),
    };
    f.absorb(e);
    out
}

/// A language code (`fr`, `uk`, `pt-BR`): what `lang` attributes and the
/// names of translation files use.
fn language_code(f: &mut Fields<'_, '_>, code: String, span: Range<usize>) -> Option<String> {
    if crate::text::i18n::is_language_code(&code) {
        return Some(code);
    }
    let by_name = vocab::LANGUES.iter().find(|(_, name)| format::fold(name) == format::fold(&code)).map(|(c, _)| *c);
    let lower = code.to_lowercase();
    let help = match by_name {
        Some(c) => format!("écrivez le code de la langue : `{c}`"),
        None if crate::text::i18n::is_language_code(&lower) => format!("écrivez-le en minuscules : `{lower}`"),
        None => "écrivez un code de langue à deux lettres (ISO 639-1) : `fr`, `en`, `ar`, `uk`…".into(),
    };
    f.error(span, format!("code de langue invalide « {code} »"), Some(help));
    None
}

/// `langues`: the languages the site publishes, `langue` by default. The
/// content language must be one of them, since its pages are the root
/// pages that every other version links to.
fn published_languages(f: &mut Fields<'_, '_>, langue: Option<&str>) -> Option<Vec<String>> {
    let present = match f.raw("langues") {
        None => None,
        // A wrong type is reported by `text_list` below.
        Some(v) if !matches!(v.get_ref(), toml::de::DeValue::Array(_) | toml::de::DeValue::String(_)) => {
            f.text_list("langues");
            return None;
        }
        Some(v) => Some(v.span()),
    };
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (code, span) in f.text_list("langues") {
        match language_code(f, code, span) {
            Some(c) if !out.contains(&c) => out.push(c),
            Some(_) => {}
            None => ok = false,
        }
    }
    let langue = langue?;
    if out.is_empty() {
        if let Some(span) = present.filter(|_| ok) {
            f.error(
                span,
                "`langues` doit contenir au moins une langue",
                Some(format!("par exemple : `langues = [\"{langue}\", \"en\", \"ar\"]`")),
            );
            return None;
        }
        return ok.then(|| vec![langue.to_string()]);
    }
    if !out.iter().any(|c| c == langue) {
        let span = present.unwrap_or(0..0);
        let mut fixed = vec![langue.to_string()];
        fixed.extend(out.iter().cloned());
        f.error(
            span,
            format!("la langue du contenu (`langue = \"{langue}\"`) manque dans `langues`"),
            Some(format!(
                "ses pages sont celles de la racine du site ; écrivez `langues = [{}]`",
                fixed.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
            )),
        );
        return None;
    }
    ok.then_some(out)
}

// ------------------------------------------------------------ common fields

fn months(f: &mut Fields<'_, '_>, key: &'static str) -> Option<u32> {
    let (n, span) = f.integer(key, "6")?;
    if (1..=120).contains(&n) {
        Some(n as u32)
    } else {
        f.error(
            span,
            format!("`{key}` doit être un nombre de mois entre 1 et 120"),
            Some(format!("par exemple : `{key} = 6`")),
        );
        None
    }
}

fn phone(f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
    let (t, span) = f.text(key)?;
    if phone_link(&t).is_some() {
        // One form on every page, whichever way it was written.
        return Some(format::phone_display(&t));
    }
    let lower = t.to_lowercase();
    let help = if is_valid_email(&t) {
        format!("c’est une adresse électronique : écrivez-la dans `courriel = \"{t}\"`")
    } else if lower.starts_with("http") || lower.starts_with("www.") {
        "c’est une adresse web : écrivez-la dans `site_web`, et ici le numéro de téléphone".into()
    } else {
        "écrivez 10 chiffres, par exemple `01 48 00 00 12`, ou `+33 1 48 00 00 12`".into()
    };
    f.error(span, format!("numéro de téléphone invalide « {t} »"), Some(help));
    None
}

fn email(f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
    let (t, span) = f.text(key)?;
    if is_valid_email(&t) {
        return Some(t);
    }
    f.error(span, format!("adresse électronique invalide « {t} »"), Some("par exemple : `contact@exemple.org`".into()));
    None
}

fn url(f: &mut Fields<'_, '_>, key: &'static str, required: bool) -> Option<String> {
    let (t, span) = if required { f.text_req(key, "\"https://exemple.org/\"")? } else { f.text(key)? };
    match format::url_problem(&t) {
        None => Some(t),
        Some(problem) => {
            let email = t.strip_prefix("mailto:").unwrap_or(&t);
            let help = if is_valid_email(email) {
                format!("c’est une adresse électronique : écrivez-la dans `courriel = \"{email}\"`")
            } else if !t.contains("://") && !t.contains(':') && t.contains('.') {
                format!("ajoutez https:// au début : `{key} = \"https://{t}\"`")
            } else {
                "par exemple : `https://exemple.org/`".into()
            };
            f.error(span, format!("adresse web refusée « {t} » : {problem}"), Some(help));
            None
        }
    }
}

fn id_ref(f: &mut Fields<'_, '_>, value: At<String>, what: &str) -> Option<At<String>> {
    if is_valid_id(&value.0) {
        return Some(value);
    }
    let help = format!(
        "écrivez l’identifiant d’{what} : le nom de son fichier sans `.toml`, par exemple `{}`",
        format::slugify(&value.0)
    );
    f.error(value.1.clone(), format!("identifiant invalide « {} »", value.0), Some(help));
    None
}

// -------------------------------------------------------------- territoires

fn parse_territoire(file: &SourceFile, sources: &Sources) -> Outcome<Territoire> {
    let mut diags = Vec::new();
    let id = file_id(&file.path, &mut diags);
    let table = match toml_table(&file.path, &file.text, 0) {
        Ok(t) => t,
        Err(d) => return (None, with(diags, d)),
    };
    limits::check_table(&file.path, &file.text, &table, &mut diags);
    let mut f = Fields::new(&file.path, &table, 0..0);
    let nom = f.text_req("nom", "\"Saint-Denis\"");
    let type_ = f.vocab("type", true);
    let perimetre = f.text_req("perimetre", "\"saint-denis.geojson\"").and_then(|(name, span)| {
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let safe = !name.contains('\\')
            && Path::new(&name).components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            f.error(span, format!("chemin de périmètre refusé « {name} »"), Some("donnez le nom d’un fichier placé à côté de ce fichier, sans `..` ni `/` au début".into()));
            return None;
        }
        let path: PathBuf = PathBuf::from(format!("{}/{}", dir.to_string_lossy(), name));
        let Some(geo) = sources.perimetres.get(&path) else {
            let names: Vec<String> = sources
                .perimetres
                .keys()
                .filter(|p| p.parent() == Some(dir))
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let help = match closest(&name, &refs) {
                Some(c) => format!("vouliez-vous écrire `{c}` ?"),
                None => "placez le fichier GeoJSON dans le même dossier que ce fichier".into(),
            };
            f.error(span, format!("le fichier de périmètre `{}` est introuvable", path.display()), Some(help));
            return None;
        };
        match parse_perimeter(&geo.text) {
            Ok(p) => Some(p),
            Err(problem) => {
                diags.push(Diagnostic::error(&geo.path, None, format!("périmètre illisible : {problem}")).with_help(
                    "un périmètre est un fichier GeoJSON (Polygon, MultiPolygon, Feature ou FeatureCollection) en longitude, latitude",
                ));
                f.error(span, format!("le périmètre `{name}` est illisible (voir l’erreur sur ce fichier)"), None);
                None
            }
        }
    });
    let code_insee = insee(&mut f);
    let presentation = f.text("presentation").map(|t| t.0);
    let coordination = f.table("coordination").and_then(|mut c| {
        let nom = c.text_req("nom", "\"Collectif alimentaire de …\"");
        let presentation = c.text("presentation").map(|t| t.0);
        let courriel = email(&mut c, "courriel");
        let telephone = phone(&mut c, "telephone");
        let site_web = url(&mut c, "site_web", false);
        let membres: Vec<At<String>> =
            c.text_list("membres").into_iter().filter_map(|m| id_ref(&mut c, m, "une structure")).collect();
        f.absorb(c);
        Some(Coordination { nom: nom?.0, presentation, courriel, telephone, site_web, membres })
    });
    let communes = communes(&mut f, file, sources, &mut diags);
    // No check below needs the spans: moved, not copied.
    let spans = std::mem::take(&mut f.spans);
    let item = (|| {
        Some(Territoire {
            id: id?,
            origin: Origin::of(&file.path, &file.text, spans),
            nom: nom?.0,
            type_: type_?,
            perimetre: perimetre?,
            code_insee,
            presentation,
            coordination,
            communes,
        })
    })();
    finish(item, f, diags)
}

/// Reads the optional `communes` key: a GeoJSON file next to the territory's
/// file, one feature per commune with a `nom` property.
fn communes(f: &mut Fields<'_, '_>, file: &SourceFile, sources: &Sources, diags: &mut Vec<Diagnostic>) -> Vec<Commune> {
    let Some((name, span)) = f.text("communes") else { return Vec::new() };
    let dir = file.path.parent().unwrap_or(Path::new(""));
    let safe =
        !name.contains('\\') && Path::new(&name).components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !safe {
        f.error(
            span,
            format!("chemin du fichier des communes refusé « {name} »"),
            Some("donnez le nom d’un fichier placé à côté de ce fichier, sans `..` ni `/` au début".into()),
        );
        return Vec::new();
    }
    let path = PathBuf::from(format!("{}/{}", dir.to_string_lossy(), name));
    let Some(geo) = sources.perimetres.get(&path) else {
        f.error(
            span,
            format!("le fichier des communes `{}` est introuvable", path.display()),
            Some("placez le fichier GeoJSON des communes dans le même dossier que ce fichier".into()),
        );
        return Vec::new();
    };
    match crate::model::geo::parse_communes(&geo.text) {
        Ok(mut list) => {
            // Names and codes are texts of the site like any field's.
            for (code, nom, _) in &mut list {
                for text in std::iter::once(nom).chain(code.as_mut()) {
                    if let Some(cleaned) = fields::without_invisible(text, true) {
                        let message = format!(
                            "la commune « {} » a {}",
                            cleaned.text,
                            cleaned.removed().unwrap_or_else(|| "un saut de ligne, devenu une espace".into())
                        );
                        diags.push(Diagnostic::warning(&geo.path, None, message).with_help(fields::INVISIBLE_HELP));
                        *text = cleaned.text.trim().to_string();
                    }
                }
            }
            // In the order a reader looks for them: by name, accents aside.
            list.sort_by(|a, b| (format::fold(&a.1), &a.0).cmp(&(format::fold(&b.1), &b.0)));
            list.into_iter().map(|(code, nom, perimetre)| Commune { code, nom, perimetre }).collect()
        }
        Err(problem) => {
            diags.push(Diagnostic::error(&geo.path, None, format!("fichier des communes illisible : {problem}")).with_help(
                "une FeatureCollection GeoJSON, une Feature par commune avec les propriétés `nom` (et `code`, le code INSEE), en longitude, latitude",
            ));
            f.error(
                span,
                format!("le fichier des communes `{name}` est illisible (voir l’erreur sur ce fichier)"),
                None,
            );
            Vec::new()
        }
    }
}

fn insee(f: &mut Fields<'_, '_>) -> Option<String> {
    let (t, span) = f.text("code_insee")?;
    if is_insee_code(&t) {
        return Some(t);
    }
    f.error(
        span,
        format!("code INSEE invalide « {t} »"),
        Some("le code INSEE d’une commune a 5 caractères, par exemple `93066` (ce n’est pas le code postal)".into()),
    );
    None
}

// --------------------------------------------------------------- structures

fn parse_structure(file: &SourceFile) -> Outcome<Structure> {
    let mut diags = Vec::new();
    let id = file_id(&file.path, &mut diags);
    let table = match toml_table(&file.path, &file.text, 0) {
        Ok(t) => t,
        Err(d) => return (None, with(diags, d)),
    };
    limits::check_table(&file.path, &file.text, &table, &mut diags);
    let mut f = Fields::new(&file.path, &table, 0..0);
    let nom = f.text_req("nom", "\"Épicerie solidaire …\"");
    let type_ = f.vocab("type", true);
    let presentation = f.text("presentation").map(|t| t.0);
    let site_web = url(&mut f, "site_web", false);
    let telephone = phone(&mut f, "telephone");
    let courriel = email(&mut f, "courriel");
    let siret = f.text("siret").and_then(|(t, span)| {
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if is_siret(&compact) {
            return Some(compact);
        }
        f.error(span, format!("numéro SIRET invalide « {t} »"), Some("un SIRET a 14 chiffres".into()));
        None
    });
    let rna = f.text("rna").and_then(|(t, span)| {
        if is_rna(&t) {
            return Some(t);
        }
        f.error(
            span,
            format!("numéro RNA invalide « {t} »"),
            Some("un numéro RNA s’écrit W suivi de 9 caractères, par exemple `W931234567`".into()),
        );
        None
    });
    let mut reseaux_porteurs = Vec::new();
    for (r, span) in f.text_list("reseaux_porteurs") {
        if vocab::reseau_porteur_label(&r).is_some() {
            if !reseaux_porteurs.contains(&r) {
                reseaux_porteurs.push(r);
            }
            continue;
        }
        let values: Vec<&str> = vocab::reseaux_porteurs().iter().map(|(v, _)| v.as_str()).collect();
        let help = match closest(&r, &values) {
            Some(c) => format!("vouliez-vous écrire `{c}` ? La liste des valeurs est celle de data·inclusion (reseaux-porteurs)"),
            None => "la liste des valeurs est celle de data·inclusion (reseaux-porteurs) ; laissez la liste vide si aucun ne convient".into(),
        };
        f.error(span, format!("réseau porteur inconnu « {r} »"), Some(help));
    }
    let date_maj = f.date("date_maj", true);
    let besoins = f.table("besoins").map(|mut b| {
        let besoins = Besoins {
            benevoles: b.boolean("benevoles").map(|x| x.0).unwrap_or(false),
            benevoles_precisions: b.text("benevoles_precisions").map(|t| t.0),
            dons: b.vocab_list("dons", false),
            dons_precisions: b.text("dons_precisions").map(|t| t.0),
        };
        f.absorb(b);
        besoins
    });
    // No check below needs the spans: moved, not copied.
    let spans = std::mem::take(&mut f.spans);
    let item = (|| {
        Some(Structure {
            id: id?,
            origin: Origin::of(&file.path, &file.text, spans),
            nom: nom?.0,
            type_: type_?,
            presentation,
            site_web,
            telephone,
            courriel,
            siret,
            rna,
            reseaux_porteurs,
            date_maj: date_maj?.0,
            besoins,
        })
    })();
    finish(item, f, diags)
}

// -------------------------------------------------------------------- lieux

/// A document to bring may not hold the bar that separates the documents
/// in the CSV export (`export::LIST_SEPARATOR`).
const JUSTIFICATIF_BARRE: &str = "un document à apporter ne peut pas contenir de barre verticale « | » : \
     c’est le séparateur des documents dans les données ouvertes (CSV)";
const JUSTIFICATIF_BARRE_AIDE: &str = "écrivez chaque document comme un élément de la liste, par exemple \
     `justificatifs = [\"Pièce d’identité\", \"Justificatif de domicile\"]`, ou remplacez « | » par « / »";

fn parse_lieu(file: &SourceFile, known: &hours::Known) -> Outcome<Lieu> {
    let mut diags = Vec::new();
    let id = file_id(&file.path, &mut diags);
    let table = match toml_table(&file.path, &file.text, 0) {
        Ok(t) => t,
        Err(d) => return (None, with(diags, d)),
    };
    limits::check_table(&file.path, &file.text, &table, &mut diags);
    let mut f = Fields::new(&file.path, &table, 0..0);
    let nom = f.text_req("nom", "\"Distribution du mardi\"");
    let structure =
        f.text_req("structure", "\"identifiant-de-la-structure\"").and_then(|s| id_ref(&mut f, s, "une structure"));
    let services = f.vocab_list("services", true);
    let adresse_ = f.text_req("adresse", "\"12 rue de la République\"");
    let complement_adresse = f.text("complement_adresse").map(|t| t.0);
    let code_postal = postal_code(&mut f);
    let commune = f.text_req("commune", "\"Saint-Denis\"");
    let code_insee = insee(&mut f);
    // The commune's centre, proposed when the position is missing.
    let near = code_insee
        .as_deref()
        .and_then(communes::by_insee)
        .or_else(|| communes::of_address(code_postal.as_deref()?, &commune.as_ref()?.0));
    let position = coordinates(&mut f, near);
    let horaires = opening_hours(&mut f, file, known);
    let fermetures = closures(&mut f);
    let acces = f.vocab_list("acces", true);
    let conditions_acces = f.text("conditions_acces").map(|t| t.0);
    let justificatifs = documents(&mut f);
    let frais = f.vocab("frais", true);
    let frais_precisions = f.text("frais_precisions").map(|t| t.0);
    let publics = publics(&mut f);
    let publics_precisions = f.text("publics_precisions").map(|t| t.0);
    let langues = languages(&mut f);
    let accessibilite_pmr = f.boolean("accessibilite_pmr").map(|b| b.0);
    let regimes = f.vocab_list("regimes", false);
    let telephone = phone(&mut f, "telephone");
    let courriel = email(&mut f, "courriel");
    let site_web = url(&mut f, "site_web", false);
    let description = f.text("description").map(|t| t.0);
    let date_maj = f.date("date_maj", true);
    let frequence_maj_mois = months(&mut f, "frequence_maj_mois");
    let traductions = translations(&mut f);
    // No check below needs the spans: moved, not copied.
    let spans = std::mem::take(&mut f.spans);
    let item = (|| {
        let (latitude, longitude) = position?;
        Some(Lieu {
            id: id?,
            origin: Origin::of(&file.path, &file.text, spans),
            nom: nom?.0,
            structure: structure?.0,
            services: Some(services).filter(|s| !s.is_empty())?,
            adresse: Adresse {
                adresse: adresse_?.0,
                complement_adresse,
                code_postal: code_postal?,
                commune: commune?.0,
                code_insee,
            },
            latitude,
            longitude,
            horaires,
            fermetures,
            acces: Some(acces).filter(|a| !a.is_empty())?,
            conditions_acces,
            justificatifs,
            frais: frais?,
            frais_precisions,
            publics,
            publics_precisions,
            langues,
            accessibilite_pmr,
            regimes,
            telephone,
            courriel,
            site_web,
            description,
            date_maj: date_maj?.0,
            frequence_maj_mois,
            traductions,
            territoires: Vec::new(),
        })
    })();
    finish(item, f, diags)
}

/// `code_postal`: five digits.
fn postal_code(f: &mut Fields<'_, '_>) -> Option<String> {
    f.text_req("code_postal", "\"93200\"").and_then(|(t, span)| {
        if is_postal_code(&t) {
            return Some(t);
        }
        f.error(
            span,
            format!("code postal invalide « {t} »"),
            Some("un code postal a 5 chiffres, entre guillemets : `code_postal = \"93200\"`".into()),
        );
        None
    })
}

/// `horaires_accueil`, with the place of the fault and, for hours written
/// in French, the text converted (or why it cannot be).
fn opening_hours(f: &mut Fields<'_, '_>, file: &SourceFile, known: &hours::Known) -> Option<Horaires> {
    f.text("horaires_accueil").and_then(|(t, span)| match Horaires::parse_known(&t, known) {
        Ok(h) => Some(h),
        Err(e) => {
            let span = narrow(&file.text, &span, &t, e.offset);
            const EXAMPLES: &str = "exemples : `Mo-Fr 09:00-12:00`, `Tu,Th 14:00-17:00; PH off`, `Sa 10:00-12:30` (Mo Tu We Th Fr Sa Su = lundi … dimanche, PH = jours fériés). L’outil YoHours aide à les écrire";
            let help = match (e.aide, prose_hours::convert(&t)) {
                (Some(aide), _) => aide,
                (None, prose_hours::Conversion::Hours(s)) if s != t => {
                    format!("vouliez-vous écrire `horaires_accueil = \"{s}\"` ?")
                }
                (None, prose_hours::Conversion::Flagged(reason)) => {
                    format!("ce texte ne se convertit pas tel quel : {reason}. {EXAMPLES}")
                }
                (None, prose_hours::Conversion::Hours(_)) => EXAMPLES.into(),
            };
            f.error(span, e.message, Some(help));
            None
        }
    })
}

/// `[[fermetures]]`, sorted by start.
fn closures(f: &mut Fields<'_, '_>) -> Vec<Fermeture> {
    let mut fermetures = Vec::new();
    for mut ff in f.tables("fermetures") {
        let du = ff.date("du", true);
        let au = ff.date("au", true);
        let motif = ff.text("motif").map(|t| t.0);
        if let (Some((du, _)), Some((au, span))) = (&du, &au)
            && au < du
        {
            ff.error(
                span.clone(),
                "la fin de la fermeture (`au`) est avant son début (`du`)",
                Some("vérifiez l’ordre des dates".into()),
            );
        }
        if let (Some((du, _)), Some((au, _))) = (du, au) {
            fermetures.push(Fermeture { du, au, motif });
        }
        f.absorb(ff);
    }
    fermetures.sort_by_key(|x| x.du);
    fermetures
}

/// `justificatifs`: the documents asked for.
fn documents(f: &mut Fields<'_, '_>) -> Vec<String> {
    let mut justificatifs = Vec::new();
    for (text, span) in f.text_list("justificatifs") {
        // The open data join the documents with " | ": a text holding the
        // bar could not be read back as the same list.
        if text.contains('|') {
            f.error(span, JUSTIFICATIF_BARRE, Some(JUSTIFICATIF_BARRE_AIDE.into()));
        }
        justificatifs.push(text);
    }
    justificatifs
}

/// `publics`, everyone when none is given.
fn publics(f: &mut Fields<'_, '_>) -> Vec<Public> {
    let mut publics: Vec<Public> = f.vocab_list("publics", false);
    if publics.len() > 1 && publics.contains(&Public::TousPublics) {
        let span = f.spans.get("publics").cloned().unwrap_or(0..0);
        f.error(
            span,
            "`tous-publics` ne se combine pas avec d’autres publics",
            Some("gardez seulement `publics = [\"tous-publics\"]`, ou retirez `tous-publics` pour viser des publics précis".into()),
        );
    }
    if publics.is_empty() {
        publics.push(Public::TousPublics);
    }
    publics
}

/// `langues`: ISO 639-1 codes, each once.
fn languages(f: &mut Fields<'_, '_>) -> Vec<String> {
    let mut langues = Vec::new();
    for (l, span) in f.text_list("langues") {
        let code = l.to_lowercase();
        if vocab::langue_label(&code).is_some() {
            if !langues.contains(&code) {
                langues.push(code);
            }
            continue;
        }
        let by_name = vocab::LANGUES.iter().find(|(_, name)| format::fold(name) == format::fold(&l)).map(|(c, _)| *c);
        let help = match by_name {
            Some(c) => format!("écrivez le code de la langue : `{c}`"),
            None => {
                "écrivez des codes de langue à deux lettres (ISO 639-1) : `fr`, `en`, `ar`, `uk`, `fa`, `ps`…".into()
            }
        };
        f.error(span, format!("langue inconnue « {l} »"), Some(help));
    }
    langues
}

/// `[traductions.<code>]`: a point's free texts in other languages. Which
/// languages the site publishes is checked in `validate`.
fn translations(f: &mut Fields<'_, '_>) -> BTreeMap<String, Traduction> {
    let mut out = BTreeMap::new();
    for ((code, span), mut t) in f.named_tables("traductions") {
        let justificatifs: Vec<String> = t.text_list("justificatifs").into_iter().map(|x| x.0).collect();
        let traduction = Traduction {
            description: t.text("description").map(|x| x.0),
            conditions_acces: t.text("conditions_acces").map(|x| x.0),
            frais_precisions: t.text("frais_precisions").map(|x| x.0),
            publics_precisions: t.text("publics_precisions").map(|x| x.0),
            justificatifs: (!justificatifs.is_empty()).then_some(justificatifs),
            span: span.clone(),
        };
        f.absorb(t);
        if !crate::text::i18n::is_language_code(&code) {
            let by_name =
                vocab::LANGUES.iter().find(|(_, name)| format::fold(name) == format::fold(&code)).map(|(c, _)| *c);
            let help = match by_name {
                Some(c) => format!("écrivez le code de la langue : `[traductions.{c}]`"),
                None => "écrivez le code de la langue à deux lettres : `[traductions.en]`, `[traductions.ar]`…".into(),
            };
            f.error(span, format!("code de langue invalide « {code} » dans `traductions`"), Some(help));
            continue;
        }
        out.insert(code, traduction);
    }
    out
}

/// Reads `latitude` and `longitude`, catching swapped and out-of-range
/// values. When they are missing, the help proposes the centre of the
/// address's commune, from the commune table, as an approximate position.
fn coordinates(f: &mut Fields<'_, '_>, commune: Option<&communes::Commune>) -> Option<(f64, f64)> {
    let lat = f.number("latitude", false, "48.8566");
    let lon = f.number("longitude", false, "2.3522");
    let how = "sur OpenStreetMap, clic droit sur l’entrée du lieu puis « Afficher l’adresse », en degrés décimaux";
    // No position at all (an imported point not geocoded yet): a warning,
    // and the point left out of the site until it has one.
    if !f.has("latitude") && !f.has("longitude") {
        let centre = commune.and_then(|c| Some((c.parent().map_or(c.nom, |p| p.nom), c.centre()?)));
        let help = match centre {
            Some((nom, centre)) => format!(
                "ajoutez `latitude = …` et `longitude = …`, la position de l’adresse ({how}), ou géocodez le fichier importé sur adresse.data.gouv.fr ; à défaut, le centre de {nom} : `latitude = {:.5}` et `longitude = {:.5}`, une position approximative",
                centre.latitude, centre.longitude
            ),
            None => format!(
                "ajoutez `latitude = …` et `longitude = …`, la position de l’adresse ({how}), ou géocodez le fichier importé sur adresse.data.gouv.fr"
            ),
        };
        let anchor = f.anchor();
        f.diags.push(
            Diagnostic::warning(
                f.file(),
                Some(anchor),
                "lieu à géocoder : sans latitude ni longitude, il n’est pas publié (ni page, ni carte, ni recherche)",
            )
            .with_help(help),
        );
        return None;
    }
    for key in ["latitude", "longitude"] {
        if f.has(key) {
            continue;
        }
        let help = match commune.and_then(|c| Some((c.parent().map_or(c.nom, |p| p.nom), c.centre()?))) {
            Some((nom, centre)) => format!(
                "ajoutez la position de l’adresse ({how}) ; à défaut, le centre de {nom} : `latitude = {:.5}` et `longitude = {:.5}`, une position approximative, à préciser ensuite",
                centre.latitude, centre.longitude
            ),
            None => format!("ajoutez `latitude = …` et `longitude = …`, la position de l’adresse ({how})"),
        };
        f.missing_with(key, help);
    }
    let ((lat, lat_span), (lon, lon_span)) = (lat?, lon?);
    if !(-90.0..=90.0).contains(&lat) {
        f.error(
            lat_span,
            format!("latitude hors limites : {lat}"),
            Some("une latitude est comprise entre -90 et 90 ; en Île-de-France elle vaut environ 48,8".into()),
        );
        return None;
    }
    if !(-180.0..=180.0).contains(&lon) {
        f.error(
            lon_span,
            format!("longitude hors limites : {lon}"),
            Some("une longitude est comprise entre -180 et 180 ; en Île-de-France elle vaut environ 2,3".into()),
        );
        return None;
    }
    if !in_france(lat, lon) {
        let help = if in_france(lon, lat) {
            format!(
                "la latitude et la longitude semblent inversées : écrivez `latitude = {lon}` et `longitude = {lat}`"
            )
        } else {
            "vérifiez les coordonnées : copiez-les depuis OpenStreetMap (clic droit, « Afficher l’adresse ») en degrés décimaux".into()
        };
        f.error(lat_span, format!("ces coordonnées sont hors de France (latitude {lat}, longitude {lon})"), Some(help));
        return None;
    }
    Some((lat, lon))
}

/// Narrows a diagnostic to the character the hours parser pointed at, when
/// the TOML string is written plainly (no escapes), so the caret lands on
/// the mistake rather than under the whole value.
fn narrow(source: &str, span: &Range<usize>, value: &str, offset: Option<usize>) -> Range<usize> {
    let Some(offset) = offset else { return span.clone() };
    let raw = source.get(span.clone()).unwrap_or("");
    let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
    if inner != Some(value) {
        return span.clone();
    }
    let byte = value.char_indices().nth(offset).map_or(value.len(), |(i, _)| i);
    let start = span.start + 1 + byte;
    let len = value[byte..].chars().next().map_or(1, char::len_utf8);
    start..start + len
}

// -------------------------------------------------------------------- pages

fn parse_page(file: &SourceFile) -> Outcome<Page> {
    let mut diags = Vec::new();
    let id = file_id(&file.path, &mut diags);
    let text = &*file.text;
    let Some(after_open) = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n")) else {
        diags.push(
            Diagnostic::error(&file.path, Some(0..0), "une page doit commencer par un en-tête entre deux lignes `+++`")
                .with_help("ajoutez au début du fichier :\n+++\ntitre = \"Titre de la page\"\n+++"),
        );
        return (None, diags);
    };
    let offset = text.len() - after_open.len();
    let Some(end) = after_open.find("\n+++") else {
        diags.push(
            Diagnostic::error(&file.path, Some(0..3), "l’en-tête de la page n’est pas refermé")
                .with_help("ajoutez une ligne `+++` après les clés de l’en-tête"),
        );
        return (None, diags);
    };
    let front = &after_open[..end + 1];
    let body_start = offset + end + 4;
    let body = text[body_start..].trim_start_matches(['\r', '\n']).to_string();
    let table = match toml_table(&file.path, front, offset) {
        Ok(t) => t,
        Err(d) => return (None, with(diags, d)),
    };
    let mut limited = Vec::new();
    limits::check_table(&file.path, front, &table, &mut limited);
    for d in &mut limited {
        d.span = d.span.take().map(|s| s.start + offset..s.end + offset);
    }
    diags.extend(limited);
    let body_at = text.len() - body.len();
    limits::check_page(&file.path, body_at, &body, &mut diags);
    let mut f = Fields::new(&file.path, &table, 0..0);
    let titre = f.text_req("titre", "\"À propos\"");
    let description = f.text("description").map(|t| t.0);
    let ordre = f.integer("ordre", "1").map(|o| o.0);
    // No check below needs the spans: moved, not copied.
    let spans = std::mem::take(&mut f.spans);
    let mut fd = f.finish();
    for d in &mut fd {
        if let Some(s) = &mut d.span
            && !(s.start == 0 && s.end == 0)
        {
            *s = s.start + offset..s.end + offset;
        }
    }
    diags.extend(fd);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let spans = spans.into_iter().map(|(k, s)| (k, s.start + offset..s.end + offset)).collect();
    let item = (|| {
        Some(Page {
            id: id?,
            origin: Origin::of(&file.path, &file.text, spans),
            titre: titre?.0,
            description,
            ordre,
            contenu: body,
        })
    })();
    (item, diags)
}

/// The values a vocabulary accepts, for documentation and diagnostics.
pub fn allowed<T: Vocabulary>() -> String {
    quoted(&T::values())
}
