/**
 * Instruments the simulator knows, with plausible starting prices. The traffic generator
 * draws from the same lists, so demo traffic mostly hits symbols that exist.
 */
export const SIMULATED_STOCKS: Readonly<Record<string, number>> = {
  AAPL: 189.5,
  MSFT: 421.2,
  GOOGL: 171.3,
  AMZN: 185.6,
  NVDA: 121.4,
  META: 502.8,
  TSLA: 248.1,
  IBM: 185.9,
  JPM: 199.7,
  'BRK.B': 412.3,
  V: 279.4,
  NFLX: 648.9,
};

/** Starting prices in USD. */
export const SIMULATED_COINS: Readonly<Record<string, number>> = {
  bitcoin: 67187.33,
  ethereum: 3500.1,
  solana: 151.2,
  cardano: 0.452,
  dogecoin: 0.1532,
  ripple: 0.5218,
  litecoin: 81.4,
};

/** Units of each currency per US dollar (fixed; only the coin prices walk). */
export const SIMULATED_FX: Readonly<Record<string, number>> = {
  usd: 1,
  eur: 0.92,
  gbp: 0.79,
  jpy: 155.4,
  chf: 0.9,
};

/** A table's own entry only: `constructor` or `toString` is not an instrument, whatever Object.prototype says. */
export function lookup(table: Readonly<Record<string, number>>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
