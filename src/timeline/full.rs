//! The full drawing: a vertical axis (narrow screens first), year ticks on its left, every event
//! on its right as a link to its note, dense periods zoomed between breaks of the axis, then the
//! undated and the pending events. Decorations are hidden from screen readers; the links, in
//! time order, carry the text.

use super::axis::{self, Axis, Room, Stop};
use super::text::{width, wrap};
use super::{FONT, Item, Svg, WIDTH, civil, num, range, stops, summary};
use crate::content::date::month_abbr;

const W: f64 = WIDTH;
/// Where the axis runs.
const AX: f64 = 80.0;
/// Where labels start.
const LX: f64 = 96.0;
/// Room for a label's lines.
const LW: f64 = W - LX - 6.0;
/// One line of a label.
const LINE: f64 = 18.0;
/// A label starts this far before its stop's position.
const ABOVE: f64 = 12.0;
/// Between labels of events on the same day.
const STACKED_GAP: f64 = 6.0;
/// Least distance between tick labels.
const TICK_GAP: f64 = 40.0;
const ROOM: Room = Room {
    above: ABOVE,
    gap: 12.0,
    caption: 34.0,
    brk: 16.0,
    end: 6.0,
};
/// Fonts whose widths `text::width` estimates.
pub(super) const FONTS: &str = "Arial,Helvetica,'Liberation Sans',system-ui,sans-serif";

/// An event's label: its lines, and whether the first line is the time.
struct Label {
    when: Vec<String>,
    title: Vec<String>,
}

impl Label {
    fn new(item: &Item) -> Label {
        Label {
            when: if item.when.is_empty() {
                Vec::new()
            } else {
                wrap(&item.when, LW, FONT)
            },
            title: wrap(&item.title, LW, FONT),
        }
    }

    fn height(&self) -> f64 {
        LINE * (self.when.len() + self.title.len()) as f64 + 2.0
    }
}

