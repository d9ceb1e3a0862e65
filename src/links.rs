//! Link resolution: finding the note (or file) a link names, and writing relative URLs to it.

use crate::content::{Content, Note, NoteId, NoteKind, slugify};
use crate::diagnostics::did_you_mean;
use crate::embeds::{self, Budget};
use crate::images::Images;
use crate::markdown::{
    Embed, LinkProblem, LinkSyntax, Missing, Resolved, Resolver, heading_id, is_external,
};
use crate::outline::Outline;
use std::borrow::Cow;
use std::collections::HashMap;

/// Lookup tables over all notes and assets, built once per build.
///
/// Where several notes share a name, the candidates are kept best first (fewest folders, then
/// path order), so resolving a name costs one hash lookup and, rarely, a look for one in the
/// linking note's own folder.
pub struct LinkIndex {
    by_path: HashMap<String, NoteId>,
    by_url: HashMap<String, NoteId>,
    by_name: HashMap<String, Vec<NoteId>>,
    by_alias: HashMap<String, Vec<NoteId>>,
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

/// Normalises a wikilink name: lowercase, spaces and underscores as `-`, no `.md`. A
/// non-breaking space counts as a space: it looks like one in the editor (a real vault's
/// `[[C\u{a0}Memory Address]]` means `C Memory Address.md`), as Quartz's slugs treat it.
pub fn name_key(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_suffix(".md").unwrap_or(n);
    n.to_lowercase()
        .replace([' ', '_', '\u{a0}', '\u{202f}', '\u{2007}'], "-")
}

/// The folder part of a `/`-separated path (`""` at the top).
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The file part of a `/`-separated path.
fn file_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// True if the last segment of `name` has an extension other than `.md` (`map.png`, `a.pdf`).
fn has_file_extension(name: &str) -> bool {
    let file = file_of(name.trim());
    match file.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && !ext.eq_ignore_ascii_case("md")
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// The candidate `in_folder` (the linking note's) if there is one, else the first (the list
/// is best first).
fn choose<T>(cands: &[T], in_folder: impl Fn(&T) -> bool) -> Option<&T> {
    if cands.len() > 1
        && let Some(c) = cands.iter().find(|c| in_folder(c))
    {
        return Some(c);
    }
    cands.first()
}

impl LinkIndex {
    /// Indexes notes by path, URL, file name, folder name (sections) and aliases; assets by path
    /// and file name.
    pub fn new(content: &Content, file_links: bool) -> Self {
        let notes = &content.notes;
        let mut by_path = HashMap::with_capacity(notes.len());
        let mut by_url = HashMap::with_capacity(notes.len());
        let mut by_name: HashMap<String, Vec<NoteId>> = HashMap::with_capacity(notes.len());
        let mut by_alias: HashMap<String, Vec<NoteId>> = HashMap::new();
        for (i, n) in NoteId::enumerate(notes) {
            by_path.insert(n.rel_path.to_lowercase(), i);
            by_url.insert(n.url.clone(), i);
            let name = match n.kind {
                NoteKind::Page => Some(name_key(n.stem())),
                NoteKind::Section => Some(name_key(file_of(n.source_dir()))),
                // A page made the home page by `permalink: /` keeps its name.
                NoteKind::Home if n.rel_path != "_index.md" => Some(name_key(n.stem())),
                NoteKind::Home => None,
            };
            let mut aliases: Vec<String> = n.front.aliases.iter().map(|a| name_key(a)).collect();
            aliases.sort();
            aliases.dedup();
            for k in aliases {
                if Some(&k) != name.as_ref() {
                    by_alias.entry(k).or_default().push(i);
                }
            }
            if let Some(k) = name {
                by_name.entry(k).or_default().push(i);
            }
        }
        // Best first: fewest folders, then path order (notes are in path order).
        let depth = |i: &NoteId| notes[*i].rel_path.matches('/').count();
        for v in by_name.values_mut().chain(by_alias.values_mut()) {
            if v.len() > 1 {
                v.sort_by_key(|i| (depth(i), *i));
            }
        }
        let mut assets = HashMap::with_capacity(content.assets.len());
        let mut asset_names: HashMap<String, Vec<String>> = HashMap::new();
        for a in &content.assets {
            assets.insert(a.rel.to_lowercase(), a.rel.clone());
            asset_names
                .entry(file_of(&a.rel).to_lowercase())
                .or_default()
                .push(a.rel.clone());
        }
        for v in asset_names.values_mut() {
            if v.len() > 1 {
                v.sort_by(|a, b| (a.matches('/').count(), a).cmp(&(b.matches('/').count(), b)));
            }
        }
        LinkIndex {
            by_path,
            by_url,
            by_name,
            by_alias,
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
        from: NoteId,
    ) -> NoteResolver<'a> {
        NoteResolver {
            index: self,
            notes,
            outlines,
            from,
            page: from,
            root: root_prefix(&notes[from].url),
            embedding: None,
            images: None,
            highlighter: None,
        }
    }

    /// The note at a path from `content/` (`topics/xi-visit.md`), if there is one.
    pub fn note_at(&self, rel_path: &str) -> Option<NoteId> {
        self.by_path.get(&rel_path.to_lowercase()).copied()
    }

    /// Names several notes share, each with its notes best first (the first is the one a link
    /// by that name reaches from a folder holding none of them), sorted by name.
    pub fn shared_names(&self) -> Vec<(&str, &[NoteId])> {
        let mut out: Vec<(&str, &[NoteId])> = self
            .by_name
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every note name (file names, section folders) with the note a link by it reaches first.
    pub fn note_names(&self) -> impl Iterator<Item = (&str, NoteId)> {
        self.by_name.iter().map(|(k, v)| (k.as_str(), v[0]))
    }

    /// Every file name of an asset with the asset a link by it reaches first.
    pub fn asset_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.asset_names
            .iter()
            .map(|(k, v)| (k.as_str(), v[0].as_str()))
    }

    /// The note a name reaches from folder `folder`: a file name, else an alias.
    fn by_name(&self, key: &str, folder: &str, notes: &[Note]) -> Option<(NoteId, bool)> {
        let pick = |v: &Vec<NoteId>| {
            choose(v, |i| notes[*i].source_dir().eq_ignore_ascii_case(folder)).copied()
        };
        if let Some(i) = self.by_name.get(key).and_then(pick) {
            return Some((i, false));
        }
        self.by_alias.get(key).and_then(pick).map(|i| (i, true))
    }

    /// The asset with file name `file` (any case) seen from `folder`.
    fn asset_by_name(&self, file: &str, folder: &str) -> Option<&str> {
        let v = self.asset_names.get(&file.to_lowercase())?;
        choose(v, |a| dir_of(a).eq_ignore_ascii_case(folder)).map(String::as_str)
    }
}

/// Resolves links for one note.
pub struct NoteResolver<'a> {
    index: &'a LinkIndex,
    notes: &'a [Note],
    /// Every note's outline (same indices as `notes`), to resolve fragments.
    outlines: &'a [Outline],
    /// The note the links are written in.
    from: NoteId,
    /// The page they land on: `from`, except inside text transcluded from another note.
    page: NoteId,
    /// The relative prefix from the page to the site root.
    root: String,
    /// What `![[note]]` embeds may show; without it, note embeds are reported as unsupported.
    embedding: Option<Embedding<'a>>,
    /// The content's images, measured for the `<img>` tags; without it, images are written
    /// without their sizes.
    images: Option<&'a Images>,
    /// Highlights fenced code, in this note and in the notes it transcludes.
    highlighter: Option<&'a crate::code::Highlighter>,
}

impl<'a> NoteResolver<'a> {
    /// Lets this resolver transclude notes: `bodies` are every note's Markdown body (same
    /// indices as the notes), `budget` what the page may still show.
    pub fn with_bodies(mut self, bodies: &'a [&'a str], budget: &'a Budget) -> Self {
        self.embedding = Some(Embedding {
            bodies,
            budget,
            chain: Vec::new(),
        });
        self
    }

