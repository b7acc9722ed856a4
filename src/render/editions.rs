//! Pages per language: the site's language at the root, every other
//! published language under `<code>/`, and the links between the versions
//! of a page (language switch, `hreflang` alternates).

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Tera;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::text::i18n::{Catalogue, Tr};
use crate::theme::Theme;

/// One published language: its texts, where its pages go, its templates.
pub(crate) struct Edition<'a> {
    pub tr: Tr<'a>,
    /// `""` for the language of the content, `"en/"` for the others.
    pub prefix: String,
    /// The language's template set, shared with serve's memo.
    pub tera: Templates<'a>,
    /// The texts of the site's scripts, ready for the page's JSON data
    /// block, by [`Scripts`]: made once per language.
    pub textes: [String; 3],
}

/// A language's template set, compiled by the first page that needs it:
/// point, commune, structure and guide pages of the default theme do not
/// (see `native`), so they render on one thread while the templates
/// compile on another.
pub(crate) struct Templates<'a> {
    /// The language and whether it is written `plain`: what the set is
    /// kept under in serve's memo.
    pub code: String,
    pub plain: bool,
    /// Kept by serve's memo from an earlier build.
    pub kept: Option<Arc<Tera>>,
    pub compile: Box<dyn Fn() -> Result<Tera, Vec<Diagnostic>> + Send + Sync + 'a>,
    pub made: OnceLock<Result<Arc<Tera>, Vec<Diagnostic>>>,
}

impl Templates<'_> {
    /// The template set, compiled on first use; every later call, from any
    /// thread, waits for that one and shares its result.
    pub(crate) fn get(&self) -> Result<&Arc<Tera>, &[Diagnostic]> {
        let made = self.made.get_or_init(|| match &self.kept {
            Some(tera) => Ok(Arc::clone(tera)),
            None => (self.compile)().map(Arc::new),
        });
        made.as_ref().map_err(Vec::as_slice)
    }
}

/// Which scripts a page runs, beside the offline one.
#[derive(Clone, Copy)]
pub(crate) enum Scripts {
    /// None (only `hors-ligne.js`, when offline use is on).
    Base = 0,
    /// The interactive map.
    Carte = 1,
    /// The search, which may show the map.
    Recherche = 2,
}

/// The JSON data block of each kind of page, for one language: the texts
/// of the scripts the page runs, with what they format (day names, labels
/// of the kinds of help and access, hour format). Scripts keep French as a
/// fallback should a template leave the block out. Empty when no script
/// runs.
pub(crate) fn script_texts(tr: &Tr<'_>, hors_ligne: bool) -> [String; 3] {
    use serde_json::{Map, Value};
    let base = || {
        let mut m = Map::new();
        m.insert("lang".into(), Value::String(tr.code().into()));
        if hors_ligne {
            m.insert("hors_ligne".into(), tr.section("js_hors_ligne").into());
        }
        m
    };
    let with_map = || {
        let mut m = base();
        // The button's words; the rest comes with the map's data.
        let mut carte = tr.section("js_carte");
        carte.retain(|k, _| ["afficher", "masquer", "chargement", "erreur"].contains(&k.as_str()));
        m.insert("carte".into(), carte.into());
        m
    };
    let mut recherche = tr.section("js_recherche");
    // Sunday first, as JavaScript's getUTCDay counts.
    let jours: Vec<Value> = (0..7).map(|d| Value::String(tr.day_number((d + 6) % 7).into())).collect();
    recherche.insert("jours".into(), jours.into());
    // January first, as JavaScript's getUTCMonth counts.
    let mois: Vec<Value> = (1..=12)
        .filter_map(|m| chrono::NaiveDate::from_ymd_opt(2026, m, 1))
        .map(|d| Value::String(tr.month(d).into()))
        .collect();
    recherche.insert("mois".into(), mois.into());
    for key in ["format.heure", "format.heure_pile", "format.virgule", "format.jour_mois", "format.premier"] {
        recherche.insert(key.replace("format.", "format_"), Value::String(tr.text(key).into()));
    }
    recherche.insert("separateur".into(), Value::String(tr.text("format.conditions_separateur").into()));
    let labels = |all: Vec<&'static str>| -> Value {
        all.into_iter()
            .map(|k| (k.split_once('.').map_or(k, |(_, v)| v).to_string(), Value::String(tr.text(k).into())))
            .collect::<Map<_, _>>()
            .into()
    };
    use crate::model::vocab::{Acces, Frais, Public, Regime, Service, Vocabulary};
    recherche.insert("services".into(), labels(Service::ALL.iter().map(|v| v.key()).collect()));
    // Searchable by their labels in the page's language, with the theme's
    // everyday words for them.
    recherche.insert("publics".into(), labels(Public::ALL.iter().map(|v| v.key()).collect()));
    recherche.insert("regimes".into(), labels(Regime::ALL.iter().map(|v| v.key()).collect()));
    recherche.insert("synonymes".into(), tr.section("recherche_synonymes").into());
    recherche.insert("acces".into(), labels(Acces::ALL.iter().map(|v| v.key()).collect()));
    recherche.insert("frais".into(), labels(Frais::ALL.iter().map(|v| v.key()).collect()));
    let mut search = with_map();
    search.insert("recherche".into(), recherche.into());
    let json = |m: Map<String, Value>, any: bool| {
        if any { crate::text::html::script_json(&m.into()) } else { String::new() }
    };
    [json(base(), hors_ligne), json(with_map(), true), json(search, true)]
}

