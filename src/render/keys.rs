//! The fingerprints of what a page shows, for `alimap serve`'s memo: a page
//! whose inputs did not change since the last build is taken as it was,
//! before its context is even built.
//!
//! A point page shows the point, its structure and its territories (their
//! point counts choose its map); a structure's page the structure and its
//! points; a commune's its points, and so does one commune's part of a
//! large territory's guide. A territory's page, coordination page and guide
//! show the territory, its points and the structures. Other pages are
//! keyed by their whole context ([`super::memo::Memo::key`]).

use std::collections::HashMap;

use rayon::prelude::*;

use super::jobs::Job;
use crate::files::kept::{Fingerprint, inputs_key};
use crate::model::{Lieu, Site};
use crate::site::index::Index;

pub(super) struct Keys<'a> {
    site: &'a Site,
    index: &'a Index<'a>,
    /// What every page of a language shows besides its own items, by
    /// language: settings, menu, build date and language (the templates and
    /// translation files are checked by `Memo::start`).
    shared: Vec<Fingerprint>,
    /// Each point's own fingerprint, once, for the keys of the pages that
    /// list it. A point is read from its file alone (`Origin` carries a
    /// fingerprint of its text); validation adds its territories.
    points: HashMap<&'a str, Fingerprint>,
    /// Each structure's too (read from its file alone, like a point).
    structures: HashMap<&'a str, Fingerprint>,
    /// One of them all: a territory's pages show its points' structures
    /// and its coordination's members, with their needs, and a structure
    /// is rarely edited.
    all_structures: Fingerprint,
}

impl<'a> Keys<'a> {
    /// `shared`: each language's fingerprint of what all its pages show.
    pub(super) fn new(site: &'a Site, index: &'a Index<'a>, shared: Vec<Fingerprint>) -> Keys<'a> {
        let points = site.lieux.par_iter().map(|l| (l.id.as_str(), inputs_key(&[&l.origin, &l.territoires]))).collect();
        let structures: HashMap<&str, Fingerprint> =
            site.structures.par_iter().map(|s| (s.id.as_str(), inputs_key(&[&s.origin]))).collect();
        let all: Vec<_> = site.structures.iter().map(|s| structures.get(s.id.as_str())).collect();
        let all_structures = inputs_key(&[&all]);
        Keys { site, index, shared, points, structures, all_structures }
    }

    /// A point's export records and search index entry show the point,
    /// its structure and the site's settings (and the build date).
    pub(super) fn record(&self, l: &Lieu) -> Fingerprint {
        let (point, structure) = (self.points.get(l.id.as_str()), self.structures.get(l.structure.as_str()));
        inputs_key(&[&self.shared.first(), &point, &structure])
    }

    /// The key of a page in language `e`, for the pages keyed by their
    /// inputs.
    pub(super) fn page(&self, e: usize, job: &Job<'_>) -> Option<Fingerprint> {
        let (site, index, shared) = (self.site, self.index, &self.shared[e]);
        let point = |l: &Lieu| self.points.get(l.id.as_str());
        // The cards of points name their structures.
        let card = |l: &&Lieu| (point(l), site.structure(&l.structure).map(|s| &s.nom));
        Some(match job {
            Job::Lieu(l) => {
                let territoires: Vec<(&str, usize)> = l
                    .territoires
                    .iter()
                    .map(|id| (site.territoire(id).map_or("", |t| t.nom.as_str()), index.territoire(id).len()))
                    .collect();
                inputs_key(&[shared, &point(l), &self.structures.get(l.structure.as_str()), &territoires])
            }
            // A page of a list cut into pages shows its points and links
            // to the others: the page's number and every point.
            Job::Structure(st, page) => {
                let points: Vec<_> = index.structure(&st.id).iter().map(|l| point(l)).collect();
                inputs_key(&[shared, st, &points, page])
            }
            Job::Commune(c, page) => {
                let points: Vec<_> = c.lieux.iter().map(card).collect();
                inputs_key(&[shared, &c.nom, &c.codes_postaux, &points, page])
            }
            Job::GuidePartie(t, c, page) => {
                // The commune's points in the territory, and the territory's
                // coordination.
                let points: Vec<_> = c.lieux.iter().filter(|l| l.territoires.contains(&t.id)).map(card).collect();
                inputs_key(&[shared, &t.nom, &t.coordination, &c.nom, &points, &self.all_structures, page])
            }
            Job::Territoire(t) | Job::Coordination(t) | Job::Guide(t) => {
                // Each point with its number in the search index (which
                // names the popup blocks the territory's map keeps offline)
                // and its commune's page.
                let points: Vec<_> = index
                    .territoire(&t.id)
                    .iter()
                    .map(|l| (point(l), index.number(&l.id), index.commune(&l.id).map(|c| &c.slug)))
                    .collect();
                inputs_key(&[shared, t, &points, &self.all_structures])
            }
            _ => return None,
        })
    }
}
