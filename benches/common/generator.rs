//! The synthetic sites of the benchmarks: territories tiling a grid over
//! the Paris region, structures, and points with the keys real ones have,
//! generated from a seed (no system randomness), so that every run
//! measures the same site.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Bump when the generated content changes, so that old sites are rebuilt.
pub(crate) const GENERATOR_VERSION: u32 = 3;
const STAMP_FILE: &str = "generator-stamp.txt";
/// Territories tile a grid over the Paris region: 8 × 5 = 40 cells.
const COLS: usize = 8;
const ROWS: usize = 5;
const LON_MIN: f64 = 2.0;
const LON_MAX: f64 = 3.0;
const LAT_MIN: f64 = 48.5;
const LAT_MAX: f64 = 49.2;
/// How far (in cells) grid corners are moved, so perimeters are not squares.
const CORNER_JITTER: f64 = 0.08;
/// Points are kept this far (in cells) from the grid lines: more than the
/// jitter, so that every point is inside its territory and no other.
const POINT_MARGIN: f64 = 0.15;
/// Segments per perimeter edge (extra vertices, as real outlines have).
const EDGE_STEPS: usize = 8;

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that nearby seeds give unrelated streams
        // and the state is never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` different items, in list order.
    fn some<'a, T>(&mut self, items: &'a [T], k: usize) -> Vec<&'a T> {
        let mut chosen = vec![false; items.len()];
        let k = k.min(items.len());
        let mut n = 0;
        while n < k {
            let i = self.below(items.len());
            if !chosen[i] {
                chosen[i] = true;
                n += 1;
            }
        }
        items.iter().zip(chosen).filter(|(_, c)| *c).map(|(x, _)| x).collect()
    }
}

/// (name, postal code, INSEE code) of the 40 territories.
const COMMUNES: [(&str, &str, &str); COLS * ROWS] = [
    ("Saint-Denis", "93200", "93066"),
    ("Montreuil", "93100", "93048"),
    ("Aubervilliers", "93300", "93001"),
    ("Bobigny", "93000", "93008"),
    ("Pantin", "93500", "93055"),
    ("Bondy", "93140", "93010"),
    ("Noisy-le-Sec", "93130", "93053"),
    ("Romainville", "93230", "93063"),
    ("Bagnolet", "93170", "93006"),
    ("Les Lilas", "93260", "93045"),
    ("Drancy", "93700", "93029"),
    ("Aulnay-sous-Bois", "93600", "93005"),
    ("Sevran", "93270", "93071"),
    ("Livry-Gargan", "93190", "93046"),
    ("Le Blanc-Mesnil", "93150", "93007"),
    ("Stains", "93240", "93072"),
    ("Épinay-sur-Seine", "93800", "93031"),
    ("La Courneuve", "93120", "93027"),
    ("Saint-Ouen-sur-Seine", "93400", "93070"),
    ("Clichy-sous-Bois", "93390", "93014"),
    ("Argenteuil", "95100", "95018"),
    ("Sarcelles", "95200", "95585"),
    ("Garges-lès-Gonesse", "95140", "95268"),
    ("Cergy", "95000", "95127"),
    ("Nanterre", "92000", "92050"),
    ("Colombes", "92700", "92025"),
    ("Gennevilliers", "92230", "92036"),
    ("Créteil", "94000", "94028"),
    ("Vitry-sur-Seine", "94400", "94081"),
    ("Ivry-sur-Seine", "94200", "94041"),
    ("Champigny-sur-Marne", "94500", "94017"),
    ("Villejuif", "94800", "94076"),
    ("Évry-Courcouronnes", "91000", "91228"),
    ("Corbeil-Essonnes", "91100", "91174"),
    ("Massy", "91300", "91377"),
    ("Grigny", "91350", "91286"),
    ("Meaux", "77100", "77284"),
    ("Melun", "77000", "77288"),
    ("Mantes-la-Jolie", "78200", "78361"),
    ("Trappes", "78190", "78621"),
];

