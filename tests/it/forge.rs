//! `[depot]` in `site.toml`: « Modifier cette fiche » on every point,
//! structure and territory page, to the forge's editor on the page's own
//! file; « Signaler une erreur » on every point page, a prefilled issue on
//! the forge, or without a repository a prefilled e-mail to the site's
//! contact; and the addresses `check` refuses.

use std::path::{Path, PathBuf};

use alimap::build::{Options, build};
use alimap::diagnostic::{Severity, render_all};

use crate::support::*;

/// The sample site with `extra` appended to its `site.toml` (`None`:
/// without its `[contact]` section).
fn sample_with(extra: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    let path = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = match extra {
        Some(extra) => format!("{text}\n{extra}"),
        None => cut_section(&text, "[contact]"),
    };
    std::fs::write(&path, text).unwrap();
    dir
}

fn cut_section(text: &str, header: &str) -> String {
    let (before, after) = text.split_once(header).unwrap();
    let rest = after.find("\n[").map_or("", |i| &after[i..]);
    format!("{before}{rest}")
}

/// Every item file of the site at `root` under `content/<folder>/`, as
/// (id, path relative to `root`).
fn items(root: &Path, folder: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(root.join("content").join(folder))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| {
            let id = e.path().file_stem().unwrap().to_string_lossy().into_owned();
            (id, e.path().strip_prefix(root).unwrap().to_path_buf())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no {folder}");
    out
}

/// The `href` of every link of `page` that starts with `prefix`, HTML
/// character references undone.
fn links(page: &str, prefix: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|href| href.starts_with(prefix))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The query's values by name, decoded.
fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').unwrap().1;
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn value<'q>(q: &'q [(String, String)], name: &str) -> &'q str {
    &q.iter().find(|(k, _)| k == name).unwrap_or_else(|| panic!("no {name} in {q:?}")).1
}

fn nom(root: &Path, file: &Path) -> String {
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
    table["nom"].as_str().unwrap().to_string()
}

/// Checks every page of a site built with a repository: `edit` is the
/// editor's address up to the file's path, `dossier` the site's folder in
/// the repository; `issue` the new issue form and its title and text's
/// parameter names.
fn check_repository_links(root: &Path, edit: &str, dossier: &str, issue: (&str, &str, &str)) {
    let built = build_site(root);
    assert!(built.report.summary.is_some(), "{}", built.diagnostics());
    let edited = |page: &str, what: &str| -> PathBuf {
        let found = links(page, edit);
        assert_eq!(found.len(), 1, "{what}: one edit link to {edit}…, found {found:?}");
        let in_repo = percent_decode(&found[0][edit.len()..]);
        let rel = in_repo.strip_prefix(dossier).unwrap_or_else(|| panic!("{in_repo} outside {dossier}"));
        assert!(root.join(rel).is_file(), "{what}: {rel} is no file of the site");
        PathBuf::from(rel)
    };
    for (folder, page_of) in [("structures", "structures"), ("territoires", "territoires")] {
        for (id, file) in items(root, folder) {
            let page = built.read(&format!("{page_of}/{id}.html"));
            assert_eq!(edited(&page, &id), file);
            assert!(page.contains("class=\"gerer\""), "{id}");
        }
    }
    for (id, file) in items(root, "lieux") {
        let page = built.read(&format!("lieux/{id}.html"));
        assert_eq!(edited(&page, &id), file);
        assert!(page.contains(">Modifier cette fiche</a>") && page.contains("Vous gérez ce lieu ?"), "{id}");
        let reports = links(&page, issue.0);
        assert_eq!(reports.len(), 1, "{id}: {reports:?}");
        assert!(page.contains(">Signaler une erreur</a>"), "{id}");
        let q = query(&reports[0]);
        let (nom, body) = (nom(root, &file), value(&q, issue.2));
        assert!(value(&q, issue.1).contains(&nom), "{id}: {q:?}");
        assert!(body.contains(&nom), "{id}: {body}");
        assert!(body.contains(&format!("https://exemple.alimap.fr/lieux/{id}.html")), "{id}: {body}");
        assert!(body.contains(&format!("{dossier}{}", file.to_string_lossy())), "{id}: {body}");
        assert!(body.contains("Fermé définitivement ?") && body.contains("Horaires ?"), "{id}: {body}");
        assert!(!page.contains("mailto:annuaire@exemple.org?"), "{id}: the forge replaces the e-mail");
    }
    // The other languages: their words, the same file, their page's address.
    let (id, _) = &items(root, "lieux")[0];
    let page = built.read(&format!("en/lieux/{id}.html"));
    assert!(page.contains(">Report an error</a>") && page.contains(">Edit this entry</a>"), "{page}");
    let body = query(&links(&page, issue.0)[0]).into_iter().find(|(k, _)| k == issue.2).unwrap().1;
    assert!(body.contains(&format!("https://exemple.alimap.fr/en/lieux/{id}.html")), "{body}");
    let page = built.read(&format!("ar/lieux/{id}.html"));
    assert!(page.contains(">الإبلاغ عن خطأ</a>"), "{page}");
}

#[test]
fn with_a_github_repository_every_page_links_to_its_file_and_every_point_to_an_issue() {
    let dir =
        sample_with(Some("[depot]\nadresse = \"https://github.com/collectif-93/annuaire\"\nbranche = \"publie\"\n"));
    check_repository_links(
        dir.path(),
        "https://github.com/collectif-93/annuaire/edit/publie/",
        "",
        ("https://github.com/collectif-93/annuaire/issues/new?", "title", "body"),
    );
}

