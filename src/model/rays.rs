//! Finding the constant-ratio rays of a dose matrix: the combination cells whose dose
//! ratio d1/d2 is the same (the diagonals of a geometric grid, or a design that is one ray).

use super::chou_talalay::{drug1_part, Ray};
use super::median_effect::MedianEffectFit;

/// The rays among combination points `(cell, [d1, d2], fa)` (both doses > 0): cells sorted
/// by ratio d1/d2 (ties by cell), each ray starting at the smallest ratio not yet taken and
/// taking every following cell whose ratio is at most (1 + `tolerance`) times it. Rays of a
/// single cell are not kept (their index is the cell's own). Each ray gets its mixture line
/// fitted; its levels are left empty for the caller.
pub(crate) fn find_rays(points: &[((usize, usize), [f64; 2], f64)], tolerance: f64) -> Vec<Ray> {
    let mut sorted: Vec<(f64, usize)> = points
        .iter()
        .enumerate()
        .map(|(index, (_, doses, _))| (doses[0] / doses[1], index))
        .filter(|(ratio, _)| ratio.is_finite() && *ratio > 0.0)
        .collect();
    sorted.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| points[a.1].0.cmp(&points[b.1].0))
    });
    let mut rays = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let anchor = sorted[start].0;
        let end = sorted[start..]
            .iter()
            .position(|(ratio, _)| *ratio > anchor * (1.0 + tolerance))
            .map_or(sorted.len(), |offset| start + offset);
        if end - start >= 2 {
            let members: Vec<usize> = sorted[start..end].iter().map(|(_, index)| *index).collect();
            rays.push(ray_of(points, &members));
        }
        start = end;
    }
    rays
}

/// The ray of the points at `members` (two or more): its ratio, spread, cells by
/// increasing dose, and mixture line.
fn ray_of(points: &[((usize, usize), [f64; 2], f64)], members: &[usize]) -> Ray {
    let ratios: Vec<f64> = members
        .iter()
        .map(|&index| points[index].1[0] / points[index].1[1])
        .collect();
    let mean_log = ratios.iter().map(|ratio| ratio.ln()).sum::<f64>() / ratios.len() as f64;
    let ratio = mean_log.exp();
    let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = ratios.iter().copied().fold(0.0, f64::max);
    let mut along: Vec<(f64, (usize, usize), f64)> = members
        .iter()
        .map(|&index| {
            let (cell, doses, fraction) = points[index];
            (drug1_part(ratio, doses), cell, fraction)
        })
        .collect();
    along.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let line_points: Vec<(f64, f64)> = along
        .iter()
        .map(|(dose, _, fraction)| (*dose, *fraction))
        .collect();
    Ray {
        ratio,
        ratio_spread: highest / lowest - 1.0,
        cells: along.iter().map(|(_, cell, _)| *cell).collect(),
        fit: MedianEffectFit::fit(&line_points),
        levels: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(cell: (usize, usize), d1: f64, d2: f64) -> ((usize, usize), [f64; 2], f64) {
        (cell, [d1, d2], 0.5)
    }

    #[test]
    fn the_diagonals_of_a_geometric_grid_are_rays() {
        // A 3 × 3 two-fold grid: ratios 1/4, 1/2, 1, 2, 4 along its diagonals.
        let doses = [1.0, 2.0, 4.0];
        let points: Vec<_> = (0..3)
            .flat_map(|row| (0..3).map(move |column| (row, column)))
            .map(|(row, column)| point((row, column), doses[row], doses[column]))
            .collect();
        let rays = find_rays(&points, 0.05);
        let ratios: Vec<f64> = rays.iter().map(|ray| ray.ratio).collect();
        // The corner cells (ratios 1/4 and 4) are single cells, not rays.
        assert_eq!(ratios, [0.5, 1.0, 2.0]);
        assert_eq!(rays[1].cells, [(0, 0), (1, 1), (2, 2)]);
        assert_eq!(rays[1].ratio_spread, 0.0);
    }

    #[test]
    fn ratios_within_the_tolerance_share_a_ray() {
        let points = [
            point((0, 0), 1.0, 3.0),
            point((1, 1), 2.0, 6.1),
            point((2, 2), 4.0, 12.5),
            point((3, 0), 8.0, 3.0),
        ];
        let rays = find_rays(&points, 0.05);
        assert_eq!(rays.len(), 1);
        assert_eq!(rays[0].cells, [(0, 0), (1, 1), (2, 2)]);
        // 1/3 against 4/12.5: 4.2 % apart.
        assert!((rays[0].ratio_spread - (1.0 / 3.0) / 0.32 + 1.0).abs() < 1e-12);
        assert!(find_rays(&points, 0.01).len() < 2);
    }
}
