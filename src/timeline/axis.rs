//! A proportional time axis with room for labels: stops in time get positions along one
//! dimension at a base scale, and each dense run of stops (too close for their labels at that
//! scale) is drawn as a zoomed segment of its own scale, marked off by breaks, so nothing
//! overlaps and distances stay proportional within each segment. Runs still too dense inside a
//! zoom are zoomed again, down to `MAX_DEPTH`; past it, stops are stacked (a segment marked as
//! not to scale). Pure arithmetic: no drawing.

use std::ops::Range;

/// How many times a zoom may hold another.
pub const MAX_DEPTH: u8 = 3;

/// A point in time the axis shows (days since 1970-01-01), and the room its label takes past
/// its position (the room before it is `Room::above`, the same for every stop).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stop {
    /// When.
    pub t: f64,
    /// Length its label reaches past the stop's position.
    pub below: f64,
}

/// Fixed lengths around labels and zooms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Room {
    /// Length a label reaches before its stop's position.
    pub above: f64,
    /// Least space between two labels.
    pub gap: f64,
    /// Space at the start of a zoom, before its first stop, for its caption.
    pub caption: f64,
    /// Space for the break mark at each end of a zoom (half before, half after the boundary).
    pub brk: f64,
    /// Space at the end of a zoom, after its last label.
    pub end: f64,
}

/// A straight stretch of the axis: times `t0..=t1` drawn from `y0` to `y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// First time.
    pub t0: f64,
    /// Last time.
    pub t1: f64,
    /// Position of `t0`.
    pub y0: f64,
    /// Position of `t1`.
    pub y1: f64,
    /// Zoom level: 0 on the base scale.
    pub depth: u8,
}

impl Piece {
    /// Length per day.
    pub fn scale(&self) -> f64 {
        if self.t1 > self.t0 {
            (self.y1 - self.y0) / (self.t1 - self.t0)
        } else {
            0.0
        }
    }

    /// Position of time `t` (inside the piece).
    pub fn at(&self, t: f64) -> f64 {
        self.y0 + (t - self.t0) * self.scale()
    }
}

/// A run of stops drawn on a larger scale, between two breaks of the axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zoom {
    /// Its stops (indices into the stops given).
    pub stops: (usize, usize),
    /// Where it starts (the first break).
    pub top: f64,
    /// Where it ends (the second break).
    pub bottom: f64,
    /// 1 for a zoom of the base axis, 2 for a zoom inside it, …
    pub depth: u8,
    /// False when its stops were stacked rather than placed to a scale (past `MAX_DEPTH`).
    pub to_scale: bool,
    /// Its scale in length per day (of the stretch between its first and last stop).
    pub scale: f64,
}

/// Positions of the stops, the straight pieces of the axis and its zooms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Axis {
    /// Position of each stop.
    pub pos: Vec<f64>,
    /// The straight pieces, in order (pieces of a zoom come between those of its parent).
    pub pieces: Vec<Piece>,
    /// The zooms, outer ones before those they hold.
    pub zooms: Vec<Zoom>,
    /// Where the axis ends: the last stop, or the end of the last zoom.
    pub end: f64,
}

/// A stretch of the axis line as drawn: from `a` to `b`, at one zoom level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    /// Start.
    pub a: f64,
    /// End.
    pub b: f64,
    /// Zoom level.
    pub depth: u8,
    /// False inside a zoom whose stops are stacked, not to scale.
    pub to_scale: bool,
    /// It starts at a break.
    pub cut_a: bool,
    /// It ends at a break.
    pub cut_b: bool,
}

impl Axis {
    /// The axis line from `start` to `end` in stretches of one zoom level each, split at the
    /// zooms' breaks.
    pub fn runs(&self, start: f64, end: f64) -> Vec<Run> {
        let mut runs = vec![Run {
            a: start,
            b: end,
            depth: 0,
            to_scale: true,
            cut_a: false,
            cut_b: false,
        }];
        for z in &self.zooms {
            let Some(k) = runs
                .iter()
                .position(|r| r.depth + 1 == z.depth && r.a <= z.top && z.bottom <= r.b)
            else {
                continue;
            };
            let r = runs[k];
            let inner = Run {
                a: z.top,
                b: z.bottom,
                depth: z.depth,
                to_scale: z.to_scale,
                cut_a: true,
                cut_b: true,
            };
            let before = Run {
                b: z.top,
                cut_b: true,
                ..r
            };
            let after = Run {
                a: z.bottom,
                cut_a: true,
                ..r
            };
            runs.splice(k..=k, [before, inner, after]);
        }
        runs.retain(|r| r.b > r.a);
        runs
    }
}

