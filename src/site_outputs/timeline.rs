//! The timeline page (`timeline/`, `timeline.html`): every dated event of every note.

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput, page};
use crate::context::TIMELINE_URL;
use crate::diagnostics::Diagnostic;
use crate::templates::Templates;

/// The timeline page.
pub struct Timeline;

impl SiteOutput for Timeline {
    fn name(&self) -> &'static str {
        "timeline"
    }

    fn affected(&self, change: &SiteChange, templates: &Templates) -> bool {
        change.events || change.read_by(templates, "timeline.html")
    }

    fn pages(&self, _site: &Site<'_>) -> Vec<String> {
        vec![TIMELINE_URL.to_string()]
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        let ctx = site.values.base_context(TIMELINE_URL, "timeline");
        let card = site.card_value(|c| c.timeline.as_ref());
        let what = "the timeline";
        page(site, ctx, card, "timeline.html", what, TIMELINE_URL, emit)
            .into_iter()
            .collect()
    }
}
