import { describe, expect, it } from 'vitest';
import { foldedText, searchableText } from './searchable-text';

describe('searchable text', () => {
  it('is one Unicode form, single-spaced and lower case, however the name was typed', () => {
    const typed = ['Nguyễn Văn An', '  NGUYỄN   Văn\tAn ', 'Nguyễn Văn An'.normalize('NFD')];

    expect(new Set(typed.map(searchableText))).toEqual(new Set(['nguyễn văn an']));
  });

  it('folded, has no diacritics, so a name typed without them matches', () => {
    expect(foldedText('  Đặng  Thị Ngọc Ánh ')).toBe('dang thi ngoc anh');
    expect(foldedText('Nguyễn Văn An'.normalize('NFD'))).toBe('nguyen van an');
  });
});
