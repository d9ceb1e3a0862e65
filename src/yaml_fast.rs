//! A fast reader for the plain front matter nearly every note has: one `key: value` per line,
//! values that are quoted or plain text, whole numbers, `true`/`false`, `[a, b]` lists, or block
//! lists of such scalars (`tags:` then `- a` lines, as Obsidian writes them).
//!
//! It answers `None` for anything else (nesting, lists of lists or mappings, comments, escapes, anything a YAML
//! parser might read as another type), and the full parser takes over, so it never decides a
//! question YAML leaves open. Profiling showed the full parser at about 66,000 instructions for
//! a six-line front matter, a tenth of a 10,000-note build; this reads the same in a few hundred.

use serde_yaml::{Mapping, Value};

/// The mapping `yaml` describes, or `None` when it is not in the simple form read here.
/// Where it answers, the answer is the one the full YAML parser gives (tests compare them).
pub fn mapping(yaml: &str) -> Option<Mapping> {
    let mut map = Mapping::new();
    // The key of the last line if it had no value: a block list may follow it.
    let mut open: Option<Value> = None;
    // The items of that list so far, and the indentation they all share.
    let mut items: Vec<Value> = Vec::new();
    let mut items_indent = 0;
    for line in yaml.split('\n') {
        if line.trim().is_empty() {
            continue;
        }
        let rest = line.trim_start_matches(' ');
        if let Some(item) = rest.strip_prefix("- ") {
            let indent = line.len() - rest.len();
            open.as_ref()?;
            if !items.is_empty() && indent != items_indent {
                return None; // a deeper `- ` continues the item before as text
            }
            items_indent = indent;
            items.push(list_item(item.trim())?);
            continue;
        }
        close_list(&mut map, &mut open, &mut items);
        let (key, value) = line.split_once(':')?;
        if !is_key(key) || !(value.is_empty() || value.starts_with(' ')) {
            return None;
        }
        let key = Value::String(key.to_string());
        if value.trim().is_empty() {
            open = Some(key.clone()); // not after `~` or `null`: YAML rejects a list there
        }
        let value = value_of(value.trim())?;
        if map.insert(key, value).is_some() {
            return None; // the full parser reports duplicate keys
        }
    }
    close_list(&mut map, &mut open, &mut items);
    Some(map)
}

/// One item of a block list (`- item`): quoted or plain text, a number or a boolean; not a
/// list or a mapping of its own, and not empty.
fn list_item(v: &str) -> Option<Value> {
    if v.starts_with('[') {
        return None;
    }
    value_of(v).filter(|v| !v.is_null())
}

/// Gives the key left open its block list's items, if any (else it keeps its empty value).
fn close_list(map: &mut Mapping, open: &mut Option<Value>, items: &mut Vec<Value>) {
    if let Some(key) = open.take()
        && !items.is_empty()
    {
        map.insert(key, Value::Sequence(std::mem::take(items)));
    }
}

/// A name of letters, digits, `_` and `-` that YAML reads as text (not `true`, `null`, `inf`).
fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !is_reserved_word(key)
}

/// Words YAML (or a float parser) may read as something other than text, in any case.
fn is_reserved_word(v: &str) -> bool {
    // The longest is `infinity`: most values are longer and need no comparison.
    v.len() <= 8
        && [
            "true", "false", "null", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
        ]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
}

/// One value, already trimmed.
fn value_of(v: &str) -> Option<Value> {
    if v.is_empty() || v == "~" || v == "null" {
        return Some(Value::Null);
    }
    if let Some(inner) = v.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.trim().is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        let items: Option<Vec<Value>> = inner
            .split(',')
            .map(|item| {
                let item = item.trim();
                match item.as_bytes().first() {
                    Some(b'"') | Some(b'\'') => quoted(item),
                    Some(_) => plain(item, true),
                    None => None,
                }
            })
            .collect();
        return items.map(Value::Sequence);
    }
    if v.starts_with('"') || v.starts_with('\'') {
        return quoted(v);
    }
    plain(v, false)
}

