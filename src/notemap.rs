//! Note maps: a note, the notes linking to it and the notes it links to, drawn at build time as
//! inline SVG (`page.map_svg`). No script: every node is a plain link.
//!
//! The drawing is vertical so it reads at 360 px: the notes linking here in two columns on top,
//! joined by a line with an arrow into the note itself, then the notes it links to below, each
//! reached by an arrow (a note linked both ways gets an arrowhead at both ends). Coordinates are
//! whole numbers of a 320-unit-wide `viewBox`, so the same input gives the same bytes.

use crate::content::Note;
use crate::graph::Graph;
use crate::links::{push_link_path, root_prefix};
use crate::templates::escape_html;
use unicode_width::UnicodeWidthChar;

/// The most neighbours a map draws; the others are counted in a "+K more" line.
pub const MAX_NEIGHBOURS: usize = 12;

/// Width of the drawing (`viewBox` units: one pixel when the map is 320 px wide).
const WIDTH: i32 = 320;
/// Width of a node in a column; the two columns leave a gap for the line joining them.
const COL: i32 = 140;
/// Where the vertical line joining a band's nodes runs.
const TRUNK: i32 = WIDTH / 2;
/// Height of a node (two lines of text) and the space between rows.
const NODE_H: i32 = 42;
const ROW_GAP: i32 = 8;
/// Font sizes of node titles and of band labels.
const FONT: i32 = 13;
const LABEL_FONT: i32 = 12;
/// Space between a node's border and its text.
const PAD: i32 = 8;
/// Height of a band's label line and of a "+K more" line.
const LINE_H: i32 = 18;
/// Length of the line between a band and the note itself.
const JOIN: i32 = 26;
/// Size of an arrowhead.
const HEAD: i32 = 6;

/// The neighbours a note's map shows, by direction, in drawing order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    /// Notes linking here that this note does not link to (in note order).
    pub incoming: Vec<usize>,
    /// Notes linking here left out of the drawing.
    pub incoming_more: usize,
    /// Notes this one links to, with whether they link back: links both ways first, then the
    /// others, each in order of first appearance in the note.
    pub outgoing: Vec<(usize, bool)>,
    /// Notes linked to left out of the drawing.
    pub outgoing_more: usize,
}

impl Neighbours {
    /// Picks at most `max` neighbours of note `i`: half for each direction, more for one when the
    /// other has fewer; within a direction, notes linked both ways first (the closest relations).
    /// Depends only on the note's own lists, so an incremental rebuild that renders the notes
    /// whose links or backlinks changed renders every map that changed.
    pub fn of(graph: &Graph, i: usize, max: usize) -> Neighbours {
        let (out, back) = (&graph.outgoing[i], &graph.backlinks[i]);
        // Backlinks are in note order: a sorted list, searched in O(log n).
        let links_back = |j: &usize| back.binary_search(j).is_ok();
        let mut out_sorted = out.clone();
        out_sorted.sort_unstable();
        let incoming: Vec<usize> = back
            .iter()
            .copied()
            .filter(|j| out_sorted.binary_search(j).is_err())
            .collect();
        let mut outgoing: Vec<(usize, bool)> = out.iter().map(|&j| (j, links_back(&j))).collect();
        // Stable: order of appearance kept within each group.
        outgoing.sort_by_key(|&(_, both)| !both);
        let out_shown = outgoing
            .len()
            .min((max / 2).max(max.saturating_sub(incoming.len())));
        let in_shown = incoming.len().min(max - out_shown);
        let (outgoing_more, incoming_more) =
            (outgoing.len() - out_shown, incoming.len() - in_shown);
        outgoing.truncate(out_shown);
        let mut incoming = incoming;
        incoming.truncate(in_shown);
        Neighbours {
            incoming,
            incoming_more,
            outgoing,
            outgoing_more,
        }
    }

    /// True when the note has no links either way (no map is drawn).
    pub fn is_empty(&self) -> bool {
        self.incoming.is_empty() && self.outgoing.is_empty()
    }
}

