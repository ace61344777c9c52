export * from './projector';
export * from './read-model-writer';
export * from './revenue-policy';
export * from './order-doc';
