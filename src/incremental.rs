//! Incremental rebuilds: from a set of changed files and the previous analysis, an updated analysis
//! and the parts of the site that must be rendered again. Anything it cannot reason about locally
//! (a template or site.yaml change, a note added, removed, renamed or re-slugged) falls back to a
//! full analysis; the result always equals a clean build.

use crate::config::Settings;
use crate::content::{self, Note, NoteId, NoteKind, load::Found};
use crate::diagnostics::Diagnostics;
use crate::graph::{Graph, Taxonomy};
use crate::markdown;
use crate::obsidian::tags::slug as term_slug;
use crate::paginate::{changed_pagers, pager_count};
use crate::pipeline::{self, Analysis, Parts, Selection};
use crate::site_outputs::{self, Global, SiteChange};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Files that changed, by kind; paths are relative to their folder (`content/`, `static/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// `.md` files under `content/`.
    pub notes: BTreeSet<String>,
    /// Other files under `content/`.
    pub assets: BTreeSet<String>,
    /// Files under `static/`.
    pub statics: BTreeSet<String>,
    /// Anything under `templates/`.
    pub templates: bool,
    /// `site.yaml`.
    pub config: bool,
    /// A folder appeared, disappeared or was renamed: look at everything again.
    pub rescan: bool,
}

impl ChangeSet {
    /// True when nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
            && self.assets.is_empty()
            && self.statics.is_empty()
            && !self.templates
            && !self.config
            && !self.rescan
    }

    /// The changed files as the user knows them (`content/topics/xi-visit.md`), for the log line.
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        if self.config {
            names.push("site.yaml".into());
        }
        if self.templates {
            names.push("templates/".into());
        }
        names.extend(
            self.notes
                .iter()
                .chain(&self.assets)
                .map(|p| format!("content/{p}")),
        );
        names.extend(self.statics.iter().map(|p| format!("static/{p}")));
        match names.len() {
            0 => String::new(),
            1..=3 => names.join(", "),
            n => format!("{}, … and {} more", names[..2].join(", "), n - 2),
        }
    }
}

/// How one note changed, as far as other pages are concerned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoteChange {
    /// What other pages show of it changed: title, description, date, weight, terms or extra.
    pub reference: bool,
    /// Its title changed (wikilinks to it show the title).
    pub title: bool,
    /// Its timeline events changed.
    pub events: bool,
    /// Its terms changed, in any taxonomy (tags included).
    pub terms: bool,
    /// Its `updated` date changed (feed and sitemap show it).
    pub updated: bool,
}

/// Compares two versions of a note. `None` means a structural change that needs a full rebuild.
pub fn compare(old: &Note, new: &Note) -> Option<NoteChange> {
    let (a, b) = (&old.front, &new.front);
    if old.url != new.url
        || old.kind != new.kind
        || a.aliases != b.aliases
        || a.draft != b.draft
        || a.publish != b.publish
        || a.sort_by != b.sort_by
        || a.template != b.template
        || a.paginate_by != b.paginate_by
    {
        return None;
    }
    let terms = a.tags != b.tags || a.terms != b.terms;
    let reference = old.title != new.title
        || a.description != b.description
        || a.date != b.date
        || a.weight != b.weight
        || terms
        || a.extra != b.extra;
    Some(NoteChange {
        reference,
        title: old.title != new.title,
        events: a.events != b.events,
        terms,
        updated: a.updated != b.updated,
    })
}

/// Applies `changes` to `prev`. Returns the new analysis and what to render again.
pub fn update(
    settings: &Settings,
    prev: Analysis,
    changes: &ChangeSet,
) -> Result<(Analysis, Selection), Diagnostics> {
    let full = || pipeline::analyze(settings).map(|a| (a, Selection::All));
    if changes.config || changes.templates || changes.rescan {
        return full();
    }
    if !(changes.statics.is_empty() && changes.assets.is_empty())
        && prev.templates.uses_asset_urls()
    {
        return full(); // pages carry the files' hashes
    }
    for rel in changes.assets.iter().chain(&changes.statics) {
        let in_content = changes.assets.contains(rel);
        let dir = if in_content {
            &settings.content_dir
        } else {
            &settings.static_dir
        };
        let existed = !in_content || prev.content.assets.iter().any(|a| &a.rel == rel);
        if dir.join(rel).is_file() != existed || !dir.join(rel).is_file() {
            return full(); // an asset appeared or disappeared: links may resolve differently
        }
    }
    let mut replaced: Vec<(NoteId, Note)> = Vec::new();
    for rel in &changes.notes {
        let abs = settings.content_dir.join(rel);
        match (prev.links.note_at(rel), abs.is_file()) {
            (None, false) => {}
            (Some(_), false) | (None, true) => return full(),
            (Some(i), true) => {
                let found = Found {
                    abs,
                    rel: rel.clone(),
                };
                let note = content::read_note(
                    &found,
                    &settings.root,
                    &content::front_matter::Rules::of(&settings.config),
                )
                .map_err(Diagnostics)?;
                replaced.push((i, note));
            }
        }
    }
    let mut changes_by_note: Vec<(NoteId, NoteChange, Note)> = Vec::new();
    let Analysis {
        mut content,
        mut rendered,
        mut contents,
        graph: old_graph,
        templates,
        values,
        redirects,
        links: index,
        mut outlines,
        search,
        previews,
        search_cache,
        mut images,
        ..
    } = prev;
    for (i, mut note) in replaced {
        note.parent = content.notes[i].parent;
        if content.notes[i].kind == NoteKind::Home && note.front.title.is_none() {
            note.title = settings.config.title.clone();
        }
        let Some(change) = compare(&content.notes[i], &note) else {
            return full();
        };
        if change.reference && note.kind != NoteKind::Page {
            return full();
        }
        let old = std::mem::replace(&mut content.notes[i], note);
        changes_by_note.push((i, change, old));
    }
    // Markdown to render again: the changed notes, notes whose wikilinks show a changed title,
    // and notes linking to a note whose headings or block ids changed (their fragments resolve
    // against them).
    let mut again: BTreeSet<NoteId> = changes_by_note.iter().map(|(i, ..)| *i).collect();
    for (i, change, _) in &mut changes_by_note {
        let fresh = crate::outline::outline(content.notes[*i].body());
        let anchors_changed = !fresh.same_anchors(&outlines[*i]);
        // An event's `anchor` resolves against the headings: the timeline may link elsewhere.
        change.events |= anchors_changed
            && content.notes[*i]
                .front
                .events
                .iter()
                .any(|e| e.anchor.is_some());
        if anchors_changed && settings.config.missing_links == crate::config::MissingLinks::Warn {
            // A new heading may complete a link shown as unresolved, which no backlink records.
            return full();
        }
        outlines[*i] = fresh;
        if change.title || anchors_changed {
            again.extend(old_graph.backlinks[*i].iter().copied());
        }
    }
    // Pages that show an edited note through an embed show the edit too.
    let changed_notes: BTreeSet<NoteId> = changes_by_note.iter().map(|(i, ..)| *i).collect();
    let embedders: BTreeSet<NoteId> = NoteId::enumerate(&rendered)
        .filter(|(_, r)| r.embeds.iter().any(|e| changed_notes.contains(e)))
        .map(|(i, _)| i)
        .collect();
    again.extend(embedders.iter().copied());
    // Pages that show a changed image (directly or through an embed) show its new size.
    let changed_images: Vec<&String> = changes
        .assets
        .iter()
        .filter(|rel| images.is_image(rel))
        .collect();
    for rel in &changed_images {
        let before = images.variants_of(rel);
        images.forget(rel);
        // Copies the image no longer has would stay in the output: a full rebuild removes them.
        if !before.is_empty() && images.measure_again(rel) != before {
            return full();
        }
    }
    let showing: BTreeSet<NoteId> = NoteId::enumerate(&rendered)
        .filter(|(_, r)| r.images.iter().any(|f| changed_images.contains(&f)))
        .map(|(i, _)| i)
        .collect();
    again.extend(
        NoteId::enumerate(&rendered)
            .filter(|(_, r)| r.embeds.iter().any(|e| showing.contains(e)))
            .map(|(i, _)| i),
    );
    again.extend(showing);
    let share = crate::search::text_share(content.notes.len());
    let bodies: Vec<&str> = content.notes.iter().map(Note::body).collect();
    let fresh: Vec<(NoteId, markdown::Rendered)> = again
        .par_iter()
        .map(|&i| {
            let r = pipeline::render_markdown(
                settings,
                &index,
                &images,
                &content.notes,
                &outlines,
                &bodies,
                i,
                share,
            );
            (i, r)
        })
        .collect();
    drop(bodies);
    // Tags written in a body (`#tag`) are known once it is rendered: they change the note's
    // tags as front-matter tags do.
    for (i, r) in &fresh {
        let Some((_, change, old)) = changes_by_note.iter_mut().find(|(j, ..)| j == i) else {
            continue;
        };
        for tax in &old_graph.taxonomies {
            let all = |n: &Note, r: &markdown::Rendered| -> Vec<String> {
                let inline = if tax.name == "tags" { &r.tags[..] } else { &[] };
                n.front
                    .terms_of(&tax.name)
                    .iter()
                    .chain(inline)
                    .cloned()
                    .collect()
            };
            let (before, after) = (all(old, &rendered[*i]), all(&content.notes[*i], r));
            if before != after {
                if content.notes[*i].kind != NoteKind::Page {
                    return full();
                }
                change.terms = true;
                change.reference = true;
                if term_page_comes_or_goes(tax, *i, &before, &after) {
                    return full();
                }
            }
        }
    }
    // The graph stays valid when no note's reference, events or link targets changed.
    let targets = |r: &markdown::Rendered| {
        let mut seen: Vec<NoteId> = Vec::new();
        for l in &r.links {
            if !seen.contains(&l.note) {
                seen.push(l.note);
            }
        }
        seen
    };
    let mut same_links = fresh
        .iter()
        .all(|(i, r)| targets(r) == targets(&rendered[*i]));
    for (i, mut r) in fresh {
        let minutes = |words| crate::context::reading_time(words);
        if minutes(rendered[i].words) != minutes(r.words)
            && let Some(entry) = changes_by_note.iter_mut().find(|(j, ..)| *j == i)
        {
            // Lists show reading time: the note's reference changed.
            if content.notes[i].kind != NoteKind::Page {
                return full();
            }
            entry.1.reference = true;
        }
        contents[i] = pipeline::take_html(&mut r);
        rendered[i] = r;
    }
    // What the previous analysis still knows. The graph holds links, tags, events and the order
    // of lists: with the same links, tags and events it stays, re-sorted if a title, date or
    // weight changed. The template values hold every note's reference and the timeline: they
    // stay as they are if none changed, and keep the unchanged notes' references otherwise
    // (unless tags changed: a reference embeds its tags).
    let no_reference = changes_by_note.iter().all(|(_, c, _)| !c.reference);
    let no_events = changes_by_note.iter().all(|(_, c, _)| !c.events);
    let no_tags = changes_by_note.iter().all(|(_, c, _)| !c.terms);
    let changed: BTreeSet<NoteId> = changes_by_note.iter().map(|(i, ..)| *i).collect();
    same_links &= no_events && no_tags;
    // The lists the changed notes are in, in their order before the edit (a re-sort loses it):
    // a paginated list renders again only its pages whose notes moved or changed.
    let orders = ListOrders::capture(&old_graph, &content.notes, &changed);
    let (reused_graph, old_graph) = if same_links {
        let mut g = old_graph;
        if !no_reference {
            g.resort(&content.notes, &changed);
        }
        (Some(g), None)
    } else {
        (None, Some(old_graph))
    };
    let values = if no_reference && no_events {
        pipeline::ValuesReuse::Same(values)
    } else if no_tags {
        pipeline::ValuesReuse::Refresh(values, changed)
    } else {
        pipeline::ValuesReuse::Fresh
    };
    // The search entries of the notes rendered again, to tell afterwards whether the index changed.
    let entries_before: Vec<(NoteId, Option<crate::search::Doc>)> = again
        .iter()
        .map(|&i| (i, search.get(i.index()).cloned()))
        .collect();
    // Likewise the preview entries, to rewrite only the data files that changed.
    let previews_before: Vec<(NoteId, Option<String>)> = again
        .iter()
        .map(|&i| (i, previews.get(i.index()).cloned()))
        .collect();
    let reuse = pipeline::Reuse {
        values,
        graph: reused_graph,
        redirects: Some(redirects),
        search: settings
            .config
            .search
            .then(|| (search, again.iter().copied().collect())),
        previews: settings
            .config
            .previews
            .then(|| (previews, again.iter().copied().collect())),
        search_cache,
    };
    let analysis = crate::timings::phase("checks and graph", || {
        pipeline::finish(
            settings,
            pipeline::Analyzed {
                content,
                links: index,
                images,
                outlines,
                rendered,
                contents,
            },
            Some(templates),
            Vec::new(),
            reuse,
        )
    })?;
    let old = old_graph.as_ref().unwrap_or(&analysis.graph);
    let Some((mut parts, mut site)) = affected(&analysis, old, &orders, &changes_by_note, changes)
    else {
        // A paginated list gained or lost a page: render everything, so that a page gone is
        // removed (only a complete render removes files).
        return Ok((analysis, Selection::All));
    };
    // Every note whose Markdown was rendered again (its links may point elsewhere now).
    parts.notes.extend(again.iter().copied());
    // An edit past the indexed part of a note leaves the search index as it was: do not rewrite it.
    site.search = entries_before
        .iter()
        .any(|(i, before)| analysis.search.get(i.index()) != before.as_ref());
    parts.site = site_outputs::affected(&site, &analysis.templates);
    let shards = crate::previews::shards(analysis.content.notes.len());
    parts.previews = previews_before
        .iter()
        .filter(|(i, before)| analysis.previews.get(i.index()) != before.as_ref())
        .map(|(i, _)| crate::previews::shard_of(&analysis.content.notes[*i].url, shards))
        .collect();
    Ok((analysis, Selection::Some(parts)))
}

