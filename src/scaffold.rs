//! New files for volunteers: `alimap new` (one entry from a commented
//! template), `alimap init` (a whole site skeleton) and `alimap schemas`
//! (the editor JSON Schemas).
//!
//! Outside the build pipeline: these commands write into the site folder,
//! never into the output folder, and never over an existing file. The
//! content of every file is computed first, by pure functions that tests
//! call directly; writing is the last step.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::content::schema::{self, FileKind, Fill};
use crate::text::format::{is_valid_id, slugify};

/// The JSON Schemas, as `(file name, content)`.
pub fn schema_files() -> Vec<(String, String)> {
    FileKind::ALL.iter().map(|k| (format!("{}.json", k.name()), schema::json_schema(*k))).collect()
}

/// Writes the JSON Schemas into `dir`, replacing older versions: these files
/// are generated, not edited. Returns the paths written.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in schema_files() {
        let path = dir.join(name);
        fs::write(&path, text).with_context(|| format!("impossible d’écrire {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The `#:schema` line for a file at `rel` (relative to the site folder),
/// pointing at `schemas/<kind>.json` of the same site. Taplo and Even Better
/// TOML read it.
fn schema_line(rel: &Path, kind: FileKind) -> String {
    let depth = rel.components().count().saturating_sub(1);
    format!("#:schema {}schemas/{}.json\n", "../".repeat(depth), kind.name())
}

/// The text `alimap new` writes for a new entry with id `id`.
pub fn entry_template(kind: FileKind, id: &str) -> String {
    let rel = entry_path(kind, id);
    let header = format!(
        "{}# {}\n\
         # Fiche « {id} », créée par `alimap new {} {id}`.\n\
         #\n\
         # Remplacez chaque « {} » par la bonne valeur. Les clés facultatives\n\
         # sont en commentaire : pour en utiliser une, retirez le `# ` du début\n\
         # de sa ligne. Lancez ensuite `alimap check` pour vérifier la fiche.\n",
        schema_line(&rel, kind),
        kind.title(),
        kind.name(),
        schema::PLACEHOLDER,
    );
    let mut text = schema::template(&header, &kind.fields(), Fill::Placeholders);
    if kind == FileKind::Territoire {
        // The perimeter's file name is known: the convention is the id.
        text =
            text.replace(&format!("perimetre = \"{}\"", schema::PLACEHOLDER), &format!("perimetre = \"{id}.geojson\""));
    }
    text
}

/// Where a new entry goes, relative to the site folder.
pub fn entry_path(kind: FileKind, id: &str) -> PathBuf {
    match kind.dir() {
        Some(dir) => PathBuf::from(format!("content/{dir}/{id}.toml")),
        None => PathBuf::from("content/site.toml"),
    }
}

/// Refuses an id that cannot name a file, saying the rule and a fix.
pub fn check_id(id: &str) -> Result<()> {
    if is_valid_id(id) {
        return Ok(());
    }
    let suggestion = slugify(id);
    let hint = if suggestion.is_empty() || suggestion == id {
        String::new()
    } else {
        format!(" ; par exemple : `{suggestion}`")
    };
    bail!(
        "identifiant invalide « {id} » : un identifiant s’écrit en lettres minuscules sans accent, chiffres et tirets simples (il devient le nom du fichier et l’adresse de la page){hint}"
    )
}

/// `alimap new`: writes a new entry's template into the site at `root`.
/// Returns the path written, relative to `root`.
pub fn new_entry(root: &Path, kind: FileKind, id: &str) -> Result<PathBuf> {
    check_id(id)?;
    let Some(dir) = kind.dir() else { bail!("le fichier du site est créé par `alimap init`") };
    let content = root.join("content");
    if !content.is_dir() {
        bail!(
            "le dossier `content/` est introuvable dans {} : lancez la commande depuis le dossier du site (ou avec `--racine DOSSIER`), ou créez un site avec `alimap init DOSSIER`",
            root.display()
        );
    }
    // Ids must be unique across sub-folders too (`lieux/` may have some).
    let folder = content.join(dir);
    for entry in walkdir::WalkDir::new(&folder).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && entry.path().file_name() == Some(format!("{id}.toml").as_ref()) {
            bail!(
                "une fiche porte déjà l’identifiant « {id} » : {} ; choisissez un autre identifiant (la fiche existante n’a pas été modifiée)",
                crate::content::load::relative(root, entry.path()).display()
            );
        }
    }
    let rel = entry_path(kind, id);
    let path = root.join(&rel);
    fs::create_dir_all(&folder).with_context(|| format!("impossible de créer le dossier {}", folder.display()))?;
    write_new(&path, &entry_template(kind, id))?;
    Ok(rel)
}

/// Writes `text` at `path`, failing if the file exists (even if created
/// meanwhile by someone else).
fn write_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("impossible de créer {} (le fichier existe-t-il déjà ?)", path.display()))?;
    f.write_all(text.as_bytes()).with_context(|| format!("impossible d’écrire {}", path.display()))
}

