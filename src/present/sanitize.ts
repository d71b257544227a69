/** Present's callers import the escaper here; its one implementation is src/sanitize.ts. */
export { asciiByte, escapeJson, jsonString, sanitize, sanitizeLines } from '../sanitize.js';
