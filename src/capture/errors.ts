import { BridgescopeError, type WrapOptions } from '../errors.js';

/** The setcap line that lets an unprivileged user capture with this node binary. */
const SETCAP_HINT = 'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))';

/** Opening a capture needs root or CAP_NET_RAW (plus CAP_NET_ADMIN for the kernel buffer size). */
export class CapturePermissionError extends BridgescopeError {
  constructor(readonly interfaceName: string, options?: WrapOptions) {
    super(
      'BS_CAPTURE_PERMISSION',
      `no permission to capture on ${interfaceName}: run with sudo, or once: ${SETCAP_HINT}`,
      2,
      options,
    );
  }
}

export class UnknownInterfaceError extends BridgescopeError {
  constructor(
    readonly interfaceName: string,
    readonly suggestions: readonly string[],
    options?: WrapOptions,
  ) {
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '; `ip link` lists them';
    super('BS_UNKNOWN_INTERFACE', `no network interface named ${interfaceName}${hint}`, 2, options);
  }
}

export class InterfaceDownError extends BridgescopeError {
  constructor(readonly interfaceName: string, options?: WrapOptions) {
    super('BS_INTERFACE_DOWN', `interface ${interfaceName} is down: \`ip link set ${interfaceName} up\` first`, 2, options);
  }
}

/** A BPF expression libpcap could not compile; `detail` is libpcap's own message. */
export class BpfFilterError extends BridgescopeError {
  constructor(
    readonly filter: string,
    readonly detail: string,
    options?: WrapOptions,
  ) {
    super('BS_BAD_FILTER', `bad capture filter "${filter}": ${detail} (see \`man pcap-filter\`)`, 2, options);
  }
}

/** The live engine cannot be loaded: the addon was not built, or libpcap is missing. */
export class AddonMissingError extends BridgescopeError {
  constructor(
    readonly engine: 'native' | 'cap',
    detail: string,
    options?: WrapOptions,
  ) {
    const fix =
      engine === 'native'
        ? 'install `libpcap-dev g++ make python3` (apt-get install) and run `npm rebuild bridgescope` or `node scripts/build-native.mjs`'
        : 'install `libpcap-dev g++ make python3` (apt-get install) and run `npm install cap`, or use --engine native';
    super('BS_ADDON_MISSING', `live capture engine "${engine}" is not available (${detail}): ${fix}`, 2, options);
  }
}

/** Any other libpcap failure on an interface, with libpcap's message. */
export class CaptureFailedError extends BridgescopeError {
  constructor(
    readonly interfaceName: string,
    detail: string,
    options?: WrapOptions,
  ) {
    super('BS_CAPTURE_FAILED', `capture on ${interfaceName} failed: ${detail}`, 2, options);
  }
}

/** The cap engine opens its interfaces once: a capture that follows containers needs the native one. */
export class FixedInterfacesError extends BridgescopeError {
  constructor(readonly interfaceName: string) {
    super(
      'BS_CAPTURE_FIXED_INTERFACES',
      `the cap engine cannot add ${interfaceName} to a running capture (its interfaces are fixed at start); use --engine native to follow containers`,
    );
  }
}
