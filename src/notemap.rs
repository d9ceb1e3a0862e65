//! Note maps: a note, the notes linking to it and the notes it links to, drawn at build time as
//! inline SVG (`page.map_svg`). No script: every node is a plain link.
//!
//! The drawing is vertical so it reads at 360 px: the notes linking here in two columns on top,
//! joined by a line with an arrow into the note itself; below it the notes linked both ways, then
//! the notes it links to, each reached by an arrow. Titles wrap on up to three lines (two for the note itself) (widths are
//! estimated, generously). Coordinates are whole numbers of a 320-unit-wide `viewBox`, so the
//! same input gives the same bytes.

use crate::content::{Note, NoteId};
use crate::escape::write_html;
use crate::graph::Graph;
use crate::links::{push_link_path, root_prefix};
use std::sync::OnceLock;
use unicode_width::UnicodeWidthChar;

/// The most neighbours a map draws; the others are counted in a "+K more" line.
pub const MAX_NEIGHBOURS: usize = 12;

/// Width of the drawing (`viewBox` units: one pixel when the map is 320 px wide).
const WIDTH: i32 = 320;
/// Width of a node in a column; the two columns leave a gap for the line joining them.
const COL: i32 = 140;
/// Where the vertical line joining a band's nodes runs.
const TRUNK: i32 = WIDTH / 2;
/// Height of a line of a title, space above and below a title in its box, and between rows.
const LINE: i32 = 16;
const PAD_V: i32 = 5;
const ROW_GAP: i32 = 8;
/// Font sizes of node titles and of band labels.
const FONT: i32 = 13;
const LABEL_FONT: i32 = 12;
/// Space between a node's sides and its text.
const PAD: i32 = 8;
/// Height of a band's label line and of a "+K more" line.
const LINE_H: i32 = 18;
/// Length of the line between the band above the note and the note.
const JOIN: i32 = 26;
/// Space above a band below the note.
const BAND_GAP: i32 = 10;
/// Size of an arrowhead.
const HEAD: i32 = 6;

/// The neighbours a note's map shows, by direction, in drawing order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    /// Notes linking here that this note does not link to (in note order).
    pub incoming: Vec<NoteId>,
    /// Notes linking here left out of the drawing.
    pub incoming_more: usize,
    /// Notes this one links to that link back (in order of first appearance in the note).
    pub both: Vec<NoteId>,
    /// Notes this one links to that do not link back (in order of first appearance).
    pub outgoing: Vec<NoteId>,
    /// Notes linked to (either way) left out of the drawing.
    pub outgoing_more: usize,
}

impl Neighbours {
    /// Picks at most `max` neighbours of note `i`: half for each direction, more for one when the
    /// other has fewer; of the notes it links to, those linking back first (the closest
    /// relations). Depends only on the note's own lists, so an incremental rebuild, which renders
    /// again the notes whose links or backlinks changed, renders every map that changed.
    pub fn of(graph: &Graph, i: NoteId, max: usize) -> Neighbours {
        let (out, back) = (&graph.outgoing[i], &graph.backlinks[i]);
        // Backlinks are in note order: a sorted list, searched in O(log n).
        let mut out_sorted = out.clone();
        out_sorted.sort_unstable();
        let incoming: Vec<NoteId> = back
            .iter()
            .copied()
            .filter(|j| out_sorted.binary_search(j).is_err())
            .collect();
        let (both, only): (Vec<NoteId>, Vec<NoteId>) =
            out.iter().partition(|j| back.binary_search(j).is_ok());
        let down = both.len() + only.len();
        let down_shown = down.min((max / 2).max(max.saturating_sub(incoming.len())));
        let in_shown = incoming.len().min(max - down_shown);
        let mut n = Neighbours {
            incoming_more: incoming.len() - in_shown,
            outgoing_more: down - down_shown,
            incoming,
            both,
            outgoing: only,
        };
        n.incoming.truncate(in_shown);
        n.both.truncate(down_shown);
        n.outgoing.truncate(down_shown - n.both.len());
        n
    }

    /// True when the note has no links either way (no map is drawn).
    pub fn is_empty(&self) -> bool {
        self.incoming.is_empty() && self.both.is_empty() && self.outgoing.is_empty()
    }
}

/// How a band of neighbours is joined to the note.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Above the note, with an arrow into it.
    In,
    /// Below it, plain lines.
    Both,
    /// Below it, an arrow into each node.
    Out,
}