/// Draws `items` (axis events first, in order, then undated, then pending) into `svg`.
pub(super) fn draw(items: &[Item], svg: &mut Svg) {
    let labels: Vec<Label> = items.iter().map(Label::new).collect();
    let stops = stops(items);
    // Room each stop's labels take past its position.
    let below = |list: &[usize]| {
        list.iter().map(|&k| labels[k].height()).sum::<f64>()
            + STACKED_GAP * (list.len().saturating_sub(1)) as f64
            - ABOVE
    };
    let axis_stops: Vec<Stop> = stops
        .iter()
        .map(|(day, list)| Stop {
            t: *day as f64,
            below: below(list),
        })
        .collect();
    let roughly = items.iter().any(|i| i.at.is_some() && i.date.is_none());
    let mut y = 10.0;
    let legend_top = y;
    if roughly {
        y += legend_height();
    }
    let start = y + ABOVE + 8.0;
    let axis = match (axis_stops.first(), axis_stops.last()) {
        (Some(first), Some(last)) => {
            let span = last.t - first.t;
            let need: f64 = axis_stops[..axis_stops.len() - 1]
                .iter()
                .map(|s| s.below + ROOM.above + ROOM.gap)
                .sum();
            // The base scale gives the axis about the length its labels need, so only runs
            // denser than the average are zoomed.
            let scale = if span > 0.0 {
                need.max(360.0) / span
            } else {
                1.0
            };
            axis::lay_out(&axis_stops, scale, ROOM, start)
        }
        _ => Axis {
            end: y,
            ..Axis::default()
        },
    };
    // Where the stops' labels end.
    let content_end = match axis_stops.last() {
        Some(s) => (axis.pos[axis_stops.len() - 1] + s.below).max(axis.end),
        None => y,
    };
    // The undated and pending groups after the axis.
    let mut groups: Vec<(&str, Vec<usize>, f64)> = Vec::new();
    let mut gy = content_end + if stops.is_empty() { 0.0 } else { 26.0 };
    for (name, pending) in [("Undated", false), ("Pending", true)] {
        let list: Vec<usize> = (0..items.len())
            .filter(|&k| items[k].at.is_none() && items[k].pending == pending)
            .collect();
        if list.is_empty() {
            continue;
        }
        let next = gy + 26.0 + list.iter().map(|&k| labels[k].height() + 12.0).sum::<f64>();
        groups.push((name, list, gy));
        gy = next;
    }
    let height = gy.max(content_end) + 10.0;

    svg.open("timeline-full", height, "group", &summary(items));
    // Decorations, hidden from screen readers: the links below say it all.
    svg.push("<g aria-hidden=\"true\">");
    if roughly {
        legend(svg, legend_top);
    }
    if !stops.is_empty() {
        zooms(svg, items, &stops, &axis);
        let axis_start = axis
            .zooms
            .first()
            .map_or(axis.pos[0], |z| z.top.min(axis.pos[0]))
            - 8.0;
        let axis_end = axis.end + 8.0;
        for r in axis.runs(axis_start, axis_end) {
            let a = r.a + if r.cut_a { 5.0 } else { 0.0 };
            let b = r.b - if r.cut_b { 5.0 } else { 0.0 };
            if b > a {
                svg.push(&format!(
                    "<path class=\"ts-axis\" d=\"M{x} {a}V{b}\" stroke=\"currentColor\" stroke-width=\"{sw}\"{dash}/>",
                    x = num(AX),
                    a = num(a),
                    b = num(b),
                    sw = num(1.5 + f64::from(r.depth)),
                    dash = if r.to_scale { "" } else { " stroke-dasharray=\"4 3\"" }
                ));
            }
        }
        for z in &axis.zooms {
            for b in [z.top, z.bottom] {
                svg.push(&format!(
                    "<path class=\"ts-break\" d=\"M{l} {y1}l16 -5M{l} {y2}l16 -5\" stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>",
                    l = num(AX - 8.0),
                    y1 = num(b - 1.0),
                    y2 = num(b + 5.0)
                ));
            }
        }
        ticks(svg, &axis);
        if !groups.is_empty() {
            let last = groups.last().map_or(axis_end, |(_, list, top)| {
                let positions = group_positions(*top, list, &labels);
                positions.last().copied().unwrap_or(*top)
            });
            svg.push(&format!(
                "<path class=\"ts-axis ts-after\" d=\"M{x} {a}V{b}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>",
                x = num(AX),
                a = num(axis_end + 4.0),
                b = num(last)
            ));
        }
        for (s, (_, list)) in stops.iter().enumerate() {
            let pos = axis.pos[s];
            if list.iter().any(|&k| items[k].date.is_some()) {
                dot(svg, pos);
            } else {
                ring(svg, pos, false);
            }
            leaders(svg, pos, list, items, &labels);
        }
    }
    for (_, list, top) in &groups {
        for (&k, pos) in list.iter().zip(group_positions(*top, list, &labels)) {
            if items[k].pending {
                diamond(svg, AX, pos);
            } else {
                ring(svg, pos, true);
            }
            leaders(svg, pos, &[k], items, &labels);
        }
    }
    svg.push("</g>");
    for (s, (_, list)) in stops.iter().enumerate() {
        let mut top = axis.pos[s] - ABOVE;
        for &k in list {
            label(svg, &items[k], &labels[k], top);
            top += labels[k].height() + STACKED_GAP;
        }
    }
    for (name, list, top) in &groups {
        svg.push(&format!(
            "<text class=\"ts-group\" x=\"{}\" y=\"{}\" font-weight=\"700\" fill=\"currentColor\">{name}</text>",
            num(LX),
            num(top + 14.0)
        ));
        for (&k, pos) in list.iter().zip(group_positions(*top, list, &labels)) {
            label(svg, &items[k], &labels[k], pos - ABOVE);
        }
    }
    svg.push("</svg>");
}

