//! Spreadsheets as French Excel and LibreOffice open them: UTF-8 with a
//! byte-order mark (so the accents read right), `;` between cells, a CRLF
//! after each row, and no cell a spreadsheet would run as a formula.

/// One cell: a leading `=`, `+`, `-`, `@`, tab or carriage return is
/// neutralised with a `'` (so no spreadsheet runs it as a formula); quoted
/// when it holds a separator, a quote or a line break.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One row, its cells written by [`cell`], ended by CRLF.
pub fn row(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";");
    line.push_str("\r\n");
    line
}

/// A new file: the byte-order mark.
pub fn start() -> String {
    String::from("\u{feff}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_separators_are_neutralised() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+33 6"), "'+33 6");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tcmd"), "'\tcmd");
        assert_eq!(cell("\rcmd"), "\"'\rcmd\"");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("dit \"non\""), "\"dit \"\"non\"\"\"");
        assert_eq!(cell("ligne\nsuite"), "\"ligne\nsuite\"");
        assert_eq!(cell("Frein"), "Frein");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(row(&["a".into(), "=b".into()]), "a;'=b\r\n");
        assert!(start().starts_with('\u{feff}'));
    }
}
