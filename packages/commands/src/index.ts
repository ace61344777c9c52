export * from './command-store';
export * from './facebook-note';
export * from './push-command';
