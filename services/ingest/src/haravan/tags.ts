/** Haravan tags are one comma-separated string (or null); arrays are accepted for robustness. */
export function splitTags(value: unknown): string[] {
  const parts = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const tags = parts.filter((tag): tag is string => typeof tag === 'string').map((tag) => tag.trim());
  return [...new Set(tags.filter((tag) => tag !== ''))];
}
