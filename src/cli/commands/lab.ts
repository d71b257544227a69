import type { Command } from 'commander';
import { labDown, labUp, SEED_LAB, LAB_LABEL, LAB_LABEL_VALUE } from '../../docker/lab.js';

/** `bridgescope lab up|down`: the seed's experiment on this host, labelled so down removes only it. */
export function registerLab(program: Command): void {
  const lab = program
    .command('lab')
    .description(`build or remove the seed lab (network ${SEED_LAB.network.name}, web-bridge-1/2, web-default)`);

  lab
    .command('up')
    .description(`create the lab (objects labelled ${LAB_LABEL}=${LAB_LABEL_VALUE}); nothing is pulled`)
    .option('--image <image>', 'image present locally (lab/build-image.sh builds bridgescope-busybox)', 'busybox')
    .action(async (opts: { image: string }) => {
      const state = await labUp({ image: opts.image });
      process.stdout.write(`network ${state.network.name} ${SEED_LAB.network.subnet} gateway ${SEED_LAB.network.gateway}\n`);
      for (const c of state.containers) {
        process.stdout.write(`container ${c.name}${c.ipv4 ? ` ${c.ipv4}` : ''} ${c.id.slice(0, 12)}\n`);
      }
    });

  lab
    .command('down')
    .description(`remove only what lab up made (label ${LAB_LABEL}=${LAB_LABEL_VALUE})`)
    .action(async () => {
      const removed = await labDown();
      process.stdout.write(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n');
    });
}
