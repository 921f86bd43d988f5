// The Thumb-2 hard-float builds where Thumb state is the point
// (harness/thumb-differential.ts, THUMB_FAST_PROGRAMS) print and exit as
// their A32 builds do under qemu-arm (the committed references), and
// qemu-arm agrees where installed; test/acceptance/differential-thumb.test.ts
// runs every program that has a Thumb build. Fails on any output or status
// that differs from the A32 reference.

import t from 'tap';
import { checkThumbBuilds, THUMB_FAST_PROGRAMS } from '../harness/thumb-differential.js';

checkThumbBuilds(t, THUMB_FAST_PROGRAMS);
