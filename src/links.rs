//! Link resolution: finding the note (or file) a link names, and writing relative URLs to it.

use crate::content::{Content, Note, NoteKind, slugify};
use crate::diagnostics::did_you_mean;
use crate::markdown::{LinkProblem, LinkSyntax, Resolved, Resolver, heading_id, is_external};
use crate::outline::Outline;
use std::borrow::Cow;
use std::collections::HashMap;

/// Lookup tables over all notes and assets, built once per build.
pub struct LinkIndex {
    by_path: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    assets: HashMap<String, String>,
    asset_names: HashMap<String, Vec<String>>,
    file_links: bool,
}

/// The relative prefix from a page at `url` to the site root: `./`, `../`, `../../`…
pub fn root_prefix(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

/// The form a note's URL takes in links: `topics/xi-visit/`, or `topics/xi-visit/index.html`
/// with `--file-links`.
pub fn link_path(url: &str, file_links: bool) -> String {
    let mut out = String::with_capacity(url.len() + 10);
    push_link_path(&mut out, url, file_links);
    out
}

/// Appends `link_path(url, file_links)` to `out`.
pub fn push_link_path(out: &mut String, url: &str, file_links: bool) {
    out.push_str(url);
    if file_links {
        out.push_str("index.html");
    }
}

/// Normalises a wikilink name: lowercase, spaces and underscores as `-`, no `.md`.
pub fn name_key(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_suffix(".md").unwrap_or(n);
    n.to_lowercase().replace([' ', '_'], "-")
}

impl LinkIndex {
    /// Indexes notes by path, file name, folder name (sections) and aliases; assets by path and name.
    pub fn new(content: &Content, file_links: bool) -> Self {
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in content.notes.iter().enumerate() {
            by_path.insert(n.rel_path.to_lowercase(), i);
            let mut names = vec![];
            match n.kind {
                NoteKind::Page => names.push(name_key(n.stem())),
                NoteKind::Section => {
                    names.push(name_key(n.source_dir().rsplit('/').next().unwrap_or("")))
                }
                NoteKind::Home => {}
            }
            names.extend(n.front.aliases.iter().map(|a| name_key(a)));
            names.sort();
            names.dedup();
            for k in names {
                by_name.entry(k).or_default().push(i);
            }
        }
        let mut assets = HashMap::new();
        let mut asset_names: HashMap<String, Vec<String>> = HashMap::new();
        for a in &content.assets {
            assets.insert(a.rel.to_lowercase(), a.rel.clone());
            let file = a.rel.rsplit('/').next().unwrap_or(&a.rel).to_lowercase();
            asset_names.entry(file).or_default().push(a.rel.clone());
        }
        LinkIndex {
            by_path,
            by_name,
            assets,
            asset_names,
            file_links,
        }
    }

    /// A resolver for links written in note `from` (of `notes`, the notes this index was built
    /// from, whose outlines are `outlines`).
    pub fn resolver<'a>(
        &'a self,
        notes: &'a [Note],
        outlines: &'a [Outline],
        from: usize,
    ) -> NoteResolver<'a> {
        NoteResolver {
            index: self,
            notes,
            outlines,
            from,
            root: root_prefix(&notes[from].url),
        }
    }

    /// The note at a path from `content/` (`topics/xi-visit.md`), if there is one.
    pub fn note_at(&self, rel_path: &str) -> Option<usize> {
        self.by_path.get(&rel_path.to_lowercase()).copied()
    }

    fn closest_path(&self, notes: &[Note], wanted: &str) -> Option<String> {
        let wanted_name = name_key(wanted.rsplit('/').next().unwrap_or(wanted));
        let by_name = did_you_mean(&wanted_name, self.by_name.keys().map(String::as_str))
            .and_then(|k| self.by_name.get(k))
            .and_then(|v| v.first())
            .map(|&i| notes[i].rel_path.clone());
        by_name.or_else(|| {
            did_you_mean(wanted, notes.iter().map(|n| n.rel_path.as_str())).map(str::to_string)
        })
    }
}

