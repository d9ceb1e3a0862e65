//! The graph page (`graph/`, `graph.html`): the notes and their links drawn as one picture, on
//! sites with more than one note.

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput, page};
use crate::diagnostics::Diagnostic;
use crate::sitegraph::{GRAPH_URL, has_page};
use crate::templates::Templates;

/// The graph page.
pub struct GraphPage;

impl SiteOutput for GraphPage {
    fn name(&self) -> &'static str {
        "graph page"
    }

    fn affected(&self, change: &SiteChange, _: &Templates) -> bool {
        change.links
    }

    fn pages(&self, site: &Site<'_>) -> Vec<String> {
        (has_page(&site.content.notes).then(|| GRAPH_URL.to_string()))
            .into_iter()
            .collect()
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) || !has_page(&site.content.notes) {
            return Vec::new();
        }
        let ctx = site.values.graph_context(&site.content.notes, site.graph);
        let card = site.card_value(|c| c.graph.as_ref());
        let what = "the graph page";
        page(site, ctx, card, "graph.html", what, GRAPH_URL, emit)
            .into_iter()
            .collect()
    }
}
