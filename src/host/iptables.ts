import { runHost, type HostRun } from './run.js';

/**
 * The host's iptables rules with their packet counters, as `iptables-save -c` prints them (on
 * iptables-nft too: it reads the nf_tables backend). Read-only: nothing here changes a rule.
 */
export interface FirewallRule {
  table: string;
  chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts; 0 for the chain's policy. */
  position: number;
  /** The rule as iptables-save prints it ("-A FORWARD -o br-1 -j DROP"), or "FORWARD policy DROP". */
  text: string;
  /** -j target (DROP, REJECT, ACCEPT, RETURN, a chain) or the policy; '' when the rule only counts. */
  target: string;
  packets: number;
  bytes: number;
  /** Each match option with its value, in order; `negated` for a leading "!". */
  matches: RuleMatch[];
}

export interface RuleMatch {
  option: string;
  value?: string;
  negated: boolean;
}

export interface FirewallRead {
  rules: FirewallRule[];
  /** Why the rules could not be read (not root, no iptables), when they could not. */
  error?: string;
}

/**
 * IPv4's rules, or with `family` 6 ip6tables' (which bridged IPv6 frames pass under br_netfilter).
 * `run` runs the command where the firewall is: this host by default, another network namespace
 * (nsenter) or another machine (ssh) for a Docker host elsewhere.
 */
export async function readIptables(family: 4 | 6 = 4, run: (argv: readonly string[]) => Promise<HostRun> = runHost): Promise<FirewallRead> {
  const save = family === 6 ? 'ip6tables-save' : 'iptables-save';
  const r = await run([save, '-c']);
  if (r.code !== 0) return { rules: [], error: `${save} -c failed: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`}` };
  return { rules: parseIptablesSave(r.stdout) };
}

const COUNTER = /^\[(\d+):(\d+)\]\s+/;

export function parseIptablesSave(text: string): FirewallRule[] {
  const rules: FirewallRule[] = [];
  const positions = new Map<string, number>();
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) {
      // ":FORWARD DROP [12:1008]": a built-in chain's policy and what fell through to it.
      const m = /^:(\S+)\s+(\S+)\s+\[(\d+):(\d+)\]/.exec(line);
      if (m && m[2] !== '-') {
        rules.push({ table, chain: m[1], position: 0, text: `${m[1]} policy ${m[2]}`, target: m[2], packets: Number(m[3]), bytes: Number(m[4]), matches: [] });
      }
    } else {
      const c = COUNTER.exec(line);
      const body = c ? line.slice(c[0].length) : line;
      if (!body.startsWith('-A ')) continue;
      const words = splitWords(body);
      const chain = words[1];
      const position = (positions.get(`${table}/${chain}`) ?? 0) + 1;
      positions.set(`${table}/${chain}`, position);
      const { matches, target } = parseMatches(words.slice(2));
      rules.push({ table, chain, position, text: body, target, packets: Number(c?.[1] ?? 0), bytes: Number(c?.[2] ?? 0), matches });
    }
  }
  return rules;
}

function parseMatches(words: string[]): { matches: RuleMatch[]; target: string } {
  const matches: RuleMatch[] = [];
  let target = '';
  let negated = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '!') {
      negated = true;
      continue;
    }
    const next = words[i + 1];
    const hasValue = next !== undefined && !next.startsWith('-') && next !== '!';
    if (w === '-j' || w === '-g') {
      target = next ?? '';
      i++;
      // What follows the target are the target's own options (--reject-with ...).
      break;
    }
    matches.push({ option: w, value: hasValue ? next : undefined, negated });
    if (hasValue) i++;
    negated = false;
  }
  return { matches, target };
}

/** Words as iptables-save quotes them ("-m comment --comment \"a b\""). */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return words;
}

/** Rules whose packet counter grew between two reads, with by how much. */
export function countersMoved(before: readonly FirewallRule[], after: readonly FirewallRule[]): Array<{ rule: FirewallRule; packets: number; before: number }> {
  const key = (r: FirewallRule) => `${r.table}\0${r.chain}\0${r.position}\0${r.text}`;
  const old = new Map(before.map((r) => [key(r), r.packets]));
  const moved: Array<{ rule: FirewallRule; packets: number; before: number }> = [];
  for (const r of after) {
    const was = old.get(key(r));
    if (was !== undefined && r.packets > was) moved.push({ rule: r, packets: r.packets - was, before: was });
  }
  return moved;
}
