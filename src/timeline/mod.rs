//! The drawn timeline: every event of the site as inline SVG, made once per build and printed
//! by the template function `timeline_svg(compact=false)`. The full drawing is a vertical,
//! proportional axis (dense periods zoomed, events dated in words shown as written, undated and
//! pending events after the axis), each event a link to its note; the compact one is a small
//! horizontal overview for a home page. Links are written from the site root and the function
//! puts the page's `root` in front of them, so one drawing serves every page.

mod axis;
mod compact;
mod full;
mod text;

use crate::content::Note;
use crate::content::date::SiteDate;
use crate::content::events::EventTime;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::graph::TimelineEntry;
use crate::links::link_path;
use crate::outline::Outline;

pub use axis::{Axis, Piece, Room, Run, Stop, Zoom, fit, lay_out};

/// Width of both drawings, in SVG units (their height follows the events).
const WIDTH: f64 = 360.0;
/// Text size of both: at least 12 px once a drawing is shown 320 px wide.
const FONT: f64 = 14.0;

/// The name under which the drawing reaches the template function (Tera's global context).
pub const DRAWING_VAR: &str = "__explainer_timeline_svg";

/// One event as the drawings show it.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    /// What happened.
    title: String,
    /// When, as shown: the date written out, the source's words, or nothing.
    when: String,
    /// `when` is the source's words.
    words: bool,
    /// The date the source gives (never an `around` date).
    date: Option<SiteDate>,
    /// A next step that has not happened.
    pending: bool,
    /// Where on the axis (days since 1970-01-01); `None` after the axis.
    at: Option<i64>,
    /// The note (and its anchor) from the site root.
    href: String,
}

fn items(timeline: &[TimelineEntry], notes: &[Note], file_links: bool) -> Vec<Item> {
    timeline
        .iter()
        .map(|e| {
            let mut href = link_path(&notes[e.note].url, file_links);
            if let Some(id) = &e.anchor {
                href.push('#');
                href.push_str(id);
            }
            let ev = &e.event;
            Item {
                title: ev.title.clone(),
                when: ev.when_shown(),
                words: matches!(ev.time, EventTime::Words { .. }),
                date: ev.date(),
                pending: ev.pending,
                at: (!ev.pending)
                    .then(|| ev.placed_at().map(|d| d.first_day()))
                    .flatten(),
                href,
            }
        })
        .collect()
}

/// The items on the axis grouped by day, in order: (day, indices into `items`).
fn stops(items: &[Item]) -> Vec<(i64, Vec<usize>)> {
    let mut out: Vec<(i64, Vec<usize>)> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let Some(at) = item.at else { continue };
        match out.last_mut() {
            Some((day, list)) if *day == at => list.push(k),
            _ => out.push((at, vec![k])),
        }
    }
    out
}

/// Both drawings of one build, links written from the site root.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    /// The full drawing in parts: SVG text, then a link path, then SVG text, and so on.
    full: Vec<String>,
    /// The compact drawing (no links).
    compact: String,
}

impl Drawing {
    /// Draws the site's timeline (empty when there are no events).
    pub fn new(timeline: &[TimelineEntry], notes: &[Note], file_links: bool) -> Drawing {
        if timeline.is_empty() {
            return Drawing::default();
        }
        let items = items(timeline, notes, file_links);
        let mut svg = Svg::default();
        full::draw(&items, &mut svg);
        Drawing {
            full: svg.finish(),
            compact: compact::draw(&items),
        }
    }

    /// As a template value (what `timeline_svg` reads).
    pub fn to_value(&self) -> tera::Value {
        crate::context::obj([
            (
                "full",
                tera::Value::from(
                    self.full
                        .iter()
                        .map(|p| tera::Value::from(p.as_str()))
                        .collect::<Vec<_>>(),
                ),
            ),
            ("compact", tera::Value::from(self.compact.as_str())),
        ])
    }
}

/// The parts of a drawing joined, `root` (escaped) before each link path.
fn join<'a>(parts: impl Iterator<Item = &'a str>, root: &str) -> String {
    let root = crate::escape::html(root);
    let mut out = String::new();
    for (k, part) in parts.enumerate() {
        if k % 2 == 1 {
            out.push_str(&root);
        }
        out.push_str(part);
    }
    out
}

