export * from './metrics';
export * from './ops-router';
export * from './error-handler';
export * from './admin-auth';
export * from './api-keys';
export * from './openapi-parts';
export * from './error-view';
export * from './cached-lookup';
