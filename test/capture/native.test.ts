import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { checkBinding, loadNative, NATIVE_ERROR_CODES } from '../../src/capture/native.js';

const built = existsSync(new URL('../../native/build/Release/bridgescope_pcap.node', import.meta.url));

it.runIf(built || process.env.BRIDGESCOPE_REQUIRE_LIVE === '1')('the built addon exports the layout and codes this code reads with', () => {
  const binding = loadNative();
  expect(checkBinding(binding)).toBeUndefined();
  expect([...binding.errorCodes].sort()).toEqual([...NATIVE_ERROR_CODES].sort());
});

it('names the first field or code an addon disagrees on', () => {
  const good = { layout: { ...treeLayout() }, errorCodes: [...NATIVE_ERROR_CODES] };
  expect(checkBinding(good)).toBeUndefined();
  expect(checkBinding({ ...good, layout: { ...good.layout, epbHeaderBytes: 32 } })).toBe('layout.epbHeaderBytes is 32, expected 28');
  expect(checkBinding({ ...good, layout: { ...good.layout, tsNsec: 3 } })).toBe('layout.tsNsec is 3, expected 4');
  expect(checkBinding({ ...good, errorCodes: [...NATIVE_ERROR_CODES, 'PCAP_NEW'] })).toBe('unknown error code PCAP_NEW');
  expect(checkBinding({ ...good, errorCodes: NATIVE_ERROR_CODES.filter((c) => c !== 'PCAP_ERROR') })).toBe('error code PCAP_ERROR missing');
  expect(checkBinding({ errorCodes: good.errorCodes } as never)).toBe('layout.headerWords is undefined, expected 5');
});

/** The layout as an addon built from this tree exports it (native/src/layout.h). */
function treeLayout() {
  return { headerWords: 5, offset: 0, capLen: 1, origLen: 2, tsSec: 3, tsNsec: 4, epbType: 6, epbHeaderBytes: 28, epbTrailerBytes: 4, epbInterfaceIdAt: 8, slab: 1 };
}

it.runIf(built || process.env.BRIDGESCOPE_REQUIRE_LIVE === '1')('the addon refuses an option of the wrong type, naming it, instead of using its default', () => {
  const binding = loadNative();
  // The options are checked before libpcap is asked to open anything, so no interface is touched.
  const base = { snaplen: 96, bufferSize: 1 << 20, immediate: true, promisc: false, direction: 'inout', filter: '' };
  const cases: [Record<string, unknown>, string][] = [
    [{ snaplen: '96' }, 'open: option snaplen must be a number'],
    [{ immediate: 1 }, 'open: option immediate must be a boolean'],
    [{ filter: null }, 'open: option filter must be a string'],
    [{ timeoutMs: true }, 'open: option timeoutMs must be a number'],
  ];
  for (const [bad, message] of cases) {
    const handle = new binding.PcapHandle();
    expect(() => handle.open('bs-no-such-if', { ...base, ...bad } as never)).toThrow(expect.objectContaining({ message, code: 'ERR_INVALID_ARG' }));
  }
});
