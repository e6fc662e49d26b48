import type { Fact } from '../analyze/fact.js';
import type { Generation } from './generate.js';

/** The facts a first run reports, with the decision that carries each. */
const SHOWN = [
  { label: 'service', fact: 'service', decision: 'service' },
  { label: 'settings', fact: 'settingsModule', decision: 'settingsModule' },
  { label: 'config variable', fact: 'configVar', decision: 'configVar' },
  { label: 'config path', fact: 'configPath', decision: 'configPath' },
  { label: 'Python', fact: 'pythonVersion', decision: 'pythonVersion' },
  { label: 'port', fact: 'port', decision: 'port' },
] as const;

/**
 * What a first run tells the user after writing, as `docker init` does: what it detected
 * and where (or "default", or "your choice" where a flag or answer replaced it), and the
 * next commands: build, migrate, run with the YAML mounted, check in CI. The warnings are
 * printed before it, once.
 * Empty when the app was not generated (a derivative run).
 */
export function firstRunSummary(generation: Generation): string[] {
  const { facts, config } = generation;
  if (!facts || !config) return [];
  const rows = SHOWN.map(({ label, fact, decision }) => {
    const detected = facts[fact] as Fact<unknown>;
    const value = config[decision];
    const source = value !== detected.value ? 'your choice' : (detected.source ?? 'default');
    return [label, String(value), source];
  });
  const width = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  const image = config.service;
  const secret = `/secure/place/${config.service}.yml`;
  // A service that reads no YAML has no config to mount (its settings come from elsewhere).
  const mount = config.configVar === '' ? '' : `-v ${secret}:${config.configPath}:ro `;
  return [
    '',
    'Detected (value, then where it was read; warnings above):',
    ...rows.map(([label, value, source]) => `  ${label.padEnd(width[0])}  ${value.padEnd(width[1])}  ${source}`),
    '',
    'Next:',
    `  docker build -t ${image} .`,
    ...(config.configVar === '' ? [] : [`  cp ${config.exampleConfig} ${secret}    # fill in the CHANGE-ME values`]),
    `  docker run --rm ${mount}${image} python manage.py migrate    # its own step, before each release starts`,
    `  docker run ${mount}-p ${config.port}:${config.port} ${image}`,
    '  openedx-ida check    # in CI: exits 1 when the generated files are stale',
    'Commit the generated files, .yo-rc.json and .openedx-ida/.',
  ];
}
