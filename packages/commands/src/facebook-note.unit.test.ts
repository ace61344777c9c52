import { describe, expect, it } from 'vitest';
import { noteWithFacebook } from './facebook-note';

describe("the Facebook line of a Haravan customer's note (R22)", () => {
  it('adds the line to a note without one, keeping the note as written', () => {
    expect(noteWithFacebook(null, 'https://fb.com/a')).toBe('Facebook: https://fb.com/a');
    expect(noteWithFacebook('', 'https://fb.com/a')).toBe('Facebook: https://fb.com/a');
    expect(noteWithFacebook('Line 1\n\nLine 3', 'https://fb.com/x')).toBe(
      'Line 1\n\nLine 3\nFacebook: https://fb.com/x',
    );
    expect(noteWithFacebook('VIP\n', 'https://fb.com/x')).toBe('VIP\nFacebook: https://fb.com/x');
  });

  it("replaces an older link's line where it stands, dropping any second one, and keeps blank lines", () => {
    expect(
      noteWithFacebook(
        'VIP\nFacebook: https://fb.com/old\n\nGiao giờ hành chính\nFacebook: https://fb.com/older',
        'https://fb.com/new',
      ),
    ).toBe('VIP\nFacebook: https://fb.com/new\n\nGiao giờ hành chính');
  });

  it('leaves the note alone when no link is pushed', () => {
    expect(noteWithFacebook('VIP\n\n', undefined)).toBe('VIP\n\n');
    expect(noteWithFacebook(null, undefined)).toBeNull();
  });
});
