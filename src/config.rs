//! `site.yaml` and command-line options turned into validated `Settings` (paths resolved, output guarded).

use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::yaml::YamlDoc;
use serde::Serialize;
use serde_yaml::Mapping;
use std::path::{Component, Path, PathBuf};

/// The name of the file the tool leaves in every output folder it creates.
pub const OUTPUT_MARKER: &str = ".explainer-output";

/// Keys `site.yaml` accepts.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "taxonomies",
    "feed",
    "search",
    "previews",
    "front_matter",
    "sources",
    "links",
    "paginate_by",
    "images",
    "cards",
    "highlight",
    "extra",
];

/// One entry of the site's bibliography, cited by notes through `sources: [id]`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Source {
    /// Short id notes cite.
    pub id: String,
    /// The source's title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// The date written out, e.g. `2 October 2023`.
    pub date_display: String,
    /// Where it can be read, if known.
    pub url: String,
    /// Any remark about the source (language, translation, credits).
    pub note: String,
    /// The source's full text (plain text or Markdown), relative to the project root, for
    /// checking quotations; never published, so not part of the template data.
    #[serde(skip)]
    pub text: String,
    /// A line that ends the text (trimmed, exact): what follows it is not the source (a saved
    /// page's menus and comments).
    #[serde(skip)]
    pub text_end: String,
}

/// What a link to a note, file or `#fragment` that does not exist does (`links: {missing: …}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingLinks {
    /// The build fails (the default: a published site has no dead links).
    #[default]
    Error,
    /// A warning, and the link is shown as an unresolved `<span>`, as Obsidian shows a link to
    /// a note not written yet.
    Warn,
}

/// Notes on each page of a list when `site.yaml` does not say: a 10,000-note section's pages
/// stay well under 100 KB with the built-in templates.
pub const DEFAULT_PAGINATE_BY: usize = 50;

/// Whether pages get social cards (`cards: {enabled: …}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CardsEnabled {
    /// On for sites of up to [`CARDS_AUTO_LIMIT`] notes (the default): a larger site spends
    /// its first build drawing them.
    #[default]
    Auto,
    /// On, whatever the site's size.
    On,
    /// Off: no cards, no `og:image`.
    Off,
}

/// The most notes a site may have for `enabled: auto` to draw cards.
pub const CARDS_AUTO_LIMIT: usize = 1000;

/// Social cards (`cards:` in `site.yaml`): a PNG per page for `og:image`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardsConfig {
    /// Whether cards are drawn.
    pub enabled: CardsEnabled,
    /// The line at the foot of every card; `{date}` stands for the page's date (or the latest
    /// source's). `None`: `{date}`.
    pub tagline: Option<String>,
}

impl CardsConfig {
    /// Whether a site of `notes` notes gets cards.
    pub fn on_for(&self, notes: usize) -> bool {
        match self.enabled {
            CardsEnabled::Auto => notes <= CARDS_AUTO_LIMIT,
            CardsEnabled::On => true,
            CardsEnabled::Off => false,
        }
    }
}

/// The validated contents of `site.yaml`, every key defaulted.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// One-sentence description (meta description, feed subtitle).
    pub description: String,
    /// Absolute URL of the published site, always ending in `/`.
    pub base_url: String,
    /// Language code for `<html lang>`.
    pub language: String,
    /// Author name for the feed.
    pub author: String,
    /// The taxonomies, in the order `site.yaml` lists them (`tags` alone by default).
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Whether to write `atom.xml`.
    pub feed: bool,
    /// Whether a search index is wanted.
    pub search: bool,
    /// Whether link previews (`previews.js` and its data files) are written.
    pub previews: bool,
    /// Blocks whose text starts with one of these are left out of the search index
    /// (`search: {skip: [...]}`): boilerplate such as a source line every note ends with.
    #[serde(skip)]
    pub search_skip: Vec<String>,
    /// Whether unknown front-matter keys are kept in `extra` instead of being errors.
    #[serde(skip)]
    pub allow_unknown: bool,
    /// The site's sources.
    pub sources: Vec<Source>,
    /// What links to missing notes, files or fragments do.
    #[serde(skip)]
    pub missing_links: MissingLinks,
    /// Notes on each page of a list (sections without a `paginate_by` of their own, and tag
    /// pages) whose template reads `paginator`; 0 turns pagination off.
    #[serde(skip)]
    pub paginate_by: usize,
    /// Local images: smaller copies for `srcset`, and their widths.
    #[serde(skip)]
    pub images: ImagesConfig,
    /// Social cards.
    #[serde(skip)]
    pub cards: CardsConfig,
    /// Whether fenced code in a known language is highlighted (`highlight: {enabled: …}`).
    #[serde(skip)]
    pub highlight: bool,
    /// Free map for templates.
    pub extra: Mapping,
}

