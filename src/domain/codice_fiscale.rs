//! Codice fiscale: structure, month and day, omocodia (digits replaced by letters in the
//! official right-to-left order) and the check character.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The sex encoded in a codice fiscale (day + 40 for women).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfSex {
    /// Maschio.
    M,
    /// Femmina.
    F,
}

/// What a valid codice fiscale tells about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CfInfo {
    /// The code, trimmed and upper-cased.
    pub code: String,
    /// The birth date (century inferred: a two-digit year not after this year is 20xx).
    pub birth_date: NaiveDate,
    /// The sex.
    pub sex: CfSex,
    /// The cadastral code of the birthplace (Z… for a foreign country), omocodia undone.
    pub birthplace: String,
    /// True when some digits were replaced by letters (omocodia).
    pub omocode: bool,
}

/// Why a codice fiscale is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfError {
    /// Not 16 characters.
    Length,
    /// A character not allowed at its position.
    Chars,
    /// The month letter is not one of A B C D E H L M P R S T.
    Month,
    /// The day does not exist (also 32–40, or 30 February).
    Day,
    /// The last character does not match the check computed from the first 15.
    Check,
}

impl fmt::Display for CfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CfError::Length => "Il codice fiscale deve avere 16 caratteri",
            CfError::Chars => {
                "Il codice fiscale contiene caratteri non ammessi in quella posizione"
            }
            CfError::Month => "Il mese del codice fiscale non è valido",
            CfError::Day => "Il giorno di nascita del codice fiscale non è valido",
            CfError::Check => "Il carattere di controllo del codice fiscale non corrisponde",
        })
    }
}

impl std::error::Error for CfError {}

const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
/// Letters that replace the digits 0–9 in omocodia.
const OMOCODE: &[u8; 10] = b"LMNPQRSTUV";
/// Positions (0-based) that hold digits, which omocodia may replace.
const DIGIT_POS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
/// Order in which omocodia replaces digits: right to left.
pub const OMOCODE_ORDER: [usize; 7] = [14, 13, 12, 10, 9, 7, 6];

const ODD: [u8; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

fn char_index(c: u8) -> usize {
    if c.is_ascii_digit() {
        (c - b'0') as usize
    } else {
        (c - b'A') as usize + 10
    }
}

/// The check character for the first 15 characters of a code (upper-case ASCII alphanumeric).
pub fn check_char(first15: &[u8]) -> char {
    let mut sum = 0u32;
    for (i, &c) in first15.iter().take(15).enumerate() {
        let idx = char_index(c);
        sum += if i % 2 == 0 {
            ODD[idx] as u32
        } else if idx < 10 {
            idx as u32
        } else {
            (idx - 10) as u32
        };
    }
    (b'A' + (sum % 26) as u8) as char
}

/// Trims and upper-cases the input, the way the desk types it.
pub fn normalize(input: &str) -> String {
    input.trim().to_uppercase()
}

fn digit_value(c: u8) -> Option<u8> {
    if c.is_ascii_digit() {
        Some(c - b'0')
    } else {
        OMOCODE.iter().position(|&o| o == c).map(|p| p as u8)
    }
}

/// Validates a codice fiscale and decodes birth date and sex. `current_year` decides the
/// century of the two-digit year (a year not after it is 20xx, otherwise 19xx).
pub fn validate_with_year(input: &str, current_year: i32) -> Result<CfInfo, CfError> {
    let code = normalize(input);
    if code.chars().count() != 16 {
        return Err(CfError::Length);
    }
    let b = code.as_bytes();
    if b.len() != 16
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(CfError::Chars);
    }
    // Letters for name and surname, month and the check; digits (or omocode letters) elsewhere.
    for (i, &c) in b.iter().enumerate() {
        let ok = match i {
            0..=5 | 8 | 11 | 15 => c.is_ascii_uppercase(),
            _ => digit_value(c).is_some(),
        };
        if !ok {
            return Err(CfError::Chars);
        }
    }
    let mut omocode = false;
    let mut plain = b.to_vec();
    for &p in &DIGIT_POS {
        let v = digit_value(b[p]).ok_or(CfError::Chars)?;
        if !b[p].is_ascii_digit() {
            omocode = true;
        }
        plain[p] = b'0' + v;
    }
    // Omocodia replaces digits from the right: once a digit is met (going right to left),
    // no letter may follow.
    if omocode {
        let mut seen_digit = false;
        for &p in OMOCODE_ORDER.iter() {
            if b[p].is_ascii_digit() {
                seen_digit = true;
            } else if seen_digit {
                return Err(CfError::Chars);
            }
        }
    }
    let month = MONTHS
        .iter()
        .position(|&m| m == b[8])
        .ok_or(CfError::Month)? as u32
        + 1;
    let yy = ((plain[6] - b'0') * 10 + (plain[7] - b'0')) as i32;
    let mut day = ((plain[9] - b'0') * 10 + (plain[10] - b'0')) as u32;
    let sex = if day > 40 {
        day -= 40;
        CfSex::F
    } else {
        CfSex::M
    };
    let century_cut = current_year % 100;
    let year = if yy <= century_cut {
        2000 + yy
    } else {
        1900 + yy
    };
    let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or(CfError::Day)?;
    if check_char(&b[..15]) != b[15] as char {
        return Err(CfError::Check);
    }
    let birthplace = String::from_utf8_lossy(&plain[11..15]).into_owned();
    Ok(CfInfo {
        code,
        birth_date,
        sex,
        birthplace,
        omocode,
    })
}

