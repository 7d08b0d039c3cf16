import type { RandomSource } from '../../monitoring';

export { seededRandom } from '../../monitoring';
export type { RandomSource } from '../../monitoring';

/** Roughly normal in about [-1.5, 1.5] with standard deviation 0.5; cheap and bounded. */
export function bellCurve(random: RandomSource): number {
  return random() + random() + random() - 1.5;
}