const SERVICES: &[(&str, &str)] = &[
    ("repas", "Repas solidaire"),
    ("colis-alimentaire", "Distribution de colis"),
    ("colis-bebe", "Colis bébé"),
    ("cheques-alimentaires", "Chèques alimentaires"),
    ("epicerie-sociale", "Épicerie solidaire"),
    ("maraude", "Maraude"),
    ("frigo-solidaire", "Frigo solidaire"),
    ("eau-potable", "Point d’eau"),
    ("atelier-cuisine", "Atelier cuisine"),
    ("jardin-solidaire", "Jardin solidaire"),
    ("petit-dejeuner", "Petit-déjeuner"),
];

const ACCES: &[&str] = &["sans-condition", "orientation", "inscription", "rendez-vous"];
const PUBLICS: &[&str] = &[
    "actifs",
    "beneficiaires-des-minimas-sociaux",
    "demandeurs-emploi",
    "etudiants",
    "familles",
    "femmes",
    "jeunes",
    "personnes-en-situation-de-handicap",
    "personnes-en-situation-durgence",
    "personnes-en-situation-juridique-specifique",
    "personnes-exilees",
    "residents-qpv-frr",
    "seniors",
];
const LANGUES: &[&str] =
    &["en", "ar", "es", "pt", "ro", "uk", "ru", "tr", "fa", "ps", "bn", "ta", "zh", "ti", "wo", "lsf"];
const REGIMES: &[&str] = &["halal", "casher", "vegetarien", "vegetalien", "sans-porc", "sans-gluten"];
const RESEAUX: &[&str] = &[
    "banques-alimentaires",
    "restos-du-coeur",
    "secours-populaire",
    "croix-rouge",
    "emmaus",
    "federation-des-acteurs-de-la-solidarite",
    "fcsf",
    "siao",
];

/// Valid OpenStreetMap `opening_hours` values, as volunteers write them.
const HORAIRES: &[&str] = &[
    "Mo-Fr 09:00-12:00; PH off",
    "Tu,Th 09:00-12:00; PH off",
    "Mo,We,Fr 14:00-18:00; Sa 09:30-12:30",
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "We 09:00-12:00",
    "Sa 10:00-12:30",
    "Mo-Su 19:30-22:00",
    "24/7",
    "Tu 09:00-12:00; Th 14:00-16:30",
    "Mo-Fr 08:00-10:00; PH off",
    "We 14:00-16:30; Sa[1] 09:00-12:00",
    "Nov-Mar Tu,Th 18:30-20:00",
];

/// Days of the randomised hours.
const JOURS_HORAIRES: &[&str] = &["Mo-Fr", "Mo,We,Fr", "Tu,Th", "Mo-Sa", "We", "Sa", "Tu-Fr", "Mo,Th", "Mo-Su"];

/// A point's hours: a quarter of the points share the common texts above;
/// the others have their own days and times, as a real directory mostly
/// does (a build parses and evaluates each distinct text once).
fn horaires(rng: &mut Rng) -> String {
    if rng.chance(0.25) {
        return rng.pick(HORAIRES).to_string();
    }
    fn period(rng: &mut Rng, from: usize) -> String {
        let start = from * 4 + rng.below(8);
        let end = start + 4 + rng.below(12);
        format!("{:02}:{:02}-{:02}:{:02}", start / 4, start % 4 * 15, end / 4, end % 4 * 15)
    }
    let morning = period(rng, 8);
    let text = if rng.chance(0.4) { format!("{morning},{}", period(rng, 14)) } else { morning };
    let mut out = format!("{} {text}", rng.pick(JOURS_HORAIRES));
    if rng.chance(0.3) {
        out.push_str(&format!("; Sa {}", period(rng, 9)));
    }
    if rng.chance(0.5) {
        out.push_str("; PH off");
    }
    out
}

