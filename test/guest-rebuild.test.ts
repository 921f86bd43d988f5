// The committed guest ELFs are byte-exact rebuilds of their sources, in one
// folder per kind of build (harness/guest-rebuild.ts, REBUILD_FAST_FOLDERS);
// test/acceptance/guest-rebuild.test.ts checks every guest folder. Fails
// when a committed ELF differs from a fresh build of its source, or is
// missing. Needs the ARM cross compilers (.ci/run installs them).

import t from 'tap';
import { checkGuestRebuilds, REBUILD_FAST_FOLDERS } from '../harness/guest-rebuild.js';

checkGuestRebuilds(t, REBUILD_FAST_FOLDERS);
