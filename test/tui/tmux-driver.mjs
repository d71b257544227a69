// Runs runTui from a compiled build on a capture, the way `bridgescope replay` will once it opens
// the UI: node tmux-driver.mjs BUILD_DIR CAPTURE. Used by the tmux test only.
const [build, capture] = process.argv.slice(2);
const { openCaptureFile } = await import(`${build}/pcap/index.js`);
const { loadSnapshotFile } = await import(`${build}/session/snapshot-load.js`);
const { TopologyResolver } = await import(`${build}/annotate/topology-resolver.js`);
const { runTui } = await import(`${build}/tui/run.js`);
const topology = await loadSnapshotFile(`${capture}.topology.json`);
await runTui(openCaptureFile(capture), { resolver: new TopologyResolver(topology), topology, title: capture, live: false });
