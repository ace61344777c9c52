import { formatUnits, formatUnitsFixed4, type Units } from './money.js';

/**
 * Haravan writes money as JSON numbers, sometimes `13200000.0000`, sometimes `13200000`.
 * JSON.stringify cannot emit `.0000`, so money is carried as a marker string and spliced in raw.
 */
export type MoneyStyle = 'fixed4' | 'plain';

const MARKER = '\u0000num:';
const MARKER_PATTERN = /"\\u0000num:(-?[0-9.]+)"/g;

export type JsonMoney = string | number;

export function jsonMoney(units: Units, style: MoneyStyle): JsonMoney {
  return style === 'fixed4' ? `${MARKER}${formatUnitsFixed4(units)}` : Number(formatUnits(units));
}

export function stringifyHaravan(value: unknown): string {
  return JSON.stringify(value).replace(MARKER_PATTERN, '$1');
}
