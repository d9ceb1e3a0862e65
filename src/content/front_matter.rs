//! Front matter: splitting the YAML block off a note and reading it into typed, validated fields.

use super::date::SiteDate;
use crate::diagnostics::Diagnostic;
use crate::yaml::YamlDoc;
use serde_yaml::{Mapping, Value};

/// Keys a note's front matter accepts.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "tags",
    "draft",
    "weight",
    "slug",
    "aliases",
    "template",
    "events",
    "sources",
    "sort_by",
    "extra",
];

/// Where the front matter and body sit in a note's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML (between the `---` lines), if there is front matter.
    pub yaml: Option<(usize, usize)>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the front matter: `---` on the first line, closed by a line of `---` (or `...`).
pub fn split(path: &str, text: &str) -> Result<Split, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            body_start: 0,
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: Some((yaml_start, pos - yaml_start)),
                body_start: (end + 1).min(text.len()),
            });
        }
        pos = end + 1;
    }
    Err(
        Diagnostic::at(path, text, 0, 3, "front matter is not closed")
            .with_label("opened here")
            .with_help("add a line with only `---` after the last front-matter key"),
    )
}

/// One dated event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened (possibly only year or month).
    pub date: SiteDate,
    /// What happened, one sentence.
    pub title: String,
}

/// A note's validated front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Title; `None` means "use the file name".
    pub title: Option<String>,
    /// One-sentence description.
    pub description: Option<String>,
    /// Publication date.
    pub date: Option<SiteDate>,
    /// Last update.
    pub updated: Option<SiteDate>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Left out of builds unless `--drafts`.
    pub draft: bool,
    /// Order inside a section, lower first.
    pub weight: i64,
    /// Replaces the last part of the URL.
    pub slug: Option<String>,
    /// Other names of the note; each gets a redirect page.
    pub aliases: Vec<String>,
    /// Template to render with instead of the default.
    pub template: Option<String>,
    /// Timeline events.
    pub events: Vec<Event>,
    /// Ids of the site's sources.
    pub sources: Vec<String>,
    /// How a section orders its pages.
    pub sort_by: SortBy,
    /// Free map (plus unknown keys when the site allows them).
    pub extra: Mapping,
}

/// How a section orders its pages (`sort_by:` in a section's `_index.md`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// By `weight`, then title (the default).
    #[default]
    Weight,
    /// Newest `date` first, then title.
    Date,
    /// By title.
    Title,
}

/// Parses the YAML of a note into `FrontMatter`, collecting every problem.
pub fn parse(doc: &YamlDoc<'_>, allow_unknown: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
    let map = doc.parse_mapping("front matter").map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let extras = doc.check_keys(&map, FRONT_MATTER_KEYS, allow_unknown, &mut diags);
    let mut fm = FrontMatter {
        title: doc.get_text(&map, "title", &mut diags),
        description: doc.get_text(&map, "description", &mut diags),
        date: date_key(doc, &map, "date", &mut diags),
        updated: date_key(doc, &map, "updated", &mut diags),
        tags: doc.get_text_list(&map, "tags", &mut diags),
        draft: doc.get_bool(&map, "draft", &mut diags).unwrap_or(false),
        weight: doc
            .get::<i64>(&map, "weight", "a whole number", &mut diags)
            .unwrap_or(0),
        slug: doc.get_text(&map, "slug", &mut diags),
        aliases: doc.get_text_list(&map, "aliases", &mut diags),
        template: doc.get_text(&map, "template", &mut diags),
        events: events(doc, &map, &mut diags),
        sources: doc.get_text_list(&map, "sources", &mut diags),
        sort_by: SortBy::Weight,
        extra: Mapping::new(),
    };
    match doc.get_text(&map, "sort_by", &mut diags).as_deref() {
        None | Some("weight") => {}
        Some("date") => fm.sort_by = SortBy::Date,
        Some("title") => fm.sort_by = SortBy::Title,
        Some(other) => diags.push(doc.value_error(
            "sort_by",
            format!("`sort_by` must be `weight`, `date` or `title`, found `{other}`"),
        )),
    }
    match map.get("extra") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(m)) => fm.extra = m.clone(),
        Some(other) => diags.push(doc.type_error("extra", "a mapping", other)),
    }
    for (k, v) in extras {
        fm.extra.insert(k, v);
    }
    if let Some(slug) = &fm.slug
        && let Err(why) = check_slug(slug)
    {
        diags.push(
            doc.value_error("slug", why)
                .with_help("a slug is one URL segment, e.g. `xi-visit`"),
        );
    }
    for t in &fm.tags {
        if crate::content::slugify(t).is_empty() {
            diags.push(doc.value_error("tags", format!("tag `{t}` has no letters or digits")));
        }
    }
    if diags.is_empty() { Ok(fm) } else { Err(diags) }
}

fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        Err("`slug` is empty".into())
    } else if slug.contains('/') || slug.contains('\\') {
        Err(format!("`slug` `{slug}` must not contain `/`"))
    } else if slug == "." || slug == ".." {
        Err(format!("`slug` `{slug}` is not a valid URL segment"))
    } else if slug
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#%\"<>".contains(c))
    {
        Err(format!(
            "`slug` `{slug}` must not contain spaces or any of ? # % \" < >"
        ))
    } else {
        Ok(())
    }
}

fn date_key(
    doc: &YamlDoc<'_>,
    map: &Mapping,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<SiteDate> {
    let text = doc.get_text(map, key, diags)?;
    match SiteDate::parse(&text).filter(SiteDate::is_full) {
        Some(d) => Some(d),
        None => {
            diags.push(
                doc.value_error(
                    key,
                    format!("`{key}` must be a date written YYYY-MM-DD, found `{text}`"),
                )
                .with_help("e.g. `date: 2023-10-02`"),
            );
            None
        }
    }
}

fn events(doc: &YamlDoc<'_>, map: &Mapping, diags: &mut Vec<Diagnostic>) -> Vec<Event> {
    let help = "write events as a list: `- {date: \"2023-09-23\", title: \"What happened\"}`";
    let items = match map.get("events") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(other) => {
            diags.push(
                doc.type_error("events", "a list of {date, title}", other)
                    .with_help(help),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let Some(m) = item.as_mapping() else {
            diags.push(
                doc.value_error(
                    "events",
                    format!("event {n} must be a mapping with `date` and `title`"),
                )
                .with_help(help),
            );
            continue;
        };
        if let Some(k) = m
            .keys()
            .find(|k| !matches!(k.as_str(), Some("date" | "title")))
        {
            let name = crate::yaml::scalar_text(k).unwrap_or_default();
            diags.push(doc.value_error(
                "events",
                format!("event {n} has an unknown key `{name}` (events take `date` and `title`)"),
            ));
        }
        let date_text = m
            .get("date")
            .and_then(crate::yaml::scalar_text)
            .unwrap_or_default();
        let title = m
            .get("title")
            .and_then(crate::yaml::scalar_text)
            .unwrap_or_default();
        let date = SiteDate::parse(&date_text);
        if date.is_none() {
            diags.push(doc.value_error(
                "events",
                format!("event {n}: date `{date_text}` must be YYYY, YYYY-MM or YYYY-MM-DD"),
            ));
        }
        if title.trim().is_empty() {
            diags.push(doc.value_error("events", format!("event {n} has no `title`")));
        }
        if let Some(date) = date
            && !title.trim().is_empty()
        {
            out.push(Event { date, title });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let s = split("n.md", text).map_err(|d| vec![d])?;
        let (start, len) = s.yaml.unwrap();
        parse(
            &YamlDoc {
                path: "n.md",
                text,
                start,
                len,
            },
            false,
        )
    }

    #[test]
    fn split_finds_body() {
        let s = split("n.md", "---\ntitle: a\n---\nbody").unwrap();
        assert_eq!(s.yaml, Some((4, 9)));
        assert_eq!(s.body_start, 17);
        assert_eq!(split("n.md", "no front matter").unwrap().yaml, None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split("n.md", "---\ntitle: a\n").unwrap_err();
        assert!(d.message.contains("not closed"));
        assert_eq!(d.line, 1);
    }

    #[test]
    fn reads_all_keys() {
        let f = fm("---\ntitle: T\ndate: 2023-10-02\ntags: [a, b]\nweight: 3\nevents:\n  - {date: \"2014-07\", title: Visit}\n---\n").unwrap();
        assert_eq!(f.title.as_deref(), Some("T"));
        assert_eq!(f.tags, vec!["a", "b"]);
        assert_eq!(f.weight, 3);
        assert_eq!(f.events[0].date.display(), "July 2014");
    }

    #[test]
    fn wrong_types_are_reported_at_their_line() {
        let errs = fm("---\ntitle: T\ntags: 5\ndate: soon\ndraft: maybe\n---\n").unwrap_err();
        let mut lines: Vec<usize> = errs.iter().map(|d| d.line).collect();
        lines.sort();
        assert_eq!(lines, vec![3, 4, 5], "{errs:?}");
    }

    #[test]
    fn bad_slugs_are_rejected() {
        for s in ["a/b", "..", "a b"] {
            let text = format!("---\nslug: \"{s}\"\n---\n");
            assert!(fm(&text).is_err(), "{s}");
        }
    }
}
