import { describe, expect, it } from 'vitest';
import { stringifyHaravan, jsonMoney } from './haravan-json.js';
import { formatUnits, unitsFromDecimal, unitsFromNumber } from './money.js';

describe('money', () => {
  it('formats scale-4 units as plain decimals without trailing zeros', () => {
    expect(formatUnits(unitsFromDecimal('13200000.0000'))).toBe('13200000');
    expect(formatUnits(unitsFromNumber(1250.5))).toBe('1250.5');
    expect(formatUnits(unitsFromDecimal('-3.25'))).toBe('-3.25');
  });

  it('writes money into JSON as Haravan does: 4-decimal literals or plain numbers', () => {
    const text = stringifyHaravan({
      a: jsonMoney(unitsFromDecimal('13200000'), 'fixed4'),
      b: jsonMoney(unitsFromDecimal('1250.5'), 'plain'),
    });
    expect(text).toBe('{"a":13200000.0000,"b":1250.5}');
    expect(JSON.parse(text)).toEqual({ a: 13200000, b: 1250.5 });
  });
});
