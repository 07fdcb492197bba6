//! Contour lines of a response surface measured on a dose grid: the observed isoboles.
//!
//! The surface between the grid's nodes is a monotone interpolation (below), refined to a
//! fine grid, and each level's contour is traced on the fine grid's triangles (marching
//! triangles). Two properties follow, and the isobologram relies on them:
//!
//! - **No contour through a cell that does not reach the level.** Inside a grid cell (the
//!   rectangle between two adjacent doses of each drug) the interpolated surface stays
//!   between the smallest and the largest of the cell's four corner responses, so a contour
//!   at E crosses only cells whose corners include a response ≥ E and one < E. A cell with
//!   an unmeasured corner has no surface and no contour.
//! - **Contours of different levels never cross.** They are level sets of one continuous
//!   function (piecewise linear on the fine triangles), and the crossing point on a shared
//!   edge moves monotonically with the level, also in floating point.
//!
//! # Formula
//! Along each grid row, then along each column of the row-interpolated values, a monotone
//! piecewise-cubic Hermite interpolant (PCHIP: Fritsch & Carlson 1980, *SIAM J Numer Anal*
//! 17:238; node slopes by the weighted harmonic mean of Fritsch & Butland 1984, *SIAM J Sci
//! Stat Comput* 5:300, 0 at a local extremum, the one-sided secant at an end). Each interval
//! is monotone, so its values lie between its two end values (the cell bound above).

use ndarray::Array2;

/// Fine-grid steps per grid interval along each axis: smooth enough that a contour's
/// corners do not show at figure size, cheap enough for every block of a screen.
pub(crate) const REFINEMENT: usize = 8;

/// A response surface on a grid: `values[(i, j)]` at (`xs[i]`, `ys[j]`), both ascending;
/// NaN where unmeasured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GridSurface<'a> {
    /// Node coordinates along x (ascending, finite).
    pub xs: &'a [f64],
    /// Node coordinates along y (ascending, finite).
    pub ys: &'a [f64],
    /// Values at the nodes, indexed (x, y).
    pub values: &'a Array2<f64>,
}

/// A surface interpolated on a fine grid.
#[derive(Debug, Clone)]
pub(crate) struct FineSurface {
    /// Fine coordinates along x.
    pub xs: Vec<f64>,
    /// Fine coordinates along y.
    pub ys: Vec<f64>,
    /// Values, indexed (x, y); NaN in cells with an unmeasured corner.
    pub values: Array2<f64>,
}

impl GridSurface<'_> {
    /// The surface interpolated with `steps` fine steps per grid interval (at least 1).
    pub(crate) fn refine(&self, steps: usize) -> FineSurface {
        let steps = steps.max(1);
        let fine_xs = subdivide(self.xs, steps);
        let fine_ys = subdivide(self.ys, steps);
        // Along each grid row (fixed y) at the fine x, then along each fine column.
        let mut rows = Array2::from_elem((fine_xs.len(), self.ys.len()), f64::NAN);
        for (j, _) in self.ys.iter().enumerate() {
            let series: Vec<f64> = self.values.column(j).to_vec();
            for (i, value) in pchip(self.xs, &series, &fine_xs).into_iter().enumerate() {
                rows[(i, j)] = value;
            }
        }
        let mut values = Array2::from_elem((fine_xs.len(), fine_ys.len()), f64::NAN);
        for i in 0..fine_xs.len() {
            let series: Vec<f64> = rows.row(i).to_vec();
            for (j, value) in pchip(self.ys, &series, &fine_ys).into_iter().enumerate() {
                values[(i, j)] = value;
            }
        }
        FineSurface {
            xs: fine_xs,
            ys: fine_ys,
            values,
        }
    }
}

/// The coordinates with `steps` equal steps inside each interval (a single coordinate stays
/// one).
fn subdivide(coordinates: &[f64], steps: usize) -> Vec<f64> {
    let mut fine = Vec::with_capacity(coordinates.len().saturating_sub(1) * steps + 1);
    for pair in coordinates.windows(2) {
        for step in 0..steps {
            fine.push(pair[0] + (pair[1] - pair[0]) * step as f64 / steps as f64);
        }
    }
    if let Some(&last) = coordinates.last() {
        fine.push(last);
    }
    fine
}

