import { describe, expect, it } from 'vitest';
import { resourceIdOf } from './resource-id';

describe('resourceIdOf', () => {
  it.each([
    [{ id: 1138637099 }, '1138637099'],
    [{ id: '200001220496' }, '200001220496'],
    [{ order: { id: 42 } }, '42'],
    [{ id: 1.5 }, null],
    [{ id: 'abc' }, null],
    [{}, null],
    [null, null],
    [[{ id: 1 }], null],
  ])('given %j, when the id is read, then it is %j', (payload, id) => {
    expect(resourceIdOf(payload)).toBe(id);
  });
});
