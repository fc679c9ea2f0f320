/** Dense matrices as arrays of rows; every function returns a new matrix. */

export function shape(m) {
  return [m.length, m.length ? m[0].length : 0];
}

export function identity(n) {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function transpose(m) {
  const [rows, cols] = shape(m);
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => m[i][j]));
}

export function multiply(a, b) {
  const [n, k] = shape(a);
  const [k2, p] = shape(b);
  if (k !== k2) throw new RangeError(`cannot multiply ${n}x${k} by ${k2}x${p}`);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += a[i][t] * b[t][j];
      return sum;
    }),
  );
}

/** Determinant by Laplace expansion along the first row (fine for small matrices). */
export function determinant(m) {
  const [rows, cols] = shape(m);
  if (rows !== cols) throw new RangeError("only a square matrix has a determinant");
  if (rows === 1) return m[0][0];
  if (rows === 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
  let det = 0;
  for (let j = 0; j < cols; j++) {
    const minor = m.slice(1).map((row) => row.filter((_, c) => c !== j));
    det += (j % 2 === 0 ? 1 : -1) * m[0][j] * determinant(minor);
  }
  return det;
}
