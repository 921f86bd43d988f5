// Every conformance and linux-user program that has a Thumb-2 hard-float
// build, against the A32 references and, where installed, qemu-arm
// (harness/thumb-differential.ts; npm test runs the programs where Thumb
// state is the point).

import t from 'tap';
import { checkThumbBuilds } from '../../harness/thumb-differential.js';

checkThumbBuilds(t);
