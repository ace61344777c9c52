import { describe, expect, it } from 'vitest';
import { foldedText, newStyleEnding, searchableText } from './searchable-text';

describe('searchable text', () => {
  it('is one Unicode form, single-spaced and lower case, however the name was typed', () => {
    const typed = ['Nguyễn Văn An', '  NGUYỄN   Văn\tAn ', 'Nguyễn Văn An'.normalize('NFD')];

    expect(new Set(typed.map(searchableText))).toEqual(new Set(['nguyễn văn an']));
  });

  it('folded, has no diacritics, so a name typed without them matches', () => {
    expect(foldedText('  Đặng  Thị Ngọc Ánh ')).toBe('dang thi ngoc anh');
    expect(foldedText('Nguyễn Văn An'.normalize('NFD'))).toBe('nguyen van an');
  });

  it('places the tones of open oa, oe and uy as the old style does, so either style compares equal', () => {
    expect(searchableText('Nguyễn Thị Thuý')).toBe(searchableText('Nguyễn Thị Thúy'));
    expect(searchableText('Hoà')).toBe('hòa');
    expect(searchableText('khoẻ')).toBe('khỏe');
    expect(searchableText('Thuỵ'.normalize('NFD'))).toBe('thụy');
    // Where both styles agree: before a final consonant, and the u of qu.
    expect(searchableText('Hoàng Huỳnh Quý')).toBe('hoàng huỳnh quý');
  });

  it('drops invisible format characters pasted with a name', () => {
    expect(searchableText('Nguyễn\u200b Văn\u00ad An\u2060')).toBe('nguyễn văn an');
    expect(foldedText('\ufeffNguyễn\u200cVăn')).toBe('nguyenvan');
  });

  it('gives the new-style form of a last word whose tone the styles place apart', () => {
    expect(newStyleEnding('lê hòa')).toBe('lê hoà');
    expect(newStyleEnding('thúy')).toBe('thuý');
    expect(newStyleEnding('hoàng')).toBeNull();
    expect(newStyleEnding('hòa bình')).toBeNull();
  });
});
