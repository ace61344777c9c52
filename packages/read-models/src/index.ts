export * from './position';
export * from './collections';
export * from './order-doc';
export * from './customer-doc';
export * from './product-doc';
export * from './indexes';
export * from './revenue-policy';
export * from './projection-progress';