const RUES: &[&str] = &[
    "rue de la République",
    "avenue Jean-Jaurès",
    "boulevard Gabriel-Péri",
    "rue Paul-Vaillant-Couturier",
    "place de la Mairie",
    "rue Victor-Hugo",
    "avenue du Général-de-Gaulle",
    "rue Danielle-Casanova",
    "rue Anatole-France",
    "allée des Tilleuls",
    "rue Pasteur",
    "boulevard de la Libération",
    "rue Jules-Ferry",
    "avenue Henri-Barbusse",
    "rue Louise-Michel",
    "quai de l’Aisne",
    "rue des Écoles",
    "chemin des Vignes",
    "rue Marcel-Cachin",
    "avenue Salvador-Allende",
    "rue Olympe-de-Gouges",
    "place du Marché",
    "rue de Paris",
    "rue Édouard-Vaillant",
];
const COMPLEMENTS: &[&str] = &[
    "Bâtiment B",
    "Rez-de-chaussée, porte de gauche",
    "Entrée par la cour",
    "Salle polyvalente, 1er étage",
    "Local associatif au pied de la tour 4",
    "Sous le préau de l’école",
];
const LIEUX_DITS: &[&str] = &[
    "salle Paul-Éluard",
    "maison de quartier",
    "centre social",
    "parvis de la gare",
    "local de la rue",
    "gymnase municipal",
    "salle paroissiale",
    "maison des associations",
];
const JOURS: &[&str] = &["du lundi", "du mardi", "du mercredi", "du jeudi", "du vendredi", "du samedi", "du soir"];
const CONDITIONS: &[&str] = &[
    "Sur orientation d’un travailleur social du CCAS ou de la maison des solidarités.",
    "Inscription sur place le premier jour, puis carte à présenter à chaque passage.",
    "Sans condition : venez avec un sac, personne ne vous demandera de papiers.",
    "Sur rendez-vous par téléphone, du lundi au vendredi le matin.",
    "Pour les personnes qui habitent la commune, après un entretien avec une bénévole.",
];
const JUSTIFICATIFS: &[&str] = &[
    "Pièce d’identité ou titre de séjour",
    "Justificatif de domicile ou attestation d’hébergement",
    "Trois derniers justificatifs de ressources",
    "Attestation de la CAF",
    "Livret de famille",
    "Courrier d’orientation du travailleur social",
];
const PRECISIONS_GRATUIT: &[&str] = &["Aucune participation n’est demandée.", "Gratuit, sans adhésion."];
const PRECISIONS_PAYANT: &[&str] = &[
    "Participation de 2 € par colis.",
    "Les produits sont vendus entre 10 et 30 % du prix habituel.",
    "Adhésion de 5 € par an, puis 1 € par repas.",
];
const PRECISIONS_PUBLICS: &[&str] = &[
    "Personnes qui habitent la commune ou qui y sont domiciliées.",
    "Familles avec un enfant de moins de 3 ans.",
    "Étudiantes et étudiants sur présentation de la carte d’étudiant.",
    "Personnes sans domicile ou hébergées à l’hôtel.",
    "Toute personne dans le besoin, sans distinction.",
];
const MOTIFS: &[&str] = &["Congés de fin d’année", "Travaux", "Inventaire", "Fermeture estivale"];
const PARAGRAPHES: &[&str] = &[
    "Les bénévoles préparent des **colis** avec des produits secs et, selon les arrivages, des fruits et légumes frais.",
    "Merci d’apporter **vos sacs** ou un chariot : les colis sont lourds.",
    "On y trouve en général :\n\n- des fruits et légumes\n- des produits laitiers\n- des produits d’hygiène",
    "Un **café** est offert pendant l’attente ; une bénévole peut aussi vous aider pour vos démarches.",
    "Pour une première visite, venez **15 minutes avant** l’ouverture.",
    "L’accès se fait par la cour ; l’interphone est à gauche de la porte.",
    "### Bon à savoir\n\nLe lieu est fermé pendant les vacances d’été ; les dates sont affichées sur la porte.",
    "Les repas sont servis à table, *sans réservation*, dans la limite des places disponibles.",
];
const GENRES_STRUCTURES: &[(&str, &str, &str)] = &[
    ("Épicerie solidaire", "epicerie-solidaire", "association"),
    ("Comité d’entraide", "comite-entraide", "association"),
    ("Restaurant solidaire", "restaurant-solidaire", "association"),
    ("Maraude", "maraude", "association"),
    ("Frigos partagés", "frigos-partages", "association"),
    ("Centre social", "centre-social", "association"),
    ("Service solidarités de la ville", "service-solidarites", "collectivite"),
    ("Jardins partagés", "jardins-partages", "autre"),
];