/// The lists holding some notes (their sections' pages and their tags' notes), in the order
/// they had before an edit.
#[derive(Debug, Default)]
pub struct ListOrders {
    /// Section (or home) → its pages.
    sections: HashMap<NoteId, Vec<NoteId>>,
    /// (Taxonomy, term slug) → its notes.
    terms: HashMap<(usize, String), Vec<NoteId>>,
}

impl ListOrders {
    /// The lists of `graph` that hold one of the `changed` notes.
    pub fn capture(graph: &Graph, notes: &[Note], changed: &BTreeSet<NoteId>) -> ListOrders {
        let mut orders = ListOrders::default();
        for &i in changed {
            if let Some(p) = notes[i].parent {
                orders
                    .sections
                    .entry(p)
                    .or_insert_with(|| graph.pages[p].clone());
            }
            for (k, tax) in graph.taxonomies.iter().enumerate() {
                for &t in &tax.note_terms[i] {
                    let term = &tax.terms[t];
                    orders
                        .terms
                        .entry((k, term.slug.clone()))
                        .or_insert_with(|| term.notes.clone());
                }
            }
        }
        orders
    }

    /// Section `s`'s pages before the edit, given the graph before it (`old`, which may be the
    /// new graph re-sorted: the lists captured come first).
    fn section<'a>(&'a self, old: &'a Graph, s: NoteId) -> &'a [NoteId] {
        self.sections.get(&s).unwrap_or(&old.pages[s])
    }

