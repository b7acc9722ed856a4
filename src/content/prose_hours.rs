//! Opening hours written in French prose (« du lundi au vendredi de 9h à
//! 12h », « les mardis de 14h à 16h », « à partir de 20h ») converted to
//! OpenStreetMap `opening_hours` (`Mo-Fr 09:00-12:00`), or flagged with the
//! reason they cannot be (« un samedi sur deux », a lone « à 10h »).
//!
//! `alimap check` suggests the converted text when a volunteer writes
//! French in `horaires_accueil`; an import of public listings can convert
//! whole columns with it and keep what is flagged for a person to read.
//!
//! Three steps: words and numbers ([`tokenize`]), the phrases they make
//! ([`Reader`]: days, times, dates, closures, things that cannot be said),
//! then the week they describe ([`Week`]), written out. Nothing is
//! guessed: a phrase not understood flags the whole text, and every text
//! returned is read by [`Horaires::parse`].

use std::ops::Range;

use crate::model::hours::Horaires;

/// What [`convert`] made of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// The hours in `opening_hours` syntax, readable by [`Horaires::parse`].
    Hours(String),
    /// Not converted: why, in French, for the volunteer or the person
    /// reviewing an import.
    Flagged(String),
}

/// Converts French prose hours to `opening_hours`.
pub fn convert(text: &str) -> Conversion {
    let mut reader = Reader { text, toks: tokenize(text), items: Vec::new(), flags: Vec::new() };
    reader.read();
    if let Some(reason) = reader.flags.into_iter().next() {
        return Conversion::Flagged(reason);
    }
    let mut week = Week::default();
    for clause in reader.items.split(|i| matches!(i, Item::Break)) {
        week.clause(clause);
    }
    if let Some(reason) = week.flags.into_iter().next() {
        return Conversion::Flagged(reason);
    }
    // The whole year first: a season's rules replace it on their dates.
    week.segments.sort_by_key(|s| s.season.is_some());
    let mut rules: Vec<String> = week.segments.iter().flat_map(Segment::rules).collect();
    if rules.is_empty() {
        let reason = if week.segments.iter().any(|s| s.off != 0) || week.ph_off {
            "seuls des jours de fermeture : ajoutez les jours et heures d’ouverture"
        } else {
            "aucun jour ni horaire reconnu"
        };
        return Conversion::Flagged(reason.into());
    }
    if week.ph_off {
        rules.push("PH off".into());
    }
    let hours = rules.join("; ");
    match Horaires::parse(&hours) {
        Ok(_) => Conversion::Hours(hours),
        Err(_) => Conversion::Flagged("ces horaires ne se convertissent pas en un texte valide".into()),
    }
}

// ---------------------------------------------------------------------------
// Words and numbers

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// Lower case, without accents.
    Word(String),
    Num {
        value: u32,
        digits: usize,
    },
    Punct(char),
    /// A new line or `;`: a new clause.
    Break,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    /// Byte range in the text, to quote it in a reason.
    span: Range<usize>,
    /// Nothing between this token and the previous one (`9h30`, `1er`).
    glued: bool,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut glued = false;
    while let Some(&(at, c)) = chars.peek() {
        if c.is_alphabetic() {
            let (mut word, mut end) = (String::new(), at);
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphabetic() {
                    fold(c, &mut word);
                } else if !('\u{300}'..='\u{36f}').contains(&c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            toks.push(Tok { kind: Kind::Word(word), span: at..end, glued });
            glued = true;
        } else if c.is_ascii_digit() {
            let (mut value, mut digits, mut end) = (0u32, 0, at);
            while let Some(&(i, c)) = chars.peek() {
                let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) else { break };
                value = value.saturating_mul(10).saturating_add(d);
                digits += 1;
                end = i + 1;
                chars.next();
            }
            toks.push(Tok { kind: Kind::Num { value, digits }, span: at..end, glued });
            glued = true;
        } else {
            chars.next();
            let kind = match c {
                '\n' | ';' | '\u{2028}' | '\u{2029}' => Some(Kind::Break),
                '-' | '‐' | '‑' | '–' | '—' | '−' => Some(Kind::Punct('-')),
                '/' | ',' | '.' | ':' | '+' | '&' | '(' | ')' | '|' => Some(Kind::Punct(c)),
                _ => None,
            };
            match kind {
                Some(kind) => {
                    toks.push(Tok { kind, span: at..at + c.len_utf8(), glued });
                    glued = true;
                }
                None => glued = false,
            }
        }
    }
    toks
}

/// Lower case without accents: `Fériés` reads `feries`.
fn fold(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match l {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ç' => out.push('c'),
            'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            _ => out.push(l),
        }
    }
}

// ---------------------------------------------------------------------------
// Phrases

const DAY_CODES: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const MONTH_CODES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// Bits 0 to 6: Monday to Sunday; bit 7: public holidays.
const EVERY_DAY: u8 = 0x7f;
const HOLIDAYS: u8 = 0x80;

/// Words that say nothing of when: « accueil », « ouvert », articles.
const FILLERS: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "de",
    "d",
    "du",
    "en",
    "au",
    "aux",
    "a",
    "ce",
    "cet",
    "cette",
    "toutes",
    "tout",
    "toute",
    "ouvert",
    "ouverte",
    "ouverts",
    "ouvertes",
    "ouverture",
    "ouvertures",
    "accueil",
    "horaires",
    "horaire",
    "permanence",
    "permanences",
    "distribution",
    "distributions",
    "continue",
    "continu",
    "non",
    "stop",
    "sans",
    "interruption",
    "uniquement",
    "seulement",
    "annee",
    "y",
    "compris",
    "inclus",
    "puis",
    "egalement",
    "aussi",
    "mois",
    "vers",
    "pendant",
    "durant",
    "h",
    "heures",
    "heure",
    "journee",
    "nous",
    "sommes",
    "est",
];

