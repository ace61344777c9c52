export * from './app';
export * from './tenants/secret-box';
export * from './tenants/tenant-store';
export * from './webhook/raw-log';
export * from './webhook/verify-signature';
export * from './worker/decider-worker';
export * from './worker/state-store';
