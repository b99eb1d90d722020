#!/usr/bin/env node
// The CLI is TypeScript run by Node's type stripping (Node ≥ 22.18).
/* global process, console */
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`fer-studio needs Node 22.18 or newer (this is ${process.version}).`);
  process.exit(1);
}
await import('./main.ts');
