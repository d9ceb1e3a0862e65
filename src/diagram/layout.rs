//! Where a diagram's nodes, edges and edge labels go: labels wrapped by an estimate of each
//! character's width (no font is at hand at build time), boxes sized to them and placed by
//! `layered` (layers down the page, or across for `rankdir=LR`), edges drawn as smooth curves
//! through the layout's points, leaving and entering boxes at spread-out ports.

use super::layered;
use super::parse::{Direction, Graph, Shape};

/// The font size of node labels, in the SVG's units (CSS pixels at natural size).
pub const FONT: f64 = 14.0;
/// The distance between two lines of a node's label.
pub const LINE: f64 = 18.0;
/// The font size of edge labels.
pub const EDGE_FONT: f64 = 12.0;
/// The distance between two lines of an edge's label.
pub const EDGE_LINE: f64 = 15.0;
/// The most lines a node's label shows (the rest is cut with `…`; the full label stays in
/// the node's accessible name and the text list).
const MAX_LINES: usize = 4;
/// Inner space of a node around its label.
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 7.0;
/// Space around the drawing.
const MARGIN: f64 = 4.0;
/// How far a loop from a node to itself reaches out.
const LOOP: f64 = 26.0;
/// The widths (in label pixels) tried for wrapping, widest first: a narrower one is taken
/// while the drawing is wider than `NARROW`.
const WRAPS: [f64; 3] = [150.0, 115.0, 85.0];
/// The most nodes a diagram may have to be laid out again with narrower labels.
const MAX_REWRAP_NODES: usize = 40;
/// The widest drawing whose 14-pixel text stays at 12 pixels or more when a 360-pixel screen
/// (330 pixels of content) scales it down.
pub const NARROW: f64 = 385.0;

/// A laid-out diagram, in SVG units with the origin at the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
    /// One box per node, same indices as `Graph::nodes`.
    pub nodes: Vec<NodeBox>,
    /// One path per pair of nodes with edges between them (in the order of their first edge
    /// in `Graph::edges`).
    pub edges: Vec<EdgePath>,
    /// Edge labels: centre and lines.
    pub labels: Vec<(Pt, Vec<String>)>,
}

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    /// Across.
    pub x: f64,
    /// Down.
    pub y: f64,
}

/// Where a node is drawn and its label's lines.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    /// Its centre.
    pub center: Pt,
    /// Its width.
    pub width: f64,
    /// Its height.
    pub height: f64,
    /// Its label, wrapped (and cut at `MAX_LINES`).
    pub lines: Vec<String>,
}

/// An edge's line: a start point and cubic Bézier segments `(control 1, control 2, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    /// The first edge it stands for (index into `Graph::edges`): its style.
    pub edge: usize,
    /// Where the line starts.
    pub start: Pt,
    /// The curve's segments.
    pub segments: Vec<(Pt, Pt, Pt)>,
    /// Arrowheads at (start, end).
    pub heads: (bool, bool),
}

/// Lays out `graph`, whose node labels are `labels` (same indices as its nodes). Wraps the
/// labels narrower when the drawing would be too wide for a phone.
pub fn layout(graph: &Graph, labels: &[String]) -> Layout {
    let mut best: Option<Layout> = None;
    for wrap in WRAPS {
        let l = layout_at(graph, labels, wrap);
        let fits = l.width <= NARROW;
        if best.as_ref().is_none_or(|b| l.width < b.width) {
            best = Some(l);
        }
        // Narrower labels do not make a large diagram fit: it is laid out once.
        if fits || graph.nodes.len() > MAX_REWRAP_NODES {
            break;
        }
    }
    best.expect("WRAPS is not empty")
}

/// The line drawn between two nodes: every edge between them (either way) shares one.
struct Between {
    /// Its first edge (index into `Graph::edges`), whose direction it takes.
    edge: usize,
    from: usize,
    to: usize,
    /// Arrowheads at (from, to): those of every edge it stands for.
    heads: (bool, bool),
    /// The edges' labels, joined.
    label: Option<String>,
}

