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
    "paginate_by",
    "publish",
    "permalink",
    "cssclasses",
    "extra",
];

/// Keys Obsidian and its community plugins write, which a site with `allow_unknown` keeps in
/// `extra` and never takes for a misspelling of a known key (`created` is not `updated`).
pub const OBSIDIAN_KEYS: &[&str] = &[
    "alias",
    "tag",
    "cssclass",
    "created",
    "modified",
    "published",
    "related",
    "source",
    "banner",
    "banner_x",
    "banner_y",
    "icon",
    "image",
    "cover",
    "author",
    "authors",
    "status",
    "type",
    "category",
    "categories",
    "up",
    "parent",
    "lang",
    "date created",
    "date modified",
    "kanban-plugin",
];

/// Obsidian's older names of list properties, read (with `allow_unknown`) as the current ones.
const OLDER_FORMS: [(&str, &str); 3] = [
    ("tag", "tags"),
    ("alias", "aliases"),
    ("cssclass", "cssclasses"),
];

/// What a site's front matter accepts besides the fixed keys.
#[derive(Debug, Clone, Default)]
pub struct Rules<'a> {
    /// Unknown keys go to `extra` instead of being errors (`front_matter: {allow_unknown: true}`).
    pub allow_unknown: bool,
    /// The names of the site's taxonomies other than `tags` (always a key).
    pub taxonomies: Vec<&'a str>,
}

impl<'a> Rules<'a> {
    /// The rules `site.yaml` sets.
    pub fn of(config: &'a crate::config::SiteConfig) -> Self {
        Rules {
            allow_unknown: config.allow_unknown,
            taxonomies: (config.taxonomies.iter())
                .map(|t| t.name.as_str())
                .filter(|n| *n != "tags")
                .collect(),
        }
    }
}

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

pub use super::events::{Event, EventTime};

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
    /// The terms of the site's other taxonomies, by taxonomy name (`categories: [Diplomacy]`),
    /// in the order the site lists them; only those the note names.
    pub terms: Vec<(String, Vec<String>)>,
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
    /// Notes on each page of a section's list (on its `_index.md`); `None` takes the site's
    /// `paginate_by`, 0 turns pagination off.
    pub paginate_by: Option<usize>,
    /// Obsidian Publish's flag: `Some(false)` keeps the note out of every build, `--drafts` too.
    pub publish: Option<bool>,
    /// The note's whole URL path (`some/path`, no slashes around it), replacing folder and slug.
    pub permalink: Option<String>,
    /// CSS classes for the note's page (`cssclasses`, or the older `cssclass`), each one word.
    pub cssclasses: Vec<String>,
    /// Free map (plus unknown keys when the site allows them).
    pub extra: Mapping,
}

impl FrontMatter {
    /// The note's terms of the taxonomy `name` (`tags` included), as written.
    pub fn terms_of(&self, name: &str) -> &[String] {
        if name == "tags" {
            return &self.tags;
        }
        self.terms
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, t)| t.as_slice())
    }
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
///
/// Values are read as vaults write them: a key with nothing (or blank text) is as if it were
/// absent, empty list items are left out, a single text stands for a list, and dates may carry
/// a time. With `allow_unknown`, Obsidian's older `tag`, `alias` and `cssclass` add to their lists.
pub fn parse(doc: &YamlDoc<'_>, allow_unknown: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
    parse_with(doc, allow_unknown, &[])
}

/// `parse` for a site whose other taxonomies (but `tags`) are `taxonomies`: their names are
/// front-matter keys too.
pub fn parse_with(
    doc: &YamlDoc<'_>,
    allow_unknown: bool,
    taxonomies: &[&str],
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let p = parse_all(doc, allow_unknown, taxonomies);
    match p.front {
        Some(fm) if p.keys.is_empty() && p.values.is_empty() => Ok(fm),
        _ => Err(p.keys.into_iter().chain(p.values).collect()),
    }
}

