//! The content model: notes (home, sections, pages) loaded from `content/`, with their URLs and sections.

pub mod date;
pub mod events;
pub mod front_matter;
mod id;
pub mod load;

pub use id::NoteId;

use crate::diagnostics::{Diagnostic, Severity};
use crate::yaml::YamlDoc;
use front_matter::FrontMatter;
use load::Found;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// What kind of page a note becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// `content/_index.md`: the home page.
    Home,
    /// `content/<dir>/_index.md`: a section with a list page.
    Section,
    /// Any other `.md` file.
    Page,
}

impl NoteKind {
    /// The name templates see: `home`, `section` or `page`.
    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Home => "home",
            NoteKind::Section => "section",
            NoteKind::Page => "page",
        }
    }
}

/// A note read from disk, its front matter parsed and its URL known.
#[derive(Debug, Clone)]
pub struct Note {
    /// Home, section or page.
    pub kind: NoteKind,
    /// Path relative to `content/`, `/`-separated (`topics/xi-visit.md`).
    pub rel_path: String,
    /// Path shown in messages (`content/topics/xi-visit.md`).
    pub display_path: String,
    /// The whole file, normalised to LF.
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// Set while `text` is taken away (see `take_source`).
    pub source_taken: bool,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// Title (front matter, else the file or folder name).
    pub title: String,
    /// Root-relative URL path: `""` for home, `topics/xi-visit/` for a page.
    pub url: String,
    /// The section (or home) this note belongs to; `None` for home.
    pub parent: Option<NoteId>,
}

impl Note {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    /// Takes the file's text out of the note (a one-shot build frees it once the note is
    /// rendered); `has_source` is false until `restore_source`.
    pub fn take_source(&mut self) -> String {
        self.source_taken = true;
        std::mem::take(&mut self.text)
    }

    /// Puts back the text `take_source` took.
    pub fn restore_source(&mut self, text: String) {
        self.text = text;
        self.source_taken = false;
    }

    /// False once the source was taken away: `body()` is then empty, not the note's body.
    pub fn has_source(&self) -> bool {
        !self.source_taken
    }

    /// The folder of the source file, relative to `content/` (`topics` or ``).
    pub fn source_dir(&self) -> &str {
        self.rel_path.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// File name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// The template that renders this note: its `template`, else the one for its kind.
    pub fn template(&self) -> &str {
        self.front.template.as_deref().unwrap_or(match self.kind {
            NoteKind::Home => "index.html",
            NoteKind::Section => "section.html",
            NoteKind::Page => "page.html",
        })
    }

    /// A diagnostic pointing at a front-matter key of this note.
    pub fn key_error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        match self.yaml_doc() {
            Some(doc) => doc.value_error(key, message),
            None => Diagnostic::file_error(&self.display_path, message),
        }
    }

    /// A diagnostic pointing at `field` of event `index` (from 0) in this note's front matter.
    pub fn event_error(&self, index: usize, field: &str, message: impl Into<String>) -> Diagnostic {
        match self.yaml_doc() {
            Some(doc) => doc.item_error("events", index, Some(field), message),
            None => Diagnostic::file_error(&self.display_path, message),
        }
    }

    fn yaml_doc(&self) -> Option<YamlDoc<'_>> {
        let split = front_matter::split(&self.display_path, &self.text).ok()?;
        let (start, len) = split.yaml?;
        Some(YamlDoc {
            path: &self.display_path,
            text: &self.text,
            start,
            len,
        })
    }
}

/// A file copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute source path.
    pub abs: std::path::PathBuf,
    /// Path relative to `content/` and to the output root.
    pub rel: String,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Notes in path order, each at its `NoteId`; the first (`NoteId::HOME`) is always the home
    /// page.
    pub notes: Vec<Note>,
    /// Non-Markdown files.
    pub assets: Vec<Asset>,
    /// Notes left out of this build, in path order: links to them are explained, not just broken.
    pub hidden: Vec<Hidden>,
}

