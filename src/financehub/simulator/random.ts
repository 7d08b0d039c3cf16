/** A source of uniform numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

/**
 * Small seedable PRNG (mulberry32): the same seed gives the same sequence, so simulator
 * and traffic tests are reproducible. Not for anything security related.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roughly normal in about [-1.5, 1.5] with standard deviation 0.5; cheap and bounded. */
export function bellCurve(random: RandomSource): number {
  return random() + random() + random() - 1.5;
}