/// Note `i`'s map as inline SVG, its links relative to the note's page (`--file-links` paths
/// when `file_links`); empty when the note links nowhere and nothing links to it.
pub fn svg(notes: &[Note], graph: &Graph, i: usize, file_links: bool) -> String {
    let n = Neighbours::of(graph, i, MAX_NEIGHBOURS);
    if n.is_empty() {
        return String::new();
    }
    let mut d = Drawing {
        out: Vec::with_capacity(1024 + 512 * (n.incoming.len() + n.outgoing.len())),
        root: root_prefix(&notes[i].url),
        file_links,
    };
    let title = &notes[i].title;
    let in_rows = rows(n.incoming.len());
    let out_rows = rows(n.outgoing.len());
    let band = |rows: i32| rows * NODE_H + (rows - 1).max(0) * ROW_GAP;
    let more_h = |more: usize| if more > 0 { LINE_H } else { 0 };
    // Heights, top to bottom.
    let in_label = 0;
    let in_top = in_label + LINE_H;
    let in_bottom = in_top + band(in_rows);
    let self_top = if n.incoming.is_empty() {
        0
    } else {
        in_bottom + more_h(n.incoming_more) + JOIN
    };
    let self_bottom = self_top + NODE_H;
    let out_label = self_bottom + JOIN / 2 + LABEL_FONT;
    let out_top = self_bottom + JOIN + LINE_H / 2;
    let height = if n.outgoing.is_empty() {
        self_bottom
    } else {
        out_top + band(out_rows) + more_h(n.outgoing_more)
    } + 2;

    d.raw("<svg class=\"note-map\" viewBox=\"0 0 ");
    d.num(WIDTH);
    d.raw(" ");
    d.num(height);
    d.raw("\" width=\"");
    d.num(WIDTH);
    d.raw("\" height=\"");
    d.num(height);
    d.raw("\" role=\"group\" font-family=\"system-ui,sans-serif\"><title>Links of ");
    d.text(title);
    d.raw("</title><desc>");
    d.text(&describe(graph, i, &n));
    d.raw("</desc>");

    // The lines first, under the nodes, hidden from assistive technology (the links say it all).
    d.raw("<g class=\"map-edges\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\">");
    if !n.incoming.is_empty() {
        let first_mid = in_top + NODE_H / 2;
        d.line(TRUNK, first_mid, TRUNK, self_top - HEAD);
        for k in 0..n.incoming.len() {
            let (x, y) = cell(k, in_top);
            let mid = y + NODE_H / 2;
            let edge = if x == 0 { COL } else { x };
            d.line(edge, mid, TRUNK, mid);
        }
    }
    if !n.outgoing.is_empty() {
        let (_, last_y) = cell(n.outgoing.len() - 1, out_top);
        d.line(TRUNK, self_bottom, TRUNK, last_y + NODE_H / 2);
        for (k, &(_, both)) in n.outgoing.iter().enumerate() {
            let (x, y) = cell(k, out_top);
            let mid = y + NODE_H / 2;
            let (edge, dir) = if x == 0 { (COL, -1) } else { (x, 1) };
            let from = if both { TRUNK + dir * HEAD } else { TRUNK };
            d.line(from, mid, edge - dir * HEAD, mid);
        }
    }
    d.raw("</g><g class=\"map-heads\" aria-hidden=\"true\" fill=\"currentColor\">");
    if !n.incoming.is_empty() {
        d.head(TRUNK, self_top, 0, 1);
    }
    for (k, &(_, both)) in n.outgoing.iter().enumerate() {
        let (x, y) = cell(k, out_top);
        let mid = y + NODE_H / 2;
        let (edge, dir) = if x == 0 { (COL, -1) } else { (x, 1) };
        d.head(edge, mid, dir, 0);
        if both {
            d.head(TRUNK, mid, -dir, 0);
        }
    }
    d.raw("</g>");

    // The nodes in reading order: notes linking here, the note, notes it links to.
    if !n.incoming.is_empty() {
        d.label(in_label + LABEL_FONT, "Linked from");
        for (k, &j) in n.incoming.iter().enumerate() {
            let (x, y) = cell(k, in_top);
            d.node(&notes[j], x, y, false);
        }
        d.more(in_bottom + LABEL_FONT, n.incoming_more);
    }
    d.raw("<g class=\"map-self\"><rect x=\"1\" y=\"");
    d.num(self_top + 1);
    d.raw("\" width=\"");
    d.num(WIDTH - 2);
    d.raw("\" height=\"");
    d.num(NODE_H - 2);
    d.raw("\" rx=\"6\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>");
    d.lines(title, WIDTH / 2, self_top, WIDTH - 2 * PAD, true);
    d.raw("</g>");
    if !n.outgoing.is_empty() {
        let any_both = n.outgoing.iter().any(|&(_, both)| both);
        d.label(
            out_label,
            if any_both {
                "Links to (\u{21c4} both ways)"
            } else {
                "Links to"
            },
        );
        for (k, &(j, both)) in n.outgoing.iter().enumerate() {
            let (x, y) = cell(k, out_top);
            d.node(&notes[j], x, y, both);
        }
        let (_, last_y) = cell(n.outgoing.len() - 1, out_top);
        d.more(last_y + NODE_H + LABEL_FONT + 2, n.outgoing_more);
    }
    d.raw("</svg>");
    String::from_utf8(d.out).unwrap_or_default()
}

