export * from './projector';
export * from './read-model-writer';
export * from './progress-writer';
export * from './generation-projector';
export * from './rebuild';
export * from './rebuild-customer';