/// The monotone cubic (PCHIP) interpolant of (`xs`, `ys`) at each of `at` (within the
/// range of `xs`); NaN in an interval with a NaN end, and outside the range.
pub(crate) fn pchip(xs: &[f64], ys: &[f64], at: &[f64]) -> Vec<f64> {
    let count = xs.len().min(ys.len());
    let secants: Vec<f64> = (0..count.saturating_sub(1))
        .map(|k| (ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k]))
        .collect();
    let slopes: Vec<f64> = (0..count).map(|k| node_slope(xs, &secants, k)).collect();
    let mut interval = 0;
    at.iter()
        .map(|&x| {
            if count == 0 || !(xs[0]..=xs[count - 1]).contains(&x) {
                return f64::NAN;
            }
            if count == 1 {
                return ys[0];
            }
            while interval + 2 < count && x > xs[interval + 1] {
                interval += 1;
            }
            while interval > 0 && x < xs[interval] {
                interval -= 1;
            }
            hermite(xs, ys, &slopes, interval, x)
        })
        .collect()
}

/// The PCHIP slope at node `k` from the secants either side: 0 at a local extremum or a
/// flat side, the weighted harmonic mean of two secants of one sign, the secant itself at
/// an end (or next to an unmeasured node).
fn node_slope(xs: &[f64], secants: &[f64], k: usize) -> f64 {
    let before = k
        .checked_sub(1)
        .and_then(|index| secants.get(index))
        .copied();
    let after = secants.get(k).copied();
    match (
        before.filter(|value| value.is_finite()),
        after.filter(|value| value.is_finite()),
    ) {
        (Some(left), Some(right)) => {
            if left * right <= 0.0 {
                return 0.0;
            }
            let (width_left, width_right) = (xs[k] - xs[k - 1], xs[k + 1] - xs[k]);
            let weight_left = 2.0 * width_right + width_left;
            let weight_right = width_right + 2.0 * width_left;
            (weight_left + weight_right) / (weight_left / left + weight_right / right)
        }
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) => 0.0,
    }
}

/// The cubic Hermite interpolant on interval `k` at `x`, kept between the interval's end
/// values (which it is, up to rounding).
fn hermite(xs: &[f64], ys: &[f64], slopes: &[f64], k: usize, x: f64) -> f64 {
    let (start, end) = (ys[k], ys[k + 1]);
    if !(start.is_finite() && end.is_finite()) {
        return f64::NAN;
    }
    let width = xs[k + 1] - xs[k];
    let s = (x - xs[k]) / width;
    let (s2, s3) = (s * s, s * s * s);
    let value = (2.0 * s3 - 3.0 * s2 + 1.0) * start
        + (s3 - 2.0 * s2 + s) * width * slopes[k]
        + (-2.0 * s3 + 3.0 * s2) * end
        + (s3 - s2) * width * slopes[k + 1];
    value.clamp(start.min(end), start.max(end))
}

/// One node of the fine grid, numbered `x index · (y count) + y index`.
type Node = usize;

impl FineSurface {
    /// The contour lines at `level`: polylines in the surface's coordinates, each traced
    /// through the fine triangles whose corners lie on both sides of the level (a corner
    /// counts as above when its value is ≥ the level). Deterministic: the same surface gives
    /// the same lines in the same order.
    pub(crate) fn contours(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let (columns, rows) = self.values.dim();
        if columns < 2 || rows < 2 || !level.is_finite() {
            return Vec::new();
        }
        let node = |i: usize, j: usize| -> Node { i * rows + j };
        let mut segments: Vec<[(Node, Node); 2]> = Vec::new();
        for i in 0..columns - 1 {
            for j in 0..rows - 1 {
                let corners = [
                    node(i, j),
                    node(i + 1, j),
                    node(i + 1, j + 1),
                    node(i, j + 1),
                ];
                // Two triangles split along the (i, j)–(i+1, j+1) diagonal.
                for triangle in [
                    [corners[0], corners[1], corners[2]],
                    [corners[0], corners[2], corners[3]],
                ] {
                    if let Some(segment) = self.triangle_segment(triangle, level) {
                        segments.push(segment);
                    }
                }
            }
        }
        chain(&segments)
            .into_iter()
            .map(|edges| {
                edges
                    .into_iter()
                    .map(|edge| self.crossing(edge, level))
                    .collect()
            })
            .collect()
    }

    fn value(&self, node: Node) -> f64 {
        let rows = self.ys.len();
        self.values[(node / rows, node % rows)]
    }

    fn position(&self, node: Node) -> (f64, f64) {
        let rows = self.ys.len();
        (self.xs[node / rows], self.ys[node % rows])
    }

