//! A laid-out diagram as HTML: a `<figure>` holding an inline SVG (a `<title>` and `<desc>`
//! naming its nodes and edges, each linked node an `<a>` in reading order, arrowheads drawn
//! as shapes so the SVG needs no ids) and the same diagram as a list of edges in a
//! `<details>`. Colours come from `currentColor` and the page's CSS (classes `diagram-…`), so
//! light and dark themes both work; numbers are written with one decimal, so the same diagram
//! gives the same bytes.

use super::Target;
use super::layout::{EDGE_FONT, EDGE_LINE, FONT, LINE, Layout, NARROW, Pt, text_width};
use super::parse::{Direction, Graph, Shape, Style};
use crate::escape::push_html;
use pulldown_cmark_escape::escape_href;
use std::fmt::Write;

/// How long an arrowhead is, and half its width.
const HEAD: f64 = 9.0;
const HEAD_HALF: f64 = 4.5;
/// The most node labels the SVG's title names before "and N more".
const TITLE_NODES: usize = 8;

/// The figure for `graph`, whose node labels are `labels`, links `targets`, placed by `layout`.
pub fn figure(
    graph: &Graph,
    labels: &[String],
    targets: &[Option<Target>],
    layout: &Layout,
) -> String {
    let mut h = String::with_capacity(1024 + graph.nodes.len() * 400 + graph.edges.len() * 200);
    let title = title(graph, labels);
    h.push_str("<figure class=\"diagram\">\n");
    if let Some(c) = &graph.caption {
        // First: a caption must open or close the figure, and the text list closes it.
        h.push_str("<figcaption>");
        esc(&mut h, c);
        h.push_str("</figcaption>\n");
    }
    let wide = layout.width > NARROW;
    if wide {
        // Too wide to scale down to a phone with readable text: it scrolls sideways instead.
        h.push_str("<div class=\"diagram-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
        esc(&mut h, &title);
        h.push_str(" (scrolls sideways)\">\n");
    } else {
        h.push_str("<div class=\"diagram-scroll\">\n");
    }
    let (w, ht) = (num(layout.width), num(layout.height));
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram-svg\" viewBox=\"0 0 {w} {ht}\" width=\"{w}\" height=\"{ht}\" role=\"group\""
    );
    if wide {
        let _ = write!(
            h,
            " style=\"min-width:{}px\"",
            num(layout.width * 12.0 / FONT)
        );
    }
    h.push_str(">\n<title>");
    esc(&mut h, &title);
    h.push_str("</title>\n<desc>");
    esc(&mut h, &description(graph, labels));
    h.push_str("</desc>\n");
    edges(&mut h, graph, layout);
    nodes(&mut h, graph, labels, targets, layout);
    h.push_str("</svg>\n</div>\n");
    text_list(&mut h, graph, labels, targets);
    h.push_str("</figure>\n");
    h
}

/// The SVG's name: the caption, or the first nodes' labels.
fn title(graph: &Graph, labels: &[String]) -> String {
    if let Some(c) = &graph.caption {
        return format!("Diagram: {}", one_line(c));
    }
    let mut t = String::from("Diagram of ");
    let shown: Vec<String> = labels
        .iter()
        .take(TITLE_NODES)
        .map(|l| one_line(l))
        .collect();
    t.push_str(&shown.join(", "));
    if labels.len() > TITLE_NODES {
        let _ = write!(t, " and {} more", labels.len() - TITLE_NODES);
    }
    t
}

/// The SVG's description: every edge, `A → B`, one sentence each.
fn description(graph: &Graph, labels: &[String]) -> String {
    let mut d = String::new();
    for e in &graph.edges {
        if !d.is_empty() {
            d.push(' ');
        }
        let _ = write!(
            d,
            "{} {} {}",
            one_line(&labels[e.from]),
            arrow(e.head_at_start, e.head_at_end),
            one_line(&labels[e.to])
        );
        if let Some(l) = &e.label {
            let _ = write!(d, " ({})", one_line(l));
        }
        d.push('.');
    }
    let linked: Vec<bool> = edge_ends(graph);
    for (i, l) in labels.iter().enumerate() {
        if !linked[i] {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push_str(&one_line(l));
            d.push('.');
        }
    }
    d
}

/// Per node: true if an edge starts or ends at it.
fn edge_ends(graph: &Graph) -> Vec<bool> {
    let mut linked = vec![false; graph.nodes.len()];
    for e in &graph.edges {
        linked[e.from] = true;
        linked[e.to] = true;
    }
    linked
}

