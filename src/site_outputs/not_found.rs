//! The 404 page (`404.html`, at the output's root, where static hosts look for it).

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::diagnostics::Diagnostic;
use crate::templates::Templates;

/// The 404 page.
pub struct NotFound;

impl SiteOutput for NotFound {
    fn name(&self) -> &'static str {
        "404 page"
    }

    fn affected(&self, change: &SiteChange, templates: &Templates) -> bool {
        change.read_by(templates, "404.html")
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        let ctx = site.values.not_found_context();
        let r = site.templates.render("404.html", &ctx, "the 404 page");
        emit("404.html".into(), r).err().into_iter().collect()
    }
}