/// One taxonomy (`{name: categories, feed: true}`, or just `categories`): notes list their
/// terms under its name in front matter; it gets a list page at `<name>/` and a page per term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyConfig {
    /// Its name: the front-matter key and the first URL segment of its pages.
    pub name: String,
    /// Whether each term gets an Atom feed (`<name>/<slug>/atom.xml`).
    pub feed: bool,
}

impl TaxonomyConfig {
    /// A taxonomy without feeds.
    pub fn named(name: &str) -> Self {
        TaxonomyConfig {
            name: name.into(),
            feed: false,
        }
    }
}

/// Keys a taxonomy's mapping accepts.
const TAXONOMY_KEYS: &[&str] = &["name", "feed"];

/// Names a taxonomy cannot take: the front-matter keys it would shadow (but `tags`) and the
/// generated pages whose URL it would take.
fn reserved_taxonomy_name(name: &str) -> bool {
    (name != "tags" && crate::content::front_matter::FRONT_MATTER_KEYS.contains(&name))
        || crate::content::RESERVED_URLS
            .iter()
            .any(|u| u.strip_suffix('/') == Some(name) && name != "tags")
        || crate::sitegraph::GRAPH_URL.strip_suffix('/') == Some(name)
}

/// `taxonomies: [tags, {name: categories, feed: true}]`: each item a name or a mapping with
/// `name` and `feed`; names are slugs (lowercase letters, digits, `-`, `_`), each once.
fn parse_taxonomies(
    doc: &YamlDoc<'_>,
    v: &serde_yaml::Value,
    diags: &mut Vec<Diagnostic>,
) -> Vec<TaxonomyConfig> {
    let items = match v {
        serde_yaml::Value::Null => return Vec::new(),
        serde_yaml::Value::Sequence(items) => items,
        other => {
            diags.push(doc.type_error(
                "taxonomies",
                "a list like `[tags, {name: categories, feed: true}]`",
                other,
            ));
            return vec![TaxonomyConfig::named("tags")];
        }
    };
    let mut out: Vec<TaxonomyConfig> = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let err = |field: Option<&str>, message: String| {
            doc.item_error("taxonomies", index, field, message)
        };
        let mut t = TaxonomyConfig::named("");
        match item {
            serde_yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    let key = crate::yaml::scalar_text(k).unwrap_or_default();
                    match (key.as_str(), v) {
                        ("name", v) => match crate::yaml::scalar_text(v) {
                            Some(name) => t.name = name,
                            None => diags.push(err(Some("name"), "`name` must be text".into())),
                        },
                        ("feed", serde_yaml::Value::Bool(b)) => t.feed = *b,
                        ("feed", _) => {
                            diags.push(err(Some("feed"), "`feed` must be `true` or `false`".into()))
                        }
                        (other, _) => {
                            let mut d =
                                err(Some(other), format!("unknown key `{other}` in a taxonomy"));
                            d = match crate::diagnostics::did_you_mean(
                                other,
                                TAXONOMY_KEYS.iter().copied(),
                            ) {
                                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                                None => d.with_help("a taxonomy accepts `name` and `feed`"),
                            };
                            diags.push(d);
                        }
                    }
                }
                if t.name.is_empty() && m.get("name").is_none() {
                    diags.push(err(None, "a taxonomy needs a `name`".into()));
                    continue;
                }
            }
            other => match crate::yaml::scalar_text(other) {
                Some(name) => t.name = name,
                None => {
                    diags.push(err(
                        None,
                        "a taxonomy is a name or `{name: …, feed: …}`".into(),
                    ));
                    continue;
                }
            },
        }
        let slug_like = t
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && t.name.starts_with(|c: char| c.is_ascii_alphanumeric());
        if !slug_like {
            diags.push(
                err(
                    Some("name"),
                    format!("taxonomy name `{}` is not a slug", t.name),
                )
                .with_help("use lowercase letters, digits, `-` and `_`, e.g. `categories`"),
            );
        } else if reserved_taxonomy_name(&t.name) {
            diags.push(
                err(
                    Some("name"),
                    format!("`{}` cannot be a taxonomy: the name is taken", t.name),
                )
                .with_help(
                    "a taxonomy cannot share its name with a front-matter key or a generated page",
                ),
            );
        } else if out.iter().any(|o| o.name == t.name) {
            diags.push(err(
                Some("name"),
                format!("taxonomy `{}` is listed twice", t.name),
            ));
        } else {
            out.push(t);
        }
    }
    out
}

