//! The build pipeline: load notes → render Markdown and resolve links → check → graph → templates → sink.
//! Every phase collects all its problems before the build stops, so the user sees them at once.

use crate::config::Settings;
use crate::content::{self, Content, Note, NoteId, NoteKind};
use crate::context::{SiteValues, TAGS_URL, TIMELINE_URL};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::graph::{self, Graph};
use crate::images::Images;
use crate::links::{LinkIndex, alias_url, root_prefix};
use crate::markdown::{self, Rendered};
use crate::outline::Outline;
pub use crate::output::Output;
use crate::output::Sink;
use crate::paginate::{Pager, Pagination, pager_url};
pub use crate::selection::{Parts, Selection};
use crate::site_outputs::{self, Site};
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::HashMap;

/// What a successful build produced.
#[derive(Debug, Default)]
pub struct Summary {
    /// Notes written (home, sections, pages).
    pub pages: usize,
    /// Each taxonomy's name and the pages written for it (its list and one per term).
    pub taxonomy_pages: Vec<(String, usize)>,
    /// Redirect pages written for aliases.
    pub redirects: usize,
    /// Whether `atom.xml` was written.
    pub feed: bool,
    /// Static files and content assets copied.
    pub files: usize,
    /// Warnings (orphans, images without alt text, empty notes).
    pub warnings: Vec<Diagnostic>,
    /// Quotation coverage and sources whose text could not be read.
    pub quotes: crate::quotes::Report,
    /// Social cards written, and how many of them were drawn (not in the cache).
    pub cards: crate::cards::CardCount,
}

/// A checked site in memory: everything needed to render any of its outputs.
/// `watch` and `serve` keep one between rebuilds and update it (see `incremental`).
pub struct Analysis {
    /// The notes and assets.
    pub content: Content,
    /// Each note's rendered Markdown (by `NoteId`, as `content.notes`), without its HTML,
    /// which is in `contents`.
    pub rendered: Vec<Rendered>,
    /// Each note's HTML as the template value pages print (`page.content`), made once: a page
    /// shares it rather than copying it.
    pub contents: Vec<tera::Value>,
    /// Links, sections, tags and timeline.
    pub graph: Graph,
    /// The loaded templates.
    pub templates: Templates,
    /// Alias redirect pages: (URL, target note).
    pub redirects: Vec<(String, NoteId)>,
    /// Warnings found while checking.
    pub warnings: Vec<Diagnostic>,
    /// The template values shared by every page (built once per analysis).
    pub values: SiteValues,
    /// Notes and assets by path and name, for resolving links.
    pub links: LinkIndex,
    /// Each note's outline (by `NoteId`): headings, blocks, other ids.
    pub outlines: Vec<Outline>,
    /// Each note's part of the search index, in note order (empty without search).
    pub search: Vec<crate::search::Doc>,
    /// The search index's words from its last writing, for the next (`serve`, `watch`).
    pub search_cache: crate::search::Cache,
    /// Each note's link-preview entry (JSON), in note order (empty without `previews`).
    pub previews: Vec<String>,
    /// What the quotation check found besides errors.
    pub quotes: crate::quotes::Report,
    /// Which lists are split into pages, and how.
    pub pagination: Pagination,
    /// The content's images: sizes, and the smaller copies written next to them.
    pub images: Images,
    /// Each page's social card, when the site has them.
    pub cards: Option<crate::cards::Cards>,
}

/// Builds the site described by `settings` into `sink`. On failure, every problem found is returned.
pub fn build(settings: &Settings, sink: &dyn Sink) -> Result<Summary, Diagnostics> {
    build_keeping(settings, sink).map(|(summary, _)| summary)
}

/// Like `build`, and hands back the analysis too, so a caller about to exit can skip freeing it.
pub fn build_keeping(
    settings: &Settings,
    sink: &dyn Sink,
) -> Result<(Summary, Analysis), Diagnostics> {
    let analysis = crate::timings::phase("analyze", || analyze_with(settings, Sources::Release))?;
    let emit = |path: String, out| {
        match out {
            Output::Bytes(b) => sink.write(&path, &b),
            Output::Copy(src) => sink.copy(&path, &src),
        }
        .map_err(|e| Diagnostic::file_error(path, format!("cannot write: {e}")))
    };
    // Cards are not drawn for a sink that keeps nothing (`check`).
    let cards = crate::timings::phase("render and write", || {
        render_selected(settings, &analysis, &Selection::All, &emit, sink.keeps())
    })?;
    let mut summary = analysis.summary(settings);
    summary.cards = cards;
    Ok((summary, analysis))
}

