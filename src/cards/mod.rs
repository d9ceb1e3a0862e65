//! Social cards: a 1200×630 PNG per page for `og:image` (the picture a link shows when shared),
//! drawn at build time from the page's title, the site's name and a tagline. `plan` decides each
//! page's card and its cache key; `emit` takes cards from the cache (`cache`) or draws them
//! (`draw`), in parallel.

pub mod cache;
pub mod draw;

use crate::config::Settings;
use crate::content::{Note, NoteId};
use crate::context::TIMELINE_URL;
use crate::diagnostics::Diagnostic;
use crate::graph::Graph;
use crate::output::Output;
use crate::pipeline::{Emit, Parts};
use crate::site_outputs::{GraphPage, TaxonomyLists, Timeline};
use draw::{CardText, Painter};
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Raise when cards would be drawn differently (layout, colours, fonts): a card's cache key
/// includes it, so every cached card is drawn again.
pub const RENDERER_VERSION: &str = "1";

/// A card's file name, in its page's folder (`topics/xi-visit/card.png`).
pub const FILE_NAME: &str = "card.png";

/// One page's card: what it shows and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The page's URL path (`topics/xi-visit/`, empty for the home page).
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The tagline as shown (empty: none).
    pub tagline: String,
    /// A hash of everything drawn (and of the renderer's version): the cache key.
    pub key: u64,
}

impl Card {
    fn new(url: String, title: &str, site: &str, tagline: String) -> Card {
        let mut bytes = Vec::with_capacity(title.len() + site.len() + tagline.len() + 32);
        for part in [
            RENDERER_VERSION,
            env!("CARGO_PKG_VERSION"),
            title,
            site,
            &tagline,
        ] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(0);
        }
        Card {
            url,
            title: title.to_string(),
            tagline,
            key: crate::templates::fnv1a(&bytes),
        }
    }

    /// The card's path in the output (`topics/xi-visit/card.png`).
    pub fn path(&self) -> String {
        format!("{}{FILE_NAME}", self.url)
    }

    /// What the card shows, with the site's name.
    pub fn text<'a>(&'a self, site: &'a str) -> CardText<'a> {
        CardText {
            title: &self.title,
            site,
            tagline: &self.tagline,
        }
    }

    /// The template value `card` (see [`Cards::value`]).
    fn value(&self, site: &str, base_url: &str) -> tera::Value {
        let path = format!("{}?h={:08x}", self.path(), self.key as u32);
        let mut alt = self.title.clone();
        if site != self.title {
            alt.push_str(" — ");
            alt.push_str(site);
        }
        if !self.tagline.is_empty() {
            alt.push_str(" — ");
            alt.push_str(&self.tagline);
        }
        crate::context::obj([
            ("url", tera::Value::from(format!("{base_url}{path}"))),
            ("path", tera::Value::from(path)),
            ("width", tera::Value::from(draw::WIDTH)),
            ("height", tera::Value::from(draw::HEIGHT)),
            ("alt", tera::Value::from(alt)),
        ])
    }
}

/// The title on a term's card: `Notes tagged “x”` for a tag, `Categories: x` otherwise.
fn term_title(taxonomy: &crate::graph::Taxonomy, term: &str) -> String {
    match taxonomy.name.as_str() {
        "tags" => format!("Notes tagged “{term}”"),
        _ => format!("{}: {term}", taxonomy.title()),
    }
}

/// Every page's card, planned once per analysis.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    /// The site's name, on every card.
    pub site: String,
    /// The notes' cards (in note order: `notes[id]`).
    pub notes: Vec<Card>,
    /// Each taxonomy's list page's (same indices as `Graph::taxonomies`).
    pub taxonomies: Vec<Card>,
    /// Each term page's, per taxonomy (same indices as its `terms`).
    pub terms: Vec<Vec<Card>>,
    /// The timeline's.
    pub timeline: Option<Card>,
    /// The graph page's, when the site has one.
    pub graph: Option<Card>,
}

impl Cards {
    /// The template value `card` of a page: `path` (from the site's root, with a version so a
    /// changed card gets a new address: `topics/x/card.png?h=1a2b3c4d`), `url` (absolute, from
    /// `base_url`), `width`, `height` and `alt` (what the card says, in words).
    pub fn value(&self, card: &Card, base_url: &str) -> tera::Value {
        card.value(&self.site, base_url)
    }
}

/// The cards of a site, or `None` when `site.yaml` turns them off (or, with `enabled: auto`,
/// the site is large). A title the embedded fonts cannot draw adds one warning.
pub fn plan(
    settings: &Settings,
    notes: &[Note],
    graph: &Graph,
    diags: &mut Vec<Diagnostic>,
) -> Option<Cards> {
    let cfg = &settings.config;
    if !cfg.cards.on_for(notes.len()) {
        return None;
    }
    let template = cfg.cards.tagline.as_deref().unwrap_or("{date}");
    // The site's date: that of its latest source (what the site reports on).
    let site_date = cfg
        .sources
        .iter()
        .filter(|s| !s.date.is_empty())
        .max_by(|a, b| a.date.cmp(&b.date))
        .map(|s| s.date_display.clone());
    let tagline = |date: Option<String>| match date.or_else(|| site_date.clone()) {
        Some(d) => template.replace("{date}", &d),
        None if template.contains("{date}") => String::new(),
        None => template.to_string(),
    };
    let site = cfg.title.as_str();
    let card =
        |url: &str, title: &str, date| Card::new(url.to_string(), title, site, tagline(date));
    let cards = Cards {
        site: site.to_string(),
        notes: notes
            .par_iter()
            .map(|n| card(&n.url, &n.title, n.front.date.map(|d| d.display())))
            .collect(),
        taxonomies: (graph.taxonomies.iter())
            .map(|tax| card(&tax.url(), &tax.title(), None))
            .collect(),
        terms: (graph.taxonomies.iter())
            .map(|tax| {
                (tax.terms.iter())
                    .map(|t| card(&tax.term_url(&t.slug), &term_title(tax, &t.name), None))
                    .collect()
            })
            .collect(),
        timeline: Some(card(TIMELINE_URL, "Timeline", None)),
        graph: crate::sitegraph::has_page(notes)
            .then(|| card(crate::sitegraph::GRAPH_URL, "Map of the notes", None)),
    };
    diags.extend(check_glyphs(&cards, notes));
    Some(cards)
}

