import { bellCurve, type RandomSource } from './random';

export interface WalkState {
  price: number;
  open: number;
  high: number;
  low: number;
  previousClose: number;
}

/** Per-request relative step; small enough that prices drift, not jump. */
const STEP = 0.002;

/** One random walk per instrument, started lazily from its base price. */
export class PriceWalk {
  private readonly states = new Map<string, WalkState>();

  constructor(private readonly random: RandomSource) {}

  next(key: string, basePrice: number): WalkState {
    let s = this.states.get(key);
    if (!s) {
      const previousClose = basePrice;
      const open = previousClose * (1 + bellCurve(this.random) * 0.01);
      s = { price: open, open, high: open, low: open, previousClose };
      this.states.set(key, s);
    }
    s.price = s.price * (1 + bellCurve(this.random) * STEP * 2);
    s.high = Math.max(s.high, s.price);
    s.low = Math.min(s.low, s.price);
    return { ...s };
  }
}

/** Rounds like the providers do: cents for normal prices, more digits for sub-dollar coins. */
export function roundPrice(value: number): number {
  const digits = Math.abs(value) >= 1 ? 2 : 6;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
