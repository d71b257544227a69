// pcap-parser 0.2.1 ships no types: the part the oracle test and the bench use.
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  const pcapParser: { parse(path: string): EventEmitter };
  export default pcapParser;
}
