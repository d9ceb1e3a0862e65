//! Strict YAML mappings with positions: parse, reject unknown keys with a suggestion, read typed values.
//!
//! Shared by `site.yaml` and note front matter so both report problems the same way.

use crate::diagnostics::{Diagnostic, closest_within, did_you_mean};
use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

/// A YAML document inside a file: the file's full text and where the YAML starts.
#[derive(Debug, Clone, Copy)]
pub struct YamlDoc<'a> {
    /// The file's display path.
    pub path: &'a str,
    /// The whole file, so diagnostics show real line numbers.
    pub text: &'a str,
    /// Byte offset of the YAML inside `text`.
    pub start: usize,
    /// Byte length of the YAML.
    pub len: usize,
}

impl<'a> YamlDoc<'a> {
    /// The YAML source itself.
    pub fn yaml(&self) -> &'a str {
        &self.text[self.start..self.start + self.len]
    }

    /// Parses the document as a mapping. An empty document is an empty mapping.
    pub fn parse_mapping(&self, what: &str) -> Result<Mapping, Diagnostic> {
        let yaml = self.yaml();
        if yaml.trim().is_empty() {
            return Ok(Mapping::new());
        }
        if let Some(m) = crate::yaml_fast::mapping(yaml) {
            // Every test build checks the fast reader against the full parser.
            debug_assert_eq!(
                serde_yaml::from_str::<Value>(yaml).ok(),
                Some(Value::Mapping(m.clone())),
                "fast YAML reader disagrees on {yaml:?}"
            );
            return Ok(m);
        }
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(m)) => Ok(m),
            Ok(Value::Null) => Ok(Mapping::new()),
            Ok(other) => Err(Diagnostic::at(
                self.path,
                self.text,
                self.start,
                yaml.find('\n').unwrap_or(yaml.len()),
                format!(
                    "{what} must be a mapping of `key: value` lines, not {}",
                    kind(&other)
                ),
            )
            .with_help("write one `key: value` per line, e.g. `title: My note`")),
            Err(e) => match without_empty_flow_items(yaml)
                .and_then(|fixed| serde_yaml::from_str::<Value>(&fixed).ok())
            {
                // `tags: [a, , b]`, as a vault may hold: YAML has no empty flow items, Obsidian
                // shows the others, and so do we.
                Some(Value::Mapping(m)) => Ok(m),
                _ => Err(self.error_from(&e, &format!("{what} is not valid YAML"))),
            },
        }
    }

    /// A diagnostic for a YAML error, positioned where the parser stopped.
    fn error_from(&self, e: &serde_yaml::Error, what: &str) -> Diagnostic {
        let message = format!("{what}: {}", clean_message(&e.to_string()));
        // A repeated key: point at its second occurrence, where the mistake is.
        if let Some(key) = e.to_string().split("duplicate entry with key ").nth(1) {
            let key = key
                .split(" at line")
                .next()
                .unwrap_or(key)
                .trim_matches(['"', '`']);
            if let Some(&second) = self.key_offsets(key).get(1) {
                return Diagnostic::at(
                    self.path,
                    self.text,
                    second,
                    key.len(),
                    format!("the key `{key}` appears twice"),
                )
                .with_label("second time")
                .with_help("keep one of them");
            }
        }
        match e.location() {
            Some(loc) => {
                let yaml = self.yaml();
                let mut local =
                    crate::diagnostics::offset_of_line_col(yaml, loc.line(), loc.column());
                // The parser often notices a missing bracket or quote only at the end of the input:
                // point at the end of the last line that has text, not at an empty line after it.
                let content_end = yaml.trim_end().len();
                if local >= content_end && content_end > 0 {
                    local = content_end - 1;
                }
                Diagnostic::at(self.path, self.text, self.start + local, 1, message)
            }
            None => Diagnostic::at(self.path, self.text, self.start, 1, message),
        }
        .with_help(
            "check the brackets, quotes and indentation; text with `: ` or `#` in it needs quotes",
        )
    }

    /// Byte offset (in the file) of a top-level `key:`, or the start of the YAML if not found.
    pub fn key_offset(&self, key: &str) -> usize {
        self.key_offsets(key).first().copied().unwrap_or(self.start)
    }

    /// Byte offsets (in the file) of every top-level `key:` line, quoted keys included.
    fn key_offsets(&self, key: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut pos = self.start;
        for line in self.yaml().split_inclusive('\n') {
            let trimmed = line.trim_start_matches(['"', '\'']);
            if line.starts_with(|c: char| !c.is_whitespace())
                && trimmed.starts_with(key)
                && trimmed[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            {
                found.push(pos);
            }
            pos += line.len();
        }
        found
    }

    /// Checks every key against `known`. Unknown keys are errors with the nearest known key,
    /// unless `allow_unknown` is set and the key is not a near-miss; those are returned as extras.
    pub fn check_keys(
        &self,
        mapping: &Mapping,
        known: &[&str],
        allow_unknown: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Mapping {
        self.check_keys_tolerating(mapping, known, allow_unknown, &[], diags)
    }

    /// `check_keys`, where with `allow_unknown` the `tolerated` keys (compared ignoring case) are
    /// never near-misses: names other tools give a meaning of their own, such as Obsidian's
    /// `created` or `source`, which look like `updated` or `sources`.
    pub fn check_keys_tolerating(
        &self,
        mapping: &Mapping,
        known: &[&str],
        allow_unknown: bool,
        tolerated: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Mapping {
        let mut extras = Mapping::new();
        for (k, v) in mapping {
            let Some(name) = k.as_str() else {
                diags.push(Diagnostic::at(
                    self.path,
                    self.text,
                    self.start,
                    1,
                    format!("keys must be text, found {}", kind(k)),
                ));
                continue;
            };
            if known.contains(&name) {
                continue;
            }
            // With allow_unknown most notes hold such keys: only a near miss is compared in full.
            if allow_unknown
                && (tolerated.iter().any(|t| t.eq_ignore_ascii_case(name))
                    || closest_within(name, known.iter().copied(), NEAR_MISS).is_none())
            {
                extras.insert(k.clone(), v.clone());
                continue;
            }
            let suggestion = did_you_mean(name, known.iter().copied());
            let mut d = Diagnostic::at(
                self.path,
                self.text,
                self.key_offset(name),
                name.len(),
                format!("unknown key `{name}`"),
            )
            .with_label("not a known key");
            d = match suggestion {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("known keys: {}", known.join(", "))),
            };
            diags.push(d);
        }
        extras
    }

    /// Reads `key` as `T`; a wrong type is an error at the key's line naming what was expected.
    pub fn get<T: DeserializeOwned>(
        &self,
        mapping: &Mapping,
        key: &str,
        expected: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        let value = mapping.get(key)?;
        match serde_yaml::from_value::<T>(value.clone()) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(
                    Diagnostic::at(
                        self.path,
                        self.text,
                        self.key_offset(key),
                        key.len(),
                        format!("`{key}` must be {expected}"),
                    )
                    .with_label(clean_message(&e.to_string())),
                );
                None
            }
        }
    }

    /// Reads `key` as text; numbers and booleans are accepted and written as text.
    pub fn get_text(
        &self,
        mapping: &Mapping,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        match mapping.get(key)? {
            Value::Null => None,
            v => match scalar_text(v) {
                Some(s) => Some(s),
                None => {
                    diags.push(self.type_error(key, "text", v));
                    None
                }
            },
        }
    }

    /// Reads `key` as a list of texts; a single text is accepted as a list of one. Empty items
    /// (`- ` with nothing, `""`) are left out, as Obsidian leaves them out.
    pub fn get_text_list(
        &self,
        mapping: &Mapping,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        match mapping.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for item in items.iter().filter(|v| !is_empty(v)) {
                    match scalar_text(item) {
                        Some(s) => out.push(s),
                        None => diags.push(self.type_error(key, "a list of texts", item)),
                    }
                }
                out
            }
            Some(v) if is_empty(v) => Vec::new(),
            Some(v @ Value::String(_)) => vec![scalar_text(v).unwrap_or_default()],
            Some(v) => {
                diags.push(self.type_error(key, "a list of texts, e.g. `[one, two]`", v));
                Vec::new()
            }
        }
    }

    /// Reads `key` as a boolean (`true`/`false`).
    pub fn get_bool(
        &self,
        mapping: &Mapping,
        key: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<bool> {
        match mapping.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            v => {
                diags.push(self.type_error(key, "`true` or `false`", v));
                None
            }
        }
    }

    /// An error saying `key` has the wrong type.
    pub fn type_error(&self, key: &str, expected: &str, found: &Value) -> Diagnostic {
        Diagnostic::at(
            self.path,
            self.text,
            self.key_offset(key),
            key.len(),
            format!("`{key}` must be {expected}, found {}", kind(found)),
        )
    }

    /// Byte offset and length, in the file, of item `index` (from 0) of the block list under the
    /// top-level `key`, or of the item's `field` when given: where a problem with one list item
    /// is. Falls back to the item, then to the key (a list written `[…]` on one line).
    pub fn item_span(&self, key: &str, index: usize, field: Option<&str>) -> (usize, usize) {
        let key_at = self.key_offset(key);
        let end = self.start + self.len;
        let mut pos = self.text[key_at..end]
            .find('\n')
            .map_or(end, |i| key_at + i + 1);
        let mut item_indent = None;
        let mut current: Option<usize> = None;
        let mut item = None;
        for line in self.text[pos..end].split_inclusive('\n') {
            let body = line.trim_end();
            let content = body.trim_start();
            let indent = body.len() - content.len();
            let is_item = content == "-" || content.starts_with("- ");
            if content.is_empty() || content.starts_with('#') {
                pos += line.len();
                continue;
            }
            if !is_item && (indent == 0 || item_indent.is_none()) {
                break; // the next key, or not a block list
            }
            if is_item && *item_indent.get_or_insert(indent) == indent {
                current = Some(current.map_or(0, |c| c + 1));
            } else if indent < item_indent.unwrap_or(0) {
                break;
            }
            match current {
                Some(c) if c == index => {
                    item.get_or_insert((pos + indent, content.len()));
                    if let Some(at) = field.and_then(|f| field_in(content, f)) {
                        return (pos + indent + at, field.map_or(0, str::len));
                    }
                }
                Some(c) if c > index => break,
                _ => {}
            }
            pos += line.len();
        }
        item.or_else(|| {
            // A list written `[…]` on the key's line: the field there, if it is.
            let line_end = self.text[key_at..end]
                .find('\n')
                .map_or(end, |i| key_at + i);
            let f = field?;
            field_in(&self.text[key_at..line_end], f).map(|at| (key_at + at, f.len()))
        })
        .unwrap_or((key_at, key.len()))
    }

    /// An error about item `index` (from 0) of the list under `key`, at its `field` if given.
    pub fn item_error(
        &self,
        key: &str,
        index: usize,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (at, len) = self.item_span(key, index, field);
        Diagnostic::at(self.path, self.text, at, len, message)
    }

    /// An error about the value of `key`.
    pub fn value_error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            self.path,
            self.text,
            self.key_offset(key),
            key.len(),
            message,
        )
    }
}

