import { describe, expect, it } from 'vitest';
import { classifyTopic, isUninstallTopic } from './topic-catalog';

describe('classifyTopic', () => {
  it.each([
    ['orders/create', 'order', false],
    ['orders/updated', 'order', false],
    ['orders/paid', 'order', false],
    ['orders/cancelled', 'order', false],
    ['orders/fulfilled', 'order', false],
    ['orders/delete', 'order', true],
    ['customers/create', 'customer', false],
    ['customers/update', 'customer', false],
    ['customers/enable', 'customer', false],
    ['customers/disable', 'customer', false],
    ['customers/delete', 'customer', true],
    ['products/create', 'product', false],
    ['products/update', 'product', false],
    ['products/deleted', 'product', true],
    ['products/delete', 'product', true],
    [' Orders/Updated ', 'order', false],
  ])(
    'given topic %s, when classified, then it is a %s change (deletion: %s)',
    (topic, resource, deletion) => {
      expect(classifyTopic(topic)).toEqual({ resource, deletion });
    },
  );

  it.each(['app/uninstalled', 'refunds/create', 'shop/update', '', 'toString', '__proto__'])(
    'given unknown topic %j, when classified, then it is null',
    (topic) => {
      expect(classifyTopic(topic)).toBeNull();
    },
  );
});

describe('isUninstallTopic', () => {
  it('reads the header as classifyTopic does: trimmed, in any case', () => {
    expect(isUninstallTopic('app/uninstalled')).toBe(true);
    expect(isUninstallTopic(' App/Uninstalled ')).toBe(true);
    expect(isUninstallTopic('app/uninstall')).toBe(false);
    expect(classifyTopic('app/uninstalled')).toBeNull();
  });
});
