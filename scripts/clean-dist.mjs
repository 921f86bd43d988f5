// Empties dist/ before a build, so that files moved or deleted in src/ leave no
// stale compiled copies behind (tap would otherwise still run moved tests twice).
import { rmSync } from 'node:fs';
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
