/**
 * Money in integer units at scale 4 (Haravan's decimal type has 4 decimals), so sums are exact.
 */
export type Units = bigint;

const SCALE = 10_000n;

export function unitsFromDecimal(text: string): Units {
  const match = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal with at most 4 places: ${text}`);
  const [, sign, whole, frac = ''] = match;
  const units = BigInt(whole ?? '0') * SCALE + BigInt(frac.padEnd(4, '0'));
  return sign === '-' ? -units : units;
}

/** Accepts a JSON number as Haravan sends it (e.g. 13200000 or 1250.5). */
export function unitsFromNumber(value: number): Units {
  if (!Number.isFinite(value)) throw new Error(`not a finite amount: ${value}`);
  return unitsFromDecimal(value.toFixed(4));
}

export function vnd(amount: number): Units {
  return BigInt(amount) * SCALE;
}

/** Plain decimal string without trailing zeros: 13200000, 1250.5, -3.25. */
export function formatUnits(units: Units): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = (abs / SCALE).toString();
  const frac = (abs % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Always 4 decimals, the way Haravan's docs print money: 13200000.0000. */
export function formatUnitsFixed4(units: Units): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? '-' : ''}${abs / SCALE}.${(abs % SCALE).toString().padStart(4, '0')}`;
}

export function sumUnits(values: readonly Units[]): Units {
  return values.reduce((acc, v) => acc + v, 0n);
}