/// Where `field:` starts in one line of a list item (`- field: x`, `field: x`,
/// `- {a: 1, field: x}`), if it is there.
fn field_in(line: &str, field: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find(field).map(|i| from + i) {
        let before = line[..i].chars().next_back();
        let after = line[i + field.len()..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        let starts_key = before.is_none_or(|c| matches!(c, ' ' | '-' | '{' | ',' | '"' | '\''));
        if starts_key && after.starts_with(':') {
            return Some(if matches!(before, Some('"' | '\'')) {
                i - 1
            } else {
                i
            });
        }
        from = i + field.len();
    }
    None
}

/// Under `allow_unknown`, how close (normalised Damerau-Levenshtein) an unknown key must be to a
/// known one to be taken for a misspelling: one slip in a short key (`titel`, `tgas`), not any
/// word that shares half its letters (`lang`, `created`).
const NEAR_MISS: f64 = 0.75;

/// True for a value that says nothing: null (`key:` alone) or blank text.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// `yaml` with the empty items of one-line flow lists (`tags: [a, , b]`) removed, or `None` if
/// there are none. Lines with quotes are left alone: a comma inside quotes is not a separator.
fn without_empty_flow_items(yaml: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(yaml.len());
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_end();
        let fixed = body
            .split_once(": [")
            .filter(|(_, rest)| rest.ends_with(']') && !body.contains(['"', '\'']))
            .map(|(key, rest)| {
                let items: Vec<&str> = rest[..rest.len() - 1]
                    .split(',')
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .collect();
                format!("{key}: [{}]", items.join(", "))
            });
        match fixed {
            Some(f) if f != body => {
                changed = true;
                out.push_str(&f);
                out.push_str(&line[body.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    changed.then_some(out)
}

/// Text of a scalar (string, number, bool); `None` for lists, maps and null.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A short description of a YAML value's kind, for messages.
pub fn kind(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the text `{s}`"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

/// Removes serde_yaml's " at line N column M" suffixes: the diagnostic shows the position itself.
fn clean_message(msg: &str) -> String {
    let mut out = msg.to_string();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + 9..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || c.is_ascii_alphabetic()))
            .map_or(out.len(), |j| i + 9 + j);
        out.replace_range(i..end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> YamlDoc<'_> {
        YamlDoc {
            path: "x.md",
            text,
            start: 0,
            len: text.len(),
        }
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let text = "title: a\ntitel: b\n";
        let d = doc(text);
        let m = d.parse_mapping("front matter").unwrap();
        let mut diags = Vec::new();
        d.check_keys(&m, &["title", "tags"], false, &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn allow_unknown_keeps_extras_but_not_near_misses() {
        let text = "publish: true\ntitel: b\n";
        let d = doc(text);
        let m = d.parse_mapping("front matter").unwrap();
        let mut diags = Vec::new();
        let extras = d.check_keys(&m, &["title"], true, &mut diags);
        assert_eq!(extras.len(), 1);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn allow_unknown_takes_only_close_misspellings() {
        let text = "titel: a\nlang: en\ncreated: 2024-01-01\nsource: web\nTitle: b\n";
        let d = doc(text);
        let m = d.parse_mapping("front matter").unwrap();
        let mut diags = Vec::new();
        let known = ["title", "tags", "updated", "sources"];
        let extras = d.check_keys_tolerating(&m, &known, true, &["source"], &mut diags);
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 5], "{diags:?}");
        assert_eq!(extras.len(), 3);
    }

    #[test]
    fn empty_list_items_are_left_out() {
        let text = "a: [x, , y, ]\nb:\n  - x\n  -\n  - ''\nc: ''\nd: z\n";
        let d = doc(text);
        let m = d.parse_mapping("front matter").unwrap();
        let mut diags = Vec::new();
        assert_eq!(d.get_text_list(&m, "a", &mut diags), ["x", "y"]);
        assert_eq!(d.get_text_list(&m, "b", &mut diags), ["x"]);
        assert!(d.get_text_list(&m, "c", &mut diags).is_empty());
        assert_eq!(d.get_text_list(&m, "d", &mut diags), ["z"]);
        assert!(diags.is_empty());
        // Quotes are not rewritten: YAML's own error stands.
        assert!(doc("a: [\"x\", , y]\n").parse_mapping("f").is_err());
    }

    #[test]
    fn syntax_error_has_position() {
        let text = "title: a\ntags: [a, b\n";
        let err = doc(text).parse_mapping("front matter").unwrap_err();
        assert!(err.line >= 2, "{err}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn list_items_and_their_fields_are_found() {
        let text = "title: a\nevents:\n  - date: x\n    title: b\n  # note\n  -\n    when: later\n  - {title: c, when: d}\nnext: 1\n";
        let d = doc(text);
        let line_of = |(at, _): (usize, usize)| text[..at].matches('\n').count() + 1;
        assert_eq!(line_of(d.item_span("events", 0, None)), 3);
        assert_eq!(line_of(d.item_span("events", 0, Some("title"))), 4);
        assert_eq!(line_of(d.item_span("events", 1, Some("when"))), 7);
        assert_eq!(
            line_of(d.item_span("events", 1, Some("date"))),
            6,
            "the item"
        );
        let (at, len) = d.item_span("events", 2, Some("when"));
        assert_eq!(&text[at..at + len], "when");
        assert_eq!(line_of(d.item_span("events", 3, None)), 2, "the key");
        let flow = "events: [{title: a}]\n";
        // A list written `[…]` on the key's line: the field there.
        assert_eq!(doc(flow).item_span("events", 0, Some("title")), (10, 5));
        assert_eq!(doc(flow).item_span("events", 0, Some("when")), (0, 6));
    }

    #[test]
    fn scalar_document_is_rejected() {
        let err = doc("just text\n")
            .parse_mapping("front matter")
            .unwrap_err();
        assert!(err.message.contains("mapping"));
    }
}