    /// The two edges of a triangle that the level crosses, if it crosses it.
    fn triangle_segment(&self, triangle: [Node; 3], level: f64) -> Option<[(Node, Node); 2]> {
        let values = triangle.map(|node| self.value(node));
        if values.iter().any(|value| !value.is_finite()) {
            return None;
        }
        let above = values.map(|value| value >= level);
        let mut crossed = [(0, 0); 2];
        let mut count = 0;
        for (first, second) in [(0, 1), (1, 2), (2, 0)] {
            if above[first] != above[second] {
                let (a, b) = (triangle[first], triangle[second]);
                crossed[count.min(1)] = (a.min(b), a.max(b));
                count += 1;
            }
        }
        (count == 2).then_some(crossed)
    }

    /// Where the level crosses an edge (its nodes in ascending order, so that the two
    /// triangles sharing it compute the same point).
    fn crossing(&self, (first, second): (Node, Node), level: f64) -> (f64, f64) {
        let (value_first, value_second) = (self.value(first), self.value(second));
        let t = ((level - value_first) / (value_second - value_first)).clamp(0.0, 1.0);
        let (start, end) = (self.position(first), self.position(second));
        (
            start.0 + (end.0 - start.0) * t,
            start.1 + (end.1 - start.1) * t,
        )
    }
}

/// Joins segments (each a pair of crossed edges) that share an edge into chains of edges:
/// each crossed edge belongs to at most two triangles, so the segments form paths and
/// loops. A loop is closed by repeating its first edge.
fn chain(segments: &[[(Node, Node); 2]]) -> Vec<Vec<(Node, Node)>> {
    use std::collections::BTreeMap;
    let mut by_edge: BTreeMap<(Node, Node), Vec<usize>> = BTreeMap::new();
    for (index, segment) in segments.iter().enumerate() {
        for edge in segment {
            by_edge.entry(*edge).or_default().push(index);
        }
    }
    let mut used = vec![false; segments.len()];
    let mut chains = Vec::new();
    // Open paths start at an edge used by one segment only; loops are picked up after.
    let starts: Vec<usize> = (0..segments.len())
        .filter(|&index| {
            segments[index]
                .iter()
                .any(|edge| by_edge.get(edge).is_some_and(|list| list.len() == 1))
        })
        .chain(0..segments.len())
        .collect();
    for start in starts {
        if used[start] {
            continue;
        }
        let segment = segments[start];
        // Begin at the free end when there is one.
        let (first, mut current) = if by_edge.get(&segment[1]).is_some_and(|list| list.len() == 1) {
            (segment[1], segment[0])
        } else {
            (segment[0], segment[1])
        };
        used[start] = true;
        let mut edges = vec![first, current];
        loop {
            let next = by_edge
                .get(&current)
                .into_iter()
                .flatten()
                .copied()
                .find(|&index| !used[index]);
            let Some(next) = next else { break };
            used[next] = true;
            let [a, b] = segments[next];
            current = if a == current { b } else { a };
            edges.push(current);
        }
        chains.push(edges);
    }
    chains
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pchip_passes_through_the_nodes_and_stays_monotone() {
        let xs = [0.0, 1.0, 2.0, 4.0];
        let ys = [0.0, 10.0, 80.0, 90.0];
        let at: Vec<f64> = (0..=40).map(|step| f64::from(step) / 10.0).collect();
        let values = pchip(&xs, &ys, &at);
        assert_eq!(pchip(&xs, &ys, &xs), ys);
        for pair in values.windows(2) {
            assert!(pair[1] >= pair[0], "{values:?}");
        }
        assert!(pchip(&xs, &ys, &[-1.0, 5.0]).iter().all(|v| v.is_nan()));
    }

    #[test]
    fn an_unmeasured_node_leaves_its_intervals_empty() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        let ys = [0.0, f64::NAN, 20.0, 30.0];
        let values = pchip(&xs, &ys, &[0.5, 1.5, 2.5]);
        assert!(values[0].is_nan() && values[1].is_nan());
        assert!((20.0..=30.0).contains(&values[2]));
    }

    #[test]
    fn a_plane_has_straight_non_crossing_contours() {
        // v = 10·x + 10·y on a 4 × 4 grid: the contour at 25 is the line x + y = 2.5.
        let coordinates = [0.0, 1.0, 2.0, 3.0];
        let values = Array2::from_shape_fn((4, 4), |(i, j)| 10.0 * (i + j) as f64);
        let surface = GridSurface {
            xs: &coordinates,
            ys: &coordinates,
            values: &values,
        }
        .refine(4);
        let lines = surface.contours(25.0);
        assert_eq!(lines.len(), 1, "{lines:?}");
        for &(x, y) in &lines[0] {
            assert!((x + y - 2.5).abs() < 1e-12, "({x}, {y})");
        }
        // The polyline runs from one edge of the grid to the other.
        assert!(lines[0].len() > 4);
    }
}
