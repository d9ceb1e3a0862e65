//! Each taxonomy's pages: its list (`tags/`), a page per term (`tags/<slug>/`, paginated like
//! any list) and, for a taxonomy with `feed: true`, a feed per term (`tags/<slug>/atom.xml`).

use super::{EmitBytes, Scope, Site, SiteChange, SiteOutput, feed_entries, page};
use crate::diagnostics::Diagnostic;
use crate::feeds;
use crate::graph::{Taxonomy, Term};
use crate::paginate::{Pager, pager_count, pager_url};
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The list page of each taxonomy (`taxonomy.html`).
pub struct TaxonomyLists;

impl SiteOutput for TaxonomyLists {
    fn name(&self) -> &'static str {
        "taxonomy lists"
    }

    fn affected(&self, change: &SiteChange, templates: &Templates) -> bool {
        change.terms || change.read_by(templates, "taxonomy.html")
    }

    fn pages(&self, site: &Site<'_>) -> Vec<String> {
        site.graph.taxonomies.iter().map(Taxonomy::url).collect()
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        if !scope.whole(self) {
            return Vec::new();
        }
        (site.graph.taxonomies.iter().enumerate())
            .filter_map(|(k, tax)| {
                let ctx = site.values.taxonomy_context(k, tax);
                let card = site.card_value(|c| c.taxonomies.get(k));
                page(
                    site,
                    ctx,
                    card,
                    "taxonomy.html",
                    &tax.what(),
                    &tax.url(),
                    emit,
                )
            })
            .collect()
    }
}

/// The pages of each term (`term.html`): those of the terms a rebuild names, or all of them.
pub struct TermPages;

impl SiteOutput for TermPages {
    fn name(&self) -> &'static str {
        "term pages"
    }

    fn affected(&self, change: &SiteChange, templates: &Templates) -> bool {
        change.read_by(templates, "term.html")
    }

    fn pages(&self, site: &Site<'_>) -> Vec<String> {
        let per = site.pagination.per_term();
        let mut urls = Vec::new();
        for tax in &site.graph.taxonomies {
            for t in &tax.terms {
                let url = tax.term_url(&t.slug);
                let later = (2..=pager_count(t.notes.len(), per)).map(|k| pager_url(&url, k));
                let later: Vec<String> = later.collect();
                urls.push(url);
                urls.extend(later);
            }
        }
        urls
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        let whole = scope.whole(self);
        (site.graph.taxonomies.iter().enumerate())
            .flat_map(|(k, tax)| {
                let parts = scope.parts();
                // The terms with some pages selected, and whether all their pages are.
                let some_pagers: BTreeSet<&str> = (parts.iter())
                    .flat_map(|p| &p.term_pagers)
                    .filter(|(tk, ..)| *tk == k)
                    .map(|(_, s, _)| s.as_str())
                    .collect();
                let all_of = |t: &Term| {
                    whole || parts.is_some_and(|p| p.terms.contains(&(k, t.slug.clone())))
                };
                let selected: Vec<(usize, &Term)> = (tax.terms.iter().enumerate())
                    .filter(|(_, t)| all_of(t) || some_pagers.contains(t.slug.as_str()))
                    .collect();
                selected
                    .into_par_iter()
                    .flat_map_iter(|(ti, t)| {
                        let only = (!all_of(t)).then_some(parts).flatten();
                        term_pages(site, k, tax, ti, t, only, emit)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A term's page, or, when its list is paginated, its pages (those of `only` when given).
fn term_pages(
    site: &Site<'_>,
    k: usize,
    tax: &Taxonomy,
    ti: usize,
    t: &Term,
    only: Option<&crate::selection::Parts>,
    emit: &EmitBytes<'_>,
) -> Vec<Diagnostic> {
    let what = tax.term_what(t);
    let url = tax.term_url(&t.slug);
    let card = || site.card_value(|c| c.terms.get(k).and_then(|terms| terms.get(ti)));
    let per = site.pagination.per_term();
    if per == 0 {
        let ctx = site.values.term_context(k, tax, ti, t);
        return page(site, ctx, card(), "term.html", &what, &url, emit)
            .into_iter()
            .collect();
    }
    // Its `term` value, made once for all its pages.
    let value = site.values.term_value(k, ti, t);
    let pagers: Vec<Pager> = Pager::all(t.notes.len(), per)
        .filter(|p| only.is_none_or(|o| o.term_pagers.contains(&(k, t.slug.clone(), p.index))))
        .collect();
    pagers
        .into_par_iter()
        .filter_map(|p| {
            let ctx = site.values.term_pager_context(k, tax, t, &value, p);
            let what = match p.index {
                1 => what.clone(),
                n => format!("page {n} of {what}"),
            };
            let url = pager_url(&url, p.index);
            page(site, ctx, card(), "term.html", &what, &url, emit)
        })
        .collect()
}

/// The feed of each term of a taxonomy with `feed: true`.
pub struct TermFeeds;

impl SiteOutput for TermFeeds {
    fn name(&self) -> &'static str {
        "term feeds"
    }

    fn affected(&self, change: &SiteChange, _: &Templates) -> bool {
        change.listings
    }

    fn render(&self, site: &Site<'_>, scope: Scope<'_>, emit: &EmitBytes<'_>) -> Vec<Diagnostic> {
        let cfg = &site.settings.config;
        let whole = scope.whole(self);
        let mut errors = Vec::new();
        for (k, tax) in site.graph.taxonomies.iter().enumerate() {
            if !cfg.taxonomies.get(k).is_some_and(|t| t.feed) {
                continue;
            }
            let selected = |t: &&Term| {
                whole || (scope.parts()).is_some_and(|p| p.terms.contains(&(k, t.slug.clone())))
            };
            errors.par_extend(tax.terms.par_iter().filter(selected).filter_map(|t| {
                let title = format!("{} · {}", cfg.title, t.name);
                let url = tax.term_url(&t.slug);
                let entries = feed_entries(cfg, &site.content.notes, &t.notes);
                let xml = feeds::atom_at(cfg, &title, &url, &entries);
                emit(format!("{url}atom.xml"), Ok(xml.into_bytes())).err()
            }));
        }
        errors
    }
}