/// The map in words (`<desc>`): how many notes link here and are linked to, and how many of
/// them are drawn.
fn describe(graph: &Graph, i: usize, n: &Neighbours) -> String {
    let notes = |k: usize| match k {
        1 => "1 note".to_string(),
        k => format!("{k} notes"),
    };
    let (back, out) = (graph.backlinks[i].len(), graph.outgoing[i].len());
    // Every backlink not drawn as incoming is a note linked both ways.
    let both = back - n.incoming.len() - n.incoming_more;
    let mut s = format!("Linked from {}; links to {}", notes(back), notes(out));
    if both > 0 {
        s.push_str(&format!(", {both} of them both ways"));
    }
    let shown = n.incoming.len() + n.outgoing.len();
    let all = shown + n.incoming_more + n.outgoing_more;
    if all > shown {
        s.push_str(&format!("; {shown} of these {all} notes drawn"));
    }
    s.push('.');
    s
}

/// Rows of a two-column band of `k` nodes.
fn rows(k: usize) -> i32 {
    k.div_ceil(2) as i32
}

/// Top-left corner of the `k`th node of a band starting at `top`: left column, then right.
fn cell(k: usize, top: i32) -> (i32, i32) {
    let x = if k.is_multiple_of(2) { 0 } else { WIDTH - COL };
    (x, top + (k / 2) as i32 * (NODE_H + ROW_GAP))
}

/// An SVG being written.
struct Drawing {
    out: Vec<u8>,
    /// From the page to the site root (`../../`).
    root: String,
    file_links: bool,
}

impl Drawing {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn num(&mut self, v: i32) {
        self.raw(&v.to_string());
    }

    /// Text, escaped as templates escape.
    fn text(&mut self, s: &str) {
        escape_html(s, &mut self.out).ok();
    }

    fn line(&mut self, x1: i32, y1: i32, x2: i32, y2: i32) {
        self.raw("<path d=\"M");
        self.num(x1);
        self.raw(" ");
        self.num(y1);
        if y1 == y2 {
            self.raw("H");
            self.num(x2);
        } else {
            self.raw("V");
            self.num(y2);
        }
        self.raw("\"/>");
    }

    /// An arrowhead whose tip is at (x, y), pointing along (dx, dy) (one of them 0, the other ±1).
    fn head(&mut self, x: i32, y: i32, dx: i32, dy: i32) {
        let (bx, by) = (x - dx * HEAD, y - dy * HEAD);
        let (px, py) = (dy.abs() * HEAD / 2, dx.abs() * HEAD / 2);
        self.raw("<path d=\"M");
        for (k, (px, py)) in [(x, y), (bx + px, by + py), (bx - px, by - py)]
            .into_iter()
            .enumerate()
        {
            if k > 0 {
                self.raw("L");
            }
            self.num(px);
            self.raw(" ");
            self.num(py);
        }
        self.raw("z\"/>");
    }

