// The chance of seeing at least k events when λ are expected (the upper tail of a Poisson
// distribution), for deciding whether a week's complaints are out of the ordinary. Written
// here rather than pulled in: it is twenty lines, and the statistics packages on npm bring
// hundreds of modules for it. Terms are summed in log space so a busy stage (λ in the
// thousands, where e^-λ underflows) is as exact as a quiet one.

/** ln(n!) by summing logs: exact to double precision, and n is a weekly count, so the loop is short. */
function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** P(X ≥ k) for X ~ Poisson(λ), k a whole number ≥ 0, λ ≥ 0. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, not ${k}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`λ must be a finite number ≥ 0, not ${lambda}`);
  if (k === 0) return 1;
  if (lambda === 0) return 0;
  const logTerm = (i: number) => -lambda + i * Math.log(lambda) - logFactorial(i);
  if (k > lambda) {
    // Past the peak the terms only shrink: add P(X = k), P(X = k + 1), … until they stop counting.
    let term = Math.exp(logTerm(k));
    let sum = 0;
    for (let i = k; term > sum * 1e-17 && i < k + 100_000; i++) {
      sum += term;
      term *= lambda / (i + 1);
    }
    return Math.min(1, sum);
  }
  // At or before the peak the tail is large; 1 − P(X < k) is exact enough there, summed from k − 1 down.
  let term = Math.exp(logTerm(k - 1));
  let below = 0;
  for (let i = k - 1; i >= 0 && term > below * 1e-17; i--) {
    below += term;
    term *= i / lambda;
  }
  return Math.max(0, 1 - below);
}
