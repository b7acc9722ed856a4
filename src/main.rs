//! The `alimap` command: parses arguments, runs the library, prints
//! diagnostics and a summary. Exit codes: 0 success, 1 content errors,
//! 2 failure of the tool itself (unwritable output, bad arguments).

use std::path::PathBuf;
use std::process::ExitCode;

use alimap::build::{self, Options};
use alimap::diagnostic::{Severity, render_all, render_github, render_json};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

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
    },
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
enum Format {
    Texte,
    Json,
    Github,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let today = today(cli.date.as_deref())?;
    let (output, strict, format) = match &cli.command {
        Command::Build { sortie } => {
            (Some(sortie.clone().unwrap_or_else(|| cli.racine.join("output"))), false, Format::Texte)
        }
        Command::Check { strict, format } => (None, *strict, *format),
        Command::Serve { port, adresse, sortie } => {
            let output = Some(sortie.clone().unwrap_or_else(|| cli.racine.join("output")));
            let build = Options { root: cli.racine.clone(), output, today };
            alimap::serve::serve(&alimap::serve::Options { build, adresse: *adresse, port: *port })?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let writes = output.is_some();
    let report = build::build(&Options { root: cli.racine.clone(), output, today })?;
    // Machine formats go to standard output, to be piped; text goes to
    // standard error, beside the summary.
    match format {
        Format::Texte => {
            let shown = render_all(&report.diagnostics, &report.sources);
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
                "{verb} : {} pages, {} territoires, {} structures, {} lieux, {} avertissement{} ({:.2} s)",
                s.pages,
                s.territoires,
                s.structures,
                s.lieux,
                warnings,
                if warnings > 1 { "s" } else { "" },
                s.duration.as_secs_f64()
            );
            Ok(if strict && warnings > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        _ => {
            eprintln!(
                "Échec : {errors} erreur{}, {warnings} avertissement{}.{}",
                if errors > 1 { "s" } else { "" },
                if warnings > 1 { "s" } else { "" },
                if writes { " Le site précédent n’a pas été modifié." } else { "" }
            );
            Ok(ExitCode::from(1))
        }
    }
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
