//! The whole site's graph (`graph/`, `graph_svg`): every note and the links between them, laid out
//! by a force-directed layout with a fixed number of steps and no randomness, drawn as inline SVG
//! whose nodes are links. A site of more than `MAX_NODES` notes is drawn by section instead (one
//! node per section, lines where notes of two sections link), and not at all if it also has too
//! many sections.

use crate::content::{Note, NoteId, NoteKind};
use crate::escape::write_html;
use crate::graph::Graph;
use crate::links::{push_link_path, root_prefix};

/// The most nodes the graph draws (notes, or else sections).
pub const MAX_NODES: usize = 80;

/// URL path of the graph page (unless a note has it: the note keeps it, and no graph is written).
pub const GRAPH_URL: &str = "graph/";

/// True if the graph page is written: no note has its URL.
pub fn has_page(notes: &[Note]) -> bool {
    !notes.iter().any(|n| n.url == GRAPH_URL)
}

/// Width of the drawing (`viewBox` units); the height follows the layout.
const WIDTH: f64 = 640.0;
/// Space around the layout for labels.
const MARGIN: f64 = 70.0;
/// Steps of the layout: enough for a few dozen nodes to settle.
const STEPS: usize = 300;
/// Label font size, and the longest label (characters) before `…`.
const FONT: i32 = 12;
const LABEL_CHARS: usize = 22;

/// What the graph shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each node: the note it links to (a section when drawn by section), its position, and
    /// how many notes it stands for (1, or a section's notes).
    pub nodes: Vec<(NoteId, f64, f64, usize)>,
    /// Lines between nodes (indices into `nodes`), each pair once, smaller index first.
    pub edges: Vec<(usize, usize)>,
    /// Drawn by section.
    pub by_section: bool,
}

/// What to draw before it is laid out.
struct Chosen {
    /// (note, how many notes it stands for).
    nodes: Vec<(NoteId, usize)>,
    /// Pairs of indices into `nodes`.
    edges: Vec<(usize, usize)>,
    by_section: bool,
}

/// The nodes and edges to draw: every note, or every section (home included) when there are
/// more than `MAX_NODES` notes; `None` when even the sections are too many.
fn choose(notes: &[Note], graph: &Graph) -> Option<Chosen> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    if notes.len() <= MAX_NODES {
        // One node per note, in note order: a note's node index is its `NoteId`'s.
        let nodes = NoteId::all(notes.len()).map(|i| (i, 1)).collect();
        for (from, targets) in graph.outgoing.iter().enumerate() {
            let targets = targets.iter().map(|to| to.index());
            pairs.extend(targets.map(|to| (from.min(to), from.max(to))));
        }
        pairs.sort_unstable();
        pairs.dedup();
        return Some(Chosen {
            nodes,
            edges: pairs,
            by_section: false,
        });
    }
    // A section stands for itself and its pages (home for the pages at the top).
    let group = |i: NoteId| match notes[i].kind {
        NoteKind::Page => notes[i].parent.unwrap_or(i),
        _ => i,
    };
    let sections: Vec<NoteId> = NoteId::all(notes.len())
        .filter(|&i| notes[i].kind != NoteKind::Page)
        .collect();
    if sections.len() > MAX_NODES || sections.is_empty() {
        return None;
    }
    // Each note's node, if it is a section (or home).
    let mut index = vec![usize::MAX; notes.len()];
    for (k, &s) in sections.iter().enumerate() {
        index[s] = k;
    }
    let mut sizes = vec![0; sections.len()];
    for i in NoteId::all(notes.len()) {
        if let Some(&k) = index.get(group(i).index()).filter(|&&k| k != usize::MAX) {
            sizes[k] += 1;
        }
    }
    for (from, targets) in NoteId::enumerate(&graph.outgoing) {
        let a = index[group(from)];
        for &to in targets {
            let b = index[group(to)];
            if a != b && a != usize::MAX && b != usize::MAX {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let nodes = sections.iter().copied().zip(sizes).collect();
    Some(Chosen {
        nodes,
        edges: pairs,
        by_section: true,
    })
}

/// Lays out the site's graph (see the module): deterministic, the same on every machine (only
/// additions, multiplications, divisions and square roots, which IEEE 754 rounds exactly).
pub fn layout(notes: &[Note], graph: &Graph) -> Option<Layout> {
    let Chosen {
        nodes,
        edges,
        by_section,
    } = choose(notes, graph)?;
    let n = nodes.len();
    // Start on a grid in note order (notes of a folder start close together).
    let cols = (n as f64).sqrt().ceil().max(1.0) as usize;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let (r, c) = (k / cols, k % cols);
            // Every other row shifted half a cell: no two nodes start on one line of forces.
            let shift = if r % 2 == 1 { 0.5 } else { 0.0 };
            (
                (c as f64 + shift + 0.5) / cols as f64,
                (r as f64 + 0.5) / cols as f64,
            )
        })
        .collect();
    // Fruchterman–Reingold in the unit square, with a pull to the centre so that notes without
    // links stay near the others.
    let k = (1.0 / n as f64).sqrt();
    let mut temp = 0.1;
    let cool = temp / (STEPS as f64 + 1.0);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for _ in 0..STEPS {
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for a in 0..n {
            for b in (a + 1)..n {
                let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
                let d2 = (dx * dx + dy * dy).max(1e-6);
                let f = k * k / d2; // repulsion k²/d, along the unit vector (dx, dy)/d
                disp[a].0 += dx * f;
                disp[a].1 += dy * f;
                disp[b].0 -= dx * f;
                disp[b].1 -= dy * f;
            }
        }
        for &(a, b) in &edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-3);
            let f = d / k; // attraction d²/k, along the unit vector
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let (gx, gy) = (0.5 - p.0, 0.5 - p.1);
            let (dx, dy) = (d.0 + gx * k * 2.0, d.1 + gy * k * 2.0);
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(temp);
                p.0 += dx / len * step;
                p.1 += dy / len * step;
            }
        }
        temp -= cool;
    }
    Some(Layout {
        nodes: nodes
            .into_iter()
            .zip(pos)
            .map(|((note, size), (x, y))| (note, x, y, size))
            .collect(),
        edges,
        by_section,
    })
}

