//! data·inclusion round trip: the sample site's export, imported into an
//! empty site that has the same settings and territories, gives back the
//! same points, structures, hours and vocabularies.

use std::path::Path;

use alimap::content::{load, parse};
use alimap::import::{Options, run};
use alimap::model::vocab::Vocabulary;

use crate::support::{build_site, copy_dir, repo};

fn parsed(root: &Path) -> parse::Parsed {
    let (sources, _) = load::load(root);
    parse::parse(&sources).0
}

/// A phone number's digits, national form: `+33 1 48…` and `01 48…` alike.
fn phone(p: Option<&str>) -> Option<String> {
    let digits: String = p?.chars().filter(char::is_ascii_digit).collect();
    Some(match digits.strip_prefix("33") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    })
}

/// The export's text of each record, by id: what the export turned
/// Markdown into (data·inclusion's texts are plain).
fn texts(path: &Path) -> std::collections::HashMap<String, String> {
    let records: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    records
        .iter()
        .filter_map(|r| Some((r["id"].as_str()?.to_string(), r["description"].as_str()?.to_string())))
        .collect()
}

fn sorted(mut v: Vec<&'static str>) -> Vec<&'static str> {
    v.sort_unstable();
    v
}

fn values<T: Vocabulary>(v: &[T]) -> Vec<&'static str> {
    v.iter().map(|x| x.value()).collect()
}

#[test]
fn the_sample_sites_export_comes_back_the_same() {
    let built = build_site(&repo());
    let donnees = built.out().join("donnees");

    // An empty site, as a territory starting with alimap would have it.
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    copy_dir(&repo().join("content/territoires"), &content.join("territoires"));

    let report = run(&Options {
        root: site.path().to_path_buf(),
        files: vec![donnees.join("structures.json"), donnees.join("services.json")],
        ..Options::default()
    })
    .unwrap();
    assert!(report.refused.is_empty(), "{}", report.render());

    let structure_texts = texts(&donnees.join("structures.json"));
    let service_texts = texts(&donnees.join("services.json"));
    let before = parsed(&repo());
    let after = parsed(site.path());
    assert_eq!(after.structures.len(), before.structures.len());
    assert_eq!(after.lieux.len(), before.lieux.len());

    for s in &before.structures {
        let t = after.structures.iter().find(|t| t.id == s.id).unwrap_or_else(|| panic!("structure {} lost", s.id));
        assert_eq!(t.nom, s.nom, "{}", s.id);
        assert_eq!(t.date_maj, s.date_maj, "{}", s.id);
        assert_eq!(t.site_web, s.site_web, "{}", s.id);
        assert_eq!(t.courriel, s.courriel, "{}", s.id);
        assert_eq!(t.siret, s.siret, "{}", s.id);
        assert_eq!(t.reseaux_porteurs, s.reseaux_porteurs, "{}", s.id);
        assert_eq!(phone(t.telephone.as_deref()), phone(s.telephone.as_deref()), "{}", s.id);
        // data·inclusion has no kind of structure: a CCAS says so by its
        // network, the others are associations to check.
        if s.reseaux_porteurs.iter().any(|r| r == "ccas-cias") {
            assert_eq!(t.type_, s.type_, "{}", s.id);
        }
        // The presentation comes back as the export's text (not Markdown).
        assert_eq!(t.presentation.as_deref().map(str::trim), structure_texts.get(&s.id).map(|p| p.trim()), "{}", s.id);
    }

    for l in &before.lieux {
        let m = after.lieux.iter().find(|m| m.id == l.id).unwrap_or_else(|| panic!("point {} lost", l.id));
        let id = &l.id;
        assert_eq!(m.nom, l.nom, "{id}");
        assert_eq!(m.structure, l.structure, "{id}");
        // The import writes vocabularies in their own order.
        assert_eq!(sorted(values(&m.services)), sorted(values(&l.services)), "{id}");
        assert_eq!(m.adresse.adresse, l.adresse.adresse, "{id}");
        assert_eq!(m.adresse.complement_adresse, l.adresse.complement_adresse, "{id}");
        assert_eq!(m.adresse.code_postal, l.adresse.code_postal, "{id}");
        assert_eq!(m.adresse.commune, l.adresse.commune, "{id}");
        assert_eq!(m.adresse.code_insee, l.adresse.code_insee, "{id}");
        assert_eq!((m.latitude, m.longitude), (l.latitude, l.longitude), "{id}");
        assert_eq!(m.horaires.as_ref().map(|h| &h.texte), l.horaires.as_ref().map(|h| &h.texte), "{id}");
        assert_eq!(sorted(values(&m.acces)), sorted(values(&l.acces)), "{id}");
        assert_eq!(m.conditions_acces, l.conditions_acces, "{id}");
        assert_eq!(m.justificatifs, l.justificatifs, "{id}");
        assert_eq!(m.frais, l.frais, "{id}");
        assert_eq!(m.frais_precisions, l.frais_precisions, "{id}");
        assert_eq!(sorted(values(&m.publics)), sorted(values(&l.publics)), "{id}");
        assert_eq!(m.publics_precisions, l.publics_precisions, "{id}");
        assert_eq!(phone(m.telephone.as_deref()), phone(l.telephone.as_deref()), "{id}");
        assert_eq!(m.courriel, l.courriel, "{id}");
        assert_eq!(m.date_maj, l.date_maj, "{id}");
        // The description comes back as the export's text, after the kinds
        // and conditions the export wrote at its head.
        let text = service_texts[id].split_once("\n\n").map(|(_, rest)| rest.trim());
        assert_eq!(m.description.as_deref().map(str::trim), text, "{id}");
    }

    // A second import of the same export changes nothing.
    let again = run(&Options {
        root: site.path().to_path_buf(),
        files: vec![donnees.join("structures.json"), donnees.join("services.json")],
        ..Options::default()
    })
    .unwrap();
    assert_eq!(again.lieux.written + again.lieux.updated, 0, "{}", again.render());
    assert_eq!(again.lieux.unchanged, before.lieux.len());
}

