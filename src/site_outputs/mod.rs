//! The site-wide outputs, everything but the notes' own pages: one type per output, each knowing
//! the files it writes, how it renders them and which changes make it render again, gathered in
//! one registry (`REGISTRY`) that full builds, incremental rebuilds and the sitemap read. A new
//! output is one file here and one line in the registry.

mod favicon;
mod feed;
mod graph_page;
mod not_found;
mod previews;
mod redirects;
mod search;
mod sitemap;
mod taxonomy;
mod timeline;

pub use favicon::Favicon;
pub use feed::{Feed, feed_entries};
pub use graph_page::GraphPage;
pub use not_found::NotFound;
pub use previews::Previews;
pub use redirects::Redirects;
pub use search::SearchIndex;
pub use sitemap::Sitemap;
pub use taxonomy::{TaxonomyLists, TermFeeds, TermPages};
pub use timeline::Timeline;

use crate::cards::{Card, Cards};
use crate::config::Settings;
use crate::content::{Content, NoteId};
use crate::context::SiteValues;
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::paginate::Pagination;
use crate::selection::Parts;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Every site-wide output (they render in parallel; the sitemap lists their pages in this order).
pub static REGISTRY: &[&dyn SiteOutput] = &[
    &TaxonomyLists,
    &TermPages,
    &TermFeeds,
    &Timeline,
    &GraphPage,
    &NotFound,
    &Redirects,
    &Feed,
    &Sitemap,
    &SearchIndex,
    &Previews,
    &Favicon,
];

/// One site-wide output.
pub trait SiteOutput: Sync {
    /// Its name in `Parts::site`, messages and timings.
    fn name(&self) -> &'static str;

    /// Whether an incremental rebuild that changed `change` renders it whole. Some outputs also
    /// render smaller parts that `Parts` names (a changed term's pages, a preview shard).
    fn affected(&self, change: &SiteChange, templates: &Templates) -> bool;

    /// The pages it publishes, as URL paths from the site's root (`timeline/`), for the sitemap.
    fn pages(&self, _site: &Site<'_>) -> Vec<String> {
        Vec::new()
    }

    /// Renders what `scope` selects of it, handing each file to `emit`; returns the problems.
    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic>;
}

/// Writes a rendered file: its path from the output's root and its bytes, or why it failed.
pub type EmitBytes<'a> =
    dyn Fn(String, Result<Vec<u8>, Diagnostic>) -> Result<(), Diagnostic> + Sync + 'a;

/// What the site-wide outputs read of a checked site.
pub struct Site<'a> {
    /// The build's settings and `site.yaml`.
    pub settings: &'a Settings,
    /// The notes and assets.
    pub content: &'a Content,
    /// Links, sections, taxonomies and timeline.
    pub graph: &'a Graph,
    /// The loaded templates.
    pub templates: &'a Templates,
    /// The template values every page shares.
    pub values: &'a SiteValues,
    /// Which lists are split into pages.
    pub pagination: &'a Pagination,
    /// Each page's social card, when the site has them.
    pub cards: Option<&'a Cards>,
    /// Alias redirect pages: (URL, target note).
    pub redirects: &'a [(String, NoteId)],
    /// Each note's part of the search index.
    pub search: &'a [crate::search::Doc],
    /// The search index's words from its last writing.
    pub search_cache: &'a crate::search::Cache,
    /// Each note's link-preview entry.
    pub previews: &'a [String],
}

impl Site<'_> {
    /// A card as its page's template reads it (`card`), when the site has cards.
    pub fn card_value(&self, pick: impl FnOnce(&Cards) -> Option<&Card>) -> Option<tera::Value> {
        let cards = self.cards?;
        pick(cards).map(|card| cards.value(card, &self.settings.config.base_url))
    }
}

/// What a render covers of the site-wide outputs.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    /// Everything (a full build).
    All,
    /// What an incremental rebuild selected.
    Some(&'a Parts),
}

impl<'a> Scope<'a> {
    /// Whether this is a full build.
    pub fn all(&self) -> bool {
        matches!(self, Scope::All)
    }

    /// Whether `o` is rendered whole.
    pub fn whole(&self, o: &dyn SiteOutput) -> bool {
        match self {
            Scope::All => true,
            Scope::Some(p) => p.renders(o),
        }
    }

    /// The parts selected, on an incremental rebuild.
    pub fn parts(&self) -> Option<&'a Parts> {
        match self {
            Scope::All => None,
            Scope::Some(p) => Some(p),
        }
    }
}