/// Writes the schemas missing from `root/schemas/`, so that the `#:schema`
/// line of a new entry points at a file. Returns the paths written.
pub fn ensure_schemas(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("schemas");
    let mut written = Vec::new();
    for (name, text) in schema_files() {
        let path = dir.join(&name);
        if !path.exists() {
            fs::create_dir_all(&dir).with_context(|| format!("impossible de créer le dossier {}", dir.display()))?;
            write_new(&path, &text)?;
            written.push(PathBuf::from("schemas").join(name));
        }
    }
    Ok(written)
}

const A_PROPOS: &str = "+++
titre = \"À propos\"
description = \"Qui tient cet annuaire, et comment le corriger.\"
ordre = 1
+++
Cet annuaire recense les lieux d’aide alimentaire du territoire : repas,
colis, épiceries solidaires…

Il est tenu par des bénévoles. Pour signaler une erreur ou un changement
d’horaires, écrivez-nous (remplacez ce texte par la bonne façon de vous
joindre).
";

const KEEP: &str = "# Ce fichier garde le dossier dans git tant qu’il est vide.\n";

const GITIGNORE: &str = "# Sites construits par `alimap build`, et ce qu’il garde à côté\n/output/\n/public/\n/.output.alimap-*\n/.public.alimap-*\n";

/// The version of alimap the generated CI installs: this one.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// alimap's own repository (`repository` in Cargo.toml), where the
/// generated CI takes the tag `v<VERSION>`; `alimap init --depot-alimap`
/// names another (a fork, a mirror).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The command the generated CI installs alimap with: this very version,
/// from the tag of its repository, built with the `Cargo.lock` of that
/// tag. Never by a bare crate name, which whoever registers it first on a
/// registry would own.
fn install_command(repository: &str, root: &str) -> String {
    format!("cargo install --locked --git {repository} --tag v{VERSION}{root} alimap")
}

/// The GitHub Actions workflow: checks pull requests, publishes on GitHub
/// Pages from `main`, and rebuilds daily so that « aujourd’hui » stays true.
/// Third-party actions are pinned by commit.
pub fn github_workflow(repository: &str) -> String {
    GITHUB_WORKFLOW
        .replace("{VERSION}", VERSION)
        .replace("{DEPOT}", repository)
        .replace("{INSTALLER}", &install_command(repository, ""))
}

const GITHUB_WORKFLOW: &str = r#"# Vérifie chaque pull request et publie le site sur GitHub Pages.
#
# Dans les réglages du dépôt, rubrique « Pages », choisissez la source
# « GitHub Actions ».
#
# alimap {VERSION} est compilé depuis son dépôt ({DEPOT}), au tag
# v{VERSION}, une seule fois : le programme est ensuite gardé en cache. Pour
# passer à une autre version, remplacez {VERSION} par son numéro partout dans
# ce fichier (voir le guide, « Publier »).
name: alimap

on:
  pull_request:
  push:
    branches: [main]
  # Reconstruit le site chaque matin : les horaires « aujourd’hui » et la
  # semaine affichée partent de la date de construction.
  schedule:
    - cron: "0 4 * * *"
  workflow_dispatch:

permissions:
  contents: read

jobs:
  verifier:
    name: Vérifier les fiches
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      # Sans jeton laissé dans `.git/config` : rien de ce que le site
      # construit ne peut le lire ni le publier.
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0
        id: cache
        with:
          path: ~/.cargo/bin/alimap
          key: alimap-v{VERSION}-${{ runner.os }}
      - name: Installer alimap {VERSION}
        if: steps.cache.outputs.cache-hit != 'true'
        run: {INSTALLER}
      # Chaque problème devient une annotation sur la ligne concernée, dans
      # l’onglet « Files changed » de la pull request.
      - name: Vérifier
        run: alimap check --format github

  publier:
    name: Publier le site
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deploiement.outputs.page_url }}
    concurrency:
      group: pages
      cancel-in-progress: false
    steps:
      # Sans jeton laissé dans `.git/config` : rien de ce que le site
      # construit ne peut le lire ni le publier.
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0
        id: cache
        with:
          path: ~/.cargo/bin/alimap
          key: alimap-v{VERSION}-${{ runner.os }}
      - name: Installer alimap {VERSION}
        if: steps.cache.outputs.cache-hit != 'true'
        run: {INSTALLER}
      - name: Construire
        run: alimap build
      - uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0
      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1
        with:
          path: output
      - id: deploiement
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
"#;

