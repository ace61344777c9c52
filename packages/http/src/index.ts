export * from './metrics';
export * from './ops-router';
export * from './error-handler';