impl Content {
    /// The left-out note a broken link was meant for, if one fits: `link` is the link as
    /// written (`[x](../drafts/plan.md)`, `[[Plan|the plan]]`) in note `from`. Matched by path
    /// ending or alias, ignoring case: only to explain an error, never to resolve a link.
    pub fn hidden_target(&self, from: &Note, link: &str) -> Option<&Hidden> {
        if self.hidden.is_empty() {
            return None;
        }
        // Compared as wikilink names are: ignoring case, with spaces and `_` as `-`.
        let name = |s: &str| {
            s.to_lowercase()
                .replace("%20", "-")
                .replace([' ', '_'], "-")
        };
        let dest = name(link_destination(link)?.split('#').next().unwrap_or(""));
        let joined = format!("{}/{dest}", from.source_dir());
        let wanted: Vec<&str> = [dest.as_str(), joined.as_str()]
            .into_iter()
            .map(|d| d.trim_start_matches(['.', '/']))
            .map(|d| d.strip_suffix(".md").unwrap_or(d))
            .filter(|d| !d.is_empty())
            .collect();
        self.hidden.iter().find(|h| {
            let path = name(&h.rel_path);
            let path = path.strip_suffix(".md").unwrap_or(&path);
            wanted.iter().any(|w| {
                path.strip_suffix(w)
                    .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
                    || h.aliases.iter().any(|a| name(a) == *w)
            })
        })
    }
}

/// The destination of a Markdown link or wikilink as written, without its label.
fn link_destination(link: &str) -> Option<&str> {
    let link = link.trim().trim_start_matches('!');
    if let Some(inner) = link.strip_prefix("[[") {
        let inner = inner.strip_suffix("]]").unwrap_or(inner);
        let name = inner.split('|').next()?;
        return Some(name.strip_suffix('\\').unwrap_or(name).trim());
    }
    let (_, rest) = link.rsplit_once("](")?;
    let dest = rest.strip_suffix(')').unwrap_or(rest).trim();
    let dest = match dest.strip_prefix('<') {
        Some(d) => d.split('>').next()?,
        None => dest.split(' ').next()?,
    };
    Some(dest)
}

/// A note left out of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// Path relative to `content/` (`topics/xi-visit.md`).
    pub rel_path: String,
    /// Path shown in messages (`content/topics/xi-visit.md`).
    pub display_path: String,
    /// Its aliases, which wikilinks may have used.
    pub aliases: Vec<String>,
    /// Why it is left out.
    pub why: HiddenWhy,
}

/// Why a note is left out of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenWhy {
    /// `draft: true`, and the build is not run with `--drafts`.
    Draft,
    /// `publish: false`: never built.
    Unpublished,
}

impl HiddenWhy {
    /// Why, as a reader of a message should hear it.
    pub fn explain(self) -> &'static str {
        match self {
            HiddenWhy::Draft => "is a draft (`draft: true`)",
            HiddenWhy::Unpublished => "is not published (`publish: false`)",
        }
    }

    /// What the writer can do about a link to such a note.
    pub fn help(self) -> &'static str {
        match self {
            HiddenWhy::Draft => {
                "drafts are built only with `--drafts`: publish the note or remove the link"
            }
            HiddenWhy::Unpublished => {
                "notes with `publish: false` are never built, `--drafts` or not: publish the note or remove the link"
            }
        }
    }
}

impl FrontMatter {
    /// Why a note with this front matter is left out of a build, if it is.
    pub fn hidden(&self, drafts: bool) -> Option<HiddenWhy> {
        if self.publish == Some(false) {
            Some(HiddenWhy::Unpublished)
        } else if self.draft && !drafts {
            Some(HiddenWhy::Draft)
        } else {
            None
        }
    }
}