/// The graph as inline SVG for the page at `page_url` (links relative to it), or an empty string
/// when the site is too large to draw (see the module).
pub fn svg(notes: &[Note], graph: &Graph, page_url: &str, file_links: bool) -> String {
    let Some(l) = layout(notes, graph) else {
        return String::new();
    };
    // Scale the layout's bounding box to the drawing's width, keeping its proportions.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(_, x, y, _) in &l.nodes {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let inner = WIDTH - 2.0 * MARGIN;
    let scale = inner / (x1 - x0).max(y1 - y0).max(1e-6);
    let at: Vec<(i32, i32)> = l
        .nodes
        .iter()
        .map(|&(_, x, y, _)| {
            (
                (MARGIN + (x - x0) * scale).round() as i32,
                (30.0 + (y - y0) * scale).round() as i32,
            )
        })
        .collect();
    let height = at.iter().map(|p| p.1).max().unwrap_or(0) + 40;
    let root = root_prefix(page_url);
    let mut out: Vec<u8> = Vec::with_capacity(512 + 300 * l.nodes.len() + 40 * l.edges.len());
    let raw = |out: &mut Vec<u8>, s: &str| out.extend_from_slice(s.as_bytes());
    raw(
        &mut out,
        &format!(
            "<svg class=\"site-graph\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" role=\"group\" font-family=\"system-ui,sans-serif\"><title>",
            w = WIDTH as i32
        ),
    );
    let what = if l.by_section { "sections" } else { "notes" };
    raw(
        &mut out,
        &format!("Map of the {what} and their links</title><desc>"),
    );
    raw(
        &mut out,
        &format!(
            "{} {what} and {} links between them.",
            l.nodes.len(),
            l.edges.len()
        ),
    );
    raw(
        &mut out,
        "</desc><g class=\"graph-edges\" aria-hidden=\"true\" stroke=\"currentColor\">",
    );
    for &(a, b) in &l.edges {
        raw(
            &mut out,
            &format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                at[a].0, at[a].1, at[b].0, at[b].1
            ),
        );
    }
    raw(&mut out, "</g>");
    for (k, &(i, _, _, size)) in l.nodes.iter().enumerate() {
        let note = &notes[i];
        let mut href = root.clone();
        push_link_path(&mut href, &note.url, file_links);
        let class = match note.kind {
            NoteKind::Home => "graph-node graph-home",
            NoteKind::Section => "graph-node graph-section",
            NoteKind::Page => "graph-node",
        };
        raw(&mut out, &format!("<a class=\"{class}\" href=\""));
        write_html(&href, &mut out).ok();
        raw(&mut out, "\"><title>");
        write_html(&note.title, &mut out).ok();
        if l.by_section {
            raw(&mut out, &format!(" ({size} notes)"));
        }
        let r = if l.by_section {
            4 + (size as f64).sqrt().min(12.0) as i32
        } else if note.kind == NoteKind::Page {
            5
        } else {
            7
        };
        let (x, y) = at[k];
        raw(
            &mut out,
            &format!(
                "</title><circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\" fill=\"currentColor\"/><text x=\"{x}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"middle\" fill=\"currentColor\">",
                y + r + FONT + 1
            ),
        );
        write_html(&label(&note.title), &mut out).ok();
        raw(&mut out, "</text></a>");
    }
    raw(&mut out, "</svg>");
    String::from_utf8(out).unwrap_or_default()
}

