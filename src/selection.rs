//! What a render covers: the whole site, or the parts an incremental rebuild names (notes, pages
//! of lists, terms, files, and the site-wide outputs by name).

use crate::content::NoteId;
use crate::site_outputs::{Scope, SiteOutput};
use std::collections::BTreeSet;

/// Which outputs to render.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// Everything.
    #[default]
    All,
    /// Only these parts (an incremental rebuild).
    Some(Parts),
}

impl Selection {
    /// What it covers of the site-wide outputs.
    pub fn scope(&self) -> Scope<'_> {
        match self {
            Selection::All => Scope::All,
            Selection::Some(p) => Scope::Some(p),
        }
    }
}

/// The parts of the site an incremental rebuild renders again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parts {
    /// Notes' pages (all the pages of a paginated list).
    pub notes: BTreeSet<NoteId>,
    /// Single pages of paginated lists: (home or section note, page from 1). A note in `notes`
    /// has all its pages rendered.
    pub pagers: BTreeSet<(NoteId, usize)>,
    /// Term pages by (index in `Graph::taxonomies`, slug): all the pages of a paginated term,
    /// and its feed.
    pub terms: BTreeSet<(usize, String)>,
    /// Single pages of paginated terms: (index in `Graph::taxonomies`, slug, page from 1).
    pub term_pagers: BTreeSet<(usize, String, usize)>,
    /// The site-wide outputs rendered whole, by `SiteOutput::name` (see `site_outputs::affected`).
    pub site: BTreeSet<&'static str>,
    /// Link-preview data files (by shard number).
    pub previews: BTreeSet<usize>,
    /// Content assets to copy again (relative paths).
    pub assets: BTreeSet<String>,
    /// Files of static/ to copy again (relative paths).
    pub statics: BTreeSet<String>,
}

impl Parts {
    /// Whether the site-wide output `o` is rendered whole.
    pub fn renders(&self, o: &dyn SiteOutput) -> bool {
        self.site.contains(o.name())
    }
}