/// Days of the week: bits as in [`EVERY_DAY`], and the `n`th weekdays of
/// the month (`Tu[1,3]`).
#[derive(Clone, Debug, Default, PartialEq)]
struct Days {
    mask: u8,
    nth: Vec<(usize, Vec<i8>)>,
}

impl Days {
    fn mask(mask: u8) -> Days {
        Days { mask, nth: Vec::new() }
    }

    fn union(&mut self, other: Days) {
        self.mask |= other.mask;
        self.nth.extend(other.nth);
    }
}

/// Minutes from midnight; no end for `20:00+`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u16,
    end: Option<u16>,
}

impl Span {
    const ALL_DAY: Span = Span { start: 0, end: Some(24 * 60) };

    /// The end in minutes from the start's midnight (past midnight adds a day).
    fn until(&self) -> u16 {
        match self.end {
            Some(e) if e <= self.start => e + 24 * 60,
            Some(e) => e,
            None => 48 * 60,
        }
    }

    fn text(&self) -> String {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        match self.end {
            Some(e) => format!("{}-{}", hm(self.start), hm(e)),
            None => format!("{}+", hm(self.start)),
        }
    }
}

/// What a phrase says.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Days(Days),
    Times(Span),
    /// « 24h/24 ».
    AllDay,
    /// Part of the year, in `opening_hours` form (`Oct 15-Mar 31`, `Jul,Aug`).
    Season(String),
    /// A part of the year closed (« fermé en août », « sauf juillet »).
    SeasonOff(String),
    /// « fermé », « fermeture »: the days named next are closed.
    Closed,
    /// « sauf », « hors »: the days named next are taken out.
    Except,
    /// « le matin », « l’après-midi »: a part of the day with no hours.
    Daypart(String),
    /// `,`, `et`, `/`, `.`: between items of a list or phrases.
    Sep,
    /// `;` or a new line.
    Break,
}

/// A time as written: minutes, whether it said it is a time (`9h`, `9:00`,
/// `midi`) rather than a bare number, and whether it is midnight.
#[derive(Clone, Copy)]
struct Time {
    minutes: u16,
    explicit: bool,
    midnight: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Lead {
    None,
    /// « entre 9h et 12h ».
    Between,
    /// « à partir de 20h », « dès 20h ».
    From,
}

struct Reader<'t> {
    text: &'t str,
    toks: Vec<Tok>,
    items: Vec<Item>,
    /// Why the text cannot be converted, first found first.
    flags: Vec<String>,
}

