//! Callouts: a quote whose first line is `[!type] Title` (`[!type]+` or `[!type]-` to fold)
//! becomes a titled box, `<div class="callout">` or, folding, `<details class="callout">`.

/// Obsidian's documented callout types, each with its aliases; the first name is the type.
const TYPES: &[&[&str]] = &[
    &["note"],
    &["abstract", "summary", "tldr"],
    &["info"],
    &["todo"],
    &["tip", "hint", "important"],
    &["success", "check", "done"],
    &["question", "help", "faq"],
    &["warning", "caution", "attention"],
    &["failure", "fail", "missing"],
    &["danger", "error"],
    &["bug"],
    &["example"],
    &["quote", "cite"],
];

/// The longest callout type accepted (longer is not a callout, just text).
const MAX_TYPE: usize = 64;

/// The first line of a callout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The type as written, lowercased (`faq`, `my-custom`): the `data-callout` value.
    pub kind: String,
    /// `None`: not foldable; `Some(open)`: folds, open at first or not.
    pub fold: Option<bool>,
    /// Bytes from the start of the line to where the title begins.
    pub len: usize,
}

/// Reads `[!type]`, `[!type]+` or `[!type]-` and the spaces after it at the start of `line`.
pub fn marker(line: &str) -> Option<Marker> {
    let rest = line.strip_prefix("[!")?;
    let n = rest
        .bytes()
        .take(MAX_TYPE + 1)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        .count();
    if n == 0 || n > MAX_TYPE || rest.as_bytes().get(n) != Some(&b']') {
        return None;
    }
    let kind = rest[..n].to_ascii_lowercase();
    let mut len = 2 + n + 1;
    let fold = match line.as_bytes().get(len) {
        Some(b'+') => Some(true),
        Some(b'-') => Some(false),
        _ => None,
    };
    if fold.is_some() {
        len += 1;
    }
    len += line[len..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    Some(Marker { kind, fold, len })
}

/// The type a name stands for (`faq` → `question`); `None` for a custom type.
pub fn canonical(kind: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|names| names.contains(&kind))
        .map(|names| names[0])
}

/// The title shown when none is written: the type as written, capitalised (`Faq`, `Warning`).
pub fn default_title(kind: &str) -> String {
    let mut c = kind.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The HTML opening a callout and its title.
pub fn open(m: &Marker) -> String {
    // `kind` holds only ASCII letters, digits, `-` and `_`: nothing to escape.
    let class = match canonical(&m.kind) {
        Some(c) => format!("callout callout-{c}"),
        None => "callout".to_string(),
    };
    match m.fold {
        None => format!(
            "<div class=\"{class}\" data-callout=\"{}\">\n<div class=\"callout-title\">",
            m.kind
        ),
        Some(open) => format!(
            "<details class=\"{class}\" data-callout=\"{}\"{}>\n<summary class=\"callout-title\">",
            m.kind,
            if open { " open" } else { "" }
        ),
    }
}

/// The HTML between a callout's title and its content.
pub fn between(fold: Option<bool>) -> &'static str {
    match fold {
        None => "</div>\n<div class=\"callout-content\">\n",
        Some(_) => "</summary>\n<div class=\"callout-content\">\n",
    }
}

/// The HTML closing a callout.
pub fn close(fold: Option<bool>) -> &'static str {
    match fold {
        None => "</div>\n</div>\n",
        Some(_) => "</div>\n</details>\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_with_fold_and_title_start() {
        let m = marker("[!Warning]- Mind it").unwrap();
        assert_eq!(
            (m.kind.as_str(), m.fold, m.len),
            ("warning", Some(false), 12)
        );
        assert_eq!(marker("[!tip]").unwrap().len, 6);
        assert_eq!(marker("[!tip]+").unwrap().fold, Some(true));
        for not in ["[!]", "[!a b]", "[note]", "[!x", "[!<b>]"] {
            assert_eq!(marker(not), None, "{not}");
        }
        assert_eq!(marker(&format!("[!{}]", "x".repeat(65))), None);
    }

    #[test]
    fn aliases_name_their_type_and_custom_types_have_none() {
        assert_eq!(canonical("faq"), Some("question"));
        assert_eq!(canonical("tldr"), Some("abstract"));
        assert_eq!(canonical("cite"), Some("quote"));
        assert_eq!(canonical("my-custom"), None);
        assert_eq!(default_title("faq"), "Faq");
    }
}