/// `images: {srcset: true, widths: [480, 800, 1200]}`: the smaller copies made of large images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagesConfig {
    /// Whether large PNG and JPEG images get smaller copies and a `srcset`.
    pub srcset: bool,
    /// The widths of the copies, in pixels, ascending, without repeats; a copy is never wider
    /// than its image.
    pub widths: Vec<u32>,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            srcset: true,
            widths: vec![480, 800, 1200],
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Explainer".into(),
            description: String::new(),
            base_url: "https://example.org/".into(),
            language: "en".into(),
            author: String::new(),
            taxonomies: vec![TaxonomyConfig::named("tags")],
            feed: true,
            search: true,
            previews: true,
            search_skip: Vec::new(),
            allow_unknown: false,
            sources: Vec::new(),
            missing_links: MissingLinks::Error,
            paginate_by: DEFAULT_PAGINATE_BY,
            images: ImagesConfig::default(),
            cards: CardsConfig::default(),
            highlight: true,
            extra: Mapping::new(),
        }
    }
}

impl SiteConfig {
    /// Parses `site.yaml` text; every problem is collected.
    pub fn parse(path: &str, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let doc = YamlDoc {
            path,
            text,
            start: 0,
            len: text.len(),
        };
        let map = doc.parse_mapping("site.yaml").map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        doc.check_keys(&map, SITE_KEYS, false, &mut diags);
        let mut c = SiteConfig::default();
        if let Some(v) = doc.get_text(&map, "title", &mut diags) {
            c.title = v;
        }
        if let Some(v) = doc.get_text(&map, "description", &mut diags) {
            c.description = v;
        }
        if let Some(v) = doc.get_text(&map, "base_url", &mut diags) {
            match normalize_base_url(&v) {
                Ok(u) => c.base_url = u,
                Err(m) => diags.push(doc.value_error("base_url", m)),
            }
        }
        if let Some(v) = doc.get_text(&map, "language", &mut diags) {
            c.language = v;
        }
        if let Some(v) = doc.get_text(&map, "author", &mut diags) {
            c.author = v;
        }
        if let Some(v) = map.get("taxonomies") {
            c.taxonomies = parse_taxonomies(&doc, v, &mut diags);
        }
        if let Some(v) = doc.get_bool(&map, "feed", &mut diags) {
            c.feed = v;
        }
        if let Some(serde_yaml::Value::Mapping(m)) = map.get("search") {
            c.search_skip = parse_search(&doc, m, &mut diags);
        } else if let Some(v) = doc.get_bool(&map, "search", &mut diags) {
            c.search = v;
        }
        if let Some(v) = doc.get_bool(&map, "previews", &mut diags) {
            c.previews = v;
        }
        if let Some(fm) = map.get("front_matter") {
            match fm {
                serde_yaml::Value::Mapping(m) => {
                    for (k, v) in m {
                        match (k.as_str(), v) {
                            (Some("allow_unknown"), serde_yaml::Value::Bool(b)) => {
                                c.allow_unknown = *b
                            }
                            _ => diags.push(doc.value_error(
                                "front_matter",
                                "`front_matter` accepts only `allow_unknown: true` or `false`",
                            )),
                        }
                    }
                }
                other => diags.push(doc.type_error("front_matter", "a mapping", other)),
            }
        }
        if let Some(s) = map.get("sources") {
            c.sources = parse_sources(&doc, s, &mut diags);
        }
        if let Some(l) = map.get("links") {
            c.missing_links = parse_links(&doc, l, &mut diags);
        }
        if let Some(n) =
            doc.get::<u64>(&map, "paginate_by", "a whole number, 0 or more", &mut diags)
        {
            c.paginate_by = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(i) = map.get("images") {
            c.images = parse_images(&doc, i, &mut diags);
        }
        if let Some(v) = map.get("cards") {
            c.cards = parse_cards(&doc, v, &mut diags);
        }
        if let Some(h) = map.get("highlight") {
            c.highlight = parse_highlight(&doc, h, &mut diags);
        }
        if let Some(e) = map.get("extra") {
            match e {
                serde_yaml::Value::Mapping(m) => c.extra = m.clone(),
                other => diags.push(doc.type_error("extra", "a mapping", other)),
            }
        }
        if diags.is_empty() { Ok(c) } else { Err(diags) }
    }
}

/// `search: {skip: [texts]}`: search on, leaving out blocks that start with one of the texts.
fn parse_search(doc: &YamlDoc<'_>, m: &Mapping, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    if m.keys().any(|k| k.as_str() != Some("skip")) {
        diags.push(doc.value_error(
            "search",
            "`search` accepts `true`, `false` or `{skip: [texts]}`",
        ));
    }
    let skip = doc.get_text_list(m, "skip", diags);
    if skip.iter().any(|s| s.trim().is_empty()) {
        diags.push(doc.value_error("search", "a `skip` text cannot be empty"));
    }
    skip
}

