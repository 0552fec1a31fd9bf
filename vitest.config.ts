import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/build-cli.ts"],
    // Test files share a worker's module graph: loading effect and the engine once per worker
    // instead of once per file halves the suite's time. Nothing in src/ keeps module state; a
    // test that replaces modules (vi.mock) loads the engine afresh with vi.resetModules.
    isolate: false,
    // Generous: tests assert behaviour, never speed, and must pass on a machine several times slower.
    testTimeout: 300_000,
    hookTimeout: 300_000
  }
})