    /// Lets this resolver tell the size (and smaller copies) of the images it resolves.
    pub fn with_images(mut self, images: &'a Images) -> Self {
        self.images = Some(images);
        self
    }

    /// Fenced code on this page is highlighted by `highlighter` (`None`: left plain).
    pub fn with_highlighter(mut self, highlighter: Option<&'a crate::code::Highlighter>) -> Self {
        self.highlighter = highlighter;
        self
    }

    /// A resolver for text transcluded from note `from` into this resolver's page, one level
    /// deeper in the chain of embeds.
    fn nested(&self, from: NoteId, anchor: String) -> Option<NoteResolver<'a>> {
        let e = self.embedding.as_ref()?;
        let mut chain = e.chain.clone();
        chain.push((from, anchor));
        Some(NoteResolver {
            index: self.index,
            notes: self.notes,
            outlines: self.outlines,
            from,
            page: self.page,
            root: self.root.clone(),
            embedding: Some(Embedding {
                bodies: e.bodies,
                budget: e.budget,
                chain,
            }),
            images: self.images,
            highlighter: self.highlighter,
        })
    }
}

/// What a resolver needs to transclude notes into its page.
struct Embedding<'a> {
    bodies: &'a [&'a str],
    budget: &'a Budget,
    /// The notes (and anchors: `""` for a whole note) being shown around this text, outermost
    /// first, the page itself excluded.
    chain: Vec<(NoteId, String)>,
}

