//! A layered (Sugiyama-style) layout of boxes joined by edges, in a frame where layers run
//! down the page: cycles broken by reversing the edges a depth-first search finds going back,
//! layers by longest path, long edges split by dummy points (an edge's label is one, with the
//! label's size), the order within layers by barycentre sweeps keeping the order with fewest
//! crossings, positions within layers by repeatedly moving each box towards its neighbours'
//! mean with the layer's order and spacing kept (pool-adjacent-violators). Every step is
//! linear or `n log n` in the boxes and dummy points, and iterations are fixed in number, so
//! it terminates on any graph; ties are broken by index, so the same graph gives the same
//! layout.

/// A box's size: across the layer (the page's width when layers run down) and along the
/// layers' succession.
pub type Size = (f64, f64);

/// A graph to lay out.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// Each box's size.
    pub sizes: Vec<Size>,
    /// Edges between different boxes: (from, to, the size of its label).
    pub edges: Vec<(usize, usize, Option<Size>)>,
    /// Room to keep free after each box, across (for a loop drawn on its side).
    pub extra: Vec<f64>,
    /// Space between neighbours in a layer, and between layers.
    pub gap: (f64, f64),
}

/// Where everything goes, in the frame (x across, y along; the top-left corner is 0, 0).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    /// Each box's centre.
    pub centers: Vec<(f64, f64)>,
    /// Each edge's route (same indices as `Input::edges`).
    pub routes: Vec<Route>,
}

/// Where an edge runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    /// The points it passes from its start box's centre to its end box's centre (in the
    /// edge's own direction).
    pub points: Vec<(f64, f64)>,
    /// Where its label goes.
    pub label: Option<(f64, f64)>,
}

/// A box or a dummy point in a layer.
struct Vertex {
    layer: usize,
    size: Size,
    extra: f64,
    dummy: bool,
    up: Vec<usize>,
    down: Vec<usize>,
}

/// Rounds of barycentre sweeps, and of position balancing.
const ORDER_ROUNDS: usize = 12;
const PLACE_ROUNDS: usize = 8;

/// Lays out `input`.
pub fn place(input: &Input) -> Output {
    let n = input.sizes.len();
    if n == 0 {
        return Output::default();
    }
    let reversed = back_edges(n, &input.edges);
    let dag: Vec<(usize, usize)> = input
        .edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b, _), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let mut rank = ranks(n, &dag);
    let labels = input.edges.iter().any(|e| e.2.is_some());
    if labels {
        // Every edge spans two layers or more: a label sits in the layer between.
        for r in &mut rank {
            *r *= 2;
        }
    }
    let mut v: Vec<Vertex> = (0..n)
        .map(|i| Vertex {
            layer: rank[i],
            size: input.sizes[i],
            extra: input.extra.get(i).copied().unwrap_or(0.0),
            dummy: false,
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    // Each edge's chain of vertices, and the label's vertex.
    let mut chains: Vec<(Vec<usize>, Option<usize>)> = Vec::with_capacity(dag.len());
    for (&(a, b), e) in dag.iter().zip(&input.edges) {
        let (ra, rb) = (rank[a], rank[b]);
        let mid = ra + (rb - ra) / 2;
        let mut chain = vec![a];
        let mut label = None;
        for layer in ra + 1..rb {
            let size = match e.2 {
                Some(s) if layer == mid => s,
                _ => (0.0, 0.0),
            };
            if layer == mid && e.2.is_some() {
                label = Some(v.len());
            }
            v.push(Vertex {
                layer,
                size,
                extra: 0.0,
                dummy: true,
                up: Vec::new(),
                down: Vec::new(),
            });
            chain.push(v.len() - 1);
        }
        chain.push(b);
        for w in chain.windows(2) {
            v[w[0]].down.push(w[1]);
            v[w[1]].up.push(w[0]);
        }
        chains.push((chain, label));
    }
    let layers = order(&v);
    let across = positions(&v, &layers, input.gap.0);
    let along = layer_positions(&v, &layers, input.gap.1, labels);
    let at = |i: usize| (across[i], along[v[i].layer]);
    let centers = (0..n).map(at).collect();
    let routes = chains
        .iter()
        .zip(&reversed)
        .map(|((chain, label), &rev)| {
            let mut points: Vec<(f64, f64)> = chain.iter().map(|&i| at(i)).collect();
            if rev {
                points.reverse();
            }
            Route {
                points,
                label: label.map(at),
            }
        })
        .collect();
    Output { centers, routes }
}

/// Which edges a depth-first search (from boxes in index order) finds going back to a box
/// still open: reversing them leaves no cycle.
fn back_edges(n: usize, edges: &[(usize, usize, Option<Size>)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, &(a, _, _)) in edges.iter().enumerate() {
        out[a].push(k);
    }
    // 0: not seen, 1: open, 2: done.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        stack.push((root, 0));
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&k) = out[node].get(*next) else {
                state[node] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            let to = edges[k].1;
            match state[to] {
                0 => {
                    state[to] = 1;
                    stack.push((to, 0));
                }
                1 => reversed[k] = true,
                _ => {}
            }
        }
    }
    reversed
}

