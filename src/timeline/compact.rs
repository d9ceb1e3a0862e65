//! The compact drawing, for a home page: one horizontal line of marks on the same proportional
//! axis (dense periods zoomed between breaks), the first and last years, and the undated and
//! pending events after the line. A picture with a text alternative, no links: the page links
//! to the full timeline.

use super::axis::{self, Room, Stop};
use super::full::diamond;
use super::text::width;
use super::{FONT, Item, Svg, WIDTH, civil, num, range, stops, summary};

const W: f64 = WIDTH;
const H: f64 = 64.0;
/// Where the line runs.
const AY: f64 = 30.0;
/// Where it starts.
const X0: f64 = 14.0;
/// Room for the marks after the line.
const AFTER: f64 = 64.0;
/// At most this many marks after the line.
const MAX_AFTER: usize = 4;
const R: f64 = 4.5;
const ROOM: Room = Room {
    above: R,
    gap: 3.0,
    caption: 0.0,
    brk: 8.0,
    end: 1.0,
};

/// Draws `items` as a compact SVG.
pub(super) fn draw(items: &[Item]) -> String {
    let stops = stops(items);
    let after: Vec<&Item> = items.iter().filter(|i| i.at.is_none()).collect();
    let x_end = W - X0 - if after.is_empty() { 0.0 } else { AFTER };
    let length = x_end - X0;
    let mut svg = Svg::default();
    let label = summary(items);
    svg.open("timeline-compact", H, "img", &label);
    svg.push("<title>");
    svg.esc(&label);
    svg.push("</title>");
    let line = axis_stops(&stops);
    let axis = scale(&line, length).map(|k| axis::lay_out(&line, k, ROOM, X0));
    // Zooms of the line: (start, end, the period its events' dates give).
    let zooms: Vec<(f64, f64, String)> = axis
        .iter()
        .flat_map(|a| &a.zooms)
        .filter(|z| z.depth == 1)
        .map(|z| {
            let dates: Vec<_> = stops[z.stops.0..=z.stops.1]
                .iter()
                .flat_map(|(_, list)| list.iter().filter_map(|&k| items[k].date))
                .collect();
            let period = match (dates.first(), dates.last()) {
                (Some(a), Some(b)) => range(*a, *b),
                _ => String::new(),
            };
            (z.top, z.bottom, period)
        })
        .collect();
    // Labels above the line, as (start, end), so that none covers another.
    let mut above: Vec<(f64, f64)> = Vec::new();
    let pending = after.iter().filter(|i| i.pending).count();
    let after_words = match (pending, after.len() - pending) {
        (_, _) if after.is_empty() => String::new(),
        (0, u) => format!("{u} undated"),
        (p, 0) => format!("{p} pending"),
        (p, u) => format!("{p} pending, {u} undated"),
    };
    if !after_words.is_empty() {
        above.push((W - X0 - width(&after_words, FONT), W - X0));
    }
    let marks = marks(items, &stops, &line, axis.as_ref(), length);
    if let (Some(first), Some(last)) = (marks.first(), marks.last()) {
        for (a, b, period) in &zooms {
            let w = width(period, FONT);
            let x = ((a + b - w) / 2.0).min(W - X0 - w).max(X0);
            if period.is_empty() || above.iter().any(|(p, q)| x - 8.0 < *q && *p < x + w + 8.0) {
                continue;
            }
            above.push((x, x + w));
            text(&mut svg, x, "start", AY - 16.0, period);
        }
        for z in &zooms {
            svg.push(&format!(
                "<rect class=\"ts-zoom\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"24\" rx=\"4\" fill=\"currentColor\" fill-opacity=\"0.08\"/>",
                x = num(z.0),
                y = num(AY - 12.0),
                w = num(z.1 - z.0)
            ));
            for b in [z.0, z.1] {
                svg.push(&format!(
                    "<path class=\"ts-break\" d=\"M{x1} {y}l5 -14M{x2} {y}l5 -14\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>",
                    x1 = num(b - 5.0),
                    x2 = num(b + 1.0),
                    y = num(AY + 7.0)
                ));
            }
        }
        let (a, b) = (first.x - 8.0, last.x + 8.0);
        let mut runs = vec![(a, b)];
        for z in &zooms {
            runs = runs
                .into_iter()
                .flat_map(|(p, q)| {
                    let cut = [z.0, z.1];
                    if p < cut[0] && cut[1] < q {
                        vec![
                            (p, cut[0] - 4.0),
                            (cut[0] + 4.0, cut[1] - 4.0),
                            (cut[1] + 4.0, q),
                        ]
                    } else {
                        vec![(p, q)]
                    }
                })
                .collect();
        }
        for (p, q) in runs.into_iter().filter(|(p, q)| q > p) {
            svg.push(&format!(
                "<path class=\"ts-axis\" d=\"M{p} {y}H{q}\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                p = num(p),
                q = num(q),
                y = num(AY)
            ));
        }
        for m in &marks {
            if m.dated {
                svg.push(&format!(
                    "<circle class=\"ts-dot\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\"/>",
                    num(m.x),
                    num(AY),
                    num(m.r)
                ));
            } else {
                svg.push(&format!(
                    "<circle class=\"ts-ring\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"Canvas\" stroke=\"currentColor\" stroke-width=\"2\"/>",
                    num(m.x),
                    num(AY),
                    num(m.r - 0.5)
                ));
            }
        }
        // The years at both ends (axis labels, never an event's date).
        let year = |day: i64| civil(day).0.to_string();
        let (y0, y1) = (year(first.first), year(last.last));
        text(&mut svg, first.x - R, "start", AY + 26.0, &y0);
        if y1 != y0 && last.x - first.x > width(&y0, FONT) + width(&y1, FONT) + 8.0 {
            text(&mut svg, last.x + R, "end", AY + 26.0, &y1);
        }
    }
    if !after.is_empty() {
        let start = if marks.is_empty() { X0 } else { x_end + 10.0 };
        svg.push(&format!(
            "<path class=\"ts-axis ts-after\" d=\"M{a} {y}H{b}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>",
            a = num(start - 6.0),
            b = num(W - X0),
            y = num(AY)
        ));
        let shown = after.len().min(MAX_AFTER);
        for (k, item) in after.iter().take(shown).enumerate() {
            let x = W - X0 - 6.0 - 14.0 * (shown - 1 - k) as f64;
            if item.pending {
                diamond(&mut svg, x, AY);
            } else {
                svg.push(&format!(
                    "<circle class=\"ts-ring\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"Canvas\" stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>",
                    num(x),
                    num(AY)
                ));
            }
        }
        text(&mut svg, W - X0, "end", AY - 16.0, &after_words);
    }
    svg.push("</svg>");
    svg.finish().concat()
}

