/** Haravan has no field for it (R22): the Facebook link is one line of the customer's note. */
const FACEBOOK_NOTE_PREFIX = 'Facebook: ';

/**
 * The note with its Facebook line set to `url`: an earlier link's line replaced where it stands,
 * or the line added at the end. Every other line is the merchant's and stays as written, blank
 * ones included.
 */
export function noteWithFacebook(note: string | null, url: string | undefined): string | null {
  if (url === undefined) return note;
  const line = `${FACEBOOK_NOTE_PREFIX}${url}`;
  if (note === null || note === '') return line;
  const lines = note.split('\n');
  const at = lines.findIndex((l) => l.startsWith(FACEBOOK_NOTE_PREFIX));
  if (at === -1) return note.endsWith('\n') ? `${note}${line}` : `${note}\n${line}`;
  return lines
    .flatMap((l, i) => (i === at ? [line] : l.startsWith(FACEBOOK_NOTE_PREFIX) ? [] : [l]))
    .join('\n');
}