/// A single-line quoted string without escapes.
fn quoted(v: &str) -> Option<Value> {
    let quote = v.chars().next()?;
    let inner = v.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.contains(quote) || inner.contains('\\') || v.len() < 2 {
        return None;
    }
    Some(Value::String(inner.to_string()))
}

/// A plain (unquoted) scalar: text, a whole number or a boolean; `None` when YAML could read
/// it as something this reader does not decide (floats, octal, `yes`, `.inf`, dates with times...).
fn plain(v: &str, in_list: bool) -> Option<Value> {
    let first = v.chars().next()?;
    // Characters that start other YAML forms, or change meaning inside the scalar.
    let comment = v.as_bytes().windows(2).any(|w| w == b" #");
    if "[]{}#&*!|>'\"%@`?,-.:+~=<".contains(first) || comment {
        return None;
    }
    let bracket = |b: u8| matches!(b, b'[' | b']' | b'{' | b'}');
    if v.bytes()
        .any(|b| matches!(b, b':' | b'\t' | b'"' | b'\'') || (in_list && bracket(b)))
    {
        return None;
    }
    match v {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ if is_reserved_word(v) => return None, // other spellings, `inf`, `NaN`: let YAML decide
        _ => {}
    }
    if first.is_ascii_digit() {
        if v == "0" || (v.bytes().all(|b| b.is_ascii_digit()) && first != '0') {
            return v.parse::<i64>().ok().map(|n| Value::Number(n.into()));
        }
        if !is_date(v) {
            return None;
        }
    }
    Some(Value::String(v.to_string()))
}

