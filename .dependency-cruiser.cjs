// The layers of the code and the lint that keeps them (docs/architecture.md). `npm run lint` runs it.
// A module may import its own folder and any lower layer; never a higher layer, never a peer of its own layer,
// and no import may close a circle.

/** Lowest first. A layer's folders are peers: they may not import each other. */
const LAYERS = [
  { name: 'domain', folders: ['shared/domain', 'shared/config'] },
  { name: 'facts', folders: ['shared/programs', 'shared/remediation', 'shared/alerts'] },
  { name: 'plan', folders: ['shared/plan'] },
  { name: 'rules', folders: ['shared/rules'] },
  // What goes to Log Analytics (rows, upload parts, the sink's port): built from findings and messages, sent by scan.
  { name: 'telemetry', folders: ['shared/telemetry'] },
  { name: 'scan', folders: ['shared/scan'] },
  // Peers: each I/O adapter implements ports the scan declares (shared/scan/*Ports.ts) and knows no other adapter.
  { name: 'adapters', folders: ['shared/adapters/arm', 'shared/adapters/tables', 'shared/adapters/serviceBus', 'shared/adapters/logsIngestion'] },
  { name: 'runtime', folders: ['shared/runtime'] },
  { name: 'handlers', folders: ['shared/adapters/functions'] },
  { name: 'local', folders: ['local'] },
  { name: 'entry', folders: ['functions', 'cli'] },
  { name: 'tools', folders: ['bench', 'scripts'] },
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const under = (folder) => `^${escape(folder)}/`;

/** What a module of `folder` may not import: the folders of its own layer (but its own) and of the layers above. */
function forbiddenFrom(folder) {
  const level = LAYERS.findIndex((layer) => layer.folders.includes(folder));
  return LAYERS.slice(level).flatMap((layer) => layer.folders).filter((other) => other !== folder).map(under);
}

const layerRules = LAYERS.flatMap((layer, level) => layer.folders.map((folder) => ({
  name: `layer-${layer.name}`,
  comment: `${folder} (layer ${layer.name}) may import its own folder and the layers below it only: ${LAYERS.slice(0, level).map((below) => below.name).join(', ') || 'none'}.`,
  severity: 'error',
  from: { path: under(folder) },
  to: { path: forbiddenFrom(folder) },
})));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle of imports: no module of it can be read, tested or moved on its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-not-test',
      comment: 'What deploys may not import test code (test oracles stay under test/).',
      severity: 'error',
      from: { path: '^(shared|functions|cli)/' },
      to: { path: '^test/' },
    },
    ...layerRules,
    {
      name: 'layer-unknown-folder',
      comment: 'Every folder of shared/ belongs to a layer: add a new one to LAYERS (and docs/architecture.md).',
      severity: 'error',
      from: { path: '^shared/', pathNot: LAYERS.flatMap((layer) => layer.folders).map(under) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|deploy-package)/' },
    // Type-only imports count: a layer that names a higher layer's type depends on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
