import { describe, expect, it } from 'vitest';
import { searchableText } from './searchable-text';

describe('searchable text', () => {
  it('is one Unicode form, single-spaced and lower case, however the name was typed', () => {
    const typed = ['Nguyễn Văn An', '  NGUYỄN   Văn\tAn ', 'Nguyễn Văn An'.normalize('NFD')];

    expect(new Set(typed.map(searchableText))).toEqual(new Set(['nguyễn văn an']));
  });
});
