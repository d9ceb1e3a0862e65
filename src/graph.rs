//! The site graph: backlinks and outgoing links, section membership, taxonomies (tags and any
//! other the site lists) and the timeline.

use crate::content::front_matter::{Event, SortBy};
use crate::content::{Note, NoteId, NoteKind};
use crate::markdown::FoundLink;
use crate::obsidian::tags::slug as term_slug;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// One term of a taxonomy (a tag, a category) and the notes that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// URL segment (`<taxonomy>/<slug>/`).
    pub slug: String,
    /// Notes with this term, newest first.
    pub notes: Vec<NoteId>,
}

/// One taxonomy of the site (`tags`, `categories`): its terms and each note's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taxonomy {
    /// Its name, as `site.yaml` lists it: the front-matter key and its pages' first URL segment.
    pub name: String,
    /// All terms, sorted by slug.
    pub terms: Vec<Term>,
    /// For each note (by `NoteId`), indices into `terms`.
    pub note_terms: Vec<Vec<usize>>,
}

impl Taxonomy {
    /// URL path of its list page (`categories/`).
    pub fn url(&self) -> String {
        taxonomy_url(&self.name)
    }

    /// URL path of a term's page (`categories/diplomacy/`).
    pub fn term_url(&self, slug: &str) -> String {
        term_url(&self.name, slug)
    }

    /// Its name as a title: capitalised, `-` and `_` as spaces (`Tags`, `Categories`).
    pub fn title(&self) -> String {
        let mut chars = self.name.chars();
        chars.next().map_or_else(String::new, |c| {
            let rest = chars.map(|c| if c == '_' || c == '-' { ' ' } else { c });
            c.to_uppercase().chain(rest).collect()
        })
    }

    /// How messages name its list page (`the tag list`).
    pub fn what(&self) -> String {
        match self.name.as_str() {
            "tags" => "the tag list".into(),
            name => format!("the list of `{name}`"),
        }
    }

    /// How messages name a term's page (`the page of tag `x``).
    pub fn term_what(&self, term: &Term) -> String {
        match self.name.as_str() {
            "tags" => format!("the page of tag `{}`", term.name),
            name => format!("the page of `{}` in `{name}`", term.name),
        }
    }

    /// The term with `slug`, if any note has it.
    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
            .map(|k| &self.terms[k])
    }
}

/// URL path of the list page of the taxonomy `name`.
pub fn taxonomy_url(name: &str) -> String {
    format!("{name}/")
}

/// URL path of a term's page in the taxonomy `name`.
pub fn term_url(name: &str, slug: &str) -> String {
    format!("{name}/{slug}/")
}

/// One timeline entry: an event and the note it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// The event, as the note's front matter gives it.
    pub event: Event,
    /// The note that explains it.
    pub note: NoteId,
    /// Its place in that note's `events` (from 0).
    pub index: usize,
    /// The HTML id the event's `anchor` names in that note, once resolved
    /// (`timeline::resolve_anchors`).
    pub anchor: Option<String>,
}

/// Relations between notes, all lists in a deterministic order. The per-note lists are indexed
/// by `NoteId` (`graph.backlinks[id]`).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// For each note, the notes linking to it (in note order).
    pub backlinks: Vec<Vec<NoteId>>,
    /// For each note, the notes it links to (in order of first appearance).
    pub outgoing: Vec<Vec<NoteId>>,
    /// For each section (or home), its pages in reading order (weight, then title).
    pub pages: Vec<Vec<NoteId>>,
    /// For each section (or home), its direct subsections in reading order.
    pub subsections: Vec<Vec<NoteId>>,
    /// The site's taxonomies, in the order `site.yaml` lists them.
    pub taxonomies: Vec<Taxonomy>,
    /// Every event of every note: those on the axis oldest first, then undated, then pending.
    pub timeline: Vec<TimelineEntry>,
}