/// Resolves links for one note.
pub struct NoteResolver<'a> {
    index: &'a LinkIndex,
    notes: &'a [Note],
    /// Every note's outline (same indices as `notes`), to resolve fragments.
    outlines: &'a [Outline],
    from: usize,
    root: String,
}

impl NoteResolver<'_> {
    fn to_note(&self, target: usize, fragment: Option<String>, with_title: bool) -> Resolved {
        let n = &self.notes[target];
        let mut href = String::with_capacity(self.root.len() + n.url.len() + 16);
        if target != self.from || fragment.is_none() {
            href.push_str(&self.root);
            push_link_path(&mut href, &n.url, self.index.file_links);
        }
        if let Some(f) = &fragment {
            href.push('#');
            href.push_str(f);
        }
        Resolved {
            href,
            note: Some(target),
            fragment,
            title: with_title.then(|| n.title.clone()),
        }
    }

    fn to_asset(&self, rel: &str) -> Resolved {
        Resolved {
            href: format!("{}{}", self.root, rel),
            note: None,
            fragment: None,
            title: None,
        }
    }

    fn missing(&self, what: String, wanted: &str) -> LinkProblem {
        LinkProblem {
            message: what,
            help: Some(self.index.closest_path(self.notes, wanted).map_or_else(
                || {
                    "link to a note by its path from this file, e.g. [its title](other-note.md)"
                        .to_string()
                },
                |p| format!("the closest existing note is `{p}`"),
            )),
        }
    }

    fn resolve_path(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let (path, fragment) = split_fragment(dest);
        let path: Cow<str> = if path.contains('%') {
            percent_decode(path).into()
        } else {
            path.into()
        };
        if path.is_empty() {
            return Ok(Some(self.to_note(self.from, fragment, false)));
        }
        // From the content root for `/path`, else from this note's folder.
        let base = if path.starts_with('/') {
            ""
        } else {
            self.notes[self.from].source_dir()
        };
        let Some(mut lower) = normalize_in(base, &path) else {
            return Err(LinkProblem {
                message: format!("link `{path}` points outside content/"),
                help: Some("link only to notes and files inside content/".into()),
            });
        };
        if lower.is_ascii() {
            lower.make_ascii_lowercase();
        } else {
            lower = lower.to_lowercase();
        }
        // The path as written, for messages.
        let norm = || normalize_in(base, &path).unwrap_or_default();
        if lower.ends_with(".md") {
            return match self.index.by_path.get(&lower) {
                Some(&i) => Ok(Some(self.to_note(i, fragment, false))),
                None => {
                    let norm = norm();
                    Err(self.missing(format!("link to a missing note `{norm}`"), &norm))
                }
            };
        }
        if let Some(rel) = self.index.assets.get(&lower) {
            return Ok(Some(self.to_asset(rel)));
        }
        // A folder (`people/`) or a page URL (`/topics/xi-visit/`).
        let dir = lower.trim_end_matches('/');
        let index = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if let Some(&i) = self.index.by_path.get(&index) {
            return Ok(Some(self.to_note(i, fragment, false)));
        }
        let url = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        if let Some(i) = self.notes.iter().position(|n| n.url == url) {
            return Ok(Some(self.to_note(i, fragment, false)));
        }
        let norm = norm();
        Err(self.missing(format!("link to a missing note or file `{norm}`"), &norm))
    }

    fn resolve_wiki(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let (name, heading) = split_fragment(dest);
        let heading = heading.filter(|h| !h.trim().is_empty());
        let fragment = heading.as_deref().map(heading_id);
        let name = name.trim();
        if name.is_empty() {
            // `[[#Heading]]` reads as the heading, as in Obsidian.
            let mut r = self.to_note(self.from, fragment, true);
            r.title = heading.map(|h| h.trim().to_string()).or(r.title);
            return Ok(Some(r));
        }
        if name.contains('/') {
            let path = format!(
                "{}.md",
                name.trim_start_matches('/').trim_end_matches(".md")
            );
            return match self.index.by_path.get(&path.to_lowercase()) {
                Some(&i) => Ok(Some(self.to_note(i, fragment, true))),
                None => Err(self.missing(format!("wikilink to a missing note `{name}`"), name)),
            };
        }
        match self.index.by_name.get(&name_key(name)).map(Vec::as_slice) {
            Some([i]) => {
                let mut r = self.to_note(*i, fragment, true);
                // Linked by one of its aliases: show the alias as written.
                let n = &self.notes[*i];
                if n.front
                    .aliases
                    .iter()
                    .any(|a| name_key(a) == name_key(name))
                {
                    r.title = Some(name.to_string());
                }
                Ok(Some(r))
            }
            Some(many) => Err(LinkProblem {
                message: format!("wikilink `{name}` matches {} notes", many.len()),
                help: Some(format!(
                    "write the path to choose one: {}",
                    many.iter()
                        .map(|&i| format!("[[{}]]", self.notes[i].rel_path.trim_end_matches(".md")))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }),
            None => Err(self.missing(format!("wikilink to a missing note `{name}`"), name)),
        }
    }

    fn resolve_wiki_image(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let name = dest.trim().to_lowercase();
        if let Some(rel) = self.index.assets.get(name.trim_start_matches('/')) {
            return Ok(Some(self.to_asset(rel)));
        }
        match self.index.asset_names.get(&name).map(Vec::as_slice) {
            Some([rel]) => Ok(Some(self.to_asset(rel))),
            Some(many) => Err(LinkProblem {
                message: format!("image `{dest}` matches {} files", many.len()),
                help: Some(format!("write its path: {}", many.join(", "))),
            }),
            None => Err(LinkProblem {
                message: format!("image `{dest}` is not a file in content/"),
                help: None,
            }),
        }
    }
}

impl Resolver for NoteResolver<'_> {
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let dest = dest.trim();
        if is_external(dest) {
            return Ok(None);
        }
        match syntax {
            LinkSyntax::Markdown | LinkSyntax::Image => self.resolve_path(dest),
            // `[[note\|label]]` inside a table: the escaped pipe leaves a `\` on the target.
            LinkSyntax::Wiki => self.resolve_wiki(dest.trim_end_matches('\\')),
            LinkSyntax::WikiImage => self.resolve_wiki_image(dest),
        }
    }
}