impl Analysis {
    /// The counts a full build reports.
    pub fn summary(&self, settings: &Settings) -> Summary {
        Summary {
            pages: self.content.notes.len(),
            taxonomy_pages: (self.graph.taxonomies.iter())
                .map(|t| (t.name.clone(), t.terms.len() + 1))
                .collect(),
            redirects: self.redirects.len(),
            feed: settings.config.feed,
            files: self.content.assets.len(),
            warnings: self.warnings.clone(),
            quotes: self.quotes.clone(),
            cards: crate::cards::CardCount::default(),
        }
    }
}

/// Loads, renders and checks every note; collects every problem before failing.
/// The notes keep their sources (`watch` and `serve` compare them on the next change).
pub fn analyze(settings: &Settings) -> Result<Analysis, Diagnostics> {
    analyze_with(settings, Sources::Keep)
}

/// Whether notes keep their source text once rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sources {
    /// Keep every note's source.
    Keep,
    /// Free each note's source as soon as its Markdown is rendered, unless a later check may
    /// point into it: on a large site the sources are a fifth of the memory a build touches.
    Release,
}

fn analyze_with(settings: &Settings, sources: Sources) -> Result<Analysis, Diagnostics> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let cfg = &settings.config;
    use crate::timings::phase;
    let mut content = phase("load notes", || {
        content::load(
            &settings.content_dir,
            &settings.root,
            &cfg.title,
            &content::front_matter::Rules::of(cfg),
            settings.drafts,
            &mut diags,
        )
    });
    let index = phase("link index", || {
        LinkIndex::new(&content, settings.file_links)
    });
    let images = Images::new(&settings.root, &cfg.images, &content.assets);
    let outlines: Vec<Outline> = phase("outlines", || {
        content
            .notes
            .par_iter()
            .map(|n| crate::outline::outline(n.body()))
            .collect()
    });
    let share = crate::search::text_share(content.notes.len());
    let (rendered, contents): (Vec<Rendered>, Vec<tera::Value>) = phase("markdown", || {
        // Every note's source is lent to the renderers (an embed may show any note) and given
        // back afterwards if it is still needed.
        let texts: Vec<String> = content.notes.iter_mut().map(Note::take_source).collect();
        let notes = &content.notes;
        let bodies: Vec<&str> = texts
            .iter()
            .zip(notes)
            .map(|(t, n)| t.get(n.body_start..).unwrap_or(""))
            .collect();
        let (rendered, keep): (Vec<(Rendered, tera::Value)>, Vec<bool>) = (0..notes.len())
            .into_par_iter()
            .map(NoteId::new)
            .map(|i| {
                let mut r = render_markdown(
                    settings, &index, &images, notes, &outlines, &bodies, i, share,
                );
                let keep = sources == Sources::Keep || may_need_source(&notes[i], bodies[i], &r);
                let html = take_html(&mut r);
                ((r, html), keep)
            })
            .unzip();
        drop(bodies);
        for ((n, text), keep) in content.notes.iter_mut().zip(texts).zip(keep) {
            if keep {
                n.restore_source(text);
            }
        }
        rendered.into_iter().unzip()
    });
    let asset_dirs = [settings.static_dir.clone(), settings.content_dir.clone()];
    let templates = match Templates::load(&settings.templates_dir, &settings.root, &asset_dirs) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    finish(
        settings,
        Analyzed {
            content,
            links: index,
            images,
            outlines,
            rendered,
            contents,
        },
        templates,
        diags,
        Reuse::default(),
    )
}

/// Renders note `i`'s Markdown `body`, links resolved through `index`, images measured through
/// `images`, and inline tags linked to their tag pages (when the site has them).
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_markdown(
    settings: &Settings,
    index: &LinkIndex,
    images: &Images,
    notes: &[Note],
    outlines: &[Outline],
    bodies: &[&str],
    i: NoteId,
    share: usize,
) -> Rendered {
    let budget = crate::embeds::Budget::default();
    let resolver = crate::obsidian::tags::TagLinks {
        inner: &index
            .resolver(notes, outlines, i)
            .with_bodies(bodies, &budget)
            .with_images(images)
            .with_highlighter(settings.config.highlight.then_some(&settings.highlighter)),
        root: (settings.config.taxonomies.iter())
            .any(|t| t.name == "tags")
            .then(|| root_prefix(&notes[i].url)),
        file_links: settings.file_links,
    };
    markdown::render_with(bodies[i], &outlines[i], &resolver, share)
}

