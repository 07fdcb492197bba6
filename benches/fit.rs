//! One 4PL fit of an 8-point monotherapy series (control + 7 doses), the unit of work of
//! every later score. Target (foundation issue): median ≤ 15 µs on the project machine.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use synergist::curve::{FitOptions, HillCurve};
use synergist::data::Observation;

/// An ordinary noisy curve: e0 2, emax 85, ec50 0.3, hill 1.7 on a 3-fold series from
/// 0.01, with fixed deviations of a few points standing in for noise.
fn ordinary_series() -> Vec<Observation> {
    let truth = HillCurve::new(2.0, 85.0, 0.3, 1.7).expect("valid curve");
    let deviations = [1.2, -2.5, 0.8, 3.1, -1.7, 2.2, -0.6, 1.9];
    std::iter::once(0.0)
        .chain((0..7).map(|i| 0.01 * 3f64.powi(i)))
        .zip(deviations)
        .map(|(dose, deviation)| Observation::single(dose, truth.response(dose) + deviation))
        .collect()
}

fn fit_benchmarks(criterion: &mut Criterion) {
    let series = ordinary_series();
    let options = FitOptions::default();
    criterion.bench_function("fit 8-point 4PL", |bencher| {
        bencher.iter(|| options.fit(black_box(&series)))
    });
    let e0 = series[0].response;
    criterion.bench_function("fit 8-point 4PL, fixed e0", |bencher| {
        bencher.iter(|| options.fit_with_fixed_e0(black_box(&series), e0))
    });
}

criterion_group!(benches, fit_benchmarks);
criterion_main!(benches);
