//! Pagination of list pages (sections, home and tag pages), as Zola does it: a list of N notes
//! `paginate_by` P is split into pagers of P notes; the first stays at the list's own URL, the
//! others go to `<list>/page/2/`, `<list>/page/3/`, … (there is no `page/1/`). Pure: URLs,
//! ranges and which lists are paginated; the template values are built in `context`.

use crate::config::SiteConfig;
use crate::content::{Note, NoteId, NoteKind};
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::templates::Templates;
use std::collections::HashMap;
use std::ops::Range;

/// The folder the pagers after the first go in: `<list>/page/2/`.
pub const PAGE_DIR: &str = "page";

/// The URL path of pager `index` (from 1) of the list at `list_url` (`notes/`, or `` for home).
pub fn pager_url(list_url: &str, index: usize) -> String {
    if index <= 1 {
        list_url.to_string()
    } else {
        format!("{list_url}{PAGE_DIR}/{index}/")
    }
}

/// A paginated list with more than one page.
struct SplitList {
    /// The list's own URL (its first page).
    url: String,
    /// What the list is, for messages.
    what: String,
    /// The section or home note whose list it is (`None` for a tag).
    section: Option<NoteId>,
    /// How many pages it has.
    pagers: usize,
}

/// One page of a paginated list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// Which page, from 1.
    pub index: usize,
    /// How many pages the list has (at least 1, even when it is empty).
    pub count: usize,
    /// Notes on each page.
    pub per: usize,
    /// Notes in the whole list.
    pub total: usize,
}

impl Pager {
    /// Every pager of a list of `total` notes, `per` a page (`per` > 0).
    pub fn all(total: usize, per: usize) -> impl Iterator<Item = Pager> {
        let count = pager_count(total, per);
        (1..=count).map(move |index| Pager {
            index,
            count,
            per,
            total,
        })
    }

    /// The positions in the list of the notes on this page.
    pub fn range(&self) -> Range<usize> {
        let start = (self.index - 1).saturating_mul(self.per).min(self.total);
        start..start.saturating_add(self.per).min(self.total)
    }
}

/// How many pagers a list of `total` notes has at `per` a page: at least one, so an empty list
/// still has its page.
pub fn pager_count(total: usize, per: usize) -> usize {
    if per == 0 {
        1
    } else {
        total.div_ceil(per).max(1)
    }
}

/// The pagers (from 1) of a list paginated `per` a page whose notes differ between `before` and
/// `after`, or that show a note for which `shown` is true: what must be rendered again after an
/// edit. Both lists must have the same number of pagers (the caller renders everything else).
pub fn changed_pagers(
    before: &[NoteId],
    after: &[NoteId],
    per: usize,
    shown: &dyn Fn(NoteId) -> bool,
) -> Vec<usize> {
    Pager::all(after.len(), per)
        .filter(|p| {
            let (old, new) = (before.get(p.range()), &after[p.range()]);
            old != Some(new) || new.iter().any(|&j| shown(j))
        })
        .map(|p| p.index)
        .collect()
}

/// Which lists are paginated and how: a list is paginated when `paginate_by` (its own or the
/// site's) is above 0 and its template reads `paginator` (a template that does not would print
/// the same list on every page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pagination {
    /// For each note (by `NoteId`), the notes on each page of its list: 0 when not paginated
    /// (and for pages).
    notes: Vec<usize>,
    /// The same for term pages (of every taxonomy).
    terms: usize,
}

impl Pagination {
    /// Decides for every home and section note and for the tag pages.
    pub fn plan(config: &SiteConfig, notes: &[Note], templates: &Templates) -> Pagination {
        // Each template is asked once (its parents and includes are looked at too).
        let mut reads: HashMap<String, bool> = HashMap::new();
        let mut reads_paginator = |name: &str| {
            *reads
                .entry(name.to_string())
                .or_insert_with(|| templates.uses(name, "paginator"))
        };
        let notes = notes
            .iter()
            .map(|n| {
                if n.kind == NoteKind::Page || !reads_paginator(n.template()) {
                    return 0;
                }
                n.front.paginate_by.unwrap_or(config.paginate_by)
            })
            .collect();
        let terms = if !config.taxonomies.is_empty() && reads_paginator("term.html") {
            config.paginate_by
        } else {
            0
        };
        Pagination { notes, terms }
    }

    /// Notes on each page of note `i`'s list, or 0 when it is not paginated.
    pub fn per_note(&self, i: NoteId) -> usize {
        self.notes.get(i.index()).copied().unwrap_or(0)
    }

    /// Notes on each page of a term's list, or 0 when term pages are not paginated.
    pub fn per_term(&self) -> usize {
        self.terms
    }

    /// The paginated lists that have more than one page: only those write into `page/`.
    fn split_lists(&self, notes: &[Note], graph: &Graph) -> Vec<SplitList> {
        let mut out = Vec::new();
        for (i, n) in NoteId::enumerate(notes) {
            let (per, total) = (self.per_note(i), graph.pages[i].len());
            if per > 0 && pager_count(total, per) > 1 {
                out.push(SplitList {
                    url: n.url.clone(),
                    what: format!("the list of {}", n.display_path),
                    section: Some(i),
                    pagers: pager_count(total, per),
                });
            }
        }
        for (tax, t) in (graph.taxonomies.iter()).flat_map(|x| x.terms.iter().map(move |t| (x, t)))
        {
            if self.terms > 0 && pager_count(t.notes.len(), self.terms) > 1 {
                out.push(SplitList {
                    url: tax.term_url(&t.slug),
                    what: tax.term_what(t),
                    section: None,
                    pagers: pager_count(t.notes.len(), self.terms),
                });
            }
        }
        out
    }

