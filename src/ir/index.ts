export * from './types.js';
export { LIMITS, loadNet, validateNetDocument, type LoadedNet } from './validate.js';
export { NET2_FORMAT, NET2_SCHEMA_PATH, NET_FORMAT, NET_SCHEMA_PATH } from './schema.js';
export { columnRanges, rangeUnion, signedBitsFor, type Range } from './ranges.js';
export { formatNetJson, netToDocument } from './serialize.js';
