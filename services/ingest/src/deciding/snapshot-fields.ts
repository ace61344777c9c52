import { shortHash } from './hashing';

/**
 * One entry per top-level snapshot field except `updatedAt` (the version, which changes every
 * time). Fields listed as readable are stored as their value, because a later decision needs to
 * know what it was (e.g. the previous payment status), not only that it differed.
 */
export function snapshotFields<T extends object>(
  snapshot: T,
  readable: readonly (keyof T & string)[] = [],
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(snapshot)) {
    if (name === 'updatedAt') continue;
    fields[name] = (readable as readonly string[]).includes(name) ? String(value) : shortHash(value);
  }
  return fields;
}

/**
 * Names whose entry differs, sorted. A field the state lacks (an older state format) counts as
 * changed; one no longer tracked does not.
 */
export function changedFields(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after)
    .filter((name) => before[name] !== after[name])
    .sort();
}
