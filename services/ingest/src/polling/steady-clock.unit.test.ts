import { describe, expect, it } from 'vitest';
import { steadyClock } from './steady-clock';

describe('steadyClock', () => {
  it('follows the wall clock while it goes forward, jumps included', () => {
    let wall = 1_000;
    const now = steadyClock(() => wall);
    expect(now()).toBe(1_000);
    wall = 1_500;
    expect(now()).toBe(1_500);
    wall = 601_500;
    expect(now()).toBe(601_500);
  });

  it('stands still where a wall clock set back was, and runs on from there at its pace', () => {
    let wall = 1_000_000;
    const now = steadyClock(() => wall);
    now();
    wall -= 600_000;
    expect(now()).toBe(1_000_000);
    wall += 250;
    expect(now()).toBe(1_000_250);
  });
});