/// Validates a codice fiscale against today's year.
pub fn validate(input: &str) -> Result<CfInfo, CfError> {
    validate_with_year(input, chrono::Local::now().year())
}

/// Validates a provisional code (11 digits, the check digit of a partita IVA) or, when it is
/// not numeric, a foreign identifier of 4–32 letters and digits.
pub fn validate_provisional(input: &str) -> Result<String, &'static str> {
    let code = normalize(input);
    if code.len() == 11 && code.bytes().all(|c| c.is_ascii_digit()) {
        let d: Vec<u32> = code.bytes().map(|c| (c - b'0') as u32).collect();
        let mut sum = 0;
        for (i, &v) in d.iter().take(10).enumerate() {
            sum += if i % 2 == 0 {
                v
            } else {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            };
        }
        if (10 - sum % 10) % 10 != d[10] {
            return Err("La cifra di controllo del codice provvisorio non corrisponde");
        }
        return Ok(code);
    }
    if (4..=32).contains(&code.len()) && code.bytes().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err("Il codice provvisorio o estero deve avere da 4 a 32 lettere o cifre")
    }
}

/// Builds a valid code from its parts (demo data): three surname letters, three name letters,
/// birth date, sex and a birthplace code such as `F205` (Milano).
pub fn encode(surname: &str, name: &str, birth: NaiveDate, sex: CfSex, birthplace: &str) -> String {
    let mut s = String::with_capacity(16);
    s.push_str(&name_part(surname, false));
    s.push_str(&name_part(name, true));
    s.push_str(&format!("{:02}", birth.year() % 100));
    s.push(MONTHS[birth.month0() as usize] as char);
    let day = birth.day() + if sex == CfSex::F { 40 } else { 0 };
    s.push_str(&format!("{day:02}"));
    s.push_str(birthplace);
    let c = check_char(s.as_bytes());
    s.push(c);
    s
}

/// The three letters a codice fiscale takes from a surname (`is_name` false) or a name:
/// consonants then vowels, padded with X; for a name with four or more consonants, the
/// first, third and fourth. Accents are ignored; other characters than A–Z are skipped.
pub fn name_part(word: &str, is_name: bool) -> String {
    let letters: Vec<char> = super::person::fold(word)
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_uppercase())
        .collect();
    let vowels: Vec<char> = letters
        .iter()
        .copied()
        .filter(|c| "AEIOU".contains(*c))
        .collect();
    let mut cons: Vec<char> = letters
        .iter()
        .copied()
        .filter(|c| !"AEIOU".contains(*c))
        .collect();
    if is_name && cons.len() >= 4 {
        cons = vec![cons[0], cons[2], cons[3]];
    }
    let mut out: Vec<char> = cons.into_iter().chain(vowels).take(3).collect();
    while out.len() < 3 {
        out.push('X');
    }
    out.into_iter().collect()
}

/// When the first six letters of a code disagree with the surname and name typed: what the
/// code has and what the names give, for each part that disagrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMismatch {
    /// (letters in the code, letters of the surname typed), when they differ.
    pub surname: Option<(String, String)>,
    /// (letters in the code, letters of the name typed), when they differ.
    pub name: Option<(String, String)>,
}

impl fmt::Display for NameMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some((code, typed)) = &self.surname {
            parts.push(format!(
                "{code} per il cognome (dal cognome scritto: {typed})"
            ));
        }
        if let Some((code, typed)) = &self.name {
            parts.push(format!("{code} per il nome (dal nome scritto: {typed})"));
        }
        write!(
            f,
            "Il codice fiscale ha {}: controlla. Se è giusto così (nomi stranieri, codici attribuiti diversamente) puoi salvare.",
            parts.join(" e ")
        )
    }
}

/// Compares the surname and name letters of a code (its first six characters) with the
/// names typed. `None` when they agree, or when there is nothing to compare (a code too
/// short, a name left empty). A warning, never a refusal: foreign names and codes assigned
/// differently exist.
pub fn check_names(code: &str, surname: &str, name: &str) -> Option<NameMismatch> {
    let code = normalize(code);
    let head: String = code.chars().take(6).collect();
    if head.chars().count() < 6 || !head.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let compare = |part: &str, typed: &str, is_name: bool| {
        let expected = name_part(typed, is_name);
        (!typed.trim().is_empty() && expected != part).then(|| (part.to_string(), expected))
    };
    let out = NameMismatch {
        surname: compare(&head[..3], surname, false),
        name: compare(&head[3..], name, true),
    };
    (out.surname.is_some() || out.name.is_some()).then_some(out)
}

