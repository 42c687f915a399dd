// z-score standardisation of a feature matrix (rows = users, columns =
// features): z = (x − mean) / std with the population standard deviation
// (divide by n, as scikit-learn's StandardScaler). A constant column has no
// spread to measure and becomes all zeros instead of dividing by zero.

export interface Standardized {
  z: number[][];
  means: number[];
  stds: number[];
}

export function standardize(rows: readonly (readonly number[])[]): Standardized {
  const n = rows.length;
  const width = rows[0]?.length ?? 0;
  const means = new Array<number>(width).fill(0);
  const stds = new Array<number>(width).fill(0);
  if (n === 0) return { z: [], means, stds };
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (const row of rows) sum += row[j]!;
    const mean = sum / n;
    let squares = 0;
    for (const row of rows) squares += (row[j]! - mean) ** 2;
    means[j] = mean;
    stds[j] = Math.sqrt(squares / n);
  }
  const z = rows.map((row) => row.map((x, j) => (stds[j]! > 0 ? (x - means[j]!) / stds[j]! : 0)));
  return { z, means, stds };
}