/// A neighbour's place in the drawing: its box, and what it shows.
struct Placed<'a> {
    x: i32,
    y: i32,
    h: i32,
    node: &'a Node,
}

/// What a note shows as a neighbour, whichever map it is on, escaped for HTML once per build: a
/// note is drawn on the maps of all its neighbours.
struct Node {
    /// Its link path from the site root.
    path: String,
    /// Its title, wrapped.
    lines: Vec<String>,
    /// Its whole title when the lines cut it short.
    title: Option<String>,
}

impl Placed<'_> {
    /// Where the line to this node meets it: its inner side, towards the trunk (x, and the
    /// direction from the trunk: -1 left, 1 right), at mid-height.
    fn edge(&self) -> (i32, i32, i32) {
        let mid = self.y + self.h / 2;
        if self.x == 0 {
            (COL, -1, mid)
        } else {
            (self.x, 1, mid)
        }
    }
}

/// A band of neighbours: its label, how it joins the note, its nodes.
struct Band<'a> {
    label_at: i32,
    way: Way,
    nodes: Vec<Placed<'a>>,
}

/// Height of a box holding `lines` lines of text.
fn box_height(lines: usize) -> i32 {
    lines as i32 * LINE + 2 * PAD_V
}

/// Places `list` in two columns from `top`, each row as tall as its longest title (two lines at
/// least, so rows line up); returns the nodes and the bottom of the last row.
fn place_band<'a>(nodes: &Nodes<'a>, list: &[NoteId], top: i32) -> (Vec<Placed<'a>>, i32) {
    let mut placed = Vec::with_capacity(list.len());
    let mut y = top;
    for row in list.chunks(2) {
        let lines = row.iter().map(|&j| nodes.get(j).lines.len()).max();
        let h = box_height(lines.unwrap_or(1).max(2));
        for (k, &note) in row.iter().enumerate() {
            let x = if k == 0 { 0 } else { WIDTH - COL };
            placed.push(Placed {
                x,
                y,
                h,
                node: nodes.get(note),
            });
        }
        y += h + ROW_GAP;
    }
    (placed, y - ROW_GAP)
}

/// What every map of one build shares: each note as a node, made the first time a map shows it
/// (a note appears on the maps of all its neighbours; a rebuild that renders a few pages wraps
/// only their neighbours' titles).
pub struct Maps {
    nodes: Vec<OnceLock<Node>>,
    file_links: bool,
}

impl Maps {
    /// Maps of the `notes` notes of a site, their links in `--file-links` form when `file_links`.
    pub fn new(notes: usize, file_links: bool) -> Maps {
        Maps {
            nodes: (0..notes).map(|_| OnceLock::new()).collect(),
            file_links,
        }
    }

    /// Note `i`'s map as inline SVG, its links relative to the note's page; empty when the note
    /// links nowhere and nothing links to it.
    pub fn svg(&self, notes: &[Note], graph: &Graph, i: NoteId) -> String {
        svg(notes, graph, i, &Nodes { maps: self, notes })
    }
}

/// The nodes of a build's maps, each made when first asked for.
struct Nodes<'a> {
    maps: &'a Maps,
    notes: &'a [Note],
}

impl<'a> Nodes<'a> {
    /// Note `j` as a node: its path and its title wrapped, escaped.
    fn get(&self, j: NoteId) -> &'a Node {
        let (maps, n) = (self.maps, &self.notes[j]);
        maps.nodes[j].get_or_init(|| {
            let mut path = String::with_capacity(n.url.len() + 10);
            push_link_path(&mut path, &n.url, maps.file_links);
            let lines = wrap(&n.title, (COL - 2 * PAD) * 100 / FONT, 3);
            let cut = lines.last().is_some_and(|l| l.ends_with('…'));
            Node {
                path: crate::escape::html(&path),
                title: cut.then(|| crate::escape::html(&n.title)),
                lines: lines.iter().map(|l| crate::escape::html(l)).collect(),
            }
        })
    }
}

