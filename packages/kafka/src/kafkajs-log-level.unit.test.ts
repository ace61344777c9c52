import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { pinoLevelOf } from './kafkajs-log-level';

describe('kafkajs log levels', () => {
  it('keeps real errors as errors', () => {
    expect(
      pinoLevelOf(logLevel.ERROR, { message: 'Connection error: connect ECONNREFUSED 127.0.0.1:19092' }),
    ).toBe('error');
  });

  it('demotes retried transaction races and topic-creation races to debug', () => {
    const race =
      'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
    expect(
      pinoLevelOf(logLevel.ERROR, { message: 'Response AddOffsetsToTxn(key: 25, version: 1)', error: race }),
    ).toBe('debug');
    expect(pinoLevelOf(logLevel.ERROR, { message: `Failed to send messages: ${race}` })).toBe('debug');
    expect(
      pinoLevelOf(logLevel.ERROR, {
        message: 'Response CreateTopics(key: 19, version: 3)',
        error: 'Topic creation errors',
      }),
    ).toBe('debug');
  });

  it('demotes one answer about a topic or coordinator not ready yet, not a call that failed for it', () => {
    for (const error of [
      'This server does not host this topic-partition',
      'This server is not the leader for that topic-partition',
      "The coordinator is loading and hence can't process requests for this group",
      'The group coordinator is not available',
    ])
      expect(pinoLevelOf(logLevel.ERROR, { message: 'Response Metadata(key: 3, version: 6)', error })).toBe(
        'debug',
      );
    expect(
      pinoLevelOf(logLevel.ERROR, {
        message: 'Failed to send messages: This server does not host this topic-partition',
      }),
    ).toBe('error');
  });

  it("demotes the warning about the idempotent producers' bounded retries, chosen on purpose", () => {
    expect(
      pinoLevelOf(logLevel.WARN, {
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      }),
    ).toBe('debug');
  });

  it('maps the other levels one to one', () => {
    expect(pinoLevelOf(logLevel.WARN, { message: 'x' })).toBe('warn');
    expect(pinoLevelOf(logLevel.INFO, { message: 'x' })).toBe('info');
  });
});