impl NoteResolver<'_> {
    fn to_note(&self, target: NoteId, fragment: Option<String>, with_title: bool) -> Resolved {
        let n = &self.notes[target];
        let mut href = String::with_capacity(self.root.len() + n.url.len() + 16);
        if target != self.page || fragment.is_none() {
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
            image: None,
        }
    }

    fn to_asset(&self, rel: &str) -> Resolved {
        Resolved {
            href: format!("{}{}", self.root, rel),
            note: None,
            fragment: None,
            title: None,
            image: None,
        }
    }

    /// The folder of the linking note.
    fn folder(&self) -> &str {
        self.notes[self.from].source_dir()
    }

    /// A missing note (or file, when `wanted` has an extension); the closest one is suggested
    /// later, once per name, by the pipeline.
    fn missing(&self, what: String, wanted: &str) -> LinkProblem {
        let file = file_of(wanted.trim_end_matches('/'));
        LinkProblem {
            message: what,
            help: None,
            missing: Some(if has_file_extension(file) {
                Missing::File(file.to_lowercase())
            } else {
                Missing::Note(name_key(file))
            }),
            warning: false,
        }
    }

    /// The id a `#fragment` of a link to `target` names: a block (`^id`), a heading (by text,
    /// as Obsidian matches them, or by id) or another id of the note.
    fn fragment(
        &self,
        target: NoteId,
        fragment: Option<String>,
        ids_first: bool,
    ) -> Result<Option<String>, LinkProblem> {
        let Some(f) = fragment else { return Ok(None) };
        let f = f.trim();
        if f.is_empty() {
            return Ok(None);
        }
        let o = &self.outlines[target];
        if let Some(id) = f.strip_prefix('^') {
            return match o.block(id) {
                Some(b) => Ok(Some(b.anchor.clone())),
                None => Err(self.missing_fragment(target, f)),
            };
        }
        if ids_first && o.all_ids().any(|i| i == f) {
            return Ok(Some(f.to_string()));
        }
        if let Some(h) = o.heading(f) {
            return Ok(Some(h.id.clone()));
        }
        match o.all_ids().find(|i| *i == f) {
            Some(id) => Ok(Some(id.to_string())),
            None => Err(self.missing_fragment(target, f)),
        }
    }

    fn missing_fragment(&self, target: NoteId, f: &str) -> LinkProblem {
        let o = &self.outlines[target];
        let path = &self.notes[target].display_path;
        let ids: Vec<&str> = o.all_ids().collect();
        let wanted = match f.strip_prefix('^') {
            Some(b) => format!("{}{b}", crate::outline::BLOCK_PREFIX),
            None => heading_id(f),
        };
        let help = match did_you_mean(&wanted, ids.iter().copied()) {
            Some(s) => format!("did you mean `#{s}`?"),
            None if ids.is_empty() => format!("{path} has no headings"),
            None => format!("its ids are: {}", ids.join(", ")),
        };
        LinkProblem {
            message: format!("`#{f}` is not a heading, block or anchor in {path}"),
            help: Some(help),
            missing: Some(Missing::Fragment),
            warning: false,
        }
    }

    fn note_link(
        &self,
        target: NoteId,
        fragment: Option<String>,
        wiki: bool,
    ) -> Result<Option<Resolved>, LinkProblem> {
        let fragment = self.fragment(target, fragment, !wiki)?;
        Ok(Some(self.to_note(target, fragment, wiki)))
    }

    fn resolve_path(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let (path, fragment) = split_fragment(dest);
        let path: Cow<str> = if path.contains('%') {
            percent_decode(path).into()
        } else {
            path.into()
        };
        if path.is_empty() {
            return self.note_link(self.from, fragment, false);
        }
        // From the content root for `/path`, else from this note's folder.
        let from_root = path.starts_with('/');
        let base = if from_root { "" } else { self.folder() };
        let Some(mut lower) = normalize_in(base, &path) else {
            // A `../` too many: Obsidian still finds the note or file by its name, and so do
            // we; nothing outside content/ is ever read.
            let file = file_of(path.trim_end_matches('/'));
            if has_file_extension(file) {
                if let Some(rel) = self.index.asset_by_name(file, self.folder()) {
                    return Ok(Some(self.to_asset(rel)));
                }
            } else if let Some((i, _)) =
                self.index
                    .by_name(&name_key(file), self.folder(), self.notes)
            {
                return self.note_link(i, fragment, false);
            }
            return Err(LinkProblem {
                message: format!("link `{path}` points outside content/"),
                help: Some("link only to notes and files inside content/".into()),
                ..LinkProblem::default()
            });
        };
        if lower.is_ascii() {
            lower.make_ascii_lowercase();
        } else {
            lower = lower.to_lowercase();
        }
        // Then from the content root, as Obsidian writes vault paths.
        let at_root = || {
            (!from_root)
                .then(|| normalize_in("", &path))
                .flatten()
                .map(|p| p.to_lowercase())
        };
        let file = file_of(path.trim_end_matches('/'));
        // The path as written, for messages.
        let norm = || normalize_in(base, &path).unwrap_or_default();
        if lower.ends_with(".md") {
            let found = self
                .index
                .by_path
                .get(&lower)
                .or_else(|| at_root().and_then(|p| self.index.by_path.get(&p)))
                .copied()
                .or_else(|| {
                    self.index
                        .by_name(&name_key(file), self.folder(), self.notes)
                        .map(|(i, _)| i)
                });
            return match found {
                Some(i) => self.note_link(i, fragment, false),
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
            return self.note_link(i, fragment, false);
        }
        let url = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        if let Some(&i) = self.index.by_url.get(&url) {
            return self.note_link(i, fragment, false);
        }
        if let Some(rel) = at_root().and_then(|p| self.index.assets.get(&p)) {
            return Ok(Some(self.to_asset(rel)));
        }
        if has_file_extension(file) {
            if let Some(rel) = self.index.asset_by_name(file, self.folder()) {
                return Ok(Some(self.to_asset(rel)));
            }
        } else if !path.ends_with('/')
            && let Some((i, _)) = self
                .index
                .by_name(&name_key(file), self.folder(), self.notes)
        {
            // `[t](Some%20Note)`: a note by name, without `.md`.
            return self.note_link(i, fragment, false);
        }
        let norm = norm();
        Err(self.missing(format!("link to a missing note or file `{norm}`"), &norm))
    }

    /// The note a wikilink target names: its path from `content/` (with or without `.md`), else
    /// its name (in the linking note's folder, else the nearest the top, then the first in path
    /// order), a path's tail (`[[folder/note]]`), else an alias. The flag is true for an alias.
    fn find_note(&self, name: &str) -> Option<(NoteId, bool)> {
        // `[[./Sibling]]`, `[[../Other]]`: a path from the linking note's folder.
        if name.starts_with("./") || name.starts_with("../") {
            let rel = normalize_in(self.folder(), name)?.to_lowercase();
            let with_md = if rel.ends_with(".md") {
                rel
            } else {
                format!("{rel}.md")
            };
            return self.index.by_path.get(&with_md).map(|&i| (i, false));
        }
        let path = name.trim_start_matches('/').to_lowercase();
        let with_md = if path.ends_with(".md") {
            Cow::Borrowed(path.as_str())
        } else {
            Cow::Owned(format!("{path}.md"))
        };
        if let Some(&i) = self.index.by_path.get(with_md.as_ref()) {
            return Some((i, false));
        }
        let folder = self.folder();
        if path.contains('/') {
            // The tail of a longer path: `[[people/xi]]` finds `world/people/xi.md`.
            let key = name_key(&path);
            let tail = format!("/{key}");
            let cands: Vec<NoteId> = self
                .index
                .by_name
                .get(&name_key(file_of(&path)))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| name_key(&self.notes[i].rel_path).ends_with(&tail))
                .collect();
            let here = |i: &NoteId| self.notes[*i].source_dir().eq_ignore_ascii_case(folder);
            return choose(&cands, here).map(|&i| (i, false));
        }
        self.index.by_name(&name_key(name), folder, self.notes)
    }

    fn resolve_wiki(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let (name, fragment) = split_fragment(dest);
        let name = name.trim();
        if name.is_empty() {
            // `[[#Heading]]` reads as the heading, as in Obsidian.
            let heading = fragment
                .as_deref()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty());
            let mut r = self
                .note_link(self.from, fragment, true)?
                .expect("a note link");
            r.title = heading.or(r.title);
            return Ok(Some(r));
        }
        if let Some((i, alias)) = self.find_note(name) {
            let mut r = self.note_link(i, fragment, true)?.expect("a note link");
            if alias {
                // Linked by one of its aliases: show the alias as written.
                r.title = Some(name.to_string());
            }
            return Ok(Some(r));
        }
        // `[[report.pdf]]`, `[[map.png]]`: a file anywhere, by path or by name.
        if has_file_extension(name) {
            if let Some(rel) = self.asset(name) {
                return Ok(Some(self.to_asset(rel)));
            }
            return Err(self.missing(format!("wikilink to a missing file `{name}`"), name));
        }
        Err(self.missing(format!("wikilink to a missing note `{name}`"), name))
    }

    /// A file by its path from `content/`, else by its file name.
    fn asset(&self, name: &str) -> Option<&str> {
        let lower = name.trim().trim_start_matches('/').to_lowercase();
        if let Some(rel) = self.index.assets.get(&lower) {
            return Some(rel);
        }
        self.index.asset_by_name(file_of(&lower), self.folder())
    }

    /// What `![[dest]]` shows: a file by path or name (`#hook` a styling hook), else a note, or a
    /// heading's section or a block of one, rendered for this page.
    fn resolve_embed(&self, dest: &str) -> Result<Embed, LinkProblem> {
        let dest = dest.trim().trim_end_matches('\\').trim();
        let (file, hook) = embeds::split_hook(dest);
        let (file, pdf_fragment) = match file.split_once('#') {
            Some((f, frag)) if has_file_extension(f) => (f, Some(frag)),
            _ => (file, None),
        };
        if has_file_extension(file) {
            let Some(rel) = self.asset(file) else {
                return Err(self.missing(
                    format!("embedded file `{}` is not in content/", file.trim()),
                    file.trim(),
                ));
            };
            let mut href = self.to_asset(rel).href;
            if let Some(f) = pdf_fragment {
                href.push('#');
                href.push_str(f);
            }
            return Ok(Embed::File {
                href,
                file: rel.to_string(),
                hook: hook.map(str::to_string),
                image: self.image_facts(rel),
            });
        }
        let (name, fragment) = split_fragment(dest);
        let name = name.trim();
        let target = if name.is_empty() {
            self.from
        } else {
            match self.find_note(name) {
                Some((i, _)) => i,
                None => {
                    return Err(
                        self.missing(format!("embedded note `{name}` does not exist"), name)
                    );
                }
            }
        };
        let anchor = self.fragment(target, fragment, false)?;
        self.transclude(target, anchor.unwrap_or_default())
    }

    /// Renders note `target` (or its section or block with HTML id `anchor`; `""` for the whole
    /// note) for this page, within the page's bounds.
    fn transclude(&self, target: NoteId, anchor: String) -> Result<Embed, LinkProblem> {
        let Some(e) = &self.embedding else {
            return Err(LinkProblem {
                message: "notes cannot be embedded here".into(),
                ..LinkProblem::default()
            });
        };
        let showing = |n: NoteId, a: &str| {
            (n == self.page && a.is_empty()) || e.chain.iter().any(|(m, b)| *m == n && b == a)
        };
        if showing(target, &anchor) {
            let mut names: Vec<String> = std::iter::once(self.page)
                .chain(e.chain.iter().map(|(n, _)| *n))
                .chain(std::iter::once(target))
                .map(|n| self.notes[n].display_path.clone())
                .collect();
            names.dedup();
            return Err(LinkProblem {
                message: format!("embed cycle: {}", names.join(" → ")),
                help: Some("a note cannot show itself; remove one of these embeds".into()),
                ..LinkProblem::default()
            });
        }
        let body = e.bodies[target];
        let o = &self.outlines[target];
        let (range, part) = if anchor.is_empty() {
            (0..body.len(), None)
        } else if let Some(h) = o.headings.iter().find(|h| h.id == anchor) {
            (h.section.clone(), Some(h.text.as_str()))
        } else if let Some(b) = o.blocks.iter().find(|b| b.anchor == anchor) {
            (b.range.clone(), None)
        } else {
            (0..body.len(), None)
        };
        let cut_off = |why: String| {
            Ok(Embed::Note {
                html: embeds::cut_off_notice(&why),
                notes: Vec::new(),
                problems: vec![LinkProblem {
                    message: why,
                    help: Some("embed fewer notes, or link to them instead".into()),
                    warning: true,
                    ..LinkProblem::default()
                }],
            })
        };
        if e.chain.len() >= embeds::MAX_DEPTH {
            return cut_off(format!(
                "embeds nested more than {} deep are not shown",
                embeds::MAX_DEPTH
            ));
        }
        if !e.budget.take(range.len()) {
            return cut_off(format!(
                "this page reached its limit of {} embeds or {} MiB of embedded text; the rest is not shown",
                embeds::MAX_EMBEDS,
                embeds::MAX_BYTES >> 20
            ));
        }
        let Some(nested) = self.nested(target, anchor.clone()) else {
            return Err(LinkProblem::default());
        };
        let text = body.get(range).unwrap_or("");
        let r = crate::markdown::render_embedded(text, &nested);
        e.budget.spend(r.html.len());
        let n = &self.notes[target];
        let title = match part {
            Some(h) => format!("{} › {h}", n.title),
            None => n.title.clone(),
        };
        let href = self
            .to_note(target, (!anchor.is_empty()).then_some(anchor), false)
            .href;
        let mut html = embeds::open_transclusion(&href, &title);
        html.push_str(&r.html);
        html.push_str(embeds::CLOSE_TRANSCLUSION);
        let mut notes = Vec::with_capacity(1 + r.embeds.len());
        notes.push(target);
        notes.extend(r.embeds.iter().copied().filter(|&m| m != target));
        let mut problems = r.embed_problems;
        problems.dedup_by(|a, b| a.message == b.message);
        Ok(Embed::Note {
            html,
            notes,
            problems,
        })
    }

    /// What the page knows of image `rel` of `content/` (`None` for other files).
    fn image_facts(&self, rel: &str) -> Option<crate::images::ImageFacts> {
        self.images?.facts(rel, &self.root)
    }

    fn resolve_wiki_image(&self, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        match self.asset(dest) {
            Some(rel) => Ok(Some(self.to_asset(rel))),
            None => Err(self.missing(
                format!("image `{}` is not a file in content/", dest.trim()),
                dest.trim(),
            )),
        }
    }
}

