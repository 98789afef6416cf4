import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Safety nets only, generous on purpose: other test runs may share the two cores. No test
    // asserts elapsed time; speed is measured by `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn many processes; two cores.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