impl Reader<'_> {
    fn read(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            let next = match self.toks[i].kind {
                Kind::Break => {
                    self.items.push(Item::Break);
                    i + 1
                }
                Kind::Punct(_) => {
                    self.items.push(Item::Sep);
                    i + 1
                }
                Kind::Num { .. } => self.number(i),
                Kind::Word(_) => self.word_at(i),
            };
            i = next.max(i + 1);
        }
    }

    // Token accessors.

    fn word(&self, i: usize) -> Option<&str> {
        match &self.toks.get(i)?.kind {
            Kind::Word(w) => Some(w),
            _ => None,
        }
    }

    fn is(&self, i: usize, words: &[&str]) -> bool {
        self.word(i).is_some_and(|w| words.contains(&w))
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    fn num(&self, i: usize) -> Option<(u32, usize)> {
        match self.toks.get(i)?.kind {
            Kind::Num { value, digits } => Some((value, digits)),
            _ => None,
        }
    }

    fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    fn original(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.text[t.span.clone()])
    }

    /// The text of tokens `from..to`, as written.
    fn quote(&self, from: usize, to: usize) -> String {
        let to = to.min(self.toks.len());
        if from >= to {
            return String::new();
        }
        self.text[self.toks[from].span.start..self.toks[to - 1].span.end].trim().to_string()
    }

    fn flag(&mut self, reason: String) {
        self.flags.push(reason);
    }

    /// Skips the words given from `i`.
    fn skip(&self, mut i: usize, words: &[&str]) -> usize {
        while self.is(i, words) {
            i += 1;
        }
        i
    }

    fn push_season(&mut self, season: String) {
        let off = matches!(self.items.last(), Some(Item::Closed | Item::Except));
        self.items.push(if off { Item::SeasonOff(season) } else { Item::Season(season) });
    }

    // Phrases starting with a number.

    fn number(&mut self, i: usize) -> usize {
        if let Some(j) = self.around_the_clock(i) {
            self.items.push(Item::AllDay);
            return j;
        }
        if let Some(j) = self.every_day(i) {
            self.items.push(Item::Days(Days::mask(EVERY_DAY)));
            return j;
        }
        if let Some(j) = self.frequency(i) {
            return j;
        }
        if let Some(j) = self.nth(i) {
            return j;
        }
        if let Some(j) = self.season(i) {
            return j;
        }
        if let Some(j) = self.times(i, Lead::None) {
            return j;
        }
        let end = if self.punct(i + 1).is_some() && self.num(i + 2).is_some() { i + 3 } else { i + 1 };
        let q = self.quote(i, end);
        self.flag(format!("« {q} » : nombre non reconnu comme heure ni date"));
        end
    }

    /// « 24h/24 », « 24/24 », « 24 heures sur 24 », « h24 ».
    fn around_the_clock(&self, i: usize) -> Option<usize> {
        if self.is(i, &["h"]) && self.num(i + 1) == Some((24, 2)) && self.glued(i + 1) {
            return Some(i + 2);
        }
        if self.num(i)? != (24, 2) {
            return None;
        }
        let j = self.skip(i + 1, &["h", "heures"]);
        let k = if self.punct(j) == Some('/') || self.is(j, &["sur"]) { j + 1 } else { return None };
        (self.num(k)? == (24, 2)).then_some(k + 1)
    }

    /// « 7j/7 », « 7/7 », « 7 jours sur 7 », « sept jours sur sept ».
    fn every_day(&self, i: usize) -> Option<usize> {
        let seven = |i: usize| self.num(i) == Some((7, 1)) || self.is(i, &["sept"]);
        if !seven(i) {
            return None;
        }
        let j = self.skip(i + 1, &["j", "jours", "jrs", "jr"]);
        let k = if self.punct(j) == Some('/') || self.is(j, &["sur"]) { j + 1 } else { return None };
        seven(k).then_some(k + 1)
    }

    /// « tous les 15 jours », « 2 fois par mois », « une semaine sur deux ».
    fn frequency(&mut self, i: usize) -> Option<usize> {
        let from = if self.is(i.wrapping_sub(1), &["les"]) && self.is(i.wrapping_sub(2), &["tous", "toutes"]) {
            i - 2
        } else {
            i
        };
        let count = self.num(i).is_some() || self.is(i, &["deux", "trois", "quatre", "quinze"]);
        let end = if count && self.is(i + 1, &["jours", "semaines", "fois"]) {
            i + 2 + usize::from(self.is(i + 2, &["par"])) + usize::from(self.is(i + 3, &["mois", "semaine"]))
        } else if self.is(i, &["un", "une"]) {
            // « un samedi sur deux », « une semaine sur 2 », « une fois par mois ».
            let mut j = i + 1;
            while j < i + 4 && !self.is(j, &["sur", "fois"]) {
                j += 1;
            }
            let numbered = self.num(j + 1).is_some() || self.is(j + 1, &["deux", "trois", "quatre"]);
            if self.is(j, &["sur"]) && numbered {
                j + 2
            } else if self.is(j, &["fois"]) {
                j + 1 + usize::from(self.is(j + 1, &["par"])) + usize::from(self.is(j + 2, &["mois", "semaine"]))
            } else {
                return None;
            }
        } else if self.is(i, &["quinzaine", "paires", "impaires", "alternance", "bimensuel", "bimensuelle"]) {
            i + 1
        } else {
            return None;
        };
        let q = self.quote(from, end);
        self.flag(format!("« {q} » : fréquence non représentable, à écrire en commentaire"));
        Some(end)
    }

    // Days.

    fn day_at(&self, i: usize) -> Option<(usize, usize)> {
        let original = self.original(i);
        if let Some(d) = DAY_CODES.iter().position(|c| *c == original) {
            return Some((d, i + 1));
        }
        if original == "PH" {
            return Some((7, i + 1));
        }
        let (d, abbreviated) = match self.word(i)? {
            "lundi" | "lundis" => (0, false),
            "mardi" | "mardis" => (1, false),
            "mercredi" | "mercredis" => (2, false),
            "jeudi" | "jeudis" => (3, false),
            "vendredi" | "vendredis" => (4, false),
            "samedi" | "samedis" => (5, false),
            "dimanche" | "dimanches" => (6, false),
            "lun" => (0, true),
            "mar" => (1, true),
            "mer" | "merc" => (2, true),
            "jeu" => (3, true),
            "ven" | "vend" => (4, true),
            "sam" => (5, true),
            "dim" => (6, true),
            _ => return None,
        };
        let dot = abbreviated && self.punct(i + 1) == Some('.') && self.glued(i + 1);
        Some((d, i + 1 + usize::from(dot)))
    }

    /// « lundi », « du lundi au vendredi », « lun.-ven. », « lundi à jeudi ».
    fn day_range(&mut self, i: usize) -> Option<usize> {
        let (a, j) = self.day_at(i)?;
        let k = if self.punct(j) == Some('-') || self.is(j, &["au", "a"]) {
            Some(j + 1)
        } else if self.is(j, &["jusqu", "jusque"]) {
            Some(self.skip(j + 1, &["au", "a"]))
        } else {
            None
        };
        if let Some((b, m)) = k.and_then(|k| self.day_at(k))
            && a < 7
            && b < 7
        {
            let mut mask = 0u8;
            let mut d = a;
            loop {
                mask |= 1 << d;
                if d == b {
                    break;
                }
                d = (d + 1) % 7;
            }
            self.items.push(Item::Days(Days::mask(mask)));
            return Some(m);
        }
        self.items.push(Item::Days(Days::mask(1 << a)));
        Some(j)
    }

    /// « 1er », « 3e », « premier », « dernier ».
    fn ordinal_at(&self, i: usize) -> Option<(i8, usize)> {
        if let Some((n, _)) = self.num(i) {
            let suffix = ["er", "re", "ere", "e", "eme", "em", "nd", "nde", "ieme", "eres", "ers", "emes", "es"];
            return (self.glued(i + 1) && self.is(i + 1, &suffix) && (1..=5).contains(&n)).then(|| (n as i8, i + 2));
        }
        let n = match self.word(i)? {
            "premier" | "premiere" | "premiers" | "premieres" => 1,
            "deuxieme" | "deuxiemes" | "second" | "seconde" => 2,
            "troisieme" | "troisiemes" => 3,
            "quatrieme" | "quatriemes" => 4,
            "cinquieme" => 5,
            "dernier" | "derniere" | "derniers" | "dernieres" => -1,
            _ => return None,
        };
        Some((n, i + 1))
    }

    /// « le 1er mardi du mois », « les 2e et 4e jeudis », « le dernier vendredi ».
    fn nth(&mut self, i: usize) -> Option<usize> {
        let (first, mut after) = self.ordinal_at(i)?;
        let mut ords = vec![first];
        loop {
            let mut j = after;
            while self.is(j, &["et", "le", "la", "les"]) || self.punct(j) == Some(',') {
                j += 1;
            }
            match self.ordinal_at(j) {
                Some((n, k)) => {
                    ords.push(n);
                    after = k;
                }
                None => break,
            }
        }
        let (day, mut j) = self.day_at(after).filter(|(d, _)| *d < 7)?;
        if self.is(j, &["du", "de", "d"]) {
            let k = self.skip(j + 1, &["chaque", "ce"]);
            if self.is(k, &["mois"]) {
                j = k + 1;
            }
        }
        ords.sort_unstable_by_key(|n| (*n < 0, *n));
        ords.dedup();
        self.items.push(Item::Days(Days { mask: 0, nth: vec![(day, ords)] }));
        Some(j)
    }

    // Dates and seasons.

    fn month_at(&self, i: usize) -> Option<(usize, usize)> {
        let (m, abbreviated) = match self.word(i)? {
            "janvier" => (0, false),
            "janv" | "jan" => (0, true),
            "fevrier" => (1, false),
            "fevr" | "fev" => (1, true),
            "mars" => (2, false),
            "avril" => (3, false),
            "avr" => (3, true),
            "mai" => (4, false),
            "juin" => (5, false),
            "juillet" => (6, false),
            "juil" => (6, true),
            "aout" => (7, false),
            "septembre" => (8, false),
            "sept" | "sep" => (8, true),
            "octobre" => (9, false),
            "oct" => (9, true),
            "novembre" => (10, false),
            "nov" => (10, true),
            "decembre" => (11, false),
            "dec" => (11, true),
            _ => return None,
        };
        let dot = abbreviated && self.punct(i + 1) == Some('.') && self.glued(i + 1);
        Some((m, i + 1 + usize::from(dot)))
    }

    /// « 15 octobre », « 1er mars », « 15/10 »: month and day; a year after
    /// it is flagged (a one-time period is not a season).
    fn date_at(&mut self, i: usize) -> Option<((usize, u32), usize)> {
        let (day, j) = match self.ordinal_at(i) {
            Some((1, j)) => (1, j),
            _ => match self.num(i) {
                Some((d, digits)) if digits <= 2 && (1..=31).contains(&d) => (d, i + 1),
                _ => return None,
            },
        };
        let (month, mut k) = if let Some(m) = self.month_at(j) {
            m
        } else if self.punct(j) == Some('/')
            && self.glued(j)
            && let Some((m, digits)) = self.num(j + 1)
            && digits <= 2
            && (1..=12).contains(&m)
        {
            (m as usize - 1, j + 2)
        } else {
            return None;
        };
        const LENGTHS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if day > LENGTHS[month] {
            let q = self.quote(i, k);
            self.flag(format!("« {q} » : cette date n’existe pas"));
        }
        if self.punct(k) == Some('/') && self.glued(k) && self.num(k + 1).is_some() {
            k += 1;
        }
        if let Some((_, 4)) = self.num(k) {
            let q = self.quote(i, k + 1);
            self.flag(format!(
                "« {q} » : une année précise n’est pas un horaire habituel ; pour une fermeture, utilisez `[[fermetures]]`"
            ));
            k += 1;
        }
        Some(((month, day), k))
    }

    /// « du 15 octobre au 31 mars », « le 25 décembre », « d’octobre à
    /// mars », « en juillet et août ».
    fn season(&mut self, i: usize) -> Option<usize> {
        let date = |(m, d): (usize, u32)| format!("{} {d:02}", MONTH_CODES[m]);
        if let Some((first, j)) = self.date_at(i) {
            let k = if self.punct(j) == Some('-') || self.is(j, &["au", "a", "et"]) {
                Some(self.skip(j + 1, &["le", "au"]))
            } else if self.is(j, &["jusqu", "jusque"]) {
                Some(self.skip(j + 1, &["au", "a", "le"]))
            } else {
                None
            };
            if let Some(k) = k
                && let Some((last, m)) = self.date_at(k)
            {
                self.push_season(format!("{}-{}", date(first), date(last)));
                return Some(m);
            }
            self.push_season(date(first));
            return Some(j);
        }
        let (first, j) = self.month_at(i)?;
        let k = if self.punct(j) == Some('-') || self.is(j, &["au", "a"]) {
            Some(j + 1)
        } else if self.is(j, &["jusqu", "jusque"]) {
            Some(self.skip(j + 1, &["au", "a", "en", "fin"]))
        } else {
            None
        };
        if let Some((last, m)) = k.and_then(|k| self.month_at(k)) {
            self.push_season(format!("{}-{}", MONTH_CODES[first], MONTH_CODES[last]));
            return Some(m);
        }
        let mut months = vec![first];
        let mut end = j;
        loop {
            let k = self.skip(end, &["et", "en"]);
            let k =
                if self.punct(k).is_some_and(|c| c == ',' || c == '/') { self.skip(k + 1, &["et", "en"]) } else { k };
            match self.month_at(k) {
                Some((m, next)) if k > end => {
                    months.push(m);
                    end = next;
                }
                _ => break,
            }
        }
        let list: Vec<&str> = months.iter().map(|m| MONTH_CODES[*m]).collect();
        self.push_season(list.join(","));
        Some(end)
    }

    // Times.

    fn time_at(&mut self, i: usize) -> Option<(Time, usize)> {
        match self.word(i) {
            Some("midi") => return Some((Time { minutes: 12 * 60, explicit: true, midnight: false }, i + 1)),
            Some("minuit") => return Some((Time { minutes: 0, explicit: true, midnight: true }, i + 1)),
            _ => {}
        }
        let (h, digits) = self.num(i)?;
        if digits > 2 {
            return None;
        }
        let hour_word = |r: &Self, j: usize| r.is(j, &["h", "heure", "heures", "hr", "hrs"]);
        let (minutes, explicit, j) = if hour_word(self, i + 1) {
            let j = i + 2;
            match self.num(j) {
                Some((m, 2)) if !hour_word(self, j + 1) && self.punct(j + 1) != Some(':') => (m, true, j + 1),
                _ => (0, true, j),
            }
        } else if self.punct(i + 1) == Some(':')
            && self.glued(i + 1)
            && self.glued(i + 2)
            && let Some((m, 2)) = self.num(i + 2)
        {
            (m, true, i + 3 + usize::from(hour_word(self, i + 3) && self.glued(i + 3)))
        } else {
            (0, false, i + 1)
        };
        if h > 24 || minutes > 59 || (h == 24 && minutes > 0) {
            if explicit {
                let q = self.quote(i, j);
                self.flag(format!("« {q} » : cette heure n’existe pas"));
                return Some((Time { minutes: 0, explicit, midnight: false }, j));
            }
            return None;
        }
        let minutes = (h * 60 + minutes) as u16;
        Some((Time { minutes, explicit, midnight: false }, j))
    }

    /// A range of times from `i` (« 9h-12h », « de 9h à 12h », « 9 à
    /// 12h »), an open end after `Lead::From`; a time alone is flagged.
    /// `None` when there is no time at `i`.
    fn times(&mut self, i: usize, lead: Lead) -> Option<usize> {
        let (first, j) = self.time_at(i)?;
        let k =
            if self.punct(j) == Some('-') || self.is(j, &["a", "au"]) || (lead == Lead::Between && self.is(j, &["et"]))
            {
                Some(j + 1)
            } else if self.is(j, &["jusqu", "jusque"]) {
                Some(self.skip(j + 1, &["a"]))
            } else {
                None
            };
        if let Some(k) = k {
            let k = self.skip(k, &["de"]);
            if let Some((last, m)) = self.time_at(k)
                && (first.explicit || last.explicit)
            {
                let start = if first.minutes == 24 * 60 { 0 } else { first.minutes };
                let end = if last.midnight { 24 * 60 } else { last.minutes };
                if end <= start && end > 6 * 60 {
                    let q = self.quote(i, m);
                    self.flag(format!("« {q} » : l’heure de fin est avant l’heure de début"));
                }
                self.items.push(Item::Times(Span { start, end: Some(end) }));
                return Some(m);
            }
        }
        if !first.explicit {
            return None;
        }
        if lead == Lead::From {
            self.items.push(Item::Times(Span { start: first.minutes % (24 * 60), end: None }));
            return Some(j);
        }
        let from = if self.is(i.wrapping_sub(1), &["a", "vers"]) { i - 1 } else { i };
        let q = self.quote(from, j);
        self.flag(format!("« {q} » : heure de fin manquante (un horaire d’accueil va de … à …)"));
        Some(j)
    }

    // Phrases starting with a word.

    fn word_at(&mut self, i: usize) -> usize {
        if let Some(j) = self.frequency(i) {
            return j;
        }
        if let Some(j) = self.day_range(i) {
            return j;
        }
        if let Some(j) = self.nth(i) {
            return j;
        }
        if let Some(j) = self.season(i) {
            return j;
        }
        let word = self.word(i).unwrap_or_default().to_string();
        let prev = self.word(i.wrapping_sub(1)).unwrap_or_default().to_string();
        if let Some(j) = self.not_hours(i, &word, &prev) {
            return j;
        }
        let days = |r: &mut Self, mask: u8, j: usize| {
            r.items.push(Item::Days(Days::mask(mask)));
            j
        };
        match word.as_str() {
            "et" => {
                self.items.push(Item::Sep);
                i + 1
            }
            "midi" if !["le", "les", "ce", "chaque", "tous"].contains(&prev.as_str()) => {
                self.times(i, Lead::None).unwrap_or(i + 1)
            }
            "minuit" => self.times(i, Lead::None).unwrap_or(i + 1),
            "tous" | "chaque" => {
                let j = self.skip(i + 1, &["les"]);
                if self.is(j, &["jours", "jour"]) {
                    let k = if self.is(j + 1, &["de"]) && self.is(j + 2, &["la"]) && self.is(j + 3, &["semaine"]) {
                        j + 4
                    } else {
                        j + 1
                    };
                    days(self, EVERY_DAY, k)
                } else {
                    i + 1
                }
            }
            "tlj" | "quotidien" | "quotidiennement" => days(self, EVERY_DAY, i + 1),
            "jour" | "jours" => {
                if self.is(i + 1, &["ferie", "feries", "feriee", "feriees"]) {
                    days(self, HOLIDAYS, i + 2)
                } else if self.is(i + 1, &["ouvres", "ouvre"]) {
                    days(self, 0x1f, i + 2)
                } else if self.is(i + 1, &["ouvrables", "ouvrable"]) {
                    days(self, 0x3f, i + 2)
                } else if self.is(i + 1, &["de"]) && self.is(i + 2, &["semaine"]) {
                    days(self, 0x1f, i + 3)
                } else if self.is(i + 1, &["d"]) && self.is(i + 2, &["ouverture"]) {
                    i + 3
                } else {
                    self.unknown(i)
                }
            }
            "ferie" | "feries" | "feriee" | "feriees" => days(self, HOLIDAYS, i + 1),
            "semaine" if prev == "la" && self.is(i.wrapping_sub(2), &["toute"]) => days(self, EVERY_DAY, i + 1),
            "semaine" => days(self, 0x1f, i + 1),
            "fin" | "fins" if self.is(i + 1, &["de"]) && self.is(i + 2, &["semaine", "semaines"]) => {
                days(self, 0x60, i + 3)
            }
            "week" if self.is(i + 1, &["end", "ends"]) => days(self, 0x60, i + 2),
            "week" if self.punct(i + 1) == Some('-') && self.is(i + 2, &["end", "ends"]) => days(self, 0x60, i + 3),
            "weekend" | "weekends" => days(self, 0x60, i + 1),
            "we" => days(self, 0x60, i + 1),
            "sur" if self.is(i + 1, &["rendez", "rdv", "rendezvous"]) => i + 1,
            "sauf" | "excepte" | "exceptee" | "hors" | "sf" | "exception" => {
                self.items.push(Item::Except);
                i + 1
            }
            "ferme" | "fermee" | "fermes" | "fermees" | "fermeture" | "fermetures" | "off" | "closed" | "clos" => {
                self.items.push(Item::Closed);
                i + 1
            }
            "matin" | "matins" | "matinee" | "matinees" | "soir" | "soirs" | "soiree" | "soirees" | "aprem"
            | "midi" | "midis" | "nuit" => {
                let from =
                    if ["le", "les", "l", "la", "en", "ce", "chaque"].contains(&prev.as_str()) { i - 1 } else { i };
                self.items.push(Item::Daypart(self.quote(from, i + 1)));
                i + 1
            }
            "apres" if self.is(i + 1, &["midi", "midis"]) || self.is(i + 2, &["midi", "midis"]) => {
                let end = if self.is(i + 1, &["midi", "midis"]) { i + 2 } else { i + 3 };
                let from = if ["l", "les", "cet", "chaque"].contains(&prev.as_str()) { i - 1 } else { i };
                self.items.push(Item::Daypart(self.quote(from, end)));
                end
            }
            "des" | "apres" => {
                self.times(i + 1, Lead::From).unwrap_or_else(|| if word == "des" { i + 1 } else { self.unknown(i) })
            }
            "partir" => {
                let j = self.skip(i + 1, &["de", "d", "du"]);
                if let Some(k) = self.times(j, Lead::From) {
                    return k;
                }
                if let Some((_, k)) = self.date_at(j) {
                    let q = self.quote(i.saturating_sub(1), k);
                    self.flag(format!("« {q} » : date de fin manquante"));
                    return k;
                }
                self.unknown(i)
            }
            "entre" => self.times(i + 1, Lead::Between).unwrap_or(i + 1),
            "jusqu" | "jusque" | "avant" => {
                let j = self.skip(i + 1, &["a", "au", "le"]);
                let end = match self.time_at(j) {
                    Some((_, k)) => k,
                    None => match self.date_at(j) {
                        Some((_, k)) => k,
                        None => return self.unknown(i),
                    },
                };
                let q = self.quote(i, end);
                self.flag(format!("« {q} » : heure ou date de début manquante"));
                end
            }
            w if FILLERS.contains(&w) || w == "un" || w == "une" || w == "sur" => i + 1,
            _ => self.unknown(i),
        }
    }

    /// Words that say something other than hours (an appointment, a
    /// choice, a vague date): flagged with what to write instead.
    fn not_hours(&mut self, i: usize, word: &str, prev: &str) -> Option<usize> {
        Some(match word {
            "ou" => {
                let q = self.quote(i.saturating_sub(1), i + 2);
                self.flag(format!("« {q} » : « ou » laisse le choix entre deux horaires ; écrivez celui qui vaut"));
                i + 1
            }
            "rendez" | "rdv" | "rendezvous" => {
                self.flag(
                        "« sur rendez-vous » n’est pas un horaire : indiquez `rendez-vous` dans `acces` et gardez ici les heures d’accueil"
                                .into(),
                    );
                self.skip(i + 1, &["vous"]) + usize::from(self.punct(i + 1) == Some('-'))
            }
            "inscription" | "orientation" | "appel" | "demande" => {
                let q = self.quote(if prev == "sur" { i - 1 } else { i }, i + 1);
                self.flag(format!(
                    "« {q} » n’est pas un horaire : indiquez-le dans `acces` et gardez ici les heures d’accueil"
                ));
                i + 1
            }
            "vacances" | "conges" => {
                let q = self.quote(i, i + 2);
                self.flag(format!("« {q} » : dates variables d’une année à l’autre, à écrire en commentaire"));
                i + 1 + usize::from(self.is(i + 1, &["scolaires", "de", "d"]))
            }
            "mi" | "debut" | "fin" if self.month_at(self.skip(i + 1, &["de", "d"])).is_some() => {
                let q = self.quote(i, self.skip(i + 1, &["de", "d"]) + 1);
                self.flag(format!("« {q} » : date imprécise, écrivez le jour (par exemple « du 15 juin »)"));
                i + 1
            }
            _ => return None,
        })
    }

    fn unknown(&mut self, i: usize) -> usize {
        let q = self.original(i).to_string();
        self.flag(format!("« {q} » : mot non reconnu dans des horaires"));
        i + 1
    }
}