/// `2023`, `2023-10` or `2023-10-02`: text to YAML (a date without a time is not a timestamp here).
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(yaml: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(yaml).ok()? {
            Value::Mapping(m) => Some(m),
            Value::Null => Some(Mapping::new()),
            _ => None,
        }
    }

    /// Every answer the fast reader gives must be the full parser's answer.
    fn agrees(yaml: &str) -> bool {
        match mapping(yaml) {
            Some(fast) => {
                assert_eq!(Some(&fast), full(yaml).as_ref(), "{yaml:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_typical_front_matter() {
        let yaml = "title: \"Will Xi Jinping visit Seoul?\"\ndescription: Why it matters\n\
                    date: 2023-10-02\ntags: [xi-visit, china-south-korea, diplomacy]\n\
                    weight: 1\ndraft: false\nslug: xi\nupdated:\nsources: []\n";
        assert!(agrees(yaml));
        assert!(agrees("title: 'single'\nweight: 0\ntags: [\"a b\", c]\n"));
        assert!(agrees("month: 2014-07\nyear: 2017\n"));
        assert!(agrees(""));
    }

    #[test]
    fn leaves_anything_unusual_to_the_full_parser() {
        for yaml in [
            "events:\n  - date: 2014-07\n    title: x\n",
            "title: a # comment\n",
            "title: \"esc\\\"aped\"\n",
            "title: yes\n",
            "weight: 010\n",
            "weight: 1.5\n",
            "weight: 1e3\n",
            "weight: +3\n",
            "weight: 0x1F\n",
            "n: .inf\n",
            "n: nan\n",
            "n: NULL\n",
            "b: True\n",
            "a: 1\na: 2\n",
            "title: a: b\n",
            "true: x\n",
            "v: Infinity\n",
            "v: NaN\n",
            "v: INF\n",
            "v: Off\n",
            "v: Y\n",
            "tags: [a, yes]\n",
            "Yes: 1\n",
            "null: x\n",
            "inf: x\n",
            "url: https://example.org\n",
            "tags: [a, [b]]\n",
            "tags: [a,]\n",
            "extra: {x: 1}\n",
            "  indented: 1\n",
            "- item\n",
            "title: &anchor x\n",
            "date: 2023-10-02T10:00:00\n",
            "title: 'it''s'\n",
            "key:value\n",
            "weight: 99999999999999999999\n",
            "tags: null\n- a\n",
            "tags: x\n- a\n",
            "tags:\n- a\n  - b\n",
            "tags:\n  - a\n- b\n",
            "tags:\n- a\n  b\n",
            "tags:\n- [a]\n",
            "tags:\n- a: b\n",
            "tags:\n- - a\n",
            "tags:\n- \n",
            "tags:\n- a\ntags:\n- b\n",
        ] {
            assert!(!agrees(yaml), "{yaml:?} should fall back");
        }
    }

    #[test]
    fn reads_block_lists_as_vaults_write_them() {
        for yaml in [
            "obsidianUIMode: preview\ncssclasses: pf2e,pf2e-item\ntags:\n- compendium/src/pf2e/b1\n\
             - trait/thrown-20-ft\naliases: [\"Aklys\"]\n",
            "tags:\n  - a\n  - \"b c\"\n\n  - 'd'\nweight: 2\naliases:\n",
            "a:\n- 1\n- true\nb:\n    - x y\n",
        ] {
            assert!(agrees(yaml), "{yaml:?}");
        }
    }

    #[test]
    fn vault_front_matter_agrees_or_falls_back() {
        for yaml in [
            "publish: true\npermalink: some/path\ncssclasses: [wide]\ncssclass: wide\n",
            "tags:\ntitle:\naliases: Single name\n",
            "tags: [a, , b]\n",
            "tags:\n  - a\n  -\n  - b\n",
            "date: 2025-07-26T17:18\n",
            "date: 2025-07-26 17:18:00\n",
            "Date created: 2025-07-01\nStatus: done\n",
            "related: \"[[Note]]\"\nbanner: \"![[cover.png]]\"\n",
            "permalink: /some/path/\n",
        ] {
            agrees(yaml);
        }
        assert!(agrees(
            "publish: false\npermalink: a/b\ncssclasses: [wide, dark]\n"
        ));
    }

    #[test]
    fn plain_text_with_punctuation_agrees() {
        for yaml in [
            "title: China–South Korea relations, explained\n",
            "title: Xi's visit\n",
            "title: Moon Jae-in (2017–2022)\n",
            "title: 50 years on\n",
            "title: -5\n",
            "tags: [G20, Bali 2022, trilateral-summit]\n",
            "description: A note: on colons\n",
        ] {
            // Whatever the fast reader accepts must agree; some of these it may decline.
            agrees(yaml);
        }
    }

    #[test]
    fn every_front_matter_in_the_repository_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let text = text.replace("\r\n", "\n");
                let Some(rest) = text.strip_prefix("---\n") else {
                    continue;
                };
                let Some(end) = rest.find("\n---") else {
                    continue;
                };
                if full(&rest[..end + 1]).is_some() {
                    read += usize::from(agrees(&rest[..end + 1]));
                }
            }
        }
        assert!(
            read > 10,
            "the fast reader should read most notes, read {read}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Random lines of YAML-ish text: wherever the fast reader answers, it agrees.
        #[test]
        fn agrees_on_random_lines(
            lines in proptest::collection::vec(
                ("[a-z_][a-z0-9_-]{0,6}|true|null|1|~", "[ ]?", r#"[a-zA-Z0-9 :#,.'"\\\[\]{}~+-]{0,14}"#),
                0..6,
            )
        ) {
            let yaml: String = lines
                .iter()
                .map(|(k, sp, v)| format!("{k}:{sp}{v}\n"))
                .collect();
            agrees(&yaml);
        }

        /// Keys and `- item` lines at random indentation: block lists agree too.
        #[test]
        fn agrees_on_random_block_lists(
            lines in proptest::collection::vec(
                ("[ ]{0,3}", proptest::bool::ANY, "[a-z]{1,4}", r#"[ ]?[a-z0-9 :#,'"\[\]~-]{0,8}"#),
                0..8,
            )
        ) {
            let yaml: String = lines
                .iter()
                .map(|(indent, item, k, v)| {
                    if *item { format!("{indent}- {k}{v}\n") } else { format!("{k}:{v}\n") }
                })
                .collect();
            agrees(&yaml);
        }
    }
}
