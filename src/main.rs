//! The `alimap` command: parses arguments, runs the library, prints
//! diagnostics and a summary. Exit codes: 0 success, 1 content errors,
//! 2 failure of the tool itself (unwritable output, bad arguments).

use std::path::PathBuf;
use std::process::ExitCode;

use alimap::build::{self, Options};
use alimap::content::schema::FileKind;
use alimap::diagnostic::{Severity, render_entries, render_github, render_json, terminal};
use alimap::scaffold;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

/// mimalloc: rendering allocates many short-lived strings on two threads,
/// where it is markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "alimap", version, about = "Génère le site d’un annuaire de l’aide alimentaire")]
struct Cli {
    /// Dossier du site (celui qui contient `content/`)
    #[arg(long = "racine", global = true, default_value = ".")]
    racine: PathBuf,
    /// Date de référence des horaires (AAAA-MM-JJ) ; par défaut aujourd’hui,
    /// ou SOURCE_DATE_EPOCH si la variable est définie
    #[arg(long, global = true)]
    date: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site dans `output/`
    Build {
        /// Dossier de sortie (par défaut `output/` dans le dossier du site)
        #[arg(long = "sortie")]
        sortie: Option<PathBuf>,
    },
    /// Vérifie les fichiers sans rien écrire
    Check {
        /// Fait échouer la vérification aussi sur les avertissements
        #[arg(long)]
        strict: bool,
        /// Format des diagnostics : texte, json, ou github (annotations de
        /// pull request dans GitHub Actions)
        #[arg(long, value_enum, default_value = "texte")]
        format: Format,
        /// Montre chaque avertissement en entier, même ceux qui se répètent
        /// dans beaucoup de fichiers (regroupés sinon)
        #[arg(long)]
        tout: bool,
    },
    /// Crée une fiche à remplir : content/lieux/<id>.toml, structures/ ou territoires/
    New {
        /// Type de fiche
        #[arg(value_enum)]
        genre: Genre,
        /// Identifiant de la fiche : minuscules sans accent, chiffres et tirets
        id: String,
    },
    /// Crée un nouveau site (fiches, schémas, intégration continue) dans un dossier vide
    Init {
        /// Dossier à créer
        dossier: PathBuf,
        /// Dépôt git d’alimap (https) d’où l’intégration continue du site
        /// installe cette version, au tag v<version>
        #[arg(long, value_name = "URL", default_value = alimap::scaffold::REPOSITORY)]
        depot_alimap: String,
    },
    /// Importe un annuaire existant (tableur CSV, XLSX ou ODS, data·inclusion,
    /// Soliguide) en fiches de lieux et de structures dans `content/` ;
    /// relancé sur un fichier mis à jour, met à jour les mêmes fiches
    Import {
        /// Fichiers à importer
        #[arg(required_unless_present = "modele")]
        fichiers: Vec<PathBuf>,
        /// Écrit un modèle de tableur à remplir (modele-annuaire.xlsx) et sa
        /// correspondance dans DOSSIER (le dossier courant par défaut), sans
        /// rien importer
        #[arg(long, num_args = 0..=1, value_name = "DOSSIER", conflicts_with = "fichiers")]
        modele: Option<Option<PathBuf>>,
        /// Fichier de correspondance (TOML) : colonnes de la source, valeurs
        /// par défaut, catégories et publics
        #[arg(long)]
        correspondance: Option<PathBuf>,
        /// Accès des lieux quand la source ne le dit pas (sans-condition,
        /// orientation, inscription, rendez-vous ; plusieurs : séparés par
        /// des virgules)
        #[arg(long, value_delimiter = ',')]
        acces: Vec<String>,
        /// Frais des lieux quand la source ne les dit pas (gratuit, payant)
        #[arg(long)]
        frais: Option<String>,
        /// Identifiant de la structure des lieux quand la source n’en donne pas
        #[arg(long)]
        structure: Option<String>,
        /// Date de vérification de la source (AAAA-MM-JJ), quand elle n’a pas
        /// de colonne de date ; jamais la date de l’import
        #[arg(long = "date-maj")]
        date_maj: Option<String>,
        /// Essai : lit, convertit et fait le bilan sans rien écrire
        #[arg(long)]
        essai: bool,
    },
    /// Régénère les schémas JSON des fiches dans `schemas/`
    #[command(hide = true)]
    Schemas,
    /// Construit le site, le sert sur http://127.0.0.1:8000/ et le
    /// reconstruit à chaque modification des fichiers
    Serve {
        /// Port d’écoute (0 : un port libre au hasard)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Adresse d’écoute ; toute autre que 127.0.0.1 ou ::1 ouvre
        /// l’aperçu aux autres machines du réseau
        #[arg(long, default_value = "127.0.0.1")]
        adresse: std::net::IpAddr,
        /// Dossier de sortie (par défaut `output/` dans le dossier du site)
        #[arg(long = "sortie")]
        sortie: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Genre {
    Lieu,
    Structure,
    Territoire,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Texte,
    Json,
    Github,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            // Paths in it may come from the site's files.
            eprintln!("erreur : {}", terminal(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    if let Some(code) = scaffold(&cli)? {
        return Ok(code);
    }
    let today = today(cli.date.as_deref())?;
    let (output, strict, format, all) = match &cli.command {
        Command::Build { sortie } => {
            (Some(sortie.clone().unwrap_or_else(|| cli.racine.join("output"))), false, Format::Texte, false)
        }
        Command::Check { strict, format, tout } => (None, *strict, *format, *tout),
        Command::New { .. } | Command::Init { .. } | Command::Schemas | Command::Import { .. } => {
            unreachable!("handled by scaffold")
        }
        Command::Serve { port, adresse, sortie } => {
            let output = Some(sortie.clone().unwrap_or_else(|| cli.racine.join("output")));
            let build = Options { root: cli.racine.clone(), output, today };
            alimap::serve::serve(&alimap::serve::Options { build, adresse: *adresse, port: *port })?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let writes = output.is_some();
    alimap::allocator::keep_freed_memory();
    let report = build::build(&Options { root: cli.racine.clone(), output, today })?;
    // Machine formats go to standard output, to be piped; text goes to
    // standard error, beside the summary.
    match format {
        Format::Texte => {
            let shown = render_entries(&report.diagnostics, &report.sources, all);
            if !shown.is_empty() {
                eprintln!("{shown}");
            }
        }
        Format::Json => println!("{}", render_json(&report.diagnostics, &report.sources)),
        Format::Github => print!("{}", render_github(&report.diagnostics, &report.sources)),
    }
    let errors = report.diagnostics.count(Severity::Error);
    let warnings = report.diagnostics.count(Severity::Warning);
    match &report.summary {
        Some(s) if errors == 0 => {
            let verb = if writes { "Site construit" } else { "Vérification terminée" };
            eprintln!(
                "{verb} : {}, {}, {}, {}, {} ({:.2} s)",
                count(s.pages, "page", "pages"),
                count(s.territoires, "territoire", "territoires"),
                count(s.structures, "structure", "structures"),
                count(s.lieux, "lieu", "lieux"),
                count(warnings, "avertissement", "avertissements"),
                s.duration.as_secs_f64()
            );
            Ok(if strict && warnings > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        _ => {
            let unread = match report.unread {
                0 => String::new(),
                1 => " ; 1 fichier n’a pas pu être lu".into(),
                n => format!(" ; {n} fichiers n’ont pas pu être lus"),
            };
            eprintln!(
                "Échec : {errors} erreur{}, {warnings} avertissement{}{unread}.{}",
                if errors > 1 { "s" } else { "" },
                if warnings > 1 { "s" } else { "" },
                if writes { " Le site précédent n’a pas été modifié." } else { "" }
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// The commands that write new files into the site folder rather than
/// building it; `None` for the others.
fn scaffold(cli: &Cli) -> Result<Option<ExitCode>> {
    match &cli.command {
        Command::New { genre, id } => {
            let kind = match genre {
                Genre::Lieu => FileKind::Lieu,
                Genre::Structure => FileKind::Structure,
                Genre::Territoire => FileKind::Territoire,
            };
            let rel = scaffold::new_entry(&cli.racine, kind, id)?;
            for schema in scaffold::ensure_schemas(&cli.racine)? {
                eprintln!("Schéma ajouté pour les éditeurs : {}", terminal(&schema.to_string_lossy()));
            }
            eprintln!("Fiche créée : {}", terminal(&rel.to_string_lossy()));
            eprintln!("Remplacez chaque « {} », puis lancez `alimap check`.", alimap::content::schema::PLACEHOLDER);
            if kind == FileKind::Territoire {
                eprintln!("Placez le périmètre (GeoJSON) à côté : content/territoires/{}.geojson", terminal(id));
            }
        }
        Command::Init { dossier, depot_alimap } => {
            let files = scaffold::init(dossier, Some(depot_alimap))?;
            let dossier = terminal(&dossier.to_string_lossy()).into_owned();
            eprintln!("Site créé dans {dossier} ({} fichiers).", files.len());
            eprintln!("Ensuite : modifiez content/site.toml, puis ajoutez des fiches avec");
            eprintln!("  alimap --racine {dossier} new territoire <id>");
            eprintln!("et vérifiez avec `alimap check`.");
        }
        Command::Schemas => {
            for path in scaffold::write_schemas(&cli.racine.join("schemas"))? {
                eprintln!("{}", terminal(&path.to_string_lossy()));
            }
        }
        Command::Import { modele: Some(dossier), .. } => {
            let dir = dossier.clone().unwrap_or_else(|| PathBuf::from("."));
            for path in alimap::import::template::write(&dir)? {
                eprintln!("{}", terminal(&path.to_string_lossy()));
            }
            eprintln!(
                "Remplissez la feuille « Lieux », puis : alimap import --correspondance {} {}",
                terminal(&dir.join(alimap::import::template::MAPPING).to_string_lossy()),
                terminal(&dir.join(alimap::import::template::WORKBOOK).to_string_lossy())
            );
        }
        Command::Import { fichiers, correspondance, acces, frais, structure, date_maj, essai, modele: None } => {
            let date_maj = match date_maj {
                Some(d) => Some(
                    NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .with_context(|| format!("date invalide « {d} » : écrivez AAAA-MM-JJ"))?,
                ),
                None => None,
            };
            let report = alimap::import::run(&alimap::import::Options {
                root: cli.racine.clone(),
                files: fichiers.clone(),
                mapping: correspondance.clone(),
                acces: acces.clone(),
                frais: frais.clone(),
                structure: structure.clone(),
                date_maj,
                dry_run: *essai,
            })?;
            // Names and cells come from the source: escaped line by line.
            for line in report.render().lines() {
                eprintln!("{}", terminal(line));
            }
        }
        Command::Build { .. } | Command::Check { .. } | Command::Serve { .. } => return Ok(None),
    }
    Ok(Some(ExitCode::SUCCESS))
}

/// "1 lieu", "2 lieux", "0 lieu": French uses the singular below two.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// The build date: `--date`, else SOURCE_DATE_EPOCH (reproducible builds),
/// else today in Paris.
fn today(arg: Option<&str>) -> Result<NaiveDate> {
    if let Some(d) = arg {
        return NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("date invalide « {d} » : écrivez AAAA-MM-JJ"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH invalide « {epoch} »"))?;
        let Some(t) = chrono::DateTime::from_timestamp(secs, 0) else { bail!("SOURCE_DATE_EPOCH hors limites") };
        return Ok(t.with_timezone(&chrono_tz::Europe::Paris).date_naive());
    }
    Ok(chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive())
}