/// One `Between` per pair of nodes with edges, in the order of their first edge.
fn lines_between(graph: &Graph) -> Vec<Between> {
    let mut lines: Vec<Between> = Vec::new();
    let mut by_pair = std::collections::HashMap::new();
    for (i, e) in graph.edges.iter().enumerate() {
        let key = (e.from.min(e.to), e.from.max(e.to));
        let at = *by_pair.entry(key).or_insert_with(|| {
            lines.push(Between {
                edge: i,
                from: e.from,
                to: e.to,
                heads: (false, false),
                label: None,
            });
            lines.len() - 1
        });
        let line = &mut lines[at];
        let (start, end) = if line.from == e.from {
            (e.head_at_start, e.head_at_end)
        } else {
            (e.head_at_end, e.head_at_start)
        };
        line.heads.0 |= start;
        line.heads.1 |= end;
        if let Some(l) = &e.label {
            match &mut line.label {
                Some(joined) => {
                    joined.push_str("; ");
                    joined.push_str(l);
                }
                None => line.label = Some(l.clone()),
            }
        }
    }
    lines
}

/// Turns sizes and points between the page and the layout's frame, whose layers run down:
/// the identity top to bottom, a swap of the axes left to right.
#[derive(Clone, Copy)]
struct Frame(bool);

impl Frame {
    fn size(self, w: f64, h: f64) -> (f64, f64) {
        if self.0 { (h, w) } else { (w, h) }
    }

    fn pt(self, (a, b): (f64, f64)) -> Pt {
        if self.0 {
            Pt { x: b, y: a }
        } else {
            Pt { x: a, y: b }
        }
    }

    /// The drawn path of `line`, from a curve in the frame.
    fn path(self, line: &Between, start: F2, segments: Vec<(F2, F2, F2)>) -> EdgePath {
        EdgePath {
            edge: line.edge,
            start: self.pt(start),
            segments: segments
                .into_iter()
                .map(|(p, q, r)| (self.pt(p), self.pt(q), self.pt(r)))
                .collect(),
            heads: line.heads,
        }
    }
}

fn layout_at(graph: &Graph, labels: &[String], wrap: f64) -> Layout {
    let frame = Frame(graph.direction == Direction::Right);
    let mut nodes: Vec<NodeBox> = graph
        .nodes
        .iter()
        .zip(labels)
        .map(|(node, label)| {
            let lines = wrap_label(label, wrap, FONT, MAX_LINES);
            let text_w = lines
                .iter()
                .map(|l| text_width(l, FONT))
                .fold(0.0, f64::max);
            let (mut width, mut height) = (
                (text_w + 2.0 * PAD_X).max(40.0),
                lines.len() as f64 * LINE + 2.0 * PAD_Y,
            );
            if node.shape == Shape::Ellipse {
                // An ellipse around the text's box.
                width *= 1.3;
                height *= 1.4;
            }
            NodeBox {
                center: Pt { x: 0.0, y: 0.0 },
                width,
                height,
                lines,
            }
        })
        .collect();
    let between = lines_between(graph);
    let label_lines: Vec<Option<Vec<String>>> = between
        .iter()
        .map(|b| {
            b.label
                .as_deref()
                .map(|l| wrap_label(l, 110.0, EDGE_FONT, 3))
        })
        .collect();
    let label_size = |lines: &[String]| {
        let w = lines
            .iter()
            .map(|t| text_width(t, EDGE_FONT))
            .fold(0.0, f64::max);
        frame.size(w + 8.0, lines.len() as f64 * EDGE_LINE + 4.0)
    };
    let mut input = layered::Input {
        sizes: nodes
            .iter()
            .map(|n| frame.size(n.width, n.height))
            .collect(),
        edges: Vec::new(),
        extra: vec![0.0; nodes.len()],
        gap: if frame.0 { (20.0, 40.0) } else { (20.0, 34.0) },
    };
    // Which lines are laid out (not loops), by index into `input.edges`.
    let mut laid = Vec::new();
    for (k, b) in between.iter().enumerate() {
        let size = label_lines[k].as_deref().map(label_size);
        if b.from == b.to {
            input.extra[b.from] += LOOP + 6.0 + size.map_or(0.0, |s| s.0);
        } else {
            input.edges.push((b.from, b.to, size));
            laid.push(k);
        }
    }
    let placed = layered::place(&input);
    for (n, &c) in nodes.iter_mut().zip(&placed.centers) {
        n.center = frame.pt(c);
    }
    let ports = Ports::new(&input, &placed);
    let mut edges = Vec::with_capacity(between.len());
    let mut edge_labels = Vec::new();
    let mut routes = laid.iter().zip(&placed.routes).enumerate().peekable();
    for (k, b) in between.iter().enumerate() {
        let lines = label_lines[k].clone();
        if b.from == b.to {
            let (start, segments, label_at) = self_loop(
                &input,
                &placed,
                graph,
                b.from,
                lines.as_deref().map(label_size),
            );
            edges.push(frame.path(b, start, segments));
            if let Some(lines) = lines {
                edge_labels.push((frame.pt(label_at), lines));
            }
            continue;
        }
        let Some((r, (_, route))) = routes.next() else {
            continue;
        };
        let ends = (
            ports.at(r, true, &input, &placed, graph),
            ports.at(r, false, &input, &placed, graph),
        );
        let (start, segments) = curve(&route.points, ends);
        edges.push(frame.path(b, start, segments));
        if let (Some(lines), Some(at)) = (lines, route.label) {
            edge_labels.push((frame.pt(at), lines));
        }
    }
    let mut l = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        edges,
        labels: edge_labels,
    };
    fit(&mut l);
    l
}