/// Lays out `stops` (in time order, no two at the same time) from position `start`, at
/// `scale` (length per day) outside zooms.
pub fn lay_out(stops: &[Stop], scale: f64, room: Room, start: f64) -> Axis {
    let mut l = Layout {
        stops,
        room,
        axis: Axis {
            pos: vec![start; stops.len()],
            ..Axis::default()
        },
    };
    if !stops.is_empty() {
        l.axis.end = l.place(0..stops.len(), scale.max(f64::MIN_POSITIVE), 0, start);
    } else {
        l.axis.end = start;
    }
    // Zooms are found inner first (a parent is known once its children are laid out): outer
    // ones go first, each level in order.
    l.axis
        .zooms
        .sort_by(|a, b| a.depth.cmp(&b.depth).then(a.top.total_cmp(&b.top)));
    l.axis
}

/// The largest base scale between `lo` and `hi` at which `stops` fit in `length`, or `None`
/// when none does (too many stops for the room).
pub fn fit(stops: &[Stop], room: Room, length: f64, lo: f64, hi: f64) -> Option<f64> {
    let fits = |s: f64| lay_out(stops, s, room, 0.0).end <= length;
    // The length does not always grow with the scale (at a tiny scale every stop is in nested
    // zooms, each with its breaks): scan a grid from the top, then refine between the first
    // scale that fits and the next one up.
    const STEPS: u32 = 64;
    let (a, b) = (lo.ln(), hi.ln());
    let at = |k: u32| (a + (b - a) * f64::from(k) / f64::from(STEPS)).exp();
    let k = (0..=STEPS).rev().find(|&k| fits(at(k)))?;
    if k == STEPS {
        return Some(hi);
    }
    let (mut ok, mut too_long) = (at(k).ln(), at(k + 1).ln());
    for _ in 0..30 {
        let m = (ok + too_long) / 2.0;
        if fits(m.exp()) {
            ok = m;
        } else {
            too_long = m;
        }
    }
    Some(ok.exp())
}

struct Layout<'a> {
    stops: &'a [Stop],
    room: Room,
    axis: Axis,
}

