export * from './plan.js';
export * from './summary.js';