#[test]
fn another_sources_export_links_points_to_their_structures() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    copy_dir(&repo().join("content/territoires"), &content.join("territoires"));
    let dir = crate::support::fixture("import/data-inclusion");

    // Services alone: their structure is nowhere, the point is refused.
    let alone =
        run(&Options { root: site.path().to_path_buf(), files: vec![dir.join("services.json")], ..Options::default() })
            .unwrap();
    assert_eq!(alone.lieux.written, 0);
    assert_eq!(alone.refused.len(), 1, "{}", alone.render());
    assert!(alone.refused[0].reason.contains("importez structures.json avec services.json"));

    let report = run(&Options {
        root: site.path().to_path_buf(),
        files: vec![dir.join("structures.json"), dir.join("services.json")],
        ..Options::default()
    })
    .unwrap();
    assert!(report.refused.is_empty(), "{}", report.render());
    // The digital workshop is not food aid: one point only.
    assert_eq!((report.structures.written, report.lieux.written), (1, 1), "{}", report.render());

    let after = parsed(site.path());
    let s = &after.structures[0];
    assert_eq!(s.id, "entraide-du-bailly");
    assert_eq!(s.reseaux_porteurs, ["secours-populaire"]);
    assert_eq!(s.date_maj.to_string(), "2026-05-12");
    let l = &after.lieux[0];
    assert_eq!(l.id, "colis-alimentaire-du-lundi");
    assert_eq!(l.structure, "entraide-du-bailly");
    assert_eq!(values(&l.services), ["colis-alimentaire"]);
    assert_eq!(values(&l.acces), ["orientation"]);
    assert_eq!(values(&l.publics), ["familles"]);
    assert_eq!(l.publics_precisions.as_deref(), Some("hommes-seuls"));
    assert_eq!(l.horaires.as_ref().map(|h| h.texte.as_str()), Some("Mo 09:00-12:00; PH off"));
    assert_eq!(l.date_maj.to_string(), "2026-05-12");
    // What was deduced is marked in the files.
    let structure = std::fs::read_to_string(content.join("structures/entraide-du-bailly.toml")).unwrap();
    assert!(structure.contains("# à vérifier"), "{structure}");
    let point = std::fs::read_to_string(
        crate::import::lieu_file(content.parent().unwrap(), "colis-alimentaire-du-lundi").unwrap(),
    )
    .unwrap();
    assert!(point.contains("# à vérifier : condition d’accès déduite de data·inclusion"), "{point}");
}
