import { uniqueName } from './unique-name.js';

/**
 * Deletes, for good, the registry subjects whose names start with one of `prefixes` (a test's
 * topic prefix: the codec names a subject after its topic). Without it they pile up in a
 * long-lived registry, one per event type for every test run. Never throws; a failure is
 * reported with console.warn.
 */
export async function deleteRegistrySubjects(
  registryUrl: string,
  prefixes: readonly string[],
): Promise<void> {
  if (prefixes.length === 0) return;
  try {
    const listed = await fetch(`${registryUrl}/subjects`);
    if (!listed.ok) throw new Error(`listing subjects: ${listed.status}`);
    const subjects = ((await listed.json()) as string[]).filter((s) => prefixes.some((p) => s.startsWith(p)));
    for (const subject of subjects) {
      const url = `${registryUrl}/subjects/${encodeURIComponent(subject)}`;
      // A registry deletes softly first; only a soft-deleted subject can be deleted permanently.
      for (const query of ['', '?permanent=true']) {
        const res = await fetch(url + query, { method: 'DELETE' });
        if (!res.ok && res.status !== 404) throw new Error(`deleting ${subject}${query}: ${res.status}`);
      }
    }
  } catch (err) {
    console.warn(`deleteRegistrySubjects: could not delete the subjects of ${prefixes.join(', ')}:`, err);
  }
}

export interface OwnedSubjects {
  /** A unique topic prefix (ending in '.'), whose subjects `cleanup` deletes. */
  topicPrefix(name: string): string;
  /** A unique subject name, which `cleanup` deletes. */
  subject(name: string): string;
  cleanup(registryUrl: string): Promise<void>;
}

/** Names for a test file's registry subjects, so it can delete them when it is done. */
export function ownedSubjects(): OwnedSubjects {
  const prefixes: string[] = [];
  const own = (name: string) => {
    prefixes.push(name);
    return name;
  };
  return {
    topicPrefix: (name) => own(`${uniqueName(name)}.`),
    subject: (name) => own(uniqueName(name)),
    cleanup: (registryUrl) => deleteRegistrySubjects(registryUrl, prefixes.splice(0)),
  };
}
