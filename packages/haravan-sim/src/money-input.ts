import { unitsFromNumber, type Units } from './money.js';

/** A JSON-style number of VND (may carry decimals) or exact units at scale 4. */
export type MoneyInput = number | Units;

export function toUnits(value: MoneyInput): Units {
  return typeof value === 'bigint' ? value : unitsFromNumber(value);
}
