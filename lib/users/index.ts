export * from './schemas';
export * from './manage';
export * from './account';
