import { expect, it } from 'vitest';
import { noNames } from '../../src/model/endpoint.js';
import type { FrameBatch } from '../../src/source/frame-batch.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { pingExchange } from './frames.js';

/**
 * The header's rate against a synthetic feed and clock: a 90,000 frames/s flood whose frames
 * reach the store late and in bursts of uneven size, as they do when the UI falls behind.
 */
const RATE = 90_000;
const T0 = 1_700_000_000;
const request = pingExchange(1)[2];

/** Frames [from, to) of the flood as one batch: frame k captured at T0 + k / RATE seconds. */
function flood(from: number, to: number): FrameBatch {
  const n = to - from;
  const data = new Uint8Array(n * request.length);
  const b: FrameBatch = {
    count: n, data, offset: new Uint32Array(n), capLen: new Uint32Array(n), origLen: new Uint32Array(n),
    tsSec: new Float64Array(n), tsNsec: new Uint32Array(n), ifIndex: new Uint32Array(n),
    interfaces: [{ id: 0, linkType: 1, snapLen: 262144, name: 'br-test' }],
  };
  for (let i = 0; i < n; i++) {
    const ns = Math.round(((from + i) * 1e9) / RATE);
    data.set(request, i * request.length);
    b.offset[i] = i * request.length;
    b.capLen[i] = b.origLen[i] = request.length;
    b.tsSec[i] = T0 + Math.floor(ns / 1e9);
    b.tsNsec[i] = ns % 1e9;
  }
  return b;
}

it('reads the flood’s rate within 10% every second, though frames arrive late and in bursts', () => {
  let wall = 0;
  const store = new TuiStore({ resolver: noNames, spill: false, now: () => wall });
  const readings: { atFrames: number; rate: number }[] = [];
  let sent = 0;
  // Bursts of 0.1 to 0.7 s of traffic, handed over 0.3 to 0.9 s apart, 1.5 s behind the wire.
  const bursts = [0.25, 0.7, 0.1, 0.5, 0.3, 0.7, 0.2, 0.6, 0.4, 0.1, 0.7, 0.35];
  let nextReading = 1000;
  for (const [k, seconds] of bursts.entries()) {
    const to = sent + Math.round(seconds * RATE);
    wall += 300 + (k % 3) * 300;
    store.ingest(flood(sent, to));
    sent = to;
    if (k === 0) {
      store.flush();
      readings.push({ atFrames: sent, rate: store.getSnapshot().framesPerSecond });
    }
    while (wall >= nextReading) {
      store.flush(); // what the once-a-second clock does
      readings.push({ atFrames: sent, rate: store.getSnapshot().framesPerSecond });
      nextReading += 1000;
    }
  }
  expect(readings[0].atFrames).toBe(22_500); // the "0/s at 22k frames" moment
  expect(readings.length).toBeGreaterThanOrEqual(6);
  for (const r of readings) expect(Math.abs(r.rate - RATE) / RATE, `${Math.round(r.rate)}/s at ${r.atFrames} frames`).toBeLessThan(0.1);
  store.dispose();
});

it('falls to 0/s within two seconds once nothing arrives, and stays put while frames keep coming', () => {
  let wall = 0;
  const store = new TuiStore({ resolver: noNames, spill: false, now: () => wall });
  store.ingest(flood(0, RATE * 2));
  wall = 500;
  store.flush();
  expect(Math.abs(store.getSnapshot().framesPerSecond - RATE) / RATE).toBeLessThan(0.02);
  wall = 900; // silent for 0.9 s: a late burst may still be on its way
  store.flush();
  expect(Math.abs(store.getSnapshot().framesPerSecond - RATE) / RATE).toBeLessThan(0.02);
  wall = 1500;
  store.flush();
  expect(store.getSnapshot().framesPerSecond).toBeLessThan(RATE * 0.6);
  wall = 2100;
  store.flush();
  expect(store.getSnapshot().framesPerSecond).toBe(0);
  store.dispose();
});
