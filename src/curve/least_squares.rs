//! What a least-squares problem gives the solver: its cost and its normal equations at a
//! parameter vector of N entries, N fixed at compile time (so every array is on the stack
//! and an iteration allocates nothing).
//!
//! The solver asks for the normal equations, not for the residuals and Jacobian rows:
//! a problem with rows assembles them with [`NormalEquations::add_residual`] (the
//! 4-parameter Hill problem, and the test problems of the solver), while a variable
//! projection problem builds them from a larger problem's by eliminating the parameters it
//! solves in closed form (a Schur complement, which no set of its own rows gives). Either
//! way the solver holds N × N numbers, never an M × N Jacobian.

/// A weighted least-squares problem in N parameters: the cost Σ wᵢ rᵢ² and its normal
/// equations, with rᵢ = model − observed.
pub(crate) trait LeastSquares<const N: usize> {
    /// The cost Σ wᵢ rᵢ² at `parameters` (it may be infinite or NaN where the model is not
    /// defined: the solver then rejects the step).
    fn cost(&self, parameters: &[f64; N]) -> f64;

    /// JᵀWJ, JᵀWr and the cost at `parameters`, both triangles of JᵀWJ filled.
    fn normal_equations(&self, parameters: &[f64; N]) -> NormalEquations<N>;
}

/// The normal equations of a weighted least-squares problem at one parameter vector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NormalEquations<const N: usize> {
    /// JᵀWJ (Gauss–Newton approximation of half the Hessian of the cost).
    pub(crate) jtj: [[f64; N]; N],
    /// JᵀWr (half the gradient of the cost), with r = model − observed.
    pub(crate) jtr: [f64; N],
    /// The cost Σ wᵢ rᵢ² at the same parameters.
    pub(crate) cost: f64,
}

impl<const N: usize> NormalEquations<N> {
    /// All zero: the sums before the first residual.
    pub(crate) fn zero() -> Self {
        NormalEquations {
            jtj: [[0.0; N]; N],
            jtr: [0.0; N],
            cost: 0.0,
        }
    }

    /// Adds one residual r with weight w and gradient ∂r/∂p: w·r² to the cost, w·r·∂r/∂p to
    /// JᵀWr, and w·∂r/∂p·∂r/∂pᵀ to the lower triangle of JᵀWJ (the upper one is filled
    /// once, by [`NormalEquations::with_upper_triangle`]).
    // Called for every point at every step: inlined into the problem's loop over points.
    #[inline(always)]
    pub(crate) fn add_residual(&mut self, weight: f64, residual: f64, gradient: &[f64; N]) {
        self.cost += weight * residual * residual;
        for row in 0..N {
            let weighted = weight * gradient[row];
            self.jtr[row] += weighted * residual;
            for (entry, &other) in self.jtj[row][..=row].iter_mut().zip(&gradient[..=row]) {
                *entry += weighted * other;
            }
        }
    }

    /// The upper triangle of JᵀWJ copied from the lower.
    // Inlined, so that the equations are completed where they are built, not copied.
    #[inline(always)]
    pub(crate) fn with_upper_triangle(mut self) -> Self {
        for row in 0..N {
            for column in row + 1..N {
                self.jtj[row][column] = self.jtj[column][row];
            }
        }
        self
    }
}
