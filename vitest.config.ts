import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/build-cli.ts"],
    // Generous: tests assert behaviour, never speed, and must pass on a machine several times slower.
    testTimeout: 300_000,
    hookTimeout: 300_000
  }
})