/// A node's label: the title, cut at a word with `…` past `LABEL_CHARS` characters.
fn label(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let head: String = title.chars().take(LABEL_CHARS - 1).collect();
    let at_word_end = title
        .chars()
        .nth(LABEL_CHARS - 1)
        .is_some_and(char::is_whitespace);
    let kept = match head.rfind(' ') {
        _ if at_word_end => &head[..],
        Some(i) if i > LABEL_CHARS / 2 => &head[..i],
        _ => &head[..],
    };
    format!("{}…", kept.trim_end_matches([' ', ',', ';', ':', '–', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(i: usize, kind: NoteKind, parent: Option<usize>) -> Note {
        let parent = parent.map(NoteId::new);
        Note {
            kind,
            rel_path: format!("n{i}.md"),
            display_path: String::new(),
            text: String::new(),
            body_start: 0,
            source_taken: false,
            front: Default::default(),
            title: format!("Note {i}"),
            url: if i == 0 {
                String::new()
            } else {
                format!("n{i}/")
            },
            parent,
        }
    }

    fn site(n: usize, sections: usize) -> (Vec<Note>, Graph) {
        let mut notes = vec![note(0, NoteKind::Home, None)];
        for s in 1..=sections {
            notes.push(note(s, NoteKind::Section, Some(0)));
        }
        for i in notes.len()..n {
            notes.push(note(i, NoteKind::Page, Some(1 + i % sections.max(1))));
        }
        // A ring of links, and every note links home.
        let outgoing: Vec<Vec<NoteId>> = (0..n)
            .map(|i| {
                if i == 0 {
                    vec![NoteId::new(1)]
                } else {
                    vec![NoteId::new((i + 1) % n), NoteId::HOME]
                }
            })
            .map(|mut v| {
                v.dedup();
                v
            })
            .collect();
        let mut backlinks = vec![Vec::new(); n];
        for (from, t) in NoteId::enumerate(&outgoing) {
            for &to in t {
                backlinks[to].push(from);
            }
        }
        (
            notes,
            Graph {
                outgoing,
                backlinks,
                ..Graph::default()
            },
        )
    }

    #[test]
    fn layout_is_deterministic_and_spreads_the_nodes() {
        let (notes, g) = site(30, 3);
        let a = layout(&notes, &g).unwrap();
        assert_eq!(a, layout(&notes, &g).unwrap());
        assert_eq!(a.nodes.len(), 30);
        assert!(!a.by_section);
        // No two nodes on top of each other.
        for (k, p) in a.nodes.iter().enumerate() {
            for q in &a.nodes[k + 1..] {
                let d = ((p.1 - q.1).powi(2) + (p.2 - q.2).powi(2)).sqrt();
                assert!(d > 0.02, "{p:?} and {q:?} overlap");
            }
        }
        assert_eq!(
            svg(&notes, &g, "graph/", false),
            svg(&notes, &g, "graph/", false)
        );
    }

    #[test]
    fn a_large_site_is_drawn_by_section_and_a_huge_one_not_at_all() {
        let (notes, g) = site(500, 6);
        let l = layout(&notes, &g).unwrap();
        assert!(l.by_section);
        assert_eq!(l.nodes.len(), 7, "home and six sections");
        assert_eq!(l.nodes.iter().map(|n| n.3).sum::<usize>(), 500);
        let (notes, g) = site(500, 100);
        assert!(layout(&notes, &g).is_none());
        assert_eq!(svg(&notes, &g, "graph/", false), "");
    }

    #[test]
    fn labels_are_cut_at_a_word() {
        assert_eq!(label("Li Qiang"), "Li Qiang");
        assert_eq!(
            label("Why China–South Korea relations may soon thaw"),
            "Why China–South Korea…"
        );
    }
}
