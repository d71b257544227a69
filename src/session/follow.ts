import type { InterfaceEnd } from '../capture/index.js';
import { hostVethsOf, resolveTarget } from '../docker/targets.js';
import { findContainers, namespaceOwnerId } from '../model/identity.js';
import type { ContainerInfo, Topology } from '../model/topology.js';
import { sanitize } from '../present/sanitize.js';

/**
 * Captures that follow containers. A target that names containers (model/identity.ts forms) is
 * not a fixed list of veths: after each topology change (LiveResolver.onChange) the veths that
 * carry each container's frames are recomputed, a new one gets a lane, and the user reads one
 * line per event. Interface and network targets are fixed: a network's bridge outlives its
 * containers; an interface that disappears ends its part, as in tcpdump. The capture ends
 * (`onExhausted`) when no target is left: every fixed interface gone, every container removed.
 *
 * Which containers a target names is decided once, at start (a container created later under
 * the same name is another container): so `docker rm` ends a part, and a restart is followed.
 */

/** A `docker restart` is a die then a start: within this the two make one "restarted" notice. */
const RESTART_GRACE_MS = 3000;

type Phase = 'waiting' | 'running' | 'stopping' | 'stopped' | 'detached' | 'removed';

interface Member {
  id: string;
  name: string;
  /** Host veth -> the network it is on, as of the last change applied. */
  veths: Map<string, string>;
  phase: Phase;
  grace?: NodeJS.Timeout;
}

type Target = { kind: 'fixed'; interfaces: string[] } | { kind: 'container'; members: Member[] };

export interface FollowPlan {
  /** Interfaces to open at start. */
  interfaces: string[];
  /** What the targets turned out to be ("beta-db via veth1a2b3c4, network br_xx on br-…"). */
  description: string;
  /** Whether a target names containers, i.e. whether lanes may be added later. */
  follows: boolean;
  targets: Target[];
}

/**
 * Resolves each target: containers (when `follow`) to their members and current veths, anything
 * else through docker/targets.ts (which owns the errors for unknown or unusable names). A
 * container that exists but does not run yet is waited for, with one notice.
 */
export async function planTargets(
  queries: readonly string[],
  topology: Topology | undefined,
  opts: { follow: boolean; notice: (m: string) => void },
): Promise<FollowPlan> {
  const targets: Target[] = [];
  const descriptions: string[] = [];
  for (const q of queries) {
    const found = opts.follow && topology && !topology.interfaces.some((i) => i.name === q) ? findContainers(q, topology.containers, topology.endpoints) : undefined;
    if (found?.kind === 'found') {
      const members = found.containers.map((c) => memberOf(c, topology!));
      const running = members.filter((m) => m.phase === 'running');
      if (running.length > 0 && running.every((m) => m.veths.size === 0)) await resolveTarget(q, { topology }); // its "no veth" error
      for (const m of members) if (m.phase === 'waiting') opts.notice(`waiting for ${sanitize(m.name)} to start`);
      targets.push({ kind: 'container', members });
      descriptions.push(...members.map((m) => (m.phase === 'waiting' ? `${sanitize(m.name)} (not running yet)` : `${labelOf(m, topology!)} via ${[...m.veths.keys()].map(sanitize).join(', ')}`)));
    } else {
      const r = await resolveTarget(q, { topology });
      targets.push({ kind: 'fixed', interfaces: r.interfaces });
      descriptions.push(r.description);
    }
  }
  const interfaces = new Set<string>();
  for (const t of targets) for (const name of t.kind === 'fixed' ? t.interfaces : t.members.flatMap((m) => [...m.veths.keys()])) interfaces.add(name);
  return { interfaces: [...interfaces], description: descriptions.join(', '), follows: targets.some((t) => t.kind === 'container'), targets };
}

export interface FollowerHooks {
  /** Opens a lane on an interface; throws (the capture layer's typed errors) when it cannot. */
  open(iface: string, topology: Topology): void;
  notice(message: string): void;
  /** Nothing is left to capture: the session ends the capture. */
  onExhausted(): void;
}

/** Keeps a plan's lanes in step with the topology; one instance per live session. */
export class Follower {
  /** Interfaces with a lane that has not ended. */
  private readonly live: Set<string>;
  private readonly ended = new Set<string>();
  private finished = false;

  constructor(
    private readonly plan: FollowPlan,
    private readonly hooks: FollowerHooks,
  ) {
    this.live = new Set(plan.interfaces);
  }

  /** Every fixed interface has ended and every followed container was removed. */
  get exhausted(): boolean {
    return this.plan.targets.every((t) =>
      t.kind === 'fixed' ? t.interfaces.every((i) => this.ended.has(i)) : t.members.every((m) => m.phase === 'removed'),
    );
  }

  /** Applies the topology after a change: opens the veths containers gained, says what happened. */
  apply(t: Topology): void {
    for (const target of this.plan.targets) {
      if (target.kind !== 'container') continue;
      for (const m of target.members) this.step(m, t);
    }
    this.checkExhausted();
  }

