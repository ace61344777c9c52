import { describe, expect, it } from 'vitest';
import { sampleCustomer } from '@cdp/contracts/samples';
import { profileOf } from './contact-documents';

describe("a profile's phone (R8)", () => {
  it("takes the default address's phone for a placeholder in an event decided before ingest judged them", () => {
    expect(profileOf({ ...sampleCustomer, phone: '+84000000000' }).phone).toBe('+84912345678');
    const noDefault = sampleCustomer.addresses.map((a) => ({ ...a, isDefault: false }));
    expect(profileOf({ ...sampleCustomer, phone: '+84000000000', addresses: noDefault }).phone).toBeNull();
  });

  it("keeps the event's phone as it is, a sought-after number that looks like a placeholder too", () => {
    expect(profileOf({ ...sampleCustomer, phone: '+84912345678' }).phone).toBe('+84912345678');
    expect(profileOf({ ...sampleCustomer, phone: '+84999999999' }).phone).toBe('+84999999999');
  });
});
