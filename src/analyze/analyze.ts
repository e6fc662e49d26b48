import { InvalidOptionError } from '../errors.js';
import { type Grammar, dottedName, identifier } from '../grammar.js';
import type { RepoReader } from '../reader/reader.js';
import {
  type NodeAssets,
  type StaticFiles,
  detectNodeAssets,
  detectStaticFiles,
  detectTranslations,
} from './assets.js';
import { detectCeleryApp } from './celery.js';
import { type CacheBackend, type DatabaseBackend, detectCache, detectDatabase } from './backends.js';
import { type ConfigLoad, detectConfigLoad, detectServiceName, loadsYaml } from './config-load.js';
import { yamlDictNames } from './after-load.js';
import { unreadableSettings, detectDjangoPackage, detectSettingsModule, detectWsgiApp } from './django.js';
import { type AnalysisWarning, type Fact, found } from './fact.js';
import { type NestedSettingRead, detectNestedSettingReads } from './nested-settings.js';
import { type RebuiltSetting, detectRebuiltSettings, detectUnfollowedBrokerUrls } from './rebuilt-settings.js';
import { type DictUpdate, detectDictUpdates } from './dict-updates.js';
import { detectHelperSettings } from './helper-settings.js';
import { type SettingWithoutDefault, detectSettingsWithoutDefault } from './settings-without-default.js';
import { detectCodeSettingsWithoutDefault } from './code-settings-without-default.js';
import { detectSyslogLogging } from './logging.js';
import { PythonFiles } from './python-files.js';
import { detectPythonVersion } from './python-version.js';
import { type Requirement, type Requirements, detectRequirements } from './requirements.js';
import {
  type Server,
  detectGracefulTimeout,
  detectGunicornConfig,
  detectHealthPath,
  detectPort,
  detectServer,
} from './serving.js';
import {
  type CodeSettingRead,
  detectCodeSettingReads,
  detectNamesAssignedAfterLoad,
  detectNamesReadAfterLoad,
  detectSpreadSettings,
  detectSwitchSettings,
} from './settings-reads.js';
import { type SettingDefault, detectSettingsDefaults } from './settings-defaults.js';
import { detectSourceUrl } from './source-url.js';
import { type SystemPackages, detectSystemPackages } from './system-packages.js';

/** Where the deployment convention (the old Ansible roles) puts a service's YAML. */
export const CONFIG_DIR = '/edx/etc';

/**
 * Everything the tool detects about an IDA repo. Facts are never stored: every run
 * detects them again, so the output follows the repo.
 */
export interface RepoFacts {
  service: Fact<string>;
  djangoPackage: Fact<string>;
  settingsModule: Fact<string>;
  wsgiApp: Fact<string>;
  /** The environment variable the settings read the YAML path (or directory) from; null when they load no YAML. */
  configVar: Fact<string | null>;
  /** Details of the YAML load: required or optional, directory variable, DICT_UPDATE_KEYS; null when there is none. */
  configLoad: Fact<ConfigLoad | null>;
  /** The absolute path the YAML is mounted at in the container. */
  configPath: Fact<string>;
  pythonVersion: Fact<string>;
  requirements: Fact<Requirements>;
  systemPackages: Fact<SystemPackages>;
  port: Fact<number>;
  /** The WSGI server the image runs, from the requirements. */
  server: Fact<Server>;
  gunicornConfig: Fact<string | null>;
  healthPath: Fact<string | null>;
  /** Seconds gunicorn gives requests in flight after SIGTERM (its config's graceful_timeout, else 30). */
  gracefulTimeout: Fact<number>;
  staticFiles: Fact<StaticFiles>;
  nodeAssets: Fact<NodeAssets | null>;
  translations: Fact<boolean>;
  celery: Fact<boolean>;
  /** The Celery app a worker loads (`pkg.celery:app`), when a module defines one. */
  celeryApp: Fact<string | null>;
  /** The database the example YAML names, from the driver the requirements install. */
  database: Fact<DatabaseBackend>;
  /** The cache backend the example YAML names, from the client the requirements install. */
  cache: Fact<CacheBackend>;
  /** The requirements already pin the New Relic agent. */
  newrelic: Fact<boolean>;
  /** The project's source URL, for the image's OCI source label. */
  sourceUrl: Fact<string | null>;
  /** Settings with literal defaults, offered as overrides in the example YAML. */
  settingsDefaults: SettingDefault[];
  /** Keys of settings dicts the settings reach into after the YAML load: the YAML must hold them. */
  nestedSettingReads: NestedSettingRead[];
  /**
   * Settings read after the YAML load, by the settings or by the service's code as it starts
   * (import, AppConfig.ready()), that neither the settings nor Django define: the YAML must set them.
   */
  settingsWithoutDefault: SettingWithoutDefault[];
  /** Settings the service's own code reads with `getattr(settings, 'NAME', default)`. */
  codeSettingReads: CodeSettingRead[];
  /** Settings the service's code tests for truth (`if settings.X:`): an empty default there is an off switch. */
  switchSettings: string[];
  /** Settings the production settings assign after the YAML load: the YAML cannot set them. */
  overwrittenSettings: string[];
  /**
   * `file:line` of the settings' `LOGGING` when it logs to a local syslog socket (`/dev/log`, absent in a
   * container) and the YAML may replace it; null otherwise.
   */
  syslogLogging: string | null;
  /** Settings dicts spread into the settings after the YAML load (`vars().update(NAME)`): their keys are settings. */
  spreadSettings: string[];
  /** Every requirement the install reads (normalized names, with file and line): what the image has installed. */
  requirementPins: Requirement[];
  /** Overwritten settings built from other settings after the load (a broker URL from its parts). */
  rebuiltSettings: RebuiltSetting[];
  /** Dict settings updated in place with the YAML's value after the load (`JWT_AUTH.update(config.pop('JWT_AUTH'))`). */
  dictUpdates: DictUpdate[];
  /** Settings constants that only compute other settings before the load (`ONE_HOUR = 60 * 60`): no setting of their own. */
  helperSettings: string[];
  warnings: AnalysisWarning[];
}

