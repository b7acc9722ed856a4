//! The search page's form and browsing without JavaScript, and each
//! commune's page, which replaces search when scripts are off.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Site;
use crate::model::vocab::{self, Public, Regime, Service, Vocabulary};
use crate::pages::view::{self, Label, Link};
use crate::site::index::{self, Commune};
use crate::site::urls;
use crate::text::i18n::Tr;

#[derive(Serialize)]
pub(crate) struct CommuneItem {
    pub href: String,
    pub nom: String,
    pub codes_postaux: String,
    pub nombre_lieux: usize,
}

#[derive(Serialize)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

/// The search page: the form's choices, and browsing without JavaScript.
#[derive(Serialize)]
pub(crate) struct RecherchePage {
    pub services: Vec<Label>,
    pub publics: Vec<Label>,
    pub regimes: Vec<Label>,
    pub langues: Vec<Choice>,
    pub territoires: Vec<Link>,
    pub communes: Vec<CommuneItem>,
}

fn present<T: Vocabulary + PartialEq>(used: impl Fn(&T) -> bool, tr: &Tr<'_>) -> Vec<Label> {
    T::ALL.iter().filter(|v| used(v)).map(|v| view::label(*v, tr)).collect()
}

pub(crate) fn recherche_page(site: &Site, communes: &[Commune<'_>], root: &str, tr: &Tr<'_>) -> RecherchePage {
    let langues: BTreeSet<&str> = site.lieux.iter().flat_map(|l| l.langues.iter().map(String::as_str)).collect();
    RecherchePage {
        services: present::<Service>(|s| site.lieux.iter().any(|l| l.services.contains(s)), tr),
        publics: present::<Public>(|p| site.lieux.iter().any(|l| l.publics.contains(p)), tr),
        regimes: present::<Regime>(|r| site.lieux.iter().any(|l| l.regimes.contains(r)), tr),
        langues: langues
            .iter()
            .map(|c| Choice { value: c.to_string(), label: vocab::langue_label(c).unwrap_or(c).to_string() })
            .collect(),
        territoires: site
            .territoires
            .iter()
            .map(|t| Link { href: urls::territoire(root, &t.id), text: t.nom.clone() })
            .collect(),
        communes: communes
            .iter()
            .map(|c| CommuneItem {
                href: urls::commune(root, &c.slug),
                nom: c.nom.clone(),
                codes_postaux: c.codes_postaux.join(", "),
                nombre_lieux: c.lieux.len(),
            })
            .collect(),
    }
}

/// A commune's page: all its points by kind of help, for browsing without
/// JavaScript.
#[derive(Serialize)]
pub(crate) struct CommunePage {
    pub nom: String,
    pub codes_postaux: String,
    pub nombre: usize,
    /// The points of this page, by kind of help.
    pub groupes: Vec<view::ServiceGroup>,
    pub pagination: Option<view::Pagination>,
}

/// Page `page` (from 0) of a commune's page: its points by name,
/// [`crate::site::index::LISTE_MAX`] a page, grouped by kind of help.
pub(crate) fn commune_page(
    site: &Site,
    c: &Commune<'_>,
    page: usize,
    today: NaiveDate,
    root: &str,
    tr: &Tr<'_>,
) -> CommunePage {
    CommunePage {
        nom: c.nom.clone(),
        codes_postaux: c.codes_postaux.join(", "),
        nombre: c.lieux.len(),
        groupes: view::service_groups(site, index::page_of(&c.lieux, page), today, root, tr),
        pagination: view::pagination(c.lieux.len(), page, &urls::commune(root, &c.slug)),
    }
}