/// Moves a note's HTML out of `r` into the template value its pages print (`page.content`).
pub(crate) fn take_html(r: &mut Rendered) -> tera::Value {
    let html = tera::Value::safe_string(&r.html);
    r.html = String::new();
    html
}

/// True if a check after rendering may report a problem inside note `n` (so its diagnostic
/// needs the source to show the line): a link or image problem, a missing image description, a
/// formula or diagram that cannot be rendered, front matter checked against the site (template, sources,
/// aliases, event anchors), an empty body, `paginate_by`, or a URL where a list may write its pages.
fn may_need_source(n: &Note, body: &str, r: &Rendered) -> bool {
    !r.problems.is_empty()
        || !r.images_without_alt.is_empty()
        || !r.image_problems.is_empty()
        || !r.math_errors.is_empty()
        || !r.diagram_errors.is_empty()
        || n.front.template.is_some()
        || !n.front.sources.is_empty()
        || !n.front.aliases.is_empty()
        || n.front.events.iter().any(|e| e.anchor.is_some())
        || body.trim().is_empty()
        || n.front.paginate_by.is_some()
        || n.url.split('/').any(|s| s == crate::paginate::PAGE_DIR)
}

/// How much of the previous template values an update keeps.
#[derive(Default)]
pub enum ValuesReuse {
    /// Build them anew.
    #[default]
    Fresh,
    /// Still valid as they are (no note's reference or events changed).
    Same(SiteValues),
    /// Keep the references of notes not in the set (no tags changed).
    Refresh(SiteValues, std::collections::BTreeSet<NoteId>),
}

/// Results of an earlier analysis that an incremental update knows are still valid.
#[derive(Default)]
pub struct Reuse {
    /// The shared template values, as far as they are still valid.
    pub values: ValuesReuse,
    /// The graph (no reference, events or link targets changed).
    pub graph: Option<Graph>,
    /// Redirects (no URL, alias or tag changed: always so in an incremental update, whose
    /// previous analysis had no errors).
    pub redirects: Option<Vec<(String, NoteId)>>,
    /// Search entries, with the notes whose entries must be made again.
    pub search: Option<(Vec<crate::search::Doc>, Vec<NoteId>)>,
    /// The search index's words from the last writing.
    pub search_cache: crate::search::Cache,
    /// Link-preview entries, with the notes whose entries must be made again.
    pub previews: Option<(Vec<String>, Vec<NoteId>)>,
}

/// What the Markdown phase made, which the checks and the graph take over.
pub(crate) struct Analyzed {
    /// The notes and assets.
    pub content: Content,
    /// Notes and assets by path and name.
    pub links: LinkIndex,
    /// The content's images, as the notes' pages show them.
    pub images: Images,
    /// Each note's outline.
    pub outlines: Vec<Outline>,
    /// Each note's rendered Markdown, without its HTML.
    pub rendered: Vec<Rendered>,
    /// Each note's HTML as a template value.
    pub contents: Vec<tera::Value>,
}