    /// The URL of every pager after the first, with what it belongs to: no alias may take one.
    pub fn reserved(&self, notes: &[Note], graph: &Graph) -> Vec<(String, String)> {
        self.split_lists(notes, graph)
            .into_iter()
            .flat_map(|l| {
                (2..=l.pagers)
                    .map(move |k| (pager_url(&l.url, k), format!("page {k} of {}", l.what)))
            })
            .collect()
    }

    /// Notes whose URL lies where a paginated list writes its pages (`notes/page/` when
    /// `notes/` has more than one page): an error at the note, as other URL clashes are.
    pub fn check_note_urls(&self, notes: &[Note], graph: &Graph, diags: &mut Vec<Diagnostic>) {
        let lists = self.split_lists(notes, graph);
        if lists.is_empty() {
            return;
        }
        // The folders that hold pagers, with the list each belongs to.
        let folders: HashMap<String, &SplitList> = lists
            .iter()
            .map(|l| (format!("{}{PAGE_DIR}/", l.url), l))
            .collect();
        let segment = format!("{PAGE_DIR}/");
        for n in notes {
            // Each `page/` segment of the URL may close a list's folder of pagers.
            let hit = n
                .url
                .match_indices(&segment)
                .filter(|(at, _)| *at == 0 || n.url.as_bytes()[at - 1] == b'/')
                .find_map(|(at, _)| {
                    let folder = &n.url[..at + segment.len()];
                    folders.get(folder).map(|l| (folder, *l))
                });
            let Some((folder, list)) = hit else {
                continue;
            };
            let message = format!(
                "this note's URL `/{}` lies where {} writes its later pages (`/{folder}2/`, …)",
                n.url, list.what
            );
            let key = if n.front.permalink.is_some() {
                Some("permalink")
            } else if n.front.slug.is_some() {
                Some("slug")
            } else {
                None
            };
            let d = match key {
                Some(k) => n.key_error(k, message),
                None => Diagnostic::file_error(&n.display_path, message),
            };
            let off = match list.section {
                Some(s) => format!(", or set `paginate_by: 0` in {}", notes[s].display_path),
                None => ", or set `paginate_by: 0` in site.yaml".into(),
            };
            diags.push(d.with_help(format!(
                "rename the note or give it another `slug` or `permalink`{off}"
            )));
        }
    }

    /// Warnings for `paginate_by` where it does nothing: on a page (only a section's or the home
    /// page's `_index.md` lists notes), or on a list whose template never reads `paginator`.
    pub fn check_front_matter(&self, notes: &[Note], diags: &mut Vec<Diagnostic>) {
        for (i, n) in NoteId::enumerate(notes) {
            let Some(per) = n.front.paginate_by else {
                continue;
            };
            let why = match n.kind {
                NoteKind::Page => "`paginate_by` only applies to a section's `_index.md`",
                _ if per > 0 && self.per_note(i) == 0 => {
                    "`paginate_by` has no effect: this list's template never reads `paginator`"
                }
                _ => continue,
            };
            let help = match n.kind {
                NoteKind::Page => "remove it, or move it to the `_index.md` of the note's folder",
                _ => "print `paginator.pages` in the template (see the README's Template API)",
            };
            diags.push(n.key_error("paginate_by", why).with_help(help).warning());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_urls_and_ranges() {
        assert_eq!(pager_url("notes/", 1), "notes/");
        assert_eq!(pager_url("notes/", 3), "notes/page/3/");
        assert_eq!(pager_url("", 2), "page/2/");
        let pagers: Vec<Range<usize>> = Pager::all(7, 3).map(|p| p.range()).collect();
        assert_eq!(pagers, vec![0..3, 3..6, 6..7]);
        assert_eq!(
            Pager::all(0, 3).count(),
            1,
            "an empty list still has its page"
        );
        assert_eq!(Pager::all(6, 3).count(), 2);
        assert_eq!(pager_count(100, 0), 1);
    }

    #[test]
    fn only_pagers_whose_notes_changed() {
        let ids = |i: [usize; 7]| i.map(NoteId::new);
        let before = ids([1, 2, 3, 4, 5, 6, 7]);
        // Note 2 moved to the end: every pager from its old place on changes.
        let after = ids([1, 3, 4, 5, 6, 7, 2]);
        assert_eq!(
            changed_pagers(&before, &after, 3, &|_| false),
            vec![1, 2, 3]
        );
        // Same order, note 5's entry changed: only its pager.
        assert_eq!(
            changed_pagers(&before, &before, 3, &|j| j == NoteId::new(5)),
            vec![2]
        );
        // Two notes swapped within one pager.
        let swapped = ids([1, 2, 3, 5, 4, 6, 7]);
        assert_eq!(changed_pagers(&before, &swapped, 3, &|_| false), vec![2]);
    }
}