fn arrow(start: bool, end: bool) -> &'static str {
    match (start, end) {
        (false, true) => "→",
        (true, false) => "←",
        (true, true) => "↔",
        (false, false) => "—",
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn style_class(s: Style) -> &'static str {
    match s {
        Style::Solid => "",
        Style::Dashed => " diagram-dashed",
        Style::Bold => " diagram-bold",
    }
}

fn edges(h: &mut String, graph: &Graph, layout: &Layout) {
    h.push_str("<g class=\"diagram-edges\" aria-hidden=\"true\">\n");
    for p in &layout.edges {
        let Some(e) = graph.edges.get(p.edge) else {
            continue;
        };
        let _ = write!(h, "<g class=\"diagram-edge{}\">", style_class(e.style));
        // The line stops where an arrowhead starts, so its end does not show past the tip.
        let mut start = p.start;
        let mut segments = p.segments.clone();
        if p.heads.0
            && let Some(&(c1, _, _)) = segments.first()
        {
            start = back_off(start, c1);
        }
        if p.heads.1
            && let Some((_, c2, end)) = segments.last_mut()
        {
            *end = back_off(*end, *c2);
        }
        h.push_str("<path d=\"M");
        point(h, start);
        for (a, b, c) in &segments {
            h.push_str(" C");
            point(h, *a);
            h.push(' ');
            point(h, *b);
            h.push(' ');
            point(h, *c);
        }
        h.push_str("\" fill=\"none\" stroke=\"currentColor\"/>");
        if p.heads.0
            && let Some(&(c1, _, _)) = p.segments.first()
        {
            head(h, p.start, c1);
        }
        if p.heads.1
            && let Some(&(_, c2, end)) = p.segments.last()
        {
            head(h, end, c2);
        }
        h.push_str("</g>\n");
    }
    for (at, lines) in &layout.labels {
        // A patch of the background behind the label hides the line under it.
        let w = lines
            .iter()
            .map(|l| text_width(l, EDGE_FONT))
            .fold(0.0, f64::max)
            + 6.0;
        let ht = lines.len() as f64 * EDGE_LINE + 2.0;
        let _ = write!(
            h,
            "<rect class=\"diagram-edge-label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"Canvas\"/>",
            num(at.x - w / 2.0),
            num(at.y - ht / 2.0),
            num(w),
            num(ht)
        );
        text(h, "diagram-edge-label", *at, lines, EDGE_FONT, EDGE_LINE);
    }
    h.push_str("</g>\n");
}

/// `tip` moved `HEAD` towards `from` (where the curve comes from).
fn back_off(tip: Pt, from: Pt) -> Pt {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < HEAD {
        return tip;
    }
    Pt {
        x: tip.x - dx / len * HEAD,
        y: tip.y - dy / len * HEAD,
    }
}