/** What the user already told us that analysis must use instead of detecting. */
export interface AnalysisHints {
  djangoPackage?: string;
  settingsModule?: string;
}

function given<T>(value: T): Fact<T> {
  return { value, source: null, rule: 'given on the command line' };
}

function checkHint(flag: string, value: string | undefined, grammar: Grammar): void {
  const result = value === undefined ? true : grammar(value);
  if (result !== true)
    throw new InvalidOptionError(
      `--${flag} ${JSON.stringify(value).slice(0, 80)} is not valid (${result})`,
      `pass a valid --${flag}`,
    );
}

/** Reads the repo once and returns every fact, with warnings for what it could not read. */
export function analyzeRepo(reader: RepoReader, hints: AnalysisHints = {}): RepoFacts {
  const warnings: AnalysisWarning[] = [];
  const python = new PythonFiles(reader);

  // Hints are flags: checked here, as the options table checks the rest, before any path is built from them.
  checkHint('django-package', hints.djangoPackage, identifier);
  checkHint('settings-module', hints.settingsModule, dottedName);
  const djangoPackage = hints.djangoPackage ? given(hints.djangoPackage) : detectDjangoPackage(reader, python);
  const pkg = djangoPackage.value;
  const settingsModule = hints.settingsModule
    ? given(hints.settingsModule)
    : detectSettingsModule(reader, python, pkg, (file) => loadsYaml(python, file));
  const givenFile = hints.settingsModule ? `${hints.settingsModule.split('.').join('/')}.py` : null;
  const givenKind = givenFile ? reader.kindOf(givenFile) : 'missing';
  if (givenFile && givenKind !== 'file' && givenKind !== 'missing') throw unreadableSettings(givenFile, givenKind);
  const settingsFile = python.fileOf(settingsModule.value);
  const settings = settingsFile ? python.starClosure(settingsFile) : [];

  const configLoad = detectConfigLoad(python, settingsFile, pkg, warnings);
  const configVar: Fact<string | null> = { ...configLoad, value: configLoad.value?.variable ?? null };
  const fileInDirectory = configLoad.value?.fileInDirectory ?? null;
  const service = detectServiceName(configLoad, djangoPackage);
  const configFile = fileInDirectory ?? `${service.value}.yml`;
  const configPath: Fact<string> = fileInDirectory
    ? {
        value: `${CONFIG_DIR}/${configFile}`,
        source: configLoad.source,
        rule: `fixed file name inside the ${configVar.value} directory`,
      }
    : {
        value: `${CONFIG_DIR}/${configFile}`,
        source: null,
        rule: `default: deployment convention ${CONFIG_DIR}/<service>.yml`,
      };

  const { fact: requirements, requirements: pins } = detectRequirements(reader, warnings);
  // The install file's own header first: it is what pip-compile wrote for production.
  const headerFiles = [requirements.value.install, ...requirements.value.files].filter(
    (file): file is string => file !== null,
  );
  const pythonVersion = detectPythonVersion(reader, python, [...new Set(headerFiles)], warnings);
  const translations = detectTranslations(reader, pkg);
  const pinned = (name: string): Fact<boolean> => {
    const pin = pins.find((candidate) => candidate.name === name);
    return pin
      ? found(true, pin.file, pin.line, `${name} in the requirements`)
      : { value: false, source: null, rule: `default: ${name} not in the requirements` };
  };
  const gunicornConfig = detectGunicornConfig(reader, pkg);
  const server = detectServer(reader, pkg, pins, warnings);

  const overwritten = detectNamesAssignedAfterLoad(settings, configLoad);
  const settingsDefaults = detectSettingsDefaults(
    settings,
    detectNamesReadAfterLoad(settings, configLoad),
    overwritten,
    yamlDictNames(settings, configLoad),
    warnings,
  );
  const facts: RepoFacts = {
    service,
    djangoPackage,
    settingsModule,
    wsgiApp: detectWsgiApp(python, pkg, settings.map((module) => module.file).reverse()),
    configVar,
    configLoad,
    configPath,
    pythonVersion,
    requirements,
    systemPackages: detectSystemPackages(pins, translations),
    port: detectPort(reader, python, pkg, gunicornConfig.value, server.value.uwsgiIni),
    server,
    gunicornConfig,
    healthPath: detectHealthPath(python, pkg),
    gracefulTimeout: detectGracefulTimeout(python, gunicornConfig.value),
    staticFiles: detectStaticFiles(settings, warnings),
    nodeAssets: detectNodeAssets(reader, warnings),
    translations,
    database: detectDatabase(pins, settingsDefaults, warnings),
    cache: detectCache(pins),
    celery: pinned('celery'),
    celeryApp: detectCeleryApp(python, pkg),
    newrelic: pinned('newrelic'),
    sourceUrl: detectSourceUrl(reader, python, warnings),
    settingsDefaults,
    nestedSettingReads: detectNestedSettingReads(settings, configLoad),
    settingsWithoutDefault: [
      ...detectSettingsWithoutDefault(settings, python, configLoad),
      ...detectCodeSettingsWithoutDefault(reader, python, pkg, settings, configLoad),
    ],
    codeSettingReads: detectCodeSettingReads(reader, python, pkg),
    switchSettings: detectSwitchSettings(reader, python, pkg),
    spreadSettings: detectSpreadSettings(settings, configLoad),
    syslogLogging: detectSyslogLogging(settings, overwritten),
    overwrittenSettings: [...overwritten],
    requirementPins: pins,
    rebuiltSettings: detectRebuiltSettings(settings, configLoad),
    dictUpdates: detectDictUpdates(settings, configLoad),
    helperSettings: detectHelperSettings(reader, settings, detectNamesReadAfterLoad(settings, configLoad)),
    warnings,
  };
  // Only where Celery is installed does the example hold a broker key.
  if (facts.celery.value) warnings.push(...detectUnfollowedBrokerUrls(settings, configLoad, facts.rebuiltSettings));
  facts.warnings.unshift(...python.warnings);
  for (const file of reader.notUtf8 ?? []) {
    warnings.push({
      message: `${file} is not UTF-8: read as Latin-1; check the values taken from it (save it as UTF-8)`,
      source: `${file}:1`,
    });
  }
  return facts;
}

/** The keys `detect --json` prints, in order. */
export const FACT_KEYS = [
  'service',
  'djangoPackage',
  'settingsModule',
  'wsgiApp',
  'configVar',
  'configLoad',
  'configPath',
  'pythonVersion',
  'requirements',
  'systemPackages',
  'port',
  'server',
  'gunicornConfig',
  'healthPath',
  'gracefulTimeout',
  'staticFiles',
  'nodeAssets',
  'translations',
  'database',
  'cache',
  'celery',
  'celeryApp',
  'newrelic',
  'sourceUrl',
] as const satisfies readonly (keyof RepoFacts)[];
