//! Text as people type it, tidied one way everywhere: the phone's forms, the
//! server's checks and the file imports give the same answer and the same
//! French sentence for the same input.

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A name, a title, a label: one line, inner runs of spaces made one.
    Line,
    /// A note, an observation: line breaks and tabs kept.
    Text,
}

/// Trims `value`, makes Windows line ends plain, and for a [`Shape::Line`]
/// joins its words with single spaces. Refused, with a sentence that starts
/// with `label`: empty when `required`, longer than `max` characters, or
/// holding control characters (a line break or tab is one only in a `Line`,
/// where it became a space).
pub fn tidy(
    label: &str,
    value: &str,
    shape: Shape,
    max: usize,
    required: bool,
) -> Result<String, String> {
    let value = match shape {
        Shape::Line => value.split_whitespace().collect::<Vec<_>>().join(" "),
        Shape::Text => value.trim().replace("\r\n", "\n"),
    };
    if required && value.is_empty() {
        return Err(format!("{label} : à remplir."));
    }
    let n = value.chars().count();
    if n > max {
        return Err(format!(
            "{label} : trop long ({n} caractères, au plus {max})."
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!("{label} : caractères non autorisés."));
    }
    Ok(value)
}

/// One line ([`Shape::Line`]).
pub fn line(label: &str, value: &str, max: usize, required: bool) -> Result<String, String> {
    tidy(label, value, Shape::Line, max, required)
}

/// Text on several lines ([`Shape::Text`]).
pub fn note(label: &str, value: &str, max: usize, required: bool) -> Result<String, String> {
    tidy(label, value, Shape::Text, max, required)
}

/// An optional one-line field: blank means none.
pub fn optional_line(label: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    let value = tidy(label, value, Shape::Line, max, false)?;
    Ok((!value.is_empty()).then_some(value))
}

/// French typography for printed documents: a no-break space before `:`
/// and a narrow one before `; ! ?`, inside `« »`, so a sign never starts a
/// line. An ordinary space there becomes one; a missing one is added after a
/// word (`Bravo!` → `Bravo !`), never inside a time, an address or a number
/// (`10:30`, `https://…`, `?id=`).
pub fn french_spacing(value: &str) -> String {
    const NARROW: char = '\u{202F}';
    const NO_BREAK: char = '\u{A0}';
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let ends_word = next.is_none_or(|n| n.is_whitespace() || n == '»' || n == ')');
        let space = match c {
            ':' => Some(NO_BREAK),
            ';' | '!' | '?' | '»' => Some(NARROW),
            _ => None,
        };
        match (space, prev) {
            (Some(s), Some(p)) if p == ' ' || p == NO_BREAK || p == NARROW => {
                out.pop();
                out.push(s);
            }
            (Some(s), Some(p))
                if (p.is_alphanumeric() || p == ')')
                    && (ends_word || c == '»')
                    && !(c == ':' && p.is_ascii_digit()) =>
            {
                out.push(s);
            }
            _ => {}
        }
        out.push(c);
        if c == '«' {
            match next {
                Some(' ') | Some(NO_BREAK) | Some(NARROW) => {}
                Some(_) => out.push(NARROW),
                None => {}
            }
        }
    }
    // « followed by an ordinary space: that space becomes a narrow one.
    out.replace("« ", "«\u{202F}")
        .replace("«\u{A0}", "«\u{202F}")
}

/// `1 séance`, `3 séances`: the count and the word that agrees with it
/// (in French, 0 takes the singular).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n > 1 {
        format!("{n} {many}")
    } else {
        format!("{n} {one}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_spacing_keeps_signs_on_their_line() {
        let (nb, narrow) = ('\u{A0}', '\u{202F}');
        assert_eq!(
            french_spacing("Assiduité : 92 % ; bravo !"),
            format!("Assiduité{nb}: 92 %{narrow}; bravo{narrow}!")
        );
        assert_eq!(french_spacing("Prêt?"), format!("Prêt{narrow}?"));
        assert_eq!(
            french_spacing("« acquis »"),
            format!("«{narrow}acquis{narrow}»")
        );
        assert_eq!(
            french_spacing("«acquis»"),
            format!("«{narrow}acquis{narrow}»")
        );
        // Times, addresses and query strings are left as they are.
        assert_eq!(french_spacing("à 10:30"), "à 10:30");
        assert_eq!(
            french_spacing("https://jalon.example/verifier?code=AB"),
            "https://jalon.example/verifier?code=AB"
        );
        assert_eq!(french_spacing(""), "");
        assert_eq!(french_spacing("!?"), "!?");
    }

    #[test]
    fn lines_are_trimmed_and_joined_with_single_spaces() {
        assert_eq!(
            tidy("Nom", "  Awa \t  Diallo\n", Shape::Line, 100, true).as_deref(),
            Ok("Awa Diallo")
        );
        assert_eq!(optional_line("Téléphone", "   ", 30), Ok(None));
    }

    #[test]
    fn texts_keep_their_lines_and_lose_windows_line_ends() {
        assert_eq!(
            tidy("Note", " un\r\n\tdeux \n", Shape::Text, 100, true).as_deref(),
            Ok("un\n\tdeux")
        );
    }

    #[test]
    fn empty_long_and_control_characters_are_refused_with_the_label() {
        assert_eq!(
            tidy("Titre", "   ", Shape::Line, 10, true),
            Err("Titre : à remplir.".into())
        );
        assert_eq!(
            tidy("Titre", "   ", Shape::Line, 10, false),
            Ok(String::new())
        );
        assert_eq!(
            tidy("Titre", &"é".repeat(11), Shape::Line, 10, true),
            Err("Titre : trop long (11 caractères, au plus 10).".into())
        );
        assert_eq!(
            tidy("Note", "a\u{7}b", Shape::Text, 10, true),
            Err("Note : caractères non autorisés.".into())
        );
        // Hostile-looking text is only text: kept as typed, escaped where shown.
        assert_eq!(
            tidy("Nom", "<script>'; --", Shape::Line, 100, true).as_deref(),
            Ok("<script>'; --")
        );
    }

    #[test]
    fn plural_agrees_with_the_count() {
        assert_eq!(plural(0, "séance", "séances"), "0 séance");
        assert_eq!(plural(1, "séance", "séances"), "1 séance");
        assert_eq!(plural(2, "séance", "séances"), "2 séances");
    }
}
