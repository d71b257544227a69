/**
 * The catalogue of error codes. A code is an interface (scripts match on it): never rename one.
 * Each group names the module that throws it; test/errors.test.ts checks src/ uses no other.
 */
export const ERROR_CODES = [
  // cli, usage and expectation files
  'BS_USAGE',
  'BS_EXPECT_FILE',
  'BS_EXPECT_SYNTAX',
  'BS_EXPECT_NOT_MET',
  'BS_FILTER_SYNTAX',
  // capture files (pcap/)
  'BS_PCAP_NO_SUCH_FILE',
  'BS_PCAP_PERMISSION_DENIED',
  'BS_PCAP_IS_DIRECTORY',
  'BS_PCAP_READ_ERROR',
  'BS_PCAP_EMPTY_FILE',
  'BS_PCAP_BAD_MAGIC',
  'BS_PCAP_BAD_VERSION',
  'BS_PCAP_TRUNCATED_HEADER',
  'BS_PCAP_TRUNCATED_RECORD',
  'BS_PCAP_FRAME_TOO_LARGE',
  'BS_PCAP_CANNOT_CREATE',
  'BS_PCAP_WRITE_FAILED',
  'BS_PCAP_MIXED_LINK_TYPES',
  'BS_PCAP_TIME_OUT_OF_RANGE',
  'BS_PCAP_BAD_ADDRESS',
  'BS_PCAPNG_BAD_BYTE_ORDER',
  'BS_PCAPNG_BAD_VERSION',
  'BS_PCAPNG_BAD_BLOCK_LENGTH',
  'BS_PCAPNG_BLOCK_LENGTH_MISMATCH',
  'BS_PCAPNG_TRUNCATED_BLOCK',
  'BS_PCAPNG_BAD_CAPLEN',
  'BS_PCAPNG_FRAME_TOO_LARGE',
  'BS_PCAPNG_UNDECLARED_INTERFACE',
  // topology snapshots (annotate/)
  'BS_SNAPSHOT_MISSING',
  'BS_SNAPSHOT_UNREADABLE',
  'BS_SNAPSHOT_INVALID',
  'BS_SNAPSHOT_VERSION',
  'BS_SNAPSHOT_FOREIGN',
  // live capture (capture/)
  'BS_CAPTURE_PERMISSION',
  'BS_UNKNOWN_INTERFACE',
  'BS_INTERFACE_DOWN',
  'BS_BAD_FILTER',
  'BS_ADDON_MISSING',
  'BS_CAPTURE_FAILED',
  'BS_CAPTURE_FIXED_INTERFACES',
  // Docker (docker/) and names (model/)
  'BS_DOCKER_NO_SOCKET',
  'BS_DOCKER_PERMISSION',
  'BS_DOCKER_DOWN',
  'BS_DOCKER_NOT_FOUND',
  'BS_DOCKER_API',
  'BS_LAB_NO_IMAGE',
  'BS_LAB_NAME_TAKEN',
  'BS_UNKNOWN_TARGET',
  'BS_TARGET_NOT_BRIDGE',
  'BS_TARGET_OVERLAY_NO_HOST',
  'BS_TARGET_NO_VETH',
  'BS_AMBIGUOUS_NAME',
  // trace (session/)
  'BS_TRACE_UNKNOWN_CONTAINER',
  'BS_TRACE_NO_NETNS',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** `cause` keeps the error we wrapped (errno, dockerode, the loader), for a debugger or a bug report. */
export interface WrapOptions {
  cause?: unknown;
}

/**
 * Every error a user can cause (bad file, bad flag, missing permission, unknown target) is a
 * BridgescopeError with a stable `code`. The CLI prints `message` on one line and exits with
 * `exitCode`; anything else is a bug and keeps its stack. `message` may quote file names and file
 * bytes as they are: whoever shows it escapes it (cli/stderr.ts, present/sanitize.ts).
 */
export class BridgescopeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly exitCode = 2,
    options?: WrapOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A capture file that cannot be read further. Frames before `offset` were delivered. */
export class CaptureFileError extends BridgescopeError {
  constructor(
    code: ErrorCode,
    readonly file: string,
    readonly offset: number,
    detail: string,
    options?: WrapOptions,
  ) {
    super(code, `${file}: ${detail} at byte offset ${offset}`, 2, options);
  }
}

/** A command-line value that makes no sense; names the flag. */
export class UsageError extends BridgescopeError {
  constructor(message: string) {
    super('BS_USAGE', message);
  }
}