/// Orders a section's notes: by weight, newest date first, or title; ties by title, then path.
fn sort_notes(list: &mut [NoteId], notes: &[Note], sort_by: SortBy) {
    list.sort_by(|a, b| {
        let (x, y) = (&notes[*a], &notes[*b]);
        match sort_by {
            SortBy::Weight => x.front.weight.cmp(&y.front.weight),
            SortBy::Date => y.front.date.cmp(&x.front.date),
            SortBy::Title => std::cmp::Ordering::Equal,
        }
        .then_with(|| (&x.title, &x.rel_path).cmp(&(&y.title, &y.rel_path)))
    });
}

impl Graph {
    /// Puts back in order the lists that hold the `changed` notes (their section's pages and
    /// their terms' notes), after a title, date or weight changed. Links, terms and events must be
    /// unchanged.
    pub fn resort(&mut self, notes: &[Note], changed: &std::collections::BTreeSet<NoteId>) {
        for &i in changed {
            if let Some(p) = notes[i].parent {
                sort_notes(&mut self.pages[p], notes, notes[p].front.sort_by);
            }
            for tax in &mut self.taxonomies {
                for &t in &tax.note_terms[i] {
                    sort_term_notes(&mut tax.terms[t].notes, notes);
                }
            }
        }
    }

