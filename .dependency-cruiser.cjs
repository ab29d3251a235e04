// The layer rules (README, "For developers"), checked by `npm run lint:layers`.
// Data flows one way: adapters (slack, teams, http) -> services -> domain, with store and render beside.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means neither module can be read, tested or moved without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'The domain is plain data and store interfaces: only other domain modules, node builtins and zod.',
      from: { path: '^src/domain/' },
      to: { dependencyTypesNot: ['core'], pathNot: ['^src/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'store-and-render-below-adapters',
      severity: 'error',
      comment: 'Store and render serve both platforms; an import from an adapter would tie them to one.',
      from: { path: '^src/(store|render)/' },
      to: { path: '^src/(slack|teams|http)/' },
    },
    {
      name: 'slack-and-teams-apart',
      severity: 'error',
      comment: 'Slack and Teams only translate; what they share belongs below them.',
      from: { path: '^src/(slack|teams)/' },
      to: { path: '^src/(slack|teams)/', pathNot: '^src/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve is one it cannot check.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/store/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
