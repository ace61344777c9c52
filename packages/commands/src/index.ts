export * from './command-store';
export * from './push-command';