/// The checks and the graph, shared by full and incremental analysis.
pub(crate) fn finish(
    settings: &Settings,
    analyzed: Analyzed,
    templates: Option<Templates>,
    mut diags: Vec<Diagnostic>,
    reuse: Reuse,
) -> Result<Analysis, Diagnostics> {
    use crate::timings::phase;
    let Analyzed {
        content,
        links: links_index,
        images,
        outlines,
        rendered,
        contents,
    } = analyzed;
    phase("check links", || {
        check_links(settings, &content, &links_index, &rendered, &mut diags)
    });
    check_front_matter_refs(settings, &content, &mut diags);
    if let Some(t) = &templates {
        check_templates_exist(t, &content, &mut diags);
    }
    let links: Vec<&[markdown::FoundLink]> = rendered.iter().map(|r| r.links.as_slice()).collect();
    let inline_tags: Vec<&[String]> = rendered.iter().map(|r| r.tags.as_slice()).collect();
    // Quotations are checked while the graph is built, whose serial parts leave a core idle.
    let ((quotes, misquotes), mut graph) = rayon::join(
        || {
            phase("quotations", || {
                crate::quotes::check(settings, &content.notes)
            })
        },
        || match reuse.graph {
            Some(g) => g,
            None => phase("graph", || {
                let names: Vec<&str> = settings
                    .config
                    .taxonomies
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect();
                graph::build(&content.notes, &links, &inline_tags, &names)
            }),
        },
    );
    diags.extend(misquotes);
    crate::timeline::resolve_anchors(&mut graph.timeline, &content.notes, &outlines, &mut diags);
    let pagination = templates
        .as_ref()
        .map(|t| Pagination::plan(&settings.config, &content.notes, t))
        .unwrap_or_default();
    pagination.check_note_urls(&content.notes, &graph, &mut diags);
    pagination.check_front_matter(&content.notes, &mut diags);
    let redirects = match reuse.redirects {
        Some(r) => r,
        None => phase("redirects", || {
            let pagers = pagination.reserved(&content.notes, &graph);
            plan_redirects(&content, &graph, pagers, &mut diags)
        }),
    };
    phase("orphans", || warn_orphans(&content, &graph, &mut diags));
    // A note with words is not empty: asking its rendering first spares reading every note's
    // text again (scattered in memory, reading them all was much of a one-note rebuild).
    for (n, r) in content.notes.iter().zip(&rendered) {
        if n.kind == NoteKind::Page && r.words == 0 && n.has_source() && n.body().trim().is_empty()
        {
            diags.push(Diagnostic::file_error(&n.display_path, "note is empty").warning());
        }
    }
    let cards = phase("card plan", || {
        crate::cards::plan(settings, &content.notes, &graph, &mut diags)
    });
    let mut all = Diagnostics(diags);
    all.sort();
    match templates {
        Some(mut templates) if !all.has_errors() => {
            let share = crate::search::text_share(content.notes.len());
            let skip = &settings.config.search_skip;
            let entry = |i: NoteId| {
                let (n, r) = (&content.notes[i], &rendered[i]);
                crate::search::entry(n, r, settings.file_links, share, skip)
            };
            if let Some((_, again)) = &reuse.search {
                reuse.search_cache.changed(again.iter().copied());
            }
            let search = per_note_entries(
                reuse.search,
                settings.config.search,
                content.notes.len(),
                entry,
            );
            let preview = |i: NoteId| crate::previews::entry(&content.notes[i], &rendered[i]);
            let previews = per_note_entries(
                reuse.previews,
                settings.config.previews,
                content.notes.len(),
                preview,
            );
            // The plain text was only needed for the search and preview entries.
            let mut rendered = rendered;
            for r in &mut rendered {
                r.text = String::new();
            }
            let values = match reuse.values {
                ValuesReuse::Same(v) => v,
                ValuesReuse::Refresh(old, changed) => phase("template values", || {
                    SiteValues::refresh(&old, settings, &content.notes, &rendered, &graph, &changed)
                }),
                ValuesReuse::Fresh => phase("template values", || {
                    SiteValues::new(settings, &content.notes, &rendered, &graph)
                }),
            };
            templates.set_timeline(values.timeline_drawing());
            Ok(Analysis {
                search,
                previews,
                search_cache: reuse.search_cache,
                values,
                links: links_index,
                outlines,
                content,
                rendered,
                contents,
                graph,
                templates,
                redirects,
                warnings: all.0,
                quotes,
                pagination,
                images,
                cards,
            })
        }
        _ => Err(all),
    }
}

/// One entry per note (search, previews): the previous entries with those of the notes `again`
/// made anew, or every entry (in parallel) when `wanted`, or none.
fn per_note_entries<T: Send>(
    previous: Option<(Vec<T>, Vec<NoteId>)>,
    wanted: bool,
    notes: usize,
    entry: impl Fn(NoteId) -> T + Sync + Send,
) -> Vec<T> {
    match previous {
        Some((mut entries, again)) => {
            for i in again {
                entries[i] = entry(i);
            }
            entries
        }
        None if wanted => (0..notes)
            .into_par_iter()
            .map(NoteId::new)
            .map(entry)
            .collect(),
        None => Vec::new(),
    }
}