/// An id from a name: lower-case ASCII, digits and hyphens.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

pub(crate) struct GenStats {
    pub files: u64,
    pub bytes: u64,
}

impl GenStats {
    fn write(&mut self, path: &Path, text: &str) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, text)?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

/// Generates the site in `dir` unless a complete one of the same generator
/// version is there. Returns `None` when reused.
pub(crate) fn ensure_site(dir: &Path, n: usize) -> std::io::Result<Option<GenStats>> {
    let stamp = format!("alimap bench site, generator v{GENERATOR_VERSION}, {n} points\n");
    let stamp_path = dir.join(STAMP_FILE);
    if fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) && dir.join("content").is_dir() {
        return Ok(None);
    }
    let _ = fs::remove_file(&stamp_path);
    let content = dir.join("content");
    if content.exists() {
        fs::remove_dir_all(&content)?;
    }
    let stats = generate(&content, n)?;
    // Written last: a generation that stopped half-way is redone.
    fs::write(&stamp_path, stamp)?;
    Ok(Some(stats))
}

/// Grid corner (i, j) as (lon, lat), moved a little so cells are irregular
/// quadrilaterals that still tile the area.
fn corner(i: usize, j: usize) -> (f64, f64) {
    let mut r = Rng::new(((i as u64) << 32) | j as u64);
    let dx = (LON_MAX - LON_MIN) / COLS as f64;
    let dy = (LAT_MAX - LAT_MIN) / ROWS as f64;
    let jx = (r.unit() * 2.0 - 1.0) * CORNER_JITTER;
    let jy = (r.unit() * 2.0 - 1.0) * CORNER_JITTER;
    (LON_MIN + (i as f64 + jx) * dx, LAT_MIN + (j as f64 + jy) * dy)
}

fn perimeter_geojson(t: usize, nom: &str) -> String {
    let (c, r) = (t % COLS, t / COLS);
    // Counter-clockwise, as RFC 7946 asks for exterior rings.
    let corners = [corner(c, r), corner(c + 1, r), corner(c + 1, r + 1), corner(c, r + 1)];
    let mut coords = Vec::with_capacity(4 * EDGE_STEPS + 1);
    for k in 0..4 {
        let (a, b) = (corners[k], corners[(k + 1) % 4]);
        for s in 0..EDGE_STEPS {
            let f = s as f64 / EDGE_STEPS as f64;
            coords.push(format!("[{:.6},{:.6}]", a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f));
        }
    }
    coords.push(coords[0].clone());
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"nom\":\"{nom}\"}},\
         \"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}]}}\n",
        coords.join(",")
    )
}

/// A position inside territory `t`, away from its edges, as (lat, lon).
fn position_in(t: usize, rng: &mut Rng) -> (f64, f64) {
    let (c, r) = (t % COLS, t / COLS);
    let dx = (LON_MAX - LON_MIN) / COLS as f64;
    let dy = (LAT_MAX - LAT_MIN) / ROWS as f64;
    let u = POINT_MARGIN + rng.unit() * (1.0 - 2.0 * POINT_MARGIN);
    let v = POINT_MARGIN + rng.unit() * (1.0 - 2.0 * POINT_MARGIN);
    (LAT_MIN + (r as f64 + v) * dy, LON_MIN + (c as f64 + u) * dx)
}