/// Every published language, the site's first, with its texts and its
/// template set (compiled when a page first needs it; `unused`: templates
/// no page of this theme renders).
pub(crate) fn editions<'a>(
    site: &'a Site,
    theme: &'a Theme,
    catalogue: &'a Catalogue,
    memo: Option<&super::memo::Memo>,
    unused: &'static [&'static str],
) -> Vec<Edition<'a>> {
    let c = &site.config;
    let mut editions = Vec::with_capacity(c.langues.len());
    for code in std::iter::once(&c.langue).chain(c.langues.iter().filter(|l| **l != c.langue)) {
        let (Some(tr), Some(functions)) = (catalogue.tr(code, &c.langue), catalogue.functions(code)) else {
            continue;
        };
        // French at the root of a French site: no page can need a `lang`.
        let plain = *code == c.langue && *code == crate::text::i18n::REFERENCE;
        // A template set depends on the theme, the language and `plain`:
        // serve keeps it while the templates and translations are the same.
        let tera = Templates {
            code: code.clone(),
            plain,
            kept: memo.and_then(|m| m.template_set(code, plain)),
            compile: Box::new(move || super::tera::templates(theme, &functions, plain, unused)),
            made: OnceLock::new(),
        };
        let prefix = if *code == c.langue { String::new() } else { format!("{code}/") };
        let textes = script_texts(&tr, c.hors_ligne);
        editions.push(Edition { tr, prefix, tera, textes });
    }
    editions
}

impl Edition<'_> {
    /// Where this language's own generated files go under a shared folder
    /// (map data, `assets/carte/en/…`): the same prefix as its pages.
    pub(crate) fn data_prefix(&self) -> &str {
        &self.prefix
    }
}

/// The page's language, as `<html lang dir>` needs it.
#[derive(Serialize)]
pub(crate) struct LangView<'a> {
    pub code: &'a str,
    pub dir: &'static str,
    pub nom: &'a str,
}

impl<'a> LangView<'a> {
    pub(crate) fn of(tr: &Tr<'a>) -> Self {
        LangView { code: tr.code(), dir: tr.langue.direction.as_str(), nom: &tr.langue.nom }
    }
}

/// The language content is written in, on a page in another language.
#[derive(Serialize)]
pub(crate) struct ContenuView<'a> {
    pub lang: &'a str,
    pub dir: &'static str,
}

impl<'a> ContenuView<'a> {
    /// Its direction comes from the theme's file of that language when
    /// there is one; content in a language without one is taken as
    /// left-to-right.
    pub(crate) fn of(lang: &'a str, catalogue: &Catalogue) -> Self {
        let dir = catalogue.langue(lang).map_or("ltr", |l| l.direction.as_str());
        ContenuView { lang, dir }
    }
}

/// One version of the current page, for the language switch and the
/// `hreflang` alternates.
#[derive(Serialize)]
pub(crate) struct Version<'a> {
    pub code: &'a str,
    /// The language's name written in itself.
    pub nom: &'a str,
    pub dir: &'static str,
    /// Relative link from the current page.
    pub href: String,
    /// Absolute URL: search engines want alternates in full.
    pub url: String,
    /// The site's language: its version is also `x-default`.
    pub defaut: bool,
    pub courante: bool,
}

/// The versions of the page at `path` (inside a language's folder) in
/// every published language; none when there is only one. A page served
/// at any depth (404, offline) has no fixed path: its versions are the
/// home pages.
pub(crate) fn versions<'a>(
    editions: &'a [Edition<'a>],
    current: usize,
    path: &str,
    site_root: &str,
    base_url: &str,
    standalone: bool,
) -> Vec<Version<'a>> {
    if editions.len() < 2 {
        return Vec::new();
    }
    let path = if standalone { "index.html" } else { path };
    let in_url = if path == "index.html" { "" } else { path };
    editions
        .iter()
        .enumerate()
        .map(|(i, e)| Version {
            code: e.tr.code(),
            nom: &e.tr.langue.nom,
            dir: e.tr.langue.direction.as_str(),
            href: format!("{site_root}{}{path}", e.prefix),
            url: format!("{base_url}{}{in_url}", e.prefix),
            defaut: e.prefix.is_empty(),
            courante: i == current,
        })
        .collect()
}