// ---------------------------------------------------------------------------
// The week

/// The hours of one part of the year (all of it when `season` is `None`).
#[derive(Default)]
struct Segment {
    season: Option<String>,
    /// Open periods of each weekday, then public holidays.
    days: [Vec<Span>; 8],
    /// Whether any open day was named (« de 9h à 12h » names none).
    named: bool,
    /// Days said closed.
    off: u8,
    /// The whole season closed (« fermé en août »).
    closed: bool,
    /// `Tu[1]`-like days with their periods.
    nth: Vec<(usize, Vec<i8>, Vec<Span>)>,
}

impl Segment {
    fn rules(&self) -> Vec<String> {
        let prefix = self.season.as_ref().map(|s| format!("{s} ")).unwrap_or_default();
        let times = |spans: &[Span]| spans.iter().map(Span::text).collect::<Vec<_>>().join(",");
        let mut groups: Vec<(&[Span], u8)> = Vec::new();
        for (d, spans) in self.days.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            match groups.iter_mut().find(|(s, _)| *s == spans.as_slice()) {
                Some((_, mask)) => *mask |= 1 << d,
                None => groups.push((spans, 1 << d)),
            }
        }
        let mut rules = Vec::new();
        let opened = groups.iter().fold(0, |m, (_, g)| m | g);
        match groups.as_slice() {
            [(spans, EVERY_DAY)] if self.season.is_none() && self.nth.is_empty() && *spans == [Span::ALL_DAY] => {
                rules.push("24/7".into());
            }
            [(spans, EVERY_DAY)] if !self.named => rules.push(format!("{prefix}{}", times(spans))),
            _ => {
                for (spans, mask) in &groups {
                    rules.push(format!("{prefix}{} {}", days_text(*mask), times(spans)));
                }
            }
        }
        for (day, ords, spans) in &self.nth {
            let ords: Vec<String> = ords.iter().map(i8::to_string).collect();
            rules.push(format!("{prefix}{}[{}] {}", DAY_CODES[*day], ords.join(","), times(spans)));
        }
        let off = self.off & !opened & !HOLIDAYS;
        if let Some(season) = &self.season {
            if self.closed && rules.is_empty() {
                rules.push(format!("{season} off"));
            } else if off != 0 {
                rules.push(format!("{season} {} off", days_text(off)));
            }
        }
        rules
    }
}