/// A label by the line, its baseline at `y`.
fn text(svg: &mut Svg, x: f64, anchor: &str, y: f64, s: &str) {
    svg.push(&format!(
        "<text class=\"ts-tick-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"currentColor\">",
        num(x),
        num(y)
    ));
    svg.esc(s);
    svg.push("</text>");
}

/// One mark on the line: a stop, or (on a crowded site) several merged.
struct Mark {
    x: f64,
    r: f64,
    dated: bool,
    /// The first and last day it stands for.
    first: i64,
    last: i64,
}

fn axis_stops(stops: &[(i64, Vec<usize>)]) -> Vec<Stop> {
    stops
        .iter()
        .map(|(day, _)| Stop {
            t: *day as f64,
            below: R,
        })
        .collect()
}

/// The scale at which the stops fit in `length`, if any.
fn scale(stops: &[Stop], length: f64) -> Option<f64> {
    let span = stops.last()?.t - stops.first()?.t;
    if span <= 0.0 {
        return Some(1.0);
    }
    axis::fit(stops, ROOM, length, length / span * 1e-6, length / span)
}

/// The marks: each stop where the axis fits, else stops merged where they would overlap on a
/// plain proportional line (a bigger mark for more events).
fn marks(
    items: &[Item],
    stops: &[(i64, Vec<usize>)],
    line: &[Stop],
    axis: Option<&axis::Axis>,
    length: f64,
) -> Vec<Mark> {
    let dated = |list: &[usize]| list.iter().any(|&k| items[k].date.is_some());
    if let Some(axis) = axis {
        return stops
            .iter()
            .zip(&axis.pos)
            .map(|((day, list), &x)| Mark {
                x,
                r: R,
                dated: dated(list),
                first: *day,
                last: *day,
            })
            .collect();
    }
    let (Some(a), Some(b)) = (line.first(), line.last()) else {
        return Vec::new();
    };
    let span = (b.t - a.t).max(1.0);
    let mut out: Vec<(Mark, usize, f64)> = Vec::new();
    for ((day, list), stop) in stops.iter().zip(line) {
        let x = X0 + (stop.t - a.t) / span * length;
        match out.last_mut() {
            Some((m, n, first_x)) if x - *first_x < 2.0 * R + 2.0 => {
                m.x = (m.x * *n as f64 + x) / (*n as f64 + 1.0);
                *n += 1;
                m.dated |= dated(list);
                m.last = *day;
            }
            _ => out.push((
                Mark {
                    x,
                    r: R,
                    dated: dated(list),
                    first: *day,
                    last: *day,
                },
                1,
                x,
            )),
        }
    }
    out.into_iter()
        .map(|(mut m, n, _)| {
            m.r = R + (n as f64).log2().min(3.0);
            m
        })
        .collect()
}