type F2 = (f64, f64);

/// A smooth curve through `points` (in the frame) from the port `ends.0` to the port
/// `ends.1`: each piece leaves and arrives along the layers' direction.
fn curve(points: &[F2], ends: (F2, F2)) -> (F2, Vec<(F2, F2, F2)>) {
    let mut through: Vec<F2> = Vec::with_capacity(points.len());
    through.push(ends.0);
    if points.len() > 2 {
        for (k, &p) in points[1..points.len() - 1].iter().enumerate() {
            // A point in a straight run (its neighbours at the same place across) adds
            // nothing to the curve: a long edge is one segment per bend, not per layer.
            let (before, after) = (points[k], points[k + 2]);
            let straight = (before.0 - p.0).abs() < 0.5 && (after.0 - p.0).abs() < 0.5;
            if !straight {
                through.push(p);
            }
        }
    }
    through.push(ends.1);
    let segments = through
        .windows(2)
        .map(|w| {
            let (p, q) = (w[0], w[1]);
            let half = (q.1 - p.1) / 2.0;
            ((p.0, p.1 + half), (q.0, q.1 - half), q)
        })
        .collect();
    (ends.0, segments)
}

/// A loop from a node to itself on its side (in the frame): start, segments, label centre.
fn self_loop(
    input: &layered::Input,
    placed: &layered::Output,
    graph: &Graph,
    node: usize,
    label: Option<F2>,
) -> (F2, Vec<(F2, F2, F2)>, F2) {
    let (cx, cy) = placed.centers[node];
    let (a, b) = (input.sizes[node].0 / 2.0, input.sizes[node].1 / 2.0);
    let side = if graph.nodes[node].shape == Shape::Ellipse {
        a * 0.94
    } else {
        a
    };
    let start = (cx + side, cy - b / 3.0);
    let end = (cx + side, cy + b / 3.0);
    let out = cx + a + LOOP;
    let segments = vec![((out, start.1 - 8.0), (out, end.1 + 8.0), end)];
    let label_at = (out + 4.0 + label.map_or(0.0, |s| s.0 / 2.0), cy);
    (start, segments, label_at)
}