/// Loads and parses every note in parallel. Errors and warnings are pushed to `diags`;
/// notes with errors are left out so later phases can still report their own problems.
pub fn load(
    content_dir: &Path,
    project_root: &Path,
    site_title: &str,
    rules: &front_matter::Rules<'_>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Content {
    let walked = crate::timings::phase("walk content", || {
        load::walk(content_dir, project_root, diags)
    });
    let parsed: Vec<(Option<Note>, Vec<Diagnostic>)> = walked
        .notes
        .par_iter()
        .map(|f| read(f, project_root, rules))
        .collect();
    let mut notes = Vec::with_capacity(parsed.len() + 1);
    let mut hidden = Vec::new();
    for (note, problems) in parsed {
        diags.extend(problems);
        let Some(n) = note else { continue };
        match n.front.hidden(drafts) {
            Some(why) => hidden.push(Hidden {
                rel_path: n.rel_path,
                display_path: n.display_path,
                aliases: n.front.aliases,
                why,
            }),
            None => notes.push(n),
        }
    }
    promote_root_page(&mut notes, diags);
    if !notes.iter().any(|n| n.kind == NoteKind::Home) {
        notes.push(Note {
            kind: NoteKind::Home,
            rel_path: "_index.md".into(),
            display_path: "content/_index.md".into(),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: FrontMatter::default(),
            title: site_title.to_string(),
            url: String::new(),
            parent: None,
        });
    }
    // Home first, then by path: a stable order every later phase relies on.
    notes.sort_by(|a, b| {
        (a.kind != NoteKind::Home, &a.rel_path).cmp(&(b.kind != NoteKind::Home, &b.rel_path))
    });
    if notes[0].front.title.is_none() {
        notes[0].title = site_title.to_string();
    }
    assign_parents(&mut notes);
    check_url_collisions(&mut notes, diags);
    let assets = walked
        .assets
        .into_iter()
        .map(|Found { abs, rel }| Asset { abs, rel })
        .collect();
    Content {
        notes,
        assets,
        hidden,
    }
}

/// URLs of pages the build makes itself, which a `permalink` cannot take.
pub const RESERVED_URLS: [&str; 2] = ["tags/", "timeline/"];

/// A page with `permalink: /` (Obsidian Publish's home page) becomes the home page when there
/// is no `content/_index.md`; otherwise, and for every later one, the permalink is ignored with
/// a warning and the page keeps its own URL.
fn promote_root_page(notes: &mut [Note], diags: &mut Vec<Diagnostic>) {
    let mut has_home = notes.iter().any(|n| n.kind == NoteKind::Home);
    let mut order: Vec<usize> = (0..notes.len())
        .filter(|&i| notes[i].kind == NoteKind::Page && notes[i].url.is_empty())
        .collect();
    order.sort_by(|&a, &b| notes[a].rel_path.cmp(&notes[b].rel_path));
    for i in order {
        let n = &mut notes[i];
        if has_home {
            diags.push(
                Diagnostic::file_error(
                    &n.display_path,
                    "`permalink: /` asks for the home page's URL, which another note has; this note keeps its own URL",
                )
                .with_help("remove `permalink: /` from one of them")
                .warning(),
            );
            n.url = own_url(NoteKind::Page, &dir_url(n.source_dir()), n.stem(), &n.front);
        } else {
            n.kind = NoteKind::Home;
            has_home = true;
        }
    }
}

/// The URL of a folder of `content/`: `People/Key figures` → `people/key-figures/`.
fn dir_url(dir: &str) -> String {
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{}/", slugify(s)))
        .collect()
}

/// The URL a note has without a `permalink`.
fn own_url(kind: NoteKind, dir_url: &str, stem: &str, front: &FrontMatter) -> String {
    match kind {
        NoteKind::Home => String::new(),
        NoteKind::Section => dir_url.to_string(),
        NoteKind::Page => {
            let last = front.slug.clone().unwrap_or_else(|| slugify(stem));
            format!("{dir_url}{last}/")
        }
    }
}

/// Reads and parses one note (`f.rel` relative to `content/`); any error is returned, with its
/// warnings, instead of the note.
pub fn read_note(
    f: &Found,
    project_root: &Path,
    rules: &front_matter::Rules<'_>,
) -> Result<Note, Vec<Diagnostic>> {
    match read(f, project_root, rules) {
        (Some(note), problems) if problems.iter().all(|d| d.severity != Severity::Error) => {
            Ok(note)
        }
        (_, problems) => Err(problems),
    }
}