    fn label(&mut self, baseline: i32, s: &str) {
        self.raw("<text class=\"map-label\" x=\"0\" y=\"");
        self.num(baseline);
        self.raw("\" font-size=\"");
        self.num(LABEL_FONT);
        self.raw("\" fill=\"currentColor\">");
        self.text(s);
        self.raw("</text>");
    }

    fn more(&mut self, baseline: i32, more: usize) {
        if more > 0 {
            self.label(baseline, &format!("+{more} more"));
        }
    }

    /// A neighbour: a link around a box with its title on up to two lines; the full title (and
    /// whether it links both ways) is the link's accessible name and tooltip.
    fn node(&mut self, note: &Note, x: i32, y: i32, both: bool) {
        self.raw("<a href=\"");
        let mut href = self.root.clone();
        push_link_path(&mut href, &note.url, self.file_links);
        self.text(&href);
        self.raw("\"><title>");
        self.text(&note.title);
        if both {
            self.raw(" (links both ways)");
        }
        self.raw("</title><rect x=\"");
        self.num(x);
        self.raw("\" y=\"");
        self.num(y);
        self.raw("\" width=\"");
        self.num(COL);
        self.raw("\" height=\"");
        self.num(NODE_H);
        self.raw("\" rx=\"6\" fill=\"none\" stroke=\"currentColor\"/>");
        self.lines(&note.title, x + COL / 2, y, COL - 2 * PAD, false);
        self.raw("</a>");
    }

    /// `s` centred in a node whose top is `y`, wrapped on up to two lines `width` wide.
    fn lines(&mut self, s: &str, cx: i32, y: i32, width: i32, bold: bool) {
        let lines = wrap(s, width * 100 / FONT, 2);
        self.raw("<text x=\"");
        self.num(cx);
        self.raw("\" y=\"");
        let line_h = FONT + 3;
        // Baseline of the first line: the lines centred vertically in the node.
        let first = y + NODE_H / 2 - (lines.len() as i32 * line_h) / 2 + FONT - 2;
        self.num(first);
        self.raw("\" font-size=\"");
        self.num(FONT);
        self.raw("\" text-anchor=\"middle\" fill=\"currentColor\"");
        if bold {
            self.raw(" font-weight=\"600\"");
        }
        self.raw(">");
        for (k, l) in lines.iter().enumerate() {
            if k == 0 {
                self.raw("<tspan>");
            } else {
                self.raw("<tspan x=\"");
                self.num(cx);
                self.raw("\" dy=\"");
                self.num(line_h);
                self.raw("\">");
            }
            self.text(l);
            self.raw("</tspan>");
        }
        self.raw("</text>");
    }
}

/// About how wide `c` is, in hundredths of the font size (a proportional sans-serif font; wide
/// East Asian characters take a whole em). Only an estimate: lines are cut with room to spare.
fn char_width(c: char) -> i32 {
    match c {
        ' ' | 'i' | 'l' | 'j' | 'I' | '.' | ',' | ';' | ':' | '\'' | '’' | '|' | '!' => 30,
        'f' | 't' | 'r' | '(' | ')' | '-' => 38,
        'm' | 'w' | 'M' | 'W' | '—' => 88,
        'A'..='Z' => 68,
        'a'..='z' | '0'..='9' => 56,
        _ => match c.width() {
            Some(0) => 0,
            Some(2) => 100,
            _ => 62,
        },
    }
}

/// How wide `s` is, in hundredths of the font size.
fn text_width(s: &str) -> i32 {
    s.chars().map(char_width).sum()
}

/// `s` wrapped at spaces into at most `max_lines` lines of at most `width` (hundredths of the
/// font size); a word longer than a line is cut, and text that does not fit ends with `…`.
fn wrap(s: &str, width: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split_whitespace() {
        if lines.len() > max_lines {
            break; // enough to know the text is cut
        }
        let w = text_width(word);
        let space = if line.is_empty() { 0 } else { char_width(' ') };
        if used + space + w <= width {
            if space > 0 {
                line.push(' ');
            }
            line.push_str(word);
            used += space + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w <= width {
            line.push_str(word);
            used = w;
            continue;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if used + cw > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last) + char_width('…') > width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    lines
}
