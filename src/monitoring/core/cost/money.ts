/**
 * Money is held as whole micro-units (millionths of the currency unit), so sums of per-call
 * prices are exact integers: a million calls at 0.0004 make exactly 400, not 399.99999999.
 */
export const MICROS_PER_UNIT = 1_000_000;

/** Prices up to a billion units, with at most six decimals: still exact as integer micro-units. */
const DECIMAL = /^(\d{1,9})(?:\.(\d{1,6}))?$/;

/**
 * Reads a price written as a decimal string ("0.0004") or a plain number (0.0004) into micro-units.
 * Null when it is not a non-negative decimal with at most six decimals (so 1e-7, -1, "abc" and NaN are refused).
 */
export function parseMoney(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, whole, fraction = ''] = match;
  return Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(6, '0'));
}

/** Micro-units as a decimal string with at least two decimals and no trailing zeros past them: 52000 -> "0.052". */
export function formatMoney(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT).padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${whole}.${fraction}`;
}