/// Positions of a group's events, its heading at `top`.
fn group_positions(top: f64, list: &[usize], labels: &[Label]) -> Vec<f64> {
    let mut y = top + 26.0 + ABOVE;
    list.iter()
        .map(|&k| {
            let pos = y;
            y += labels[k].height() + 12.0;
            pos
        })
        .collect()
}

/// The legend's rows: a filled or a hollow mark, and what it means.
fn legend_rows() -> Vec<(bool, Vec<String>)> {
    [
        (true, "dated"),
        (false, "time in the source's words, placed roughly"),
    ]
    .into_iter()
    .map(|(filled, text)| (filled, wrap(text, LW, FONT)))
    .collect()
}

fn legend_height() -> f64 {
    let lines: usize = legend_rows().iter().map(|(_, l)| l.len()).sum();
    LINE * lines as f64 + 12.0
}

/// What the marks mean, where some are not plain dates.
fn legend(svg: &mut Svg, top: f64) {
    let mut y = top + 8.0;
    for (filled, text) in legend_rows() {
        if filled {
            dot(svg, y);
        } else {
            ring(svg, y, false);
        }
        svg.push(&format!(
            "<text class=\"ts-legend\" x=\"{}\" y=\"{}\" fill=\"currentColor\">",
            num(LX),
            num(y + 5.0)
        ));
        lines(svg, &text);
        svg.push("</text>");
        y += LINE * text.len() as f64;
    }
}

/// The zooms' shaded bands and captions.
fn zooms(svg: &mut Svg, items: &[Item], stops: &[(i64, Vec<usize>)], axis: &Axis) {
    for z in &axis.zooms {
        svg.push(&format!(
            "<rect class=\"ts-zoom\" x=\"2\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"currentColor\" fill-opacity=\"0.07\"/>",
            y = num(z.top),
            w = num(W - 4.0),
            h = num(z.bottom - z.top)
        ));
        // The period as the events' own dates give it (an `around` date is never shown).
        let dates: Vec<_> = stops[z.stops.0..=z.stops.1]
            .iter()
            .flat_map(|(_, list)| list.iter().filter_map(|&k| items[k].date))
            .collect();
        let period = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) => range(*a, *b),
            _ => String::new(),
        };
        let what = if z.to_scale {
            "Enlarged"
        } else {
            "Not to scale"
        };
        let mut caption = if period.is_empty() {
            what.to_string()
        } else {
            format!("{what}: {period}")
        };
        if width(&caption, FONT) > LW {
            caption = what.to_string();
        }
        svg.push(&format!(
            "<text class=\"ts-caption\" x=\"{}\" y=\"{}\" font-style=\"italic\" fill=\"currentColor\">",
            num(LX),
            num(z.top + 22.0)
        ));
        svg.esc(&caption);
        svg.push("</text>");
    }
}