/// `timeline_svg(compact=false)`: the site's timeline drawing for this page (its links made
/// relative with the page's `root`), or nothing when the site has no events.
pub fn template_function(
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let compact = kwargs.get::<bool>("compact")?.unwrap_or(false);
    let Some(drawing) = state.get::<tera::Value>(DRAWING_VAR)? else {
        return Ok(tera::Value::safe_string(""));
    };
    let root = state.get::<String>("root")?.unwrap_or_default();
    let svg = match drawing.as_map() {
        Some(m) if compact => m
            .get(&tera::value::Key::Str("compact"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        Some(m) => {
            let parts = m
                .get(&tera::value::Key::Str("full"))
                .and_then(|v| v.as_array())
                .unwrap_or(&[]);
            join(parts.iter().map(|p| p.as_str().unwrap_or("")), &root)
        }
        None => String::new(),
    };
    Ok(tera::Value::safe_string(&svg))
}

/// Resolves the `anchor` of every event against its note's outline (a heading's id or text, a
/// `^block`, another id), as a link's `#fragment` is; one that names nothing is an error at
/// the event's `anchor`.
pub fn resolve_anchors(
    timeline: &mut [TimelineEntry],
    notes: &[Note],
    outlines: &[Outline],
    diags: &mut Vec<Diagnostic>,
) {
    for e in timeline.iter_mut() {
        let Some(wanted) = &e.event.anchor else {
            continue;
        };
        let outline = &outlines[e.note];
        e.anchor = outline.anchor(wanted).map(str::to_string);
        if e.anchor.is_none() {
            let n = &notes[e.note];
            let ids: Vec<&str> = outline.all_ids().collect();
            let as_id = crate::markdown::heading_id(wanted.trim_start_matches('^'));
            let help = match did_you_mean(&as_id, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => "this note has no headings to anchor to".to_string(),
                None => format!("its ids are: {}", ids.join(", ")),
            };
            diags.push(
                n.event_error(
                    e.index,
                    "anchor",
                    format!(
                        "event {}: anchor `{wanted}` is not a heading, block or id of this note",
                        e.index + 1
                    ),
                )
                .with_help(help),
            );
        }
    }
}

/// What a drawing shows, in one sentence (its text alternative).
fn summary(items: &[Item]) -> String {
    let on_axis = items.iter().filter(|i| i.at.is_some()).count();
    let dated: Vec<&Item> = items.iter().filter(|i| i.date.is_some()).collect();
    let pending = items.iter().filter(|i| i.pending).count();
    let undated = items.len() - on_axis - pending;
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut s = format!("Timeline of {}", plural(on_axis, "event", "events"));
    if let (Some(first), Some(last)) = (dated.first(), dated.last())
        && dated.len() > 1
    {
        s.push_str(&format!(", {} to {}", first.when, last.when));
    }
    if undated > 0 {
        s.push_str(&format!(
            ", {}",
            plural(undated, "undated event", "undated events")
        ));
    }
    if pending > 0 {
        s.push_str(&format!(
            ", then {}",
            plural(pending, "pending step", "pending steps")
        ));
    }
    s
}

/// An SVG being written: text, with link paths kept apart so each page can put its own
/// `root` in front of them.
#[derive(Default)]
struct Svg {
    parts: Vec<String>,
    text: String,
}

impl Svg {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Text, escaped for HTML.
    fn esc(&mut self, s: &str) {
        crate::escape::push_html(&mut self.text, s);
    }

    /// A link path from the root (written inside an `href="…"` already opened).
    fn path(&mut self, path: &str) {
        self.parts.push(std::mem::take(&mut self.text));
        self.parts.push(crate::escape::html(path));
    }

    /// Opens the `<svg>` element: its class, size, role and label, in the fonts `text::width`
    /// measures.
    fn open(&mut self, class: &str, height: f64, role: &str, label: &str) {
        self.push(&format!(
            "<svg class=\"timeline-svg {class}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"{role}\" aria-label=\"",
            w = num(WIDTH),
            h = num(height)
        ));
        self.esc(label);
        self.push(&format!(
            "\" font-family=\"{}\" font-size=\"{}\">",
            full::FONTS,
            num(FONT)
        ));
    }

    fn finish(mut self) -> Vec<String> {
        self.parts.push(self.text);
        self.parts
    }
}

/// A length for SVG: one decimal at most, the same on every machine.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A date range for captions, as briefly as it reads: `23 Sep – 2 Oct 2023`, `May 2022 – Oct
/// 2023`, `2019 – 2021`.
fn range(a: SiteDate, b: SiteDate) -> String {
    if a == b {
        return a.short();
    }
    let first = a.short();
    let year = format!(" {}", a.year);
    match first.strip_suffix(&year) {
        Some(head) if a.year == b.year && a.month.is_some() => format!("{head} – {}", b.short()),
        _ => format!("{first} – {}", b.short()),
    }
}

/// Days since 1970-01-01 as a date, for axis labels.
fn civil(day: i64) -> (i64, u8, u8) {
    crate::content::date::civil_from_days(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_ranges() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.04), "0");
        let d = |s| SiteDate::parse(s).unwrap();
        assert_eq!(
            range(d("2023-09-23"), d("2023-10-02")),
            "23 Sep – 2 Oct 2023"
        );
        assert_eq!(
            range(d("2022-05"), d("2023-10-02")),
            "May 2022 – 2 Oct 2023"
        );
        assert_eq!(range(d("2019"), d("2021")), "2019 – 2021");
    }

    #[test]
    fn parts_join_with_the_root() {
        let mut svg = Svg::default();
        svg.push("<a href=\"");
        svg.path("a/#x");
        svg.push("\">A</a>");
        let parts = svg.finish();
        assert_eq!(
            join(parts.iter().map(String::as_str), "../"),
            "<a href=\"../a/#x\">A</a>"
        );
    }
}
