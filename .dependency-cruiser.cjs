/**
 * Import rules for src/ (`npm run lint:imports`). Dependencies flow one way, from the call path's
 * top (telephony) down to infrastructure (persistence, redis, config); see docs/ARCHITECTURE.md.
 *
 * Each folder below may import only itself and the folders in its `may` (space-separated).
 * Root files (src/*.ts: main, worker, app.module, app.factory, cluster-primary) wire everything
 * together and may import anything, but no folder may import them. Rules naming folders that do
 * not exist yet are harmless.
 */
const layers = {
  config: { may: '', why: 'config is the bottom layer: it validates the environment and imports no other module' },
  common: { may: 'config', why: 'common (errors, pipes, adapters, pure helpers) sits just above config and never imports feature code' },
  privacy: { may: 'common', why: 'privacy is pure policy on what may be stored; it never knows who stores it' },
  auth: { may: 'config common', why: 'auth (bearer roles) is used by features through its guards and never reaches into them' },
  redis: { may: 'common config', why: 'redis is infrastructure: its connection factory and worker host never import features' },
  persistence: {
    may: 'common config',
    why: 'persistence is below every feature module: entities and migrations never import feature code',
  },
  tracing: {
    may: 'common config',
    why: 'tracing (OpenTelemetry) is infrastructure: features open spans through its narrow API; it never imports them',
  },
  operations: {
    may: 'common config redis persistence',
    why: 'operations (health, metrics, drain) sits on infrastructure; features report to it, it never calls them',
  },
  'voice-agent': {
    may: 'common config operations',
    why: 'voice-agent (provider clients) knows the wire protocol only, never agents, handoffs or calls',
  },
  'caller-history': {
    may: 'common config privacy redis operations',
    why: 'caller-history is storage used by sessions and summaries; it never imports them',
  },
  'call-journal': {
    may: 'common config privacy redis operations',
    why: 'call-journal records live calls for sessions, telephony and summaries; it never imports them',
  },
  handoff: {
    may: 'auth common config operations persistence redis voice-agent',
    why: 'handoff is the engine agents build on: it never imports agents, sessions or telephony',
  },
  agents: {
    may: 'auth common config handoff operations persistence privacy redis voice-agent',
    why: 'agents (department configs and tools) sit below the live call: sessions use agents, never the reverse',
  },
  summaries: {
    may: 'agents auth call-journal caller-history common config handoff operations persistence privacy redis tracing',
    why: 'summaries is post-call work and a leaf: it never imports the live call path (sessions, telephony, voice-agent)',
  },
  sessions: {
    may: 'agents call-journal caller-history common config handoff operations privacy redis tracing voice-agent',
    why: 'sessions (the live call) sit below telephony: they never import telephony, summaries or persistence',
  },
  telephony: {
    may: 'auth call-journal common config operations persistence privacy redis sessions',
    why: 'telephony is the top of the call path: it drives sessions and never reaches past them to agents, handoff or the provider',
  },
  supervision: {
    may: 'auth call-journal common config operations redis sessions summaries',
    why: 'supervision acts on live calls (sessions) from beside telephony; nothing on the call path imports it',
  },
  console: {
    may: 'auth common config',
    why: 'console serves the built web console and tells it its role; the page talks to the REST API like any client',
  },
  simulator: {
    may: 'common config voice-agent',
    why: 'simulator plays Twilio from outside the service: it never imports the call path it exercises',
  },
};

const folderRules = Object.entries(layers).map(([folder, { may, why }]) => ({
  name: `${folder}-allowed-imports`,
  comment: why,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  // Only folders here: imports of root files are reported once, by no-folder-imports-root-file.
  to: {
    path: '^src/[^/]+/',
    pathNot: [`^src/${folder}/`, ...(may ? [`^src/(${may.split(' ').join('|')})/`] : [])],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles, not even between two files of one folder: they break Nest DI order and module load order',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-imports-root-file',
      comment: 'root files (main, worker, app.module, app.factory, cluster-primary) compose the app; nothing below them imports them',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'every-folder-has-a-layer',
      comment: 'a new folder under src/ gets a place in the layers above (and in docs/ARCHITECTURE.md) before it imports anything',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${Object.keys(layers).join('|')})/` },
      to: { path: '^src/' },
    },
    ...folderRules,
  ],
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // Count `import type` too: a type-only import is still a dependency on the other layer.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
