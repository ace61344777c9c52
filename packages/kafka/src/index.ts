export * from './kafka-client';
export * from './ensure-topics';
export * from './event-codec';
