import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/host/iptables.js';
import { firewallAccess, overlayFirewallReasons, type FirewallReads } from '../../src/session/trace-overlay-firewall.js';
import type { OverlayPath } from '../../src/session/trace-overlay-plan.js';

const overlay: OverlayPath = {
  network: { id: 'ov1', name: 'ovnet', driver: 'overlay', vni: [4097] }, vni: 4097,
  fromHost: 'dh1', toHost: 'dh2', fromUnderlay: '10.231.0.11', toUnderlay: '10.231.0.12',
};

/** A Docker host's filter table as iptables-save -c prints it, with these rule lines. */
const saved = (input: string[], output: string[] = []) => parseIptablesSave(
  ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ...input, ...output, 'COMMIT', ''].join('\n'),
);
const reads = (dh1: ReturnType<typeof saved>, dh2: ReturnType<typeof saved>): FirewallReads => new Map([['dh1', { rules: dh1 }], ['dh2', { rules: dh2 }]]);
const quiet = saved([]);

describe('cross-host trace: the hosts\' firewalls in the why', () => {
  it('names the receiver\'s INPUT rule that dropped UDP 4789, with its counter', () => {
    const before = saved(['[0:0] -A INPUT -p udp -m udp --dport 4789 -j DROP']);
    const after = saved(['[2:300] -A INPUT -p udp -m udp --dport 4789 -j DROP']);
    expect(overlayFirewallReasons(overlay, reads(quiet, before), reads(quiet, after))).toEqual([{
      code: 'firewall-rule',
      text: "host dh2's filter INPUT rule 1 `-A INPUT -p udp -m udp --dport 4789 -j DROP` dropped the VXLAN from host dh1 (10.231.0.11 > 10.231.0.12, UDP 4789): it counted 2 packets during the trace (0 -> 2)",
    }]);
  });

  it('a rule for another port, protocol or source, or one whose counter did not move, is not the cause', () => {
    const rules = ['-p udp -m udp --dport 7946 -j DROP', '-p tcp -m tcp --dport 4789 -j DROP', '-s 10.9.9.9/32 -p udp -j DROP', '-p udp -m multiport --dports 53,8472:8480 -j REJECT'];
    const before = saved(rules.map((r) => `[0:0] -A INPUT ${r}`).concat('[5:500] -A INPUT -p udp -m udp --dport 4789 -j DROP'));
    const after = saved(rules.map((r) => `[3:300] -A INPUT ${r}`).concat('[5:500] -A INPUT -p udp -m udp --dport 4789 -j DROP'));
    expect(overlayFirewallReasons(overlay, reads(quiet, before), reads(quiet, after))).toEqual([]);
  });

  it('a multiport range holding 4789, or a REJECT on the sender\'s OUTPUT, is named for its direction', () => {
    const before = saved(['[0:0] -A INPUT -s 10.231.0.12/32 -p udp -m multiport --dports 53,4000:5000 -j REJECT --reject-with icmp-port-unreachable'], ['[0:0] -A OUTPUT -d 10.231.0.12/32 -p udp -j DROP']);
    const after = saved(['[1:90] -A INPUT -s 10.231.0.12/32 -p udp -m multiport --dports 53,4000:5000 -j REJECT --reject-with icmp-port-unreachable'], ['[3:270] -A OUTPUT -d 10.231.0.12/32 -p udp -j DROP']);
    expect(overlayFirewallReasons(overlay, reads(before, quiet), reads(after, quiet)).map((r) => r.text)).toEqual([
      "host dh1's filter INPUT rule 1 `-A INPUT -s 10.231.0.12/32 -p udp -m multiport --dports 53,4000:5000 -j REJECT --reject-with icmp-port-unreachable` rejected the VXLAN from host dh2 (10.231.0.12 > 10.231.0.11, UDP 4789): it counted 1 packet during the trace (0 -> 1)",
      "host dh1's filter OUTPUT rule 1 `-A OUTPUT -d 10.231.0.12/32 -p udp -j DROP` dropped the VXLAN from host dh1 (10.231.0.11 > 10.231.0.12, UDP 4789): it counted 3 packets during the trace (0 -> 3)",
    ]);
  });

  it('a host whose firewall could not be read is said so, when no rule explains the loss', () => {
    const unread: FirewallReads = new Map([['dh1', { rules: [] }], ['dh2', { rules: [], error: 'its daemon is reached over tcp://, which says nothing of its firewall' }]]);
    expect(overlayFirewallReasons(overlay, unread, unread)).toEqual([
      { code: 'firewall-unread', text: "host dh2's firewall was not read (its daemon is reached over tcp://, which says nothing of its firewall)" },
    ]);
  });

  it('reads a tcp:// host\'s firewall nowhere, and a unix socket no dockerd here holds nowhere either', async () => {
    expect(await firewallAccess({ name: 'dh9', options: { host: 'dh9', port: 2375, protocol: 'http' } })).toEqual({ host: 'dh9', unreadable: 'its daemon is reached over tcp://, which says nothing of its firewall' });
    expect(await firewallAccess({ name: 'none', options: { socketPath: '/run/bridgescope-no-such.sock' } })).toEqual({ host: 'none', unreadable: 'no dockerd on this machine listens on /run/bridgescope-no-such.sock' });
  });
});