/// Each box's layer: the longest path to it from a box with no incoming edge; a box with
/// only outgoing edges then moves down to just above its nearest successor.
fn ranks(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indeg[b] += 1;
        succ[a].push(b);
    }
    let mut topo: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut left = indeg.clone();
    let mut k = 0;
    while k < topo.len() {
        let a = topo[k];
        for &b in &succ[a] {
            left[b] -= 1;
            if left[b] == 0 {
                topo.push(b);
            }
        }
        k += 1;
    }
    let mut rank = vec![0usize; n];
    for &a in &topo {
        for &b in &succ[a] {
            rank[b] = rank[b].max(rank[a] + 1);
        }
    }
    for &a in topo.iter().rev() {
        if indeg[a] == 0
            && let Some(min) = succ[a].iter().map(|&b| rank[b]).min()
        {
            rank[a] = min - 1;
        }
    }
    rank
}

/// The vertices of each layer in order: barycentre sweeps down and up, keeping the order
/// with the fewest crossings.
fn order(v: &[Vertex]) -> Vec<Vec<usize>> {
    let count = v.iter().map(|x| x.layer).max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, x) in v.iter().enumerate() {
        layers[x.layer].push(i);
    }
    let mut pos = vec![0usize; v.len()];
    let index = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for l in layers {
            for (k, &i) in l.iter().enumerate() {
                pos[i] = k;
            }
        }
    };
    index(&layers, &mut pos);
    let mut best = layers.clone();
    let mut best_crossings = crossings(v, &layers, &pos);
    for round in 0..ORDER_ROUNDS {
        let down = round % 2 == 0;
        let sequence: Vec<usize> = if down {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for l in sequence {
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .map(|&i| {
                    let nbrs = if down { &v[i].up } else { &v[i].down };
                    let bary = if nbrs.is_empty() {
                        pos[i] as f64
                    } else {
                        nbrs.iter().map(|&j| pos[j] as f64).sum::<f64>() / nbrs.len() as f64
                    };
                    (bary, pos[i], i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|k| k.2).collect();
            for (k, &i) in layers[l].iter().enumerate() {
                pos[i] = k;
            }
        }
        let c = crossings(v, &layers, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = layers.clone();
        }
        if best_crossings == 0 {
            break;
        }
    }
    best
}

/// Edge crossings between every two neighbouring layers: for edges sorted by their upper
/// end, the inversions among their lower ends (counted with a Fenwick tree).
fn crossings(v: &[Vertex], layers: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for pair in layers.windows(2) {
        let mut ends: Vec<(usize, usize)> = Vec::new();
        for &i in &pair[0] {
            for &j in &v[i].down {
                ends.push((pos[i], pos[j]));
            }
        }
        ends.sort_unstable();
        let size = pair[1].len() + 1;
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, lower)) in ends.iter().enumerate() {
            // Earlier edges whose lower end is to the right of this one cross it.
            let mut at_most = 0;
            let mut k = lower + 1;
            while k > 0 {
                at_most += tree[k];
                k -= k & k.wrapping_neg();
            }
            total += seen - at_most;
            let mut k = lower + 1;
            while k <= size {
                tree[k] += 1;
                k += k & k.wrapping_neg();
            }
        }
    }
    total
}

/// Each vertex's position across: packed in order, then moved towards its neighbours' mean
/// (up, down, then both) with its layer's order and spacing kept.
fn positions(v: &[Vertex], layers: &[Vec<usize>], gap: f64) -> Vec<f64> {
    let mut x = vec![0.0; v.len()];
    // The least distance between the centres of neighbours `a` and `b`.
    let sep = |a: usize, b: usize| {
        let g = if v[a].dummy || v[b].dummy {
            gap / 2.0
        } else {
            gap
        };
        (v[a].size.0 + v[b].size.0) / 2.0 + g + v[a].extra
    };
    for l in layers {
        let mut at = 0.0;
        for (k, &i) in l.iter().enumerate() {
            if k > 0 {
                at += sep(l[k - 1], i);
            }
            x[i] = at;
        }
    }
    for round in 0..=2 * PLACE_ROUNDS {
        let (use_up, use_down) = match round {
            r if r == 2 * PLACE_ROUNDS => (true, true),
            r if r % 2 == 0 => (true, false),
            _ => (false, true),
        };
        let sequence: Vec<usize> = if use_down && !use_up {
            (0..layers.len()).rev().collect()
        } else {
            (0..layers.len()).collect()
        };
        for l in sequence {
            let layer = &layers[l];
            let wanted: Vec<(f64, f64)> = layer
                .iter()
                .map(|&i| {
                    let mut sum = 0.0;
                    let mut count = 0usize;
                    if use_up {
                        sum += v[i].up.iter().map(|&j| x[j]).sum::<f64>();
                        count += v[i].up.len();
                    }
                    if use_down {
                        sum += v[i].down.iter().map(|&j| x[j]).sum::<f64>();
                        count += v[i].down.len();
                    }
                    // Dummy points pull harder, so long edges run straight.
                    let weight = if v[i].dummy { 2.0 } else { 1.0 };
                    if count == 0 {
                        (x[i], 0.1)
                    } else {
                        (sum / count as f64, weight)
                    }
                })
                .collect();
            let placed = ordered_fit(layer, &wanted, &sep);
            for (&i, p) in layer.iter().zip(placed) {
                x[i] = p;
            }
        }
    }
    // The leftmost edge of anything at 0.
    let left = v
        .iter()
        .zip(&x)
        .map(|(a, &p)| p - a.size.0 / 2.0)
        .fold(f64::INFINITY, f64::min);
    if left.is_finite() {
        for p in &mut x {
            *p -= left;
        }
    }
    x
}