/// `links: {missing: error | warn}`.
fn parse_links(
    doc: &YamlDoc<'_>,
    v: &serde_yaml::Value,
    diags: &mut Vec<Diagnostic>,
) -> MissingLinks {
    let wrong = "`links` accepts only `missing: error` or `missing: warn`";
    let Some(m) = v.as_mapping() else {
        diags.push(doc.type_error("links", "a mapping like `{missing: warn}`", v));
        return MissingLinks::Error;
    };
    let mut out = MissingLinks::Error;
    for (k, v) in m {
        match (k.as_str(), v.as_str()) {
            (Some("missing"), Some("error")) => out = MissingLinks::Error,
            (Some("missing"), Some("warn")) => out = MissingLinks::Warn,
            (Some("missing"), _) => diags.push(doc.value_error(
                "links",
                format!(
                    "`missing` must be `error` or `warn`, found `{}`",
                    crate::yaml::scalar_text(v).unwrap_or_else(|| "a list or mapping".into())
                ),
            )),
            _ => diags.push(doc.value_error("links", wrong)),
        }
    }
    out
}

/// `images: {srcset: bool, widths: [px, …]}`; widths from 16 to 8192 pixels, at most eight.
fn parse_images(
    doc: &YamlDoc<'_>,
    v: &serde_yaml::Value,
    diags: &mut Vec<Diagnostic>,
) -> ImagesConfig {
    let mut out = ImagesConfig::default();
    let Some(m) = v.as_mapping() else {
        diags.push(doc.type_error(
            "images",
            "a mapping like `{srcset: true, widths: [480, 800, 1200]}`",
            v,
        ));
        return out;
    };
    let bad_widths = "`widths` must be a list of up to 8 widths in pixels, from 16 to 8192, e.g. `[480, 800, 1200]`";
    for (k, v) in m {
        match (k.as_str(), v) {
            (Some("srcset"), serde_yaml::Value::Bool(b)) => out.srcset = *b,
            (Some("srcset"), _) => {
                diags.push(doc.value_error("images", "`srcset` must be `true` or `false`"))
            }
            (Some("widths"), serde_yaml::Value::Sequence(items)) => {
                let widths: Option<Vec<u32>> = items
                    .iter()
                    .map(|w| {
                        w.as_u64()
                            .filter(|w| (16..=8192).contains(w))
                            .and_then(|w| u32::try_from(w).ok())
                    })
                    .collect();
                match widths {
                    Some(mut w) if w.len() <= 8 => {
                        w.sort_unstable();
                        w.dedup();
                        out.widths = w;
                    }
                    _ => diags.push(doc.value_error("images", bad_widths)),
                }
            }
            (Some("widths"), _) => diags.push(doc.value_error("images", bad_widths)),
            _ => diags.push(doc.value_error(
                "images",
                "`images` accepts only `srcset: true | false` and `widths: [480, 800, 1200]`",
            )),
        }
    }
    out
}

