import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/annotate/timeline.js';

describe('Timeline', () => {
  it('answers as of a time: newest interval, older ones, closed and reopened keys', () => {
    const t = new Timeline<string>();
    const mac = 0x0242ac1e000a;
    t.open(mac, 'web-1', -Infinity);
    t.open(mac, 'web-1b', 100);
    t.close(mac, 'web-1b', 200);
    t.open(mac, 'web-1c', 300);
    expect([t.get(mac, 50), t.get(mac, 100), t.get(mac, 250), t.get(mac, 300), t.get(mac)]).toEqual(['web-1', 'web-1b', undefined, 'web-1c', 'web-1c']);
    t.close(mac, 'someone else', 400);
    expect(t.get(mac, 500)).toBe('web-1c');
    t.close(mac, 'web-1c', 400);
    expect([t.get(mac), t.get(mac, 399), t.get(mac, 400)]).toEqual([undefined, 'web-1c', undefined]);
    expect(t.get(mac + 1, 0)).toBeUndefined();
  });

  it('keeps every key through growth, 48-bit and 32-bit keys alike', () => {
    const t = new Timeline<number>();
    const keys: number[] = [];
    for (let i = 0; i < 5000; i++) keys.push(i % 2 ? 0xac1e0000 + i : 0x024200000000 + i * 65537);
    keys.forEach((k, i) => t.open(k, i, i));
    keys.forEach((k, i) => {
      expect(t.get(k, i)).toBe(i);
      expect(t.get(k, i - 1)).toBeUndefined();
      expect(t.get(k)).toBe(i);
    });
  });
});