impl Layout<'_> {
    /// Room stop `k` needs before the next one.
    fn need(&self, k: usize) -> f64 {
        self.stops[k].below + self.room.above + self.room.gap
    }

    fn dt(&self, k: usize) -> f64 {
        self.stops[k + 1].t - self.stops[k].t
    }

    fn dense(&self, k: usize, scale: f64) -> bool {
        self.dt(k) * scale < self.need(k)
    }

    /// Places the stops of `range` at `scale`, the first at `y`; returns where the axis is once
    /// everything drawn for the last stop is passed (its position, or the end of its zoom).
    fn place(&mut self, range: Range<usize>, scale: f64, depth: u8, mut y: f64) -> f64 {
        let mut i = range.start;
        let mut piece = (self.stops[i].t, y);
        loop {
            let mut j = i;
            while j + 1 < range.end && self.dense(j, scale) {
                j += 1;
            }
            if j > i {
                self.piece(piece, (self.stops[i].t, y), depth);
                let top = y + self.room.brk / 2.0;
                let first = y + self.room.brk + self.room.caption;
                let (z, after, to_scale) = if depth < MAX_DEPTH {
                    let z = self.zoom_scale(i, j, scale);
                    (z, self.place(i..j + 1, z, depth + 1, first), true)
                } else {
                    (scale, self.stack(i..j + 1, scale, first), false)
                };
                let last_label = self.axis.pos[j] + self.stops[j].below + self.room.gap / 2.0;
                let bottom = (after + self.room.end).max(last_label);
                self.axis.zooms.push(Zoom {
                    stops: (i, j),
                    top,
                    bottom,
                    depth: depth + 1,
                    to_scale,
                    scale: z,
                });
                y = bottom + self.room.brk / 2.0;
                piece = (self.stops[j].t, y);
                i = j;
            } else {
                self.axis.pos[i] = y;
            }
            if i + 1 >= range.end {
                self.piece(piece, (self.stops[i].t, y), depth);
                return y;
            }
            y += self.dt(i) * scale;
            i += 1;
        }
    }

    /// A zoom's scale: the one at which every pair of its stops has room, unless that would
    /// make it much longer than its labels, then a little more than its labels need (the pairs
    /// still too close get a zoom of their own).
    fn zoom_scale(&self, i: usize, j: usize, scale: f64) -> f64 {
        let span = self.stops[j].t - self.stops[i].t;
        let need: f64 = (i..j).map(|k| self.need(k)).sum();
        let needed = (i..j)
            .map(|k| self.need(k) / self.dt(k).max(f64::MIN_POSITIVE))
            .fold(0.0, f64::max);
        if span <= 0.0 {
            return scale * 2.0;
        }
        if needed * span <= 2.0 * need {
            needed
        } else {
            (1.25 * need / span).max(scale * 1.5)
        }
    }

    /// Past `MAX_DEPTH`: each stop just after the previous one's label.
    fn stack(&mut self, range: Range<usize>, scale: f64, mut y: f64) -> f64 {
        for k in range.clone() {
            self.axis.pos[k] = y;
            if k + 1 < range.end {
                y += self.need(k).max(self.dt(k) * scale);
            }
        }
        y
    }

    fn piece(&mut self, (t0, y0): (f64, f64), (t1, y1): (f64, f64), depth: u8) {
        if t1 > t0 {
            self.axis.pieces.push(Piece {
                t0,
                t1,
                y0,
                y1,
                depth,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOM: Room = Room {
        above: 10.0,
        gap: 10.0,
        caption: 30.0,
        brk: 16.0,
        end: 8.0,
    };

    fn stops(days: &[f64], below: f64) -> Vec<Stop> {
        days.iter().map(|&t| Stop { t, below }).collect()
    }

    /// Labels never overlap: each stop is at least its label's room after the previous one.
    fn assert_room(axis: &Axis, s: &[Stop]) {
        for k in 1..s.len() {
            let need = s[k - 1].below + ROOM.above + ROOM.gap;
            assert!(
                axis.pos[k] - axis.pos[k - 1] >= need - 1e-9,
                "stops {} and {k}: {:?}",
                k - 1,
                axis.pos
            );
        }
    }

    #[test]
    fn sparse_stops_are_proportional() {
        let s = stops(&[0.0, 1000.0, 3000.0], 20.0);
        let a = lay_out(&s, 0.1, ROOM, 5.0);
        assert_eq!(a.pos, [5.0, 105.0, 305.0]);
        assert!(a.zooms.is_empty());
        assert_eq!(a.pieces.len(), 1);
        assert_eq!(a.end, 305.0);
    }

    #[test]
    fn a_dense_run_is_zoomed_and_the_rest_keeps_its_scale() {
        // Two years apart, then three stops a few days apart, then two years again.
        let s = stops(&[0.0, 730.0, 733.0, 739.0, 1469.0], 40.0);
        let a = lay_out(&s, 0.2, ROOM, 0.0);
        assert_room(&a, &s);
        assert_eq!(a.zooms.len(), 1, "{:?}", a.zooms);
        let z = a.zooms[0];
        assert_eq!((z.stops, z.depth, z.to_scale), ((1, 3), 1, true));
        // Inside the zoom, one scale: distances proportional to time.
        let (d1, d2) = (a.pos[2] - a.pos[1], a.pos[3] - a.pos[2]);
        assert!((d2 / d1 - 2.0).abs() < 1e-9, "{d1} {d2}");
        // Outside it, the base scale: 730 days at 0.2 before the zoom and after it.
        assert!((a.pos[1] - ROOM.brk - ROOM.caption - a.pos[0] - 146.0).abs() < 1e-9);
        assert!((a.pos[4] - (z.bottom + ROOM.brk / 2.0) - 146.0).abs() < 1e-9);
        assert!(z.top < a.pos[1] && a.pos[3] < z.bottom);
    }

    #[test]
    fn zooms_nest_and_labels_never_overlap() {
        // Months apart inside a year, and minutes apart inside that: nested zooms.
        let s = stops(&[0.0, 40.0, 80.0, 80.001, 80.002, 400.0], 30.0);
        let a = lay_out(&s, 0.1, ROOM, 0.0);
        assert_room(&a, &s);
        assert!(a.zooms.iter().any(|z| z.depth >= 2), "{:?}", a.zooms);
        assert!(a.zooms.windows(2).all(|w| w[0].depth <= w[1].depth));
        // Many stops at almost the same time still never overlap.
        let many: Vec<f64> = (0..50).map(|k| f64::from(k) * 1e-9).collect();
        let s = stops(&many, 25.0);
        let a = lay_out(&s, 1.0, ROOM, 0.0);
        assert_room(&a, &s);
    }

    #[test]
    fn fit_finds_a_scale_that_fits() {
        let room = Room {
            caption: 0.0,
            ..ROOM
        };
        let s = stops(&[0.0, 365.0, 370.0, 3650.0], 5.0);
        let scale = fit(&s, room, 300.0, 1e-6, 10.0).unwrap();
        let a = lay_out(&s, scale, room, 0.0);
        assert!(a.end <= 300.0 && scale > 1e-6, "{} at {scale}", a.end);
        let crowd = stops(&(0..100).map(f64::from).collect::<Vec<_>>(), 5.0);
        assert_eq!(fit(&crowd, room, 300.0, 1e-6, 10.0), None);
    }
}