/// `Mo-Fr`, `Mo,We`, `Sa,Su,PH`.
fn days_text(mask: u8) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut d = 0;
    while d < 7 {
        if mask & (1 << d) != 0 {
            let start = d;
            while d + 1 < 7 && mask & (1 << (d + 1)) != 0 {
                d += 1;
            }
            match d - start {
                0 => parts.push(DAY_CODES[start].into()),
                1 => parts.extend([DAY_CODES[start].to_string(), DAY_CODES[d].to_string()]),
                _ => parts.push(format!("{}-{}", DAY_CODES[start], DAY_CODES[d])),
            }
        }
        d += 1;
    }
    if mask & HOLIDAYS != 0 {
        parts.push("PH".into());
    }
    parts.join(",")
}

/// Days and times read together: « du lundi au vendredi de 9h à 12h ».
#[derive(Default)]
struct Group {
    days: Option<Days>,
    times: Vec<Span>,
    all_day: bool,
    daypart: Option<String>,
    off: bool,
}

impl Group {
    fn has_times(&self) -> bool {
        !self.times.is_empty() || self.all_day
    }

    fn is_empty(&self) -> bool {
        self.days.is_none() && !self.has_times() && self.daypart.is_none()
    }
}

/// Whether a clause names its days before its hours (« le mardi de 14h à
/// 16h ») or after them (« de 14h à 16h le mardi »).
#[derive(Clone, Copy, PartialEq)]
enum Order {
    DaysFirst,
    TimesFirst,
}

