// Every guest folder's committed ELFs are byte-exact rebuilds of their
// sources (harness/guest-rebuild.ts; npm test checks one folder per kind of
// build). Needs the ARM cross compilers (.ci/run installs them).

import t from 'tap';
import { checkGuestRebuilds } from '../../harness/guest-rebuild.js';

checkGuestRebuilds(t);
