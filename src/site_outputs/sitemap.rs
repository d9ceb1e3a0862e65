//! `sitemap.xml` (every page: the notes with their dates, the later pages of their lists, and the
//! pages each site-wide output publishes) and the `robots.txt` that points to it.

use super::{EmitBytes, REGISTRY, Scope, Site, SiteChange, SiteOutput};
use crate::content::NoteId;
use crate::content::date::SiteDate;
use crate::diagnostics::Diagnostic;
use crate::feeds;
use crate::paginate::{pager_count, pager_url};
use crate::templates::Templates;

/// The sitemap and robots.txt.
pub struct Sitemap;

impl SiteOutput for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn affected(&self, change: &SiteChange, _: &Templates) -> bool {
        change.listings
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        let base = &site.settings.config.base_url;
        let notes = &site.content.notes;
        let mut urls: Vec<(String, Option<SiteDate>)> = Vec::with_capacity(notes.len() + 64);
        for (i, n) in NoteId::enumerate(notes) {
            let date = n.front.updated.or(n.front.date);
            urls.push((format!("{base}{}", n.url), date));
            // A paginated list's later pages follow its own URL.
            let per = site.pagination.per_note(i);
            let later = 2..=pager_count(site.graph.pages[i].len(), per);
            urls.extend(later.map(|k| (format!("{base}{}", pager_url(&n.url, k)), None)));
        }
        for o in REGISTRY {
            urls.extend(
                o.pages(site)
                    .into_iter()
                    .map(|u| (format!("{base}{u}"), None)),
            );
        }
        let robots = feeds::robots(base);
        let files = [
            ("sitemap.xml", feeds::sitemap(&urls)),
            ("robots.txt", robots),
        ];
        (files.into_iter())
            .filter_map(|(path, text)| emit(path.into(), Ok(text.into_bytes())).err())
            .collect()
    }
}