/// `cards: true | false | {enabled: true | false | auto, tagline: TEXT}`.
fn parse_cards(
    doc: &YamlDoc<'_>,
    v: &serde_yaml::Value,
    diags: &mut Vec<Diagnostic>,
) -> CardsConfig {
    let enabled = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::Bool(true) => Some(CardsEnabled::On),
        serde_yaml::Value::Bool(false) => Some(CardsEnabled::Off),
        serde_yaml::Value::String(s) if s == "auto" => Some(CardsEnabled::Auto),
        _ => None,
    };
    let mut out = CardsConfig::default();
    if let Some(e) = enabled(v) {
        out.enabled = e;
        return out;
    }
    let Some(m) = v.as_mapping() else {
        diags.push(doc.type_error(
            "cards",
            "`true`, `false` or a mapping like `{enabled: true, tagline: \"As of {date}\"}`",
            v,
        ));
        return out;
    };
    for (k, v) in m {
        match k.as_str() {
            Some("enabled") => match enabled(v) {
                Some(e) => out.enabled = e,
                None => diags.push(doc.value_error(
                    "cards",
                    format!(
                        "`enabled` must be `true`, `false` or `auto`, found `{}`",
                        crate::yaml::scalar_text(v).unwrap_or_else(|| "a list or mapping".into())
                    ),
                )),
            },
            Some("tagline") => match crate::yaml::scalar_text(v) {
                Some(t) => out.tagline = Some(t),
                None => diags.push(doc.value_error("cards", "`tagline` must be text")),
            },
            _ => diags.push(doc.value_error(
                "cards",
                format!(
                    "unknown key `{}` in `cards` (known: enabled, tagline)",
                    crate::yaml::scalar_text(k).unwrap_or_default()
                ),
            )),
        }
    }
    out
}

/// `highlight: {enabled: true | false}`: whether fenced code is highlighted (on by default).
fn parse_highlight(doc: &YamlDoc<'_>, v: &serde_yaml::Value, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(m) = v.as_mapping() else {
        diags.push(doc.type_error("highlight", "a mapping like `{enabled: false}`", v));
        return true;
    };
    let mut enabled = true;
    for (k, v) in m {
        match (k.as_str(), v) {
            (Some("enabled"), serde_yaml::Value::Bool(b)) => enabled = *b,
            _ => diags.push(doc.value_error(
                "highlight",
                "`highlight` accepts only `enabled: true` or `enabled: false`",
            )),
        }
    }
    enabled
}

/// Keys a source in `site.yaml` accepts.
const SOURCE_KEYS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "date",
    "url",
    "note",
    "text",
    "text_end",
];

fn parse_sources(
    doc: &YamlDoc<'_>,
    v: &serde_yaml::Value,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Source> {
    let Some(items) = v.as_sequence() else {
        diags.push(doc.type_error(
            "sources",
            "a list of {id, title, publisher, date, url, note, text, text_end}",
            v,
        ));
        return Vec::new();
    };
    let mut out: Vec<Source> = Vec::new();
    for item in items {
        let Some(m) = item.as_mapping() else {
            diags.push(doc.type_error("sources", "a list of mappings", item));
            continue;
        };
        let field = |k: &str| {
            m.get(k)
                .and_then(crate::yaml::scalar_text)
                .unwrap_or_default()
        };
        for k in m.keys() {
            let name = k.as_str().unwrap_or("?");
            if !SOURCE_KEYS.contains(&name) {
                diags.push(doc.value_error(
                    "sources",
                    format!(
                        "unknown key `{name}` in a source (known: {})",
                        SOURCE_KEYS.join(", ")
                    ),
                ));
            }
        }
        let id = field("id");
        if id.is_empty() {
            diags.push(doc.value_error("sources", "every source needs an `id`"));
            continue;
        }
        if out.iter().any(|s| s.id == id) {
            diags.push(doc.value_error("sources", format!("source id `{id}` is listed twice")));
            continue;
        }
        let date = field("date");
        let date_display = match crate::content::date::SiteDate::parse(&date) {
            Some(d) => d.display(),
            None if date.is_empty() => String::new(),
            None => {
                diags.push(doc.value_error(
                    "sources",
                    format!("source `{id}`: date `{date}` is not YYYY-MM-DD"),
                ));
                String::new()
            }
        };
        out.push(Source {
            id,
            title: field("title"),
            publisher: field("publisher"),
            date,
            date_display,
            url: field("url"),
            note: field("note"),
            text: field("text"),
            text_end: field("text_end"),
        });
    }
    out
}

/// The path part of a base URL, with slashes at both ends (`https://host/sub` → `/sub/`).
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// Checks that a base URL is absolute (`http(s)://host/...`) and gives it a trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("base_url `{u}` must be absolute, e.g. https://example.org/explainer/")
        })?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url `{u}` has no host"));
    }
    Ok(if u.ends_with('/') {
        u.to_string()
    } else {
        format!("{u}/")
    })
}

