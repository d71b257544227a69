// Runs the cap engine in a process of its own for live-capture.test.ts: cap 0.2.1 corrupts its
// heap (see DESIGN.md) and was seen here to take its process down at exit about one run in eight,
// which must not take the test runner's worker with it. Prints "ready", captures until a line on
// standard input, then prints one JSON line with what it saw.
import { createInterface } from 'node:readline';

const [dist, ...targets] = process.argv.slice(2);
const { openCapture } = await import(`${dist}/capture/index.js`);
const src = openCapture(targets, { engine: 'cap', filter: 'icmp' });
const frames = [];
const pumping = (async () => {
  for await (const b of src) {
    for (let i = 0; i < b.count; i++) {
      const at = b.offset[i];
      const bytes = b.data.subarray(at, at + b.capLen[i]);
      frames.push({ ifIndex: b.ifIndex[i], tsNs: String(BigInt(b.tsSec[i]) * 1_000_000_000n + BigInt(b.tsNsec[i])), capLen: b.capLen[i], origLen: b.origLen[i], icmpType: bytes[34] });
    }
  }
})();
let addInterface = 'accepted';
try {
  src.addInterface(targets[0]);
} catch (err) {
  addInterface = err.code;
}
console.log('ready');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
await src.close();
await pumping;
const [bridge] = src.stats();
console.log(JSON.stringify({ engine: src.engine, frames, received: bridge.received, droppedByKernel: String(bridge.droppedByKernel), addInterface }));
process.exit(0);
