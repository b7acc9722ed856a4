//! The pages `render::native` writes without Tera are the default templates'
//! pages, byte for byte, on generated content: points with every optional
//! key present or absent, odd text, hours of every shape, closures, and one
//! or three languages. `build::native_pages_are_the_templates_pages` checks
//! the same on the fixture sites.

use std::collections::BTreeMap;

use alimap::content::load::{self, Sources};
use proptest::prelude::*;

use crate::support::{TRANSCRIBED, fixture, repo, today};

/// Every HTML page of the site in `sources`, by path; with `templated`, the
/// theme overrides the transcribed templates with copies of themselves.
fn pages(mut sources: Sources, templated: bool) -> BTreeMap<String, String> {
    if templated {
        for name in TRANSCRIBED {
            let text = std::fs::read_to_string(repo().join("themes/default/templates").join(name)).unwrap();
            sources.themes.insert(format!("default/templates/{name}"), format!("{text}{{# copie #}}").into_bytes());
        }
    }
    let (parsed, mut diags) = alimap::content::parse::parse(&sources);
    let (site, ds) = alimap::content::validate::validate(parsed, today());
    diags.extend(ds);
    assert!(!diags.iter().any(|d| d.is_error()), "the generated site must be valid: {diags:?}");
    let site = site.expect("a valid site");
    let theme = alimap::theme::Theme::assemble(&site.config.theme, &sources.themes);
    let files = alimap::render::render(&site, &theme, today()).expect("the site renders");
    files
        .into_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text with what escaping and `lang` marking must handle.
fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Épicerie du Nord",
        "<b>gras</b> & \"guillemets\" 'apostrophes'",
        "مطعم",
        "{{ site.titre }}",
        "**Markdown** avec [un lien](https://exemple.org/)",
        "ligne\nautre ligne",
        "",
    ])
    .prop_map(String::from)
}

/// One optional line of a point file, or nothing.
fn maybe(key: &'static str, values: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop::option::of(prop::sample::select(values))
        .prop_map(move |v| v.map_or(String::new(), |v| format!("{key} = {v}\n")))
}

prop_compose! {
    fn point()(
        nom in text(),
        libre in text(),
        horaires in maybe("horaires_accueil", vec![
            "\"Mo 09:00-12:00\"",
            "\"Mo-Fr 09:00-12:00,14:00-17:00; PH off\"",
            "\"Sa[1,3] 10:00-12:00\"",
            "\"24/7\"",
            "\"Tu 14:00-16:00; Dec 24-Dec 31 off\"",
            "\"Mo-Su 19:00+\"",
            "\"Oct 15-Mar 31 Mo-Fr 19:00-21:00+\"",
            "\"Apr 15-Sep 30 We 10:00-12:00\"",
        ]),
        fermeture in maybe("fermetures", vec![
            "[{ du = 2026-11-20, au = 2026-12-10, motif = \"Travaux\" }]",
            "[{ du = 2027-01-02, au = 2027-01-05 }]",
        ]),
        acces in prop::sample::select(vec!["[\"sans-condition\"]", "[\"orientation\", \"rendez-vous\"]"]),
        frais in prop::sample::select(vec!["\"gratuit\"", "\"payant\""]),
        publics in maybe("publics", vec!["[\"familles\", \"etudiants\"]", "[\"tous-publics\"]"]),
        langues in maybe("langues", vec!["[\"fr\", \"ar\"]", "[\"uk\"]"]),
        regimes in maybe("regimes", vec!["[\"halal\"]", "[\"vegetarien\", \"sans-porc\"]"]),
        pmr in maybe("accessibilite_pmr", vec!["true", "false"]),
        telephone in maybe("telephone", vec!["\"01 23 45 67 89\"", "\"+33 6 12 34 56 78\""]),
        courriel in maybe("courriel", vec!["\"contact@exemple.org\""]),
        site_web in maybe("site_web", vec!["\"https://exemple.org/lieu\""]),
        with_texts in any::<bool>(),
        traduction in any::<bool>(),
    ) -> String {
        let mut s = format!(
            "nom = {}\nstructure = \"asso-test\"\nservices = [\"epicerie-sociale\", \"repas\"]\n\
             adresse = \"1 rue du Nord\"\ncode_postal = \"93200\"\ncommune = \"Ville-Test\"\n\
             latitude = 48.93\nlongitude = 2.35\nacces = {acces}\nfrais = {frais}\ndate_maj = 2026-11-01\n",
            q(&format!("A{nom}")),
        );
        for line in [horaires, publics, langues, regimes, pmr, telephone, courriel, site_web, fermeture] {
            s.push_str(&line);
        }
        if with_texts {
            for key in ["complement_adresse", "conditions_acces", "frais_precisions", "publics_precisions", "description"] {
                s.push_str(&format!("{key} = {}\n", q(&libre)));
            }
            s.push_str(&format!("justificatifs = [{}]\n", q(&libre)));
        }
        if traduction {
            s.push_str(&format!("\n[traductions.en]\ndescription = {}\nconditions_acces = \"By appointment\"\n", q(&libre)));
        }
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn native_pages_equal_the_templates_on_generated_points(
        a in point(),
        b in point(),
        three_languages in any::<bool>(),
    ) {
        let sources = || {
            let (mut sources, diags) = load::load(&fixture("build/minimal"));
            assert!(diags.is_empty());
            for f in sources.lieux.iter_mut() {
                f.text = if f.path.ends_with("epicerie-nord.toml") { a.as_str().into() } else { b.as_str().into() };
            }
            if three_languages {
                let site = sources.site.as_mut().unwrap();
                site.text = format!("langues = [\"fr\", \"en\", \"ar\"]\n{}", site.text).into();
            }
            sources
        };
        let (native, templated) = (pages(sources(), false), pages(sources(), true));
        prop_assert_eq!(native.keys().collect::<Vec<_>>(), templated.keys().collect::<Vec<_>>());
        for (path, page) in &native {
            prop_assert!(page == &templated[path], "{} differs between native and Tera", path);
        }
    }
}
