//! The template API: the values every template sees, built once per build and shared between pages.
//! Large lists are built once as reference-counted Tera values, so a page's context is cheap.

use crate::config::{Settings, SiteConfig};
use crate::content::{Note, NoteId, NoteKind};
use crate::escape::write_html;
use crate::graph::{Graph, Taxonomy, Term};
use crate::json;
use crate::links::{link_path, root_prefix};
use crate::markdown::{Rendered, TocEntry};
use crate::paginate::{Pager, pager_url};
use rayon::prelude::*;
use tera::{Context, Value};

/// Builds a Tera map value from key/value pairs.
pub fn obj(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let fields: Vec<(&'static str, Value)> = pairs.into_iter().collect();
    from_fields(&fields)
}

/// `base` (a map made by `obj`) with `more` fields after its own (a field it has already is
/// replaced in place), as a new map.
fn extended(base: &Value, more: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut fields: Vec<(&'static str, Value)> = Vec::with_capacity(32);
    for (k, v) in base.as_map().into_iter().flatten() {
        if let tera::value::Key::Str(k) = k {
            fields.push((k, v.clone()));
        }
    }
    fields.extend(more);
    from_fields(&fields)
}

/// A map built through Tera's serializer, which inserts each key once: `Value::from(Map)`
/// inserts (and hashes) every key again, a sizeable part of building a large site's pages.
/// Values pass through the serializer as they are (shared, not copied).
fn from_fields(fields: &[(&'static str, Value)]) -> Value {
    struct Fields<'a>(&'a [(&'static str, Value)]);
    impl serde::Serialize for Fields<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut m = s.serialize_struct("fields", self.0.len())?;
            for (k, v) in self.0 {
                m.serialize_field(k, v)?;
            }
            m.end()
        }
    }
    Value::from_serializable(&Fields(fields))
}

/// A map whose keys are known only at run time (`page.taxonomies`), through Tera's serializer
/// as `from_fields`.
fn from_named(fields: &[(&str, Value)]) -> Value {
    struct Named<'a>(&'a [(&'a str, Value)]);
    impl serde::Serialize for Named<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
    Value::from_serializable(&Named(fields))
}

fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::from(items.into_iter().collect::<Vec<Value>>())
}

fn text(s: &str) -> Value {
    Value::from(s)
}

fn opt_text(s: Option<String>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

/// URL path of the list page of tags (the taxonomy every site has by default).
pub const TAGS_URL: &str = crate::content::RESERVED_URLS[0];
/// URL path of the timeline page.
pub const TIMELINE_URL: &str = crate::content::RESERVED_URLS[1];

/// What note pages are made from, besides the shared values (each list by `NoteId`, as the notes).
#[derive(Clone, Copy)]
pub struct PageInputs<'a> {
    /// The notes.
    pub notes: &'a [Note],
    /// Their rendered Markdown.
    pub rendered: &'a [Rendered],
    /// Their HTML as template values (`page.content`).
    pub contents: &'a [Value],
    /// Links, sections and tags.
    pub graph: &'a Graph,
    /// The site's configuration (`page.sources`, `page.json_ld`).
    pub config: &'a SiteConfig,
    /// Build `page.toc` as data (the project has templates of its own); `page.toc_html` is
    /// always there.
    pub toc_data: bool,
    /// What `page.map_svg` is drawn with, when a template mentions it.
    pub note_maps: Option<&'a crate::notemap::Maps>,
}

/// Values shared by every page of one build.
pub struct SiteValues {
    site: Value,
    refs: Vec<Value>,
    pages: Value,
    sections: Value,
    nav: Value,
    /// The terms of `tags` with their counts (`tags`; empty without that taxonomy).
    tags: Value,
    /// Every taxonomy (`taxonomies`): name, path and terms with counts.
    taxonomies: Value,
    /// Per taxonomy, its value in `taxonomies` (`taxonomy` on its pages).
    taxonomy_values: Vec<Value>,
    /// Per taxonomy, each term's value with its count (`term` without `pages`).
    term_refs: Vec<Vec<Value>>,
    /// Per taxonomy, each term's ref without a count (what a note's `taxonomies` lists).
    plain_term_refs: Vec<Vec<Value>>,
    /// Per taxonomy, its name when its terms have feeds.
    feeds: Vec<Option<String>>,
    timeline: Value,
    /// The drawn timeline (`timeline_svg()` reads it from Tera's global context).
    timeline_drawing: Value,
    file_links: bool,
    base_url: String,
}

/// Minutes to read `words` at 200 words a minute, at least 1.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

impl SiteValues {
    /// Builds the shared values: `site`, a short reference for every note, and the global lists.
    pub fn new(settings: &Settings, notes: &[Note], rendered: &[Rendered], graph: &Graph) -> Self {
        Self::build(settings, notes, rendered, graph, None)
    }

    /// Like `new`, but keeps the references of notes not in `changed` from `old`. Only valid when
    /// no note's tags changed (a reference embeds its tags).
    pub fn refresh(
        old: &SiteValues,
        settings: &Settings,
        notes: &[Note],
        rendered: &[Rendered],
        graph: &Graph,
        changed: &std::collections::BTreeSet<NoteId>,
    ) -> Self {
        Self::build(settings, notes, rendered, graph, Some((old, changed)))
    }

    fn build(
        settings: &Settings,
        notes: &[Note],
        rendered: &[Rendered],
        graph: &Graph,
        reuse: Option<(&SiteValues, &std::collections::BTreeSet<NoteId>)>,
    ) -> Self {
        let fl = settings.file_links;
        let c = &settings.config;
        let site = obj([
            ("title", text(&c.title)),
            ("description", text(&c.description)),
            ("base_url", text(&c.base_url)),
            ("language", text(&c.language)),
            ("author", text(&c.author)),
            ("feed", Value::from(c.feed)),
            ("search", Value::from(c.search)),
            ("previews", Value::from(c.previews)),
            ("sources", Value::from_serializable(&c.sources)),
            ("extra", Value::from_serializable(&c.extra)),
            ("home_path", text(&link_path("", fl))),
            ("tags_path", text(&link_path(TAGS_URL, fl))),
            ("timeline_path", text(&link_path(TIMELINE_URL, fl))),
            (
                "graph_path",
                text(&if crate::sitegraph::has_page(notes) {
                    link_path(crate::sitegraph::GRAPH_URL, fl)
                } else {
                    String::new()
                }),
            ),
            ("feed_path", text(if c.feed { "atom.xml" } else { "" })),
            (
                "taxonomies",
                list(
                    graph
                        .taxonomies
                        .iter()
                        .map(|tax| obj(taxonomy_fields(tax, c, fl))),
                ),
            ),
        ]);
        // A term inside a note's ref carries no count, so a note's ref changes only with the note.
        let plain_term_refs: Vec<Vec<Value>> = (graph.taxonomies.iter())
            .map(|tax| {
                (tax.terms.iter())
                    .map(|t| {
                        obj([
                            ("name", text(&t.name)),
                            ("slug", text(&t.slug)),
                            ("path", text(&link_path(&tax.term_url(&t.slug), fl))),
                        ])
                    })
                    .collect()
            })
            .collect();
        let term_refs: Vec<Vec<Value>> = (graph.taxonomies.iter())
            .zip(&plain_term_refs)
            .map(|(tax, refs)| {
                (tax.terms.iter())
                    .zip(refs)
                    .map(|(t, r)| extended(r, [("count", Value::from(t.notes.len()))]))
                    .collect()
            })
            .collect();
        let taxonomy_values: Vec<Value> = (graph.taxonomies.iter())
            .zip(&term_refs)
            .map(|(tax, terms)| {
                let mut fields = taxonomy_fields(tax, c, fl).to_vec();
                fields.push(("terms", list(terms.iter().cloned())));
                from_fields(&fields)
            })
            .collect();
        let feeds: Vec<Option<String>> = (graph.taxonomies.iter())
            .map(|tax| {
                let on = c.taxonomies.iter().any(|t| t.name == tax.name && t.feed);
                on.then(|| tax.name.clone())
            })
            .collect();
        let tags_at = graph.taxonomies.iter().position(|t| t.name == "tags");
        let no_terms = Vec::new();
        let tag_refs = tags_at.map_or(&no_terms, |k| &plain_term_refs[k]);
        let refs: Vec<Value> = notes
            .par_iter()
            .enumerate()
            .map(|(i, n)| {
                let i = NoteId::new(i);
                if let Some((old, changed)) = reuse
                    && !changed.contains(&i)
                {
                    return old.refs[i].clone();
                }
                obj([
                    ("title", text(&n.title)),
                    ("description", opt_text(n.front.description.clone())),
                    ("path", text(&link_path(&n.url, fl))),
                    ("permalink", text(&format!("{}{}", c.base_url, n.url))),
                    ("kind", text(n.kind.name())),
                    ("date", opt_text(n.front.date.map(|d| d.to_string()))),
                    ("date_display", opt_text(n.front.date.map(|d| d.display()))),
                    ("reading_time", Value::from(reading_time(rendered[i].words))),
                    ("weight", Value::from(n.front.weight)),
                    (
                        "tags",
                        list(tags_at.into_iter().flat_map(|k| {
                            graph.taxonomies[k].note_terms[i]
                                .iter()
                                .map(|&t| tag_refs[t].clone())
                        })),
                    ),
                    ("extra", Value::from_serializable(&n.front.extra)),
                ])
            })
            .collect();
        let pages = list(
            (notes.iter().zip(&refs))
                .filter(|(n, _)| n.kind == NoteKind::Page)
                .map(|(_, r)| r.clone()),
        );
        let sections = list(
            NoteId::enumerate(notes)
                .filter(|(_, n)| n.kind == NoteKind::Section)
                .map(|(i, _)| with_children(&refs, graph, i)),
        );
        // Top-level sections without their page lists: what a navigation bar needs, and a value
        // that does not change when a page is edited.
        let nav = list(
            graph
                .subsections
                .first()
                .into_iter()
                .flatten()
                .map(|&i| refs[i].clone()),
        );
        let timeline = list(graph.timeline.iter().map(|e| {
            let mut path = link_path(&notes[e.note].url, fl);
            if let Some(id) = &e.anchor {
                path.push('#');
                path.push_str(id);
            }
            extended(
                &event_value(&e.event),
                [("path", text(&path)), ("note", refs[e.note].clone())],
            )
        }));
        let timeline_drawing = crate::timeline::Drawing::new(&graph.timeline, notes, fl).to_value();
        SiteValues {
            site,
            tags: list(
                tags_at
                    .into_iter()
                    .flat_map(|k| term_refs[k].iter().cloned()),
            ),
            taxonomies: list(taxonomy_values.iter().cloned()),
            taxonomy_values,
            term_refs,
            plain_term_refs,
            feeds,
            refs,
            pages,
            sections,
            nav,
            timeline,
            timeline_drawing,
            file_links: fl,
            base_url: c.base_url.clone(),
        }
    }

    /// The drawn timeline, for `Templates::set_timeline`.
    pub fn timeline_drawing(&self) -> Value {
        self.timeline_drawing.clone()
    }

    /// The context shared by every template, for a page at `url`.
    pub fn base_context(&self, url: &str, kind: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("root", Value::from(root_prefix(url)));
        ctx.insert_value("current_path", Value::from(link_path(url, self.file_links)));
        ctx.insert_value(
            "current_url",
            Value::from(format!("{}{url}", self.base_url)),
        );
        ctx.insert_value("kind", Value::from(kind));
        // The page's social card, set by the pipeline for pages that have one.
        ctx.insert_value("card", Value::none());
        ctx.insert_value("pages", self.pages.clone());
        ctx.insert_value("sections", self.sections.clone());
        ctx.insert_value("nav", self.nav.clone());
        ctx.insert_value("tags", self.tags.clone());
        ctx.insert_value("taxonomies", self.taxonomies.clone());
        ctx.insert_value("timeline", self.timeline.clone());
        ctx
    }

    /// The context for note `i`: `page` (and `section` for home and sections), its list whole.
    pub fn note_context(&self, site: &PageInputs<'_>, i: NoteId) -> Context {
        let n = &site.notes[i];
        let page = self.note_value(site, i, true);
        let mut ctx = self.base_context(&n.url, n.kind.name());
        if n.kind != NoteKind::Page {
            ctx.insert_value("section", page.clone());
        }
        ctx.insert_value("page", page);
        ctx
    }

    /// The context for one page of note `i`'s paginated list: `page` and `section` (`page`,
    /// made once by `note_value(…, false)` for all the list's pages) and `paginator`.
    pub fn pager_context(
        &self,
        site: &PageInputs<'_>,
        i: NoteId,
        page: &Value,
        pager: Pager,
    ) -> Context {
        let n = &site.notes[i];
        let mut ctx = self.base_context(&pager_url(&n.url, pager.index), n.kind.name());
        let listed = site.graph.pages[i].get(pager.range()).unwrap_or_default();
        let items = list(listed.iter().map(|&j| self.listed(site.graph, j)));
        ctx.insert_value("paginator", self.paginator(&n.url, pager, items));
        ctx.insert_value("section", page.clone());
        ctx.insert_value("page", page.clone());
        ctx
    }

    /// Note `i`'s `page` value. With `with_pages`, a home or section lists its pages in `pages`;
    /// without, `pages` is empty (a paginated list's notes are in `paginator.pages`, as in Zola).
    pub fn note_value(&self, site: &PageInputs<'_>, i: NoteId, with_pages: bool) -> Value {
        let PageInputs {
            notes,
            rendered,
            contents,
            graph,
            config,
            toc_data,
            note_maps,
        } = *site;
        let (rendered, content) = (&rendered[i], &contents[i]);
        let n = &notes[i];
        let refs = |ids: &[NoteId]| list(ids.iter().map(|&j| self.refs[j].clone()));
        let mut ancestors = Vec::new();
        let mut p = n.parent;
        while let Some(a) = p {
            ancestors.push(a);
            p = notes[a].parent;
        }
        ancestors.reverse();
        let mut fields: Vec<(&'static str, Value)> = Vec::with_capacity(20);
        let mut put = |k: &'static str, v: Value| fields.push((k, v));
        put("content", content.clone());
        if n.kind == NoteKind::Page {
            put(
                "json_ld",
                Value::safe_string(&self.json_ld(n, i, graph, config)),
            );
        }
        put("toc_html", Value::safe_string(&toc_html(&rendered.toc)));
        if toc_data {
            put("toc", Value::from_serializable(&rendered.toc));
        }
        put(
            "cssclasses",
            list(n.front.cssclasses.iter().map(|c| text(c))),
        );
        put("word_count", Value::from(rendered.words));
        put("reading_time", Value::from(reading_time(rendered.words)));
        put("updated", opt_text(n.front.updated.map(|d| d.to_string())));
        put(
            "updated_display",
            opt_text(n.front.updated.map(|d| d.display())),
        );
        if let Some(maps) = note_maps {
            let svg = maps.svg(notes, graph, i);
            put("map_svg", Value::safe_string(&svg));
        }
        put("backlinks", refs(&graph.backlinks[i]));
        put("links", refs(&graph.outgoing[i]));
        put("related", self.related(graph, i));
        let (previous, next) = siblings(graph, n.parent, i);
        put(
            "previous",
            previous.map_or_else(Value::none, |j| self.refs[j].clone()),
        );
        put(
            "next",
            next.map_or_else(Value::none, |j| self.refs[j].clone()),
        );
        put("ancestors", refs(&ancestors));
        put(
            "section",
            n.parent.map_or_else(Value::none, |p| self.refs[p].clone()),
        );
        put("events", list(n.front.events.iter().map(event_value)));
        put("taxonomies", self.note_taxonomies(graph, i));
        put(
            "sources",
            list(
                n.front
                    .sources
                    .iter()
                    .filter_map(|id| config.sources.iter().find(|s| &s.id == id))
                    .map(Value::from_serializable),
            ),
        );
        // A list page can say where each of its notes is mentioned (a who's-who grid) without a
        // template looking every note up again.
        let listed: &[NoteId] = if with_pages { &graph.pages[i] } else { &[] };
        put("pages", list(listed.iter().map(|&j| self.listed(graph, j))));
        put(
            "subsections",
            list(
                graph.subsections[i]
                    .iter()
                    .map(|&s| with_children(&self.refs, graph, s)),
            ),
        );
        extended(&self.refs[i], fields)
    }

    /// `page.taxonomies`: taxonomy name → the note's terms in it (name, slug, path).
    fn note_taxonomies(&self, graph: &Graph, i: NoteId) -> Value {
        let fields: Vec<(&str, Value)> = (graph.taxonomies.iter())
            .zip(&self.plain_term_refs)
            .map(|(tax, refs)| {
                let terms = tax.note_terms[i].iter().map(|&t| refs[t].clone());
                (tax.name.as_str(), list(terms))
            })
            .collect();
        from_named(&fields)
    }

    /// Note `j` as a section's list shows it: its ref and its `backlinks`.
    fn listed(&self, graph: &Graph, j: NoteId) -> Value {
        let backlinks = list(graph.backlinks[j].iter().map(|&b| self.refs[b].clone()));
        extended(&self.refs[j], [("backlinks", backlinks)])
    }

    /// `paginator`: pager `p` of the list at `list_url`, showing `pages`. Its links are paths
    /// from the root, as `path` is (`{{ root }}{{ paginator.next }}`).
    fn paginator(&self, list_url: &str, p: Pager, pages: Value) -> Value {
        let path = |k: usize| text(&link_path(&pager_url(list_url, k), self.file_links));
        let previous = if p.index > 1 {
            path(p.index - 1)
        } else {
            Value::none()
        };
        let next = if p.index < p.count {
            path(p.index + 1)
        } else {
            Value::none()
        };
        obj([
            ("pages", pages),
            ("current_index", Value::from(p.index)),
            ("number_pagers", Value::from(p.count)),
            ("paginate_by", Value::from(p.per)),
            ("total_pages", Value::from(p.total)),
            ("first", path(1)),
            ("last", path(p.count)),
            ("previous", previous),
            ("next", next),
        ])
    }

    /// `page.related`: the notes this one links to, then the notes linking to it that it does not
    /// link back to, each once, with `direction` (`out`, `in` or `both`): one list where templates
    /// would otherwise print "links" and "backlinks" with the same notes twice.
    fn related(&self, graph: &Graph, i: NoteId) -> Value {
        let (out, back) = (&graph.outgoing[i], &graph.backlinks[i]);
        let direction = |j: NoteId, outgoing: bool| match (outgoing, back.contains(&j)) {
            (true, true) => "both",
            (true, false) => "out",
            _ => "in",
        };
        let items = out
            .iter()
            .map(|&j| (j, true))
            .chain(
                back.iter()
                    .filter(|j| !out.contains(j))
                    .map(|&j| (j, false)),
            )
            .filter(|&(j, _)| j != i)
            .map(|(j, o)| extended(&self.refs[j], [("direction", text(direction(j, o)))]));
        list(items)
    }

    /// A page's schema.org `Article` as JSON, safe inside `<script>`: what the built-in
    /// `explainer/head.html` writes. Built here because the same object built in the template
    /// cost a tenth of rendering each page.
    fn json_ld(&self, n: &Note, i: NoteId, graph: &Graph, site: &SiteConfig) -> String {
        let url = format!("{}{}", self.base_url, n.url);
        let date = n.front.date.map(|d| d.to_string());
        let keywords: Vec<&str> = (graph.taxonomies.iter())
            .flat_map(|tax| {
                tax.note_terms[i]
                    .iter()
                    .map(|&t| tax.terms[t].name.as_str())
            })
            .collect();
        let description = n
            .front
            .description
            .as_deref()
            .filter(|d| !d.is_empty())
            .unwrap_or(&site.description);
        let modified = n.front.updated.map(|d| d.to_string()).or(date.clone());
        let author = if site.author.is_empty() {
            &site.title
        } else {
            &site.author
        };
        // schema.org `Article`, keys in this order; strings escaped by `json` as serde_json
        // would and safe inside `<script>`.
        let mut out = String::with_capacity(512);
        let mut o = json::Object::open(&mut out);
        o.string("@context", "https://schema.org")
            .string("@type", "Article")
            .string("headline", &n.title)
            .string("description", description)
            .opt_string("datePublished", date.as_deref())
            .opt_string("dateModified", modified.as_deref())
            .string("inLanguage", &site.language)
            .string("url", &url)
            .string("mainEntityOfPage", &url);
        for (key, name) in [("author", author), ("publisher", &site.title)] {
            let mut org = json::Object::open(o.key(key));
            org.string("@type", "Organization").string("name", name);
            org.close();
        }
        o.string("keywords", &keywords.join(", "));
        o.close();
        out
    }

    /// The context for `404.html`. A host serves it at any missing URL, at any depth, so its
    /// `root` is the site's path from `base_url` (`/` or `/sub/`): the one page whose links are
    /// not relative.
    /// With `--file-links` (a site read from disk, where no server shows a 404 page) it stays `./`.
    pub fn not_found_context(&self) -> Context {
        let mut ctx = self.base_context("404.html", "404");
        if !self.file_links {
            let base = crate::config::base_path(&self.base_url);
            ctx.insert_value("root", Value::from(base));
        }
        ctx
    }

    /// The context for the graph page: `graph_svg` (the drawing, empty when the site is too
    /// large) and `graph_by_section` (drawn by section).
    pub fn graph_context(&self, notes: &[Note], graph: &Graph) -> Context {
        let url = crate::sitegraph::GRAPH_URL;
        let mut ctx = self.base_context(url, "graph");
        let by_section = notes.len() > crate::sitegraph::MAX_NODES;
        let svg = crate::sitegraph::svg(notes, graph, url, self.file_links);
        ctx.insert_value("graph_svg", Value::safe_string(&svg));
        ctx.insert_value("graph_by_section", Value::from(by_section));
        ctx
    }

    /// The context for the list page of taxonomy `k` (in `Graph::taxonomies`): `taxonomy`.
    pub fn taxonomy_context(&self, k: usize, tax: &Taxonomy) -> Context {
        let mut ctx = self.base_context(&tax.url(), "taxonomy");
        ctx.insert_value("taxonomy", self.taxonomy_values[k].clone());
        ctx
    }

    /// The context for one term's page: `taxonomy` and `term`, its list whole.
    pub fn term_context(&self, k: usize, tax: &Taxonomy, ti: usize, term: &Term) -> Context {
        let mut ctx = self.base_context(&tax.term_url(&term.slug), "term");
        ctx.insert_value("taxonomy", self.taxonomy_values[k].clone());
        ctx.insert_value("term", self.term_value(k, ti, term));
        ctx
    }

    /// Term `ti` of taxonomy `k` as `term`: its ref, `count` and `pages` (every note, as Zola's
    /// `term.pages`, made once and shared by all the pages of a paginated term).
    /// With feeds, `feed_path` is the path of its feed from the root (`categories/x/atom.xml`).
    pub fn term_value(&self, k: usize, ti: usize, term: &Term) -> Value {
        let pages = list(term.notes.iter().map(|&j| self.refs[j].clone()));
        let feed = match self.feeds.get(k) {
            Some(Some(name)) => format!("{}atom.xml", crate::graph::term_url(name, &term.slug)),
            _ => String::new(),
        };
        extended(
            &self.term_refs[k][ti],
            [("pages", pages), ("feed_path", text(&feed))],
        )
    }

    /// The context for one page of a paginated term: `taxonomy`, `term` (from `term_value`) and
    /// `paginator`.
    pub fn term_pager_context(
        &self,
        k: usize,
        tax: &Taxonomy,
        term: &Term,
        value: &Value,
        pager: Pager,
    ) -> Context {
        let url = tax.term_url(&term.slug);
        let mut ctx = self.base_context(&pager_url(&url, pager.index), "term");
        let listed = term.notes.get(pager.range()).unwrap_or_default();
        let items = list(listed.iter().map(|&j| self.refs[j].clone()));
        ctx.insert_value("paginator", self.paginator(&url, pager, items));
        ctx.insert_value("taxonomy", self.taxonomy_values[k].clone());
        ctx.insert_value("term", value.clone());
        ctx
    }
}

/// The toc as nested `<ol>` lists of links to the headings (empty without headings): what
/// Hugo calls `.TableOfContents`. Escaped as templates escape, so it prints as is.
pub fn toc_html(toc: &[TocEntry]) -> String {
    fn list(toc: &[TocEntry], out: &mut Vec<u8>) {
        out.extend_from_slice(b"<ol>");
        for e in toc {
            out.extend_from_slice(b"<li><a href=\"#");
            write_html(&e.id, out).ok();
            out.extend_from_slice(b"\">");
            write_html(&e.title, out).ok();
            out.extend_from_slice(b"</a>");
            if !e.children.is_empty() {
                list(&e.children, out);
            }
            out.extend_from_slice(b"</li>");
        }
        out.extend_from_slice(b"</ol>");
    }
    if toc.is_empty() {
        return String::new();
    }
    let mut out = Vec::with_capacity(64 * toc.len());
    list(toc, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The notes before and after `i` in its section's reading order (`page.previous`, `page.next`).
pub fn siblings(
    graph: &Graph,
    parent: Option<NoteId>,
    i: NoteId,
) -> (Option<NoteId>, Option<NoteId>) {
    match parent {
        Some(p) => neighbours(&graph.pages[p], i),
        None => (None, None),
    }
}

/// The entries before and after `i` in `list`.
pub fn neighbours(list: &[NoteId], i: NoteId) -> (Option<NoteId>, Option<NoteId>) {
    match list.iter().position(|&j| j == i) {
        Some(k) => (k.checked_sub(1).map(|k| list[k]), list.get(k + 1).copied()),
        None => (None, None),
    }
}

/// An event as templates see it: `date` (ISO, only when the source gives a date),
/// `date_display` (the date written out, or the source's words), `when` (the source's words, if
/// that is how it is dated), `title`, `pending`, `on_axis`.
fn event_value(e: &crate::content::front_matter::Event) -> Value {
    obj([
        ("date", opt_text(e.date().map(|d| d.to_string()))),
        ("date_display", text(&e.when_shown())),
        ("when", opt_text(e.words().map(str::to_string))),
        ("title", text(&e.title)),
        ("pending", Value::from(e.pending)),
        ("on_axis", Value::from(e.group() == 0)),
    ])
}

/// A taxonomy's fields in `site.taxonomies` (and, with its terms, in `taxonomies`): `name`,
/// `title` (`Tags`), `path` and `feed` (whether its terms have feeds).
fn taxonomy_fields(tax: &Taxonomy, c: &SiteConfig, fl: bool) -> [(&'static str, Value); 4] {
    let feed = c.taxonomies.iter().any(|t| t.name == tax.name && t.feed);
    [
        ("name", text(&tax.name)),
        ("title", text(&tax.title())),
        ("path", text(&link_path(&tax.url(), fl))),
        ("feed", Value::from(feed)),
    ]
}

fn with_children(refs: &[Value], graph: &Graph, i: NoteId) -> Value {
    let pages = list(graph.pages[i].iter().map(|&j| refs[j].clone()));
    extended(&refs[i], [("pages", pages)])
}