/// Positions for `layer` as close as can be (least weighted squares) to `wanted` (position,
/// weight) while each keeps at least `sep` from the one before: with offsets taking up the
/// spacing, the positions must not decrease, which pool-adjacent-violators solves exactly.
fn ordered_fit(
    layer: &[usize],
    wanted: &[(f64, f64)],
    sep: &dyn Fn(usize, usize) -> f64,
) -> Vec<f64> {
    let mut offset = Vec::with_capacity(layer.len());
    let mut at = 0.0;
    for (k, &i) in layer.iter().enumerate() {
        if k > 0 {
            at += sep(layer[k - 1], i);
        }
        offset.push(at);
    }
    // Blocks of (weighted mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(layer.len());
    for (k, &(p, w)) in wanted.iter().enumerate() {
        blocks.push((p - offset[k], w, 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(layer.len());
    for (m, _, c) in blocks {
        for _ in 0..c {
            out.push(m + offset[out.len()]);
        }
    }
    out
}

/// Each layer's centre along: layers as thick as their thickest vertex, `gap` apart (less
/// when labels doubled the layers); empty layers take no room.
fn layer_positions(v: &[Vertex], layers: &[Vec<usize>], gap: f64, doubled: bool) -> Vec<f64> {
    let gap = if doubled { gap * 0.6 } else { gap };
    let mut centers = Vec::with_capacity(layers.len());
    let mut at = 0.0;
    let mut first = true;
    for l in layers {
        if l.is_empty() {
            centers.push(at);
            continue;
        }
        if !first {
            at += gap;
        }
        first = false;
        let thick = l.iter().map(|&i| v[i].size.1).fold(0.0, f64::max);
        centers.push(at + thick / 2.0);
        at += thick;
    }
    centers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(n: usize, edges: &[(usize, usize)]) -> Input {
        Input {
            sizes: vec![(60.0, 30.0); n],
            edges: edges.iter().map(|&(a, b)| (a, b, None)).collect(),
            extra: Vec::new(),
            gap: (20.0, 30.0),
        }
    }

    #[test]
    fn a_chain_runs_down_in_one_column() {
        let out = place(&input(3, &[(0, 1), (1, 2)]));
        let xs: Vec<f64> = out.centers.iter().map(|c| c.0).collect();
        assert!(xs.iter().all(|&x| (x - xs[0]).abs() < 0.01), "{xs:?}");
        assert!(out.centers[0].1 < out.centers[1].1 && out.centers[1].1 < out.centers[2].1);
    }

    #[test]
    fn three_causes_sit_side_by_side_above_their_effect() {
        let out = place(&input(4, &[(0, 3), (1, 3), (2, 3)]));
        let y = |i: usize| out.centers[i].1;
        assert_eq!(y(0), y(1));
        assert_eq!(y(1), y(2));
        assert!(y(3) > y(0));
        // The effect is centred under its causes, which do not overlap.
        let mid = (out.centers[0].0 + out.centers[2].0) / 2.0;
        assert!((out.centers[3].0 - mid).abs() < 0.01);
        assert!(out.centers[1].0 - out.centers[0].0 >= 80.0);
    }

    #[test]
    fn cycles_are_laid_out_with_every_edge_routed() {
        let out = place(&input(3, &[(0, 1), (1, 2), (2, 0)]));
        assert_eq!(out.routes.len(), 3);
        // The edge back to the top still starts at its own start box.
        let back = &out.routes[2].points;
        assert_eq!(back.first(), Some(&out.centers[2]));
        assert_eq!(back.last(), Some(&out.centers[0]));
    }

    #[test]
    fn long_edges_and_labels_get_points_between_layers() {
        let mut i = input(3, &[(0, 1), (1, 2), (0, 2)]);
        i.edges[2].2 = Some((40.0, 14.0));
        let out = place(&i);
        let route = &out.routes[2];
        assert!(route.points.len() > 2);
        assert!(route.label.is_some());
    }

    #[test]
    fn crossings_are_counted() {
        let v = |layer, down: Vec<usize>| Vertex {
            layer,
            size: (1.0, 1.0),
            extra: 0.0,
            dummy: false,
            up: Vec::new(),
            down,
        };
        let verts = vec![v(0, vec![3]), v(0, vec![2]), v(1, vec![]), v(1, vec![])];
        let layers = vec![vec![0, 1], vec![2, 3]];
        assert_eq!(crossings(&verts, &layers, &[0, 1, 0, 1]), 1);
    }
}