fn check_templates_exist(t: &Templates, content: &Content, diags: &mut Vec<Diagnostic>) {
    let stem = |s: &str| s.trim_end_matches(".html").to_string();
    let stems: Vec<String> = t.names().map(stem).collect();
    for n in &content.notes {
        if let Some(name) = &n.front.template
            && !t.has(name)
        {
            let mut d = n.key_error(
                "template",
                format!("template `{name}` does not exist in templates/"),
            );
            if let Some(s) = did_you_mean(&stem(name), stems.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{s}.html`?"));
            } else {
                d = d.with_help(format!(
                    "create templates/{name}, or remove `template:` to use page.html"
                ));
            }
            diags.push(d);
        }
    }
}

/// Turns unresolved links into diagnostics: errors, or warnings for targets not written yet
/// when `links: {missing: warn}`. A missing note or file gets the closest existing one of its
/// kind as a suggestion, looked up once per name.
fn check_links(
    settings: &Settings,
    content: &Content,
    index: &LinkIndex,
    rendered: &[Rendered],
    diags: &mut Vec<Diagnostic>,
) {
    let warn = settings.config.missing_links == crate::config::MissingLinks::Warn;
    let mut closest = Closest::new(index, &content.notes);
    for (n, r) in content.notes.iter().zip(rendered) {
        let at = |span: &std::ops::Range<usize>, msg: String| {
            Diagnostic::at(
                &n.display_path,
                &n.text,
                n.body_start + span.start,
                span.len(),
                msg,
            )
        };
        for (span, p) in &r.problems {
            let label = match p.missing {
                Some(markdown::Missing::Fragment) => "broken fragment",
                _ => "broken link",
            };
            // A link to a draft or a `publish: false` note says why the note is missing.
            let link = n
                .text
                .get(n.body_start + span.start..n.body_start + span.end);
            let mut d = match link.and_then(|l| content.hidden_target(n, l)) {
                Some(h) => at(
                    span,
                    format!("{}: {} {}", p.message, h.display_path, h.why.explain()),
                )
                .with_help(h.why.help()),
                None => at(span, p.message.clone()),
            }
            .with_label(label);
            let help = match &p.missing {
                _ if d.help.is_some() => None,
                Some(markdown::Missing::Note(name)) if p.help.is_none() => Some(
                    closest.note(name).map_or_else(
                        || "link to a note by its path from this file, e.g. [its title](other-note.md)".to_string(),
                        |p| format!("the closest existing note is `{p}`"),
                    ),
                ),
                Some(markdown::Missing::File(name)) if p.help.is_none() => {
                    closest.file(name).map(|p| format!("the closest existing file is `{p}`"))
                }
                _ => p.help.clone(),
            };
            if let Some(h) = help {
                d = d.with_help(h);
            }
            if p.warning || (warn && p.missing.is_some()) {
                d = d.warning();
            }
            diags.push(d);
        }
        for (span, why) in &r.math_errors {
            diags.push(
                at(span, format!("cannot render this formula: {why}"))
                    .with_label("shown as source")
                    .with_help("check the LaTeX; the page shows the formula's source instead")
                    .warning(),
            );
        }
        for e in &r.diagram_errors {
            let mut d = at(&e.span, format!("cannot draw this diagram: {}", e.message))
                .with_label("in this diagram");
            if let Some(h) = &e.help {
                d = d.with_help(h.clone());
            }
            diags.push(d);
        }
        for (span, why) in &r.image_problems {
            diags.push(
                at(span, why.clone())
                    .with_label("this image")
                    .with_help("replace the file with a PNG, JPEG, GIF, WebP or SVG image, or remove the image")
                    .warning(),
            );
        }
        for span in &r.images_without_alt {
            diags.push(
                at(span, "image has no alt text".into())
                    .with_help("describe the image: ![a map of the region](map.png)")
                    .warning(),
            );
        }
    }
}

/// Suggestions for missing notes and files, each index made when first needed and each name
/// looked up once (a vault may repeat one broken name hundreds of times).
struct Closest<'a> {
    index: &'a LinkIndex,
    notes: &'a [Note],
    note_names: Option<(crate::suggest::Suggester<'a>, HashMap<&'a str, NoteId>)>,
    file_names: Option<(crate::suggest::Suggester<'a>, HashMap<&'a str, &'a str>)>,
    seen: HashMap<(bool, String), Option<String>>,
}

impl<'a> Closest<'a> {
    fn new(index: &'a LinkIndex, notes: &'a [Note]) -> Self {
        Closest {
            index,
            notes,
            note_names: None,
            file_names: None,
            seen: HashMap::new(),
        }
    }

    /// The path of the note whose name is closest to `name` (a `name_key`), if close.
    fn note(&mut self, name: &str) -> Option<String> {
        if let Some(s) = self.seen.get(&(true, name.to_string())) {
            return s.clone();
        }
        let (index, notes) = (self.index, self.notes);
        let (s, by) = self.note_names.get_or_insert_with(|| {
            let by: HashMap<&str, NoteId> = index.note_names().collect();
            let mut names: Vec<&str> = by.keys().copied().collect();
            names.sort_unstable();
            (crate::suggest::Suggester::new(names), by)
        });
        let found = s.closest(name).map(|k| notes[by[k]].rel_path.clone());
        self.seen.insert((true, name.to_string()), found.clone());
        found
    }

    /// The path of the file whose name is closest to `name` (lowercase), if close.
    fn file(&mut self, name: &str) -> Option<String> {
        if let Some(s) = self.seen.get(&(false, name.to_string())) {
            return s.clone();
        }
        let index = self.index;
        let (s, by) = self.file_names.get_or_insert_with(|| {
            let by: HashMap<&str, &str> = index.asset_names().collect();
            let mut names: Vec<&str> = by.keys().copied().collect();
            names.sort_unstable();
            (crate::suggest::Suggester::new(names), by)
        });
        let found = s.closest(name).map(|k| by[k].to_string());
        self.seen.insert((false, name.to_string()), found.clone());
        found
    }
}

/// Source ids must exist in site.yaml.
fn check_front_matter_refs(settings: &Settings, content: &Content, diags: &mut Vec<Diagnostic>) {
    let known: Vec<&str> = settings
        .config
        .sources
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    for n in &content.notes {
        for id in &n.front.sources {
            if !known.contains(&id.as_str()) {
                let mut d = n.key_error("sources", format!("unknown source `{id}`"));
                d = match did_you_mean(id, known.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("list the source under `sources:` in site.yaml"),
                };
                diags.push(d);
            }
        }
    }
}

/// Alias redirect pages, checked against note URLs, the pages of paginated lists (`pagers`:
/// URL and what it is) and each other: (url, target note).
fn plan_redirects(
    content: &Content,
    graph: &Graph,
    pagers: Vec<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, NoteId)> {
    let mut taken: HashMap<String, String> = content
        .notes
        .iter()
        .map(|n| (n.url.clone(), n.display_path.clone()))
        .chain(pagers)
        .collect();
    taken.insert(TIMELINE_URL.into(), "the timeline".into());
    // A note may have the graph page's URL (the page is then not written).
    taken
        .entry(crate::sitegraph::GRAPH_URL.into())
        .or_insert_with(|| "the graph page".into());
    for tax in &graph.taxonomies {
        taken.insert(tax.url(), tax.what());
        for t in &tax.terms {
            taken.insert(tax.term_url(&t.slug), tax.term_what(t));
        }
    }
    let lists: Vec<String> = graph.taxonomies.iter().map(|t| t.url()).collect();
    for n in &content.notes {
        let mut reserved = [TAGS_URL, TIMELINE_URL]
            .into_iter()
            .chain(lists.iter().map(String::as_str));
        if let Some(other) = reserved.find(|u| *u == n.url) {
            diags.push(
                Diagnostic::file_error(
                    &n.display_path,
                    format!("this note's URL `/{other}` is reserved for a generated page"),
                )
                .with_help("rename the file or set a different `slug`"),
            );
        }
    }
    // An alias never replaces a page or another redirect: the first claim of a URL keeps it,
    // and a later one is a warning (a vault's aliases are names first, redirects second).
    let mut out = Vec::new();
    for (i, n) in NoteId::enumerate(&content.notes) {
        for a in &n.front.aliases {
            let url = alias_url(n, a);
            let mine = format!("an alias of {}", n.display_path);
            if url.is_empty() || url == n.url {
                continue; // an alias that only differs in case or spacing: a name, not a URL
            }
            match taken.get(&url) {
                Some(owner) if *owner == mine => {} // another spelling of one of its aliases
                Some(owner) => diags.push(
                    n.key_error(
                        "aliases",
                        format!(
                            "alias `{a}` of {} would be written to `/{url}`, which is already \
                             {owner}: no redirect written for it",
                            n.display_path
                        ),
                    )
                    .with_help("wikilinks may still use the alias; remove it to silence this")
                    .warning(),
                ),
                None => {
                    taken.insert(url.clone(), mine);
                    out.push((url, i));
                }
            }
        }
    }
    out
}

fn warn_orphans(content: &Content, graph: &Graph, diags: &mut Vec<Diagnostic>) {
    for (n, backlinks) in content.notes.iter().zip(&graph.backlinks) {
        if n.kind == NoteKind::Page && backlinks.is_empty() {
            diags.push(
                Diagnostic::file_error(&n.display_path, "orphan note: no other note links to it")
                    .with_help("link to it from a related note, e.g. [its title](path/to/note.md)")
                    .warning(),
            );
        }
    }
}

/// Renders the selected outputs, as (path from the output root, output), sorted by path.
/// Feed, sitemap and robots.txt are included when anything they show may have changed.
pub fn render(
    settings: &Settings,
    a: &Analysis,
    selection: &Selection,
) -> Result<Vec<(String, Output)>, Diagnostics> {
    let collected = std::sync::Mutex::new(Vec::new());
    render_each(settings, a, selection, &|path, out| {
        if let Ok(mut v) = collected.lock() {
            v.push((path, out));
        }
        Ok(())
    })?;
    let mut outputs = collected.into_inner().unwrap_or_default();
    outputs.sort_by(|x, y| x.0.cmp(&y.0));
    Ok(outputs)
}

/// Minifies a page: collapses whitespace and drops comments, leaving scripts, styles, `<pre>`,
/// `<textarea>` and `<code>` exactly as written. A page it cannot read is kept as it was.
pub fn minify_html(page: Vec<u8>) -> Vec<u8> {
    let mut m = html_minifier::HTMLMinifier::new();
    m.set_minify_js(false);
    m.set_minify_css(false);
    m.set_minify_code(false);
    match m.digest(&page).and_then(|()| m.into_html()) {
        Ok(out) => out,
        Err(_) => page,
    }
}

/// Something that takes each rendered output as soon as it is ready (from several threads).
pub type Emit<'a> = dyn Fn(String, Output) -> Result<(), Diagnostic> + Sync + 'a;

/// Renders the selected outputs and hands each to `emit` as soon as it is ready, pages in
/// parallel, so a full build never holds every page in memory. Returns the social cards written.
pub fn render_each(
    settings: &Settings,
    a: &Analysis,
    selection: &Selection,
    emit: &Emit<'_>,
) -> Result<crate::cards::CardCount, Diagnostics> {
    render_selected(settings, a, selection, emit, true)
}

/// `render_each`, drawing social cards only if `cards` (pages still name them).
fn render_selected(
    settings: &Settings,
    a: &Analysis,
    selection: &Selection,
    emit: &Emit<'_>,
    cards: bool,
) -> Result<crate::cards::CardCount, Diagnostics> {
    use crate::timings::phase;
    let cfg = &settings.config;
    let (content, rendered, graph, templates) = (&a.content, &a.rendered, &a.graph, &a.templates);
    let values = &a.values;
    let all = Parts::default();
    let (everything, parts) = match selection {
        Selection::All => (true, &all),
        Selection::Some(p) => (false, p),
    };
    let note_ids: Vec<NoteId> = if everything {
        NoteId::all(content.notes.len()).collect()
    } else {
        let lists = parts.pagers.iter().map(|&(i, _)| i);
        let ids: std::collections::BTreeSet<NoteId> =
            parts.notes.iter().copied().chain(lists).collect();
        ids.into_iter().collect()
    };
    let bytes = |path: String, r: Result<Vec<u8>, Diagnostic>| {
        r.and_then(|b| {
            let b = if settings.minify && path.ends_with(".html") {
                minify_html(b)
            } else {
                b
            };
            emit(path, Output::Bytes(b))
        })
    };

    // Note maps, when a template prints them: every title wrapped once for all the maps.
    let maps = (templates.mention("map_svg") && !note_ids.is_empty())
        .then(|| crate::notemap::Maps::new(content.notes.len(), settings.file_links));
    let inputs = crate::context::PageInputs {
        notes: &content.notes,
        rendered,
        contents: &a.contents,
        graph,
        config: cfg,
        toc_data: templates.toc_data(),
        note_maps: maps.as_ref(),
    };
    // A note's page, or the selected pages of its paginated list (its `page` value made once).
    let note = |i: NoteId| -> Vec<Diagnostic> {
        let n = &content.notes[i];
        let per = a.pagination.per_note(i);
        let card = a
            .cards
            .as_ref()
            .map(|c| c.value(&c.notes[i], &cfg.base_url));
        if per == 0 {
            let mut ctx = values.note_context(&inputs, i);
            with_card(&mut ctx, &card);
            let page = templates.render(n.template(), &ctx, &n.display_path);
            return bytes(format!("{}index.html", n.url), page)
                .err()
                .into_iter()
                .collect();
        }
        let every_pager = everything || parts.notes.contains(&i);
        let page = values.note_value(&inputs, i, false);
        let pagers: Vec<Pager> = Pager::all(graph.pages[i].len(), per)
            .filter(|p| every_pager || parts.pagers.contains(&(i, p.index)))
            .collect();
        pagers
            .into_par_iter()
            .filter_map(|p| {
                let mut ctx = values.pager_context(&inputs, i, &page, p);
                with_card(&mut ctx, &card);
                let what = match p.index {
                    1 => n.display_path.clone(),
                    k => format!("page {k} of the list of {}", n.display_path),
                };
                let out = templates.render(n.template(), &ctx, &what);
                bytes(format!("{}index.html", pager_url(&n.url, p.index)), out).err()
            })
            .collect()
    };
    let pages = || -> Vec<Diagnostic> {
        phase("render pages", || {
            note_ids.par_iter().flat_map_iter(|&i| note(i)).collect()
        })
    };
    let social_cards = || match &a.cards {
        Some(c) if cards => phase("social cards", || {
            let parts = (!everything).then_some(parts);
            crate::cards::emit(settings, c, &content.notes, parts, emit)
        }),
        _ => Default::default(),
    };
    // The site-wide outputs and the cards, made while the pages render (none shares a path
    // with a page).
    let (mut errors, (more, (card_count, card_errors))) = rayon::join(pages, || {
        rayon::join(
            || site_outputs::render(&site_of(settings, a), selection.scope(), &bytes),
            social_cards,
        )
    });
    errors.extend(more);
    errors.extend(card_errors);
    // Content files and static/ last, after every page: a static file of the same path wins.
    for asset in &content.assets {
        if everything || parts.assets.contains(&asset.rel) {
            errors.extend(emit(asset.rel.clone(), Output::Copy(asset.abs.clone())).err());
        }
    }
    // The smaller copies of the images pages show, made while their Markdown was rendered: of
    // every image, or of the images changed and those the pages rendered again show (one may
    // show an image no page showed before).
    let only = (!everything).then(|| {
        let mut only = parts.assets.clone();
        for &i in &parts.notes {
            only.extend(rendered[i].images.iter().cloned());
        }
        only
    });
    for (rel, cached) in a.images.outputs(only.as_ref()) {
        errors.extend(emit(rel, Output::Copy(cached)).err());
    }
    if everything {
        let mut walk_diags = Vec::new();
        let statics = content::load::walk(&settings.static_dir, &settings.root, &mut walk_diags);
        errors.extend(walk_diags);
        // Static files come last: a project's own `search.js` or `favicon.svg` replaces the
        // built-in one.
        for f in statics.notes.into_iter().chain(statics.assets) {
            errors.extend(emit(f.rel, Output::Copy(f.abs)).err());
        }
    } else {
        for rel in &parts.statics {
            errors.extend(emit(rel.clone(), Output::Copy(settings.static_dir.join(rel))).err());
        }
    }
    if !errors.is_empty() {
        let mut d = Diagnostics(merge_repeated(errors));
        d.sort();
        return Err(d);
    }
    Ok(card_count)
}

/// What the site-wide outputs read of `a`.
fn site_of<'a>(settings: &'a Settings, a: &'a Analysis) -> Site<'a> {
    Site {
        settings,
        content: &a.content,
        graph: &a.graph,
        templates: &a.templates,
        values: &a.values,
        pagination: &a.pagination,
        cards: a.cards.as_ref(),
        redirects: &a.redirects,
        search: &a.search,
        search_cache: &a.search_cache,
        previews: &a.previews,
    }
}

/// Gives a page's template its social card, when the site has cards.
fn with_card(ctx: &mut tera::Context, card: &Option<tera::Value>) {
    if let Some(card) = card {
        ctx.insert_value("card", card.clone());
    }
}

/// One template mistake fails every page that uses the template: report it once, saying how
/// many pages it affects.
fn merge_repeated(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    let mut at: HashMap<(String, usize, usize, String), usize> = HashMap::new();
    for d in errors {
        let key = (d.path.clone(), d.line, d.col, d.message.clone());
        match at.get(&key) {
            Some(&i) => out[i].1 += 1,
            None => {
                at.insert(key, out.len());
                out.push((d, 0));
            }
        }
    }
    out.into_iter()
        .map(|(mut d, more)| {
            if more > 0
                && let Some(h) = &mut d.help
                && h.contains("while rendering ")
            {
                let pages = if more == 1 { "page" } else { "pages" };
                h.push_str(&format!(" and {more} other {pages}"));
            }
            d
        })
        .collect()
}