/// Note `i`'s map (see `Maps::svg`), its neighbours drawn as `nodes` says.
fn svg(notes: &[Note], graph: &Graph, i: NoteId, nodes: &Nodes<'_>) -> String {
    let n = Neighbours::of(graph, i, MAX_NEIGHBOURS);
    if n.is_empty() {
        return String::new();
    }
    let drawn = n.incoming.len() + n.both.len() + n.outgoing.len();
    let mut d = Drawing {
        out: Vec::with_capacity(1024 + 600 * drawn),
        root: root_prefix(&notes[i].url),
    };
    let title = &notes[i].title;

    // Layout, top to bottom.
    let mut y = 0;
    let mut above: Option<Band> = None;
    let mut in_more_at = 0;
    if !n.incoming.is_empty() {
        let (nodes, bottom) = place_band(nodes, &n.incoming, LINE_H);
        above = Some(Band {
            label_at: LABEL_FONT,
            way: Way::In,
            nodes,
        });
        y = bottom;
        if n.incoming_more > 0 {
            in_more_at = y + LABEL_FONT + 4;
            y += LINE_H;
        }
        y += JOIN;
    }
    let self_top = y;
    let self_lines: Vec<String> = wrap(title, (WIDTH - 2 * PAD) * 100 / FONT, 2)
        .iter()
        .map(|l| crate::escape::html(l))
        .collect();
    let self_h = box_height(self_lines.len().max(2));
    y += self_h;
    let mut below: Vec<Band> = Vec::new();
    for (way, list) in [(Way::Both, &n.both), (Way::Out, &n.outgoing)] {
        if !list.is_empty() {
            let (nodes, bottom) = place_band(nodes, list, y + BAND_GAP + LINE_H);
            below.push(Band {
                label_at: y + BAND_GAP + LABEL_FONT,
                way,
                nodes,
            });
            y = bottom;
        }
    }
    let out_more_at = y + LABEL_FONT + 4;
    if n.outgoing_more > 0 {
        y += LINE_H;
    }
    let height = y + 2;

    d.raw("<svg class=\"note-map\" viewBox=\"0 0 ");
    d.num(WIDTH);
    d.raw(" ");
    d.num(height);
    d.raw("\" width=\"");
    d.num(WIDTH);
    d.raw("\" height=\"");
    d.num(height);
    // Text is centred, 13 units, in the text colour unless said otherwise: said once here.
    d.raw("\" role=\"group\" font-family=\"system-ui,sans-serif\" font-size=\"13\" text-anchor=\"middle\" fill=\"currentColor\"><title>Links of ");
    d.text(title);
    d.raw("</title><desc>");
    d.text(&describe(graph, i, &n));
    d.raw("</desc>");

    // The lines first, under the nodes, hidden from assistive technology (the links say it all).
    d.raw("<g class=\"map-edges\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\">");
    if let Some(first) = above.as_ref().and_then(|b| b.nodes.first()) {
        d.line(TRUNK, first.edge().2, TRUNK, self_top - HEAD);
    }
    if let Some(last) = below.last().and_then(|b| b.nodes.last()) {
        d.line(TRUNK, self_top + self_h, TRUNK, last.edge().2);
    }
    for band in above.iter().chain(&below) {
        for p in &band.nodes {
            let (edge, dir, mid) = p.edge();
            let end = if band.way == Way::Out {
                edge - dir * HEAD
            } else {
                edge
            };
            d.line(TRUNK, mid, end, mid);
        }
    }
    d.raw("</g><g class=\"map-heads\" aria-hidden=\"true\">");
    if above.is_some() {
        d.head(TRUNK, self_top, 0, 1);
    }
    for band in below.iter().filter(|b| b.way == Way::Out) {
        for p in &band.nodes {
            let (edge, dir, mid) = p.edge();
            d.head(edge, mid, dir, 0);
        }
    }
    d.raw("</g>");

    // The nodes in reading order: notes linking here, the note, notes it links to.
    // Each band in a group of its own (`map-in`, `map-both`, `map-out`), for styles and tests.
    if let Some(band) = &above {
        d.band(band, n.incoming_more, in_more_at);
    }
    // The note's own title is the map's name already: drawn, not read again.
    d.raw("<g class=\"map-self\" aria-hidden=\"true\"><rect x=\"1\" y=\"");
    d.num(self_top + 1);
    d.raw("\" width=\"");
    d.num(WIDTH - 2);
    d.raw("\" height=\"");
    d.num(self_h - 2);
    d.raw("\" rx=\"6\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>");
    d.lines(&self_lines, WIDTH / 2, self_top, self_h, true);
    d.raw("</g>");
    let last = below.len().saturating_sub(1);
    for (k, band) in below.iter().enumerate() {
        // The "+K more" line counts the notes linked to either way: after the last band.
        let more = if k == last { n.outgoing_more } else { 0 };
        d.band(band, more, out_more_at);
    }
    d.raw("</svg>");
    String::from_utf8(d.out).unwrap_or_default()
}