/// Applies omocodia to the first `n` positions in the official order (right to left).
pub fn omocode(code: &str, n: usize) -> String {
    let mut b = code.as_bytes().to_vec();
    for &p in OMOCODE_ORDER.iter().take(n) {
        b[p] = OMOCODE[(b[p] - b'0') as usize];
    }
    b[15] = check_char(&b[..15]) as u8;
    String::from_utf8(b).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_code() {
        let info = validate_with_year("RSSMRA85T10A562S", 2026).unwrap();
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1985, 12, 10).unwrap()
        );
        assert_eq!(info.sex, CfSex::M);
        assert_eq!(info.birthplace, "A562");
    }

    #[test]
    fn encode_roundtrip_and_omocodes() {
        let d = NaiveDate::from_ymd_opt(1990, 2, 28).unwrap();
        let code = encode("Rossi", "Giulia", d, CfSex::F, "F205");
        let info = validate_with_year(&code, 2026).unwrap();
        assert_eq!(info.birth_date, d);
        assert_eq!(info.sex, CfSex::F);
        for n in 1..=7 {
            let o = omocode(&code, n);
            let i = validate_with_year(&o, 2026).unwrap();
            assert!(i.omocode);
            assert_eq!(i.birth_date, d);
            assert_eq!(i.birthplace, "F205");
        }
    }

    #[test]
    fn name_letters() {
        assert_eq!(name_part("Rossi", false), "RSS");
        assert_eq!(name_part("Mario", true), "MRA");
        assert_eq!(
            name_part("Giancarlo", true),
            "GCR",
            "1st, 3rd and 4th consonant"
        );
        assert_eq!(name_part("Fo", false), "FOX");
        assert_eq!(name_part("D'Àngelo", false), "DNG");
        assert_eq!(name_part("De Souza", false), "DSZ");
        assert_eq!(check_names("RSSMRA85T10A562S", "Rossi", "Mario"), None);
        assert_eq!(check_names("rssmra85t10a562s", " rossi ", "MARIO"), None);
        let m = check_names("RSSMRA85T10A562S", "Bianchi", "Mario").unwrap();
        assert_eq!(m.surname, Some(("RSS".into(), "BNC".into())));
        assert_eq!(m.name, None);
        assert!(
            m.to_string()
                .contains("RSS per il cognome (dal cognome scritto: BNC)")
        );
        // Maria and Mario share their letters; Luca does not.
        assert_eq!(check_names("RSSMRA85T10A562S", "Rossi", "Maria"), None);
        let m = check_names("RSSMRA85T10A562S", "Rossi", "Luca").unwrap();
        assert_eq!(m.name, Some(("MRA".into(), "LCU".into())));
        // Omocodia changes digits, never the letters: no warning.
        assert_eq!(
            check_names(&omocode("RSSMRA85T10A562S", 7), "Rossi", "Mario"),
            None
        );
        // Nothing to compare.
        assert_eq!(check_names("RSS", "Bianchi", "Mario"), None);
        assert_eq!(check_names("12345678903", "Bianchi", "Mario"), None);
        assert_eq!(check_names("RSSMRA85T10A562S", "", ""), None);
    }

    proptest::proptest! {
        #[test]
        fn a_code_made_from_the_names_never_warns(
            surname in "[A-Za-zÀÈÉÌÒÙàèéìòù' ]{1,20}",
            name in "[A-Za-zàèéìòù ]{1,20}",
        ) {
            let d = NaiveDate::from_ymd_opt(1980, 5, 17).unwrap();
            let code = encode(&surname, &name, d, CfSex::M, "F205");
            proptest::prop_assert_eq!(check_names(&code, &surname, &name), None);
        }

        #[test]
        fn other_names_warn_exactly_when_their_letters_differ(
            a in "[A-Za-z]{1,12}", b in "[A-Za-z]{1,12}", n in "[A-Za-z]{1,12}",
        ) {
            let d = NaiveDate::from_ymd_opt(1980, 5, 17).unwrap();
            let code = encode(&a, &n, d, CfSex::F, "F205");
            let warned = check_names(&code, &b, &n);
            proptest::prop_assert_eq!(warned.is_some(), name_part(&a, false) != name_part(&b, false));
            proptest::prop_assert!(warned.is_none_or(|w| w.name.is_none()));
        }

        #[test]
        fn checking_names_never_panics(code in "\\PC{0,20}", s in "\\PC{0,20}", n in "\\PC{0,20}") {
            let _ = check_names(&code, &s, &n);
        }
    }

    #[test]
    fn provisional() {
        assert!(validate_provisional("12345678903").is_ok());
        assert!(validate_provisional("12345678901").is_err());
        assert!(validate_provisional("AB12CD34").is_ok());
        assert!(validate_provisional("a!").is_err());
    }
}