/// Per side of a node (node, facing down): the edges leaving or entering there as (edge, is
/// its start, where it goes across).
type Sides = std::collections::BTreeMap<(usize, bool), Vec<(usize, bool, f64)>>;

/// Where edges leave and enter their nodes: spread along the side facing the next point, in
/// the order of where they go, so edges of one node do not start at one point.
struct Ports {
    /// Per laid-out edge: the offset across of its (start, end).
    offsets: Vec<(f64, f64)>,
}

impl Ports {
    fn new(input: &layered::Input, placed: &layered::Output) -> Self {
        let mut sides: Sides = Sides::new();
        for (k, ((from, to, _), route)) in input.edges.iter().zip(&placed.routes).enumerate() {
            let points = &route.points;
            let (Some(&first), Some(&second)) = (points.first(), points.get(1)) else {
                continue;
            };
            let (Some(&last), Some(&before)) =
                (points.last(), points.get(points.len().wrapping_sub(2)))
            else {
                continue;
            };
            sides
                .entry((*from, second.1 > first.1))
                .or_default()
                .push((k, true, second.0));
            sides
                .entry((*to, before.1 > last.1))
                .or_default()
                .push((k, false, before.0));
        }
        let mut offsets = vec![(0.0, 0.0); input.edges.len()];
        for ((node, _), mut list) in sides {
            list.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
            let m = list.len() as f64;
            let step = (input.sizes[node].0 * 0.8 / m).min(14.0);
            for (j, &(k, start, _)) in list.iter().enumerate() {
                let off = (j as f64 - (m - 1.0) / 2.0) * step;
                if start {
                    offsets[k].0 = off;
                } else {
                    offsets[k].1 = off;
                }
            }
        }
        Ports { offsets }
    }

    /// The port (in the frame) of laid-out edge `k`'s start (or end).
    fn at(
        &self,
        k: usize,
        start: bool,
        input: &layered::Input,
        placed: &layered::Output,
        graph: &Graph,
    ) -> F2 {
        let (from, to, _) = input.edges[k];
        let points = &placed.routes[k].points;
        let (node, toward) = if start {
            (from, points.get(1))
        } else {
            (to, points.len().checked_sub(2).and_then(|i| points.get(i)))
        };
        let (cx, cy) = placed.centers[node];
        let (a, b) = (input.sizes[node].0 / 2.0, input.sizes[node].1 / 2.0);
        let dx = if start {
            self.offsets[k].0
        } else {
            self.offsets[k].1
        };
        let down = toward.is_none_or(|p| p.1 > cy);
        let reach = if graph.nodes[node].shape == Shape::Ellipse {
            b * (1.0 - (dx / a).powi(2)).max(0.0).sqrt()
        } else {
            b
        };
        (cx + dx, if down { cy + reach } else { cy - reach })
    }
}