fn split_fragment(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (dest, None),
    }
}

/// Resolves `.` and `..` in a `/`-separated path; `None` if it climbs above the start.
pub fn normalize(path: &str) -> Option<String> {
    normalize_in("", path)
}

/// `path` taken from folder `base` (both `/`-separated), with `.` and `..` resolved; `None` if
/// it climbs above the root. A trailing `/` on `path` is kept.
pub fn normalize_in(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::with_capacity(8);
    for seg in base.split('/').chain(path.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = String::with_capacity(base.len() + path.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL an alias redirects from: a path with `/` is taken from the site root,
/// a plain name sits beside the note (`topics/xi-visit/` + `Xi trip` → `topics/xi-trip/`).
pub fn alias_url(note: &Note, alias: &str) -> String {
    let segments: Vec<String> = if alias.contains('/') {
        alias
            .split('/')
            .map(slugify)
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        let parent = note
            .url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(p, _)| p);
        parent
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .chain(std::iter::once(slugify(alias)))
            .filter(|s| !s.is_empty())
            .collect()
    };
    segments.iter().map(|s| format!("{s}/")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_by_depth() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("a/"), "../");
        assert_eq!(root_prefix("a/b/"), "../../");
    }

    #[test]
    fn normalize_refuses_escape() {
        assert_eq!(normalize("a/../b.md").as_deref(), Some("b.md"));
        assert_eq!(normalize("../x.md"), None);
        assert_eq!(normalize("a/./b/").as_deref(), Some("a/b/"));
        assert_eq!(normalize_in("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize_in("a", "../../c.md"), None);
        assert_eq!(normalize_in("a", "./d/").as_deref(), Some("a/d/"));
    }

    #[test]
    fn names_match_loosely() {
        assert_eq!(
            name_key("Trilateral summit"),
            name_key("trilateral-summit.md")
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%é%2"), "%é%2");
    }
}