fn phone(rng: &mut Rng) -> String {
    format!("01 99 {:02} {:02} {:02}", rng.below(100), rng.below(100), rng.below(100))
}

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{}\"", s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

fn markdown(rng: &mut Rng, first: &str) -> String {
    let mut text = first.to_string();
    let k = 1 + rng.below(3);
    for p in rng.some(PARAGRAPHES, k) {
        text.push_str("\n\n");
        text.push_str(p);
    }
    text.push_str("\n\n*Fiche générée pour mesurer la construction du site : les informations sont inventées.*");
    text
}

pub(crate) fn generate(content: &Path, n: usize) -> std::io::Result<GenStats> {
    let mut rng = Rng::new(n as u64);
    let mut stats = GenStats { files: 0, bytes: 0 };
    let t_count = COMMUNES.len();
    let s_count = (n / 10).max(1);
    let t_ids: Vec<String> = COMMUNES.iter().map(|c| slug(c.0)).collect();

    stats.write(
        &content.join("site.toml"),
        &format!(
            r#"titre = "Aide alimentaire – site de mesure ({n} lieux)"
description = "Un annuaire inventé de {n} lieux d’aide alimentaire, généré pour mesurer le temps de construction d’alimap."
url = "https://exemple.alimap.fr/mesure/"
langue = "fr"
fuseau_horaire = "Europe/Paris"
exemple = true
frequence_maj_mois = 6
licence_donnees = "Licence Ouverte 2.0"
mentions_legales = """
**Site de mesure.** Toutes les structures, tous les lieux et toutes les adresses de ce site sont **inventés**.

**Éditeur** : équipe du projet alimap – annuaire@exemple.org.
"""

[contact]
nom = "Équipe de l’annuaire (mesure)"
courriel = "annuaire@exemple.org"
telephone = "01 99 00 00 00"

[carte]
tuiles = "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
attribution = "© les contributeurs d’OpenStreetMap"
zoom_max = 19
active = true
"#
        ),
    )?;

    stats.write(
        &content.join("pages/a-propos.md"),
        "+++\ntitre = \"À propos\"\ndescription = \"À quoi sert cet annuaire de mesure.\"\nordre = 1\n+++\n\
         ## Un annuaire de mesure\n\nCe site est **généré automatiquement** pour mesurer le temps de construction \
         d’alimap sur un grand annuaire.\n\n- des lieux inventés ;\n- des structures inventées ;\n- des territoires \
         aux contours simplifiés.\n\n## Nous écrire\n\nÉcrivez à [annuaire@exemple.org](mailto:annuaire@exemple.org).\n",
    )?;
    stats.write(
        &content.join("pages/obtenir-de-l-aide.md"),
        "+++\ntitre = \"Obtenir de l’aide\"\ndescription = \"Comment trouver un lieu d’aide alimentaire.\"\n\
         ordre = 2\n+++\n## Sans condition\n\nLes **repas**, les **maraudes** et les **frigos solidaires** sont \
         en général ouverts à toutes et à tous.\n\n## Sur orientation\n\nPour une épicerie sociale ou des chèques \
         alimentaires, adressez-vous au *CCAS* de votre commune ou à une assistante sociale.\n\n| Aide | Condition |\n\
         |---|---|\n| Repas | Sans condition |\n| Épicerie sociale | Sur orientation |\n",
    )?;

    // Structures: structure s works in territory s % 40; the first one of
    // each territory is its CCAS.
    let mut s_ids = Vec::with_capacity(s_count);
    for s in 0..s_count {
        let t = s % t_count;
        let (commune, _, _) = COMMUNES[t];
        let (nom, id, type_, reseaux) = if s < t_count {
            (format!("CCAS – {commune}"), format!("ccas-{}", t_ids[t]), "ccas", vec!["ccas-cias"])
        } else {
            let (genre, genre_id, type_) = *rng.pick(GENRES_STRUCTURES);
            let k = 1 + rng.below(3);
            let reseaux = rng.some(RESEAUX, k.saturating_sub(1)).into_iter().copied().collect();
            (
                format!("{genre} – {commune} (antenne {})", s / t_count),
                format!("{genre_id}-{}-{s:05}", t_ids[t]),
                type_,
                reseaux,
            )
        };
        let presentation = markdown(
            &mut rng,
            &format!(
                "**{nom}** accueille les habitantes et les habitants de {commune} qui traversent une période difficile."
            ),
        );
        let text = format!(
            "nom = \"{nom}\"\ntype = \"{type_}\"\npresentation = \"\"\"\n{presentation}\n\"\"\"\n\
             site_web = \"https://exemple.org/structures/{id}/\"\ntelephone = \"{}\"\ncourriel = \"{id}@exemple.org\"\n\
             siret = \"{:014}\"\nrna = \"W{:09}\"\nreseaux_porteurs = {}\ndate_maj = 2026-{:02}-{:02}\n",
            phone(&mut rng),
            rng.next() % 100_000_000_000_000,
            rng.next() % 1_000_000_000,
            toml_list(&reseaux),
            3 + rng.below(8),
            1 + rng.below(28),
        );
        stats.write(&content.join(format!("structures/{id}.toml")), &text)?;
        s_ids.push(id);
    }

    for (t, &(commune, _, insee)) in COMMUNES.iter().enumerate() {
        let id = &t_ids[t];
        stats.write(&content.join(format!("territoires/{id}.geojson")), &perimeter_geojson(t, commune))?;
        let membres: Vec<&str> = (t..s_count).step_by(t_count).take(6).map(|s| s_ids[s].as_str()).collect();
        let text = format!(
            "nom = \"{commune}\"\ntype = \"commune\"\nperimetre = \"{id}.geojson\"\ncode_insee = \"{insee}\"\n\
             presentation = \"\"\"\nÀ {commune}, les lieux d’aide alimentaire se trouvent surtout dans le **centre-ville** \
             et près de la gare.\n\"\"\"\n\n[coordination]\nnom = \"Collectif alimentaire – {commune}\"\n\
             presentation = \"\"\"\nLe collectif se réunit une fois par mois pour coordonner les jours de distribution.\n\"\"\"\n\
             courriel = \"collectif-{id}@exemple.org\"\ntelephone = \"{}\"\nsite_web = \"https://exemple.org/collectifs/{id}/\"\n\
             membres = {}\n",
            phone(&mut rng),
            toml_list(&membres),
        );
        stats.write(&content.join(format!("territoires/{id}.toml")), &text)?;
    }

    let mut text = String::with_capacity(4096);
    // Points generated so far in each territory: gives every point its own
    // address (two points at one address under different names get a
    // warning, as a likely duplicate).
    let mut in_territory = vec![0usize; t_count];
    for i in 0..n {
        let s = i % s_count;
        let t = s % t_count;
        let (commune, code_postal, insee) = COMMUNES[t];
        // One service mostly, two or three sometimes.
        let k = if rng.chance(0.7) { 1 } else { 2 + rng.below(2) };
        let services = rng.some(SERVICES, k);
        let (first_service, first_label) = *services[0];
        let k = in_territory[t];
        in_territory[t] += 1;
        // 7 is prime to the number of streets: k ↦ (street, number) is one-to-one.
        let (rue, numero) = (RUES[k * 7 % RUES.len()], 1 + k / RUES.len());
        let id = format!("{first_service}-{}-{i:06}", t_ids[t]);
        let nom = if rng.chance(0.5) {
            format!("{first_label} {} – {}", rng.pick(JOURS), rng.pick(LIEUX_DITS))
        } else {
            format!("{first_label} – {rue}")
        };
        let k = 1 + rng.below(2);
        let acces: Vec<&str> = if rng.chance(0.3) {
            vec!["sans-condition"]
        } else {
            rng.some(&ACCES[1..], k).into_iter().copied().collect()
        };
        let payant = first_service == "epicerie-sociale" || rng.chance(0.15);
        let k = 1 + rng.below(3);
        let publics: Vec<&str> =
            if rng.chance(0.3) { vec!["tous-publics"] } else { rng.some(PUBLICS, k).into_iter().copied().collect() };
        let k = rng.below(4);
        let mut langues = vec!["fr"];
        langues.extend(rng.some(LANGUES, k).into_iter().copied());
        let k = 1 + rng.below(3);
        let regimes = rng.some(REGIMES, k);
        let k = rng.below(4);
        let justificatifs = rng.some(JUSTIFICATIFS, k);
        let (lat, lon) = position_in(t, &mut rng);
        let description = markdown(
            &mut rng,
            &format!("Ce lieu propose : **{}**.", services.iter().map(|s| s.1).collect::<Vec<_>>().join(", ")),
        );

        text.clear();
        let _ = write!(
            text,
            "nom = \"{nom}\"\nstructure = \"{}\"\nservices = {}\nadresse = \"{} {rue}\"\ncomplement_adresse = \"{}\"\n\
             code_postal = \"{code_postal}\"\ncommune = \"{commune}\"\ncode_insee = \"{insee}\"\n\
             latitude = {lat:.5}\nlongitude = {lon:.5}\nhoraires_accueil = \"{}\"\nacces = {}\nconditions_acces = \"{}\"\n\
             justificatifs = {}\nfrais = \"{}\"\nfrais_precisions = \"{}\"\npublics = {}\npublics_precisions = \"{}\"\n\
             langues = {}\naccessibilite_pmr = {}\nregimes = {}\ntelephone = \"{}\"\ncourriel = \"lieu-{i}@exemple.org\"\n\
             site_web = \"https://exemple.org/lieux/{id}/\"\ndescription = \"\"\"\n{description}\n\"\"\"\n\
             date_maj = 2026-10-01\nfrequence_maj_mois = {}\n",
            s_ids[s],
            toml_list(&services.iter().map(|s| s.0).collect::<Vec<_>>()),
            numero,
            rng.pick(COMPLEMENTS),
            horaires(&mut rng),
            toml_list(&acces),
            rng.pick(CONDITIONS),
            toml_list(&justificatifs),
            if payant { "payant" } else { "gratuit" },
            if payant { rng.pick(PRECISIONS_PAYANT) } else { rng.pick(PRECISIONS_GRATUIT) },
            toml_list(&publics),
            rng.pick(PRECISIONS_PUBLICS),
            toml_list(&langues),
            rng.chance(0.6),
            toml_list(&regimes),
            phone(&mut rng),
            [3, 6, 6, 12][rng.below(4)],
        );
        // Closures: some past, some now (the build date is 2026-11-28), most
        // ahead; a few points have two.
        let fermetures: &[(&str, &str)] = match rng.below(20) {
            0 => &[("2026-11-23", "2026-12-05")],
            1 | 2 => &[("2026-12-21", "2027-01-03")],
            3 => &[("2026-12-21", "2027-01-03"), ("2027-02-15", "2027-02-26")],
            4 => &[("2026-08-01", "2026-08-31")],
            _ => &[],
        };
        for (du, au) in fermetures {
            let _ = write!(text, "\n[[fermetures]]\ndu = {du}\nau = {au}\nmotif = \"{}\"\n", rng.pick(MOTIFS));
        }
        stats.write(&content.join(format!("lieux/{}/{id}.toml", t_ids[t])), &text)?;
    }
    Ok(stats)
}
