//! The default `favicon.svg` the built-in templates link (a project's `static/favicon.svg`, copied
//! after it, replaces it).

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::diagnostics::Diagnostic;
use crate::templates::{FAVICON_SVG, Templates};

/// The default favicon.
pub struct Favicon;

impl SiteOutput for Favicon {
    fn name(&self) -> &'static str {
        "favicon"
    }

    fn affected(&self, _: &SiteChange, _: &Templates) -> bool {
        false
    }

    fn render(&self, _site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        let icon = FAVICON_SVG.as_bytes().to_vec();
        emit("favicon.svg".into(), Ok(icon))
            .err()
            .into_iter()
            .collect()
    }
}