/// Reads one note. A note whose front matter has errors is still returned (with default front
/// matter) next to its errors, so links to it do not also look broken.
fn read(
    f: &Found,
    project_root: &Path,
    rules: &front_matter::Rules<'_>,
) -> (Option<Note>, Vec<Diagnostic>) {
    let display_path = load::display(project_root, &f.abs);
    // A file that cannot be read or decoded is still a note (with what text could be read), so
    // links to it resolve and only its own problem is reported.
    let mut problems = Vec::new();
    let mut text = match std::fs::read(&f.abs) {
        Ok(bytes) => match load::decode_text(&display_path, bytes) {
            Ok(t) => t,
            Err(d) => {
                problems.push(d);
                let again = std::fs::read(&f.abs).unwrap_or_default();
                String::from_utf8_lossy(&again).replace("\r\n", "\n")
            }
        },
        Err(e) => {
            problems.push(Diagnostic::file_error(
                &display_path,
                format!("cannot read: {e}"),
            ));
            String::new()
        }
    };
    let split = front_matter::split(&display_path, &text).unwrap_or_else(|d| {
        problems.push(d);
        front_matter::Split {
            yaml: None,
            body_start: 0,
        }
    });
    // Obsidian comments go before anything reads the body: their text is never published.
    crate::obsidian::comments::strip(&mut text, split.body_start);
    let front = match split.yaml {
        Some((start, len)) => {
            let doc = YamlDoc {
                path: &display_path,
                text: &text,
                start,
                len,
            };
            let (front, d) =
                front_matter::parse_lenient(&doc, rules.allow_unknown, &rules.taxonomies);
            problems.extend(d);
            front.unwrap_or_default()
        }
        None => FrontMatter::default(),
    };
    let (dir, file) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let kind = match (stem, dir) {
        ("_index", "") => NoteKind::Home,
        ("_index", _) => NoteKind::Section,
        _ => NoteKind::Page,
    };
    let dir_url = dir_url(dir);
    let url = match (kind, &front.permalink) {
        (NoteKind::Home, Some(_)) => {
            problems.push(
                Diagnostic::file_error(
                    &display_path,
                    "the home page is always at the site root: it cannot have a `permalink`",
                )
                .with_help("remove `permalink:` from content/_index.md"),
            );
            String::new()
        }
        (_, Some(path)) if RESERVED_URLS.contains(&format!("{path}/").as_str()) => {
            problems.push(
                Diagnostic::file_error(
                    &display_path,
                    format!("`permalink: {path}` is the URL of a generated page; the note keeps its own URL"),
                )
                .with_help("choose another `permalink`, or remove it")
                .warning(),
            );
            own_url(kind, &dir_url, stem, &front)
        }
        (NoteKind::Section, Some(path)) if path.is_empty() => {
            problems.push(
                Diagnostic::file_error(
                    &display_path,
                    "`permalink: /` is the home page's URL; a section keeps its own URL",
                )
                .with_help("put the home page's text in content/_index.md")
                .warning(),
            );
            dir_url.clone()
        }
        // `permalink: /` on a page asks for the site root: `load` makes it the home page when
        // there is no `content/_index.md`.
        (_, Some(path)) if path.is_empty() => String::new(),
        (_, Some(path)) => format!("{path}/"),
        (NoteKind::Home, None) => String::new(),
        (NoteKind::Section, None) => dir_url,
        (NoteKind::Page, None) => {
            let last = front.slug.clone().unwrap_or_else(|| slugify(stem));
            if last.is_empty() {
                problems.push(
                    Diagnostic::file_error(
                        &display_path,
                        "the file name has no letters or digits to make a URL from",
                    )
                    .with_help("rename the file or set `slug:` in the front matter"),
                );
                return (None, problems);
            }
            format!("{dir_url}{last}/")
        }
    };
    let title = front.title.clone().unwrap_or_else(|| match kind {
        NoteKind::Page => stem.to_string(),
        _ => dir.rsplit('/').next().unwrap_or(dir).to_string(),
    });
    let note = Note {
        kind,
        rel_path: f.rel.clone(),
        display_path,
        body_start: split.body_start,
        source_taken: false,
        text,
        front,
        title,
        url,
        parent: None,
    };
    (Some(note), problems)
}

/// Each note's section: the nearest folder above it with an `_index.md`, else home.
fn assign_parents(notes: &mut [Note]) {
    let sections: HashMap<String, NoteId> = NoteId::enumerate(notes)
        .filter(|(_, n)| n.kind != NoteKind::Page)
        .map(|(i, n)| (n.source_dir().to_string(), i))
        .collect();
    for note in notes.iter_mut() {
        if note.kind == NoteKind::Home {
            continue;
        }
        let mut dir = note.source_dir().to_string();
        if note.kind == NoteKind::Section {
            dir = parent_dir(&dir);
        }
        loop {
            if let Some(&s) = sections.get(&dir) {
                note.parent = Some(s);
                break;
            }
            if dir.is_empty() {
                note.parent = Some(NoteId::HOME);
                break;
            }
            dir = parent_dir(&dir);
        }
    }
}

