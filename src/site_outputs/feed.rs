//! The site's Atom feed (`atom.xml`, with `feed: true`): its pages with a date, newest first.

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput};
use crate::config::SiteConfig;
use crate::content::{Note, NoteId, NoteKind};
use crate::diagnostics::Diagnostic;
use crate::feeds::{self, FeedEntry};
use crate::templates::Templates;

/// The site's feed.
pub struct Feed;

impl SiteOutput for Feed {
    fn name(&self) -> &'static str {
        "feed"
    }

    fn affected(&self, change: &SiteChange, _: &Templates) -> bool {
        change.listings
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        let cfg = &site.settings.config;
        if !cfg.feed || !scope.whole(self) {
            return Vec::new();
        }
        let all: Vec<NoteId> = NoteId::all(site.content.notes.len()).collect();
        let entries = feed_entries(cfg, &site.content.notes, &all);
        let xml = feeds::atom(cfg, &entries);
        emit("atom.xml".into(), Ok(xml.into_bytes()))
            .err()
            .into_iter()
            .collect()
    }
}

/// The feed entries of `listed` notes: the pages with a date, newest first.
pub fn feed_entries<'a>(
    cfg: &SiteConfig,
    notes: &'a [Note],
    listed: &[NoteId],
) -> Vec<FeedEntry<'a>> {
    let mut entries: Vec<FeedEntry<'_>> = (listed.iter())
        .map(|&i| &notes[i])
        .filter(|n| n.kind == NoteKind::Page)
        .filter_map(|n| {
            Some(FeedEntry {
                title: &n.title,
                permalink: format!("{}{}", cfg.base_url, n.url),
                date: n.front.date?,
                updated: n.front.updated,
                summary: n.front.description.as_deref(),
            })
        })
        .collect();
    entries.sort_by(|a, b| (b.date, a.title).cmp(&(a.date, b.title)));
    entries
}