/// Every published language must have a translation file in the theme;
/// one that exists but has errors was reported already.
pub(crate) fn check_published(site: &Site, theme: &Theme, catalogue: &Catalogue) -> Vec<Diagnostic> {
    let c = &site.config;
    let span = c.origin.span("langues").or_else(|| c.origin.span("langue"));
    let available: Vec<&str> = catalogue.codes().collect();
    c.langues
        .iter()
        .filter(|code| catalogue.langue(code).is_none())
        .filter(|code| !theme.files.contains_key(&format!("{}{code}.toml", crate::text::i18n::FOLDER)))
        .map(|code| {
            Diagnostic::error(
                &c.origin.file,
                span.clone(),
                format!("langue d’interface inconnue « {code} » : le thème n’a pas de fichier `langues/{code}.toml`"),
            )
            .with_help(format!(
                "langues disponibles : {} ; pour en ajouter une, créez `themes/{}/langues/{code}.toml` (voir `docs/guide/theme-et-langues.md`)",
                crate::text::format::quoted(&available),
                c.theme
            ))
        })
        .collect()
}

/// Template source for the pages written in French at the root of a
/// French site, the most common case: every `lang` such a page could give
/// (content in another language, a label falling back to French) is known
/// to be absent, so the conditions that would add one are taken out before
/// Tera parses the templates. Evaluating them on every card of every page
/// costs more than the markup they guard. Only these exact shapes are
/// rewritten; anything else is left to Tera:
///
/// ```text
/// {% if C %} lang="…"…{% endif %}                        → (nothing)
/// {% if C %}<span lang="…"…>{{ E }}</span>{% else %}{{ E }}{% endif %} → {{ E }}
/// ```
///
/// where `C` is `contenu`, `c` (the macros' name for it), `….lang` or
/// `…_lang`.
pub(crate) fn specialise(source: &str) -> std::borrow::Cow<'_, str> {
    const IF: &str = "{% if ";
    if !source.contains(IF) {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find(IF) {
        out.push_str(&rest[..i]);
        let after = &rest[i + IF.len()..];
        let Some(end) = after.find(" %}") else {
            out.push_str(&rest[i..]);
            return std::borrow::Cow::Owned(out);
        };
        let cond = &after[..end];
        let body = &after[end + 3..];
        let about_lang = cond == "contenu" || cond == "c" || cond.ends_with(".lang") || cond.ends_with("_lang");
        let simple = cond.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        let replaced = (about_lang && simple).then(|| lang_shape(body)).flatten();
        match replaced {
            Some((keep, consumed)) => {
                out.push_str(keep);
                rest = &body[consumed..];
            }
            None => {
                out.push_str(IF);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// For the body of an `if` on a language: what to keep of it, and how
/// much of `body` the `if` spans, when it is one of [`specialise`]'s shapes.
fn lang_shape(body: &str) -> Option<(&str, usize)> {
    const ENDIF: &str = "{% endif %}";
    if let Some(attrs) = body.strip_prefix(" lang=\"") {
        let end = attrs.find(ENDIF)?;
        // Attributes only: no other tag or statement inside.
        if attrs[..end].contains("{%") || attrs[..end].contains('<') || attrs[..end].contains('>') {
            return None;
        }
        return Some(("", " lang=\"".len() + end + ENDIF.len()));
    }
    let span = body.strip_prefix("<span lang=\"")?;
    let open_end = span.find('>')?;
    if span[..open_end].contains("{%") {
        return None;
    }
    let inner = &span[open_end + 1..];
    let expr_end = inner.find("</span>{% else %}")?;
    let expr = &inner[..expr_end];
    if !expr.starts_with("{{ ") || !expr.ends_with(" }}") || expr.contains("{%") || expr.contains('<') {
        return None;
    }
    let tail = &inner[expr_end + "</span>{% else %}".len()..];
    let tail = tail.strip_prefix(expr)?.strip_prefix(ENDIF)?;
    let consumed = body.len() - tail.len();
    Some((expr, consumed))
}

#[cfg(test)]
mod tests {
    use super::specialise;

    #[test]
    fn french_root_pages_lose_only_the_lang_conditions() {
        let src = concat!(
            "<h1{% if contenu %} lang=\"{{ contenu.lang }}\" dir=\"{{ contenu.dir }}\"{% endif %}>{{ nom }}</h1>",
            "{% if a.lang %}<span lang=\"{{ a.lang }}\">{{ a.label }}</span>{% else %}{{ a.label }}{% endif %}",
            "{% if d.ouvert %}<span class=\"ouvert\">{{ d.texte }}</span>{% endif %}",
            "{% if c %}<span lang=\"{{ c.lang }}\">{{ x }}</span>{% else %}{{ y }}{% endif %}",
        );
        assert_eq!(
            specialise(src),
            concat!(
                "<h1>{{ nom }}</h1>{{ a.label }}",
                "{% if d.ouvert %}<span class=\"ouvert\">{{ d.texte }}</span>{% endif %}",
                "{% if c %}<span lang=\"{{ c.lang }}\">{{ x }}</span>{% else %}{{ y }}{% endif %}",
            )
        );
    }
}