  /** An interface stopped by itself (deleted, down). A followed veth going is said by apply(). */
  interfaceEnded(end: InterfaceEnd): void {
    this.live.delete(end.interface);
    this.ended.add(end.interface);
    const fixed = this.plan.targets.some((t) => t.kind === 'fixed' && t.interfaces.includes(end.interface));
    if (fixed) this.hooks.notice(`capture on ${sanitize(end.interface)} ended: ${sanitize(end.reason)}${this.lastWords()}`);
    this.checkExhausted();
  }

  close(): void {
    for (const t of this.plan.targets) if (t.kind === 'container') for (const m of t.members) clearTimeout(m.grace);
  }

  private step(m: Member, t: Topology): void {
    if (m.phase === 'removed') return;
    const c = t.containers.find((x) => x.id === m.id);
    if (!c) {
      this.settle(m, 'removed');
      this.hooks.notice(`${sanitize(m.name)} removed: its capture ended${this.lastWords()}`);
      return;
    }
    m.name = c.name;
    const now = vethNetworks(t, c);
    const added = [...now.keys()].filter((v) => !m.veths.has(v));
    const gone = [...m.veths.keys()].filter((v) => !now.has(v));
    const before = m.veths;
    m.veths = now;
    for (const v of added) this.openLane(m, v, t);
    const name = sanitize(m.name);
    const list = (vs: string[]) => vs.map(sanitize).join(', ');
    const nets = (vs: string[], from: Map<string, string>) => [...new Set(vs.map((v) => sanitize(from.get(v) ?? '?')))].join(', ');
    if (now.size > 0 && before.size === 0) {
      const was = m.phase;
      this.settle(m, 'running');
      if (was === 'stopping') this.hooks.notice(`${name} restarted: now on ${list(added)}`);
      else if (was === 'detached') this.hooks.notice(`${name} joined ${nets(added, now)}: now on ${list(added)}`);
      else this.hooks.notice(`${name} started${was === 'stopped' ? ' again' : ''}: now on ${list(added)}`);
    } else if (now.size === 0 && before.size > 0) {
      if (isRunning(c, t)) {
        this.settle(m, 'detached');
        this.hooks.notice(`${name} left ${nets(gone, before)}: waiting for it to join a network`);
      } else {
        // Said only if no start follows soon: a restart is one event to the user, not two.
        this.settle(m, 'stopping');
        m.grace = setTimeout(() => {
          m.phase = 'stopped';
          this.hooks.notice(`${name} stopped: waiting for it to start again`);
        }, RESTART_GRACE_MS);
        m.grace.unref();
      }
    } else if (added.length > 0 || gone.length > 0) {
      const parts: string[] = [];
      if (added.length) parts.push(`${name} joined ${nets(added, now)}: now also on ${list(added)}`);
      if (gone.length) parts.push(`${added.length ? 'left' : `${name} left`} ${nets(gone, before)}: no longer on ${list(gone)}`);
      this.hooks.notice(parts.join('; '));
    }
  }

  private openLane(m: Member, veth: string, t: Topology): void {
    if (this.live.has(veth)) return;
    try {
      this.hooks.open(veth, t);
      this.live.add(veth);
      this.ended.delete(veth);
    } catch (err) {
      this.hooks.notice(`cannot capture ${sanitize(m.name)} on ${sanitize(veth)}: ${sanitize((err as Error).message)}`);
    }
  }

  private settle(m: Member, phase: Phase): void {
    clearTimeout(m.grace);
    m.grace = undefined;
    m.phase = phase;
  }

  /** The end of the notice of the event that leaves nothing to capture. */
  private lastWords(): string {
    return this.exhausted ? '; nothing left to capture' : '';
  }

  private checkExhausted(): void {
    if (this.finished || !this.exhausted) return;
    this.finished = true;
    this.hooks.onExhausted();
  }
}

function memberOf(c: ContainerInfo, t: Topology): Member {
  const veths = vethNetworks(t, c);
  return { id: c.id, name: c.name, veths, phase: veths.size > 0 || isRunning(c, t) ? 'running' : 'waiting' };
}

/** A container runs, and so does the one whose network namespace it uses. */
function isRunning(c: ContainerInfo, t: Topology): boolean {
  const owner = t.containers.find((x) => x.id === namespaceOwnerId(c));
  return c.state === 'running' && owner?.state === 'running';
}

function vethNetworks(t: Topology, c: ContainerInfo): Map<string, string> {
  const veths = hostVethsOf(t, c);
  return new Map(veths.map((v) => [v, t.endpoints.find((e) => e.hostVeth === v)?.network ?? '?']));
}

function labelOf(m: Member, t: Topology): string {
  return sanitize(t.containers.find((c) => c.id === m.id)?.label ?? m.name);
}
