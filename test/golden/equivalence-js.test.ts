// The fast golden model's JS kernels (used when the WebAssembly file is not
// built) against the reference: the suite of equivalence.test.ts.
process.env.RRAM_GEN_NO_WASM = '1';
await import('./equivalence.test.js');
