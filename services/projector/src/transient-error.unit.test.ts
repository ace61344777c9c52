import { describe, expect, it } from 'vitest';
import { MongoNetworkError, MongoServerClosedError, MongoServerError } from 'mongodb';
import { AppError } from '@cdp/contracts';
import { isTransient } from './transient-error';

describe('which failures the projector waits out', () => {
  it('waits out a store it cannot reach, or one restarted under an operation', () => {
    expect(isTransient(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isTransient(new MongoServerClosedError())).toBe(true);
  });

  it('waits out a server error the driver labels as worth another attempt', () => {
    const error = new MongoServerError({ message: 'interrupted', code: 11600, errorLabels: ['ResetPool'] });
    expect(isTransient(error)).toBe(true);
  });

  it('waits out a failure its code marks retriable', () => {
    expect(isTransient(new AppError('ERR_CODEC_UNDECODABLE', 'the registry did not answer', true))).toBe(
      true,
    );
  });

  it('does not wait out what is about the event itself', () => {
    expect(isTransient(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false);
    expect(isTransient(new TypeError('flush bug'))).toBe(false);
    expect(isTransient(new AppError('ERR_CODEC_UNDECODABLE', 'bad', false))).toBe(false);
    expect(isTransient('a string')).toBe(false);
  });
});
