//! "Did you mean" for template names Tera does not know: tags (`{% endiff %}`), filters, tests and
//! functions, from the names Tera 2 and explainer define.

use crate::diagnostics::did_you_mean;

/// Tera 2's block tags.
const TAGS: &[&str] = &[
    "block",
    "break",
    "component",
    "continue",
    "elif",
    "else",
    "endblock",
    "endcomponent",
    "endfilter",
    "endfor",
    "endif",
    "endraw",
    "endset",
    "extends",
    "filter",
    "for",
    "if",
    "include",
    "raw",
    "set",
    "set_global",
];

/// Tera 2's built-in filters, and explainer's (`json`).
const FILTERS: &[&str] = &[
    "abs",
    "capitalize",
    "default",
    "escape",
    "escape_html",
    "escape_xml",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "json",
    "keys",
    "last",
    "length",
    "lower",
    "newlines_to_br",
    "nth",
    "pairs",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "sort",
    "split",
    "str",
    "title",
    "trim",
    "trim_end",
    "trim_start",
    "truncate",
    "unique",
    "upper",
    "values",
    "wordcount",
];

/// Tera 2's built-in tests.
const TESTS: &[&str] = &[
    "array",
    "bool",
    "containing",
    "defined",
    "divisible_by",
    "ending_with",
    "even",
    "float",
    "integer",
    "iterable",
    "map",
    "none",
    "number",
    "odd",
    "starting_with",
    "string",
    "undefined",
];

/// Tera 2's built-in functions, and explainer's.
const FUNCTIONS: &[&str] = &["asset_url", "range", "throw"];

/// The closest known name for an "Unknown tag" / "Unknown filter `x`" / "Unknown test `x`" /
/// "Unknown function `x`" message. For a tag, Tera does not name it: it is read from `line` at
/// byte `col` (where the report points).
pub fn suggestion(message: &str, line: Option<&str>, col: usize) -> Option<&'static str> {
    let named = |kind: &str| {
        let (_, rest) = message.split_once(&format!("Unknown {kind} `"))?;
        rest.split_once('`').map(|(name, _)| name.to_string())
    };
    let (wanted, known) = if message.contains("Unknown tag") {
        let rest = line?.get(col..)?;
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (word, TAGS)
    } else if let Some(name) = named("filter") {
        (name, FILTERS)
    } else if let Some(name) = named("test") {
        (name, TESTS)
    } else if let Some(name) = named("function") {
        (name, FUNCTIONS)
    } else {
        return None;
    };
    if wanted.is_empty() {
        return None;
    }
    did_you_mean(&wanted, known.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        let line = "{% if x %}a{% endiff %}";
        let col = line.find("endiff").unwrap();
        assert_eq!(suggestion("Unknown tag", Some(line), col), Some("endif"));
        assert_eq!(suggestion("Unknown filter `uper`", None, 0), Some("upper"));
        assert_eq!(
            suggestion("Unknown test `defind`", None, 0),
            Some("defined")
        );
        assert_eq!(
            suggestion("Unknown function `aset_url`", None, 0),
            Some("asset_url")
        );
        assert_eq!(suggestion("Unknown filter `zzzzzz`", None, 0), None);
        assert_eq!(suggestion("Field `x` is not defined", None, 0), None);
    }
}