    /// The taxonomy named `name`, if the site has it.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// Orders a term's notes: newest date first, then title, then path.
fn sort_term_notes(list: &mut [NoteId], notes: &[Note]) {
    list.sort_by(|a, b| {
        let (x, y) = (&notes[*a], &notes[*b]);
        (y.front.date, &x.title, &x.rel_path).cmp(&(x.front.date, &y.title, &y.rel_path))
    });
}

/// Builds the graph from the notes, the links found in each, the tags written in each body
/// (`#tag`, which join the front-matter tags) and the names of the site's taxonomies.
pub fn build(
    notes: &[Note],
    links: &[&[FoundLink]],
    inline_tags: &[&[String]],
    taxonomies: &[&str],
) -> Graph {
    let n = notes.len();
    let mut g = Graph {
        backlinks: vec![Vec::new(); n],
        outgoing: vec![Vec::new(); n],
        pages: vec![Vec::new(); n],
        subsections: vec![Vec::new(); n],
        ..Graph::default()
    };
    for (from, found) in NoteId::enumerate(links) {
        for l in found.iter() {
            if l.note != from && !g.outgoing[from].contains(&l.note) {
                g.outgoing[from].push(l.note);
            }
        }
        for &to in &g.outgoing[from] {
            g.backlinks[to].push(from);
        }
    }
    for (i, note) in NoteId::enumerate(notes) {
        if let Some(p) = note.parent {
            match note.kind {
                NoteKind::Page => g.pages[p].push(i),
                NoteKind::Section => g.subsections[p].push(i),
                NoteKind::Home => {}
            }
        }
    }
    g.pages
        .par_iter_mut()
        .zip(g.subsections.par_iter_mut())
        .enumerate()
        .for_each(|(i, (pages, subsections))| {
            sort_notes(pages, notes, notes[i].front.sort_by);
            sort_notes(subsections, notes, SortBy::Weight);
        });
    g.taxonomies = taxonomies
        .iter()
        .map(|name| taxonomy(name, notes, inline_tags))
        .collect();
    for (i, note) in NoteId::enumerate(notes) {
        for (index, e) in note.front.events.iter().enumerate() {
            g.timeline.push(TimelineEntry {
                event: e.clone(),
                note: i,
                index,
                anchor: None,
            });
        }
    }
    // Stable sort: same-date events (and the undated and pending ones) keep note order, then
    // their order in the note.
    g.timeline
        .sort_by_key(|e| (e.event.group(), e.event.placed_at()));
    g
}

/// The taxonomy `name`: every note's terms under that front-matter key (and, for `tags`, the
/// tags written in its body).
fn taxonomy(name: &str, notes: &[Note], inline_tags: &[&[String]]) -> Taxonomy {
    let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
    // Term names repeat across notes: slugify each name once.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    let is_tags = name == "tags";
    for (i, note) in NoteId::enumerate(notes) {
        let inline = match is_tags {
            true => inline_tags.get(i.index()).copied().unwrap_or_default(),
            false => &[],
        };
        for t in note.front.terms_of(name).iter().chain(inline) {
            let slug = slugs
                .entry(t.as_str())
                .or_insert_with(|| term_slug(t))
                .clone();
            let entry = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                name: t.clone(),
                slug,
                notes: Vec::new(),
            });
            if entry.notes.last() != Some(&i) {
                entry.notes.push(i);
            }
        }
    }
    let mut tax = Taxonomy {
        name: name.to_string(),
        terms: by_slug.into_values().collect(),
        note_terms: vec![Vec::new(); notes.len()],
    };
    tax.terms
        .par_iter_mut()
        .for_each(|t| sort_term_notes(&mut t.notes, notes));
    for (ti, t) in tax.terms.iter().enumerate() {
        for &i in &t.notes {
            tax.note_terms[i].push(ti);
        }
    }
    tax
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::date::SiteDate;
    use crate::content::front_matter::{EventTime, FrontMatter};

    fn note(
        path: &str,
        kind: NoteKind,
        parent: Option<NoteId>,
        tags: &[&str],
        events: &[(&str, &str)],
    ) -> Note {
        Note {
            kind,
            rel_path: path.into(),
            display_path: format!("content/{path}"),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: FrontMatter {
                tags: tags.iter().map(|s| s.to_string()).collect(),
                events: events
                    .iter()
                    .map(|(d, t)| Event {
                        title: t.to_string(),
                        time: SiteDate::parse(d).map_or(EventTime::Undated, EventTime::Date),
                        pending: d.is_empty(),
                        anchor: None,
                    })
                    .collect(),
                ..FrontMatter::default()
            },
            title: path.into(),
            url: String::new(),
            parent,
        }
    }

    #[test]
    fn backlinks_tags_and_timeline() {
        let notes = vec![
            note("_index.md", NoteKind::Home, None, &[], &[]),
            note(
                "a.md",
                NoteKind::Page,
                Some(NoteId::HOME),
                &["X", "y"],
                &[("2023-09-23", "late")],
            ),
            note(
                "b.md",
                NoteKind::Page,
                Some(NoteId::HOME),
                &["x"],
                &[("", "next"), ("2014-07", "early"), ("2019", "mid")],
            ),
        ];
        let link = |n| FoundLink {
            note: NoteId::new(n),
            fragment: None,
            span: 0..1,
        };
        let links = [vec![link(1), link(2)], vec![link(2), link(2)], vec![]];
        let slices: Vec<&[FoundLink]> = links.iter().map(Vec::as_slice).collect();
        let mut notes = notes;
        notes[2].front.terms = vec![("categories".into(), vec!["Trade".into()])];
        let g = build(&notes, &slices, &[], &["tags", "categories"]);
        let ids = |i: &[usize]| i.iter().copied().map(NoteId::new).collect::<Vec<_>>();
        assert_eq!(g.backlinks[2], ids(&[0, 1]));
        assert_eq!(g.outgoing[1], ids(&[2]));
        assert_eq!(g.pages[0], ids(&[1, 2]));
        let tags = &g.taxonomies[0];
        assert_eq!(
            tags.terms
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>(),
            vec!["x", "y"]
        );
        assert_eq!(tags.terms[0].notes.len(), 2);
        let categories = g.taxonomy("categories").unwrap();
        assert_eq!(categories.term("trade").unwrap().notes, ids(&[2]));
        assert_eq!(categories.note_terms, vec![vec![], vec![], vec![0]]);
        assert_eq!(categories.term_url("trade"), "categories/trade/");
        let titles: Vec<&str> = g.timeline.iter().map(|e| e.event.title.as_str()).collect();
        assert_eq!(
            titles,
            vec!["early", "mid", "late", "next"],
            "pending after the axis"
        );
    }
}