/// What an edit changed, in the terms the site-wide outputs decide by (see `SiteOutput::affected`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChange {
    /// A note's entry in the search index changed.
    pub search: bool,
    /// What lists show of a note changed: its title, dates, description or place (feeds, sitemap).
    pub listings: bool,
    /// A title changed, or a link between notes came or went (the graph page draws both).
    pub links: bool,
    /// A note's terms (tags, categories…) changed.
    pub terms: bool,
    /// The timeline changed (a note's events, or the title or place of a note with events).
    pub events: bool,
    /// The site-wide template values that changed.
    pub globals: BTreeSet<Global>,
}

/// A template value every page may read, which an edit can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Global {
    /// `pages`: every note.
    Pages,
    /// `sections`.
    Sections,
    /// `tags`.
    Tags,
    /// `taxonomies`.
    Taxonomies,
    /// `timeline`.
    Timeline,
}

impl Global {
    /// Its name in templates.
    pub fn name(self) -> &'static str {
        match self {
            Global::Pages => "pages",
            Global::Sections => "sections",
            Global::Tags => "tags",
            Global::Taxonomies => "taxonomies",
            Global::Timeline => "timeline",
        }
    }
}

impl SiteChange {
    /// Whether the template `name` reads a value that changed. `timeline_svg()` draws the
    /// timeline without reading the `timeline` variable, so a call counts as reading it.
    pub fn read_by(&self, templates: &Templates, name: &str) -> bool {
        let draws = self.globals.contains(&Global::Timeline);
        self.globals.iter().any(|g| templates.uses(name, g.name()))
            || (draws && templates.calls(name, "timeline_svg"))
    }
}

/// The names of the outputs that `change` makes render whole.
pub fn affected(change: &SiteChange, templates: &Templates) -> BTreeSet<&'static str> {
    (REGISTRY.iter())
        .filter(|o| o.affected(change, templates))
        .map(|o| o.name())
        .collect()
}

/// Renders what `scope` selects of every site-wide output, the outputs in parallel.
pub fn render(site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
    REGISTRY
        .par_iter()
        .flat_map_iter(|o| crate::timings::phase(o.name(), || o.render(site, scope, emit)))
        .collect()
}

/// Renders one page of a site-wide output with its template, and its social card if any.
fn page(
    site: &Site<'_>,
    mut ctx: tera::Context,
    card: Option<tera::Value>,
    template: &str,
    what: &str,
    url: &str,
    emit: &EmitBytes<'_>,
) -> Option<Diagnostic> {
    if let Some(card) = card {
        ctx.insert_value("card", card);
    }
    let r = site.templates.render(template, &ctx, what);
    emit(format!("{url}index.html"), r).err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn builtin() -> Templates {
        let none = Path::new("/nonexistent-explainer-templates");
        Templates::load(none, none, &[]).expect("the built-in templates load")
    }

    #[test]
    fn every_output_has_its_own_name() {
        let names: BTreeSet<&str> = REGISTRY.iter().map(|o| o.name()).collect();
        assert_eq!(names.len(), REGISTRY.len());
    }

    /// Which outputs each kind of edit renders again, with the built-in templates.
    #[test]
    fn what_each_change_renders_again() {
        let t = builtin();
        let cases: Vec<(&str, SiteChange, Vec<&str>)> = vec![
            ("a body edit past the index", SiteChange::default(), vec![]),
            (
                "a body edit in the index",
                SiteChange {
                    search: true,
                    ..SiteChange::default()
                },
                vec!["search index"],
            ),
            (
                "a new date",
                SiteChange {
                    listings: true,
                    globals: [Global::Pages, Global::Sections].into(),
                    ..SiteChange::default()
                },
                vec!["feed", "sitemap", "term feeds"],
            ),
            (
                "a new link",
                SiteChange {
                    links: true,
                    ..SiteChange::default()
                },
                vec!["graph page"],
            ),
            (
                "a new tag",
                SiteChange {
                    terms: true,
                    listings: true,
                    globals: [
                        Global::Pages,
                        Global::Sections,
                        Global::Tags,
                        Global::Taxonomies,
                    ]
                    .into(),
                    ..SiteChange::default()
                },
                vec![
                    "feed",
                    "search index",
                    "sitemap",
                    "taxonomy lists",
                    "term feeds",
                ],
            ),
            (
                "a new event",
                SiteChange {
                    events: true,
                    globals: [Global::Timeline].into(),
                    ..SiteChange::default()
                },
                vec!["search index", "timeline"],
            ),
        ];
        for (edit, change, want) in cases {
            let got: Vec<&str> = affected(&change, &t).into_iter().collect();
            assert_eq!(got, want, "{edit}");
        }
    }
}
