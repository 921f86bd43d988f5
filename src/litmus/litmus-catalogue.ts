// The project's litmus catalogue (torture-tests/litmus, docs/litmus.md).

import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../host/repository-root.js';

export const LITMUS_DIR = join(REPOSITORY_ROOT, 'torture-tests', 'litmus');
