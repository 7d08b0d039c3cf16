import { HISTOGRAM_BINS } from '../../core/log-histogram';

/**
 * The non-zero cells of the library's log histogram as [bin, count] pairs, sorted by bin. A
 * minute of one provider rarely touches more than a few dozen of the 758 bins, so this is the
 * compact form that is stored and merged; it turns back into counts only to read percentiles.
 */
export type LatencyBins = Array<[bin: number, count: number]>;

/** Adds two sparse histograms; neither input is changed. */
export function mergeBins(a: LatencyBins, b: LatencyBins): LatencyBins {
  const merged: LatencyBins = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i][0] < b[j][0])) merged.push([a[i][0], a[i++][1]]);
    else if (i >= a.length || b[j][0] < a[i][0]) merged.push([b[j][0], b[j++][1]]);
    else merged.push([a[i][0], a[i++][1] + b[j++][1]]);
  }
  return merged;
}

/** Adds any number of sparse histograms through one dense array: cheaper than pairwise merges for many. */
export function sumBins(list: Iterable<LatencyBins>): LatencyBins {
  const dense = new Float64Array(HISTOGRAM_BINS);
  for (const bins of list) for (const [bin, count] of bins) dense[bin] += count;
  const summed: LatencyBins = [];
  for (let bin = 0; bin < HISTOGRAM_BINS; bin++) if (dense[bin] > 0) summed.push([bin, dense[bin]]);
  return summed;
}

export function encodeBins(bins: LatencyBins): string {
  return JSON.stringify(bins);
}

/**
 * Reads what encodeBins wrote. Anything else (a hand-edited or truncated row) reads as empty
 * rather than failing a whole query: counts stay right, only that row's percentiles are lost.
 */
export function decodeBins(text: string | null | undefined): LatencyBins {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const bins: LatencyBins = [];
  for (const pair of parsed) {
    if (!Array.isArray(pair) || pair.length !== 2) return [];
    const [bin, count] = pair as unknown[];
    if (!Number.isInteger(bin) || (bin as number) < 0 || (bin as number) >= HISTOGRAM_BINS) return [];
    if (typeof count !== 'number' || !(count > 0)) return [];
    bins.push([bin as number, count]);
  }
  return bins.sort((x, y) => x[0] - y[0]);
}

/** Dense counts, the form quantileOf reads. */
export function countsFromBins(bins: LatencyBins): Uint32Array {
  const counts = new Uint32Array(HISTOGRAM_BINS);
  for (const [bin, count] of bins) counts[bin] += count;
  return counts;
}