/// An arrowhead with its tip at `tip`, pointing away from `from`.
fn head(h: &mut String, tip: Pt, from: Pt) {
    let (mut dx, mut dy) = (tip.x - from.x, tip.y - from.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 0.01 {
        (dx, dy) = (0.0, 1.0);
    } else {
        (dx, dy) = (dx / len, dy / len);
    }
    let base = Pt {
        x: tip.x - dx * HEAD,
        y: tip.y - dy * HEAD,
    };
    let left = Pt {
        x: base.x - dy * HEAD_HALF,
        y: base.y + dx * HEAD_HALF,
    };
    let right = Pt {
        x: base.x + dy * HEAD_HALF,
        y: base.y - dx * HEAD_HALF,
    };
    h.push_str("<path class=\"diagram-head\" d=\"M");
    point(h, tip);
    h.push_str(" L");
    point(h, left);
    h.push_str(" L");
    point(h, right);
    h.push_str(" Z\" fill=\"currentColor\"/>");
}

fn nodes(
    h: &mut String,
    graph: &Graph,
    labels: &[String],
    targets: &[Option<Target>],
    layout: &Layout,
) {
    h.push_str("<g class=\"diagram-nodes\">\n");
    for i in reading_order(graph.direction, layout) {
        let (node, b) = (&graph.nodes[i], &layout.nodes[i]);
        let class = style_class(node.style);
        let close = match &targets[i] {
            Some(Target::Href { url, external }) => {
                h.push_str("<a class=\"diagram-node");
                if *external {
                    h.push_str(" external");
                }
                h.push_str(class);
                h.push_str("\" href=\"");
                escape_href(&mut *h, url).ok();
                h.push_str("\"><title>");
                esc(h, &one_line(&labels[i]));
                h.push_str("</title>");
                "</a>\n"
            }
            Some(Target::Unresolved(why)) => {
                h.push_str("<g class=\"diagram-node unresolved");
                h.push_str(class);
                h.push_str("\"><title>");
                esc(h, &one_line(&labels[i]));
                h.push_str(" (");
                esc(h, why);
                h.push_str(")</title>");
                "</g>\n"
            }
            None => {
                h.push_str("<g class=\"diagram-node");
                h.push_str(class);
                h.push_str("\">");
                let shown: String = b.lines.concat().split_whitespace().collect();
                let whole: String = labels[i].split_whitespace().collect();
                if shown != whole {
                    // The label was cut: the whole of it shows on hover.
                    h.push_str("<title>");
                    esc(h, &one_line(&labels[i]));
                    h.push_str("</title>");
                }
                "</g>\n"
            }
        };
        let (x, y) = (b.center.x - b.width / 2.0, b.center.y - b.height / 2.0);
        match node.shape {
            Shape::Box => {
                let _ = write!(
                    h,
                    "<rect class=\"diagram-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"",
                    num(x),
                    num(y),
                    num(b.width),
                    num(b.height)
                );
            }
            Shape::Ellipse => {
                let _ = write!(
                    h,
                    "<ellipse class=\"diagram-shape\" cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
                    num(b.center.x),
                    num(b.center.y),
                    num(b.width / 2.0),
                    num(b.height / 2.0)
                );
            }
        }
        // Without the page's style sheet the node is still readable: outlined in the text's
        // colour, filled with the page's background.
        h.push_str(" fill=\"Canvas\" stroke=\"currentColor\"/>");
        text(h, "diagram-label", b.center, &b.lines, FONT, LINE);
        h.push_str(close);
    }
    h.push_str("</g>\n");
}

/// Node indices top to bottom, then left to right (left to right first in an `LR` diagram):
/// the order a reader's eye and the keyboard follow.
fn reading_order(direction: Direction, layout: &Layout) -> Vec<usize> {
    let mut order: Vec<usize> = (0..layout.nodes.len()).collect();
    let key = |i: &usize| {
        let c = layout.nodes[*i].center;
        // Whole pixels: nodes of one rank share a line even if the layout nudged one.
        let (a, b) = match direction {
            Direction::Down => (c.y, c.x),
            Direction::Right => (c.x, c.y),
        };
        ((a / 4.0).round() as i64, b.round() as i64, *i)
    };
    order.sort_by_key(key);
    order
}

/// Lines of text centred on `at`.
fn text(h: &mut String, class: &str, at: Pt, lines: &[String], font: f64, line: f64) {
    let first = at.y - (lines.len() as f64 - 1.0) * line / 2.0 + font * 0.35;
    let _ = write!(
        h,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"currentColor\"",
        num(at.x),
        num(first),
        num(font)
    );
    h.push('>');
    for (k, l) in lines.iter().enumerate() {
        if k == 0 {
            h.push_str("<tspan>");
        } else {
            let _ = write!(h, "<tspan x=\"{}\" dy=\"{}\">", num(at.x), num(line));
        }
        esc(h, l);
        h.push_str("</tspan>");
    }
    h.push_str("</text>");
}

/// The diagram as text: one item per edge (`A → B`), then nodes without edges.
fn text_list(h: &mut String, graph: &Graph, labels: &[String], targets: &[Option<Target>]) {
    h.push_str("<details class=\"diagram-text\"><summary>The diagram as text</summary>\n<ul>\n");
    let name = |h: &mut String, i: usize| match &targets[i] {
        Some(Target::Href { url, .. }) => {
            h.push_str("<a href=\"");
            escape_href(&mut *h, url).ok();
            h.push_str("\">");
            esc(h, &one_line(&labels[i]));
            h.push_str("</a>");
        }
        _ => esc(h, &one_line(&labels[i])),
    };
    for e in &graph.edges {
        h.push_str("<li>");
        name(h, e.from);
        h.push(' ');
        h.push_str(arrow(e.head_at_start, e.head_at_end));
        h.push(' ');
        name(h, e.to);
        if let Some(l) = &e.label {
            h.push_str(" (");
            esc(h, &one_line(l));
            h.push(')');
        }
        h.push_str("</li>\n");
    }
    for (i, linked) in edge_ends(graph).into_iter().enumerate() {
        if !linked {
            h.push_str("<li>");
            name(h, i);
            h.push_str("</li>\n");
        }
    }
    h.push_str("</ul>\n</details>\n");
}

fn esc(h: &mut String, s: &str) {
    push_html(&mut *h, s);
}

fn point(h: &mut String, p: Pt) {
    h.push_str(&num(p.x));
    h.push(',');
    h.push_str(&num(p.y));
}

/// `x` with one decimal, without a trailing `.0` (and never `-0`).
fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}
