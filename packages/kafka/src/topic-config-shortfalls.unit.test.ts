import { describe, expect, it } from 'vitest';
import { topicNames } from '@cdp/contracts';
import { MAX_RECORD_BYTES, pipelineTopics } from './ensure-topics';
import { checkedConfigNames, topicConfigShortfalls } from './topic-config-shortfalls';

const names = topicNames('t.');
const specs = pipelineTopics(names, 3, 3);

/** Every topic as its spec asks, with `changes` on top. */
const configs = (changes: Record<string, Record<string, string>> = {}) =>
  new Map(
    specs.map((spec) => [
      spec.topic,
      new Map(
        Object.entries({
          ...Object.fromEntries((spec.configEntries ?? []).map((e) => [e.name, e.value])),
          ...changes[spec.topic],
        }),
      ),
    ]),
  );

describe("an existing topic's configs", () => {
  it('pass as the specs ask, and with larger records allowed', () => {
    expect(topicConfigShortfalls(specs, configs())).toEqual([]);
    const larger = { [names.raw]: { 'max.message.bytes': String(2 * MAX_RECORD_BYTES) } };
    expect(topicConfigShortfalls(specs, configs(larger))).toEqual([]);
  });

  it('fall short when events are not kept for ever, or compacted, naming the topic and the value', () => {
    const shortfalls = topicConfigShortfalls(
      specs,
      configs({
        [names.orders]: { 'retention.ms': '86400000' },
        [names.customers]: { 'retention.bytes': '1073741824', 'cleanup.policy': 'compact' },
      }),
    );
    expect(shortfalls).toEqual([
      `${names.orders} has retention.ms=86400000, not -1`,
      `${names.customers} has cleanup.policy=compact, not delete`,
      `${names.customers} has retention.bytes=1073741824, not -1`,
    ]);
  });

  it('fall short when a state topic deletes as well as compacts, or a topic takes smaller records than ingest writes', () => {
    const shortfalls = topicConfigShortfalls(
      specs,
      configs({
        [names.ingestState]: { 'cleanup.policy': 'compact,delete' },
        [names.raw]: { 'max.message.bytes': '1048588' },
      }),
    );
    expect(shortfalls).toEqual([
      `${names.raw} has max.message.bytes=1048588, not ${MAX_RECORD_BYTES}`,
      `${names.ingestState} has cleanup.policy=compact,delete, not compact`,
    ]);
  });

  it('are read for every config asked but the replication ones, checked apart', () => {
    expect(checkedConfigNames(specs).sort()).toEqual(
      ['cleanup.policy', 'max.message.bytes', 'retention.bytes', 'retention.ms'].sort(),
    );
  });
});
