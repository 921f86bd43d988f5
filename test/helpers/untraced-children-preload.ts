// tap's node-arg preload (package.json): the children this test process
// starts run without @tapjs/processinfo (untraced-children.ts says why).

import { installUntracedChildren } from './untraced-children.js';

installUntracedChildren();
