import { asciiByte } from '../../present/sanitize.js';

/** A run of text in a hex dump line, highlighted when it belongs to the selected layer. */
export interface HexSegment {
  text: string;
  highlight: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Hex + ASCII lines of `bytes` from line `firstLine`, 16 bytes per line, bytes [hlStart, hlEnd) highlighted in both columns.
 * The ASCII column shows printable ASCII only, so payload bytes can never reach the terminal raw.
 */
export function hexDump(bytes: Uint8Array, hlStart: number, hlEnd: number, firstLine = 0, maxLines = Infinity): HexSegment[][] {
  const lines: HexSegment[][] = [];
  for (let base = firstLine * 16; base < bytes.length && lines.length < maxLines; base += 16) {
    const segs: HexSegment[] = [{ text: base.toString(16).padStart(4, '0') + '  ', highlight: false }];
    const push = (text: string, hl: boolean) => {
      const last = segs[segs.length - 1];
      if (last.highlight === hl) last.text += text;
      else segs.push({ text, highlight: hl });
    };
    for (let i = 0; i < 16; i++) {
      const at = base + i;
      const hl = at >= hlStart && at < hlEnd;
      if (at < bytes.length) push(HEX[bytes[at]], hl);
      else push('  ', false);
      // The gap after a byte is highlighted only inside a run, so a range reads as one block.
      push(i === 7 ? '  ' : ' ', hl && at + 1 < hlEnd && i !== 15 && at + 1 < bytes.length);
    }
    push(' ', false);
    for (let i = 0; i < 16 && base + i < bytes.length; i++) {
      const at = base + i;
      push(asciiByte(bytes[at]), at >= hlStart && at < hlEnd);
    }
    lines.push(segs);
  }
  return lines;
}