/// What a command asked for, before the project is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Project root (holds `site.yaml`, `content/`, `templates/`, `static/`).
    pub root: PathBuf,
    /// Output folder; default `public/` under the root.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Write `…/index.html` links instead of `…/` links.
    pub file_links: bool,
    /// Minify HTML pages.
    pub minify: bool,
}

/// Everything a build needs to know: validated configuration and resolved paths.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Absolute project root.
    pub root: PathBuf,
    /// `root/content`.
    pub content_dir: PathBuf,
    /// `root/templates`.
    pub templates_dir: PathBuf,
    /// `root/static`.
    pub static_dir: PathBuf,
    /// Absolute output folder.
    pub output_dir: PathBuf,
    /// The parsed `site.yaml`.
    pub config: SiteConfig,
    /// Include drafts.
    pub drafts: bool,
    /// Write `…/index.html` links.
    pub file_links: bool,
    /// Minify HTML pages (whitespace and comments; never scripts, styles, `<pre>` or `<code>`).
    pub minify: bool,
    /// Highlights fenced code (when `config.highlight` is on); its grammars load on first use
    /// and stay loaded while these settings live (a `serve` session).
    pub highlighter: crate::code::Highlighter,
}

impl Settings {
    /// Reads `site.yaml` (if any) and resolves paths. Does not check the output folder.
    pub fn load(opts: &Options) -> Result<Settings, Error> {
        let root = std::fs::canonicalize(&opts.root).map_err(|e| {
            Error::Usage(format!(
                "project folder {} cannot be opened: {e}",
                opts.root.display()
            ))
        })?;
        if !root.is_dir() {
            return Err(Error::Usage(format!("{} is not a folder", root.display())));
        }
        let config_path = root.join("site.yaml");
        let mut config = match std::fs::read(&config_path) {
            Ok(bytes) => {
                let text = crate::content::load::decode_text("site.yaml", bytes)
                    .map_err(|d| Error::Site(vec![d].into()))?;
                SiteConfig::parse("site.yaml", &text).map_err(|d| Error::Site(d.into()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SiteConfig::default(),
            Err(e) => return Err(Error::io(&config_path, e)),
        };
        if let Some(url) = &opts.base_url {
            config.base_url = normalize_base_url(url).map_err(Error::Usage)?;
        }
        let output = match &opts.output {
            Some(o) if o.is_absolute() => o.clone(),
            Some(o) => std::env::current_dir()
                .map_err(|e| Error::Usage(format!("cannot read the current folder: {e}")))?
                .join(o),
            None => root.join("public"),
        };
        Ok(Settings {
            content_dir: root.join("content"),
            templates_dir: root.join("templates"),
            static_dir: root.join("static"),
            output_dir: normalize_path(&output),
            root,
            config,
            drafts: opts.drafts,
            file_links: opts.file_links,
            minify: opts.minify,
            highlighter: crate::code::Highlighter::default(),
        })
    }

    /// Refuses an output folder a build could damage (see [`check_output_dir`]), given the
    /// user's home folder from `$HOME`.
    pub fn check_output_dir(&self) -> Result<(), String> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        check_output_dir(
            &self.output_dir,
            &self.root,
            &self.source_dirs(),
            home.as_deref(),
        )
    }

    /// The source folders the output must never overlap.
    pub fn source_dirs(&self) -> [&Path; 3] {
        [&self.content_dir, &self.templates_dir, &self.static_dir]
    }
}

/// Removes `.` and resolves `..` lexically, and resolves symlinks in the longest existing prefix.
pub fn normalize_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    // Resolve symlinks of the part that exists, so `out` is compared with canonical paths.
    let mut existing = out.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => {
                tail.push(name.to_os_string());
                existing.pop();
            }
            None => break,
        }
    }
    let mut resolved = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in tail.iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuses output folders that a build could damage: the project root or an ancestor of it,