/// Ticks on the left of the axis: years, months or days, as the scale of each piece allows,
/// never two labels closer than `TICK_GAP`.
fn ticks(svg: &mut Svg, axis: &Axis) {
    let mut all: Vec<(f64, String)> = Vec::new();
    for p in &axis.pieces {
        let scale = p.scale();
        let Some(step) = STEPS.iter().find(|s| s.days() * scale >= TICK_GAP) else {
            continue;
        };
        for (k, (day, label)) in step.ticks(p.t0, p.t1).into_iter().enumerate() {
            let label = if k == 0 {
                step.first_label(day, label)
            } else {
                label
            };
            all.push((p.at(day as f64), label));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let breaks: Vec<f64> = axis.zooms.iter().flat_map(|z| [z.top, z.bottom]).collect();
    let mut last = f64::NEG_INFINITY;
    for (y, label) in all {
        if y - last < TICK_GAP / 2.0 || breaks.iter().any(|b| (b - y).abs() < 8.0) {
            continue;
        }
        last = y;
        svg.push(&format!(
            "<path class=\"ts-tick\" d=\"M{a} {y}H{x}\" stroke=\"currentColor\" stroke-width=\"1.5\"/><text class=\"ts-tick-label\" x=\"{lx}\" y=\"{ly}\" text-anchor=\"end\" fill=\"currentColor\">",
            a = num(AX - 6.0),
            x = num(AX),
            y = num(y),
            lx = num(AX - 10.0),
            ly = num(y + 5.0)
        ));
        svg.esc(&label);
        svg.push("</text>");
    }
}

/// Calendar steps for ticks, finest first.
#[derive(Debug, Clone, Copy)]
enum Step {
    Days(i64),
    Months(u8),
    Years(i64),
}

const STEPS: [Step; 15] = [
    Step::Days(1),
    Step::Days(7),
    Step::Months(1),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(200),
    Step::Years(500),
    Step::Years(1000),
];

/// At most this many ticks in one piece (a bound, never reached by a readable axis).
const MAX_TICKS: usize = 1000;

impl Step {
    /// About how many days apart.
    fn days(self) -> f64 {
        match self {
            Step::Days(n) => n as f64,
            Step::Months(n) => f64::from(n) * 30.44,
            Step::Years(n) => n as f64 * 365.25,
        }
    }

    /// The ticks between `t0` and `t1` (days): (day, label).
    fn ticks(self, t0: f64, t1: f64) -> Vec<(i64, String)> {
        let mut out = Vec::new();
        let (from, to) = (t0.ceil() as i64, t1.floor() as i64);
        let (y0, m0, _) = civil(from);
        match self {
            Step::Days(n) => {
                // Weeks start on Mondays (1970-01-01 was a Thursday).
                let mut d = from;
                while (d + 3).rem_euclid(n) != 0 {
                    d += 1;
                }
                while d <= to && out.len() < MAX_TICKS {
                    let (_, m, day) = civil(d);
                    out.push((d, format!("{day} {}", month_abbr(m))));
                    d += n;
                }
            }
            Step::Months(n) => {
                let (mut y, mut m) = (y0, m0);
                while out.len() < MAX_TICKS {
                    let d = crate::content::date::days_from_civil(y, m, 1);
                    if d > to {
                        break;
                    }
                    if d >= from && (m - 1) % n == 0 {
                        let label = if m == 1 {
                            y.to_string()
                        } else {
                            month_abbr(m).to_string()
                        };
                        out.push((d, label));
                    }
                    (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                }
            }
            Step::Years(n) => {
                let mut y = y0 + (n - y0.rem_euclid(n)) % n;
                while out.len() < MAX_TICKS {
                    let d = crate::content::date::days_from_civil(y, 1, 1);
                    if d > to {
                        break;
                    }
                    if d >= from {
                        out.push((d, y.to_string()));
                    }
                    y += n;
                }
            }
        }
        out
    }

    /// The first label of a piece says the year too when a month alone would not.
    fn first_label(self, day: i64, label: String) -> String {
        let (y, m, _) = civil(day);
        match self {
            Step::Months(_) if m != 1 => format!("{} {y}", month_abbr(m)),
            _ => label,
        }
    }
}

/// A filled dot: an event the source dates.
fn dot(svg: &mut Svg, y: f64) {
    svg.push(&format!(
        "<circle class=\"ts-dot\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"currentColor\"/>",
        num(AX),
        num(y)
    ));
}

/// A ring: an event placed roughly (or, dashed, an undated one).
fn ring(svg: &mut Svg, y: f64, dashed: bool) {
    svg.push(&format!(
        "<circle class=\"ts-ring\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"Canvas\" stroke=\"currentColor\" stroke-width=\"2\"{}/>",
        num(AX),
        num(y),
        if dashed { " stroke-dasharray=\"2 2\"" } else { "" }
    ));
}

/// A diamond: a pending event.
pub(super) fn diamond(svg: &mut Svg, x: f64, y: f64) {
    svg.push(&format!(
        "<path class=\"ts-pending\" d=\"M{} {}l6 6-6 6-6-6z\" fill=\"Canvas\" stroke=\"currentColor\" stroke-width=\"2\"/>",
        num(x),
        num(y - 6.0)
    ));
}

/// Lines from a stop's mark to each of its labels; dashed to an event the source does not
/// date (its time in words, or none), which may share the mark of a dated one.
fn leaders(svg: &mut Svg, pos: f64, list: &[usize], items: &[Item], labels: &[Label]) {
    let mut top = pos - ABOVE;
    for &k in list {
        let mid = top + 11.0;
        svg.push(&format!(
            "<path class=\"ts-leader\" d=\"M{a} {pos}L{b} {mid}\" stroke=\"currentColor\" stroke-opacity=\"0.5\" fill=\"none\"{dash}/>",
            a = num(AX + 7.0),
            b = num(LX - 4.0),
            pos = num(pos),
            mid = num(mid),
            dash = if items[k].date.is_some() { "" } else { " stroke-dasharray=\"2 2\"" }
        ));
        top += labels[k].height() + STACKED_GAP;
    }
}

/// One event's label, a link to its note, its top at `top`.
fn label(svg: &mut Svg, item: &Item, label: &Label, top: f64) {
    svg.push("<a class=\"ts-event");
    if item.pending {
        svg.push(" ts-is-pending");
    }
    svg.push("\" href=\"");
    svg.path(&item.href);
    svg.push(&format!(
        "\"><rect class=\"ts-hit\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"4\" fill=\"transparent\"/>",
        x = num(LX - 5.0),
        y = num(top - 3.0),
        w = num(W - LX + 3.0),
        h = num(label.height() + 4.0)
    ));
    let mut baseline = top + 15.0;
    if !label.when.is_empty() {
        svg.push(&format!(
            "<text class=\"{}\" x=\"{}\" y=\"{}\" font-weight=\"600\"{} fill=\"currentColor\">",
            if item.words {
                "ts-when ts-words"
            } else {
                "ts-when"
            },
            num(LX),
            num(baseline),
            if item.words {
                " font-style=\"italic\""
            } else {
                ""
            }
        ));
        lines(svg, &label.when);
        // A space between the texts, so that the link's name reads as words.
        svg.push("</text> ");
        baseline += LINE * label.when.len() as f64;
    }
    svg.push(&format!(
        "<text class=\"ts-title\" x=\"{}\" y=\"{}\" fill=\"currentColor\">",
        num(LX),
        num(baseline)
    ));
    lines(svg, &label.title);
    svg.push("</text></a>");
}

/// Lines as `<tspan>`s of one `<text>`, a space between them so they read as one text.
fn lines(svg: &mut Svg, lines: &[String]) {
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            svg.push(" ");
        }
        svg.push(&format!(
            "<tspan x=\"{}\" dy=\"{}\">",
            num(LX),
            if k == 0 { "0".to_string() } else { num(LINE) }
        ));
        svg.esc(line);
        svg.push("</tspan>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::date::days_from_civil;

    #[test]
    fn ticks_follow_the_calendar() {
        let d = |y, m, day| days_from_civil(y, m, day) as f64;
        let years = Step::Years(1).ticks(d(2014, 7, 1), d(2017, 1, 1));
        assert_eq!(
            years.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["2015", "2016", "2017"]
        );
        let quarters = Step::Months(3).ticks(d(2022, 5, 1), d(2023, 2, 1));
        assert_eq!(
            quarters.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["Jul", "Oct", "2023"]
        );
        assert_eq!(
            Step::Months(3).first_label(quarters[0].0, "Jul".into()),
            "Jul 2022"
        );
        let weeks = Step::Days(7).ticks(d(2023, 9, 23), d(2023, 10, 2));
        assert_eq!(
            weeks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["25 Sep", "2 Oct"]
        );
    }
}
