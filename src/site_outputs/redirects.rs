//! The redirect pages of aliases (`aliases:` in front matter): a small page at each old URL that
//! sends readers and search engines to the note. Aliases change only with a full rebuild.

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::diagnostics::Diagnostic;
use crate::feeds;
use crate::links::{link_path, root_prefix};
use crate::templates::Templates;

/// The alias redirect pages.
pub struct Redirects;

impl SiteOutput for Redirects {
    fn name(&self) -> &'static str {
        "redirects"
    }

    fn affected(&self, _: &SiteChange, _: &Templates) -> bool {
        false
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        let cfg = &site.settings.config;
        (site.redirects.iter())
            .filter_map(|(url, target)| {
                let n = &site.content.notes[*target];
                let path = link_path(&n.url, site.settings.file_links);
                let rel = format!("{}{path}", root_prefix(url));
                let abs = format!("{}{}", cfg.base_url, n.url);
                let page = feeds::redirect_page(&cfg.language, &n.title, &rel, &abs);
                emit(format!("{url}index.html"), Ok(page.into_bytes())).err()
            })
            .collect()
    }
}