fn parent_dir(dir: &str) -> String {
    dir.rsplit_once('/')
        .map_or(String::new(), |(p, _)| p.to_string())
}

/// Two notes on one URL are an error naming both, unless both URLs come only from their file
/// names (`RedShift - OLED.md` and `RedShift: OLED.md` both make `redshift-oled/`, which
/// Obsidian never had to tell apart): then the later one gets `-2` (`-3`, …) and a warning.
fn check_url_collisions(notes: &mut [Note], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, NoteId> = HashMap::with_capacity(notes.len());
    for i in NoteId::all(notes.len()) {
        let Some(&first) = seen.get(&notes[i].url) else {
            seen.insert(notes[i].url.clone(), i);
            continue;
        };
        let n = &notes[i];
        let from_file_name = |n: &Note| {
            n.kind == NoteKind::Page
                && n.front.slug.is_none()
                && n.front.permalink.is_none()
                && !n.url.is_empty()
        };
        if from_file_name(n) && from_file_name(&notes[first]) {
            let base = n.url.trim_end_matches('/').to_string();
            let url = (2..)
                .map(|k| format!("{base}-{k}/"))
                .find(|u| !seen.contains_key(u))
                .unwrap_or_default();
            diags.push(
                Diagnostic::file_error(
                    &n.display_path,
                    format!(
                        "{} already has the URL `/{}`: this note is written to `/{url}`",
                        notes[first].display_path, n.url
                    ),
                )
                .with_help("rename one of the files or give one a `slug` to choose its URL")
                .warning(),
            );
            notes[i].url = url.clone();
            seen.insert(url, i);
            continue;
        }
        diags.push(
            Diagnostic::file_error(
                &n.display_path,
                format!(
                    "two notes would be written to the same URL `/{}`: {} and {}",
                    n.url, notes[first].display_path, n.display_path
                ),
            )
            .with_help("rename one of the files or give one a different `slug` or `permalink`"),
        );
    }
}

/// Turns a name into a URL segment: lowercase, spaces and underscores to `-`,
/// letters and digits kept (any script), other punctuation dropped.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '-' || c == '_' || c == '.') && !out.ends_with('-') {
            out.push('-');
        } else if !c.is_ascii() && c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    if out.starts_with('-') || out.ends_with('-') {
        out.trim_matches('-').to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_destinations_as_written() {
        for (link, dest) in [
            ("[plan](../drafts/plan.md#why)", "../drafts/plan.md#why"),
            ("[plan](<my plan.md> \"t\")", "my plan.md"),
            ("![a](img.png \"t\")", "img.png"),
            ("[[Plan|the plan]]", "Plan"),
            ("[[Plan\\|the plan]]", "Plan"),
            ("![[Plan#Why]]", "Plan#Why"),
        ] {
            assert_eq!(link_destination(link), Some(dest), "{link}");
        }
    }

    #[test]
    fn slugify_keeps_letters_of_any_script() {
        assert_eq!(slugify("Trilateral summit"), "trilateral-summit");
        assert_eq!(slugify("Báo Quốc Tế"), "báo-quốc-tế");
        assert_eq!(slugify("  a__b  "), "a-b");
        assert_eq!(slugify("??"), "");
        assert_eq!(slugify("_Xi's visit._"), "xis-visit");
        assert_eq!(slugify("ÉTÉ 2023"), "été-2023");
    }

    proptest::proptest! {
        #[test]
        fn slugify_matches_the_char_rule(s in "[ -~]{0,30}|[a-zA-Z0-9 _.\\-éÉ中]{0,30}") {
            let mut expected = String::new();
            for c in s.trim().chars() {
                if c.is_alphanumeric() {
                    expected.extend(c.to_lowercase());
                } else if (c == ' ' || c == '-' || c == '_' || c == '.') && !expected.ends_with('-') {
                    expected.push('-');
                }
            }
            proptest::prop_assert_eq!(slugify(&s), expected.trim_matches('-'));
        }
    }
}
