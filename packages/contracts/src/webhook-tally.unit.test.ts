import { describe, expect, it } from 'vitest';
import { addWebhookCounts, tallyWebhooks } from './webhook-tally';

describe("a tenant's webhook counts", () => {
  it('add up by outcome, keeping the later receipt time', () => {
    expect(
      addWebhookCounts(
        {
          outcomes: { accepted: 2, ERR_WEBHOOK_BAD_SIGNATURE: 1 },
          lastReceivedAt: '2026-12-01T10:00:00.000Z',
        },
        { outcomes: { accepted: 1 }, lastReceivedAt: '2026-12-01T09:00:00.000Z' },
      ),
    ).toEqual({
      outcomes: { accepted: 3, ERR_WEBHOOK_BAD_SIGNATURE: 1 },
      lastReceivedAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('tally accepted outcomes together and refusals by code, an empty receipt time counting as none', () => {
    expect(
      tallyWebhooks([
        { outcomes: { accepted: 2, accepted_test: 1 }, lastReceivedAt: '' },
        { outcomes: { accepted_unknown_topic: 1, ERR_WEBHOOK_NOT_JSON: 2 }, lastReceivedAt: null },
      ]),
    ).toEqual({ accepted: 4, rejected: { ERR_WEBHOOK_NOT_JSON: 2 }, lastReceivedAt: null });
  });
});
