import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance } from '../src/close-matches.js';

describe('closeMatches', () => {
  const names = ['docker0', 'br-3f2a9c1d0e4b', 'veth1a2b3c4', 'veth9f8e7d6', 'eth0', 'lo'];

  it('suggests names a typo away, closest first', () => {
    expect(closeMatches('docker1', names)).toEqual(['docker0']);
    expect(closeMatches('eth1', names)[0]).toBe('eth0');
  });

  it('suggests completions of a prefix', () => {
    expect(closeMatches('br-3f2', names)).toEqual(['br-3f2a9c1d0e4b']);
  });

  it('suggests nothing for an unrelated name', () => {
    expect(closeMatches('wlan-guest', names)).toEqual([]);
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