/// The map in words (`<desc>`): how many notes link here and are linked to, and how many of
/// them are drawn.
fn describe(graph: &Graph, i: NoteId, n: &Neighbours) -> String {
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
    let shown = n.incoming.len() + n.both.len() + n.outgoing.len();
    let all = shown + n.incoming_more + n.outgoing_more;
    if all > shown {
        s.push_str(&format!("; {shown} of these {all} notes drawn"));
    }
    s.push('.');
    s
}

/// An SVG being written.
struct Drawing {
    out: Vec<u8>,
    /// From the page to the site root (`../../`).
    root: String,
}

impl Drawing {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A whole number, written without the formatting machinery (hot: a few hundred a page).
    fn num(&mut self, v: i32) {
        if v < 0 {
            self.out.push(b'-');
        }
        let mut digits = [0u8; 10];
        let mut n = v.unsigned_abs();
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    /// Text, escaped as templates escape.
    fn text(&mut self, s: &str) {
        write_html(s, &mut self.out).ok();
    }

    /// A horizontal or vertical line.
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
        self.raw("\" text-anchor=\"start\">");
        self.text(s);
        self.raw("</text>");
    }

    /// A band: its group, label and nodes, and a "+K more" line when `more` notes are left out.
    fn band(&mut self, band: &Band, more: usize, more_at: i32) {
        let (class, label) = match band.way {
            Way::In => ("map-in", "Linked from"),
            Way::Both => ("map-both", "Links both ways"),
            Way::Out => ("map-out", "Links to"),
        };
        self.raw("<g class=\"");
        self.raw(class);
        self.raw("\">");
        self.label(band.label_at, label);
        for p in &band.nodes {
            self.node(p);
        }
        if more > 0 {
            self.label(more_at, &format!("+{more} more"));
        }
        self.raw("</g>");
    }

    /// A neighbour: a link around a box with its title. The drawn title is the link's name; a
    /// title cut short is given whole in a `<title>` (the name and a tooltip).
    fn node(&mut self, p: &Placed) {
        let node = p.node;
        self.raw("<a href=\"");
        self.out.extend_from_slice(self.root.as_bytes());
        self.raw(&node.path);
        self.raw("\">");
        if let Some(title) = &node.title {
            self.raw("<title>");
            self.raw(title);
            self.raw("</title>");
        }
        self.raw("<rect x=\"");
        self.num(p.x);
        self.raw("\" y=\"");
        self.num(p.y);
        self.raw("\" width=\"");
        self.num(COL);
        self.raw("\" height=\"");
        self.num(p.h);
        self.raw("\" rx=\"6\" fill=\"none\" stroke=\"currentColor\"/>");
        self.lines(&node.lines, p.x + COL / 2, p.y, p.h, false);
        self.raw("</a>");
    }

    /// Lines of text (escaped already) centred in a box whose top is `y`, `h` high. A line
    /// broken at a space keeps it at its end, so the text reads as written (it is the link's
    /// name).
    fn lines(&mut self, lines: &[String], cx: i32, y: i32, h: i32, bold: bool) {
        self.raw("<text x=\"");
        self.num(cx);
        self.raw("\" y=\"");
        // The first baseline: the block of lines centred, a line's ascent below its top.
        self.num(y + (h - lines.len() as i32 * LINE) / 2 + FONT - 1);
        self.raw("\"");
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
                self.num(LINE);
                self.raw("\">");
            }
            self.raw(l);
            self.raw("</tspan>");
        }
        self.raw("</text>");
    }
}

/// About how wide `c` is, in hundredths of the font size: generous, as for a wide semi-bold
/// sans-serif (DejaVu Sans Bold), so a title fits its box in the fonts browsers pick; wide East
/// Asian characters take a whole em.
fn char_width(c: char) -> i32 {
    match c {
        ' ' | 'i' | 'l' | 'j' | 'I' | '.' | ',' | ';' | ':' | '\'' | '’' | '|' | '!' => 36,
        'f' | 't' | 'r' | '(' | ')' | '-' => 46,
        'm' | 'w' | 'M' | 'W' | '—' => 102,
        'A'..='Z' => 78,
        'a'..='z' | '0'..='9' => 67,
        _ => match c.width() {
            Some(0) => 0,
            Some(2) => 100,
            _ => 72,
        },
    }
}

