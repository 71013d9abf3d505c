import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Verilator builds and simulations run inside tests; they are slow, not hung.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