/// The GitLab CI configuration: checks merge requests, publishes with
/// GitLab Pages from the default branch.
pub fn gitlab_ci(repository: &str) -> String {
    GITLAB_CI
        .replace("{VERSION}", VERSION)
        .replace("{DEPOT}", repository)
        .replace("{INSTALLER}", &install_command(repository, " --root \"$CI_PROJECT_DIR/.alimap\""))
}

const GITLAB_CI: &str = r#"# Vérifie chaque merge request et publie le site avec GitLab Pages.
# Pour reconstruire le site chaque matin (les horaires « aujourd’hui »
# partent de la date de construction), ajoutez une planification de pipeline
# sur la branche par défaut : Build > Pipeline schedules.
#
# alimap {VERSION} est compilé depuis son dépôt ({DEPOT}), au tag
# v{VERSION}, une seule fois : le programme est ensuite gardé en cache dans
# .alimap/. Pour passer à une autre version, remplacez {VERSION} par son
# numéro partout dans ce fichier (voir le guide, « Publier »).

default:
  image: rust:1
  cache:
    key: alimap-v{VERSION}
    paths:
      - .alimap/
  before_script:
    - export PATH="$CI_PROJECT_DIR/.alimap/bin:$PATH"
    - command -v alimap || {INSTALLER}

verifier:
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - alimap check

pages:
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - alimap check
    - alimap build --sortie public
  artifacts:
    paths:
      - public
"#;

/// Every file of a new site, as `(path relative to the site, content)`.
/// `repository`: alimap's repository, where the CI files install it from.
pub fn skeleton(repository: &str) -> Vec<(PathBuf, String)> {
    let site_header = format!(
        "{}# Réglages du site, lus par alimap.\n\
         #\n\
         # Les valeurs obligatoires ci-dessous sont des exemples : remplacez-les.\n\
         # Les clés facultatives sont en commentaire : pour en utiliser une,\n\
         # retirez le `# ` du début de sa ligne. Les clés simples vont avant les\n\
         # sections entre crochets.\n",
        schema_line(Path::new("content/site.toml"), FileKind::Site)
    );
    let mut files = vec![
        (PathBuf::from("content/site.toml"), schema::template(&site_header, &schema::site(), Fill::Examples)),
        (PathBuf::from("content/pages/a-propos.md"), A_PROPOS.to_string()),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
        (PathBuf::from(".github/workflows/alimap.yml"), github_workflow(repository)),
        (PathBuf::from(".gitlab-ci.yml"), gitlab_ci(repository)),
    ];
    for dir in ["territoires", "structures", "lieux"] {
        files.push((PathBuf::from(format!("content/{dir}/.gitkeep")), KEEP.to_string()));
    }
    for (name, text) in schema_files() {
        files.push((PathBuf::from("schemas").join(name), text));
    }
    files
}

/// `alimap init`: creates a site skeleton in `folder`, which must be empty
/// or not exist, its CI installing alimap from `repository` ([`REPOSITORY`]
/// when `None`). Returns the paths written, relative to `folder`.
pub fn init(folder: &Path, repository: Option<&str>) -> Result<Vec<PathBuf>> {
    let repository = match crate::text::format::repository_address(repository.unwrap_or(REPOSITORY)) {
        Ok(r) => r,
        Err(problem) => bail!("adresse du dépôt d’alimap refusée « {} » : {problem}", repository.unwrap_or(REPOSITORY)),
    };
    if folder.exists() {
        let mut entries =
            fs::read_dir(folder).with_context(|| format!("impossible de lire le dossier {}", folder.display()))?;
        if entries.next().is_some() {
            bail!(
                "le dossier {} n’est pas vide : alimap init ne crée un site que dans un dossier vide ou inexistant, pour ne rien écraser",
                folder.display()
            );
        }
    }
    let files = skeleton(repository);
    for (rel, text) in &files {
        let path = folder.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("impossible de créer le dossier {}", parent.display()))?;
        }
        write_new(&path, text)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_lines_point_at_the_site_schemas_folder() {
        assert_eq!(
            schema_line(Path::new("content/lieux/x.toml"), FileKind::Lieu),
            "#:schema ../../schemas/lieu.json\n"
        );
        assert_eq!(schema_line(Path::new("content/site.toml"), FileKind::Site), "#:schema ../schemas/site.json\n");
        assert!(entry_template(FileKind::Lieu, "x").starts_with("#:schema ../../schemas/lieu.json\n"));
    }

    #[test]
    fn ids_are_refused_with_the_rule_and_a_suggestion() {
        assert!(check_id("epicerie-nord").is_ok());
        let e = check_id("Épicerie Nord").unwrap_err().to_string();
        assert!(e.contains("lettres minuscules sans accent"), "{e}");
        assert!(e.contains("`epicerie-nord`"), "{e}");
        assert!(check_id("../etc").is_err());
    }
}