enum Mode {
    Open,
    /// After « sauf »: the days to take out.
    Except(Option<Days>),
    /// After « fermé »: the days closed, and whether a season was.
    Closed(Option<Days>, bool),
}

#[derive(Default)]
struct Week {
    segments: Vec<Segment>,
    ph_off: bool,
    flags: Vec<String>,
}

impl Week {
    /// One clause (between `;` or new lines). Several seasons in one
    /// clause each take the part after the separator before them.
    fn clause(&mut self, items: &[Item]) {
        let seasons: Vec<usize> =
            items.iter().enumerate().filter(|(_, i)| matches!(i, Item::Season(_))).map(|(k, _)| k).collect();
        let mut cuts = vec![0];
        for pair in seasons.windows(2) {
            match (pair[0] + 1..pair[1]).rev().find(|k| items[*k] == Item::Sep) {
                Some(k) => cuts.push(k),
                None => {
                    self.flags.push(
                        "plusieurs périodes de l’année dans une même phrase : écrivez une règle par période, séparées par « ; »"
                            .into(),
                    );
                    return;
                }
            }
        }
        cuts.push(items.len());
        for part in cuts.windows(2) {
            self.part(&items[part[0]..part[1]]);
        }
    }

    fn part(&mut self, items: &[Item]) {
        let season = items.iter().find_map(|i| match i {
            Item::Season(s) => Some(s.clone()),
            _ => None,
        });
        let mut g = Group::default();
        let mut mode = Mode::Open;
        let mut order = None;
        let mut emitted = false;
        for item in items {
            match item {
                Item::Days(d) => match &mut mode {
                    Mode::Except(acc) | Mode::Closed(acc, _) => match acc {
                        Some(acc) => acc.union(d.clone()),
                        None => *acc = Some(d.clone()),
                    },
                    Mode::Open => {
                        let o = *order.get_or_insert(Order::DaysFirst);
                        if o == Order::DaysFirst && g.has_times() {
                            self.emit(&season, std::mem::take(&mut g));
                            emitted = true;
                        }
                        match &mut g.days {
                            Some(days) => days.union(d.clone()),
                            None => g.days = Some(d.clone()),
                        }
                    }
                },
                Item::Times(_) | Item::AllDay => {
                    match std::mem::replace(&mut mode, Mode::Open) {
                        Mode::Except(Some(acc)) if g.has_times() => {
                            // « de 9h à 17h sauf le mercredi de 9h à 12h »:
                            // those days have their own hours.
                            let rest = g.days.as_ref().map_or(EVERY_DAY, |d| d.mask) & !acc.mask;
                            g.days = Some(Days { mask: rest, nth: g.days.take().map(|d| d.nth).unwrap_or_default() });
                            self.emit(&season, std::mem::take(&mut g));
                            emitted = true;
                            g.days = Some(acc);
                        }
                        Mode::Except(acc) => self.except(&mut g, acc),
                        Mode::Closed(Some(_), _) => {
                            self.flags.push(
                                "fermeture d’une partie de journée : écrivez plutôt les heures d’ouverture de ce jour"
                                    .into(),
                            );
                        }
                        Mode::Closed(None, _) | Mode::Open => {}
                    }
                    let o = *order.get_or_insert(Order::TimesFirst);
                    if o == Order::TimesFirst && g.days.is_some() {
                        self.emit(&season, std::mem::take(&mut g));
                        emitted = true;
                    }
                    match item {
                        Item::Times(s) => g.times.push(*s),
                        _ => g.all_day = true,
                    }
                }
                Item::Daypart(q) => {
                    if !matches!(mode, Mode::Open) {
                        self.flags.push(format!("« {q} » : partie de journée imprécise, écrivez les heures"));
                    }
                    g.daypart = Some(q.clone());
                }
                Item::Closed => {
                    self.end_mode(&mut g, std::mem::replace(&mut mode, Mode::Open), &season, emitted);
                    if g.days.is_some() && !g.has_times() {
                        g.off = true;
                        self.emit(&season, std::mem::take(&mut g));
                        emitted = true;
                    } else {
                        if !g.is_empty() {
                            self.emit(&season, std::mem::take(&mut g));
                            emitted = true;
                        }
                        mode = Mode::Closed(None, false);
                    }
                }
                Item::Except => {
                    self.end_mode(&mut g, std::mem::replace(&mut mode, Mode::Open), &season, emitted);
                    mode = Mode::Except(None);
                }
                Item::SeasonOff(s) => {
                    self.segment(&Some(s.clone())).closed = true;
                    if let Mode::Closed(_, used) = &mut mode {
                        *used = true;
                    }
                    if let Mode::Except(None) = mode {
                        mode = Mode::Closed(None, true);
                    }
                }
                Item::Sep | Item::Season(_) | Item::Break => {}
            }
        }
        let anything = emitted || !g.is_empty();
        self.end_mode(&mut g, mode, &season, anything);
        if !g.is_empty() {
            self.emit(&season, g);
        }
    }

