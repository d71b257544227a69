import { it } from 'vitest';
import { twoHostLabUp } from '/work/wt/multihost/test/lab/two-host-lab.js';
it('up', async () => { console.log(JSON.stringify(await twoHostLabUp())); }, 240_000);