/// Front matter as a vault's site reads it (with `allow_unknown`): as Obsidian shows a note
/// whose properties it cannot read, invalid YAML and values of the wrong type are warnings (the
/// note is built without them); a near-miss of a known key (`titel`) stays an error. Without
/// `allow_unknown`, every problem is an error, as `parse` reports it.
pub fn parse_lenient(
    doc: &YamlDoc<'_>,
    allow_unknown: bool,
    taxonomies: &[&str],
) -> (Option<FrontMatter>, Vec<Diagnostic>) {
    if !allow_unknown {
        return match parse_with(doc, false, taxonomies) {
            Ok(fm) => (Some(fm), Vec::new()),
            Err(d) => (None, d),
        };
    }
    let p = parse_all(doc, true, taxonomies);
    let mut diags = p.keys;
    diags.extend(p.values.into_iter().map(|mut d| {
        d.severity = crate::diagnostics::Severity::Warning;
        if d.help.is_none() {
            d.help = Some(
                "Obsidian shows this property as invalid; the note is built without it".into(),
            );
        }
        d
    }));
    (Some(p.front.unwrap_or_default()), diags)
}

/// Front matter and its problems, kept apart by kind: a vault forgives values, not keys.
struct Parsed {
    /// `None` when the YAML itself cannot be read.
    front: Option<FrontMatter>,
    /// Unknown keys (near-misses of known ones).
    keys: Vec<Diagnostic>,
    /// YAML that cannot be read, values of the wrong type.
    values: Vec<Diagnostic>,
}

fn parse_all(doc: &YamlDoc<'_>, allow_unknown: bool, taxonomies: &[&str]) -> Parsed {
    let mut map = match doc.parse_mapping("front matter") {
        Ok(m) => m,
        Err(d) => {
            return Parsed {
                front: None,
                keys: Vec::new(),
                values: vec![d],
            };
        }
    };
    // A site's taxonomies are keys too (a short list, made only when there are any).
    let known: std::borrow::Cow<'_, [&str]> = if taxonomies.is_empty() {
        FRONT_MATTER_KEYS.into()
    } else {
        FRONT_MATTER_KEYS
            .iter()
            .chain(taxonomies)
            .copied()
            .collect()
    };
    map.retain(|k, v| {
        !(crate::yaml::is_empty(v) && k.as_str().is_some_and(|k| known.contains(&k)))
    });
    let mut keys = Vec::new();
    let mut extras =
        doc.check_keys_tolerating(&map, &known, allow_unknown, OBSIDIAN_KEYS, &mut keys);
    let mut diags = Vec::new();
    let mut list = |key: &str, diags: &mut Vec<Diagnostic>| {
        let mut items = doc.get_text_list(&map, key, diags);
        for (older, _) in OLDER_FORMS.iter().filter(|(_, current)| *current == key) {
            if let Some(v) = extras.remove(*older)
                && !crate::yaml::is_empty(&v)
            {
                let one = Mapping::from_iter([(Value::from(*older), v)]);
                items.extend(doc.get_text_list(&one, older, diags));
            }
        }
        items
    };
    let tags = tag_list(list("tags", &mut diags));
    let terms: Vec<(String, Vec<String>)> = taxonomies
        .iter()
        .filter(|t| map.contains_key(**t))
        .map(|t| {
            (
                t.to_string(),
                tag_list(doc.get_text_list(&map, t, &mut diags)),
            )
        })
        .collect();
    let aliases = merge_case_variants(list("aliases", &mut diags));
    let cssclasses = merge_case_variants(words(list("cssclasses", &mut diags)));
    let mut fm = FrontMatter {
        title: doc.get_text(&map, "title", &mut diags),
        description: doc.get_text(&map, "description", &mut diags),
        date: date_key(doc, &map, "date", &mut diags),
        updated: date_key(doc, &map, "updated", &mut diags),
        tags,
        terms,
        draft: doc.get_bool(&map, "draft", &mut diags).unwrap_or(false),
        weight: doc
            .get::<i64>(&map, "weight", "a whole number", &mut diags)
            .unwrap_or(0),
        slug: doc.get_text(&map, "slug", &mut diags),
        aliases,
        template: doc.get_text(&map, "template", &mut diags),
        events: super::events::events(doc, &map, &mut diags),
        sources: doc.get_text_list(&map, "sources", &mut diags),
        sort_by: SortBy::Weight,
        paginate_by: doc
            .get::<u64>(&map, "paginate_by", "a whole number, 0 or more", &mut diags)
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        publish: doc.get_bool(&map, "publish", &mut diags),
        permalink: None,
        cssclasses,
        extra: Mapping::new(),
    };
    if let Some(p) = doc.get_text(&map, "permalink", &mut diags) {
        match permalink(&p) {
            Ok(path) => fm.permalink = Some(path),
            Err(why) => diags.push(
                doc.value_error("permalink", why)
                    .with_help("a permalink is a path from the site root, e.g. `topics/xi-visit`"),
            ),
        }
    }
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
    for (name, terms) in &fm.terms {
        for t in terms
            .iter()
            .filter(|t| crate::content::slugify(t).is_empty())
        {
            diags.push(doc.value_error(name, format!("term `{t}` has no letters or digits")));
        }
    }
    Parsed {
        front: Some(fm),
        keys,
        values: diags,
    }
}