/// `/`, the home folder, a source folder (or inside one), or a non-empty folder without the marker.
pub fn check_output_dir(
    output: &Path,
    root: &Path,
    sources: &[&Path],
    home: Option<&Path>,
) -> Result<(), String> {
    let why = |what: &str| {
        Err(format!(
            "refusing to write the site into {}: {what}. Choose a new folder such as `public/`.",
            output.display()
        ))
    };
    if output.parent().is_none() {
        return why("it is the file-system root");
    }
    if home.is_some_and(|h| h == output || normalize_path(h) == normalize_path(output)) {
        return why("it is your home folder");
    }
    if root.starts_with(output) {
        return why("it is the project folder or contains it, and its contents would be replaced");
    }
    for s in sources {
        if output.starts_with(s) || s.starts_with(output) {
            return why(&format!("it overlaps the source folder {}", s.display()));
        }
    }
    if output.is_file() {
        return why("it is a file");
    }
    if output.is_dir() {
        let mut entries = std::fs::read_dir(output)
            .map_err(|e| format!("cannot read {}: {e}", output.display()))?;
        let non_empty = entries.next().is_some();
        if non_empty && !output.join(OUTPUT_MARKER).is_file() {
            return why(&format!(
                "it is not empty and was not created by explainer (no {OUTPUT_MARKER} marker inside)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_for_every_key() {
        let c = SiteConfig::parse("site.yaml", "").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert!(c.feed);
        assert_eq!(c.taxonomies, vec![TaxonomyConfig::named("tags")]);
        assert_eq!(c.paginate_by, DEFAULT_PAGINATE_BY);
    }

    #[test]
    fn taxonomies_are_names_or_mappings_with_a_feed() {
        let parse = |t: &str| SiteConfig::parse("site.yaml", t);
        let names = |c: &SiteConfig| -> Vec<(String, bool)> {
            c.taxonomies
                .iter()
                .map(|t| (t.name.clone(), t.feed))
                .collect()
        };
        let c = parse("taxonomies: [{name: tags}, {name: categories, feed: true}]\n").unwrap();
        assert_eq!(
            names(&c),
            [("tags".into(), false), ("categories".into(), true)]
        );
        let c = parse("taxonomies: [tags, categories]\n").unwrap();
        assert_eq!(
            names(&c),
            [("tags".into(), false), ("categories".into(), false)]
        );
        assert!(parse("taxonomies: []\n").unwrap().taxonomies.is_empty());
        let err = |yaml: &str| parse(yaml).unwrap_err()[0].message.clone();
        assert!(err("taxonomies: [{name: categories, feeds: true}]\n").contains("`feeds`"));
        assert!(err("taxonomies: [tags, tags]\n").contains("listed twice"));
        assert!(err("taxonomies: [Big Ideas]\n").contains("not a slug"));
        assert!(err("taxonomies: [title]\n").contains("taken"));
        assert!(err("taxonomies: [timeline]\n").contains("taken"));
        assert!(err("taxonomies: [{feed: true}]\n").contains("needs a `name`"));
        assert!(err("taxonomies: [{name: x, feed: 1}]\n").contains("`true` or `false`"));
        assert!(err("taxonomies: tags\n").contains("list"));
    }

    #[test]
    fn paginate_by_is_a_whole_number() {
        let parse = |t: &str| SiteConfig::parse("site.yaml", t);
        assert_eq!(parse("paginate_by: 0\n").unwrap().paginate_by, 0);
        assert_eq!(parse("paginate_by: 20\n").unwrap().paginate_by, 20);
        let err = parse("title: x\npaginate_by: -3\n").unwrap_err();
        assert_eq!(err[0].line, 2, "{:?}", err[0]);
        assert!(parse("paginate_by: many\n").is_err());
    }

    #[test]
    fn unknown_site_key_is_an_error_with_suggestion() {
        let err = SiteConfig::parse("site.yaml", "titel: x\n").unwrap_err();
        assert_eq!(err[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_links_policy() {
        let parse = |t: &str| SiteConfig::parse("site.yaml", t);
        assert_eq!(parse("").unwrap().missing_links, MissingLinks::Error);
        let warn = parse("links: {missing: warn}\n").unwrap();
        assert_eq!(warn.missing_links, MissingLinks::Warn);
        let err = parse("title: x\nlinks:\n  missing: ignore\n").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (2, 1));
        assert!(err[0].message.contains("`ignore`"), "{}", err[0].message);
        assert!(parse("links: {mising: warn}\n").is_err());
        assert!(parse("links: warn\n").is_err());
    }

    #[test]
    fn search_is_on_off_or_a_map_of_blocks_to_skip() {
        let parse = |t: &str| SiteConfig::parse("site.yaml", t);
        assert!(!parse("search: false\n").unwrap().search);
        let c = parse("search: {skip: [\"Source:\", \"See also\"]}\n").unwrap();
        assert!(c.search);
        assert_eq!(c.search_skip, ["Source:", "See also"]);
        let err = parse("title: x\nsearch: {skipp: [a]}\n").unwrap_err();
        assert_eq!(err[0].line, 2);
        assert!(
            err[0].message.contains("{skip: [texts]}"),
            "{}",
            err[0].message
        );
        assert!(parse("search: {skip: 3}\n").is_err());
        assert!(parse("search: yes please\n").is_err());
    }

    #[test]
    fn cards_settings() {
        let parse = |t: &str| SiteConfig::parse("site.yaml", t);
        let on = |t: &str, notes| parse(t).unwrap().cards.on_for(notes);
        assert!(on("", 10) && !on("", CARDS_AUTO_LIMIT + 1));
        assert!(on("cards: true\n", 100_000) && !on("cards: false\n", 1));
        assert!(on("cards: {enabled: true}\n", 100_000));
        assert!(!on("cards: {enabled: false}\n", 1));
        assert!(on("cards: {enabled: auto}\n", 1));
        let c = parse("cards:\n  tagline: As reported on {date}\n").unwrap();
        assert_eq!(c.cards.tagline.as_deref(), Some("As reported on {date}"));
        assert_eq!(c.cards.enabled, CardsEnabled::Auto);
        let err = parse("title: x\ncards: {enabled: sometimes}\n").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (2, 1));
        assert!(err[0].message.contains("`sometimes`"), "{}", err[0].message);
        assert!(
            parse("cards: {taglne: x}\n").unwrap_err()[0]
                .message
                .contains("taglne")
        );
        assert!(parse("cards: [x]\n").is_err());
        assert!(parse("cards: {tagline: [a]}\n").is_err());
    }

    #[test]
    fn base_path_of_base_url() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("https://example.org/explainer"), "/explainer/");
    }

    #[test]
    fn base_url_gets_trailing_slash_and_must_be_absolute() {
        assert_eq!(
            normalize_base_url("https://a.org/x").unwrap(),
            "https://a.org/x/"
        );
        assert!(normalize_base_url("/x/").is_err());
    }

    #[test]
    fn guard_refuses_dangerous_outputs() {
        let root = Path::new("/srv/site");
        let content = Path::new("/srv/site/content");
        let srcs = [content];
        let home = Some(Path::new("/home/me"));
        assert!(check_output_dir(Path::new("/"), root, &srcs, home).is_err());
        assert!(check_output_dir(Path::new("/home/me"), root, &srcs, home).is_err());
        assert!(check_output_dir(root, root, &srcs, home).is_err());
        assert!(check_output_dir(Path::new("/srv"), root, &srcs, home).is_err());
        assert!(check_output_dir(content, root, &srcs, home).is_err());
        assert!(check_output_dir(Path::new("/srv/site/content/out"), root, &srcs, home).is_err());
        assert!(
            check_output_dir(
                Path::new("/srv/site/public-does-not-exist"),
                root,
                &srcs,
                home
            )
            .is_ok()
        );
    }
}