    /// « sauf » with no hours after it: the days are taken out of the
    /// group's (of every day when it names none).
    fn except(&mut self, g: &mut Group, acc: Option<Days>) {
        let Some(acc) = acc else { return };
        if acc.mask & HOLIDAYS != 0 {
            self.ph_off = true;
        }
        let base = g.days.take().unwrap_or_else(|| Days::mask(EVERY_DAY));
        if !acc.nth.is_empty() {
            self.flags.push("« sauf » avec un jour du mois : écrivez les jours d’ouverture".into());
        }
        g.days = Some(Days { mask: base.mask & !(acc.mask & EVERY_DAY), nth: base.nth });
    }

    fn end_mode(&mut self, g: &mut Group, mode: Mode, season: &Option<String>, anything: bool) {
        match mode {
            Mode::Open => {}
            Mode::Except(acc) => self.except(g, acc),
            Mode::Closed(Some(days), _) => {
                if days.mask & HOLIDAYS != 0 {
                    self.ph_off = true;
                }
                let days = Days { mask: days.mask & EVERY_DAY, nth: days.nth };
                if days.mask != 0 || !days.nth.is_empty() {
                    self.emit(season, Group { days: Some(days), off: true, ..Group::default() });
                }
            }
            Mode::Closed(None, true) => {}
            Mode::Closed(None, false) => match season {
                Some(_) if !anything => self.segment(season).closed = true,
                _ => self.flags.push(
                    "« fermé » sans jour ni date : pour une fermeture temporaire, utilisez `[[fermetures]]`".into(),
                ),
            },
        }
    }

