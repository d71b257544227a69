/**
 * Names come from Docker and the kernel, i.e. from whoever created the container: escape control
 * characters (C0, DEL, C1) before they reach a terminal, so a name cannot move the cursor or
 * change colours.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
