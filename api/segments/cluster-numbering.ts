// The numbers of the clusters of a run: 0 = the largest, so that a run and
// the next one on similar data number them alike. Kept apart from
// kmeans-model.ts, which loads ml-kmeans, so the API does not load it.

/**
 * Cluster 0 = the largest (sizes[c]: the users nearest centre c); equal
 * sizes are ordered by their centre, coordinate by coordinate, ascending.
 * Returns the old → new mapping.
 */
export function orderClusters(centroids: readonly (readonly number[])[], sizes: readonly number[]): number[] {
  const order = centroids.map((_, c) => c);
  order.sort((a, b) => {
    if (sizes[a] !== sizes[b]) return sizes[b]! - sizes[a]!;
    const ca = centroids[a]!;
    const cb = centroids[b]!;
    for (let d = 0; d < ca.length; d++) if (ca[d] !== cb[d]) return ca[d]! - cb[d]!;
    return a - b;
  });
  const mapping = new Array<number>(centroids.length);
  order.forEach((old, position) => (mapping[old] = position));
  return mapping;
}
