import { isDevDependency, MODULE_NOT_FOUND, NODE_CLI_PACKAGES, npmPackageOf, unresolvedImport } from './names.js';
import { COMMAND_NOT_FOUND, commandOf } from './commands.js';
import { scriptCommandNotFound } from './node-scripts.js';
import { anyOf, NPM_ERR, signal, slotsOf } from './signal.js';
import type { Playbook, Slots } from './types.js';

function missingImport(specifier: string | undefined, importer?: string): Slots | null {
  const pkg = specifier === undefined ? null : npmPackageOf(specifier);
  if (pkg === null) return null;
  return slotsOf({ module: specifier, package: pkg, ecosystem: 'npm', importer });
}

const notInRegistry = (pkg: string | undefined, detail = 'not in the registry'): Slots | null =>
  pkg ? slotsOf({ package: decodeURIComponent(pkg), ecosystem: 'npm', fixable: 'no', detail }) : null;

const REQUIRE_STACK_ENTRY = /^\s*-\s+(\S{1,500})$/;

export const missingNpmPackage: Playbook = {
  id: 'pb-dep-002',
  title: 'Missing npm package',
  risk: 'low',
  autoFix: 'add-dependency',
  explains: ['pb-test-000', 'pb-build-000'],
  signals: [
    signal('node-module-not-found', MODULE_NOT_FOUND, 0.9, (m) => {
      const { specifier, importer } = unresolvedImport(m);
      return missingImport(specifier, importer);
    }),
    signal('ts-missing-type-definitions', /Cannot find type definition file for '([^'\s]{1,200})'/, 0.85, (m) =>
      slotsOf({ package: `@types/${m[1] ?? ''}`, ecosystem: 'npm', dev: 'yes' }),
    ),
    signal('eslint-missing-plugin', /ESLint couldn't find the (?:plugin|config) "([^"\s]{1,200})"/, 0.85, (m) => missingImport(m[1], '.eslintrc')),
    signal('node-command-not-found', COMMAND_NOT_FOUND, 0.78, (m) => {
      const tool = commandOf(m);
      const pkg = tool === undefined ? undefined : NODE_CLI_PACKAGES[tool];
      return pkg ? slotsOf({ tool, package: pkg, ecosystem: 'npm', dev: 'yes' }) : null;
    }),
    signal('npm-not-in-registry', /'(@?[\w.-]{1,100}(?:\/[\w.-]{1,100})?)@[^'\s]{0,60}' is not in (?:this|the npm) registry/, 0.65, (m) => notInRegistry(m[1])),
    signal('npm-404', new RegExp(`${NPM_ERR} 404 Not Found - GET https?://[^\\s/]{1,100}/(@?[^\\s/]{1,200})`), 0.6, (m) => notInRegistry(m[1])),
    // yarn asking the registry for a package's metadata (yarn 1: `"https://registry.yarnpkg.com/<name>: Not found"`, berry:
    // `HTTPError: <name>@npm:<range>: Response code 404`). A tarball (`/-/`) that 404s can be the registry's fault: not this.
    signal(
      'yarn-registry-not-found',
      anyOf([
        /(?:An unexpected error occurred: "|^Error: )https?:\/\/(?:[^\s"/]{1,100}\/){1,6}?(@[^\s"/:]{1,100}(?:%2[fF]|\/)[^\s"/:]{1,200}|[^\s"/:]{1,200}): (?:Not found|Request failed \\?"404 Not Found)/,
        /HTTPError: (@?[\w.-]{1,100}(?:\/[\w.-]{1,100})?)@npm:[^\s:]{0,100}: Response code 404 \(Not Found\)/,
      ]),
      0.65,
      (m) => (m[0].includes('/-/') ? null : notInRegistry(m[1] ?? m[2])),
    ),
    signal('yarn-package-not-found', /Couldn't find package "(@?[^"@\s]{1,200})(?:@[^"]{0,100})?"(?: required by "[^"]{0,200}")? on the "npm" registry/, 0.6, (m) => notInRegistry(m[1])),
    signal('npm-no-matching-version', /No matching version found for (@?[\w./-]{1,200})@(\S{1,100})|Couldn't find any versions for "(@?[^"\s]{1,200})" that matches "([^"]{1,100})"/, 0.72, (m) =>
      notInRegistry(m[1] ?? m[3], `has no version matching ${(m[2] ?? m[4] ?? '').replace(/\.$/, '')}`),
    ),
    // Strict resolution (Yarn PnP): installed, but not declared by the workspace that requires it; the fix is that workspace's manifest.
    signal('pnp-undeclared', / tried to access (@?[\w./-]{1,200})(?: \(a peer dependency\))?,? but it isn't (?:declared in (?:its|your) dependencies|provided by its ancestors)/, 0.88, (m) =>
      slotsOf({ package: m[1], ecosystem: 'npm', fixable: 'no' }),
    ),
    // TS7016: the library ships no types; @types/<name> may or may not exist, so nothing is auto-added.
    signal('ts-missing-declaration', /error TS7016: Could not find a declaration file for module '([^'\s]{1,200})'/, 0.75, (m) => {
      const pkg = m[1] === undefined ? null : npmPackageOf(m[1]);
      return pkg ? slotsOf({ package: pkg, ecosystem: 'npm', dev: 'yes', fixable: 'no' }) : null;
    }),
    signal('npx-no-executable', new RegExp(`${NPM_ERR} could not determine executable to run|error Command "[\\w.-]{1,60}" not found\\.`), 0.72, () => slotsOf({ ecosystem: 'npm' })),
    signal('pnpm-fetch-404', /ERR_PNPM_FETCH_404\b[^\n]{0,40}?GET https?:\/\/[^\s/]{1,100}\/(@?[^\s/:]{1,200})/, 0.6, (m) => notInRegistry(m[1])),
  ],
  detectors: [scriptCommandNotFound],
  enrich(lines, slots) {
    if (slots.importer) return slots;
    const stack = lines.findIndex((line) => line.includes('Require stack:'));
    const entry = stack === -1 ? undefined : REQUIRE_STACK_ENTRY.exec(lines[stack + 1] ?? '');
    return entry?.[1] ? { ...slots, importer: entry[1] } : slots;
  },
  summary: (slots) =>
    slots.detail
      ? `npm package \`${slots.package}\` is ${slots.detail}: check its name and version.`
      : !slots.package && slots.tool
        ? `The command \`${slots.tool}\` that a package.json script runs is not installed.`
        : `npm package \`${slots.package ?? 'unknown'}\` is imported${slots.importer ? ` by ${slots.importer}` : ''} but not installed.`,
  remediation: (slots) => {
    const pkg = slots.package ?? '<package>';
    if (slots.detail) return [`Check the spelling of \`${pkg}\` in package.json, and that the registry (or a private one in .npmrc) serves it.`];
    if (!slots.package && slots.tool) {
      return [
        `Add the package that provides \`${slots.tool}\` to devDependencies and commit the lock file.`,
        'If it is listed already, the job skipped dev dependencies (`npm install --production`, `NODE_ENV=production`, `--omit=dev`): install them for build and test steps.',
      ];
    }
    const dev = slots.dev === 'yes' || isDevDependency(pkg, slots.importer);
    return [
      `Add it: \`npm install ${dev ? '--save-dev ' : ''}${pkg}\` (or the yarn/pnpm equivalent) and commit package.json with the lock file.`,
      'If package.json already lists it, check the job installs dependencies first and does not omit dev dependencies it needs.',
    ];
  },
};
