export * from './kafka-client';
export * from './ensure-topics';
export * from './event-codec';
export * from './wire-format';
export * from './renewing-producer';
