/** The repository root, for tests that read repo files. */
export { projectRoot as repoRoot } from '../../cli/projectPaths.js';