impl Resolver for NoteResolver<'_> {
    fn resolve(&self, syntax: LinkSyntax, dest: &str) -> Result<Option<Resolved>, LinkProblem> {
        let dest = dest.trim();
        if is_external(dest) {
            return Ok(None);
        }
        let mut r = match syntax {
            LinkSyntax::Markdown => return self.resolve_path(dest),
            // `[[note\|label]]` inside a table: the escaped pipe leaves a `\` on the target.
            LinkSyntax::Wiki => return self.resolve_wiki(dest.trim_end_matches('\\')),
            LinkSyntax::Image => self.resolve_path(dest)?,
            LinkSyntax::WikiImage => self.resolve_wiki_image(dest)?,
        };
        // An image of `content/`: its href is the page's root and the file's path (`to_asset`).
        if let Some(r) = &mut r
            && r.note.is_none()
            && let Some(rel) = r.href.strip_prefix(self.root.as_str())
        {
            r.image = self.image_facts(rel);
        }
        Ok(r)
    }

    fn embed(&self, dest: &str) -> Result<Embed, LinkProblem> {
        self.resolve_embed(dest)
    }

    fn highlighter(&self) -> Option<&crate::code::Highlighter> {
        self.highlighter
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

/// Decodes `%XX` escapes (invalid ones are kept as written; bytes that are not UTF-8 become
/// U+FFFD).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
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
        // Non-breaking spaces (typed by some keyboards and pasted from the web) are spaces.
        assert_eq!(
            name_key("C\u{a0}Memory Address"),
            name_key("C Memory Address")
        );
        assert_eq!(name_key("10\u{202f}km"), name_key("10 km"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%é%2"), "%é%2");
    }
}
