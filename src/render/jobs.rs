//! The job list: one job per page of the site, rendered once per published
//! language. A page kind is a [`Job`] variant: its template, its path
//! (from [`crate::site::urls`]), which scripts it runs, and the view its
//! template reads (from [`crate::pages`]). Adding a kind of page means a
//! view in `pages/`, a variant here, and its template in the theme.

use chrono::NaiveDate;
use tera::Context;

use super::common::Common;
use super::editions::Scripts;
use super::native::{self, Native};
use crate::model::{ACCESSIBILITE, Lieu, MENTIONS, Page, Site, Structure, Territoire};
use crate::pages::carte::{self, MapPaths, StaticMapView};
use crate::pages::coord::{self, GuidePage};
use crate::pages::{gerer, recherche, view};
use crate::site::index::{Commune, Index, LISTE_MAX, page_count, page_of};
use crate::site::urls;
use crate::text::i18n::Tr;
use crate::text::markdown;

pub(super) enum Job<'s> {
    Home,
    Structures,
    Territoire(&'s Territoire),
    /// A page of a structure's page (from 0; more than one past
    /// [`LISTE_MAX`] points).
    Structure(&'s Structure, usize),
    Lieu(&'s Lieu),
    Page(&'s Page),
    Mentions(&'s str),
    Accessibilite,
    NotFound,
    Coordination(&'s Territoire),
    Guide(&'s Territoire),
    /// The guide of one commune of a territory too large for one guide,
    /// in pages of [`LISTE_MAX`] points.
    GuidePartie(&'s Territoire, &'s Commune<'s>, usize),
    Besoins,
    Donnees,
    Recherche,
    HorsLigne,
    /// A page of a commune's page.
    Commune(&'s Commune<'s>, usize),
}

/// Every page of a language, the heavy ones (coordination pages and
/// guides) last.
pub(super) fn list<'s>(site: &'s Site, index: &'s Index<'s>) -> Vec<Job<'s>> {
    let c = &site.config;
    let mut jobs = vec![Job::Home, Job::Structures, Job::NotFound, Job::Recherche];
    if c.hors_ligne {
        jobs.push(Job::HorsLigne);
    }
    let pages = |n: usize| 0..page_count(n);
    jobs.extend(index.communes.iter().flat_map(|c| pages(c.lieux.len()).map(move |p| Job::Commune(c, p))));
    jobs.extend(site.territoires.iter().map(Job::Territoire));
    jobs.extend(
        site.structures.iter().flat_map(|s| pages(index.structure(&s.id).len()).map(move |p| Job::Structure(s, p))),
    );
    jobs.extend(site.lieux.iter().map(Job::Lieu));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.extend(c.mentions_legales.as_deref().map(Job::Mentions));
    jobs.extend([Job::Besoins, Job::Donnees, Job::Accessibilite]);
    jobs.extend(site.territoires.iter().flat_map(|t| [Job::Coordination(t), Job::Guide(t)]));
    jobs.extend(index.guide_parts().flat_map(|(t, c)| {
        let n = c.lieux.iter().filter(|l| l.territoires.contains(&t.id)).count();
        pages(n).map(move |p| Job::GuidePartie(t, c, p))
    }));
    jobs
}

impl Job<'_> {
    pub(super) fn template(&self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Structures => "structures.html",
            Job::NotFound => "404.html",
            Job::HorsLigne => "hors-ligne.html",
            Job::Recherche => "recherche.html",
            Job::Commune(..) => "commune.html",
            Job::Territoire(_) => "territoire.html",
            Job::Structure(..) => "structure.html",
            Job::Lieu(_) => "lieu.html",
            Job::Page(_) | Job::Mentions(_) => "page.html",
            Job::Accessibilite => "accessibilite.html",
            Job::Coordination(_) => "coordination.html",
            Job::Guide(_) | Job::GuidePartie(..) => "guide.html",
            Job::Besoins => "besoins.html",
            Job::Donnees => "donnees.html",
        }
    }

    /// The page's path from the root of its language's pages.
    pub(super) fn path(&self) -> String {
        match self {
            Job::Home => urls::ACCUEIL.into(),
            Job::Structures => urls::STRUCTURES.into(),
            Job::NotFound => urls::INTROUVABLE.into(),
            Job::HorsLigne => urls::HORS_LIGNE.into(),
            Job::Recherche => urls::RECHERCHE.into(),
            Job::Commune(c, p) => urls::nth(urls::commune("", &c.slug), p + 1),
            Job::Territoire(t) => urls::territoire("", &t.id),
            Job::Structure(s, p) => urls::nth(urls::structure("", &s.id), p + 1),
            Job::Lieu(l) => urls::lieu("", &l.id),
            Job::Page(p) => urls::page("", &p.id),
            Job::Mentions(_) => urls::page("", MENTIONS),
            Job::Accessibilite => urls::page("", ACCESSIBILITE),
            Job::Coordination(t) => urls::coordination("", &t.id),
            Job::Guide(t) => urls::guide("", &t.id),
            Job::GuidePartie(t, c, p) => urls::nth(urls::guide_partie("", &t.id, &c.slug), p + 1),
            Job::Besoins => urls::BESOINS.into(),
            Job::Donnees => urls::DONNEES_INDEX.into(),
        }
    }

    /// Served at any depth (404 in place of any missing page, the offline
    /// page in place of a page never visited): links start from the base
    /// URL's path instead of being relative.
    pub(super) fn standalone(&self) -> bool {
        matches!(self, Job::NotFound | Job::HorsLigne)
    }

    /// At the root of its language's pages, rather than one folder down.
    pub(super) fn top(&self) -> bool {
        matches!(self, Job::Home | Job::NotFound | Job::Recherche | Job::HorsLigne)
    }

    pub(super) fn scripts(&self) -> Scripts {
        match self {
            Job::Recherche => Scripts::Recherche,
            Job::Home | Job::Territoire(_) | Job::Lieu(_) => Scripts::Carte,
            _ => Scripts::Base,
        }
    }
}

/// What a page's view is made from besides its job.
pub(super) struct PageInputs<'a> {
    pub(super) site: &'a Site,
    pub(super) index: &'a Index<'a>,
    pub(super) today: NaiveDate,
    pub(super) root: &'a str,
    pub(super) site_root: &'a str,
    pub(super) tr: &'a Tr<'a>,
    pub(super) carte: MapPaths<'a>,
    /// What the search page holds inline, made on first use.
    pub(super) search: &'a dyn Fn() -> &'a SearchInline,
    /// The page's absolute address.
    pub(super) page_url: &'a str,
}

/// The search page's inline parts, the same in every language: the
/// index's settings ([`crate::files::search::meta`]) as JSON for a
/// script, and its first script (the theme's `static/recherche-amorce.js`)
/// with the hash source the page's policy allows it by.
#[derive(serde::Serialize)]
pub(crate) struct SearchInline {
    pub index: String,
    pub amorce: String,
    pub amorce_csp: String,
}

/// The theme's file holding the search page's first script, inlined in the
/// page rather than copied to `assets/`.
pub(crate) const AMORCE: &str = "recherche-amorce.js";

impl SearchInline {
    pub(crate) fn of(site: &Site, index: &Index<'_>, today: NaiveDate, amorce: &[u8]) -> SearchInline {
        let amorce = String::from_utf8_lossy(amorce).into_owned();
        SearchInline {
            index: crate::text::html::script_json(&crate::files::search::meta(site, index, today)),
            amorce_csp: crate::text::sha256::csp_source(&amorce),
            amorce,
        }
    }
}

/// The page written without Tera, when the default templates of its kind
/// are in use ([`Native`]); `None` for the pages Tera renders.
pub(super) fn native(job: &Job<'_>, on: &Native, common: &Common<'_>, x: &PageInputs<'_>) -> Option<String> {
    let (site, index, today, root, tr) = (x.site, x.index, x.today, x.root, x.tr);
    match job {
        Job::Lieu(l) if on.lieu => {
            let page = view::lieu_page(site, l, index.commune(&l.id).map(|c| c.slug.as_str()), today, root, tr);
            let jsonld = crate::files::export::lieu_jsonld(site, l, today);
            let carte = carte::point_map(site, index, l, &x.carte);
            let gerer = gerer::lieu(site, l, x.page_url, tr);
            let p = native::Lieu { page: &page, jsonld: &jsonld, carte: carte.as_ref(), gerer: gerer.as_ref() };
            Some(native::lieu(common, &p, tr))
        }
        Job::Commune(k, p) if on.commune => {
            Some(native::commune(common, &recherche::commune_page(site, k, *p, today, root, tr), tr))
        }
        Job::Structure(s, p) if on.structure => {
            let page = view::structure_page(site, s, index.structure(&s.id), *p, today, root, tr);
            Some(native::structure(common, &page, gerer::fiche(site, "structure", &s.origin).as_ref(), tr))
        }
        Job::Guide(_) | Job::GuidePartie(..) if on.guide => {
            guide(job, x).map(|(page, carte)| native::guide(common, &page, carte.as_ref(), tr))
        }
        Job::Coordination(t) if on.coordination => {
            let page = coord::coordination_page(site, t, index.territoire(&t.id), today, root, tr);
            Some(native::coordination(common, &page, tr))
        }
        _ => None,
    }
}

/// Adds the page's own view to the common context, for its template.
pub(super) fn context(job: &Job<'_>, ctx: &mut Context, x: &PageInputs<'_>) {
    let (site, index, today, root, tr) = (x.site, x.index, x.today, x.root, x.tr);
    match job {
        Job::Home => {
            ctx.insert("accueil", &view::home_page(site, index, root, tr));
            ctx.insert("carte", &carte::home_map(site, &x.carte));
        }
        Job::Structures => ctx.insert("structures", &view::structures_index(site, index, root, tr)),
        Job::NotFound | Job::HorsLigne => {}
        Job::Recherche => {
            ctx.insert("recherche", &recherche::recherche_page(site, &index.communes, root, tr));
            ctx.insert("carte", &carte::home_map(site, &x.carte));
            ctx.insert("recherche_inline", (x.search)());
        }
        Job::Commune(c, p) => ctx.insert("commune", &recherche::commune_page(site, c, *p, today, root, tr)),
        Job::Territoire(t) => {
            let lieux = index.territoire(&t.id);
            let slug = |l: &Lieu| index.commune(&l.id).map(|c| c.slug.as_str());
            let page = view::territoire_page(site, t, lieux, today, root, tr, &slug);
            // A summed-up page numbers no point, so has no static map.
            if !page.resume {
                ctx.insert("carte_statique", &carte::static_view(t, lieux, root, tr));
            }
            ctx.insert("territoire", &page);
            ctx.insert("gerer", &gerer::fiche(site, "territoire", &t.origin));
            ctx.insert("carte", &carte::territory_map(site, t, lieux, index, &x.carte));
        }
        Job::Structure(s, p) => {
            ctx.insert("structure", &view::structure_page(site, s, index.structure(&s.id), *p, today, root, tr));
            ctx.insert("gerer", &gerer::fiche(site, "structure", &s.origin));
        }
        Job::Lieu(l) => {
            ctx.insert(
                "lieu",
                &view::lieu_page(site, l, index.commune(&l.id).map(|c| c.slug.as_str()), today, root, tr),
            );
            ctx.insert("jsonld_script", &crate::files::export::lieu_jsonld(site, l, today));
            ctx.insert("carte", &carte::point_map(site, index, l, &x.carte));
            ctx.insert("gerer", &gerer::lieu(site, l, x.page_url, tr));
        }
        Job::Page(p) => {
            ctx.insert("titre", &p.titre);
            ctx.insert("titre_contenu", &true);
            ctx.insert("description", &p.description);
            ctx.insert("contenu_html", &markdown::render(&p.contenu, 2));
        }
        Job::Mentions(md) => {
            ctx.insert("titre", tr.text("menu.mentions_legales"));
            ctx.insert("titre_contenu", &false);
            ctx.insert("description", &None::<String>);
            ctx.insert("contenu_html", &markdown::render(md, 2));
        }
        Job::Accessibilite => ctx.insert("mentions", &site.config.mentions_legales.is_some()),
        Job::Coordination(t) => {
            ctx.insert("coordination", &coord::coordination_page(site, t, index.territoire(&t.id), today, root, tr));
        }
        Job::Guide(_) | Job::GuidePartie(..) => {
            if let Some((page, carte)) = guide(job, x) {
                // A guide in one part has the static map numbering its points.
                if let Some(carte) = carte {
                    ctx.insert("carte_statique", &carte);
                }
                ctx.insert("guide", &page);
            }
        }
        Job::Besoins => ctx.insert("territoires", &coord::besoins_page(site, index, root, tr)),
        Job::Donnees => {
            let page = coord::donnees_page(site, &crate::files::export::FORMAT, root, x.site_root, tr);
            ctx.insert("donnees", &page);
        }
    }
}

/// A territory's guide, or one commune's part of a large territory's, with
/// the static map of a guide in one part.
fn guide(job: &Job<'_>, x: &PageInputs<'_>) -> Option<(GuidePage, Option<StaticMapView>)> {
    let (site, index, today, root, tr) = (x.site, x.index, x.today, x.root, x.tr);
    match *job {
        Job::Guide(t) => {
            let lieux = index.territoire(&t.id);
            let (parties, carte) = if lieux.len() > LISTE_MAX {
                let slug = |l: &Lieu| index.commune(&l.id).map(|c| c.slug.as_str());
                let href = |k: &str| urls::guide_partie(root, &t.id, k);
                (view::commune_counts(lieux, &slug, &href), None)
            } else {
                (Vec::new(), Some(carte::static_view(t, lieux, root, tr)))
            };
            Some((coord::guide_page(site, t, lieux, today, root, tr, parties, None, None), carte))
        }
        Job::GuidePartie(t, k, p) => {
            let lieux: Vec<&Lieu> = k.lieux.iter().copied().filter(|l| l.territoires.contains(&t.id)).collect();
            let pagination = view::pagination(lieux.len(), p, &urls::guide_partie(root, &t.id, &k.slug));
            let page = page_of(&lieux, p);
            Some((coord::guide_page(site, t, page, today, root, tr, Vec::new(), Some(&k.nom), pagination), None))
        }
        _ => None,
    }
}