    fn segment(&mut self, season: &Option<String>) -> &mut Segment {
        let at = match self.segments.iter().position(|s| s.season == *season) {
            Some(at) => at,
            None => {
                self.segments.push(Segment { season: season.clone(), ..Segment::default() });
                self.segments.len() - 1
            }
        };
        &mut self.segments[at]
    }

    fn emit(&mut self, season: &Option<String>, g: Group) {
        if g.off {
            let days = g.days.unwrap_or_default();
            self.ph_off |= days.mask & HOLIDAYS != 0;
            let seg = self.segment(season);
            seg.off |= days.mask;
            for d in 0..8 {
                if days.mask & (1 << d) != 0 {
                    seg.days[d].clear();
                }
            }
            seg.nth.retain(|(d, ords, _)| !days.nth.iter().any(|(e, o)| e == d && o == ords));
            return;
        }
        if !g.has_times() {
            let reason = match (&g.daypart, &g.days) {
                (Some(q), _) => {
                    format!("« {q} » : partie de journée imprécise, écrivez les heures (par exemple 9h-12h)")
                }
                (None, Some(days)) => {
                    let mut codes = days_text(days.mask);
                    for (d, ords) in &days.nth {
                        let ords: Vec<String> = ords.iter().map(i8::to_string).collect();
                        let nth = format!("{}[{}]", DAY_CODES[*d], ords.join(","));
                        codes = if codes.is_empty() { nth } else { format!("{codes},{nth}") };
                    }
                    format!(
                        "heures d’ouverture manquantes : les jours se lisent `{codes}`, ajoutez les heures (`{codes} 14:00-17:00` par exemple)"
                    )
                }
                (None, None) => return,
            };
            self.flags.push(reason);
            return;
        }
        let mut spans = g.times.clone();
        if g.all_day {
            spans.push(Span::ALL_DAY);
        }
        spans.sort_by_key(|s| s.start);
        spans.dedup();
        let (mask, nth, named) = match g.days {
            Some(d) => (d.mask, d.nth, true),
            None => (EVERY_DAY, Vec::new(), false),
        };
        let mut clash = None;
        let seg = self.segment(season);
        seg.named |= named;
        for d in (0..8).filter(|d| mask & (1 << d) != 0) {
            for s in &spans {
                let day = &mut seg.days[d];
                if day.contains(s) {
                    continue;
                }
                if day.iter().any(|o| o.start < s.until() && s.start < o.until()) {
                    clash = Some(d);
                }
                day.push(*s);
                day.sort_by_key(|s| s.start);
            }
        }
        for (day, ords) in nth {
            if seg.days[day].is_empty() {
                seg.nth.push((day, ords, spans.clone()));
            } else {
                clash = Some(day);
            }
        }
        if let Some(d) = clash {
            let name = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "jour férié"][d];
            self.flags.push(format!(
                "deux horaires se chevauchent le {name} : s’ils remplacent l’un l’autre, écrivez les jours de chacun"
            ));
        }
    }
}

#[cfg(test)]
mod tests;
