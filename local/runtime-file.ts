// Where `npm start` writes the running pipeline's environment for the CLI's `--local`.
import { join } from 'node:path';

/** Relative to the project root; gitignored (it holds the local code key). */
export const RUNTIME_FILE = join('.local', 'runtime.json');
