//! What every page of a language shows besides its own content: the
//! site's settings, the footer menu, the build date, the language switch.
//! Made once per language ([`Shared`]), then borrowed by each page's
//! [`Common`] context.

use chrono::NaiveDate;
use serde::Serialize;

use super::editions::{self, Edition};
use crate::model::{ACCESSIBILITE, MENTIONS, Site};
use crate::pages::view;
use crate::site::urls;
use crate::text::html::{Html, escape_html};
use crate::text::i18n::Tr;

/// What every template gets.
#[derive(Serialize)]
pub(super) struct Common<'a> {
    pub(super) site: SiteView<'a>,
    /// Prefix from the current page to the root of its language's pages:
    /// `""` or `"../"`. Links to pages start with it.
    pub(super) root: &'a str,
    /// Prefix from the current page to the site root, where the files every
    /// language shares are (`assets/`, `donnees/`, `recherche/`): the same
    /// as `root` for the site's language, one `../` more for the others.
    pub(super) site_root: &'a str,
    pub(super) menu: &'a [MenuItem],
    pub(super) genere_le: &'a str,
    pub(super) genere_le_iso: &'a str,
    /// The page's language.
    pub(super) langue: editions::LangView<'a>,
    /// Every version of the page, this one included, for the language
    /// switch; empty when the site publishes one language.
    pub(super) langues: Vec<editions::Version<'a>>,
    /// Whether the versions are also `hreflang` alternates: not on the
    /// pages served at any depth (404, offline), whose versions are the
    /// home pages.
    pub(super) alternates: bool,
    /// The language of content (names, descriptions, pages) when it
    /// differs from the page's; `None` on pages in the language of the
    /// content.
    pub(super) contenu: Option<editions::ContenuView<'a>>,
    /// What the page's scripts say, as JSON for a data block (escaped by
    /// `text::html::script_json`); empty when the page runs no script.
    pub(super) textes_js: &'a str,
    /// « Aujourd’hui (samedi 28 novembre) : » of every point in a list.
    pub(super) aujourdhui: &'a str,
    /// The footer's « Informations publiées le … » with its `<time>`, made
    /// once per language by `Tr::html`.
    pub(super) publie_le_html: &'a Html,
}

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) titre: &'a str,
    pub(super) description: &'a str,
    pub(super) url: &'a str,
    pub(super) langue: &'a str,
    pub(super) exemple: bool,
    pub(super) hors_ligne: bool,
    pub(super) contact_nom: Option<&'a str>,
    pub(super) contact_courriel: Option<&'a str>,
    pub(super) contact_telephone: Option<view::Phone>,
    pub(super) licence_donnees: Option<&'a str>,
}

/// A link of the footer menu. Pages written by volunteers keep the
/// language of the content (`lang`), the others are the interface's.
#[derive(Debug, Serialize)]
pub(super) struct MenuItem {
    pub href: String,
    pub text: String,
    pub lang: Option<String>,
}

/// What the pages of one language share, made once.
pub(super) struct Shared {
    /// The footer menu from a page at the root of the language's pages,
    /// and from a page one folder down.
    pub(super) menus: [Vec<MenuItem>; 2],
    pub(super) genere_le: String,
    pub(super) publie_le: Html,
    pub(super) aujourdhui: String,
    /// The language's root from the base URL's path, for the pages served
    /// at any depth (404, offline).
    pub(super) base_root: String,
}

impl Shared {
    pub(super) fn of(site: &Site, edition: &Edition<'_>, today: NaiveDate, genere_le_iso: &str, base: &str) -> Shared {
        let tr = &edition.tr;
        let genere_le = tr.date(today);
        let time = format!("<time datetime=\"{genere_le_iso}\">{}</time>", escape_html(&genere_le));
        let publie_le = tr.html("commun.publie_le", &[("date", &time, true)]);
        let (jour, date) = (tr.day(chrono::Datelike::weekday(&today)), tr.day_month(today));
        let aujourdhui = tr.format("carte_lieu.aujourdhui", &[("jour", jour), ("date", &date)]);
        Shared {
            menus: [menu(site, "", tr), menu(site, "../", tr)],
            genere_le,
            publie_le,
            aujourdhui,
            base_root: format!("{base}{}", edition.prefix),
        }
    }
}

pub(super) fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        titre: &c.titre,
        description: &c.description,
        url: &c.url,
        langue: &c.langue,
        exemple: c.exemple,
        hors_ligne: c.hors_ligne,
        contact_nom: c.contact.as_ref().and_then(|x| x.nom.as_deref()),
        contact_courriel: c.contact.as_ref().and_then(|x| x.courriel.as_deref()),
        contact_telephone: c.contact.as_ref().and_then(|x| {
            let t = x.telephone.as_ref()?;
            Some(view::Phone { text: t.clone(), href: format!("tel:{}", crate::text::format::phone_link(t)?) })
        }),
        licence_donnees: c.licence_donnees.as_deref(),
    }
}

/// The footer menu, from a page at `root`: the site's pages, then the
/// pages every site has.
fn menu(site: &Site, root: &str, tr: &Tr<'_>) -> Vec<MenuItem> {
    let content = tr.contenu_lang().map(String::from);
    let item =
        |href: String, key: &str| MenuItem { href, text: tr.text(key).into(), lang: tr.lang_of(key).map(String::from) };
    let mut m: Vec<MenuItem> = site
        .pages
        .iter()
        .map(|p| MenuItem { href: urls::page(root, &p.id), text: p.titre.clone(), lang: content.clone() })
        .collect();
    m.push(item(format!("{root}{}", urls::STRUCTURES), "menu.structures"));
    m.push(item(format!("{root}{}", urls::BESOINS), "menu.besoins"));
    m.push(item(format!("{root}{}", urls::DONNEES_INDEX), "menu.donnees"));
    if site.config.mentions_legales.is_some() {
        m.push(item(urls::page(root, MENTIONS), "menu.mentions_legales"));
    }
    m.push(item(urls::page(root, ACCESSIBILITE), "menu.accessibilite"));
    m
}

/// The path part of the base URL: `https://exemple.org/annuaire/` → `/annuaire/`.
pub(super) fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Where a page is, for its links: its job's place and its language.
pub(super) struct Place<'a> {
    /// Prefix to the root of the language's pages.
    pub(super) root: &'a str,
    /// Prefix to the site root.
    pub(super) site_root: String,
    pub(super) menu: &'a [MenuItem],
}

impl<'a> Place<'a> {
    /// `standalone` pages are served at any depth, so their links start
    /// from the base URL's path; `top` pages are at the root of their
    /// language's pages, the others one folder down.
    pub(super) fn of(standalone: bool, top: bool, edition: &Edition<'_>, shared: &'a Shared, base: &str) -> Place<'a> {
        if standalone {
            return Place { root: &shared.base_root, site_root: base.to_string(), menu: &shared.menus[0] };
        }
        let depth = usize::from(!top);
        let site_root = "../".repeat(depth + usize::from(!edition.prefix.is_empty()));
        Place { root: if top { "" } else { "../" }, site_root, menu: &shared.menus[depth] }
    }
}
