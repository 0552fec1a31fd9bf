#!/usr/bin/env node
// Registers tsx's loader and runs the TypeScript CLI in this same process, so the package
// needs no build step and signals (Ctrl-C, kill) reach the run itself.
import { register } from "tsx/esm/api"

register()
await import(new URL("../src/cli/main.ts", import.meta.url).href)