/// Tags as Obsidian reads them: a text may list several, separated by commas, and a leading
/// `#` is not part of the name.
fn tag_list(items: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        for t in item.split(',') {
            let t = t.trim().trim_start_matches('#');
            if !t.is_empty() {
                out.push(t.to_string());
            }
        }
    }
    out
}

/// Every word of every item (`cssclasses: "wide dark"` is two classes).
fn words(items: Vec<String>) -> Vec<String> {
    items
        .iter()
        .flat_map(|i| i.split(|c: char| c.is_whitespace() || c == ','))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The items without repeats, where items that differ only in case count as one (the first
/// spelling stays): Obsidian matches aliases ignoring case.
fn merge_case_variants(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items
        .into_iter()
        .filter(|i| seen.insert(i.trim().to_lowercase()))
        .collect()
}

/// A permalink as a URL path without slashes around it: `/Topics/xi/` → `Topics/xi`. Each
/// segment follows the rules of a slug.
/// `/` is the site root (`""`): Obsidian Publish's way of naming the home page.
fn permalink(p: &str) -> Result<String, String> {
    let path = p.trim().trim_matches('/');
    if path.is_empty() {
        return Ok(String::new());
    }
    for segment in path.split('/') {
        check_slug(segment)
            .map_err(|why| format!("`permalink` `{p}`: {}", why.replace("`slug` ", "segment ")))?;
    }
    Ok(path.to_string())
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
    match SiteDate::parse_with_time(&text).filter(SiteDate::is_full) {
        Some(d) => Some(d),
        None => {
            diags.push(
                doc.value_error(
                    key,
                    format!("`{key}` must be a date written YYYY-MM-DD, found `{text}`"),
                )
                .with_help("e.g. `date: 2023-10-02` (a time may follow: `2023-10-02T17:18`)"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        parse_as(text, false)
    }

    fn parse_as(text: &str, allow_unknown: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
        let s = split("n.md", text).map_err(|d| vec![d])?;
        let (start, len) = s.yaml.unwrap();
        parse(
            &YamlDoc {
                path: "n.md",
                text,
                start,
                len,
            },
            allow_unknown,
        )
    }

    /// A vault note: parsed with `allow_unknown`, as a vault's site sets it.
    fn vault(yaml: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        parse_as(&format!("---\n{yaml}---\n"), true)
    }

    #[test]
    fn a_configured_taxonomy_is_a_key_and_others_are_not() {
        let text = "---\ncategories: [Trade, '#Diplomacy']\nregions:\n---\n";
        let s = split("n.md", text).unwrap();
        let (start, len) = s.yaml.unwrap();
        let doc = YamlDoc {
            path: "n.md",
            text,
            start,
            len,
        };
        let f = parse_with(&doc, false, &["categories", "regions"]).unwrap();
        assert_eq!(f.terms_of("categories"), ["Trade", "Diplomacy"]);
        assert!(f.terms_of("regions").is_empty(), "an empty value is absent");
        let errs = parse_with(&doc, false, &["regions"]).unwrap_err();
        assert!(errs[0].message.contains("unknown key `categories`"));
        // In a vault, an unlisted taxonomy is kept in `extra`, as before.
        let f = vault("categories: [Trade]\n").unwrap();
        assert!(f.terms.is_empty() && f.extra.contains_key("categories"));
    }

    #[test]
    fn empty_values_are_as_if_absent() {
        let f = vault("title:\ndescription: \"\"\nslug: ''\nweight:\ndate:\npublish:\npermalink:\ntemplate: ' '\nsort_by:\n").unwrap();
        assert_eq!(f, FrontMatter::default());
        let f = fm("---\ntitle: ''\ntags:\naliases:\ncssclasses:\n---\n").unwrap();
        assert_eq!(f, FrontMatter::default(), "the same without allow_unknown");
    }

    #[test]
    fn lists_as_vaults_write_them() {
        let f = vault(
            "tags:\n  - a\n  -\n  - ''\n  - '#b'\naliases: One name\ncssclasses: wide  dark\n",
        )
        .unwrap();
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.aliases, ["One name"]);
        assert_eq!(f.cssclasses, ["wide", "dark"]);
        let f =
            vault("tags: [x, , y]\naliases: [A, a, ' A ', B]\ncssclasses: [wide, Wide]\n").unwrap();
        assert_eq!(f.tags, ["x", "y"]);
        assert_eq!(f.aliases, ["A", "B"]);
        assert_eq!(f.cssclasses, ["wide"]);
        assert_eq!(vault("tags: \"a, b,\"\n").unwrap().tags, ["a", "b"]);
    }

    #[test]
    fn older_obsidian_forms_join_their_lists_with_allow_unknown() {
        let f = vault("tags: [a]\ntag: b\naliases: [A]\nalias: B\ncssclass: wide\n").unwrap();
        assert_eq!(f.tags, ["a", "b"]);
        assert_eq!(f.aliases, ["A", "B"]);
        assert_eq!(f.cssclasses, ["wide"]);
        assert!(f.extra.is_empty(), "{:?}", f.extra);
        let errs = fm("---\ncssclass: wide\n---\n").unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `cssclasses`?"));
    }

    #[test]
    fn date_times_give_their_day() {
        let f = vault("date: 2025-07-26T17:18\nupdated: 2025-07-27 09:30:00\n").unwrap();
        assert_eq!(f.date, SiteDate::parse("2025-07-26"));
        assert_eq!(f.updated, SiteDate::parse("2025-07-27"));
        let errs = fm("---\ntitle: a\ndate: 2025-07-26T25:00\n---\n").unwrap_err();
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn obsidian_keys_go_to_extra_and_near_misses_stay_errors() {
        let f = vault("publish: true\ncreated: 2025-07-01T10:00\nmodified: x\nrelated: y\nsource: z\nStatus: done\nDate created: 2025-07-01\n").unwrap();
        assert_eq!(f.publish, Some(true));
        assert_eq!(f.extra.len(), 6, "{:?}", f.extra);
        let errs = vault("titel: a\n").unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `title`?"));
        assert!(
            fm("---\ncreated: 2025-07-01\n---\n").is_err(),
            "strict without allow_unknown"
        );
    }

    #[test]
    fn permalinks_are_paths_from_the_root() {
        let p = |v: &str| fm(&format!("---\npermalink: \"{v}\"\n---\n")).map(|f| f.permalink);
        assert_eq!(
            p("/Custom/place/").unwrap().as_deref(),
            Some("Custom/place")
        );
        assert_eq!(p("one").unwrap().as_deref(), Some("one"));
        // Obsidian Publish names the home page `permalink: /`.
        assert_eq!(p("/").unwrap().as_deref(), Some(""));
        for bad in ["a/../b", "a b/c", "a//b", "a/?"] {
            assert!(p(bad).is_err(), "{bad}");
        }
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
        assert_eq!(f.events[0].when_shown(), "July 2014");
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