/// How wide `s` is, in hundredths of the font size.
fn text_width(s: &str) -> i32 {
    s.chars().map(char_width).sum()
}

/// `s` wrapped into at most `max_lines` lines of at most `width` (hundredths of the font size),
/// at spaces or after a dash or slash (`China–South` may break after `China–`); a word longer
/// than a line is cut, and text that does not fit ends with `…`.
fn wrap(s: &str, width: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split_whitespace() {
        if lines.len() > max_lines {
            break; // enough to know the text is cut
        }
        for (k, piece) in word.split_inclusive(['-', '–', '—', '/']).enumerate() {
            let w = text_width(piece);
            let space = if k == 0 && !line.is_empty() {
                char_width(' ')
            } else {
                0
            };
            if used + space + w <= width {
                if space > 0 {
                    line.push(' ');
                }
                line.push_str(piece);
                used += space + w;
                continue;
            }
            if !line.is_empty() {
                if k == 0 {
                    line.push(' '); // broken at a space: kept, so the lines read as the title
                }
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if w <= width {
                line.push_str(piece);
                used = w;
                continue;
            }
            for c in piece.chars() {
                let cw = char_width(c);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(last.trim_end()) + char_width('…') > width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_at_spaces_and_dashes_and_end_with_an_ellipsis_when_cut() {
        let w = 1600; // 16 em: about 24 narrow letters
        assert_eq!(wrap("Li Qiang", w, 3), ["Li Qiang"]);
        assert_eq!(
            wrap("The China–Japan–South Korea summit", 1200, 3),
            ["The China–Japan–", "South Korea summit"]
        );
        let cut = wrap(&"word ".repeat(40), w, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && text_width(&cut[1]) <= w, "{cut:?}");
        // A word longer than a line is cut into lines.
        let long = wrap(&"x".repeat(60), w, 3);
        assert!(long.iter().all(|l| text_width(l) <= w), "{long:?}");
        // Wide characters take a whole em each.
        assert_eq!(
            wrap(&"中".repeat(20), w, 3),
            ["中".repeat(16), "中".repeat(4)]
        );
        assert!(wrap("", w, 2).is_empty());
    }

    fn ids(list: &[usize]) -> Vec<NoteId> {
        list.iter().copied().map(NoteId::new).collect()
    }

    fn graph(outgoing: Vec<Vec<usize>>) -> Graph {
        let outgoing: Vec<Vec<NoteId>> = outgoing.iter().map(|t| ids(t)).collect();
        let mut backlinks = vec![Vec::new(); outgoing.len()];
        for (from, targets) in NoteId::enumerate(&outgoing) {
            for &t in targets {
                backlinks[t].push(from);
            }
        }
        Graph {
            backlinks,
            outgoing,
            ..Graph::default()
        }
    }

    #[test]
    fn neighbours_are_split_by_direction_and_bounded() {
        // 0 links to 1, 2, 3; 1 and 4 link to 0.
        let g = graph(vec![vec![3, 1, 2], vec![0], vec![], vec![], vec![0]]);
        let n = Neighbours::of(&g, NoteId::HOME, 12);
        assert_eq!(n.incoming, ids(&[4]));
        assert_eq!(n.both, ids(&[1]));
        assert_eq!(n.outgoing, ids(&[3, 2]), "order of appearance");
        // Bounded: a hub with 20 notes linking in and 3 out shows all 3 and 9 of the 20.
        let mut out = vec![vec![21, 22, 23]];
        out.extend((1..=23).map(|k| if k <= 20 { vec![0] } else { vec![] }));
        let g = graph(out);
        let n = Neighbours::of(&g, NoteId::HOME, 12);
        assert_eq!((n.incoming.len(), n.incoming_more), (9, 11));
        assert_eq!((n.outgoing.len(), n.outgoing_more), (3, 0));
        let leaf = Neighbours::of(&g, NoteId::new(22), 12);
        assert_eq!(
            (
                leaf.incoming.as_slice(),
                leaf.both.len(),
                leaf.outgoing.len()
            ),
            (&[NoteId::HOME][..], 0, 0)
        );
    }
}
