//! The offline search: the chunked index (`search/…`, written again when an entry, an event or a
//! term changes; the timeline and the term pages are in it too) and the script (`search.js`).

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::diagnostics::Diagnostic;
use crate::search::{self, SEARCH_JS};
use crate::templates::Templates;

/// The search index and its script.
pub struct SearchIndex;

impl SiteOutput for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn affected(&self, change: &SiteChange, _: &Templates) -> bool {
        change.search || change.events || change.terms
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !site.settings.config.search || !scope.whole(self) {
            return Vec::new();
        }
        let index = search::Site {
            notes: &site.content.notes,
            graph: site.graph,
            docs: site.search,
            file_links: site.settings.file_links,
            cache: site.search_cache,
        };
        let mut files = search::files(&index);
        if scope.all() {
            files.push(("search.js".into(), SEARCH_JS.as_bytes().to_vec()));
        }
        (files.into_iter())
            .filter_map(|(path, data)| emit(path, Ok(data)).err())
            .collect()
    }
}
