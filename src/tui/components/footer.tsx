import { Text } from 'ink';
import { sanitize } from '../../present/sanitize.js';
import { fit } from '../layout.js';

const KEYS = '↑↓ move  PgUp/PgDn  g/G first/last  Enter detail  Tab view  Space pause  / filter  Esc clear  t time  w save  ? help  q quit';

/** Key reminder, or the filter prompt while it is open. */
export function Footer({ prompt, columns }: { prompt: string | null; columns: number }) {
  if (prompt !== null) {
    return (
      <Text wrap="truncate">
        <Text color="yellow">/ </Text>
        {sanitize(prompt)}
        <Text inverse> </Text>
        <Text dimColor>   Enter apply, Esc cancel</Text>
      </Text>
    );
  }
  return <Text inverse wrap="truncate">{fit(` ${KEYS}`, columns)}</Text>;
}