/// One warning for the notes whose card text the embedded fonts cannot draw (they would show
/// boxes): the first such note, how many others, and the characters.
fn check_glyphs(cards: &Cards, notes: &[Note]) -> Option<Diagnostic> {
    let painter = Painter::new();
    let missing: Vec<(NoteId, Vec<char>)> = cards
        .notes
        .par_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let m = painter.missing_chars(&c.text(&cards.site));
            (!m.is_empty()).then_some((NoteId::new(i), m))
        })
        .collect();
    let (first, chars) = missing.first()?;
    let mut shown: String = chars.iter().take(8).collect();
    if chars.len() > 8 {
        shown.push('…');
    }
    let others = match missing.len() - 1 {
        0 => String::new(),
        1 => " (and 1 other note)".into(),
        n => format!(" (and {n} other notes)"),
    };
    Some(
        Diagnostic::file_error(
            &notes[*first].display_path,
            format!(
                "the social card of this note{others} has characters its font cannot draw \
                 ({shown}): they show as boxes"
            ),
        )
        .with_help(
            "cards are drawn in Inter (Latin letters); set `cards: {enabled: false}` in \
             site.yaml to leave them out",
        )
        .warning(),
    )
}

/// How many cards a render wrote, and how many of them it had to draw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardCount {
    /// Cards written.
    pub written: usize,
    /// Cards drawn (not found in the cache).
    pub drawn: usize,
}

/// Writes the cards `parts` selects (all of them when `None`) through `emit`: each one from the
/// cache when it is there, else drawn and added to it. After a complete render the cache keeps
/// only this site's cards.
pub fn emit(
    settings: &Settings,
    cards: &Cards,
    notes: &[Note],
    parts: Option<&Parts>,
    emit: &Emit<'_>,
) -> (CardCount, Vec<Diagnostic>) {
    let all = parts.is_none();
    let none = Parts::default();
    let p = parts.unwrap_or(&none);
    // A term's card goes with its pages: a new term's pages may be selected only as pagers.
    let term_url = |k: usize, slug: &str| {
        let list = cards.taxonomies.get(k).map_or("", |c| c.url.as_str());
        format!("{list}{slug}/")
    };
    let terms: std::collections::HashSet<String> = (p.terms.iter())
        .map(|(k, s)| term_url(*k, s))
        .chain(p.term_pagers.iter().map(|(k, s, _)| term_url(*k, s)))
        .collect();
    // Each card with what its problems are reported against.
    let selected: Vec<(&Card, Cow<'_, str>)> = (NoteId::enumerate(&cards.notes).zip(notes))
        .filter(|((i, _), _)| all || p.notes.contains(i))
        .map(|((_, c), n)| (c, Cow::from(n.display_path.as_str())))
        .chain(
            (cards.taxonomies.iter())
                .filter(|_| all || p.renders(&TaxonomyLists))
                .map(|c| (c, Cow::from(format!("the page of `{}`", c.url)))),
        )
        .chain(
            (cards.terms.iter().flatten())
                .filter(|c| all || terms.contains(&c.url))
                .map(|c| (c, Cow::from(format!("the page of `{}`", c.url)))),
        )
        .chain(
            (cards.timeline.iter())
                .filter(|_| all || p.renders(&Timeline))
                .map(|c| (c, Cow::from("the timeline"))),
        )
        .chain(
            (cards.graph.iter())
                .filter(|_| all || p.renders(&GraphPage))
                .map(|c| (c, Cow::from("the graph page"))),
        )
        .collect();
    let cache = cache::Cache::new(&settings.root);
    // Fonts are read only when a card must be drawn.
    let painter = std::sync::OnceLock::new();
    let drawn = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = selected
        .par_iter()
        .filter_map(|(card, owner)| {
            let out = match cache.get(card.key) {
                Some(file) => Output::Copy(file),
                None => {
                    let painter = painter.get_or_init(Painter::new);
                    match painter.png(&card.text(&cards.site)) {
                        Ok(png) => {
                            drawn.fetch_add(1, Ordering::Relaxed);
                            // A cache that cannot be written costs the next build time, nothing else.
                            cache.put(card.key, &png).ok();
                            Output::Bytes(png)
                        }
                        Err(e) => {
                            return Some(Diagnostic::file_error(
                                owner.as_ref(),
                                format!("cannot draw the social card: {e}"),
                            ));
                        }
                    }
                }
            };
            emit(card.path(), out).err()
        })
        .collect();
    if parts.is_none() && errors.is_empty() {
        cache.keep_only(selected.iter().map(|(c, _)| c.key));
    }
    let count = CardCount {
        written: selected.len() - errors.len(),
        drawn: drawn.into_inner(),
    };
    (count, errors)
}