/// Moves the drawing to the origin (with a margin) and sets its size.
fn fit(l: &mut Layout) {
    let (mut min, mut max) = (
        Pt {
            x: f64::MAX,
            y: f64::MAX,
        },
        Pt {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    let mut grow = |p: Pt, w: f64, h: f64| {
        min.x = min.x.min(p.x - w / 2.0);
        min.y = min.y.min(p.y - h / 2.0);
        max.x = max.x.max(p.x + w / 2.0);
        max.y = max.y.max(p.y + h / 2.0);
    };
    for n in &l.nodes {
        grow(n.center, n.width, n.height);
    }
    for e in &l.edges {
        // Control points bound the curve; arrowheads reach a few pixels past the line.
        grow(e.start, 12.0, 12.0);
        for &(a, b, c) in &e.segments {
            grow(a, 0.0, 0.0);
            grow(b, 0.0, 0.0);
            grow(c, 12.0, 12.0);
        }
    }
    for (p, lines) in &l.labels {
        let w = lines
            .iter()
            .map(|t| text_width(t, EDGE_FONT))
            .fold(0.0, f64::max);
        grow(*p, w + 8.0, lines.len() as f64 * EDGE_LINE + 4.0);
    }
    if min.x > max.x {
        return;
    }
    let shift = |p: &mut Pt| {
        p.x += MARGIN - min.x;
        p.y += MARGIN - min.y;
    };
    for n in &mut l.nodes {
        shift(&mut n.center);
    }
    for e in &mut l.edges {
        shift(&mut e.start);
        for (a, b, c) in &mut e.segments {
            shift(a);
            shift(b);
            shift(c);
        }
    }
    for (p, _) in &mut l.labels {
        shift(p);
    }
    l.width = (max.x - min.x + 2.0 * MARGIN).ceil();
    l.height = (max.y - min.y + 2.0 * MARGIN).ceil();
}

/// About how wide `text` is at `font` pixels in a sans-serif font: narrow letters, wide
/// letters and capitals, and full-width scripts weighed apart.
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(|c| char_width(c) * font).sum()
}

fn char_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '‘' | '’' | '“' | '”' => 0.4,
        'm' | 'w' | 'M' | 'W' | '—' | '@' => 0.9,
        'A'..='Z' | '–' | '&' | '%' => 0.7,
        c if c.is_ascii() => 0.58,
        // Hangul, CJK and other full-width characters.
        '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' => 1.0,
        '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}' => 1.0,
        _ => 0.62,
    }
}

/// `label` in lines of at most `width` pixels (at `font`), broken at spaces, else after a
/// dash, else where a word must be broken; explicit line breaks kept; at most `max_lines`,
/// the last cut with `…` if the label does not fit.
pub fn wrap_label(label: &str, width: f64, font: f64, max_lines: usize) -> Vec<String> {
    let space = text_width(" ", font);
    let mut lines: Vec<String> = Vec::new();
    for para in label.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for whole in para.split_whitespace() {
            let mut word = whole;
            loop {
                let sep = if line.is_empty() { 0.0 } else { space };
                let room = width - line_w - sep;
                let word_w = text_width(word, font);
                if word_w <= room {
                    if sep > 0.0 {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w += sep + word_w;
                    break;
                }
                if let Some(i) = dash_break(word, room, font) {
                    if sep > 0.0 {
                        line.push(' ');
                    }
                    line.push_str(&word[..i]);
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    word = &word[i..];
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    continue;
                }
                // A word wider than a line with no dash to break at: broken where it must be.
                for c in word.chars() {
                    let w = char_width(c) * font;
                    if !line.is_empty() && line_w + w > width {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += w;
                }
                break;
            }
        }
        lines.push(line);
        if lines.len() > max_lines {
            break;
        }
    }
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            // Room for the ellipsis within the width.
            while !last.is_empty() && text_width(last, font) + font > width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    lines
}

/// The end of `word`'s longest start that ends with a dash (or `/`) and fits in `room`.
fn dash_break(word: &str, room: f64, font: f64) -> Option<usize> {
    word.char_indices()
        .filter(|&(_, c)| matches!(c, '-' | '–' | '—' | '/'))
        .map(|(i, c)| i + c.len_utf8())
        .rev()
        .find(|&i| i < word.len() && text_width(&word[..i], font) <= room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_at_spaces_and_long_ones_are_cut() {
        let lines = wrap_label("The trilateral summit in Seoul", 115.0, FONT, 4);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, FONT) <= 115.0));
        assert_eq!(lines.join(" "), "The trilateral summit in Seoul");
        let long = "word ".repeat(60);
        let lines = wrap_label(&long, 115.0, FONT, 4);
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with('…'), "{lines:?}");
        let lines = wrap_label("Supercalifragilisticexpialidocious", 85.0, FONT, 4);
        assert!(lines.len() > 1 && lines.iter().all(|l| text_width(l, FONT) <= 85.0));
        assert_eq!(wrap_label("a\nb", 115.0, FONT, 4), ["a", "b"]);
        assert_eq!(
            wrap_label("The Russia–North Korea ties", 100.0, FONT, 4),
            ["The Russia–", "North Korea", "ties"]
        );
    }
}