    /// A term's notes before the edit (empty if the term is new).
    fn term<'a>(&'a self, old: &'a Graph, k: usize, slug: &str) -> &'a [NoteId] {
        match self.terms.get(&(k, slug.to_string())) {
            Some(l) => l,
            None => (old.taxonomies.get(k))
                .and_then(|tax| tax.term(slug))
                .map_or(&[], |t| t.notes.as_slice()),
        }
    }
}

/// True if changing note `i`'s terms in `old` (a taxonomy before the edit) from `before` to
/// `after` adds a term page or leaves one empty.
fn term_page_comes_or_goes(old: &Taxonomy, i: NoteId, before: &[String], after: &[String]) -> bool {
    let slugs = |terms: &[String]| terms.iter().map(|t| term_slug(t)).collect::<BTreeSet<_>>();
    slugs(before)
        .symmetric_difference(&slugs(after))
        .any(|s| match old.term(s) {
            None => true,
            Some(t) => t.notes.iter().all(|&n| n == i),
        })
}

/// The pages that show something of the changed notes, and what changed for the site-wide
/// outputs (all but whether the search index changed, known only later); `None` when a paginated list gained or
/// lost a page (everything must be rendered). `orders` holds the lists of the changed notes as
/// they were (`old` may be the new graph, re-sorted).
pub fn affected(
    a: &Analysis,
    old: &Graph,
    orders: &ListOrders,
    changed: &[(NoteId, NoteChange, Note)],
    changes: &ChangeSet,
) -> Option<(Parts, SiteChange)> {
    let notes = &a.content.notes;
    let new = &a.graph;
    let mut parts = Parts {
        assets: changes.assets.clone(),
        statics: changes.statics.clone(),
        ..Parts::default()
    };
    let mut site = SiteChange::default();
    // Lists (sections and tags) and the notes in them whose entries changed.
    let mut in_sections: BTreeMap<NoteId, BTreeSet<NoteId>> = BTreeMap::new();
    let mut in_terms: BTreeMap<(usize, &str), BTreeSet<NoteId>> = BTreeMap::new();
    let mut shown_in_section = |t: NoteId| {
        if let Some(s) = notes[t].parent {
            in_sections.entry(s).or_default().insert(t);
        }
    };
    for (i, change, before) in changed {
        let i = *i;
        parts.notes.insert(i);
        site.listings |= change.reference || change.updated;
        let (out0, out1) = (&old.outgoing[i], &new.outgoing[i]);
        site.links |= change.reference || out0 != out1;
        for t in out0.iter().chain(out1) {
            if out0.contains(t) != out1.contains(t) {
                parts.notes.insert(*t); // its backlinks list changed
                shown_in_section(*t); // which its section's list shows
            }
        }
        if change.reference {
            parts.notes.extend(
                old.backlinks[i]
                    .iter()
                    .chain(&new.backlinks[i])
                    .chain(out0)
                    .chain(out1),
            );
            // Sections list their notes' backlinks, so a section whose note this one links to
            // shows this reference too.
            out0.iter().chain(out1).for_each(|&t| shown_in_section(t));
            // `page.previous` / `page.next` of the notes around it, before and after a move (the
            // graph's lists may already be re-sorted: the order before is in `orders`).
            if let Some(p) = notes[i].parent {
                let before = orders.sections.get(&p).unwrap_or(&old.pages[p]);
                for list in [before, &new.pages[p]] {
                    let (a, b) = crate::context::neighbours(list, i);
                    parts.notes.extend(a.into_iter().chain(b));
                }
            }
            // Its section lists it; the section above shows it among its subsections' pages.
            shown_in_section(i);
            if let Some(above) = notes[i].parent.and_then(|s| notes[s].parent) {
                parts.notes.insert(above);
            }
            for g in [old, new] {
                for (k, tax) in g.taxonomies.iter().enumerate() {
                    for &t in &tax.note_terms[i] {
                        in_terms
                            .entry((k, &tax.terms[t].slug))
                            .or_default()
                            .insert(i);
                    }
                }
            }
            site.terms |= change.terms;
            site.globals.extend([Global::Pages, Global::Sections]);
            if change.terms {
                site.globals.extend([Global::Tags, Global::Taxonomies]);
            }
        }
        let has_events = !before.front.events.is_empty() || !notes[i].front.events.is_empty();
        if change.events || (change.reference && has_events) {
            site.events = true;
            site.globals.insert(Global::Timeline);
        }
    }
    // A paginated list renders the pages whose notes moved or changed; another, its one page.
    for (s, shown) in in_sections {
        let (per, after) = (a.pagination.per_note(s), &new.pages[s]);
        let before = orders.section(old, s);
        if per == 0 {
            parts.notes.insert(s);
        } else if pager_count(before.len(), per) != pager_count(after.len(), per) {
            return None;
        } else {
            let pagers = changed_pagers(before, after, per, &|j| shown.contains(&j));
            parts.pagers.extend(pagers.into_iter().map(|k| (s, k)));
        }
    }
    let per = a.pagination.per_term();
    for ((k, slug), shown) in in_terms {
        let before = orders.term(old, k, slug);
        let after = new.taxonomies.get(k).and_then(|tax| tax.term(slug));
        let after = after.map_or(&[][..], |t| t.notes.as_slice());
        if per == 0 {
            parts.terms.insert((k, slug.to_string()));
        } else if pager_count(before.len(), per) != pager_count(after.len(), per) {
            return None;
        } else {
            let pagers = changed_pagers(before, after, per, &|j| shown.contains(&j));
            parts
                .term_pagers
                .extend(pagers.into_iter().map(|p| (k, slug.to_string(), p)));
        }
    }
    // The notes whose template reads a site-wide value that changed.
    if !site.globals.is_empty() {
        let mut memo: HashMap<&str, bool> = HashMap::new();
        for (i, n) in NoteId::enumerate(notes) {
            let name = n.template();
            if *memo
                .entry(name)
                .or_insert_with(|| site.read_by(&a.templates, name))
            {
                parts.notes.insert(i);
            }
        }
    }
    Some((parts, site))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::date::SiteDate;
    use crate::content::front_matter::{Event, EventTime, FrontMatter};

    fn note(title: &str, front: FrontMatter) -> Note {
        Note {
            kind: NoteKind::Page,
            rel_path: "a.md".into(),
            display_path: "content/a.md".into(),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front,
            title: title.into(),
            url: "a/".into(),
            parent: Some(NoteId::HOME),
        }
    }

    /// What depends on a change: each edit of a note and how other pages are affected.
    #[test]
    fn what_depends_on_a_change() {
        let base = FrontMatter {
            tags: vec!["x".into()],
            ..FrontMatter::default()
        };
        let event = Event {
            title: "e".into(),
            time: EventTime::Date(SiteDate::parse("2019").unwrap()),
            pending: false,
            anchor: None,
        };
        type Case = (&'static str, Note, Option<(bool, bool, bool, bool, bool)>);
        let old = note("A", base.clone());
        // (edit, new version, Some((reference, title, events, tags, updated)) or None = full rebuild)
        let cases: Vec<Case> = vec![
            (
                "body only",
                note("A", base.clone()),
                Some((false, false, false, false, false)),
            ),
            (
                "title",
                note("B", base.clone()),
                Some((true, true, false, false, false)),
            ),
            (
                "description",
                note(
                    "A",
                    FrontMatter {
                        description: Some("d".into()),
                        ..base.clone()
                    },
                ),
                Some((true, false, false, false, false)),
            ),
            (
                "date",
                note(
                    "A",
                    FrontMatter {
                        date: SiteDate::parse("2023-10-02"),
                        ..base.clone()
                    },
                ),
                Some((true, false, false, false, false)),
            ),
            (
                "weight",
                note(
                    "A",
                    FrontMatter {
                        weight: 3,
                        ..base.clone()
                    },
                ),
                Some((true, false, false, false, false)),
            ),
            (
                "tags",
                note(
                    "A",
                    FrontMatter {
                        tags: vec!["y".into()],
                        ..base.clone()
                    },
                ),
                Some((true, false, false, true, false)),
            ),
            (
                "events",
                note(
                    "A",
                    FrontMatter {
                        events: vec![event],
                        ..base.clone()
                    },
                ),
                Some((false, false, true, false, false)),
            ),
            (
                "updated",
                note(
                    "A",
                    FrontMatter {
                        updated: SiteDate::parse("2023-10-03"),
                        ..base.clone()
                    },
                ),
                Some((false, false, false, false, true)),
            ),
            (
                "sources",
                note(
                    "A",
                    FrontMatter {
                        sources: vec!["s".into()],
                        ..base.clone()
                    },
                ),
                Some((false, false, false, false, false)),
            ),
            (
                "aliases",
                note(
                    "A",
                    FrontMatter {
                        aliases: vec!["other".into()],
                        ..base.clone()
                    },
                ),
                None,
            ),
            (
                "draft",
                note(
                    "A",
                    FrontMatter {
                        draft: true,
                        ..base.clone()
                    },
                ),
                None,
            ),
            (
                "template",
                note(
                    "A",
                    FrontMatter {
                        template: Some("t.html".into()),
                        ..base.clone()
                    },
                ),
                None,
            ),
            (
                "slug",
                Note {
                    url: "b/".into(),
                    ..note("A", base.clone())
                },
                None,
            ),
        ];
        for (edit, new, want) in cases {
            let got =
                compare(&old, &new).map(|c| (c.reference, c.title, c.events, c.terms, c.updated));
            assert_eq!(got, want, "{edit}");
        }
    }
}
