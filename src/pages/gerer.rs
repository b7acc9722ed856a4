//! The end of point, structure and territory pages, for the people who
//! keep them right (`gerer.html`): « Modifier cette fiche », the forge's
//! web editor on the page's own file, when the site names its repository
//! (`[depot]`); and on a point's page « Signaler une erreur », a new issue
//! on the forge, or without a repository an e-mail to the site's contact,
//! prefilled with the point, its page and its file. Links only: nothing is
//! sent until the visitor sends it.

use serde::Serialize;

use crate::model::{Lieu, Origin, Site};
use crate::site::forge;
use crate::text::i18n::Tr;

#[derive(Serialize)]
pub(crate) struct Gerer {
    /// `lieu`, `structure` or `territoire`: whom the block speaks to.
    pub genre: &'static str,
    pub modifier: Option<String>,
    pub signaler: Option<String>,
}

/// A point's block; `page_url`, the page's address, goes into the report.
/// `None` when the site has neither a repository nor a contact e-mail.
pub(crate) fn lieu(site: &Site, l: &Lieu, page_url: &str, tr: &Tr<'_>) -> Option<Gerer> {
    let depot = site.config.depot.as_ref();
    let fichier = forge::file_path(depot, &l.origin.file);
    let titre = tr.format("gerer.signalement_titre", &[("nom", &l.nom)]);
    let args = [("nom", l.nom.as_str()), ("commune", &l.adresse.commune), ("page", page_url), ("fichier", &fichier)];
    let corps = tr.format("gerer.signalement_corps", &args);
    let signaler = match depot {
        Some(d) => Some(forge::new_issue(d, &titre, &corps)),
        None => {
            let courriel = site.config.contact.as_ref().and_then(|c| c.courriel.as_deref());
            courriel.map(|c| forge::mailto(c, &titre, &corps))
        }
    };
    let modifier = depot.map(|d| forge::edit(d, &l.origin.file));
    signaler.is_some().then_some(Gerer { genre: "lieu", modifier, signaler })
}

/// A structure's or a territory's block: the editor on its file, when the
/// site has a repository.
pub(crate) fn fiche(site: &Site, genre: &'static str, origin: &Origin) -> Option<Gerer> {
    let d = site.config.depot.as_ref()?;
    Some(Gerer { genre, modifier: Some(forge::edit(d, &origin.file)), signaler: None })
}
