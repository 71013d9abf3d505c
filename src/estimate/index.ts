export * from './tech.js';
export * from './model.js';
