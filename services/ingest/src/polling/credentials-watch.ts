/**
 * Whether Haravan refuses the shop's credentials, from its answers: a 401 refuses them, and any
 * answer taken after that (a 401 now and then from a Haravan in trouble) accepts them again.
 * `onChange` is told of each change only, starting from what the tenant had recorded.
 */
export function createCredentialsWatch(refusedAtStart: boolean, onChange: (refused: boolean) => void) {
  let refused = refusedAtStart;
  return {
    refused: () => refused,
    observe(status: number): void {
      const taken = status >= 200 && status < 300;
      if ((status === 401 && !refused) || (taken && refused)) {
        refused = !refused;
        onChange(refused);
      }
    },
  };
}