#[test]
fn a_self_hosted_gitlab_and_a_site_in_a_subfolder() {
    let depot = "[depot]\nadresse = \"https://forge.exemple.org/reseau/idf/annuaire/\"\nforge = \"gitlab\"\ndossier = \"sites/93/\"\n";
    let dir = sample_with(Some(depot));
    check_repository_links(
        dir.path(),
        "https://forge.exemple.org/reseau/idf/annuaire/-/edit/main/",
        "sites/93/",
        ("https://forge.exemple.org/reseau/idf/annuaire/-/issues/new?", "issue[title]", "issue[description]"),
    );
    // Any host but github.com is a GitLab (gitlab.com, framagit.org…)
    // unless `forge` says otherwise.
    for (depot, edit) in [
        ("adresse = \"https://framagit.org/collectif/annuaire\"", "https://framagit.org/collectif/annuaire/-/edit/"),
        (
            "adresse = \"https://git.exemple.org/collectif/annuaire\"\nforge = \"github\"",
            "https://git.exemple.org/collectif/annuaire/edit/",
        ),
    ] {
        let dir = sample_with(Some(&format!("[depot]\n{depot}\n")));
        let built = build_site(dir.path());
        let (id, _) = &items(dir.path(), "structures")[0];
        let page = built.read(&format!("structures/{id}.html"));
        assert_eq!(links(&page, &format!("{edit}main/content/structures/{id}.toml")).len(), 1, "{depot}");
    }
}

#[test]
fn without_a_repository_a_point_is_reported_by_e_mail_and_nothing_else_links_out() {
    let dir = sample_with(Some(""));
    let root = dir.path();
    let built = build_site(root);
    for (id, file) in items(root, "lieux") {
        let page = built.read(&format!("lieux/{id}.html"));
        let mails = links(&page, "mailto:annuaire@exemple.org?");
        assert_eq!(mails.len(), 1, "{id}");
        let q = query(&mails[0]);
        let nom = nom(root, &file);
        assert!(value(&q, "subject").contains(&nom), "{id}: {q:?}");
        let body = value(&q, "body");
        assert!(body.contains(&nom) && body.contains(&format!("lieux/{id}.html")), "{id}: {body}");
        assert!(body.contains("\r\n- Horaires ?\r\n"), "{id}: line breaks of a mailto are CRLF: {body:?}");
        assert!(!page.contains("Modifier cette fiche"), "{id}");
    }
    for (id, _) in items(root, "structures") {
        assert!(!built.read(&format!("structures/{id}.html")).contains("class=\"gerer\""), "{id}");
    }
    for (id, _) in items(root, "territoires") {
        assert!(!built.read(&format!("territoires/{id}.html")).contains("class=\"gerer\""), "{id}");
    }

    // No contact e-mail: no block at all.
    let dir = sample_with(None);
    let built = build_site(dir.path());
    for (id, _) in items(dir.path(), "lieux") {
        let page = built.read(&format!("lieux/{id}.html"));
        assert!(!page.contains("class=\"gerer\"") && !page.contains("?subject="), "{id}");
    }
}

#[test]
fn hostile_or_wrong_repositories_are_refused_by_check() {
    let cases = [
        ("adresse = \"javascript:alert(1)\"", "doit commencer par https://"),
        ("adresse = \"http://github.com/a/b\"", "doit commencer par https://"),
        ("adresse = \"https://jeton:x-oauth@github.com/a/b\"", "ni identifiant ni mot de passe"),
        ("adresse = \"https://moi@gitlab.com/a/b\"", "ni identifiant ni mot de passe"),
        ("adresse = \"https://github.com/a/b?tab=readme\"", "ni de `#`"),
        ("adresse = \"https://github.com/a/b#x\"", "ni de `#`"),
        ("adresse = \"https://github.com/a/b\\\" onmouseover=\\\"x\"", "propriétaire et son nom"),
        ("adresse = \"https://github.com/a/b'><script>\"", "propriétaire et son nom"),
        ("adresse = \"https://github.com/collectif\"", "propriétaire et son nom"),
        ("adresse = \"https://github.com/a/b.git\"", "retirez `.git`"),
        ("adresse = \"https://github.com/a/b\"\nforge = \"bitbucket\"", "forge inconnue « bitbucket »"),
        ("adresse = \"https://github.com/a/b\"\nbranche = \"ma\\\"in\"", "nom de branche invalide"),
        ("adresse = \"https://github.com/a/b\"\nbranche = \"../main\"", "nom de branche invalide"),
        ("adresse = \"https://github.com/a/b\"\ndossier = \"../autre\"", "dossier invalide"),
        ("branche = \"main\"", "`depot.adresse`"),
    ];
    for (keys, expected) in cases {
        let dir = sample_with(Some(&format!("[depot]\n{keys}\n")));
        let report = build(&Options { root: dir.path().to_path_buf(), output: None, today: today() }).unwrap();
        let text = render_all(&report.diagnostics, &report.sources);
        assert_eq!(report.diagnostics.count(Severity::Error), 1, "{keys}:\n{text}");
        assert!(text.contains(expected), "{keys}: expected « {expected} »:\n{text}");
        assert!(text.contains("content/site.toml:"), "{keys}: the file and line:\n{text}");
    }
}
